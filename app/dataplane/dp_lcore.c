/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_lcore.c - the data-path lcore: handoff records, then ESP in (outside
 * port queue and the ring from IKE workers) decrypted in one crypto burst
 * and sent inside, then inside packets encrypted in one burst and sent
 * outside. Inside packets whose SA lives on another lcore go there by ring;
 * those too big for the tunnel that may not be fragmented are answered
 * with ICMP, and decrypted ones too big for the inside are fragmented or
 * answered through the tunnel (dp_inside.c). An Ethernet inside port goes
 * through the io_eth driver (ARP, ND, next hops); a net_tun one is read and
 * written directly.
 */
#include <errno.h>
#include <string.h>

#include <openssl/rand.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_pause.h>

#include "dp_priv.h"
#include "io_eth.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd

struct dp_burst {
	struct esp_job jobs[DP_BURST_MAX];
	struct dp_entry *ent[DP_BURST_MAX];
	struct rte_mbuf *tx[DP_BURST_MAX];
	struct rte_mbuf *back[DP_BURST_MAX]; /* ICMP errors to the inside */
	unsigned n, ntx, nback;
};

/* Hops an inside packet made between lcores (in the mbuf while it is on a ring). */
#define HOPS(m) ((m)->hash.usr)

static inline void
drop(struct dp_lcore *l, struct rte_mbuf *m, enum esp_status st)
{
	l->c.drops[st]++;
	rte_pktmbuf_free(m);
}

/* The IP packet of a frame: after Ethernet unless the port is l3; NULL if not IP. */
static uint8_t *
ip_of(struct dp_lcore *l, struct rte_mbuf *m, bool l3, uint32_t *len)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t n = rte_pktmbuf_data_len(m);
	uint16_t type;

	if (m->nb_segs > 1) {
		l->c.multi_seg++;
		return NULL;
	}
	if (!l3) {
		if (n < RTE_ETHER_HDR_LEN)
			goto not_ip;
		type = (uint16_t)(p[12] << 8 | p[13]);
		if (type != ETH_P_IP && type != ETH_P_IPV6)
			goto not_ip;
		p += RTE_ETHER_HDR_LEN;
		n -= RTE_ETHER_HDR_LEN;
	}
	if (n < 1 || (p[0] >> 4 != 4 && p[0] >> 4 != 6))
		goto not_ip;
	*len = n;
	return p;
not_ip:
	l->c.not_ip++;
	return NULL;
}

/* Points m at [p, p + len) of its own buffer. */
static void
mbuf_set(struct rte_mbuf *m, const uint8_t *p, uint32_t len)
{
	m->data_off = (uint16_t)(p - (const uint8_t *)m->buf_addr);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
}

/* Prepends Ethernet; false when the mbuf has no headroom left (it always has). */
static bool
put_eth(struct rte_mbuf *m, const uint8_t *dst, const uint8_t *src)
{
	uint16_t type = (rte_pktmbuf_mtod(m, uint8_t *)[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP;
	struct rte_ether_hdr *eth;

	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
	if (eth == NULL)
		return false;
	memcpy(eth->dst_addr.addr_bytes, dst, RTE_ETHER_ADDR_LEN);
	memcpy(eth->src_addr.addr_bytes, src, RTE_ETHER_ADDR_LEN);
	eth->ether_type = rte_cpu_to_be_16(type);
	return true;
}

/* Queues the job just prepared in b->jobs[b->n] for packet m of SA e. */
static inline void
burst_add(struct dp_burst *b, struct rte_mbuf *m, struct dp_entry *e)
{
	b->jobs[b->n].user = m;
	b->ent[b->n++] = e;
}

/* Runs the burst's crypto; the scratch key schedules it used are wiped. */
static void
burst_crypto(struct dp_lcore *l, struct dp_burst *b)
{
	cry_ipsecmb_esp_burst(l->cry, b->jobs, b->n);
	dp_keys_burst_end(l);
}

/*
 * After esp_in_finish()/esp_out_finish() returned st for m: a refusal is
 * counted and m freed (false); else the lifetime events it raised go to
 * the SA's IKE worker.
 */
static bool
finished(struct dp_lcore *l, struct rte_mbuf *m, const struct dp_entry *e, enum esp_status st,
	 unsigned ev)
{
	if (st != ESP_OK) {
		drop(l, m, st);
		return false;
	}
	dp_raise(l, e, ev);
	return true;
}

static void
tx(struct dp_lcore *l, const struct dp_port *port, struct rte_mbuf **m, unsigned n)
{
	struct rte_ring *r = port->tx_rings[l->id];
	unsigned sent;

	if (n == 0)
		return;
	if (r != NULL)
		sent = rte_ring_mp_enqueue_burst(r, (void **)m, n, NULL);
	else
		sent = rte_eth_tx_burst(port->port_id, (uint16_t)(port->first_queue + l->id), m,
					(uint16_t)n);

	if (sent < n) {
		l->c.tx_full += n - sent;
		rte_pktmbuf_free_bulk(m + sent, n - sent);
	}
}

/* IP packets to the protected network: straight to net_tun, or through io_eth on Ethernet. */
static void
inside_tx(struct dp_lcore *l, struct rte_mbuf **m, unsigned n)
{
	const struct dp_port *in = &l->dp->cfg.inside;

	if (n == 0)
		return;
	if (in->l3) {
		tx(l, in, m, n);
	} else if (in->eth[l->id] != NULL) {
		io_eth_send_ip(in->eth[l->id], m, (uint16_t)n);
	} else {
		l->c.tx_full += n;
		rte_pktmbuf_free_bulk(m, n);
	}
}

/* A token bucket of DP_ICMP_PER_S per lcore: takes one if there is one. */
static bool
icmp_allowed(struct dp_lcore *l)
{
	uint64_t now = rte_get_tsc_cycles(), per = rte_get_tsc_hz() / DP_ICMP_PER_S;
	uint64_t add = (now - l->icmp_refill) / per;

	if (add != 0) {
		l->icmp_tokens =
			(uint32_t)RTE_MIN((uint64_t)l->icmp_tokens + add, (uint64_t)DP_ICMP_BURST);
		l->icmp_refill += add * per;
	}
	if (l->icmp_tokens == 0)
		return false;
	l->icmp_tokens--;
	return true;
}

/*
 * A decrypted packet m (data at its IP header) larger than the inside MTU
 * (dp_inside.c): its fragments join the packets for the inside, or the ICMP
 * error written in its place joins those going back into the tunnel.
 */
static void
inside_too_big(struct dp_lcore *l, struct dp_burst *b, struct rte_mbuf *m, enum dp_fit fit)
{
	static const uint8_t no_mac[RTE_ETHER_ADDR_LEN];
	const struct dp_config *cfg = &l->dp->cfg;
	int n;

	if (fit == DP_FIT_FRAGMENT) {
		if (b->ntx + DP_FRAG_MAX > DP_BURST_MAX) {
			inside_tx(l, b->tx, b->ntx);
			b->ntx = 0;
		}
		n = dp_frag4(m, cfg->inside_mtu, l->frag_direct, l->frag_indirect, b->tx + b->ntx,
			     DP_FRAG_MAX);
		if (n > 0) {
			l->c.inside_frag++;
			b->ntx += (unsigned)n;
		} else if (n == -ENOMEM) {
			l->c.inside_frag_nobuf++;
		} else {
			l->c.inside_too_big_drop++;
		}
		return;
	}
	/* dp_outbound takes it as the inside port delivers: Ethernet (addresses unused) or IP. */
	if (icmp_allowed(l) &&
	    dp_icmp_too_big(cfg, m, rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_data_len(m),
			    cfg->inside_mtu) &&
	    (cfg->inside.l3 || put_eth(m, no_mac, no_mac))) {
		l->c.inside_too_big_icmp++;
		b->back[b->nback++] = m;
	} else {
		l->c.inside_too_big_drop++;
		rte_pktmbuf_free(m);
	}
}

void
dp_transit_input(void *arg, uint16_t worker, struct rte_mbuf *m)
{
	struct dp *dp = arg;
	struct dp_lcore *l = worker < dp->cfg.nb_lcores ? dp->lc[worker] : NULL;

	if (l == NULL || l->nb_transit == DP_BURST_MAX) {
		if (l != NULL)
			l->c.tx_full++;
		rte_pktmbuf_free(m);
		return;
	}
	l->transit[l->nb_transit++] = m;
}

void
dp_inbound(struct dp_lcore *l, struct rte_mbuf **m, unsigned n, uint64_t now_ms)
{
	const struct dp_config *cfg = &l->dp->cfg;
	struct dp_burst b;
	struct esp_in_hdr h;
	enum esp_status st;
	enum dp_fit fit;
	unsigned i, ev;

	b.n = b.ntx = b.nback = 0;
	dp_keys_burst_begin(l);
	for (i = 0; i < n; i++) {
		uint32_t len, slot;
		struct dp_entry *e;
		uint8_t *ip = ip_of(l, m[i], cfg->outside.l3, &len);

		if (ip == NULL) {
			rte_pktmbuf_free(m[i]);
			continue;
		}
		st = esp_in_parse(ip, len, &h);
		if (st != ESP_OK) {
			drop(l, m[i], st);
			continue;
		}
		if (esp_spi_lcore(&l->dp->layout, h.spi) != l->id) {
			l->c.wrong_lcore++;
			rte_pktmbuf_free(m[i]);
			continue;
		}
		slot = esp_spi_slot(&l->dp->layout, h.spi);
		e = slot < l->nb_slots ? dp_tab(l, slot) : NULL;
		if (e == NULL || !e->used || e->sa.spi_in != h.spi) {
			drop(l, m[i], ESP_E_NO_SA);
			continue;
		}
		st = esp_in_prepare(&e->sa, dp_keys(l, e, false), ip + h.esp_off, h.esp_len,
				    &b.jobs[b.n]);
		if (st != ESP_OK) {
			drop(l, m[i], st);
			continue;
		}
		burst_add(&b, m[i], e);
	}
	burst_crypto(l, &b);
	for (i = 0; i < b.n; i++) {
		struct rte_mbuf *mb = b.jobs[i].user;
		struct dp_entry *e = b.ent[i];
		uint8_t *inner, *frame = rte_pktmbuf_mtod(mb, uint8_t *);
		uint32_t inner_len;

		st = esp_in_finish(&e->sa, dp_tsr_of(l, e->sa.local_ts), &b.jobs[i], now_ms, &inner,
				   &inner_len, &ev);
		if (!finished(l, mb, e, st, ev))
			continue;
		/* Replies to this client go back through the hop it came from. */
		if (!cfg->outside.l3)
			dp_nb_learn(l, e, frame);
		l->c.esp_in_pkts++;
		l->c.esp_in_bytes += inner_len;
		mbuf_set(mb, inner, inner_len);
		fit = dp_inside_fit(cfg->inside_mtu, inner, inner_len);
		if (fit != DP_FIT)
			inside_too_big(l, &b, mb, fit);
		else
			b.tx[b.ntx++] = mb;
	}
	inside_tx(l, b.tx, b.ntx);
	/* ICMP errors to senders behind the tunnel: encrypted like any inside packet. */
	if (b.nback != 0)
		dp_outbound(l, b.back, b.nback, false);
}

static const uint8_t *
cbc_iv(struct dp_lcore *l)
{
	if (l->rnd_off + 16 > DP_RAND_POOL) {
		if (RAND_bytes(l->rnd, DP_RAND_POOL) != 1)
			return NULL;
		l->rnd_off = 0;
	}
	l->rnd_off += 16;
	return l->rnd + l->rnd_off - 16;
}

/* Hands an inside packet to lcore d, its hops so far noted in it. */
static void
forward(struct dp_lcore *l, struct rte_mbuf *m, unsigned d, uint32_t hops)
{
	HOPS(m) = hops;
	if (rte_ring_mp_enqueue(l->dp->lc[d]->inside_in, m) == 0)
		l->c.inside_forwarded++;
	else
		drop(l, m, ESP_E_NOSPACE);
}

/*
 * The SA of an inside packet to dst, or NULL when the packet went to
 * another lcore or was dropped. First hop: the lcore dst hashes to, which
 * holds the one-address selectors for dst (virtual IPs: the usual and only
 * hop). There a subnet selector of another lcore (dp_route_msg) takes it
 * one hop further, to the SA's owner; never more than two hops.
 */
static struct dp_entry *
route_or_forward(struct dp_lcore *l, struct rte_mbuf *m, const uint8_t *dst, bool v6, uint32_t hops)
{
	unsigned d = hops == 0 ? dp_owner(l->dp, dst, v6) : l->id;
	struct dp_entry *e;
	int fwd;

	if (d != l->id) {
		forward(l, m, d, 1);
		return NULL;
	}
	e = dp_route(l, dst, v6, &fwd);
	if (e != NULL)
		return e;
	if (fwd >= 0 && (unsigned)fwd != l->id && hops < 2)
		forward(l, m, (unsigned)fwd, 2);
	else {
		l->c.no_sa_out++;
		rte_pktmbuf_free(m);
	}
	return NULL;
}

/*
 * Whether the inside packet at ip must be refused as too big for the SA's
 * ESP on the outside link (then *mtu is what to announce). IPv4 without DF
 * and IPv6 up to the minimum link MTU (RFC 8200 5: a tunnel must carry
 * 1280 octets) pass: their ESP packet leaves in fragments instead.
 */
static bool
too_big(const struct dp_config *cfg, const struct dp_entry *e, const uint8_t *ip, uint32_t ip_len,
	bool v6, uint32_t *mtu)
{
	uint32_t max;

	if (cfg->outside_mtu == 0 || ip_len <= (max = esp_out_max_inner(&e->sa, cfg->outside_mtu)))
		return false;
	if (!v6) {
		*mtu = max;
		return (ip[6] & 0x40) != 0; /* DF */
	}
	*mtu = RTE_MAX(max, 1280u);
	return ip_len > *mtu;
}

void
dp_outbound(struct dp_lcore *l, struct rte_mbuf **m, unsigned n, bool forwarded)
{
	const struct dp_config *cfg = &l->dp->cfg;
	unsigned l2 = cfg->outside.l3 ? 0 : RTE_ETHER_HDR_LEN;
	struct dp_burst b;
	enum esp_status st;
	unsigned i, ev;

	b.n = b.ntx = b.nback = 0;
	dp_keys_burst_begin(l);
	for (i = 0; i < n; i++) {
		uint32_t len, ip_len, head, tail, outer_len, mtu;
		uint8_t *ip = ip_of(l, m[i], cfg->inside.l3, &len), *outer;
		const uint8_t *iv = NULL;
		struct dp_entry *e;
		bool v6;

		if (ip == NULL) {
			rte_pktmbuf_free(m[i]);
			continue;
		}
		v6 = ip[0] >> 4 == 6;
		if (len < (v6 ? 40u : 20u)) {
			drop(l, m[i], ESP_E_INNER);
			continue;
		}
		e = route_or_forward(l, m[i], v6 ? ip + 24 : ip + 16, v6,
				     forwarded ? HOPS(m[i]) : 0);
		if (e == NULL)
			continue;
		/* The IP length, not the frame's: Ethernet pads short frames. */
		ip_len = v6 ? 40u + (uint32_t)(ip[4] << 8 | ip[5]) : (uint32_t)(ip[2] << 8 | ip[3]);
		if (ip_len > len || ip_len == 0) {
			drop(l, m[i], ESP_E_INNER);
			continue;
		}
		if (too_big(cfg, e, ip, ip_len, v6, &mtu)) {
			if (icmp_allowed(l) && dp_icmp_too_big(cfg, m[i], ip, ip_len, mtu)) {
				l->c.too_big_icmp++;
				b.back[b.nback++] = m[i];
			} else {
				l->c.too_big_drop++;
				rte_pktmbuf_free(m[i]);
			}
			continue;
		}
		head = (uint32_t)(ip - (uint8_t *)m[i]->buf_addr);
		tail = m[i]->buf_len - head - ip_len;
		if (e->sa.alg != ESP_ALG_AES_GCM_16 && (iv = cbc_iv(l)) == NULL) {
			drop(l, m[i], ESP_E_CRYPTO);
			continue;
		}
		st = esp_out_prepare(&e->sa, l->locals[e->local].addr, dp_keys(l, e, true), ip,
				     ip_len, head > l2 ? head - l2 : 0, tail, iv, &b.jobs[b.n],
				     &outer, &outer_len);
		if (st != ESP_OK) {
			drop(l, m[i], st);
			continue;
		}
		mbuf_set(m[i], outer, outer_len);
		burst_add(&b, m[i], e);
	}
	burst_crypto(l, &b);
	for (i = 0; i < b.n; i++) {
		struct rte_mbuf *mb = b.jobs[i].user;
		struct dp_entry *e = b.ent[i];

		st = esp_out_finish(&e->sa, &b.jobs[i], &ev);
		if (!finished(l, mb, e, st, ev))
			continue;
		l->c.esp_out_pkts++;
		l->c.esp_out_bytes += b.jobs[i].inner_len;
		if (cfg->outside_mtu != 0 && rte_pktmbuf_data_len(mb) > cfg->outside_mtu)
			l->c.esp_out_frag++; /* the IKE worker's queue fragments it (io_eth) */
		if (l2 != 0 && e->nb == 0)
			l->c.no_l2_dest++; /* zero MACs (nbs[0]): the IKE worker resolves it */
		if (l2 != 0 && !put_eth(mb, l->nbs[e->nb].peer, l->nbs[e->nb].our)) {
			drop(l, mb, ESP_E_NOSPACE);
			continue;
		}
		b.tx[b.ntx++] = mb;
	}
	tx(l, &cfg->outside, b.tx, b.ntx);
	inside_tx(l, b.back, b.nback);
}

/* The inside port's receive burst; false when there was nothing. */
static bool
inside_rx(struct dp_lcore *l)
{
	const struct dp_config *cfg = &l->dp->cfg;
	struct rte_mbuf *m[DP_BURST_MAX];
	struct io_dev *dev = cfg->inside.eth[l->id];
	struct io_pkt *pk[DP_BURST_MAX];
	unsigned n;

	if (cfg->inside.l3) {
		n = rte_eth_rx_burst(cfg->inside.port_id,
				     (uint16_t)(cfg->inside.first_queue + l->id), m,
				     (uint16_t)cfg->burst);
		if (n != 0)
			dp_outbound(l, m, n, false);
		return n != 0;
	}
	if (dev == NULL)
		return false;
	/* ARP, ND, echo to our address; routed-through packets land in l->transit. */
	l->nb_transit = 0;
	n = io_rx_burst(dev, pk, (uint16_t)cfg->burst);
	while (n > 0) /* nothing above IP is ours on the inside (ike_port 0) */
		io_free(dev, pk[--n]);
	n = l->nb_transit;
	l->nb_transit = 0;
	if (n != 0)
		dp_outbound(l, l->transit, n, false);
	return n != 0;
}

static uint64_t
now_ms_of(uint64_t tsc, uint64_t hz_per_ms)
{
	return tsc / hz_per_ms;
}

int
dp_lcore_main(void *arg)
{
	struct dp *dp = arg;
	const struct dp_config *cfg = &dp->cfg;
	struct rte_mbuf *m[DP_BURST_MAX];
	uint64_t per_ms = rte_get_tsc_hz() / 1000;
	struct esp_handoff *h[DP_BURST_MAX];
	struct dp_lcore *l = NULL;
	unsigned d, n, k, busy;

	for (d = 0; d < cfg->nb_lcores; d++)
		if (cfg->lcores[d] == rte_lcore_id())
			l = dp->lc[d];
	if (l == NULL)
		return -1;
	DP_LOG(INFO, "data-path lcore %u running on lcore %u\n", l->id, l->lcore);
	while (!__atomic_load_n(&dp->stop, __ATOMIC_ACQUIRE) &&
	       (cfg->should_stop == NULL || !cfg->should_stop())) {
		uint64_t now = now_ms_of(rte_get_tsc_cycles(), per_ms);

		busy = 0;
		n = rte_ring_sc_dequeue_burst(l->handoff, (void **)h, cfg->burst, NULL);
		for (k = 0; k < n; k++) {
			dp_apply(l, h[k], now);
			rte_mempool_put(dp->records, h[k]);
		}
		busy += n;
		n = rte_ring_sc_dequeue_burst(l->esp_in, (void **)m, cfg->burst, NULL);
		if (cfg->outside.poll_rx && n < cfg->burst)
			n += rte_eth_rx_burst(cfg->outside.port_id,
					      (uint16_t)(cfg->outside.first_queue + l->id), m + n,
					      (uint16_t)(cfg->burst - n));
		if (n != 0)
			dp_inbound(l, m, n, now);
		busy += n;
		n = rte_ring_sc_dequeue_burst(l->inside_in, (void **)m, cfg->burst, NULL);
		if (n != 0)
			dp_outbound(l, m, n, true);
		busy += n;
		if (cfg->inside.poll_rx)
			busy += inside_rx(l);
		dp_routes_drain(l);
		dp_idle_scan(l, now);
		l->c.loops++;
		if (busy == 0)
			rte_pause();
	}
	return 0;
}
