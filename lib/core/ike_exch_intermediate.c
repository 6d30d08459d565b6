/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_exch_intermediate.c - IKE_INTERMEDIATE responder (RFC 9242) with the
 * additional key exchanges of RFC 9370 2.2.1:
 *   HDR(MID n), SK {[KEi(n)]}  -->  <--  HDR(MID n), SK {[KEr(n)]}
 * Only after an IKE_SA_INIT (or IKE_SESSION_RESUME, RFC 9242 4) where both
 * sides sent N(INTERMEDIATE_EXCHANGE_SUPPORTED), before IKE_AUTH. Message IDs follow
 * the usual window (1, 2, ...; ike_window.c checks them). Each exchange is
 * protected with the most recent keys (3.3.1). Its request and response,
 * in plaintext, extend IntAuth_i and IntAuth_r under SK_pi/SK_pr of the
 * same generation (3.3.2). While additional key exchanges negotiated in
 * SAr1 remain, each exchange carries the next one (ADDKE1 first, NONE
 * skipped) and every key of the SA is replaced once its response is sealed
 * (RFC 9370 2.2.2). Errors (3.4, RFC 7296 2.21.2): an exchange that was
 * not negotiated, one too many, a missing or wrong KE payload, or KE data
 * that is no valid value are answered with INVALID_SYNTAX and end the
 * half-open SA; each has its counter.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_int_auth.h"
#include "ike_secret.h"

static void
fail(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, unsigned ctr)
{
	ike_count(s, ctr);
	ike_count(s, IKE_CTR_INVALID_SYNTAX_SENT);
	ike_reply_error(s, r->rx, &r->msg, sa, IKE_N_INVALID_SYNTAX);
	ike_sa_kill(s, sa);
}

void
ike_ho_int_init(struct ike_ho *ho, const struct ike_msg *req, const struct ike_suite_cfg *sc,
		const struct ike_suite *suite)
{
	struct ike_ho_int *im = &ho->im;

	memset(im, 0, sizeof(*im));
	im->supported = ike_msg_find_notify(req, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED) != NULL;
	im->addke_n = (uint8_t)ike_suite_addke(sc, im->addke);
	im->suite = *suite;
}

size_t
ike_ho_int_auth(const struct ike_ho *ho, const struct ike_sa *sa, uint8_t *out)
{
	if (ho->im.n == 0)
		return 0;
	/* The first IKE_AUTH message ID follows the last IKE_INTERMEDIATE's. */
	return ike_int_auth_chunk(ho->im.auth_i, ho->im.auth_r, sa->prf_len, ho->im.n + 1u, out);
}

/* One IntAuth step over a message: A up to the SK generic header, P its inner payloads. */
static bool
int_auth_step(struct ike_shard *s, const struct ike_sa *sa, const uint8_t *sk_p, bool first,
	      uint8_t *acc, const uint8_t *msg, size_t sk_off, const uint8_t *p, size_t p_len)
{
	return ike_int_auth_step(s->ops, (enum cry_prf_alg)sa->prf, sk_p, sa->prf_len, first, acc,
				 msg, sk_off + 4, p, p_len, s->int_scratch,
				 sizeof(s->int_scratch)) == IKE_OK;
}

/* RFC 9370 2.2.2: SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr), then every key anew. */
static bool
addke_update(struct ike_shard *s, struct ike_sa *sa, struct ike_ho *ho, const uint8_t *secret,
	     size_t secret_len)
{
	struct ike_keys_input in = {
		.ni = ho->req + ho->ni_off,
		.ni_len = ho->ni_len,
		.nr = ho->resp + ho->nr_off,
		.nr_len = ho->nr_len,
	};
	struct ike_sa_keys k;
	enum ike_status st;

	memset(&k, 0, sizeof(k));
	k.prf = (enum cry_prf_alg)sa->prf;
	k.prf_len = sa->prf_len;
	memcpy(k.sk_d, sa->sk_d, sa->prf_len);
	ike_put_u64(in.spi_i, sa->spi_i);
	ike_put_u64(in.spi_r, ike_sa_spi_r(s, sa));
	st = ike_keys_update_addke(s->ops, &ho->im.suite, &in, secret, secret_len, &k);
	if (st == IKE_OK) {
		memcpy(sa->sk_d, k.sk_d, sa->prf_len);
		sa->k_in = k.init_to_resp;
		sa->k_out = k.resp_to_init;
		memcpy(ho->sk_pi, k.sk_pi, sa->prf_len);
		memcpy(ho->sk_pr, k.sk_pr, sa->prf_len);
	}
	ike_sa_keys_wipe(&k);
	return st == IKE_OK;
}

/* Checks the request's KE payload against the next additional key exchange; 0 or a counter. */
static unsigned
check_ke(const struct ike_req *r, const struct ike_ho_int *im, struct ike_pld_ke *ke)
{
	const struct ike_pld *ke_p = ike_msg_find(&r->msg, IKE_PLD_KE, 0);
	bool want = im->addke_done < im->addke_n;

	if (!want)
		return ke_p == NULL ? 0 : IKE_CTR_INT_KE_UNEXPECTED;
	if (ke_p == NULL || ike_msg_count(&r->msg, IKE_PLD_KE) != 1)
		return IKE_CTR_INT_ADDKE_BAD;
	ike_pld_ke_parse(ike_req_body(r, ke_p), ke_p->len, ke);
	return ke->group == im->addke[im->addke_done] ? 0 : IKE_CTR_INT_ADDKE_BAD;
}

/* The response, and IntAuth_r over it before it is sealed under this generation's keys. */
static bool
answer(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, struct ike_ho *ho, bool first,
       uint16_t ke_method, const uint8_t *pub, size_t pub_len)
{
	struct ike_reply_plain pl;
	struct ike_reply rep;

	if (!ike_reply_begin(s, &rep, r->rx, &r->msg, ike_sa_spi_r(s, sa), sa))
		return false;
	if (pub != NULL)
		ike_mb_add_ke(&rep.mb, ke_method, pub, pub_len);
	if (!ike_reply_close(s, &rep, &pl))
		return false;
	if (!int_auth_step(s, sa, ho->sk_pr, first, ho->im.auth_r, rep.tx->data, pl.sk_off,
			   rep.tx->data + pl.plain_off, pl.plain_len)) {
		s->txmeta[rep.idx].dead = true;
		ike_count(s, IKE_CTR_INT_TOO_BIG);
		return false;
	}
	return ike_reply_seal_now(s, &rep, &pl);
}

void
ike_exch_intermediate(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	struct ike_ho *ho = &s->ho[sa->ho_slot];
	struct ike_ho_int *im = &ho->im;
	uint8_t secret[CRY_MAX_KEX_SECRET];
	size_t secret_len = sizeof(secret);
	uint8_t pub[CRY_MAX_KEX_PUB];
	size_t pub_len = sizeof(pub);
	bool first = im->n == 0;
	bool addke = im->addke_done < im->addke_n;
	struct ike_pld_ke ke;
	enum ike_status st;
	unsigned ctr;
	bool ok;

	if (!im->supported) {
		fail(s, r, sa, IKE_CTR_INT_NOT_NEGOTIATED);
		return;
	}
	if (im->n >= IKE_INT_MAX) {
		fail(s, r, sa, IKE_CTR_INT_TOO_MANY);
		return;
	}
	ctr = check_ke(r, im, &ke);
	if (ctr != 0) {
		fail(s, r, sa, ctr);
		return;
	}
	/* Over the whole message, reassembled if it came in fragments (RFC 9242 3.3.2). */
	if (!int_auth_step(s, sa, ho->sk_pi, first, im->auth_i, r->whole, r->msg.sk_off,
			   r->whole + r->plain_off, r->plain_len)) {
		fail(s, r, sa, IKE_CTR_INT_TOO_BIG);
		return;
	}
	if (addke) {
		/* A DH answers with its public value; a KEM would answer with its ciphertext. */
		st = cry_kex_respond(s->ops, ke.group, ke.data, ke.len, pub, &pub_len, secret,
				     &secret_len);
		if (st != IKE_OK) {
			ike_wipe(secret, sizeof(secret));
			fail(s, r, sa, IKE_CTR_DROP_KE_DATA);
			return;
		}
	}
	ok = answer(s, r, sa, ho, first, addke ? ke.group : 0, addke ? pub : NULL, pub_len);
	/* Sealed: the next exchange (and IKE_AUTH) uses the next generation of keys. */
	if (ok && addke && !addke_update(s, sa, ho, secret, secret_len)) {
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		ok = false;
	}
	ike_wipe(secret, sizeof(secret));
	if (!ok) {
		ike_sa_kill(s, sa);
		return;
	}
	im->n++;
	if (addke) {
		im->addke_done++;
		ike_count(s, IKE_CTR_INT_ADDKE_OK);
	}
	ike_count(s, IKE_CTR_INT_OK);
}
