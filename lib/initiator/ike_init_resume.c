/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_resume.c - session resumption from the initiator's side
 * (RFC 5723 4.3.2, 5.1):
 *   HDR(SPIi, 0), [N(COOKIE),] Ni, N(TICKET_OPAQUE), [N(NAT_DETECTION_*)]  -->
 *                                 <--  HDR(SPIi, SPIr), Nr, [N(NAT_DETECTION_*)]
 *                                 <--  HDR(SPIi, 0), N(TICKET_NACK)   (refused)
 *                                 <--  HDR(SPIi, 0), N(COOKIE)        (retry, RFC 7296 2.6)
 * SKEYSEED = prf(SK_d_old, "Resumption" | Ni | Nr) and RFC 7296 2.14 with
 * the new SPIs; IKE_AUTH follows (ike_init_auth.c). The request and the
 * response are kept in the handshake state as the RealMessages of AUTH.
 */
#include <stddef.h>
#include <string.h>

#include "ike_init_priv.h"
#include "ike_secret.h"

/* HDR(SPIi, 0), [N(COOKIE),] Ni, N(TICKET_OPAQUE), [N(NAT_DETECTION_*), N(INTERMEDIATE_...)]. */
static enum ike_init_result
build_resume(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	struct ike_client_hs *hs = c->hs;
	struct ike_mb b;

	ike_mb_init(&b, out, cap, c->spi_i, 0, IKE_EXCH_IKE_SESSION_RESUME, IKE_HDR_F_INITIATOR,
		    0);
	if (hs->cookie_len != 0)
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE, hs->cookie,
				  hs->cookie_len);
	ike_mb_add_nonce(&b, c->ni, sizeof(c->ni));
	ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_OPAQUE, c->ticket->data,
			  c->ticket->len);
	/* 4.3.2: NAT status is determined anew, not kept in the ticket. */
	if (ike_init_natd_add(c, &b) != IKE_INIT_R_DONE)
		return IKE_INIT_R_CRYPTO;
	/* RFC 9242 4: announced in each IKE_SESSION_RESUME, not kept in the ticket. */
	if (c->cfg->intermediate)
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0,
				  IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
	if (ike_mb_finish(&b, len) != IKE_OK || *len > sizeof(hs->msg1))
		return IKE_INIT_R_NOSPACE;
	memcpy(hs->msg1, out, *len);
	hs->msg1_len = (uint16_t)*len;
	c->state = IKE_INIT_S_RESUME_SENT;
	return IKE_INIT_R_SEND_REQUEST;
}

enum ike_init_result
ike_init_start_resume(struct ike_client *c, struct ike_client_hs *hs, uint8_t *out, size_t cap,
		      size_t *len)
{
	uint8_t spi[IKE_SPI_LEN];
	enum ike_init_result r;

	*len = 0;
	if (c->state != IKE_INIT_S_IDLE || hs == NULL)
		return IKE_INIT_R_BAD_STATE;
	if (c->ticket == NULL || c->ticket->len == 0)
		return IKE_INIT_R_NO_TICKET;
	memset(hs, 0, offsetof(struct ike_client_hs, ke));
	c->hs = hs;
	/* 4.3.3: IDi and the algorithms are those of the ticket's SA. */
	c->cred = c->ticket->cred;
	c->suite = c->ticket->suite;
	c->resumed = 1;
	r = ike_init_random_nonzero(c->ops, spi, sizeof(spi));
	if (r == IKE_INIT_R_DONE && cry_random(c->ops, c->ni, sizeof(c->ni)) != IKE_OK)
		r = IKE_INIT_R_CRYPTO;
	if (r != IKE_INIT_R_DONE)
		return ike_init_fail(c, r);
	c->spi_i = ike_get_u64(spi);
	c->msg_id = 0;
	r = build_resume(c, out, cap, len);
	return r == IKE_INIT_R_SEND_REQUEST ? r : ike_init_fail(c, r);
}

/* N(COOKIE): the same request again with the cookie in front (RFC 5723 4.3.2). */
static enum ike_init_result
retry_cookie(struct ike_client *c, const struct ike_pld_notify *n, uint8_t *out, size_t cap,
	     size_t *out_len)
{
	enum ike_init_result r = ike_init_cookie_take(c, n);

	return r == IKE_INIT_R_DONE ? build_resume(c, out, cap, out_len) : r;
}

/* HDR(SPIi, SPIr), Nr: the resumed SA's keys (5.1), then IKE_AUTH (4.3.3). */
static enum ike_init_result
accept_resume(struct ike_client *c, const struct ike_msg *m, const uint8_t *msg, size_t len,
	      uint8_t *out, size_t cap, size_t *out_len)
{
	const struct ike_init_ticket *t = c->ticket;
	struct ike_client_hs *hs = c->hs;
	struct ike_keys_input in;
	struct ike_pld_nonce nr;
	const uint8_t *body;
	enum ike_status st;
	size_t blen;

	if (m->spi_r == 0 || !ike_init_find(m, IKE_PLD_NONCE, &body, &blen) ||
	    ike_pld_nonce_parse(body, blen, &nr) != IKE_PARSE_OK)
		return ike_init_fail(c, IKE_INIT_R_MALFORMED);
	if (len > sizeof(hs->msg2))
		return ike_init_fail(c, IKE_INIT_R_NOSPACE);
	c->spi_r = m->spi_r;
	if (ike_init_natd_check(c, m) != IKE_INIT_R_DONE)
		return ike_init_fail(c, IKE_INIT_R_CRYPTO);
	memcpy(hs->msg2, msg, len);
	hs->msg2_len = (uint16_t)len;
	memcpy(hs->nr, nr.data, nr.len);
	hs->nr_len = (uint16_t)nr.len;
	ike_init_keys_input(&in, c->spi_i, c->spi_r, c->ni, sizeof(c->ni), hs->nr, hs->nr_len);
	st = ike_keys_derive_resume(c->ops, &t->suite, t->sk_d, t->suite.prf_len, &in, &c->keys);
	/* RFC 9242 4: IKE_INTERMEDIATE after IKE_SESSION_RESUME, when both announced it. */
	hs->int_ok = c->cfg->intermediate &&
		     ike_msg_find_notify(m, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED) != NULL;
	return ike_init_after_sa_init(c, st, out, cap, out_len);
}

enum ike_init_result
ike_init_resume_recv(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out, size_t cap,
		     size_t *out_len)
{
	struct ike_pld_notify n;
	const struct ike_pld *p;
	enum ike_init_result r;
	struct ike_msg m;
	unsigned int bad;

	/* Unprotected, like IKE_SA_INIT: anything odd is dropped, the caller retransmits. */
	if (ike_msg_parse(msg, len, &m) != IKE_PARSE_OK || ike_msg_validate(&m, &bad) != IKE_PARSE_OK)
		return IKE_INIT_R_MALFORMED;
	if (m.exchange != IKE_EXCH_IKE_SESSION_RESUME || !(m.flags & IKE_HDR_F_RESPONSE) ||
	    m.msg_id != 0)
		return IKE_INIT_R_IGNORED;
	p = ike_msg_find_notify(&m, IKE_N_COOKIE);
	if (p != NULL && ike_pld_notify_parse(ike_msg_pld_body(&m, p), p->len, &n) == IKE_PARSE_OK)
		return retry_cookie(c, &n, out, cap, out_len);
	if (ike_msg_find_notify(&m, IKE_N_TICKET_NACK) != NULL) {
		/* 4.3.2: the ticket is refused for good; a full handshake follows. */
		ike_init_ticket_drop(c);
		return ike_init_fail(c, IKE_INIT_R_RESUME_NACKED);
	}
	r = ike_init_error_notify(&m);
	if (r != IKE_INIT_R_DONE)
		return ike_init_fail(c, r);
	return accept_resume(c, &m, msg, len, out, cap, out_len);
}
