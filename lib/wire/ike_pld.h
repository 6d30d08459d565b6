/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One decoder per payload type (RFC 7296 3.3-3.16, RFC 7383 2.5). Each
 * takes a payload body (after the generic header) and fills a small
 * fixed struct whose variable-length fields point into that body.
 * Reserved fields are ignored on receipt, as RFC 7296 3.2 requires.
 * The same structs are the input of the builder (ike_build.h).
 */
#ifndef IKE_PLD_H
#define IKE_PLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_parse.h"

#define IKE_SA_MAX_PROPOSALS	16
#define IKE_SA_MAX_TRANSFORMS	128	/* over all proposals of one SA payload */
#define IKE_TS_MAX		16
#define IKE_CP_MAX_ATTRS	32

/* RFC 7296 3.3.2 transform with its 3.3.5 attributes folded in. */
struct ike_xform {
	uint8_t type;
	uint16_t id;
	uint16_t key_len;	/* Key Length attribute in bits, 0 if absent */
	bool has_key_len;
	bool unknown_attr;	/* 3.3.6: such a transform is unacceptable */
};

/* RFC 7296 3.3.1 proposal; its transforms are xf[xf_first .. xf_first+n_xf). */
struct ike_prop {
	uint8_t num;
	uint8_t proto;
	uint8_t spi_size;
	const uint8_t *spi;
	uint8_t xf_first;
	uint8_t n_xf;
};

struct ike_pld_sa {
	uint8_t n_prop;
	uint8_t n_xf;
	struct ike_prop prop[IKE_SA_MAX_PROPOSALS];
	struct ike_xform xf[IKE_SA_MAX_TRANSFORMS];
};

/* RFC 7296 3.4 (RFC 9370 calls the group "Key Exchange Method"). */
struct ike_pld_ke {
	uint16_t group;
	const uint8_t *data;
	size_t len;
};

/* RFC 7296 3.5; IDi/IDr. */
struct ike_pld_id {
	uint8_t type;
	const uint8_t *data;
	size_t len;
};

/* RFC 7296 3.6 CERT and 3.7 CERTREQ. */
struct ike_pld_cert {
	uint8_t encoding;
	const uint8_t *data;
	size_t len;
};

/*
 * RFC 7296 3.8; for IKE_AUTH_DIGITAL_SIGNATURE (RFC 7427 3) the data is
 * split into the ASN.1 AlgorithmIdentifier and the signature value.
 */
struct ike_pld_auth {
	uint8_t method;
	const uint8_t *data;
	size_t len;
	const uint8_t *sig_alg;
	size_t sig_alg_len;
	const uint8_t *sig;
	size_t sig_len;
};

/* RFC 7296 3.9 */
struct ike_pld_nonce {
	const uint8_t *data;
	size_t len;
};

/* RFC 7296 3.10 */
struct ike_pld_notify {
	uint8_t proto;
	uint8_t spi_size;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};

/* RFC 7296 3.11; spis holds n_spi SPIs of spi_size octets each. */
struct ike_pld_delete {
	uint8_t proto;
	uint8_t spi_size;
	uint16_t n_spi;
	const uint8_t *spis;
};

/* RFC 7296 3.12 */
struct ike_pld_vendor {
	const uint8_t *data;
	size_t len;
};

/*
 * RFC 7296 3.13.1; addresses are addr_len (4 or 16) octets. Selectors of
 * other types (e.g. RFC 9478 security labels) are kept uninterpreted:
 * addr_len 0, sel/sel_len the whole selector, for the policy to judge.
 */
struct ike_ts {
	uint8_t type;
	uint8_t ip_proto;
	uint16_t start_port;
	uint16_t end_port;
	uint8_t addr_len;
	const uint8_t *start_addr;
	const uint8_t *end_addr;
	const uint8_t *sel;
	uint16_t sel_len;
};

struct ike_pld_ts {
	uint8_t n_ts;
	struct ike_ts ts[IKE_TS_MAX];
};

/* RFC 7296 3.15.1 */
struct ike_cp_attr {
	uint16_t type;
	uint16_t len;
	const uint8_t *value;
};

struct ike_pld_cp {
	uint8_t cfg_type;
	uint8_t n_attr;
	struct ike_cp_attr attr[IKE_CP_MAX_ATTRS];
};

/* RFC 7296 3.16 / RFC 3748 4: type and data only for Request/Response. */
struct ike_pld_eap {
	uint8_t code;
	uint8_t id;
	uint16_t length;
	uint8_t type;
	const uint8_t *data;
	size_t len;
};

/* RFC 7383 2.5: data is IV | encrypted content | ICV. */
struct ike_pld_skf {
	uint16_t frag_num;
	uint16_t total;
	const uint8_t *data;
	size_t len;
};

enum ike_parse_status ike_pld_sa_parse(const uint8_t *body, size_t len, struct ike_pld_sa *sa);
enum ike_parse_status ike_pld_ke_parse(const uint8_t *body, size_t len, struct ike_pld_ke *ke);
enum ike_parse_status ike_pld_id_parse(const uint8_t *body, size_t len, struct ike_pld_id *id);
enum ike_parse_status ike_pld_cert_parse(const uint8_t *body, size_t len,
					 struct ike_pld_cert *cert);
enum ike_parse_status ike_pld_certreq_parse(const uint8_t *body, size_t len,
					    struct ike_pld_cert *req);
enum ike_parse_status ike_pld_auth_parse(const uint8_t *body, size_t len,
					 struct ike_pld_auth *auth);
enum ike_parse_status ike_pld_nonce_parse(const uint8_t *body, size_t len,
					  struct ike_pld_nonce *nonce);
enum ike_parse_status ike_pld_notify_parse(const uint8_t *body, size_t len,
					   struct ike_pld_notify *n);
enum ike_parse_status ike_pld_delete_parse(const uint8_t *body, size_t len,
					   struct ike_pld_delete *d);
enum ike_parse_status ike_pld_vendor_parse(const uint8_t *body, size_t len,
					   struct ike_pld_vendor *v);
enum ike_parse_status ike_pld_ts_parse(const uint8_t *body, size_t len, struct ike_pld_ts *ts);
enum ike_parse_status ike_pld_cp_parse(const uint8_t *body, size_t len, struct ike_pld_cp *cp);
enum ike_parse_status ike_pld_eap_parse(const uint8_t *body, size_t len, struct ike_pld_eap *eap);
/* next_payload is the SKF generic header's field (struct ike_msg.sk_first). */
enum ike_parse_status ike_pld_skf_parse(const uint8_t *body, size_t len, uint8_t next_payload,
					struct ike_pld_skf *skf);

/**
 * Runs the decoder for type over body (results discarded); types without
 * a decoder (SK, unknown) are OK. sk_first is used for SKF only.
 */
enum ike_parse_status ike_pld_validate(uint8_t type, const uint8_t *body, size_t len,
				       uint8_t sk_first);

/** Validates every payload of msg; on error *bad_idx is the failing index. */
enum ike_parse_status ike_msg_validate(const struct ike_msg *msg, unsigned int *bad_idx);

/** Transforms of proposal p of sa. */
static inline const struct ike_xform *
ike_prop_xforms(const struct ike_pld_sa *sa, const struct ike_prop *p)
{
	return &sa->xf[p->xf_first];
}

#endif
