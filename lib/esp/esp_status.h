/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Outcomes of the ESP data path, one name per way a packet is dropped; the
 * names are the per-lcore drop counters in telemetry.
 */
#ifndef ESP_STATUS_H
#define ESP_STATUS_H

#define ESP_STATUS_LIST(X)                                                                         \
	X(ESP_OK, "ok")                                                                            \
	X(ESP_E_TRUNCATED, "truncated")	       /* shorter than its headers say */                  \
	X(ESP_E_OUTER, "bad-outer-header")     /* not IPv4/IPv6 carrying ESP or UDP 4500 */        \
	X(ESP_E_NOT_ESP, "not-esp")	       /* UDP 4500 with the non-ESP marker: IKE */         \
	X(ESP_E_KEEPALIVE, "natt-keepalive")   /* RFC 3948 2.3 one-octet 0xff */                   \
	X(ESP_E_NO_SA, "unknown-spi")	       /* no SA with this SPI (RFC 4303 3.4.2) */          \
	X(ESP_E_ALIGN, "bad-length")	       /* ciphertext not a whole number of blocks */       \
	X(ESP_E_REPLAY, "replayed")	       /* seen or left of the window (RFC 4303 3.4.3) */   \
	X(ESP_E_AUTH, "icv-mismatch")	       /* integrity check failed (RFC 4303 3.4.4) */       \
	X(ESP_E_PAD, "bad-padding")	       /* pad length too long or pad not 1, 2, 3.. */      \
	X(ESP_E_NEXT_HDR, "bad-next-header")   /* not 4 or 41 in tunnel mode */                    \
	X(ESP_E_DUMMY, "dummy-packet")	       /* next header 59: TFC/dummy (RFC 4303 2.6) */      \
	X(ESP_E_INNER, "bad-inner-header")     /* inner header disagrees with the packet */        \
	X(ESP_E_SELECTOR, "selector-mismatch") /* inner address outside the SA's TS (RFC 4301) */  \
	X(ESP_E_SELECTOR_DST,                                                                      \
	  "selector-mismatch-dst") /* inner destination outside the SA's TSr (RFC 4301 5.2) */     \
	X(ESP_E_SEQ_EXHAUSTED,                                                                     \
	  "seq-exhausted")		  /* outbound counter would cycle (RFC 4303 3.3.3) */      \
	X(ESP_E_EXPIRED, "hard-expired")  /* hard lifetime reached: the SA carries nothing */      \
	X(ESP_E_NOSPACE, "no-room")	  /* the buffer has no room for headers or trailer */      \
	X(ESP_E_CRYPTO, "crypto-failure") /* the crypto library did not complete the job */

#define ESP_STATUS_ENUM(name, str) name,
enum esp_status { ESP_STATUS_LIST(ESP_STATUS_ENUM) ESP_NB_STATUS };
#undef ESP_STATUS_ENUM

/* "ok", "replayed", ...; "?" for a value out of range. */
const char *esp_status_name(enum esp_status st);

#endif
