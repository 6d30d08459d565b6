/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The farm's ticket keys (RFC 5723 6.1 key identity, 9.5 key management).
 * A ring is immutable once built: a reload builds a new ring and the host
 * publishes it with one pointer swap, then frees the old one after every
 * lcore has moved on. Nothing here takes a lock.
 *
 * Windows (unix seconds, docs/tickets.md):
 *   seal: not_before <= now < not_after; the newest such key (largest
 *         not_before, later entry on ties) seals.
 *   open: not_before - clock_skew <= now < not_after + max_lifetime, so a
 *         ticket sealed just before not_after opens until it expires.
 */
#ifndef IKE_TICKET_KEYRING_H
#define IKE_TICKET_KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"

#define IKE_TICKET_SECRET_LEN 32 /* AES-256 */
#define IKE_TICKET_KEYRING_MAX 64

struct ike_ticket_keyring_params {
	/* Longest ticket lifetime the farm issues; seal refuses longer ones. */
	uint32_t max_lifetime;
	/* Clock difference tolerated between gateways for a key's not_before. */
	uint32_t clock_skew;
	/*
	 * Key files only: when nonzero, a file none of whose keys seals at this
	 * time (unix seconds) is refused, since it would silently turn
	 * resumption off. The ring does not use it.
	 */
	uint64_t must_seal_at;
};

struct ike_ticket_key {
	uint32_t id;
	uint64_t not_before;
	uint64_t not_after;
	struct cry_sk_keys aead; /* AES-256-GCM-16 with the secret; salt comes per ticket */
};

struct ike_ticket_keyring;

/** An empty ring (control path; allocates). NULL on bad params or no memory. */
struct ike_ticket_keyring *ike_ticket_keyring_create(const struct ike_ticket_keyring_params *p);

/**
 * Adds a key while the ring is being built, before it is published.
 * @return IKE_OK, IKE_E_PARAM (not_after <= not_before, or the id is
 *   already in the ring) or IKE_E_NOSPACE (IKE_TICKET_KEYRING_MAX keys).
 */
enum ike_status ike_ticket_keyring_add(struct ike_ticket_keyring *kr, uint32_t id,
				       uint64_t not_before, uint64_t not_after,
				       const uint8_t secret[IKE_TICKET_SECRET_LEN]);

/**
 * Builds a ring from key-file text (format in docs/tickets.md):
 *   <id: 8 hex> <not-before> <not-after> <secret: 64 hex>
 * times as RFC 3339 (2025-01-31T12:00:00Z, or with +hh:mm) or unix seconds,
 * '#' starts a comment. Refused: a NUL byte, an all-zero secret, and with
 * p->must_seal_at no key that seals then. On error returns NULL and writes
 * "FILE:LINE: reason" into err (file is only used in that message).
 */
struct ike_ticket_keyring *ike_ticket_keyring_parse(const char *text, size_t len, const char *file,
						    const struct ike_ticket_keyring_params *p,
						    char *err, size_t err_len);

/** Reads path and parses it; the file's bytes are wiped after parsing. */
struct ike_ticket_keyring *ike_ticket_keyring_load(const char *path,
						   const struct ike_ticket_keyring_params *p,
						   char *err, size_t err_len);

/** Wipes every secret and frees the ring. NULL is ignored. */
void ike_ticket_keyring_free(struct ike_ticket_keyring *kr);

unsigned ike_ticket_keyring_count(const struct ike_ticket_keyring *kr);
const struct ike_ticket_keyring_params *
ike_ticket_keyring_params(const struct ike_ticket_keyring *kr);

/** The key with this id, or NULL. */
const struct ike_ticket_key *ike_ticket_keyring_find(const struct ike_ticket_keyring *kr,
						     uint32_t id);

/** The key that seals at now, or NULL when no key is in its seal window. */
const struct ike_ticket_key *ike_ticket_keyring_seal_key(const struct ike_ticket_keyring *kr,
							 uint64_t now);

/** True when key may open tickets at now (its open window). */
bool ike_ticket_key_opens_at(const struct ike_ticket_keyring *kr, const struct ike_ticket_key *key,
			     uint64_t now);

#endif
