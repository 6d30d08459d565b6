/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_creds_merge.c - old indexes kept, removed ones marked, new ones appended. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifd_creds_merge.h"

static uint32_t
id_hash(const struct ike_peer_cfg *p)
{
	uint32_t h = 2166136261u ^ p->id_type; /* FNV-1a: the file is ours, not the wire's */

	for (unsigned i = 0; i < p->id_len; i++)
		h = (h ^ p->id[i]) * 16777619u;
	return h;
}

static bool
same_id(const struct ike_peer_cfg *a, const struct ike_peer_cfg *b)
{
	return a->id_type == b->id_type && a->id_len == b->id_len &&
	       memcmp(a->id, b->id, a->id_len) == 0 && a->any_id == b->any_id;
}

int
ifd_creds_merge(const struct ike_peer_cfg *old, unsigned n_old, const struct ifd_creds *fresh,
		unsigned max, struct ike_peer_cfg **out, unsigned *n_out,
		struct ifd_creds_merge_stats *st, char *why, size_t wlen)
{
	uint32_t size = 1, *slot, mask, h;
	struct ike_peer_cfg *list;
	bool *used;
	unsigned i, n = n_old;

	memset(st, 0, sizeof(*st));
	while (size < 2 * (fresh->nb_peers + 1))
		size <<= 1;
	mask = size - 1;
	slot = calloc(size, sizeof(*slot)); /* fresh index + 1; 0 empty */
	used = calloc(fresh->nb_peers + 1, sizeof(*used));
	list = calloc((size_t)n_old + fresh->nb_peers + 1, sizeof(*list));
	if (slot == NULL || used == NULL || list == NULL) {
		snprintf(why, wlen, "no memory for %u identities", n_old + fresh->nb_peers);
		goto fail;
	}
	for (i = 0; i < fresh->nb_peers; i++) {
		for (h = id_hash(&fresh->peers[i]); slot[h & mask] != 0; h++)
			;
		slot[h & mask] = i + 1;
	}
	for (i = 0; i < n_old; i++) {
		unsigned j = 0;

		list[i] = old[i];
		if (!old[i].removed)
			for (h = id_hash(&old[i]); slot[h & mask] != 0; h++)
				if (same_id(&fresh->peers[slot[h & mask] - 1], &old[i])) {
					j = slot[h & mask];
					break;
				}
		if (j != 0 && !used[j - 1]) {
			used[j - 1] = true;
			list[i] = fresh->peers[j - 1];
			st->kept++;
			continue;
		}
		/* Gone: a tombstone, no secret of the old file kept. */
		st->removed += !old[i].removed;
		list[i].removed = true;
		list[i].psk = NULL;
		list[i].psk_len = 0;
	}
	for (i = 0; i < fresh->nb_peers; i++)
		if (!used[i]) {
			list[n++] = fresh->peers[i];
			st->added++;
		}
	if (n > max) {
		snprintf(why, wlen,
			 "%u identities (%u removed ones keep their slot until a restart) exceed "
			 "[auth] max_users %u",
			 n, n - fresh->nb_peers, max);
		goto fail;
	}
	free(slot);
	free(used);
	*out = list;
	*n_out = n;
	return 0;
fail:
	free(slot);
	free(used);
	free(list);
	return -1;
}

uint32_t
ifd_peers_post(struct ifd_peers_box *b, const struct ike_peer_cfg *peers, unsigned n,
	       const struct ike_proposal_set *props)
{
	uint32_t req = b->req;

	if (__atomic_load_n(&b->done, __ATOMIC_ACQUIRE) != req)
		return 0;
	b->peers = peers;
	b->n = n;
	b->props = props;
	b->refused = false;
	req = req + 1 == 0 ? 1 : req + 1;
	__atomic_store_n(&b->req, req, __ATOMIC_RELEASE);
	return req;
}

bool
ifd_peers_finished(const struct ifd_peers_box *b, uint32_t seq, bool *refused)
{
	if (__atomic_load_n(&b->done, __ATOMIC_ACQUIRE) != seq)
		return false;
	*refused = b->refused;
	return true;
}

bool
ifd_peers_pending(const struct ifd_peers_box *b)
{
	return __atomic_load_n(&b->req, __ATOMIC_ACQUIRE) != b->done;
}

void
ifd_peers_complete(struct ifd_peers_box *b, bool refused)
{
	b->refused = refused;
	__atomic_store_n(&b->done, b->req, __ATOMIC_RELEASE);
}
