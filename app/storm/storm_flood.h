/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flood: IKE_SA_INIT requests from many sources in 127.2.0.0/16 (one
 * UDP socket per source, each on its own address and port) that never
 * complete: no IKE_AUTH follows and a COOKIE in the answer is not
 * returned, like requests with spoofed source addresses (RFC 7296 2.6).
 * Each request carries a fresh SPIi, nonce and key share, so a responder
 * that keeps state for it gets one more half-open SA. Paced at a rate and
 * bounded by a count; it runs only while the engine calls it (the flood
 * phase). What the sources get back is counted by kind.
 */
#ifndef STORM_FLOOD_H
#define STORM_FLOOD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "storm_client.h"
#include "storm_stats.h"

#define STORM_FLOOD_ADDR_BASE (127u << 24 | 2u << 16 | 1u) /* 127.2.0.1 */
#define STORM_FLOOD_SOURCES_MAX 65000

/* Event names in the flood phase's row (storm_stats events). */
#define STORM_FLOOD_EV_SENT "flood-sent"
#define STORM_FLOOD_EV_COOKIE "flood-answer-cookie"   /* N(COOKIE): no state kept */
#define STORM_FLOOD_EV_SA_INIT "flood-answer-sa-init" /* SPIr set: a half-open SA */
#define STORM_FLOOD_EV_OTHER "flood-answer-other"     /* another notify (e.g. INVALID_KE) */

struct storm_flood_cfg {
	struct sockaddr_storage target;
	socklen_t target_len;
	bool nonesp_marker;
	unsigned sources; /* distinct source address and port pairs */
	double rate;	  /* requests per second */
	uint64_t count;	  /* requests at most, over the whole run */
};

struct storm_flood;

/** IPv4 targets only; NULL (with a message on stderr) on failure. */
struct storm_flood *storm_flood_create(const struct storm_flood_cfg *cfg, struct storm_clients *cl);
void storm_flood_destroy(struct storm_flood *f);

/**
 * Sends the requests due at now_ns (the rate counts from the first call)
 * and counts the answers waiting, into st's events. A struct storm_bg run
 * function: arg is the flood.
 */
void storm_flood_run(void *arg, struct storm_stats *st, uint64_t now_ns);

#endif
