/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_config - the daemon's whole configuration. One INI file holds the
 * runtime's sections ([eal] [runtime] [net] [log], parsed by rt_config) and
 * the protocol's ([ike] [child] [auth] [crypto], parsed here into struct
 * ike_core_cfg). Every option has a default; errors read "FILE:LINE: reason".
 * docs/config.md documents each option.
 */
#ifndef IFD_CONFIG_H
#define IFD_CONFIG_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_sa.h"
#include "ike_core.h"
#include "rt_config.h"

/* Runtime capacities the daemon defaults to (the runtime's own are larger). */
#define IFD_DEFAULT_SA_CAPACITY 16384
#define IFD_DEFAULT_HALFOPEN_CAPACITY 4096

#define IFD_CONFIG_LINES 8

/*
 * Paths are resolved against the config file's folder when relative. The
 * key ring, certificate and key are loaded by the daemon, not here.
 */
struct ifd_config {
	struct rt_config rt;
	struct ike_core_cfg core;      /* peers are filled in by ifd_creds_load() */
	struct esp_life_cfg child_life; /* [child] rekey_* life_* idle_time_s jitter_pct */
	char credentials[PATH_MAX];    /* [auth] credentials */
	char ca_file[PATH_MAX];        /* [auth] ca_file: PEM CAs peers' certificates chain to */
	char cert_file[PATH_MAX];      /* [auth] cert_file: our PEM certificate */
	char key_file[PATH_MAX];       /* [auth] key_file: its PEM private key */
	char ticket_key_file[PATH_MAX]; /* [tickets] key_file; "" = one random key */
	uint32_t ticket_clock_skew_s;  /* [tickets] clock_skew_s (key ring) */
	char ipsec_mb[8];	       /* [crypto] ipsec_mb: auto, sse, avx, avx2, avx512 */
	char metrics_listen[64];       /* [metrics] listen: ADDR:PORT of /metrics; "" = off */
	bool strict_files;	       /* [auth] strict_files: refuse what is otherwise a warning */
	uint32_t max_users;	       /* [auth] max_users: room for reload-creds; 0 = automatic */
	char source[PATH_MAX];	       /* the config's name in messages (path or built-in) */
	unsigned lines[IFD_CONFIG_LINES]; /* where ifd_config_line()'s keys are set */
};

/*
 * The line of [section] key in the config, for messages about a value
 * checked after parsing (a file it names, the shard count); 0 when the
 * default applies. Known keys: the path options, runtime.spi_shard_bits,
 * eal.args.
 */
unsigned ifd_config_line(const struct ifd_config *c, const char *section, const char *key);

/* Sets every option to its default (the compiled-in values, no file read). */
void ifd_config_defaults(struct ifd_config *c);

/*
 * Applies a whole configuration text (NUL-terminated) on top of the
 * defaults. name is used in error messages and, when it names a file, to
 * resolve a relative credentials path. Returns 0, or -1 with
 * "name:line: reason" in err.
 */
int ifd_config_parse(struct ifd_config *c, const char *text, const char *name, char *err,
		     size_t errlen);

/* Reads path and applies it with ifd_config_parse(). */
int ifd_config_load(struct ifd_config *c, const char *path, char *err, size_t errlen);

/* The configuration compiled in from config/ikefarm.conf (used without -f). */
extern const char ifd_default_conf[];

#endif
