/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests of the Child SA rekey the responder starts itself on a
 * soft lifetime (RFC 7296 1.3.3, 2.8, 2.8.1), lib/core against lib/initiator
 * in-process:
 *   soft event --> <-- CREATE_CHILD_SA {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}
 *   answer     --> new SA to the data path (keys checked against the client's)
 *              <-- INFORMATIONAL {D(ESP, old)}, answered: the old SA goes
 * and the other ends: a collision with the client's own rekey, an error
 * answer (the old SA stays), TEMPORARY_FAILURE (tried again later), a
 * client that never answers (resends, then the IKE SA goes).
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

static const struct ike_suite_cfg esp_cbc_pfs = {IKE_ENCR_AES_CBC, 128, 0,
						 IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_ECP256};

/* A responder without DPD (only the rekey uses the request timer) and an established client. */
static void
start(const struct ike_suite_cfg *esp)
{
	exch_init(&X, &exch_ike_x25519_gcm, esp, NULL, 0);
	exch_requests_only(&X);
	exch_start(&X);
	exch_handshake(&X);
	assert_true(X.c.has_child);
}

/* The whole rekey: request, answer, new SA in, DELETE of the old one, its answer. */
static void
rekey_ok(const struct ike_suite_cfg *esp)
{
	uint32_t old_in, old_out, id;

	start(esp);
	old_in = exch_core_spi_in(&X);
	old_out = X.c.child.spi_in;
	X.n_child_ev = 0;
	assert_int_equal(exch_soft(&X, old_in), 1);
	exch_assert_request(&X, X.tx[0].data, IKE_EXCH_CREATE_CHILD_SA);
	id = exch_msg_id(X.tx[0].data);
	assert_int_equal(exch_ctr(&X, "child_rekey_started"), 1);
	/* Both directions report: one rekey. */
	assert_int_equal(exch_soft(&X, old_in), 0);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(X.c.prev_spi_out, old_in);
	/* The answer: the new SA goes to the data path naming the old one, then the DELETE. */
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_not_equal(exch_last_child_ev(&X)->spi_in, old_in);
	exch_assert_rekeyed(&X, old_in, old_out, id + 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_old_deleted"), 1);
	/* The SA's request machinery is free again: the client's own requests still work. */
	exch_liveness(&X);
	/* A stale report (the old SA) starts nothing. */
	assert_int_equal(exch_soft(&X, old_in), 0);
	assert_int_equal(exch_ctr(&X, "child_soft_stale"), 1);
	/* The new SA can be rekeyed in turn. */
	assert_int_equal(exch_soft(&X, exch_core_spi_in(&X)), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_started"), 2);
	exch_fini(&X);
}

static void
test_rekey_gcm(void **state)
{
	(void)state;
	rekey_ok(&exch_esp_gcm);
}

static void
test_rekey_cbc_pfs(void **state)
{
	(void)state;
	rekey_ok(&esp_cbc_pfs);
}

/* The client answers with an error: no new SA, the old one stays (its hard limit deletes it). */
static void
test_error_answer(void **state)
{
	uint32_t old_in;

	(void)state;
	start(&exch_esp_gcm);
	old_in = exch_core_spi_in(&X);
	X.n_child_ev = 0;
	X.cfg.rekey_answer_error = IKE_N_NO_PROPOSAL_CHOSEN;
	assert_int_equal(exch_soft(&X, old_in), 1);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_refused"), 1);
	assert_int_equal(X.n_child_ev, 0);
	assert_int_equal(exch_core_spi_in(&X), old_in);
	/* Not tried again; the hard limit deletes it as before. */
	assert_int_equal(exch_tick(&X, X.now_ms + 60000), 0);
	exch_tx_reset(&X);
	assert_int_equal(
		ike_shard_child_expire(X.shard, X.c.spi_r, old_in, X.now_ms, X.tx, EXCH_TX_N), 1);
	assert_false(exch_last_child_ev(&X)->install);
	assert_int_equal(exch_ctr(&X, "child_rekey_started"), 1);
	exch_fini(&X);
}

/* TEMPORARY_FAILURE (2.25): the same rekey again a few seconds later. */
static void
test_temporary_failure(void **state)
{
	uint64_t t, again = 0;

	(void)state;
	start(&exch_esp_gcm);
	X.cfg.rekey_answer_error = IKE_N_TEMPORARY_FAILURE;
	assert_int_equal(exch_soft(&X, exch_core_spi_in(&X)), 1);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_temporary_failure"), 1);
	X.cfg.rekey_answer_error = 0;
	for (t = X.now_ms + 100; t < X.now_ms + 5000 && again == 0; t += 100)
		if (exch_tick(&X, t) != 0)
			again = t;
	assert_int_not_equal(again, 0);
	exch_assert_request(&X, X.tx[0].data, IKE_EXCH_CREATE_CHILD_SA);
	assert_int_equal(exch_ctr(&X, "child_rekey_started"), 2);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* Nobody answers: resends with the same message ID, then the IKE SA goes (2.4). */
static void
test_no_answer(void **state)
{
	uint64_t first, t;
	unsigned resends = 0;
	uint32_t id;

	(void)state;
	start(&exch_esp_gcm);
	first = X.now_ms;
	assert_int_equal(exch_soft(&X, exch_core_spi_in(&X)), 1);
	id = exch_msg_id(X.tx[0].data);
	for (t = first + 100; t < first + EXCH_REQ_TIMEOUT_S * 1000; t += 100) {
		if (exch_tick(&X, t) == 0)
			continue;
		exch_assert_request(&X, X.tx[0].data, IKE_EXCH_CREATE_CHILD_SA);
		assert_int_equal(exch_msg_id(X.tx[0].data), id);
		resends++;
	}
	assert_int_equal(resends, 3);
	assert_int_equal(exch_ctr(&X, "child_rekey_resent"), 3);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_tick(&X, first + EXCH_REQ_TIMEOUT_S * 1000), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_no_answer"), 1);
	/* The late answer of a resend finds nothing. */
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 0);
	exch_fini(&X);
}

/*
 * Both rekey the same SA at once (2.8.1): our request crosses the client's.
 * We answer the client's; when ours is answered the nonces decide: the SA
 * made by the exchange holding the lowest of the four nonces is closed by
 * the side that started that exchange. Returns whether ours survived,
 * after checking that the matching DELETE went out and what it removed.
 */
static bool
collide(void)
{
	struct ike_tx ours;
	uint8_t ours_buf[EXCH_BUF];
	uint32_t old_in, peer_new_in, our_new_in;
	bool won;

	start(&exch_esp_gcm);
	old_in = exch_core_spi_in(&X);
	assert_int_equal(exch_soft(&X, old_in), 1);
	memcpy(ours_buf, X.tx[0].data, X.tx[0].len);
	ours = X.tx[0];
	ours.data = ours_buf;
	/* The client's own rekey of the same SA, answered by us. */
	assert_int_equal(ike_init_req_rekey_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	X.n_child_ev = 0;
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "child_rekeyed"), 1);
	assert_true(exch_last_child_ev(&X)->install);
	peer_new_in = exch_last_child_ev(&X)->spi_in;
	/* Our request reaches the client before its answer does: it answers it. */
	assert_int_equal(exch_to_client(&X, &ours), IKE_INIT_R_SEND_RESPONSE);
	our_new_in = X.c.child.spi_out;
	assert_int_not_equal(peer_new_in, our_new_in);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_collision_won") +
				 exch_ctr(&X, "child_rekey_collision_lost"),
			 1);
	won = exch_ctr(&X, "child_rekey_collision_won") == 1;
	exch_assert_request(&X, X.resp, IKE_EXCH_INFORMATIONAL);
	if (won) {
		/* Ours installed next to the client's; we delete the old one. */
		assert_true(exch_last_child_ev(&X)->install);
		assert_int_equal(exch_last_child_ev(&X)->spi_in, our_new_in);
		assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	} else {
		/* Ours never installed; its DELETE names it; the client deletes the old one. */
		assert_int_equal(exch_last_child_ev(&X)->spi_in, peer_new_in);
		assert_int_equal(exch_ctr(&X, "child_rekey_done"), 0);
	}
	/* The client answers the DELETE with its side of the SA it names. */
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_SEND_RESPONSE);
	if (won)
		assert_int_equal(X.c.prev_spi_out, 0); /* it named the old SA */
	else
		assert_false(X.c.has_child); /* it named ours, the client's current one */
	assert_int_equal(exch_to_responder(&X), 0);
	if (won) {
		assert_false(exch_last_child_ev(&X)->install);
		assert_int_equal(exch_last_child_ev(&X)->spi_in, old_in);
	} else {
		/* The old SA stays for the winner to delete. */
		assert_true(exch_last_child_ev(&X)->install);
		assert_int_equal(exch_ctr(&X, "child_rekey_old_deleted"), 0);
	}
	exch_fini(&X);
	return won;
}

/* Both outcomes (the nonces are random: each run is one or the other). */
static void
test_collision(void **state)
{
	bool seen[2] = {false, false};

	(void)state;
	for (unsigned i = 0; i < 64 && !(seen[0] && seen[1]); i++)
		seen[collide()] = true;
	assert_true(seen[0] && seen[1]);
}

/*
 * The client rekeys the IKE SA (2.18): the data path learns the Child SA's
 * new owner, so its soft limit still reaches the IKE SA that has it.
 */
static void
test_after_ike_rekey(void **state)
{
	uint64_t old_spi_r;

	(void)state;
	start(&exch_esp_gcm);
	old_spi_r = X.c.spi_r;
	X.n_child_ev = 0;
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST); /* then D(IKE) of the old */
	assert_int_not_equal(X.c.spi_r, old_spi_r);
	assert_int_equal(X.n_child_ev, 1);
	assert_true(exch_last_child_ev(&X)->moved);
	assert_int_equal(exch_last_child_ev(&X)->spi_in, exch_core_spi_in(&X));
	assert_int_equal(exch_last_child_ev(&X)->ike_spi, X.c.spi_r);
	/* The old IKE SA goes (its answer is not waited for). */
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	/* A report naming the old IKE SA is stale; the new owner rekeys. */
	exch_tx_reset(&X);
	assert_int_equal(ike_shard_child_soft(X.shard, old_spi_r, exch_core_spi_in(&X), X.now_ms,
					      X.tx, EXCH_TX_N),
			 0);
	assert_int_equal(exch_ctr(&X, "child_soft_stale"), 1);
	assert_int_equal(exch_soft(&X, exch_core_spi_in(&X)), 1);
	exch_assert_request(&X, X.tx[0].data, IKE_EXCH_CREATE_CHILD_SA);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rekey_gcm),	cmocka_unit_test(test_rekey_cbc_pfs),
		cmocka_unit_test(test_error_answer),	cmocka_unit_test(test_temporary_failure),
		cmocka_unit_test(test_no_answer),	cmocka_unit_test(test_collision),
		cmocka_unit_test(test_after_ike_rekey),
	};

	return cmocka_run_group_tests(tests, exch_crypto_setup, exch_crypto_teardown);
}
