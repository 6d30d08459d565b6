/* SPDX-License-Identifier: BSD-3-Clause */
#include "cry_ops.h"

size_t
cry_prf_len(enum cry_prf_alg alg)
{
	switch (alg) {
	case CRY_PRF_HMAC_SHA1:
		return 20;
	case CRY_PRF_HMAC_SHA256:
		return 32;
	case CRY_PRF_HMAC_SHA384:
		return 48;
	case CRY_PRF_HMAC_SHA512:
		return 64;
	}
	return 0;
}

size_t
cry_prf_block_len(enum cry_prf_alg alg)
{
	return alg == CRY_PRF_HMAC_SHA384 || alg == CRY_PRF_HMAC_SHA512 ? 128 : 64;
}

size_t
cry_hash_len(enum cry_hash_alg alg)
{
	return cry_prf_len((enum cry_prf_alg)alg);
}

size_t
cry_integ_icv_len(enum cry_integ integ)
{
	switch (integ) {
	case CRY_INTEG_NONE:
		return 0;
	case CRY_INTEG_HMAC_SHA256_128:
		return 16;
	case CRY_INTEG_HMAC_SHA384_192:
		return 24;
	case CRY_INTEG_HMAC_SHA512_256:
		return 32;
	}
	return 0;
}

/* RFC 4868 2.1.1: the key is as long as the hash output. */
size_t
cry_integ_key_len(enum cry_integ integ)
{
	return cry_integ_icv_len(integ) * 2;
}

enum ike_status
cry_prf(const struct cry_ops *ops, enum cry_prf_alg alg, const uint8_t *key, size_t key_len,
	const uint8_t *data, size_t data_len, uint8_t *out)
{
	struct cry_prf_job job = {
		.alg = alg,
		.key = key,
		.key_len = key_len,
		.data = data,
		.data_len = data_len,
		.out = out,
	};

	ops->sym->prf_burst(ops->sym_ctx, &job, 1);
	return job.status;
}

enum ike_status
cry_aead(const struct cry_ops *ops, struct cry_aead_job *job)
{
	ops->sym->aead_burst(ops->sym_ctx, job, 1);
	return job->status;
}

enum ike_status
cry_random(const struct cry_ops *ops, uint8_t *out, size_t len)
{
	return ops->asym->random(ops->asym_ctx, out, len);
}

enum ike_status
cry_kex_respond(const struct cry_ops *ops, uint16_t method, const uint8_t *peer, size_t peer_len,
		uint8_t *ours, size_t *ours_len, uint8_t *secret, size_t *secret_len)
{
	const struct cry_asym_ops *a = ops->asym;
	struct cry_kex *kex;
	enum ike_status st;

	if (a->kex_respond != NULL)
		return a->kex_respond(ops->asym_ctx, method, peer, peer_len, ours, ours_len, secret,
				      secret_len);
	st = a->kex_new(ops->asym_ctx, method, &kex, ours, ours_len);
	if (st != IKE_OK)
		return st;
	st = a->kex_derive(ops->asym_ctx, kex, peer, peer_len, secret, secret_len);
	a->kex_free(ops->asym_ctx, kex);
	return st;
}
