/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * struct ike_sa: what an IKE SA keeps for its whole life, kept compact
 * (one satable slot each). What is needed only until IKE_AUTH (both
 * IKE_SA_INIT messages, hence the nonces, and SK_pi/SK_pr) lives in a
 * half-open slot (struct ike_ho) released once IKE_AUTH is answered.
 * The last response lives in a shared cache slot (struct ike_resp).
 */
#ifndef IKE_SA_H
#define IKE_SA_H

#include <stdint.h>

#include "cry_ops.h"
#include "halfopen.h"
#include "ike_age.h"
#include "ike_core.h"
#include "ike_int_auth.h"
#include "ike_suite.h"
#include "ike_ticket.h"
#include "timer_wheel.h"

/* Lifecycle only; outcomes are counters. */
enum ike_sa_state {
	IKE_SA_HALF_OPEN,   /* IKE_SA_INIT answered, waiting for IKE_AUTH */
	IKE_SA_ESTABLISHED, /* authenticated */
	IKE_SA_REKEYED,     /* replaced by a rekey: waits for the initiator's DELETE */
	IKE_SA_DYING,       /* removed once this burst's replies are sealed */
	/* The new SA of an IKE SA rekey while its IKE_FOLLOWUP_KE run (RFC 9370 2.2.4): no keys yet. */
	IKE_SA_LARVAL,
	IKE_SA_STATE_COUNT
};

#define IKE_SA_MAX_CHILDREN 4
#define IKE_LOCAL_ADDRS_MAX 256 /* our addresses (and ports) per shard: struct ike_sa's local */
#define IKE_NO_SLOT UINT32_MAX

/* One Child SA: the two ESP SPIs; its keys went to the data path. */
struct ike_sa_child {
	uint32_t spi_in;  /* ours; 0 = free entry */
	uint32_t spi_out; /* the initiator's */
};

struct ike_sa {
	uint64_t spi_i; /* ours, SPIr, is kept once: in the SA table (ike_sa_spi_r) */
	/*
	 * One node in s->sa_timers at the earliest deadline (ike_timers.c):
	 * life_due, the RFC 4478 deadline + grace, dpd_due, and a refresh
	 * that keeps the 32-bit ms times below in range.
	 */
	struct timer_node timer;
	/* 32-bit ms times (ike_sa_time.h; the range argument is in ike_timers.c). */
	uint32_t life_due; /* life_armed: half-open/rekeyed reaping or IKE SA lifetime */
	uint32_t dpd_due;  /* dpd_armed: the next step of ike_dpd.c */
	uint32_t heard_ms; /* last message from the peer whose ICV checked */
	/*
	 * Our one outstanding request (ike_dpd.c): a liveness probe, or with
	 * rekey_slot a Child SA rekey or its DELETE (ike_child_rekey.c).
	 */
	uint32_t dpd_probe_ms; /* its first send; none outstanding, with dpd_hold: none before */
	uint32_t dpd_msg_id;   /* its message ID */
	uint8_t dpd_sends;     /* its sends; 0: none outstanding */
	uint8_t rekey_want;    /* bit i: child[i] reached a soft lifetime, rekey it */
	uint8_t rekey_slot;    /* s->rekey[rekey_slot - 1] is ours; 0: none */
	uint8_t state;         /* enum ike_sa_state */
	/* SA table slot + 1 of the next SA of the same identity (0: none; ike_sa_peer_link). */
	uint32_t peer_next;
	uint32_t peer_prev;
	uint32_t next_msg_id;  /* message ID of the next request we expect (window 1) */
	uint32_t our_msg_id;   /* message ID of the next request we send */
	uint32_t ho_slot;      /* half-open slot while HALF_OPEN */
	uint32_t resp_slot;    /* cached last response */
	uint32_t peer_idx;     /* into cfg->peers; IKE_NO_SLOT before IKE_AUTH */
	/* Unix seconds (the clock of now_ms): 32 bits hold them until 2106. */
	uint32_t auth_deadline;  /* RFC 4478 deadline, 0: none; never extended */
	uint32_t est_s;          /* when it was established (full, resumed or rekeyed) */
	uint32_t ticket_expires; /* last ticket's expiry: the replay filter keeps it until then */
	uint8_t prf;             /* enum cry_prf_alg */
	uint8_t prf_len;
	uint8_t local;           /* our address and port: s->locals[local] (ike_local_addr.c) */
	uint8_t frag_ok : 1;     /* the peer sent IKEV2_FRAGMENTATION_SUPPORTED */
	uint8_t nat_peer : 1;    /* the peer is behind a NAT (RFC 7296 2.23) */
	uint8_t nat_local : 1;   /* we are behind a NAT */
	uint8_t resumed : 1;     /* HALF_OPEN after IKE_SESSION_RESUME (RFC 5723 4.3.3) */
	uint8_t has_ticket : 1;  /* ticket_id names the last ticket issued for this SA */
	uint8_t closed : 1;      /* the peer deleted it: its last response outlives it */
	uint8_t life_armed : 1;  /* life_due is a deadline */
	uint8_t dpd_armed : 1;   /* dpd_due is a deadline */
	uint8_t dpd_hold : 1;    /* dpd_probe_ms is a not-before time for our next request */
	uint8_t ticket_id[IKE_TICKET_ID_LEN]; /* revoked when the client deletes the SA */
	struct ike_addr remote;
	uint32_t tag; /* host tag of the newest request (struct ike_rx) */
	uint32_t vip4; /* leased virtual IPs: pool offset + 1, 0 none (ike_cp.c) */
	uint32_t vip6;
	struct ike_sa_child child[IKE_SA_MAX_CHILDREN];
	uint8_t sk_d[CRY_MAX_PRF_LEN];
	struct cry_sk_keys k_in;  /* SK_ei/SK_ai: opens the initiator's messages */
	struct cry_sk_keys k_out; /* SK_er/SK_ar: seals ours */
};

/*
 * What struct ike_sa may take: with its Child SA's data-path slot it should
 * fit 1 KiB (docs/architecture.md, "Memory per SA"; a unit test asserts it).
 */
#define IKE_SA_BUDGET 448

/* Room for the initiator's IKE_SA_INIT request and for our response. */
#define IKE_HO_REQ_MAX 2048
#define IKE_HO_RESP_MAX 1024

/* What the IKE_AUTH after IKE_SESSION_RESUME needs from the ticket (RFC 5723 4.3.3, 4.3.4). */
struct ike_ho_resume {
	uint8_t ticket_id[IKE_TICKET_ID_LEN]; /* burnt in the replay filter once IKE_AUTH succeeds */
	uint8_t key_id[IKE_TICKET_KEY_ID_LEN]; /* the ticket key that sealed it, for the event log */
	uint64_t ticket_expires;
	uint64_t auth_deadline;
	uint64_t old_spi_i;    /* the ticket's SA: deleted silently if still here */
	uint64_t old_spi_r;
	struct ike_vip vip;    /* the ticket's lease (ike_cp.c) */
	uint32_t peer_idx;
	uint8_t idi_type;      /* IDi must equal the ticket's */
	uint8_t idi_len;
	uint8_t idi[255];
};

/* At most this many IKE_INTERMEDIATE exchanges before IKE_AUTH (RFC 9242; 7 ADDKEs + 1). */
#define IKE_INT_MAX 8

/*
 * RFC 9242 / RFC 9370 state of a half-open SA: whether both sides announced
 * IKE_INTERMEDIATE, the exchanges done, the IntAuth chain so far and the
 * additional key exchanges still to run (in ADDKE1..7 order).
 */
struct ike_ho_int {
	uint8_t supported; /* N(INTERMEDIATE_EXCHANGE_SUPPORTED) both ways */
	uint8_t n;	   /* IKE_INTERMEDIATE exchanges answered */
	uint8_t addke_n;   /* additional key exchanges negotiated */
	uint8_t addke_done;
	uint16_t addke[IKE_ADDKE_MAX];	 /* their methods, NONE left out */
	struct ike_suite suite;		 /* expands the keys of each new generation */
	uint8_t auth_i[CRY_MAX_PRF_LEN]; /* IntAuth_in, IntAuth_rn */
	uint8_t auth_r[CRY_MAX_PRF_LEN];
};

/* What IKE_AUTH needs from IKE_SA_INIT (RFC 7296 2.15), or from IKE_SESSION_RESUME. */
struct ike_ho {
	struct halfopen_key key; /* retransmit index entry (SPIi, address, port) */
	uint64_t spi_r;		 /* the SA holding this slot (0 while it is being set up) */
	struct ike_age age;	 /* in the shard's age list of slots in use, for eviction */
	uint16_t req_len;
	uint16_t resp_len;
	uint16_t ni_off; /* nonce data inside req */
	uint16_t ni_len;
	uint16_t nr_off; /* nonce data inside resp */
	uint16_t nr_len;
	uint8_t sk_pi[CRY_MAX_PRF_LEN];
	uint8_t sk_pr[CRY_MAX_PRF_LEN];
	struct ike_ho_int im; /* RFC 9242 / RFC 9370 */
	uint8_t req[IKE_HO_REQ_MAX];
	uint8_t resp[IKE_HO_RESP_MAX];
	struct ike_ho_resume rs; /* resumed SAs only */
};

/*
 * Largest encrypted response kept inside a cache slot: the common replies
 * (IKE_AUTH with CP, selectors and a resumption ticket, INFORMATIONAL,
 * CREATE_CHILD_SA with an ECP or MODP2048 KE) are 60-540 octets. One up to
 * IKE_RESP_MID_MAX takes a medium slot (a shard has one per eight cache
 * slots), a larger or fragmented one a big slot.
 */
#define IKE_RESP_CACHE_MAX 568
#define IKE_RESP_MID_MAX 1280

/*
 * A cache slot. Slots in use are listed oldest first (older/newer); every
 * response is kept response_cache_ms, so that is also expiry order.
 */
struct ike_resp {
	uint64_t expiry_ms;
	uint64_t owner_spi; /* SPIr of the SA that points here */
	/* A closed SA's response (after its DELETE): what a retransmit must match. */
	uint64_t closed_spi_i;
	uint32_t closed_msg_id;
	uint32_t mid; /* IKE_NO_SLOT: not in a medium slot */
	struct ike_age age; /* in the shard's age list of slots in use */
	uint16_t len; /* of the datagram inline or in the medium slot */
	uint8_t big;  /* 0: data or mid holds it; else big[big - 1] (larger or fragmented) */
	uint8_t data[IKE_RESP_CACHE_MAX];
};

/*
 * RFC 7383 bounds. A message has at most IKE_FRAG_MAX fragments and
 * IKE_REASM_MAX octets of plaintext; a shard reassembles at most
 * IKE_REASM_SLOTS messages at once (one per SA and direction: the peer's
 * request, the answer to ours), each for at most
 * IKE_REASM_TIMEOUT_MS. Responses above IKE_RESP_MID_MAX (or above
 * IKE_RESP_CACHE_MAX when the medium slots are taken), and fragmented ones,
 * are cached in one of IKE_RESP_BIG_SLOTS larger slots.
 */
#define IKE_FRAG_MAX 32
#define IKE_REASM_MAX 16384
#define IKE_REASM_SLOTS 16
#define IKE_REASM_TIMEOUT_MS 10000
#define IKE_RESP_BIG_SLOTS 16
#define IKE_RESP_BIG_MAX (IKE_REASM_MAX + IKE_FRAG_MAX * 128)

/* A response kept as one or more datagrams (the fragments, in order). */
struct ike_resp_big {
	uint32_t owner; /* the cache slot it belongs to */
	uint8_t n;
	uint16_t len;
	uint16_t dgram_len[IKE_FRAG_MAX];
	uint8_t data[IKE_RESP_BIG_MAX];
};

/* One message being reassembled (RFC 7383 2.6). */
struct ike_reasm {
	uint64_t spi_r; /* its SA; 0: free */
	uint64_t started_ms;
	uint32_t msg_id;
	uint32_t have; /* bit n - 1: fragment n kept */
	uint16_t total;
	uint16_t used; /* octets of data */
	uint8_t first_inner; /* from fragment 1: Next Payload and RESERVED of its SKF header */
	uint8_t first_reserved;
	uint8_t response; /* the answer to our request (its message ID ours) */
	uint16_t off[IKE_FRAG_MAX];
	uint16_t len[IKE_FRAG_MAX];
	uint8_t data[IKE_REASM_MAX];
};

#endif
