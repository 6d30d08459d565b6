/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_log.c - the "ikefarm" rte_log type and the ike_log hook for lib/. */
#include "ifd_log.h"
#include "ike_log.h"

int ifd_logtype = RTE_LOGTYPE_USER1;

static void
forward_lib_log(enum ike_log_level level, const char *msg)
{
	/* lib/ messages carry their own "ikefarm.lib.<module>:" prefix or none. */
	rte_log((uint32_t)level + 1, ifd_logtype, "ikefarm: %s\n", msg);
}

void
ifd_log_init(unsigned syslog_level)
{
	int t = rte_log_register_type_and_pick_level("ikefarm", RTE_LOG_NOTICE);

	if (t >= 0)
		ifd_logtype = t;
	rte_log_set_level_pattern("ikefarm*", syslog_level + 1);
	ike_log_set_hook(forward_lib_log, (enum ike_log_level)syslog_level);
}
