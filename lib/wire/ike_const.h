/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv2 protocol constants, each group with the RFC and section that
 * defines it. Numbers were checked against the RFC texts (IANA registry
 * values for later additions are noted where the RFC text only points
 * to IANA). Each group is an X-macro list so enum values and the name
 * strings in ike_names.c come from one place.
 */
#ifndef IKE_CONST_H
#define IKE_CONST_H

#include <stdint.h>

/* RFC 7296 3.1: fixed IKE header. */
#define IKE_HDR_LEN		28
#define IKE_VERSION_2		0x20	/* major 2 in the high nibble, minor 0 */
#define IKE_VERSION_MAJOR(v)	((uint8_t)((v) >> 4))
#define IKE_HDR_F_RESPONSE	0x20	/* R */
#define IKE_HDR_F_VERSION	0x10	/* V */
#define IKE_HDR_F_INITIATOR	0x08	/* I */

/* RFC 7296 3.2: generic payload header; C is the high bit of octet 1. */
#define IKE_GEN_HDR_LEN		4
#define IKE_PLD_F_CRITICAL	0x80

/* RFC 7296 2.11: a UDP 4500 datagram starts with four zero octets. */
#define IKE_NON_ESP_MARKER_LEN	4

/*
 * Exchange types: RFC 7296 3.1, RFC 5723 4.3.2 (IKE_SESSION_RESUME),
 * RFC 9242 3.2 (IKE_INTERMEDIATE), RFC 9370 (IKE_FOLLOWUP_KE, IANA 44).
 */
#define IKE_EXCH_LIST(X)                                                                           \
	X(IKE_EXCH_IKE_SA_INIT, 34, "IKE_SA_INIT")                                                 \
	X(IKE_EXCH_IKE_AUTH, 35, "IKE_AUTH")                                                       \
	X(IKE_EXCH_CREATE_CHILD_SA, 36, "CREATE_CHILD_SA")                                         \
	X(IKE_EXCH_INFORMATIONAL, 37, "INFORMATIONAL")                                             \
	X(IKE_EXCH_IKE_SESSION_RESUME, 38, "IKE_SESSION_RESUME")                                   \
	X(IKE_EXCH_IKE_INTERMEDIATE, 43, "IKE_INTERMEDIATE")                                       \
	X(IKE_EXCH_IKE_FOLLOWUP_KE, 44, "IKE_FOLLOWUP_KE")

/* Payload types: RFC 7296 3.2, RFC 7383 2.5 (SKF = 53). */
#define IKE_PLD_LIST(X)                                                                            \
	X(IKE_PLD_NONE, 0, "NONE")                                                                 \
	X(IKE_PLD_SA, 33, "SA")                                                                    \
	X(IKE_PLD_KE, 34, "KE")                                                                    \
	X(IKE_PLD_IDI, 35, "IDi")                                                                  \
	X(IKE_PLD_IDR, 36, "IDr")                                                                  \
	X(IKE_PLD_CERT, 37, "CERT")                                                                \
	X(IKE_PLD_CERTREQ, 38, "CERTREQ")                                                          \
	X(IKE_PLD_AUTH, 39, "AUTH")                                                                \
	X(IKE_PLD_NONCE, 40, "Nonce")                                                              \
	X(IKE_PLD_NOTIFY, 41, "N")                                                                 \
	X(IKE_PLD_DELETE, 42, "D")                                                                 \
	X(IKE_PLD_VENDOR, 43, "V")                                                                 \
	X(IKE_PLD_TSI, 44, "TSi")                                                                  \
	X(IKE_PLD_TSR, 45, "TSr")                                                                  \
	X(IKE_PLD_SK, 46, "SK")                                                                    \
	X(IKE_PLD_CP, 47, "CP")                                                                    \
	X(IKE_PLD_EAP, 48, "EAP")                                                                  \
	X(IKE_PLD_SKF, 53, "SKF")

/*
 * Notify message types. Errors (< 16384): RFC 7296 3.10.1, RFC 9370 (47, IANA).
 * Status: RFC 7296 3.10.1 (16384-16395), RFC 4555 (MOBIKE, 16400-16402),
 * RFC 4478 (16403), RFC 5685 6 (16406-16408), RFC 5723 7 (16409-16413),
 * RFC 5998 (16417), RFC 6023 (16418, IANA), RFC 6290 (16419),
 * RFC 6311 (16420-16423), RFC 7383 2.3 (16430), RFC 7427 4 (16431),
 * RFC 9242 3.1 (16438), RFC 9370 (16441, IANA).
 */
#define IKE_N_LIST(X)                                                                              \
	X(IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, 1, "UNSUPPORTED_CRITICAL_PAYLOAD")                   \
	X(IKE_N_INVALID_IKE_SPI, 4, "INVALID_IKE_SPI")                                             \
	X(IKE_N_INVALID_MAJOR_VERSION, 5, "INVALID_MAJOR_VERSION")                                 \
	X(IKE_N_INVALID_SYNTAX, 7, "INVALID_SYNTAX")                                               \
	X(IKE_N_INVALID_MESSAGE_ID, 9, "INVALID_MESSAGE_ID")                                       \
	X(IKE_N_INVALID_SPI, 11, "INVALID_SPI")                                                    \
	X(IKE_N_NO_PROPOSAL_CHOSEN, 14, "NO_PROPOSAL_CHOSEN")                                      \
	X(IKE_N_INVALID_KE_PAYLOAD, 17, "INVALID_KE_PAYLOAD")                                      \
	X(IKE_N_AUTHENTICATION_FAILED, 24, "AUTHENTICATION_FAILED")                                \
	X(IKE_N_SINGLE_PAIR_REQUIRED, 34, "SINGLE_PAIR_REQUIRED")                                  \
	X(IKE_N_NO_ADDITIONAL_SAS, 35, "NO_ADDITIONAL_SAS")                                        \
	X(IKE_N_INTERNAL_ADDRESS_FAILURE, 36, "INTERNAL_ADDRESS_FAILURE")                          \
	X(IKE_N_FAILED_CP_REQUIRED, 37, "FAILED_CP_REQUIRED")                                      \
	X(IKE_N_TS_UNACCEPTABLE, 38, "TS_UNACCEPTABLE")                                            \
	X(IKE_N_INVALID_SELECTORS, 39, "INVALID_SELECTORS")                                        \
	X(IKE_N_TEMPORARY_FAILURE, 43, "TEMPORARY_FAILURE")                                        \
	X(IKE_N_CHILD_SA_NOT_FOUND, 44, "CHILD_SA_NOT_FOUND")                                      \
	X(IKE_N_STATE_NOT_FOUND, 47, "STATE_NOT_FOUND")                                            \
	X(IKE_N_INITIAL_CONTACT, 16384, "INITIAL_CONTACT")                                         \
	X(IKE_N_SET_WINDOW_SIZE, 16385, "SET_WINDOW_SIZE")                                         \
	X(IKE_N_ADDITIONAL_TS_POSSIBLE, 16386, "ADDITIONAL_TS_POSSIBLE")                           \
	X(IKE_N_IPCOMP_SUPPORTED, 16387, "IPCOMP_SUPPORTED")                                       \
	X(IKE_N_NAT_DETECTION_SOURCE_IP, 16388, "NAT_DETECTION_SOURCE_IP")                         \
	X(IKE_N_NAT_DETECTION_DESTINATION_IP, 16389, "NAT_DETECTION_DESTINATION_IP")               \
	X(IKE_N_COOKIE, 16390, "COOKIE")                                                           \
	X(IKE_N_USE_TRANSPORT_MODE, 16391, "USE_TRANSPORT_MODE")                                   \
	X(IKE_N_HTTP_CERT_LOOKUP_SUPPORTED, 16392, "HTTP_CERT_LOOKUP_SUPPORTED")                   \
	X(IKE_N_REKEY_SA, 16393, "REKEY_SA")                                                       \
	X(IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED, 16394, "ESP_TFC_PADDING_NOT_SUPPORTED")             \
	X(IKE_N_NON_FIRST_FRAGMENTS_ALSO, 16395, "NON_FIRST_FRAGMENTS_ALSO")                       \
	X(IKE_N_UPDATE_SA_ADDRESSES, 16400, "UPDATE_SA_ADDRESSES")                                 \
	X(IKE_N_COOKIE2, 16401, "COOKIE2")                                                         \
	X(IKE_N_NO_NATS_ALLOWED, 16402, "NO_NATS_ALLOWED")                                         \
	X(IKE_N_AUTH_LIFETIME, 16403, "AUTH_LIFETIME")                                             \
	X(IKE_N_REDIRECT_SUPPORTED, 16406, "REDIRECT_SUPPORTED")                                   \
	X(IKE_N_REDIRECT, 16407, "REDIRECT")                                                       \
	X(IKE_N_REDIRECTED_FROM, 16408, "REDIRECTED_FROM")                                         \
	X(IKE_N_TICKET_LT_OPAQUE, 16409, "TICKET_LT_OPAQUE")                                       \
	X(IKE_N_TICKET_REQUEST, 16410, "TICKET_REQUEST")                                           \
	X(IKE_N_TICKET_ACK, 16411, "TICKET_ACK")                                                   \
	X(IKE_N_TICKET_NACK, 16412, "TICKET_NACK")                                                 \
	X(IKE_N_TICKET_OPAQUE, 16413, "TICKET_OPAQUE")                                             \
	X(IKE_N_EAP_ONLY_AUTHENTICATION, 16417, "EAP_ONLY_AUTHENTICATION")                         \
	X(IKE_N_CHILDLESS_IKEV2_SUPPORTED, 16418, "CHILDLESS_IKEV2_SUPPORTED")                     \
	X(IKE_N_QUICK_CRASH_DETECTION, 16419, "QUICK_CRASH_DETECTION")                             \
	X(IKE_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED, 16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED")         \
	X(IKE_N_IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED, 16421, "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED") \
	X(IKE_N_IKEV2_MESSAGE_ID_SYNC, 16422, "IKEV2_MESSAGE_ID_SYNC")                             \
	X(IKE_N_IPSEC_REPLAY_COUNTER_SYNC, 16423, "IPSEC_REPLAY_COUNTER_SYNC")                     \
	X(IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, 16430, "IKEV2_FRAGMENTATION_SUPPORTED")             \
	X(IKE_N_SIGNATURE_HASH_ALGORITHMS, 16431, "SIGNATURE_HASH_ALGORITHMS")                     \
	X(IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, 16438, "INTERMEDIATE_EXCHANGE_SUPPORTED")         \
	X(IKE_N_ADDITIONAL_KEY_EXCHANGE, 16441, "ADDITIONAL_KEY_EXCHANGE")

/* RFC 7296 3.10.1: types below this are errors, the rest status. */
#define IKE_N_STATUS_MIN	16384

/*
 * Transform types: RFC 7296 3.3.2 (type 4 is "D-H" there; RFC 9370 2.2
 * renames it Key Exchange Method), RFC 9370 (ADDKE1..7 = 6..12, IANA).
 */
#define IKE_TRANSFORM_LIST(X)                                                                      \
	X(IKE_TRANSFORM_ENCR, 1, "ENCR")                                                           \
	X(IKE_TRANSFORM_PRF, 2, "PRF")                                                             \
	X(IKE_TRANSFORM_INTEG, 3, "INTEG")                                                         \
	X(IKE_TRANSFORM_KE, 4, "KE")                                                               \
	X(IKE_TRANSFORM_ESN, 5, "ESN")                                                             \
	X(IKE_TRANSFORM_ADDKE1, 6, "ADDKE1")                                                       \
	X(IKE_TRANSFORM_ADDKE2, 7, "ADDKE2")                                                       \
	X(IKE_TRANSFORM_ADDKE3, 8, "ADDKE3")                                                       \
	X(IKE_TRANSFORM_ADDKE4, 9, "ADDKE4")                                                       \
	X(IKE_TRANSFORM_ADDKE5, 10, "ADDKE5")                                                      \
	X(IKE_TRANSFORM_ADDKE6, 11, "ADDKE6")                                                      \
	X(IKE_TRANSFORM_ADDKE7, 12, "ADDKE7")

/* Highest transform type the codec knows (used to size per-type tables). */
#define IKE_TRANSFORM_MAX	12

/*
 * Transform type 1 IDs: RFC 7296 3.3.2 (3DES, NULL, AES_CBC, AES_CTR),
 * RFC 8247 6 / RFC 5282 (AES-GCM 18-20), RFC 7634 (ChaCha20-Poly1305 = 28).
 */
#define IKE_ENCR_LIST(X)                                                                           \
	X(IKE_ENCR_3DES, 3, "3DES")                                                                \
	X(IKE_ENCR_NULL, 11, "NULL")                                                               \
	X(IKE_ENCR_AES_CBC, 12, "AES_CBC")                                                         \
	X(IKE_ENCR_AES_CTR, 13, "AES_CTR")                                                         \
	X(IKE_ENCR_AES_GCM_8, 18, "AES_GCM_8")                                                     \
	X(IKE_ENCR_AES_GCM_12, 19, "AES_GCM_12")                                                   \
	X(IKE_ENCR_AES_GCM_16, 20, "AES_GCM_16")                                                   \
	X(IKE_ENCR_CHACHA20_POLY1305, 28, "CHACHA20_POLY1305")

/* Transform type 2 IDs: RFC 7296 3.3.2, RFC 4868 (SHA-2 PRFs). */
#define IKE_PRF_LIST(X)                                                                            \
	X(IKE_PRF_HMAC_MD5, 1, "HMAC_MD5")                                                         \
	X(IKE_PRF_HMAC_SHA1, 2, "HMAC_SHA1")                                                       \
	X(IKE_PRF_HMAC_SHA2_256, 5, "HMAC_SHA2_256")                                               \
	X(IKE_PRF_HMAC_SHA2_384, 6, "HMAC_SHA2_384")                                               \
	X(IKE_PRF_HMAC_SHA2_512, 7, "HMAC_SHA2_512")

/* Transform type 3 IDs: RFC 7296 3.3.2, RFC 4868 (SHA-2 truncated MACs). */
#define IKE_INTEG_LIST(X)                                                                          \
	X(IKE_INTEG_NONE, 0, "NONE")                                                               \
	X(IKE_INTEG_HMAC_MD5_96, 1, "HMAC_MD5_96")                                                 \
	X(IKE_INTEG_HMAC_SHA1_96, 2, "HMAC_SHA1_96")                                               \
	X(IKE_INTEG_AES_XCBC_96, 5, "AES_XCBC_96")                                                 \
	X(IKE_INTEG_HMAC_SHA2_256_128, 12, "HMAC_SHA2_256_128")                                    \
	X(IKE_INTEG_HMAC_SHA2_384_192, 13, "HMAC_SHA2_384_192")                                    \
	X(IKE_INTEG_HMAC_SHA2_512_256, 14, "HMAC_SHA2_512_256")

/*
 * Transform type 4 IDs: RFC 7296 3.3.2 (MODP), RFC 8247 2.4 (ECP 19),
 * IANA registry for ECP 20/21 (RFC 5903) and Curve25519/448 (RFC 8031).
 */
#define IKE_KE_LIST(X)                                                                             \
	X(IKE_KE_NONE, 0, "NONE")                                                                  \
	X(IKE_KE_MODP1024, 2, "MODP1024")                                                          \
	X(IKE_KE_MODP1536, 5, "MODP1536")                                                          \
	X(IKE_KE_MODP2048, 14, "MODP2048")                                                         \
	X(IKE_KE_MODP3072, 15, "MODP3072")                                                         \
	X(IKE_KE_MODP4096, 16, "MODP4096")                                                         \
	X(IKE_KE_ECP256, 19, "ECP256")                                                             \
	X(IKE_KE_ECP384, 20, "ECP384")                                                             \
	X(IKE_KE_ECP521, 21, "ECP521")                                                             \
	X(IKE_KE_CURVE25519, 31, "CURVE25519")                                                     \
	X(IKE_KE_CURVE448, 32, "CURVE448")

/* Transform type 5 IDs: RFC 7296 3.3.2. */
#define IKE_ESN_LIST(X)                                                                            \
	X(IKE_ESN_NO, 0, "NO_ESN")                                                                 \
	X(IKE_ESN_YES, 1, "ESN")

/* RFC 7296 3.3.5: transform attributes. AF set = TV (two-octet value). */
#define IKE_ATTR_AF		0x8000
#define IKE_ATTR_TYPE_MASK	0x7fff
#define IKE_ATTR_KEY_LENGTH	14	/* bits, TV */

/* RFC 7296 3.3.1: Protocol ID in proposals, notify and delete. */
#define IKE_PROTO_LIST(X)                                                                          \
	X(IKE_PROTO_NONE, 0, "NONE")                                                               \
	X(IKE_PROTO_IKE, 1, "IKE")                                                                 \
	X(IKE_PROTO_AH, 2, "AH")                                                                   \
	X(IKE_PROTO_ESP, 3, "ESP")

/* RFC 7296 3.3.1: last-substructure values. */
#define IKE_SUBSTRUCT_LAST		0
#define IKE_SUBSTRUCT_MORE_PROPOSALS	2
#define IKE_SUBSTRUCT_MORE_TRANSFORMS	3

/* SPI sizes (RFC 7296 3.3.1): IKE SA 8 octets in proposals, Child SA 4. */
#define IKE_SPI_LEN		8
#define IKE_CHILD_SPI_LEN	4

/*
 * AUTH methods: RFC 7296 3.8 (1-3), RFC 4754 (ECDSA 9-11, IANA),
 * RFC 7427 3 (Digital Signature = 14).
 */
#define IKE_AUTH_LIST(X)                                                                           \
	X(IKE_AUTH_RSA_SIG, 1, "RSA_SIG")                                                          \
	X(IKE_AUTH_PSK, 2, "PSK")                                                                  \
	X(IKE_AUTH_DSS, 3, "DSS")                                                                  \
	X(IKE_AUTH_ECDSA_SHA256_P256, 9, "ECDSA_SHA256_P256")                                      \
	X(IKE_AUTH_ECDSA_SHA384_P384, 10, "ECDSA_SHA384_P384")                                     \
	X(IKE_AUTH_ECDSA_SHA512_P521, 11, "ECDSA_SHA512_P521")                                     \
	X(IKE_AUTH_DIGITAL_SIGNATURE, 14, "DIGITAL_SIGNATURE")

/* RFC 7427 7: hash algorithms in SIGNATURE_HASH_ALGORITHMS. */
#define IKE_HASH_LIST(X)                                                                           \
	X(IKE_HASH_SHA1, 1, "SHA1")                                                                \
	X(IKE_HASH_SHA2_256, 2, "SHA2_256")                                                        \
	X(IKE_HASH_SHA2_384, 3, "SHA2_384")                                                        \
	X(IKE_HASH_SHA2_512, 4, "SHA2_512")

/* ID types: RFC 7296 3.5. */
#define IKE_ID_LIST(X)                                                                             \
	X(IKE_ID_IPV4_ADDR, 1, "IPV4_ADDR")                                                        \
	X(IKE_ID_FQDN, 2, "FQDN")                                                                  \
	X(IKE_ID_RFC822_ADDR, 3, "RFC822_ADDR")                                                    \
	X(IKE_ID_IPV6_ADDR, 5, "IPV6_ADDR")                                                        \
	X(IKE_ID_DER_ASN1_DN, 9, "DER_ASN1_DN")                                                    \
	X(IKE_ID_DER_ASN1_GN, 10, "DER_ASN1_GN")                                                   \
	X(IKE_ID_KEY_ID, 11, "KEY_ID")

/* Certificate encodings: RFC 7296 3.6. */
#define IKE_CERT_LIST(X)                                                                           \
	X(IKE_CERT_PKCS7_X509, 1, "PKCS7_X509")                                                    \
	X(IKE_CERT_PGP, 2, "PGP")                                                                  \
	X(IKE_CERT_DNS_SIGNED_KEY, 3, "DNS_SIGNED_KEY")                                            \
	X(IKE_CERT_X509_SIGNATURE, 4, "X509_SIGNATURE")                                            \
	X(IKE_CERT_KERBEROS, 6, "KERBEROS")                                                        \
	X(IKE_CERT_CRL, 7, "CRL")                                                                  \
	X(IKE_CERT_ARL, 8, "ARL")                                                                  \
	X(IKE_CERT_SPKI, 9, "SPKI")                                                                \
	X(IKE_CERT_X509_ATTRIBUTE, 10, "X509_ATTRIBUTE")                                           \
	X(IKE_CERT_RAW_RSA_KEY, 11, "RAW_RSA_KEY")                                                 \
	X(IKE_CERT_HASH_URL_X509, 12, "HASH_URL_X509")                                             \
	X(IKE_CERT_HASH_URL_BUNDLE, 13, "HASH_URL_BUNDLE")

/* Traffic selector types: RFC 7296 3.13.1. */
#define IKE_TS_LIST(X)                                                                             \
	X(IKE_TS_IPV4_ADDR_RANGE, 7, "IPV4_ADDR_RANGE")                                            \
	X(IKE_TS_IPV6_ADDR_RANGE, 8, "IPV6_ADDR_RANGE")

/* CFG types: RFC 7296 3.15. */
#define IKE_CFG_LIST(X)                                                                            \
	X(IKE_CFG_REQUEST, 1, "CFG_REQUEST")                                                       \
	X(IKE_CFG_REPLY, 2, "CFG_REPLY")                                                           \
	X(IKE_CFG_SET, 3, "CFG_SET")                                                               \
	X(IKE_CFG_ACK, 4, "CFG_ACK")

/* Configuration attribute types: RFC 7296 3.15.1 (15-bit type, top bit R). */
#define IKE_CP_ATTR_LIST(X)                                                                        \
	X(IKE_CP_INTERNAL_IP4_ADDRESS, 1, "INTERNAL_IP4_ADDRESS")                                  \
	X(IKE_CP_INTERNAL_IP4_NETMASK, 2, "INTERNAL_IP4_NETMASK")                                  \
	X(IKE_CP_INTERNAL_IP4_DNS, 3, "INTERNAL_IP4_DNS")                                          \
	X(IKE_CP_INTERNAL_IP4_NBNS, 4, "INTERNAL_IP4_NBNS")                                        \
	X(IKE_CP_INTERNAL_IP4_DHCP, 6, "INTERNAL_IP4_DHCP")                                        \
	X(IKE_CP_APPLICATION_VERSION, 7, "APPLICATION_VERSION")                                    \
	X(IKE_CP_INTERNAL_IP6_ADDRESS, 8, "INTERNAL_IP6_ADDRESS")                                  \
	X(IKE_CP_INTERNAL_IP6_DNS, 10, "INTERNAL_IP6_DNS")                                         \
	X(IKE_CP_INTERNAL_IP6_DHCP, 12, "INTERNAL_IP6_DHCP")                                       \
	X(IKE_CP_INTERNAL_IP4_SUBNET, 13, "INTERNAL_IP4_SUBNET")                                   \
	X(IKE_CP_SUPPORTED_ATTRIBUTES, 14, "SUPPORTED_ATTRIBUTES")                                 \
	X(IKE_CP_INTERNAL_IP6_SUBNET, 15, "INTERNAL_IP6_SUBNET")

#define IKE_CP_ATTR_TYPE_MASK	0x7fff

/* RFC 7296 3.9: nonce length bounds. */
#define IKE_NONCE_MIN		16
#define IKE_NONCE_MAX		256

/* RFC 7296 3.16 / RFC 3748 4: EAP codes. */
#define IKE_EAP_REQUEST		1
#define IKE_EAP_RESPONSE	2
#define IKE_EAP_SUCCESS		3
#define IKE_EAP_FAILURE		4

#define IKE_CONST_ENUM(name, val, str) name = val,

enum ike_exchange { IKE_EXCH_LIST(IKE_CONST_ENUM) };
enum ike_payload_type { IKE_PLD_LIST(IKE_CONST_ENUM) };
enum ike_notify_type { IKE_N_LIST(IKE_CONST_ENUM) };
enum ike_transform_type { IKE_TRANSFORM_LIST(IKE_CONST_ENUM) };
enum ike_encr_id { IKE_ENCR_LIST(IKE_CONST_ENUM) };
enum ike_prf_id { IKE_PRF_LIST(IKE_CONST_ENUM) };
enum ike_integ_id { IKE_INTEG_LIST(IKE_CONST_ENUM) };
enum ike_ke_id { IKE_KE_LIST(IKE_CONST_ENUM) };
enum ike_esn_id { IKE_ESN_LIST(IKE_CONST_ENUM) };
enum ike_proto_id { IKE_PROTO_LIST(IKE_CONST_ENUM) };
enum ike_auth_method { IKE_AUTH_LIST(IKE_CONST_ENUM) };
enum ike_hash_alg { IKE_HASH_LIST(IKE_CONST_ENUM) };
enum ike_id_type { IKE_ID_LIST(IKE_CONST_ENUM) };
enum ike_cert_encoding { IKE_CERT_LIST(IKE_CONST_ENUM) };
enum ike_ts_type { IKE_TS_LIST(IKE_CONST_ENUM) };
enum ike_cfg_type { IKE_CFG_LIST(IKE_CONST_ENUM) };
enum ike_cp_attr_type { IKE_CP_ATTR_LIST(IKE_CONST_ENUM) };

#undef IKE_CONST_ENUM

#endif
