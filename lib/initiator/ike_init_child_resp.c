/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_child_resp.c - the initiator answering the responder's rekey of
 * its Child SA (RFC 7296 1.3.3, 2.8), as a remote-access client does:
 *   <-- HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}
 *   --> HDR, SK {SA, Nr, [KEr], TSi, TSr}
 * KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) with the responder's Ni first: it
 * started the exchange (2.17). The new SA becomes the current one; the old
 * one stays (prev_spi_*) until the responder deletes it. Any other
 * CREATE_CHILD_SA is declined with NO_ADDITIONAL_SAS; a KE of a group other
 * than ours, when a proposal offers ours, with INVALID_KE_PAYLOAD naming
 * ours (1.3). RFC 9370 ADDKE
 * transforms are answered from cfg->esp_addke (NONE when offered and ours
 * is not); with exchanges chosen the answer carries N(ADDITIONAL_KEY_EXCHANGE)
 * and the new SA waits for the responder's IKE_FOLLOWUP_KE requests
 * (ike_init_followup.c).
 */
#include <string.h>

#include "ike_init_priv.h"
#include "ike_secret.h"

static bool
offers(const struct ike_pld_sa *sa, const struct ike_prop *p, uint8_t type, uint16_t id,
       uint16_t key_bits)
{
	const struct ike_xform *x = ike_prop_xforms(sa, p);

	for (unsigned int i = 0; i < p->n_xf; i++)
		if (x[i].type == type && x[i].id == id && !x[i].unknown_attr &&
		    (key_bits == 0 || x[i].key_len == key_bits))
			return true;
	return false;
}

static bool
offers_some(const struct ike_pld_sa *sa, const struct ike_prop *p, uint8_t type)
{
	const struct ike_xform *x = ike_prop_xforms(sa, p);

	for (unsigned int i = 0; i < p->n_xf; i++)
		if (x[i].type == type && x[i].id != 0)
			return true;
	return false;
}

/*
 * The ESN transform we take from p (RFC 4303 2.2.1), or -1: one our
 * configuration allows, the current Child SA's kind first (a rekey keeps
 * the sequence number size when it can). No ESN transform at all is NO_ESN.
 */
static int
esn_of(const struct ike_client *c, const struct ike_pld_sa *sa, const struct ike_prop *p)
{
	uint16_t want[2] = {c->child.esn ? IKE_ESN_YES : IKE_ESN_NO,
			    c->child.esn ? IKE_ESN_NO : IKE_ESN_YES};
	bool any = false;

	for (unsigned int i = 0; i < p->n_xf; i++)
		any |= ike_prop_xforms(sa, p)[i].type == IKE_TRANSFORM_ESN;
	for (unsigned int k = 0; k < 2; k++) {
		if ((want[k] == IKE_ESN_YES && c->cfg->esp_esn == IKE_INIT_ESN_NO) ||
		    (want[k] == IKE_ESN_NO && c->cfg->esp_esn == IKE_INIT_ESN_YES))
			continue;
		if (any ? offers(sa, p, IKE_TRANSFORM_ESN, want[k], 0) : want[k] == IKE_ESN_NO)
			return want[k];
	}
	return -1;
}

/*
 * Our ADDKE answer to p: pick[a] the method of ADDKE(a+1) (NONE too), -1
 * where p has none of that type; the methods chosen to ak. False: p lacks
 * one we require, or offers one without NONE we cannot run (no follow-up
 * state, no PFS, not ours).
 */
static bool
choose_addke(const struct ike_client *c, const struct ike_pld_sa *sa, const struct ike_prop *p,
	     bool pfs, int32_t *pick, struct ike_init_addke *ak)
{
	memset(ak, 0, sizeof(*ak));
	for (unsigned int a = 0; a < IKE_INIT_ADDKE_MAX; a++) {
		uint8_t type = (uint8_t)(IKE_TRANSFORM_ADDKE1 + a);
		uint16_t ours = c->fu != NULL && pfs ? c->cfg->esp_addke[a] : IKE_KE_NONE;

		pick[a] = -1;
		if (ours != IKE_KE_NONE && offers(sa, p, type, ours, 0)) {
			pick[a] = ours;
			ak->chosen[ak->n++] = ours;
		} else if (c->cfg->esp_addke[a] != IKE_KE_NONE && !c->cfg->addke_optional) {
			return false;
		} else if (offers(sa, p, type, IKE_KE_NONE, 0)) {
			pick[a] = IKE_KE_NONE;
		} else if (offers_some(sa, p, type)) {
			return false;
		}
	}
	return true;
}

/*
 * The first proposal with our ESP suite (our group when pfs, else none),
 * ADDKE we answer (pick, ak) and an ESN transform we take (to *esn); -1: none.
 */
static int
choose(const struct ike_client *c, const struct ike_pld_sa *sa, bool pfs, int *esn, int32_t *pick,
       struct ike_init_addke *ak)
{
	const struct ike_transforms *t = &c->cfg->esp;

	for (unsigned int i = 0; i < sa->n_prop; i++) {
		const struct ike_prop *p = &sa->prop[i];

		if (p->proto != IKE_PROTO_ESP || p->spi_size != IKE_CHILD_SPI_LEN ||
		    !offers(sa, p, IKE_TRANSFORM_ENCR, t->encr, t->encr_key_bits) ||
		    (t->integ != 0 && !offers(sa, p, IKE_TRANSFORM_INTEG, t->integ, 0)) ||
		    (*esn = esn_of(c, sa, p)) < 0)
			continue;
		if (pfs ? !offers(sa, p, IKE_TRANSFORM_KE, t->ke, 0)
			: offers_some(sa, p, IKE_TRANSFORM_KE) &&
				    !offers(sa, p, IKE_TRANSFORM_KE, IKE_KE_NONE, 0))
			continue;
		if (!choose_addke(c, sa, p, pfs, pick, ak))
			continue;
		return (int)i;
	}
	return -1;
}

/* Our answer's SA payload: proposal num of theirs, one transform of each type. */
static void
add_sa(struct ike_mb *b, uint8_t num, const struct ike_transforms *t, bool pfs, uint16_t esn,
       const int32_t *pick, const uint8_t *spi)
{
	struct ike_pld_sa sa;
	struct ike_xform *x = sa.xf;

	memset(&sa, 0, sizeof(sa));
	x[sa.n_xf++] = (struct ike_xform){.type = IKE_TRANSFORM_ENCR,
					  .id = t->encr,
					  .key_len = t->encr_key_bits,
					  .has_key_len = t->encr_key_bits != 0};
	if (t->integ != 0)
		x[sa.n_xf++] = (struct ike_xform){.type = IKE_TRANSFORM_INTEG, .id = t->integ};
	if (pfs)
		x[sa.n_xf++] = (struct ike_xform){.type = IKE_TRANSFORM_KE, .id = t->ke};
	x[sa.n_xf++] = (struct ike_xform){.type = IKE_TRANSFORM_ESN, .id = esn};
	for (unsigned int a = 0; a < IKE_INIT_ADDKE_MAX; a++)
		if (pick[a] >= 0)
			x[sa.n_xf++] =
				(struct ike_xform){.type = (uint8_t)(IKE_TRANSFORM_ADDKE1 + a),
						   .id = (uint16_t)pick[a]};
	sa.n_prop = 1;
	sa.prop[0] = (struct ike_prop){.num = num,
				       .proto = IKE_PROTO_ESP,
				       .spi_size = IKE_CHILD_SPI_LEN,
				       .spi = spi,
				       .n_xf = sa.n_xf};
	ike_mb_add_sa(b, &sa);
}

static enum ike_init_result
decline(struct ike_mb *b, uint16_t notify)
{
	ike_mb_add_notify(b, IKE_PROTO_NONE, NULL, 0, notify, NULL, 0);
	return IKE_INIT_R_DONE;
}

/* 1.3, 3.10.1: the group we would take, which the request's KE is not. */
static enum ike_init_result
invalid_ke(struct ike_mb *b, uint16_t group)
{
	uint8_t g[2];

	ike_put_u16(g, group);
	ike_mb_add_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_INVALID_KE_PAYLOAD, g, sizeof(g));
	return IKE_INIT_R_DONE;
}

/* The payloads of the request: false when one is missing or malformed. */
static bool
parse(const struct ike_msg *m, struct ike_pld_sa *sa, struct ike_pld_nonce *ni,
      struct ike_pld_ke *ke, bool *has_ke, struct ike_pld_ts *tsi, struct ike_pld_ts *tsr)
{
	const uint8_t *body;
	size_t len;

	*has_ke = ike_init_find(m, IKE_PLD_KE, &body, &len) &&
		  ike_pld_ke_parse(body, len, ke) == IKE_PARSE_OK;
	return ike_init_find(m, IKE_PLD_SA, &body, &len) &&
	       ike_pld_sa_parse(body, len, sa) == IKE_PARSE_OK &&
	       ike_init_find(m, IKE_PLD_NONCE, &body, &len) &&
	       ike_pld_nonce_parse(body, len, ni) == IKE_PARSE_OK &&
	       ike_init_find(m, IKE_PLD_TSI, &body, &len) &&
	       ike_pld_ts_parse(body, len, tsi) == IKE_PARSE_OK &&
	       ike_init_find(m, IKE_PLD_TSR, &body, &len) &&
	       ike_pld_ts_parse(body, len, tsr) == IKE_PARSE_OK;
}

/* The REKEY_SA notify names our current Child SA (by the SPI the responder receives on). */
static bool
rekeys_ours(const struct ike_client *c, const struct ike_msg *m, bool *has)
{
	struct ike_pld_notify n;

	*has = false;
	for (unsigned int i = 0; i < m->n_pld; i++) {
		const struct ike_pld *p = &m->pld[i];

		if (p->type != IKE_PLD_NOTIFY ||
		    ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, &n) != IKE_PARSE_OK ||
		    n.type != IKE_N_REKEY_SA)
			continue;
		*has = true;
		return c->has_child && n.spi_size == IKE_CHILD_SPI_LEN &&
		       ike_get_u32(n.spi) == c->child.spi_out;
	}
	return false;
}

enum ike_init_result
ike_init_child_adopt(struct ike_client *c, struct ike_init_child *child, const uint8_t *ni,
		     size_t ni_len, const uint8_t *nr, size_t nr_len, const uint8_t *sk0,
		     size_t sk0_len, const uint8_t *more, size_t more_len)
{
	struct ike_esp_suite esp;
	struct ike_keys_input in;
	struct ike_child_keys k;
	enum ike_init_result r;

	r = ike_init_esp_suite(c, sk0_len != 0, &esp);
	if (r != IKE_INIT_R_DONE)
		return r;
	ike_init_keys_input(&in, c->spi_i, c->spi_r, ni, ni_len, nr, nr_len);
	if (ike_keys_derive_child_addke(c->ops, &c->keys, &esp, &in, sk0_len != 0 ? sk0 : NULL,
					sk0_len, more, more_len, &k) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	/* The responder started it: its keys (init_to_resp) are our inbound ones. */
	child->keys.init_to_resp = k.resp_to_init;
	child->keys.resp_to_init = k.init_to_resp;
	ike_child_keys_wipe(&k);
	c->prev_spi_in = c->child.spi_in;
	c->prev_spi_out = c->child.spi_out;
	ike_child_keys_wipe(&c->child.keys);
	c->child = *child;
	ike_child_keys_wipe(&child->keys);
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_answer_child(struct ike_client *c, const struct ike_msg *m, struct ike_mb *b)
{
	const struct ike_transforms *t = &c->cfg->esp;
	uint8_t nr[IKE_INIT_NONCE_LEN], pub[CRY_MAX_KEX_PUB], g_ir[CRY_MAX_KEX_SECRET];
	uint8_t spi_w[IKE_CHILD_SPI_LEN];
	size_t pub_len = sizeof(pub), g_len = 0;
	int32_t pick[IKE_INIT_ADDKE_MAX];
	struct ike_init_child child;
	struct ike_init_addke ak;
	struct ike_pld_ts tsi, tsr;
	enum ike_init_result r;
	struct ike_pld_nonce ni;
	struct ike_pld_sa sa;
	struct ike_pld_ke ke;
	struct cry_kex *kex;
	bool has_ke, has_rekey, pfs, ok;
	uint32_t spi;
	int pi, esn = IKE_ESN_NO;

	if (!rekeys_ours(c, m, &has_rekey))
		return decline(b, has_rekey ? IKE_N_CHILD_SA_NOT_FOUND : IKE_N_NO_ADDITIONAL_SAS);
	if (c->cfg->rekey_answer_error == IKE_N_INVALID_KE_PAYLOAD)
		return invalid_ke(b, t->ke);
	if (c->cfg->rekey_answer_error != 0)
		return decline(b, c->cfg->rekey_answer_error);
	if (!parse(m, &sa, &ni, &ke, &has_ke, &tsi, &tsr))
		return decline(b, IKE_N_INVALID_SYNTAX);
	pfs = has_ke && t->ke != IKE_KE_NONE && ke.group == t->ke;
	pi = choose(c, &sa, pfs, &esn, pick, &ak);
	/* A proposal with our group, but a KE of another one: name ours (1.3). */
	if (pi < 0 && has_ke && t->ke != IKE_KE_NONE && ke.group != t->ke &&
	    choose(c, &sa, true, &esn, pick, &ak) >= 0)
		return invalid_ke(b, t->ke);
	if (pi < 0)
		return decline(b, IKE_N_NO_PROPOSAL_CHOSEN);
	/* Our own exchanges are under way: not now (2.25); a stale one of theirs is replaced. */
	if (ak.n != 0 && c->fu->n != 0 && !c->fu->peer)
		return decline(b, IKE_N_TEMPORARY_FAILURE);
	if (ike_init_new_child_spi(c, &spi) != IKE_INIT_R_DONE ||
	    cry_random(c->ops, nr, sizeof(nr)) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	if (pfs) {
		g_len = sizeof(g_ir);
		if (c->ops->asym->kex_new(c->ops->asym_ctx, ke.group, &kex, pub, &pub_len) !=
		    IKE_OK)
			return IKE_INIT_R_CRYPTO;
		ok = c->ops->asym->kex_derive(c->ops->asym_ctx, kex, ke.data, ke.len, g_ir,
					      &g_len) == IKE_OK;
		c->ops->asym->kex_free(c->ops->asym_ctx, kex);
		if (!ok)
			return IKE_INIT_R_CRYPTO;
	}
	child = c->child;
	memset(&child.keys, 0, sizeof(child.keys));
	child.spi_in = spi;
	child.spi_out = ike_get_u32(sa.prop[pi].spi);
	child.esn = esn == IKE_ESN_YES;
	if (ak.n == 0)
		r = ike_init_child_adopt(c, &child, ni.data, ni.len, nr, sizeof(nr), g_ir, g_len,
					 NULL, 0);
	else
		r = ike_init_followup_answer_begin(c, &ak, &child, ni.data, ni.len, nr, sizeof(nr),
						   g_ir, g_len)
			    ? IKE_INIT_R_DONE
			    : IKE_INIT_R_CRYPTO;
	ike_wipe(g_ir, sizeof(g_ir));
	if (r != IKE_INIT_R_DONE)
		return r;
	ike_put_u32(spi_w, spi);
	add_sa(b, sa.prop[pi].num, t, pfs, (uint16_t)esn, pick, spi_w);
	ike_mb_add_nonce(b, nr, sizeof(nr));
	if (pfs)
		ike_mb_add_ke(b, ke.group, pub, pub_len);
	ike_mb_add_ts(b, IKE_PLD_TSI, &tsi);
	ike_mb_add_ts(b, IKE_PLD_TSR, &tsr);
	if (ak.n != 0)
		ike_init_followup_add_link(c, b);
	return IKE_INIT_R_DONE;
}
