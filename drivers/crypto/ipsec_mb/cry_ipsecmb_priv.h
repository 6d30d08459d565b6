/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals of the ipsec-mb driver: the per-lcore object and the fixed
 * scratch a burst works in. Bursts longer than CRY_IPSECMB_CHUNK jobs are
 * processed chunk by chunk, so nothing is allocated per call.
 */
#ifndef CRY_IPSECMB_PRIV_H
#define CRY_IPSECMB_PRIV_H

#include <stdint.h>

#define NO_COMPAT_IMB_API_053 /* the old names (SHA1, GCM...) clash with OpenSSL */
#include <intel-ipsec-mb.h>

#include "cry_ipsecmb.h"

#define CRY_IPSECMB_CHUNK 64 /* jobs per chunk; also the width of the pending bit masks */
#define CRY_IPSECMB_HMAC_STATE 64 /* one-block digest state, SHA-512 is largest */
#define CRY_IPSECMB_AES_SCHED 240 /* 15 round keys of AES-256 */

/* Precomputed HMAC inner and outer states (RFC 2104 K ^ ipad, K ^ opad). */
struct cry_ipsecmb_hmac_pads {
	uint8_t ipad[CRY_IPSECMB_HMAC_STATE] __attribute__((aligned(16)));
	uint8_t opad[CRY_IPSECMB_HMAC_STATE] __attribute__((aligned(16)));
};

/*
 * GCM key schedules kept across bursts for keys that come back (the ticket
 * key seals and opens every ticket), looked up by key bytes. A key enters
 * a free entry when first seen, and stays past its chunk only if a second
 * job used it there: a key used once (an SA's SK_e) is wiped with the
 * chunk's scratch as before. Hits are halved every CRY_IPSECMB_GCM_AGING
 * chunks, so a key no longer used (a retired ticket key) leaves.
 */
#define CRY_IPSECMB_GCM_CACHE 8
#define CRY_IPSECMB_GCM_AGING 256
struct cry_ipsecmb_gcm_cached {
	struct gcm_key_data gcm __attribute__((aligned(16))); /* the library uses aligned loads */
	uint8_t key[32];
	uint8_t key_len; /* 0: empty */
	uint8_t hits;    /* uses after the first, saturating */
};

/* Per-job scratch of an AEAD burst: key schedules, nonce, computed ICV. */
struct cry_ipsecmb_aead_slot {
	struct gcm_key_data gcm;
	uint8_t aes_enc[CRY_IPSECMB_AES_SCHED] __attribute__((aligned(16)));
	uint8_t aes_dec[CRY_IPSECMB_AES_SCHED] __attribute__((aligned(16)));
	struct cry_ipsecmb_hmac_pads hmac;
	uint8_t nonce[12] __attribute__((aligned(16))); /* GCM: salt | IV */
	uint8_t icv[CRY_MAX_ICV];			/* OPEN: the ICV we compute */
	const struct gcm_key_data *gcm_sched;		/* GCM: this job's schedule */
	const struct cry_ipsecmb_aead_slot *sched;	/* slot holding this job's keys */
	uint8_t step;
};

struct cry_ipsecmb {
	IMB_MGR *mgr;
	enum cry_ipsecmb_arch arch;
	struct cry_ipsecmb_hmac_pads prf_pads[CRY_IPSECMB_CHUNK];
	struct cry_ipsecmb_gcm_cached gcm_cache[CRY_IPSECMB_GCM_CACHE];
	unsigned gcm_chunks; /* chunks since the last aging */
	IMB_JOB hash_jobs[CRY_IPSECMB_CHUNK];
	struct cry_ipsecmb_aead_slot aead[CRY_IPSECMB_CHUNK];
};

/* Where zero-length inputs point: ipsec-mb wants non-NULL buffers. */
extern const uint8_t cry_ipsecmb_empty[16];

/* HMAC pads for any key length; keys longer than the block are hashed first. */
void cry_ipsecmb_hmac_pads(IMB_MGR *mgr, enum cry_prf_alg alg, const uint8_t *key,
			   size_t key_len, struct cry_ipsecmb_hmac_pads *pads);
/* HMAC of an empty message: ipsec-mb refuses HMAC jobs of length zero. */
void cry_ipsecmb_hmac_empty(IMB_MGR *mgr, enum cry_prf_alg alg, const uint8_t *key,
			    size_t key_len, uint8_t *out);
/* SHA-256 state after one 64-octet block, as 8 native-endian words; needs SHA-NI. */
void cry_ipsecmb_sha256_block_shani(const uint8_t *block, uint8_t *state);
IMB_HASH_ALG cry_ipsecmb_hmac_alg(enum cry_prf_alg alg);

unsigned cry_ipsecmb_prf_burst(void *ctx, struct cry_prf_job *jobs, unsigned n);
unsigned cry_ipsecmb_aead_burst(void *ctx, struct cry_aead_job *jobs, unsigned n);
enum ike_status cry_ipsecmb_hash(void *ctx, enum cry_hash_alg alg, const uint8_t *data,
				 size_t len, uint8_t *out);

#endif
