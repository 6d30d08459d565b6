/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data-path lcores in process: EAL --no-huge --no-pci on 3 lcores, the
 * outside and inside ports are net_ring ports whose rings the test feeds
 * and drains. The test plays both the IKE worker (SPI, install, delete,
 * lifetime events) and the client (lib/esp with the same keys).
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
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "cry_ipsecmb_esp.h"
#include "dp.h"
#include "dp_priv.h"
#include "esp_pkt.h"
#include "rt.h"

#define WAIT_LOOPS 2000000

static struct rte_mempool *pool;
static struct rte_ring *out_rx, *out_tx, *in_rx, *in_tx; /* as the ports see them */
static uint16_t out_port, in_port;
static struct cry_ipsecmb *client_cry;
static unsigned dp_lcore_id;

static const uint8_t client_mac[6] = {2, 0, 0, 0, 0, 0xc1};
static const uint8_t gw_mac[6] = {2, 0, 0, 0, 0, 0x01};
static const uint8_t vip[4] = {10, 98, 0, 2};
static const uint8_t host[4] = {10, 99, 0, 2};

static uint16_t
ring_port(const char *name, struct rte_ring **rx, struct rte_ring **tx)
{
	struct rte_eth_conf conf = {0};
	char rn[32];
	int port;

	snprintf(rn, sizeof(rn), "%s_rx", name);
	*rx = rte_ring_create(rn, 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(rn, sizeof(rn), "%s_tx", name);
	*tx = rte_ring_create(rn, 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(*rx);
	assert_non_null(*tx);
	port = rte_eth_from_rings(name, rx, 1, tx, 1, 0);
	assert_true(port >= 0);
	assert_int_equal(rte_eth_dev_configure((uint16_t)port, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup((uint16_t)port, 0, 1024, 0, NULL, pool), 0);
	assert_int_equal(rte_eth_tx_queue_setup((uint16_t)port, 0, 1024, 0, NULL), 0);
	assert_int_equal(rte_eth_dev_start((uint16_t)port), 0);
	return (uint16_t)port;
}

static const uint8_t keymat_in[ESP_MAX_KEYMAT] = {0xa1, 0xa2, 0xa3, 0xa4, 0xa5};
static const uint8_t keymat_out[ESP_MAX_KEYMAT] = {0xb1, 0xb2, 0xb3, 0xb4, 0xb5};

/* The client's SA pair: it sends with our inbound keys and receives with our outbound ones. */
struct client {
	struct esp_sa sa;
	struct cry_ipsecmb_esp_keys ktx, krx;
};

static void
handoff(struct esp_handoff *h, uint32_t spi_in, enum esp_alg alg, bool udp)
{
	memset(h, 0, sizeof(*h));
	h->op = ESP_HO_INSTALL;
	h->alg = (uint8_t)alg;
	h->enc_key_len = 32;
	h->flags = udp ? ESP_SA_UDP : 0;
	h->worker = 0;
	h->local_port = 4500;
	h->remote_port = 40123;
	h->spi_in = spi_in;
	h->spi_out = 0xc0010000 | (spi_in & 0xffff);
	h->ike_spi = 0x1122334455667788ull;
	memcpy(h->local, "\xc0\x00\x02\x01", 4);
	memcpy(h->remote, "\xc6\x33\x64\x07", 4);
	memcpy(h->ts_remote.start, vip, 4);
	memcpy(h->ts_remote.end, vip, 4);
	memcpy(h->ts_local.start, "\x0a\x63\x00\x00", 4);
	memcpy(h->ts_local.end, "\x0a\x63\x00\xff", 4);
	memcpy(h->key_in, keymat_in, sizeof(h->key_in));
	memcpy(h->key_out, keymat_out, sizeof(h->key_out));
}

static void
client_init(struct client *c, const struct esp_handoff *h)
{
	struct esp_sa ours;

	/* The client's view is ours mirrored. */
	assert_true(esp_handoff_sa(h, &ours));
	memset(c, 0, sizeof(*c));
	c->sa = ours;
	c->sa.spi_in = ours.spi_out;
	c->sa.spi_out = ours.spi_in;
	memcpy(c->sa.local, ours.remote, 16);
	memcpy(c->sa.remote, ours.local, 16);
	c->sa.lport = h->remote_port;
	c->sa.rport = h->local_port;
	memcpy(c->sa.ts.start, host, 4);
	memcpy(c->sa.ts.end, host, 4);
	assert_true(cry_ipsecmb_esp_keys_init(client_cry, &c->ktx, (enum esp_alg)h->alg, 32,
					      h->key_in));
	assert_true(cry_ipsecmb_esp_keys_init(client_cry, &c->krx, (enum esp_alg)h->alg, 32,
					      h->key_out));
}

static void
ip4(uint8_t *p, uint32_t len, const uint8_t *src, const uint8_t *dst, uint8_t fill)
{
	memset(p, fill, len);
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
}

static uint8_t *
append(struct rte_mbuf *m, uint16_t len)
{
	char *p;

	assert_non_null(m);
	p = rte_pktmbuf_append(m, len);
	if (p == NULL)
		fail();
	return (uint8_t *)p;
}

/* The client encrypts inner into an Ethernet frame for the outside port. */
static struct rte_mbuf *
client_frame(struct client *c, const uint8_t *inner, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *base, *outer, *frame;
	uint32_t outer_len;
	struct esp_job j;
	unsigned ev;

	assert_non_null(m);
	base = (uint8_t *)m->buf_addr + 128;
	memcpy(base, inner, len);
	assert_int_equal(esp_out_prepare(&c->sa, &c->ktx, base, len, 128, m->buf_len - 128 - len,
					 (const uint8_t *)"0123456789abcdef", &j, &outer,
					 &outer_len),
			 ESP_OK);
	assert_int_equal(cry_ipsecmb_esp_burst(client_cry, &j, 1), 1);
	assert_int_equal(esp_out_finish(&c->sa, &j, &ev), ESP_OK);
	frame = outer - RTE_ETHER_HDR_LEN;
	memcpy(frame, gw_mac, 6);
	memcpy(frame + 6, client_mac, 6);
	frame[12] = 0x08;
	frame[13] = 0x00;
	m->data_off = (uint16_t)(frame - (uint8_t *)m->buf_addr);
	m->data_len = (uint16_t)(outer_len + RTE_ETHER_HDR_LEN);
	m->pkt_len = m->data_len;
	return m;
}

static void
client_send(struct client *c, const uint8_t *inner, uint32_t len)
{
	assert_int_equal(rte_ring_enqueue(out_rx, client_frame(c, inner, len)), 0);
}

static struct rte_mbuf *
wait_ring(struct rte_ring *r)
{
	struct rte_mbuf *m;

	for (long i = 0; i < WAIT_LOOPS; i++) {
		if (rte_ring_dequeue(r, (void **)&m) == 0)
			return m;
		usleep(1);
	}
	return NULL;
}

/* Waits until data-path lcore d's counter reaches want (handoffs have no other witness). */
static bool
wait_counter_of(struct dp *dp, unsigned d, size_t off, uint64_t want)
{
	for (long i = 0; i < WAIT_LOOPS; i++) {
		const uint8_t *c = (const uint8_t *)dp_lcore_counters(dp, d);

		if (__atomic_load_n((const uint64_t *)(c + off), __ATOMIC_RELAXED) >= want)
			return true;
		usleep(1);
	}
	return false;
}

static bool
wait_counter(struct dp *dp, size_t off, uint64_t want)
{
	return wait_counter_of(dp, 0, off, want);
}

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

static void
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
		assert_int_equal(esp_in_finish(&cl.sa, &j, 0, &got, &got_len, &e), ESP_OK);
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
	printf("data-path memory per Child SA: %zu octets\n", dp_sa_mem_size());
	dp_destroy(dp);
}

/*
 * The host-route index against a plain model: 200 slots (a 512-cell
 * table), addresses that share low bits so runs form, random adds, rekey
 * take-overs and deletes; every address finds exactly the model's slot.
 */
static void
test_hosts_index(void **state)
{
	enum { SLOTS = 200, ADDRS = 300 };
	static struct dp_entry tab[SLOTS];
	uint32_t model[ADDRS]; /* address index -> slot, UINT32_MAX: none */
	int owner[SLOTS];      /* slot -> address index, -1: free */
	struct dp_lcore l;
	uint64_t rnd = 0x9e3779b97f4a7c15ull;

	(void)state;
	memset(&l, 0, sizeof(l));
	memset(tab, 0, sizeof(tab));
	l.nb_slots = SLOTS;
	l.tab = tab;
	dp_hosts_init(&l, SOCKET_ID_ANY);
	assert_non_null(l.hosts);
	for (int a = 0; a < ADDRS; a++)
		model[a] = UINT32_MAX;
	for (int s = 0; s < SLOTS; s++)
		owner[s] = -1;
	for (int step = 0; step < 20000; step++) {
		uint32_t s, a;
		uint8_t addr[4];

		rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
		s = (uint32_t)(rnd >> 33) % SLOTS;
		a = (uint32_t)(rnd >> 13) % ADDRS;
		if (owner[s] >= 0) {
			/* Delete the SA in s: its address goes only if it still points here. */
			int o = owner[s];

			memcpy(addr, tab[s].sa.ts.start, 4);
			dp_hosts_del(&l, false, addr, s);
			if (model[o] == s)
				model[o] = UINT32_MAX;
			owner[s] = -1;
			memset(&tab[s], 0, sizeof(tab[s]));
		} else {
			/* Install address a in s (a rekey when another slot has it). */
			addr[0] = 10;
			addr[1] = (uint8_t)(a % 3);
			addr[2] = (uint8_t)(a >> 8);
			addr[3] = (uint8_t)a;
			memcpy(tab[s].sa.ts.start, addr, 4);
			memcpy(tab[s].sa.ts.end, addr, 4);
			dp_hosts_add(&l, false, addr, s);
			if (model[a] != UINT32_MAX)
				owner[model[a]] = -1; /* the old SA no longer owns the route */
			model[a] = s;
			owner[s] = (int)a;
		}
		if (step % 97 == 0 || step > 19900)
			for (int b = 0; b < ADDRS; b++) {
				uint8_t q[4] = {10, (uint8_t)(b % 3), (uint8_t)(b >> 8),
						(uint8_t)b};

				assert_int_equal(dp_hosts_find(&l, false, q), model[b]);
			}
	}
	rte_free(l.hosts);
}

/* The per-Child-SA record stays within its budget (a size, not a timing). */
static void
test_record_size(void **state)
{
	(void)state;
	printf("data-path record per Child SA: %zu octets (budget %d), SA pair %zu\n",
	       dp_sa_mem_size(), DP_SA_MEM_BUDGET, sizeof(struct esp_sa));
	assert_true(dp_sa_mem_size() <= DP_SA_MEM_BUDGET);
	assert_true(sizeof(struct esp_sa) <= ESP_SA_BUDGET);
}

/* A net_ring port with two queue pairs (one per data-path lcore). */
static uint16_t
ring_port2(const char *name, struct rte_ring *rx[2], struct rte_ring *tx[2])
{
	struct rte_eth_conf conf = {0};
	char rn[32];
	int port, q;

	for (q = 0; q < 2; q++) {
		snprintf(rn, sizeof(rn), "%s_rx%d", name, q);
		rx[q] = rte_ring_create(rn, 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(rn, sizeof(rn), "%s_tx%d", name, q);
		tx[q] = rte_ring_create(rn, 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		assert_non_null(rx[q]);
		assert_non_null(tx[q]);
	}
	port = rte_eth_from_rings(name, rx, 2, tx, 2, 0);
	assert_true(port >= 0);
	assert_int_equal(rte_eth_dev_configure((uint16_t)port, 2, 2, &conf), 0);
	for (q = 0; q < 2; q++) {
		assert_int_equal(
			rte_eth_rx_queue_setup((uint16_t)port, (uint16_t)q, 1024, 0, NULL, pool),
			0);
		assert_int_equal(rte_eth_tx_queue_setup((uint16_t)port, (uint16_t)q, 1024, 0, NULL),
				 0);
	}
	assert_int_equal(rte_eth_dev_start((uint16_t)port), 0);
	return (uint16_t)port;
}

/* FNV-1a as dp_owner: the lcore (of 2) inside packets to addr are steered to. */
static unsigned
owner_of(const uint8_t *addr)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 4; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h % 2;
}

/* Decrypts the ESP frame m with the client's SA; returns the inner length, checks it is want. */
static void
client_receive(struct client *c, struct rte_mbuf *m, const uint8_t *want, uint32_t want_len)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *), *got;
	struct esp_in_hdr eh;
	struct esp_job j;
	uint32_t got_len;
	unsigned e;

	assert_int_equal(esp_in_parse(p + 14, rte_pktmbuf_data_len(m) - 14, &eh), ESP_OK);
	assert_int_equal(esp_in_prepare(&c->sa, &c->krx, p + 14 + eh.esp_off, eh.esp_len, &j),
			 ESP_OK);
	assert_int_equal(cry_ipsecmb_esp_burst(client_cry, &j, 1), 1);
	assert_int_equal(esp_in_finish(&c->sa, &j, 0, &got, &got_len, &e), ESP_OK);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
}

/*
 * Two data-path lcores and a site-to-site SA for 10.97.0.0/24: inside
 * packets to subnet hosts that hash to either lcore, received on either
 * lcore's queue, all leave encrypted by the SA's lcore. With an outside MTU
 * of 1400: a DF packet too big for the tunnel comes back as ICMP
 * "fragmentation needed" with the exact MTU; without DF it is encrypted
 * (its ESP packet larger than the MTU, for the outside driver to fragment).
 */
static void
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
		cmocka_unit_test(test_dataplane),
		cmocka_unit_test(test_subnet_two_lcores),
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
