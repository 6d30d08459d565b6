/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_build_sk.c - plaintext layout of the Encrypted payload (RFC 7296
 * 3.14) and the Encrypted Fragment payload (RFC 7383 2.5). The builder
 * lays out header, IV room and inner payloads; lib/sk pads, seals and
 * fixes the final lengths.
 */
#include <string.h>

#include "ike_build_priv.h"

static void
reserve_iv(struct ike_mb *b, size_t iv_len)
{
	uint8_t *iv = ike_wr_reserve(&b->w, iv_len);

	if (iv != NULL)
		memset(iv, 0, iv_len);
}

void
ike_mb_begin_sk(struct ike_mb *b, size_t iv_len)
{
	size_t s;

	if (b->in_sk || b->sk_done) {
		ike_mb_fail(b);
		return;
	}
	s = ike_mb_pld_begin(b, IKE_PLD_SK, false);
	reserve_iv(b, iv_len);
	if (b->w.err)
		return;
	/* The first inner payload patches the SK header's Next Payload. */
	b->sk_off = s;
	b->np_off = s;
	b->plain_off = b->w.off;
	b->in_sk = true;
}

void
ike_mb_begin_skf(struct ike_mb *b, uint16_t frag_num, uint16_t total, uint8_t first_inner,
		 size_t iv_len)
{
	size_t s;

	if (b->in_sk || b->sk_done || total == 0 || frag_num == 0 || frag_num > total ||
	    (frag_num > 1 && first_inner != IKE_PLD_NONE)) {
		ike_mb_fail(b);
		return;
	}
	s = ike_mb_pld_begin(b, IKE_PLD_SKF, false);
	ike_wr_u16(&b->w, frag_num);
	ike_wr_u16(&b->w, total);
	reserve_iv(b, iv_len);
	if (b->w.err)
		return;
	b->w.p[s] = first_inner;
	b->sk_off = s;
	b->plain_off = b->w.off;
	b->in_sk = true;
	b->skf = true;
}

void
ike_mb_add_fragment(struct ike_mb *b, const void *data, size_t len)
{
	if (!b->in_sk || !b->skf) {
		ike_mb_fail(b);
		return;
	}
	ike_mb_put(b, data, len);
}

enum ike_status
ike_mb_end_sk(struct ike_mb *b, size_t *sk_off, size_t *plain_off, size_t *plain_len)
{
	size_t len;

	*sk_off = 0;
	*plain_off = 0;
	*plain_len = 0;
	/* Without an open section it is a misuse, unless a write already failed. */
	if (!b->in_sk && !b->w.err)
		ike_mb_fail(b);
	b->in_sk = false;
	b->sk_done = true;
	if (b->w.err)
		return b->bad_param ? IKE_E_PARAM : IKE_E_NOSPACE;
	len = b->w.off - b->sk_off;
	if (len > UINT16_MAX) {
		b->w.err = true;
		return IKE_E_NOSPACE;
	}
	ike_put_u16(b->w.p + b->sk_off + 2, (uint16_t)len);
	ike_put_u32(b->w.p + 24, (uint32_t)b->w.off);
	*sk_off = b->sk_off;
	*plain_off = b->plain_off;
	*plain_len = b->w.off - b->plain_off;
	return IKE_OK;
}
