/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth_tx.c - replies out: the protocol wrote the IKE message into the
 * mbuf's data area; we put the non-ESP marker, UDP, IPv4/IPv6 and Ethernet
 * headers in front of it in the headroom, resolve the next hop, and
 * checksum in software or by offload. A datagram larger than the MTU
 * leaves as IP fragments, each a fresh mbuf holding a copy of its slice.
 * Frames queue per worker and go to the port in one burst; a worker
 * without its own queue hands them to the worker that has one, over a ring.
 */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "eth_priv.h"

#define TX_TTL 64
#define IP6_FRAG_HDR_LEN 8
/* Room the headers need in front of the message: Ethernet, IPv6, UDP, marker. */
#define ETH_TX_HEADROOM (RTE_ETHER_HDR_LEN + 40 + 8 + ETH_MARKER_LEN)

struct rte_mbuf *
eth_mbuf_alloc(struct eth_queue *q)
{
	return rte_pktmbuf_alloc(q->pool);
}

struct io_pkt *
eth_alloc(struct io_dev *dev)
{
	struct rte_mbuf *m = eth_mbuf_alloc(eth_q(dev));
	struct io_pkt *p;

	if (m == NULL)
		return NULL;
	p = eth_pkt_of(m);
	memset(p, 0, sizeof(*p));
	p->data = rte_pktmbuf_mtod(m, uint8_t *);
	p->cap = (uint16_t)RTE_MIN(rte_pktmbuf_tailroom(m),
				   (uint16_t)eth_q(dev)->port->conf.buf_size);
	return p;
}

void
eth_free(struct io_dev *dev, struct io_pkt *p)
{
	(void)dev;
	rte_pktmbuf_free(eth_mbuf_of(p));
}

/*
 * Tags every queued frame with our VLAN, in software, at the one place all
 * frames pass before the port (a relayed frame is tagged by the worker that
 * sends it). The tag goes into the headroom; l2_len grows for offloads.
 */
static void
vlan_tag(struct eth_queue *q)
{
	uint16_t i, keep = 0;

	for (i = 0; i < q->ntx; i++) {
		q->tx[i]->vlan_tci = q->port->conf.vlan;
		if (rte_vlan_insert(&q->tx[i]) == 0) {
			q->tx[keep++] = q->tx[i];
		} else {
			ETH_COUNT(q, tx_full, 1);
			rte_pktmbuf_free(q->tx[i]);
		}
	}
	q->ntx = keep;
}

/*
 * The PMD's last word on offload requests (rte_eth_tx_prepare: what its
 * hardware needs in the headers); a frame it refuses is dropped and counted.
 */
static void
tx_prepare(struct eth_queue *q)
{
	uint16_t done = 0, ok;

	while (done < q->ntx) {
		ok = rte_eth_tx_prepare(q->port->port_id, q->qid, q->tx + done,
					(uint16_t)(q->ntx - done));
		done = (uint16_t)(done + ok);
		if (done == q->ntx)
			break;
		ETH_COUNT(q, tx_prepare_fail, 1);
		rte_pktmbuf_free(q->tx[done]);
		memmove(q->tx + done, q->tx + done + 1,
			(size_t)(q->ntx - done - 1) * sizeof(q->tx[0]));
		q->ntx--;
	}
}

void
eth_txq_flush(struct eth_queue *q)
{
	struct eth_port *pt = q->port;
	uint16_t sent = 0, i;
	unsigned tries = 0;

	if (q->ntx == 0)
		return;
	if (q->has_queue) {
		if (pt->conf.vlan != 0)
			vlan_tag(q);
		if (pt->tx_ip_csum || pt->tx_udp_csum)
			tx_prepare(q);
		while (sent < q->ntx && tries++ < 4)
			sent += rte_eth_tx_burst(pt->port_id, q->qid, q->tx + sent,
						 (uint16_t)(q->ntx - sent));
		ETH_COUNT(q, tx_frames, sent);
		if (sent < q->ntx)
			ETH_COUNT(q, tx_full, q->ntx - sent);
	} else {
		sent = (uint16_t)rte_ring_mp_enqueue_burst(pt->relay[q->qid], (void **)q->tx,
							   q->ntx, NULL);
		ETH_COUNT(q, tx_relay, sent);
		if (sent < q->ntx)
			ETH_COUNT(q, tx_relay_full, q->ntx - sent);
	}
	for (i = sent; i < q->ntx; i++)
		rte_pktmbuf_free(q->tx[i]);
	q->ntx = 0;
}

void
eth_txq_push(struct eth_queue *q, struct rte_mbuf *m)
{
	if (q->ntx == ETH_TXQ_MAX)
		eth_txq_flush(q);
	q->tx[q->ntx++] = m;
}

/* rte_pktmbuf_prepend without its NULL: tx_one checked the headroom first. */
static void *
hdr_push(struct rte_mbuf *m, uint16_t len)
{
	m->data_off = (uint16_t)(m->data_off - len);
	m->data_len = (uint16_t)(m->data_len + len);
	m->pkt_len += len;
	return rte_pktmbuf_mtod(m, void *);
}

static void
eth_header(struct rte_ether_hdr *eh, const struct eth_port *pt, const struct rte_ether_addr *dst,
	   uint16_t type)
{
	eh->dst_addr = *dst;
	eh->src_addr = pt->mac;
	eh->ether_type = rte_cpu_to_be_16(type);
}

void *
eth_frame_start(struct eth_queue *q, struct rte_mbuf *m, uint16_t len,
		const struct rte_ether_addr *dst, uint16_t type)
{
	struct rte_ether_hdr *eh;

	rte_pktmbuf_reset(m);
	eh = (struct rte_ether_hdr *)rte_pktmbuf_append(m, len);
	if (eh == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(eh, 0, len);
	eth_header(eh, q->port, dst, type);
	return eh + 1;
}

/* IPv4 fragments of the whole datagram in m (Ethernet + IPv4 + UDP, checksummed). */
static void
fragment4(struct eth_queue *q, struct rte_mbuf *m, const struct rte_ether_addr *dst)
{
	struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);
	const uint8_t *l4 = (const uint8_t *)(ip + 1);
	uint16_t l4len = (uint16_t)(rte_be_to_cpu_16(ip->total_length) - sizeof(*ip));
	uint16_t chunk = (uint16_t)((q->port->conf.mtu - sizeof(*ip)) & ~7u), off, len;
	struct rte_ipv4_hdr *fip;
	struct rte_mbuf *f;

	for (off = 0; off < l4len; off = (uint16_t)(off + len)) {
		len = (uint16_t)RTE_MIN(chunk, l4len - off);
		f = eth_mbuf_alloc(q);
		if (f == NULL) {
			ETH_STAT(q, tx_errors, 1);
			return; /* the peer will retransmit */
		}
		fip = (struct rte_ipv4_hdr *)(rte_pktmbuf_mtod(f, uint8_t *) + RTE_ETHER_HDR_LEN);
		rte_pktmbuf_append(f, (uint16_t)(RTE_ETHER_HDR_LEN + sizeof(*ip) + len));
		eth_header(rte_pktmbuf_mtod(f, struct rte_ether_hdr *), q->port, dst,
			   RTE_ETHER_TYPE_IPV4);
		*fip = *ip;
		fip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + len));
		fip->fragment_offset = rte_cpu_to_be_16(
			(uint16_t)((off >> 3) | (off + len < l4len ? RTE_IPV4_HDR_MF_FLAG : 0)));
		fip->hdr_checksum = 0;
		fip->hdr_checksum = rte_ipv4_cksum(fip);
		memcpy(fip + 1, l4 + off, len);
		ETH_COUNT(q, frag_out, 1);
		eth_txq_push(q, f);
	}
}

/* IPv6 fragments (RFC 8200 4.5) of the whole datagram in m. */
static void
fragment6(struct eth_queue *q, struct rte_mbuf *m, const struct rte_ether_addr *dst)
{
	struct rte_ipv6_hdr *ip6 =
		rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, RTE_ETHER_HDR_LEN);
	const uint8_t *l4 = (const uint8_t *)(ip6 + 1);
	uint16_t l4len = rte_be_to_cpu_16(ip6->payload_len);
	uint16_t chunk = (uint16_t)((q->port->conf.mtu - sizeof(*ip6) - IP6_FRAG_HDR_LEN) & ~7u);
	uint32_t id = rte_cpu_to_be_32(((uint32_t)q->worker << 16) | q->ip_id++);
	struct rte_ipv6_hdr *fip;
	struct rte_mbuf *f;
	uint16_t off, len;
	uint8_t *fh;

	for (off = 0; off < l4len; off = (uint16_t)(off + len)) {
		len = (uint16_t)RTE_MIN(chunk, l4len - off);
		f = eth_mbuf_alloc(q);
		if (f == NULL) {
			ETH_STAT(q, tx_errors, 1);
			return;
		}
		fip = (struct rte_ipv6_hdr *)(rte_pktmbuf_mtod(f, uint8_t *) + RTE_ETHER_HDR_LEN);
		rte_pktmbuf_append(
			f, (uint16_t)(RTE_ETHER_HDR_LEN + sizeof(*ip6) + IP6_FRAG_HDR_LEN + len));
		eth_header(rte_pktmbuf_mtod(f, struct rte_ether_hdr *), q->port, dst,
			   RTE_ETHER_TYPE_IPV6);
		*fip = *ip6;
		fip->proto = IPPROTO_FRAGMENT;
		fip->payload_len = rte_cpu_to_be_16((uint16_t)(IP6_FRAG_HDR_LEN + len));
		fh = (uint8_t *)(fip + 1);
		fh[0] = ip6->proto;
		fh[1] = 0;
		fh[2] = (uint8_t)(off >> 8);
		fh[3] = (uint8_t)((off & 0xf8) | (off + len < l4len ? 1 : 0));
		memcpy(fh + 4, &id, 4);
		memcpy(fh + IP6_FRAG_HDR_LEN, l4 + off, len);
		ETH_COUNT(q, frag_out, 1);
		eth_txq_push(q, f);
	}
}

/*
 * A whole frame (Ethernet + IPv4 without options, or IPv6) larger than the
 * MTU, e.g. ESP the data path relays (an inner packet without DF, RFC 4459
 * 3): sent as fragments of a fresh datagram id, then freed.
 */
static void
fragment_frame(struct eth_queue *q, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	if (eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4)) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);

		ip->packet_id = rte_cpu_to_be_16(q->ip_id++);
		fragment4(q, m, &eh->dst_addr);
	} else {
		fragment6(q, m, &eh->dst_addr);
	}
	rte_pktmbuf_free(m);
}

/* Whether a whole frame holds an IPv4 (no options) or IPv6 packet larger than the MTU. */
static bool
oversize(const struct eth_queue *q, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const uint8_t *ip = (const uint8_t *)(eh + 1);
	uint32_t len;

	if (rte_pktmbuf_data_len(m) <= RTE_ETHER_HDR_LEN + q->port->conf.mtu || m->nb_segs != 1)
		return false;
	if (eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) && ip[0] == 0x45)
		len = (uint32_t)(ip[2] << 8 | ip[3]);
	else if (eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) && ip[0] >> 4 == 6)
		len = 40u + (uint32_t)(ip[4] << 8 | ip[5]);
	else
		return false;
	return len > q->port->conf.mtu && len + RTE_ETHER_HDR_LEN <= rte_pktmbuf_data_len(m);
}

/*
 * A relayed frame with a zero destination MAC (ESP of an SA that has not
 * received a packet yet, so the data path knows no next hop): resolved
 * here from its IP destination. False when dropped (unresolved, counted).
 */
static bool
relay_resolve(struct eth_queue *q, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	const uint8_t *ip = (const uint8_t *)(eh + 1);
	const struct rte_ether_addr *dst;
	bool v4 = eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	if (!rte_is_zero_ether_addr(&eh->dst_addr))
		return true;
	dst = rte_pktmbuf_data_len(m) >= RTE_ETHER_HDR_LEN + 40
		      ? eth_neigh_resolve(q, v4 ? 4 : 6, v4 ? ip + 16 : ip + 24)
		      : NULL;
	if (dst == NULL) {
		rte_pktmbuf_free(m);
		return false;
	}
	eh->dst_addr = *dst;
	eh->src_addr = q->port->mac;
	return true;
}

void
eth_relay_drain(struct eth_queue *q)
{
	struct rte_ring *r = q->port->relay[q->qid];
	struct rte_mbuf *ms[IO_ETH_BURST_MAX];
	unsigned n, i;

	if (r == NULL)
		return;
	n = rte_ring_sc_dequeue_burst(r, (void **)ms, IO_ETH_BURST_MAX, NULL);
	for (i = 0; i < n; i++) {
		if (!relay_resolve(q, ms[i]))
			continue;
		if (oversize(q, ms[i]))
			fragment_frame(q, ms[i]);
		else
			eth_txq_push(q, ms[i]);
	}
}

uint16_t
io_eth_send_ip(struct io_dev *dev, struct rte_mbuf **m, uint16_t n)
{
	struct eth_queue *q = eth_q(dev);
	const struct rte_ether_addr *dst;
	uint16_t i, ok = 0;

	for (i = 0; i < n; i++) {
		uint8_t *ip = rte_pktmbuf_mtod(m[i], uint8_t *);
		uint8_t family = ip[0] >> 4;

		/* Chained mbufs pass (the data path's fragments): their first holds the header. */
		if ((family != 4 && family != 6) ||
		    rte_pktmbuf_data_len(m[i]) < (family == 4 ? 20 : 40) ||
		    rte_pktmbuf_headroom(m[i]) < RTE_ETHER_HDR_LEN) {
			ETH_STAT(q, tx_errors, 1);
			rte_pktmbuf_free(m[i]);
			continue;
		}
		dst = eth_neigh_resolve(q, family, family == 4 ? ip + 16 : ip + 24);
		if (dst == NULL) {
			rte_pktmbuf_free(m[i]);
			continue;
		}
		m[i]->ol_flags = 0;
		eth_header((struct rte_ether_hdr *)hdr_push(m[i], RTE_ETHER_HDR_LEN), q->port, dst,
			   family == 4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
		eth_txq_push(q, m[i]);
		ok++;
	}
	ETH_COUNT(q, ip_out, ok);
	eth_txq_flush(q);
	return ok;
}

/* Headers in front of the IKE message of p; false when p was dropped (counted). */
static bool
tx_one(struct eth_queue *q, struct io_pkt *p)
{
	struct eth_port *pt = q->port;
	struct rte_mbuf *m = eth_mbuf_of(p);
	const struct rte_ether_addr *dst;
	struct rte_udp_hdr *uh;
	uint16_t l3, ulen;
	uint8_t *mk;
	bool v4 = p->remote.family == 4, frag;

	if ((!v4 && p->remote.family != 6) || p->local.family != p->remote.family ||
	    (size_t)((uint8_t *)p->data - (uint8_t *)m->buf_addr) < ETH_TX_HEADROOM ||
	    p->len > p->cap) {
		ETH_STAT(q, tx_errors, 1);
		return false;
	}
	dst = eth_neigh_resolve(q, p->remote.family, p->remote.ip);
	if (dst == NULL) {
		ETH_STAT(q, tx_errors, 1);
		return false;
	}
	m->data_off = (uint16_t)((uint8_t *)p->data - (uint8_t *)m->buf_addr);
	m->data_len = p->len;
	m->pkt_len = p->len;
	if (p->flags & IO_PKT_F_NONESP_MARKER) {
		mk = (uint8_t *)hdr_push(m, ETH_MARKER_LEN);
		memset(mk, 0, ETH_MARKER_LEN);
	}
	ulen = (uint16_t)(rte_pktmbuf_pkt_len(m) + sizeof(*uh));
	uh = (struct rte_udp_hdr *)hdr_push(m, sizeof(*uh));
	uh->src_port = rte_cpu_to_be_16(p->local.port);
	uh->dst_port = rte_cpu_to_be_16(p->remote.port);
	uh->dgram_len = rte_cpu_to_be_16(ulen);
	uh->dgram_cksum = 0;
	l3 = v4 ? sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr);
	frag = l3 + ulen > pt->conf.mtu;
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = l3;
	m->ol_flags = 0;
	if (v4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)hdr_push(m, l3);

		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(l3 + ulen));
		ip->packet_id = rte_cpu_to_be_16(q->ip_id++);
		ip->time_to_live = TX_TTL;
		ip->next_proto_id = IPPROTO_UDP;
		memcpy(&ip->src_addr, p->local.ip, 4);
		memcpy(&ip->dst_addr, p->remote.ip, 4);
		if (!frag && pt->tx_udp_csum && pt->tx_ip_csum) {
			m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
				      RTE_MBUF_F_TX_UDP_CKSUM;
			uh->dgram_cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
		} else {
			uh->dgram_cksum = rte_ipv4_udptcp_cksum(ip, uh);
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		}
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)hdr_push(m, l3);

		ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip6->payload_len = rte_cpu_to_be_16(ulen);
		ip6->proto = IPPROTO_UDP;
		ip6->hop_limits = TX_TTL;
		memcpy(ip6->src_addr, p->local.ip, 16);
		memcpy(ip6->dst_addr, p->remote.ip, 16);
		if (!frag && pt->tx_udp_csum) {
			m->ol_flags = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM;
			uh->dgram_cksum = rte_ipv6_phdr_cksum(ip6, m->ol_flags);
		} else {
			uh->dgram_cksum = rte_ipv6_udptcp_cksum(ip6, uh);
		}
	}
	eth_header((struct rte_ether_hdr *)hdr_push(m, RTE_ETHER_HDR_LEN), pt, dst,
		   v4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
	if (!frag) {
		eth_txq_push(q, m);
		return true;
	}
	if (v4)
		fragment4(q, m, dst);
	else
		fragment6(q, m, dst);
	rte_pktmbuf_free(m);
	return true;
}

uint16_t
eth_tx_burst(struct io_dev *dev, struct io_pkt **pkts, uint16_t n)
{
	struct eth_queue *q = eth_q(dev);
	uint16_t i, ok = 0;

	for (i = 0; i < n; i++) {
		if (tx_one(q, pkts[i]))
			ok++;
		else
			rte_pktmbuf_free(eth_mbuf_of(pkts[i]));
	}
	eth_txq_flush(q);
	ETH_STAT(q, tx_pkts, ok);
	return ok;
}
