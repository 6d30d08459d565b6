/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ts.c - traffic selector narrowing (RFC 7296 2.9): the responder
 * answers with a subset of what was proposed. Our policy is one address
 * range (cfg ts_start .. ts_end), and with dual stack an IPv6 one next to
 * it (ts_start6 .. ts_end6), applied to both TSi and TSr; protocol and
 * ports are kept as proposed. For each range the first selector that
 * overlaps it is narrowed to the overlap; none overlapping either means
 * TS_UNACCEPTABLE.
 * TSi is narrowed further to a prefix (ike_tsi_narrow): the ESP data path
 * routes to the client's side and checks inner sources by prefix.
 */
#include <string.h>

#include "ike_core_priv.h"

/* Sets the low k bits of the alen-octet address a to 1 (k <= alen * 8). */
static void
set_low_bits(uint8_t *a, size_t alen, unsigned k)
{
	for (size_t i = alen; i-- > 0 && k > 0;) {
		unsigned n = k < 8 ? k : 8;

		a[i] |= (uint8_t)((1u << n) - 1);
		k -= n;
	}
}

/* How many low bits of a are zero (alen * 8 for the zero address). */
static unsigned
low_zero_bits(const uint8_t *a, size_t alen)
{
	unsigned k = 0;

	for (size_t i = alen; i-- > 0; k += 8)
		if (a[i] != 0)
			return k + (unsigned)__builtin_ctz(a[i]);
	return k;
}

/* The first selector of in inside lo..hi's family overlapping it, narrowed, added to out. */
static bool
narrow_range(const struct ike_addr *lo_cfg, const struct ike_addr *hi_cfg,
	     const struct ike_pld_ts *in, struct ike_pld_ts *out, uint8_t addr_buf[2][16])
{
	uint8_t type = lo_cfg->family == 6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	size_t alen = lo_cfg->family == 6 ? 16 : 4;

	for (unsigned i = 0; i < in->n_ts; i++) {
		const struct ike_ts *t = &in->ts[i];
		const uint8_t *lo, *hi;

		if (t->type != type || t->addr_len != alen)
			continue;
		/* Big-endian addresses compare like byte strings. */
		lo = memcmp(t->start_addr, lo_cfg->ip, alen) > 0 ? t->start_addr : lo_cfg->ip;
		hi = memcmp(t->end_addr, hi_cfg->ip, alen) < 0 ? t->end_addr : hi_cfg->ip;
		if (memcmp(lo, hi, alen) > 0)
			continue;
		memcpy(addr_buf[0], lo, alen);
		memcpy(addr_buf[1], hi, alen);
		out->ts[out->n_ts] = *t;
		out->ts[out->n_ts].start_addr = addr_buf[0];
		out->ts[out->n_ts++].end_addr = addr_buf[1];
		return true;
	}
	return false;
}

bool
ike_ts_narrow(const struct ike_core_cfg *cfg, const struct ike_pld_ts *in, struct ike_pld_ts *out,
	      uint8_t addr_buf[IKE_TS_NARROW_MAX * 2][16])
{
	out->n_ts = 0;
	narrow_range(&cfg->ts_start, &cfg->ts_end, in, out, addr_buf);
	/* Dual stack: the IPv6 network too, a selector of its own. */
	if (cfg->ts_start6.family == 6)
		narrow_range(&cfg->ts_start6, &cfg->ts_end6, in, out, addr_buf + 2 * out->n_ts);
	return out->n_ts != 0;
}

bool
ike_tsi_narrow(const struct ike_core_cfg *cfg, const struct ike_pld_ts *in, struct ike_pld_ts *out,
	       uint8_t addr_buf[IKE_TS_NARROW_MAX * 2][16])
{
	uint8_t end[16];

	if (!ike_ts_narrow(cfg, in, out, addr_buf))
		return false;
	/* Each: the largest prefix that starts at the overlap's start and ends inside it. */
	for (unsigned i = 0; i < out->n_ts; i++) {
		size_t alen = out->ts[i].addr_len;
		uint8_t *lo = addr_buf[2 * i], *hi = addr_buf[2 * i + 1];

		for (unsigned k = low_zero_bits(lo, alen) + 1; k-- > 0;) {
			memcpy(end, lo, alen);
			set_low_bits(end, alen, k);
			if (memcmp(end, hi, alen) <= 0) {
				memcpy(hi, end, alen);
				break;
			}
		}
	}
	return true;
}
