/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_icmp.c - ICMP "fragmentation needed" (RFC 792, RFC 1191) and ICMPv6
 * "packet too big" (RFC 4443 3.2) for inside packets too big for the
 * tunnel, written in the packet's own mbuf: the error goes in front of as
 * much of the packet as it may quote, and the rest is cut off.
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dp_priv.h"

#define ICMP4_HDR 8
#define ICMP4_UNREACH 3
#define ICMP4_FRAG_NEEDED 4
#define ICMP4_QUOTE_MAX (576u - 20 - ICMP4_HDR) /* RFC 1812 4.3.2.3 */
#define ICMP6_HDR 8
#define ICMP6_TOO_BIG 2
#define ICMP6_QUOTE_MAX (1280u - 40 - ICMP6_HDR) /* RFC 4443 2.4 (c) */
#define ERR_TTL 64

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1122 3.2.2 and RFC 4443 2.4 (e): never an error about an error. */
static bool
is_icmp_error(const uint8_t *ip, uint32_t ip_len, bool v6)
{
	uint32_t hl = v6 ? 40 : (uint32_t)(ip[0] & 0x0f) * 4;

	if (ip_len <= hl)
		return false;
	if (v6)
		return ip[6] == IPPROTO_ICMPV6 && ip[hl] < 128;
	return ip[9] == IPPROTO_ICMP && ip[hl] != 0 && ip[hl] != 8 && ip[hl] != 13 && ip[hl] != 14;
}

bool
dp_icmp_too_big(const struct dp_config *cfg, struct rte_mbuf *m, uint8_t *ip, uint32_t ip_len,
		uint32_t mtu)
{
	bool v6 = ip[0] >> 4 == 6;
	uint32_t hdr = v6 ? 40 + ICMP6_HDR : 20 + ICMP4_HDR;
	uint32_t quote = RTE_MIN(ip_len, v6 ? ICMP6_QUOTE_MAX : ICMP4_QUOTE_MAX);
	uint8_t *h = ip - hdr, *ic = h + hdr - (v6 ? ICMP6_HDR : ICMP4_HDR);
	const uint8_t *src = dp_inside_src(cfg, v6);
	uint16_t cks;

	if (src == NULL || is_icmp_error(ip, ip_len, v6) ||
	    (uint32_t)(ip - (uint8_t *)m->buf_addr) < hdr + RTE_ETHER_HDR_LEN)
		return false;
	memset(h, 0, hdr);
	if (v6) {
		h[0] = 0x60;
		put16(h + 4, ICMP6_HDR + quote);
		h[6] = IPPROTO_ICMPV6;
		h[7] = ERR_TTL;
		memcpy(h + 8, src, 16);
		memcpy(h + 24, ip + 8, 16); /* back to the sender */
		ic[0] = ICMP6_TOO_BIG;
		put16(ic + 4, mtu >> 16);
		put16(ic + 6, mtu);
	} else {
		h[0] = 0x45;
		h[1] = 0xc0; /* internetwork control, as routers send errors */
		put16(h + 2, 20 + ICMP4_HDR + quote);
		h[8] = ERR_TTL;
		h[9] = IPPROTO_ICMP;
		memcpy(h + 12, src, 4);
		memcpy(h + 16, ip + 12, 4);
		ic[0] = ICMP4_UNREACH;
		ic[1] = ICMP4_FRAG_NEEDED;
		put16(ic + 6, mtu); /* next-hop MTU, RFC 1191 4 */
	}
	m->data_off = (uint16_t)(h - (uint8_t *)m->buf_addr);
	m->data_len = (uint16_t)(hdr + quote);
	m->pkt_len = hdr + quote;
	if (v6) {
		cks = rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)h, ic);
		memcpy(ic + 2, &cks, 2);
	} else {
		cks = rte_ipv4_cksum((const struct rte_ipv4_hdr *)h);
		memcpy(h + 10, &cks, 2);
		cks = (uint16_t)~rte_raw_cksum(ic, ICMP4_HDR + quote);
		memcpy(ic + 2, &cks, 2);
	}
	return true;
}
