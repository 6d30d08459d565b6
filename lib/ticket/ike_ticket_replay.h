/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One-time use of tickets (RFC 5723 4.3.1: a reused ticket SHOULD be
 * rejected; 9.8: tickets of deleted SAs) with Bloom filters of ticket ids
 * in caller-provided memory, one set per shard.
 *
 * An id needs to be remembered only until its ticket expires (an expired
 * ticket fails to open). Ids are therefore kept by the expiry time their
 * ticket carries: one filter ("slice") per slice_s seconds of expiry times,
 * SLICES of them covering the ticket lifetime plus three more: the slice
 * being passed, one for clock skew and one being cleared. A slice is
 * dropped as soon as every ticket in it has expired, and a lookup tests
 * only the slice of its ticket's expiry, so each lookup sees the
 * false-positive rate of one filter at its sized load. Memory grows with
 * rate x lifetime, as it must for any exact-expiry one-time-use record,
 * but only by 1 + 3/SLICES over the ids that are live. A false positive costs the client one full
 * handshake, never a security hole. Sizing: docs/tickets.md.
 */
#ifndef IKE_TICKET_REPLAY_H
#define IKE_TICKET_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_status.h"
#include "ike_ticket.h"

/* Slices per ticket lifetime; 3 more are kept (the one passing, skew, one being cleared). */
#define IKE_TICKET_REPLAY_SLICES 16

struct ike_ticket_replay_params {
	uint32_t lifetime; /* seconds: the longest ticket lifetime of the farm */
	double rate;	   /* ids inserted per second on this shard (uses + revocations) */
	double fp_target;  /* false-positive rate of a lookup at full load, e.g. 1e-3 */
};

struct ike_ticket_replay_geometry {
	uint32_t slice_s;  /* seconds of expiry times per slice: ceil(lifetime / SLICES) */
	uint32_t slices;   /* slices kept: SLICES + 3 */
	uint64_t capacity; /* ids per slice: ceil(rate * slice_s) */
	uint32_t bits;	   /* m, bits per slice (a multiple of 64) */
	uint32_t hashes;   /* k */
	size_t bytes;	   /* memory to give ike_ticket_replay_init() */
};

/*
 * Events an insert reports (bits). A slice at its capacity is at its sized
 * load: lookups see fp_target; every id beyond raises that rate.
 */
#define IKE_TICKET_REPLAY_EV_FULL 0x1u /* the slice reached capacity (once per slice epoch) */
#define IKE_TICKET_REPLAY_EV_OVER 0x2u /* this id went into a slice over capacity */

struct ike_ticket_replay;

/**
 * Filter geometry for the params (formulas in docs/tickets.md).
 * @return IKE_OK, or IKE_E_PARAM for a zero lifetime or rate, a target
 *   outside (0, 1), or a slice above 2^32 bits (split it over more shards).
 */
enum ike_status ike_ticket_replay_geometry(const struct ike_ticket_replay_params *p,
					   struct ike_ticket_replay_geometry *g);

/**
 * Lays the slices out in mem (8-byte aligned, at least geometry.bytes), all
 * empty.
 * @return the filter (at mem), or NULL on bad params, alignment or size.
 */
struct ike_ticket_replay *ike_ticket_replay_init(void *mem, size_t size,
						 const struct ike_ticket_replay_params *p);

/**
 * Retires the slices whose tickets have all expired at now, and clears
 * 64 KiB of each retired slice. Called from a host timer often enough
 * (slice_s / (m / 8 / 64 KiB) at least; the shard's tick does it every
 * tick), no memset of a whole slice happens on the packet path; an insert
 * into a slot not yet cleared clears the rest itself.
 * @return true when it did anything.
 */
bool ike_ticket_replay_rotate(struct ike_ticket_replay *f, uint64_t now);

/**
 * Records an id: a used ticket, or the ticket of an SA that was deleted.
 * expires is the ticket's expiry (unix s); an expired ticket is not kept.
 * @return IKE_TICKET_REPLAY_EV_* bits.
 */
unsigned ike_ticket_replay_insert(struct ike_ticket_replay *f,
				  const uint8_t id[IKE_TICKET_ID_LEN], uint64_t expires,
				  uint64_t now);

/**
 * Whether the id was (probably) recorded.
 * @return IKE_TICKET_OK (not seen), IKE_TICKET_REPLAYED,
 *   IKE_TICKET_REPLAY_FILTER_FULL when it was seen by a slice holding more
 *   ids than it is sized for (a replay, or a false positive above the target),
 *   or IKE_TICKET_EXPIRES_TOO_LATE for an expiry more than
 *   (SLICES + 1) * slice_s ahead (lifetime + one slice at least: a gateway
 *   whose clock runs further ahead, or that issues longer tickets), which
 *   no slice could keep until then.
 */
enum ike_ticket_reason ike_ticket_replay_lookup(const struct ike_ticket_replay *f,
						const uint8_t id[IKE_TICKET_ID_LEN],
						uint64_t expires, uint64_t now);

/** Ids in the slice of this expiry time (0 when that slice is stale or empty). */
uint64_t ike_ticket_replay_load(const struct ike_ticket_replay *f, uint64_t expires,
				uint64_t now);

#endif
