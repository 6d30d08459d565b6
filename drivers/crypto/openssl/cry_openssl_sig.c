/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_openssl_sig.c - AUTH payload signatures (RFC 7296 2.15, RFC 7427):
 * RSA PKCS#1 v1.5 and PSS, ECDSA as DER (RFC 7427) or as fixed-width r | s
 * (RFC 4754), and pure Ed25519 (RFC 8420).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "cry_openssl_priv.h"

enum sig_kind {
	SIG_RSA_PKCS1,
	SIG_RSA_PSS,
	SIG_ECDSA_DER,
	SIG_ECDSA_RAW,
	SIG_ED25519,
};

struct sig_scheme {
	enum sig_kind kind;
	const char *md; /* NULL: the scheme hashes itself (Ed25519) */
	int curve;	/* ECDSA_RAW: the only curve allowed */
	int width;	/* ECDSA_RAW: octets of r and of s */
};

static const struct sig_scheme sig_schemes[] = {
	[CRY_SIG_RSA_PKCS1_SHA1] = {SIG_RSA_PKCS1, "SHA1", NID_undef, 0},
	[CRY_SIG_RSA_PKCS1_SHA256] = {SIG_RSA_PKCS1, "SHA256", NID_undef, 0},
	[CRY_SIG_RSA_PKCS1_SHA384] = {SIG_RSA_PKCS1, "SHA384", NID_undef, 0},
	[CRY_SIG_RSA_PKCS1_SHA512] = {SIG_RSA_PKCS1, "SHA512", NID_undef, 0},
	[CRY_SIG_RSA_PSS_SHA256] = {SIG_RSA_PSS, "SHA256", NID_undef, 0},
	[CRY_SIG_RSA_PSS_SHA384] = {SIG_RSA_PSS, "SHA384", NID_undef, 0},
	[CRY_SIG_RSA_PSS_SHA512] = {SIG_RSA_PSS, "SHA512", NID_undef, 0},
	[CRY_SIG_ECDSA_SHA256] = {SIG_ECDSA_DER, "SHA256", NID_undef, 0},
	[CRY_SIG_ECDSA_SHA384] = {SIG_ECDSA_DER, "SHA384", NID_undef, 0},
	[CRY_SIG_ECDSA_SHA512] = {SIG_ECDSA_DER, "SHA512", NID_undef, 0},
	[CRY_SIG_ECDSA_P256_SHA256_RAW] = {SIG_ECDSA_RAW, "SHA256", NID_X9_62_prime256v1, 32},
	[CRY_SIG_ECDSA_P384_SHA384_RAW] = {SIG_ECDSA_RAW, "SHA384", NID_secp384r1, 48},
	[CRY_SIG_ED25519] = {SIG_ED25519, NULL, NID_undef, 0},
};

static int
ec_curve_nid(EVP_PKEY *pkey)
{
	char name[64];
	int nid;

	if (!EVP_PKEY_get_group_name(pkey, name, sizeof(name), NULL))
		return NID_undef;
	nid = OBJ_sn2nid(name);
	return nid != NID_undef ? nid : EC_curve_nist2nid(name);
}

/* The scheme of a usable (scheme, key) pair, or NULL. */
static const struct sig_scheme *
sig_scheme_for(enum cry_sig_scheme scheme, EVP_PKEY *pkey)
{
	const struct sig_scheme *s;

	if ((unsigned)scheme >= sizeof(sig_schemes) / sizeof(sig_schemes[0]))
		return NULL;
	s = &sig_schemes[scheme];
	switch (s->kind) {
	case SIG_RSA_PKCS1:
		return EVP_PKEY_is_a(pkey, "RSA") ? s : NULL;
	case SIG_RSA_PSS:
		return EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS") ? s : NULL;
	case SIG_ECDSA_DER:
		return EVP_PKEY_is_a(pkey, "EC") ? s : NULL;
	case SIG_ECDSA_RAW:
		return EVP_PKEY_is_a(pkey, "EC") && ec_curve_nid(pkey) == s->curve ? s : NULL;
	case SIG_ED25519:
		return EVP_PKEY_is_a(pkey, "ED25519") ? s : NULL;
	}
	return NULL;
}

static int
sig_init(EVP_MD_CTX *m, const struct sig_scheme *s, EVP_PKEY *pkey, int sign)
{
	EVP_PKEY_CTX *pctx = NULL;
	int ok = sign ? EVP_DigestSignInit_ex(m, &pctx, s->md, NULL, NULL, pkey, NULL)
		      : EVP_DigestVerifyInit_ex(m, &pctx, s->md, NULL, NULL, pkey, NULL);

	if (ok != 1)
		return 0;
	/* RFC 8247 / RFC 7427: PSS salt as long as the hash, MGF1 with the same hash */
	if (s->kind == SIG_RSA_PSS)
		return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
		       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
	return 1;
}

/* DER ECDSA-Sig-Value -> r | s, each left-padded to width octets. */
static enum ike_status
ecdsa_der_to_raw(const uint8_t *der, size_t der_len, int width, uint8_t *sig, size_t *sig_len)
{
	const unsigned char *p = der;
	ECDSA_SIG *es;
	const BIGNUM *r;
	const BIGNUM *s;
	enum ike_status st = IKE_E_CRYPTO;

	if (*sig_len < 2 * (size_t)width)
		return IKE_E_NOSPACE;
	es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (es == NULL)
		return IKE_E_CRYPTO;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, width) == width && BN_bn2binpad(s, sig + width, width) == width) {
		*sig_len = 2 * (size_t)width;
		st = IKE_OK;
	}
	ECDSA_SIG_free(es);
	return st;
}

/* r | s -> DER ECDSA-Sig-Value; 0 when sig is not 2 * width octets. */
static size_t
ecdsa_raw_to_der(const uint8_t *sig, size_t sig_len, int width, uint8_t *der, size_t der_cap)
{
	unsigned char *p = der;
	ECDSA_SIG *es;
	BIGNUM *r, *s;
	size_t len = 0;
	int n;

	/* The peer chose sig_len: check it before reading r and s. */
	if (sig_len != 2 * (size_t)width)
		return 0;
	es = ECDSA_SIG_new();
	r = BN_bin2bn(sig, width, NULL);
	s = BN_bin2bn(sig + width, width, NULL);
	if (es == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return 0;
	}
	n = i2d_ECDSA_SIG(es, NULL);
	if (n > 0 && (size_t)n <= der_cap && i2d_ECDSA_SIG(es, &p) == n)
		len = (size_t)n;
	ECDSA_SIG_free(es);
	return len;
}

enum ike_status
cry_ossl_sign(void *ctx, const struct cry_privkey *key, enum cry_sig_scheme scheme,
	      const uint8_t *data, size_t len, uint8_t *sig, size_t *sig_len)
{
	const struct sig_scheme *s = sig_scheme_for(scheme, key->pkey);
	EVP_MD_CTX *m = NULL;
	uint8_t der[CRY_MAX_SIG];
	enum ike_status st = IKE_E_CRYPTO;
	size_t need;

	(void)ctx;
	if (s == NULL)
		return IKE_E_PARAM;
	m = EVP_MD_CTX_new();
	if (m == NULL || !sig_init(m, s, key->pkey, 1) ||
	    EVP_DigestSign(m, NULL, &need, data, len) != 1)
		goto out;
	if (s->kind == SIG_ECDSA_RAW) {
		if (need > sizeof(der) || EVP_DigestSign(m, der, &need, data, len) != 1)
			goto out;
		st = ecdsa_der_to_raw(der, need, s->width, sig, sig_len);
		goto out;
	}
	if (need > *sig_len) {
		st = IKE_E_NOSPACE;
		goto out;
	}
	if (EVP_DigestSign(m, sig, &need, data, len) != 1)
		goto out;
	*sig_len = need;
	st = IKE_OK;
out:
	if (st != IKE_OK)
		ERR_clear_error();
	EVP_MD_CTX_free(m);
	return st;
}

enum ike_status
cry_ossl_verify(void *ctx, const struct cry_pubkey *key, enum cry_sig_scheme scheme,
		const uint8_t *data, size_t len, const uint8_t *sig, size_t sig_len)
{
	const struct sig_scheme *s = sig_scheme_for(scheme, key->pkey);
	EVP_MD_CTX *m = NULL;
	uint8_t der[CRY_MAX_SIG];
	enum ike_status st = IKE_E_CRYPTO;

	(void)ctx;
	if (s == NULL)
		return IKE_E_PARAM;
	if (s->kind == SIG_ECDSA_RAW) {
		sig_len = ecdsa_raw_to_der(sig, sig_len, s->width, der, sizeof(der));
		if (sig_len == 0)
			return IKE_E_INTEGRITY;
		sig = der;
	}
	m = EVP_MD_CTX_new();
	if (m == NULL || !sig_init(m, s, key->pkey, 0))
		goto out;
	/* 0 is a bad signature, < 0 a signature that does not even parse */
	st = EVP_DigestVerify(m, sig, sig_len, data, len) == 1 ? IKE_OK : IKE_E_INTEGRITY;
out:
	if (st != IKE_OK)
		ERR_clear_error();
	EVP_MD_CTX_free(m);
	return st;
}
