/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_exch_auth.c - IKE_AUTH responder with shared keys or certificates
 * (RFC 7296 1.2, 2.15, 2.21.2; RFC 4478; signatures: ike_auth_sig.c):
 *   HDR, SK {IDi, [CERT,] [CERTREQ,] AUTH, [N(INITIAL_CONTACT)], SAi2, TSi, TSr}  -->
 *   <--  HDR, SK {IDr, [CERT,] AUTH, [N(AUTH_LIFETIME)], SAr2, TSi, TSr}
 * A failed authentication is answered with AUTHENTICATION_FAILED and the
 * half-open SA is removed. A failed Child SA still establishes the IKE SA
 * (1.2); its error notify replaces SAr2/TSi/TSr. With max_ike_sas SAs
 * established, INITIAL_CONTACT (2.4) makes room by ending the identity's
 * other SAs first; without room the answer is TEMPORARY_FAILURE.
 * CP(CFG_REQUEST) is answered with CP(CFG_REPLY) before SAr2 (ike_cp.c).
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

static void
fail(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, unsigned ctr, uint16_t notify)
{
	ike_count(s, ctr);
	ike_reply_error(s, r->rx, &r->msg, sa, notify);
	ike_sa_kill(s, sa);
}

/* AUTHENTICATION_FAILED for the identity the peer claimed, logged by the host. */
static void
auth_failed(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, unsigned ctr,
	    const struct ike_pld_id *id)
{
	ike_event_auth_failed(s, sa, IKE_N_AUTHENTICATION_FAILED, id->type, id->data, id->len);
	fail(s, r, sa, ctr, IKE_N_AUTHENTICATION_FAILED);
}

/*
 * No room for one more established SA, after INITIAL_CONTACT had its say.
 * RFC 7296 2.25: TEMPORARY_FAILURE is for a request "that cannot be
 * completed due to a temporary condition"; its recipient MUST NOT retry at
 * once and MAY retry over several minutes, which is what a full gateway
 * needs. Not AUTHENTICATION_FAILED (2.21.2): the initiator authenticated.
 */
bool
ike_auth_table_full(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	if (ike_sa_room(s))
		return false;
	fail(s, r, sa, IKE_CTR_AUTH_SA_TABLE_FULL, IKE_N_TEMPORARY_FAILURE);
	return true;
}

/* RFC 7296 2.15: the initiator's AUTH over RealMessage1 | NonceRData | MACedIDForI. */
static bool
peer_auth_ok(struct ike_shard *s, const struct ike_sa *sa, const struct ike_ho *ho,
	     uint32_t peer, const uint8_t *idi, size_t idi_len, const struct ike_pld_auth *auth)
{
	uint8_t int_auth[IKE_INT_AUTH_MAX];
	struct ike_auth_octets_input in = {
		.real_msg = ho->req,
		.real_msg_len = ho->req_len,
		.peer_nonce = ho->resp + ho->nr_off,
		.peer_nonce_len = ho->nr_len,
		.id = idi,
		.id_len = idi_len,
		.int_auth = int_auth,
		.int_auth_len = ike_ho_int_auth(ho, sa, int_auth),
	};
	size_t len;
	bool ok;

	if (ike_auth_octets(s->ops, (enum cry_prf_alg)sa->prf, ho->sk_pi, sa->prf_len, &in,
			    s->octets, sizeof(s->octets), &len) != IKE_OK)
		return false;
	ok = ike_auth_psk_verify(s->ops, &s->peers[peer].psk[sa->prf], s->octets, len, auth->data,
				 auth->len) == IKE_OK;
	ike_wipe(s->octets, len);
	return ok;
}

/* Our AUTH over RealMessage2 | NonceIData | MACedIDForR. */
static bool
our_auth(struct ike_shard *s, const struct ike_sa *sa, const struct ike_ho *ho, uint32_t peer,
	 const uint8_t *idr, size_t idr_len, uint8_t *out)
{
	uint8_t int_auth[IKE_INT_AUTH_MAX];
	struct ike_auth_octets_input in = {
		.real_msg = ho->resp,
		.real_msg_len = ho->resp_len,
		.peer_nonce = ho->req + ho->ni_off,
		.peer_nonce_len = ho->ni_len,
		.id = idr,
		.id_len = idr_len,
		.int_auth = int_auth,
		.int_auth_len = ike_ho_int_auth(ho, sa, int_auth),
	};
	enum ike_status st;
	size_t len;

	if (ike_auth_octets(s->ops, (enum cry_prf_alg)sa->prf, ho->sk_pr, sa->prf_len, &in,
			    s->octets, sizeof(s->octets), &len) != IKE_OK)
		return false;
	st = ike_auth_psk(s->ops, &s->peers[peer].psk[sa->prf], s->octets, len, out);
	ike_wipe(s->octets, len);
	return st == IKE_OK;
}

/* Our IDr (cfg->local_id) and PSK AUTH. */
static bool
psk_ours(struct ike_shard *s, const struct ike_sa *sa, const struct ike_ho *ho, uint32_t peer,
	 struct ike_auth_ours *o)
{
	const struct ike_core_cfg *cfg = s->cfg;
	uint8_t idr[4 + sizeof(cfg->local_id)];

	o->id_type = cfg->local_id_type;
	o->id = cfg->local_id;
	o->id_len = cfg->local_id_len;
	o->cert = NULL;
	o->cert_len = 0;
	o->method = IKE_AUTH_PSK;
	o->len = sa->prf_len;
	memset(idr, 0, 4);
	idr[0] = cfg->local_id_type;
	memcpy(idr + 4, cfg->local_id, cfg->local_id_len);
	return our_auth(s, sa, ho, peer, idr, 4 + (size_t)cfg->local_id_len, o->data);
}

/* IDr, [CERT], AUTH (RFC 7296 1.2: CERT follows IDr). CERTREQ content is not used. */
static void
ours_add(struct ike_mb *mb, struct ike_auth_ours *o)
{
	ike_mb_add_id(mb, IKE_PLD_IDR, o->id_type, o->id, o->id_len);
	if (o->cert != NULL)
		ike_mb_add_cert(mb, IKE_CERT_X509_SIGNATURE, o->cert, o->cert_len);
	ike_mb_add_auth(mb, o->method, o->data, o->len);
	ike_wipe(o->data, o->len);
}

/* RFC 7296 2.4: INITIAL_CONTACT - the peer lost every earlier SA with us. */
static void
initial_contact(struct ike_shard *s, const struct ike_sa *sa, uint32_t peer)
{
	uint64_t spi = s->peers[peer].sa_head;

	while (spi != 0) {
		struct ike_sa *old = satable_lookup(s->sas, spi);

		if (old == NULL)
			break;
		spi = ike_sa_link_spi(s, old->peer_next);
		if (old != sa && old->state != IKE_SA_DYING) {
			ike_sa_kill(s, old);
			ike_count(s, IKE_CTR_INITIAL_CONTACT);
		}
	}
}

void
ike_auth_first_child(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
		     const struct ike_ho *ho, struct ike_mb *mb)
{
	const struct ike_pld *sa_p = ike_msg_find(&r->msg, IKE_PLD_SA, 0);
	const struct ike_pld *tsi_p = ike_msg_find(&r->msg, IKE_PLD_TSI, 0);
	const struct ike_pld *tsr_p = ike_msg_find(&r->msg, IKE_PLD_TSR, 0);
	struct ike_pld_ts tsi, tsr;
	struct ike_child_req c;
	uint16_t want, err;

	/*
	 * RFC 6023 4 childless IKE_AUTH: no SA payload, no Child SA. Also
	 * taken from an initiator that did not announce it (3): it costs us
	 * nothing, and such an IKE SA is of no use to anybody but the peer.
	 */
	if (sa_p == NULL || tsi_p == NULL || tsr_p == NULL) {
		ike_count(s, IKE_CTR_AUTH_CHILDLESS);
		return;
	}
	ike_pld_sa_parse(ike_req_body(r, sa_p), sa_p->len, &s->sa_scratch);
	ike_pld_ts_parse(ike_req_body(r, tsi_p), tsi_p->len, &tsi);
	ike_pld_ts_parse(ike_req_body(r, tsr_p), tsr_p->len, &tsr);
	memset(&c, 0, sizeof(c));
	c.sa = &s->sa_scratch;
	c.rx = r->rx;
	c.tsi = &tsi;
	c.tsr = &tsr;
	/* RFC 7296 2.17: the first Child SA is keyed with the IKE_SA_INIT nonces. */
	c.ni = ho->req + ho->ni_off;
	c.ni_len = ho->ni_len;
	c.nr = ho->resp + ho->nr_off;
	c.nr_len = ho->nr_len;
	err = ike_child_create(s, sa, &c, mb, &want);
	if (err != 0)
		ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, err, NULL, 0);
}

void
ike_exch_auth(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	const struct ike_pld *idi_p = ike_msg_find(&r->msg, IKE_PLD_IDI, 0);
	const struct ike_pld *auth_p = ike_msg_find(&r->msg, IKE_PLD_AUTH, 0);
	const struct ike_ho *ho = &s->ho[sa->ho_slot];
	const struct ike_peer_cfg *pc;
	struct ike_auth_ours ours;
	struct ike_cp_ans cp;
	struct ike_pld_auth auth;
	struct ike_pld_id id;
	struct ike_reply rep;
	uint32_t peer;
	unsigned ctr;
	bool ok;

	if (idi_p == NULL || auth_p == NULL) {
		fail(s, r, sa, IKE_CTR_AUTH_SYNTAX, IKE_N_INVALID_SYNTAX);
		return;
	}
	/* RFC 9370 2.2.1: every negotiated additional key exchange comes before IKE_AUTH. */
	if (ho->im.addke_done < ho->im.addke_n) {
		fail(s, r, sa, IKE_CTR_AUTH_ADDKE_PENDING, IKE_N_INVALID_SYNTAX);
		return;
	}
	ike_pld_id_parse(ike_req_body(r, idi_p), idi_p->len, &id);
	ike_pld_auth_parse(ike_req_body(r, auth_p), auth_p->len, &auth);
	peer = ike_peer_find(s, id.type, id.data, id.len);
	if (peer == IKE_NO_SLOT)
		peer = s->peer_any; /* any identity that a trusted certificate names */
	if (peer == IKE_NO_SLOT) {
		auth_failed(s, r, sa, IKE_CTR_AUTH_UNKNOWN_ID, &id);
		return;
	}
	pc = &s->peers_cfg[peer];
	if ((pc->auth == IKE_CRED_PSK) != (auth.method == IKE_AUTH_PSK)) {
		auth_failed(s, r, sa, IKE_CTR_AUTH_METHOD, &id);
		return;
	}
	/* RestOfIDPayload: the ID payload body after the generic header (2.15). */
	if (pc->auth == IKE_CRED_PUBKEY) {
		if (!ike_auth_sig_check(s, r, sa, ho, &id, ike_req_body(r, idi_p), idi_p->len,
					&auth, &ctr)) {
			auth_failed(s, r, sa, ctr, &id);
			return;
		}
	} else if (!peer_auth_ok(s, sa, ho, peer, ike_req_body(r, idi_p), idi_p->len, &auth)) {
		auth_failed(s, r, sa, IKE_CTR_AUTH_FAILED, &id);
		return;
	}
	ok = pc->auth == IKE_CRED_PUBKEY ? ike_auth_sig_ours(s, sa, ho, &ours)
					 : psk_ours(s, sa, ho, peer, &ours);
	if (!ok) {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		ike_sa_kill(s, sa);
		return;
	}
	/* The wildcard entry stands for many users: one user's reset must not end the others'. */
	if (!pc->any_id && ike_msg_find_notify(&r->msg, IKE_N_INITIAL_CONTACT) != NULL)
		initial_contact(s, sa, peer);
	if (ike_auth_table_full(s, r, sa)) {
		ike_wipe(ours.data, ours.len);
		return;
	}
	ike_cp_lease(s, r, sa, peer, NULL, &cp);
	if (!ike_reply_begin(s, &rep, r->rx, &r->msg, ike_sa_spi_r(s, sa), sa)) {
		ike_sa_kill(s, sa);
		return;
	}
	ours_add(&rep.mb, &ours);
	/* RFC 4478 2: the deadline of this authentication, N(AUTH_LIFETIME) with its seconds. */
	ike_auth_lifetime_start(s, sa, pc, &rep.mb);
	sa->state = IKE_SA_ESTABLISHED;
	ike_sa_peer_link(s, sa, peer);
	if (ike_cp_reply(s, sa, &cp, &rep.mb))
		ike_auth_first_child(s, r, sa, ho, &rep.mb);
	ike_ticket_answer(s, &r->msg, sa, peer, &rep.mb);
	ike_reply_end(s, &rep);
	ike_ho_release(s, sa);
	ike_sa_timer_arm(s, sa);
	ike_count(s, IKE_CTR_AUTH_OK);
	ike_event_sa(s, sa, IKE_EV_ESTABLISHED, IKE_EVR_NONE);
}
