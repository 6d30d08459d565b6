/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_frag_tx.c - our encrypted replies as Encrypted Fragment messages
 * (RFC 7383 2.5) to a peer that announced IKEV2_FRAGMENTATION_SUPPORTED,
 * when the sealed reply would be larger than cfg->fragment_size. The
 * plaintext is cut so that each fragment, sealed, fits that size; each
 * fragment has the reply's header, its own IV and ICV, Fragment Number
 * 1..n and Total n; fragment 1 names the first inner payload. They are
 * sealed at once (fragmenting is rare; the burst's other replies still
 * share one aead_burst) and cached together, so a retransmitted request
 * gets every fragment again (2.6.1).
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"
#include "ike_sk.h"

/* What one sealed fragment adds to its plaintext: header, SKF header, IV, trailer. */
static size_t
frag_overhead(const struct cry_sk_keys *k)
{
	return IKE_HDR_LEN + IKE_SKF_HDR_LEN + ike_sk_iv_len(k) + ike_sk_trailer_max(k);
}

bool
ike_reply_needs_frag(const struct ike_shard *s, const struct ike_reply *r,
		     const struct ike_reply_plain *pl)
{
	const struct cry_sk_keys *k = &r->sa->k_out;

	return r->sa->frag_ok && pl->sk_off == IKE_HDR_LEN &&
	       pl->plain_off + pl->plain_len + ike_sk_trailer_max(k) > s->frag_size;
}

bool
ike_reply_fragment(struct ike_shard *s, struct ike_reply *r, const struct ike_reply_plain *pl)
{
	const struct cry_sk_keys *k = &r->sa->k_out;
	size_t room = s->frag_size > frag_overhead(k) ? s->frag_size - frag_overhead(k) : 0;
	const uint8_t *h = r->tx->data;
	uint8_t first_inner = h[pl->sk_off];
	uint64_t spi_i = ike_get_u64(h), spi_r = ike_get_u64(h + 8);
	uint8_t exchange = h[18], flags = h[19];
	uint32_t msg_id = ike_get_u32(h + 20);
	struct ike_rx to = {.tag = r->tx->tag, .local = r->tx->local, .remote = r->tx->remote};
	size_t n, total = pl->plain_len;

	/* CBC: whole blocks of room, so padding never pushes a fragment over the size. */
	room -= room % 16;
	n = room != 0 ? (total + room - 1) / room : 0;
	if (n == 0 || n > IKE_FRAG_MAX || total > sizeof(s->frag_plain)) {
		ike_count(s, IKE_CTR_FRAG_TX_TOO_BIG);
		s->txmeta[r->idx].dead = true;
		return false;
	}
	memcpy(s->frag_plain, h + pl->plain_off, total);
	for (size_t i = 0; i < n; i++) {
		size_t off = i * room, part = total - off < room ? total - off : room;
		size_t sk_off, plain_off, plain_len, len;
		struct ike_tx *tx = r->tx;
		unsigned idx = r->idx;
		struct ike_mb mb;

		if (i != 0 && (tx = ike_tx_take(s, &to, &idx)) == NULL)
			break;
		ike_mb_init(&mb, tx->data, tx->cap, spi_i, spi_r, exchange, flags, msg_id);
		ike_mb_begin_skf(&mb, (uint16_t)(i + 1), (uint16_t)n,
				 i == 0 ? first_inner : IKE_PLD_NONE, ike_sk_iv_len(k));
		ike_mb_add_fragment(&mb, s->frag_plain + off, part);
		if (ike_mb_end_sk(&mb, &sk_off, &plain_off, &plain_len) != IKE_OK ||
		    ike_skf_seal(s->ops, k, tx->data, tx->cap, sk_off, plain_off, plain_len,
				 &len) != IKE_OK) {
			s->txmeta[idx].dead = true;
			ike_count(s, IKE_CTR_DROP_CRYPTO);
			break;
		}
		tx->len = (uint16_t)len;
		s->txmeta[idx].cache_spi = ike_sa_spi_r(s, r->sa);
		s->txmeta[idx].frag = (uint8_t)i;
		ike_count(s, IKE_CTR_FRAG_TX_FRAGMENTS);
	}
	ike_wipe(s->frag_plain, total);
	ike_count(s, IKE_CTR_FRAG_TX_MESSAGES);
	return true;
}
