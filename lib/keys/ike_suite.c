/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_suite.c - map negotiated transform IDs (RFC 7296 3.3.2, RFC 4868,
 * RFC 5282) to the algorithms and sizes cry_ops implements. Anything
 * outside that set is IKE_E_UNSUPPORTED, so proposal selection can use
 * these functions as its capability test.
 */
#include <stdbool.h>
#include <string.h>

#include "ike_const.h"
#include "ike_suite.h"

#define AES_BLOCK_LEN 16
#define GCM_IV_LEN 8   /* RFC 5282 3.1 */
#define GCM_ICV_LEN 16 /* AES-GCM with a 16-octet ICV (transform 20) */

static enum ike_status
aes_key_len(uint16_t bits, uint8_t *len)
{
	/* RFC 7296 3.3.5: AES has no default length; the attribute is mandatory. */
	if (bits != 128 && bits != 192 && bits != 256)
		return IKE_E_UNSUPPORTED;
	*len = (uint8_t)(bits / 8);
	return IKE_OK;
}

static enum ike_status
integ_alg(uint16_t id, enum cry_integ *integ)
{
	switch (id) {
	case IKE_INTEG_HMAC_SHA2_256_128:
		*integ = CRY_INTEG_HMAC_SHA256_128;
		return IKE_OK;
	case IKE_INTEG_HMAC_SHA2_384_192:
		*integ = CRY_INTEG_HMAC_SHA384_192;
		return IKE_OK;
	case IKE_INTEG_HMAC_SHA2_512_256:
		*integ = CRY_INTEG_HMAC_SHA512_256;
		return IKE_OK;
	default:
		return IKE_E_UNSUPPORTED;
	}
}

static enum ike_status
cipher_suite(const struct ike_transforms *t, struct ike_cipher_suite *c)
{
	enum ike_status st;

	memset(c, 0, sizeof(*c));
	st = aes_key_len(t->encr_key_bits, &c->enc_key_len);
	if (st != IKE_OK)
		return st;
	switch (t->encr) {
	case IKE_ENCR_AES_GCM_16:
		/* RFC 5282 8: a combined mode takes no integrity transform (or NONE). */
		if (t->integ != IKE_INTEG_NONE)
			return IKE_E_UNSUPPORTED;
		c->cipher = CRY_CIPHER_AES_GCM_16;
		c->integ = CRY_INTEG_NONE;
		c->salt_len = IKE_GCM_SALT_LEN;
		c->iv_len = GCM_IV_LEN;
		c->block_len = 1; /* RFC 5282 3: no alignment requirement */
		c->icv_len = GCM_ICV_LEN;
		return IKE_OK;
	case IKE_ENCR_AES_CBC:
		st = integ_alg(t->integ, &c->integ);
		if (st != IKE_OK)
			return st;
		c->cipher = CRY_CIPHER_AES_CBC;
		c->iv_len = AES_BLOCK_LEN;
		c->block_len = AES_BLOCK_LEN;
		c->icv_len = (uint8_t)cry_integ_icv_len(c->integ);
		c->integ_key_len = (uint8_t)cry_integ_key_len(c->integ);
		return IKE_OK;
	default:
		return IKE_E_UNSUPPORTED;
	}
}

static enum ike_status
prf_alg(uint16_t id, enum cry_prf_alg *prf)
{
	switch (id) {
	case IKE_PRF_HMAC_SHA1:
		*prf = CRY_PRF_HMAC_SHA1;
		return IKE_OK;
	case IKE_PRF_HMAC_SHA2_256:
		*prf = CRY_PRF_HMAC_SHA256;
		return IKE_OK;
	case IKE_PRF_HMAC_SHA2_384:
		*prf = CRY_PRF_HMAC_SHA384;
		return IKE_OK;
	case IKE_PRF_HMAC_SHA2_512:
		*prf = CRY_PRF_HMAC_SHA512;
		return IKE_OK;
	default:
		return IKE_E_UNSUPPORTED;
	}
}

/* The groups the kex_new entry point of cry_ops supports. */
static bool
ke_supported(uint16_t ke)
{
	return ke == IKE_KE_MODP2048 || ke == IKE_KE_ECP256 || ke == IKE_KE_ECP384 ||
	       ke == IKE_KE_ECP521 || ke == IKE_KE_CURVE25519;
}

enum ike_status
ike_suite_ike(const struct ike_transforms *t, struct ike_suite *out)
{
	enum ike_status st;

	memset(out, 0, sizeof(*out));
	if (!ke_supported(t->ke))
		return IKE_E_UNSUPPORTED;
	st = prf_alg(t->prf, &out->prf);
	if (st != IKE_OK)
		return st;
	st = cipher_suite(t, &out->sk);
	if (st != IKE_OK)
		return st;
	out->prf_len = (uint8_t)cry_prf_len(out->prf);
	out->ke = t->ke;
	return IKE_OK;
}

enum ike_status
ike_suite_esp(const struct ike_transforms *t, struct ike_esp_suite *out)
{
	enum ike_status st;

	memset(out, 0, sizeof(*out));
	if (t->ke != IKE_KE_NONE && !ke_supported(t->ke))
		return IKE_E_UNSUPPORTED;
	st = cipher_suite(t, &out->esp);
	if (st != IKE_OK)
		return st;
	out->ke = t->ke;
	return IKE_OK;
}
