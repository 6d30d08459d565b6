/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Damaged frames through the ethdev driver: valid frames of every kind the
 * driver parses (ARP, ND, echo, IKE over IPv4/IPv6, fragments, VLAN) with
 * random octets changed and random lengths, from a fixed seed. The driver
 * must not crash (run under ASan/UBSan in the unit suite), must count every
 * frame, and must give every mbuf back: once the reassembly table has timed
 * out what it held, the pool is full again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_mempool.h>

#include "eth_harness.h"

#define ROUNDS 4000
#define KINDS 7

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t zero_mac[6];
static struct h_frame out[H_OUT_MAX], frags[H_OUT_MAX];
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* A valid frame of kind k in f; returns its length. */
static size_t
valid_frame(const struct h_port *p, unsigned k, uint8_t *f)
{
	static const uint8_t sn[16] = {0xff, 0x02, [11] = 0x01, 0xff, 0x00, 0x00, 0x01};
	static const uint8_t sn_mac[6] = {0x33, 0x33, 0xff, 0x00, 0x00, 0x01};
	static uint8_t big[H_FRAME_MAX];
	uint8_t pl[600];
	unsigned nf;
	size_t n;

	h_ike_payload(pl, sizeof(pl), (uint8_t)k);
	switch (k) {
	case 0:
		return h_arp(f, bcast, 1, h_peer_mac, h_peer4, zero_mac, h_our4);
	case 1:
		return h_nd(f, sn_mac, h_peer_mac, h_peer6, sn, 135, 0, h_our6, 1, h_peer_mac);
	case 2:
		return h_udp4(f, p->mac, h_peer4, h_our4, 4500, 4500, pl, 1 + next_rand() % 600);
	case 3:
		return h_udp6(f, p->mac, h_peer6, h_our6, 500, 500, pl, 1 + next_rand() % 600);
	case 4:
	case 5:
		/* One fragment of a 2000-octet datagram, IPv4 or IPv6. */
		n = k == 4 ? h_udp4(big, p->mac, h_peer4, h_our4, 500, 500, pl, 600)
			   : h_udp6(big, p->mac, h_peer6, h_our6, 500, 500, pl, 600);
		nf = k == 4 ? h_frag4(big, n, 256, frags) : h_frag6(big, n, 256, frags);
		nf = next_rand() % nf;
		memcpy(f, frags[nf].b, frags[nf].len);
		return frags[nf].len;
	default:
		n = h_udp4(f, p->mac, h_peer4, h_our4, 500, 500, pl, 100);
		memmove(f + 16, f + 12, n - 12);
		f[12] = 0x81;
		f[13] = 0;
		f[14] = 0;
		f[15] = 5;
		return n + 4;
	}
}

static void
test_garbage(void **state)
{
	uint8_t f[H_FRAME_MAX];
	struct io_eth_conf c;
	struct io_pkt *pk[32];
	struct rte_mempool *pool;
	struct h_port p;
	unsigned i, j, flips, delivered = 0;
	uint16_t got, k;
	size_t n;

	(void)state;
	h_conf(&c, 0, 1);
	c.vlan = 0;
	h_open(&p, 1, &c);
	pool = io_eth_mempool(p.dev[0]);
	for (i = 0; i < ROUNDS; i++) {
		n = valid_frame(&p, next_rand() % KINDS, f);
		flips = next_rand() % 4;
		for (j = 0; j < flips; j++)
			f[next_rand() % n] = (uint8_t)next_rand();
		if (next_rand() % 4 == 0)
			n = next_rand() % (n + 1); /* cut short, down to nothing */
		if (next_rand() % 8 == 0)
			n += next_rand() % 64; /* trailing octets */
		h_inject(&p, f, n);
		if (i % 16 == 15) {
			got = h_rx(&p, 0, pk);
			for (k = 0; k < got; k++) {
				/* Whatever is handed out is a sane IKE packet view. */
				assert_true(pk[k]->len > 0 && pk[k]->len <= pk[k]->cap);
				io_free(p.dev[0], pk[k]);
			}
			delivered += got;
			h_sent(&p, out, H_OUT_MAX);
		}
	}
	assert_int_equal(h_counter(&p, 0, "rx_frames"), ROUNDS);
	assert_true(delivered > 0);
	/* Reassembly entries time out (2 s); the sweep frees what they held. */
	usleep(2300 * 1000);
	assert_int_equal(h_rx(&p, 0, pk), 0);
	h_sent(&p, out, H_OUT_MAX);
	assert_int_equal(rte_mempool_avail_count(pool), pool->size);
	h_close(&p);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garbage),
	};
	int rc;

	(void)argc;
	if (h_eal_start(argv[0]) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	h_eal_stop();
	return rc;
}
