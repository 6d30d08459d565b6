/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_auth_psk.c - shared-key AUTH (RFC 7296 2.15):
 *   AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 * The padded key is a separate object so a responder can derive it once
 * per identity instead of once per handshake.
 */
#include <string.h>

#include "ike_auth.h"
#include "ike_secret.h"

/* "17 ASCII characters without null termination" */
static const char key_pad[17] = {'K', 'e', 'y', ' ', 'P', 'a', 'd', ' ', 'f',
				 'o', 'r', ' ', 'I', 'K', 'E', 'v', '2'};

enum ike_status
ike_psk_key_init(const struct cry_ops *ops, enum cry_prf_alg prf, const uint8_t *psk,
		 size_t psk_len, struct ike_psk_key *key)
{
	enum ike_status st;

	memset(key, 0, sizeof(*key));
	key->prf = prf;
	key->len = (uint8_t)cry_prf_len(prf);
	st = cry_prf(ops, prf, psk, psk_len, (const uint8_t *)key_pad, sizeof(key_pad), key->key);
	if (st != IKE_OK)
		ike_psk_key_wipe(key);
	return st;
}

void
ike_psk_key_wipe(struct ike_psk_key *key)
{
	ike_wipe(key, sizeof(*key));
}

enum ike_status
ike_auth_psk(const struct cry_ops *ops, const struct ike_psk_key *key, const uint8_t *octets,
	     size_t octets_len, uint8_t *auth)
{
	if (key->len == 0)
		return IKE_E_PARAM;
	return cry_prf(ops, key->prf, key->key, key->len, octets, octets_len, auth);
}

enum ike_status
ike_auth_psk_verify(const struct cry_ops *ops, const struct ike_psk_key *key, const uint8_t *octets,
		    size_t octets_len, const uint8_t *auth, size_t auth_len)
{
	uint8_t expect[CRY_MAX_PRF_LEN];
	enum ike_status st;

	st = ike_auth_psk(ops, key, octets, octets_len, expect);
	if (st == IKE_OK && (auth_len != key->len || !ike_ct_eq(expect, auth, key->len)))
		st = IKE_E_INTEGRITY;
	ike_wipe(expect, sizeof(expect));
	return st;
}
