/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up checks beyond syntax: NUL bytes, short PSKs, secret-file
 * permissions (warnings, refusals with [auth] strict_files), the EAL lcore
 * count and the SPI shard bits. Every message is "FILE:LINE: reason".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ifd_check.h"
#include "ifd_config.h"
#include "ifd_creds.h"

static char last_warning[600];

static void
keep_warning(void *arg, const char *msg)
{
	(void)arg;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

static char *
write_tmp(const char *text, size_t len, mode_t mode)
{
	char *path = strdup("/tmp/test_ifd_check.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

/* A NUL byte would cut the PSK short: "k\0tail" must not become "k". */
static void
test_creds_nul(void **state)
{
	static const char text[] = "fqdn a.example 0123456789abcdef0123\n"
				   "fqdn b.example k\0tail-of-the-psk\n";
	struct ifd_creds cr;
	char err[512];

	(void)state;
	assert_int_equal(ifd_creds_parse(&cr, text, sizeof(text) - 1, "creds", NULL, err,
					 sizeof(err)),
			 -1);
	assert_string_equal(err, "creds:2: NUL byte in the line");
	assert_null(cr.peers);
}

static void
test_creds_short_psk(void **state)
{
	static const char text[] = "fqdn a.example 0123456789abcdef\n" /* 16: fine */
				   "fqdn b.example 0x0102\n";
	struct ifd_warnings w = {.emit = keep_warning};
	struct ifd_creds cr;
	char err[512];

	(void)state;
	assert_int_equal(ifd_creds_parse(&cr, text, strlen(text), "creds", &w, err, sizeof(err)),
			 0);
	assert_int_equal(w.count, 1);
	assert_non_null(strstr(last_warning, "creds:2: psk of 2 octets: use at least 16"));
	assert_int_equal(cr.nb_peers, 2);
	ifd_creds_free(&cr);

	w = (struct ifd_warnings){.strict = true};
	assert_int_equal(ifd_creds_parse(&cr, text, strlen(text), "creds", &w, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "creds:2: psk of 2 octets"));
	assert_non_null(strstr(err, "(refused: [auth] strict_files = yes)"));
	assert_null(cr.peers);
}

static void
test_private_file(void **state)
{
	struct ifd_warnings w = {.emit = keep_warning};
	char err[512] = "", *path;

	(void)state;
	path = write_tmp("x", 1, 0600);
	assert_int_equal(ifd_check_private_file(&w, path, "auth.credentials", "conf", 7, err,
						sizeof(err)),
			 0);
	assert_int_equal(w.count, 0);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(ifd_check_private_file(&w, path, "auth.credentials", "conf", 7, err,
						sizeof(err)),
			 0);
	assert_int_equal(w.count, 1);
	assert_true(strncmp(last_warning, "conf:7: auth.credentials: ", 26) == 0);
	assert_non_null(strstr(last_warning, "readable by group or others (mode 0644)"));
	w.strict = true;
	assert_int_equal(ifd_check_private_file(&w, path, "tickets.key_file", "conf", 9, err,
						sizeof(err)),
			 -1);
	assert_true(strncmp(err, "conf:9: tickets.key_file: ", 26) == 0);
	unlink(path);
	assert_int_equal(ifd_check_private_file(&w, path, "tickets.key_file", "conf", 9, err,
						sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "No such file"));
	free(path);
}

static void
test_predict_lcores(void **state)
{
	(void)state;
	assert_int_equal(ifd_predict_lcores("--no-huge -l 0-3 --no-pci"), 4);
	assert_int_equal(ifd_predict_lcores("-l0,2,4-5"), 4);
	assert_int_equal(ifd_predict_lcores("--lcores=(0-2)@0 --no-huge"), 3);
	assert_int_equal(ifd_predict_lcores("--lcores 0@1,1@(0-1),2@0"), 3);
	assert_int_equal(ifd_predict_lcores("-c 0x5"), 2);
	assert_true(ifd_predict_lcores("--no-huge") >= 1);
}

static void
test_shards_fit(void **state)
{
	static const char text[] = "[runtime]\nsa_capacity = 64\n\nspi_shard_bits = 1\n";
	static struct ifd_config c;
	char err[512];

	(void)state;
	ifd_config_defaults(&c);
	assert_int_equal(ifd_config_parse(&c, text, "conf", err, sizeof(err)), 0);
	assert_int_equal(ifd_check_shards(&c, 2, err, sizeof(err)), 0);
	assert_int_equal(ifd_check_shards(&c, 3, err, sizeof(err)), -1);
	assert_true(strncmp(err, "conf:4: 3 workers (EAL lcores) do not fit", 41) == 0);
	assert_non_null(strstr(err, "runtime.spi_shard_bits = 1 names at most 2"));
}

/* A NUL byte in the config file: refused with its line, not parsed up to it. */
static void
test_config_nul(void **state)
{
	static const char text[] = "[ike]\nlifetime_s = 60\n[auth]\ncredentials = a\0b\n";
	static struct ifd_config c;
	char err[512], want[600], *path = write_tmp(text, sizeof(text) - 1, 0600);

	(void)state;
	ifd_config_defaults(&c);
	assert_int_equal(ifd_config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:4: NUL byte in the line", path);
	assert_string_equal(err, want);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_creds_nul),      cmocka_unit_test(test_creds_short_psk),
		cmocka_unit_test(test_private_file),   cmocka_unit_test(test_predict_lcores),
		cmocka_unit_test(test_shards_fit),     cmocka_unit_test(test_config_nul),
	};

	return cmocka_run_group_tests_name("ifd_check", tests, NULL, NULL);
}
