/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP packets of tests/vectors/esp-tunnel.txt (gen_esp_vectors.py, built
 * with python3-cryptography): lib/esp + the ipsec-mb burst must produce the
 * same outer packet octet for octet, and decapsulate it back to the inner
 * packet (or, for the dummy packet, drop and count it). And
 * tests/vectors/esp-esn-stream.txt (gen_esp_vectors.py --stream): packets of
 * one SA across a 2^32 sequence number boundary, each received with the
 * outcome (ok, replay, ICV failure) and window the generator's model says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "esp_test_util.h"
#include "vec_file.h"

static const char *vec_dir;

static enum esp_alg
alg_of(const char *s)
{
	if (strcmp(s, "gcm") == 0)
		return ESP_ALG_AES_GCM_16;
	if (strcmp(s, "sha256") == 0)
		return ESP_ALG_AES_CBC_HMAC_SHA256_128;
	if (strcmp(s, "sha384") == 0)
		return ESP_ALG_AES_CBC_HMAC_SHA384_192;
	assert_string_equal(s, "sha512");
	return ESP_ALG_AES_CBC_HMAC_SHA512_256;
}

static void
run_block(struct cry_ipsecmb *c, const struct vec_block *b)
{
	uint8_t keymat[ESP_MAX_KEYMAT], iv[16], src[16], dst[16], inner[T_BUF], want[T_BUF];
	uint8_t buf[T_BUF] __attribute__((aligned(64))), *outer, *got_inner;
	long inner_len = vec_hex(b, "inner", inner, sizeof(inner));
	long want_len = vec_hex(b, "outer", want, sizeof(want));
	bool esn = vec_num(b, "esn") == 1, udp = vec_num(b, "udp") == 1;
	long addr_len = vec_hex(b, "src", src, sizeof(src));
	uint64_t seq = strtoull(vec_get(b, "seq"), NULL, 10);
	unsigned flags = (esn ? ESP_SA_ESN : 0) | (udp ? ESP_SA_UDP : 0) |
			 (addr_len == 16 ? ESP_SA_OUTER_V6 : 0);
	enum esp_alg alg = alg_of(vec_get(b, "alg"));
	uint32_t spi = (uint32_t)vec_num(b, "spi"), outer_len, got_len;
	struct t_sa out, in;

	printf("# %s\n", vec_get(b, "name"));
	assert_true(inner_len > 0 && want_len > 0 && addr_len > 0);
	assert_true(vec_hex(b, "keymat", keymat, sizeof(keymat)) > 0);
	assert_true(vec_hex(b, "iv", iv, sizeof(iv)) >= 0);
	assert_int_equal(vec_hex(b, "dst", dst, sizeof(dst)), addr_len);

	/* Outbound: the same octets as the independent implementation. */
	t_sa_init(c, &out, false, alg, (unsigned)vec_num(b, "enc_key_len"), keymat, spi, flags);
	out.sa.out.seq = seq - 1;
	memcpy(out.local, src, (size_t)addr_len);
	memcpy(out.sa.remote, dst, (size_t)addr_len);
	out.sa.lport = (uint16_t)vec_num(b, "sport");
	out.sa.rport = (uint16_t)vec_num(b, "dport");
	if (vec_num(b, "next_header") == ESP_NH_NONE) {
		/* lib/esp never sends dummies: the trailer is rewritten before the crypto. */
		struct esp_job j;
		unsigned ev;

		memcpy(buf + T_HEADROOM, inner, (size_t)inner_len);
		assert_int_equal(esp_out_prepare(&out.sa, out.local, &out.keys, buf + T_HEADROOM,
						 (uint32_t)inner_len, T_HEADROOM, 512, iv, &j,
						 &outer, &outer_len),
				 ESP_OK);
		j.esp[ESP_HDR_LEN + esp_sa_iv_len(&out.sa) + j.payload_len - 1] = ESP_NH_NONE;
		assert_int_equal(cry_ipsecmb_esp_burst(c, &j, 1), 1);
		assert_int_equal(esp_out_finish(&out.sa, &j, &ev), ESP_OK);
	} else {
		assert_int_equal(
			t_encap(c, &out, buf, inner, (uint32_t)inner_len, iv, &outer, &outer_len),
			ESP_OK);
	}
	assert_int_equal(outer_len, want_len);
	assert_memory_equal(outer, want, (size_t)want_len);

	/* Inbound: the vector's packet back to its inner packet. */
	t_sa_init(c, &in, true, alg, (unsigned)vec_num(b, "enc_key_len"), keymat, spi, flags);
	if (inner[0] >> 4 == 6)
		in.sa.flags |= ESP_SA_TS_V6;
	in.sa.in.rw.top = seq > 100 ? seq - 100 : 0; /* ESN: the window in the right subspace */
	memcpy(buf, want, (size_t)want_len);
	if (vec_num(b, "next_header") == ESP_NH_NONE) {
		assert_int_equal(t_decap(c, &in, buf, (uint32_t)want_len, &got_inner, &got_len),
				 ESP_E_DUMMY);
		assert_int_equal(in.sa.in.dummy, 1);
		assert_int_equal(in.sa.in.packets, 0);
	} else {
		assert_int_equal(t_decap(c, &in, buf, (uint32_t)want_len, &got_inner, &got_len),
				 ESP_OK);
		assert_int_equal(got_len, inner_len);
		assert_memory_equal(got_inner, inner, (size_t)inner_len);
		assert_int_equal(in.sa.in.packets, 1);
		assert_int_equal(in.sa.in.bytes, inner_len);
	}
	assert_int_equal(in.sa.in.rw.top, seq);
	/* The same packet again is a replay. */
	memcpy(buf, want, (size_t)want_len);
	assert_int_equal(t_decap(c, &in, buf, (uint32_t)want_len, &got_inner, &got_len),
			 ESP_E_REPLAY);
	assert_int_equal(in.sa.in.replay, 1);
	cry_ipsecmb_esp_keys_wipe(&out.keys);
	cry_ipsecmb_esp_keys_wipe(&in.keys);
}

static void
test_vectors(void **state)
{
	struct cry_ipsecmb *c = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	char path[512];
	struct vec_file f;
	unsigned i;

	(void)state;
	assert_non_null(c);
	snprintf(path, sizeof(path), "%s/esp-tunnel.txt", vec_dir);
	assert_int_equal(vec_file_load(path, &f), 0);
	assert_true(f.n_blocks >= 9);
	for (i = 0; i < f.n_blocks; i++)
		run_block(c, &f.blocks[i]);
	vec_file_free(&f);
	cry_ipsecmb_destroy(c);
}

static enum esp_status
status_of(const char *s)
{
	if (strcmp(s, "ok") == 0)
		return ESP_OK;
	if (strcmp(s, "replay") == 0)
		return ESP_E_REPLAY;
	assert_string_equal(s, "auth");
	return ESP_E_AUTH;
}

/*
 * One packet of a stream (esp-esn-stream.txt): sent by lib/esp with the
 * sender's 64-bit number, the same octets as the generator's; received on
 * the stream's inbound SA (window state carried from the packet before),
 * the outcome and the window's top as the generator's model says.
 */
static void
run_stream_packet(struct cry_ipsecmb *c, const struct vec_block *b, struct t_sa *in, bool first)
{
	uint8_t keymat[ESP_MAX_KEYMAT], iv[16], inner[T_BUF], want[T_BUF];
	uint8_t buf[T_BUF] __attribute__((aligned(64))), *outer, *got_inner;
	long inner_len = vec_hex(b, "inner", inner, sizeof(inner));
	long want_len = vec_hex(b, "outer", want, sizeof(want));
	bool esn = vec_num(b, "esn") == 1, udp = vec_num(b, "udp") == 1;
	uint64_t seq = strtoull(vec_get(b, "seq"), NULL, 10);
	unsigned flags = (esn ? ESP_SA_ESN : 0) | (udp ? ESP_SA_UDP : 0);
	enum esp_alg alg = alg_of(vec_get(b, "alg"));
	unsigned klen = (unsigned)vec_num(b, "enc_key_len");
	uint32_t spi = (uint32_t)vec_num(b, "spi"), outer_len, got_len;
	enum esp_status want_st = status_of(vec_get(b, "expect"));
	struct t_sa out;

	printf("# %s: %s\n", vec_get(b, "name"), vec_get(b, "expect"));
	assert_true(inner_len > 0 && want_len > 0);
	assert_true(vec_hex(b, "keymat", keymat, sizeof(keymat)) > 0);
	assert_true(vec_hex(b, "iv", iv, sizeof(iv)) >= 0);
	/* The model's window is ours. */
	assert_int_equal(vec_num(b, "window"), ESP_REPLAY_WINDOW);
	if (first) {
		t_sa_init(c, in, true, alg, klen, keymat, spi, flags);
		in->sa.in.rw.top = strtoull(vec_get(b, "first_top"), NULL, 10);
	}

	t_sa_init(c, &out, false, alg, klen, keymat, spi, flags);
	out.sa.out.seq = seq - 1;
	assert_int_equal(vec_hex(b, "src", out.local, sizeof(out.local)), 4);
	assert_int_equal(vec_hex(b, "dst", out.sa.remote, sizeof(out.sa.remote)), 4);
	out.sa.lport = (uint16_t)vec_num(b, "sport");
	out.sa.rport = (uint16_t)vec_num(b, "dport");
	assert_int_equal(t_encap(c, &out, buf, inner, (uint32_t)inner_len, iv, &outer, &outer_len),
			 ESP_OK);
	assert_int_equal(out.sa.out.seq, seq);
	assert_int_equal(outer_len, want_len);
	assert_memory_equal(outer, want, (size_t)want_len);
	/* Without ESN the counter stops at 2^32 - 1 (RFC 4303 3.3.3): rekey. */
	if (!esn && seq == UINT32_MAX)
		assert_int_equal(t_encap(c, &out, buf, inner, (uint32_t)inner_len, iv, &outer,
					 &outer_len),
				 ESP_E_SEQ_EXHAUSTED);
	cry_ipsecmb_esp_keys_wipe(&out.keys);

	memcpy(buf, want, (size_t)want_len);
	assert_int_equal(t_decap(c, in, buf, (uint32_t)want_len, &got_inner, &got_len), want_st);
	if (want_st == ESP_OK) {
		assert_int_equal(got_len, inner_len);
		assert_memory_equal(got_inner, inner, (size_t)inner_len);
	}
	assert_int_equal(in->sa.in.rw.top, strtoull(vec_get(b, "top"), NULL, 10));
}

static void
test_streams(void **state)
{
	struct cry_ipsecmb *c = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	unsigned counts[3] = {0}; /* ok, replay, auth */
	const char *stream = "";
	char path[512];
	struct vec_file f;
	struct t_sa in;

	(void)state;
	assert_non_null(c);
	snprintf(path, sizeof(path), "%s/esp-esn-stream.txt", vec_dir);
	assert_int_equal(vec_file_load(path, &f), 0);
	for (unsigned i = 0; i < f.n_blocks; i++) {
		const char *name = vec_get(&f.blocks[i], "stream");
		enum esp_status st = status_of(vec_get(&f.blocks[i], "expect"));
		bool first = strcmp(name, stream) != 0;

		if (first && i != 0)
			cry_ipsecmb_esp_keys_wipe(&in.keys);
		run_stream_packet(c, &f.blocks[i], &in, first);
		stream = name;
		counts[st == ESP_OK ? 0 : st == ESP_E_REPLAY ? 1 : 2]++;
	}
	/* Every outcome is exercised. */
	assert_true(counts[0] >= 10 && counts[1] >= 4 && counts[2] >= 3);
	cry_ipsecmb_esp_keys_wipe(&in.keys);
	vec_file_free(&f);
	cry_ipsecmb_destroy(c);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_streams),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s VECTOR_DIR\n", argv[0]);
		return 2;
	}
	vec_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
