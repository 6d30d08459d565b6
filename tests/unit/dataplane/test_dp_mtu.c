/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The inside MTU on a running data-path lcore (dp_inside.c through
 * dp_inbound): a client's 1400-octet packet without DF leaves the inside
 * port in fragments of at most 1280 that put together are the packet; with
 * DF, the client gets ICMP "fragmentation needed" with 1280 from our inside
 * address back through its tunnel, encrypted on its SA; a packet of exactly
 * the MTU passes whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rte_launch.h>

#include "dp_test_util.h"

#define MTU 1280

static const uint8_t gw_in[4] = {10, 99, 0, 1};

/* The client decrypts the ESP frame m (any inner source in 10.99.0.0/24): its inner packet. */
static uint32_t
client_open(struct client *c, struct rte_mbuf *m, uint8_t *out)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *), *got;
	struct esp_in_hdr eh;
	struct esp_job j;
	uint32_t got_len;
	unsigned ev;

	assert_int_equal(esp_in_parse(p + 14, rte_pktmbuf_data_len(m) - 14, &eh), ESP_OK);
	assert_int_equal(esp_in_prepare(&c->sa, &c->krx, p + 14 + eh.esp_off, eh.esp_len, &j),
			 ESP_OK);
	assert_int_equal(cry_ipsecmb_esp_burst(client_cry, &j, 1), 1);
	assert_int_equal(esp_in_finish(&c->sa, NULL, &j, 0, &got, &got_len, &ev), ESP_OK);
	memcpy(out, got, got_len);
	return got_len;
}

/* Fragments of inner (len octets) from the inside port: sizes, offsets, MF, the payload. */
static void
check_fragments(const uint8_t *inner, uint32_t len, unsigned want)
{
	static uint8_t got[2048];
	uint32_t covered = 0;
	unsigned i;

	memset(got, 0, sizeof(got));
	for (i = 0; i < want; i++) {
		struct rte_mbuf *m = wait_ring(in_tx);
		const uint8_t *h, *d;
		uint32_t plen, off;

		assert_non_null(m);
		h = rte_pktmbuf_mtod(m, const uint8_t *);
		plen = rte_pktmbuf_pkt_len(m);
		off = (uint32_t)((h[6] & 0x1f) << 8 | h[7]) * 8;
		assert_true(plen <= MTU);
		assert_int_equal((uint32_t)(h[2] << 8 | h[3]), plen);
		assert_int_equal((h[6] & 0x20) != 0, i + 1 < want); /* MF but on the last */
		assert_memory_equal(h + 12, inner + 12, 8);
		assert_true(off + plen - 20 <= len - 20);
		d = rte_pktmbuf_read(m, 20, plen - 20, got + 20 + off);
		assert_non_null(d);
		memmove(got + 20 + off, d, plen - 20);
		covered += plen - 20;
		rte_pktmbuf_free(m);
	}
	assert_int_equal(covered, len - 20);
	assert_memory_equal(got + 20, inner + 20, len - 20);
}

void
test_inside_mtu(void **state)
{
	struct dp_config cfg = {0};
	struct esp_handoff h;
	struct client cl;
	uint8_t inner[1400], back[1400];
	struct rte_mbuf *m;
	struct dp *dp;
	uint32_t n;

	(void)state;
	cfg.nb_lcores = 1;
	cfg.lcores[0] = dp_lcore_id;
	cfg.nb_workers = 1;
	cfg.slots_per_worker = 16;
	cfg.ring_size = 256;
	cfg.burst = 32;
	cfg.outside = (struct dp_port){.port_id = out_port, .poll_rx = true};
	cfg.inside = (struct dp_port){.port_id = in_port, .l3 = true, .poll_rx = true};
	cfg.inside_mtu = MTU;
	cfg.inside_family = 4;
	memcpy(cfg.inside_ip, gw_in, 4);
	dp = dp_create(&cfg);
	assert_non_null(dp);
	assert_int_equal(rte_eal_remote_launch(dp_lcore_main, dp, dp_lcore_id), 0);
	handoff(&h, dp_spi_alloc(dp, 0, vip, false), ESP_ALG_AES_GCM_16, true);
	assert_true(dp_install(dp, 0, &h));
	assert_true(wait_counter(dp, offsetof(struct dp_counters, installs), 1));
	client_init(&cl, &h);
	cl.sa.ts[3] = 0; /* the client's selector: the protected network, our inside address too */
	cl.sa.ts_len = 24;

	/* No DF: 1256 + 124 octets of payload. */
	ip4(inner, 1400, vip, host, 0x5e);
	client_send(&cl, inner, 1400);
	check_fragments(inner, 1400, 2);
	assert_int_equal(dp_lcore_counters(dp, 0)->inside_frag, 1);

	/* DF: refused, ICMP back to the client through the tunnel. */
	inner[6] = 0x40;
	client_send(&cl, inner, 1400);
	m = wait_ring(out_tx);
	assert_non_null(m);
	n = client_open(&cl, m, back);
	rte_pktmbuf_free(m);
	assert_int_equal(n, 28 + 548);
	assert_memory_equal(back + 12, gw_in, 4);
	assert_memory_equal(back + 16, vip, 4);
	assert_int_equal(back[20], 3); /* destination unreachable */
	assert_int_equal(back[21], 4); /* fragmentation needed and DF set */
	assert_int_equal(back[26] << 8 | back[27], MTU);
	assert_memory_equal(back + 28, inner, 548);
	assert_int_equal(dp_lcore_counters(dp, 0)->inside_too_big_icmp, 1);

	/* Exactly the MTU, DF: whole. */
	ip4(inner, MTU, vip, host, 0x6f);
	inner[6] = 0x40;
	client_send(&cl, inner, MTU);
	m = wait_ring(in_tx);
	assert_non_null(m);
	assert_int_equal(rte_pktmbuf_pkt_len(m), MTU);
	assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), inner, MTU);
	rte_pktmbuf_free(m);
	assert_int_equal(dp_lcore_counters(dp, 0)->inside_frag, 1);
	assert_int_equal(dp_lcore_counters(dp, 0)->inside_too_big_drop, 0);

	dp_stop(dp);
	rte_eal_wait_lcore(dp_lcore_id);
	dp_destroy(dp);
}
