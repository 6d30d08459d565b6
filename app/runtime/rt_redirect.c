/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_redirect.c - a datagram that reached the wrong shard (the protocol's
 * owner hook names another one) goes to its owner over a single-producer,
 * single-consumer ring for that (src, dst) pair. The packet buffer still
 * belongs to src's device, so once dst has handled it, it travels back
 * over the ret ring and src frees it. A full forward ring is a counted drop.
 *
 * Software spread: a device that does not spread new flows over the
 * workers itself (one queue for all, no RSS) hands every message that any
 * shard may take to the shard its peer's address and port hash to, so new
 * sessions are shared by all workers and a peer's retransmits meet the
 * same one.
 */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_jhash.h>

#include "rt_priv.h"

/* The shard a message that starts a session goes to: its peer's hash. */
static unsigned
spread_shard(const struct rt *rt, const struct io_pkt *p)
{
	const struct io_addr *a = &p->remote;
	uint32_t h, ip4;

	if (a->family == 4) {
		memcpy(&ip4, a->ip, sizeof(ip4));
		h = rte_jhash_2words(ip4, a->port, rt->spread_seed);
	} else {
		h = rte_jhash(a->ip, sizeof(a->ip), rt->spread_seed ^ a->port);
	}
	/* Multiply-shift: uniform over nb_shards without a division. */
	return (unsigned)(((uint64_t)h * rt->nb_shards) >> 32);
}

static struct rte_ring *
ring_make(const char *kind, unsigned inst, unsigned a, unsigned b, unsigned count, int socket)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "rt%u%s_%u_%u", inst, kind, a, b);
	return rte_ring_create(name, count, socket,
			       RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
}

int
rt_redirect_create(struct rt *rt)
{
	static unsigned instances;
	unsigned inst = __atomic_fetch_add(&instances, 1, __ATOMIC_RELAXED);
	unsigned a, b;

	for (a = 0; a < rt->nb_shards; a++) {
		for (b = 0; b < rt->nb_shards; b++) {
			if (a == b)
				continue;
			rt->fwd[a][b] = ring_make("f", inst, a, b, rt->cfg.ring_size,
						  rt->shards[b].socket);
			/* Room for every buffer a's device has: a return can never fail. */
			rt->ret[a][b] = ring_make("r", inst, a, b, rt->cfg.nb_bufs,
						  rt->shards[a].socket);
			if (rt->fwd[a][b] == NULL || rt->ret[a][b] == NULL) {
				RT_LOG(ERR, "redirect ring %u->%u: %s\n", a, b,
				       rte_strerror(rte_errno));
				return -1;
			}
		}
	}
	return 0;
}

void
rt_redirect_free(struct rt *rt)
{
	unsigned a, b;

	for (a = 0; a < RT_MAX_SHARDS; a++) {
		for (b = 0; b < RT_MAX_SHARDS; b++) {
			rte_ring_free(rt->fwd[a][b]);
			rte_ring_free(rt->ret[a][b]);
			rt->fwd[a][b] = NULL;
			rt->ret[a][b] = NULL;
		}
	}
}

uint16_t
rt_redirect_out(struct rt_shard *s, struct io_pkt **pkts, uint16_t n)
{
	struct rt *rt = s->rt;
	bool spread = rt->nb_shards > 1 && !(s->io->flags & IO_DEV_F_SPREADS);
	uint16_t i, keep = 0;
	int owner;

	for (i = 0; i < n; i++) {
		owner = rt->proto->owner != NULL ? rt->proto->owner(rt->proto_arg, pkts[i]) : -1;
		if (owner < 0 && spread) {
			owner = (int)spread_shard(rt, pkts[i]);
			if ((unsigned)owner != s->id)
				RT_COUNT(&s->c, spread_out, 1);
		}
		if (owner < 0 || (unsigned)owner == s->id) {
			pkts[keep++] = pkts[i];
			continue;
		}
		if ((unsigned)owner >= rt->nb_shards) {
			RT_COUNT(&s->c, drop_bad_shard, 1);
			io_free(s->io, pkts[i]);
		} else if (rte_ring_sp_enqueue(rt->fwd[s->id][owner], pkts[i]) != 0) {
			RT_COUNT(&s->c, redirect_drop_full, 1);
			io_free(s->io, pkts[i]);
		} else {
			RT_COUNT(&s->c, redirect_out, 1);
		}
	}
	return keep;
}

void
rt_redirect_in(struct rt_shard *s, uint64_t now_ms)
{
	struct rt *rt = s->rt;
	struct io_pkt *pkts[64];
	unsigned src, n, back;

	for (src = 0; src < rt->nb_shards; src++) {
		if (src == s->id)
			continue;
		n = rte_ring_sc_dequeue_burst(rt->fwd[src][s->id], (void **)pkts,
					      RTE_MIN(rt->cfg.burst, RTE_DIM(pkts)), NULL);
		if (n == 0)
			continue;
		RT_COUNT(&s->c, redirect_in, n);
		rt_worker_handle(s, pkts, (uint16_t)n, now_ms);
		back = rte_ring_sp_enqueue_burst(rt->ret[src][s->id], (void **)pkts, n, NULL);
		/* ret holds all of src's buffers, so this cannot fall short. */
		RTE_VERIFY(back == n);
	}
}

void
rt_redirect_reclaim(struct rt_shard *s)
{
	struct rt *rt = s->rt;
	struct io_pkt *pkts[64];
	unsigned holder, n, i;

	for (holder = 0; holder < rt->nb_shards; holder++) {
		if (holder == s->id)
			continue;
		do {
			n = rte_ring_sc_dequeue_burst(rt->ret[s->id][holder], (void **)pkts,
						      RTE_DIM(pkts), NULL);
			for (i = 0; i < n; i++)
				io_free(s->io, pkts[i]);
		} while (n == RTE_DIM(pkts));
	}
}
