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

unsigned
esp_keymat_len(enum esp_alg alg, unsigned enc_key_len)
{
	struct esp_alg_desc d;

	if (!esp_alg_desc(alg, enc_key_len, &d))
		return 0;
	return enc_key_len + d.salt_len + d.integ_key_len;
}

bool
esp_sa_set_alg(struct esp_sa *sa, enum esp_alg alg, unsigned enc_key_len)
{
	struct esp_alg_desc d;

	if (!esp_alg_desc(alg, enc_key_len, &d))
		return false;
	sa->alg = (uint8_t)alg;
	sa->flags = (uint8_t)((sa->flags & ~(3u << ESP_SA_KEY_SHIFT)) |
			      (enc_key_len - 16) / 8 << ESP_SA_KEY_SHIFT);
	return true;
}

void
esp_sa_in_stats(const struct esp_sa *sa, struct esp_sa_stats *st)
{
	st->packets = sa->in.packets;
	st->bytes = sa->in.bytes;
	st->replay = sa->in.replay;
	st->auth = sa->in.auth;
	st->bad = sa->in.bad;
	st->selector = sa->in.selector;
	st->dummy = sa->in.dummy;
}

void
esp_sa_out_stats(const struct esp_sa *sa, struct esp_sa_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->packets = sa->out.seq; /* one sequence number a packet (RFC 4303 3.3.3) */
	st->bytes = sa->out.bytes;
}

uint8_t
esp_range_prefix(const struct esp_range *r, uint8_t *addr)
{
	unsigned n = r->v6 ? 16 : 4, bits = n * 8, depth, i;

	memset(addr, 0, 16);
	memcpy(addr, r->start, n);
	for (depth = 0; depth < bits; depth++) {
		unsigned byte = depth / 8, bit = 7 - depth % 8;

		if (((r->start[byte] ^ r->end[byte]) >> bit) & 1)
			break;
	}
	/* start must have only zeros and end only ones after the common prefix. */
	for (i = depth; i < bits; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;

		if ((r->start[byte] >> bit & 1) != 0 || (r->end[byte] >> bit & 1) != 1)
			return (uint8_t)bits;
	}
	return (uint8_t)(depth == 0 ? bits : depth); /* no 0/0 route: the start address alone */
}

static bool
prefix_has(const uint8_t *prefix, unsigned len, const uint8_t *addr)
{
	unsigned whole = len / 8, rest = len % 8;

	if (memcmp(addr, prefix, whole) != 0)
		return false;
	return rest == 0 || ((addr[whole] ^ prefix[whole]) & (0xff00u >> rest & 0xffu)) == 0;
}

bool
esp_sa_ts_has(const struct esp_sa *sa, bool v6, const uint8_t *addr)
{
	uint8_t len;
	const uint8_t *prefix = esp_sa_ts_of(sa, v6, &len);

	return prefix != NULL && prefix_has(prefix, len, addr);
}

uint32_t
esp_limit_code(uint64_t v)
{
	unsigned e = 0;

	while (ESP_LIMIT_MANT_BITS + e < 64 && v >> (ESP_LIMIT_MANT_BITS + e) != 0)
		e++;
	return (uint32_t)(e << ESP_LIMIT_MANT_BITS | v >> e);
}

/* A soft limit stays below its hard limit (codes compare like values). */
static void
code_pair(uint64_t soft, uint64_t hard, uint32_t *s, uint32_t *h)
{
	*s = esp_limit_code(soft);
	*h = esp_limit_code(hard);
	if (*h != 0 && *s >= *h)
		*s = *h - 1;
}

void
esp_limits_of(const struct esp_life *life, struct esp_limits *lim)
{
	code_pair(life->soft_bytes, life->hard_bytes, &lim->soft_bytes, &lim->hard_bytes);
	code_pair(life->soft_packets, life->hard_packets, &lim->soft_packets, &lim->hard_packets);
}

static bool
reached(uint32_t limit, uint64_t v)
{
	return limit != 0 && v >= esp_limit_value(limit);
}

unsigned
esp_sa_account(const struct esp_limits *l, uint64_t packets, uint64_t *bytes, uint8_t *ev,
	       unsigned shift, uint32_t len)
{
	unsigned raised = 0;

	*bytes += len;
	if (reached(l->soft_bytes, *bytes) || reached(l->soft_packets, packets))
		raised |= ESP_EV_SOFT;
	if (reached(l->hard_bytes, *bytes) || reached(l->hard_packets, packets))
		raised |= ESP_EV_HARD | ESP_EV_SOFT;
	raised &= ~((unsigned)*ev >> shift);
	*ev |= (uint8_t)(raised << shift);
	return raised;
}

/* v lowered by (r mod 1024) / 1024 of pct percent of it. */
static uint64_t
jitter(uint64_t v, uint32_t pct, unsigned r)
{
	uint64_t share = v / 100 * pct + v % 100 * pct / 100;

	return v - share / 1024 * (r % 1024) - share % 1024 * (r % 1024) / 1024;
}

/* Soft limit s and hard limit h, jittered; s < h when both are set. */
static void
pair(uint64_t s, uint64_t h, uint32_t pct, uint64_t *rnd, uint64_t *os, uint64_t *oh)
{
	*os = jitter(s, pct, (unsigned)*rnd);
	*rnd >>= 10;
	*oh = jitter(h, pct, (unsigned)*rnd);
	*rnd >>= 10;
	if (*oh != 0 && *os >= *oh)
		*os = *oh - 1;
}

void
esp_life_of(const struct esp_life_cfg *c, uint64_t rnd, struct esp_life *life,
	    struct esp_life_time *t)
{
	uint32_t pct = c->jitter_pct <= 100 ? c->jitter_pct : 100;
	uint64_t s, h;

	pair(c->rekey_bytes, c->life_bytes, pct, &rnd, &life->soft_bytes, &life->hard_bytes);
	pair(c->rekey_packets, c->life_packets, pct, &rnd, &life->soft_packets,
	     &life->hard_packets);
	pair(c->rekey_time_s, c->life_time_s, pct, &rnd, &s, &h);
	t->soft_s = (uint32_t)s;
	t->hard_s = (uint32_t)h;
}

void
esp_ts_local_add(struct esp_ts_local *t, const struct esp_range *r)
{
	if (r->v6) {
		memcpy(t->start6, r->start, 16);
		memcpy(t->end6, r->end, 16);
		t->has |= ESP_TSL_V6;
		return;
	}
	t->start4 = (uint32_t)r->start[0] << 24 | (uint32_t)r->start[1] << 16 |
		    (uint32_t)r->start[2] << 8 | r->start[3];
	t->end4 = (uint32_t)r->end[0] << 24 | (uint32_t)r->end[1] << 16 | (uint32_t)r->end[2] << 8 |
		  r->end[3];
	t->has |= ESP_TSL_V4;
}
