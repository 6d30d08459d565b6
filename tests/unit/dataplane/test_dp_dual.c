/* SPDX-License-Identifier: BSD-3-Clause */
/* One Child SA carrying both families (a client with an IPv4 and an IPv6 virtual IP). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "dp_test_util.h"

static const uint8_t host6[16] = {0xfd, 0x99, [15] = 2};

struct dual {
	struct rte_ring *orx[2], *otx[2], *irx[2], *itx[2];
	struct dp *dp;
	struct client cl;
	unsigned owner, other;
	uint8_t vip6[16];
};

/* An inside packet to the client's address of a family into lcore q's queue: out of the owner's. */
static void
out_one(struct dual *t, bool v6, unsigned q, uint8_t fill)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint32_t len = 300;
	uint8_t *p = append(m, (uint16_t)len), inner[300];

	if (v6)
		ip6(p, len, host6, t->vip6, fill);
	else
		ip4(p, len, host, vip, fill);
	memcpy(inner, p, len);
	assert_int_equal(rte_ring_enqueue(t->irx[q], m), 0);
	m = wait_ring(t->otx[t->owner]);
	assert_non_null(m);
	client_receive(&t->cl, m, inner, len);
	rte_pktmbuf_free(m);
}

/* The client sends a packet of a family from src to dst: it leaves inside whole. */
static void
in_one_to(struct dual *t, bool v6, const uint8_t *src, const uint8_t *dst, uint8_t fill)
{
	uint8_t inner[300];
	struct rte_mbuf *m;

	if (v6)
		ip6(inner, sizeof(inner), src, dst, fill);
	else
		ip4(inner, sizeof(inner), src, dst, fill);
	assert_int_equal(rte_ring_enqueue(t->orx[t->owner], client_frame(&t->cl, inner, 300)), 0);
	m = wait_ring(t->itx[t->owner]);
	assert_non_null(m);
	assert_int_equal(rte_pktmbuf_data_len(m), 300);
	assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), inner, 300);
	rte_pktmbuf_free(m);
}

/* The same to our host of the family. */
static void
in_one(struct dual *t, bool v6, const uint8_t *src, uint8_t fill)
{
	in_one_to(t, v6, src, v6 ? host6 : host, fill);
}

/*
 * Two data-path lcores; one SA with the selectors 10.98.0.2 and an IPv6
 * address that is steered to the other lcore. Inside packets of both
 * families, received on either lcore, leave encrypted by the SA's lcore;
 * the client's packets of both families leave inside; a source outside
 * the selector of its family is dropped and counted (ESP_E_SELECTOR) for
 * each family, so is a destination outside our selector (TSr) of its
 * family (ESP_E_SELECTOR_DST), the addresses just past its ends too. After
 * the delete, the other lcore's route is gone too.
 */
void
test_dual_stack(void **state)
{
	static struct dual t;
	const struct dp_counters *co, *cx;
	struct dp_config cfg = {0};
	struct esp_sa_stats in, out;
	uint8_t bad4[4] = {10, 98, 0, 3}, bad6[16], inner[300];
	struct esp_handoff h;
	unsigned d, lc = dp_lcore_id;
	uint32_t spi, spi_out;

	(void)state;
	cfg.nb_lcores = 2;
	cfg.lcores[0] = lc;
	cfg.lcores[1] = rte_get_next_lcore(lc, 1, 0);
	assert_true(cfg.lcores[1] < RTE_MAX_LCORE);
	cfg.nb_workers = 1;
	cfg.slots_per_worker = 16;
	cfg.ring_size = 256;
	cfg.burst = 32;
	cfg.outside =
		(struct dp_port){.port_id = ring_port2("dpd_out", t.orx, t.otx), .poll_rx = true};
	cfg.inside = (struct dp_port){
		.port_id = ring_port2("dpd_in", t.irx, t.itx), .l3 = true, .poll_rx = true};
	t.dp = dp_create(&cfg);
	assert_non_null(t.dp);
	for (d = 0; d < 2; d++)
		assert_int_equal(rte_eal_remote_launch(dp_lcore_main, t.dp, cfg.lcores[d]), 0);

	/* The IPv6 virtual IP steered to the lcore the IPv4 one is not. */
	t.owner = owner_of(vip);
	t.other = 1 - t.owner;
	memcpy(t.vip6, (const uint8_t[16]){0xfd, 0x98, [15] = 2}, 16);
	while (owner_of6(t.vip6) == t.owner)
		t.vip6[15]++;
	memcpy(bad6, t.vip6, 16);
	bad6[15] ^= 0x80;

	spi = dp_spi_alloc(t.dp, 0, vip, false);
	assert_int_not_equal(spi, 0);
	handoff(&h, spi, ESP_ALG_AES_GCM_16, true);
	h.flags |= ESP_SA_TS_BOTH;
	h.ts_remote2.v6 = 1;
	memcpy(h.ts_remote2.start, t.vip6, 16);
	memcpy(h.ts_remote2.end, t.vip6, 16);
	/* TSr: 10.99.0.0-10.99.0.255 (handoff()) and fd99::/64. */
	h.ts_local_both = true;
	h.ts_local2.v6 = 1;
	memcpy(h.ts_local2.start, host6, 8);
	memcpy(h.ts_local2.end, host6, 8);
	memset(h.ts_local2.end + 8, 0xff, 8);
	assert_true(dp_install(t.dp, 0, &h));
	co = dp_lcore_counters(t.dp, t.owner);
	cx = dp_lcore_counters(t.dp, t.other);
	assert_true(wait_counter_of(t.dp, t.owner, offsetof(struct dp_counters, installs), 1));
	/* The IPv6 address's lcore learnt where its SA lives. */
	assert_true(wait_counter_of(t.dp, t.other, offsetof(struct dp_counters, routes_synced), 1));
	assert_int_equal(co->bad_handoff, 0);

	/* The client's SA: our selectors of both families are its sources, the hosts ours. */
	client_init(&t.cl, &h);
	assert_true(t.cl.sa.flags & ESP_SA_TS_BOTH);
	memcpy(t.cl.sa.ts, host6, 16);
	t.cl.sa.ts_len = 128;
	memcpy(t.cl.sa.ts4, host, 4);
	t.cl.sa.ts4_len = 32;

	for (d = 0; d < 2; d++) {
		out_one(&t, false, d, (uint8_t)(0x40 + d));
		out_one(&t, true, d, (uint8_t)(0x60 + d));
	}
	assert_true(cx->inside_forwarded >= 2);
	assert_int_equal(co->no_sa_out + cx->no_sa_out, 0);
	assert_int_equal(co->esp_out_pkts, 4);

	in_one(&t, false, vip, 0x11);
	in_one(&t, true, t.vip6, 0x22);
	assert_int_equal(co->esp_in_pkts, 2);

	/* A source outside its family's selector, each family: dropped, counted. */
	ip4(inner, sizeof(inner), bad4, host, 0x33);
	assert_int_equal(rte_ring_enqueue(t.orx[t.owner], client_frame(&t.cl, inner, 300)), 0);
	ip6(inner, sizeof(inner), bad6, host6, 0x44);
	assert_int_equal(rte_ring_enqueue(t.orx[t.owner], client_frame(&t.cl, inner, 300)), 0);
	/* The IPv4 virtual IP is no IPv6 source (and the IPv6 one none of IPv4). */
	memset(bad6, 0, 16);
	memcpy(bad6 + 12, vip, 4);
	ip6(inner, sizeof(inner), bad6, host6, 0x55);
	assert_int_equal(rte_ring_enqueue(t.orx[t.owner], client_frame(&t.cl, inner, 300)), 0);
	assert_true(wait_counter_of(
		t.dp, t.owner,
		offsetof(struct dp_counters, drops) + ESP_E_SELECTOR * sizeof(uint64_t), 3));

	/* A destination outside TSr, each family (just past each end): dropped, counted. */
	ip4(inner, sizeof(inner), vip, (const uint8_t[4]){10, 99, 1, 0}, 0x56);
	assert_int_equal(rte_ring_enqueue(t.orx[t.owner], client_frame(&t.cl, inner, 300)), 0);
	ip4(inner, sizeof(inner), vip, (const uint8_t[4]){10, 98, 255, 255}, 0x57);
	assert_int_equal(rte_ring_enqueue(t.orx[t.owner], client_frame(&t.cl, inner, 300)), 0);
	memcpy(bad6, host6, 16);
	bad6[7] = 1; /* fd99:0:0:1::2 */
	ip6(inner, sizeof(inner), t.vip6, bad6, 0x58);
	assert_int_equal(rte_ring_enqueue(t.orx[t.owner], client_frame(&t.cl, inner, 300)), 0);
	assert_true(wait_counter_of(
		t.dp, t.owner,
		offsetof(struct dp_counters, drops) + ESP_E_SELECTOR_DST * sizeof(uint64_t), 3));
	/* The ends of TSr are in it. */
	in_one_to(&t, false, vip, (const uint8_t[4]){10, 99, 0, 255}, 0x59);
	memset(bad6 + 8, 0xff, 8);
	bad6[7] = 0;
	in_one_to(&t, true, t.vip6, bad6, 0x5a);
	assert_true(dp_sa_stats(t.dp, spi, &in, &out, &spi_out));
	assert_int_equal(in.selector, 6);
	assert_int_equal(in.packets, 4);
	assert_int_equal(out.packets, 4);
	assert_int_equal(co->esp_in_pkts, 4);
	assert_int_equal(rte_ring_count(t.itx[t.owner]), 0);

	/* Deleted: neither family finds it, on either lcore. */
	assert_true(dp_delete(t.dp, 0, spi, h.ike_spi));
	assert_true(wait_counter_of(t.dp, t.owner, offsetof(struct dp_counters, deletes), 1));
	assert_true(wait_counter_of(t.dp, t.other, offsetof(struct dp_counters, routes_synced), 2));
	for (d = 0; d < 2; d++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

		ip6(append(m, 300), 300, host6, t.vip6, 0x66);
		assert_int_equal(rte_ring_enqueue(t.irx[d], m), 0);
		m = rte_pktmbuf_alloc(pool);
		ip4(append(m, 300), 300, host, vip, 0x77);
		assert_int_equal(rte_ring_enqueue(t.irx[d], m), 0);
	}
	/* Each packet ends on the lcore its destination is steered to. */
	assert_true(wait_counter_of(t.dp, t.owner, offsetof(struct dp_counters, no_sa_out), 2));
	assert_true(wait_counter_of(t.dp, t.other, offsetof(struct dp_counters, no_sa_out), 2));
	assert_int_equal(co->esp_out_pkts, 4);
	dp_stop(t.dp);
	for (d = 0; d < 2; d++)
		rte_eal_wait_lcore(cfg.lcores[d]);
	dp_destroy(t.dp);
}
