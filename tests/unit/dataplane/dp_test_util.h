/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The harness of the data-path tests (test_dp*.c, one executable): EAL
 * --no-huge --no-pci on 3 lcores, net_ring ports whose rings the tests
 * feed and drain, and a client (lib/esp with the same keys).
 */
#ifndef DP_TEST_UTIL_H
#define DP_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "cry_ipsecmb_esp.h"
#include "dp.h"
#include "dp_priv.h"
#include "esp_pkt.h"

#define WAIT_LOOPS 2000000

extern struct rte_mempool *pool;
extern struct rte_ring *out_rx, *out_tx, *in_rx, *in_tx; /* as the ports see them */
extern struct cry_ipsecmb *client_cry;
extern unsigned dp_lcore_id;
extern uint16_t out_port, in_port;

extern const uint8_t client_mac[6], gw_mac[6], vip[4], host[4];

/* The client's SA pair: it sends with our inbound keys and receives with our outbound ones. */
struct client {
	struct esp_sa sa;
	uint8_t local[16]; /* its outer address: our remote one */
	struct cry_ipsecmb_esp_keys ktx, krx;
};

/* A net_ring port with one queue pair (ring_port) or two, one per data-path lcore. */
uint16_t ring_port(const char *name, struct rte_ring **rx, struct rte_ring **tx);
uint16_t ring_port2(const char *name, struct rte_ring *rx[2], struct rte_ring *tx[2]);
/* An install of worker 0 for vip (GCM or CBC), NAT-T if udp. */
void handoff(struct esp_handoff *h, uint32_t spi_in, enum esp_alg alg, bool udp);
/* The client's SA pair for the install h (ours mirrored). */
void client_init(struct client *c, const struct esp_handoff *h);
/* An IPv4 packet of len octets from src to dst, its payload fill. */
void ip4(uint8_t *p, uint32_t len, const uint8_t *src, const uint8_t *dst, uint8_t fill);
uint8_t *append(struct rte_mbuf *m, uint16_t len);
/* The client encrypts inner into an Ethernet frame for the outside port (and sends it). */
struct rte_mbuf *client_frame(struct client *c, const uint8_t *inner, uint32_t len);
void client_send(struct client *c, const uint8_t *inner, uint32_t len);
/* Decrypts the ESP frame m with the client's SA; checks the inner packet is want. */
void client_receive(struct client *c, struct rte_mbuf *m, const uint8_t *want, uint32_t want_len);
/* The next mbuf of r, or NULL after WAIT_LOOPS. */
struct rte_mbuf *wait_ring(struct rte_ring *r);
/* Waits until data-path lcore d's (0's) counter at off reaches want. */
bool wait_counter_of(struct dp *dp, unsigned d, size_t off, uint64_t want);
bool wait_counter(struct dp *dp, size_t off, uint64_t want);
/* FNV-1a as dp_owner: the lcore (of 2) inside packets to addr are steered to. */
unsigned owner_of(const uint8_t *addr);
unsigned owner_of6(const uint8_t *addr);
/* An IPv6 packet of len octets (header included) from src to dst, its payload fill. */
void ip6(uint8_t *p, uint32_t len, const uint8_t *src, const uint8_t *dst, uint8_t fill);

/* The cases, in test_dp.c, test_dp_tables.c, test_dp_life.c, test_dp_subnet.c, test_dp_mtu.c,
 * test_dp_dual.c. */
void test_record_size(void **state);
void test_hosts_index(void **state);
void test_nb_table(void **state);
void test_tsr_table(void **state);
void test_dp_lifetimes(void **state);
void test_dataplane(void **state);
void test_subnet_two_lcores(void **state);
void test_inside_mtu(void **state);
void test_dual_stack(void **state);

#endif
