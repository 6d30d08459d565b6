/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_natd.c - NAT detection from the initiator's side (RFC 7296
 * 2.23), in IKE_SA_INIT and, determined anew, in IKE_SESSION_RESUME
 * (RFC 5723 4.3.2): N(NAT_DETECTION_SOURCE_IP) and
 * N(NAT_DETECTION_DESTINATION_IP) in the request, the responder's compared
 * with our view of the addresses in the response.
 */
#include <string.h>

#include "ike_init_priv.h"

#define SHA1_LEN 20

/* SHA-1(SPIi | SPIr | IP | Port) (RFC 7296 2.23). */
static enum ike_init_result
nat_hash(const struct ike_client *c, uint64_t spi_r, const struct ike_init_addr *a,
	 uint8_t out[SHA1_LEN])
{
	uint8_t d[2 * IKE_SPI_LEN + 16 + 2];
	size_t ip_len = a->family == 6 ? 16 : 4;

	ike_put_u64(d, c->spi_i);
	ike_put_u64(d + 8, spi_r);
	memcpy(d + 16, a->ip, ip_len);
	ike_put_u16(d + 16 + ip_len, a->port);
	if (c->ops->sym->hash(c->ops->sym_ctx, CRY_HASH_SHA1, d, 16 + ip_len + 2, out) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_natd_add(const struct ike_client *c, struct ike_mb *b)
{
	uint8_t src[SHA1_LEN], dst[SHA1_LEN];

	if (!c->cfg->nat_detection || !c->has_addrs)
		return IKE_INIT_R_DONE;
	if (nat_hash(c, 0, &c->local, src) != IKE_INIT_R_DONE ||
	    nat_hash(c, 0, &c->remote, dst) != IKE_INIT_R_DONE)
		return IKE_INIT_R_CRYPTO;
	ike_mb_add_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, src,
			  sizeof(src));
	ike_mb_add_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, dst,
			  sizeof(dst));
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_natd_check(struct ike_client *c, const struct ike_msg *m)
{
	uint8_t want_src[SHA1_LEN], want_dst[SHA1_LEN];
	bool seen_src = false, seen_dst = false, src_ok = false, dst_ok = false;
	struct ike_pld_notify n;

	c->nat_remote = 0;
	c->nat_local = 0;
	if (!c->has_addrs || nat_hash(c, c->spi_r, &c->remote, want_src) != IKE_INIT_R_DONE ||
	    nat_hash(c, c->spi_r, &c->local, want_dst) != IKE_INIT_R_DONE)
		return c->has_addrs ? IKE_INIT_R_CRYPTO : IKE_INIT_R_DONE;
	for (unsigned int i = 0; i < m->n_pld; i++) {
		const struct ike_pld *p = &m->pld[i];

		if (p->type != IKE_PLD_NOTIFY ||
		    ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, &n) != IKE_PARSE_OK ||
		    n.len != SHA1_LEN)
			continue;
		if (n.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			seen_src = true;
			src_ok |= memcmp(n.data, want_src, SHA1_LEN) == 0;
		} else if (n.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			seen_dst = true;
			dst_ok |= memcmp(n.data, want_dst, SHA1_LEN) == 0;
		}
	}
	c->nat_remote = seen_src && !src_ok;
	c->nat_local = seen_dst && !dst_ok;
	return IKE_INIT_R_DONE;
}
