/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_proto.c - rt_proto over ike_core. A received burst becomes an
 * ike_rx burst; the core's replies are built in shard-local buffers and
 * copied into packets from the shard's device.
 *
 * Per-packet host state rides in the core's host tag (struct ike_rx.tag),
 * which the core copies to the reply and keeps with the SA for the requests
 * it starts itself: the port the datagram came to (enum io_port_kind) and
 * whether it had a non-ESP marker (RFC 3948 2.2), so a datagram leaves the
 * way the peer's last one came.
 */
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "cry_openssl.h"
#include "ifd_creds_merge.h"
#include "ifd_esp.h"
#include "ifd_event.h"
#include "ifd_list.h"
#include "ifd_log.h"
#include "ifd_proto.h"
#include "ike_secret.h"

#define IFD_RX_MAX 64
#define IFD_TX_MAX 64

_Static_assert(sizeof(struct io_addr) == sizeof(struct ike_addr),
	       "io_addr and ike_addr must share one layout");

struct ifd_shard {
	struct ike_rx rx[IFD_RX_MAX];
	struct ike_tx tx[IFD_TX_MAX];
	struct ike_shard *ike;
	struct rt_shard *rt;
	struct ifd_app *app;
	void *ike_mem;
	size_t ike_mem_len;
	uint8_t *tx_buf; /* IFD_TX_MAX buffers of tx_cap octets */
	uint16_t tx_cap;
	struct cry_openssl *ossl;
	struct cry_ipsecmb *imb;
	struct cry_ops ops;
	unsigned id;
	uint64_t tick_ms; /* now_ms of the last core tick */
	uint64_t tsc_per_us;
	struct ifd_reauth_box reauth; /* written by the control thread: own cache lines */
	struct ifd_list_box list __rte_cache_aligned;
	struct ifd_peers_box peers_box __rte_cache_aligned;
	struct ifd_rate event_rate __rte_cache_aligned;
	struct ifd_retired retired; /* gone Child SAs' counters per IKE SA (list-sas totals) */
	char idr[300]; /* our identity as event lines show it */
	/* Time to handle one rx burst (parse, crypto, replies), for the metrics. */
	struct ifd_hist burst_time __rte_cache_aligned;
} __rte_cache_aligned;

#define TAG_PORT_MASK 0xffu
#define TAG_NONESP_MARKER 0x100u

static uint32_t
tag_of(const struct io_pkt *p)
{
	return (uint32_t)p->port_kind |
	       ((p->flags & IO_PKT_F_NONESP_MARKER) ? TAG_NONESP_MARKER : 0);
}

static void
addr_to_ike(struct ike_addr *a, const struct io_addr *io)
{
	memcpy(a, io, sizeof(*a));
	a->reserved = 0;
}

static void
addr_to_io(struct io_addr *io, const struct ike_addr *a)
{
	memcpy(io, a, sizeof(*io));
	io->reserved = 0;
}

static void
tx_reset(struct ifd_shard *s)
{
	for (unsigned i = 0; i < IFD_TX_MAX; i++) {
		s->tx[i].data = s->tx_buf + (size_t)i * s->tx_cap;
		s->tx[i].cap = s->tx_cap;
		s->tx[i].len = 0;
	}
}

/* Copies the core's n datagrams into device packets queued on tx. */
static void
send_core_tx(struct ifd_shard *s, unsigned n, struct rt_tx *tx)
{
	struct io_pkt tmpl, *p;

	for (unsigned i = 0; i < n; i++) {
		const struct ike_tx *t = &s->tx[i];

		memset(&tmpl, 0, sizeof(tmpl));
		addr_to_io(&tmpl.local, &t->local);
		addr_to_io(&tmpl.remote, &t->remote);
		tmpl.port_kind = (t->tag & TAG_PORT_MASK) < IO_PORT_COUNT
					 ? (uint8_t)(t->tag & TAG_PORT_MASK)
					 : IO_PORT_IKE;
		tmpl.flags = (t->tag & TAG_NONESP_MARKER) ? IO_PKT_F_NONESP_MARKER : 0;
		p = rt_tx_reply(tx, &tmpl);
		if (p == NULL)
			continue; /* counted by the runtime as reply_nobuf */
		if (t->len > p->cap) {
			IFD_LOG(ERR, "shard %u: reply of %u octets > packet buffer %u\n", s->id,
				t->len, p->cap);
			p->len = 0;
			continue;
		}
		memcpy(p->data, t->data, t->len);
		p->len = t->len;
	}
}

static void
on_rx_burst(void *state, struct io_pkt **pkts, uint16_t n, struct rt_tx *tx, uint64_t now_ms)
{
	struct ifd_shard *s = state;
	uint64_t t0 = rte_rdtsc();
	unsigned done = 0, k, m;

	while (done < n) {
		k = RTE_MIN((unsigned)n - done, (unsigned)IFD_RX_MAX);
		for (unsigned i = 0; i < k; i++) {
			const struct io_pkt *p = pkts[done + i];

			s->rx[i].data = p->data;
			s->rx[i].len = p->len;
			s->rx[i].tag = tag_of(p);
			addr_to_ike(&s->rx[i].local, &p->local);
			addr_to_ike(&s->rx[i].remote, &p->remote);
		}
		tx_reset(s);
		m = ike_shard_rx_burst(s->ike, s->rx, k, s->tx, IFD_TX_MAX, now_ms);
		send_core_tx(s, m, tx);
		done += k;
	}
	ifd_hist_add(&s->burst_time, (rte_rdtsc() - t0) * 1000 / s->tsc_per_us);
}

/* A page of SAs asked for by the listing, and the event log's summary of what it suppressed. */
static void
list_page(struct ifd_shard *s, uint64_t now_ms)
{
	struct ike_sa_cursor *c = ifd_list_pending(&s->list);
	uint64_t n;

	if (c != NULL) {
		unsigned k = ike_shard_list_sas(s->ike, c, now_ms, s->list.sa, IFD_LIST_PAGE);

		for (unsigned i = 0; i < k; i++) {
			const struct ifd_retired_sa *r = ifd_retired_get(&s->retired,
									 s->list.sa[i].spi_r);

			memset(&s->list.retired[i], 0, sizeof(s->list.retired[i]));
			if (r != NULL)
				s->list.retired[i] = *r;
		}
		ifd_list_complete(&s->list, k);
	}
	n = ifd_rate_summary(&s->event_rate, now_ms);
	if (n != 0)
		IFD_LOG(NOTICE,
			"event log: shard %u: %" PRIu64 " events not logged (rate limit), %" PRIu64
			" in all\n",
			s->id, n, s->event_rate.suppressed_total);
}

/*
 * A reload: the new proposals (between bursts, so no exchange sees two
 * sets), the new list, then the removed users' SAs a tx burst at a time.
 */
static void
peers_reload(struct ifd_shard *s, uint64_t now_ms, struct rt_tx *tx)
{
	bool done, refused;
	unsigned m;

	if (!ifd_peers_pending(&s->peers_box))
		return;
	if (s->peers_box.props != NULL &&
	    !ike_shard_proposals_replace(s->ike, s->peers_box.props)) {
		ifd_peers_complete(&s->peers_box, true);
		return;
	}
	tx_reset(s);
	m = ike_shard_peers_replace(s->ike, s->peers_box.peers, s->peers_box.n, now_ms, s->tx,
				    IFD_TX_MAX, &done, &refused);
	send_core_tx(s, m, tx);
	if (done || refused)
		ifd_peers_complete(&s->peers_box, refused);
}

/*
 * Timers, then one tx-full of a pending reauthentication command. The
 * core's timers count milliseconds, so they run once per millisecond, not
 * on every poll loop.
 */
static void
on_tick(void *state, struct rt_tx *tx, uint64_t now_ms)
{
	struct ifd_shard *s = state;
	struct ike_reauth_sel *sel;
	unsigned m;

	if (now_ms != s->tick_ms) {
		s->tick_ms = now_ms;
		tx_reset(s);
		m = ike_shard_tick(s->ike, now_ms, s->tx, IFD_TX_MAX);
		send_core_tx(s, m, tx);
		tx_reset(s);
		m = ifd_esp_events(s->app, s->id, s->ike, &s->retired, now_ms, s->tx,
				   IFD_TX_MAX);
		send_core_tx(s, m, tx);
	}
	list_page(s, now_ms);
	peers_reload(s, now_ms, tx);
	sel = ifd_reauth_pending(&s->reauth);
	if (sel == NULL)
		return;
	tx_reset(s);
	m = ike_shard_reauth_request(s->ike, sel, now_ms, s->tx, IFD_TX_MAX);
	send_core_tx(s, m, tx);
	ifd_reauth_progress(&s->reauth, m);
}

/* The core's owner rule: the shard its SPI names, or a resumption ticket's. */
static int
owner(void *arg, const struct io_pkt *p)
{
	const struct ifd_app *app = arg;

	return ike_owner_shard(&app->cfg->core, p->data, p->len);
}

/* Child SAs go to the ESP data path (when there is one) and are logged, never their keys. */
static void
on_child(void *arg, const struct ike_child_info *c)
{
	struct ifd_shard *s = arg;

	ifd_esp_child(s->app, s->id, c);
	if (c->moved)
		IFD_LOG(INFO, "shard %u: Child SA %08x moved to IKE SA %016" PRIx64 "\n", s->id,
			c->spi_in, c->ike_spi);
	else if (c->install)
		IFD_LOG(INFO,
			"shard %u: Child SA installed: SPI in %08x out %08x, ENCR %u/%u INTEG %u\n",
			s->id, c->spi_in, c->spi_out, c->encr_id, c->encr_key_bits, c->integ_id);
	else
		IFD_LOG(INFO, "shard %u: Child SA deleted: SPI in %08x out %08x\n", s->id,
			c->spi_in, c->spi_out);
}

/* One line per IKE event, within the worker's token bucket. */
static void
on_event(void *arg, const struct ike_event *ev)
{
	struct ifd_shard *s = arg;
	char line[900];

	/* The IKE SA's gone Child SAs' counters follow it (ifd_retired.h). */
	if (ev->type == IKE_EV_REKEYED)
		ifd_retired_move(&s->retired, ev->old_spi_r, ev->spi_r);
	else if (ev->type == IKE_EV_DELETED)
		ifd_retired_drop(&s->retired, ev->spi_r);

	if (!ifd_rate_take(&s->event_rate, s->tick_ms))
		return;
	ifd_event_format(ev, s->id, s->idr, line, sizeof(line));
	IFD_LOG(NOTICE, "%s\n", line);
}

static uint32_t
child_spi(void *arg, const struct ike_child_info *c)
{
	struct ifd_shard *s = arg;

	return ifd_esp_spi(s->app, s->id, c);
}

static void
child_spi_free(void *arg, uint32_t spi_in)
{
	struct ifd_shard *s = arg;

	ifd_esp_spi_free(s->app, s->id, spi_in);
}

static void
shard_fini(void *state)
{
	struct ifd_shard *s = state;

	if (s == NULL)
		return;
	ifd_retired_fini(&s->retired);
	if (s->ike != NULL)
		ike_shard_fini(s->ike); /* wipes every key, nonce and PSK copy */
	else if (s->ike_mem != NULL)
		ike_wipe(s->ike_mem, s->ike_mem_len);
	rte_free(s->ike_mem);
	if (s->tx_buf != NULL)
		ike_wipe(s->tx_buf, (size_t)IFD_TX_MAX * s->tx_cap);
	rte_free(s->tx_buf);
	if (s->imb != NULL)
		cry_ipsecmb_destroy(s->imb);
	if (s->ossl != NULL)
		cry_openssl_destroy(s->ossl);
	rte_free(s);
}

static void *
shard_init(struct rt_shard *rs, void *arg)
{
	struct ifd_app *app = arg;
	const struct ifd_config *cfg = app->cfg;
	unsigned id = rt_shard_id(rs);
	int socket = rt_shard_socket(rs);
	struct ifd_shard *s;

	if (id >= IFD_MAX_SHARDS)
		return NULL;
	s = rte_zmalloc_socket("ifd_shard", sizeof(*s), RTE_CACHE_LINE_SIZE, socket);
	if (s == NULL)
		return NULL;
	s->id = id;
	s->rt = rs;
	s->app = app;
	s->tsc_per_us = RTE_MAX(rte_get_tsc_hz() / 1000000, (uint64_t)1);
	s->tx_cap = (uint16_t)RTE_MIN(cfg->rt.buf_size, (uint32_t)UINT16_MAX);
	s->tx_buf = rte_malloc_socket("ifd_tx", (size_t)IFD_TX_MAX * s->tx_cap, 0, socket);
	s->ossl = cry_openssl_create();
	s->imb = cry_ipsecmb_create(app->arch);
	s->ike_mem_len = ike_shard_mem_size(&cfg->core);
	s->ike_mem = rte_zmalloc_socket("ifd_core", s->ike_mem_len, RTE_CACHE_LINE_SIZE, socket);
	if (s->ike_mem == NULL) {
		IFD_LOG(ERR,
			"shard %u: no EAL memory for %zu octets of core state (SA table, half-open "
			"slots, replay filter: docs/operating.md, Sizing): raise -m, or lower "
			"[tickets] lifetime_s or resumes_per_s\n",
			id, s->ike_mem_len);
		goto fail;
	}
	if (s->tx_buf == NULL || s->ossl == NULL || s->imb == NULL) {
		IFD_LOG(ERR, "shard %u: no memory or crypto driver\n", id);
		goto fail;
	}
	/* OpenSSL fills both halves; ipsec-mb then takes the symmetric one. */
	if (cfg->ca_file[0] != '\0' && cry_openssl_set_trust(s->ossl, cfg->ca_file) != IKE_OK) {
		IFD_LOG(ERR, "shard %u: cannot load CA certificates from %s\n", id, cfg->ca_file);
		goto fail;
	}
	cry_openssl_bind(s->ossl, &s->ops);
	cry_ipsecmb_bind(s->imb, &s->ops);
	s->ike = ike_shard_init(s->ike_mem, &cfg->core, id, &s->ops, on_child, s);
	if (s->ike == NULL)
		goto fail;
	if (app->dp != NULL) {
		if (ifd_retired_init(&s->retired, cfg->rt.sa_capacity) != 0)
			goto fail;
		ike_shard_set_child_spi(s->ike, child_spi);
		ike_shard_set_child_spi_free(s->ike, child_spi_free);
	}
	ifd_id_format(cfg->core.local_id_type, cfg->core.local_id, cfg->core.local_id_len, s->idr,
		      sizeof(s->idr));
	/* [log] events_per_s: rte_log costs a write and a syslog call per line. */
	ifd_rate_init(&s->event_rate, cfg->rt.log_events_per_s, cfg->rt.log_events_burst, 0);
	ike_shard_set_event(s->ike, on_event);
	app->shards[id] = s;
	return s;
fail:
	shard_fini(s);
	return NULL;
}

const struct rt_proto ifd_proto = {
	.name = "ikev2",
	.shard_init = shard_init,
	.shard_fini = shard_fini,
	.rx_burst = on_rx_burst,
	.tick = on_tick,
	.owner = owner,
	.esp_input = ifd_esp_input,
	.lcore_main = ifd_esp_lcore,
};

const struct ike_shard *
ifd_shard_core(const struct ifd_shard *s)
{
	return s->ike;
}

const struct rt_shard *
ifd_shard_rt(const struct ifd_shard *s)
{
	return s->rt;
}

struct ifd_reauth_box *
ifd_shard_reauth(struct ifd_shard *s)
{
	return &s->reauth;
}

struct ifd_list_box *
ifd_shard_list(struct ifd_shard *s)
{
	return &s->list;
}

struct ifd_peers_box *
ifd_shard_peers(struct ifd_shard *s)
{
	return &s->peers_box;
}

uint64_t
ifd_shard_events_suppressed(const struct ifd_shard *s)
{
	return __atomic_load_n(&s->event_rate.suppressed_total, __ATOMIC_RELAXED);
}

const struct ifd_hist *
ifd_shard_burst_time(const struct ifd_shard *s)
{
	return &s->burst_time;
}

const char *
ifd_shard_ipsecmb_arch(const struct ifd_shard *s)
{
	return cry_ipsecmb_arch_name(s->imb);
}
