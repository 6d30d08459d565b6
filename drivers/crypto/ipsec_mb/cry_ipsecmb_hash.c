/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_ipsecmb_hash.c - SHA-1/SHA-2 digests and HMAC key preparation
 * (RFC 2104 section 2) with ipsec-mb's whole-message and one-block hashes.
 */
#include <string.h>

#include "cry_ipsecmb_priv.h"
#include "ike_secret.h"

#define HMAC_BLOCK_MAX 128

const uint8_t cry_ipsecmb_empty[16];

static enum cry_hash_alg
prf_hash_alg(enum cry_prf_alg alg)
{
	switch (alg) {
	case CRY_PRF_HMAC_SHA1:
		return CRY_HASH_SHA1;
	case CRY_PRF_HMAC_SHA256:
		return CRY_HASH_SHA256;
	case CRY_PRF_HMAC_SHA384:
		return CRY_HASH_SHA384;
	case CRY_PRF_HMAC_SHA512:
		break;
	}
	return CRY_HASH_SHA512;
}

IMB_HASH_ALG
cry_ipsecmb_hmac_alg(enum cry_prf_alg alg)
{
	switch (alg) {
	case CRY_PRF_HMAC_SHA1:
		return IMB_AUTH_HMAC_SHA_1;
	case CRY_PRF_HMAC_SHA256:
		return IMB_AUTH_HMAC_SHA_256;
	case CRY_PRF_HMAC_SHA384:
		return IMB_AUTH_HMAC_SHA_384;
	case CRY_PRF_HMAC_SHA512:
		return IMB_AUTH_HMAC_SHA_512;
	}
	return IMB_AUTH_NULL;
}

static void
digest(IMB_MGR *mgr, enum cry_hash_alg alg, const uint8_t *data, size_t len, uint8_t *out)
{
	if (len == 0)
		data = cry_ipsecmb_empty;
	switch (alg) {
	case CRY_HASH_SHA1:
		IMB_SHA1(mgr, data, len, out);
		break;
	case CRY_HASH_SHA256:
		IMB_SHA256(mgr, data, len, out);
		break;
	case CRY_HASH_SHA384:
		IMB_SHA384(mgr, data, len, out);
		break;
	case CRY_HASH_SHA512:
		IMB_SHA512(mgr, data, len, out);
		break;
	}
}

/* The unfinalised state after one block, which is what HMAC jobs start from. */
static void
one_block(IMB_MGR *mgr, enum cry_prf_alg alg, const uint8_t *block, uint8_t *state)
{
	switch (alg) {
	case CRY_PRF_HMAC_SHA1:
		IMB_SHA1_ONE_BLOCK(mgr, block, state);
		break;
	case CRY_PRF_HMAC_SHA256:
		if (mgr->features & IMB_FEATURE_SHANI)
			cry_ipsecmb_sha256_block_shani(block, state);
		else
			IMB_SHA256_ONE_BLOCK(mgr, block, state);
		break;
	case CRY_PRF_HMAC_SHA384:
		IMB_SHA384_ONE_BLOCK(mgr, block, state);
		break;
	case CRY_PRF_HMAC_SHA512:
		IMB_SHA512_ONE_BLOCK(mgr, block, state);
		break;
	}
}

enum ike_status
cry_ipsecmb_hash(void *ctx, enum cry_hash_alg alg, const uint8_t *data, size_t len,
		 uint8_t *out)
{
	struct cry_ipsecmb *c = ctx;

	if (alg > CRY_HASH_SHA512)
		return IKE_E_UNSUPPORTED;
	if (out == NULL || (data == NULL && len > 0))
		return IKE_E_PARAM;
	digest(c->mgr, alg, data, len, out);
	return IKE_OK;
}

void
cry_ipsecmb_hmac_pads(IMB_MGR *mgr, enum cry_prf_alg alg, const uint8_t *key, size_t key_len,
		      struct cry_ipsecmb_hmac_pads *pads)
{
	uint8_t block[HMAC_BLOCK_MAX] __attribute__((aligned(16)));
	uint8_t hashed[CRY_MAX_PRF_LEN];
	size_t block_len = cry_prf_block_len(alg);
	size_t i;

	/* RFC 2104: keys longer than the block are replaced by their hash. */
	if (key_len > block_len) {
		digest(mgr, prf_hash_alg(alg), key, key_len, hashed);
		key = hashed;
		key_len = cry_prf_len(alg);
	}
	memset(block, 0x36, block_len);
	for (i = 0; i < key_len; i++)
		block[i] ^= key[i];
	one_block(mgr, alg, block, pads->ipad);
	/* 0x36 ^ 0x5c turns K ^ ipad into K ^ opad in place. */
	for (i = 0; i < block_len; i++)
		block[i] ^= 0x36 ^ 0x5c;
	one_block(mgr, alg, block, pads->opad);
	ike_wipe(block, sizeof(block));
	ike_wipe(hashed, sizeof(hashed));
}

void
cry_ipsecmb_hmac_empty(IMB_MGR *mgr, enum cry_prf_alg alg, const uint8_t *key, size_t key_len,
		       uint8_t *out)
{
	uint8_t buf[HMAC_BLOCK_MAX + CRY_MAX_PRF_LEN];
	uint8_t hashed[CRY_MAX_PRF_LEN];
	enum cry_hash_alg h = prf_hash_alg(alg);
	size_t block_len = cry_prf_block_len(alg);
	size_t out_len = cry_prf_len(alg);
	size_t i;

	if (key_len > block_len) {
		digest(mgr, h, key, key_len, hashed);
		key = hashed;
		key_len = out_len;
	}
	/* inner = H(K ^ ipad), then H(K ^ opad | inner) */
	memset(buf, 0x36, block_len);
	for (i = 0; i < key_len; i++)
		buf[i] ^= key[i];
	digest(mgr, h, buf, block_len, buf + block_len);
	for (i = 0; i < block_len; i++)
		buf[i] ^= 0x36 ^ 0x5c;
	digest(mgr, h, buf, block_len + out_len, out);
	ike_wipe(buf, sizeof(buf));
	ike_wipe(hashed, sizeof(hashed));
}
