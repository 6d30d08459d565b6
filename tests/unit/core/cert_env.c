/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fixture of the certificate tests (see cert_env.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cert_env.h"
#include "ike_int_auth.h"

struct cert_env C;

/* ---- credentials, made once per run ---------------------------------------------------- */

static void
add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, v3, nid, value);

	assert_non_null(e);
	assert_int_equal(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
}

/* Issues c's certificate, signed by issuer (NULL: self-signed CA). */
static void
issue(struct cred *c, const char *cn, const char *san, const struct cred *issuer)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);
	X509V3_CTX v3;
	uint8_t *p;
	int len;

	assert_int_equal(X509_set_version(x, 2), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const uint8_t *)"ikefarm test", -1, -1,
				   0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const uint8_t *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer->cert) : n);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, c->key);
	X509V3_set_ctx(&v3, issuer != NULL ? issuer->cert : x, x, NULL, NULL, 0);
	if (issuer == NULL) {
		add_ext(x, &v3, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		add_ext(x, &v3, NID_basic_constraints, "CA:FALSE");
		add_ext(x, &v3, NID_subject_alt_name, san);
	}
	assert_true(X509_sign(x, issuer != NULL ? issuer->key : c->key, EVP_sha256()) > 0);
	c->cert = x;
	len = i2d_X509(x, NULL);
	assert_true(len > 0 && (size_t)len <= sizeof(c->der));
	p = c->der;
	c->der_len = (size_t)i2d_X509(x, &p);
	len = i2d_X509_NAME(X509_get_subject_name(x), NULL);
	assert_true(len > 0 && (size_t)len <= sizeof(c->dn));
	p = c->dn;
	c->dn_len = (size_t)i2d_X509_NAME(X509_get_subject_name(x), &p);
}

static void
write_key(const char *path, EVP_PKEY *k)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
}

/* RFC 7296 3.7: a CERTREQ names a CA by the SHA-1 of its SubjectPublicKeyInfo. */
static void
spki_sha1(EVP_PKEY *k, uint8_t out[20])
{
	uint8_t *der = NULL;
	int len = i2d_PUBKEY(k, &der);

	assert_true(len > 0);
	assert_non_null(SHA1(der, (size_t)len, out));
	OPENSSL_free(der);
}

static void
cred_free(struct cred *c)
{
	X509_free(c->cert);
	EVP_PKEY_free(c->key);
}

int
cert_group_setup(void **state)
{
	FILE *f;

	(void)state;
	if (env_open() != 0)
		return -1;
	memset(&C, 0, sizeof(C));
	strcpy(C.dir, "/tmp/ikefarm-cert-XXXXXX");
	if (mkdtemp(C.dir) == NULL)
		return -1;
	C.ca.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	C.ca2.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	C.alice.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	C.bob.key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	C.carol.key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	C.mallory.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	C.resp_ec.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	C.resp_rsa.key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	issue(&C.ca, "ikefarm test CA", NULL, NULL);
	issue(&C.ca2, "some other CA", NULL, NULL);
	issue(&C.alice, "alice", "email:alice@example.com,DNS:alice.example.com", &C.ca);
	issue(&C.bob, "bob", "DNS:bob.example.com,IP:192.0.2.10", &C.ca);
	issue(&C.carol, "carol", "DNS:carol.example.com", &C.ca);
	issue(&C.mallory, "alice", "email:alice@example.com", &C.ca2);
	issue(&C.resp_ec, "vpn.example.net", "DNS:vpn.example.net", &C.ca);
	issue(&C.resp_rsa, "vpn-rsa.example.net", "DNS:vpn-rsa.example.net", &C.ca);
	spki_sha1(C.ca.key, C.certreq);
	spki_sha1(C.ca2.key, C.certreq + 20);
	snprintf(C.ca_path, sizeof(C.ca_path), "%s/ca.pem", C.dir);
	f = fopen(C.ca_path, "w");
	if (f == NULL || PEM_write_X509(f, C.ca.cert) != 1)
		return -1;
	fclose(f);
	snprintf(C.key_path[0], sizeof(C.key_path[0]), "%s/resp_ec.pem", C.dir);
	snprintf(C.key_path[1], sizeof(C.key_path[1]), "%s/resp_rsa.pem", C.dir);
	write_key(C.key_path[0], C.resp_ec.key);
	write_key(C.key_path[1], C.resp_rsa.key);
	/* What the daemon does: trust store and our key from PEM files. */
	C.resp_key[0] = cry_openssl_privkey_load(C.key_path[0]);
	C.resp_key[1] = cry_openssl_privkey_load(C.key_path[1]);
	if (C.resp_key[0] == NULL || C.resp_key[1] == NULL ||
	    cry_openssl_set_trust(E.ossl, C.ca_path) != IKE_OK)
		return -1;
	return 0;
}

int
cert_group_teardown(void **state)
{
	struct cred *all[] = {&C.ca, &C.ca2, &C.alice, &C.bob, &C.carol, &C.mallory,
			      &C.resp_ec, &C.resp_rsa};

	(void)state;
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		cred_free(all[i]);
	cry_openssl_privkey_free(C.resp_key[0]);
	cry_openssl_privkey_free(C.resp_key[1]);
	env_close();
	unlink(C.ca_path);
	unlink(C.key_path[0]);
	unlink(C.key_path[1]);
	rmdir(C.dir);
	return 0;
}

/* ---- the responder ------------------------------------------------------------------------ */

/* alice and bob by identity, anyone else certified by the CA through the wildcard. */
static void
cfg_cert(struct cred *ours, unsigned key)
{
	struct ike_core_cfg *cfg = &E.cfg;

	env_cfg_base(cfg);
	cfg->max_ike_sas = 16;
	cfg->max_half_open = 8;
	cfg->local_key = C.resp_key[key];
	cfg->local_cert_der = ours->der;
	cfg->local_cert_len = ours->der_len;
	cfg->certreq_ca_keyids = C.certreq;
	cfg->certreq_ca_keyids_len = sizeof(C.certreq);
	memset(E.peers, 0, sizeof(E.peers));
	E.peers[0].id_type = IKE_ID_RFC822_ADDR;
	E.peers[0].id_len = sizeof(ALICE) - 1;
	memcpy(E.peers[0].id, ALICE, sizeof(ALICE) - 1);
	E.peers[0].auth = IKE_CRED_PUBKEY;
	E.peers[1].id_type = IKE_ID_FQDN;
	E.peers[1].id_len = sizeof(BOB) - 1;
	memcpy(E.peers[1].id, BOB, sizeof(BOB) - 1);
	E.peers[1].auth = IKE_CRED_PUBKEY;
	E.peers[2].auth = IKE_CRED_PUBKEY;
	E.peers[2].any_id = true;
	cfg->peers = E.peers;
	cfg->nb_peers = 3;
}

/* A fresh shard for each test; the credentials stay for the whole group. */
static int
shard_up(void)
{
	E.n_inst = 0;
	return env_shard_up(&E.a, 1);
}

int
cert_setup_ec(void **state)
{
	(void)state;
	cfg_cert(&C.resp_ec, 0);
	return shard_up();
}

int
cert_setup_rsa(void **state)
{
	(void)state;
	cfg_cert(&C.resp_rsa, 1);
	return shard_up();
}

int
cert_teardown(void **state)
{
	(void)state;
	env_shard_down(&E.a);
	return 0;
}

/* ---- the initiator ------------------------------------------------------------------------ */

/* RFC 9242: one empty IKE_INTERMEDIATE before IKE_AUTH, and the IntAuth both AUTHs then cover. */
static bool want_intermediate;
static uint8_t int_auth[IKE_INT_AUTH_MAX];
static size_t int_auth_len;

/* IKE_SA_INIT, optionally with N(SIGNATURE_HASH_ALGORITHMS); checks the answer's notify. */
static void
do_init(struct ti *t, const uint8_t *hashes, size_t hashes_len)
{
	static const uint8_t ours[] = {0, 2, 0, 3, 0, 4, 0, 5};
	const struct ike_pld *p;
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	uint8_t buf[ENV_BUF];
	struct ike_msg m;
	size_t len;

	ti_init(t, &E.ops);
	t->intermediate = want_intermediate;
	if (hashes_len)
		memcpy(t->sig_hashes, hashes, hashes_len);
	t->sig_hashes_len = hashes_len;
	env_ike_sa(&sa, IKE_KE_ECP256);
	len = ti_sa_init(t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_true(len > 0);
	assert_int_equal(env_feed(E.a.s, t, buf, len), 1);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	p = ike_msg_find_notify(&m, IKE_N_SIGNATURE_HASH_ALGORITHMS);
	if (hashes_len == 0) {
		assert_null(p);
	} else {
		/* RFC 7427 4: our list answers theirs (SHA2-256/384/512, Identity). */
		assert_non_null(p);
		assert_int_equal(ike_pld_notify_parse(ike_msg_pld_body(&m, p), p->len, &n),
				 IKE_PARSE_OK);
		assert_int_equal(n.len, sizeof(ours));
		assert_memory_equal(n.data, ours, sizeof(ours));
	}
	/* RFC 7296 1.2, 3.7: CERTREQ, X.509 signature encoding, our CAs' key hashes. */
	p = ike_msg_find(&m, IKE_PLD_CERTREQ, 0);
	assert_non_null(p);
	assert_int_equal(p->len, 1 + sizeof(C.certreq));
	assert_int_equal(ike_msg_pld_body(&m, p)[0], IKE_CERT_X509_SIGNATURE);
	assert_memory_equal(ike_msg_pld_body(&m, p) + 1, C.certreq, sizeof(C.certreq));
	assert_int_equal(ti_sa_init_done(t, E.out, E.out_len, &XF_STD), 0);
}

/* DER ECDSA-Sig-Value -> r | s (RFC 4754 7). */
static size_t
ecdsa_raw(const uint8_t *der, size_t len, int width, uint8_t *out)
{
	const uint8_t *p = der;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)len);
	const BIGNUM *r, *s;

	assert_non_null(es);
	ECDSA_SIG_get0(es, &r, &s);
	assert_int_equal(BN_bn2binpad(r, out, width), width);
	assert_int_equal(BN_bn2binpad(s, out + width, width), width);
	ECDSA_SIG_free(es);
	return 2 * (size_t)width;
}

static size_t
sign_ossl(EVP_PKEY *k, const char *md, bool pss, const uint8_t *data, size_t len, uint8_t *sig,
	  size_t cap)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc = NULL;
	size_t n = cap;

	assert_int_equal(EVP_DigestSignInit_ex(m, &pc, md, NULL, NULL, k, NULL), 1);
	if (pss) {
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST), 1);
	}
	assert_int_equal(EVP_DigestSign(m, sig, &n, data, len), 1);
	EVP_MD_CTX_free(m);
	return n;
}

/* IKE_AUTH { IDi, [CERT], CERTREQ, AUTH, SA, TSi, TSr } --> */
static size_t
auth_req(struct ti *t, uint8_t *buf, const struct how *h)
{
	static uint8_t octets[4096];
	uint8_t idb[4 + 512], auth[1 + 80 + 1024], sig[1024], certreq[20];
	struct ike_auth_octets_input in;
	size_t olen, slen, alen = 0;
	struct ike_mb mb;

	env_idb(idb, h->id_type, h->id, h->id_len);
	in = ti_initiator_auth_input(t, idb, 4 + h->id_len);
	in.int_auth = int_auth_len != 0 ? int_auth : NULL;
	in.int_auth_len = int_auth_len;
	assert_int_equal(ike_auth_octets(t->ops, t->suite.prf, t->keys.sk_pi, t->suite.prf_len,
					 &in, octets, sizeof(octets), &olen),
			 IKE_OK);
	slen = sign_ossl(h->cred->key, h->md, h->pss, octets, olen, sig, sizeof(sig));
	if (h->method == IKE_AUTH_DIGITAL_SIGNATURE) {
		auth[0] = (uint8_t)h->alg_len;
		memcpy(auth + 1, h->alg, h->alg_len);
		alen = 1 + h->alg_len;
	}
	if (h->raw_width != 0)
		slen = ecdsa_raw(sig, slen, h->raw_width, auth + alen);
	else
		memcpy(auth + alen, sig, slen);
	alen += slen;
	if (h->corrupt)
		auth[alen - 5] ^= 0x01;
	ti_begin(t, &mb, buf, ENV_BUF, IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, h->id_type, h->id, h->id_len);
	if (!h->no_cert)
		ike_mb_add_cert(&mb, IKE_CERT_X509_SIGNATURE,
				h->cert != NULL ? h->cert : h->cred->der,
				h->cert != NULL ? h->cert_len : h->cred->der_len);
	/* RFC 7296 3.7: SHA-1 of a trusted CA's key; the responder ignores the content. */
	memset(certreq, 0xc4, sizeof(certreq));
	ike_mb_add_certreq(&mb, IKE_CERT_X509_SIGNATURE, certreq, sizeof(certreq));
	ike_mb_add_auth(&mb, h->method, auth, alen);
	env_add_child(&mb, true);
	return ti_end(t, &mb);
}

/*
 * HDR(MID 1), SK {} --> <-- HDR(MID 1), SK {}: IntAuth_i1 / IntAuth_r1
 * over the two messages (A = header and SK header; P empty), computed here
 * with the test initiator's SK_pi / SK_pr.
 */
static void
intermediate(struct ti *t, bool bind)
{
	uint8_t buf[ENV_BUF], scratch[256], ia_i[CRY_MAX_PRF_LEN], ia_r[CRY_MAX_PRF_LEN];
	struct ike_msg m;
	struct ike_mb mb;
	size_t len;

	ti_begin(t, &mb, buf, sizeof(buf), IKE_EXCH_IKE_INTERMEDIATE);
	len = ti_end(t, &mb);
	assert_true(len > 0);
	assert_int_equal(ike_int_auth_step(t->ops, t->suite.prf, t->keys.sk_pi, t->suite.prf_len,
					   true, ia_i, buf, IKE_HDR_LEN + 4, NULL, 0, scratch,
					   sizeof(scratch)),
			 IKE_OK);
	assert_int_equal(env_feed(E.a.s, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_int_equal(m.exchange, IKE_EXCH_IKE_INTERMEDIATE);
	assert_null(ike_msg_find(&m, IKE_PLD_KE, 0)); /* an empty answer */
	assert_int_equal(ike_int_auth_step(t->ops, t->suite.prf, t->keys.sk_pr, t->suite.prf_len,
					   true, ia_r, E.out, IKE_HDR_LEN + 4, NULL, 0, scratch,
					   sizeof(scratch)),
			 IKE_OK);
	/* IKE_AUTH is message 2. */
	int_auth_len = bind ? ike_int_auth_chunk(ia_i, ia_r, t->suite.prf_len, 2, int_auth) : 0;
}

void
cert_run_intermediate(struct ti *t, const uint8_t *hashes, size_t hashes_len, const struct how *h,
		      struct ike_msg *m, bool bind)
{
	uint8_t buf[ENV_BUF];
	size_t len;

	want_intermediate = true;
	do_init(t, hashes, hashes_len);
	want_intermediate = false;
	intermediate(t, bind);
	len = auth_req(t, buf, h);
	assert_true(len > 0);
	assert_int_equal(env_feed(E.a.s, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, m), 0);
}

void
cert_int_auth_clear(void)
{
	int_auth_len = 0;
}

/* Runs both exchanges; the IKE_AUTH response is opened into *m. */
void
cert_run(struct ti *t, const uint8_t *hashes, size_t hashes_len, const struct how *h,
	 struct ike_msg *m)
{
	uint8_t buf[ENV_BUF];
	size_t len;

	do_init(t, hashes, hashes_len);
	len = auth_req(t, buf, h);
	assert_true(len > 0);
	assert_int_equal(env_feed(E.a.s, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, m), 0);
}

static const struct ike_pld *
pld(const struct ike_msg *m, uint8_t type)
{
	const struct ike_pld *p = ike_msg_find(m, type, 0);

	assert_non_null(p);
	return p;
}

/*
 * The responder's IDr, CERT and AUTH, checked with OpenSSL: IDr is the
 * subject of the certificate it sent, the certificate is ours, and AUTH
 * verifies over ResponderSignedOctets with the certificate's key.
 */
void
cert_check_responder(struct ti *t, const struct ike_msg *m, const struct cred *ours, uint8_t method,
		     const uint8_t *alg, size_t alg_len, const char *md, int raw_width)
{
	static uint8_t octets[4096];
	const struct ike_pld *idr_p = pld(m, IKE_PLD_IDR);
	const struct ike_pld *cert_p = pld(m, IKE_PLD_CERT);
	const struct ike_pld *auth_p = pld(m, IKE_PLD_AUTH);
	struct ike_auth_octets_input in =
		ti_responder_auth_input(t, ike_msg_pld_body(m, idr_p), idr_p->len);
	struct ike_pld_cert cert;
	struct ike_pld_auth auth;
	struct ike_pld_id idr;
	const uint8_t *sig, *p;
	uint8_t der[256];
	size_t olen, sig_len;
	EVP_MD_CTX *mctx;
	X509 *x;

	assert_int_equal(ike_pld_id_parse(ike_msg_pld_body(m, idr_p), idr_p->len, &idr),
			 IKE_PARSE_OK);
	assert_int_equal(idr.type, IKE_ID_DER_ASN1_DN);
	assert_int_equal(idr.len, ours->dn_len);
	assert_memory_equal(idr.data, ours->dn, ours->dn_len);
	assert_int_equal(ike_pld_cert_parse(ike_msg_pld_body(m, cert_p), cert_p->len, &cert),
			 IKE_PARSE_OK);
	assert_int_equal(cert.encoding, IKE_CERT_X509_SIGNATURE);
	p = cert.data;
	x = d2i_X509(NULL, &p, (long)cert.len);
	assert_non_null(x);
	assert_int_equal(X509_cmp(x, ours->cert), 0);
	assert_int_equal(ike_pld_auth_parse(ike_msg_pld_body(m, auth_p), auth_p->len, &auth),
			 IKE_PARSE_OK);
	assert_int_equal(auth.method, method);
	sig = auth.sig;
	sig_len = auth.sig_len;
	if (method == IKE_AUTH_DIGITAL_SIGNATURE) {
		assert_int_equal(auth.sig_alg_len, alg_len);
		assert_memory_equal(auth.sig_alg, alg, alg_len);
	}
	if (raw_width != 0) {
		/* r | s -> DER for OpenSSL */
		ECDSA_SIG *es = ECDSA_SIG_new();
		uint8_t *w = der;

		assert_int_equal(sig_len, 2 * (size_t)raw_width);
		ECDSA_SIG_set0(es, BN_bin2bn(sig, raw_width, NULL),
			       BN_bin2bn(sig + raw_width, raw_width, NULL));
		sig_len = (size_t)i2d_ECDSA_SIG(es, &w);
		sig = der;
		ECDSA_SIG_free(es);
	}
	in.int_auth = int_auth_len != 0 ? int_auth : NULL;
	in.int_auth_len = int_auth_len;
	assert_int_equal(ike_auth_octets(t->ops, t->suite.prf, t->keys.sk_pr, t->suite.prf_len,
					 &in, octets, sizeof(octets), &olen),
			 IKE_OK);
	mctx = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestVerifyInit_ex(mctx, NULL, md, NULL, NULL, X509_get0_pubkey(x),
						 NULL),
			 1);
	assert_int_equal(EVP_DigestVerify(mctx, sig, sig_len, octets, olen), 1);
	/* and not over other octets */
	octets[olen / 2] ^= 1;
	assert_int_equal(EVP_DigestVerifyInit_ex(mctx, NULL, md, NULL, NULL, X509_get0_pubkey(x),
						 NULL),
			 1);
	assert_int_not_equal(EVP_DigestVerify(mctx, sig, sig_len, octets, olen), 1);
	EVP_MD_CTX_free(mctx);
	X509_free(x);
}

void
cert_expect_established(void)
{
	assert_int_equal(env_ctr(E.a.s, "auth_ok"), 1);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	assert_int_equal(E.n_inst, 1);
}

void
cert_expect_failed(const struct ike_msg *m, const char *counter)
{
	const struct ike_pld *p = ike_msg_find_notify(m, IKE_N_AUTHENTICATION_FAILED);

	assert_non_null(p);
	assert_null(ike_msg_find(m, IKE_PLD_AUTH, 0));
	assert_null(ike_msg_find(m, IKE_PLD_CERT, 0));
	assert_int_equal(env_ctr(E.a.s, counter), 1);
	assert_int_equal(env_ctr(E.a.s, "auth_ok"), 0);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 0);
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	assert_int_equal(E.n_inst, 0);
}
