/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv2 message parser (RFC 7296 3.1, 3.2; RFC 7383 2.5 for SKF).
 * Zero allocation: the parse result is a fixed struct of offsets into the
 * caller's buffer. Every distinct way a message can be malformed has its
 * own status so drops can be counted by reason.
 */
#ifndef IKE_PARSE_H
#define IKE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_const.h"

/*
 * X(status, name, notify): notify is what RFC 7296 2.5 / 3.10.1 says to
 * answer with (INVALID_SYNTAX only once the message is authenticated).
 */
#define IKE_PARSE_STATUS_LIST(X)                                                                   \
	X(IKE_PARSE_OK, "ok", 0)                                                                   \
	X(IKE_PARSE_TRUNCATED_HEADER, "truncated-header", 0)                                       \
	X(IKE_PARSE_BAD_MAJOR_VERSION, "bad-major-version", IKE_N_INVALID_MAJOR_VERSION)           \
	X(IKE_PARSE_LENGTH_MISMATCH, "length-field-mismatch", IKE_N_INVALID_SYNTAX)                \
	X(IKE_PARSE_MSG_TOO_LONG, "message-too-long", IKE_N_INVALID_SYNTAX)                        \
	X(IKE_PARSE_ZERO_SPI_I, "zero-initiator-spi", 0)                                           \
	X(IKE_PARSE_PLD_HDR_TRUNCATED, "payload-header-truncated", IKE_N_INVALID_SYNTAX)           \
	X(IKE_PARSE_PLD_LEN_SHORT, "payload-length-below-4", IKE_N_INVALID_SYNTAX)                 \
	X(IKE_PARSE_PLD_OVERRUN, "payload-overruns-message", IKE_N_INVALID_SYNTAX)                 \
	X(IKE_PARSE_TRAILING_DATA, "data-after-last-payload", IKE_N_INVALID_SYNTAX)                \
	X(IKE_PARSE_TOO_MANY_PAYLOADS, "too-many-payloads", IKE_N_INVALID_SYNTAX)                  \
	X(IKE_PARSE_UNSUPPORTED_CRITICAL, "unsupported-critical-payload",                          \
	  IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD)                                                      \
	X(IKE_PARSE_SK_NOT_LAST, "sk-not-last", IKE_N_INVALID_SYNTAX)                              \
	X(IKE_PARSE_SK_NESTED, "sk-inside-sk", IKE_N_INVALID_SYNTAX)                               \
	X(IKE_PARSE_NO_SK, "no-sk-payload", IKE_N_INVALID_SYNTAX)                                  \
	X(IKE_PARSE_SA_EMPTY, "sa-no-proposal", IKE_N_INVALID_SYNTAX)                              \
	X(IKE_PARSE_SA_PROP_TRUNCATED, "sa-proposal-truncated", IKE_N_INVALID_SYNTAX)              \
	X(IKE_PARSE_SA_PROP_LENGTH, "sa-proposal-length", IKE_N_INVALID_SYNTAX)                    \
	X(IKE_PARSE_SA_PROP_LAST, "sa-proposal-last-substruc", IKE_N_INVALID_SYNTAX)               \
	X(IKE_PARSE_SA_PROP_NUMBER, "sa-proposal-number", IKE_N_INVALID_SYNTAX)                    \
	X(IKE_PARSE_SA_PROP_PROTO, "sa-proposal-protocol", IKE_N_INVALID_SYNTAX)                   \
	X(IKE_PARSE_SA_SPI_SIZE, "sa-spi-size", IKE_N_INVALID_SYNTAX)                              \
	X(IKE_PARSE_SA_TOO_MANY_PROPOSALS, "sa-too-many-proposals", IKE_N_INVALID_SYNTAX)          \
	X(IKE_PARSE_SA_NO_TRANSFORMS, "sa-proposal-without-transforms", IKE_N_INVALID_SYNTAX)      \
	X(IKE_PARSE_SA_TOO_MANY_TRANSFORMS, "sa-too-many-transforms", IKE_N_INVALID_SYNTAX)        \
	X(IKE_PARSE_SA_XFORM_COUNT, "sa-transform-count-mismatch", IKE_N_INVALID_SYNTAX)           \
	X(IKE_PARSE_SA_XFORM_LENGTH, "sa-transform-length", IKE_N_INVALID_SYNTAX)                  \
	X(IKE_PARSE_SA_XFORM_LAST, "sa-transform-last-substruc", IKE_N_INVALID_SYNTAX)             \
	X(IKE_PARSE_SA_ATTR_LENGTH, "sa-attribute-length", IKE_N_INVALID_SYNTAX)                   \
	X(IKE_PARSE_SA_ATTR_FORMAT, "sa-attribute-format", IKE_N_INVALID_SYNTAX)                   \
	X(IKE_PARSE_SA_ATTR_DUPLICATE, "sa-attribute-duplicate", IKE_N_INVALID_SYNTAX)             \
	X(IKE_PARSE_KE_LENGTH, "ke-length", IKE_N_INVALID_SYNTAX)                                  \
	X(IKE_PARSE_ID_LENGTH, "id-length", IKE_N_INVALID_SYNTAX)                                  \
	X(IKE_PARSE_ID_ADDR_LENGTH, "id-address-length", IKE_N_INVALID_SYNTAX)                     \
	X(IKE_PARSE_CERT_LENGTH, "cert-length", IKE_N_INVALID_SYNTAX)                              \
	X(IKE_PARSE_CERTREQ_LENGTH, "certreq-length", IKE_N_INVALID_SYNTAX)                        \
	X(IKE_PARSE_CERTREQ_HASH_LENGTH, "certreq-hash-list-length", IKE_N_INVALID_SYNTAX)         \
	X(IKE_PARSE_AUTH_LENGTH, "auth-length", IKE_N_INVALID_SYNTAX)                              \
	X(IKE_PARSE_AUTH_SIG_ALG_LENGTH, "auth-signature-algorithm-length", IKE_N_INVALID_SYNTAX)  \
	X(IKE_PARSE_NONCE_LENGTH, "nonce-length", IKE_N_INVALID_SYNTAX)                            \
	X(IKE_PARSE_NOTIFY_LENGTH, "notify-length", IKE_N_INVALID_SYNTAX)                          \
	X(IKE_PARSE_NOTIFY_SPI_SIZE, "notify-spi-size", IKE_N_INVALID_SYNTAX)                      \
	X(IKE_PARSE_NOTIFY_DATA_LENGTH, "notify-data-length", IKE_N_INVALID_SYNTAX)                \
	X(IKE_PARSE_DELETE_LENGTH, "delete-length", IKE_N_INVALID_SYNTAX)                          \
	X(IKE_PARSE_DELETE_PROTO, "delete-protocol", IKE_N_INVALID_SYNTAX)                         \
	X(IKE_PARSE_DELETE_SPI_SIZE, "delete-spi-size", IKE_N_INVALID_SYNTAX)                      \
	X(IKE_PARSE_DELETE_COUNT, "delete-spi-count-mismatch", IKE_N_INVALID_SYNTAX)               \
	X(IKE_PARSE_TS_LENGTH, "ts-length", IKE_N_INVALID_SYNTAX)                                  \
	X(IKE_PARSE_TS_EMPTY, "ts-no-selector", IKE_N_INVALID_SYNTAX)                              \
	X(IKE_PARSE_TS_TOO_MANY, "ts-too-many-selectors", IKE_N_INVALID_SYNTAX)                    \
	X(IKE_PARSE_TS_COUNT, "ts-count-mismatch", IKE_N_INVALID_SYNTAX)                           \
	X(IKE_PARSE_TS_SELECTOR_LENGTH, "ts-selector-length", IKE_N_INVALID_SYNTAX)                \
	X(IKE_PARSE_TS_PORT_RANGE, "ts-port-range", IKE_N_INVALID_SYNTAX)                          \
	X(IKE_PARSE_TS_ADDR_RANGE, "ts-address-range", IKE_N_INVALID_SYNTAX)                       \
	X(IKE_PARSE_CP_LENGTH, "cp-length", IKE_N_INVALID_SYNTAX)                                  \
	X(IKE_PARSE_CP_TYPE, "cp-type", IKE_N_INVALID_SYNTAX)                                      \
	X(IKE_PARSE_CP_ATTR_TRUNCATED, "cp-attribute-truncated", IKE_N_INVALID_SYNTAX)             \
	X(IKE_PARSE_CP_ATTR_LENGTH, "cp-attribute-length", IKE_N_INVALID_SYNTAX)                   \
	X(IKE_PARSE_CP_TOO_MANY_ATTRS, "cp-too-many-attributes", IKE_N_INVALID_SYNTAX)             \
	X(IKE_PARSE_EAP_LENGTH, "eap-length", IKE_N_INVALID_SYNTAX)                                \
	X(IKE_PARSE_EAP_CODE, "eap-code", IKE_N_INVALID_SYNTAX)                                    \
	X(IKE_PARSE_SKF_LENGTH, "skf-length", IKE_N_INVALID_SYNTAX)                                \
	X(IKE_PARSE_SKF_FRAG_NUMBER, "skf-fragment-number", IKE_N_INVALID_SYNTAX)                  \
	X(IKE_PARSE_SKF_TOTAL, "skf-total-fragments", IKE_N_INVALID_SYNTAX)                        \
	X(IKE_PARSE_SKF_NEXT_PAYLOAD, "skf-next-payload-not-zero", IKE_N_INVALID_SYNTAX)

enum ike_parse_status {
#define IKE_PARSE_STATUS_ENUM(e, s, n) e,
	IKE_PARSE_STATUS_LIST(IKE_PARSE_STATUS_ENUM)
#undef IKE_PARSE_STATUS_ENUM
		IKE_PARSE_STATUS_COUNT
};

/* Payload slots per message (outer plus decrypted inner payloads). */
#define IKE_MSG_MAX_PLD		48
/* UDP datagrams cannot be longer; offsets fit uint16_t. */
#define IKE_MSG_MAX_LEN		65535

/* One payload: body (after the 4-octet generic header) offset and length. */
struct ike_pld {
	uint8_t type;
	bool critical;
	bool inner;		/* from the decrypted SK body: offsets relative to plain */
	uint16_t off;
	uint16_t len;
};

struct ike_msg {
	/* RFC 7296 3.1 header, host byte order. */
	uint64_t spi_i;
	uint64_t spi_r;
	uint8_t next_payload;
	uint8_t version;
	uint8_t exchange;
	uint8_t flags;
	uint32_t msg_id;
	uint32_t length;

	const uint8_t *buf;	/* message given to ike_msg_parse() */
	const uint8_t *plain;	/* SK body given to ike_msg_parse_inner() */

	uint8_t n_pld;
	uint8_t sk_type;	/* IKE_PLD_SK, IKE_PLD_SKF or IKE_PLD_NONE */
	uint8_t sk_first;	/* SK/SKF next-payload: first inner payload type */
	uint8_t sk_idx;		/* index of the SK/SKF entry in pld[] */
	uint16_t sk_off;	/* offset of the SK/SKF generic payload header */
	uint8_t critical_type;	/* set with IKE_PARSE_UNSUPPORTED_CRITICAL */
	struct ike_pld pld[IKE_MSG_MAX_PLD];
};

/**
 * Parses the IKE header and the payload chain of one datagram (without
 * the UDP-4500 non-ESP marker). The chain ends at SK or SKF, which must
 * be the last payload; unknown non-critical payloads are skipped, an
 * unknown critical one stops with IKE_PARSE_UNSUPPORTED_CRITICAL and its
 * type in msg->critical_type. On error msg holds what was parsed so far.
 */
enum ike_parse_status ike_msg_parse(const uint8_t *buf, size_t len, struct ike_msg *msg);

/**
 * Appends the payloads of a decrypted SK body (inner payloads only, after
 * padding was removed) to msg. first_type is msg->sk_first. Offsets of
 * the appended entries are relative to plain and flagged inner.
 */
enum ike_parse_status ike_msg_parse_inner(const uint8_t *plain, size_t len, uint8_t first_type,
					  struct ike_msg *msg);

/** True for payload types this codec knows (RFC 7296 3.2, RFC 7383). */
bool ike_pld_type_known(uint8_t type);

/** Pointer to the body of a payload of msg (outer or inner buffer). */
static inline const uint8_t *
ike_msg_pld_body(const struct ike_msg *msg, const struct ike_pld *p)
{
	return (p->inner ? msg->plain : msg->buf) + p->off;
}

/** First payload of type at index >= from, or NULL. */
const struct ike_pld *ike_msg_find(const struct ike_msg *msg, uint8_t type, unsigned int from);

/** Number of payloads of type. */
unsigned int ike_msg_count(const struct ike_msg *msg, uint8_t type);

/** First Notify payload whose Notify Message Type is ntype, or NULL. */
const struct ike_pld *ike_msg_find_notify(const struct ike_msg *msg, uint16_t ntype);

#endif
