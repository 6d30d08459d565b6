/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_auth_octets.c - the octets an AUTH payload signs or MACs
 * (RFC 7296 2.15), with the IntAuth chunk of RFC 9242 3.3.2 appended:
 *   InitiatorSignedOctets = RealMsg1 | NonceRData | MACedIDForI [| IntAuth]
 *   ResponderSignedOctets = RealMsg2 | NonceIData | MACedIDForR [| IntAuth]
 */
#include <string.h>

#include "ike_auth.h"
#include "ike_buf.h"

enum ike_status
ike_auth_octets(const struct cry_ops *ops, enum cry_prf_alg prf, const uint8_t *sk_p,
		size_t sk_p_len, const struct ike_auth_octets_input *in, uint8_t *out, size_t cap,
		size_t *out_len)
{
	size_t prf_len = cry_prf_len(prf);
	enum ike_status st;
	uint8_t *maced_id;
	struct ike_wr w;

	ike_wr_init(&w, out, cap);
	ike_wr_bytes(&w, in->real_msg, in->real_msg_len);
	ike_wr_bytes(&w, in->peer_nonce, in->peer_nonce_len);
	/* MACedIDForX = prf(SK_px, RestOfXIDPayload) */
	maced_id = ike_wr_reserve(&w, prf_len);
	ike_wr_bytes(&w, in->int_auth, in->int_auth_len);
	if (w.err)
		return IKE_E_NOSPACE;
	st = cry_prf(ops, prf, sk_p, sk_p_len, in->id, in->id_len, maced_id);
	if (st != IKE_OK)
		return st;
	*out_len = w.off;
	return IKE_OK;
}
