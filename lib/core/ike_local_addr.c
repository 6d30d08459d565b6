/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_local_addr.c - the addresses and ports of our own that a shard's SAs
 * are on. A host has a few (one per interface and family, ports 500 and
 * 4500), so an SA keeps a one-octet index into the shard's table instead
 * of the 20-octet address. Entries are never removed: the table holds
 * every local address this shard has answered on, up to IKE_LOCAL_ADDRS_MAX.
 * A full table refuses SAs on further addresses as a full SA table does
 * (drop_sa_table_full: no counter of its own, /ikefarm/stats has few
 * telemetry entries to spare, docs/operating.md "Telemetry"), and says so
 * in the log once.
 */
#include <string.h>

#include "ike_core_priv.h"
#include "ike_log.h"

static bool
same(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	       memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4) == 0;
}

int
ike_local_addr_index(struct ike_shard *s, const struct ike_addr *a)
{
	unsigned i = s->local_last;

	/* Most datagrams arrive on the address the one before came to. */
	if (i < s->nb_locals && same(&s->locals[i], a))
		return (int)i;
	for (i = 0; i < s->nb_locals; i++)
		if (same(&s->locals[i], a))
			break;
	if (i == s->nb_locals) {
		if (i == IKE_LOCAL_ADDRS_MAX) {
			ike_count(s, IKE_CTR_DROP_SA_TABLE_FULL);
			if (!s->locals_full_logged)
				ike_log(IKE_LOG_WARNING,
					"ikefarm.lib.core: shard %u: %u local addresses and ports in "
					"use: no IKE SA on others (drop_sa_table_full)",
					s->id, IKE_LOCAL_ADDRS_MAX);
			s->locals_full_logged = true;
			return -1;
		}
		s->locals[i] = *a;
		s->nb_locals++;
	}
	s->local_last = (uint16_t)i;
	return (int)i;
}
