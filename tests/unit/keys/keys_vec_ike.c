/* SPDX-License-Identifier: BSD-3-Clause */
/* keys_vec_ike.c - IKE SA key blocks: SKEYSEED and SK_* (new, rekeyed, resumed), PSK AUTH. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ike_auth.h"
#include "keys_vec.h"
#include "test_vec_check.h"
#include "vec_suite.h"

/* PRF, ENCR and INTEG of a block as an IKE SA suite (the KE group plays no part in KDF vectors). */
void
block_suite(const struct vec_file *f, const struct vec_block *b, struct ike_suite *s)
{
	struct ike_transforms t;

	if (vec_transforms(b, "", &t) != 0)
		fail_msg("%s:%u: bad PRF/ENCR/INTEG", f->path, b->line);
	t.ke = IKE_KE_ECP256;
	if (ike_suite_ike(&t, s) != IKE_OK)
		fail_msg("%s:%u: suite not supported", f->path, b->line);
}

enum cry_prf_alg
prf_of(uint16_t prf_id)
{
	struct ike_transforms t = {IKE_ENCR_AES_GCM_16, 128, prf_id, IKE_INTEG_NONE, IKE_KE_ECP256};
	struct ike_suite s;

	assert_int_equal(ike_suite_ike(&t, &s), IKE_OK);
	return s.prf;
}

void
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

void
block_sk_d(const struct vec_file *f, const struct vec_block *b, uint16_t prf_id, const char *name,
	   struct ike_sa_keys *sa)
{
	sa->prf = prf_of(prf_id);
	sa->prf_len = (uint8_t)cry_prf_len(sa->prf);
	assert_int_equal(vec_need_hex(f, b, name, sa->sk_d, sizeof(sa->sk_d)), sa->prf_len);
}

/* Checks every SK_* the block lists; a key may only be absent when the suite has none. */
void
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

/* A block with PRF/ENCR/INTEG, Ni, Nr, g^ir, SPIi, SPIr, SKEYSEED and SK_*. */
void
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
	assert_int_equal(ike_keys_skeyseed(&keys_ops, s.prf, &bi.in, g_ir, g_len, skeyseed),
			 IKE_OK);
	vec_check_hex(f, b, "SKEYSEED", skeyseed, s.prf_len);
	assert_int_equal(ike_keys_derive_ike(&keys_ops, &s, &bi.in, g_ir, g_len, &k), IKE_OK);
	check_sa_keys(f, b, &s, &k);

	/* strongSwan captures carry the first Child SA: KEYMAT = prf+(SK_d, Ni | Nr). */
	if (vec_get(b, "ESP_ENCR") != NULL) {
		struct ike_transforms t;
		struct ike_esp_suite esp;
		struct ike_child_keys ck;

		if (vec_transforms(b, "ESP_", &t) != 0)
			fail_msg("%s:%u: bad ESP_ENCR/ESP_INTEG", f->path, b->line);
		assert_int_equal(ike_suite_esp(&t, &esp), IKE_OK);
		assert_int_equal(ike_keys_derive_child(&keys_ops, &k, &esp, &bi.in, NULL, 0, &ck),
				 IKE_OK);
		check_esp_keys(f, b, &esp.esp, &ck);
		check_keymat(f, b, "ChildKEYMAT", &k, NULL, 0, &bi.in);
	}
}

void
check_rekey_block(const struct vec_file *f, const struct vec_block *b)
{
	uint8_t g_ir[CRY_MAX_KEX_SECRET], skeyseed[CRY_MAX_PRF_LEN];
	struct ike_sa_keys old = {0}, k;
	struct block_input bi;
	struct ike_suite s;
	size_t g_len;

	block_suite(f, b, &s);
	block_input(f, b, &bi, true);
	block_sk_d(f, b, (uint16_t)vec_num(b, "PRF (old)"), "SK_d (old)", &old);
	g_len = vec_need_hex(f, b, "g^ir (new)", g_ir, sizeof(g_ir));
	assert_int_equal(ike_keys_skeyseed_rekey(&keys_ops, old.prf, old.sk_d, old.prf_len, &bi.in,
						 g_ir, g_len, skeyseed),
			 IKE_OK);
	vec_check_hex(f, b, "SKEYSEED", skeyseed, cry_prf_len(old.prf));
	assert_int_equal(ike_keys_derive_rekey(&keys_ops, &old, &s, &bi.in, g_ir, g_len, &k),
			 IKE_OK);
	check_sa_keys(f, b, &s, &k);
	/* In place: the new SA's keys may overwrite the old ones. */
	assert_int_equal(ike_keys_derive_rekey(&keys_ops, &old, &s, &bi.in, g_ir, g_len, &old),
			 IKE_OK);
	check_sa_keys(f, b, &s, &old);
}

void
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
	assert_int_equal(ike_keys_skeyseed_resume(&keys_ops, s.prf, sk_d, d_len, &bi.in, skeyseed),
			 IKE_OK);
	vec_check_hex(f, b, "SKEYSEED", skeyseed, s.prf_len);
	assert_int_equal(ike_keys_derive_resume(&keys_ops, &s, sk_d, d_len, &bi.in, &k), IKE_OK);
	check_sa_keys(f, b, &s, &k);
}

void
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
	assert_int_equal(ike_auth_octets(&keys_ops, prf, sk_p, sk_p_len, &in, octets,
					 sizeof(octets), &octets_len),
			 IKE_OK);
	vec_check_hex(f, b, "SignedOctets", octets, octets_len);
	assert_int_equal(ike_psk_key_init(&keys_ops, prf, psk, psk_len, &key), IKE_OK);
	assert_int_equal(ike_auth_psk(&keys_ops, &key, octets, octets_len, auth), IKE_OK);
	vec_check_hex(f, b, "AUTH", auth, cry_prf_len(prf));
	assert_int_equal(ike_auth_psk_verify(&keys_ops, &key, octets, octets_len, auth, key.len),
			 IKE_OK);
	/* One flipped bit anywhere in the AUTH data, or a short AUTH, is refused. */
	auth[key.len - 1] ^= 0x01;
	assert_int_equal(ike_auth_psk_verify(&keys_ops, &key, octets, octets_len, auth, key.len),
			 IKE_E_INTEGRITY);
	auth[key.len - 1] ^= 0x01;
	assert_int_equal(
		ike_auth_psk_verify(&keys_ops, &key, octets, octets_len, auth, key.len - 1),
		IKE_E_INTEGRITY);
	octets[0] ^= 0x80;
	assert_int_equal(ike_auth_psk_verify(&keys_ops, &key, octets, octets_len, auth, key.len),
			 IKE_E_INTEGRITY);
	ike_psk_key_wipe(&key);
}
