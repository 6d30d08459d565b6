/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_config.c - the protocol sections of the daemon's configuration, and
 * the split of one file between them and the runtime's parser: each parser
 * sees the whole text with the other one's sections blanked out, so line
 * numbers in errors stay those of the file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifd_addrport.h"
#include "ifd_config.h"
#include "ifd_creds.h"
#include "ike_proposal_str.h"

static int set_local_id(void *obj, const char *val, char *why, size_t wlen);
static int set_ike_proposals(void *obj, const char *val, char *why, size_t wlen);
static int set_esp_proposals(void *obj, const char *val, char *why, size_t wlen);
static int set_ts_start(void *obj, const char *val, char *why, size_t wlen);
static int set_ts_end(void *obj, const char *val, char *why, size_t wlen);
static int set_ts_start6(void *obj, const char *val, char *why, size_t wlen);
static int set_ts_end6(void *obj, const char *val, char *why, size_t wlen);
static int set_rekey_bytes(void *obj, const char *val, char *why, size_t wlen);
static int set_life_bytes(void *obj, const char *val, char *why, size_t wlen);
static int set_rekey_packets(void *obj, const char *val, char *why, size_t wlen);
static int set_life_packets(void *obj, const char *val, char *why, size_t wlen);
static int set_ipsec_mb(void *obj, const char *val, char *why, size_t wlen);
static int set_replay_fp(void *obj, const char *val, char *why, size_t wlen);
static int set_metrics_listen(void *obj, const char *val, char *why, size_t wlen);
static int set_pool_v4(void *obj, const char *val, char *why, size_t wlen);
static int set_pool_v6(void *obj, const char *val, char *why, size_t wlen);
static int set_pool_dns(void *obj, const char *val, char *why, size_t wlen);
static int set_pool_member(void *obj, const char *val, char *why, size_t wlen);

#define UINT_OPT(sec, k, field, lo, hi, d)                                                         \
	RT_UINT_OPT(struct ifd_config, sec, k, field, lo, hi, d, NULL)
#define BOOL_OPT(sec, k, field, d) RT_BOOL_OPT(struct ifd_config, sec, k, field, d, NULL)
#define STR_OPT(sec, k, field, d) RT_STR_OPT(struct ifd_config, sec, k, field, d, NULL)
#define CUSTOM_OPT(sec, k, fn, d) RT_CUSTOM_OPT(sec, k, fn, d, NULL)

/* The defaults here are also written out in config/ikefarm.conf and docs/config.md. */
static const struct rt_opt opts[] = {
	CUSTOM_OPT("ike", "local_id", set_local_id, "fqdn:ikefarm.local"),
	CUSTOM_OPT("ike", "proposals", set_ike_proposals, "default"),
	UINT_OPT("ike", "lifetime_s", core.ike_lifetime_s, 0, 86400 * 7, "14400"),
	UINT_OPT("ike", "half_open_timeout_ms", core.half_open_timeout_ms, 100, 600000, "30000"),
	UINT_OPT("ike", "response_cache_ms", core.response_cache_ms, 100, 600000, "30000"),
	UINT_OPT("ike", "cached_responses", core.max_cached_responses, 0, 1u << 22, "0"),
	UINT_OPT("ike", "dpd_delay_s", core.dpd_delay_s, 0, 86400, "30"),
	UINT_OPT("ike", "dpd_timeout_s", core.dpd_timeout_s, 1, 3600, "60"),
	UINT_OPT("ike", "dpd_probes_per_ms", core.dpd_probes_per_ms, 1, 1u << 16, "16"),
	UINT_OPT("ike", "cookie_threshold", core.cookie_threshold, 0, 1u << 22, "1024"),
	UINT_OPT("ike", "cookie_rotate_s", core.cookie_rotate_s, 1, 86400, "300"),
	UINT_OPT("ike", "fragment_size", core.fragment_size, IKE_FRAGMENT_SIZE_MIN, 65535, "1232"),
	CUSTOM_OPT("child", "proposals", set_esp_proposals, "default"),
	CUSTOM_OPT("child", "ts_start", set_ts_start, "0.0.0.0"),
	CUSTOM_OPT("child", "ts_end", set_ts_end, "255.255.255.255"),
	CUSTOM_OPT("child", "ts_start6", set_ts_start6, ""),
	CUSTOM_OPT("child", "ts_end6", set_ts_end6, ""),
	UINT_OPT("child", "rekey_time_s", child_life.rekey_time_s, 0, 86400 * 7, "0"),
	UINT_OPT("child", "life_time_s", child_life.life_time_s, 0, 86400 * 7, "0"),
	CUSTOM_OPT("child", "rekey_bytes", set_rekey_bytes, "0"),
	CUSTOM_OPT("child", "life_bytes", set_life_bytes, "0"),
	CUSTOM_OPT("child", "rekey_packets", set_rekey_packets, "3000000000"),
	CUSTOM_OPT("child", "life_packets", set_life_packets, "4000000000"),
	UINT_OPT("child", "idle_time_s", child_life.idle_time_s, 0, 86400 * 7, "0"),
	UINT_OPT("child", "jitter_pct", child_life.jitter_pct, 0, 50, "10"),
	STR_OPT("auth", "credentials", credentials, ""),
	UINT_OPT("auth", "auth_lifetime_s", core.auth_lifetime_s, 0, 86400 * 7, "0"),
	UINT_OPT("auth", "auth_grace_s", core.auth_grace_s, 0, 86400, "60"),
	UINT_OPT("auth", "auth_reauth_s", core.auth_reauth_s, 0, 86400, "60"),
	STR_OPT("auth", "ca_file", ca_file, ""),
	STR_OPT("auth", "cert_file", cert_file, ""),
	STR_OPT("auth", "key_file", key_file, ""),
	BOOL_OPT("auth", "rsa_pss", core.local_rsa_pss, "no"),
	BOOL_OPT("auth", "strict_files", strict_files, "no"),
	UINT_OPT("auth", "max_users", max_users, 0, 4194304, "0"),
	STR_OPT("tickets", "key_file", ticket_key_file, ""),
	UINT_OPT("tickets", "lifetime_s", core.ticket_lifetime_s, 0, 86400 * 30, "3600"),
	UINT_OPT("tickets", "resumes_per_s", core.ticket_resumes_per_s, 1, 1000000, "50000"),
	CUSTOM_OPT("tickets", "replay_fp", set_replay_fp, "0.001"),
	UINT_OPT("tickets", "clock_skew_s", ticket_clock_skew_s, 0, 3600, "60"),
	BOOL_OPT("tickets", "libreswan_compat", core.resume_auth_compat_libreswan, "no"),
	CUSTOM_OPT("crypto", "ipsec_mb", set_ipsec_mb, "auto"),
	CUSTOM_OPT("metrics", "listen", set_metrics_listen, ""),
	CUSTOM_OPT("pool", "v4", set_pool_v4, ""),
	CUSTOM_OPT("pool", "v6", set_pool_v6, ""),
	CUSTOM_OPT("pool", "dns", set_pool_dns, ""),
	CUSTOM_OPT("pool", "member", set_pool_member, ""),
};

#define NB_OPTS (sizeof(opts) / sizeof(opts[0]))

static int
set_metrics_listen(void *obj, const char *val, char *why, size_t wlen)
{
	struct ifd_config *c = obj;
	struct sockaddr_storage ss;
	unsigned len;

	if (val[0] != '\0' && (strlen(val) >= sizeof(c->metrics_listen) ||
				ifd_addrport_parse(val, &ss, &len) != 0)) {
		snprintf(why, wlen, "metrics.listen: '%s' is not ADDR:PORT or [V6ADDR]:PORT", val);
		return -1;
	}
	strcpy(c->metrics_listen, val);
	return 0;
}

/* A count with an optional binary suffix: 1048576, 1024k, 1M, 10G, 1T. */
static int
set_count(uint64_t *out, const char *key, const char *val, char *why, size_t wlen)
{
	static const char suffix[] = "kmgt";
	unsigned long long v;
	const char *k;
	char *end;

	errno = 0;
	v = strtoull(val, &end, 10);
	if (val[0] < '0' || val[0] > '9' || errno == ERANGE)
		goto bad;
	if (*end != '\0') {
		k = strchr(suffix, *end | 0x20);
		if (k == NULL || end[1] != '\0')
			goto bad;
		for (long i = 0; i <= k - suffix; i++) {
			if (v > UINT64_MAX / 1024)
				goto bad;
			v *= 1024;
		}
	}
	*out = v;
	return 0;
bad:
	snprintf(why, wlen, "child.%s: '%s' is not a count (digits, optional k, M, G or T)", key,
		 val);
	return -1;
}

static int
set_rekey_bytes(void *obj, const char *val, char *why, size_t wlen)
{
	return set_count(&((struct ifd_config *)obj)->child_life.rekey_bytes, "rekey_bytes", val,
			 why, wlen);
}

static int
set_life_bytes(void *obj, const char *val, char *why, size_t wlen)
{
	return set_count(&((struct ifd_config *)obj)->child_life.life_bytes, "life_bytes", val,
			 why, wlen);
}

static int
set_rekey_packets(void *obj, const char *val, char *why, size_t wlen)
{
	return set_count(&((struct ifd_config *)obj)->child_life.rekey_packets, "rekey_packets",
			 val, why, wlen);
}

static int
set_life_packets(void *obj, const char *val, char *why, size_t wlen)
{
	return set_count(&((struct ifd_config *)obj)->child_life.life_packets, "life_packets",
			 val, why, wlen);
}

static int
set_local_id(void *obj, const char *val, char *why, size_t wlen)
{
	struct ifd_config *c = obj;
	const char *colon = strchr(val, ':');
	char type[16];

	if (colon == NULL || (size_t)(colon - val) >= sizeof(type)) {
		snprintf(why, wlen,
			 "ike.local_id: '%s' is not TYPE:VALUE (e.g. fqdn:vpn.example.com)", val);
		return -1;
	}
	memcpy(type, val, (size_t)(colon - val));
	type[colon - val] = '\0';
	return ifd_id_parse(type, colon + 1, &c->core.local_id_type, c->core.local_id,
			    &c->core.local_id_len, why, wlen);
}

static int
set_ike_proposals(void *obj, const char *val, char *why, size_t wlen)
{
	struct ifd_config *c = obj;
	int n = ike_proposal_str_list(val, false, c->core.ike_proposals, IKE_CORE_MAX_PROPOSALS, why,
				      wlen);

	if (n < 0)
		return -1;
	c->core.nb_ike_proposals = (unsigned)n;
	return 0;
}

static int
set_esp_proposals(void *obj, const char *val, char *why, size_t wlen)
{
	struct ifd_config *c = obj;
	int n = ike_proposal_str_list(val, true, c->core.esp_proposals, IKE_CORE_MAX_PROPOSALS, why,
				      wlen);

	if (n < 0)
		return -1;
	c->core.nb_esp_proposals = (unsigned)n;
	return 0;
}

static int
addr_parse(const char *val, struct ike_addr *a, char *why, size_t wlen)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, val, a->ip) == 1) {
		a->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, val, a->ip) == 1) {
		a->family = 6;
		return 0;
	}
	snprintf(why, wlen, "'%s' is not an IPv4 or IPv6 address", val);
	return -1;
}

static int
set_ts_start(void *obj, const char *val, char *why, size_t wlen)
{
	struct ifd_config *c = obj;
	return addr_parse(val, &c->core.ts_start, why, wlen);
}

static int
set_ts_end(void *obj, const char *val, char *why, size_t wlen)
{
	struct ifd_config *c = obj;
	return addr_parse(val, &c->core.ts_end, why, wlen);
}

/* An IPv6 address, or "" (none: family 0). */
static int
addr6_parse(const char *val, struct ike_addr *a, char *why, size_t wlen)
{
	memset(a, 0, sizeof(*a));
	if (val[0] == '\0')
		return 0;
	if (inet_pton(AF_INET6, val, a->ip) == 1) {
		a->family = 6;
		return 0;
	}
	snprintf(why, wlen, "'%s' is not an IPv6 address", val);
	return -1;
}

static int
set_ts_start6(void *obj, const char *val, char *why, size_t wlen)
{
	return addr6_parse(val, &((struct ifd_config *)obj)->core.ts_start6, why, wlen);
}

static int
set_ts_end6(void *obj, const char *val, char *why, size_t wlen)
{
	return addr6_parse(val, &((struct ifd_config *)obj)->core.ts_end6, why, wlen);
}

static int
set_ipsec_mb(void *obj, const char *val, char *why, size_t wlen)
{
	struct ifd_config *c = obj;
	static const char *const archs[] = {"auto", "sse", "avx", "avx2", "avx512"};

	for (size_t i = 0; i < sizeof(archs) / sizeof(archs[0]); i++) {
		if (!strcmp(val, archs[i])) {
			snprintf(c->ipsec_mb, sizeof(c->ipsec_mb), "%s", val);
			return 0;
		}
	}
	snprintf(why, wlen, "crypto.ipsec_mb: '%s' is not auto, sse, avx, avx2 or avx512", val);
	return -1;
}

static int
set_replay_fp(void *obj, const char *val, char *why, size_t wlen)
{
	struct ifd_config *c = obj;
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (*val == '\0' || *end != '\0' || errno == ERANGE || !(v > 0.0 && v < 0.5)) {
		snprintf(why, wlen, "tickets.replay_fp: '%s' is not a number in (0, 0.5)", val);
		return -1;
	}
	c->core.ticket_replay_fp = v;
	return 0;
}

/* ADDR/LEN with no host bits set; "" = no pool. */
static int
pool_prefix(const char *key, const char *val, int af, uint8_t *net, uint8_t *plen, bool *has,
	    char *why, size_t wlen)
{
	unsigned max = af == AF_INET ? 32 : 128, alen = af == AF_INET ? 4 : 16;
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(val, '/');
	char *end;
	unsigned long len;

	*has = false;
	if (val[0] == '\0')
		return 0;
	if (slash == NULL || (size_t)(slash - val) >= sizeof(addr))
		goto bad;
	memcpy(addr, val, (size_t)(slash - val));
	addr[slash - val] = '\0';
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (inet_pton(af, addr, net) != 1 || slash[1] == '\0' || *end != '\0' || len > max ||
	    len == max)
		goto bad;
	for (unsigned b = (unsigned)len; b < alen * 8; b++) {
		if (net[b / 8] & (0x80u >> (b % 8))) {
			snprintf(why, wlen, "pool.%s: '%s' has host bits set", key, val);
			return -1;
		}
	}
	*plen = (uint8_t)len;
	*has = true;
	return 0;
bad:
	snprintf(why, wlen, "pool.%s: '%s' is not an %s prefix ADDR/LEN (LEN < %u)", key, val,
		 af == AF_INET ? "IPv4" : "IPv6", max);
	return -1;
}

static int
set_pool_v4(void *obj, const char *val, char *why, size_t wlen)
{
	struct ike_pool_cfg *p = &((struct ifd_config *)obj)->core.pool;

	return pool_prefix("v4", val, AF_INET, p->v4, &p->v4_plen, &p->has_v4, why, wlen);
}

static int
set_pool_v6(void *obj, const char *val, char *why, size_t wlen)
{
	struct ike_pool_cfg *p = &((struct ifd_config *)obj)->core.pool;

	return pool_prefix("v6", val, AF_INET6, p->v6, &p->v6_plen, &p->has_v6, why, wlen);
}

/* A comma-separated list of IPv4 and IPv6 addresses, at most IKE_POOL_MAX_DNS of each. */
static int
set_pool_dns(void *obj, const char *val, char *why, size_t wlen)
{
	struct ike_pool_cfg *p = &((struct ifd_config *)obj)->core.pool;
	char item[INET6_ADDRSTRLEN + 1];
	const char *s = val;

	p->nb_dns4 = p->nb_dns6 = 0;
	while (*s != '\0') {
		size_t n;

		while (*s == ' ' || *s == ',')
			s++;
		n = strcspn(s, ", ");
		if (n == 0)
			break;
		if (n >= sizeof(item))
			goto bad;
		memcpy(item, s, n);
		item[n] = '\0';
		s += n;
		if (p->nb_dns4 < IKE_POOL_MAX_DNS && inet_pton(AF_INET, item, p->dns4[p->nb_dns4]) == 1)
			p->nb_dns4++;
		else if (p->nb_dns6 < IKE_POOL_MAX_DNS &&
			 inet_pton(AF_INET6, item, p->dns6[p->nb_dns6]) == 1)
			p->nb_dns6++;
		else
			goto bad;
	}
	return 0;
bad:
	snprintf(why, wlen,
		 "pool.dns: '%s' is not a list of IPv4/IPv6 addresses (at most %d of each)", val,
		 IKE_POOL_MAX_DNS);
	return -1;
}

/* K/N: this gateway's slice of the pools for new leases; "" = the whole pools. */
static int
set_pool_member(void *obj, const char *val, char *why, size_t wlen)
{
	struct ike_pool_cfg *p = &((struct ifd_config *)obj)->core.pool;
	unsigned k, n;
	char tail;

	p->member_k = p->member_n = 0;
	if (val[0] == '\0')
		return 0;
	if (sscanf(val, "%u/%u%c", &k, &n, &tail) != 2 || n == 0 || n > 4096 || k == 0 || k > n) {
		snprintf(why, wlen, "pool.member: '%s' is not K/N with 1 <= K <= N <= 4096", val);
		return -1;
	}
	p->member_k = (uint16_t)k;
	p->member_n = (uint16_t)n;
	return 0;
}

void
ifd_config_defaults(struct ifd_config *c)
{
	memset(c, 0, sizeof(*c));
	rt_config_defaults(&c->rt);
	/*
	 * A core SA slot takes about 2.6 KB: these capacities let two workers,
	 * with their replay filters, fit in the 1024 MB that EAL gets without
	 * hugepages.
	 */
	c->rt.sa_capacity = IFD_DEFAULT_SA_CAPACITY;
	c->rt.halfopen_capacity = IFD_DEFAULT_HALFOPEN_CAPACITY;
	rt_opts_defaults(opts, NB_OPTS, c);
	c->core.max_ike_sas = c->rt.sa_capacity;
	c->core.max_half_open = c->rt.halfopen_capacity;
	c->core.spi_shard_bits = (uint8_t)c->rt.spi_shard_bits;
	c->core.spi_slot_bits = (uint8_t)c->rt.spi_slot_bits;
	snprintf(c->source, sizeof(c->source), "<defaults>");
}

static bool
section_ours(const char *sec, size_t len)
{
	for (size_t i = 0; i < NB_OPTS; i++)
		if (strlen(opts[i].section) == len && !strncmp(opts[i].section, sec, len))
			return true;
	return false;
}

/* Name of the section a "[name]" line opens, or NULL for other lines. */
static const char *
section_header(const char *line, size_t *len)
{
	const char *e;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line != '[')
		return NULL;
	line++;
	while (*line == ' ' || *line == '\t')
		line++;
	for (e = line; *e != '\0' && *e != ']' && *e != '\n' && *e != ' ' && *e != '\t'; e++)
		;
	*len = (size_t)(e - line);
	return line;
}

/*
 * Copies text into rt_text and our_text; each keeps its own sections and
 * gets the other's lines blanked (the newlines stay). Lines before any
 * section go to the runtime's parser, which reports them.
 */
static void
split_text(const char *text, char *rt_text, char *our_text)
{
	bool ours = false;
	const char *sec;
	size_t len, n;

	while (*text != '\0') {
		n = strcspn(text, "\n");
		sec = section_header(text, &len);
		if (sec != NULL)
			ours = section_ours(sec, len);
		memcpy(ours ? our_text : rt_text, text, n);
		memset(ours ? rt_text : our_text, ' ', n);
		rt_text += n;
		our_text += n;
		text += n;
		if (*text == '\n') {
			*rt_text++ = *our_text++ = '\n';
			text++;
		}
	}
	*rt_text = *our_text = '\0';
}

/* Line of "key =" in [section] of text, 0 when absent (the default applies). */
static unsigned
key_line(const char *text, const char *section, const char *key)
{
	bool in = false;
	unsigned line = 0;
	const char *sec, *p;
	size_t len, klen = strlen(key);

	while (*text != '\0') {
		line++;
		sec = section_header(text, &len);
		if (sec != NULL) {
			in = strlen(section) == len && !strncmp(sec, section, len);
		} else if (in) {
			for (p = text; *p == ' ' || *p == '\t'; p++)
				;
			if (!strncmp(p, key, klen) && strchr(" \t=", p[klen]) != NULL)
				return line;
		}
		text += strcspn(text, "\n");
		if (*text == '\n')
			text++;
	}
	return 0;
}

/* The keys ifd_config_line() knows, in the order of ifd_config.lines. */
static const struct {
	const char *section, *key;
} line_keys[IFD_CONFIG_LINES] = {
	{"auth", "credentials"}, {"auth", "ca_file"},		{"auth", "cert_file"},
	{"auth", "key_file"},	 {"tickets", "key_file"},	{"runtime", "spi_shard_bits"},
	{"eal", "args"},	 {"auth", "strict_files"},
};

unsigned
ifd_config_line(const struct ifd_config *c, const char *section, const char *key)
{
	for (size_t i = 0; i < IFD_CONFIG_LINES; i++)
		if (!strcmp(line_keys[i].section, section) && !strcmp(line_keys[i].key, key))
			return c->lines[i];
	return 0;
}

static int
check_bind(const char *addr, int af, const char *text, const char *name, const char *key,
	   char *err, size_t errlen)
{
	uint8_t buf[16];

	if (addr[0] == '\0' || inet_pton(af, addr, buf) == 1)
		return 0;
	rt_config_fail(err, errlen, name, key_line(text, "net", key), "net.%s: '%s' is not an %s address",
		       key, addr, af == AF_INET ? "IPv4" : "IPv6");
	return -1;
}

/* net.driver names a driver; ethdev needs our addresses on the port, ESP a second port. */
static int
check_driver(const struct ifd_config *c, const char *text, const char *name, char *err,
	     size_t errlen)
{
	if (strcmp(c->rt.driver, "udp") != 0 && strcmp(c->rt.driver, "ethdev") != 0) {
		rt_config_fail(err, errlen, name, key_line(text, "net", "driver"),
			       "net.driver: '%s' is not udp or ethdev", c->rt.driver);
		return -1;
	}
	if (strcmp(c->rt.driver, "ethdev") == 0 && c->rt.nb_addrs == 0) {
		rt_config_fail(err, errlen, name, key_line(text, "net", "driver"),
			       "net.driver = ethdev needs net.address, the gateway's own "
			       "address(es) on the port (e.g. \"198.51.100.1/24\")");
		return -1;
	}
	if (c->rt.esp_lcores != 0 && c->rt.inside_port == c->rt.port_id) {
		unsigned line = key_line(text, "net", "inside_port");

		if (line == 0)
			line = key_line(text, "net", "port");
		rt_config_fail(err, errlen, name, line,
			       "net.inside_port %u is the outside port: the protected network "
			       "needs a port of its own",
			       c->rt.inside_port);
		return -1;
	}
	return 0;
}

/* The inside port: an MTU IPv6 can use (RFC 8200 5), one address per family. */
static int
check_inside(const struct ifd_config *c, const char *text, const char *name, char *err,
	     size_t errlen)
{
	if (c->rt.inside_mtu != 0 && c->rt.inside_mtu < 1280) {
		rt_config_fail(err, errlen, name, key_line(text, "net", "inside_mtu"),
			       "net.inside_mtu %u is below 1280 (IPv6's minimum; 0: net.mtu)",
			       c->rt.inside_mtu);
		return -1;
	}
	if (c->rt.inside_address6.family != 0 && c->rt.inside_address.family == 6) {
		rt_config_fail(err, errlen, name, key_line(text, "net", "inside_address6"),
			       "net.inside_address6: net.inside_address is IPv6 already (give "
			       "inside_address the IPv4 one)");
		return -1;
	}
	return 0;
}

/* The protocol core's own checks (ike_shard_init's), for one worker: the option to change. */
static int
check_core(struct ifd_config *c, const char *text, const char *name, char *err, size_t errlen)
{
	enum ike_cfg_check bad = ike_core_cfg_check(&c->core, 1);
	unsigned line = 0;

	switch (bad) {
	case IKE_CFG_OK:
		return 0;
	case IKE_CFG_SPI_SLOTS:
		line = key_line(text, "runtime", "spi_slot_bits");
		if (line == 0)
			line = key_line(text, "runtime", "sa_capacity");
		rt_config_fail(err, errlen, name, line,
			       "runtime.spi_shard_bits (%u) + spi_slot_bits (%u) leave the SPI too "
			       "few bits for its random tag, or the SA slots do not fit",
			       c->rt.spi_shard_bits, c->rt.spi_slot_bits);
		return -1;
	case IKE_CFG_REPLAY_FILTER:
		line = key_line(text, "tickets", "replay_fp");
		if (line == 0)
			line = key_line(text, "tickets", "resumes_per_s");
		if (line == 0)
			line = key_line(text, "tickets", "lifetime_s");
		rt_config_fail(err, errlen, name, line,
			       "tickets.replay_fp (%g) with resumes_per_s (%u) and lifetime_s (%u): %s; "
			       "raise replay_fp or lower the rate",
			       c->core.ticket_replay_fp, c->core.ticket_resumes_per_s,
			       c->core.ticket_lifetime_s, ike_cfg_check_name(bad));
		return -1;
	default:
		rt_config_fail(err, errlen, name, 0, "%s", ike_cfg_check_name(bad));
		return -1;
	}
}

/* A soft limit at or above its hard limit would never start a rekey. */
static int
check_life(const struct esp_life_cfg *l, const char *text, const char *name, char *err,
	   size_t errlen)
{
	static const char *const keys[][2] = {{"rekey_bytes", "life_bytes"},
					      {"rekey_packets", "life_packets"},
					      {"rekey_time_s", "life_time_s"}};
	const uint64_t v[][2] = {{l->rekey_bytes, l->life_bytes},
				 {l->rekey_packets, l->life_packets},
				 {l->rekey_time_s, l->life_time_s}};

	for (unsigned i = 0; i < 3; i++) {
		unsigned line = key_line(text, "child", keys[i][0]);

		if (v[i][0] == 0 || v[i][1] == 0 || v[i][0] < v[i][1])
			continue;
		rt_config_fail(err, errlen, name,
			       line != 0 ? line : key_line(text, "child", keys[i][1]),
			       "child.%s (%llu) must be below child.%s (%llu) (or either 0: off)",
			       keys[i][0], (unsigned long long)v[i][0], keys[i][1],
			       (unsigned long long)v[i][1]);
		return -1;
	}
	return 0;
}

/* Checks that need several options; errors name the line of the one to change. */
static int
check_whole(struct ifd_config *c, const char *text, const char *name, char *err, size_t errlen)
{
	const struct ike_core_cfg *k = &c->core;
	size_t alen = k->ts_start.family == 6 ? 16 : 4;

	if (k->ts_start.family != k->ts_end.family ||
	    memcmp(k->ts_start.ip, k->ts_end.ip, alen) > 0) {
		rt_config_fail(err, errlen, name, key_line(text, "child", "ts_end"),
		     "child.ts_end must be an address of the same family as ts_start, "
		     "not below it");
		return -1;
	}
	/* Dual stack: the IPv6 network next to an IPv4 one, both ends given. */
	if (k->ts_start6.family != k->ts_end6.family ||
	    (k->ts_start6.family == 6 && (k->ts_start.family != 4 ||
					  memcmp(k->ts_start6.ip, k->ts_end6.ip, 16) > 0))) {
		rt_config_fail(err, errlen, name,
			       key_line(text, "child",
					k->ts_end6.family == 6 ? "ts_end6" : "ts_start6"),
			       "child.ts_start6 and ts_end6 go together, not below each other, "
			       "next to an IPv4 ts_start..ts_end");
		return -1;
	}
	if (check_life(&c->child_life, text, name, err, errlen) != 0)
		return -1;
	if ((c->cert_file[0] == '\0') != (c->key_file[0] == '\0')) {
		rt_config_fail(err, errlen, name,
		     key_line(text, "auth", c->cert_file[0] ? "cert_file" : "key_file"),
		     "auth.cert_file and auth.key_file go together");
		return -1;
	}
	/* Cookies must engage with room left for the clients that return them. */
	if (k->cookie_threshold > IKE_COOKIE_THRESHOLD_MAX(c->rt.halfopen_capacity)) {
		unsigned line = key_line(text, "ike", "cookie_threshold");

		rt_config_fail(err, errlen, name,
		     line != 0 ? line : key_line(text, "runtime", "halfopen_capacity"),
		     "ike.cookie_threshold (%u) is above 3/4 of runtime.halfopen_capacity (%u): "
		     "cookies would engage too late to keep the half-open table from filling",
		     k->cookie_threshold, c->rt.halfopen_capacity);
		return -1;
	}
	/* The core's SA table holds both; each slot needs an SPI (docs/operating.md, sizing). */
	if ((uint64_t)c->rt.sa_capacity + c->rt.halfopen_capacity > 1ull << c->rt.spi_slot_bits) {
		rt_config_fail(err, errlen, name, key_line(text, "runtime", "sa_capacity"),
		     "runtime.sa_capacity + halfopen_capacity (%llu) is above the 2^%u SA slots "
		     "runtime.spi_slot_bits names",
		     (unsigned long long)c->rt.sa_capacity + c->rt.halfopen_capacity,
		     c->rt.spi_slot_bits);
		return -1;
	}
	if (check_bind(c->rt.bind_v4, AF_INET, text, name, "bind_v4", err, errlen) != 0 ||
	    check_bind(c->rt.bind_v6, AF_INET6, text, name, "bind_v6", err, errlen) != 0 ||
	    check_driver(c, text, name, err, errlen) != 0 ||
	    check_inside(c, text, name, err, errlen) != 0)
		return -1;
	return check_core(c, text, name, err, errlen);
}

int
ifd_config_parse(struct ifd_config *c, const char *text, const char *name, char *err, size_t errlen)
{
	size_t len = strlen(text) + 1;
	char *rt_text, *our_text;
	int rc = -1;

	rt_text = malloc(len);
	our_text = malloc(len);
	if (rt_text == NULL || our_text == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	split_text(text, rt_text, our_text);
	if (rt_config_parse(&c->rt, rt_text, name, err, errlen) != 0 ||
	    rt_opts_parse(opts, NB_OPTS, c, our_text, name, err, errlen) != 0)
		goto out;
	/* The runtime's capacity options size the protocol's SA tables. */
	c->core.max_ike_sas = c->rt.sa_capacity;
	c->core.max_half_open = c->rt.halfopen_capacity;
	/* The core issues SPIs in the layout the runtime routes by. */
	c->core.spi_shard_bits = (uint8_t)c->rt.spi_shard_bits;
	c->core.spi_slot_bits = (uint8_t)c->rt.spi_slot_bits;
	snprintf(c->source, sizeof(c->source), "%s", name);
	for (size_t i = 0; i < IFD_CONFIG_LINES; i++)
		c->lines[i] = key_line(text, line_keys[i].section, line_keys[i].key);
	rc = check_whole(c, text, name, err, errlen);
out:
	free(rt_text);
	free(our_text);
	return rc;
}

/* The options that hold file paths (PATH_MAX fields). */
static const struct {
	const char *section, *key;
	size_t offset;
} path_opts[] = {
	{"auth", "credentials", offsetof(struct ifd_config, credentials)},
	{"auth", "ca_file", offsetof(struct ifd_config, ca_file)},
	{"auth", "cert_file", offsetof(struct ifd_config, cert_file)},
	{"auth", "key_file", offsetof(struct ifd_config, key_file)},
	{"tickets", "key_file", offsetof(struct ifd_config, ticket_key_file)},
};

/* Prefixes a relative path v (PATH_MAX) with the folder of the config file. */
static int
resolve_path(char *v, const char *config_path)
{
	const char *slash = strrchr(config_path, '/');
	char joined[PATH_MAX];

	if (v[0] == '\0' || v[0] == '/' || slash == NULL)
		return 0;
	if ((size_t)snprintf(joined, sizeof(joined), "%.*s/%s", (int)(slash - config_path),
			     config_path, v) >= sizeof(joined))
		return -1;
	memcpy(v, joined, sizeof(joined));
	return 0;
}

int
ifd_config_load(struct ifd_config *c, const char *path, char *err, size_t errlen)
{
	char *text = rt_config_read(path, err, errlen);
	int rc = -1;

	if (text == NULL)
		return -1;
	if (ifd_config_parse(c, text, path, err, errlen) != 0)
		goto out;
	/* Relative paths are relative to the config file's folder. */
	for (size_t i = 0; i < sizeof(path_opts) / sizeof(path_opts[0]); i++) {
		char *v = (char *)c + path_opts[i].offset;

		if (resolve_path(v, path) != 0) {
			rt_config_fail(err, errlen, path,
				       key_line(text, path_opts[i].section, path_opts[i].key),
				       "%s.%s: path too long", path_opts[i].section,
				       path_opts[i].key);
			goto out;
		}
	}
	rc = 0;
out:
	free(text);
	return rc;
}
