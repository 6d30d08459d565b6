/* SPDX-License-Identifier: BSD-3-Clause */
/* ike_int_auth.c - RFC 9242 3.3.2 IntAuth chain (see ike_int_auth.h). */
#include <string.h>

#include "ike_buf.h"
#include "ike_int_auth.h"
#include "ike_secret.h"

/* Offsets of the two Length fields the RFC adjusts. */
#define HDR_LENGTH_OFF 24
#define SK_LENGTH_OFF_FROM_END 2

enum ike_status
ike_int_auth_step(const struct cry_ops *ops, enum cry_prf_alg prf, const uint8_t *sk_p,
		  size_t sk_p_len, bool first, uint8_t *acc, const uint8_t *a, size_t a_len,
		  const uint8_t *p, size_t p_len, uint8_t *scratch, size_t cap)
{
	size_t prf_len = cry_prf_len(prf);
	size_t prev = first ? 0 : prf_len;
	enum ike_status st;
	uint8_t *ca;

	if (a_len < IKE_INT_AUTH_A_MIN || a_len + p_len > UINT32_MAX || 4 + p_len > UINT16_MAX)
		return IKE_E_PARAM;
	if (prev + a_len + p_len > cap)
		return IKE_E_NOSPACE;
	memcpy(scratch, acc, prev);
	ca = scratch + prev;
	memcpy(ca, a, a_len);
	ike_put_u32(ca + HDR_LENGTH_OFF, (uint32_t)(a_len + p_len));
	ike_put_u16(ca + a_len - SK_LENGTH_OFF_FROM_END, (uint16_t)(4 + p_len));
	if (p_len != 0) /* an empty IKE_INTERMEDIATE has no payloads, p may be NULL */
		memcpy(ca + a_len, p, p_len);
	st = cry_prf(ops, prf, sk_p, sk_p_len, scratch, prev + a_len + p_len, acc);
	ike_wipe(scratch, prev + a_len + p_len);
	return st;
}

size_t
ike_int_auth_chunk(const uint8_t *int_i, const uint8_t *int_r, size_t prf_len, uint32_t auth_mid,
		   uint8_t *out)
{
	memcpy(out, int_i, prf_len);
	memcpy(out + prf_len, int_r, prf_len);
	ike_put_u32(out + 2 * prf_len, auth_mid);
	return 2 * prf_len + 4;
}
