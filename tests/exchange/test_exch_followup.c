/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests: RFC 9370 additional key exchanges in CREATE_CHILD_SA,
 * run as IKE_FOLLOWUP_KE exchanges, between the initiator (lib/initiator)
 * and the responder core in-process: Child SA rekey with one and with two
 * additional exchanges, a new Child SA, an IKE SA rekey (the SA itself
 * made with IKE_INTERMEDIATE), ADDKE refused and declined (NONE), a
 * retransmitted IKE_FOLLOWUP_KE, bad link data (STATE_NOT_FOUND), a
 * request without the notify or with the wrong method (INVALID_SYNTAX),
 * an abandoned follow-up timing out or replaced by a new CREATE_CHILD_SA,
 * and the IKE SA deleted meanwhile.
 * The keys both sides derive must agree (exch_assert_child_keys, and the
 * new IKE SA answering a liveness check).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_requests.h"
#include "ike_init_priv.h"

static struct exch X;
static struct ike_init_followup FU;

static const struct ike_suite_cfg ike_gcm = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					     IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg esp_pfs = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE,
					     IKE_KE_CURVE25519};

/* A responder and client with ESP PFS; the client keeps IKE_FOLLOWUP_KE state. */
static void
setup(void)
{
	exch_init(&X, &ike_gcm, &esp_pfs, NULL, 0);
	memset(&FU, 0, sizeof(FU));
}

static void
start(void)
{
	exch_start(&X);
	ike_init_set_followup(&X.c, &FU);
	exch_handshake(&X);
}

static void
rekey_child_request(void)
{
	assert_int_equal(ike_init_req_rekey_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
}

/* CREATE_CHILD_SA answered with a link: the first IKE_FOLLOWUP_KE request is in X.req. */
static void
create_child_with_link(void)
{
	uint32_t id = X.c.msg_id;

	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.req, IKE_INIT_REQ_FOLLOWUP_KE);
	assert_int_equal(X.c.msg_id, id + 1);
	assert_int_equal(exch_ctr(&X, "followup_started"), 1);
	assert_int_equal(FU.link_len, 8);
}

/* Child SA rekey with n additional key exchanges: keys agree, old SA deleted. */
static void
child_rekey(unsigned n)
{
	unsigned installed = (unsigned)exch_ctr(&X, "child_installed");

	rekey_child_request();
	create_child_with_link();
	for (unsigned i = 1; i < n; i++) {
		assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
		assert_int_equal(X.c.req, IKE_INIT_REQ_FOLLOWUP_KE);
		/* Nothing is installed before the last exchange. */
		assert_int_equal(exch_ctr(&X, "child_installed"), installed);
	}
	/* The last answer: the Child SA, and the DELETE of the old one as our next request. */
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.req, IKE_INIT_REQ_DELETE_CHILD);
	assert_int_equal(exch_ctr(&X, "followup_ok"), n);
	assert_int_equal(exch_ctr(&X, "followup_done"), 1);
	assert_int_equal(exch_ctr(&X, "child_installed"), installed + 1);
	assert_int_equal(exch_ctr(&X, "child_rekeyed"), 1);
	assert_int_equal(X.n_child_ev, 2);
	assert_int_equal(X.child_ev[1].replaces_spi_in, X.child_ev[0].spi_in);
	exch_assert_child_keys(&X);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_int_equal(exch_ctr(&X, "child_deleted"), 1);
}

static void
test_child_rekey_one(void **state)
{
	(void)state;
	setup();
	exch_addke(&X, true, 1, IKE_KE_ECP256, false);
	start();
	child_rekey(1);
	exch_fini(&X);
}

/* ADDKE1 and ADDKE3 (ADDKE2 not offered): two IKE_FOLLOWUP_KE, in ADDKE order. */
static void
test_child_rekey_two(void **state)
{
	(void)state;
	setup();
	exch_addke(&X, true, 1, IKE_KE_MODP2048, false);
	exch_addke(&X, true, 3, IKE_KE_ECP384, false);
	start();
	child_rekey(2);
	assert_int_equal(FU.n, 0); /* wiped once done */
	exch_fini(&X);
}

/* A new Child SA (no REKEY_SA) with one additional exchange. */
static void
test_new_child(void **state)
{
	(void)state;
	setup();
	exch_addke(&X, true, 2, IKE_KE_CURVE25519, true);
	start();
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	create_child_with_link();
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_int_equal(exch_ctr(&X, "child_installed"), 2);
	assert_int_equal(exch_ctr(&X, "child_rekeyed"), 0);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* An IKE SA with ADDKE1 = method done in IKE_INTERMEDIATE; its rekeys offer the same. */
static void
start_ike_addke(uint16_t method)
{
	setup();
	exch_addke(&X, false, 1, method, false);
	X.cfg.intermediate = true;
	exch_start(&X);
	ike_init_set_followup(&X.c, &FU);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST); /* IKE_INTERMEDIATE */
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST); /* IKE_AUTH */
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(exch_ctr(&X, "intermediate_addke_ok"), 1);
}

/*
 * An IKE SA made with ADDKE1 in IKE_INTERMEDIATE is rekeyed with the same
 * proposal: ADDKE1 runs in IKE_FOLLOWUP_KE; until its end the new SA takes
 * no message; then the client deletes the old SA and the new one works.
 */
static void
test_ike_rekey(void **state)
{
	uint64_t old_spi_r;

	(void)state;
	start_ike_addke(IKE_KE_ECP384);
	old_spi_r = X.c.spi_r;
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	create_child_with_link();
	/* The old SA and the LARVAL new one. */
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
	assert_int_equal(exch_ctr(&X, "ike_rekeyed"), 0);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST); /* D(IKE) of the old SA */
	assert_int_equal(exch_ctr(&X, "followup_done"), 1);
	assert_int_equal(exch_ctr(&X, "ike_rekeyed"), 1);
	assert_true(X.c.spi_r != old_spi_r);
	assert_int_equal(exch_round(&X), IKE_INIT_R_IGNORED);
	exch_liveness(&X);
	/* And a Child SA under the new SA's SK_d. */
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* The initiator insists on ADDKE1 for the Child SA; we have none: NO_PROPOSAL_CHOSEN. */
static void
test_refused(void **state)
{
	(void)state;
	setup();
	X.cfg.esp_addke[0] = IKE_KE_ECP256;
	start();
	rekey_child_request();
	assert_int_equal(exch_round(&X), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	assert_int_equal(exch_ctr(&X, "child_no_proposal_sent"), 1);
	assert_int_equal(exch_ctr(&X, "followup_started"), 0);
	assert_int_equal(X.c.state, IKE_INIT_S_ESTABLISHED);
	exch_fini(&X);
}

/* ADDKE1 offered with NONE, we have none: NONE chosen, a plain rekey. */
static void
test_declined(void **state)
{
	(void)state;
	setup();
	X.cfg.esp_addke[0] = IKE_KE_ECP256;
	X.cfg.addke_optional = true;
	start();
	rekey_child_request();
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST); /* the DELETE of the old SA */
	assert_int_equal(X.c.req, IKE_INIT_REQ_DELETE_CHILD);
	assert_int_equal(exch_ctr(&X, "followup_started"), 0);
	assert_int_equal(exch_ctr(&X, "child_rekeyed"), 1);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* The first IKE_FOLLOWUP_KE's answer is lost: the resent request gets the same bytes. */
static void
test_retransmit(void **state)
{
	uint8_t first[EXCH_BUF];
	size_t first_len;

	(void)state;
	setup();
	exch_addke(&X, true, 1, IKE_KE_ECP256, false);
	exch_addke(&X, true, 2, IKE_KE_ECP256, false);
	start();
	rekey_child_request();
	create_child_with_link();
	assert_int_equal(exch_to_responder(&X), 1);
	memcpy(first, X.resp, X.resp_len);
	first_len = X.resp_len;
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(X.resp_len, first_len);
	assert_memory_equal(X.resp, first, first_len);
	assert_int_equal(exch_ctr(&X, "followup_ok"), 1);
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* HDR(IKE_FOLLOWUP_KE, next ID), SK {KEi of method, [N(ADDITIONAL_KEY_EXCHANGE)(link)]}. */
static void
inject_followup(uint16_t method, const uint8_t *link, size_t link_len)
{
	const struct cry_asym_ops *a = exch_ops.asym;
	uint8_t pub[CRY_MAX_KEX_PUB];
	size_t pub_len = sizeof(pub);
	struct cry_kex *kex;
	struct ike_mb b;

	assert_int_equal(a->kex_new(exch_ops.asym_ctx, method, &kex, pub, &pub_len), IKE_OK);
	a->kex_free(exch_ops.asym_ctx, kex);
	ike_init_sk_begin(&X.c, &b, X.req, sizeof(X.req), IKE_EXCH_IKE_FOLLOWUP_KE,
			  IKE_HDR_F_INITIATOR, X.c.msg_id);
	ike_mb_add_ke(&b, method, pub, pub_len);
	if (link != NULL)
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, link,
				  link_len);
	assert_int_equal(ike_init_sk_finish(&X.c, &b, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
}

/* Child rekey with ADDKE1 = ecp256, up to the first IKE_FOLLOWUP_KE request (not sent). */
static void
pending(void)
{
	setup();
	exch_addke(&X, true, 1, IKE_KE_ECP256, false);
	start();
	rekey_child_request();
	create_child_with_link();
}

/* The SPI we chose for the pending Child SA was given back (install = false). */
static void
assert_spi_released(void)
{
	assert_int_equal(X.n_child_ev, 2);
	assert_false(X.child_ev[1].install);
	assert_int_not_equal(X.child_ev[1].spi_in, X.child_ev[0].spi_in);
}

/* Link data that is not ours: STATE_NOT_FOUND; the initiator abandons, the IKE SA stays. */
static void
test_bad_link(void **state)
{
	(void)state;
	pending();
	FU.link[3] ^= 0x10;
	assert_int_equal(ike_init_followup_request(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_STATE_NOT_FOUND);
	assert_int_equal(exch_ctr(&X, "followup_state_not_found_sent"), 1);
	assert_int_equal(exch_ctr(&X, "child_installed"), 1);
	assert_int_equal(X.c.state, IKE_INIT_S_ESTABLISHED);
	/* A link of another length is no state of ours either. */
	inject_followup(IKE_KE_ECP256, FU.link, 4);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "followup_state_not_found_sent"), 2);
	X.c.msg_id++;
	exch_liveness(&X);
	exch_fini(&X);
}

/* No N(ADDITIONAL_KEY_EXCHANGE): INVALID_SYNTAX, the follow-up is gone. */
static void
test_no_notify(void **state)
{
	uint8_t link[8];

	(void)state;
	pending();
	memcpy(link, FU.link, sizeof(link));
	inject_followup(IKE_KE_ECP256, NULL, 0);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "followup_invalid_syntax_sent"), 1);
	assert_spi_released();
	/* Its link now names nothing. */
	X.c.msg_id++;
	inject_followup(IKE_KE_ECP256, link, sizeof(link));
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "followup_state_not_found_sent"), 1);
	exch_fini(&X);
}

/* KE of another method than ADDKE1's: INVALID_SYNTAX, the follow-up is gone. */
static void
test_wrong_method(void **state)
{
	(void)state;
	pending();
	inject_followup(IKE_KE_CURVE25519, FU.link, FU.link_len);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "followup_invalid_syntax_sent"), 1);
	assert_int_equal(exch_ctr(&X, "child_installed"), 1);
	assert_spi_released();
	exch_fini(&X);
}

/* The initiator never sends IKE_FOLLOWUP_KE: the state times out, its late request is unknown. */
static void
test_abandoned_timeout(void **state)
{
	(void)state;
	pending();
	assert_int_equal(exch_tick(&X, X.now_ms + 29000), 0);
	assert_int_equal(exch_ctr(&X, "followup_timeout"), 0);
	assert_int_equal(exch_tick(&X, X.now_ms + 2000), 0);
	assert_int_equal(exch_ctr(&X, "followup_timeout"), 1);
	assert_spi_released();
	assert_int_equal(exch_round(&X), IKE_INIT_R_STATE_NOT_FOUND);
	assert_int_equal(exch_ctr(&X, "followup_state_not_found_sent"), 1);
	exch_fini(&X);
}

/* An IKE SA rekey abandoned: its LARVAL SA goes with the state. */
static void
test_ike_rekey_timeout(void **state)
{
	(void)state;
	start_ike_addke(IKE_KE_ECP256);
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	create_child_with_link();
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
	exch_tick(&X, X.now_ms + 31000);
	assert_int_equal(exch_ctr(&X, "followup_timeout"), 1);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	exch_fini(&X);
}

/* The client gives up its follow-up before sending it (RFC 9370 2.2.4 lets the initiator abandon). */
static void
client_abandons(void)
{
	ike_init_followup_end(&X.c);
	X.c.req = IKE_INIT_REQ_NONE;
	X.c.state = IKE_INIT_S_ESTABLISHED;
}

/* A new CREATE_CHILD_SA with additional exchanges on the same IKE SA replaces the pending one. */
static void
test_replaced(void **state)
{
	(void)state;
	pending();
	client_abandons();
	rekey_child_request();
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_ctr(&X, "followup_abandoned"), 1);
	assert_spi_released();
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST); /* the DELETE of the old SA */
	assert_int_equal(exch_ctr(&X, "followup_done"), 1);
	assert_int_equal(exch_ctr(&X, "child_rekeyed"), 1);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* The initiator deletes the IKE SA meanwhile: the follow-up is abandoned, the SPI given back. */
static void
test_ike_sa_deleted(void **state)
{
	(void)state;
	pending();
	client_abandons();
	assert_int_equal(ike_init_req_delete_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "followup_abandoned"), 1);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	/* The Child SA's delete and the pending SPI's release. */
	assert_int_equal(X.n_child_ev, 3);
	assert_false(X.child_ev[1].install);
	assert_false(X.child_ev[2].install);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_child_rekey_one),
		cmocka_unit_test(test_child_rekey_two),
		cmocka_unit_test(test_new_child),
		cmocka_unit_test(test_ike_rekey),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_declined),
		cmocka_unit_test(test_retransmit),
		cmocka_unit_test(test_bad_link),
		cmocka_unit_test(test_no_notify),
		cmocka_unit_test(test_wrong_method),
		cmocka_unit_test(test_abandoned_timeout),
		cmocka_unit_test(test_ike_rekey_timeout),
		cmocka_unit_test(test_replaced),
		cmocka_unit_test(test_ike_sa_deleted),
	};

	return cmocka_run_group_tests_name("exch-followup", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
