/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>

#include "ike_log.h"

static ike_log_fn log_hook;
static enum ike_log_level log_max = IKE_LOG_NOTICE;

void
ike_log_set_hook(ike_log_fn fn, enum ike_log_level max_level)
{
	log_hook = fn;
	log_max = max_level;
}

void
ike_log(enum ike_log_level level, const char *fmt, ...)
{
	char line[1024]; /* a proposal refusal lists both sides */
	va_list ap;

	if (!log_hook || level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_hook(level, line);
}
