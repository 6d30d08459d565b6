/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_config.c - libFuzzer entry point for the daemon's config parser
 * (app/ikefarmd/ifd_config.c over app/runtime/rt_config.c): the whole
 * text, both sections' parsers and the checks that span options. Any
 * refusal must read "fuzz:LINE: reason" (or the out-of-memory form).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "ifd_config.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ifd_config c;
	char err[512];
	char *text;

	if (size > (1 << 16))
		return 0;
	/* The daemon refuses a NUL byte before parsing (rt_config_read): text ends at one. */
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ifd_config_defaults(&c);
	err[0] = '\0';
	if (ifd_config_parse(&c, text, "fuzz", err, sizeof(err)) != 0)
		check(strncmp(err, "fuzz:", 5) == 0 && strlen(err) > 6);
	else
		check(c.core.nb_ike_proposals >= 1 && c.core.max_ike_sas == c.rt.sa_capacity);
	free(text);
	return 0;
}
