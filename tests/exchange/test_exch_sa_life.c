/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests after IKE_AUTH: INFORMATIONAL liveness and DELETE (also
 * its answer lost and the DELETE retransmitted),
 * CREATE_CHILD_SA for a new Child SA, a Child SA rekey and an IKE SA rekey
 * with a new key exchange, between lib/initiator and lib/core.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_requests.h"
#include "ike_wire.h"

static struct exch X;

static const struct ike_suite_cfg ike_suite = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					       IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg esp_suite = {IKE_ENCR_AES_CBC, 128, 0,
					       IKE_INTEG_HMAC_SHA2_256_128, 0};

static int
up(void **state)
{
	(void)state;
	exch_init(&X, &ike_suite, &esp_suite, NULL, 0);
	exch_start(&X);
	exch_handshake(&X);
	exch_assert_child_keys(&X);
	return 0;
}

static int
down(void **state)
{
	(void)state;
	exch_fini(&X);
	return 0;
}

/* HDR, SK {} -->  <-- HDR, SK {} */
static void
test_liveness(void **state)
{
	(void)state;
	exch_liveness(&X);
	assert_int_equal(X.c.state, IKE_INIT_S_ESTABLISHED);
	assert_int_equal(X.c.msg_id, 3);
	/* A second check uses the next Message ID and works as well. */
	exch_liveness(&X);
	assert_int_equal(X.c.msg_id, 4);
}

/* HDR, SK {D(ESP, SPIi)} -->  <-- HDR, SK {D(ESP, SPIr)};  HDR, SK {D(IKE)} -->  <-- HDR, SK {} */
static void
test_delete_child_then_ike(void **state)
{
	(void)state;
	assert_int_equal(ike_init_req_delete_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_false(X.c.has_child);
	assert_false(X.child_ev[X.n_child_ev - 1].install); /* the core removed it */
	assert_int_equal(ike_init_req_delete_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_CLOSED);
	assert_int_equal(X.c.state, IKE_INIT_S_CLOSED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
}

/*
 * HDR, SK {D(IKE)} -->  <-- (lost);  HDR, SK {D(IKE)} (retransmit) -->
 * <-- HDR, SK {}: RFC 7296 2.1, the same response bytes again although the
 * SA is gone, until response_cache_ms has passed.
 */
static void
test_delete_response_lost(void **state)
{
	uint8_t first[EXCH_BUF];
	size_t first_len;

	(void)state;
	assert_int_equal(ike_init_req_delete_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	memcpy(first, X.resp, X.resp_len);
	first_len = X.resp_len;
	/* The answer was lost; the client sends the same request again. */
	X.now_ms += 2000;
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(X.resp_len, first_len);
	assert_memory_equal(X.resp, first, first_len);
	assert_int_equal(exch_ctr(&X, "retransmit_after_delete"), 1);
	assert_int_equal(exch_ctr(&X, "drop_unknown_spi"), 0);
	assert_int_equal(exch_to_initiator(&X), IKE_INIT_R_CLOSED);
	/* Not another message ID: only the DELETE itself is answered. */
	X.req[IKE_HDR_LEN - 4 - 1] ^= 1; /* low octet of the Message ID */
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "drop_unknown_spi"), 1);
	X.req[IKE_HDR_LEN - 4 - 1] ^= 1;
	/* After response_cache_ms the slot is free and the SPI unknown. */
	X.now_ms += X.core_cfg.response_cache_ms + 1000;
	exch_tick(&X, X.now_ms);
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "drop_unknown_spi"), 2);
	assert_int_equal(exch_ctr(&X, "retransmit_after_delete"), 1);
}

/* HDR, SK {SA, Ni, TSi, TSr} -->  <-- HDR, SK {SA, Nr, TSi, TSr} */
static void
test_create_child(void **state)
{
	unsigned before = X.n_child_ev;

	(void)state;
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_int_equal(X.n_child_ev, before + 1);
	exch_assert_child_keys(&X);
}

/*
 * HDR, SK {N(REKEY_SA), SA, Ni, TSi, TSr} -->  <-- HDR, SK {SA, Nr, TSi, TSr}
 * HDR, SK {D(ESP, old SPIi)} -->  <-- HDR, SK {D(ESP, old SPIr)}
 */
static void
test_rekey_child(void **state)
{
	uint32_t old_in = X.c.child.spi_in;

	(void)state;
	assert_int_equal(ike_init_req_rekey_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_not_equal(X.c.child.spi_in, old_in);
	exch_assert_child_keys(&X);
	assert_int_equal(X.c.req, IKE_INIT_REQ_DELETE_CHILD);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_true(X.c.has_child);
	/* The last event is the removal of the old Child SA (our old SPI was its spi_out). */
	assert_false(X.child_ev[X.n_child_ev - 1].install);
	assert_int_equal(X.child_ev[X.n_child_ev - 1].spi_out, old_in);
}

/*
 * HDR, SK {SA(IKE, SPIi'), Ni, KEi} -->  <-- HDR, SK {SA(IKE, SPIr'), Nr, KEr}
 * HDR(old), SK {D(IKE)} -->  (old SA gone); then liveness on the new SA.
 */
static void
test_rekey_ike(void **state)
{
	uint64_t old_spi_i = X.c.spi_i;
	uint8_t old_sk_d[CRY_MAX_PRF_LEN];

	(void)state;
	memcpy(old_sk_d, X.c.keys.sk_d, sizeof(old_sk_d));
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_true(X.c.spi_i != old_spi_i);
	assert_memory_not_equal(X.c.keys.sk_d, old_sk_d, X.c.keys.prf_len);
	assert_int_equal(X.c.msg_id, 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 2);
	/* The DELETE of the old SA; its answer belongs to the old SA. */
	assert_int_equal(exch_round(&X), IKE_INIT_R_IGNORED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	/* The new SA works and the Child SA moved to it. */
	exch_liveness(&X);
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	exch_assert_child_keys(&X);
}

/*
 * HDR, SK {SA(AES-CBC-256), Ni, TSi, TSr} -->  <-- HDR, SK {N(NO_PROPOSAL_CHOSEN)}
 * The exchange fails, the IKE SA and the first Child SA stay.
 */
static void
test_create_child_refused(void **state)
{
	uint32_t spi_in = X.c.child.spi_in;

	(void)state;
	X.cfg.esp.encr_key_bits = 256; /* the responder only takes AES-CBC-128 */
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	assert_int_equal(X.c.state, IKE_INIT_S_ESTABLISHED);
	assert_int_equal(X.c.child.spi_in, spi_in);
	exch_liveness(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_liveness, up, down),
		cmocka_unit_test_setup_teardown(test_delete_child_then_ike, up, down),
		cmocka_unit_test_setup_teardown(test_delete_response_lost, up, down),
		cmocka_unit_test_setup_teardown(test_create_child, up, down),
		cmocka_unit_test_setup_teardown(test_rekey_child, up, down),
		cmocka_unit_test_setup_teardown(test_rekey_ike, up, down),
		cmocka_unit_test_setup_teardown(test_create_child_refused, up, down),
	};

	return cmocka_run_group_tests_name("exchange-sa-life", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
