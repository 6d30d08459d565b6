/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_target.h - what every fuzz target shares: the libFuzzer entry point
 * (run by libFuzzer or by fuzz_replay_main.c) and check(), which aborts when
 * a property the target asserts does not hold: both runners report an abort
 * as a finding, in every build type (unlike assert()).
 */
#ifndef FUZZ_TARGET_H
#define FUZZ_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void
check(bool ok)
{
	if (!ok)
		abort();
}

#endif
