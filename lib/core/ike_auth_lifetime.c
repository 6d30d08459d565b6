/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_auth_lifetime.c - RFC 4478 repeated authentication, responder side:
 *   IKE_AUTH:      <-- HDR, SK {IDr, AUTH, N(AUTH_LIFETIME), SAr2, TSi, TSr}
 *   reauth request <-- HDR, SK {N(AUTH_LIFETIME)}   HDR, SK {} -->
 *   enforcement    <-- HDR, SK {D(IKE)} at the deadline + grace
 * sa->auth_deadline (unix seconds, the clock of now_ms) is set by a full
 * IKE_AUTH, kept by an IKE SA rekey (RFC 4478 2: "the time limit applies to
 * the new SA"), carried by tickets, and only ever moved earlier. The
 * deadline + grace is one of those the SA's timer node serves
 * (ike_timers.c); nothing scans the SA table. docs/protocol.md has the policy.
 */
#include <stddef.h>

#include "ike_core_priv.h"

#define MS_PER_S 1000u

uint32_t
ike_auth_lifetime_of(const struct ike_core_cfg *cfg, const struct ike_peer_cfg *pc)
{
	if (pc->auth_lifetime_s == IKE_AUTH_LIFETIME_NONE)
		return 0;
	return pc->auth_lifetime_s != 0 ? pc->auth_lifetime_s : cfg->auth_lifetime_s;
}

/* First whole second at or after now: the peer is never held to less than it was told. */
static uint64_t
now_s_up(const struct ike_shard *s)
{
	return (s->now_ms + MS_PER_S - 1) / MS_PER_S;
}

void
ike_auth_lifetime_notify(const struct ike_shard *s, const struct ike_sa *sa, struct ike_mb *mb)
{
	uint64_t end_ms = (uint64_t)sa->auth_deadline * MS_PER_S;
	uint64_t left;
	uint8_t v[4];

	if (sa->auth_deadline == 0)
		return;
	/* RFC 4478 3: whole seconds left, rounded down; 0 = "begin immediately". */
	left = end_ms > s->now_ms ? (end_ms - s->now_ms) / MS_PER_S : 0;
	ike_put_u32(v, left > UINT32_MAX ? UINT32_MAX : (uint32_t)left);
	ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_AUTH_LIFETIME, v, sizeof(v));
}

void
ike_auth_lifetime_start(struct ike_shard *s, struct ike_sa *sa, const struct ike_peer_cfg *pc,
			struct ike_mb *mb)
{
	uint32_t lifetime = ike_auth_lifetime_of(s->cfg, pc);

	/* Deadline of this full authentication; tickets carry it unchanged. */
	sa->auth_deadline = lifetime != 0 ? ike_unix32(now_s_up(s) + lifetime) : 0;
	ike_auth_lifetime_notify(s, sa, mb);
}

uint64_t
ike_auth_lifetime_end_ms(const struct ike_shard *s, const struct ike_sa *sa)
{
	/* A rekeyed or dying SA goes by its own deadline or at the end of the burst. */
	if (sa->state != IKE_SA_ESTABLISHED || sa->auth_deadline == 0)
		return 0;
	return ((uint64_t)sa->auth_deadline + s->cfg->auth_grace_s) * MS_PER_S;
}

void
ike_auth_lifetime_expire(struct ike_shard *s, struct ike_sa *sa)
{
	/* RFC 4478 2: "SHOULD send a DELETE notification soon after the end of the lifetime". */
	ike_count(s, IKE_CTR_AUTH_LIFETIME_EXPIRED);
	ike_event_sa(s, sa, IKE_EV_REAUTH_DEADLINE, IKE_EVR_NONE);
	ike_event_sa(s, sa, IKE_EV_DELETED, IKE_EVR_REAUTH);
	ike_request_delete(s, sa);
	ike_sa_remove(s, sa);
}

/* RFC 7296 1.4.1: the operator throws the SA out; the peer gets {D(IKE)}. */
static void
terminate(struct ike_shard *s, struct ike_sa *sa)
{
	ike_count(s, IKE_CTR_TERMINATED);
	ike_event_sa(s, sa, IKE_EV_DELETED, IKE_EVR_TERMINATED);
	ike_request_delete(s, sa);
	ike_sa_remove(s, sa);
}

/*
 * Shortens sa's deadline to sel's and tells the peer, or terminates it;
 * false when tx[] is full.
 */
static bool
ask(struct ike_shard *s, struct ike_sa *sa, const struct ike_reauth_sel *sel)
{
	struct ike_tx *tx;
	struct ike_mb mb;

	if (s->ntx == s->tx_n)
		return false;
	if (sel->action == IKE_SEL_TERMINATE) {
		terminate(s, sa);
		return true;
	}
	if (sa->auth_deadline == 0 || sel->deadline < sa->auth_deadline)
		sa->auth_deadline = ike_unix32(sel->deadline);
	/* A ticket of the old deadline must not outlive the request (RFC 5723 9.8). */
	if (sa->has_ticket)
		ike_ticket_revoke(s, sa);
	ike_sa_timer_update(s, sa);
	tx = ike_request_begin(s, sa, &mb);
	if (tx == NULL)
		return false;
	/* RFC 4478 2: HDR, SK {N(AUTH_LIFETIME)}; the empty answer needs nothing from us. */
	ike_auth_lifetime_notify(s, sa, &mb);
	ike_request_end(s, sa, &mb, tx);
	ike_count(s, IKE_CTR_REAUTH_REQUESTED);
	return true;
}

/*
 * Asks the SAs of identity `peer` from sel->next_spi (0: the newest).
 * False when tx[] filled up first; sel then names the SA to ask next.
 */
static bool
ask_peer(struct ike_shard *s, struct ike_reauth_sel *sel, uint32_t peer)
{
	uint64_t spi = sel->next_spi != 0 ? sel->next_spi : s->peers[peer].sa_head;
	struct ike_sa *sa = spi != 0 ? satable_lookup(s->sas, spi) : NULL;
	bool again = false;

	/*
	 * The saved SA went away or left the list between calls: start over,
	 * skipping the SAs that already have the request's deadline or an earlier one.
	 */
	if (sel->next_spi != 0 && (sa == NULL || sa->peer_idx != peer)) {
		spi = s->peers[peer].sa_head;
		sa = spi != 0 ? satable_lookup(s->sas, spi) : NULL;
		again = true;
	}
	sel->next_spi = 0;
	while (sa != NULL) {
		bool asked = again && sa->auth_deadline != 0 && sa->auth_deadline <= sel->deadline;
		uint64_t next = ike_sa_link_spi(s, sa->peer_next); /* a terminated SA is wiped */

		if (sa->state == IKE_SA_ESTABLISHED && !asked && !ask(s, sa, sel)) {
			sel->next_spi = ike_sa_spi_r(s, sa);
			return false;
		}
		sa = next != 0 ? satable_lookup(s->sas, next) : NULL;
	}
	return true;
}

static void
ask_selected(struct ike_shard *s, struct ike_reauth_sel *sel)
{
	struct ike_sa *sa;
	uint32_t peer;

	switch (sel->scope) {
	case IKE_REAUTH_SA:
		sa = satable_lookup(s->sas, sel->spi_r);
		sel->done =
			sa == NULL || sa->state != IKE_SA_ESTABLISHED || ask(s, sa, sel);
		return;
	case IKE_REAUTH_IDENTITY:
		peer = sel->id != NULL ? ike_peer_find(s, sel->id_type, sel->id, sel->id_len)
				       : IKE_NO_SLOT;
		sel->done = peer == IKE_NO_SLOT || ask_peer(s, sel, peer);
		return;
	case IKE_REAUTH_ALL:
		/* Every established SA is on the list of its identity (ike_sa_peer_link). */
		for (; sel->next_peer < s->nb_peers; sel->next_peer++)
			if (!ask_peer(s, sel, sel->next_peer))
				return;
		sel->done = true;
		return;
	}
	sel->done = true;
}

unsigned
ike_shard_reauth_request(struct ike_shard *s, struct ike_reauth_sel *sel, uint64_t now_ms,
			 struct ike_tx *tx, unsigned tx_n)
{
	s->now_ms = now_ms;
	s->tx = tx;
	s->tx_n = tx_n;
	s->ntx = 0;
	/* One deadline for the whole request, however many calls it takes. */
	if (sel->deadline == 0)
		sel->deadline = now_s_up(s) + s->cfg->auth_reauth_s;
	if (!sel->done)
		ask_selected(s, sel);
	return s->ntx;
}
