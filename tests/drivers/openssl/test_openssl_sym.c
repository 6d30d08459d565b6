/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Known-answer tests of the OpenSSL driver's symmetric vtable and random:
 * HMAC (RFC 2202, RFC 4231), SHA (FIPS 180 "abc"), AES-GCM (McGrew-Viega
 * test cases), AES-CBC (RFC 3602, SP 800-38A) and CBC + HMAC SK payloads
 * computed by gen_cbc_hmac_vectors.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cbc_hmac_vectors.h"
#include "cry_openssl.h"
#include "cry_ops.h"
#include "test_hex.h"

#define AA16 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define AA131 AA16 AA16 AA16 AA16 AA16 AA16 AA16 AA16 "aaaaaa"
#define AA80 AA16 AA16 AA16 AA16 AA16
#define DD50                                                                                       \
	"dddddddddddddddddddddddddddddddddddddddddddddddddd"                                       \
	"dddddddddddddddddddddddddddddddddddddddddddddddddd"
#define CD50                                                                                       \
	"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"                                       \
	"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"

struct fixture {
	struct cry_openssl *c;
	struct cry_ops ops;
};

static int
setup(void **state)
{
	static struct fixture f;

	f.c = cry_openssl_create();
	if (f.c == NULL)
		return -1;
	cry_openssl_bind(f.c, &f.ops);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	cry_openssl_destroy(f->c);
	return 0;
}

struct hmac_kat {
	const char *key;
	const char *data;
	const char *mac[4]; /* by enum cry_prf_alg; NULL: not in this RFC */
	size_t trunc;	    /* compare only this many octets (RFC 4231 4.6), 0: all */
};

/* RFC 4231 section 4 (SHA-2) and RFC 2202 section 3 (SHA-1). */
static const struct hmac_kat hmac_kats[] = {
	/* RFC 4231 4.2 / RFC 2202 case 1 (SHA-1 with the same 20-octet key) */
	{"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	 "4869205468657265",
	 {"b617318655057264e28bc0b6fb378c8ef146be00",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	  "faea9ea9076ede7f4af152e8b2fa9cb6",
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
	 0},
	/* 4.3 / RFC 2202 case 2 */
	{"4a656665",
	 "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	 {"effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649",
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
	 0},
	/* 4.4 / RFC 2202 case 3 */
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	 DD50,
	 {"125d7342b9ac11cd91a39af48aa17b4f63f175d3",
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	  "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	  "2a5ab39dc13814b94e3ab6e101a34f27",
	  "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	  "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
	 0},
	/* 4.5 (RFC 2202 case 4 has the same input) */
	{"0102030405060708090a0b0c0d0e0f10111213141516171819",
	 CD50,
	 {"4c9007f4026250c6bc8414f9bf50c86c2d7235da",
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	  "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	  "6801dd23c4a7d679ccf8a386c674cffb",
	  "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	  "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
	 0},
	/* 4.6: truncated to 128 bits */
	{"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	 "546573742057697468205472756e636174696f6e",
	 {NULL, "a3b6167473100ee06e0c796c2955552b", "3abf34c3503b2a23a46efc619baef897",
	  "415fad6271580a531d4179bc891d87a6"},
	 16},
	/* 4.7: 131-octet key, hashed first */
	{AA131,
	 "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368"
	 "204b6579204669727374",
	 {NULL, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	  "0c2ef6ab4030fe8296248df163f44952",
	  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
	 0},
	/* 4.8: key and data longer than the block */
	{AA131,
	 "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73"
	 "697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e"
	 "20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e672075"
	 "7365642062792074686520484d414320616c676f726974686d2e",
	 {NULL, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	  "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	  "a678cc31e799176d3860e6110c46523e",
	  "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	  "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
	 0},
	/* RFC 2202 case 6: 80-octet key, longer than SHA-1's block */
	{AA80,
	 "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368"
	 "204b6579204669727374",
	 {"aa4ae5e15272d00e95705637ce8a3b55ed402112", NULL, NULL, NULL},
	 0},
	/* RFC 2202 case 7 */
	{AA80,
	 "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b657920616e64204c"
	 "6172676572205468616e204f6e6520426c6f636b2d53697a652044617461",
	 {"e8e99d0f45237d786d6bbaa7965c7808bbff1a91", NULL, NULL, NULL},
	 0},
};

static void
test_hmac_kat(void **state)
{
	struct fixture *f = *state;
	size_t i;
	int alg;

	for (i = 0; i < sizeof(hmac_kats) / sizeof(hmac_kats[0]); i++) {
		const struct hmac_kat *k = &hmac_kats[i];
		uint8_t key[200], data[200], want[64], out[64];
		size_t key_len = unhex(k->key, key, sizeof(key));
		size_t data_len = unhex(k->data, data, sizeof(data));

		for (alg = CRY_PRF_HMAC_SHA1; alg <= CRY_PRF_HMAC_SHA512; alg++) {
			size_t want_len;

			if (k->mac[alg] == NULL)
				continue;
			want_len = unhex(k->mac[alg], want, sizeof(want));
			assert_int_equal(want_len, k->trunc ? k->trunc : cry_prf_len(alg));
			assert_int_equal(cry_prf(&f->ops, alg, key, key_len, data, data_len, out),
					 IKE_OK);
			assert_memory_equal(out, want, want_len);
		}
	}
}

/* One burst mixing algorithms, and a job that must fail on its own. */
static void
test_prf_burst(void **state)
{
	struct fixture *f = *state;
	uint8_t key[20], out[3][64], want256[32], want1[20];
	struct cry_prf_job jobs[3] = {
		{.alg = CRY_PRF_HMAC_SHA256,
		 .key = key,
		 .key_len = 20,
		 .data = (const uint8_t *)"Hi There",
		 .data_len = 8,
		 .out = out[0]},
		{.alg = (enum cry_prf_alg)42,
		 .key = key,
		 .key_len = 20,
		 .data = (const uint8_t *)"Hi There",
		 .data_len = 8,
		 .out = out[1]},
		{.alg = CRY_PRF_HMAC_SHA1,
		 .key = key,
		 .key_len = 20,
		 .data = (const uint8_t *)"Hi There",
		 .data_len = 8,
		 .out = out[2]},
	};

	memset(key, 0x0b, sizeof(key));
	unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", want256,
	      sizeof(want256));
	unhex("b617318655057264e28bc0b6fb378c8ef146be00", want1, sizeof(want1));
	assert_int_equal(f->ops.sym->prf_burst(f->ops.sym_ctx, jobs, 3), 2);
	assert_int_equal(jobs[0].status, IKE_OK);
	assert_int_equal(jobs[1].status, IKE_E_UNSUPPORTED);
	assert_int_equal(jobs[2].status, IKE_OK);
	assert_memory_equal(out[0], want256, 32);
	assert_memory_equal(out[2], want1, 20);
}

/* FIPS 180 "abc" examples. */
static void
test_hash_abc(void **state)
{
	struct fixture *f = *state;
	static const char *const want_hex[4] = {
		"a9993e364706816aba3e25717850c26c9cd0d89d",
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
		"8086072ba1e7cc2358baeca134c825a7",
		"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	};
	uint8_t out[64], want[64];
	enum ike_status st;
	int alg;

	for (alg = CRY_HASH_SHA1; alg <= CRY_HASH_SHA512; alg++) {
		size_t n = unhex(want_hex[alg], want, sizeof(want));

		assert_int_equal(n, cry_hash_len(alg));
		st = f->ops.sym->hash(f->ops.sym_ctx, alg, (const uint8_t *)"abc", 3, out);
		assert_int_equal(st, IKE_OK);
		assert_memory_equal(out, want, n);
	}
}

struct gcm_kat {
	const char *key;
	const char *nonce; /* 12 octets: salt (4) | IV (8), RFC 5282 */
	const char *aad;
	const char *plain;
	const char *cipher;
	const char *tag;
};

#define GCM_K1 "feffe9928665731c6d6a8f9467308308"
#define GCM_P64                                                                                    \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                         \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define GCM_P60                                                                                    \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                         \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"

/* McGrew and Viega, "The Galois/Counter Mode of Operation", appendix B. */
static const struct gcm_kat gcm_kats[] = {
	/* Test case 2 */
	{"00000000000000000000000000000000", "000000000000000000000000", "",
	 "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
	 "ab6e47d42cec13bdf53a67b21257bddf"},
	/* Test case 3 */
	{GCM_K1, "cafebabefacedbaddecaf888", "", GCM_P64,
	 "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	 "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	 "4d5c2af327cd64a62cf35abd2ba6fab4"},
	/* Test case 4 */
	{GCM_K1, "cafebabefacedbaddecaf888", GCM_AAD, GCM_P60,
	 "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	 "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	 "5bc94fbc3221a5db94fae95ae7121a47"},
	/* Test case 14 */
	{"0000000000000000000000000000000000000000000000000000000000000000",
	 "000000000000000000000000", "", "00000000000000000000000000000000",
	 "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
	/* Test case 15 */
	{GCM_K1 GCM_K1, "cafebabefacedbaddecaf888", "", GCM_P64,
	 "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	 "b094dac5d93471bdec1a502270e3cc6c"},
	/* Test case 16 */
	{GCM_K1 GCM_K1, "cafebabefacedbaddecaf888", GCM_AAD, GCM_P60,
	 "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	 "76fc6ece0f4e1768cddf8853bb2d551b"},
};

struct gcm_buf {
	struct cry_sk_keys keys;
	uint8_t nonce[12];
	uint8_t aad[32];
	size_t aad_len;
	uint8_t plain[64];
	uint8_t cipher[64];
	size_t len;
	uint8_t tag[16];
};

static void
gcm_load(const struct gcm_kat *k, struct gcm_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->keys.cipher = CRY_CIPHER_AES_GCM_16;
	b->keys.integ = CRY_INTEG_NONE;
	b->keys.enc_key_len = (uint8_t)unhex(k->key, b->keys.enc_key, sizeof(b->keys.enc_key));
	assert_int_equal(unhex(k->nonce, b->nonce, sizeof(b->nonce)), 12);
	memcpy(b->keys.salt, b->nonce, 4);
	b->aad_len = unhex(k->aad, b->aad, sizeof(b->aad));
	b->len = unhex(k->plain, b->plain, sizeof(b->plain));
	assert_int_equal(unhex(k->cipher, b->cipher, sizeof(b->cipher)), b->len);
	assert_int_equal(unhex(k->tag, b->tag, sizeof(b->tag)), 16);
}

static void
test_gcm_kat(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(gcm_kats) / sizeof(gcm_kats[0]); i++) {
		struct gcm_buf b;
		uint8_t data[64], icv[16];
		struct cry_aead_job job;

		gcm_load(&gcm_kats[i], &b);
		memcpy(data, b.plain, b.len);
		job = (struct cry_aead_job){.dir = CRY_SEAL,
					    .keys = &b.keys,
					    .aad = b.aad,
					    .aad_len = b.aad_len,
					    .iv = b.nonce + 4,
					    .data = data,
					    .len = b.len,
					    .icv = icv};
		assert_int_equal(cry_aead(&f->ops, &job), IKE_OK);
		assert_memory_equal(data, b.cipher, b.len);
		assert_memory_equal(icv, b.tag, 16);

		job.dir = CRY_OPEN;
		assert_int_equal(cry_aead(&f->ops, &job), IKE_OK);
		assert_memory_equal(data, b.plain, b.len);
	}
}

/* Any changed bit of AAD, ciphertext or tag fails, and the data stays as it was. */
static void
test_gcm_tamper(void **state)
{
	struct fixture *f = *state;
	struct gcm_buf b;
	uint8_t data[64], icv[16];
	struct cry_aead_job job;
	int which;

	gcm_load(&gcm_kats[5], &b); /* test case 16: AAD and a partial block */
	for (which = 0; which < 3; which++) {
		memcpy(data, b.cipher, b.len);
		memcpy(icv, b.tag, 16);
		job = (struct cry_aead_job){.dir = CRY_OPEN,
					    .keys = &b.keys,
					    .aad = b.aad,
					    .aad_len = b.aad_len,
					    .iv = b.nonce + 4,
					    .data = data,
					    .len = b.len,
					    .icv = icv};
		if (which == 0)
			b.aad[3] ^= 0x10;
		else if (which == 1)
			data[59] ^= 0x01;
		else
			icv[15] ^= 0x80;
		assert_int_equal(cry_aead(&f->ops, &job), IKE_E_INTEGRITY);
		if (which == 0)
			b.aad[3] ^= 0x10;
		else if (which == 1)
			data[59] ^= 0x01;
		assert_memory_equal(data, b.cipher, b.len);
	}
}

struct cbc_kat {
	const char *key;
	const char *iv;
	const char *plain;
	const char *cipher;
};

static const struct cbc_kat cbc_kats[] = {
	/* RFC 3602 section 4, cases 1-3 (AES-128) */
	{"06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
	 "53696e676c6520626c6f636b206d7367", "e353779c1079aeb82708942dbe77181a"},
	{"c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
	 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	 "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"},
	{"6c3ea0477630ce21a2ce334aa746c2cd", "c782dc4c098c66cbd9cd27d825682c81",
	 "5468697320697320612034382d62797465206d657373616765202865786163746c7920332041455320626c"
	 "6f636b7329",
	 "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5021c19216bad525c8579695d"
	 "83ba2684"},
	/* NIST SP 800-38A F.2.5 (AES-256) */
	{"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	 "000102030405060708090a0b0c0d0e0f",
	 "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
	 "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	 "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
	 "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"},
};

/* The RFC 7296 3.14 layout the CBC job expects: aad | iv | data. */
struct sk_msg {
	uint8_t buf[32 + 16 + 64];
	uint8_t icv[CRY_MAX_ICV];
};

static struct cry_aead_job
cbc_job(struct sk_msg *m, const struct cry_sk_keys *keys, enum cry_dir dir, size_t aad_len,
	size_t len)
{
	return (struct cry_aead_job){.dir = dir,
				     .keys = keys,
				     .aad = m->buf,
				     .aad_len = aad_len,
				     .iv = m->buf + aad_len,
				     .data = m->buf + aad_len + 16,
				     .len = len,
				     .icv = m->icv};
}

static void
test_cbc_kat(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cbc_kats) / sizeof(cbc_kats[0]); i++) {
		const struct cbc_kat *k = &cbc_kats[i];
		struct cry_sk_keys keys = {.cipher = CRY_CIPHER_AES_CBC,
					   .integ = CRY_INTEG_HMAC_SHA256_128,
					   .integ_key_len = 32};
		uint8_t plain[64], cipher[64];
		struct sk_msg m;
		struct cry_aead_job job;
		size_t len;

		keys.enc_key_len = (uint8_t)unhex(k->key, keys.enc_key, sizeof(keys.enc_key));
		memset(keys.integ_key, 0x5a, keys.integ_key_len);
		memset(m.buf, 0x11, 8);
		unhex(k->iv, m.buf + 8, 16);
		len = unhex(k->plain, plain, sizeof(plain));
		assert_int_equal(unhex(k->cipher, cipher, sizeof(cipher)), len);
		memcpy(m.buf + 8 + 16, plain, len);

		job = cbc_job(&m, &keys, CRY_SEAL, 8, len);
		assert_int_equal(cry_aead(&f->ops, &job), IKE_OK);
		assert_memory_equal(m.buf + 8 + 16, cipher, len);
		job.dir = CRY_OPEN;
		assert_int_equal(cry_aead(&f->ops, &job), IKE_OK);
		assert_memory_equal(m.buf + 8 + 16, plain, len);
	}
}

struct cbc_hmac_case {
	enum cry_integ integ;
	const uint8_t *enc_key;
	size_t enc_key_len;
	const uint8_t *integ_key;
	size_t integ_key_len;
	const uint8_t *cipher;
	const uint8_t *icv;
};

#define CBC_HMAC_CASE(integ, name)                                                                 \
	{                                                                                          \
		integ, cbc_##name##_enc_key, sizeof(cbc_##name##_enc_key), cbc_##name##_integ_key, \
			sizeof(cbc_##name##_integ_key), cbc_##name##_cipher, cbc_##name##_icv      \
	}

static const struct cbc_hmac_case cbc_hmac_cases[] = {
	CBC_HMAC_CASE(CRY_INTEG_HMAC_SHA256_128, sha256_128),
	CBC_HMAC_CASE(CRY_INTEG_HMAC_SHA384_192, sha384_192),
	CBC_HMAC_CASE(CRY_INTEG_HMAC_SHA512_256, sha512_256),
};

static void
cbc_hmac_load(const struct cbc_hmac_case *c, struct cry_sk_keys *keys, struct sk_msg *m)
{
	memset(keys, 0, sizeof(*keys));
	keys->cipher = CRY_CIPHER_AES_CBC;
	keys->integ = c->integ;
	keys->enc_key_len = (uint8_t)c->enc_key_len;
	memcpy(keys->enc_key, c->enc_key, c->enc_key_len);
	keys->integ_key_len = (uint8_t)c->integ_key_len;
	memcpy(keys->integ_key, c->integ_key, c->integ_key_len);
	memcpy(m->buf, cbc_hmac_aad, sizeof(cbc_hmac_aad));
	memcpy(m->buf + sizeof(cbc_hmac_aad), cbc_hmac_iv, sizeof(cbc_hmac_iv));
	memcpy(m->buf + sizeof(cbc_hmac_aad) + 16, cbc_hmac_plain, sizeof(cbc_hmac_plain));
}

static void
test_cbc_hmac_kat(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cbc_hmac_cases) / sizeof(cbc_hmac_cases[0]); i++) {
		const struct cbc_hmac_case *c = &cbc_hmac_cases[i];
		size_t icv_len = cry_integ_icv_len(c->integ);
		struct cry_sk_keys keys;
		struct sk_msg m;
		struct cry_aead_job job;

		cbc_hmac_load(c, &keys, &m);
		job = cbc_job(&m, &keys, CRY_SEAL, sizeof(cbc_hmac_aad), sizeof(cbc_hmac_plain));
		assert_int_equal(cry_aead(&f->ops, &job), IKE_OK);
		assert_memory_equal(job.data, c->cipher, sizeof(cbc_hmac_plain));
		assert_memory_equal(m.icv, c->icv, icv_len);

		job.dir = CRY_OPEN;
		assert_int_equal(cry_aead(&f->ops, &job), IKE_OK);
		assert_memory_equal(job.data, cbc_hmac_plain, sizeof(cbc_hmac_plain));
	}
}

/* A changed bit anywhere in aad | iv | data | icv fails before decryption. */
static void
test_cbc_hmac_tamper(void **state)
{
	struct fixture *f = *state;
	const struct cbc_hmac_case *c = &cbc_hmac_cases[1];
	const size_t aad_len = sizeof(cbc_hmac_aad);
	const size_t len = sizeof(cbc_hmac_plain);
	const size_t flip_at[] = {0, aad_len - 1, aad_len + 5, aad_len + 16,
				  aad_len + 16 + len - 1};
	struct cry_sk_keys keys;
	struct sk_msg m;
	struct cry_aead_job job;
	size_t i;

	for (i = 0; i <= sizeof(flip_at) / sizeof(flip_at[0]); i++) {
		cbc_hmac_load(c, &keys, &m);
		memcpy(m.buf + aad_len + 16, c->cipher, len);
		memcpy(m.icv, c->icv, cry_integ_icv_len(c->integ));
		if (i < sizeof(flip_at) / sizeof(flip_at[0]))
			m.buf[flip_at[i]] ^= 0x04;
		else
			m.icv[23] ^= 0x01; /* last octet of the 24-octet ICV */
		job = cbc_job(&m, &keys, CRY_OPEN, aad_len, len);
		assert_int_equal(cry_aead(&f->ops, &job), IKE_E_INTEGRITY);
		if (i < sizeof(flip_at) / sizeof(flip_at[0]) && flip_at[i] >= aad_len + 16)
			m.buf[flip_at[i]] ^= 0x04;
		assert_memory_equal(job.data, c->cipher, len);
	}
}

static void
test_aead_params(void **state)
{
	struct fixture *f = *state;
	struct cry_sk_keys cbc;
	struct cry_sk_keys gcm = {.cipher = CRY_CIPHER_AES_GCM_16, .enc_key_len = 20};
	struct sk_msg m;
	struct cry_aead_job jobs[3];

	cbc_hmac_load(&cbc_hmac_cases[0], &cbc, &m);
	jobs[0] = cbc_job(&m, &cbc, CRY_SEAL, sizeof(cbc_hmac_aad), 47); /* not whole blocks */
	jobs[1] = cbc_job(&m, &gcm, CRY_SEAL, sizeof(cbc_hmac_aad), 16); /* no such AES */
	jobs[2] = cbc_job(&m, &cbc, CRY_SEAL, sizeof(cbc_hmac_aad), 48);
	assert_int_equal(f->ops.sym->aead_burst(f->ops.sym_ctx, jobs, 3), 1);
	assert_int_equal(jobs[0].status, IKE_E_PARAM);
	assert_int_equal(jobs[1].status, IKE_E_PARAM);
	assert_int_equal(jobs[2].status, IKE_OK);
	assert_memory_equal(jobs[2].data, cbc_sha256_128_cipher, 48);
}

static int
all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Requests across pool refills are filled completely and never repeat. */
static void
test_random(void **state)
{
	struct fixture *f = *state;
	static uint8_t a[3000], b[3000];
	size_t i;

	assert_int_equal(cry_random(&f->ops, a, 5), IKE_OK);
	assert_int_equal(cry_random(&f->ops, a, sizeof(a)), IKE_OK);
	assert_int_equal(cry_random(&f->ops, b, sizeof(b)), IKE_OK);
	assert_memory_not_equal(a, b, 32);
	for (i = 0; i + 32 <= sizeof(a); i += 32) {
		assert_false(all_zero(a + i, 32));
		assert_false(all_zero(b + i, 32));
	}
	assert_memory_not_equal(a, a + 1024, 32); /* consecutive pools differ */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_kat),     cmocka_unit_test(test_prf_burst),
		cmocka_unit_test(test_hash_abc),     cmocka_unit_test(test_gcm_kat),
		cmocka_unit_test(test_gcm_tamper),   cmocka_unit_test(test_cbc_kat),
		cmocka_unit_test(test_cbc_hmac_kat), cmocka_unit_test(test_cbc_hmac_tamper),
		cmocka_unit_test(test_aead_params),  cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests_name("openssl-sym", tests, setup, teardown);
}
