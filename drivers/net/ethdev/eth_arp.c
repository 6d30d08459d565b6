/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth_arp.c - ARP (RFC 826) for our IPv4 addresses: requests answered in
 * the request's own mbuf, replies and requests for us learnt, requests
 * sent to resolve a next hop.
 */
#include <string.h>

#include <rte_arp.h>

#include "eth_priv.h"

#define ETH_MIN_FRAME 60 /* without FCS: short frames are padded */

bool
eth_arp_input(struct eth_queue *q, struct rte_mbuf *m)
{
	struct eth_port *pt = q->port;
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(eh + 1);
	struct rte_arp_ipv4 *d = &a->arp_data;
	uint8_t sip[4], tip[4];
	uint16_t op;

	if (rte_pktmbuf_data_len(m) < sizeof(*eh) + sizeof(*a) ||
	    a->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    a->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) || a->arp_hlen != 6 ||
	    a->arp_plen != 4) {
		ETH_COUNT(q, drop_bad_arp, 1);
		rte_pktmbuf_free(m);
		return true;
	}
	op = rte_be_to_cpu_16(a->arp_opcode);
	memcpy(sip, &d->arp_sip, 4);
	memcpy(tip, &d->arp_tip, 4);
	if (!eth_is_ours(pt, 4, tip)) {
		/* Not for us; still merge a sender we know (RFC 826, e.g. gratuitous ARP). */
		if (op == RTE_ARP_OP_REQUEST || op == RTE_ARP_OP_REPLY)
			eth_neigh_refresh(q, 4, sip, &d->arp_sha);
		return false;
	}
	if ((op != RTE_ARP_OP_REQUEST && op != RTE_ARP_OP_REPLY) ||
	    rte_is_multicast_ether_addr(&d->arp_sha)) {
		ETH_COUNT(q, drop_bad_arp, 1);
		rte_pktmbuf_free(m);
		return true;
	}
	/* A probe (sender 0.0.0.0, RFC 5227) teaches nothing. */
	if (sip[0] | sip[1] | sip[2] | sip[3]) {
		eth_neigh_learn(q, 4, sip, &d->arp_sha, true);
		ETH_COUNT(q, arp_learn, 1);
	}
	if (op == RTE_ARP_OP_REPLY) {
		ETH_COUNT(q, arp_reply_in, 1);
		rte_pktmbuf_free(m);
		return true;
	}
	ETH_COUNT(q, arp_request_in, 1);
	a->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	d->arp_tha = d->arp_sha;
	memcpy(&d->arp_tip, sip, 4);
	d->arp_sha = pt->mac;
	memcpy(&d->arp_sip, tip, 4);
	eh->dst_addr = d->arp_tha;
	eh->src_addr = pt->mac;
	eth_txq_push(q, m);
	return true;
}

/* An ARP request from our address spa for tpa, broadcast. */
static void
arp_request(struct eth_queue *q, const uint8_t *spa, const uint8_t *tpa)
{
	static const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	struct rte_mbuf *m = eth_mbuf_alloc(q);
	struct rte_arp_hdr *a;

	if (m == NULL ||
	    (a = eth_frame_start(q, m, ETH_MIN_FRAME, &bcast, RTE_ETHER_TYPE_ARP)) == NULL)
		return;
	a->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = 6;
	a->arp_plen = 4;
	a->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	a->arp_data.arp_sha = q->port->mac;
	memcpy(&a->arp_data.arp_sip, spa, 4);
	memcpy(&a->arp_data.arp_tip, tpa, 4);
	eth_txq_push(q, m);
}

void
eth_arp_send_request(struct eth_queue *q, const uint8_t *target)
{
	const uint8_t *src = eth_src_for(q->port, 4, target);

	if (src == NULL)
		return;
	ETH_COUNT(q, arp_request_out, 1);
	arp_request(q, src, target);
}

/* RFC 5227 announcement (sender and target both our address): caches update at once. */
void
eth_arp_announce(struct eth_queue *q, const uint8_t *ip)
{
	ETH_COUNT(q, arp_announce, 1);
	arp_request(q, ip, ip);
}
