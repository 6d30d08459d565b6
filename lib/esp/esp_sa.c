/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_sa.c - algorithm sizes, selectors and lifetime accounting of an SA. */
#include <string.h>

#include "esp_sa.h"

bool
esp_alg_desc(enum esp_alg alg, unsigned enc_key_len, struct esp_alg_desc *d)
{
	if (enc_key_len != 16 && enc_key_len != 24 && enc_key_len != 32)
		return false;
	memset(d, 0, sizeof(*d));
	switch (alg) {
	case ESP_ALG_AES_GCM_16:
		/* RFC 4106 3.1, 8.1: 8-octet explicit IV, 4-octet salt, 16-octet ICV. */
		d->iv_len = 8;
		d->icv_len = 16;
		d->align = 4;
		d->salt_len = ESP_GCM_SALT;
		return true;
	case ESP_ALG_AES_CBC_HMAC_SHA256_128:
	case ESP_ALG_AES_CBC_HMAC_SHA384_192:
	case ESP_ALG_AES_CBC_HMAC_SHA512_256:
		/* RFC 3602 2, RFC 4868 2.1: ICV is half the hash, key the whole hash. */
		d->iv_len = 16;
		d->align = 16;
		d->icv_len = alg == ESP_ALG_AES_CBC_HMAC_SHA256_128   ? 16
			     : alg == ESP_ALG_AES_CBC_HMAC_SHA384_192 ? 24
								      : 32;
		d->integ_key_len = (uint8_t)(d->icv_len * 2);
		return true;
	default:
		return false;
	}
}

bool
esp_sa_set_alg(struct esp_sa *sa, enum esp_alg alg, unsigned enc_key_len)
{
	struct esp_alg_desc d;

	if (!esp_alg_desc(alg, enc_key_len, &d))
		return false;
	sa->alg = (uint8_t)alg;
	sa->iv_len = d.iv_len;
	sa->icv_len = d.icv_len;
	sa->align = d.align;
	return true;
}

bool
esp_range_has(const struct esp_range *r, bool v6, const uint8_t *addr)
{
	size_t n = v6 ? 16 : 4;

	return r->v6 == v6 && memcmp(addr, r->start, n) >= 0 && memcmp(addr, r->end, n) <= 0;
}

static bool
reached(uint64_t limit, uint64_t v)
{
	return limit != 0 && v >= limit;
}

unsigned
esp_sa_account(struct esp_sa *sa, uint32_t len, uint64_t now_ms)
{
	const struct esp_life *l = &sa->life;
	unsigned ev = 0;

	sa->st.packets++;
	sa->st.bytes += len;
	sa->last_ms = now_ms;
	if (reached(l->soft_bytes, sa->st.bytes) || reached(l->soft_packets, sa->st.packets))
		ev |= ESP_EV_SOFT;
	if (reached(l->hard_bytes, sa->st.bytes) || reached(l->hard_packets, sa->st.packets))
		ev |= ESP_EV_HARD | ESP_EV_SOFT;
	ev &= ~(unsigned)sa->events;
	sa->events |= (uint8_t)ev;
	return ev;
}
