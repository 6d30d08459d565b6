/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Certificate authentication of the responder core (RFC 7296 2.15, 3.6-3.8;
 * RFC 7427; RFC 4754) against a test-side initiator, with real crypto: what
 * it refuses (untrusted CA, identity mismatch, bad signature, unsupported
 * algorithm or method, missing or truncated certificate), each with
 * AUTHENTICATION_FAILED and its own counter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cert_env.h"

static const uint8_t EVE[] = "eve.example.com";

/* One refusal: the initiator's IKE_AUTH (after SIGNATURE_HASH_ALGORITHMS SHA2) and its counter. */
struct reject {
	struct how h;
	bool short_cert; /* CERT: the signer's certificate less its last octet */
	const char *counter;
};

#define BY_ALICE .id_type = IKE_ID_RFC822_ADDR, .id = ALICE, .id_len = sizeof(ALICE) - 1
#define ECDSA_SHA256                                                                               \
	.method = IKE_AUTH_DIGITAL_SIGNATURE, .alg = ALG_ECDSA_SHA256,                             \
	.alg_len = sizeof(ALG_ECDSA_SHA256)

/* A certificate from a CA that is not in the trust store, naming the right identity. */
static const struct reject UNTRUSTED = {
	{BY_ALICE, .cred = &C.mallory, ECDSA_SHA256, .md = "SHA256"}, false, "auth_cert_untrusted"};
/* alice's valid certificate with bob's identity. */
static const struct reject ID_MISMATCH = {
	{.id_type = IKE_ID_FQDN, .id = BOB, .id_len = sizeof(BOB) - 1, .cred = &C.alice,
	 ECDSA_SHA256, .md = "SHA256"},
	false, "auth_cert_id_mismatch"};
/* An unknown identity through the wildcard, not in the certificate either. */
static const struct reject WILDCARD_ID_MISMATCH = {
	{.id_type = IKE_ID_FQDN, .id = EVE, .id_len = sizeof(EVE) - 1, .cred = &C.carol,
	 ECDSA_SHA256},
	false, "auth_cert_id_mismatch"};
static const struct reject BAD_SIGNATURE = {
	{BY_ALICE, .cred = &C.alice, ECDSA_SHA256, .md = "SHA256", .corrupt = true}, false,
	"auth_sig_bad"};
/* A valid signature made with another hash than the AlgorithmIdentifier says. */
static const struct reject SIGNATURE_HASH_MISMATCH = {
	{BY_ALICE, .cred = &C.alice, .method = IKE_AUTH_DIGITAL_SIGNATURE,
	 .alg = ALG_ECDSA_SHA384, .alg_len = sizeof(ALG_ECDSA_SHA384), .md = "SHA256"},
	false, "auth_sig_bad"};
/* ecdsa-with-SHA1 (RFC 8247 3.2: MUST NOT) is refused as unsupported. */
static const struct reject UNSUPPORTED_ALGORITHM = {
	{BY_ALICE, .cred = &C.alice, .method = IKE_AUTH_DIGITAL_SIGNATURE, .alg = ALG_ECDSA_SHA1,
	 .alg_len = sizeof(ALG_ECDSA_SHA1), .md = "SHA1"},
	false, "auth_sig_unsupported"};
/* DSS (method 3) is refused as unsupported. */
static const struct reject UNSUPPORTED_METHOD = {
	{BY_ALICE, .cred = &C.alice, .method = IKE_AUTH_DSS, .md = "SHA256"}, false,
	"auth_sig_unsupported"};
static const struct reject MISSING_CERT = {
	{BY_ALICE, .cred = &C.alice, .no_cert = true, ECDSA_SHA256, .md = "SHA256"}, false,
	"auth_cert_missing"};
/* A truncated certificate. */
static const struct reject BAD_CERT = {
	{BY_ALICE, .cred = &C.alice, ECDSA_SHA256, .md = "SHA256"}, true, "auth_cert_bad"};

/* Runs the refusal cmocka hands in as the test's state. */
static void
test_reject(void **state)
{
	const struct reject *r = *state;
	struct how h = r->h;
	struct ike_msg m;
	struct ti t;

	if (r->short_cert) {
		h.cert = h.cred->der;
		h.cert_len = h.cred->der_len - 1;
	}
	cert_run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	cert_expect_failed(&m, r->counter);
	ti_fini(&t);
}

#define T_REJECT(name, r) {name, test_reject, cert_setup_ec, cert_teardown, (void *)&(r)}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T_REJECT("test_untrusted", UNTRUSTED),
		T_REJECT("test_id_mismatch", ID_MISMATCH),
		T_REJECT("test_wildcard_id_mismatch", WILDCARD_ID_MISMATCH),
		T_REJECT("test_bad_signature", BAD_SIGNATURE),
		T_REJECT("test_signature_hash_mismatch", SIGNATURE_HASH_MISMATCH),
		T_REJECT("test_unsupported_algorithm", UNSUPPORTED_ALGORITHM),
		T_REJECT("test_unsupported_method", UNSUPPORTED_METHOD),
		T_REJECT("test_missing_cert", MISSING_CERT),
		T_REJECT("test_bad_cert", BAD_CERT),
	};

	return cmocka_run_group_tests_name("cert-reject", tests, cert_group_setup,
					   cert_group_teardown);
}
