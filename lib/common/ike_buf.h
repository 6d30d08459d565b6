/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bounded reader and writer over caller-owned bytes. Every access is
 * length-checked; a failed read or write latches an error flag so a
 * sequence of calls can be checked once at the end. Network byte order.
 */
#ifndef IKE_BUF_H
#define IKE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ike_rd {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;
};

struct ike_wr {
	uint8_t *p;
	size_t cap;
	size_t off;
	bool err;
};

static inline void
ike_rd_init(struct ike_rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = false;
}

static inline size_t
ike_rd_left(const struct ike_rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

/* Returns a pointer to n bytes and advances, or NULL (and latches err). */
const uint8_t *ike_rd_bytes(struct ike_rd *r, size_t n);
uint8_t ike_rd_u8(struct ike_rd *r);
uint16_t ike_rd_u16(struct ike_rd *r);
uint32_t ike_rd_u32(struct ike_rd *r);
uint64_t ike_rd_u64(struct ike_rd *r);

static inline void
ike_wr_init(struct ike_wr *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->off = 0;
	w->err = false;
}

/* Reserves n bytes and returns where they start, or NULL (and latches err). */
uint8_t *ike_wr_reserve(struct ike_wr *w, size_t n);
void ike_wr_bytes(struct ike_wr *w, const void *src, size_t n);
void ike_wr_u8(struct ike_wr *w, uint8_t v);
void ike_wr_u16(struct ike_wr *w, uint16_t v);
void ike_wr_u32(struct ike_wr *w, uint32_t v);
void ike_wr_u64(struct ike_wr *w, uint64_t v);

/* Fixed-position stores and loads for length fix-ups and headers. */
static inline void
ike_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
ike_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
ike_put_u64(uint8_t *p, uint64_t v)
{
	ike_put_u32(p, (uint32_t)(v >> 32));
	ike_put_u32(p + 4, (uint32_t)v);
}

static inline uint16_t
ike_get_u16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
ike_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
ike_get_u64(const uint8_t *p)
{
	return (uint64_t)ike_get_u32(p) << 32 | ike_get_u32(p + 4);
}

#endif
