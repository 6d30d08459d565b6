/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_child_rekey_fu.c - RFC 9370 2.2.4 in a Child SA rekey we started
 * (ike_child_rekey.c): the peer's CREATE_CHILD_SA answer chose additional
 * key exchanges and carried N(ADDITIONAL_KEY_EXCHANGE)(link1), so we run
 *   <-- HDR(IKE_FOLLOWUP_KE), SK {KEi(1), N(ADDITIONAL_KEY_EXCHANGE)(link1)}
 *       HDR, SK {KEr(1), N(ADDITIONAL_KEY_EXCHANGE)(link2)} -->
 *   ...
 *   <-- HDR(IKE_FOLLOWUP_KE), SK {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)(link n)}
 *       HDR, SK {KEr(n)} -->
 * one per chosen method in ADDKE order (NONE skipped), each the SA's one
 * tracked request of ike_dpd.c (next message ID, resends, timeout), the
 * link copied from the answer before. After the last answer:
 *   KEYMAT = prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n))  (Ni ours)
 * and the new SA is installed and the old one deleted as without them. An
 * error notify (STATE_NOT_FOUND, INVALID_SYNTAX...) or a bad answer ends
 * the rekey: the new SPI goes back, the old SA stays to its hard limit.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

static struct ike_rekey_fu *
fu_of(struct ike_shard *s, const struct ike_rekey *rk)
{
	return rk->fu_slot != 0 ? &s->rekey_fu[rk->fu_slot - 1] : NULL;
}

void
ike_child_rekey_fu_free(struct ike_shard *s, struct ike_rekey *rk)
{
	struct ike_rekey_fu *fu = fu_of(s, rk);

	if (fu == NULL)
		return;
	if (fu->kex != NULL)
		s->ops->asym->kex_free(s->ops->asym_ctx, fu->kex);
	ike_wipe(fu, sizeof(*fu));
	rk->fu_slot = 0;
}

/* The link of an answer's N(ADDITIONAL_KEY_EXCHANGE), which our next request echoes. */
static bool
take_link(struct ike_req *r, struct ike_rekey_fu *fu)
{
	const struct ike_pld *p = ike_msg_find_notify(&r->msg, IKE_N_ADDITIONAL_KEY_EXCHANGE);
	struct ike_pld_notify n;

	if (p == NULL)
		return false;
	ike_pld_notify_parse(ike_req_body(r, p), p->len, &n);
	if (n.len == 0 || n.len > sizeof(fu->link))
		return false;
	memcpy(fu->link, n.data, n.len);
	fu->link_len = (uint8_t)n.len;
	return true;
}

/* Our key pair of the next exchange, then its request (the SA's tracked one). */
static bool
next_request(struct ike_shard *s, struct ike_sa *sa, struct ike_rekey_fu *fu)
{
	size_t pub_len = sizeof(fu->pub);

	if (fu->kex != NULL)
		s->ops->asym->kex_free(s->ops->asym_ctx, fu->kex);
	fu->kex = NULL;
	/* A DH's public value; a KEM's encapsulation key. */
	if (s->ops->asym->kex_new(s->ops->asym_ctx, fu->addke[fu->done], &fu->kex, fu->pub,
				  &pub_len) != IKE_OK)
		return false;
	fu->pub_len = (uint16_t)pub_len;
	ike_dpd_request_start(s, sa);
	return true;
}

bool
ike_child_rekey_fu_begin(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
			 struct ike_rekey *rk, const struct ike_suite_cfg *suite,
			 const struct ike_esp_suite *esp, const struct ike_child_info *info,
			 const uint8_t *nr, size_t nr_len, const uint8_t *sk0, size_t sk0_len)
{
	struct ike_rekey_fu *fu = NULL;

	for (unsigned i = 0; i < IKE_REKEY_FU_SLOTS && fu == NULL; i++)
		if (!s->rekey_fu[i].used) {
			fu = &s->rekey_fu[i];
			rk->fu_slot = (uint8_t)(i + 1);
		}
	if (fu == NULL || nr_len > sizeof(fu->nr) || sk0_len == 0 || sk0_len > sizeof(fu->sk0)) {
		ike_count(s, fu == NULL ? IKE_CTR_CHILD_REKEY_FU_NO_SLOT
					: IKE_CTR_CHILD_REKEY_FU_BAD_ANSWER);
		return false;
	}
	memset(fu, 0, sizeof(*fu));
	fu->used = 1;
	if (!take_link(r, fu)) {
		ike_count(s, IKE_CTR_CHILD_REKEY_FU_BAD_ANSWER);
		ike_child_rekey_fu_free(s, rk);
		return false;
	}
	fu->n = (uint8_t)ike_suite_addke(suite, fu->addke);
	fu->nr_len = (uint16_t)nr_len;
	memcpy(fu->nr, nr, nr_len);
	fu->sk0_len = (uint16_t)sk0_len;
	memcpy(fu->sk0, sk0, sk0_len);
	fu->esp = *esp;
	fu->info = *info;
	/* The CREATE_CHILD_SA's key pair is done with. */
	if (rk->kex != NULL)
		s->ops->asym->kex_free(s->ops->asym_ctx, rk->kex);
	rk->kex = NULL;
	rk->phase = IKE_REKEY_FOLLOWUP;
	if (!next_request(s, sa, fu)) {
		ike_count(s, IKE_CTR_CHILD_REKEY_FAILED);
		ike_child_rekey_fu_free(s, rk);
		return false;
	}
	ike_count(s, IKE_CTR_CHILD_REKEY_FU_STARTED);
	return true;
}

void
ike_child_rekey_fu_request(struct ike_shard *s, struct ike_rekey *rk, struct ike_mb *mb)
{
	const struct ike_rekey_fu *fu = fu_of(s, rk);

	ike_mb_add_ke(mb, fu->addke[fu->done], fu->pub, fu->pub_len);
	ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, fu->link,
			  fu->link_len);
}

/* KEr(done + 1): SK(done + 1) after the others. False: no valid KE of the method. */
static bool
take_secret(struct ike_shard *s, struct ike_req *r, struct ike_rekey_fu *fu)
{
	const struct ike_pld *ke_p = ike_msg_find(&r->msg, IKE_PLD_KE, 0);
	size_t secret_len = CRY_MAX_KEX_SECRET;
	struct ike_pld_ke ke;
	enum ike_status st;

	if (ke_p == NULL || ike_msg_count(&r->msg, IKE_PLD_KE) != 1 ||
	    sizeof(fu->more) - fu->more_len < CRY_MAX_KEX_SECRET)
		return false;
	ike_pld_ke_parse(ike_req_body(r, ke_p), ke_p->len, &ke);
	if (ke.group != fu->addke[fu->done])
		return false;
	st = s->ops->asym->kex_derive(s->ops->asym_ctx, fu->kex, ke.data, ke.len,
				      fu->more + fu->more_len, &secret_len);
	s->ops->asym->kex_free(s->ops->asym_ctx, fu->kex);
	fu->kex = NULL;
	if (st != IKE_OK)
		return false;
	fu->more_len = (uint16_t)(fu->more_len + secret_len);
	fu->done++;
	return true;
}

/* The last exchange ran: KEYMAT over every secret, then the new SA as without them. */
static void
keyed(struct ike_shard *s, struct ike_sa *sa, struct ike_rekey *rk, struct ike_rekey_fu *fu)
{
	struct ike_child_info info = fu->info;
	struct ike_esp_suite esp = fu->esp;
	struct ike_keys_input in;
	struct ike_child_keys ck;
	struct ike_sa_keys k;
	enum ike_status st;
	bool lowest;

	memset(&in, 0, sizeof(in));
	in.ni = rk->ni; /* 2.17: ours first */
	in.ni_len = sizeof(rk->ni);
	in.nr = fu->nr;
	in.nr_len = fu->nr_len;
	ike_sa_keys_load(sa, &k);
	st = ike_keys_derive_child_addke(s->ops, &k, &esp, &in, fu->sk0, fu->sk0_len, fu->more,
					 fu->more_len, &ck);
	ike_sa_keys_wipe(&k);
	lowest = ike_child_rekey_lowest(rk, fu->nr, fu->nr_len);
	ike_child_rekey_fu_free(s, rk);
	if (st != IKE_OK) {
		ike_count(s, IKE_CTR_CHILD_REKEY_FAILED);
		ike_wipe(&info, sizeof(info));
		ike_child_keys_wipe(&ck);
		if (s->child_spi_free != NULL)
			s->child_spi_free(s->cb_arg, rk->new_spi_in);
		ike_child_rekey_finish(s, sa);
		return;
	}
	ike_child_rekey_install(s, sa, rk, &info, &esp, &ck, lowest);
}

void
ike_child_rekey_fu_answer(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa,
			  struct ike_rekey *rk)
{
	struct ike_rekey_fu *fu = fu_of(s, rk);
	uint16_t err = ike_answer_error(r);
	bool ok;

	ok = err == 0 && take_secret(s, r, fu);
	/* Each answer but the last carries the next link (2.2.4). */
	if (ok && fu->done < fu->n)
		ok = take_link(r, fu);
	if (!ok) {
		/* STATE_NOT_FOUND: the peer lost it; the old SA stays until its hard limit. */
		ike_count(s, err != 0 ? IKE_CTR_CHILD_REKEY_FU_REFUSED
				      : IKE_CTR_CHILD_REKEY_FU_BAD_ANSWER);
		if (s->child_spi_free != NULL)
			s->child_spi_free(s->cb_arg, rk->new_spi_in);
		ike_child_rekey_finish(s, sa);
		return;
	}
	ike_count(s, IKE_CTR_CHILD_REKEY_FU_OK);
	if (fu->done == fu->n) {
		keyed(s, sa, rk, fu);
		return;
	}
	if (!next_request(s, sa, fu)) {
		ike_count(s, IKE_CTR_CHILD_REKEY_FAILED);
		if (s->child_spi_free != NULL)
			s->child_spi_free(s->cb_arg, rk->new_spi_in);
		ike_child_rekey_finish(s, sa);
	}
}
