/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenSSL 3.0 implementation of both cry_ops vtables (lib/crypto/cry_ops.h).
 * One struct cry_openssl per lcore or thread: it owns the fetched
 * algorithms, reusable MAC/cipher/digest contexts and a random pool, so
 * it must never be shared between threads.
 *
 * Status conventions beyond cry_ops.h: a bad signature, an ICV mismatch and
 * a certificate that does not chain to the trust store are IKE_E_INTEGRITY;
 * peer KE data of the wrong length, off the curve or out of range is
 * IKE_E_MALFORMED.
 */
#ifndef CRY_OPENSSL_H
#define CRY_OPENSSL_H

#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_status.h"

struct cry_openssl;

/** Allocates a context and fetches every algorithm once; NULL on failure. */
struct cry_openssl *cry_openssl_create(void);

/** Frees the context and wipes its random pool and scratch memory. */
void cry_openssl_destroy(struct cry_openssl *c);

/** Fills ops->sym/sym_ctx and ops->asym/asym_ctx with this context. */
void cry_openssl_bind(struct cry_openssl *c, struct cry_ops *ops);

/** Loads the CA certificates (PEM) that cert_pubkey validates against. */
enum ike_status cry_openssl_set_trust(struct cry_openssl *c, const char *ca_pem_path);

/**
 * Reads the first certificate of a PEM file as DER (RFC 7296 3.6 encoding
 * 4), for our own CERT payload. *der is malloc'd: the caller frees it.
 * IKE_E_PARAM when the file cannot be read or holds no certificate.
 */
enum ike_status cry_openssl_cert_load_der(const char *pem_path, uint8_t **der, size_t *der_len);

#define CRY_OPENSSL_KEYID_LEN 20

/**
 * The CERTREQ "Certification Authority" field (RFC 7296 3.7) for the CA
 * certificates of a PEM file: SHA-1 of each SubjectPublicKeyInfo, back to
 * back, into out (cap octets); *len is the total. IKE_E_PARAM when the file
 * holds no certificate, IKE_E_NOSPACE when out is too small.
 */
enum ike_status cry_openssl_ca_keyids(const char *pem_path, uint8_t *out, size_t cap,
				      size_t *len);

/** Loads a PEM private key (RSA, EC or Ed25519); NULL on failure. */
struct cry_privkey *cry_openssl_privkey_load(const char *pem_path);
void cry_openssl_privkey_free(struct cry_privkey *k);

/**
 * Loads a PEM public key or the key of a PEM certificate (not validated),
 * for tests and configured peer keys. Free with the vtable's pubkey_free.
 */
struct cry_pubkey *cry_openssl_pubkey_load(const char *pem_path);

/**
 * Builds a key-exchange object from a known private value (known-answer
 * tests) and writes the matching KE data. Groups 19, 20 and 31 take the
 * RFC 5903 / RFC 7748 private scalar; group 14 the private exponent.
 * *pub_len: capacity in, length out.
 */
enum ike_status cry_openssl_kex_from_private(struct cry_openssl *c, uint16_t group,
					     const uint8_t *priv, size_t len, struct cry_kex **kex,
					     uint8_t *pub, size_t *pub_len);

#endif
