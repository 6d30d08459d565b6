/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_pld_validate.c - runs the decoder matching a payload's type over its
 * body, so a whole message can be checked in one call before it is
 * interpreted (validate, then interpret).
 */
#include "ike_pld.h"

union pld_scratch {
	struct ike_pld_sa sa;
	struct ike_pld_ke ke;
	struct ike_pld_id id;
	struct ike_pld_cert cert;
	struct ike_pld_auth auth;
	struct ike_pld_nonce nonce;
	struct ike_pld_notify notify;
	struct ike_pld_delete del;
	struct ike_pld_vendor vendor;
	struct ike_pld_ts ts;
	struct ike_pld_cp cp;
	struct ike_pld_eap eap;
	struct ike_pld_skf skf;
};

enum ike_parse_status
ike_pld_validate(uint8_t type, const uint8_t *body, size_t len, uint8_t sk_first)
{
	union pld_scratch u;

	switch (type) {
	case IKE_PLD_SA:
		return ike_pld_sa_parse(body, len, &u.sa);
	case IKE_PLD_KE:
		return ike_pld_ke_parse(body, len, &u.ke);
	case IKE_PLD_IDI:
	case IKE_PLD_IDR:
		return ike_pld_id_parse(body, len, &u.id);
	case IKE_PLD_CERT:
		return ike_pld_cert_parse(body, len, &u.cert);
	case IKE_PLD_CERTREQ:
		return ike_pld_certreq_parse(body, len, &u.cert);
	case IKE_PLD_AUTH:
		return ike_pld_auth_parse(body, len, &u.auth);
	case IKE_PLD_NONCE:
		return ike_pld_nonce_parse(body, len, &u.nonce);
	case IKE_PLD_NOTIFY:
		return ike_pld_notify_parse(body, len, &u.notify);
	case IKE_PLD_DELETE:
		return ike_pld_delete_parse(body, len, &u.del);
	case IKE_PLD_VENDOR:
		return ike_pld_vendor_parse(body, len, &u.vendor);
	case IKE_PLD_TSI:
	case IKE_PLD_TSR:
		return ike_pld_ts_parse(body, len, &u.ts);
	case IKE_PLD_CP:
		return ike_pld_cp_parse(body, len, &u.cp);
	case IKE_PLD_EAP:
		return ike_pld_eap_parse(body, len, &u.eap);
	case IKE_PLD_SKF:
		return ike_pld_skf_parse(body, len, sk_first, &u.skf);
	default:
		/* SK content is ciphertext: lib/sk checks it once decrypted. */
		return IKE_PARSE_OK;
	}
}

enum ike_parse_status
ike_msg_validate(const struct ike_msg *msg, unsigned int *bad_idx)
{
	for (unsigned int i = 0; i < msg->n_pld; i++) {
		const struct ike_pld *p = &msg->pld[i];
		enum ike_parse_status st;

		st = ike_pld_validate(p->type, ike_msg_pld_body(msg, p), p->len, msg->sk_first);
		if (st != IKE_PARSE_OK) {
			*bad_idx = i;
			return st;
		}
	}
	return IKE_PARSE_OK;
}
