/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scenarios are sequences of phases. A phase runs operations on many
 * clients: one operation ("full", "resume", "delete", "rekey"), a weighted
 * mix of them ("mixed"), or one under a flood of IKE_SA_INIT requests that
 * never complete ("flood"). The tables here are the only place that names
 * operations: the engine runs any struct storm_mix the same way, with one
 * stats row per operation.
 */
#ifndef STORM_SCENARIO_H
#define STORM_SCENARIO_H

#include <stdio.h>

#include "storm_client.h"

typedef enum storm_step (*storm_op_begin_fn)(struct storm_clients *cl, unsigned i, uint8_t *out,
					     size_t cap, size_t *out_len, const char **reason);

/* Which clients an operation may start on. */
enum storm_need {
	STORM_NEED_NONE,	       /* any client (it starts over if it ran before) */
	STORM_NEED_ESTABLISHED,	       /* clients holding an established IKE SA */
	STORM_NEED_TICKET,	       /* clients holding a resumption ticket */
	STORM_NEED_IDLE,	       /* clients without an established IKE SA */
	STORM_NEED_ESTABLISHED_TICKET, /* established and holding a ticket */
};

struct storm_op {
	const char *name; /* in --scenario or --mix */
	const char *row;  /* its row in every report */
	const char *help;
	enum storm_need need;
	storm_op_begin_fn begin;
};

enum storm_phase_kind {
	STORM_PHASE_ONE,   /* one operation */
	STORM_PHASE_MIXED, /* --mix: a weighted mix */
	STORM_PHASE_FLOOD, /* --flood-op under a flood of IKE_SA_INIT */
};

struct storm_phase_def {
	const char *name;
	enum storm_phase_kind kind;
	const struct storm_op *op; /* STORM_PHASE_ONE */
};

#define STORM_MAX_PHASES 8
#define STORM_MIX_MAX 4
#define STORM_MAX_ROWS (STORM_MAX_PHASES * STORM_MIX_MAX)
#define STORM_MIX_DEFAULT "new=40,resume=40,rekey=10,delete=10"

/* What one phase runs: operations, their weights, one stats row each. */
struct storm_mix {
	unsigned nb;
	const struct storm_op *op[STORM_MIX_MAX];
	unsigned weight[STORM_MIX_MAX]; /* share of the starts, among eligible operations */
};

/**
 * Parses "full,delete,mixed" into phases; at most STORM_MAX_PHASES.
 * @return the number of phases, or -1 (unknown name at *bad).
 */
int storm_scenario_parse(const char *s, const struct storm_phase_def **out, const char **bad);

/** A mix of the one operation op. */
void storm_mix_one(struct storm_mix *m, const struct storm_op *op);

/**
 * Parses "new=40,resume=40,rekey=10,delete=10" (the mixed phase's
 * operations, any subset, weights 0..1000000; weight 0 leaves one out).
 * @return 0, or -1 with the offending text at *bad.
 */
int storm_mix_parse(const char *s, struct storm_mix *m, const char **bad);

/**
 * The flood phase's legitimate operation: "resume" or "full".
 * @return 0, or -1 for another name.
 */
int storm_mix_flood(const char *op, struct storm_mix *m);

/** Phases and mix operations, one line each: name and help. */
void storm_scenario_list(FILE *f);

#endif
