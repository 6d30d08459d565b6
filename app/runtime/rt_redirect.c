/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_redirect.c - a datagram that reached the wrong shard (its responder
 * SPI names another one) goes to its owner over a single-producer,
 * single-consumer ring for that (src, dst) pair. The packet buffer still
 * belongs to src's device, so once dst has handled it, it travels back
 * over the ret ring and src frees it. A full forward ring is a counted drop.
 */
#include <stdio.h>

#include <rte_errno.h>

#include "ike_buf.h"
#include "rt_priv.h"

/* IKE header (RFC 7296 3.1): SPIi at 0, SPIr at 8, flags at 19. */
#define IKE_HDR_LEN 28
#define IKE_FLAG_INITIATOR 0x08

int
rt_pkt_owner(const struct spi_layout *l, const struct io_pkt *p)
{
	uint64_t ours;

	if (p->len < IKE_HDR_LEN)
		return -1;
	/*
	 * Our SPI is SPIr when the sender is the original initiator (I flag set),
	 * SPIi when it is the responder of an SA we initiated (e.g. we rekeyed).
	 */
	ours = ike_get_u64(p->data + ((p->data[19] & IKE_FLAG_INITIATOR) ? 8 : 0));
	if (ours == 0)
		return -1; /* IKE_SA_INIT request: no SA yet, any shard takes it */
	return (int)spi_shard(l, ours);
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
	uint16_t i, keep = 0;
	int owner;

	for (i = 0; i < n; i++) {
		owner = rt_pkt_owner(&rt->layout, pkts[i]);
		if (owner < 0 && rt->proto->new_owner != NULL)
			owner = rt->proto->new_owner(pkts[i], rt->nb_shards);
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
