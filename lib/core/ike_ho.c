/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ho.c - half-open slots (struct ike_ho) and room in the SA table.
 *
 * Slots in use are kept in age order. When none is free, the oldest
 * half-open SA is dropped for the new one (half_open_evicted): once cookies
 * are on (ike_cookie.c) new half-open SAs come only from initiators that
 * receive at their address, so the oldest are the likeliest to be a
 * flood's leftovers, and a legitimate initiator that lost its slot retries.
 *
 * The SA table holds max_ike_sas established SAs plus max_half_open
 * half-open ones, so a full table of established SAs still answers
 * IKE_SA_INIT: the initiator may be replacing its own SAs with
 * INITIAL_CONTACT, which only its IKE_AUTH shows (ike_exch_auth.c).
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_secret.h"

static void
age_unlink(struct ike_shard *s, uint32_t i)
{
	ike_age_unlink(&s->ho_age, &s->ho[0].age, sizeof(s->ho[0]), i);
}

static void
age_append(struct ike_shard *s, uint32_t i)
{
	ike_age_append(&s->ho_age, &s->ho[0].age, sizeof(s->ho[0]), i);
}

/* Drops the oldest half-open SA (an SA already on its way out included). */
static void
evict_oldest(struct ike_shard *s)
{
	uint32_t i = s->ho_age.oldest;
	struct ike_sa *sa;

	if (i == IKE_NO_SLOT)
		return;
	sa = s->ho[i].spi_r != 0 ? satable_lookup(s->sas, s->ho[i].spi_r) : NULL;
	ike_count(s, IKE_CTR_HALF_OPEN_EVICTED);
	if (sa != NULL && sa->ho_slot == i) {
		ike_sa_remove(s, sa); /* releases the slot */
		return;
	}
	ike_ho_free(s, i);
}

uint32_t
ike_ho_alloc(struct ike_shard *s)
{
	uint32_t i;

	if (s->ho_nfree == 0)
		evict_oldest(s);
	if (s->ho_nfree == 0)
		return IKE_NO_SLOT;
	i = s->ho_free[--s->ho_nfree];
	s->ho[i].spi_r = 0;
	/* No IKE_INTERMEDIATE, IntAuth or ADDKE state until an exchange sets it. */
	memset(&s->ho[i].im, 0, sizeof(s->ho[i].im));
	age_append(s, i);
	return i;
}

void
ike_ho_free(struct ike_shard *s, uint32_t i)
{
	age_unlink(s, i);
	s->ho[i].spi_r = 0;
	ike_wipe(&s->ho[i].im, sizeof(s->ho[i].im)); /* IntAuth values */
	s->ho_free[s->ho_nfree++] = i;
}

void
ike_ho_release(struct ike_shard *s, struct ike_sa *sa)
{
	struct ike_ho *ho;

	if (sa->ho_slot == IKE_NO_SLOT)
		return;
	ho = &s->ho[sa->ho_slot];
	halfopen_remove(s->ho_index, &ho->key);
	ike_wipe(ho->sk_pi, sizeof(ho->sk_pi));
	ike_wipe(ho->sk_pr, sizeof(ho->sk_pr));
	ike_ho_free(s, sa->ho_slot);
	sa->ho_slot = IKE_NO_SLOT;
}

bool
ike_sa_room(const struct ike_shard *s)
{
	uint32_t established = ike_shard_nb_sas(s);

	if (established < s->cfg->max_ike_sas)
		return true;
	/* SAs ended in this burst still hold their slots until its end. */
	for (unsigned i = 0; i < s->ndying; i++) {
		const struct ike_sa *sa = satable_lookup(s->sas, s->dying[i]);

		if (sa != NULL && sa->ho_slot == IKE_NO_SLOT)
			established--;
	}
	return established < s->cfg->max_ike_sas;
}
