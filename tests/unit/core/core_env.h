/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The environment the responder-core tests share: real crypto (OpenSSL +
 * ipsec-mb), shards on aligned memory, datagrams in and replies out,
 * counters by name, and the PSK initiator flows most tests start with.
 * One environment per test executable (E); tests that need more keep it
 * in their own file.
 */
#ifndef CORE_ENV_H
#define CORE_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core_ti.h"
#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_core.h"

#define ENV_NTX 4
#define ENV_BUF 4096
#define ENV_NOW_MS 1000
#define ENV_MAX_CHILD 8

/* The peers of env_cfg_psk() and the Child SA SPI every initiator proposes. */
static const uint8_t ALICE[] = "alice@example.com";
static const uint8_t ALICE_PSK[] = "correct horse battery staple";
static const uint8_t BOB[] = "bob.example.com";
static const uint8_t BOB_PSK[] = "bob's shared secret";
static const uint8_t CHILD_SPI[4] = {0x11, 0x22, 0x33, 0x44};

/* The IKE SA the initiators of these tests propose and expect. */
static const struct ike_transforms XF_STD = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, 0,
					     IKE_KE_ECP256};

struct core_shard {
	void *mem;
	struct ike_shard *s;
};

struct core_env {
	struct cry_openssl *ossl;
	struct cry_ipsecmb *imb;
	struct cry_ops ops;
	struct ike_core_cfg cfg;
	struct ike_peer_cfg peers[3];
	struct core_shard a, b; /* b: a second shard, for the tests that need one */
	/* Child SAs the shards reported: the first ENV_MAX_CHILD kept, all counted. */
	struct ike_child_info inst[ENV_MAX_CHILD];
	unsigned n_inst;
	struct ike_child_info del[ENV_MAX_CHILD];
	unsigned n_del;
	uint8_t txbuf[ENV_NTX][ENV_BUF];
	struct ike_tx tx[ENV_NTX];
	uint8_t out[ENV_BUF]; /* the first reply of the last env_feed() */
	size_t out_len;
	uint64_t now;
	uint32_t tag; /* host tag of the datagrams env_feed() hands in */
};

extern struct core_env E;

/* Zeroes E, creates and binds both crypto drivers; E.now = ENV_NOW_MS. 0 on success. */
int env_open(void);
/* Frees both shards (if up) and the drivers. */
void env_close(void);

/* cmocka fixtures: env_open() + env_cfg_psk() + shard 3 in E.a; env_close(). */
int env_setup_psk(void **state);
int env_teardown(void **state);

/* The child SA callback every shard of E gets: fills E.inst / E.del. */
void env_child_cb(void *arg, const struct ike_child_info *c);

/* A shard of E.cfg with id on fresh memory; 0, or -1 when ike_shard_init refuses. */
int env_shard_up(struct core_shard *sh, unsigned id);
/* Finishes the shard (if it came up) and frees its memory. */
void env_shard_down(struct core_shard *sh);

/*
 * Base configuration: one IKE suite (XF_STD), one ESP suite (AES-GCM-16/128),
 * 10.0.0.0-10.0.255.255, the usual timers; no peers, no identity.
 */
void env_cfg_base(struct ike_core_cfg *cfg);
/*
 * PSK responder "vpn.example.net!" for alice (RFC822) and bob (FQDN, RFC
 * 4478 lifetime 3600 s), with a second IKE and ESP suite (CBC + HMAC).
 */
void env_cfg_psk(struct ike_core_cfg *cfg);

/* Points E.tx at E.txbuf again (before a burst or tick that sends). */
void env_tx_reset(void);
/*
 * Feeds one datagram from t into s at E.now; returns how many replies came
 * out (the first is copied to E.out). A reply must go back to t, with E.tag.
 */
unsigned env_feed(struct ike_shard *s, const struct ti *t, const uint8_t *msg, size_t len);
/* A counter of s by name; fails the test when there is no such counter. */
uint64_t env_ctr(const struct ike_shard *s, const char *name);
/* The notify of type in m, parsed into n (NULL: not there). */
const struct ike_pld *env_notify(const struct ike_msg *m, uint16_t type,
				 struct ike_pld_notify *n);

/* ID payload body (type, 3 reserved octets, id) into idb; returns its length. */
size_t env_idb(uint8_t *idb, uint8_t type, const uint8_t *id, size_t len);
/* IKE proposal 1: AES-GCM-16/256, PRF-HMAC-SHA2-256, group. */
void env_ike_sa(struct ike_pld_sa *sa, uint16_t group);
/* One IPv4 range lo..hi, all ports. */
void env_ts_v4(struct ike_pld_ts *ts, const uint8_t lo[4], const uint8_t hi[4]);
/* SA (ESP, CHILD_SPI: AES-GCM-16/128, or AES-CBC-256 + HMAC-SHA2-256-128), TSi, TSr (all IPv4). */
void env_add_child(struct ike_mb *mb, bool gcm);

/* IKE_SA_INIT { SA, KE, Ni, ... } --> <-- and the keys, into s. */
void env_sa_init(struct ike_shard *s, struct ti *t);
/* IKE_AUTH { IDi, AUTH(PSK), [N(INITIAL_CONTACT)], SA, TSi, TSr } into buf (ENV_BUF). */
size_t env_psk_auth_req(struct ti *t, uint8_t *buf, uint8_t id_type, const uint8_t *id,
			size_t id_len, const uint8_t *psk, size_t psk_len, bool initial_contact);
/* Both exchanges as alice on s; the IKE_AUTH response carries AUTH. */
void env_establish(struct ike_shard *s, struct ti *t, bool initial_contact);
/* INFORMATIONAL {} --> <-- {} : proves the SA still works. */
void env_liveness_ok(struct ike_shard *s, struct ti *t);

#endif
