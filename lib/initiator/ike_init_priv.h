/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the files of lib/initiator; not for use outside it. */
#ifndef IKE_INIT_PRIV_H
#define IKE_INIT_PRIV_H

#include "ike_initiator.h"
#include "ike_wire.h"

/* Ends the handshake or the SA with reason: wipes secrets, releases hs. */
enum ike_init_result ike_init_fail(struct ike_client *c, enum ike_init_result reason);
/* Wipes and detaches the handshake state (the caller may reuse it). */
void ike_init_hs_release(struct ike_client *c);

/* Draws n random octets that are not all zero (SPIs). */
enum ike_init_result ike_init_random_nonzero(const struct cry_ops *ops, uint8_t *out, size_t n);
/* A Child SA SPI of ours: random, above the reserved 1-255 (RFC 4303 2.1). */
enum ike_init_result ike_init_new_child_spi(const struct ike_client *c, uint32_t *spi);

/* Nonces and SPIs of an exchange, as the key schedule takes them. */
void ike_init_keys_input(struct ike_keys_input *in, uint64_t spi_i, uint64_t spi_r,
			 const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len);

/* Opens an encrypted request of ours: header, then the SK payload's IV room. */
void ike_init_sk_begin(const struct ike_client *c, struct ike_mb *b, uint8_t *out, size_t cap,
		       uint8_t exchange, uint8_t flags, uint32_t msg_id);
/* Pads, encrypts and protects what was added since ike_init_sk_begin(). */
enum ike_init_result ike_init_sk_finish(struct ike_client *c, struct ike_mb *b, uint8_t *out,
					size_t cap, size_t *len);
/*
 * Parses a message of this IKE SA, checks and decrypts its SK payload,
 * parses and validates the inner payloads into m.
 */
enum ike_init_result ike_init_sk_open(struct ike_client *c, uint8_t *msg, size_t len,
				      struct ike_msg *m);
/* The same, with where the inner payloads are (decrypted in place). */
enum ike_init_result ike_init_sk_open_plain(struct ike_client *c, uint8_t *msg, size_t len,
					    struct ike_msg *m, size_t *plain_off,
					    size_t *plain_len);

/* The first error notify of m (RFC 7296 3.10.1) as a result; DONE if none. */
enum ike_init_result ike_init_error_notify(const struct ike_msg *m);
/* Decodes the first payload of type in m into body/len; false if absent. */
bool ike_init_find(const struct ike_msg *m, uint8_t type, const uint8_t **body, size_t *len);
/*
 * The KE payload of m answering our exchange *kex of method: its shared
 * secret into secret/secret_len (in: room), *kex freed and cleared. DONE,
 * MALFORMED, ADDKE_MISMATCH (another method) or CRYPTO.
 */
enum ike_init_result ike_init_ke_secret(struct ike_client *c, const struct ike_msg *m,
					uint16_t method, struct cry_kex **kex, uint8_t *secret,
					size_t *secret_len);

/*
 * SA payloads with our one proposal; spi may be NULL (IKE_SA_INIT); alt
 * lists more KE groups we accept (0-terminated, may be NULL).
 */
/*
 * RFC 9370 ADDKE transforms of a proposal: the methods offered as ADDKE1..7
 * (0: that type not offered), NONE beside each when optional; the check of
 * the answer puts the ones the responder chose, in order and NONE left
 * out, into chosen[0..n).
 */
struct ike_init_addke {
	const uint16_t *list;
	bool optional;
	uint8_t n;
	uint16_t chosen[IKE_INIT_ADDKE_MAX];
};
void ike_init_add_sa_ike(struct ike_mb *b, const struct ike_transforms *t, uint16_t ke,
			 const uint16_t *alt, const struct ike_init_addke *ak, const uint8_t *spi,
			 uint8_t spi_size);
void ike_init_add_sa_esp(struct ike_mb *b, const struct ike_client_cfg *cfg, uint16_t ke,
			 uint32_t spi, const struct ike_init_addke *ak);
/*
 * Checks the responder's SA payload: one proposal of proto carrying
 * exactly the transforms we offered (ke: the KE group, 0 for none) and
 * an SPI of spi_size octets, copied to spi.
 */
enum ike_init_result ike_init_check_sa(const struct ike_msg *m, uint8_t proto,
				       const struct ike_transforms *t, uint16_t ke,
				       uint8_t spi_size, uint8_t *spi);
/*
 * The same for cfg's ESP proposal; the ESN transform the responder chose
 * goes to child, its ADDKE choice to ak (NULL: none offered).
 */
enum ike_init_result ike_init_check_sa_esp(const struct ike_msg *m,
					   const struct ike_client_cfg *cfg, uint16_t ke,
					   uint8_t *spi, struct ike_init_child *child,
					   struct ike_init_addke *ak);
/* An IKE SA rekey's answer (CREATE_CHILD_SA), its ADDKE choice to ak (may be NULL). */
enum ike_init_result ike_init_check_sa_ike_rekey(const struct ike_msg *m,
						 const struct ike_client_cfg *cfg, uint16_t ke,
						 uint8_t *spi, struct ike_init_addke *ak);
/*
 * IKE_SA_INIT: the SA payload with the RFC 9370 ADDKE transforms of cfg, and
 * the check of the responder's, whose chosen ADDKE methods go to hs.
 */
void ike_init_add_sa_ike_init(struct ike_mb *b, const struct ike_client_cfg *cfg, uint16_t ke,
			      const uint16_t *alt);
enum ike_init_result ike_init_check_sa_ike_init(const struct ike_msg *m,
						const struct ike_client_cfg *cfg, uint16_t ke,
						struct ike_client_hs *hs);
/*
 * NAT detection (RFC 7296 2.23; RFC 5723 4.3.2 anew on resumption): the two
 * notifies for the request when cfg->nat_detection and the addresses are
 * set, and the response's compared with them into c->nat_local/nat_remote.
 */
enum ike_init_result ike_init_natd_add(const struct ike_client *c, struct ike_mb *b);
enum ike_init_result ike_init_natd_check(struct ike_client *c, const struct ike_msg *m);
/* TSi/TSr payloads from the configuration. */
void ike_init_add_ts(struct ike_mb *b, const struct ike_client_cfg *cfg);
/* Reads the responder's TSi and TSr; each must lie inside what we asked for. */
enum ike_init_result ike_init_check_ts(const struct ike_msg *m, const struct ike_client_cfg *cfg,
				       struct ike_init_child *child);

/* ESP suite of the configuration; with_pfs selects cfg->esp.ke or none. */
enum ike_init_result ike_init_esp_suite(const struct ike_client *c, bool with_pfs,
					struct ike_esp_suite *esp);

/*
 * The responder's CREATE_CHILD_SA request m: answers its rekey of our Child
 * SA into b (SA, Nr, [KEr], TSi, TSr; the new SA becomes current), or adds
 * the error notify.
 */
enum ike_init_result ike_init_answer_child(struct ike_client *c, const struct ike_msg *m,
					   struct ike_mb *b);

/* Per exchange: responses to our requests, and requests of the responder. */
enum ike_init_result ike_init_sa_init_recv(struct ike_client *c, uint8_t *msg, size_t len,
					   uint8_t *out, size_t cap, size_t *out_len);
/*
 * Keeps the responder's N(COOKIE) for the next copy of the first request
 * (RFC 7296 2.6, RFC 5723 4.3.2); DONE, or the client failed.
 */
enum ike_init_result ike_init_cookie_take(struct ike_client *c, const struct ike_pld_notify *n);
/*
 * After IKE_SA_INIT or IKE_SESSION_RESUME: with the new SA's keys derived
 * (keys_st), builds and sends IKE_AUTH (message ID 1), or fails the client.
 */
enum ike_init_result ike_init_auth_send(struct ike_client *c, enum ike_status keys_st,
					uint8_t *out, size_t cap, size_t *out_len);
/*
 * RFC 9242: after IKE_SA_INIT's keys (keys_st), the first IKE_INTERMEDIATE
 * request when there is one to make, else IKE_AUTH (ike_init_auth_send).
 */
enum ike_init_result ike_init_after_sa_init(struct ike_client *c, enum ike_status keys_st,
					    uint8_t *out, size_t cap, size_t *out_len);
/* An IKE_INTERMEDIATE response: IntAuth, key update, then the next request. */
enum ike_init_result ike_init_int_recv(struct ike_client *c, uint8_t *msg, size_t len, uint8_t *out,
				       size_t cap, size_t *out_len);
/*
 * RFC 7383 2.6: one fragment of a response; DONE once the response is
 * whole in c->frag_buf->msg (*out_len octets, sealed again), IGNORED while
 * fragments are missing (or a replay), else why it was dropped.
 */
enum ike_init_result ike_init_frag_recv(struct ike_client *c, uint8_t *msg, size_t len,
					size_t *out_len);
/* IntAuth for our AUTH octets into out (IKE_INT_AUTH_MAX); 0 when none. */
size_t ike_init_int_auth(const struct ike_client *c, uint8_t *out);
enum ike_init_result ike_init_auth_build(struct ike_client *c, uint8_t *out, size_t cap,
					 size_t *len);
enum ike_init_result ike_init_auth_recv(struct ike_client *c, uint8_t *msg, size_t len);
enum ike_init_result ike_init_info_recv(struct ike_client *c, uint8_t *msg, size_t len);
enum ike_init_result ike_init_child_recv(struct ike_client *c, uint8_t *msg, size_t len,
					 uint8_t *out, size_t cap, size_t *out_len);
enum ike_init_result ike_init_peer_request(struct ike_client *c, uint8_t *msg, size_t len,
					   uint8_t *out, size_t cap, size_t *out_len);
/* IKE_SESSION_RESUME response (RFC 5723 4.3.2): keys, then the IKE_AUTH request. */
enum ike_init_result ike_init_resume_recv(struct ike_client *c, uint8_t *msg, size_t len,
					  uint8_t *out, size_t cap, size_t *out_len);

/* Tickets (RFC 5723 4.1, 4.2): whether to send N(TICKET_REQUEST), and its answer. */
bool ike_init_ticket_wanted(const struct ike_client *c);
void ike_init_ticket_read(struct ike_client *c, const struct ike_msg *m);
/* Wipes the stored ticket: used, refused, or revoked by the responder. */
void ike_init_ticket_drop(struct ike_client *c);

/*
 * The new SA of a CREATE_CHILD_SA once every secret is known (RFC 7296
 * 2.17, 2.18; RFC 9370 2.2.5: more = SK(1) | ... | SK(n), may be empty):
 * the IKE SA rekey switches to the new SA and puts the DELETE of the old
 * one in out; the Child SA becomes current (a rekey puts the DELETE of
 * the old one in out).
 */
enum ike_init_result ike_init_rekey_ike_commit(struct ike_client *c, const uint8_t *spi_r,
					       const uint8_t *nr, size_t nr_len, const uint8_t *sk0,
					       size_t sk0_len, const uint8_t *more,
					       size_t more_len, uint8_t *out, size_t cap,
					       size_t *out_len);
enum ike_init_result ike_init_child_commit(struct ike_client *c, struct ike_init_child *child,
					   const uint8_t *nr, size_t nr_len, const uint8_t *sk0,
					   size_t sk0_len, const uint8_t *more, size_t more_len,
					   uint8_t *out, size_t cap, size_t *out_len);
/* The client's state after a CREATE_CHILD_SA or IKE_FOLLOWUP_KE answer with result r. */
enum ike_init_result ike_init_child_settle(struct ike_client *c, enum ike_init_result r,
					   uint32_t msg_id);

/* ike_init_followup.c: RFC 9370 2.2.4 IKE_FOLLOWUP_KE. */
/*
 * A CREATE_CHILD_SA answer m chose the additional key exchanges of ak:
 * keeps what the new SA needs (the responder's SPI for an IKE SA rekey,
 * the Child SA otherwise) and builds the first IKE_FOLLOWUP_KE request.
 */
enum ike_init_result ike_init_followup_begin(struct ike_client *c, const struct ike_msg *m,
					     const struct ike_pld_nonce *nr,
					     const struct ike_init_addke *ak, const uint8_t *spi_r,
					     const struct ike_init_child *child,
					     const uint8_t *sk0, size_t sk0_len, uint8_t *out,
					     size_t cap, size_t *out_len);
/* HDR(IKE_FOLLOWUP_KE, c->msg_id), SK {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)(link)}, a fresh KEi. */
enum ike_init_result ike_init_followup_request(struct ike_client *c, uint8_t *out, size_t cap,
					       size_t *len);
/*
 * The responder's rekey of our Child SA chose additional exchanges: keeps
 * child (no keys yet), the nonces, SK(0) and a new link in c->fu, whose
 * N(ADDITIONAL_KEY_EXCHANGE) ike_init_followup_add_link() puts in the
 * answer. False: unusable values or no randomness.
 */
bool ike_init_followup_answer_begin(struct ike_client *c, const struct ike_init_addke *ak,
				    const struct ike_init_child *child, const uint8_t *ni,
				    size_t ni_len, const uint8_t *nr, size_t nr_len,
				    const uint8_t *sk0, size_t sk0_len);
void ike_init_followup_add_link(const struct ike_client *c, struct ike_mb *b);
/* The responder's IKE_FOLLOWUP_KE request m answered into b (the last one installs the SA). */
enum ike_init_result ike_init_followup_answer(struct ike_client *c, const struct ike_msg *m,
					      struct ike_mb *b);
/*
 * The responder started the rekey: child keyed from the secrets (its Ni
 * first, its keys our inbound ones) becomes the current Child SA, the old
 * one kept as prev_spi_* until the responder deletes it.
 */
enum ike_init_result ike_init_child_adopt(struct ike_client *c, struct ike_init_child *child,
					  const uint8_t *ni, size_t ni_len, const uint8_t *nr,
					  size_t nr_len, const uint8_t *sk0, size_t sk0_len,
					  const uint8_t *more, size_t more_len);
enum ike_init_result ike_init_followup_recv(struct ike_client *c, uint8_t *msg, size_t len,
					    uint8_t *out, size_t cap, size_t *out_len);
/* Frees the key exchange in flight and wipes the follow-up state. */
void ike_init_followup_end(struct ike_client *c);

/* Builds HDR, SK {D(ESP, spi)} as the next request. */
enum ike_init_result ike_init_build_delete_child(struct ike_client *c, uint32_t spi, uint8_t *out,
						 size_t cap, size_t *len);

#endif
