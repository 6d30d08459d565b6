/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_spi.c - inbound ESP SPIs that carry their owner (esp_spi.h). */
#include "esp_spi.h"

bool
esp_spi_layout_init(struct esp_spi_layout *l, unsigned lcore_bits, unsigned slot_bits)
{
	if (lcore_bits == 0 || slot_bits == 0 || lcore_bits + slot_bits > 32 - ESP_SPI_MIN_TAG_BITS)
		return false;
	l->lcore_bits = (uint8_t)lcore_bits;
	l->slot_bits = (uint8_t)slot_bits;
	l->tag_bits = (uint8_t)(32 - lcore_bits - slot_bits);
	return true;
}

uint32_t
esp_spi_compose(const struct esp_spi_layout *l, uint32_t lcore, uint32_t slot, uint32_t tag)
{
	uint32_t spi = (lcore & ((1u << l->lcore_bits) - 1)) << (l->slot_bits + l->tag_bits) |
		       (slot & ((1u << l->slot_bits) - 1)) << l->tag_bits |
		       (tag & ((1u << l->tag_bits) - 1));

	return spi < ESP_SPI_RESERVED ? spi | ESP_SPI_RESERVED : spi;
}
