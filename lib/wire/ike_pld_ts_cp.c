/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_pld_ts_cp.c - decoders for the two payloads that carry a list of
 * typed entries: Traffic Selectors (RFC 7296 3.13) and Configuration
 * (RFC 7296 3.15) with its attributes (3.15.1).
 */
#include <string.h>

#include "ike_buf.h"
#include "ike_pld.h"

#define TS_HDR_LEN	8	/* type, protocol, length, start port, end port */

static uint8_t
ts_addr_len(uint8_t type)
{
	switch (type) {
	case IKE_TS_IPV4_ADDR_RANGE:
		return 4;
	case IKE_TS_IPV6_ADDR_RANGE:
		return 16;
	default:
		return 0;
	}
}

static enum ike_parse_status
parse_selector(const uint8_t *p, size_t left, struct ike_ts *ts)
{
	size_t slen;

	if (left < 4)
		return IKE_PARSE_TS_SELECTOR_LENGTH;
	memset(ts, 0, sizeof(*ts));
	ts->type = p[0];
	ts->ip_proto = p[1];
	slen = ike_get_u16(p + 2);
	if (slen < 4 || slen > left)
		return IKE_PARSE_TS_SELECTOR_LENGTH;
	ts->sel = p;
	ts->sel_len = (uint16_t)slen;
	ts->addr_len = ts_addr_len(ts->type);
	if (ts->addr_len == 0)
		return IKE_PARSE_OK;
	if (slen != TS_HDR_LEN + 2 * (size_t)ts->addr_len)
		return IKE_PARSE_TS_SELECTOR_LENGTH;
	ts->start_port = ike_get_u16(p + 4);
	ts->end_port = ike_get_u16(p + 6);
	ts->start_addr = p + TS_HDR_LEN;
	ts->end_addr = p + TS_HDR_LEN + ts->addr_len;
	/* 3.13.1: start > end only as OPAQUE ports (65535, 0). */
	if (ts->start_port > ts->end_port && !(ts->start_port == 65535 && ts->end_port == 0))
		return IKE_PARSE_TS_PORT_RANGE;
	if (memcmp(ts->start_addr, ts->end_addr, ts->addr_len) > 0)
		return IKE_PARSE_TS_ADDR_RANGE;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_ts_parse(const uint8_t *body, size_t len, struct ike_pld_ts *ts)
{
	unsigned int claimed;
	size_t off = 4;

	ts->n_ts = 0;
	if (len < 4)
		return IKE_PARSE_TS_LENGTH;
	claimed = body[0];
	if (claimed == 0)
		return IKE_PARSE_TS_EMPTY;
	if (claimed > IKE_TS_MAX)
		return IKE_PARSE_TS_TOO_MANY;
	while (off < len) {
		enum ike_parse_status st;

		if (ts->n_ts == claimed)
			return IKE_PARSE_TS_COUNT;
		st = parse_selector(body + off, len - off, &ts->ts[ts->n_ts]);
		if (st != IKE_PARSE_OK)
			return st;
		off += ts->ts[ts->n_ts].sel_len;
		ts->n_ts++;
	}
	if (ts->n_ts != claimed)
		return IKE_PARSE_TS_COUNT;
	return IKE_PARSE_OK;
}

/* 3.15.1 table: allowed value lengths of the attributes we know. */
static bool
cp_attr_len_ok(uint16_t type, size_t len)
{
	switch (type) {
	case IKE_CP_INTERNAL_IP4_ADDRESS:
	case IKE_CP_INTERNAL_IP4_NETMASK:
	case IKE_CP_INTERNAL_IP4_DNS:
	case IKE_CP_INTERNAL_IP4_NBNS:
	case IKE_CP_INTERNAL_IP4_DHCP:
		return len == 0 || len == 4;
	case IKE_CP_INTERNAL_IP6_ADDRESS:
	case IKE_CP_INTERNAL_IP6_SUBNET:
		return len == 0 || len == 17;
	case IKE_CP_INTERNAL_IP6_DNS:
	case IKE_CP_INTERNAL_IP6_DHCP:
		return len == 0 || len == 16;
	case IKE_CP_INTERNAL_IP4_SUBNET:
		return len == 0 || len == 8;
	case IKE_CP_SUPPORTED_ATTRIBUTES:
		return len % 2 == 0;
	default:
		return true;
	}
}

enum ike_parse_status
ike_pld_cp_parse(const uint8_t *body, size_t len, struct ike_pld_cp *cp)
{
	size_t off = 4;

	cp->n_attr = 0;
	if (len < 4)
		return IKE_PARSE_CP_LENGTH;
	cp->cfg_type = body[0];
	if (cp->cfg_type < IKE_CFG_REQUEST || cp->cfg_type > IKE_CFG_ACK)
		return IKE_PARSE_CP_TYPE;
	while (off < len) {
		struct ike_cp_attr *a;
		size_t alen;

		if (len - off < 4)
			return IKE_PARSE_CP_ATTR_TRUNCATED;
		alen = ike_get_u16(body + off + 2);
		if (alen > len - off - 4)
			return IKE_PARSE_CP_ATTR_TRUNCATED;
		if (cp->n_attr >= IKE_CP_MAX_ATTRS)
			return IKE_PARSE_CP_TOO_MANY_ATTRS;
		a = &cp->attr[cp->n_attr];
		a->type = ike_get_u16(body + off) & IKE_CP_ATTR_TYPE_MASK;
		a->len = (uint16_t)alen;
		a->value = alen ? body + off + 4 : NULL;
		if (!cp_attr_len_ok(a->type, alen))
			return IKE_PARSE_CP_ATTR_LENGTH;
		cp->n_attr++;
		off += 4 + alen;
	}
	return IKE_PARSE_OK;
}
