/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_pool.h - virtual-IP leases of one shard (docs/protocol.md "Virtual
 * IPs"). A pool is one prefix per address family ([pool] v4 / v6); its
 * usable addresses are numbered by offset. The farm's gateways split the
 * offsets into disjoint slices ([pool] member = k/n) and each gateway's
 * shards split its slice again: a shard hands out NEW leases only from its
 * own sub-slice, from a free stack, so allocation is O(1) and lock-free
 * (nothing is shared between shards). Any address of the pool can still be
 * held by a shard: one a resumed ticket carries ("foreign" when outside
 * the shard's sub-slice). Per address a 16-octet entry says who holds it.
 *
 * An own address whose SA had tickets is parked, not freed, when the SA
 * goes: it stays reserved until the last such ticket (plus a margin) has
 * expired, so that the ticket's holder can resume onto it on any gateway.
 * Parked addresses wait in a FIFO that allocation drains lazily.
 */
#ifndef IKE_POOL_H
#define IKE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_core.h"

/* Addresses of a pool that are used: a longer prefix's first IKE_POOL_MAX_SIZE. */
#define IKE_POOL_MAX_SIZE (1u << 20)
/* Parking margin past a ticket's expiry: clock skew between gateways. */
#define IKE_POOL_PARK_SKEW_S 60

/* One address of the pool. */
struct ike_lease {
	uint64_t holder;      /* responder SPI of the IKE SA holding it; 0: none */
	uint32_t until;	      /* unix s: a ticket may carry it until then (max over tickets) */
	uint32_t pos : 24;    /* own free address: index in the free stack; else POOL_NOT_FREE */
	uint32_t in_fifo : 1; /* in the parking FIFO (possibly taken again since) */
	uint32_t parked : 1;
};

#define IKE_POOL_NONE UINT32_MAX

/* One family's pool as one shard sees it. */
struct ike_pool {
	uint8_t alen;	 /* 4 or 16; 0: no pool of this family */
	uint8_t plen;
	uint8_t net[16];
	uint32_t first;	 /* usable offsets: [first, first + size) */
	uint32_t size;
	uint32_t lo, hi; /* this shard's own offsets (new leases): [lo, hi) */
	struct ike_lease *lease; /* [first + size], indexed by offset */
	uint32_t *free;		 /* own free offsets */
	uint32_t nfree;
	uint32_t nheld;	 /* addresses held by this shard's SAs, own and foreign */
	uint32_t *park;		 /* own parked offsets, oldest first (ring of hi - lo) */
	uint32_t park_head;
	uint32_t park_n;
	uint32_t margin; /* seconds parked past `until`: clock skew and RFC 4478 grace */
};

/*
 * The usable offsets of a family's pool and the slice [lo, hi) that shard
 * `shard` of `nb_shards` of this gateway gives new leases from. false: no
 * pool of that family. Slices are floor(i * N / parts) boundaries, so the
 * slices of k = 1..n (and of the shards within one) are disjoint and cover
 * the pool.
 */
bool ike_pool_range(const struct ike_pool_cfg *p, int family, unsigned shard, unsigned nb_shards,
		    uint32_t *first, uint32_t *size, uint32_t *lo, uint32_t *hi);

/* Octets one shard's pools need (both families). */
size_t ike_pool_mem_size(const struct ike_core_cfg *cfg);

/* Sets up both families' pools of shard `shard` in mem (ike_pool_mem_size() octets). */
void ike_pool_init(struct ike_pool pool[2], const struct ike_core_cfg *cfg, unsigned shard,
		   void *mem);

/* Offset of addr in the pool, or IKE_POOL_NONE when it is not a usable address of it. */
uint32_t ike_pool_offset(const struct ike_pool *p, const uint8_t *addr);
/* The address at offset off. */
void ike_pool_addr(const struct ike_pool *p, uint32_t off, uint8_t *out);

static inline bool
ike_pool_own(const struct ike_pool *p, uint32_t off)
{
	return off >= p->lo && off < p->hi;
}

/* A free own address for holder, or IKE_POOL_NONE when the sub-slice is exhausted. */
uint32_t ike_pool_alloc(struct ike_pool *p, uint64_t holder, uint32_t now);

/*
 * Takes a given address of the pool for holder when nobody holds it
 * (own: free or parked; foreign: not held here). false: it is held.
 */
bool ike_pool_take(struct ike_pool *p, uint32_t off, uint64_t holder);

/* The address may travel in a ticket until `until` (unix s): kept reserved that long. */
void ike_pool_reserve(struct ike_pool *p, uint32_t off, uint32_t until);

/* Releases an address: an own one is parked until lease.until + margin if that is to come. */
void ike_pool_release(struct ike_pool *p, uint32_t off, uint32_t now);

#endif
