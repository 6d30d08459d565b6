/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth_nd.c - IPv6 neighbour discovery (RFC 4861) for our addresses:
 * solicitations answered with an advertisement in the same mbuf,
 * link-layer addresses learnt from both, solicitations sent to the
 * solicited-node group to resolve a next hop.
 */
#include <string.h>

#include <rte_ip.h>

#include "eth_priv.h"

#define ND_NS 135
#define ND_NA 136
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define ND_HDR_LEN 24 /* type, code, checksum, flags/reserved, target */
#define ND_OPT_LL_LEN 8
#define NA_FLAG_SOLICITED 0x40
#define NA_FLAG_OVERRIDE 0x20
#define ND_HOP_LIMIT 255

static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};

/* The link-layer address option of that type, or NULL (RFC 4861 4.6.1). */
static const struct rte_ether_addr *
nd_ll_option(const uint8_t *opt, uint16_t len, uint8_t type, bool *bad)
{
	const struct rte_ether_addr *found = NULL;
	uint16_t olen;

	while (len >= 2) {
		olen = (uint16_t)(opt[1] * 8);
		if (olen == 0 || olen > len) {
			*bad = true;
			return NULL;
		}
		if (opt[0] == type && olen >= 8)
			found = (const struct rte_ether_addr *)(opt + 2);
		opt += olen;
		len = (uint16_t)(len - olen);
	}
	return found;
}

/*
 * Writes a whole ND frame (NS or NA with one link-layer option carrying our
 * MAC) into m, which it empties first, and queues it.
 */
static void
nd_write(struct eth_queue *q, struct rte_mbuf *m, const uint8_t *src, const uint8_t *dst,
	 const struct rte_ether_addr *dmac, uint8_t type, uint8_t flags, const uint8_t *target)
{
	const uint16_t len =
		RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv6_hdr) + ND_HDR_LEN + ND_OPT_LL_LEN;
	struct rte_ipv6_hdr *ip6 = eth_frame_start(q, m, len, dmac, RTE_ETHER_TYPE_IPV6);
	uint8_t *l4;
	uint16_t cks;

	if (ip6 == NULL)
		return;
	l4 = (uint8_t *)(ip6 + 1);
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(ND_HDR_LEN + ND_OPT_LL_LEN);
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = ND_HOP_LIMIT;
	memcpy(ip6->src_addr, src, 16);
	memcpy(ip6->dst_addr, dst, 16);
	l4[0] = type;
	l4[4] = flags;
	memcpy(l4 + 8, target, 16);
	l4[ND_HDR_LEN] = type == ND_NS ? ND_OPT_SLLA : ND_OPT_TLLA;
	l4[ND_HDR_LEN + 1] = 1;
	memcpy(l4 + ND_HDR_LEN + 2, &q->port->mac, 6);
	cks = rte_ipv6_udptcp_cksum(ip6, l4);
	memcpy(l4 + 2, &cks, 2);
	eth_txq_push(q, m);
}

/* Answers an NS for target in the NS's own mbuf. */
static void
nd_answer(struct eth_queue *q, struct rte_mbuf *m, const uint8_t *peer, const uint8_t *target,
	  const struct rte_ether_addr *dst_mac, bool dad)
{
	struct rte_ether_addr mac = *dst_mac, all_mac;
	uint8_t to[16], us[16];

	memcpy(to, peer, 16);
	memcpy(us, target, 16);
	if (dad) {
		/* RFC 4861 7.2.4: to all-nodes, not solicited. */
		eth_mcast_mac(all_nodes, &all_mac);
		nd_write(q, m, us, all_nodes, &all_mac, ND_NA, NA_FLAG_OVERRIDE, us);
		return;
	}
	nd_write(q, m, us, to, &mac, ND_NA, NA_FLAG_SOLICITED | NA_FLAG_OVERRIDE, us);
}

bool
eth_nd_input(struct eth_queue *q, struct rte_mbuf *m, uint8_t *l4, uint16_t len)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eh + 1);
	static const uint8_t unspec[16];
	const struct rte_ether_addr *ll;
	bool bad = false, dad;
	uint8_t type = l4[0];

	if (len < ND_HDR_LEN || ip6->hop_limits != ND_HOP_LIMIT || l4[1] != 0 ||
	    rte_ipv6_udptcp_cksum_verify(ip6, l4) != 0 || (l4[8] == 0xff)) {
		ETH_COUNT(q, drop_bad_nd, 1);
		rte_pktmbuf_free(m);
		return true;
	}
	ll = nd_ll_option(l4 + ND_HDR_LEN, (uint16_t)(len - ND_HDR_LEN),
			  type == ND_NS ? ND_OPT_SLLA : ND_OPT_TLLA, &bad);
	if (bad) {
		ETH_COUNT(q, drop_bad_nd, 1);
		rte_pktmbuf_free(m);
		return true;
	}
	if (type == ND_NA) {
		/* An answer to our solicitation: only targets we asked about are taken. */
		if (eth_is_ours(q->port, 6, l4 + 8))
			ETH_COUNT(q, drop_bad_nd, 1); /* someone else claims our address */
		else
			ETH_COUNT(q, nd_na_in, 1);
		if (ll != NULL && !eth_is_ours(q->port, 6, l4 + 8) &&
		    eth_neigh_refresh(q, 6, l4 + 8, ll))
			ETH_COUNT(q, nd_learn, 1);
		rte_pktmbuf_free(m);
		return true;
	}
	if (!eth_is_ours(q->port, 6, l4 + 8)) {
		if (ll != NULL)
			eth_neigh_refresh(q, 6, ip6->src_addr, ll);
		return false;
	}
	dad = memcmp(ip6->src_addr, unspec, 16) == 0;
	if (dad && ll != NULL) {
		ETH_COUNT(q, drop_bad_nd, 1); /* RFC 4861 7.1.1 */
		rte_pktmbuf_free(m);
		return true;
	}
	if (ll != NULL) {
		eth_neigh_learn(q, 6, ip6->src_addr, ll, true);
		ETH_COUNT(q, nd_learn, 1);
	}
	ETH_COUNT(q, nd_ns_in, 1);
	nd_answer(q, m, ip6->src_addr, l4 + 8, ll != NULL ? ll : &eh->src_addr, dad);
	return true;
}

void
eth_nd_send_ns(struct eth_queue *q, const uint8_t *target)
{
	const uint8_t *src = eth_src_for(q->port, 6, target);
	struct rte_ether_addr mac;
	struct rte_mbuf *m;
	uint8_t group[16];

	if (src == NULL || (m = eth_mbuf_alloc(q)) == NULL)
		return;
	eth_solicited_node(target, group);
	eth_mcast_mac(group, &mac);
	ETH_COUNT(q, nd_ns_out, 1);
	nd_write(q, m, src, group, &mac, ND_NS, 0, target);
}

/* Unsolicited NA for our address to all-nodes (RFC 4861 7.2.6): neighbours update at once. */
void
eth_nd_announce(struct eth_queue *q, const uint8_t *ip)
{
	struct rte_ether_addr mac;
	struct rte_mbuf *m = eth_mbuf_alloc(q);

	if (m == NULL)
		return;
	eth_mcast_mac(all_nodes, &mac);
	ETH_COUNT(q, nd_announce, 1);
	nd_write(q, m, ip, all_nodes, &mac, ND_NA, NA_FLAG_OVERRIDE, ip);
}
