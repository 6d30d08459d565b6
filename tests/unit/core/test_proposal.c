/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proposal selection (lib/core ike_proposal.c), data-driven: what an
 * initiator offers (written in strongSwan's notation, every algorithm of a
 * proposal sent as one transform), the group of its KE payload, what we
 * configured, and what RFC 7296 2.7 / 3.3.6 / 1.2-1.3 make of it with our
 * preference deciding: the suite chosen, INVALID_KE_PAYLOAD naming our
 * group, or NO_PROPOSAL_CHOSEN. Then the refusal log and its rate limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ike_core_priv.h"
#include "ike_log.h"

/* Offered proposals separated by ';' (each in our notation), into sa; extra ESP transforms. */
static void
offer(struct ike_pld_sa *sa, const char *text, bool esp)
{
	char buf[512], why[256], *save = NULL;
	struct ike_proposal_cfg p;

	memset(sa, 0, sizeof(*sa));
	snprintf(buf, sizeof(buf), "%s", text);
	for (char *one = strtok_r(buf, ";", &save); one != NULL; one = strtok_r(NULL, ";", &save)) {
		struct ike_prop *pr = &sa->prop[sa->n_prop];

		if (ike_proposal_str_parse(one, esp, &p, why, sizeof(why)) != 0)
			fail_msg("offer '%s': %s", one, why);
		pr->num = (uint8_t)(sa->n_prop + 1);
		pr->proto = esp ? IKE_PROTO_ESP : IKE_PROTO_IKE;
		pr->spi_size = esp ? IKE_CHILD_SPI_LEN : 0;
		pr->xf_first = sa->n_xf;
		for (uint8_t t = 1; t <= IKE_TRANSFORM_MAX; t++)
			for (unsigned i = 0; i < p.xf[t].n; i++) {
				struct ike_xform *x = &sa->xf[sa->n_xf++];

				x->type = t;
				x->id = p.xf[t].alg[i].id;
				x->key_len = p.xf[t].alg[i].key_bits;
				x->has_key_len = x->key_len != 0;
			}
		pr->n_xf = (uint8_t)(sa->n_xf - pr->xf_first);
		sa->n_prop++;
	}
}

/* Appends a transform to the last proposal of sa. */
static void
offer_xf(struct ike_pld_sa *sa, uint8_t type, uint16_t id)
{
	struct ike_xform *x = &sa->xf[sa->n_xf++];

	memset(x, 0, sizeof(*x));
	x->type = type;
	x->id = id;
	sa->prop[sa->n_prop - 1].n_xf++;
}

struct row {
	const char *name;
	const char *ours;   /* configured list ("default" works) */
	const char *theirs; /* offered, ';' between proposals */
	bool esp;
	enum ike_ke_rule rule;
	uint16_t ke_group; /* of the KE payload */
	enum ike_prop_result want;
	/* IKE_PROP_OK: the suite; IKE_PROP_INVALID_KE: ke is the group we ask for */
	uint16_t encr, bits, prf, integ, ke;
	unsigned prop; /* index of the chosen proposal */
};

#define GCM IKE_ENCR_AES_GCM_16
#define CBC IKE_ENCR_AES_CBC
#define SHA256 IKE_INTEG_HMAC_SHA2_256_128
#define SHA512 IKE_INTEG_HMAC_SHA2_512_256
#define PRF256 IKE_PRF_HMAC_SHA2_256
#define PRF384 IKE_PRF_HMAC_SHA2_384
#define PRF512 IKE_PRF_HMAC_SHA2_512
#define OK IKE_PROP_OK
#define INVALID_KE IKE_PROP_INVALID_KE
#define NONE IKE_PROP_NONE

/* libreswan 4.10's default IKE offer (AEAD first, then CBC; DH19 in KEi). */
#define LSW_DEFAULT                                                                                \
	"aes256gcm16-aes128gcm16-prfsha512-prfsha256-ecp256-ecp384-ecp521-x25519-modp2048;"        \
	"aes256-aes128-sha512-sha256-ecp256-ecp384-ecp521-x25519-modp2048"

static const struct row rows[] = {
	/* The client: AES-CBC-256 + HMAC-SHA2-256 + ecp256, one group offered. */
	{"cbc256-sha256-ecp256", "default", "aes256-sha256-ecp256", false, IKE_KE_OURS, 19, OK, CBC,
	 256, PRF256, SHA256, 19, 0},
	/* Several groups offered, KEi for one we take but do not prefer: ask for ours. */
	{"libreswan default, KEi ecp256", "default", LSW_DEFAULT, false, IKE_KE_OURS, 19,
	 INVALID_KE, 0, 0, 0, 0, 31, 0},
	{"libreswan default, KEi x25519", "default", LSW_DEFAULT, false, IKE_KE_OURS, 31, OK, GCM,
	 256, PRF256, 0, 31, 0},
	/* Their KEi group is our second choice: still INVALID_KE with our first. */
	{"ecp256 offered before x25519", "default", "aes128gcm16-prfsha256-modp2048-ecp256-x25519",
	 false, IKE_KE_OURS, 14, INVALID_KE, 0, 0, 0, 0, 31, 0},
	{"only modp2048 offered", "default", "aes128-sha256-modp2048", false, IKE_KE_OURS, 14, OK,
	 CBC, 128, PRF256, SHA256, 14, 0},
	{"ecp521 only", "default", "aes256gcm16-prfsha384-ecp521", false, IKE_KE_OURS, 21, OK, GCM,
	 256, PRF384, 0, 21, 0},
	/* Our order of algorithms within a kind, not theirs. */
	{"our PRF order", "default", "aes128gcm16-prfsha512-prfsha384-x25519", false, IKE_KE_OURS,
	 31, OK, GCM, 128, PRF384, 0, 31, 0},
	{"our integrity order", "default", "aes128-sha512-sha256-x25519", false, IKE_KE_OURS, 31,
	 OK, CBC, 128, PRF256, SHA256, 31, 0},
	/* Our proposal order: AEAD first, whatever their order. */
	{"their CBC first", "default", "aes128-sha256-x25519;aes128gcm16-prfsha256-x25519", false,
	 IKE_KE_OURS, 31, OK, GCM, 128, PRF256, 0, 31, 1},
	{"aes192 not taken", "default", "aes192-sha256-ecp256", false, IKE_KE_OURS, 19, NONE},
	{"prfsha1 not in default", "default", "aes128gcm16-prfsha1-x25519", false, IKE_KE_OURS, 31,
	 NONE},
	{"group not taken at all", "aes128gcm16-prfsha256-ecp384", "aes128gcm16-prfsha256-ecp256",
	 false, IKE_KE_OURS, 19, NONE},
	/* Configured order first: our first proposal names the group (ecp256). */
	{"our first proposal decides", "aes128-sha256-ecp256, aes256gcm16-prfsha256-x25519",
	 "aes256gcm16-prfsha256-x25519;aes128-sha256-ecp256", false, IKE_KE_OURS, 31, INVALID_KE, 0,
	 0, 0, 0, 19, 0},
	/* CREATE_CHILD_SA (IKE rekey): their group when we take it, no extra round trip. */
	{"rekey keeps their group", "aes128-sha256-ecp256, aes256gcm16-prfsha256-x25519",
	 "aes256gcm16-prfsha256-x25519;aes128-sha256-ecp256", false, IKE_KE_THEIRS, 31, OK, GCM,
	 256, PRF256, 0, 31, 0},
	{"rekey with a second-choice group", "default", LSW_DEFAULT, false, IKE_KE_THEIRS, 19, OK,
	 GCM, 256, PRF256, 0, 19, 0},
	{"rekey with a group we do not take", "aes128gcm16-prfsha256-x25519",
	 "aes128gcm16-prfsha256-ecp256-x25519", false, IKE_KE_THEIRS, 19, INVALID_KE, 0, 0, 0, 0,
	 31, 0},
	/* ESP in IKE_AUTH: KE transforms are not looked at. */
	{"esp in IKE_AUTH, PFS groups offered", "default", "aes128gcm16-ecp256", true,
	 IKE_KE_IGNORE, 0, OK, GCM, 128, 0, 0, 0, 0},
	{"esp cbc sha512", "default", "aes256-sha512", true, IKE_KE_IGNORE, 0, OK, CBC, 256, 0,
	 SHA512, 0, 0},
	{"esp aes192 refused", "default", "aes192gcm16", true, IKE_KE_IGNORE, 0, NONE},
	/* ESP in CREATE_CHILD_SA */
	{"esp no PFS", "default", "aes256gcm16", true, IKE_KE_THEIRS, 0, OK, GCM, 256, 0, 0, 0, 0},
	{"esp PFS only, we have none", "default", "aes256gcm16-ecp256", true, IKE_KE_THEIRS, 19,
	 NONE},
	{"esp optional PFS, taken", "aes128gcm16-modpnone-ecp256", "aes128gcm16-ecp256", true,
	 IKE_KE_THEIRS, 19, OK, GCM, 128, 0, 0, 19, 0},
	{"esp optional PFS, not asked", "aes128gcm16-modpnone-ecp256", "aes128gcm16", true,
	 IKE_KE_THEIRS, 0, OK, GCM, 128, 0, 0, 0, 0},
	{"esp PFS required, other group", "aes128gcm16-ecp256", "aes128gcm16-x25519-ecp256", true,
	 IKE_KE_THEIRS, 31, INVALID_KE, 0, 0, 0, 0, 19, 0},
};

static void
test_matrix(void **state)
{
	struct ike_proposal_cfg ours[IKE_CORE_MAX_PROPOSALS];
	struct ike_suite_cfg got;
	struct ike_pld_sa sa;
	unsigned pi;
	uint16_t want;
	char why[256];
	int n;

	(void)state;
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		const struct row *w = &rows[r];
		enum ike_prop_result res;

		n = ike_proposal_str_list(w->ours, w->esp, ours, IKE_CORE_MAX_PROPOSALS, why,
					  sizeof(why));
		if (n < 0)
			fail_msg("%s: ours: %s", w->name, why);
		offer(&sa, w->theirs, w->esp);
		memset(&got, 0xa5, sizeof(got));
		pi = 99;
		want = 0;
		res = ike_proposal_select(&sa, w->esp ? IKE_PROTO_ESP : IKE_PROTO_IKE,
					  w->esp ? IKE_CHILD_SPI_LEN : 0, ours, (unsigned)n,
					  w->rule, w->ke_group, &got, &pi, &want);
		if (res != w->want)
			fail_msg("%s: result %d, want %d", w->name, res, w->want);
		if (res == IKE_PROP_INVALID_KE && want != w->ke)
			fail_msg("%s: asks for group %u, want %u", w->name, want, w->ke);
		if (res != IKE_PROP_OK)
			continue;
		if (got.encr_id != w->encr || got.encr_key_bits != w->bits ||
		    got.prf_id != w->prf || got.integ_id != w->integ || got.ke_id != w->ke ||
		    pi != w->prop)
			fail_msg("%s: got %u/%u prf %u integ %u ke %u prop %u", w->name,
				 got.encr_id, got.encr_key_bits, got.prf_id, got.integ_id,
				 got.ke_id, pi);
		for (unsigned a = 0; a < IKE_ADDKE_MAX; a++)
			assert_int_equal(got.addke_id[a], 0);
	}
}

/* ESN (3.3.2) and RFC 9370 ADDKE: a type we list nothing for must be absent or NONE. */
static void
test_types_we_do_not_take(void **state)
{
	struct ike_proposal_cfg ours[2];
	struct ike_suite_cfg got;
	struct ike_pld_sa sa;
	unsigned pi;
	uint16_t want;
	char why[256];

	(void)state;
	assert_int_equal(ike_proposal_str_list("aes128gcm16-noesn", true, ours, 2, why,
					       sizeof(why)),
			 1);
	offer(&sa, "aes128gcm16-esn", true); /* ESN only */
	assert_int_equal(ike_proposal_select(&sa, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, ours, 1,
					     IKE_KE_IGNORE, 0, &got, &pi, &want),
			 IKE_PROP_NONE);
	offer_xf(&sa, IKE_TRANSFORM_ESN, IKE_ESN_NO); /* ESN or not: we take "not" */
	assert_int_equal(ike_proposal_select(&sa, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, ours, 1,
					     IKE_KE_IGNORE, 0, &got, &pi, &want),
			 IKE_PROP_OK);
	assert_false(got.esn);

	assert_int_equal(ike_proposal_str_list("default", false, ours, 2, why, sizeof(why)), 2);
	offer(&sa, "aes128gcm16-prfsha256-x25519", false);
	offer_xf(&sa, IKE_TRANSFORM_ADDKE1, IKE_KE_ECP256);
	assert_int_equal(ike_proposal_select(&sa, IKE_PROTO_IKE, 0, ours, 2, IKE_KE_OURS, 31, &got,
					     &pi, &want),
			 IKE_PROP_NONE);
	offer_xf(&sa, IKE_TRANSFORM_ADDKE1, IKE_KE_NONE); /* additional exchange optional */
	assert_int_equal(ike_proposal_select(&sa, IKE_PROTO_IKE, 0, ours, 2, IKE_KE_OURS, 31, &got,
					     &pi, &want),
			 IKE_PROP_OK);
	assert_int_equal(got.addke_id[0], 0);
	/* A wrong key length is not the algorithm we listed. */
	offer(&sa, "aes128gcm16-prfsha256-x25519", false);
	sa.xf[0].key_len = 192;
	assert_int_equal(ike_proposal_select(&sa, IKE_PROTO_IKE, 0, ours, 2, IKE_KE_OURS, 31, &got,
					     &pi, &want),
			 IKE_PROP_NONE);
}

/*
 * ESN (RFC 7296 3.3.2 type 5, RFC 4303 2.2.1): "esn" / "noesn" in our
 * proposals, both (noesn first) when neither is written; our order decides
 * when the initiator offers both, and the reply carries the one chosen.
 */
static void
test_esn(void **state)
{
	static const struct {
		const char *ours, *theirs;
		enum ike_prop_result want;
		bool esn;
		unsigned prop;
	} rows[] = {
		/* strongSwan, Windows, Android: NO_ESN only */
		{"default", "aes256gcm16-noesn", IKE_PROP_OK, false, 0},
		/* a client that runs 64-bit counters only */
		{"default", "aes128gcm16-esn", IKE_PROP_OK, true, 0},
		/* libreswan's esn=either, ESN first: our preference (noesn) wins */
		{"default", "aes256gcm16-esn-noesn", IKE_PROP_OK, false, 0},
		{"aes256gcm16-esn-noesn", "aes256gcm16-noesn-esn", IKE_PROP_OK, true, 0},
		{"aes256gcm16-esn", "aes256gcm16-noesn", IKE_PROP_NONE, false, 0},
		{"aes256gcm16-noesn", "aes256gcm16-esn", IKE_PROP_NONE, false, 0},
		{"aes256-sha256-esn", "aes256-sha256-noesn;aes256-sha256-esn", IKE_PROP_OK, true,
		 1},
		/* our proposal order before the initiator's */
		{"aes256gcm16-esn, aes256gcm16-noesn", "aes256gcm16-noesn;aes256gcm16-esn",
		 IKE_PROP_OK, true, 1},
	};
	struct ike_proposal_cfg ours[IKE_CORE_MAX_PROPOSALS];
	uint8_t spi[IKE_CHILD_SPI_LEN] = {0, 0, 1, 0};
	struct ike_suite_cfg got;
	struct ike_pld_sa sa, reply;
	unsigned pi;
	uint16_t want;
	char why[256];
	int n;

	(void)state;
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		n = ike_proposal_str_list(rows[r].ours, true, ours, IKE_CORE_MAX_PROPOSALS, why,
					  sizeof(why));
		if (n < 0)
			fail_msg("%s: %s", rows[r].ours, why);
		offer(&sa, rows[r].theirs, true);
		memset(&got, 0xa5, sizeof(got));
		if (ike_proposal_select(&sa, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, ours, (unsigned)n,
					IKE_KE_IGNORE, 0, &got, &pi, &want) != rows[r].want)
			fail_msg("%s / %s: wrong result", rows[r].ours, rows[r].theirs);
		if (rows[r].want != IKE_PROP_OK)
			continue;
		if (got.esn != rows[r].esn || pi != rows[r].prop)
			fail_msg("%s / %s: esn %d proposal %u", rows[r].ours, rows[r].theirs,
				 got.esn, pi);
		/* The reply names exactly the chosen ESN transform. */
		ike_proposal_reply(&reply, &sa.prop[pi], &got, false, spi, sizeof(spi));
		assert_int_equal(reply.xf[reply.n_xf - 1].type, IKE_TRANSFORM_ESN);
		assert_int_equal(reply.xf[reply.n_xf - 1].id,
				 rows[r].esn ? IKE_ESN_YES : IKE_ESN_NO);
	}
	/* A proposal without any ESN transform is NO_ESN. */
	offer(&sa, "aes256gcm16-noesn", true);
	sa.n_xf--;
	sa.prop[0].n_xf--;
	assert_int_equal(ike_proposal_str_list("default", true, ours, 2, why, sizeof(why)), 2);
	assert_int_equal(ike_proposal_select(&sa, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, ours, 2,
					     IKE_KE_IGNORE, 0, &got, &pi, &want),
			 IKE_PROP_OK);
	assert_false(got.esn);
	assert_int_equal(ike_proposal_str_list("aes256gcm16-esn", true, ours, 2, why, sizeof(why)),
			 1);
	assert_int_equal(ike_proposal_select(&sa, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, ours, 1,
					     IKE_KE_IGNORE, 0, &got, &pi, &want),
			 IKE_PROP_NONE);
}

/* The suite kept in a ticket must be one we still configure. */
static void
test_cfg_takes(void **state)
{
	struct ike_proposal_cfg ours[2];
	char why[256];
	struct ike_transforms gcm = {GCM, 128, PRF384, 0, 0}, cbc = {CBC, 256, PRF512, SHA256, 0};
	struct ike_transforms cbc192 = {CBC, 192, PRF256, SHA256, 0};

	(void)state;
	assert_int_equal(ike_proposal_str_list("default", false, ours, 2, why, sizeof(why)), 2);
	assert_true(ike_proposal_cfg_takes(ours, 2, &gcm));
	assert_true(ike_proposal_cfg_takes(ours, 2, &cbc));
	assert_false(ike_proposal_cfg_takes(ours, 2, &cbc192));
	gcm.integ = SHA256; /* AEAD with an integrity algorithm: not ours */
	assert_false(ike_proposal_cfg_takes(ours, 2, &gcm));
}

static char logged[8][2048];
static unsigned nlogged;

static void
capture(enum ike_log_level level, const char *msg)
{
	assert_int_equal(level, IKE_LOG_INFO);
	if (nlogged < 8)
		snprintf(logged[nlogged], sizeof(logged[0]), "%s", msg);
	nlogged++;
}

/* One line per second per shard: what was offered, what we accept, how many were not logged. */
static void
test_refusal_log(void **state)
{
	struct ike_shard *s = calloc(1, sizeof(*s));
	static struct ike_core_cfg cfg;
	struct ike_rx rx = {.remote = {.family = 4, .ip = {192, 0, 2, 7}, .port = 500}};
	struct ike_pld_sa sa;
	char why[256];
	int n;

	(void)state;
	assert_non_null(s);
	n = ike_proposal_str_list("aes128-sha256-ecp256, aes256gcm16-prfsha256-x25519", false,
				  cfg.ike_proposals, IKE_CORE_MAX_PROPOSALS, why, sizeof(why));
	assert_int_equal(n, 2);
	cfg.nb_ike_proposals = (unsigned)n;
	s->cfg = &cfg;
	ike_shard_proposals_replace(s, NULL); /* the shard's lists: cfg's */
	s->now_ms = 5000;
	ike_log_set_hook(capture, IKE_LOG_DEBUG);
	offer(&sa, "aes192-sha256-ecp256", false);
	ike_proposal_log_refused(s, &rx, IKE_EXCH_IKE_SA_INIT, &sa, false);
	assert_int_equal(nlogged, 1);
	assert_non_null(strstr(logged[0], "IKE_SA_INIT from 192.0.2.7[500]: no IKE proposal"));
	assert_non_null(strstr(logged[0], "offered #1 IKE: AES_CBC/192 HMAC_SHA2_256 "
					  "HMAC_SHA2_256_128 ECP256;"));
	assert_non_null(strstr(logged[0], "we accept aes128-sha256-prfsha256-ecp256, "
					  "aes256gcm16-prfsha256-x25519"));
	/* a flood: quiet for a second, then one line that counts the rest */
	for (int i = 0; i < 5; i++) {
		s->now_ms += 100;
		ike_proposal_log_refused(s, &rx, IKE_EXCH_IKE_SA_INIT, &sa, false);
	}
	assert_int_equal(nlogged, 1);
	s->now_ms += 600;
	ike_proposal_log_refused(s, &rx, IKE_EXCH_IKE_SA_INIT, &sa, false);
	assert_int_equal(nlogged, 2);
	assert_non_null(strstr(logged[1], "(and 5 more not logged)"));
	/* the line is long enough for the default set and a big offer */
	assert_true(strlen(logged[0]) < 1023);
	ike_log_set_hook(NULL, IKE_LOG_ERR);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_types_we_do_not_take),
		cmocka_unit_test(test_esn),
		cmocka_unit_test(test_cfg_takes),
		cmocka_unit_test(test_refusal_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
