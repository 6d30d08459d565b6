/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Payload body rules (RFC 7296 3.3-3.16, RFC 7427 3, RFC 7383 2.5), one
 * table row per rule with its expected named status, plus every
 * truncation of every golden payload body.
 */
#include "test_wire.h"

#define B(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

struct pld_case {
	const char *name;
	uint8_t type;
	const uint8_t *body;
	size_t len;
	enum ike_parse_status want;
};

/* Addresses and fillers used in TS/CP rows. */
#define V4A 10, 0, 0, 1
#define V4B 10, 0, 0, 9
#define ZERO16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define SHA1X 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20

static const struct pld_case cases[] = {
	/* 3.4 KE */
	{"ke-empty", IKE_PLD_KE, B(0), IKE_PARSE_KE_LENGTH},
	{"ke-head-only", IKE_PLD_KE, B(0, 19, 0, 0), IKE_PARSE_KE_LENGTH},
	{"ke-one-octet", IKE_PLD_KE, B(0, 19, 0, 0, 1), IKE_PARSE_OK},
	/* 3.5 ID */
	{"id-short", IKE_PLD_IDI, B(2, 0, 0), IKE_PARSE_ID_LENGTH},
	{"id-no-data", IKE_PLD_IDR, B(2, 0, 0, 0), IKE_PARSE_ID_LENGTH},
	{"id-fqdn", IKE_PLD_IDI, B(2, 0, 0, 0, 'a'), IKE_PARSE_OK},
	{"id-ipv4-5", IKE_PLD_IDI, B(1, 0, 0, 0, V4A, 0), IKE_PARSE_ID_ADDR_LENGTH},
	{"id-ipv4-3", IKE_PLD_IDI, B(1, 0, 0, 0, 10, 0, 0), IKE_PARSE_ID_ADDR_LENGTH},
	{"id-ipv4", IKE_PLD_IDI, B(1, 0, 0, 0, V4A), IKE_PARSE_OK},
	{"id-ipv6-4", IKE_PLD_IDI, B(5, 0, 0, 0, V4A), IKE_PARSE_ID_ADDR_LENGTH},
	{"id-ipv6", IKE_PLD_IDI, B(5, 0, 0, 0, ZERO16), IKE_PARSE_OK},
	/* 3.6 CERT, 3.7 CERTREQ */
	{"cert-empty", IKE_PLD_CERT, NULL, 0, IKE_PARSE_CERT_LENGTH},
	{"cert-no-data", IKE_PLD_CERT, B(4), IKE_PARSE_CERT_LENGTH},
	{"cert-x509", IKE_PLD_CERT, B(4, 0x30), IKE_PARSE_OK},
	{"certreq-empty", IKE_PLD_CERTREQ, NULL, 0, IKE_PARSE_CERTREQ_LENGTH},
	{"certreq-any-ca", IKE_PLD_CERTREQ, B(4), IKE_PARSE_OK},
	{"certreq-one-hash", IKE_PLD_CERTREQ, B(4, SHA1X), IKE_PARSE_OK},
	{"certreq-hash-21", IKE_PLD_CERTREQ, B(4, SHA1X, 0), IKE_PARSE_CERTREQ_HASH_LENGTH},
	{"certreq-hash-19", IKE_PLD_CERTREQ, B(4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
					      16, 17, 18, 19),
	 IKE_PARSE_CERTREQ_HASH_LENGTH},
	{"certreq-crl-any", IKE_PLD_CERTREQ, B(7, 1, 2, 3), IKE_PARSE_OK},
	/* 3.8 AUTH, RFC 7427 3 */
	{"auth-no-data", IKE_PLD_AUTH, B(2, 0, 0, 0), IKE_PARSE_AUTH_LENGTH},
	{"auth-psk", IKE_PLD_AUTH, B(2, 0, 0, 0, 0xaa), IKE_PARSE_OK},
	{"auth-ds-zero-alg", IKE_PLD_AUTH, B(14, 0, 0, 0, 0, 0xaa), IKE_PARSE_AUTH_SIG_ALG_LENGTH},
	{"auth-ds-alg-overrun", IKE_PLD_AUTH, B(14, 0, 0, 0, 5, 0x30, 3, 6, 1),
	 IKE_PARSE_AUTH_SIG_ALG_LENGTH},
	{"auth-ds-no-sig", IKE_PLD_AUTH, B(14, 0, 0, 0, 2, 0x30, 0), IKE_PARSE_AUTH_SIG_ALG_LENGTH},
	{"auth-ds", IKE_PLD_AUTH, B(14, 0, 0, 0, 2, 0x30, 0, 0xee), IKE_PARSE_OK},
	/* 3.10 Notify */
	{"n-3", IKE_PLD_NOTIFY, B(0, 0, 0x40), IKE_PARSE_NOTIFY_LENGTH},
	{"n-spi-size-3", IKE_PLD_NOTIFY, B(3, 3, 0x40, 0x09, 1, 2, 3), IKE_PARSE_NOTIFY_SPI_SIZE},
	{"n-spi-size-255", IKE_PLD_NOTIFY, B(3, 255, 0x40, 0x09), IKE_PARSE_NOTIFY_SPI_SIZE},
	{"n-spi-overrun", IKE_PLD_NOTIFY, B(3, 4, 0x40, 0x09, 1, 2, 3), IKE_PARSE_NOTIFY_LENGTH},
	{"n-spi-8-overrun", IKE_PLD_NOTIFY, B(1, 8, 0, 4, 1, 2, 3, 4), IKE_PARSE_NOTIFY_LENGTH},
	{"n-rekey-sa", IKE_PLD_NOTIFY, B(3, 4, 0x40, 0x09, 1, 2, 3, 4), IKE_PARSE_OK},
	{"n-cookie-empty", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x06), IKE_PARSE_NOTIFY_DATA_LENGTH},
	{"n-cookie-1", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x06, 7), IKE_PARSE_OK},
	{"n-nat-d-19", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x05, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
					  13, 14, 15, 16, 17, 18, 19),
	 IKE_PARSE_NOTIFY_DATA_LENGTH},
	{"n-nat-d-20", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x05, SHA1X), IKE_PARSE_OK},
	{"n-invalid-ke-1", IKE_PLD_NOTIFY, B(0, 0, 0, 17, 19), IKE_PARSE_NOTIFY_DATA_LENGTH},
	{"n-invalid-ke", IKE_PLD_NOTIFY, B(0, 0, 0, 17, 0, 19), IKE_PARSE_OK},
	{"n-window-3", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x01, 0, 0, 1), IKE_PARSE_NOTIFY_DATA_LENGTH},
	{"n-auth-lifetime-5", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x13, 0, 0, 1, 0, 0),
	 IKE_PARSE_NOTIFY_DATA_LENGTH},
	{"n-auth-lifetime", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x13, 0, 0, 1, 0), IKE_PARSE_OK},
	{"n-sig-hash-odd", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x2f, 0, 2, 0), IKE_PARSE_NOTIFY_DATA_LENGTH},
	{"n-sig-hash", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x2f, 0, 2, 0, 4), IKE_PARSE_OK},
	{"n-intermediate-data", IKE_PLD_NOTIFY, B(0, 0, 0x40, 0x36, 1), IKE_PARSE_OK},
	/* 3.11 Delete */
	{"d-3", IKE_PLD_DELETE, B(1, 0, 0), IKE_PARSE_DELETE_LENGTH},
	{"d-ike", IKE_PLD_DELETE, B(1, 0, 0, 0), IKE_PARSE_OK},
	{"d-ike-spi-size", IKE_PLD_DELETE, B(1, 8, 0, 0), IKE_PARSE_DELETE_SPI_SIZE},
	{"d-ike-count", IKE_PLD_DELETE, B(1, 0, 0, 1), IKE_PARSE_DELETE_COUNT},
	{"d-proto-0", IKE_PLD_DELETE, B(0, 4, 0, 1, 1, 2, 3, 4), IKE_PARSE_DELETE_PROTO},
	{"d-proto-9", IKE_PLD_DELETE, B(9, 4, 0, 1, 1, 2, 3, 4), IKE_PARSE_DELETE_PROTO},
	{"d-esp-spi-size", IKE_PLD_DELETE, B(3, 8, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8),
	 IKE_PARSE_DELETE_SPI_SIZE},
	{"d-esp-short", IKE_PLD_DELETE, B(3, 4, 0, 2, 1, 2, 3, 4), IKE_PARSE_DELETE_COUNT},
	{"d-esp-long", IKE_PLD_DELETE, B(3, 4, 0, 1, 1, 2, 3, 4, 5), IKE_PARSE_DELETE_COUNT},
	{"d-esp-huge", IKE_PLD_DELETE, B(3, 4, 0xff, 0xff, 1, 2, 3, 4), IKE_PARSE_DELETE_COUNT},
	{"d-ah-two", IKE_PLD_DELETE, B(2, 4, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8), IKE_PARSE_OK},
	/* 3.12 Vendor ID */
	{"v-empty", IKE_PLD_VENDOR, NULL, 0, IKE_PARSE_OK},
	/* 3.13 TS */
	{"ts-3", IKE_PLD_TSI, B(1, 0, 0), IKE_PARSE_TS_LENGTH},
	{"ts-zero", IKE_PLD_TSI, B(0, 0, 0, 0), IKE_PARSE_TS_EMPTY},
	{"ts-17", IKE_PLD_TSI, B(17, 0, 0, 0), IKE_PARSE_TS_TOO_MANY},
	{"ts-claims-1-has-0", IKE_PLD_TSR, B(1, 0, 0, 0), IKE_PARSE_TS_COUNT},
	{"ts-v4", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 0, 0, 16, 0, 0, 0xff, 0xff, V4A, V4B), IKE_PARSE_OK},
	{"ts-claims-2-has-1", IKE_PLD_TSI,
	 B(2, 0, 0, 0, 7, 0, 0, 16, 0, 0, 0xff, 0xff, V4A, V4B), IKE_PARSE_TS_COUNT},
	{"ts-claims-1-has-2", IKE_PLD_TSI,
	 B(1, 0, 0, 0, 7, 0, 0, 16, 0, 0, 0xff, 0xff, V4A, V4B,
	   7, 0, 0, 16, 0, 0, 0xff, 0xff, V4A, V4B),
	 IKE_PARSE_TS_COUNT},
	{"ts-v4-len-15", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 0, 0, 15, 0, 0, 0xff, 0xff, V4A, 10, 0, 0),
	 IKE_PARSE_TS_SELECTOR_LENGTH},
	{"ts-v4-len-40", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 0, 0, 40, 0, 0, 0xff, 0xff, V4A, V4B),
	 IKE_PARSE_TS_SELECTOR_LENGTH},
	{"ts-len-huge", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, V4A, V4B),
	 IKE_PARSE_TS_SELECTOR_LENGTH},
	{"ts-len-3", IKE_PLD_TSI, B(1, 0, 0, 0, 9, 0, 0, 3), IKE_PARSE_TS_SELECTOR_LENGTH},
	{"ts-sel-truncated", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 0), IKE_PARSE_TS_SELECTOR_LENGTH},
	{"ts-v6-in-v4-size", IKE_PLD_TSI, B(1, 0, 0, 0, 8, 0, 0, 16, 0, 0, 0xff, 0xff, V4A, V4B),
	 IKE_PARSE_TS_SELECTOR_LENGTH},
	{"ts-ports-reversed", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 6, 0, 16, 0, 10, 0, 5, V4A, V4B),
	 IKE_PARSE_TS_PORT_RANGE},
	{"ts-ports-opaque", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 6, 0, 16, 0xff, 0xff, 0, 0, V4A, V4B),
	 IKE_PARSE_OK},
	{"ts-addr-reversed", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 0, 0, 16, 0, 0, 0xff, 0xff, V4B, V4A),
	 IKE_PARSE_TS_ADDR_RANGE},
	{"ts-single-addr", IKE_PLD_TSI, B(1, 0, 0, 0, 7, 17, 0, 16, 1, 0xf4, 1, 0xf4, V4A, V4A),
	 IKE_PARSE_OK},
	{"ts-other-type", IKE_PLD_TSI, B(1, 0, 0, 0, 10, 0, 0, 6, 'a', 'b'), IKE_PARSE_OK},
	/* 3.15 CP */
	{"cp-3", IKE_PLD_CP, B(1, 0, 0), IKE_PARSE_CP_LENGTH},
	{"cp-type-0", IKE_PLD_CP, B(0, 0, 0, 0), IKE_PARSE_CP_TYPE},
	{"cp-type-5", IKE_PLD_CP, B(5, 0, 0, 0), IKE_PARSE_CP_TYPE},
	{"cp-request-empty", IKE_PLD_CP, B(1, 0, 0, 0), IKE_PARSE_OK},
	{"cp-attr-truncated", IKE_PLD_CP, B(1, 0, 0, 0, 0, 1, 0), IKE_PARSE_CP_ATTR_TRUNCATED},
	{"cp-attr-overrun", IKE_PLD_CP, B(1, 0, 0, 0, 0, 1, 0, 4, 10, 0), IKE_PARSE_CP_ATTR_TRUNCATED},
	{"cp-attr-huge", IKE_PLD_CP, B(1, 0, 0, 0, 0, 1, 0xff, 0xff), IKE_PARSE_CP_ATTR_TRUNCATED},
	{"cp-ip4-3", IKE_PLD_CP, B(2, 0, 0, 0, 0, 1, 0, 3, 10, 0, 0), IKE_PARSE_CP_ATTR_LENGTH},
	{"cp-ip4", IKE_PLD_CP, B(2, 0, 0, 0, 0, 1, 0, 4, V4A), IKE_PARSE_OK},
	{"cp-ip4-request", IKE_PLD_CP, B(1, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0), IKE_PARSE_OK},
	{"cp-ip6-16", IKE_PLD_CP, B(2, 0, 0, 0, 0, 8, 0, 16, ZERO16), IKE_PARSE_CP_ATTR_LENGTH},
	{"cp-ip6-17", IKE_PLD_CP, B(2, 0, 0, 0, 0, 8, 0, 17, ZERO16, 64), IKE_PARSE_OK},
	{"cp-ip6-dns-4", IKE_PLD_CP, B(2, 0, 0, 0, 0, 10, 0, 4, V4A), IKE_PARSE_CP_ATTR_LENGTH},
	{"cp-ip4-subnet-4", IKE_PLD_CP, B(2, 0, 0, 0, 0, 13, 0, 4, V4A), IKE_PARSE_CP_ATTR_LENGTH},
	{"cp-supported-odd", IKE_PLD_CP, B(2, 0, 0, 0, 0, 14, 0, 1, 0), IKE_PARSE_CP_ATTR_LENGTH},
	{"cp-app-version", IKE_PLD_CP, B(1, 0, 0, 0, 0, 7, 0, 3, 'x', 'y', 'z'), IKE_PARSE_OK},
	{"cp-unknown-attr", IKE_PLD_CP, B(1, 0, 0, 0, 0x7f, 0xff, 0, 1, 9), IKE_PARSE_OK},
	/* 3.16 EAP */
	{"eap-3", IKE_PLD_EAP, B(1, 1, 0), IKE_PARSE_EAP_LENGTH},
	{"eap-len-mismatch", IKE_PLD_EAP, B(2, 1, 0, 6, 1), IKE_PARSE_EAP_LENGTH},
	{"eap-len-huge", IKE_PLD_EAP, B(2, 1, 0xff, 0xff, 1), IKE_PARSE_EAP_LENGTH},
	{"eap-request-untyped", IKE_PLD_EAP, B(1, 1, 0, 4), IKE_PARSE_EAP_LENGTH},
	{"eap-request", IKE_PLD_EAP, B(1, 1, 0, 5, 1), IKE_PARSE_OK},
	{"eap-success", IKE_PLD_EAP, B(3, 1, 0, 4), IKE_PARSE_OK},
	{"eap-success-data", IKE_PLD_EAP, B(3, 1, 0, 5, 0), IKE_PARSE_EAP_LENGTH},
	{"eap-code-0", IKE_PLD_EAP, B(0, 1, 0, 4), IKE_PARSE_EAP_CODE},
	{"eap-code-5", IKE_PLD_EAP, B(5, 1, 0, 4), IKE_PARSE_EAP_CODE},
	/* 3.9 Nonce (lengths covered separately) and types without rules */
	{"sk-anything", IKE_PLD_SK, NULL, 0, IKE_PARSE_OK},
	{"unknown-type", 99, B(1, 2, 3), IKE_PARSE_OK},
};

static void
test_payload_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pld_case *c = &cases[i];
		enum ike_parse_status st = ike_pld_validate(c->type, c->body, c->len, 0);

		if (st != c->want)
			fail_msg("%s: got %s, want %s", c->name, ike_parse_status_name(st),
				 ike_parse_status_name(c->want));
	}
}

static void
test_nonce_lengths(void **state)
{
	static const uint8_t nonce[300];
	struct ike_pld_nonce n;

	(void)state;
	for (size_t len = 0; len < sizeof(nonce); len++) {
		enum ike_parse_status want = len >= 16 && len <= 256 ? IKE_PARSE_OK
								     : IKE_PARSE_NONCE_LENGTH;

		assert_int_equal(ike_pld_nonce_parse(nonce, len, &n), want);
	}
}

/* RFC 7383 2.5 rules, with the SKF generic header's Next Payload. */
static void
test_skf_rules(void **state)
{
	static const struct {
		uint8_t body[8];
		size_t len;
		uint8_t next;
		enum ike_parse_status want;
	} c[] = {
		{{0, 1, 0, 1}, 4, IKE_PLD_IDI, IKE_PARSE_SKF_LENGTH},
		{{0, 1, 0, 1, 9}, 5, IKE_PLD_IDI, IKE_PARSE_OK},
		{{0, 1, 0, 0, 9}, 5, IKE_PLD_IDI, IKE_PARSE_SKF_TOTAL},
		{{0, 0, 0, 2, 9}, 5, IKE_PLD_IDI, IKE_PARSE_SKF_FRAG_NUMBER},
		{{0, 3, 0, 2, 9}, 5, IKE_PLD_NONE, IKE_PARSE_SKF_FRAG_NUMBER},
		{{0, 2, 0, 2, 9}, 5, IKE_PLD_IDI, IKE_PARSE_SKF_NEXT_PAYLOAD},
		{{0, 2, 0, 2, 9}, 5, IKE_PLD_NONE, IKE_PARSE_OK},
		{{0xff, 0xff, 0xff, 0xff, 9}, 5, IKE_PLD_NONE, IKE_PARSE_OK},
	};
	struct ike_pld_skf skf;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ike_pld_skf_parse(c[i].body, c[i].len, c[i].next, &skf), c[i].want);
		assert_int_equal(ike_pld_validate(IKE_PLD_SKF, c[i].body, c[i].len, c[i].next),
				 c[i].want);
	}
	assert_int_equal(ike_pld_skf_parse(c[1].body, c[1].len, c[1].next, &skf), IKE_PARSE_OK);
	assert_int_equal(skf.frag_num, 1);
	assert_int_equal(skf.total, 1);
	assert_int_equal(skf.len, 1);
	assert_ptr_equal(skf.data, c[1].body + 4);
}

/* SA body patches: golden SA body with up to three octets changed. */
struct sa_patch {
	const char *name;
	unsigned int n;
	size_t off[3];
	uint8_t val[3];
	enum ike_parse_status want;
};

#define P1(o, v) 1, {o}, {v}
#define P3(o1, v1, o2, v2, o3, v3) 3, {o1, o2, o3}, {v1, v2, v3}

/*
 * Offsets in the golden SA body: proposal 0..7 (last, res, len 2-3, num,
 * proto, spi size, n transforms); transforms at 8 (12 octets, attribute at
 * 16), 20, 28, 36 (8 octets each).
 */
static const struct sa_patch sa_patches[] = {
	{"prop-last-more", P1(0, 2), IKE_PARSE_SA_PROP_LAST},
	{"prop-last-3", P1(0, 3), IKE_PARSE_SA_PROP_LAST},
	{"prop-len-7", P1(3, 7), IKE_PARSE_SA_PROP_LENGTH},
	{"prop-len-0", P1(3, 0), IKE_PARSE_SA_PROP_LENGTH},
	{"prop-len-45", P1(3, 45), IKE_PARSE_SA_PROP_LENGTH},
	{"prop-len-huge", P1(2, 0xff), IKE_PARSE_SA_PROP_LENGTH},
	{"prop-num-0", P1(4, 0), IKE_PARSE_SA_PROP_NUMBER},
	{"prop-num-lone-7", P1(4, 7), IKE_PARSE_OK},
	{"prop-proto-0", P1(5, 0), IKE_PARSE_SA_PROP_PROTO},
	{"prop-proto-4", P1(5, 4), IKE_PARSE_SA_PROP_PROTO},
	{"prop-proto-esp-spi-0", P1(5, IKE_PROTO_ESP), IKE_PARSE_SA_SPI_SIZE},
	{"prop-proto-ah-spi-0", P1(5, IKE_PROTO_AH), IKE_PARSE_SA_SPI_SIZE},
	{"prop-ike-spi-4", P1(6, 4), IKE_PARSE_SA_SPI_SIZE},
	{"prop-ike-spi-8-shifts", P1(6, 8), IKE_PARSE_SA_XFORM_LENGTH},
	{"prop-ike-spi-255", P1(6, 255), IKE_PARSE_SA_SPI_SIZE},
	{"prop-no-transforms", P1(7, 0), IKE_PARSE_SA_NO_TRANSFORMS},
	{"prop-claims-3", P1(7, 3), IKE_PARSE_SA_XFORM_LAST},
	{"prop-claims-5", P1(7, 5), IKE_PARSE_SA_XFORM_LAST},
	{"prop-claims-255", P1(7, 255), IKE_PARSE_SA_XFORM_LAST},
	{"prop-claims-3-last-at-3", P3(7, 3, 28, 0, 0, 0), IKE_PARSE_SA_XFORM_COUNT},
	{"prop-claims-5-all-more", P3(7, 5, 36, 3, 0, 0), IKE_PARSE_SA_XFORM_COUNT},
	{"xf-last-0-early", P1(8, 0), IKE_PARSE_SA_XFORM_LAST},
	{"xf-last-1", P1(8, 1), IKE_PARSE_SA_XFORM_LAST},
	{"xf-last-2", P1(20, 2), IKE_PARSE_SA_XFORM_LAST},
	{"xf-final-more", P1(36, 3), IKE_PARSE_SA_XFORM_LAST},
	{"xf-len-7", P1(11, 7), IKE_PARSE_SA_XFORM_LENGTH},
	{"xf-len-0", P1(11, 0), IKE_PARSE_SA_XFORM_LENGTH},
	{"xf-len-huge", P1(10, 0xff), IKE_PARSE_SA_XFORM_LENGTH},
	{"xf-last-len-9", P1(39, 9), IKE_PARSE_SA_XFORM_LENGTH},
	{"xf-attr-cut", P1(11, 10), IKE_PARSE_SA_ATTR_LENGTH},
	{"attr-keylen-tlv-overrun", P1(16, 0x00), IKE_PARSE_SA_ATTR_LENGTH},
	{"attr-keylen-tlv-empty", P3(16, 0x00, 18, 0, 19, 0), IKE_PARSE_SA_ATTR_FORMAT},
	{"attr-unknown-tv", P1(17, 0x0f), IKE_PARSE_OK},
	{"attr-unknown-tlv-overrun", P3(16, 0x00, 17, 0x0f, 0, 0), IKE_PARSE_SA_ATTR_LENGTH},
	{"xf-type-unknown", P1(12, 200), IKE_PARSE_OK},
	{"xf-reserved-ignored", P1(13, 0xff), IKE_PARSE_OK},
};

static void
test_sa_patches(void **state)
{
	uint8_t body[44];
	struct ike_pld_sa sa;

	(void)state;
	for (size_t i = 0; i < sizeof(sa_patches) / sizeof(sa_patches[0]); i++) {
		const struct sa_patch *c = &sa_patches[i];
		enum ike_parse_status st;

		memcpy(body, golden_sa_init + GOLDEN_SA_BODY, sizeof(body));
		for (unsigned int k = 0; k < c->n; k++)
			body[c->off[k]] = c->val[k];
		st = ike_pld_sa_parse(body, sizeof(body), &sa);
		if (st != c->want)
			fail_msg("%s: got %s, want %s", c->name, ike_parse_status_name(st),
				 ike_parse_status_name(c->want));
	}
}

static void
test_sa_attributes(void **state)
{
	uint8_t body[44];
	struct ike_pld_sa sa;

	(void)state;
	/* Unknown TV attribute: transform kept, flagged (RFC 7296 3.3.6). */
	memcpy(body, golden_sa_init + GOLDEN_SA_BODY, sizeof(body));
	body[17] = 0x0f;
	assert_int_equal(ike_pld_sa_parse(body, sizeof(body), &sa), IKE_PARSE_OK);
	assert_true(sa.xf[0].unknown_attr);
	assert_false(sa.xf[0].has_key_len);

	/* Unknown TLV attribute of length 0 fits. */
	body[16] = 0x00;
	body[18] = 0;
	body[19] = 0;
	assert_int_equal(ike_pld_sa_parse(body, sizeof(body), &sa), IKE_PARSE_OK);
	assert_true(sa.xf[0].unknown_attr);

	/* Unknown TLV attribute of length 1 overruns the transform. */
	body[19] = 1;
	assert_int_equal(ike_pld_sa_parse(body, sizeof(body), &sa), IKE_PARSE_SA_ATTR_LENGTH);
	body[18] = 0xff;
	assert_int_equal(ike_pld_sa_parse(body, sizeof(body), &sa), IKE_PARSE_SA_ATTR_LENGTH);

	/* Two Key Length attributes on one transform. */
	static const uint8_t dup[] = {
		0, 0, 0, 20, 1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 12 + 4, IKE_TRANSFORM_ENCR, 0, 0, IKE_ENCR_AES_CBC,
		0x80, 0x0e, 0x00, 0x80, 0x80, 0x0e, 0x01, 0x00,
	};
	uint8_t d[sizeof(dup)];

	memcpy(d, dup, sizeof(d));
	ike_put_u16(d + 2, sizeof(d));
	assert_int_equal(ike_pld_sa_parse(d, sizeof(d), &sa), IKE_PARSE_SA_ATTR_DUPLICATE);
}

/* Writes one proposal with n transforms (8 octets each) at p; returns its length. */
static size_t
put_prop(uint8_t *p, bool last, uint8_t num, uint8_t proto, uint8_t spi_size, unsigned int n)
{
	size_t off = 8 + spi_size;

	p[0] = last ? 0 : 2;
	p[1] = 0;
	p[4] = num;
	p[5] = proto;
	p[6] = spi_size;
	p[7] = (uint8_t)n;
	memset(p + 8, 0xab, spi_size);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *t = p + off;

		t[0] = i + 1 == n ? 0 : 3;
		t[1] = 0;
		ike_put_u16(t + 2, 8);
		t[4] = IKE_TRANSFORM_ENCR;
		t[5] = 0;
		ike_put_u16(t + 6, (uint16_t)i);
		off += 8;
	}
	ike_put_u16(p + 2, (uint16_t)off);
	return off;
}

static void
test_sa_multi_proposals(void **state)
{
	static uint8_t body[8192];
	struct ike_pld_sa sa;
	size_t len;

	(void)state;
	/* 1 (IKE), 2 (ESP, SPI 4): OK. */
	len = put_prop(body, false, 1, IKE_PROTO_IKE, 8, 2);
	len += put_prop(body + len, true, 2, IKE_PROTO_ESP, 4, 3);
	assert_int_equal(ike_pld_sa_parse(body, len, &sa), IKE_PARSE_OK);
	assert_int_equal(sa.n_prop, 2);
	assert_int_equal(sa.n_xf, 5);
	assert_int_equal(sa.prop[0].spi_size, 8);
	assert_ptr_equal(sa.prop[0].spi, body + 8);
	assert_int_equal(sa.prop[1].xf_first, 2);
	assert_int_equal(sa.prop[1].n_xf, 3);
	assert_int_equal(ike_prop_xforms(&sa, &sa.prop[1])[2].id, 2);

	/* Numbering 1, 3 */
	len = put_prop(body, false, 1, IKE_PROTO_IKE, 0, 1);
	len += put_prop(body + len, true, 3, IKE_PROTO_IKE, 0, 1);
	assert_int_equal(ike_pld_sa_parse(body, len, &sa), IKE_PARSE_SA_PROP_NUMBER);
	/* Numbering 2, 3 */
	len = put_prop(body, false, 2, IKE_PROTO_IKE, 0, 1);
	len += put_prop(body + len, true, 3, IKE_PROTO_IKE, 0, 1);
	assert_int_equal(ike_pld_sa_parse(body, len, &sa), IKE_PARSE_SA_PROP_NUMBER);
	/* Numbering 1, 1 */
	len = put_prop(body, false, 1, IKE_PROTO_IKE, 0, 1);
	len += put_prop(body + len, true, 1, IKE_PROTO_IKE, 0, 1);
	assert_int_equal(ike_pld_sa_parse(body, len, &sa), IKE_PARSE_SA_PROP_NUMBER);
	/* First says "more", nothing follows */
	len = put_prop(body, false, 1, IKE_PROTO_IKE, 0, 1);
	assert_int_equal(ike_pld_sa_parse(body, len, &sa), IKE_PARSE_SA_PROP_LAST);
	/* Second proposal truncated to 5 octets */
	len = put_prop(body, false, 1, IKE_PROTO_IKE, 0, 1);
	memset(body + len, 0, 5);
	assert_int_equal(ike_pld_sa_parse(body, len + 5, &sa), IKE_PARSE_SA_PROP_TRUNCATED);
	/* Empty SA */
	assert_int_equal(ike_pld_sa_parse(body, 0, &sa), IKE_PARSE_SA_EMPTY);

	/* 16 proposals fit, 17 do not. */
	for (unsigned int n = IKE_SA_MAX_PROPOSALS; n <= IKE_SA_MAX_PROPOSALS + 1; n++) {
		len = 0;
		for (unsigned int i = 0; i < n; i++)
			len += put_prop(body + len, i + 1 == n, (uint8_t)(i + 1), IKE_PROTO_IKE, 0,
					1);
		assert_int_equal(ike_pld_sa_parse(body, len, &sa),
				 n <= IKE_SA_MAX_PROPOSALS ? IKE_PARSE_OK
							   : IKE_PARSE_SA_TOO_MANY_PROPOSALS);
	}
	/* 128 transforms fit, 129 do not. */
	for (unsigned int n = IKE_SA_MAX_TRANSFORMS; n <= IKE_SA_MAX_TRANSFORMS + 1; n++) {
		len = put_prop(body, false, 1, IKE_PROTO_IKE, 0, 100);
		len += put_prop(body + len, true, 2, IKE_PROTO_IKE, 0, n - 100);
		assert_int_equal(ike_pld_sa_parse(body, len, &sa),
				 n <= IKE_SA_MAX_TRANSFORMS ? IKE_PARSE_OK
							    : IKE_PARSE_SA_TOO_MANY_TRANSFORMS);
	}
	/* Proposal length includes the SPI but the SPI overruns it. */
	len = put_prop(body, true, 1, IKE_PROTO_ESP, 4, 1);
	ike_put_u16(body + 2, 10);
	assert_int_equal(ike_pld_sa_parse(body, 10, &sa), IKE_PARSE_SA_PROP_LENGTH);
}

/* Every truncation of every golden payload body fails with a named status. */
static void
test_golden_bodies_truncated(void **state)
{
	struct ike_msg m;

	(void)state;
	assert_int_equal(ike_msg_parse(golden_sa_init, GOLDEN_LEN, &m), IKE_PARSE_OK);
	for (unsigned int i = 0; i < m.n_pld; i++) {
		const struct ike_pld *p = &m.pld[i];
		const uint8_t *body = ike_msg_pld_body(&m, p);

		assert_int_equal(ike_pld_validate(p->type, body, p->len, 0), IKE_PARSE_OK);
		for (size_t n = 0; n < p->len; n++) {
			enum ike_parse_status st = ike_pld_validate(p->type, body, n, 0);

			/* KE takes any data after its head; a nonce any 16..256. */
			if ((p->type == IKE_PLD_KE && n > 4) ||
			    (p->type == IKE_PLD_NONCE && n >= IKE_NONCE_MIN))
				assert_int_equal(st, IKE_PARSE_OK);
			else
				assert_int_not_equal(st, IKE_PARSE_OK);
		}
	}
	unsigned int bad = 99;

	assert_int_equal(ike_msg_validate(&m, &bad), IKE_PARSE_OK);
	assert_int_equal(bad, 99);
}

int
test_wire_payloads(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_rules),
		cmocka_unit_test(test_nonce_lengths),
		cmocka_unit_test(test_skf_rules),
		cmocka_unit_test(test_sa_patches),
		cmocka_unit_test(test_sa_attributes),
		cmocka_unit_test(test_sa_multi_proposals),
		cmocka_unit_test(test_golden_bodies_truncated),
	};

	return cmocka_run_group_tests_name("wire-payloads", tests, NULL, NULL);
}
