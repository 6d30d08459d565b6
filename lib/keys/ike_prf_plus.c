/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_prf_plus.c - prf+ (RFC 7296 2.13):
 *   prf+ (K,S) = T1 | T2 | T3 | ...
 *   T1 = prf (K, S | 0x01),  Tn = prf (K, T(n-1) | S | n)
 * One stack buffer holds T(n-1) | S | n, so each round is a single PRF call
 * on contiguous input and S is copied once. Tn goes to its own buffer: the
 * cry_ops contract does not allow the output to alias the input.
 */
#include <string.h>

#include "ike_keys.h"
#include "ike_secret.h"

/* "The prf+ function is not defined beyond 255 times the size of the prf function output." */
#define PRF_PLUS_MAX_ROUNDS 255

enum ike_status
ike_prf_plus(const struct cry_ops *ops, enum cry_prf_alg alg, const uint8_t *key, size_t key_len,
	     const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len)
{
	uint8_t buf[CRY_MAX_PRF_LEN + IKE_PRF_PLUS_MAX_SEED + 1];
	uint8_t t[CRY_MAX_PRF_LEN];
	size_t prf_len = cry_prf_len(alg);
	enum ike_status st = IKE_OK;
	size_t done = 0;
	unsigned round;

	if (prf_len == 0 || seed_len > IKE_PRF_PLUS_MAX_SEED ||
	    out_len > PRF_PLUS_MAX_ROUNDS * prf_len)
		return IKE_E_PARAM;
	/* buf = T | S | n; T1 skips the (still empty) T. */
	memcpy(buf + prf_len, seed, seed_len);
	for (round = 1; done < out_len; round++) {
		const uint8_t *data = round == 1 ? buf + prf_len : buf;
		size_t data_len = (round == 1 ? 0 : prf_len) + seed_len + 1;
		size_t take = out_len - done < prf_len ? out_len - done : prf_len;

		buf[prf_len + seed_len] = (uint8_t)round;
		st = cry_prf(ops, alg, key, key_len, data, data_len, t);
		if (st != IKE_OK)
			break;
		memcpy(out + done, t, take);
		memcpy(buf, t, prf_len);
		done += take;
	}
	if (st != IKE_OK)
		ike_wipe(out, out_len);
	ike_wipe(buf, prf_len + seed_len + 1);
	ike_wipe(t, sizeof(t));
	return st;
}
