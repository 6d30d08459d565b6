/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_tel_layout.c - the values' names and endpoints, and the proof that
 * every counter endpoint's answer fits DPDK telemetry (ifd_tel_layout.h).
 */
#include <stdio.h>
#include <string.h>

#include "ike_core.h"
#include "ifd_tel_layout.h"

static const char *const fixed_names[V_CORE_BASE] = {[V_IKE_SAS] = "ike_sas",
						     [V_HALF_OPEN] = "half_open",
						     [V_VIP4_HELD] = "vip4_leases",
						     [V_VIP4_FREE] = "vip4_free",
						     [V_VIP6_HELD] = "vip6_leases",
						     [V_VIP6_FREE] = "vip6_free",
						     [V_EVENTS_SUPPRESSED] = "events_suppressed",
#define IFD_N_RT(name, help) [V_RT_##name] = #name,
						     RT_COUNTER_LIST(IFD_N_RT)
#undef IFD_N_RT
#define IFD_N_IO(name, field) [V_##name] = #name,
							     RT_TEL_IO_LIST(IFD_N_IO)
#undef IFD_N_IO
};

static const char *const head_summed[] = {"shards", NULL};
static const char *const head_shard[] = {"shard", "lcore", NULL};

static const char *const ep_cmds[IFD_EP_COUNT][2] = {
	[IFD_EP_STATS] = {"/ikefarm/stats", "/ikefarm/shard"},
	[IFD_EP_RUNTIME] = {"/ikefarm/runtime", "/ikefarm/runtime"},
};

static const char *const ep_names[IFD_EP_COUNT] = {
	[IFD_EP_STATS] = "stats",
	[IFD_EP_RUNTIME] = "runtime",
};

unsigned
ifd_value_count(void)
{
	return V_CORE_BASE + ike_counter_count();
}

const char *
ifd_value_name(unsigned k)
{
	return k < V_CORE_BASE ? fixed_names[k] : ike_counter_name(k - V_CORE_BASE);
}

bool
ifd_value_is_gauge(unsigned k)
{
	return k <= V_VIP6_FREE;
}

enum ifd_tel_ep
ifd_value_endpoint(unsigned k)
{
	return k >= V_EVENTS_SUPPRESSED && k < V_CORE_BASE ? IFD_EP_RUNTIME : IFD_EP_STATS;
}

const char *
ifd_tel_ep_cmd(enum ifd_tel_ep ep, bool one_shard)
{
	return ep_cmds[ep][one_shard];
}

const char *const *
ifd_tel_head(bool one_shard)
{
	return one_shard ? head_shard : head_summed;
}

unsigned
ifd_tel_ep_entries(enum ifd_tel_ep ep, bool one_shard)
{
	const char *const *h = ifd_tel_head(one_shard);
	unsigned n = 0;

	while (*h++ != NULL)
		n++;
	for (unsigned k = 0; k < ifd_value_count(); k++)
		n += ifd_value_endpoint(k) == ep;
	return n;
}

/* One dict entry in lib/telemetry's JSON: ,"NAME":VALUE with a u64 of 20 digits at most. */
static size_t
entry_json_max(const char *name)
{
	return 1 + 2 + strlen(name) + 1 + 20;
}

size_t
ifd_tel_ep_json_max(enum ifd_tel_ep ep, bool one_shard)
{
	/* {"CMD":{ ... }} and the terminating NUL. */
	size_t n = 2 + strlen(ifd_tel_ep_cmd(ep, one_shard)) + 2 + 1 + 1 + 1 + 1;

	for (const char *const *h = ifd_tel_head(one_shard); *h != NULL; h++)
		n += entry_json_max(*h);
	for (unsigned k = 0; k < ifd_value_count(); k++)
		if (ifd_value_endpoint(k) == ep)
			n += entry_json_max(ifd_value_name(k));
	return n;
}

int
ifd_tel_layout_check(char *err, size_t err_len)
{
	for (unsigned ep = 0; ep < IFD_EP_COUNT; ep++)
		for (unsigned one = 0; one < 2; one++) {
			unsigned n = ifd_tel_ep_entries(ep, one);
			size_t json = ifd_tel_ep_json_max(ep, one);

			if (n > IFD_TEL_MAX_ENTRIES) {
				snprintf(err, err_len,
					 "telemetry: %s (%s values) would answer with %u entries, "
					 "DPDK keeps %u and drops the rest (%u at most here): move "
					 "a family of counters to an endpoint of its own "
					 "(docs/operating.md)",
					 ifd_tel_ep_cmd(ep, one), ep_names[ep], n,
					 RTE_TEL_MAX_DICT_ENTRIES, IFD_TEL_MAX_ENTRIES);
				return -1;
			}
			if (json > IFD_TEL_MAX_OUTPUT) {
				snprintf(
					err, err_len,
					"telemetry: %s (%s values) could answer with %zu octets of "
					"JSON, DPDK sends %u and drops the rest: move a family of "
					"counters to an endpoint of its own (docs/operating.md)",
					ifd_tel_ep_cmd(ep, one), ep_names[ep], json,
					IFD_TEL_MAX_OUTPUT);
				return -1;
			}
		}
	return 0;
}
