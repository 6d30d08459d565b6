/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_scenario.c - the tables of phases and operations. */
#include <stdlib.h>
#include <string.h>

#include "storm_scenario.h"

#define WEIGHT_MAX 1000000

/* Phases that run one operation. */
static const struct storm_op one_ops[] = {
	{
		.name = "full",
		.row = "full",
		.help = "IKE_SA_INIT + IKE_AUTH (PSK) with a first Child SA; with --ticket "
			"N(TICKET_REQUEST)",
		.need = STORM_NEED_NONE,
		.begin = storm_client_full_begin,
	},
	{
		.name = "resume",
		.row = "resume",
		.help = "IKE_SESSION_RESUME + IKE_AUTH with the ticket of an earlier phase (RFC "
			"5723); a TICKET_NACK falls back to a full handshake",
		.need = STORM_NEED_TICKET,
		.begin = storm_client_resume_begin,
	},
	{
		.name = "rekey",
		.row = "rekey",
		.help = "CREATE_CHILD_SA rekey of the IKE SA from an earlier phase, then D(IKE) of "
			"the old SA",
		.need = STORM_NEED_ESTABLISHED,
		.begin = storm_client_rekey_begin,
	},
	{
		.name = "delete",
		.row = "delete",
		.help = "INFORMATIONAL { D(IKE) } of the IKE SA from an earlier phase",
		.need = STORM_NEED_ESTABLISHED,
		.begin = storm_client_delete_begin,
	},
};

/* The operations of "mixed": a steady state of connects, reconnects, rekeys and leaves. */
static const struct storm_op mix_ops[] = {
	{
		.name = "new",
		.row = "mixed-new",
		.help = "a client without an IKE SA connects: full handshake with a ticket request",
		.need = STORM_NEED_IDLE,
		.begin = storm_client_full_begin,
	},
	{
		.name = "resume",
		.row = "mixed-resume",
		.help = "an established client drops its SA (a reconnect) and resumes with its "
			"ticket",
		.need = STORM_NEED_ESTABLISHED_TICKET,
		.begin = storm_client_resume_begin,
	},
	{
		.name = "rekey",
		.row = "mixed-rekey",
		.help = "an established client rekeys its IKE SA (this revokes its ticket)",
		.need = STORM_NEED_ESTABLISHED,
		.begin = storm_client_rekey_begin,
	},
	{
		.name = "delete",
		.row = "mixed-delete",
		.help = "an established client leaves: D(IKE)",
		.need = STORM_NEED_ESTABLISHED,
		.begin = storm_client_delete_begin,
	},
};

/* The legitimate operations of "flood". */
static const struct storm_op flood_ops[] = {
	{
		.name = "resume",
		.row = "flood-resume",
		.help = "resume with the ticket of an earlier phase (default)",
		.need = STORM_NEED_TICKET,
		.begin = storm_client_resume_begin,
	},
	{
		.name = "full",
		.row = "flood-full",
		.help = "full handshake",
		.need = STORM_NEED_NONE,
		.begin = storm_client_full_begin,
	},
};

#define NB(a) (sizeof(a) / sizeof((a)[0]))

static const struct storm_phase_def phases[] = {
	{.name = "full", .kind = STORM_PHASE_ONE, .op = &one_ops[0]},
	{.name = "resume", .kind = STORM_PHASE_ONE, .op = &one_ops[1]},
	{.name = "rekey", .kind = STORM_PHASE_ONE, .op = &one_ops[2]},
	{.name = "delete", .kind = STORM_PHASE_ONE, .op = &one_ops[3]},
	{.name = "mixed", .kind = STORM_PHASE_MIXED},
	{.name = "flood", .kind = STORM_PHASE_FLOOD},
};

static const struct storm_phase_def *
phase_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NB(phases); i++)
		if (strlen(phases[i].name) == len && strncmp(phases[i].name, name, len) == 0)
			return &phases[i];
	return NULL;
}

int
storm_scenario_parse(const char *s, const struct storm_phase_def **out, const char **bad)
{
	const char *p = s, *comma;
	size_t len;
	int n = 0;

	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (n == STORM_MAX_PHASES || (out[n] = phase_find(p, len)) == NULL) {
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
storm_mix_one(struct storm_mix *m, const struct storm_op *op)
{
	memset(m, 0, sizeof(*m));
	m->nb = 1;
	m->op[0] = op;
	m->weight[0] = 1;
}

static const struct storm_op *
mix_op_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NB(mix_ops); i++)
		if (strlen(mix_ops[i].name) == len && strncmp(mix_ops[i].name, name, len) == 0)
			return &mix_ops[i];
	return NULL;
}

/* Keeps the table's order (rows come out the same whatever the option's order). */
int
storm_mix_parse(const char *s, struct storm_mix *m, const char **bad)
{
	unsigned long w[NB(mix_ops)] = {0};
	bool given[NB(mix_ops)] = {false};
	const struct storm_op *op;
	const char *p = s, *eq;
	char *end;
	size_t k;

	memset(m, 0, sizeof(*m));
	while (*p != '\0') {
		eq = strchr(p, '=');
		*bad = p;
		if (eq == NULL || (op = mix_op_find(p, (size_t)(eq - p))) == NULL)
			return -1;
		k = (size_t)(op - mix_ops);
		if (given[k] || eq[1] < '0' || eq[1] > '9')
			return -1;
		w[k] = strtoul(eq + 1, &end, 10);
		if (w[k] > WEIGHT_MAX || (*end != ',' && *end != '\0'))
			return -1;
		given[k] = true;
		p = *end == ',' ? end + 1 : end;
	}
	for (k = 0; k < NB(mix_ops); k++) {
		if (w[k] == 0)
			continue;
		m->op[m->nb] = &mix_ops[k];
		m->weight[m->nb++] = (unsigned)w[k];
	}
	*bad = s;
	return m->nb > 0 ? 0 : -1;
}

int
storm_mix_flood(const char *op, struct storm_mix *m)
{
	size_t i;

	for (i = 0; i < NB(flood_ops); i++) {
		if (strcmp(flood_ops[i].name, op) == 0) {
			storm_mix_one(m, &flood_ops[i]);
			return 0;
		}
	}
	return -1;
}

static void
list_ops(FILE *f, const char *indent, const struct storm_op *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%-8s %s\n", indent, ops[i].name, ops[i].help);
}

void
storm_scenario_list(FILE *f)
{
	list_ops(f, "  ", one_ops, NB(one_ops));
	fprintf(f,
		"  %-8s a steady state of weighted operations (--mix, default %s) for "
		"--duration; one report row each:\n",
		"mixed", STORM_MIX_DEFAULT);
	list_ops(f, "      ", mix_ops, NB(mix_ops));
	fprintf(f,
		"  %-8s IKE_SA_INIT requests from many 127.2.x.y sources that never complete "
		"(--flood-rate, --flood-count), with legitimate clients doing --flood-op:\n",
		"flood");
	list_ops(f, "      ", flood_ops, NB(flood_ops));
}
