/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_config - the daemon's configuration: an INI-like file
 *
 *   # comment
 *   [section]
 *   key = value        # a comment after whitespace
 *   key = "quoted # kept"
 *
 * read into struct rt_config through one typed option table, which also
 * holds every default, so the daemon runs with no file at all. Every error
 * is reported as "FILE:LINE: reason".
 */
#ifndef RT_CONFIG_H
#define RT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rt_config {
	/* [eal] */
	char eal_args[256];       /* used when the command line gives none */
	/* [runtime] */
	uint32_t sa_capacity;     /* IKE SAs per shard */
	uint32_t halfopen_capacity;
	uint32_t timer_tick_ms;
	uint32_t ring_size;       /* redirect ring between two shards */
	uint32_t burst;
	uint32_t spi_shard_bits;
	uint32_t spi_slot_bits;
	/* [net] */
	char driver[16];
	char bind_v4[64];         /* "" = no IPv4 */
	char bind_v6[64];         /* "" = no IPv6 */
	uint32_t ike_port;
	uint32_t natt_port;       /* 0 = no NAT-T port */
	uint32_t nb_bufs;         /* packet buffers per worker */
	uint32_t buf_size;
	/* [log] */
	uint32_t log_level;       /* syslog level, 3..7 */
	bool log_debug_packets;
};

/* Sets every option to its default. */
void rt_config_defaults(struct rt_config *c);

/*
 * Applies the NUL-terminated text to c; name is used in error messages.
 * Returns 0, or -1 with "name:line: reason" in err.
 */
int rt_config_parse(struct rt_config *c, const char *text, const char *name, char *err,
		    size_t errlen);

/* Reads and applies a file. Returns 0, or -1 with the reason in err. */
int rt_config_load(struct rt_config *c, const char *path, char *err, size_t errlen);

/*
 * Writes the default configuration as a commented file (every option with
 * its default and range). Returns the length it needs, like snprintf.
 */
size_t rt_config_format_defaults(char *buf, size_t len);

#endif
