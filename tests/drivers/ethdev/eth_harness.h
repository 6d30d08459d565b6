/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev driver's tests in process: EAL (--no-huge --no-pci), a net_ring
 * port per test whose RX ring we fill with crafted frames and whose TX ring
 * we read back, and frame builders with their own RFC 1071 checksums (not
 * DPDK's, so the driver's checksums are checked by independent code).
 */
#ifndef ETH_HARNESS_H
#define ETH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io_eth.h"

#define H_FRAME_MAX 9216
#define H_OUT_MAX 64
#define H_COUNTERS_MAX 128

/* Addresses every test uses: we are 198.51.100.1/24 and 2001:db8::1/64. */
extern const uint8_t h_our4[4], h_peer4[4], h_other4[4], h_gw4[4], h_far4[4];
extern const uint8_t h_our6[16], h_peer6[16], h_far6[16], h_gw6[16];
extern const uint8_t h_peer_mac[6], h_gw_mac[6];

struct h_port {
	uint16_t port_id;
	unsigned nb_workers;
	struct io_dev *dev[2];
	struct rte_ring *rx, *tx;
	uint8_t mac[6];
	uint64_t base[2][H_COUNTERS_MAX]; /* driver counters right after open */
};

struct h_frame {
	uint16_t len;
	uint8_t b[H_FRAME_MAX];
};

/* EAL for the tests: --no-huge --no-pci, one lcore; -1 on failure. */
int h_eal_start(char *argv0);
void h_eal_stop(void);

/* Default driver settings for the tests (gateways set, MTU 1500). */
void h_conf(struct io_eth_conf *c, uint16_t port_id, uint16_t nb_workers);
/* A net_ring port with one queue pair and the driver opened on it for nb_workers. */
void h_open(struct h_port *p, unsigned nb_workers, const struct io_eth_conf *conf);
void h_close(struct h_port *p);

/* Queues frame bytes as a received frame. */
void h_inject(struct h_port *p, const void *frame, size_t len);
/* Runs one RX burst of worker w; its IKE packets go to pkts (the caller frees them). */
uint16_t h_rx(struct h_port *p, unsigned w, struct io_pkt **pkts);
/* Frames the driver sent, in order (at most max). */
unsigned h_sent(struct h_port *p, struct h_frame *out, unsigned max);
/*
 * One named driver counter of worker w since h_open() (which checked and
 * took the announcements of our addresses); fails the test when unknown.
 */
uint64_t h_counter(struct h_port *p, unsigned w, const char *name);
/* Every driver counter of worker w is zero except those named (NULL-terminated). */
void h_only_counters(struct h_port *p, unsigned w, const char *const *nonzero);

/* Frame builders: each returns the frame length. */
size_t h_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type);
size_t h_arp(uint8_t *f, const uint8_t *dst_mac, uint16_t op, const uint8_t *sha,
	     const uint8_t *spa, const uint8_t *tha, const uint8_t *tpa);
/* IPv4 + UDP with a correct checksum (cksum_delta added to break it). */
size_t h_udp4(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src, const uint8_t *dst,
	      uint16_t sport, uint16_t dport, const void *payload, size_t len);
size_t h_udp6(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src, const uint8_t *dst,
	      uint16_t sport, uint16_t dport, const void *payload, size_t len);
/* ICMPv6 NS (135) or NA (136) with one link-layer option (1 source, 2 target). */
size_t h_nd(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
	    const uint8_t *dst, uint8_t type, uint8_t flags, const uint8_t *target, uint8_t opt,
	    const uint8_t *ll);
/* The IPv4/IPv6 packet (from the IP header) of a frame split into fragments of at most
 * `chunk` payload octets each; returns the count. */
unsigned h_frag4(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out);
unsigned h_frag6(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out);

uint16_t h_cksum(const void *data, size_t len, uint32_t sum);
/* UDP/ICMPv6 checksum over an IPv4/IPv6 pseudo header; 0 when the packet's is right. */
uint16_t h_l4_check4(const uint8_t *ip);
uint16_t h_l4_check6(const uint8_t *ip6, uint8_t proto, const uint8_t *l4, size_t l4len);

/* The IKE-looking payload of n octets used by the tests (SPIi nonzero). */
void h_ike_payload(uint8_t *b, size_t n, uint8_t seed);

#endif
