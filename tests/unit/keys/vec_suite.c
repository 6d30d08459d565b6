/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec_suite.h"

int
vec_transforms(const struct vec_block *b, const char *prefix, struct ike_transforms *t)
{
	char encr_key[32], integ_key[32];
	const char *encr;
	long prf = *prefix == '\0' ? vec_num(b, "PRF") : -1;
	long integ;
	char *end;

	snprintf(encr_key, sizeof(encr_key), "%sENCR", prefix);
	snprintf(integ_key, sizeof(integ_key), "%sINTEG", prefix);
	encr = vec_get(b, encr_key);
	integ = vec_num(b, integ_key);
	memset(t, 0, sizeof(*t));
	if (encr == NULL || integ < 0)
		return -1;
	t->encr = (uint16_t)strtoul(encr, &end, 10);
	if (*end != '/')
		return -1;
	t->encr_key_bits = (uint16_t)strtoul(end + 1, &end, 10);
	if (*end != '\0')
		return -1;
	t->integ = (uint16_t)integ;
	t->prf = prf < 0 ? 0 : (uint16_t)prf;
	return 0;
}
