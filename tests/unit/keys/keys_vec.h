/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vector block checks of test_keys: each reads one block of a vector
 * file (tests/vectors), derives what it lists with lib/keys through
 * keys_ops, and fails the test on the first value that differs.
 *   keys_vec_ike.c      IKE SA keys: SKEYSEED, SK_* (new, rekeyed, resumed), PSK AUTH
 *   keys_vec_child.c    Child SA KEYMAT and its ESP keys
 *   keys_vec_followup.c RFC 9370 keys: ADDKE updates, IKE_FOLLOWUP_KE rekeys
 */
#ifndef KEYS_VEC_H
#define KEYS_VEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_keys.h"
#include "vec_file.h"

/* The driver under test (test_cry_main fills it). */
extern struct cry_ops keys_ops;

/* A block's Ni and Nr (and SPIs) as key derivation input. */
struct block_input {
	struct ike_keys_input in;
	uint8_t ni[IKE_NONCE_MAX];
	uint8_t nr[IKE_NONCE_MAX];
};

void block_suite(const struct vec_file *f, const struct vec_block *b, struct ike_suite *s);
enum cry_prf_alg prf_of(uint16_t prf_id);
void block_input(const struct vec_file *f, const struct vec_block *b, struct block_input *bi,
		 bool spis);
/* The PRF (IKE transform ID prf_id) and the SK_d (the block's key name) of the SA b derives from.
 */
void block_sk_d(const struct vec_file *f, const struct vec_block *b, uint16_t prf_id,
		const char *name, struct ike_sa_keys *sa);
void check_sa_keys(const struct vec_file *f, const struct vec_block *b, const struct ike_suite *s,
		   const struct ike_sa_keys *k);
void check_esp_keys(const struct vec_file *f, const struct vec_block *b,
		    const struct ike_cipher_suite *c, const struct ike_child_keys *ck);
void check_keymat(const struct vec_file *f, const struct vec_block *b, const char *keymat_key,
		  const struct ike_sa_keys *sa, const uint8_t *g_ir, size_t g_len,
		  const struct ike_keys_input *in);

/* One block of each Type of ikev2-kdf-sha2.txt (and the strongSwan captures). */
void check_ike_block(const struct vec_file *f, const struct vec_block *b);
void check_rekey_block(const struct vec_file *f, const struct vec_block *b);
void check_resume_block(const struct vec_file *f, const struct vec_block *b);
void check_psk_block(const struct vec_file *f, const struct vec_block *b);
void check_child_block(const struct vec_file *f, const struct vec_block *b);
void check_addke_block(const struct vec_file *f, const struct vec_block *b);
void check_followup_rekey_block(const struct vec_file *f, const struct vec_block *b);
void check_followup_child_block(const struct vec_file *f, const struct vec_block *b);

#endif
