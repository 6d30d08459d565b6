/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_child_rekey.c - a Child SA rekey started by the responder when the
 * data path reports a soft lifetime (RFC 7296 1.3.3, 2.8):
 *   <-- HDR, SK {N(REKEY_SA, old), SA(new SPI), Ni, [KEi], TSi, TSr}
 *       HDR, SK {SA, Nr, [KEr], TSi, TSr} -->      the new SA to the data path
 *   <-- HDR, SK {D(ESP, old)}
 *       HDR, SK {D(ESP, theirs)} -->               the old SA removed
 * We are the exchange initiator: our message IDs, our Ni first in KEYMAT
 * (2.17), TSi our side. Both requests are the SA's one outstanding request
 * of ike_dpd.c (its resends, its timeout: no answer deletes the IKE SA).
 * The new SA reaches the data path before the old one leaves it, so no
 * packet finds neither. A collision with the peer's own rekey of the same
 * SA (2.8.1) is settled by the nonces: the SA made by the exchange with the
 * lowest of the four is closed by its initiator. TEMPORARY_FAILURE retries
 * later; INVALID_KE_PAYLOAD naming another group of our proposal sends the
 * request again once with that group (a new nonce and message ID); any
 * other error leaves the old SA to its hard lifetime. With RFC
 * 9370 additional key exchanges chosen in the answer, our IKE_FOLLOWUP_KE
 * requests (ike_child_rekey_fu.c) run before the new SA is keyed.
 */
#include <stddef.h>
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

#define REKEY_RETRY_MS 1000u	  /* no free slot: try again after this */
#define REKEY_TEMP_RETRY_MS 2000u /* TEMPORARY_FAILURE: after this plus up to as much again */

static struct ike_rekey *
slot_of(struct ike_shard *s, const struct ike_sa *sa)
{
	return sa->rekey_slot != 0 ? &s->rekey[sa->rekey_slot - 1] : NULL;
}

void
ike_rekey_free(struct ike_shard *s, struct ike_rekey *rk)
{
	ike_child_rekey_fu_free(s, rk);
	if (rk->kex != NULL)
		s->ops->asym->kex_free(s->ops->asym_ctx, rk->kex);
	ike_wipe(rk, sizeof(*rk));
}

static void
spi_give_back(struct ike_shard *s, uint32_t spi)
{
	if (spi != 0 && s->child_spi_free != NULL)
		s->child_spi_free(s->cb_arg, spi);
}

/* The rekey is over: its slot is free, the next request may go. */
void
ike_child_rekey_finish(struct ike_shard *s, struct ike_sa *sa)
{
	ike_rekey_free(s, slot_of(s, sa));
	sa->rekey_slot = 0;
	ike_dpd_request_done(s, sa);
}

static void
want_again(struct ike_sa *sa, uint32_t spi_in)
{
	int i = ike_child_find_in(sa, spi_in);

	if (i >= 0)
		sa->rekey_want |= (uint8_t)(1u << i);
}

void
ike_child_rekey_abandon(struct ike_shard *s, struct ike_sa *sa)
{
	struct ike_rekey *rk = slot_of(s, sa);

	if (rk == NULL)
		return;
	if (rk->phase != IKE_REKEY_DELETE) {
		spi_give_back(s, rk->new_spi_in);
		want_again(sa, rk->old_spi_in); /* an IKE SA rekey takes it along */
	}
	ike_rekey_free(s, rk);
	sa->rekey_slot = 0;
	sa->dpd_sends = 0;
}

/* The PFS group of our offer: the first one our ESP proposals list; 0: none. */
static uint16_t
pfs_group(const struct ike_core_cfg *cfg)
{
	for (unsigned i = 0; i < cfg->nb_esp_proposals; i++) {
		const struct ike_alg_list *l = &cfg->esp_proposals[i].xf[IKE_TRANSFORM_KE];

		for (unsigned k = 0; k < l->n; k++)
			if (l->alg[k].id != 0)
				return l->alg[k].id;
	}
	return 0;
}

static void
offer_xf(struct ike_pld_sa *sa, uint8_t type, const struct ike_alg_list *l)
{
	for (unsigned k = 0; k < l->n && sa->n_xf < IKE_SA_MAX_TRANSFORMS; k++) {
		struct ike_xform *x = &sa->xf[sa->n_xf++];

		memset(x, 0, sizeof(*x));
		x->type = type;
		x->id = l->alg[k].id;
		x->key_len = l->alg[k].key_bits;
		x->has_key_len = l->alg[k].key_bits != 0;
	}
}

/*
 * Every configured ESP proposal, our new SPI in each; with PFS their RFC
 * 9370 ADDKE transforms too (keN_none offers NONE), which need the KE.
 */
static void
offer(const struct ike_core_cfg *cfg, bool pfs, const uint8_t *spi, struct ike_pld_sa *sa)
{
	static const struct ike_alg_list esn_no = {1, {{IKE_ESN_NO, 0}}};

	memset(sa, 0, offsetof(struct ike_pld_sa, xf));
	for (unsigned i = 0; i < cfg->nb_esp_proposals && i < IKE_SA_MAX_PROPOSALS; i++) {
		const struct ike_proposal_cfg *c = &cfg->esp_proposals[i];
		struct ike_prop *p = &sa->prop[sa->n_prop++];
		uint8_t first = sa->n_xf;

		p->num = (uint8_t)(i + 1);
		p->proto = IKE_PROTO_ESP;
		p->spi_size = IKE_CHILD_SPI_LEN;
		p->spi = spi;
		p->xf_first = first;
		offer_xf(sa, IKE_TRANSFORM_ENCR, &c->xf[IKE_TRANSFORM_ENCR]);
		offer_xf(sa, IKE_TRANSFORM_INTEG, &c->xf[IKE_TRANSFORM_INTEG]);
		if (pfs)
			offer_xf(sa, IKE_TRANSFORM_KE, &c->xf[IKE_TRANSFORM_KE]);
		for (uint8_t t = IKE_TRANSFORM_ADDKE1; pfs && t <= IKE_TRANSFORM_ADDKE7; t++)
			offer_xf(sa, t, &c->xf[t]);
		offer_xf(sa, IKE_TRANSFORM_ESN,
			 c->xf[IKE_TRANSFORM_ESN].n != 0 ? &c->xf[IKE_TRANSFORM_ESN] : &esn_no);
		p->n_xf = (uint8_t)(sa->n_xf - first);
	}
}

static void
ts_range(struct ike_pld_ts *ts, const struct ike_addr *start, const struct ike_addr *end)
{
	struct ike_ts *t = &ts->ts[ts->n_ts++];
	bool v6 = start->family == 6;

	t->type = v6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	t->end_port = 65535;
	t->addr_len = v6 ? 16 : 4;
	t->start_addr = start->ip;
	t->end_addr = end->ip;
}

/* Our side (TSi of our request): the configured range(s), any protocol and port. */
static void
ts_ours(const struct ike_core_cfg *cfg, struct ike_pld_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts_range(ts, &cfg->ts_start, &cfg->ts_end);
	if (cfg->ts_start6.family == 6)
		ts_range(ts, &cfg->ts_start6, &cfg->ts_end6);
}

static void
ts_add(struct ike_pld_ts *ts, bool v6, const uint8_t *addr)
{
	struct ike_ts *t = &ts->ts[ts->n_ts++];

	t->type = v6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	t->end_port = 65535;
	t->addr_len = v6 ? 16 : 4;
	t->start_addr = addr;
	t->end_addr = addr;
}

/* The client's side (TSr): its virtual IPs (as its Child SAs were narrowed), else its address. */
static void
ts_client(const struct ike_sa *sa, const struct ike_vip *vip, struct ike_pld_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	if (vip->has4)
		ts_add(ts, false, vip->ip4);
	if (vip->has6)
		ts_add(ts, true, vip->ip6);
	if (ts->n_ts == 0)
		ts_add(ts, sa->remote.family == 6, sa->remote.ip);
}

void
ike_child_rekey_send(struct ike_shard *s, struct ike_sa *sa)
{
	struct ike_rekey *rk = slot_of(s, sa);
	uint8_t spi[IKE_CHILD_SPI_LEN];
	struct ike_pld_ts tsi, tsr;
	struct ike_vip vip;
	struct ike_tx *tx;
	struct ike_mb mb;

	if (rk->phase == IKE_REKEY_DELETE) {
		tx = ike_request_begin_id(s, sa, &mb, sa->dpd_msg_id);
		if (tx == NULL)
			return;
		ike_put_u32(spi, rk->del_spi);
		ike_mb_add_delete(&mb, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, 1, spi);
		ike_request_end(s, sa, &mb, tx);
		return;
	}
	if (rk->phase == IKE_REKEY_FOLLOWUP) {
		tx = ike_request_begin_exch(s, sa, &mb, IKE_EXCH_IKE_FOLLOWUP_KE, sa->dpd_msg_id);
		if (tx == NULL)
			return;
		ike_child_rekey_fu_request(s, rk, &mb);
		ike_request_end(s, sa, &mb, tx);
		return;
	}
	tx = ike_request_begin_exch(s, sa, &mb, IKE_EXCH_CREATE_CHILD_SA, sa->dpd_msg_id);
	if (tx == NULL)
		return;
	/* 1.3.3: the SPI we expect inbound on the SA being rekeyed. */
	ike_put_u32(spi, rk->old_spi_in);
	ike_mb_add_notify(&mb, IKE_PROTO_ESP, spi, sizeof(spi), IKE_N_REKEY_SA, NULL, 0);
	ike_put_u32(spi, rk->new_spi_in);
	offer(s->cfg, rk->ke_id != 0, spi, &s->sa_reply);
	ike_mb_add_sa(&mb, &s->sa_reply);
	ike_mb_add_nonce(&mb, rk->ni, sizeof(rk->ni));
	if (rk->ke_id != 0)
		ike_mb_add_ke(&mb, rk->ke_id, rk->pub, rk->pub_len);
	ike_cp_vip(s, sa, &vip);
	ts_ours(s->cfg, &tsi);
	ts_client(sa, &vip, &tsr);
	ike_mb_add_ts(&mb, IKE_PLD_TSI, &tsi);
	ike_mb_add_ts(&mb, IKE_PLD_TSR, &tsr);
	ike_request_end(s, sa, &mb, tx);
}

/* What the data path needs to place the new SA (the SPI chooser): as the old one's. */
static void
info_of(struct ike_shard *s, const struct ike_sa *sa, struct ike_child_info *info)
{
	const struct ike_alg_list *e = &s->cfg->esp_proposals[0].xf[IKE_TRANSFORM_ENCR];
	const struct ike_alg_list *i = &s->cfg->esp_proposals[0].xf[IKE_TRANSFORM_INTEG];
	struct ike_pld_ts tsr;

	memset(info, 0, sizeof(*info));
	info->local = *ike_sa_local(s, sa);
	info->remote = sa->remote;
	info->ike_spi = ike_sa_spi_r(s, sa);
	info->natt = sa->nat_peer || sa->nat_local;
	ike_cp_vip(s, sa, &info->vip);
	ts_client(sa, &info->vip, &tsr);
	ike_child_tsi(&tsr, info);
	/* Our first choice: the SPI names a data-path lcore and slot, not the transform. */
	info->encr_id = e->n != 0 ? e->alg[0].id : 0;
	info->encr_key_bits = e->n != 0 ? e->alg[0].key_bits : 0;
	info->integ_id = i->n != 0 ? i->alg[0].id : 0;
}

static int
free_child(const struct ike_sa *sa)
{
	for (unsigned i = 0; i < IKE_SA_MAX_CHILDREN; i++)
		if (sa->child[i].spi_in == 0)
			return (int)i;
	return -1;
}

/* A wanted child that still exists, its bit cleared; -1: none left. */
static int
take_wanted(struct ike_sa *sa)
{
	for (unsigned i = 0; i < IKE_SA_MAX_CHILDREN; i++) {
		if (!(sa->rekey_want & (1u << i)))
			continue;
		sa->rekey_want &= (uint8_t) ~(1u << i);
		if (sa->child[i].spi_in != 0)
			return (int)i;
	}
	sa->rekey_want = 0;
	return -1;
}

bool
ike_child_rekey_start(struct ike_shard *s, struct ike_sa *sa)
{
	const struct cry_asym_ops *a = s->ops->asym;
	struct ike_child_info info;
	struct ike_rekey *rk = NULL;
	size_t pub_len;
	unsigned k;
	int c;

	for (k = 0; k < IKE_REKEY_SLOTS; k++)
		if (s->rekey[k].spi_r == 0) {
			rk = &s->rekey[k];
			break;
		}
	if (rk == NULL) {
		ike_count(s, IKE_CTR_CHILD_REKEY_DEFERRED);
		ike_dpd_hold(sa, s->now_ms + REKEY_RETRY_MS);
		return false;
	}
	c = take_wanted(sa);
	if (c < 0)
		return false;
	if (free_child(sa) < 0) {
		/* No room for the new SA next to the old one: the hard limit deletes it. */
		ike_count(s, IKE_CTR_CHILD_REKEY_FAILED);
		return false;
	}
	info_of(s, sa, &info);
	rk->new_spi_in = ike_child_new_spi(s, &info);
	rk->ke_id = pfs_group(s->cfg);
	pub_len = sizeof(rk->pub);
	if (rk->new_spi_in == 0 || cry_random(s->ops, rk->ni, sizeof(rk->ni)) != IKE_OK ||
	    (rk->ke_id != 0 &&
	     a->kex_new(s->ops->asym_ctx, rk->ke_id, &rk->kex, rk->pub, &pub_len) != IKE_OK)) {
		ike_count(s, IKE_CTR_CHILD_REKEY_FAILED);
		spi_give_back(s, rk->new_spi_in);
		ike_rekey_free(s, rk);
		return false;
	}
	rk->pub_len = (uint16_t)pub_len;
	rk->spi_r = ike_sa_spi_r(s, sa);
	rk->old_spi_in = sa->child[c].spi_in;
	rk->phase = IKE_REKEY_CREATE;
	sa->rekey_slot = (uint8_t)(k + 1);
	ike_count(s, IKE_CTR_CHILD_REKEY_STARTED);
	ike_dpd_request_start(s, sa);
	return true;
}

/* The next request of the rekey: INFORMATIONAL {D(ESP, spi)}; local: ours to remove then. */
static void
delete_next(struct ike_shard *s, struct ike_sa *sa, struct ike_rekey *rk, uint32_t spi, bool local)
{
	if (rk->kex != NULL)
		s->ops->asym->kex_free(s->ops->asym_ctx, rk->kex);
	rk->kex = NULL;
	rk->phase = IKE_REKEY_DELETE;
	rk->del_spi = spi;
	rk->del_local = local;
	ike_dpd_request_start(s, sa);
}

/* The new SA as the data path takes it, from the chosen suite and the answer's selectors. */
static void
fill_info(struct ike_shard *s, const struct ike_sa *sa, const struct ike_rekey *rk,
	  const struct ike_suite_cfg *suite, const struct ike_pld_ts *tsi,
	  const struct ike_pld_ts *tsr, struct ike_child_info *info)
{
	info_of(s, sa, info);
	info->spi_in = rk->new_spi_in;
	info->spi_out = ike_get_u32(s->sa_scratch.prop[0].spi);
	info->replaces_spi_in = rk->old_spi_in;
	info->encr_id = suite->encr_id;
	info->encr_key_bits = suite->encr_key_bits;
	info->integ_id = suite->integ_id;
	info->esn = suite->esn;
	ike_child_tsi(tsr, info); /* the client's side is TSr of our exchange */
	ike_child_tsr(tsi, info);
}

/* a (alen octets) below b as an unsigned big number, shorter first on a tie. */
static bool
nonce_below(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c < 0 || (c == 0 && alen < blen);
}

bool
ike_child_rekey_lowest(const struct ike_rekey *rk, const uint8_t *nr, size_t nr_len)
{
	return rk->peer_new_spi_in != 0 &&
	       (nonce_below(nr, nr_len, rk->peer_nonce, rk->peer_nonce_len) ||
		nonce_below(rk->ni, sizeof(rk->ni), rk->peer_nonce, rk->peer_nonce_len));
}

/*
 * The answer's SA, nonce, KE and selectors, checked and keyed; false:
 * unusable. *ours_lowest: in a collision, our exchange holds the lowest of
 * the four nonces (2.8.1). *followup: additional exchanges were chosen and
 * the first IKE_FOLLOWUP_KE went out instead (no keys yet; false returned
 * when that failed, counted).
 */
static bool
answer_keys(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, struct ike_rekey *rk,
	    struct ike_child_info *info, struct ike_esp_suite *esp, struct ike_child_keys *ck,
	    bool *ours_lowest, bool *followup)
{
	bool link = ike_msg_find_notify(&r->msg, IKE_N_ADDITIONAL_KEY_EXCHANGE) != NULL;
	const struct ike_pld *sa_p = ike_msg_find(&r->msg, IKE_PLD_SA, 0);
	const struct ike_pld *nr_p = ike_msg_find(&r->msg, IKE_PLD_NONCE, 0);
	const struct ike_pld *ke_p = ike_msg_find(&r->msg, IKE_PLD_KE, 0);
	const struct ike_pld *tsi_p = ike_msg_find(&r->msg, IKE_PLD_TSI, 0);
	const struct ike_pld *tsr_p = ike_msg_find(&r->msg, IKE_PLD_TSR, 0);
	uint8_t g_ir[CRY_MAX_KEX_SECRET];
	size_t g_len = 0;
	struct ike_suite_cfg suite;
	struct ike_keys_input in;
	struct ike_transforms t;
	struct ike_pld_nonce nr;
	struct ike_pld_ts tsi, tsr;
	struct ike_pld_ke ke;
	struct ike_sa_keys k;
	enum ike_status st;
	unsigned pi;
	uint16_t want;
	bool ok;

	if (sa_p == NULL || nr_p == NULL || tsi_p == NULL || tsr_p == NULL)
		return false;
	ike_pld_sa_parse(ike_req_body(r, sa_p), sa_p->len, &s->sa_scratch);
	ike_pld_nonce_parse(ike_req_body(r, nr_p), nr_p->len, &nr);
	memset(&ke, 0, sizeof(ke));
	if (ke_p != NULL)
		ike_pld_ke_parse(ike_req_body(r, ke_p), ke_p->len, &ke);
	/* 3.3.6: one proposal, one of ours, with our group or none. */
	if (s->sa_scratch.n_prop != 1 || s->sa_scratch.prop[0].spi_size != IKE_CHILD_SPI_LEN ||
	    ike_proposal_select(&s->sa_scratch, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN,
				s->cfg->esp_proposals, s->cfg->nb_esp_proposals, IKE_KE_THEIRS,
				ke.group, &suite, &pi, &want) != IKE_PROP_OK ||
	    (suite.ke_id != 0 && (suite.ke_id != rk->ke_id || rk->kex == NULL)))
		return false;
	/* RFC 9370 2.2.4: a link exactly when exchanges follow, which need SK(0). */
	if (link != ike_suite_has_addke(&suite) || (link && suite.ke_id == 0))
		return false;
	ike_suite_cfg_transforms(&suite, &t);
	if (suite.ke_id == 0)
		t.ke = IKE_KE_NONE;
	if (ike_suite_esp(&t, esp) != IKE_OK)
		return false;
	if (suite.ke_id != 0) {
		g_len = sizeof(g_ir);
		if (s->ops->asym->kex_derive(s->ops->asym_ctx, rk->kex, ke.data, ke.len, g_ir,
					     &g_len) != IKE_OK)
			return false;
	}
	if (link) {
		ike_pld_ts_parse(ike_req_body(r, tsi_p), tsi_p->len, &tsi);
		ike_pld_ts_parse(ike_req_body(r, tsr_p), tsr_p->len, &tsr);
		fill_info(s, sa, rk, &suite, &tsi, &tsr, info);
		*followup = true;
		ok = ike_child_rekey_fu_begin(s, r, sa, rk, &suite, esp, info, nr.data, nr.len,
					      g_ir, g_len);
		ike_wipe(g_ir, sizeof(g_ir));
		ike_wipe(info, sizeof(*info));
		return ok;
	}
	memset(&in, 0, sizeof(in));
	in.ni = rk->ni; /* 2.17: the exchange initiator's nonce first: ours */
	in.ni_len = sizeof(rk->ni);
	in.nr = nr.data;
	in.nr_len = nr.len;
	ike_sa_keys_load(sa, &k);
	st = ike_keys_derive_child(s->ops, &k, esp, &in, g_len != 0 ? g_ir : NULL, g_len, ck);
	ike_sa_keys_wipe(&k);
	ike_wipe(g_ir, sizeof(g_ir));
	if (st != IKE_OK)
		return false;
	ike_pld_ts_parse(ike_req_body(r, tsi_p), tsi_p->len, &tsi);
	ike_pld_ts_parse(ike_req_body(r, tsr_p), tsr_p->len, &tsr);
	fill_info(s, sa, rk, &suite, &tsi, &tsr, info);
	*ours_lowest = ike_child_rekey_lowest(rk, nr.data, nr.len);
	return true;
}

/* A group the KE transforms of our ESP proposals list (what the SA payload offered). */
static bool
offered_group(const struct ike_core_cfg *cfg, uint16_t group)
{
	for (unsigned i = 0; i < cfg->nb_esp_proposals; i++) {
		const struct ike_alg_list *l = &cfg->esp_proposals[i].xf[IKE_TRANSFORM_KE];

		for (unsigned k = 0; k < l->n; k++)
			if (l->alg[k].id != 0 && l->alg[k].id == group)
				return true;
	}
	return false;
}

/*
 * INVALID_KE_PAYLOAD (1.3, 2.7, 3.10.1) names the group the peer wants:
 * once per rekey, and only a group of our proposal other than the one we
 * sent, the request goes again with that group's KE, a new nonce and the
 * next message ID. False: not retried (the caller gives up, counted).
 */
static bool
retry_ke(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, struct ike_rekey *rk)
{
	const struct ike_pld *p = ike_msg_find_notify(&r->msg, IKE_N_INVALID_KE_PAYLOAD);
	const struct cry_asym_ops *a = s->ops->asym;
	size_t pub_len = sizeof(rk->pub);
	struct ike_pld_notify n;
	struct cry_kex *kex;
	uint16_t group;

	if (p == NULL || rk->ke_retried || rk->ke_id == 0 ||
	    ike_pld_notify_parse(ike_req_body(r, p), p->len, &n) != IKE_PARSE_OK || n.len != 2)
		return false;
	group = ike_get_u16(n.data);
	if (group == rk->ke_id || !offered_group(s->cfg, group) ||
	    cry_random(s->ops, rk->ni, sizeof(rk->ni)) != IKE_OK ||
	    a->kex_new(s->ops->asym_ctx, group, &kex, rk->pub, &pub_len) != IKE_OK)
		return false;
	if (rk->kex != NULL)
		a->kex_free(s->ops->asym_ctx, rk->kex);
	rk->kex = kex;
	rk->ke_id = group;
	rk->pub_len = (uint16_t)pub_len;
	rk->ke_retried = 1;
	ike_count(s, IKE_CTR_CHILD_REKEY_INVALID_KE_RETRY);
	ike_dpd_request_start(s, sa);
	return true;
}

/* CREATE_CHILD_SA answered: the new SA in, then the old one's DELETE (or the new one's). */
static void
created(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, struct ike_rekey *rk)
{
	uint16_t err = ike_answer_error(r);
	struct ike_child_info info;
	struct ike_esp_suite esp;
	struct ike_child_keys ck;
	bool ours_lowest = false, followup = false;

	if (err == IKE_N_TEMPORARY_FAILURE) {
		/* 2.25: try again later; meanwhile the old SA carries on. */
		ike_count(s, IKE_CTR_CHILD_REKEY_TEMP_FAILURE);
		spi_give_back(s, rk->new_spi_in);
		want_again(sa, rk->old_spi_in);
		ike_dpd_hold(sa,
			     s->now_ms + REKEY_TEMP_RETRY_MS + ike_rand64(s) % REKEY_TEMP_RETRY_MS);
		ike_child_rekey_finish(s, sa);
		return;
	}
	if (err == IKE_N_INVALID_KE_PAYLOAD && retry_ke(s, r, sa, rk))
		return;
	if (err != 0 || !answer_keys(s, r, sa, rk, &info, &esp, &ck, &ours_lowest, &followup)) {
		/* Refused or unusable: the old SA stays until its hard lifetime deletes it. */
		if (!followup)
			ike_count(s, err != 0 ? IKE_CTR_CHILD_REKEY_REFUSED
					      : IKE_CTR_CHILD_REKEY_BAD_ANSWER);
		spi_give_back(s, rk->new_spi_in);
		ike_wipe(&info, sizeof(info));
		ike_child_rekey_finish(s, sa);
		return;
	}
	if (followup)
		return; /* the first IKE_FOLLOWUP_KE is out */
	ike_child_rekey_install(s, sa, rk, &info, &esp, &ck, ours_lowest);
}

void
ike_child_rekey_install(struct ike_shard *s, struct ike_sa *sa, struct ike_rekey *rk,
			struct ike_child_info *info, const struct ike_esp_suite *esp,
			struct ike_child_keys *ck, bool ours_lowest)
{
	int slot = free_child(sa);

	if (ours_lowest) {
		/* Ours holds the lowest nonce: ours goes, the peer deletes the old one. */
		ike_count(s, IKE_CTR_CHILD_REKEY_COLLISION_LOST);
		slot = -1;
	} else if (rk->peer_new_spi_in != 0) {
		ike_count(s, IKE_CTR_CHILD_REKEY_COLLISION_WON);
	}
	if (slot < 0 || ike_child_find_in(sa, rk->old_spi_in) < 0) {
		/* Redundant, or the old SA went meanwhile: the new one is not used. */
		ike_child_keys_wipe(ck);
		ike_wipe(info, sizeof(*info));
		spi_give_back(s, rk->new_spi_in);
		delete_next(s, sa, rk, rk->new_spi_in, false);
		return;
	}
	ike_child_hand(s, sa, (unsigned)slot, info, &esp->esp, ck, true);
	ike_child_keys_wipe(ck);
	ike_count(s, IKE_CTR_CHILD_REKEY_DONE);
	delete_next(s, sa, rk, rk->old_spi_in, true);
}

static uint8_t
exchange_of(const struct ike_rekey *rk)
{
	if (rk->phase == IKE_REKEY_CREATE)
		return IKE_EXCH_CREATE_CHILD_SA;
	return rk->phase == IKE_REKEY_FOLLOWUP ? IKE_EXCH_IKE_FOLLOWUP_KE : IKE_EXCH_INFORMATIONAL;
}

void
ike_child_rekey_answer(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	struct ike_rekey *rk = slot_of(s, sa);
	struct ike_msg *m = &r->msg;
	enum ike_parse_status pst;
	unsigned bad;
	int c;

	pst = ike_msg_parse_inner(r->whole + r->plain_off, r->plain_len, m->sk_first, m);
	if (pst == IKE_PARSE_OK)
		pst = ike_msg_validate(m, &bad);
	sa->heard_ms = ike_ms32(s->now_ms);
	if (pst != IKE_PARSE_OK || m->exchange != exchange_of(rk)) {
		ike_count(s, rk->phase == IKE_REKEY_FOLLOWUP ? IKE_CTR_CHILD_REKEY_FU_BAD_ANSWER
							     : IKE_CTR_CHILD_REKEY_BAD_ANSWER);
		if (rk->phase != IKE_REKEY_DELETE)
			spi_give_back(s, rk->new_spi_in);
		ike_child_rekey_finish(s, sa);
		return;
	}
	if (rk->phase == IKE_REKEY_CREATE) {
		created(s, r, sa, rk);
		return;
	}
	if (rk->phase == IKE_REKEY_FOLLOWUP) {
		ike_child_rekey_fu_answer(s, r, sa, rk);
		return;
	}
	c = rk->del_local ? ike_child_find_in(sa, rk->del_spi) : -1;
	if (c >= 0) {
		ike_child_delete(s, sa, (unsigned)c);
		ike_count(s, IKE_CTR_CHILD_REKEY_OLD_DELETED);
	}
	ike_child_rekey_finish(s, sa);
}

void
ike_child_rekey_peer(struct ike_shard *s, struct ike_sa *sa, uint32_t old_spi_in,
		     uint32_t new_spi_in, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		     size_t nr_len)
{
	struct ike_rekey *rk = slot_of(s, sa);
	int c = ike_child_find_in(sa, old_spi_in);
	const uint8_t *lo;
	size_t lo_len;

	if (c >= 0)
		sa->rekey_want &= (uint8_t) ~(1u << c); /* the peer rekeys it: ours is not needed */
	if (rk == NULL || rk->phase == IKE_REKEY_DELETE || rk->old_spi_in != old_spi_in)
		return;
	lo = nonce_below(ni, ni_len, nr, nr_len) ? ni : nr;
	lo_len = lo == ni ? ni_len : nr_len;
	if (lo_len > sizeof(rk->peer_nonce))
		lo_len = sizeof(rk->peer_nonce);
	rk->peer_new_spi_in = new_spi_in;
	memcpy(rk->peer_nonce, lo, lo_len);
	rk->peer_nonce_len = (uint8_t)lo_len;
}

unsigned
ike_shard_child_soft(struct ike_shard *s, uint64_t ike_spi, uint32_t spi_in, uint64_t now_ms,
		     struct ike_tx *tx, unsigned tx_n)
{
	struct ike_sa *sa = ike_spi != 0 ? satable_lookup(s->sas, ike_spi) : NULL;
	struct ike_rekey *rk;
	int c;

	s->now_ms = now_ms;
	s->tx = tx;
	s->tx_n = tx_n;
	s->ntx = 0;
	c = sa != NULL && sa->state == IKE_SA_ESTABLISHED ? ike_child_find_in(sa, spi_in) : -1;
	if (c < 0) {
		ike_count(s, IKE_CTR_CHILD_SOFT_STALE);
		return 0;
	}
	rk = slot_of(s, sa);
	/* Both directions report; a rekey of it may be under way already. */
	if ((sa->rekey_want & (1u << c)) ||
	    (rk != NULL && (rk->old_spi_in == spi_in || rk->new_spi_in == spi_in)))
		return 0;
	ike_count(s, IKE_CTR_CHILD_SOFT);
	sa->rekey_want |= (uint8_t)(1u << c);
	if (sa->dpd_sends == 0) {
		ike_sa_dpd_off(s, sa);
		ike_dpd_expire(s, sa);
	}
	return s->ntx;
}
