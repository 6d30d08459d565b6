/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Outcomes shared by every lib module, as one X-macro table: the enum and
 * the names used in logs and counters come from the same list.
 * Wire parsing has its own, finer list (ike_parse_status in wire/).
 */
#ifndef IKE_STATUS_H
#define IKE_STATUS_H

#define IKE_STATUS_LIST(X)                                                                         \
	X(IKE_OK, "ok")                                                                            \
	X(IKE_E_PARAM, "bad-parameter")                                                           \
	X(IKE_E_NOSPACE, "no-space")                                                              \
	X(IKE_E_UNSUPPORTED, "unsupported-algorithm")                                             \
	X(IKE_E_CRYPTO, "crypto-failure")                                                         \
	X(IKE_E_INTEGRITY, "integrity-check-failed")                                              \
	X(IKE_E_MALFORMED, "malformed")

enum ike_status {
#define IKE_STATUS_ENUM(e, s) e,
	IKE_STATUS_LIST(IKE_STATUS_ENUM)
#undef IKE_STATUS_ENUM
		IKE_STATUS_COUNT
};

const char *ike_status_name(enum ike_status st);

#endif
