/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_window.c - message-ID window of size 1 and the last-response cache
 * (RFC 7296 2.3): a retransmitted request (the ID just answered) gets the
 * cached response byte for byte; older or not-yet-valid IDs are dropped.
 * Cache slots come from a shared pool and expire after response_cache_ms.
 */
#include <stddef.h>
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

enum ike_window_verdict
ike_window_check(struct ike_shard *s, const struct ike_sa *sa, uint32_t msg_id)
{
	if (msg_id == sa->next_msg_id)
		return IKE_WIN_NEW;
	if (sa->next_msg_id != 0 && msg_id == sa->next_msg_id - 1)
		return IKE_WIN_RETRANSMIT;
	/* Unsigned distance: "before" wraps the same way IDs do. */
	ike_count(s, msg_id - sa->next_msg_id < UINT32_MAX / 2 ? IKE_CTR_DROP_MSGID_FUTURE
								: IKE_CTR_DROP_MSGID_OLD);
	return IKE_WIN_DROP;
}

void
ike_window_resend(struct ike_shard *s, struct ike_sa *sa, const struct ike_rx *rx)
{
	const struct ike_resp *c;

	if (sa->resp_slot == IKE_NO_SLOT) {
		ike_count(s, IKE_CTR_DROP_RETRANSMIT_UNCACHED);
		return;
	}
	c = &s->resp[sa->resp_slot];
	if (ike_reply_bytes(s, rx, c->data, c->len))
		ike_count(s, IKE_CTR_RETRANSMIT);
}

void
ike_window_store(struct ike_shard *s, struct ike_sa *sa, const uint8_t *data, size_t len)
{
	struct ike_resp *c;

	if (len > IKE_RESP_CACHE_MAX) {
		ike_window_release(s, sa);
		ike_count(s, IKE_CTR_RESP_CACHE_FULL);
		return;
	}
	if (sa->resp_slot == IKE_NO_SLOT) {
		if (s->resp_nfree == 0) {
			ike_count(s, IKE_CTR_RESP_CACHE_FULL);
			return;
		}
		sa->resp_slot = s->resp_free[--s->resp_nfree];
	}
	c = &s->resp[sa->resp_slot];
	c->owner_spi = sa->spi_r;
	c->len = (uint16_t)len;
	memcpy(c->data, data, len);
	timer_add(&s->resp_timers, &c->timer, s->now_ms + s->cfg->response_cache_ms);
}

void
ike_window_release(struct ike_shard *s, struct ike_sa *sa)
{
	struct ike_resp *c;

	if (sa->resp_slot == IKE_NO_SLOT)
		return;
	c = &s->resp[sa->resp_slot];
	timer_cancel(&s->resp_timers, &c->timer);
	ike_wipe(c->data, c->len);
	c->len = 0;
	c->owner_spi = 0;
	s->resp_free[s->resp_nfree++] = sa->resp_slot;
	sa->resp_slot = IKE_NO_SLOT;
}

void
ike_window_expire(struct timer_node *t, void *arg)
{
	struct ike_resp *c = (struct ike_resp *)(void *)((uint8_t *)t -
							 offsetof(struct ike_resp, timer));
	struct ike_shard *s = arg;
	struct ike_sa *sa = satable_lookup(s->sas, c->owner_spi);

	ike_count(s, IKE_CTR_RESP_CACHE_EXPIRED);
	if (sa != NULL && sa->resp_slot == (uint32_t)(c - s->resp))
		ike_window_release(s, sa);
}
