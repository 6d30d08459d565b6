/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ticket_replay.c - rotating pair of Bloom filters [Bloom70] of ticket
 * ids (RFC 5723 4.3.1 one-time use, 9.8 revocation list).
 *
 * Sizing for n ids per filter and a per-filter rate p = fp_target / 2
 * (a lookup tests two filters): m = ceil(-n ln p / (ln 2)^2) bits and
 * k = round(m / n ln 2) hashes. Bit positions by double hashing
 * (Kirsch-Mitzenmacher): g_i = h1 + i h2, mapped onto [0, m) by a
 * multiply-shift instead of a modulo.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ike_buf.h"
#include "ike_ticket_replay.h"

struct ike_ticket_replay {
	uint64_t period;
	uint64_t rotated_at;
	uint32_t bits;
	uint32_t hashes;
	uint32_t words; /* 64-bit words per filter */
	uint32_t cur;	/* 0 or 1: the filter that takes inserts */
	uint64_t filter[];
};

enum ike_status
ike_ticket_replay_geometry(const struct ike_ticket_replay_params *p,
			   struct ike_ticket_replay_geometry *g)
{
	const double ln2 = log(2.0);
	double n, p_each, m, k;

	if (p == NULL || p->period == 0 || !(p->rate > 0) || !(p->fp_target > 0) ||
	    !(p->fp_target < 1))
		return IKE_E_PARAM;
	n = ceil(p->rate * p->period);
	p_each = p->fp_target / 2;
	m = ceil(-n * log(p_each) / (ln2 * ln2) / 64) * 64;
	if (m > (double)(UINT32_MAX - 63))
		return IKE_E_PARAM;
	k = round(m / n * ln2);
	g->capacity = (uint64_t)n;
	g->bits = (uint32_t)m;
	g->hashes = k < 1 ? 1 : (uint32_t)k;
	g->bytes = sizeof(struct ike_ticket_replay) + 2 * (size_t)(g->bits / 64) * sizeof(uint64_t);
	return IKE_OK;
}

struct ike_ticket_replay *
ike_ticket_replay_init(void *mem, size_t size, const struct ike_ticket_replay_params *p,
		       uint64_t now)
{
	struct ike_ticket_replay_geometry g;
	struct ike_ticket_replay *f = mem;

	if (mem == NULL || (uintptr_t)mem % sizeof(uint64_t) != 0 ||
	    ike_ticket_replay_geometry(p, &g) != IKE_OK || size < g.bytes)
		return NULL;
	f->period = p->period;
	f->rotated_at = now;
	f->bits = g.bits;
	f->hashes = g.hashes;
	f->words = g.bits / 64;
	f->cur = 0;
	memset(f->filter, 0, 2 * (size_t)f->words * sizeof(uint64_t));
	return f;
}

static uint64_t *
filter_words(struct ike_ticket_replay *f, uint32_t which)
{
	return f->filter + (size_t)which * f->words;
}

bool
ike_ticket_replay_rotate(struct ike_ticket_replay *f, uint64_t now)
{
	size_t bytes = (size_t)f->words * sizeof(uint64_t);

	/* A clock that went back never rotates: ids stay longer, not shorter. */
	if (now < f->rotated_at || now - f->rotated_at < f->period)
		return false;
	if (now - f->rotated_at >= 2 * f->period) {
		memset(f->filter, 0, 2 * bytes);
	} else {
		f->cur ^= 1;
		memset(filter_words(f, f->cur), 0, bytes);
	}
	f->rotated_at = now;
	return true;
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

static void
filter_set(struct ike_ticket_replay *f, uint64_t *w, const struct bloom_hash *h)
{
	uint32_t i, b;

	for (i = 0; i < f->hashes; i++) {
		b = bit_index(f, h, i);
		w[b / 64] |= 1ULL << (b % 64);
	}
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

void
ike_ticket_replay_insert(struct ike_ticket_replay *f, const uint8_t id[IKE_TICKET_ID_LEN],
			 uint64_t now)
{
	struct bloom_hash h = id_hash(id);

	ike_ticket_replay_rotate(f, now);
	filter_set(f, filter_words(f, f->cur), &h);
}

bool
ike_ticket_replay_contains(struct ike_ticket_replay *f, const uint8_t id[IKE_TICKET_ID_LEN],
			   uint64_t now)
{
	struct bloom_hash h = id_hash(id);

	ike_ticket_replay_rotate(f, now);
	return filter_test(f, filter_words(f, 0), &h) || filter_test(f, filter_words(f, 1), &h);
}

enum ike_ticket_reason
ike_ticket_replay_check_insert(struct ike_ticket_replay *f, const uint8_t id[IKE_TICKET_ID_LEN],
			       uint64_t now)
{
	struct bloom_hash h = id_hash(id);

	ike_ticket_replay_rotate(f, now);
	if (filter_test(f, filter_words(f, 0), &h) || filter_test(f, filter_words(f, 1), &h))
		return IKE_TICKET_REPLAYED;
	filter_set(f, filter_words(f, f->cur), &h);
	return IKE_TICKET_OK;
}
