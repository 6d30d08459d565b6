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

#define RT_NET_ADDR_MAX 8

/* An address of ours with its on-link prefix length ([net] address). */
struct rt_ip_prefix {
	uint8_t family; /* 4 or 6 */
	uint8_t len;
	uint8_t ip[16];
};

struct rt_config {
	/* [eal] */
	char eal_args[256];       /* used when the command line gives none */
	/*
	 * [runtime]; sa_capacity, halfopen_capacity and the SPI bits are the
	 * protocol's (the daemon copies them into its core configuration).
	 */
	uint32_t sa_capacity;     /* IKE SAs per shard */
	uint32_t halfopen_capacity;
	uint32_t ring_size;       /* redirect ring between two shards */
	uint32_t burst;
	uint32_t spi_shard_bits;
	uint32_t spi_slot_bits;
	uint32_t esp_lcores;      /* the last N EAL lcores run the ESP data path */
	/* [net] */
	char driver[16];
	char bind_v4[64];         /* "" = no IPv4 */
	char bind_v6[64];         /* "" = no IPv6 */
	uint32_t ike_port;
	uint32_t natt_port;       /* 0 = no NAT-T port */
	uint32_t nb_bufs;         /* packet buffers per worker */
	uint32_t buf_size;
	/* [net], driver = ethdev */
	uint32_t port_id;         /* DPDK port */
	struct rt_ip_prefix addrs[RT_NET_ADDR_MAX];
	uint32_t nb_addrs;
	uint32_t inside_port;     /* ESP data path: the protected network's DPDK port */
	struct rt_ip_prefix inside_address; /* ours there; family 0 = none */
	struct rt_ip_prefix inside_address6; /* a second one, IPv6 (dual stack); family 0 = none */
	uint32_t inside_mtu;      /* IP MTU of the inside port; 0 = mtu */
	uint8_t inside_gateway4[4];  /* inside next hop for other IPv4 networks; 0.0.0.0 = none */
	uint8_t inside_gateway6[16]; /* likewise for IPv6; :: = none */
	uint8_t gateway4[4];      /* 0.0.0.0 = none */
	uint8_t gateway6[16];     /* :: = none */
	uint32_t mtu;
	bool exception_tap;       /* exception = tap */
	char exception_iface[16];
	uint32_t frag_flows;      /* reassembly table entries per worker */
	uint32_t vlan;            /* 802.1Q VLAN id of our traffic, 0 = untagged */
	/* [log] */
	uint32_t log_level;       /* syslog level, 3..7 */
	bool log_debug_packets;
	uint32_t log_events_per_s; /* IKE event lines per second and worker (token bucket) */
	uint32_t log_events_burst;
};

/*
 * The engine under rt_config, shared with the daemon's own sections: a table
 * of typed options (one row per section/key, with its default) applied to
 * any struct by offset.
 */
enum rt_opt_type {
	RT_OPT_UINT,   /* uint32_t field, decimal, min..max */
	RT_OPT_BOOL,   /* bool field: yes/no/true/false/on/off/1/0 */
	RT_OPT_STRING, /* char array field of size bytes */
	RT_OPT_CUSTOM, /* set() parses the value */
};

/* Stores val into obj; on failure writes the reason (no file:line) to why. */
typedef int (*rt_opt_set_fn)(void *obj, const char *val, char *why, size_t wlen);

struct rt_opt {
	const char *section;
	const char *key;
	enum rt_opt_type type;
	size_t offset;
	size_t size;       /* RT_OPT_STRING: buffer size */
	uint32_t min, max; /* RT_OPT_UINT */
	rt_opt_set_fn set; /* RT_OPT_CUSTOM */
	const char *def;   /* default, in the file's syntax */
	const char *help;  /* one line for a commented defaults file, or NULL */
};

#define RT_UINT_OPT(type, sec, k, field, lo, hi, d, h)                                            \
	{sec, k, RT_OPT_UINT, offsetof(type, field), 0, lo, hi, NULL, d, h}
#define RT_BOOL_OPT(type, sec, k, field, d, h)                                                     \
	{sec, k, RT_OPT_BOOL, offsetof(type, field), 0, 0, 1, NULL, d, h}
#define RT_STR_OPT(type, sec, k, field, d, h)                                                      \
	{sec, k, RT_OPT_STRING, offsetof(type, field), sizeof(((type *)0)->field), 0, 0, NULL, d, h}
#define RT_CUSTOM_OPT(sec, k, fn, d, h) {sec, k, RT_OPT_CUSTOM, 0, 0, 0, 0, fn, d, h}

/* Applies val to option o of obj. Returns 0, or -1 with the reason in why. */
int rt_opt_set(const struct rt_opt *o, void *obj, const char *val, char *why, size_t wlen);

/* Sets every option of the table to its default (defaults must be valid). */
void rt_opts_defaults(const struct rt_opt *opts, size_t nb, void *obj);

/*
 * Applies the NUL-terminated INI text to obj through the table. Sections
 * and keys not in the table, duplicate keys and bad values are errors:
 * returns 0, or -1 with "name:line: reason" in err.
 */
int rt_opts_parse(const struct rt_opt *opts, size_t nb, void *obj, const char *text,
		  const char *name, char *err, size_t errlen);

/* Writes "name:line: reason" to err. */
void rt_config_fail(char *err, size_t errlen, const char *name, unsigned line, const char *fmt,
		    ...) __attribute__((format(printf, 5, 6)));

/*
 * Reads a whole config file (at most 1 MiB) into a NUL-terminated buffer
 * the caller frees. Returns NULL with "path: reason" in err ("path:line:
 * reason" for a NUL byte, which would cut the text short).
 */
char *rt_config_read(const char *path, char *err, size_t errlen);

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
