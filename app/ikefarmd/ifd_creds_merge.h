/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_creds_merge - the identity list a credentials reload installs
 * (ike_shard_peers_replace): every identity of the old list keeps its index,
 * with its new credentials when it is still in the file and as a .removed
 * entry when not; identities new to the file come after. Pure.
 */
#ifndef IFD_CREDS_MERGE_H
#define IFD_CREDS_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ifd_creds.h"

struct ifd_creds_merge_stats {
	unsigned kept;
	unsigned added;
	unsigned removed; /* by this reload */
};

/*
 * Builds *out (n_out entries, malloc'ed; PSKs point into fresh's pool, so
 * fresh must outlive it) from the old list and the freshly parsed file.
 * Returns 0, or -1 with why (more than max entries, no memory).
 */
int ifd_creds_merge(const struct ike_peer_cfg *old, unsigned n_old, const struct ifd_creds *fresh,
		    unsigned max, struct ike_peer_cfg **out, unsigned *n_out,
		    struct ifd_creds_merge_stats *st, char *why, size_t wlen);

/*
 * One-slot mailbox per shard for the new list and proposals, like
 * ifd_reauth's: the control thread fills it while idle and bumps req; the
 * worker calls ike_shard_proposals_replace() (props not NULL) and
 * ike_shard_peers_replace() between bursts until done, then done = req.
 */
struct ifd_peers_box {
	uint32_t req;  /* control thread */
	uint32_t done; /* worker */
	const struct ike_peer_cfg *peers;
	unsigned n;
	const struct ike_proposal_set *props; /* NULL: the proposals stay */
	bool refused; /* worker: the shard could not take the list or the proposals */
};

uint32_t ifd_peers_post(struct ifd_peers_box *b, const struct ike_peer_cfg *peers, unsigned n,
			const struct ike_proposal_set *props);
bool ifd_peers_finished(const struct ifd_peers_box *b, uint32_t seq, bool *refused);
/* Worker side: the list to install (b->peers, b->n), or false. */
bool ifd_peers_pending(const struct ifd_peers_box *b);
void ifd_peers_complete(struct ifd_peers_box *b, bool refused);

#endif
