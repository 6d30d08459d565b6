/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script_resp.c - the scripted responder of the initiator's unit tests:
 * RFC 7296 1.2-1.4 from the responder's side, only as far as the tests
 * need, with switches to make it misbehave.
 */
#include <string.h>

#include "ike_auth.h"
#include "ike_sk.h"
#include "script_resp.h"

static const struct ike_pld *
find(const struct ike_msg *m, uint8_t type)
{
	return ike_msg_find(m, type, 0);
}

static const uint8_t *
body(const struct ike_msg *m, const struct ike_pld *p)
{
	return ike_msg_pld_body(m, p);
}

/* Reads the one proposal's transforms into t. */
static int
read_sa(const struct ike_msg *m, struct ike_pld_sa *sa, struct ike_transforms *t)
{
	const struct ike_pld *p = find(m, IKE_PLD_SA);

	if (p == NULL || ike_pld_sa_parse(body(m, p), p->len, sa) != IKE_PARSE_OK ||
	    sa->n_prop != 1)
		return -1;
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < sa->prop[0].n_xf; i++) {
		const struct ike_xform *x = &ike_prop_xforms(sa, &sa->prop[0])[i];

		switch (x->type) {
		case IKE_TRANSFORM_ENCR:
			t->encr = x->id;
			t->encr_key_bits = x->key_len;
			break;
		case IKE_TRANSFORM_PRF:
			t->prf = x->id;
			break;
		case IKE_TRANSFORM_INTEG:
			t->integ = x->id;
			break;
		case IKE_TRANSFORM_KE:
			if (t->ke == 0)
				t->ke = x->id;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* Keeps only the KE transform of group in the proposal; false if not offered. */
static bool
choose_ke(struct ike_pld_sa *sa, uint16_t group)
{
	struct ike_prop *p = &sa->prop[0];
	unsigned n = 0;
	bool found = false;

	for (unsigned i = 0; i < p->n_xf; i++) {
		struct ike_xform x = sa->xf[p->xf_first + i];

		if (x.type == IKE_TRANSFORM_KE && x.id != group)
			continue;
		found |= x.type == IKE_TRANSFORM_KE;
		sa->xf[p->xf_first + n++] = x;
	}
	p->n_xf = (uint8_t)n;
	return found;
}

static int
finish(struct ike_mb *b, size_t *out_len)
{
	return ike_mb_finish(b, out_len) == IKE_OK ? 0 : -1;
}

static int
notify_only(uint64_t spi_i, uint16_t type, const void *data, size_t dlen, uint8_t *out,
	    size_t cap, size_t *out_len)
{
	struct ike_mb b;

	/* <-- HDR(A,0), N(type) */
	ike_mb_init(&b, out, cap, spi_i, 0, IKE_EXCH_IKE_SA_INIT, IKE_HDR_F_RESPONSE, 0);
	ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, type, data, dlen);
	return finish(&b, out_len);
}

int
sresp_sa_init(struct sresp *r, const uint8_t *req, size_t len, uint8_t *out, size_t cap,
	      size_t *out_len)
{
	uint8_t pub[CRY_MAX_KEX_PUB], g_ir[CRY_MAX_KEX_SECRET], grp[2];
	size_t pub_len = sizeof(pub), g_len = sizeof(g_ir);
	const struct ike_pld *p;
	struct ike_pld_nonce ni;
	struct ike_keys_input in;
	struct ike_pld_ke ke;
	struct ike_pld_sa sa;
	struct cry_kex *kex;
	struct ike_msg m;
	struct ike_mb b;
	unsigned bad;

	if (ike_msg_parse(req, len, &m) != IKE_PARSE_OK || ike_msg_validate(&m, &bad) != 0 ||
	    m.exchange != IKE_EXCH_IKE_SA_INIT || (m.flags & IKE_HDR_F_RESPONSE) || m.spi_r != 0)
		return -1;
	r->spi_i = m.spi_i;
	r->saw_nat_d = ike_msg_find_notify(&m, IKE_N_NAT_DETECTION_SOURCE_IP) != NULL &&
		       ike_msg_find_notify(&m, IKE_N_NAT_DETECTION_DESTINATION_IP) != NULL;
	if (r->send_cookie) {
		struct ike_pld_notify n;
		bool ok = m.n_pld > 0 && m.pld[0].type == IKE_PLD_NOTIFY &&
			  ike_pld_notify_parse(body(&m, &m.pld[0]), m.pld[0].len, &n) == 0 &&
			  n.type == IKE_N_COOKIE && n.len == sizeof(r->cookie) &&
			  memcmp(n.data, r->cookie, n.len) == 0;

		if (!ok) {
			memset(r->cookie, 0xc5, sizeof(r->cookie));
			return notify_only(m.spi_i, IKE_N_COOKIE, r->cookie, sizeof(r->cookie),
					   out, cap, out_len);
		}
	}
	if (r->sa_init_error != 0)
		return notify_only(m.spi_i, r->sa_init_error, NULL, 0, out, cap, out_len);
	if (read_sa(&m, &sa, &r->ike) != 0 || (p = find(&m, IKE_PLD_KE)) == NULL ||
	    ike_pld_ke_parse(body(&m, p), p->len, &ke) != 0 || (p = find(&m, IKE_PLD_NONCE)) == NULL ||
	    ike_pld_nonce_parse(body(&m, p), p->len, &ni) != 0)
		return -1;
	if (r->want_group != 0 && ke.group != r->want_group) {
		ike_put_u16(grp, r->want_group);
		return notify_only(m.spi_i, IKE_N_INVALID_KE_PAYLOAD, grp, 2, out, cap, out_len);
	}
	if (!choose_ke(&sa, ke.group) || ike_suite_ike(&r->ike, &r->suite) != IKE_OK)
		return -1;
	r->ike.ke = ke.group;
	memcpy(r->ni, ni.data, ni.len);
	r->ni_len = ni.len;
	memcpy(r->msg1, req, len);
	r->msg1_len = len;
	r->spi_r = 0x5250495200000001ULL;
	if (cry_random(r->ops, r->nr, sizeof(r->nr)) != IKE_OK ||
	    r->ops->asym->kex_new(r->ops->asym_ctx, ke.group, &kex, pub, &pub_len) != IKE_OK)
		return -1;
	if (r->ops->asym->kex_derive(r->ops->asym_ctx, kex, ke.data, ke.len, g_ir, &g_len) !=
	    IKE_OK) {
		r->ops->asym->kex_free(r->ops->asym_ctx, kex);
		return -1;
	}
	r->ops->asym->kex_free(r->ops->asym_ctx, kex);
	in.ni = r->ni;
	in.ni_len = r->ni_len;
	in.nr = r->nr;
	in.nr_len = sizeof(r->nr);
	ike_put_u64(in.spi_i, r->spi_i);
	ike_put_u64(in.spi_r, r->spi_r);
	if (ike_keys_derive_ike(r->ops, &r->suite, &in, g_ir, g_len, &r->keys) != IKE_OK)
		return -1;
	/* <-- HDR(A,B), SAr1, KEr, Nr */
	if (r->swap_prf != 0)
		for (unsigned i = 0; i < sa.n_xf; i++)
			if (sa.xf[i].type == IKE_TRANSFORM_PRF)
				sa.xf[i].id = r->swap_prf;
	ike_mb_init(&b, out, cap, r->spi_i, r->spi_r, IKE_EXCH_IKE_SA_INIT, IKE_HDR_F_RESPONSE, 0);
	ike_mb_add_sa(&b, &sa);
	ike_mb_add_ke(&b, ke.group, pub, pub_len);
	ike_mb_add_nonce(&b, r->nr, sizeof(r->nr));
	if (finish(&b, out_len) != 0)
		return -1;
	memcpy(r->msg2, out, *out_len);
	r->msg2_len = *out_len;
	return 0;
}

/* Decrypts a request of the initiator and parses its inner payloads. */
static int
open_req(struct sresp *r, uint8_t *req, size_t len, struct ike_msg *m)
{
	size_t po, pl;
	unsigned bad;

	if (ike_msg_parse(req, len, m) != IKE_PARSE_OK || m->sk_type != IKE_PLD_SK ||
	    m->spi_i != r->spi_i || m->spi_r != r->spi_r || (m->flags & IKE_HDR_F_RESPONSE) ||
	    !(m->flags & IKE_HDR_F_INITIATOR))
		return -1;
	if (ike_sk_open(r->ops, &r->keys.init_to_resp, req, len, m->sk_off, &po, &pl) != IKE_OK)
		return -1;
	if (ike_msg_parse_inner(req + po, pl, m->sk_first, m) != IKE_PARSE_OK ||
	    ike_msg_validate(m, &bad) != IKE_PARSE_OK)
		return -1;
	return 0;
}

static void
begin_resp(struct sresp *r, struct ike_mb *b, uint8_t *out, size_t cap, const struct ike_msg *m)
{
	ike_mb_init(b, out, cap, r->spi_i, r->spi_r, m->exchange, IKE_HDR_F_RESPONSE, m->msg_id);
	ike_mb_begin_sk(b, ike_sk_iv_len(&r->keys.resp_to_init));
}

static int
seal_resp(struct sresp *r, struct ike_mb *b, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t so, po, pl;

	if (ike_mb_end_sk(b, &so, &po, &pl) != IKE_OK)
		return -1;
	return ike_sk_seal(r->ops, &r->keys.resp_to_init, out, cap, so, po, pl, out_len) == IKE_OK
		       ? 0
		       : -1;
}

/* AUTH of one side: prf(prf(PSK, pad), RealMsg | Nonce | prf(SK_p, IDbody)). */
static int
auth_of(struct sresp *r, bool initiator, const uint8_t *id_body, size_t id_len, uint8_t *auth)
{
	struct ike_auth_octets_input in = {
		.real_msg = initiator ? r->msg1 : r->msg2,
		.real_msg_len = initiator ? r->msg1_len : r->msg2_len,
		.peer_nonce = initiator ? r->nr : r->ni,
		.peer_nonce_len = initiator ? sizeof(r->nr) : r->ni_len,
		.id = id_body,
		.id_len = id_len,
	};
	uint8_t octets[4096];
	struct ike_psk_key key;
	size_t olen;

	if (ike_auth_octets(r->ops, r->suite.prf, initiator ? r->keys.sk_pi : r->keys.sk_pr,
			    r->keys.prf_len, &in, octets, sizeof(octets), &olen) != IKE_OK ||
	    ike_psk_key_init(r->ops, r->suite.prf, r->psk, r->psk_len, &key) != IKE_OK ||
	    ike_auth_psk(r->ops, &key, octets, olen, auth) != IKE_OK)
		return -1;
	return 0;
}

/* Child SA keys from the nonces of the exchange that made it. */
static int
child_keys(struct sresp *r, const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len)
{
	struct ike_esp_suite esp;
	struct ike_keys_input in = {.ni = ni, .ni_len = ni_len, .nr = nr, .nr_len = nr_len};

	if (ike_suite_esp(&r->esp, &esp) != IKE_OK)
		return -1;
	return ike_keys_derive_child(r->ops, &r->keys, &esp, &in, NULL, 0, &r->child) == IKE_OK
		       ? 0
		       : -1;
}

/* Echoes SA (with our SPI), TSi and TSr of the request into the answer. */
static int
echo_child(struct sresp *r, const struct ike_msg *m, struct ike_mb *b)
{
	struct ike_pld_ts tsi, tsr;
	const struct ike_pld *p;
	static const uint8_t wide[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	struct ike_pld_sa sa;
	uint8_t spi[4];

	if (read_sa(m, &sa, &r->esp) != 0 || sa.prop[0].spi_size != 4)
		return -1;
	r->child_spi_i = ike_get_u32(sa.prop[0].spi);
	r->child_spi_r++;
	ike_put_u32(spi, r->child_spi_r);
	sa.prop[0].spi = spi;
	if ((p = find(m, IKE_PLD_TSI)) == NULL || ike_pld_ts_parse(body(m, p), p->len, &tsi) != 0 ||
	    (p = find(m, IKE_PLD_TSR)) == NULL || ike_pld_ts_parse(body(m, p), p->len, &tsr) != 0)
		return -1;
	if (r->widen_tsr) {
		tsr.ts[0].end_addr = wide;
		tsr.ts[0].end_port = 65535;
	}
	ike_mb_add_sa(b, &sa);
	ike_mb_add_ts(b, IKE_PLD_TSI, &tsi);
	ike_mb_add_ts(b, IKE_PLD_TSR, &tsr);
	return 0;
}

int
sresp_auth(struct sresp *r, uint8_t *req, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t auth[CRY_MAX_PRF_LEN], idr_body[4 + 255], lt[4];
	const struct ike_pld *pi, *pa;
	struct ike_pld_auth a;
	struct ike_pld_id id;
	struct ike_msg m;
	struct ike_mb b;

	if (open_req(r, req, len, &m) != 0 || m.exchange != IKE_EXCH_IKE_AUTH || m.msg_id != 1 ||
	    (pi = find(&m, IKE_PLD_IDI)) == NULL || (pa = find(&m, IKE_PLD_AUTH)) == NULL ||
	    ike_pld_id_parse(body(&m, pi), pi->len, &id) != 0 ||
	    ike_pld_auth_parse(body(&m, pa), pa->len, &a) != 0)
		return -1;
	r->idi_type = id.type;
	memcpy(r->idi, id.data, id.len);
	r->idi_len = id.len;
	r->saw_initial_contact = ike_msg_find_notify(&m, IKE_N_INITIAL_CONTACT) != NULL;
	/* The initiator's AUTH, checked with the responder's own PSK. */
	if (auth_of(r, true, body(&m, pi), pi->len, auth) != 0)
		return -1;
	r->initiator_auth_ok = a.method == IKE_AUTH_PSK && a.len == r->keys.prf_len &&
			       memcmp(a.data, auth, a.len) == 0;
	begin_resp(r, &b, out, cap, &m);
	if (r->auth_error != 0) {
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, r->auth_error, NULL, 0);
		return seal_resp(r, &b, out, cap, out_len);
	}
	/* <-- HDR, SK {IDr, AUTH, SAr2, TSi, TSr, [N(AUTH_LIFETIME)]} */
	idr_body[0] = r->idr_type;
	idr_body[1] = idr_body[2] = idr_body[3] = 0;
	memcpy(idr_body + 4, r->idr, r->idr_len);
	if (auth_of(r, false, idr_body, 4 + (size_t)r->idr_len, auth) != 0)
		return -1;
	ike_mb_add_id(&b, IKE_PLD_IDR, r->idr_type, r->idr, r->idr_len);
	ike_mb_add_auth(&b, IKE_AUTH_PSK, auth, r->keys.prf_len);
	if (echo_child(r, &m, &b) != 0)
		return -1;
	if (r->auth_lifetime != 0) {
		ike_put_u32(lt, r->auth_lifetime);
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_AUTH_LIFETIME, lt, 4);
	}
	if (child_keys(r, r->ni, r->ni_len, r->nr, sizeof(r->nr)) != 0)
		return -1;
	return seal_resp(r, &b, out, cap, out_len);
}

int
sresp_info(struct sresp *r, uint8_t *req, size_t len, uint8_t *out, size_t cap, size_t *out_len,
	   unsigned *n_del)
{
	struct ike_pld_delete d;
	const struct ike_pld *p;
	struct ike_msg m;
	struct ike_mb b;
	uint8_t spi[4];

	if (open_req(r, req, len, &m) != 0 || m.exchange != IKE_EXCH_INFORMATIONAL)
		return -1;
	*n_del = ike_msg_count(&m, IKE_PLD_DELETE);
	begin_resp(r, &b, out, cap, &m);
	p = find(&m, IKE_PLD_DELETE);
	if (p != NULL && ike_pld_delete_parse(body(&m, p), p->len, &d) == 0 &&
	    d.proto == IKE_PROTO_ESP) {
		/* <-- HDR, SK {D(ESP, our SPI of the same Child SA)} */
		ike_put_u32(spi, r->child_spi_r);
		ike_mb_add_delete(&b, IKE_PROTO_ESP, 4, 1, spi);
	}
	return seal_resp(r, &b, out, cap, out_len);
}

int
sresp_new_child(struct sresp *r, uint8_t *req, size_t len, uint8_t *out, size_t cap,
		size_t *out_len)
{
	struct ike_pld_nonce ni;
	const struct ike_pld *p;
	uint8_t nr[32];
	struct ike_msg m;
	struct ike_mb b;

	if (open_req(r, req, len, &m) != 0 || m.exchange != IKE_EXCH_CREATE_CHILD_SA ||
	    (p = find(&m, IKE_PLD_NONCE)) == NULL || ike_pld_nonce_parse(body(&m, p), p->len, &ni) != 0 ||
	    cry_random(r->ops, nr, sizeof(nr)) != IKE_OK)
		return -1;
	/* <-- HDR, SK {SA, Nr, TSi, TSr} */
	begin_resp(r, &b, out, cap, &m);
	if (echo_child(r, &m, &b) != 0)
		return -1;
	ike_mb_add_nonce(&b, nr, sizeof(nr));
	if (child_keys(r, ni.data, ni.len, nr, sizeof(nr)) != 0)
		return -1;
	return seal_resp(r, &b, out, cap, out_len);
}

int
sresp_request(struct sresp *r, uint32_t msg_id, bool del_child, bool del_ike, uint32_t lifetime,
	      uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t spi[4], lt[4];
	struct ike_mb b;

	ike_mb_init(&b, out, cap, r->spi_i, r->spi_r, IKE_EXCH_INFORMATIONAL, 0, msg_id);
	ike_mb_begin_sk(&b, ike_sk_iv_len(&r->keys.resp_to_init));
	if (del_child) {
		ike_put_u32(spi, r->child_spi_r);
		ike_mb_add_delete(&b, IKE_PROTO_ESP, 4, 1, spi);
	}
	if (del_ike)
		ike_mb_add_delete(&b, IKE_PROTO_IKE, 0, 0, NULL);
	if (lifetime != 0) {
		ike_put_u32(lt, lifetime);
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_AUTH_LIFETIME, lt, 4);
	}
	return seal_resp(r, &b, out, cap, out_len);
}

int
sresp_open_answer(struct sresp *r, uint8_t *msg, size_t len, uint32_t msg_id, unsigned *n_del,
		  uint32_t *del_spi)
{
	struct ike_pld_delete d;
	const struct ike_pld *p;
	struct ike_msg m;
	size_t po, pl;
	unsigned bad;

	*del_spi = 0;
	if (ike_msg_parse(msg, len, &m) != IKE_PARSE_OK || m.sk_type != IKE_PLD_SK ||
	    m.msg_id != msg_id || m.flags != (IKE_HDR_F_INITIATOR | IKE_HDR_F_RESPONSE) ||
	    ike_sk_open(r->ops, &r->keys.init_to_resp, msg, len, m.sk_off, &po, &pl) != IKE_OK ||
	    ike_msg_parse_inner(msg + po, pl, m.sk_first, &m) != IKE_PARSE_OK ||
	    ike_msg_validate(&m, &bad) != IKE_PARSE_OK)
		return -1;
	*n_del = ike_msg_count(&m, IKE_PLD_DELETE);
	p = find(&m, IKE_PLD_DELETE);
	if (p != NULL && ike_pld_delete_parse(body(&m, p), p->len, &d) == 0 &&
	    d.proto == IKE_PROTO_ESP && d.n_spi == 1)
		*del_spi = ike_get_u32(d.spis);
	return 0;
}
