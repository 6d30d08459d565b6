/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Child SA handoff to a running data-path lcore: Child SAs per second
 * installed through the handoff ring (idle, and while the lcore encrypts a
 * stream of 1400-octet inside packets), what one install costs the IKE
 * worker (SPI choice, record fill, enqueue), and the data-path memory per
 * Child SA. EAL --no-huge --no-pci on 2 lcores, net_ring ports.
 *
 * --mem: only the memory line (bench/run_storm_bench.sh adds it to the IKE
 * side's octets per SA): the EAL heap that dp_create() takes with N and
 * with 2N Child SA slots, the difference divided by N. That is every table
 * a slot grows (the SA record, the host-route hash, the LPM rule tables,
 * the free-slot stack), not just sizeof.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "bench.h"
#include "dp.h"
#include "rt.h"

#define N_SA 16384
#define PKT 1400

static struct rte_mempool *pool;
static struct rte_ring *rx[2], *txr[2];

static uint16_t
ring_port(const char *name, unsigned i)
{
	struct rte_eth_conf conf = {0};
	char rn[32];
	int port;

	snprintf(rn, sizeof(rn), "%s_rx", name);
	rx[i] = rte_ring_create(rn, 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(rn, sizeof(rn), "%s_tx", name);
	txr[i] = rte_ring_create(rn, 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	port = rte_eth_from_rings(name, &rx[i], 1, &txr[i], 1, 0);
	if (port < 0 || rte_eth_dev_configure((uint16_t)port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup((uint16_t)port, 0, 1024, 0, NULL, pool) != 0 ||
	    rte_eth_tx_queue_setup((uint16_t)port, 0, 1024, 0, NULL) != 0 ||
	    rte_eth_dev_start((uint16_t)port) != 0) {
		fprintf(stderr, "bench_handoff: port %s\n", name);
		exit(1);
	}
	return (uint16_t)port;
}

static void
record(struct esp_handoff *h, uint32_t spi, uint32_t n)
{
	memset(h, 0, sizeof(*h));
	h->op = ESP_HO_INSTALL;
	h->alg = ESP_ALG_AES_GCM_16;
	h->enc_key_len = 32;
	h->spi_in = spi;
	h->spi_out = 0x10000 + n;
	h->ike_spi = 0x100000000ull + n;
	memcpy(h->local, "\xc0\x00\x02\x01", 4);
	memcpy(h->remote, "\xc6\x33\x64\x07", 4);
	/* Client n has virtual IP 10.96.0.0 + n. */
	h->ts_remote.start[0] = h->ts_remote.end[0] = 10;
	h->ts_remote.start[1] = h->ts_remote.end[1] = (uint8_t)(96 + (n >> 16));
	h->ts_remote.start[2] = h->ts_remote.end[2] = (uint8_t)(n >> 8);
	h->ts_remote.start[3] = h->ts_remote.end[3] = (uint8_t)n;
	memset(h->key_in, (int)n, sizeof(h->key_in));
	memset(h->key_out, (int)~n, sizeof(h->key_out));
}

static uint64_t
installs(const struct dp *dp)
{
	return __atomic_load_n(&dp_lcore_counters(dp, 0)->installs, __ATOMIC_RELAXED);
}

/* Feeds up to n 1400-octet packets to the first client; returns how many went in. */
static unsigned
feed(unsigned n)
{
	struct rte_mbuf *m[32];
	unsigned i, k;

	/* Take back what the data path sent. */
	while ((k = rte_ring_dequeue_burst(txr[0], (void **)m, 32, NULL)) != 0)
		rte_pktmbuf_free_bulk(m, k);
	if (rte_pktmbuf_alloc_bulk(pool, m, n) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		uint8_t *p = (uint8_t *)rte_pktmbuf_append(m[i], PKT);

		memset(p, 0, 20);
		p[0] = 0x45;
		p[2] = PKT >> 8;
		p[3] = PKT & 0xff;
		memcpy(p + 12, "\x0a\x63\x00\x02\x0a\x60\x00\x00", 8);
	}
	k = rte_ring_enqueue_burst(rx[1], (void **)m, n, NULL);
	if (k < n)
		rte_pktmbuf_free_bulk(m + k, n - k);
	return k;
}

/* Installs N_SA Child SAs, prints SAs/s and the worker's ns per install, deletes them. */
static void
run(struct dp *dp, bool traffic, uint32_t *spis)
{
	uint64_t worker_ns = 0, t0, t1, start = installs(dp), pkts = 0, out0;
	struct esp_handoff h;
	double secs;
	uint32_t n;
	bool ok;

	out0 = dp_lcore_counters(dp, 0)->esp_out_pkts;
	t0 = bench_now_ns();
	for (n = 0; n < N_SA; n++) {
		uint64_t a = bench_now_ns();
		uint8_t vip[4];

		record(&h, 0, n);
		memcpy(vip, h.ts_remote.start, 4);
		h.spi_in = spis[n] = dp_spi_alloc(dp, 0, vip, false);
		ok = dp_install(dp, 0, &h);
		/* The worker's cost; waiting for room when the lcore is behind is not. */
		worker_ns += bench_now_ns() - a;
		while (!ok)
			ok = dp_install(dp, 0, &h);
		if (traffic && n % 16 == 0)
			pkts += feed(32);
	}
	while (installs(dp) - start < N_SA)
		if (traffic)
			pkts += feed(32);
	t1 = bench_now_ns();
	secs = (double)(t1 - t0) / 1e9;
	printf("handoff %-26s %6u Child SAs in %7.1f ms: %8.0f SAs/s installed; IKE worker "
	       "%5.0f ns per SA",
	       traffic ? "(data path encrypting)" : "(data path idle)", N_SA, secs * 1e3,
	       N_SA / secs, (double)worker_ns / N_SA);
	if (traffic)
		printf("; meanwhile %.2f Mpps of %d-B packets encrypted",
		       (double)(dp_lcore_counters(dp, 0)->esp_out_pkts - out0) / secs / 1e6, PKT);
	printf("\n");
	for (n = 0; n < N_SA; n++)
		while (!dp_delete(dp, 0, spis[n], 0x100000000ull + n))
			;
	while (__atomic_load_n(&dp_lcore_counters(dp, 0)->deletes, __ATOMIC_RELAXED) <
	       (traffic ? 2u : 1u) * N_SA)
		;
	(void)pkts;
}

/* EAL heap octets in use (tables, rings, pools). */
static size_t
heap_used(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats(0, &st) != 0)
		return 0;
	return st.heap_allocsz_bytes;
}

/* What dp_create() takes from the heap with slots Child SA slots (per worker, per lcore). */
static size_t
dp_heap(struct dp_config *cfg, unsigned slots)
{
	size_t before = heap_used(), after;
	struct dp *dp;

	cfg->slots_per_worker = slots;
	dp = dp_create(cfg);
	if (dp == NULL) {
		fprintf(stderr, "bench_handoff: dp_create with %u slots\n", slots);
		exit(1);
	}
	after = heap_used();
	dp_destroy(dp);
	return after - before;
}

static void
print_mem(const char *what, struct dp_config cfg)
{
	size_t one = dp_heap(&cfg, N_SA), two = dp_heap(&cfg, 2 * N_SA);
	double per_slot = (double)(two - one) / N_SA;

	printf("%s: %.0f octets per Child SA slot (EAL heap with %u and %u slots; "
	       "the SA record %zu of them), %.0f octets fixed per lcore (key-schedule cache, "
	       "rings)\n",
	       what, per_slot, N_SA, 2 * N_SA, dp_sa_mem_size(cfg.keymat_len),
	       (double)one - per_slot * N_SA);
}

int
main(int argc, char **argv_in)
{
	static uint32_t spis[N_SA];
	/* rt_eal_init picks a file prefix; rt_eal_cleanup removes its directory. */
	char *argv[] = {"bench_handoff", "-l", "0-1", "--no-huge",
			"--no-pci",	 "-m", "512", "--log-level",
			"lib.eal:error", NULL};
	struct dp_config cfg = {0};
	struct esp_event ev[64];
	struct dp *dp;
	unsigned lc;

	if (rt_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return 1;
	pool = rte_pktmbuf_pool_create("bench_pool", 8192, 256, 0, 2048 + 128, 0);
	if (pool == NULL)
		return 1;
	lc = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	cfg.nb_lcores = 1;
	cfg.lcores[0] = lc;
	cfg.nb_workers = 1;
	cfg.slots_per_worker = N_SA;
	cfg.ring_size = 1024;
	cfg.burst = 32;
	cfg.outside = (struct dp_port){.port_id = ring_port("ho_out", 0), .l3 = true};
	cfg.inside =
		(struct dp_port){.port_id = ring_port("ho_in", 1), .l3 = true, .poll_rx = true};
	print_mem("data-path memory", cfg);
	{
		/* Key space sized by AES-GCM-only [child] proposals (dp_config.keymat_len). */
		struct dp_config gcm = cfg;

		gcm.keymat_len = esp_keymat_len(ESP_ALG_AES_GCM_16, 32);
		print_mem("data-path memory with AES-GCM-only proposals", gcm);
	}
	if (argc > 1 && strcmp(argv_in[1], "--mem") == 0) {
		rt_eal_cleanup();
		return 0;
	}
	dp = dp_create(&cfg);
	if (dp == NULL)
		return 1;
	rte_eal_remote_launch(dp_lcore_main, dp, lc);
	run(dp, false, spis);
	while (dp_events(dp, 0, ev, 64) != 0)
		;
	run(dp, true, spis);
	dp_stop(dp);
	rte_eal_wait_lcore(lc);
	dp_destroy(dp);
	rt_eal_cleanup();
	return 0;
}
