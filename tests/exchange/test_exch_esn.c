/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests of ESN negotiation (RFC 7296 3.3.2 transform type 5,
 * RFC 4303 2.2.1): the initiator (lib/initiator) offers NO_ESN, ESN or
 * both, the responder core (lib/core) picks by its configured proposals,
 * and the choice reaches the data path (ike_child_info.esn) and the client
 * alike, for the first Child SA, a new one, one rekeyed by either end, and
 * the Child SA of a resumed session (RFC 5723: negotiated again in its IKE_AUTH).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_requests.h"
#include "ike_proposal_str.h"

static struct exch X;
static struct ike_init_ticket T;

static const struct ike_suite_cfg esp_cbc = {IKE_ENCR_AES_CBC, 256, 0,
					     IKE_INTEG_HMAC_SHA2_256_128, 0};

/* A responder with [child] proposals = ours, tickets on; a client offering esn. */
static void
start(const char *ours, enum ike_init_esn esn)
{
	char why[256];
	int n;

	exch_init(&X, &exch_ike_x25519_gcm, &esp_cbc, NULL, 0);
	n = ike_proposal_str_list(ours, true, X.core_cfg.esp_proposals, IKE_CORE_MAX_PROPOSALS,
				  why, sizeof(why));
	if (n < 0)
		fail_msg("%s: %s", ours, why);
	X.core_cfg.nb_esp_proposals = (unsigned)n;
	exch_tickets(&X, &T, true);
	X.cfg.esp_esn = (uint8_t)esn;
	exch_start(&X);
}

/* The handshake's Child SA has ESN as want, on both sides. */
static void
handshake_expect(bool want)
{
	exch_handshake(&X);
	exch_assert_child_keys(&X);
	assert_int_equal(X.c.child.esn, want);
	assert_int_equal(exch_last_install(&X)->esn, want);
}

static void
test_default_set(void **state)
{
	(void)state;
	/* strongSwan / Windows: NO_ESN only. */
	start("default", IKE_INIT_ESN_NO);
	handshake_expect(false);
	exch_fini(&X);
	/* libreswan (esn=either): our preference, NO_ESN. */
	start("default", IKE_INIT_ESN_EITHER);
	handshake_expect(false);
	exch_fini(&X);
	/* A client that runs 64-bit sequence numbers only still gets its SA. */
	start("default", IKE_INIT_ESN_YES);
	handshake_expect(true);
	exch_fini(&X);
}

static void
test_configured(void **state)
{
	(void)state;
	start("aes256-sha256-esn-noesn", IKE_INIT_ESN_EITHER);
	handshake_expect(true);
	exch_fini(&X);
	start("aes256-sha256-esn", IKE_INIT_ESN_NO);
	/* IKE SA up, Child SA refused (NO_PROPOSAL_CHOSEN in IKE_AUTH, RFC 7296 1.2). */
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_not_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(exch_ctr(&X, "child_no_proposal_sent"), 1);
	assert_int_equal(X.n_child_ev, 0);
	exch_fini(&X);
}

/* A new and a rekeyed Child SA (CREATE_CHILD_SA) negotiate ESN again and carry it. */
static void
test_create_and_rekey(void **state)
{
	uint32_t old_in;

	(void)state;
	start("aes256-sha256-esn-noesn", IKE_INIT_ESN_EITHER);
	handshake_expect(true);
	old_in = X.c.child.spi_in;
	assert_int_equal(ike_init_req_rekey_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_not_equal(X.c.child.spi_in, old_in);
	exch_assert_child_keys(&X);
	assert_true(X.c.child.esn);
	assert_true(exch_last_install(&X)->esn);
	assert_int_not_equal(exch_last_install(&X)->replaces_spi_in, 0);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE); /* DELETE of the old one */
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	exch_assert_child_keys(&X);
	assert_true(X.c.child.esn);
	assert_true(exch_last_install(&X)->esn);
	exch_fini(&X);
}

/*
 * The responder rekeys the Child SA itself (soft lifetime, RFC 7296 2.8):
 * it offers its configured ESN transforms, the client keeps the size the
 * old SA had, and both ends install the new SA with it.
 */
static void
responder_rekey_expect(const char *ours, bool want)
{
	uint32_t old_in;

	start(ours, IKE_INIT_ESN_EITHER);
	handshake_expect(want);
	old_in = X.c.child.spi_out;
	assert_int_equal(exch_soft(&X, old_in), 1);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 1); /* the answer; then its DELETE of the old SA */
	assert_int_equal(exch_last_install(&X)->replaces_spi_in, old_in);
	exch_assert_child_keys(&X);
	assert_int_equal(X.c.child.esn, want);
	assert_int_equal(exch_last_install(&X)->esn, want);
	exch_fini(&X);
}

static void
test_responder_rekey(void **state)
{
	(void)state;
	responder_rekey_expect("aes256-sha256-esn-noesn", true);
	responder_rekey_expect("default", false);
}

/*
 * The client forgets its IKE SA and resumes: the new Child SA has ESN again.
 * The client claims an address it does not have (as strongSwan's
 * kernel-libipsec does, to get UDP encapsulation): NAT is seen in the full
 * handshake and again in IKE_SESSION_RESUME (RFC 5723 4.3.2: determined
 * anew), so both Child SAs are UDP-encapsulated.
 */
static void
test_resumed(void **state)
{
	unsigned before;

	(void)state;
	start("aes256-sha256-esn-noesn", IKE_INIT_ESN_EITHER);
	X.local.ip[3] = 99; /* NAT-D names 192.0.2.99; the packets come from .10 */
	ike_init_set_addrs(&X.c, &X.local, &X.remote);
	handshake_expect(true);
	assert_true(X.c.nat_local);
	assert_true(exch_last_install(&X)->natt);
	assert_true(T.len > 0);
	before = X.n_child_ev;
	exch_resume(&X);
	assert_true(X.n_child_ev > before);
	exch_assert_child_keys(&X);
	assert_true(X.c.child.esn);
	assert_true(exch_last_install(&X)->esn);
	assert_true(X.c.nat_local);
	assert_true(exch_last_install(&X)->natt);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_set),
		cmocka_unit_test(test_configured),
		cmocka_unit_test(test_create_and_rekey),
		cmocka_unit_test(test_responder_rekey),
		cmocka_unit_test(test_resumed),
	};

	return cmocka_run_group_tests(tests, exch_ticket_setup, exch_ticket_teardown);
}
