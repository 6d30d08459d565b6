/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_exch_informational.c - INFORMATIONAL responder (RFC 7296 1.4, 2.4):
 *   HDR, SK {}            -->  <-- HDR, SK {}             (liveness)
 *   HDR, SK {D(IKE)}      -->  <-- HDR, SK {}             (IKE SA and its children go)
 *   HDR, SK {D(ESP, ...)} -->  <-- HDR, SK {D(ESP, ours)} (1.4.1)
 *   HDR, SK {N(TICKET_REQUEST)} --> <-- HDR, SK {N(TICKET_LT_OPAQUE)} (RFC 5723 4.1)
 * Other payloads (notifies) get an empty answer.
 */
#include "ike_core_priv.h"

/* Deletes our Child SAs whose outbound SPI is listed; writes our inbound SPIs to out. */
static unsigned
delete_children(struct ike_shard *s, struct ike_sa *sa, const struct ike_pld_delete *d,
		uint8_t *out, unsigned n_out)
{
	for (unsigned i = 0; i < d->n_spi; i++) {
		int c = ike_child_find_out(sa, ike_get_u32(d->spis + 4 * (size_t)i));

		/* RFC 7296 1.4.1: SPIs we do not know are ignored. */
		if (c < 0)
			continue;
		ike_put_u32(out + 4 * (size_t)n_out++, sa->child[c].spi_in);
		ike_child_delete(s, sa, (unsigned)c);
		ike_count(s, IKE_CTR_INFO_DELETE_CHILD);
	}
	return n_out;
}

void
ike_exch_informational(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	uint8_t ours[IKE_SA_MAX_CHILDREN * IKE_CHILD_SPI_LEN];
	const struct ike_msg *m = &r->msg;
	struct ike_reply rep;
	unsigned n_ours = 0;
	bool delete_ike = false;
	bool empty = true;

	for (unsigned i = 0; i < m->n_pld; i++) {
		const struct ike_pld *p = &m->pld[i];
		struct ike_pld_delete d;

		if (!p->inner)
			continue;
		empty = false;
		if (p->type != IKE_PLD_DELETE)
			continue;
		ike_pld_delete_parse(ike_req_body(r, p), p->len, &d);
		if (d.proto == IKE_PROTO_IKE)
			delete_ike = true;
		else if (d.proto == IKE_PROTO_ESP && d.spi_size == IKE_CHILD_SPI_LEN)
			n_ours = delete_children(s, sa, &d, ours, n_ours);
	}
	if (!ike_reply_begin(s, &rep, r->rx, m, ike_sa_spi_r(s, sa), sa))
		return;
	if (delete_ike) {
		/* RFC 7296 1.4.1: the answer to an IKE SA delete is empty. */
		ike_count(s, IKE_CTR_INFO_DELETE_IKE);
		/* RFC 5723 6.2, 9.8: the client deleted the SA, so its ticket is void. */
		ike_ticket_revoke(s, sa);
		/* RFC 7296 2.1: a retransmit after a lost answer gets it again (ike_window.c). */
		sa->closed = 1;
		ike_event_sa(s, sa, IKE_EV_DELETED, IKE_EVR_PEER);
		ike_sa_kill(s, sa);
	} else if (n_ours != 0) {
		ike_mb_add_delete(&rep.mb, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, (uint16_t)n_ours, ours);
	} else if (empty) {
		ike_count(s, IKE_CTR_INFO_LIVENESS);
	}
	/* RFC 5723 4.1: a ticket (refresh) may be requested in any client INFORMATIONAL. */
	if (!delete_ike && sa->state == IKE_SA_ESTABLISHED)
		ike_ticket_answer(s, m, sa, sa->peer_idx, &rep.mb);
	ike_reply_end(s, &rep);
}
