/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv2 key schedule: prf+ (RFC 7296 2.13), IKE SA keys (2.14), IKE SA
 * rekey (2.18), session resumption (RFC 5723 5.1), additional key
 * exchanges (RFC 9370 2.2.2) and Child SA KEYMAT (2.17). Everything is
 * written into caller memory; temporaries are wiped before returning.
 */
#ifndef IKE_KEYS_H
#define IKE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_const.h"
#include "ike_status.h"
#include "ike_suite.h"

/* RFC 9370: at most seven additional key exchanges (ADDKE1..7). */
#define IKE_KEYS_ADDKE_MAX 7
/* Their shared secrets SK(1) | ... | SK(n), appended after Nr in a rekey (RFC 9370 2.2.5). */
#define IKE_KEYS_ADDKE_SECRETS_MAX (IKE_KEYS_ADDKE_MAX * CRY_MAX_KEX_SECRET)
/*
 * Largest seed prf+ accepts: SK(0) | Ni | Nr | SK(1) | ... | SK(n) (Child SA
 * with PFS and additional key exchanges), or Ni | Nr | SPIi | SPIr.
 */
#define IKE_PRF_PLUS_MAX_SEED (CRY_MAX_KEX_SECRET + 2 * IKE_NONCE_MAX + IKE_KEYS_ADDKE_SECRETS_MAX)
/* SK_e with the GCM salt appended (RFC 5282 7.1). */
#define IKE_MAX_SK_E (CRY_MAX_ENC_KEY + IKE_GCM_SALT_LEN)

/** prf+ (K, S) = T1 | T2 | ... truncated to out_len (RFC 7296 2.13). */
enum ike_status ike_prf_plus(const struct cry_ops *ops, enum cry_prf_alg alg, const uint8_t *key,
			     size_t key_len, const uint8_t *seed, size_t seed_len, uint8_t *out,
			     size_t out_len);

/*
 * Values of the exchange that feed the key schedule, as on the wire (nonce
 * data without the payload header). Child SA KEYMAT uses the nonces only.
 */
struct ike_keys_input {
	const uint8_t *ni;
	size_t ni_len;
	const uint8_t *nr;
	size_t nr_len;
	uint8_t spi_i[IKE_SPI_LEN];
	uint8_t spi_r[IKE_SPI_LEN];
};

/* The seven secrets of an IKE SA, and the SK payload keys built from them. */
struct ike_sa_keys {
	enum cry_prf_alg prf;
	uint8_t prf_len;       /* SK_d, SK_pi, SK_pr */
	uint8_t integ_key_len; /* SK_ai, SK_ar (0 with GCM) */
	uint8_t sk_e_len;      /* SK_ei, SK_er: AES key, then salt for GCM */
	uint8_t sk_d[CRY_MAX_PRF_LEN];
	uint8_t sk_ai[CRY_MAX_INTEG_KEY];
	uint8_t sk_ar[CRY_MAX_INTEG_KEY];
	uint8_t sk_ei[IKE_MAX_SK_E];
	uint8_t sk_er[IKE_MAX_SK_E];
	uint8_t sk_pi[CRY_MAX_PRF_LEN];
	uint8_t sk_pr[CRY_MAX_PRF_LEN];
	struct cry_sk_keys init_to_resp; /* SK_ei, SK_ai: messages the original initiator sends */
	struct cry_sk_keys resp_to_init; /* SK_er, SK_ar */
};

/* Keys of the two ESP SAs of a Child SA, for the data path. */
struct ike_child_keys {
	struct cry_sk_keys init_to_resp;
	struct cry_sk_keys resp_to_init;
};

/** SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 2.14). out holds cry_prf_len(prf). */
enum ike_status ike_keys_skeyseed(const struct cry_ops *ops, enum cry_prf_alg prf,
				  const struct ike_keys_input *in, const uint8_t *g_ir,
				  size_t g_ir_len, uint8_t *out);

/**
 * SKEYSEED = prf(SK_d(old), g^ir(new) | Ni | Nr) with the old SA's PRF
 * (RFC 7296 2.18). RFC 9370 2.2.2 uses the same form for an additional key
 * exchange: SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr).
 */
enum ike_status ike_keys_skeyseed_rekey(const struct cry_ops *ops, enum cry_prf_alg prf_old,
					const uint8_t *sk_d_old, size_t sk_d_len,
					const struct ike_keys_input *in, const uint8_t *g_ir,
					size_t g_ir_len, uint8_t *out);

/** SKEYSEED = prf(SK_d_old, "Resumption" | Ni | Nr) (RFC 5723 5.1). */
enum ike_status ike_keys_skeyseed_resume(const struct cry_ops *ops, enum cry_prf_alg prf,
					 const uint8_t *sk_d_old, size_t sk_d_len,
					 const struct ike_keys_input *in, uint8_t *out);

/**
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *     = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)   (RFC 7296 2.14)
 * and the SK payload keys of both directions. SKEYSEED is as long as the
 * output of the PRF that made it: after a rekey that is the old SA's PRF.
 */
enum ike_status ike_keys_expand(const struct cry_ops *ops, const struct ike_suite *suite,
				const uint8_t *skeyseed, size_t skeyseed_len,
				const struct ike_keys_input *in, struct ike_sa_keys *keys);

/** IKE_SA_INIT: SKEYSEED from g^ir, then ike_keys_expand(). */
enum ike_status ike_keys_derive_ike(const struct cry_ops *ops, const struct ike_suite *suite,
				    const struct ike_keys_input *in, const uint8_t *g_ir,
				    size_t g_ir_len, struct ike_sa_keys *keys);

/**
 * IKE SA rekey (RFC 7296 2.18): SKEYSEED with the old SA's PRF and SK_d,
 * the new SA's keys with the new suite, nonces and SPIs. new_keys may be old.
 */
enum ike_status ike_keys_derive_rekey(const struct cry_ops *ops, const struct ike_sa_keys *old,
				      const struct ike_suite *suite,
				      const struct ike_keys_input *in, const uint8_t *g_ir,
				      size_t g_ir_len, struct ike_sa_keys *new_keys);

/**
 * IKE SA rekey with RFC 9370 additional key exchanges in IKE_FOLLOWUP_KE (2.2.5):
 *   SKEYSEED = prf(SK_d (old), SK(0) | Ni | Nr | SK(1) | ... | SK(n))
 * sk0 is the secret of the CREATE_CHILD_SA KE payload, more the others in
 * ADDKE order, back to back (more_len at most IKE_KEYS_ADDKE_SECRETS_MAX).
 */
enum ike_status ike_keys_derive_rekey_addke(const struct cry_ops *ops,
					    const struct ike_sa_keys *old,
					    const struct ike_suite *suite,
					    const struct ike_keys_input *in, const uint8_t *sk0,
					    size_t sk0_len, const uint8_t *more, size_t more_len,
					    struct ike_sa_keys *new_keys);

/** Resumed IKE SA (RFC 5723 5.1): sk_d_old comes from the ticket. */
enum ike_status ike_keys_derive_resume(const struct cry_ops *ops, const struct ike_suite *suite,
				       const uint8_t *sk_d_old, size_t sk_d_len,
				       const struct ike_keys_input *in, struct ike_sa_keys *keys);

/* Items ike_keys_derive_resume_burst() works on per prf_burst (IKE_CORE_BURST). */
#define IKE_KEYS_RESUME_BURST_MAX 32

/* One resumed IKE SA for ike_keys_derive_resume_burst(). */
struct ike_resume_derive {
	const struct ike_suite *suite;
	const uint8_t *sk_d_old; /* from the ticket */
	size_t sk_d_len;
	const struct ike_keys_input *in;
	struct ike_sa_keys *keys; /* out; wiped when status is not IKE_OK */
	enum ike_status status;	  /* out */
};

/**
 * ike_keys_derive_resume() for n SAs in lockstep: all SKEYSEEDs in one
 * prf_burst, then one prf_burst per prf+ round (RFC 5723 5.1, RFC 7296
 * 2.13/2.14), IKE_KEYS_RESUME_BURST_MAX items at a time. No allocation.
 * @return how many items got IKE_OK.
 */
unsigned ike_keys_derive_resume_burst(const struct cry_ops *ops, struct ike_resume_derive *items,
				      unsigned n);

/**
 * RFC 9370 2.2.2: after the n-th additional key exchange (shared secret
 * SK(n)), replaces every key in keys with the next generation. in holds
 * the IKE_SA_INIT nonces and the IKE SA's SPIs.
 */
enum ike_status ike_keys_update_addke(const struct cry_ops *ops, const struct ike_suite *suite,
				      const struct ike_keys_input *in, const uint8_t *sk_n,
				      size_t sk_n_len, struct ike_sa_keys *keys);

/**
 * Child SA KEYMAT = prf+(SK_d, [g^ir(new) |] Ni | Nr) (RFC 7296 2.17),
 * taken initiator-to-responder first, encryption key (then GCM salt)
 * before integrity key. g_ir may be NULL (no PFS).
 */
enum ike_status ike_keys_derive_child(const struct cry_ops *ops, const struct ike_sa_keys *sa,
				      const struct ike_esp_suite *esp,
				      const struct ike_keys_input *in, const uint8_t *g_ir,
				      size_t g_ir_len, struct ike_child_keys *out);

/**
 * The same with RFC 9370 additional key exchanges (2.2.5):
 *   KEYMAT = prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n))
 * (more: SK(1) | ... | SK(n) back to back, at most IKE_KEYS_ADDKE_SECRETS_MAX).
 */
enum ike_status ike_keys_derive_child_addke(const struct cry_ops *ops,
					    const struct ike_sa_keys *sa,
					    const struct ike_esp_suite *esp,
					    const struct ike_keys_input *in, const uint8_t *sk0,
					    size_t sk0_len, const uint8_t *more, size_t more_len,
					    struct ike_child_keys *out);

/** Wipes every secret of an IKE SA. */
void ike_sa_keys_wipe(struct ike_sa_keys *keys);
/** Wipes the keys of a Child SA. */
void ike_child_keys_wipe(struct ike_child_keys *keys);

#endif
