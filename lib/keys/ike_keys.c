/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_keys.c - IKE SA key schedule: SKEYSEED for a new SA (RFC 7296 2.14),
 * a rekeyed SA (2.18), a resumed SA (RFC 5723 5.1) and after an additional
 * key exchange (RFC 9370 2.2.2), and the SK_* split of prf+ output.
 */
#include <stdbool.h>
#include <string.h>

#include "ike_buf.h"
#include "ike_keys_priv.h"
#include "ike_secret.h"

/* RFC 5723 5.1: "encoded as 10 ASCII characters, with no NULL terminator". */
const uint8_t ike_resumption_label[IKE_RESUMPTION_LABEL_LEN] = {'R', 'e', 's', 'u', 'm',
								'p', 't', 'i', 'o', 'n'};

#define SA_KEYMAT_MAX (3 * CRY_MAX_PRF_LEN + 2 * CRY_MAX_INTEG_KEY + 2 * IKE_MAX_SK_E)

bool
ike_keys_nonces_ok(const struct ike_keys_input *in)
{
	return in->ni != NULL && in->nr != NULL && in->ni_len > 0 && in->nr_len > 0 &&
	       in->ni_len <= IKE_NONCE_MAX && in->nr_len <= IKE_NONCE_MAX;
}

void
ike_keys_fill_sk(const struct ike_cipher_suite *c, const uint8_t *sk_e, const uint8_t *sk_a,
		 struct cry_sk_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->cipher = c->cipher;
	k->integ = c->integ;
	k->enc_key_len = c->enc_key_len;
	k->integ_key_len = c->integ_key_len;
	memcpy(k->enc_key, sk_e, c->enc_key_len);
	memcpy(k->salt, sk_e + c->enc_key_len, c->salt_len);
	memcpy(k->integ_key, sk_a, c->integ_key_len);
}

enum ike_status
ike_keys_skeyseed(const struct cry_ops *ops, enum cry_prf_alg prf, const struct ike_keys_input *in,
		  const uint8_t *g_ir, size_t g_ir_len, uint8_t *out)
{
	uint8_t key[2 * IKE_NONCE_MAX];
	enum ike_status st;
	struct ike_wr w;

	if (!ike_keys_nonces_ok(in) || g_ir_len > CRY_MAX_KEX_SECRET)
		return IKE_E_PARAM;
	/* SKEYSEED = prf(Ni | Nr, g^ir) */
	ike_wr_init(&w, key, sizeof(key));
	ike_wr_bytes(&w, in->ni, in->ni_len);
	ike_wr_bytes(&w, in->nr, in->nr_len);
	st = cry_prf(ops, prf, key, w.off, g_ir, g_ir_len, out);
	ike_wipe(key, w.off);
	return st;
}

/*
 * SKEYSEED = prf(SK_d(old), [label |] [g^ir |] Ni | Nr [| SK(1) | ... | SK(n)]):
 * rekey, RFC 9370 (IKE_INTERMEDIATE and IKE_FOLLOWUP_KE) and RFC 5723.
 */
static enum ike_status
skeyseed_from_sk_d(const struct cry_ops *ops, enum cry_prf_alg prf, const uint8_t *sk_d,
		   size_t sk_d_len, const void *prefix, size_t prefix_len,
		   const struct ike_keys_input *in, const uint8_t *more, size_t more_len,
		   uint8_t *out)
{
	uint8_t data[CRY_MAX_KEX_SECRET + 2 * IKE_NONCE_MAX + IKE_KEYS_ADDKE_SECRETS_MAX];
	enum ike_status st;
	struct ike_wr w;

	if (!ike_keys_nonces_ok(in) || prefix_len > CRY_MAX_KEX_SECRET ||
	    more_len > IKE_KEYS_ADDKE_SECRETS_MAX || (more == NULL && more_len != 0))
		return IKE_E_PARAM;
	ike_wr_init(&w, data, sizeof(data));
	ike_wr_bytes(&w, prefix, prefix_len);
	ike_wr_bytes(&w, in->ni, in->ni_len);
	ike_wr_bytes(&w, in->nr, in->nr_len);
	ike_wr_bytes(&w, more, more_len);
	st = cry_prf(ops, prf, sk_d, sk_d_len, data, w.off, out);
	ike_wipe(data, w.off);
	return st;
}

enum ike_status
ike_keys_skeyseed_rekey(const struct cry_ops *ops, enum cry_prf_alg prf_old,
			const uint8_t *sk_d_old, size_t sk_d_len, const struct ike_keys_input *in,
			const uint8_t *g_ir, size_t g_ir_len, uint8_t *out)
{
	/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) */
	return skeyseed_from_sk_d(ops, prf_old, sk_d_old, sk_d_len, g_ir, g_ir_len, in, NULL, 0,
				  out);
}

enum ike_status
ike_keys_skeyseed_resume(const struct cry_ops *ops, enum cry_prf_alg prf, const uint8_t *sk_d_old,
			 size_t sk_d_len, const struct ike_keys_input *in, uint8_t *out)
{
	/* SKEYSEED = prf(SK_d_old, "Resumption" | Ni | Nr) */
	return skeyseed_from_sk_d(ops, prf, sk_d_old, sk_d_len, ike_resumption_label,
				  sizeof(ike_resumption_label), in, NULL, 0, out);
}

static const uint8_t *
take(const uint8_t **p, size_t n)
{
	const uint8_t *at = *p;

	*p += n;
	return at;
}

void
ike_keys_split(const struct ike_suite *su, const uint8_t *km, struct ike_sa_keys *keys)
{
	const struct ike_cipher_suite *c = &su->sk;
	size_t prf_len = su->prf_len;
	size_t a_len = c->integ_key_len;
	size_t e_len = (size_t)c->enc_key_len + c->salt_len;
	const uint8_t *p = km;

	ike_sa_keys_wipe(keys);
	keys->prf = su->prf;
	keys->prf_len = (uint8_t)prf_len;
	keys->integ_key_len = (uint8_t)a_len;
	keys->sk_e_len = (uint8_t)e_len;
	/* {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} */
	memcpy(keys->sk_d, take(&p, prf_len), prf_len);
	memcpy(keys->sk_ai, take(&p, a_len), a_len);
	memcpy(keys->sk_ar, take(&p, a_len), a_len);
	memcpy(keys->sk_ei, take(&p, e_len), e_len);
	memcpy(keys->sk_er, take(&p, e_len), e_len);
	memcpy(keys->sk_pi, take(&p, prf_len), prf_len);
	memcpy(keys->sk_pr, take(&p, prf_len), prf_len);
	ike_keys_fill_sk(c, keys->sk_ei, keys->sk_ai, &keys->init_to_resp);
	ike_keys_fill_sk(c, keys->sk_er, keys->sk_ar, &keys->resp_to_init);
}

enum ike_status
ike_keys_expand(const struct cry_ops *ops, const struct ike_suite *suite, const uint8_t *skeyseed,
		size_t skeyseed_len, const struct ike_keys_input *in, struct ike_sa_keys *keys)
{
	uint8_t seed[2 * IKE_NONCE_MAX + 2 * IKE_SPI_LEN];
	uint8_t km[SA_KEYMAT_MAX];
	const struct ike_cipher_suite *c = &suite->sk;
	size_t prf_len = suite->prf_len;
	size_t a_len = c->integ_key_len;
	size_t e_len = (size_t)c->enc_key_len + c->salt_len;
	size_t km_len = 3 * prf_len + 2 * a_len + 2 * e_len;
	enum ike_status st;
	struct ike_wr w;

	if (!ike_keys_nonces_ok(in))
		return IKE_E_PARAM;
	/* {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+ (SKEYSEED, Ni | Nr | SPIi |
	 * SPIr) */
	ike_wr_init(&w, seed, sizeof(seed));
	ike_wr_bytes(&w, in->ni, in->ni_len);
	ike_wr_bytes(&w, in->nr, in->nr_len);
	ike_wr_bytes(&w, in->spi_i, IKE_SPI_LEN);
	ike_wr_bytes(&w, in->spi_r, IKE_SPI_LEN);
	st = ike_prf_plus(ops, suite->prf, skeyseed, skeyseed_len, seed, w.off, km, km_len);
	if (st != IKE_OK)
		goto out;
	ike_keys_split(suite, km, keys);
out:
	ike_wipe(km, sizeof(km));
	return st;
}

enum ike_status
ike_keys_derive_ike(const struct cry_ops *ops, const struct ike_suite *suite,
		    const struct ike_keys_input *in, const uint8_t *g_ir, size_t g_ir_len,
		    struct ike_sa_keys *keys)
{
	uint8_t skeyseed[CRY_MAX_PRF_LEN];
	enum ike_status st;

	st = ike_keys_skeyseed(ops, suite->prf, in, g_ir, g_ir_len, skeyseed);
	if (st == IKE_OK)
		st = ike_keys_expand(ops, suite, skeyseed, suite->prf_len, in, keys);
	ike_wipe(skeyseed, sizeof(skeyseed));
	return st;
}

enum ike_status
ike_keys_derive_rekey_addke(const struct cry_ops *ops, const struct ike_sa_keys *old,
			    const struct ike_suite *suite, const struct ike_keys_input *in,
			    const uint8_t *sk0, size_t sk0_len, const uint8_t *more,
			    size_t more_len, struct ike_sa_keys *new_keys)
{
	uint8_t skeyseed[CRY_MAX_PRF_LEN];
	enum ike_status st;

	/* RFC 7296 2.18: the old SA's PRF makes SKEYSEED, the new SA's PRF the keys. */
	st = skeyseed_from_sk_d(ops, old->prf, old->sk_d, old->prf_len, sk0, sk0_len, in, more,
				more_len, skeyseed);
	if (st == IKE_OK)
		st = ike_keys_expand(ops, suite, skeyseed, cry_prf_len(old->prf), in, new_keys);
	ike_wipe(skeyseed, sizeof(skeyseed));
	return st;
}

enum ike_status
ike_keys_derive_rekey(const struct cry_ops *ops, const struct ike_sa_keys *old,
		      const struct ike_suite *suite, const struct ike_keys_input *in,
		      const uint8_t *g_ir, size_t g_ir_len, struct ike_sa_keys *new_keys)
{
	return ike_keys_derive_rekey_addke(ops, old, suite, in, g_ir, g_ir_len, NULL, 0,
					   new_keys);
}

enum ike_status
ike_keys_derive_resume(const struct cry_ops *ops, const struct ike_suite *suite,
		       const uint8_t *sk_d_old, size_t sk_d_len, const struct ike_keys_input *in,
		       struct ike_sa_keys *keys)
{
	uint8_t skeyseed[CRY_MAX_PRF_LEN];
	enum ike_status st;

	st = ike_keys_skeyseed_resume(ops, suite->prf, sk_d_old, sk_d_len, in, skeyseed);
	if (st == IKE_OK)
		st = ike_keys_expand(ops, suite, skeyseed, suite->prf_len, in, keys);
	ike_wipe(skeyseed, sizeof(skeyseed));
	return st;
}

enum ike_status
ike_keys_update_addke(const struct cry_ops *ops, const struct ike_suite *suite,
		      const struct ike_keys_input *in, const uint8_t *sk_n, size_t sk_n_len,
		      struct ike_sa_keys *keys)
{
	uint8_t skeyseed[CRY_MAX_PRF_LEN];
	enum ike_status st;

	/* SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr) */
	st = ike_keys_skeyseed_rekey(ops, keys->prf, keys->sk_d, keys->prf_len, in, sk_n, sk_n_len,
				     skeyseed);
	/* {SK_d(n) | ... | SK_pr(n)} = prf+ (SKEYSEED(n), Ni | Nr | SPIi | SPIr) */
	if (st == IKE_OK)
		st = ike_keys_expand(ops, suite, skeyseed, cry_prf_len(keys->prf), in, keys);
	ike_wipe(skeyseed, sizeof(skeyseed));
	return st;
}

void
ike_sa_keys_wipe(struct ike_sa_keys *keys)
{
	ike_wipe(keys, sizeof(*keys));
}
