/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_cookie.c - stateless cookies (RFC 7296 2.6): once the half-open
 * count reaches cfg->cookie_threshold (at most 3/4 of the half-open
 * capacity: the rest is for clients that return a cookie, and for
 * resumptions that pass the same gate), or while the SA table holds
 * max_ike_sas established SAs, an IKE_SA_INIT without a valid
 * N(COOKIE) is answered with one and no state is kept. The cookie is
 *   <VersionIDofSecret> | SHA-256(Ni | IPi | SPIi | <secret>)
 * Secrets rotate every cookie_rotate_s; the previous one is still accepted
 * so a cookie handed out just before a rotation keeps working.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

bool
ike_cookie_required(const struct ike_shard *s)
{
	uint32_t max = IKE_COOKIE_THRESHOLD_MAX(s->ho_cap);
	uint32_t threshold = s->cfg->cookie_threshold < max ? s->cfg->cookie_threshold : max;

	/* A full SA table commits state only to initiators that get our packets (2.6). */
	return ike_shard_nb_half_open(s) >= threshold || !ike_sa_room(s);
}

void
ike_cookie_rotate(struct ike_shard *s, uint64_t now_ms)
{
	struct ike_cookie_state *c = &s->cookie;
	uint64_t period = (uint64_t)(s->cfg->cookie_rotate_s ? s->cfg->cookie_rotate_s : 300) * 1000;

	if (c->rotate_at_ms != 0 && now_ms < c->rotate_at_ms)
		return;
	if (c->rotate_at_ms != 0) {
		memcpy(c->prev, c->cur, sizeof(c->prev));
		c->have_prev = true;
		c->version++;
	}
	if (cry_random(s->ops, c->cur, sizeof(c->cur)) != IKE_OK)
		return; /* keep the old secret; rotation is retried next time */
	c->rotate_at_ms = now_ms + period;
}

static bool
cookie_hash(struct ike_shard *s, const uint8_t *secret, uint8_t version, const struct ike_msg *msg,
	    const struct ike_rx *rx, const uint8_t *ni, size_t ni_len, uint8_t out[IKE_COOKIE_LEN])
{
	uint8_t *buf = s->octets;
	enum ike_status st;
	size_t ip_len = rx->remote.family == 6 ? 16 : 4;
	size_t off = 0;

	/* Ni | IPi | SPIi | <secret> */
	memcpy(buf + off, ni, ni_len);
	off += ni_len;
	memcpy(buf + off, rx->remote.ip, ip_len);
	off += ip_len;
	ike_put_u64(buf + off, msg->spi_i);
	off += IKE_SPI_LEN;
	memcpy(buf + off, secret, IKE_COOKIE_SECRET_LEN);
	off += IKE_COOKIE_SECRET_LEN;
	out[0] = version;
	st = s->ops->sym->hash(s->ops->sym_ctx, CRY_HASH_SHA256, buf, off, out + 1);
	ike_wipe(buf, off);
	return st == IKE_OK;
}

bool
ike_cookie_make(struct ike_shard *s, const struct ike_msg *msg, const struct ike_rx *rx,
		const uint8_t *ni, size_t ni_len, uint8_t out[IKE_COOKIE_LEN])
{
	return cookie_hash(s, s->cookie.cur, s->cookie.version, msg, rx, ni, ni_len, out);
}

bool
ike_cookie_check(struct ike_shard *s, const struct ike_msg *msg, const struct ike_rx *rx,
		 const uint8_t *ni, size_t ni_len, const uint8_t *cookie, size_t len)
{
	const struct ike_cookie_state *c = &s->cookie;
	uint8_t want[IKE_COOKIE_LEN];
	const uint8_t *secret;

	if (len != IKE_COOKIE_LEN)
		return false;
	if (cookie[0] == c->version)
		secret = c->cur;
	else if (c->have_prev && cookie[0] == (uint8_t)(c->version - 1))
		secret = c->prev;
	else
		return false;
	return cookie_hash(s, secret, cookie[0], msg, rx, ni, ni_len, want) &&
	       ike_ct_eq(want, cookie, sizeof(want));
}

bool
ike_cookie_gate(struct ike_shard *s, struct ike_req *r, const struct ike_pld_nonce *ni)
{
	const struct ike_pld *p = ike_msg_find_notify(&r->msg, IKE_N_COOKIE);
	uint8_t cookie[IKE_COOKIE_LEN];
	struct ike_pld_notify n;

	if (!ike_cookie_required(s))
		return true;
	if (p != NULL && ike_pld_notify_parse(ike_req_body(r, p), p->len, &n) == IKE_PARSE_OK &&
	    ike_cookie_check(s, &r->msg, r->rx, ni->data, ni->len, n.data, n.len))
		return true;
	if (p != NULL)
		ike_count(s, IKE_CTR_COOKIE_BAD);
	if (!ike_cookie_make(s, &r->msg, r->rx, ni->data, ni->len, cookie)) {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		return false;
	}
	ike_count(s, IKE_CTR_COOKIE_SENT);
	ike_reply_notify(s, r->rx, &r->msg, IKE_N_COOKIE, cookie, sizeof(cookie));
	return false;
}
