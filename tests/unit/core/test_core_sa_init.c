/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE_SA_INIT in the responder core (lib/core) against the test-side
 * initiator, with real crypto: the response, INVALID_KE_PAYLOAD,
 * NO_PROPOSAL_CHOSEN, COOKIE, retransmits, half-open expiry, the SPI
 * layout; and the shard-wide facts (sizes, counter names).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core_env.h"
#include "ike_core_priv.h"
#include "ike_sa.h"
#include "satable.h"


static void
test_sa_init_response(void **state)
{
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_pld_ke ke;
	struct ike_msg m;
	struct ti t;
	uint8_t natd[20];
	const struct ike_pld *p;

	(void)state;
	env_sa_init(E.a.s, &t);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.exchange, IKE_EXCH_IKE_SA_INIT);
	assert_int_equal(m.flags, IKE_HDR_F_RESPONSE);
	assert_int_equal(m.msg_id, 0);
	assert_int_equal(m.spi_i, t.spi_i);
	assert_true(m.spi_r != 0);
	assert_int_equal(ike_owner_shard(&E.cfg, E.out, E.out_len), 3);
	p = ike_msg_find(&m, IKE_PLD_SA, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(&m, p), p->len, &sa), IKE_PARSE_OK);
	assert_int_equal(sa.n_prop, 1);
	assert_int_equal(sa.prop[0].n_xf, 3);
	assert_int_equal(sa.xf[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(sa.xf[0].key_len, 256);
	assert_int_equal(sa.xf[1].id, IKE_PRF_HMAC_SHA2_256);
	assert_int_equal(sa.xf[2].id, IKE_KE_ECP256);
	p = ike_msg_find(&m, IKE_PLD_KE, 0);
	assert_int_equal(ike_pld_ke_parse(ike_msg_pld_body(&m, p), p->len, &ke), IKE_PARSE_OK);
	assert_int_equal(ke.group, IKE_KE_ECP256);
	assert_int_equal(ke.len, 64); /* RFC 5903 7: x | y, 32 octets each */
	assert_true(t.nr_len >= 16);
	/* RFC 7296 2.23: both NAT-D hashes over the response's SPIs. */
	assert_non_null(env_notify(&m, IKE_N_NAT_DETECTION_SOURCE_IP, &n));
	ti_natd(t.spi_i, m.spi_r, &t.peer, natd);
	assert_int_equal(n.len, 20);
	assert_memory_equal(n.data, natd, 20);
	assert_non_null(env_notify(&m, IKE_N_NAT_DETECTION_DESTINATION_IP, &n));
	ti_natd(t.spi_i, m.spi_r, &t.me, natd);
	assert_memory_equal(n.data, natd, 20);
	assert_non_null(ike_msg_find_notify(&m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED));
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 1);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 0);
	ti_fini(&t);
}

/* IKE_SA_INIT { [N(COOKIE)], SA, KE(group), Ni } --> <-- one answer, in E.out. */
static void
send_sa_init(struct ti *t, const struct ike_pld_sa *sa, uint16_t group, const uint8_t *cookie,
	     size_t cookie_len)
{
	uint8_t buf[ENV_BUF];
	size_t len = ti_sa_init(t, buf, sizeof(buf), sa, group, cookie, cookie_len);

	assert_int_equal(env_feed(E.a.s, t, buf, len), 1);
}

/* IKE_SA_INIT { SA, KE(group), Ni } --> <-- one unprotected answer, parsed into *m. */
static void
sa_init_answer(struct ti *t, const struct ike_pld_sa *sa, uint16_t group, struct ike_msg *m)
{
	send_sa_init(t, sa, group, NULL, 0);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, m), IKE_PARSE_OK);
}

/* *sa: only IKE proposal 1, its transforms still to add (ti_xf). */
static void
ike_proposal_1(struct ike_pld_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	ti_prop(sa, 1, IKE_PROTO_IKE, NULL, 0);
}

static void
test_invalid_ke(void **state)
{
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_msg m;
	struct ti t;

	(void)state;
	ti_init(&t, &E.ops);
	/* SA offers 31 and 19, KE is 31: we want 19 (first in our configuration). */
	ike_proposal_1(&sa);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ti_xf(&sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
	sa_init_answer(&t, &sa, IKE_KE_CURVE25519, &m);
	assert_int_equal(m.spi_r, 0);
	assert_non_null(env_notify(&m, IKE_N_INVALID_KE_PAYLOAD, &n));
	assert_int_equal(n.len, 2);
	assert_int_equal(ike_get_u16(n.data), IKE_KE_ECP256);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	/* Retry with the group we asked for. */
	send_sa_init(&t, &sa, IKE_KE_ECP256, NULL, 0);
	assert_int_equal(ti_sa_init_done(&t, E.out, E.out_len, &XF_STD), 0);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 1);
	ti_fini(&t);
}

static void
test_no_proposal(void **state)
{
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_msg m;
	struct ti t;

	(void)state;
	ti_init(&t, &E.ops);
	ike_proposal_1(&sa);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_3DES, 0);
	ti_xf(&sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA1, 0);
	ti_xf(&sa, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA1_96, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
	sa_init_answer(&t, &sa, IKE_KE_ECP256, &m);
	assert_non_null(env_notify(&m, IKE_N_NO_PROPOSAL_CHOSEN, &n));
	assert_null(ike_msg_find(&m, IKE_PLD_SA, 0));
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	assert_int_equal(env_ctr(E.a.s, "init_no_proposal_sent"), 1);
	ti_fini(&t);
}

static void
test_cookie_round_trip(void **state)
{
	uint8_t cookie[64], bad[64];
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_msg m;
	struct ti t;
	size_t clen;

	(void)state;
	E.cfg.cookie_threshold = 0; /* always */
	ti_init(&t, &E.ops);
	env_ike_sa(&sa, IKE_KE_ECP256);
	/* IKE_SA_INIT { SA, KE, Ni } --> <-- N(COOKIE) */
	sa_init_answer(&t, &sa, IKE_KE_ECP256, &m);
	assert_int_equal(m.spi_r, 0);
	assert_int_equal(m.n_pld, 1);
	assert_non_null(env_notify(&m, IKE_N_COOKIE, &n));
	assert_true(n.len >= 1 && n.len <= 64);
	clen = n.len;
	memcpy(cookie, n.data, clen);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	/* A forged cookie gets a fresh one, no state. */
	memcpy(bad, cookie, clen);
	bad[clen - 1] ^= 1;
	send_sa_init(&t, &sa, IKE_KE_ECP256, bad, clen);
	assert_int_equal(env_ctr(E.a.s, "cookie_bad"), 1);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	/* IKE_SA_INIT { N(COOKIE), SA, KE, Ni } --> <-- SA, KE, Nr */
	send_sa_init(&t, &sa, IKE_KE_ECP256, cookie, clen);
	assert_int_equal(ti_sa_init_done(&t, E.out, E.out_len, &XF_STD), 0);
	assert_true(t.spi_r != 0);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 1);
	assert_int_equal(env_ctr(E.a.s, "cookie_sent"), 2);
	/* After one rotation the cookie is still accepted, after two it is not. */
	E.now += 61 * 1000;
	t.spi_i ^= 0x100; /* a new SA attempt with the same nonce and cookie */
	send_sa_init(&t, &sa, IKE_KE_ECP256, cookie, clen);
	E.now += 61 * 1000;
	t.spi_i ^= 0x300;
	send_sa_init(&t, &sa, IKE_KE_ECP256, cookie, clen);
	assert_int_equal(env_ctr(E.a.s, "cookie_bad"), 1 + 2);
	ti_fini(&t);
}

static void
test_retransmits_identical(void **state)
{
	uint8_t buf[ENV_BUF], first[ENV_BUF];
	struct ike_pld_sa sa;
	struct ti t;
	size_t len, flen;

	(void)state;
	ti_init(&t, &E.ops);
	env_ike_sa(&sa, IKE_KE_ECP256);
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	memcpy(first, E.out, E.out_len);
	flen = E.out_len;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	assert_int_equal(E.out_len, flen);
	assert_memory_equal(E.out, first, flen);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 1);
	assert_int_equal(env_ctr(E.a.s, "init_retransmit"), 1);
	assert_int_equal(ti_sa_init_done(&t, E.out, E.out_len, &XF_STD), 0);
	len = env_psk_auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
			       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	memcpy(first, E.out, E.out_len);
	flen = E.out_len;
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	assert_int_equal(E.out_len, flen);
	assert_memory_equal(E.out, first, flen);
	assert_int_equal(env_ctr(E.a.s, "retransmit_resent"), 1);
	assert_int_equal(E.n_inst, 1);
	/* The cache expires after response_cache_ms. */
	E.now += E.cfg.response_cache_ms + 1;
	assert_int_equal(ike_shard_tick(E.a.s, E.now, E.tx, ENV_NTX), 0);
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 0);
	assert_int_equal(env_ctr(E.a.s, "drop_retransmit_uncached"), 1);
	env_liveness_ok(E.a.s, &t);
	ti_fini(&t);
}

static void
test_half_open_reaped(void **state)
{
	struct ti t;

	(void)state;
	env_sa_init(E.a.s, &t);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 1);
	E.now += E.cfg.half_open_timeout_ms + 1;
	assert_int_equal(ike_shard_tick(E.a.s, E.now, E.tx, ENV_NTX), 0);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	assert_int_equal(env_ctr(E.a.s, "half_open_expired"), 1);
	ti_fini(&t);
}

static void
test_sizes(void **state)
{
	size_t per_sa = satable_mem_size(1024, sizeof(struct ike_sa)) / 1024;

	(void)state;
	printf("# sizeof(struct ike_sa) = %zu\n", sizeof(struct ike_sa));
	printf("# bytes per established SA in the SA table = %zu\n", per_sa);
	printf("# sizeof(struct ike_ho) = %zu (half-open only), sizeof(struct ike_resp) = %zu\n",
	       sizeof(struct ike_ho), sizeof(struct ike_resp));
	assert_true(per_sa < 1024);
	assert_true(sizeof(struct ike_sa) <= IKE_SA_BUDGET);
	/* The table's stride adds no padding, its index (SPI, free list) 12 octets. */
	assert_true(per_sa <= IKE_SA_BUDGET + 16);
}

/* A non-default SPI layout from cfg: SPIr carries the shard in that layout. */
static void
test_spi_layout_from_cfg(void **state)
{
	struct spi_layout l;
	struct ike_msg m;
	struct ti t;

	(void)state;
	env_shard_down(&E.a);
	E.cfg.spi_shard_bits = 4;
	E.cfg.spi_slot_bits = 12;
	assert_int_equal(env_shard_up(&E.a, 9), 0);
	env_sa_init(E.a.s, &t);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_true(spi_layout_init(&l, 4, 12));
	assert_int_equal(spi_shard(&l, m.spi_r), 9);
	assert_true(spi_slot(&l, m.spi_r) < E.cfg.max_ike_sas);
	assert_int_equal(ike_owner_shard(&E.cfg, E.out, E.out_len), 9);
	ti_fini(&t);
	/* A shard id or a capacity the layout cannot hold is refused. */
	env_shard_down(&E.a);
	assert_int_equal(env_shard_up(&E.a, 16), -1);
	env_shard_down(&E.a);
	E.cfg.spi_slot_bits = 3; /* 8 slots < max_ike_sas */
	assert_int_equal(env_shard_up(&E.a, 1), -1);
	env_shard_down(&E.a);
	E.cfg.spi_slot_bits = 0;
	E.cfg.spi_shard_bits = 0;
	assert_int_equal(env_shard_up(&E.a, 3), 0);
}

/* DPDK telemetry takes [A-Za-z0-9_] names: every counter is [a-z0-9_]+, and unique. */
static void
test_counter_names(void **state)
{
	unsigned n = ike_counter_count();

	(void)state;
	assert_true(n > 0);
	assert_null(ike_counter_name(n));
	for (unsigned i = 0; i < n; i++) {
		const char *name = ike_counter_name(i);

		assert_non_null(name);
		assert_true(name[0] != '\0');
		for (const char *c = name; *c != '\0'; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
				fail_msg("counter %u '%s': character '%c'", i, name, *c);
		for (unsigned j = 0; j < i; j++)
			if (strcmp(name, ike_counter_name(j)) == 0)
				fail_msg("counter name '%s' twice (%u and %u)", name, j, i);
	}
	/* Wire parse statuses keep their name, with '_' for '-'. */
	for (unsigned i = 0; i < n; i++)
		if (strcmp(ike_counter_name(i), "drop_parse_certreq_hash_list_length") == 0)
			return;
	fail_msg("no drop_parse_certreq_hash_list_length");
}

/* Our addresses, kept once per shard (an SA keeps an index): 256 at most, more refused, counted. */
static void
test_local_addrs(void **state)
{
	struct ike_addr a = {.family = 4, .port = 500, .ip = {10, 0, 0, 0}};
	struct ti t;

	(void)state;
	env_sa_init(E.a.s, &t); /* an SA on the test's own address: index 0 */
	ti_fini(&t);
	for (unsigned i = 1; i < IKE_LOCAL_ADDRS_MAX; i++) {
		a.ip[3] = (uint8_t)i;
		assert_int_equal(ike_local_addr_index(E.a.s, &a), (int)i);
	}
	a.ip[3] = 7;
	assert_int_equal(ike_local_addr_index(E.a.s, &a), 7); /* known: found, not added */
	a.port = 4500;
	assert_int_equal(ike_local_addr_index(E.a.s, &a), -1);
	assert_int_equal(env_ctr(E.a.s, "drop_sa_table_full"), 1);
	/* A new SA on a known address still comes up. */
	env_sa_init(E.a.s, &t);
	ti_fini(&t);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, env_setup_psk, env_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sa_init_response),
		T(test_invalid_ke),
		T(test_no_proposal),
		T(test_cookie_round_trip),
		T(test_retransmits_identical),
		T(test_half_open_reaped),
		T(test_sizes),
		T(test_spi_layout_from_cfg),
		T(test_counter_names),
		T(test_local_addrs),
	};

	return cmocka_run_group_tests_name("core-sa-init", tests, NULL, NULL);
}
