/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reader for the `key = value` block files in tests/vectors: '#' starts a
 * comment line, '[...]' lines are section notes (ignored), a blank line
 * ends a block. Keys may contain spaces ("g^ir (new)"); the first " = "
 * separates key and value.
 */
#ifndef VEC_FILE_H
#define VEC_FILE_H

#include <stddef.h>
#include <stdint.h>

#define VEC_MAX_ENTRIES 32

struct vec_entry {
	const char *key;
	const char *value;
};

struct vec_block {
	unsigned line; /* first line of the block, for messages */
	unsigned n;
	struct vec_entry e[VEC_MAX_ENTRIES];
};

struct vec_file {
	const char *path;
	char *text;
	struct vec_block *blocks;
	unsigned n_blocks;
};

/* Loads and splits a file; prints the reason and returns -1 on error. */
int vec_file_load(const char *path, struct vec_file *f);
void vec_file_free(struct vec_file *f);

/* The value of key, or NULL. */
const char *vec_get(const struct vec_block *b, const char *key);
/* Decodes key's hex value into out; -1 if absent, not hex, or longer than cap. */
long vec_hex(const struct vec_block *b, const char *key, uint8_t *out, size_t cap);
/* Decodes a decimal value; -1 if absent or not a number. */
long vec_num(const struct vec_block *b, const char *key);

#endif
