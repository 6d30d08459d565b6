/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ticket_codec.c - the resumable state inside a ticket (RFC 5723
 * section 5 items "from the ticket", 6.1), versioned, network byte order,
 * zero-padded to a multiple of IKE_TICKET_STATE_PAD octets so the sealed
 * length does not reveal the identities' lengths (RFC 5723 9.10).
 * Layout of state version 1: docs/tickets.md. Version 2 is version 1
 * followed by a virtual-IP lease (a flags octet, then the IPv4 and/or IPv6
 * address); a state without a lease is still written as version 1, so
 * gateways that know only version 1 keep resuming those.
 */
#include <string.h>

#include "ike_buf.h"
#include "ike_secret.h"
#include "ike_ticket.h"

#define STATE_VERSION 1
#define STATE_VERSION_LEASE 2
#define KNOWN_FLAGS IKE_TICKET_F_EAP
#define KNOWN_LEASE (IKE_TICKET_LEASE_V4 | IKE_TICKET_LEASE_V6)

void
ike_ticket_state_wipe(struct ike_ticket_state *s)
{
	ike_wipe(s, sizeof(*s));
}

static void
ident_write(struct ike_wr *w, const struct ike_ticket_ident *id)
{
	ike_wr_u8(w, id->type);
	ike_wr_u16(w, id->len);
	ike_wr_bytes(w, id->data, id->len);
}

static bool
ident_read(struct ike_rd *r, struct ike_ticket_ident *id)
{
	const uint8_t *p;

	id->type = ike_rd_u8(r);
	id->len = ike_rd_u16(r);
	if (r->err || id->len > IKE_TICKET_IDENT_MAX)
		return false;
	p = ike_rd_bytes(r, id->len);
	if (p == NULL)
		return false;
	memcpy(id->data, p, id->len);
	return true;
}

enum ike_ticket_reason
ike_ticket_state_encode(const struct ike_ticket_state *s, uint8_t *out, size_t cap, size_t *len)
{
	struct ike_wr w;
	uint8_t *zeros;
	size_t pad;

	if (s->sk_d_len == 0 || s->sk_d_len > sizeof(s->sk_d) ||
	    s->id_i.len > IKE_TICKET_IDENT_MAX || s->id_r.len > IKE_TICKET_IDENT_MAX ||
	    s->peer_id.len > IKE_TICKET_IDENT_MAX || s->policy_len > IKE_TICKET_POLICY_MAX ||
	    (s->flags & ~KNOWN_FLAGS) != 0 || (s->lease & ~KNOWN_LEASE) != 0)
		return IKE_TICKET_BAD_STATE;
	ike_wr_init(&w, out, cap);
	ike_wr_u8(&w, s->lease != 0 ? STATE_VERSION_LEASE : STATE_VERSION);
	ike_wr_bytes(&w, s->ticket_id, sizeof(s->ticket_id));
	ike_wr_u64(&w, s->issued);
	ike_wr_u64(&w, s->expires);
	ike_wr_u64(&w, s->auth_deadline);
	ike_wr_bytes(&w, s->spi_i, sizeof(s->spi_i));
	ike_wr_bytes(&w, s->spi_r, sizeof(s->spi_r));
	ike_wr_u16(&w, s->encr);
	ike_wr_u16(&w, s->encr_key_bits);
	ike_wr_u16(&w, s->prf);
	ike_wr_u16(&w, s->integ);
	ike_wr_u8(&w, s->peer_auth);
	ike_wr_u8(&w, s->flags);
	ike_wr_u8(&w, s->sk_d_len);
	ike_wr_bytes(&w, s->sk_d, s->sk_d_len);
	ident_write(&w, &s->id_i);
	ident_write(&w, &s->id_r);
	ident_write(&w, &s->peer_id);
	ike_wr_u8(&w, s->policy_len);
	ike_wr_bytes(&w, s->policy, s->policy_len);
	if (s->lease != 0) {
		ike_wr_u8(&w, s->lease);
		if (s->lease & IKE_TICKET_LEASE_V4)
			ike_wr_bytes(&w, s->vip4, sizeof(s->vip4));
		if (s->lease & IKE_TICKET_LEASE_V6)
			ike_wr_bytes(&w, s->vip6, sizeof(s->vip6));
	}
	pad = (IKE_TICKET_STATE_PAD - w.off % IKE_TICKET_STATE_PAD) % IKE_TICKET_STATE_PAD;
	zeros = ike_wr_reserve(&w, pad);
	if (zeros != NULL)
		memset(zeros, 0, pad);
	if (w.err) {
		ike_wipe(out, cap);
		return IKE_TICKET_NO_SPACE;
	}
	*len = w.off;
	return IKE_TICKET_OK;
}

static bool
padding_ok(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	size_t i;

	if (n >= IKE_TICKET_STATE_PAD)
		return false;
	for (i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

static bool
state_read(struct ike_rd *r, struct ike_ticket_state *s)
{
	const uint8_t *p;

	p = ike_rd_bytes(r, sizeof(s->ticket_id));
	if (p == NULL)
		return false;
	memcpy(s->ticket_id, p, sizeof(s->ticket_id));
	s->issued = ike_rd_u64(r);
	s->expires = ike_rd_u64(r);
	s->auth_deadline = ike_rd_u64(r);
	p = ike_rd_bytes(r, 2 * IKE_TICKET_SPI_LEN);
	if (p == NULL)
		return false;
	memcpy(s->spi_i, p, IKE_TICKET_SPI_LEN);
	memcpy(s->spi_r, p + IKE_TICKET_SPI_LEN, IKE_TICKET_SPI_LEN);
	s->encr = ike_rd_u16(r);
	s->encr_key_bits = ike_rd_u16(r);
	s->prf = ike_rd_u16(r);
	s->integ = ike_rd_u16(r);
	s->peer_auth = ike_rd_u8(r);
	s->flags = ike_rd_u8(r);
	s->sk_d_len = ike_rd_u8(r);
	if (r->err || (s->flags & ~KNOWN_FLAGS) != 0 || s->sk_d_len == 0 ||
	    s->sk_d_len > sizeof(s->sk_d))
		return false;
	p = ike_rd_bytes(r, s->sk_d_len);
	if (p == NULL)
		return false;
	memcpy(s->sk_d, p, s->sk_d_len);
	if (!ident_read(r, &s->id_i) || !ident_read(r, &s->id_r) || !ident_read(r, &s->peer_id))
		return false;
	s->policy_len = ike_rd_u8(r);
	if (r->err || s->policy_len > IKE_TICKET_POLICY_MAX)
		return false;
	p = ike_rd_bytes(r, s->policy_len);
	if (p == NULL)
		return false;
	memcpy(s->policy, p, s->policy_len);
	return true;
}

/* Version 2's lease: flags, then the addresses they announce; a lease of nothing is malformed. */
static bool
lease_read(struct ike_rd *r, struct ike_ticket_state *s)
{
	const uint8_t *p;

	s->lease = ike_rd_u8(r);
	if (r->err || s->lease == 0 || (s->lease & ~KNOWN_LEASE) != 0)
		return false;
	if (s->lease & IKE_TICKET_LEASE_V4) {
		p = ike_rd_bytes(r, sizeof(s->vip4));
		if (p == NULL)
			return false;
		memcpy(s->vip4, p, sizeof(s->vip4));
	}
	if (s->lease & IKE_TICKET_LEASE_V6) {
		p = ike_rd_bytes(r, sizeof(s->vip6));
		if (p == NULL)
			return false;
		memcpy(s->vip6, p, sizeof(s->vip6));
	}
	return true;
}

enum ike_ticket_reason
ike_ticket_state_decode(const uint8_t *p, size_t len, struct ike_ticket_state *s)
{
	enum ike_ticket_reason rc = IKE_TICKET_MALFORMED;
	struct ike_rd r;
	uint8_t version;

	memset(s, 0, sizeof(*s));
	if (len == 0 || len % IKE_TICKET_STATE_PAD != 0)
		goto out;
	ike_rd_init(&r, p, len);
	version = ike_rd_u8(&r);
	if (version != STATE_VERSION && version != STATE_VERSION_LEASE) {
		rc = IKE_TICKET_VERSION_UNKNOWN;
		goto out;
	}
	if (state_read(&r, s) && (version == STATE_VERSION || lease_read(&r, s)) &&
	    padding_ok(p + r.off, ike_rd_left(&r)))
		rc = IKE_TICKET_OK;
out:
	if (rc != IKE_TICKET_OK)
		ike_ticket_state_wipe(s);
	return rc;
}
