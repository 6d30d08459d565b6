/* SPDX-License-Identifier: BSD-3-Clause */
/* keys_vec_followup.c - RFC 9370 blocks: ADDKE key updates and IKE_FOLLOWUP_KE rekeys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>

#include "keys_vec.h"
#include "test_vec_check.h"
#include "vec_suite.h"

void
check_addke_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t sk_n[CRY_MAX_KEX_SECRET];
	struct block_input bi;
	struct ike_sa_keys k = {0};
	struct ike_suite s;
	size_t n_len;

	block_suite(f, b, &s);
	block_input(f, b, &bi, true);
	k.prf = s.prf;
	k.prf_len = s.prf_len;
	assert_int_equal(vec_need_hex(f, b, "SK_d (n-1)", k.sk_d, sizeof(k.sk_d)), s.prf_len);
	n_len = vec_need_hex(f, b, "SK(n)", sk_n, sizeof(sk_n));
	assert_int_equal(ike_keys_update_addke(&keys_ops, &s, &bi.in, sk_n, n_len, &k), IKE_OK);
	check_sa_keys(f, b, &s, &k);
}

/* SK(0) into sk0, SK(1) | ... | SK(n) back to back into more; returns |more|. */
static size_t
block_followup_secrets(const struct vec_file *f, const struct vec_block *b, uint8_t *sk0,
		       size_t *sk0_len, uint8_t *more)
{
	size_t more_len = 0;
	char key[16];

	*sk0_len = vec_need_hex(f, b, "SK(0)", sk0, CRY_MAX_KEX_SECRET);
	for (unsigned i = 1;; i++) {
		snprintf(key, sizeof(key), "SK(%u)", i);
		if (vec_get(b, key) == NULL)
			break;
		assert_true(more_len + CRY_MAX_KEX_SECRET <= IKE_KEYS_ADDKE_SECRETS_MAX);
		more_len += vec_need_hex(f, b, key, more + more_len, CRY_MAX_KEX_SECRET);
	}
	assert_true(more_len != 0);
	return more_len;
}

/* RFC 9370 2.2.5: an IKE SA rekey's keys after its IKE_FOLLOWUP_KE exchanges. */
void
check_followup_rekey_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t sk0[CRY_MAX_KEX_SECRET], more[IKE_KEYS_ADDKE_SECRETS_MAX];
	struct ike_sa_keys old = {0}, k;
	struct block_input bi;
	struct ike_suite s;
	size_t sk0_len, more_len;

	block_suite(f, b, &s);
	block_input(f, b, &bi, true);
	block_sk_d(f, b, (uint16_t)vec_num(b, "PRF (old)"), "SK_d (old)", &old);
	more_len = block_followup_secrets(f, b, sk0, &sk0_len, more);
	assert_int_equal(ike_keys_derive_rekey_addke(&keys_ops, &old, &s, &bi.in, sk0, sk0_len,
						     more, more_len, &k),
			 IKE_OK);
	check_sa_keys(f, b, &s, &k);
	/* Without the additional secrets the keys differ. */
	assert_int_equal(ike_keys_derive_rekey(&keys_ops, &old, &s, &bi.in, sk0, sk0_len, &k),
			 IKE_OK);
	assert_memory_not_equal(k.sk_d, old.sk_d, old.prf_len);
}

/* RFC 9370 2.2.5: a Child SA's KEYMAT after its IKE_FOLLOWUP_KE exchanges. */
void
check_followup_child_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t sk0[CRY_MAX_KEX_SECRET], more[IKE_KEYS_ADDKE_SECRETS_MAX];
	struct ike_transforms t;
	struct ike_esp_suite esp;
	struct ike_child_keys ck;
	struct ike_sa_keys sa = {0};
	struct block_input bi;
	size_t sk0_len, more_len;

	assert_int_equal(vec_transforms(b, "", &t), 0);
	t.ke = IKE_KE_ECP256;
	assert_int_equal(ike_suite_esp(&t, &esp), IKE_OK);
	block_sk_d(f, b, t.prf, "SK_d", &sa);
	block_input(f, b, &bi, false);
	more_len = block_followup_secrets(f, b, sk0, &sk0_len, more);
	assert_int_equal(ike_keys_derive_child_addke(&keys_ops, &sa, &esp, &bi.in, sk0, sk0_len,
						     more, more_len, &ck),
			 IKE_OK);
	check_esp_keys(f, b, &esp.esp, &ck);
	/* Additional secrets need SK(0), and fit the bound. */
	assert_int_equal(ike_keys_derive_child_addke(&keys_ops, &sa, &esp, &bi.in, NULL, 0, more,
						     more_len, &ck),
			 IKE_E_PARAM);
	assert_int_equal(ike_keys_derive_child_addke(&keys_ops, &sa, &esp, &bi.in, sk0, sk0_len,
						     more, IKE_KEYS_ADDKE_SECRETS_MAX + 1, &ck),
			 IKE_E_PARAM);
}
