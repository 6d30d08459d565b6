/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/wire unit tests: golden message, malformed inputs, payload rules, builder, CP. */
#include "test_wire.h"

int
main(void)
{
	int failed = 0;

	failed += test_wire_golden();
	failed += test_wire_malformed();
	failed += test_wire_payloads();
	failed += test_wire_build();
	failed += test_wire_cp();
	return failed != 0;
}
