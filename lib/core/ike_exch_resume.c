/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_exch_resume.c - session resumption responder (RFC 5723 4.3):
 *   HDR(SPIi, 0), [N(COOKIE),] Ni, N(TICKET_OPAQUE) [,N+]  -->
 *                     <--  HDR(SPIi, SPIr), Nr [,N(FRAG_SUP)]
 *                     <--  HDR(SPIi, 0), N(TICKET_NACK)     (any refusal, plain)
 *   HDR, SK {IDi, [IDr,] AUTH, SAi2, TSi, TSr [,N(TICKET_REQUEST)]}  -->
 *                     <--  HDR, SK {IDr, AUTH, [N(AUTH_LIFETIME),] SAr2, TSi, TSr
 *                                   [,N(TICKET_LT_OPAQUE)]}
 * Keys: SKEYSEED = prf(SK_d_old, "Resumption" | Ni | Nr), then RFC 7296
 * 2.14 with the new SPIs (5.1). AUTH = prf(SK_px, <octets of RFC 7296
 * 2.15>) with the new SA's SK_pi/SK_pr and the IKE_SESSION_RESUME messages
 * as RealMessage: a PSK-style MIC keyed by SK_px itself, method 2 (4.3.3).
 * The ticket is opened in the burst's aead_burst (ike_responder.c) and the
 * keys of all tickets accepted in a burst come from one PRF burst; it is
 * burnt in the replay filter when IKE_AUTH succeeds (4.3.1), and an older
 * SA it names that is still here is deleted silently (4.3.4). A
 * retransmitted request gets the same response bytes from the half-open
 * slot, as IKE_SA_INIT does.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"
#include "ike_ticket_keyring.h"

/* HDR(SPIi, 0), N(type): stateless answers (TICKET_NACK, COOKIE). */
static void
nack(struct ike_shard *s, struct ike_req *r, unsigned ctr)
{
	struct ike_reply rep;

	if (!ike_reply_begin(s, &rep, r->rx, &r->msg, 0, NULL))
		return;
	ike_ticket_nack(s, &rep.mb, ctr);
	ike_reply_end(s, &rep);
}

static const struct ike_pld *
find_notify(const struct ike_msg *m, uint16_t type, struct ike_pld_notify *n)
{
	const struct ike_pld *p = ike_msg_find_notify(m, type);

	if (p == NULL || ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, n) != IKE_PARSE_OK)
		return NULL;
	return p;
}

int
ike_resume_owner_shard(const uint8_t *data, size_t len, unsigned nb_shards)
{
	struct ike_pld_notify n;
	struct ike_msg m;

	if (data == NULL || nb_shards == 0 || ike_msg_parse(data, len, &m) != IKE_PARSE_OK ||
	    m.exchange != IKE_EXCH_IKE_SESSION_RESUME || (m.flags & IKE_HDR_F_RESPONSE) ||
	    find_notify(&m, IKE_N_TICKET_OPAQUE, &n) == NULL)
		return -1;
	return (int)ike_ticket_owner_shard(n.data, n.len, nb_shards);
}

bool
ike_resume_classify(struct ike_shard *s, struct ike_req *r, unsigned nj)
{
	const struct ike_msg *m = &r->msg;
	const struct ike_pld *ni_p;
	struct ike_pld_notify tk;
	struct halfopen_key key;
	struct ike_pld_nonce ni;
	enum ike_parse_status pst;
	enum ike_ticket_reason rc;
	uint64_t spi_r;
	unsigned bad;

	if (m->msg_id != 0 || m->spi_r != 0 || m->sk_type != IKE_PLD_NONE) {
		ike_count(s, IKE_CTR_DROP_RESUME_HEADER);
		return false;
	}
	halfopen_key_make(&key, m->spi_i, r->rx->remote.family, r->rx->remote.ip,
			  r->rx->remote.port);
	if (halfopen_lookup(s->ho_index, &key, &spi_r)) {
		struct ike_sa *sa = satable_lookup(s->sas, spi_r);

		if (sa == NULL || !sa->resumed || sa->ho_slot == IKE_NO_SLOT) {
			ike_count(s, IKE_CTR_DROP_RETRANSMIT_UNCACHED);
			return false;
		}
		ike_count(s, IKE_CTR_RESUME_RETRANSMIT);
		ike_reply_bytes(s, r->rx, s->ho[sa->ho_slot].resp, s->ho[sa->ho_slot].resp_len);
		return false;
	}
	pst = ike_msg_validate(m, &bad);
	if (pst != IKE_PARSE_OK) {
		ike_count(s, ike_ctr_parse(pst));
		return false;
	}
	ni_p = ike_msg_find(m, IKE_PLD_NONCE, 0);
	if (ni_p == NULL || find_notify(m, IKE_N_TICKET_OPAQUE, &tk) == NULL) {
		ike_count(s, IKE_CTR_DROP_RESUME_MISSING);
		return false;
	}
	ike_pld_nonce_parse(ike_req_body(r, ni_p), ni_p->len, &ni);
	if (!ike_cookie_gate(s, r, &ni))
		return false;
	if (s->replay == NULL || s->keyring == NULL) {
		nack(s, r, ike_ctr_ticket(IKE_TICKET_UNKNOWN_KEY));
		return false;
	}
	rc = ike_ticket_open_prepare(s->keyring, tk.data, tk.len, ike_now_s(s), &s->ticket_ctx[nj],
				     &s->open_jobs[nj]);
	if (rc != IKE_TICKET_OK) {
		nack(s, r, ike_ctr_ticket(rc));
		return false;
	}
	r->job = (uint8_t)nj;
	return true;
}

/* The ticket's suite, if this gateway still offers it. */
static bool
ticket_suite(const struct ike_shard *s, const struct ike_ticket_state *st, struct ike_suite *su)
{
	/* No key exchange on resumption (RFC 5723 5): any group we run describes it. */
	const struct ike_transforms t = {st->encr, st->encr_key_bits, st->prf, st->integ,
					 IKE_KE_CURVE25519};

	return ike_proposal_cfg_takes(s->ike_props, s->nb_ike_props, &t) &&
	       ike_suite_ike(&t, su) == IKE_OK && su->prf_len == st->sk_d_len;
}

/* Policy now (RFC 5723 5, 9.7): the peer is still configured, with the same credentials and IDr. */
static uint32_t
ticket_peer(const struct ike_shard *s, const struct ike_ticket_state *st)
{
	const struct ike_core_cfg *cfg = s->cfg;
	const struct ike_ticket_ident *who = st->peer_id.len != 0 ? &st->peer_id : &st->id_i;
	uint32_t peer;

	if (st->flags != 0 || st->id_i.len > sizeof(((struct ike_ho_resume *)0)->idi))
		return IKE_NO_SLOT;
	if (st->id_r.type != cfg->local_id_type || st->id_r.len != cfg->local_id_len ||
	    memcmp(st->id_r.data, cfg->local_id, cfg->local_id_len) != 0)
		return IKE_NO_SLOT;
	peer = ike_peer_find(s, who->type, who->data, who->len);
	if (peer == IKE_NO_SLOT || ike_ticket_peer_auth(&s->peers_cfg[peer]) != st->peer_auth)
		return IKE_NO_SLOT;
	return peer;
}

/* New keys (5.1) into the SA and its half-open slot. */
static void
resume_keys(struct ike_sa *sa, struct ike_ho *ho, const struct ike_resume_pending *p)
{
	const struct ike_suite *su = &p->suite;

	sa->prf = (uint8_t)su->prf;
	sa->prf_len = su->prf_len;
	memcpy(sa->sk_d, p->keys.sk_d, su->prf_len);
	sa->k_in = p->keys.init_to_resp;
	sa->k_out = p->keys.resp_to_init;
	memcpy(ho->sk_pi, p->keys.sk_pi, su->prf_len);
	memcpy(ho->sk_pr, p->keys.sk_pr, su->prf_len);
}

/*
 * HDR(SPIi, SPIr), Nr, N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP)
 * [,N(FRAGMENTATION_SUPPORTED)] into the half-open slot (RFC 5723 4.3.2).
 */
static bool
build_response(struct ike_shard *s, struct ike_sa *sa, struct ike_ho *ho, const uint8_t *nr)
{
	struct ike_mb mb;
	size_t len;

	ike_mb_init(&mb, ho->resp, sizeof(ho->resp), sa->spi_i, ike_sa_spi_r(s, sa),
		    IKE_EXCH_IKE_SESSION_RESUME, IKE_HDR_F_RESPONSE, 0);
	ho->nr_off = (uint16_t)(mb.w.off + IKE_GEN_HDR_LEN);
	ho->nr_len = IKE_NONCE_OURS;
	ike_mb_add_nonce(&mb, nr, IKE_NONCE_OURS);
	if (!ike_natd_add(s, sa, &mb))
		return false;
	if (sa->frag_ok)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED,
				  NULL, 0);
	/* RFC 9242 4: IKE_INTERMEDIATE may follow, when the request announced it. */
	if (ho->im.supported)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0,
				  IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
	if (ike_mb_finish(&mb, &len) != IKE_OK)
		return false;
	ho->resp_len = (uint16_t)len;
	return true;
}

/*
 * Takes half-open state for an accepted ticket and queues it for its keys;
 * ike_exch_resume_finish() answers with Nr.
 */
static void
accept_ticket(struct ike_shard *s, struct ike_req *r, const struct ike_ticket_state *st,
	      const struct ike_suite *su, uint32_t peer)
{
	const struct ike_pld *ni_p = ike_msg_find(&r->msg, IKE_PLD_NONCE, 0);
	struct ike_resume_pending *p = &s->resume_pending[s->nresume];
	struct ike_pld_nonce ni;
	struct halfopen_key key;
	struct ike_sa *sa;
	struct ike_ho *ho;
	uint32_t hoi;

	ike_pld_nonce_parse(ike_req_body(r, ni_p), ni_p->len, &ni);
	if (r->rx->len > IKE_HO_REQ_MAX) {
		ike_count(s, IKE_CTR_DROP_INIT_TOO_BIG);
		return;
	}
	hoi = ike_ho_alloc(s);
	if (hoi == IKE_NO_SLOT) {
		ike_count(s, IKE_CTR_DROP_HALF_OPEN_FULL);
		return;
	}
	sa = ike_sa_new(s, r->msg.spi_i, r->rx);
	if (sa == NULL) {
		ike_ho_free(s, hoi);
		return;
	}
	ho = &s->ho[hoi];
	halfopen_key_make(&key, r->msg.spi_i, r->rx->remote.family, r->rx->remote.ip,
			  r->rx->remote.port);
	ho->key = key; /* before any failure: release removes this key only */
	sa->ho_slot = hoi;
	ho->spi_r = ike_sa_spi_r(s, sa);
	sa->resumed = 1;
	sa->frag_ok = ike_msg_find_notify(&r->msg, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	ike_natd_detect(s, &r->msg, sa); /* RFC 5723 4.3.2: NAT status anew */
	if (cry_random(s->ops, p->nr, sizeof(p->nr)) != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		ike_sa_remove(s, sa);
		return;
	}
	memcpy(ho->rs.ticket_id, st->ticket_id, IKE_TICKET_ID_LEN);
	/* The ticket's key id follows its version octet in the AAD (ike_ticket.h). */
	memcpy(ho->rs.key_id, s->ticket_ctx[r->job].aad + 1, IKE_TICKET_KEY_ID_LEN);
	ho->rs.ticket_expires = st->expires;
	ho->rs.auth_deadline = st->auth_deadline;
	ho->rs.old_spi_i = ike_get_u64(st->spi_i);
	ho->rs.old_spi_r = ike_get_u64(st->spi_r);
	ho->rs.peer_idx = peer;
	ho->rs.vip.has4 = (st->lease & IKE_TICKET_LEASE_V4) != 0;
	ho->rs.vip.has6 = (st->lease & IKE_TICKET_LEASE_V6) != 0;
	memcpy(ho->rs.vip.ip4, st->vip4, sizeof(st->vip4));
	memcpy(ho->rs.vip.ip6, st->vip6, sizeof(st->vip6));
	ho->rs.idi_type = st->id_i.type;
	ho->rs.idi_len = (uint8_t)st->id_i.len;
	memcpy(ho->rs.idi, st->id_i.data, st->id_i.len);
	p->r = r;
	p->spi_r = ike_sa_spi_r(s, sa);
	p->suite = *su;
	p->sk_d_len = st->sk_d_len;
	memcpy(p->sk_d_old, st->sk_d, st->sk_d_len);
	p->in.ni = ni.data;
	p->in.ni_len = ni.len;
	p->in.nr = p->nr;
	p->in.nr_len = IKE_NONCE_OURS;
	ike_put_u64(p->in.spi_i, sa->spi_i);
	ike_put_u64(p->in.spi_r, ike_sa_spi_r(s, sa));
	s->resume_derive[s->nresume] = (struct ike_resume_derive){
		.suite = &p->suite,
		.sk_d_old = p->sk_d_old,
		.sk_d_len = p->sk_d_len,
		.in = &p->in,
		.keys = &p->keys,
	};
	s->nresume++;
}

/* The rest of accept_ticket() once the keys are there. */
static void
answer_ticket(struct ike_shard *s, struct ike_resume_pending *p, enum ike_status keys_st)
{
	struct ike_req *r = p->r;
	struct ike_sa *sa = satable_lookup(s->sas, p->spi_r);
	struct ike_ho *ho;

	if (sa == NULL)
		return;
	ho = &s->ho[sa->ho_slot];
	if (keys_st != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		goto fail;
	}
	resume_keys(sa, ho, p);
	/* No SA payload here: IKE_INTERMEDIATE without additional key exchanges. */
	ho->im.supported =
		ike_msg_find_notify(&r->msg, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED) != NULL;
	ho->im.suite = p->suite;
	if (!build_response(s, sa, ho, p->nr)) {
		ike_count(s, IKE_CTR_DROP_BUILD);
		goto fail;
	}
	memcpy(ho->req, r->rx->data, r->rx->len);
	ho->req_len = r->rx->len;
	ho->ni_off = (uint16_t)(p->in.ni - r->rx->data);
	ho->ni_len = (uint16_t)p->in.ni_len;
	if (halfopen_insert(s->ho_index, &ho->key, ike_sa_spi_r(s, sa)) != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_HALF_OPEN_FULL);
		goto fail;
	}
	sa->next_msg_id = 1;
	ike_sa_timer_arm(s, sa);
	ike_count(s, IKE_CTR_RESUME_ACCEPTED);
	ike_reply_bytes(s, r->rx, ho->resp, ho->resp_len);
	return;
fail:
	ike_sa_remove(s, sa);
}

void
ike_exch_resume_finish(struct ike_shard *s)
{
	unsigned n = s->nresume;

	if (n == 0)
		return;
	ike_keys_derive_resume_burst(s->ops, s->resume_derive, n);
	for (unsigned i = 0; i < n; i++) {
		answer_ticket(s, &s->resume_pending[i], s->resume_derive[i].status);
		ike_wipe(&s->resume_pending[i], sizeof(s->resume_pending[i]));
	}
	s->nresume = 0;
}

void
ike_exch_resume(struct ike_shard *s, struct ike_req *r)
{
	struct ike_ticket_state *st = &s->ticket_st;
	enum ike_ticket_reason rc;
	struct ike_suite su;
	uint32_t peer;

	rc = ike_ticket_open_finish(&s->ticket_ctx[r->job], &s->open_jobs[r->job], st);
	if (rc != IKE_TICKET_OK) {
		nack(s, r, ike_ctr_ticket(rc));
		return;
	}
	/* 4.3.2: a used ticket gets TICKET_NACK, and the client a full handshake. */
	rc = ike_ticket_replay_lookup(s->replay, st->ticket_id, st->expires, ike_now_s(s));
	if (rc != IKE_TICKET_OK) {
		nack(s, r, ike_ctr_ticket(rc));
	} else {
		peer = ticket_peer(s, st);
		if (peer == IKE_NO_SLOT || !ticket_suite(s, st, &su))
			nack(s, r, IKE_CTR_TICKET_NACK_POLICY);
		else
			accept_ticket(s, r, st, &su, peer);
	}
	ike_ticket_state_wipe(st);
}

/*
 * One side's AUTH = prf(SK_px, octets). RFC form: the RFC 7296 2.15
 * octets over the IKE_SESSION_RESUME message; libreswan form: that
 * message alone.
 */
static bool
resume_mac(struct ike_shard *s, const struct ike_sa *sa, const uint8_t *sk_p,
	   const struct ike_auth_octets_input *in, bool libreswan, uint8_t *out)
{
	struct ike_psk_key key = {.prf = (enum cry_prf_alg)sa->prf, .len = sa->prf_len};
	enum ike_status st;
	size_t len;

	memcpy(key.key, sk_p, sa->prf_len);
	if (libreswan) {
		st = ike_auth_psk(s->ops, &key, in->real_msg, in->real_msg_len, out);
	} else {
		st = ike_auth_octets(s->ops, key.prf, sk_p, sa->prf_len, in, s->octets,
				     sizeof(s->octets), &len);
		if (st == IKE_OK)
			st = ike_auth_psk(s->ops, &key, s->octets, len, out);
		ike_wipe(s->octets, sizeof(s->octets));
	}
	ike_psk_key_wipe(&key);
	return st == IKE_OK;
}

static bool
peer_auth_ok(struct ike_shard *s, const struct ike_sa *sa, const struct ike_ho *ho,
	     const uint8_t *idi, size_t idi_len, const struct ike_pld_auth *auth, bool libreswan)
{
	uint8_t int_auth[IKE_INT_AUTH_MAX];
	const struct ike_auth_octets_input in = {
		.real_msg = ho->req,
		.real_msg_len = ho->req_len,
		.peer_nonce = ho->resp + ho->nr_off,
		.peer_nonce_len = ho->nr_len,
		.id = idi,
		.id_len = idi_len,
		.int_auth = int_auth,
		.int_auth_len = ike_ho_int_auth(ho, sa, int_auth),
	};
	uint8_t want[CRY_MAX_PRF_LEN];
	bool ok;

	ok = resume_mac(s, sa, ho->sk_pi, &in, libreswan, want) && auth->len == sa->prf_len &&
	     ike_ct_eq(want, auth->data, sa->prf_len);
	ike_wipe(want, sizeof(want));
	return ok;
}

/* Ours over the IKE_SESSION_RESUME response, in the form the initiator used. */
static bool
our_auth(struct ike_shard *s, const struct ike_sa *sa, const struct ike_ho *ho, bool libreswan,
	 uint8_t *out)
{
	const struct ike_core_cfg *cfg = s->cfg;
	uint8_t idr[4 + sizeof(cfg->local_id)];
	uint8_t int_auth[IKE_INT_AUTH_MAX];
	const struct ike_auth_octets_input in = {
		.real_msg = ho->resp,
		.real_msg_len = ho->resp_len,
		.peer_nonce = ho->req + ho->ni_off,
		.peer_nonce_len = ho->ni_len,
		.id = idr,
		.id_len = 4 + (size_t)cfg->local_id_len,
		.int_auth = int_auth,
		.int_auth_len = ike_ho_int_auth(ho, sa, int_auth),
	};

	/* RestOfIDPayload: ID Type, three RESERVED octets, the identity. */
	memset(idr, 0, 4);
	idr[0] = cfg->local_id_type;
	memcpy(idr + 4, cfg->local_id, cfg->local_id_len);
	return resume_mac(s, sa, ho->sk_pr, &in, libreswan, out);
}

static void
auth_fail(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, unsigned ctr)
{
	ike_count(s, ctr);
	ike_reply_error(s, r->rx, &r->msg, sa, IKE_N_AUTHENTICATION_FAILED);
	ike_sa_kill(s, sa);
}

static bool
id_matches(const struct ike_req *r, const struct ike_pld *p, uint8_t type, const uint8_t *data,
	   size_t len)
{
	struct ike_pld_id id;

	ike_pld_id_parse(ike_req_body(r, p), p->len, &id);
	return id.type == type && id.len == len && memcmp(id.data, data, len) == 0;
}

/* The libreswan AUTH form: on for every peer, or for the identity the ticket names. */
static bool
libreswan_allowed(const struct ike_shard *s, const struct ike_ho_resume *rs)
{
	return s->cfg->resume_auth_compat_libreswan ||
	       s->peers_cfg[rs->peer_idx].resume_auth_libreswan;
}

/* RFC 5723 4.3.4: the SA the ticket came from goes, without a DELETE exchange. */
static void
old_sa_delete(struct ike_shard *s, const struct ike_ho_resume *rs, const struct ike_sa *sa)
{
	struct ike_sa *old;

	if (rs->old_spi_r == 0 || spi_shard(&s->layout, rs->old_spi_r) != s->id)
		return;
	old = satable_lookup(s->sas, rs->old_spi_r);
	if (old == NULL || old == sa || old->spi_i != rs->old_spi_i || old->state == IKE_SA_DYING)
		return;
	ike_ticket_revoke(s, old);
	ike_sa_kill(s, old);
	ike_count(s, IKE_CTR_RESUME_OLD_SA_DELETED);
}

void
ike_exch_resume_auth(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	const struct ike_core_cfg *cfg = s->cfg;
	const struct ike_pld *idi_p = ike_msg_find(&r->msg, IKE_PLD_IDI, 0);
	const struct ike_pld *idr_p = ike_msg_find(&r->msg, IKE_PLD_IDR, 0);
	const struct ike_pld *auth_p = ike_msg_find(&r->msg, IKE_PLD_AUTH, 0);
	const struct ike_ho *ho = &s->ho[sa->ho_slot];
	const struct ike_ho_resume *rs = &ho->rs;
	uint8_t auth_out[CRY_MAX_PRF_LEN];
	struct ike_pld_auth auth;
	struct ike_reply rep;
	struct ike_cp_ans cp;
	uint64_t now = ike_now_s(s);
	bool libreswan = false;

	if (idi_p == NULL || auth_p == NULL) {
		auth_fail(s, r, sa, IKE_CTR_AUTH_SYNTAX);
		return;
	}
	/* The identity left the credentials since IKE_SESSION_RESUME (a reload). */
	if (s->peers_cfg[rs->peer_idx].removed) {
		auth_fail(s, r, sa, IKE_CTR_AUTH_UNKNOWN_ID);
		return;
	}
	/* 4.3.3: IDi and IDr as in the ticket, no CERT (IDr could not be authenticated). */
	if (!id_matches(r, idi_p, rs->idi_type, rs->idi, rs->idi_len) ||
	    (idr_p != NULL &&
	     !id_matches(r, idr_p, cfg->local_id_type, cfg->local_id, cfg->local_id_len)) ||
	    ike_msg_find(&r->msg, IKE_PLD_CERT, 0) != NULL) {
		auth_fail(s, r, sa, IKE_CTR_RESUME_AUTH_FAILED);
		return;
	}
	ike_pld_auth_parse(ike_req_body(r, auth_p), auth_p->len, &auth);
	if (auth.method != IKE_AUTH_PSK) {
		auth_fail(s, r, sa, IKE_CTR_AUTH_METHOD);
		return;
	}
	if (!peer_auth_ok(s, sa, ho, ike_req_body(r, idi_p), idi_p->len, &auth, false)) {
		libreswan = libreswan_allowed(s, rs) &&
			    peer_auth_ok(s, sa, ho, NULL, 0, &auth, true);
		if (!libreswan) {
			auth_fail(s, r, sa, IKE_CTR_RESUME_AUTH_FAILED);
			return;
		}
		ike_count(s, IKE_CTR_RESUME_AUTH_LIBRESWAN);
	}
	if (rs->auth_deadline != 0 && now >= rs->auth_deadline) {
		auth_fail(s, r, sa, ike_ctr_ticket(IKE_TICKET_AUTH_DEADLINE));
		return;
	}
	/*
	 * 4.3.1: the ticket counts as used now that an SA is established with
	 * it. It was not seen at IKE_SESSION_RESUME; seen now means a parallel
	 * resume with the same ticket, or a false positive of the filter. The
	 * peer has just proved it holds the ticket's SK_d, and reuse by its
	 * holder is no security issue (9: one-time use is a precaution), so
	 * this is counted, never answered with AUTHENTICATION_FAILED.
	 */
	if (ike_ticket_replay_lookup(s->replay, rs->ticket_id, rs->ticket_expires, now) !=
	    IKE_TICKET_OK)
		ike_count(s, IKE_CTR_RESUME_SEEN_AT_AUTH);
	ike_ticket_replay_record(s, rs->ticket_id, rs->ticket_expires);
	if (!our_auth(s, sa, ho, libreswan, auth_out)) {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		ike_sa_kill(s, sa);
		return;
	}
	/* 4.3.4: the ticket's SA goes first, so a full table has room for this one. */
	old_sa_delete(s, rs, sa);
	if (ike_auth_table_full(s, r, sa)) {
		ike_wipe(auth_out, sizeof(auth_out));
		return;
	}
	/* The ticket's virtual IPs, on any gateway (docs/protocol.md "Virtual IPs"). */
	ike_cp_lease(s, r, sa, rs->peer_idx, rs, &cp);
	if (!ike_reply_begin(s, &rep, r->rx, &r->msg, ike_sa_spi_r(s, sa), sa)) {
		ike_sa_kill(s, sa);
		return;
	}
	ike_mb_add_id(&rep.mb, IKE_PLD_IDR, cfg->local_id_type, cfg->local_id, cfg->local_id_len);
	ike_mb_add_auth(&rep.mb, IKE_AUTH_PSK, auth_out, sa->prf_len);
	ike_wipe(auth_out, sizeof(auth_out));
	/* RFC 4478 from the original authentication: never extended by a resume. */
	sa->auth_deadline = ike_unix32(rs->auth_deadline);
	ike_cp_cap_deadline(&cp, sa);
	ike_auth_lifetime_notify(s, sa, &rep.mb);
	sa->state = IKE_SA_ESTABLISHED;
	sa->resumed = 0;
	ike_sa_peer_link(s, sa, rs->peer_idx);
	if (ike_cp_reply(s, sa, &cp, &rep.mb))
		ike_auth_first_child(s, r, sa, ho, &rep.mb);
	ike_ticket_answer(s, &r->msg, sa, rs->peer_idx, &rep.mb);
	ike_reply_end(s, &rep);
	ike_ho_release(s, sa);
	ike_sa_timer_arm(s, sa);
	ike_count(s, IKE_CTR_RESUME_OK);
	ike_event_resumed(s, sa, rs->key_id);
}
