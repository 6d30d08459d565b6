/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * satable.c - single-owner SA table: slot-indexed, tag-checked, FIFO free list.
 * Memory: header | spis[capacity] | fifo[capacity] | elements[capacity].
 * spis[] is kept apart from the elements so lookups touch one 8-octet word
 * before the element itself.
 */
#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include "ike_log.h"
#include "satable.h"

struct satable {
	struct spi_layout layout;
	uint32_t shard;
	uint32_t capacity;
	uint32_t count;
	/* FIFO of free slot numbers: take at head, give back at tail. */
	uint32_t fifo_head;
	uint32_t fifo_tail;
	size_t stride;
	uint64_t *spis; /* per slot: the live SPI, 0 when free */
	uint32_t *fifo;
	uint8_t *elems;
};

static size_t
align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

static size_t
elem_stride(size_t elem_size)
{
	return align_up(elem_size, alignof(max_align_t));
}

size_t
satable_mem_size(uint32_t capacity, size_t elem_size)
{
	return align_up(sizeof(struct satable), SATABLE_ALIGN) +
	       align_up((size_t)capacity * sizeof(uint64_t), SATABLE_ALIGN) +
	       align_up((size_t)capacity * sizeof(uint32_t), SATABLE_ALIGN) +
	       (size_t)capacity * elem_stride(elem_size);
}

struct satable *
satable_init(void *mem, size_t mem_len, const struct spi_layout *layout, uint32_t shard,
	     uint32_t capacity, size_t elem_size)
{
	struct satable *t = mem;
	uint8_t *p = mem;
	uint32_t i;

	if (mem == NULL || (uintptr_t)mem % SATABLE_ALIGN != 0 || capacity == 0 ||
	    elem_size == 0 || mem_len < satable_mem_size(capacity, elem_size) ||
	    (uint64_t)capacity > spi_mask(layout->slot_bits) + 1 ||
	    (uint64_t)shard > spi_mask(layout->shard_bits)) {
		ike_log(IKE_LOG_ERR, "satable: bad parameters (capacity %u, shard %u)", capacity,
			shard);
		return NULL;
	}
	memset(t, 0, sizeof(*t));
	t->layout = *layout;
	t->shard = shard;
	t->capacity = capacity;
	t->stride = elem_stride(elem_size);
	p += align_up(sizeof(*t), SATABLE_ALIGN);
	t->spis = (uint64_t *)(void *)p;
	p += align_up((size_t)capacity * sizeof(uint64_t), SATABLE_ALIGN);
	t->fifo = (uint32_t *)(void *)p;
	p += align_up((size_t)capacity * sizeof(uint32_t), SATABLE_ALIGN);
	t->elems = p;
	for (i = 0; i < capacity; i++) {
		t->spis[i] = 0;
		t->fifo[i] = i;
	}
	t->fifo_head = 0;
	t->fifo_tail = 0; /* full FIFO: head == tail and count == 0 */
	return t;
}

static void *
slot_elem(const struct satable *t, uint32_t slot)
{
	return t->elems + (size_t)slot * t->stride;
}

void *
satable_insert(struct satable *t, uint64_t rand_tag, uint64_t *spi)
{
	uint32_t slot;
	void *e;

	if (t->count == t->capacity)
		return NULL;
	slot = t->fifo[t->fifo_head];
	t->fifo_head = t->fifo_head + 1 == t->capacity ? 0 : t->fifo_head + 1;
	t->count++;
	t->spis[slot] = spi_compose(&t->layout, t->shard, slot, rand_tag);
	e = slot_elem(t, slot);
	memset(e, 0, t->stride);
	*spi = t->spis[slot];
	return e;
}

void *
satable_lookup(const struct satable *t, uint64_t spi)
{
	uint32_t slot = spi_slot(&t->layout, spi);

	/* The stored word holds shard, slot and tag: one compare checks all. */
	if (spi == 0 || slot >= t->capacity || t->spis[slot] != spi)
		return NULL;
	return slot_elem(t, slot);
}

unsigned
satable_lookup_burst(const struct satable *t, const uint64_t *spis, unsigned n, void **out)
{
	unsigned i, found = 0;

	for (i = 0; i < n; i++) {
		out[i] = satable_lookup(t, spis[i]);
		found += out[i] != NULL;
	}
	return found;
}

int
satable_remove(struct satable *t, uint64_t spi)
{
	uint32_t slot = spi_slot(&t->layout, spi);

	if (spi == 0 || slot >= t->capacity || t->spis[slot] != spi)
		return -1;
	t->spis[slot] = 0;
	t->fifo[t->fifo_tail] = slot;
	t->fifo_tail = t->fifo_tail + 1 == t->capacity ? 0 : t->fifo_tail + 1;
	t->count--;
	return 0;
}

uint64_t
satable_spi_of(const struct satable *t, const void *elem)
{
	size_t off = (size_t)((const uint8_t *)elem - t->elems);

	return t->spis[off / t->stride];
}

uint32_t
satable_slot_of(const struct satable *t, const void *elem)
{
	return (uint32_t)((size_t)((const uint8_t *)elem - t->elems) / t->stride);
}

void *
satable_at(const struct satable *t, uint32_t slot)
{
	return slot < t->capacity && t->spis[slot] != 0 ? slot_elem(t, slot) : NULL;
}

uint64_t
satable_spi_at(const struct satable *t, uint32_t slot)
{
	return slot < t->capacity ? t->spis[slot] : 0;
}

uint32_t
satable_count(const struct satable *t)
{
	return t->count;
}

uint32_t
satable_capacity(const struct satable *t)
{
	return t->capacity;
}
