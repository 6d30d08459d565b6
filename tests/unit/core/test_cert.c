/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Certificate authentication of the responder core (RFC 7296 2.15, 3.6-3.8;
 * RFC 7427; RFC 4754) against a test-side initiator, with real crypto.
 * The CA, the leaf certificates and keys are made here with OpenSSL (EVP,
 * X509) into a temporary directory; the initiator signs with OpenSSL
 * directly, and the responder's CERT and AUTH are checked with OpenSSL too,
 * so neither side of a signature goes through the crypto driver alone.
 * AlgorithmIdentifier octets are copied from RFC 7427 Appendix A.
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

#include "core_ti.h"
#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_core.h"
#include "ike_x509.h"

#define NTX 4
#define BUF 4096

static const uint8_t ALICE[] = "alice@example.com";
static const uint8_t BOB[] = "bob.example.com";
static const uint8_t CHILD_SPI[4] = {0x11, 0x22, 0x33, 0x44};

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

static struct {
	char dir[64];
	char ca_path[96];
	char key_path[2][96];
	struct cred ca, ca2, alice, bob, carol, mallory, resp_ec, resp_rsa;
	struct cry_privkey *resp_key[2]; /* EC, RSA */
	uint8_t certreq[2 * 20];         /* SHA-1 of the SPKI of ca, then ca2 */
	struct cry_openssl *ossl;
	struct cry_ipsecmb *imb;
	struct cry_ops ops;
	struct ike_core_cfg cfg;
	struct ike_peer_cfg peers[3];
	void *mem;
	struct ike_shard *s;
	unsigned n_inst;
	uint8_t txbuf[NTX][BUF];
	struct ike_tx tx[NTX];
	uint8_t out[BUF];
	size_t out_len;
} E;

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

static int
group_setup(void **state)
{
	FILE *f;

	(void)state;
	memset(&E, 0, sizeof(E));
	strcpy(E.dir, "/tmp/ikefarm-cert-XXXXXX");
	if (mkdtemp(E.dir) == NULL)
		return -1;
	E.ca.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	E.ca2.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	E.alice.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	E.bob.key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	E.carol.key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	E.mallory.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	E.resp_ec.key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	E.resp_rsa.key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	issue(&E.ca, "ikefarm test CA", NULL, NULL);
	issue(&E.ca2, "some other CA", NULL, NULL);
	issue(&E.alice, "alice", "email:alice@example.com,DNS:alice.example.com", &E.ca);
	issue(&E.bob, "bob", "DNS:bob.example.com,IP:192.0.2.10", &E.ca);
	issue(&E.carol, "carol", "DNS:carol.example.com", &E.ca);
	issue(&E.mallory, "alice", "email:alice@example.com", &E.ca2);
	issue(&E.resp_ec, "vpn.example.net", "DNS:vpn.example.net", &E.ca);
	issue(&E.resp_rsa, "vpn-rsa.example.net", "DNS:vpn-rsa.example.net", &E.ca);
	spki_sha1(E.ca.key, E.certreq);
	spki_sha1(E.ca2.key, E.certreq + 20);
	snprintf(E.ca_path, sizeof(E.ca_path), "%s/ca.pem", E.dir);
	f = fopen(E.ca_path, "w");
	if (f == NULL || PEM_write_X509(f, E.ca.cert) != 1)
		return -1;
	fclose(f);
	snprintf(E.key_path[0], sizeof(E.key_path[0]), "%s/resp_ec.pem", E.dir);
	snprintf(E.key_path[1], sizeof(E.key_path[1]), "%s/resp_rsa.pem", E.dir);
	write_key(E.key_path[0], E.resp_ec.key);
	write_key(E.key_path[1], E.resp_rsa.key);
	/* What the daemon does: trust store and our key from PEM files. */
	E.resp_key[0] = cry_openssl_privkey_load(E.key_path[0]);
	E.resp_key[1] = cry_openssl_privkey_load(E.key_path[1]);
	E.ossl = cry_openssl_create();
	E.imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	if (E.resp_key[0] == NULL || E.resp_key[1] == NULL || E.ossl == NULL || E.imb == NULL ||
	    cry_openssl_set_trust(E.ossl, E.ca_path) != IKE_OK)
		return -1;
	cry_openssl_bind(E.ossl, &E.ops);
	cry_ipsecmb_bind(E.imb, &E.ops);
	return 0;
}

static int
group_teardown(void **state)
{
	struct cred *all[] = {&E.ca, &E.ca2, &E.alice, &E.bob, &E.carol, &E.mallory,
			      &E.resp_ec, &E.resp_rsa};

	(void)state;
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		cred_free(all[i]);
	cry_openssl_privkey_free(E.resp_key[0]);
	cry_openssl_privkey_free(E.resp_key[1]);
	cry_ipsecmb_destroy(E.imb);
	cry_openssl_destroy(E.ossl);
	unlink(E.ca_path);
	unlink(E.key_path[0]);
	unlink(E.key_path[1]);
	rmdir(E.dir);
	return 0;
}

/* ---- the responder ------------------------------------------------------------------------ */

static void
child_cb(void *arg, const struct ike_child_info *c)
{
	(void)arg;
	if (c->install)
		E.n_inst++;
}

static uint64_t
ctr(const char *name)
{
	const uint64_t *c = ike_shard_counters(E.s);

	for (unsigned i = 0; i < ike_counter_count(); i++)
		if (strcmp(ike_counter_name(i), name) == 0)
			return c[i];
	fail_msg("no counter %s", name);
	return 0;
}

/* alice and bob by identity, anyone else certified by the CA through the wildcard. */
static void
cfg_cert(struct cred *ours, unsigned key)
{
	struct ike_core_cfg *cfg = &E.cfg;

	memset(cfg, 0, sizeof(*cfg));
	cfg->max_ike_sas = 16;
	cfg->max_half_open = 8;
	cfg->ike_suites[0] = (struct ike_suite_cfg){IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
						    0, IKE_KE_ECP256};
	cfg->nb_ike_suites = 1;
	cfg->esp_suites[0] = (struct ike_suite_cfg){IKE_ENCR_AES_GCM_16, 128, 0, 0, 0};
	cfg->nb_esp_suites = 1;
	cfg->local_key = E.resp_key[key];
	cfg->local_cert_der = ours->der;
	cfg->local_cert_len = ours->der_len;
	cfg->certreq_ca_keyids = E.certreq;
	cfg->certreq_ca_keyids_len = sizeof(E.certreq);
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
	cfg->ts_start.family = 4;
	memcpy(cfg->ts_start.ip, (uint8_t[]){10, 0, 0, 0}, 4);
	cfg->ts_end.family = 4;
	memcpy(cfg->ts_end.ip, (uint8_t[]){10, 0, 255, 255}, 4);
	cfg->half_open_timeout_ms = 30000;
	cfg->response_cache_ms = 60000;
	cfg->ike_lifetime_s = 3600;
	cfg->cookie_threshold = 8;
}

static int
shard_up(void)
{
	size_t sz = ike_shard_mem_size(&E.cfg);

	E.mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	E.s = ike_shard_init(E.mem, &E.cfg, 1, &E.ops, child_cb, NULL);
	E.n_inst = 0;
	return E.s == NULL ? -1 : 0;
}

static int
setup_ec(void **state)
{
	(void)state;
	cfg_cert(&E.resp_ec, 0);
	return shard_up();
}

static int
setup_rsa(void **state)
{
	(void)state;
	cfg_cert(&E.resp_rsa, 1);
	return shard_up();
}

static int
teardown(void **state)
{
	(void)state;
	ike_shard_fini(E.s);
	free(E.mem);
	E.s = NULL;
	return 0;
}

static unsigned
feed(const struct ti *t, const uint8_t *msg, size_t len)
{
	static uint8_t in[BUF];
	struct ike_rx rx;
	unsigned n;

	memcpy(in, msg, len);
	rx.data = in;
	rx.len = (uint16_t)len;
	rx.local = t->peer;
	rx.remote = t->me;
	for (unsigned i = 0; i < NTX; i++) {
		E.tx[i].data = E.txbuf[i];
		E.tx[i].cap = BUF;
	}
	n = ike_shard_rx_burst(E.s, &rx, 1, E.tx, NTX, 1000);
	E.out_len = 0;
	if (n > 0) {
		memcpy(E.out, E.tx[0].data, E.tx[0].len);
		E.out_len = E.tx[0].len;
	}
	return n;
}

/* ---- the initiator ------------------------------------------------------------------------ */

static const struct ike_transforms XF = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, 0,
					 IKE_KE_ECP256};

/* IKE_SA_INIT, optionally with N(SIGNATURE_HASH_ALGORITHMS); checks the answer's notify. */
static void
do_init(struct ti *t, const uint8_t *hashes, size_t hashes_len)
{
	static const uint8_t ours[] = {0, 2, 0, 3, 0, 4, 0, 5};
	const struct ike_pld *p;
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	uint8_t buf[BUF];
	struct ike_msg m;
	size_t len;

	ti_init(t, &E.ops);
	if (hashes_len)
		memcpy(t->sig_hashes, hashes, hashes_len);
	t->sig_hashes_len = hashes_len;
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_IKE, NULL, 0);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ti_xf(&sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
	len = ti_sa_init(t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_true(len > 0);
	assert_int_equal(feed(t, buf, len), 1);
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
	assert_int_equal(p->len, 1 + sizeof(E.certreq));
	assert_int_equal(ike_msg_pld_body(&m, p)[0], IKE_CERT_X509_SIGNATURE);
	assert_memory_equal(ike_msg_pld_body(&m, p) + 1, E.certreq, sizeof(E.certreq));
	assert_int_equal(ti_sa_init_done(t, E.out, E.out_len, &XF), 0);
}

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
	static const uint8_t lo[4] = {0, 0, 0, 0}, hi[4] = {255, 255, 255, 255};
	static uint8_t octets[4096];
	uint8_t idb[4 + 512], auth[1 + 80 + 1024], sig[1024], certreq[20];
	struct ike_auth_octets_input in = {
		.real_msg = t->req,
		.real_msg_len = t->req_len,
		.peer_nonce = t->nr,
		.peer_nonce_len = t->nr_len,
		.id = idb,
		.id_len = 4 + h->id_len,
	};
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;
	size_t olen, slen, alen = 0;
	struct ike_mb mb;

	memset(idb, 0, 4);
	idb[0] = h->id_type;
	memcpy(idb + 4, h->id, h->id_len);
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
	ti_begin(t, &mb, buf, BUF, IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, h->id_type, h->id, h->id_len);
	if (!h->no_cert)
		ike_mb_add_cert(&mb, IKE_CERT_X509_SIGNATURE, h->cert != NULL ? h->cert : h->cred->der,
				h->cert != NULL ? h->cert_len : h->cred->der_len);
	/* RFC 7296 3.7: SHA-1 of a trusted CA's key; the responder ignores the content. */
	memset(certreq, 0xc4, sizeof(certreq));
	ike_mb_add_certreq(&mb, IKE_CERT_X509_SIGNATURE, certreq, sizeof(certreq));
	ike_mb_add_auth(&mb, h->method, auth, alen);
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_ESP, CHILD_SPI, 4);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128);
	ti_xf(&sa, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	ike_mb_add_sa(&mb, &sa);
	memset(&ts, 0, sizeof(ts));
	ts.n_ts = 1;
	ts.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	ts.ts[0].addr_len = 4;
	ts.ts[0].start_addr = lo;
	ts.ts[0].end_addr = hi;
	ike_mb_add_ts(&mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(&mb, IKE_PLD_TSR, &ts);
	return ti_end(t, &mb);
}

/* Runs both exchanges; the IKE_AUTH response is opened into *m. */
static void
run(struct ti *t, const uint8_t *hashes, size_t hashes_len, const struct how *h,
    struct ike_msg *m)
{
	uint8_t buf[BUF];
	size_t len;

	do_init(t, hashes, hashes_len);
	len = auth_req(t, buf, h);
	assert_true(len > 0);
	assert_int_equal(feed(t, buf, len), 1);
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
static void
check_responder(struct ti *t, const struct ike_msg *m, const struct cred *ours, uint8_t method,
		const uint8_t *alg, size_t alg_len, const char *md, int raw_width)
{
	static uint8_t octets[4096];
	const struct ike_pld *idr_p = pld(m, IKE_PLD_IDR);
	const struct ike_pld *cert_p = pld(m, IKE_PLD_CERT);
	const struct ike_pld *auth_p = pld(m, IKE_PLD_AUTH);
	struct ike_auth_octets_input in = {
		.real_msg = t->resp,
		.real_msg_len = t->resp_len,
		.peer_nonce = t->ni,
		.peer_nonce_len = sizeof(t->ni),
		.id = ike_msg_pld_body(m, idr_p),
		.id_len = idr_p->len,
	};
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

static void
expect_established(void)
{
	assert_int_equal(ctr("auth_ok"), 1);
	assert_int_equal(ike_shard_nb_sas(E.s), 1);
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	assert_int_equal(E.n_inst, 1);
}

static void
expect_failed(const struct ike_msg *m, const char *counter)
{
	const struct ike_pld *p = ike_msg_find_notify(m, IKE_N_AUTHENTICATION_FAILED);

	assert_non_null(p);
	assert_null(ike_msg_find(m, IKE_PLD_AUTH, 0));
	assert_null(ike_msg_find(m, IKE_PLD_CERT, 0));
	assert_int_equal(ctr(counter), 1);
	assert_int_equal(ctr("auth_ok"), 0);
	assert_int_equal(ike_shard_nb_sas(E.s), 0);
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	assert_int_equal(E.n_inst, 0);
}

/* ---- tests ------------------------------------------------------------------------------- */

/* ECDSA P-256 initiator by RFC822 identity; EC responder answers ecdsa-with-SHA256. */
static void
test_ecdsa_p256(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.alice, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256),
			"SHA256", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	check_responder(&t, &m, &E.resp_ec, IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256,
			sizeof(ALG_ECDSA_SHA256), "SHA256", 0);
	expect_established();
	ti_fini(&t);
}

/*
 * RSA-2048 initiator identified by its subject DN, accepted through the
 * wildcard entry; RSA responder answers sha256WithRSAEncryption.
 */
static void
test_rsa_dn_wildcard(void **state)
{
	struct how h = {IKE_ID_DER_ASN1_DN, E.bob.dn, E.bob.dn_len, &E.bob, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_RSA_SHA256, sizeof(ALG_RSA_SHA256),
			"SHA256", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	check_responder(&t, &m, &E.resp_rsa, IKE_AUTH_DIGITAL_SIGNATURE, ALG_RSA_SHA256,
			sizeof(ALG_RSA_SHA256), "SHA256", 0);
	expect_established();
	ti_fini(&t);
}

/* RSASSA-PSS (RFC 7427 A.4.3) by FQDN; the responder honours "SHA2-384 only". */
static void
test_rsa_pss_and_hash_choice(void **state)
{
	struct how h = {IKE_ID_FQDN, BOB, sizeof(BOB) - 1, &E.bob, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_PSS_SHA256, sizeof(ALG_PSS_SHA256),
			"SHA256", true, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA384, sizeof(HASHES_SHA384), &h, &m);
	check_responder(&t, &m, &E.resp_ec, IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA384,
			sizeof(ALG_ECDSA_SHA384), "SHA384", 0);
	expect_established();
	ti_fini(&t);
}

/* PSS parameters as OpenSSL encodes them (no trailerField): the parser takes them too. */
static void
test_rsa_pss_openssl_encoding(void **state)
{
	struct how h = {IKE_ID_FQDN, BOB, sizeof(BOB) - 1, &E.bob, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, NULL, 0, "SHA384", true, 0, false};
	EVP_PKEY_CTX *pc = NULL;
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	X509 *x = X509_dup(E.bob.cert);
	const X509_ALGOR *alg;
	uint8_t der[128], *p = der;
	struct ike_msg m;
	struct ti t;
	int n;

	(void)state;
	/* A certificate signed with PSS/SHA-384 carries OpenSSL's own AlgorithmIdentifier. */
	assert_int_equal(EVP_DigestSignInit(mctx, &pc, EVP_sha384(), NULL, E.bob.key), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST), 1);
	assert_true(X509_sign_ctx(x, mctx) > 0);
	X509_get0_signature(NULL, &alg, x);
	n = i2d_X509_ALGOR(alg, NULL);
	assert_true(n > 0 && n < (int)sizeof(der));
	i2d_X509_ALGOR(alg, &p);
	h.alg = der;
	h.alg_len = (size_t)n;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_established();
	EVP_MD_CTX_free(mctx);
	X509_free(x);
	ti_fini(&t);
}

/* Ed25519 (RFC 8420) through the wildcard by FQDN; AlgorithmIdentifier from its SPKI. */
static void
test_ed25519(void **state)
{
	static const uint8_t carol[] = "carol.example.com";
	struct how h = {IKE_ID_FQDN, carol, sizeof(carol) - 1, &E.carol, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, NULL, 0, NULL, false, 0, false};
	X509_ALGOR *alg = NULL;
	uint8_t der[32], *p = der;
	struct ike_msg m;
	struct ti t;
	int n;

	(void)state;
	assert_int_equal(X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg,
						X509_get_X509_PUBKEY(E.carol.cert)),
			 1);
	n = i2d_X509_ALGOR(alg, &p);
	assert_int_equal(n, 7);
	h.alg = der;
	h.alg_len = (size_t)n;
	run(&t, HASHES_ALL, sizeof(HASHES_ALL), &h, &m);
	check_responder(&t, &m, &E.resp_ec, IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256,
			sizeof(ALG_ECDSA_SHA256), "SHA256", 0);
	expect_established();
	ti_fini(&t);
}

/* No SIGNATURE_HASH_ALGORITHMS: ECDSA method 9 (RFC 4754) both ways. */
static void
test_legacy_ecdsa(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.alice, NULL, 0, false,
			IKE_AUTH_ECDSA_SHA256_P256, NULL, 0, "SHA256", false, 32, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, NULL, 0, &h, &m);
	check_responder(&t, &m, &E.resp_ec, IKE_AUTH_ECDSA_SHA256_P256, NULL, 0, "SHA256", 32);
	expect_established();
	ti_fini(&t);
}

/* No SIGNATURE_HASH_ALGORITHMS: RSA method 1 (RFC 7296 3.8, PKCS#1 v1.5 SHA-1) both ways. */
static void
test_legacy_rsa(void **state)
{
	struct how h = {IKE_ID_FQDN, BOB, sizeof(BOB) - 1, &E.bob, NULL, 0, false,
			IKE_AUTH_RSA_SIG, NULL, 0, "SHA1", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, NULL, 0, &h, &m);
	check_responder(&t, &m, &E.resp_rsa, IKE_AUTH_RSA_SIG, NULL, 0, "SHA1", 0);
	expect_established();
	ti_fini(&t);
}

/* A certificate from a CA that is not in the trust store, naming the right identity. */
static void
test_untrusted(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.mallory, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256),
			"SHA256", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_cert_untrusted");
	ti_fini(&t);
}

/* alice's valid certificate with bob's identity. */
static void
test_id_mismatch(void **state)
{
	struct how h = {IKE_ID_FQDN, BOB, sizeof(BOB) - 1, &E.alice, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256),
			"SHA256", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_cert_id_mismatch");
	ti_fini(&t);
}

/* An unknown identity through the wildcard, not in the certificate either. */
static void
test_wildcard_id_mismatch(void **state)
{
	static const uint8_t eve[] = "eve.example.com";
	struct how h = {IKE_ID_FQDN, eve, sizeof(eve) - 1, &E.carol, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256),
			NULL, false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_cert_id_mismatch");
	ti_fini(&t);
}

static void
test_bad_signature(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.alice, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256),
			"SHA256", false, 0, true};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_sig_bad");
	ti_fini(&t);
}

/* A valid signature made with another hash than the AlgorithmIdentifier says. */
static void
test_signature_hash_mismatch(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.alice, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA384, sizeof(ALG_ECDSA_SHA384),
			"SHA256", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_sig_bad");
	ti_fini(&t);
}

/* ecdsa-with-SHA1 (RFC 8247 3.2: MUST NOT) is refused as unsupported. */
static void
test_unsupported_algorithm(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.alice, NULL, 0, false,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA1, sizeof(ALG_ECDSA_SHA1),
			"SHA1", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_sig_unsupported");
	ti_fini(&t);
}

/* DSS (method 3) is refused as unsupported. */
static void
test_unsupported_method(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.alice, NULL, 0, false,
			IKE_AUTH_DSS, NULL, 0, "SHA256", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_sig_unsupported");
	ti_fini(&t);
}

static void
test_missing_cert(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.alice, NULL, 0, true,
			IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256, sizeof(ALG_ECDSA_SHA256),
			"SHA256", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_cert_missing");
	ti_fini(&t);
}

/* A truncated certificate. */
static void
test_bad_cert(void **state)
{
	struct how h = {IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, &E.alice, E.alice.der,
			E.alice.der_len - 1, false, IKE_AUTH_DIGITAL_SIGNATURE, ALG_ECDSA_SHA256,
			sizeof(ALG_ECDSA_SHA256), "SHA256", false, 0, false};
	struct ike_msg m;
	struct ti t;

	(void)state;
	run(&t, HASHES_SHA2, sizeof(HASHES_SHA2), &h, &m);
	expect_failed(&m, "auth_cert_bad");
	ti_fini(&t);
}

/* Configurations that cannot work are refused at init. */
static void
test_bad_config(void **state)
{
	size_t sz;
	void *mem;

	(void)state;
	ike_shard_fini(E.s);
	free(E.mem);
	E.s = NULL;
	E.mem = NULL;
	sz = ike_shard_mem_size(&E.cfg);
	mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	/* certificate peers but no certificate of ours */
	E.cfg.local_key = NULL;
	E.cfg.local_cert_der = NULL;
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, child_cb, NULL));
	/* a key without a certificate */
	E.cfg.local_key = E.resp_key[0];
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, child_cb, NULL));
	/* CERTREQ hashes that are not whole SHA-1 values */
	E.cfg.local_cert_der = E.resp_ec.der;
	E.cfg.certreq_ca_keyids_len = 19;
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, child_cb, NULL));
	E.cfg.certreq_ca_keyids_len = sizeof(E.certreq);
	/* a certificate that does not parse */
	E.cfg.local_cert_der = E.resp_ec.der;
	E.cfg.local_cert_len = E.resp_ec.der_len - 1;
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, child_cb, NULL));
	/* two wildcard entries */
	E.cfg.local_cert_len = E.resp_ec.der_len;
	E.peers[1].any_id = true;
	assert_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, child_cb, NULL));
	E.peers[1].any_id = false;
	assert_non_null(ike_shard_init(mem, &E.cfg, 1, &E.ops, child_cb, NULL));
	E.s = mem;
	E.mem = mem;
}

/* The certificate reader on OpenSSL-made certificates: SAN kinds, subject, key kinds. */
static void
test_x509_reader(void **state)
{
	static const uint8_t ip[4] = {192, 0, 2, 10}, other_ip[4] = {192, 0, 2, 11};
	struct ike_x509 x;

	(void)state;
	assert_true(ike_x509_parse(E.bob.der, E.bob.der_len, &x));
	assert_int_equal(x.key, IKE_X509_KEY_RSA);
	assert_int_equal(x.subject.len, E.bob.dn_len);
	assert_memory_equal(x.subject.p, E.bob.dn, E.bob.dn_len);
	assert_true(ike_x509_names_id(&x, IKE_ID_FQDN, (const uint8_t *)"BOB.example.COM", 15));
	assert_false(ike_x509_names_id(&x, IKE_ID_FQDN, (const uint8_t *)"bob.example.co", 14));
	assert_true(ike_x509_names_id(&x, IKE_ID_IPV4_ADDR, ip, 4));
	assert_false(ike_x509_names_id(&x, IKE_ID_IPV4_ADDR, other_ip, 4));
	assert_false(ike_x509_names_id(&x, IKE_ID_RFC822_ADDR, (const uint8_t *)"bob.example.com",
				       15));
	assert_false(ike_x509_names_id(&x, IKE_ID_KEY_ID, E.bob.dn, E.bob.dn_len));
	assert_true(ike_x509_parse(E.alice.der, E.alice.der_len, &x));
	assert_int_equal(x.key, IKE_X509_KEY_EC_P256);
	assert_true(ike_x509_names_id(&x, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1));
	assert_true(ike_x509_parse(E.carol.der, E.carol.der_len, &x));
	assert_int_equal(x.key, IKE_X509_KEY_ED25519);
	assert_true(ike_x509_parse(E.ca.der, E.ca.der_len, &x));
	assert_int_equal(x.san.len, 0);
	assert_false(ike_x509_names_id(&x, IKE_ID_FQDN, (const uint8_t *)"x", 1));
	/* every truncation fails cleanly */
	for (size_t n = 0; n < E.bob.der_len; n++)
		assert_false(ike_x509_parse(E.bob.der, n, &x));
}

#define T_EC(f) cmocka_unit_test_setup_teardown(f, setup_ec, teardown)
#define T_RSA(f) cmocka_unit_test_setup_teardown(f, setup_rsa, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T_EC(test_ecdsa_p256),
		T_RSA(test_rsa_dn_wildcard),
		T_EC(test_rsa_pss_and_hash_choice),
		T_EC(test_rsa_pss_openssl_encoding),
		T_EC(test_ed25519),
		T_EC(test_legacy_ecdsa),
		T_RSA(test_legacy_rsa),
		T_EC(test_untrusted),
		T_EC(test_id_mismatch),
		T_EC(test_wildcard_id_mismatch),
		T_EC(test_bad_signature),
		T_EC(test_signature_hash_mismatch),
		T_EC(test_unsupported_algorithm),
		T_EC(test_unsupported_method),
		T_EC(test_missing_cert),
		T_EC(test_bad_cert),
		T_EC(test_bad_config),
		T_EC(test_x509_reader),
	};

	return cmocka_run_group_tests_name("cert", tests, group_setup, group_teardown);
}
