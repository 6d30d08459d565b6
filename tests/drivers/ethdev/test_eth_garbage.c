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
	static uint8_t big[H_FRAME_MAX];
	uint8_t pl[600];
	unsigned nf;
	size_t n;

	h_ike_payload(pl, sizeof(pl), (uint8_t)k);
	switch (k) {
	case 0:
		return h_arp_request_from_peer(f);
	case 1:
		return h_ns_from_peer(f);
	case 2:
		return h_udp4(f, p->mac, h_peer4, h_our4, 4500, 4500, pl, 1 + next_rand() % 600);
	case 3:
		return h_udp6(f, p->mac, h_peer6, h_our6, 500, 500, pl, 1 + next_rand() % 600);
	case 4:
	case 5:
		/* One fragment of a 2000-octet datagram, IPv4 or IPv6. */
		n = h_udp_to_us(big, k == 4 ? 4 : 6, p->mac, 500, 500, pl, 600);
		nf = next_rand() % h_frag(big, n, 256, frags);
		memcpy(f, frags[nf].b, frags[nf].len);
		return frags[nf].len;
	default:
		n = h_udp4(f, p->mac, h_peer4, h_our4, 500, 500, pl, 100);
		return h_vlan_tag(f, n, 5);
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
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, h_eal_setup, h_eal_teardown);
}
