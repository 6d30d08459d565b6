/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_init_auth.c - the IKE_AUTH exchange from the initiator's side with
 * shared-key authentication (RFC 7296 1.2, 2.15):
 *   HDR, SK {IDi, [N(INITIAL_CONTACT),] [IDr,] AUTH, [CP(CFG_REQUEST),] SAi2,
 *            TSi, TSr [,N(TICKET_REQUEST)]}  -->
 *                     <--  HDR, SK {IDr, AUTH, [CP(CFG_REPLY),] SAr2, TSi, TSr,
 *                                   [N(AUTH_LIFETIME)]
 *                                   [,N(TICKET_LT_OPAQUE|TICKET_ACK|TICKET_NACK)]}
 * After IKE_SESSION_RESUME (RFC 5723 4.3.3) the same exchange carries
 * AUTH = prf(SK_px, <octets>): the key is the new SA's SK_pi / SK_pr
 * instead of the padded PSK, the RealMessages are the IKE_SESSION_RESUME
 * request and response, and IDi is the ticket's.
 * The responder's AUTH is recomputed over its signed octets and compared
 * in constant time: the initiator trusts nothing the responder did not prove.
 */
#include <string.h>

#include "ike_auth.h"
#include "ike_init_priv.h"
#include "ike_int_auth.h"
#include "ike_secret.h"

/* RealMessage | Nonce | prf(SK_p, RestOfIDPayload), bounded by the kept messages. */
#define OCTETS_MAX (IKE_INIT_HS_MSG_MAX + IKE_NONCE_MAX + CRY_MAX_PRF_LEN + IKE_INT_AUTH_MAX)
#define ID_BODY_MAX (4 + 255)

/* RestOfIDPayload: ID Type | RESERVED (3) | Identification Data (RFC 7296 2.15). */
static size_t
rest_of_id(uint8_t *out, uint8_t type, const uint8_t *id, size_t len)
{
	out[0] = type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id, len);
	return 4 + len;
}

/*
 * The MAC key of one side's AUTH: prf(Shared Secret, "Key Pad for IKEv2")
 * (RFC 7296 2.15), or SK_px itself on a resumed SA (RFC 5723 4.3.3).
 */
static enum ike_status
auth_key(const struct ike_client *c, bool ours, struct ike_psk_key *key)
{
	if (!c->resumed)
		return ike_psk_key_init(c->ops, c->suite.prf, c->cred->psk, c->cred->psk_len,
					key);
	key->prf = c->suite.prf;
	key->len = c->keys.prf_len;
	memcpy(key->key, ours ? c->keys.sk_pi : c->keys.sk_pr, c->keys.prf_len);
	return IKE_OK;
}

/* AUTH = prf(<key>, <Octets>) of one side. */
static enum ike_status
psk_auth(const struct ike_client *c, bool ours, const uint8_t *id, size_t id_len,
	 const uint8_t *peer_auth, size_t peer_auth_len, uint8_t *auth)
{
	const struct ike_client_hs *hs = c->hs;
	uint8_t int_auth[IKE_INT_AUTH_MAX];
	struct ike_auth_octets_input in = {
		.real_msg = ours ? hs->msg1 : hs->msg2,
		.real_msg_len = ours ? hs->msg1_len : hs->msg2_len,
		.peer_nonce = ours ? hs->nr : c->ni,
		.peer_nonce_len = ours ? hs->nr_len : sizeof(c->ni),
		.id = id,
		.id_len = id_len,
		.int_auth = int_auth,
		.int_auth_len = ike_init_int_auth(c, int_auth),
	};
	uint8_t octets[OCTETS_MAX];
	struct ike_psk_key key;
	size_t octets_len = 0;
	enum ike_status st;

	st = ike_auth_octets(c->ops, c->suite.prf, ours ? c->keys.sk_pi : c->keys.sk_pr,
			     c->keys.prf_len, &in, octets, sizeof(octets), &octets_len);
	if (st == IKE_OK)
		st = auth_key(c, ours, &key);
	if (st == IKE_OK) {
		if (ours)
			st = ike_auth_psk(c->ops, &key, octets, octets_len, auth);
		else
			st = ike_auth_psk_verify(c->ops, &key, octets, octets_len, peer_auth,
						 peer_auth_len);
		ike_psk_key_wipe(&key);
	}
	ike_wipe(octets, octets_len);
	return st;
}

/* RFC 7296 3.15.1: empty attributes ask for any value; a value asks for that one. */
static void
add_cp_request(struct ike_mb *b, const struct ike_client_cfg *cfg)
{
	static const uint8_t zero[16];
	uint8_t want6[17];
	struct ike_pld_cp cp = {.cfg_type = IKE_CFG_REQUEST};

	if (!cfg->cp_v4 && !cfg->cp_v6)
		return;
	if (cfg->cp_v4) {
		bool any = memcmp(cfg->cp_want4, zero, 4) == 0;

		cp.attr[cp.n_attr++] = (struct ike_cp_attr){IKE_CP_INTERNAL_IP4_ADDRESS,
							     any ? 0 : 4, any ? NULL : cfg->cp_want4};
		cp.attr[cp.n_attr++] = (struct ike_cp_attr){IKE_CP_INTERNAL_IP4_NETMASK, 0, NULL};
		cp.attr[cp.n_attr++] = (struct ike_cp_attr){IKE_CP_INTERNAL_IP4_DNS, 0, NULL};
	}
	if (cfg->cp_v6) {
		bool any = memcmp(cfg->cp_want6, zero, 16) == 0;

		memcpy(want6, cfg->cp_want6, 16);
		want6[16] = 128;
		cp.attr[cp.n_attr++] = (struct ike_cp_attr){IKE_CP_INTERNAL_IP6_ADDRESS,
							     any ? 0 : 17, any ? NULL : want6};
		cp.attr[cp.n_attr++] = (struct ike_cp_attr){IKE_CP_INTERNAL_IP6_DNS, 0, NULL};
	}
	ike_mb_add_cp(b, &cp);
}

/* CP(CFG_REPLY): the addresses given; unknown attributes are ignored (3.15.1). */
static void
read_cp_reply(struct ike_client *c, const struct ike_msg *m)
{
	struct ike_init_vip *v = &c->vip;
	struct ike_pld_cp cp;
	const uint8_t *body;
	size_t len;

	memset(v, 0, sizeof(*v));
	if (!ike_init_find(m, IKE_PLD_CP, &body, &len) ||
	    ike_pld_cp_parse(body, len, &cp) != IKE_PARSE_OK || cp.cfg_type != IKE_CFG_REPLY)
		return;
	for (unsigned i = 0; i < cp.n_attr; i++) {
		const struct ike_cp_attr *a = &cp.attr[i];

		if (a->type == IKE_CP_INTERNAL_IP4_ADDRESS && a->len == 4 && !v->has4) {
			memcpy(v->ip4, a->value, 4);
			v->has4 = 1;
		} else if (a->type == IKE_CP_INTERNAL_IP4_NETMASK && a->len == 4) {
			memcpy(v->mask4, a->value, 4);
		} else if (a->type == IKE_CP_INTERNAL_IP4_DNS && a->len == 4 && !v->has_dns4) {
			memcpy(v->dns4, a->value, 4);
			v->has_dns4 = 1;
		} else if (a->type == IKE_CP_INTERNAL_IP6_ADDRESS && a->len == 17 && !v->has6) {
			memcpy(v->ip6, a->value, 16);
			v->has6 = 1;
		} else if (a->type == IKE_CP_INTERNAL_IP4_SUBNET && a->len == 8 && !v->has_subnet4) {
			memcpy(v->subnet4, a->value, 8);
			v->has_subnet4 = 1;
		} else if (a->type == IKE_CP_INTERNAL_IP6_DNS && a->len == 16 && !v->has_dns6) {
			memcpy(v->dns6, a->value, 16);
			v->has_dns6 = 1;
		}
	}
}

enum ike_init_result
ike_init_auth_build(struct ike_client *c, uint8_t *out, size_t cap, size_t *len)
{
	const struct ike_client_cfg *cfg = c->cfg;
	const struct ike_init_cred *cred = c->cred;
	uint8_t auth[CRY_MAX_PRF_LEN];
	uint8_t idi[ID_BODY_MAX];
	enum ike_init_result r;
	struct ike_mb b;
	size_t idi_len;

	if (!c->childless) {
		r = ike_init_new_child_spi(c, &c->pending_spi);
		if (r != IKE_INIT_R_DONE)
			return r;
	}
	idi_len = rest_of_id(idi, cred->id_type, cred->id, cred->id_len);
	if (psk_auth(c, true, idi, idi_len, NULL, 0, auth) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	ike_init_sk_begin(c, &b, out, cap, IKE_EXCH_IKE_AUTH, IKE_HDR_F_INITIATOR, c->msg_id);
	ike_mb_add_id(&b, IKE_PLD_IDI, cred->id_type, cred->id, cred->id_len);
	/* A resumed SA continues the old one: other SAs of ours are not stale. */
	if (cfg->initial_contact && !c->resumed)
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	if (cfg->idr_type != 0)
		ike_mb_add_id(&b, IKE_PLD_IDR, cfg->idr_type, cfg->idr, cfg->idr_len);
	ike_mb_add_auth(&b, IKE_AUTH_PSK, auth, c->keys.prf_len);
	add_cp_request(&b, cfg);
	/* RFC 6023 4: a childless IKE_AUTH has no SA, TSi, TSr. */
	if (!c->childless) {
		ike_init_add_sa_esp(&b, cfg, IKE_KE_NONE, c->pending_spi, NULL);
		ike_init_add_ts(&b, cfg);
	}
	if (ike_init_ticket_wanted(c))
		ike_mb_add_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_REQUEST, NULL, 0);
	ike_wipe(auth, sizeof(auth));
	return ike_init_sk_finish(c, &b, out, cap, len);
}

/* IDr must be the one we asked for, if we asked; its AUTH must verify. */
static enum ike_init_result
check_responder(struct ike_client *c, const struct ike_msg *m)
{
	const struct ike_client_cfg *cfg = c->cfg;
	struct ike_pld_auth auth;
	const uint8_t *id_body, *body;
	size_t id_len, len;
	struct ike_pld_id idr;
	enum ike_status st;

	if (!ike_init_find(m, IKE_PLD_IDR, &id_body, &id_len) ||
	    ike_pld_id_parse(id_body, id_len, &idr) != IKE_PARSE_OK ||
	    !ike_init_find(m, IKE_PLD_AUTH, &body, &len) ||
	    ike_pld_auth_parse(body, len, &auth) != IKE_PARSE_OK)
		return IKE_INIT_R_MALFORMED;
	if (cfg->idr_type != 0 && (idr.type != cfg->idr_type || idr.len != cfg->idr_len ||
				   memcmp(idr.data, cfg->idr, idr.len) != 0))
		return IKE_INIT_R_PEER_ID_MISMATCH;
	if (auth.method != IKE_AUTH_PSK)
		return IKE_INIT_R_PEER_AUTH_BAD;
	/* The IDr body as received is RestOfIDPayload. */
	st = psk_auth(c, false, id_body, id_len, auth.data, auth.len, NULL);
	if (st == IKE_E_INTEGRITY)
		return IKE_INIT_R_PEER_AUTH_BAD;
	return st == IKE_OK ? IKE_INIT_R_DONE : IKE_INIT_R_CRYPTO;
}

static void
read_auth_lifetime(struct ike_client *c, const struct ike_msg *m)
{
	const struct ike_pld *p = ike_msg_find_notify(m, IKE_N_AUTH_LIFETIME);
	struct ike_pld_notify n;

	/* RFC 4478 3: a 4-octet lifetime in seconds. */
	if (p != NULL && ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, &n) == IKE_PARSE_OK &&
	    n.len == 4)
		c->auth_lifetime_s = ike_get_u32(n.data);
}

/* The first Child SA: KEYMAT = prf+(SK_d, Ni | Nr) with the IKE_SA_INIT nonces (2.17). */
static enum ike_init_result
first_child(struct ike_client *c, const struct ike_msg *m)
{
	struct ike_init_child child = {.spi_in = c->pending_spi};
	uint8_t spi[IKE_CHILD_SPI_LEN];
	struct ike_esp_suite esp;
	struct ike_keys_input in;
	enum ike_init_result r;

	r = ike_init_check_sa_esp(m, c->cfg, IKE_KE_NONE, spi, &child, NULL);
	if (r == IKE_INIT_R_DONE)
		r = ike_init_check_ts(m, c->cfg, &child);
	if (r == IKE_INIT_R_DONE)
		r = ike_init_esp_suite(c, false, &esp);
	if (r != IKE_INIT_R_DONE)
		return r;
	child.spi_out = ike_get_u32(spi);
	ike_init_keys_input(&in, c->spi_i, c->spi_r, c->ni, sizeof(c->ni), c->hs->nr,
			    c->hs->nr_len);
	if (ike_keys_derive_child(c->ops, &c->keys, &esp, &in, NULL, 0, &child.keys) != IKE_OK)
		return IKE_INIT_R_CRYPTO;
	c->child = child;
	c->has_child = 1;
	ike_child_keys_wipe(&child.keys);
	return IKE_INIT_R_DONE;
}

enum ike_init_result
ike_init_auth_recv(struct ike_client *c, uint8_t *msg, size_t len)
{
	enum ike_init_result r;
	struct ike_msg m;

	r = ike_init_sk_open(c, msg, len, &m);
	if (r != IKE_INIT_R_DONE)
		return r;	/* dropped: the caller may still get the real answer */
	if (m.exchange != IKE_EXCH_IKE_AUTH)
		return IKE_INIT_R_IGNORED;
	r = ike_init_error_notify(&m);
	if (r == IKE_INIT_R_DONE)
		r = check_responder(c, &m);
	if (r == IKE_INIT_R_DONE && !c->childless)
		r = first_child(c, &m);
	if (r != IKE_INIT_R_DONE)
		return ike_init_fail(c, r);
	read_auth_lifetime(c, &m);
	read_cp_reply(c, &m);
	ike_init_ticket_read(c, &m);
	/* RFC 5723 4.3.1: a ticket is used once an SA is established with it. */
	if (c->resumed && c->ticket_answer != IKE_INIT_TICKET_ISSUED)
		ike_init_ticket_drop(c);
	ike_init_hs_release(c);
	c->msg_id++;
	c->peer_msg_id = 0;
	c->state = IKE_INIT_S_ESTABLISHED;
	return IKE_INIT_R_ESTABLISHED;
}

enum ike_init_result
ike_init_auth_send(struct ike_client *c, enum ike_status keys_st, uint8_t *out, size_t cap,
		   size_t *out_len)
{
	enum ike_init_result r;

	if (keys_st != IKE_OK)
		return ike_init_fail(c, keys_st == IKE_E_MALFORMED ? IKE_INIT_R_MALFORMED
								   : IKE_INIT_R_CRYPTO);
	/* RFC 9242 3.2: IKE_AUTH follows the last IKE_INTERMEDIATE's message ID. */
	c->msg_id = (uint32_t)c->hs->int_n + 1;
	r = ike_init_auth_build(c, out, cap, out_len);
	if (r != IKE_INIT_R_SEND_REQUEST)
		return ike_init_fail(c, r);
	c->state = IKE_INIT_S_AUTH_SENT;
	return r;
}
