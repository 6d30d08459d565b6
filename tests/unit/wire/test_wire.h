/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared pieces of the lib/wire unit tests (one executable, several groups). */
#ifndef TEST_WIRE_H
#define TEST_WIRE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ike_wire.h"

#define GOLDEN_LEN	220
#define GOLDEN_N_PLD	5
#define GOLDEN_SA_BODY	32	/* offset of the SA payload body */

extern const uint8_t golden_sa_init[GOLDEN_LEN];
/* End offset of each golden payload (SA, KE, Ni, N, N). */
extern const size_t golden_pld_end[GOLDEN_N_PLD];

int test_wire_golden(void);
int test_wire_malformed(void);
int test_wire_payloads(void);
int test_wire_build(void);
int test_wire_cp(void);

#endif
