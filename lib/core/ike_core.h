/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKEv2 responder core: sans-I/O. The host (app/runtime) owns packet I/O,
 * threads and the clock; it gives each worker lcore one struct ike_shard and
 * feeds it bursts of datagrams. The shard owns its SAs exclusively: no locks,
 * nothing shared with other shards. All memory is sized by the configuration
 * and handed over at init; nothing is allocated while processing packets.
 */
#ifndef IKE_CORE_H
#define IKE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_proposal_str.h"

/* A transport address: IPv4 or IPv6, port in host order. */
struct ike_addr {
	uint8_t family; /* 4 or 6 */
	uint8_t reserved;
	uint16_t port;
	uint8_t ip[16]; /* IPv4 in the first 4 octets */
};

/*
 * One received datagram (IKE message, non-ESP marker already removed).
 * tag is the host's own per-datagram state (e.g. which socket, whether it
 * had a non-ESP marker); the core never reads it, copies it to the reply,
 * and keeps it with the SA for the requests it starts itself.
 */
struct ike_rx {
	uint8_t *data; /* mutable: SK payloads are decrypted in place */
	uint16_t len;
	uint32_t tag;
	struct ike_addr local;
	struct ike_addr remote;
};

/* One datagram to send; the host provides data/cap, the core fills the rest. */
struct ike_tx {
	uint8_t *data;
	uint16_t len;
	uint16_t cap;
	uint32_t tag; /* the request's, or the SA's for our own requests */
	struct ike_addr local;
	struct ike_addr remote;
};

#define IKE_ADDKE_MAX (IKE_TRANSFORM_ADDKE7 - IKE_TRANSFORM_ADDKE1 + 1)

/* A negotiated IKE or ESP suite: one algorithm of each kind, our choice. */
struct ike_suite_cfg {
	uint16_t encr_id;
	uint16_t encr_key_bits;
	uint16_t prf_id;   /* IKE only */
	uint16_t integ_id; /* 0 with AEAD */
	uint16_t ke_id;    /* IKE: KE group; ESP: PFS group or 0 */
	uint16_t addke_id[IKE_ADDKE_MAX]; /* RFC 9370 ADDKE1..7; 0: none */
	bool esn; /* ESP: 64-bit extended sequence numbers (RFC 4303 2.2.1) */
};

/*
 * A proposal that takes exactly the one algorithm of each kind of s (ESP:
 * ESN or not as s->esn says; ke_id 0 there means no PFS), for callers that configure
 * suites rather than parse proposal strings.
 */
void ike_proposal_cfg_of_suite(struct ike_proposal_cfg *out, const struct ike_suite_cfg *s,
			       bool esp);

enum ike_auth_kind {
	IKE_CRED_PSK,
	IKE_CRED_PUBKEY, /* certificate-based: peer proves with a CERT chaining to the trust store */
};

/* ike_peer_cfg.auth_lifetime_s: no RFC 4478 lifetime for this identity, whatever the default. */
#define IKE_AUTH_LIFETIME_NONE UINT32_MAX

/* A remote identity the responder knows (one per user: "many users"). */
struct ike_peer_cfg {
	uint8_t id_type;          /* IKE_ID_* */
	uint8_t id_len;
	uint8_t id[255];
	enum ike_auth_kind auth;
	uint16_t psk_len;
	const uint8_t *psk;       /* IKE_CRED_PSK */
	uint32_t auth_lifetime_s; /* RFC 4478; 0 = the cfg default; IKE_AUTH_LIFETIME_NONE */
	/*
	 * IKE_CRED_PUBKEY only: this entry takes any IDi that no other entry
	 * has, when the certificate chains to the trust store and names IDi
	 * (its id is not used). At most one; INITIAL_CONTACT is ignored for it.
	 */
	bool any_id;
	/*
	 * Also accept this identity's resumed AUTH in the libreswan form
	 * (docs/tickets.md), as ike_core_cfg.resume_auth_compat_libreswan
	 * does for every identity.
	 */
	bool resume_auth_libreswan;
	/*
	 * Left by a credentials reload (ike_shard_peers_replace) where a removed
	 * identity was, so that the others keep their index: matches nothing.
	 */
	bool removed;
};

#define IKE_CORE_MAX_PROPOSALS 8
#define IKE_CORE_MAX_CERTREQ_CAS 16

struct ike_ticket_keyring; /* lib/ticket */

#define IKE_POOL_MAX_DNS 4

/*
 * Virtual IPs for remote-access clients (RFC 7296 3.15, docs/protocol.md
 * "Virtual IPs"): the farm's address pools, the DNS servers given with an
 * address, and this gateway's slice of the pools for new leases. Every
 * gateway of a farm has the same pools and member_n, each its own member_k.
 */
struct ike_pool_cfg {
	bool has_v4;
	bool has_v6;
	uint8_t v4_plen;
	uint8_t v6_plen;
	uint8_t v4[4];	/* network address (host bits zero) */
	uint8_t v6[16];
	uint8_t nb_dns4;
	uint8_t nb_dns6;
	uint8_t dns4[IKE_POOL_MAX_DNS][4];
	uint8_t dns6[IKE_POOL_MAX_DNS][16];
	uint16_t member_k; /* 1..member_n: slice k of n for new leases; 0 of 0: the whole pool */
	uint16_t member_n;
};

/* Largest cookie threshold that takes effect: 3/4 of the half-open capacity. */
#define IKE_COOKIE_THRESHOLD_MAX(half_open) ((half_open) - (half_open) / 4)

/*
 * Response-cache slots per shard when max_cached_responses is 0: the last
 * 4096 responses, what a quarter of the daemon's default 16384 SA slots
 * gave before the cache stopped following the SA count (docs/config.md).
 */
#define IKE_CACHED_RESPONSES_DEFAULT 4096u

struct ike_core_cfg {
	/* Capacity, per shard. */
	uint32_t max_ike_sas;
	/*
	 * Our IKE SPIs are shard | slot | tag (lib/satable spi.h); the host
	 * routes received messages by the same layout. 0 = SPI_DEFAULT_*_BITS.
	 */
	uint8_t spi_shard_bits;
	uint8_t spi_slot_bits;
	uint32_t max_half_open;
	/* Last-response cache slots; 0 = IKE_CACHED_RESPONSES_DEFAULT, whatever max_ike_sas. */
	uint32_t max_cached_responses;
	/*
	 * Proposals we accept, in preference order, several algorithms of each
	 * kind in each (lib/keys ike_proposal_str.h; lib/core ike_proposal.c).
	 */
	struct ike_proposal_cfg ike_proposals[IKE_CORE_MAX_PROPOSALS];
	unsigned nb_ike_proposals;
	struct ike_proposal_cfg esp_proposals[IKE_CORE_MAX_PROPOSALS];
	unsigned nb_esp_proposals;
	/* Our identity (IDr) and how we authenticate. */
	uint8_t local_id_type;
	uint8_t local_id_len;
	uint8_t local_id[255];
	/*
	 * Certificate auth (towards IKE_CRED_PUBKEY peers; PSK peers get PSK):
	 * our key and its DER X.509 certificate, both or neither. An empty
	 * local_id makes the certificate's subject our IDr (ID_DER_ASN1_DN).
	 */
	const struct cry_privkey *local_key;
	const uint8_t *local_cert_der;
	size_t local_cert_len;
	/*
	 * CERTREQ in the IKE_SA_INIT response (RFC 7296 3.7): the SHA-1 hashes
	 * of the trusted CAs' SubjectPublicKeyInfo, back to back (a multiple
	 * of 20 octets, at most IKE_CORE_MAX_CERTREQ_CAS). Empty: no CERTREQ;
	 * initiators that send their certificate only when asked then send none.
	 */
	const uint8_t *certreq_ca_keyids;
	size_t certreq_ca_keyids_len;
	bool local_rsa_pss; /* RSA key: sign RSASSA-PSS, not PKCS#1 v1.5 (RFC 7427) */
	/* Known peers (sorted or indexed by the core at init). */
	const struct ike_peer_cfg *peers;
	unsigned nb_peers;
	/* Room for identities a reload (ike_shard_peers_replace) may grow to; 0: nb_peers. */
	unsigned max_peers;
	/* Traffic selectors we allow (narrowing target), as address ranges. */
	struct ike_addr ts_start;
	struct ike_addr ts_end;
	/* Dual stack: an IPv6 range next to an IPv4 ts_start..ts_end; family 0: none. */
	struct ike_addr ts_start6;
	struct ike_addr ts_end6;
	/*
	 * Timers (ms). half_open_timeout_ms, ike_lifetime_s, and dpd_delay_s
	 * (plus its quarter of jitter) and dpd_timeout_s are at most 2^30 ms
	 * (12.4 days; ike_core_cfg_check(): an SA keeps 32-bit ms times).
	 */
	uint32_t half_open_timeout_ms;
	uint32_t response_cache_ms;
	uint32_t ike_lifetime_s;
	/*
	 * RFC 4478 repeated authentication (docs/protocol.md). auth_lifetime_s:
	 * seconds a full IKE_AUTH is good for, for peers whose own value is 0;
	 * 0 = none. An IKE SA not replaced by a new IKE_AUTH is deleted at its
	 * deadline + auth_grace_s. ike_shard_reauth_request() shortens the
	 * deadline to now + auth_reauth_s (0: "authenticate again now").
	 */
	uint32_t auth_lifetime_s;
	uint32_t auth_grace_s;
	uint32_t auth_reauth_s;
	/*
	 * Dead peer detection (RFC 7296 2.4, docs/protocol.md): an ESTABLISHED
	 * SA whose peer sent nothing valid for dpd_delay_s (0 = off) gets an
	 * empty INFORMATIONAL request, resent with exponential back-off; with
	 * no answer dpd_timeout_s after the first send (0 = 60 s) the SA is
	 * removed silently, its ticket still valid. At most dpd_probes_per_ms
	 * (0 = 16) probes and resends leave a shard per millisecond.
	 */
	uint32_t dpd_delay_s;
	uint32_t dpd_timeout_s;
	uint32_t dpd_probes_per_ms;
	/*
	 * COOKIE (RFC 7296 2.6): half-open count that turns cookies on; 0 =
	 * always. At most IKE_COOKIE_THRESHOLD_MAX(max_half_open) takes
	 * effect, so cookies engage before the half-open table can fill.
	 */
	uint32_t cookie_threshold;
	uint32_t cookie_rotate_s; /* secret lifetime; 0 = 300 s */
	/*
	 * RFC 5723 session resumption (docs/tickets.md, "Responder core").
	 * ticket_lifetime_s = 0 turns it off: TICKET_REQUEST and
	 * IKE_SESSION_RESUME are answered with TICKET_NACK. With tickets,
	 * now_ms given to the shard must be wall-clock (unix epoch) time:
	 * tickets and ring keys carry unix seconds.
	 */
	uint32_t ticket_lifetime_s;     /* also what the replay filter covers: >= the farm's longest */
	uint32_t ticket_resumes_per_s;  /* ticket ids recorded per second per shard (uses + deletes) */
	double ticket_replay_fp;        /* replay filter false-positive target; 0 = 1e-3 */
	/*
	 * The farm key ring. The host swaps this pointer on reload (an atomic
	 * store); a shard loads it once at the start of each rx burst and
	 * drops it at the end, so the host may free an old ring once every
	 * shard has been between two bursts after the swap. NULL: no key
	 * (TICKET_NACK, no-seal-key/unknown-key-id).
	 */
	const struct ike_ticket_keyring *ticket_keyring;
	/*
	 * Shards of this instance (ike_owner_shard); 0 = 1.
	 * A shard seals its tickets so that they are owned by itself: uses and
	 * revocations (client DELETE) of a ticket then meet in one replay filter.
	 */
	unsigned nb_shards;
	/*
	 * Also accept the resumed AUTH over the IKE_SESSION_RESUME request alone
	 * (libreswan), for every peer; ike_peer_cfg.resume_auth_libreswan turns
	 * it on for one identity.
	 */
	bool resume_auth_compat_libreswan;
	/* Virtual IPs: none when neither pool is set. */
	struct ike_pool_cfg pool;
	/*
	 * RFC 7383: the largest IKE message (no IP/UDP header, no non-ESP
	 * marker) we send to a peer that announced IKEV2_FRAGMENTATION_SUPPORTED;
	 * an encrypted reply above it goes out as Encrypted Fragment messages.
	 * 0 = IKE_FRAGMENT_SIZE_DEFAULT; IKE_FRAGMENT_SIZE_MIN..65535.
	 */
	uint32_t fragment_size;
};

/* 1280 (the IPv6 minimum MTU) less an IPv6 and a UDP header. */
#define IKE_FRAGMENT_SIZE_DEFAULT 1232
#define IKE_FRAGMENT_SIZE_MIN 128

/* A client's virtual addresses (CP INTERNAL_IP4/IP6_ADDRESS) as leased to its IKE SA. */
struct ike_vip {
	bool has4;
	bool has6;
	uint8_t ip4[4];
	uint8_t ip6[16];
};

/*
 * One side's traffic selector of a Child SA as the data path needs it: the
 * first one narrowed (tsi2 of struct ike_child_info: the first of the other family).
 */
struct ike_child_ts {
	uint8_t family; /* 4 or 6; 0: none */
	uint8_t start[16];
	uint8_t end[16];
};

/* What the host hands to the ESP data path for each installed Child SA. */
struct ike_child_info {
	uint32_t spi_in;  /* ours: inbound ESP SPI */
	uint32_t spi_out; /* the initiator's */
	uint16_t encr_id;
	uint16_t encr_key_bits;
	uint16_t integ_id;
	uint8_t key_in[32 + 4 + 64];  /* encr key | salt | integ key, RFC 7296 2.17 order */
	uint8_t key_out[32 + 4 + 64];
	struct ike_addr local;
	struct ike_addr remote;
	uint64_t ike_spi;	  /* our (responder) SPI of the IKE SA that owns it */
	uint32_t replaces_spi_in; /* a Child SA rekey (RFC 7296 2.8): the SA it replaces; 0 none */
	bool natt;		  /* a NAT is between us: RFC 3948 UDP encapsulation */
	bool esn;		  /* 64-bit extended sequence numbers negotiated (RFC 4303 2.2.1) */
	struct ike_child_ts tsi;  /* the initiator's side: its virtual IP or network */
	/* Dual stack: the initiator's first selector of the other family; family 0: none. */
	struct ike_child_ts tsi2;
	struct ike_child_ts tsr;  /* ours: the protected network */
	struct ike_child_ts tsr2; /* dual stack: ours of the other family; family 0: none */
	struct ike_vip vip;	  /* the owning IKE SA's virtual IPs (TSi is narrowed to them) */
	bool install; /* false: delete */
	/*
	 * With install: an IKE SA rekey (RFC 7296 2.18) moved this installed
	 * Child SA to the IKE SA ike_spi; only spi_in and ike_spi are set.
	 */
	bool moved;
};

typedef void (*ike_child_cb)(void *arg, const struct ike_child_info *child);

/*
 * Optional: picks our inbound SPI for a Child SA about to be installed
 * (info is complete but for spi_in and the keys), e.g. one that names the
 * data-path lcore and slot that will own it. 0: none free (the exchange
 * answers NO_ADDITIONAL_SAS). Without it SPIs are random. An SPI picked
 * for a Child SA that never gets its keys (its RFC 9370 IKE_FOLLOWUP_KE
 * exchanges did not finish) comes back through ike_child_cb with
 * install = false, like a deleted one.
 */
typedef uint32_t (*ike_child_spi_cb)(void *arg, const struct ike_child_info *child);

/*
 * Optional: gives back an SPI from the chooser that was never installed
 * (a rekey we started that did not complete).
 */
typedef void (*ike_child_spi_free_cb)(void *arg, uint32_t spi_in);

struct ike_shard;

size_t ike_shard_mem_size(const struct ike_core_cfg *cfg);

/* What ike_core_cfg_check() finds wrong with a configuration. */
enum ike_cfg_check {
	IKE_CFG_OK,
	IKE_CFG_CAPACITY,
	IKE_CFG_SUITES,
	IKE_CFG_PEERS,
	IKE_CFG_SPI_SLOTS,
	IKE_CFG_SPI_SHARDS,
	IKE_CFG_REPLAY_FILTER,
	IKE_CFG_CERTREQ,
	IKE_CFG_POOL,
	IKE_CFG_FRAGMENT_SIZE,
	IKE_CFG_TIMERS,
};

/*
 * The checks ike_shard_init() makes, for nb_shards shards (ids 0..n-1):
 * the host runs them before it starts, so that a refusal names the
 * option to change instead of failing a shard's set-up.
 */
enum ike_cfg_check ike_core_cfg_check(const struct ike_core_cfg *cfg, unsigned nb_shards);

/* A one-line description of c. */
const char *ike_cfg_check_name(enum ike_cfg_check c);

/*
 * Sets up a shard in mem (ike_shard_mem_size() octets, cache-line aligned).
 * cfg and ops must outlive the shard. Returns NULL on a bad configuration.
 */
struct ike_shard *ike_shard_init(void *mem, const struct ike_core_cfg *cfg, unsigned shard_id,
				 const struct cry_ops *ops, ike_child_cb child_cb, void *cb_arg);

/* What happened to an IKE SA, for the host's event log. */
enum ike_event_type {
	IKE_EV_ESTABLISHED,	/* full IKE_AUTH */
	IKE_EV_RESUMED,		/* IKE_AUTH after IKE_SESSION_RESUME (ticket_key_id) */
	IKE_EV_REKEYED,		/* CREATE_CHILD_SA replaced it: spi_r is the new SA */
	IKE_EV_REFUSED,		/* IKE_SA_INIT answered with the error notify */
	IKE_EV_AUTH_FAILED,	/* IKE_AUTH refused: notify, id is the IDi sent */
	IKE_EV_DELETED,		/* why: reason */
	IKE_EV_REAUTH_DEADLINE, /* RFC 4478 deadline + grace reached: deleted next */
	IKE_EV_TYPE_COUNT
};

enum ike_event_reason {
	IKE_EVR_NONE,
	IKE_EVR_PEER,	    /* the peer's DELETE */
	IKE_EVR_LIFETIME,   /* [ike] lifetime */
	IKE_EVR_TERMINATED, /* the operator (ike_shard_reauth_request, IKE_SEL_TERMINATE) */
	IKE_EVR_REAUTH,	    /* RFC 4478 deadline */
	IKE_EVR_DPD,	    /* dead peer: the liveness checks went unanswered (RFC 7296 2.4) */
	IKE_EVR_REMOVED,    /* its identity left the credentials (ike_shard_peers_replace) */
	IKE_EVR_COUNT
};

/* One event: a fixed struct, valid during the callback only (id points into the shard). */
struct ike_event {
	uint8_t type;	/* enum ike_event_type */
	uint8_t reason; /* enum ike_event_reason (DELETED) */
	uint16_t notify; /* REFUSED, AUTH_FAILED: the error notify type sent */
	uint64_t spi_i;
	uint64_t spi_r;
	uint64_t old_spi_r; /* REKEYED: the SA it replaced */
	struct ike_addr remote;
	uint8_t id_type; /* IDi: the configured identity, or the one sent (AUTH_FAILED) */
	uint8_t id_len;
	const uint8_t *id;
	uint8_t cipher; /* ESTABLISHED, RESUMED, REKEYED: enum cry_cipher, cry_integ, cry_prf_alg */
	uint8_t integ;
	uint8_t prf;
	uint16_t enc_key_bits;
	uint8_t ticket_key_id[4]; /* RESUMED */
};

typedef void (*ike_event_cb)(void *arg, const struct ike_event *ev);

/* Installs the event hook (called with the shard's cb_arg on its thread); NULL: none. */
void ike_shard_set_event(struct ike_shard *s, ike_event_cb fn);

/* Installs an SPI chooser for Child SAs (called with the shard's cb_arg); NULL: random. */
void ike_shard_set_child_spi(struct ike_shard *s, ike_child_spi_cb fn);

/* Installs the giver-back of unused chosen SPIs (called with the shard's cb_arg); NULL: none. */
void ike_shard_set_child_spi_free(struct ike_shard *s, ike_child_spi_free_cb fn);

/* Wipes every secret the shard holds. The host frees mem. */
void ike_shard_fini(struct ike_shard *s);

/*
 * Which shard of cfg->nb_shards owns a received message: the one its
 * responder SPI names (we are the responder of every IKE SA, so our SPI is
 * SPIr whatever the I flag says: requests from the original responder are
 * dropped by the shard, and the SPI names the shard that counts it); for an
 * IKE_SESSION_RESUME request the one that owns its ticket
 * (ike_ticket_owner_shard), so that every use of a ticket meets the same
 * replay filter. -1 for a message that any shard may take (IKE_SA_INIT
 * request: SPIr is zero), one too short to be IKE, or a bad layout.
 * This is the one owner rule: the host's packet path calls it on the
 * receiving thread (it reads only cfg and data).
 */
int ike_owner_shard(const struct ike_core_cfg *cfg, const uint8_t *data, size_t len);

/*
 * Processes a burst: validates, decrypts (one aead burst for the whole rx
 * burst), advances state, builds and encrypts replies into tx[]. Returns
 * the number of tx entries filled (at most tx_n).
 */
unsigned ike_shard_rx_burst(struct ike_shard *s, struct ike_rx *rx, unsigned n, struct ike_tx *tx,
			    unsigned tx_n, uint64_t now_ms);

/* Runs expired timers; may emit requests (liveness, DELETE). Returns tx count. */
unsigned ike_shard_tick(struct ike_shard *s, uint64_t now_ms, struct ike_tx *tx, unsigned tx_n);

/*
 * The data path says a Child SA of the IKE SA whose responder SPI is
 * ike_spi reached a hard lifetime or its idle time (RFC 7296 2.8): sends
 * an INFORMATIONAL request deleting it (Delete, ESP, our inbound SPI) and
 * removes it (the child callback reports the delete). An unknown IKE SA or
 * Child SA (already gone, or a report sent before an IKE SA rekey moved it:
 * the child callback's "moved" record names the new owner) is counted as
 * child_expire_stale. Returns the tx count.
 */
unsigned ike_shard_child_expire(struct ike_shard *s, uint64_t ike_spi, uint32_t spi_in,
				uint64_t now_ms, struct ike_tx *tx, unsigned tx_n);

/*
 * The data path says a Child SA reached a soft lifetime (bytes, packets or
 * time): the shard rekeys it itself (RFC 7296 2.8, docs/protocol.md
 * "Child SA rekey by the responder"): CREATE_CHILD_SA {N(REKEY_SA), SA, Ni,
 * [KEi], TSi, TSr} as soon as no other request of ours is outstanding, the
 * new SA handed to the data path on the answer, then the old one deleted
 * (INFORMATIONAL {D(ESP)}). Repeated or stale reports are counted and
 * ignored. Returns the tx count.
 */
unsigned ike_shard_child_soft(struct ike_shard *s, uint64_t ike_spi, uint32_t spi_in,
			      uint64_t now_ms, struct ike_tx *tx, unsigned tx_n);

/*
 * Credentials reload, on the shard's thread between bursts: the shard uses
 * peers[0..n) from now on (the caller keeps them alive, and the old ones
 * until every shard has switched). An identity kept keeps its index
 * (peers[i] of the old list), and with it its SAs; a removed one leaves an
 * entry with .removed set, and its SAs are deleted, {D(IKE)} to the peer,
 * as tx[] has room; new ones come after the old list (n <= max_peers).
 * Call again with the same list until *done. Returns the tx count. A list
 * the shard cannot take (n smaller than the old one, or larger than its
 * room) leaves it unchanged: *refused, and 0.
 */
unsigned ike_shard_peers_replace(struct ike_shard *s, const struct ike_peer_cfg *peers, unsigned n,
				 uint64_t now_ms, struct ike_tx *tx, unsigned tx_n, bool *done,
				 bool *refused);

/* A proposal set a reload installs (ike_shard_proposals_replace): immutable once given. */
struct ike_proposal_set {
	struct ike_proposal_cfg ike[IKE_CORE_MAX_PROPOSALS];
	unsigned nb_ike;
	struct ike_proposal_cfg esp[IKE_CORE_MAX_PROPOSALS];
	unsigned nb_esp;
};

/*
 * Proposals reload, on the shard's thread between bursts: IKE_SA_INIT,
 * CREATE_CHILD_SA (Child SA and IKE SA rekeys), the Child SA of IKE_AUTH,
 * resumptions (whether a ticket's suite is still offered) and the tickets
 * issued choose from set from now on. The caller keeps set alive, and the
 * old one until every shard has switched; NULL goes back to cfg's lists.
 * Established SAs keep the algorithms they negotiated (their keys carry
 * them); a handshake past IKE_SA_INIT keeps the suite IKE_SA_INIT chose,
 * with its IKE_INTERMEDIATE key exchanges. A set the shard cannot take (no
 * IKE proposal, more than IKE_CORE_MAX_PROPOSALS) changes nothing: false.
 */
bool ike_shard_proposals_replace(struct ike_shard *s, const struct ike_proposal_set *set);

/* Which IKE SAs ike_shard_reauth_request() asks to authenticate again. */
enum ike_reauth_scope {
	IKE_REAUTH_SA,       /* the one IKE SA whose responder SPI (ours) is spi_r */
	IKE_REAUTH_IDENTITY, /* every IKE SA of the configured identity id_type/id */
	IKE_REAUTH_ALL,      /* every IKE SA of the shard */
};

/* What happens to the selected SAs. */
enum ike_sel_action {
	IKE_SEL_REAUTH,	   /* RFC 4478 request, deleted at the deadline unless reauthenticated */
	IKE_SEL_TERMINATE, /* deleted now: INFORMATIONAL {D(IKE)} to the peer */
};

struct ike_reauth_sel {
	enum ike_reauth_scope scope;
	uint64_t spi_r;
	uint8_t id_type; /* IKE_ID_* */
	uint8_t id_len;
	const uint8_t *id;
	enum ike_sel_action action;
	/* Progress: zero before the first call; done once every selected SA was asked. */
	uint64_t deadline; /* unix s, set by the first call */
	uint32_t next_peer;
	uint64_t next_spi;
	bool done;
};

/*
 * RFC 4478 2: asks the selected clients to authenticate again (action
 * IKE_SEL_TERMINATE: deletes them now instead, INFORMATIONAL {D(IKE)}). Each
 * established IKE SA gets its deadline moved to now + cfg->auth_reauth_s
 * (never later than it was) and an INFORMATIONAL request
 * HDR, SK {N(AUTH_LIFETIME)} with the seconds left, written to tx[]; it is
 * deleted at the deadline + auth_grace_s unless a new IKE_AUTH replaced it.
 * When tx[] is full, sel keeps the position: send tx[] and call again until
 * sel->done. Call on the shard's own thread, between bursts. Returns the
 * number of tx entries filled.
 */
unsigned ike_shard_reauth_request(struct ike_shard *s, struct ike_reauth_sel *sel,
				  uint64_t now_ms, struct ike_tx *tx, unsigned tx_n);

/* One established IKE SA as the operator's listing shows it. */
struct ike_sa_info {
	uint64_t spi_i;
	uint64_t spi_r;
	struct ike_addr local;
	struct ike_addr remote;
	uint8_t id_type; /* the configured identity it authenticated as */
	uint8_t id_len;
	uint8_t id[255];
	bool any_id;	/* the catch-all certificate entry: id is not the peer's own */
	bool nat_peer;
	uint8_t cipher; /* enum cry_cipher, enum cry_integ, enum cry_prf_alg */
	uint8_t integ;
	uint8_t prf;
	uint16_t enc_key_bits;
	uint64_t age_ms;	/* since it was established (a rekey or resume starts anew) */
	uint64_t auth_deadline; /* RFC 4478, unix s; 0: none */
	uint8_t nb_children;
	struct {
		uint32_t spi_in;
		uint32_t spi_out;
	} child[4];
};

/* Where a listing goes on: zero it before the first page. */
struct ike_sa_cursor {
	uint32_t peer;
	uint64_t spi;
	bool done;
};

/*
 * Fills out[] with at most n established IKE SAs from cursor c on and moves
 * c past them (c->done at the end). Bounded work per call: the host calls
 * it between bursts on the shard's own thread, a page at a time. SAs that
 * come or go between pages may be missed. Returns the number filled.
 */
unsigned ike_shard_list_sas(const struct ike_shard *s, struct ike_sa_cursor *c, uint64_t now_ms,
			    struct ike_sa_info *out, unsigned n);

/*
 * The virtual IPs leased to the IKE SA whose responder SPI is ike_spi
 * (also given with every Child SA in ike_child_info.vip). false: no such
 * SA on this shard; an SA without a lease gives true with has4/has6 unset.
 */
bool ike_shard_sa_vip(const struct ike_shard *s, uint64_t ike_spi, struct ike_vip *out);

/* Leases held by this shard right now (v4 and v6 counted apart), and free ones it can hand out. */
void ike_shard_pool_usage(const struct ike_shard *s, int family, uint32_t *held, uint32_t *free);

/* Counters: a fixed list, each with a name for telemetry. */
unsigned ike_counter_count(void);
const char *ike_counter_name(unsigned i);
const uint64_t *ike_shard_counters(const struct ike_shard *s);
/* Established IKE SAs and half-open SAs right now. */
uint32_t ike_shard_nb_sas(const struct ike_shard *s);
uint32_t ike_shard_nb_half_open(const struct ike_shard *s);

#endif
