/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_exch_create_child.c - CREATE_CHILD_SA responder (RFC 7296 1.3, 2.8, 2.18):
 *   new Child SA:   HDR, SK {SA, Ni, [KEi], TSi, TSr}           --> <-- HDR, SK {SA, Nr, [KEr], TSi, TSr}
 *   Child rekey:    HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}  (same answer)
 *   IKE SA rekey:   HDR, SK {SA, Ni, KEi}                       --> <-- HDR, SK {SA, Nr, KEr}
 * After an IKE rekey the Child SAs move to the new SA (new SPIs, keys from
 * SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)); the old SA only
 * answers INFORMATIONAL until the initiator deletes it. When the chosen
 * proposal has RFC 9370 additional key exchanges, the answer also carries
 * N(ADDITIONAL_KEY_EXCHANGE) and the new SA (or Child SA) is made only
 * after the IKE_FOLLOWUP_KE exchanges (ike_followup.c).
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

static void
reply_error(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, uint16_t notify,
	    uint16_t want_group)
{
	struct ike_reply rep;
	uint8_t grp[2];

	if (!ike_reply_begin(s, &rep, r->rx, &r->msg, ike_sa_spi_r(s, sa), sa))
		return;
	ike_put_u16(grp, want_group);
	ike_mb_add_notify(&rep.mb, IKE_PROTO_NONE, NULL, 0, notify,
			  notify == IKE_N_INVALID_KE_PAYLOAD ? grp : NULL,
			  notify == IKE_N_INVALID_KE_PAYLOAD ? sizeof(grp) : 0);
	ike_reply_end(s, &rep);
}

/* The new SA takes over the old one's identity, addresses and Child SAs. */
void
ike_rekey_switch(struct ike_shard *s, struct ike_sa *old, struct ike_sa *nsa)
{
	uint32_t peer = old->peer_idx;

	ike_child_rekey_abandon(s, old); /* a rekey of ours in flight starts again on nsa */
	/* An IKE_FOLLOWUP_KE still running on the old SA cannot finish there (RFC 9370 2.2.4). */
	ike_followup_drop_sa(s, ike_sa_spi_r(s, old));
	memcpy(nsa->child, old->child, sizeof(nsa->child));
	memset(old->child, 0, sizeof(old->child));
	nsa->rekey_want = old->rekey_want;
	nsa->frag_ok = old->frag_ok;
	nsa->nat_peer = old->nat_peer;
	nsa->nat_local = old->nat_local;
	ike_sa_peer_unlink(s, old);
	ike_sa_peer_link(s, nsa, peer);
	ike_child_moved(s, nsa);
	nsa->state = IKE_SA_ESTABLISHED;
	old->state = IKE_SA_REKEYED;
	ike_event_rekeyed(s, old, nsa);
	ike_sa_timer_arm(s, nsa);
	ike_sa_timer_arm(s, old);
	ike_count(s, IKE_CTR_IKE_REKEYED);
}

void
ike_rekey_commit(struct ike_shard *s, struct ike_sa *old, struct ike_sa *nsa)
{
	/* RFC 5723 4.1, 6.2: a rekey keeps the authentication and invalidates the old ticket. */
	nsa->auth_deadline = old->auth_deadline;
	ike_ticket_revoke(s, old);
	ike_cp_move(s, old, nsa); /* virtual IPs stay with the session, and go in its ticket */
}

uint16_t
ike_rekey_keys(struct ike_shard *s, const struct ike_sa *old, struct ike_sa *nsa,
	       const struct ike_suite *suite, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
	       const uint8_t *sk0, size_t sk0_len, const uint8_t *more, size_t more_len)
{
	struct ike_sa_keys ok, nk;
	struct ike_keys_input in;
	enum ike_status st;

	memset(&in, 0, sizeof(in));
	in.ni = ni;
	in.ni_len = ni_len;
	in.nr = nr;
	in.nr_len = IKE_NONCE_OURS;
	ike_put_u64(in.spi_i, nsa->spi_i);
	ike_put_u64(in.spi_r, ike_sa_spi_r(s, nsa));
	ike_sa_keys_load(old, &ok);
	st = ike_keys_derive_rekey_addke(s->ops, &ok, suite, &in, sk0, sk0_len, more, more_len,
					 &nk);
	ike_sa_keys_wipe(&ok);
	if (st == IKE_OK) {
		nsa->prf = (uint8_t)suite->prf;
		nsa->prf_len = suite->prf_len;
		memcpy(nsa->sk_d, nk.sk_d, suite->prf_len);
		nsa->k_in = nk.init_to_resp;
		nsa->k_out = nk.resp_to_init;
	} else {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
	}
	ike_sa_keys_wipe(&nk);
	return st == IKE_OK ? 0 : IKE_N_NO_PROPOSAL_CHOSEN;
}

/*
 * The new SA's SPI, Nr and KEr; its keys now, or, with additional key
 * exchanges chosen, once the IKE_FOLLOWUP_KE exchanges have run (nsa stays
 * LARVAL, fu holds what they need). 0 or the notify to answer.
 */
static uint16_t
rekey_start(struct ike_shard *s, struct ike_sa *sa, struct ike_sa *nsa,
	    const struct ike_suite_cfg *sc, const struct ike_pld_ke *ke,
	    const struct ike_pld_nonce *ni, uint8_t *nr, uint8_t *pub, size_t *pub_len,
	    struct ike_followup **fu)
{
	uint8_t sk0[CRY_MAX_KEX_SECRET];
	size_t sk0_len = sizeof(sk0);
	struct ike_transforms t;
	struct ike_suite suite;
	uint16_t err = 0;

	ike_suite_cfg_transforms(sc, &t);
	if (ike_suite_ike(&t, &suite) != IKE_OK)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	if (cry_random(s->ops, nr, IKE_NONCE_OURS) != IKE_OK)
		return IKE_N_TEMPORARY_FAILURE;
	/* A DH answers with its public value; a KEM would answer with its ciphertext. */
	if (cry_kex_respond(s->ops, sc->ke_id, ke->data, ke->len, pub, pub_len, sk0, &sk0_len) !=
	    IKE_OK) {
		ike_wipe(sk0, sizeof(sk0));
		ike_count(s, IKE_CTR_DROP_KE_DATA);
		return IKE_N_INVALID_SYNTAX;
	}
	if (ike_suite_has_addke(sc)) {
		*fu = ike_followup_start(s, sa, IKE_FU_IKE, sc, ni->data, ni->len, nr, sk0,
					 sk0_len);
		if (*fu == NULL) {
			err = IKE_N_TEMPORARY_FAILURE;
		} else {
			(*fu)->new_spi_r = ike_sa_spi_r(s, nsa);
			(*fu)->suite = suite;
			nsa->state = IKE_SA_LARVAL;
		}
	} else {
		err = ike_rekey_keys(s, sa, nsa, &suite, ni->data, ni->len, nr, sk0, sk0_len, NULL,
				     0);
	}
	ike_wipe(sk0, sizeof(sk0));
	return err;
}

static void
rekey_ike(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
	  const struct ike_pld_nonce *ni)
{
	const struct ike_pld *ke_p = ike_msg_find(&r->msg, IKE_PLD_KE, 0);
	uint8_t pub[CRY_MAX_KEX_PUB], nr[IKE_NONCE_OURS], spi[IKE_SPI_LEN];
	size_t pub_len = sizeof(pub);
	struct ike_followup *fu = NULL;
	struct ike_suite_cfg suite;
	const struct ike_suite_cfg *sc = &suite;
	enum ike_prop_result res;
	struct ike_pld_ke ke;
	struct ike_reply rep;
	struct ike_sa *nsa;
	unsigned pi;
	uint16_t want = 0, err;

	if (ke_p == NULL) {
		reply_error(s, r, sa, IKE_N_INVALID_SYNTAX, 0);
		return;
	}
	ike_pld_ke_parse(ike_req_body(r, ke_p), ke_p->len, &ke);
	res = ike_proposal_select(&s->sa_scratch, IKE_PROTO_IKE, IKE_SPI_LEN,
				  s->ike_props, s->nb_ike_props, IKE_KE_THEIRS,
				  ke.group, &suite, &pi, &want);
	if (res == IKE_PROP_NONE)
		ike_proposal_log_refused(s, r->rx, IKE_EXCH_CREATE_CHILD_SA, &s->sa_scratch,
					 false);
	if (res != IKE_PROP_OK) {
		ike_count(s, res == IKE_PROP_INVALID_KE ? IKE_CTR_CHILD_INVALID_KE
							: IKE_CTR_CHILD_NO_PROPOSAL);
		reply_error(s, r, sa,
			    res == IKE_PROP_INVALID_KE ? IKE_N_INVALID_KE_PAYLOAD
						       : IKE_N_NO_PROPOSAL_CHOSEN,
			    want);
		return;
	}
	nsa = ike_sa_new(s, ike_get_u64(s->sa_scratch.prop[pi].spi), r->rx);
	if (nsa == NULL) {
		reply_error(s, r, sa, IKE_N_TEMPORARY_FAILURE, 0);
		return;
	}
	nsa->local = sa->local;
	nsa->remote = sa->remote;
	nsa->tag = sa->tag;
	err = rekey_start(s, sa, nsa, sc, &ke, ni, nr, pub, &pub_len, &fu);
	if (err != 0) {
		ike_sa_remove(s, nsa);
		reply_error(s, r, sa, err, 0);
		return;
	}
	if (!ike_reply_begin(s, &rep, r->rx, &r->msg, ike_sa_spi_r(s, sa), sa)) {
		if (fu != NULL)
			ike_followup_drop_sa(s, ike_sa_spi_r(s, sa)); /* removes nsa too */
		else
			ike_sa_remove(s, nsa);
		return;
	}
	ike_put_u64(spi, ike_sa_spi_r(s, nsa));
	ike_proposal_reply(&s->sa_reply, &s->sa_scratch.prop[pi], sc, true, spi, IKE_SPI_LEN);
	ike_mb_add_sa(&rep.mb, &s->sa_reply);
	ike_mb_add_nonce(&rep.mb, nr, sizeof(nr));
	ike_mb_add_ke(&rep.mb, sc->ke_id, pub, pub_len);
	if (fu != NULL) {
		/* RFC 9370 2.2.4: the new SA exists once the last IKE_FOLLOWUP_KE is answered. */
		ike_followup_add_link(&rep.mb, fu);
		ike_reply_end(s, &rep);
		return;
	}
	ike_rekey_commit(s, sa, nsa);
	ike_ticket_answer(s, &r->msg, nsa, sa->peer_idx, &rep.mb);
	ike_reply_end(s, &rep);
	ike_rekey_switch(s, sa, nsa);
}

static void
new_child(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
	  const struct ike_pld_nonce *ni)
{
	const struct ike_pld *ke_p = ike_msg_find(&r->msg, IKE_PLD_KE, 0);
	const struct ike_pld *tsi_p = ike_msg_find(&r->msg, IKE_PLD_TSI, 0);
	const struct ike_pld *tsr_p = ike_msg_find(&r->msg, IKE_PLD_TSR, 0);
	const struct ike_pld *rk_p = ike_msg_find_notify(&r->msg, IKE_N_REKEY_SA);
	uint8_t nr[IKE_NONCE_OURS], grp[2];
	struct ike_pld_ts tsi, tsr;
	struct ike_pld_notify rk;
	struct ike_child_req c;
	struct ike_pld_ke ke;
	struct ike_reply rep;
	uint16_t want = 0, err;
	unsigned fresh = 0;
	int old = -1;

	if (tsi_p == NULL || tsr_p == NULL) {
		reply_error(s, r, sa, IKE_N_INVALID_SYNTAX, 0);
		return;
	}
	/* RFC 7296 2.8: REKEY_SA names the Child SA by the initiator's inbound SPI. */
	if (rk_p != NULL) {
		ike_pld_notify_parse(ike_req_body(r, rk_p), rk_p->len, &rk);
		if (rk.spi_size != IKE_CHILD_SPI_LEN ||
		    (old = ike_child_find_out(sa, ike_get_u32(rk.spi))) < 0) {
			ike_count(s, IKE_CTR_CHILD_NOT_FOUND);
			reply_error(s, r, sa, IKE_N_CHILD_SA_NOT_FOUND, 0);
			return;
		}
	}
	ike_pld_ts_parse(ike_req_body(r, tsi_p), tsi_p->len, &tsi);
	ike_pld_ts_parse(ike_req_body(r, tsr_p), tsr_p->len, &tsr);
	if (ke_p != NULL)
		ike_pld_ke_parse(ike_req_body(r, ke_p), ke_p->len, &ke);
	if (cry_random(s->ops, nr, sizeof(nr)) != IKE_OK) {
		reply_error(s, r, sa, IKE_N_TEMPORARY_FAILURE, 0);
		return;
	}
	memset(&c, 0, sizeof(c));
	c.sa = &s->sa_scratch;
	c.rx = r->rx;
	c.tsi = &tsi;
	c.tsr = &tsr;
	c.ni = ni->data;
	c.ni_len = ni->len;
	c.nr = nr;
	c.nr_len = sizeof(nr);
	c.add_nonce = true;
	c.pfs_allowed = true;
	c.ke = ke_p != NULL ? &ke : NULL;
	c.replaces_spi_in = old >= 0 ? sa->child[old].spi_in : 0;
	if (!ike_reply_begin(s, &rep, r->rx, &r->msg, ike_sa_spi_r(s, sa), sa))
		return;
	/* ike_child_create() takes the first free entry. */
	while (fresh < IKE_SA_MAX_CHILDREN - 1 && sa->child[fresh].spi_in != 0)
		fresh++;
	err = ike_child_create(s, sa, &c, &rep.mb, &want);
	if (err != 0) {
		/* ike_child_create() wrote nothing: the error notify is the whole answer. */
		ike_put_u16(grp, want);
		ike_mb_add_notify(&rep.mb, IKE_PROTO_NONE, NULL, 0, err,
				  err == IKE_N_INVALID_KE_PAYLOAD ? grp : NULL,
				  err == IKE_N_INVALID_KE_PAYLOAD ? sizeof(grp) : 0);
	} else if (rk_p != NULL && sa->child[fresh].spi_in != 0) {
		/* Installed now (with IKE_FOLLOWUP_KE: after the last one, ike_followup.c). */
		ike_count(s, IKE_CTR_CHILD_REKEYED);
		/* Ours of the same SA may be under way (RFC 7296 2.8.1, ike_child_rekey.c). */
		ike_child_rekey_peer(s, sa, c.replaces_spi_in, sa->child[fresh].spi_in, ni->data,
				     ni->len, nr, sizeof(nr));
	}
	ike_reply_end(s, &rep);
}

void
ike_exch_create_child(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	const struct ike_pld *sa_p = ike_msg_find(&r->msg, IKE_PLD_SA, 0);
	const struct ike_pld *ni_p = ike_msg_find(&r->msg, IKE_PLD_NONCE, 0);
	struct ike_pld_nonce ni;

	if (sa_p == NULL || ni_p == NULL) {
		reply_error(s, r, sa, IKE_N_INVALID_SYNTAX, 0);
		return;
	}
	ike_pld_sa_parse(ike_req_body(r, sa_p), sa_p->len, &s->sa_scratch);
	ike_pld_nonce_parse(ike_req_body(r, ni_p), ni_p->len, &ni);
	if (s->sa_scratch.n_prop != 0 && s->sa_scratch.prop[0].proto == IKE_PROTO_IKE)
		rekey_ike(s, r, sa, &ni);
	else
		new_child(s, r, sa, &ni);
}
