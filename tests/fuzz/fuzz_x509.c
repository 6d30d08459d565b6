/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_x509.c - libFuzzer entry point for the pre-authentication DER/X.509
 * reader (lib/core/ike_x509.c): the certificate a peer sends in IKE_AUTH
 * is read before its signature is checked. Walks the input as DER to a
 * bounded depth, parses it as a certificate, checks that every located
 * field lies inside the input, and matches it against identities of each
 * ID type taken from the input's tail.
 */
#include <stdlib.h>

#include "fuzz_target.h"
#include "ike_wire.h"
#include "ike_x509.h"

static bool
inside(const struct ike_der *d, const uint8_t *data, size_t size)
{
	return d->len == 0 || (d->p >= data && d->len <= size && d->p - data <= (ptrdiff_t)(size - d->len));
}

/* Every element, constructed ones (bit 0x20) recursively, as a certificate walker would. */
static void
walk(struct ike_der d, const uint8_t *data, size_t size, unsigned depth)
{
	struct ike_der val, tlv;
	uint8_t tag;

	while (d.len > 0 && ike_der_next(&d, &tag, &val, &tlv)) {
		check(inside(&val, data, size) && inside(&tlv, data, size));
		check(tlv.len >= val.len + 2);
		if ((tag & 0x20) != 0 && depth < 16)
			walk(val, data, size, depth + 1);
	}
}

/* Each dNSName, rfc822Name and iPAddress of the subjectAltName names the certificate. */
static void
names_match(const struct ike_x509 *c)
{
	struct ike_der names = c->san, name;
	uint8_t tag;

	while (names.len != 0 && ike_der_next(&names, &tag, &name, NULL)) {
		if (name.len == 0)
			continue;
		if (tag == 0x82)
			check(ike_x509_names_id(c, IKE_ID_FQDN, name.p, name.len));
		else if (tag == 0x81)
			check(ike_x509_names_id(c, IKE_ID_RFC822_ADDR, name.p, name.len));
		else if (tag == 0x87 && (name.len == 4 || name.len == 16))
			check(ike_x509_names_id(c, name.len == 4 ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR,
						name.p, name.len));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t id_types[] = {IKE_ID_IPV4_ADDR, IKE_ID_FQDN,     IKE_ID_RFC822_ADDR,
					   IKE_ID_IPV6_ADDR, IKE_ID_DER_ASN1_DN, IKE_ID_KEY_ID};
	struct ike_x509 c;
	size_t n;

	walk((struct ike_der){data, size}, data, size, 0);
	if (!ike_x509_parse(data, size, &c))
		return 0;
	check(inside(&c.subject, data, size) && inside(&c.san, data, size));
	check(c.key <= IKE_X509_KEY_ED25519);
	/* The subject as ID_DER_ASN1_DN names the certificate, octet for octet. */
	check(ike_x509_names_id(&c, IKE_ID_DER_ASN1_DN, c.subject.p, c.subject.len));
	walk(c.san, data, size, 0);
	names_match(&c);
	n = size < 40 ? size : 40;
	for (size_t i = 0; i < sizeof(id_types); i++)
		(void)ike_x509_names_id(&c, id_types[i], data + size - n, n);
	return 0;
}
