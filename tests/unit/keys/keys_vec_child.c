/* SPDX-License-Identifier: BSD-3-Clause */
/* keys_vec_child.c - Child SA blocks: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), ESP keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "keys_vec.h"
#include "test_vec_check.h"
#include "vec_suite.h"

/* ESP_ei [| ESP_ai] and ESP_er [| ESP_ar] (ESP_e* = key | GCM salt) against derived keys. */
void
check_esp_keys(const struct vec_file *f, const struct vec_block *b,
	       const struct ike_cipher_suite *c, const struct ike_child_keys *ck)
{
	static const char *const e_names[2] = {"ESP_ei", "ESP_er"};
	static const char *const a_names[2] = {"ESP_ai", "ESP_ar"};
	const struct cry_sk_keys *dir[2] = {&ck->init_to_resp, &ck->resp_to_init};
	uint8_t want[VEC_BUF_MAX];
	unsigned i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(vec_need_hex(f, b, e_names[i], want, sizeof(want)),
				 c->enc_key_len + c->salt_len);
		assert_int_equal(dir[i]->cipher, c->cipher);
		assert_int_equal(dir[i]->integ, c->integ);
		assert_int_equal(dir[i]->enc_key_len, c->enc_key_len);
		assert_memory_equal(dir[i]->enc_key, want, c->enc_key_len);
		if (c->salt_len)
			assert_memory_equal(dir[i]->salt, want + c->enc_key_len, 4);
		assert_int_equal(dir[i]->integ_key_len, c->integ_key_len);
		if (c->integ_key_len) {
			assert_int_equal(vec_need_hex(f, b, a_names[i], want, sizeof(want)),
					 c->integ_key_len);
			assert_memory_equal(dir[i]->integ_key, want, c->integ_key_len);
		} else if (vec_get(b, a_names[i]) != NULL) {
			fail_msg("%s:%u: %s listed for an AEAD suite", f->path, b->line,
				 a_names[i]);
		}
	}
}

/* keymat_key's value against prf+(SK_d, [g^ir |] Ni | Nr) straight from ike_prf_plus(). */
void
check_keymat(const struct vec_file *f, const struct vec_block *b, const char *keymat_key,
	     const struct ike_sa_keys *sa, const uint8_t *g_ir, size_t g_len,
	     const struct ike_keys_input *in)
{
	uint8_t seed[IKE_PRF_PLUS_MAX_SEED], km[VEC_BUF_MAX];
	size_t n = vec_need_hex(f, b, keymat_key, km, sizeof(km));

	if (g_len)
		memcpy(seed, g_ir, g_len);
	memcpy(seed + g_len, in->ni, in->ni_len);
	memcpy(seed + g_len + in->ni_len, in->nr, in->nr_len);
	assert_int_equal(ike_prf_plus(&keys_ops, sa->prf, sa->sk_d, sa->prf_len, seed,
				      g_len + in->ni_len + in->nr_len, km, n),
			 IKE_OK);
	vec_check_hex(f, b, keymat_key, km, n);
}

void
check_child_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t g_ir[CRY_MAX_KEX_SECRET];
	struct ike_transforms t;
	struct ike_esp_suite esp;
	struct ike_child_keys ck;
	struct ike_sa_keys sa = {0};
	struct block_input bi;
	bool pfs = vec_get(b, "g^ir (new)") != NULL;
	size_t g_len = 0;

	assert_int_equal(vec_transforms(b, "", &t), 0);
	t.ke = pfs ? IKE_KE_ECP256 : IKE_KE_NONE;
	assert_int_equal(ike_suite_esp(&t, &esp), IKE_OK);
	block_sk_d(f, b, t.prf, "SK_d", &sa);
	block_input(f, b, &bi, false);
	if (pfs)
		g_len = vec_need_hex(f, b, "g^ir (new)", g_ir, sizeof(g_ir));
	assert_int_equal(
		ike_keys_derive_child(&keys_ops, &sa, &esp, &bi.in, pfs ? g_ir : NULL, g_len, &ck),
		IKE_OK);
	check_esp_keys(f, b, &esp.esp, &ck);
	check_keymat(f, b, "KEYMAT", &sa, g_ir, g_len, &bi.in);
}
