/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Our inbound ESP SPI names its owner, like the IKE SPI (lib/satable/spi.h):
 *
 *   31          32-D | 31-D       32-D-L | 31-D-L          0
 *  +----------------+-------------------+------------------+
 *  | data-path lcore |   slot (L bits)   |   tag (T bits)   |
 *  +----------------+-------------------+------------------+
 *
 * A received ESP packet goes to its data-path lcore and table slot without
 * a hash. The slot space of each data-path lcore is split among the IKE
 * workers (slot = worker * slots_per_worker + index), so a worker picks
 * free slots of its own without asking the lcore. The random tag catches a
 * stale SPI after a slot is reused; it is never such that the SPI falls in
 * 0..255 (RFC 4303 2.1: reserved).
 */
#ifndef ESP_SPI_H
#define ESP_SPI_H

#include <stdbool.h>
#include <stdint.h>

#define ESP_SPI_MIN_TAG_BITS 9 /* bit 8 keeps the SPI above 255 */
#define ESP_SPI_RESERVED 256

struct esp_spi_layout {
	uint8_t lcore_bits;
	uint8_t slot_bits;
	uint8_t tag_bits;
};

/* False when a field is empty or fewer than ESP_SPI_MIN_TAG_BITS remain. */
bool esp_spi_layout_init(struct esp_spi_layout *l, unsigned lcore_bits, unsigned slot_bits);

uint32_t esp_spi_compose(const struct esp_spi_layout *l, uint32_t lcore, uint32_t slot,
			 uint32_t tag);

static inline uint32_t
esp_spi_lcore(const struct esp_spi_layout *l, uint32_t spi)
{
	return (uint32_t)(((uint64_t)spi >> (l->slot_bits + l->tag_bits)) &
			  ((1u << l->lcore_bits) - 1));
}

static inline uint32_t
esp_spi_slot(const struct esp_spi_layout *l, uint32_t spi)
{
	return spi >> l->tag_bits & ((1u << l->slot_bits) - 1);
}

#endif
