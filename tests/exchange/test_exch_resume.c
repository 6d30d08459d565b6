/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests of RFC 5723 session resumption: the initiator library
 * (lib/initiator) against the responder core (lib/core) in-process.
 *   IKE_AUTH with N(TICKET_REQUEST)       <--  N(TICKET_LT_OPAQUE)
 *   IKE_SESSION_RESUME {Ni, N(TICKET_OPAQUE)}  <--  {Nr}
 *   IKE_AUTH {AUTH = prf(SK_pi, ...)}    <--  {AUTH = prf(SK_pr, ...), Child SA}
 * and the refusals: a used ticket is NACKed and a full handshake follows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exch_harness.h"
#include "ike_init_priv.h"

static struct exch X;
static struct ike_init_ticket T;

/* A responder with tickets on, a client that asks for them when ticket_request is set. */
static void
setup(bool ticket_request)
{
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	exch_tickets(&X, &T, ticket_request);
}

static void
start(bool ticket_request)
{
	setup(ticket_request);
	exch_start(&X);
}

/* Full handshake; the response carried a ticket. */
static void
full_with_ticket(void)
{
	exch_handshake(&X);
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_ISSUED);
	assert_true(T.len > 0);
	assert_true(T.lifetime_s > 0 && T.lifetime_s <= EXCH_TICKET_LIFETIME_S);
	assert_ptr_equal(T.cred, X.c.cred);
	assert_memory_equal(T.sk_d, X.c.keys.sk_d, X.c.keys.prf_len);
}

/* The client forgets its SA (interrupted session) and resumes with the ticket. */
static void
resume_ok(void)
{
	uint64_t old_spi_i = X.c.spi_i;

	ike_init_client_reset(&X.c);
	assert_int_equal(X.c.state, IKE_INIT_S_IDLE);
	/* HDR(SPIi', 0), Ni, N(TICKET_OPAQUE) --> */
	assert_int_equal(ike_init_start_resume(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_RESUME_SENT);
	assert_int_not_equal(X.c.spi_i, old_spi_i);
	/* <-- HDR, Nr;  HDR, SK {IDi, IDr, AUTH, SAi2, TSi, TSr, [N(TICKET_REQUEST)]} --> */
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	/* <-- HDR, SK {IDr, AUTH, SAr2, TSi, TSr, [N(TICKET_LT_OPAQUE)]} */
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	assert_true(X.c.resumed);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1); /* 4.3.4: the old SA went silently */
	exch_assert_child_keys(&X);
	/* The resumed SA carries traffic: an INFORMATIONAL round trip under its keys. */
	exch_liveness(&X);
}

static void
test_full_gets_ticket(void **state)
{
	(void)state;
	start(true);
	full_with_ticket();
	exch_fini(&X);
}

static void
test_no_request_no_ticket(void **state)
{
	(void)state;
	start(false);
	exch_handshake(&X);
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_NONE);
	assert_int_equal(T.len, 0);
	ike_init_client_reset(&X.c);
	assert_int_equal(ike_init_start_resume(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_NO_TICKET);
	exch_fini(&X);
}

static void
test_tickets_off_nack(void **state)
{
	(void)state;
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	X.cfg.ticket_request = true;
	X.ticket = &T;
	exch_start(&X);
	exch_handshake(&X); /* the IKE SA comes up all the same (RFC 5723 4.1) */
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_NACK);
	assert_int_equal(T.len, 0);
	exch_fini(&X);
}

static void
test_resume(void **state)
{
	(void)state;
	start(true);
	full_with_ticket();
	resume_ok();
	/* A new ticket came with the resumed IKE_AUTH: resume again from it. */
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_ISSUED);
	assert_true(T.len > 0);
	resume_ok();
	exch_fini(&X);
}

/*
 * RFC 9242 4: IKE_INTERMEDIATE after IKE_SESSION_RESUME when both announce
 * it there (not kept in the ticket); the resumed AUTH covers IntAuth.
 */
static void
test_resume_intermediate(void **state)
{
	(void)state;
	start(true);
	full_with_ticket();
	X.cfg.intermediate = true;
	X.cfg.intermediate_extra = 2;
	ike_init_client_reset(&X.c);
	assert_int_equal(ike_init_start_resume(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_INT_SENT);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	assert_int_equal(X.c.msg_id, 3);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	assert_true(X.c.resumed);
	exch_assert_child_keys(&X);
	assert_int_equal(exch_ctr(&X, "intermediate_ok"), 2);
	exch_fini(&X);
}

/* The same with IntAuth_i spoilt on our side: the resumed AUTH must fail. */
static void
test_resume_intermediate_bad_int_auth(void **state)
{
	(void)state;
	start(true);
	full_with_ticket();
	X.cfg.intermediate = true;
	X.cfg.intermediate_extra = 1;
	ike_init_client_reset(&X.c);
	assert_int_equal(ike_init_start_resume(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	X.hs.int_auth_i[3] ^= 0x10;
	assert_int_equal(ike_init_auth_build(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_AUTH_FAILED_RECEIVED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1); /* only the first SA */
	exch_fini(&X);
}

static void
test_resume_without_new_ticket_uses_it_up(void **state)
{
	(void)state;
	start(true);
	full_with_ticket();
	X.cfg.ticket_request = false;
	resume_ok();
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_NONE);
	assert_int_equal(T.len, 0); /* 4.3.1: used once the SA is up */
	exch_fini(&X);
}

static void
test_reuse_nacked_then_full(void **state)
{
	static struct ike_init_ticket used;

	(void)state;
	start(true);
	full_with_ticket();
	used = T;
	resume_ok();
	/* Present the used ticket again: refused, unprotected N(TICKET_NACK). */
	T = used;
	ike_init_client_reset(&X.c);
	assert_int_equal(ike_init_start_resume(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_RESUME_NACKED);
	assert_int_equal(X.c.state, IKE_INIT_S_FAILED);
	assert_int_equal(X.c.fail, IKE_INIT_R_RESUME_NACKED);
	assert_int_equal(T.len, 0);
	assert_null(X.c.hs);
	/* Fallback: a full handshake on the same client, with a fresh ticket. */
	ike_init_client_reset(&X.c);
	exch_handshake(&X);
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_ISSUED);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

static void
test_failover_other_instance(void **state)
{
	struct ike_shard *first;
	void *mem;

	(void)state;
	start(true);
	full_with_ticket();
	/* A second instance with the same key ring; the first one is gone. */
	first = X.shard;
	X.shard = exch_shard_new(&X, &mem);
	exch_resume(&X);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	exch_assert_child_keys(&X);
	ike_shard_fini(X.shard);
	free(mem);
	X.shard = first;
	exch_fini(&X);
}

static void
test_cookie_on_resume(void **state)
{
	(void)state;
	start(true);
	full_with_ticket();
	X.core_cfg.cookie_threshold = 0; /* cookies for every new exchange (RFC 5723 9.3) */
	ike_init_client_reset(&X.c);
	assert_int_equal(ike_init_start_resume(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	/* <-- HDR(SPIi, 0), N(COOKIE);  HDR, N(COOKIE), Ni, N(TICKET_OPAQUE) --> */
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_RESUME_SENT);
	assert_true(X.hs.cookie_len > 0);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/*
 * A full table (max_ike_sas = 1, held by the client's own SA): IKE_SESSION_RESUME
 * is asked for a cookie (RFC 7296 2.6 while full), and the resumed IKE_AUTH
 * fits because the SA the ticket came from goes first (RFC 5723 4.3.4).
 */
static void
test_resume_into_full_table(void **state)
{
	(void)state;
	setup(true);
	X.core_cfg.max_ike_sas = 1;
	exch_start(&X);
	full_with_ticket();
	ike_init_client_reset(&X.c);
	assert_int_equal(ike_init_start_resume(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_true(X.hs.cookie_len > 0);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_ctr(&X, "resume_old_sa_deleted"), 1);
	assert_int_equal(exch_ctr(&X, "auth_sa_table_full"), 0);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

static void
test_ticket_by_informational(void **state)
{
	(void)state;
	start(false);
	exch_handshake(&X);
	assert_int_equal(T.len, 0);
	/* HDR, SK {N(TICKET_REQUEST)} -->  <-- HDR, SK {N(TICKET_LT_OPAQUE)} (4.1) */
	assert_int_equal(ike_init_req_ticket(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_ISSUED);
	assert_true(T.len > 0);
	resume_ok();
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_gets_ticket),
		cmocka_unit_test(test_no_request_no_ticket),
		cmocka_unit_test(test_tickets_off_nack),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_resume_intermediate),
		cmocka_unit_test(test_resume_intermediate_bad_int_auth),
		cmocka_unit_test(test_resume_without_new_ticket_uses_it_up),
		cmocka_unit_test(test_reuse_nacked_then_full),
		cmocka_unit_test(test_failover_other_instance),
		cmocka_unit_test(test_cookie_on_resume),
		cmocka_unit_test(test_resume_into_full_table),
		cmocka_unit_test(test_ticket_by_informational),
	};

	return cmocka_run_group_tests(tests, exch_ticket_setup, exch_ticket_teardown);
}
