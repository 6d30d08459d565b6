/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-validation of the two symmetric drivers: ipsec-mb (bursts) and
 * OpenSSL must produce byte-identical PRF outputs, digests, ciphertexts
 * and ICVs for random keys, AAD, IVs and a spread of lengths, and each must
 * open what the other sealed. Rejections of tampered input must agree too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "cry_test_util.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BURST 32
#define KEY_MAX 200
#define DATA_MAX 600
#define AAD_MAX 64
#define AEAD_DATA_MAX 2048
#define GCM_LEN_STEP 7
#define CBC_LEN_STEP 16

static struct cry_ops imb, ossl;

static const size_t prf_key_lens[] = {
	0, 1, 4, 16, 19, 20, 21, 31, 32, 33, 47, 48, 49, 63, 64, 65, 100, 127, 128, 129, 150, 200,
};
static const size_t prf_data_lens[] = {
	0, 1, 3, 16, 55, 56, 57, 63, 64, 65, 81, 111, 112, 113, 119, 120, 127,
	128, 129, 200, 255, 256, 300, 450, 511, 512, 513, 600,
};

static void
test_prf_xvalid(void **state)
{
	static uint8_t key[BURST][KEY_MAX], data[BURST][DATA_MAX];
	static uint8_t out_imb[BURST][64], out_ossl[BURST][64];
	struct cry_prf_job jobs[BURST];
	uint64_t rng = 0x7072667876616c69u;
	unsigned alg, k, d, n = 0, i;

	(void)state;
	for (alg = CRY_PRF_HMAC_SHA1; alg <= CRY_PRF_HMAC_SHA512; alg++) {
		for (k = 0; k < ARRAY_LEN(prf_key_lens); k++) {
			for (d = 0; d < ARRAY_LEN(prf_data_lens); d++) {
				cry_test_fill(&rng, key[n], prf_key_lens[k]);
				cry_test_fill(&rng, data[n], prf_data_lens[d]);
				jobs[n] = (struct cry_prf_job){
					.alg = (enum cry_prf_alg)alg,
					.key = key[n],
					.key_len = prf_key_lens[k],
					.data = data[n],
					.data_len = prf_data_lens[d],
					.out = out_imb[n],
				};
				if (++n < BURST && d + 1 < ARRAY_LEN(prf_data_lens))
					continue;
				assert_int_equal(imb.sym->prf_burst(imb.sym_ctx, jobs, n), n);
				for (i = 0; i < n; i++) {
					assert_int_equal(cry_prf(&ossl, jobs[i].alg, jobs[i].key,
								 jobs[i].key_len, jobs[i].data,
								 jobs[i].data_len, out_ossl[i]),
							 IKE_OK);
					assert_memory_equal(out_imb[i], out_ossl[i],
							    cry_prf_len(jobs[i].alg));
				}
				n = 0;
			}
		}
	}
}

static void
test_hash_xvalid(void **state)
{
	static uint8_t data[DATA_MAX];
	uint8_t a[64], b[64];
	uint64_t rng = 0x68617368u;
	unsigned alg;
	size_t len;

	(void)state;
	cry_test_fill(&rng, data, sizeof(data));
	for (alg = CRY_HASH_SHA1; alg <= CRY_HASH_SHA512; alg++) {
		for (len = 0; len <= DATA_MAX; len += 7) {
			assert_int_equal(imb.sym->hash(imb.sym_ctx, (enum cry_hash_alg)alg, data,
						       len, a),
					 IKE_OK);
			assert_int_equal(ossl.sym->hash(ossl.sym_ctx, (enum cry_hash_alg)alg, data,
							len, b),
					 IKE_OK);
			assert_memory_equal(a, b, cry_hash_len((enum cry_hash_alg)alg));
		}
	}
}

struct suite {
	enum cry_cipher cipher;
	enum cry_integ integ;
	uint8_t key_len;
};

static const struct suite suites[] = {
	{ CRY_CIPHER_AES_GCM_16, CRY_INTEG_NONE, 16 },
	{ CRY_CIPHER_AES_GCM_16, CRY_INTEG_NONE, 24 },
	{ CRY_CIPHER_AES_GCM_16, CRY_INTEG_NONE, 32 },
	{ CRY_CIPHER_AES_CBC, CRY_INTEG_HMAC_SHA256_128, 16 },
	{ CRY_CIPHER_AES_CBC, CRY_INTEG_HMAC_SHA384_192, 16 },
	{ CRY_CIPHER_AES_CBC, CRY_INTEG_HMAC_SHA512_256, 16 },
	{ CRY_CIPHER_AES_CBC, CRY_INTEG_HMAC_SHA256_128, 24 },
	{ CRY_CIPHER_AES_CBC, CRY_INTEG_HMAC_SHA256_128, 32 },
	{ CRY_CIPHER_AES_CBC, CRY_INTEG_HMAC_SHA384_192, 32 },
	{ CRY_CIPHER_AES_CBC, CRY_INTEG_HMAC_SHA512_256, 32 },
};

/* One message in two copies, one per driver; aad | iv | data as in an SK payload. */
struct xcase {
	struct cry_sk_keys keys;
	uint8_t plain[AEAD_DATA_MAX];
	uint8_t buf[2][AAD_MAX + 16 + AEAD_DATA_MAX];
	uint8_t icv[2][CRY_MAX_ICV];
};

static struct xcase xcases[BURST];

static void
xcase_make(uint64_t *rng, struct xcase *x, const struct suite *s, size_t len,
	   struct cry_aead_job jobs[2])
{
	size_t aad_len = cry_test_rand(rng) % (AAD_MAX + 1);
	int d;

	memset(&x->keys, 0, sizeof(x->keys));
	x->keys.cipher = s->cipher;
	x->keys.integ = s->integ;
	x->keys.enc_key_len = s->key_len;
	x->keys.integ_key_len = (uint8_t)cry_integ_key_len(s->integ);
	cry_test_fill(rng, x->keys.enc_key, sizeof(x->keys.enc_key));
	cry_test_fill(rng, x->keys.salt, sizeof(x->keys.salt));
	cry_test_fill(rng, x->keys.integ_key, sizeof(x->keys.integ_key));
	cry_test_fill(rng, x->buf[0], aad_len + 16 + len);
	memcpy(x->plain, x->buf[0] + aad_len + 16, len);
	memcpy(x->buf[1], x->buf[0], sizeof(x->buf[0]));
	for (d = 0; d < 2; d++)
		jobs[d] = (struct cry_aead_job){
			.dir = CRY_SEAL,
			.keys = &x->keys,
			.aad = x->buf[d],
			.aad_len = aad_len,
			.iv = x->buf[d] + aad_len,
			.data = x->buf[d] + aad_len + 16,
			.len = len,
			.icv = x->icv[d],
		};
}

static void
run_both(struct cry_aead_job *a, struct cry_aead_job *b, unsigned n, enum cry_dir dir,
	 const struct cry_ops *for_a, const struct cry_ops *for_b)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		a[i].dir = dir;
		b[i].dir = dir;
	}
	assert_int_equal(for_a->sym->aead_burst(for_a->sym_ctx, a, n), n);
	assert_int_equal(for_b->sym->aead_burst(for_b->sym_ctx, b, n), n);
}

/*
 * Seal copy 0 with ipsec-mb and copy 1 with OpenSSL: identical bytes.
 * Then each opens the other's: both get the plaintext back. Last, a bit
 * flipped in one ICV must be refused by both drivers.
 */
static void
check_batch(struct cry_aead_job *a, struct cry_aead_job *b, unsigned n)
{
	size_t icv_len;
	unsigned i;

	run_both(a, b, n, CRY_SEAL, &imb, &ossl);
	for (i = 0; i < n; i++) {
		icv_len = a[i].keys->cipher == CRY_CIPHER_AES_GCM_16
				  ? 16
				  : cry_integ_icv_len(a[i].keys->integ);
		assert_memory_equal(xcases[i].buf[0], xcases[i].buf[1], sizeof(xcases[i].buf[0]));
		assert_memory_equal(xcases[i].icv[0], xcases[i].icv[1], icv_len);
	}
	run_both(a, b, n, CRY_OPEN, &ossl, &imb);
	for (i = 0; i < n; i++) {
		assert_memory_equal(a[i].data, xcases[i].plain, a[i].len);
		assert_memory_equal(b[i].data, xcases[i].plain, b[i].len);
	}
	run_both(a, b, n, CRY_SEAL, &ossl, &imb);
	a[n - 1].icv[0] ^= 1;
	b[n - 1].icv[0] ^= 1;
	a[n - 1].dir = b[n - 1].dir = CRY_OPEN;
	assert_int_equal(imb.sym->aead_burst(imb.sym_ctx, &a[n - 1], 1), 0);
	assert_int_equal(a[n - 1].status, IKE_E_INTEGRITY);
	assert_int_equal(ossl.sym->aead_burst(ossl.sym_ctx, &b[n - 1], 1), 0);
	assert_int_equal(b[n - 1].status, IKE_E_INTEGRITY);
}

static void
test_aead_xvalid(void **state)
{
	struct cry_aead_job a[BURST], b[BURST], pair[2];
	uint64_t rng = 0x6165616478763031u;
	size_t len, step;
	unsigned s, n = 0;

	(void)state;
	for (s = 0; s < ARRAY_LEN(suites); s++) {
		step = suites[s].cipher == CRY_CIPHER_AES_GCM_16 ? GCM_LEN_STEP : CBC_LEN_STEP;
		for (len = 0; len <= AEAD_DATA_MAX; len += step) {
			xcase_make(&rng, &xcases[n], &suites[s], len, pair);
			a[n] = pair[0];
			b[n] = pair[1];
			if (++n < BURST && len + step <= AEAD_DATA_MAX)
				continue;
			check_batch(a, b, n);
			n = 0;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prf_xvalid),
		cmocka_unit_test(test_hash_xvalid),
		cmocka_unit_test(test_aead_xvalid),
	};
	struct cry_ipsecmb *m = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	struct cry_openssl *o = cry_openssl_create();
	int failed;

	if (m == NULL || o == NULL) {
		fprintf(stderr, "driver creation failed\n");
		return 1;
	}
	cry_ipsecmb_bind(m, &imb);
	cry_openssl_bind(o, &ossl);
	failed = cmocka_run_group_tests_name("crypto-xvalid", tests, NULL, NULL);
	cry_ipsecmb_destroy(m);
	cry_openssl_destroy(o);
	return failed != 0;
}
