/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_followup.c - RFC 9370 2.2.4 additional key exchanges after CREATE_CHILD_SA:
 *   <-- HDR, SK {SA, Nr, KEr, N(ADDITIONAL_KEY_EXCHANGE)(link1), [TSi, TSr]}
 *   HDR(IKE_FOLLOWUP_KE), SK {KEi(1), N(ADDITIONAL_KEY_EXCHANGE)(link1)} -->
 *                    <-- HDR(IKE_FOLLOWUP_KE), SK {KEr(1), N(ADDITIONAL_KEY_EXCHANGE)(link2)}
 *   ...
 *   HDR(IKE_FOLLOWUP_KE), SK {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)(link n)} -->
 *                    <-- HDR(IKE_FOLLOWUP_KE), SK {KEr(n)}
 * One exchange per additional key exchange chosen (ADDKE1 first, NONE
 * skipped), each under the current IKE SA's keys with the next message ID.
 * Only after the last one are the keys made, over every shared secret in
 * order (2.2.5):
 *   Child SA  KEYMAT   = prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n))
 *   IKE SA    SKEYSEED = prf(SK_d (old), SK(0) | Ni | Nr | SK(1) | ... | SK(n))
 * and only then is the Child SA installed or the new IKE SA switched to.
 *
 * The link data is 8 random octets, new for each of our responses. A request
 * whose link names no state of ours (none, another, or timed out) gets
 * STATE_NOT_FOUND and the initiator abandons the SA; a request without the
 * notify or without the expected KE payload, or with KE data that is no
 * valid value, gets INVALID_SYNTAX and the state is freed. A follow-up
 * waits at most cfg->half_open_timeout_ms for the initiator's next request;
 * a new CREATE_CHILD_SA with additional key exchanges on the same IKE SA,
 * a rekey or the deletion of that SA abandon it. Every case is counted;
 * the secrets are wiped whenever a slot is freed.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

static struct ike_followup *
slot_of(struct ike_shard *s, uint64_t spi_r)
{
	for (unsigned i = 0; i < IKE_FOLLOWUP_SLOTS; i++)
		if (s->followup[i].spi_r == spi_r)
			return &s->followup[i];
	return NULL;
}

static bool
expired(const struct ike_shard *s, const struct ike_followup *fu)
{
	return s->now_ms - fu->last_ms > s->cfg->half_open_timeout_ms;
}

/*
 * Frees fu (ctr: its counter, or 0); what was set aside for the new SA goes
 * with it: our Child SA SPI, or the LARVAL IKE SA (not once it has keys).
 */
static void
drop(struct ike_shard *s, struct ike_followup *fu, unsigned ctr)
{
	struct ike_sa *nsa;

	if (ctr != 0)
		ike_count(s, ctr);
	if (fu->kind == IKE_FU_CHILD) {
		if (fu->info.spi_in != 0) /* 0: installed or given back already */
			ike_child_release(s, &fu->info);
	} else {
		nsa = satable_lookup(s->sas, fu->new_spi_r);
		if (nsa != NULL && nsa->state == IKE_SA_LARVAL && nsa->prf_len == 0)
			ike_sa_remove(s, nsa);
	}
	ike_wipe(fu, sizeof(*fu));
}

void
ike_followup_drop_sa(struct ike_shard *s, uint64_t spi_r)
{
	struct ike_followup *fu = spi_r != 0 ? slot_of(s, spi_r) : NULL;

	if (fu != NULL)
		drop(s, fu, IKE_CTR_FOLLOWUP_ABANDONED);
}

void
ike_followup_expire(struct ike_shard *s)
{
	for (unsigned i = 0; i < IKE_FOLLOWUP_SLOTS; i++)
		if (s->followup[i].spi_r != 0 && expired(s, &s->followup[i]))
			drop(s, &s->followup[i], IKE_CTR_FOLLOWUP_TIMEOUT);
}

static bool
new_link(struct ike_shard *s, struct ike_followup *fu)
{
	return cry_random(s->ops, fu->link, sizeof(fu->link)) == IKE_OK;
}

struct ike_followup *
ike_followup_start(struct ike_shard *s, struct ike_sa *sa, uint8_t kind,
		   const struct ike_suite_cfg *sc, const uint8_t *ni, size_t ni_len,
		   const uint8_t *nr, const uint8_t *sk0, size_t sk0_len)
{
	struct ike_followup *fu;

	/* One per IKE SA: a new one means the initiator gave up the older one. */
	ike_followup_drop_sa(s, ike_sa_spi_r(s, sa));
	fu = slot_of(s, 0);
	if (fu == NULL) {
		ike_followup_expire(s);
		fu = slot_of(s, 0);
	}
	if (fu == NULL || ni_len > sizeof(fu->ni) || sk0_len > sizeof(fu->sk0)) {
		ike_count(s, IKE_CTR_FOLLOWUP_NO_SLOT);
		return NULL;
	}
	memset(fu, 0, sizeof(*fu));
	fu->kind = kind;
	fu->n = (uint8_t)ike_suite_addke(sc, fu->addke);
	if (!new_link(s, fu)) {
		ike_count(s, IKE_CTR_FOLLOWUP_NO_SLOT);
		return NULL;
	}
	fu->spi_r = ike_sa_spi_r(s, sa);
	fu->last_ms = s->now_ms;
	fu->ni_len = (uint16_t)ni_len;
	memcpy(fu->ni, ni, ni_len);
	memcpy(fu->nr, nr, sizeof(fu->nr));
	fu->sk0_len = (uint16_t)sk0_len;
	memcpy(fu->sk0, sk0, sk0_len);
	ike_count(s, IKE_CTR_FOLLOWUP_STARTED);
	return fu;
}

void
ike_followup_add_link(struct ike_mb *mb, const struct ike_followup *fu)
{
	ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, fu->link,
			  sizeof(fu->link));
}

/* The last exchange is answered: the new SA from every secret. 0 or the notify to answer. */
static uint16_t
finish(struct ike_shard *s, struct ike_sa *sa, struct ike_followup *fu, struct ike_sa **nsa)
{
	struct ike_child_secrets k = {
		.ni = fu->ni,
		.ni_len = fu->ni_len,
		.nr = fu->nr,
		.nr_len = sizeof(fu->nr),
		.sk0 = fu->sk0,
		.sk0_len = fu->sk0_len,
		.more = fu->more,
		.more_len = fu->more_len,
	};
	uint16_t err;

	if (fu->kind == IKE_FU_CHILD) {
		uint32_t old_in = fu->info.replaces_spi_in, new_in = fu->info.spi_in;

		err = ike_child_install(s, sa, &fu->esp, &fu->info, &k);
		if (err == 0 && ike_child_find_in(sa, old_in) >= 0) {
			ike_count(s, IKE_CTR_CHILD_REKEYED);
			/* Ours of the same SA may be under way (RFC 7296 2.8.1, ike_child_rekey.c). */
			ike_child_rekey_peer(s, sa, old_in, new_in, fu->ni, fu->ni_len, fu->nr,
					     sizeof(fu->nr));
		}
		return err;
	}
	*nsa = satable_lookup(s->sas, fu->new_spi_r);
	if (*nsa == NULL || (*nsa)->state != IKE_SA_LARVAL)
		return IKE_N_TEMPORARY_FAILURE;
	return ike_rekey_keys(s, sa, *nsa, &fu->suite, fu->ni, fu->ni_len, fu->nr, fu->sk0,
			      fu->sk0_len, fu->more, fu->more_len);
}

/*
 * Checks the request against sa's follow-up: 0 and *out when it is the
 * next exchange of one, else the notify answered (and counted).
 */
static uint16_t
check(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa, struct ike_pld_ke *ke,
      struct ike_followup **out)
{
	const struct ike_pld *n_p = ike_msg_find_notify(&r->msg, IKE_N_ADDITIONAL_KEY_EXCHANGE);
	const struct ike_pld *ke_p = ike_msg_find(&r->msg, IKE_PLD_KE, 0);
	struct ike_followup *fu = slot_of(s, ike_sa_spi_r(s, sa));
	struct ike_pld_notify n;

	if (fu != NULL && expired(s, fu)) {
		drop(s, fu, IKE_CTR_FOLLOWUP_TIMEOUT);
		fu = NULL;
	}
	if (n_p == NULL) {
		if (fu != NULL)
			drop(s, fu, 0);
		ike_count(s, IKE_CTR_FOLLOWUP_BAD);
		return IKE_N_INVALID_SYNTAX;
	}
	ike_pld_notify_parse(ike_req_body(r, n_p), n_p->len, &n);
	if (fu == NULL || n.len != sizeof(fu->link) || !ike_ct_eq(n.data, fu->link, n.len)) {
		ike_count(s, IKE_CTR_FOLLOWUP_STATE_NOT_FOUND);
		return IKE_N_STATE_NOT_FOUND;
	}
	if (ke_p == NULL || ike_msg_count(&r->msg, IKE_PLD_KE) != 1) {
		drop(s, fu, IKE_CTR_FOLLOWUP_BAD);
		return IKE_N_INVALID_SYNTAX;
	}
	ike_pld_ke_parse(ike_req_body(r, ke_p), ke_p->len, ke);
	if (ke->group != fu->addke[fu->done]) {
		drop(s, fu, IKE_CTR_FOLLOWUP_BAD);
		return IKE_N_INVALID_SYNTAX;
	}
	*out = fu;
	return 0;
}

void
ike_exch_followup(struct ike_shard *s, struct ike_req *r, struct ike_sa *sa)
{
	uint8_t pub[CRY_MAX_KEX_PUB], secret[CRY_MAX_KEX_SECRET];
	size_t pub_len = sizeof(pub), secret_len = sizeof(secret);
	struct ike_followup *fu = NULL;
	struct ike_sa *nsa = NULL;
	struct ike_reply rep;
	struct ike_pld_ke ke;
	uint16_t err;

	err = check(s, r, sa, &ke, &fu);
	if (err != 0) {
		ike_reply_error(s, r->rx, &r->msg, sa, err);
		return;
	}
	/* A DH answers with its public value; a KEM would answer with its ciphertext. */
	if (cry_kex_respond(s->ops, ke.group, ke.data, ke.len, pub, &pub_len, secret,
			    &secret_len) != IKE_OK ||
	    secret_len > sizeof(fu->more) - fu->more_len) {
		ike_wipe(secret, sizeof(secret));
		ike_count(s, IKE_CTR_DROP_KE_DATA);
		drop(s, fu, IKE_CTR_FOLLOWUP_BAD);
		ike_reply_error(s, r->rx, &r->msg, sa, IKE_N_INVALID_SYNTAX);
		return;
	}
	memcpy(fu->more + fu->more_len, secret, secret_len);
	fu->more_len = (uint16_t)(fu->more_len + secret_len);
	ike_wipe(secret, sizeof(secret));
	fu->done++;
	fu->last_ms = s->now_ms;
	if ((fu->done < fu->n && !new_link(s, fu)) ||
	    !ike_reply_begin(s, &rep, r->rx, &r->msg, ike_sa_spi_r(s, sa), sa)) {
		drop(s, fu, IKE_CTR_FOLLOWUP_ABANDONED);
		return;
	}
	if (fu->done < fu->n) {
		ike_mb_add_ke(&rep.mb, ke.group, pub, pub_len);
		ike_followup_add_link(&rep.mb, fu);
		ike_reply_end(s, &rep);
		ike_count(s, IKE_CTR_FOLLOWUP_OK);
		return;
	}
	err = finish(s, sa, fu, &nsa);
	/* The Child SA was installed or given back; a LARVAL SA that got no keys goes. */
	drop(s, fu, 0);
	if (err != 0) {
		ike_mb_add_notify(&rep.mb, IKE_PROTO_NONE, NULL, 0, err, NULL, 0);
		ike_reply_end(s, &rep);
		return;
	}
	ike_mb_add_ke(&rep.mb, ke.group, pub, pub_len);
	ike_count(s, IKE_CTR_FOLLOWUP_OK);
	ike_count(s, IKE_CTR_FOLLOWUP_DONE);
	if (nsa != NULL)
		ike_rekey_commit(s, sa, nsa);
	ike_reply_end(s, &rep);
	if (nsa != NULL)
		ike_rekey_switch(s, sa, nsa);
}
