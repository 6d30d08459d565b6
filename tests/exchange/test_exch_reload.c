/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proposals reload (ike_shard_proposals_replace) between lib/initiator and
 * lib/core: a client offering a suite the shard does not take is refused,
 * takes it after the swap; an IKE SA established before the swap keeps its
 * algorithms and keeps answering, also when its suite left the list (its
 * rekey is then refused and the SA stays); a handshake in flight across the
 * swap finishes with the suite its IKE_SA_INIT chose; a set the shard
 * cannot take changes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_harness.h"

/* X: the responder and a client on the old suite; Y: a second client on another suite. */
static struct exch X, Y;

static const struct ike_suite_cfg old_ike = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					     IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg new_ike = {IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
					     IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_ECP256};
static const struct ike_suite_cfg esp_cbc = {IKE_ENCR_AES_CBC, 128, 0, IKE_INTEG_HMAC_SHA2_256_128,
					     0};

static struct ike_proposal_set set;

static int
up(void **state)
{
	(void)state;
	exch_init(&X, &old_ike, &esp_cbc, NULL, 0);
	exch_start(&X);
	exch_handshake(&X);
	/* Y talks to X's shard from another port, the same identity, no INITIAL_CONTACT. */
	exch_init(&Y, &new_ike, &esp_cbc, NULL, 0);
	Y.cfg.initial_contact = false;
	Y.wire_local.port = 4501;
	Y.local.port = 4501;
	Y.shard = X.shard;
	assert_int_equal(ike_init_client_init(&Y.c, &Y.cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&Y.c, &Y.local, &Y.remote);
	memset(&set, 0, sizeof(set));
	return 0;
}

static int
down(void **state)
{
	(void)state;
	ike_init_client_fini(&Y.c);
	exch_fini(&X);
	return 0;
}

static void
set_add_ike(const struct ike_suite_cfg *s)
{
	ike_proposal_cfg_of_suite(&set.ike[set.nb_ike++], s, false);
}

static void
set_add_esp(const struct ike_suite_cfg *s)
{
	ike_proposal_cfg_of_suite(&set.esp[set.nb_esp++], s, true);
}

/* Y's IKE_SA_INIT: the result of its answer (SEND_REQUEST: IKE_AUTH follows). */
static enum ike_init_result
y_sa_init(void)
{
	Y.now_ms = X.now_ms;
	assert_int_equal(ike_init_start(&Y.c, &Y.hs, Y.req, sizeof(Y.req), &Y.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	return exch_round(&Y);
}

/* The shard reports Child SAs to X: the last one must be Y's. */
static void
y_assert_child_keys(void)
{
	memcpy(Y.child_ev, X.child_ev, sizeof(Y.child_ev));
	Y.n_child_ev = X.n_child_ev;
	exch_assert_child_keys(&Y);
}

/* Y's IKE_SA_INIT and IKE_AUTH; the shard holds one more SA. */
static void
y_handshake(void)
{
	unsigned sas = ike_shard_nb_sas(X.shard);

	assert_int_equal(y_sa_init(), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&Y), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(ike_shard_nb_sas(X.shard), sas + 1);
	y_assert_child_keys();
}

/* X's IKE SA answers an INFORMATIONAL. */
static void
x_alive(void)
{
	exch_liveness(&X);
	assert_int_equal(X.c.state, IKE_INIT_S_ESTABLISHED);
}

/* Refused before the swap, established after it; X's SA stays and rekeys on its own suite. */
static void
test_added_proposal(void **state)
{
	(void)state;
	assert_int_equal(y_sa_init(), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	assert_int_equal(exch_ctr(&X, "init_no_proposal_sent"), 1);
	set_add_ike(&old_ike);
	set_add_ike(&new_ike);
	set_add_esp(&esp_cbc);
	assert_true(ike_shard_proposals_replace(X.shard, &set));
	ike_init_client_fini(&Y.c);
	assert_int_equal(ike_init_client_init(&Y.c, &Y.cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&Y.c, &Y.local, &Y.remote);
	y_handshake();
	x_alive();
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST); /* then the DELETE of the old */
	assert_int_equal(exch_round(&X), IKE_INIT_R_IGNORED);
	x_alive();
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
}

/*
 * The old suite removed: X's SA keeps its algorithms and answers, a new
 * Child SA on it comes from the new ESP list, its IKE SA rekey is refused
 * and it stays; a new client on the old suite is refused.
 */
static void
test_removed_proposal(void **state)
{
	static const struct ike_suite_cfg esp_gcm = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE,
						     0};

	(void)state;
	set_add_ike(&new_ike);
	set_add_esp(&esp_gcm);
	assert_true(ike_shard_proposals_replace(X.shard, &set));
	x_alive();
	/* A Child SA on AES-CBC is no longer taken; on AES-GCM it is. */
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	X.cfg.esp = (struct ike_transforms){IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, 0};
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	exch_assert_child_keys(&X);
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	assert_int_equal(exch_ctr(&X, "child_no_proposal_sent"), 2);
	x_alive();
	Y.cfg.esp = X.cfg.esp;
	ike_init_client_fini(&Y.c);
	assert_int_equal(ike_init_client_init(&Y.c, &Y.cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&Y.c, &Y.local, &Y.remote);
	y_handshake();
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
}

/* IKE_SA_INIT chose the old suite; the swap removes it; IKE_AUTH still completes on it. */
static void
test_in_flight(void **state)
{
	(void)state;
	/* Y offers the old suite this time. */
	Y.cfg.ike = X.cfg.ike;
	ike_init_client_fini(&Y.c);
	assert_int_equal(ike_init_client_init(&Y.c, &Y.cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&Y.c, &Y.local, &Y.remote);
	assert_int_equal(y_sa_init(), IKE_INIT_R_SEND_REQUEST);
	set_add_ike(&new_ike);
	set_add_esp(&esp_cbc);
	assert_true(ike_shard_proposals_replace(X.shard, &set));
	assert_int_equal(exch_round(&Y), IKE_INIT_R_ESTABLISHED);
	y_assert_child_keys();
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
}

/* No IKE proposal, or too many: refused, the old list stays; NULL goes back to the config's. */
static void
test_refused_set(void **state)
{
	(void)state;
	set_add_esp(&esp_cbc);
	assert_false(ike_shard_proposals_replace(X.shard, &set));
	set.nb_ike = IKE_CORE_MAX_PROPOSALS + 1;
	assert_false(ike_shard_proposals_replace(X.shard, &set));
	assert_int_equal(y_sa_init(), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	x_alive();
	/* A set without the old suite, then back to the configuration's lists. */
	set.nb_ike = 0;
	set_add_ike(&new_ike);
	assert_true(ike_shard_proposals_replace(X.shard, &set));
	assert_true(ike_shard_proposals_replace(X.shard, NULL));
	ike_init_client_fini(&Y.c);
	assert_int_equal(ike_init_client_init(&Y.c, &Y.cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&Y.c, &Y.local, &Y.remote);
	assert_int_equal(y_sa_init(), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	assert_int_equal(exch_ctr(&X, "init_no_proposal_sent"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_added_proposal, up, down),
		cmocka_unit_test_setup_teardown(test_removed_proposal, up, down),
		cmocka_unit_test_setup_teardown(test_in_flight, up, down),
		cmocka_unit_test_setup_teardown(test_refused_set, up, down),
	};

	return cmocka_run_group_tests_name("exchange-reload", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
