/* SPDX-License-Identifier: BSD-3-Clause */
/* eth_frames.c - frame builders and checksums for the ethdev driver tests. */
#include <string.h>

#include "eth_frames.h"

const uint8_t h_our4[4] = {198, 51, 100, 1};
const uint8_t h_peer4[4] = {198, 51, 100, 2};
const uint8_t h_other4[4] = {198, 51, 100, 9};
const uint8_t h_gw4[4] = {198, 51, 100, 254};
const uint8_t h_far4[4] = {203, 0, 113, 7};
const uint8_t h_our6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
const uint8_t h_peer6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
const uint8_t h_far6[16] = {0x20, 0x01, 0x0d, 0xb9, [15] = 7};
const uint8_t h_gw6[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0xff, [15] = 0xfe};
const uint8_t h_peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
const uint8_t h_gw_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xfe};
const uint8_t h_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
const uint8_t h_zero_mac[6];
const uint8_t h_sn_our6[16] = {0xff, 0x02, [11] = 0x01, 0xff, 0x00, 0x00, 0x01};
const uint8_t h_sn_our_mac[6] = {0x33, 0x33, 0xff, 0x00, 0x00, 0x01};

void
h_put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

uint16_t
h_get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

uint16_t
h_cksum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *b = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void
h_ip4_recksum(uint8_t *ip)
{
	ip[10] = ip[11] = 0;
	h_put16(ip + 10, h_cksum(ip, 20, 0));
}

static uint32_t
pseudo_sum(const uint8_t *src, const uint8_t *dst, unsigned alen, uint8_t proto, size_t l4len)
{
	uint32_t s = (uint32_t)(~h_cksum(src, alen, 0) & 0xffff);

	s += (uint32_t)(~h_cksum(dst, alen, 0) & 0xffff);
	return s + proto + (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);
}

uint16_t
h_l4_check4(const uint8_t *ip)
{
	unsigned hl = (ip[0] & 0xf) * 4u;
	size_t tot = h_get16(ip + 2);

	return h_cksum(ip + hl, tot - hl, pseudo_sum(ip + 12, ip + 16, 4, ip[9], tot - hl));
}

uint16_t
h_l4_check6(const uint8_t *ip6, uint8_t proto, const uint8_t *l4, size_t l4len)
{
	return h_cksum(l4, l4len, pseudo_sum(ip6 + 8, ip6 + 24, 16, proto, l4len));
}

size_t
h_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	h_put16(f + 12, type);
	return 14;
}

size_t
h_arp(uint8_t *f, const uint8_t *dst_mac, uint16_t op, const uint8_t *sha, const uint8_t *spa,
      const uint8_t *tha, const uint8_t *tpa)
{
	uint8_t *a = f + h_eth(f, dst_mac, sha, 0x0806);

	h_put16(a, 1);
	h_put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	h_put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	return 14 + 28;
}

/* Ethernet and IPv4 header (id 0x1234, TTL 64) for plen octets of proto; returns the IP header. */
static uint8_t *
ip4_header(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
	   const uint8_t *dst, uint8_t proto, size_t plen)
{
	uint8_t *ip = f + h_eth(f, dmac, smac, 0x0800);

	memset(ip, 0, 20);
	ip[0] = 0x45;
	h_put16(ip + 2, (uint16_t)(20 + plen));
	h_put16(ip + 4, 0x1234);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	h_put16(ip + 10, h_cksum(ip, 20, 0));
	return ip;
}

/* Ethernet and IPv6 header for plen octets of next; returns the IP header. */
static uint8_t *
ip6_header(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
	   const uint8_t *dst, uint8_t next, uint8_t hop_limit, size_t plen)
{
	uint8_t *ip = f + h_eth(f, dmac, smac, 0x86dd);

	memset(ip, 0, 40);
	ip[0] = 0x60;
	h_put16(ip + 4, (uint16_t)plen);
	ip[6] = next;
	ip[7] = hop_limit;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	return ip;
}

/* An ICMP/ICMPv6 echo header and data at ic (checksum left zero). */
static size_t
echo_body(uint8_t *ic, uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t len)
{
	memset(ic, 0, 8);
	ic[0] = type;
	h_put16(ic + 4, id);
	h_put16(ic + 6, seq);
	memcpy(ic + 8, data, len);
	return 8 + len;
}

size_t
h_udp4(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src, const uint8_t *dst, uint16_t sport,
       uint16_t dport, const void *payload, size_t len)
{
	uint8_t *ip = ip4_header(f, dst_mac, h_peer_mac, src, dst, 17, 8 + len), *u = ip + 20;

	memset(u, 0, 8);
	h_put16(u, sport);
	h_put16(u + 2, dport);
	h_put16(u + 4, (uint16_t)(8 + len));
	memcpy(u + 8, payload, len);
	h_put16(u + 6, h_l4_check4(ip));
	if (u[6] == 0 && u[7] == 0)
		u[6] = u[7] = 0xff;
	return 14 + 28 + len;
}

size_t
h_udp6(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src, const uint8_t *dst, uint16_t sport,
       uint16_t dport, const void *payload, size_t len)
{
	uint8_t *ip = ip6_header(f, dst_mac, h_peer_mac, src, dst, 17, 64, 8 + len), *u = ip + 40;
	uint16_t ck;

	memset(u, 0, 8);
	h_put16(u, sport);
	h_put16(u + 2, dport);
	h_put16(u + 4, (uint16_t)(8 + len));
	memcpy(u + 8, payload, len);
	ck = h_l4_check6(ip, 17, u, 8 + len);
	h_put16(u + 6, ck == 0 ? 0xffff : ck);
	return 14 + 48 + len;
}

size_t
h_echo4(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
	const uint8_t *dst, uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t len)
{
	uint8_t *ic = ip4_header(f, dmac, smac, src, dst, 1, 8 + len) + 20;

	echo_body(ic, type, id, seq, data, len);
	h_put16(ic + 2, h_cksum(ic, 8 + len, 0));
	return 14 + 20 + 8 + len;
}

size_t
h_echo6(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
	const uint8_t *dst, uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t len)
{
	uint8_t *ip = ip6_header(f, dmac, smac, src, dst, 58, 64, 8 + len), *ic = ip + 40;

	echo_body(ic, type, id, seq, data, len);
	h_put16(ic + 2, h_l4_check6(ip, 58, ic, 8 + len));
	return 14 + 40 + 8 + len;
}

size_t
h_udp_to_us(uint8_t *f, uint8_t family, const uint8_t *dst_mac, uint16_t sport, uint16_t dport,
	    const void *payload, size_t len)
{
	if (family == 4)
		return h_udp4(f, dst_mac, h_peer4, h_our4, sport, dport, payload, len);
	return h_udp6(f, dst_mac, h_peer6, h_our6, sport, dport, payload, len);
}

size_t
h_nd(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src, const uint8_t *dst,
     uint8_t type, uint8_t flags, const uint8_t *target, uint8_t opt, const uint8_t *ll)
{
	uint8_t *ip = ip6_header(f, dmac, smac, src, dst, 58, 255, 32), *l4 = ip + 40;

	memset(l4, 0, 32);
	l4[0] = type;
	l4[4] = flags;
	memcpy(l4 + 8, target, 16);
	l4[24] = opt;
	l4[25] = 1;
	memcpy(l4 + 26, ll, 6);
	h_put16(l4 + 2, h_l4_check6(ip, 58, l4, 32));
	return 14 + 40 + 32;
}

size_t
h_arp_request_from_peer(uint8_t *f)
{
	return h_arp(f, h_bcast, 1, h_peer_mac, h_peer4, h_zero_mac, h_our4);
}

size_t
h_ns_from_peer(uint8_t *f)
{
	return h_nd(f, h_sn_our_mac, h_peer_mac, h_peer6, h_sn_our6, 135, 0, h_our6, 1, h_peer_mac);
}

size_t
h_vlan_tag(uint8_t *f, size_t len, uint16_t tci)
{
	memmove(f + 16, f + 12, len - 12);
	h_put16(f + 12, 0x8100);
	h_put16(f + 14, tci);
	return len + 4;
}

unsigned
h_frag4(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out)
{
	const uint8_t *ip = frame + 14;
	size_t l4len = len - 14 - 20, off;
	unsigned n = 0;
	uint16_t c;

	for (off = 0; off < l4len; off += c, n++) {
		uint8_t *f = out[n].b, *fip = f + 14;

		c = (uint16_t)(l4len - off < chunk ? l4len - off : chunk);
		memcpy(f, frame, 14 + 20);
		h_put16(fip + 2, (uint16_t)(20 + c));
		h_put16(fip + 6, (uint16_t)((off >> 3) | (off + c < l4len ? 0x2000 : 0)));
		h_ip4_recksum(fip);
		memcpy(fip + 20, ip + 20 + off, c);
		out[n].len = (uint16_t)(14 + 20 + c);
	}
	return n;
}

unsigned
h_frag6(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out)
{
	const uint8_t *ip = frame + 14;
	size_t l4len = len - 14 - 40, off;
	unsigned n = 0;
	uint16_t c;

	for (off = 0; off < l4len; off += c, n++) {
		uint8_t *f = out[n].b, *fip = f + 14, *fh = fip + 40;

		c = (uint16_t)(l4len - off < chunk ? l4len - off : chunk);
		memcpy(f, frame, 14 + 40);
		h_put16(fip + 4, (uint16_t)(8 + c));
		fip[6] = 44;
		fh[0] = ip[6];
		fh[1] = 0;
		h_put16(fh + 2, (uint16_t)(off | (off + c < l4len ? 1 : 0)));
		fh[4] = 0xca;
		fh[5] = 0xfe;
		fh[6] = 0x00;
		fh[7] = 0x01;
		memcpy(fh + 8, ip + 40 + off, c);
		out[n].len = (uint16_t)(14 + 48 + c);
	}
	return n;
}

unsigned
h_frag(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out)
{
	if (h_get16(frame + 12) == 0x0800)
		return h_frag4(frame, len, chunk, out);
	return h_frag6(frame, len, chunk, out);
}

void
h_ike_payload(uint8_t *b, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 7 + 1);
}
