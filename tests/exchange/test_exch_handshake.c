/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests: the initiator (lib/initiator) against the responder core
 * (lib/core) in-process, IKE_SA_INIT and IKE_AUTH with PSK, message by message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_harness.h"

static struct exch X;

static void
full_handshake(const struct ike_suite_cfg *ike, const struct ike_suite_cfg *esp)
{
	static const uint8_t net10_lo[4] = {10, 0, 0, 0}, net10_hi[4] = {10, 255, 255, 255};

	exch_init(&X, ike, esp, NULL, 0);
	exch_start(&X);
	exch_handshake(&X);
	/* Child SA keys: the same on both sides. */
	exch_assert_child_keys(&X);
	/* N(AUTH_LIFETIME) of the peer entry (RFC 4478). */
	assert_int_equal(X.c.auth_lifetime_s, 7200);
	/* TSi/TSr narrowed by the responder to 10.0.0.0/8. */
	assert_memory_equal(X.c.child.tsi.start, net10_lo, 4);
	assert_memory_equal(X.c.child.tsi.end, net10_hi, 4);
	assert_memory_equal(X.c.child.tsr.start, net10_lo, 4);
	/* Same addresses on both sides: no NAT seen. */
	assert_false(X.c.nat_local);
	assert_false(X.c.nat_remote);
	exch_fini(&X);
}

static void
test_x25519_aes_gcm256_sha256(void **state)
{
	(void)state;
	full_handshake(&exch_ike_x25519_gcm, &exch_esp_gcm);
}

static void
test_ecp256_aes_cbc128_sha256(void **state)
{
	static const struct ike_suite_cfg ike = {IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
						 IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_ECP256};
	static const struct ike_suite_cfg esp = {IKE_ENCR_AES_CBC, 128, 0,
						 IKE_INTEG_HMAC_SHA2_256_128, 0};

	(void)state;
	full_handshake(&ike, &esp);
}

static void
test_modp2048(void **state)
{
	static const struct ike_suite_cfg ike = {IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_256,
						 IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_MODP2048};

	(void)state;
	full_handshake(&ike, &exch_esp_gcm);
}

static void
test_ecp384_sha384(void **state)
{
	static const struct ike_suite_cfg ike = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_384,
						 IKE_INTEG_NONE, IKE_KE_ECP384};

	(void)state;
	full_handshake(&ike, &exch_esp_gcm);
}

/* The responder knows another PSK: <-- HDR, SK {N(AUTHENTICATION_FAILED)} */
static void
test_wrong_psk(void **state)
{
	static const uint8_t other[] = "the responder's idea of the secret";

	(void)state;
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, other, sizeof(other) - 1);
	exch_start(&X);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_AUTH_FAILED_RECEIVED);
	assert_int_equal(X.c.state, IKE_INIT_S_FAILED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(X.n_child_ev, 0);
	exch_fini(&X);
}

/*
 * SAi1 offers {31, 19}, KEi is 31, the responder only takes 19:
 * <-- HDR(A,0), N(INVALID_KE_PAYLOAD, 19);  HDR(A,0), SAi1, KEi(19), Ni -->
 */
static void
test_invalid_ke_retry(void **state)
{
	static const struct ike_suite_cfg ike19 = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
						   IKE_INTEG_NONE, IKE_KE_ECP256};

	(void)state;
	exch_init(&X, &ike19, &exch_esp_gcm, NULL, 0);
	X.cfg.ike.ke = IKE_KE_CURVE25519;
	X.cfg.ike_ke_alt[0] = IKE_KE_ECP256;
	exch_start(&X);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_SA_INIT_SENT);
	assert_int_equal(X.c.ke_group, IKE_KE_ECP256);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/*
 * The responder's preference decides the group (RFC 7296 1.2, 3.4): with the
 * default proposals (x25519 first), SAi1 offering {19, 31} with KEi for 19
 * gets N(INVALID_KE_PAYLOAD, 31), although 19 is acceptable too.
 */
static void
test_ke_preference_default_set(void **state)
{
	static const struct ike_suite_cfg cbc256 = {IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_256,
						    IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_ECP256};
	char why[256];
	int n;

	(void)state;
	exch_init(&X, &cbc256, &exch_esp_gcm, NULL, 0);
	n = ike_proposal_str_list("default", false, X.core_cfg.ike_proposals,
				  IKE_CORE_MAX_PROPOSALS, why, sizeof(why));
	assert_int_equal(n, 2);
	X.core_cfg.nb_ike_proposals = (unsigned)n;
	X.cfg.ike_ke_alt[0] = IKE_KE_CURVE25519;
	exch_start(&X);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.ke_group, IKE_KE_ECP256);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.ke_group, IKE_KE_CURVE25519);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 0); /* INVALID_KE is stateless */
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* <-- HDR(A,0), N(COOKIE);  HDR(A,0), N(COOKIE), SAi1, KEi, Ni --> */
static void
test_cookie_retry(void **state)
{
	size_t first_len;

	(void)state;
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	X.core_cfg.cookie_threshold = 0; /* always */
	exch_start(&X);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	first_len = X.req_len;
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_SA_INIT_SENT);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 0); /* no state before the cookie */
	assert_true(X.req_len > first_len);
	assert_int_equal(X.req[16], IKE_PLD_NOTIFY); /* N(COOKIE) first */
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
	exch_fini(&X);
}

/* A retransmitted request gets the very same response bytes (RFC 7296 2.1). */
static void
test_retransmission_identical(void **state)
{
	uint8_t first[EXCH_BUF];
	size_t first_len;

	(void)state;
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	exch_start(&X);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	/* IKE_SA_INIT twice */
	assert_int_equal(exch_to_responder(&X), 1);
	memcpy(first, X.resp, X.resp_len);
	first_len = X.resp_len;
	X.now_ms += 500;
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(X.resp_len, first_len);
	assert_memory_equal(X.resp, first, first_len);
	assert_int_equal(ike_shard_nb_half_open(X.shard), 1);
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_SEND_REQUEST);
	/* IKE_AUTH twice */
	assert_int_equal(exch_to_responder(&X), 1);
	memcpy(first, X.resp, X.resp_len);
	first_len = X.resp_len;
	X.now_ms += 500;
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(X.resp_len, first_len);
	assert_memory_equal(X.resp, first, first_len);
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(X.n_child_ev, 1); /* installed once */
	exch_fini(&X);
}

static uint64_t
ctr(const char *name)
{
	const uint64_t *v = ike_shard_counters(X.shard);

	for (unsigned i = 0; i < ike_counter_count(); i++)
		if (strcmp(ike_counter_name(i), name) == 0)
			return v[i];
	fail_msg("no counter %s", name);
	return 0;
}

/*
 * RFC 6023: both announce CHILDLESS_IKEV2_SUPPORTED in IKE_SA_INIT, IKE_AUTH
 * carries no SA/TSi/TSr, the IKE SA stands without a Child SA; the first
 * Child SA then comes with CREATE_CHILD_SA (KEYMAT from that exchange's nonces).
 */
static void
test_childless(void **state)
{
	(void)state;
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	X.cfg.childless = true;
	exch_start(&X);
	exch_handshake(&X);
	assert_true(X.c.childless);
	assert_false(X.c.has_child);
	assert_int_equal(X.n_child_ev, 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(ctr("auth_ok"), 1);
	assert_int_equal(ctr("auth_childless"), 1);
	assert_int_equal(ctr("child_installed"), 0);
	assert_int_equal(ctr("child_no_proposal_sent"), 0);

	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_true(X.c.has_child);
	assert_int_equal(X.n_child_ev, 1);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* Without the option nothing changes: no notify, a Child SA in IKE_AUTH. */
static void
test_childless_not_asked(void **state)
{
	(void)state;
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	exch_start(&X);
	exch_handshake(&X);
	assert_false(X.c.childless);
	assert_true(X.c.has_child);
	assert_int_equal(ctr("auth_childless"), 0);
	assert_int_equal(ctr("child_installed"), 1);
	exch_fini(&X);
}

/* Behind a NAT: the responder sees 203.0.113.7:4500 where we think we are 192.0.2.10:500. */
static void
test_nat_detected(void **state)
{
	static const uint8_t public_ip[4] = {203, 0, 113, 7};

	(void)state;
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	memcpy(X.wire_local.ip, public_ip, 4);
	X.wire_local.port = 4500;
	exch_start(&X);
	exch_handshake(&X);
	assert_true(X.c.nat_local);
	assert_false(X.c.nat_remote);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x25519_aes_gcm256_sha256),
		cmocka_unit_test(test_ecp256_aes_cbc128_sha256),
		cmocka_unit_test(test_modp2048),
		cmocka_unit_test(test_ecp384_sha384),
		cmocka_unit_test(test_wrong_psk),
		cmocka_unit_test(test_invalid_ke_retry),
		cmocka_unit_test(test_ke_preference_default_set),
		cmocka_unit_test(test_cookie_retry),
		cmocka_unit_test(test_retransmission_identical),
		cmocka_unit_test(test_childless),
		cmocka_unit_test(test_childless_not_asked),
		cmocka_unit_test(test_nat_detected),
	};

	return cmocka_run_group_tests_name("exchange-handshake", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
