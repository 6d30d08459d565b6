/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ikefarmd configuration: the compiled-in config/ikefarm.conf equals the
 * option defaults, proposals map to the IANA transform IDs of RFC 7296
 * 3.3.2 / RFC 4868 / RFC 5282 / RFC 5903 / RFC 8031, and every error
 * names FILE:LINE: reason (config and credentials file).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ifd_config.h"
#include "ifd_creds.h"
#include "ike_proposal_str.h"
#include "ifd_keymat.h"

static void
test_builtin_equals_defaults(void **state)
{
	static struct ifd_config def, parsed;
	char err[512];

	(void)state;
	ifd_config_defaults(&def);
	ifd_config_defaults(&parsed);
	assert_int_equal(ifd_config_parse(&parsed, ifd_default_conf, "builtin", err, sizeof(err)),
			 0);
	assert_memory_equal(&def.rt, &parsed.rt, sizeof(def.rt));
	assert_memory_equal(&def.core, &parsed.core, sizeof(def.core));
	assert_string_equal(def.credentials, parsed.credentials);
	assert_string_equal(def.ipsec_mb, parsed.ipsec_mb);
	assert_int_equal(def.core.max_ike_sas, IFD_DEFAULT_SA_CAPACITY);
	/* "default": AEAD and AES-CBC proposals for each */
	assert_int_equal(def.core.nb_ike_proposals, 2);
	assert_int_equal(def.core.nb_esp_proposals, 2);
	assert_int_equal(def.core.local_id_type, 2); /* ID_FQDN, RFC 7296 3.5 */
	assert_int_equal(def.core.local_id_len, strlen("ikefarm.local"));
}

/* The keys take proposal lists; "default" expands in place. Syntax: tests/unit/keys. */
static void
test_proposals(void **state)
{
	static struct ifd_config c;
	char err[512];

	(void)state;
	ifd_config_defaults(&c);
	assert_int_equal(ifd_config_parse(&c,
					  "[ike]\nproposals = aes128-sha256-ecp256, default\n"
					  "[child]\nproposals = aes128gcm16-modpnone-ecp256\n",
					  "conf", err, sizeof(err)),
			 0);
	assert_int_equal(c.core.nb_ike_proposals, 3);
	/* ENCR_AES_CBC = 12 with 128-bit keys, ECP-256 = 19 only */
	assert_int_equal(c.core.ike_proposals[0].xf[1].alg[0].id, 12);
	assert_int_equal(c.core.ike_proposals[0].xf[1].alg[0].key_bits, 128);
	assert_int_equal(c.core.ike_proposals[0].xf[4].n, 1);
	assert_int_equal(c.core.ike_proposals[0].xf[4].alg[0].id, 19);
	/* then the default set: AES-GCM-256 first, Curve25519 (31) first */
	assert_int_equal(c.core.ike_proposals[1].xf[1].alg[0].id, 20);
	assert_int_equal(c.core.ike_proposals[1].xf[4].alg[0].id, 31);
	assert_int_equal(c.core.nb_esp_proposals, 1);
	/* PFS optional: none (0) first, then ECP-256 */
	assert_int_equal(c.core.esp_proposals[0].xf[4].n, 2);
	assert_int_equal(c.core.esp_proposals[0].xf[4].alg[0].id, 0);
}

struct bad_case {
	const char *text;
	const char *err; /* expected "conf:LINE: ..." prefix */
};

static void
test_config_errors(void **state)
{
	static const struct bad_case cases[] = {
		{"[ike]\nlocal_id = vpn.example\n", "conf:2: ike.local_id"},
		{"[ike]\n\nlifetime_s = 1x\n", "conf:3: ike.lifetime_s: '1x' is not a number"},
		{"[child]\nproposals = aes128gcm16-prfsha256\n", "conf:2: 'aes128gcm16-prfsha256'"},
		{"[child]\nts_start = 10.0.0.9\nts_end = 10.0.0.1\n", "conf:3: child.ts_end"},
		{"[child]\nts_start6 = fd99::\n", "conf:2: child.ts_start6 and ts_end6 go together"},
		{"[child]\nts_start6 = fd99::1\nts_end6 = fd99::\n", "conf:3: child.ts_start6"},
		{"[child]\nts_start6 = 10.0.0.1\n", "conf:2: '10.0.0.1' is not an IPv6 address"},
		{"[ike]\nfoo = 1\n", "conf:2: unknown key 'foo' in section [ike]"},
		{"[auth]\nauth_lifetime_s = 1\nauth_lifetime_s = 2\n",
		 "conf:3: duplicate key 'auth_lifetime_s' (first set on line 2)"},
		{"[net]\nike_port = 70000\n", "conf:2: net.ike_port"},
		{"[crypto]\nipsec_mb = neon\n", "conf:2: crypto.ipsec_mb"},
		{"[nope]\n", "conf:1: unknown section [nope]"},
		{"[tickets]\nreplay_fp = 0.7\n", "conf:2: tickets.replay_fp: '0.7'"},
		{"[tickets]\nlibreswan_compat = maybe\n", "conf:2: tickets.libreswan_compat"},
		{"[auth]\nca_file = ca.pem\ncert_file = me.pem\n",
		 "conf:3: auth.cert_file and auth.key_file go together"},
		/* Cookies that could not engage before the half-open table fills. */
		{"[runtime]\nhalfopen_capacity = 100\n[ike]\ncookie_threshold = 76\n",
		 "conf:4: ike.cookie_threshold (76) is above 3/4 of runtime.halfopen_capacity (100)"},
		{"[runtime]\nhalfopen_capacity = 1000\n", "conf:2: ike.cookie_threshold (1024)"},
		{"[runtime]\nsa_capacity = 4194304\nhalfopen_capacity = 4096\n",
		 "conf:2: runtime.sa_capacity + halfopen_capacity (4198400) is above the 2^22"},
		/* Checked after parsing, still with the line of the option. */
		{"[net]\nike_port = 500\nbind_v4 = 10.0.0.300\n",
		 "conf:3: net.bind_v4: '10.0.0.300' is not an IPv4 address"},
		{"[net]\nbind_v6 = 10.0.0.1\n", "conf:2: net.bind_v6: '10.0.0.1' is not an IPv6"},
		{"[net]\ndriver = netmap\n", "conf:2: net.driver: 'netmap' is not udp or ethdev"},
		{"[net]\n\ndriver = ethdev\n", "conf:3: net.driver = ethdev needs net.address"},
		{"[runtime]\nesp_lcores = 1\n[net]\ndriver = ethdev\naddress = 192.0.2.1/24\n"
		 "inside_port = 0\n",
		 "conf:6: net.inside_port 0 is the outside port"},
		{"[runtime]\nesp_lcores = 1\n[net]\ndriver = ethdev\naddress = 192.0.2.1/24\n"
		 "inside_gateway = 10.99.0\n",
		 "conf:6: net.inside_gateway: '10.99.0' is not an IPv4 address"},
		{"[net]\ninside_address6 = 10.99.0.1/24\n",
		 "conf:2: net.inside_address6: '10.99.0.1/24' is not an IPv6 ADDRESS/PREFIX"},
		{"[net]\ninside_address = fd99::1/64\ninside_address6 = fd99::2/64\n",
		 "conf:3: net.inside_address6: net.inside_address is IPv6 already"},
		{"[net]\n\ninside_mtu = 1000\n", "conf:3: net.inside_mtu 1000 is below 1280"},
		{"[tickets]\nreplay_fp = 1e-300\n", "conf:2: tickets.replay_fp (1e-300)"},
		{"[tickets]\nresumes_per_s = 1000000\nlifetime_s = 2592000\n",
		 "conf:2: tickets.replay_fp (0.001) with resumes_per_s (1000000)"},
		{"[runtime]\nspi_slot_bits = 3\nsa_capacity = 16\nhalfopen_capacity = 16\n"
		 "[ike]\ncookie_threshold = 8\n",
		 "conf:3: runtime.sa_capacity + halfopen_capacity (32) is above the 2^3"},
		{"[runtime]\nspi_shard_bits = 16\nspi_slot_bits = 24\n",
		 "conf:3: runtime.spi_shard_bits (16) + spi_slot_bits (24) leave the SPI too few"},
		{"[ike]\nproposals = aes128-sha256-ecp256, aes256gcm16-prfsha256-x25519, "
		 "aes128-sha256-ecp256\n",
		 "conf:2: proposal 3 ('aes128-sha256-ecp256') repeats proposal 1"},
		{"[child]\n\nproposals = aes128gcm16,aes128gcm16\n",
		 "conf:3: proposal 2 ('aes128gcm16') repeats proposal 1"},
		{"[auth]\nstrict_files = sometimes\n", "conf:2: auth.strict_files"},
		{"[pool]\nv4 = 10.98.0.1/24\n", "conf:2: pool.v4: '10.98.0.1/24' has host bits set"},
		{"[pool]\nv4 = 10.98.0.0\n", "conf:2: pool.v4: '10.98.0.0' is not an IPv4 prefix"},
		{"[pool]\nv4 = fd00::/64\n", "conf:2: pool.v4"},
		{"[pool]\nv6 = fd00::/128\n", "conf:2: pool.v6"},
		{"[pool]\n\nmember = 5/4\n", "conf:3: pool.member: '5/4' is not K/N"},
		{"[pool]\nmember = 1/0\n", "conf:2: pool.member"},
		{"[pool]\ndns = 10.99.0.53, dns.example\n", "conf:2: pool.dns"},
		{"[pool]\ndns = 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5\n", "conf:2: pool.dns"},
		/* Child SA lifetimes: counts, suffixes, soft below hard. */
		{"[child]\nrekey_bytes = 1X\n", "conf:2: child.rekey_bytes: '1X' is not a count"},
		{"[child]\nlife_bytes = -1\n", "conf:2: child.life_bytes: '-1' is not a count"},
		{"[child]\nlife_packets = 1Mk\n", "conf:2: child.life_packets"},
		{"[child]\nrekey_bytes = 20000000T\n", "conf:2: child.rekey_bytes"},
		{"[child]\nrekey_bytes = 2M\n\nlife_bytes = 1M\n",
		 "conf:2: child.rekey_bytes (2097152) must be below child.life_bytes (1048576)"},
		{"[child]\nlife_time_s = 100\nrekey_time_s = 100\n",
		 "conf:3: child.rekey_time_s (100) must be below child.life_time_s (100)"},
		{"[child]\nrekey_packets = 4000000000\n",
		 "conf:2: child.rekey_packets (4000000000) must be below child.life_packets"},
		{"[child]\njitter_pct = 51\n", "conf:2: child.jitter_pct"},
		/* The response cache is sized by exchanges in flight: any count up to 2^22. */
		{"[ike]\n\ncached_responses = 4194305\n", "conf:3: ike.cached_responses"},
		{"[ike]\ncached_responses = many\n", "conf:2: ike.cached_responses: 'many'"},
	};
	static struct ifd_config c;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ifd_config_defaults(&c);
		err[0] = '\0';
		assert_int_equal(ifd_config_parse(&c, cases[i].text, "conf", err, sizeof(err)), -1);
		if (strncmp(err, cases[i].err, strlen(cases[i].err)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err, cases[i].err);
	}
}

static void
test_config_mapping(void **state)
{
	static const char text[] = "[runtime]\nsa_capacity = 100\nhalfopen_capacity = 10\n"
				   "spi_shard_bits = 4\nspi_slot_bits = 20\n"
				   "[ike]\nlocal_id = ipv4:192.0.2.1\ncookie_threshold = 7\n"
				   "cached_responses = 5000\n"
				   "[child]\nts_start = 2001:db8::\n"
				   "rekey_bytes = 1M\nlife_bytes = 2g\nrekey_packets = 0\n"
				   "life_time_s = 3600\nidle_time_s = 300\njitter_pct = 0\n"
				   "ts_end = \"2001:db8::ffff\"  # quoted\n"
				   "[auth]\nauth_lifetime_s = 20\nauth_grace_s = 5\nauth_reauth_s = 0\n"
				   "rsa_pss = yes\n"
				   "[tickets]\nkey_file = /etc/k\nlifetime_s = 7200\nresumes_per_s = 50\n"
				   "replay_fp = 1e-4\nlibreswan_compat = on\n"
				   "[pool]\nv4 = 10.98.0.0/24\nv6 = fd00:98::/112\n"
				   "dns = 10.99.0.53, fd00:99::53 ,10.99.0.54\nmember = 2/4\n";
	static struct ifd_config c;
	char err[512];

	(void)state;
	ifd_config_defaults(&c);
	assert_int_equal(ifd_config_parse(&c, text, "conf", err, sizeof(err)), 0);
	assert_int_equal(c.core.max_ike_sas, 100);
	assert_int_equal(c.core.max_half_open, 10);
	assert_int_equal(c.core.spi_shard_bits, 4);
	assert_int_equal(c.core.spi_slot_bits, 20);
	assert_int_equal(c.core.cookie_threshold, 7);
	assert_int_equal(c.core.max_cached_responses, 5000); /* above sa_capacity: fine */
	assert_int_equal(c.core.local_id_type, 1); /* ID_IPV4_ADDR */
	assert_int_equal(c.core.local_id_len, 4);
	assert_memory_equal(c.core.local_id, "\xc0\x00\x02\x01", 4);
	assert_int_equal(c.core.ts_start.family, 6);
	assert_int_equal(c.core.ts_end.ip[14], 0xff);
	assert_int_equal(c.core.auth_lifetime_s, 20);
	assert_int_equal(c.core.auth_grace_s, 5);
	assert_int_equal(c.core.auth_reauth_s, 0);
	assert_true(c.core.local_rsa_pss);
	assert_string_equal(c.ticket_key_file, "/etc/k");
	assert_int_equal(c.core.ticket_lifetime_s, 7200);
	assert_int_equal(c.core.ticket_resumes_per_s, 50);
	assert_true(c.core.ticket_replay_fp == 1e-4);
	assert_true(c.core.resume_auth_compat_libreswan);
	assert_int_equal(c.core.ts_end.ip[15], 0xff);
	assert_true(c.core.pool.has_v4 && c.core.pool.has_v6);
	assert_memory_equal(c.core.pool.v4, "\x0a\x62\x00\x00", 4);
	assert_int_equal(c.core.pool.v4_plen, 24);
	assert_int_equal(c.core.pool.v6[0], 0xfd);
	assert_int_equal(c.core.pool.v6[3], 0x98);
	assert_int_equal(c.core.pool.v6_plen, 112);
	assert_int_equal(c.core.pool.nb_dns4, 2);
	assert_memory_equal(c.core.pool.dns4[1], "\x0a\x63\x00\x36", 4);
	assert_int_equal(c.core.pool.nb_dns6, 1);
	assert_int_equal(c.core.pool.dns6[0][15], 0x53);
	assert_int_equal(c.core.pool.member_k, 2);
	assert_int_equal(c.core.pool.member_n, 4);
	assert_int_equal(c.child_life.rekey_bytes, 1048576);
	assert_int_equal(c.child_life.life_bytes, 2147483648ull);
	assert_int_equal(c.child_life.rekey_packets, 0);
	assert_int_equal(c.child_life.life_packets, 4000000000ull);
	assert_int_equal(c.child_life.rekey_time_s, 0);
	assert_int_equal(c.child_life.life_time_s, 3600);
	assert_int_equal(c.child_life.idle_time_s, 300);
	assert_int_equal(c.child_life.jitter_pct, 0);
	assert_int_equal(ike_core_cfg_check(&c.core, 1), IKE_CFG_OK);
}

static char *
write_tmp(const char *text)
{
	char *path = strdup("/tmp/test_ifd_creds.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_creds(void **state)
{
	static const char good[] = "# users\n\n"
				   "fqdn alice.example.com 0x0102ff\n"
				   "email bob@example.com \"two words\"  # comment\n"
				   "ipv6 2001:db8::7 plain 3600\n"
				   "keyid 0a0b 0x00 none\n"
				   "fqdn client1.example pubkey\n"
				   "fqdn quoted.example \"pubkey\"\n"
				   "* pubkey 120\n"
				   "fqdn swan.example k 60 resume-auth=libreswan\n"
				   "fqdn swan2.example \"a=b\" resume-auth=libreswan # no lifetime\n";
	struct ifd_creds cr;
	char err[512], *path = write_tmp(good);

	(void)state;
	assert_int_equal(ifd_creds_load(&cr, path, NULL, err, sizeof(err)), 0);
	assert_int_equal(cr.nb_peers, 9);
	assert_int_equal(cr.peers[0].id_type, 2);
	assert_int_equal(cr.peers[0].psk_len, 3);
	assert_memory_equal(cr.peers[0].psk, "\x01\x02\xff", 3);
	assert_int_equal(cr.peers[0].auth, IKE_CRED_PSK);
	assert_int_equal(cr.peers[0].auth_lifetime_s, 0); /* the [auth] default */
	assert_int_equal(cr.peers[1].id_type, 3); /* ID_RFC822_ADDR */
	assert_int_equal(cr.peers[1].psk_len, 9);
	assert_memory_equal(cr.peers[1].psk, "two words", 9);
	assert_int_equal(cr.peers[2].id_type, 5); /* ID_IPV6_ADDR */
	assert_int_equal(cr.peers[2].id_len, 16);
	assert_int_equal(cr.peers[2].auth_lifetime_s, 3600);
	assert_int_equal(cr.peers[3].id_type, 11); /* ID_KEY_ID */
	assert_memory_equal(cr.peers[3].id, "\x0a\x0b", 2);
	assert_int_equal(cr.peers[3].auth_lifetime_s, IKE_AUTH_LIFETIME_NONE);
	assert_int_equal(cr.peers[4].auth, IKE_CRED_PUBKEY);
	assert_false(cr.peers[4].any_id);
	assert_int_equal(cr.peers[4].psk_len, 0);
	assert_int_equal(cr.peers[5].auth, IKE_CRED_PSK); /* a quoted "pubkey" is a PSK */
	assert_memory_equal(cr.peers[5].psk, "pubkey", 6);
	assert_int_equal(cr.peers[6].auth, IKE_CRED_PUBKEY);
	assert_true(cr.peers[6].any_id);
	assert_int_equal(cr.peers[6].auth_lifetime_s, 120);
	for (unsigned i = 0; i < 7; i++)
		assert_false(cr.peers[i].resume_auth_libreswan);
	assert_true(cr.peers[7].resume_auth_libreswan);
	assert_int_equal(cr.peers[7].auth_lifetime_s, 60);
	assert_true(cr.peers[8].resume_auth_libreswan);
	assert_int_equal(cr.peers[8].auth_lifetime_s, 0);
	assert_memory_equal(cr.peers[8].psk, "a=b", 3); /* '=' in the psk column is the psk */
	ifd_creds_free(&cr);
	assert_null(cr.peers);
	unlink(path);
	free(path);
}

static void
test_creds_errors(void **state)
{
	static const struct bad_case cases[] = {
		{"fqdn a.example\n", ":1: expected 'id-type id psk|pubkey [auth-lifetime] [option...]'"},
		{"\nfqdn a.example 0xabc\n", ":2: psk must be 0x<hex> or text"},
		{"dn a.example k\n", ":1: unknown identity type 'dn'"},
		{"ipv4 300.1.1.1 k\n", ":1: '300.1.1.1' is not an ipv4 address"},
		{"fqdn a.example \"open\n", ":1: unterminated quote"},
		{"fqdn a.example k extra\n", ":1: auth lifetime 'extra' is not 1..604800"},
		{"fqdn a.example k 0\n", ":1: auth lifetime '0' is not 1..604800"},
		{"fqdn a.example k 60 x\n", ":1: text after the auth lifetime"},
		{"fqdn a k resume-auth=rfc\n", ":1: resume-auth 'rfc' is not 'libreswan'"},
		{"\nfqdn a k 60 resume=libreswan\n", ":2: unknown option 'resume' (resume-auth"},
		{"fqdn a k resume-auth=libreswan 60\n", ":1: '60' after an option"},
		{"fqdn a k resume-auth=libreswan resume-auth=libreswan\n",
		 ":1: resume-auth given twice"},
		{"* secret\n", ":1: '*' takes only pubkey"},
		{"* pubkey\n* pubkey\n", ":2: second '*' entry (first on line 1)"},
		{"fqdn a k\nfqdn b k\nfqdn a j\n", ":3: duplicate identity (first on line 1)"},
	};
	struct ifd_creds cr;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_tmp(cases[i].text);
		char *colon;

		assert_int_equal(ifd_creds_load(&cr, path, NULL, err, sizeof(err)), -1);
		colon = strchr(err, ':');
		if (strncmp(err, path, strlen(path)) != 0 || colon == NULL ||
		    strncmp(colon, cases[i].err, strlen(cases[i].err)) != 0)
			fail_msg("case %zu: got '%s', want '%s%s...'", i, err, path, cases[i].err);
		assert_null(cr.peers);
		unlink(path);
		free(path);
	}
}

/*
 * The data path's key space from the [child] proposals: the most any
 * combination needs (AES-GCM: key + 4 salt octets; CBC: key + the HMAC
 * key); a reload needing more than the data path started with is refused.
 */
static void
test_keymat(void **state)
{
	static const struct {
		const char *props;
		unsigned need;
	} cases[] = {
		{"default", 32 + 64},
		{"aes256gcm16-aes128gcm16", 32 + 4},
		{"aes128gcm16", 16 + 4},
		{"aes128-sha256", 16 + 32},
		{"aes128gcm16, aes256-sha384", 32 + 48},
		{"aes256-aes128-sha256-sha512, aes128gcm16", 32 + 64},
	};
	struct ike_proposal_cfg p[IKE_CORE_MAX_PROPOSALS];
	char why[200];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = ike_proposal_str_list(cases[i].props, true, p, IKE_CORE_MAX_PROPOSALS, why,
					      sizeof(why));

		assert_true(n > 0);
		assert_int_equal(ifd_keymat_len(p, (unsigned)n), cases[i].need);
		assert_int_equal(ifd_keymat_check(p, (unsigned)n, cases[i].need, why, sizeof(why)), 0);
		why[0] = '\0';
		assert_int_equal(
			ifd_keymat_check(p, (unsigned)n, cases[i].need - 1, why, sizeof(why)), -1);
		assert_non_null(strstr(why, "restart ikefarmd"));
	}
	assert_int_equal(ifd_esp_alg(IKE_ENCR_AES_CBC, 0), -1);
	assert_int_equal(ifd_keymat_len(p, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_equals_defaults),
		cmocka_unit_test(test_proposals),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_mapping),
		cmocka_unit_test(test_creds),
		cmocka_unit_test(test_creds_errors),
		cmocka_unit_test(test_keymat),
	};

	return cmocka_run_group_tests_name("ifd_config", tests, NULL, NULL);
}
