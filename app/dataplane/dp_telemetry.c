/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_telemetry.c - read-only DPDK telemetry of the data path:
 *   /ikefarm/esp            every data-path lcore's counters summed
 *   /ikefarm/esp_lcore,<n>  one lcore's counters
 *   /ikefarm/esp_sa,<spi>   one Child SA by our inbound SPI (0x... or decimal):
 *                           packets, bytes, replay, auth, bad, selector and dummy drops
 *   /ikefarm/esp_inside     an Ethernet inside port's driver counters (ARP, ND,
 *                           next hops, routed-through packets), lcores summed
 * Counters are written by their lcore only and read here with relaxed
 * loads: each value whole, not one snapshot.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rte_telemetry.h>

#include "dp_priv.h"
#include "io.h"

static struct dp *tel_dp;

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

/* One dict per answer (DPDK drops entries past its 256th): "lcore(s)", the counters, the drops. */
#define DP_TEL_ONE(n, help) +1
_Static_assert(1 + (0 DP_COUNTER_LIST(DP_TEL_ONE)) + ESP_NB_STATUS - 1 <= RTE_TEL_MAX_DICT_ENTRIES,
	       "/ikefarm/esp outgrows one telemetry dict");
#undef DP_TEL_ONE

static void
add_counters(struct rte_tel_data *d, const struct dp_counters *sum)
{
	char name[64];
	unsigned s;

#define DP_TEL_ADD(n, help) rte_tel_data_add_dict_u64(d, #n, sum->n);
	DP_COUNTER_LIST(DP_TEL_ADD)
#undef DP_TEL_ADD
	for (s = 1; s < ESP_NB_STATUS; s++) {
		snprintf(name, sizeof(name), "drop_%s", esp_status_name((enum esp_status)s));
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		rte_tel_data_add_dict_u64(d, name, sum->drops[s]);
	}
}

static void
accumulate(struct dp_counters *sum, const struct dp_counters *c)
{
	unsigned s;

#define DP_TEL_SUM(n, help) sum->n += LOAD(c->n);
	DP_COUNTER_LIST(DP_TEL_SUM)
#undef DP_TEL_SUM
	for (s = 0; s < ESP_NB_STATUS; s++)
		sum->drops[s] += LOAD(c->drops[s]);
}

static int
tel_esp(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_counters sum = {0};
	unsigned i;

	(void)cmd;
	(void)params;
	for (i = 0; i < tel_dp->cfg.nb_lcores; i++)
		accumulate(&sum, &tel_dp->lc[i]->c);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "lcores", tel_dp->cfg.nb_lcores);
	add_counters(d, &sum);
	return 0;
}

static int
tel_esp_lcore(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_counters sum = {0};
	unsigned long n;
	char *end;

	(void)cmd;
	if (params == NULL)
		return -1;
	n = strtoul(params, &end, 10);
	if (*end != '\0' || n >= tel_dp->cfg.nb_lcores)
		return -1;
	accumulate(&sum, &tel_dp->lc[n]->c);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "lcore", tel_dp->lc[n]->lcore);
	add_counters(d, &sum);
	return 0;
}

static void
add_sa(struct rte_tel_data *d, const char *dir, const struct esp_sa_stats *st)
{
	char k[48];

#define DP_TEL_SA(f)                                                                               \
	snprintf(k, sizeof(k), "%s_" #f, dir);                                                     \
	rte_tel_data_add_dict_u64(d, k, st->f);
	DP_TEL_SA(packets)
	DP_TEL_SA(bytes)
	DP_TEL_SA(replay)
	DP_TEL_SA(auth)
	DP_TEL_SA(bad)
	DP_TEL_SA(selector)
	DP_TEL_SA(dummy)
#undef DP_TEL_SA
}

static int
tel_esp_sa(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct esp_sa_stats in, out;
	unsigned long spi;
	uint32_t spi_out;
	char *end;

	(void)cmd;
	if (params == NULL)
		return -1;
	spi = strtoul(params, &end, 0);
	if (*end != '\0' || spi > UINT32_MAX ||
	    !dp_sa_stats(tel_dp, (uint32_t)spi, &in, &out, &spi_out))
		return -1;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "spi_in", spi);
	rte_tel_data_add_dict_u64(d, "spi_out", spi_out);
	add_sa(d, "in", &in);
	add_sa(d, "out", &out);
	return 0;
}

static int
tel_esp_inside(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t sum[128] = {0};
	const char *const *names = NULL;
	const uint64_t *v;
	unsigned i, k, n = 0;

	(void)cmd;
	(void)params;
	for (i = 0; i < tel_dp->cfg.nb_lcores; i++) {
		struct io_dev *dev = tel_dp->cfg.inside.eth[i];

		if (dev == NULL)
			return -1;
		n = RTE_MIN(io_xstats(dev, &names, &v), RTE_DIM(sum));
		for (k = 0; k < n; k++)
			sum[k] += LOAD(v[k]);
	}
	rte_tel_data_start_dict(d);
	for (k = 0; k < n; k++)
		rte_tel_data_add_dict_u64(d, names[k], sum[k]);
	return 0;
}

int
dp_telemetry_register(struct dp *dp)
{
	tel_dp = dp;
	if (rte_telemetry_register_cmd("/ikefarm/esp", tel_esp,
				       "ESP data path: every data-path lcore's counters summed") !=
		    0 ||
	    rte_telemetry_register_cmd("/ikefarm/esp_lcore", tel_esp_lcore,
				       "One data-path lcore's counters. Parameter: index") != 0 ||
	    rte_telemetry_register_cmd("/ikefarm/esp_sa", tel_esp_sa,
				       "One Child SA's counters. Parameter: inbound SPI") != 0 ||
	    rte_telemetry_register_cmd("/ikefarm/esp_inside", tel_esp_inside,
				       "Ethernet inside port: driver counters, lcores summed") != 0)
		return -1;
	return 0;
}
