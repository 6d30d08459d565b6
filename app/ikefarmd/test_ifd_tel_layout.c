/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The counter endpoints against DPDK telemetry's limits: every answer of
 * /ikefarm/stats, /ikefarm/shard,N and /ikefarm/runtime[,N] fits one dict
 * (RTE_TEL_MAX_DICT_ENTRIES, less one) and one reply (max_output_len), DPDK's own
 * dict accepts every entry, each value is shown once, and the names tests
 * and operators read stay where they are. A counter added beyond a limit
 * fails here before a value silently disappears from an answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <rte_telemetry.h>

#include "ifd_tel_layout.h"

static void
test_layout_check(void **state)
{
	char err[256] = "";

	(void)state;
	if (ifd_tel_layout_check(err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

static void
test_every_answer_fits(void **state)
{
	(void)state;
	for (unsigned ep = 0; ep < IFD_EP_COUNT; ep++)
		for (unsigned one = 0; one < 2; one++) {
			unsigned n = ifd_tel_ep_entries(ep, one);
			size_t json = ifd_tel_ep_json_max(ep, one);

			print_message("%-18s %3u entries (%d free), JSON <= %5zu octets (of %u)\n",
				      ifd_tel_ep_cmd(ep, one), n, IFD_TEL_MAX_ENTRIES - (int)n,
				      json, IFD_TEL_MAX_OUTPUT);
			assert_true(n <= IFD_TEL_MAX_ENTRIES);
			assert_true(json <= IFD_TEL_MAX_OUTPUT);
		}
}

/* DPDK's own dict takes every entry of every answer: none refused, none past its end. */
static void
test_dpdk_dict_takes_all(void **state)
{
	(void)state;
	for (unsigned ep = 0; ep < IFD_EP_COUNT; ep++)
		for (unsigned one = 0; one < 2; one++) {
			struct rte_tel_data *d = rte_tel_data_alloc();
			const char *const *h = ifd_tel_head(one);

			assert_non_null(d);
			assert_int_equal(rte_tel_data_start_dict(d), 0);
			for (; *h != NULL; h++)
				assert_int_equal(rte_tel_data_add_dict_u64(d, *h, UINT64_MAX), 0);
			for (unsigned k = 0; k < ifd_value_count(); k++)
				if (ifd_value_endpoint(k) == ep &&
				    rte_tel_data_add_dict_u64(d, ifd_value_name(k), UINT64_MAX) !=
					    0)
					fail_msg("%s: DPDK refused %s", ifd_tel_ep_cmd(ep, one),
						 ifd_value_name(k));
			rte_tel_data_free(d);
		}
}

/* Names: [a-z0-9_], shorter than DPDK's limit, each once in its answer. */
static void
test_names(void **state)
{
	unsigned n = ifd_value_count();

	(void)state;
	for (unsigned k = 0; k < n; k++) {
		const char *a = ifd_value_name(k);

		assert_non_null(a);
		assert_true(a[0] != '\0' && strlen(a) < RTE_TEL_MAX_STRING_LEN);
		assert_int_equal(strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(a));
		for (unsigned one = 0; one < 2; one++)
			for (const char *const *h = ifd_tel_head(one); *h != NULL; h++)
				if (strcmp(a, *h) == 0)
					fail_msg("%s is also a head entry", a);
		for (unsigned j = k + 1; j < n; j++)
			if (strcmp(a, ifd_value_name(j)) == 0)
				fail_msg("%s twice", a);
	}
}

static int
endpoint_of(const char *name)
{
	for (unsigned k = 0; k < ifd_value_count(); k++)
		if (strcmp(ifd_value_name(k), name) == 0)
			return (int)ifd_value_endpoint(k);
	return -1;
}

/* The names tests and external checks read, at the endpoint they read them from. */
static void
test_names_stay(void **state)
{
	static const char *const stats[] = {"ike_sas",
					    "half_open",
					    "vip4_leases",
					    "vip6_free",
					    "auth_ok",
					    "init_ok",
					    "resp_cache_evicted",
					    "ticket_nack_replay_filter_full",
					    "ticket_nack_unknown_key_id",
					    "drop_sa_table_full",
					    "drop_parse_truncated_header"};
	static const char *const runtime[] = {
		"events_suppressed", "rx_pkts", "tx_pkts",	  "loops",
		"spread_out",	     "io_esp",	"io_rx_truncated"};

	(void)state;
	for (unsigned i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		if (endpoint_of(stats[i]) != IFD_EP_STATS)
			fail_msg("%s is not in /ikefarm/stats", stats[i]);
	for (unsigned i = 0; i < sizeof(runtime) / sizeof(runtime[0]); i++)
		if (endpoint_of(runtime[i]) != IFD_EP_RUNTIME)
			fail_msg("%s is not in /ikefarm/runtime", runtime[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_check),
		cmocka_unit_test(test_every_answer_fits),
		cmocka_unit_test(test_dpdk_dict_takes_all),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_names_stay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
