/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keys known-answer tests. Expected values come from NIST CAVP
 * (ikev2-kdf-nist-sha1.txt), from an independent python3-cryptography
 * implementation of the RFC formulas (ikev2-kdf-sha2.txt) and from real
 * strongSwan runs (strongswan-kdf-*.txt). Usage: test_keys DRIVER VECTOR_DIR
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
#include "test_cry.h"
#include "test_vec_check.h"
#include "vec_suite.h"

static struct cry_ops ops;
static const char *vec_dir;

/* PRF, ENCR and INTEG of a block as an IKE SA suite (the KE group plays no part in KDF vectors). */
static void
block_suite(const struct vec_file *f, const struct vec_block *b, struct ike_suite *s)
{
	struct ike_transforms t;

	if (vec_transforms(b, "", &t) != 0)
		fail_msg("%s:%u: bad PRF/ENCR/INTEG", f->path, b->line);
	t.ke = IKE_KE_ECP256;
	if (ike_suite_ike(&t, s) != IKE_OK)
		fail_msg("%s:%u: suite not supported", f->path, b->line);
}

static enum cry_prf_alg
prf_of(uint16_t prf_id)
{
	struct ike_transforms t = {IKE_ENCR_AES_GCM_16, 128, prf_id, IKE_INTEG_NONE, IKE_KE_ECP256};
	struct ike_suite s;

	assert_int_equal(ike_suite_ike(&t, &s), IKE_OK);
	return s.prf;
}

struct block_input {
	struct ike_keys_input in;
	uint8_t ni[IKE_NONCE_MAX];
	uint8_t nr[IKE_NONCE_MAX];
};

static void
block_input(const struct vec_file *f, const struct vec_block *b, struct block_input *bi, bool spis)
{
	bi->in.ni = bi->ni;
	bi->in.nr = bi->nr;
	bi->in.ni_len = vec_need_hex(f, b, "Ni", bi->ni, sizeof(bi->ni));
	bi->in.nr_len = vec_need_hex(f, b, "Nr", bi->nr, sizeof(bi->nr));
	if (spis) {
		assert_int_equal(vec_need_hex(f, b, "SPIi", bi->in.spi_i, IKE_SPI_LEN), 8);
		assert_int_equal(vec_need_hex(f, b, "SPIr", bi->in.spi_r, IKE_SPI_LEN), 8);
	}
}

/* Checks every SK_* the block lists; a key may only be absent when the suite has none. */
static void
check_sa_keys(const struct vec_file *f, const struct vec_block *b, const struct ike_suite *s,
	      const struct ike_sa_keys *k)
{
	static const char *const names[7] = {"SK_d",  "SK_ai", "SK_ar", "SK_ei",
					     "SK_er", "SK_pi", "SK_pr"};
	const uint8_t *keys[7] = {k->sk_d,  k->sk_ai, k->sk_ar, k->sk_ei,
				  k->sk_er, k->sk_pi, k->sk_pr};
	size_t a = s->sk.integ_key_len, e = (size_t)s->sk.enc_key_len + s->sk.salt_len;
	size_t lens[7] = {s->prf_len, a, a, e, e, s->prf_len, s->prf_len};
	const struct cry_sk_keys *dir[2] = {&k->init_to_resp, &k->resp_to_init};
	const uint8_t *sk_e[2] = {k->sk_ei, k->sk_er};
	const uint8_t *sk_a[2] = {k->sk_ai, k->sk_ar};
	unsigned i;

	for (i = 0; i < 7; i++) {
		if (vec_get(b, names[i]) != NULL)
			vec_check_hex(f, b, names[i], keys[i], lens[i]);
		else if (lens[i] != 0)
			fail_msg("%s:%u: %s missing", f->path, b->line, names[i]);
	}
	/* The SK payload keys: SK_e = key | salt (RFC 5282 7.1), SK_a. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(dir[i]->cipher, s->sk.cipher);
		assert_int_equal(dir[i]->integ, s->sk.integ);
		assert_int_equal(dir[i]->enc_key_len, s->sk.enc_key_len);
		assert_int_equal(dir[i]->integ_key_len, a);
		assert_memory_equal(dir[i]->enc_key, sk_e[i], s->sk.enc_key_len);
		if (s->sk.salt_len)
			assert_memory_equal(dir[i]->salt, sk_e[i] + s->sk.enc_key_len, 4);
		if (a)
			assert_memory_equal(dir[i]->integ_key, sk_a[i], a);
	}
}

/* ESP_ei [| ESP_ai] and ESP_er [| ESP_ar] (ESP_e* = key | GCM salt) against derived keys. */
static void
check_esp_keys(const struct vec_file *f, const struct vec_block *b,
	       const struct ike_cipher_suite *c, const struct ike_child_keys *ck)
{
	static const char *const e_names[2] = {"ESP_ei", "ESP_er"};
	static const char *const a_names[2] = {"ESP_ai", "ESP_ar"};
	const struct cry_sk_keys *dir[2] = {&ck->init_to_resp, &ck->resp_to_init};
	uint8_t want[VEC_BUF_MAX];
	unsigned i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(vec_need_hex(f, b, e_names[i], want, sizeof(want)),
				 c->enc_key_len + c->salt_len);
		assert_int_equal(dir[i]->cipher, c->cipher);
		assert_int_equal(dir[i]->integ, c->integ);
		assert_int_equal(dir[i]->enc_key_len, c->enc_key_len);
		assert_memory_equal(dir[i]->enc_key, want, c->enc_key_len);
		if (c->salt_len)
			assert_memory_equal(dir[i]->salt, want + c->enc_key_len, 4);
		assert_int_equal(dir[i]->integ_key_len, c->integ_key_len);
		if (c->integ_key_len) {
			assert_int_equal(vec_need_hex(f, b, a_names[i], want, sizeof(want)),
					 c->integ_key_len);
			assert_memory_equal(dir[i]->integ_key, want, c->integ_key_len);
		} else if (vec_get(b, a_names[i]) != NULL) {
			fail_msg("%s:%u: %s listed for an AEAD suite", f->path, b->line,
				 a_names[i]);
		}
	}
}

/* keymat_key's value against prf+(SK_d, [g^ir |] Ni | Nr) straight from ike_prf_plus(). */
static void
check_keymat(const struct vec_file *f, const struct vec_block *b, const char *keymat_key,
	     const struct ike_sa_keys *sa, const uint8_t *g_ir, size_t g_len,
	     const struct ike_keys_input *in)
{
	uint8_t seed[IKE_PRF_PLUS_MAX_SEED], km[VEC_BUF_MAX];
	size_t n = vec_need_hex(f, b, keymat_key, km, sizeof(km));

	if (g_len)
		memcpy(seed, g_ir, g_len);
	memcpy(seed + g_len, in->ni, in->ni_len);
	memcpy(seed + g_len + in->ni_len, in->nr, in->nr_len);
	assert_int_equal(ike_prf_plus(&ops, sa->prf, sa->sk_d, sa->prf_len, seed,
				      g_len + in->ni_len + in->nr_len, km, n),
			 IKE_OK);
	vec_check_hex(f, b, keymat_key, km, n);
}

/* A block with PRF/ENCR/INTEG, Ni, Nr, g^ir, SPIi, SPIr, SKEYSEED and SK_*. */
static void
check_ike_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t g_ir[CRY_MAX_KEX_SECRET], skeyseed[CRY_MAX_PRF_LEN];
	struct block_input bi;
	struct ike_sa_keys k;
	struct ike_suite s;
	size_t g_len;

	block_suite(f, b, &s);
	block_input(f, b, &bi, true);
	g_len = vec_need_hex(f, b, "g^ir", g_ir, sizeof(g_ir));
	assert_int_equal(ike_keys_skeyseed(&ops, s.prf, &bi.in, g_ir, g_len, skeyseed), IKE_OK);
	vec_check_hex(f, b, "SKEYSEED", skeyseed, s.prf_len);
	assert_int_equal(ike_keys_derive_ike(&ops, &s, &bi.in, g_ir, g_len, &k), IKE_OK);
	check_sa_keys(f, b, &s, &k);

	/* strongSwan captures carry the first Child SA: KEYMAT = prf+(SK_d, Ni | Nr). */
	if (vec_get(b, "ESP_ENCR") != NULL) {
		struct ike_transforms t;
		struct ike_esp_suite esp;
		struct ike_child_keys ck;

		if (vec_transforms(b, "ESP_", &t) != 0)
			fail_msg("%s:%u: bad ESP_ENCR/ESP_INTEG", f->path, b->line);
		assert_int_equal(ike_suite_esp(&t, &esp), IKE_OK);
		assert_int_equal(ike_keys_derive_child(&ops, &k, &esp, &bi.in, NULL, 0, &ck),
				 IKE_OK);
		check_esp_keys(f, b, &esp.esp, &ck);
		check_keymat(f, b, "ChildKEYMAT", &k, NULL, 0, &bi.in);
	}
}

static void
check_child_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t g_ir[CRY_MAX_KEX_SECRET];
	struct ike_transforms t;
	struct ike_esp_suite esp;
	struct ike_child_keys ck;
	struct ike_sa_keys sa = {0};
	struct block_input bi;
	bool pfs = vec_get(b, "g^ir (new)") != NULL;
	size_t g_len = 0;

	assert_int_equal(vec_transforms(b, "", &t), 0);
	t.ke = pfs ? IKE_KE_ECP256 : IKE_KE_NONE;
	assert_int_equal(ike_suite_esp(&t, &esp), IKE_OK);
	sa.prf = prf_of(t.prf);
	sa.prf_len = (uint8_t)cry_prf_len(sa.prf);
	assert_int_equal(vec_need_hex(f, b, "SK_d", sa.sk_d, sizeof(sa.sk_d)), sa.prf_len);
	block_input(f, b, &bi, false);
	if (pfs)
		g_len = vec_need_hex(f, b, "g^ir (new)", g_ir, sizeof(g_ir));
	assert_int_equal(
	    ike_keys_derive_child(&ops, &sa, &esp, &bi.in, pfs ? g_ir : NULL, g_len, &ck), IKE_OK);
	check_esp_keys(f, b, &esp.esp, &ck);
	check_keymat(f, b, "KEYMAT", &sa, g_ir, g_len, &bi.in);
}

static void
check_rekey_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t g_ir[CRY_MAX_KEX_SECRET], skeyseed[CRY_MAX_PRF_LEN];
	struct ike_sa_keys old = {0}, k;
	struct block_input bi;
	struct ike_suite s;
	size_t g_len;

	block_suite(f, b, &s);
	block_input(f, b, &bi, true);
	old.prf = prf_of((uint16_t)vec_num(b, "PRF (old)"));
	old.prf_len = (uint8_t)cry_prf_len(old.prf);
	assert_int_equal(vec_need_hex(f, b, "SK_d (old)", old.sk_d, sizeof(old.sk_d)), old.prf_len);
	g_len = vec_need_hex(f, b, "g^ir (new)", g_ir, sizeof(g_ir));
	assert_int_equal(ike_keys_skeyseed_rekey(&ops, old.prf, old.sk_d, old.prf_len, &bi.in, g_ir,
						 g_len, skeyseed),
			 IKE_OK);
	vec_check_hex(f, b, "SKEYSEED", skeyseed, cry_prf_len(old.prf));
	assert_int_equal(ike_keys_derive_rekey(&ops, &old, &s, &bi.in, g_ir, g_len, &k), IKE_OK);
	check_sa_keys(f, b, &s, &k);
	/* In place: the new SA's keys may overwrite the old ones. */
	assert_int_equal(ike_keys_derive_rekey(&ops, &old, &s, &bi.in, g_ir, g_len, &old), IKE_OK);
	check_sa_keys(f, b, &s, &old);
}

static void
check_resume_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t sk_d[CRY_MAX_PRF_LEN], skeyseed[CRY_MAX_PRF_LEN];
	struct block_input bi;
	struct ike_sa_keys k;
	struct ike_suite s;
	size_t d_len;

	block_suite(f, b, &s);
	block_input(f, b, &bi, true);
	d_len = vec_need_hex(f, b, "SK_d (old)", sk_d, sizeof(sk_d));
	assert_int_equal(ike_keys_skeyseed_resume(&ops, s.prf, sk_d, d_len, &bi.in, skeyseed),
			 IKE_OK);
	vec_check_hex(f, b, "SKEYSEED", skeyseed, s.prf_len);
	assert_int_equal(ike_keys_derive_resume(&ops, &s, sk_d, d_len, &bi.in, &k), IKE_OK);
	check_sa_keys(f, b, &s, &k);
}

static void
check_addke_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t sk_n[CRY_MAX_KEX_SECRET];
	struct block_input bi;
	struct ike_sa_keys k = {0};
	struct ike_suite s;
	size_t n_len;

	block_suite(f, b, &s);
	block_input(f, b, &bi, true);
	k.prf = s.prf;
	k.prf_len = s.prf_len;
	assert_int_equal(vec_need_hex(f, b, "SK_d (n-1)", k.sk_d, sizeof(k.sk_d)), s.prf_len);
	n_len = vec_need_hex(f, b, "SK(n)", sk_n, sizeof(sk_n));
	assert_int_equal(ike_keys_update_addke(&ops, &s, &bi.in, sk_n, n_len, &k), IKE_OK);
	check_sa_keys(f, b, &s, &k);
}

/* SK(0) into sk0, SK(1) | ... | SK(n) back to back into more; returns |more|. */
static size_t
block_followup_secrets(const struct vec_file *f, const struct vec_block *b, uint8_t *sk0,
		       size_t *sk0_len, uint8_t *more)
{
	size_t more_len = 0;
	char key[16];

	*sk0_len = vec_need_hex(f, b, "SK(0)", sk0, CRY_MAX_KEX_SECRET);
	for (unsigned i = 1;; i++) {
		snprintf(key, sizeof(key), "SK(%u)", i);
		if (vec_get(b, key) == NULL)
			break;
		assert_true(more_len + CRY_MAX_KEX_SECRET <= IKE_KEYS_ADDKE_SECRETS_MAX);
		more_len += vec_need_hex(f, b, key, more + more_len, CRY_MAX_KEX_SECRET);
	}
	assert_true(more_len != 0);
	return more_len;
}

/* RFC 9370 2.2.5: an IKE SA rekey's keys after its IKE_FOLLOWUP_KE exchanges. */
static void
check_followup_rekey_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t sk0[CRY_MAX_KEX_SECRET], more[IKE_KEYS_ADDKE_SECRETS_MAX];
	struct ike_sa_keys old = {0}, k;
	struct block_input bi;
	struct ike_suite s;
	size_t sk0_len, more_len;

	block_suite(f, b, &s);
	block_input(f, b, &bi, true);
	old.prf = prf_of((uint16_t)vec_num(b, "PRF (old)"));
	old.prf_len = (uint8_t)cry_prf_len(old.prf);
	assert_int_equal(vec_need_hex(f, b, "SK_d (old)", old.sk_d, sizeof(old.sk_d)), old.prf_len);
	more_len = block_followup_secrets(f, b, sk0, &sk0_len, more);
	assert_int_equal(ike_keys_derive_rekey_addke(&ops, &old, &s, &bi.in, sk0, sk0_len, more,
						     more_len, &k),
			 IKE_OK);
	check_sa_keys(f, b, &s, &k);
	/* Without the additional secrets the keys differ. */
	assert_int_equal(ike_keys_derive_rekey(&ops, &old, &s, &bi.in, sk0, sk0_len, &k), IKE_OK);
	assert_memory_not_equal(k.sk_d, old.sk_d, old.prf_len);
}

/* RFC 9370 2.2.5: a Child SA's KEYMAT after its IKE_FOLLOWUP_KE exchanges. */
static void
check_followup_child_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t sk0[CRY_MAX_KEX_SECRET], more[IKE_KEYS_ADDKE_SECRETS_MAX];
	struct ike_transforms t;
	struct ike_esp_suite esp;
	struct ike_child_keys ck;
	struct ike_sa_keys sa = {0};
	struct block_input bi;
	size_t sk0_len, more_len;

	assert_int_equal(vec_transforms(b, "", &t), 0);
	t.ke = IKE_KE_ECP256;
	assert_int_equal(ike_suite_esp(&t, &esp), IKE_OK);
	sa.prf = prf_of(t.prf);
	sa.prf_len = (uint8_t)cry_prf_len(sa.prf);
	assert_int_equal(vec_need_hex(f, b, "SK_d", sa.sk_d, sizeof(sa.sk_d)), sa.prf_len);
	block_input(f, b, &bi, false);
	more_len = block_followup_secrets(f, b, sk0, &sk0_len, more);
	assert_int_equal(ike_keys_derive_child_addke(&ops, &sa, &esp, &bi.in, sk0, sk0_len, more,
						     more_len, &ck),
			 IKE_OK);
	check_esp_keys(f, b, &esp.esp, &ck);
	/* Additional secrets need SK(0), and fit the bound. */
	assert_int_equal(ike_keys_derive_child_addke(&ops, &sa, &esp, &bi.in, NULL, 0, more,
						     more_len, &ck),
			 IKE_E_PARAM);
	assert_int_equal(ike_keys_derive_child_addke(&ops, &sa, &esp, &bi.in, sk0, sk0_len, more,
						     IKE_KEYS_ADDKE_SECRETS_MAX + 1, &ck),
			 IKE_E_PARAM);
}

static void
check_psk_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t psk[256], sk_p[CRY_MAX_PRF_LEN], real[VEC_BUF_MAX], nonce[IKE_NONCE_MAX];
	uint8_t id[256], ia[2 * CRY_MAX_PRF_LEN + 4], octets[VEC_BUF_MAX], auth[CRY_MAX_PRF_LEN];
	enum cry_prf_alg prf = prf_of((uint16_t)vec_num(b, "PRF"));
	struct ike_auth_octets_input in = {0};
	struct ike_psk_key key;
	size_t psk_len, sk_p_len, octets_len;

	psk_len = vec_need_hex(f, b, "PSK", psk, sizeof(psk));
	sk_p_len = vec_need_hex(f, b, "SK_p", sk_p, sizeof(sk_p));
	in.real_msg = real;
	in.real_msg_len = vec_need_hex(f, b, "RealMessage", real, sizeof(real));
	in.peer_nonce = nonce;
	in.peer_nonce_len = vec_need_hex(f, b, "Nonce", nonce, sizeof(nonce));
	in.id = id;
	in.id_len = vec_need_hex(f, b, "ID", id, sizeof(id));
	if (vec_get(b, "IntAuth") != NULL) {
		in.int_auth = ia;
		in.int_auth_len = vec_need_hex(f, b, "IntAuth", ia, sizeof(ia));
	}
	assert_int_equal(
	    ike_auth_octets(&ops, prf, sk_p, sk_p_len, &in, octets, sizeof(octets), &octets_len),
	    IKE_OK);
	vec_check_hex(f, b, "SignedOctets", octets, octets_len);
	assert_int_equal(ike_psk_key_init(&ops, prf, psk, psk_len, &key), IKE_OK);
	assert_int_equal(ike_auth_psk(&ops, &key, octets, octets_len, auth), IKE_OK);
	vec_check_hex(f, b, "AUTH", auth, cry_prf_len(prf));
	assert_int_equal(ike_auth_psk_verify(&ops, &key, octets, octets_len, auth, key.len),
			 IKE_OK);
	/* One flipped bit anywhere in the AUTH data, or a short AUTH, is refused. */
	auth[key.len - 1] ^= 0x01;
	assert_int_equal(ike_auth_psk_verify(&ops, &key, octets, octets_len, auth, key.len),
			 IKE_E_INTEGRITY);
	auth[key.len - 1] ^= 0x01;
	assert_int_equal(ike_auth_psk_verify(&ops, &key, octets, octets_len, auth, key.len - 1),
			 IKE_E_INTEGRITY);
	octets[0] ^= 0x80;
	assert_int_equal(ike_auth_psk_verify(&ops, &key, octets, octets_len, auth, key.len),
			 IKE_E_INTEGRITY);
	ike_psk_key_wipe(&key);
}

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
		assert_int_equal(ike_keys_skeyseed(&ops, s.prf, &bi.in, g_ir, g_len, skeyseed),
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

			assert_int_equal(ike_prf_plus(&ops, s.prf, skeyseed, 20, seed, off + 16,
						      out, sizeof(out)),
					 IKE_OK);
			vec_check_hex(&f, b, "DKM", out, sizeof(out));
		}
		assert_int_equal(ike_keys_derive_ike(&ops, &s, &bi.in, g_ir, g_len, &k), IKE_OK);
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

			assert_int_equal(ike_prf_plus(&ops, s.prf, k.sk_d, 20, seed,
						      bi.in.ni_len + bi.in.nr_len, out,
						      sizeof(out)),
					 IKE_OK);
			vec_check_hex(&f, b, "DKM(Child SA)", out, sizeof(out));
			memcpy(seed, g_new, g_new_len);
			memcpy(seed + g_new_len, bi.ni, bi.in.ni_len);
			memcpy(seed + g_new_len + bi.in.ni_len, bi.nr, bi.in.nr_len);
			assert_int_equal(ike_prf_plus(&ops, s.prf, k.sk_d, 20, seed,
						      g_new_len + bi.in.ni_len + bi.in.nr_len, out,
						      sizeof(out)),
					 IKE_OK);
			vec_check_hex(&f, b, "DKM(Child SA D-H)", out, sizeof(out));
		}
		/* The Child SA split: i->r key | salt first, then r->i (RFC 7296 2.17). */
		assert_int_equal(ike_suite_esp(&esp_t, &esp), IKE_OK);
		assert_int_equal(ike_keys_derive_child(&ops, &k, &esp, &bi.in, NULL, 0, &ck),
				 IKE_OK);
		vec_need_hex(&f, b, "DKM(Child SA)", dkm, sizeof(dkm));
		assert_memory_equal(ck.init_to_resp.enc_key, dkm, 32);
		assert_memory_equal(ck.init_to_resp.salt, dkm + 32, 4);
		assert_memory_equal(ck.resp_to_init.enc_key, dkm + 36, 32);
		assert_memory_equal(ck.resp_to_init.salt, dkm + 68, 4);
		assert_int_equal(
		    ike_keys_derive_child(&ops, &k, &esp, &bi.in, g_new, g_new_len, &ck), IKE_OK);
		vec_need_hex(&f, b, "DKM(Child SA D-H)", dkm, sizeof(dkm));
		assert_memory_equal(ck.init_to_resp.enc_key, dkm, 32);
		assert_memory_equal(ck.resp_to_init.salt, dkm + 68, 4);

		/* SKEYSEED(Rekey) = prf(SK_d, g^ir (new) | Ni | Nr) */
		assert_int_equal(ike_keys_skeyseed_rekey(&ops, s.prf, k.sk_d, 20, &bi.in, g_new,
							 g_new_len, skeyseed),
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
	assert_int_equal(ike_prf_plus(&ops, CRY_PRF_HMAC_SHA1, key, 20, seed, 8, out, 255 * 20),
			 IKE_OK);
	assert_int_equal(ike_prf_plus(&ops, CRY_PRF_HMAC_SHA1, key, 20, seed, 8, out, 255 * 20 + 1),
			 IKE_E_PARAM);
	assert_int_equal(ike_prf_plus(&ops, CRY_PRF_HMAC_SHA1, key, 20, seed,
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
	assert_int_equal(ike_keys_derive_ike(&ops, &s, &in, big, 32, &k), IKE_E_PARAM);
	in.ni_len = 0;
	assert_int_equal(ike_keys_derive_ike(&ops, &s, &in, big, 32, &k), IKE_E_PARAM);
	in.ni_len = 32;
	assert_int_equal(ike_keys_derive_ike(&ops, &s, &in, big, sizeof(big), &k), IKE_E_PARAM);
	assert_int_equal(ike_keys_derive_ike(&ops, &s, &in, big, CRY_MAX_KEX_SECRET, &k), IKE_OK);
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
	assert_int_equal(ike_keys_derive_ike(&ops, &s, &in, n, 32, &k), IKE_OK);
	assert_int_equal(ike_keys_derive_child(&ops, &k, &esp, &in, NULL, 0, &ck), IKE_OK);
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
	assert_int_equal(
	    ike_auth_octets(&ops, CRY_PRF_HMAC_SHA256, sk_p, 32, &in, out, 100 + 32 + 32 - 1, &len),
	    IKE_E_NOSPACE);
	assert_int_equal(
	    ike_auth_octets(&ops, CRY_PRF_HMAC_SHA256, sk_p, 32, &in, out, 100 + 32 + 32, &len),
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
			     &ops, &vec_dir);
}
