/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <openssl/sha.h>

#include "core_ti.h"
#include "ike_sk.h"

void
ti_prop(struct ike_pld_sa *sa, uint8_t num, uint8_t proto, const uint8_t *spi, uint8_t spi_size)
{
	struct ike_prop *p = &sa->prop[sa->n_prop++];

	p->num = num;
	p->proto = proto;
	p->spi = spi;
	p->spi_size = spi_size;
	p->xf_first = sa->n_xf;
	p->n_xf = 0;
}

void
ti_xf(struct ike_pld_sa *sa, uint8_t type, uint16_t id, uint16_t key_bits)
{
	struct ike_xform *x = &sa->xf[sa->n_xf++];

	memset(x, 0, sizeof(*x));
	x->type = type;
	x->id = id;
	x->key_len = key_bits;
	x->has_key_len = key_bits != 0;
	sa->prop[sa->n_prop - 1].n_xf++;
}

void
ti_init(struct ti *t, const struct cry_ops *ops)
{
	uint8_t b[8];

	memset(t, 0, sizeof(*t));
	t->ops = ops;
	cry_random(ops, b, sizeof(b));
	t->spi_i = ike_get_u64(b) | 1;
	cry_random(ops, t->ni, sizeof(t->ni));
	t->me.family = 4;
	t->me.port = 500;
	memcpy(t->me.ip, (uint8_t[]){192, 0, 2, 10}, 4);
	t->peer.family = 4;
	t->peer.port = 500;
	memcpy(t->peer.ip, (uint8_t[]){198, 51, 100, 1}, 4);
}

void
ti_fini(struct ti *t)
{
	if (t->kex != NULL)
		t->ops->asym->kex_free(t->ops->asym_ctx, t->kex);
	t->kex = NULL;
}

void
ti_natd(uint64_t spi_i, uint64_t spi_r, const struct ike_addr *a, uint8_t out[20])
{
	uint8_t buf[34];
	size_t ip_len = a->family == 6 ? 16 : 4;

	ike_put_u64(buf, spi_i);
	ike_put_u64(buf + 8, spi_r);
	memcpy(buf + 16, a->ip, ip_len);
	ike_put_u16(buf + 16 + ip_len, a->port);
	SHA1(buf, 16 + ip_len + 2, out);
}

size_t
ti_sa_init(struct ti *t, uint8_t *buf, size_t cap, const struct ike_pld_sa *sa, uint16_t group,
	   const uint8_t *cookie, size_t cookie_len)
{
	uint8_t natd[20];
	struct ike_mb mb;
	size_t len;

	if (t->kex == NULL || t->group != group) {
		ti_fini(t);
		t->pub_len = sizeof(t->pub);
		if (t->ops->asym->kex_new(t->ops->asym_ctx, group, &t->kex, t->pub, &t->pub_len) !=
		    IKE_OK)
			return 0;
		t->group = group;
	}
	ike_mb_init(&mb, buf, cap, t->spi_i, 0, IKE_EXCH_IKE_SA_INIT, IKE_HDR_F_INITIATOR, 0);
	if (cookie != NULL)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE, cookie, cookie_len);
	ike_mb_add_sa(&mb, sa);
	ike_mb_add_ke(&mb, group, t->pub, t->pub_len);
	ike_mb_add_nonce(&mb, t->ni, sizeof(t->ni));
	ti_natd(t->spi_i, 0, &t->me, natd);
	ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, natd, 20);
	ti_natd(t->spi_i, 0, &t->peer, natd);
	ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, natd,
			  20);
	if (t->intermediate)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0,
				  IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
	ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL,
			  0);
	if (t->sig_hashes_len != 0)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_SIGNATURE_HASH_ALGORITHMS,
				  t->sig_hashes, t->sig_hashes_len);
	if (ike_mb_finish(&mb, &len) != IKE_OK)
		return 0;
	memcpy(t->req, buf, len);
	t->req_len = len;
	return len;
}

/*
 * Keeps the response's SPIr and Nr and the response itself, selects the
 * suite, and fills in the key-derivation input. 0 on success.
 */
static int
take_response(struct ti *t, const uint8_t *resp, size_t len, const struct ike_msg *m,
	      const struct ike_transforms *xf, struct ike_keys_input *in)
{
	const struct ike_pld *p = ike_msg_find(m, IKE_PLD_NONCE, 0);
	struct ike_pld_nonce nr;

	if (p == NULL || len > sizeof(t->resp) ||
	    ike_pld_nonce_parse(ike_msg_pld_body(m, p), p->len, &nr) != IKE_PARSE_OK)
		return -1;
	t->spi_r = m->spi_r;
	memcpy(t->nr, nr.data, nr.len);
	t->nr_len = nr.len;
	memcpy(t->resp, resp, len);
	t->resp_len = len;
	if (ike_suite_ike(xf, &t->suite) != IKE_OK)
		return -1;
	in->ni = t->ni;
	in->ni_len = sizeof(t->ni);
	in->nr = t->nr;
	in->nr_len = t->nr_len;
	ike_put_u64(in->spi_i, t->spi_i);
	ike_put_u64(in->spi_r, t->spi_r);
	return 0;
}

int
ti_sa_init_done(struct ti *t, const uint8_t *resp, size_t len, const struct ike_transforms *xf)
{
	uint8_t g_ir[CRY_MAX_KEX_SECRET];
	size_t g_len = sizeof(g_ir);
	const struct ike_pld *p;
	struct ike_keys_input in;
	struct ike_pld_ke ke;
	struct ike_msg m;

	if (ike_msg_parse(resp, len, &m) != IKE_PARSE_OK)
		return -1;
	p = ike_msg_find(&m, IKE_PLD_KE, 0);
	if (p == NULL || ike_pld_ke_parse(ike_msg_pld_body(&m, p), p->len, &ke) != IKE_PARSE_OK)
		return -1;
	if (t->ops->asym->kex_derive(t->ops->asym_ctx, t->kex, ke.data, ke.len, g_ir, &g_len) !=
	    IKE_OK)
		return -1;
	if (take_response(t, resp, len, &m, xf, &in) != 0)
		return -1;
	if (ike_keys_derive_ike(t->ops, &t->suite, &in, g_ir, g_len, &t->keys) != IKE_OK)
		return -1;
	t->msg_id = 1;
	return 0;
}

void
ti_begin(struct ti *t, struct ike_mb *mb, uint8_t *buf, size_t cap, uint8_t exchange)
{
	ike_mb_init(mb, buf, cap, t->spi_i, t->spi_r, exchange, IKE_HDR_F_INITIATOR, t->msg_id);
	ike_mb_begin_sk(mb, ike_sk_iv_len(&t->keys.init_to_resp));
}

size_t
ti_end(struct ti *t, struct ike_mb *mb)
{
	size_t sk_off, plain_off, plain_len, len;

	if (ike_mb_end_sk(mb, &sk_off, &plain_off, &plain_len) != IKE_OK ||
	    ike_sk_seal(t->ops, &t->keys.init_to_resp, mb->w.p, mb->w.cap, sk_off, plain_off,
			plain_len, &len) != IKE_OK)
		return 0;
	t->msg_id++;
	return len;
}

int
ti_open(struct ti *t, uint8_t *buf, size_t len, struct ike_msg *msg)
{
	size_t plain_off, plain_len;

	if (ike_msg_parse(buf, len, msg) != IKE_PARSE_OK || msg->sk_type != IKE_PLD_SK)
		return -1;
	if (ike_sk_open(t->ops, &t->keys.resp_to_init, buf, len, msg->sk_off, &plain_off,
			&plain_len) != IKE_OK)
		return -1;
	if (ike_msg_parse_inner(buf + plain_off, plain_len, msg->sk_first, msg) != IKE_PARSE_OK)
		return -1;
	return 0;
}

struct ike_auth_octets_input
ti_initiator_auth_input(const struct ti *t, const uint8_t *idb, size_t idb_len)
{
	struct ike_auth_octets_input in = {
		.real_msg = t->req,
		.real_msg_len = t->req_len,
		.peer_nonce = t->nr,
		.peer_nonce_len = t->nr_len,
		.id = idb,
		.id_len = idb_len,
	};

	return in;
}

struct ike_auth_octets_input
ti_responder_auth_input(const struct ti *t, const uint8_t *idb, size_t idb_len)
{
	struct ike_auth_octets_input in = {
		.real_msg = t->resp,
		.real_msg_len = t->resp_len,
		.peer_nonce = t->ni,
		.peer_nonce_len = sizeof(t->ni),
		.id = idb,
		.id_len = idb_len,
	};

	return in;
}

static size_t
psk_mac(struct ti *t, const uint8_t *psk, size_t psk_len, const struct ike_auth_octets_input *in,
	const uint8_t *sk_p, uint8_t *out)
{
	static uint8_t octets[4096];
	struct ike_psk_key key;
	size_t len;

	if (ike_psk_key_init(t->ops, t->suite.prf, psk, psk_len, &key) != IKE_OK ||
	    ike_auth_octets(t->ops, t->suite.prf, sk_p, t->suite.prf_len, in, octets,
			    sizeof(octets), &len) != IKE_OK ||
	    ike_auth_psk(t->ops, &key, octets, len, out) != IKE_OK)
		return 0;
	return t->suite.prf_len;
}

size_t
ti_psk_auth(struct ti *t, const uint8_t *psk, size_t psk_len, const uint8_t *idb, size_t idb_len,
	    uint8_t *out)
{
	struct ike_auth_octets_input in = ti_initiator_auth_input(t, idb, idb_len);

	return psk_mac(t, psk, psk_len, &in, t->keys.sk_pi, out);
}

bool
ti_psk_verify(struct ti *t, const uint8_t *psk, size_t psk_len, const uint8_t *idb,
	      size_t idb_len, const uint8_t *auth, size_t auth_len)
{
	struct ike_auth_octets_input in = ti_responder_auth_input(t, idb, idb_len);
	uint8_t want[CRY_MAX_PRF_LEN];
	size_t n = psk_mac(t, psk, psk_len, &in, t->keys.sk_pr, want);

	return n != 0 && n == auth_len && memcmp(want, auth, n) == 0;
}

size_t
ti_resume(struct ti *t, uint8_t *buf, size_t cap, const uint8_t *ticket, size_t ticket_len,
	  const uint8_t *cookie, size_t cookie_len)
{
	struct ike_mb mb;
	size_t len;

	ike_mb_init(&mb, buf, cap, t->spi_i, 0, IKE_EXCH_IKE_SESSION_RESUME, IKE_HDR_F_INITIATOR,
		    0);
	if (cookie != NULL)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE, cookie, cookie_len);
	ike_mb_add_nonce(&mb, t->ni, sizeof(t->ni));
	ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_OPAQUE, ticket, ticket_len);
	if (ike_mb_finish(&mb, &len) != IKE_OK)
		return 0;
	memcpy(t->req, buf, len);
	t->req_len = len;
	return len;
}

int
ti_resume_done(struct ti *t, const uint8_t *resp, size_t len, const struct ike_transforms *xf,
	       const uint8_t *sk_d_old, size_t sk_d_len)
{
	struct ike_keys_input in;
	struct ike_msg m;

	if (ike_msg_parse(resp, len, &m) != IKE_PARSE_OK ||
	    m.exchange != IKE_EXCH_IKE_SESSION_RESUME || m.spi_r == 0)
		return -1;
	if (take_response(t, resp, len, &m, xf, &in) != 0)
		return -1;
	if (ike_keys_derive_resume(t->ops, &t->suite, sk_d_old, sk_d_len, &in, &t->keys) != IKE_OK)
		return -1;
	t->msg_id = 1;
	return 0;
}

/* prf(SK_px, octets): the PSK form keyed by SK_px itself. */
static size_t
resume_mac(struct ti *t, const struct ike_auth_octets_input *in, const uint8_t *sk_p,
	   bool libreswan, uint8_t *out)
{
	static uint8_t octets[4096];
	size_t len;

	if (libreswan)
		return cry_prf(t->ops, t->suite.prf, sk_p, t->suite.prf_len, in->real_msg,
			       in->real_msg_len, out) == IKE_OK ? t->suite.prf_len : 0;
	if (ike_auth_octets(t->ops, t->suite.prf, sk_p, t->suite.prf_len, in, octets,
			    sizeof(octets), &len) != IKE_OK ||
	    cry_prf(t->ops, t->suite.prf, sk_p, t->suite.prf_len, octets, len, out) != IKE_OK)
		return 0;
	return t->suite.prf_len;
}

size_t
ti_resume_auth(struct ti *t, const uint8_t *idb, size_t idb_len, bool libreswan, uint8_t *out)
{
	struct ike_auth_octets_input in = ti_initiator_auth_input(t, idb, idb_len);

	return resume_mac(t, &in, t->keys.sk_pi, libreswan, out);
}

bool
ti_resume_verify(struct ti *t, const uint8_t *idb, size_t idb_len, bool libreswan,
		 const uint8_t *auth, size_t auth_len)
{
	struct ike_auth_octets_input in = ti_responder_auth_input(t, idb, idb_len);
	uint8_t want[CRY_MAX_PRF_LEN];
	size_t n = resume_mac(t, &in, t->keys.sk_pr, libreswan, want);

	return n != 0 && n == auth_len && memcmp(want, auth, n) == 0;
}
