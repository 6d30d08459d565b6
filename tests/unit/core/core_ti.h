/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal IKEv2 initiator for the responder-core tests, built on the
 * wire builder, lib/keys and lib/sk (the reusable one is lib/initiator).
 */
#ifndef CORE_TI_H
#define CORE_TI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_auth.h"
#include "ike_core.h"
#include "ike_keys.h"
#include "ike_wire.h"

struct ti {
	const struct cry_ops *ops;
	uint64_t spi_i;
	uint64_t spi_r;
	uint32_t msg_id;
	uint16_t group;
	struct cry_kex *kex;
	uint8_t pub[CRY_MAX_KEX_PUB];
	size_t pub_len;
	uint8_t ni[32];
	uint8_t nr[IKE_NONCE_MAX];
	size_t nr_len;
	uint8_t req[2048];
	size_t req_len;
	uint8_t resp[2048];
	size_t resp_len;
	struct ike_suite suite;
	struct ike_sa_keys keys;
	struct ike_addr me;   /* initiator address */
	struct ike_addr peer; /* responder address */
	/* RFC 7427 4: hashes for N(SIGNATURE_HASH_ALGORITHMS) in IKE_SA_INIT; 0: no notify. */
	uint8_t sig_hashes[8]; /* notification data: 16-bit hash IDs */
	size_t sig_hashes_len;
	bool intermediate; /* N(INTERMEDIATE_EXCHANGE_SUPPORTED) in IKE_SA_INIT (RFC 9242) */
};

/* Proposal building: starts proposal num, then adds transforms to it. */
void ti_prop(struct ike_pld_sa *sa, uint8_t num, uint8_t proto, const uint8_t *spi,
	     uint8_t spi_size);
void ti_xf(struct ike_pld_sa *sa, uint8_t type, uint16_t id, uint16_t key_bits);

void ti_init(struct ti *t, const struct cry_ops *ops);
void ti_fini(struct ti *t);

/* IKE_SA_INIT request with a fresh KE of group (cookie may be NULL). */
size_t ti_sa_init(struct ti *t, uint8_t *buf, size_t cap, const struct ike_pld_sa *sa,
		  uint16_t group, const uint8_t *cookie, size_t cookie_len);
/* Takes the IKE_SA_INIT response: SPIr, KEr, Nr and the keys. 0 on success. */
int ti_sa_init_done(struct ti *t, const uint8_t *resp, size_t len,
		    const struct ike_transforms *xf);

/* Encrypted request: begin, add payloads to *mb, end seals it. */
void ti_begin(struct ti *t, struct ike_mb *mb, uint8_t *buf, size_t cap, uint8_t exchange);
size_t ti_end(struct ti *t, struct ike_mb *mb);

/* Decrypts a response into msg (inner payloads appended). 0 on success. */
int ti_open(struct ti *t, uint8_t *buf, size_t len, struct ike_msg *msg);

/*
 * What an AUTH covers (RFC 7296 2.15), without IntAuth: the initiator's is
 * over its last request, Nr and IDi' (body idb); the responder's over its
 * last response, Ni and IDr' (body idb).
 */
struct ike_auth_octets_input ti_initiator_auth_input(const struct ti *t, const uint8_t *idb,
						     size_t idb_len);
struct ike_auth_octets_input ti_responder_auth_input(const struct ti *t, const uint8_t *idb,
						     size_t idb_len);

/* The initiator's PSK AUTH for IDi body idb (RFC 7296 2.15). */
size_t ti_psk_auth(struct ti *t, const uint8_t *psk, size_t psk_len, const uint8_t *idb,
		   size_t idb_len, uint8_t *out);
/* Verifies the responder's PSK AUTH over its IKE_SA_INIT response. */
bool ti_psk_verify(struct ti *t, const uint8_t *psk, size_t psk_len, const uint8_t *idb,
		   size_t idb_len, const uint8_t *auth, size_t auth_len);

/*
 * RFC 5723 resumption: IKE_SESSION_RESUME { [N(COOKIE),] Ni, N(TICKET_OPAQUE) }
 * with a fresh SPIi and Ni; t->req keeps it for AUTH.
 */
size_t ti_resume(struct ti *t, uint8_t *buf, size_t cap, const uint8_t *ticket, size_t ticket_len,
		 const uint8_t *cookie, size_t cookie_len);
/* Takes the response (SPIr, Nr) and derives the keys from the old SK_d (5.1). 0 on success. */
int ti_resume_done(struct ti *t, const uint8_t *resp, size_t len, const struct ike_transforms *xf,
		   const uint8_t *sk_d_old, size_t sk_d_len);
/*
 * Resumed AUTH = prf(SK_pi, octets) (4.3.3): RFC 7296 2.15 octets, or with
 * libreswan set the IKE_SESSION_RESUME request alone.
 */
size_t ti_resume_auth(struct ti *t, const uint8_t *idb, size_t idb_len, bool libreswan,
		      uint8_t *out);
bool ti_resume_verify(struct ti *t, const uint8_t *idb, size_t idb_len, bool libreswan,
		      const uint8_t *auth, size_t auth_len);

/* SHA-1(SPIi | SPIr | IP | port) with OpenSSL directly (independent of the core). */
void ti_natd(uint64_t spi_i, uint64_t spi_r, const struct ike_addr *a, uint8_t out[20]);

#endif
