/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 5723 session-resumption tickets "by value", sealed with the farm's
 * ticket keys so that any gateway holding them can resume any client.
 *
 * Ticket on the wire (docs/tickets.md):
 *   version (1) | key id (4) | IV (12) | AES-256-GCM(state) | tag (16)
 * with AAD = version | key id. The state inside is the versioned encoding
 * of struct ike_ticket_state (ike_ticket_codec.c).
 *
 * Every refusal has a named reason (IKE_TICKET_REASON_LIST); the responder
 * answers any of them with TICKET_NACK and counts it under the name.
 */
#ifndef IKE_TICKET_H
#define IKE_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"

struct ike_ticket_keyring;

#define IKE_TICKET_VERSION 1
#define IKE_TICKET_KEY_ID_LEN 4
#define IKE_TICKET_IV_LEN 12
#define IKE_TICKET_TAG_LEN 16
#define IKE_TICKET_AAD_LEN (1 + IKE_TICKET_KEY_ID_LEN)
#define IKE_TICKET_HDR_LEN (IKE_TICKET_AAD_LEN + IKE_TICKET_IV_LEN)
#define IKE_TICKET_OVERHEAD (IKE_TICKET_HDR_LEN + IKE_TICKET_TAG_LEN)

#define IKE_TICKET_ID_LEN 16	 /* random ticket id, for one-time use */
#define IKE_TICKET_IDENT_MAX 256 /* identification data of an ID payload */
#define IKE_TICKET_POLICY_MAX 63 /* connection name, without a terminator */
#define IKE_TICKET_SPI_LEN 8
/* The state is padded to a multiple of this so its length hides the identities' lengths. */
#define IKE_TICKET_STATE_PAD 32
/* Largest encoded state and ticket: fixed, so callers size buffers once. */
#define IKE_TICKET_STATE_MAX 1024
#define IKE_TICKET_MAX (IKE_TICKET_OVERHEAD + IKE_TICKET_STATE_MAX)

/* Names are the TICKET_NACK counter names (docs/tickets.md lists them). */
#define IKE_TICKET_REASON_LIST(X)                                                                  \
	X(IKE_TICKET_OK, "ok")                                                                     \
	X(IKE_TICKET_MALFORMED, "malformed")                                                       \
	X(IKE_TICKET_VERSION_UNKNOWN, "version")                                                   \
	X(IKE_TICKET_UNKNOWN_KEY, "unknown-key-id")                                                \
	X(IKE_TICKET_KEY_NOT_VALID, "key-not-valid-now")                                           \
	X(IKE_TICKET_BAD_TAG, "bad-tag")                                                           \
	X(IKE_TICKET_EXPIRED, "expired")                                                           \
	X(IKE_TICKET_AUTH_DEADLINE, "auth-deadline-passed")                                        \
	X(IKE_TICKET_REPLAYED, "replayed")                                                         \
	X(IKE_TICKET_REPLAY_FILTER_FULL, "replay-filter-full")                                     \
	X(IKE_TICKET_EXPIRES_TOO_LATE, "expires-beyond-replay-filter")                             \
	X(IKE_TICKET_NO_SEAL_KEY, "no-seal-key")                                                   \
	X(IKE_TICKET_BAD_STATE, "bad-state")                                                       \
	X(IKE_TICKET_NO_SPACE, "no-space")                                                         \
	X(IKE_TICKET_CRYPTO, "crypto-failure")

enum ike_ticket_reason {
#define IKE_TICKET_REASON_ENUM(e, s) e,
	IKE_TICKET_REASON_LIST(IKE_TICKET_REASON_ENUM)
#undef IKE_TICKET_REASON_ENUM
		IKE_TICKET_REASON_COUNT
};

/** Counter name of a reason ("bad-tag", ...); "unknown" when out of range. */
const char *ike_ticket_reason_name(enum ike_ticket_reason r);

/* An ID payload as the peer sent it: ID Type and Identification Data (RFC 7296 3.5). */
struct ike_ticket_ident {
	uint8_t type;
	uint16_t len;
	uint8_t data[IKE_TICKET_IDENT_MAX];
};

/* lease: the virtual IPs the SA held (ticket state version 2) */
#define IKE_TICKET_LEASE_V4 0x01
#define IKE_TICKET_LEASE_V6 0x02

/* flags */
#define IKE_TICKET_F_EAP 0x01 /* the peer authenticated with EAP (peer_id is its EAP identity) */

/*
 * What a gateway needs to resume an IKE SA (RFC 5723 section 5, items "from
 * the ticket"), plus the farm's own bookkeeping. Times are unix seconds.
 */
struct ike_ticket_state {
	uint8_t ticket_id[IKE_TICKET_ID_LEN]; /* set by ike_ticket_seal() */
	uint64_t issued;		      /* set by ike_ticket_seal() */
	/* RFC 5723 6.1: protected absolute expiration; see ike_ticket_expiry(). */
	uint64_t expires;
	/*
	 * RFC 4478 deadline of the original full authentication, absolute and
	 * copied unchanged into every ticket of the SA and of its resumptions:
	 * a ticket never extends an authentication. 0: no re-authentication.
	 */
	uint64_t auth_deadline;
	/* Old SA's SPIs: only to find its state (RFC 5723 5, Note 4), never reused. */
	uint8_t spi_i[IKE_TICKET_SPI_LEN];
	uint8_t spi_r[IKE_TICKET_SPI_LEN];
	/* IKE SA transforms (RFC 7296 3.3.2 IDs); SAr "from the ticket". */
	uint16_t encr;
	uint16_t encr_key_bits;
	uint16_t prf;
	uint16_t integ;
	uint8_t peer_auth; /* RFC 7296 3.8 auth method of the peer's AUTH payload */
	uint8_t flags;	   /* IKE_TICKET_F_* */
	uint8_t sk_d_len;
	uint8_t sk_d[CRY_MAX_PRF_LEN]; /* SK_d of the old SA (RFC 5723 5.1) */
	struct ike_ticket_ident id_i;
	struct ike_ticket_ident id_r;
	/* Authenticated identity for policy when it differs from IDi (Note 1); else len 0. */
	struct ike_ticket_ident peer_id;
	/* Connection (policy) name: stable across reloads and gateways, unlike an index. */
	uint8_t policy_len;
	char policy[IKE_TICKET_POLICY_MAX];
	/* Virtual IPs (RFC 7296 3.15) leased to the SA: honoured on resumption on any gateway. */
	uint8_t lease;	/* IKE_TICKET_LEASE_*; 0: none (encoded as state version 1) */
	uint8_t vip4[4];
	uint8_t vip6[16];
};

/**
 * Absolute expiration for a new ticket: now + lifetime, but never past the
 * authentication deadline (RFC 5723 6.2: minimum of the IKE SA lifetime and
 * the RFC 4478 re-authentication time). The TICKET_LT_OPAQUE Lifetime field
 * is then expires - now.
 */
static inline uint64_t
ike_ticket_expiry(uint64_t now, uint32_t lifetime, uint64_t auth_deadline)
{
	uint64_t exp = now + lifetime;

	return auth_deadline != 0 && auth_deadline < exp ? auth_deadline : exp;
}

/** Zeroes a state (it holds SK_d). */
void ike_ticket_state_wipe(struct ike_ticket_state *s);

/**
 * Encodes the state (versioned, padded) into out.
 * @return IKE_TICKET_OK, IKE_TICKET_BAD_STATE (a length over its maximum)
 *   or IKE_TICKET_NO_SPACE.
 */
enum ike_ticket_reason ike_ticket_state_encode(const struct ike_ticket_state *s, uint8_t *out,
					       size_t cap, size_t *len);

/**
 * Decodes an encoded state. On failure *s is wiped.
 * @return IKE_TICKET_OK, IKE_TICKET_VERSION_UNKNOWN or IKE_TICKET_MALFORMED.
 */
enum ike_ticket_reason ike_ticket_state_decode(const uint8_t *p, size_t len,
					       struct ike_ticket_state *s);

/**
 * Seals a new ticket with the ring's newest key valid at now. Fills
 * s->ticket_id with fresh random octets (keep it with the SA: inserting it
 * into the replay filter when the SA is deleted revokes the ticket) and
 * s->issued = now. Needs ops->sym (aead_burst) and ops->asym (random).
 * s->expires must lie in (now, now + the ring's max lifetime] and, with an
 * auth deadline, not after it. out receives at most IKE_TICKET_MAX octets.
 * @return IKE_TICKET_OK, IKE_TICKET_NO_SEAL_KEY, IKE_TICKET_BAD_STATE,
 *   IKE_TICKET_NO_SPACE or IKE_TICKET_CRYPTO. out is wiped on failure.
 */
enum ike_ticket_reason ike_ticket_seal(const struct cry_ops *ops,
				       const struct ike_ticket_keyring *kr,
				       struct ike_ticket_state *s, uint64_t now, uint8_t *out,
				       size_t cap, size_t *len);

/*
 * One ticket being opened in a batch: the caller keeps one per ticket from
 * prepare to finish. It holds secrets until ike_ticket_open_finish() wipes it.
 */
struct ike_ticket_open_ctx {
	struct cry_sk_keys keys; /* the ring key, salted with this ticket's IV */
	uint8_t aad[IKE_TICKET_AAD_LEN];
	uint8_t iv[IKE_TICKET_IV_LEN];
	uint8_t tag[IKE_TICKET_TAG_LEN];
	size_t len;
	uint64_t now;
	uint8_t plain[IKE_TICKET_STATE_MAX]; /* last: only its first len octets are used */
};

/**
 * Phase 1 of opening: checks what is in clear (length, version, key id and
 * the key's window at now) and fills *job for aead_burst. Runs no crypto.
 * Only when it returns IKE_TICKET_OK is *job to be submitted; the ticket
 * bytes may be released right after this call.
 * @return IKE_TICKET_OK, IKE_TICKET_MALFORMED, IKE_TICKET_VERSION_UNKNOWN,
 *   IKE_TICKET_UNKNOWN_KEY or IKE_TICKET_KEY_NOT_VALID.
 */
enum ike_ticket_reason ike_ticket_open_prepare(const struct ike_ticket_keyring *kr,
					       const uint8_t *ticket, size_t len, uint64_t now,
					       struct ike_ticket_open_ctx *ctx,
					       struct cry_aead_job *job);

/**
 * Phase 2: after aead_burst ran *job, decodes and validates the state and
 * wipes ctx (also when the job was never run). Call it for every ctx whose
 * prepare returned IKE_TICKET_OK. On failure *s is wiped.
 * @return IKE_TICKET_OK, IKE_TICKET_BAD_TAG, IKE_TICKET_CRYPTO,
 *   IKE_TICKET_MALFORMED, IKE_TICKET_VERSION_UNKNOWN, IKE_TICKET_EXPIRED or
 *   IKE_TICKET_AUTH_DEADLINE.
 */
enum ike_ticket_reason ike_ticket_open_finish(struct ike_ticket_open_ctx *ctx,
					      const struct cry_aead_job *job,
					      struct ike_ticket_state *s);

/** prepare + one-job aead_burst + finish. */
enum ike_ticket_reason ike_ticket_open(const struct cry_ops *ops,
				       const struct ike_ticket_keyring *kr, const uint8_t *ticket,
				       size_t len, uint64_t now, struct ike_ticket_state *s);

/**
 * Shard in [0, nb_shards) that owns every use of this ticket, from its
 * random IV (clear, and authenticated by the tag): all presentations of
 * the same ticket reach the same shard and so the same replay filter.
 * Tickets too short to hold an IV go to shard 0 (they fail to open anyway).
 */
unsigned ike_ticket_owner_shard(const uint8_t *ticket, size_t len, unsigned nb_shards);

#endif
