/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev driver as the ESP data path's inside port and as the carrier
 * of its ESP, on net_ring ports with crafted frames:
 * - inside (ike_port 0, transit_input set): ARP and ND for our inside
 *   address answered; IP to our MAC for other addresses handed to the data
 *   path with TTL / hop limit decremented (checksum still right), TTL 1
 *   dropped, broadcast frames and UDP to us not taken;
 * - io_eth_send_ip: next hop on-link or the gateway, ARP / NS when unknown
 *   (packet dropped, counted), then the exact frame once learnt;
 * - outside: ESP frames larger than the MTU on the relay ring leave as
 *   IPv4 / IPv6 fragments that the test puts back together; those without
 *   a destination MAC get the next hop's from ARP; fragmented ESP
 *   (IP protocol 50 and UDP 4500) is reassembled before it reaches the
 *   data path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "eth_harness.h"

#define BIG 3000
#define CHUNK 1232

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t zero_mac[6];
static struct h_frame out[H_OUT_MAX], frags[H_OUT_MAX];
static uint8_t frame[H_FRAME_MAX], payload[BIG];

/* What the callbacks were given (whole frames, copied), in order. */
static struct h_frame got[8];
static unsigned nb_got;

static uint16_t
get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void
take(void *arg, uint16_t worker, struct rte_mbuf *m)
{
	(void)arg;
	assert_int_equal(worker, 0);
	assert_true(nb_got < 8);
	assert_int_equal(m->nb_segs, 1);
	got[nb_got].len = rte_pktmbuf_data_len(m);
	memcpy(got[nb_got++].b, rte_pktmbuf_mtod(m, void *), rte_pktmbuf_data_len(m));
	rte_pktmbuf_free(m);
}

/* The inside port: our address 198.51.100.1/24 and 2001:db8::1/64, nothing above IP. */
static void
open_inside(struct h_port *p)
{
	struct io_eth_conf c;

	h_conf(&c, 0, 1);
	c.ike_port = 0;
	c.natt_port = 0;
	c.transit_input = take;
	h_open(p, 1, &c);
	nb_got = 0;
}

/* An IPv4 / IPv6 packet in an mbuf of the port's pool, data at the IP header. */
static struct rte_mbuf *
ip_mbuf(struct h_port *p, const uint8_t *src, const uint8_t *dst, bool v6, size_t *len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(io_eth_mempool(p->dev[0]));
	size_t n;
	void *d;

	assert_non_null(m);
	h_ike_payload(payload, 100, 3);
	n = v6 ? h_udp6(frame, p->mac, src, dst, 4000, 5000, payload, 100)
	       : h_udp4(frame, p->mac, src, dst, 4000, 5000, payload, 100);
	*len = n - 14;
	d = rte_pktmbuf_append(m, (uint16_t)*len);
	assert_non_null(d);
	memcpy(d, frame + 14, *len);
	return m;
}

static void
test_inside_arp_nd_answered(void **state)
{
	uint8_t f[128];
	struct h_port p;
	size_t n;

	(void)state;
	open_inside(&p);
	n = h_arp(f, bcast, 1, h_peer_mac, h_peer4, zero_mac, h_our4);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_memory_equal(out[0].b, h_peer_mac, 6);
	assert_int_equal(get16(out[0].b + 20), 2); /* ARP reply */
	assert_memory_equal(out[0].b + 22, p.mac, 6);
	assert_memory_equal(out[0].b + 28, h_our4, 4);
	{
		uint8_t sn[16] = {0xff,
				  0x02,
				  [11] = 1,
				  [12] = 0xff,
				  [13] = h_our6[13],
				  [14] = h_our6[14],
				  [15] = h_our6[15]};
		uint8_t sn_mac[6] = {0x33, 0x33, 0xff, h_our6[13], h_our6[14], h_our6[15]};

		n = h_nd(f, sn_mac, h_peer_mac, h_peer6, sn, 135, 0, h_our6, 1, h_peer_mac);
	}
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_int_equal(out[0].b[14 + 40], 136); /* NA */
	assert_memory_equal(out[0].b + 14 + 40 + 8, h_our6, 16);
	assert_int_equal(nb_got, 0);
	assert_int_equal(h_counter(&p, 0, "arp_request_in"), 1);
	assert_int_equal(h_counter(&p, 0, "nd_ns_in"), 1);
	h_close(&p);
}

static void
test_inside_transit(void **state)
{
	struct io_pkt *pk[4];
	struct h_port p;
	size_t n;

	(void)state;
	open_inside(&p);
	h_ike_payload(payload, 200, 5);
	/* Routed through us: to our MAC, for an address that is not ours. */
	n = h_udp4(frame, p.mac, h_peer4, h_far4, 4000, 5000, payload, 200);
	h_inject(&p, frame, n);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	assert_int_equal(nb_got, 1);
	assert_int_equal(got[0].len, n);
	assert_int_equal(got[0].b[14 + 8], 63);		    /* TTL 64 - 1 */
	assert_int_equal(h_cksum(got[0].b + 14, 20, 0), 0); /* header checksum still right */
	assert_memory_equal(got[0].b + 14 + 20, frame + 14 + 20, n - 34);
	/* TTL 1 ends here. */
	frame[14 + 8] = 1;
	frame[14 + 10] = frame[14 + 11] = 0;
	{
		uint16_t ck = h_cksum(frame + 14, 20, 0);

		frame[14 + 10] = (uint8_t)(ck >> 8);
		frame[14 + 11] = (uint8_t)ck;
	}
	h_inject(&p, frame, n);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	assert_int_equal(nb_got, 1);
	/* Broadcast to another address is not routed through us. */
	n = h_udp4(frame, bcast, h_peer4, h_far4, 4000, 5000, payload, 200);
	h_inject(&p, frame, n);
	/* UDP to our own address on the IKE port: nothing is ours above IP on the inside. */
	n = h_udp4(frame, p.mac, h_peer4, h_our4, 500, 500, payload, 200);
	h_inject(&p, frame, n);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	assert_int_equal(nb_got, 1);
	/* IPv6: hop limit decremented. */
	n = h_udp6(frame, p.mac, h_peer6, h_far6, 4000, 5000, payload, 200);
	h_inject(&p, frame, n);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	assert_int_equal(nb_got, 2);
	assert_int_equal(got[1].b[14 + 7], 63);
	assert_memory_equal(got[1].b + 14 + 8, frame + 14 + 8, n - 22);
	assert_int_equal(h_counter(&p, 0, "transit_in"), 2);
	assert_int_equal(h_counter(&p, 0, "drop_ttl"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_not_ours"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_udp_port"), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 0);
	h_close(&p);
}

/* Sends one IP packet src -> dst through io_eth_send_ip; returns what it said. */
static uint16_t
send_one(struct h_port *p, const uint8_t *src, const uint8_t *dst, bool v6, uint8_t *ip_out,
	 size_t *len)
{
	struct rte_mbuf *m = ip_mbuf(p, src, dst, v6, len);

	memcpy(ip_out, rte_pktmbuf_mtod(m, void *), *len);
	return io_eth_send_ip(p->dev[0], &m, 1);
}

static void
test_send_ip_next_hops(void **state)
{
	static const uint8_t peer_sn_mac[6] = {0x33, 0x33, 0xff, 0x00, 0x00, 0x02};
	uint8_t ip[512], f[128];
	struct h_port p;
	size_t len, n;

	(void)state;
	open_inside(&p);
	/* On-link, unknown: an ARP request for the host itself, the packet dropped. */
	assert_int_equal(send_one(&p, h_far4, h_peer4, false, ip, &len), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_memory_equal(out[0].b, bcast, 6);
	assert_int_equal(get16(out[0].b + 12), 0x0806);
	assert_memory_equal(out[0].b + 14 + 24, h_peer4, 4);
	assert_int_equal(h_counter(&p, 0, "tx_unresolved"), 1);
	/* Its reply teaches us; the next packet leaves whole with the right MACs. */
	n = h_arp(f, p.mac, 2, h_peer_mac, h_peer4, p.mac, h_our4);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(send_one(&p, h_far4, h_peer4, false, ip, &len), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_int_equal(out[0].len, 14 + len);
	assert_memory_equal(out[0].b, h_peer_mac, 6);
	assert_memory_equal(out[0].b + 6, p.mac, 6);
	assert_int_equal(get16(out[0].b + 12), 0x0800);
	assert_memory_equal(out[0].b + 14, ip, len);
	/* Off-link: through the gateway, asked for first. */
	assert_int_equal(send_one(&p, h_peer4, h_far4, false, ip, &len), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_memory_equal(out[0].b + 14 + 24, h_gw4, 4);
	n = h_arp(f, p.mac, 2, h_gw_mac, h_gw4, p.mac, h_our4);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(send_one(&p, h_peer4, h_far4, false, ip, &len), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_memory_equal(out[0].b, h_gw_mac, 6);
	assert_memory_equal(out[0].b + 14, ip, len);
	/* IPv6 on-link: a solicitation to the host's solicited-node group, then its NA. */
	assert_int_equal(send_one(&p, h_far6, h_peer6, true, ip, &len), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_memory_equal(out[0].b, peer_sn_mac, 6);
	assert_int_equal(out[0].b[14 + 40], 135);
	assert_memory_equal(out[0].b + 14 + 40 + 8, h_peer6, 16);
	n = h_nd(f, p.mac, h_peer_mac, h_peer6, h_our6, 136, 0x60, h_peer6, 2, h_peer_mac);
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(send_one(&p, h_far6, h_peer6, true, ip, &len), 1);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_memory_equal(out[0].b, h_peer_mac, 6);
	assert_int_equal(get16(out[0].b + 12), 0x86dd);
	assert_memory_equal(out[0].b + 14, ip, len);
	assert_int_equal(h_counter(&p, 0, "ip_out"), 3);
	assert_int_equal(h_counter(&p, 0, "tx_unresolved"), 3);
	h_close(&p);
}

/* The outside port with a data path: ESP to `take`, relay rings for its frames. */
static void
open_outside(struct h_port *p)
{
	struct io_eth_conf c;

	h_conf(&c, 0, 1);
	c.esp_input = take;
	h_open(p, 1, &c);
	nb_got = 0;
}

/* Makes a UDP frame an ESP one (IP protocol 50), header checksum redone. */
static void
make_esp(uint8_t *f, bool v6)
{
	uint8_t *ip = f + 14;
	uint16_t ck;

	if (v6) {
		ip[6] = 50;
		return;
	}
	ip[9] = 50;
	ip[10] = ip[11] = 0;
	ck = h_cksum(ip, 20, 0);
	ip[10] = (uint8_t)(ck >> 8);
	ip[11] = (uint8_t)ck;
}

/* An ESP frame of BIG octets through the relay, out as fragments put back together here. */
static void
relay_fragmented(bool v6)
{
	struct rte_mbuf *m;
	struct h_port p;
	uint8_t whole[BIG + 64];
	size_t n, l4len, off = 0;
	unsigned k, nf;
	uint32_t id = 0;

	open_outside(&p);
	h_ike_payload(payload, BIG, 9);
	n = v6 ? h_udp6(frame, h_peer_mac, h_our6, h_peer6, 4500, 4500, payload, BIG)
	       : h_udp4(frame, h_peer_mac, h_our4, h_peer4, 4500, 4500, payload, BIG);
	make_esp(frame, v6);
	l4len = n - 14 - (v6 ? 40 : 20);
	m = rte_pktmbuf_alloc(io_eth_mempool(p.dev[0]));
	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, (uint16_t)n), frame, n);
	assert_non_null(io_eth_relay(p.port_id, 0));
	assert_int_equal(rte_ring_enqueue(io_eth_relay(p.port_id, 0), m), 0);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	nf = h_sent(&p, out, H_OUT_MAX);
	assert_int_equal(nf, 3);
	for (k = 0; k < nf; k++) {
		const uint8_t *ip = out[k].b + 14, *data;
		size_t dlen, foff;
		bool more;
		uint32_t fid;

		assert_true(out[k].len <= 14 + 1500);
		assert_memory_equal(out[k].b, h_peer_mac, 6);
		if (v6) {
			const uint8_t *fh = ip + 40;

			assert_int_equal(ip[6], 44);
			assert_int_equal(fh[0], 50);
			foff = get16(fh + 2) & 0xfff8;
			more = fh[3] & 1;
			fid = (uint32_t)fh[4] << 24 | (uint32_t)fh[5] << 16 | fh[6] << 8 | fh[7];
			data = fh + 8;
			dlen = get16(ip + 4) - 8u;
		} else {
			assert_int_equal(ip[9], 50);
			assert_int_equal(h_cksum(ip, 20, 0), 0);
			assert_int_equal(ip[6] & 0x40, 0); /* no DF on fragments */
			foff = (size_t)(get16(ip + 6) & 0x1fff) * 8;
			more = get16(ip + 6) & 0x2000;
			fid = get16(ip + 4);
			data = ip + 20;
			dlen = get16(ip + 2) - 20u;
		}
		if (k == 0)
			id = fid;
		assert_int_equal(fid, id);
		assert_int_equal(foff, off);
		assert_int_equal(more, k + 1 < nf);
		memcpy(whole + off, data, dlen);
		off += dlen;
	}
	assert_int_equal(off, l4len);
	assert_memory_equal(whole, frame + 14 + (v6 ? 40 : 20), l4len);
	assert_int_equal(h_counter(&p, 0, "frag_out"), 3);
	/* A frame that fits leaves as it is. */
	m = rte_pktmbuf_alloc(io_eth_mempool(p.dev[0]));
	n = v6 ? h_udp6(frame, h_peer_mac, h_our6, h_peer6, 4500, 4500, payload, 1400)
	       : h_udp4(frame, h_peer_mac, h_our4, h_peer4, 4500, 4500, payload, 1400);
	memcpy(rte_pktmbuf_append(m, (uint16_t)n), frame, n);
	assert_int_equal(rte_ring_enqueue(io_eth_relay(p.port_id, 0), m), 0);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
	assert_int_equal(out[0].len, n);
	assert_memory_equal(out[0].b, frame, n);
	h_close(&p);
}

static void
test_relay_fragments4(void **state)
{
	(void)state;
	relay_fragmented(false);
}

static void
test_relay_fragments6(void **state)
{
	(void)state;
	relay_fragmented(true);
}

/* ESP of an SA that received nothing yet: zero MACs, the queue's worker resolves the next hop. */
static void
test_relay_resolves_next_hop(void **state)
{
	struct rte_mbuf *m;
	struct h_port p;
	uint8_t f[64];
	size_t n;
	int k;

	(void)state;
	open_outside(&p);
	h_ike_payload(payload, 200, 4);
	n = h_udp4(frame, zero_mac, h_our4, h_peer4, 4500, 4500, payload, 200);
	memset(frame + 6, 0, 6);
	make_esp(frame, false);
	for (k = 0; k < 2; k++) {
		m = rte_pktmbuf_alloc(io_eth_mempool(p.dev[0]));
		assert_non_null(m);
		memcpy(rte_pktmbuf_append(m, (uint16_t)n), frame, n);
		assert_int_equal(rte_ring_enqueue(io_eth_relay(p.port_id, 0), m), 0);
		assert_int_equal(h_rx(&p, 0, NULL), 0);
		assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1);
		if (k == 0) {
			/* Unknown: dropped, asked for; the peer's request teaches us. */
			assert_int_equal(get16(out[0].b + 12), 0x0806);
			assert_int_equal(h_counter(&p, 0, "tx_unresolved"), 1);
			h_inject(&p, f, h_arp(f, bcast, 1, h_peer_mac, h_peer4, zero_mac, h_our4));
			assert_int_equal(h_rx(&p, 0, NULL), 0);
			assert_int_equal(h_sent(&p, out, H_OUT_MAX), 1); /* our ARP reply */
			continue;
		}
		assert_int_equal(out[0].len, n);
		assert_memory_equal(out[0].b, h_peer_mac, 6);
		assert_memory_equal(out[0].b + 6, p.mac, 6);
		assert_memory_equal(out[0].b + 12, frame + 12, n - 12);
	}
	h_close(&p);
}

/* Fragmented ESP (protocol 50, or UDP 4500 without the marker) reaches the data path whole. */
static void
esp_reassembled(bool v6, bool udp)
{
	struct h_port p;
	size_t n;
	unsigned k, nf;

	open_outside(&p);
	h_ike_payload(payload, BIG, 13); /* non-zero first octets: an SPI, not the marker */
	n = v6 ? h_udp6(frame, p.mac, h_peer6, h_our6, 4500, 4500, payload, BIG)
	       : h_udp4(frame, p.mac, h_peer4, h_our4, 4500, 4500, payload, BIG);
	if (!udp)
		make_esp(frame, v6);
	nf = v6 ? h_frag6(frame, n, CHUNK, frags) : h_frag4(frame, n, CHUNK, frags);
	assert_int_equal(nf, 3);
	for (k = nf; k-- > 0;) /* last first */
		h_inject(&p, frags[k].b, frags[k].len);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(nb_got, 1);
	assert_int_equal(got[0].len, n);
	/* The IP payload as sent (IPv4: the header's fragment fields may differ). */
	assert_memory_equal(got[0].b + 14 + (v6 ? 40 : 20), frame + 14 + (v6 ? 40 : 20),
			    n - 14 - (v6 ? 40 : 20));
	assert_int_equal(h_counter(&p, 0, "frag_reassembled"), 1);
	h_close(&p);
}

static void
test_esp4_reassembled(void **state)
{
	(void)state;
	esp_reassembled(false, false);
}

static void
test_esp6_reassembled(void **state)
{
	(void)state;
	esp_reassembled(true, false);
}

static void
test_esp_udp4_reassembled(void **state)
{
	(void)state;
	esp_reassembled(false, true);
}

static void
test_esp_udp6_reassembled(void **state)
{
	(void)state;
	esp_reassembled(true, true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside_arp_nd_answered),
		cmocka_unit_test(test_inside_transit),
		cmocka_unit_test(test_send_ip_next_hops),
		cmocka_unit_test(test_relay_fragments4),
		cmocka_unit_test(test_relay_fragments6),
		cmocka_unit_test(test_relay_resolves_next_hop),
		cmocka_unit_test(test_esp4_reassembled),
		cmocka_unit_test(test_esp6_reassembled),
		cmocka_unit_test(test_esp_udp4_reassembled),
		cmocka_unit_test(test_esp_udp6_reassembled),
	};

	return cmocka_run_group_tests(tests, h_eal_setup, h_eal_teardown);
}
