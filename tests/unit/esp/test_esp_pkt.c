/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/esp packets through the ipsec-mb ESP burst: every way an inbound
 * packet is refused (bad ICV, bad padding, next header, truncated, bad
 * alignment, selector, replay, expired), outbound sequence exhaustion, and
 * a mixed burst of SAs, algorithms and sizes round-tripped in one call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "esp_test_util.h"

static struct cry_ipsecmb *drv;

static const enum esp_alg algs[] = {
	ESP_ALG_AES_GCM_16,
	ESP_ALG_AES_CBC_HMAC_SHA256_128,
	ESP_ALG_AES_CBC_HMAC_SHA384_192,
	ESP_ALG_AES_CBC_HMAC_SHA512_256,
};

static const uint8_t keymat[ESP_MAX_KEYMAT] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
static const uint8_t iv[16] = {0xa5, 0x5a, 3};

static int
setup(void **state)
{
	(void)state;
	drv = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	return drv == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	cry_ipsecmb_destroy(drv);
	return 0;
}

/* An IPv4 packet of len octets from 10.98.0.2 to 10.99.0.2. */
static void
inner_v4(uint8_t *p, uint32_t len, uint8_t fill)
{
	memset(p, fill, len);
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, "\x0a\x62\x00\x02\x0a\x63\x00\x02", 8);
}

static void
pair(struct t_sa *out, struct t_sa *in, enum esp_alg alg, unsigned flags)
{
	t_sa_init(drv, out, false, alg, 32, keymat, 0x4242, flags);
	t_sa_init(drv, in, true, alg, 32, keymat, 0x4242, flags);
	memcpy(out->local, "\xc0\x00\x02\x01", 4);
	memcpy(out->sa.remote, "\xc6\x33\x64\x0a", 4);
	out->sa.lport = 4500;
	out->sa.rport = 4500;
}

/*
 * Builds a packet whose plaintext trailer was changed by edit before the
 * crypto ran: authentic, so only the checks after the ICV see it.
 */
static uint32_t
authentic_bad(struct t_sa *out, uint8_t *buf, uint32_t inner_len,
	      void (*edit)(uint8_t *payload, uint32_t payload_len))
{
	uint8_t *outer;
	uint32_t outer_len;
	struct esp_job j;
	unsigned ev;

	inner_v4(buf + T_HEADROOM, inner_len, 0x77);
	assert_int_equal(esp_out_prepare(&out->sa, out->local, &out->keys, buf + T_HEADROOM, inner_len,
					 T_HEADROOM, 256, iv, &j, &outer, &outer_len),
			 ESP_OK);
	edit(j.esp + ESP_HDR_LEN + esp_sa_iv_len(&out->sa), j.payload_len);
	assert_int_equal(cry_ipsecmb_esp_burst(drv, &j, 1), 1);
	assert_int_equal(esp_out_finish(&out->sa, &j, &ev), ESP_OK);
	memmove(buf, outer, outer_len);
	return outer_len;
}

static void
edit_pad_byte(uint8_t *p, uint32_t n)
{
	p[n - 3] ^= 0x40; /* the last pad octet (there is padding for the lengths used) */
}

static void
edit_pad_len(uint8_t *p, uint32_t n)
{
	p[n - 2] = (uint8_t)(n - 1); /* longer than the payload */
}

static void
edit_next_header(uint8_t *p, uint32_t n)
{
	p[n - 1] = 17;
}

static void
edit_dummy(uint8_t *p, uint32_t n)
{
	p[n - 1] = ESP_NH_NONE;
}

static void
edit_inner_len(uint8_t *p, uint32_t n)
{
	p[2] = (uint8_t)((n + 100) >> 8); /* the inner header claims more than there is */
	p[3] = (uint8_t)(n + 100);
}

static void
edit_inner_src(uint8_t *p, uint32_t n)
{
	(void)n;
	p[12] = 11; /* 11.98.0.2: outside the SA's selector */
}

static void
test_authentic_but_bad(void **state)
{
	static const struct {
		void (*edit)(uint8_t *, uint32_t);
		enum esp_status want;
	} cases[] = {
		{edit_pad_byte, ESP_E_PAD},	    {edit_pad_len, ESP_E_PAD},
		{edit_next_header, ESP_E_NEXT_HDR}, {edit_dummy, ESP_E_DUMMY},
		{edit_inner_len, ESP_E_INNER},	    {edit_inner_src, ESP_E_SELECTOR},
	};
	uint8_t buf[T_BUF] __attribute__((aligned(64))), *inner;
	uint32_t len, inner_len;
	struct t_sa out, in;

	(void)state;
	for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		pair(&out, &in, algs[a], 0);
		memcpy(in.sa.ts, "\x0a\x62\x00\x00", 4);
		in.sa.ts_len = 24;
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			/* 41 octets: 1 pad octet with GCM (align 4), 13 with CBC. */
			len = authentic_bad(&out, buf, 41, cases[i].edit);
			assert_int_equal(t_decap(drv, &in, buf, len, &inner, &inner_len),
					 cases[i].want);
		}
		/* Authentic packets move the window even when their content is refused. */
		assert_int_equal(in.sa.in.rw.top, sizeof(cases) / sizeof(cases[0]));
		assert_int_equal(in.sa.in.dummy, 1);
		assert_int_equal(in.sa.in.selector, 1);
		assert_int_equal(in.sa.in.bad, 4);
		assert_int_equal(in.sa.in.packets, 0);
		assert_int_equal(in.sa.in.auth, 0);
	}
}

static void
test_bad_icv_and_lengths(void **state)
{
	uint8_t buf[T_BUF] __attribute__((aligned(64))), inner_pkt[200], *outer, *inner;
	uint8_t copy[T_BUF];
	uint32_t outer_len, inner_len, hdr;
	struct t_sa out, in;

	(void)state;
	for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		for (unsigned esn = 0; esn < 2; esn++) {
			pair(&out, &in, algs[a], esn ? ESP_SA_ESN : 0);
			inner_v4(inner_pkt, 100, 0x31);
			assert_int_equal(
				t_encap(drv, &out, buf, inner_pkt, 100, iv, &outer, &outer_len),
				ESP_OK);
			memcpy(copy, outer, outer_len);
			hdr = 20;
			/* Every octet after the SPI flipped (sequence number too): ICV mismatch. */
			for (uint32_t off = hdr + 4; off < outer_len; off += 7) {
				memcpy(buf, copy, outer_len);
				buf[off] ^= 0x01;
				assert_int_equal(
					t_decap(drv, &in, buf, outer_len, &inner, &inner_len),
					ESP_E_AUTH);
			}
			assert_int_equal(in.sa.in.rw.top, 0);
			assert_int_equal(in.sa.in.packets, 0);
			/* Truncated: too short for the fixed fields, then not block aligned. */
			memcpy(buf, copy, outer_len);
			buf[3] = (uint8_t)(hdr + ESP_HDR_LEN + esp_sa_iv_len(&in.sa) + esp_sa_icv_len(&in.sa));
			buf[2] = 0;
			buf[10] = buf[11] = 0;
			assert_int_equal(t_decap(drv, &in, buf, outer_len, &inner, &inner_len),
					 ESP_E_TRUNCATED);
			memcpy(buf, copy, outer_len);
			buf[3] = (uint8_t)(buf[3] - 1);
			assert_int_equal(t_decap(drv, &in, buf, outer_len, &inner, &inner_len),
					 ESP_E_ALIGN);
			/* The original still goes through, once. */
			memcpy(buf, copy, outer_len);
			assert_int_equal(t_decap(drv, &in, buf, outer_len, &inner, &inner_len),
					 ESP_OK);
			assert_int_equal(inner_len, 100);
			assert_memory_equal(inner, inner_pkt, 100);
			memcpy(buf, copy, outer_len);
			assert_int_equal(t_decap(drv, &in, buf, outer_len, &inner, &inner_len),
					 ESP_E_REPLAY);
			assert_true(in.sa.in.auth > 10);
		}
	}
}

static void
test_seq_exhaustion_and_hard_expiry(void **state)
{
	uint8_t buf[T_BUF] __attribute__((aligned(64))), p[64], *outer;
	uint32_t outer_len;
	struct t_sa out, in;

	(void)state;
	inner_v4(p, 64, 1);
	pair(&out, &in, ESP_ALG_AES_GCM_16, 0);
	out.sa.out.seq = UINT32_MAX - 1;
	assert_int_equal(t_encap(drv, &out, buf, p, 64, iv, &outer, &outer_len), ESP_OK);
	assert_int_equal(t_encap(drv, &out, buf, p, 64, iv, &outer, &outer_len),
			 ESP_E_SEQ_EXHAUSTED);
	/* With ESN the same counter goes on into the high half. */
	pair(&out, &in, ESP_ALG_AES_GCM_16, ESP_SA_ESN);
	out.sa.out.seq = UINT32_MAX;
	in.sa.in.rw.top = UINT32_MAX - 5;
	assert_int_equal(t_encap(drv, &out, buf, p, 64, iv, &outer, &outer_len), ESP_OK);
	assert_int_equal(out.sa.out.seq, 1ull << 32);
	{
		uint8_t *inner;
		uint32_t inner_len;

		assert_int_equal(t_decap(drv, &in, outer, outer_len, &inner, &inner_len), ESP_OK);
		assert_int_equal(in.sa.in.rw.top, 1ull << 32);
	}
	/* Hard limit: the packet that reaches it passes, then nothing does. */
	pair(&out, &in, ESP_ALG_AES_CBC_HMAC_SHA256_128, 0);
	out.sa.life.hard_packets = esp_limit_code(2);
	assert_int_equal(t_encap(drv, &out, buf, p, 64, iv, &outer, &outer_len), ESP_OK);
	assert_int_equal(t_encap(drv, &out, buf, p, 64, iv, &outer, &outer_len), ESP_OK);
	assert_true(out.sa.ev & ESP_EV_HARD << ESP_EV_OUT_SHIFT);
	assert_int_equal(t_encap(drv, &out, buf, p, 64, iv, &outer, &outer_len), ESP_E_EXPIRED);
	/* No room for the headers. */
	pair(&out, &in, ESP_ALG_AES_GCM_16, ESP_SA_UDP);
	memcpy(buf + 8, p, 64);
	{
		struct esp_job j;

		assert_int_equal(esp_out_prepare(&out.sa, out.local, &out.keys, buf + 8, 64, 8, 100, iv, &j,
						 &outer, &outer_len),
				 ESP_E_NOSPACE);
		memcpy(buf + 100, p, 64);
		assert_int_equal(esp_out_prepare(&out.sa, out.local, &out.keys, buf + 100, 64, 100, 10, iv, &j,
						 &outer, &outer_len),
				 ESP_E_NOSPACE);
	}
}

/* 48 packets, 4 algorithms x ESN or not x 6 sizes, in ONE burst each way. */
static void
test_mixed_burst(void **state)
{
	enum { N = 48 };
	static uint8_t bufs[N][T_BUF] __attribute__((aligned(64)));
	static uint8_t plain[N][T_BUF];
	static struct t_sa outs[8], ins[8];
	static const uint32_t sizes[] = {20, 21, 64, 333, 1400, 1480};
	struct esp_job jobs[N];
	uint8_t *outer[N], *inner;
	uint32_t outer_len[N], inner_len;
	struct esp_in_hdr h;
	unsigned ev;

	(void)state;
	for (unsigned s = 0; s < 8; s++) {
		pair(&outs[s], &ins[s], algs[s / 2], s % 2 ? ESP_SA_ESN : 0);
		outs[s].sa.out.seq = s % 2 ? UINT32_MAX - 2 : 0;
		ins[s].sa.in.rw.top = outs[s].sa.out.seq;
	}
	for (unsigned i = 0; i < N; i++) {
		struct t_sa *t = &outs[i % 8];

		inner_v4(plain[i], sizes[i / 8], (uint8_t)i);
		memcpy(bufs[i] + T_HEADROOM, plain[i], sizes[i / 8]);
		assert_int_equal(esp_out_prepare(&t->sa, t->local, &t->keys, bufs[i] + T_HEADROOM,
						 sizes[i / 8], T_HEADROOM,
						 T_BUF - T_HEADROOM - sizes[i / 8], iv, &jobs[i],
						 &outer[i], &outer_len[i]),
				 ESP_OK);
	}
	assert_int_equal(cry_ipsecmb_esp_burst(drv, jobs, N), N);
	for (unsigned i = 0; i < N; i++)
		assert_int_equal(esp_out_finish(&outs[i % 8].sa, &jobs[i], &ev), ESP_OK);
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(esp_in_parse(outer[i], outer_len[i], &h), ESP_OK);
		assert_int_equal(esp_in_prepare(&ins[i % 8].sa, &ins[i % 8].keys,
						outer[i] + h.esp_off, h.esp_len, &jobs[i]),
				 ESP_OK);
	}
	assert_int_equal(cry_ipsecmb_esp_burst(drv, jobs, N), N);
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(
			esp_in_finish(&ins[i % 8].sa, NULL, &jobs[i], 0, &inner, &inner_len, &ev),
			ESP_OK);
		assert_int_equal(inner_len, sizes[i / 8]);
		assert_memory_equal(inner, plain[i], inner_len);
	}
	for (unsigned s = 0; s < 8; s++) {
		assert_int_equal(ins[s].sa.in.packets, 6);
		assert_int_equal(outs[s].sa.out.seq, (s % 2 ? UINT32_MAX - 2ull : 0) + 6);
		assert_int_equal(ins[s].sa.in.rw.top, outs[s].sa.out.seq);
	}
}

/*
 * The local selector is checked as the range we answered, not a prefix:
 * 10.0.0.5-10.0.0.9 and fd00::1:0-fd00::2:ffff have their ends in and
 * the addresses next to them out; a family with no range has none in.
 */
static void
test_ts_local_range(void **state)
{
	struct esp_range r4 = {.start = {10, 0, 0, 5}, .end = {10, 0, 0, 9}};
	struct esp_range r6 = {.v6 = 1, .start = {0xfd, [13] = 1}, .end = {0xfd, [13] = 2}};
	uint8_t a4[4] = {10, 0, 0, 5}, a6[16] = {0xfd, [13] = 1};
	struct esp_ts_local t;

	(void)state;
	memset(r6.end + 14, 0xff, 2);
	memset(&t, 0, sizeof(t));
	esp_ts_local_add(&t, &r4);
	assert_true(esp_ts_local_has(&t, false, a4));
	assert_false(esp_ts_local_has(&t, true, a6));
	a4[3] = 9;
	assert_true(esp_ts_local_has(&t, false, a4));
	a4[3] = 4;
	assert_false(esp_ts_local_has(&t, false, a4));
	a4[3] = 10;
	assert_false(esp_ts_local_has(&t, false, a4));
	esp_ts_local_add(&t, &r6);
	assert_true(esp_ts_local_has(&t, true, a6));
	a6[13] = 2;
	a6[14] = a6[15] = 0xff;
	assert_true(esp_ts_local_has(&t, true, a6));
	a6[13] = 3;
	a6[14] = a6[15] = 0;
	assert_false(esp_ts_local_has(&t, true, a6));
	a6[13] = 0;
	a6[14] = a6[15] = 0xff;
	assert_false(esp_ts_local_has(&t, true, a6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authentic_but_bad),
		cmocka_unit_test(test_bad_icv_and_lengths),
		cmocka_unit_test(test_seq_exhaustion_and_hard_expiry),
		cmocka_unit_test(test_mixed_burst),
		cmocka_unit_test(test_ts_local_range),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
