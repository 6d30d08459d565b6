/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AUTH payload inputs (RFC 7296 2.15, RFC 9242 3.3.2) and shared-key
 * authentication. The signed octets are built once and used for both PSK
 * MACs and signatures.
 */
#ifndef IKE_AUTH_H
#define IKE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_status.h"

/*
 * One side's signed octets:
 *   RealMessage | Nonce of the peer | prf(SK_px, RestOfIDPayload) [| IntAuth]
 */
struct ike_auth_octets_input {
	const uint8_t *real_msg; /* our IKE_SA_INIT message, from the first SPI octet */
	size_t real_msg_len;
	const uint8_t *peer_nonce; /* nonce data only */
	size_t peer_nonce_len;
	const uint8_t *id; /* RestOfIDPayload: ID Type | RESERVED | ID data */
	size_t id_len;
	const uint8_t *int_auth; /* RFC 9242: IntAuth_iN | IntAuth_rN | IKE_AUTH_MID, or NULL */
	size_t int_auth_len;
};

/**
 * Writes the signed octets into out (cap octets); SK_px is SK_pi for the
 * initiator's octets and SK_pr for the responder's.
 * @return IKE_OK, IKE_E_NOSPACE if cap is too small, or the PRF's status.
 */
enum ike_status ike_auth_octets(const struct cry_ops *ops, enum cry_prf_alg prf,
				const uint8_t *sk_p, size_t sk_p_len,
				const struct ike_auth_octets_input *in, uint8_t *out, size_t cap,
				size_t *out_len);

/* prf(Shared Secret, "Key Pad for IKEv2"): what a responder keeps per identity and PRF. */
struct ike_psk_key {
	enum cry_prf_alg prf;
	uint8_t len;
	uint8_t key[CRY_MAX_PRF_LEN];
};

/** Pads a shared secret for one PRF; the result can be cached and reused. */
enum ike_status ike_psk_key_init(const struct cry_ops *ops, enum cry_prf_alg prf,
				 const uint8_t *psk, size_t psk_len, struct ike_psk_key *key);
void ike_psk_key_wipe(struct ike_psk_key *key);

/** AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), octets); auth holds key->len octets. */
enum ike_status ike_auth_psk(const struct cry_ops *ops, const struct ike_psk_key *key,
			     const uint8_t *octets, size_t octets_len, uint8_t *auth);

/**
 * Checks a received PSK AUTH in constant time.
 * @return IKE_OK, IKE_E_INTEGRITY on mismatch (or wrong length), or the PRF's status.
 */
enum ike_status ike_auth_psk_verify(const struct cry_ops *ops, const struct ike_psk_key *key,
				    const uint8_t *octets, size_t octets_len, const uint8_t *auth,
				    size_t auth_len);

#endif
