/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by the ticket unit test files: drivers under test and sample states. */
#ifndef TICKET_TEST_H
#define TICKET_TEST_H

#include <stdint.h>

#include "cry_ops.h"
#include "ike_ticket.h"
#include "ike_ticket_keyring.h"

/* 2025-01-01T00:00:00Z (python3: datetime(2025,1,1,tzinfo=timezone.utc).timestamp()). */
#define T0 1735689600ULL

/* A real crypto binding: OpenSSL for random, and the driver under test for AEAD. */
struct ticket_driver {
	const char *name;
	struct cry_ops ops;
};

/* Fills every field with values that depend on variant (SK_d, SPIs, IDs, policy). */
void ticket_sample_state(struct ike_ticket_state *s, unsigned variant, uint64_t expires);

/* Adds a key whose secret is derived from its id (tests only). */
void ticket_add_key(struct ike_ticket_keyring *kr, uint32_t id, uint64_t nb, uint64_t na);

int ticket_run_seal_open_tests(const struct ticket_driver *drv);
int ticket_run_cross_driver_tests(const struct ticket_driver *a, const struct ticket_driver *b);
int ticket_run_keyfile_tests(void);
int ticket_run_replay_tests(void);

#endif
