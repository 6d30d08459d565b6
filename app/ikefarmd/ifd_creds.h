/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_creds - identities and the credentials file. One user per line:
 *
 *   # id-type  id                   psk|pubkey       [auth-lifetime] [option...]
 *   fqdn       alice.example.com    0x8f2c...        (hex)
 *   email      bob@example.com      "a pass phrase"  3600
 *   ipv4       192.0.2.7            s3cret-token     none
 *   fqdn       client1.example.com  pubkey           (certificate)
 *   fqdn       swan.example.com     s3cret           resume-auth=libreswan
 *   *          pubkey                                (any certified IDi)
 *
 * id-type is fqdn, email, ipv4, ipv6 or keyid (hex). pubkey (unquoted): the
 * peer proves its identity with a certificate chaining to [auth] ca_file.
 * "*" (at most once): any IDi no other line has, named by such a
 * certificate. auth-lifetime (RFC 4478): seconds, or "none"; without it the
 * [auth] auth_lifetime_s default applies. Options (words with '=', after the
 * lifetime): resume-auth=libreswan also accepts this identity's resumed AUTH
 * in libreswan's form (ike_peer_cfg.resume_auth_libreswan). Errors read
 * "FILE:LINE: reason". Refused: a NUL byte anywhere; warned about (refused
 * with [auth] strict_files): a PSK shorter than 16 octets.
 * The PSKs live in one block that is wiped on free.
 */
#ifndef IFD_CREDS_H
#define IFD_CREDS_H

#include <stddef.h>
#include <stdint.h>

#include "ike_core.h"

struct ifd_creds {
	struct ike_peer_cfg *peers;
	unsigned nb_peers;
	uint8_t *psk_pool; /* every PSK, back to back */
	size_t psk_pool_len;
};

/*
 * Parses an identity of the given type ("fqdn", "email", "ipv4", "ipv6",
 * "keyid") into IKE ID payload form (RFC 7296 3.5). Returns 0, or -1 with
 * the reason in why.
 */
int ifd_id_parse(const char *type, const char *value, uint8_t *id_type, uint8_t *id,
		 uint8_t *id_len, char *why, size_t wlen);

#define IFD_AUTH_LIFETIME_MAX (86400u * 7)

struct ifd_warnings;

/*
 * Parses credentials text (len octets; a NUL byte is an error, not an end).
 * A PSK shorter than 16 octets is reported to w (a refusal when w is
 * strict; w may be NULL). Returns 0, or -1 with "name:line: reason" in err.
 */
int ifd_creds_parse(struct ifd_creds *cr, const char *text, size_t len, const char *name,
		    struct ifd_warnings *w, char *err, size_t errlen);

/* Reads the credentials file and parses it with ifd_creds_parse(). */
int ifd_creds_load(struct ifd_creds *cr, const char *path, struct ifd_warnings *w, char *err,
		   size_t errlen);

/* Wipes the PSKs and frees everything; cr is left empty. */
void ifd_creds_free(struct ifd_creds *cr);

#endif
