/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_ipsecmb_prf.c - burst of HMAC PRFs (RFC 7296 2.13, RFC 4868).
 * Every job's ipad/opad states are computed first, then the jobs of each
 * algorithm go to the library as one synchronous hash burst, which hashes
 * several messages in parallel lanes.
 */
#include <string.h>

#include "cry_ipsecmb_priv.h"
#include "ike_secret.h"

static const enum cry_prf_alg prf_algs[] = {
	CRY_PRF_HMAC_SHA1,
	CRY_PRF_HMAC_SHA256,
	CRY_PRF_HMAC_SHA384,
	CRY_PRF_HMAC_SHA512,
};

static enum ike_status
prf_job_check(const struct cry_prf_job *j)
{
	if (j->alg > CRY_PRF_HMAC_SHA512)
		return IKE_E_UNSUPPORTED;
	if (j->out == NULL || (j->key == NULL && j->key_len > 0) ||
	    (j->data == NULL && j->data_len > 0))
		return IKE_E_PARAM;
	return IKE_OK;
}

static void
hash_job_fill(IMB_JOB *h, struct cry_prf_job *j, const struct cry_ipsecmb_hmac_pads *pads)
{
	memset(h, 0, sizeof(*h));
	h->cipher_mode = IMB_CIPHER_NULL;
	h->cipher_direction = IMB_DIR_ENCRYPT;
	h->chain_order = IMB_ORDER_HASH_CIPHER;
	h->hash_alg = cry_ipsecmb_hmac_alg(j->alg);
	h->src = j->data;
	h->msg_len_to_hash_in_bytes = j->data_len;
	h->auth_tag_output = j->out;
	h->auth_tag_output_len_in_bytes = cry_prf_len(j->alg);
	h->u.HMAC._hashed_auth_key_xor_ipad = pads->ipad;
	h->u.HMAC._hashed_auth_key_xor_opad = pads->opad;
	h->user_data = j;
}

/* Submits the chunk's pending jobs of one algorithm as one hash burst. */
static void
prf_submit_alg(struct cry_ipsecmb *c, struct cry_prf_job *jobs, unsigned n, uint64_t pending,
	       enum cry_prf_alg alg)
{
	struct cry_prf_job *j;
	unsigned i, k = 0;

	for (i = 0; i < n; i++)
		if ((pending >> i & 1) && jobs[i].alg == alg)
			hash_job_fill(&c->hash_jobs[k++], &jobs[i], &c->prf_pads[i]);
	if (k == 0)
		return;
	IMB_SUBMIT_HASH_BURST(c->mgr, c->hash_jobs, k, cry_ipsecmb_hmac_alg(alg));
	for (i = 0; i < k; i++) {
		j = c->hash_jobs[i].user_data;
		if (c->hash_jobs[i].status == IMB_STATUS_COMPLETED)
			j->status = IKE_OK;
	}
}

static unsigned
prf_chunk(struct cry_ipsecmb *c, struct cry_prf_job *jobs, unsigned n)
{
	uint64_t pending = 0; /* one bit per job of the chunk */
	unsigned i, ok = 0;

	for (i = 0; i < n; i++) {
		struct cry_prf_job *j = &jobs[i];

		j->status = prf_job_check(j);
		if (j->status != IKE_OK)
			continue;
		if (j->data_len == 0) {
			cry_ipsecmb_hmac_empty(c->mgr, j->alg, j->key, j->key_len, j->out);
			continue;
		}
		cry_ipsecmb_hmac_pads(c->mgr, j->alg, j->key, j->key_len, &c->prf_pads[i]);
		j->status = IKE_E_CRYPTO; /* until the library reports completion */
		pending |= UINT64_C(1) << i;
	}
	for (i = 0; i < sizeof(prf_algs) / sizeof(prf_algs[0]); i++)
		prf_submit_alg(c, jobs, n, pending, prf_algs[i]);
	/* The pads are as good as the keys (SKEYSEED, SK_d, PSK): wipe them. */
	for (i = 0; i < n; i++)
		if (pending >> i & 1)
			ike_wipe(&c->prf_pads[i], sizeof(c->prf_pads[i]));
	for (i = 0; i < n; i++)
		ok += jobs[i].status == IKE_OK;
	return ok;
}

unsigned
cry_ipsecmb_prf_burst(void *ctx, struct cry_prf_job *jobs, unsigned n)
{
	struct cry_ipsecmb *c = ctx;
	unsigned off, len, ok = 0;

	for (off = 0; off < n; off += len) {
		len = n - off < CRY_IPSECMB_CHUNK ? n - off : CRY_IPSECMB_CHUNK;
		ok += prf_chunk(c, jobs + off, len);
	}
	return ok;
}
