/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_dpd.c - dead peer detection, responder side (RFC 7296 2.4):
 *   probe     <-- HDR(I=0, R=0, our next ID), SK {}    HDR, SK {} -->
 *   resends   <-- the same message ID after 2, 4, 8, ... s (2.1)
 *   no answer dpd_timeout_s after the first send: the SA is removed
 * Every ESTABLISHED SA has a DPD deadline (sa->dpd_due, one of those its
 * timer node serves, ike_timers.c); a message from the peer only stamps
 * sa->heard_ms, and the deadline, when it passes, moves itself to
 * heard_ms + delay if the peer spoke meanwhile, so nothing is re-armed
 * per packet and nothing scans the SA table. Probes are spread twice: each
 * SA's wait is lengthened by a fixed share of the delay derived from its
 * SPI (SAs set up together are not probed together), and at most
 * dpd_probes_per_ms probes leave a shard per millisecond (the others wait a
 * millisecond, counted). A dead peer's SA goes without a DELETE (nobody
 * would read it) and its ticket stays valid: the client may resume.
 *
 * The same timer, message ID and resend budget carry our other tracked
 * requests: a Child SA rekey and its DELETE (ike_child_rekey.c). We keep
 * one request outstanding at a time (RFC 7296 2.3, window 1); a rekey
 * waits for the probe's end and replaces the next probe (its answer is
 * the proof of life), and a peer that answers neither is dead the same way.
 */
#include <stddef.h>

#include "ike_core_priv.h"

#define MS_PER_S 1000u
#define DPD_TIMEOUT_DEFAULT_S 60u
#define DPD_PROBES_PER_MS_DEFAULT 16u
#define DPD_FIRST_RESEND_MS 2000u

static uint64_t
delay_ms(const struct ike_shard *s)
{
	return (uint64_t)s->cfg->dpd_delay_s * MS_PER_S;
}

static uint64_t
timeout_ms(const struct ike_shard *s)
{
	uint32_t t = s->cfg->dpd_timeout_s;

	return (uint64_t)(t != 0 ? t : DPD_TIMEOUT_DEFAULT_S) * MS_PER_S;
}

/* A fixed share of up to a quarter of the delay, from the SA's SPI (which is random). */
static uint64_t
jitter_ms(const struct ike_shard *s, const struct ike_sa *sa)
{
	uint64_t h = ike_sa_spi_r(s, sa) * 0x9e3779b97f4a7c15ull;

	return (h >> 32) % (delay_ms(s) / 4 + 1);
}

static uint64_t
idle_due(const struct ike_shard *s, const struct ike_sa *sa)
{
	return ike_ms64(s->now_ms, sa->heard_ms) + delay_ms(s) + jitter_ms(s, sa);
}

/* The first send of our outstanding request. */
static uint64_t
probe_ms(const struct ike_shard *s, const struct ike_sa *sa)
{
	return ike_ms64(s->now_ms, sa->dpd_probe_ms);
}

/* No new request of ours before this (0: none held back). */
static uint64_t
not_before(const struct ike_shard *s, const struct ike_sa *sa)
{
	return sa->dpd_hold ? probe_ms(s, sa) : 0;
}

/* Sets dpd_due without arming the node: ike_sa_timer_arm() does. */
static void
due_at(struct ike_sa *sa, uint64_t at_ms)
{
	sa->dpd_due = ike_ms32(at_ms);
	sa->dpd_armed = 1;
}

void
ike_dpd_arm(struct ike_shard *s, struct ike_sa *sa)
{
	sa->dpd_armed = 0;
	if (sa->state != IKE_SA_ESTABLISHED) {
		ike_child_rekey_abandon(s, sa);
		return;
	}
	/* Set up (or resumed, or rekeyed) just now: that is hearing from the peer. */
	sa->heard_ms = ike_ms32(s->now_ms);
	sa->dpd_sends = 0;
	sa->dpd_hold = 0;
	if (sa->rekey_want != 0)
		due_at(sa, s->now_ms);
	else if (s->cfg->dpd_delay_s != 0)
		due_at(sa, idle_due(s, sa));
}

void
ike_dpd_hold(struct ike_sa *sa, uint64_t until_ms)
{
	sa->dpd_probe_ms = ike_ms32(until_ms);
	sa->dpd_hold = 1;
}

bool
ike_dpd_expects(const struct ike_sa *sa, uint32_t msg_id)
{
	return sa->dpd_sends != 0 && msg_id == sa->dpd_msg_id;
}

void
ike_dpd_request_done(struct ike_shard *s, struct ike_sa *sa)
{
	sa->dpd_sends = 0;
	/* The deadline moves itself to heard_ms + delay when it passes; a waiting rekey goes now. */
	sa->heard_ms = ike_ms32(s->now_ms);
	if (sa->rekey_want != 0 && s->now_ms >= not_before(s, sa))
		ike_sa_dpd_at(s, sa, s->now_ms);
	else if (sa->rekey_want != 0)
		ike_sa_dpd_at(s, sa, not_before(s, sa));
}

void
ike_dpd_answered(struct ike_shard *s, struct ike_sa *sa)
{
	ike_count(s, IKE_CTR_DPD_ANSWERED);
	sa->dpd_hold = 0;
	ike_dpd_request_done(s, sa);
}

/* One more probe allowed this millisecond, with room in tx[]? Else wait a millisecond. */
static bool
may_send(struct ike_shard *s, struct ike_sa *sa)
{
	uint32_t cap = s->cfg->dpd_probes_per_ms;

	if (s->dpd_ms != s->now_ms) {
		s->dpd_ms = s->now_ms;
		s->dpd_sent = 0;
	}
	if (s->dpd_sent >= (cap != 0 ? cap : DPD_PROBES_PER_MS_DEFAULT) || s->ntx == s->tx_n) {
		ike_count(s, IKE_CTR_DPD_DEFERRED);
		ike_sa_dpd_at(s, sa, s->now_ms + 1);
		return false;
	}
	s->dpd_sent++;
	return true;
}

/* HDR, SK {} with the probe's message ID, or the rekey request: a resend is the same (a new IV). */
void
ike_dpd_resend(struct ike_shard *s, struct ike_sa *sa)
{
	struct ike_tx *tx;
	struct ike_mb mb;

	if (sa->rekey_slot != 0) {
		ike_child_rekey_send(s, sa);
		return;
	}
	tx = ike_request_begin_id(s, sa, &mb, sa->dpd_msg_id);
	if (tx != NULL)
		ike_request_end(s, sa, &mb, tx);
}

/* Next resend: 2 s after the first send, then twice the wait before, never past the timeout. */
static uint64_t
next_send_ms(const struct ike_shard *s, const struct ike_sa *sa)
{
	unsigned doublings = sa->dpd_sends - 1u < 16u ? sa->dpd_sends - 1u : 16u;
	uint64_t wait = (uint64_t)DPD_FIRST_RESEND_MS << doublings;
	uint64_t end = probe_ms(s, sa) + timeout_ms(s);
	uint64_t at = s->now_ms + wait;

	return at < end ? at : end;
}

void
ike_dpd_request_start(struct ike_shard *s, struct ike_sa *sa)
{
	sa->dpd_msg_id = sa->our_msg_id++;
	sa->dpd_probe_ms = ike_ms32(s->now_ms);
	sa->dpd_hold = 0;
	sa->dpd_sends = 1;
	ike_dpd_resend(s, sa);
	ike_sa_dpd_at(s, sa, next_send_ms(s, sa));
}

/* Nothing outstanding: a waiting rekey, else a probe once the peer was quiet for the delay. */
static void
next_request(struct ike_shard *s, struct ike_sa *sa)
{
	if (sa->rekey_want != 0) {
		if (s->now_ms < not_before(s, sa)) {
			/* TEMPORARY_FAILURE or no free rekey slot: try again later. */
			ike_sa_dpd_at(s, sa, not_before(s, sa));
			return;
		}
		sa->dpd_hold = 0;
		if (!may_send(s, sa))
			return;
		if (ike_child_rekey_start(s, sa))
			return;
		s->dpd_sent--; /* nothing went out */
		if (sa->rekey_want != 0) {
			ike_sa_dpd_at(s, sa, sa->dpd_hold ? not_before(s, sa) : s->now_ms);
			return;
		}
	}
	if (s->cfg->dpd_delay_s == 0)
		return;
	if (s->now_ms < idle_due(s, sa)) {
		ike_sa_dpd_at(s, sa, idle_due(s, sa));
		return;
	}
	if (!may_send(s, sa))
		return;
	ike_count(s, IKE_CTR_DPD_PROBES);
	ike_dpd_request_start(s, sa);
}

void
ike_dpd_expire(struct ike_shard *s, struct ike_sa *sa)
{
	if (sa->state != IKE_SA_ESTABLISHED)
		return;
	/* The peer spoke after the probe went out (a request or the answer): alive. */
	if (sa->dpd_sends != 0 && sa->rekey_slot == 0 &&
	    (int32_t)(sa->heard_ms - sa->dpd_probe_ms) > 0) {
		sa->dpd_sends = 0;
		sa->dpd_hold = 0;
	}
	if (sa->dpd_sends == 0) {
		next_request(s, sa);
		return;
	}
	if (s->now_ms >= probe_ms(s, sa) + timeout_ms(s)) {
		/* Dead: no DELETE, and not ike_ticket_revoke(): the client may resume. */
		ike_count(s, sa->rekey_slot != 0 ? IKE_CTR_CHILD_REKEY_NO_ANSWER
						 : IKE_CTR_DPD_DELETED);
		ike_event_sa(s, sa, IKE_EV_DELETED, IKE_EVR_DPD);
		ike_sa_remove(s, sa);
		return;
	}
	if (!may_send(s, sa))
		return;
	if (sa->dpd_sends < UINT8_MAX)
		sa->dpd_sends++;
	ike_count(s, sa->rekey_slot != 0 ? IKE_CTR_CHILD_REKEY_RESENT : IKE_CTR_DPD_RESENDS);
	ike_dpd_resend(s, sa);
	ike_sa_dpd_at(s, sa, next_send_ms(s, sa));
}
