/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_client.c - life cycle of an initiator client and the receive
 * dispatch: a message goes to the handler of the exchange we wait for
 * (RFC 7296 2.2: responses match our outstanding Message ID), or, with the
 * Response flag clear, to the handler of the responder's own requests.
 */
#include <stddef.h>
#include <string.h>

#include "ike_init_priv.h"
#include "ike_secret.h"

static const char *const result_names[] = {
#define IKE_INIT_RESULT_NAME(e, s) [e] = s,
	IKE_INIT_RESULT_LIST(IKE_INIT_RESULT_NAME)
#undef IKE_INIT_RESULT_NAME
};

static const char *const state_names[] = {
	[IKE_INIT_S_IDLE] = "idle",
	[IKE_INIT_S_SA_INIT_SENT] = "sa-init-sent",
	[IKE_INIT_S_AUTH_SENT] = "auth-sent",
	[IKE_INIT_S_INT_SENT] = "intermediate-sent",
	[IKE_INIT_S_RESUME_SENT] = "resume-sent",
	[IKE_INIT_S_ESTABLISHED] = "established",
	[IKE_INIT_S_REQ_SENT] = "request-sent",
	[IKE_INIT_S_CLOSED] = "closed",
	[IKE_INIT_S_FAILED] = "failed",
};

const char *
ike_init_result_name(enum ike_init_result r)
{
	return (unsigned)r < IKE_INIT_RESULT_COUNT ? result_names[r] : "unknown";
}

const char *
ike_init_state_name(enum ike_init_state s)
{
	return (unsigned)s <= IKE_INIT_S_FAILED ? state_names[s] : "unknown";
}

/* Every extra KE group must be one the key schedule can use. */
static bool
alt_groups_ok(const struct ike_client_cfg *cfg)
{
	struct ike_transforms t = cfg->ike;
	struct ike_suite s;

	for (unsigned int i = 0; i < IKE_INIT_MAX_KE_ALT && cfg->ike_ke_alt[i] != 0; i++) {
		t.ke = cfg->ike_ke_alt[i];
		if (ike_suite_ike(&t, &s) != IKE_OK)
			return false;
	}
	return true;
}

enum ike_init_result
ike_init_client_init(struct ike_client *c, const struct ike_client_cfg *cfg,
		     const struct cry_ops *ops)
{
	struct ike_esp_suite esp;

	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->ops = ops;
	c->cred = &cfg->cred;
	c->ke_group = cfg->ike.ke;
	c->state = IKE_INIT_S_IDLE;
	if (ike_suite_ike(&cfg->ike, &c->suite) != IKE_OK ||
	    ike_init_esp_suite(c, true, &esp) != IKE_INIT_R_DONE || !alt_groups_ok(cfg)) {
		c->state = IKE_INIT_S_FAILED;
		c->fail = IKE_INIT_R_UNSUPPORTED;
		return IKE_INIT_R_UNSUPPORTED;
	}
	return IKE_INIT_R_DONE;
}

void
ike_init_set_cred(struct ike_client *c, const struct ike_init_cred *cred)
{
	c->cred = cred;
}

void
ike_init_set_addrs(struct ike_client *c, const struct ike_init_addr *local,
		   const struct ike_init_addr *remote)
{
	c->local = *local;
	c->remote = *remote;
	c->has_addrs = 1;
}

void
ike_init_hs_release(struct ike_client *c)
{
	struct ike_client_hs *hs = c->hs;

	if (hs == NULL)
		return;
	if (hs->kex != NULL)
		c->ops->asym->kex_free(c->ops->asym_ctx, hs->kex);
	if (hs->addke_kex != NULL)
		c->ops->asym->kex_free(c->ops->asym_ctx, hs->addke_kex);
	/*
	 * The two kept messages fill the state but seldom their 1500 octets:
	 * wiping their used part and everything else keeps a handshake from
	 * paying for 3 KiB of zeroes.
	 */
	ike_wipe(hs->msg1, hs->msg1_len);
	ike_wipe(hs->msg2, hs->msg2_len);
	if (c->frag_buf != NULL && hs->frag_ok) {
		ike_wipe(c->frag_buf->data, hs->frag_used);
		ike_wipe(c->frag_buf->msg, sizeof(c->frag_buf->msg));
	}
	ike_wipe(hs, offsetof(struct ike_client_hs, msg1));
	c->hs = NULL;
}

static void
wipe_secrets(struct ike_client *c)
{
	ike_init_hs_release(c);
	ike_init_followup_end(c);
	if (c->kex != NULL)
		c->ops->asym->kex_free(c->ops->asym_ctx, c->kex);
	c->kex = NULL;
	ike_sa_keys_wipe(&c->keys);
	ike_child_keys_wipe(&c->child.keys);
	ike_wipe(c->ni, sizeof(c->ni));
	c->has_child = 0;
	c->childless = 0; /* negotiated anew in each IKE_SA_INIT (RFC 6023 3) */
}

enum ike_init_result
ike_init_fail(struct ike_client *c, enum ike_init_result reason)
{
	wipe_secrets(c);
	c->state = IKE_INIT_S_FAILED;
	c->fail = (uint8_t)reason;
	c->req = IKE_INIT_REQ_NONE;
	return reason;
}

void
ike_init_client_reset(struct ike_client *c)
{
	const struct ike_client_cfg *cfg = c->cfg;
	const struct cry_ops *ops = c->ops;
	const struct ike_init_cred *cred = c->cred;
	struct ike_init_ticket *ticket = c->ticket;
	struct ike_init_frag_buf *frag_buf = c->frag_buf;
	struct ike_init_followup *fu = c->fu;
	struct ike_init_addr local = c->local, remote = c->remote;
	bool has_addrs = c->has_addrs;

	wipe_secrets(c);
	/* The configuration was accepted before: init cannot refuse it now. */
	ike_init_client_init(c, cfg, ops);
	c->cred = cred;
	c->ticket = ticket;
	c->frag_buf = frag_buf;
	c->fu = fu;
	if (has_addrs)
		ike_init_set_addrs(c, &local, &remote);
}

void
ike_init_abort(struct ike_client *c, enum ike_init_result reason)
{
	ike_init_fail(c, reason);
}

void
ike_init_client_fini(struct ike_client *c)
{
	wipe_secrets(c);
}

enum ike_init_result
ike_init_random_nonzero(const struct cry_ops *ops, uint8_t *out, size_t n)
{
	uint8_t any = 0;

	for (int tries = 0; tries < 4; tries++) {
		if (cry_random(ops, out, n) != IKE_OK)
			return IKE_INIT_R_CRYPTO;
		for (size_t i = 0; i < n; i++)
			any |= out[i];
		if (any != 0)
			return IKE_INIT_R_DONE;
	}
	return IKE_INIT_R_CRYPTO;
}

enum ike_init_result
ike_init_new_child_spi(const struct ike_client *c, uint32_t *spi)
{
	uint8_t b[4];

	if (cry_random(c->ops, b, sizeof(b)) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	*spi = ike_get_u32(b) | 0x100;	/* never 0-255 */
	return IKE_INIT_R_DONE;
}

void
ike_init_keys_input(struct ike_keys_input *in, uint64_t spi_i, uint64_t spi_r, const uint8_t *ni,
		    size_t ni_len, const uint8_t *nr, size_t nr_len)
{
	in->ni = ni;
	in->ni_len = ni_len;
	in->nr = nr;
	in->nr_len = nr_len;
	ike_put_u64(in->spi_i, spi_i);
	ike_put_u64(in->spi_r, spi_r);
}

enum ike_init_result
ike_init_esp_suite(const struct ike_client *c, bool with_pfs, struct ike_esp_suite *esp)
{
	struct ike_transforms t = c->cfg->esp;

	if (!with_pfs)
		t.ke = IKE_KE_NONE;
	return ike_suite_esp(&t, esp) == IKE_OK ? IKE_INIT_R_DONE : IKE_INIT_R_UNSUPPORTED;
}

/* A response to our outstanding request of an established IKE SA. */
static enum ike_init_result
recv_response(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out, size_t cap,
	      size_t *out_len)
{
	switch (c->state) {
	case IKE_INIT_S_AUTH_SENT:
		return ike_init_auth_recv(c, msg, len);
	case IKE_INIT_S_INT_SENT:
		return ike_init_int_recv(c, msg, len, out, cap, out_len);
	case IKE_INIT_S_REQ_SENT:
		if (c->req == IKE_INIT_REQ_NEW_CHILD || c->req == IKE_INIT_REQ_REKEY_CHILD ||
		    c->req == IKE_INIT_REQ_REKEY_IKE)
			return ike_init_child_recv(c, msg, len, out, cap, out_len);
		if (c->req == IKE_INIT_REQ_FOLLOWUP_KE)
			return ike_init_followup_recv(c, msg, len, out, cap, out_len);
		return ike_init_info_recv(c, msg, len);
	default:
		return IKE_INIT_R_IGNORED;
	}
}

enum ike_init_result
ike_init_recv(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out, size_t cap,
	      size_t *out_len)
{
	uint8_t flags;

	*out_len = 0;
	if (len < IKE_HDR_LEN)
		return IKE_INIT_R_MALFORMED;
	/* Only messages of our IKE SA, sent by the original responder (I clear). */
	flags = msg[19];
	if (ike_get_u64(msg) != c->spi_i || (flags & IKE_HDR_F_INITIATOR))
		return IKE_INIT_R_IGNORED;
	if (c->state == IKE_INIT_S_SA_INIT_SENT)
		return ike_init_sa_init_recv(c, msg, len, out, cap, out_len);
	if (c->state == IKE_INIT_S_RESUME_SENT)
		return ike_init_resume_recv(c, msg, len, out, cap, out_len);
	if (ike_get_u64(msg + 8) != c->spi_r)
		return IKE_INIT_R_IGNORED;
	if (flags & IKE_HDR_F_RESPONSE) {
		if (ike_get_u32(msg + 20) != c->msg_id)
			return IKE_INIT_R_IGNORED;	/* late answer to an older request */
		if (msg[16] == IKE_PLD_SKF) {
			/* RFC 7383: the response once all its fragments are here. */
			enum ike_init_result r = ike_init_frag_recv(c, msg, len, &len);

			if (r != IKE_INIT_R_DONE)
				return r;
			msg = c->frag_buf->msg;
		}
		return recv_response(c, msg, len, out, cap, out_len);
	}
	if (c->state != IKE_INIT_S_ESTABLISHED && c->state != IKE_INIT_S_REQ_SENT)
		return IKE_INIT_R_IGNORED;
	return ike_init_peer_request(c, msg, len, out, cap, out_len);
}
