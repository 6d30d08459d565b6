/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_openssl.c - lifetime of the per-thread OpenSSL context: every
 * algorithm is fetched and every reusable context created here, once, so
 * the per-job paths only re-key.
 */
#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/x509_vfy.h>

#include "cry_openssl.h"
#include "cry_openssl_priv.h"
#include "ike_log.h"
#include "ike_secret.h"

static const char *const hash_names[CRY_OSSL_N_HASH] = {"SHA1", "SHA256", "SHA384", "SHA512"};
static const char *const gcm_names[CRY_OSSL_N_AES] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"};
static const char *const cbc_names[CRY_OSSL_N_AES] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};

static const struct cry_sym_ops cry_openssl_sym_ops = {
	.name = "openssl",
	.prf_burst = cry_ossl_prf_burst,
	.aead_burst = cry_ossl_aead_burst,
	.hash = cry_ossl_hash,
};

static const struct cry_asym_ops cry_openssl_asym_ops = {
	.name = "openssl",
	.random = cry_ossl_random,
	.kex_new = cry_ossl_kex_new,
	.kex_derive = cry_ossl_kex_derive,
	.kex_free = cry_ossl_kex_free,
	.sign = cry_ossl_sign,
	.verify = cry_ossl_verify,
	.cert_pubkey = cry_ossl_cert_pubkey,
	.pubkey_free = cry_ossl_pubkey_free,
};

int
cry_ossl_aes_index(size_t key_len)
{
	switch (key_len) {
	case 16:
		return 0;
	case 24:
		return 1;
	case 32:
		return 2;
	}
	return -1;
}

static EVP_MAC_CTX *
hmac_ctx_new(EVP_MAC *hmac, const char *digest)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(hmac);

	if (ctx != NULL && !EVP_MAC_CTX_set_params(ctx, params)) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static EVP_CIPHER_CTX *
cipher_ctx_new(const EVP_CIPHER *cipher)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx != NULL && !EVP_CipherInit_ex2(ctx, cipher, NULL, NULL, 1, NULL)) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int
fetch_all(struct cry_openssl *c)
{
	int i;

	c->hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (c->hmac == NULL)
		return 0;
	for (i = 0; i < CRY_OSSL_N_HASH; i++) {
		c->md[i] = EVP_MD_fetch(NULL, hash_names[i], NULL);
		c->hmac_ctx[i] = hmac_ctx_new(c->hmac, hash_names[i]);
		if (c->md[i] == NULL || c->hmac_ctx[i] == NULL)
			return 0;
	}
	c->md_ctx = EVP_MD_CTX_new();
	if (c->md_ctx == NULL)
		return 0;
	for (i = 0; i < CRY_OSSL_N_AES; i++) {
		c->gcm[i] = EVP_CIPHER_fetch(NULL, gcm_names[i], NULL);
		c->cbc[i] = EVP_CIPHER_fetch(NULL, cbc_names[i], NULL);
		if (c->gcm[i] == NULL || c->cbc[i] == NULL)
			return 0;
		c->gcm_ctx[i] = cipher_ctx_new(c->gcm[i]);
		c->cbc_ctx[i] = cipher_ctx_new(c->cbc[i]);
		if (c->gcm_ctx[i] == NULL || c->cbc_ctx[i] == NULL)
			return 0;
	}
	return cry_ossl_kex_init(c);
}

struct cry_openssl *
cry_openssl_create(void)
{
	struct cry_openssl *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.openssl: out of memory");
		return NULL;
	}
	if (!fetch_all(c)) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.openssl: cannot fetch algorithms");
		cry_openssl_destroy(c);
		return NULL;
	}
	return c;
}

void
cry_openssl_destroy(struct cry_openssl *c)
{
	int i;

	if (c == NULL)
		return;
	cry_ossl_kex_fini(c);
	for (i = 0; i < CRY_OSSL_N_AES; i++) {
		EVP_CIPHER_CTX_free(c->gcm_ctx[i]);
		EVP_CIPHER_CTX_free(c->cbc_ctx[i]);
		EVP_CIPHER_free(c->gcm[i]);
		EVP_CIPHER_free(c->cbc[i]);
	}
	EVP_MD_CTX_free(c->md_ctx);
	for (i = 0; i < CRY_OSSL_N_HASH; i++) {
		EVP_MAC_CTX_free(c->hmac_ctx[i]);
		EVP_MD_free(c->md[i]);
	}
	EVP_MAC_free(c->hmac);
	X509_STORE_free(c->trust);
	ike_wipe(c, sizeof(*c)); /* random pool and GCM scratch */
	free(c);
}

void
cry_openssl_bind(struct cry_openssl *c, struct cry_ops *ops)
{
	ops->sym = &cry_openssl_sym_ops;
	ops->sym_ctx = c;
	ops->asym = &cry_openssl_asym_ops;
	ops->asym_ctx = c;
}
