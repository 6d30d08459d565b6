/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fixture of the certificate tests (test_cert*.c): a CA, leaf
 * certificates and keys made with OpenSSL (EVP, X509) into a temporary
 * directory once per group; a certificate responder per test in E
 * (core_env); an initiator that signs with OpenSSL directly, and a check
 * of the responder's CERT and AUTH with OpenSSL too, so neither side of a
 * signature goes through the crypto driver alone.
 */
#ifndef CERT_ENV_H
#define CERT_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core_env.h"

/* RFC 7427 Appendix A. */
static const uint8_t ALG_RSA_SHA256[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
					 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
static const uint8_t ALG_ECDSA_SHA1[] = {0x30, 0x09, 0x06, 0x07, 0x2a, 0x86,
					 0x48, 0xce, 0x3d, 0x04, 0x01};
static const uint8_t ALG_ECDSA_SHA256[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
					   0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
static const uint8_t ALG_ECDSA_SHA384[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
					   0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
static const uint8_t ALG_PSS_SHA256[] = {
	0x30, 0x46, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x39,
	0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
	0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
	0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
	0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20, 0xa3, 0x03, 0x02, 0x01, 0x01};
/* RFC 7427 4 / RFC 8247 3.2: SHA2-256, SHA2-384, SHA2-512 (+ RFC 8420 Identity). */
static const uint8_t HASHES_SHA2[] = {0, 2, 0, 3, 0, 4};
static const uint8_t HASHES_SHA384[] = {0, 3};
static const uint8_t HASHES_ALL[] = {0, 2, 0, 3, 0, 4, 0, 5};

/* A key with its certificate: DER and subject name as DER. */
struct cred {
	EVP_PKEY *key;
	X509 *cert;
	uint8_t der[2048];
	size_t der_len;
	uint8_t dn[512];
	size_t dn_len;
};

struct cert_env {
	char dir[64];
	char ca_path[96];
	char key_path[2][96];
	struct cred ca, ca2, alice, bob, carol, mallory, resp_ec, resp_rsa;
	struct cry_privkey *resp_key[2]; /* EC, RSA */
	uint8_t certreq[2 * 20];         /* SHA-1 of the SPKI of ca, then ca2 */
};

/* The credentials; the responder is in E (core_env). */
extern struct cert_env C;

/* How the initiator authenticates. */
struct how {
	uint8_t id_type;
	const void *id;
	size_t id_len;
	const struct cred *cred;  /* signs, and its certificate goes in CERT */
	const uint8_t *cert;      /* other CERT data (NULL: cred's; no_cert: none) */
	size_t cert_len;
	bool no_cert;
	uint8_t method;
	const uint8_t *alg;       /* method 14: the AlgorithmIdentifier */
	size_t alg_len;
	const char *md;           /* NULL: Ed25519 */
	bool pss;
	int raw_width;            /* methods 9/10: r | s of this width */
	bool corrupt;             /* flip a bit of the signature */
};

/* cmocka group fixtures: env_open() and the credentials; their removal. */
int cert_group_setup(void **state);
int cert_group_teardown(void **state);
/* cmocka test fixtures: a responder with the EC or the RSA certificate in E.a; its removal. */
int cert_setup_ec(void **state);
int cert_setup_rsa(void **state);
int cert_teardown(void **state);

/* IKE_SA_INIT (with N(SIGNATURE_HASH_ALGORITHMS) when hashes_len), IKE_AUTH as h; *m: answer. */
void cert_run(struct ti *t, const uint8_t *hashes, size_t hashes_len, const struct how *h,
	      struct ike_msg *m);
/* The responder's IDr, CERT (ours) and AUTH (method, alg, md; raw_width: r | s) in m. */
/*
 * cert_run() with one empty IKE_INTERMEDIATE (RFC 9242) between the
 * exchanges; bind: IDi's AUTH covers IntAuth, and cert_check_responder()
 * expects the responder's to, until cert_int_auth_clear().
 */
void cert_run_intermediate(struct ti *t, const uint8_t *hashes, size_t hashes_len,
			   const struct how *h, struct ike_msg *m, bool bind);
void cert_int_auth_clear(void);
void cert_check_responder(struct ti *t, const struct ike_msg *m, const struct cred *ours,
			  uint8_t method, const uint8_t *alg, size_t alg_len, const char *md,
			  int raw_width);
/* One IKE SA with one Child SA, nothing half-open. */
void cert_expect_established(void);
/* AUTHENTICATION_FAILED without AUTH or CERT; counter went to 1; no SA. */
void cert_expect_failed(const struct ike_msg *m, const char *counter);

#endif
