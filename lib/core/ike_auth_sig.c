/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_auth_sig.c - certificate authentication for IKE_AUTH:
 *   peer:  CERT(X.509 signature) + AUTH method 1 (RSA PKCS#1 SHA-1, RFC 7296
 *          3.8), 9/10 (ECDSA P-256/P-384, RFC 4754) or 14 (Digital Signature,
 *          RFC 7427) over InitiatorSignedOctets (RFC 7296 2.15);
 *   ours:  CERT + AUTH with the scheme that fits cfg->local_key and the
 *          hashes the initiator announced (RFC 7427 4).
 * Method 14 AlgorithmIdentifiers are compared as binary blobs (RFC 7427 3,
 * Appendix A); RSASSA-PSS parameters are parsed, as they have several
 * valid encodings.
 */
#include <string.h>

#include "ike_auth_sig.h"
#include "ike_core_priv.h"
#include "ike_log.h"
#include "ike_secret.h"

/* RFC 8420 2: the "Identity" hash, announced for Ed25519. */
#define HASH_IDENTITY 5

#define DER_NULL 0x05
#define DER_INTEGER 0x02
#define DER_OID 0x06
#define DER_SEQUENCE 0x30

/* One method 14 signature algorithm: RFC 7427 Appendix A, RFC 8410 3. */
struct sig_alg {
	enum cry_sig_scheme scheme;
	uint8_t hash; /* IKE_HASH_* or HASH_IDENTITY */
	uint8_t len;
	uint8_t der[IKE_SIG_ALGID_MAX];
};

/* A.1.2-A.1.4: sha{256,384,512}WithRSAEncryption, NULL parameters. */
#define RSA_PKCS1(last)                                                                            \
	{0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, last, 0x05, 0x00}
/* A.3.2-A.3.4: ecdsa-with-SHA{256,384,512}, parameters absent. */
#define ECDSA(last) {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, last}
/* A.4.3 with the hash OID's last octet h and salt length s (= hash length). */
#define RSA_PSS(h, s)                                                                              \
	{0x30, 0x46, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x39, \
	 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, h,    \
	 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, \
	 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, h,    \
	 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, s, 0xa3, 0x03, 0x02, 0x01, 0x01}

static const struct sig_alg sig_algs[] = {
	{CRY_SIG_RSA_PKCS1_SHA256, IKE_HASH_SHA2_256, 15, RSA_PKCS1(0x0b)},
	{CRY_SIG_RSA_PKCS1_SHA384, IKE_HASH_SHA2_384, 15, RSA_PKCS1(0x0c)},
	{CRY_SIG_RSA_PKCS1_SHA512, IKE_HASH_SHA2_512, 15, RSA_PKCS1(0x0d)},
	{CRY_SIG_ECDSA_SHA256, IKE_HASH_SHA2_256, 12, ECDSA(0x02)},
	{CRY_SIG_ECDSA_SHA384, IKE_HASH_SHA2_384, 12, ECDSA(0x03)},
	{CRY_SIG_ECDSA_SHA512, IKE_HASH_SHA2_512, 12, ECDSA(0x04)},
	{CRY_SIG_RSA_PSS_SHA256, IKE_HASH_SHA2_256, 72, RSA_PSS(0x01, 32)},
	{CRY_SIG_RSA_PSS_SHA384, IKE_HASH_SHA2_384, 72, RSA_PSS(0x02, 48)},
	{CRY_SIG_RSA_PSS_SHA512, IKE_HASH_SHA2_512, 72, RSA_PSS(0x03, 64)},
	{CRY_SIG_ED25519, HASH_IDENTITY, 7, {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70}},
};

#define NB_SIG_ALGS (sizeof(sig_algs) / sizeof(sig_algs[0]))

/* What we announce: every hash some entry of sig_algs uses (SHA-1: RFC 8247 3.2). */
static const uint8_t our_hashes[] = {0, IKE_HASH_SHA2_256, 0, IKE_HASH_SHA2_384,
				     0, IKE_HASH_SHA2_512, 0, HASH_IDENTITY};

static const uint8_t OID_RSA_PSS[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t OID_MGF1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};
/* id-sha256/384/512 (RFC 4055 2.1) differ in the last octet: 1, 2, 3. */
static const uint8_t OID_SHA2_PREFIX[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02};

static const struct sig_alg *
sig_alg_of(enum cry_sig_scheme scheme)
{
	for (unsigned i = 0; i < NB_SIG_ALGS; i++)
		if (sig_algs[i].scheme == scheme)
			return &sig_algs[i];
	return NULL;
}

static bool
oid_is(const struct ike_der *oid, const uint8_t *want, size_t len)
{
	return oid->len == len && memcmp(oid->p, want, len) == 0;
}

/* A hash AlgorithmIdentifier (parameters NULL or absent): 0..2 for SHA-256/384/512, or -1. */
static int
sha2_of(struct ike_der alg)
{
	struct ike_der seq, oid, null;
	int h;

	if (!ike_der_take(&alg, DER_SEQUENCE, &seq, NULL) || alg.len != 0 ||
	    !ike_der_take(&seq, DER_OID, &oid, NULL) || oid.len != sizeof(OID_SHA2_PREFIX) + 1 ||
	    memcmp(oid.p, OID_SHA2_PREFIX, sizeof(OID_SHA2_PREFIX)) != 0)
		return -1;
	if (seq.len != 0 && (!ike_der_take(&seq, DER_NULL, &null, NULL) || null.len != 0 ||
			     seq.len != 0))
		return -1;
	h = oid.p[sizeof(OID_SHA2_PREFIX)] - 1;
	return h >= 0 && h <= 2 ? h : -1;
}

/* A small non-negative INTEGER inside an explicit tag, or -1. */
static int
small_int(struct ike_der ctx)
{
	struct ike_der v;

	if (!ike_der_take(&ctx, DER_INTEGER, &v, NULL) || ctx.len != 0 || v.len != 1 ||
	    v.p[0] & 0x80)
		return -1;
	return v.p[0];
}

/*
 * RSASSA-PSS-params (RFC 4055 3.1) we can verify: SHA-2 hash, MGF1 with the
 * same hash, salt as long as the hash (RFC 8247), trailerField 1. Defaults
 * (SHA-1) are refused (RFC 8247 3.2).
 */
static bool
pss_scheme(const uint8_t *algid, size_t len, enum cry_sig_scheme *scheme)
{
	static const enum cry_sig_scheme pss[] = {CRY_SIG_RSA_PSS_SHA256, CRY_SIG_RSA_PSS_SHA384,
						  CRY_SIG_RSA_PSS_SHA512};
	struct ike_der in = {algid, len}, seq, oid, params, field, mgf, mgf_oid;
	int hash = -1, mgf_hash = -1, salt = -1, trailer = 1;
	uint8_t tag;

	if (!ike_der_take(&in, DER_SEQUENCE, &seq, NULL) || in.len != 0 ||
	    !ike_der_take(&seq, DER_OID, &oid, NULL) ||
	    !oid_is(&oid, OID_RSA_PSS, sizeof(OID_RSA_PSS)) ||
	    !ike_der_take(&seq, DER_SEQUENCE, &params, NULL) || seq.len != 0)
		return false;
	while (params.len != 0) {
		if (!ike_der_next(&params, &tag, &field, NULL))
			return false;
		switch (tag) {
		case 0xa0: /* hashAlgorithm */
			hash = sha2_of(field);
			break;
		case 0xa1: /* maskGenAlgorithm: SEQUENCE { id-mgf1, hash AlgorithmIdentifier } */
			if (!ike_der_take(&field, DER_SEQUENCE, &mgf, NULL) || field.len != 0 ||
			    !ike_der_take(&mgf, DER_OID, &mgf_oid, NULL) ||
			    !oid_is(&mgf_oid, OID_MGF1, sizeof(OID_MGF1)))
				return false;
			mgf_hash = sha2_of(mgf);
			break;
		case 0xa2:
			salt = small_int(field);
			break;
		case 0xa3:
			trailer = small_int(field);
			break;
		default:
			return false;
		}
	}
	if (hash < 0 || mgf_hash != hash || trailer != 1 || salt != 32 + 16 * hash)
		return false;
	*scheme = pss[hash];
	return true;
}

/* The scheme of a received AUTH payload; false for methods we do not verify. */
static bool
peer_scheme(const struct ike_pld_auth *auth, enum cry_sig_scheme *scheme)
{
	switch (auth->method) {
	case IKE_AUTH_RSA_SIG:
		*scheme = CRY_SIG_RSA_PKCS1_SHA1;
		return true;
	case IKE_AUTH_ECDSA_SHA256_P256:
		*scheme = CRY_SIG_ECDSA_P256_SHA256_RAW;
		return true;
	case IKE_AUTH_ECDSA_SHA384_P384:
		*scheme = CRY_SIG_ECDSA_P384_SHA384_RAW;
		return true;
	case IKE_AUTH_DIGITAL_SIGNATURE:
		for (unsigned i = 0; i < NB_SIG_ALGS; i++) {
			if (sig_algs[i].len == auth->sig_alg_len &&
			    memcmp(sig_algs[i].der, auth->sig_alg, auth->sig_alg_len) == 0) {
				*scheme = sig_algs[i].scheme;
				return true;
			}
		}
		return pss_scheme(auth->sig_alg, auth->sig_alg_len, scheme);
	default:
		return false;
	}
}

bool
ike_auth_sig_init(struct ike_shard *s)
{
	const struct ike_core_cfg *cfg = s->cfg;
	bool need_cert = false;
	struct ike_x509 x;

	s->peer_any = IKE_NO_SLOT;
	memset(&s->local, 0, sizeof(s->local));
	for (unsigned i = 0; i < s->nb_peers; i++) {
		const struct ike_peer_cfg *p = &s->peers_cfg[i];

		if (p->auth == IKE_CRED_PUBKEY)
			need_cert = true;
		if (!p->any_id)
			continue;
		if (p->auth != IKE_CRED_PUBKEY || s->peer_any != IKE_NO_SLOT) {
			ike_log(IKE_LOG_ERR, "ikefarm.lib.core: one wildcard peer, certificate only");
			return false;
		}
		s->peer_any = i;
	}
	if (cfg->local_key == NULL && cfg->local_cert_der == NULL) {
		if (need_cert)
			ike_log(IKE_LOG_ERR,
				"ikefarm.lib.core: certificate peers need our key and certificate");
		return !need_cert;
	}
	if (cfg->local_key == NULL || cfg->local_cert_der == NULL ||
	    !ike_x509_parse(cfg->local_cert_der, cfg->local_cert_len, &x) ||
	    x.key == IKE_X509_KEY_UNKNOWN || x.subject.len > IKE_SIG_DN_MAX) {
		ike_log(IKE_LOG_ERR, "ikefarm.lib.core: unusable local key or certificate");
		return false;
	}
	s->local.key = x.key;
	s->local.dn = x.subject;
	return true;
}

bool
ike_auth_sig_check(struct ike_shard *s, const struct ike_req *r, const struct ike_sa *sa,
		   const struct ike_ho *ho, const struct ike_pld_id *idi, const uint8_t *idb,
		   size_t idb_len, const struct ike_pld_auth *auth, unsigned *ctr)
{
	const struct ike_pld *cert_p = ike_msg_find(&r->msg, IKE_PLD_CERT, 0);
	const struct cry_asym_ops *a = s->ops->asym;
	uint8_t int_auth[IKE_INT_AUTH_MAX];
	struct ike_auth_octets_input in = {
		.real_msg = ho->req,
		.real_msg_len = ho->req_len,
		.peer_nonce = ho->resp + ho->nr_off,
		.peer_nonce_len = ho->nr_len,
		.id = idb,
		.id_len = idb_len,
		.int_auth = int_auth,
		.int_auth_len = ike_ho_int_auth(ho, sa, int_auth),
	};
	enum cry_sig_scheme scheme;
	struct ike_pld_cert cert;
	struct cry_pubkey *key;
	enum ike_status st;
	struct ike_x509 x;
	size_t len;

	if (!peer_scheme(auth, &scheme)) {
		*ctr = IKE_CTR_AUTH_SIG_UNSUPPORTED;
		return false;
	}
	if (cert_p == NULL) {
		*ctr = IKE_CTR_AUTH_CERT_MISSING;
		return false;
	}
	/* Validated with the message: the decoder cannot fail now. */
	ike_pld_cert_parse(ike_req_body(r, cert_p), cert_p->len, &cert);
	/* Further CERT payloads (intermediates) are not used: the trust store must hold them. */
	if (cert.encoding != IKE_CERT_X509_SIGNATURE || !ike_x509_parse(cert.data, cert.len, &x)) {
		*ctr = IKE_CTR_AUTH_CERT_BAD;
		return false;
	}
	/* The cheap check first: the certificate must name IDi. */
	if (!ike_x509_names_id(&x, idi->type, idi->data, idi->len)) {
		*ctr = IKE_CTR_AUTH_ID_MISMATCH;
		return false;
	}
	st = a->cert_pubkey(s->ops->asym_ctx, cert.data, cert.len, &key);
	if (st != IKE_OK) {
		*ctr = st == IKE_E_MALFORMED ? IKE_CTR_AUTH_CERT_BAD : IKE_CTR_AUTH_CERT_UNTRUSTED;
		return false;
	}
	st = ike_auth_octets(s->ops, (enum cry_prf_alg)sa->prf, ho->sk_pi, sa->prf_len, &in,
			     s->octets, sizeof(s->octets), &len);
	if (st == IKE_OK) {
		st = a->verify(s->ops->asym_ctx, key, scheme, s->octets, len, auth->sig,
			       auth->sig_len);
		ike_wipe(s->octets, len);
	}
	a->pubkey_free(s->ops->asym_ctx, key);
	*ctr = IKE_CTR_AUTH_SIG_BAD;
	return st == IKE_OK;
}

/* The initiator's SIGNATURE_HASH_ALGORITHMS as a bit mask (bit n: hash n); 0: none sent. */
static uint32_t
peer_hashes(const struct ike_ho *ho)
{
	const struct ike_pld *p;
	struct ike_pld_notify n;
	struct ike_msg m;
	uint32_t mask = 0;

	if (ike_msg_parse(ho->req, ho->req_len, &m) != IKE_PARSE_OK)
		return 0;
	p = ike_msg_find_notify(&m, IKE_N_SIGNATURE_HASH_ALGORITHMS);
	if (p == NULL || ike_pld_notify_parse(ike_msg_pld_body(&m, p), p->len, &n) != IKE_PARSE_OK)
		return 0;
	for (size_t i = 0; i + 2 <= n.len; i += 2) {
		uint16_t h = ike_get_u16(n.data + i);

		if (h < 32)
			mask |= 1u << h;
	}
	/* Announced but none we know: still "sent" (method 14 is allowed). */
	return mask | 1u;
}

/* Preferred schemes per key kind, best first (RFC 7427 5: the key decides the algorithm). */
static unsigned
local_prefs(enum ike_x509_key key, bool pss, enum cry_sig_scheme out[3])
{
	switch (key) {
	case IKE_X509_KEY_RSA:
		if (!pss) {
			out[0] = CRY_SIG_RSA_PKCS1_SHA256;
			out[1] = CRY_SIG_RSA_PKCS1_SHA384;
			out[2] = CRY_SIG_RSA_PKCS1_SHA512;
			return 3;
		}
		/* fall through */
	case IKE_X509_KEY_RSA_PSS:
		out[0] = CRY_SIG_RSA_PSS_SHA256;
		out[1] = CRY_SIG_RSA_PSS_SHA384;
		out[2] = CRY_SIG_RSA_PSS_SHA512;
		return 3;
	case IKE_X509_KEY_EC_P256:
		out[0] = CRY_SIG_ECDSA_SHA256;
		out[1] = CRY_SIG_ECDSA_SHA384;
		out[2] = CRY_SIG_ECDSA_SHA512;
		return 3;
	case IKE_X509_KEY_EC_P384:
		out[0] = CRY_SIG_ECDSA_SHA384;
		out[1] = CRY_SIG_ECDSA_SHA512;
		out[2] = CRY_SIG_ECDSA_SHA256;
		return 3;
	case IKE_X509_KEY_EC_P521:
		out[0] = CRY_SIG_ECDSA_SHA512;
		out[1] = CRY_SIG_ECDSA_SHA384;
		out[2] = CRY_SIG_ECDSA_SHA256;
		return 3;
	case IKE_X509_KEY_ED25519:
		out[0] = CRY_SIG_ED25519;
		return 1;
	default:
		return 0;
	}
}

/*
 * RFC 7427 3: method 14 only when the initiator announced hashes; without
 * them the key's own method (RSA: RFC 7296 3.8 method 1; P-256/P-384:
 * RFC 4754). Keys without such a method (P-521, Ed25519, RSA-PSS) use 14.
 */
static bool
choose(const struct ike_shard *s, uint32_t hashes, uint8_t *method, enum cry_sig_scheme *scheme,
       const struct sig_alg **alg)
{
	enum cry_sig_scheme prefs[3];
	unsigned n = local_prefs(s->local.key, s->cfg->local_rsa_pss, prefs);

	*alg = NULL;
	if (n == 0)
		return false;
	if (hashes == 0) {
		*method = 0;
		if (s->local.key == IKE_X509_KEY_RSA) {
			*method = IKE_AUTH_RSA_SIG;
			*scheme = CRY_SIG_RSA_PKCS1_SHA1;
		} else if (s->local.key == IKE_X509_KEY_EC_P256) {
			*method = IKE_AUTH_ECDSA_SHA256_P256;
			*scheme = CRY_SIG_ECDSA_P256_SHA256_RAW;
		} else if (s->local.key == IKE_X509_KEY_EC_P384) {
			*method = IKE_AUTH_ECDSA_SHA384_P384;
			*scheme = CRY_SIG_ECDSA_P384_SHA384_RAW;
		}
		if (*method != 0)
			return true;
	}
	*method = IKE_AUTH_DIGITAL_SIGNATURE;
	*scheme = prefs[0];
	for (unsigned i = 0; i < n; i++) {
		if (hashes & (1u << sig_alg_of(prefs[i])->hash)) {
			*scheme = prefs[i];
			break;
		}
	}
	*alg = sig_alg_of(*scheme);
	return true;
}

bool
ike_auth_sig_ours(struct ike_shard *s, const struct ike_sa *sa, const struct ike_ho *ho,
		  struct ike_auth_ours *o)
{
	const struct ike_core_cfg *cfg = s->cfg;
	uint8_t idr[4 + IKE_SIG_DN_MAX];
	uint8_t int_auth[IKE_INT_AUTH_MAX];
	struct ike_auth_octets_input in = {
		.real_msg = ho->resp,
		.real_msg_len = ho->resp_len,
		.peer_nonce = ho->req + ho->ni_off,
		.peer_nonce_len = ho->ni_len,
		.id = idr,
		.int_auth = int_auth,
		.int_auth_len = ike_ho_int_auth(ho, sa, int_auth),
	};
	const struct sig_alg *alg;
	enum cry_sig_scheme scheme;
	size_t len, off = 0, sig_len;
	enum ike_status st;

	if (!choose(s, peer_hashes(ho), &o->method, &scheme, &alg))
		return false;
	if (cfg->local_id_len != 0) {
		o->id_type = cfg->local_id_type;
		o->id = cfg->local_id;
		o->id_len = cfg->local_id_len;
	} else {
		o->id_type = IKE_ID_DER_ASN1_DN;
		o->id = s->local.dn.p;
		o->id_len = s->local.dn.len;
	}
	o->cert = cfg->local_cert_der;
	o->cert_len = cfg->local_cert_len;
	/* RestOfRespIDPayload: ID Type | RESERVED(3) | data (RFC 7296 2.15) */
	memset(idr, 0, 4);
	idr[0] = o->id_type;
	memcpy(idr + 4, o->id, o->id_len);
	in.id_len = 4 + o->id_len;
	if (alg != NULL) {
		o->data[0] = alg->len;
		memcpy(o->data + 1, alg->der, alg->len);
		off = 1 + (size_t)alg->len;
	}
	if (ike_auth_octets(s->ops, (enum cry_prf_alg)sa->prf, ho->sk_pr, sa->prf_len, &in,
			    s->octets, sizeof(s->octets), &len) != IKE_OK)
		return false;
	sig_len = sizeof(o->data) - off;
	st = s->ops->asym->sign(s->ops->asym_ctx, cfg->local_key, scheme, s->octets, len,
				o->data + off, &sig_len);
	ike_wipe(s->octets, len);
	o->len = off + sig_len;
	return st == IKE_OK;
}

void
ike_auth_sig_hash_notify(const struct ike_msg *req, struct ike_mb *mb)
{
	if (ike_msg_find_notify(req, IKE_N_SIGNATURE_HASH_ALGORITHMS) == NULL)
		return;
	ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_SIGNATURE_HASH_ALGORITHMS,
			  our_hashes, sizeof(our_hashes));
}
