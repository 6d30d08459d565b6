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

#include "exch_harness.h"
#include "ike_wire.h"

#define MAX_SAS 2
#define MAX_HALF_OPEN 4
#define NPEERS 6

static struct exch X;

static const struct ike_suite_cfg ike_suite = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					       IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg esp_suite = {IKE_ENCR_AES_CBC, 128, 0,
					       IKE_INTEG_HMAC_SHA2_256_128, 0};

/* Another initiator of the same identity, from its own address and port. */
struct peer {
	struct ike_client_cfg cfg;
	struct ike_client c;
	struct ike_client_hs hs;
	struct ike_init_addr addr;
	uint8_t req[EXCH_BUF];
	size_t req_len;
};

static struct peer P[NPEERS];

static int
up(void **state)
{
	(void)state;
	exch_init(&X, &ike_suite, &esp_suite, NULL, 0);
	X.core_cfg.max_ike_sas = MAX_SAS;
	X.core_cfg.max_half_open = MAX_HALF_OPEN;
	exch_start(&X);
	for (unsigned i = 0; i < NPEERS; i++) {
		struct peer *p = &P[i];

		memset(p, 0, sizeof(*p));
		p->cfg = X.cfg;
		p->cfg.initial_contact = false;
		p->addr = X.local;
		p->addr.port = (uint16_t)(10000 + i);
		assert_int_equal(ike_init_client_init(&p->c, &p->cfg, &exch_ops), IKE_INIT_R_DONE);
		ike_init_set_addrs(&p->c, &p->addr, &X.remote);
	}
	return 0;
}

static int
down(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NPEERS; i++)
		ike_init_client_fini(&P[i].c);
	exch_fini(&X);
	return 0;
}

/* p->req to the shard from p's address; the answer lands in X.resp. */
static unsigned
send_req(struct peer *p)
{
	uint8_t copy[EXCH_BUF];
	struct ike_rx rx = {0};
	struct ike_tx tx = {0};
	unsigned n;

	memcpy(copy, p->req, p->req_len);
	rx.data = copy;
	rx.len = (uint16_t)p->req_len;
	rx.local.family = X.remote.family;
	rx.local.port = X.remote.port;
	memcpy(rx.local.ip, X.remote.ip, sizeof(rx.local.ip));
	rx.remote.family = p->addr.family;
	rx.remote.port = p->addr.port;
	memcpy(rx.remote.ip, p->addr.ip, sizeof(rx.remote.ip));
	tx.data = X.resp;
	tx.cap = sizeof(X.resp);
	n = ike_shard_rx_burst(X.shard, &rx, 1, &tx, 1, X.now_ms);
	X.resp_len = n == 1 ? tx.len : 0;
	return n;
}

static enum ike_init_result
round_trip(struct peer *p)
{
	size_t len = 0;
	enum ike_init_result r;

	assert_int_equal(send_req(p), 1);
	r = ike_init_recv(&p->c, X.resp, X.resp_len, p->req, sizeof(p->req), &len);
	if (len != 0)
		p->req_len = len;
	return r;
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
sa_init(struct peer *p)
{
	enum ike_init_result r;

	assert_int_equal(ike_init_start(&p->c, &p->hs, p->req, sizeof(p->req), &p->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	r = round_trip(p);
	if (answer_is_cookie()) {
		assert_int_equal(r, IKE_INIT_R_SEND_REQUEST);
		r = round_trip(p);
		assert_false(answer_is_cookie());
	}
	assert_int_equal(r, IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(p->c.state, IKE_INIT_S_AUTH_SENT);
}

static void
handshake(struct peer *p)
{
	sa_init(p);
	assert_int_equal(round_trip(p), IKE_INIT_R_ESTABLISHED);
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
	assert_int_equal(round_trip(&P[2]), IKE_INIT_R_SEND_REQUEST);
	assert_true(answer_is_cookie());
	assert_int_equal(round_trip(&P[2]), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(P[2].c.state, IKE_INIT_S_AUTH_SENT);
	assert_int_equal(round_trip(&P[2]), IKE_INIT_R_PEER_ERROR);
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
	assert_int_equal(send_req(&P[0]), 0);
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
	assert_int_equal(send_req(&P[0]), 0);
	assert_int_equal(exch_ctr(&X, "drop_unknown_spi"), 1);
	assert_int_equal(round_trip(&P[MAX_HALF_OPEN]), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(round_trip(&P[1]), IKE_INIT_R_ESTABLISHED);
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
