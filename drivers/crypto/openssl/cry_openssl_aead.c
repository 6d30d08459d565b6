/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_openssl_aead.c - SK payload (and ticket) protection, one job at a
 * time: AES-GCM-16 (RFC 5282) and AES-CBC (RFC 3602) with HMAC-SHA2
 * (RFC 4868) over the RFC 7296 section 3.14 integrity region.
 * OPEN never changes the caller's data before the ICV has been checked.
 */
#include <limits.h>
#include <string.h>

#include "cry_openssl_priv.h"
#include "ike_secret.h"

#define GCM_ICV_LEN 16
#define GCM_IV_LEN 8
#define GCM_SALT_LEN 4
#define CBC_BLOCK_LEN 16

static enum ike_status
gcm_one(struct cry_openssl *c, const struct cry_aead_job *j)
{
	const struct cry_sk_keys *k = j->keys;
	int idx = cry_ossl_aes_index(k->enc_key_len);
	int seal = j->dir == CRY_SEAL;
	uint8_t nonce[GCM_SALT_LEN + GCM_IV_LEN];
	enum ike_status st = IKE_E_CRYPTO;
	EVP_CIPHER_CTX *cc;
	uint8_t *out;
	int n = 0;
	int fin;

	if (idx < 0 || k->integ != CRY_INTEG_NONE || j->aad_len > INT_MAX || j->len > INT_MAX)
		return IKE_E_PARAM;
	if (!seal && j->len > sizeof(c->scratch))
		return IKE_E_PARAM;
	cc = c->gcm_ctx[idx];
	/* RFC 5282 section 4: nonce = salt | IV */
	memcpy(nonce, k->salt, GCM_SALT_LEN);
	memcpy(nonce + GCM_SALT_LEN, j->iv, GCM_IV_LEN);
	out = seal ? j->data : c->scratch;
	if (!EVP_CipherInit_ex2(cc, NULL, k->enc_key, nonce, seal, NULL))
		goto out;
	if (j->aad_len > 0 && !EVP_CipherUpdate(cc, NULL, &n, j->aad, (int)j->aad_len))
		goto out;
	n = 0;
	if (j->len > 0 && !EVP_CipherUpdate(cc, out, &n, j->data, (int)j->len))
		goto out;
	if (seal) {
		if (EVP_CipherFinal_ex(cc, out + n, &fin) != 1 ||
		    !EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_GET_TAG, GCM_ICV_LEN, j->icv))
			goto out;
	} else {
		if (!EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_SET_TAG, GCM_ICV_LEN, j->icv))
			goto out;
		if (EVP_CipherFinal_ex(cc, out + n, &fin) != 1) {
			st = IKE_E_INTEGRITY;
			goto out;
		}
		memcpy(j->data, c->scratch, j->len);
	}
	st = IKE_OK;
out:
	if (!seal)
		ike_wipe(c->scratch, j->len);
	return st;
}

/* Full HMAC over aad | iv | data; the caller truncates (RFC 4868 2.1.2). */
static enum ike_status
cbc_hmac(struct cry_openssl *c, const struct cry_aead_job *j, uint8_t *mac)
{
	const struct cry_sk_keys *k = j->keys;
	EVP_MAC_CTX *ctx;
	size_t mac_len;

	switch (k->integ) {
	case CRY_INTEG_HMAC_SHA256_128:
		ctx = c->hmac_ctx[CRY_HASH_SHA256];
		break;
	case CRY_INTEG_HMAC_SHA384_192:
		ctx = c->hmac_ctx[CRY_HASH_SHA384];
		break;
	case CRY_INTEG_HMAC_SHA512_256:
		ctx = c->hmac_ctx[CRY_HASH_SHA512];
		break;
	default:
		return IKE_E_PARAM;
	}
	if (!EVP_MAC_init(ctx, k->integ_key, k->integ_key_len, NULL) ||
	    !EVP_MAC_update(ctx, j->aad, j->aad_len) ||
	    !EVP_MAC_update(ctx, j->iv, CBC_BLOCK_LEN) || !EVP_MAC_update(ctx, j->data, j->len) ||
	    !EVP_MAC_final(ctx, mac, &mac_len, CRY_MAX_PRF_LEN))
		return IKE_E_CRYPTO;
	return IKE_OK;
}

static enum ike_status
cbc_crypt(struct cry_openssl *c, int idx, const struct cry_aead_job *j, int seal)
{
	EVP_CIPHER_CTX *cc = c->cbc_ctx[idx];
	int n = 0;
	int fin;

	/* No EVP padding: the IKE payload carries its own (RFC 7296 3.14). */
	if (!EVP_CipherInit_ex2(cc, NULL, j->keys->enc_key, j->iv, seal, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(cc, 0))
		return IKE_E_CRYPTO;
	if (j->len > 0 && !EVP_CipherUpdate(cc, j->data, &n, j->data, (int)j->len))
		return IKE_E_CRYPTO;
	if (EVP_CipherFinal_ex(cc, j->data + n, &fin) != 1 || (size_t)n + (size_t)fin != j->len)
		return IKE_E_CRYPTO;
	return IKE_OK;
}

static enum ike_status
cbc_hmac_one(struct cry_openssl *c, const struct cry_aead_job *j)
{
	const struct cry_sk_keys *k = j->keys;
	int idx = cry_ossl_aes_index(k->enc_key_len);
	size_t icv_len = cry_integ_icv_len(k->integ);
	uint8_t mac[CRY_MAX_PRF_LEN];
	enum ike_status st;

	if (idx < 0 || icv_len == 0 || k->integ_key_len == 0 ||
	    k->integ_key_len > CRY_MAX_INTEG_KEY || j->len % CBC_BLOCK_LEN != 0 || j->len > INT_MAX)
		return IKE_E_PARAM;
	if (j->dir == CRY_SEAL) {
		st = cbc_crypt(c, idx, j, 1);
		if (st == IKE_OK)
			st = cbc_hmac(c, j, mac);
		if (st == IKE_OK)
			memcpy(j->icv, mac, icv_len);
	} else {
		st = cbc_hmac(c, j, mac);
		if (st == IKE_OK && !ike_ct_eq(mac, j->icv, icv_len))
			st = IKE_E_INTEGRITY;
		if (st == IKE_OK)
			st = cbc_crypt(c, idx, j, 0);
	}
	ike_wipe(mac, sizeof(mac));
	return st;
}

unsigned
cry_ossl_aead_burst(void *ctx, struct cry_aead_job *jobs, unsigned n)
{
	unsigned i;
	unsigned ok = 0;

	for (i = 0; i < n; i++) {
		struct cry_aead_job *j = &jobs[i];

		switch (j->keys->cipher) {
		case CRY_CIPHER_AES_GCM_16:
			j->status = gcm_one(ctx, j);
			break;
		case CRY_CIPHER_AES_CBC:
			j->status = cbc_hmac_one(ctx, j);
			break;
		default:
			j->status = IKE_E_UNSUPPORTED;
			break;
		}
		ok += j->status == IKE_OK;
	}
	return ok;
}
