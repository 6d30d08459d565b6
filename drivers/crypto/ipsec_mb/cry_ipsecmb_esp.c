/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_ipsecmb_esp.c - ESP payload crypto in ipsec-mb bursts: AES-GCM-16
 * (RFC 4106) and AES-CBC (RFC 3602) + HMAC-SHA2 (RFC 4868) as one chained
 * job per packet. Inbound CBC jobs hash then decrypt; a packet whose ICV
 * does not match is decrypted too, and dropped by esp_in_finish() anyway.
 */
#include <string.h>

#include "cry_ipsecmb_esp.h"
#include "ike_secret.h"

#define GCM_IV 8
#define CBC_IV 16

static enum cry_prf_alg
cbc_prf(enum esp_alg alg)
{
	switch (alg) {
	case ESP_ALG_AES_CBC_HMAC_SHA384_192:
		return CRY_PRF_HMAC_SHA384;
	case ESP_ALG_AES_CBC_HMAC_SHA512_256:
		return CRY_PRF_HMAC_SHA512;
	default:
		return CRY_PRF_HMAC_SHA256;
	}
}

bool
cry_ipsecmb_esp_keys_init(struct cry_ipsecmb *c, struct cry_ipsecmb_esp_keys *k, enum esp_alg alg,
			  unsigned enc_key_len, const uint8_t *keymat)
{
	struct esp_alg_desc d;

	if (!esp_alg_desc(alg, enc_key_len, &d))
		return false;
	memset(k, 0, sizeof(*k));
	k->alg = (uint8_t)alg;
	k->enc_key_len = (uint8_t)enc_key_len;
	if (alg == ESP_ALG_AES_GCM_16) {
		if (enc_key_len == 16)
			IMB_AES128_GCM_PRE(c->mgr, keymat, &k->u.gcm);
		else if (enc_key_len == 24)
			IMB_AES192_GCM_PRE(c->mgr, keymat, &k->u.gcm);
		else
			IMB_AES256_GCM_PRE(c->mgr, keymat, &k->u.gcm);
		memcpy(k->salt, keymat + enc_key_len, ESP_GCM_SALT);
		return true;
	}
	if (enc_key_len == 16)
		IMB_AES_KEYEXP_128(c->mgr, keymat, k->u.cbc.enc, k->u.cbc.dec);
	else if (enc_key_len == 24)
		IMB_AES_KEYEXP_192(c->mgr, keymat, k->u.cbc.enc, k->u.cbc.dec);
	else
		IMB_AES_KEYEXP_256(c->mgr, keymat, k->u.cbc.enc, k->u.cbc.dec);
	cry_ipsecmb_hmac_pads(c->mgr, cbc_prf(alg), keymat + enc_key_len, d.integ_key_len,
			      &k->u.cbc.hmac);
	return true;
}

void
cry_ipsecmb_esp_keys_wipe(struct cry_ipsecmb_esp_keys *k)
{
	ike_wipe(k, sizeof(*k));
}

static void
gcm_fill(IMB_JOB *ij, struct esp_job *j, const struct cry_ipsecmb_esp_keys *k, uint8_t *nonce)
{
	uint8_t *payload = j->esp + ESP_HDR_LEN + GCM_IV;

	/* RFC 4106 4: nonce = salt | explicit IV */
	memcpy(nonce, k->salt, ESP_GCM_SALT);
	memcpy(nonce + ESP_GCM_SALT, j->esp + ESP_HDR_LEN, GCM_IV);
	ij->cipher_mode = IMB_CIPHER_GCM;
	ij->hash_alg = IMB_AUTH_AES_GMAC;
	ij->enc_keys = &k->u.gcm;
	ij->dec_keys = &k->u.gcm;
	ij->iv = nonce;
	ij->iv_len_in_bytes = 12;
	ij->src = payload;
	ij->dst = payload;
	ij->msg_len_to_cipher_in_bytes = j->payload_len;
	ij->msg_len_to_hash_in_bytes = j->payload_len;
	ij->u.GCM.aad = j->aad;
	ij->u.GCM.aad_len_in_bytes = j->aad_len;
}

static void
cbc_fill(IMB_JOB *ij, struct esp_job *j, const struct cry_ipsecmb_esp_keys *k)
{
	ij->cipher_mode = IMB_CIPHER_CBC;
	ij->hash_alg = cry_ipsecmb_hmac_alg(cbc_prf((enum esp_alg)j->alg));
	ij->enc_keys = k->u.cbc.enc;
	ij->dec_keys = k->u.cbc.dec;
	ij->iv = j->esp + ESP_HDR_LEN;
	ij->iv_len_in_bytes = CBC_IV;
	ij->src = j->esp;
	ij->dst = j->esp + ESP_HDR_LEN + CBC_IV;
	ij->cipher_start_src_offset_in_bytes = ESP_HDR_LEN + CBC_IV;
	ij->msg_len_to_cipher_in_bytes = j->payload_len;
	ij->hash_start_src_offset_in_bytes = 0;
	ij->msg_len_to_hash_in_bytes = j->auth_len;
	ij->u.HMAC._hashed_auth_key_xor_ipad = k->u.cbc.hmac.ipad;
	ij->u.HMAC._hashed_auth_key_xor_opad = k->u.cbc.hmac.opad;
}

static void
job_fill(IMB_JOB *ij, struct esp_job *j, uint8_t *nonce)
{
	const struct cry_ipsecmb_esp_keys *k = j->keys;

	memset(ij, 0, sizeof(*ij));
	ij->key_len_in_bytes = k->enc_key_len;
	if (j->dir == ESP_ENCRYPT) {
		ij->cipher_direction = IMB_DIR_ENCRYPT;
		ij->chain_order = IMB_ORDER_CIPHER_HASH;
	} else {
		ij->cipher_direction = IMB_DIR_DECRYPT;
		ij->chain_order = IMB_ORDER_HASH_CIPHER;
	}
	if (j->alg == ESP_ALG_AES_GCM_16)
		gcm_fill(ij, j, k, nonce);
	else
		cbc_fill(ij, j, k);
	ij->auth_tag_output = j->tag;
	ij->auth_tag_output_len_in_bytes = j->icv_len;
	ij->user_data = j;
}

static unsigned
complete(IMB_JOB *ij)
{
	struct esp_job *j = ij->user_data;

	j->done = ij->status == IMB_STATUS_COMPLETED;
	return j->done;
}

unsigned
cry_ipsecmb_esp_burst(struct cry_ipsecmb *c, struct esp_job *jobs, unsigned n)
{
	/* GCM nonces must live until their job completes: one per job of a chunk. */
	uint8_t nonce[CRY_IPSECMB_CHUNK][16] __attribute__((aligned(16)));
	unsigned i, ok = 0;
	IMB_JOB *ij;

	for (i = 0; i < n; i++) {
		jobs[i].done = 0;
		if (i > 0 && i % CRY_IPSECMB_CHUNK == 0)
			while ((ij = IMB_FLUSH_JOB(c->mgr)) != NULL)
				ok += complete(ij);
		ij = IMB_GET_NEXT_JOB(c->mgr);
		job_fill(ij, &jobs[i], nonce[i % CRY_IPSECMB_CHUNK]);
		for (ij = IMB_SUBMIT_JOB(c->mgr); ij != NULL; ij = IMB_GET_COMPLETED_JOB(c->mgr))
			ok += complete(ij);
	}
	while ((ij = IMB_FLUSH_JOB(c->mgr)) != NULL)
		ok += complete(ij);
	return ok;
}
