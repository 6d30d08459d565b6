/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames for the ethdev driver's tests: Ethernet, ARP, IPv4/IPv6 + UDP,
 * ICMPv6 ND, 802.1Q tags and IP fragments, built with the tests' own RFC 1071
 * checksums (not DPDK's, so the driver's checksums are checked by
 * independent code). No DPDK here: plain bytes.
 */
#ifndef ETH_FRAMES_H
#define ETH_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define H_FRAME_MAX 9216

/* Addresses every test uses: we are 198.51.100.1/24 and 2001:db8::1/64. */
extern const uint8_t h_our4[4], h_peer4[4], h_other4[4], h_gw4[4], h_far4[4];
extern const uint8_t h_our6[16], h_peer6[16], h_far6[16], h_gw6[16];
extern const uint8_t h_peer_mac[6], h_gw_mac[6], h_bcast[6], h_zero_mac[6];
/* The solicited-node group of h_our6 and its multicast MAC. */
extern const uint8_t h_sn_our6[16], h_sn_our_mac[6];

struct h_frame {
	uint16_t len;
	uint8_t b[H_FRAME_MAX];
};

/* Network order. */
void h_put16(uint8_t *b, uint16_t v);
uint16_t h_get16(const uint8_t *b);

uint16_t h_cksum(const void *data, size_t len, uint32_t sum);
/* Sets the IPv4 header checksum anew after the header was changed. */
void h_ip4_recksum(uint8_t *ip);
/* UDP/ICMPv6 checksum over an IPv4/IPv6 pseudo header; 0 when the packet's is right. */
uint16_t h_l4_check4(const uint8_t *ip);
uint16_t h_l4_check6(const uint8_t *ip6, uint8_t proto, const uint8_t *l4, size_t l4len);

/* Frame builders: each returns the frame length (IPv4: id 0x1234, TTL 64; IPv6: hop limit 64). */
size_t h_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type);
size_t h_arp(uint8_t *f, const uint8_t *dst_mac, uint16_t op, const uint8_t *sha,
	     const uint8_t *spa, const uint8_t *tha, const uint8_t *tpa);
/* IPv4 + UDP from h_peer_mac, checksums right. */
size_t h_udp4(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src, const uint8_t *dst,
	      uint16_t sport, uint16_t dport, const void *payload, size_t len);
size_t h_udp6(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src, const uint8_t *dst,
	      uint16_t sport, uint16_t dport, const void *payload, size_t len);
/* ICMP echo request (8) or reply (0); ICMPv6 echo request (128) or reply (129). */
size_t h_echo4(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
	       const uint8_t *dst, uint8_t type, uint16_t id, uint16_t seq, const void *data,
	       size_t len);
size_t h_echo6(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
	       const uint8_t *dst, uint8_t type, uint16_t id, uint16_t seq, const void *data,
	       size_t len);
/* UDP from the peer (h_peer4 or h_peer6) to us (h_our4 or h_our6). */
size_t h_udp_to_us(uint8_t *f, uint8_t family, const uint8_t *dst_mac, uint16_t sport,
		   uint16_t dport, const void *payload, size_t len);
/* ICMPv6 NS (135) or NA (136) with one link-layer option (1 source, 2 target). */
size_t h_nd(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
	    const uint8_t *dst, uint8_t type, uint8_t flags, const uint8_t *target, uint8_t opt,
	    const uint8_t *ll);
/* The peer asks for our MAC: an ARP request (broadcast), an NS (solicited-node group). */
size_t h_arp_request_from_peer(uint8_t *f);
size_t h_ns_from_peer(uint8_t *f);
/* Inserts an 802.1Q tag with that TCI after the MAC addresses; returns the new length. */
size_t h_vlan_tag(uint8_t *f, size_t len, uint16_t tci);

/* The IPv4/IPv6 packet (from the IP header) of a frame split into fragments of at most
 * `chunk` payload octets each; returns the count. */
unsigned h_frag4(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out);
unsigned h_frag6(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out);
/* h_frag4 or h_frag6 by the frame's ethertype. */
unsigned h_frag(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out);

/* The IKE-looking payload of n octets used by the tests (SPIi nonzero). */
void h_ike_payload(uint8_t *b, size_t n, uint8_t seed);

#endif
