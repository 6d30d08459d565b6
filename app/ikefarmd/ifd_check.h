/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_check - the start-up checks that are not plain syntax, shared by the
 * daemon's start and --check-config so that the two never disagree:
 * warnings that [auth] strict_files turns into refusals, the permissions of
 * secret files, and the shard count against the SPI layout. Every message
 * reads "FILE:LINE: reason".
 */
#ifndef IFD_CHECK_H
#define IFD_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct ifd_config;

typedef void (*ifd_warn_fn)(void *arg, const char *msg);

/* Where the checks report what they accept with a warning. */
struct ifd_warnings {
	bool strict;	   /* [auth] strict_files: every warning refuses */
	unsigned count;	   /* warnings reported */
	ifd_warn_fn emit;  /* NULL: counted only */
	void *arg;
};

/*
 * Reports "name:line: reason" as a warning, or, when w->strict, writes it
 * to err as the refusal. Returns 0 to go on, -1 to refuse. A NULL w
 * ignores warnings.
 */
int ifd_warn(struct ifd_warnings *w, char *err, size_t errlen, const char *name, unsigned line,
	     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * A secret file (credentials, ticket keys, private key) must not be
 * readable or writable by group or others: a warning (a refusal with
 * strict_files). what names the option, e.g. "auth.credentials"; name:line
 * is where the config sets it. -1 with err when it cannot be stat'ed.
 */
int ifd_check_private_file(struct ifd_warnings *w, const char *path, const char *what,
			   const char *name, unsigned line, char *err, size_t errlen);

/*
 * The number of EAL lcores (= shards) the EAL arguments would give, read
 * from -l, -c or --lcores; without those, the CPUs this process may run
 * on (EAL's default). args are blank-separated.
 */
unsigned ifd_predict_lcores(const char *args);

/*
 * nb_shards against the SPI layout and the runtime's limit; on refusal
 * writes "name:line: reason" naming runtime.spi_shard_bits.
 */
int ifd_check_shards(const struct ifd_config *c, unsigned nb_shards, char *err, size_t errlen);

#endif
