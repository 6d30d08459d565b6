/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_check.c - warnings, secret-file permissions and the shard count at start. */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ifd_check.h"
#include "ifd_config.h"
#include "rt.h"

int
ifd_warn(struct ifd_warnings *w, char *err, size_t errlen, const char *name, unsigned line,
	 const char *fmt, ...)
{
	char why[400], msg[600];
	va_list ap;

	if (w == NULL)
		return 0;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (w->strict) {
		snprintf(err, errlen, "%s:%u: %s (refused: [auth] strict_files = yes)", name, line,
			 why);
		return -1;
	}
	snprintf(msg, sizeof(msg), "%s:%u: %s", name, line, why);
	w->count++;
	if (w->emit != NULL)
		w->emit(w->arg, msg);
	return 0;
}

int
ifd_check_private_file(struct ifd_warnings *w, const char *path, const char *what,
		       const char *name, unsigned line, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s:%u: %s: %s: %s", name, line, what, path, strerror(errno));
		return -1;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0)
		return 0;
	return ifd_warn(w, err, errlen, name, line,
			"%s: %s holds secrets but is %s by group or others (mode %04o): "
			"chmod 600 it",
			what, path, st.st_mode & (S_IROTH | S_IRGRP) ? "readable" : "writable",
			(unsigned)(st.st_mode & 07777));
}

/*
 * Lcore ids in an EAL list: "0-3,5", "(0-2)@1", "0@0,1@1", "(1,2)@(0,1)".
 * Only the ids before an '@' count; each id is counted once.
 */
static unsigned
count_lcore_list(const char *s)
{
	static unsigned char seen[1024];
	unsigned n = 0, a, b;
	char *end;

	memset(seen, 0, sizeof(seen));
	while (*s != '\0') {
		if (*s == '@') {
			/* skip the cpu set: "@3" or "@(0-1)" */
			s++;
			if (*s == '(')
				s += strcspn(s, ")") + (strchr(s, ')') != NULL);
			else
				s += strspn(s, "0123456789-");
			continue;
		}
		if (*s < '0' || *s > '9') {
			s++;
			continue;
		}
		a = (unsigned)strtoul(s, &end, 10);
		b = a;
		s = end;
		if (*s == '-') {
			b = (unsigned)strtoul(s + 1, &end, 10);
			s = end;
		}
		for (unsigned i = a; i <= b && i < sizeof(seen); i++)
			if (!seen[i]++)
				n++;
	}
	return n;
}

static unsigned
count_coremask(const char *s)
{
	unsigned n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s != '\0'; s++) {
		unsigned v = (unsigned)strtoul((char[]){*s, '\0'}, NULL, 16);

		n += (unsigned)__builtin_popcount(v);
	}
	return n;
}

unsigned
ifd_predict_lcores(const char *args)
{
	char copy[512], *tok, *save, *val;
	cpu_set_t set;
	unsigned n = 0;

	snprintf(copy, sizeof(copy), "%s", args);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
		bool list = !strncmp(tok, "-l", 2) || !strncmp(tok, "--lcores", 8);
		bool mask = !strncmp(tok, "-c", 2);

		if (!list && !mask)
			continue;
		if (!strcmp(tok, "-l") || !strcmp(tok, "--lcores") || !strcmp(tok, "-c"))
			val = strtok_r(NULL, " \t", &save);
		else if (!strncmp(tok, "--lcores=", 9))
			val = tok + 9;
		else if (!strncmp(tok, "--lcores", 8))
			continue; /* another option that starts alike */
		else
			val = tok + 2;
		if (val != NULL)
			n = list ? count_lcore_list(val) : count_coremask(val);
	}
	if (n != 0)
		return n;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return (unsigned)CPU_COUNT(&set);
	return 1;
}

int
ifd_check_shards(const struct ifd_config *c, unsigned nb_shards, char *err, size_t errlen)
{
	enum ike_cfg_check bad = ike_core_cfg_check(&c->core, nb_shards);

	if (bad == IKE_CFG_OK && nb_shards <= RT_MAX_SHARDS)
		return 0;
	rt_config_fail(err, errlen, c->source, ifd_config_line(c, "runtime", "spi_shard_bits"),
		       "%u workers (EAL lcores) do not fit: %s (runtime.spi_shard_bits = %u names "
		       "at most %lu, the runtime runs at most %u)",
		       nb_shards, bad == IKE_CFG_OK ? "too many workers" : ike_cfg_check_name(bad),
		       c->rt.spi_shard_bits, 1ul << c->rt.spi_shard_bits, RT_MAX_SHARDS);
	return -1;
}
