/* SPDX-License-Identifier: BSD-3-Clause */
/* rt.c - build, run and tear down the shards (one per EAL lcore). */
#include <sys/random.h>

#include <rte_launch.h>
#include <rte_malloc.h>

#include "rt_priv.h"

struct rt *
rt_create(const struct rt_config *cfg, const struct rt_proto *proto, void *proto_arg)
{
	unsigned lcore, i = 0;
	struct rt *rt;

	if (rt_logtype < 0 || rt_logtype == RTE_LOGTYPE_USER1)
		rt_logtype = rte_log_register_type_and_pick_level("ikefarm.rt", RTE_LOG_NOTICE);
	rt = rte_zmalloc("ikefarm_rt", sizeof(*rt), RTE_CACHE_LINE_SIZE);
	if (rt == NULL)
		return NULL;
	rt->cfg = *cfg;
	rt->proto = proto;
	rt->proto_arg = proto_arg;
	rt->nb_shards = rte_lcore_count() - cfg->esp_lcores;
	if (cfg->esp_lcores >= rte_lcore_count() ||
	    (cfg->esp_lcores != 0 && (proto->lcore_main == NULL || proto->esp_input == NULL))) {
		RT_LOG(ERR, "%u lcores cannot give %u to the ESP data path and keep an IKE worker\n",
		       rte_lcore_count(), cfg->esp_lcores);
		goto fail;
	}
	if (getrandom(&rt->spread_seed, sizeof(rt->spread_seed), 0) != sizeof(rt->spread_seed)) {
		RT_LOG(ERR, "getrandom failed\n");
		goto fail;
	}
	if (rt->nb_shards > RT_MAX_SHARDS) {
		RT_LOG(ERR, "%u lcores: at most %u shards\n", rt->nb_shards, RT_MAX_SHARDS);
		goto fail;
	}
	rt->shards = rte_zmalloc("ikefarm_shards", rt->nb_shards * sizeof(*rt->shards),
				 RTE_CACHE_LINE_SIZE);
	if (rt->shards == NULL)
		goto fail;
	RTE_LCORE_FOREACH(lcore) {
		if (i == rt->nb_shards)
			break; /* the rest carry ESP */
		if (rt_shard_setup(rt, &rt->shards[i], i, lcore) != 0)
			goto fail;
		rt->by_lcore[lcore] = &rt->shards[i];
		i++;
	}
	if (rt_redirect_create(rt) != 0)
		goto fail;
	for (i = 0; i < rt->nb_shards; i++) {
		rt->shards[i].proto_state = proto->shard_init(&rt->shards[i], proto_arg);
		if (rt->shards[i].proto_state == NULL) {
			RT_LOG(ERR, "shard %u: protocol '%s' init failed\n", i, proto->name);
			goto fail;
		}
	}
	RT_LOG(NOTICE, "%u shards, protocol %s\n", rt->nb_shards, proto->name);
	return rt;
fail:
	rt_destroy(rt);
	return NULL;
}

int
rt_run(struct rt *rt)
{
	unsigned lcore;
	int rc = 0;

	if (rte_eal_mp_remote_launch(rt_worker_main, rt, CALL_MAIN) != 0)
		return -1;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (rte_eal_wait_lcore(lcore) != 0)
			rc = -1;
	}
	return rc;
}

void
rt_destroy(struct rt *rt)
{
	unsigned i;

	if (rt == NULL)
		return;
	rt_net_telemetry_detach(rt);
	for (i = 0; rt->shards != NULL && i < rt->nb_shards; i++) {
		if (rt->shards[i].proto_state != NULL && rt->proto->shard_fini != NULL)
			rt->proto->shard_fini(rt->shards[i].proto_state);
		rt_shard_teardown(&rt->shards[i]);
	}
	rt_redirect_free(rt);
	rte_free(rt->shards);
	rte_free(rt);
}

unsigned
rt_nb_shards(const struct rt *rt)
{
	return rt->nb_shards;
}

struct rt_shard *
rt_shard(struct rt *rt, unsigned i)
{
	return i < rt->nb_shards ? &rt->shards[i] : NULL;
}
