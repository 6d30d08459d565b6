/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * satable - fixed-capacity SA table owned by one shard (one lcore).
 *
 * Elements are fixed-size and live in caller-provided memory sized by
 * satable_mem_size(); nothing is allocated after satable_init(). The key is
 * the responder SPI (spi.h): its slot field indexes the element directly,
 * and the whole 64-bit SPI stored per slot is compared on lookup, which
 * checks the shard and the random tag at once. No locks: only the owner
 * calls these functions.
 *
 * Freed slots go to the tail of a FIFO, so a slot is reused as late as
 * possible and a stale SPI meets a new random tag.
 */
#ifndef SATABLE_H
#define SATABLE_H

#include <stddef.h>
#include <stdint.h>

#include "spi.h"

/* Memory given to satable_init() must be aligned to this. */
#define SATABLE_ALIGN 64

struct satable;

/* Octets of memory for a table of capacity elements of elem_size octets. */
size_t satable_mem_size(uint32_t capacity, size_t elem_size);

/*
 * Sets up a table in mem (at least satable_mem_size() octets, SATABLE_ALIGN
 * aligned). shard is this table's field in every SPI it issues; capacity
 * must fit the layout's slot field. Returns NULL on bad parameters.
 */
struct satable *satable_init(void *mem, size_t mem_len, const struct spi_layout *layout,
			     uint32_t shard, uint32_t capacity, size_t elem_size);

/*
 * Takes a free slot, zeroes its element and returns it; *spi gets the new
 * responder SPI made of our shard, the slot and rand_tag (from the caller's
 * random source). Returns NULL when the table is full.
 */
void *satable_insert(struct satable *t, uint64_t rand_tag, uint64_t *spi);

/* The element whose SPI is spi, or NULL (other shard, free slot, stale tag). */
void *satable_lookup(const struct satable *t, uint64_t spi);

/*
 * Looks up n SPIs: out[i] is the element or NULL. Returns how many were
 * found.
 */
unsigned satable_lookup_burst(const struct satable *t, const uint64_t *spis, unsigned n,
			      void **out);

/* Frees the slot of spi. Returns 0, or -1 when spi names no live element. */
int satable_remove(struct satable *t, uint64_t spi);

/* The SPI of a live element returned by insert or lookup. */
uint64_t satable_spi_of(const struct satable *t, const void *elem);

/* The slot of a live element: 32 bits name it where a whole SPI is not needed. */
uint32_t satable_slot_of(const struct satable *t, const void *elem);

/* The element in slot, or NULL when the slot is free or out of range. */
void *satable_at(const struct satable *t, uint32_t slot);

/* The SPI of the element in slot; 0 when the slot is free or out of range. */
uint64_t satable_spi_at(const struct satable *t, uint32_t slot);

uint32_t satable_count(const struct satable *t);
uint32_t satable_capacity(const struct satable *t);

#endif
