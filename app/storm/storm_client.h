/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The seam between the storm engine and the IKEv2 initiator library
 * (lib/initiator): a pool of simulated clients, each addressed by index.
 * The engine sees only operations that produce request bytes and consume
 * response bytes; nothing else of the protocol leaks through this header.
 */
#ifndef STORM_CLIENT_H
#define STORM_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"

/* What a call asks the engine to do next. */
enum storm_step {
	STORM_STEP_SEND, /* out holds the operation's next request: send, keep for retransmits */
	STORM_STEP_WAIT, /* keep waiting (a drop if *reason is set) */
	STORM_STEP_DONE, /* the operation completed */
	STORM_STEP_FAIL, /* the operation failed for *reason */
	/* A resumption the responder refused completed as a full handshake instead. */
	STORM_STEP_DONE_FALLBACK,
};

/* Called with an event name ("cookie", "resume-nacked") as it happens. */
typedef void (*storm_note_fn)(void *arg, const char *event);

struct storm_client_opts {
	const char *ike_proposal; /* strongSwan notation, see ike_proposal_str.h */
	const char *esp_proposal;
	const char *psk;
	const char *id_format; /* one %u: the client index */
	bool initial_contact;
	bool ticket; /* N(TICKET_REQUEST) in IKE_AUTH; keep tickets for "resume" (RFC 5723) */
	/*
	 * Fake a NAT in front of us (strongSwan's "encap = yes"): our
	 * NAT_DETECTION_SOURCE_IP hashes an address we do not have, so the
	 * responder moves the Child SA to UDP encapsulation (RFC 7296 2.23).
	 * strongSwan with kernel-libipsec installs no Child SA otherwise.
	 */
	bool encap;
	/*
	 * CP(CFG_REQUEST) for a virtual IP of the traffic selectors' family in
	 * IKE_AUTH (RFC 7296 3.15); a handshake that gets none fails with
	 * "no-virtual-ip" (or the responder's internal-address-failure).
	 */
	bool vip;
	/*
	 * RFC 9242: announce IKE_INTERMEDIATE and run this many empty
	 * IKE_INTERMEDIATE exchanges after those of the RFC 9370 additional
	 * key exchanges (ke1_.. in the IKE proposal); -1: do not announce it.
	 */
	int intermediate;
	const struct sockaddr *target; /* the responder, for NAT_DETECTION_DESTINATION_IP */
	int family;		       /* AF_INET or AF_INET6: traffic selectors */
};

struct storm_clients;

/**
 * Creates n clients sharing one configuration; at most window of them may
 * be in a handshake at once. NULL with a reason in *err on failure.
 */
struct storm_clients *storm_clients_create(const struct storm_client_opts *o, unsigned n,
					   unsigned window, const struct cry_ops *ops,
					   const char **err);
void storm_clients_destroy(struct storm_clients *cl);

/** SPIi of client i's current IKE SA (0 before its first handshake). */
uint64_t storm_client_spi_i(const struct storm_clients *cl, unsigned i);
/** SPIi of a received IKE message (the demultiplexing key). */
uint64_t storm_client_msg_spi_i(const uint8_t *msg, size_t len);
/** True when client i holds an established IKE SA. */
bool storm_client_established(const struct storm_clients *cl, unsigned i);
/** True when client i holds a ticket it may still present. */
bool storm_client_has_ticket(const struct storm_clients *cl, unsigned i);
/** Where events go (NULL: nowhere). */
void storm_clients_set_note(struct storm_clients *cl, storm_note_fn fn, void *arg);

/*
 * Operations. Each begin call writes the first request into out; responses
 * go to storm_client_recv(). *out_len may be nonzero with WAIT, DONE or FAIL:
 * out then holds an answer to a request of the responder, to send once.
 */
/** IKE_SA_INIT + IKE_AUTH with PSK and a first Child SA (a fresh IKE SA). */
enum storm_step storm_client_full_begin(struct storm_clients *cl, unsigned i, uint8_t *out,
					size_t cap, size_t *out_len, const char **reason);
/**
 * The client forgets its IKE SA (an interrupted session) and resumes with
 * its ticket: IKE_SESSION_RESUME + IKE_AUTH (RFC 5723 4.3). On TICKET_NACK
 * it runs a full handshake instead, which ends in STORM_STEP_DONE_FALLBACK.
 */
enum storm_step storm_client_resume_begin(struct storm_clients *cl, unsigned i, uint8_t *out,
					  size_t cap, size_t *out_len, const char **reason);
/** INFORMATIONAL { D(IKE) } of the established IKE SA. */
enum storm_step storm_client_delete_begin(struct storm_clients *cl, unsigned i, uint8_t *out,
					  size_t cap, size_t *out_len, const char **reason);
/**
 * CREATE_CHILD_SA { SA, Ni, KEi }: rekeys the IKE SA (RFC 7296 1.3.2). Done
 * when the answer arrived; the D(IKE) of the old SA is then sent once (its
 * answer shows as an ignored "unknown-spi" response). The rekey revokes
 * the client's ticket (RFC 5723 9.8).
 */
enum storm_step storm_client_rekey_begin(struct storm_clients *cl, unsigned i, uint8_t *out,
					 size_t cap, size_t *out_len, const char **reason);
/** Consumes one message (decrypted in place) for client i. */
enum storm_step storm_client_recv(struct storm_clients *cl, unsigned i, uint8_t *msg, size_t len,
				  uint8_t *out, size_t cap, size_t *out_len, const char **reason);
/**
 * A request of the responder to client i while it runs no operation (a DPD
 * probe, an AUTH_LIFETIME request): answered as a real client would; true
 * when out holds the answer (*out_len octets) to send.
 */
bool storm_client_answer_idle(struct storm_clients *cl, unsigned i, uint8_t *msg, size_t len,
			      uint8_t *out, size_t cap, size_t *out_len);
/** Ends client i's operation (e.g. "timeout"); its handshake state is released. */
void storm_client_abort(struct storm_clients *cl, unsigned i);

/**
 * A flood request: an IKE_SA_INIT with the clients' proposal and a fresh
 * SPIi, nonce and key share, from no client (nobody answers its reply).
 * @return 0, or -1 when it could not be built.
 */
int storm_clients_flood_request(struct storm_clients *cl, uint8_t *out, size_t cap,
				size_t *out_len);

#endif
