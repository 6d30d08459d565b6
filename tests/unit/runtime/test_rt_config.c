/* SPDX-License-Identifier: BSD-3-Clause */
/* Config parser: a good file, the defaults round trip, each error with file:line: reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rt.h"

static void
test_defaults(void **state)
{
	struct rt_config c;

	(void)state;
	rt_config_defaults(&c);
	assert_int_equal(c.ike_port, 500);
	assert_int_equal(c.natt_port, 4500);
	assert_int_equal(c.sa_capacity, 65536);
	assert_int_equal(c.spi_shard_bits, 6);
	assert_int_equal(c.spi_slot_bits, 22);
	assert_string_equal(c.driver, "udp");
	assert_string_equal(c.bind_v6, "::");
	assert_string_equal(c.eal_args, "");
	assert_false(c.log_debug_packets);
}

static void
test_defaults_text_round_trip(void **state)
{
	struct rt_config def, parsed;
	char err[256], *text;
	size_t len;

	(void)state;
	len = rt_config_format_defaults(NULL, 0);
	text = malloc(len + 1);
	assert_non_null(text);
	assert_int_equal(rt_config_format_defaults(text, len + 1), len);
	rt_config_defaults(&def);
	memset(&parsed, 0, sizeof(parsed));
	assert_int_equal(rt_config_parse(&parsed, text, "<defaults>", err, sizeof(err)), 0);
	assert_memory_equal(&def, &parsed, sizeof(def));
	free(text);
}

static void
test_good_file(void **state)
{
	static const char text[] = "# ikefarm test config\n"
				   "\n"
				   "[runtime]\n"
				   "  sa_capacity = 2048   # per shard\n"
				   "burst=16\n"
				   "[net]\r\n"
				   "bind_v4 = 127.0.0.1\n"
				   "bind_v6 =\n"
				   "ike_port = 5500\n"
				   "natt_port = 0\n"
				   "[eal]\n"
				   "args = \"-l 0-1 --no-huge # not a comment\"\n"
				   "[log]\n"
				   "debug_packets = yes\n";
	char path[] = "/tmp/rt_config_testXXXXXX", err[256];
	struct rt_config c;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	rt_config_defaults(&c);
	assert_int_equal(rt_config_load(&c, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(c.sa_capacity, 2048);
	assert_int_equal(c.burst, 16);
	assert_string_equal(c.bind_v4, "127.0.0.1");
	assert_string_equal(c.bind_v6, "");
	assert_int_equal(c.ike_port, 5500);
	assert_int_equal(c.natt_port, 0);
	assert_string_equal(c.eal_args, "-l 0-1 --no-huge # not a comment");
	assert_true(c.log_debug_packets);
	assert_int_equal(c.halfopen_capacity, 16384); /* untouched: default */
}

static void
test_errors(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{"[net]\nike_port = 70000\n", "t.conf:2: net.ike_port: 70000 is out of range 1..65535"},
		{"[net]\n\nike_port = 5x\n", "t.conf:3: net.ike_port: '5x' is not a number"},
		{"[net]\nike_port = -1\n", "t.conf:2: net.ike_port: '-1' is not a number"},
		{"[net]\nike_port =\n", "t.conf:2: net.ike_port: '' is not a number"},
		{"[runtime]\nsa_capacity = 99999999999999999999999\n",
		 "t.conf:2: runtime.sa_capacity: '99999999999999999999999' is not a number"},
		{"[log]\ndebug_packets = maybe\n",
		 "t.conf:2: log.debug_packets: 'maybe' is not yes/no/true/false/on/off/1/0"},
		{"# x\n[net\n", "t.conf:2: unterminated section header"},
		{"[ ]\n", "t.conf:1: empty section name"},
		{"[net] x\n", "t.conf:1: text after section header"},
		{"[nett]\n", "t.conf:1: unknown section [nett]"},
		{"ike_port = 5\n", "t.conf:1: key 'ike_port' outside any section"},
		{"[net]\nike_prot = 5\n", "t.conf:2: unknown key 'ike_prot' in section [net]"},
		{"[net]\n= 5\n", "t.conf:2: missing key before '='"},
		{"[net]\nike_port 5\n", "t.conf:2: expected 'key = value' or '[section]'"},
		{"[net]\nike_port = 5\n#\nike_port = 6\n",
		 "t.conf:4: duplicate key 'ike_port' (first set on line 2)"},
		{"[eal]\nargs = \"--no-huge\n", "t.conf:2: unterminated quoted value"},
		{"[net]\nbind_v4 = 0123456789012345678901234567890123456789012345678901234567890123\n",
		 "t.conf:2: net.bind_v4: value longer than 63 characters"},
		/* A key from another section is unknown here. */
		{"[log]\nike_port = 5\n", "t.conf:2: unknown key 'ike_port' in section [log]"},
	};
	struct rt_config c;
	char err[256];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rt_config_defaults(&c);
		err[0] = '\0';
		assert_int_equal(rt_config_parse(&c, cases[i].text, "t.conf", err, sizeof(err)), -1);
		assert_string_equal(err, cases[i].msg);
	}
}

/* A caller's own table, as the daemon's protocol sections use the engine. */
struct own_cfg {
	uint32_t n;
	bool on;
	char name[8];
	int parity; /* set by a custom option: 0 even, 1 odd */
};

static int
set_parity(void *obj, const char *val, char *why, size_t wlen)
{
	struct own_cfg *o = obj;

	if (strcmp(val, "even") && strcmp(val, "odd")) {
		snprintf(why, wlen, "own.parity: '%s' is not even or odd", val);
		return -1;
	}
	o->parity = !strcmp(val, "odd");
	return 0;
}

static const struct rt_opt own_opts[] = {
	RT_UINT_OPT(struct own_cfg, "own", "n", n, 2, 9, "3", NULL),
	RT_BOOL_OPT(struct own_cfg, "own", "on", on, "yes", NULL),
	RT_STR_OPT(struct own_cfg, "other", "name", name, "abc", NULL),
	RT_CUSTOM_OPT("other", "parity", set_parity, "odd", NULL),
};

#define NB_OWN (sizeof(own_opts) / sizeof(own_opts[0]))

static void
test_own_table(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{"[own]\nn = 10\n", "o.conf:2: own.n: 10 is out of range 2..9"},
		{"[other]\nparity = 3\n", "o.conf:2: own.parity: '3' is not even or odd"},
		{"[other]\nname = abcdefgh\n", "o.conf:2: other.name: value longer than 7 characters"},
		{"[net]\n", "o.conf:1: unknown section [net]"},
		{"[own]\nname = x\n", "o.conf:2: unknown key 'name' in section [own]"},
		{"[own]\non = 1\non = 0\n", "o.conf:3: duplicate key 'on' (first set on line 2)"},
	};
	struct own_cfg c;
	char err[256];
	unsigned i;

	(void)state;
	memset(&c, 0, sizeof(c));
	rt_opts_defaults(own_opts, NB_OWN, &c);
	assert_int_equal(c.n, 3);
	assert_true(c.on);
	assert_string_equal(c.name, "abc");
	assert_int_equal(c.parity, 1);
	assert_int_equal(rt_opts_parse(own_opts, NB_OWN, &c,
				       "[other]\nparity = even  # comment\nname = \"a # b\"\n"
				       "[own]\non = off\nn = 9\n",
				       "o.conf", err, sizeof(err)),
			 0);
	assert_int_equal(c.n, 9);
	assert_false(c.on);
	assert_string_equal(c.name, "a # b");
	assert_int_equal(c.parity, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(rt_opts_parse(own_opts, NB_OWN, &c, cases[i].text, "o.conf", err,
					       sizeof(err)),
				 -1);
		assert_string_equal(err, cases[i].msg);
	}
}

static void
test_missing_file(void **state)
{
	struct rt_config c;
	char err[256];

	(void)state;
	rt_config_defaults(&c);
	assert_int_equal(rt_config_load(&c, "/nonexistent/ikefarm.conf", err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/ikefarm.conf: cannot open: No such file or directory");
}

static void
test_eal_args(void **state)
{
	char *user[] = {"ikefarmd", "-l", "0-1", "--no-huge"};
	char *user_prefix[] = {"ikefarmd", "--file-prefix=mine", "--no-huge"};
	char *none[] = {"ikefarmd"};
	char *out[16], prefix[64], want[64];
	int n;

	(void)state;
	snprintf(want, sizeof(want), "--file-prefix=ikefarm-%ld", (long)getpid());
	n = rt_eal_build_args(1, none, out, 16, prefix, sizeof(prefix));
	assert_int_equal(n, 6);
	assert_string_equal(out[1], "--no-huge");
	assert_string_equal(out[2], "--no-pci");
	assert_string_equal(out[3], "-m");
	assert_string_equal(out[4], "1024");
	assert_string_equal(out[5], want);
	n = rt_eal_build_args(4, user, out, 16, prefix, sizeof(prefix));
	assert_int_equal(n, 5);
	assert_string_equal(out[2], "0-1");
	assert_string_equal(out[4], want);
	/* The user's own prefix is kept, none added. */
	n = rt_eal_build_args(3, user_prefix, out, 16, prefix, sizeof(prefix));
	assert_int_equal(n, 3);
	assert_string_equal(out[1], "--file-prefix=mine");
	assert_int_equal(rt_eal_build_args(4, user, out, 4, prefix, sizeof(prefix)), -1);
	/* The ethdev driver's defaults probe PCI; the user's arguments stay as given. */
	rt_eal_defaults_nic(true);
	n = rt_eal_build_args(1, none, out, 16, prefix, sizeof(prefix));
	assert_int_equal(n, 5);
	assert_string_equal(out[1], "--no-huge");
	assert_string_equal(out[2], "-m");
	assert_string_equal(out[3], "1024");
	assert_string_equal(out[4], want);
	n = rt_eal_build_args(4, user, out, 16, prefix, sizeof(prefix));
	assert_int_equal(n, 5);
	assert_string_equal(out[3], "--no-huge");
	rt_eal_defaults_nic(false);
}

/* [net] keys of the ethdev driver: the address list, gateways, exception path. */
static void
test_ethdev_keys(void **state)
{
	static const char text[] = "[net]\n"
				   "driver = ethdev\n"
				   "address = \"198.51.100.1/24, 2001:db8::1/64,192.0.2.7\"\n"
				   "port = 2\n"
				   "gateway = 198.51.100.254\n"
				   "gateway6 = 2001:db8::fffe\n"
				   "mtu = 9000\n"
				   "exception = tap\n"
				   "exception_iface = gw0\n"
				   "reassembly_flows = 64\n";
	static const uint8_t a0[4] = {198, 51, 100, 1}, a2[4] = {192, 0, 2, 7};
	static const uint8_t a1[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	static const uint8_t gw4[4] = {198, 51, 100, 254};
	static const uint8_t gw6[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0xff, [15] = 0xfe};
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{"[net]\naddress = 198.51.100.1/33\n",
		 "t.conf:2: net.address: bad prefix length '/33' for 198.51.100.1"},
		{"[net]\naddress = 2001:db8::1/129\n",
		 "t.conf:2: net.address: bad prefix length '/129' for 2001:db8::1"},
		{"[net]\naddress = 198.51.100.1/x\n",
		 "t.conf:2: net.address: bad prefix length '/x' for 198.51.100.1"},
		{"[net]\naddress = gw.example\n",
		 "t.conf:2: net.address: 'gw.example' is not an IPv4 or IPv6 address"},
		{"[net]\naddress = \"1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,"
		 "1.1.1.9\"\n",
		 "t.conf:2: net.address: more than 8 addresses"},
		{"[net]\ngateway = 2001:db8::1\n",
		 "t.conf:2: net.gateway: '2001:db8::1' is not an IPv4 address"},
		{"[net]\ngateway6 = 10.0.0.1\n",
		 "t.conf:2: net.gateway6: '10.0.0.1' is not an IPv6 address"},
		{"[net]\nexception = kernel\n",
		 "t.conf:2: net.exception: 'kernel' is not none or tap"},
		{"[net]\nmtu = 1000\n", "t.conf:2: net.mtu: 1000 is out of range 1280..9000"},
	};
	struct rt_config c;
	char err[256];
	size_t i;

	(void)state;
	rt_config_defaults(&c);
	assert_int_equal(c.nb_addrs, 0);
	assert_false(c.exception_tap);
	assert_int_equal(c.mtu, 1500);
	assert_int_equal(rt_config_parse(&c, text, "t.conf", err, sizeof(err)), 0);
	assert_string_equal(c.driver, "ethdev");
	assert_int_equal(c.nb_addrs, 3);
	assert_int_equal(c.addrs[0].family, 4);
	assert_int_equal(c.addrs[0].len, 24);
	assert_memory_equal(c.addrs[0].ip, a0, 4);
	assert_int_equal(c.addrs[1].family, 6);
	assert_int_equal(c.addrs[1].len, 64);
	assert_memory_equal(c.addrs[1].ip, a1, 16);
	assert_int_equal(c.addrs[2].len, 32); /* no prefix: the address alone */
	assert_memory_equal(c.addrs[2].ip, a2, 4);
	assert_int_equal(c.port_id, 2);
	assert_memory_equal(c.gateway4, gw4, 4);
	assert_memory_equal(c.gateway6, gw6, 16);
	assert_int_equal(c.mtu, 9000);
	assert_true(c.exception_tap);
	assert_string_equal(c.exception_iface, "gw0");
	assert_int_equal(c.frag_flows, 64);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rt_config_defaults(&c);
		assert_int_equal(rt_config_parse(&c, bad[i].text, "t.conf", err, sizeof(err)), -1);
		assert_string_equal(err, bad[i].msg);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_defaults_text_round_trip),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_own_table),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_eal_args),
		cmocka_unit_test(test_ethdev_keys),
	};

	return cmocka_run_group_tests_name("rt_config", tests, NULL, NULL);
}
