/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_responder.c - one rx burst through the responder (RFC 7296 2.1-2.5):
 *   1. parse every message, find its SA by SPIr (owner check included),
 *      answer retransmits from the cache, prepare the SK open jobs and the
 *      ticket open jobs of IKE_SESSION_RESUME requests (RFC 5723);
 *   2. run all opens as one aead_burst;
 *   3. in arrival order: check the ICV result, parse and validate the inner
 *      payloads, dispatch on (exchange, state) through a const table;
 *      accepted resumption tickets then get their keys in one PRF burst;
 *   4. seal every encrypted reply in one aead_burst.
 * A bad message is counted and dropped; it never touches another SA.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_sk.h"

typedef void (*ike_exch_fn)(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa);

#define EXCH_FIRST IKE_EXCH_IKE_AUTH
#define EXCH_LAST IKE_EXCH_IKE_FOLLOWUP_KE

/* A half-open SA came from IKE_SA_INIT or from IKE_SESSION_RESUME (RFC 5723 4.3.3). */
static void
exch_auth(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	if (sa->resumed)
		ike_exch_resume_auth(s, r, sa);
	else
		ike_exch_auth(s, r, sa);
}

/* Which exchange the initiator may run in which state; NULL: none. */
static const ike_exch_fn dispatch[EXCH_LAST - EXCH_FIRST + 1][IKE_SA_STATE_COUNT] = {
	[IKE_EXCH_IKE_AUTH - EXCH_FIRST] = {
		[IKE_SA_HALF_OPEN] = exch_auth,
	},
	[IKE_EXCH_CREATE_CHILD_SA - EXCH_FIRST] = {
		[IKE_SA_ESTABLISHED] = ike_exch_create_child,
	},
	[IKE_EXCH_INFORMATIONAL - EXCH_FIRST] = {
		[IKE_SA_ESTABLISHED] = ike_exch_informational,
		/* RFC 7296 2.18: the initiator deletes the old SA after a rekey. */
		[IKE_SA_REKEYED] = ike_exch_informational,
	},
	/* RFC 9242 3.2: between IKE_SA_INIT and IKE_AUTH only. */
	[IKE_EXCH_IKE_INTERMEDIATE - EXCH_FIRST] = {
		[IKE_SA_HALF_OPEN] = ike_exch_intermediate,
	},
	/* RFC 9370 2.2.4: after a CREATE_CHILD_SA that chose additional key exchanges. */
	[IKE_EXCH_IKE_FOLLOWUP_KE - EXCH_FIRST] = {
		[IKE_SA_ESTABLISHED] = ike_exch_followup,
	},
};

/* An exchange the table has a row for (38..42 are none of ours). */
static bool
exchange_known(uint8_t exchange)
{
	return exchange <= IKE_EXCH_INFORMATIONAL || exchange == IKE_EXCH_IKE_INTERMEDIATE ||
	       exchange == IKE_EXCH_IKE_FOLLOWUP_KE;
}

/* Phase 1 for one message; returns true when an SK open job was prepared. */
static bool
classify(struct ike_shard *s, struct ike_req *r, unsigned nj)
{
	struct ike_msg *m = &r->msg;
	enum ike_parse_status pst;
	struct ike_sa *sa;
	bool is_response;

	ike_count(s, IKE_CTR_RX);
	pst = ike_msg_parse(r->rx->data, r->rx->len, m);
	if (pst != IKE_PARSE_OK) {
		ike_count(s, ike_ctr_parse(pst));
		return false;
	}
	is_response = m->flags & IKE_HDR_F_RESPONSE;
	if (!is_response && !(m->flags & IKE_HDR_F_INITIATOR)) {
		ike_count(s, IKE_CTR_DROP_NOT_INITIATOR);
		return false;
	}
	if (is_response && (m->exchange == IKE_EXCH_IKE_SA_INIT ||
			    m->exchange == IKE_EXCH_IKE_SESSION_RESUME)) {
		/* We never start those exchanges. */
		ike_count(s, IKE_CTR_DROP_EXCHANGE_UNKNOWN);
		return false;
	}
	if (m->exchange == IKE_EXCH_IKE_SA_INIT) {
		r->init = true;
		return false;
	}
	if (m->exchange == IKE_EXCH_IKE_SESSION_RESUME) {
		/* Its ticket is opened in the same aead_burst as the SK payloads. */
		r->resume = ike_resume_classify(s, r, nj);
		return r->resume;
	}
	if (m->exchange < EXCH_FIRST || m->exchange > EXCH_LAST || !exchange_known(m->exchange)) {
		ike_count(s, IKE_CTR_DROP_EXCHANGE_UNKNOWN);
		return false;
	}
	if (spi_shard(&s->layout, m->spi_r) != s->id) {
		ike_count(s, IKE_CTR_DROP_WRONG_SHARD);
		return false;
	}
	sa = satable_lookup(s->sas, m->spi_r);
	if (sa == NULL) {
		/* RFC 7296 2.1: the answer to a DELETE is resent after the SA has gone. */
		if (ike_window_resend_closed(s, m, r->rx))
			return false;
		ike_count(s, IKE_CTR_DROP_UNKNOWN_SPI);
		return false;
	}
	if (sa->spi_i != m->spi_i) {
		ike_count(s, IKE_CTR_DROP_SPI_I_MISMATCH);
		return false;
	}
	/* A rekey's new SA has no keys until its IKE_FOLLOWUP_KE exchanges end. */
	if (sa->state == IKE_SA_LARVAL) {
		ike_count(s, IKE_CTR_DROP_STATE);
		return false;
	}
	if (is_response) {
		ike_count(s, IKE_CTR_RX_RESPONSE);
		/* Answers to our untracked DELETE or AUTH_LIFETIME requests: nothing more to do. */
		if (!ike_dpd_expects(sa, m->msg_id))
			return false;
		/* The answer to a DPD probe or a rekey request counts once its ICV checked. */
		r->response = true;
	}
	/* RFC 7383: fragments (requests and answers) have their own checks and reassembly. */
	if (m->sk_type == IKE_PLD_SKF)
		return ike_frag_classify(s, r, sa, nj);
	switch (r->response ? IKE_WIN_NEW : ike_window_check(s, sa, m->msg_id)) {
	case IKE_WIN_RETRANSMIT:
		ike_window_resend(s, sa, r->rx);
		return false;
	case IKE_WIN_DROP:
		return false;
	case IKE_WIN_NEW:
		break;
	}
	if (m->sk_type != IKE_PLD_SK) {
		ike_count(s, IKE_CTR_DROP_NO_SK);
		return false;
	}
	if (ike_sk_open_prepare(&sa->k_in, r->rx->data, r->rx->len, m->sk_off,
				&s->open_jobs[nj]) != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_SK_LAYOUT);
		return false;
	}
	r->spi_r = ike_sa_spi_r(s, sa);
	r->job = (uint8_t)nj;
	return true;
}

/* Authenticated but malformed: RFC 7296 2.21.2 answers INVALID_SYNTAX. */
static void
reply_invalid_syntax(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
		     enum ike_parse_status pst)
{
	ike_count(s, ike_ctr_parse(pst));
	ike_count(s, IKE_CTR_INVALID_SYNTAX_SENT);
	sa->next_msg_id++;
	ike_reply_error(s, r->rx, &r->msg, sa, IKE_N_INVALID_SYNTAX);
	if (sa->state == IKE_SA_HALF_OPEN)
		ike_sa_kill(s, sa);
}

/* Phase 3 for a message whose SK open job ran. */
static bool
addr_eq(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	       memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4) == 0;
}

/*
 * RFC 7296 2.23: a new request whose ICV checked, from another address or
 * port (a NAT rebinding, the initiator's move to port 4500): our requests
 * (DELETE, liveness, AUTH_LIFETIME) go there from now on. Not when we are
 * the one behind a NAT (2.23: that opens a DoS); retransmits never get here.
 */
static void
follow_peer(struct ike_shard *s, struct ike_sa *sa, const struct ike_rx *rx)
{
	int local;

	if (sa->nat_local)
		return;
	if (!addr_eq(&sa->remote, &rx->remote) || !addr_eq(ike_sa_local(s, sa), &rx->local)) {
		local = ike_local_addr_index(s, &rx->local);
		if (local < 0)
			return; /* counted; our requests keep the old addresses */
		sa->remote = rx->remote;
		sa->local = (uint8_t)local;
		ike_count(s, IKE_CTR_PEER_ADDRESS_UPDATED);
	}
	sa->tag = rx->tag;
}

static void
handle_opened(struct ike_shard *s, struct ike_req *r)
{
	struct ike_msg *m = &r->msg;
	size_t plain_off, plain_len;
	enum ike_parse_status pst;
	enum ike_status st;
	struct ike_sa *sa;
	unsigned bad;
	ike_exch_fn fn;

	st = ike_sk_open_finish(&s->open_jobs[r->job], &plain_off, &plain_len);
	if (st != IKE_OK) {
		ike_count(s, st == IKE_E_INTEGRITY ? IKE_CTR_DROP_ICV : IKE_CTR_DROP_SK_PADDING);
		return;
	}
	/* An earlier message of this burst may have ended the SA or used this ID. */
	sa = satable_lookup(s->sas, r->spi_r);
	if (sa == NULL || sa->state == IKE_SA_DYING) {
		ike_count(s, IKE_CTR_DROP_UNKNOWN_SPI);
		return;
	}
	if (r->response) {
		if (!ike_dpd_expects(sa, m->msg_id))
			return;
		if (r->frag && !ike_frag_store(s, r, sa, plain_off, plain_len))
			return; /* kept until whole; then parsed over the reassembly */
		if (!r->frag) {
			r->whole = r->rx->data;
			r->plain_off = (uint16_t)plain_off;
			r->plain_len = (uint16_t)plain_len;
		}
		if (sa->rekey_slot != 0)
			ike_child_rekey_answer(s, r, sa);
		else
			ike_dpd_answered(s, sa);
		return;
	}
	if (m->msg_id != sa->next_msg_id) {
		ike_count(s, IKE_CTR_DROP_MSGID_OLD);
		return;
	}
	/* A new request whose ICV checked: the peer is alive (ike_dpd.c). */
	sa->heard_ms = ike_ms32(s->now_ms);
	if (r->frag) {
		/* Kept until the message is whole; then it is parsed over the reassembly. */
		if (!ike_frag_store(s, r, sa, plain_off, plain_len))
			return;
	} else {
		pst = ike_msg_parse_inner(r->rx->data + plain_off, plain_len, m->sk_first, m);
		if (pst == IKE_PARSE_OK)
			pst = ike_msg_validate(m, &bad);
		if (pst != IKE_PARSE_OK) {
			reply_invalid_syntax(s, r, sa, pst);
			return;
		}
		r->whole = r->rx->data;
		r->plain_off = (uint16_t)plain_off;
		r->plain_len = (uint16_t)plain_len;
	}
	fn = dispatch[m->exchange - EXCH_FIRST][sa->state];
	if (fn == NULL) {
		ike_count(s, IKE_CTR_DROP_STATE);
		return;
	}
	sa->next_msg_id++;
	follow_peer(s, sa, r->rx);
	fn(s, r, sa);
}

static void
burst_chunk(struct ike_shard *s, struct ike_rx *rx, unsigned n)
{
	unsigned nj = 0;

	for (unsigned i = 0; i < n; i++) {
		struct ike_req *r = &s->req[i];

		r->rx = &rx[i];
		r->init = false;
		r->resume = false;
		r->frag = false;
		r->response = false;
		r->open = classify(s, r, nj);
		nj += r->open;
	}
	if (nj != 0)
		s->ops->sym->aead_burst(s->ops->sym_ctx, s->open_jobs, nj);
	for (unsigned i = 0; i < n; i++) {
		struct ike_req *r = &s->req[i];

		if (r->init)
			ike_exch_sa_init(s, r);
		else if (r->resume)
			ike_exch_resume(s, r);
		else if (r->open)
			handle_opened(s, r);
	}
	ike_exch_resume_finish(s);
	ike_reply_seal_all(s);
}

unsigned
ike_shard_rx_burst(struct ike_shard *s, struct ike_rx *rx, unsigned n, struct ike_tx *tx,
		   unsigned tx_n, uint64_t now_ms)
{
	unsigned done = 0;

	s->now_ms = now_ms;
	/*
	 * Once per burst: the host may swap cfg->ticket_keyring between bursts
	 * and free the old ring once every shard has finished a burst after the
	 * swap, so the pointer is not kept past the end of this call.
	 */
	s->keyring = __atomic_load_n(&s->cfg->ticket_keyring, __ATOMIC_ACQUIRE);
	ike_cookie_rotate(s, now_ms);
	for (unsigned off = 0; off < n; off += IKE_CORE_BURST) {
		unsigned chunk = n - off < IKE_CORE_BURST ? n - off : IKE_CORE_BURST;

		s->tx = tx + done;
		s->tx_n = tx_n - done;
		s->ntx = 0;
		burst_chunk(s, rx + off, chunk);
		done += s->ntx;
	}
	s->keyring = NULL;
	return done;
}
