/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE_AUTH with PSK in the responder core (lib/core) against the
 * test-side initiator, with real crypto: the response and the Child SA
 * keys, AUTHENTICATION_FAILED, AUTH_LIFETIME, Child SA refusals that keep
 * the IKE SA, INITIAL_CONTACT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core_env.h"


static void
test_auth_psk_ok(void **state)
{
	uint8_t buf[ENV_BUF], idb[4 + 16];
	struct ike_child_keys ck;
	struct ike_keys_input in;
	struct ike_esp_suite esp;
	struct ike_transforms ex = {IKE_ENCR_AES_GCM_16, 128, 0, 0, 0};
	struct ike_pld_auth auth;
	struct ike_pld_ts ts;
	struct ike_pld_sa sa;
	struct ike_pld_id id;
	const struct ike_pld *p;
	struct ike_msg m;
	struct ti t;
	size_t len;

	(void)state;
	env_sa_init(E.a.s, &t);
	len = env_psk_auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
			       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	/* <-- IKE_AUTH { IDr, AUTH, SA, TSi, TSr } */
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_int_equal(m.flags, IKE_HDR_F_RESPONSE);
	p = ike_msg_find(&m, IKE_PLD_IDR, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_id_parse(ike_msg_pld_body(&m, p), p->len, &id), IKE_PARSE_OK);
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_memory_equal(id.data, "vpn.example.net!", 16);
	memcpy(idb, ike_msg_pld_body(&m, p), p->len);
	p = ike_msg_find(&m, IKE_PLD_AUTH, 0);
	assert_int_equal(ike_pld_auth_parse(ike_msg_pld_body(&m, p), p->len, &auth), IKE_PARSE_OK);
	assert_int_equal(auth.method, IKE_AUTH_PSK);
	assert_true(ti_psk_verify(&t, ALICE_PSK, sizeof(ALICE_PSK) - 1, idb, 20, auth.data,
				  auth.len));
	assert_false(ti_psk_verify(&t, BOB_PSK, sizeof(BOB_PSK) - 1, idb, 20, auth.data,
				   auth.len));
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTH_LIFETIME));
	p = ike_msg_find(&m, IKE_PLD_SA, 0);
	assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(&m, p), p->len, &sa), IKE_PARSE_OK);
	assert_int_equal(sa.prop[0].proto, IKE_PROTO_ESP);
	assert_int_equal(sa.prop[0].spi_size, 4);
	p = ike_msg_find(&m, IKE_PLD_TSI, 0);
	assert_int_equal(ike_pld_ts_parse(ike_msg_pld_body(&m, p), p->len, &ts), IKE_PARSE_OK);
	assert_int_equal(ts.n_ts, 1);
	assert_memory_equal(ts.ts[0].start_addr, ((uint8_t[]){10, 0, 0, 0}), 4);
	assert_memory_equal(ts.ts[0].end_addr, ((uint8_t[]){10, 0, 255, 255}), 4);
	assert_non_null(ike_msg_find(&m, IKE_PLD_TSR, 0));
	/* The data path got the Child SA, keyed as the initiator computes it. */
	assert_int_equal(E.n_inst, 1);
	assert_int_equal(E.inst[0].spi_out, 0x11223344);
	assert_int_equal(E.inst[0].spi_in, ike_get_u32(sa.prop[0].spi));
	assert_int_equal(ike_suite_esp(&ex, &esp), IKE_OK);
	memset(&in, 0, sizeof(in));
	in.ni = t.ni;
	in.ni_len = sizeof(t.ni);
	in.nr = t.nr;
	in.nr_len = t.nr_len;
	assert_int_equal(ike_keys_derive_child(&E.ops, &t.keys, &esp, &in, NULL, 0, &ck), IKE_OK);
	assert_memory_equal(E.inst[0].key_in, ck.init_to_resp.enc_key, 16);
	assert_memory_equal(E.inst[0].key_in + 16, ck.init_to_resp.salt, 4);
	assert_memory_equal(E.inst[0].key_out, ck.resp_to_init.enc_key, 16);
	assert_memory_equal(E.inst[0].key_out + 16, ck.resp_to_init.salt, 4);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	assert_int_equal(env_ctr(E.a.s, "auth_ok"), 1);
	env_liveness_ok(E.a.s, &t);
	ti_fini(&t);
}

static uint32_t hook_spi;
static unsigned hook_calls;
static struct ike_child_info hook_seen;

static uint32_t
spi_chooser(void *arg, const struct ike_child_info *c)
{
	(void)arg;
	hook_calls++;
	hook_seen = *c;
	return hook_spi;
}

/* The host picks our Child SA SPI (the data path's lcore | slot); none free: NO_ADDITIONAL_SAS. */
static void
test_auth_child_spi_chooser(void **state)
{
	uint8_t buf[ENV_BUF];
	struct ike_pld_notify n;
	size_t len;
	struct ike_pld_sa sa;
	const struct ike_pld *p;
	struct ike_msg m;
	struct ti t;

	(void)state;
	hook_calls = 0;
	hook_spi = 0x8badf00d;
	ike_shard_set_child_spi(E.a.s, spi_chooser);
	env_sa_init(E.a.s, &t);
	len = env_psk_auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
			       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	p = ike_msg_find(&m, IKE_PLD_SA, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(&m, p), p->len, &sa), IKE_PARSE_OK);
	assert_int_equal(ike_get_u32(sa.prop[0].spi), 0x8badf00d);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(E.n_inst, 1);
	assert_int_equal(E.inst[0].spi_in, 0x8badf00d);
	/* What the data path routes and steers on came with it. */
	assert_int_equal(hook_seen.spi_out, 0x11223344);
	assert_int_equal(hook_seen.encr_id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(hook_seen.encr_key_bits, 128);
	assert_int_equal(hook_seen.tsi.family, 4);
	assert_memory_equal(hook_seen.tsi.start, ((uint8_t[]){10, 0, 0, 0}), 4);
	assert_memory_equal(E.inst[0].tsi.end, ((uint8_t[]){10, 0, 255, 255}), 4);
	assert_int_equal(E.inst[0].tsr.family, 4);
	assert_int_equal(E.inst[0].ike_spi, hook_seen.ike_spi);
	assert_true(E.inst[0].ike_spi != 0);
	assert_false(E.inst[0].natt);
	assert_int_equal(E.inst[0].replaces_spi_in, 0);
	ti_fini(&t);

	/* A full data-path table: the IKE SA comes up without its Child SA. */
	hook_spi = 0;
	env_sa_init(E.a.s, &t);
	len = env_psk_auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
			       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
	assert_null(ike_msg_find(&m, IKE_PLD_SA, 0));
	assert_non_null(env_notify(&m, IKE_N_NO_ADDITIONAL_SAS, &n));
	assert_int_equal(E.n_inst, 1);
	assert_int_equal(hook_calls, 2);
	assert_int_equal(env_ctr(E.a.s, "child_no_additional_sas_sent"), 1);
	ti_fini(&t);
}

static void
expect_auth_failed(struct ti *t)
{
	struct ike_pld_notify n;
	struct ike_msg m;

	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_non_null(env_notify(&m, IKE_N_AUTHENTICATION_FAILED, &n));
	assert_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 0);
	assert_int_equal(E.n_inst, 0);
}

static void
test_auth_wrong_psk(void **state)
{
	static const uint8_t bad[] = "not the secret";
	uint8_t buf[ENV_BUF];
	struct ti t;
	size_t len;

	(void)state;
	env_sa_init(E.a.s, &t);
	len = env_psk_auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, bad,
			       sizeof(bad) - 1, false);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	expect_auth_failed(&t);
	assert_int_equal(env_ctr(E.a.s, "auth_failed"), 1);
	/* The half-open SA is gone: its SPI is unknown now. */
	t.msg_id = 1;
	len = env_psk_auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
			       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_unknown_spi"), 1);
	ti_fini(&t);
}

static void
test_auth_unknown_id(void **state)
{
	static const uint8_t who[] = "mallory@example.com";
	uint8_t buf[ENV_BUF];
	struct ti t;
	size_t len;

	(void)state;
	env_sa_init(E.a.s, &t);
	len = env_psk_auth_req(&t, buf, IKE_ID_RFC822_ADDR, who, sizeof(who) - 1, ALICE_PSK,
			       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	expect_auth_failed(&t);
	assert_int_equal(env_ctr(E.a.s, "auth_unknown_id"), 1);
	ti_fini(&t);
}

static void
test_auth_lifetime(void **state)
{
	uint8_t buf[ENV_BUF];
	struct ike_pld_notify n;
	struct ike_msg m;
	struct ti t;
	size_t len;

	(void)state;
	env_sa_init(E.a.s, &t);
	len = env_psk_auth_req(&t, buf, IKE_ID_FQDN, BOB, sizeof(BOB) - 1, BOB_PSK,
			       sizeof(BOB_PSK) - 1, false);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_non_null(env_notify(&m, IKE_N_AUTH_LIFETIME, &n));
	assert_int_equal(n.len, 4);
	assert_int_equal(ike_get_u32(n.data), 3600);
	ti_fini(&t);
}

/*
 * IKE_AUTH as alice proposing ESP with encr (key_bits) and integ (0: none),
 * no ESN transform, and TSi = TSr = lo..hi; the answer in *m.
 */
static void
auth_child(struct ti *t, uint16_t encr, uint16_t key_bits, uint16_t integ, const uint8_t lo[4],
	   const uint8_t hi[4], struct ike_msg *m)
{
	uint8_t buf[ENV_BUF], idb[4 + 64], auth[CRY_MAX_PRF_LEN];
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;
	struct ike_mb mb;
	size_t len, alen;

	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_ESP, CHILD_SPI, 4);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, encr, key_bits);
	if (integ != 0)
		ti_xf(&sa, IKE_TRANSFORM_INTEG, integ, 0);
	env_sa_init(E.a.s, t);
	alen = ti_psk_auth(t, ALICE_PSK, sizeof(ALICE_PSK) - 1, idb,
			   env_idb(idb, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1), auth);
	ti_begin(t, &mb, buf, sizeof(buf), IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	ike_mb_add_sa(&mb, &sa);
	env_ts_v4(&ts, lo, hi);
	ike_mb_add_ts(&mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(&mb, IKE_PLD_TSR, &ts);
	len = ti_end(t, &mb);
	assert_int_equal(env_feed(E.a.s, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, m), 0);
}

static void
test_child_no_proposal_keeps_ike_sa(void **state)
{
	static const uint8_t host[4] = {10, 0, 0, 1};
	struct ike_pld_notify n;
	struct ike_msg m;
	struct ti t;

	(void)state;
	auth_child(&t, IKE_ENCR_3DES, 0, IKE_INTEG_HMAC_SHA1_96, host, host, &m);
	assert_non_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
	assert_non_null(env_notify(&m, IKE_N_NO_PROPOSAL_CHOSEN, &n));
	assert_int_equal(E.n_inst, 0);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	env_liveness_ok(E.a.s, &t);
	ti_fini(&t);
}

static void
test_ts_unacceptable(void **state)
{
	static const uint8_t lo[4] = {172, 16, 0, 0}, hi[4] = {172, 16, 255, 255};
	struct ike_pld_notify n;
	struct ike_msg m;
	struct ti t;

	(void)state;
	auth_child(&t, IKE_ENCR_AES_GCM_16, 128, 0, lo, hi, &m);
	assert_non_null(env_notify(&m, IKE_N_TS_UNACCEPTABLE, &n));
	assert_int_equal(E.n_inst, 0);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	ti_fini(&t);
}

static void
test_initial_contact(void **state)
{
	struct ti a, b;

	(void)state;
	env_establish(E.a.s, &a, false);
	env_establish(E.a.s, &b, false);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 2);
	ti_fini(&a);
	ti_fini(&b);
	env_establish(E.a.s, &a, true);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	assert_int_equal(env_ctr(E.a.s, "initial_contact_deleted"), 2);
	assert_int_equal(E.n_del, 2);
	env_liveness_ok(E.a.s, &a);
	ti_fini(&a);
}

#define T(f) cmocka_unit_test_setup_teardown(f, env_setup_psk, env_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_auth_psk_ok),
		T(test_auth_child_spi_chooser),
		T(test_auth_wrong_psk),
		T(test_auth_unknown_id),
		T(test_auth_lifetime),
		T(test_child_no_proposal_keeps_ike_sa),
		T(test_ts_unacceptable),
		T(test_initial_contact),
	};

	return cmocka_run_group_tests_name("core-auth", tests, NULL, NULL);
}
