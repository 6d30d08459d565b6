/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_ticket_codec.c - libFuzzer entry point for the ticket state codec
 * (lib/ticket/ike_ticket_codec.c), the bytes a ticket holds once opened.
 * A state that decodes must encode back to the very same octets (the
 * padding is fixed, so there is one encoding), and decode again to the
 * same state.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "ike_ticket.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_ticket_state s, again;
	static uint8_t out[IKE_TICKET_STATE_MAX];
	enum ike_ticket_reason r;
	size_t len = 0;

	r = ike_ticket_state_decode(data, size, &s);
	check(r == IKE_TICKET_OK || r == IKE_TICKET_MALFORMED || r == IKE_TICKET_VERSION_UNKNOWN);
	if (r != IKE_TICKET_OK) {
		/* A refused state is wiped: no half-decoded secret stays behind. */
		static const struct ike_ticket_state zero;

		check(memcmp(&s, &zero, sizeof(s)) == 0);
		return 0;
	}
	r = ike_ticket_state_encode(&s, out, sizeof(out), &len);
	if (size > sizeof(out)) {
		check(r == IKE_TICKET_NO_SPACE);
		return 0;
	}
	check(r == IKE_TICKET_OK && len == size && memcmp(out, data, size) == 0);
	check(ike_ticket_state_decode(out, len, &again) == IKE_TICKET_OK);
	check(memcmp(&s, &again, sizeof(s)) == 0);
	ike_ticket_state_wipe(&s);
	ike_ticket_state_wipe(&again);
	return 0;
}
