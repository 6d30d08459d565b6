/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests at capacity, between lib/initiator clients and lib/core:
 * a full SA table (COOKIE at IKE_SA_INIT, TEMPORARY_FAILURE at IKE_AUTH),
 * INITIAL_CONTACT from an identity holding every SA replacing them, and
 * the oldest half-open SA evicted when the half-open slots run out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_peer.h"
#include "ike_wire.h"

#define MAX_SAS 2
#define MAX_HALF_OPEN 4
#define NPEERS 6

static struct exch X;

static const struct ike_suite_cfg ike_suite = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					       IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg esp_suite = {IKE_ENCR_AES_CBC, 128, 0,
					       IKE_INTEG_HMAC_SHA2_256_128, 0};

static struct exch_peer P[NPEERS];

static int
up(void **state)
{
	(void)state;
	exch_init(&X, &ike_suite, &esp_suite, NULL, 0);
	X.core_cfg.max_ike_sas = MAX_SAS;
	X.core_cfg.max_half_open = MAX_HALF_OPEN;
	exch_peers_start(&X, P, NPEERS, 10000);
	return 0;
}

static int
down(void **state)
{
	(void)state;
	exch_peers_fini(&X, P, NPEERS);
	return 0;
}

/* True when the shard's last answer is a plain N(COOKIE). */
static bool
answer_is_cookie(void)
{
	struct ike_msg m;

	assert_int_equal(ike_msg_parse(X.resp, X.resp_len, &m), IKE_PARSE_OK);
	return m.spi_r == 0 && ike_msg_find_notify(&m, IKE_N_COOKIE) != NULL;
}

/* IKE_SA_INIT, after a COOKIE round when the responder asks for one; IKE_AUTH is then due. */
static void
sa_init(struct exch_peer *p)
{
	enum ike_init_result r;

	assert_int_equal(ike_init_start(&p->c, &p->hs, p->req, sizeof(p->req), &p->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	r = exch_peer_round(&X, p);
	if (answer_is_cookie()) {
		assert_int_equal(r, IKE_INIT_R_SEND_REQUEST);
		r = exch_peer_round(&X, p);
		assert_false(answer_is_cookie());
	}
	assert_int_equal(r, IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(p->c.state, IKE_INIT_S_AUTH_SENT);
}

static void
handshake(struct exch_peer *p)
{
	sa_init(p);
	assert_int_equal(exch_peer_round(&X, p), IKE_INIT_R_ESTABLISHED);
}

/*
 * Two SAs fill the table. A third initiator is asked for a COOKIE (RFC 7296
 * 2.6: no state for an initiator that has not shown it gets our packets),
 * then answered, and its IKE_AUTH gets TEMPORARY_FAILURE (2.25), not
 * silence and not AUTHENTICATION_FAILED. The identity, having lost its
 * state, comes back with INITIAL_CONTACT (2.4): its old SAs make room.
 */
static void
test_full_table_then_initial_contact(void **state)
{
	struct ike_msg m;

	(void)state;
	handshake(&P[0]);
	handshake(&P[1]);
	assert_int_equal(ike_shard_nb_sas(X.shard), MAX_SAS);
	assert_int_equal(ike_init_start(&P[2].c, &P[2].hs, P[2].req, sizeof(P[2].req),
					&P[2].req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_peer_round(&X, &P[2]), IKE_INIT_R_SEND_REQUEST);
	assert_true(answer_is_cookie());
	assert_int_equal(exch_peer_round(&X, &P[2]), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(P[2].c.state, IKE_INIT_S_AUTH_SENT);
	assert_int_equal(exch_peer_round(&X, &P[2]), IKE_INIT_R_PEER_ERROR);
	assert_int_equal(exch_ctr(&X, "auth_sa_table_full"), 1);
	assert_int_equal(exch_ctr(&X, "auth_failed"), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), MAX_SAS);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 0);
	/* The answer was an encrypted TEMPORARY_FAILURE: the client saw the notify. */
	assert_int_equal(ike_msg_parse(X.resp, X.resp_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.exchange, IKE_EXCH_IKE_AUTH);
	/* The same identity after a crash: INITIAL_CONTACT replaces both SAs. */
	P[3].cfg.initial_contact = true;
	handshake(&P[3]);
	assert_int_equal(exch_ctr(&X, "initial_contact_deleted"), 2);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_ctr(&X, "auth_ok"), 3);
	/* The old SAs are gone for good: their liveness checks go unanswered. */
	assert_int_equal(ike_init_req_liveness(&P[0].c, P[0].req, sizeof(P[0].req),
					       &P[0].req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_peer_send(&X, &P[0]), 0);
	/* And there is room again for an initiator without INITIAL_CONTACT. */
	handshake(&P[4]);
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
}

/*
 * Every half-open slot taken: the next IKE_SA_INIT (with its cookie) takes
 * the oldest one's slot. That initiator's IKE_AUTH then finds no SA; the
 * others complete.
 */
static void
test_half_open_evicts_oldest(void **state)
{
	(void)state;
	for (unsigned i = 0; i < MAX_HALF_OPEN; i++)
		sa_init(&P[i]);
	assert_int_equal(ike_shard_nb_half_open(X.shard), MAX_HALF_OPEN);
	assert_int_equal(exch_ctr(&X, "half_open_evicted"), 0);
	sa_init(&P[MAX_HALF_OPEN]);
	assert_int_equal(exch_ctr(&X, "half_open_evicted"), 1);
	assert_int_equal(ike_shard_nb_half_open(X.shard), MAX_HALF_OPEN);
	/* P[0] was the oldest: its IKE_AUTH names an SA that is no more. */
	assert_int_equal(exch_peer_send(&X, &P[0]), 0);
	assert_int_equal(exch_ctr(&X, "drop_unknown_spi"), 1);
	assert_int_equal(exch_peer_round(&X, &P[MAX_HALF_OPEN]), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(exch_peer_round(&X, &P[1]), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_table_then_initial_contact, up, down),
		cmocka_unit_test_setup_teardown(test_half_open_evicts_oldest, up, down),
	};

	return cmocka_run_group_tests_name("exchange-full", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
