/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_scenario.c - the table of operations a phase can run. */
#include <string.h>

#include "storm_scenario.h"

static const struct storm_op ops[] = {
	{
		.name = "full",
		.help = "IKE_SA_INIT + IKE_AUTH (PSK) with a first Child SA; with --ticket "
			"N(TICKET_REQUEST)",
		.need = STORM_NEED_NONE,
		.begin = storm_client_full_begin,
	},
	{
		.name = "resume",
		.help = "IKE_SESSION_RESUME + IKE_AUTH with the ticket of an earlier phase (RFC "
			"5723); a TICKET_NACK falls back to a full handshake",
		.need = STORM_NEED_TICKET,
		.begin = storm_client_resume_begin,
	},
	{
		.name = "delete",
		.help = "INFORMATIONAL { D(IKE) } of the IKE SA from an earlier phase",
		.need = STORM_NEED_ESTABLISHED,
		.begin = storm_client_delete_begin,
	},
};

const struct storm_op *
storm_op_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

int
storm_scenario_parse(const char *s, const struct storm_op **out, const char **bad)
{
	char name[32];
	const char *p = s, *comma;
	size_t len;
	int n = 0;

	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len >= sizeof(name) || n == STORM_MAX_PHASES) {
			*bad = p;
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		out[n] = storm_op_find(name);
		if (out[n] == NULL) {
			*bad = p;
			return -1;
		}
		n++;
		p += len;
		if (*p == ',')
			p++;
	}
	if (n == 0)
		*bad = s;
	return n > 0 ? n : -1;
}

void
storm_scenario_list(FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		fprintf(f, "  %-8s %s\n", ops[i].name, ops[i].help);
}
