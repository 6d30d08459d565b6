/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_sk.c - seal and open Encrypted payloads in place: SK (RFC 7296 3.14,
 * RFC 5282 for AES-GCM) and SKF (RFC 7383 2.5). The associated data (GCM)
 * or the start of the integrity region (CBC + HMAC) is the message from
 * the IKE header through the SK/SKF payload header (RFC 5282 5.1).
 */
#include <string.h>

#include "ike_buf.h"
#include "ike_const.h"
#include "ike_secret.h"
#include "ike_sk.h"

#define IKE_HDR_LENGTH_OFF 24 /* RFC 7296 3.1: Length, last field of the header */
#define PLD_LENGTH_OFF 2      /* RFC 7296 3.2: Payload Length in the generic header */
#define AES_BLOCK_LEN 16
#define GCM_IV_LEN 8 /* RFC 5282 3.1 */
#define GCM_ICV_LEN 16

size_t
ike_sk_iv_len(const struct cry_sk_keys *k)
{
	return k->cipher == CRY_CIPHER_AES_GCM_16 ? GCM_IV_LEN : AES_BLOCK_LEN;
}

size_t
ike_sk_icv_len(const struct cry_sk_keys *k)
{
	return k->cipher == CRY_CIPHER_AES_GCM_16 ? GCM_ICV_LEN : cry_integ_icv_len(k->integ);
}

/* Alignment of inner payloads | padding | pad length (RFC 5282 3: none for GCM). */
static size_t
block_len(const struct cry_sk_keys *k)
{
	return k->cipher == CRY_CIPHER_AES_GCM_16 ? 1 : AES_BLOCK_LEN;
}

size_t
ike_sk_trailer_max(const struct cry_sk_keys *k)
{
	return block_len(k) - 1 + 1 + ike_sk_icv_len(k);
}

static enum ike_status
seal_prepare(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg, size_t cap,
	     size_t sk_off, size_t hdr_len, size_t plain_off, size_t plain_len, size_t *msg_len,
	     struct cry_aead_job *job)
{
	size_t iv_len = ike_sk_iv_len(k);
	size_t icv_len = ike_sk_icv_len(k);
	size_t block = block_len(k);
	size_t body, pad, end;
	enum ike_status st;

	if (sk_off < IKE_HDR_LEN || sk_off > cap || plain_off != sk_off + hdr_len + iv_len)
		return IKE_E_PARAM;
	if (plain_off > cap || plain_len > cap - plain_off)
		return IKE_E_NOSPACE;
	/* RFC 7296 3.14: minimal padding so payloads | Padding | Pad Length fill whole blocks. */
	pad = (block - (plain_len + 1) % block) % block;
	body = plain_len + pad + 1;
	if (body + icv_len > cap - plain_off)
		return IKE_E_NOSPACE;
	end = plain_off + body + icv_len;
	if (end - sk_off > UINT16_MAX || end > UINT32_MAX)
		return IKE_E_NOSPACE;

	memset(msg + plain_off + plain_len, 0, pad);
	msg[plain_off + plain_len + pad] = (uint8_t)pad;
	/* Both lengths are under the ICV, so they are final before sealing. */
	ike_put_u16(msg + sk_off + PLD_LENGTH_OFF, (uint16_t)(end - sk_off));
	ike_put_u32(msg + IKE_HDR_LENGTH_OFF, (uint32_t)end);
	st = cry_random(ops, msg + sk_off + hdr_len, iv_len);
	if (st != IKE_OK)
		return st;

	job->dir = CRY_SEAL;
	job->keys = k;
	job->aad = msg;
	job->aad_len = sk_off + hdr_len;
	job->iv = msg + sk_off + hdr_len;
	job->data = msg + plain_off;
	job->len = body;
	job->icv = msg + end - icv_len;
	job->status = IKE_OK;
	*msg_len = end;
	return IKE_OK;
}

static enum ike_status
open_prepare(const struct cry_sk_keys *k, uint8_t *msg, size_t msg_len, size_t sk_off,
	     size_t hdr_len, struct cry_aead_job *job)
{
	size_t iv_len = ike_sk_iv_len(k);
	size_t icv_len = ike_sk_icv_len(k);
	size_t body;

	if (msg_len < IKE_HDR_LEN || sk_off < IKE_HDR_LEN || sk_off > msg_len)
		return IKE_E_MALFORMED;
	/* The header, IV, at least the Pad Length octet, and the ICV. */
	if (msg_len - sk_off < hdr_len + iv_len + 1 + icv_len)
		return IKE_E_MALFORMED;
	/* The Encrypted payload is the last one (RFC 7296 3.14). */
	if (ike_get_u32(msg + IKE_HDR_LENGTH_OFF) != msg_len ||
	    ike_get_u16(msg + sk_off + PLD_LENGTH_OFF) != msg_len - sk_off)
		return IKE_E_MALFORMED;
	body = msg_len - sk_off - hdr_len - iv_len - icv_len;
	if (body % block_len(k) != 0)
		return IKE_E_MALFORMED;

	job->dir = CRY_OPEN;
	job->keys = k;
	job->aad = msg;
	job->aad_len = sk_off + hdr_len;
	job->iv = msg + sk_off + hdr_len;
	job->data = msg + sk_off + hdr_len + iv_len;
	job->len = body;
	job->icv = msg + msg_len - icv_len;
	job->status = IKE_OK;
	return IKE_OK;
}

enum ike_status
ike_sk_seal_prepare(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg,
		    size_t cap, size_t sk_off, size_t plain_off, size_t plain_len, size_t *msg_len,
		    struct cry_aead_job *job)
{
	return seal_prepare(ops, k, msg, cap, sk_off, IKE_SK_HDR_LEN, plain_off, plain_len, msg_len,
			    job);
}

enum ike_status
ike_skf_seal_prepare(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg,
		     size_t cap, size_t sk_off, size_t plain_off, size_t plain_len, size_t *msg_len,
		     struct cry_aead_job *job)
{
	return seal_prepare(ops, k, msg, cap, sk_off, IKE_SKF_HDR_LEN, plain_off, plain_len,
			    msg_len, job);
}

enum ike_status
ike_sk_seal_finish(struct cry_aead_job *job)
{
	/* Never leave plaintext where a caller might send it. */
	if (job->status != IKE_OK)
		ike_wipe(job->data, job->len);
	return job->status;
}

enum ike_status
ike_sk_open_prepare(const struct cry_sk_keys *k, uint8_t *msg, size_t msg_len, size_t sk_off,
		    struct cry_aead_job *job)
{
	return open_prepare(k, msg, msg_len, sk_off, IKE_SK_HDR_LEN, job);
}

enum ike_status
ike_skf_open_prepare(const struct cry_sk_keys *k, uint8_t *msg, size_t msg_len, size_t sk_off,
		     struct cry_aead_job *job)
{
	return open_prepare(k, msg, msg_len, sk_off, IKE_SKF_HDR_LEN, job);
}

enum ike_status
ike_sk_open_finish(const struct cry_aead_job *job, size_t *plain_off, size_t *plain_len)
{
	size_t pad;

	if (job->status != IKE_OK)
		return job->status;
	/* RFC 7296 3.14: accept any padding that keeps the payloads inside the region. */
	pad = job->data[job->len - 1];
	if (pad + 1 > job->len)
		return IKE_E_MALFORMED;
	*plain_off = (size_t)(job->data - job->aad);
	*plain_len = job->len - 1 - pad;
	return IKE_OK;
}

/* One-shot forms: prepare, run the single job, finish. */
static enum ike_status
run_seal(const struct cry_ops *ops, struct cry_aead_job *job)
{
	cry_aead(ops, job);
	return ike_sk_seal_finish(job);
}

static enum ike_status
run_open(const struct cry_ops *ops, struct cry_aead_job *job, size_t *plain_off, size_t *plain_len)
{
	cry_aead(ops, job);
	return ike_sk_open_finish(job, plain_off, plain_len);
}

enum ike_status
ike_sk_seal(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg, size_t cap,
	    size_t sk_off, size_t plain_off, size_t plain_len, size_t *msg_len)
{
	struct cry_aead_job job = {0};
	enum ike_status st;

	st = ike_sk_seal_prepare(ops, k, msg, cap, sk_off, plain_off, plain_len, msg_len, &job);
	return st != IKE_OK ? st : run_seal(ops, &job);
}

enum ike_status
ike_skf_seal(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg, size_t cap,
	     size_t sk_off, size_t plain_off, size_t plain_len, size_t *msg_len)
{
	struct cry_aead_job job = {0};
	enum ike_status st;

	st = ike_skf_seal_prepare(ops, k, msg, cap, sk_off, plain_off, plain_len, msg_len, &job);
	return st != IKE_OK ? st : run_seal(ops, &job);
}

enum ike_status
ike_sk_open(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg, size_t msg_len,
	    size_t sk_off, size_t *plain_off, size_t *plain_len)
{
	struct cry_aead_job job = {0};
	enum ike_status st;

	st = ike_sk_open_prepare(k, msg, msg_len, sk_off, &job);
	return st != IKE_OK ? st : run_open(ops, &job, plain_off, plain_len);
}

enum ike_status
ike_skf_open(const struct cry_ops *ops, const struct cry_sk_keys *k, uint8_t *msg, size_t msg_len,
	     size_t sk_off, size_t *plain_off, size_t *plain_len)
{
	struct cry_aead_job job = {0};
	enum ike_status st;

	st = ike_skf_open_prepare(k, msg, msg_len, sk_off, &job);
	return st != IKE_OK ? st : run_open(ops, &job, plain_off, plain_len);
}
