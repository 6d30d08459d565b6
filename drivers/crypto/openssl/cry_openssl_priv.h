/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to drivers/crypto/openssl: the per-thread context and the vtable
 * entry points, split over one file per concern.
 */
#ifndef CRY_OPENSSL_PRIV_H
#define CRY_OPENSSL_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cry_ops.h"

#define CRY_OSSL_N_HASH 4      /* SHA-1/256/384/512, in enum cry_hash_alg order */
#define CRY_OSSL_N_AES 3       /* AES-128/192/256 */
#define CRY_OSSL_N_KEX 5       /* groups 14, 19, 20, 21, 31 */
#define CRY_OSSL_POOL_LEN 1024 /* one RAND_bytes call refills this much */
/* GCM OPEN decrypts here first so a bad tag leaves the caller's data as it
 * was; an IKE message or ticket always fits in one UDP datagram. */
#define CRY_OSSL_SCRATCH_LEN 65536

struct cry_openssl {
	EVP_MAC *hmac;
	EVP_MAC_CTX *hmac_ctx[CRY_OSSL_N_HASH]; /* digest bound at create time */
	EVP_MD *md[CRY_OSSL_N_HASH];
	EVP_MD_CTX *md_ctx;
	EVP_CIPHER *gcm[CRY_OSSL_N_AES];
	EVP_CIPHER *cbc[CRY_OSSL_N_AES];
	/* One context per cipher: re-keying with a NULL cipher keeps its state. */
	EVP_CIPHER_CTX *gcm_ctx[CRY_OSSL_N_AES];
	EVP_CIPHER_CTX *cbc_ctx[CRY_OSSL_N_AES];
	EVP_PKEY_CTX *kex_gen[CRY_OSSL_N_KEX]; /* keygen-initialised, group set */
	X509_STORE *trust;
	size_t pool_left; /* unused bytes at the start of pool */
	uint8_t pool[CRY_OSSL_POOL_LEN];
	uint8_t scratch[CRY_OSSL_SCRATCH_LEN];
};

/* Index of an AES key length (16, 24, 32) in gcm[]/cbc[], or -1. */
int cry_ossl_aes_index(size_t key_len);

unsigned cry_ossl_prf_burst(void *ctx, struct cry_prf_job *jobs, unsigned n);
unsigned cry_ossl_aead_burst(void *ctx, struct cry_aead_job *jobs, unsigned n);
enum ike_status cry_ossl_hash(void *ctx, enum cry_hash_alg alg, const uint8_t *data, size_t len,
			      uint8_t *out);
enum ike_status cry_ossl_random(void *ctx, uint8_t *out, size_t len);

int cry_ossl_kex_init(struct cry_openssl *c);
void cry_ossl_kex_fini(struct cry_openssl *c);
enum ike_status cry_ossl_kex_new(void *ctx, uint16_t group, struct cry_kex **kex, uint8_t *pub,
				 size_t *pub_len);
enum ike_status cry_ossl_kex_derive(void *ctx, struct cry_kex *kex, const uint8_t *peer,
				    size_t peer_len, uint8_t *secret, size_t *secret_len);
void cry_ossl_kex_free(void *ctx, struct cry_kex *kex);

enum ike_status cry_ossl_sign(void *ctx, const struct cry_privkey *key, enum cry_sig_scheme scheme,
			      const uint8_t *data, size_t len, uint8_t *sig, size_t *sig_len);
enum ike_status cry_ossl_verify(void *ctx, const struct cry_pubkey *key, enum cry_sig_scheme scheme,
				const uint8_t *data, size_t len, const uint8_t *sig,
				size_t sig_len);
enum ike_status cry_ossl_cert_pubkey(void *ctx, const uint8_t *der, size_t len,
				     struct cry_pubkey **key);
void cry_ossl_pubkey_free(void *ctx, struct cry_pubkey *key);

/* Both key objects only wrap an EVP_PKEY. */
struct cry_privkey {
	EVP_PKEY *pkey;
};

struct cry_pubkey {
	EVP_PKEY *pkey;
};

struct cry_pubkey *cry_ossl_pubkey_wrap(EVP_PKEY *pkey);

#endif
