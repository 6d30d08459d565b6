/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_test_util.c - SA set-up and one-packet encap/decap for the ESP tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "esp_test_util.h"

void
t_sa_init(struct cry_ipsecmb *c, struct t_sa *t, bool inbound, enum esp_alg alg,
	  unsigned enc_key_len, const uint8_t *keymat, uint32_t spi, unsigned flags)
{
	memset(t, 0, sizeof(*t));
	assert_true(esp_sa_set_alg(&t->sa, alg, enc_key_len));
	assert_true(cry_ipsecmb_esp_keys_init(c, &t->keys, alg, enc_key_len, keymat));
	/* One direction of a pair is used: both SPIs are spi. */
	(void)inbound;
	t->sa.spi_in = spi;
	t->sa.spi_out = spi;
	t->sa.flags |= (uint8_t)flags;
	t->sa.ts_len = 0;
}

enum esp_status
t_encap(struct cry_ipsecmb *c, struct t_sa *t, uint8_t *buf, const uint8_t *inner,
	uint32_t inner_len, const uint8_t *iv, uint8_t **outer, uint32_t *outer_len)
{
	struct esp_job j;
	enum esp_status st;
	unsigned ev;

	memcpy(buf + T_HEADROOM, inner, inner_len);
	st = esp_out_prepare(&t->sa, t->local, &t->keys, buf + T_HEADROOM, inner_len, T_HEADROOM,
			     T_BUF - T_HEADROOM - inner_len, iv, &j, outer, outer_len);
	if (st != ESP_OK)
		return st;
	assert_int_equal(cry_ipsecmb_esp_burst(c, &j, 1), 1);
	return esp_out_finish(&t->sa, &j, &ev);
}

enum esp_status
t_decap(struct cry_ipsecmb *c, struct t_sa *t, uint8_t *pkt, uint32_t len, uint8_t **inner,
	uint32_t *inner_len)
{
	struct esp_in_hdr h;
	struct esp_job j;
	enum esp_status st;
	unsigned ev;

	st = esp_in_parse(pkt, len, &h);
	if (st != ESP_OK)
		return st;
	if (h.spi != t->sa.spi_in)
		return ESP_E_NO_SA;
	st = esp_in_prepare(&t->sa, &t->keys, pkt + h.esp_off, h.esp_len, &j);
	if (st != ESP_OK)
		return st;
	assert_int_equal(cry_ipsecmb_esp_burst(c, &j, 1), 1);
	return esp_in_finish(&t->sa, NULL, &j, 0, inner, inner_len, &ev);
}
