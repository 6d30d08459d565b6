/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_proposal.c - the initiator's one proposal (RFC 7296 3.3) and
 * traffic selectors (3.13), and the checks on what the responder chose:
 * it must pick our proposal with exactly our transforms (2.7) and may only
 * narrow our selectors, never widen them (2.9).
 */
#include <stddef.h>
#include <string.h>

#include "ike_init_priv.h"

#define MAX_OFFER (4 + 2 + IKE_INIT_MAX_KE_ALT)	/* ENCR, PRF, INTEG, ESN (2), KE groups */
/* And RFC 9370 ADDKE1..7, each with NONE beside it when optional. */
#define MAX_OFFER_ADDKE (MAX_OFFER + 2 * IKE_INIT_ADDKE_MAX)

/*
 * Our transforms for proto, in the order we send them: KE group ke first,
 * then the other groups of alt (0-terminated, may be NULL) we also accept.
 */
static unsigned int
offer(uint8_t proto, const struct ike_transforms *t, uint16_t ke, const uint16_t *alt,
      uint8_t esn, struct ike_xform *xf)
{
	unsigned int n = 0;

	memset(xf, 0, MAX_OFFER * sizeof(*xf));
	xf[n].type = IKE_TRANSFORM_ENCR;
	xf[n].id = t->encr;
	xf[n].key_len = t->encr_key_bits;
	xf[n++].has_key_len = t->encr_key_bits != 0;
	if (proto == IKE_PROTO_IKE) {
		xf[n].type = IKE_TRANSFORM_PRF;
		xf[n++].id = t->prf;
	}
	if (t->integ != IKE_INTEG_NONE) {
		xf[n].type = IKE_TRANSFORM_INTEG;
		xf[n++].id = t->integ;
	}
	if (ke != IKE_KE_NONE) {
		xf[n].type = IKE_TRANSFORM_KE;
		xf[n++].id = ke;
	}
	for (unsigned int i = 0; alt != NULL && i < IKE_INIT_MAX_KE_ALT && alt[i] != 0; i++) {
		if (alt[i] == ke)
			continue;
		xf[n].type = IKE_TRANSFORM_KE;
		xf[n++].id = alt[i];
	}
	if (proto == IKE_PROTO_ESP && esn != IKE_INIT_ESN_YES) {
		xf[n].type = IKE_TRANSFORM_ESN;
		xf[n++].id = IKE_ESN_NO;
	}
	if (proto == IKE_PROTO_ESP && esn != IKE_INIT_ESN_NO) {
		xf[n].type = IKE_TRANSFORM_ESN;
		xf[n++].id = IKE_ESN_YES;
	}
	return n;
}

/* The ADDKE transforms of ak (NONE beside each when optional) after the n transforms of xf. */
static unsigned int
offer_addke(const struct ike_init_addke *ak, struct ike_xform *xf, unsigned int n)
{
	for (unsigned int a = 0; ak != NULL && a < IKE_INIT_ADDKE_MAX; a++) {
		if (ak->list[a] == IKE_KE_NONE)
			continue;
		memset(&xf[n], 0, sizeof(xf[n]));
		xf[n].type = (uint8_t)(IKE_TRANSFORM_ADDKE1 + a);
		xf[n++].id = ak->list[a];
		if (ak->optional) {
			memset(&xf[n], 0, sizeof(xf[n]));
			xf[n].type = (uint8_t)(IKE_TRANSFORM_ADDKE1 + a);
			xf[n++].id = IKE_KE_NONE;
		}
	}
	return n;
}

static void
add_sa(struct ike_mb *b, uint8_t proto, const struct ike_transforms *t, uint16_t ke,
       const uint16_t *alt, uint8_t esn, const struct ike_init_addke *ak, const uint8_t *spi,
       uint8_t spi_size)
{
	struct ike_pld_sa sa;

	memset(&sa, 0, offsetof(struct ike_pld_sa, xf));
	sa.n_prop = 1;
	sa.n_xf = (uint8_t)offer(proto, t, ke, alt, esn, sa.xf);
	sa.n_xf = (uint8_t)offer_addke(ak, sa.xf, sa.n_xf);
	sa.prop[0].num = 1;
	sa.prop[0].proto = proto;
	sa.prop[0].spi_size = spi_size;
	sa.prop[0].spi = spi;
	sa.prop[0].n_xf = sa.n_xf;
	ike_mb_add_sa(b, &sa);
}

void
ike_init_add_sa_ike(struct ike_mb *b, const struct ike_transforms *t, uint16_t ke,
		    const uint16_t *alt, const struct ike_init_addke *ak, const uint8_t *spi,
		    uint8_t spi_size)
{
	add_sa(b, IKE_PROTO_IKE, t, ke, alt, IKE_INIT_ESN_NO, ak, spi, spi_size);
}

void
ike_init_add_sa_ike_init(struct ike_mb *b, const struct ike_client_cfg *cfg, uint16_t ke,
			 const uint16_t *alt)
{
	struct ike_init_addke ak = {.list = cfg->addke, .optional = cfg->addke_optional};

	add_sa(b, IKE_PROTO_IKE, &cfg->ike, ke, alt, IKE_INIT_ESN_NO, &ak, NULL, 0);
}

/*
 * RFC 9370 2.2.1, 2.2.4: the responder's ADDKE transforms, each one we
 * offered (an ADDKE type left out means NONE, only when we offered NONE);
 * the methods it chose, NONE left out, to ak->chosen.
 */
static enum ike_init_result
check_addke(struct ike_init_addke *ak, const struct ike_xform *got, unsigned int n,
	    unsigned int *n_addke)
{
	uint16_t chosen[IKE_INIT_ADDKE_MAX] = {0};
	bool seen[IKE_INIT_ADDKE_MAX] = {false};

	*n_addke = 0;
	for (unsigned int j = 0; j < n; j++) {
		unsigned int a;

		if (got[j].type < IKE_TRANSFORM_ADDKE1 || got[j].type > IKE_TRANSFORM_ADDKE7)
			continue;
		a = got[j].type - IKE_TRANSFORM_ADDKE1;
		if (seen[a] || ak->list[a] == IKE_KE_NONE ||
		    (got[j].id != ak->list[a] && !(got[j].id == IKE_KE_NONE && ak->optional)))
			return IKE_INIT_R_PROPOSAL_MISMATCH;
		seen[a] = true;
		chosen[a] = got[j].id;
		(*n_addke)++;
	}
	ak->n = 0;
	for (unsigned int a = 0; a < IKE_INIT_ADDKE_MAX; a++) {
		if (ak->list[a] != IKE_KE_NONE && !seen[a] && !ak->optional)
			return IKE_INIT_R_PROPOSAL_MISMATCH;
		if (chosen[a] != IKE_KE_NONE)
			ak->chosen[ak->n++] = chosen[a];
	}
	return IKE_INIT_R_DONE;
}

void
ike_init_add_sa_esp(struct ike_mb *b, const struct ike_client_cfg *cfg, uint16_t ke, uint32_t spi,
		    const struct ike_init_addke *ak)
{
	uint8_t s[IKE_CHILD_SPI_LEN];

	ike_put_u32(s, spi);
	add_sa(b, IKE_PROTO_ESP, &cfg->esp, ke, NULL, cfg->esp_esn, ak, s, sizeof(s));
}

static bool
xform_eq(const struct ike_xform *a, const struct ike_xform *b)
{
	return a->type == b->type && a->id == b->id && a->has_key_len == b->has_key_len &&
	       (!a->has_key_len || a->key_len == b->key_len) && !b->unknown_attr;
}

/*
 * The checks of ike_init_check_sa(), ADDKE transforms set apart for ak
 * (may be NULL); esn: what an ESP proposal offered, the choice to *esn_id.
 */
static enum ike_init_result
check_sa(const struct ike_msg *m, uint8_t proto, const struct ike_transforms *t, uint16_t ke,
	 uint8_t esn, uint8_t spi_size, uint8_t *spi, struct ike_init_addke *ak, uint16_t *esn_id)
{
	struct ike_xform want[MAX_OFFER];
	const struct ike_xform *got;
	const struct ike_prop *p;
	struct ike_pld_sa sa;
	const uint8_t *body;
	unsigned int n_want, n_addke = 0;
	uint32_t seen = 0;
	size_t len;

	if (!ike_init_find(m, IKE_PLD_SA, &body, &len) ||
	    ike_pld_sa_parse(body, len, &sa) != IKE_PARSE_OK)
		return IKE_INIT_R_MALFORMED;
	p = &sa.prop[0];
	got = ike_prop_xforms(&sa, p);
	n_want = offer(proto, t, ke, NULL, esn, want);
	if (proto == IKE_PROTO_ESP && esn == IKE_INIT_ESN_EITHER)
		n_want--; /* one of the two comes back */
	if (ak != NULL && check_addke(ak, got, p->n_xf, &n_addke) != IKE_INIT_R_DONE)
		return IKE_INIT_R_PROPOSAL_MISMATCH;
	/*
	 * RFC 7296 3.3.6: one proposal, ours, with one transform of each type
	 * we sent, each one we offered; the KE group is the one of our KE payload.
	 */
	if (sa.n_prop != 1 || p->num != 1 || p->proto != proto || p->spi_size != spi_size ||
	    p->n_xf != n_want + n_addke)
		return IKE_INIT_R_PROPOSAL_MISMATCH;
	for (unsigned int j = 0; j < p->n_xf; j++) {
		bool ok = false;

		if (got[j].type > IKE_TRANSFORM_MAX || (seen & (1u << got[j].type)))
			return IKE_INIT_R_PROPOSAL_MISMATCH;
		seen |= 1u << got[j].type;
		if (ak != NULL && got[j].type >= IKE_TRANSFORM_ADDKE1 &&
		    got[j].type <= IKE_TRANSFORM_ADDKE7)
			continue; /* checked above */
		for (unsigned int i = 0; i < MAX_OFFER; i++)
			ok |= want[i].type != 0 && xform_eq(&want[i], &got[j]);
		if (!ok)
			return IKE_INIT_R_PROPOSAL_MISMATCH;
		if (got[j].type == IKE_TRANSFORM_ESN && esn_id != NULL)
			*esn_id = got[j].id;
	}
	if (spi_size != 0)
		memcpy(spi, p->spi, spi_size);
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_check_sa(const struct ike_msg *m, uint8_t proto, const struct ike_transforms *t,
		  uint16_t ke, uint8_t spi_size, uint8_t *spi)
{
	return check_sa(m, proto, t, ke, IKE_INIT_ESN_NO, spi_size, spi, NULL, NULL);
}

enum ike_init_result
ike_init_check_sa_esp(const struct ike_msg *m, const struct ike_client_cfg *cfg, uint16_t ke,
		      uint8_t *spi, struct ike_init_child *child, struct ike_init_addke *ak)
{
	uint16_t esn = IKE_ESN_NO;
	enum ike_init_result r;

	r = check_sa(m, IKE_PROTO_ESP, &cfg->esp, ke, cfg->esp_esn, IKE_CHILD_SPI_LEN, spi, ak,
		     &esn);
	child->esn = esn == IKE_ESN_YES;
	return r;
}

enum ike_init_result
ike_init_check_sa_ike_init(const struct ike_msg *m, const struct ike_client_cfg *cfg, uint16_t ke,
			   struct ike_client_hs *hs)
{
	struct ike_init_addke ak = {.list = cfg->addke, .optional = cfg->addke_optional};
	enum ike_init_result r;

	r = check_sa(m, IKE_PROTO_IKE, &cfg->ike, ke, IKE_INIT_ESN_NO, 0, NULL, &ak, NULL);
	hs->addke_n = ak.n;
	memcpy(hs->addke, ak.chosen, sizeof(hs->addke));
	return r;
}

enum ike_init_result
ike_init_check_sa_ike_rekey(const struct ike_msg *m, const struct ike_client_cfg *cfg,
			    uint16_t ke, uint8_t *spi, struct ike_init_addke *ak)
{
	return check_sa(m, IKE_PROTO_IKE, &cfg->ike, ke, IKE_INIT_ESN_NO, IKE_SPI_LEN, spi, ak,
			NULL);
}

static void
ts_one(const struct ike_init_ts *in, struct ike_ts *out)
{
	out->type = in->type;
	out->ip_proto = in->ip_proto;
	out->start_port = in->start_port;
	out->end_port = in->end_port;
	out->start_addr = in->start;
	out->end_addr = in->end;
}

/* in, and in2 after it unless NULL or of type 0. */
static void
ts_to_wire(const struct ike_init_ts *in, const struct ike_init_ts *in2, struct ike_pld_ts *out)
{
	memset(out, 0, sizeof(*out));
	out->n_ts = 1;
	ts_one(in, &out->ts[0]);
	if (in2 != NULL && in2->type != 0)
		ts_one(in2, &out->ts[out->n_ts++]);
}

void
ike_init_add_ts(struct ike_mb *b, const struct ike_client_cfg *cfg)
{
	struct ike_pld_ts ts;

	ts_to_wire(&cfg->tsi, &cfg->tsi2, &ts);
	ike_mb_add_ts(b, IKE_PLD_TSI, &ts);
	ts_to_wire(&cfg->tsr, NULL, &ts);
	ike_mb_add_ts(b, IKE_PLD_TSR, &ts);
}

static bool
ts_inside(const struct ike_ts *t, const struct ike_init_ts *asked)
{
	size_t al = t->addr_len;

	return asked != NULL && t->type == asked->type && al != 0 &&
	       (asked->ip_proto == 0 || t->ip_proto == asked->ip_proto) &&
	       t->start_port >= asked->start_port && t->end_port <= asked->end_port &&
	       memcmp(t->start_addr, asked->start, al) >= 0 &&
	       memcmp(t->end_addr, asked->end, al) <= 0;
}

static void
ts_got(const struct ike_ts *t, struct ike_init_ts *got)
{
	memset(got, 0, sizeof(*got));
	got->type = t->type;
	got->ip_proto = t->ip_proto;
	got->start_port = t->start_port;
	got->end_port = t->end_port;
	memcpy(got->start, t->start_addr, t->addr_len);
	memcpy(got->end, t->end_addr, t->addr_len);
}

/*
 * Every selector of the payload inside asked or asked2 (NULL: none); the
 * first one is kept in got, with got2 the first of another type (family).
 */
static enum ike_init_result
check_ts(const struct ike_msg *m, uint8_t type, const struct ike_init_ts *asked,
	 const struct ike_init_ts *asked2, struct ike_init_ts *got, struct ike_init_ts *got2)
{
	struct ike_pld_ts ts;
	const uint8_t *body;
	size_t len;

	if (!ike_init_find(m, type, &body, &len) || ike_pld_ts_parse(body, len, &ts) != IKE_PARSE_OK)
		return IKE_INIT_R_MALFORMED;
	for (unsigned int i = 0; i < ts.n_ts; i++)
		if (!ts_inside(&ts.ts[i], asked) && !ts_inside(&ts.ts[i], asked2))
			return IKE_INIT_R_TS_NOT_NARROWED;
	ts_got(&ts.ts[0], got);
	if (got2 == NULL)
		return IKE_INIT_R_DONE;
	memset(got2, 0, sizeof(*got2));
	for (unsigned int i = 1; i < ts.n_ts; i++) {
		if (ts.ts[i].type != got->type) {
			ts_got(&ts.ts[i], got2);
			break;
		}
	}
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_check_ts(const struct ike_msg *m, const struct ike_client_cfg *cfg,
		  struct ike_init_child *child)
{
	const struct ike_init_ts *tsi2 = cfg->tsi2.type != 0 ? &cfg->tsi2 : NULL;
	enum ike_init_result r =
		check_ts(m, IKE_PLD_TSI, &cfg->tsi, tsi2, &child->tsi, &child->tsi2);

	return r != IKE_INIT_R_DONE ? r
				    : check_ts(m, IKE_PLD_TSR, &cfg->tsr, NULL, &child->tsr, NULL);
}
