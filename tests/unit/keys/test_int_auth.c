/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 9242 3.3.2 IntAuth chain and the RFC 9370 2.2.2 key update between
 * two IKE_INTERMEDIATE exchanges, against tests/vectors/intauth.txt
 * (gen_intauth_vectors.py, python3-cryptography): ike_int_auth_step() on
 * the messages as on the wire (it must adjust both Length fields itself),
 * ike_keys_update_addke() for the next generation's SK_p, and the chunk
 * IntAuth_iN | IntAuth_rN | IKE_AUTH_MID. Also: A shorter than the two
 * headers and a scratch too small are refused.
 * Usage: test_int_auth DRIVER VECTOR_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ike_int_auth.h"
#include "ike_keys.h"
#include "test_cry.h"
#include "test_vec_check.h"
#include "vec_suite.h"

#define MSG_MAX 2048

static struct cry_ops ops;
static const char *vec_dir;

struct msg {
	uint8_t a[MSG_MAX];
	uint8_t p[MSG_MAX];
	size_t a_len;
	size_t p_len;
};

static void
load_msg(const struct vec_file *f, const struct vec_block *b, const char *side, struct msg *m)
{
	char key[16];

	snprintf(key, sizeof(key), "A_%s", side);
	m->a_len = vec_need_hex(f, b, key, m->a, sizeof(m->a));
	snprintf(key, sizeof(key), "P_%s", side);
	/* An empty Encrypted payload has no P line. */
	m->p_len = vec_get(b, key) != NULL ? vec_need_hex(f, b, key, m->p, sizeof(m->p)) : 0;
}

/* One step of side's chain under sk_p, checked against IntAuth_<side>. */
static void
step(const struct vec_file *f, const struct vec_block *b, const struct ike_sa_keys *k,
     const uint8_t *sk_p, const char *side, bool first, uint8_t *acc)
{
	uint8_t scratch[CRY_MAX_PRF_LEN + 2 * MSG_MAX];
	char key[16];
	struct msg m;

	load_msg(f, b, side, &m);
	assert_int_equal(ike_int_auth_step(&ops, k->prf, sk_p, k->prf_len, first, acc, m.a, m.a_len,
					   m.p, m.p_len, scratch, sizeof(scratch)),
			 IKE_OK);
	snprintf(key, sizeof(key), "IntAuth_%s", side);
	vec_check_hex(f, b, key, acc, k->prf_len);
}

static void
check_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t sk_n[CRY_MAX_KEX_SECRET], ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	uint8_t acc_i[CRY_MAX_PRF_LEN], acc_r[CRY_MAX_PRF_LEN], chunk[IKE_INT_AUTH_MAX];
	struct ike_keys_input in = {.ni = ni, .nr = nr};
	struct ike_sa_keys k = {0};
	struct ike_transforms t;
	struct ike_suite s;
	size_t n_len;

	assert_int_equal(vec_transforms(b, "", &t), 0);
	t.ke = IKE_KE_ECP256;
	assert_int_equal(ike_suite_ike(&t, &s), IKE_OK);
	in.ni_len = vec_need_hex(f, b, "Ni", ni, sizeof(ni));
	in.nr_len = vec_need_hex(f, b, "Nr", nr, sizeof(nr));
	assert_int_equal(vec_need_hex(f, b, "SPIi", in.spi_i, IKE_SPI_LEN), 8);
	assert_int_equal(vec_need_hex(f, b, "SPIr", in.spi_r, IKE_SPI_LEN), 8);
	k.prf = s.prf;
	k.prf_len = s.prf_len;
	assert_int_equal(vec_need_hex(f, b, "SK_d (0)", k.sk_d, sizeof(k.sk_d)), s.prf_len);
	assert_int_equal(vec_need_hex(f, b, "SK_pi (0)", k.sk_pi, sizeof(k.sk_pi)), s.prf_len);
	assert_int_equal(vec_need_hex(f, b, "SK_pr (0)", k.sk_pr, sizeof(k.sk_pr)), s.prf_len);
	/* Exchange 1 under generation 0. */
	step(f, b, &k, k.sk_pi, "i1", true, acc_i);
	step(f, b, &k, k.sk_pr, "r1", true, acc_r);
	/* Its additional key exchange: generation 1. */
	n_len = vec_need_hex(f, b, "SK(1)", sk_n, sizeof(sk_n));
	assert_int_equal(ike_keys_update_addke(&ops, &s, &in, sk_n, n_len, &k), IKE_OK);
	vec_check_hex(f, b, "SK_d (1)", k.sk_d, s.prf_len);
	vec_check_hex(f, b, "SK_pi (1)", k.sk_pi, s.prf_len);
	vec_check_hex(f, b, "SK_pr (1)", k.sk_pr, s.prf_len);
	vec_check_hex(f, b, "SK_ei (1)", k.sk_ei, (size_t)s.sk.enc_key_len + s.sk.salt_len);
	if (s.sk.integ_key_len != 0)
		vec_check_hex(f, b, "SK_ar (1)", k.sk_ar, s.sk.integ_key_len);
	/* Exchange 2 under generation 1, chained on exchange 1. */
	step(f, b, &k, k.sk_pi, "i2", false, acc_i);
	step(f, b, &k, k.sk_pr, "r2", false, acc_r);
	/* IKE_AUTH is message 3. */
	assert_int_equal(ike_int_auth_chunk(acc_i, acc_r, s.prf_len, 3, chunk), 2 * s.prf_len + 4);
	vec_check_hex(f, b, "IntAuth", chunk, 2 * s.prf_len + 4);
	ike_sa_keys_wipe(&k);
}

static void
test_vectors(void **state)
{
	struct vec_file f;

	(void)state;
	vec_need_file(vec_dir, "intauth.txt", &f);
	assert_true(f.n_blocks >= 3);
	for (unsigned i = 0; i < f.n_blocks; i++)
		check_block(&f, &f.blocks[i]);
	vec_file_free(&f);
}

static void
test_bad_input(void **state)
{
	uint8_t key[32] = {1}, acc[CRY_MAX_PRF_LEN] = {0}, a[64] = {0}, scratch[64];

	(void)state;
	/* Less than the IKE header and the Encrypted payload header. */
	assert_int_equal(ike_int_auth_step(&ops, CRY_PRF_HMAC_SHA256, key, sizeof(key), true, acc,
					   a, 31, NULL, 0, scratch, sizeof(scratch)),
			 IKE_E_PARAM);
	/* prev | A | P does not fit. */
	assert_int_equal(ike_int_auth_step(&ops, CRY_PRF_HMAC_SHA256, key, sizeof(key), false, acc,
					   a, 40, a, 8, scratch, sizeof(scratch)),
			 IKE_E_NOSPACE);
	assert_int_equal(ike_int_auth_step(&ops, CRY_PRF_HMAC_SHA256, key, sizeof(key), true, acc,
					   a, 40, a, 8, scratch, sizeof(scratch)),
			 IKE_OK);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_bad_input),
	};

	return test_cry_main(argc, argv, "int-auth", tests, sizeof(tests) / sizeof(tests[0]), NULL,
			     &ops, &vec_dir);
}
