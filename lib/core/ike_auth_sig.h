/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Certificate authentication in IKE_AUTH (RFC 7296 2.15, 3.6-3.8; RFC 7427
 * Digital Signature; RFC 4754 ECDSA; RFC 8420 Ed25519): checking the
 * initiator's CERT and AUTH, and signing ours. Private to lib/core.
 */
#ifndef IKE_AUTH_SIG_H
#define IKE_AUTH_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"
#include "ike_build.h"
#include "ike_parse.h"
#include "ike_pld.h"
#include "ike_x509.h"

struct ike_shard;
struct ike_sa;
struct ike_ho;
struct ike_req;

/* Longest AlgorithmIdentifier we send: RSASSA-PSS with SHA-2 (RFC 7427 A.4.3). */
#define IKE_SIG_ALGID_MAX 72
/* Longest subject name we use as IDr. */
#define IKE_SIG_DN_MAX 1024

/* Our credential, read from cfg->local_cert_der at init. */
struct ike_auth_local {
	enum ike_x509_key key; /* IKE_X509_KEY_UNKNOWN: no certificate configured */
	struct ike_der dn;     /* subject, inside cfg->local_cert_der */
};

/* What our side puts in IDr, CERT and AUTH of the IKE_AUTH response. */
struct ike_auth_ours {
	uint8_t id_type;
	const uint8_t *id;
	size_t id_len;
	const uint8_t *cert; /* DER X.509 for a CERT payload, or NULL */
	size_t cert_len;
	uint8_t method;
	size_t len;
	uint8_t data[1 + IKE_SIG_ALGID_MAX + CRY_MAX_SIG];
};

/*
 * Reads our certificate and finds the wildcard peer (cfg peer with any_id).
 * False on a configuration that cannot work: a certificate that does not
 * parse or has an unusable key, a key without certificate (or the reverse),
 * certificate peers without our own certificate, more than one wildcard.
 */
bool ike_auth_sig_init(struct ike_shard *s);

/*
 * Checks the initiator's signature authentication: AUTH method and
 * algorithm, first CERT (X.509 signature) against IDi and the trust
 * store, then the signature over InitiatorSignedOctets. idb/idb_len is
 * RestOfInitIDPayload. True when authenticated; otherwise *ctr is the
 * counter of the reason.
 */
bool ike_auth_sig_check(struct ike_shard *s, const struct ike_req *r, const struct ike_sa *sa,
			const struct ike_ho *ho, const struct ike_pld_id *idi, const uint8_t *idb,
			size_t idb_len, const struct ike_pld_auth *auth, unsigned *ctr);

/*
 * Signs ResponderSignedOctets with cfg->local_key: Digital Signature with
 * a hash from the initiator's SIGNATURE_HASH_ALGORITHMS, or the key's
 * RFC 7296 / RFC 4754 method when it sent none. IDr is cfg->local_id, or
 * our certificate's subject when that is empty.
 */
bool ike_auth_sig_ours(struct ike_shard *s, const struct ike_sa *sa, const struct ike_ho *ho,
		       struct ike_auth_ours *out);

/* RFC 7427 4: answers the initiator's SIGNATURE_HASH_ALGORITHMS with ours. */
void ike_auth_sig_hash_notify(const struct ike_msg *req, struct ike_mb *mb);

#endif
