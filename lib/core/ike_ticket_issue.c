/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ticket_issue.c - tickets for established IKE SAs (RFC 5723 4.1, 6.2,
 * 7.1, 9.8). N(TICKET_REQUEST) in IKE_AUTH, in an IKE SA rekey or in an
 * INFORMATIONAL request is answered with
 *   N(TICKET_LT_OPAQUE, Lifetime | ticket)  or
 *   N(TICKET_NACK)  (no key to seal with, tickets off, a refused state)  or
 *   N(TICKET_ACK)   (the ticket does not fit this response: ask again later).
 * The ticket carries the SA's RFC 4478 deadline unchanged. The last ticket
 * of an SA is revoked (its id goes into the replay filter) when the client
 * deletes the SA, when the SA is rekeyed, and when a refresh replaces it.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_log.h"
#include "ike_secret.h"
#include "ike_ticket_keyring.h"

/* Room a notify header and the SK trailer (padding, ICV) may still need. */
#define TICKET_REPLY_SLACK 64
/* Reseal attempts per shard before a ticket owned by another shard is accepted. */
#define OWNER_TRIES_PER_SHARD 32

bool
ike_ticket_replay_params_of(const struct ike_core_cfg *cfg, struct ike_ticket_replay_params *p)
{
	if (cfg->ticket_lifetime_s == 0)
		return false;
	p->lifetime = cfg->ticket_lifetime_s;
	p->rate = cfg->ticket_resumes_per_s;
	p->fp_target = cfg->ticket_replay_fp != 0 ? cfg->ticket_replay_fp : 1e-3;
	return true;
}

void
ike_ticket_nack(struct ike_shard *s, struct ike_mb *mb, unsigned ctr)
{
	ike_count(s, ctr);
	ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_NACK, NULL, 0);
}

/*
 * A slice of the filter that fills up makes fresh tickets look used: say so
 * when it reaches its sized load. That is reported once per slice, so the
 * log carries at most one line per slice period (lifetime / SLICES).
 */
void
ike_ticket_replay_record(struct ike_shard *s, const uint8_t id[IKE_TICKET_ID_LEN],
			 uint64_t expires)
{
	unsigned ev = ike_ticket_replay_insert(s->replay, id, expires, ike_now_s(s));

	if (ev == 0)
		return;
	if (ev & IKE_TICKET_REPLAY_EV_OVER)
		ike_count(s, IKE_CTR_REPLAY_FILTER_OVER);
	if (ev & IKE_TICKET_REPLAY_EV_FULL) {
		ike_count(s, IKE_CTR_REPLAY_FILTER_FULL);
		ike_log(IKE_LOG_WARNING,
			"ikefarm.lib.core: shard %u: a ticket replay filter slice reached its "
			"sized load (resumes_per_s = %u over lifetime_s / %u): beyond it fresh "
			"tickets get TICKET_NACK replay-filter-full (a full handshake); raise "
			"[tickets] resumes_per_s",
			s->id, s->cfg->ticket_resumes_per_s, IKE_TICKET_REPLAY_SLICES);
	}
}

void
ike_ticket_revoke(struct ike_shard *s, struct ike_sa *sa)
{
	if (!sa->has_ticket || s->replay == NULL)
		return;
	ike_ticket_replay_record(s, sa->ticket_id, sa->ticket_expires);
	ike_wipe(sa->ticket_id, sizeof(sa->ticket_id));
	sa->has_ticket = 0;
	ike_count(s, IKE_CTR_TICKET_REVOKED);
}

/* Whether the transforms t describe the algorithms the SA runs. */
static bool
sa_runs(const struct ike_sa *sa, const struct ike_transforms *t)
{
	struct ike_suite su;

	return ike_suite_ike(t, &su) == IKE_OK && su.prf == (enum cry_prf_alg)sa->prf &&
	       su.sk.cipher == sa->k_out.cipher && su.sk.enc_key_len == sa->k_out.enc_key_len &&
	       su.sk.integ == sa->k_out.integ;
}

/* The configured transform IDs of the SA's suite (the SA keeps algorithms, not IDs). */
static bool
sa_transforms(const struct ike_shard *s, const struct ike_sa *sa, struct ike_transforms *t)
{
	for (unsigned c = 0; c < s->nb_ike_props; c++) {
		const struct ike_proposal_cfg *p = &s->ike_props[c];
		const struct ike_alg_list *e = &p->xf[IKE_TRANSFORM_ENCR];
		const struct ike_alg_list *i = &p->xf[IKE_TRANSFORM_INTEG];
		const struct ike_alg_list *f = &p->xf[IKE_TRANSFORM_PRF];

		for (unsigned a = 0; a < e->n; a++)
			for (unsigned b = 0; b < (i->n ? i->n : 1u); b++)
				for (unsigned d = 0; d < f->n; d++) {
					ike_proposal_cfg_first(p, t);
					t->encr = e->alg[a].id;
					t->encr_key_bits = e->alg[a].key_bits;
					t->integ = i->n ? i->alg[b].id : IKE_INTEG_NONE;
					t->prf = f->alg[d].id;
					if (sa_runs(sa, t))
						return true;
				}
	}
	return false;
}

static void
ident_set(struct ike_ticket_ident *id, uint8_t type, const uint8_t *data, size_t len)
{
	id->type = type;
	id->len = (uint16_t)len;
	memcpy(id->data, data, len);
}

/* RFC 5723 5 "from the ticket": identities, SAr, SK_d, auth method, deadline. */
static bool
state_of(struct ike_shard *s, const struct ike_sa *sa, uint32_t peer_idx,
	 struct ike_ticket_state *st)
{
	const struct ike_core_cfg *cfg = s->cfg;
	const struct ike_peer_cfg *pc = &s->peers_cfg[peer_idx];
	struct ike_transforms t;

	if (!sa_transforms(s, sa, &t))
		return false;
	memset(st, 0, sizeof(*st));
	st->auth_deadline = sa->auth_deadline;
	ike_put_u64(st->spi_i, sa->spi_i);
	ike_put_u64(st->spi_r, ike_sa_spi_r(s, sa));
	st->encr = t.encr;
	st->encr_key_bits = t.encr_key_bits;
	st->prf = t.prf;
	st->integ = t.integ;
	st->peer_auth = ike_ticket_peer_auth(pc);
	st->sk_d_len = sa->prf_len;
	memcpy(st->sk_d, sa->sk_d, sa->prf_len);
	ident_set(&st->id_i, pc->id_type, pc->id, pc->id_len);
	ident_set(&st->id_r, cfg->local_id_type, cfg->local_id, cfg->local_id_len);
	ike_cp_ticket_state(s, sa, st);
	return true;
}

/*
 * Seals st; with several shards, seals again (fresh IV) until the ticket's
 * owner shard is this one, so that its uses and its revocation meet in our
 * filter. Each attempt is one small AES-GCM seal.
 */
static enum ike_ticket_reason
seal_owned(struct ike_shard *s, const struct ike_ticket_keyring *kr, struct ike_ticket_state *st,
	   uint64_t now, uint8_t *out, size_t cap, size_t *len)
{
	unsigned nb = s->cfg->nb_shards > 1 ? s->cfg->nb_shards : 1;
	unsigned tries = nb == 1 ? 1 : nb * OWNER_TRIES_PER_SHARD;
	enum ike_ticket_reason rc = IKE_TICKET_CRYPTO;

	for (unsigned i = 0; i < tries; i++) {
		rc = ike_ticket_seal(s->ops, kr, st, now, out, cap, len);
		if (rc != IKE_TICKET_OK || ike_ticket_owner_shard(out, *len, nb) == s->id)
			break;
	}
	return rc;
}

void
ike_ticket_answer(struct ike_shard *s, const struct ike_msg *req, struct ike_sa *sa,
		  uint32_t peer_idx, struct ike_mb *mb)
{
	const struct ike_ticket_keyring *kr = s->keyring;
	struct ike_ticket_state *st = &s->ticket_st;
	uint64_t now = ike_now_s(s);
	enum ike_ticket_reason rc;
	size_t len, room, limit;
	uint32_t lifetime;

	if (ike_msg_find_notify(req, IKE_N_TICKET_REQUEST) == NULL)
		return;
	if (s->replay == NULL || kr == NULL) {
		ike_ticket_nack(s, mb, ike_ctr_ticket(IKE_TICKET_NO_SEAL_KEY));
		return;
	}
	if (!state_of(s, sa, peer_idx, st)) {
		ike_ticket_nack(s, mb, ike_ctr_ticket(IKE_TICKET_BAD_STATE));
		return;
	}
	lifetime = s->cfg->ticket_lifetime_s;
	if (lifetime > ike_ticket_keyring_params(kr)->max_lifetime)
		lifetime = ike_ticket_keyring_params(kr)->max_lifetime;
	st->expires = ike_ticket_expiry(now, lifetime, sa->auth_deadline);
	rc = seal_owned(s, kr, st, now, s->ticket_buf + 4, sizeof(s->ticket_buf) - 4, &len);
	if (rc != IKE_TICKET_OK) {
		ike_ticket_state_wipe(st);
		ike_ticket_nack(s, mb, ike_ctr_ticket(rc));
		return;
	}
	/* RFC 5723 4.1: TICKET_ACK when it does not fit (tx buffer or retransmit cache). */
	limit = mb->w.cap < IKE_RESP_MID_MAX ? mb->w.cap : IKE_RESP_MID_MAX;
	room = limit > mb->w.off + TICKET_REPLY_SLACK ? limit - mb->w.off - TICKET_REPLY_SLACK : 0;
	if (4 + len + IKE_GEN_HDR_LEN + 4 > room) {
		ike_ticket_state_wipe(st);
		ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_ACK, NULL, 0);
		return;
	}
	/* 7.1: Lifetime is relative, seconds until the ticket expires. */
	ike_put_u32(s->ticket_buf, (uint32_t)(st->expires - now));
	ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_LT_OPAQUE, s->ticket_buf,
			  4 + len);
	/* A refresh replaces the client's ticket: the one before can no longer resume. */
	ike_ticket_revoke(s, sa);
	memcpy(sa->ticket_id, st->ticket_id, sizeof(sa->ticket_id));
	sa->ticket_expires = ike_unix32(st->expires);
	sa->has_ticket = 1;
	ike_cp_ticket_issued(s, sa, st->expires);
	ike_ticket_state_wipe(st);
	ike_count(s, IKE_CTR_TICKET_ISSUED);
}
