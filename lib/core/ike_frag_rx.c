/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_frag_rx.c - reassembly of Encrypted Fragment messages (RFC 7383 2.6)
 * from a peer that announced IKEV2_FRAGMENTATION_SUPPORTED.
 *
 * Each fragment is checked (Fragment Number / Total Fragments, a replay of
 * one already kept, a Total smaller than the one being reassembled) and
 * authenticated by its own ICV in the burst's aead_burst before anything
 * of it is kept. Kept plaintext waits in one of the shard's IKE_REASM_SLOTS
 * slots (one per SA and message ID), bounded in fragments (IKE_FRAG_MAX),
 * octets (IKE_REASM_MAX) and time (IKE_REASM_TIMEOUT_MS: then it is
 * forgotten as if never received). A larger Total starts over (2.6). The
 * whole message is rebuilt as HDR | SK header | inner payloads with the
 * Next Payload and RESERVED of fragment 1's header (what RFC 9242 3.3.2
 * authenticates) and handled like any message. A retransmitted request
 * that was answered already gets the whole response again when its
 * fragment 1 arrives, nothing for the other fragments (2.6.1).
 * The answer to one of our tracked requests (DPD probe, Child SA rekey,
 * its IKE_FOLLOWUP_KE and DELETE; ike_dpd.c) may come fragmented too: it
 * is reassembled the same way in a slot of its own (the response flag, so
 * it never disturbs a request of the peer being reassembled), matched by
 * our outstanding message ID instead of the peer's window, and handed to
 * the answer's handler whole, which parses its inner payloads.
 * Every refusal has its counter.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"
#include "ike_sk.h"

static struct ike_reasm *
slot_of(struct ike_shard *s, uint64_t spi_r, bool response)
{
	for (unsigned i = 0; i < IKE_REASM_SLOTS; i++)
		if (s->reasm[i].spi_r == spi_r && s->reasm[i].response == response)
			return &s->reasm[i];
	return NULL;
}

static void
slot_free(struct ike_reasm *q)
{
	ike_wipe(q->data, q->used);
	q->spi_r = 0;
	q->have = 0;
	q->used = 0;
	q->total = 0;
}

static bool
slot_expired(const struct ike_shard *s, const struct ike_reasm *q)
{
	return s->now_ms - q->started_ms > IKE_REASM_TIMEOUT_MS;
}

void
ike_frag_drop_sa(struct ike_shard *s, uint64_t spi_r)
{
	for (unsigned i = 0; i < 2; i++) {
		struct ike_reasm *q = slot_of(s, spi_r, i != 0);

		if (q != NULL)
			slot_free(q);
	}
}

static bool
skf_header(const struct ike_req *r, struct ike_pld_skf *skf)
{
	const struct ike_msg *m = &r->msg;
	const uint8_t *p = r->rx->data + m->sk_off;
	size_t len = ike_get_u16(p + 2);

	return len >= 4 && ike_pld_skf_parse(p + 4, len - 4, p[0], skf) == IKE_PARSE_OK;
}

bool
ike_frag_classify(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, unsigned nj)
{
	struct ike_msg *m = &r->msg;
	struct ike_pld_skf skf;
	struct ike_reasm *q;

	if (!sa->frag_ok) {
		ike_count(s, IKE_CTR_DROP_FRAGMENT);
		return false;
	}
	if (!skf_header(r, &skf)) {
		ike_count(s, IKE_CTR_FRAG_BAD_TOTAL);
		return false;
	}
	/* An answer was matched to our outstanding request already (its ID ours). */
	switch (r->response ? IKE_WIN_NEW : ike_window_check(s, sa, m->msg_id)) {
	case IKE_WIN_RETRANSMIT:
		if (skf.frag_num == 1)
			ike_window_resend(s, sa, r->rx);
		else
			ike_count(s, IKE_CTR_FRAG_RETRANSMIT_IGNORED);
		return false;
	case IKE_WIN_DROP:
		return false;
	case IKE_WIN_NEW:
		break;
	}
	if (skf.total > IKE_FRAG_MAX) {
		ike_count(s, IKE_CTR_FRAG_TOO_MANY);
		return false;
	}
	/* 2.5.3: only messages without unprotected payloads are fragmented here. */
	if (m->sk_off != IKE_HDR_LEN) {
		ike_count(s, IKE_CTR_FRAG_UNPROTECTED);
		return false;
	}
	q = slot_of(s, ike_sa_spi_r(s, sa), r->response);
	if (q != NULL && q->msg_id == m->msg_id && !slot_expired(s, q)) {
		if (skf.total < q->total) {
			ike_count(s, IKE_CTR_FRAG_BAD_TOTAL);
			return false;
		}
		if (skf.total == q->total && (q->have & (1u << (skf.frag_num - 1)))) {
			ike_count(s, IKE_CTR_FRAG_DUPLICATE);
			return false;
		}
	}
	if (ike_skf_open_prepare(&sa->k_in, r->rx->data, r->rx->len, m->sk_off,
				 &s->open_jobs[nj]) != IKE_OK) {
		ike_count(s, IKE_CTR_DROP_SK_LAYOUT);
		return false;
	}
	r->frag = true;
	r->spi_r = ike_sa_spi_r(s, sa);
	r->job = (uint8_t)nj;
	return true;
}

/* The slot for sa's message: its own, a free one, or the oldest expired one. */
static struct ike_reasm *
slot_take(struct ike_shard *s, const struct ike_sa *sa, bool response, uint32_t msg_id,
	  uint16_t total)
{
	struct ike_reasm *q = slot_of(s, ike_sa_spi_r(s, sa), response), *victim = NULL;

	if (q != NULL) {
		if (q->msg_id == msg_id && !slot_expired(s, q) && total == q->total)
			return q;
		ike_count(s, slot_expired(s, q) ? IKE_CTR_FRAG_TIMEOUT : IKE_CTR_FRAG_RESTARTED);
		slot_free(q);
	} else {
		for (unsigned i = 0; i < IKE_REASM_SLOTS && q == NULL; i++) {
			if (s->reasm[i].spi_r == 0)
				q = &s->reasm[i];
			else if (slot_expired(s, &s->reasm[i]) &&
				 (victim == NULL || s->reasm[i].started_ms < victim->started_ms))
				victim = &s->reasm[i];
		}
		if (q == NULL && victim != NULL) {
			ike_count(s, IKE_CTR_FRAG_TIMEOUT);
			slot_free(victim);
			q = victim;
		}
		if (q == NULL) {
			ike_count(s, IKE_CTR_FRAG_NO_SLOT);
			return NULL;
		}
	}
	q->spi_r = ike_sa_spi_r(s, sa);
	q->response = response;
	q->msg_id = msg_id;
	q->total = total;
	q->started_ms = s->now_ms;
	return q;
}

/*
 * HDR (Next Payload SK) | SK header from fragment 1 | the fragments'
 * plaintext in order, parsed as if it had come so (the outer chain only).
 */
static enum ike_parse_status
rebuild(struct ike_shard *s, struct ike_req *r, struct ike_reasm *q)
{
	uint8_t *out = s->reasm_msg;
	size_t off = IKE_HDR_LEN + 4;

	memcpy(out, r->rx->data, IKE_HDR_LEN);
	out[16] = IKE_PLD_SK;
	out[IKE_HDR_LEN] = q->first_inner;
	out[IKE_HDR_LEN + 1] = q->first_reserved;
	ike_put_u16(out + IKE_HDR_LEN + 2, (uint16_t)(4 + q->used));
	for (unsigned i = 0; i < q->total; i++) {
		memcpy(out + off, q->data + q->off[i], q->len[i]);
		off += q->len[i];
	}
	ike_put_u32(out + 24, (uint32_t)off);
	slot_free(q);
	r->whole = out;
	r->plain_off = IKE_HDR_LEN + 4;
	r->plain_len = (uint16_t)(off - r->plain_off);
	return ike_msg_parse(out, off, &r->msg);
}

bool
ike_frag_store(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, size_t plain_off,
	       size_t plain_len)
{
	const uint8_t *skf_hdr = r->rx->data + r->msg.sk_off;
	enum ike_parse_status pst;
	struct ike_pld_skf skf;
	struct ike_reasm *q;
	unsigned bad;
	uint32_t bit;

	if (!skf_header(r, &skf))
		return false;
	q = slot_take(s, sa, r->response, r->msg.msg_id, skf.total);
	if (q == NULL)
		return false;
	bit = 1u << (skf.frag_num - 1);
	if (q->have & bit) {
		/* Two copies in one burst: the first one counts. */
		ike_count(s, IKE_CTR_FRAG_DUPLICATE);
		return false;
	}
	if ((size_t)q->used + plain_len > IKE_REASM_MAX) {
		ike_count(s, IKE_CTR_FRAG_TOO_BIG);
		slot_free(q);
		return false;
	}
	memcpy(q->data + q->used, r->rx->data + plain_off, plain_len);
	q->off[skf.frag_num - 1] = q->used;
	q->len[skf.frag_num - 1] = (uint16_t)plain_len;
	q->used = (uint16_t)(q->used + plain_len);
	q->have |= bit;
	if (skf.frag_num == 1) {
		q->first_inner = skf_hdr[0];
		q->first_reserved = skf_hdr[1];
	}
	if (q->have != (q->total == 32 ? UINT32_MAX : (1u << q->total) - 1)) {
		ike_count(s, IKE_CTR_FRAG_KEPT);
		return false;
	}
	ike_count(s, IKE_CTR_FRAG_REASSEMBLED);
	pst = rebuild(s, r, q);
	if (r->response) {
		/* Its handler parses the inner payloads, as of an answer that came whole. */
		if (pst != IKE_PARSE_OK)
			ike_count(s, ike_ctr_parse(pst));
		return pst == IKE_PARSE_OK;
	}
	if (pst == IKE_PARSE_OK)
		pst = ike_msg_parse_inner(r->whole + r->plain_off, r->plain_len, r->msg.sk_first,
					  &r->msg);
	if (pst == IKE_PARSE_OK)
		pst = ike_msg_validate(&r->msg, &bad);
	if (pst != IKE_PARSE_OK) {
		ike_count(s, IKE_CTR_INVALID_SYNTAX_SENT);
		sa->next_msg_id++;
		ike_reply_error(s, r->rx, &r->msg, sa, IKE_N_INVALID_SYNTAX);
		if (sa->state == IKE_SA_HALF_OPEN)
			ike_sa_kill(s, sa);
		return false;
	}
	return true;
}
