/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_followup.c - RFC 9370 2.2.4 from the initiator's side: after a
 * CREATE_CHILD_SA answer that chose additional key exchanges (and carried
 * N(ADDITIONAL_KEY_EXCHANGE)(link1)), one exchange per method:
 *   HDR(IKE_FOLLOWUP_KE), SK {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)(link n)} -->
 *              <-- HDR(IKE_FOLLOWUP_KE), SK {KEr(n), [N(ADDITIONAL_KEY_EXCHANGE)(link n+1)]}
 * each with the next message ID under the current IKE SA keys; the last
 * answer has no link. Then the new SA from every secret (2.2.5), as the
 * CREATE_CHILD_SA answer would have made it without them. An error notify
 * (STATE_NOT_FOUND: the responder lost the state) abandons the new SA.
 */
#include <string.h>

#include "ike_init_priv.h"
#include "ike_secret.h"

void
ike_init_set_followup(struct ike_client *c, struct ike_init_followup *fu)
{
	c->fu = fu;
}

/* Frees the exchange in flight and wipes the state (its used part and the fixed fields). */
void
ike_init_followup_end(struct ike_client *c)
{
	struct ike_init_followup *fu = c->fu;

	if (fu == NULL)
		return;
	if (fu->kex != NULL)
		c->ops->asym->kex_free(c->ops->asym_ctx, fu->kex);
	ike_wipe(fu->more, fu->more_len);
	ike_wipe(fu, offsetof(struct ike_init_followup, more));
}

/* The responder's link data, which our next request echoes. */
static enum ike_init_result
take_link(struct ike_init_followup *fu, const struct ike_msg *m)
{
	const struct ike_pld *p = ike_msg_find_notify(m, IKE_N_ADDITIONAL_KEY_EXCHANGE);
	struct ike_pld_notify n;

	if (p == NULL || ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, &n) != IKE_PARSE_OK ||
	    n.len == 0 || n.len > sizeof(fu->link))
		return IKE_INIT_R_MALFORMED;
	memcpy(fu->link, n.data, n.len);
	fu->link_len = (uint8_t)n.len;
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_followup_request(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	struct ike_init_followup *fu = c->fu;
	uint16_t method = fu->addke[fu->done];
	uint8_t pub[CRY_MAX_KEX_PUB];
	size_t pub_len = sizeof(pub);
	enum ike_init_result r;
	struct ike_mb b;

	if (fu->kex != NULL)
		c->ops->asym->kex_free(c->ops->asym_ctx, fu->kex);
	fu->kex = NULL;
	/* A DH's public value; a KEM's encapsulation key. */
	if (c->ops->asym->kex_new(c->ops->asym_ctx, method, &fu->kex, pub, &pub_len) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_IKE_FOLLOWUP_KE, IKE_HDR_F_INITIATOR,
			  c->msg_id);
	ike_mb_add_ke(&b, method, pub, pub_len);
	ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, fu->link,
			  fu->link_len);
	r = ike_init_sk_finish(c, &b, out, cap, len);
	if (r == IKE_INIT_R_SEND_REQUEST) {
		c->req = IKE_INIT_REQ_FOLLOWUP_KE;
		c->state = IKE_INIT_S_REQ_SENT;
	}
	return r;
}

enum ike_init_result
ike_init_followup_begin(struct ike_client *c, const struct ike_msg *m,
			const struct ike_pld_nonce *nr, const struct ike_init_addke *ak,
			const uint8_t *spi_r, const struct ike_init_child *child,
			const uint8_t *sk0, size_t sk0_len, uint8_t *out, size_t cap,
			size_t *out_len)
{
	struct ike_init_followup *fu = c->fu;
	enum ike_init_result r;

	/* Only clients with the state offer additional key exchanges. */
	if (fu == NULL || sk0_len == 0 || sk0_len > sizeof(fu->sk0))
		return IKE_INIT_R_PROPOSAL_MISMATCH;
	ike_init_followup_end(c);
	r = take_link(fu, m);
	if (r != IKE_INIT_R_DONE)
		return r;
	fu->req = c->req;
	fu->n = ak->n;
	memcpy(fu->addke, ak->chosen, sizeof(fu->addke));
	fu->nr_len = (uint16_t)nr->len;
	memcpy(fu->nr, nr->data, nr->len);
	if (spi_r != NULL)
		memcpy(fu->spi, spi_r, IKE_SPI_LEN);
	if (child != NULL)
		fu->child = *child;
	fu->sk0_len = (uint16_t)sk0_len;
	memcpy(fu->sk0, sk0, sk0_len);
	c->msg_id++;
	r = ike_init_followup_request(c, out, cap, out_len);
	if (r != IKE_INIT_R_SEND_REQUEST)
		ike_init_followup_end(c);
	return r;
}

/* KEr(n): SK(n) after the others. */
static enum ike_init_result
take_secret(struct ike_client *c, const struct ike_msg *m)
{
	struct ike_init_followup *fu = c->fu;
	size_t secret_len = CRY_MAX_KEX_SECRET;
	enum ike_init_result r;

	if (sizeof(fu->more) - fu->more_len < CRY_MAX_KEX_SECRET)
		return IKE_INIT_R_CRYPTO;
	r = ike_init_ke_secret(c, m, fu->addke[fu->done], &fu->kex, fu->more + fu->more_len,
			       &secret_len);
	if (r != IKE_INIT_R_DONE)
		return r;
	fu->more_len = (uint16_t)(fu->more_len + secret_len);
	fu->done++;
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_followup_recv(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out, size_t cap,
		       size_t *out_len)
{
	struct ike_init_followup *fu = c->fu;
	enum ike_init_result r;
	struct ike_msg m;

	r = ike_init_sk_open(c, msg, len, &m);
	if (r != IKE_INIT_R_DONE)
		return r;
	if (m.exchange != IKE_EXCH_IKE_FOLLOWUP_KE)
		return IKE_INIT_R_IGNORED;
	r = ike_init_error_notify(&m);
	if (r == IKE_INIT_R_DONE)
		r = take_secret(c, &m);
	if (r == IKE_INIT_R_DONE && fu->done < fu->n)
		r = take_link(fu, &m);
	if (r == IKE_INIT_R_DONE && fu->done < fu->n) {
		c->msg_id++;
		r = ike_init_followup_request(c, out, cap, out_len);
		if (r == IKE_INIT_R_SEND_REQUEST)
			return r;
	} else if (r == IKE_INIT_R_DONE) {
		/* The last one: the new SA as the CREATE_CHILD_SA answer would have made it. */
		c->req = fu->req;
		if (fu->req == IKE_INIT_REQ_REKEY_IKE)
			r = ike_init_rekey_ike_commit(c, fu->spi, fu->nr, fu->nr_len, fu->sk0,
						      fu->sk0_len, fu->more, fu->more_len, out,
						      cap, out_len);
		else
			r = ike_init_child_commit(c, &fu->child, fu->nr, fu->nr_len, fu->sk0,
						  fu->sk0_len, fu->more, fu->more_len, out, cap,
						  out_len);
	}
	ike_init_followup_end(c);
	if (c->req == IKE_INIT_REQ_FOLLOWUP_KE)
		c->req = IKE_INIT_REQ_NONE;
	return ike_init_child_settle(c, r, m.msg_id);
}

/*
 * The responder rekeys our Child SA with additional exchanges (RFC 9370
 * 2.2.4, we are the exchange responder): its IKE_FOLLOWUP_KE requests are
 * answered from the same state:
 *   <-- HDR(IKE_FOLLOWUP_KE), SK {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)(link n)}
 *   --> HDR, SK {KEr(n), [N(ADDITIONAL_KEY_EXCHANGE)(link n+1)]}
 * our link 8 new random octets each time, none in the last answer, which
 * makes the Child SA (ike_init_child_adopt). A link that is not ours gets
 * STATE_NOT_FOUND; no KE or another method, INVALID_SYNTAX (state dropped).
 */
#define PEER_LINK_LEN 8

bool
ike_init_followup_answer_begin(struct ike_client *c, const struct ike_init_addke *ak,
			       const struct ike_init_child *child, const uint8_t *ni, size_t ni_len,
			       const uint8_t *nr, size_t nr_len, const uint8_t *sk0, size_t sk0_len)
{
	struct ike_init_followup *fu = c->fu;

	if (fu == NULL || ni_len > sizeof(fu->ni) || nr_len > sizeof(fu->nr) || sk0_len == 0 ||
	    sk0_len > sizeof(fu->sk0))
		return false;
	ike_init_followup_end(c);
	if (cry_random(c->ops, fu->link, PEER_LINK_LEN) != IKE_OK)
		return false;
	fu->link_len = PEER_LINK_LEN;
	fu->peer = 1;
	fu->n = ak->n;
	memcpy(fu->addke, ak->chosen, sizeof(fu->addke));
	fu->ni_len = (uint16_t)ni_len;
	memcpy(fu->ni, ni, ni_len);
	fu->nr_len = (uint16_t)nr_len;
	memcpy(fu->nr, nr, nr_len);
	fu->child = *child;
	fu->sk0_len = (uint16_t)sk0_len;
	memcpy(fu->sk0, sk0, sk0_len);
	return true;
}

void
ike_init_followup_add_link(const struct ike_client *c, struct ike_mb *b)
{
	ike_mb_add_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, c->fu->link,
			  c->fu->link_len);
}

/* 0 and the KE payload when m is the next request of ours, else the notify to answer. */
static uint16_t
answer_check(struct ike_client *c, const struct ike_msg *m, struct ike_pld_ke *ke)
{
	const struct ike_pld *p = ike_msg_find_notify(m, IKE_N_ADDITIONAL_KEY_EXCHANGE);
	struct ike_init_followup *fu = c->fu;
	struct ike_pld_notify n;
	const uint8_t *body;
	size_t blen;

	if (p == NULL || ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, &n) != IKE_PARSE_OK)
		return IKE_N_INVALID_SYNTAX;
	if (fu == NULL || !fu->peer || n.len != fu->link_len || !ike_ct_eq(n.data, fu->link, n.len))
		return IKE_N_STATE_NOT_FOUND;
	if (!ike_init_find(m, IKE_PLD_KE, &body, &blen) ||
	    ike_pld_ke_parse(body, blen, ke) != IKE_PARSE_OK || ke->group != fu->addke[fu->done])
		return IKE_N_INVALID_SYNTAX;
	return 0;
}

enum ike_init_result
ike_init_followup_answer(struct ike_client *c, const struct ike_msg *m, struct ike_mb *b)
{
	struct ike_init_followup *fu = c->fu;
	uint8_t pub[CRY_MAX_KEX_PUB];
	size_t pub_len = sizeof(pub), secret_len = CRY_MAX_KEX_SECRET;
	enum ike_init_result r;
	struct ike_pld_ke ke;
	uint16_t err;

	err = answer_check(c, m, &ke);
	if (err == 0 && sizeof(fu->more) - fu->more_len < CRY_MAX_KEX_SECRET)
		err = IKE_N_INVALID_SYNTAX;
	/* A DH answers with its public value; a KEM with its ciphertext. */
	if (err == 0 && cry_kex_respond(c->ops, ke.group, ke.data, ke.len, pub, &pub_len,
					fu->more + fu->more_len, &secret_len) != IKE_OK)
		err = IKE_N_INVALID_SYNTAX;
	if (err != 0) {
		if (err == IKE_N_INVALID_SYNTAX && fu != NULL && fu->peer)
			ike_init_followup_end(c);
		ike_mb_add_notify(b, IKE_PROTO_NONE, NULL, 0, err, NULL, 0);
		return IKE_INIT_R_DONE;
	}
	fu->more_len = (uint16_t)(fu->more_len + secret_len);
	fu->done++;
	if (fu->done < fu->n) {
		if (cry_random(c->ops, fu->link, PEER_LINK_LEN) != IKE_OK)
			return IKE_INIT_R_CRYPTO;
		ike_mb_add_ke(b, ke.group, pub, pub_len);
		ike_init_followup_add_link(c, b);
		return IKE_INIT_R_DONE;
	}
	r = ike_init_child_adopt(c, &fu->child, fu->ni, fu->ni_len, fu->nr, fu->nr_len, fu->sk0,
				 fu->sk0_len, fu->more, fu->more_len);
	ike_init_followup_end(c);
	if (r != IKE_INIT_R_DONE)
		return r;
	ike_mb_add_ke(b, ke.group, pub, pub_len);
	return IKE_INIT_R_DONE;
}
