/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_names.c - value -> name lookups built from the constant lists, so a
 * new constant gets its name in the same edit.
 */
#include "ike_names.h"

#define UNKNOWN "unknown"
#define NAME_CASE(e, v, s)                                                                         \
	case e:                                                                                    \
		return s;

const char *
ike_exch_name(uint8_t exchange)
{
	switch (exchange) {
		IKE_EXCH_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

const char *
ike_pld_name(uint8_t type)
{
	switch (type) {
		IKE_PLD_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

const char *
ike_notify_name(uint16_t type)
{
	switch (type) {
		IKE_N_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

const char *
ike_transform_type_name(uint8_t type)
{
	switch (type) {
		IKE_TRANSFORM_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

static const char *
encr_name(uint16_t id)
{
	switch (id) {
		IKE_ENCR_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

static const char *
prf_name(uint16_t id)
{
	switch (id) {
		IKE_PRF_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

static const char *
integ_name(uint16_t id)
{
	switch (id) {
		IKE_INTEG_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

static const char *
ke_name(uint16_t id)
{
	switch (id) {
		IKE_KE_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

static const char *
esn_name(uint16_t id)
{
	switch (id) {
		IKE_ESN_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

const char *
ike_transform_id_name(uint8_t type, uint16_t id)
{
	switch (type) {
	case IKE_TRANSFORM_ENCR:
		return encr_name(id);
	case IKE_TRANSFORM_PRF:
		return prf_name(id);
	case IKE_TRANSFORM_INTEG:
		return integ_name(id);
	case IKE_TRANSFORM_ESN:
		return esn_name(id);
	default:
		/* RFC 9370: ADDKE1..7 share the Key Exchange Method registry. */
		if (type >= IKE_TRANSFORM_KE && type <= IKE_TRANSFORM_ADDKE7)
			return ke_name(id);
		return UNKNOWN;
	}
}

const char *
ike_proto_name(uint8_t proto)
{
	switch (proto) {
		IKE_PROTO_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

const char *
ike_auth_method_name(uint8_t method)
{
	switch (method) {
		IKE_AUTH_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

const char *
ike_id_type_name(uint8_t type)
{
	switch (type) {
		IKE_ID_LIST(NAME_CASE)
	}
	return UNKNOWN;
}

const char *
ike_parse_status_name(enum ike_parse_status st)
{
	switch (st) {
#define PARSE_NAME_CASE(e, s, n)                                                                   \
	case e:                                                                                    \
		return s;
		IKE_PARSE_STATUS_LIST(PARSE_NAME_CASE)
#undef PARSE_NAME_CASE
	case IKE_PARSE_STATUS_COUNT:
		break;
	}
	return UNKNOWN;
}

uint16_t
ike_parse_status_notify(enum ike_parse_status st)
{
	switch (st) {
#define PARSE_NOTIFY_CASE(e, s, n)                                                                 \
	case e:                                                                                    \
		return n;
		IKE_PARSE_STATUS_LIST(PARSE_NOTIFY_CASE)
#undef PARSE_NOTIFY_CASE
	case IKE_PARSE_STATUS_COUNT:
		break;
	}
	return 0;
}
