/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_child.c - Child SAs (RFC 7296 1.3, 2.9, 2.17): ESP proposal choice,
 * traffic selector narrowing, optional PFS key exchange, KEYMAT, and the
 * hand-over to the data path through the host's callback. The IKE SA keeps
 * only the two SPIs of each Child SA; the keys leave with the callback.
 * With RFC 9370 additional key exchanges chosen in CREATE_CHILD_SA the
 * Child SA gets its SPI now and its keys after the IKE_FOLLOWUP_KE
 * exchanges (ike_followup.c).
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

#define CHILD_SPI_MIN 256 /* RFC 4303 2.1: 1..255 are reserved */

void
ike_sa_keys_load(const struct ike_sa *sa, struct ike_sa_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->prf = (enum cry_prf_alg)sa->prf;
	k->prf_len = sa->prf_len;
	memcpy(k->sk_d, sa->sk_d, sa->prf_len);
}

int
ike_child_find_out(const struct ike_sa *sa, uint32_t spi_out)
{
	for (unsigned i = 0; i < IKE_SA_MAX_CHILDREN; i++)
		if (sa->child[i].spi_in != 0 && sa->child[i].spi_out == spi_out)
			return (int)i;
	return -1;
}

int
ike_child_find_in(const struct ike_sa *sa, uint32_t spi_in)
{
	for (unsigned i = 0; spi_in != 0 && i < IKE_SA_MAX_CHILDREN; i++)
		if (sa->child[i].spi_in == spi_in)
			return (int)i;
	return -1;
}

void
ike_child_delete(struct ike_shard *s, struct ike_sa *sa, unsigned i)
{
	struct ike_child_info info;

	memset(&info, 0, sizeof(info));
	info.spi_in = sa->child[i].spi_in;
	info.spi_out = sa->child[i].spi_out;
	info.local = *ike_sa_local(s, sa);
	info.remote = sa->remote;
	info.ike_spi = ike_sa_spi_r(s, sa);
	ike_cp_vip(s, sa, &info.vip);
	info.install = false;
	s->child_cb(s->cb_arg, &info);
	sa->child[i].spi_in = 0;
	sa->child[i].spi_out = 0;
	ike_count(s, IKE_CTR_CHILD_DELETED);
}

void
ike_child_moved(struct ike_shard *s, const struct ike_sa *sa)
{
	struct ike_child_info info;

	for (unsigned i = 0; i < IKE_SA_MAX_CHILDREN; i++) {
		if (sa->child[i].spi_in == 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.spi_in = sa->child[i].spi_in;
		info.spi_out = sa->child[i].spi_out;
		info.ike_spi = ike_sa_spi_r(s, sa);
		info.install = true;
		info.moved = true;
		s->child_cb(s->cb_arg, &info);
	}
}

/* encryption key | salt | integrity key (RFC 7296 2.17 order). */
static void
pack_keys(const struct cry_sk_keys *k, const struct ike_cipher_suite *c, uint8_t *out)
{
	memcpy(out, k->enc_key, c->enc_key_len);
	memcpy(out + c->enc_key_len, k->salt, c->salt_len);
	memcpy(out + c->enc_key_len + c->salt_len, k->integ_key, c->integ_key_len);
}

static void
ts_of(const struct ike_ts *t, struct ike_child_ts *out)
{
	memset(out, 0, sizeof(*out));
	if (t->addr_len != 4 && t->addr_len != 16)
		return;
	out->family = t->addr_len == 4 ? 4 : 6;
	memcpy(out->start, t->start_addr, t->addr_len);
	memcpy(out->end, t->end_addr, t->addr_len);
}

void
ike_child_ts(const struct ike_pld_ts *ts, struct ike_child_ts *out)
{
	memset(out, 0, sizeof(*out));
	if (ts->n_ts != 0)
		ts_of(&ts->ts[0], out);
}

/* The first selector of ts, and the first of the other family in *other (family 0: none). */
static void
ts_pair(const struct ike_pld_ts *ts, struct ike_child_ts *first, struct ike_child_ts *other)
{
	ike_child_ts(ts, first);
	memset(other, 0, sizeof(*other));
	for (unsigned i = 1; first->family != 0 && i < ts->n_ts; i++) {
		ts_of(&ts->ts[i], other);
		if (other->family != 0 && other->family != first->family)
			return;
	}
	memset(other, 0, sizeof(*other));
}

void
ike_child_tsi(const struct ike_pld_ts *ts, struct ike_child_info *info)
{
	ts_pair(ts, &info->tsi, &info->tsi2);
}

void
ike_child_tsr(const struct ike_pld_ts *ts, struct ike_child_info *info)
{
	ts_pair(ts, &info->tsr, &info->tsr2);
}

uint32_t
ike_child_new_spi(struct ike_shard *s, const struct ike_child_info *info)
{
	uint32_t spi;

	if (s->child_spi != NULL)
		return s->child_spi(s->cb_arg, info);
	do
		spi = (uint32_t)ike_rand64(s);
	while (spi < CHILD_SPI_MIN);
	return spi;
}

/* Gives back an SPI of ours that never got keys (the host's chooser may have reserved it). */
void
ike_child_release(struct ike_shard *s, struct ike_child_info *info)
{
	info->install = false;
	s->child_cb(s->cb_arg, info);
	ike_wipe(info, sizeof(*info));
}

/*
 * Everything of the Child SA but its keys, and our SPI from the host.
 * Returns 0, or the notify to answer with (counted here).
 */
static uint16_t
prepare(struct ike_shard *s, struct ike_sa *sa, const struct ike_suite_cfg *sc,
	const struct ike_child_req *c, uint32_t spi_out, const struct ike_pld_ts *tsi,
	const struct ike_pld_ts *tsr, struct ike_child_info *info)
{
	memset(info, 0, sizeof(*info));
	info->spi_out = spi_out;
	info->local = *ike_sa_local(s, sa);
	info->remote = sa->remote;
	info->ike_spi = ike_sa_spi_r(s, sa);
	info->replaces_spi_in = c->replaces_spi_in;
	info->natt = sa->nat_peer || sa->nat_local;
	info->esn = sc->esn;
	ike_child_tsi(tsi, info);
	ike_child_tsr(tsr, info);
	ike_cp_vip(s, sa, &info->vip);
	info->encr_id = sc->encr_id;
	info->encr_key_bits = sc->encr_key_bits;
	info->integ_id = sc->integ_id;
	info->spi_in = ike_child_new_spi(s, info);
	if (info->spi_in == 0) {
		/* The host's SPI chooser has no free slot: its data-path table is full. */
		ike_count(s, IKE_CTR_CHILD_NO_SLOT);
		return IKE_N_NO_ADDITIONAL_SAS;
	}
	return 0;
}

uint16_t
ike_child_install(struct ike_shard *s, struct ike_sa *sa, const struct ike_esp_suite *esp,
		  struct ike_child_info *info, const struct ike_child_secrets *k)
{
	struct ike_keys_input in;
	struct ike_child_keys ck;
	struct ike_sa_keys sk;
	enum ike_status st;
	unsigned slot;

	for (slot = 0; slot < IKE_SA_MAX_CHILDREN; slot++)
		if (sa->child[slot].spi_in == 0)
			break;
	if (slot == IKE_SA_MAX_CHILDREN) {
		ike_child_release(s, info);
		ike_count(s, IKE_CTR_CHILD_NO_SLOT);
		return IKE_N_NO_ADDITIONAL_SAS;
	}
	memset(&in, 0, sizeof(in));
	in.ni = k->ni;
	in.ni_len = k->ni_len;
	in.nr = k->nr;
	in.nr_len = k->nr_len;
	ike_sa_keys_load(sa, &sk);
	st = ike_keys_derive_child_addke(s->ops, &sk, esp, &in, k->sk0, k->sk0_len, k->more,
					 k->more_len, &ck);
	ike_sa_keys_wipe(&sk);
	if (st != IKE_OK) {
		ike_child_keys_wipe(&ck);
		ike_child_release(s, info);
		ike_count(s, IKE_CTR_DROP_CRYPTO);
		return IKE_N_NO_PROPOSAL_CHOSEN;
	}
	/* A rekey whose old Child SA was deleted meanwhile (RFC 9370 2.2.4) replaces none. */
	if (ike_child_find_in(sa, info->replaces_spi_in) < 0)
		info->replaces_spi_in = 0;
	ike_child_hand(s, sa, slot, info, &esp->esp, &ck, false);
	ike_child_keys_wipe(&ck);
	return 0;
}

void
ike_child_hand(struct ike_shard *s, struct ike_sa *sa, unsigned slot, struct ike_child_info *info,
	       const struct ike_cipher_suite *c, const struct ike_child_keys *ck, bool we_initiated)
{
	/* RFC 7296 2.17: the exchange initiator's outbound keys come first. */
	pack_keys(we_initiated ? &ck->resp_to_init : &ck->init_to_resp, c, info->key_in);
	pack_keys(we_initiated ? &ck->init_to_resp : &ck->resp_to_init, c, info->key_out);
	info->install = true;
	s->child_cb(s->cb_arg, info);
	sa->child[slot].spi_in = info->spi_in;
	sa->child[slot].spi_out = info->spi_out;
	ike_wipe(info, sizeof(*info));
	ike_count(s, IKE_CTR_CHILD_INSTALLED);
}

/* SA, [Nr,] [KE,] [N(ADDITIONAL_KEY_EXCHANGE),] TSi, TSr of the answer. */
static void
reply_payloads(struct ike_shard *s, struct ike_mb *mb, const struct ike_child_req *c,
	       const struct ike_prop *prop, const struct ike_suite_cfg *sc, uint32_t spi_in,
	       const uint8_t *pub, size_t pub_len, const struct ike_followup *fu,
	       const struct ike_pld_ts *tsi, const struct ike_pld_ts *tsr)
{
	uint8_t spi_in_wire[IKE_CHILD_SPI_LEN];

	ike_put_u32(spi_in_wire, spi_in);
	ike_proposal_reply(&s->sa_reply, prop, sc, pub != NULL, spi_in_wire, IKE_CHILD_SPI_LEN);
	ike_mb_add_sa(mb, &s->sa_reply);
	if (c->add_nonce)
		ike_mb_add_nonce(mb, c->nr, c->nr_len);
	if (pub != NULL)
		ike_mb_add_ke(mb, sc->ke_id, pub, pub_len);
	if (fu != NULL)
		ike_followup_add_link(mb, fu);
	ike_mb_add_ts(mb, IKE_PLD_TSI, tsi);
	ike_mb_add_ts(mb, IKE_PLD_TSR, tsr);
}

uint16_t
ike_child_create(struct ike_shard *s, struct ike_sa *sa, const struct ike_child_req *c,
		 struct ike_mb *mb, uint16_t *want_group)
{
	const struct ike_core_cfg *cfg = s->cfg;
	uint8_t pub[CRY_MAX_KEX_PUB], g_ir[CRY_MAX_KEX_SECRET];
	size_t pub_len = sizeof(pub), g_len = 0;
	uint8_t tsi_addr[IKE_TS_NARROW_MAX * 2][16], tsr_addr[IKE_TS_NARROW_MAX * 2][16];
	struct ike_followup *fu = NULL;
	struct ike_child_secrets k;
	struct ike_child_info info;
	struct ike_pld_ts tsi, tsr;
	struct ike_suite_cfg suite;
	const struct ike_suite_cfg *sc = &suite;
	const struct ike_prop *prop;
	struct ike_esp_suite esp;
	struct ike_transforms t;
	enum ike_prop_result res;
	unsigned slot, pi;
	uint16_t err;
	bool pfs;

	for (slot = 0; slot < IKE_SA_MAX_CHILDREN; slot++)
		if (sa->child[slot].spi_in == 0)
			break;
	if (slot == IKE_SA_MAX_CHILDREN) {
		ike_count(s, IKE_CTR_CHILD_NO_SLOT);
		return IKE_N_NO_ADDITIONAL_SAS;
	}
	res = ike_proposal_select(c->sa, IKE_PROTO_ESP, IKE_CHILD_SPI_LEN, s->esp_props,
				  s->nb_esp_props, c->pfs_allowed ? IKE_KE_THEIRS : IKE_KE_IGNORE,
				  c->ke ? c->ke->group : 0, &suite, &pi, want_group);
	if (res == IKE_PROP_INVALID_KE) {
		ike_count(s, IKE_CTR_CHILD_INVALID_KE);
		return IKE_N_INVALID_KE_PAYLOAD;
	}
	if (res == IKE_PROP_NONE) {
		ike_count(s, IKE_CTR_CHILD_NO_PROPOSAL);
		ike_proposal_log_refused(s, c->rx,
					 c->add_nonce ? IKE_EXCH_CREATE_CHILD_SA : IKE_EXCH_IKE_AUTH,
					 c->sa, true);
		return IKE_N_NO_PROPOSAL_CHOSEN;
	}
	if (!ike_cp_narrow_tsi(s, sa, c->tsi, &tsi, tsi_addr) ||
	    !ike_ts_narrow(cfg, c->tsr, &tsr, tsr_addr)) {
		ike_count(s, IKE_CTR_CHILD_TS_UNACCEPTABLE);
		return IKE_N_TS_UNACCEPTABLE;
	}
	prop = &c->sa->prop[pi];
	ike_suite_cfg_transforms(sc, &t);
	pfs = c->pfs_allowed && sc->ke_id != 0;
	if (!pfs)
		t.ke = IKE_KE_NONE;
	/* RFC 9370 2.2.4: the additional exchanges come after the CREATE_CHILD_SA's own KE. */
	if (ike_suite_esp(&t, &esp) != IKE_OK || (!pfs && ike_suite_has_addke(sc))) {
		ike_count(s, IKE_CTR_CHILD_NO_PROPOSAL);
		return IKE_N_NO_PROPOSAL_CHOSEN;
	}
	if (pfs) {
		/* A DH answers with its public value; a KEM would answer with its ciphertext. */
		g_len = sizeof(g_ir);
		if (cry_kex_respond(s->ops, sc->ke_id, c->ke->data, c->ke->len, pub, &pub_len, g_ir,
				    &g_len) != IKE_OK) {
			ike_wipe(g_ir, sizeof(g_ir));
			ike_count(s, IKE_CTR_DROP_KE_DATA);
			return IKE_N_INVALID_SYNTAX;
		}
	}
	err = prepare(s, sa, sc, c, ike_get_u32(prop->spi), &tsi, &tsr, &info);
	if (err == 0 && ike_suite_has_addke(sc)) {
		/* Keys and install once the IKE_FOLLOWUP_KE exchanges have run (ike_followup.c). */
		fu = ike_followup_start(s, sa, IKE_FU_CHILD, sc, c->ni, c->ni_len, c->nr, g_ir,
					g_len);
		if (fu == NULL) {
			ike_child_release(s, &info);
			err = IKE_N_TEMPORARY_FAILURE;
		} else {
			fu->esp = esp;
			fu->info = info;
		}
	} else if (err == 0) {
		k = (struct ike_child_secrets){c->ni, c->ni_len, c->nr, c->nr_len, pfs ? g_ir : NULL,
					       g_len, NULL, 0};
		err = ike_child_install(s, sa, &esp, &info, &k);
	}
	ike_wipe(g_ir, sizeof(g_ir));
	if (err != 0)
		return err;
	reply_payloads(s, mb, c, prop, sc, fu != NULL ? fu->info.spi_in : sa->child[slot].spi_in,
		       pfs ? pub : NULL, pub_len, fu, &tsi, &tsr);
	return 0;
}
