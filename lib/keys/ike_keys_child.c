/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_keys_child.c - Child SA keying material (RFC 7296 2.17):
 *   KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr)
 * and with RFC 9370 additional key exchanges (2.2.5):
 *   KEYMAT = prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n))
 * taken initiator-to-responder SA first; within an ESP SA the encryption
 * key first (RFC 4301), with the GCM salt right after the AES key (RFC 4106 8.1).
 */
#include <string.h>

#include "ike_buf.h"
#include "ike_keys_priv.h"
#include "ike_secret.h"

#define CHILD_KEYMAT_MAX (2 * (CRY_MAX_ENC_KEY + IKE_GCM_SALT_LEN + CRY_MAX_INTEG_KEY))

enum ike_status
ike_keys_derive_child(const struct cry_ops *ops, const struct ike_sa_keys *sa,
		      const struct ike_esp_suite *esp, const struct ike_keys_input *in,
		      const uint8_t *g_ir, size_t g_ir_len, struct ike_child_keys *out)
{
	return ike_keys_derive_child_addke(ops, sa, esp, in, g_ir, g_ir_len, NULL, 0, out);
}

enum ike_status
ike_keys_derive_child_addke(const struct cry_ops *ops, const struct ike_sa_keys *sa,
			    const struct ike_esp_suite *esp, const struct ike_keys_input *in,
			    const uint8_t *g_ir, size_t g_ir_len, const uint8_t *more,
			    size_t more_len, struct ike_child_keys *out)
{
	uint8_t seed[IKE_PRF_PLUS_MAX_SEED];
	uint8_t km[CHILD_KEYMAT_MAX];
	const struct ike_cipher_suite *c = &esp->esp;
	size_t e_len = (size_t)c->enc_key_len + c->salt_len;
	size_t one = ike_cipher_suite_keymat_len(c);
	enum ike_status st;
	struct ike_wr w;

	if (!ike_keys_nonces_ok(in) || g_ir_len > CRY_MAX_KEX_SECRET ||
	    (g_ir == NULL && g_ir_len != 0) || more_len > IKE_KEYS_ADDKE_SECRETS_MAX ||
	    (more == NULL && more_len != 0) || (more_len != 0 && g_ir_len == 0))
		return IKE_E_PARAM;
	ike_wr_init(&w, seed, sizeof(seed));
	ike_wr_bytes(&w, g_ir, g_ir_len);
	ike_wr_bytes(&w, in->ni, in->ni_len);
	ike_wr_bytes(&w, in->nr, in->nr_len);
	ike_wr_bytes(&w, more, more_len);
	st = ike_prf_plus(ops, sa->prf, sa->sk_d, sa->prf_len, seed, w.off, km, 2 * one);
	if (st == IKE_OK) {
		ike_keys_fill_sk(c, km, km + e_len, &out->init_to_resp);
		ike_keys_fill_sk(c, km + one, km + one + e_len, &out->resp_to_init);
	}
	ike_wipe(seed, w.off);
	ike_wipe(km, sizeof(km));
	return st;
}

void
ike_child_keys_wipe(struct ike_child_keys *keys)
{
	ike_wipe(keys, sizeof(*keys));
}
