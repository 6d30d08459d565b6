/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_proposal.c - SA proposal selection (RFC 7296 2.7, 3.3.6): the first
 * configured suite, in configuration order, that some proposal offers in
 * full. A proposal is taken as offering a suite when it lists a transform
 * of every type the suite needs; transforms with unknown attributes are
 * ignored (3.3.6). When a suite matches except for the group of the KE
 * payload, the caller answers INVALID_KE_PAYLOAD with our group (1.2, 1.3).
 */
#include <string.h>

#include "ike_core_priv.h"

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
matches(const struct ike_pld_sa *sa, const struct ike_prop *p, const struct ike_suite_cfg *c,
	bool check_ke)
{
	if (!offers(sa, p, IKE_TRANSFORM_ENCR, c->encr_id, c->encr_key_bits))
		return false;
	if (p->proto == IKE_PROTO_IKE && !offers(sa, p, IKE_TRANSFORM_PRF, c->prf_id, 0))
		return false;
	if (c->integ_id == 0 ? !offers_none(sa, p, IKE_TRANSFORM_INTEG)
			     : !offers(sa, p, IKE_TRANSFORM_INTEG, c->integ_id, 0))
		return false;
	/* We never negotiate extended sequence numbers. */
	if (p->proto == IKE_PROTO_ESP && !offers_none(sa, p, IKE_TRANSFORM_ESN))
		return false;
	if (!check_ke)
		return true;
	return c->ke_id == 0 ? offers_none(sa, p, IKE_TRANSFORM_KE)
			     : offers(sa, p, IKE_TRANSFORM_KE, c->ke_id, 0);
}

enum ike_prop_result
ike_proposal_select(const struct ike_pld_sa *sa, uint8_t proto, uint8_t spi_size,
		    const struct ike_suite_cfg *suites, unsigned n, bool check_ke,
		    uint16_t ke_group, unsigned *suite_idx, unsigned *prop_idx,
		    uint16_t *want_group)
{
	bool other_group = false;

	for (unsigned c = 0; c < n; c++) {
		for (unsigned i = 0; i < sa->n_prop; i++) {
			const struct ike_prop *p = &sa->prop[i];

			if (p->proto != proto || p->spi_size != spi_size ||
			    !matches(sa, p, &suites[c], check_ke))
				continue;
			if (check_ke && suites[c].ke_id != 0 && suites[c].ke_id != ke_group) {
				if (!other_group)
					*want_group = suites[c].ke_id;
				other_group = true;
				continue;
			}
			*suite_idx = c;
			*prop_idx = i;
			return IKE_PROP_OK;
		}
	}
	return other_group ? IKE_PROP_INVALID_KE : IKE_PROP_NONE;
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
		add_xf(out, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
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
