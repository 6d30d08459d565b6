/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_keys_derive_resume_burst() (RFC 5723 5.1 in lockstep bursts): the
 * python3-cryptography vectors (resume blocks of ikev2-kdf-sha2.txt and
 * resume-kdf.txt) in one mixed batch, and batches of 1, 7, 32 and 45 mixed
 * suites byte for byte against ike_keys_derive_resume() one at a time.
 * Usage: test_resume_burst DRIVER VECTOR_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ike_keys.h"
#include "test_cry.h"
#include "test_vec_check.h"
#include "vec_suite.h"

#define MAX_ITEMS 45
#define MAX_VECTORS 8

static struct cry_ops ops;
static const char *vec_dir;

struct item_mem {
	struct ike_suite suite;
	struct ike_keys_input in;
	uint8_t ni[IKE_NONCE_MAX];
	uint8_t nr[IKE_NONCE_MAX];
	uint8_t sk_d_old[CRY_MAX_PRF_LEN];
	size_t sk_d_len;
	struct ike_sa_keys keys;
};

static struct item_mem mem[MAX_ITEMS];
static struct ike_resume_derive items[MAX_ITEMS];

static void
item_link(unsigned i)
{
	mem[i].in.ni = mem[i].ni;
	mem[i].in.nr = mem[i].nr;
	items[i] = (struct ike_resume_derive){
		.suite = &mem[i].suite,
		.sk_d_old = mem[i].sk_d_old,
		.sk_d_len = mem[i].sk_d_len,
		.in = &mem[i].in,
		.keys = &mem[i].keys,
		.status = IKE_E_PARAM,
	};
}

/* One block's inputs; key names differ between the two vector files. */
static void
vector_item(const struct vec_file *f, const struct vec_block *b, const char *const *names,
	    const struct ike_transforms *t, unsigned i)
{
	struct item_mem *m = &mem[i];

	assert_int_equal(ike_suite_ike(t, &m->suite), IKE_OK);
	m->sk_d_len = vec_need_hex(f, b, names[0], m->sk_d_old, sizeof(m->sk_d_old));
	m->in.ni_len = vec_need_hex(f, b, names[1], m->ni, sizeof(m->ni));
	m->in.nr_len = vec_need_hex(f, b, names[2], m->nr, sizeof(m->nr));
	assert_int_equal(vec_need_hex(f, b, names[3], m->in.spi_i, IKE_SPI_LEN), IKE_SPI_LEN);
	assert_int_equal(vec_need_hex(f, b, names[4], m->in.spi_r, IKE_SPI_LEN), IKE_SPI_LEN);
	item_link(i);
}

static void
vector_check(const struct vec_file *f, const struct vec_block *b, const char *const *names,
	     unsigned i)
{
	const struct ike_sa_keys *k = &mem[i].keys;
	const struct ike_suite *s = &mem[i].suite;
	const uint8_t *keys[7] = {k->sk_d,  k->sk_ai, k->sk_ar, k->sk_ei,
				  k->sk_er, k->sk_pi, k->sk_pr};
	size_t a = s->sk.integ_key_len, e = (size_t)s->sk.enc_key_len + s->sk.salt_len;
	size_t lens[7] = {s->prf_len, a, a, e, e, s->prf_len, s->prf_len};

	assert_int_equal(items[i].status, IKE_OK);
	for (unsigned j = 0; j < 7; j++) {
		if (vec_get(b, names[5 + j]) != NULL)
			vec_check_hex(f, b, names[5 + j], keys[j], lens[j]);
		else if (lens[j] != 0)
			fail_msg("%s:%u: %s missing", f->path, b->line, names[5 + j]);
	}
	assert_memory_equal(k->init_to_resp.enc_key, k->sk_ei, s->sk.enc_key_len);
	assert_memory_equal(k->resp_to_init.salt, k->sk_er + s->sk.enc_key_len, s->sk.salt_len);
	assert_memory_equal(k->resp_to_init.integ_key, k->sk_ar, a);
}

static const char *const sha2_names[12] = {"SK_d (old)", "Ni",	  "Nr",	   "SPIi",
					   "SPIr",	 "SK_d",  "SK_ai", "SK_ar",
					   "SK_ei",	 "SK_er", "SK_pi", "SK_pr"};
static const char *const resume_names[12] = {"sk_d_old", "ni",	  "nr",	   "spi_i",
					     "spi_r",	 "sk_d",  "sk_ai", "sk_ar",
					     "sk_ei",	 "sk_er", "sk_pi", "sk_pr"};

/* resume-kdf.txt names its suites; gen_resume_vectors.py documents these. */
static void
resume_kdf_transforms(const struct vec_file *f, const struct vec_block *b, struct ike_transforms *t)
{
	static const struct {
		const char *name;
		struct ike_transforms t;
	} known[] = {
		{"aes256gcm16-prfsha256",
		 {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, IKE_KE_ECP256}},
		{"aes128cbc-sha256_128-prfsha384",
		 {IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_384, IKE_INTEG_HMAC_SHA2_256_128,
		  IKE_KE_ECP256}},
	};
	const char *name = vec_get(b, "name");

	for (unsigned i = 0; name != NULL && i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(name, known[i].name) == 0) {
			*t = known[i].t;
			return;
		}
	}
	fail_msg("%s:%u: unknown suite name", f->path, b->line);
}

/* Every python vector of both files in one burst: PRF SHA-256/384/512, GCM and CBC. */
static void
test_vectors_one_burst(void **state)
{
	const struct vec_block *blk[MAX_VECTORS];
	const struct vec_file *of[MAX_VECTORS];
	const char *const *nm[MAX_VECTORS];
	struct vec_file sha2, rk;
	unsigned n = 0;

	(void)state;
	vec_need_file(vec_dir, "ikev2-kdf-sha2.txt", &sha2);
	vec_need_file(vec_dir, "resume-kdf.txt", &rk);
	for (unsigned i = 0; i < sha2.n_blocks; i++) {
		const char *type = vec_get(&sha2.blocks[i], "Type");
		struct ike_transforms t;

		if (type == NULL || strcmp(type, "resume") != 0)
			continue;
		assert_true(n < MAX_VECTORS);
		assert_int_equal(vec_transforms(&sha2.blocks[i], "", &t), 0);
		t.ke = IKE_KE_ECP256;
		vector_item(&sha2, &sha2.blocks[i], sha2_names, &t, n);
		blk[n] = &sha2.blocks[i];
		of[n] = &sha2;
		nm[n++] = sha2_names;
	}
	assert_int_equal(n, 3);
	for (unsigned i = 0; i < rk.n_blocks; i++) {
		struct ike_transforms t;

		if (vec_get(&rk.blocks[i], "name") == NULL)
			continue;
		assert_true(n < MAX_VECTORS);
		resume_kdf_transforms(&rk, &rk.blocks[i], &t);
		vector_item(&rk, &rk.blocks[i], resume_names, &t, n);
		blk[n] = &rk.blocks[i];
		of[n] = &rk;
		nm[n++] = resume_names;
	}
	assert_int_equal(n, 5);
	assert_int_equal(ike_keys_derive_resume_burst(&ops, items, n), n);
	for (unsigned i = 0; i < n; i++)
		vector_check(of[i], blk[i], nm[i], i);
	/* And each alone. */
	for (unsigned i = 0; i < n; i++) {
		memset(&mem[i].keys, 0xa5, sizeof(mem[i].keys));
		assert_int_equal(ike_keys_derive_resume_burst(&ops, &items[i], 1), 1);
		vector_check(of[i], blk[i], nm[i], i);
	}
	vec_file_free(&sha2);
	vec_file_free(&rk);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint8_t
rnd8(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)(rng >> 24);
}

static void
rnd_fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = rnd8();
}

/* Mixed suites, nonce lengths 16..256 (RFC 7296 3.9) and SK_d lengths. */
static void
random_items(unsigned n)
{
	static const struct ike_transforms xf[] = {
		{IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, IKE_KE_ECP256},
		{IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_384, IKE_INTEG_NONE, IKE_KE_ECP384},
		{IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_512, IKE_INTEG_NONE, IKE_KE_ECP256},
		{IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
		 IKE_KE_ECP256},
		{IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_384, IKE_INTEG_HMAC_SHA2_384_192,
		 IKE_KE_ECP384},
		{IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_512, IKE_INTEG_HMAC_SHA2_512_256,
		 IKE_KE_ECP256},
		{IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA2_256_128,
		 IKE_KE_ECP256},
	};

	for (unsigned i = 0; i < n; i++) {
		struct item_mem *m = &mem[i];

		assert_int_equal(ike_suite_ike(&xf[rnd8() % 7], &m->suite), IKE_OK);
		m->sk_d_len = m->suite.prf_len;
		rnd_fill(m->sk_d_old, m->sk_d_len);
		m->in.ni_len = 16 + rnd8() % (IKE_NONCE_MAX - 15);
		m->in.nr_len = i % 3 == 0 ? IKE_NONCE_MAX : 16 + rnd8() % 48;
		rnd_fill(m->ni, m->in.ni_len);
		rnd_fill(m->nr, m->in.nr_len);
		rnd_fill(m->in.spi_i, IKE_SPI_LEN);
		rnd_fill(m->in.spi_r, IKE_SPI_LEN);
		memset(&m->keys, 0x5a, sizeof(m->keys));
		item_link(i);
	}
}

static void
burst_vs_one_shot(unsigned n)
{
	static struct ike_sa_keys want;

	random_items(n);
	assert_int_equal(ike_keys_derive_resume_burst(&ops, items, n), n);
	for (unsigned i = 0; i < n; i++) {
		struct item_mem *m = &mem[i];

		assert_int_equal(items[i].status, IKE_OK);
		assert_int_equal(ike_keys_derive_resume(&ops, &m->suite, m->sk_d_old, m->sk_d_len,
							&m->in, &want),
				 IKE_OK);
		assert_memory_equal(&m->keys, &want, sizeof(want));
	}
}

static void
test_burst_1(void **state)
{
	(void)state;
	burst_vs_one_shot(1);
}

static void
test_burst_7(void **state)
{
	(void)state;
	burst_vs_one_shot(7);
}

static void
test_burst_32(void **state)
{
	(void)state;
	burst_vs_one_shot(32);
}

/* More than IKE_KEYS_RESUME_BURST_MAX: the call works in chunks. */
static void
test_burst_45(void **state)
{
	(void)state;
	burst_vs_one_shot(45);
}

/* A bad item fails alone, with its keys wiped; its neighbours are unaffected. */
static void
test_bad_item(void **state)
{
	static const uint8_t zero[sizeof(struct ike_sa_keys)];
	static struct ike_sa_keys want;

	(void)state;
	random_items(7);
	mem[3].in.ni_len = 0;
	mem[5].in.nr_len = IKE_NONCE_MAX + 1;
	assert_int_equal(ike_keys_derive_resume_burst(&ops, items, 7), 5);
	for (unsigned i = 0; i < 7; i++) {
		if (i == 3 || i == 5) {
			assert_int_equal(items[i].status, IKE_E_PARAM);
			assert_memory_equal(&mem[i].keys, zero, sizeof(zero));
			continue;
		}
		assert_int_equal(items[i].status, IKE_OK);
		assert_int_equal(ike_keys_derive_resume(&ops, &mem[i].suite, mem[i].sk_d_old,
							mem[i].sk_d_len, &mem[i].in, &want),
				 IKE_OK);
		assert_memory_equal(&mem[i].keys, &want, sizeof(want));
	}
	assert_int_equal(ike_keys_derive_resume_burst(&ops, items, 0), 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_one_burst), cmocka_unit_test(test_burst_1),
		cmocka_unit_test(test_burst_7),		  cmocka_unit_test(test_burst_32),
		cmocka_unit_test(test_burst_45),	  cmocka_unit_test(test_bad_item),
	};

	return test_cry_main(argc, argv, "resume-burst", tests, sizeof(tests) / sizeof(tests[0]),
			     NULL, &ops, &vec_dir);
}
