/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_info.c - INFORMATIONAL exchanges (RFC 7296 1.4): our liveness
 * checks and deletes, and answers to the responder's own requests
 * (liveness, DELETE, N(AUTH_LIFETIME) of RFC 4478), and the later ticket
 * request of RFC 5723 4.1 (HDR, SK {N(TICKET_REQUEST)}). The responder's
 * CREATE_CHILD_SA requests: ike_init_child_resp.c.
 */
#include "ike_init_priv.h"

static enum ike_init_result
req_begin(struct ike_client *c, enum ike_init_req req)
{
	if (c->state != IKE_INIT_S_ESTABLISHED)
		return IKE_INIT_R_BAD_STATE;
	if (req == IKE_INIT_REQ_DELETE_CHILD && !c->has_child)
		return IKE_INIT_R_BAD_STATE;
	return IKE_INIT_R_DONE;
}

/* Seals the request and marks it outstanding. */
static enum ike_init_result
req_end(struct ike_client *c, struct ike_mb *b, enum ike_init_req req, uint8_t *out, size_t cap,
	size_t *len)
{
	enum ike_init_result r = ike_init_sk_finish(c, b, out, cap, len);

	if (r != IKE_INIT_R_SEND_REQUEST)
		return r;
	c->req = (uint8_t)req;
	c->state = IKE_INIT_S_REQ_SENT;
	return r;
}

enum ike_init_result
ike_init_req_liveness(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	enum ike_init_result r = req_begin(c, IKE_INIT_REQ_LIVENESS);
	struct ike_mb b;

	*len = 0;
	if (r != IKE_INIT_R_DONE)
		return r;
	/* HDR, SK {} */
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_INFORMATIONAL, IKE_HDR_F_INITIATOR, c->msg_id);
	return req_end(c, &b, IKE_INIT_REQ_LIVENESS, out, cap, len);
}

enum ike_init_result
ike_init_req_ticket(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	enum ike_init_result r = req_begin(c, IKE_INIT_REQ_TICKET);
	struct ike_mb b;

	*len = 0;
	if (r != IKE_INIT_R_DONE)
		return r;
	if (c->ticket == NULL)
		return IKE_INIT_R_NO_TICKET;
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_INFORMATIONAL, IKE_HDR_F_INITIATOR, c->msg_id);
	ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_REQUEST, NULL, 0);
	return req_end(c, &b, IKE_INIT_REQ_TICKET, out, cap, len);
}

enum ike_init_result
ike_init_req_delete_ike(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	enum ike_init_result r = req_begin(c, IKE_INIT_REQ_DELETE_IKE);
	struct ike_mb b;

	*len = 0;
	if (r != IKE_INIT_R_DONE)
		return r;
	/* HDR, SK {D(IKE)}: protocol 1, no SPIs (3.11). */
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_INFORMATIONAL, IKE_HDR_F_INITIATOR, c->msg_id);
	ike_mb_add_delete(&b, IKE_PROTO_IKE, 0, 0, NULL);
	return req_end(c, &b, IKE_INIT_REQ_DELETE_IKE, out, cap, len);
}

enum ike_init_result
ike_init_build_delete_child(struct ike_client *c, uint32_t spi, uint8_t *out, size_t cap,
			    size_t *len)
{
	uint8_t s[IKE_CHILD_SPI_LEN];
	struct ike_mb b;

	/* HDR, SK {D(ESP, SPI)}: the SPI we expect inbound (3.11). */
	ike_put_u32(s, spi);
	c->pending_spi = spi;
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_INFORMATIONAL, IKE_HDR_F_INITIATOR, c->msg_id);
	ike_mb_add_delete(&b, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, 1, s);
	return req_end(c, &b, IKE_INIT_REQ_DELETE_CHILD, out, cap, len);
}

enum ike_init_result
ike_init_req_delete_child(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	enum ike_init_result r = req_begin(c, IKE_INIT_REQ_DELETE_CHILD);

	*len = 0;
	if (r != IKE_INIT_R_DONE)
		return r;
	return ike_init_build_delete_child(c, c->child.spi_in, out, cap, len);
}

enum ike_init_result
ike_init_info_recv(struct ike_client *c, uint8_t *msg, size_t len)
{
	enum ike_init_req req = c->req;
	enum ike_init_result r;
	struct ike_msg m;

	r = ike_init_sk_open(c, msg, len, &m);
	if (r != IKE_INIT_R_DONE)
		return r;
	if (m.exchange != IKE_EXCH_INFORMATIONAL)
		return IKE_INIT_R_IGNORED;
	c->msg_id++;
	c->req = IKE_INIT_REQ_NONE;
	c->state = IKE_INIT_S_ESTABLISHED;
	if (req == IKE_INIT_REQ_TICKET)
		ike_init_ticket_read(c, &m);
	if (req == IKE_INIT_REQ_DELETE_IKE) {
		/* <-- HDR, SK {}: the IKE SA and its Child SAs are gone (1.4.1). */
		/* RFC 5723 9.8: the responder revokes the ticket of a deleted SA. */
		ike_init_ticket_drop(c);
		r = ike_init_fail(c, IKE_INIT_R_CLOSED);
		c->state = IKE_INIT_S_CLOSED;
		return r;
	}
	if (req == IKE_INIT_REQ_DELETE_CHILD && c->has_child && c->child.spi_in == c->pending_spi) {
		/* <-- HDR, SK {D(ESP, SPIr)}: both directions of the Child SA are gone. */
		ike_child_keys_wipe(&c->child.keys);
		c->has_child = 0;
	}
	return IKE_INIT_R_DONE;
}

/* Applies the responder's D and N payloads; *del_ike when it deletes the IKE SA. */
static bool
apply_request(struct ike_client *c, const struct ike_msg *m, bool *del_child, bool *del_prev)
{
	struct ike_pld_delete d;
	struct ike_pld_notify n;
	bool del_ike = false;

	*del_child = false;
	*del_prev = false;
	for (unsigned int i = 0; i < m->n_pld; i++) {
		const struct ike_pld *p = &m->pld[i];
		const uint8_t *body = ike_msg_pld_body(m, p);

		if (p->type == IKE_PLD_DELETE &&
		    ike_pld_delete_parse(body, p->len, &d) == IKE_PARSE_OK) {
			if (d.proto == IKE_PROTO_IKE)
				del_ike = true;
			for (unsigned int k = 0; d.proto == IKE_PROTO_ESP && k < d.n_spi; k++) {
				uint32_t spi = ike_get_u32(d.spis + 4 * k);

				*del_child |= c->has_child && spi == c->child.spi_out;
				*del_prev |= c->prev_spi_out != 0 && spi == c->prev_spi_out;
			}
		} else if (p->type == IKE_PLD_NOTIFY &&
			   ike_pld_notify_parse(body, p->len, &n) == IKE_PARSE_OK &&
			   n.type == IKE_N_AUTH_LIFETIME && n.len == 4) {
			c->auth_lifetime_s = ike_get_u32(n.data);
		}
	}
	return del_ike;
}

enum ike_init_result
ike_init_peer_request(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out, size_t cap,
		      size_t *out_len)
{
	bool del_ike = false, del_child = false, del_prev = false;
	uint8_t spi[IKE_CHILD_SPI_LEN];
	enum ike_init_result r;
	struct ike_msg m;
	struct ike_mb b;

	r = ike_init_sk_open(c, msg, len, &m);
	if (r != IKE_INIT_R_DONE)
		return r;
	/* A retransmission of the last request is answered again (2.1). */
	if (m.msg_id != c->peer_msg_id && m.msg_id + 1 != c->peer_msg_id)
		return IKE_INIT_R_IGNORED;
	if (m.exchange == IKE_EXCH_INFORMATIONAL)
		del_ike = apply_request(c, &m, &del_child, &del_prev);
	else if (m.exchange != IKE_EXCH_CREATE_CHILD_SA && m.exchange != IKE_EXCH_IKE_FOLLOWUP_KE)
		return IKE_INIT_R_IGNORED;
	ike_init_sk_begin(c, &b, out, cap, m.exchange, IKE_HDR_F_INITIATOR | IKE_HDR_F_RESPONSE,
			  m.msg_id);
	if (m.exchange == IKE_EXCH_CREATE_CHILD_SA) {
		/* A new Child SA each time: a retransmit is not answered again. */
		if (m.msg_id != c->peer_msg_id)
			return IKE_INIT_R_IGNORED;
		r = ike_init_answer_child(c, &m, &b);
		if (r != IKE_INIT_R_DONE)
			return r;
	} else if (m.exchange == IKE_EXCH_IKE_FOLLOWUP_KE) {
		if (m.msg_id != c->peer_msg_id)
			return IKE_INIT_R_IGNORED;
		r = ike_init_followup_answer(c, &m, &b);
		if (r != IKE_INIT_R_DONE)
			return r;
	}
	if (del_prev) {
		ike_put_u32(spi, c->prev_spi_in);
		ike_mb_add_delete(&b, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, 1, spi);
		c->prev_spi_in = 0;
		c->prev_spi_out = 0;
	} else if (del_child) {
		/* Answer with our inbound SPI of the same Child SA (1.4.1). */
		ike_put_u32(spi, c->child.spi_in);
		ike_mb_add_delete(&b, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, 1, spi);
	}
	r = ike_init_sk_finish(c, &b, out, cap, out_len);
	if (r != IKE_INIT_R_SEND_REQUEST)
		return r;
	if (m.msg_id == c->peer_msg_id)
		c->peer_msg_id++;
	if (del_child) {
		ike_child_keys_wipe(&c->child.keys);
		c->has_child = 0;
	}
	if (del_ike) {
		ike_init_fail(c, IKE_INIT_R_CLOSED);
		c->state = IKE_INIT_S_CLOSED;
	}
	return IKE_INIT_R_SEND_RESPONSE;
}
