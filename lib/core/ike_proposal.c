/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_proposal.c - SA proposal selection (RFC 7296 2.7, 3.3.6) with our
 * preference deciding: configured proposals in configuration order, and for
 * each the received proposals in their order; the first pair where every
 * transform type agrees wins, and for each type we take OUR first algorithm
 * that the proposal offers (as strongSwan does by default). A type we list
 * nothing for must be absent from the proposal or offered as NONE (3.3.3);
 * transforms with unknown attributes are ignored (3.3.6). ESN (type 5) is a
 * type like the others: our "noesn, esn" (the default) takes NO_ESN from a
 * proposal that offers both, ESN from one that offers only ESN.
 *
 * The key exchange group (1.2, 1.3, 3.4): in IKE_SA_INIT our preferred group
 * among those the winning proposal offers must be the one of the KE payload,
 * else INVALID_KE_PAYLOAD names it (the initiator guessed a group we take
 * but do not prefer). In CREATE_CHILD_SA the initiator's group is taken when
 * it is acceptable: it is the group agreed before, and a rekey should not
 * cost a round trip.
 */
#include <stdio.h>
#include <string.h>

#include "ike_core_priv.h"
#include "ike_names.h"

static bool
offers(const struct ike_pld_sa *sa, const struct ike_prop *p, uint8_t type, uint16_t id,
       uint16_t key_bits)
{
	const struct ike_xform *xf = ike_prop_xforms(sa, p);

	for (unsigned i = 0; i < p->n_xf; i++) {
		if (xf[i].type != type || xf[i].id != id || xf[i].unknown_attr)
			continue;
		if (key_bits == 0 || (xf[i].has_key_len && xf[i].key_len == key_bits))
			return true;
	}
	return false;
}

static bool
has_type(const struct ike_pld_sa *sa, const struct ike_prop *p, uint8_t type)
{
	const struct ike_xform *xf = ike_prop_xforms(sa, p);

	for (unsigned i = 0; i < p->n_xf; i++)
		if (xf[i].type == type)
			return true;
	return false;
}

/* A type that may be left out, or offered with its "none" value (3.3.3). */
static bool
offers_none(const struct ike_pld_sa *sa, const struct ike_prop *p, uint8_t type)
{
	return !has_type(sa, p, type) || offers(sa, p, type, 0, 0);
}

static bool
offers_alg(const struct ike_pld_sa *sa, const struct ike_prop *p, uint8_t type,
	   const struct ike_alg *a)
{
	if (a->id == 0 && type != IKE_TRANSFORM_ENCR && type != IKE_TRANSFORM_PRF)
		return offers_none(sa, p, type);
	return offers(sa, p, type, a->id, a->key_bits);
}

/* Our first algorithm of l that p offers: its index, or -1. */
static int
first_offered(const struct ike_pld_sa *sa, const struct ike_prop *p, uint8_t type,
	      const struct ike_alg_list *l)
{
	for (unsigned i = 0; i < l->n; i++)
		if (offers_alg(sa, p, type, &l->alg[i]))
			return (int)i;
	return -1;
}

/*
 * Every type but KE: our choice for it in out, false when p offers none of
 * ours. Under IKE_KE_IGNORE (the Child SA of IKE_AUTH) the RFC 9370 ADDKE
 * types are not looked at, as KE is not; elsewhere (IKE_SA_INIT, then
 * IKE_INTERMEDIATE; CREATE_CHILD_SA, then IKE_FOLLOWUP_KE) they are chosen
 * like any other type, NONE included.
 */
static bool
match_types(const struct ike_pld_sa *sa, const struct ike_prop *p, const struct ike_proposal_cfg *c,
	    enum ike_ke_rule rule, struct ike_suite_cfg *out)
{
	uint16_t id[IKE_TRANSFORM_MAX + 1] = {0};
	uint16_t key_bits = 0;

	for (uint8_t t = 1; t <= IKE_TRANSFORM_MAX; t++) {
		const struct ike_alg_list *l = &c->xf[t];
		int i;

		if (t == IKE_TRANSFORM_KE || (rule == IKE_KE_IGNORE && t >= IKE_TRANSFORM_ADDKE1 &&
						  t <= IKE_TRANSFORM_ADDKE7))
			continue;
		if (l->n == 0) {
			if (!offers_none(sa, p, t))
				return false;
			continue;
		}
		i = first_offered(sa, p, t, l);
		if (i < 0)
			return false;
		id[t] = l->alg[i].id;
		if (t == IKE_TRANSFORM_ENCR)
			key_bits = l->alg[i].key_bits;
	}
	memset(out, 0, sizeof(*out));
	out->encr_id = id[IKE_TRANSFORM_ENCR];
	out->encr_key_bits = key_bits;
	out->prf_id = id[IKE_TRANSFORM_PRF];
	out->integ_id = id[IKE_TRANSFORM_INTEG];
	for (unsigned a = 0; a < IKE_ADDKE_MAX; a++)
		out->addke_id[a] = id[IKE_TRANSFORM_ADDKE1 + a];
	out->esn = id[IKE_TRANSFORM_ESN] == IKE_ESN_YES;
	return true;
}

/* The KE type under rule: IKE_PROP_OK with *ke, IKE_PROP_INVALID_KE with *want, or NONE. */
static enum ike_prop_result
match_ke(const struct ike_pld_sa *sa, const struct ike_prop *p, const struct ike_proposal_cfg *c,
	 enum ike_ke_rule rule, uint16_t ke_group, uint16_t *ke, uint16_t *want)
{
	const struct ike_alg_list *l = &c->xf[IKE_TRANSFORM_KE];
	int first;

	*ke = IKE_KE_NONE;
	if (rule == IKE_KE_IGNORE)
		return IKE_PROP_OK;
	if (l->n == 0)
		return offers_none(sa, p, IKE_TRANSFORM_KE) ? IKE_PROP_OK : IKE_PROP_NONE;
	first = first_offered(sa, p, IKE_TRANSFORM_KE, l);
	if (first < 0)
		return IKE_PROP_NONE;
	if (rule == IKE_KE_THEIRS) {
		for (unsigned i = (unsigned)first; i < l->n; i++)
			if (l->alg[i].id == ke_group &&
			    offers_alg(sa, p, IKE_TRANSFORM_KE, &l->alg[i])) {
				*ke = ke_group;
				return IKE_PROP_OK;
			}
		/* Not theirs: our first real group they offer, if any. */
		for (unsigned i = (unsigned)first; i < l->n; i++)
			if (l->alg[i].id != IKE_KE_NONE &&
			    offers_alg(sa, p, IKE_TRANSFORM_KE, &l->alg[i])) {
				*want = l->alg[i].id;
				return IKE_PROP_INVALID_KE;
			}
		return IKE_PROP_NONE;
	}
	if (l->alg[first].id != ke_group) {
		*want = l->alg[first].id;
		return IKE_PROP_INVALID_KE;
	}
	*ke = ke_group;
	return IKE_PROP_OK;
}

enum ike_prop_result
ike_proposal_select(const struct ike_pld_sa *sa, uint8_t proto, uint8_t spi_size,
		    const struct ike_proposal_cfg *props, unsigned n, enum ike_ke_rule rule,
		    uint16_t ke_group, struct ike_suite_cfg *suite, unsigned *prop_idx,
		    uint16_t *want_group)
{
	bool invalid_ke = false;
	uint16_t ke, want = 0;

	for (unsigned c = 0; c < n; c++) {
		for (unsigned i = 0; i < sa->n_prop; i++) {
			const struct ike_prop *p = &sa->prop[i];
			enum ike_prop_result r;

			if (p->proto != proto || p->spi_size != spi_size ||
			    !match_types(sa, p, &props[c], rule, suite))
				continue;
			r = match_ke(sa, p, &props[c], rule, ke_group, &ke, &want);
			if (r == IKE_PROP_OK) {
				suite->ke_id = ke;
				*prop_idx = i;
				return IKE_PROP_OK;
			}
			if (r == IKE_PROP_INVALID_KE && !invalid_ke) {
				*want_group = want;
				invalid_ke = true;
			}
			/* Our preference decides: the first pair that agrees names the group. */
			if (invalid_ke && rule == IKE_KE_OURS)
				return IKE_PROP_INVALID_KE;
		}
	}
	return invalid_ke ? IKE_PROP_INVALID_KE : IKE_PROP_NONE;
}

static void
add_xf(struct ike_pld_sa *out, uint8_t type, uint16_t id, uint16_t key_bits)
{
	struct ike_xform *xf = &out->xf[out->n_xf++];

	memset(xf, 0, sizeof(*xf));
	xf->type = type;
	xf->id = id;
	xf->key_len = key_bits;
	xf->has_key_len = key_bits != 0;
}

void
ike_proposal_reply(struct ike_pld_sa *out, const struct ike_prop *prop,
		   const struct ike_suite_cfg *suite, bool with_ke, const uint8_t *spi,
		   uint8_t spi_size)
{
	struct ike_prop *p = &out->prop[0];

	out->n_prop = 1;
	out->n_xf = 0;
	p->num = prop->num;
	p->proto = prop->proto;
	p->spi_size = spi_size;
	p->spi = spi;
	p->xf_first = 0;
	add_xf(out, IKE_TRANSFORM_ENCR, suite->encr_id, suite->encr_key_bits);
	if (prop->proto == IKE_PROTO_IKE)
		add_xf(out, IKE_TRANSFORM_PRF, suite->prf_id, 0);
	if (suite->integ_id != 0)
		add_xf(out, IKE_TRANSFORM_INTEG, suite->integ_id, 0);
	if (with_ke && suite->ke_id != 0)
		add_xf(out, IKE_TRANSFORM_KE, suite->ke_id, 0);
	if (prop->proto == IKE_PROTO_ESP)
		add_xf(out, IKE_TRANSFORM_ESN, suite->esn ? IKE_ESN_YES : IKE_ESN_NO, 0);
	for (unsigned a = 0; with_ke && a < IKE_ADDKE_MAX; a++)
		if (suite->addke_id[a] != 0)
			add_xf(out, (uint8_t)(IKE_TRANSFORM_ADDKE1 + a), suite->addke_id[a], 0);
	p->n_xf = out->n_xf;
}

void
ike_suite_cfg_transforms(const struct ike_suite_cfg *c, struct ike_transforms *t)
{
	t->encr = c->encr_id;
	t->encr_key_bits = c->encr_key_bits;
	t->prf = c->prf_id;
	t->integ = c->integ_id;
	t->ke = c->ke_id;
}

bool
ike_proposal_cfg_takes(const struct ike_proposal_cfg *props, unsigned n,
		       const struct ike_transforms *t)
{
	for (unsigned c = 0; c < n; c++) {
		const struct ike_proposal_cfg *p = &props[c];

		if (ike_proposal_cfg_has(p, IKE_TRANSFORM_ENCR, t->encr, t->encr_key_bits) &&
		    ike_proposal_cfg_has(p, IKE_TRANSFORM_PRF, t->prf, 0) &&
		    (t->integ == IKE_INTEG_NONE
			     ? p->xf[IKE_TRANSFORM_INTEG].n == 0
			     : ike_proposal_cfg_has(p, IKE_TRANSFORM_INTEG, t->integ, 0)))
			return true;
	}
	return false;
}

static void
one(struct ike_alg_list *l, uint16_t id, uint16_t key_bits)
{
	l->n = 1;
	l->alg[0] = (struct ike_alg){id, key_bits};
}

void
ike_proposal_cfg_of_suite(struct ike_proposal_cfg *out, const struct ike_suite_cfg *s, bool esp)
{
	memset(out, 0, sizeof(*out));
	out->esp = esp;
	one(&out->xf[IKE_TRANSFORM_ENCR], s->encr_id, s->encr_key_bits);
	if (!esp)
		one(&out->xf[IKE_TRANSFORM_PRF], s->prf_id, 0);
	if (s->integ_id != 0)
		one(&out->xf[IKE_TRANSFORM_INTEG], s->integ_id, 0);
	if (s->ke_id != 0)
		one(&out->xf[IKE_TRANSFORM_KE], s->ke_id, 0);
	if (esp)
		one(&out->xf[IKE_TRANSFORM_ESN], s->esn ? IKE_ESN_YES : IKE_ESN_NO, 0);
	for (unsigned a = 0; a < IKE_ADDKE_MAX; a++)
		if (s->addke_id[a] != 0)
			one(&out->xf[IKE_TRANSFORM_ADDKE1 + a], s->addke_id[a], 0);
}
