/* SPDX-License-Identifier: BSD-3-Clause */
/* cmocka checks of computed bytes against a vector block, with file:line in failures. */
#ifndef TEST_VEC_CHECK_H
#define TEST_VEC_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "vec_file.h"

#define VEC_BUF_MAX 4096

/* Loads the vector file dir/name into f; fails the test when it cannot. */
void vec_need_file(const char *dir, const char *name, struct vec_file *f);
/* Decodes a hex value that must be present; fails the test otherwise. */
size_t vec_need_hex(const struct vec_file *f, const struct vec_block *b, const char *key,
		    uint8_t *out, size_t cap);
/* Fails the test unless key's value equals got[0..len). */
void vec_check_hex(const struct vec_file *f, const struct vec_block *b, const char *key,
		   const uint8_t *got, size_t len);

#endif
