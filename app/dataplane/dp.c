/* SPDX-License-Identifier: BSD-3-Clause */
/* dp.c - build and tear down the data-path lcores: tables, routes, rings, record pool. */
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dp_priv.h"
#include "ike_secret.h"

RTE_LOG_REGISTER_DEFAULT(dp_logtype, INFO);

static unsigned
bits_for(unsigned n)
{
	unsigned b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

unsigned
dp_owner(const struct dp *dp, const uint8_t *addr, bool v6)
{
	uint32_t h = 2166136261u; /* FNV-1a: cheap and the same on every lcore */
	unsigned i, n = v6 ? 16 : 4;

	for (i = 0; i < n; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h % dp->cfg.nb_lcores;
}

size_t
dp_sa_mem_size(unsigned keymat_len)
{
	size_t k = keymat_len != 0 ? keymat_len : ESP_MAX_KEYMAT;

	return RTE_ALIGN(offsetof(struct dp_entry, keys) + 2 * k, 8);
}

unsigned
dp_keymat_len(const struct dp *dp)
{
	return dp->cfg.keymat_len;
}

static void
lcore_free(struct dp_lcore *l)
{
	if (l == NULL)
		return;
	if (l->keys != NULL) {
		ike_wipe(l->keys, (size_t)l->nb_keys * sizeof(*l->keys));
		rte_free(l->keys);
	}
	rte_free(l->scratch);
	if (l->tab != NULL) {
		ike_wipe(l->tab, (size_t)l->nb_slots * l->stride);
		rte_free(l->tab);
	}
	rte_free(l->hosts);
	dp_nb_free(l);
	rte_lpm_free(l->lpm4);
	rte_lpm6_free(l->lpm6);
	rte_ring_free(l->handoff);
	rte_ring_free(l->esp_in);
	rte_ring_free(l->inside_in);
	rte_ring_free(l->routes);
	dp_frag_pools_free(l);
	if (l->cry != NULL)
		cry_ipsecmb_destroy(l->cry);
	rte_free(l);
}

static struct dp_lcore *
lcore_create(struct dp *dp, unsigned d)
{
	const struct dp_config *cfg = &dp->cfg;
	int socket = (int)rte_lcore_to_socket_id(cfg->lcores[d]);
	struct rte_lpm6_config c6 = {0};
	struct rte_lpm_config c4 = {0};
	struct dp_lcore *l;
	char name[64];
	bool nb_ok;

	l = rte_zmalloc_socket("dp_lcore", sizeof(*l), RTE_CACHE_LINE_SIZE, socket);
	if (l == NULL)
		return NULL;
	l->dp = dp;
	l->id = d;
	l->lcore = cfg->lcores[d];
	l->nb_slots = cfg->nb_workers * cfg->slots_per_worker;
	l->rnd_off = DP_RAND_POOL;
	l->icmp_tokens = DP_ICMP_BURST;
	l->icmp_refill = rte_get_tsc_cycles();
	l->stride = (uint32_t)dp_sa_mem_size(cfg->keymat_len);
	l->tab = rte_zmalloc_socket("dp_tab", (size_t)l->nb_slots * l->stride, RTE_CACHE_LINE_SIZE,
				    socket);
	l->nb_keys = cfg->key_cache != 0 ? cfg->key_cache : 4096;
	l->keys = rte_zmalloc_socket("dp_keys", (size_t)l->nb_keys * sizeof(*l->keys),
				     RTE_CACHE_LINE_SIZE, socket);
	l->scratch = rte_zmalloc_socket("dp_scratch", DP_BURST_MAX * sizeof(*l->scratch),
					RTE_CACHE_LINE_SIZE, socket);
	l->cry = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	dp_hosts_init(l, socket);
	nb_ok = dp_nb_init(l, socket);
	c4.max_rules = l->nb_slots;
	c4.number_tbl8s = 256;
	snprintf(name, sizeof(name), "dp_lpm4_%u", d);
	l->lpm4 = rte_lpm_create(name, socket, &c4);
	/*
	 * rte_lpm6 keeps its rules in an rte_hash (~62 octets a rule), rte_lpm in
	 * an array (8): IPv6 selectors wider than one address (site-to-site) are
	 * few next to the virtual IPs in the host hash, so a sixteenth of the
	 * slots, at least DP_LPM6_MIN. A rule beyond is refused (bad_handoff).
	 */
	c6.max_rules = RTE_MAX(l->nb_slots / 16, RTE_MIN(l->nb_slots, DP_LPM6_MIN));
	c6.number_tbl8s = 1024;
	snprintf(name, sizeof(name), "dp_lpm6_%u", d);
	l->lpm6 = rte_lpm6_create(name, socket, &c6);
	snprintf(name, sizeof(name), "dp_ho_%u", d);
	l->handoff = rte_ring_create(name, cfg->ring_size, socket, RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "dp_esp_%u", d);
	l->esp_in = rte_ring_create(name, cfg->ring_size, socket, RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "dp_in_%u", d);
	l->inside_in = rte_ring_create(name, cfg->ring_size, socket, RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "dp_rt_%u", d);
	l->routes = rte_ring_create_elem(name, sizeof(struct dp_route_msg), cfg->ring_size, socket,
					 RING_F_SC_DEQ);
	if (l->tab == NULL || l->keys == NULL || l->scratch == NULL || l->cry == NULL ||
	    l->hosts == NULL || !nb_ok || l->lpm4 == NULL || l->lpm6 == NULL ||
	    l->handoff == NULL || l->esp_in == NULL || l->inside_in == NULL || l->routes == NULL ||
	    (cfg->inside_mtu != 0 && dp_frag_pools_create(l, socket) != 0)) {
		DP_LOG(ERR, "lcore %u: out of memory\n", d);
		lcore_free(l);
		return NULL;
	}
	return l;
}

static int
worker_create(struct dp *dp, unsigned w)
{
	const struct dp_config *cfg = &dp->cfg;
	struct dp_worker *wk = &dp->w[w];
	char name[64];
	unsigned d;

	snprintf(name, sizeof(name), "dp_ev_%u", w);
	/* Every data-path lcore produces, the worker consumes. */
	wk->events = rte_ring_create_elem(name, sizeof(struct esp_event), cfg->ring_size,
					  SOCKET_ID_ANY, RING_F_SC_DEQ);
	if (wk->events == NULL)
		return -1;
	for (d = 0; d < cfg->nb_lcores; d++) {
		uint32_t words = (cfg->slots_per_worker + 63) / 64;

		wk->free_map[d] = rte_malloc("dp_free", words * sizeof(uint64_t), 0);
		if (wk->free_map[d] == NULL)
			return -1;
		/* Every slot free; bits beyond slots_per_worker stay clear. */
		memset(wk->free_map[d], 0xff, words * sizeof(uint64_t));
		if (cfg->slots_per_worker % 64 != 0)
			wk->free_map[d][words - 1] =
				(UINT64_C(1) << (cfg->slots_per_worker % 64)) - 1;
		wk->nb_free[d] = cfg->slots_per_worker;
		wk->cursor[d] = 0;
	}
	return 0;
}

struct dp *
dp_create(const struct dp_config *cfg)
{
	unsigned slot_bits, d, w;
	struct dp *dp;

	if (cfg->nb_lcores == 0 || cfg->nb_lcores > DP_MAX_LCORES || cfg->nb_workers == 0 ||
	    cfg->nb_workers > DP_MAX_WORKERS || cfg->slots_per_worker == 0 || cfg->burst == 0 ||
	    cfg->burst > DP_BURST_MAX || !rte_is_power_of_2(cfg->ring_size) ||
	    cfg->keymat_len > ESP_MAX_KEYMAT ||
	    (uint64_t)cfg->nb_workers * cfg->slots_per_worker > DP_MAX_SLOTS) {
		DP_LOG(ERR, "bad configuration\n");
		return NULL;
	}
	dp = rte_zmalloc("dp", sizeof(*dp), RTE_CACHE_LINE_SIZE);
	if (dp == NULL)
		return NULL;
	dp->cfg = *cfg;
	if (dp->cfg.keymat_len == 0)
		dp->cfg.keymat_len = ESP_MAX_KEYMAT;
	slot_bits = bits_for(cfg->nb_workers * cfg->slots_per_worker);
	if (!esp_spi_layout_init(&dp->layout, RTE_MAX(bits_for(cfg->nb_lcores), 1u),
				 RTE_MAX(slot_bits, 1u))) {
		DP_LOG(ERR, "%u workers x %u SAs on %u lcores do not fit a 32-bit SPI\n",
		       cfg->nb_workers, cfg->slots_per_worker, cfg->nb_lcores);
		rte_free(dp);
		return NULL;
	}
	/* Installs and deletes in flight: every ring full plus the lcore caches. */
	dp->records = rte_mempool_create("dp_records", cfg->nb_lcores * cfg->ring_size + 1024,
					 sizeof(struct esp_handoff), 32, 0, NULL, NULL, NULL, NULL,
					 SOCKET_ID_ANY, 0);
	if (dp->records == NULL)
		goto fail;
	for (d = 0; d < cfg->nb_lcores; d++)
		if ((dp->lc[d] = lcore_create(dp, d)) == NULL)
			goto fail;
	for (w = 0; w < cfg->nb_workers; w++)
		if (worker_create(dp, w) != 0)
			goto fail;
	DP_LOG(INFO,
	       "%u data-path lcores, %u IKE workers, %u SAs per worker per lcore, %zu B per SA "
	       "(keys %u octets a direction)\n",
	       cfg->nb_lcores, cfg->nb_workers, cfg->slots_per_worker,
	       dp_sa_mem_size(dp->cfg.keymat_len), dp->cfg.keymat_len);
	return dp;
fail:
	DP_LOG(ERR, "out of memory\n");
	dp_destroy(dp);
	return NULL;
}

void
dp_drain(struct dp *dp)
{
	struct esp_handoff *h;
	struct rte_mbuf *m;
	unsigned d;

	for (d = 0; dp != NULL && d < DP_MAX_LCORES; d++) {
		if (dp->lc[d] == NULL)
			continue;
		while (rte_ring_dequeue(dp->lc[d]->handoff, (void **)&h) == 0)
			ike_wipe(h, sizeof(*h));
		while (rte_ring_dequeue(dp->lc[d]->esp_in, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		while (rte_ring_dequeue(dp->lc[d]->inside_in, (void **)&m) == 0)
			rte_pktmbuf_free(m);
	}
}

void
dp_destroy(struct dp *dp)
{
	unsigned d, w;

	if (dp == NULL)
		return;
	dp_drain(dp);
	for (d = 0; d < DP_MAX_LCORES; d++)
		lcore_free(dp->lc[d]);
	for (w = 0; w < DP_MAX_WORKERS; w++) {
		rte_ring_free(dp->w[w].events);
		for (d = 0; d < DP_MAX_LCORES; d++)
			rte_free(dp->w[w].free_map[d]);
	}
	rte_mempool_free(dp->records);
	rte_free(dp);
}

void
dp_set_outside_ring(struct dp *dp, unsigned d, struct rte_ring *r)
{
	if (d < dp->cfg.nb_lcores)
		dp->cfg.outside.tx_rings[d] = r;
}

void
dp_set_inside_dev(struct dp *dp, unsigned d, struct io_dev *dev)
{
	if (d < dp->cfg.nb_lcores)
		dp->cfg.inside.eth[d] = dev;
}

struct io_dev *
dp_inside_dev(const struct dp *dp, unsigned d)
{
	return d < dp->cfg.nb_lcores ? dp->cfg.inside.eth[d] : NULL;
}

void
dp_stop(struct dp *dp)
{
	__atomic_store_n(&dp->stop, true, __ATOMIC_RELEASE);
}

unsigned
dp_nb_lcores(const struct dp *dp)
{
	return dp->cfg.nb_lcores;
}

const struct dp_counters *
dp_lcore_counters(const struct dp *dp, unsigned d)
{
	return d < dp->cfg.nb_lcores ? &dp->lc[d]->c : NULL;
}

bool
dp_sa_stats(const struct dp *dp, uint32_t spi_in, struct esp_sa_stats *in, struct esp_sa_stats *out,
	    uint32_t *spi_out)
{
	unsigned d = esp_spi_lcore(&dp->layout, spi_in);
	uint32_t slot = esp_spi_slot(&dp->layout, spi_in);
	const struct dp_entry *e;

	if (d >= dp->cfg.nb_lcores || slot >= dp->lc[d]->nb_slots)
		return false;
	e = dp_tab(dp->lc[d], slot);
	if (!__atomic_load_n(&e->used, __ATOMIC_ACQUIRE) || e->sa.spi_in != spi_in)
		return false;
	esp_sa_in_stats(&e->sa, in);
	esp_sa_out_stats(&e->sa, out);
	*spi_out = e->sa.spi_out;
	return true;
}
