/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests of INVALID_KE_PAYLOAD in the Child SA rekey the responder
 * starts itself (RFC 7296 1.3, 2.7, 3.10.1), lib/core against lib/initiator
 * in-process. The responder's ESP proposal lists ECP256 then CURVE25519, so
 * its rekey sends KEi(ECP256); a client that takes only CURVE25519 answers
 *   <-- CREATE_CHILD_SA {N(REKEY_SA), SA, Ni, KEi(19), TSi, TSr}
 *       {N(INVALID_KE_PAYLOAD, 31)} -->
 *   <-- CREATE_CHILD_SA {N(REKEY_SA), SA, Ni', KEi(31), TSi, TSr}  next ID
 *       {SA, Nr, KEr(31), TSi, TSr} -->   the new SA, then the old one's DELETE
 * and the ends: a second INVALID_KE_PAYLOAD for the same rekey, a group
 * our proposal does not list, a rekey without PFS, the first answer again
 * after the retry went out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exch_harness.h"
#include "exch_requests.h"
#include "ike_wire.h"

static struct exch X;

/* The responder's first PFS group; the client's is set per test. */
static const struct ike_suite_cfg esp_pfs = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE,
					     IKE_KE_ECP256};
static const struct ike_suite_cfg esp_no_pfs = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, 0};

/*
 * A responder without DPD whose ESP proposal lists esp's group and then
 * CURVE25519 (none when esp has no group), and an established client
 * taking client_group for PFS.
 */
static void
start(const struct ike_suite_cfg *esp, uint16_t client_group)
{
	struct ike_alg_list *ke;

	exch_init(&X, &exch_ike_x25519_gcm, esp, NULL, 0);
	ke = &X.core_cfg.esp_proposals[0].xf[IKE_TRANSFORM_KE];
	if (esp->ke_id != 0)
		ke->alg[ke->n++] = (struct ike_alg){IKE_KE_CURVE25519, 0};
	X.cfg.esp.ke = client_group;
	exch_requests_only(&X);
	exch_start(&X);
	exch_handshake(&X);
	assert_true(X.c.has_child);
}

/* The soft event's CREATE_CHILD_SA answered with INVALID_KE_PAYLOAD; returns its message ID. */
static uint32_t
first_refused(void)
{
	uint32_t id;

	X.n_child_ev = 0;
	assert_int_equal(exch_soft(&X, exch_core_spi_in(&X)), 1);
	exch_assert_request(&X, X.tx[0].data, IKE_EXCH_CREATE_CHILD_SA);
	id = exch_msg_id(X.tx[0].data);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	return id;
}

/* The group the client names is in our proposal: the rekey goes again with it and completes. */
static void
test_retry_with_named_group(void **state)
{
	static uint8_t first_answer[EXCH_BUF], retry[EXCH_BUF];
	size_t first_len, retry_len;
	uint32_t old_in, old_out, id;

	(void)state;
	start(&esp_pfs, IKE_KE_CURVE25519);
	old_in = exch_core_spi_in(&X);
	old_out = X.c.child.spi_in;
	id = first_refused();
	memcpy(first_answer, X.req, X.req_len);
	first_len = X.req_len;
	/* The answer: the same rekey again at once, the next message ID. */
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_invalid_ke_retry"), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_refused"), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_started"), 1);
	exch_assert_request(&X, X.resp, IKE_EXCH_CREATE_CHILD_SA);
	assert_int_equal(exch_msg_id(X.resp), id + 1);
	assert_int_equal(X.n_child_ev, 0);
	/* The first answer again (a resend crossing ours): nothing, the retry stays out. */
	memcpy(retry, X.resp, X.resp_len);
	retry_len = X.resp_len;
	memcpy(X.req, first_answer, first_len);
	X.req_len = first_len;
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_invalid_ke_retry"), 1);
	memcpy(X.resp, retry, retry_len);
	X.resp_len = retry_len;
	/* The client takes KEi(CURVE25519): PFS keys on both sides, the old SA deleted. */
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(X.c.prev_spi_out, old_in);
	assert_int_equal(exch_to_responder(&X), 1);
	exch_assert_rekeyed(&X, old_in, old_out, id + 2);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_old_deleted"), 1);
	/* The next rekey starts with our first group again, and is retried again. */
	first_refused();
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_invalid_ke_retry"), 2);
	exch_fini(&X);
}

/* The retry refused the same way: one retry per rekey, then given up (the old SA stays). */
static void
test_retry_once(void **state)
{
	uint32_t old_in, id;

	(void)state;
	start(&esp_pfs, IKE_KE_CURVE25519);
	old_in = exch_core_spi_in(&X);
	X.cfg.rekey_answer_error = IKE_N_INVALID_KE_PAYLOAD;
	id = first_refused();
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_msg_id(X.resp), id + 1);
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_invalid_ke_retry"), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_refused"), 1);
	assert_int_equal(X.n_child_ev, 0);
	assert_int_equal(exch_core_spi_in(&X), old_in);
	/* Nothing outstanding, nothing resent; the client's own requests still work. */
	assert_int_equal(exch_tick(&X, X.now_ms + 60000), 0);
	exch_liveness(&X);
	exch_fini(&X);
}

/* A group our proposal does not list, or a rekey without PFS: given up at once. */
static void
given_up(const struct ike_suite_cfg *esp, uint16_t named)
{
	start(esp, IKE_KE_CURVE25519);
	X.cfg.esp.ke = named;
	X.cfg.rekey_answer_error = IKE_N_INVALID_KE_PAYLOAD;
	first_refused();
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_invalid_ke_retry"), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_refused"), 1);
	assert_int_equal(X.n_child_ev, 0);
	assert_int_equal(exch_tick(&X, X.now_ms + 60000), 0);
	exch_fini(&X);
}

static void
test_group_not_offered(void **state)
{
	(void)state;
	given_up(&esp_pfs, IKE_KE_ECP384);
}

/* The group we sent named again: not a group to change to. */
static void
test_same_group(void **state)
{
	(void)state;
	given_up(&esp_pfs, IKE_KE_ECP256);
}

static void
test_no_pfs(void **state)
{
	(void)state;
	given_up(&esp_no_pfs, IKE_KE_CURVE25519);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_with_named_group),
		cmocka_unit_test(test_retry_once),
		cmocka_unit_test(test_group_not_offered),
		cmocka_unit_test(test_same_group),
		cmocka_unit_test(test_no_pfs),
	};

	return cmocka_run_group_tests(tests, exch_crypto_setup, exch_crypto_teardown);
}
