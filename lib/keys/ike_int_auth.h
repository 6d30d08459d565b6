/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 9242 3.3.2: the IntAuth chunk that binds IKE_INTERMEDIATE messages
 * into the AUTH payloads. After the n-th IKE_INTERMEDIATE exchange each
 * side's value becomes
 *   IntAuth_[i/r]n = prf(SK_p[i/r]n, [IntAuth_[i/r](n-1) |] A | P)
 * where A is the message from the IKE header to the end of the Encrypted
 * payload's generic header, with the IKE header Length set to |A| + |P|
 * and the Encrypted payload Length to 4 + |P|, and P the inner payloads in
 * plaintext (no IV, padding, pad length or ICV). SK_p[i/r]n are the keys
 * of the generation that protected the exchange.
 *   IntAuth = IntAuth_iN | IntAuth_rN | IKE_AUTH_MID (4 octets)
 */
#ifndef IKE_INT_AUTH_H
#define IKE_INT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_status.h"

/* IntAuth_iN | IntAuth_rN | IKE_AUTH_MID at most. */
#define IKE_INT_AUTH_MAX (2 * CRY_MAX_PRF_LEN + 4)
/* The IKE header (28 octets) and the Encrypted payload header (4) at least. */
#define IKE_INT_AUTH_A_MIN (28 + 4)

/**
 * One step of the chain. acc holds IntAuth_(n-1) (prf length octets) when
 * first is false and receives IntAuth_n. a/a_len: the message from its
 * first IKE header octet to the end of the SK generic header, as sent or
 * received (the two Length fields are replaced in the copy); p/p_len: the
 * inner payloads in plaintext. scratch (cap octets) holds the PRF input.
 * @return IKE_OK, IKE_E_PARAM for an A shorter than 32 octets,
 *         IKE_E_NOSPACE when scratch is too small, or the PRF's status.
 */
enum ike_status ike_int_auth_step(const struct cry_ops *ops, enum cry_prf_alg prf,
				  const uint8_t *sk_p, size_t sk_p_len, bool first, uint8_t *acc,
				  const uint8_t *a, size_t a_len, const uint8_t *p, size_t p_len,
				  uint8_t *scratch, size_t cap);

/**
 * IntAuth = IntAuth_iN | IntAuth_rN | IKE_AUTH_MID into out
 * (IKE_INT_AUTH_MAX octets); returns its length.
 */
size_t ike_int_auth_chunk(const uint8_t *int_i, const uint8_t *int_r, size_t prf_len,
			  uint32_t auth_mid, uint8_t *out);

#endif
