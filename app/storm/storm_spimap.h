/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SPIi -> client index, for demultiplexing responses: open addressing with
 * linear probing and backward-shift deletion, sized once for every client.
 * SPI 0 is never a valid SPIi (RFC 7296 3.1) and marks an empty slot.
 */
#ifndef STORM_SPIMAP_H
#define STORM_SPIMAP_H

#include <stdint.h>

#define STORM_SPIMAP_NONE UINT32_MAX

struct storm_spimap_ent {
	uint64_t spi;
	uint32_t idx;
};

struct storm_spimap {
	struct storm_spimap_ent *ent;
	uint64_t mask;
};

/** Room for n keys at load <= 1/2; -1 when out of memory. */
int storm_spimap_init(struct storm_spimap *m, uint32_t n);
void storm_spimap_fini(struct storm_spimap *m);
/** Maps spi to idx (replacing any previous mapping of spi). spi must not be 0. */
void storm_spimap_put(struct storm_spimap *m, uint64_t spi, uint32_t idx);
void storm_spimap_del(struct storm_spimap *m, uint64_t spi);
/** The index of spi, or STORM_SPIMAP_NONE. */
uint32_t storm_spimap_get(const struct storm_spimap *m, uint64_t spi);

#endif
