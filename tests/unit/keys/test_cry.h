/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real crypto for the keys and SK tests, chosen by name on the command line:
 * "openssl" binds both vtables to OpenSSL; "ipsecmb" runs the symmetric
 * half on ipsec-mb and keeps OpenSSL for random numbers.
 */
#ifndef TEST_CRY_H
#define TEST_CRY_H

#include "cry_ops.h"

/* Returns 0 and fills ops, or -1 (after printing why). */
int test_cry_open(const char *driver, struct cry_ops *ops);
void test_cry_close(void);

#endif
