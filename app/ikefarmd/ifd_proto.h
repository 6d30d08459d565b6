/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_proto - the glue between the runtime (struct rt_proto, packets as
 * struct io_pkt) and the protocol core (struct ike_shard, sans-I/O). Each
 * runtime shard gets one core shard with its own crypto: ipsec-mb for the
 * symmetric half of cry_ops, OpenSSL for the asymmetric half.
 */
#ifndef IFD_PROTO_H
#define IFD_PROTO_H

#include "cry_ipsecmb.h"
#include "ifd_config.h"
#include "ifd_hist.h"
#include "ifd_list.h"
#include "ifd_reauth.h"
#include "ike_core.h"
#include "rt.h"

#define IFD_MAX_SHARDS 64

struct ifd_shard;
struct dp;

/* What every shard shares; read-only once the shards run. */
struct ifd_app {
	const struct ifd_config *cfg;
	enum cry_ipsecmb_arch arch;
	struct ifd_shard *shards[IFD_MAX_SHARDS]; /* by runtime shard id */
	struct dp *dp; /* the ESP data path; NULL without [runtime] esp_lcores */
};

/* The protocol handler to give rt_create() with a struct ifd_app as its argument. */
extern const struct rt_proto ifd_proto;

const struct ike_shard *ifd_shard_core(const struct ifd_shard *s);
const struct rt_shard *ifd_shard_rt(const struct ifd_shard *s);
/* The shard's reauthentication mailbox (control side: ifd_reauth_post). */
struct ifd_reauth_box *ifd_shard_reauth(struct ifd_shard *s);
/* The shard's listing mailbox (control side: ifd_list_post). */
struct ifd_list_box *ifd_shard_list(struct ifd_shard *s);
/* The shard's credentials-reload mailbox (control side: ifd_peers_post). */
struct ifd_peers_box *ifd_shard_peers(struct ifd_shard *s);
/* Event lines the shard's rate limit kept out of the log, since start. */
uint64_t ifd_shard_events_suppressed(const struct ifd_shard *s);
/* Time the shard took per rx burst (written by its lcore). */
const struct ifd_hist *ifd_shard_burst_time(const struct ifd_shard *s);
/* Name of the ipsec-mb manager the shard runs ("sse", "avx2", ...). */
const char *ifd_shard_ipsecmb_arch(const struct ifd_shard *s);

#endif
