/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_sa_init.c - the IKE_SA_INIT exchange from the initiator's side
 * (RFC 7296 1.2):
 *   HDR, SAi1, KEi, Ni, [N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP)]  -->
 *                                         <--  HDR, SAr1, KEr, Nr, [N(NAT_DETECTION_*)]
 * with the two retries a responder can ask for: N(COOKIE) (2.6), sent back
 * as the first payload with everything else unchanged, and
 * N(INVALID_KE_PAYLOAD) (1.2), answered once with the group it names.
 * On success the IKE SA keys are derived (2.14) and IKE_AUTH is built.
 */
#include <stddef.h>
#include <string.h>

#include "ike_init_priv.h"
#include "ike_secret.h"

/* HDR(SPIi, 0), [N(COOKIE),] SAi1, KEi, Ni, [N(NAT_DETECTION_*)]; kept as RealMessage1. */
static enum ike_init_result
build_sa_init(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	struct ike_client_hs *hs = c->hs;
	uint16_t alt[1 + IKE_INIT_MAX_KE_ALT + 1] = {0};
	struct ike_mb b;

	ike_mb_init(&b, out, cap, c->spi_i, 0, IKE_EXCH_IKE_SA_INIT, IKE_HDR_F_INITIATOR, 0);
	if (hs->cookie_len != 0)
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE, hs->cookie,
				  hs->cookie_len);
	/* After INVALID_KE_PAYLOAD the configured group is still offered. */
	alt[0] = c->cfg->ike.ke;
	memcpy(alt + 1, c->cfg->ike_ke_alt, sizeof(c->cfg->ike_ke_alt));
	ike_init_add_sa_ike_init(&b, c->cfg, c->ke_group, alt);
	ike_mb_add_ke(&b, c->ke_group, hs->ke, hs->ke_len);
	ike_mb_add_nonce(&b, c->ni, sizeof(c->ni));
	if (ike_init_natd_add(c, &b) != IKE_INIT_R_DONE)
		return IKE_INIT_R_CRYPTO;
	if (c->cfg->childless)
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_CHILDLESS_IKEV2_SUPPORTED,
				  NULL, 0);
	if (c->cfg->intermediate)
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0,
				  IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
	if (c->cfg->fragmentation)
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED,
				  NULL, 0);
	if (ike_mb_finish(&b, len) != IKE_OK || *len > sizeof(hs->msg1))
		return IKE_INIT_R_NOSPACE;
	memcpy(hs->msg1, out, *len);
	hs->msg1_len = (uint16_t)*len;
	c->state = IKE_INIT_S_SA_INIT_SENT;
	return IKE_INIT_R_SEND_REQUEST;
}

/* A fresh key pair for the current group, its public value in hs->ke. */
static enum ike_init_result
new_kex(struct ike_client *c)
{
	struct ike_client_hs *hs = c->hs;
	size_t ke_len = sizeof(hs->ke);

	if (hs->kex != NULL)
		c->ops->asym->kex_free(c->ops->asym_ctx, hs->kex);
	hs->kex = NULL;
	if (c->ops->asym->kex_new(c->ops->asym_ctx, c->ke_group, &hs->kex, hs->ke, &ke_len) !=
	    IKE_OK)
		return IKE_INIT_R_CRYPTO;
	hs->ke_len = (uint16_t)ke_len;
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_start(struct ike_client *c, struct ike_client_hs *hs, uint8_t *out, size_t cap,
	       size_t *len)
{
	uint8_t spi[IKE_SPI_LEN];
	enum ike_init_result r;

	*len = 0;
	if (c->state != IKE_INIT_S_IDLE || hs == NULL)
		return IKE_INIT_R_BAD_STATE;
	if (c->cfg->fragmentation && c->frag_buf == NULL)
		return IKE_INIT_R_UNSUPPORTED; /* no room to reassemble in */
	memset(hs, 0, offsetof(struct ike_client_hs, ke));
	c->hs = hs;
	r = ike_init_random_nonzero(c->ops, spi, sizeof(spi));
	if (r == IKE_INIT_R_DONE && cry_random(c->ops, c->ni, sizeof(c->ni)) != IKE_OK)
		r = IKE_INIT_R_CRYPTO;
	if (r == IKE_INIT_R_DONE)
		r = new_kex(c);
	if (r != IKE_INIT_R_DONE)
		return ike_init_fail(c, r);
	c->spi_i = ike_get_u64(spi);
	c->msg_id = 0;
	r = build_sa_init(c, out, cap, len);
	return r == IKE_INIT_R_SEND_REQUEST ? r : ike_init_fail(c, r);
}

enum ike_init_result
ike_init_cookie_take(struct ike_client *c, const struct ike_pld_notify *n)
{
	struct ike_client_hs *hs = c->hs;

	if (n->len == 0 || n->len > IKE_INIT_COOKIE_MAX)
		return ike_init_fail(c, IKE_INIT_R_MALFORMED);
	/* A second cookie for the same request means ours was refused. */
	if (hs->cookie_len == n->len && memcmp(hs->cookie, n->data, n->len) == 0)
		return ike_init_fail(c, IKE_INIT_R_COOKIE_REPEAT);
	memcpy(hs->cookie, n->data, n->len);
	hs->cookie_len = (uint8_t)n->len;
	return IKE_INIT_R_DONE;
}

/* HDR(A,0), N(COOKIE): store it and send the same request with it in front. */
static enum ike_init_result
retry_cookie(struct ike_client *c, const struct ike_pld_notify *n, uint8_t *out, size_t cap,
	     size_t *out_len)
{
	enum ike_init_result r = ike_init_cookie_take(c, n);

	return r == IKE_INIT_R_DONE ? build_sa_init(c, out, cap, out_len) : r;
}

/* The group INVALID_KE_PAYLOAD names must be one of our proposal (RFC 7296 1.2). */
static bool
ke_offered(const struct ike_client_cfg *cfg, uint16_t group)
{
	if (group == cfg->ike.ke)
		return true;
	for (unsigned int i = 0; i < IKE_INIT_MAX_KE_ALT && cfg->ike_ke_alt[i] != 0; i++)
		if (cfg->ike_ke_alt[i] == group)
			return true;
	return false;
}

/* HDR(A,0), N(INVALID_KE_PAYLOAD, group): once, and only to a group we can do. */
static enum ike_init_result
retry_ke(struct ike_client *c, const struct ike_pld_notify *n, uint8_t *out, size_t cap,
	 size_t *out_len)
{
	struct ike_transforms t = c->cfg->ike;
	enum ike_init_result r;
	struct ike_suite s;

	if (n->len != 2)
		return ike_init_fail(c, IKE_INIT_R_MALFORMED);
	t.ke = ike_get_u16(n->data);
	if (c->invalid_ke_seen || t.ke == c->ke_group)
		return ike_init_fail(c, IKE_INIT_R_INVALID_KE_REPEAT);
	if (!ke_offered(c->cfg, t.ke))
		return ike_init_fail(c, IKE_INIT_R_PROPOSAL_MISMATCH);
	if (ike_suite_ike(&t, &s) != IKE_OK)
		return ike_init_fail(c, IKE_INIT_R_UNSUPPORTED);
	c->invalid_ke_seen = 1;
	c->ke_group = t.ke;
	c->suite = s;
	r = new_kex(c);
	if (r == IKE_INIT_R_DONE)
		r = build_sa_init(c, out, cap, out_len);
	return r == IKE_INIT_R_SEND_REQUEST ? r : ike_init_fail(c, r);
}

/* HDR(A,B), SAr1, KEr, Nr: SKEYSEED and SK_* (2.14), then IKE_AUTH. */
static enum ike_init_result
accept_sa_init(struct ike_client *c, const struct ike_msg *m, const uint8_t *msg, size_t len,
	       uint8_t *out, size_t cap, size_t *out_len)
{
	struct ike_client_hs *hs = c->hs;
	uint8_t g_ir[CRY_MAX_KEX_SECRET];
	size_t g_ir_len = sizeof(g_ir);
	struct ike_keys_input in;
	struct ike_pld_nonce nr;
	struct ike_pld_ke ke;
	const uint8_t *body;
	enum ike_init_result r;
	size_t blen;
	enum ike_status st;

	if (m->spi_r == 0 || !ike_init_find(m, IKE_PLD_KE, &body, &blen) ||
	    ike_pld_ke_parse(body, blen, &ke) != IKE_PARSE_OK ||
	    !ike_init_find(m, IKE_PLD_NONCE, &body, &blen) ||
	    ike_pld_nonce_parse(body, blen, &nr) != IKE_PARSE_OK)
		return ike_init_fail(c, IKE_INIT_R_MALFORMED);
	r = ike_init_check_sa_ike_init(m, c->cfg, c->ke_group, hs);
	if (r == IKE_INIT_R_DONE && ke.group != c->ke_group)
		r = IKE_INIT_R_PROPOSAL_MISMATCH;
	if (r == IKE_INIT_R_DONE && len > sizeof(hs->msg2))
		r = IKE_INIT_R_NOSPACE;
	/* RFC 6023 3: childless only when the responder announced it too. */
	c->childless = c->cfg->childless &&
		       ike_msg_find_notify(m, IKE_N_CHILDLESS_IKEV2_SUPPORTED) != NULL;
	if (r == IKE_INIT_R_DONE && c->cfg->childless && !c->childless)
		r = IKE_INIT_R_CHILDLESS_UNSUPPORTED;
	/* RFC 9242 3.1; RFC 9370 2.2.1: ADDKE only runs in IKE_INTERMEDIATE. */
	hs->frag_ok = c->cfg->fragmentation &&
		      ike_msg_find_notify(m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	hs->int_ok = c->cfg->intermediate &&
		     ike_msg_find_notify(m, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED) != NULL;
	if (r == IKE_INIT_R_DONE && hs->addke_n != 0 && !hs->int_ok)
		r = IKE_INIT_R_PROPOSAL_MISMATCH;
	if (r != IKE_INIT_R_DONE)
		return ike_init_fail(c, r);
	c->spi_r = m->spi_r;
	memcpy(hs->msg2, msg, len);
	hs->msg2_len = (uint16_t)len;
	memcpy(hs->nr, nr.data, nr.len);
	hs->nr_len = (uint16_t)nr.len;
	r = ike_init_natd_check(c, m);
	if (r != IKE_INIT_R_DONE)
		return ike_init_fail(c, r);
	st = c->ops->asym->kex_derive(c->ops->asym_ctx, hs->kex, ke.data, ke.len, g_ir, &g_ir_len);
	c->ops->asym->kex_free(c->ops->asym_ctx, hs->kex);
	hs->kex = NULL;
	if (st == IKE_OK) {
		ike_init_keys_input(&in, c->spi_i, c->spi_r, c->ni, sizeof(c->ni), hs->nr,
				    hs->nr_len);
		st = ike_keys_derive_ike(c->ops, &c->suite, &in, g_ir, g_ir_len, &c->keys);
	}
	ike_wipe(g_ir, sizeof(g_ir));
	return ike_init_after_sa_init(c, st, out, cap, out_len);
}

enum ike_init_result
ike_init_sa_init_recv(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out, size_t cap,
		      size_t *out_len)
{
	struct ike_pld_notify n;
	const struct ike_pld *p;
	enum ike_init_result r;
	struct ike_msg m;
	unsigned int bad;

	/*
	 * IKE_SA_INIT is not protected: anything malformed or not a response
	 * to our request is dropped and the caller keeps retransmitting.
	 */
	if (ike_msg_parse(msg, len, &m) != IKE_PARSE_OK || ike_msg_validate(&m, &bad) != IKE_PARSE_OK)
		return IKE_INIT_R_MALFORMED;
	if (m.exchange != IKE_EXCH_IKE_SA_INIT || !(m.flags & IKE_HDR_F_RESPONSE) || m.msg_id != 0)
		return IKE_INIT_R_IGNORED;
	p = ike_msg_find_notify(&m, IKE_N_COOKIE);
	if (p != NULL && ike_pld_notify_parse(ike_msg_pld_body(&m, p), p->len, &n) == IKE_PARSE_OK)
		return retry_cookie(c, &n, out, cap, out_len);
	p = ike_msg_find_notify(&m, IKE_N_INVALID_KE_PAYLOAD);
	if (p != NULL && ike_pld_notify_parse(ike_msg_pld_body(&m, p), p->len, &n) == IKE_PARSE_OK)
		return retry_ke(c, &n, out, cap, out_len);
	r = ike_init_error_notify(&m);
	if (r != IKE_INIT_R_DONE)
		return ike_init_fail(c, r);
	return accept_sa_init(c, &m, msg, len, out, cap, out_len);
}
