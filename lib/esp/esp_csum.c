/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_csum.c - RFC 1071 checksums (esp_csum.h). */
#include "esp_csum.h"

uint32_t
esp_csum_add(uint32_t sum, const uint8_t *p, uint32_t len)
{
	uint64_t s = sum;
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

uint16_t
esp_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
esp_csum_udp6(const uint8_t *src, const uint8_t *dst, const uint8_t *udp, uint32_t len)
{
	uint32_t sum = esp_csum_add(0, src, 16);
	uint16_t c;

	sum = esp_csum_add(sum, dst, 16);
	sum = esp_csum_add(sum, (const uint8_t[]){0, 0, (uint8_t)(len >> 8), (uint8_t)len}, 4);
	sum = esp_csum_add(sum, (const uint8_t[]){0, 0, 0, 17}, 4);
	sum = esp_csum_add(sum, udp, len);
	c = esp_csum_fold(sum);
	return c == 0 ? 0xffff : c; /* RFC 8200: a computed zero is sent as all ones */
}
