/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Certificate authentication of the responder core (RFC 7296 2.15, 3.6-3.8;
 * RFC 7427; RFC 4754) against a test-side initiator, with real crypto: the
 * signatures it accepts (ECDSA, RSA PKCS#1 and PSS, Ed25519, the legacy
 * methods), the configurations it refuses, and the certificate reader.
 * AlgorithmIdentifier octets are copied from RFC 7427 Appendix A.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "cert_env.h"
#include "ike_x509.h"

/* Alice (RFC822 identity, ECDSA P-256) signs with ecdsa-with-SHA256 (RFC 7427). */
static const struct how alice_ecdsa_sha256 = {
	.id_type = IKE_ID_RFC822_ADDR,
	.id = ALICE,
	.id_len = sizeof(ALICE) - 1,
	.cred = &C.alice,
	.method = IKE_AUTH_DIGITAL_SIGNATURE,
	.alg = ALG_ECDSA_SHA256,
	.alg_len = sizeof(ALG_ECDSA_SHA256),
	.md = "SHA256",
};

/*
 * IKE_SA_INIT offering hashes, IKE_AUTH as h: the SA is established and the
 * responder authenticated itself with ours, method, alg and md (raw_width:
 * methods 9/10), as cert_check_responder() checks.
 */
static void
expect_established_as(const uint8_t *hashes, size_t hashes_len, const struct how *h,
		      const struct cred *ours, uint8_t method, const uint8_t *alg, size_t alg_len,
		      const char *md, int raw_width)
{
	struct ike_msg m;
	struct ti t;

	cert_run(&t, hashes, hashes_len, h, &m);
	cert_check_responder(&t, &m, ours, method, alg, alg_len, md, raw_width);
	cert_expect_established();
	ti_fini(&t);
}

/* ECDSA P-256 initiator by RFC822 identity; EC responder answers ecdsa-with-SHA256. */
static void
test_ecdsa_p256(void **state)
{
	(void)state;
	expect_established_as(HASHES_SHA2, sizeof(HASHES_SHA2), &alice_ecdsa_sha256, &C.resp_ec,
			      IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256,
			      sizeof(ALG_ECDSA_SHA256), "SHA256", 0);
}

/*
 * RFC 9242 3.3.2 with signatures: after one IKE_INTERMEDIATE, both
 * signatures cover IntAuth (the responder's is checked with OpenSSL over
 * octets with the IntAuth computed by the test initiator); an initiator
 * signature without it fails.
 */
static void
test_ecdsa_intermediate(void **state)
{
	struct ike_msg m;
	struct ti t;

	(void)state;
	cert_run_intermediate(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &alice_ecdsa_sha256, &m, true);
	cert_check_responder(&t, &m, &C.resp_ec, IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256,
			     sizeof(ALG_ECDSA_SHA256), "SHA256", 0);
	cert_expect_established();
	cert_int_auth_clear();
	ti_fini(&t);
}

static void
test_ecdsa_intermediate_unbound(void **state)
{
	struct ike_msg m;
	struct ti t;

	(void)state;
	cert_run_intermediate(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &alice_ecdsa_sha256, &m, false);
	cert_expect_failed(&m, "auth_sig_bad");
	ti_fini(&t);
}

/*
 * RSA-2048 initiator identified by its subject DN, accepted through the
 * wildcard entry; RSA responder answers sha256WithRSAEncryption.
 */
static void
test_rsa_dn_wildcard(void **state)
{
	struct how h = {.id_type = IKE_ID_DER_ASN1_DN,
			.id = C.bob.dn,
			.id_len = C.bob.dn_len,
			.cred = &C.bob,
			.method = IKE_AUTH_DIGITAL_SIGNATURE,
			.alg = ALG_RSA_SHA256,
			.alg_len = sizeof(ALG_RSA_SHA256),
			.md = "SHA256"};

	(void)state;
	expect_established_as(HASHES_SHA2, sizeof(HASHES_SHA2), &h, &C.resp_rsa,
			      IKE_AUTH_DIGITAL_SIGNATURE, ALG_RSA_SHA256, sizeof(ALG_RSA_SHA256),
			      "SHA256", 0);
}

/* RSASSA-PSS (RFC 7427 A.4.3) by FQDN; the responder honours "SHA2-384 only". */
static void
test_rsa_pss_and_hash_choice(void **state)
{
	static const struct how h = {.id_type = IKE_ID_FQDN,
				     .id = BOB,
				     .id_len = sizeof(BOB) - 1,
				     .cred = &C.bob,
				     .method = IKE_AUTH_DIGITAL_SIGNATURE,
				     .alg = ALG_PSS_SHA256,
				     .alg_len = sizeof(ALG_PSS_SHA256),
				     .md = "SHA256",
				     .pss = true};

	(void)state;
	expect_established_as(HASHES_SHA384, sizeof(HASHES_SHA384), &h, &C.resp_ec,
			      IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA384,
			      sizeof(ALG_ECDSA_SHA384), "SHA384", 0);
}

/* PSS parameters as OpenSSL encodes them (no trailerField): the parser takes them too. */
static void
test_rsa_pss_openssl_encoding(void **state)
{
	struct how h = {.id_type = IKE_ID_FQDN,
			.id = BOB,
			.id_len = sizeof(BOB) - 1,
			.cred = &C.bob,
			.method = IKE_AUTH_DIGITAL_SIGNATURE,
			.md = "SHA384",
			.pss = true};
	EVP_PKEY_CTX *pc = NULL;
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	X509 *x = X509_dup(C.bob.cert);
	const X509_ALGOR *alg;
	uint8_t der[128], *p = der;
	struct ike_msg m;
	struct ti t;
	int n;

	(void)state;
	/* A certificate signed with PSS/SHA-384 carries OpenSSL's own AlgorithmIdentifier. */
	assert_int_equal(EVP_DigestSignInit(mctx, &pc, EVP_sha384(), NULL, C.bob.key), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST), 1);
	assert_true(X509_sign_ctx(x, mctx) > 0);
	X509_get0_signature(NULL, &alg, x);
	n = i2d_X509_ALGOR(alg, NULL);
	assert_true(n > 0 && n < (int)sizeof(der));
	i2d_X509_ALGOR(alg, &p);
	h.alg = der;
	h.alg_len = (size_t)n;
	cert_run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	cert_expect_established();
	EVP_MD_CTX_free(mctx);
	X509_free(x);
	ti_fini(&t);
}

/* Ed25519 (RFC 8420) through the wildcard by FQDN; AlgorithmIdentifier from its SPKI. */
static void
test_ed25519(void **state)
{
	static const uint8_t carol[] = "carol.example.com";
	struct how h = {.id_type = IKE_ID_FQDN,
			.id = carol,
			.id_len = sizeof(carol) - 1,
			.cred = &C.carol,
			.method = IKE_AUTH_DIGITAL_SIGNATURE};
	X509_ALGOR *alg = NULL;
	uint8_t der[32], *p = der;
	int n;

	(void)state;
	assert_int_equal(X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg,
						X509_get_X509_PUBKEY(C.carol.cert)),
			 1);
	n = i2d_X509_ALGOR(alg, &p);
	assert_int_equal(n, 7);
	h.alg = der;
	h.alg_len = (size_t)n;
	expect_established_as(HASHES_ALL, sizeof(HASHES_ALL), &h, &C.resp_ec,
			      IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256,
			      sizeof(ALG_ECDSA_SHA256), "SHA256", 0);
}

/* No SIGNATURE_HASH_ALGORITHMS: ECDSA method 9 (RFC 4754) both ways. */
static void
test_legacy_ecdsa(void **state)
{
	static const struct how h = {.id_type = IKE_ID_RFC822_ADDR,
				     .id = ALICE,
				     .id_len = sizeof(ALICE) - 1,
				     .cred = &C.alice,
				     .method = IKE_AUTH_ECDSA_SHA256_P256,
				     .md = "SHA256",
				     .raw_width = 32};

	(void)state;
	expect_established_as(NULL, 0, &h, &C.resp_ec, IKE_AUTH_ECDSA_SHA256_P256, NULL, 0,
			      "SHA256", 32);
}

/* No SIGNATURE_HASH_ALGORITHMS: RSA method 1 (RFC 7296 3.8, PKCS#1 v1.5 SHA-1) both ways. */
static void
test_legacy_rsa(void **state)
{
	static const struct how h = {.id_type = IKE_ID_FQDN,
				     .id = BOB,
				     .id_len = sizeof(BOB) - 1,
				     .cred = &C.bob,
				     .method = IKE_AUTH_RSA_SIG,
				     .md = "SHA1"};

	(void)state;
	expect_established_as(NULL, 0, &h, &C.resp_rsa, IKE_AUTH_RSA_SIG, NULL, 0, "SHA1", 0);
}

/* Configurations that cannot work are refused at init. */
static void
test_bad_config(void **state)
{
	size_t sz;
	void *mem;

	(void)state;
	ike_shard_fini(E.a.s);
	free(E.a.mem);
	E.a.s = NULL;
	E.a.mem = NULL;
	sz = ike_shard_mem_size(&E.cfg);
	mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	/* certificate peers but no certificate of ours */
	E.cfg.local_key = NULL;
	E.cfg.local_cert_der = NULL;
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, env_child_cb, NULL));
	/* a key without a certificate */
	E.cfg.local_key = C.resp_key[0];
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, env_child_cb, NULL));
	/* CERTREQ hashes that are not whole SHA-1 values */
	E.cfg.local_cert_der = C.resp_ec.der;
	E.cfg.certreq_ca_keyids_len = 19;
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, env_child_cb, NULL));
	E.cfg.certreq_ca_keyids_len = sizeof(C.certreq);
	/* a certificate that does not parse */
	E.cfg.local_cert_der = C.resp_ec.der;
	E.cfg.local_cert_len = C.resp_ec.der_len - 1;
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, env_child_cb, NULL));
	/* two wildcard entries */
	E.cfg.local_cert_len = C.resp_ec.der_len;
	E.peers[1].any_id = true;
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, env_child_cb, NULL));
	E.peers[1].any_id = false;
	assert_non_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, env_child_cb, NULL));
	E.a.s = mem;
	E.a.mem = mem;
}

/* The certificate reader on OpenSSL-made certificates: SAN kinds, subject, key kinds. */
static void
test_x509_reader(void **state)
{
	static const uint8_t ip[4] = {192, 0, 2, 10}, other_ip[4] = {192, 0, 2, 11};
	struct ike_x509 x;

	(void)state;
	assert_true(ike_x509_parse(C.bob.der, C.bob.der_len, &x));
	assert_int_equal(x.key, IKE_X509_KEY_RSA);
	assert_int_equal(x.subject.len, C.bob.dn_len);
	assert_memory_equal(x.subject.p, C.bob.dn, C.bob.dn_len);
	assert_true(ike_x509_names_id(&x, IKE_ID_FQDN, (const uint8_t *)"BOB.example.COM", 15));
	assert_false(ike_x509_names_id(&x, IKE_ID_FQDN, (const uint8_t *)"bob.example.co", 14));
	assert_true(ike_x509_names_id(&x, IKE_ID_IPV4_ADDR, ip, 4));
	assert_false(ike_x509_names_id(&x, IKE_ID_IPV4_ADDR, other_ip, 4));
	assert_false(ike_x509_names_id(&x, IKE_ID_RFC822_ADDR, (const uint8_t *)"bob.example.com",
				       15));
	assert_false(ike_x509_names_id(&x, IKE_ID_KEY_ID, C.bob.dn, C.bob.dn_len));
	assert_true(ike_x509_parse(C.alice.der, C.alice.der_len, &x));
	assert_int_equal(x.key, IKE_X509_KEY_EC_P256);
	assert_true(ike_x509_names_id(&x, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1));
	assert_true(ike_x509_parse(C.carol.der, C.carol.der_len, &x));
	assert_int_equal(x.key, IKE_X509_KEY_ED25519);
	assert_true(ike_x509_parse(C.ca.der, C.ca.der_len, &x));
	assert_int_equal(x.san.len, 0);
	assert_false(ike_x509_names_id(&x, IKE_ID_FQDN, (const uint8_t *)"x", 1));
	/* every truncation fails cleanly */
	for (size_t n = 0; n < C.bob.der_len; n++)
		assert_false(ike_x509_parse(C.bob.der, n, &x));
}

#define T_EC(f) cmocka_unit_test_setup_teardown(f, cert_setup_ec, cert_teardown)
#define T_RSA(f) cmocka_unit_test_setup_teardown(f, cert_setup_rsa, cert_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T_EC(test_ecdsa_p256),
		T_EC(test_ecdsa_intermediate),
		T_EC(test_ecdsa_intermediate_unbound),
		T_RSA(test_rsa_dn_wildcard),
		T_EC(test_rsa_pss_and_hash_choice),
		T_EC(test_rsa_pss_openssl_encoding),
		T_EC(test_ed25519),
		T_EC(test_legacy_ecdsa),
		T_RSA(test_legacy_rsa),
		T_EC(test_bad_config),
		T_EC(test_x509_reader),
	};

	return cmocka_run_group_tests_name("cert", tests, cert_group_setup, cert_group_teardown);
}
