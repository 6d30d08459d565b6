/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_event.c - the host's event hook: one fixed struct per IKE SA event,
 * filled from the SA; the host formats, rate-limits and logs it. Nothing
 * here allocates or blocks: the hook runs on the shard's thread.
 */
#include <string.h>

#include "ike_core_priv.h"

void
ike_shard_set_event(struct ike_shard *s, ike_event_cb fn)
{
	s->event_cb = fn;
}

static void
from_sa(const struct ike_shard *s, const struct ike_sa *sa, struct ike_event *ev)
{
	const struct ike_peer_cfg *pc;

	ev->spi_i = sa->spi_i;
	ev->spi_r = ike_sa_spi_r(s, sa);
	ev->remote = sa->remote;
	if (sa->peer_idx != IKE_NO_SLOT && sa->peer_idx < s->nb_peers) {
		pc = &s->peers_cfg[sa->peer_idx];
		ev->id_type = pc->id_type;
		ev->id_len = pc->id_len;
		ev->id = pc->id;
	}
	ev->cipher = (uint8_t)sa->k_out.cipher;
	ev->integ = (uint8_t)sa->k_out.integ;
	ev->prf = sa->prf;
	ev->enc_key_bits = (uint16_t)(sa->k_out.enc_key_len * 8u);
}

void
ike_event_sa(struct ike_shard *s, const struct ike_sa *sa, enum ike_event_type type,
	     enum ike_event_reason why)
{
	struct ike_event ev;

	if (s->event_cb == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = (uint8_t)type;
	ev.reason = (uint8_t)why;
	from_sa(s, sa, &ev);
	s->event_cb(s->cb_arg, &ev);
}

void
ike_event_rekeyed(struct ike_shard *s, const struct ike_sa *old, const struct ike_sa *nsa)
{
	struct ike_event ev;

	if (s->event_cb == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = IKE_EV_REKEYED;
	from_sa(s, nsa, &ev);
	ev.old_spi_r = ike_sa_spi_r(s, old);
	s->event_cb(s->cb_arg, &ev);
}

void
ike_event_resumed(struct ike_shard *s, const struct ike_sa *sa, const uint8_t key_id[4])
{
	struct ike_event ev;

	if (s->event_cb == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = IKE_EV_RESUMED;
	from_sa(s, sa, &ev);
	memcpy(ev.ticket_key_id, key_id, sizeof(ev.ticket_key_id));
	s->event_cb(s->cb_arg, &ev);
}

void
ike_event_refused(struct ike_shard *s, const struct ike_rx *rx, uint64_t spi_i, uint16_t notify)
{
	struct ike_event ev;

	if (s->event_cb == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = IKE_EV_REFUSED;
	ev.notify = notify;
	ev.spi_i = spi_i;
	ev.remote = rx->remote;
	s->event_cb(s->cb_arg, &ev);
}

void
ike_event_auth_failed(struct ike_shard *s, const struct ike_sa *sa, uint16_t notify,
		      uint8_t id_type, const uint8_t *id, size_t id_len)
{
	struct ike_event ev;

	if (s->event_cb == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = IKE_EV_AUTH_FAILED;
	ev.notify = notify;
	ev.spi_i = sa->spi_i;
	ev.spi_r = ike_sa_spi_r(s, sa);
	ev.remote = sa->remote;
	if (id != NULL) {
		ev.id_type = id_type;
		ev.id_len = (uint8_t)(id_len > 255 ? 255 : id_len);
		ev.id = id;
	}
	s->event_cb(s->cb_arg, &ev);
}
