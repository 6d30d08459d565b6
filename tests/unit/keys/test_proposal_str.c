/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proposal strings (lib/keys ike_proposal_str): several algorithms of each
 * kind in strongSwan's notation into per-type lists of IANA transform IDs
 * (RFC 7296 3.3.2: ENCR_AES_CBC 12, ENCR_AES_GCM_16 20; PRF_HMAC_SHA2_256 5,
 * _384 6, _512 7; AUTH_HMAC_SHA2_256_128 12, _384_192 13, _512_256 14;
 * groups MODP-2048 14, ECP-256 19, ECP-384 20, ECP-521 21, Curve25519 31),
 * "default", the errors, and the write-back used in logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ike_proposal_str.h"

/* Asserts list type of p is exactly ids[0..n) (key_bits from bits, or 0). */
static void
assert_list(const struct ike_proposal_cfg *p, uint8_t type, const uint16_t *ids,
	    const uint16_t *bits, unsigned n)
{
	assert_int_equal(p->xf[type].n, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(p->xf[type].alg[i].id, ids[i]);
		assert_int_equal(p->xf[type].alg[i].key_bits, bits != NULL ? bits[i] : 0);
	}
}

static void
test_several_per_kind(void **state)
{
	struct ike_proposal_cfg p;
	char why[256];

	(void)state;
	assert_int_equal(
		ike_proposal_str_parse("aes128-aes256-sha256-sha384-ecp256-x25519-modp2048", false,
				       &p, why, sizeof(why)),
		0);
	assert_false(p.esp);
	assert_list(&p, IKE_TRANSFORM_ENCR, (uint16_t[]){12, 12}, (uint16_t[]){128, 256}, 2);
	assert_list(&p, IKE_TRANSFORM_INTEG, (uint16_t[]){12, 13}, NULL, 2);
	/* strongSwan's rule: the integrity algorithms name the PRFs, same order */
	assert_list(&p, IKE_TRANSFORM_PRF, (uint16_t[]){5, 6}, NULL, 2);
	assert_list(&p, IKE_TRANSFORM_KE, (uint16_t[]){19, 31, 14}, NULL, 3);
	assert_int_equal(p.xf[IKE_TRANSFORM_ESN].n, 0);

	assert_int_equal(
		ike_proposal_str_parse("aes256gcm16-aes128gcm16-prfsha512-prfsha256-ecp521", false,
				       &p, why, sizeof(why)),
		0);
	assert_list(&p, IKE_TRANSFORM_ENCR, (uint16_t[]){20, 20}, (uint16_t[]){256, 128}, 2);
	assert_list(&p, IKE_TRANSFORM_PRF, (uint16_t[]){7, 5}, NULL, 2);
	assert_int_equal(p.xf[IKE_TRANSFORM_INTEG].n, 0);
	assert_list(&p, IKE_TRANSFORM_KE, (uint16_t[]){21}, NULL, 1);

	/* An explicit PRF wins over the integrity rule. */
	assert_int_equal(ike_proposal_str_parse("aes128-sha256-prfsha384-ecp256", false, &p, why,
						sizeof(why)),
			 0);
	assert_list(&p, IKE_TRANSFORM_PRF, (uint16_t[]){6}, NULL, 1);

	/* ESP: NO_ESN (0) and ESN (1) when neither is written, KE only for PFS, modpnone optional */
	assert_int_equal(ike_proposal_str_parse("aes256gcm16", true, &p, why, sizeof(why)), 0);
	assert_true(p.esp);
	assert_list(&p, IKE_TRANSFORM_ESN, (uint16_t[]){0, 1}, NULL, 2);
	assert_int_equal(p.xf[IKE_TRANSFORM_KE].n, 0);
	assert_int_equal(
		ike_proposal_str_parse("aes256-sha512-ecp256-modpnone", true, &p, why, sizeof(why)),
		0);
	assert_list(&p, IKE_TRANSFORM_KE, (uint16_t[]){19, 0}, NULL, 2);
	assert_int_equal(p.xf[IKE_TRANSFORM_PRF].n, 0);
}

static void
test_lists_and_default(void **state)
{
	struct ike_proposal_cfg p[8], d[2];
	char why[256];

	(void)state;
	assert_int_equal(
		ike_proposal_str_list(" aes128gcm16 ,aes256gcm16", true, p, 8, why, sizeof(why)),
		2);
	assert_int_equal(p[1].xf[IKE_TRANSFORM_ENCR].alg[0].key_bits, 256);

	/* "default" expands in place, between our own proposals */
	assert_int_equal(
		ike_proposal_str_list("aes128-sha256-ecp256, default, aes256-sha512-modp2048",
				      false, p, 8, why, sizeof(why)),
		4);
	assert_int_equal(
		ike_proposal_str_list(IKE_PROPOSALS_DEFAULT_IKE, false, d, 2, why, sizeof(why)), 2);
	assert_true(ike_proposal_cfg_equal(&p[1], &d[0]));
	assert_true(ike_proposal_cfg_equal(&p[2], &d[1]));
	assert_false(ike_proposal_cfg_equal(&p[0], &p[3]));

	/* The default set: AES-GCM and AES-CBC, 256 then 128; SHA2-256/384/512; 31 19 20 21 14 */
	assert_list(&d[0], IKE_TRANSFORM_ENCR, (uint16_t[]){20, 20}, (uint16_t[]){256, 128}, 2);
	assert_list(&d[0], IKE_TRANSFORM_PRF, (uint16_t[]){5, 6, 7}, NULL, 3);
	assert_list(&d[0], IKE_TRANSFORM_KE, (uint16_t[]){31, 19, 20, 21, 14}, NULL, 5);
	assert_list(&d[1], IKE_TRANSFORM_ENCR, (uint16_t[]){12, 12}, (uint16_t[]){256, 128}, 2);
	assert_list(&d[1], IKE_TRANSFORM_INTEG, (uint16_t[]){12, 13, 14}, NULL, 3);
	assert_list(&d[1], IKE_TRANSFORM_PRF, (uint16_t[]){5, 6, 7}, NULL, 3);
	assert_list(&d[1], IKE_TRANSFORM_KE, (uint16_t[]){31, 19, 20, 21, 14}, NULL, 5);
	assert_int_equal(ike_proposal_str_list("default", true, d, 2, why, sizeof(why)), 2);
	assert_list(&d[0], IKE_TRANSFORM_ENCR, (uint16_t[]){20, 20}, (uint16_t[]){256, 128}, 2);
	assert_int_equal(d[0].xf[IKE_TRANSFORM_KE].n, 0);
	assert_list(&d[1], IKE_TRANSFORM_INTEG, (uint16_t[]){12, 13, 14}, NULL, 3);

	/* Too many, after expansion too */
	assert_int_equal(ike_proposal_str_list("default, default", false, p, 3, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "more than 3 proposals"));
	/* A repeat, also one that "default" brings in */
	assert_int_equal(ike_proposal_str_list("aes256gcm16-aes128gcm16, default", true, p, 8, why,
					       sizeof(why)),
			 -1);
	assert_string_equal(why, "proposal 2 ('default') repeats proposal 1");
	assert_int_equal(
		ike_proposal_str_list("aes128gcm16,,aes256gcm16", true, p, 8, why, sizeof(why)),
		-1);
	assert_non_null(strstr(why, "empty proposal"));
}

struct bad {
	const char *text;
	bool esp;
	const char *why;
};

static void
test_refused(void **state)
{
	static const struct bad cases[] = {
		{"aes128gcm16-x25519", false, "needs a PRF"},
		{"aes128-prfsha256-x25519", false, "AES-CBC needs an integrity"},
		{"aes256gcm16-sha256-prfsha256-ecp256", false, "AES-GCM takes no integrity"},
		{"aes128-aes128gcm16-sha256-ecp256", false, "mixes AEAD and non-AEAD"},
		{"aes128gcm16-prfsha1", true, "an ESP proposal has no PRF"},
		{"aes256gcm16-prfsha256", false, "needs a key exchange group"},
		{"aes256gcm16-prfsha256-modpnone-x25519", false, "modpnone is for ESP"},
		{"aes256gcm16-prfsha256-x25519-noesn", false, "an IKE proposal has no ESN"},
		{"3des-sha256-ecp256", false, "unknown algorithm '3des'"},
		{"aes128-sha256-ecp256-ecp256", false, "listed twice: 'ecp256'"},
		{"aes128-sha256-ecp256-", false, "ends with '-'"},
		{"sha256-ecp256", false, "no encryption algorithm"},
		{"", true, "no encryption algorithm"},
	};
	struct ike_proposal_cfg p;
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(
			ike_proposal_str_parse(cases[i].text, cases[i].esp, &p, why, sizeof(why)),
			-1);
		if (strstr(why, cases[i].why) == NULL)
			fail_msg("'%s': got \"%s\", want \"%s\"", cases[i].text, why, cases[i].why);
	}
}

static void
test_format_and_first(void **state)
{
	struct ike_proposal_cfg p, q;
	struct ike_transforms t;
	char why[256], text[256];

	(void)state;
	assert_int_equal(ike_proposal_str_parse("aes256-aes128-sha384-sha256-x25519-modp2048",
						false, &p, why, sizeof(why)),
			 0);
	ike_proposal_cfg_format(&p, text, sizeof(text));
	assert_string_equal(text,
			    "aes256-aes128-sha384-sha256-prfsha384-prfsha256-x25519-modp2048");
	/* what we write reads back the same */
	assert_int_equal(ike_proposal_str_parse(text, false, &q, why, sizeof(why)), 0);
	assert_true(ike_proposal_cfg_equal(&p, &q));
	/* truncated, still a string */
	ike_proposal_cfg_format(&p, text, 10);
	assert_string_equal(text, "aes256-ae");

	ike_proposal_cfg_first(&p, &t);
	assert_int_equal(t.encr, 12);
	assert_int_equal(t.encr_key_bits, 256);
	assert_int_equal(t.integ, 13);
	assert_int_equal(t.prf, 6);
	assert_int_equal(t.ke, 31);
	assert_true(ike_proposal_cfg_has(&p, IKE_TRANSFORM_ENCR, 12, 128));
	assert_false(ike_proposal_cfg_has(&p, IKE_TRANSFORM_ENCR, 12, 192));
	assert_true(ike_proposal_cfg_has(&p, IKE_TRANSFORM_KE, 14, 0));
	assert_false(ike_proposal_cfg_has(&p, IKE_TRANSFORM_KE, 19, 0));
}

/* "esn" / "noesn" (ESP only): preference order, the implied pair, formatting. */
static void
test_esn(void **state)
{
	struct ike_proposal_cfg p, l[4];
	char why[256], buf[256];

	(void)state;
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-esn", true, &p, why, sizeof(why)), 0);
	assert_list(&p, IKE_TRANSFORM_ESN, (uint16_t[]){1}, NULL, 1);
	ike_proposal_cfg_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "aes256gcm16-esn");
	assert_int_equal(ike_proposal_str_parse("aes256-sha256-esn-noesn", true, &p, why,
						sizeof(why)),
			 0);
	assert_list(&p, IKE_TRANSFORM_ESN, (uint16_t[]){1, 0}, NULL, 2);
	ike_proposal_cfg_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "aes256-sha256-esn-noesn");
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-noesn", true, &p, why, sizeof(why)),
			 0);
	assert_list(&p, IKE_TRANSFORM_ESN, (uint16_t[]){0}, NULL, 1);
	/* the implied pair is not written back */
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-noesn-esn", true, &p, why,
						sizeof(why)),
			 0);
	ike_proposal_cfg_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "aes256gcm16");
	assert_int_equal(ike_proposal_str_list("aes256gcm16, aes256gcm16-noesn-esn", true, l, 4,
					       why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "repeats proposal 1"));
	assert_int_equal(ike_proposal_str_list("aes256gcm16-esn, aes256gcm16-noesn", true, l, 4,
					       why, sizeof(why)),
			 2);
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-esn-esn", true, &p, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "listed twice"));
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-prfsha256-x25519-esn", false, &p, why,
						sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "an IKE proposal has no ESN"));
}

/* RFC 9370 additional key exchanges in strongSwan 6's "ke<n>_<group>" notation. */
static void
test_addke(void **state)
{
	struct ike_proposal_cfg p;
	char why[256], buf[256];

	(void)state;
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-prfsha256-x25519-ke1_ecp384-ke1_none-"
						"ke3_modp2048",
						false, &p, why, sizeof(why)),
			 0);
	assert_list(&p, IKE_TRANSFORM_ADDKE1, (uint16_t[]){20, 0}, NULL, 2);
	assert_int_equal(p.xf[IKE_TRANSFORM_ADDKE2].n, 0);
	assert_list(&p, IKE_TRANSFORM_ADDKE3, (uint16_t[]){14}, NULL, 1);
	ike_proposal_cfg_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "aes256gcm16-prfsha256-x25519-ke1_ecp384-ke1_none-ke3_modp2048");
	/* No such exchange, no such group, not in ESP without PFS. */
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-prfsha256-x25519-ke8_ecp256", false,
						&p, why, sizeof(why)),
			 -1);
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-prfsha256-x25519-ke1_sha256", false,
						&p, why, sizeof(why)),
			 -1);
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-prfsha256-x25519-ke1_modpnone", false,
						&p, why, sizeof(why)),
			 -1);
	assert_int_equal(
		ike_proposal_str_parse("aes256gcm16-ke1_ecp256", true, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "need a key exchange group"));
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-modpnone-ke1_ecp256", true, &p, why,
						sizeof(why)),
			 -1);
	/* ESP with PFS: IKE_FOLLOWUP_KE in CREATE_CHILD_SA (RFC 9370 2.2.4). */
	assert_int_equal(ike_proposal_str_parse("aes256gcm16-x25519-ke1_ecp256-ke2_modp2048-ke2_none",
						true, &p, why, sizeof(why)),
			 0);
	assert_list(&p, IKE_TRANSFORM_ADDKE1, (uint16_t[]){19}, NULL, 1);
	assert_list(&p, IKE_TRANSFORM_ADDKE2, (uint16_t[]){14, 0}, NULL, 2);
	ike_proposal_cfg_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "aes256gcm16-x25519-ke1_ecp256-ke2_modp2048-ke2_none");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_several_per_kind),
		cmocka_unit_test(test_lists_and_default),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_format_and_first),
		cmocka_unit_test(test_esn),
		cmocka_unit_test(test_addke),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
