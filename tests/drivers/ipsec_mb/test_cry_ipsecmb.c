/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Known answers for the ipsec-mb driver (RFC 4231/4868 and RFC 2202 HMACs,
 * FIPS 180 digests, GCM specification test cases, RFC 3602 CBC cases), then
 * bursts mixing algorithms and lengths, each job checked against the same
 * job run alone, and tampering. Runs once per manager this CPU supports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cry_ipsecmb_priv.h"
#include "cry_test_util.h"

struct kat_prf {
	enum cry_prf_alg alg;
	const char *key, *data, *out;
};

struct kat_hash {
	enum cry_hash_alg alg;
	const char *msg, *digest;
};

struct kat_gcm {
	const char *name, *key, *salt, *iv, *aad, *pt, *ct, *tag;
};

struct kat_cbc {
	enum cry_integ integ;
	const char *key, *integ_key, *iv, *aad, *pt, *ct, *icv;
};

#include "kat_vectors.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MIX_JOBS 150 /* more than one chunk */
#define MIX_KEY_MAX 200
#define MIX_DATA_MAX 600
#define AEAD_JOBS 100
#define AEAD_AAD_MAX 32
#define AEAD_DATA_MAX 720

static struct cry_ops ops;

static void
test_prf_kat(void **state)
{
	uint8_t key[256], data[256], want[64], out[64];
	size_t i, klen, dlen, olen;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_prf); i++) {
		klen = cry_test_unhex(kat_prf[i].key, key, sizeof(key));
		dlen = cry_test_unhex(kat_prf[i].data, data, sizeof(data));
		olen = cry_test_unhex(kat_prf[i].out, want, sizeof(want));
		assert_int_equal(olen, cry_prf_len(kat_prf[i].alg));
		memset(out, 0, sizeof(out));
		assert_int_equal(cry_prf(&ops, kat_prf[i].alg, key, klen, data, dlen, out), IKE_OK);
		assert_memory_equal(out, want, olen);
	}
}

/* Every KAT in one call: four algorithms, empty and long keys, empty data. */
static void
test_prf_kat_one_burst(void **state)
{
	static uint8_t key[ARRAY_LEN(kat_prf)][256], data[ARRAY_LEN(kat_prf)][256];
	static uint8_t want[ARRAY_LEN(kat_prf)][64], out[ARRAY_LEN(kat_prf)][64];
	struct cry_prf_job jobs[ARRAY_LEN(kat_prf)];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_prf); i++) {
		jobs[i] = (struct cry_prf_job){
			.alg = kat_prf[i].alg,
			.key = key[i],
			.key_len = cry_test_unhex(kat_prf[i].key, key[i], sizeof(key[i])),
			.data = data[i],
			.data_len = cry_test_unhex(kat_prf[i].data, data[i], sizeof(data[i])),
			.out = out[i],
			.status = IKE_E_CRYPTO,
		};
		cry_test_unhex(kat_prf[i].out, want[i], sizeof(want[i]));
	}
	assert_int_equal(ops.sym->prf_burst(ops.sym_ctx, jobs, ARRAY_LEN(jobs)), ARRAY_LEN(jobs));
	for (i = 0; i < ARRAY_LEN(kat_prf); i++) {
		assert_int_equal(jobs[i].status, IKE_OK);
		assert_memory_equal(out[i], want[i], cry_prf_len(kat_prf[i].alg));
	}
}

static void
test_prf_mixed_burst_matches_single(void **state)
{
	static uint8_t key[MIX_JOBS][MIX_KEY_MAX], data[MIX_JOBS][MIX_DATA_MAX];
	static uint8_t burst_out[MIX_JOBS][64], single_out[64];
	struct cry_prf_job jobs[MIX_JOBS];
	uint64_t rng = 0x1234567887654321u;
	size_t i;

	(void)state;
	for (i = 0; i < MIX_JOBS; i++) {
		jobs[i] = (struct cry_prf_job){
			.alg = (enum cry_prf_alg)(cry_test_rand(&rng) % 4),
			.key = key[i],
			.key_len = i % 7 == 0 ? 0 : cry_test_rand(&rng) % (MIX_KEY_MAX + 1),
			.data = data[i],
			.data_len = i % 11 == 0 ? 0 : cry_test_rand(&rng) % (MIX_DATA_MAX + 1),
			.out = burst_out[i],
		};
		cry_test_fill(&rng, key[i], MIX_KEY_MAX);
		cry_test_fill(&rng, data[i], MIX_DATA_MAX);
	}
	assert_int_equal(ops.sym->prf_burst(ops.sym_ctx, jobs, MIX_JOBS), MIX_JOBS);
	for (i = 0; i < MIX_JOBS; i++) {
		assert_int_equal(jobs[i].status, IKE_OK);
		assert_int_equal(cry_prf(&ops, jobs[i].alg, jobs[i].key, jobs[i].key_len,
					 jobs[i].data, jobs[i].data_len, single_out),
				 IKE_OK);
		assert_memory_equal(burst_out[i], single_out, cry_prf_len(jobs[i].alg));
	}
}

static void
test_prf_bad_job_does_not_spoil_burst(void **state)
{
	static const uint8_t key[4] = { 1, 2, 3, 4 };
	uint8_t out[3][64], want[64];
	struct cry_prf_job jobs[3] = {
		{ .alg = CRY_PRF_HMAC_SHA256, .key = key, .key_len = 4, .data = key,
		  .data_len = 4, .out = out[0] },
		{ .alg = (enum cry_prf_alg)9, .key = key, .key_len = 4, .data = key,
		  .data_len = 4, .out = out[1] },
		{ .alg = CRY_PRF_HMAC_SHA256, .key = key, .key_len = 4, .data = NULL,
		  .data_len = 4, .out = out[2] },
	};

	(void)state;
	assert_int_equal(ops.sym->prf_burst(ops.sym_ctx, jobs, 3), 1);
	assert_int_equal(jobs[0].status, IKE_OK);
	assert_int_equal(jobs[1].status, IKE_E_UNSUPPORTED);
	assert_int_equal(jobs[2].status, IKE_E_PARAM);
	assert_int_equal(cry_prf(&ops, CRY_PRF_HMAC_SHA256, key, 4, key, 4, want), IKE_OK);
	assert_memory_equal(out[0], want, 32);
}

static void
test_hash_kat(void **state)
{
	static uint8_t msg[1024];
	uint8_t want[64], out[64];
	size_t i, len;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_hash); i++) {
		len = cry_test_unhex(kat_hash[i].msg, msg, sizeof(msg));
		cry_test_unhex(kat_hash[i].digest, want, sizeof(want));
		assert_int_equal(ops.sym->hash(ops.sym_ctx, kat_hash[i].alg, len ? msg : NULL, len,
					       out),
				 IKE_OK);
		assert_memory_equal(out, want, cry_hash_len(kat_hash[i].alg));
	}
}

static void
test_gcm_kat(void **state)
{
	uint8_t buf[64], pt[64], ct[64], aad[32], iv[8], tag[16], icv[16];
	struct cry_sk_keys keys = { .cipher = CRY_CIPHER_AES_GCM_16, .integ = CRY_INTEG_NONE };
	struct cry_aead_job job;
	size_t i, len, aad_len;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_gcm); i++) {
		keys.enc_key_len = (uint8_t)cry_test_unhex(kat_gcm[i].key, keys.enc_key,
							   sizeof(keys.enc_key));
		cry_test_unhex(kat_gcm[i].salt, keys.salt, sizeof(keys.salt));
		cry_test_unhex(kat_gcm[i].iv, iv, sizeof(iv));
		aad_len = cry_test_unhex(kat_gcm[i].aad, aad, sizeof(aad));
		len = cry_test_unhex(kat_gcm[i].pt, pt, sizeof(pt));
		cry_test_unhex(kat_gcm[i].ct, ct, sizeof(ct));
		cry_test_unhex(kat_gcm[i].tag, tag, sizeof(tag));
		memcpy(buf, pt, len);
		job = (struct cry_aead_job){ .dir = CRY_SEAL, .keys = &keys, .aad = aad,
					     .aad_len = aad_len, .iv = iv, .data = buf,
					     .len = len, .icv = icv };
		assert_int_equal(cry_aead(&ops, &job), IKE_OK);
		if (len > 0)
			assert_memory_equal(buf, ct, len);
		assert_memory_equal(icv, tag, 16);
		job.dir = CRY_OPEN;
		assert_int_equal(cry_aead(&ops, &job), IKE_OK);
		if (len > 0)
			assert_memory_equal(buf, pt, len);
	}
}

static void
test_cbc_kat(void **state)
{
	/* aad | iv | data, as in an SK payload */
	uint8_t region[32 + 16 + 64], pt[64], ct[64], want_icv[32], icv[32];
	struct cry_sk_keys keys = { .cipher = CRY_CIPHER_AES_CBC };
	struct cry_aead_job job;
	size_t i, len, aad_len;
	uint8_t *iv;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_cbc); i++) {
		keys.integ = kat_cbc[i].integ;
		keys.enc_key_len = (uint8_t)cry_test_unhex(kat_cbc[i].key, keys.enc_key,
							   sizeof(keys.enc_key));
		keys.integ_key_len = (uint8_t)cry_test_unhex(kat_cbc[i].integ_key, keys.integ_key,
							     sizeof(keys.integ_key));
		aad_len = cry_test_unhex(kat_cbc[i].aad, region, 32);
		iv = region + aad_len;
		cry_test_unhex(kat_cbc[i].iv, iv, 16);
		len = cry_test_unhex(kat_cbc[i].pt, pt, sizeof(pt));
		cry_test_unhex(kat_cbc[i].ct, ct, sizeof(ct));
		cry_test_unhex(kat_cbc[i].icv, want_icv, sizeof(want_icv));
		memcpy(iv + 16, pt, len);
		job = (struct cry_aead_job){ .dir = CRY_SEAL, .keys = &keys, .aad = region,
					     .aad_len = aad_len, .iv = iv, .data = iv + 16,
					     .len = len, .icv = icv };
		assert_int_equal(cry_aead(&ops, &job), IKE_OK);
		assert_memory_equal(iv + 16, ct, len);
		assert_memory_equal(icv, want_icv, cry_integ_icv_len(keys.integ));
		job.dir = CRY_OPEN;
		assert_int_equal(cry_aead(&ops, &job), IKE_OK);
		assert_memory_equal(iv + 16, pt, len);
	}
}

struct aead_case {
	struct cry_sk_keys keys; /* used unless the job shares its predecessor's */
	uint8_t buf[AEAD_AAD_MAX + 16 + AEAD_DATA_MAX]; /* aad | (CBC iv) | data */
	uint8_t gcm_iv[8];
	uint8_t icv[CRY_MAX_ICV];
};

static struct aead_case cases[AEAD_JOBS], saved[AEAD_JOBS];

/* Random suites and lengths; every third job shares the previous job's keys. */
static void
aead_cases_make(uint64_t *rng, struct cry_aead_job *jobs, enum cry_dir dir)
{
	static const uint8_t key_lens[] = { 16, 24, 32 };
	const struct cry_sk_keys *k;
	struct aead_case *c;
	size_t i, aad_len, len;

	for (i = 0; i < AEAD_JOBS; i++) {
		c = &cases[i];
		cry_test_fill(rng, c->buf, sizeof(c->buf));
		cry_test_fill(rng, c->gcm_iv, sizeof(c->gcm_iv));
		memset(&c->keys, 0, sizeof(c->keys));
		c->keys.enc_key_len = key_lens[cry_test_rand(rng) % 3];
		c->keys.cipher = cry_test_rand(rng) % 2 ? CRY_CIPHER_AES_CBC : CRY_CIPHER_AES_GCM_16;
		if (c->keys.cipher == CRY_CIPHER_AES_CBC)
			c->keys.integ = (enum cry_integ)(1 + cry_test_rand(rng) % 3);
		c->keys.integ_key_len = (uint8_t)cry_integ_key_len(c->keys.integ);
		cry_test_fill(rng, c->keys.enc_key, sizeof(c->keys.enc_key));
		cry_test_fill(rng, c->keys.salt, sizeof(c->keys.salt));
		cry_test_fill(rng, c->keys.integ_key, sizeof(c->keys.integ_key));
		k = i % 3 == 2 ? jobs[i - 1].keys : &c->keys;
		aad_len = cry_test_rand(rng) % (AEAD_AAD_MAX + 1);
		len = cry_test_rand(rng) % (AEAD_DATA_MAX + 1);
		jobs[i] = (struct cry_aead_job){
			.dir = dir,
			.keys = k,
			.aad = c->buf,
			.aad_len = aad_len,
			.icv = c->icv,
		};
		if (k->cipher == CRY_CIPHER_AES_CBC) {
			jobs[i].iv = c->buf + aad_len;
			jobs[i].data = c->buf + aad_len + 16;
			jobs[i].len = len & ~(size_t)15;
		} else {
			jobs[i].iv = c->gcm_iv;
			jobs[i].data = c->buf + AEAD_AAD_MAX + 16;
			jobs[i].len = len;
		}
	}
}

/* The same job pointed at the buffers of another copy of its case. */
static struct cry_aead_job
job_rebase(const struct cry_aead_job *j, const struct aead_case *from, struct aead_case *to)
{
	struct cry_aead_job r = *j;

	r.aad = to->buf;
	r.iv = j->iv == from->gcm_iv ? to->gcm_iv : to->buf + (j->iv - from->buf);
	r.data = to->buf + (j->data - from->buf);
	r.icv = to->icv;
	return r;
}

static size_t
job_icv_len(const struct cry_aead_job *j)
{
	return j->keys->cipher == CRY_CIPHER_AES_CBC ? cry_integ_icv_len(j->keys->integ) : 16;
}

static void
test_aead_mixed_burst_matches_single(void **state)
{
	struct cry_aead_job jobs[AEAD_JOBS], one;
	uint64_t rng = 0x0badc0ffee15600du;
	size_t i;

	(void)state;
	aead_cases_make(&rng, jobs, CRY_SEAL);
	memcpy(saved, cases, sizeof(cases));
	assert_int_equal(ops.sym->aead_burst(ops.sym_ctx, jobs, AEAD_JOBS), AEAD_JOBS);
	for (i = 0; i < AEAD_JOBS; i++) {
		assert_int_equal(jobs[i].status, IKE_OK);
		one = job_rebase(&jobs[i], &cases[i], &saved[i]);
		assert_int_equal(cry_aead(&ops, &one), IKE_OK);
		assert_memory_equal(cases[i].buf, saved[i].buf, sizeof(cases[i].buf));
		assert_memory_equal(cases[i].icv, saved[i].icv, job_icv_len(&jobs[i]));
	}
	/* And back: the whole burst opens to the plaintexts. */
	for (i = 0; i < AEAD_JOBS; i++) {
		jobs[i].dir = CRY_OPEN;
		one = job_rebase(&jobs[i], &cases[i], &saved[i]);
		assert_int_equal(cry_aead(&ops, &one), IKE_OK);
	}
	assert_int_equal(ops.sym->aead_burst(ops.sym_ctx, jobs, AEAD_JOBS), AEAD_JOBS);
	for (i = 0; i < AEAD_JOBS; i++)
		assert_memory_equal(cases[i].buf, saved[i].buf, sizeof(cases[i].buf));
}

/* Flips one bit of the ciphertext, ICV, AAD or IV of every third job. */
static void
test_aead_tamper_in_burst(void **state)
{
	struct cry_aead_job jobs[AEAD_JOBS];
	uint64_t rng = 0x5eed5eed5eed5eedu;
	unsigned n_bad = 0;
	uint8_t *p;
	size_t i;

	(void)state;
	aead_cases_make(&rng, jobs, CRY_SEAL);
	assert_int_equal(ops.sym->aead_burst(ops.sym_ctx, jobs, AEAD_JOBS), AEAD_JOBS);
	for (i = 0; i < AEAD_JOBS; i++) {
		jobs[i].dir = CRY_OPEN;
		if (i % 3 != 1)
			continue;
		switch (i % 4) {
		case 0:
			p = jobs[i].len ? jobs[i].data + jobs[i].len - 1 : jobs[i].icv;
			break;
		case 1:
			p = jobs[i].icv + job_icv_len(&jobs[i]) - 1;
			break;
		case 2:
			p = jobs[i].aad_len ? cases[i].buf : jobs[i].icv + 3;
			break;
		default:
			p = (uint8_t *)jobs[i].iv + 5;
			break;
		}
		*p ^= 0x10;
		n_bad++;
	}
	memcpy(saved, cases, sizeof(cases));
	assert_int_equal(ops.sym->aead_burst(ops.sym_ctx, jobs, AEAD_JOBS), AEAD_JOBS - n_bad);
	for (i = 0; i < AEAD_JOBS; i++) {
		if (i % 3 != 1) {
			assert_int_equal(jobs[i].status, IKE_OK);
			continue;
		}
		assert_int_equal(jobs[i].status, IKE_E_INTEGRITY);
		/* A failed OPEN leaves the ciphertext as it was. */
		assert_memory_equal(cases[i].buf, saved[i].buf, sizeof(cases[i].buf));
	}
}

static void
test_aead_bad_params(void **state)
{
	uint8_t region[16 + 48], icv[32], gcm_iv[8] = { 0 };
	struct cry_sk_keys cbc = { .cipher = CRY_CIPHER_AES_CBC,
				   .integ = CRY_INTEG_HMAC_SHA256_128,
				   .enc_key_len = 16,
				   .integ_key_len = 32 };
	struct cry_sk_keys gcm = { .cipher = CRY_CIPHER_AES_GCM_16, .enc_key_len = 16 };
	struct cry_aead_job ok = { .dir = CRY_SEAL, .keys = &cbc, .iv = region,
				   .data = region + 16, .len = 48, .icv = icv };
	struct cry_aead_job j;

	(void)state;
	memset(region, 7, sizeof(region));
	j = ok;
	assert_int_equal(cry_aead(&ops, &j), IKE_OK);
	j = ok;
	j.len = 40; /* not whole blocks */
	assert_int_equal(cry_aead(&ops, &j), IKE_E_PARAM);
	j = ok;
	j.data = region + 17; /* iv and data not contiguous */
	j.len = 32;
	assert_int_equal(cry_aead(&ops, &j), IKE_E_PARAM);
	cbc.integ = CRY_INTEG_NONE;
	j = ok;
	assert_int_equal(cry_aead(&ops, &j), IKE_E_PARAM);
	cbc.integ = CRY_INTEG_HMAC_SHA256_128;
	cbc.enc_key_len = 20;
	j = ok;
	assert_int_equal(cry_aead(&ops, &j), IKE_E_PARAM);
	gcm.integ = CRY_INTEG_HMAC_SHA256_128; /* AEAD takes no integrity algorithm */
	j = ok;
	j.keys = &gcm;
	j.iv = gcm_iv;
	assert_int_equal(cry_aead(&ops, &j), IKE_E_PARAM);
}

/* The SHA-NI block function must produce the state ipsec-mb's own one would. */
static void
test_sha256_shani_block_matches_library(void **state)
{
	struct cry_ipsecmb *c = ops.sym_ctx;
	uint8_t block[64], ours[32], lib[32] __attribute__((aligned(16)));
	uint64_t rng = 0x5a5a5a5a12345678u;
	int i;

	(void)state;
	if (!(c->mgr->features & IMB_FEATURE_SHANI))
		skip();
	for (i = 0; i < 50; i++) {
		cry_test_fill(&rng, block, sizeof(block));
		cry_ipsecmb_sha256_block_shani(block, ours);
		IMB_SHA256_ONE_BLOCK(c->mgr, block, lib);
		assert_memory_equal(ours, lib, sizeof(ours));
	}
}

static void
test_auto_prefers_sse_with_sha_ni(void **state)
{
	struct cry_ipsecmb *c = cry_ipsecmb_create(CRY_IPSECMB_AUTO);

	(void)state;
	assert_non_null(c);
	if (imb_get_feature_flags() & IMB_FEATURE_SHANI)
		assert_string_equal(cry_ipsecmb_arch_name(c), "sse");
	cry_ipsecmb_destroy(c);
}

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* After a burst the driver scratch holds no key schedule, HMAC pad or computed ICV. */
static void
test_scratch_wiped_after_burst(void **state)
{
	const struct cry_ipsecmb *c = ops.sym_ctx;
	struct cry_sk_keys gcm = { .cipher = CRY_CIPHER_AES_GCM_16, .enc_key_len = 32 };
	struct cry_sk_keys cbc = { .cipher = CRY_CIPHER_AES_CBC, .enc_key_len = 16,
				   .integ = CRY_INTEG_HMAC_SHA256_128, .integ_key_len = 32 };
	uint8_t buf[2][16 + 16 + 64], icv[2][16], key[32], out[32], gcm_iv[8] = { 1 };
	struct cry_aead_job jobs[2];
	unsigned i;

	(void)state;
	memset(gcm.enc_key, 0xa5, sizeof(gcm.enc_key));
	memset(cbc.enc_key, 0x5a, sizeof(cbc.enc_key));
	memset(cbc.integ_key, 0x3c, sizeof(cbc.integ_key));
	memset(buf, 0x11, sizeof(buf));
	jobs[0] = (struct cry_aead_job){ .dir = CRY_SEAL, .keys = &gcm, .aad = buf[0],
					 .aad_len = 16, .iv = gcm_iv, .data = buf[0] + 32,
					 .len = 64, .icv = icv[0] };
	jobs[1] = (struct cry_aead_job){ .dir = CRY_SEAL, .keys = &cbc, .aad = buf[1],
					 .aad_len = 16, .iv = buf[1] + 16, .data = buf[1] + 32,
					 .len = 64, .icv = icv[1] };
	assert_int_equal(ops.sym->aead_burst(ops.sym_ctx, jobs, 2), 2);
	/* An OPEN that fails computes the valid tag of the forged message. */
	icv[0][0] ^= 1;
	jobs[0].dir = CRY_OPEN;
	assert_int_equal(ops.sym->aead_burst(ops.sym_ctx, jobs, 1), 0);
	for (i = 0; i < 2; i++) {
		assert_true(all_zero(&c->aead[i].gcm, sizeof(c->aead[i].gcm)));
		assert_true(all_zero(c->aead[i].aes_enc, sizeof(c->aead[i].aes_enc)));
		assert_true(all_zero(c->aead[i].aes_dec, sizeof(c->aead[i].aes_dec)));
		assert_true(all_zero(&c->aead[i].hmac, sizeof(c->aead[i].hmac)));
		assert_true(all_zero(c->aead[i].icv, sizeof(c->aead[i].icv)));
	}
	memset(key, 0x77, sizeof(key));
	assert_int_equal(cry_prf(&ops, CRY_PRF_HMAC_SHA256, key, sizeof(key), buf[0], 40, out),
			 IKE_OK);
	assert_true(all_zero(&c->prf_pads[0], sizeof(c->prf_pads[0])));
}

int
main(void)
{
	static const enum cry_ipsecmb_arch archs[] = {
		CRY_IPSECMB_SSE, CRY_IPSECMB_AVX, CRY_IPSECMB_AVX2, CRY_IPSECMB_AVX512,
	};
	static const char *const names[] = { "sse", "avx", "avx2", "avx512" };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prf_kat),
		cmocka_unit_test(test_prf_kat_one_burst),
		cmocka_unit_test(test_prf_mixed_burst_matches_single),
		cmocka_unit_test(test_prf_bad_job_does_not_spoil_burst),
		cmocka_unit_test(test_hash_kat),
		cmocka_unit_test(test_gcm_kat),
		cmocka_unit_test(test_cbc_kat),
		cmocka_unit_test(test_aead_mixed_burst_matches_single),
		cmocka_unit_test(test_aead_tamper_in_burst),
		cmocka_unit_test(test_aead_bad_params),
		cmocka_unit_test(test_sha256_shani_block_matches_library),
		cmocka_unit_test(test_auto_prefers_sse_with_sha_ni),
		cmocka_unit_test(test_scratch_wiped_after_burst),
	};
	char group[32];
	struct cry_ipsecmb *drv;
	int failed = 0, ran = 0;
	size_t i;

	for (i = 0; i < ARRAY_LEN(archs); i++) {
		drv = cry_ipsecmb_create(archs[i]);
		if (drv == NULL) {
			printf("# %s manager not usable on this CPU: skipped\n", names[i]);
			continue;
		}
		assert_string_equal(cry_ipsecmb_arch_name(drv), names[i]);
		printf("# %s manager\n", names[i]);
		cry_ipsecmb_bind(drv, &ops);
		snprintf(group, sizeof(group), "ipsecmb-%s", names[i]);
		failed += cmocka_run_group_tests_name(group, tests, NULL, NULL);
		cry_ipsecmb_destroy(drv);
		ran++;
	}
	return ran == 0 || failed != 0;
}
