/* SPDX-License-Identifier: BSD-3-Clause */
/* rt_config.c - INI-like config parser over a typed option table. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_config.h"

enum opt_type {
	OPT_UINT,
	OPT_BOOL,
	OPT_STRING,
};

struct opt {
	const char *section;
	const char *key;
	enum opt_type type;
	size_t offset;
	size_t size; /* OPT_STRING: buffer size */
	uint64_t min, max;
	const char *def;
	const char *help;
};

#define UINT_OPT(sec, k, field, lo, hi, d, h)                                                      \
	{sec, #k, OPT_UINT, offsetof(struct rt_config, field), 0, lo, hi, d, h}
#define BOOL_OPT(sec, k, field, d, h) {sec, #k, OPT_BOOL, offsetof(struct rt_config, field), 0, 0, 1, d, h}
#define STR_OPT(sec, k, field, d, h)                                                               \
	{sec, #k, OPT_STRING, offsetof(struct rt_config, field),                                   \
	 sizeof(((struct rt_config *)0)->field), 0, 0, d, h}

static const struct opt opts[] = {
	STR_OPT("eal", args, eal_args, "",
		"EAL arguments when the command line has none (empty: --no-huge --no-pci -m 256)"),
	UINT_OPT("runtime", sa_capacity, sa_capacity, 1, 1u << 22, "65536", "IKE SAs per shard"),
	UINT_OPT("runtime", halfopen_capacity, halfopen_capacity, 1, 1u << 22, "16384",
		 "half-open SAs per shard"),
	UINT_OPT("runtime", timer_tick_ms, timer_tick_ms, 1, 1000, "1", "timer wheel resolution"),
	UINT_OPT("runtime", ring_size, ring_size, 64, 1u << 16, "1024",
		 "redirect ring size between two shards"),
	UINT_OPT("runtime", burst, burst, 1, 64, "32", "packets per poll"),
	UINT_OPT("runtime", spi_shard_bits, spi_shard_bits, 1, 16, "6", "SPI bits naming the shard"),
	UINT_OPT("runtime", spi_slot_bits, spi_slot_bits, 1, 24, "22", "SPI bits naming the slot"),
	STR_OPT("net", driver, driver, "udp", "packet I/O: udp"),
	STR_OPT("net", bind_v4, bind_v4, "0.0.0.0", "IPv4 listen address, empty for none"),
	STR_OPT("net", bind_v6, bind_v6, "::", "IPv6 listen address, empty for none"),
	UINT_OPT("net", ike_port, ike_port, 1, 65535, "500", "IKE port"),
	UINT_OPT("net", natt_port, natt_port, 0, 65535, "4500", "NAT-T port, 0 for none"),
	UINT_OPT("net", buffers, nb_bufs, 64, 1u << 20, "1024", "packet buffers per worker"),
	UINT_OPT("net", buffer_size, buf_size, 576, 65535, "4096", "largest datagram received"),
	UINT_OPT("log", level, log_level, 3, 7, "5", "syslog level: 3 err .. 7 debug"),
	BOOL_OPT("log", debug_packets, log_debug_packets, "no", "log every packet at debug level"),
};

#define NB_OPTS (sizeof(opts) / sizeof(opts[0]))

/* Stores one value; on failure writes the reason (without file:line) to why. */
static int
opt_set(struct rt_config *c, const struct opt *o, const char *val, char *why, size_t wlen)
{
	char *p = (char *)c + o->offset;
	unsigned long long v;
	char *end;

	switch (o->type) {
	case OPT_UINT:
		errno = 0;
		v = strtoull(val, &end, 10);
		if (*val < '0' || *val > '9' || *end != '\0' || errno == ERANGE) {
			snprintf(why, wlen, "%s.%s: '%s' is not a number", o->section, o->key, val);
			return -1;
		}
		if (v < o->min || v > o->max) {
			snprintf(why, wlen, "%s.%s: %llu is out of range %" PRIu64 "..%" PRIu64,
				 o->section, o->key, v, o->min, o->max);
			return -1;
		}
		*(uint32_t *)(void *)p = (uint32_t)v;
		return 0;
	case OPT_BOOL:
		if (!strcmp(val, "yes") || !strcmp(val, "true") || !strcmp(val, "on") ||
		    !strcmp(val, "1")) {
			*(bool *)(void *)p = true;
		} else if (!strcmp(val, "no") || !strcmp(val, "false") || !strcmp(val, "off") ||
			   !strcmp(val, "0")) {
			*(bool *)(void *)p = false;
		} else {
			snprintf(why, wlen, "%s.%s: '%s' is not yes/no/true/false/on/off/1/0",
				 o->section, o->key, val);
			return -1;
		}
		return 0;
	case OPT_STRING:
		if (strlen(val) >= o->size) {
			snprintf(why, wlen, "%s.%s: value longer than %zu characters", o->section,
				 o->key, o->size - 1);
			return -1;
		}
		strcpy(p, val);
		return 0;
	}
	return -1;
}

void
rt_config_defaults(struct rt_config *c)
{
	char why[8];
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NB_OPTS; i++)
		opt_set(c, &opts[i], opts[i].def, why, sizeof(why)); /* defaults are in range */
}

static void
fail(char *err, size_t errlen, const char *name, unsigned line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%u: %s", name, line, why);
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static bool
section_known(const char *sec)
{
	size_t i;

	for (i = 0; i < NB_OPTS; i++)
		if (!strcmp(opts[i].section, sec))
			return true;
	return false;
}

static const struct opt *
opt_find(const char *sec, const char *key, size_t *idx)
{
	size_t i;

	for (i = 0; i < NB_OPTS; i++) {
		if (!strcmp(opts[i].section, sec) && !strcmp(opts[i].key, key)) {
			*idx = i;
			return &opts[i];
		}
	}
	return NULL;
}

/* Unquotes or strips a trailing " # comment". Returns NULL for a bad quote. */
static char *
value_text(char *v)
{
	char *q, *h;

	if (*v == '"') {
		q = strchr(v + 1, '"');
		if (q == NULL || (*trim(q + 1) != '\0' && *trim(q + 1) != '#'))
			return NULL;
		*q = '\0';
		return v + 1;
	}
	for (h = v; (h = strchr(h, '#')) != NULL; h++) {
		if (h > v && (h[-1] == ' ' || h[-1] == '\t')) {
			*h = '\0';
			break;
		}
	}
	return trim(v);
}

int
rt_config_parse(struct rt_config *c, const char *text, const char *name, char *err,
		size_t errlen)
{
	unsigned set_on[NB_OPTS] = {0};
	char section[32] = "", why[256];
	char *copy, *line, *next, *s, *eq, *key, *val;
	const struct opt *o;
	unsigned lineno = 0;
	size_t idx;
	int rc = -1;

	copy = strdup(text);
	if (copy == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (close == NULL) {
				fail(err, errlen, name, lineno, "unterminated section header");
				goto out;
			}
			*close = '\0';
			if (*trim(close + 1) != '\0' && *trim(close + 1) != '#') {
				fail(err, errlen, name, lineno, "text after section header");
				goto out;
			}
			s = trim(s + 1);
			if (*s == '\0') {
				fail(err, errlen, name, lineno, "empty section name");
				goto out;
			}
			if (!section_known(s) || strlen(s) >= sizeof(section)) {
				fail(err, errlen, name, lineno, "unknown section [%s]", s);
				goto out;
			}
			strcpy(section, s);
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			fail(err, errlen, name, lineno, "expected 'key = value' or '[section]'");
			goto out;
		}
		*eq = '\0';
		key = trim(s);
		if (*key == '\0') {
			fail(err, errlen, name, lineno, "missing key before '='");
			goto out;
		}
		if (section[0] == '\0') {
			fail(err, errlen, name, lineno, "key '%s' outside any section", key);
			goto out;
		}
		o = opt_find(section, key, &idx);
		if (o == NULL) {
			fail(err, errlen, name, lineno, "unknown key '%s' in section [%s]", key,
			     section);
			goto out;
		}
		if (set_on[idx] != 0) {
			fail(err, errlen, name, lineno, "duplicate key '%s' (first set on line %u)",
			     key, set_on[idx]);
			goto out;
		}
		set_on[idx] = lineno;
		val = value_text(trim(eq + 1));
		if (val == NULL) {
			fail(err, errlen, name, lineno, "unterminated quoted value");
			goto out;
		}
		if (opt_set(c, o, val, why, sizeof(why)) != 0) {
			fail(err, errlen, name, lineno, "%s", why);
			goto out;
		}
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

int
rt_config_load(struct rt_config *c, const char *path, char *err, size_t errlen)
{
	enum { MAX_FILE = 1 << 20 };
	char *text;
	size_t n;
	FILE *f;
	int rc;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(MAX_FILE + 1);
	if (text == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = fread(text, 1, MAX_FILE + 1, f);
	if (ferror(f) || n > MAX_FILE) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ? "read error" : "larger than 1 MiB");
		rc = -1;
	} else {
		text[n] = '\0';
		rc = rt_config_parse(c, text, path, err, errlen);
	}
	free(text);
	fclose(f);
	return rc;
}

size_t
rt_config_format_defaults(char *buf, size_t len)
{
	const char *sec = "";
	size_t i, off = 0;
	int n;

	for (i = 0; i < NB_OPTS; i++) {
		const struct opt *o = &opts[i];

		if (strcmp(sec, o->section)) {
			sec = o->section;
			n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0,
				     "%s[%s]\n", i ? "\n" : "", sec);
			off += (size_t)n;
		}
		if (o->type == OPT_UINT)
			n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0,
				     "# %s (%" PRIu64 "..%" PRIu64 ")\n%s = %s\n", o->help, o->min,
				     o->max, o->key, o->def);
		else
			n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0,
				     "# %s\n%s = \"%s\"\n", o->help, o->key, o->def);
		off += (size_t)n;
	}
	return off;
}
