/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_telemetry_net.c - /ikefarm/net: the packet devices' counters, the
 * common struct io_stats and the driver's own (io_xstats: ARP, ND, ICMP,
 * fragments, drops by reason for ethdev), summed over the shards, or one
 * shard's with its number as parameter. Counters are written by their
 * shard's lcore only and read here with relaxed loads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "rt_priv.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define NET_MAX 128

#define RT_NET_IO_LIST(X)                                                                          \
	X(rx_pkts)                                                                                 \
	X(tx_pkts) X(tx_errors) X(rx_nobuf) X(rx_truncated) X(rx_runt) X(natt_keepalive) X(esp)

/* One dict per answer (DPDK drops entries past its limit): "driver", "shard(s)", NET_MAX values. */
_Static_assert(2 + NET_MAX <= RTE_TEL_MAX_DICT_ENTRIES, "/ikefarm/net outgrows one dict");

static struct rt *net_rt;

/* Names and values of shard s's device; returns how many. */
static unsigned
net_values(struct rt_shard *s, const char **names, uint64_t *v)
{
	const char *const *xn;
	const uint64_t *xv;
	unsigned n = 0, k, nx;

#define RT_NET_IO(field)                                                                           \
	names[n] = #field;                                                                         \
	v[n++] = LOAD(s->io->stats.field);
	RT_NET_IO_LIST(RT_NET_IO)
#undef RT_NET_IO
	nx = io_xstats(s->io, &xn, &xv);
	for (k = 0; k < nx && n < NET_MAX; k++) {
		names[n] = xn[k];
		v[n++] = LOAD(xv[k]);
	}
	return n;
}

static int
tel_net(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rt *rt = __atomic_load_n(&net_rt, __ATOMIC_ACQUIRE);
	const char *names[NET_MAX];
	uint64_t v[NET_MAX], sum[NET_MAX] = {0};
	unsigned i, k, n = 0, first = 0, last;
	unsigned long one;
	char *end;
	int rc;

	(void)cmd;
	if (rt == NULL)
		return -1;
	last = rt->nb_shards;
	if (params != NULL && *params != '\0') {
		one = strtoul(params, &end, 10);
		if (*end != '\0' || one >= rt->nb_shards)
			return -1;
		first = (unsigned)one;
		last = first + 1;
	}
	for (i = first; i < last; i++) {
		n = net_values(&rt->shards[i], names, v);
		for (k = 0; k < n; k++)
			sum[k] += v[k];
	}
	rte_tel_data_start_dict(d);
	rc = rte_tel_data_add_dict_string(d, "driver", rt->cfg.driver);
	if (last - first == 1 && params != NULL && *params != '\0')
		rc |= rte_tel_data_add_dict_u64(d, "shard", first);
	else
		rc |= rte_tel_data_add_dict_u64(d, "shards", rt->nb_shards);
	for (k = 0; k < n; k++)
		rc |= rte_tel_data_add_dict_u64(d, names[k], sum[k]);
	return rc != 0 ? -1 : 0; /* an error, never a dict short of a value */
}

int
rt_net_telemetry_register(struct rt *rt)
{
	static bool registered;

	__atomic_store_n(&net_rt, rt, __ATOMIC_RELEASE);
	if (registered)
		return 0;
	if (rte_telemetry_register_cmd("/ikefarm/net", tel_net,
				       "Packet device counters, summed or of one shard. "
				       "Parameter: shard number (optional)") != 0)
		return -1;
	registered = true;
	return 0;
}

void
rt_net_telemetry_detach(struct rt *rt)
{
	struct rt *expected = rt;

	__atomic_compare_exchange_n(&net_rt, &expected, NULL, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_RELAXED);
}
