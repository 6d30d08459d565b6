/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_hex.h"
#include "vec_file.h"

static char *
read_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *text = NULL;
	long len;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		text = malloc((size_t)len + 1);
		if (text != NULL && fread(text, 1, (size_t)len, fp) != (size_t)len) {
			free(text);
			text = NULL;
		} else if (text != NULL) {
			text[len] = '\0';
		}
	}
	fclose(fp);
	return text;
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int
add_block(struct vec_file *f, const struct vec_block *b)
{
	struct vec_block *nb = realloc(f->blocks, (f->n_blocks + 1) * sizeof(*nb));

	if (nb == NULL)
		return -1;
	f->blocks = nb;
	f->blocks[f->n_blocks++] = *b;
	return 0;
}

int
vec_file_load(const char *path, struct vec_file *f)
{
	struct vec_block cur = {0};
	unsigned lineno = 0;
	char *line, *next;

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->text = read_all(path);
	if (f->text == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (line = f->text; line != NULL; line = next) {
		char *eq, *s;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		s = trim(line);
		if (*s == '#' || *s == '[')
			continue;
		if (*s == '\0') {
			if (cur.n > 0 && add_block(f, &cur) != 0)
				goto fail;
			cur.n = 0;
			continue;
		}
		eq = strstr(s, " = ");
		/* "key =" after trim(): an empty value (resume-kdf.txt with GCM has no SK_a). */
		if (eq == NULL && strlen(s) > 2 && strcmp(s + strlen(s) - 2, " =") == 0)
			eq = s + strlen(s) - 2;
		if (eq == NULL || cur.n == VEC_MAX_ENTRIES) {
			fprintf(stderr, "%s:%u: expected 'key = value'\n", path, lineno);
			goto fail;
		}
		*eq = '\0';
		if (cur.n == 0)
			cur.line = lineno;
		cur.e[cur.n].key = trim(s);
		cur.e[cur.n].value = eq[2] == '\0' ? eq + 2 : trim(eq + 3);
		cur.n++;
	}
	if (cur.n > 0 && add_block(f, &cur) != 0)
		goto fail;
	return 0;
fail:
	vec_file_free(f);
	return -1;
}

void
vec_file_free(struct vec_file *f)
{
	free(f->text);
	free(f->blocks);
	memset(f, 0, sizeof(*f));
}

const char *
vec_get(const struct vec_block *b, const char *key)
{
	unsigned i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->e[i].key, key) == 0)
			return b->e[i].value;
	return NULL;
}

long
vec_hex(const struct vec_block *b, const char *key, uint8_t *out, size_t cap)
{
	const char *v = vec_get(b, key);
	size_t len;

	if (v == NULL || ike_hex_decode(v, out, cap, &len) != 0)
		return -1;
	return (long)len;
}

long
vec_num(const struct vec_block *b, const char *key)
{
	const char *v = vec_get(b, key);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return -1;
	n = strtol(v, &end, 10);
	return *end == '\0' ? n : -1;
}
