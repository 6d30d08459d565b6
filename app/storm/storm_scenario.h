/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scenarios are sequences of phases; a phase runs one operation on many
 * clients. The table of operations is the only place that names them: a
 * new scenario ("resume" after "full" with ticket requests, "mixed") is a
 * new row with its begin function from the client seam; the engine runs
 * any row the same way.
 */
#ifndef STORM_SCENARIO_H
#define STORM_SCENARIO_H

#include <stdio.h>

#include "storm_client.h"

typedef enum storm_step (*storm_op_begin_fn)(struct storm_clients *cl, unsigned i, uint8_t *out,
					     size_t cap, size_t *out_len, const char **reason);

/* Which clients an operation may start on. */
enum storm_need {
	STORM_NEED_NONE,	/* any client (it starts over if it ran before) */
	STORM_NEED_ESTABLISHED, /* clients holding an established IKE SA */
	STORM_NEED_TICKET,	/* clients holding a resumption ticket */
};

struct storm_op {
	const char *name; /* phase name in --scenario and in every report */
	const char *help;
	enum storm_need need;
	storm_op_begin_fn begin;
};

#define STORM_MAX_PHASES 8

/** The operation called name, or NULL. */
const struct storm_op *storm_op_find(const char *name);

/**
 * Parses "full,delete" into ops[]; at most STORM_MAX_PHASES.
 * @return the number of phases, or -1 (unknown name at *bad).
 */
int storm_scenario_parse(const char *s, const struct storm_op **ops, const char **bad);

/** One line per operation: name and help. */
void storm_scenario_list(FILE *f);

#endif
