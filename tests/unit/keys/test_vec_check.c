/* SPDX-License-Identifier: BSD-3-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_vec_check.h"

void
vec_need_file(const char *dir, const char *name, struct vec_file *f)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (vec_file_load(path, f) != 0)
		fail_msg("cannot load %s", path);
}

size_t
vec_need_hex(const struct vec_file *f, const struct vec_block *b, const char *key, uint8_t *out,
	     size_t cap)
{
	long n = vec_hex(b, key, out, cap);

	if (n < 0)
		fail_msg("%s:%u: '%s' missing, not hex, or longer than %zu octets", f->path,
			 b->line, key, cap);
	return (size_t)n;
}

static void
print_hex(const char *what, const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(stderr, "  %s: ", what);
	for (i = 0; i < len; i++)
		fprintf(stderr, "%02x", p[i]);
	fprintf(stderr, "\n");
}

void
vec_check_hex(const struct vec_file *f, const struct vec_block *b, const char *key,
	      const uint8_t *got, size_t len)
{
	uint8_t want[VEC_BUF_MAX];
	size_t n = vec_need_hex(f, b, key, want, sizeof(want));

	if (n != len || memcmp(want, got, len) != 0) {
		print_hex("expected", want, n);
		print_hex("computed", got, len);
		fail_msg("%s: block at line %u: %s differs", f->path, b->line, key);
	}
}
