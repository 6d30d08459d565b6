/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_pool.c - a shard's virtual-IP leases (ike_pool.h): slices, the free
 * stack of own addresses, the parking FIFO, per-address holders.
 */
#include <arpa/inet.h>
#include <string.h>

#include "ike_buf.h"
#include "ike_log.h"
#include "ike_pool.h"

#define POOL_NOT_FREE 0xffffffu

static size_t
align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static bool
family_cfg(const struct ike_pool_cfg *p, int family, const uint8_t **net, uint8_t *plen,
	   uint8_t *alen)
{
	if (family == 4 && p->has_v4) {
		*net = p->v4;
		*plen = p->v4_plen;
		*alen = 4;
		return true;
	}
	if (family == 6 && p->has_v6) {
		*net = p->v6;
		*plen = p->v6_plen;
		*alen = 16;
		return true;
	}
	return false;
}

/* Part i (0-based) of parts over [first, first + n): floor boundaries, disjoint, covering. */
static void
slice(uint32_t first, uint32_t n, unsigned i, unsigned parts, uint32_t *lo, uint32_t *hi)
{
	*lo = first + (uint32_t)((uint64_t)n * i / parts);
	*hi = first + (uint32_t)((uint64_t)n * (i + 1) / parts);
}

bool
ike_pool_range(const struct ike_pool_cfg *p, int family, unsigned shard, unsigned nb_shards,
	       uint32_t *first, uint32_t *size, uint32_t *lo, uint32_t *hi)
{
	unsigned host_bits, k = p->member_n ? p->member_k - 1u : 0, n = p->member_n ? p->member_n : 1;
	const uint8_t *net;
	uint8_t plen, alen;
	uint64_t total;
	uint32_t mlo, mhi;

	if (!family_cfg(p, family, &net, &plen, &alen))
		return false;
	host_bits = (unsigned)alen * 8 - plen;
	total = host_bits >= 32 ? (uint64_t)1 << 32 : (uint64_t)1 << host_bits;
	/* IPv4 loses its network and broadcast addresses, IPv6 the subnet-router anycast (0). */
	*first = 0;
	if (alen == 4 && host_bits >= 2) {
		*first = 1;
		total -= 2;
	} else if (alen == 16 && host_bits >= 2) {
		*first = 1;
		total -= 1;
	}
	*size = total > IKE_POOL_MAX_SIZE ? IKE_POOL_MAX_SIZE : (uint32_t)total;
	slice(*first, *size, k, n, &mlo, &mhi);
	slice(mlo, mhi - mlo, shard, nb_shards ? nb_shards : 1, lo, hi);
	return true;
}

static size_t
family_mem(const struct ike_core_cfg *cfg, int family)
{
	unsigned nb = cfg->nb_shards ? cfg->nb_shards : 1;
	uint32_t first, size, lo, hi, own_max;

	if (!ike_pool_range(&cfg->pool, family, 0, 1, &first, &size, &lo, &hi))
		return 0;
	/* The largest shard sub-slice of the member slice (floor boundaries: at most ceil). */
	own_max = (hi - lo + nb - 1) / nb;
	return align8(((size_t)first + size) * sizeof(struct ike_lease)) +
	       2 * align8((size_t)own_max * sizeof(uint32_t));
}

size_t
ike_pool_mem_size(const struct ike_core_cfg *cfg)
{
	return family_mem(cfg, 4) + family_mem(cfg, 6);
}

/* The operator checks that the farm's slices differ (docs/protocol.md "Leases across a farm"). */
static void
log_slice(const struct ike_pool *p, unsigned shard)
{
	char lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN];
	uint8_t a[16];
	int af = p->alen == 4 ? AF_INET : AF_INET6;

	if (p->hi == p->lo) {
		ike_log(IKE_LOG_WARNING, "ikefarm.lib.core: shard %u: empty IPv%d pool slice", shard,
			p->alen == 4 ? 4 : 6);
		return;
	}
	ike_pool_addr(p, p->lo, a);
	inet_ntop(af, a, lo, sizeof(lo));
	ike_pool_addr(p, p->hi - 1, a);
	inet_ntop(af, a, hi, sizeof(hi));
	ike_log(IKE_LOG_INFO, "ikefarm.lib.core: shard %u: new IPv%d leases from %s to %s (%u)",
		shard, p->alen == 4 ? 4 : 6, lo, hi, p->hi - p->lo);
}

static uint8_t *
family_init(struct ike_pool *p, const struct ike_core_cfg *cfg, int family, unsigned shard,
	    uint8_t *mem)
{
	unsigned nb = cfg->nb_shards ? cfg->nb_shards : 1;
	uint32_t own_max, first, size, lo, hi;
	const uint8_t *net = NULL;
	uint8_t alen = 0;

	memset(p, 0, sizeof(*p));
	if (!ike_pool_range(&cfg->pool, family, shard, nb, &p->first, &p->size, &p->lo, &p->hi))
		return mem;
	family_cfg(&cfg->pool, family, &net, &p->plen, &alen);
	p->alen = alen;
	memcpy(p->net, net, alen);
	ike_pool_range(&cfg->pool, family, 0, 1, &first, &size, &lo, &hi);
	own_max = (hi - lo + nb - 1) / nb;
	p->margin = IKE_POOL_PARK_SKEW_S + cfg->auth_grace_s;
	p->lease = (struct ike_lease *)(void *)mem;
	mem += align8(((size_t)p->first + p->size) * sizeof(struct ike_lease));
	p->free = (uint32_t *)(void *)mem;
	mem += align8((size_t)own_max * sizeof(uint32_t));
	p->park = (uint32_t *)(void *)mem;
	mem += align8((size_t)own_max * sizeof(uint32_t));
	for (uint32_t off = 0; off < p->first + p->size; off++) {
		p->lease[off] = (struct ike_lease){.pos = POOL_NOT_FREE};
	}
	/* Lowest address on top of the stack: leases start at the slice's first address. */
	for (uint32_t off = p->hi; off > p->lo; off--) {
		p->lease[off - 1].pos = p->nfree;
		p->free[p->nfree++] = off - 1;
	}
	log_slice(p, shard);
	return mem;
}

void
ike_pool_init(struct ike_pool pool[2], const struct ike_core_cfg *cfg, unsigned shard, void *mem)
{
	uint8_t *m = mem;

	m = family_init(&pool[0], cfg, 4, shard, m);
	family_init(&pool[1], cfg, 6, shard, m);
}

void
ike_pool_addr(const struct ike_pool *p, uint32_t off, uint8_t *out)
{
	memcpy(out, p->net, p->alen);
	ike_put_u32(out + p->alen - 4, ike_get_u32(p->net + p->alen - 4) + off);
}

uint32_t
ike_pool_offset(const struct ike_pool *p, const uint8_t *addr)
{
	uint8_t back[16];
	uint32_t off;

	if (p->alen == 0)
		return IKE_POOL_NONE;
	off = ike_get_u32(addr + p->alen - 4) - ike_get_u32(p->net + p->alen - 4);
	if (off < p->first || off - p->first >= p->size)
		return IKE_POOL_NONE;
	ike_pool_addr(p, off, back);
	return memcmp(back, addr, p->alen) == 0 ? off : IKE_POOL_NONE;
}

/* Removes an own free address from the stack: the top one moves into its place. */
static void
unfree(struct ike_pool *p, uint32_t off)
{
	uint32_t i = p->lease[off].pos, top = p->free[--p->nfree];

	p->free[i] = top;
	p->lease[top].pos = i;
	p->lease[off].pos = POOL_NOT_FREE;
}

static void
push_free(struct ike_pool *p, uint32_t off)
{
	p->lease[off].pos = p->nfree;
	p->free[p->nfree++] = off;
}

/* Parked addresses whose reservation is over go back to the free stack (amortised O(1)). */
static void
drain_parked(struct ike_pool *p, uint32_t now)
{
	uint32_t cap = p->hi - p->lo;

	while (p->park_n != 0) {
		uint32_t off = p->park[p->park_head];
		struct ike_lease *l = &p->lease[off];

		if (l->parked && (uint64_t)l->until + p->margin > now)
			break;
		p->park_head = (p->park_head + 1) % cap;
		p->park_n--;
		l->in_fifo = 0;
		if (l->parked) {
			l->parked = 0;
			l->until = 0;
			push_free(p, off);
		}
	}
}

uint32_t
ike_pool_alloc(struct ike_pool *p, uint64_t holder, uint32_t now)
{
	uint32_t off;

	if (p->alen == 0)
		return IKE_POOL_NONE;
	drain_parked(p, now);
	if (p->nfree == 0)
		return IKE_POOL_NONE;
	off = p->free[p->nfree - 1];
	unfree(p, off);
	p->lease[off].holder = holder;
	p->nheld++;
	return off;
}

bool
ike_pool_take(struct ike_pool *p, uint32_t off, uint64_t holder)
{
	struct ike_lease *l = &p->lease[off];

	if (l->holder != 0)
		return false;
	if (l->pos != POOL_NOT_FREE)
		unfree(p, off);
	l->parked = 0; /* a parked entry left in the FIFO is skipped when it comes out */
	l->holder = holder;
	p->nheld++;
	return true;
}

void
ike_pool_reserve(struct ike_pool *p, uint32_t off, uint32_t until)
{
	if (until > p->lease[off].until)
		p->lease[off].until = until;
}

void
ike_pool_release(struct ike_pool *p, uint32_t off, uint32_t now)
{
	struct ike_lease *l = &p->lease[off];

	l->holder = 0;
	p->nheld--;
	if (!ike_pool_own(p, off)) {
		l->until = 0; /* its own gateway keeps the reservation */
		return;
	}
	if ((uint64_t)l->until + p->margin <= now || l->until == 0) {
		l->until = 0;
		push_free(p, off);
		return;
	}
	l->parked = 1;
	if (!l->in_fifo) {
		uint32_t cap = p->hi - p->lo;

		p->park[(p->park_head + p->park_n) % cap] = off;
		p->park_n++;
		l->in_fifo = 1;
	}
}
