/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Key file parsing: accepted forms (times checked against python3
 * datetime, see the comments), and every error as "FILE:LINE: reason".
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

#include "ike_ticket_keyring.h"
#include "ticket_test.h"

#define SECRET_A "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define SECRET_B "FFEEDDCCBBAA99887766554433221100ffeeddccbbaa99887766554433221100"

static const struct ike_ticket_keyring_params params = {
	.max_lifetime = 3600,
	.clock_skew = 60,
};

static struct ike_ticket_keyring *
parse(const char *text, char *err, size_t err_len)
{
	return ike_ticket_keyring_parse(text, strlen(text), "keys.conf", &params, err, err_len);
}

static void
test_keyfile_accepts(void **state)
{
	const char *text =
		"# farm ticket keys\n"
		"\n"
		"0a0b0c0d 2025-01-01T00:00:00Z 2025-01-31T12:00:00Z " SECRET_A "\n"
		"  DEADBEEF\t1735689600 2025-03-01T00:00:00+02:00 " SECRET_B "  # next key\r\n"
		"00000003 2024-02-29T23:59:59.75-05:30 2100-03-01t00:00:00z " SECRET_A;
	const struct ike_ticket_key *k;
	struct ike_ticket_keyring *kr;
	char err[160] = "";

	(void)state;
	kr = parse(text, err, sizeof(err));
	assert_non_null(kr);
	assert_string_equal(err, "");
	assert_int_equal(ike_ticket_keyring_count(kr), 3);
	k = ike_ticket_keyring_find(kr, 0x0a0b0c0d);
	assert_non_null(k);
	/* python3: datetime(2025,1,1,tzinfo=utc) and datetime(2025,1,31,12,tzinfo=utc) */
	assert_int_equal(k->not_before, 1735689600);
	assert_int_equal(k->not_after, 1738324800);
	assert_int_equal(k->aead.enc_key_len, 32);
	assert_int_equal(k->aead.enc_key[0], 0x00);
	assert_int_equal(k->aead.enc_key[31], 0x1f);
	k = ike_ticket_keyring_find(kr, 0xdeadbeef);
	assert_non_null(k);
	/* python3: datetime(2025,3,1,tzinfo=timezone(timedelta(hours=2))) */
	assert_int_equal(k->not_after, 1740780000);
	assert_int_equal(k->aead.enc_key[0], 0xff);
	k = ike_ticket_keyring_find(kr, 3);
	assert_non_null(k);
	/* python3: datetime(2024,2,29,23,59,59,tzinfo=timezone(timedelta(hours=-5,minutes=-30))) */
	assert_int_equal(k->not_before, 1709270999);
	/* python3: datetime(2100,3,1,tzinfo=utc): 2100 is not a leap year */
	assert_int_equal(k->not_after, 4107542400);
	assert_null(ike_ticket_keyring_find(kr, 4));
	ike_ticket_keyring_free(kr);
}

struct bad_case {
	const char *text;
	const char *want; /* the whole message */
};

static void
test_keyfile_errors(void **state)
{
	static const struct bad_case cases[] = {
		{"0a0b0c0d 1 2\n", "keys.conf:1: want 4 fields: <id> <not-before> <not-after> "
				   "<secret>, got fewer"},
		{"# c\n0a0b0c0d 1 2 " SECRET_A " extra\n",
		 "keys.conf:2: want 4 fields: <id> <not-before> <not-after> <secret>, got more"},
		{"a0b0c0d 1 2 " SECRET_A "\n", "keys.conf:1: key id 'a0b0c0d' is not 8 hex digits"},
		{"0a0b0c0g 1 2 " SECRET_A "\n",
		 "keys.conf:1: key id '0a0b0c0g' is not 8 hex digits"},
		{"\n\n0a0b0c0d 2025-02-30T00:00:00Z 2 " SECRET_A "\n",
		 "keys.conf:3: not-before '2025-02-30T00:00:00Z' is not RFC 3339 "
		 "(2025-01-31T12:00:00Z) or unix seconds"},
		{"0a0b0c0d 1 2025-01-01T00:00:60Z " SECRET_A "\n",
		 "keys.conf:1: not-after '2025-01-01T00:00:60Z' is not RFC 3339 "
		 "(2025-01-31T12:00:00Z) or unix seconds"},
		{"0a0b0c0d 1 2025-01-01T00:00:00 " SECRET_A "\n",
		 "keys.conf:1: not-after '2025-01-01T00:00:00' is not RFC 3339 "
		 "(2025-01-31T12:00:00Z) or unix seconds"},
		{"0a0b0c0d 1 2025-01-01T00:00:00. " SECRET_A "\n",
		 "keys.conf:1: not-after '2025-01-01T00:00:00.' is not RFC 3339 "
		 "(2025-01-31T12:00:00Z) or unix seconds"},
		{"0a0b0c0d 200 200 " SECRET_A "\n",
		 "keys.conf:1: not-after must be later than not-before"},
		{"0a0b0c0d 1 2 00010203\n", "keys.conf:1: secret is not 64 hex digits (32 octets)"},
		{"0a0b0c0d 1 2 " SECRET_A "\n0A0B0C0D 3 4 " SECRET_B "\n",
		 "keys.conf:2: duplicate key id 0a0b0c0d"},
		{"# nothing\n\n", "keys.conf:2: no keys"},
		{"", "keys.conf:1: no keys"},
	};
	char err[200];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(err, 0, sizeof(err));
		assert_null(parse(cases[i].text, err, sizeof(err)));
		assert_string_equal(err, cases[i].want);
	}
}

/* Errors never echo secret material, even half of it. */
static void
test_keyfile_error_hides_secret(void **state)
{
	char err[200];

	(void)state;
	assert_null(parse("0a0b0c0d 1 2 " SECRET_A "zz\n", err, sizeof(err)));
	assert_null(strstr(err, "0102030405"));
	/* The secret in the wrong column is not echoed either. */
	assert_null(parse(SECRET_A " 1 2 0a0b0c0d\n", err, sizeof(err)));
	assert_string_equal(err, "keys.conf:1: key id (64 characters, not shown) is not 8 hex "
				 "digits");
	assert_null(parse("0a0b0c0d " SECRET_A " 2 0a0b0c0d\n", err, sizeof(err)));
	assert_null(strstr(err, "0102030405"));
	assert_null(parse("0a0b0c0d 1 " SECRET_A " 0a0b0c0d\n", err, sizeof(err)));
	assert_null(strstr(err, "0102030405"));
}

static void
test_keyfile_load(void **state)
{
	char path[] = "/tmp/ticket-keys-XXXXXX";
	struct ike_ticket_keyring *kr;
	char err[200];
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("0a0b0c0d 1735689600 1738324800 " SECRET_A "\nbroken line\n", f);
	fclose(f);
	kr = ike_ticket_keyring_load(path, &params, err, sizeof(err));
	assert_null(kr);
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	assert_string_equal(err + strlen(path),
			    ":2: want 4 fields: <id> <not-before> <not-after> <secret>, got fewer");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("0a0b0c0d 1735689600 1738324800 " SECRET_A "\n", f);
	fclose(f);
	kr = ike_ticket_keyring_load(path, &params, err, sizeof(err));
	assert_non_null(kr);
	assert_non_null(ike_ticket_keyring_seal_key(kr, T0));
	ike_ticket_keyring_free(kr);
	unlink(path);
	assert_null(ike_ticket_keyring_load(path, &params, err, sizeof(err)));
	assert_non_null(strstr(err, ":0: cannot open: No such file or directory"));
}

/* The shipped example parses; where keys overlap, the newest not-before seals. */
static void
test_keyfile_example(void **state)
{
	struct ike_ticket_keyring *kr;
	char err[200] = "";

	(void)state;
	kr = ike_ticket_keyring_load(TICKET_KEYS_EXAMPLE, &params, err, sizeof(err));
	assert_string_equal(err, "");
	assert_non_null(kr);
	assert_int_equal(ike_ticket_keyring_count(kr), 3);
	/* python3 datetime: 2025-01-10, 2025-04-10 and 2025-10-14 at 00:00Z */
	assert_int_equal(ike_ticket_keyring_seal_key(kr, 1736467200)->id, 0x5e11e7a1);
	assert_int_equal(ike_ticket_keyring_seal_key(kr, 1744243200)->id, 0x5e11e7a2);
	assert_int_equal(ike_ticket_keyring_seal_key(kr, 1760400000)->id, 0x5e11e7a3);
	ike_ticket_keyring_free(kr);
}

/* Refused beyond syntax: an all-zero secret and a NUL byte, with their line. */
static void
test_keyfile_zero_secret_and_nul(void **state)
{
	static const char zero[] = "0a0b0c0d 1735689600 1738324800 " SECRET_A "\n"
				   "0a0b0c0e 1735689600 1738324800 "
				   "0000000000000000000000000000000000000000000000000000000000000000\n";
	static const char nul[] = "# keys\n0a0b0c0d 1735689600 1738324800 " SECRET_A " \0x\n";
	char err[200] = "";

	(void)state;
	assert_null(parse(zero, err, sizeof(err)));
	assert_string_equal(err, "keys.conf:2: secret of key 0a0b0c0e is all zero: generate one "
				 "(docs/tickets.md)");
	assert_null(ike_ticket_keyring_parse(nul, sizeof(nul) - 1, "keys.conf", &params, err,
					     sizeof(err)));
	assert_string_equal(err, "keys.conf:2: NUL byte in the line");
}

/* With must_seal_at, a file whose keys are all expired or all in the future is refused. */
static void
test_keyfile_must_seal_now(void **state)
{
	static const char text[] = "# old, then newer, then future\n"
				   "00000001 1000 2000 " SECRET_A "\n"
				   "00000002 1500 3000 " SECRET_B "\n"
				   "00000003 9000 9999 " SECRET_A "\n";
	struct ike_ticket_keyring_params p = params;
	struct ike_ticket_keyring *kr;
	char err[200] = "";

	(void)state;
	p.must_seal_at = 3100; /* key 2 expired 100 s ago: the nearest */
	assert_null(ike_ticket_keyring_parse(text, strlen(text), "k", &p, err, sizeof(err)));
	assert_string_equal(err, "k:3: no key seals tickets now: the nearest expired at "
				 "1970-01-01T00:50:00Z");
	p.must_seal_at = 8000; /* key 3 starts in 1000 s, key 2 expired 5000 s ago */
	assert_null(ike_ticket_keyring_parse(text, strlen(text), "k", &p, err, sizeof(err)));
	assert_string_equal(err, "k:4: no key seals tickets now: the nearest is valid only from "
				 "1970-01-01T02:30:00Z");
	p.must_seal_at = 2500; /* key 2 seals */
	kr = ike_ticket_keyring_parse(text, strlen(text), "k", &p, err, sizeof(err));
	assert_non_null(kr);
	assert_int_equal(ike_ticket_keyring_seal_key(kr, 2500)->id, 2);
	ike_ticket_keyring_free(kr);
	p.must_seal_at = 0; /* not asked: accepted whatever the time */
	kr = ike_ticket_keyring_parse(text, strlen(text), "k", &p, err, sizeof(err));
	assert_non_null(kr);
	ike_ticket_keyring_free(kr);
}

int
ticket_run_keyfile_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyfile_accepts),
		cmocka_unit_test(test_keyfile_errors),
		cmocka_unit_test(test_keyfile_error_hides_secret),
		cmocka_unit_test(test_keyfile_load),
		cmocka_unit_test(test_keyfile_example),
		cmocka_unit_test(test_keyfile_zero_secret_and_nul),
		cmocka_unit_test(test_keyfile_must_seal_now),
	};

	return cmocka_run_group_tests_name("keyfile", tests, NULL, NULL);
}
