/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_quiesce.c - quiescent-state based reclamation for data the control
 * path replaces while the shards run (e.g. the ticket key ring). Each
 * worker bumps its own counter at the top of its poll loop; a writer
 * publishes a new pointer, snapshots the counters and waits until each
 * running shard's counter moved. No lock on the packet path: one store
 * and one fence per loop iteration.
 *
 * Ordering: the writer's pointer store and the worker's counter store are
 * each followed by a seq_cst fence before the other variable is read, so
 * a worker whose bump the writer observed reads the new pointer from then on.
 */
#include <rte_pause.h>

#include "rt_priv.h"

void
rt_quiescent(struct rt_shard *s)
{
	uint64_t e = __atomic_load_n(&s->qs_epoch, __ATOMIC_RELAXED) + 1;

	__atomic_store_n(&s->qs_epoch, e == 0 ? 1 : e, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void
rt_offline(struct rt_shard *s)
{
	__atomic_store_n(&s->qs_epoch, 0, __ATOMIC_RELEASE);
}

void
rt_synchronize(struct rt *rt)
{
	uint64_t seen[RT_MAX_SHARDS];
	unsigned i;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < rt->nb_shards; i++)
		seen[i] = __atomic_load_n(&rt->shards[i].qs_epoch, __ATOMIC_ACQUIRE);
	for (i = 0; i < rt->nb_shards; i++) {
		/* 0: not in its loop, holds nothing; any other change: it passed a point. */
		while (seen[i] != 0 &&
		       __atomic_load_n(&rt->shards[i].qs_epoch, __ATOMIC_ACQUIRE) == seen[i])
			rte_pause();
	}
}
