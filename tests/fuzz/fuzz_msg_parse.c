/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_msg_parse.c - libFuzzer entry point for lib/wire: parse a datagram,
 * run every payload decoder, treat the SK body as decrypted inner
 * payloads, and check that decoded SA/TS/CP payloads re-encode through
 * the builder to something that decodes to the same values.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "ike_wire.h"

static uint8_t out[IKE_MSG_MAX_LEN];

/* Finishes b and parses it back: one payload, whose body it returns (its length in *len). */
static const uint8_t *
only_payload(struct ike_mb *b, size_t *len)
{
	struct ike_msg m;
	size_t n;

	check(ike_mb_finish(b, &n) == IKE_OK);
	check(ike_msg_parse(out, n, &m) == IKE_PARSE_OK && m.n_pld == 1);
	*len = m.pld[0].len;
	return out + m.pld[0].off;
}

static void
sa_roundtrip(const uint8_t *body, size_t len)
{
	static struct ike_pld_sa sa, again;
	const uint8_t *encoded;
	struct ike_mb b;
	size_t n;

	if (ike_pld_sa_parse(body, len, &sa) != IKE_PARSE_OK)
		return;
	ike_mb_init(&b, out, sizeof(out), 1, 0, IKE_EXCH_IKE_SA_INIT, 0, 0);
	ike_mb_add_sa(&b, &sa);
	encoded = only_payload(&b, &n);
	check(ike_pld_sa_parse(encoded, n, &again) == IKE_PARSE_OK);
	check(again.n_prop == sa.n_prop && again.n_xf == sa.n_xf);
	for (unsigned int i = 0; i < sa.n_xf; i++)
		check(again.xf[i].type == sa.xf[i].type && again.xf[i].id == sa.xf[i].id &&
		      again.xf[i].key_len == sa.xf[i].key_len);
}

static void
ts_roundtrip(const uint8_t *body, size_t len)
{
	static struct ike_pld_ts ts, again;
	const uint8_t *encoded;
	struct ike_mb b;
	size_t n;

	if (ike_pld_ts_parse(body, len, &ts) != IKE_PARSE_OK)
		return;
	for (unsigned int i = 0; i < ts.n_ts; i++)
		if (ts.ts[i].addr_len == 0)
			return;		/* uninterpreted types are not re-encoded */
	ike_mb_init(&b, out, sizeof(out), 1, 0, IKE_EXCH_IKE_AUTH, 0, 1);
	ike_mb_add_ts(&b, IKE_PLD_TSI, &ts);
	encoded = only_payload(&b, &n);
	check(ike_pld_ts_parse(encoded, n, &again) == IKE_PARSE_OK);
	check(again.n_ts == ts.n_ts);
	for (unsigned int i = 0; i < ts.n_ts; i++)
		check(again.ts[i].start_port == ts.ts[i].start_port &&
		      memcmp(again.ts[i].end_addr, ts.ts[i].end_addr, ts.ts[i].addr_len) == 0);
}

static void
cp_roundtrip(const uint8_t *body, size_t len)
{
	static struct ike_pld_cp cp, again;
	const uint8_t *encoded;
	struct ike_mb b;
	size_t n;

	if (ike_pld_cp_parse(body, len, &cp) != IKE_PARSE_OK)
		return;
	ike_mb_init(&b, out, sizeof(out), 1, 0, IKE_EXCH_IKE_AUTH, 0, 1);
	ike_mb_add_cp(&b, &cp);
	encoded = only_payload(&b, &n);
	check(ike_pld_cp_parse(encoded, n, &again) == IKE_PARSE_OK);
	check(again.n_attr == cp.n_attr && again.cfg_type == cp.cfg_type);
}

static void
decode_all(const struct ike_msg *m, unsigned int from)
{
	for (unsigned int i = from; i < m->n_pld; i++) {
		const struct ike_pld *p = &m->pld[i];
		const uint8_t *body = ike_msg_pld_body(m, p);
		enum ike_parse_status st;

		st = ike_pld_validate(p->type, body, p->len, m->sk_first);
		check(st < IKE_PARSE_STATUS_COUNT);
		check(ike_parse_status_name(st) != NULL);
		if (p->type == IKE_PLD_SA)
			sa_roundtrip(body, p->len);
		else if (p->type == IKE_PLD_TSI || p->type == IKE_PLD_TSR)
			ts_roundtrip(body, p->len);
		else if (p->type == IKE_PLD_CP)
			cp_roundtrip(body, p->len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ike_pld *sk;
	unsigned int outer;
	struct ike_msg m;
	size_t iv;

	if (ike_msg_parse(data, size, &m) != IKE_PARSE_OK)
		return 0;
	check(m.n_pld <= IKE_MSG_MAX_PLD);
	decode_all(&m, 0);
	(void)ike_exch_name(m.exchange);
	if (m.sk_type == IKE_PLD_NONE)
		return 0;
	/* Pretend the SK body (minus a 16-octet IV, when there is one) is plaintext. */
	outer = m.n_pld;
	sk = &m.pld[m.sk_idx];
	iv = sk->len >= 16 ? 16 : 0;

	if (ike_msg_parse_inner(data + sk->off + iv, sk->len - iv, m.sk_first, &m) ==
	    IKE_PARSE_OK)
		decode_all(&m, outer);
	return 0;
}
