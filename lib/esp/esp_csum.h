/* SPDX-License-Identifier: BSD-3-Clause */
/* Internet checksum (RFC 1071) for the outer headers the data path builds. */
#ifndef ESP_CSUM_H
#define ESP_CSUM_H

#include <stdint.h>

/* One's-complement sum of len octets added to sum (not folded). */
uint32_t esp_csum_add(uint32_t sum, const uint8_t *p, uint32_t len);
/* Folds and complements: the value to put in the header. */
uint16_t esp_csum_fold(uint32_t sum);
/* UDP checksum over IPv6 (RFC 8200 8.1): udp points at the UDP header. */
uint16_t esp_csum_udp6(const uint8_t *src, const uint8_t *dst, const uint8_t *udp, uint32_t len);

#endif
