/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_build.c - message builder core: IKE header (RFC 7296 3.1), generic
 * payload header chaining and length fix-ups (3.2), and the payloads with
 * a fixed head and one variable field (3.4-3.12, 3.16).
 */
#include <string.h>

#include "ike_build.h"
#include "ike_build_priv.h"

#define HDR_NP_OFF	16
#define HDR_LEN_OFF	24

void
ike_mb_init(struct ike_mb *b, uint8_t *buf, size_t cap, uint64_t spi_i, uint64_t spi_r,
	    uint8_t exchange, uint8_t flags, uint32_t msg_id)
{
	memset(b, 0, sizeof(*b));
	ike_wr_init(&b->w, buf, cap);
	b->np_off = HDR_NP_OFF;
	ike_wr_u64(&b->w, spi_i);
	ike_wr_u64(&b->w, spi_r);
	ike_wr_u8(&b->w, IKE_PLD_NONE);
	ike_wr_u8(&b->w, IKE_VERSION_2);
	ike_wr_u8(&b->w, exchange);
	ike_wr_u8(&b->w, flags);
	ike_wr_u32(&b->w, msg_id);
	ike_wr_u32(&b->w, IKE_HDR_LEN);
}

void
ike_mb_fail(struct ike_mb *b)
{
	b->bad_param = true;
	b->w.err = true;
}

size_t
ike_mb_pld_begin(struct ike_mb *b, uint8_t type, bool critical)
{
	size_t start = b->w.off;

	/* Nothing may follow a closed SK/SKF (RFC 7296 3.14). */
	if (b->sk_done || (b->skf && b->in_sk))
		ike_mb_fail(b);
	if (b->w.err)
		return 0;
	ike_wr_u8(&b->w, IKE_PLD_NONE);
	ike_wr_u8(&b->w, critical ? IKE_PLD_F_CRITICAL : 0);
	ike_wr_u16(&b->w, 0);
	if (b->w.err)
		return 0;
	b->w.p[b->np_off] = type;
	b->np_off = start;
	return start;
}

void
ike_mb_pld_end(struct ike_mb *b, size_t start)
{
	size_t plen = b->w.off - start;

	if (b->w.err)
		return;
	if (plen > UINT16_MAX || b->w.off > IKE_MSG_MAX_LEN) {
		b->w.err = true;	/* too big for the length fields: no space */
		return;
	}
	ike_put_u16(b->w.p + start + 2, (uint16_t)plen);
	ike_put_u32(b->w.p + HDR_LEN_OFF, (uint32_t)b->w.off);
}

enum ike_status
ike_mb_finish(struct ike_mb *b, size_t *len)
{
	if (b->in_sk)
		ike_mb_fail(b);
	if (b->w.err) {
		*len = 0;
		return b->bad_param ? IKE_E_PARAM : IKE_E_NOSPACE;
	}
	*len = b->w.off;
	return IKE_OK;
}

/* Writes len octets from data; data may be NULL only when len is 0. */
void
ike_mb_put(struct ike_mb *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (data == NULL) {
		ike_mb_fail(b);
		return;
	}
	ike_wr_bytes(&b->w, data, len);
}

void
ike_mb_add_payload(struct ike_mb *b, uint8_t type, bool critical, const void *body, size_t len)
{
	size_t s = ike_mb_pld_begin(b, type, critical);

	ike_mb_put(b, body, len);
	ike_mb_pld_end(b, s);
}

/* Payloads shaped  id8 | RESERVED(3) | data  or  id16 | RESERVED(2) | data. */
static void
add_head8(struct ike_mb *b, uint8_t type, uint8_t head, const void *data, size_t len)
{
	size_t s = ike_mb_pld_begin(b, type, false);

	ike_wr_u8(&b->w, head);
	ike_wr_u8(&b->w, 0);
	ike_wr_u16(&b->w, 0);
	ike_mb_put(b, data, len);
	ike_mb_pld_end(b, s);
}

void
ike_mb_add_ke(struct ike_mb *b, uint16_t group, const void *data, size_t len)
{
	size_t s = ike_mb_pld_begin(b, IKE_PLD_KE, false);

	ike_wr_u16(&b->w, group);
	ike_wr_u16(&b->w, 0);
	ike_mb_put(b, data, len);
	ike_mb_pld_end(b, s);
}

void
ike_mb_add_nonce(struct ike_mb *b, const void *data, size_t len)
{
	ike_mb_add_payload(b, IKE_PLD_NONCE, false, data, len);
}

void
ike_mb_add_notify(struct ike_mb *b, uint8_t proto, const void *spi, uint8_t spi_size,
		  uint16_t type, const void *data, size_t len)
{
	size_t s = ike_mb_pld_begin(b, IKE_PLD_NOTIFY, false);

	ike_wr_u8(&b->w, proto);
	ike_wr_u8(&b->w, spi_size);
	ike_wr_u16(&b->w, type);
	ike_mb_put(b, spi, spi_size);
	ike_mb_put(b, data, len);
	ike_mb_pld_end(b, s);
}

void
ike_mb_add_id(struct ike_mb *b, uint8_t pld_type, uint8_t id_type, const void *data, size_t len)
{
	if (pld_type != IKE_PLD_IDI && pld_type != IKE_PLD_IDR) {
		ike_mb_fail(b);
		return;
	}
	add_head8(b, pld_type, id_type, data, len);
}

void
ike_mb_add_auth(struct ike_mb *b, uint8_t method, const void *data, size_t len)
{
	add_head8(b, IKE_PLD_AUTH, method, data, len);
}

void
ike_mb_add_cert(struct ike_mb *b, uint8_t encoding, const void *data, size_t len)
{
	size_t s = ike_mb_pld_begin(b, IKE_PLD_CERT, false);

	ike_wr_u8(&b->w, encoding);
	ike_mb_put(b, data, len);
	ike_mb_pld_end(b, s);
}

void
ike_mb_add_certreq(struct ike_mb *b, uint8_t encoding, const void *data, size_t len)
{
	size_t s = ike_mb_pld_begin(b, IKE_PLD_CERTREQ, false);

	ike_wr_u8(&b->w, encoding);
	ike_mb_put(b, data, len);
	ike_mb_pld_end(b, s);
}

void
ike_mb_add_delete(struct ike_mb *b, uint8_t proto, uint8_t spi_size, uint16_t n_spi,
		  const void *spis)
{
	size_t s = ike_mb_pld_begin(b, IKE_PLD_DELETE, false);

	ike_wr_u8(&b->w, proto);
	ike_wr_u8(&b->w, spi_size);
	ike_wr_u16(&b->w, n_spi);
	ike_mb_put(b, spis, (size_t)n_spi * spi_size);
	ike_mb_pld_end(b, s);
}

void
ike_mb_add_vendor(struct ike_mb *b, const void *data, size_t len)
{
	ike_mb_add_payload(b, IKE_PLD_VENDOR, false, data, len);
}

void
ike_mb_add_eap(struct ike_mb *b, uint8_t code, uint8_t id, uint8_t type, const void *data,
	       size_t len)
{
	bool typed = code == IKE_EAP_REQUEST || code == IKE_EAP_RESPONSE;
	size_t eap_len = typed ? 5 + len : 4;
	size_t s;

	if (eap_len > UINT16_MAX || (!typed && len != 0)) {
		ike_mb_fail(b);
		return;
	}
	s = ike_mb_pld_begin(b, IKE_PLD_EAP, false);
	ike_wr_u8(&b->w, code);
	ike_wr_u8(&b->w, id);
	ike_wr_u16(&b->w, (uint16_t)eap_len);
	if (typed) {
		ike_wr_u8(&b->w, type);
		ike_mb_put(b, data, len);
	}
	ike_mb_pld_end(b, s);
}
