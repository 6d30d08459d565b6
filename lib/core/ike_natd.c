/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_natd.c - NAT detection (RFC 7296 2.23) for IKE_SA_INIT and
 * IKE_SESSION_RESUME (RFC 5723 4.3.2: "NAT traversal status SHOULD be
 * determined anew"): N(NAT_DETECTION_SOURCE_IP) and
 * N(NAT_DETECTION_DESTINATION_IP), SHA-1(SPIi | SPIr | IP | Port).
 */
#include <string.h>

#include "ike_core_priv.h"

#define NATD_LEN 20 /* SHA-1 */

static bool
natd_hash(struct ike_shard *s, uint64_t spi_i, uint64_t spi_r, const struct ike_addr *a,
	  uint8_t out[NATD_LEN])
{
	uint8_t buf[2 * IKE_SPI_LEN + 16 + 2];
	size_t ip_len = a->family == 6 ? 16 : 4;

	ike_put_u64(buf, spi_i);
	ike_put_u64(buf + IKE_SPI_LEN, spi_r);
	memcpy(buf + 2 * IKE_SPI_LEN, a->ip, ip_len);
	ike_put_u16(buf + 2 * IKE_SPI_LEN + ip_len, a->port);
	return s->ops->sym->hash(s->ops->sym_ctx, CRY_HASH_SHA1, buf, 2 * IKE_SPI_LEN + ip_len + 2,
				 out) == IKE_OK;
}

/* True when no notify of this type matches the address (absent: no NAT known). */
static bool
natd_mismatch(struct ike_shard *s, const struct ike_msg *m, uint16_t type, const struct ike_addr *a)
{
	uint8_t want[NATD_LEN];
	bool seen = false;

	/* The request's hashes use SPIr = 0 (RFC 7296 2.23). */
	if (!natd_hash(s, m->spi_i, 0, a, want))
		return false;
	for (unsigned i = 0; i < m->n_pld; i++) {
		struct ike_pld_notify n;
		const struct ike_pld *p = &m->pld[i];

		if (p->type != IKE_PLD_NOTIFY ||
		    ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, &n) != IKE_PARSE_OK ||
		    n.type != type)
			continue;
		seen = true;
		if (n.len == NATD_LEN && memcmp(n.data, want, NATD_LEN) == 0)
			return false;
	}
	return seen;
}

void
ike_natd_detect(struct ike_shard *s, const struct ike_msg *m, struct ike_sa *sa)
{
	sa->nat_peer = natd_mismatch(s, m, IKE_N_NAT_DETECTION_SOURCE_IP, &sa->remote);
	sa->nat_local = natd_mismatch(s, m, IKE_N_NAT_DETECTION_DESTINATION_IP, ike_sa_local(s, sa));
}

bool
ike_natd_add(struct ike_shard *s, const struct ike_sa *sa, struct ike_mb *mb)
{
	uint8_t natd[NATD_LEN];

	if (!natd_hash(s, sa->spi_i, ike_sa_spi_r(s, sa), ike_sa_local(s, sa), natd))
		return false;
	ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, natd,
			  NATD_LEN);
	if (!natd_hash(s, sa->spi_i, ike_sa_spi_r(s, sa), &sa->remote, natd))
		return false;
	ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, natd,
			  NATD_LEN);
	return true;
}
