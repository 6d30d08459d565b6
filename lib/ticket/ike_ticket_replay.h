/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One-time use of tickets (RFC 5723 4.3.1: a reused ticket SHOULD be
 * rejected; 9.8: tickets of deleted SAs) with a rotating pair of Bloom
 * filters of ticket ids in caller-provided memory, one per shard.
 *
 * Each filter covers one period (>= the longest ticket lifetime): ids go
 * into the current filter, lookups test both, and a rotation clears the
 * older one. An id therefore stays at least one period, longer than any
 * ticket it names can still open. A false positive costs the client one
 * full handshake, never a security hole. Sizing: docs/tickets.md.
 */
#ifndef IKE_TICKET_REPLAY_H
#define IKE_TICKET_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_status.h"
#include "ike_ticket.h"

struct ike_ticket_replay_params {
	uint32_t period;  /* seconds per filter; at least the max ticket lifetime */
	double rate;	  /* ids inserted per second on this shard (uses + revocations) */
	double fp_target; /* false-positive rate of a lookup at full load, e.g. 1e-3 */
};

struct ike_ticket_replay_geometry {
	uint64_t capacity; /* ids per filter: ceil(rate * period) */
	uint32_t bits;	   /* m, bits per filter (a multiple of 64) */
	uint32_t hashes;   /* k */
	size_t bytes;	   /* memory to give ike_ticket_replay_init() */
};

struct ike_ticket_replay;

/**
 * Filter geometry for the params (formulas in docs/tickets.md).
 * @return IKE_OK, or IKE_E_PARAM for a zero period or rate, a target
 *   outside (0, 1), or a filter above 2^32 bits (split it over more shards).
 */
enum ike_status ike_ticket_replay_geometry(const struct ike_ticket_replay_params *p,
					   struct ike_ticket_replay_geometry *g);

/**
 * Lays the filter pair out in mem (8-byte aligned, at least geometry.bytes)
 * with both filters empty and the first period starting at now.
 * @return the filter (at mem), or NULL on bad params, alignment or size.
 */
struct ike_ticket_replay *ike_ticket_replay_init(void *mem, size_t size,
						 const struct ike_ticket_replay_params *p,
						 uint64_t now);

/**
 * Rotates when a period has passed since the last rotation: the current
 * filter becomes the previous one and the new current one starts empty;
 * after two idle periods both are cleared. The calls below rotate by
 * themselves; a host timer may call this earlier to keep the clearing
 * (a memset of one filter) off the packet path.
 * @return true when it rotated.
 */
bool ike_ticket_replay_rotate(struct ike_ticket_replay *f, uint64_t now);

/** Records an id: a used ticket, or the ticket of an SA that was deleted. */
void ike_ticket_replay_insert(struct ike_ticket_replay *f, const uint8_t id[IKE_TICKET_ID_LEN],
			      uint64_t now);

/** True when the id was (probably) recorded within the last one to two periods. */
bool ike_ticket_replay_contains(struct ike_ticket_replay *f, const uint8_t id[IKE_TICKET_ID_LEN],
				uint64_t now);

/**
 * Checks and records in one step.
 * @return IKE_TICKET_REPLAYED when the id was (probably) seen, else
 *   IKE_TICKET_OK (and the id is now recorded).
 */
enum ike_ticket_reason ike_ticket_replay_check_insert(struct ike_ticket_replay *f,
						      const uint8_t id[IKE_TICKET_ID_LEN],
						      uint64_t now);

#endif
