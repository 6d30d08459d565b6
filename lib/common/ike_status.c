/* SPDX-License-Identifier: BSD-3-Clause */
#include "ike_status.h"

static const char *const status_names[] = {
#define IKE_STATUS_NAME(e, s) [e] = s,
	IKE_STATUS_LIST(IKE_STATUS_NAME)
#undef IKE_STATUS_NAME
};

const char *
ike_status_name(enum ike_status st)
{
	if ((unsigned)st >= IKE_STATUS_COUNT)
		return "unknown";
	return status_names[st];
}
