/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ never prints: it reports through a hook the host installs
 * (rte_log in the daemon, stderr in tests). Levels follow syslog.
 */
#ifndef IKE_LOG_H
#define IKE_LOG_H

enum ike_log_level {
	IKE_LOG_ERR = 3,
	IKE_LOG_WARNING = 4,
	IKE_LOG_NOTICE = 5,
	IKE_LOG_INFO = 6,
	IKE_LOG_DEBUG = 7,
};

typedef void (*ike_log_fn)(enum ike_log_level level, const char *msg);

void ike_log_set_hook(ike_log_fn fn, enum ike_log_level max_level);
void ike_log(enum ike_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
