/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IP fragments through the ethdev driver: IPv4 and IPv6 IKE datagrams
 * split by the test arrive in every order and come out whole; overlapping
 * fragments and more fragments than the table takes are dropped and
 * counted; our replies larger than the MTU leave as fragments that the test
 * puts back together and checks (offsets, flags, one id, UDP checksum).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "eth_harness.h"

#define BIG 3000
#define CHUNK 1232 /* multiple of 8 */

static struct h_frame frags[H_OUT_MAX], out[H_OUT_MAX];
static uint8_t frame[H_FRAME_MAX], payload[BIG];

/* The peer's IKE datagram of BIG octets to us (payload from seed) in frame, split into frags. */
static unsigned
split_datagram(const struct h_port *p, uint8_t family, uint8_t seed, uint16_t chunk)
{
	size_t n;

	h_ike_payload(payload, BIG, seed);
	n = h_udp_to_us(frame, family, p->mac, 40500, 500, payload, BIG);
	return h_frag(frame, n, chunk, frags);
}

/* The fragments in order perm[] give one datagram with the whole payload. */
static void
deliver(struct h_port *p, const unsigned *perm, unsigned n, uint8_t family, size_t plen)
{
	struct io_pkt *pk[32];
	unsigned i;

	for (i = 0; i < n; i++)
		h_inject(p, frags[perm[i]].b, frags[perm[i]].len);
	assert_int_equal(h_rx(p, 0, pk), 1);
	assert_int_equal(pk[0]->len, plen);
	assert_int_equal(pk[0]->remote.family, family);
	assert_int_equal(pk[0]->remote.port, 40500);
	assert_memory_equal(pk[0]->data, payload, plen);
	io_free(p->dev[0], pk[0]);
}

static void
every_order(uint8_t family)
{
	static const unsigned perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
					     {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	const char *const nz[] = {"rx_frames", "frag_in", "frag_reassembled", NULL};
	struct h_port p;
	unsigned k;

	h_open(&p, 1, NULL);
	assert_int_equal(split_datagram(&p, family, 11, CHUNK), 3);
	for (k = 0; k < 6; k++)
		deliver(&p, perms[k], 3, family, BIG);
	assert_int_equal(h_counter(&p, 0, "frag_in"), 18);
	assert_int_equal(h_counter(&p, 0, "frag_reassembled"), 6);
	assert_int_equal(h_counter(&p, 0, "rx_frames"), 18);
	h_only_counters(&p, 0, nz);
	assert_int_equal(p.dev[0]->stats.rx_pkts, 6);
	h_close(&p);
}

static void
test_frag4_every_order(void **state)
{
	(void)state;
	every_order(4);
}

static void
test_frag6_every_order(void **state)
{
	(void)state;
	every_order(6);
}

/* A middle fragment that overlaps its neighbours: no datagram, all fragments dropped. */
static void
overlap(uint8_t family)
{
	struct io_pkt *pk[32];
	struct h_port p;
	unsigned nf, i;

	h_open(&p, 1, NULL);
	nf = split_datagram(&p, family, 12, CHUNK);
	/* Fragment 1 claims to start 16 octets early. */
	if (family == 4) {
		h_put16(frags[1].b + 14 + 6, (uint16_t)(((CHUNK - 16) >> 3) | 0x2000));
		h_ip4_recksum(frags[1].b + 14);
	} else {
		h_put16(frags[1].b + 14 + 40 + 2, (uint16_t)((CHUNK - 16) | 1));
	}
	assert_int_equal(nf, 3);
	for (i = 0; i < nf; i++)
		h_inject(&p, frags[i].b, frags[i].len);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	assert_int_equal(h_counter(&p, 0, "frag_in"), 3);
	assert_int_equal(h_counter(&p, 0, "frag_reassembled"), 0);
	assert_int_equal(h_counter(&p, 0, "frag_drop"), 3);
	/* The table is clean again: the same datagram, intact, gets through. */
	nf = split_datagram(&p, family, 12, CHUNK);
	for (i = 0; i < nf; i++)
		h_inject(&p, frags[i].b, frags[i].len);
	assert_int_equal(h_rx(&p, 0, pk), 1);
	assert_int_equal(pk[0]->len, BIG);
	io_free(p.dev[0], pk[0]);
	h_close(&p);
}

static void
test_frag4_overlap(void **state)
{
	(void)state;
	overlap(4);
}

static void
test_frag6_overlap(void **state)
{
	(void)state;
	overlap(6);
}

/*
 * More fragments than RTE_LIBRTE_IP_FRAG_MAX_FRAG (8 slots: first, last and
 * 6 in between): the fragment that finds no slot is dropped with those
 * held; the later ones open a new entry that can never complete and is
 * dropped when it times out (ETH_FRAG_TTL_MS, swept by the RX burst).
 */
static void
test_frag_too_many(void **state)
{
	struct io_pkt *pk[32];
	struct h_port p;
	unsigned nf, i;

	(void)state;
	h_open(&p, 1, NULL);
	nf = split_datagram(&p, 4, 13, 256);
	assert_true(nf > RTE_LIBRTE_IP_FRAG_MAX_FRAG);
	for (i = 0; i < nf; i++)
		h_inject(&p, frags[i].b, frags[i].len);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	assert_int_equal(h_counter(&p, 0, "frag_in"), nf);
	assert_int_equal(h_counter(&p, 0, "frag_reassembled"), 0);
	assert_int_equal(h_counter(&p, 0, "frag_drop"), RTE_LIBRTE_IP_FRAG_MAX_FRAG);
	usleep(2300 * 1000);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	assert_int_equal(h_counter(&p, 0, "frag_drop"), nf);
	h_close(&p);
}

/* Puts the fragments of our reply back together; returns the UDP datagram length. */
static size_t
reassemble_sent(unsigned n, uint8_t family, uint8_t *dgram, const uint8_t *peer_mac)
{
	size_t total = 0;
	uint32_t id0 = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		const uint8_t *f = out[i].b, *ip = f + 14;
		size_t off, len;
		bool more;
		uint32_t id;

		assert_memory_equal(f, peer_mac, 6);
		if (family == 4) {
			assert_int_equal(h_get16(f + 12), 0x0800);
			assert_int_equal(h_cksum(ip, 20, 0), 0);
			assert_true(h_get16(ip + 2) <= 1500);
			off = (size_t)(h_get16(ip + 6) & 0x1fff) * 8;
			more = h_get16(ip + 6) & 0x2000;
			len = h_get16(ip + 2) - 20u;
			id = h_get16(ip + 4);
			memcpy(dgram + off, ip + 20, len);
		} else {
			const uint8_t *fh = ip + 40;

			assert_int_equal(h_get16(f + 12), 0x86dd);
			assert_int_equal(ip[6], 44);
			assert_int_equal(fh[0], 17);
			assert_true(40 + h_get16(ip + 4) <= 1500);
			off = h_get16(fh + 2) & 0xfff8;
			more = fh[3] & 1;
			len = h_get16(ip + 4) - 8u;
			id = (uint32_t)fh[4] << 24 | (uint32_t)fh[5] << 16 | (uint32_t)fh[6] << 8 |
			     fh[7];
			memcpy(dgram + off, fh + 8, len);
		}
		assert_true(len % 8 == 0 || !more);
		assert_int_equal(more, i + 1 < n);
		if (i == 0)
			id0 = id;
		assert_int_equal(id, id0);
		total = off + len;
	}
	return total;
}

static void
reply_fragmented(uint8_t family)
{
	static uint8_t dgram[BIG + 64], ip6[40];
	uint8_t f[128];
	struct h_port p;
	unsigned n;
	size_t len;

	h_open(&p, 1, NULL);
	/* IPv4: the peer's MAC from its ARP request (IPv6 resolves below). */
	h_learn_peer(&p, 4);
	h_ike_payload(payload, BIG, 14);
	if (family == 6) {
		/* Resolve the IPv6 peer first: the NS goes out, an NA comes back. */
		assert_int_equal(h_send_reply(&p, 0, 6, h_peer6, 4500, 4501, payload, BIG,
					      IO_PKT_F_NONESP_MARKER),
				 0);
		h_sent(&p, out, H_OUT_MAX);
		len = h_nd(f, p.mac, h_peer_mac, h_peer6, h_our6, 136, 0x60, h_peer6, 2,
			   h_peer_mac);
		h_inject(&p, f, len);
		h_rx(&p, 0, NULL);
	}
	assert_int_equal(h_send_reply(&p, 0, family, family == 4 ? h_peer4 : h_peer6, 4500, 4501,
				      payload, BIG, IO_PKT_F_NONESP_MARKER),
			 1);
	n = h_sent(&p, out, H_OUT_MAX);
	assert_int_equal(n, 3);
	assert_int_equal(h_counter(&p, 0, "frag_out"), 3);
	len = reassemble_sent(n, family, dgram, h_peer_mac);
	assert_int_equal(len, 8 + 4 + BIG);
	assert_int_equal(h_get16(dgram), 4500);
	assert_int_equal(h_get16(dgram + 2), 4501);
	assert_int_equal(h_get16(dgram + 4), len);
	assert_memory_equal(dgram + 8, "\0\0\0\0", 4);
	assert_memory_equal(dgram + 12, payload, BIG);
	if (family == 4) {
		uint8_t ph[20] = {0};

		memcpy(ph + 12, h_our4, 4);
		memcpy(ph + 16, h_peer4, 4);
		ph[0] = 0x45;
		ph[9] = 17;
		h_put16(ph + 2, (uint16_t)(20 + len));
		/* h_l4_check4 reads the datagram right after the header. */
		{
			static uint8_t whole[20 + BIG + 64];

			memcpy(whole, ph, 20);
			memcpy(whole + 20, dgram, len);
			assert_int_equal(h_l4_check4(whole), 0);
		}
	} else {
		memset(ip6, 0, sizeof(ip6));
		memcpy(ip6 + 8, h_our6, 16);
		memcpy(ip6 + 24, h_peer6, 16);
		assert_int_equal(h_l4_check6(ip6, 17, dgram, len), 0);
	}
	h_close(&p);
}

static void
test_reply_fragmented4(void **state)
{
	(void)state;
	reply_fragmented(4);
}

static void
test_reply_fragmented6(void **state)
{
	(void)state;
	reply_fragmented(6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frag4_every_order), cmocka_unit_test(test_frag6_every_order),
		cmocka_unit_test(test_frag4_overlap),	  cmocka_unit_test(test_frag6_overlap),
		cmocka_unit_test(test_frag_too_many),	  cmocka_unit_test(test_reply_fragmented4),
		cmocka_unit_test(test_reply_fragmented6),
	};

	return cmocka_run_group_tests(tests, h_eal_setup, h_eal_teardown);
}
