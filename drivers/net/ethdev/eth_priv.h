/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the ethdev driver shared by its eth_*.c files. */
#ifndef ETH_PRIV_H
#define ETH_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "io_eth.h"

#define ETH_WORKERS_MAX 64
#define ETH_TXQ_MAX 256	     /* frames held for one rte_eth_tx_burst */
#define ETH_NEIGH_SLOTS 1024 /* neighbour cache entries per worker (power of 2) */
#define ETH_NEIGH_PROBE 8    /* slots probed from an entry's hash */
#define ETH_RX_DESC 512
#define ETH_TX_DESC 512
#define ETH_MARKER_LEN 4
#define ETH_FRAG_TTL_MS 2000

/* The driver's counters per worker, in the order telemetry lists them. */
#define ETH_COUNTER_LIST(X)                                                                        \
	X(rx_frames, "frames received from the port")                                              \
	X(tx_frames, "frames handed to the port")                                                  \
	X(tx_full, "frames dropped: port TX queue full")                                           \
	X(tx_prepare_fail, "frames dropped: the PMD refused their offload requests")               \
	X(arp_request_in, "ARP requests for our addresses (answered)")                             \
	X(arp_reply_in, "ARP replies for us (learnt)")                                             \
	X(arp_request_out, "ARP requests we sent to resolve a next hop")                           \
	X(arp_learn, "neighbour entries learnt or refreshed from ARP")                             \
	X(arp_announce, "ARP announcements of our addresses (at start)")                           \
	X(nd_ns_in, "neighbour solicitations for our addresses (answered)")                        \
	X(nd_na_in, "neighbour advertisements for us (learnt)")                                    \
	X(nd_ns_out, "neighbour solicitations we sent to resolve a next hop")                      \
	X(nd_learn, "neighbour entries learnt or refreshed from ND")                               \
	X(nd_announce, "unsolicited neighbour advertisements of our addresses (at start)")         \
	X(neigh_sync_in, "neighbour entries learnt by another worker")                             \
	X(neigh_sync_full, "neighbour update not passed on: a worker's ring was full")             \
	X(icmp_echo, "ICMP echo requests answered")                                                \
	X(icmp6_echo, "ICMPv6 echo requests answered")                                             \
	X(frag_in, "IP fragments taken for reassembly")                                            \
	X(frag_reassembled, "datagrams reassembled")                                               \
	X(frag_drop, "fragments dropped: overlap, too many, table full or timed out")              \
	X(frag_out, "fragments sent (our replies larger than the MTU)")                            \
	X(tx_unresolved, "replies dropped: next hop not resolved yet (request sent)")              \
	X(tx_no_route, "replies dropped: peer off-link and no gateway")                            \
	X(tx_relay, "frames passed to another worker's TX queue")                                  \
	X(tx_relay_full, "frames dropped: relay ring full")                                        \
	X(drop_vlan, "frames of other VLANs dropped (tagged, or untagged with [net] vlan set)")    \
	X(drop_other_mac, "frames for another MAC dropped")                                        \
	X(drop_not_ours, "IP packets for other addresses dropped")                                 \
	X(drop_ethertype, "frames of other ethertypes dropped")                                    \
	X(drop_bad_arp, "malformed ARP dropped")                                                   \
	X(drop_arp_other, "ARP for other addresses dropped")                                       \
	X(drop_bad_ip, "malformed IPv4/IPv6 headers dropped")                                      \
	X(drop_ip_csum, "IPv4 header checksum errors dropped")                                     \
	X(drop_udp_csum, "UDP checksum errors dropped")                                            \
	X(rx_csum_partial, "UDP with a partial checksum from a sender on this host, taken")        \
	X(drop_udp_port, "UDP to ports other than IKE/NAT-T dropped")                              \
	X(drop_proto, "IP protocols other than UDP/ICMP dropped")                                  \
	X(drop_icmp, "ICMP other than echo requests dropped")                                      \
	X(drop_bad_nd, "malformed neighbour discovery dropped")                                    \
	X(drop_ipv6_ext, "IPv6 extension headers other than Fragment dropped")                     \
	X(drop_too_big, "reassembled datagrams larger than a buffer dropped")                      \
	X(exc_to_kernel, "frames passed to the exception interface")                               \
	X(exc_from_kernel, "frames from the exception interface sent out the port")                \
	X(exc_drop, "frames dropped: exception interface full")                                    \
	X(transit_in, "IP packets routed through us, to the data path (inside port)")              \
	X(drop_ttl, "IP packets routed through us dropped: TTL or hop limit exhausted")            \
	X(ip_out, "IP packets of the data path sent (inside port)")

struct eth_counters {
#define ETH_COUNTER_FIELD(name, help) uint64_t name;
	ETH_COUNTER_LIST(ETH_COUNTER_FIELD)
#undef ETH_COUNTER_FIELD
};

/* Single-writer increment that readers on other threads see whole. */
#define ETH_COUNT(q, name, n) __atomic_store_n(&(q)->c.name, (q)->c.name + (n), __ATOMIC_RELAXED)
#define ETH_STAT(q, name, n)                                                                       \
	__atomic_store_n(&(q)->dev.stats.name, (q)->dev.stats.name + (n), __ATOMIC_RELAXED)

enum eth_neigh_state { NEIGH_FREE = 0, NEIGH_INCOMPLETE, NEIGH_REACHABLE };

struct eth_neigh {
	uint8_t family;
	uint8_t state;
	struct rte_ether_addr mac;
	uint8_t ip[16];
	uint64_t asked_tsc; /* last request we sent, while incomplete */
};

/* What a worker tells the others it learnt; the element of the neighbour rings. */
struct eth_neigh_msg {
	uint8_t family;
	uint8_t reserved;
	struct rte_ether_addr mac;
	uint8_t ip[16];
};

struct eth_queue;

/* The port, shared read-only by its workers once started. */
struct eth_port {
	uint16_t port_id;
	uint16_t nb_queues; /* queue pairs on the port */
	uint16_t nb_workers;
	unsigned refs; /* open devices; control path only */
	bool spreads;  /* RSS on */
	bool rx_ip_csum, rx_l4_csum;
	bool rx_partial_csum; /* the PMD may deliver local senders' partial UDP checksums */
	bool tx_ip_csum, tx_udp_csum;
	struct rte_ether_addr mac;
	struct io_eth_conf conf;
	uint32_t mbuf_room; /* data room of every mbuf */
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
	int tap_port; /* -1: no exception path */
	char tap_vdev[32];
	/* neigh[i]: what the other workers learnt, to worker i (MP/SC). */
	struct rte_ring *neigh[ETH_WORKERS_MAX];
	/* relay[i]: frames of workers without a queue, to the worker of queue i (MP/SC). */
	struct rte_ring *relay[ETH_WORKERS_MAX];
	struct eth_queue *queues[ETH_WORKERS_MAX];
};

struct eth_queue {
	struct io_dev dev; /* first: io_dev * <-> eth_queue * */
	struct eth_port *port;
	uint16_t worker;
	uint16_t qid;	/* the port queue pair it sends on (its own or a relay's) */
	bool has_queue; /* owns queue pair qid; else sends through relay[qid] */
	uint16_t ip_id;
	struct rte_mempool *pool;
	uint64_t tsc_hz;
	uint64_t frag_expire_tsc; /* next sweep of the reassembly table */
	struct rte_ip_frag_tbl *frag;
	struct rte_ip_frag_death_row dr;
	uint16_t ntx;
	struct rte_mbuf *tx[ETH_TXQ_MAX];
	struct eth_counters c;
	struct eth_neigh neigh[ETH_NEIGH_SLOTS];
};

static inline struct eth_queue *
eth_q(struct io_dev *dev)
{
	return (struct eth_queue *)(void *)dev;
}

/* io_pkt lives in the mbuf's private area. */
static inline struct io_pkt *
eth_pkt_of(struct rte_mbuf *m)
{
	return (struct io_pkt *)rte_mbuf_to_priv(m);
}

static inline struct rte_mbuf *
eth_mbuf_of(struct io_pkt *p)
{
	return (struct rte_mbuf *)(void *)((char *)p - sizeof(struct rte_mbuf));
}

/* Addresses (eth_addr.c). */
bool eth_is_ours(const struct eth_port *pt, uint8_t family, const uint8_t *ip);
/* The next hop for ip: ip itself when on-link, else the gateway; NULL: no route. */
const uint8_t *eth_next_hop(const struct eth_port *pt, uint8_t family, const uint8_t *ip);
/* Our address to send to dst from: the first on dst's link, else the first of the family. */
const uint8_t *eth_src_for(const struct eth_port *pt, uint8_t family, const uint8_t *dst);
void eth_solicited_node(const uint8_t *ip, uint8_t out[16]);
void eth_mcast_mac(const uint8_t *ip6, struct rte_ether_addr *mac);

/* Neighbours, ARP and ND (eth_neigh.c, eth_arp.c, eth_nd.c). */
void eth_neigh_learn(struct eth_queue *q, uint8_t family, const uint8_t *ip,
		     const struct rte_ether_addr *mac, bool publish);
/* Only updates an entry that exists (RFC 826 merge); false when there is none. */
bool eth_neigh_refresh(struct eth_queue *q, uint8_t family, const uint8_t *ip,
		       const struct rte_ether_addr *mac);
void eth_neigh_drain(struct eth_queue *q);
/* The MAC of ip's next hop, or NULL (then a request was sent or is pending). */
const struct rte_ether_addr *eth_neigh_resolve(struct eth_queue *q, uint8_t family,
					       const uint8_t *ip);
void eth_arp_send_request(struct eth_queue *q, const uint8_t *target);
void eth_nd_send_ns(struct eth_queue *q, const uint8_t *target);
/* Our address to the link (gratuitous ARP / unsolicited NA), sent when the port starts. */
void eth_arp_announce(struct eth_queue *q, const uint8_t *ip);
void eth_nd_announce(struct eth_queue *q, const uint8_t *ip);
/* A whole ARP frame; true when consumed (answered, learnt or dropped). */
bool eth_arp_input(struct eth_queue *q, struct rte_mbuf *m);
/* An ICMPv6 ND message at l4 (length len) of frame m; true when consumed. */
bool eth_nd_input(struct eth_queue *q, struct rte_mbuf *m, uint8_t *l4, uint16_t len);

/* Output (eth_tx.c). */
void eth_txq_push(struct eth_queue *q, struct rte_mbuf *m);
void eth_txq_flush(struct eth_queue *q);
struct rte_mbuf *eth_mbuf_alloc(struct eth_queue *q);
/*
 * Makes m (emptied first) a zeroed frame of len octets from our MAC to dst
 * with that ethertype; returns what follows the Ethernet header, or NULL
 * (m freed) when len does not fit.
 */
void *eth_frame_start(struct eth_queue *q, struct rte_mbuf *m, uint16_t len,
		      const struct rte_ether_addr *dst, uint16_t type);
/* Hands a frame not for us to the kernel (exception path) or drops it; counted by the caller. */
bool eth_exception_out(struct eth_queue *q, struct rte_mbuf *m);
void eth_exception_in(struct eth_queue *q);
void eth_relay_drain(struct eth_queue *q);
uint16_t eth_tx_burst(struct io_dev *dev, struct io_pkt **pkts, uint16_t n);
struct io_pkt *eth_alloc(struct io_dev *dev);
void eth_free(struct io_dev *dev, struct io_pkt *p);

/* Input (eth_rx.c) and reassembly (eth_frag.c). */
uint16_t eth_rx_burst(struct io_dev *dev, struct io_pkt **pkts, uint16_t n);
/*
 * Feeds a fragment (l2_len/l3_len set) to the reassembly table. Returns the
 * whole datagram in one segment, or NULL (kept for later, or dropped and counted).
 */
struct rte_mbuf *eth_reassemble(struct eth_queue *q, struct rte_mbuf *m, uint8_t family, void *ip,
				void *frag_hdr);
void eth_frag_sweep(struct eth_queue *q, uint64_t now_tsc);
void eth_frag_free_dead(struct eth_queue *q);

#endif
