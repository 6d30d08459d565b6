/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 4478 repeated authentication in the responder core, driven by the
 * lib/initiator client in-process (tests/exchange/exch_harness), real
 * crypto. Times are checked against what the initiator was told: the
 * responder must not delete before "announced seconds + grace" after the
 * initiator got N(AUTH_LIFETIME), and must delete within one second after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_requests.h"

#define LIFETIME_S 7200
#define GRACE_S 30
#define REAUTH_S 60
#define UNIX_NOW_MS 1796256000000ULL /* 2026-12-01 */

static struct exch X;
static struct ike_peer_cfg peers[2];

static const uint8_t id2[] = "client-2@example.net";
static struct ike_init_cred cred2;

static const struct ike_suite_cfg ike_suite = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					       IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg esp_suite = {IKE_ENCR_AES_CBC, 128, 0,
					       IKE_INTEG_HMAC_SHA2_256_128, 0};

/* The responder with two identities (the harness's and client-2), lifetime policy set. */
static void
setup(uint32_t peer_lifetime, uint32_t default_lifetime)
{
	exch_init(&X, &ike_suite, &esp_suite, NULL, 0);
	peers[0] = X.peer;
	peers[0].auth_lifetime_s = peer_lifetime;
	peers[1] = X.peer;
	peers[1].id_len = sizeof(id2) - 1;
	memcpy(peers[1].id, id2, sizeof(id2) - 1);
	X.core_cfg.peers = peers;
	X.core_cfg.nb_peers = 2;
	X.core_cfg.auth_lifetime_s = default_lifetime;
	X.core_cfg.auth_grace_s = GRACE_S;
	X.core_cfg.auth_reauth_s = REAUTH_S;
	/* Longer than any auth deadline here: only RFC 4478 ends these SAs. */
	X.core_cfg.ike_lifetime_s = 86400;
	cred2 = X.cfg.cred;
	cred2.id = id2;
	cred2.id_len = sizeof(id2) - 1;
	exch_start(&X);
	exch_tx_reset(&X);
}

static int
up(void **state)
{
	(void)state;
	setup(LIFETIME_S, 0);
	return 0;
}

static int
down(void **state)
{
	(void)state;
	exch_fini(&X);
	return 0;
}

/*
 * A new client in X.c (the caller keeps the old one) runs IKE_SA_INIT and
 * IKE_AUTH with cred (NULL: the harness identity).
 */
static void
new_client(const struct ike_init_cred *cred, bool initial_contact)
{
	X.cfg.initial_contact = initial_contact;
	assert_int_equal(ike_init_client_init(&X.c, &X.cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&X.c, &X.local, &X.remote);
	if (cred != NULL)
		ike_init_set_cred(&X.c, cred);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
}

static unsigned
child_deletes(unsigned from)
{
	unsigned n = 0;

	for (unsigned i = from; i < X.n_child_ev; i++)
		n += !X.child_ev[i].install;
	return n;
}

/* <-- HDR, SK {IDr, AUTH, N(AUTH_LIFETIME), SAr2, TSi, TSr}: per identity, else the default. */
static void
test_lifetime_in_auth(void **state)
{
	(void)state;
	setup(LIFETIME_S, 600);
	exch_handshake(&X);
	assert_int_equal(X.c.auth_lifetime_s, LIFETIME_S);
	exch_fini(&X);

	setup(0, 600);
	exch_handshake(&X);
	assert_int_equal(X.c.auth_lifetime_s, 600);
	exch_fini(&X);

	/* The identity opts out of the default: no notify, no deadline, nothing expires. */
	setup(IKE_AUTH_LIFETIME_NONE, 600);
	exch_handshake(&X);
	assert_int_equal(X.c.auth_lifetime_s, 0);
	assert_int_equal(exch_tick(&X, X.now_ms + (600 + GRACE_S + 1) * 1000ULL), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	exch_fini(&X);

	/* On a unix clock (the SA keeps the deadline in 32 bits, x 1000 is past them): the same. */
	setup(LIFETIME_S, 0);
	X.now_ms = UNIX_NOW_MS;
	exch_handshake(&X);
	assert_int_equal(X.c.auth_lifetime_s, LIFETIME_S);
	exch_tick(&X, UNIX_NOW_MS + (LIFETIME_S + GRACE_S - 1) * 1000ULL);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	exch_tick(&X, UNIX_NOW_MS + (LIFETIME_S + GRACE_S + 1) * 1000ULL);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	exch_fini(&X);

	setup(0, 0);
	exch_handshake(&X);
	assert_int_equal(X.c.auth_lifetime_s, 0);
}

/* The client stays silent: DELETE at the deadline + grace, Child SAs deleted, counted. */
static void
test_silent_client_expires(void **state)
{
	uint64_t t0;
	unsigned ev;

	(void)state;
	exch_handshake(&X);
	t0 = X.now_ms;
	ev = X.n_child_ev;
	assert_int_equal(X.c.auth_lifetime_s, LIFETIME_S);
	assert_int_equal(exch_tick(&X, t0 + (LIFETIME_S + GRACE_S) * 1000ULL - 1), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_ctr(&X, "auth_lifetime_expired"), 0);

	/* <-- HDR, SK {D(IKE)} */
	assert_int_equal(exch_tick(&X, t0 + (LIFETIME_S + GRACE_S + 1) * 1000ULL), 1);
	assert_int_equal(exch_ctr(&X, "auth_lifetime_expired"), 1);
	assert_int_equal(exch_ctr(&X, "ike_lifetime_expired"), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(child_deletes(ev), 1);
	assert_int_equal(X.child_ev[X.n_child_ev - 1].spi_out, X.c.child.spi_in);
	/* HDR, SK {} --> : the client took it as its SA's deletion. */
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(X.c.state, IKE_INIT_S_CLOSED);
	assert_int_equal(exch_tick(&X, t0 + (2 * LIFETIME_S + GRACE_S) * 1000ULL), 0);
}

/*
 * The client authenticates again before the deadline with INITIAL_CONTACT
 * (RFC 7296 2.4): the new SA replaces the old one at once; nothing expires.
 */
static void
test_reauth_initial_contact(void **state)
{
	struct ike_client old;
	uint64_t t0;
	unsigned ev;

	(void)state;
	exch_handshake(&X);
	t0 = X.now_ms;
	old = X.c;
	X.now_ms = t0 + (LIFETIME_S - 300) * 1000ULL;
	ev = X.n_child_ev;
	new_client(NULL, true);
	assert_int_equal(exch_ctr(&X, "initial_contact_deleted"), 1);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(child_deletes(ev), 1);
	/* Past the old deadline + grace: the old SA is gone, the new one keeps running. */
	assert_int_equal(exch_tick(&X, t0 + (LIFETIME_S + GRACE_S + 1) * 1000ULL), 0);
	assert_int_equal(exch_ctr(&X, "auth_lifetime_expired"), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	exch_liveness(&X);
	ike_init_client_fini(&old);
}

/*
 * Without INITIAL_CONTACT the same identity may hold several IKE SAs (RFC
 * 7296 2.4): both stay until the client deletes the old one (RFC 4478 2,
 * RFC 7296 2.8.3); then nothing expires at the old deadline.
 */
static void
test_reauth_then_client_deletes_old(void **state)
{
	struct ike_client old, fresh;
	uint64_t t0;

	(void)state;
	exch_handshake(&X);
	t0 = X.now_ms;
	old = X.c;
	X.now_ms = t0 + (LIFETIME_S - 300) * 1000ULL;
	new_client(NULL, false);
	assert_int_equal(exch_ctr(&X, "initial_contact_deleted"), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
	/* The old SA's client: HDR, SK {D(IKE)} -->  <-- HDR, SK {} */
	fresh = X.c;
	X.c = old;
	assert_int_equal(ike_init_req_delete_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_CLOSED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_tick(&X, t0 + (LIFETIME_S + GRACE_S + 1) * 1000ULL), 0);
	assert_int_equal(exch_ctr(&X, "auth_lifetime_expired"), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	ike_init_client_fini(&X.c);
	X.c = fresh;
}

/*
 * Operator request for one SA: <-- HDR, SK {N(AUTH_LIFETIME)}, HDR, SK {} -->,
 * then the SA goes at REAUTH_S + grace after the request unless replaced.
 */
static void
test_reauth_request_one_sa(void **state)
{
	struct ike_reauth_sel sel = {.scope = IKE_REAUTH_SA};
	uint64_t t1;

	(void)state;
	exch_handshake(&X);
	t1 = X.now_ms + 1000 * 1000;
	sel.spi_r = X.c.spi_r;
	assert_int_equal(ike_shard_reauth_request(X.shard, &sel, t1, X.tx, EXCH_TX_N), 1);
	assert_true(sel.done);
	assert_int_equal(exch_ctr(&X, "reauth_requested"), 1);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(X.c.auth_lifetime_s, REAUTH_S);
	assert_int_equal(X.c.state, IKE_INIT_S_ESTABLISHED);
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "rx_response"), 1);
	/* Done: another call sends nothing. */
	assert_int_equal(ike_shard_reauth_request(X.shard, &sel, t1, X.tx, EXCH_TX_N), 0);

	assert_int_equal(exch_tick(&X, t1 + (REAUTH_S + GRACE_S) * 1000ULL - 1), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_tick(&X, t1 + (REAUTH_S + GRACE_S + 1) * 1000ULL), 1);
	assert_int_equal(exch_ctr(&X, "auth_lifetime_expired"), 1);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(X.c.state, IKE_INIT_S_CLOSED);
}

/* An unknown SPI or identity selects nothing. */
static void
test_reauth_request_nothing(void **state)
{
	static const uint8_t nobody[] = "nobody@example.net";
	struct ike_reauth_sel sel = {.scope = IKE_REAUTH_SA};

	(void)state;
	exch_handshake(&X);
	sel.spi_r = X.c.spi_r ^ 1;
	assert_int_equal(ike_shard_reauth_request(X.shard, &sel, X.now_ms, X.tx, EXCH_TX_N), 0);
	assert_true(sel.done);
	memset(&sel, 0, sizeof(sel));
	sel.scope = IKE_REAUTH_IDENTITY;
	sel.id_type = IKE_ID_RFC822_ADDR;
	sel.id = nobody;
	sel.id_len = sizeof(nobody) - 1;
	assert_int_equal(ike_shard_reauth_request(X.shard, &sel, X.now_ms, X.tx, EXCH_TX_N), 0);
	assert_true(sel.done);
	assert_int_equal(exch_ctr(&X, "reauth_requested"), 0);
	/* The SA keeps its own deadline. */
	assert_int_equal(exch_tick(&X, X.now_ms + (REAUTH_S + GRACE_S + 1) * 1000ULL), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
}

/*
 * Two identities, one SA each. By identity: only client-2 is asked. All,
 * one tx slot per call: the selector carries on where it stopped.
 */
static void
test_reauth_request_identity_and_all(void **state)
{
	struct ike_reauth_sel sel = {.scope = IKE_REAUTH_IDENTITY};
	struct ike_client first;
	uint64_t t1;

	(void)state;
	exch_handshake(&X);
	first = X.c;
	new_client(&cred2, true);
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
	t1 = X.now_ms + 5000;

	sel.id_type = cred2.id_type;
	sel.id = cred2.id;
	sel.id_len = cred2.id_len;
	assert_int_equal(ike_shard_reauth_request(X.shard, &sel, t1, X.tx, EXCH_TX_N), 1);
	assert_true(sel.done);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(X.c.auth_lifetime_s, REAUTH_S);

	memset(&sel, 0, sizeof(sel));
	sel.scope = IKE_REAUTH_ALL;
	assert_int_equal(ike_shard_reauth_request(X.shard, &sel, t1 + 1000, X.tx, 1), 1);
	assert_false(sel.done);
	assert_int_equal(ike_shard_reauth_request(X.shard, &sel, t1 + 2000, X.tx, 1), 1);
	assert_true(sel.done);
	assert_int_equal(ike_shard_reauth_request(X.shard, &sel, t1 + 3000, X.tx, 1), 0);
	assert_int_equal(exch_ctr(&X, "reauth_requested"), 3);

	/* Both go by the ALL request's deadline + grace (client-2 by its first request's). */
	assert_int_equal(exch_tick(&X, t1 + 1000 + (REAUTH_S + GRACE_S + 1) * 1000ULL), 2);
	assert_int_equal(exch_ctr(&X, "auth_lifetime_expired"), 2);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	ike_init_client_fini(&first);
}

/*
 * HDR, SK {SA(IKE), Ni, KEi} --> <-- HDR, SK {SA, Nr, KEr}; the old SA is deleted.
 * RFC 4478 2: "If the IKE SA is rekeyed, then the time limit applies to the new SA".
 */
static void
test_rekey_keeps_deadline(void **state)
{
	uint64_t t0, old_spi_r;

	(void)state;
	exch_handshake(&X);
	t0 = X.now_ms;
	old_spi_r = X.c.spi_r;
	X.now_ms = t0 + 3600 * 1000ULL;
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_IGNORED);
	assert_true(X.c.spi_r != old_spi_r);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);

	assert_int_equal(exch_tick(&X, t0 + (LIFETIME_S + GRACE_S) * 1000ULL - 1), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	/* The new SA goes at the first authentication's deadline, not the rekey's. */
	assert_int_equal(exch_tick(&X, t0 + (LIFETIME_S + GRACE_S + 1) * 1000ULL), 1);
	assert_int_equal(exch_ctr(&X, "auth_lifetime_expired"), 1);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(X.c.state, IKE_INIT_S_CLOSED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lifetime_in_auth, down),
		cmocka_unit_test_setup_teardown(test_silent_client_expires, up, down),
		cmocka_unit_test_setup_teardown(test_reauth_initial_contact, up, down),
		cmocka_unit_test_setup_teardown(test_reauth_then_client_deletes_old, up, down),
		cmocka_unit_test_setup_teardown(test_reauth_request_one_sa, up, down),
		cmocka_unit_test_setup_teardown(test_reauth_request_nothing, up, down),
		cmocka_unit_test_setup_teardown(test_reauth_request_identity_and_all, up, down),
		cmocka_unit_test_setup_teardown(test_rekey_keeps_deadline, up, down),
	};

	return cmocka_run_group_tests_name("auth-lifetime", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
