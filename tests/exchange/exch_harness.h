/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-process harness of the exchange tests: one responder shard (lib/core)
 * and initiator clients (lib/initiator) exchanging datagrams through
 * ike_shard_rx_burst(), with real crypto (OpenSSL key exchange and random,
 * ipsec-mb PRFs and SK payloads). No sockets, no EAL.
 */
#ifndef EXCH_HARNESS_H
#define EXCH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_core.h"
#include "ike_initiator.h"

#define EXCH_BUF 4096
#define EXCH_MAX_CHILD_EVENTS 16
#define EXCH_TX_N 16

/* Unix second 500000, in ms: inside the window [0, 1000000) of exch_ring's key. */
#define EXCH_RING_NOW_MS 500000000ull
#define EXCH_TICKET_LIFETIME_S 3600

struct exch {
	struct ike_core_cfg core_cfg;
	struct ike_peer_cfg peer;
	struct ike_shard *shard;
	void *shard_mem;
	uint64_t now_ms;
	/* One initiator client. */
	struct ike_client_cfg cfg;
	struct ike_client c;
	struct ike_client_hs hs;
	struct ike_init_addr local, remote;
	struct ike_init_addr wire_local; /* the initiator's address as the responder sees it */
	uint8_t req[EXCH_BUF];
	size_t req_len;
	uint8_t resp[EXCH_BUF];
	size_t resp_len;
	/* The client's ticket store (exch_tickets), NULL: none. */
	struct ike_init_ticket *ticket;
	/* Child SAs the core handed to the data path. */
	struct ike_child_info child_ev[EXCH_MAX_CHILD_EVENTS];
	unsigned n_child_ev;
	/* Messages the core sent on its own (exch_requests.h). */
	struct ike_tx tx[EXCH_TX_N];
	uint8_t tx_buf[EXCH_TX_N][EXCH_BUF];
};

extern struct cry_ops exch_ops;

/* The suites most tests run: IKE AES-GCM-16-256, PRF-HMAC-SHA2-256, X25519; ESP AES-GCM-16-256. */
extern const struct ike_suite_cfg exch_ike_x25519_gcm, exch_esp_gcm;

/* Real crypto for the whole executable; 0 or -1. */
int exch_crypto_setup(void **state);
int exch_crypto_teardown(void **state);

/*
 * The same, plus exch_ring: a ticket key ring with one random key valid over
 * unix seconds [0, 1000000), for tests whose clock runs inside that window.
 */
struct ike_ticket_keyring;
extern struct ike_ticket_keyring *exch_ring;
int exch_ticket_setup(void **state);
int exch_ticket_teardown(void **state);

/*
 * A responder accepting one IKE suite and one ESP suite, knowing the test
 * identity with psk, and an initiator proposing the same suites.
 */
void exch_init(struct exch *x, const struct ike_suite_cfg *ike, const struct ike_suite_cfg *esp,
	       const uint8_t *responder_psk, size_t responder_psk_len);
/* Another responder instance with x's configuration (and its key ring); free *mem after fini. */
struct ike_shard *exch_shard_new(struct exch *x, void **mem);
/*
 * RFC 5723 tickets on the responder (exch_ring, EXCH_TICKET_LIFETIME_S, 10
 * resumptions a second), its clock at EXCH_RING_NOW_MS; the client asks for
 * one in IKE_AUTH when request is set, and keeps what it gets in *t, which
 * exch_start() clears and hands to it. Before exch_start().
 */
void exch_tickets(struct exch *x, struct ike_init_ticket *t, bool request);
/* Starts the shard (after the test adjusted core_cfg) and the client. */
void exch_start(struct exch *x);
void exch_fini(struct exch *x);
/* A new shard in place of x->shard, with x->core_cfg as it is now: a restart. */
void exch_restart(struct exch *x);

/* --> x->req to the shard; the answer (if any) lands in x->resp. Returns the tx count. */
unsigned exch_to_responder(struct exch *x);
/* The same for req from address from (another initiator's). */
unsigned exch_send_from(struct exch *x, const uint8_t *req, size_t req_len,
			const struct ike_init_addr *from);
/* <-- x->resp to the client, which may write its next request into x->req. */
enum ike_init_result exch_to_initiator(struct exch *x);
/* Both of the above. */
enum ike_init_result exch_round(struct exch *x);

/* IKE_SA_INIT and IKE_AUTH; asserts that the client is ESTABLISHED and the shard's only SA. */
void exch_handshake(struct exch *x);
/* The same on a shard that may hold other SAs: one more. */
void exch_handshake_more(struct exch *x);
/* The client forgets its SA and resumes with its ticket: IKE_SESSION_RESUME, IKE_AUTH. */
void exch_resume(struct exch *x);
/* The client's liveness check (an empty INFORMATIONAL) answered: its SA works. */
void exch_liveness(struct exch *x);

/*
 * RFC 9370: ADDKEn of the responder's first IKE (esp false) or ESP proposal
 * lists method (with NONE after it when optional), and the client offers
 * method as ADDKEn (cfg.addke, or cfg.esp_addke). Before exch_start().
 */
void exch_addke(struct exch *x, bool esp, unsigned n, uint16_t method, bool optional);

/* The addresses of a datagram from the client as the responder gets it. */
void exch_rx_addrs(const struct exch *x, struct ike_rx *rx);

/* The shard's counter of that name (fails the test when there is none). */
uint64_t exch_ctr(const struct exch *x, const char *name);

/* The core's last Child SA install (fails the test when there is none). */
const struct ike_child_info *exch_last_install(const struct exch *x);

/* Asserts that the core's last installed Child SA has the client's SPIs and keys. */
void exch_assert_child_keys(const struct exch *x);

#endif
