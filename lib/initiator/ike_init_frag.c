/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_frag.c - RFC 7383 IKE fragmentation from the initiator's side:
 * cutting our requests into Encrypted Fragment messages (2.5), and
 * reassembling the responder's (2.6): each fragment's ICV is checked
 * before it is kept, a replayed fragment is dropped, a larger Total
 * starts over, and the whole response is sealed again under the
 * responder's keys so that it takes the path of any unfragmented one
 * (IntAuth covers the same A | P either way, RFC 9242 3.3.2).
 */
#include <string.h>

#include "ike_init_priv.h"
#include "ike_secret.h"
#include "ike_sk.h"

enum ike_init_result
ike_init_fragment(struct ike_client *c, const uint8_t *msg, size_t len, size_t frag_size,
		  uint8_t *out, size_t cap, uint16_t lens[IKE_INIT_FRAG_MAX], unsigned *n)
{
	const struct cry_sk_keys *k = &c->keys.init_to_resp;
	uint8_t plain[IKE_INIT_FRAG_MSG_MAX];
	size_t plain_off, plain_len, room, off = 0;
	enum ike_init_result r = IKE_INIT_R_SEND_REQUEST;
	struct ike_msg m;
	unsigned count;

	*n = 0;
	if (len > sizeof(plain) || ike_msg_parse(msg, len, &m) != IKE_PARSE_OK ||
	    m.sk_type != IKE_PLD_SK || m.sk_off != IKE_HDR_LEN)
		return IKE_INIT_R_MALFORMED;
	room = IKE_HDR_LEN + IKE_SKF_HDR_LEN + ike_sk_iv_len(k) + ike_sk_trailer_max(k);
	if (frag_size <= room + 16)
		return IKE_INIT_R_NOSPACE;
	room = frag_size - room;
	room -= room % 16;
	/* Our own message, opened with the keys that sealed it. */
	memcpy(plain, msg, len);
	if (ike_sk_open(c->ops, k, plain, len, m.sk_off, &plain_off, &plain_len) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	/* An empty Encrypted payload still makes one fragment. */
	count = plain_len == 0 ? 1 : (unsigned)((plain_len + room - 1) / room);
	if (count > IKE_INIT_FRAG_MAX)
		r = IKE_INIT_R_NOSPACE;
	for (unsigned i = 0; r == IKE_INIT_R_SEND_REQUEST && i < count; i++) {
		size_t part = plain_len - i * room < room ? plain_len - i * room : room;
		size_t sk_off, p_off, p_len, flen;
		struct ike_mb b;

		ike_mb_init(&b, out + off, cap - off, c->spi_i, c->spi_r, m.exchange, m.flags,
			    m.msg_id);
		ike_mb_begin_skf(&b, (uint16_t)(i + 1), (uint16_t)count,
				 i == 0 ? m.sk_first : IKE_PLD_NONE, ike_sk_iv_len(k));
		ike_mb_add_fragment(&b, plain + plain_off + i * room, part);
		if (ike_mb_end_sk(&b, &sk_off, &p_off, &p_len) != IKE_OK ||
		    ike_skf_seal(c->ops, k, out + off, cap - off, sk_off, p_off, p_len, &flen) !=
			    IKE_OK) {
			r = IKE_INIT_R_NOSPACE;
			break;
		}
		lens[i] = (uint16_t)flen;
		off += flen;
		*n = i + 1;
	}
	ike_wipe(plain, len);
	return r;
}

void
ike_init_set_frag_buf(struct ike_client *c, struct ike_init_frag_buf *buf)
{
	c->frag_buf = buf;
}

static void
frag_reset(struct ike_client *c, uint32_t msg_id, uint16_t total)
{
	struct ike_client_hs *hs = c->hs;

	ike_wipe(c->frag_buf->data, hs->frag_used);
	hs->frag_msg_id = msg_id;
	hs->frag_total = total;
	hs->frag_have = 0;
	hs->frag_used = 0;
}

/* HDR | SK header of fragment 1 | IV room | plaintext, sealed under the responder's keys. */
static enum ike_init_result
rebuild(struct ike_client *c, const uint8_t *hdr, size_t *out_len)
{
	struct ike_client_hs *hs = c->hs;
	struct ike_init_frag_buf *fb = c->frag_buf;
	const struct cry_sk_keys *k = &c->keys.resp_to_init;
	size_t iv = ike_sk_iv_len(k), off = IKE_HDR_LEN + 4 + iv;

	if (off + hs->frag_used + ike_sk_trailer_max(k) > sizeof(fb->msg))
		return IKE_INIT_R_NOSPACE;
	memcpy(fb->msg, hdr, IKE_HDR_LEN);
	fb->msg[16] = IKE_PLD_SK;
	fb->msg[IKE_HDR_LEN] = hs->frag_first_inner;
	fb->msg[IKE_HDR_LEN + 1] = hs->frag_first_reserved;
	for (unsigned i = 0; i < hs->frag_total; i++) {
		memcpy(fb->msg + off, fb->data + hs->frag_off[i], hs->frag_len[i]);
		off += hs->frag_len[i];
	}
	frag_reset(c, hs->frag_msg_id, 0);
	return ike_sk_seal(c->ops, k, fb->msg, sizeof(fb->msg), IKE_HDR_LEN,
			   IKE_HDR_LEN + 4 + iv, off - (IKE_HDR_LEN + 4 + iv), out_len) == IKE_OK
		       ? IKE_INIT_R_DONE
		       : IKE_INIT_R_CRYPTO;
}

enum ike_init_result
ike_init_frag_recv(struct ike_client *c, uint8_t *msg, size_t len, size_t *out_len)
{
	struct ike_client_hs *hs = c->hs;
	size_t plain_off, plain_len, body_len;
	struct ike_pld_skf skf;
	struct ike_msg m;
	enum ike_status st;
	uint8_t first_inner, reserved;
	uint32_t bit;

	if (hs == NULL || !hs->frag_ok || c->frag_buf == NULL || ike_msg_parse(msg, len, &m) != IKE_PARSE_OK ||
	    m.sk_type != IKE_PLD_SKF || m.sk_off != IKE_HDR_LEN)
		return IKE_INIT_R_MALFORMED;
	body_len = ike_get_u16(msg + m.sk_off + 2);
	if (body_len < 4 ||
	    ike_pld_skf_parse(msg + m.sk_off + 4, body_len - 4, msg[m.sk_off], &skf) !=
		    IKE_PARSE_OK ||
	    skf.total > IKE_INIT_FRAG_MAX)
		return IKE_INIT_R_MALFORMED;
	if (hs->frag_total != 0 && hs->frag_msg_id == m.msg_id) {
		bit = 1u << (skf.frag_num - 1);
		if (skf.total < hs->frag_total ||
		    (skf.total == hs->frag_total && (hs->frag_have & bit)))
			return IKE_INIT_R_IGNORED; /* 2.6: invalid, or a replay */
	}
	first_inner = msg[m.sk_off];
	reserved = msg[m.sk_off + 1];
	st = ike_skf_open(c->ops, &c->keys.resp_to_init, msg, len, m.sk_off, &plain_off,
			  &plain_len);
	if (st == IKE_E_INTEGRITY)
		return IKE_INIT_R_BAD_ICV;
	if (st != IKE_OK)
		return IKE_INIT_R_MALFORMED;
	if (hs->frag_msg_id != m.msg_id || hs->frag_total != skf.total)
		frag_reset(c, m.msg_id, skf.total);
	if (hs->frag_used + plain_len > sizeof(c->frag_buf->data))
		return IKE_INIT_R_NOSPACE;
	memcpy(c->frag_buf->data + hs->frag_used, msg + plain_off, plain_len);
	hs->frag_off[skf.frag_num - 1] = hs->frag_used;
	hs->frag_len[skf.frag_num - 1] = (uint16_t)plain_len;
	hs->frag_used = (uint16_t)(hs->frag_used + plain_len);
	hs->frag_have |= 1u << (skf.frag_num - 1);
	if (skf.frag_num == 1) {
		hs->frag_first_inner = first_inner;
		hs->frag_first_reserved = reserved;
	}
	if (hs->frag_have != (skf.total == 32 ? UINT32_MAX : (1u << skf.total) - 1))
		return IKE_INIT_R_IGNORED; /* kept; the rest is still to come */
	return rebuild(c, msg, out_len);
}
