/* SPDX-License-Identifier: BSD-3-Clause */
/* The shard and the helpers shared by the files of lib/core; not for use outside it. */
#ifndef IKE_CORE_PRIV_H
#define IKE_CORE_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "ike_auth.h"
#include "ike_auth_sig.h"
#include "ike_core.h"
#include "ike_counters.h"
#include "ike_keys.h"
#include "ike_pool.h"
#include "ike_sa.h"
#include "ike_sa_time.h"
#include "ike_ticket.h"
#include "ike_ticket_replay.h"
#include "ike_wire.h"
#include "satable.h"
#include "timer_wheel.h"

/* Messages handled per pass; a longer rx burst is taken in chunks. */
#define IKE_CORE_BURST 32
#define IKE_NONCE_OURS 32
#define IKE_COOKIE_SECRET_LEN 32
/* RFC 7296 2.6: the cookie is version id | SHA-256(Ni | IPi | SPIi | secret). */
#define IKE_COOKIE_LEN (1 + 32)
/* Signed octets: a whole IKE_SA_INIT message, a nonce, prf output and IntAuth (RFC 9242). */
#define IKE_OCTETS_MAX (IKE_HO_REQ_MAX + IKE_NONCE_MAX + CRY_MAX_PRF_LEN + IKE_INT_AUTH_MAX)
/* Largest IKE_INTERMEDIATE message (whole, before encryption) that IntAuth covers. */
#define IKE_INT_MSG_MAX 16384
#define IKE_PRF_COUNT 4 /* enum cry_prf_alg */
#define IKE_CERTREQ_KEYID_LEN 20 /* RFC 7296 3.7: SHA-1 of a CA's SubjectPublicKeyInfo */

/* Per identity: PSK padded once per PRF (RFC 7296 2.15), head of its SA list. */
struct ike_peer_rt {
	struct ike_psk_key psk[IKE_PRF_COUNT];
	uint64_t sa_head; /* SPIr of the newest SA of this identity, 0: none */
};

/* One message of the burst being handled. */
struct ike_req {
	struct ike_rx *rx;
	struct ike_msg msg;
	uint64_t spi_r;
	bool init;         /* IKE_SA_INIT request: no SA, nothing to decrypt */
	bool open;         /* waits for its SK open job */
	bool resume;       /* IKE_SESSION_RESUME: its open job is the ticket's (ticket_ctx[job]) */
	uint8_t job;
	bool frag;          /* an Encrypted Fragment message (RFC 7383) */
	bool response;      /* the peer's answer to our DPD probe: opened to check its ICV */
	uint16_t plain_off; /* once opened: the inner payloads in whole */
	uint16_t plain_len;
	uint8_t *whole;     /* the message: rx->data, or the reassembled one */
};

/* One reply of the burst. */
struct ike_txmeta {
	uint64_t cache_spi; /* SA whose retransmit cache gets this reply; 0: none */
	bool seal;          /* waits for its seal job */
	bool dead;          /* failed: not sent */
	uint8_t job;
	uint8_t frag;       /* 0, or k for the (k+1)-th fragment: cached after the ones before */
};

/* An encrypted or plain reply under construction. */
struct ike_reply {
	struct ike_mb mb;
	struct ike_tx *tx;
	struct ike_sa *sa; /* NULL for plain IKE_SA_INIT replies */
	unsigned idx;      /* into tx[] */
};

struct ike_cookie_state {
	uint8_t version;
	uint64_t rotate_at_ms;
	uint8_t cur[IKE_COOKIE_SECRET_LEN];
	uint8_t prev[IKE_COOKIE_SECRET_LEN];
	bool have_prev;
};

/* An accepted IKE_SESSION_RESUME of the burst, waiting for its keys (RFC 5723 5.1). */
struct ike_resume_pending {
	struct ike_req *r;
	uint64_t spi_r;
	struct ike_suite suite;
	struct ike_keys_input in;
	uint8_t sk_d_old[CRY_MAX_PRF_LEN];
	uint8_t sk_d_len;
	uint8_t nr[IKE_NONCE_OURS];
	struct ike_sa_keys keys;
};

/* Rekeys (ours) in flight per shard; an SA that finds none free waits (child_rekey_deferred). */
#define IKE_REKEY_SLOTS 64

enum ike_rekey_phase {
	IKE_REKEY_CREATE, /* CREATE_CHILD_SA {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr} sent */
	IKE_REKEY_FOLLOWUP, /* RFC 9370: IKE_FOLLOWUP_KE {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)} sent */
	IKE_REKEY_DELETE, /* INFORMATIONAL {D(ESP, del_spi)} sent */
};

/* A Child SA rekey this responder started (RFC 7296 1.3.3, 2.8; ike_child_rekey.c). */
struct ike_rekey {
	uint64_t spi_r;	     /* the IKE SA; 0: free */
	struct cry_kex *kex; /* PFS: our key pair until the answer */
	uint32_t old_spi_in; /* the Child SA replaced */
	uint32_t new_spi_in; /* ours for the new one, offered in the SA payload */
	uint32_t del_spi;    /* IKE_REKEY_DELETE: the SPI being deleted */
	uint32_t peer_new_spi_in; /* a collision (2.8.1): ours of the peer's new SA; 0 none */
	uint8_t phase;	     /* enum ike_rekey_phase */
	uint8_t del_local;   /* IKE_REKEY_DELETE: delete our Child SA del_spi on the answer */
	uint8_t peer_nonce_len; /* collision: the lower nonce of the peer's exchange */
	uint8_t fu_slot;     /* IKE_REKEY_FOLLOWUP: its s->rekey_fu index + 1 */
	uint8_t ke_retried;  /* sent again with INVALID_KE_PAYLOAD's group (at most once) */
	uint16_t ke_id;
	uint16_t pub_len;
	uint8_t ni[IKE_NONCE_OURS];
	uint8_t peer_nonce[IKE_NONCE_MAX];
	uint8_t pub[CRY_MAX_KEX_PUB];
};

/*
 * RFC 9370 2.2.4 in a Child SA rekey of ours (ike_child_rekey_fu.c): the
 * IKE_FOLLOWUP_KE exchanges we send after the peer's CREATE_CHILD_SA answer
 * chose additional key exchanges. Few per shard (the secrets are large);
 * taken at that answer, wiped when freed.
 */
#define IKE_REKEY_FU_SLOTS 16
#define IKE_REKEY_LINK_MAX 64

struct ike_rekey_fu {
	struct cry_kex *kex; /* our key pair of the exchange in flight */
	uint8_t used;
	uint8_t n;	  /* additional key exchanges chosen (NONE left out) */
	uint8_t done;	  /* answered */
	uint8_t link_len;
	uint16_t addke[IKE_ADDKE_MAX];
	uint16_t pub_len;
	uint16_t nr_len;
	uint16_t sk0_len;
	uint16_t more_len;
	uint8_t link[IKE_REKEY_LINK_MAX]; /* the peer's last N(ADDITIONAL_KEY_EXCHANGE) data */
	uint8_t pub[CRY_MAX_KEX_PUB];	  /* KEi(done + 1): resends carry the same */
	uint8_t nr[IKE_NONCE_MAX];
	uint8_t sk0[CRY_MAX_KEX_SECRET];	  /* SK(0): the CREATE_CHILD_SA KE */
	uint8_t more[IKE_KEYS_ADDKE_SECRETS_MAX]; /* SK(1) | ... | SK(done) */
	struct ike_esp_suite esp;
	struct ike_child_info info; /* the new SA, all but the keys */
};

/*
 * RFC 9370 2.2.4: a CREATE_CHILD_SA whose additional key exchanges run in
 * IKE_FOLLOWUP_KE exchanges. At most one per IKE SA, IKE_FOLLOWUP_SLOTS per
 * shard, each for at most cfg->half_open_timeout_ms after its last step.
 * The new SA is made only once every exchange has run; until then this
 * holds the shared secrets (wiped when the slot is freed), the link data of
 * our last N(ADDITIONAL_KEY_EXCHANGE) and what the new SA needs.
 */
#define IKE_FOLLOWUP_SLOTS 16
#define IKE_FOLLOWUP_LINK_LEN 8

enum ike_followup_kind {
	IKE_FU_CHILD = 1, /* a new or rekeyed Child SA */
	IKE_FU_IKE,	  /* an IKE SA rekey: new_spi_r is the LARVAL SA */
};

struct ike_followup {
	uint64_t spi_r;	    /* the IKE SA the exchanges run on; 0: free */
	uint64_t new_spi_r; /* IKE_FU_IKE */
	uint64_t last_ms;   /* the last step, for the timeout */
	uint8_t kind;	    /* enum ike_followup_kind */
	uint8_t n;	    /* additional key exchanges negotiated (NONE left out) */
	uint8_t done;	    /* IKE_FOLLOWUP_KE exchanges answered */
	uint16_t addke[IKE_ADDKE_MAX];
	uint8_t link[IKE_FOLLOWUP_LINK_LEN];
	uint16_t ni_len;
	uint16_t sk0_len;
	uint16_t more_len;
	uint8_t nr[IKE_NONCE_OURS];
	uint8_t ni[IKE_NONCE_MAX];
	uint8_t sk0[CRY_MAX_KEX_SECRET];		/* SK(0): the CREATE_CHILD_SA KE */
	uint8_t more[IKE_KEYS_ADDKE_SECRETS_MAX];	/* SK(1) | ... | SK(done) */
	struct ike_suite suite;				/* IKE_FU_IKE: the new SA's */
	struct ike_esp_suite esp;			/* IKE_FU_CHILD */
	struct ike_child_info info;			/* IKE_FU_CHILD: all but the keys */
};

struct ike_shard {
	const struct ike_core_cfg *cfg;
	const struct cry_ops *ops;
	ike_child_cb child_cb;
	ike_child_spi_cb child_spi; /* NULL: random SPIs */
	ike_child_spi_free_cb child_spi_free; /* NULL: nothing to give back */
	ike_event_cb event_cb;	    /* NULL: no event log */
	/* The identities in use: cfg->peers until a reload (ike_shard_peers_replace). */
	const struct ike_peer_cfg *peers_cfg;
	unsigned nb_peers;
	unsigned max_peers;
	uint32_t peer_purge; /* reload: next removed identity whose SAs to delete */
	/*
	 * The proposals in use: cfg's until a reload (ike_shard_proposals_replace).
	 * Read only while a burst, tick or command runs, never kept across them.
	 */
	const struct ike_proposal_cfg *ike_props;
	const struct ike_proposal_cfg *esp_props;
	unsigned nb_ike_props;
	unsigned nb_esp_props;
	void *cb_arg;
	unsigned id;
	uint64_t now_ms;
	struct spi_layout layout;
	struct satable *sas;
	struct halfopen_index *ho_index;
	struct ike_ho *ho;
	uint32_t *ho_free;
	uint32_t ho_nfree;
	uint32_t ho_cap;
	struct ike_age_list ho_age; /* half-open slots in use, oldest first (ike_ho.c) */
	/* Per SA table slot: the cached response of the closed SA last there (ike_window.c). */
	uint32_t *closed;
	uint32_t sa_slots; /* SA table slots: max_ike_sas + max_half_open */
	struct ike_resp *resp;
	uint32_t *resp_free;
	uint32_t resp_nfree;
	uint32_t resp_cap;
	struct ike_age_list resp_age; /* slots in use, oldest first (ike_window.c) */
	uint8_t (*resp_mid)[IKE_RESP_MID_MAX]; /* medium slots (ike_window.c) */
	uint32_t *resp_mid_free;
	uint32_t resp_mid_nfree;
	uint32_t resp_mid_cap;
	struct ike_peer_rt *peers;
	uint32_t *peer_hash; /* peer index + 1, 0 = empty; open addressing */
	uint32_t peer_hash_mask;
	uint8_t peer_hash_key[16];
	struct ike_cookie_state cookie;
	/* Certificate auth (ike_auth_sig.c): our credential, the wildcard cfg peer or IKE_NO_SLOT. */
	struct ike_auth_local local;
	uint32_t peer_any;
	struct timer_wheel sa_timers; /* one node per SA: all its deadlines (ike_timers.c) */
	/* Our addresses the SAs are on (ike_local_addr.c); an SA keeps an index. */
	struct ike_addr locals[IKE_LOCAL_ADDRS_MAX];
	uint16_t nb_locals;
	uint16_t local_last; /* the one found last */
	bool locals_full_logged;
	uint64_t dpd_ms;                /* the millisecond dpd_sent counts probes of */
	uint32_t dpd_sent;
	struct ike_rekey rekey[IKE_REKEY_SLOTS]; /* ike_child_rekey.c */
	struct ike_rekey_fu rekey_fu[IKE_REKEY_FU_SLOTS]; /* ike_child_rekey_fu.c */
	/* The burst being handled. */
	struct ike_tx *tx;
	unsigned tx_n;
	unsigned ntx;
	unsigned nseal;
	unsigned ndying;
	uint64_t dying[IKE_CORE_BURST * (IKE_SA_MAX_CHILDREN + 1)];
	struct ike_req req[IKE_CORE_BURST];
	struct ike_txmeta txmeta[IKE_CORE_BURST];
	struct cry_aead_job open_jobs[IKE_CORE_BURST];
	struct cry_aead_job seal_jobs[IKE_CORE_BURST];
	/* RFC 5723: the ring read at the start of the burst, the one-time-use filter. */
	const struct ike_ticket_keyring *keyring;
	struct ike_ticket_replay *replay; /* NULL: tickets off */
	struct ike_ticket_open_ctx ticket_ctx[IKE_CORE_BURST];
	struct ike_ticket_state ticket_st;
	/* Accepted tickets: all their keys in one ike_keys_derive_resume_burst(). */
	unsigned nresume;
	struct ike_resume_pending resume_pending[IKE_CORE_BURST];
	struct ike_resume_derive resume_derive[IKE_CORE_BURST];
	uint8_t ticket_buf[4 + IKE_TICKET_MAX]; /* TICKET_LT_OPAQUE data: lifetime | ticket */
	/* RFC 9370 IKE_FOLLOWUP_KE in progress (ike_followup.c). */
	struct ike_followup followup[IKE_FOLLOWUP_SLOTS];
	/* Scratch for one message at a time. */
	struct ike_pld_sa sa_scratch;
	struct ike_pld_sa sa_reply;
	uint8_t octets[IKE_OCTETS_MAX];
	uint8_t int_scratch[CRY_MAX_PRF_LEN + IKE_INT_MSG_MAX]; /* IntAuth PRF input */
	/* RFC 7383 (ike_frag_rx.c, ike_frag_tx.c, ike_window.c). */
	uint32_t frag_size;
	struct ike_reasm reasm[IKE_REASM_SLOTS];
	uint8_t reasm_msg[IKE_HDR_LEN + 4 + IKE_REASM_MAX]; /* header | SK header | plaintext */
	uint8_t frag_plain[IKE_REASM_MAX];                  /* a reply being fragmented */
	uint32_t resp_big_used; /* bit i: big[i] in use */
	struct ike_resp_big resp_big[IKE_RESP_BIG_SLOTS];
	/* ike_proposal_log.c: when the last refusal was logged, how many since were not. */
	uint64_t prop_log_ms;
	uint32_t prop_log_quiet;
	struct ike_pool pool[2]; /* virtual IPs: [0] IPv4, [1] IPv6 (ike_cp.c) */
	uint64_t counters[IKE_CTR_COUNT];
};

static inline void
ike_count(struct ike_shard *s, unsigned ctr)
{
	s->counters[ctr]++;
}

/* sa's SPI (SPIr, ours): kept once, in the SA table's index; 0 once sa is removed. */
static inline uint64_t
ike_sa_spi_r(const struct ike_shard *s, const struct ike_sa *sa)
{
	return satable_spi_of(s->sas, sa);
}

/* ike_local_addr.c: our addresses, kept once per shard. */
/* The index of a in s->locals, added when new; -1 (counted) when the table is full. */
int ike_local_addr_index(struct ike_shard *s, const struct ike_addr *a);

static inline const struct ike_addr *
ike_sa_local(const struct ike_shard *s, const struct ike_sa *sa)
{
	return &s->locals[sa->local];
}

/* ike_shard.c: SA lifecycle. */
struct ike_sa *ike_sa_new(struct ike_shard *s, uint64_t spi_i, const struct ike_rx *rx);
void ike_sa_remove(struct ike_shard *s, struct ike_sa *sa);
/* Marks sa DYING; it is removed after the burst's replies are sealed. */
void ike_sa_kill(struct ike_shard *s, struct ike_sa *sa);
void ike_sa_reap_dying(struct ike_shard *s);
/* A free half-open slot, evicting the oldest half-open SA when there is none. */
uint32_t ike_ho_alloc(struct ike_shard *s);
/* Gives back a slot from ike_ho_alloc() that no SA took. */
void ike_ho_free(struct ike_shard *s, uint32_t hoi);
void ike_ho_release(struct ike_shard *s, struct ike_sa *sa);
/* Room for one more established IKE SA (max_ike_sas, not counting dying ones). */
bool ike_sa_room(const struct ike_shard *s);
/* At IKE_AUTH: answers TEMPORARY_FAILURE and ends sa when there is no room. */
bool ike_auth_table_full(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);
void ike_sa_peer_link(struct ike_shard *s, struct ike_sa *sa, uint32_t peer_idx);
/* The SPI of the SA a peer_next/peer_prev link names; 0: none. */
uint64_t ike_sa_link_spi(const struct ike_shard *s, uint32_t link);
void ike_sa_peer_unlink(struct ike_shard *s, struct ike_sa *sa);
/* Calls the child callback with install = false for every Child SA of sa. */
void ike_sa_children_delete(struct ike_shard *s, struct ike_sa *sa);
/* Index of the cfg peer with this identity, or IKE_NO_SLOT. */
uint32_t ike_peer_find(const struct ike_shard *s, uint8_t id_type, const uint8_t *id,
		       size_t len);
/* A random value from the crypto driver (the core keeps no generator of its own). */
uint64_t ike_rand64(struct ike_shard *s);

/* ike_window.c: message-ID window of size 1 and the last-response cache. */
enum ike_window_verdict {
	IKE_WIN_NEW,
	IKE_WIN_RETRANSMIT,
	IKE_WIN_DROP,
};
enum ike_window_verdict ike_window_check(struct ike_shard *s, const struct ike_sa *sa,
					 uint32_t msg_id);
void ike_window_resend(struct ike_shard *s, struct ike_sa *sa, const struct ike_rx *rx);
/* cont: the next fragment of the response stored last (RFC 7383: all are resent). */
void ike_window_store(struct ike_shard *s, struct ike_sa *sa, const uint8_t *data, size_t len,
		      bool cont);
void ike_window_release(struct ike_shard *s, struct ike_sa *sa);
/* Keeps the response to a peer's DELETE of an SA that is going (RFC 7296 2.1). */
void ike_window_store_closed(struct ike_shard *s, struct ike_sa *sa, const uint8_t *data,
			     size_t len);
/* Answers a retransmitted request of a closed SA; false when it is none. */
bool ike_window_resend_closed(struct ike_shard *s, const struct ike_msg *m,
			      const struct ike_rx *rx);
/* Frees the responses kept response_cache_ms (by s->now_ms). */
void ike_window_expire(struct ike_shard *s);

/* ike_frag_rx.c: RFC 7383 2.6 reassembly. */
/*
 * Phase 1 for an SKF message of sa (a request, or with r->response the
 * answer to ours): checks, retransmits, the open job. True: job prepared.
 */
bool ike_frag_classify(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, unsigned nj);
/*
 * Phase 3 after its ICV checked: keeps the fragment; once the message is
 * whole, re-parses r->msg over it (r->whole, plain_off/len) and returns true.
 * An answer to our request (r->response): the outer chain only.
 */
bool ike_frag_store(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, size_t plain_off,
		    size_t plain_len);
/* Forgets what was kept for sa (the SA goes). */
void ike_frag_drop_sa(struct ike_shard *s, uint64_t spi_r);

/* ike_reply.c: replies into the host's tx slots. */
struct ike_tx *ike_tx_take(struct ike_shard *s, const struct ike_rx *rx, unsigned *idx);
/* Queues a copy of an already-built message (retransmits); false if none went out. */
bool ike_reply_bytes(struct ike_shard *s, const struct ike_rx *rx, const uint8_t *data,
		     size_t len);
/* Starts a reply to req with our SPI spi_r; encrypted (SK) under sa's keys when sa is given. */
bool ike_reply_begin(struct ike_shard *s, struct ike_reply *r, const struct ike_rx *rx,
		     const struct ike_msg *req, uint64_t spi_r, struct ike_sa *sa);
/* Closes it: plain replies are final, SK replies get a seal job for the burst. */
void ike_reply_end(struct ike_shard *s, struct ike_reply *r);
/* An SK reply's plaintext once closed: from the header to the inner payloads' end. */
struct ike_reply_plain {
	size_t sk_off;
	size_t plain_off;
	size_t plain_len;
};
/*
 * For a reply whose keys change right after it (RFC 9370): closes the SK
 * section (the caller may read the plaintext), then seals at once with the
 * SA's keys of now. The reply is cached like others. False: it is dropped.
 */
bool ike_reply_close(struct ike_shard *s, struct ike_reply *r, struct ike_reply_plain *pl);
bool ike_reply_seal_now(struct ike_shard *s, struct ike_reply *r, const struct ike_reply_plain *pl);
/*
 * ike_frag_tx.c (RFC 7383 2.5): whether the closed reply must go out as
 * fragments, and sending it so (sealed at once, each fragment in its own
 * tx slot after r's, cached together). False: dropped, counted.
 */
bool ike_reply_needs_frag(const struct ike_shard *s, const struct ike_reply *r,
			  const struct ike_reply_plain *pl);
bool ike_reply_fragment(struct ike_shard *s, struct ike_reply *r, const struct ike_reply_plain *pl);
/* HDR(SPIi, 0), N(type): an unprotected answer that keeps no state (RFC 7296 2.6, 1.3). */
void ike_reply_notify(struct ike_shard *s, const struct ike_rx *rx, const struct ike_msg *req,
		      uint16_t type, const void *data, size_t len);
/* An encrypted reply holding one error notify. */
void ike_reply_error(struct ike_shard *s, const struct ike_rx *rx, const struct ike_msg *req,
		     struct ike_sa *sa, uint16_t notify);
/* Runs the seal jobs of the burst, fills the caches, drops failed replies. */
void ike_reply_seal_all(struct ike_shard *s);

/* ike_proposal.c: selection against the configured proposals, our preference first. */
enum ike_prop_result {
	IKE_PROP_OK,
	IKE_PROP_INVALID_KE, /* acceptable with another KE group: *want_group */
	IKE_PROP_NONE,
};
/* How the group of the KE payload counts. */
enum ike_ke_rule {
	IKE_KE_IGNORE, /* no KE (the Child SA of IKE_AUTH): KE transforms are not looked at */
	IKE_KE_OURS,   /* IKE_SA_INIT: it must be our preferred group among those offered */
	IKE_KE_THEIRS, /* CREATE_CHILD_SA: any group we accept; 0 = no KE payload */
};
/*
 * proto/spi_size: what proposals must carry; ke_group: the group of the KE
 * payload. IKE_PROP_OK fills *suite (ke_id per rule) and *prop_idx.
 */
enum ike_prop_result ike_proposal_select(const struct ike_pld_sa *sa, uint8_t proto,
					 uint8_t spi_size, const struct ike_proposal_cfg *props,
					 unsigned n, enum ike_ke_rule rule, uint16_t ke_group,
					 struct ike_suite_cfg *suite, unsigned *prop_idx,
					 uint16_t *want_group);
/* One-proposal SA payload answering proposal prop with suite (spi: our SPI or NULL). */
void ike_proposal_reply(struct ike_pld_sa *out, const struct ike_prop *prop,
			const struct ike_suite_cfg *suite, bool with_ke, const uint8_t *spi,
			uint8_t spi_size);
/* Whether one of props lists t's encryption (and key size), PRF and integrity. */
bool ike_proposal_cfg_takes(const struct ike_proposal_cfg *props, unsigned n,
			    const struct ike_transforms *t);
/*
 * ike_proposal_log.c: at info level, what the peer offered and what we
 * have, when no proposal was chosen; at most one line per second per shard.
 */
void ike_proposal_log_refused(struct ike_shard *s, const struct ike_rx *rx, uint8_t exchange,
			      const struct ike_pld_sa *sa, bool esp);
void ike_suite_cfg_transforms(const struct ike_suite_cfg *c, struct ike_transforms *t);

/* ike_cookie.c (RFC 7296 2.6). */
/* The SPI layout cfg asks for (defaults for zero fields); false when invalid. */
bool ike_cfg_spi_layout(const struct ike_core_cfg *cfg, struct spi_layout *l);

/* NAT detection (RFC 7296 2.23): sa->nat_peer/nat_local from the request's notifies. */
void ike_natd_detect(struct ike_shard *s, const struct ike_msg *m, struct ike_sa *sa);
/* Adds our two NAT_DETECTION notifies for sa's addresses; false when hashing fails. */
bool ike_natd_add(struct ike_shard *s, const struct ike_sa *sa, struct ike_mb *mb);

bool ike_cookie_required(const struct ike_shard *s);
void ike_cookie_rotate(struct ike_shard *s, uint64_t now_ms);
bool ike_cookie_make(struct ike_shard *s, const struct ike_msg *msg, const struct ike_rx *rx,
		     const uint8_t *ni, size_t ni_len, uint8_t out[IKE_COOKIE_LEN]);
bool ike_cookie_check(struct ike_shard *s, const struct ike_msg *msg, const struct ike_rx *rx,
		      const uint8_t *ni, size_t ni_len, const uint8_t *cookie, size_t len);
/*
 * RFC 7296 2.6 (and RFC 5723 for IKE_SESSION_RESUME): before any state, a
 * request under load must carry our cookie; otherwise N(COOKIE) is sent.
 * True when the request may go on.
 */
bool ike_cookie_gate(struct ike_shard *s, struct ike_req *r, const struct ike_pld_nonce *ni);

/*
 * The RFC 9370 additional key exchanges of a configured suite, in ADDKE1..7
 * order with NONE left out, into out (IKE_ADDKE_MAX entries); returns how many.
 */
static inline unsigned
ike_suite_addke(const struct ike_suite_cfg *sc, uint16_t *out)
{
	unsigned n = 0;

	for (unsigned a = 0; a < IKE_ADDKE_MAX; a++)
		if (sc->addke_id[a] != IKE_KE_NONE)
			out[n++] = sc->addke_id[a];
	return n;
}

/* True when the suite has any additional key exchange. */
static inline bool
ike_suite_has_addke(const struct ike_suite_cfg *sc)
{
	for (unsigned a = 0; a < IKE_ADDKE_MAX; a++)
		if (sc->addke_id[a] != IKE_KE_NONE)
			return true;
	return false;
}

/*
 * ike_ts.c: traffic selector narrowing (RFC 7296 2.9): a selector for
 * each configured range (IPv4 or IPv6 ts_start..ts_end, and ts_start6..
 * ts_end6 with dual stack), its start and end in addr_buf (2 rows each).
 */
#define IKE_TS_NARROW_MAX 2
bool ike_ts_narrow(const struct ike_core_cfg *cfg, const struct ike_pld_ts *in,
		   struct ike_pld_ts *out, uint8_t addr_buf[IKE_TS_NARROW_MAX * 2][16]);
/* ike_ts_narrow, then each end lowered to make the largest prefix from its start (for TSi). */
bool ike_tsi_narrow(const struct ike_core_cfg *cfg, const struct ike_pld_ts *in,
		    struct ike_pld_ts *out, uint8_t addr_buf[IKE_TS_NARROW_MAX * 2][16]);

/* ike_child.c: Child SA keys, SPIs and the data-path callback. */
struct ike_child_req {
	const struct ike_pld_sa *sa;     /* the initiator's SA payload */
	const struct ike_pld_ts *tsi;
	const struct ike_pld_ts *tsr;
	const uint8_t *ni;
	size_t ni_len;
	const uint8_t *nr;
	size_t nr_len;
	bool add_nonce;                  /* CREATE_CHILD_SA: Nr follows SA in the reply */
	bool pfs_allowed;                /* CREATE_CHILD_SA: KE payload may be used */
	const struct ike_pld_ke *ke;     /* the initiator's KE, or NULL */
	uint32_t replaces_spi_in;        /* REKEY_SA: our inbound SPI of the Child SA replaced */
	const struct ike_rx *rx;         /* the request (for the refusal log) */
};
/*
 * Negotiates, keys and installs one Child SA of sa and appends SA, [KE,]
 * TSi, TSr to the reply. Returns 0, or the error notify to send instead.
 * With RFC 9370 additional key exchanges chosen, the reply carries
 * N(ADDITIONAL_KEY_EXCHANGE) too and the Child SA waits in a follow-up
 * slot for its IKE_FOLLOWUP_KE exchanges (ike_followup.c).
 */
uint16_t ike_child_create(struct ike_shard *s, struct ike_sa *sa, const struct ike_child_req *c,
			  struct ike_mb *mb, uint16_t *want_group);
/* What KEYMAT is made of: nonces, SK(0) (NULL: no PFS), SK(1) | ... | SK(n). */
struct ike_child_secrets {
	const uint8_t *ni;
	size_t ni_len;
	const uint8_t *nr;
	size_t nr_len;
	const uint8_t *sk0;
	size_t sk0_len;
	const uint8_t *more;
	size_t more_len;
};
/*
 * Keys the Child SA info describes (our SPI chosen, no keys yet), hands it
 * to the data path and keeps its SPIs in sa. 0, or the notify to answer
 * (counted; the SPI is then given back). info is wiped either way.
 */
uint16_t ike_child_install(struct ike_shard *s, struct ike_sa *sa, const struct ike_esp_suite *esp,
			   struct ike_child_info *info, const struct ike_child_secrets *k);
/* Gives back the SPI of a Child SA that never got keys (child_cb, install = false); wipes info. */
void ike_child_release(struct ike_shard *s, struct ike_child_info *info);
int ike_child_find_out(const struct ike_sa *sa, uint32_t spi_out);
/* Index of the Child SA with our inbound SPI spi_in, or -1. */
int ike_child_find_in(const struct ike_sa *sa, uint32_t spi_in);
/* Our inbound SPI for a Child SA described by info (the host's chooser or random); 0: none. */
uint32_t ike_child_new_spi(struct ike_shard *s, const struct ike_child_info *info);
/* The first selector of a narrowed TS payload, as the data path routes on it. */
void ike_child_ts(const struct ike_pld_ts *ts, struct ike_child_ts *out);
/* The initiator's side of a Child SA: info->tsi, and info->tsi2 for the other family (dual stack). */
void ike_child_tsi(const struct ike_pld_ts *ts, struct ike_child_info *info);
/* Our side of a Child SA: info->tsr, and info->tsr2 for the other family (dual stack). */
void ike_child_tsr(const struct ike_pld_ts *ts, struct ike_child_info *info);
/*
 * Packs ck into info (complete but for keys and install) and hands it to
 * the data path as sa->child[slot]; then wipes info. we_initiated: we
 * started the exchange, so the first keys of KEYMAT are our outbound ones
 * (RFC 7296 2.17).
 */
void ike_child_hand(struct ike_shard *s, struct ike_sa *sa, unsigned slot,
		    struct ike_child_info *info, const struct ike_cipher_suite *c,
		    const struct ike_child_keys *ck, bool we_initiated);
void ike_child_delete(struct ike_shard *s, struct ike_sa *sa, unsigned i);
/* An IKE SA rekey gave sa its Child SAs: the data path learns their new owner. */
void ike_child_moved(struct ike_shard *s, const struct ike_sa *sa);
void ike_sa_keys_load(const struct ike_sa *sa, struct ike_sa_keys *k);

/* Exchange handlers, one file each. */
void ike_exch_sa_init(struct ike_shard *s, struct ike_req *r);
void ike_exch_auth(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);
void ike_exch_informational(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);
void ike_exch_create_child(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);
/* ike_exch_create_child.c: the parts of an IKE SA rekey that IKE_FOLLOWUP_KE shares. */
/* nsa's keys: SKEYSEED = prf(SK_d (old), SK(0) | Ni | Nr [| SK(1) | ... | SK(n)]); 0 or a notify. */
uint16_t ike_rekey_keys(struct ike_shard *s, const struct ike_sa *old, struct ike_sa *nsa,
			const struct ike_suite *suite, const uint8_t *ni, size_t ni_len,
			const uint8_t *nr, const uint8_t *sk0, size_t sk0_len, const uint8_t *more,
			size_t more_len);
/* Before the answer is closed: authentication deadline, tickets and leases go to nsa. */
void ike_rekey_commit(struct ike_shard *s, struct ike_sa *old, struct ike_sa *nsa);
/* After it: nsa takes over the identity and the Child SAs, old waits for its DELETE. */
void ike_rekey_switch(struct ike_shard *s, struct ike_sa *old, struct ike_sa *nsa);

/* ike_followup.c: RFC 9370 2.2.4 IKE_FOLLOWUP_KE responder. */
/*
 * A follow-up slot for sa (its older one, if any, is abandoned), holding
 * the negotiated additional key exchanges of sc, the nonces and SK(0), with
 * fresh link data; NULL when every slot is busy (counted). The caller fills
 * the kind's fields.
 */
struct ike_followup *ike_followup_start(struct ike_shard *s, struct ike_sa *sa, uint8_t kind,
					const struct ike_suite_cfg *sc, const uint8_t *ni,
					size_t ni_len, const uint8_t *nr, const uint8_t *sk0,
					size_t sk0_len);
/* N(ADDITIONAL_KEY_EXCHANGE) with the slot's link data. */
void ike_followup_add_link(struct ike_mb *mb, const struct ike_followup *fu);
void ike_exch_followup(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);
/* The IKE SA spi_r goes or is replaced: its follow-up, if any, is abandoned. */
void ike_followup_drop_sa(struct ike_shard *s, uint64_t spi_r);
/* From ike_shard_tick(): frees the slots whose initiator went quiet. */
void ike_followup_expire(struct ike_shard *s);

/* ike_exch_intermediate.c (RFC 9242, RFC 9370 2.2.1). */
void ike_exch_intermediate(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);
/* The IntAuth chunk for the AUTH octets (into out, IKE_INT_AUTH_MAX); 0: none. */
size_t ike_ho_int_auth(const struct ike_ho *ho, const struct ike_sa *sa, uint8_t *out);
/* IKE_SA_INIT: what RFC 9242 / RFC 9370 state the new half-open SA starts with. */
void ike_ho_int_init(struct ike_ho *ho, const struct ike_msg *req, const struct ike_suite_cfg *sc,
		     const struct ike_suite *suite);

/* The first Child SA of IKE_AUTH, keyed with the nonces kept in ho (RFC 7296 2.17). */
void ike_auth_first_child(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
			  const struct ike_ho *ho, struct ike_mb *mb);

/* ike_exch_resume.c: RFC 5723 4.3.2 / 4.3.3, the IKE_SESSION_RESUME responder. */
/* Phase 1: header, retransmit, COOKIE, ticket open job. True when a job was prepared. */
/* The shard that owns an IKE_SESSION_RESUME request's ticket; -1 for anything else. */
int ike_resume_owner_shard(const uint8_t *data, size_t len, unsigned nb_shards);
bool ike_resume_classify(struct ike_shard *s, struct ike_req *r, unsigned nj);
/* Phase 3: finishes the ticket open and answers. */
void ike_exch_resume(struct ike_shard *s, struct ike_req *r);
/* After the per-request pass: keys of every accepted ticket in one burst, then the answers. */
void ike_exch_resume_finish(struct ike_shard *s);
/* IKE_AUTH of a resumed half-open SA. */
void ike_exch_resume_auth(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);

/* ike_cp.c: virtual IPs (RFC 7296 3.15), docs/protocol.md "Virtual IPs". */
struct ike_cp_ans {
	bool asked;	     /* the request had CP(CFG_REQUEST) (and we have pools) */
	bool failed;	     /* it asked for an address and got none */
	bool want[2];	     /* INTERNAL_IP4_ADDRESS / INTERNAL_IP6_ADDRESS asked */
	bool has_req[2];     /* ... with a specific address */
	bool dns[2];
	bool mask4;
	uint8_t req[2][16];
	uint64_t foreign_until; /* a resumed lease outside our slice: reserved by its issuer until then */
};
/*
 * At IKE_AUTH, once the SA is sure to be established: leases what its
 * CFG_REQUEST asks for (rs: the resumed ticket's state, else NULL).
 */
void ike_cp_lease(struct ike_shard *s, const struct ike_req *r, struct ike_sa *sa, uint32_t peer_idx,
		  const struct ike_ho_resume *rs, struct ike_cp_ans *a);
/* A foreign lease ends the SA's authentication when the issuer's reservation ends. */
void ike_cp_cap_deadline(const struct ike_cp_ans *a, struct ike_sa *sa);
/* CP(CFG_REPLY), or N(INTERNAL_ADDRESS_FAILURE) and false: then no Child SA follows. */
bool ike_cp_reply(struct ike_shard *s, const struct ike_sa *sa, const struct ike_cp_ans *a,
		  struct ike_mb *mb);
/* TSi narrowing (2.9): to the SA's virtual IPs when it has any, else ike_tsi_narrow(). */
bool ike_cp_narrow_tsi(const struct ike_shard *s, const struct ike_sa *sa, const struct ike_pld_ts *in,
		       struct ike_pld_ts *out, uint8_t addr_buf[IKE_TS_NARROW_MAX * 2][16]);
void ike_cp_vip(const struct ike_shard *s, const struct ike_sa *sa, struct ike_vip *out);
/* The SA is removed: its leases are freed or parked for its tickets. */
void ike_cp_release(struct ike_shard *s, struct ike_sa *sa);
/* IKE SA rekey: the leases go to the new SA. */
void ike_cp_move(struct ike_shard *s, struct ike_sa *from, struct ike_sa *to);
/* The lease fields of a ticket for sa, and its reservation once issued. */
void ike_cp_ticket_state(const struct ike_shard *s, const struct ike_sa *sa,
			 struct ike_ticket_state *st);
void ike_cp_ticket_issued(struct ike_shard *s, const struct ike_sa *sa, uint64_t expires);

/* ike_ticket_issue.c: tickets for established SAs (RFC 5723 4.1, 6.2). */
/* Unix seconds from the burst's clock. */
static inline uint64_t
ike_now_s(const struct ike_shard *s)
{
	return s->now_ms / 1000;
}
/* RFC 7296 3.8 method a peer authenticates with, as kept in its tickets. */
static inline uint8_t
ike_ticket_peer_auth(const struct ike_peer_cfg *pc)
{
	return pc->auth == IKE_CRED_PSK ? IKE_AUTH_PSK : IKE_AUTH_DIGITAL_SIGNATURE;
}
/* Answers N(TICKET_REQUEST) when the request has one: TICKET_LT_OPAQUE or TICKET_NACK. */
void ike_ticket_answer(struct ike_shard *s, const struct ike_msg *req, struct ike_sa *sa,
		       uint32_t peer_idx, struct ike_mb *mb);
/* RFC 5723 9.8: the SA's last ticket can no longer resume (client DELETE, rekey). */
void ike_ticket_revoke(struct ike_shard *s, struct ike_sa *sa);
/* Records a used or revoked ticket id; counts and logs when its filter slice fills. */
void ike_ticket_replay_record(struct ike_shard *s, const uint8_t id[IKE_TICKET_ID_LEN],
			      uint64_t expires);
/* Counts a refusal under ctr (ike_ctr_ticket() or IKE_CTR_TICKET_NACK_POLICY), adds N(TICKET_NACK). */
void ike_ticket_nack(struct ike_shard *s, struct ike_mb *mb, unsigned ctr);
/* Replay filter parameters from the configuration; false when tickets are off. */
bool ike_ticket_replay_params_of(const struct ike_core_cfg *cfg,
				 struct ike_ticket_replay_params *p);

/* ike_timers.c: one timer node per SA at the earliest of its deadlines. */
/* sa entered its state now: sets its deadlines (reaping or lifetime, DPD) and arms its node. */
void ike_sa_timer_arm(struct ike_shard *s, struct ike_sa *sa);
/* One of sa's deadlines changed: its node goes to the earliest. */
void ike_sa_timer_update(struct ike_shard *s, struct ike_sa *sa);
/* The next step of ike_dpd.c is due at at_ms; ike_sa_dpd_off: none is. */
void ike_sa_dpd_at(struct ike_shard *s, struct ike_sa *sa, uint64_t at_ms);
void ike_sa_dpd_off(struct ike_shard *s, struct ike_sa *sa);
/*
 * A request of ours on sa (RFC 7296 1.4.1: I and R clear), sealed at once
 * into the next free s->tx entry: begin returns that entry (NULL: none
 * free, counted), the caller adds payloads, end seals and sends it.
 */
struct ike_tx *ike_request_begin(struct ike_shard *s, struct ike_sa *sa, struct ike_mb *mb);
void ike_request_end(struct ike_shard *s, struct ike_sa *sa, struct ike_mb *mb,
		     struct ike_tx *tx);
/* The same with the message ID given (a resend of our request, RFC 7296 2.1). */
struct ike_tx *ike_request_begin_id(struct ike_shard *s, struct ike_sa *sa, struct ike_mb *mb,
				    uint32_t msg_id);
/* The same for another exchange (CREATE_CHILD_SA: a rekey we start). */
struct ike_tx *ike_request_begin_exch(struct ike_shard *s, struct ike_sa *sa, struct ike_mb *mb,
				      uint8_t exchange, uint32_t msg_id);
/* HDR, SK {D(IKE)}. */
void ike_request_delete(struct ike_shard *s, struct ike_sa *sa);
/* The first error notify in r, the answer to a request of ours (1.3.3: it failed), or 0. */
uint16_t ike_answer_error(const struct ike_req *r);

/* ike_dpd.c: dead peer detection (RFC 7296 2.4, docs/protocol.md). */
/*
 * Sets sa's DPD deadline (dpd_due) while ESTABLISHED and DPD is on or a
 * rekey waits, else clears it; ike_sa_timer_arm() arms the node.
 */
void ike_dpd_arm(struct ike_shard *s, struct ike_sa *sa);
/* True when a response to sa with msg_id answers the outstanding probe (worth opening). */
bool ike_dpd_expects(const struct ike_sa *sa, uint32_t msg_id);
/* The probe's answer passed its ICV check. */
void ike_dpd_answered(struct ike_shard *s, struct ike_sa *sa);
/* dpd_due passed (or a rekey is wanted now): the next DPD or rekey step. */
void ike_dpd_expire(struct ike_shard *s, struct ike_sa *sa);
/* No new request of ours before until_ms (a rekey to try again later). */
void ike_dpd_hold(struct ike_sa *sa, uint64_t until_ms);
/* Sends the outstanding request again (the same message ID, a new IV). */
void ike_dpd_resend(struct ike_shard *s, struct ike_sa *sa);
/* A new request of ours goes out now: it takes the next message ID and the resend timer. */
void ike_dpd_request_start(struct ike_shard *s, struct ike_sa *sa);
/* The outstanding request is done; the next one (a rekey waiting) may go. */
void ike_dpd_request_done(struct ike_shard *s, struct ike_sa *sa);

/* ike_child_rekey.c: Child SA rekeys we start (RFC 7296 1.3.3, 2.8, 2.8.1). */
/* With none outstanding: starts the rekey of a child in sa->rekey_want. False: none started. */
bool ike_child_rekey_start(struct ike_shard *s, struct ike_sa *sa);
/* Builds the outstanding rekey request (CREATE_CHILD_SA, or its DELETE) into tx. */
void ike_child_rekey_send(struct ike_shard *s, struct ike_sa *sa);
/*
 * The answer to it passed its ICV check (reassembled when it came in
 * fragments): its inner payloads, not parsed yet, at r->whole + r->plain_off.
 */
void ike_child_rekey_answer(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);
/*
 * The peer rekeyed old_spi_in itself (its CREATE_CHILD_SA with REKEY_SA,
 * answered with our new SA new_spi_in and nonces ni, nr): a collision when
 * ours is outstanding (2.8.1), settled by the nonces when our answer comes.
 */
void ike_child_rekey_peer(struct ike_shard *s, struct ike_sa *sa, uint32_t old_spi_in,
			  uint32_t new_spi_in, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
			  size_t nr_len);
/* sa goes or leaves ESTABLISHED: its rekey in flight is dropped. */
void ike_child_rekey_abandon(struct ike_shard *s, struct ike_sa *sa);
/* Frees a slot's key pair (and follow-up state) and wipes it. */
void ike_rekey_free(struct ike_shard *s, struct ike_rekey *rk);
/*
 * The new SA of our rekey is keyed (ck; info wiped, as ck): installed and
 * the old one's DELETE sent, or, when redundant (ours_lowest, 2.8.1) or the
 * old one is gone, never installed and its own DELETE sent.
 */
void ike_child_rekey_install(struct ike_shard *s, struct ike_sa *sa, struct ike_rekey *rk,
			     struct ike_child_info *info, const struct ike_esp_suite *esp,
			     struct ike_child_keys *ck, bool ours_lowest);
/* In a collision, does our exchange (nonce nr of the answer) hold the lowest nonce? */
bool ike_child_rekey_lowest(const struct ike_rekey *rk, const uint8_t *nr, size_t nr_len);
/* Ends the rekey: slot freed, the SA's next request may go. */
void ike_child_rekey_finish(struct ike_shard *s, struct ike_sa *sa);

/* ike_child_rekey_fu.c: RFC 9370 IKE_FOLLOWUP_KE in our Child SA rekeys. */
/*
 * The CREATE_CHILD_SA answer chose additional exchanges (suite): keeps the
 * state and sends the first IKE_FOLLOWUP_KE. False: no slot or no link
 * (counted; the caller ends the rekey).
 */
bool ike_child_rekey_fu_begin(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
			      struct ike_rekey *rk, const struct ike_suite_cfg *suite,
			      const struct ike_esp_suite *esp, const struct ike_child_info *info,
			      const uint8_t *nr, size_t nr_len, const uint8_t *sk0, size_t sk0_len);
/* Adds KEi(n) and the link to our IKE_FOLLOWUP_KE request (and its resends). */
void ike_child_rekey_fu_request(struct ike_shard *s, struct ike_rekey *rk, struct ike_mb *mb);
/* The answer to our IKE_FOLLOWUP_KE. */
void ike_child_rekey_fu_answer(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
			       struct ike_rekey *rk);
/* Frees rk's follow-up state, if any (wiped). */
void ike_child_rekey_fu_free(struct ike_shard *s, struct ike_rekey *rk);

/* ike_event.c: the host's event hook; each does nothing without one. */
void ike_event_sa(struct ike_shard *s, const struct ike_sa *sa, enum ike_event_type type,
		  enum ike_event_reason why);
void ike_event_rekeyed(struct ike_shard *s, const struct ike_sa *old, const struct ike_sa *nsa);
void ike_event_resumed(struct ike_shard *s, const struct ike_sa *sa, const uint8_t key_id[4]);
void ike_event_refused(struct ike_shard *s, const struct ike_rx *rx, uint64_t spi_i,
		       uint16_t notify);
/* id: the IDi the peer sent, NULL when it sent none. */
void ike_event_auth_failed(struct ike_shard *s, const struct ike_sa *sa, uint16_t notify,
			   uint8_t id_type, const uint8_t *id, size_t id_len);

/* ike_auth_lifetime.c: RFC 4478 repeated authentication (docs/protocol.md). */
/* Seconds a full authentication of peer pc is good for; 0: no limit. */
uint32_t ike_auth_lifetime_of(const struct ike_core_cfg *cfg, const struct ike_peer_cfg *pc);
/* Full IKE_AUTH of sa by pc: sets sa->auth_deadline and adds N(AUTH_LIFETIME) to the reply. */
void ike_auth_lifetime_start(struct ike_shard *s, struct ike_sa *sa,
			     const struct ike_peer_cfg *pc, struct ike_mb *mb);
/* N(AUTH_LIFETIME) with the whole seconds left until sa->auth_deadline; nothing without one. */
void ike_auth_lifetime_notify(const struct ike_shard *s, const struct ike_sa *sa,
			      struct ike_mb *mb);
/* When an ESTABLISHED sa is deleted for want of a new IKE_AUTH (deadline + grace); 0: never. */
uint64_t ike_auth_lifetime_end_ms(const struct ike_shard *s, const struct ike_sa *sa);
/* That time passed: deletes sa. */
void ike_auth_lifetime_expire(struct ike_shard *s, struct ike_sa *sa);

/* Payload helpers. */
static inline const uint8_t *
ike_req_body(const struct ike_req *r, const struct ike_pld *p)
{
	return ike_msg_pld_body(&r->msg, p);
}

#endif
