/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_worker.c - the poll loop of one shard:
 *   take back our buffers from other shards -> rx burst -> hand misdelivered
 *   packets to their owners -> protocol rx burst -> tx burst -> packets
 *   other shards sent us -> protocol tick (its timers).
 */
#include <time.h>

#include <rte_cycles.h>
#include <rte_pause.h>

#include "rt_priv.h"

struct rt_clock {
	uint64_t per_ms;
	uint64_t epoch_ms; /* unix ms when the TSC read tsc0 */
	uint64_t tsc0;
};

static struct rt_clock clock_base;

/* The first call (EAL up, before the lcores run) fixes the base; later calls only read it. */
uint64_t
rt_clock_ms(void)
{
	struct timespec ts;

	if (__atomic_load_n(&clock_base.per_ms, __ATOMIC_ACQUIRE) == 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		clock_base.tsc0 = rte_get_timer_cycles();
		clock_base.epoch_ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
		__atomic_store_n(&clock_base.per_ms, rte_get_timer_hz() / 1000, __ATOMIC_RELEASE);
	}
	return clock_base.epoch_ms + (rte_get_timer_cycles() - clock_base.tsc0) / clock_base.per_ms;
}

void
rt_tx_flush(struct rt_tx *tx)
{
	struct rt_shard *s = tx->shard;
	uint16_t sent;

	if (tx->n == 0)
		return;
	sent = io_tx_burst(s->io, tx->pkts, tx->n);
	RT_COUNT(&s->c, tx_pkts, sent);
	tx->n = 0;
}

struct io_pkt *
rt_tx_reply(struct rt_tx *tx, const struct io_pkt *req)
{
	struct rt_shard *s = tx->shard;
	struct io_pkt *p;

	if (tx->n == RT_TX_MAX)
		rt_tx_flush(tx);
	p = io_alloc(s->io);
	if (p == NULL) {
		RT_COUNT(&s->c, reply_nobuf, 1);
		return NULL;
	}
	p->flags = req->flags;
	p->port_kind = req->port_kind;
	p->ifindex = req->ifindex;
	p->local = req->local;
	p->remote = req->remote;
	tx->pkts[tx->n++] = p;
	RT_COUNT(&s->c, replies, 1);
	return p;
}

/* pkts[] is written before it is read: zeroing it would cost 1 KiB per poll loop. */
static void
rt_tx_init(struct rt_tx *tx, struct rt_shard *s)
{
	tx->shard = s;
	tx->n = 0;
}

void
rt_worker_handle(struct rt_shard *s, struct io_pkt **pkts, uint16_t n, uint64_t now_ms)
{
	struct rt_tx tx;

	rt_tx_init(&tx, s);

	RT_COUNT(&s->c, proto_pkts, n);
	s->rt->proto->rx_burst(s->proto_state, pkts, n, &tx, now_ms);
	rt_tx_flush(&tx);
}

/* The protocol's timers, once per poll loop. */
static void
run_tick(struct rt_shard *s, uint64_t now_ms)
{
	const struct rt_proto *proto = s->rt->proto;
	struct rt_tx tx;

	if (proto->tick == NULL)
		return;
	rt_tx_init(&tx, s);
	proto->tick(s->proto_state, &tx, now_ms);
	rt_tx_flush(&tx);
}

int
rt_worker_main(void *arg)
{
	struct rt *rt = arg;
	struct rt_shard *s = rt->by_lcore[rte_lcore_id()];
	struct io_pkt *pkts[64];
	uint16_t burst = (uint16_t)RTE_MIN(rt->cfg.burst, RTE_DIM(pkts));
	uint16_t n, i;
	uint64_t now;

	if (s == NULL)
		return rt->proto->lcore_main != NULL ? rt->proto->lcore_main(rt->proto_arg) : 0;
	RT_LOG(INFO, "shard %u running on lcore %u (socket %d)\n", s->id, s->lcore, s->socket);
	while (!rt_stop_requested()) {
		rt_quiescent(s);
		now = rt_clock_ms();
		rt_redirect_reclaim(s);
		n = io_rx_burst(s->io, pkts, burst);
		if (n != 0) {
			RT_COUNT(&s->c, rx_pkts, n);
			n = rt_redirect_out(s, pkts, n);
			if (n != 0)
				rt_worker_handle(s, pkts, n, now);
			for (i = 0; i < n; i++)
				io_free(s->io, pkts[i]);
		} else {
			rte_pause();
		}
		rt_redirect_in(s, now);
		run_tick(s, now);
		RT_COUNT(&s->c, loops, 1);
	}
	rt_offline(s);
	rt_redirect_reclaim(s);
	return 0;
}
