/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ticket.c - seal and open RFC 5723 "ticket by value" tickets:
 *   version | key id | IV (12) | AES-256-GCM(state) | tag, AAD = version | key id.
 * A ticket is never trusted: before the tag is checked only the clear part
 * (length, version, key id and the key's window) decides anything, and the
 * tag is compared in constant time by the crypto driver. The GCM nonce is
 * the whole 96-bit random IV: cry_ops takes it as salt (4) | IV (8).
 */
#include <stddef.h>
#include <string.h>

#include "ike_buf.h"
#include "ike_secret.h"
#include "ike_ticket.h"
#include "ike_ticket_keyring.h"

#define OFF_KEY_ID 1
#define OFF_IV IKE_TICKET_AAD_LEN
#define GCM_SALT_LEN 4

static const char *const reason_names[] = {
#define IKE_TICKET_REASON_NAME(e, s) [e] = s,
	IKE_TICKET_REASON_LIST(IKE_TICKET_REASON_NAME)
#undef IKE_TICKET_REASON_NAME
};

const char *
ike_ticket_reason_name(enum ike_ticket_reason r)
{
	if ((unsigned)r >= IKE_TICKET_REASON_COUNT)
		return "unknown";
	return reason_names[r];
}

/* RFC 5723 6.2 / RFC 4478: a finite lifetime, within the farm's maximum and the auth deadline. */
static bool
lifetime_ok(const struct ike_ticket_keyring *kr, const struct ike_ticket_state *s, uint64_t now)
{
	uint32_t max = ike_ticket_keyring_params(kr)->max_lifetime;

	return s->expires > now && s->expires - now <= max &&
	       (s->auth_deadline == 0 || s->expires <= s->auth_deadline);
}

enum ike_ticket_reason
ike_ticket_seal(const struct cry_ops *ops, const struct ike_ticket_keyring *kr,
		struct ike_ticket_state *s, uint64_t now, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t rnd[IKE_TICKET_ID_LEN + IKE_TICKET_IV_LEN];
	const struct ike_ticket_key *key;
	enum ike_ticket_reason rc;
	struct cry_sk_keys keys;
	struct cry_aead_job job;
	size_t plen;

	key = ike_ticket_keyring_seal_key(kr, now);
	if (key == NULL)
		return IKE_TICKET_NO_SEAL_KEY;
	if (!lifetime_ok(kr, s, now))
		return IKE_TICKET_BAD_STATE;
	if (cap < IKE_TICKET_OVERHEAD)
		return IKE_TICKET_NO_SPACE;
	if (cry_random(ops, rnd, sizeof(rnd)) != IKE_OK)
		return IKE_TICKET_CRYPTO;
	memcpy(s->ticket_id, rnd, IKE_TICKET_ID_LEN);
	s->issued = now;

	out[0] = IKE_TICKET_VERSION;
	ike_put_u32(out + OFF_KEY_ID, key->id);
	memcpy(out + OFF_IV, rnd + IKE_TICKET_ID_LEN, IKE_TICKET_IV_LEN);
	keys = key->aead;
	memcpy(keys.salt, out + OFF_IV, GCM_SALT_LEN);
	rc = ike_ticket_state_encode(s, out + IKE_TICKET_HDR_LEN, cap - IKE_TICKET_OVERHEAD, &plen);
	if (rc != IKE_TICKET_OK)
		goto out;
	job = (struct cry_aead_job){
		.dir = CRY_SEAL,
		.keys = &keys,
		.aad = out,
		.aad_len = IKE_TICKET_AAD_LEN,
		.iv = out + OFF_IV + GCM_SALT_LEN,
		.data = out + IKE_TICKET_HDR_LEN,
		.len = plen,
		.icv = out + IKE_TICKET_HDR_LEN + plen,
	};
	if (cry_aead(ops, &job) != IKE_OK) {
		rc = IKE_TICKET_CRYPTO;
		goto out;
	}
	*len = IKE_TICKET_OVERHEAD + plen;
out:
	ike_wipe(&keys, sizeof(keys));
	ike_wipe(rnd, sizeof(rnd));
	if (rc != IKE_TICKET_OK)
		ike_wipe(out, cap);
	return rc;
}

enum ike_ticket_reason
ike_ticket_open_prepare(const struct ike_ticket_keyring *kr, const uint8_t *ticket, size_t len,
			uint64_t now, struct ike_ticket_open_ctx *ctx, struct cry_aead_job *job)
{
	const struct ike_ticket_key *key;
	size_t clen;

	if (len == 0)
		return IKE_TICKET_MALFORMED;
	if (ticket[0] != IKE_TICKET_VERSION)
		return IKE_TICKET_VERSION_UNKNOWN;
	if (len < IKE_TICKET_OVERHEAD + IKE_TICKET_STATE_PAD || len > IKE_TICKET_MAX ||
	    (len - IKE_TICKET_OVERHEAD) % IKE_TICKET_STATE_PAD != 0)
		return IKE_TICKET_MALFORMED;
	key = ike_ticket_keyring_find(kr, ike_get_u32(ticket + OFF_KEY_ID));
	if (key == NULL)
		return IKE_TICKET_UNKNOWN_KEY;
	if (!ike_ticket_key_opens_at(kr, key, now))
		return IKE_TICKET_KEY_NOT_VALID;

	clen = len - IKE_TICKET_OVERHEAD;
	ctx->keys = key->aead;
	memcpy(ctx->keys.salt, ticket + OFF_IV, GCM_SALT_LEN);
	memcpy(ctx->aad, ticket, IKE_TICKET_AAD_LEN);
	memcpy(ctx->iv, ticket + OFF_IV, IKE_TICKET_IV_LEN);
	memcpy(ctx->plain, ticket + IKE_TICKET_HDR_LEN, clen);
	memcpy(ctx->tag, ticket + IKE_TICKET_HDR_LEN + clen, IKE_TICKET_TAG_LEN);
	ctx->len = clen;
	ctx->now = now;
	*job = (struct cry_aead_job){
		.dir = CRY_OPEN,
		.keys = &ctx->keys,
		.aad = ctx->aad,
		.aad_len = IKE_TICKET_AAD_LEN,
		.iv = ctx->iv + GCM_SALT_LEN,
		.data = ctx->plain,
		.len = clen,
		.icv = ctx->tag,
		.status = IKE_E_CRYPTO, /* until a burst runs it */
		.user_data = ctx,
	};
	return IKE_TICKET_OK;
}

enum ike_ticket_reason
ike_ticket_open_finish(struct ike_ticket_open_ctx *ctx, const struct cry_aead_job *job,
		       struct ike_ticket_state *s)
{
	enum ike_ticket_reason rc;

	if (job->status == IKE_E_INTEGRITY)
		rc = IKE_TICKET_BAD_TAG;
	else if (job->status != IKE_OK)
		rc = IKE_TICKET_CRYPTO;
	else
		rc = ike_ticket_state_decode(ctx->plain, ctx->len, s);
	/*
	 * Sealing keeps expires <= auth_deadline, so a passed deadline would
	 * also read as expired: test it first to count it under its own name.
	 */
	if (rc == IKE_TICKET_OK && s->auth_deadline != 0 && ctx->now >= s->auth_deadline)
		rc = IKE_TICKET_AUTH_DEADLINE;
	else if (rc == IKE_TICKET_OK && ctx->now >= s->expires)
		rc = IKE_TICKET_EXPIRED;
	if (rc != IKE_TICKET_OK)
		ike_ticket_state_wipe(s);
	/* Everything up to the end of the used plaintext: the tail never held a secret. */
	ike_wipe(ctx, offsetof(struct ike_ticket_open_ctx, plain) + ctx->len);
	return rc;
}

enum ike_ticket_reason
ike_ticket_open(const struct cry_ops *ops, const struct ike_ticket_keyring *kr,
		const uint8_t *ticket, size_t len, uint64_t now, struct ike_ticket_state *s)
{
	struct ike_ticket_open_ctx ctx;
	struct cry_aead_job job;
	enum ike_ticket_reason rc;

	rc = ike_ticket_open_prepare(kr, ticket, len, now, &ctx, &job);
	if (rc != IKE_TICKET_OK) {
		ike_ticket_state_wipe(s);
		return rc;
	}
	ops->sym->aead_burst(ops->sym_ctx, &job, 1);
	return ike_ticket_open_finish(&ctx, &job, s);
}

unsigned
ike_ticket_owner_shard(const uint8_t *ticket, size_t len, unsigned nb_shards)
{
	if (len < IKE_TICKET_HDR_LEN || nb_shards == 0)
		return 0;
	/* Multiply-shift maps the uniform 32 bits onto [0, nb_shards) without a modulo bias. */
	return (unsigned)(((uint64_t)ike_get_u32(ticket + OFF_IV) * nb_shards) >> 32);
}
