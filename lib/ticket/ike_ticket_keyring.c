/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ticket_keyring.c - the farm's ticket keys by id, and the windows in
 * which each seals and opens (RFC 5723 6.1 key identity; 6.2: the key
 * lives much longer than an IKE SA; 9.5: keys change regularly).
 */
#include <stdlib.h>
#include <string.h>

#include "ike_secret.h"
#include "ike_ticket_keyring.h"

struct ike_ticket_keyring {
	struct ike_ticket_keyring_params params;
	unsigned nb_keys;
	struct ike_ticket_key keys[IKE_TICKET_KEYRING_MAX];
};

struct ike_ticket_keyring *
ike_ticket_keyring_create(const struct ike_ticket_keyring_params *p)
{
	struct ike_ticket_keyring *kr;

	if (p == NULL || p->max_lifetime == 0)
		return NULL;
	kr = calloc(1, sizeof(*kr));
	if (kr != NULL)
		kr->params = *p;
	return kr;
}

void
ike_ticket_keyring_free(struct ike_ticket_keyring *kr)
{
	if (kr == NULL)
		return;
	ike_wipe(kr, sizeof(*kr));
	free(kr);
}

enum ike_status
ike_ticket_keyring_add(struct ike_ticket_keyring *kr, uint32_t id, uint64_t not_before,
		       uint64_t not_after, const uint8_t secret[IKE_TICKET_SECRET_LEN])
{
	struct ike_ticket_key *k;

	if (not_after <= not_before || ike_ticket_keyring_find(kr, id) != NULL)
		return IKE_E_PARAM;
	if (kr->nb_keys == IKE_TICKET_KEYRING_MAX)
		return IKE_E_NOSPACE;
	k = &kr->keys[kr->nb_keys++];
	memset(k, 0, sizeof(*k));
	k->id = id;
	k->not_before = not_before;
	k->not_after = not_after;
	k->aead.cipher = CRY_CIPHER_AES_GCM_16;
	k->aead.integ = CRY_INTEG_NONE;
	k->aead.enc_key_len = IKE_TICKET_SECRET_LEN;
	memcpy(k->aead.enc_key, secret, IKE_TICKET_SECRET_LEN);
	return IKE_OK;
}

unsigned
ike_ticket_keyring_count(const struct ike_ticket_keyring *kr)
{
	return kr->nb_keys;
}

const struct ike_ticket_keyring_params *
ike_ticket_keyring_params(const struct ike_ticket_keyring *kr)
{
	return &kr->params;
}

const struct ike_ticket_key *
ike_ticket_keyring_find(const struct ike_ticket_keyring *kr, uint32_t id)
{
	unsigned i;

	/* A handful of keys: a scan beats any index. */
	for (i = 0; i < kr->nb_keys; i++)
		if (kr->keys[i].id == id)
			return &kr->keys[i];
	return NULL;
}

const struct ike_ticket_key *
ike_ticket_keyring_seal_key(const struct ike_ticket_keyring *kr, uint64_t now)
{
	const struct ike_ticket_key *best = NULL;
	unsigned i;

	for (i = 0; i < kr->nb_keys; i++) {
		const struct ike_ticket_key *k = &kr->keys[i];

		if (now < k->not_before || now >= k->not_after)
			continue;
		if (best == NULL || k->not_before >= best->not_before)
			best = k;
	}
	return best;
}

bool
ike_ticket_key_opens_at(const struct ike_ticket_keyring *kr, const struct ike_ticket_key *key,
			uint64_t now)
{
	const struct ike_ticket_keyring_params *p = &kr->params;

	/* Written so that no sum or difference can wrap. */
	bool started = now >= key->not_before || key->not_before - now <= p->clock_skew;
	bool ended = now >= key->not_after && now - key->not_after >= p->max_lifetime;

	return started && !ended;
}
