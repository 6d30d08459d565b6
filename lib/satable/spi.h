/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Responder SPI layout. Our 64-bit IKE SPI carries its owner:
 *
 *   63            64-S | 63-S        64-S-L | 63-S-L              0
 *  +-------------------+--------------------+----------------------+
 *  |  shard (S bits)   |   slot (L bits)    |  random tag (T bits) |
 *  +-------------------+--------------------+----------------------+
 *
 * Default S = 6 (64 shards), L = 22 (4,194,304 SAs per shard), T = 36.
 * Any received message names its owner shard and table slot in its SPIr
 * without hashing; the random tag makes SPIs unpredictable (RFC 7296 2.6
 * asks for SPIs that cannot be guessed) and catches stale SPIs after a slot
 * is reused. The tag is never zero, so a valid SPI is never zero
 * (RFC 7296 3.1: SPIr zero means "not yet known").
 * The value is the SPI's 8 octets read in network order (ike_get_u64).
 */
#ifndef SATABLE_SPI_H
#define SATABLE_SPI_H

#include <stdbool.h>
#include <stdint.h>

#define SPI_DEFAULT_SHARD_BITS 6
#define SPI_DEFAULT_SLOT_BITS 22
/* Fewer tag bits than this would make SPIs guessable. */
#define SPI_MIN_TAG_BITS 32

struct spi_layout {
	uint8_t shard_bits;
	uint8_t slot_bits;
	uint8_t tag_bits;
};

/*
 * Fills l; the tag gets the bits left over. Returns false (and leaves l
 * untouched) when fewer than SPI_MIN_TAG_BITS remain or a field is empty.
 */
bool spi_layout_init(struct spi_layout *l, unsigned shard_bits, unsigned slot_bits);

/* Builds an SPI; fields are masked to their width, a zero tag becomes 1. */
uint64_t spi_compose(const struct spi_layout *l, uint32_t shard, uint32_t slot, uint64_t tag);

static inline uint64_t
spi_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
}

static inline uint32_t
spi_shard(const struct spi_layout *l, uint64_t spi)
{
	return (uint32_t)(spi >> (l->slot_bits + l->tag_bits) & spi_mask(l->shard_bits));
}

static inline uint32_t
spi_slot(const struct spi_layout *l, uint64_t spi)
{
	return (uint32_t)(spi >> l->tag_bits & spi_mask(l->slot_bits));
}

static inline uint64_t
spi_tag(const struct spi_layout *l, uint64_t spi)
{
	return spi & spi_mask(l->tag_bits);
}

#endif
