/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_inside.c - decrypted packets larger than the inside port's MTU. As a
 * router would (RFC 1812 5.2.6, RFC 8200 5): IPv4 without DF leaves in
 * fragments; IPv4 with DF and IPv6 are answered with ICMP "fragmentation
 * needed" / ICMPv6 "packet too big" announcing the inside MTU, which goes
 * back to the sender through the tunnel (dp_lcore.c encrypts it).
 *
 * Fragments come from rte_ipv4_fragment_packet: a direct mbuf of the lcore's
 * header pool holds each fragment's IP header, an indirect mbuf of its
 * attach pool points into the decrypted packet's own buffer (no copy, no
 * allocation but from the two per-lcore pools).
 */
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "dp_priv.h"

/* Fragment buffers per lcore: headers and attachments for DP_FRAG_MAX a packet, a few bursts. */
#define DP_FRAG_POOL 4095u
#define DP_FRAG_CACHE 64u
/* Room in a header mbuf: the largest IPv4 header, after the headroom for Ethernet. */
#define DP_FRAG_HDR_ROOM (RTE_PKTMBUF_HEADROOM + 64u)

int
dp_frag_pools_create(struct dp_lcore *l, int socket)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "dp_fh_%u", l->id);
	l->frag_direct = rte_pktmbuf_pool_create(name, DP_FRAG_POOL, DP_FRAG_CACHE, 0,
						 DP_FRAG_HDR_ROOM, socket);
	snprintf(name, sizeof(name), "dp_fi_%u", l->id);
	l->frag_indirect = rte_pktmbuf_pool_create(name, DP_FRAG_POOL, DP_FRAG_CACHE, 0, 0, socket);
	return l->frag_direct != NULL && l->frag_indirect != NULL ? 0 : -1;
}

void
dp_frag_pools_free(struct dp_lcore *l)
{
	rte_mempool_free(l->frag_direct);
	rte_mempool_free(l->frag_indirect);
}

const uint8_t *
dp_inside_src(const struct dp_config *cfg, bool v6)
{
	if (cfg->inside_family == (v6 ? 6 : 4))
		return cfg->inside_ip;
	return v6 && cfg->inside6 ? cfg->inside_ip6 : NULL;
}

int
dp_frag4(struct rte_mbuf *m, uint32_t mtu, struct rte_mempool *direct, struct rte_mempool *indirect,
	 struct rte_mbuf **out, unsigned max)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t hl = (uint32_t)(ip[0] & 0x0f) * 4;
	int n, i;

	/* The library wants every fragment's payload a multiple of 8 octets. */
	if (hl < 20 || mtu < hl + 8 || rte_pktmbuf_data_len(m) < hl) {
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	n = rte_ipv4_fragment_packet(m, out, (uint16_t)RTE_MIN(max, (unsigned)UINT16_MAX),
				     (uint16_t)(hl + ((mtu - hl) & ~7u)), direct, indirect);
	/* The fragments hold references of their own to the data. */
	rte_pktmbuf_free(m);
	for (i = 0; i < n; i++) {
		struct rte_ipv4_hdr *h = rte_pktmbuf_mtod(out[i], struct rte_ipv4_hdr *);

		/* The library leaves the header checksum to offload: not every inside port has it.
		 */
		h->hdr_checksum = 0;
		h->hdr_checksum = rte_ipv4_cksum(h);
		out[i]->ol_flags = 0;
	}
	return n;
}
