/* SPDX-License-Identifier: BSD-3-Clause */
/* eth_addr.c - our addresses, on-link prefixes, next hops, IPv6 multicast forms. */
#include <string.h>

#include "eth_priv.h"

static unsigned
ip_len(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

static bool
prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((a[whole] ^ b[whole]) & mask) == 0;
}

bool
eth_is_ours(const struct eth_port *pt, uint8_t family, const uint8_t *ip)
{
	unsigned i;

	for (i = 0; i < pt->conf.nb_addrs; i++)
		if (pt->conf.addrs[i].family == family &&
		    memcmp(pt->conf.addrs[i].ip, ip, ip_len(family)) == 0)
			return true;
	return false;
}

const uint8_t *
eth_src_for(const struct eth_port *pt, uint8_t family, const uint8_t *dst)
{
	const uint8_t *first = NULL;
	unsigned i;

	for (i = 0; i < pt->conf.nb_addrs; i++) {
		if (pt->conf.addrs[i].family != family)
			continue;
		if (prefix_match(pt->conf.addrs[i].ip, dst, pt->conf.addrs[i].len))
			return pt->conf.addrs[i].ip;
		if (first == NULL)
			first = pt->conf.addrs[i].ip;
	}
	return first;
}

const uint8_t *
eth_next_hop(const struct eth_port *pt, uint8_t family, const uint8_t *ip)
{
	static const uint8_t zero[16];
	const uint8_t *gw = family == 4 ? pt->conf.gateway4 : pt->conf.gateway6;
	unsigned i;

	for (i = 0; i < pt->conf.nb_addrs; i++)
		if (pt->conf.addrs[i].family == family &&
		    prefix_match(pt->conf.addrs[i].ip, ip, pt->conf.addrs[i].len))
			return ip;
	/* IPv6 link-local peers are always on-link. */
	if (family == 6 && ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80)
		return ip;
	return memcmp(gw, zero, ip_len(family)) != 0 ? gw : NULL;
}

/* RFC 4291 2.7.1: ff02::1:ffXX:XXXX from the low 24 bits. */
void
eth_solicited_node(const uint8_t *ip, uint8_t out[16])
{
	static const uint8_t pfx[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};

	memcpy(out, pfx, sizeof(pfx));
	memcpy(out + 13, ip + 13, 3);
}

/* RFC 2464 7: 33:33 and the low 32 bits of the group. */
void
eth_mcast_mac(const uint8_t *ip6, struct rte_ether_addr *mac)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], ip6 + 12, 4);
}
