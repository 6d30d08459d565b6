/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_worker.c - the IKE worker's side of the data path: SPIs that name a
 * data-path lcore and slot, install/delete records over the handoff rings,
 * received ESP to the lcore its SPI names, lifetime events back.
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_random.h>

#include "dp_priv.h"
#include "ike_secret.h"

uint32_t
dp_spi_alloc(struct dp *dp, unsigned w, const uint8_t *ts_addr, bool v6)
{
	struct dp_worker *wk = &dp->w[w];
	unsigned d = dp_owner(dp, ts_addr, v6);
	uint32_t slot;

	uint32_t words = (dp->cfg.slots_per_worker + 63) / 64, k;
	uint64_t *map;

	if (wk->nb_free[d] == 0)
		return 0;
	map = wk->free_map[d];
	for (k = wk->cursor[d]; map[k] == 0; k = k + 1 == words ? 0 : k + 1)
		;
	wk->cursor[d] = k;
	slot = k * 64 + (uint32_t)__builtin_ctzll(map[k]);
	map[k] &= map[k] - 1;
	wk->nb_free[d]--;
	return esp_spi_compose(&dp->layout, d, w * dp->cfg.slots_per_worker + slot,
			       (uint32_t)rte_rand());
}

void
dp_spi_free(struct dp *dp, unsigned w, uint32_t spi)
{
	struct dp_worker *wk = &dp->w[w];
	unsigned d = esp_spi_lcore(&dp->layout, spi);
	uint32_t slot = esp_spi_slot(&dp->layout, spi) - w * dp->cfg.slots_per_worker;
	uint64_t bit = UINT64_C(1) << (slot % 64);

	if (d >= dp->cfg.nb_lcores || slot >= dp->cfg.slots_per_worker ||
	    (wk->free_map[d][slot / 64] & bit) != 0)
		return; /* not this worker's, or already free */
	wk->free_map[d][slot / 64] |= bit;
	wk->nb_free[d]++;
}

static bool
send_record(struct dp *dp, const struct esp_handoff *src)
{
	unsigned d = esp_spi_lcore(&dp->layout, src->spi_in);
	struct esp_handoff *h;

	if (d >= dp->cfg.nb_lcores || rte_mempool_get(dp->records, (void **)&h) != 0)
		return false;
	memcpy(h, src, sizeof(*h));
	if (rte_ring_mp_enqueue(dp->lc[d]->handoff, h) != 0) {
		ike_wipe(h, sizeof(*h));
		rte_mempool_put(dp->records, h);
		return false;
	}
	return true;
}

bool
dp_install(struct dp *dp, unsigned w, const struct esp_handoff *h)
{
	if (h->op != ESP_HO_INSTALL || h->worker != w)
		return false;
	return send_record(dp, h);
}

/* A record without keys (a delete, an owner change) for the SA spi_in. */
static bool
send_op(struct dp *dp, enum esp_handoff_op op, unsigned w, uint32_t spi_in, uint64_t ike_spi)
{
	struct esp_handoff h;

	memset(&h, 0, offsetof(struct esp_handoff, key_in));
	h.op = (uint8_t)op;
	h.worker = (uint16_t)w;
	h.spi_in = spi_in;
	h.ike_spi = ike_spi;
	return send_record(dp, &h);
}

bool
dp_delete(struct dp *dp, unsigned w, uint32_t spi_in, uint64_t ike_spi)
{
	if (!send_op(dp, ESP_HO_DELETE, w, spi_in, ike_spi))
		return false;
	/* Ring order: the lcore sees this delete before any later install of the slot. */
	dp_spi_free(dp, w, spi_in);
	return true;
}

bool
dp_move(struct dp *dp, unsigned w, uint32_t spi_in, uint64_t ike_spi)
{
	return send_op(dp, ESP_HO_OWNER, w, spi_in, ike_spi);
}

unsigned
dp_esp_input(struct dp *dp, unsigned w, struct rte_mbuf **m, unsigned n)
{
	unsigned l2 = dp->cfg.outside.l3 ? 0 : RTE_ETHER_HDR_LEN;
	unsigned i, kept = 0, d;
	struct esp_in_hdr h;

	(void)w;
	for (i = 0; i < n; i++) {
		const uint8_t *p = rte_pktmbuf_mtod(m[i], const uint8_t *);
		uint32_t len = rte_pktmbuf_data_len(m[i]);

		if (len <= l2 || esp_in_parse(p + l2, len - l2, &h) != ESP_OK ||
		    (d = esp_spi_lcore(&dp->layout, h.spi)) >= dp->cfg.nb_lcores ||
		    rte_ring_mp_enqueue(dp->lc[d]->esp_in, m[i]) != 0)
			m[kept++] = m[i];
	}
	return kept;
}

unsigned
dp_events(struct dp *dp, unsigned w, struct esp_event *ev, unsigned n)
{
	return rte_ring_sc_dequeue_burst_elem(dp->w[w].events, ev, sizeof(*ev), n, NULL);
}
