/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names of protocol numbers and parse statuses for logs and telemetry,
 * generated from the X-macro lists of ike_const.h and ike_parse.h.
 * Unknown values give "unknown"; the result is never NULL.
 */
#ifndef IKE_NAMES_H
#define IKE_NAMES_H

#include <stdint.h>

#include "ike_parse.h"

const char *ike_exch_name(uint8_t exchange);
const char *ike_pld_name(uint8_t type);
const char *ike_notify_name(uint16_t type);
const char *ike_transform_type_name(uint8_t type);
/** Transform ID name within its transform type (ENCR, PRF, INTEG, KE, ESN, ADDKEn). */
const char *ike_transform_id_name(uint8_t type, uint16_t id);
const char *ike_proto_name(uint8_t proto);
const char *ike_auth_method_name(uint8_t method);
const char *ike_id_type_name(uint8_t type);
const char *ike_parse_status_name(enum ike_parse_status st);
/** Notify type to answer st with (RFC 7296 2.5, 3.10.1); 0 when none. */
uint16_t ike_parse_status_notify(enum ike_parse_status st);

#endif
