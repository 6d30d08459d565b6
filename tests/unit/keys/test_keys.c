/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keys known-answer tests. Expected values come from NIST CAVP
 * (ikev2-kdf-nist-sha1.txt), from an independent python3-cryptography
 * implementation of the RFC formulas (ikev2-kdf-sha2.txt) and from real
 * strongSwan runs (strongswan-kdf-*.txt), checked block by block by the
 * keys_vec_*.c files (keys_vec.h). Usage: test_keys DRIVER VECTOR_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "ike_auth.h"
#include "ike_keys.h"
#include "ike_secret.h"
#include "keys_vec.h"
#include "test_cry.h"
#include "test_vec_check.h"
#include "vec_suite.h"

struct cry_ops keys_ops;
static const char *vec_dir;

static void
test_suite_descriptors(void **state)
{
	static const struct {
		struct ike_transforms t;
		enum ike_status st;
		uint8_t key, salt, iv, block, icv, integ_key, prf_len;
	} cases[] = {
	    {{IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, IKE_KE_CURVE25519},
	     IKE_OK,
	     16,
	     4,
	     8,
	     1,
	     16,
	     0,
	     32},
	    {{IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_512, IKE_INTEG_NONE, IKE_KE_ECP384},
	     IKE_OK,
	     32,
	     4,
	     8,
	     1,
	     16,
	     0,
	     64},
	    {{IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
	      IKE_KE_MODP2048},
	     IKE_OK,
	     16,
	     0,
	     16,
	     16,
	     16,
	     32,
	     32},
	    {{IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_384, IKE_INTEG_HMAC_SHA2_384_192,
	      IKE_KE_ECP256},
	     IKE_OK,
	     32,
	     0,
	     16,
	     16,
	     24,
	     48,
	     48},
	    {{IKE_ENCR_AES_CBC, 192, IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA2_512_256, IKE_KE_ECP256},
	     IKE_OK,
	     24,
	     0,
	     16,
	     16,
	     32,
	     64,
	     20},
	    /* RFC 5282 8: no integrity transform with a combined mode. */
	    {{IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
	      IKE_KE_ECP256},
	     IKE_E_UNSUPPORTED},
	    /* CBC needs an integrity algorithm we implement. */
	    {{IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, IKE_KE_ECP256},
	     IKE_E_UNSUPPORTED},
	    {{IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA1_96, IKE_KE_ECP256},
	     IKE_E_UNSUPPORTED},
	    /* AES without (or with a bad) Key Length attribute. */
	    {{IKE_ENCR_AES_CBC, 0, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
	      IKE_KE_ECP256},
	     IKE_E_UNSUPPORTED},
	    {{IKE_ENCR_AES_GCM_16, 64, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, IKE_KE_ECP256},
	     IKE_E_UNSUPPORTED},
	    {{IKE_ENCR_AES_GCM_8, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, IKE_KE_ECP256},
	     IKE_E_UNSUPPORTED},
	    {{IKE_ENCR_3DES, 192, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
	      IKE_KE_ECP256},
	     IKE_E_UNSUPPORTED},
	    {{IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_MD5, IKE_INTEG_NONE, IKE_KE_ECP256},
	     IKE_E_UNSUPPORTED},
	    {{IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, IKE_KE_MODP1024},
	     IKE_E_UNSUPPORTED},
	    /* An IKE SA always has a key exchange. */
	    {{IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, IKE_KE_NONE},
	     IKE_E_UNSUPPORTED},
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ike_suite s;

		assert_int_equal(ike_suite_ike(&cases[i].t, &s), cases[i].st);
		if (cases[i].st != IKE_OK)
			continue;
		assert_int_equal(s.sk.enc_key_len, cases[i].key);
		assert_int_equal(s.sk.salt_len, cases[i].salt);
		assert_int_equal(s.sk.iv_len, cases[i].iv);
		assert_int_equal(s.sk.block_len, cases[i].block);
		assert_int_equal(s.sk.icv_len, cases[i].icv);
		assert_int_equal(s.sk.integ_key_len, cases[i].integ_key);
		assert_int_equal(s.prf_len, cases[i].prf_len);
		assert_int_equal(s.ke, cases[i].t.ke);
	}
}

static void
test_suite_esp(void **state)
{
	struct ike_transforms nopfs = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, IKE_KE_NONE};
	struct ike_transforms pfs = {IKE_ENCR_AES_CBC, 128, 0, IKE_INTEG_HMAC_SHA2_256_128,
				     IKE_KE_CURVE25519};
	struct ike_transforms bad_ke = {IKE_ENCR_AES_CBC, 128, 0, IKE_INTEG_HMAC_SHA2_256_128,
					IKE_KE_MODP1536};
	struct ike_esp_suite e;

	(void)state;
	assert_int_equal(ike_suite_esp(&nopfs, &e), IKE_OK);
	assert_int_equal(e.esp.cipher, CRY_CIPHER_AES_GCM_16);
	assert_int_equal(ike_cipher_suite_keymat_len(&e.esp), 36);
	assert_int_equal(e.ke, IKE_KE_NONE);
	assert_int_equal(ike_suite_esp(&pfs, &e), IKE_OK);
	assert_int_equal(ike_cipher_suite_keymat_len(&e.esp), 16 + 32);
	assert_int_equal(e.ke, IKE_KE_CURVE25519);
	assert_int_equal(ike_suite_esp(&bad_ke, &e), IKE_E_UNSUPPORTED);
}

/*
 * NIST CAVP (SP 800-135 IKEv2, HMAC-SHA-1). The 1056-bit DKM is exactly
 * SK_d(20) | SK_ei(36) | SK_er(36) | SK_pi(20) | SK_pr(20) for AES-GCM-16
 * with a 256-bit key, so that suite checks the split end to end.
 */
static void
test_nist_sha1(void **state)
{
	struct ike_transforms t = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA1, IKE_INTEG_NONE,
				   IKE_KE_ECP256};
	struct ike_transforms esp_t = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, IKE_KE_NONE};
	unsigned i, cases = 0;
	struct vec_file f;

	(void)state;
	vec_need_file(vec_dir, "ikev2-kdf-nist-sha1.txt", &f);
	for (i = 0; i < f.n_blocks; i++) {
		const struct vec_block *b = &f.blocks[i];
		uint8_t g_ir[CRY_MAX_KEX_SECRET], g_new[CRY_MAX_KEX_SECRET], dkm[VEC_BUF_MAX];
		uint8_t skeyseed[CRY_MAX_PRF_LEN], seed[IKE_PRF_PLUS_MAX_SEED];
		struct ike_child_keys ck;
		struct ike_esp_suite esp;
		struct block_input bi;
		struct ike_sa_keys k;
		struct ike_suite s;
		size_t g_len, g_new_len, dkm_len, off;

		if (vec_get(b, "SKEYSEED") == NULL)
			continue;
		cases++;
		assert_int_equal(ike_suite_ike(&t, &s), IKE_OK);
		block_input(&f, b, &bi, true);
		g_len = vec_need_hex(&f, b, "g^ir", g_ir, sizeof(g_ir));
		g_new_len = vec_need_hex(&f, b, "g^ir (new)", g_new, sizeof(g_new));
		assert_int_equal(ike_keys_skeyseed(&keys_ops, s.prf, &bi.in, g_ir, g_len, skeyseed),
				 IKE_OK);
		vec_check_hex(&f, b, "SKEYSEED", skeyseed, 20);

		/* DKM = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr), then its SK_* split. */
		dkm_len = vec_need_hex(&f, b, "DKM", dkm, sizeof(dkm));
		assert_int_equal(dkm_len, 132);
		off = 0;
		memcpy(seed, bi.ni, bi.in.ni_len);
		off += bi.in.ni_len;
		memcpy(seed + off, bi.nr, bi.in.nr_len);
		off += bi.in.nr_len;
		memcpy(seed + off, bi.in.spi_i, 8);
		memcpy(seed + off + 8, bi.in.spi_r, 8);
		{
			uint8_t out[132];

			assert_int_equal(ike_prf_plus(&keys_ops, s.prf, skeyseed, 20, seed,
						      off + 16, out, sizeof(out)),
					 IKE_OK);
			vec_check_hex(&f, b, "DKM", out, sizeof(out));
		}
		assert_int_equal(ike_keys_derive_ike(&keys_ops, &s, &bi.in, g_ir, g_len, &k),
				 IKE_OK);
		assert_memory_equal(k.sk_d, dkm, 20);
		assert_memory_equal(k.sk_ei, dkm + 20, 36);
		assert_memory_equal(k.sk_er, dkm + 56, 36);
		assert_memory_equal(k.sk_pi, dkm + 92, 20);
		assert_memory_equal(k.sk_pr, dkm + 112, 20);
		assert_memory_equal(k.init_to_resp.enc_key, dkm + 20, 32);
		assert_memory_equal(k.init_to_resp.salt, dkm + 52, 4);
		assert_memory_equal(k.resp_to_init.enc_key, dkm + 56, 32);
		assert_memory_equal(k.resp_to_init.salt, dkm + 88, 4);

		/* DKM(Child SA) = prf+(SK_d, Ni | Nr), and with g^ir (new) in front. */
		{
			uint8_t out[132];

			assert_int_equal(ike_prf_plus(&keys_ops, s.prf, k.sk_d, 20, seed,
						      bi.in.ni_len + bi.in.nr_len, out,
						      sizeof(out)),
					 IKE_OK);
			vec_check_hex(&f, b, "DKM(Child SA)", out, sizeof(out));
			memcpy(seed, g_new, g_new_len);
			memcpy(seed + g_new_len, bi.ni, bi.in.ni_len);
			memcpy(seed + g_new_len + bi.in.ni_len, bi.nr, bi.in.nr_len);
			assert_int_equal(ike_prf_plus(&keys_ops, s.prf, k.sk_d, 20, seed,
						      g_new_len + bi.in.ni_len + bi.in.nr_len, out,
						      sizeof(out)),
					 IKE_OK);
			vec_check_hex(&f, b, "DKM(Child SA D-H)", out, sizeof(out));
		}
		/* The Child SA split: i->r key | salt first, then r->i (RFC 7296 2.17). */
		assert_int_equal(ike_suite_esp(&esp_t, &esp), IKE_OK);
		assert_int_equal(ike_keys_derive_child(&keys_ops, &k, &esp, &bi.in, NULL, 0, &ck),
				 IKE_OK);
		vec_need_hex(&f, b, "DKM(Child SA)", dkm, sizeof(dkm));
		assert_memory_equal(ck.init_to_resp.enc_key, dkm, 32);
		assert_memory_equal(ck.init_to_resp.salt, dkm + 32, 4);
		assert_memory_equal(ck.resp_to_init.enc_key, dkm + 36, 32);
		assert_memory_equal(ck.resp_to_init.salt, dkm + 68, 4);
		assert_int_equal(
			ike_keys_derive_child(&keys_ops, &k, &esp, &bi.in, g_new, g_new_len, &ck),
			IKE_OK);
		vec_need_hex(&f, b, "DKM(Child SA D-H)", dkm, sizeof(dkm));
		assert_memory_equal(ck.init_to_resp.enc_key, dkm, 32);
		assert_memory_equal(ck.resp_to_init.salt, dkm + 68, 4);

		/* SKEYSEED(Rekey) = prf(SK_d, g^ir (new) | Ni | Nr) */
		assert_int_equal(ike_keys_skeyseed_rekey(&keys_ops, s.prf, k.sk_d, 20, &bi.in,
							 g_new, g_new_len, skeyseed),
				 IKE_OK);
		vec_check_hex(&f, b, "SKEYSEED(Rekey)", skeyseed, 20);
	}
	assert_true(cases > 0);
	vec_file_free(&f);
}

static void
test_sha2_vectors(void **state)
{
	static const struct {
		const char *type;
		void (*check)(const struct vec_file *, const struct vec_block *);
	} handlers[] = {
	    {"ike", check_ike_block},	  {"child", check_child_block},
	    {"rekey", check_rekey_block}, {"resume", check_resume_block},
	    {"addke", check_addke_block}, {"psk-auth", check_psk_block},
	    {"followup-rekey", check_followup_rekey_block},
	    {"followup-child", check_followup_child_block},
	};
	unsigned n = sizeof(handlers) / sizeof(handlers[0]);
	unsigned counts[sizeof(handlers) / sizeof(handlers[0])] = {0};
	struct vec_file f;
	unsigned i, h;

	(void)state;
	vec_need_file(vec_dir, "ikev2-kdf-sha2.txt", &f);
	for (i = 0; i < f.n_blocks; i++) {
		const char *type = vec_get(&f.blocks[i], "Type");

		assert_non_null(type);
		for (h = 0; h < n; h++) {
			if (strcmp(type, handlers[h].type) == 0) {
				handlers[h].check(&f, &f.blocks[i]);
				counts[h]++;
			}
		}
	}
	for (h = 0; h < n; h++)
		if (counts[h] == 0)
			fail_msg("%s: no '%s' cases", f.path, handlers[h].type);
	vec_file_free(&f);
}

/*
 * Every strongswan-*.txt captured from a real strongSwan run: key schedule
 * blocks (SKEYSEED, SK_*, optionally the first Child SA) and PSK AUTH blocks.
 */
static void
test_strongswan_vectors(void **state)
{
	unsigned files = 0;
	struct dirent *de;
	DIR *d;

	(void)state;
	d = opendir(vec_dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		unsigned i, kdf = 0, psk = 0;
		struct vec_file f;

		if (fnmatch("strongswan-*.txt", de->d_name, 0) != 0)
			continue;
		files++;
		vec_need_file(vec_dir, de->d_name, &f);
		for (i = 0; i < f.n_blocks; i++) {
			const char *type = vec_get(&f.blocks[i], "Type");

			if (type != NULL && strcmp(type, "psk-auth") == 0) {
				check_psk_block(&f, &f.blocks[i]);
				psk++;
			} else if (vec_get(&f.blocks[i], "SKEYSEED") != NULL) {
				check_ike_block(&f, &f.blocks[i]);
				kdf++;
			}
		}
		if (kdf + psk == 0)
			fail_msg("%s: no cases (SKEYSEED or Type = psk-auth blocks)", f.path);
		if (fnmatch("strongswan-kdf-*.txt", de->d_name, 0) == 0 && kdf == 0)
			fail_msg("%s: no key derivation cases", f.path);
		fprintf(stderr, "%s: %u key schedule, %u PSK AUTH cases\n", f.path, kdf, psk);
		vec_file_free(&f);
	}
	closedir(d);
	if (files == 0) {
		fprintf(stderr, "no strongswan-*.txt in %s yet\n", vec_dir);
		skip();
	}
}

static void
test_prf_plus_limits(void **state)
{
	static uint8_t out[255 * 20 + 1];
	uint8_t key[20] = {1}, seed[IKE_PRF_PLUS_MAX_SEED + 1] = {2};

	(void)state;
	/* Defined up to 255 rounds of the PRF (RFC 7296 2.13). */
	assert_int_equal(
		ike_prf_plus(&keys_ops, CRY_PRF_HMAC_SHA1, key, 20, seed, 8, out, 255 * 20),
		IKE_OK);
	assert_int_equal(
		ike_prf_plus(&keys_ops, CRY_PRF_HMAC_SHA1, key, 20, seed, 8, out, 255 * 20 + 1),
		IKE_E_PARAM);
	assert_int_equal(ike_prf_plus(&keys_ops, CRY_PRF_HMAC_SHA1, key, 20, seed,
				      IKE_PRF_PLUS_MAX_SEED + 1, out, 20),
			 IKE_E_PARAM);
}

static void
test_input_limits(void **state)
{
	struct ike_transforms t = {IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE,
				   IKE_KE_ECP256};
	static uint8_t big[CRY_MAX_KEX_SECRET + 1];
	struct ike_keys_input in = {big, IKE_NONCE_MAX + 1, big, 32};
	struct ike_sa_keys k;
	struct ike_suite s;

	(void)state;
	assert_int_equal(ike_suite_ike(&t, &s), IKE_OK);
	assert_int_equal(ike_keys_derive_ike(&keys_ops, &s, &in, big, 32, &k), IKE_E_PARAM);
	in.ni_len = 0;
	assert_int_equal(ike_keys_derive_ike(&keys_ops, &s, &in, big, 32, &k), IKE_E_PARAM);
	in.ni_len = 32;
	assert_int_equal(ike_keys_derive_ike(&keys_ops, &s, &in, big, sizeof(big), &k),
			 IKE_E_PARAM);
	assert_int_equal(ike_keys_derive_ike(&keys_ops, &s, &in, big, CRY_MAX_KEX_SECRET, &k),
			 IKE_OK);
}

static void
test_wipe(void **state)
{
	static const uint8_t zero[sizeof(struct ike_sa_keys)];
	struct ike_transforms t = {IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_512,
				   IKE_INTEG_HMAC_SHA2_512_256, IKE_KE_ECP256};
	uint8_t n[32] = {7};
	struct ike_keys_input in = {n, 32, n, 32};
	struct ike_child_keys ck;
	struct ike_esp_suite esp;
	struct ike_sa_keys k;
	struct ike_suite s;

	(void)state;
	assert_int_equal(ike_suite_ike(&t, &s), IKE_OK);
	assert_int_equal(ike_suite_esp(&t, &esp), IKE_OK);
	assert_int_equal(ike_keys_derive_ike(&keys_ops, &s, &in, n, 32, &k), IKE_OK);
	assert_int_equal(ike_keys_derive_child(&keys_ops, &k, &esp, &in, NULL, 0, &ck), IKE_OK);
	assert_memory_not_equal(&k.sk_pr, zero, 64);
	ike_sa_keys_wipe(&k);
	assert_memory_equal(&k, zero, sizeof(k));
	ike_child_keys_wipe(&ck);
	assert_memory_equal(&ck, zero, sizeof(ck));
}

static void
test_auth_octets_space(void **state)
{
	uint8_t msg[100] = {1}, nonce[32] = {2}, id[8] = {2}, sk_p[32] = {3}, out[200];
	struct ike_auth_octets_input in = {msg, sizeof(msg), nonce, sizeof(nonce), id, sizeof(id)};
	size_t len = 0;

	(void)state;
	assert_int_equal(ike_auth_octets(&keys_ops, CRY_PRF_HMAC_SHA256, sk_p, 32, &in, out,
					 100 + 32 + 32 - 1, &len),
			 IKE_E_NOSPACE);
	assert_int_equal(ike_auth_octets(&keys_ops, CRY_PRF_HMAC_SHA256, sk_p, 32, &in, out,
					 100 + 32 + 32, &len),
			 IKE_OK);
	assert_int_equal(len, 164);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_suite_descriptors),  cmocka_unit_test(test_suite_esp),
	    cmocka_unit_test(test_nist_sha1),	       cmocka_unit_test(test_sha2_vectors),
	    cmocka_unit_test(test_strongswan_vectors), cmocka_unit_test(test_prf_plus_limits),
	    cmocka_unit_test(test_input_limits),       cmocka_unit_test(test_wipe),
	    cmocka_unit_test(test_auth_octets_space),
	};

	return test_cry_main(argc, argv, "keys", tests, sizeof(tests) / sizeof(tests[0]), NULL,
			     &keys_ops, &vec_dir);
}
