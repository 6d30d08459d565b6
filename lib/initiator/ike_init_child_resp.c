/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_child_resp.c - the initiator answering the responder's rekey of
 * its Child SA (RFC 7296 1.3.3, 2.8), as a remote-access client does:
 *   <-- HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}
 *   --> HDR, SK {SA, Nr, [KEr], TSi, TSr}
 * KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) with the responder's Ni first: it
 * started the exchange (2.17). The new SA becomes the current one; the old
 * one stays (prev_spi_*) until the responder deletes it. Any other
 * CREATE_CHILD_SA is declined with NO_ADDITIONAL_SAS.
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
 * The first proposal with our ESP suite (our group when pfs, else none) and
 * an ESN transform we take (to *esn); -1: none.
 */
static int
choose(const struct ike_client *c, const struct ike_pld_sa *sa, bool pfs, int *esn)
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
		return (int)i;
	}
	return -1;
}

/* Our answer's SA payload: proposal num of theirs, one transform of each type. */
static void
add_sa(struct ike_mb *b, uint8_t num, const struct ike_transforms *t, bool pfs, uint16_t esn,
       const uint8_t *spi)
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
ike_init_answer_child(struct ike_client *c, const struct ike_msg *m, struct ike_mb *b)
{
	const struct ike_transforms *t = &c->cfg->esp;
	uint8_t nr[IKE_INIT_NONCE_LEN], pub[CRY_MAX_KEX_PUB], g_ir[CRY_MAX_KEX_SECRET];
	uint8_t spi_w[IKE_CHILD_SPI_LEN];
	size_t pub_len = sizeof(pub), g_len = 0;
	struct ike_init_child child;
	struct ike_pld_ts tsi, tsr;
	struct ike_esp_suite esp;
	struct ike_keys_input in;
	struct ike_child_keys k;
	struct ike_pld_nonce ni;
	struct ike_pld_sa sa;
	struct ike_pld_ke ke;
	struct cry_kex *kex;
	bool has_ke, has_rekey, pfs, ok;
	uint32_t spi;
	int pi, esn = IKE_ESN_NO;

	if (!rekeys_ours(c, m, &has_rekey))
		return decline(b, has_rekey ? IKE_N_CHILD_SA_NOT_FOUND : IKE_N_NO_ADDITIONAL_SAS);
	if (c->cfg->rekey_answer_error != 0)
		return decline(b, c->cfg->rekey_answer_error);
	if (!parse(m, &sa, &ni, &ke, &has_ke, &tsi, &tsr))
		return decline(b, IKE_N_INVALID_SYNTAX);
	pfs = has_ke && t->ke != IKE_KE_NONE && ke.group == t->ke;
	pi = choose(c, &sa, pfs, &esn);
	if (pi < 0)
		return decline(b, IKE_N_NO_PROPOSAL_CHOSEN);
	if (ike_init_new_child_spi(c, &spi) != IKE_INIT_R_DONE ||
	    cry_random(c->ops, nr, sizeof(nr)) != IKE_OK ||
	    ike_init_esp_suite(c, pfs, &esp) != IKE_INIT_R_DONE)
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
	ike_init_keys_input(&in, c->spi_i, c->spi_r, ni.data, ni.len, nr, sizeof(nr));
	ok = ike_keys_derive_child(c->ops, &c->keys, &esp, &in, pfs ? g_ir : NULL, g_len, &k) ==
	     IKE_OK;
	ike_wipe(g_ir, sizeof(g_ir));
	if (!ok)
		return IKE_INIT_R_CRYPTO;
	/* The responder started it: its keys (init_to_resp) are our inbound ones. */
	child = c->child;
	child.spi_in = spi;
	child.spi_out = ike_get_u32(sa.prop[pi].spi);
	child.esn = esn == IKE_ESN_YES;
	child.keys.init_to_resp = k.resp_to_init;
	child.keys.resp_to_init = k.init_to_resp;
	ike_child_keys_wipe(&k);
	c->prev_spi_in = c->child.spi_in;
	c->prev_spi_out = c->child.spi_out;
	ike_child_keys_wipe(&c->child.keys);
	c->child = child;
	ike_child_keys_wipe(&child.keys);
	ike_put_u32(spi_w, spi);
	add_sa(b, sa.prop[pi].num, t, pfs, (uint16_t)esn, spi_w);
	ike_mb_add_nonce(b, nr, sizeof(nr));
	if (pfs)
		ike_mb_add_ke(b, ke.group, pub, pub_len);
	ike_mb_add_ts(b, IKE_PLD_TSI, &tsi);
	ike_mb_add_ts(b, IKE_PLD_TSR, &tsr);
	return IKE_INIT_R_DONE;
}
