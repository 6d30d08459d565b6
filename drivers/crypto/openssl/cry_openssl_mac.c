/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_openssl_mac.c - the IKE PRFs (HMAC, RFC 2104 / RFC 4868) one job at a
 * time on the contexts kept since create, and plain hashes.
 * HMAC hashes keys longer than the block size itself (RFC 2104 section 3).
 */
#include "cry_openssl_priv.h"

/* A zero-length key still needs a non-NULL pointer: EVP_MAC_init with a
 * NULL key would keep the previous job's key. */
static const uint8_t empty_key[1];

static enum ike_status
prf_one(struct cry_openssl *c, const struct cry_prf_job *job)
{
	EVP_MAC_CTX *mac;
	size_t out_len;
	size_t want = cry_prf_len(job->alg);

	if (want == 0)
		return IKE_E_UNSUPPORTED;
	mac = c->hmac_ctx[job->alg];
	if (!EVP_MAC_init(mac, job->key_len > 0 ? job->key : empty_key, job->key_len, NULL) ||
	    !EVP_MAC_update(mac, job->data, job->data_len) ||
	    !EVP_MAC_final(mac, job->out, &out_len, want) || out_len != want)
		return IKE_E_CRYPTO;
	return IKE_OK;
}

unsigned
cry_ossl_prf_burst(void *ctx, struct cry_prf_job *jobs, unsigned n)
{
	unsigned i;
	unsigned ok = 0;

	for (i = 0; i < n; i++) {
		jobs[i].status = prf_one(ctx, &jobs[i]);
		ok += jobs[i].status == IKE_OK;
	}
	return ok;
}

enum ike_status
cry_ossl_hash(void *ctx, enum cry_hash_alg alg, const uint8_t *data, size_t len, uint8_t *out)
{
	struct cry_openssl *c = ctx;
	size_t want = cry_hash_len(alg);
	unsigned int out_len;

	if (want == 0)
		return IKE_E_UNSUPPORTED;
	if (!EVP_DigestInit_ex2(c->md_ctx, c->md[alg], NULL) ||
	    !EVP_DigestUpdate(c->md_ctx, data, len) ||
	    !EVP_DigestFinal_ex(c->md_ctx, out, &out_len) || out_len != want)
		return IKE_E_CRYPTO;
	return IKE_OK;
}
