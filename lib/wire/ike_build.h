/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv2 message builder into a caller's buffer (RFC 7296 3.1-3.16).
 * Each ike_mb_add_*() appends one payload, patches the previous payload's
 * (or the header's) Next Payload field and the header Length. Errors
 * latch: once a write does not fit, nothing more is written and
 * ike_mb_finish() reports it.
 *
 * Encrypted messages (contract with lib/sk): after ike_mb_begin_sk() the
 * buffer holds  HDR | SK generic header | IV (zeroed)  and the following
 * ike_mb_add_*() calls write the inner payloads in plaintext, chained from
 * the SK header's Next Payload field. ike_mb_end_sk() returns where the SK
 * header, the first inner octet and the inner length are; the sealer then
 * appends padding, Pad Length and ICV, sets the SK payload length and the
 * IKE header length, and encrypts in place.
 */
#ifndef IKE_BUILD_H
#define IKE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_buf.h"
#include "ike_pld.h"
#include "ike_status.h"

struct ike_mb {
	struct ike_wr w;
	size_t np_off;		/* Next Payload field the next payload patches */
	size_t sk_off;		/* SK/SKF generic header, valid while in_sk */
	size_t plain_off;	/* first inner octet */
	bool bad_param;		/* latched error was a bad argument, not space */
	bool in_sk;
	bool skf;
	bool sk_done;
};

/** Writes the IKE header (version 2.0, Next Payload 0, Length 28). */
void ike_mb_init(struct ike_mb *b, uint8_t *buf, size_t cap, uint64_t spi_i, uint64_t spi_r,
		 uint8_t exchange, uint8_t flags, uint32_t msg_id);

/** True once a write did not fit or a parameter was invalid. */
static inline bool
ike_mb_failed(const struct ike_mb *b)
{
	return b->w.err;
}

/**
 * Ends the message: IKE_OK with *len = message length, or IKE_E_NOSPACE
 * after an overflow, IKE_E_PARAM after a bad argument or an SK section
 * left open.
 */
enum ike_status ike_mb_finish(struct ike_mb *b, size_t *len);

/** Any payload from its type and body (also unknown ones, e.g. in tests). */
void ike_mb_add_payload(struct ike_mb *b, uint8_t type, bool critical, const void *body,
			size_t len);

/** SA payload from proposals/transforms (proposal numbers are written as given). */
void ike_mb_add_sa(struct ike_mb *b, const struct ike_pld_sa *sa);
void ike_mb_add_ke(struct ike_mb *b, uint16_t group, const void *data, size_t len);
void ike_mb_add_nonce(struct ike_mb *b, const void *data, size_t len);
void ike_mb_add_notify(struct ike_mb *b, uint8_t proto, const void *spi, uint8_t spi_size,
		       uint16_t type, const void *data, size_t len);
/** pld_type is IKE_PLD_IDI or IKE_PLD_IDR. */
void ike_mb_add_id(struct ike_mb *b, uint8_t pld_type, uint8_t id_type, const void *data,
		   size_t len);
void ike_mb_add_auth(struct ike_mb *b, uint8_t method, const void *data, size_t len);
void ike_mb_add_cert(struct ike_mb *b, uint8_t encoding, const void *data, size_t len);
void ike_mb_add_certreq(struct ike_mb *b, uint8_t encoding, const void *data, size_t len);
void ike_mb_add_delete(struct ike_mb *b, uint8_t proto, uint8_t spi_size, uint16_t n_spi,
		       const void *spis);
void ike_mb_add_vendor(struct ike_mb *b, const void *data, size_t len);
/** pld_type is IKE_PLD_TSI or IKE_PLD_TSR; IPv4/IPv6 ranges only. */
void ike_mb_add_ts(struct ike_mb *b, uint8_t pld_type, const struct ike_pld_ts *ts);
void ike_mb_add_cp(struct ike_mb *b, const struct ike_pld_cp *cp);
/** EAP message; type/data are written only for Request and Response. */
void ike_mb_add_eap(struct ike_mb *b, uint8_t code, uint8_t id, uint8_t type, const void *data,
		    size_t len);

/** Starts the SK payload: generic header plus iv_len zero octets. */
void ike_mb_begin_sk(struct ike_mb *b, size_t iv_len);

/**
 * Starts an SKF payload (RFC 7383 2.5): generic header, Fragment Number,
 * Total Fragments, iv_len zero octets. first_inner is the first inner
 * payload type for fragment 1 and must be IKE_PLD_NONE for the others.
 * Content is then added with ike_mb_add_fragment().
 */
void ike_mb_begin_skf(struct ike_mb *b, uint16_t frag_num, uint16_t total, uint8_t first_inner,
		      size_t iv_len);

/** Appends a slice of the unfragmented inner plaintext to an SKF payload. */
void ike_mb_add_fragment(struct ike_mb *b, const void *data, size_t len);

/**
 * Closes the SK/SKF section: *sk_off = SK generic header, *plain_off =
 * first inner octet (after the IV), *plain_len = inner length. The SK
 * payload length and header length are provisional (without padding and
 * ICV). Returns IKE_OK, or the latched error.
 */
enum ike_status ike_mb_end_sk(struct ike_mb *b, size_t *sk_off, size_t *plain_off,
			      size_t *plain_len);

#endif
