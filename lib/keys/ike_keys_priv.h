/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the files of lib/keys; not for use outside it. */
#ifndef IKE_KEYS_PRIV_H
#define IKE_KEYS_PRIV_H

#include <stdbool.h>

#include "ike_keys.h"

/* "Resumption", the SKEYSEED prefix of RFC 5723 5.1 (no NUL). */
#define IKE_RESUMPTION_LABEL_LEN 10
extern const uint8_t ike_resumption_label[IKE_RESUMPTION_LABEL_LEN];

/* Nonces present and no longer than RFC 7296 3.9 allows. */
bool ike_keys_nonces_ok(const struct ike_keys_input *in);

/* Fills one direction's cry_sk_keys from SK_e (key | salt) and SK_a. */
void ike_keys_fill_sk(const struct ike_cipher_suite *c, const uint8_t *sk_e, const uint8_t *sk_a,
		      struct cry_sk_keys *k);

/*
 * Splits SA KEYMAT {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 * (RFC 7296 2.14) into keys and fills their SK payload keys.
 */
void ike_keys_split(const struct ike_suite *su, const uint8_t *km, struct ike_sa_keys *keys);

#endif
