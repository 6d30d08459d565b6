/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encrypted (SK, RFC 7296 3.14 / RFC 5282) and Encrypted Fragment
 * (SKF, RFC 7383 2.5) payloads, in place in the message buffer.
 *
 * Layout agreed with the wire builder and parser (offsets from the first
 * octet of the IKE header):
 *
 *   IKE header | [unencrypted payloads] | SK header (4) or SKF header (8) |
 *   IV | inner payloads | padding | pad length | ICV
 *
 * The SK/SKF payload is the last one. Its header (next payload, and for
 * SKF the fragment number and total) is written by the builder; seal fills
 * in the IV, padding, pad length, both length fields and the ICV.
 *
 * Each operation exists as one call and as two phases: prepare fills a
 * cry_aead_job without running it, so a worker can run the jobs of a whole
 * rx burst in one aead_burst call, then finish checks the result.
 * prepare leaves job->user_data alone for the caller.
 */
#ifndef IKE_SK_H
#define IKE_SK_H

#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_status.h"

#define IKE_SK_HDR_LEN 4  /* generic payload header */
#define IKE_SKF_HDR_LEN 8 /* + Fragment Number, Total Fragments */

/** Explicit IV length on the wire for these keys. */
size_t ike_sk_iv_len(const struct cry_sk_keys *k);
/** ICV length on the wire for these keys. */
size_t ike_sk_icv_len(const struct cry_sk_keys *k);
/** Largest SK (or SKF) overhead after the inner payloads: padding, pad length and ICV. */
size_t ike_sk_trailer_max(const struct cry_sk_keys *k);

/**
 * Prepares sealing the SK payload at sk_off whose inner payloads are
 * plain_len octets at plain_off (which must be sk_off + 4 + IV length).
 * Draws the IV with cry_random, writes padding and pad length, fixes the
 * SK payload length and the IKE header length, and sets *msg_len.
 * @return IKE_OK, IKE_E_PARAM for a bad layout, IKE_E_NOSPACE if cap is too small.
 */
enum ike_status ike_sk_seal_prepare(const struct cry_ops *ops, const struct cry_sk_keys *k,
				    uint8_t *msg, size_t cap, size_t sk_off, size_t plain_off,
				    size_t plain_len, size_t *msg_len, struct cry_aead_job *job);
/** After the job ran: its status; on failure the plaintext in the message is wiped. */
enum ike_status ike_sk_seal_finish(struct cry_aead_job *job);
/** ike_sk_seal_prepare(), the job, ike_sk_seal_finish(). */
enum ike_status ike_sk_seal(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg,
			    size_t cap, size_t sk_off, size_t plain_off, size_t plain_len,
			    size_t *msg_len);

/**
 * Prepares opening the SK payload at sk_off of a received message of
 * msg_len octets. Checks the layout only (lengths, alignment); the ICV is
 * checked by the job before anything is decrypted.
 * @return IKE_OK or IKE_E_MALFORMED.
 */
enum ike_status ike_sk_open_prepare(const struct cry_sk_keys *k, uint8_t *msg, size_t msg_len,
				    size_t sk_off, struct cry_aead_job *job);
/**
 * After the job ran: IKE_E_INTEGRITY if the ICV did not match (message
 * untouched), IKE_E_MALFORMED for a bad pad length, else the inner payloads'
 * offset and length.
 */
enum ike_status ike_sk_open_finish(const struct cry_aead_job *job, size_t *plain_off,
				   size_t *plain_len);
/** ike_sk_open_prepare(), the job, ike_sk_open_finish(). */
enum ike_status ike_sk_open(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg,
			    size_t msg_len, size_t sk_off, size_t *plain_off, size_t *plain_len);

/*
 * The same for an SKF payload (RFC 7383 2.5): its 8-octet header is part of
 * the associated data / integrity region like the SK header. plain_off must
 * be sk_off + 8 + IV length. ike_sk_seal_finish() and ike_sk_open_finish()
 * finish SKF jobs too.
 */
enum ike_status ike_skf_seal_prepare(const struct cry_ops *ops, const struct cry_sk_keys *k,
				     uint8_t *msg, size_t cap, size_t sk_off, size_t plain_off,
				     size_t plain_len, size_t *msg_len, struct cry_aead_job *job);
enum ike_status ike_skf_seal(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg,
			     size_t cap, size_t sk_off, size_t plain_off, size_t plain_len,
			     size_t *msg_len);
enum ike_status ike_skf_open_prepare(const struct cry_sk_keys *k, uint8_t *msg, size_t msg_len,
				     size_t sk_off, struct cry_aead_job *job);
enum ike_status ike_skf_open(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg,
			     size_t msg_len, size_t sk_off, size_t *plain_off, size_t *plain_len);

#endif
