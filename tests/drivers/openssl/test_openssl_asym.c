/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of the OpenSSL driver's asymmetric vtable: key exchange against
 * RFC 7748 6.1 and RFC 5903 8 vectors, MODP-2048 agreement, peer-value
 * validation, sign/verify for every scheme (cross-checked with plain EVP
 * calls for the encodings IKE fixes: PSS salt length, raw r | s) and
 * certificate validation against a CA made here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "cry_openssl.h"
#include "cry_ops.h"
#include "test_hex.h"

enum test_key {
	K_RSA,
	K_P256,
	K_P384,
	K_ED25519,
	K_COUNT,
};

struct fixture {
	struct cry_openssl *c;
	struct cry_ops ops;
	char dir[64];
	EVP_PKEY *pkey[K_COUNT];	   /* test-side copies for independent checks */
	struct cry_privkey *priv[K_COUNT]; /* loaded through the driver from PEM */
	struct cry_pubkey *pub[K_COUNT];
	EVP_PKEY *leaf_key;
	uint8_t leaf_der[2048];
	size_t leaf_der_len;
	uint8_t other_der[2048];
	size_t other_der_len;
	uint8_t forged_der[2048];
	size_t forged_der_len;
};

static const char *const key_files[K_COUNT] = {"rsa", "p256", "p384", "ed25519"};

static void
path_of(const struct fixture *f, const char *name, const char *ext, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s.%s", f->dir, name, ext);
}

static int
write_pem(const struct fixture *f, const char *name, EVP_PKEY *key, X509 *cert)
{
	char path[128];
	FILE *fp;
	int ok = 1;

	if (key != NULL) {
		path_of(f, name, "key", path, sizeof(path));
		fp = fopen(path, "w");
		ok = fp != NULL && PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL);
		if (fp != NULL)
			fclose(fp);
		path_of(f, name, "pub", path, sizeof(path));
		fp = fopen(path, "w");
		ok = ok && fp != NULL && PEM_write_PUBKEY(fp, key);
		if (fp != NULL)
			fclose(fp);
	}
	if (cert != NULL) {
		path_of(f, name, "crt", path, sizeof(path));
		fp = fopen(path, "w");
		ok = ok && fp != NULL && PEM_write_X509(fp, cert);
		if (fp != NULL)
			fclose(fp);
	}
	return ok;
}

static int
add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	ok = ext != NULL && X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* A v3 certificate for key, named cn, issued under issuer_name and signed by signer. */
static X509 *
make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *signer, long serial, int ca)
{
	X509 *x = X509_new();
	X509_NAME *name;
	int ok;

	if (x == NULL)
		return NULL;
	name = X509_get_subject_name(x);
	ok = X509_set_version(x, 2) && ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), 86400) && X509_set_pubkey(x, key) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1,
					0) &&
	     X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : name);
	if (ok && ca)
		ok = add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") &&
		     add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
	if (!ok || !X509_sign(x, signer, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static size_t
cert_der(X509 *x, uint8_t *out, size_t cap)
{
	int n = i2d_X509(x, NULL);
	unsigned char *p = out;

	if (n <= 0 || (size_t)n > cap || i2d_X509(x, &p) != n)
		return 0;
	return (size_t)n;
}

/* CA, a leaf it issued, a self-signed leaf and a leaf naming the CA but signed by another key. */
static int
make_pki(struct fixture *f)
{
	EVP_PKEY *ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *other_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *ca = NULL, *leaf = NULL, *other = NULL, *forged = NULL;
	int ok = 0;

	f->leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (ca_key == NULL || other_key == NULL || f->leaf_key == NULL)
		goto out;
	ca = make_cert(ca_key, "ikefarm test CA", NULL, ca_key, 1, 1);
	leaf = ca != NULL ? make_cert(f->leaf_key, "responder.test", ca, ca_key, 2, 0) : NULL;
	other = make_cert(other_key, "responder.test", NULL, other_key, 3, 0);
	forged = ca != NULL ? make_cert(f->leaf_key, "responder.test", ca, other_key, 4, 0) : NULL;
	if (leaf == NULL || other == NULL || forged == NULL || !write_pem(f, "ca", NULL, ca) ||
	    !write_pem(f, "leaf", NULL, leaf))
		goto out;
	f->leaf_der_len = cert_der(leaf, f->leaf_der, sizeof(f->leaf_der));
	f->other_der_len = cert_der(other, f->other_der, sizeof(f->other_der));
	f->forged_der_len = cert_der(forged, f->forged_der, sizeof(f->forged_der));
	ok = f->leaf_der_len > 0 && f->other_der_len > 0 && f->forged_der_len > 0;
out:
	X509_free(ca);
	X509_free(leaf);
	X509_free(other);
	X509_free(forged);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(other_key);
	return ok;
}

static int
setup(void **state)
{
	static struct fixture f;
	char path[128];
	int i;

	snprintf(f.dir, sizeof(f.dir), "/tmp/ikefarm-openssl-XXXXXX");
	if (mkdtemp(f.dir) == NULL)
		return -1;
	f.c = cry_openssl_create();
	if (f.c == NULL)
		return -1;
	cry_openssl_bind(f.c, &f.ops);
	f.pkey[K_RSA] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	f.pkey[K_P256] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	f.pkey[K_P384] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	f.pkey[K_ED25519] = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	for (i = 0; i < K_COUNT; i++) {
		if (f.pkey[i] == NULL || !write_pem(&f, key_files[i], f.pkey[i], NULL))
			return -1;
		path_of(&f, key_files[i], "key", path, sizeof(path));
		f.priv[i] = cry_openssl_privkey_load(path);
		path_of(&f, key_files[i], "pub", path, sizeof(path));
		f.pub[i] = cry_openssl_pubkey_load(path);
		if (f.priv[i] == NULL || f.pub[i] == NULL)
			return -1;
	}
	if (!make_pki(&f))
		return -1;
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const extra[] = {"ca.crt", "leaf.crt"};
	char path[128];
	size_t i;

	for (i = 0; i < K_COUNT; i++) {
		cry_openssl_privkey_free(f->priv[i]);
		f->ops.asym->pubkey_free(f->ops.asym_ctx, f->pub[i]);
		EVP_PKEY_free(f->pkey[i]);
		path_of(f, key_files[i], "key", path, sizeof(path));
		unlink(path);
		path_of(f, key_files[i], "pub", path, sizeof(path));
		unlink(path);
	}
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, extra[i]);
		unlink(path);
	}
	rmdir(f->dir);
	EVP_PKEY_free(f->leaf_key);
	cry_openssl_destroy(f->c);
	return 0;
}

struct kex_kat {
	uint16_t group;
	const char *i, *gi; /* initiator private value and KE data */
	const char *r, *gr;
	const char *shared;
};

static const struct kex_kat kex_kats[] = {
	/* RFC 5903 8.1: 256-bit random ECP group */
	{19, "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
	 "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
	 "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3",
	 "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
	 "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
	 "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
	 "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de"},
	/* RFC 5903 8.2: 384-bit random ECP group */
	{20,
	 "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655"
	 "e35b538041e649ee3faef896783ab194",
	 "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6"
	 "de3ac808acb4bdb4c88732aee95f41aa"
	 "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38e"
	 "eb9fcff3c2c947dae69b4c634573a81c",
	 "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942"
	 "e0308312916b8ed2960e4bd55a7448fc",
	 "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d"
	 "0d1ac43a0336def96fda41d0774a3571"
	 "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1ff"
	 "f83fa40142209dff5eaad96db9e6386c",
	 "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4"
	 "d603135569b9e9d09cf5d4a270f59746"},
	/*
	 * 521-bit random ECP group (RFC 5903 3.3): private values from SHA-512 of
	 * fixed strings, KE data and x of the shared point from Python's cryptography.
	 */
	{21,
	 "00a9ea7f63e3c13808cf1999aad1f7bb447cf4fa36c11484f2836925ef651901"
	 "a7d8c6cdd4ef4cb947bad7629b091f8ee0e0b7e44d583550730e2be43b74a84e"
	 "4f01",
	 "003fb6ca8f87598fd20d212877a99bda4a23e67d55652442fe55a68cb8c5ecd3"
	 "5ec9a5ba464e9d8aa676971e7032663a443734dff5e6e91adf8575d24fee89e2"
	 "b35001cb219def05493eedb58b357696602a88d70487de49e4b1dc5326601fc3"
	 "de9c0195169cb2b4977faf8623d7c7294c5859b5e78f452ea9cd32b60daf0d72"
	 "e3251cbb",
	 "00adc7ba66e26a7580756f8093d0982c448d0f572d79b376e0a3258188dd1122"
	 "b6a0561a58b2ca67e25847b362f921368411296cdcc8c7334bccc5e22aaff034"
	 "a801",
	 "01c71a86747dddf0c9e2baf485c6959e78c87ab528b7a410fb5e3022af078f47"
	 "770bf22d6e025fe5986dba37be7cb8b204ce7b506c86fb60cd666414ca976695"
	 "a79501c3adf6c2f92fc0d84bc0cc2709c8dfd06151f79e230eb3a368ccf86eb8"
	 "ac2b7909eced431ab9dce123c5727439c07dc2a13975c91bf77bb68445e3b00c"
	 "b8a95bbe",
	 "0090804b6d4c513f8e1198317065e162c25ba829aab92e5190e55e3b0e28ae01"
	 "0d931ccc73c11059854bfccca97458c2a7c4d5c889251aa07e81a428fccb123c"
	 "12af"},
	/* RFC 7748 6.1: Alice (initiator) and Bob */
	{31, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	 "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
	 "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	 "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	 "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"},
};

/* From a known private value: our KE data and g^ir must match the vector. */
static void
kex_kat_side(struct fixture *f, uint16_t group, const char *priv_hex, const char *pub_hex,
	     const char *peer_hex, const char *shared_hex)
{
	uint8_t priv[66], want_pub[132], peer[132], want[66], pub[CRY_MAX_KEX_PUB];
	uint8_t secret[CRY_MAX_KEX_SECRET];
	size_t priv_len = unhex(priv_hex, priv, sizeof(priv));
	size_t want_pub_len = unhex(pub_hex, want_pub, sizeof(want_pub));
	size_t peer_len = unhex(peer_hex, peer, sizeof(peer));
	size_t want_len = unhex(shared_hex, want, sizeof(want));
	size_t pub_len = sizeof(pub), secret_len = sizeof(secret);
	struct cry_kex *kex = NULL;
	enum ike_status st;

	st = cry_openssl_kex_from_private(f->c, group, priv, priv_len, &kex, pub, &pub_len);
	assert_int_equal(st, IKE_OK);
	assert_int_equal(pub_len, want_pub_len);
	assert_memory_equal(pub, want_pub, pub_len);
	assert_int_equal(
		f->ops.asym->kex_derive(f->ops.asym_ctx, kex, peer, peer_len, secret, &secret_len),
		IKE_OK);
	assert_int_equal(secret_len, want_len);
	assert_memory_equal(secret, want, want_len);
	f->ops.asym->kex_free(f->ops.asym_ctx, kex);
}

static void
test_kex_kat(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(kex_kats) / sizeof(kex_kats[0]); i++) {
		const struct kex_kat *k = &kex_kats[i];

		kex_kat_side(f, k->group, k->i, k->gi, k->gr, k->shared);
		kex_kat_side(f, k->group, k->r, k->gr, k->gi, k->shared);
	}
}

/* Two fresh parties of each group agree; MODP values keep the prime's length. */
static void
test_kex_agreement(void **state)
{
	struct fixture *f = *state;
	static const struct {
		uint16_t group;
		size_t pub_len, secret_len;
	} groups[] = {{14, 256, 256}, {19, 64, 32}, {20, 96, 48}, {21, 132, 66}, {31, 32, 32}};
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		uint8_t pa[CRY_MAX_KEX_PUB], pb[CRY_MAX_KEX_PUB];
		uint8_t sa[CRY_MAX_KEX_SECRET], sb[CRY_MAX_KEX_SECRET];
		size_t la = sizeof(pa), lb = sizeof(pb), lsa = sizeof(sa), lsb = sizeof(sb);
		struct cry_kex *a, *b;
		enum ike_status st;

		st = f->ops.asym->kex_new(f->ops.asym_ctx, groups[i].group, &a, pa, &la);
		assert_int_equal(st, IKE_OK);
		st = f->ops.asym->kex_new(f->ops.asym_ctx, groups[i].group, &b, pb, &lb);
		assert_int_equal(st, IKE_OK);
		assert_int_equal(la, groups[i].pub_len);
		assert_int_equal(lb, groups[i].pub_len);
		assert_memory_not_equal(pa, pb, la);
		assert_int_equal(f->ops.asym->kex_derive(f->ops.asym_ctx, a, pb, lb, sa, &lsa),
				 IKE_OK);
		assert_int_equal(f->ops.asym->kex_derive(f->ops.asym_ctx, b, pa, la, sb, &lsb),
				 IKE_OK);
		assert_int_equal(lsa, groups[i].secret_len);
		assert_int_equal(lsb, groups[i].secret_len);
		assert_memory_equal(sa, sb, lsa);
		f->ops.asym->kex_free(f->ops.asym_ctx, a);
		f->ops.asym->kex_free(f->ops.asym_ctx, b);
	}
}

static enum ike_status
derive_with(struct fixture *f, uint16_t group, const uint8_t *peer, size_t peer_len)
{
	uint8_t pub[CRY_MAX_KEX_PUB], secret[CRY_MAX_KEX_SECRET];
	size_t pub_len = sizeof(pub), secret_len = sizeof(secret);
	struct cry_kex *kex;
	enum ike_status st;

	assert_int_equal(f->ops.asym->kex_new(f->ops.asym_ctx, group, &kex, pub, &pub_len), IKE_OK);
	st = f->ops.asym->kex_derive(f->ops.asym_ctx, kex, peer, peer_len, secret, &secret_len);
	f->ops.asym->kex_free(f->ops.asym_ctx, kex);
	return st;
}

/* Peer KE data off the curve, out of range, of the wrong length or of small order. */
static void
test_kex_bad_peer(void **state)
{
	struct fixture *f = *state;
	uint8_t v[CRY_MAX_KEX_PUB];
	size_t n;

	n = unhex(kex_kats[0].gr, v, sizeof(v));
	v[31] ^= 0x01; /* x changed: no longer on P-256 */
	assert_int_equal(derive_with(f, 19, v, n), IKE_E_MALFORMED);
	v[31] ^= 0x01;
	assert_int_equal(derive_with(f, 19, v, n - 1), IKE_E_MALFORMED);
	assert_int_equal(derive_with(f, 19, v, n), IKE_OK);
	memset(v, 0, 64);
	assert_int_equal(derive_with(f, 19, v, 64), IKE_E_MALFORMED);

	/* RFC 7296 / RFC 6989: y = 1 and y = p - 1 are refused (p - 1 ends in ...fe) */
	memset(v, 0, 256);
	v[255] = 1;
	assert_int_equal(derive_with(f, 14, v, 256), IKE_E_MALFORMED);
	memset(v, 0xff, 256);
	v[255] = 0xfe;
	assert_int_equal(derive_with(f, 14, v, 256), IKE_E_MALFORMED);
	assert_int_equal(derive_with(f, 14, v, 255), IKE_E_MALFORMED);

	/* RFC 8031 2: u = 0 is of small order; the all-zero result is refused */
	memset(v, 0, 32);
	assert_int_equal(derive_with(f, 31, v, 32), IKE_E_MALFORMED);
}

static void
test_kex_params(void **state)
{
	struct fixture *f = *state;
	uint8_t pub[CRY_MAX_KEX_PUB], secret[16];
	size_t pub_len = sizeof(pub), small = 255, secret_len = sizeof(secret);
	struct cry_kex *kex;

	assert_int_equal(f->ops.asym->kex_new(f->ops.asym_ctx, 15, &kex, pub, &pub_len),
			 IKE_E_UNSUPPORTED);
	assert_int_equal(f->ops.asym->kex_new(f->ops.asym_ctx, 14, &kex, pub, &small),
			 IKE_E_NOSPACE);
	assert_int_equal(f->ops.asym->kex_new(f->ops.asym_ctx, 19, &kex, pub, &pub_len), IKE_OK);
	assert_int_equal(
		f->ops.asym->kex_derive(f->ops.asym_ctx, kex, pub, pub_len, secret, &secret_len),
		IKE_E_NOSPACE);
	f->ops.asym->kex_free(f->ops.asym_ctx, kex);
}

struct sig_case {
	enum cry_sig_scheme scheme;
	enum test_key key;
	const char *md;	  /* for the independent check; NULL for Ed25519 */
	size_t raw_width; /* raw ECDSA: octets of r and of s */
};

static const struct sig_case sig_cases[] = {
	{CRY_SIG_RSA_PKCS1_SHA1, K_RSA, "SHA1", 0},
	{CRY_SIG_RSA_PKCS1_SHA256, K_RSA, "SHA256", 0},
	{CRY_SIG_RSA_PKCS1_SHA384, K_RSA, "SHA384", 0},
	{CRY_SIG_RSA_PKCS1_SHA512, K_RSA, "SHA512", 0},
	{CRY_SIG_RSA_PSS_SHA256, K_RSA, "SHA256", 0},
	{CRY_SIG_RSA_PSS_SHA384, K_RSA, "SHA384", 0},
	{CRY_SIG_RSA_PSS_SHA512, K_RSA, "SHA512", 0},
	{CRY_SIG_ECDSA_SHA256, K_P256, "SHA256", 0},
	{CRY_SIG_ECDSA_SHA384, K_P384, "SHA384", 0},
	{CRY_SIG_ECDSA_SHA512, K_P256, "SHA512", 0},
	{CRY_SIG_ECDSA_P256_SHA256_RAW, K_P256, "SHA256", 32},
	{CRY_SIG_ECDSA_P384_SHA384_RAW, K_P384, "SHA384", 48},
	{CRY_SIG_ED25519, K_ED25519, NULL, 0},
};

/* r | s -> DER, written here rather than through the driver. */
static size_t
raw_to_der(const uint8_t *sig, size_t width, uint8_t *der)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	unsigned char *p = der;
	int n;

	assert_non_null(es);
	assert_true(ECDSA_SIG_set0(es, BN_bin2bn(sig, (int)width, NULL),
				   BN_bin2bn(sig + width, (int)width, NULL)));
	n = i2d_ECDSA_SIG(es, &p);
	ECDSA_SIG_free(es);
	assert_true(n > 0);
	return (size_t)n;
}

/* The signature checked with EVP directly: PSS with a salt exactly as long as the hash. */
static void
independent_verify(const struct fixture *f, const struct sig_case *c, const uint8_t *data,
		   size_t len, const uint8_t *sig, size_t sig_len)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	uint8_t der[160];

	assert_non_null(m);
	assert_int_equal(
		EVP_DigestVerifyInit_ex(m, &pctx, c->md, NULL, NULL, f->pkey[c->key], NULL), 1);
	if (c->scheme >= CRY_SIG_RSA_PSS_SHA256 && c->scheme <= CRY_SIG_RSA_PSS_SHA512) {
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(
					 pctx, EVP_MD_get_size(EVP_get_digestbyname(c->md))),
				 1);
	}
	if (c->raw_width > 0) {
		assert_int_equal(sig_len, 2 * c->raw_width);
		sig_len = raw_to_der(sig, c->raw_width, der);
		sig = der;
	}
	assert_int_equal(EVP_DigestVerify(m, sig, sig_len, data, len), 1);
	EVP_MD_CTX_free(m);
}

static void
test_sign_verify(void **state)
{
	struct fixture *f = *state;
	uint8_t data[100];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 3);
	for (i = 0; i < sizeof(sig_cases) / sizeof(sig_cases[0]); i++) {
		const struct sig_case *c = &sig_cases[i];
		uint8_t sig[CRY_MAX_SIG];
		size_t sig_len = sizeof(sig);

		assert_int_equal(f->ops.asym->sign(f->ops.asym_ctx, f->priv[c->key], c->scheme,
						   data, sizeof(data), sig, &sig_len),
				 IKE_OK);
		assert_int_equal(f->ops.asym->verify(f->ops.asym_ctx, f->pub[c->key], c->scheme,
						     data, sizeof(data), sig, sig_len),
				 IKE_OK);
		independent_verify(f, c, data, sizeof(data), sig, sig_len);

		data[7] ^= 0x20;
		assert_int_equal(f->ops.asym->verify(f->ops.asym_ctx, f->pub[c->key], c->scheme,
						     data, sizeof(data), sig, sig_len),
				 IKE_E_INTEGRITY);
		data[7] ^= 0x20;
		sig[sig_len / 2] ^= 0x01;
		assert_int_equal(f->ops.asym->verify(f->ops.asym_ctx, f->pub[c->key], c->scheme,
						     data, sizeof(data), sig, sig_len),
				 IKE_E_INTEGRITY);
	}
}

/* A key that cannot make the scheme is a parameter error, not a bad signature. */
static void
test_sign_wrong_key(void **state)
{
	struct fixture *f = *state;
	uint8_t sig[CRY_MAX_SIG];
	size_t sig_len = sizeof(sig), small = 10;
	const uint8_t data[4] = {1, 2, 3, 4};
	enum ike_status st;

	assert_int_equal(f->ops.asym->sign(f->ops.asym_ctx, f->priv[K_ED25519],
					   CRY_SIG_RSA_PKCS1_SHA256, data, 4, sig, &sig_len),
			 IKE_E_PARAM);
	assert_int_equal(f->ops.asym->sign(f->ops.asym_ctx, f->priv[K_P384],
					   CRY_SIG_ECDSA_P256_SHA256_RAW, data, 4, sig, &sig_len),
			 IKE_E_PARAM);
	st = f->ops.asym->verify(f->ops.asym_ctx, f->pub[K_RSA], CRY_SIG_ED25519, data, 4, sig, 64);
	assert_int_equal(st, IKE_E_PARAM);
	assert_int_equal(f->ops.asym->sign(f->ops.asym_ctx, f->priv[K_RSA],
					   CRY_SIG_RSA_PKCS1_SHA256, data, 4, sig, &small),
			 IKE_E_NOSPACE);
}

/*
 * A raw r | s signature shorter than 2 * width, placed right before an
 * unmapped page: reading past its end faults in any build, not only ASan.
 */
static void
test_verify_raw_short_sig(void **state)
{
	struct fixture *f = *state;
	long page = sysconf(_SC_PAGESIZE);
	const uint8_t data[4] = {1, 2, 3, 4};
	static const size_t lens[] = {0, 1, 32, 63, 65};
	uint8_t *map;
	size_t i;

	map = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint8_t *sig = map + page - lens[i];

		memset(sig, 0x5a, lens[i]);
		assert_int_equal(f->ops.asym->verify(f->ops.asym_ctx, f->pub[K_P256],
						     CRY_SIG_ECDSA_P256_SHA256_RAW, data,
						     sizeof(data), sig, lens[i]),
				 IKE_E_INTEGRITY);
	}
	munmap(map, 2 * (size_t)page);
}

static void
test_cert_pubkey(void **state)
{
	struct fixture *f = *state;
	struct cry_pubkey *key = NULL;
	uint8_t sig[CRY_MAX_SIG], der[2048];
	size_t sig_len = sizeof(sig);
	const uint8_t data[] = "IKE_AUTH signed octets";
	char path[128];
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	enum ike_status st;

	assert_int_equal(
		f->ops.asym->cert_pubkey(f->ops.asym_ctx, f->leaf_der, f->leaf_der_len, &key),
		IKE_E_PARAM); /* no trust store yet */
	path_of(f, "ca", "crt", path, sizeof(path));
	assert_int_equal(cry_openssl_set_trust(f->c, path), IKE_OK);

	st = f->ops.asym->cert_pubkey(f->ops.asym_ctx, f->leaf_der, f->leaf_der_len, &key);
	assert_int_equal(st, IKE_OK);
	assert_non_null(key);
	/* The returned key is the leaf's: it verifies what the leaf key signed. */
	assert_non_null(m);
	assert_int_equal(EVP_DigestSignInit_ex(m, NULL, "SHA256", NULL, NULL, f->leaf_key, NULL),
			 1);
	assert_int_equal(EVP_DigestSign(m, sig, &sig_len, data, sizeof(data)), 1);
	EVP_MD_CTX_free(m);
	assert_int_equal(f->ops.asym->verify(f->ops.asym_ctx, key, CRY_SIG_ECDSA_SHA256, data,
					     sizeof(data), sig, sig_len),
			 IKE_OK);
	f->ops.asym->pubkey_free(f->ops.asym_ctx, key);

	assert_int_equal(
		f->ops.asym->cert_pubkey(f->ops.asym_ctx, f->other_der, f->other_der_len, &key),
		IKE_E_INTEGRITY);
	assert_null(key);
	assert_int_equal(
		f->ops.asym->cert_pubkey(f->ops.asym_ctx, f->forged_der, f->forged_der_len, &key),
		IKE_E_INTEGRITY);
	assert_int_equal(
		f->ops.asym->cert_pubkey(f->ops.asym_ctx, f->leaf_der, f->leaf_der_len - 1, &key),
		IKE_E_MALFORMED);
	memcpy(der, f->leaf_der, f->leaf_der_len);
	der[f->leaf_der_len] = 0;
	assert_int_equal(f->ops.asym->cert_pubkey(f->ops.asym_ctx, der, f->leaf_der_len + 1, &key),
			 IKE_E_MALFORMED);
}

/* The config path: a certificate PEM yields the same key. */
static void
test_pubkey_from_cert_pem(void **state)
{
	struct fixture *f = *state;
	struct cry_pubkey *key;
	uint8_t sig[CRY_MAX_SIG];
	size_t sig_len = sizeof(sig);
	const uint8_t data[] = "peer key from configuration";
	char path[128];
	EVP_MD_CTX *m = EVP_MD_CTX_new();

	path_of(f, "leaf", "crt", path, sizeof(path));
	key = cry_openssl_pubkey_load(path);
	assert_non_null(key);
	assert_non_null(m);
	assert_int_equal(EVP_DigestSignInit_ex(m, NULL, "SHA384", NULL, NULL, f->leaf_key, NULL),
			 1);
	assert_int_equal(EVP_DigestSign(m, sig, &sig_len, data, sizeof(data)), 1);
	EVP_MD_CTX_free(m);
	assert_int_equal(f->ops.asym->verify(f->ops.asym_ctx, key, CRY_SIG_ECDSA_SHA384, data,
					     sizeof(data), sig, sig_len),
			 IKE_OK);
	f->ops.asym->pubkey_free(f->ops.asym_ctx, key);
	path_of(f, "missing", "crt", path, sizeof(path));
	assert_null(cry_openssl_pubkey_load(path));
	assert_null(cry_openssl_privkey_load(path));
}

/* Our CERT payload: the PEM file's certificate as DER, as i2d_X509 of the fixture wrote it. */
static void
test_cert_load_der(void **state)
{
	struct fixture *f = *state;
	uint8_t *der = NULL;
	size_t len = 0;
	char path[128];

	path_of(f, "leaf", "crt", path, sizeof(path));
	assert_int_equal(cry_openssl_cert_load_der(path, &der, &len), IKE_OK);
	assert_int_equal(len, f->leaf_der_len);
	assert_memory_equal(der, f->leaf_der, len);
	free(der);
	path_of(f, key_files[K_P256], "key", path, sizeof(path));
	assert_int_equal(cry_openssl_cert_load_der(path, &der, &len), IKE_E_PARAM);
	path_of(f, "missing", "crt", path, sizeof(path));
	assert_int_equal(cry_openssl_cert_load_der(path, &der, &len), IKE_E_PARAM);
}

static void
append_file(FILE *to, const char *from)
{
	FILE *in = fopen(from, "r");
	char buf[4096];
	size_t n;

	assert_non_null(in);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, to), n);
	fclose(in);
}

/* CERTREQ CA hashes: SHA-1 of the DER SubjectPublicKeyInfo (i2d_PUBKEY of the key itself). */
static void
test_ca_keyids(void **state)
{
	struct fixture *f = *state;
	uint8_t want[CRY_OPENSSL_KEYID_LEN], out[3 * CRY_OPENSSL_KEYID_LEN], *spki = NULL;
	char leaf[128], ca[128], both[160];
	FILE *fp;
	int spki_len = i2d_PUBKEY(f->leaf_key, &spki);
	size_t len;

	assert_true(spki_len > 0);
	assert_non_null(SHA1(spki, (size_t)spki_len, want));
	OPENSSL_free(spki);
	path_of(f, "leaf", "crt", leaf, sizeof(leaf));
	path_of(f, "ca", "crt", ca, sizeof(ca));
	assert_int_equal(cry_openssl_ca_keyids(leaf, out, sizeof(out), &len), IKE_OK);
	assert_int_equal(len, CRY_OPENSSL_KEYID_LEN);
	assert_memory_equal(out, want, sizeof(want));
	/* Two certificates in one file: two hashes, in file order. */
	path_of(f, "both", "crt", both, sizeof(both));
	fp = fopen(both, "w");
	assert_non_null(fp);
	append_file(fp, ca);
	append_file(fp, leaf);
	fclose(fp);
	assert_int_equal(cry_openssl_ca_keyids(both, out, sizeof(out), &len), IKE_OK);
	assert_int_equal(len, 2 * CRY_OPENSSL_KEYID_LEN);
	assert_memory_equal(out + CRY_OPENSSL_KEYID_LEN, want, sizeof(want));
	assert_memory_not_equal(out, want, sizeof(want));
	assert_int_equal(cry_openssl_ca_keyids(both, out, CRY_OPENSSL_KEYID_LEN, &len),
			 IKE_E_NOSPACE);
	unlink(both);
	path_of(f, key_files[K_P256], "key", leaf, sizeof(leaf));
	assert_int_equal(cry_openssl_ca_keyids(leaf, out, sizeof(out), &len), IKE_E_PARAM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kex_kat),	     cmocka_unit_test(test_kex_agreement),
		cmocka_unit_test(test_kex_bad_peer), cmocka_unit_test(test_kex_params),
		cmocka_unit_test(test_sign_verify),  cmocka_unit_test(test_sign_wrong_key),
		cmocka_unit_test(test_cert_pubkey),  cmocka_unit_test(test_pubkey_from_cert_pem),
		cmocka_unit_test(test_cert_load_der), cmocka_unit_test(test_ca_keyids),
		cmocka_unit_test(test_verify_raw_short_sig),
	};

	return cmocka_run_group_tests_name("openssl-asym", tests, setup, teardown);
}
