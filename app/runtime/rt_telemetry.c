/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_telemetry.c - read-only DPDK telemetry commands:
 *   /ikefarm/stats        sum of every shard's counters
 *   /ikefarm/shards       each counter as an array indexed by shard
 *   /ikefarm/shard,<n>    one shard's counters
 * Counters are written only by their own lcore; we read them with relaxed
 * atomic loads, so a reader sees each value whole but not one snapshot.
 */
#include <stdlib.h>

#include <rte_telemetry.h>

#include "rt_priv.h"

static struct rt *tel_rt;

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

/* Every per-shard value telemetry shows: RT_COUNTER_LIST, then RT_TEL_IO_LIST (rt.h). */
enum {
#define RT_TEL_IDX(name, help) TEL_##name,
	RT_COUNTER_LIST(RT_TEL_IDX)
#undef RT_TEL_IDX
#define RT_TEL_IO_IDX(name, field) TEL_##name,
	RT_TEL_IO_LIST(RT_TEL_IO_IDX)
#undef RT_TEL_IO_IDX
	TEL_COUNT
};

static const char *const tel_names[TEL_COUNT] = {
#define RT_TEL_NAME(name, help) [TEL_##name] = #name,
	RT_COUNTER_LIST(RT_TEL_NAME)
#undef RT_TEL_NAME
#define RT_TEL_IO_NAME(name, field) [TEL_##name] = #name,
	RT_TEL_IO_LIST(RT_TEL_IO_NAME)
#undef RT_TEL_IO_NAME
};

/* One dict per answer (DPDK drops entries past its limit): the head and every value. */
_Static_assert(3 + TEL_COUNT <= RTE_TEL_MAX_DICT_ENTRIES, "/ikefarm/shard outgrows one dict");

static void
shard_values(const struct rt_shard *s, uint64_t v[TEL_COUNT])
{
#define RT_TEL_READ(name, help) v[TEL_##name] = LOAD(s->c.name);
	RT_COUNTER_LIST(RT_TEL_READ)
#undef RT_TEL_READ
#define RT_TEL_IO_READ(name, field) v[TEL_##name] = LOAD(s->io->stats.field);
	RT_TEL_IO_LIST(RT_TEL_IO_READ)
#undef RT_TEL_IO_READ
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t sum[TEL_COUNT] = {0}, v[TEL_COUNT];
	unsigned i, k;
	int rc;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	for (i = 0; i < tel_rt->nb_shards; i++) {
		shard_values(&tel_rt->shards[i], v);
		for (k = 0; k < TEL_COUNT; k++)
			sum[k] += v[k];
	}
	rc = rte_tel_data_add_dict_u64(d, "shards", tel_rt->nb_shards);
	for (k = 0; k < TEL_COUNT; k++)
		rc |= rte_tel_data_add_dict_u64(d, tel_names[k], sum[k]);
	return rc != 0 ? -1 : 0;
}

static int
tel_shards(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t v[RT_MAX_SHARDS][TEL_COUNT];
	struct rte_tel_data *a;
	unsigned i, k;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	for (i = 0; i < tel_rt->nb_shards; i++)
		shard_values(&tel_rt->shards[i], v[i]);
	a = rte_tel_data_alloc();
	if (a == NULL)
		return -1;
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	for (i = 0; i < tel_rt->nb_shards; i++)
		rte_tel_data_add_array_u64(a, tel_rt->shards[i].lcore);
	rte_tel_data_add_dict_container(d, "lcore", a, 0);
	for (k = 0; k < TEL_COUNT; k++) {
		a = rte_tel_data_alloc();
		if (a == NULL)
			return -1;
		rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
		for (i = 0; i < tel_rt->nb_shards; i++)
			rte_tel_data_add_array_u64(a, v[i][k]);
		rte_tel_data_add_dict_container(d, tel_names[k], a, 0);
	}
	return 0;
}

static int
tel_shard(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t v[TEL_COUNT];
	unsigned long n;
	char *end;
	unsigned k;
	int rc;

	(void)cmd;
	if (params == NULL || *params == '\0')
		return -1;
	n = strtoul(params, &end, 10);
	if (*end != '\0' || n >= tel_rt->nb_shards)
		return -1;
	shard_values(&tel_rt->shards[n], v);
	rte_tel_data_start_dict(d);
	rc = rte_tel_data_add_dict_u64(d, "shard", n);
	rc |= rte_tel_data_add_dict_u64(d, "lcore", tel_rt->shards[n].lcore);
	rc |= rte_tel_data_add_dict_int(d, "socket", tel_rt->shards[n].socket);
	for (k = 0; k < TEL_COUNT; k++)
		rc |= rte_tel_data_add_dict_u64(d, tel_names[k], v[k]);
	return rc != 0 ? -1 : 0;
}

int
rt_telemetry_register(struct rt *rt)
{
	static bool registered;

	/* Commands cannot be unregistered: later runtimes reuse them. */
	tel_rt = rt;
	if (rt_net_telemetry_register(rt) != 0)
		return -1;
	if (registered)
		return 0;
	if (rte_telemetry_register_cmd("/ikefarm/stats", tel_stats,
				       "Sum of every shard's counters. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/ikefarm/shards", tel_shards,
				       "Each counter as an array indexed by shard. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/ikefarm/shard", tel_shard,
				       "One shard's counters. Parameter: shard number") != 0)
		return -1;
	registered = true;
	return 0;
}
