/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_msg.c - encrypted messages of the initiator (RFC 7296 3.14):
 * requests sealed with SK_ei/SK_ai, messages of the responder opened with
 * SK_er/SK_ar, and the checks every received message of the IKE SA gets
 * before its payloads are looked at.
 */
#include "ike_init_priv.h"
#include "ike_sk.h"

void
ike_init_sk_begin(const struct ike_client *c, struct ike_mb *b, uint8_t *out, size_t cap,
		  uint8_t exchange, uint8_t flags, uint32_t msg_id)
{
	ike_mb_init(b, out, cap, c->spi_i, c->spi_r, exchange, flags, msg_id);
	ike_mb_begin_sk(b, ike_sk_iv_len(&c->keys.init_to_resp));
}

enum ike_init_result
ike_init_sk_finish(struct ike_client *c, struct ike_mb *b, uint8_t *out, size_t cap, size_t *len)
{
	size_t sk_off, plain_off, plain_len;
	enum ike_status st;

	st = ike_mb_end_sk(b, &sk_off, &plain_off, &plain_len);
	if (st == IKE_OK)
		st = ike_sk_seal(c->ops, &c->keys.init_to_resp, out, cap, sk_off, plain_off,
				 plain_len, len);
	if (st == IKE_E_NOSPACE)
		return IKE_INIT_R_NOSPACE;
	return st == IKE_OK ? IKE_INIT_R_SEND_REQUEST : IKE_INIT_R_CRYPTO;
}

enum ike_init_result
ike_init_sk_open_plain(struct ike_client *c, uint8_t *msg, size_t len, struct ike_msg *m,
		       size_t *plain_off, size_t *plain_len)
{
	unsigned int bad;
	enum ike_status st;

	if (ike_msg_parse(msg, len, m) != IKE_PARSE_OK || m->sk_type != IKE_PLD_SK)
		return IKE_INIT_R_MALFORMED;
	st = ike_sk_open(c->ops, &c->keys.resp_to_init, msg, len, m->sk_off, plain_off, plain_len);
	if (st == IKE_E_INTEGRITY)
		return IKE_INIT_R_BAD_ICV;
	if (st != IKE_OK)
		return IKE_INIT_R_MALFORMED;
	if (ike_msg_parse_inner(msg + *plain_off, *plain_len, m->sk_first, m) != IKE_PARSE_OK ||
	    ike_msg_validate(m, &bad) != IKE_PARSE_OK)
		return IKE_INIT_R_MALFORMED;
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_sk_open(struct ike_client *c, uint8_t *msg, size_t len, struct ike_msg *m)
{
	size_t plain_off, plain_len;

	return ike_init_sk_open_plain(c, msg, len, m, &plain_off, &plain_len);
}

enum ike_init_result
ike_init_error_notify(const struct ike_msg *m)
{
	struct ike_pld_notify n;

	for (unsigned int i = 0; i < m->n_pld; i++) {
		const struct ike_pld *p = &m->pld[i];

		if (p->type != IKE_PLD_NOTIFY ||
		    ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, &n) != IKE_PARSE_OK ||
		    n.type >= IKE_N_STATUS_MIN)
			continue;
		switch (n.type) {
		case IKE_N_AUTHENTICATION_FAILED:
			return IKE_INIT_R_AUTH_FAILED_RECEIVED;
		case IKE_N_NO_PROPOSAL_CHOSEN:
			return IKE_INIT_R_NO_PROPOSAL_CHOSEN;
		case IKE_N_TS_UNACCEPTABLE:
			return IKE_INIT_R_TS_UNACCEPTABLE;
		case IKE_N_INTERNAL_ADDRESS_FAILURE:
			return IKE_INIT_R_ADDRESS_FAILURE;
		case IKE_N_STATE_NOT_FOUND:
			return IKE_INIT_R_STATE_NOT_FOUND;
		default:
			return IKE_INIT_R_PEER_ERROR;
		}
	}
	return IKE_INIT_R_DONE;
}

bool
ike_init_find(const struct ike_msg *m, uint8_t type, const uint8_t **body, size_t *len)
{
	const struct ike_pld *p = ike_msg_find(m, type, 0);

	if (p == NULL)
		return false;
	*body = ike_msg_pld_body(m, p);
	*len = p->len;
	return true;
}

enum ike_init_result
ike_init_ke_secret(struct ike_client *c, const struct ike_msg *m, uint16_t method,
		   struct cry_kex **kex, uint8_t *secret, size_t *secret_len)
{
	struct ike_pld_ke ke;
	const uint8_t *body;
	enum ike_status st;
	size_t blen;

	if (!ike_init_find(m, IKE_PLD_KE, &body, &blen) ||
	    ike_pld_ke_parse(body, blen, &ke) != IKE_PARSE_OK)
		return IKE_INIT_R_MALFORMED;
	if (ke.group != method)
		return IKE_INIT_R_ADDKE_MISMATCH;
	st = c->ops->asym->kex_derive(c->ops->asym_ctx, *kex, ke.data, ke.len, secret, secret_len);
	c->ops->asym->kex_free(c->ops->asym_ctx, *kex);
	*kex = NULL;
	if (st != IKE_OK)
		return st == IKE_E_MALFORMED ? IKE_INIT_R_MALFORMED : IKE_INIT_R_CRYPTO;
	return IKE_INIT_R_DONE;
}
