/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_sa_list.c - the established IKE SAs of a shard, a page at a time,
 * for the operator's listing. Every established SA is on the list of its
 * identity (ike_sa_peer_link), so the walk goes identity by identity and
 * SA by SA; the cursor names the next SA by its SPI, so nothing is held
 * between pages. When that SA went away meanwhile, the walk goes on with
 * the next identity: a listing taken while SAs come and go is not a
 * snapshot (it may miss SAs that came or left while it ran).
 */
#include <string.h>

#include "ike_core_priv.h"

_Static_assert(IKE_SA_MAX_CHILDREN == 4, "struct ike_sa_info has room for 4 Child SAs");

static void
fill(const struct ike_shard *s, const struct ike_sa *sa, uint64_t now_ms, struct ike_sa_info *o)
{
	const struct ike_peer_cfg *pc = &s->peers_cfg[sa->peer_idx];
	unsigned i, n = 0;

	memset(o, 0, sizeof(*o));
	o->spi_i = sa->spi_i;
	o->spi_r = ike_sa_spi_r(s, sa);
	o->local = *ike_sa_local(s, sa);
	o->remote = sa->remote;
	o->id_type = pc->id_type;
	o->id_len = pc->id_len;
	memcpy(o->id, pc->id, pc->id_len);
	o->any_id = pc->any_id;
	o->cipher = (uint8_t)sa->k_out.cipher;
	o->integ = (uint8_t)sa->k_out.integ;
	o->enc_key_bits = (uint16_t)(sa->k_out.enc_key_len * 8u);
	o->prf = sa->prf;
	o->age_ms = now_ms / 1000 > sa->est_s ? now_ms - (uint64_t)sa->est_s * 1000 : 0;
	o->auth_deadline = sa->auth_deadline;
	o->nat_peer = sa->nat_peer;
	for (i = 0; i < IKE_SA_MAX_CHILDREN; i++)
		if (sa->child[i].spi_in != 0) {
			o->child[n].spi_in = sa->child[i].spi_in;
			o->child[n++].spi_out = sa->child[i].spi_out;
		}
	o->nb_children = (uint8_t)n;
}

unsigned
ike_shard_list_sas(const struct ike_shard *s, struct ike_sa_cursor *c, uint64_t now_ms,
		   struct ike_sa_info *out, unsigned n)
{
	const struct ike_sa *sa;
	unsigned k = 0;

	while (!c->done && k < n) {
		if (c->peer >= s->nb_peers) {
			c->done = true;
			break;
		}
		sa = satable_lookup(s->sas, c->spi != 0 ? c->spi : s->peers[c->peer].sa_head);
		if (sa == NULL || sa->peer_idx != c->peer) {
			c->peer++;
			c->spi = 0;
			continue;
		}
		if (sa->state == IKE_SA_ESTABLISHED)
			fill(s, sa, now_ms, &out[k++]);
		c->spi = ike_sa_link_spi(s, sa->peer_next);
		if (c->spi == 0)
			c->peer++;
	}
	return k;
}
