/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by the ESP tests: an SA pair on the ipsec-mb driver and packet plumbing. */
#ifndef ESP_TEST_UTIL_H
#define ESP_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "cry_ipsecmb_esp.h"
#include "esp_pkt.h"

#define T_HEADROOM 128
#define T_BUF 2048

struct t_sa {
	struct esp_sa sa;
	uint8_t local[16]; /* our outer address (esp_out_prepare) */
	struct cry_ipsecmb_esp_keys keys;
};

/* An SA of one direction with keymat; ts covers every IPv4 address (IPv6: ESP_SA_TS_V6). */
void t_sa_init(struct cry_ipsecmb *c, struct t_sa *t, bool inbound, enum esp_alg alg,
	       unsigned enc_key_len, const uint8_t *keymat, uint32_t spi, unsigned flags);

/* Encapsulates inner (copied into buf at T_HEADROOM); returns the outer packet. */
enum esp_status t_encap(struct cry_ipsecmb *c, struct t_sa *t, uint8_t *buf, const uint8_t *inner,
			uint32_t inner_len, const uint8_t *iv, uint8_t **outer,
			uint32_t *outer_len);

/* Parses and decapsulates the outer packet in place. */
enum esp_status t_decap(struct cry_ipsecmb *c, struct t_sa *t, uint8_t *pkt, uint32_t len,
			uint8_t **inner, uint32_t *inner_len);

#endif
