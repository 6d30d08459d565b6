/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_log - the daemon's rte_log type "ikefarm"; lib/ logs (ike_log) are
 * forwarded to it. Levels in the config are syslog levels (3 err .. 7
 * debug); rte_log's are one higher.
 */
#ifndef IFD_LOG_H
#define IFD_LOG_H

#include <rte_log.h>

extern int ifd_logtype;

#define IFD_LOG(level, ...) rte_log(RTE_LOG_##level, ifd_logtype, "ikefarm: " __VA_ARGS__)

/*
 * Registers the log type and installs the ike_log hook. syslog_level (3..7)
 * applies to every "ikefarm*" log type (runtime included).
 */
void ifd_log_init(unsigned syslog_level);

#endif
