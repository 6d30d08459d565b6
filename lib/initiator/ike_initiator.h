/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv2 initiator (RFC 7296), sans-I/O: the opposite role of lib/core, for
 * the exchange tests and the storm load generator. Bytes go in, request or
 * response bytes come out; time, retransmission and timeouts belong to the
 * caller (it resends its last request buffer unchanged, RFC 7296 2.1).
 *
 * Memory: struct ike_client is the compact per-client state the caller
 * owns (one per simulated client). A handshake in flight also needs a
 * struct ike_client_hs (the IKE_SA_INIT messages for the AUTH payloads);
 * the caller attaches one at ike_init_start() and gets it back, wiped
 * (the kept messages up to their lengths, everything else whole), once
 * the client leaves the handshake, so a pool sized by the number of
 * concurrent handshakes serves any number of clients. Nothing allocates,
 * except the key-exchange object the crypto driver creates for each DH.
 *
 * One request is outstanding at a time (window size 1, RFC 7296 2.3).
 */
#ifndef IKE_INITIATOR_H
#define IKE_INITIATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_const.h"
#include "ike_keys.h"
#include "ike_suite.h"

#define IKE_INIT_NONCE_LEN	32	/* RFC 7296 2.10: at least half the PRF key size */
#define IKE_INIT_HS_MSG_MAX	1500	/* IKE_SA_INIT request / response kept for AUTH */
#define IKE_INIT_COOKIE_MAX	64	/* RFC 7296 2.6 */
#define IKE_INIT_MAX_KE_ALT	3	/* KE groups offered besides the KEi group */
#define IKE_INIT_ADDKE_MAX 7		/* RFC 9370 ADDKE1..ADDKE7 */
/* Largest IKE_INTERMEDIATE message (before encryption) IntAuth covers. */
#define IKE_INIT_INT_MSG_MAX 4096
#define IKE_INIT_FRAG_MAX 32	   /* fragments of one message (RFC 7383) */
#define IKE_INIT_FRAG_MSG_MAX 8192 /* a reassembled response */
/*
 * Largest ticket kept (RFC 5723 7.1, without the Lifetime). ikefarm's are
 * about 250 octets (docs/tickets.md); a larger one is not kept and the
 * answer counts as IKE_INIT_TICKET_TOO_BIG.
 */
#define IKE_INIT_TICKET_MAX	384

/*
 * What ike_init_start()/ike_init_recv() and the builders report. The first
 * group tells the caller what to do with out; the second are drops that
 * leave the client as it was; the third end the exchange with a reason:
 * during the handshake they fail the client (state FAILED), in a later
 * exchange the IKE SA stays up unless the state says otherwise.
 */
#define IKE_INIT_RESULT_LIST(X)                                                                    \
	X(IKE_INIT_R_SEND_REQUEST, "send-request")                                                 \
	X(IKE_INIT_R_SEND_RESPONSE, "send-response")                                               \
	X(IKE_INIT_R_ESTABLISHED, "established")                                                   \
	X(IKE_INIT_R_DONE, "done")                                                                 \
	X(IKE_INIT_R_CLOSED, "closed")                                                             \
	X(IKE_INIT_R_IGNORED, "ignored")                                                           \
	X(IKE_INIT_R_BAD_ICV, "bad-icv")                                                           \
	X(IKE_INIT_R_MALFORMED, "malformed")                                                       \
	X(IKE_INIT_R_AUTH_FAILED_RECEIVED, "authentication-failed-received")                       \
	X(IKE_INIT_R_NO_PROPOSAL_CHOSEN, "no-proposal-chosen")                                     \
	X(IKE_INIT_R_TS_UNACCEPTABLE, "ts-unacceptable")                                           \
	X(IKE_INIT_R_PEER_ERROR, "peer-error-notify")                                              \
	X(IKE_INIT_R_ADDRESS_FAILURE, "internal-address-failure")                                  \
	X(IKE_INIT_R_PEER_AUTH_BAD, "responder-auth-bad")                                          \
	X(IKE_INIT_R_PEER_ID_MISMATCH, "responder-id-mismatch")                                    \
	X(IKE_INIT_R_PROPOSAL_MISMATCH, "responder-chose-unoffered")                               \
	X(IKE_INIT_R_TS_NOT_NARROWED, "responder-ts-outside-request")                              \
	X(IKE_INIT_R_INVALID_KE_REPEAT, "invalid-ke-repeated")                                     \
	X(IKE_INIT_R_COOKIE_REPEAT, "cookie-repeated")                                             \
	X(IKE_INIT_R_RESUME_NACKED, "resume-nacked")                                               \
	X(IKE_INIT_R_NO_TICKET, "no-ticket")                                                       \
	X(IKE_INIT_R_CHILDLESS_UNSUPPORTED, "childless-unsupported")                               \
	X(IKE_INIT_R_ADDKE_MISMATCH, "responder-addke-ke-mismatch")                                \
	X(IKE_INIT_R_STATE_NOT_FOUND, "state-not-found")                                           \
	X(IKE_INIT_R_TIMEOUT, "timeout")                                                           \
	X(IKE_INIT_R_BAD_STATE, "bad-state")                                                       \
	X(IKE_INIT_R_NOSPACE, "no-space")                                                          \
	X(IKE_INIT_R_CRYPTO, "crypto-failure")                                                     \
	X(IKE_INIT_R_UNSUPPORTED, "unsupported-config")

enum ike_init_result {
#define IKE_INIT_RESULT_ENUM(e, s) e,
	IKE_INIT_RESULT_LIST(IKE_INIT_RESULT_ENUM)
#undef IKE_INIT_RESULT_ENUM
		IKE_INIT_RESULT_COUNT
};

/** True for the results that end an exchange with a reason (not normal, not a drop). */
static inline bool
ike_init_result_failed(enum ike_init_result r)
{
	return r >= IKE_INIT_R_AUTH_FAILED_RECEIVED;
}

enum ike_init_state {
	IKE_INIT_S_IDLE, /* nothing sent yet */
	IKE_INIT_S_SA_INIT_SENT,
	IKE_INIT_S_AUTH_SENT,
	IKE_INIT_S_INT_SENT,	/* IKE_INTERMEDIATE request outstanding (RFC 9242) */
	IKE_INIT_S_RESUME_SENT, /* IKE_SESSION_RESUME request outstanding (RFC 5723 4.3.2) */
	IKE_INIT_S_ESTABLISHED, /* no request outstanding */
	IKE_INIT_S_REQ_SENT,	/* a later exchange's request outstanding */
	IKE_INIT_S_CLOSED,	/* IKE SA deleted (by us or the responder) */
	IKE_INIT_S_FAILED,	/* see ike_client.fail */
};

/* What the outstanding request of an established IKE SA is. */
enum ike_init_req {
	IKE_INIT_REQ_NONE,
	IKE_INIT_REQ_LIVENESS,
	IKE_INIT_REQ_DELETE_IKE,
	IKE_INIT_REQ_DELETE_CHILD,
	IKE_INIT_REQ_NEW_CHILD,
	IKE_INIT_REQ_REKEY_CHILD,
	IKE_INIT_REQ_REKEY_IKE,
	IKE_INIT_REQ_TICKET,
	IKE_INIT_REQ_FOLLOWUP_KE, /* RFC 9370 2.2.4, after one of the three above */
};

/* What the responder said to our last N(TICKET_REQUEST) (RFC 5723 4.1). */
enum ike_init_ticket_answer {
	IKE_INIT_TICKET_NONE,	 /* not asked, or no answer in the response */
	IKE_INIT_TICKET_ISSUED,	 /* N(TICKET_LT_OPAQUE): stored */
	IKE_INIT_TICKET_ACK,	 /* N(TICKET_ACK): ask again later (ike_init_req_ticket) */
	IKE_INIT_TICKET_NACK,	 /* N(TICKET_NACK): refused */
	IKE_INIT_TICKET_TOO_BIG, /* a ticket larger than IKE_INIT_TICKET_MAX: not kept */
};

/* A transport address (host-order port); family 4 or 6, IPv4 in ip[0..3]. */
struct ike_init_addr {
	uint8_t family;
	uint8_t reserved;
	uint16_t port;
	uint8_t ip[16];
};

/* One traffic selector (RFC 7296 3.13.1): IKE_TS_IPV4/IPV6_ADDR_RANGE. */
struct ike_init_ts {
	uint8_t type;
	uint8_t ip_proto; /* 0: any */
	uint16_t start_port;
	uint16_t end_port;
	uint8_t start[16];
	uint8_t end[16];
};

/* Who a client is: IDi of any ID type and its pre-shared key. */
struct ike_init_cred {
	uint8_t id_type; /* IKE_ID_* */
	uint8_t id_len;
	const uint8_t *id;
	const uint8_t *psk;
	size_t psk_len;
};

/* The ESN transforms (RFC 7296 3.3.2 type 5) of the ESP proposal. */
enum ike_init_esn {
	IKE_INIT_ESN_NO,     /* NO_ESN only: 32-bit sequence numbers */
	IKE_INIT_ESN_YES,    /* ESN only: 64-bit (RFC 4303 2.2.1) */
	IKE_INIT_ESN_EITHER, /* both; the responder picks */
};

/* Shared by any number of clients; must outlive them. */
struct ike_client_cfg {
	struct ike_transforms ike; /* the one IKE proposal; ike.ke is the group of KEi */
	/* More KE groups offered in SAi1 (0-terminated), for INVALID_KE_PAYLOAD (1.2). */
	uint16_t ike_ke_alt[IKE_INIT_MAX_KE_ALT];
	struct ike_transforms esp; /* the one ESP proposal; ke: PFS group for CREATE_CHILD_SA */
	uint8_t esp_esn;           /* enum ike_init_esn: its ESN transforms (RFC 4303 2.2.1) */
	struct ike_init_cred cred; /* default identity; ike_init_set_cred() overrides it */
	uint8_t idr_type;          /* optional IDr in IKE_AUTH: 0 = none */
	uint8_t idr_len;
	const uint8_t *idr;
	bool initial_contact;      /* N(INITIAL_CONTACT) in IKE_AUTH */
	bool nat_detection;        /* NAT_DETECTION_*_IP (needs ike_init_set_addrs()) */
	/* N(TICKET_REQUEST) in IKE_AUTH (RFC 5723 4.1, 4.3.3); needs ike_init_set_ticket(). */
	bool ticket_request;
	/*
	 * RFC 6023: N(CHILDLESS_IKEV2_SUPPORTED) in IKE_SA_INIT and an IKE_AUTH
	 * without SA, TSi and TSr (an IKE SA with no Child SA; children come
	 * with CREATE_CHILD_SA). A responder that does not announce it too
	 * fails the handshake with IKE_INIT_R_CHILDLESS_UNSUPPORTED.
	 */
	bool childless;
	/*
	 * CP(CFG_REQUEST) in IKE_AUTH (RFC 7296 3.15) for a virtual IPv4 and/or
	 * IPv6 address, with INTERNAL_IP4_NETMASK and the DNS servers; a
	 * non-zero cp_want4/cp_want6 asks for that address. The answer lands
	 * in ike_client.vip; TSi should then be the whole family (the
	 * responder narrows it to the address).
	 */
	bool cp_v4;
	bool cp_v6;
	uint8_t cp_want4[4];
	uint8_t cp_want6[16];
	/*
	 * RFC 9242: N(INTERMEDIATE_EXCHANGE_SUPPORTED) in IKE_SA_INIT. When the
	 * responder announces it too, one IKE_INTERMEDIATE per additional key
	 * exchange it chose, then intermediate_extra empty ones, then IKE_AUTH
	 * with IntAuth in both AUTH payloads.
	 */
	bool intermediate;
	uint8_t intermediate_extra;
	/*
	 * RFC 9370: the method offered as ADDKE1..7 (0: that type not offered);
	 * addke_optional offers NONE beside each, so the responder may decline.
	 */
	uint16_t addke[IKE_INIT_ADDKE_MAX];
	bool addke_optional;
	/*
	 * The responder's rekey of our Child SA (CREATE_CHILD_SA with
	 * REKEY_SA) is answered with this error notify instead (tests); 0:
	 * answered with the new SA. INVALID_KE_PAYLOAD names esp.ke as the
	 * group wanted, whatever the request's KE.
	 */
	uint16_t rekey_answer_error;
	/*
	 * RFC 9370 in CREATE_CHILD_SA (2.2.4): the ADDKE methods of our ESP
	 * proposal (with NONE beside each when addke_optional); an IKE SA rekey
	 * offers addke. Only clients with ike_init_set_followup() offer them;
	 * the exchanges the responder chose run as IKE_FOLLOWUP_KE before the
	 * new SA is made.
	 */
	uint16_t esp_addke[IKE_INIT_ADDKE_MAX];
	/*
	 * RFC 7383: N(IKEV2_FRAGMENTATION_SUPPORTED) in IKE_SA_INIT; fragmented
	 * responses are then reassembled (during the handshake) in the
	 * client's ike_init_set_frag_buf() room, which ike_init_start()
	 * requires. Requests are cut by the caller with ike_init_fragment().
	 */
	bool fragmentation;
	struct ike_init_ts tsi;
	/* Optional (type 0: none): a second TSi of the other family (dual stack). */
	struct ike_init_ts tsi2;
	struct ike_init_ts tsr;
};

/* Handshake-only state, attached while IKE_SA_INIT/IKE_AUTH are in flight. */
struct ike_client_hs {
	struct cry_kex *kex;
	struct cry_kex *addke_kex; /* the additional key exchange in flight */
	uint8_t int_ok;		   /* both sides announced IKE_INTERMEDIATE */
	uint8_t int_n;		   /* IKE_INTERMEDIATE exchanges done */
	uint8_t addke_n;	   /* additional key exchanges the responder chose */
	uint8_t addke_done;
	uint16_t addke[IKE_INIT_ADDKE_MAX];  /* their methods in ADDKE order, NONE left out */
	uint8_t int_auth_i[CRY_MAX_PRF_LEN]; /* IntAuth_in, IntAuth_rn (RFC 9242 3.3.2) */
	uint8_t int_auth_r[CRY_MAX_PRF_LEN];
	uint8_t frag_ok;        /* both sides announced RFC 7383 fragmentation */
	uint32_t frag_msg_id;   /* the response being reassembled */
	uint32_t frag_have;     /* bit n - 1: fragment n kept */
	uint16_t frag_total;
	uint16_t frag_used;
	uint8_t frag_first_inner; /* fragment 1's SKF Next Payload and RESERVED */
	uint8_t frag_first_reserved;
	uint16_t frag_off[IKE_INIT_FRAG_MAX];
	uint16_t frag_len[IKE_INIT_FRAG_MAX];
	uint16_t ke_len;
	uint16_t nr_len;
	uint16_t msg1_len;
	uint16_t msg2_len;
	uint8_t cookie_len;
	uint8_t ke[CRY_MAX_KEX_PUB];
	uint8_t nr[IKE_NONCE_MAX];
	uint8_t cookie[IKE_INIT_COOKIE_MAX];
	uint8_t msg1[IKE_INIT_HS_MSG_MAX]; /* RealMessage1: our last IKE_SA_INIT request */
	uint8_t msg2[IKE_INIT_HS_MSG_MAX]; /* RealMessage2: the responder's answer */
};

/*
 * Room to reassemble a fragmented response (RFC 7383), caller memory
 * attached with ike_init_set_frag_buf(): only clients with
 * cfg->fragmentation need one, so a pool of handshake states stays small.
 */
struct ike_init_frag_buf {
	uint8_t data[IKE_INIT_FRAG_MSG_MAX]; /* fragments' plaintext, as they came */
	uint8_t msg[IKE_INIT_FRAG_MSG_MAX];  /* the response, whole (sealed again) */
};

/*
 * A resumption ticket with what the client must keep beside it, the items
 * "from the ticket" of RFC 5723 5 that the opaque ticket hides from us:
 * SK_d of the SA it was issued for, that SA's suite, and the credential
 * (IDi) it authenticated with. Caller memory, attached with
 * ike_init_set_ticket(); len == 0 means no ticket. The library keeps no
 * time: the caller notes when the ticket arrived and must not present it
 * after lifetime_s (4.3.1).
 */
struct ike_init_ticket {
	const struct ike_init_cred *cred; /* IDi of the ticket's SA (4.3.3: must be reused) */
	struct ike_suite suite;
	uint32_t lifetime_s;  /* TICKET_LT_OPAQUE Lifetime: seconds from its arrival */
	uint16_t len;
	uint8_t sk_d[CRY_MAX_PRF_LEN]; /* suite.prf_len octets */
	uint8_t data[IKE_INIT_TICKET_MAX];
};

/*
 * What CP(CFG_REPLY) gave: the virtual IPs, the first DNS server of each
 * family and the first protected IPv4 subnet (address | netmask).
 */
struct ike_init_vip {
	uint8_t has4 : 1;
	uint8_t has6 : 1;
	uint8_t has_dns4 : 1;
	uint8_t has_dns6 : 1;
	uint8_t has_subnet4 : 1;
	uint8_t subnet4[8];
	uint8_t ip4[4];
	uint8_t mask4[4];
	uint8_t dns4[4];
	uint8_t ip6[16];
	uint8_t dns6[16];
};

/* A Child SA as the initiator sees it. */
struct ike_init_child {
	uint32_t spi_in;  /* ours: the responder sends ESP with it */
	uint32_t spi_out; /* the responder's */
	struct ike_child_keys keys; /* init_to_resp = outbound for us */
	struct ike_init_ts tsi;     /* as narrowed by the responder */
	struct ike_init_ts tsi2;    /* its first selector of the other family; type 0: none */
	struct ike_init_ts tsr;
	bool esn;                   /* the responder chose ESN: 64-bit sequence numbers */
};

/* Link data we keep from an N(ADDITIONAL_KEY_EXCHANGE) (RFC 9370: opaque, any length). */
#define IKE_INIT_LINK_MAX 64

/*
 * RFC 9370 2.2.4: a CREATE_CHILD_SA whose additional key exchanges run in
 * IKE_FOLLOWUP_KE, caller memory attached with ike_init_set_followup()
 * (only clients that offer ADDKE in CREATE_CHILD_SA need one).
 */
struct ike_init_followup {
	struct cry_kex *kex;   /* the exchange in flight */
	uint8_t req;	       /* enum ike_init_req of the CREATE_CHILD_SA */
	uint8_t n;	       /* additional key exchanges the responder chose */
	uint8_t done;
	uint8_t link_len;
	uint16_t addke[IKE_INIT_ADDKE_MAX]; /* their methods in ADDKE order */
	uint8_t link[IKE_INIT_LINK_MAX];    /* from the responder's last N(ADDITIONAL_KEY_EXCHANGE) */
	uint8_t spi[IKE_SPI_LEN];	    /* the responder's SPI of the new SA */
	uint16_t nr_len;
	uint16_t sk0_len;
	uint16_t more_len;
	uint8_t peer;	       /* the responder rekeys our Child SA: we answer its requests */
	uint16_t ni_len;       /* peer: the responder's Ni (ours is nr) */
	uint8_t ni[IKE_NONCE_MAX];
	uint8_t nr[IKE_NONCE_MAX];
	struct ike_init_child child;			/* its selectors and SPIs */
	uint8_t sk0[CRY_MAX_KEX_SECRET];		/* SK(0): the CREATE_CHILD_SA KE */
	uint8_t more[IKE_KEYS_ADDKE_SECRETS_MAX];	/* SK(1) | ... */
};

struct ike_client {
	const struct ike_client_cfg *cfg;
	const struct cry_ops *ops;
	const struct ike_init_cred *cred;
	struct ike_client_hs *hs;
	struct ike_init_ticket *ticket; /* where a received ticket goes; NULL: none asked */
	struct ike_init_frag_buf *frag_buf; /* RFC 7383 reassembly room; NULL: none */
	struct ike_init_followup *fu;       /* RFC 9370 IKE_FOLLOWUP_KE state; NULL: none */
	struct cry_kex *kex;      /* CREATE_CHILD_SA with KE in flight */
	uint64_t spi_i;
	uint64_t spi_r;
	uint64_t new_spi_i;       /* IKE rekey in flight */
	uint32_t msg_id;          /* of the outstanding (or next) request */
	uint32_t peer_msg_id;     /* next request expected from the responder */
	uint32_t auth_lifetime_s; /* RFC 4478 N(AUTH_LIFETIME); 0 if none seen */
	uint32_t pending_spi;     /* Child SPI of the request in flight: new or deleted */
	uint16_t ke_group;        /* current IKE KE group (may follow INVALID_KE) */
	uint8_t state;            /* enum ike_init_state */
	uint8_t req;              /* enum ike_init_req */
	uint8_t fail;             /* enum ike_init_result when FAILED */
	uint8_t ticket_answer;    /* enum ike_init_ticket_answer of the last response */
	uint8_t invalid_ke_seen : 1;
	uint8_t nat_local : 1;    /* our address is translated (RFC 7296 2.23) */
	uint8_t nat_remote : 1;
	uint8_t has_addrs : 1;
	uint8_t has_child : 1;
	uint8_t resumed : 1;      /* the SA came from IKE_SESSION_RESUME */
	uint8_t childless : 1;    /* both announced RFC 6023: IKE_AUTH without a Child SA */
	uint8_t ni[IKE_INIT_NONCE_LEN];
	struct ike_suite suite;
	struct ike_sa_keys keys;
	struct ike_init_child child;
	uint32_t prev_spi_in;     /* the Child SA the responder rekeyed, until it deletes it */
	uint32_t prev_spi_out;
	struct ike_init_vip vip;  /* from the last IKE_AUTH's CP(CFG_REPLY) */
	struct ike_init_addr local;
	struct ike_init_addr remote;
};

const char *ike_init_result_name(enum ike_init_result r);
const char *ike_init_state_name(enum ike_init_state s);

/**
 * Prepares a client; cfg and ops must outlive it. Checks that cfg's suites
 * are ones lib/keys supports.
 * @return IKE_INIT_R_DONE or IKE_INIT_R_UNSUPPORTED.
 */
enum ike_init_result ike_init_client_init(struct ike_client *c, const struct ike_client_cfg *cfg,
					  const struct cry_ops *ops);

/** Per-client identity and PSK (caller memory, must outlive the client). */
void ike_init_set_cred(struct ike_client *c, const struct ike_init_cred *cred);

/** Addresses for NAT detection: ours and the responder's, as we send. */
void ike_init_set_addrs(struct ike_client *c, const struct ike_init_addr *local,
			const struct ike_init_addr *remote);

/**
 * Builds the IKE_SA_INIT request  HDR, SAi1, KEi, Ni, [N(NAT_DETECTION_*)]
 * into out with hs attached for the handshake.
 * @return IKE_INIT_R_SEND_REQUEST, or a failure.
 */
enum ike_init_result ike_init_start(struct ike_client *c, struct ike_client_hs *hs, uint8_t *out,
				    size_t cap, size_t *len);

/**
 * Where tickets go (caller memory, may be shared with no other client);
 * NULL detaches. A ticket already in t is kept and can be presented.
 */
void ike_init_set_ticket(struct ike_client *c, struct ike_init_ticket *t);

/**
 * Returns an ended or established client to IDLE with its configuration,
 * credential, addresses and ticket store, as after a crash of its side:
 * the old SA is forgotten without a DELETE (RFC 5723 4.3.1 "interrupted").
 */
void ike_init_client_reset(struct ike_client *c);

/**
 * Resumes with the stored ticket (RFC 5723 4.3.2): builds
 *   HDR(SPIi new, 0), Ni, N(TICKET_OPAQUE)
 * with hs attached. A COOKIE answer is retried like IKE_SA_INIT. The
 * response leads, through ike_init_recv(), to the IKE_AUTH request (4.3.3:
 * AUTH = prf(SK_pi, octets), IDi of the ticket, no CERT, a first Child
 * SA, N(TICKET_REQUEST) with cfg->ticket_request) and then ESTABLISHED
 * with c->resumed set. N(TICKET_NACK) ends it with IKE_INIT_R_RESUME_NACKED:
 * the ticket is dropped and the caller falls back to ike_init_start()
 * after ike_init_client_reset(). A ticket is used up once an SA is
 * established with it (4.3.1): the store then holds the new ticket, if
 * the responder gave one, or none.
 * @return IKE_INIT_R_SEND_REQUEST, IKE_INIT_R_NO_TICKET, or a failure.
 */
enum ike_init_result ike_init_start_resume(struct ike_client *c, struct ike_client_hs *hs,
					   uint8_t *out, size_t cap, size_t *len);

/**
 * Consumes one message from the responder. msg is decrypted in place.
 * Depending on the result out holds the next request (IKE_AUTH after
 * IKE_SA_INIT, the IKE_SA_INIT retry with a COOKIE or another KE group, the
 * DELETE of a rekeyed SA) or the response to a request of the responder;
 * *out_len is 0 when nothing is to be sent.
 */
enum ike_init_result ike_init_recv(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out,
				   size_t cap, size_t *out_len);

/** Ends the client with a reason (e.g. IKE_INIT_R_TIMEOUT) and wipes its secrets. */
void ike_init_abort(struct ike_client *c, enum ike_init_result reason);

/**
 * RFC 7383 2.5: cuts a request of ours (msg, as built by this client: an
 * SK message) into Encrypted Fragment messages of at most frag_size
 * octets each, written back to back into out; lens[] gets their lengths
 * (at most IKE_INIT_FRAG_MAX). The caller sends (and resends) them instead
 * of msg. IntAuth was computed over msg's plaintext, as the RFC wants.
 * @return IKE_INIT_R_SEND_REQUEST with *n fragments, or a failure.
 */
enum ike_init_result ike_init_fragment(struct ike_client *c, const uint8_t *msg, size_t len,
				       size_t frag_size, uint8_t *out, size_t cap,
				       uint16_t lens[IKE_INIT_FRAG_MAX], unsigned *n);

/** Attaches the room fragmented responses are reassembled in (NULL detaches). */
void ike_init_set_frag_buf(struct ike_client *c, struct ike_init_frag_buf *buf);

/**
 * Attaches the state for RFC 9370 additional key exchanges in
 * CREATE_CHILD_SA (NULL detaches). With it, new Child SAs, Child SA rekeys
 * and IKE SA rekeys offer cfg->esp_addke / cfg->addke; when the responder
 * chooses some, the CREATE_CHILD_SA answer returns IKE_INIT_R_SEND_REQUEST
 * with the first IKE_FOLLOWUP_KE request in out, and so on until the last
 * answer, which completes the request as a CREATE_CHILD_SA answer would.
 * STATE_NOT_FOUND (IKE_INIT_R_STATE_NOT_FOUND) or another error abandons it.
 */
void ike_init_set_followup(struct ike_client *c, struct ike_init_followup *fu);

/** Wipes every secret and frees pending key-exchange objects. */
void ike_init_client_fini(struct ike_client *c);

/*
 * Requests of an established IKE SA (state ESTABLISHED). Each returns
 * IKE_INIT_R_SEND_REQUEST with the message in out, or a failure.
 */
/** INFORMATIONAL liveness check: HDR, SK {} (RFC 7296 1.4). */
enum ike_init_result ike_init_req_liveness(struct ike_client *c, uint8_t *out, size_t cap,
					   size_t *len);
/**
 * HDR, SK {N(TICKET_REQUEST)}: asks for a ticket later, e.g. after
 * TICKET_ACK (RFC 5723 4.1). The answer lands in c->ticket_answer.
 */
enum ike_init_result ike_init_req_ticket(struct ike_client *c, uint8_t *out, size_t cap,
					 size_t *len);
/** HDR, SK {D(IKE)}. */
enum ike_init_result ike_init_req_delete_ike(struct ike_client *c, uint8_t *out, size_t cap,
					     size_t *len);
/** HDR, SK {D(ESP, our inbound SPI)} for the current Child SA. */
enum ike_init_result ike_init_req_delete_child(struct ike_client *c, uint8_t *out, size_t cap,
					       size_t *len);
/**
 * CREATE_CHILD_SA { SA, Ni, [KEi,] TSi, TSr }: an additional Child SA (1.3.1).
 * The client tracks one Child SA: the new one becomes ike_client.child.
 */
enum ike_init_result ike_init_req_new_child(struct ike_client *c, uint8_t *out, size_t cap,
					    size_t *len);
/**
 * CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, [KEi,] TSi, TSr } for the current
 * Child SA (1.3.3). Its answer makes the new Child SA current and puts the
 * DELETE of the old one in out (IKE_INIT_R_SEND_REQUEST, a normal request).
 */
enum ike_init_result ike_init_req_rekey_child(struct ike_client *c, uint8_t *out, size_t cap,
					      size_t *len);
/**
 * CREATE_CHILD_SA { SA, Ni, KEi }: rekeys the IKE SA (1.3.2). When the
 * answer arrives, ike_init_recv() switches the client to the new SA and
 * returns IKE_INIT_R_SEND_REQUEST with HDR, SK {D(IKE)} of the old SA in
 * out: send it once; its answer comes on the old SA and is IGNORED.
 */
enum ike_init_result ike_init_req_rekey_ike(struct ike_client *c, uint8_t *out, size_t cap,
					    size_t *len);

#endif
