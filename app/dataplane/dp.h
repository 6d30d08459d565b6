/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp - ESP data-path lcores. Each owns a table of Child SAs (inbound by the
 * slot bits of our SPI, outbound by destination address: a slot index
 * (dp_hosts.c) for a one-address TSi such as the client's virtual IP,
 * rte_lpm / rte_lpm6 for a wider narrowed TSi), one rx/tx queue on
 * the outside port (ESP) and one on the inside port (plaintext), and a
 * crypto driver instance. Nothing is shared with other lcores but rings:
 *
 *   IKE worker w ──handoff ring (MP/SC, record pointers)──▶ data-path lcore d
 *   IKE worker w ──ESP ring (MP/SC, mbufs it received)───▶ data-path lcore d
 *   data-path lcore d ──event ring (MP/SC, by value)──────▶ IKE worker w
 *   data-path lcore d ──inside ring (MP/SC, mbufs)───────▶ data-path lcore d'
 *
 * An IKE worker calls dp_spi_alloc() for a new Child SA (our inbound SPI
 * names the lcore and slot, esp_spi.h), dp_install()/dp_delete() to hand it
 * over, dp_esp_input() for ESP its device received, and dp_events() to learn
 * of lifetimes the data path counted (RFC 7296 2.8: rekey or delete).
 */
#ifndef DP_H
#define DP_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_handoff.h"
#include "esp_status.h"
#include "esp_spi.h"

#define DP_MAX_LCORES 16
#define DP_MAX_WORKERS 64
/* Child SAs per lcore at most: rte_lpm6 keeps 21 bits of next hop (slots, then one per lcore). */
#define DP_MAX_SLOTS ((1u << 21) - DP_MAX_LCORES)

struct io_dev;
struct rte_mbuf;
struct rte_ring;

/* One side of the data path: an ethdev port the lcores have queues on. */
struct dp_port {
	uint16_t port_id;
	uint16_t first_queue; /* lcore d uses rx/tx queue first_queue + d */
	/* When set, lcore d sends through tx_rings[d] (whole frames, MP) instead of a tx queue. */
	struct rte_ring *tx_rings[DP_MAX_LCORES];
	/*
	 * Inside port on Ethernet: lcore d's io_eth device (dp_set_inside_dev),
	 * which answers ARP/ND for our inside address, resolves next hops and
	 * hands routed-through packets to dp_transit_input().
	 */
	struct io_dev *eth[DP_MAX_LCORES];
	bool l3;	      /* raw IP frames (net_tun), else Ethernet */
	bool poll_rx; /* the lcores poll rx on it (the outside port may feed them via rings) */
};

struct dp_config {
	unsigned nb_lcores;		/* data-path lcores */
	unsigned lcores[DP_MAX_LCORES]; /* their EAL lcore ids */
	unsigned nb_workers;		/* IKE workers that hand over SAs */
	unsigned slots_per_worker;	/* Child SAs per (worker, data-path lcore) */
	unsigned key_cache; /* key-schedule cache lines per lcore (2 per busy SA); 0: 4096 */
	/*
	 * KEYMAT octets of each direction a record keeps: the most the ESP
	 * proposals need (esp_keymat_len); 0: ESP_MAX_KEYMAT, any transform.
	 */
	unsigned keymat_len;
	unsigned ring_size; /* each ring; power of two */
	unsigned burst;
	struct dp_port outside, inside;
	/*
	 * IP MTU of the outside link; 0: none. An inside packet whose ESP packet
	 * would be larger is answered with ICMP "fragmentation needed" / ICMPv6
	 * "packet too big" when it may not be fragmented, else its ESP packet
	 * leaves as IP fragments (docs/operating.md, RFC 4459).
	 */
	uint16_t outside_mtu;
	/*
	 * IP MTU of the inside link; 0: none. A decrypted packet larger than it
	 * leaves inside in fragments (IPv4 without DF), else the sender gets
	 * ICMP "fragmentation needed" / ICMPv6 "packet too big" with this MTU
	 * through its tunnel (dp_inside.c).
	 */
	uint16_t inside_mtu;
	/* Our address on the inside (4 or 6; 0: none): the source of those ICMP errors. */
	uint8_t inside_family;
	uint8_t inside_ip[16];
	/* Dual stack: our IPv6 inside address next to an IPv4 inside_ip. */
	bool inside6;
	uint8_t inside_ip6[16];
	/* Polled by the lcores; NULL: only dp_stop() stops them. */
	bool (*should_stop)(void);
};

/* Per data-path lcore counters; plain, written by the lcore only. */
#define DP_COUNTER_LIST(X)                                                                         \
	X(esp_in_pkts, "ESP packets decrypted and sent inside")                                    \
	X(esp_in_bytes, "inner octets of those")                                                   \
	X(esp_out_pkts, "inside packets encrypted and sent outside")                               \
	X(esp_out_bytes, "inner octets of those")                                                  \
	X(inside_forwarded, "inside packets handed to the lcore that owns their SA")               \
	X(too_big_icmp, "inside packets too big for the tunnel: ICMP too-big sent back")           \
	X(too_big_drop, "inside packets too big for the tunnel dropped, no ICMP (rate, source)")   \
	X(esp_out_frag, "ESP packets larger than the outside MTU, sent as fragments")              \
	X(inside_frag, "decrypted IPv4 packets larger than the inside MTU, sent in fragments")     \
	X(inside_too_big_icmp, "decrypted packets too big inside: ICMP back through the tunnel")   \
	X(inside_too_big_drop, "decrypted packets too big inside dropped, no ICMP (rate, source)") \
	X(inside_frag_nobuf, "decrypted packets not fragmented: fragment buffers exhausted")       \
	X(routes_synced, "subnet routes of other lcores' SAs added or removed here")               \
	X(routes_sync_full, "subnet route not passed on: a lcore's route ring was full")           \
	X(no_sa_out, "inside packet dropped: no SA for its destination")                           \
	X(not_ip, "frame dropped: neither IPv4 nor IPv6")                                          \
	X(multi_seg, "packet dropped: chained mbuf")                                               \
	X(no_l2_dest, "outbound ESP before any inbound: next hop left to the IKE worker's ARP/ND") \
	X(nb_full, "outside neighbour not kept, next hop left to the IKE worker: table full")      \
	X(wrong_lcore, "ESP dropped: SPI names another data-path lcore")                           \
	X(tx_full, "packet dropped: tx queue or ring full")                                        \
	X(installs, "Child SAs installed")                                                         \
	X(deletes, "Child SAs deleted")                                                            \
	X(bad_handoff, "handoff record refused")                                                   \
	X(tsr_full, "Child SA refused: the lcore's table of local selectors (TSr) is full")        \
	X(events, "lifetime events sent to IKE workers")                                           \
	X(events_lost, "lifetime events dropped: event ring full")                                 \
	X(key_misses, "key schedules expanded: not in the lcore's key cache")                      \
	X(loops, "poll loop iterations")

struct dp_counters {
#define DP_COUNTER_FIELD(name, help) uint64_t name;
	DP_COUNTER_LIST(DP_COUNTER_FIELD)
#undef DP_COUNTER_FIELD
	uint64_t drops[ESP_NB_STATUS]; /* by esp_status */
};

struct dp;

/*
 * An inside port that carries bare IP (net_tun): configures and starts it
 * with nb_queues queue pairs, a pool of nb_mbufs and IP MTU mtu (0: the
 * device's), and sets *l3. Any
 * other port carries Ethernet: *l3 false, left for io_eth_open() (with
 * transit_input = dp_transit_input) and dp_set_inside_dev(). 0 or -1 (logged).
 */
int dp_port_setup(uint16_t port, unsigned nb_queues, unsigned nb_mbufs, uint16_t mtu, bool *l3);

/* Builds rings, pools and tables; call after EAL init and port setup. NULL on failure (logged). */
struct dp *dp_create(const struct dp_config *cfg);
/*
 * Frees the mbufs and records still on the rings (mbufs of the ports'
 * pools: call before the inside port closes, which in turn hands the
 * fragments it still holds back to the data path's pools: dp_destroy last).
 */
void dp_drain(struct dp *dp);
void dp_destroy(struct dp *dp);

/*
 * Sends lcore d's outside frames through ring r (an IKE worker's relay into
 * its own tx queue) instead of a tx queue of its own. Before the lcores run.
 */
void dp_set_outside_ring(struct dp *dp, unsigned d, struct rte_ring *r);
/* Lcore d's device on an Ethernet inside port. Before the lcores run. */
void dp_set_inside_dev(struct dp *dp, unsigned d, struct io_dev *dev);
struct io_dev *dp_inside_dev(const struct dp *dp, unsigned d);
/* io_eth's transit_input for the inside port (arg: the dp): on lcore `worker`'s own loop. */
void dp_transit_input(void *arg, uint16_t worker, struct rte_mbuf *m);

/* The data-path lcore loop (rte_eal_remote_launch); arg is the dp. Runs until dp_stop(). */
int dp_lcore_main(void *arg);
void dp_stop(struct dp *dp);

/* ---- IKE worker side: call on worker w's lcore only ---- */

/*
 * Our inbound SPI for a new Child SA whose client side starts at
 * ts_addr (4 or 16 octets: its virtual IP or TSi start); 0 when worker w
 * has no free slot on that lcore. The SA is placed on the lcore that
 * inside packets to ts_addr are steered to.
 */
uint32_t dp_spi_alloc(struct dp *dp, unsigned w, const uint8_t *ts_addr, bool v6);
/* Returns an SPI from dp_spi_alloc() that was never installed. */
void dp_spi_free(struct dp *dp, unsigned w, uint32_t spi);

/* Hands an install to the lcore h->spi_in names. False (nothing sent) when no record is free. */
bool dp_install(struct dp *dp, unsigned w, const struct esp_handoff *h);
/* An IKE SA rekey moved the Child SA spi_in: its lifetime events name ike_spi from now. */
bool dp_move(struct dp *dp, unsigned w, uint32_t spi_in, uint64_t ike_spi);
/* Hands a delete; the slot is free for worker w again once sent. */
bool dp_delete(struct dp *dp, unsigned w, uint32_t spi_in, uint64_t ike_spi);

/*
 * ESP that worker w's device received (mbufs at the outer IP header, or at
 * Ethernet when the outside port is not l3): each goes to the lcore its
 * SPI names, which frees it. Returns how many it could not take (not ESP,
 * ring full), moved to the front of m[]: those stay the caller's.
 */
unsigned dp_esp_input(struct dp *dp, unsigned w, struct rte_mbuf **m, unsigned n);

/* Lifetime events for worker w; returns how many were written to ev. */
unsigned dp_events(struct dp *dp, unsigned w, struct esp_event *ev, unsigned n);

/* ---- observation (any thread; counters are read racily, values whole) ---- */
unsigned dp_nb_lcores(const struct dp *dp);
const struct dp_counters *dp_lcore_counters(const struct dp *dp, unsigned d);
/* The SA pair whose inbound SPI is spi_in, or false. */
bool dp_sa_stats(const struct dp *dp, uint32_t spi_in, struct esp_sa_stats *in,
		 struct esp_sa_stats *out, uint32_t *spi_out);
/*
 * Octets of data-path table memory per Child SA record (both directions,
 * raw keys of keymat_len octets each; 0: ESP_MAX_KEYMAT); the key cache is
 * per lcore.
 */
size_t dp_sa_mem_size(unsigned keymat_len);
/* The KEYMAT octets a direction dp's records keep (dp_config.keymat_len). */
unsigned dp_keymat_len(const struct dp *dp);
/*
 * Its budget (docs/architecture.md, "Memory per SA"): an IKE SA and one
 * Child SA with its data-path state should fit 1 KiB. The unit test holds
 * the record to it.
 */
#define DP_SA_MEM_BUDGET 384

/* Registers /ikefarm/esp (per-lcore counters) and /ikefarm/esp_sa (param: inbound SPI). */
int dp_telemetry_register(struct dp *dp);

#endif
