/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Negotiated transforms -> algorithm descriptors. The descriptors carry the
 * cry_ops enums and every size the key schedule and the SK/ESP code need, so
 * nothing downstream switches on IANA transform IDs again.
 */
#ifndef IKE_SUITE_H
#define IKE_SUITE_H

#include <stdint.h>

#include "cry_ops.h"
#include "ike_status.h"

/* RFC 5282 7.1 / RFC 4106 8.1: the GCM salt is the last 4 octets of the key material. */
#define IKE_GCM_SALT_LEN 4

/* Transform IDs as negotiated (RFC 7296 3.3.2); encr_key_bits from the Key Length attribute. */
struct ike_transforms {
	uint16_t encr;
	uint16_t encr_key_bits;
	uint16_t prf; /* ignored for ESP */
	uint16_t integ;
	uint16_t ke; /* ESP: IKE_KE_NONE unless PFS */
};

/* How one SK payload or ESP SA is protected. */
struct ike_cipher_suite {
	enum cry_cipher cipher;
	enum cry_integ integ;
	uint8_t enc_key_len; /* AES key only */
	uint8_t salt_len;    /* GCM: 4, taken right after the AES key */
	uint8_t iv_len;	     /* explicit IV on the wire */
	uint8_t block_len;   /* padding alignment of the plaintext */
	uint8_t icv_len;
	uint8_t integ_key_len; /* 0 for AEAD ciphers */
};

/* An IKE SA: its SK payload protection, PRF and key exchange. */
struct ike_suite {
	struct ike_cipher_suite sk;
	enum cry_prf_alg prf;
	uint8_t prf_len; /* also the length of SK_d, SK_pi, SK_pr (RFC 7296 2.13) */
	uint16_t ke;
};

/* An ESP Child SA. Its KEYMAT comes from the IKE SA's PRF. */
struct ike_esp_suite {
	struct ike_cipher_suite esp;
	uint16_t ke;
};

/**
 * Describes an IKE SA suite: AES-GCM-16 (integ NONE) or AES-CBC with
 * HMAC-SHA2; PRF HMAC-SHA1/SHA2; KE 14, 19, 20, 21 or 31.
 * @return IKE_OK, or IKE_E_UNSUPPORTED for anything else.
 */
enum ike_status ike_suite_ike(const struct ike_transforms *t, struct ike_suite *out);

/**
 * Describes an ESP suite (same ciphers; KE NONE or one of the IKE groups).
 * @return IKE_OK, or IKE_E_UNSUPPORTED.
 */
enum ike_status ike_suite_esp(const struct ike_transforms *t, struct ike_esp_suite *out);

/* Key material one direction takes: encryption key, salt, integrity key. */
static inline unsigned
ike_cipher_suite_keymat_len(const struct ike_cipher_suite *c)
{
	return (unsigned)c->enc_key_len + c->salt_len + c->integ_key_len;
}

#endif
