/* SPDX-License-Identifier: BSD-3-Clause */
/* Secrets: wiping that the compiler cannot elide, and constant-time compare. */
#ifndef IKE_SECRET_H
#define IKE_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* Zeroes n bytes at p; never optimised away. */
void ike_wipe(void *p, size_t n);

/* Compares a and b in time that depends only on n. True when equal. */
bool ike_ct_eq(const void *a, const void *b, size_t n);

#endif
