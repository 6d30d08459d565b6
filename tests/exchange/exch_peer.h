/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * More initiators of the test identity for the exchange tests, each from its
 * own port of the harness client's address, talking to the harness's shard:
 * for what the core does with many SAs at once (a full SA table, the
 * response cache at capacity).
 */
#ifndef EXCH_PEER_H
#define EXCH_PEER_H

#include <stddef.h>
#include <stdint.h>

#include "exch_harness.h"

struct exch_peer {
	struct ike_client_cfg cfg; /* the client reads it: a test may change it in place */
	struct ike_client c;
	struct ike_client_hs hs;
	struct ike_init_addr addr;
	uint8_t req[EXCH_BUF]; /* its last request */
	size_t req_len;
	uint8_t resp[EXCH_BUF]; /* the last answer exch_peer_round() gave it */
	size_t resp_len;
};

/* p: x's client configuration without INITIAL_CONTACT, from port. After exch_start(). */
void exch_peer_init(struct exch_peer *p, const struct exch *x, uint16_t port);
void exch_peer_fini(struct exch_peer *p);

/* exch_start(x), then the n peers p[] from ports first_port, first_port + 1, ... */
void exch_peers_start(struct exch *x, struct exch_peer *p, unsigned n, uint16_t first_port);
/* The n peers, then exch_fini(x). */
void exch_peers_fini(struct exch *x, struct exch_peer *p, unsigned n);

/* p->req to x's shard from p's address; the answer (if any) lands in x->resp. Returns the tx count.
 */
unsigned exch_peer_send(struct exch *x, const struct exch_peer *p);

/*
 * p's request answered (asserted): the answer kept in p->resp and handed to
 * p's client, whose next request, if any, replaces p->req (else p->req
 * stays, to be retransmitted).
 */
enum ike_init_result exch_peer_round(struct exch *x, struct exch_peer *p);

#endif
