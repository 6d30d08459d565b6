/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_exch_sa_init.c - IKE_SA_INIT responder (RFC 7296 1.2, 2.6, 2.7,
 * 2.10, 2.14, 2.23; RFC 7383 2.3; RFC 6023 3):
 *   HDR, SAi1, KEi, Ni  -->  <--  HDR, SAr1, KEr, Nr, N(NAT_D)*, [N(FRAG_SUP)],
 *                                     [N(CHILDLESS_IKEV2_SUPPORTED)],
 *                                     [N(SIGNATURE_HASH_ALGORITHMS)] (RFC 7427 4)
 * Stateless answers first (COOKIE, NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD);
 * state is taken only for a request that will be answered with SAr1. A
 * retransmitted request (same SPIi and peer address) gets the same bytes.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

static bool
build_response(struct ike_shard *s, const struct ike_msg *req, struct ike_sa *sa,
	       struct ike_ho *ho, const struct ike_prop *prop, const struct ike_suite_cfg *suite,
	       const uint8_t *pub, size_t pub_len, const uint8_t *nr)
{
	struct ike_mb mb;
	size_t len;

	ike_mb_init(&mb, ho->resp, sizeof(ho->resp), sa->spi_i, ike_sa_spi_r(s, sa),
		    IKE_EXCH_IKE_SA_INIT, IKE_HDR_F_RESPONSE, 0);
	ike_proposal_reply(&s->sa_reply, prop, suite, true, NULL, 0);
	ike_mb_add_sa(&mb, &s->sa_reply);
	ike_mb_add_ke(&mb, suite->ke_id, pub, pub_len);
	ho->nr_off = (uint16_t)(mb.w.off + IKE_GEN_HDR_LEN);
	ho->nr_len = IKE_NONCE_OURS;
	ike_mb_add_nonce(&mb, nr, IKE_NONCE_OURS);
	if (!ike_natd_add(s, sa, &mb))
		return false;
	if (sa->frag_ok)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED,
				  NULL, 0);
	/* RFC 9242 3.1: we take IKE_INTERMEDIATE; say so to an initiator that asks. */
	if (ho->im.supported)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0,
				  IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
	/* RFC 6023 3: we take childless IKE_AUTH; say so to an initiator that asks. */
	if (ike_msg_find_notify(req, IKE_N_CHILDLESS_IKEV2_SUPPORTED) != NULL)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_CHILDLESS_IKEV2_SUPPORTED,
				  NULL, 0);
	ike_auth_sig_hash_notify(req, &mb);
	if (s->cfg->certreq_ca_keyids_len != 0)
		ike_mb_add_certreq(&mb, IKE_CERT_X509_SIGNATURE, s->cfg->certreq_ca_keyids,
				   s->cfg->certreq_ca_keyids_len);
	if (ike_mb_finish(&mb, &len) != IKE_OK)
		return false;
	ho->resp_len = (uint16_t)len;
	return true;
}

/* g^ir, SKEYSEED and the seven keys; SK_pi/SK_pr go to the half-open slot. */
static bool
derive_keys(struct ike_shard *s, struct ike_sa *sa, struct ike_ho *ho, const struct ike_msg *req,
	    const struct ike_suite_cfg *sc, const struct ike_pld_ke *ke,
	    const struct ike_pld_nonce *ni, const uint8_t *nr, uint8_t *pub, size_t *pub_len)
{
	const struct cry_asym_ops *a = s->ops->asym;
	uint8_t g_ir[CRY_MAX_KEX_SECRET];
	size_t g_len = sizeof(g_ir);
	struct ike_keys_input in;
	struct ike_transforms t;
	struct ike_sa_keys keys;
	struct ike_suite suite;
	struct cry_kex *kex;
	enum ike_status st;

	ike_suite_cfg_transforms(sc, &t);
	if (ike_suite_ike(&t, &suite) != IKE_OK ||
	    a->kex_new(s->ops->asym_ctx, sc->ke_id, &kex, pub, pub_len) != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		return false;
	}
	st = a->kex_derive(s->ops->asym_ctx, kex, ke->data, ke->len, g_ir, &g_len);
	a->kex_free(s->ops->asym_ctx, kex);
	if (st != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_KE_DATA);
		return false;
	}
	in.ni = ni->data;
	in.ni_len = ni->len;
	in.nr = nr;
	in.nr_len = IKE_NONCE_OURS;
	ike_put_u64(in.spi_i, sa->spi_i);
	ike_put_u64(in.spi_r, ike_sa_spi_r(s, sa));
	st = ike_keys_derive_ike(s->ops, &suite, &in, g_ir, g_len, &keys);
	ike_wipe(g_ir, sizeof(g_ir));
	if (st != IKE_OK) {
		ike_sa_keys_wipe(&keys);
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		return false;
	}
	sa->prf = (uint8_t)suite.prf;
	sa->prf_len = suite.prf_len;
	memcpy(sa->sk_d, keys.sk_d, suite.prf_len);
	sa->k_in = keys.init_to_resp;
	sa->k_out = keys.resp_to_init;
	memcpy(ho->sk_pi, keys.sk_pi, suite.prf_len);
	memcpy(ho->sk_pr, keys.sk_pr, suite.prf_len);
	ike_ho_int_init(ho, req, sc, &suite);
	ike_sa_keys_wipe(&keys);
	return true;
}

/* Takes state for an acceptable request and answers it. */
static void
establish_half_open(struct ike_shard *s, struct ike_req *r, const struct halfopen_key *key,
		    const struct ike_prop *prop, const struct ike_suite_cfg *sc,
		    const struct ike_pld_ke *ke, const struct ike_pld_nonce *ni)
{
	const struct ike_msg *m = &r->msg;
	uint8_t pub[CRY_MAX_KEX_PUB];
	size_t pub_len = sizeof(pub);
	uint8_t nr[IKE_NONCE_OURS];
	struct ike_sa *sa;
	struct ike_ho *ho;
	uint32_t hoi;

	if (r->rx->len > IKE_HO_REQ_MAX) {
		ike_count(s, IKE_CTR_DROP_INIT_TOO_BIG);
		return;
	}
	hoi = ike_ho_alloc(s);
	if (hoi == IKE_NO_SLOT) {
		ike_count(s, IKE_CTR_DROP_HALF_OPEN_FULL);
		return;
	}
	sa = ike_sa_new(s, m->spi_i, r->rx);
	if (sa == NULL) {
		ike_ho_free(s, hoi);
		return;
	}
	ho = &s->ho[hoi];
	ho->key = *key; /* before any failure: release removes this key only */
	sa->ho_slot = hoi;
	ho->spi_r = ike_sa_spi_r(s, sa);
	sa->frag_ok = ike_msg_find_notify(m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	ike_natd_detect(s, m, sa);
	if (cry_random(s->ops, nr, sizeof(nr)) != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		goto fail;
	}
	if (!derive_keys(s, sa, ho, m, sc, ke, ni, nr, pub, &pub_len))
		goto fail;
	if (!build_response(s, m, sa, ho, prop, sc, pub, pub_len, nr)) {
		ike_count(s, IKE_CTR_DROP_BUILD);
		goto fail;
	}
	memcpy(ho->req, r->rx->data, r->rx->len);
	ho->req_len = r->rx->len;
	ho->ni_off = (uint16_t)(ni->data - r->rx->data);
	ho->ni_len = (uint16_t)ni->len;
	if (halfopen_insert(s->ho_index, key, ike_sa_spi_r(s, sa)) != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_HALF_OPEN_FULL);
		goto fail;
	}
	sa->next_msg_id = 1;
	ike_sa_timer_arm(s, sa);
	ike_count(s, IKE_CTR_INIT_OK);
	ike_reply_bytes(s, r->rx, ho->resp, ho->resp_len);
	return;
fail:
	ike_sa_remove(s, sa);
}

static void
resend(struct ike_shard *s, struct ike_req *r, uint64_t spi_r)
{
	struct ike_sa *sa = satable_lookup(s->sas, spi_r);

	if (sa == NULL || sa->ho_slot == IKE_NO_SLOT) {
		ike_count(s, IKE_CTR_DROP_RETRANSMIT_UNCACHED);
		return;
	}
	ike_count(s, IKE_CTR_INIT_RETRANSMIT);
	ike_reply_bytes(s, r->rx, s->ho[sa->ho_slot].resp, s->ho[sa->ho_slot].resp_len);
}

/*
 * RFC 9370 2.2.1: additional key exchanges run in IKE_INTERMEDIATE, so a
 * proposal that needs them is no choice when the initiator did not
 * announce that exchange.
 */
static bool
addke_allowed(const struct ike_msg *m, const struct ike_suite_cfg *suite)
{
	return !ike_suite_has_addke(suite) ||
	       ike_msg_find_notify(m, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED) != NULL;
}

void
ike_exch_sa_init(struct ike_shard *s, struct ike_req *r)
{
	const struct ike_pld *sa_p, *ke_p, *ni_p;
	struct ike_msg *m = &r->msg;
	struct halfopen_key key;
	struct ike_pld_nonce ni;
	enum ike_parse_status pst;
	enum ike_prop_result res;
	struct ike_suite_cfg suite;
	struct ike_pld_ke ke;
	unsigned bad, pi;
	uint16_t want = 0;
	uint8_t grp[2];
	uint64_t spi_r;

	if (m->msg_id != 0 || m->spi_r != 0 || m->sk_type != IKE_PLD_NONE) {
		ike_count(s, IKE_CTR_DROP_INIT_HEADER);
		return;
	}
	halfopen_key_make(&key, m->spi_i, r->rx->remote.family, r->rx->remote.ip,
			  r->rx->remote.port);
	if (halfopen_lookup(s->ho_index, &key, &spi_r)) {
		resend(s, r, spi_r);
		return;
	}
	pst = ike_msg_validate(m, &bad);
	if (pst != IKE_PARSE_OK) {
		ike_count(s, ike_ctr_parse(pst));
		return;
	}
	sa_p = ike_msg_find(m, IKE_PLD_SA, 0);
	ke_p = ike_msg_find(m, IKE_PLD_KE, 0);
	ni_p = ike_msg_find(m, IKE_PLD_NONCE, 0);
	if (sa_p == NULL || ke_p == NULL || ni_p == NULL) {
		ike_count(s, IKE_CTR_DROP_INIT_MISSING);
		return;
	}
	/* Validated above: these decoders cannot fail now. */
	ike_pld_sa_parse(ike_req_body(r, sa_p), sa_p->len, &s->sa_scratch);
	ike_pld_ke_parse(ike_req_body(r, ke_p), ke_p->len, &ke);
	ike_pld_nonce_parse(ike_req_body(r, ni_p), ni_p->len, &ni);
	if (!ike_cookie_gate(s, r, &ni))
		return;
	res = ike_proposal_select(&s->sa_scratch, IKE_PROTO_IKE, 0, s->ike_props,
				  s->nb_ike_props, IKE_KE_OURS, ke.group, &suite, &pi, &want);
	if (res == IKE_PROP_NONE) {
		ike_count(s, IKE_CTR_INIT_NO_PROPOSAL);
		ike_proposal_log_refused(s, r->rx, IKE_EXCH_IKE_SA_INIT, &s->sa_scratch, false);
		ike_event_refused(s, r->rx, r->msg.spi_i, IKE_N_NO_PROPOSAL_CHOSEN);
		ike_reply_notify(s, r->rx, &r->msg, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (res == IKE_PROP_OK && !addke_allowed(m, &suite)) {
		ike_count(s, IKE_CTR_INIT_ADDKE_NO_INTERMEDIATE);
		ike_event_refused(s, r->rx, r->msg.spi_i, IKE_N_NO_PROPOSAL_CHOSEN);
		ike_reply_notify(s, r->rx, &r->msg, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (res == IKE_PROP_INVALID_KE) {
		/* RFC 7296 1.3: the data is the accepted group, two octets. */
		ike_put_u16(grp, want);
		ike_count(s, IKE_CTR_INIT_INVALID_KE);
		ike_reply_notify(s, r->rx, &r->msg, IKE_N_INVALID_KE_PAYLOAD, grp, sizeof(grp));
		return;
	}
	establish_half_open(s, r, &key, &s->sa_scratch.prop[pi], &suite, &ke, &ni);
}
