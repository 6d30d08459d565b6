/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real crypto for the keys and SK tests, chosen by name on the command line:
 * "openssl" binds both vtables to OpenSSL; "ipsecmb" runs the symmetric
 * half on ipsec-mb and keeps OpenSSL for random numbers.
 */
#ifndef TEST_CRY_H
#define TEST_CRY_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cry_ops.h"

/* Returns 0 and fills ops, or -1 (after printing why). */
int test_cry_open(const char *driver, struct cry_ops *ops);
void test_cry_close(void);

/*
 * main() of a test program run against one driver: argv is "openssl|ipsecmb
 * VECTOR_DIR". Opens the driver into *ops, sets *vec_dir, runs the n tests as
 * the group PREFIX-DRIVER (group_setup, NULL for none, once the driver is
 * open) and closes the driver. Returns main's exit status: cmocka's, or 2 on
 * bad usage, 1 when the driver does not open.
 */
int test_cry_main(int argc, char **argv, const char *prefix, const struct CMUnitTest *tests,
		  size_t n, CMFixtureFunction group_setup, struct cry_ops *ops,
		  const char **vec_dir);

#endif
