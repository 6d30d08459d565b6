/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev driver's tests in process: EAL (--no-huge --no-pci), a net_ring
 * port per test whose RX ring we fill with crafted frames (eth_frames.h) and
 * whose TX ring we read back; helpers for the tests whose peer is the kernel
 * on a TAP interface.
 */
#ifndef ETH_HARNESS_H
#define ETH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eth_frames.h"
#include "io_eth.h"

#define H_OUT_MAX 64
#define H_COUNTERS_MAX 128

struct h_port {
	uint16_t port_id;
	unsigned nb_workers;
	struct io_dev *dev[2];
	struct rte_ring *rx, *tx;
	uint8_t mac[6];
	uint64_t base[2][H_COUNTERS_MAX]; /* driver counters right after open */
};

/* cmocka group setup/teardown: EAL for the tests (--no-huge --no-pci, one lcore). */
int h_eal_setup(void **state);
int h_eal_teardown(void **state);

/* Default driver settings for the tests (gateways set, MTU 1500). */
void h_conf(struct io_eth_conf *c, uint16_t port_id, uint16_t nb_workers);
/* A net_ring port with one queue pair and the driver opened on it for nb_workers. */
void h_open(struct h_port *p, unsigned nb_workers, const struct io_eth_conf *conf);
void h_close(struct h_port *p);

/* Queues frame bytes as a received frame. */
void h_inject(struct h_port *p, const void *frame, size_t len);
/* Runs one RX burst of worker w; its IKE packets go to pkts (the caller frees them). */
uint16_t h_rx(struct h_port *p, unsigned w, struct io_pkt **pkts);
/* Frames the driver sent, in order (at most max). */
unsigned h_sent(struct h_port *p, struct h_frame *out, unsigned max);
/* The driver learns the peer's MAC from its ARP request (4) or NS (6); the answer is drained. */
void h_learn_peer(struct h_port *p, uint8_t family);
/* Sends an IKE reply of len octets from worker w to peer; returns what tx_burst said. */
uint16_t h_send_reply(struct h_port *p, unsigned w, uint8_t family, const uint8_t *peer,
		      uint16_t lport, uint16_t rport, const void *payload, uint16_t len,
		      uint16_t flags);
/*
 * One named driver counter of worker w since h_open() (which checked and
 * took the announcements of our addresses); fails the test when unknown.
 */
uint64_t h_counter(struct h_port *p, unsigned w, const char *name);
/* Every driver counter of worker w is zero except those named (NULL-terminated). */
void h_only_counters(struct h_port *p, unsigned w, const char *const *nonzero);
/* The value of a named driver counter of dev (not relative to anything). */
uint64_t h_dev_counter(struct io_dev *dev, const char *name);

/* Skips the test (saying so on stderr) without root and /dev/net/tun. */
void h_skip_without_tap(const char *test);
/* An AF_PACKET socket bound to that interface, all protocols, 100 ms receive timeout. */
int h_packet_socket(const char *ifname);
uint64_t h_mono_ms(void);

#endif
