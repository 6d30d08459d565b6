/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt - the runtime under the protocol: one shard per EAL lcore, each with
 * its own packet device and counters. Lcores share nothing but
 * single-producer/single-consumer rte_rings. The runtime knows nothing of
 * the protocol: it plugs in through struct rt_proto, keeps its own state
 * (SA tables, timers) per shard, gets bursts of packets, a clock and a
 * reply queue, names the shard that owns a packet, and never sees DPDK types.
 */
#ifndef RT_H
#define RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io.h"
#include "rt_config.h"

#define RT_TX_MAX 128
/* Shards (EAL lcores) one runtime runs at most. */
#define RT_MAX_SHARDS 64

struct rt;
struct rt_shard;
struct rte_mbuf;

/* Replies queued during one rx burst; sent when the burst is done. */
struct rt_tx {
	struct rt_shard *shard;
	uint16_t n;
	struct io_pkt *pkts[RT_TX_MAX];
};

/*
 * A reply to req: an empty packet with local/remote swapped, the same port
 * and the same non-ESP-marker flag (mirrored on send). The caller fills
 * data/len. NULL (counted) when the device has no free buffer.
 */
struct io_pkt *rt_tx_reply(struct rt_tx *tx, const struct io_pkt *req);

/* The protocol handler, called only on the shard's own lcore (but owner). */
struct rt_proto {
	const char *name;
	/* Per-shard state, created on the main lcore at rt_create(); NULL fails it. */
	void *(*shard_init)(struct rt_shard *shard, void *arg);
	void (*shard_fini)(void *state);
	/*
	 * A burst of received messages, all owned by this shard (owner() named
	 * it, or any shard may take them). The runtime keeps the packets;
	 * replies go through tx.
	 */
	void (*rx_burst)(void *state, struct io_pkt **pkts, uint16_t n, struct rt_tx *tx,
			 uint64_t now_ms);
	/* Once per poll loop: the protocol's timers; may be NULL. */
	void (*tick)(void *state, struct rt_tx *tx, uint64_t now_ms);
	/*
	 * The shard in [0, nb_shards) that must take p (its session lives
	 * there), or -1 when any shard may (a message that starts a session).
	 * arg is rt_create()'s proto_arg. Called on the receiving lcore for
	 * every received packet: must not touch shard state. NULL: -1 for all.
	 */
	int (*owner)(void *arg, const struct io_pkt *p);
	/*
	 * ESP the ethdev driver received on shard `worker`'s queue (the frame,
	 * Ethernet first): the protocol takes the mbuf. NULL: counted, dropped.
	 */
	void (*esp_input)(void *proto_arg, uint16_t worker, struct rte_mbuf *m);
	/* Runs on each of the last [runtime] esp_lcores lcores, which have no shard. */
	int (*lcore_main)(void *proto_arg);
};

/* Per-shard counters: plain uint64, written only by the shard's lcore. */
#define RT_COUNTER_LIST(X)                                                                         \
	X(rx_pkts, "IKE datagrams received by this shard's device")                               \
	X(proto_pkts, "datagrams handed to the protocol")                                         \
	X(replies, "replies queued by the protocol")                                              \
	X(tx_pkts, "datagrams sent")                                                              \
	X(reply_nobuf, "reply dropped: no free buffer")                                           \
	X(redirect_out, "misdelivered datagrams handed to their owner shard")                     \
	X(spread_out, "new sessions handed to the shard their peer hashes to (software spread)")  \
	X(redirect_in, "datagrams received from other shards")                                    \
	X(redirect_drop_full, "misdelivered datagram dropped: ring to owner full")                \
	X(drop_bad_shard, "datagram dropped: its owner is no shard")                              \
	X(loops, "poll loop iterations")

/* The packet device's counters telemetry shows (struct io_stats field, telemetry name). */
#define RT_TEL_IO_LIST(X)                                                                          \
	X(io_rx_nobuf, rx_nobuf)                                                                   \
	X(io_rx_truncated, rx_truncated)                                                           \
	X(io_rx_runt, rx_runt)                                                                     \
	X(io_natt_keepalive, natt_keepalive)                                                       \
	X(io_esp, esp)                                                                             \
	X(io_tx_errors, tx_errors)

struct rt_counters {
#define RT_COUNTER_FIELD(name, help) uint64_t name;
	RT_COUNTER_LIST(RT_COUNTER_FIELD)
#undef RT_COUNTER_FIELD
};

/* Single-writer increment: no lock prefix, but readers see whole values. */
#define RT_COUNT(shard_counters, name, n)                                                          \
	__atomic_store_n(&(shard_counters)->name, (shard_counters)->name + (n), __ATOMIC_RELAXED)

/*
 * Builds the runtime on the EAL lcores (all of them, main included, one
 * shard each, but for the last cfg->esp_lcores, which run proto->lcore_main): allocates shard memory on each lcore's NUMA socket, opens
 * one packet device per shard, creates the rings and calls proto->shard_init.
 * Call after EAL init. NULL (logged) on failure.
 */
struct rt *rt_create(const struct rt_config *cfg, const struct rt_proto *proto, void *proto_arg);

/* Runs the poll loop on every lcore until a stop is requested. Returns 0 or -1. */
int rt_run(struct rt *rt);

void rt_destroy(struct rt *rt);

unsigned rt_nb_shards(const struct rt *rt);
struct rt_shard *rt_shard(struct rt *rt, unsigned i);

/* Accessors for the protocol, valid on the shard's lcore. */
unsigned rt_shard_id(const struct rt_shard *s);
unsigned rt_shard_lcore(const struct rt_shard *s);
int rt_shard_socket(const struct rt_shard *s);
const struct rt_counters *rt_shard_counters(const struct rt_shard *s);
const struct io_stats *rt_shard_io_stats(const struct rt_shard *s);

/*
 * Waits until every running shard has passed a quiescent point (the top of
 * its poll loop, where it holds no reference into protocol data read during
 * the previous iteration) after this call began. Control path only: call
 * after publishing a new pointer, then free what the old one pointed to.
 * Shards that are not running (before rt_run(), after they stopped) hold
 * nothing and are not waited for. Never call it on a shard's lcore (it
 * would wait for itself).
 */
void rt_synchronize(struct rt *rt);

/*
 * The runtime's clock: unix epoch milliseconds taken once, advanced by the
 * TSC, so it never goes back (NTP steps after start are not followed).
 */
uint64_t rt_clock_ms(void);

/* Signals: SIGINT/SIGTERM request a stop; workers leave their loops. */
int rt_signal_install(void);
void rt_request_stop(void);
void rt_clear_stop(void);
bool rt_stop_requested(void);

/*
 * Registers /ikefarm/net (every packet-device counter: struct io_stats and
 * the driver's own, summed or of the shard given as parameter). The daemon
 * and rt_telemetry_register() call it; rt_destroy() detaches it.
 */
int rt_net_telemetry_register(struct rt *rt);
void rt_net_telemetry_detach(struct rt *rt);

/* Registers /ikefarm/stats, /ikefarm/shards and /ikefarm/shard (param: shard). */
int rt_telemetry_register(struct rt *rt);

/*
 * Starts EAL. With no user arguments (argc <= 1) it uses defaults that work
 * on any Linux box without hugepages (--no-huge --no-pci -m 1024); unless
 * the user chose one, a per-process --file-prefix is added so several
 * daemons can run at once. Logs the arguments used. Returns rte_eal_init's result.
 */
int rt_eal_init(int argc, char **argv);

/*
 * With nic set, the defaults leave out --no-pci (the ethdev driver wants
 * the NICs bound to DPDK). Call before rt_eal_init().
 */
void rt_eal_defaults_nic(bool nic);

/* Stops EAL; removes its runtime directory when rt_eal_init() chose the prefix. */
void rt_eal_cleanup(void);

/*
 * The argument vector rt_eal_init() passes to EAL: argv[0], then the user's
 * arguments or the defaults, then --file-prefix when needed. out has room
 * for max entries; prefix_buf holds the prefix option. Returns the count,
 * or -1 if out is too small.
 */
int rt_eal_build_args(int argc, char **argv, char **out, int max, char *prefix_buf,
		      size_t prefix_len);

#endif
