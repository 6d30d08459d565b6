/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_x509.c - locating subject, subjectAltName and key kind in a DER
 * X.509 certificate (RFC 5280 4.1, X.690 DER lengths).
 */
#include <string.h>

#include "ike_const.h"
#include "ike_x509.h"

#define DER_BOOLEAN 0x01
#define DER_INTEGER 0x02
#define DER_OCTET_STRING 0x04
#define DER_OID 0x06
#define DER_SEQUENCE 0x30
#define DER_CTX0_C 0xa0 /* [0] EXPLICIT: version */
#define DER_CTX3_C 0xa3 /* [3] EXPLICIT: extensions */
/* GeneralName choices, [n] IMPLICIT (RFC 5280 4.2.1.6). */
#define GN_RFC822 0x81
#define GN_DNS 0x82
#define GN_IP 0x87

/* OID contents octets. */
static const uint8_t OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t OID_RSA_PSS[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t OID_EC[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t OID_P256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t OID_P384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t OID_P521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t OID_ED25519[] = {0x2b, 0x65, 0x70};
static const uint8_t OID_SAN[] = {0x55, 0x1d, 0x11};

bool
ike_der_next(struct ike_der *d, uint8_t *tag, struct ike_der *val, struct ike_der *tlv)
{
	size_t hdr = 2, len;

	if (d->len < 2 || (d->p[0] & 0x1f) == 0x1f)
		return false;
	len = d->p[1];
	if (len & 0x80) {
		size_t n = len & 0x7f;

		/* DER: definite, minimal lengths only */
		if (n == 0 || n > 3 || d->len < 2 + n || d->p[2] == 0)
			return false;
		len = 0;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | d->p[2 + i];
		if (len < 0x80)
			return false;
		hdr += n;
	}
	if (len > d->len - hdr)
		return false;
	*tag = d->p[0];
	val->p = d->p + hdr;
	val->len = len;
	if (tlv != NULL) {
		tlv->p = d->p;
		tlv->len = hdr + len;
	}
	d->p += hdr + len;
	d->len -= hdr + len;
	return true;
}

bool
ike_der_take(struct ike_der *d, uint8_t want, struct ike_der *val, struct ike_der *tlv)
{
	uint8_t tag;

	return ike_der_next(d, &tag, val, tlv) && tag == want;
}

static bool
oid_is(const struct ike_der *oid, const uint8_t *want, size_t len)
{
	return oid->len == len && memcmp(oid->p, want, len) == 0;
}

/* SubjectPublicKeyInfo.algorithm -> key kind (unknown kinds are not an error). */
static bool
spki_key(struct ike_der spki, enum ike_x509_key *key)
{
	struct ike_der alg, oid, param;

	if (!ike_der_take(&spki, DER_SEQUENCE, &alg, NULL) || !ike_der_take(&alg, DER_OID, &oid, NULL))
		return false;
	*key = IKE_X509_KEY_UNKNOWN;
	if (oid_is(&oid, OID_RSA, sizeof(OID_RSA)))
		*key = IKE_X509_KEY_RSA;
	else if (oid_is(&oid, OID_RSA_PSS, sizeof(OID_RSA_PSS)))
		*key = IKE_X509_KEY_RSA_PSS;
	else if (oid_is(&oid, OID_ED25519, sizeof(OID_ED25519)))
		*key = IKE_X509_KEY_ED25519;
	else if (oid_is(&oid, OID_EC, sizeof(OID_EC)) && ike_der_take(&alg, DER_OID, &param, NULL)) {
		if (oid_is(&param, OID_P256, sizeof(OID_P256)))
			*key = IKE_X509_KEY_EC_P256;
		else if (oid_is(&param, OID_P384, sizeof(OID_P384)))
			*key = IKE_X509_KEY_EC_P384;
		else if (oid_is(&param, OID_P521, sizeof(OID_P521)))
			*key = IKE_X509_KEY_EC_P521;
	}
	return true;
}

/* Extensions ::= SEQUENCE OF Extension; keeps the subjectAltName. */
static bool
extensions(struct ike_der ctx3, struct ike_der *san)
{
	struct ike_der exts, ext, oid, val, names;
	uint8_t tag;

	if (!ike_der_take(&ctx3, DER_SEQUENCE, &exts, NULL) || ctx3.len != 0)
		return false;
	while (exts.len != 0) {
		if (!ike_der_take(&exts, DER_SEQUENCE, &ext, NULL) ||
		    !ike_der_take(&ext, DER_OID, &oid, NULL) || !ike_der_next(&ext, &tag, &val, NULL))
			return false;
		if (tag == DER_BOOLEAN && !ike_der_next(&ext, &tag, &val, NULL))
			return false;
		if (tag != DER_OCTET_STRING)
			return false;
		if (!oid_is(&oid, OID_SAN, sizeof(OID_SAN)))
			continue;
		/* RFC 5280 4.2: an extension appears at most once; two SANs are ambiguous */
		if (san->p != NULL || !ike_der_take(&val, DER_SEQUENCE, &names, NULL) || val.len != 0)
			return false;
		*san = names;
	}
	return true;
}

bool
ike_x509_parse(const uint8_t *der, size_t len, struct ike_x509 *c)
{
	struct ike_der in = {der, len}, cert, tbs, v;
	uint8_t tag;

	memset(c, 0, sizeof(*c));
	if (!ike_der_take(&in, DER_SEQUENCE, &cert, NULL) || in.len != 0 ||
	    !ike_der_take(&cert, DER_SEQUENCE, &tbs, NULL) || !ike_der_next(&tbs, &tag, &v, NULL))
		return false;
	if (tag == DER_CTX0_C && !ike_der_next(&tbs, &tag, &v, NULL))
		return false;
	/* serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo */
	if (tag != DER_INTEGER || !ike_der_take(&tbs, DER_SEQUENCE, &v, NULL) ||
	    !ike_der_take(&tbs, DER_SEQUENCE, &v, NULL) || !ike_der_take(&tbs, DER_SEQUENCE, &v, NULL) ||
	    !ike_der_take(&tbs, DER_SEQUENCE, &v, &c->subject) ||
	    !ike_der_take(&tbs, DER_SEQUENCE, &v, NULL) || !spki_key(v, &c->key))
		return false;
	/* issuerUniqueID [1], subjectUniqueID [2], extensions [3] */
	while (tbs.len != 0) {
		if (!ike_der_next(&tbs, &tag, &v, NULL))
			return false;
		if (tag == DER_CTX3_C && !extensions(v, &c->san))
			return false;
	}
	return true;
}

static bool
ascii_case_eq(const uint8_t *a, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 'a' - 'A');
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 'a' - 'A');
		if (x != y)
			return false;
	}
	return true;
}

static bool
san_has(const struct ike_x509 *c, uint8_t gn_tag, bool fold_case, const uint8_t *id, size_t len)
{
	struct ike_der names = c->san, name;
	uint8_t tag;

	while (names.len != 0) {
		if (!ike_der_next(&names, &tag, &name, NULL))
			return false;
		if (tag != gn_tag || name.len != len)
			continue;
		if (fold_case ? ascii_case_eq(name.p, id, len) : memcmp(name.p, id, len) == 0)
			return true;
	}
	return false;
}

bool
ike_x509_names_id(const struct ike_x509 *c, uint8_t id_type, const uint8_t *id, size_t len)
{
	if (len == 0)
		return false;
	switch (id_type) {
	case IKE_ID_DER_ASN1_DN:
		return len == c->subject.len && memcmp(id, c->subject.p, len) == 0;
	case IKE_ID_FQDN:
		return san_has(c, GN_DNS, true, id, len);
	case IKE_ID_RFC822_ADDR:
		return san_has(c, GN_RFC822, true, id, len);
	case IKE_ID_IPV4_ADDR:
		return len == 4 && san_has(c, GN_IP, false, id, len);
	case IKE_ID_IPV6_ADDR:
		return len == 16 && san_has(c, GN_IP, false, id, len);
	default:
		return false;
	}
}
