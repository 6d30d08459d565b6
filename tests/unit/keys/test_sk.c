/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/sk: SK and SKF payload seal/open. Known answers come from
 * python3-cryptography (ikev2-kdf-sha2.txt, Type = sk/skf); the rest are
 * round trips and every way a received message can be bad.
 * Usage: test_sk DRIVER VECTOR_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ike_buf.h"
#include "ike_const.h"
#include "ike_sk.h"
#include "ike_suite.h"
#include "test_cry.h"
#include "test_vec_check.h"
#include "vec_suite.h"

#define MSG_CAP 2048

static struct cry_ops ops;
static const char *vec_dir;

/*
 * The known-answer seal needs the IV the vector used. Only the random
 * source is replaced (symmetric crypto stays the driver's): it hands out
 * exactly the expected IV.
 */
static struct cry_asym_ops fixed_iv_asym;
static struct cry_ops fixed_iv_ops;
static const uint8_t *fixed_iv;
static size_t fixed_iv_len;

static enum ike_status
fixed_iv_random(void *ctx, uint8_t *out, size_t len)
{
	(void)ctx;
	if (len != fixed_iv_len)
		return IKE_E_PARAM;
	memcpy(out, fixed_iv, len);
	return IKE_OK;
}

/* cmocka group setup: fixed_iv_ops, the driver's ops with fixed_iv_random. */
static int
bind_fixed_iv_ops(void **state)
{
	(void)state;
	fixed_iv_asym = *ops.asym;
	fixed_iv_asym.random = fixed_iv_random;
	fixed_iv_ops = ops;
	fixed_iv_ops.asym = &fixed_iv_asym;
	return 0;
}

static const struct ike_transforms all_suites[] = {
    {IKE_ENCR_AES_GCM_16, 128, 0, IKE_INTEG_NONE, 0},
    {IKE_ENCR_AES_GCM_16, 192, 0, IKE_INTEG_NONE, 0},
    {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, 0},
    {IKE_ENCR_AES_CBC, 128, 0, IKE_INTEG_HMAC_SHA2_256_128, 0},
    {IKE_ENCR_AES_CBC, 128, 0, IKE_INTEG_HMAC_SHA2_384_192, 0},
    {IKE_ENCR_AES_CBC, 128, 0, IKE_INTEG_HMAC_SHA2_512_256, 0},
    {IKE_ENCR_AES_CBC, 192, 0, IKE_INTEG_HMAC_SHA2_256_128, 0},
    {IKE_ENCR_AES_CBC, 256, 0, IKE_INTEG_HMAC_SHA2_256_128, 0},
    {IKE_ENCR_AES_CBC, 256, 0, IKE_INTEG_HMAC_SHA2_384_192, 0},
    {IKE_ENCR_AES_CBC, 256, 0, IKE_INTEG_HMAC_SHA2_512_256, 0},
};
#define N_SUITES (sizeof(all_suites) / sizeof(all_suites[0]))

static void
random_keys(const struct ike_transforms *t, struct cry_sk_keys *k, struct ike_cipher_suite *c)
{
	struct ike_esp_suite s;

	assert_int_equal(ike_suite_esp(t, &s), IKE_OK);
	*c = s.esp;
	memset(k, 0, sizeof(*k));
	k->cipher = c->cipher;
	k->integ = c->integ;
	k->enc_key_len = c->enc_key_len;
	k->integ_key_len = c->integ_key_len;
	assert_int_equal(cry_random(&ops, k->enc_key, sizeof(k->enc_key)), IKE_OK);
	assert_int_equal(cry_random(&ops, k->salt, sizeof(k->salt)), IKE_OK);
	assert_int_equal(cry_random(&ops, k->integ_key, sizeof(k->integ_key)), IKE_OK);
}

/*
 * HDR(IKE_AUTH, response), SK or SKF header, IV space, inner payloads of
 * inner_len random octets. Returns plain_off.
 */
static size_t
build(uint8_t *msg, const struct cry_sk_keys *k, bool skf, size_t inner_len)
{
	size_t hdr_len = skf ? IKE_SKF_HDR_LEN : IKE_SK_HDR_LEN;
	size_t plain_off = IKE_HDR_LEN + hdr_len + ike_sk_iv_len(k);

	memset(msg, 0, MSG_CAP);
	assert_int_equal(cry_random(&ops, msg, 16), IKE_OK); /* SPIs */
	msg[16] = skf ? IKE_PLD_SKF : IKE_PLD_SK;
	msg[17] = 0x20;
	msg[18] = IKE_EXCH_IKE_AUTH;
	msg[19] = IKE_HDR_F_RESPONSE;
	ike_put_u32(msg + 20, 1);
	msg[IKE_HDR_LEN] = IKE_PLD_IDR;
	if (skf) {
		ike_put_u16(msg + IKE_HDR_LEN + 4, 1);
		ike_put_u16(msg + IKE_HDR_LEN + 6, 1);
	}
	assert_int_equal(cry_random(&ops, msg + plain_off, inner_len), IKE_OK);
	return plain_off;
}

static size_t
seal_new(uint8_t *msg, const struct cry_sk_keys *k, bool skf, size_t inner_len)
{
	size_t plain_off = build(msg, k, skf, inner_len), msg_len = 0;
	enum ike_status st;

	if (skf)
		st = ike_skf_seal(&ops, k, msg, MSG_CAP, IKE_HDR_LEN, plain_off, inner_len,
				  &msg_len);
	else
		st =
		    ike_sk_seal(&ops, k, msg, MSG_CAP, IKE_HDR_LEN, plain_off, inner_len, &msg_len);
	assert_int_equal(st, IKE_OK);
	return msg_len;
}

static void
check_vector(const struct vec_file *f, const struct vec_block *b, bool skf)
{
	static uint8_t msg[MSG_CAP], sealed[MSG_CAP], inner[MSG_CAP];
	uint8_t iv[16], sk_e[CRY_MAX_ENC_KEY + 4];
	struct ike_transforms t;
	struct ike_esp_suite s;
	struct cry_sk_keys k = {0};
	size_t prefix_len, iv_len, inner_len, sealed_len, msg_len, plain_off, plain_len;
	size_t hdr_len = skf ? IKE_SKF_HDR_LEN : IKE_SK_HDR_LEN;
	enum ike_status st;

	assert_int_equal(vec_transforms(b, "", &t), 0);
	assert_int_equal(ike_suite_esp(&t, &s), IKE_OK);
	k.cipher = s.esp.cipher;
	k.integ = s.esp.integ;
	k.enc_key_len = s.esp.enc_key_len;
	k.integ_key_len = s.esp.integ_key_len;
	assert_int_equal(vec_need_hex(f, b, "SK_e", sk_e, sizeof(sk_e)),
			 s.esp.enc_key_len + s.esp.salt_len);
	memcpy(k.enc_key, sk_e, s.esp.enc_key_len);
	memcpy(k.salt, sk_e + s.esp.enc_key_len, s.esp.salt_len);
	if (k.integ_key_len)
		assert_int_equal(vec_need_hex(f, b, "SK_a", k.integ_key, sizeof(k.integ_key)),
				 k.integ_key_len);

	/* Seal Prefix | IV | Inner with the vector's IV: must give Sealed exactly. */
	memset(msg, 0xee, sizeof(msg));
	prefix_len = vec_need_hex(f, b, "Prefix", msg, sizeof(msg));
	iv_len = vec_need_hex(f, b, "IV", iv, sizeof(iv));
	assert_int_equal(iv_len, ike_sk_iv_len(&k));
	inner_len = vec_need_hex(f, b, "Inner", inner, sizeof(inner));
	memcpy(msg + prefix_len + iv_len, inner, inner_len);
	fixed_iv = iv;
	fixed_iv_len = iv_len;
	if (skf)
		st = ike_skf_seal(&fixed_iv_ops, &k, msg, sizeof(msg), prefix_len - hdr_len,
				  prefix_len + iv_len, inner_len, &msg_len);
	else
		st = ike_sk_seal(&fixed_iv_ops, &k, msg, sizeof(msg), prefix_len - hdr_len,
				 prefix_len + iv_len, inner_len, &msg_len);
	assert_int_equal(st, IKE_OK);
	vec_check_hex(f, b, "Sealed", msg, msg_len);

	/* Open what python sealed. */
	sealed_len = vec_need_hex(f, b, "Sealed", sealed, sizeof(sealed));
	if (skf)
		st = ike_skf_open(&ops, &k, sealed, sealed_len, prefix_len - hdr_len, &plain_off,
				  &plain_len);
	else
		st = ike_sk_open(&ops, &k, sealed, sealed_len, prefix_len - hdr_len, &plain_off,
				 &plain_len);
	assert_int_equal(st, IKE_OK);
	assert_int_equal(plain_off, prefix_len + iv_len);
	assert_int_equal(plain_len, inner_len);
	assert_memory_equal(sealed + plain_off, inner, inner_len);
}

static void
test_python_vectors(void **state)
{
	unsigned i, n_sk = 0, n_skf = 0;
	struct vec_file f;

	(void)state;
	vec_need_file(vec_dir, "ikev2-kdf-sha2.txt", &f);
	for (i = 0; i < f.n_blocks; i++) {
		const char *type = vec_get(&f.blocks[i], "Type");

		if (type != NULL && strcmp(type, "sk") == 0) {
			check_vector(&f, &f.blocks[i], false);
			n_sk++;
		} else if (type != NULL && strcmp(type, "skf") == 0) {
			check_vector(&f, &f.blocks[i], true);
			n_skf++;
		}
	}
	assert_true(n_sk > 0);
	assert_true(n_skf > 0);
	vec_file_free(&f);
}

static void
test_round_trip(void **state)
{
	static const size_t lens[] = {0, 1, 15, 16, 17, 31, 100, 1000};
	static uint8_t msg[MSG_CAP], plain[MSG_CAP];
	unsigned s, l, skf;

	(void)state;
	for (s = 0; s < N_SUITES; s++) {
		struct ike_cipher_suite c;
		struct cry_sk_keys k;

		random_keys(&all_suites[s], &k, &c);
		for (skf = 0; skf < 2; skf++) {
			size_t hdr_len = skf ? IKE_SKF_HDR_LEN : IKE_SK_HDR_LEN;

			for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
				size_t plain_off = build(msg, &k, skf, lens[l]);
				size_t msg_len, body, off = 0, len = 0;
				enum ike_status st;

				memcpy(plain, msg + plain_off, lens[l]);
				st = skf ? ike_skf_seal(&ops, &k, msg, MSG_CAP, IKE_HDR_LEN,
							plain_off, lens[l], &msg_len)
					 : ike_sk_seal(&ops, &k, msg, MSG_CAP, IKE_HDR_LEN,
						       plain_off, lens[l], &msg_len);
				assert_int_equal(st, IKE_OK);
				/* Lengths fixed up; minimal padding (RFC 7296 3.14). */
				assert_int_equal(ike_get_u32(msg + 24), msg_len);
				assert_int_equal(ike_get_u16(msg + IKE_HDR_LEN + 2),
						 msg_len - IKE_HDR_LEN);
				body = msg_len - plain_off - c.icv_len;
				assert_int_equal(body % c.block_len, 0);
				assert_true(body - lens[l] - 1 < c.block_len);
				if (lens[l] >= 16)
					assert_memory_not_equal(msg + plain_off, plain, 16);
				st = skf ? ike_skf_open(&ops, &k, msg, msg_len, IKE_HDR_LEN, &off,
							&len)
					 : ike_sk_open(&ops, &k, msg, msg_len, IKE_HDR_LEN, &off,
						       &len);
				assert_int_equal(st, IKE_OK);
				assert_int_equal(off, IKE_HDR_LEN + hdr_len + c.iv_len);
				assert_int_equal(len, lens[l]);
				assert_memory_equal(msg + off, plain, lens[l]);
			}
		}
	}
}

/* Any changed bit in header, SK header, IV, ciphertext or ICV: refused, message untouched. */
static void
test_tamper(void **state)
{
	static uint8_t msg[MSG_CAP], copy[MSG_CAP];
	unsigned s, p;

	(void)state;
	for (s = 0; s < N_SUITES; s++) {
		struct ike_cipher_suite c;
		struct cry_sk_keys k;
		size_t msg_len, pos[6], off, len;

		random_keys(&all_suites[s], &k, &c);
		msg_len = seal_new(msg, &k, false, 40);
		pos[0] = msg_len - 1;		     /* ICV */
		pos[1] = msg_len - c.icv_len;	     /* ICV, first octet */
		pos[2] = IKE_HDR_LEN + 4 + c.iv_len; /* ciphertext */
		pos[3] = IKE_HDR_LEN + 4;	     /* IV */
		pos[4] = 20;			     /* Message ID */
		pos[5] = IKE_HDR_LEN + 1;	     /* SK header RESERVED */
		for (p = 0; p < 6; p++) {
			msg[pos[p]] ^= 0x04;
			memcpy(copy, msg, msg_len);
			assert_int_equal(
			    ike_sk_open(&ops, &k, msg, msg_len, IKE_HDR_LEN, &off, &len),
			    IKE_E_INTEGRITY);
			assert_memory_equal(msg, copy, msg_len);
			msg[pos[p]] ^= 0x04;
		}
		/* A different key is refused the same way. */
		k.enc_key[0] ^= 1;
		if (c.integ_key_len)
			k.integ_key[0] ^= 1;
		memcpy(copy, msg, msg_len);
		assert_int_equal(ike_sk_open(&ops, &k, msg, msg_len, IKE_HDR_LEN, &off, &len),
				 IKE_E_INTEGRITY);
		assert_memory_equal(msg, copy, msg_len);
	}
}

/* A correctly protected message whose Pad Length points before the payloads. */
static void
test_bad_pad_length(void **state)
{
	static uint8_t msg[MSG_CAP];
	unsigned s;

	(void)state;
	for (s = 0; s < N_SUITES; s++) {
		struct cry_aead_job job = {0};
		struct ike_cipher_suite c;
		struct cry_sk_keys k;
		size_t plain_off, msg_len, off = 0, len = 0;

		random_keys(&all_suites[s], &k, &c);
		plain_off = build(msg, &k, false, 20);
		assert_int_equal(ike_sk_seal_prepare(&ops, &k, msg, MSG_CAP, IKE_HDR_LEN, plain_off,
						     20, &msg_len, &job),
				 IKE_OK);
		job.data[job.len - 1] = (uint8_t)job.len; /* one more than there is */
		cry_aead(&ops, &job);
		assert_int_equal(ike_sk_seal_finish(&job), IKE_OK);
		assert_int_equal(ike_sk_open(&ops, &k, msg, msg_len, IKE_HDR_LEN, &off, &len),
				 IKE_E_MALFORMED);

		/* All padding, no payloads: the largest valid Pad Length. */
		plain_off = build(msg, &k, false, 20);
		assert_int_equal(ike_sk_seal_prepare(&ops, &k, msg, MSG_CAP, IKE_HDR_LEN, plain_off,
						     20, &msg_len, &job),
				 IKE_OK);
		job.data[job.len - 1] = (uint8_t)(job.len - 1);
		cry_aead(&ops, &job);
		assert_int_equal(ike_sk_seal_finish(&job), IKE_OK);
		assert_int_equal(ike_sk_open(&ops, &k, msg, msg_len, IKE_HDR_LEN, &off, &len),
				 IKE_OK);
		assert_int_equal(off, plain_off);
		assert_int_equal(len, 0);
	}
}

static void
set_lengths(uint8_t *msg, size_t msg_len)
{
	ike_put_u32(msg + 24, (uint32_t)msg_len);
	ike_put_u16(msg + IKE_HDR_LEN + 2, (uint16_t)(msg_len - IKE_HDR_LEN));
}

static void
test_truncated(void **state)
{
	static uint8_t msg[MSG_CAP];
	unsigned s;

	(void)state;
	for (s = 0; s < N_SUITES; s++) {
		struct ike_cipher_suite c;
		struct cry_sk_keys k;
		size_t msg_len, off, len, min;

		random_keys(&all_suites[s], &k, &c);
		msg_len = seal_new(msg, &k, false, 33);
		/* Shorter than the lengths claim. */
		assert_int_equal(ike_sk_open(&ops, &k, msg, msg_len - 1, IKE_HDR_LEN, &off, &len),
				 IKE_E_MALFORMED);
		assert_int_equal(ike_sk_open(&ops, &k, msg, 27, IKE_HDR_LEN, &off, &len),
				 IKE_E_MALFORMED);
		assert_int_equal(ike_sk_open(&ops, &k, msg, msg_len, msg_len + 1, &off, &len),
				 IKE_E_MALFORMED);
		assert_int_equal(ike_sk_open(&ops, &k, msg, msg_len, 20, &off, &len),
				 IKE_E_MALFORMED);
		/* Lengths consistent but the data cut: misaligned (CBC) or ICV (GCM). */
		set_lengths(msg, msg_len - 1);
		assert_int_equal(ike_sk_open(&ops, &k, msg, msg_len - 1, IKE_HDR_LEN, &off, &len),
				 c.block_len > 1 ? IKE_E_MALFORMED : IKE_E_INTEGRITY);
		/* No room for the Pad Length octet. */
		min = IKE_HDR_LEN + 4 + c.iv_len + c.icv_len;
		set_lengths(msg, min);
		assert_int_equal(ike_sk_open(&ops, &k, msg, min, IKE_HDR_LEN, &off, &len),
				 IKE_E_MALFORMED);
	}
}

static void
test_seal_layout(void **state)
{
	static uint8_t msg[MSG_CAP];
	struct ike_cipher_suite c;
	struct cry_sk_keys k;
	size_t plain_off, msg_len, need;

	(void)state;
	random_keys(&all_suites[3], &k, &c); /* CBC: 16-octet IV, 16-octet ICV */
	plain_off = build(msg, &k, false, 30);
	assert_int_equal(
	    ike_sk_seal(&ops, &k, msg, MSG_CAP, IKE_HDR_LEN, plain_off - 1, 30, &msg_len),
	    IKE_E_PARAM);
	assert_int_equal(ike_sk_seal(&ops, &k, msg, MSG_CAP, 27, plain_off - 1, 30, &msg_len),
			 IKE_E_PARAM);
	/* 30 octets + 1 pad + pad length = 32, then the ICV. */
	need = plain_off + 32 + 16;
	assert_int_equal(ike_sk_seal(&ops, &k, msg, need - 1, IKE_HDR_LEN, plain_off, 30, &msg_len),
			 IKE_E_NOSPACE);
	assert_int_equal(ike_sk_seal(&ops, &k, msg, need, IKE_HDR_LEN, plain_off, 30, &msg_len),
			 IKE_OK);
	assert_int_equal(msg_len, need);
	assert_int_equal(ike_sk_trailer_max(&k), 15 + 1 + 16);
}

/* The two-phase API: one aead_burst call for a whole rx burst, mixed good and bad. */
static void
test_burst(void **state)
{
	enum { N = 8 };
	static uint8_t msgs[N][MSG_CAP];
	struct cry_sk_keys keys[N];
	struct cry_aead_job jobs[N];
	size_t lens[N];
	unsigned i, ok;

	(void)state;
	/* Seal a burst. */
	for (i = 0; i < N; i++) {
		struct ike_cipher_suite c;
		size_t plain_off;

		random_keys(&all_suites[i % N_SUITES], &keys[i], &c);
		plain_off = build(msgs[i], &keys[i], false, 10 + i * 7);
		memset(&jobs[i], 0, sizeof(jobs[i]));
		assert_int_equal(ike_sk_seal_prepare(&ops, &keys[i], msgs[i], MSG_CAP, IKE_HDR_LEN,
						     plain_off, 10 + i * 7, &lens[i], &jobs[i]),
				 IKE_OK);
	}
	assert_int_equal(ops.sym->aead_burst(ops.sym_ctx, jobs, N), N);
	for (i = 0; i < N; i++)
		assert_int_equal(ike_sk_seal_finish(&jobs[i]), IKE_OK);

	/* Open them in one burst, with two tampered. */
	msgs[2][lens[2] - 1] ^= 1;
	msgs[5][IKE_HDR_LEN + 40] ^= 1;
	for (i = 0; i < N; i++) {
		assert_int_equal(
		    ike_sk_open_prepare(&keys[i], msgs[i], lens[i], IKE_HDR_LEN, &jobs[i]), IKE_OK);
		jobs[i].user_data = msgs[i];
	}
	ok = ops.sym->aead_burst(ops.sym_ctx, jobs, N);
	assert_int_equal(ok, N - 2);
	for (i = 0; i < N; i++) {
		size_t off = 0, len = 0;

		assert_ptr_equal(jobs[i].user_data, msgs[i]);
		assert_int_equal(ike_sk_open_finish(&jobs[i], &off, &len),
				 i == 2 || i == 5 ? IKE_E_INTEGRITY : IKE_OK);
		if (i != 2 && i != 5)
			assert_int_equal(len, 10 + i * 7);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_python_vectors), cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_tamper),	   cmocka_unit_test(test_bad_pad_length),
	    cmocka_unit_test(test_truncated),	   cmocka_unit_test(test_seal_layout),
	    cmocka_unit_test(test_burst),
	};

	return test_cry_main(argc, argv, "sk", tests, sizeof(tests) / sizeof(tests[0]),
			     bind_fixed_iv_ops, &ops, &vec_dir);
}
