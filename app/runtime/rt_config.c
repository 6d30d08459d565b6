/* SPDX-License-Identifier: BSD-3-Clause */
/* rt_config.c - INI-like config parser over a typed option table. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_config.h"

#define UINT_OPT(sec, k, field, lo, hi, d, h)                                                      \
	RT_UINT_OPT(struct rt_config, sec, #k, field, lo, hi, d, h)
#define BOOL_OPT(sec, k, field, d, h) RT_BOOL_OPT(struct rt_config, sec, #k, field, d, h)
#define STR_OPT(sec, k, field, d, h) RT_STR_OPT(struct rt_config, sec, #k, field, d, h)

/* "198.51.100.1/24, 2001:db8::1/64": a prefix length defaults to the whole address. */
static int
set_addresses(void *obj, const char *val, char *why, size_t wlen)
{
	struct rt_config *c = obj;
	char buf[512], *tok, *save, *slash, *end;
	struct rt_ip_prefix *a;
	unsigned long len;

	c->nb_addrs = 0;
	if (strlen(val) >= sizeof(buf)) {
		snprintf(why, wlen, "net.address: list too long");
		return -1;
	}
	strcpy(buf, val);
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL; tok = strtok_r(NULL, ", \t", &save)) {
		if (c->nb_addrs == RT_NET_ADDR_MAX) {
			snprintf(why, wlen, "net.address: more than %d addresses", RT_NET_ADDR_MAX);
			return -1;
		}
		a = &c->addrs[c->nb_addrs];
		memset(a, 0, sizeof(*a));
		slash = strchr(tok, '/');
		if (slash != NULL)
			*slash = '\0';
		if (inet_pton(AF_INET, tok, a->ip) == 1)
			a->family = 4;
		else if (inet_pton(AF_INET6, tok, a->ip) == 1)
			a->family = 6;
		else {
			snprintf(why, wlen, "net.address: '%s' is not an IPv4 or IPv6 address", tok);
			return -1;
		}
		a->len = a->family == 4 ? 32 : 128;
		if (slash != NULL) {
			errno = 0;
			len = strtoul(slash + 1, &end, 10);
			if (slash[1] < '0' || slash[1] > '9' || *end != '\0' || len > a->len) {
				snprintf(why, wlen, "net.address: bad prefix length '/%s' for %s",
					 slash + 1, tok);
				return -1;
			}
			a->len = (uint8_t)len;
		}
		c->nb_addrs++;
	}
	return 0;
}

static int
set_ip(const char *key, int af, uint8_t *out, size_t olen, const char *val, char *why,
       size_t wlen)
{
	memset(out, 0, olen);
	if (*val == '\0' || inet_pton(af, val, out) == 1)
		return 0;
	snprintf(why, wlen, "net.%s: '%s' is not an IPv%c address", key, val,
		 af == AF_INET ? '4' : '6');
	return -1;
}

static int
set_gateway(void *obj, const char *val, char *why, size_t wlen)
{
	struct rt_config *c = obj;

	return set_ip("gateway", AF_INET, c->gateway4, sizeof(c->gateway4), val, why, wlen);
}

static int
set_gateway6(void *obj, const char *val, char *why, size_t wlen)
{
	struct rt_config *c = obj;

	return set_ip("gateway6", AF_INET6, c->gateway6, sizeof(c->gateway6), val, why, wlen);
}

static int
set_inside_gateway(void *obj, const char *val, char *why, size_t wlen)
{
	struct rt_config *c = obj;

	return set_ip("inside_gateway", AF_INET, c->inside_gateway4, sizeof(c->inside_gateway4),
		      val, why, wlen);
}

static int
set_inside_gateway6(void *obj, const char *val, char *why, size_t wlen)
{
	struct rt_config *c = obj;

	return set_ip("inside_gateway6", AF_INET6, c->inside_gateway6, sizeof(c->inside_gateway6),
		      val, why, wlen);
}

/* "ADDRESS/PREFIX" of family af (AF_UNSPEC: either) into *a; "" leaves it unset. */
static int
set_prefix(const char *key, int af, struct rt_ip_prefix *a, const char *val, char *why,
	   size_t wlen)
{
	char buf[64], *slash, *end;
	unsigned long len;

	memset(a, 0, sizeof(*a));
	if (val[0] == '\0')
		return 0;
	if (strlen(val) >= sizeof(buf) || (slash = strchr(strcpy(buf, val), '/')) == NULL)
		goto bad;
	*slash = '\0';
	if (af != AF_INET6 && inet_pton(AF_INET, buf, a->ip) == 1)
		a->family = 4;
	else if (af != AF_INET && inet_pton(AF_INET6, buf, a->ip) == 1)
		a->family = 6;
	len = strtoul(slash + 1, &end, 10);
	if (a->family == 0 || slash[1] < '0' || slash[1] > '9' || *end != '\0' ||
	    len > (a->family == 4 ? 32u : 128u))
		goto bad;
	a->len = (uint8_t)len;
	return 0;
bad:
	snprintf(why, wlen, "net.%s: '%s' is not %sADDRESS/PREFIX", key, val,
		 af == AF_INET6 ? "an IPv6 " : "");
	memset(a, 0, sizeof(*a));
	return -1;
}

static int
set_inside_address(void *obj, const char *val, char *why, size_t wlen)
{
	return set_prefix("inside_address", AF_UNSPEC, &((struct rt_config *)obj)->inside_address,
			  val, why, wlen);
}

static int
set_inside_address6(void *obj, const char *val, char *why, size_t wlen)
{
	return set_prefix("inside_address6", AF_INET6,
			  &((struct rt_config *)obj)->inside_address6, val, why, wlen);
}

static int
set_exception(void *obj, const char *val, char *why, size_t wlen)
{
	struct rt_config *c = obj;

	if (strcmp(val, "none") != 0 && strcmp(val, "tap") != 0) {
		snprintf(why, wlen, "net.exception: '%s' is not none or tap", val);
		return -1;
	}
	c->exception_tap = strcmp(val, "tap") == 0;
	return 0;
}

static const struct rt_opt opts[] = {
	STR_OPT("eal", args, eal_args, "",
		"EAL arguments when the command line has none (empty: --no-huge --no-pci -m 1024)"),
	UINT_OPT("runtime", sa_capacity, sa_capacity, 1, 1u << 22, "65536", "IKE SAs per shard"),
	UINT_OPT("runtime", halfopen_capacity, halfopen_capacity, 1, 1u << 22, "16384",
		 "half-open SAs per shard"),
	UINT_OPT("runtime", ring_size, ring_size, 64, 1u << 16, "1024",
		 "redirect ring size between two shards"),
	UINT_OPT("runtime", burst, burst, 1, 64, "32", "packets per poll"),
	UINT_OPT("runtime", spi_shard_bits, spi_shard_bits, 1, 16, "6", "SPI bits naming the shard"),
	UINT_OPT("runtime", spi_slot_bits, spi_slot_bits, 1, 24, "22", "SPI bits naming the slot"),
	UINT_OPT("runtime", esp_lcores, esp_lcores, 0, 16, "0",
		 "ethdev: the last N EAL lcores carry ESP (data path), the others run IKE"),
	STR_OPT("net", driver, driver, "udp",
		"packet I/O: udp (kernel sockets) or ethdev (DPDK ports, docs/operating.md)"),
	STR_OPT("net", bind_v4, bind_v4, "0.0.0.0", "IPv4 listen address, empty for none"),
	STR_OPT("net", bind_v6, bind_v6, "::", "IPv6 listen address, empty for none"),
	UINT_OPT("net", ike_port, ike_port, 1, 65535, "500", "IKE port"),
	UINT_OPT("net", natt_port, natt_port, 0, 65535, "4500", "NAT-T port, 0 for none"),
	UINT_OPT("net", buffers, nb_bufs, 64, 1u << 20, "1024", "packet buffers per worker"),
	UINT_OPT("net", buffer_size, buf_size, 576, 65535, "4096", "largest datagram received"),
	RT_CUSTOM_OPT("net", "address", set_addresses, "",
		      "ethdev: our addresses with prefix, comma separated (198.51.100.1/24, 2001:db8::1/64)"),
	UINT_OPT("net", port, port_id, 0, 1023, "0", "ethdev: DPDK port number"),
	RT_CUSTOM_OPT("net", "gateway", set_gateway, "", "ethdev: IPv4 next hop for off-link peers"),
	RT_CUSTOM_OPT("net", "gateway6", set_gateway6, "", "ethdev: IPv6 next hop for off-link peers"),
	UINT_OPT("net", mtu, mtu, 1280, 9000, "1500", "ethdev: IP MTU; larger replies are fragmented"),
	RT_CUSTOM_OPT("net", "exception", set_exception, "none",
		      "ethdev: frames not for us: none (dropped) or tap (to a kernel interface)"),
	STR_OPT("net", exception_iface, exception_iface, "ikefarm0",
		"ethdev: name of the exception TAP interface"),
	UINT_OPT("net", reassembly_flows, frag_flows, 16, 65536, "1024",
		 "ethdev: datagrams in reassembly per worker"),
	UINT_OPT("net", vlan, vlan, 0, 4094, "0",
		 "ethdev: 802.1Q VLAN id our traffic is tagged with, 0 for untagged"),
	UINT_OPT("net", inside_port, inside_port, 0, 1023, "1",
		 "ESP data path: DPDK port of the protected network (plaintext)"),
	RT_CUSTOM_OPT("net", "inside_address", set_inside_address, "",
		      "ESP data path: our address on the inside port (10.99.0.1/24)"),
	RT_CUSTOM_OPT("net", "inside_address6", set_inside_address6, "",
		      "ESP data path: our IPv6 address on the inside port next to an IPv4 inside_address (fd99::1/64)"),
	UINT_OPT("net", inside_mtu, inside_mtu, 0, 9000, "0",
		 "ESP data path: IP MTU of the inside port; 0: net.mtu"),
	RT_CUSTOM_OPT("net", "inside_gateway", set_inside_gateway, "",
		      "ESP data path, Ethernet inside port: IPv4 next hop for hosts off the inside subnet"),
	RT_CUSTOM_OPT("net", "inside_gateway6", set_inside_gateway6, "",
		      "ESP data path, Ethernet inside port: IPv6 next hop for hosts off the inside subnet"),
	UINT_OPT("log", level, log_level, 3, 7, "5", "syslog level: 3 err .. 7 debug"),
	BOOL_OPT("log", debug_packets, log_debug_packets, "no", "log every packet at debug level"),
	UINT_OPT("log", events_per_s, log_events_per_s, 1, 1000000, "200",
		 "IKE event lines per second per worker; the rest are counted (events_suppressed)"),
	UINT_OPT("log", events_burst, log_events_burst, 1, 1000000, "400",
		 "IKE event lines a worker may log at once above events_per_s"),
};

#define NB_OPTS (sizeof(opts) / sizeof(opts[0]))

int
rt_opt_set(const struct rt_opt *o, void *obj, const char *val, char *why, size_t wlen)
{
	char *p = (char *)obj + o->offset;
	unsigned long long v;
	char *end;

	switch (o->type) {
	case RT_OPT_UINT:
		errno = 0;
		v = strtoull(val, &end, 10);
		if (*val < '0' || *val > '9' || *end != '\0' || errno == ERANGE) {
			snprintf(why, wlen, "%s.%s: '%s' is not a number", o->section, o->key, val);
			return -1;
		}
		if (v < o->min || v > o->max) {
			snprintf(why, wlen, "%s.%s: %llu is out of range %" PRIu32 "..%" PRIu32,
				 o->section, o->key, v, o->min, o->max);
			return -1;
		}
		*(uint32_t *)(void *)p = (uint32_t)v;
		return 0;
	case RT_OPT_BOOL:
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
	case RT_OPT_STRING:
		if (strlen(val) >= o->size) {
			snprintf(why, wlen, "%s.%s: value longer than %zu characters", o->section,
				 o->key, o->size - 1);
			return -1;
		}
		strcpy(p, val);
		return 0;
	case RT_OPT_CUSTOM:
		return o->set(obj, val, why, wlen);
	}
	return -1;
}

void
rt_opts_defaults(const struct rt_opt *opts, size_t nb, void *obj)
{
	char why[256];
	size_t i;

	for (i = 0; i < nb; i++)
		rt_opt_set(&opts[i], obj, opts[i].def, why, sizeof(why));
}

void
rt_config_defaults(struct rt_config *c)
{
	memset(c, 0, sizeof(*c));
	rt_opts_defaults(opts, NB_OPTS, c);
}

void
rt_config_fail(char *err, size_t errlen, const char *name, unsigned line, const char *fmt, ...)
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
section_known(const struct rt_opt *opts, size_t nb, const char *sec)
{
	size_t i;

	for (i = 0; i < nb; i++)
		if (!strcmp(opts[i].section, sec))
			return true;
	return false;
}

/* Index of [sec] key in the table, or nb when absent. */
static size_t
opt_find(const struct rt_opt *opts, size_t nb, const char *sec, const char *key)
{
	size_t i;

	for (i = 0; i < nb; i++)
		if (!strcmp(opts[i].section, sec) && !strcmp(opts[i].key, key))
			break;
	return i;
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

/* Parses one "[section]" line s into section. Returns 0, or -1 with err. */
static int
parse_section(const struct rt_opt *opts, size_t nb, char *s, char *section, size_t seclen,
	      const char *name, unsigned lineno, char *err, size_t errlen)
{
	char *close = strchr(s, ']');

	if (close == NULL) {
		rt_config_fail(err, errlen, name, lineno, "unterminated section header");
		return -1;
	}
	*close = '\0';
	if (*trim(close + 1) != '\0' && *trim(close + 1) != '#') {
		rt_config_fail(err, errlen, name, lineno, "text after section header");
		return -1;
	}
	s = trim(s + 1);
	if (*s == '\0') {
		rt_config_fail(err, errlen, name, lineno, "empty section name");
		return -1;
	}
	if (!section_known(opts, nb, s) || strlen(s) >= seclen) {
		rt_config_fail(err, errlen, name, lineno, "unknown section [%s]", s);
		return -1;
	}
	strcpy(section, s);
	return 0;
}

/*
 * Applies one "key = value" line s of section. set_on[i] holds the line
 * that set option i, 0 while unset. Returns 0, or -1 with err.
 */
static int
parse_key(const struct rt_opt *opts, size_t nb, void *obj, unsigned *set_on, const char *section,
	  char *s, const char *name, unsigned lineno, char *err, size_t errlen)
{
	char why[256], *eq, *key, *val;
	size_t idx;

	eq = strchr(s, '=');
	if (eq == NULL) {
		rt_config_fail(err, errlen, name, lineno, "expected 'key = value' or '[section]'");
		return -1;
	}
	*eq = '\0';
	key = trim(s);
	if (*key == '\0') {
		rt_config_fail(err, errlen, name, lineno, "missing key before '='");
		return -1;
	}
	if (section[0] == '\0') {
		rt_config_fail(err, errlen, name, lineno, "key '%s' outside any section", key);
		return -1;
	}
	idx = opt_find(opts, nb, section, key);
	if (idx == nb) {
		rt_config_fail(err, errlen, name, lineno, "unknown key '%s' in section [%s]", key,
			       section);
		return -1;
	}
	if (set_on[idx] != 0) {
		rt_config_fail(err, errlen, name, lineno,
			       "duplicate key '%s' (first set on line %u)", key, set_on[idx]);
		return -1;
	}
	set_on[idx] = lineno;
	val = value_text(trim(eq + 1));
	if (val == NULL) {
		rt_config_fail(err, errlen, name, lineno, "unterminated quoted value");
		return -1;
	}
	if (rt_opt_set(&opts[idx], obj, val, why, sizeof(why)) != 0) {
		rt_config_fail(err, errlen, name, lineno, "%s", why);
		return -1;
	}
	return 0;
}

int
rt_opts_parse(const struct rt_opt *opts, size_t nb, void *obj, const char *text,
	      const char *name, char *err, size_t errlen)
{
	char section[32] = "";
	char *copy, *line, *next, *s;
	unsigned lineno = 0, *set_on;
	int rc = -1;

	copy = strdup(text);
	set_on = calloc(nb, sizeof(*set_on));
	if (copy == NULL || set_on == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[' ? parse_section(opts, nb, s, section, sizeof(section), name, lineno,
					      err, errlen)
			      : parse_key(opts, nb, obj, set_on, section, s, name, lineno, err,
					  errlen))
			goto out;
	}
	rc = 0;
out:
	free(set_on);
	free(copy);
	return rc;
}

int
rt_config_parse(struct rt_config *c, const char *text, const char *name, char *err,
		size_t errlen)
{
	return rt_opts_parse(opts, NB_OPTS, c, text, name, err, errlen);
}

/* Line number (from 1) of offset off in text. */
static unsigned
nul_line(const char *text, size_t off)
{
	unsigned line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

char *
rt_config_read(const char *path, char *err, size_t errlen)
{
	enum { MAX_FILE = 1 << 20 };
	char *text;
	size_t n;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	text = malloc(MAX_FILE + 1);
	if (text == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
	} else {
		n = fread(text, 1, MAX_FILE + 1, f);
		if (ferror(f) || n > MAX_FILE) {
			snprintf(err, errlen, "%s: %s", path,
				 ferror(f) ? "read error" : "larger than 1 MiB");
			free(text);
			text = NULL;
		} else if (memchr(text, '\0', n) != NULL) {
			/* The parser would stop there: the rest of the file would not apply. */
			snprintf(err, errlen, "%s:%u: NUL byte in the line", path,
				 nul_line(text, (size_t)((char *)memchr(text, '\0', n) - text)));
			free(text);
			text = NULL;
		} else {
			text[n] = '\0';
		}
	}
	fclose(f);
	return text;
}

int
rt_config_load(struct rt_config *c, const char *path, char *err, size_t errlen)
{
	char *text = rt_config_read(path, err, errlen);
	int rc;

	if (text == NULL)
		return -1;
	rc = rt_config_parse(c, text, path, err, errlen);
	free(text);
	return rc;
}

size_t
rt_config_format_defaults(char *buf, size_t len)
{
	const char *sec = "";
	size_t i, off = 0;
	int n;

	for (i = 0; i < NB_OPTS; i++) {
		const struct rt_opt *o = &opts[i];

		if (strcmp(sec, o->section)) {
			sec = o->section;
			n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0,
				     "%s[%s]\n", i ? "\n" : "", sec);
			off += (size_t)n;
		}
		if (o->type == RT_OPT_UINT)
			n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0,
				     "# %s (%" PRIu32 "..%" PRIu32 ")\n%s = %s\n", o->help, o->min,
				     o->max, o->key, o->def);
		else
			n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0,
				     "# %s\n%s = \"%s\"\n", o->help, o->key, o->def);
		off += (size_t)n;
	}
	return off;
}
