/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_intermediate.c - IKE_INTERMEDIATE from the initiator's side
 * (RFC 9242) with the additional key exchanges of RFC 9370 2.2.1:
 *   HDR(MID n), SK {[KEi(n)]}  -->  <--  HDR(MID n), SK {[KEr(n)]}
 * After IKE_SA_INIT where both sides announced the exchange: one exchange
 * per additional key exchange the responder chose (ADDKE1 first), then
 * cfg->intermediate_extra empty ones, then IKE_AUTH with message ID n + 1.
 * Every message extends IntAuth_i / IntAuth_r in plaintext under SK_pi /
 * SK_pr of the generation that protects it (3.3.2); after each additional
 * key exchange every key of the SA is replaced (RFC 9370 2.2.2).
 */
#include <string.h>

#include "ike_init_priv.h"
#include "ike_int_auth.h"
#include "ike_secret.h"
#include "ike_sk.h"

/* One IntAuth step: A up to the SK generic header at sk_off, P the inner payloads. */
static enum ike_status
int_auth_step(const struct ike_client *c, bool ours, uint8_t *acc, const uint8_t *msg,
	      size_t sk_off, const uint8_t *p, size_t p_len)
{
	uint8_t scratch[CRY_MAX_PRF_LEN + IKE_INIT_INT_MSG_MAX];

	return ike_int_auth_step(c->ops, c->suite.prf, ours ? c->keys.sk_pi : c->keys.sk_pr,
				 c->keys.prf_len, c->hs->int_n == 0, acc, msg, sk_off + 4, p, p_len,
				 scratch, sizeof(scratch));
}

size_t
ike_init_int_auth(const struct ike_client *c, uint8_t *out)
{
	const struct ike_client_hs *hs = c->hs;

	if (hs == NULL || hs->int_n == 0)
		return 0;
	return ike_int_auth_chunk(hs->int_auth_i, hs->int_auth_r, c->keys.prf_len, c->msg_id, out);
}

static bool
more_to_do(const struct ike_client *c)
{
	const struct ike_client_hs *hs = c->hs;

	return hs->int_ok && hs->int_n < hs->addke_n + c->cfg->intermediate_extra;
}

/* HDR, SK {[KEi(n)]} with message ID c->msg_id; IntAuth_i before it is sealed. */
static enum ike_init_result
build_request(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	struct ike_client_hs *hs = c->hs;
	size_t sk_off, plain_off, plain_len;
	uint8_t pub[CRY_MAX_KEX_PUB];
	size_t pub_len = sizeof(pub);
	enum ike_status st;
	struct ike_mb b;

	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_IKE_INTERMEDIATE, IKE_HDR_F_INITIATOR,
			  c->msg_id);
	if (hs->addke_done < hs->addke_n) {
		uint16_t method = hs->addke[hs->addke_done];

		/* A DH's public value; a KEM's encapsulation key. */
		if (c->ops->asym->kex_new(c->ops->asym_ctx, method, &hs->addke_kex, pub,
					  &pub_len) != IKE_OK)
			return IKE_INIT_R_CRYPTO;
		ike_mb_add_ke(&b, method, pub, pub_len);
	}
	st = ike_mb_end_sk(&b, &sk_off, &plain_off, &plain_len);
	if (st == IKE_OK)
		st = int_auth_step(c, true, hs->int_auth_i, out, sk_off, out + plain_off,
				   plain_len);
	if (st == IKE_OK)
		st = ike_sk_seal(c->ops, &c->keys.init_to_resp, out, cap, sk_off, plain_off,
				 plain_len, len);
	if (st == IKE_E_NOSPACE)
		return IKE_INIT_R_NOSPACE;
	if (st != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	c->state = IKE_INIT_S_INT_SENT;
	return IKE_INIT_R_SEND_REQUEST;
}

enum ike_init_result
ike_init_after_sa_init(struct ike_client *c, enum ike_status keys_st, uint8_t *out, size_t cap,
		       size_t *out_len)
{
	enum ike_init_result r;

	if (keys_st != IKE_OK || !more_to_do(c))
		return ike_init_auth_send(c, keys_st, out, cap, out_len);
	c->msg_id = 1;
	r = build_request(c, out, cap, out_len);
	return r == IKE_INIT_R_SEND_REQUEST ? r : ike_init_fail(c, r);
}

/* KEr(n): the shared secret, then every key of the next generation (RFC 9370 2.2.2). */
static enum ike_init_result
finish_addke(struct ike_client *c, const struct ike_msg *m)
{
	struct ike_client_hs *hs = c->hs;
	uint8_t secret[CRY_MAX_KEX_SECRET];
	size_t secret_len = sizeof(secret);
	struct ike_keys_input in;
	enum ike_init_result r;
	enum ike_status st;

	r = ike_init_ke_secret(c, m, hs->addke[hs->addke_done], &hs->addke_kex, secret,
			       &secret_len);
	if (r != IKE_INIT_R_DONE) {
		ike_wipe(secret, sizeof(secret));
		return r;
	}
	ike_init_keys_input(&in, c->spi_i, c->spi_r, c->ni, sizeof(c->ni), hs->nr, hs->nr_len);
	st = ike_keys_update_addke(c->ops, &c->suite, &in, secret, secret_len, &c->keys);
	ike_wipe(secret, sizeof(secret));
	if (st != IKE_OK)
		return st == IKE_E_MALFORMED ? IKE_INIT_R_MALFORMED : IKE_INIT_R_CRYPTO;
	hs->addke_done++;
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_int_recv(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out, size_t cap,
		  size_t *out_len)
{
	struct ike_client_hs *hs = c->hs;
	size_t plain_off, plain_len;
	enum ike_init_result r;
	struct ike_msg m;

	r = ike_init_sk_open_plain(c, msg, len, &m, &plain_off, &plain_len);
	if (r != IKE_INIT_R_DONE)
		return r; /* dropped: the real answer may still come */
	if (m.exchange != IKE_EXCH_IKE_INTERMEDIATE)
		return IKE_INIT_R_IGNORED;
	r = ike_init_error_notify(&m);
	if (r == IKE_INIT_R_DONE && int_auth_step(c, false, hs->int_auth_r, msg, m.sk_off,
						  msg + plain_off, plain_len) != IKE_OK)
		r = IKE_INIT_R_CRYPTO;
	if (r == IKE_INIT_R_DONE && hs->addke_done < hs->addke_n)
		r = finish_addke(c, &m);
	else if (r == IKE_INIT_R_DONE && ike_msg_find(&m, IKE_PLD_KE, 0) != NULL)
		r = IKE_INIT_R_ADDKE_MISMATCH;
	if (r != IKE_INIT_R_DONE)
		return ike_init_fail(c, r);
	hs->int_n++;
	if (!more_to_do(c))
		return ike_init_auth_send(c, IKE_OK, out, cap, out_len);
	c->msg_id++;
	r = build_request(c, out, cap, out_len);
	return r == IKE_INIT_R_SEND_REQUEST ? r : ike_init_fail(c, r);
}
