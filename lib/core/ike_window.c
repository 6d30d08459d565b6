/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_window.c - message-ID window of size 1 and the last-response cache
 * (RFC 7296 2.3): a retransmitted request (the ID just answered) gets the
 * cached response byte for byte; older or not-yet-valid IDs are dropped.
 * Cache slots come from a shared pool sized by exchanges in flight, not by
 * SAs, and expire after response_cache_ms. When all are taken the oldest
 * response is evicted for the new one (resp_cache_evicted): the newest are
 * the ones whose requests get retransmitted. Its SA forgets the slot, so a
 * retransmit of that request is then dropped (drop_retransmit_uncached),
 * never processed again nor answered from a slot another SA holds now.
 * A slot holds the common short reply itself; one up to IKE_RESP_MID_MAX
 * goes to a medium slot of its own pool. A larger response (or a medium one
 * when those are taken), or one sent as RFC 7383 fragments, is kept in one
 * of the shard's IKE_RESP_BIG_SLOTS larger slots as its datagrams in order,
 * and a retransmitted request gets all of them; none free, the response
 * holding the oldest is evicted.
 *
 * The answer to a peer's DELETE of the IKE SA outlives the SA: the slot
 * passes to closed[], indexed by the SA table slot that the SPI names, and
 * a request to an unknown SPI is checked there (its SPIs and message ID
 * must be the deleted SA's last request) before it is dropped. The next
 * closed SA of the same table slot, its expiry or its eviction frees it.
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

/* The one datagram c keeps (big == 0): inline or in its medium slot. */
static uint8_t *
entry_data(struct ike_shard *s, struct ike_resp *c)
{
	return c->mid != IKE_NO_SLOT ? s->resp_mid[c->mid] : c->data;
}

/* Sends a cached response again: its one datagram, or every fragment (RFC 7383 2.6.1). */
static bool
resend_entry(struct ike_shard *s, struct ike_resp *c, const struct ike_rx *rx)
{
	const struct ike_resp_big *b;
	size_t off = 0;
	bool ok = true;

	if (c->big == 0)
		return ike_reply_bytes(s, rx, entry_data(s, c), c->len);
	b = &s->resp_big[c->big - 1];
	for (unsigned i = 0; i < b->n && ok; i++) {
		ok = ike_reply_bytes(s, rx, b->data + off, b->dgram_len[i]);
		off += b->dgram_len[i];
	}
	return ok;
}

void
ike_window_resend(struct ike_shard *s, struct ike_sa *sa, const struct ike_rx *rx)
{
	if (sa->resp_slot == IKE_NO_SLOT) {
		ike_count(s, IKE_CTR_DROP_RETRANSMIT_UNCACHED);
		return;
	}
	if (resend_entry(s, &s->resp[sa->resp_slot], rx))
		ike_count(s, IKE_CTR_RETRANSMIT);
}

/* Slots in use are listed oldest first, like the half-open ones (ike_age.h). */
static void
age_unlink(struct ike_shard *s, uint32_t i)
{
	ike_age_unlink(&s->resp_age, &s->resp[0].age, sizeof(s->resp[0]), i);
}

static void
age_append(struct ike_shard *s, uint32_t i)
{
	ike_age_append(&s->resp_age, &s->resp[0].age, sizeof(s->resp[0]), i);
}

static void
big_free(struct ike_shard *s, struct ike_resp *c)
{
	struct ike_resp_big *b;

	if (c->big == 0)
		return;
	b = &s->resp_big[c->big - 1];
	ike_wipe(b->data, b->len);
	b->len = 0;
	b->n = 0;
	s->resp_big_used &= ~(1u << (c->big - 1));
	c->big = 0;
}

/* Wipes the datagram c keeps and gives its medium slot back. */
static void
one_free(struct ike_shard *s, struct ike_resp *c)
{
	ike_wipe(entry_data(s, c), c->len);
	c->len = 0;
	if (c->mid == IKE_NO_SLOT)
		return;
	s->resp_mid_free[s->resp_mid_nfree++] = c->mid;
	c->mid = IKE_NO_SLOT;
}

/* Empties c: its datagram, medium and big slots. */
static void
entry_clear(struct ike_shard *s, struct ike_resp *c)
{
	big_free(s, c);
	one_free(s, c);
}

/* Gives cache slot i back: emptied, off the age list, on the free stack. */
static void
slot_free(struct ike_shard *s, uint32_t i)
{
	struct ike_resp *c = &s->resp[i];

	age_unlink(s, i);
	entry_clear(s, c);
	c->owner_spi = 0;
	s->resp_free[s->resp_nfree++] = i;
}

/* The closed[] entry of an SPI, or NULL when its slot is outside the table. */
static uint32_t *
closed_entry(struct ike_shard *s, uint64_t spi_r)
{
	uint32_t slot = spi_slot(&s->layout, spi_r);

	return slot < s->sa_slots ? &s->closed[slot] : NULL;
}

/*
 * Frees cache slot i and makes its holder forget it: the SA whose
 * resp_slot it is, or the closed[] entry of a deleted SA.
 */
static void
slot_drop(struct ike_shard *s, uint32_t i)
{
	uint64_t spi = s->resp[i].owner_spi;
	struct ike_sa *sa = satable_lookup(s->sas, spi);
	uint32_t *e = closed_entry(s, spi);

	if (sa != NULL && sa->resp_slot == i)
		sa->resp_slot = IKE_NO_SLOT;
	else if (e != NULL && *e == i)
		*e = IKE_NO_SLOT;
	slot_free(s, i);
}

/* A free cache slot, the oldest response evicted when there is none. */
static uint32_t
slot_take(struct ike_shard *s)
{
	uint32_t i;

	if (s->resp_nfree == 0) {
		ike_count(s, IKE_CTR_RESP_CACHE_EVICTED);
		slot_drop(s, s->resp_age.oldest);
	}
	i = s->resp_free[--s->resp_nfree];
	age_append(s, i);
	return i;
}

/* A free big slot: when all are taken, the response that holds the oldest is evicted. */
static int
big_free_index(struct ike_shard *s, const struct ike_resp *c)
{
	uint32_t victim = IKE_NO_SLOT;
	unsigned i;

	for (i = 0; i < IKE_RESP_BIG_SLOTS; i++)
		if (!(s->resp_big_used & (1u << i)))
			return (int)i;
	for (i = 0; i < IKE_RESP_BIG_SLOTS; i++) {
		uint32_t o = s->resp_big[i].owner;

		if (&s->resp[o] != c &&
		    (victim == IKE_NO_SLOT || s->resp[o].expiry_ms < s->resp[victim].expiry_ms))
			victim = o;
	}
	if (victim == IKE_NO_SLOT)
		return -1;
	ike_count(s, IKE_CTR_RESP_CACHE_EVICTED);
	i = s->resp[victim].big - 1u;
	slot_drop(s, victim);
	return (int)i;
}

/* A big slot for c, its inline datagram (if any) moved there first. */
static struct ike_resp_big *
big_take(struct ike_shard *s, struct ike_resp *c)
{
	struct ike_resp_big *b;
	int i = big_free_index(s, c);

	if (i < 0)
		return NULL;
	s->resp_big_used |= 1u << i;
	b = &s->resp_big[i];
	b->owner = (uint32_t)(c - s->resp);
	b->n = 0;
	b->len = 0;
	if (c->len != 0) {
		memcpy(b->data, entry_data(s, c), c->len);
		b->dgram_len[b->n++] = c->len;
		b->len = c->len;
		one_free(s, c);
	}
	c->big = (uint8_t)(i + 1);
	return b;
}

static bool
big_append(struct ike_resp_big *b, const uint8_t *data, size_t len)
{
	if (b->n == IKE_FRAG_MAX || b->len + len > sizeof(b->data))
		return false;
	memcpy(b->data + b->len, data, len);
	b->dgram_len[b->n++] = (uint16_t)len;
	b->len = (uint16_t)(b->len + len);
	return true;
}

void
ike_window_store(struct ike_shard *s, struct ike_sa *sa, const uint8_t *data, size_t len,
		 bool cont)
{
	struct ike_resp_big *b;
	struct ike_resp *c;

	if (cont) {
		/* The next fragment of the response just stored (none stored: none kept). */
		if (sa->resp_slot == IKE_NO_SLOT)
			return;
		c = &s->resp[sa->resp_slot];
		b = c->big != 0 ? &s->resp_big[c->big - 1] : big_take(s, c);
		if (b == NULL || !big_append(b, data, len)) {
			ike_window_release(s, sa);
			ike_count(s, IKE_CTR_RESP_CACHE_FULL);
		}
		return;
	}
	if (sa->resp_slot == IKE_NO_SLOT) {
		sa->resp_slot = slot_take(s);
	} else {
		/* The SA's next response: the newest again. */
		age_unlink(s, sa->resp_slot);
		age_append(s, sa->resp_slot);
	}
	c = &s->resp[sa->resp_slot];
	entry_clear(s, c);
	c->owner_spi = ike_sa_spi_r(s, sa);
	c->expiry_ms = s->now_ms + s->cfg->response_cache_ms;
	if (len <= IKE_RESP_CACHE_MAX) {
		c->len = (uint16_t)len;
		memcpy(c->data, data, len);
		return;
	}
	if (len <= IKE_RESP_MID_MAX && s->resp_mid_nfree != 0) {
		c->mid = s->resp_mid_free[--s->resp_mid_nfree];
		c->len = (uint16_t)len;
		memcpy(s->resp_mid[c->mid], data, len);
		return;
	}
	/* Larger than a slot (a peer without fragmentation gets it whole, IP-fragmented). */
	b = big_take(s, c);
	if (b == NULL || !big_append(b, data, len)) {
		ike_window_release(s, sa);
		ike_count(s, IKE_CTR_RESP_CACHE_FULL);
	}
}

void
ike_window_release(struct ike_shard *s, struct ike_sa *sa)
{
	if (sa->resp_slot == IKE_NO_SLOT)
		return;
	slot_free(s, sa->resp_slot);
	sa->resp_slot = IKE_NO_SLOT;
}

void
ike_window_store_closed(struct ike_shard *s, struct ike_sa *sa, const uint8_t *data, size_t len)
{
	uint32_t *e = closed_entry(s, ike_sa_spi_r(s, sa));
	struct ike_resp *c;

	if (e == NULL)
		return;
	if (*e != IKE_NO_SLOT) {
		slot_free(s, *e);
		*e = IKE_NO_SLOT;
	}
	ike_window_store(s, sa, data, len, false);
	if (sa->resp_slot == IKE_NO_SLOT)
		return;
	c = &s->resp[sa->resp_slot];
	c->closed_spi_i = sa->spi_i;
	c->closed_msg_id = sa->next_msg_id - 1;
	*e = sa->resp_slot;
	sa->resp_slot = IKE_NO_SLOT; /* the SA's removal leaves it be */
}

bool
ike_window_resend_closed(struct ike_shard *s, const struct ike_msg *m, const struct ike_rx *rx)
{
	uint32_t *e = closed_entry(s, m->spi_r);
	struct ike_resp *c;

	if (e == NULL || *e == IKE_NO_SLOT)
		return false;
	c = &s->resp[*e];
	if (c->owner_spi != m->spi_r || c->closed_spi_i != m->spi_i ||
	    c->closed_msg_id != m->msg_id || (m->flags & IKE_HDR_F_RESPONSE))
		return false;
	if (resend_entry(s, c, rx))
		ike_count(s, IKE_CTR_RETRANSMIT_CLOSED);
	return true;
}

void
ike_window_expire(struct ike_shard *s)
{
	while (s->resp_age.oldest != IKE_NO_SLOT && s->resp[s->resp_age.oldest].expiry_ms <= s->now_ms) {
		ike_count(s, IKE_CTR_RESP_CACHE_EXPIRED);
		slot_drop(s, s->resp_age.oldest);
	}
}
