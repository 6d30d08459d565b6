/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_test_util.c - the harness of the data-path tests (dp_test_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>

#include "dp_test_util.h"

struct rte_mempool *pool;
struct rte_ring *out_rx, *out_tx, *in_rx, *in_tx;
struct cry_ipsecmb *client_cry;
unsigned dp_lcore_id;
uint16_t out_port, in_port;

const uint8_t client_mac[6] = {2, 0, 0, 0, 0, 0xc1};
const uint8_t gw_mac[6] = {2, 0, 0, 0, 0, 0x01};
const uint8_t vip[4] = {10, 98, 0, 2};
const uint8_t host[4] = {10, 99, 0, 2};

static const uint8_t keymat_in[ESP_MAX_KEYMAT] = {0xa1, 0xa2, 0xa3, 0xa4, 0xa5};
static const uint8_t keymat_out[ESP_MAX_KEYMAT] = {0xb1, 0xb2, 0xb3, 0xb4, 0xb5};

uint16_t
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

void
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

void
client_init(struct client *c, const struct esp_handoff *h)
{
	struct esp_sa ours;

	/* The client's view is ours mirrored. */
	assert_true(esp_handoff_sa(h, &ours));
	memset(c, 0, sizeof(*c));
	c->sa = ours;
	c->sa.spi_in = ours.spi_out;
	c->sa.spi_out = ours.spi_in;
	memcpy(c->local, h->remote, 16);
	memset(c->sa.remote, 0, 16);
	memcpy(c->sa.remote, h->local, 4);
	c->sa.lport = h->remote_port;
	c->sa.rport = h->local_port;
	memcpy(c->sa.ts, host, 4);
	c->sa.ts_len = 32;
	assert_true(cry_ipsecmb_esp_keys_init(client_cry, &c->ktx, (enum esp_alg)h->alg, 32,
					      h->key_in));
	assert_true(cry_ipsecmb_esp_keys_init(client_cry, &c->krx, (enum esp_alg)h->alg, 32,
					      h->key_out));
}

void
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

uint8_t *
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
struct rte_mbuf *
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
	assert_int_equal(
		esp_out_prepare(&c->sa, c->local, &c->ktx, base, len, 128, m->buf_len - 128 - len,
				(const uint8_t *)"0123456789abcdef", &j, &outer, &outer_len),
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

void
client_send(struct client *c, const uint8_t *inner, uint32_t len)
{
	assert_int_equal(rte_ring_enqueue(out_rx, client_frame(c, inner, len)), 0);
}

struct rte_mbuf *
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
bool
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

bool
wait_counter(struct dp *dp, size_t off, uint64_t want)
{
	return wait_counter_of(dp, 0, off, want);
}

/* A net_ring port with two queue pairs (one per data-path lcore). */
uint16_t
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

/* FNV-1a as dp_owner: the lcore (of 2) inside packets to addr (n octets) are steered to. */
static unsigned
owner_n(const uint8_t *addr, int n)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < n; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h % 2;
}

unsigned
owner_of(const uint8_t *addr)
{
	return owner_n(addr, 4);
}

unsigned
owner_of6(const uint8_t *addr)
{
	return owner_n(addr, 16);
}

void
ip6(uint8_t *p, uint32_t len, const uint8_t *src, const uint8_t *dst, uint8_t fill)
{
	memset(p, fill, len);
	memset(p, 0, 40);
	p[0] = 0x60;
	p[4] = (uint8_t)((len - 40) >> 8);
	p[5] = (uint8_t)(len - 40);
	p[6] = 17;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

/* Decrypts the ESP frame m with the client's SA; returns the inner length, checks it is want. */
void
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
	assert_int_equal(esp_in_finish(&c->sa, NULL, &j, 0, &got, &got_len, &e), ESP_OK);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
}
