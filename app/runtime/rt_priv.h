/* SPDX-License-Identifier: BSD-3-Clause */
/* Runtime internals shared by the rt_*.c files; never included outside app/runtime. */
#ifndef RT_PRIV_H
#define RT_PRIV_H

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "rt.h"

struct rt_shard {
	struct rt_counters c; /* first: its own cache lines, written by this lcore only */
	struct rt *rt;
	unsigned id;
	unsigned lcore;
	int socket;
	struct io_dev *io;
	void *proto_state;
	/* Quiescent-state counter (rt_synchronize): 0 while the loop is not running. */
	uint64_t qs_epoch __rte_cache_aligned;
} __rte_cache_aligned;

struct rt {
	struct rt_config cfg;
	const struct rt_proto *proto;
	void *proto_arg;
	uint32_t spread_seed; /* secret: peers choose their addresses and ports */
	unsigned nb_shards;
	struct rt_shard *shards;
	struct rt_shard *by_lcore[RTE_MAX_LCORE];
	/* fwd[src][dst]: misdelivered packets from src to their owner dst. */
	struct rte_ring *fwd[RT_MAX_SHARDS][RT_MAX_SHARDS];
	/* ret[origin][holder]: those packets going back to the device that owns them. */
	struct rte_ring *ret[RT_MAX_SHARDS][RT_MAX_SHARDS];
};

int rt_redirect_create(struct rt *rt);
void rt_redirect_free(struct rt *rt);
/* Moves misdelivered packets to their owners; returns how many stay, compacted. */
uint16_t rt_redirect_out(struct rt_shard *s, struct io_pkt **pkts, uint16_t n);
/* Processes packets other shards handed to us, then returns them to their owners. */
void rt_redirect_in(struct rt_shard *s, uint64_t now_ms);
/* Takes back our own packets that other shards have finished with. */
void rt_redirect_reclaim(struct rt_shard *s);

/* Hands a burst to the protocol and sends its replies. */
void rt_worker_handle(struct rt_shard *s, struct io_pkt **pkts, uint16_t n, uint64_t now_ms);
void rt_tx_flush(struct rt_tx *tx);
int rt_worker_main(void *arg);

int rt_shard_setup(struct rt *rt, struct rt_shard *s, unsigned id, unsigned lcore);
void rt_shard_teardown(struct rt_shard *s);

/* The worker's side of rt_synchronize(): a quiescent point, and leaving the loop. */
void rt_quiescent(struct rt_shard *s);
void rt_offline(struct rt_shard *s);

extern int rt_logtype;
#define RT_LOG(level, ...) rte_log(RTE_LOG_##level, rt_logtype, "ikefarm.rt: " __VA_ARGS__)

#endif
