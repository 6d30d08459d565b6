/* SPDX-License-Identifier: BSD-3-Clause */
/* halfopen.c - linear-probing index of half-open SAs (see halfopen.h). */
#include <string.h>

#include "halfopen.h"
#include "ike_log.h"
#include "siphash.h"

struct halfopen_entry {
	struct halfopen_key key; /* key.family == 0: empty bucket */
	uint64_t value;
};

struct halfopen_index {
	uint8_t hash_key[16];
	uint32_t capacity;
	uint32_t count;
	uint32_t mask; /* buckets - 1 */
	struct halfopen_entry *b;
};

/* Power of two, at least twice the capacity: probes stay short. */
static uint64_t
bucket_count(uint32_t capacity)
{
	uint64_t n = 8;

	while (n < (uint64_t)capacity * 2)
		n <<= 1;
	return n;
}

void
halfopen_key_make(struct halfopen_key *k, uint64_t ispi, uint8_t family, const uint8_t *addr,
		  uint16_t port)
{
	memset(k, 0, sizeof(*k));
	k->ispi = ispi;
	k->family = family;
	k->port = port;
	memcpy(k->addr, addr, family == 4 ? 4 : 16);
}

size_t
halfopen_mem_size(uint32_t capacity)
{
	return sizeof(struct halfopen_index) + 64 +
	       (size_t)bucket_count(capacity) * sizeof(struct halfopen_entry);
}

struct halfopen_index *
halfopen_init(void *mem, size_t mem_len, uint32_t capacity, const uint8_t hash_key[16])
{
	struct halfopen_index *h = mem;
	uintptr_t b;
	uint64_t n = bucket_count(capacity);

	if (mem == NULL || (uintptr_t)mem % 8 != 0 || capacity == 0 || capacity > (1u << 30) ||
	    mem_len < halfopen_mem_size(capacity)) {
		ike_log(IKE_LOG_ERR, "halfopen: bad parameters (capacity %u)", capacity);
		return NULL;
	}
	memcpy(h->hash_key, hash_key, sizeof(h->hash_key));
	h->capacity = capacity;
	h->count = 0;
	h->mask = (uint32_t)(n - 1);
	b = ((uintptr_t)(h + 1) + 63) & ~(uintptr_t)63;
	h->b = (struct halfopen_entry *)b;
	memset(h->b, 0, (size_t)n * sizeof(*h->b));
	return h;
}

static uint32_t
key_hash(const struct halfopen_index *h, const struct halfopen_key *k)
{
	uint8_t m[8 + 16 + 2 + 1];
	unsigned i;

	/* Hash a packed encoding so padding never reaches the hash. */
	for (i = 0; i < 8; i++)
		m[i] = (uint8_t)(k->ispi >> (8 * i));
	memcpy(m + 8, k->addr, 16);
	m[24] = (uint8_t)k->port;
	m[25] = (uint8_t)(k->port >> 8);
	m[26] = k->family;
	return (uint32_t)siphash24(h->hash_key, m, sizeof(m));
}

static bool
key_eq(const struct halfopen_key *a, const struct halfopen_key *b)
{
	return a->ispi == b->ispi && a->port == b->port && a->family == b->family &&
	       memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/* Bucket holding k, or the empty bucket where its probe ends. */
static uint32_t
probe(const struct halfopen_index *h, const struct halfopen_key *k, uint32_t hash)
{
	uint32_t i = hash & h->mask;

	while (h->b[i].key.family != 0 && !(h->b[i].key.hash == hash && key_eq(&h->b[i].key, k)))
		i = (i + 1) & h->mask;
	return i;
}

enum ike_status
halfopen_insert(struct halfopen_index *h, const struct halfopen_key *k, uint64_t value)
{
	uint32_t hash = key_hash(h, k);
	uint32_t i = probe(h, k, hash);

	if (k->family != 4 && k->family != 6)
		return IKE_E_PARAM;
	if (h->b[i].key.family != 0)
		return IKE_E_PARAM;
	if (h->count == h->capacity)
		return IKE_E_NOSPACE;
	h->b[i].key = *k;
	h->b[i].key.hash = hash;
	h->b[i].value = value;
	h->count++;
	return IKE_OK;
}

bool
halfopen_lookup(const struct halfopen_index *h, const struct halfopen_key *k, uint64_t *value)
{
	uint32_t i = probe(h, k, key_hash(h, k));

	if (h->b[i].key.family == 0)
		return false;
	*value = h->b[i].value;
	return true;
}

/* True when home lies cyclically in (hole, j]: the entry at j cannot move to hole. */
static bool
stays(uint32_t home, uint32_t hole, uint32_t j)
{
	if (hole <= j)
		return home > hole && home <= j;
	return home > hole || home <= j;
}

bool
halfopen_remove(struct halfopen_index *h, const struct halfopen_key *k)
{
	uint32_t hole = probe(h, k, key_hash(h, k));
	uint32_t j = hole;

	if (h->b[hole].key.family == 0)
		return false;
	/* Backward shift: pull later entries of the cluster into the hole. */
	for (;;) {
		j = (j + 1) & h->mask;
		if (h->b[j].key.family == 0)
			break;
		if (stays(h->b[j].key.hash & h->mask, hole, j))
			continue;
		h->b[hole] = h->b[j];
		hole = j;
	}
	memset(&h->b[hole], 0, sizeof(h->b[hole]));
	h->count--;
	return true;
}

uint32_t
halfopen_count(const struct halfopen_index *h)
{
	return h->count;
}
