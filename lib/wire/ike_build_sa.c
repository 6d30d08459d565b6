/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_build_sa.c - builders for the structured payloads: SA with proposals,
 * transforms and Key Length attributes (RFC 7296 3.3), Traffic Selectors
 * (3.13) and Configuration (3.15). Inputs are the decoder structs.
 */
#include "ike_build_priv.h"

static void
add_xform(struct ike_mb *b, const struct ike_xform *xf, bool last)
{
	size_t s = b->w.off;

	ike_wr_u8(&b->w, last ? IKE_SUBSTRUCT_LAST : IKE_SUBSTRUCT_MORE_TRANSFORMS);
	ike_wr_u8(&b->w, 0);
	ike_wr_u16(&b->w, 0);
	ike_wr_u8(&b->w, xf->type);
	ike_wr_u8(&b->w, 0);
	ike_wr_u16(&b->w, xf->id);
	if (xf->has_key_len) {
		ike_wr_u16(&b->w, IKE_ATTR_AF | IKE_ATTR_KEY_LENGTH);
		ike_wr_u16(&b->w, xf->key_len);
	}
	if (!b->w.err)
		ike_put_u16(b->w.p + s + 2, (uint16_t)(b->w.off - s));
}

static void
add_prop(struct ike_mb *b, const struct ike_pld_sa *sa, const struct ike_prop *pr, bool last)
{
	size_t s = b->w.off;

	if (pr->n_xf == 0 || (size_t)pr->xf_first + pr->n_xf > sa->n_xf) {
		ike_mb_fail(b);
		return;
	}
	ike_wr_u8(&b->w, last ? IKE_SUBSTRUCT_LAST : IKE_SUBSTRUCT_MORE_PROPOSALS);
	ike_wr_u8(&b->w, 0);
	ike_wr_u16(&b->w, 0);
	ike_wr_u8(&b->w, pr->num);
	ike_wr_u8(&b->w, pr->proto);
	ike_wr_u8(&b->w, pr->spi_size);
	ike_wr_u8(&b->w, pr->n_xf);
	ike_mb_put(b, pr->spi, pr->spi_size);
	for (unsigned int i = 0; i < pr->n_xf; i++)
		add_xform(b, &sa->xf[pr->xf_first + i], i + 1 == pr->n_xf);
	if (b->w.err)
		return;
	if (b->w.off - s > UINT16_MAX) {
		b->w.err = true;
		return;
	}
	ike_put_u16(b->w.p + s + 2, (uint16_t)(b->w.off - s));
}

void
ike_mb_add_sa(struct ike_mb *b, const struct ike_pld_sa *sa)
{
	size_t s;

	if (sa->n_prop == 0 || sa->n_prop > IKE_SA_MAX_PROPOSALS ||
	    sa->n_xf > IKE_SA_MAX_TRANSFORMS) {
		ike_mb_fail(b);
		return;
	}
	s = ike_mb_pld_begin(b, IKE_PLD_SA, false);
	for (unsigned int i = 0; i < sa->n_prop; i++)
		add_prop(b, sa, &sa->prop[i], i + 1 == sa->n_prop);
	ike_mb_pld_end(b, s);
}

void
ike_mb_add_ts(struct ike_mb *b, uint8_t pld_type, const struct ike_pld_ts *ts)
{
	size_t s;

	if ((pld_type != IKE_PLD_TSI && pld_type != IKE_PLD_TSR) || ts->n_ts == 0 ||
	    ts->n_ts > IKE_TS_MAX) {
		ike_mb_fail(b);
		return;
	}
	s = ike_mb_pld_begin(b, pld_type, false);
	ike_wr_u8(&b->w, ts->n_ts);
	ike_wr_u8(&b->w, 0);
	ike_wr_u16(&b->w, 0);
	for (unsigned int i = 0; i < ts->n_ts; i++) {
		const struct ike_ts *t = &ts->ts[i];
		size_t alen = t->type == IKE_TS_IPV4_ADDR_RANGE   ? 4
			      : t->type == IKE_TS_IPV6_ADDR_RANGE ? 16
								  : 0;

		if (alen == 0 || t->start_addr == NULL || t->end_addr == NULL) {
			ike_mb_fail(b);
			return;
		}
		ike_wr_u8(&b->w, t->type);
		ike_wr_u8(&b->w, t->ip_proto);
		ike_wr_u16(&b->w, (uint16_t)(8 + 2 * alen));
		ike_wr_u16(&b->w, t->start_port);
		ike_wr_u16(&b->w, t->end_port);
		ike_wr_bytes(&b->w, t->start_addr, alen);
		ike_wr_bytes(&b->w, t->end_addr, alen);
	}
	ike_mb_pld_end(b, s);
}

void
ike_mb_add_cp(struct ike_mb *b, const struct ike_pld_cp *cp)
{
	size_t s;

	if (cp->n_attr > IKE_CP_MAX_ATTRS) {
		ike_mb_fail(b);
		return;
	}
	s = ike_mb_pld_begin(b, IKE_PLD_CP, false);
	ike_wr_u8(&b->w, cp->cfg_type);
	ike_wr_u8(&b->w, 0);
	ike_wr_u16(&b->w, 0);
	for (unsigned int i = 0; i < cp->n_attr; i++) {
		const struct ike_cp_attr *a = &cp->attr[i];

		ike_wr_u16(&b->w, a->type & IKE_CP_ATTR_TYPE_MASK);
		ike_wr_u16(&b->w, a->len);
		ike_mb_put(b, a->value, a->len);
	}
	ike_mb_pld_end(b, s);
}
