/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_ipsecmb_aead.c - burst seal/open of SK payloads and tickets:
 * AES-GCM-16 (RFC 5282) and AES-CBC (RFC 3602) + HMAC-SHA2 (RFC 4868),
 * the ICV covering the region described in cry_ops.h (RFC 7296 3.14).
 *
 * A chunk runs in two passes through the manager's job queue; each pass
 * submits every job that has a step left and then flushes the queue.
 * Pass 1: GCM seal/open, CBC encrypt-then-MAC, CBC ICV check only.
 * Pass 2: CBC decrypt of the jobs whose ICV matched, and GCM re-encryption
 * of the jobs whose tag did not: GCM decrypts while it authenticates, and
 * running the same counter mode again restores the caller's ciphertext.
 * Either way an OPEN that fails leaves the data as it was.
 * GCM schedules of keys that recur are kept across chunks (gcm_cache_get).
 */
#include <stdbool.h>
#include <string.h>

#include "cry_ipsecmb_priv.h"
#include "ike_secret.h"

#define GCM_ICV_LEN 16
#define CBC_IV_LEN 16
#define AES_BLOCK 16

enum aead_step {
	STEP_NONE,
	STEP_GCM_SEAL,
	STEP_GCM_OPEN,
	STEP_GCM_RESTORE,
	STEP_CBC_SEAL,
	STEP_CBC_VERIFY,
	STEP_CBC_DECRYPT,
};

static enum cry_prf_alg
integ_prf(enum cry_integ integ)
{
	switch (integ) {
	case CRY_INTEG_HMAC_SHA384_192:
		return CRY_PRF_HMAC_SHA384;
	case CRY_INTEG_HMAC_SHA512_256:
		return CRY_PRF_HMAC_SHA512;
	default:
		return CRY_PRF_HMAC_SHA256;
	}
}

static enum ike_status
cbc_job_check(const struct cry_aead_job *j)
{
	const struct cry_sk_keys *k = j->keys;

	if (k->integ != CRY_INTEG_HMAC_SHA256_128 && k->integ != CRY_INTEG_HMAC_SHA384_192 &&
	    k->integ != CRY_INTEG_HMAC_SHA512_256)
		return k->integ == CRY_INTEG_NONE ? IKE_E_PARAM : IKE_E_UNSUPPORTED;
	if (k->integ_key_len > CRY_MAX_INTEG_KEY || j->len % AES_BLOCK != 0)
		return IKE_E_PARAM;
	/* The integrity region must be one run of bytes: aad | iv | data. */
	if (j->iv + CBC_IV_LEN != j->data || (j->aad_len > 0 && j->aad + j->aad_len != j->iv))
		return IKE_E_PARAM;
	return IKE_OK;
}

static enum ike_status
aead_job_check(const struct cry_aead_job *j)
{
	const struct cry_sk_keys *k = j->keys;

	if (k == NULL || j->iv == NULL || j->icv == NULL || (j->data == NULL && j->len > 0) ||
	    (j->aad == NULL && j->aad_len > 0) || (j->dir != CRY_SEAL && j->dir != CRY_OPEN))
		return IKE_E_PARAM;
	if (k->enc_key_len != 16 && k->enc_key_len != 24 && k->enc_key_len != 32)
		return IKE_E_PARAM;
	switch (k->cipher) {
	case CRY_CIPHER_AES_GCM_16:
		return k->integ == CRY_INTEG_NONE ? IKE_OK : IKE_E_PARAM;
	case CRY_CIPHER_AES_CBC:
		return cbc_job_check(j);
	}
	return IKE_E_UNSUPPORTED;
}

static void
gcm_schedule(IMB_MGR *mgr, const struct cry_sk_keys *k, struct gcm_key_data *gcm)
{
	if (k->enc_key_len == 16)
		IMB_AES128_GCM_PRE(mgr, k->enc_key, gcm);
	else if (k->enc_key_len == 24)
		IMB_AES192_GCM_PRE(mgr, k->enc_key, gcm);
	else
		IMB_AES256_GCM_PRE(mgr, k->enc_key, gcm);
}

static void
cbc_schedule(IMB_MGR *mgr, const struct cry_sk_keys *k, struct cry_ipsecmb_aead_slot *s)
{
	if (k->enc_key_len == 16)
		IMB_AES_KEYEXP_128(mgr, k->enc_key, s->aes_enc, s->aes_dec);
	else if (k->enc_key_len == 24)
		IMB_AES_KEYEXP_192(mgr, k->enc_key, s->aes_enc, s->aes_dec);
	else
		IMB_AES_KEYEXP_256(mgr, k->enc_key, s->aes_enc, s->aes_dec);
	cry_ipsecmb_hmac_pads(mgr, integ_prf(k->integ), k->integ_key, k->integ_key_len, &s->hmac);
}

/* The cached schedule of key k, or one made in a free entry, or NULL. */
static const struct gcm_key_data *
gcm_cache_get(struct cry_ipsecmb *c, const struct cry_sk_keys *k)
{
	struct cry_ipsecmb_gcm_cached *e, *free_e = NULL;
	unsigned i;

	for (i = 0; i < CRY_IPSECMB_GCM_CACHE; i++) {
		e = &c->gcm_cache[i];
		if (e->key_len == 0) {
			if (free_e == NULL)
				free_e = e;
			continue;
		}
		if (e->key_len == k->enc_key_len && ike_ct_eq(e->key, k->enc_key, e->key_len)) {
			if (e->hits < UINT8_MAX)
				e->hits++;
			return &e->gcm;
		}
	}
	if (free_e == NULL)
		return NULL;
	gcm_schedule(c->mgr, k, &free_e->gcm);
	memcpy(free_e->key, k->enc_key, k->enc_key_len);
	free_e->key_len = k->enc_key_len;
	free_e->hits = 0;
	return &free_e->gcm;
}

/* End of a chunk: drop (wipe) the keys no second job used; age the rest now and then. */
static void
gcm_cache_settle(struct cry_ipsecmb *c)
{
	bool age = ++c->gcm_chunks >= CRY_IPSECMB_GCM_AGING;
	unsigned i;

	if (age)
		c->gcm_chunks = 0;
	for (i = 0; i < CRY_IPSECMB_GCM_CACHE; i++) {
		struct cry_ipsecmb_gcm_cached *e = &c->gcm_cache[i];

		if (e->key_len == 0)
			continue;
		if (e->hits == 0)
			ike_wipe(e, sizeof(*e));
		else if (age)
			e->hits /= 2;
	}
}

/* Validates job i and prepares its slot; consecutive jobs with one key share a schedule. */
static void
aead_prepare(struct cry_ipsecmb *c, struct cry_aead_job *jobs, unsigned i)
{
	struct cry_ipsecmb_aead_slot *s = &c->aead[i];
	struct cry_aead_job *j = &jobs[i];
	const struct cry_sk_keys *k = j->keys;

	s->step = STEP_NONE;
	s->sched = NULL;
	s->gcm_sched = NULL;
	j->status = aead_job_check(j);
	if (j->status != IKE_OK)
		return;
	if (i > 0 && jobs[i - 1].keys == k && c->aead[i - 1].sched != NULL) {
		s->sched = c->aead[i - 1].sched;
		s->gcm_sched = c->aead[i - 1].gcm_sched;
	} else if (k->cipher == CRY_CIPHER_AES_GCM_16) {
		s->gcm_sched = gcm_cache_get(c, k);
		if (s->gcm_sched == NULL) {
			gcm_schedule(c->mgr, k, &s->gcm);
			s->gcm_sched = &s->gcm;
		}
		s->sched = s;
	} else {
		cbc_schedule(c->mgr, k, s);
		s->sched = s;
	}
	if (k->cipher == CRY_CIPHER_AES_GCM_16) {
		/* RFC 5282 4: nonce = salt | IV */
		memcpy(s->nonce, k->salt, sizeof(k->salt));
		memcpy(s->nonce + sizeof(k->salt), j->iv, 8);
		s->step = j->dir == CRY_SEAL ? STEP_GCM_SEAL : STEP_GCM_OPEN;
	} else {
		s->step = j->dir == CRY_SEAL ? STEP_CBC_SEAL : STEP_CBC_VERIFY;
	}
	j->status = IKE_E_CRYPTO; /* until the library reports completion */
}

static void
gcm_job_fill(IMB_JOB *ij, const struct cry_aead_job *j, struct cry_ipsecmb_aead_slot *s)
{
	uint8_t *data = j->len > 0 ? j->data : (uint8_t *)cry_ipsecmb_empty;

	ij->cipher_mode = IMB_CIPHER_GCM;
	ij->hash_alg = IMB_AUTH_AES_GMAC;
	if (s->step == STEP_GCM_OPEN) {
		ij->cipher_direction = IMB_DIR_DECRYPT;
		ij->chain_order = IMB_ORDER_HASH_CIPHER;
	} else {
		ij->cipher_direction = IMB_DIR_ENCRYPT;
		ij->chain_order = IMB_ORDER_CIPHER_HASH;
	}
	ij->enc_keys = s->gcm_sched;
	ij->dec_keys = s->gcm_sched;
	ij->key_len_in_bytes = j->keys->enc_key_len;
	ij->iv = s->nonce;
	ij->iv_len_in_bytes = sizeof(s->nonce);
	ij->src = data;
	ij->dst = data;
	ij->msg_len_to_cipher_in_bytes = j->len;
	ij->msg_len_to_hash_in_bytes = j->len;
	ij->u.GCM.aad = j->aad_len > 0 ? j->aad : cry_ipsecmb_empty;
	ij->u.GCM.aad_len_in_bytes = j->aad_len;
	/* SEAL writes the caller's ICV; OPEN and RESTORE compute into scratch. */
	ij->auth_tag_output = s->step == STEP_GCM_SEAL ? j->icv : s->icv;
	ij->auth_tag_output_len_in_bytes = GCM_ICV_LEN;
}

static void
cbc_job_fill(IMB_JOB *ij, const struct cry_aead_job *j, struct cry_ipsecmb_aead_slot *s)
{
	const uint8_t *region = j->iv - j->aad_len;
	const struct cry_sk_keys *k = j->keys;
	size_t icv_len = cry_integ_icv_len(k->integ);

	ij->enc_keys = s->sched->aes_enc;
	ij->dec_keys = s->sched->aes_dec;
	ij->key_len_in_bytes = k->enc_key_len;
	ij->iv = j->iv;
	ij->iv_len_in_bytes = CBC_IV_LEN;
	ij->u.HMAC._hashed_auth_key_xor_ipad = s->sched->hmac.ipad;
	ij->u.HMAC._hashed_auth_key_xor_opad = s->sched->hmac.opad;
	ij->auth_tag_output_len_in_bytes = icv_len;
	switch (s->step) {
	case STEP_CBC_SEAL:
		/* Encrypt-then-MAC over aad | iv | ciphertext; the library has no zero-length CBC. */
		ij->cipher_mode = j->len > 0 ? IMB_CIPHER_CBC : IMB_CIPHER_NULL;
		ij->cipher_direction = IMB_DIR_ENCRYPT;
		ij->chain_order = IMB_ORDER_CIPHER_HASH;
		ij->hash_alg = cry_ipsecmb_hmac_alg(integ_prf(k->integ));
		ij->src = region;
		ij->dst = j->data;
		ij->cipher_start_src_offset_in_bytes = j->aad_len + CBC_IV_LEN;
		ij->msg_len_to_cipher_in_bytes = j->len;
		ij->msg_len_to_hash_in_bytes = j->aad_len + CBC_IV_LEN + j->len;
		ij->auth_tag_output = j->icv;
		break;
	case STEP_CBC_VERIFY:
		ij->cipher_mode = IMB_CIPHER_NULL;
		ij->cipher_direction = IMB_DIR_DECRYPT;
		ij->chain_order = IMB_ORDER_HASH_CIPHER;
		ij->hash_alg = cry_ipsecmb_hmac_alg(integ_prf(k->integ));
		ij->src = region;
		ij->dst = j->data;
		ij->msg_len_to_hash_in_bytes = j->aad_len + CBC_IV_LEN + j->len;
		ij->auth_tag_output = s->icv;
		break;
	default: /* STEP_CBC_DECRYPT */
		ij->cipher_mode = IMB_CIPHER_CBC;
		ij->cipher_direction = IMB_DIR_DECRYPT;
		ij->chain_order = IMB_ORDER_HASH_CIPHER;
		ij->hash_alg = IMB_AUTH_NULL;
		ij->src = j->data;
		ij->dst = j->data;
		ij->msg_len_to_cipher_in_bytes = j->len;
		break;
	}
}

static void
aead_job_fill(IMB_JOB *ij, struct cry_aead_job *j, struct cry_ipsecmb_aead_slot *s)
{
	memset(ij, 0, sizeof(*ij));
	if (j->keys->cipher == CRY_CIPHER_AES_GCM_16)
		gcm_job_fill(ij, j, s);
	else
		cbc_job_fill(ij, j, s);
	ij->user_data = j;
	ij->user_data2 = s;
}

/* Records the outcome of one library job and decides the job's next step. */
static void
aead_complete(IMB_JOB *ij)
{
	struct cry_aead_job *j = ij->user_data;
	struct cry_ipsecmb_aead_slot *s = ij->user_data2;
	enum aead_step step = s->step;

	s->step = STEP_NONE;
	if (ij->status != IMB_STATUS_COMPLETED) {
		j->status = IKE_E_CRYPTO;
		return;
	}
	switch (step) {
	case STEP_GCM_OPEN:
		if (ike_ct_eq(s->icv, j->icv, GCM_ICV_LEN)) {
			j->status = IKE_OK;
		} else {
			j->status = IKE_E_INTEGRITY;
			s->step = STEP_GCM_RESTORE;
		}
		break;
	case STEP_GCM_RESTORE:
		break; /* the status stays IKE_E_INTEGRITY */
	case STEP_CBC_VERIFY:
		if (!ike_ct_eq(s->icv, j->icv, cry_integ_icv_len(j->keys->integ)))
			j->status = IKE_E_INTEGRITY;
		else if (j->len == 0)
			j->status = IKE_OK;
		else
			s->step = STEP_CBC_DECRYPT;
		break;
	default: /* STEP_GCM_SEAL, STEP_CBC_SEAL, STEP_CBC_DECRYPT */
		j->status = IKE_OK;
		break;
	}
}

/* One pass: submit every job with a step left, then flush the queue. */
static void
aead_pass(struct cry_ipsecmb *c, struct cry_aead_job *jobs, unsigned n)
{
	IMB_JOB *ij;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (c->aead[i].step == STEP_NONE)
			continue;
		ij = IMB_GET_NEXT_JOB(c->mgr);
		aead_job_fill(ij, &jobs[i], &c->aead[i]);
		for (ij = IMB_SUBMIT_JOB(c->mgr); ij != NULL; ij = IMB_GET_COMPLETED_JOB(c->mgr))
			aead_complete(ij);
	}
	while ((ij = IMB_FLUSH_JOB(c->mgr)) != NULL)
		aead_complete(ij);
}

/*
 * Wipes what a chunk left in the scratch: the key schedules and HMAC pads
 * of the slots that computed them, and every computed ICV (for an OPEN
 * that failed it is the valid tag of the attacker's message).
 */
static void
aead_scratch_wipe(struct cry_ipsecmb *c, const struct cry_aead_job *jobs, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct cry_ipsecmb_aead_slot *s = &c->aead[i];

		if (s->sched == s && jobs[i].keys->cipher == CRY_CIPHER_AES_GCM_16) {
			if (s->gcm_sched == &s->gcm)
				ike_wipe(&s->gcm, sizeof(s->gcm));
		} else if (s->sched == s) {
			ike_wipe(s->aes_enc, sizeof(s->aes_enc));
			ike_wipe(s->aes_dec, sizeof(s->aes_dec));
			ike_wipe(&s->hmac, sizeof(s->hmac));
		}
		if (s->sched != NULL)
			ike_wipe(s->icv, sizeof(s->icv));
		s->sched = NULL;
	}
}

static unsigned
aead_chunk(struct cry_ipsecmb *c, struct cry_aead_job *jobs, unsigned n)
{
	unsigned i, ok = 0;

	for (i = 0; i < n; i++)
		aead_prepare(c, jobs, i);
	aead_pass(c, jobs, n);
	aead_pass(c, jobs, n);
	aead_scratch_wipe(c, jobs, n);
	gcm_cache_settle(c);
	for (i = 0; i < n; i++)
		ok += jobs[i].status == IKE_OK;
	return ok;
}

unsigned
cry_ipsecmb_aead_burst(void *ctx, struct cry_aead_job *jobs, unsigned n)
{
	struct cry_ipsecmb *c = ctx;
	unsigned off, len, ok = 0;

	for (off = 0; off < n; off += len) {
		len = n - off < CRY_IPSECMB_CHUNK ? n - off : CRY_IPSECMB_CHUNK;
		ok += aead_chunk(c, jobs + off, len);
	}
	return ok;
}
