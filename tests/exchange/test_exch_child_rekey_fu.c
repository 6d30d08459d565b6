/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests of the Child SA rekey the responder starts itself when the
 * ESP proposal has RFC 9370 additional key exchanges, lib/core against
 * lib/initiator in-process (the client answers as the exchange responder):
 *   soft event --> <-- CREATE_CHILD_SA {N(REKEY_SA), SA(+ADDKE), Ni, KEi, TSi, TSr}
 *                      {SA, Nr, KEr, N(ADDITIONAL_KEY_EXCHANGE)(link), TSi, TSr} -->
 *              <-- IKE_FOLLOWUP_KE {KEi(1), N(ADDITIONAL_KEY_EXCHANGE)(link)}
 *                      {KEr(1), [N(ADDITIONAL_KEY_EXCHANGE)(link2)]} -->  ...
 *   last answer --> new SA to the data path (keys checked against the client's)
 *              <-- INFORMATIONAL {D(ESP, old)}
 * and the other ends: the client declining with NONE, a client that runs
 * none, a link or method the client does not know (STATE_NOT_FOUND,
 * INVALID_SYNTAX), no answer to an IKE_FOLLOWUP_KE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exch_requests.h"
#include "ike_wire.h"

static struct exch X;
static struct ike_init_followup FU;

static const struct ike_suite_cfg esp_pfs = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE,
					     IKE_KE_CURVE25519};

/* A responder without DPD, its ESP proposal with ADDKE set up by the caller. */
static void
setup(void)
{
	exch_init(&X, &exch_ike_x25519_gcm, &esp_pfs, NULL, 0);
	exch_requests_only(&X);
	memset(&FU, 0, sizeof(FU));
}

/* An established client; with_fu: it keeps IKE_FOLLOWUP_KE state (runs ADDKE). */
static void
start(bool with_fu)
{
	exch_start(&X);
	if (with_fu)
		ike_init_set_followup(&X.c, &FU);
	exch_handshake(&X);
	assert_true(X.c.has_child);
}

/*
 * Soft event, CREATE_CHILD_SA answered with a link: the core's first
 * IKE_FOLLOWUP_KE is in X.resp. Returns the CREATE_CHILD_SA's message ID.
 */
static uint32_t
rekey_to_followup(uint32_t old_in)
{
	uint32_t id;

	X.n_child_ev = 0;
	assert_int_equal(exch_soft(&X, old_in), 1);
	exch_assert_request(&X, X.tx[0].data, IKE_EXCH_CREATE_CHILD_SA);
	id = exch_msg_id(X.tx[0].data);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(FU.peer, 1);
	assert_int_equal(FU.link_len, 8);
	/* The client waits for the exchanges: its Child SA is still the old one. */
	assert_int_equal(X.c.child.spi_out, old_in);
	assert_int_equal(X.c.prev_spi_out, 0);
	assert_int_equal(exch_to_responder(&X), 1);
	exch_assert_request(&X, X.resp, IKE_EXCH_IKE_FOLLOWUP_KE);
	assert_int_equal(exch_msg_id(X.resp), id + 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_followup_started"), 1);
	assert_int_equal(X.n_child_ev, 0);
	return id;
}

/* The whole rekey with n exchanges: keys agree, then the old SA's DELETE. */
static void
rekey_ok(unsigned n)
{
	uint32_t old_in = exch_core_spi_in(&X), old_out = X.c.child.spi_in, id;

	id = rekey_to_followup(old_in);
	for (unsigned i = 1; i <= n; i++) {
		assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_SEND_RESPONSE);
		assert_int_equal(exch_to_responder(&X), 1);
		assert_int_equal(exch_ctr(&X, "child_rekey_followup_ok"), i);
		if (i < n) {
			/* The next exchange, its link copied from the answer; nothing installed. */
			exch_assert_request(&X, X.resp, IKE_EXCH_IKE_FOLLOWUP_KE);
			assert_int_equal(exch_msg_id(X.resp), id + 1 + i);
			assert_int_equal(X.n_child_ev, 0);
			assert_int_equal(X.c.prev_spi_out, 0);
		}
	}
	assert_int_equal(X.c.prev_spi_out, old_in);
	assert_int_equal(FU.n, 0); /* wiped once done */
	exch_assert_rekeyed(&X, old_in, old_out, id + 1 + n);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_old_deleted"), 1);
	/* The SA's request machinery is free again. */
	exch_liveness(&X);
}

static void
test_one(void **state)
{
	(void)state;
	setup();
	exch_addke(&X, true, 1, IKE_KE_ECP256, false);
	start(true);
	rekey_ok(1);
	/* The new SA is rekeyed in turn. */
	assert_int_equal(exch_soft(&X, exch_core_spi_in(&X)), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_started"), 2);
	exch_fini(&X);
}

/* ADDKE1 and ADDKE3 (ADDKE2 not configured): two IKE_FOLLOWUP_KE in ADDKE order. */
static void
test_two(void **state)
{
	(void)state;
	setup();
	exch_addke(&X, true, 1, IKE_KE_MODP2048, false);
	exch_addke(&X, true, 3, IKE_KE_ECP384, false);
	start(true);
	rekey_ok(2);
	exch_fini(&X);
}

/* keN_none offered and the client runs none: it answers NONE, a plain rekey. */
static void
test_declined_none(void **state)
{
	(void)state;
	setup();
	exch_addke(&X, true, 1, IKE_KE_ECP256, true);
	X.cfg.esp_addke[0] = IKE_KE_NONE;
	start(true);
	X.n_child_ev = 0;
	assert_int_equal(exch_soft(&X, exch_core_spi_in(&X)), 1);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(FU.peer, 0);
	assert_int_equal(exch_to_responder(&X), 1);
	exch_assert_request(&X, X.resp, IKE_EXCH_INFORMATIONAL);
	assert_int_equal(exch_ctr(&X, "child_rekey_followup_started"), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	assert_int_equal(X.n_child_ev, 1);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* ADDKE required and a client without follow-up state: NO_PROPOSAL_CHOSEN, the old SA stays. */
static void
test_client_without_followup(void **state)
{
	uint32_t old_in;

	(void)state;
	setup();
	exch_addke(&X, true, 1, IKE_KE_ECP256, false);
	start(false);
	old_in = exch_core_spi_in(&X);
	X.n_child_ev = 0;
	assert_int_equal(exch_soft(&X, old_in), 1);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_refused"), 1);
	assert_int_equal(X.n_child_ev, 0);
	assert_int_equal(exch_core_spi_in(&X), old_in);
	exch_fini(&X);
}

/*
 * The client answers an IKE_FOLLOWUP_KE with an error (its link or method
 * differs from the core's): the rekey ends, the new SPI goes back, the old
 * SA stays, and the SA's next request works.
 */
static void
refused(bool bad_link)
{
	uint32_t old_in;

	setup();
	exch_addke(&X, true, 1, IKE_KE_ECP256, false);
	exch_addke(&X, true, 2, IKE_KE_CURVE25519, false);
	start(true);
	old_in = exch_core_spi_in(&X);
	rekey_to_followup(old_in);
	if (bad_link)
		FU.link[0] ^= 0xff; /* the core's link is no longer one the client knows */
	else
		FU.addke[0] = IKE_KE_ECP384; /* the core's KEi(1) is another method */
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_followup_refused"), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_followup_ok"), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 0);
	assert_int_equal(X.n_child_ev, 0);
	assert_int_equal(exch_core_spi_in(&X), old_in);
	assert_int_equal(X.c.prev_spi_out, 0);
	/* INVALID_SYNTAX drops the client's state; STATE_NOT_FOUND names none of its. */
	if (!bad_link)
		assert_int_equal(FU.peer, 0);
	/* Nothing outstanding: a request of the client is answered, the next soft report rekeys. */
	exch_liveness(&X);
	assert_int_equal(exch_soft(&X, old_in), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_started"), 2);
	/* The client's stale state does not stand in the way of the new rekey. */
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 1);
	exch_assert_request(&X, X.resp, IKE_EXCH_IKE_FOLLOWUP_KE);
	assert_int_equal(exch_ctr(&X, "child_rekey_followup_started"), 2);
	exch_fini(&X);
}

static void
test_bad_link(void **state)
{
	(void)state;
	refused(true);
}

static void
test_wrong_method(void **state)
{
	(void)state;
	refused(false);
}

/* The IKE_FOLLOWUP_KE is resent unchanged, then the IKE SA goes (as DPD), state freed. */
static void
test_no_answer(void **state)
{
	unsigned resends = 0;
	uint64_t first, t;
	uint32_t id;

	(void)state;
	setup();
	exch_addke(&X, true, 1, IKE_KE_ECP256, false);
	start(true);
	rekey_to_followup(exch_core_spi_in(&X));
	id = exch_msg_id(X.resp);
	first = X.now_ms;
	for (t = first + 100; t < first + EXCH_REQ_TIMEOUT_S * 1000; t += 100) {
		if (exch_tick(&X, t) == 0)
			continue;
		exch_assert_request(&X, X.tx[0].data, IKE_EXCH_IKE_FOLLOWUP_KE);
		assert_int_equal(exch_msg_id(X.tx[0].data), id);
		resends++;
	}
	assert_int_equal(resends, 3);
	/* A resend is a request the client answers; its answer comes too late. */
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_tick(&X, first + EXCH_REQ_TIMEOUT_S * 1000), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_no_answer"), 1);
	/* The late answer finds nothing. */
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 0);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_two),
		cmocka_unit_test(test_declined_none),
		cmocka_unit_test(test_client_without_followup),
		cmocka_unit_test(test_bad_link),
		cmocka_unit_test(test_wrong_method),
		cmocka_unit_test(test_no_answer),
	};

	return cmocka_run_group_tests_name("exch-child-rekey-fu", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
