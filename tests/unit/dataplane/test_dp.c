/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data-path lcores in process: EAL --no-huge --no-pci on 3 lcores, the
 * outside and inside ports are net_ring ports whose rings the test feeds
 * and drains (dp_test_util.c). The test plays both the IKE worker (SPI,
 * install, delete, lifetime events) and the client (lib/esp with the same
 * keys). One SA's life here; the tables in test_dp_tables.c, two lcores in
 * test_dp_subnet.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "dp_test_util.h"
#include "rt.h"

/*
 * A rekey of the SA old_spi (whose client taught the MACs): the new SA
 * carries inside packets at once, to the same MACs, before the client ever
 * sent on it (it sends on it only once our DELETE of the old one arrived).
 */
static void
rekey_keeps_macs(struct dp *dp, uint32_t old_spi)
{
	uint32_t spi = dp_spi_alloc(dp, 0, vip, false);
	struct esp_handoff h;
	struct esp_in_hdr eh;
	struct rte_mbuf *m;
	uint8_t *p;

	handoff(&h, spi, ESP_ALG_AES_GCM_16, false);
	h.replaces_spi_in = old_spi;
	assert_true(dp_install(dp, 0, &h));
	assert_true(wait_counter(dp, offsetof(struct dp_counters, installs), 3));
	m = rte_pktmbuf_alloc(pool);
	p = append(m, 120);
	ip4(p, 120, host, vip, 0x21);
	assert_int_equal(rte_ring_enqueue(in_rx, m), 0);
	m = wait_ring(out_tx);
	assert_non_null(m);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	assert_memory_equal(p, client_mac, 6);
	assert_memory_equal(p + 6, gw_mac, 6);
	assert_int_equal(esp_in_parse(p + 14, rte_pktmbuf_data_len(m) - 14, &eh), ESP_OK);
	assert_int_equal(eh.spi, h.spi_out);
	assert_int_equal(dp_lcore_counters(dp, 0)->no_l2_dest, 0);
	rte_pktmbuf_free(m);
}

void
test_dataplane(void **state)
{
	struct dp_config cfg = {0};
	struct esp_handoff h;
	struct esp_event ev[4];
	struct esp_sa_stats sin, sout;
	struct client cl;
	uint8_t inner[1400], *p, *got;
	struct rte_mbuf *m;
	struct dp *dp;
	uint32_t spi, spi_out, got_len;
	unsigned evn;

	(void)state;
	cfg.nb_lcores = 1;
	cfg.lcores[0] = dp_lcore_id;
	cfg.nb_workers = 2;
	cfg.slots_per_worker = 64;
	cfg.key_cache = 1; /* every SA direction shares one line: misses and collisions */
	cfg.ring_size = 256;
	cfg.burst = 32;
	cfg.outside = (struct dp_port){.port_id = out_port, .poll_rx = true};
	cfg.inside = (struct dp_port){.port_id = in_port, .l3 = true, .poll_rx = true};
	dp = dp_create(&cfg);
	assert_non_null(dp);
	assert_int_equal(rte_eal_remote_launch(dp_lcore_main, dp, dp_lcore_id), 0);

	/* Worker 0 installs a GCM Child SA with NAT-T for the client at 10.98.0.2. */
	spi = dp_spi_alloc(dp, 0, vip, false);
	assert_true(spi >= 256);
	handoff(&h, spi, ESP_ALG_AES_GCM_16, true);
	h.life.soft_packets = 3;
	h.life.hard_packets = 1000;
	assert_true(dp_install(dp, 0, &h));
	assert_true(wait_counter(dp, offsetof(struct dp_counters, installs), 1));
	client_init(&cl, &h);

	/* Client -> protected network: decrypted, out of the inside port as raw IP. */
	ip4(inner, 1400, vip, host, 0x3c);
	client_send(&cl, inner, 1400);
	m = wait_ring(in_tx);
	assert_non_null(m);
	assert_int_equal(rte_pktmbuf_data_len(m), 1400);
	assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), inner, 1400);
	rte_pktmbuf_free(m);

	/* Protected network -> client: encrypted to the MACs the client's frame taught. */
	m = rte_pktmbuf_alloc(pool);
	p = append(m, 300);
	ip4(p, 300, host, vip, 0x77);
	memcpy(inner, p, 300);
	assert_int_equal(rte_ring_enqueue(in_rx, m), 0);
	m = wait_ring(out_tx);
	assert_non_null(m);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	assert_memory_equal(p, client_mac, 6);
	assert_memory_equal(p + 6, gw_mac, 6);
	{
		struct esp_in_hdr eh;
		struct esp_job j;
		unsigned e;

		assert_int_equal(esp_in_parse(p + 14, rte_pktmbuf_data_len(m) - 14, &eh), ESP_OK);
		assert_true(eh.udp);
		assert_int_equal(eh.sport, 4500);
		assert_int_equal(eh.dport, 40123);
		assert_int_equal(eh.spi, h.spi_out);
		assert_int_equal(
			esp_in_prepare(&cl.sa, &cl.krx, p + 14 + eh.esp_off, eh.esp_len, &j),
			ESP_OK);
		assert_int_equal(cry_ipsecmb_esp_burst(client_cry, &j, 1), 1);
		assert_int_equal(esp_in_finish(&cl.sa, NULL, &j, 0, &got, &got_len, &e), ESP_OK);
		assert_int_equal(got_len, 300);
		assert_memory_equal(got, inner, 300);
	}
	rte_pktmbuf_free(m);

	/* A replayed copy and a wrong-SPI packet are counted and dropped. */
	cl.sa.out.seq = 0; /* sends sequence number 1 again */
	ip4(inner, 100, vip, host, 1);
	client_send(&cl, inner, 100);
	assert_true(wait_counter(dp, offsetof(struct dp_counters, drops[ESP_E_REPLAY]), 1));
	cl.sa.out.seq = 10;
	/* Two more: the third inbound packet reaches the soft limit (3 packets). */
	client_send(&cl, inner, 100);
	client_send(&cl, inner, 100);
	for (int i = 0; i < 2; i++) {
		m = wait_ring(in_tx);
		assert_non_null(m);
		rte_pktmbuf_free(m);
	}
	evn = 0;
	for (long i = 0; i < WAIT_LOOPS && evn == 0; i++)
		evn = dp_events(dp, 0, ev, 4);
	assert_int_equal(evn, 1);
	assert_int_equal(ev[0].kind, ESP_EVENT_SOFT);
	assert_int_equal(ev[0].spi_in, spi);
	assert_int_equal(ev[0].ike_spi, h.ike_spi);
	assert_int_equal(ev[0].in.packets, 3);
	assert_true(dp_sa_stats(dp, spi, &sin, &sout, &spi_out));
	assert_int_equal(sin.packets, 3);
	assert_int_equal(sin.replay, 1);
	assert_int_equal(sout.packets, 1);
	assert_int_equal(spi_out, h.spi_out);

	/* ESP handed over by an IKE worker's device takes the ring instead of the port. */
	{
		struct rte_mbuf *one;

		client_send(&cl, inner, 100);
		assert_int_equal(rte_ring_dequeue(out_rx, (void **)&one), 0);
		assert_int_equal(dp_esp_input(dp, 1, &one, 1), 0);
		m = wait_ring(in_tx);
		assert_non_null(m);
		rte_pktmbuf_free(m);
	}

	/* DELETE: final counters come back, the slot's SPI no longer decrypts. */
	assert_true(dp_delete(dp, 0, spi, h.ike_spi));
	evn = 0;
	for (long i = 0; i < WAIT_LOOPS && evn == 0; i++)
		evn = dp_events(dp, 0, ev, 4);
	assert_int_equal(evn, 1);
	assert_int_equal(ev[0].kind, ESP_EVENT_REMOVED);
	assert_int_equal(ev[0].in.packets, 4);
	assert_false(dp_sa_stats(dp, spi, &sin, &sout, &spi_out));
	client_send(&cl, inner, 100);
	assert_true(wait_counter(dp, offsetof(struct dp_counters, drops[ESP_E_NO_SA]), 1));
	/* And nothing routes to the client any more. */
	m = rte_pktmbuf_alloc(pool);
	ip4(append(m, 60), 60, host, vip, 0);
	assert_int_equal(rte_ring_enqueue(in_rx, m), 0);
	assert_true(wait_counter(dp, offsetof(struct dp_counters, no_sa_out), 1));

	/* The slot is reused with a CBC SA and a fresh tag: the old SPI stays dead. */
	{
		uint32_t spi2 = dp_spi_alloc(dp, 0, vip, false);

		assert_int_not_equal(spi2, spi);
		handoff(&h, spi2, ESP_ALG_AES_CBC_HMAC_SHA256_128, false);
		assert_true(dp_install(dp, 0, &h));
		assert_true(wait_counter(dp, offsetof(struct dp_counters, installs), 2));
		assert_false(dp_sa_stats(dp, spi, &sin, &sout, &spi_out));
		assert_true(dp_sa_stats(dp, spi2, &sin, &sout, &spi_out));
		client_init(&cl, &h);
		ip4(inner, 777, vip, host, 9);
		client_send(&cl, inner, 777);
		m = wait_ring(in_tx);
		assert_non_null(m);
		assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), inner, 777);
		rte_pktmbuf_free(m);
		rekey_keeps_macs(dp, spi2);
	}

	/* Two clients' packets interleaved in one burst through a one-line key cache. */
	{
		static const uint8_t vip2[4] = {10, 98, 0, 3};
		struct client cl2;
		struct rte_mbuf *burst[6];
		uint8_t want[6][200];
		uint32_t spi3 = dp_spi_alloc(dp, 1, vip2, false);

		handoff(&h, spi3, ESP_ALG_AES_GCM_16, false);
		h.worker = 1;
		memcpy(h.ts_remote.start, vip2, 4);
		memcpy(h.ts_remote.end, vip2, 4);
		h.key_in[0] ^= 0x55;
		assert_true(dp_install(dp, 1, &h));
		assert_true(wait_counter(dp, offsetof(struct dp_counters, installs), 4));
		client_init(&cl2, &h);
		for (int i = 0; i < 6; i++) {
			ip4(want[i], 200, i % 2 ? vip2 : vip, host, (uint8_t)(0x40 + i));
			burst[i] = client_frame(i % 2 ? &cl2 : &cl, want[i], 200);
		}
		assert_int_equal(rte_ring_enqueue_bulk(out_rx, (void **)burst, 6, NULL), 6);
		for (int i = 0; i < 6; i++) {
			m = wait_ring(in_tx);
			assert_non_null(m);
			assert_int_equal(rte_pktmbuf_data_len(m), 200);
			assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), want[i], 200);
			rte_pktmbuf_free(m);
		}
		assert_true(dp_lcore_counters(dp, 0)->key_misses >= 6);
	}

	/*
	 * A rekey (replaces_spi_in): the new SA takes the route; the old one,
	 * deleted, still decrypts what the client sent on it before switching,
	 * for DP_LINGER_S, then its final counters come back.
	 */
	{
		uint32_t old_spi = cl.sa.spi_out, spi4 = dp_spi_alloc(dp, 0, vip, false);
		struct client cl4;

		handoff(&h, spi4, ESP_ALG_AES_GCM_16, false);
		h.replaces_spi_in = old_spi;
		h.key_in[1] ^= 0x33;
		assert_true(dp_install(dp, 0, &h));
		assert_true(wait_counter(dp, offsetof(struct dp_counters, installs), 4));
		assert_true(dp_delete(dp, 0, old_spi, h.ike_spi));
		assert_true(wait_counter(dp, offsetof(struct dp_counters, deletes), 2));
		ip4(inner, 300, vip, host, 0x77);
		client_send(&cl, inner, 300);
		m = wait_ring(in_tx);
		assert_non_null(m);
		assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), inner, 300);
		rte_pktmbuf_free(m);
		client_init(&cl4, &h);
		client_send(&cl4, inner, 300);
		m = wait_ring(in_tx);
		assert_non_null(m);
		rte_pktmbuf_free(m);
		evn = 0;
		for (int i = 0; i < 400 && evn == 0; i++) {
			evn = dp_events(dp, 0, ev, 4);
			if (evn == 0)
				usleep(10000);
		}
		assert_int_equal(evn, 1);
		assert_int_equal(ev[0].kind, ESP_EVENT_REMOVED);
		assert_int_equal(ev[0].spi_in, old_spi);
		assert_false(dp_sa_stats(dp, old_spi, &sin, &sout, &spi_out));
		assert_true(dp_sa_stats(dp, spi4, &sin, &sout, &spi_out));
		assert_int_equal(sin.packets, 1);
	}
	dp_stop(dp);
	rte_eal_wait_lcore(dp_lcore_id);
	printf("data-path memory per Child SA: %zu octets\n", dp_sa_mem_size(0));
	dp_destroy(dp);
}

int
main(void)
{
	/*
	 * Three lcores on whatever two CPUs there are: the data-path lcores share
	 * one. rt_eal_init picks a file prefix of its own and rt_eal_cleanup
	 * removes its runtime directory again.
	 */
	char *argv[] = {"test_dp", "--lcores", "0@0,1@1,2@1", "--no-huge",     "--no-pci",
			"-m",	   "512",      "--log-level", "lib.eal:error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_size),
		cmocka_unit_test(test_hosts_index),
		cmocka_unit_test(test_nb_table),
		cmocka_unit_test(test_tsr_table),
		cmocka_unit_test(test_dp_lifetimes),
		cmocka_unit_test(test_dataplane),
		cmocka_unit_test(test_subnet_two_lcores),
		cmocka_unit_test(test_inside_mtu),
		cmocka_unit_test(test_dual_stack),
	};

	if (rt_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0) {
		fprintf(stderr, "test_dp: EAL init failed\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test_dp_pool", 4096, 0, 0, 2048 + 128, 0);
	client_cry = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	if (pool == NULL || client_cry == NULL)
		return 1;
	dp_lcore_id = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	out_port = ring_port("dp_out", &out_rx, &out_tx);
	in_port = ring_port("dp_in", &in_rx, &in_tx);
	{
		int rc = cmocka_run_group_tests(tests, NULL, NULL);

		cry_ipsecmb_destroy(client_cry);
		rt_eal_cleanup();
		return rc;
	}
}
