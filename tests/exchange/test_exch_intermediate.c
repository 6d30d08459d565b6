/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests: IKE_INTERMEDIATE (RFC 9242) and additional key exchanges
 * (RFC 9370) between the initiator (lib/initiator) and the responder core
 * in-process: one, two and three exchanges, IntAuth in both AUTH payloads
 * (a wrong IntAuth on either side fails AUTH), retransmitted and
 * duplicated messages, an exchange that was not negotiated, ADDKE chosen,
 * declined and refused, IKE_AUTH before the additional key exchanges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_harness.h"
#include "ike_init_priv.h"
#include "ike_sk.h"

static struct exch X;

static const struct ike_suite_cfg ike_gcm = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					     IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg ike_cbc = {IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_384,
					     IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_ECP256};
static const struct ike_suite_cfg esp_gcm = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, 0};

/* IKE_SA_INIT; the client's next request is in X.req. */
static void
sa_init(void)
{
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
}

/* IKE_INTERMEDIATE rounds with message IDs from..n, then IKE_AUTH (ID n + 1). */
static void
intermediates_from_then_auth(unsigned from, unsigned n)
{
	for (unsigned i = from; i <= n; i++) {
		assert_int_equal(X.c.state, IKE_INIT_S_INT_SENT);
		assert_int_equal(X.c.msg_id, i);
		assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	}
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	assert_int_equal(X.c.msg_id, n + 1);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_ctr(&X, "intermediate_ok"), n);
	assert_int_equal(exch_ctr(&X, "auth_ok"), 1);
	exch_assert_child_keys(&X);
}

static void
intermediates_then_auth(unsigned n)
{
	intermediates_from_then_auth(1, n);
}

static void
run_empty(const struct ike_suite_cfg *ike, unsigned n)
{
	exch_init(&X, ike, &esp_gcm, NULL, 0);
	X.cfg.intermediate = true;
	X.cfg.intermediate_extra = (uint8_t)n;
	exch_start(&X);
	sa_init();
	intermediates_then_auth(n);
	/* Later exchanges go on with the next message ID. */
	exch_liveness(&X);
	exch_fini(&X);
}

static void
test_one(void **state)
{
	(void)state;
	run_empty(&ike_gcm, 1);
}

static void
test_two(void **state)
{
	(void)state;
	run_empty(&ike_cbc, 2);
}

static void
test_three(void **state)
{
	(void)state;
	run_empty(&ike_gcm, 3);
}

/* Announced both ways but not used: a plain IKE_AUTH with message ID 1 and no IntAuth. */
static void
test_negotiated_unused(void **state)
{
	(void)state;
	run_empty(&ike_gcm, 0);
}

/* IntAuth_i spoilt on our side: the responder's AUTH check must fail. */
static void
test_bad_int_auth_i(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	X.cfg.intermediate = true;
	X.cfg.intermediate_extra = 2;
	exch_start(&X);
	sa_init();
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	X.hs.int_auth_i[5] ^= 0x01;
	assert_int_equal(ike_init_auth_build(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_AUTH_FAILED_RECEIVED);
	assert_int_equal(exch_ctr(&X, "auth_failed"), 1);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 0);
	exch_fini(&X);
}

/* IntAuth_r spoilt on our side: the responder's AUTH must not verify for us. */
static void
test_bad_int_auth_r(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	X.cfg.intermediate = true;
	X.cfg.intermediate_extra = 1;
	exch_start(&X);
	sa_init();
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	X.hs.int_auth_r[0] ^= 0x80;
	assert_int_equal(exch_round(&X), IKE_INIT_R_PEER_AUTH_BAD);
	assert_int_equal(X.c.state, IKE_INIT_S_FAILED);
	exch_fini(&X);
}

/*
 * A lost response: the request is sent again and answered from the cache,
 * byte for byte; a duplicate of an answered request after the next one
 * went out gets the cached answer too, which the client ignores.
 */
static void
test_retransmit(void **state)
{
	uint8_t first_resp[EXCH_BUF], first_req[EXCH_BUF];
	size_t first_resp_len, first_req_len;

	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	exch_addke(&X, false, 1, IKE_KE_ECP256, false);
	X.cfg.intermediate = true;
	X.cfg.intermediate_extra = 1;
	exch_start(&X);
	sa_init();
	/* IKE_INTERMEDIATE 1 (ADDKE1): the response is lost, the request sent again. */
	assert_int_equal(exch_to_responder(&X), 1);
	memcpy(first_resp, X.resp, X.resp_len);
	first_resp_len = X.resp_len;
	memcpy(first_req, X.req, X.req_len);
	first_req_len = X.req_len;
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(X.resp_len, first_resp_len);
	assert_memory_equal(X.resp, first_resp, first_resp_len);
	assert_int_equal(exch_ctr(&X, "retransmit_resent"), 1);
	assert_int_equal(exch_ctr(&X, "intermediate_ok"), 1);
	/* The answer arrives twice: the second copy is no answer to the new request. */
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.msg_id, 2);
	memcpy(X.resp, first_resp, first_resp_len);
	X.resp_len = first_resp_len;
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_IGNORED);
	/* A late duplicate of request 1 under the old keys: still answered from the cache. */
	{
		uint8_t req2[EXCH_BUF];
		size_t req2_len = X.req_len;

		memcpy(req2, X.req, X.req_len);
		memcpy(X.req, first_req, first_req_len);
		X.req_len = first_req_len;
		assert_int_equal(exch_to_responder(&X), 1);
		assert_memory_equal(X.resp, first_resp, first_resp_len);
		memcpy(X.req, req2, req2_len);
		X.req_len = req2_len;
	}
	assert_int_equal(exch_ctr(&X, "retransmit_resent"), 2);
	/* IKE_INTERMEDIATE 2 (empty) and IKE_AUTH under the updated keys. */
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.msg_id, 3);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(exch_ctr(&X, "intermediate_ok"), 2);
	assert_int_equal(exch_ctr(&X, "intermediate_addke_ok"), 1);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* HDR(IKE_INTERMEDIATE, MID 1), SK {} under the client's current keys. */
static void
inject_intermediate(void)
{
	size_t sk_off, plain_off, plain_len;
	struct ike_mb b;

	ike_mb_init(&b, X.req, sizeof(X.req), X.c.spi_i, X.c.spi_r, IKE_EXCH_IKE_INTERMEDIATE,
		    IKE_HDR_F_INITIATOR, 1);
	ike_mb_begin_sk(&b, ike_sk_iv_len(&X.c.keys.init_to_resp));
	assert_int_equal(ike_mb_end_sk(&b, &sk_off, &plain_off, &plain_len), IKE_OK);
	assert_int_equal(ike_sk_seal(&exch_ops, &X.c.keys.init_to_resp, X.req, sizeof(X.req),
				     sk_off, plain_off, plain_len, &X.req_len),
			 IKE_OK);
}

/* The initiator did not announce IKE_INTERMEDIATE and runs one anyway: INVALID_SYNTAX. */
static void
test_not_negotiated(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	exch_start(&X);
	sa_init();
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	inject_intermediate();
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "intermediate_not_negotiated"), 1);
	assert_int_equal(exch_ctr(&X, "invalid_syntax_sent"), 1);
	assert_int_equal(exch_ctr(&X, "intermediate_ok"), 0);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 0);
	exch_fini(&X);
}

/* ADDKE1 and ADDKE2 chosen: two IKE_INTERMEDIATE with KE, keys updated after each. */
static void
test_addke_two(void **state)
{
	uint8_t sk_d_before[CRY_MAX_PRF_LEN];

	(void)state;
	exch_init(&X, &ike_cbc, &esp_gcm, NULL, 0);
	exch_addke(&X, false, 1, IKE_KE_CURVE25519, false);
	exch_addke(&X, false, 2, IKE_KE_MODP2048, false);
	X.cfg.intermediate = true;
	exch_start(&X);
	sa_init();
	assert_int_equal(X.hs.addke_n, 2);
	memcpy(sk_d_before, X.c.keys.sk_d, X.c.keys.prf_len);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_memory_not_equal(sk_d_before, X.c.keys.sk_d, X.c.keys.prf_len);
	intermediates_from_then_auth(2, 2);
	assert_int_equal(exch_ctr(&X, "intermediate_addke_ok"), 2);
	exch_fini(&X);
}

/*
 * After an IKE SA made with ADDKE1, a rekey by an initiator that offers no
 * ADDKE (a client without IKE_FOLLOWUP_KE) takes our NONE, and the new SA
 * works. (With ADDKE in the rekey: test_exch_followup.c.)
 */
static void
test_addke_then_rekey(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	exch_addke(&X, false, 1, IKE_KE_ECP256, true);
	X.cfg.intermediate = true;
	exch_start(&X);
	sa_init();
	intermediates_then_auth(1);
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_ctr(&X, "ike_rekeyed"), 1);
	assert_int_equal(exch_round(&X), IKE_INIT_R_IGNORED);
	exch_liveness(&X);
	exch_fini(&X);
}

/* ADDKE1 with ecp384 and two empty exchanges after it. */
static void
test_addke_then_empty(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	exch_addke(&X, false, 1, IKE_KE_ECP384, false);
	X.cfg.intermediate = true;
	X.cfg.intermediate_extra = 2;
	X.cfg.addke_optional = true;
	exch_start(&X);
	sa_init();
	intermediates_then_auth(3);
	assert_int_equal(exch_ctr(&X, "intermediate_addke_ok"), 1);
	exch_fini(&X);
}

/* ADDKE3 only (ADDKE1/2 not offered): the one additional exchange is ADDKE3's. */
static void
test_addke_gap(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	exch_addke(&X, false, 3, IKE_KE_ECP521, true);
	X.cfg.intermediate = true;
	exch_start(&X);
	sa_init();
	intermediates_then_auth(1);
	assert_int_equal(exch_ctr(&X, "intermediate_addke_ok"), 1);
	exch_fini(&X);
}

/* ADDKE1 offered with NONE; the responder has no ADDKE: NONE, no IKE_INTERMEDIATE. */
static void
test_addke_declined(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	X.cfg.intermediate = true;
	X.cfg.addke[0] = IKE_KE_CURVE25519;
	X.cfg.addke_optional = true;
	exch_start(&X);
	sa_init();
	assert_int_equal(X.hs.addke_n, 0);
	intermediates_then_auth(0);
	exch_fini(&X);
}

/* ADDKE1 required by the initiator, none configured: NO_PROPOSAL_CHOSEN. */
static void
test_addke_refused(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	X.cfg.intermediate = true;
	X.cfg.addke[0] = IKE_KE_CURVE25519;
	exch_start(&X);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	assert_int_equal(exch_ctr(&X, "init_no_proposal_sent"), 1);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 0);
	exch_fini(&X);
}

/* ADDKE1 = x25519 on both sides, the client announcing IKE_INTERMEDIATE or not. */
static void
start_addke1(bool intermediate)
{
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	exch_addke(&X, false, 1, IKE_KE_CURVE25519, false);
	X.cfg.intermediate = intermediate;
	exch_start(&X);
}

/* ADDKE offered without N(INTERMEDIATE_EXCHANGE_SUPPORTED): it could never run. */
static void
test_addke_without_intermediate(void **state)
{
	(void)state;
	start_addke1(false);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	assert_int_equal(exch_ctr(&X, "init_addke_without_intermediate"), 1);
	exch_fini(&X);
}

/* IKE_AUTH before the negotiated additional key exchange: INVALID_SYNTAX, SA gone. */
static void
test_auth_before_addke(void **state)
{
	(void)state;
	start_addke1(true);
	sa_init();
	assert_int_equal(X.c.state, IKE_INIT_S_INT_SENT);
	assert_int_equal(ike_init_auth_build(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "auth_addke_pending"), 1);
	assert_int_equal(exch_ctr(&X, "auth_ok"), 0);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 0);
	exch_fini(&X);
}

/* An empty IKE_INTERMEDIATE where ADDKE1 was due: INVALID_SYNTAX. */
static void
test_addke_missing_ke(void **state)
{
	(void)state;
	start_addke1(true);
	sa_init();
	inject_intermediate();
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "intermediate_addke_bad_ke"), 1);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 0);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_two),
		cmocka_unit_test(test_three),
		cmocka_unit_test(test_negotiated_unused),
		cmocka_unit_test(test_bad_int_auth_i),
		cmocka_unit_test(test_bad_int_auth_r),
		cmocka_unit_test(test_retransmit),
		cmocka_unit_test(test_not_negotiated),
		cmocka_unit_test(test_addke_two),
		cmocka_unit_test(test_addke_then_empty),
		cmocka_unit_test(test_addke_then_rekey),
		cmocka_unit_test(test_addke_gap),
		cmocka_unit_test(test_addke_declined),
		cmocka_unit_test(test_addke_refused),
		cmocka_unit_test(test_addke_without_intermediate),
		cmocka_unit_test(test_auth_before_addke),
		cmocka_unit_test(test_addke_missing_ke),
	};

	return cmocka_run_group_tests_name("exch-intermediate", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
