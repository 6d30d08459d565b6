/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_ticket.c - the client's side of RFC 5723 tickets: N(TICKET_REQUEST)
 * goes into IKE_AUTH (4.1, 4.3.3) or an INFORMATIONAL request, and the
 * answer of the response is read here:
 *   N(TICKET_LT_OPAQUE, Lifetime | ticket)  stored with SK_d, suite and IDi (4.2)
 *   N(TICKET_ACK)                           none now, ask again later
 *   N(TICKET_NACK)                          refused
 */
#include <string.h>

#include "ike_init_priv.h"
#include "ike_secret.h"

void
ike_init_set_ticket(struct ike_client *c, struct ike_init_ticket *t)
{
	c->ticket = t;
}

bool
ike_init_ticket_wanted(const struct ike_client *c)
{
	return c->cfg->ticket_request && c->ticket != NULL;
}

void
ike_init_ticket_drop(struct ike_client *c)
{
	if (c->ticket == NULL)
		return;
	ike_wipe(c->ticket, sizeof(*c->ticket));
}

/* Keeps Lifetime | ticket with what resumption needs of the current SA. */
static enum ike_init_ticket_answer
store(struct ike_client *c, const struct ike_pld_notify *n)
{
	struct ike_init_ticket *t = c->ticket;

	if (n->len <= 4)
		return IKE_INIT_TICKET_NONE; /* no ticket in it: not an answer we can use */
	if (n->len - 4 > sizeof(t->data))
		return IKE_INIT_TICKET_TOO_BIG;
	ike_init_ticket_drop(c);
	t->cred = c->cred;
	t->suite = c->suite;
	t->lifetime_s = ike_get_u32(n->data);
	t->len = (uint16_t)(n->len - 4);
	memcpy(t->data, n->data + 4, t->len);
	memcpy(t->sk_d, c->keys.sk_d, c->suite.prf_len);
	return IKE_INIT_TICKET_ISSUED;
}

void
ike_init_ticket_read(struct ike_client *c, const struct ike_msg *m)
{
	struct ike_pld_notify n;

	c->ticket_answer = IKE_INIT_TICKET_NONE;
	if (c->ticket == NULL)
		return;
	for (unsigned int i = 0; i < m->n_pld; i++) {
		const struct ike_pld *p = &m->pld[i];

		if (p->type != IKE_PLD_NOTIFY ||
		    ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, &n) != IKE_PARSE_OK)
			continue;
		switch (n.type) {
		case IKE_N_TICKET_LT_OPAQUE:
			c->ticket_answer = (uint8_t)store(c, &n);
			return;
		case IKE_N_TICKET_ACK:
			c->ticket_answer = IKE_INIT_TICKET_ACK;
			return;
		case IKE_N_TICKET_NACK:
			c->ticket_answer = IKE_INIT_TICKET_NACK;
			return;
		default:
			break;
		}
	}
}
