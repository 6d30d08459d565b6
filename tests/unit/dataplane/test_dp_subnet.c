/* SPDX-License-Identifier: BSD-3-Clause */
/* Two data-path lcores: a subnet route across them, ICMP too-big and its rate limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "dp_test_util.h"

/*
 * Two data-path lcores and a site-to-site SA for 10.97.0.0/24: inside
 * packets to subnet hosts that hash to either lcore, received on either
 * lcore's queue, all leave encrypted by the SA's lcore. With an outside MTU
 * of 1400: a DF packet too big for the tunnel comes back as ICMP
 * "fragmentation needed" with the exact MTU; without DF it is encrypted
 * (its ESP packet larger than the MTU, for the outside driver to fragment).
 */
void
test_subnet_two_lcores(void **state)
{
	static const uint8_t net[4] = {10, 97, 0, 0}, gw_in[4] = {10, 99, 0, 1};
	struct rte_ring *orx[2], *otx[2], *irx[2], *itx[2];
	struct dp_config cfg = {0};
	struct esp_handoff h;
	struct client cl;
	uint8_t dst[2][4], inner[1400], *p;
	unsigned owner, other, d, q, found = 0, lc = dp_lcore_id;
	struct rte_mbuf *m;
	uint32_t spi, mtu;
	struct dp *dp;

	(void)state;
	cfg.nb_lcores = 2;
	cfg.lcores[0] = lc;
	cfg.lcores[1] = rte_get_next_lcore(lc, 1, 0);
	assert_true(cfg.lcores[1] < RTE_MAX_LCORE);
	cfg.nb_workers = 1;
	cfg.slots_per_worker = 16;
	cfg.ring_size = 256;
	cfg.burst = 32;
	cfg.outside = (struct dp_port){.port_id = ring_port2("dp2_out", orx, otx), .poll_rx = true};
	cfg.inside = (struct dp_port){
		.port_id = ring_port2("dp2_in", irx, itx), .l3 = true, .poll_rx = true};
	cfg.outside_mtu = 1400;
	cfg.inside_family = 4;
	memcpy(cfg.inside_ip, gw_in, 4);
	dp = dp_create(&cfg);
	assert_non_null(dp);
	for (d = 0; d < 2; d++)
		assert_int_equal(rte_eal_remote_launch(dp_lcore_main, dp, cfg.lcores[d]), 0);

	spi = dp_spi_alloc(dp, 0, net, false);
	owner = owner_of(net);
	other = 1 - owner;
	handoff(&h, spi, ESP_ALG_AES_GCM_16, true);
	memcpy(h.ts_remote.start, net, 4);
	memcpy(h.ts_remote.end, "\x0a\x61\x00\xff", 4);
	assert_true(dp_install(dp, 0, &h));
	assert_true(wait_counter_of(dp, owner, offsetof(struct dp_counters, installs), 1));
	assert_true(wait_counter_of(dp, other, offsetof(struct dp_counters, routes_synced), 1));
	client_init(&cl, &h);
	/* One subnet host steered to each lcore. */
	for (uint8_t a = 1; found != 3; a++) {
		uint8_t ip[4] = {10, 97, 0, a};

		if (!(found & (1u << owner_of(ip)))) {
			memcpy(dst[owner_of(ip)], ip, 4);
			found |= 1u << owner_of(ip);
		}
	}
	/* Each destination through each lcore's inside queue: always out of the owner's. */
	for (d = 0; d < 2; d++) {
		for (q = 0; q < 2; q++) {
			m = rte_pktmbuf_alloc(pool);
			p = append(m, 200);
			ip4(p, 200, host, dst[d], (uint8_t)(d * 2 + q));
			memcpy(inner, p, 200);
			assert_int_equal(rte_ring_enqueue(irx[q], m), 0);
			m = wait_ring(otx[owner]);
			assert_non_null(m);
			client_receive(&cl, m, inner, 200);
			rte_pktmbuf_free(m);
		}
	}
	assert_true(dp_lcore_counters(dp, other)->inside_forwarded >= 2);
	assert_int_equal(dp_lcore_counters(dp, owner)->no_sa_out, 0);
	assert_int_equal(dp_lcore_counters(dp, other)->no_sa_out, 0);

	/* Too big with DF: ICMP back into the inside, from our inside address, exact MTU. */
	mtu = 1400 - 20 - 8 - 8 - 8 - 16; /* outer IPv4, UDP, ESP header, IV, ICV */
	mtu = mtu / 4 * 4 - 2;		  /* GCM pads to 4; pad length and next header */
	m = rte_pktmbuf_alloc(pool);
	p = append(m, 1400);
	ip4(p, (uint16_t)(mtu + 1), host, dst[owner], 0x5a);
	rte_pktmbuf_trim(m, (uint16_t)(1400 - mtu - 1));
	p[6] = 0x40;
	memcpy(inner, p, mtu + 1);
	assert_int_equal(rte_ring_enqueue(irx[owner], m), 0);
	m = wait_ring(itx[owner]);
	assert_non_null(m);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	assert_int_equal(rte_pktmbuf_data_len(m), 576);
	assert_int_equal(p[9], 1);
	assert_memory_equal(p + 12, gw_in, 4);
	assert_memory_equal(p + 16, host, 4);
	assert_int_equal(p[20], 3);
	assert_int_equal(p[21], 4);
	assert_int_equal(p[26] << 8 | p[27], mtu);
	assert_memory_equal(p + 28, inner, 576 - 28);
	assert_int_equal(rte_raw_cksum(p, 20), 0xffff);
	assert_int_equal(rte_raw_cksum(p + 20, 576 - 20), 0xffff);
	rte_pktmbuf_free(m);
	assert_int_equal(dp_lcore_counters(dp, owner)->too_big_icmp, 1);
	/* That size minus one passes; and too big without DF is encrypted whole. */
	for (int df = 1; df >= 0; df--) {
		uint32_t len = df ? mtu : mtu + 1;

		m = rte_pktmbuf_alloc(pool);
		p = append(m, (uint16_t)len);
		ip4(p, len, host, dst[owner], 0x6b);
		p[6] = df ? 0x40 : 0;
		memcpy(inner, p, len);
		assert_int_equal(rte_ring_enqueue(irx[owner], m), 0);
		m = wait_ring(otx[owner]);
		assert_non_null(m);
		assert_int_equal(rte_pktmbuf_data_len(m) - 14 > 1400, !df);
		client_receive(&cl, m, inner, len);
		rte_pktmbuf_free(m);
	}
	assert_int_equal(dp_lcore_counters(dp, owner)->esp_out_frag, 1);
	/*
	 * ICMP errors are rate limited (20 at once, 100/s): of 40 too-big
	 * packets in one burst, at most the burst's worth plus what the time
	 * they took refilled get an answer; the others are dropped and counted.
	 */
	{
		const struct dp_counters *c = dp_lcore_counters(dp, owner);
		struct rte_mbuf *big[40];
		uint64_t t0 = rte_get_tsc_cycles(), ms, answered;

		for (int i = 0; i < 40; i++) {
			big[i] = rte_pktmbuf_alloc(pool);
			p = append(big[i], (uint16_t)(mtu + 1));
			ip4(p, mtu + 1, host, dst[owner], 0x11);
			p[6] = 0x40;
		}
		assert_int_equal(rte_ring_enqueue_bulk(irx[owner], (void **)big, 40, NULL), 40);
		for (long i = 0; i < WAIT_LOOPS && c->too_big_icmp + c->too_big_drop < 41; i++)
			usleep(1);
		ms = (rte_get_tsc_cycles() - t0) * 1000 / rte_get_tsc_hz();
		answered = c->too_big_icmp - 1;
		assert_int_equal(answered + c->too_big_drop, 40);
		assert_true(answered <= 19 + ms / 10 + 1); /* one of the 20 went above */
		for (; answered > 0; answered--) {
			m = wait_ring(itx[owner]);
			assert_non_null(m);
			rte_pktmbuf_free(m);
		}
		printf("ICMP too-big: %" PRIu64 " answered, %" PRIu64 " dropped in %" PRIu64
		       " ms\n",
		       c->too_big_icmp - 1, c->too_big_drop, ms);
	}
	dp_stop(dp);
	for (d = 0; d < 2; d++)
		rte_eal_wait_lcore(cfg.lcores[d]);
	dp_destroy(dp);
}

