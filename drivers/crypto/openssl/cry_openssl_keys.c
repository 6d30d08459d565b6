/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_openssl_keys.c - key and certificate handling for AUTH: PEM loading
 * for configuration and tests, and peer certificates (RFC 7296 3.6, DER
 * X.509) validated against the configured trust store.
 */
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509_vfy.h>

#include "cry_openssl.h"
#include "cry_openssl_priv.h"
#include "ike_log.h"

struct cry_pubkey *
cry_ossl_pubkey_wrap(EVP_PKEY *pkey)
{
	struct cry_pubkey *k;

	if (pkey == NULL)
		return NULL;
	k = OPENSSL_malloc(sizeof(*k));
	if (k == NULL) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	k->pkey = pkey;
	return k;
}

void
cry_ossl_pubkey_free(void *ctx, struct cry_pubkey *key)
{
	(void)ctx;
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	OPENSSL_free(key);
}

struct cry_privkey *
cry_openssl_privkey_load(const char *pem_path)
{
	BIO *bio = BIO_new_file(pem_path, "r");
	EVP_PKEY *pkey = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	struct cry_privkey *k = NULL;

	BIO_free(bio);
	if (pkey != NULL)
		k = OPENSSL_malloc(sizeof(*k));
	if (k == NULL) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.openssl: cannot load private key %s", pem_path);
		EVP_PKEY_free(pkey);
		ERR_clear_error();
		return NULL;
	}
	k->pkey = pkey;
	return k;
}

void
cry_openssl_privkey_free(struct cry_privkey *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	OPENSSL_free(k);
}

struct cry_pubkey *
cry_openssl_pubkey_load(const char *pem_path)
{
	BIO *bio = BIO_new_file(pem_path, "r");
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;
	struct cry_pubkey *k;

	if (bio != NULL) {
		pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
		/* not a public key: rewind and try a certificate */
		if (pkey == NULL && BIO_reset(bio) == 0)
			cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		if (cert != NULL)
			pkey = X509_get_pubkey(cert);
	}
	X509_free(cert);
	BIO_free(bio);
	k = cry_ossl_pubkey_wrap(pkey);
	if (k == NULL) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.openssl: cannot load public key %s", pem_path);
		ERR_clear_error();
		return NULL;
	}
	ERR_clear_error(); /* the failed PUBKEY attempt */
	return k;
}

enum ike_status
cry_openssl_cert_load_der(const char *pem_path, uint8_t **der, size_t *der_len)
{
	BIO *bio = BIO_new_file(pem_path, "r");
	X509 *cert = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	int len = cert != NULL ? i2d_X509(cert, NULL) : -1;
	uint8_t *buf = len > 0 ? malloc((size_t)len) : NULL, *p = buf;
	enum ike_status rc = IKE_E_PARAM;

	if (buf != NULL && i2d_X509(cert, &p) == len) {
		*der = buf;
		*der_len = (size_t)len;
		buf = NULL;
		rc = IKE_OK;
	} else {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.openssl: no PEM certificate in %s", pem_path);
	}
	free(buf);
	X509_free(cert);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

enum ike_status
cry_openssl_ca_keyids(const char *pem_path, uint8_t *out, size_t cap, size_t *len)
{
	BIO *bio = BIO_new_file(pem_path, "r");
	enum ike_status rc = IKE_E_PARAM;
	uint8_t *spki;
	X509 *cert;
	int n;

	*len = 0;
	while (bio != NULL && (cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		/*
		 * RFC 7296 3.7: SHA-1 of the whole DER SubjectPublicKeyInfo (not
		 * X509_pubkey_digest(), which hashes only the key's bit string).
		 */
		spki = NULL;
		n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki);
		X509_free(cert);
		if (cap - *len < CRY_OPENSSL_KEYID_LEN || n <= 0 ||
		    SHA1(spki, (size_t)n, out + *len) == NULL) {
			OPENSSL_free(spki);
			rc = cap - *len < CRY_OPENSSL_KEYID_LEN ? IKE_E_NOSPACE : IKE_E_CRYPTO;
			goto out;
		}
		OPENSSL_free(spki);
		*len += CRY_OPENSSL_KEYID_LEN;
	}
	rc = *len != 0 ? IKE_OK : IKE_E_PARAM;
out:
	if (rc != IKE_OK)
		ike_log(IKE_LOG_ERR, "ikefarm.drv.openssl: %s: %s", pem_path,
			rc == IKE_E_NOSPACE ? "more CA certificates than room for their hashes"
			: rc == IKE_E_CRYPTO ? "cannot hash a public key"
					     : "no PEM certificate");
	BIO_free(bio);
	ERR_clear_error(); /* the end-of-file of the last read */
	return rc;
}

enum ike_status
cry_openssl_set_trust(struct cry_openssl *c, const char *ca_pem_path)
{
	X509_STORE *store = X509_STORE_new();

	if (store == NULL || X509_STORE_load_file(store, ca_pem_path) != 1) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.openssl: cannot load CA file %s", ca_pem_path);
		X509_STORE_free(store);
		ERR_clear_error();
		return IKE_E_PARAM;
	}
	X509_STORE_free(c->trust);
	c->trust = store;
	return IKE_OK;
}

enum ike_status
cry_ossl_cert_pubkey(void *ctx, const uint8_t *der, size_t len, struct cry_pubkey **key)
{
	struct cry_openssl *c = ctx;
	const unsigned char *p = der;
	X509_STORE_CTX *sc = NULL;
	enum ike_status st = IKE_E_MALFORMED;
	X509 *cert;

	*key = NULL;
	if (c->trust == NULL)
		return IKE_E_PARAM;
	cert = d2i_X509(NULL, &p, (long)len);
	if (cert == NULL || p != der + len)
		goto out;
	st = IKE_E_CRYPTO;
	sc = X509_STORE_CTX_new();
	if (sc == NULL || X509_STORE_CTX_init(sc, c->trust, cert, NULL) != 1)
		goto out;
	if (X509_verify_cert(sc) != 1) {
		st = IKE_E_INTEGRITY;
		goto out;
	}
	*key = cry_ossl_pubkey_wrap(X509_get_pubkey(cert));
	st = *key != NULL ? IKE_OK : IKE_E_CRYPTO;
out:
	if (st != IKE_OK)
		ERR_clear_error();
	X509_STORE_CTX_free(sc);
	X509_free(cert);
	return st;
}
