/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ts.c - traffic selector narrowing (RFC 7296 2.9): the responder
 * answers with a subset of what was proposed. Our policy is one address
 * range (cfg ts_start .. ts_end) applied to both TSi and TSr; protocol and
 * ports are kept as proposed. The first selector that overlaps the range
 * is narrowed to the overlap; none overlapping means TS_UNACCEPTABLE.
 */
#include <string.h>

#include "ike_core_priv.h"

bool
ike_ts_narrow(const struct ike_core_cfg *cfg, const struct ike_pld_ts *in,
	      struct ike_pld_ts *out, uint8_t addr_buf[2][16])
{
	uint8_t type = cfg->ts_start.family == 6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	size_t alen = cfg->ts_start.family == 6 ? 16 : 4;

	for (unsigned i = 0; i < in->n_ts; i++) {
		const struct ike_ts *t = &in->ts[i];
		const uint8_t *lo, *hi;

		if (t->type != type || t->addr_len != alen)
			continue;
		/* Big-endian addresses compare like byte strings. */
		lo = memcmp(t->start_addr, cfg->ts_start.ip, alen) > 0 ? t->start_addr
								       : cfg->ts_start.ip;
		hi = memcmp(t->end_addr, cfg->ts_end.ip, alen) < 0 ? t->end_addr : cfg->ts_end.ip;
		if (memcmp(lo, hi, alen) > 0)
			continue;
		memcpy(addr_buf[0], lo, alen);
		memcpy(addr_buf[1], hi, alen);
		out->n_ts = 1;
		out->ts[0] = *t;
		out->ts[0].start_addr = addr_buf[0];
		out->ts[0].end_addr = addr_buf[1];
		return true;
	}
	return false;
}
