/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "ike_buf.h"

const uint8_t *
ike_rd_bytes(struct ike_rd *r, size_t n)
{
	const uint8_t *p;

	if (r->err || n > r->len - r->off) {
		r->err = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

uint8_t
ike_rd_u8(struct ike_rd *r)
{
	const uint8_t *p = ike_rd_bytes(r, 1);

	return p ? p[0] : 0;
}

uint16_t
ike_rd_u16(struct ike_rd *r)
{
	const uint8_t *p = ike_rd_bytes(r, 2);

	return p ? ike_get_u16(p) : 0;
}

uint32_t
ike_rd_u32(struct ike_rd *r)
{
	const uint8_t *p = ike_rd_bytes(r, 4);

	return p ? ike_get_u32(p) : 0;
}

uint64_t
ike_rd_u64(struct ike_rd *r)
{
	const uint8_t *p = ike_rd_bytes(r, 8);

	return p ? ike_get_u64(p) : 0;
}

uint8_t *
ike_wr_reserve(struct ike_wr *w, size_t n)
{
	uint8_t *p;

	if (w->err || n > w->cap - w->off) {
		w->err = true;
		return NULL;
	}
	p = w->p + w->off;
	w->off += n;
	return p;
}

void
ike_wr_bytes(struct ike_wr *w, const void *src, size_t n)
{
	uint8_t *p = ike_wr_reserve(w, n);

	if (p && n)
		memcpy(p, src, n);
}

void
ike_wr_u8(struct ike_wr *w, uint8_t v)
{
	uint8_t *p = ike_wr_reserve(w, 1);

	if (p)
		p[0] = v;
}

void
ike_wr_u16(struct ike_wr *w, uint16_t v)
{
	uint8_t *p = ike_wr_reserve(w, 2);

	if (p)
		ike_put_u16(p, v);
}

void
ike_wr_u32(struct ike_wr *w, uint32_t v)
{
	uint8_t *p = ike_wr_reserve(w, 4);

	if (p)
		ike_put_u32(p, v);
}

void
ike_wr_u64(struct ike_wr *w, uint64_t v)
{
	uint8_t *p = ike_wr_reserve(w, 8);

	if (p)
		ike_put_u64(p, v);
}
