/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_msg_parse.c - IKE header (RFC 7296 3.1) and payload chain walk
 * (RFC 7296 3.2, 2.5 critical bit; RFC 7383 2.5 SKF) into struct ike_msg:
 * offsets and lengths only, no allocation, every read bounds-checked.
 */
#include <string.h>

#include "ike_buf.h"
#include "ike_parse.h"

bool
ike_pld_type_known(uint8_t type)
{
	switch (type) {
#define IKE_PLD_CASE(e, v, s) case e:
		IKE_PLD_LIST(IKE_PLD_CASE)
#undef IKE_PLD_CASE
		return type != IKE_PLD_NONE;
	default:
		return false;
	}
}

static bool
is_sk(uint8_t type)
{
	return type == IKE_PLD_SK || type == IKE_PLD_SKF;
}

/*
 * Walks the chain in p[start, end) beginning with first. inner selects
 * the rules for a decrypted SK body: SK/SKF there are forbidden.
 */
static enum ike_parse_status
walk_chain(const uint8_t *p, size_t start, size_t end, uint8_t first, bool inner,
	   struct ike_msg *msg)
{
	uint8_t type = first;
	size_t off = start;

	while (type != IKE_PLD_NONE) {
		uint8_t next;
		bool critical;
		size_t plen;

		if (end - off < IKE_GEN_HDR_LEN)
			return IKE_PARSE_PLD_HDR_TRUNCATED;
		next = p[off];
		critical = (p[off + 1] & IKE_PLD_F_CRITICAL) != 0;
		plen = ike_get_u16(p + off + 2);
		if (plen < IKE_GEN_HDR_LEN)
			return IKE_PARSE_PLD_LEN_SHORT;
		if (plen > end - off)
			return IKE_PARSE_PLD_OVERRUN;

		if (is_sk(type) && inner)
			return IKE_PARSE_SK_NESTED;

		if (ike_pld_type_known(type)) {
			struct ike_pld *d;

			if (msg->n_pld >= IKE_MSG_MAX_PLD)
				return IKE_PARSE_TOO_MANY_PAYLOADS;
			d = &msg->pld[msg->n_pld];
			d->type = type;
			d->critical = critical;
			d->inner = inner;
			d->off = (uint16_t)(off + IKE_GEN_HDR_LEN);
			d->len = (uint16_t)(plen - IKE_GEN_HDR_LEN);
			if (is_sk(type)) {
				/* RFC 7296 3.14 / RFC 7383 2.5: SK and SKF come last. */
				if (off + plen != end)
					return IKE_PARSE_SK_NOT_LAST;
				msg->sk_type = type;
				msg->sk_first = next;
				msg->sk_idx = msg->n_pld;
				msg->sk_off = (uint16_t)off;
				msg->n_pld++;
				return IKE_PARSE_OK;
			}
			msg->n_pld++;
		} else if (critical) {
			/* RFC 7296 2.5: reject, answer UNSUPPORTED_CRITICAL_PAYLOAD. */
			msg->critical_type = type;
			return IKE_PARSE_UNSUPPORTED_CRITICAL;
		}
		off += plen;
		type = next;
	}
	if (off != end)
		return IKE_PARSE_TRAILING_DATA;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_msg_parse(const uint8_t *buf, size_t len, struct ike_msg *msg)
{
	memset(msg, 0, offsetof(struct ike_msg, pld));
	msg->buf = buf;

	if (len < IKE_HDR_LEN)
		return IKE_PARSE_TRUNCATED_HEADER;
	msg->spi_i = ike_get_u64(buf);
	msg->spi_r = ike_get_u64(buf + 8);
	msg->next_payload = buf[16];
	msg->version = buf[17];
	msg->exchange = buf[18];
	msg->flags = buf[19];
	msg->msg_id = ike_get_u32(buf + 20);
	msg->length = ike_get_u32(buf + 24);

	/* RFC 7296 3.1: majors above 2 get INVALID_MAJOR_VERSION; IKEv1 is not ours. */
	if (IKE_VERSION_MAJOR(msg->version) != IKE_VERSION_MAJOR(IKE_VERSION_2))
		return IKE_PARSE_BAD_MAJOR_VERSION;
	if (len > IKE_MSG_MAX_LEN)
		return IKE_PARSE_MSG_TOO_LONG;
	if (msg->length != len)
		return IKE_PARSE_LENGTH_MISMATCH;
	if (msg->spi_i == 0)
		return IKE_PARSE_ZERO_SPI_I;
	return walk_chain(buf, IKE_HDR_LEN, len, msg->next_payload, false, msg);
}

enum ike_parse_status
ike_msg_parse_inner(const uint8_t *plain, size_t len, uint8_t first_type, struct ike_msg *msg)
{
	if (msg->sk_type == IKE_PLD_NONE)
		return IKE_PARSE_NO_SK;
	if (len > IKE_MSG_MAX_LEN)
		return IKE_PARSE_MSG_TOO_LONG;
	msg->plain = plain;
	return walk_chain(plain, 0, len, first_type, true, msg);
}

const struct ike_pld *
ike_msg_find(const struct ike_msg *msg, uint8_t type, unsigned int from)
{
	for (unsigned int i = from; i < msg->n_pld; i++)
		if (msg->pld[i].type == type)
			return &msg->pld[i];
	return NULL;
}

unsigned int
ike_msg_count(const struct ike_msg *msg, uint8_t type)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < msg->n_pld; i++)
		n += msg->pld[i].type == type;
	return n;
}

const struct ike_pld *
ike_msg_find_notify(const struct ike_msg *msg, uint16_t ntype)
{
	for (unsigned int i = 0; i < msg->n_pld; i++) {
		const struct ike_pld *p = &msg->pld[i];

		/* Protocol ID, SPI size, then the 2-octet Notify Message Type. */
		if (p->type == IKE_PLD_NOTIFY && p->len >= 4 &&
		    ike_get_u16(ike_msg_pld_body(msg, p) + 2) == ntype)
			return p;
	}
	return NULL;
}
