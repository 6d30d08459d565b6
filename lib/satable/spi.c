/* SPDX-License-Identifier: BSD-3-Clause */
/* spi.c - compose responder SPIs (layout in spi.h). */
#include "spi.h"

bool
spi_layout_init(struct spi_layout *l, unsigned shard_bits, unsigned slot_bits)
{
	if (shard_bits == 0 || slot_bits == 0 || shard_bits > 32 || slot_bits > 32 ||
	    shard_bits + slot_bits > 64 - SPI_MIN_TAG_BITS)
		return false;
	l->shard_bits = (uint8_t)shard_bits;
	l->slot_bits = (uint8_t)slot_bits;
	l->tag_bits = (uint8_t)(64 - shard_bits - slot_bits);
	return true;
}

uint64_t
spi_compose(const struct spi_layout *l, uint32_t shard, uint32_t slot, uint64_t tag)
{
	tag &= spi_mask(l->tag_bits);
	if (tag == 0)
		tag = 1;
	return ((uint64_t)shard & spi_mask(l->shard_bits)) << (l->slot_bits + l->tag_bits) |
	       ((uint64_t)slot & spi_mask(l->slot_bits)) << l->tag_bits | tag;
}
