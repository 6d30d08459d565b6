/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/esp without crypto: the anti-replay window at its edges, ESN
 * inference across the 2^32 boundary (RFC 4303 A2), the inbound SPI layout,
 * lifetime events and the outer-header parse of every kind of input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "esp_handoff.h"
#include "esp_pkt.h"
#include "esp_replay.h"
#include "esp_spi.h"

#define W ESP_REPLAY_WINDOW

/* check then update, as the data path does for an authenticated packet */
static bool
accept(struct esp_replay *w, uint32_t lo, bool esn, uint64_t *seq)
{
	uint64_t s;

	if (!esp_replay_check(w, lo, esn, &s))
		return false;
	if (seq != NULL)
		*seq = s;
	return esp_replay_update(w, s);
}

static void
test_window_edges(void **state)
{
	struct esp_replay w;
	uint64_t s;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_false(esp_replay_check(&w, 0, false, &s)); /* 0 is never sent */
	assert_true(accept(&w, 1, false, NULL));
	assert_false(accept(&w, 1, false, NULL)); /* replay */
	assert_true(accept(&w, 5000, false, NULL));
	/* Right edge - (W - 1) is the oldest the window holds; one more left is out. */
	assert_true(accept(&w, 5000 - (W - 1), false, NULL));
	assert_false(esp_replay_check(&w, 5000 - W, false, &s));
	assert_false(accept(&w, 5000 - (W - 1), false, NULL));
	/* Every number inside the window, in reverse order, once. */
	for (uint32_t i = 5000 - 1; i > 5000 - (W - 1); i--)
		assert_true(accept(&w, i, false, NULL));
	for (uint32_t i = 5000; i >= 5000 - (W - 1); i--)
		assert_false(esp_replay_check(&w, i, false, &s));
	/* Moving by exactly one word and by more than the window. */
	assert_true(accept(&w, 5064, false, NULL));
	assert_false(esp_replay_check(&w, 5000, false, &s));
	assert_true(accept(&w, 5064 + 3 * W, false, NULL));
	assert_true(accept(&w, 5064 + 2 * W + 1, false, NULL));
	assert_false(esp_replay_check(&w, 5064 + 2 * W, false, &s));
	/* A duplicate in one burst: both pass check, the second update fails. */
	assert_true(esp_replay_check(&w, 5064 + 3 * W - 7, false, &s));
	assert_true(esp_replay_update(&w, s));
	assert_false(esp_replay_update(&w, s));
}

static void
test_window_random_order(void **state)
{
	struct esp_replay w;
	uint64_t seen[4 * W / 64 + 2] = {0};
	uint64_t x = 88172645463325252ull, s;

	(void)state;
	memset(&w, 0, sizeof(w));
	/* Numbers 1..4W arriving reordered by up to W/2: each accepted exactly once. */
	for (uint32_t base = 1; base <= 4 * W; base += W / 2) {
		for (uint32_t k = 0; k < W; k++) {
			uint32_t seq;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			seq = base + (uint32_t)(x % (W / 2));
			bool fresh = !(seen[seq / 64] >> (seq % 64) & 1);
			bool ok = esp_replay_check(&w, seq, false, &s) && esp_replay_update(&w, s);

			assert_int_equal(ok, fresh && w.top - seq < W);
			if (ok)
				seen[seq / 64] |= 1ull << (seq % 64);
		}
	}
}

static void
test_esn_wrap(void **state)
{
	struct esp_replay w;
	uint64_t s;

	(void)state;
	memset(&w, 0, sizeof(w));
	/* Near the start (case B, nothing below 1) a number just under 2^32 is refused. */
	assert_true(accept(&w, W / 2, true, &s));
	assert_false(esp_replay_check(&w, UINT32_MAX - 2, true, &s));
	/* Case A: the same number is far right of the window, in subspace 0. */
	assert_true(accept(&w, 2000, true, &s));
	assert_true(accept(&w, UINT32_MAX - 2, true, &s));
	assert_int_equal(s, (uint64_t)UINT32_MAX - 2);
	assert_true(accept(&w, 0, true, &s)); /* case A, right of the window: next subspace */
	assert_int_equal(s, 1ull << 32);
	assert_true(accept(&w, 3, true, &s));
	assert_int_equal(s, (1ull << 32) + 3);
	/* Case B: a late packet from below the boundary still maps to the old subspace. */
	assert_true(accept(&w, UINT32_MAX, true, &s));
	assert_int_equal(s, (uint64_t)UINT32_MAX);
	assert_false(accept(&w, UINT32_MAX - 2, true, NULL)); /* seen before the wrap */
	assert_true(accept(&w, UINT32_MAX - 1, true, &s));
	/* Case B, left of the window: maps to the new subspace, far right, accepted. */
	assert_true(esp_replay_check(&w, UINT32_MAX - (W + 10), true, &s));
	assert_int_equal(s, (1ull << 32) + UINT32_MAX - (W + 10));
	/* Without ESN the same low numbers are just numbers. */
	memset(&w, 0, sizeof(w));
	assert_true(accept(&w, UINT32_MAX, false, &s));
	assert_int_equal(s, (uint64_t)UINT32_MAX);
	assert_false(esp_replay_check(&w, 0, false, &s));
	assert_false(esp_replay_check(&w, 3, false, &s));
}

static void
test_spi_layout(void **state)
{
	struct esp_spi_layout l;
	uint32_t spi;

	(void)state;
	assert_false(esp_spi_layout_init(&l, 0, 16));
	assert_false(esp_spi_layout_init(&l, 8, 16)); /* 8 tag bits < 9 */
	assert_true(esp_spi_layout_init(&l, 4, 16));
	assert_int_equal(l.tag_bits, 12);
	spi = esp_spi_compose(&l, 9, 0xbeef, 0xabc);
	assert_int_equal(esp_spi_lcore(&l, spi), 9);
	assert_int_equal(esp_spi_slot(&l, spi), 0xbeef);
	/* lcore 0, slot 0, a small tag: lifted out of the reserved range. */
	spi = esp_spi_compose(&l, 0, 0, 7);
	assert_true(spi >= 256);
	assert_int_equal(esp_spi_lcore(&l, spi), 0);
	assert_int_equal(esp_spi_slot(&l, spi), 0);
	spi = esp_spi_compose(&l, 15, 0xffff, 0xfff);
	assert_int_equal(spi, UINT32_MAX);
}

static unsigned
count(struct esp_sa *sa, uint32_t len)
{
	return esp_sa_account(&sa->life, ++sa->in.packets, &sa->in.bytes, &sa->ev, 0, len);
}

static void
test_lifetime_events(void **state)
{
	struct esp_sa sa;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.life.soft_packets = esp_limit_code(3);
	sa.life.hard_bytes = esp_limit_code(1000);
	assert_int_equal(count(&sa, 100), 0);
	assert_int_equal(count(&sa, 100), 0);
	assert_int_equal(count(&sa, 100), ESP_EV_SOFT);
	assert_int_equal(count(&sa, 100), 0); /* raised once */
	assert_int_equal(count(&sa, 600), ESP_EV_HARD);
	assert_int_equal(sa.in.packets, 5);
	assert_int_equal(sa.in.bytes, 1000);
	/* Each direction counts against the shared limits; outbound packets are seq. */
	sa.out.seq = 1;
	assert_int_equal(
		esp_sa_account(&sa.life, sa.out.seq, &sa.out.bytes, &sa.ev, ESP_EV_OUT_SHIFT, 100),
		0);
	sa.out.seq = 3;
	assert_int_equal(
		esp_sa_account(&sa.life, sa.out.seq, &sa.out.bytes, &sa.ev, ESP_EV_OUT_SHIFT, 100),
		ESP_EV_SOFT);
	assert_int_equal(sa.ev, (ESP_EV_SOFT | ESP_EV_HARD) | ESP_EV_SOFT << ESP_EV_OUT_SHIFT);
}

/* The per-packet size accessors say what esp_alg_desc says, for every transform and key. */
static void
test_alg_sizes(void **state)
{
	struct esp_alg_desc d;
	struct esp_sa sa;

	(void)state;
	for (unsigned alg = 0; alg < ESP_NB_ALGS; alg++)
		for (unsigned k = 16; k <= 32; k += 8) {
			memset(&sa, 0, sizeof(sa));
			assert_true(esp_alg_desc((enum esp_alg)alg, k, &d));
			assert_true(esp_sa_set_alg(&sa, (enum esp_alg)alg, k));
			assert_int_equal(esp_sa_iv_len(&sa), d.iv_len);
			assert_int_equal(esp_sa_icv_len(&sa), d.icv_len);
			assert_int_equal(esp_sa_align(&sa), d.align);
			assert_int_equal(esp_sa_enc_key_len(&sa), k);
		}
	assert_false(esp_alg_desc(ESP_NB_ALGS, 32, &d));
}

/* Limit codes: exact to 2^26, then rounded down by less than 2^-25; soft below hard. */
static void
test_limit_codes(void **state)
{
	static const uint64_t v[] = {0,		 1,	      1000,	  (1u << 26) - 1, 1u << 26,
				     1000000007, 4000000000u, 1ull << 40, UINT64_MAX};
	struct esp_life life = {.soft_bytes = (1ull << 40) + 5, .hard_bytes = (1ull << 40) + 6};
	struct esp_limits lim;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint64_t got = esp_limit_value(esp_limit_code(v[i]));

		assert_true(got <= v[i]);
		assert_true(v[i] - got <= v[i] >> 25);
		if (v[i] < 1u << 26)
			assert_int_equal(got, v[i]);
		if (i > 0)
			assert_true(esp_limit_code(v[i]) > esp_limit_code(v[i - 1]));
	}
	esp_limits_of(&life, &lim);
	assert_true(lim.soft_bytes < lim.hard_bytes);
	assert_true(esp_limit_value(lim.hard_bytes) <= life.hard_bytes);
	assert_int_equal(lim.soft_packets, 0);
	assert_int_equal(lim.hard_packets, 0);
}

/* A selector range becomes its prefix; a range that is no prefix, its start address. */
static void
test_selector_prefix(void **state)
{
	struct esp_range r = {.v6 = 0};
	struct esp_sa sa;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	memcpy(r.start, "\x0a\x62\x00\x00", 4);
	memcpy(r.end, "\x0a\x62\x01\xff", 4);
	sa.ts_len = esp_range_prefix(&r, sa.ts);
	assert_int_equal(sa.ts_len, 23);
	assert_true(esp_sa_ts_has(&sa, false, (const uint8_t *)"\x0a\x62\x01\x07"));
	assert_false(esp_sa_ts_has(&sa, false, (const uint8_t *)"\x0a\x62\x02\x00"));
	assert_false(esp_sa_ts_has(&sa, true, (const uint8_t *)"\x0a\x62\x01\x07"));
	memcpy(r.end, "\x0a\x62\x00\x05", 4);
	sa.ts_len = esp_range_prefix(&r, sa.ts);
	assert_int_equal(sa.ts_len, 32);
	assert_true(esp_sa_ts_has(&sa, false, r.start));
	assert_false(esp_sa_ts_has(&sa, false, (const uint8_t *)"\x0a\x62\x00\x01"));
	r.v6 = 1;
	memset(r.start, 0, 16);
	memset(r.end, 0xff, 16);
	r.start[0] = r.end[0] = 0x20;
	sa.flags = ESP_SA_TS_V6;
	sa.ts_len = esp_range_prefix(&r, sa.ts);
	assert_int_equal(sa.ts_len, 8);
	assert_true(esp_sa_ts_has(&sa, true, r.end));
	assert_false(
		esp_sa_ts_has(&sa, true, (const uint8_t *)"\x21\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1"));
}

/*
 * A dual-stack install (ESP_SA_TS_BOTH, either family first): the SA holds
 * the IPv6 selector in ts and the IPv4 one in ts4, and each address is
 * checked against the selector of its own family. Two selectors of one
 * family are refused.
 */
static void
test_selector_dual(void **state)
{
	static const uint8_t v4a[4] = {10, 98, 0, 2}, v6a[16] = {0xfd, 0x98, [15] = 2};
	struct esp_handoff h;
	struct esp_sa sa;
	uint8_t len, other[16];

	(void)state;
	for (int v6_first = 0; v6_first < 2; v6_first++) {
		struct esp_range *r4 = v6_first ? &h.ts_remote2 : &h.ts_remote;
		struct esp_range *r6 = v6_first ? &h.ts_remote : &h.ts_remote2;

		memset(&h, 0, sizeof(h));
		h.op = ESP_HO_INSTALL;
		h.alg = ESP_ALG_AES_GCM_16;
		h.enc_key_len = 16;
		h.spi_in = h.spi_out = 0x1000;
		h.flags = ESP_SA_TS_BOTH;
		memcpy(r4->start, v4a, 4);
		memcpy(r4->end, v4a, 4);
		r6->v6 = 1;
		memcpy(r6->start, v6a, 16);
		memcpy(r6->end, v6a, 16);
		assert_true(esp_handoff_sa(&h, &sa));
		assert_int_equal(sa.flags & (ESP_SA_TS_BOTH | ESP_SA_TS_V6),
				 ESP_SA_TS_BOTH | ESP_SA_TS_V6);
		assert_memory_equal(esp_sa_ts_of(&sa, false, &len), v4a, 4);
		assert_int_equal(len, 32);
		assert_memory_equal(esp_sa_ts_of(&sa, true, &len), v6a, 16);
		assert_int_equal(len, 128);
		assert_true(esp_sa_ts_has(&sa, false, v4a));
		assert_true(esp_sa_ts_has(&sa, true, v6a));
		memcpy(other, v6a, 16);
		other[15] = 3;
		assert_false(esp_sa_ts_has(&sa, true, other));
		assert_false(esp_sa_ts_has(&sa, false, (const uint8_t *)"\x0a\x62\x00\x03"));
		/* Each family's address against its own selector only. */
		assert_false(esp_sa_ts_has(&sa, false, v6a));
		memset(other, 0, 16);
		memcpy(other, v4a, 4);
		assert_false(esp_sa_ts_has(&sa, true, other));
		/* Without the flag, the second range is not looked at. */
		h.flags = 0;
		assert_true(esp_handoff_sa(&h, &sa));
		assert_null(esp_sa_ts_of(&sa, !v6_first, &len));
		assert_false(esp_sa_ts_has(&sa, !v6_first, v6_first ? v4a : v6a));
	}
	h.flags = ESP_SA_TS_BOTH;
	h.ts_remote2.v6 = h.ts_remote.v6;
	assert_false(esp_handoff_sa(&h, &sa));
}

static size_t
v4(uint8_t *p, uint8_t proto, const uint8_t *payload, size_t len)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)((20 + len) >> 8);
	p[3] = (uint8_t)(20 + len);
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 20, payload, len);
	return 20 + len;
}

static void
test_parse(void **state)
{
	uint8_t pkt[256], l4[64] = {0};
	struct esp_in_hdr h;
	size_t n;

	(void)state;
	/* Plain ESP */
	memcpy(l4, "\x12\x34\x56\x78\0\0\0\1", 8);
	n = v4(pkt, 50, l4, 40);
	assert_int_equal(esp_in_parse(pkt, (uint32_t)n, &h), ESP_OK);
	assert_int_equal(h.spi, 0x12345678);
	assert_int_equal(h.esp_off, 20);
	assert_int_equal(h.esp_len, 40);
	assert_false(h.udp);
	/* Trailing octets beyond the IP total length (Ethernet padding) are ignored. */
	assert_int_equal(esp_in_parse(pkt, (uint32_t)n + 6, &h), ESP_OK);
	assert_int_equal(h.esp_len, 40);
	/* Truncated below its total length, and shorter than an ESP header. */
	assert_int_equal(esp_in_parse(pkt, (uint32_t)n - 1, &h), ESP_E_TRUNCATED);
	n = v4(pkt, 50, l4, 7);
	assert_int_equal(esp_in_parse(pkt, (uint32_t)n, &h), ESP_E_TRUNCATED);
	/* Fragments and other protocols */
	n = v4(pkt, 50, l4, 40);
	pkt[6] = 0x20; /* MF */
	assert_int_equal(esp_in_parse(pkt, (uint32_t)n, &h), ESP_E_OUTER);
	n = v4(pkt, 6, l4, 40);
	assert_int_equal(esp_in_parse(pkt, (uint32_t)n, &h), ESP_E_OUTER);
	pkt[0] = 0x55;
	assert_int_equal(esp_in_parse(pkt, (uint32_t)n, &h), ESP_E_OUTER);
	/* UDP 4500: ESP, IKE behind the non-ESP marker, NAT-keepalive, wrong port */
	memcpy(l4, "\x11\x94\x11\x94\x00\x30\x00\x00\x12\x34\x56\x78\0\0\0\1", 16);
	n = v4(pkt, 17, l4, 48);
	assert_int_equal(esp_in_parse(pkt, (uint32_t)n, &h), ESP_OK);
	assert_true(h.udp);
	assert_int_equal(h.esp_off, 28);
	assert_int_equal(h.esp_len, 40);
	assert_int_equal(h.sport, 4500);
	memcpy(l4 + 8, "\0\0\0\0", 4);
	assert_int_equal(esp_in_parse(pkt, (uint32_t)v4(pkt, 17, l4, 48), &h), ESP_E_NOT_ESP);
	memcpy(l4, "\x11\x94\x11\x94\x00\x09\x00\x00\xff", 9);
	assert_int_equal(esp_in_parse(pkt, (uint32_t)v4(pkt, 17, l4, 9), &h), ESP_E_KEEPALIVE);
	memcpy(l4, "\x01\xf4\x01\xf4\x00\x30\x00\x00", 8); /* 500 -> 500 */
	assert_int_equal(esp_in_parse(pkt, (uint32_t)v4(pkt, 17, l4, 48), &h), ESP_E_OUTER);
	memcpy(l4, "\x11\x94\x11\x94\x00\x40\x00\x00", 8); /* UDP length beyond IP */
	assert_int_equal(esp_in_parse(pkt, (uint32_t)v4(pkt, 17, l4, 48), &h), ESP_E_TRUNCATED);
	/* IPv6 */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x60;
	pkt[5] = 40;
	pkt[6] = 50;
	pkt[40] = 0xaa;
	assert_int_equal(esp_in_parse(pkt, 80, &h), ESP_OK);
	assert_true(h.v6);
	assert_int_equal(h.esp_off, 40);
	assert_int_equal(h.spi >> 24, 0xaa);
	assert_int_equal(esp_in_parse(pkt, 79, &h), ESP_E_TRUNCATED);
	assert_int_equal(esp_in_parse(pkt, 0, &h), ESP_E_TRUNCATED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_edges),	cmocka_unit_test(test_window_random_order),
		cmocka_unit_test(test_esn_wrap),	cmocka_unit_test(test_spi_layout),
		cmocka_unit_test(test_lifetime_events), cmocka_unit_test(test_limit_codes),
		cmocka_unit_test(test_alg_sizes),	cmocka_unit_test(test_selector_prefix),
		cmocka_unit_test(test_selector_dual),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
