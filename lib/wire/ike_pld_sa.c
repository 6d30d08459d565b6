/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_pld_sa.c - Security Association payload decoder: proposals (RFC 7296
 * 3.3.1), transforms (3.3.2) and transform attributes (3.3.5). Structure
 * is checked strictly; acceptability of algorithms (3.3.6) is left to the
 * proposal selection, which sees unknown attributes flagged per transform.
 */
#include <string.h>

#include "ike_buf.h"
#include "ike_pld.h"

#define PROP_HDR_LEN	8
#define XFORM_HDR_LEN	8
#define ATTR_HDR_LEN	4

static enum ike_parse_status
parse_attrs(const uint8_t *p, size_t len, struct ike_xform *xf)
{
	size_t off = 0;

	while (off < len) {
		uint16_t type_af, val;
		size_t alen;

		if (len - off < ATTR_HDR_LEN)
			return IKE_PARSE_SA_ATTR_LENGTH;
		type_af = ike_get_u16(p + off);
		val = ike_get_u16(p + off + 2);
		if (type_af & IKE_ATTR_AF) {
			alen = ATTR_HDR_LEN;
		} else {
			alen = ATTR_HDR_LEN + (size_t)val;
			if (alen > len - off)
				return IKE_PARSE_SA_ATTR_LENGTH;
		}
		if ((type_af & IKE_ATTR_TYPE_MASK) == IKE_ATTR_KEY_LENGTH) {
			/* 3.3.5: Key Length is TV; a TLV encoding is malformed. */
			if (!(type_af & IKE_ATTR_AF))
				return IKE_PARSE_SA_ATTR_FORMAT;
			if (xf->has_key_len)
				return IKE_PARSE_SA_ATTR_DUPLICATE;
			xf->has_key_len = true;
			xf->key_len = val;
		} else {
			xf->unknown_attr = true;
		}
		off += alen;
	}
	return IKE_PARSE_OK;
}

static enum ike_parse_status
parse_xforms(const uint8_t *p, size_t len, unsigned int claimed, struct ike_pld_sa *sa)
{
	unsigned int count = 0;
	size_t off = 0;

	while (off < len) {
		enum ike_parse_status st;
		struct ike_xform *xf;
		uint8_t last;
		size_t xlen;

		if (len - off < XFORM_HDR_LEN)
			return IKE_PARSE_SA_XFORM_LENGTH;
		last = p[off];
		xlen = ike_get_u16(p + off + 2);
		if (xlen < XFORM_HDR_LEN || xlen > len - off)
			return IKE_PARSE_SA_XFORM_LENGTH;
		if (count >= claimed)
			return IKE_PARSE_SA_XFORM_COUNT;
		if (last != (count + 1 == claimed ? IKE_SUBSTRUCT_LAST
						   : IKE_SUBSTRUCT_MORE_TRANSFORMS))
			return IKE_PARSE_SA_XFORM_LAST;
		if (sa->n_xf >= IKE_SA_MAX_TRANSFORMS)
			return IKE_PARSE_SA_TOO_MANY_TRANSFORMS;
		xf = &sa->xf[sa->n_xf];
		memset(xf, 0, sizeof(*xf));
		xf->type = p[off + 4];
		xf->id = ike_get_u16(p + off + 6);
		st = parse_attrs(p + off + XFORM_HDR_LEN, xlen - XFORM_HDR_LEN, xf);
		if (st != IKE_PARSE_OK)
			return st;
		sa->n_xf++;
		count++;
		off += xlen;
	}
	if (count != claimed)
		return IKE_PARSE_SA_XFORM_COUNT;
	return IKE_PARSE_OK;
}

static bool
spi_size_ok(uint8_t proto, uint8_t spi_size)
{
	/* 3.3.1: 0 in IKE_SA_INIT, 8 when rekeying the IKE SA, 4 for ESP and AH. */
	if (proto == IKE_PROTO_IKE)
		return spi_size == 0 || spi_size == IKE_SPI_LEN;
	return spi_size == IKE_CHILD_SPI_LEN;
}

enum ike_parse_status
ike_pld_sa_parse(const uint8_t *body, size_t len, struct ike_pld_sa *sa)
{
	size_t off = 0;

	sa->n_prop = 0;
	sa->n_xf = 0;
	if (len == 0)
		return IKE_PARSE_SA_EMPTY;
	while (off < len) {
		enum ike_parse_status st;
		struct ike_prop *pr;
		uint8_t last, num, proto, spi_size, n_xf;
		size_t plen;

		if (len - off < PROP_HDR_LEN)
			return IKE_PARSE_SA_PROP_TRUNCATED;
		last = body[off];
		plen = ike_get_u16(body + off + 2);
		num = body[off + 4];
		proto = body[off + 5];
		spi_size = body[off + 6];
		n_xf = body[off + 7];
		if (plen < PROP_HDR_LEN || plen > len - off)
			return IKE_PARSE_SA_PROP_LENGTH;
		if (last != (off + plen == len ? IKE_SUBSTRUCT_LAST : IKE_SUBSTRUCT_MORE_PROPOSALS))
			return IKE_PARSE_SA_PROP_LAST;
		/*
		 * 3.3.1: numbered 1, 2, ... in an offer; an accepted proposal
		 * keeps its number, so a lone proposal may carry any non-zero one.
		 */
		if (num == 0 || (sa->n_prop > 0 && num != sa->prop[sa->n_prop - 1].num + 1) ||
		    (sa->n_prop == 0 && num != 1 && off + plen != len))
			return IKE_PARSE_SA_PROP_NUMBER;
		if (proto != IKE_PROTO_IKE && proto != IKE_PROTO_AH && proto != IKE_PROTO_ESP)
			return IKE_PARSE_SA_PROP_PROTO;
		if (!spi_size_ok(proto, spi_size))
			return IKE_PARSE_SA_SPI_SIZE;
		if (PROP_HDR_LEN + (size_t)spi_size > plen)
			return IKE_PARSE_SA_PROP_LENGTH;
		if (n_xf == 0)
			return IKE_PARSE_SA_NO_TRANSFORMS;
		if (sa->n_prop >= IKE_SA_MAX_PROPOSALS)
			return IKE_PARSE_SA_TOO_MANY_PROPOSALS;
		pr = &sa->prop[sa->n_prop];
		pr->num = num;
		pr->proto = proto;
		pr->spi_size = spi_size;
		pr->spi = spi_size ? body + off + PROP_HDR_LEN : NULL;
		pr->xf_first = sa->n_xf;
		st = parse_xforms(body + off + PROP_HDR_LEN + spi_size,
				  plen - PROP_HDR_LEN - spi_size, n_xf, sa);
		if (st != IKE_PARSE_OK)
			return st;
		pr->n_xf = n_xf;
		sa->n_prop++;
		off += plen;
	}
	return IKE_PARSE_OK;
}
