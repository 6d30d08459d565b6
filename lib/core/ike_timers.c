/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_timers.c - the shard's timers. Each SA has one node in s->sa_timers,
 * armed at the earliest of its deadlines:
 *   life_due  half-open reaping (RFC 7296 2.6), reaping of a rekeyed SA the
 *             initiator never deleted (2.18), or the IKE SA lifetime with a
 *             DELETE request to the peer (1.4.1): the state says which
 *   RFC 4478  auth_deadline + grace (ike_auth_lifetime.c), while ESTABLISHED
 *   dpd_due   dead peer detection and our outstanding request's resends and
 *             rekey retries (ike_dpd.c), while ESTABLISHED
 *   refresh   IKE_MS32_SPAN after the last firing, while ESTABLISHED
 * When it fires, every deadline that passed is handled in that order and
 * the node goes to the next one. Cached responses expire by their
 * own age list (ike_window.c).
 *
 * The ms times of an SA are 32-bit (ike_sa_time.h); ike_ms64() reads them back
 * right while they lie within 2^31 ms (24.8 days) of now, which holds:
 * life_due and dpd_due are set at most IKE_MS32_SPAN (2^30 ms, 12.4 days)
 * ahead (ike_core_cfg_check() bounds the timeouts, lifetimes and DPD times
 * that far) and are read only while armed, that is until they fire.
 * heard_ms and dpd_probe_ms are set to now or seconds ahead; dpd_probe_ms
 * is read only with a request outstanding (resolved within dpd_timeout_s)
 * or with dpd_hold, and heard_ms only by DPD (its delay is far shorter).
 * Since an ESTABLISHED SA's node fires at least every IKE_MS32_SPAN, and
 * each firing moves a heard_ms older than that up to now - IKE_MS32_SPAN
 * (as long ago for DPD) and drops a passed dpd_hold, neither ever gets
 * 2^31 ms behind.
 */
#include <stddef.h>
#include <string.h>

#include "ike_core_priv.h"
#include "ike_sk.h"

void
ike_sa_timer_update(struct ike_shard *s, struct ike_sa *sa)
{
	bool est = sa->state == IKE_SA_ESTABLISHED;
	uint64_t at = est ? s->now_ms + IKE_MS32_SPAN : UINT64_MAX; /* the refresh */
	uint64_t t;

	if (sa->life_armed && (t = ike_ms64(s->now_ms, sa->life_due)) < at)
		at = t;
	if (est && (t = ike_auth_lifetime_end_ms(s, sa)) != 0 && t < at)
		at = t;
	if (est && sa->dpd_armed && (t = ike_ms64(s->now_ms, sa->dpd_due)) < at)
		at = t;
	if (at == UINT64_MAX)
		timer_cancel(&s->sa_timers, &sa->timer);
	else
		timer_add(&s->sa_timers, &sa->timer, at);
}

void
ike_sa_dpd_at(struct ike_shard *s, struct ike_sa *sa, uint64_t at_ms)
{
	sa->dpd_due = ike_ms32(at_ms);
	sa->dpd_armed = 1;
	ike_sa_timer_update(s, sa);
}

void
ike_sa_dpd_off(struct ike_shard *s, struct ike_sa *sa)
{
	if (!sa->dpd_armed)
		return;
	sa->dpd_armed = 0;
	ike_sa_timer_update(s, sa);
}

void
ike_sa_timer_arm(struct ike_shard *s, struct ike_sa *sa)
{
	uint64_t after_ms;

	ike_dpd_arm(s, sa);
	switch (sa->state) {
	case IKE_SA_HALF_OPEN:
	case IKE_SA_REKEYED:
		after_ms = s->cfg->half_open_timeout_ms;
		break;
	case IKE_SA_ESTABLISHED:
		after_ms = (uint64_t)s->cfg->ike_lifetime_s * 1000; /* 0: none */
		break;
	default:
		return;
	}
	sa->life_armed = after_ms != 0;
	sa->life_due = ike_ms32(s->now_ms + after_ms);
	ike_sa_timer_update(s, sa);
}

struct ike_tx *
ike_request_begin(struct ike_shard *s, struct ike_sa *sa, struct ike_mb *mb)
{
	if (s->ntx == s->tx_n) {
		ike_count(s, IKE_CTR_DROP_TX_FULL);
		return NULL;
	}
	return ike_request_begin_id(s, sa, mb, sa->our_msg_id++);
}

struct ike_tx *
ike_request_begin_id(struct ike_shard *s, struct ike_sa *sa, struct ike_mb *mb, uint32_t msg_id)
{
	return ike_request_begin_exch(s, sa, mb, IKE_EXCH_INFORMATIONAL, msg_id);
}

struct ike_tx *
ike_request_begin_exch(struct ike_shard *s, struct ike_sa *sa, struct ike_mb *mb, uint8_t exchange,
		       uint32_t msg_id)
{
	struct ike_tx *tx;

	if (s->ntx == s->tx_n) {
		ike_count(s, IKE_CTR_DROP_TX_FULL);
		return NULL;
	}
	tx = &s->tx[s->ntx];
	ike_mb_init(mb, tx->data, tx->cap, sa->spi_i, ike_sa_spi_r(s, sa), exchange, 0, msg_id);
	ike_mb_begin_sk(mb, ike_sk_iv_len(&sa->k_out));
	return tx;
}

void
ike_request_end(struct ike_shard *s, struct ike_sa *sa, struct ike_mb *mb, struct ike_tx *tx)
{
	size_t sk_off, plain_off, plain_len, len;

	if (ike_mb_end_sk(mb, &sk_off, &plain_off, &plain_len) != IKE_OK ||
	    ike_sk_seal(s->ops, &sa->k_out, tx->data, tx->cap, sk_off, plain_off, plain_len,
			&len) != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_BUILD);
		return;
	}
	tx->len = (uint16_t)len;
	tx->tag = sa->tag;
	tx->local = *ike_sa_local(s, sa);
	tx->remote = sa->remote;
	s->ntx++;
	ike_count(s, IKE_CTR_TX);
}

void
ike_request_delete(struct ike_shard *s, struct ike_sa *sa)
{
	struct ike_tx *tx;
	struct ike_mb mb;

	tx = ike_request_begin(s, sa, &mb);
	if (tx == NULL)
		return;
	ike_mb_add_delete(&mb, IKE_PROTO_IKE, 0, 0, NULL);
	ike_request_end(s, sa, &mb, tx);
}

static bool
passed(const struct ike_shard *s, uint32_t t)
{
	return (int32_t)(t - ike_ms32(s->now_ms)) <= 0;
}

/* life_due passed: what it means depends on the state. */
static void
life_expire(struct ike_shard *s, struct ike_sa *sa)
{
	switch (sa->state) {
	case IKE_SA_HALF_OPEN:
		ike_count(s, IKE_CTR_HALF_OPEN_EXPIRED);
		break;
	case IKE_SA_REKEYED:
		ike_count(s, IKE_CTR_REKEYED_EXPIRED);
		break;
	default:
		ike_count(s, IKE_CTR_IKE_LIFETIME_EXPIRED);
		ike_event_sa(s, sa, IKE_EV_DELETED, IKE_EVR_LIFETIME);
		ike_request_delete(s, sa);
		break;
	}
	ike_sa_remove(s, sa);
}

/* Keeps heard_ms and a dpd_hold within IKE_MS32_SPAN of now (the range argument above). */
static void
ms32_refresh(struct ike_shard *s, struct ike_sa *sa)
{
	uint32_t now = ike_ms32(s->now_ms);

	if (now - sa->heard_ms > IKE_MS32_SPAN)
		sa->heard_ms = now - IKE_MS32_SPAN;
	if (sa->dpd_hold && passed(s, sa->dpd_probe_ms))
		sa->dpd_hold = 0;
}

static void
sa_expire(struct timer_node *t, void *arg)
{
	struct ike_sa *sa = (struct ike_sa *)(void *)((uint8_t *)t -
						      offsetof(struct ike_sa, timer));
	struct ike_shard *s = arg;
	uint64_t spi_r = ike_sa_spi_r(s, sa);
	uint64_t auth_end;

	if (sa->life_armed && passed(s, sa->life_due)) {
		life_expire(s, sa);
		return;
	}
	if (sa->state == IKE_SA_ESTABLISHED) {
		auth_end = ike_auth_lifetime_end_ms(s, sa);
		if (auth_end != 0 && s->now_ms >= auth_end) {
			ike_auth_lifetime_expire(s, sa);
			return;
		}
		ms32_refresh(s, sa);
		if (sa->dpd_armed && passed(s, sa->dpd_due)) {
			sa->dpd_armed = 0;
			ike_dpd_expire(s, sa);
			if (satable_lookup(s->sas, spi_r) != sa)
				return; /* DPD found the peer dead */
		}
	}
	ike_sa_timer_update(s, sa);
}

unsigned
ike_shard_tick(struct ike_shard *s, uint64_t now_ms, struct ike_tx *tx, unsigned tx_n)
{
	s->now_ms = now_ms;
	s->tx = tx;
	s->tx_n = tx_n;
	s->ntx = 0;
	ike_cookie_rotate(s, now_ms);
	/* Expired replay filter slices are cleared here rather than by an insert. */
	if (s->replay != NULL)
		ike_ticket_replay_rotate(s->replay, ike_now_s(s));
	ike_window_expire(s);
	timer_wheel_advance(&s->sa_timers, now_ms, sa_expire, s);
	ike_followup_expire(s);
	return s->ntx;
}

unsigned
ike_shard_child_expire(struct ike_shard *s, uint64_t ike_spi, uint32_t spi_in, uint64_t now_ms,
		       struct ike_tx *tx, unsigned tx_n)
{
	struct ike_sa *sa = ike_spi != 0 ? satable_lookup(s->sas, ike_spi) : NULL;
	struct ike_tx *req;
	uint8_t spi[IKE_CHILD_SPI_LEN];
	struct ike_mb mb;
	unsigned i;

	s->now_ms = now_ms;
	s->tx = tx;
	s->tx_n = tx_n;
	s->ntx = 0;
	if (sa == NULL || sa->state != IKE_SA_ESTABLISHED) {
		ike_count(s, IKE_CTR_CHILD_EXPIRE_STALE);
		return 0;
	}
	for (i = 0; i < IKE_SA_MAX_CHILDREN; i++)
		if (sa->child[i].spi_in != 0 && sa->child[i].spi_in == spi_in)
			break;
	if (i == IKE_SA_MAX_CHILDREN) {
		ike_count(s, IKE_CTR_CHILD_EXPIRE_STALE);
		return 0;
	}
	/* RFC 7296 1.4.1: a Delete names the SPI the sender expects to receive on. */
	req = ike_request_begin(s, sa, &mb);
	if (req != NULL) {
		ike_put_u32(spi, spi_in);
		ike_mb_add_delete(&mb, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, 1, spi);
		ike_request_end(s, sa, &mb, req);
	}
	ike_child_delete(s, sa, i);
	ike_count(s, IKE_CTR_CHILD_EXPIRED);
	return s->ntx;
}

uint16_t
ike_answer_error(const struct ike_req *r)
{
	const struct ike_msg *m = &r->msg;

	for (unsigned i = 0; i < m->n_pld; i++) {
		struct ike_pld_notify n;

		if (!m->pld[i].inner || m->pld[i].type != IKE_PLD_NOTIFY)
			continue;
		ike_pld_notify_parse(ike_req_body(r, &m->pld[i]), m->pld[i].len, &n);
		if (n.type < IKE_N_STATUS_MIN)
			return n.type;
	}
	return 0;
}
