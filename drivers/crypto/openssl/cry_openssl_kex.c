/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_openssl_kex.c - IKE key exchange: MODP-2048 (group 14, RFC 3526),
 * ECP-256/384/521 (groups 19/20/21, RFC 5903) and Curve25519 (group 31, RFC 8031).
 * KE data and shared secrets follow the IKE encodings: MODP values are
 * left-padded to the prime's length (RFC 7296 3.4), ECP KE data is x | y
 * without a point-format octet and the secret is x (RFC 5903 7, 9).
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "cry_openssl.h"
#include "cry_openssl_priv.h"
#include "ike_secret.h"

#define EC_POINT_UNCOMPRESSED 0x04 /* SEC 1 2.3.3 */

enum kex_kind {
	KEX_MODP,
	KEX_ECP,
	KEX_X25519,
};

struct kex_group {
	uint16_t id;
	enum kex_kind kind;
	const char *type;  /* OpenSSL key type */
	const char *group; /* OpenSSL group name, NULL for X25519 */
	int nid;	   /* curve, ECP only */
	size_t pub_len;	   /* KE data length */
	size_t secret_len;
};

static const struct kex_group kex_groups[CRY_OSSL_N_KEX] = {
	{14, KEX_MODP, "DH", "modp_2048", NID_undef, 256, 256},
	{19, KEX_ECP, "EC", "P-256", NID_X9_62_prime256v1, 64, 32},
	{20, KEX_ECP, "EC", "P-384", NID_secp384r1, 96, 48},
	{21, KEX_ECP, "EC", "P-521", NID_secp521r1, 132, 66},
	{31, KEX_X25519, "X25519", NULL, NID_undef, 32, 32},
};

struct cry_kex {
	const struct kex_group *g;
	EVP_PKEY *pkey;
};

static const struct kex_group *
kex_group_find(uint16_t id)
{
	int i;

	for (i = 0; i < CRY_OSSL_N_KEX; i++)
		if (kex_groups[i].id == id)
			return &kex_groups[i];
	return NULL;
}

int
cry_ossl_kex_init(struct cry_openssl *c)
{
	int i;

	for (i = 0; i < CRY_OSSL_N_KEX; i++) {
		const struct kex_group *g = &kex_groups[i];
		OSSL_PARAM params[] = {
			OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
							 (char *)g->group, 0),
			OSSL_PARAM_construct_end(),
		};

		c->kex_gen[i] = EVP_PKEY_CTX_new_from_name(NULL, g->type, NULL);
		if (c->kex_gen[i] == NULL || EVP_PKEY_keygen_init(c->kex_gen[i]) != 1)
			return 0;
		if (g->group != NULL && !EVP_PKEY_CTX_set_params(c->kex_gen[i], params))
			return 0;
	}
	return 1;
}

void
cry_ossl_kex_fini(struct cry_openssl *c)
{
	int i;

	for (i = 0; i < CRY_OSSL_N_KEX; i++)
		EVP_PKEY_CTX_free(c->kex_gen[i]);
}

/* Writes our public value as IKE KE data. */
static enum ike_status
kex_pub_write(const struct kex_group *g, EVP_PKEY *pkey, uint8_t *pub, size_t *pub_len)
{
	uint8_t point[1 + CRY_MAX_KEX_PUB];
	BIGNUM *y = NULL;
	size_t len = g->pub_len;
	int ok = 0;

	if (*pub_len < g->pub_len)
		return IKE_E_NOSPACE;
	switch (g->kind) {
	case KEX_MODP:
		ok = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, &y) &&
		     BN_bn2binpad(y, pub, (int)g->pub_len) == (int)g->pub_len;
		BN_free(y);
		break;
	case KEX_ECP:
		ok = EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point,
						     sizeof(point), &len) &&
		     len == 1 + g->pub_len && point[0] == EC_POINT_UNCOMPRESSED;
		if (ok)
			memcpy(pub, point + 1, g->pub_len);
		break;
	case KEX_X25519:
		ok = EVP_PKEY_get_raw_public_key(pkey, pub, &len) && len == g->pub_len;
		break;
	}
	if (!ok) {
		ERR_clear_error();
		return IKE_E_CRYPTO;
	}
	*pub_len = g->pub_len;
	return IKE_OK;
}

static enum ike_status
kex_wrap(const struct kex_group *g, EVP_PKEY *pkey, struct cry_kex **kex, uint8_t *pub,
	 size_t *pub_len)
{
	enum ike_status st = kex_pub_write(g, pkey, pub, pub_len);
	struct cry_kex *k = NULL;

	if (st == IKE_OK) {
		k = OPENSSL_malloc(sizeof(*k));
		if (k == NULL)
			st = IKE_E_CRYPTO;
	}
	if (st != IKE_OK) {
		EVP_PKEY_free(pkey);
		return st;
	}
	k->g = g;
	k->pkey = pkey;
	*kex = k;
	return IKE_OK;
}

enum ike_status
cry_ossl_kex_new(void *ctx, uint16_t group, struct cry_kex **kex, uint8_t *pub, size_t *pub_len)
{
	struct cry_openssl *c = ctx;
	const struct kex_group *g = kex_group_find(group);
	EVP_PKEY *pkey = NULL;

	if (g == NULL)
		return IKE_E_UNSUPPORTED;
	if (*pub_len < g->pub_len)
		return IKE_E_NOSPACE;
	if (EVP_PKEY_generate(c->kex_gen[g - kex_groups], &pkey) != 1) {
		ERR_clear_error();
		return IKE_E_CRYPTO;
	}
	return kex_wrap(g, pkey, kex, pub, pub_len);
}

/* MODP and ECP peer values: a key with our group's parameters, range/curve checked. */
static EVP_PKEY *
kex_peer_key_ffc_ec(const struct cry_kex *kex, const uint8_t *peer, size_t peer_len)
{
	uint8_t point[1 + CRY_MAX_KEX_PUB];
	const uint8_t *enc = peer;
	size_t enc_len = peer_len;
	EVP_PKEY_CTX *check = NULL;
	EVP_PKEY *p = EVP_PKEY_new();
	int ok;

	/* RFC 5903 7: KE data is x | y; OpenSSL wants the SEC 1 uncompressed form */
	if (kex->g->kind == KEX_ECP) {
		point[0] = EC_POINT_UNCOMPRESSED;
		memcpy(point + 1, peer, peer_len);
		enc = point;
		enc_len = peer_len + 1;
	}
	ok = p != NULL && EVP_PKEY_copy_parameters(p, kex->pkey) == 1 &&
	     EVP_PKEY_set1_encoded_public_key(p, enc, enc_len) == 1;
	/* On the curve / 1 < y < p - 1 (RFC 7296 5.12, RFC 6989 2) */
	if (ok) {
		check = EVP_PKEY_CTX_new_from_pkey(NULL, p, NULL);
		ok = check != NULL && EVP_PKEY_public_check_quick(check) == 1;
	}
	EVP_PKEY_CTX_free(check);
	if (!ok) {
		EVP_PKEY_free(p);
		return NULL;
	}
	return p;
}

/* The peer's KE data as a key of our group; NULL when it is not valid. */
static EVP_PKEY *
kex_peer_key(const struct cry_kex *kex, const uint8_t *peer, size_t peer_len)
{
	if (peer_len != kex->g->pub_len)
		return NULL;
	if (kex->g->kind == KEX_X25519)
		return EVP_PKEY_new_raw_public_key_ex(NULL, kex->g->type, NULL, peer, peer_len);
	return kex_peer_key_ffc_ec(kex, peer, peer_len);
}

static int
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

enum ike_status
cry_ossl_kex_derive(void *ctx, struct cry_kex *kex, const uint8_t *peer, size_t peer_len,
		    uint8_t *secret, size_t *secret_len)
{
	const struct kex_group *g = kex->g;
	enum ike_status st = IKE_E_CRYPTO;
	EVP_PKEY_CTX *dctx = NULL;
	EVP_PKEY *p = NULL;
	size_t len = g->secret_len;

	(void)ctx;
	if (*secret_len < g->secret_len)
		return IKE_E_NOSPACE;
	p = kex_peer_key(kex, peer, peer_len);
	if (p == NULL) {
		st = IKE_E_MALFORMED;
		goto out;
	}
	dctx = EVP_PKEY_CTX_new_from_pkey(NULL, kex->pkey, NULL);
	if (dctx == NULL || EVP_PKEY_derive_init(dctx) != 1)
		goto out;
	/* RFC 7296 3.4 / RFC 2631 2.1.2: g^ir keeps the prime's length */
	if (g->kind == KEX_MODP && EVP_PKEY_CTX_set_dh_pad(dctx, 1) != 1)
		goto out;
	/* The peer was checked above; skip OpenSSL's second, full check. */
	if (EVP_PKEY_derive_set_peer_ex(dctx, p, 0) != 1)
		goto out;
	if (EVP_PKEY_derive(dctx, secret, &len) != 1) {
		/* X25519 fails here only for an all-zero result (small-order peer) */
		if (g->kind == KEX_X25519)
			st = IKE_E_MALFORMED;
		goto out;
	}
	if (len != g->secret_len)
		goto out;
	/* RFC 8031 2: an all-zero shared secret must be rejected */
	if (g->kind == KEX_X25519 && all_zero(secret, len)) {
		st = IKE_E_MALFORMED;
		goto out;
	}
	*secret_len = len;
	st = IKE_OK;
out:
	if (st != IKE_OK) {
		ike_wipe(secret, g->secret_len);
		ERR_clear_error();
	}
	EVP_PKEY_CTX_free(dctx);
	EVP_PKEY_free(p);
	return st;
}

void
cry_ossl_kex_free(void *ctx, struct cry_kex *kex)
{
	(void)ctx;
	if (kex == NULL)
		return;
	EVP_PKEY_free(kex->pkey); /* OpenSSL clears private key material on free */
	OPENSSL_free(kex);
}

/* pub = g^x mod p for the RFC 3526 2048-bit group (generator 2). */
static int
modp_params_push(OSSL_PARAM_BLD *bld, BIGNUM *x, BN_CTX *bn)
{
	BIGNUM *p = BN_get_rfc3526_prime_2048(NULL);
	BIGNUM *gen = BN_new();
	BIGNUM *y = BN_new();
	int ok = p != NULL && gen != NULL && y != NULL && BN_set_word(gen, 2) &&
		 BN_mod_exp(y, gen, x, p, bn) &&
		 OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y);

	BN_free(p);
	BN_free(gen);
	BN_free(y);
	return ok;
}

/* pub = x * G on the group's curve, uncompressed. */
static int
ecp_params_push(OSSL_PARAM_BLD *bld, const struct kex_group *g, BIGNUM *x, BN_CTX *bn,
		uint8_t *point, size_t point_len)
{
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(g->nid);
	EC_POINT *q = grp != NULL ? EC_POINT_new(grp) : NULL;
	int ok = q != NULL && EC_POINT_mul(grp, q, x, NULL, NULL, bn) &&
		 EC_POINT_point2oct(grp, q, POINT_CONVERSION_UNCOMPRESSED, point, point_len, bn) ==
			 point_len &&
		 OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, point_len);

	EC_POINT_free(q);
	EC_GROUP_free(grp);
	return ok;
}

/* Imports a private value of a MODP or ECP group, computing its public value. */
static EVP_PKEY *
kex_import_private(const struct kex_group *g, const uint8_t *priv, size_t len)
{
	uint8_t point[1 + CRY_MAX_KEX_PUB];
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, g->type, NULL);
	BIGNUM *x = BN_secure_new();
	BN_CTX *bn = BN_CTX_secure_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pkey = NULL;
	int ok = bld != NULL && ctx != NULL && x != NULL && bn != NULL &&
		 BN_bin2bn(priv, (int)len, x) != NULL &&
		 OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, g->group, 0) &&
		 OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x);

	if (ok)
		ok = g->kind == KEX_MODP ? modp_params_push(bld, x, bn)
					 : ecp_params_push(bld, g, x, bn, point, 1 + g->pub_len);
	if (ok)
		params = OSSL_PARAM_BLD_to_param(bld);
	if (params != NULL && EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params);
	OSSL_PARAM_free(params); /* clears the secure block that held x */
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_clear_free(x);
	BN_CTX_free(bn);
	return pkey;
}

enum ike_status
cry_openssl_kex_from_private(struct cry_openssl *c, uint16_t group, const uint8_t *priv, size_t len,
			     struct cry_kex **kex, uint8_t *pub, size_t *pub_len)
{
	const struct kex_group *g = kex_group_find(group);
	EVP_PKEY *pkey;

	(void)c;
	if (g == NULL)
		return IKE_E_UNSUPPORTED;
	if (len == 0 || len > CRY_MAX_KEX_SECRET)
		return IKE_E_PARAM;
	if (g->kind == KEX_X25519)
		pkey = EVP_PKEY_new_raw_private_key_ex(NULL, g->type, NULL, priv, len);
	else
		pkey = kex_import_private(g, priv, len);
	if (pkey == NULL) {
		ERR_clear_error();
		return IKE_E_PARAM;
	}
	return kex_wrap(g, pkey, kex, pub, pub_len);
}
