/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth_rx.c - one RX burst: Ethernet demux (our MAC, broadcast, our
 * solicited-node groups), ARP, IPv4/IPv6 with header checks, fragments to
 * reassembly, ICMP/ICMPv6 echo, neighbour discovery, and UDP to the IKE and
 * NAT-T ports handed out as io_pkts pointing into their mbufs. Everything
 * else is counted and dropped, or given to the kernel (exception path).
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "eth_priv.h"

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ND_NS 135
#define ND_NA 136
#define IP6_FRAG_HDR_LEN 8
#define ECHO_TTL 64
#define FRAG_SWEEP_MS 100

static const uint8_t nonesp_marker[ETH_MARKER_LEN];

/* Frame m is not ours: to the kernel when there is an exception path, else dropped. */
#define NOT_OURS(q, m, counter)                                                                    \
	do {                                                                                       \
		if (!eth_exception_out((q), (m))) {                                                \
			ETH_COUNT((q), counter, 1);                                                \
			rte_pktmbuf_free(m);                                                       \
		}                                                                                  \
	} while (0)

#define DROP(q, m, counter)                                                                        \
	do {                                                                                       \
		ETH_COUNT((q), counter, 1);                                                        \
		rte_pktmbuf_free(m);                                                               \
	} while (0)

/* Our unicast MAC, broadcast, all-nodes, or the solicited-node group of one of our addresses. */
static bool
mac_accepted(const struct eth_port *pt, const struct rte_ether_addr *d)
{
	static const uint8_t all_nodes[6] = {0x33, 0x33, 0, 0, 0, 1};
	unsigned i;

	if (rte_is_same_ether_addr(d, &pt->mac) || rte_is_broadcast_ether_addr(d))
		return true;
	if (d->addr_bytes[0] != 0x33 || d->addr_bytes[1] != 0x33)
		return false;
	if (memcmp(d->addr_bytes, all_nodes, 6) == 0)
		return true;
	for (i = 0; i < pt->conf.nb_addrs; i++)
		if (pt->conf.addrs[i].family == 6 && d->addr_bytes[2] == 0xff &&
		    memcmp(&d->addr_bytes[3], pt->conf.addrs[i].ip + 13, 3) == 0)
			return true;
	return false;
}

/* ff02::1 or the solicited-node group of one of our addresses (ND only). */
static bool
ip6_mcast_ours(const struct eth_port *pt, const uint8_t *dst)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
	uint8_t sn[16];
	unsigned i;

	if (memcmp(dst, all_nodes, 16) == 0)
		return true;
	for (i = 0; i < pt->conf.nb_addrs; i++) {
		if (pt->conf.addrs[i].family != 6)
			continue;
		eth_solicited_node(pt->conf.addrs[i].ip, sn);
		if (memcmp(dst, sn, 16) == 0)
			return true;
	}
	return false;
}

/*
 * The IP length says more than the frame holds: cut by the PMD (af_packet
 * copies at most its framesz, and its fanout defragments IPv4 in the
 * kernel first) or a lie; either way it cannot be used.
 */
static struct io_pkt *
truncated(struct eth_queue *q, struct rte_mbuf *m)
{
	ETH_STAT(q, rx_truncated, 1);
	rte_pktmbuf_free(m);
	return NULL;
}

static void
addr_set(struct io_addr *a, uint8_t family, const void *ip, uint16_t port_be)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	a->port = rte_be_to_cpu_16(port_be);
	memcpy(a->ip, ip, family == 4 ? 4 : 16);
}

/* ESP for us (RFC 4303, RFC 3948): to the data path, or counted and dropped. */
static void
esp_input(struct eth_queue *q, struct rte_mbuf *m)
{
	const struct io_eth_conf *cf = &q->port->conf;

	ETH_STAT(q, esp, 1);
	if (cf->esp_input != NULL)
		cf->esp_input(cf->esp_arg, q->worker, m);
	else
		rte_pktmbuf_free(m);
}

/*
 * A packet the protected network routes through us (inside port): sent to
 * our MAC, not to our addresses. It goes to the data path with its TTL or
 * hop limit decremented as any router's (RFC 1812 5.3.1, RFC 8200 3);
 * false when the port has no data path or the frame was not sent to us.
 */
static bool
transit(struct eth_queue *q, struct rte_mbuf *m, uint8_t family, void *iph)
{
	const struct io_eth_conf *cf = &q->port->conf;
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	if (cf->transit_input == NULL || !rte_is_same_ether_addr(&eh->dst_addr, &q->port->mac))
		return false;
	if (family == 4) {
		struct rte_ipv4_hdr *ip = iph;
		uint32_t sum;

		if (ip->time_to_live <= 1) {
			DROP(q, m, drop_ttl);
			return true;
		}
		ip->time_to_live--;
		/* RFC 1624 incremental update: the TTL is the high octet of its word. */
		sum = (uint32_t)rte_be_to_cpu_16(ip->hdr_checksum) + 0x0100;
		ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)(sum + (sum >> 16)));
	} else {
		struct rte_ipv6_hdr *ip6 = iph;

		if (ip6->hop_limits <= 1) {
			DROP(q, m, drop_ttl);
			return true;
		}
		ip6->hop_limits--;
	}
	ETH_COUNT(q, transit_in, 1);
	cf->transit_input(cf->transit_arg, q->worker, m);
	return true;
}

/*
 * A sender on this host (the other end of a veth) left the UDP checksum to
 * "hardware": the field holds only the pseudo-header sum (Linux
 * CHECKSUM_PARTIAL), and af_packet/af_xdp hand the frame over as it is. On
 * such ports that form is taken unverified (IKE has its own integrity).
 */
static bool
partial_csum(const struct eth_queue *q, uint8_t family, const void *iph,
	     const struct rte_udp_hdr *uh)
{
	if (!q->port->rx_partial_csum)
		return false;
	if (family == 4)
		return uh->dgram_cksum == rte_ipv4_phdr_cksum(iph, 0);
	return uh->dgram_cksum == rte_ipv6_phdr_cksum(iph, 0);
}

/*
 * UDP to one of our addresses: checksum, port, then the RFC 3948 rules of
 * io_udp (marker, keepalive, ESP). Returns the packet or NULL (consumed).
 */
static struct io_pkt *
udp_input(struct eth_queue *q, struct rte_mbuf *m, uint8_t family, void *iph,
	  struct rte_udp_hdr *uh, uint16_t l4len, bool csum_checked)
{
	const struct io_eth_conf *cf = &q->port->conf;
	uint16_t ulen, dport = rte_be_to_cpu_16(uh->dst_port), len;
	struct io_pkt *p;
	uint8_t *data;
	int bad;

	if (l4len < sizeof(*uh) || (ulen = rte_be_to_cpu_16(uh->dgram_len)) < sizeof(*uh) ||
	    ulen > l4len) {
		DROP(q, m, drop_bad_ip);
		return NULL;
	}
	if (cf->ike_port == 0 ||
	    (dport != cf->ike_port && (cf->natt_port == 0 || dport != cf->natt_port))) {
		NOT_OURS(q, m, drop_udp_port);
		return NULL;
	}
	if (!csum_checked) {
		if (family == 4)
			bad = uh->dgram_cksum != 0 && rte_ipv4_udptcp_cksum_verify(iph, uh) != 0;
		else
			bad = uh->dgram_cksum == 0 || rte_ipv6_udptcp_cksum_verify(iph, uh) != 0;
		if (bad && partial_csum(q, family, iph, uh)) {
			ETH_COUNT(q, rx_csum_partial, 1);
		} else if (bad) {
			DROP(q, m, drop_udp_csum);
			return NULL;
		}
	}
	p = eth_pkt_of(m);
	memset(p, 0, sizeof(*p));
	data = (uint8_t *)(uh + 1);
	len = (uint16_t)(ulen - sizeof(*uh));
	p->port_kind = dport == cf->ike_port ? IO_PORT_IKE : IO_PORT_NATT;
	if (len == 1 && data[0] == 0xff) {
		ETH_STAT(q, natt_keepalive, 1);
		rte_pktmbuf_free(m);
		return NULL;
	}
	/* As io_udp: no marker on port 500 itself (RFC 3948 2.2, RFC 7296 2.23). */
	if (len >= ETH_MARKER_LEN && (p->port_kind == IO_PORT_NATT || dport != 500) &&
	    memcmp(data, nonesp_marker, ETH_MARKER_LEN) == 0) {
		data += ETH_MARKER_LEN;
		len -= ETH_MARKER_LEN;
		p->flags |= IO_PKT_F_NONESP_MARKER;
	} else if (p->port_kind == IO_PORT_NATT) {
		if (len < ETH_MARKER_LEN) {
			ETH_STAT(q, rx_runt, 1);
			rte_pktmbuf_free(m);
		} else {
			esp_input(q, m);
		}
		return NULL;
	}
	if (len == 0) {
		ETH_STAT(q, rx_runt, 1);
		rte_pktmbuf_free(m);
		return NULL;
	}
	p->data = data;
	p->len = len;
	p->cap = (uint16_t)RTE_MIN((size_t)UINT16_MAX,
				   (size_t)((uint8_t *)m->buf_addr + m->buf_len - data));
	p->ifindex = q->port->port_id;
	if (family == 4) {
		struct rte_ipv4_hdr *ip = iph;

		addr_set(&p->local, 4, &ip->dst_addr, uh->dst_port);
		addr_set(&p->remote, 4, &ip->src_addr, uh->src_port);
	} else {
		struct rte_ipv6_hdr *ip6 = iph;

		addr_set(&p->local, 6, ip6->dst_addr, uh->dst_port);
		addr_set(&p->remote, 6, ip6->src_addr, uh->src_port);
	}
	return p;
}

/* Echo request to us: answered in the same mbuf. */
static void
icmp4_input(struct eth_queue *q, struct rte_mbuf *m, struct rte_ipv4_hdr *ip, uint8_t *l4,
	    uint16_t l4len)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)l4;
	uint32_t a;

	if (l4len < sizeof(*ic) || ic->icmp_type != RTE_IP_ICMP_ECHO_REQUEST ||
	    ic->icmp_code != 0 || rte_raw_cksum(l4, l4len) != 0xffff) {
		DROP(q, m, drop_icmp);
		return;
	}
	eh->dst_addr = eh->src_addr;
	eh->src_addr = q->port->mac;
	a = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	ip->time_to_live = ECHO_TTL;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(l4, l4len);
	ETH_COUNT(q, icmp_echo, 1);
	eth_txq_push(q, m);
}

static struct io_pkt *
ipv4_input(struct eth_queue *q, struct rte_mbuf *m)
{
	struct eth_port *pt = q->port;
	struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);
	uint16_t avail = (uint16_t)(rte_pktmbuf_data_len(m) - RTE_ETHER_HDR_LEN), hl, tot;
	uint64_t ipck = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	bool reassembled = false;

	if (avail < sizeof(*ip) || (ip->version_ihl >> 4) != 4 ||
	    (hl = rte_ipv4_hdr_len(ip)) < sizeof(*ip) || hl > avail ||
	    (tot = rte_be_to_cpu_16(ip->total_length)) < hl) {
		DROP(q, m, drop_bad_ip);
		return NULL;
	}
	if (tot > avail)
		return truncated(q, m);
	if (ipck == RTE_MBUF_F_RX_IP_CKSUM_BAD ||
	    (ipck != RTE_MBUF_F_RX_IP_CKSUM_GOOD && rte_ipv4_cksum(ip) != 0)) {
		DROP(q, m, drop_ip_csum);
		return NULL;
	}
	if (!eth_is_ours(pt, 4, (const uint8_t *)&ip->dst_addr)) {
		if (!transit(q, m, 4, ip))
			NOT_OURS(q, m, drop_not_ours);
		return NULL;
	}
	if (avail > tot)
		rte_pktmbuf_trim(m, (uint16_t)(avail - tot)); /* Ethernet padding */
	if (rte_ipv4_frag_pkt_is_fragmented(ip)) {
		/* IKE and ESP (RFC 4303 3.4.1: reassembled before it is processed). */
		if (ip->next_proto_id != IPPROTO_UDP && ip->next_proto_id != IPPROTO_ESP) {
			NOT_OURS(q, m, drop_proto);
			return NULL;
		}
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = hl;
		m = eth_reassemble(q, m, 4, ip, NULL);
		if (m == NULL)
			return NULL;
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);
		hl = rte_ipv4_hdr_len(ip);
		tot = rte_be_to_cpu_16(ip->total_length);
		reassembled = true;
	}
	switch (ip->next_proto_id) {
	case IPPROTO_UDP:
		return udp_input(q, m, 4, ip, (struct rte_udp_hdr *)((uint8_t *)ip + hl),
				 (uint16_t)(tot - hl),
				 !reassembled && (m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
							 RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	case IPPROTO_ICMP:
		icmp4_input(q, m, ip, (uint8_t *)ip + hl, (uint16_t)(tot - hl));
		return NULL;
	case IPPROTO_ESP:
		esp_input(q, m);
		return NULL;
	default:
		NOT_OURS(q, m, drop_proto);
		return NULL;
	}
}

static void
icmp6_echo(struct eth_queue *q, struct rte_mbuf *m, struct rte_ipv6_hdr *ip6, uint8_t *l4,
	   uint16_t l4len)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint8_t a[16];
	uint16_t cks;

	if (l4len < 8 || l4[1] != 0 || rte_ipv6_udptcp_cksum_verify(ip6, l4) != 0) {
		DROP(q, m, drop_icmp);
		return;
	}
	eh->dst_addr = eh->src_addr;
	eh->src_addr = q->port->mac;
	memcpy(a, ip6->src_addr, 16);
	memcpy(ip6->src_addr, ip6->dst_addr, 16);
	memcpy(ip6->dst_addr, a, 16);
	ip6->hop_limits = ECHO_TTL;
	l4[0] = ICMP6_ECHO_REPLY;
	l4[2] = l4[3] = 0;
	cks = rte_ipv6_udptcp_cksum(ip6, l4);
	memcpy(l4 + 2, &cks, 2);
	ETH_COUNT(q, icmp6_echo, 1);
	eth_txq_push(q, m);
}

static struct io_pkt *
ipv6_input(struct eth_queue *q, struct rte_mbuf *m)
{
	struct eth_port *pt = q->port;
	struct rte_ipv6_hdr *ip6 =
		rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, RTE_ETHER_HDR_LEN);
	uint16_t avail = (uint16_t)(rte_pktmbuf_data_len(m) - RTE_ETHER_HDR_LEN), plen;
	bool ours, mcast;
	uint8_t *l4;

	if (avail < sizeof(*ip6) || (rte_be_to_cpu_32(ip6->vtc_flow) >> 28) != 6) {
		DROP(q, m, drop_bad_ip);
		return NULL;
	}
	if ((plen = rte_be_to_cpu_16(ip6->payload_len)) > avail - sizeof(*ip6))
		return truncated(q, m);
	ours = eth_is_ours(pt, 6, ip6->dst_addr);
	mcast = !ours && ip6_mcast_ours(pt, ip6->dst_addr);
	if (!ours && !mcast) {
		if (!transit(q, m, 6, ip6))
			NOT_OURS(q, m, drop_not_ours);
		return NULL;
	}
	if (avail > sizeof(*ip6) + plen)
		rte_pktmbuf_trim(m, (uint16_t)(avail - sizeof(*ip6) - plen));
	l4 = (uint8_t *)(ip6 + 1);
	if (ip6->proto == IPPROTO_ICMPV6 && plen >= 1 && (l4[0] == ND_NS || l4[0] == ND_NA)) {
		if (!eth_nd_input(q, m, l4, plen))
			NOT_OURS(q, m, drop_not_ours);
		return NULL;
	}
	if (!ours) {
		NOT_OURS(q, m, drop_not_ours);
		return NULL;
	}
	switch (ip6->proto) {
	case IPPROTO_UDP:
		return udp_input(q, m, 6, ip6, (struct rte_udp_hdr *)l4, plen,
				 (m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
					 RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	case IPPROTO_FRAGMENT:
		if (plen < IP6_FRAG_HDR_LEN || (l4[0] != IPPROTO_UDP && l4[0] != IPPROTO_ESP)) {
			NOT_OURS(q, m, drop_proto);
			return NULL;
		}
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = sizeof(*ip6) + IP6_FRAG_HDR_LEN;
		m = eth_reassemble(q, m, 6, ip6, l4);
		if (m == NULL)
			return NULL;
		ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, RTE_ETHER_HDR_LEN);
		if (ip6->proto == IPPROTO_ESP) {
			esp_input(q, m);
			return NULL;
		}
		if (ip6->proto != IPPROTO_UDP) {
			DROP(q, m, drop_bad_ip);
			return NULL;
		}
		return udp_input(q, m, 6, ip6, (struct rte_udp_hdr *)(ip6 + 1),
				 rte_be_to_cpu_16(ip6->payload_len), false);
	case IPPROTO_ESP:
		esp_input(q, m);
		return NULL;
	case IPPROTO_ICMPV6:
		if (plen >= 1 && l4[0] == ICMP6_ECHO_REQUEST)
			icmp6_echo(q, m, ip6, l4, plen);
		else
			NOT_OURS(q, m, drop_icmp);
		return NULL;
	case IPPROTO_HOPOPTS:
	case IPPROTO_ROUTING:
	case IPPROTO_DSTOPTS:
		NOT_OURS(q, m, drop_ipv6_ext);
		return NULL;
	default:
		NOT_OURS(q, m, drop_proto);
		return NULL;
	}
}

/* One frame from the port: an IKE packet, or NULL when consumed (counted). */
static struct io_pkt *
frame_input(struct eth_queue *q, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint16_t type;

	if (!rte_pktmbuf_is_contiguous(m)) {
		ETH_STAT(q, rx_truncated, 1);
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN) {
		DROP(q, m, drop_bad_ip);
		return NULL;
	}
	if (!mac_accepted(q->port, &eh->dst_addr)) {
		NOT_OURS(q, m, drop_other_mac);
		return NULL;
	}
	type = rte_be_to_cpu_16(eh->ether_type);
	if (q->port->conf.vlan != 0) {
		/* Ours are tagged with our VLAN: strip it; anything else is not for us. */
		if (type != RTE_ETHER_TYPE_VLAN ||
		    rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN + sizeof(struct rte_vlan_hdr) ||
		    (rte_be_to_cpu_16(((struct rte_vlan_hdr *)(eh + 1))->vlan_tci) &
		     RTE_VLAN_ID_MASK) != q->port->conf.vlan) {
			DROP(q, m, drop_vlan);
			return NULL;
		}
		rte_vlan_strip(m);
		eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		type = rte_be_to_cpu_16(eh->ether_type);
	}
	switch (type) {
	case RTE_ETHER_TYPE_IPV4:
		return ipv4_input(q, m);
	case RTE_ETHER_TYPE_IPV6:
		return ipv6_input(q, m);
	case RTE_ETHER_TYPE_ARP:
		if (!eth_arp_input(q, m))
			NOT_OURS(q, m, drop_arp_other);
		return NULL;
	case RTE_ETHER_TYPE_VLAN:
	case RTE_ETHER_TYPE_QINQ:
		DROP(q, m, drop_vlan);
		return NULL;
	default:
		NOT_OURS(q, m, drop_ethertype);
		return NULL;
	}
}

uint16_t
eth_rx_burst(struct io_dev *dev, struct io_pkt **pkts, uint16_t n)
{
	struct eth_queue *q = eth_q(dev);
	struct rte_mbuf *ms[IO_ETH_BURST_MAX];
	uint16_t nb = 0, got = 0, i;
	uint64_t now;

	eth_neigh_drain(q);
	if (q->has_queue) {
		nb = rte_eth_rx_burst(q->port->port_id, q->qid, ms,
				      RTE_MIN(n, (uint16_t)IO_ETH_BURST_MAX));
		if (nb != 0)
			ETH_COUNT(q, rx_frames, nb);
		for (i = 0; i < nb; i++) {
			struct io_pkt *p;

			/* The next frame's headers come in while this one is parsed. */
			if (i + 1 < nb)
				rte_prefetch0(rte_pktmbuf_mtod(ms[i + 1], void *));
			p = frame_input(q, ms[i]);

			if (p != NULL)
				pkts[got++] = p;
		}
		eth_exception_in(q);
		eth_relay_drain(q);
	}
	if (q->frag != NULL) {
		now = rte_get_timer_cycles();
		if (now >= q->frag_expire_tsc) {
			eth_frag_sweep(q, now);
			q->frag_expire_tsc = now + q->tsc_hz * FRAG_SWEEP_MS / 1000;
		}
		eth_frag_free_dead(q);
	}
	eth_txq_flush(q);
	if (got != 0)
		ETH_STAT(q, rx_pkts, got);
	return got;
}
