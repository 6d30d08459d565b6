/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_child.c - CREATE_CHILD_SA from the initiator's side (RFC 7296 1.3):
 *   new Child SA    HDR, SK {SA, Ni, [KEi,] TSi, TSr}               (1.3.1)
 *   Child rekey     HDR, SK {N(REKEY_SA), SA, Ni, [KEi,] TSi, TSr}  (1.3.3)
 *   IKE SA rekey    HDR, SK {SA, Ni, KEi}                           (1.3.2)
 * After a rekey the initiator of the rekey deletes the old SA (2.8, 2.18);
 * the DELETE is built into out right away. With ike_init_set_followup(),
 * the proposals carry RFC 9370 ADDKE transforms and an answer that chose
 * some goes on with IKE_FOLLOWUP_KE (ike_init_followup.c) before the new
 * SA is made.
 */
#include <string.h>

#include "ike_init_priv.h"
#include "ike_secret.h"

/* Fresh Ni, and a key pair when group is not NONE (public value into pub). */
static enum ike_init_result
fresh_ni_ke(struct ike_client *c, uint16_t group, uint8_t *pub, size_t *pub_len)
{
	if (cry_random(c->ops, c->ni, sizeof(c->ni)) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	if (group == IKE_KE_NONE) {
		*pub_len = 0;
		return IKE_INIT_R_DONE;
	}
	if (c->ops->asym->kex_new(c->ops->asym_ctx, group, &c->kex, pub, pub_len) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	return IKE_INIT_R_DONE;
}

static void
drop_kex(struct ike_client *c)
{
	if (c->kex != NULL)
		c->ops->asym->kex_free(c->ops->asym_ctx, c->kex);
	c->kex = NULL;
}

/* RFC 9370 2.2.4: the ADDKE methods of list, offered only by a client with follow-up state. */
static struct ike_init_addke *
offer_addke(const struct ike_client *c, const uint16_t *list, struct ike_init_addke *ak)
{
	memset(ak, 0, sizeof(*ak));
	ak->list = list;
	ak->optional = c->cfg->addke_optional;
	return c->fu != NULL ? ak : NULL;
}

static enum ike_init_result
child_request(struct ike_client *c, enum ike_init_req req, uint8_t *out, size_t cap, size_t *len)
{
	const struct ike_client_cfg *cfg = c->cfg;
	struct ike_init_addke ak;
	uint8_t pub[CRY_MAX_KEX_PUB], spi[IKE_CHILD_SPI_LEN];
	size_t pub_len = sizeof(pub);
	enum ike_init_result r;
	struct ike_mb b;

	*len = 0;
	if (c->state != IKE_INIT_S_ESTABLISHED ||
	    (req == IKE_INIT_REQ_REKEY_CHILD && !c->has_child))
		return IKE_INIT_R_BAD_STATE;
	r = ike_init_new_child_spi(c, &c->pending_spi);
	if (r == IKE_INIT_R_DONE)
		r = fresh_ni_ke(c, cfg->esp.ke, pub, &pub_len);
	if (r != IKE_INIT_R_DONE)
		return r;
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_CREATE_CHILD_SA, IKE_HDR_F_INITIATOR,
			  c->msg_id);
	if (req == IKE_INIT_REQ_REKEY_CHILD) {
		/* The SPI we expect in inbound ESP of the SA being rekeyed (1.3.3). */
		ike_put_u32(spi, c->child.spi_in);
		ike_mb_add_notify(&b, IKE_PROTO_ESP, spi, sizeof(spi), IKE_N_REKEY_SA, NULL, 0);
	}
	ike_init_add_sa_esp(&b, cfg, cfg->esp.ke, c->pending_spi, offer_addke(c, cfg->esp_addke, &ak));
	ike_mb_add_nonce(&b, c->ni, sizeof(c->ni));
	if (cfg->esp.ke != IKE_KE_NONE)
		ike_mb_add_ke(&b, cfg->esp.ke, pub, pub_len);
	ike_init_add_ts(&b, cfg);
	r = ike_init_sk_finish(c, &b, out, cap, len);
	if (r != IKE_INIT_R_SEND_REQUEST) {
		drop_kex(c);
		return r;
	}
	c->req = (uint8_t)req;
	c->state = IKE_INIT_S_REQ_SENT;
	return r;
}

enum ike_init_result
ike_init_req_new_child(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	return child_request(c, IKE_INIT_REQ_NEW_CHILD, out, cap, len);
}

enum ike_init_result
ike_init_req_rekey_child(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	return child_request(c, IKE_INIT_REQ_REKEY_CHILD, out, cap, len);
}

enum ike_init_result
ike_init_req_rekey_ike(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t pub[CRY_MAX_KEX_PUB], spi[IKE_SPI_LEN];
	size_t pub_len = sizeof(pub);
	struct ike_init_addke ak;
	enum ike_init_result r;
	struct ike_mb b;

	*len = 0;
	if (c->state != IKE_INIT_S_ESTABLISHED)
		return IKE_INIT_R_BAD_STATE;
	r = ike_init_random_nonzero(c->ops, spi, sizeof(spi));
	if (r == IKE_INIT_R_DONE)
		r = fresh_ni_ke(c, c->ke_group, pub, &pub_len);
	if (r != IKE_INIT_R_DONE)
		return r;
	c->new_spi_i = ike_get_u64(spi);
	/* HDR, SK {SA(IKE, new SPIi), Ni, KEi} */
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_CREATE_CHILD_SA, IKE_HDR_F_INITIATOR,
			  c->msg_id);
	ike_init_add_sa_ike(&b, &c->cfg->ike, c->ke_group, NULL, offer_addke(c, c->cfg->addke, &ak),
			    spi, sizeof(spi));
	ike_mb_add_nonce(&b, c->ni, sizeof(c->ni));
	ike_mb_add_ke(&b, c->ke_group, pub, pub_len);
	r = ike_init_sk_finish(c, &b, out, cap, len);
	if (r != IKE_INIT_R_SEND_REQUEST) {
		drop_kex(c);
		return r;
	}
	c->req = IKE_INIT_REQ_REKEY_IKE;
	c->state = IKE_INIT_S_REQ_SENT;
	return r;
}

/* g^ir from the responder's KEr of group (when we sent a KEi). */
static enum ike_init_result
derive_g_ir(struct ike_client *c, const struct ike_msg *m, uint16_t group, uint8_t *g_ir,
	    size_t *g_ir_len)
{
	struct ike_pld_ke ke;
	const uint8_t *body;
	size_t len;
	enum ike_status st;

	if (group == IKE_KE_NONE) {
		*g_ir_len = 0;
		return IKE_INIT_R_DONE;
	}
	if (!ike_init_find(m, IKE_PLD_KE, &body, &len) ||
	    ike_pld_ke_parse(body, len, &ke) != IKE_PARSE_OK)
		return IKE_INIT_R_MALFORMED;
	if (ke.group != group)
		return IKE_INIT_R_PROPOSAL_MISMATCH;
	st = c->ops->asym->kex_derive(c->ops->asym_ctx, c->kex, ke.data, ke.len, g_ir, g_ir_len);
	if (st != IKE_OK)
		return st == IKE_E_MALFORMED ? IKE_INIT_R_MALFORMED : IKE_INIT_R_CRYPTO;
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_rekey_ike_commit(struct ike_client *c, const uint8_t *spi_r, const uint8_t *nr,
			  size_t nr_len, const uint8_t *sk0, size_t sk0_len, const uint8_t *more,
			  size_t more_len, uint8_t *out, size_t cap, size_t *out_len)
{
	struct ike_keys_input in;
	struct ike_sa_keys keys;
	enum ike_init_result r;
	struct ike_mb b;

	ike_init_keys_input(&in, c->new_spi_i, ike_get_u64(spi_r), c->ni, sizeof(c->ni), nr,
			    nr_len);
	if (ike_keys_derive_rekey_addke(c->ops, &c->keys, &c->suite, &in, sk0, sk0_len, more,
					more_len, &keys) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	c->msg_id++;
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_INFORMATIONAL, IKE_HDR_F_INITIATOR, c->msg_id);
	ike_mb_add_delete(&b, IKE_PROTO_IKE, 0, 0, NULL);
	r = ike_init_sk_finish(c, &b, out, cap, out_len);
	/* The new SA starts with Message ID 0 in both directions (2.18). */
	c->keys = keys;
	ike_sa_keys_wipe(&keys);
	c->spi_i = c->new_spi_i;
	c->spi_r = ike_get_u64(spi_r);
	c->new_spi_i = 0;
	c->msg_id = 0;
	c->peer_msg_id = 0;
	/* RFC 5723 9.8: a ticket names the SA it came from; the rekey revoked it. */
	ike_init_ticket_drop(c);
	return r;
}

/*
 * <-- HDR, SK {SA(IKE, SPIr'), Nr, KEr, [N(ADDITIONAL_KEY_EXCHANGE)]}: new
 * keys from the old SK_d (2.18); the old IKE SA is then deleted with
 * HDR, SK {D(IKE)} under its own keys. That DELETE's answer comes on the old
 * SA and is not waited for.
 */
static enum ike_init_result
rekey_ike_done(struct ike_client *c, const struct ike_msg *m, const struct ike_pld_nonce *nr,
	       uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t g_ir[CRY_MAX_KEX_SECRET], spi_r[IKE_SPI_LEN];
	size_t g_ir_len = sizeof(g_ir);
	struct ike_init_addke ak;
	enum ike_init_result r;

	r = ike_init_check_sa_ike_rekey(m, c->cfg, c->ke_group, spi_r,
					offer_addke(c, c->cfg->addke, &ak));
	if (r == IKE_INIT_R_DONE)
		r = derive_g_ir(c, m, c->ke_group, g_ir, &g_ir_len);
	if (r == IKE_INIT_R_DONE && ak.n != 0)
		r = ike_init_followup_begin(c, m, nr, &ak, spi_r, NULL, g_ir, g_ir_len, out, cap,
					    out_len);
	else if (r == IKE_INIT_R_DONE)
		r = ike_init_rekey_ike_commit(c, spi_r, nr->data, nr->len, g_ir, g_ir_len, NULL, 0,
					      out, cap, out_len);
	ike_wipe(g_ir, sizeof(g_ir));
	return r;
}

enum ike_init_result
ike_init_child_commit(struct ike_client *c, struct ike_init_child *child, const uint8_t *nr,
		      size_t nr_len, const uint8_t *sk0, size_t sk0_len, const uint8_t *more,
		      size_t more_len, uint8_t *out, size_t cap, size_t *out_len)
{
	struct ike_esp_suite esp;
	struct ike_keys_input in;
	enum ike_init_result r;
	uint32_t old_spi;

	r = ike_init_esp_suite(c, sk0_len != 0, &esp);
	if (r != IKE_INIT_R_DONE)
		return r;
	ike_init_keys_input(&in, c->spi_i, c->spi_r, c->ni, sizeof(c->ni), nr, nr_len);
	if (ike_keys_derive_child_addke(c->ops, &c->keys, &esp, &in, sk0_len != 0 ? sk0 : NULL,
					sk0_len, more, more_len, &child->keys) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	old_spi = c->child.spi_in;
	ike_child_keys_wipe(&c->child.keys);
	c->child = *child;
	c->has_child = 1;
	ike_child_keys_wipe(&child->keys);
	c->msg_id++;
	if (c->req != IKE_INIT_REQ_REKEY_CHILD)
		return IKE_INIT_R_DONE;
	/* --> HDR, SK {D(ESP, old SPI)}: the rekeyed Child SA goes (2.8). */
	c->state = IKE_INIT_S_ESTABLISHED;
	return ike_init_build_delete_child(c, old_spi, out, cap, out_len);
}

/*
 * <-- HDR, SK {SA, Nr, [KEr,] [N(ADDITIONAL_KEY_EXCHANGE),] TSi, TSr}:
 * KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) (2.17).
 */
static enum ike_init_result
child_done(struct ike_client *c, const struct ike_msg *m, const struct ike_pld_nonce *nr,
	   uint8_t *out, size_t cap, size_t *out_len)
{
	struct ike_init_child child = {.spi_in = c->pending_spi};
	uint8_t g_ir[CRY_MAX_KEX_SECRET], spi[IKE_CHILD_SPI_LEN];
	size_t g_ir_len = sizeof(g_ir);
	uint16_t ke = c->cfg->esp.ke;
	struct ike_init_addke ak;
	enum ike_init_result r;

	r = ike_init_check_sa_esp(m, c->cfg, ke, spi, &child, offer_addke(c, c->cfg->esp_addke, &ak));
	if (r == IKE_INIT_R_DONE)
		r = ike_init_check_ts(m, c->cfg, &child);
	if (r == IKE_INIT_R_DONE)
		r = derive_g_ir(c, m, ke, g_ir, &g_ir_len);
	child.spi_out = ike_get_u32(spi);
	if (r == IKE_INIT_R_DONE && ak.n != 0)
		r = ike_init_followup_begin(c, m, nr, &ak, NULL, &child, g_ir, g_ir_len, out, cap,
					    out_len);
	else if (r == IKE_INIT_R_DONE)
		r = ike_init_child_commit(c, &child, nr->data, nr->len, g_ir, g_ir_len, NULL, 0, out,
					  cap, out_len);
	ike_wipe(g_ir, sizeof(g_ir));
	return r;
}

enum ike_init_result
ike_init_child_settle(struct ike_client *c, enum ike_init_result r, uint32_t msg_id)
{
	if (r == IKE_INIT_R_SEND_REQUEST && c->req == IKE_INIT_REQ_FOLLOWUP_KE)
		return r; /* an IKE_FOLLOWUP_KE request is outstanding */
	if (r == IKE_INIT_R_SEND_REQUEST || r == IKE_INIT_R_DONE) {
		if (c->req != IKE_INIT_REQ_DELETE_CHILD) {
			c->req = IKE_INIT_REQ_NONE;
			c->state = IKE_INIT_S_ESTABLISHED;
		}
		return r;
	}
	/* The exchange failed (error notify or a bad answer); the IKE SA stays. */
	if (c->msg_id == msg_id)
		c->msg_id++;
	c->req = IKE_INIT_REQ_NONE;
	c->state = IKE_INIT_S_ESTABLISHED;
	return r;
}

enum ike_init_result
ike_init_child_recv(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out, size_t cap,
		    size_t *out_len)
{
	struct ike_pld_nonce nr;
	enum ike_init_result r;
	const uint8_t *body;
	struct ike_msg m;
	size_t blen;

	r = ike_init_sk_open(c, msg, len, &m);
	if (r != IKE_INIT_R_DONE)
		return r;
	if (m.exchange != IKE_EXCH_CREATE_CHILD_SA)
		return IKE_INIT_R_IGNORED;
	r = ike_init_error_notify(&m);
	if (r == IKE_INIT_R_DONE && (!ike_init_find(&m, IKE_PLD_NONCE, &body, &blen) ||
				     ike_pld_nonce_parse(body, blen, &nr) != IKE_PARSE_OK))
		r = IKE_INIT_R_MALFORMED;
	if (r == IKE_INIT_R_DONE) {
		if (c->req == IKE_INIT_REQ_REKEY_IKE)
			r = rekey_ike_done(c, &m, &nr, out, cap, out_len);
		else
			r = child_done(c, &m, &nr, out, cap, out_len);
	}
	drop_kex(c);
	return ike_init_child_settle(c, r, m.msg_id);
}
