/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An established IKE SA in the responder core (lib/core) against the
 * test-side initiator, with real crypto: INFORMATIONAL deletes,
 * CREATE_CHILD_SA (Child SA and IKE SA rekey), counted drops, another
 * shard's SPI, the IKE SA lifetime, a peer that moves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core_env.h"
#include "satable.h"


static void
test_delete_child_and_ike(void **state)
{
	uint8_t buf[ENV_BUF], spi[4];
	struct ike_pld_delete d;
	const struct ike_pld *p;
	struct ike_msg m;
	struct ike_mb mb;
	struct ti t;
	size_t len;

	(void)state;
	env_establish(E.a.s, &t, false);
	env_liveness_ok(E.a.s, &t);
	assert_int_equal(env_ctr(E.a.s, "info_liveness"), 1);
	/* INFORMATIONAL { D(ESP, 0x11223344) } --> <-- { D(ESP, ours) } */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	ike_mb_add_delete(&mb, IKE_PROTO_ESP, 4, 1, CHILD_SPI);
	len = ti_end(&t, &mb);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	p = ike_msg_find(&m, IKE_PLD_DELETE, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_delete_parse(ike_msg_pld_body(&m, p), p->len, &d), IKE_PARSE_OK);
	assert_int_equal(d.n_spi, 1);
	ike_put_u32(spi, E.inst[0].spi_in);
	assert_memory_equal(d.spis, spi, 4);
	assert_int_equal(E.n_del, 1);
	assert_int_equal(E.del[0].spi_in, E.inst[0].spi_in);
	/* INFORMATIONAL { D(IKE) } --> <-- {} */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	ike_mb_add_delete(&mb, IKE_PROTO_IKE, 0, 0, NULL);
	len = ti_end(&t, &mb);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_int_equal(m.sk_first, IKE_PLD_NONE);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 0);
	ti_fini(&t);
}

static void
test_create_child_pfs_and_rekey(void **state)
{
	uint8_t buf[ENV_BUF], nonce[32], pub[CRY_MAX_KEX_PUB], g_ir[CRY_MAX_KEX_SECRET];
	size_t pub_len = sizeof(pub), g_len = sizeof(g_ir), len;
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;
	struct ike_pld_ke ke;
	struct ike_msg m;
	struct ike_mb mb;
	struct cry_kex *kex;
	struct ti t;
	const struct ike_pld *p;
	static const uint8_t lo[4] = {10, 0, 1, 0}, hi[4] = {10, 0, 1, 255};
	static const uint8_t spi2[4] = {0x55, 0x66, 0x77, 0x88};

	(void)state;
	env_establish(E.a.s, &t, false);
	assert_int_equal(E.ops.asym->kex_new(E.ops.asym_ctx, IKE_KE_ECP256, &kex, pub, &pub_len),
			 IKE_OK);
	cry_random(&E.ops, nonce, sizeof(nonce));
	/* CREATE_CHILD_SA { N(REKEY_SA), SA(CBC, PFS 19), Ni, KEi, TSi, TSr } --> */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_CREATE_CHILD_SA);
	ike_mb_add_notify(&mb, IKE_PROTO_ESP, CHILD_SPI, 4, IKE_N_REKEY_SA, NULL, 0);
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_ESP, spi2, 4);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 256);
	ti_xf(&sa, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
	ti_xf(&sa, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	ike_mb_add_sa(&mb, &sa);
	ike_mb_add_nonce(&mb, nonce, sizeof(nonce));
	ike_mb_add_ke(&mb, IKE_KE_ECP256, pub, pub_len);
	memset(&ts, 0, sizeof(ts));
	ts.n_ts = 1;
	ts.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	ts.ts[0].addr_len = 4;
	ts.ts[0].start_addr = lo;
	ts.ts[0].end_addr = hi;
	ike_mb_add_ts(&mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(&mb, IKE_PLD_TSR, &ts);
	len = ti_end(&t, &mb);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	/* <-- { SA, Nr, KEr, TSi, TSr } */
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_null(ike_msg_find(&m, IKE_PLD_NOTIFY, 0));
	assert_non_null(ike_msg_find(&m, IKE_PLD_NONCE, 0));
	p = ike_msg_find(&m, IKE_PLD_KE, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_ke_parse(ike_msg_pld_body(&m, p), p->len, &ke), IKE_PARSE_OK);
	assert_int_equal(ke.group, IKE_KE_ECP256);
	assert_int_equal(E.ops.asym->kex_derive(E.ops.asym_ctx, kex, ke.data, ke.len, g_ir, &g_len),
			 IKE_OK);
	E.ops.asym->kex_free(E.ops.asym_ctx, kex);
	assert_int_equal(E.n_inst, 2);
	assert_int_equal(E.inst[1].spi_out, 0x55667788);
	assert_int_equal(E.inst[1].integ_id, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(env_ctr(E.a.s, "child_rekeyed"), 1);

	/* CREATE_CHILD_SA { SA(IKE, new SPIi), Ni, KEi } --> <-- { SA(new SPIr), Nr, KEr } */
	{
		uint8_t nspi[8];
		uint64_t new_spi_i = t.spi_i ^ 0xabcdef;
		struct ike_pld_sa rsa;
		struct ike_pld_nonce nr;
		struct ike_keys_input in;
		struct ike_sa_keys nk;
		struct ike_suite suite;

		pub_len = sizeof(pub);
		g_len = sizeof(g_ir);
		assert_int_equal(E.ops.asym->kex_new(E.ops.asym_ctx, IKE_KE_ECP256, &kex, pub,
						     &pub_len),
				 IKE_OK);
		ike_put_u64(nspi, new_spi_i);
		ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_CREATE_CHILD_SA);
		memset(&sa, 0, sizeof(sa));
		ti_prop(&sa, 1, IKE_PROTO_IKE, nspi, 8);
		ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
		ti_xf(&sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
		ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
		ike_mb_add_sa(&mb, &sa);
		ike_mb_add_nonce(&mb, nonce, sizeof(nonce));
		ike_mb_add_ke(&mb, IKE_KE_ECP256, pub, pub_len);
		len = ti_end(&t, &mb);
		assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
		assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
		p = ike_msg_find(&m, IKE_PLD_SA, 0);
		assert_non_null(p);
		assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(&m, p), p->len, &rsa),
				 IKE_PARSE_OK);
		assert_int_equal(rsa.prop[0].proto, IKE_PROTO_IKE);
		assert_int_equal(rsa.prop[0].spi_size, 8);
		p = ike_msg_find(&m, IKE_PLD_NONCE, 0);
		ike_pld_nonce_parse(ike_msg_pld_body(&m, p), p->len, &nr);
		p = ike_msg_find(&m, IKE_PLD_KE, 0);
		ike_pld_ke_parse(ike_msg_pld_body(&m, p), p->len, &ke);
		assert_int_equal(E.ops.asym->kex_derive(E.ops.asym_ctx, kex, ke.data, ke.len,
							g_ir, &g_len),
				 IKE_OK);
		E.ops.asym->kex_free(E.ops.asym_ctx, kex);
		/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) (RFC 7296 2.18) */
		assert_int_equal(ike_suite_ike(&XF_STD, &suite), IKE_OK);
		in.ni = nonce;
		in.ni_len = sizeof(nonce);
		in.nr = nr.data;
		in.nr_len = nr.len;
		ike_put_u64(in.spi_i, new_spi_i);
		memcpy(in.spi_r, rsa.prop[0].spi, 8);
		assert_int_equal(ike_keys_derive_rekey(&E.ops, &t.keys, &suite, &in, g_ir, g_len,
						       &nk),
				 IKE_OK);
		/* The old SA still deletes: D(IKE) on it --> <-- {} */
		ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
		ike_mb_add_delete(&mb, IKE_PROTO_IKE, 0, 0, NULL);
		len = ti_end(&t, &mb);
		assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
		assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
		/* The Child SAs moved: deleting the old IKE SA deleted none of them. */
		assert_int_equal(E.n_del, 0);
		assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
		/* Switch to the new SA: message IDs restart at 0. */
		t.spi_i = new_spi_i;
		t.spi_r = ike_get_u64(in.spi_r);
		t.keys = nk;
		t.msg_id = 0;
		env_liveness_ok(E.a.s, &t);
		assert_int_equal(env_ctr(E.a.s, "ike_rekeyed"), 1);
	}
	ti_fini(&t);
}

static void
test_malformed_counted(void **state)
{
	uint8_t buf[ENV_BUF], good[ENV_BUF];
	struct ike_mb mb;
	struct ti t;
	size_t len;

	(void)state;
	env_establish(E.a.s, &t, false);
	/* Truncated header. */
	assert_int_equal(env_feed(E.a.s, &t, (const uint8_t *)"\x01\x02\x03", 3), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_parse_truncated_header"), 1);
	/* Bad ICV: one bit flipped in the ciphertext. */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	len = ti_end(&t, &mb);
	memcpy(good, buf, len);
	buf[len - 20] ^= 0x40;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_icv_mismatch"), 1);
	/* Length field larger than the datagram. */
	memcpy(buf, good, len);
	ike_put_u32(buf + 24, (uint32_t)len + 8);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_parse_length_field_mismatch"), 1);
	/* Unknown SPIr on this shard. */
	memcpy(buf, good, len);
	buf[15] ^= 0x01;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_unknown_spi"), 1);
	/* Future message ID. */
	memcpy(buf, good, len);
	ike_put_u32(buf + 20, t.msg_id + 5);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_msgid_future"), 1);
	/* Old message ID (two before the window). */
	memcpy(buf, good, len);
	ike_put_u32(buf + 20, 0);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_msgid_old"), 1);
	/* An exchange type we do not know. */
	memcpy(buf, good, len);
	buf[18] = 99;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_exchange_unknown"), 1);
	/* Our own response flag from the "initiator". */
	memcpy(buf, good, len);
	buf[19] = IKE_HDR_F_RESPONSE | IKE_HDR_F_INITIATOR;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "rx_response"), 1);
	/* Not from the original initiator. */
	memcpy(buf, good, len);
	buf[19] = 0;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_not_from_initiator"), 1);
	/* A tampered exchange type: it is under the ICV. */
	memcpy(buf, good, len);
	buf[18] = IKE_EXCH_CREATE_CHILD_SA;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_icv_mismatch"), 2);
	/* IKE_AUTH, properly protected, on an established SA: wrong state. */
	t.msg_id--;
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_IKE_AUTH);
	assert_int_equal(env_feed(E.a.s, &t, buf, ti_end(&t, &mb)), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_exchange_in_state"), 1);
	/* The SK payload relabelled as SKF: fragments are not reassembled, no answer. */
	memcpy(buf, good, len);
	buf[16] = IKE_PLD_SKF;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	/* IKE_SA_INIT with a message ID other than 0. */
	memcpy(buf, t.req, t.req_len);
	ike_put_u32(buf + 20, 7);
	assert_int_equal(env_feed(E.a.s, &t, buf, t.req_len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_init_bad_header"), 1);
	/* The good message is still accepted: the SA was not disturbed. */
	assert_int_equal(env_feed(E.a.s, &t, good, len), 1);
	assert_int_equal(env_ctr(E.a.s, "info_liveness"), 1);
	env_liveness_ok(E.a.s, &t);
	ti_fini(&t);
}

static void
test_wrong_shard(void **state)
{
	uint8_t buf[ENV_BUF];
	struct ike_mb mb;
	struct ti t;
	size_t len;
	struct spi_layout l;

	(void)state;
	env_establish(E.a.s, &t, false);
	assert_true(spi_layout_init(&l, SPI_DEFAULT_SHARD_BITS, SPI_DEFAULT_SLOT_BITS));
	/* Same slot and tag, another shard's field: not ours, no answer. */
	t.spi_r = spi_compose(&l, 4, spi_slot(&l, t.spi_r), spi_tag(&l, t.spi_r));
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	len = ti_end(&t, &mb);
	assert_int_equal(ike_owner_shard(&E.cfg, buf, len), 4);
	/* Our SPI is SPIr whatever the I flag says (we are every SA's responder). */
	buf[19] ^= IKE_HDR_F_INITIATOR;
	assert_int_equal(ike_owner_shard(&E.cfg, buf, len), 4);
	buf[19] ^= IKE_HDR_F_INITIATOR;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_wrong_shard"), 1);
	ti_fini(&t);
}

static void
test_lifetime_sends_delete(void **state)
{
	struct ike_msg m;
	struct ti t;

	(void)state;
	env_establish(E.a.s, &t, false);
	E.now += (uint64_t)E.cfg.ike_lifetime_s * 1000 + 1;
	assert_int_equal(ike_shard_tick(E.a.s, E.now, E.tx, ENV_NTX), 1);
	/* <-- INFORMATIONAL { D(IKE) } as our request: R clear, message ID 0. */
	assert_int_equal(ti_open(&t, E.tx[0].data, E.tx[0].len, &m), 0);
	assert_int_equal(m.flags, 0);
	assert_int_equal(m.msg_id, 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_DELETE, 0));
	assert_int_equal(ike_shard_nb_sas(E.a.s), 0);
	assert_int_equal(E.n_del, 1);
	ti_fini(&t);
}

/* The data path reports a hard lifetime: INFORMATIONAL { D(ESP, our SPI) }, the Child SA goes. */
static void
test_child_expire_sends_delete(void **state)
{
	struct ike_pld_delete d;
	const struct ike_pld *p;
	struct ike_msg m;
	struct ti t;

	(void)state;
	env_establish(E.a.s, &t, false);
	assert_int_equal(E.n_inst, 1);
	env_tx_reset();
	assert_int_equal(ike_shard_child_expire(E.a.s, E.inst[0].ike_spi, E.inst[0].spi_in, E.now,
						E.tx, ENV_NTX),
			 1);
	assert_int_equal(ti_open(&t, E.tx[0].data, E.tx[0].len, &m), 0);
	assert_int_equal(m.exchange, IKE_EXCH_INFORMATIONAL);
	assert_int_equal(m.flags, 0);
	p = ike_msg_find(&m, IKE_PLD_DELETE, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_delete_parse(ike_msg_pld_body(&m, p), p->len, &d), IKE_PARSE_OK);
	assert_int_equal(d.proto, IKE_PROTO_ESP);
	assert_int_equal(d.n_spi, 1);
	assert_int_equal(ike_get_u32(d.spis), E.inst[0].spi_in);
	assert_int_equal(E.n_del, 1);
	assert_int_equal(E.del[0].spi_in, E.inst[0].spi_in);
	assert_int_equal(E.del[0].ike_spi, E.inst[0].ike_spi);
	assert_int_equal(env_ctr(E.a.s, "child_expired_deleted"), 1);
	/* Twice, or for an IKE SA that is gone: counted, nothing sent. */
	env_tx_reset();
	assert_int_equal(ike_shard_child_expire(E.a.s, E.inst[0].ike_spi, E.inst[0].spi_in, E.now,
						E.tx, ENV_NTX),
			 0);
	assert_int_equal(ike_shard_child_expire(E.a.s, 12345, 1, E.now, E.tx, ENV_NTX), 0);
	assert_int_equal(env_ctr(E.a.s, "child_expire_stale"), 2);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	ti_fini(&t);
}

/*
 * RFC 7296 2.23: an authenticated new request from another port (NAT
 * rebinding, or the initiator's move to 4500) moves the SA there, with the
 * host tag; our own requests follow.
 */
static void
test_peer_moves(void **state)
{
	struct ike_reauth_sel sel;
	struct ti t;

	(void)state;
	E.tag = 0x101;
	env_establish(E.a.s, &t, false);
	assert_int_equal(env_ctr(E.a.s, "peer_address_updated"), 0);
	t.me.port = 4500;
	E.tag = 0x202;
	/* env_feed() checks the answer goes to the new port, with the new tag. */
	env_liveness_ok(E.a.s, &t);
	assert_int_equal(env_ctr(E.a.s, "peer_address_updated"), 1);
	env_liveness_ok(E.a.s, &t);
	assert_int_equal(env_ctr(E.a.s, "peer_address_updated"), 1);
	memset(&sel, 0, sizeof(sel));
	sel.scope = IKE_REAUTH_ALL;
	env_tx_reset();
	assert_int_equal(ike_shard_reauth_request(E.a.s, &sel, E.now, E.tx, ENV_NTX), 1);
	assert_true(sel.done);
	assert_memory_equal(&E.tx[0].remote, &t.me, sizeof(t.me));
	assert_int_equal(E.tx[0].tag, 0x202);
	ti_fini(&t);
}

#define T(f) cmocka_unit_test_setup_teardown(f, env_setup_psk, env_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_delete_child_and_ike),
		T(test_create_child_pfs_and_rekey),
		T(test_malformed_counted),
		T(test_wrong_shard),
		T(test_lifetime_sends_delete),
		T(test_child_expire_sends_delete),
		T(test_peer_moves),
	};

	return cmocka_run_group_tests_name("core-info", tests, NULL, NULL);
}
