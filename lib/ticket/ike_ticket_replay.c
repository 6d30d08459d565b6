/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ticket_replay.c - Bloom filters [Bloom70] of ticket ids, one per
 * slice of expiry times (RFC 5723 4.3.1 one-time use, 9.8 revocation list).
 *
 * Slice of a ticket: e = expires / slice_s (clamped to the last slice kept
 * ahead of now), held in slot e mod slices and tagged e + 1. A slice whose
 * tickets have all expired is retired at once and cleared a chunk per call
 * of the host's timer: its slot is not needed again for one slice period
 * (the spare slot), so the clearing stays off the packet path.
 * Each slice holds n = rate * slice_s ids at its target rate p:
 * m = ceil(-n ln p / (ln 2)^2) bits and k = round(m / n ln 2) hashes. Bit
 * positions by double hashing (Kirsch-Mitzenmacher): g_i = h1 + i h2,
 * mapped onto [0, m) by a multiply-shift instead of a modulo.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ike_buf.h"
#include "ike_ticket_replay.h"

/* The slices a lifetime spans, the one being passed, one for skew, one being cleared. */
#define NSLOTS (IKE_TICKET_REPLAY_SLICES + 3)
/* Furthest slice ahead of now's that takes ids. */
#define AHEAD (IKE_TICKET_REPLAY_SLICES + 1)
/* Words an expired slice is cleared by per ike_ticket_replay_rotate() call (64 KiB). */
#define CLEAR_CHUNK 8192

struct slice {
	uint64_t tag;	   /* epoch + 1; 0: not in use */
	uint64_t count;	   /* distinct ids inserted */
	uint32_t full;	   /* IKE_TICKET_REPLAY_EV_FULL reported */
	uint32_t dirty;	   /* not in use and not all zero yet: cleared from clear_at on */
	uint64_t clear_at; /* words already cleared */
};

struct ike_ticket_replay {
	uint64_t slice_s;
	uint64_t capacity;
	uint32_t bits;
	uint32_t hashes;
	uint32_t words;	   /* 64-bit words per slice */
	uint32_t pad;
	struct slice sl[NSLOTS];
	uint64_t filter[];
};

enum ike_status
ike_ticket_replay_geometry(const struct ike_ticket_replay_params *p,
			   struct ike_ticket_replay_geometry *g)
{
	const double ln2 = log(2.0);
	double n, m, k;
	uint32_t slice_s;

	if (p == NULL || p->lifetime == 0 || !(p->rate > 0) || !(p->fp_target > 0) ||
	    !(p->fp_target < 1))
		return IKE_E_PARAM;
	slice_s = (uint32_t)(((uint64_t)p->lifetime + IKE_TICKET_REPLAY_SLICES - 1) /
			     IKE_TICKET_REPLAY_SLICES);
	n = ceil(p->rate * slice_s);
	m = ceil(-n * log(p->fp_target) / (ln2 * ln2) / 64) * 64;
	if (!(m <= (double)(UINT32_MAX - 63)))
		return IKE_E_PARAM;
	k = round(m / n * ln2);
	g->slice_s = slice_s;
	g->slices = NSLOTS;
	g->capacity = (uint64_t)n;
	g->bits = (uint32_t)m;
	g->hashes = k < 1 ? 1 : (uint32_t)k;
	g->bytes = sizeof(struct ike_ticket_replay) +
		   (size_t)NSLOTS * (size_t)(g->bits / 64) * sizeof(uint64_t);
	return IKE_OK;
}

struct ike_ticket_replay *
ike_ticket_replay_init(void *mem, size_t size, const struct ike_ticket_replay_params *p)
{
	struct ike_ticket_replay_geometry g;
	struct ike_ticket_replay *f = mem;

	if (mem == NULL || (uintptr_t)mem % sizeof(uint64_t) != 0 ||
	    ike_ticket_replay_geometry(p, &g) != IKE_OK || size < g.bytes)
		return NULL;
	memset(f, 0, g.bytes);
	f->slice_s = g.slice_s;
	f->capacity = g.capacity;
	f->bits = g.bits;
	f->hashes = g.hashes;
	f->words = g.bits / 64;
	return f;
}

static uint64_t *
slice_words(const struct ike_ticket_replay *f, uint32_t slot)
{
	return (uint64_t *)f->filter + (size_t)slot * f->words;
}

/*
 * The epoch (slice number) that keeps a ticket expiring at expires. Lookups
 * refuse tickets beyond the last slice kept; an insert of one (a revocation
 * cannot be: we seal no such ticket) goes into the last slice.
 */
static uint64_t
epoch_of(const struct ike_ticket_replay *f, uint64_t expires, uint64_t now)
{
	uint64_t e = expires / f->slice_s, last = now / f->slice_s + AHEAD;

	return e < last ? e : last;
}

/* Takes a slice out of use; its bits are cleared later (slice_clear_some). */
static void
slice_retire(struct ike_ticket_replay *f, uint32_t slot)
{
	struct slice *sl = &f->sl[slot];

	sl->tag = 0;
	sl->count = 0;
	sl->full = 0;
	sl->dirty = 1;
	sl->clear_at = 0;
}

/* Clears up to max words of a retired slice. */
static void
slice_clear_some(struct ike_ticket_replay *f, uint32_t slot, uint64_t max)
{
	struct slice *sl = &f->sl[slot];
	uint64_t n = f->words - sl->clear_at;

	if (n > max)
		n = max;
	memset(slice_words(f, slot) + sl->clear_at, 0, (size_t)n * sizeof(uint64_t));
	sl->clear_at += n;
	if (sl->clear_at == f->words)
		sl->dirty = 0;
}

bool
ike_ticket_replay_rotate(struct ike_ticket_replay *f, uint64_t now)
{
	uint64_t cur = now / f->slice_s;
	bool did = false;

	for (uint32_t i = 0; i < NSLOTS; i++) {
		/* A slice's tickets have all expired once its epoch is before now's. */
		if (f->sl[i].tag != 0 && f->sl[i].tag - 1 < cur) {
			slice_retire(f, i);
			did = true;
		}
		if (f->sl[i].dirty) {
			slice_clear_some(f, i, CLEAR_CHUNK);
			did = true;
		}
	}
	return did;
}

/* splitmix64 finaliser: ids are random already, this guards callers whose ids are not. */
static uint64_t
mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct bloom_hash {
	uint64_t h1;
	uint64_t h2;
};

static struct bloom_hash
id_hash(const uint8_t id[IKE_TICKET_ID_LEN])
{
	struct bloom_hash h = {
		.h1 = mix64(ike_get_u64(id)),
		.h2 = mix64(ike_get_u64(id + 8)) | 1,
	};

	return h;
}

static uint32_t
bit_index(const struct ike_ticket_replay *f, const struct bloom_hash *h, uint32_t i)
{
	uint64_t g = h->h1 + i * h->h2;

	return (uint32_t)(((g >> 32) * f->bits) >> 32);
}

/* Sets the id's bits; true when at least one was clear (an id not seen before). */
static bool
filter_set(const struct ike_ticket_replay *f, uint64_t *w, const struct bloom_hash *h)
{
	uint64_t old, bit;
	bool fresh = false;
	uint32_t i, b;

	for (i = 0; i < f->hashes; i++) {
		b = bit_index(f, h, i);
		bit = 1ULL << (b % 64);
		old = w[b / 64];
		fresh |= (old & bit) == 0;
		w[b / 64] = old | bit;
	}
	return fresh;
}

static bool
filter_test(const struct ike_ticket_replay *f, const uint64_t *w, const struct bloom_hash *h)
{
	uint32_t i, b;

	for (i = 0; i < f->hashes; i++) {
		b = bit_index(f, h, i);
		if ((w[b / 64] & (1ULL << (b % 64))) == 0)
			return false;
	}
	return true;
}

/* Events of a slice whose count just went up by one. */
static unsigned
slice_events(const struct ike_ticket_replay *f, struct slice *sl)
{
	if (sl->count > f->capacity)
		return IKE_TICKET_REPLAY_EV_OVER;
	if (sl->count == f->capacity && !sl->full) {
		sl->full = 1;
		return IKE_TICKET_REPLAY_EV_FULL;
	}
	return 0;
}

unsigned
ike_ticket_replay_insert(struct ike_ticket_replay *f, const uint8_t id[IKE_TICKET_ID_LEN],
			 uint64_t expires, uint64_t now)
{
	struct bloom_hash h = id_hash(id);
	uint64_t e;
	uint32_t slot;

	if (expires <= now)
		return 0;
	e = epoch_of(f, expires, now);
	slot = (uint32_t)(e % NSLOTS);
	/*
	 * An older epoch in the slot has expired (its epoch is at least NSLOTS
	 * back, before now's): drop it, clearing here what the timer has not
	 * cleared yet. A newer one means the clock went back: share it, so the
	 * id is kept longer, never shorter.
	 */
	if (f->sl[slot].tag < e + 1) {
		if (f->sl[slot].tag != 0)
			slice_retire(f, slot);
		if (f->sl[slot].dirty)
			slice_clear_some(f, slot, f->words);
		f->sl[slot].tag = e + 1;
	}
	if (!filter_set(f, slice_words(f, slot), &h))
		return 0;
	f->sl[slot].count++;
	return slice_events(f, &f->sl[slot]);
}

/* The slot that holds the epoch of expires, or NSLOTS when none does. */
static uint32_t
slot_of(const struct ike_ticket_replay *f, uint64_t expires, uint64_t now)
{
	uint64_t e = epoch_of(f, expires, now);
	uint32_t slot = (uint32_t)(e % NSLOTS);

	return f->sl[slot].tag >= e + 1 ? slot : NSLOTS;
}

enum ike_ticket_reason
ike_ticket_replay_lookup(const struct ike_ticket_replay *f, const uint8_t id[IKE_TICKET_ID_LEN],
			 uint64_t expires, uint64_t now)
{
	struct bloom_hash h = id_hash(id);
	uint32_t slot;

	if (expires <= now)
		return IKE_TICKET_OK;
	if (expires - now > AHEAD * f->slice_s)
		return IKE_TICKET_EXPIRES_TOO_LATE;
	slot = slot_of(f, expires, now);
	if (slot == NSLOTS || !filter_test(f, slice_words(f, slot), &h))
		return IKE_TICKET_OK;
	return f->sl[slot].count > f->capacity ? IKE_TICKET_REPLAY_FILTER_FULL
					       : IKE_TICKET_REPLAYED;
}

uint64_t
ike_ticket_replay_load(const struct ike_ticket_replay *f, uint64_t expires, uint64_t now)
{
	uint32_t slot = slot_of(f, expires, now);

	return slot == NSLOTS ? 0 : f->sl[slot].count;
}
