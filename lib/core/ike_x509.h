/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The few fields of a DER X.509 certificate (RFC 5280 4.1) that IKE_AUTH
 * needs beyond what the crypto driver checks: the subject name, the
 * subjectAltName entries and the kind of public key. The driver validates
 * the chain and the signature over these same octets; this reader only
 * locates fields, it allocates nothing and points into the caller's buffer.
 */
#ifndef IKE_X509_H
#define IKE_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One DER element's contents, or a run of elements still to be read. */
struct ike_der {
	const uint8_t *p;
	size_t len;
};

/*
 * Takes the next element off d: its tag, its contents in *val and, when
 * tlv is not NULL, the whole element (tag, length, contents) in *tlv.
 * False on a truncated or non-DER (indefinite, over-long) length.
 */
bool ike_der_next(struct ike_der *d, uint8_t *tag, struct ike_der *val, struct ike_der *tlv);

/** ike_der_next() that also wants the tag to be tag. */
bool ike_der_take(struct ike_der *d, uint8_t tag, struct ike_der *val, struct ike_der *tlv);

enum ike_x509_key {
	IKE_X509_KEY_UNKNOWN,
	IKE_X509_KEY_RSA,     /* rsaEncryption (RFC 3279 2.3.1) */
	IKE_X509_KEY_RSA_PSS, /* id-RSASSA-PSS (RFC 4055 3.1) */
	IKE_X509_KEY_EC_P256, /* id-ecPublicKey with a named curve (RFC 5480 2.1.1) */
	IKE_X509_KEY_EC_P384,
	IKE_X509_KEY_EC_P521,
	IKE_X509_KEY_ED25519, /* id-Ed25519 (RFC 8410 3) */
};

struct ike_x509 {
	struct ike_der subject; /* the whole Name element: an ID_DER_ASN1_DN value */
	struct ike_der san;     /* GeneralNames contents; len 0: no subjectAltName */
	enum ike_x509_key key;
};

/** Locates the fields of the certificate der; false when it does not parse. */
bool ike_x509_parse(const uint8_t *der, size_t len, struct ike_x509 *c);

/**
 * True when the certificate names the identity of an ID payload (RFC 7296
 * 3.5, RFC 4945 3.1): ID_DER_ASN1_DN equals the subject octet for octet;
 * ID_FQDN, ID_RFC822_ADDR (ASCII case-insensitive) and ID_IPV4_ADDR,
 * ID_IPV6_ADDR (exact) equal a dNSName, rfc822Name or iPAddress of the
 * subjectAltName. Other ID types are never matched.
 */
bool ike_x509_names_id(const struct ike_x509 *c, uint8_t id_type, const uint8_t *id,
		       size_t len);

#endif
