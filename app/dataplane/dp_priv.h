/* SPDX-License-Identifier: BSD-3-Clause */
/* Data-path internals shared by the dp_*.c files; never included outside app/dataplane. */
#ifndef DP_PRIV_H
#define DP_PRIV_H

#include <rte_common.h>
#include <rte_log.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "cry_ipsecmb_esp.h"
#include "dp.h"
#include "esp_pkt.h"

#define DP_BURST_MAX 64
#define DP_RAND_POOL 1024 /* octets of CBC IVs drawn at a time */
#define DP_LPM6_MIN 1024u /* IPv6 prefix routes an lcore holds at least (dp.c) */
/* ICMP errors a lcore sends at most (RFC 4443 2.4 (f), RFC 1812 4.3.2.8): per second, at once. */
#define DP_ICMP_PER_S 100u
#define DP_ICMP_BURST 20u
#define DP_IDLE_SCAN 256 /* table entries looked at per loop for idle and time lifetimes */

/*
 * One Child SA on its data-path lcore: the SA pair and its raw keys. Key
 * schedules (1 KiB each with ipsec-mb's GCM tables) live in the lcore's
 * key cache instead, so a table of a million SAs stays small. Not cache
 * aligned: a packet touches the pair's head, one direction's half and, on
 * a key-cache miss, the keys, so padding to 64 would buy nothing but size
 * (DP_SA_MEM_BUDGET, docs/architecture.md "Memory per SA").
 */
/*
 * An entry in use; one a rekey replaced still decrypts for DP_LINGER_S
 * after its delete: packets the peer sent on it before it switched (they
 * may trail the IKE messages) still arrive, and TCP sees no loss.
 */
enum dp_use {
	DP_USED = 1,
	DP_REPLACED, /* a rekey installed its successor: lingers after its delete */
	DP_LINGER,   /* deleted, no route, decrypts until hard_at (DP_LINGER_S after its delete) */
};
#define DP_LINGER_S 2

struct dp_entry {
	struct esp_sa sa;
	uint64_t ike_spi;
	uint32_t idle_s;  /* idle lifetime; 0: none (sa.in.last_s, ESP_EV_IDLE) */
	uint32_t soft_at; /* time lifetimes: due at this now_ms / 1000; 0: none */
	uint32_t hard_at; /* DP_LINGER: the end of the lingering */
	uint16_t nb;	  /* outside Ethernet addresses (dp_nb.c); 0: none learnt yet */
	uint8_t local;	  /* our outer address: l->locals[local] */
	uint8_t used;	  /* enum dp_use; 0: free */
	/*
	 * KEYMAT (enc key | salt | integ key) of each direction, inbound then
	 * outbound, dp_config.keymat_len octets each: sized at start by the
	 * proposals (a record is l->stride octets).
	 */
	uint8_t keys[];
};

/*
 * Our outer addresses a lcore has seen in installs (the outside port's
 * few): an SA names its own by index instead of holding 16 octets.
 */
#define DP_MAX_LOCALS 255
struct dp_local {
	uint8_t addr[16];
	uint8_t v6;
};

/*
 * A local selector (TSr) a lcore's SAs share (dp_tsr.c); an SA names it
 * by esp_sa.local_ts = 1 + its index. Most SAs of a farm share one or two.
 */
#define DP_MAX_TSR 255
struct dp_tsr {
	struct esp_ts_local ts;
	uint32_t refs; /* SAs naming it; 0: free */
};

/*
 * A neighbour on the outside port (dp_nb.c): the Ethernet addresses an
 * SA's packets came with (the client's hop and the address it sent to),
 * which its outbound packets go back with; shared by the SAs that use it.
 */
struct dp_nb {
	uint8_t peer[6], our[6];
	uint32_t refs; /* SAs naming it; 0: free */
};

/*
 * A key-cache line: the schedules of one SA direction, direct-mapped by
 * slot. A slot's lines are wiped when its SA goes (dp_keys_forget), so a
 * line never serves the next SA in the slot.
 */
struct dp_key_line {
	struct cry_ipsecmb_esp_keys k;
	uint32_t owner; /* (slot << 1 | outbound) + 1; 0: empty */
	uint32_t burst; /* the last burst that used it: not evicted within that burst */
} __rte_cache_aligned;

struct dp_lcore {
	struct dp_counters c; /* first: written by this lcore only */
	struct dp *dp;
	unsigned id;
	unsigned lcore;
	uint32_t nb_slots;
	struct cry_ipsecmb *cry;
	uint8_t *tab;	 /* nb_slots records of stride octets (dp_tab) */
	uint32_t stride; /* dp_sa_mem_size(dp->cfg.keymat_len) */
	uint32_t *hosts; /* one-address selectors (virtual IPs): dp_hosts.c */
	uint32_t hosts_mask;
	struct rte_lpm *lpm4; /* wider selectors: longest prefix */
	struct rte_lpm6 *lpm6;
	struct rte_ring *handoff;   /* struct esp_handoff * from IKE workers */
	struct rte_ring *esp_in;    /* mbufs: ESP received by IKE workers */
	struct rte_ring *inside_in; /* mbufs: inside packets other lcores received */
	struct rte_ring *routes;    /* struct dp_route_msg: other lcores' subnet routes */
	struct dp_key_line *keys;
	uint32_t nb_keys;
	uint32_t burst_id;
	struct dp_nb *nbs;  /* neighbours, [0] unused (dp_nb.c) */
	uint16_t *nb_cells; /* their index: open addressing, nb_cells_mask + 1 cells */
	uint32_t nb_cells_mask;
	uint32_t nb_cap;  /* entries 1..nb_cap */
	uint32_t nb_next; /* entries never used start here */
	uint32_t nb_free; /* freed entries, linked through refs; 0: none */
	unsigned nb_locals;
	struct dp_local locals[DP_MAX_LOCALS];
	unsigned nb_tsr; /* entries below this may be in use */
	struct dp_tsr tsr[DP_MAX_TSR];
	unsigned nb_scratch;		      /* scratch schedules used by the current burst */
	struct cry_ipsecmb_esp_keys *scratch; /* DP_BURST_MAX, for lines a burst already uses */
	uint32_t idle_cursor;
	uint32_t rnd_off;
	uint32_t icmp_tokens; /* ICMP errors this lcore may still send (DP_ICMP_PER_S) */
	uint64_t icmp_refill; /* TSC of the last refill */
	/* Fragments of decrypted packets (dp_inside.c): their headers, their data. */
	struct rte_mempool *frag_direct, *frag_indirect;
	unsigned nb_transit;
	struct rte_mbuf *transit[DP_BURST_MAX]; /* routed-through packets of this rx burst */
	uint8_t rnd[DP_RAND_POOL];
} __rte_cache_aligned;

/* Touched only by IKE worker w's lcore (except the event ring's producers). */
struct dp_worker {
	/*
	 * Free slots of this worker's share on each lcore: bit i of the map is
	 * slot w * slots_per_worker + i (a bit a slot where a stack took 32).
	 * Taken from the word at the cursor on, so a freed slot waits for its
	 * turn and a stale SPI meets an empty slot longer.
	 */
	uint64_t *free_map[DP_MAX_LCORES];
	uint32_t nb_free[DP_MAX_LCORES];
	uint32_t cursor[DP_MAX_LCORES];
	struct rte_ring *events; /* struct esp_event by value, from every data-path lcore */
} __rte_cache_aligned;

struct dp {
	struct dp_config cfg;
	struct esp_spi_layout layout;
	struct rte_mempool *records;
	struct dp_lcore *lc[DP_MAX_LCORES];
	struct dp_worker w[DP_MAX_WORKERS];
	bool stop;
};

/* The lcore inside packets to addr are steered to (and their SA placed on). */
unsigned dp_owner(const struct dp *dp, const uint8_t *addr, bool v6);

/* Applies one handoff record on its lcore; wipes it. */
void dp_apply(struct dp_lcore *l, struct esp_handoff *h, uint64_t now_ms);
/* Reports a lifetime event of e to its IKE worker. */
void dp_event(struct dp_lcore *l, const struct dp_entry *e, enum esp_event_kind kind);
/* Reports the ESP_EV_* in ev (soft, hard) of e to its IKE worker. */
void dp_raise(struct dp_lcore *l, const struct dp_entry *e, unsigned ev);
/*
 * The key schedules of e (slot, direction) for job idx of the current burst:
 * from the cache, or expanded into it (a miss), or into a scratch schedule
 * when the line holds another SA's schedules that this burst still needs.
 */
const struct cry_ipsecmb_esp_keys *dp_keys(struct dp_lcore *l, const struct dp_entry *e,
					   bool outbound);
/* Starts a burst (dp_keys stamps); ends it (wipes the scratch schedules used). */
void dp_keys_burst_begin(struct dp_lcore *l);
void dp_keys_burst_end(struct dp_lcore *l);
/* Wipes the cache lines of slot. */
void dp_keys_forget(struct dp_lcore *l, uint32_t slot);

/* The record of slot. */
static inline struct dp_entry *
dp_tab(const struct dp_lcore *l, uint32_t slot)
{
	return (struct dp_entry *)(l->tab + (size_t)slot * l->stride);
}

/* The slot of e. */
static inline uint32_t
dp_slot(const struct dp_lcore *l, const struct dp_entry *e)
{
	return (uint32_t)(((const uint8_t *)e - l->tab) / l->stride);
}

/* The IKE worker that owns e (its slot's share of the table). */
static inline unsigned
dp_entry_worker(const struct dp_lcore *l, const struct dp_entry *e)
{
	return dp_slot(l, e) / l->dp->cfg.slots_per_worker;
}

/*
 * The neighbour table (dp_nb.c), a sixteenth of the slots (at least
 * DP_NB_MIN, at most 65535 entries): full, an SA keeps none and its
 * packets go out with zero addresses for the IKE worker to resolve, like
 * those of an SA that received nothing yet (counter no_l2_dest).
 */
#define DP_NB_MIN 1024u
bool dp_nb_init(struct dp_lcore *l, int socket);
void dp_nb_free(struct dp_lcore *l);
/* e came with the Ethernet header at frame (destination, source): its neighbour from now. */
void dp_nb_learn(struct dp_lcore *l, struct dp_entry *e, const uint8_t *frame);
/* e names the neighbour nb as well (a rekey's SA takes its predecessor's). */
void dp_nb_hold(struct dp_lcore *l, struct dp_entry *e, uint16_t nb);
/* e no longer names its neighbour. */
void dp_nb_release(struct dp_lcore *l, struct dp_entry *e);

/*
 * The entry of the local selector ts, shared if the lcore has it already:
 * its reference (1 + index), or 0 when the table is full (counted).
 */
uint8_t dp_tsr_hold(struct dp_lcore *l, const struct esp_ts_local *ts);
/* An SA no longer names ref (0: none); the entry goes with its last SA. */
void dp_tsr_release(struct dp_lcore *l, uint8_t ref);
/* The local selector an SA names; NULL for 0. */
static inline const struct esp_ts_local *
dp_tsr_of(const struct dp_lcore *l, uint8_t ref)
{
	return ref != 0 ? &l->tsr[ref - 1].ts : NULL;
}

/* Looks at a few entries for idle and time lifetimes. */
void dp_idle_scan(struct dp_lcore *l, uint64_t now_ms);
/*
 * The host-route index (dp_hosts.c): v6/addr is the one-address selector
 * of the SA in slot (its ts.start), which must be set before the add and
 * kept until the delete. Add points the address at slot (a rekey's SA
 * takes it over); delete removes it only if it still points at slot.
 */
/* Allocates the index for l->nb_slots slots; l->hosts stays NULL without memory. */
void dp_hosts_init(struct dp_lcore *l, int socket);
void dp_hosts_add(struct dp_lcore *l, bool v6, const uint8_t *addr, uint32_t slot);
void dp_hosts_del(struct dp_lcore *l, bool v6, const uint8_t *addr, uint32_t slot);
/* The slot whose SA has the one-address selector v6/addr, or UINT32_MAX. */
uint32_t dp_hosts_find(const struct dp_lcore *l, bool v6, const uint8_t *addr);

/*
 * Subnet selectors (site-to-site TSi) and more than one lcore: inside
 * packets are steered by a hash of their destination, their SA lives on the
 * lcore of its TSi's first address. So the lcore that installs a subnet
 * route tells every other lcore, whose LPM then holds the route with next
 * hop DP_NH_FWD(owner): forward to that lcore. By value over each lcore's
 * routes ring (MP/SC); one owner per prefix, so per-producer order suffices.
 */
struct dp_route_msg {
	uint8_t add; /* else delete */
	uint8_t v6;
	uint8_t depth;
	uint8_t owner;
	uint8_t prefix[16];
};
#define DP_NH_FWD(l, owner) ((l)->nb_slots + (owner))

/*
 * The SA for an inside packet to dst on this lcore, or NULL; then *fwd is
 * the lcore whose subnet route covers dst, or -1.
 */
struct dp_entry *dp_route(struct dp_lcore *l, const uint8_t *dst, bool v6, int *fwd);
/* Applies the route messages other lcores sent. */
void dp_routes_drain(struct dp_lcore *l);

/*
 * Turns the inside packet at ip (ip_len octets, in m) into an ICMP
 * "fragmentation needed" (RFC 792, RFC 1191) or ICMPv6 "packet too big"
 * (RFC 4443 3.2) to its sender announcing mtu, in place, from our inside
 * address. False, m untouched, when none may be sent: no inside address of
 * the family, the packet is itself an ICMP error, or no headroom.
 */
bool dp_icmp_too_big(const struct dp_config *cfg, struct rte_mbuf *m, uint8_t *ip, uint32_t ip_len,
		     uint32_t mtu);

/*
 * A decrypted packet and the inside MTU (dp_inside.c): it fits, leaves in
 * fragments (IPv4 without DF), or is too big (IPv4 with DF, IPv6).
 */
enum dp_fit {
	DP_FIT,
	DP_FIT_FRAGMENT,
	DP_FIT_TOO_BIG,
};
/* Fragments per packet at most: a 9000-octet packet at the smallest MTU, 1280. */
#define DP_FRAG_MAX 8
static inline enum dp_fit
dp_inside_fit(uint32_t mtu, const uint8_t *ip, uint32_t ip_len)
{
	if (mtu == 0 || ip_len <= mtu)
		return DP_FIT;
	if (ip[0] >> 4 == 6 || (ip[6] & 0x40) != 0) /* IPv6, or IPv4 with DF */
		return DP_FIT_TOO_BIG;
	return DP_FIT_FRAGMENT;
}
/* Our inside address of a family, the source of ICMP errors; NULL: none. */
const uint8_t *dp_inside_src(const struct dp_config *cfg, bool v6);
/* The lcore's fragment pools; 0 or -1. */
int dp_frag_pools_create(struct dp_lcore *l, int socket);
void dp_frag_pools_free(struct dp_lcore *l);
/*
 * Cuts the IPv4 packet m (data at its header, ip_len octets) into fragments
 * of at most mtu octets, header checksums set, written to out (at most max).
 * Takes m. The number of fragments, or -errno (none kept).
 */
int dp_frag4(struct rte_mbuf *m, uint32_t mtu, struct rte_mempool *direct,
	     struct rte_mempool *indirect, struct rte_mbuf **out, unsigned max);

/* Packet paths of one lcore. */
void dp_inbound(struct dp_lcore *l, struct rte_mbuf **m, unsigned n, uint64_t now_ms);
void dp_outbound(struct dp_lcore *l, struct rte_mbuf **m, unsigned n, bool forwarded);

extern int dp_logtype;
#define DP_LOG(level, ...) rte_log(RTE_LOG_##level, dp_logtype, "ikefarm.dp: " __VA_ARGS__)

#endif
