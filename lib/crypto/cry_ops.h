/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The only way lib/ reaches cryptography. A driver (drivers/crypto/...) fills
 * one or both vtables; the host may mix them, e.g. ipsec-mb for the symmetric
 * work and OpenSSL for key exchange and signatures. One cry_ops per lcore:
 * drivers keep per-thread state (ipsec-mb managers) in their ctx.
 *
 * Symmetric work is submitted in bursts: a worker collects the jobs of a whole
 * rx burst and hands them over at once. Each job carries its own status.
 */
#ifndef CRY_OPS_H
#define CRY_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "ike_status.h"

#define CRY_MAX_PRF_LEN 64   /* HMAC-SHA-512 output */
#define CRY_MAX_ENC_KEY 32   /* AES-256 */
#define CRY_MAX_INTEG_KEY 64 /* HMAC-SHA-512 key in IKE (RFC 4868) */
#define CRY_MAX_ICV 32       /* HMAC-SHA-512-256 */
#define CRY_MAX_KEX_PUB 512  /* MODP-2048 public value is 256; room for 4096 */
#define CRY_MAX_KEX_SECRET 512
#define CRY_MAX_SIG 1024

enum cry_prf_alg {
	CRY_PRF_HMAC_SHA1,
	CRY_PRF_HMAC_SHA256,
	CRY_PRF_HMAC_SHA384,
	CRY_PRF_HMAC_SHA512,
};

enum cry_hash_alg {
	CRY_HASH_SHA1,
	CRY_HASH_SHA256,
	CRY_HASH_SHA384,
	CRY_HASH_SHA512,
};

enum cry_cipher {
	CRY_CIPHER_AES_GCM_16, /* RFC 5282: 16-octet ICV, 4-octet salt, 8-octet IV */
	CRY_CIPHER_AES_CBC,    /* RFC 3602: 16-octet IV, needs an integrity algorithm */
};

enum cry_integ {
	CRY_INTEG_NONE, /* with AEAD ciphers */
	CRY_INTEG_HMAC_SHA256_128,
	CRY_INTEG_HMAC_SHA384_192,
	CRY_INTEG_HMAC_SHA512_256,
};

/* prf(key, data) -> out. out holds cry_prf_len(alg) bytes. */
struct cry_prf_job {
	enum cry_prf_alg alg;
	const uint8_t *key;
	size_t key_len;
	const uint8_t *data;
	size_t data_len;
	uint8_t *out;
	enum ike_status status;
};

/*
 * Keys of one direction of an SK payload (or of a ticket). An established
 * IKE SA keeps two, so they are packed: the algorithms in a byte each, and
 * the salt (AEAD) and the integrity key (CBC + HMAC) share their place, a
 * transform never having both.
 */
struct cry_sk_keys {
	uint8_t cipher;	     /* enum cry_cipher */
	uint8_t integ;	     /* enum cry_integ */
	uint8_t enc_key_len; /* 16, 24 or 32 */
	uint8_t integ_key_len;
	uint8_t enc_key[CRY_MAX_ENC_KEY];
	union {
		uint8_t salt[4]; /* GCM only: the last 4 octets of SK_e (RFC 5282 7.1) */
		uint8_t integ_key[CRY_MAX_INTEG_KEY]; /* integ != CRY_INTEG_NONE only */
	};
};

enum cry_dir {
	CRY_SEAL,
	CRY_OPEN,
};

/*
 * Encrypt-and-protect (SEAL) or check-and-decrypt (OPEN), in place.
 * GCM: aad/aad_len is the associated data, iv is 8 octets, icv 16 octets.
 * CBC+HMAC: iv is 16 octets, len a multiple of 16, and the integrity region
 * is contiguous: aad, then iv, then data (aad + aad_len == iv, iv + 16 == data);
 * the ICV is the truncated HMAC over aad .. data + len (RFC 7296 3.14).
 * OPEN leaves data untouched when the ICV does not match (IKE_E_INTEGRITY).
 */
struct cry_aead_job {
	enum cry_dir dir;
	const struct cry_sk_keys *keys;
	const uint8_t *aad;
	size_t aad_len;
	const uint8_t *iv;
	uint8_t *data;
	size_t len;
	uint8_t *icv;
	enum ike_status status;
	void *user_data;
};

struct cry_sym_ops {
	const char *name;
	/* Runs n jobs; each gets its own status. Returns how many succeeded. */
	unsigned (*prf_burst)(void *ctx, struct cry_prf_job *jobs, unsigned n);
	unsigned (*aead_burst)(void *ctx, struct cry_aead_job *jobs, unsigned n);
	enum ike_status (*hash)(void *ctx, enum cry_hash_alg alg, const uint8_t *data, size_t len,
				uint8_t *out);
};

/* Opaque driver objects. */
struct cry_kex;
struct cry_pubkey;
struct cry_privkey;

enum cry_sig_scheme {
	CRY_SIG_RSA_PKCS1_SHA1,
	CRY_SIG_RSA_PKCS1_SHA256,
	CRY_SIG_RSA_PKCS1_SHA384,
	CRY_SIG_RSA_PKCS1_SHA512,
	CRY_SIG_RSA_PSS_SHA256, /* salt length = hash length (RFC 8247) */
	CRY_SIG_RSA_PSS_SHA384,
	CRY_SIG_RSA_PSS_SHA512,
	CRY_SIG_ECDSA_SHA256, /* DER-encoded ECDSA-Sig-Value (RFC 7427) */
	CRY_SIG_ECDSA_SHA384,
	CRY_SIG_ECDSA_SHA512,
	CRY_SIG_ECDSA_P256_SHA256_RAW, /* r | s, fixed width (RFC 4754, auth method 9) */
	CRY_SIG_ECDSA_P384_SHA384_RAW, /* auth method 10 */
	CRY_SIG_ED25519,               /* pure EdDSA (RFC 8420) */
};

struct cry_asym_ops {
	const char *name;
	enum ike_status (*random)(void *ctx, uint8_t *out, size_t len);
	/*
	 * Generates a key pair for an IKE Diffie-Hellman group (14, 19, 20, 21, 31)
	 * and writes the KE payload's data (RFC 7296 3.4, RFC 5903, RFC 8031).
	 * *pub_len: capacity in, length out.
	 */
	enum ike_status (*kex_new)(void *ctx, uint16_t group, struct cry_kex **kex, uint8_t *pub,
				   size_t *pub_len);
	/* g^ir from the peer's KE data; *secret_len: capacity in, length out. */
	enum ike_status (*kex_derive)(void *ctx, struct cry_kex *kex, const uint8_t *peer,
				      size_t peer_len, uint8_t *secret, size_t *secret_len);
	void (*kex_free)(void *ctx, struct cry_kex *kex);
	/*
	 * Optional, the responder's side of one key exchange in one call:
	 * from the initiator's KE data, our KE data and the shared secret. A
	 * KEM (initiator: encapsulation key; responder: ciphertext) needs it;
	 * NULL means a DH: cry_kex_respond() does kex_new + kex_derive. The
	 * initiator's side stays kex_new (our public value or encapsulation
	 * key) then kex_derive (the peer's value or ciphertext).
	 */
	enum ike_status (*kex_respond)(void *ctx, uint16_t method, const uint8_t *peer,
				       size_t peer_len, uint8_t *ours, size_t *ours_len,
				       uint8_t *secret, size_t *secret_len);
	enum ike_status (*sign)(void *ctx, const struct cry_privkey *key,
				enum cry_sig_scheme scheme, const uint8_t *data, size_t len,
				uint8_t *sig, size_t *sig_len);
	enum ike_status (*verify)(void *ctx, const struct cry_pubkey *key,
				  enum cry_sig_scheme scheme, const uint8_t *data, size_t len,
				  const uint8_t *sig, size_t sig_len);
	/*
	 * Parses a DER X.509 certificate, validates it against the driver's
	 * configured trust store and returns its public key (NULL on failure).
	 */
	enum ike_status (*cert_pubkey)(void *ctx, const uint8_t *der, size_t len,
				       struct cry_pubkey **key);
	void (*pubkey_free)(void *ctx, struct cry_pubkey *key);
};

struct cry_ops {
	const struct cry_sym_ops *sym;
	void *sym_ctx;
	const struct cry_asym_ops *asym;
	void *asym_ctx;
};

/* Output length of a PRF in octets. */
size_t cry_prf_len(enum cry_prf_alg alg);
/* Block size of the PRF's hash (HMAC key padding), in octets. */
size_t cry_prf_block_len(enum cry_prf_alg alg);
size_t cry_hash_len(enum cry_hash_alg alg);
/* ICV length of an integrity algorithm (0 for none). */
size_t cry_integ_icv_len(enum cry_integ integ);
size_t cry_integ_key_len(enum cry_integ integ);

/* One-job conveniences over the burst entry points. */
enum ike_status cry_prf(const struct cry_ops *ops, enum cry_prf_alg alg, const uint8_t *key,
			size_t key_len, const uint8_t *data, size_t data_len, uint8_t *out);
enum ike_status cry_aead(const struct cry_ops *ops, struct cry_aead_job *job);
enum ike_status cry_random(const struct cry_ops *ops, uint8_t *out, size_t len);
/*
 * The responder's half of a key exchange (kex_respond, or kex_new +
 * kex_derive + kex_free for a DH). *ours_len and *secret_len: capacity in,
 * length out. IKE_E_MALFORMED when the peer's data is not a valid value.
 */
enum ike_status cry_kex_respond(const struct cry_ops *ops, uint16_t method, const uint8_t *peer,
				size_t peer_len, uint8_t *ours, size_t *ours_len, uint8_t *secret,
				size_t *secret_len);

#endif
