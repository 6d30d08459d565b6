/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_proposal.c - configured proposal lists -> struct ike_suite_cfg. */
#include <stdio.h>
#include <string.h>

#include "ifd_proposal.h"
#include "ike_proposal_str.h"

int
ifd_proposal_parse(const char *text, bool esp, struct ike_suite_cfg *out, char *why, size_t wlen)
{
	struct ike_transforms t;

	memset(out, 0, sizeof(*out));
	if (ike_proposal_str_parse(text, esp, &t, why, wlen) != 0)
		return -1;
	*out = (struct ike_suite_cfg){
		.encr_id = t.encr,
		.encr_key_bits = t.encr_key_bits,
		.prf_id = esp ? 0 : t.prf,
		.integ_id = t.integ,
		.ke_id = t.ke,
	};
	return 0;
}

int
ifd_proposal_list(const char *text, bool esp, struct ike_suite_cfg *out, unsigned max, char *why,
		  size_t wlen)
{
	char one[128];
	const char *p = text, *comma, *b, *e;
	unsigned n = 0;

	for (;;) {
		comma = strchr(p, ',');
		e = comma != NULL ? comma : p + strlen(p);
		for (b = p; b < e && (*b == ' ' || *b == '\t'); b++)
			;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == b) {
			snprintf(why, wlen, "empty proposal in '%s'", text);
			return -1;
		}
		if (n == max) {
			snprintf(why, wlen, "more than %u proposals", max);
			return -1;
		}
		if ((size_t)(e - b) >= sizeof(one)) {
			snprintf(why, wlen, "proposal '%.*s...' is too long", 20, b);
			return -1;
		}
		memcpy(one, b, (size_t)(e - b));
		one[e - b] = '\0';
		if (ifd_proposal_parse(one, esp, &out[n], why, wlen) != 0)
			return -1;
		/* A repeat is a typo (two lists merged): it never changes what is chosen. */
		for (unsigned i = 0; i < n; i++) {
			if (!memcmp(&out[i], &out[n], sizeof(out[n]))) {
				snprintf(why, wlen, "proposal %u ('%s') repeats proposal %u", n + 1,
					 one, i + 1);
				return -1;
			}
		}
		n++;
		if (comma == NULL)
			return (int)n;
		p = comma + 1;
	}
}
