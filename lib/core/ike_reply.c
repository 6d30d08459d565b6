/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_reply.c - replies into the host's tx slots. Encrypted replies are
 * built in plaintext and get a seal job; all seal jobs of a burst run as
 * one aead_burst, then sealed replies are cached for retransmits
 * (RFC 7296 2.1) and failed ones are taken out of tx[].
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_sk.h"

struct ike_tx *
ike_tx_take(struct ike_shard *s, const struct ike_rx *rx, unsigned *idx)
{
	struct ike_tx *tx;

	if (s->ntx == s->tx_n) {
		ike_count(s, IKE_CTR_DROP_TX_FULL);
		return NULL;
	}
	*idx = s->ntx++;
	tx = &s->tx[*idx];
	tx->len = 0;
	tx->tag = rx->tag;
	tx->local = rx->local;
	tx->remote = rx->remote;
	memset(&s->txmeta[*idx], 0, sizeof(s->txmeta[*idx]));
	return tx;
}

bool
ike_reply_bytes(struct ike_shard *s, const struct ike_rx *rx, const uint8_t *data, size_t len)
{
	struct ike_tx *tx;
	unsigned idx;

	tx = ike_tx_take(s, rx, &idx);
	if (tx == NULL)
		return false;
	if (len > tx->cap) {
		s->txmeta[idx].dead = true;
		ike_count(s, IKE_CTR_DROP_BUILD);
		return false;
	}
	memcpy(tx->data, data, len);
	tx->len = (uint16_t)len;
	return true;
}

void
ike_reply_notify(struct ike_shard *s, const struct ike_rx *rx, const struct ike_msg *req,
		 uint16_t type, const void *data, size_t len)
{
	struct ike_reply rep;

	if (!ike_reply_begin(s, &rep, rx, req, 0, NULL))
		return;
	ike_mb_add_notify(&rep.mb, IKE_PROTO_NONE, NULL, 0, type, data, len);
	ike_reply_end(s, &rep);
}

bool
ike_reply_begin(struct ike_shard *s, struct ike_reply *r, const struct ike_rx *rx,
		const struct ike_msg *req, uint64_t spi_r, struct ike_sa *sa)
{
	r->tx = ike_tx_take(s, rx, &r->idx);
	if (r->tx == NULL)
		return false;
	r->sa = sa;
	/* We are the original responder: R set, I clear (RFC 7296 3.1). */
	ike_mb_init(&r->mb, r->tx->data, r->tx->cap, req->spi_i, spi_r, req->exchange,
		    IKE_HDR_F_RESPONSE, req->msg_id);
	if (sa != NULL)
		ike_mb_begin_sk(&r->mb, ike_sk_iv_len(&sa->k_out));
	return true;
}

bool
ike_reply_close(struct ike_shard *s, struct ike_reply *r, struct ike_reply_plain *pl)
{
	if (ike_mb_end_sk(&r->mb, &pl->sk_off, &pl->plain_off, &pl->plain_len) == IKE_OK)
		return true;
	s->txmeta[r->idx].dead = true;
	ike_count(s, IKE_CTR_DROP_BUILD);
	return false;
}

bool
ike_reply_seal_now(struct ike_shard *s, struct ike_reply *r, const struct ike_reply_plain *pl)
{
	struct ike_txmeta *m = &s->txmeta[r->idx];
	size_t len;

	if (ike_reply_needs_frag(s, r, pl))
		return ike_reply_fragment(s, r, pl);

	if (ike_sk_seal(s->ops, &r->sa->k_out, r->tx->data, r->tx->cap, pl->sk_off, pl->plain_off,
			pl->plain_len, &len) != IKE_OK) {
		m->dead = true;
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		return false;
	}
	r->tx->len = (uint16_t)len;
	/* Cached by ike_reply_seal_all(), with no job to run. */
	m->cache_spi = ike_sa_spi_r(s, r->sa);
	return true;
}

void
ike_reply_end(struct ike_shard *s, struct ike_reply *r)
{
	struct ike_txmeta *m = &s->txmeta[r->idx];
	struct ike_reply_plain pl;
	size_t len;

	if (r->sa == NULL) {
		if (ike_mb_finish(&r->mb, &len) != IKE_OK)
			goto fail;
		r->tx->len = (uint16_t)len;
		return;
	}
	if (!ike_reply_close(s, r, &pl))
		return;
	if (ike_reply_needs_frag(s, r, &pl)) {
		ike_reply_fragment(s, r, &pl);
		return;
	}
	if (ike_sk_seal_prepare(s->ops, &r->sa->k_out, r->tx->data, r->tx->cap, pl.sk_off,
				pl.plain_off, pl.plain_len, &len,
				&s->seal_jobs[s->nseal]) != IKE_OK)
		goto fail;
	r->tx->len = (uint16_t)len;
	m->seal = true;
	m->job = (uint8_t)s->nseal++;
	m->cache_spi = ike_sa_spi_r(s, r->sa);
	return;
fail:
	m->dead = true;
	ike_count(s, IKE_CTR_DROP_BUILD);
}

void
ike_reply_error(struct ike_shard *s, const struct ike_rx *rx, const struct ike_msg *req,
		struct ike_sa *sa, uint16_t notify)
{
	struct ike_reply r;

	if (!ike_reply_begin(s, &r, rx, req, ike_sa_spi_r(s, sa), sa))
		return;
	ike_mb_add_notify(&r.mb, IKE_PROTO_NONE, NULL, 0, notify, NULL, 0);
	ike_reply_end(s, &r);
}

static void
tx_compact(struct ike_shard *s)
{
	unsigned w = 0;

	for (unsigned i = 0; i < s->ntx; i++) {
		if (s->txmeta[i].dead)
			continue;
		if (w != i) {
			struct ike_tx t = s->tx[w];

			/* Swap, so the host's buffers stay in its array. */
			s->tx[w] = s->tx[i];
			s->tx[i] = t;
		}
		w++;
	}
	s->counters[IKE_CTR_TX] += w;
	s->ntx = w;
}

void
ike_reply_seal_all(struct ike_shard *s)
{
	if (s->nseal != 0)
		s->ops->sym->aead_burst(s->ops->sym_ctx, s->seal_jobs, s->nseal);
	for (unsigned i = 0; i < s->ntx; i++) {
		struct ike_txmeta *m = &s->txmeta[i];
		struct ike_sa *sa;

		if (m->dead)
			continue;
		if (m->seal && ike_sk_seal_finish(&s->seal_jobs[m->job]) != IKE_OK) {
			m->dead = true;
			ike_count(s, IKE_CTR_DROP_CRYPTO);
			continue;
		}
		if (m->cache_spi == 0)
			continue;
		sa = satable_lookup(s->sas, m->cache_spi);
		if (sa != NULL && sa->state != IKE_SA_DYING)
			ike_window_store(s, sa, s->tx[i].data, s->tx[i].len, m->frag != 0);
		else if (sa != NULL && sa->closed)
			ike_window_store_closed(s, sa, s->tx[i].data, s->tx[i].len);
	}
	s->nseal = 0;
	ike_sa_reap_dying(s);
	tx_compact(s);
}
