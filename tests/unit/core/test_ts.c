/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Traffic selector narrowing (lib/core/ike_ts.c, RFC 7296 2.9): the first
 * proposed selector of our family that overlaps [ts_start, ts_end] is
 * narrowed to the overlap; for TSi the overlap's end is lowered further to
 * the largest prefix starting at its start, which the ESP data path can
 * route and check. Every answer must stay a subset of what was proposed.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ike_core_priv.h"

struct ts_case {
	const char *cfg_start, *cfg_end; /* our range */
	const char *in_start, *in_end;	 /* the initiator's first selector */
	bool ok;
	const char *tsr_start, *tsr_end; /* ike_ts_narrow */
	const char *tsi_start, *tsi_end; /* ike_tsi_narrow */
};

static const struct ts_case cases[] = {
	/* A prefix inside our range is kept as it is. */
	{ "10.0.0.0", "10.255.255.255", "10.1.2.0", "10.1.2.255", true, "10.1.2.0", "10.1.2.255",
	  "10.1.2.0", "10.1.2.255" },
	/* One address. */
	{ "0.0.0.0", "255.255.255.255", "192.0.2.7", "192.0.2.7", true, "192.0.2.7", "192.0.2.7",
	  "192.0.2.7", "192.0.2.7" },
	/* Not a prefix: TSi keeps the largest prefix from the start (.0/24 of .0-.1.127). */
	{ "0.0.0.0", "255.255.255.255", "10.0.0.0", "10.0.1.127", true, "10.0.0.0", "10.0.1.127",
	  "10.0.0.0", "10.0.0.255" },
	/* An odd start can only be a /32. */
	{ "0.0.0.0", "255.255.255.255", "10.0.0.5", "10.0.0.20", true, "10.0.0.5", "10.0.0.20",
	  "10.0.0.5", "10.0.0.5" },
	/* .4-.20: .4/30 (.4-.7); .8/29 would be larger but does not start at the start. */
	{ "0.0.0.0", "255.255.255.255", "10.0.0.4", "10.0.0.20", true, "10.0.0.4", "10.0.0.20",
	  "10.0.0.4", "10.0.0.7" },
	/* Our range cuts the proposal: 10.0.0.0-10.0.0.99 -> /26. */
	{ "10.0.0.0", "10.0.0.99", "0.0.0.0", "255.255.255.255", true, "10.0.0.0", "10.0.0.99",
	  "10.0.0.0", "10.0.0.63" },
	/* Everything stays everything. */
	{ "0.0.0.0", "255.255.255.255", "0.0.0.0", "255.255.255.255", true, "0.0.0.0",
	  "255.255.255.255", "0.0.0.0", "255.255.255.255" },
	/* No overlap. */
	{ "10.0.0.0", "10.255.255.255", "192.0.2.0", "192.0.2.255", false, NULL, NULL, NULL, NULL },
	/* IPv6: fd00::4 - fd00::ff -> fd00::4/126. */
	{ "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fd00::4", "fd00::ff", true, "fd00::4",
	  "fd00::ff", "fd00::4", "fd00::7" },
	/* IPv6 prefix across octets: fd00::100 - fd00::1ff is a /120. */
	{ "fd00::", "fd00::ffff", "fd00::100", "fd00::2ff", true, "fd00::100", "fd00::2ff",
	  "fd00::100", "fd00::1ff" },
};

static size_t
addr(const char *s, uint8_t *out)
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
	return 16;
}

static void
set_cfg(struct ike_core_cfg *cfg, const struct ts_case *c)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ts_start.family = addr(c->cfg_start, cfg->ts_start.ip) == 4 ? 4 : 6;
	cfg->ts_end.family = addr(c->cfg_end, cfg->ts_end.ip) == 4 ? 4 : 6;
}

static void
assert_range(const struct ike_pld_ts *out, const struct ike_ts *in, const char *start,
	     const char *end)
{
	uint8_t a[16], b[16];
	size_t n = addr(start, a);

	addr(end, b);
	assert_int_equal(out->n_ts, 1);
	assert_int_equal(out->ts[0].addr_len, n);
	assert_int_equal(out->ts[0].type, in->type);
	assert_int_equal(out->ts[0].ip_proto, in->ip_proto);
	assert_int_equal(out->ts[0].start_port, in->start_port);
	assert_int_equal(out->ts[0].end_port, in->end_port);
	assert_memory_equal(out->ts[0].start_addr, a, n);
	assert_memory_equal(out->ts[0].end_addr, b, n);
	/* A subset of the proposal (big-endian addresses compare as octet strings). */
	assert_true(memcmp(out->ts[0].start_addr, in->start_addr, n) >= 0);
	assert_true(memcmp(out->ts[0].end_addr, in->end_addr, n) <= 0);
}

/*
 * Dual stack ([child] ts_start6..ts_end6 next to an IPv4 range): a selector
 * of each family narrowed to its own range, IPv4 first; TSi each to a
 * prefix. Without the IPv6 range, only the IPv4 selector.
 */
static void
test_narrow_dual(void **state)
{
	uint8_t lo4[16], hi4[16], lo6[16], hi6[16], buf[4][16], a[16];
	struct ike_pld_ts in = {.n_ts = 2}, out;
	struct ike_core_cfg cfg;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ts_start.family = cfg.ts_end.family = 4;
	addr("10.99.0.0", cfg.ts_start.ip);
	addr("10.99.0.255", cfg.ts_end.ip);
	addr("0.0.0.0", lo4);
	addr("255.255.255.255", hi4);
	addr("::", lo6);
	addr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", hi6);
	in.ts[0] = (struct ike_ts){.type = IKE_TS_IPV6_ADDR_RANGE, .end_port = 65535,
				   .addr_len = 16, .start_addr = lo6, .end_addr = hi6};
	in.ts[1] = (struct ike_ts){.type = IKE_TS_IPV4_ADDR_RANGE, .end_port = 65535,
				   .addr_len = 4, .start_addr = lo4, .end_addr = hi4};
	assert_true(ike_ts_narrow(&cfg, &in, &out, buf));
	assert_int_equal(out.n_ts, 1);
	assert_int_equal(out.ts[0].addr_len, 4);
	cfg.ts_start6.family = cfg.ts_end6.family = 6;
	addr("fd99::", cfg.ts_start6.ip);
	addr("fd99::ffff:ffff:ffff:ffff", cfg.ts_end6.ip);
	assert_true(ike_ts_narrow(&cfg, &in, &out, buf));
	assert_int_equal(out.n_ts, 2);
	assert_int_equal(out.ts[0].addr_len, 4);
	assert_memory_equal(out.ts[0].start_addr, cfg.ts_start.ip, 4);
	assert_memory_equal(out.ts[0].end_addr, cfg.ts_end.ip, 4);
	assert_int_equal(out.ts[1].addr_len, 16);
	assert_memory_equal(out.ts[1].start_addr, cfg.ts_start6.ip, 16);
	assert_memory_equal(out.ts[1].end_addr, cfg.ts_end6.ip, 16);
	/* TSi: fd99::3-fd99::20 becomes fd99::3/128 (the largest prefix from its start). */
	addr("fd99::3", lo6);
	addr("fd99::20", hi6);
	assert_true(ike_tsi_narrow(&cfg, &in, &out, buf));
	assert_int_equal(out.n_ts, 2);
	assert_memory_equal(out.ts[1].start_addr, lo6, 16);
	assert_memory_equal(out.ts[1].end_addr, lo6, 16);
	addr("10.99.0.255", a);
	assert_memory_equal(out.ts[0].end_addr, a, 4);
	/* Only the IPv6 selector proposed: it alone. */
	in.n_ts = 1;
	assert_true(ike_ts_narrow(&cfg, &in, &out, buf));
	assert_int_equal(out.n_ts, 1);
	assert_int_equal(out.ts[0].addr_len, 16);
}

static void
test_narrow(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ts_case *c = &cases[i];
		struct ike_core_cfg cfg;
		uint8_t lo[16], hi[16], buf[4][16];
		struct ike_pld_ts in = { .n_ts = 2 }, out;
		size_t n = addr(c->in_start, lo);

		addr(c->in_end, hi);
		set_cfg(&cfg, c);
		/* A selector of the other family first: skipped. */
		in.ts[0] = (struct ike_ts){ .type = n == 4 ? IKE_TS_IPV6_ADDR_RANGE
							  : IKE_TS_IPV4_ADDR_RANGE,
					    .addr_len = n == 4 ? 16 : 4,
					    .start_addr = lo,
					    .end_addr = hi };
		in.ts[1] = (struct ike_ts){ .type = n == 4 ? IKE_TS_IPV4_ADDR_RANGE
							  : IKE_TS_IPV6_ADDR_RANGE,
					    .ip_proto = 17,
					    .start_port = 500,
					    .end_port = 4500,
					    .addr_len = (uint8_t)n,
					    .start_addr = lo,
					    .end_addr = hi };
		print_message("case %zu: %s-%s in %s-%s\n", i, c->in_start, c->in_end, c->cfg_start,
			      c->cfg_end);
		assert_int_equal(ike_ts_narrow(&cfg, &in, &out, buf), c->ok);
		if (c->ok)
			assert_range(&out, &in.ts[1], c->tsr_start, c->tsr_end);
		assert_int_equal(ike_tsi_narrow(&cfg, &in, &out, buf), c->ok);
		if (c->ok)
			assert_range(&out, &in.ts[1], c->tsi_start, c->tsi_end);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_narrow),
		cmocka_unit_test(test_narrow_dual),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
