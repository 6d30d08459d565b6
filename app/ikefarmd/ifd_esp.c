/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_esp.c - Child SAs to the ESP data path and lifetimes back (ifd_esp.h). */
#include <string.h>

#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_random.h>

#include "dp.h"
#include "io_eth.h"
#include "ifd_esp.h"
#include "ifd_keymat.h"
#include "ifd_log.h"
#include "ike_const.h"
#include "ike_secret.h"

#define DP_EVENTS_PER_TICK 16

/*
 * An Ethernet inside port: one io_eth device per data-path lcore, with our
 * inside address (ARP/ND, echo), the inside gateways, and routed-through
 * packets to the data path. The lcores stand in for the driver's workers.
 */
static int
inside_eth_open(struct ifd_app *app, const struct dp_config *dc, unsigned nb_workers)
{
	const struct rt_config *rc = &app->cfg->rt;
	struct io_eth_conf ec = {
		.port_id = (uint16_t)rc->inside_port,
		.nb_workers = (uint16_t)dc->nb_lcores,
		/* The data-path lcores follow the IKE workers. */
		.first_lcore = (uint16_t)nb_workers,
		.mtu = dc->inside_mtu,
		.nb_bufs = rc->nb_bufs,
		.buf_size = rc->buf_size,
		.burst = (uint16_t)rc->burst,
		.frag_flows = 16,
		.transit_input = dp_transit_input,
		.transit_arg = app->dp,
	};
	unsigned d;

	if (rc->inside_address.family == 0) {
		IFD_LOG(ERR,
			"inside port %u is Ethernet: [net] inside_address is needed "
			"(ARP/ND for it, e.g. 10.99.0.1/24)\n",
			rc->inside_port);
		return -1;
	}
	ec.addrs[ec.nb_addrs].family = rc->inside_address.family;
	ec.addrs[ec.nb_addrs].len = rc->inside_address.len;
	memcpy(ec.addrs[ec.nb_addrs++].ip, rc->inside_address.ip, sizeof(ec.addrs[0].ip));
	if (rc->inside_address6.family == 6) { /* dual stack: ND, ping6, on-link prefix too */
		ec.addrs[ec.nb_addrs].family = 6;
		ec.addrs[ec.nb_addrs].len = rc->inside_address6.len;
		memcpy(ec.addrs[ec.nb_addrs++].ip, rc->inside_address6.ip, sizeof(ec.addrs[0].ip));
	}
	memcpy(ec.gateway4, rc->inside_gateway4, sizeof(ec.gateway4));
	memcpy(ec.gateway6, rc->inside_gateway6, sizeof(ec.gateway6));
	for (d = 0; d < dc->nb_lcores; d++) {
		struct io_dev *dev = io_eth_open(&ec, (uint16_t)d);

		if (dev == NULL)
			return -1;
		dp_set_inside_dev(app->dp, d, dev);
	}
	return 0;
}

/*
 * Child SA slots per (IKE worker, data-path lcore). With one lcore, one per
 * IKE SA slot. With several, a Child SA lives on the lcore its client's
 * address hashes to (dp_owner), so each lcore needs its share plus room for
 * the hash's unevenness (an eighth and 64 more), not a table for every IKE
 * SA: that made the data-path memory of an SA esp_lcores times one slot.
 */
static unsigned
dp_slots(unsigned sa_capacity, unsigned lcores)
{
	uint64_t n = sa_capacity;

	if (lcores > 1)
		n = n / lcores + n / lcores / 8 + 64;
	if (n > sa_capacity)
		n = sa_capacity;
	return n < 65536 ? (unsigned)n : 65536;
}

int
ifd_esp_start(struct ifd_app *app, unsigned nb_workers)
{
	const struct rt_config *rc = &app->cfg->rt;
	struct dp_config dc;
	unsigned lcore, i = 0;
	uint16_t inside_mtu;
	bool l3;

	app->dp = NULL;
	if (rc->esp_lcores == 0)
		return 0;
	memset(&dc, 0, sizeof(dc));
	dc.nb_lcores = rc->esp_lcores;
	/* The runtime gives the first lcores to IKE, the last to ESP. */
	RTE_LCORE_FOREACH(lcore)
	{
		if (i >= nb_workers && i - nb_workers < DP_MAX_LCORES)
			dc.lcores[i - nb_workers] = lcore;
		i++;
	}
	dc.nb_workers = nb_workers;
	dc.slots_per_worker = dp_slots(rc->sa_capacity, rc->esp_lcores);
	while (dc.slots_per_worker > 1 &&
	       ((uint64_t)dc.slots_per_worker * nb_workers * rc->esp_lcores > (1u << 22) ||
		(uint64_t)dc.slots_per_worker * nb_workers > DP_MAX_SLOTS))
		dc.slots_per_worker /= 2; /* 22 bits of lcore | slot leave 10 of tag */
	dc.ring_size = 1024;
	dc.burst = rc->burst;
	/* Records keep the keys the [child] proposals need (reload-creds cannot grow it). */
	dc.keymat_len =
		ifd_keymat_len(app->cfg->core.esp_proposals, app->cfg->core.nb_esp_proposals);
	dc.outside = (struct dp_port){.port_id = (uint16_t)rc->port_id,
				      .first_queue = (uint16_t)nb_workers};
	inside_mtu = (uint16_t)(rc->inside_mtu != 0 ? rc->inside_mtu : rc->mtu);
	if (dp_port_setup((uint16_t)rc->inside_port, rc->esp_lcores, 8192 * rc->esp_lcores,
			  inside_mtu, &l3) != 0)
		return -1;
	dc.inside =
		(struct dp_port){.port_id = (uint16_t)rc->inside_port, .l3 = l3, .poll_rx = true};
	dc.outside_mtu = (uint16_t)rc->mtu;
	dc.inside_mtu = inside_mtu;
	dc.inside_family = rc->inside_address.family;
	memcpy(dc.inside_ip, rc->inside_address.ip, sizeof(dc.inside_ip));
	dc.inside6 = rc->inside_address6.family == 6;
	memcpy(dc.inside_ip6, rc->inside_address6.ip, sizeof(dc.inside_ip6));
	dc.should_stop = rt_stop_requested;
	app->dp = dp_create(&dc);
	if (app->dp == NULL)
		return -1;
	if (!l3 && inside_eth_open(app, &dc, nb_workers) != 0) {
		ifd_esp_stop(app);
		return -1;
	}
	if (dp_telemetry_register(app->dp) != 0)
		IFD_LOG(WARNING, "ESP telemetry commands not registered\n");
	IFD_LOG(NOTICE,
		"ESP data path: %u lcore%s (from lcore %u), %u Child SAs per IKE worker each\n",
		dc.nb_lcores, dc.nb_lcores == 1 ? "" : "s", dc.lcores[0], dc.slots_per_worker);
	return 0;
}

int
ifd_esp_attach(struct ifd_app *app, unsigned nb_workers)
{
	uint16_t port = (uint16_t)app->cfg->rt.port_id;
	unsigned d;

	for (d = 0; app->dp != NULL && d < dp_nb_lcores(app->dp); d++) {
		struct rte_ring *r = io_eth_relay(port, (uint16_t)(d % nb_workers));

		if (r == NULL)
			r = io_eth_relay(port, 0);
		if (r == NULL) {
			IFD_LOG(ERR, "ESP data path: port %u has no relay ring\n", port);
			return -1;
		}
		dp_set_outside_ring(app->dp, d, r);
	}
	return 0;
}

void
ifd_esp_stop(struct ifd_app *app)
{
	struct io_dev *inside[DP_MAX_LCORES] = {0};
	unsigned d, n = app->dp != NULL ? dp_nb_lcores(app->dp) : 0;

	for (d = 0; d < n; d++)
		inside[d] = dp_inside_dev(app->dp, d);
	/*
	 * The data path's rings may hold mbufs of the inside port's pools: freed
	 * first; the port's tx queues fragments of the data path's pools: the
	 * data path goes last.
	 */
	if (app->dp != NULL)
		dp_drain(app->dp);
	for (d = 0; d < n; d++)
		if (inside[d] != NULL)
			io_close(inside[d]);
	dp_destroy(app->dp);
	app->dp = NULL;
}

/* The data path's transform for a negotiated ESP suite, or -1 (ifd_esp_alg). */
static int
alg_of(const struct ike_child_info *c)
{
	return ifd_esp_alg(c->encr_id, c->integ_id);
}

/* The client's side: its narrowed TSi (its virtual IP), else its address. */
static void
client_range(const struct ike_child_info *c, struct esp_range *r)
{
	memset(r, 0, sizeof(*r));
	if (c->tsi.family != 0) {
		r->v6 = c->tsi.family == 6;
		memcpy(r->start, c->tsi.start, sizeof(r->start));
		memcpy(r->end, c->tsi.end, sizeof(r->end));
	} else {
		r->v6 = c->remote.family == 6;
		memcpy(r->start, c->remote.ip, sizeof(r->start));
		memcpy(r->end, c->remote.ip, sizeof(r->end));
	}
}

uint32_t
ifd_esp_spi(struct ifd_app *app, unsigned worker, const struct ike_child_info *c)
{
	struct esp_range r;
	uint32_t spi;

	if (alg_of(c) < 0) {
		IFD_LOG(ERR, "worker %u: ESP transform %u/%u has no data path: Child SA refused\n",
			worker, c->encr_id, c->integ_id);
		return 0;
	}
	if (esp_keymat_len((enum esp_alg)alg_of(c), c->encr_key_bits / 8) >
	    dp_keymat_len(app->dp)) {
		IFD_LOG(ERR,
			"worker %u: ESP transform %u/%u-%u needs more key space than the data "
			"path keeps: Child SA refused\n",
			worker, c->encr_id, c->encr_key_bits, c->integ_id);
		return 0;
	}
	client_range(c, &r);
	spi = dp_spi_alloc(app->dp, worker, r.start, r.v6);
	if (spi == 0)
		IFD_LOG(WARNING, "worker %u: data-path table full: Child SA refused\n", worker);
	return spi;
}

static void
install(struct ifd_app *app, unsigned worker, const struct ike_child_info *c)
{
	struct esp_handoff h;
	size_t n = c->local.family == 6 ? 16 : 4;

	memset(&h, 0, sizeof(h));
	h.op = ESP_HO_INSTALL;
	h.alg = (uint8_t)alg_of(c);
	h.enc_key_len = (uint8_t)(c->encr_key_bits / 8);
	h.flags = (uint8_t)((c->natt ? ESP_SA_UDP : 0) | (c->esn ? ESP_SA_ESN : 0) |
			    (n == 16 ? ESP_SA_OUTER_V6 : 0));
	h.worker = (uint16_t)worker;
	h.local_port = c->local.port;
	h.remote_port = c->remote.port;
	h.spi_in = c->spi_in;
	h.spi_out = c->spi_out;
	h.replaces_spi_in = c->replaces_spi_in;
	/* Each SA its own share of the jitter: a storm of SAs does not rekey or expire at once. */
	esp_life_of(&app->cfg->child_life, rte_rand(), &h.life, &h.time);
	h.idle_s = app->cfg->child_life.idle_time_s;
	h.ike_spi = c->ike_spi;
	memcpy(h.local, c->local.ip, n);
	memcpy(h.remote, c->remote.ip, n);
	client_range(c, &h.ts_remote);
	if (c->tsi.family != 0 && c->tsi2.family != 0) {
		/* Dual stack: one SA for both virtual IPs (or both networks). */
		h.flags |= ESP_SA_TS_BOTH;
		h.ts_remote2.v6 = c->tsi2.family == 6;
		memcpy(h.ts_remote2.start, c->tsi2.start, sizeof(h.ts_remote2.start));
		memcpy(h.ts_remote2.end, c->tsi2.end, sizeof(h.ts_remote2.end));
	}
	h.ts_local.v6 = c->tsr.family == 6;
	memcpy(h.ts_local.start, c->tsr.start, sizeof(h.ts_local.start));
	memcpy(h.ts_local.end, c->tsr.end, sizeof(h.ts_local.end));
	if (c->tsr2.family != 0) {
		h.ts_local_both = true;
		h.ts_local2.v6 = c->tsr2.family == 6;
		memcpy(h.ts_local2.start, c->tsr2.start, sizeof(h.ts_local2.start));
		memcpy(h.ts_local2.end, c->tsr2.end, sizeof(h.ts_local2.end));
	}
	memcpy(h.key_in, c->key_in, sizeof(h.key_in));
	memcpy(h.key_out, c->key_out, sizeof(h.key_out));
	if (!dp_install(app->dp, worker, &h)) {
		IFD_LOG(ERR, "worker %u: Child SA %08x not handed to the data path (ring full)\n",
			worker, c->spi_in);
		dp_spi_free(app->dp, worker, c->spi_in);
	}
	ike_wipe(&h, sizeof(h));
}

void
ifd_esp_spi_free(struct ifd_app *app, unsigned worker, uint32_t spi_in)
{
	if (app->dp != NULL)
		dp_spi_free(app->dp, worker, spi_in);
}

void
ifd_esp_child(struct ifd_app *app, unsigned worker, const struct ike_child_info *c)
{
	if (app->dp == NULL)
		return;
	if (c->moved) {
		if (!dp_move(app->dp, worker, c->spi_in, c->ike_spi))
			IFD_LOG(ERR, "worker %u: move of Child SA %08x not handed over (ring full)\n",
				worker, c->spi_in);
	} else if (c->install) {
		install(app, worker, c);
	} else if (!dp_delete(app->dp, worker, c->spi_in, c->ike_spi)) {
		IFD_LOG(ERR, "worker %u: delete of Child SA %08x not handed over (ring full)\n",
			worker, c->spi_in);
	}
}

unsigned
ifd_esp_events(struct ifd_app *app, unsigned worker, struct ike_shard *ike,
	       struct ifd_retired *retired, uint64_t now_ms, struct ike_tx *tx, unsigned tx_n)
{
	struct esp_event ev[DP_EVENTS_PER_TICK];
	unsigned n, i, ntx = 0;

	if (app->dp == NULL)
		return 0;
	n = dp_events(app->dp, worker, ev, DP_EVENTS_PER_TICK);
	for (i = 0; i < n; i++) {
		switch (ev[i].kind) {
		case ESP_EVENT_SOFT:
			/* RFC 7296 2.8: we rekey it (CREATE_CHILD_SA), then delete the old one. */
			IFD_LOG(INFO, "worker %u: Child SA %08x reached a soft limit: rekeying\n",
				worker, ev[i].spi_in);
			if (ntx < tx_n)
				ntx += ike_shard_child_soft(ike, ev[i].ike_spi, ev[i].spi_in, now_ms,
							    tx + ntx, tx_n - ntx);
			break;
		case ESP_EVENT_HARD:
		case ESP_EVENT_IDLE:
			if (ntx < tx_n)
				ntx += ike_shard_child_expire(ike, ev[i].ike_spi, ev[i].spi_in,
							      now_ms, tx + ntx, tx_n - ntx);
			break;
		default: /* ESP_EVENT_REMOVED */
			ifd_retired_add(retired, &ev[i]);
			IFD_LOG(DEBUG,
				"worker %u: Child SA %08x removed: in %llu packets %llu octets "
				"(%u replayed, %u bad ICV), out %llu packets\n",
				worker, ev[i].spi_in, (unsigned long long)ev[i].in.packets,
				(unsigned long long)ev[i].in.bytes, ev[i].in.replay, ev[i].in.auth,
				(unsigned long long)ev[i].out.packets);
			break;
		}
	}
	return ntx;
}

void
ifd_esp_input(void *arg, uint16_t worker, struct rte_mbuf *m)
{
	struct ifd_app *app = arg;

	if (app->dp == NULL || dp_esp_input(app->dp, worker, &m, 1) != 0)
		rte_pktmbuf_free(m); /* not ESP after all, or the lcore's ring is full */
}

int
ifd_esp_lcore(void *arg)
{
	struct ifd_app *app = arg;

	return app->dp != NULL ? dp_lcore_main(app->dp) : 0;
}
