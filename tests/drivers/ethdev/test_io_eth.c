/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev driver's L2/L3 on a net_ring port with crafted frames: ARP
 * (answer, learn, resolve, gateway), IPv6 ND (NS/NA, solicited-node
 * groups), ICMP/ICMPv6 echo, IKE on 500 and 4500 (marker, keepalive, ESP),
 * checksums, VLAN and foreign frames, two workers sharing a queue
 * (neighbour sync and TX relay). Every test checks the exact bytes sent
 * and the exact counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "eth_harness.h"

static struct h_frame out[H_OUT_MAX];

/* An IPv4/UDP frame from us to dst_mac/peer with that payload, checksums right. */
static void
check_udp4(const struct h_frame *f, const struct h_port *p, const uint8_t *dst_mac,
	   const uint8_t *peer, uint16_t sport, uint16_t dport, const uint8_t *payload,
	   uint16_t len, bool marker)
{
	const uint8_t *ip = f->b + 14, *u = ip + 20;
	uint16_t m = marker ? 4 : 0;

	assert_int_equal(f->len, 14 + 20 + 8 + m + len);
	assert_memory_equal(f->b, dst_mac, 6);
	assert_memory_equal(f->b + 6, p->mac, 6);
	assert_int_equal(h_get16(f->b + 12), 0x0800);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(h_get16(ip + 2), 20 + 8 + m + len);
	assert_int_equal(h_get16(ip + 6), 0); /* no DF, not a fragment */
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], 17);
	assert_int_equal(h_cksum(ip, 20, 0), 0);
	assert_memory_equal(ip + 12, h_our4, 4);
	assert_memory_equal(ip + 16, peer, 4);
	assert_int_equal(h_get16(u), sport);
	assert_int_equal(h_get16(u + 2), dport);
	assert_int_equal(h_get16(u + 4), 8 + m + len);
	assert_int_not_equal(h_get16(u + 6), 0);
	assert_int_equal(h_l4_check4(ip), 0);
	if (marker)
		assert_memory_equal(u + 8, "\0\0\0\0", 4);
	assert_memory_equal(u + 8 + m, payload, len);
}

static void
test_arp_request_answered(void **state)
{
	const char *const nz[] = {"rx_frames", "tx_frames", "arp_request_in", "arp_learn", NULL};
	uint8_t f[64], want[64], pl[40];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	n = h_arp_request_from_peer(f);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	n = h_arp(want, h_peer_mac, 2, p.mac, h_our4, h_peer_mac, h_peer4);
	assert_int_equal(out[0].len, n);
	assert_memory_equal(out[0].b, want, n);
	assert_int_equal(h_counter(&p, 0, "arp_request_in"), 1);
	assert_int_equal(h_counter(&p, 0, "arp_learn"), 1);
	assert_int_equal(h_counter(&p, 0, "rx_frames"), 1);
	assert_int_equal(h_counter(&p, 0, "tx_frames"), 1);
	h_only_counters(&p, 0, nz);
	/* The sender was learnt: a reply goes straight out, no ARP request. */
	h_ike_payload(pl, sizeof(pl), 3);
	assert_int_equal(h_send_reply(&p, 0, 4, h_peer4, 500, 40000, pl, sizeof(pl), 0), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	check_udp4(&out[0], &p, h_peer_mac, h_peer4, 500, 40000, pl, sizeof(pl), false);
	assert_int_equal(h_counter(&p, 0, "arp_request_out"), 0);
	assert_int_equal(p.dev[0]->stats.tx_pkts, 1);
	h_close(&p);
}

static void
test_arp_other_and_malformed(void **state)
{
	const char *const nz[] = {"rx_frames", "drop_arp_other", "drop_bad_arp", NULL};
	uint8_t f[64];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	n = h_arp(f, h_bcast, 1, h_peer_mac, h_peer4, h_zero_mac, h_other4);
	h_inject(&p, f, n);
	n = h_arp_request_from_peer(f);
	f[14 + 4] = 8; /* hardware address length */
	h_inject(&p, f, n);
	h_inject(&p, f, 20); /* truncated */
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 0);
	assert_int_equal(h_counter(&p, 0, "drop_arp_other"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_bad_arp"), 2);
	assert_int_equal(h_counter(&p, 0, "rx_frames"), 3);
	h_only_counters(&p, 0, nz);
	h_close(&p);
}

/* A reply to an unknown on-link peer: dropped, ARP request out; the answer makes it work. */
static void
test_arp_resolution(void **state)
{
	uint8_t f[64], want[64] = {0}, pl[33];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	h_ike_payload(pl, sizeof(pl), 9);
	assert_int_equal(h_send_reply(&p, 0, 4, h_peer4, 4500, 4500, pl, sizeof(pl), 0), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	h_arp(want, h_bcast, 1, p.mac, h_our4, h_zero_mac, h_peer4);
	assert_int_equal(out[0].len, 60); /* padded to the Ethernet minimum */
	assert_memory_equal(out[0].b, want, 60);
	assert_int_equal(h_counter(&p, 0, "tx_unresolved"), 1);
	assert_int_equal(h_counter(&p, 0, "arp_request_out"), 1);
	assert_int_equal(p.dev[0]->stats.tx_errors, 1);
	/* Within a second: no second request. */
	assert_int_equal(h_send_reply(&p, 0, 4, h_peer4, 4500, 4500, pl, sizeof(pl), 0), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 0);
	assert_int_equal(h_counter(&p, 0, "arp_request_out"), 1);
	n = h_arp(f, p.mac, 2, h_peer_mac, h_peer4, p.mac, h_our4);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_counter(&p, 0, "arp_reply_in"), 1);
	assert_int_equal(
		h_send_reply(&p, 0, 4, h_peer4, 4500, 4500, pl, sizeof(pl), IO_PKT_F_NONESP_MARKER),
		1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	check_udp4(&out[0], &p, h_peer_mac, h_peer4, 4500, 4500, pl, sizeof(pl), true);
	/* Off-link: the gateway is asked for, and its MAC carries the reply. */
	assert_int_equal(h_send_reply(&p, 0, 4, h_far4, 500, 500, pl, sizeof(pl), 0), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_memory_equal(out[0].b + 14 + 24, h_gw4, 4);
	n = h_arp(f, p.mac, 2, h_gw_mac, h_gw4, p.mac, h_our4);
	h_inject(&p, f, n);
	h_rx(&p, 0, NULL);
	assert_int_equal(h_send_reply(&p, 0, 4, h_far4, 500, 500, pl, sizeof(pl), 0), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	check_udp4(&out[0], &p, h_gw_mac, h_far4, 500, 500, pl, sizeof(pl), false);
	assert_int_equal(h_counter(&p, 0, "arp_request_out"), 2);
	assert_int_equal(h_counter(&p, 0, "arp_reply_in"), 2);
	assert_int_equal(h_counter(&p, 0, "tx_unresolved"), 3);
	h_close(&p);
}

static void
test_no_route_without_gateway(void **state)
{
	struct io_eth_conf c;
	uint8_t pl[30];
	struct h_port p;

	(void)state;
	h_conf(&c, 0, 1);
	memset(c.gateway4, 0, 4);
	h_open(&p, 1, &c);
	h_ike_payload(pl, sizeof(pl), 1);
	assert_int_equal(h_send_reply(&p, 0, 4, h_far4, 500, 500, pl, sizeof(pl), 0), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 0);
	assert_int_equal(h_counter(&p, 0, "tx_no_route"), 1);
	assert_int_equal(h_counter(&p, 0, "arp_request_out"), 0);
	h_close(&p);
}

static void
test_nd_ns_answered(void **state)
{
	const char *const nz[] = {"rx_frames", "tx_frames",   "nd_ns_in",
				  "nd_learn",  "drop_bad_nd", NULL};
	uint8_t f[128], want[128], pl[50];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	n = h_ns_from_peer(f);
	h_inject(&p, f, n);
	f[14 + 7] = 64; /* hop limit must be 255 */
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	n = h_nd(want, h_peer_mac, p.mac, h_our6, h_peer6, 136, 0x60, h_our6, 2, p.mac);
	assert_int_equal(out[0].len, n);
	assert_memory_equal(out[0].b, want, n);
	assert_int_equal(h_counter(&p, 0, "nd_ns_in"), 1);
	assert_int_equal(h_counter(&p, 0, "nd_learn"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_bad_nd"), 1);
	h_only_counters(&p, 0, nz);
	/* Learnt: an IKE reply over IPv6 goes straight out. */
	h_ike_payload(pl, sizeof(pl), 5);
	assert_int_equal(h_send_reply(&p, 0, 6, h_peer6, 500, 500, pl, sizeof(pl), 0), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_int_equal(out[0].len, 14 + 40 + 8 + sizeof(pl));
	assert_memory_equal(out[0].b, h_peer_mac, 6);
	assert_int_equal(out[0].b[14 + 6], 17);
	assert_int_equal(h_l4_check6(out[0].b + 14, 17, out[0].b + 54, 8 + sizeof(pl)), 0);
	assert_memory_equal(out[0].b + 14 + 48, pl, sizeof(pl));
	h_close(&p);
}

static void
test_nd_resolution(void **state)
{
	const uint8_t sn_peer[16] = {0xff, 0x02, [11] = 0x01, 0xff, 0x00, 0x00, 0x02};
	const uint8_t sn_mac[6] = {0x33, 0x33, 0xff, 0x00, 0x00, 0x02};
	uint8_t f[128], want[128], pl[20];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	h_ike_payload(pl, sizeof(pl), 2);
	assert_int_equal(h_send_reply(&p, 0, 6, h_peer6, 500, 500, pl, sizeof(pl), 0), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	n = h_nd(want, sn_mac, p.mac, h_our6, sn_peer, 135, 0, h_peer6, 1, p.mac);
	assert_int_equal(out[0].len, n);
	assert_memory_equal(out[0].b, want, n);
	assert_int_equal(h_counter(&p, 0, "nd_ns_out"), 1);
	n = h_nd(f, p.mac, h_peer_mac, h_peer6, h_our6, 136, 0x60, h_peer6, 2, h_peer_mac);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_counter(&p, 0, "nd_na_in"), 1);
	assert_int_equal(h_counter(&p, 0, "nd_learn"), 1);
	assert_int_equal(h_send_reply(&p, 0, 6, h_peer6, 500, 500, pl, sizeof(pl), 0), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_memory_equal(out[0].b, h_peer_mac, 6);
	h_close(&p);
}

static void
test_icmp_echo(void **state)
{
	const char *const nz[] = {"rx_frames", "tx_frames", "arp_request_in",
				  "arp_learn", "icmp_echo", "icmp6_echo",
				  "nd_ns_in",  "nd_learn",  NULL};
	uint8_t f[256], want[256], data[32];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	/* IPv4: 8-octet header and 32 octets of data. */
	for (int i = 0; i < 32; i++)
		data[i] = (uint8_t)i;
	n = h_echo4(f, p.mac, h_peer_mac, h_peer4, h_our4, 8, 0x4242, 7, data, 32);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	n = h_echo4(want, h_peer_mac, p.mac, h_our4, h_peer4, 0, 0x4242, 7, data, 32);
	assert_int_equal(out[0].len, n);
	assert_memory_equal(out[0].b, want, n);
	assert_int_equal(h_counter(&p, 0, "icmp_echo"), 1);

	/* IPv6: needs the peer's MAC first (NS), then the echo. */
	h_learn_peer(&p, 6);
	n = h_echo6(f, p.mac, h_peer_mac, h_peer6, h_our6, 128, 0x77, 1, "pingpong", 8);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	n = h_echo6(want, h_peer_mac, p.mac, h_our6, h_peer6, 129, 0x77, 1, "pingpong", 8);
	assert_int_equal(out[0].len, n);
	assert_memory_equal(out[0].b, want, n);
	assert_int_equal(h_counter(&p, 0, "icmp6_echo"), 1);
	h_only_counters(&p, 0, nz);
	h_close(&p);
}

/* IKE on 500 (no marker there, even on four zero octets) and 4500 (marker, keepalive, ESP). */
static void
test_ike_ports(void **state)
{
	uint8_t f[512], pl[100];
	struct io_pkt *pk[32];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	h_ike_payload(pl, sizeof(pl), 4);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 40001, 500, pl, sizeof(pl));
	h_inject(&p, f, n);
	memset(pl, 0, 4); /* an SPIi starting with zeros: still IKE on 500 */
	n = h_udp4(f, p.mac, h_peer4, h_our4, 40002, 500, pl, sizeof(pl));
	h_inject(&p, f, n);
	n = h_udp6(f, p.mac, h_peer6, h_our6, 40003, 500, pl, sizeof(pl));
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, pk), 3);
	assert_int_equal(pk[0]->len, sizeof(pl));
	assert_int_equal(pk[0]->port_kind, IO_PORT_IKE);
	assert_int_equal(pk[0]->flags, 0);
	assert_int_equal(pk[0]->remote.family, 4);
	assert_int_equal(pk[0]->remote.port, 40001);
	assert_int_equal(pk[0]->local.port, 500);
	assert_memory_equal(pk[0]->remote.ip, h_peer4, 4);
	assert_memory_equal(pk[0]->local.ip, h_our4, 4);
	assert_int_equal(pk[0]->data[0], 4 + 1);
	assert_int_equal(pk[1]->len, sizeof(pl));
	assert_memory_equal(pk[1]->data, pl, sizeof(pl));
	assert_int_equal(pk[2]->remote.family, 6);
	assert_memory_equal(pk[2]->remote.ip, h_peer6, 16);
	assert_memory_equal(pk[2]->local.ip, h_our6, 16);
	assert_memory_equal(pk[2]->data, pl, sizeof(pl));
	for (int i = 0; i < 3; i++)
		io_free(p.dev[0], pk[i]);

	/* 4500: marker stripped and flagged; keepalive and ESP counted. */
	n = h_udp4(f, p.mac, h_peer4, h_our4, 4500, 4500, pl, sizeof(pl));
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 4500, 4500, "\xff", 1);
	h_inject(&p, f, n);
	h_ike_payload(pl, sizeof(pl), 8);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 4500, 4500, pl, sizeof(pl));
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 4500, 4500, "\0\0", 2);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, pk), 1);
	assert_int_equal(pk[0]->port_kind, IO_PORT_NATT);
	assert_int_equal(pk[0]->flags, IO_PKT_F_NONESP_MARKER);
	assert_int_equal(pk[0]->len, sizeof(pl) - 4);
	assert_int_equal(pk[0]->data[0], 4 + 4 * 7 + 1);
	io_free(p.dev[0], pk[0]);
	assert_int_equal(p.dev[0]->stats.natt_keepalive, 1);
	assert_int_equal(p.dev[0]->stats.esp, 1);
	assert_int_equal(p.dev[0]->stats.rx_runt, 1);
	assert_int_equal(p.dev[0]->stats.rx_pkts, 4);
	h_close(&p);
}

static void
test_checksums(void **state)
{
	const char *const nz[] = {"rx_frames", "drop_ip_csum", "drop_udp_csum", NULL};
	uint8_t f[512], pl[64];
	struct io_pkt *pk[32];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	h_ike_payload(pl, sizeof(pl), 1);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	f[14 + 10] ^= 1; /* IP header checksum */
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	f[14 + 20 + 6] ^= 1; /* UDP checksum */
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	f[n - 1] ^= 0x80; /* payload */
	h_inject(&p, f, n);
	n = h_udp6(f, p.mac, h_peer6, h_our6, 500, 500, pl, sizeof(pl));
	f[14 + 40 + 6] = f[14 + 40 + 7] = 0; /* IPv6 UDP without checksum */
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	f[14 + 20 + 6] = f[14 + 20 + 7] = 0; /* IPv4 UDP without checksum: taken */
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, pk), 1);
	io_free(p.dev[0], pk[0]);
	assert_int_equal(h_counter(&p, 0, "drop_ip_csum"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_udp_csum"), 3);
	h_only_counters(&p, 0, nz);
	h_close(&p);
}

/* The partial form a sender on this host leaves: the pseudo-header sum alone. */
static void
make_partial4(uint8_t *f)
{
	const uint8_t *ip = f + 14;
	uint8_t *u = f + 14 + 20;
	uint16_t len = h_get16(u + 4);
	uint32_t sum = 17u + len;

	for (int i = 12; i < 20; i += 2)
		sum += h_get16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	h_put16(u + 6, (uint16_t)sum);
}

/* With partial checksums allowed (af_packet, af_xdp), that form is taken and counted. */
static void
test_partial_checksum(void **state)
{
	const char *const nz[] = {"rx_frames", "rx_csum_partial", "drop_udp_csum", NULL};
	uint8_t f[512], pl[64];
	struct io_eth_conf c;
	struct io_pkt *pk[32];
	struct h_port p;
	size_t n;

	(void)state;
	h_conf(&c, 0, 1);
	c.partial_csum = true;
	h_open(&p, 1, &c);
	h_ike_payload(pl, sizeof(pl), 17);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	make_partial4(f);
	h_inject(&p, f, n);
	f[14 + 20 + 7] ^= 1; /* neither right nor partial */
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, pk), 1);
	assert_memory_equal(pk[0]->data, pl, sizeof(pl));
	io_free(p.dev[0], pk[0]);
	assert_int_equal(h_counter(&p, 0, "rx_csum_partial"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_udp_csum"), 1);
	h_only_counters(&p, 0, nz);
	h_close(&p);
	/* Off (net_ring's default): the same frame is a checksum error. */
	h_open(&p, 1, NULL);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	make_partial4(f);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	assert_int_equal(h_counter(&p, 0, "drop_udp_csum"), 1);
	h_close(&p);
}

static void
test_foreign_frames(void **state)
{
	const char *const nz[] = {"rx_frames",	   "drop_vlan",	    "drop_other_mac",
				  "drop_not_ours", "drop_udp_port", "drop_ethertype",
				  "drop_proto",	   "drop_bad_ip",   NULL};
	const uint8_t other_mac[6] = {0x02, 9, 9, 9, 9, 9};
	uint8_t f[512], pl[64];
	struct h_port p;
	size_t n;

	(void)state;
	h_open(&p, 1, NULL);
	h_ike_payload(pl, sizeof(pl), 1);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	n = h_vlan_tag(f, n, 5);
	h_inject(&p, f, n);
	n = h_udp4(f, other_mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_other4, 500, 500, pl, sizeof(pl));
	h_inject(&p, f, n);
	n = h_udp6(f, p.mac, h_peer6, h_far6, 500, 500, pl, sizeof(pl));
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 53, pl, sizeof(pl));
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	h_put16(f + 12, 0x88cc); /* LLDP */
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	f[14 + 9] = 6; /* TCP */
	h_ip4_recksum(f + 14);
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	h_put16(f + 14 + 2, 2000); /* IP total length beyond the frame: truncated */
	h_ip4_recksum(f + 14);
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 500, 500, pl, sizeof(pl));
	f[14] = 0x44; /* header length 16 */
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 0);
	assert_int_equal(h_counter(&p, 0, "rx_frames"), 9);
	assert_int_equal(h_counter(&p, 0, "drop_bad_ip"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_vlan"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_other_mac"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_not_ours"), 2);
	assert_int_equal(h_counter(&p, 0, "drop_udp_port"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_ethertype"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_proto"), 1);
	assert_int_equal(p.dev[0]->stats.rx_truncated, 1);
	h_only_counters(&p, 0, nz);
	h_close(&p);
}

/* [net] vlan = 5: tagged 5 is ours (answered tagged), untagged and VLAN 6 are not. */
static void
test_vlan(void **state)
{
	const char *const nz[] = {"rx_frames", "tx_frames", "arp_request_in",
				  "arp_learn", "drop_vlan", NULL};
	uint8_t f[512], want[128], pl[64];
	struct io_eth_conf c;
	struct io_pkt *pk[32];
	struct h_port p;
	size_t n;

	(void)state;
	h_conf(&c, 0, 1);
	c.vlan = 5;
	h_open(&p, 1, &c);
	n = h_arp_request_from_peer(f);
	n = h_vlan_tag(f, n, 5);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	n = h_arp(want, h_peer_mac, 2, p.mac, h_our4, h_peer_mac, h_peer4);
	n = h_vlan_tag(want, n, 5);
	assert_int_equal(out[0].len, n);
	assert_memory_equal(out[0].b, want, n);
	h_ike_payload(pl, sizeof(pl), 15);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 40000, 500, pl, sizeof(pl));
	n = h_vlan_tag(f, n, 0x2005); /* priority 1, VLAN 5 */
	h_inject(&p, f, n);
	n = h_udp4(f, p.mac, h_peer4, h_our4, 40000, 500, pl, sizeof(pl));
	h_inject(&p, f, n); /* untagged */
	n = h_vlan_tag(f, n, 6);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, pk), 1);
	assert_int_equal(pk[0]->len, sizeof(pl));
	assert_memory_equal(pk[0]->data, pl, sizeof(pl));
	io_free(p.dev[0], pk[0]);
	assert_int_equal(h_send_reply(&p, 0, 4, h_peer4, 500, 40000, pl, sizeof(pl), 0), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_int_equal(h_get16(out[0].b + 12), 0x8100);
	assert_int_equal(h_get16(out[0].b + 14), 5);
	/* Without the tag it is the frame an untagged port sends. */
	memmove(out[0].b + 12, out[0].b + 16, out[0].len - 16u);
	out[0].len = (uint16_t)(out[0].len - 4);
	check_udp4(&out[0], &p, h_peer_mac, h_peer4, 500, 40000, pl, sizeof(pl), false);
	assert_int_equal(h_counter(&p, 0, "drop_vlan"), 2);
	assert_int_equal(h_counter(&p, 0, "rx_frames"), 4);
	h_only_counters(&p, 0, nz);
	h_close(&p);
}

/*
 * Two workers on a one-queue port: worker 0 owns the queue; worker 1 learns
 * the peer's MAC through worker 0's neighbour ring and sends through its relay.
 */
static void
test_two_workers(void **state)
{
	uint8_t pl[48];
	struct h_port p;

	(void)state;
	h_open(&p, 2, NULL);
	assert_int_equal(p.dev[0]->flags & IO_DEV_F_SPREADS, 0);
	h_learn_peer(&p, 4);
	h_ike_payload(pl, sizeof(pl), 6);
	assert_int_equal(h_rx(&p, 1, NULL), 0); /* drains the neighbour ring */
	assert_int_equal(h_counter(&p, 1, "neigh_sync_in"), 1);
	assert_int_equal(h_send_reply(&p, 1, 4, h_peer4, 500, 41000, pl, sizeof(pl), 0), 1);
	assert_int_equal(h_counter(&p, 1, "tx_relay"), 1);
	assert_int_equal(h_counter(&p, 1, "arp_request_out"), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 0);
	assert_int_equal(h_rx(&p, 0, NULL), 0); /* worker 0 sends the relayed frame */
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	check_udp4(&out[0], &p, h_peer_mac, h_peer4, 500, 41000, pl, sizeof(pl), false);
	assert_int_equal(h_counter(&p, 0, "tx_frames"), 2);
	h_close(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request_answered),
		cmocka_unit_test(test_arp_other_and_malformed),
		cmocka_unit_test(test_arp_resolution),
		cmocka_unit_test(test_no_route_without_gateway),
		cmocka_unit_test(test_nd_ns_answered),
		cmocka_unit_test(test_nd_resolution),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_ike_ports),
		cmocka_unit_test(test_checksums),
		cmocka_unit_test(test_partial_checksum),
		cmocka_unit_test(test_foreign_frames),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_two_workers),
	};

	return cmocka_run_group_tests(tests, h_eal_setup, h_eal_teardown);
}
