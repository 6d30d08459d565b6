/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A tiny scripted IKEv2 responder for the initiator's own tests, built
 * from the wire builder, lib/sk and lib/keys: it answers exactly what a
 * test asks for and can be told to misbehave (wrong PSK, COOKIE, other KE
 * group, error notifies, a widened TS, a changed transform). It checks the
 * initiator's AUTH itself, so a wrong AUTH from the initiator fails the test.
 */
#ifndef SCRIPT_RESP_H
#define SCRIPT_RESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_keys.h"
#include "ike_wire.h"

struct sresp {
	const struct cry_ops *ops;
	/* Script knobs. */
	const uint8_t *psk;
	size_t psk_len;
	uint16_t want_group;     /* answer INVALID_KE_PAYLOAD unless KEi is of this group */
	bool send_cookie;        /* answer N(COOKIE) unless the request carries ours */
	uint16_t sa_init_error;  /* error notify instead of SAr1 */
	uint16_t auth_error;     /* error notify instead of the IKE_AUTH answer */
	bool widen_tsr;          /* answer a TSr wider than asked */
	uint16_t swap_prf;       /* answer this PRF instead of the offered one */
	uint32_t auth_lifetime;  /* N(AUTH_LIFETIME) when not 0 */
	uint8_t idr_type;
	const uint8_t *idr;
	uint8_t idr_len;
	/* What the responder learned and derived. */
	uint64_t spi_i, spi_r;
	struct ike_transforms ike;
	struct ike_transforms esp;
	struct ike_suite suite;
	struct ike_sa_keys keys;
	struct ike_child_keys child;
	uint32_t child_spi_i, child_spi_r;
	bool initiator_auth_ok;
	bool saw_initial_contact;
	bool saw_nat_d;
	uint16_t nat_src_len;
	uint8_t cookie[16];
	uint8_t ni[IKE_NONCE_MAX];
	size_t ni_len;
	uint8_t nr[32];
	uint8_t msg1[2048];
	size_t msg1_len;
	uint8_t msg2[2048];
	size_t msg2_len;
	uint8_t idi_type;
	uint8_t idi[255];
	size_t idi_len;
};

/* <-- answer to IKE_SA_INIT. Returns 0 or -1 when the request is not as expected. */
int sresp_sa_init(struct sresp *r, const uint8_t *req, size_t len, uint8_t *out, size_t cap,
		  size_t *out_len);
/* <-- answer to IKE_AUTH (decrypts req in place). */
int sresp_auth(struct sresp *r, uint8_t *req, size_t len, uint8_t *out, size_t cap,
	       size_t *out_len);
/*
 * <-- answer to an INFORMATIONAL request: empty, or D(ESP, our SPI) for a
 * D(ESP) request. *n_del counts the D payloads the request held.
 */
int sresp_info(struct sresp *r, uint8_t *req, size_t len, uint8_t *out, size_t cap,
	       size_t *out_len, unsigned *n_del);
/* <-- answer to CREATE_CHILD_SA for a new or rekeyed Child SA (no PFS). */
int sresp_new_child(struct sresp *r, uint8_t *req, size_t len, uint8_t *out, size_t cap,
		    size_t *out_len);

/*
 * --> a request of the responder: HDR(msg_id), SK {[D(ESP, our SPI)], [D(IKE)],
 * [N(AUTH_LIFETIME)]} (flags: neither Initiator nor Response).
 */
int sresp_request(struct sresp *r, uint32_t msg_id, bool del_child, bool del_ike,
		  uint32_t lifetime, uint8_t *out, size_t cap, size_t *out_len);
/*
 * Opens the initiator's answer to such a request; *n_del counts its D
 * payloads and *del_spi is the SPI of the first D(ESP) (0 if none).
 */
int sresp_open_answer(struct sresp *r, uint8_t *msg, size_t len, uint32_t msg_id, unsigned *n_del,
		      uint32_t *del_spi);

#endif
