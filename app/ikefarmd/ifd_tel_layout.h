/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_tel_layout - which value the daemon's counter endpoints show, under
 * which name, and whether each endpoint's answer fits DPDK telemetry.
 *
 * A telemetry answer is one dict: DPDK 22.11 keeps at most
 * RTE_TEL_MAX_DICT_ENTRIES (256) entries and a JSON reply of at most
 * IFD_TEL_MAX_OUTPUT octets, and drops anything beyond either without a
 * word. So the values are split by who counts them:
 *   /ikefarm/stats[,shard /ikefarm/shard,N]   the IKE core: SA and pool
 *                                              gauges, ike_counter_name()s
 *   /ikefarm/runtime[,N]                       the lcore runtime
 *                                              (RT_COUNTER_LIST), the packet
 *                                              device (io_*), the daemon's
 *                                              events_suppressed
 * ifd_tel_layout_check() proves every answer fits (IFD_TEL_MAX_ENTRIES,
 * IFD_TEL_MAX_OUTPUT); the daemon refuses to
 * start otherwise, and the unit test ifd-tel-layout fails first.
 */
#ifndef IFD_TEL_LAYOUT_H
#define IFD_TEL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <rte_telemetry.h>

#include "rt.h"

/* lib/telemetry's MAX_OUTPUT_LEN (the greeting's max_output_len), not in its API. */
#define IFD_TEL_MAX_OUTPUT 16384

/*
 * Entries an answer may have: one less than DPDK keeps, since a client
 * cannot tell a full dict from a cut one (tests/interop/telemetry.py
 * refuses a full one).
 */
#define IFD_TEL_MAX_ENTRIES (RTE_TEL_MAX_DICT_ENTRIES - 1)

/* Value indices: the fixed ones, then ike_counter_count() core counters. */
enum {
	V_IKE_SAS,
	V_HALF_OPEN,
	V_VIP4_HELD, /* virtual IPs ([pool], docs/protocol.md): leases held, addresses free */
	V_VIP4_FREE,
	V_VIP6_HELD,
	V_VIP6_FREE,
	V_EVENTS_SUPPRESSED,
#define IFD_V_RT(name, help) V_RT_##name,
	RT_COUNTER_LIST(IFD_V_RT)
#undef IFD_V_RT
#define IFD_V_IO(name, field) V_##name,
		RT_TEL_IO_LIST(IFD_V_IO)
#undef IFD_V_IO
			V_CORE_BASE
};

enum ifd_tel_ep {
	IFD_EP_STATS,	/* /ikefarm/stats, /ikefarm/shard,N */
	IFD_EP_RUNTIME, /* /ikefarm/runtime, /ikefarm/runtime,N */
	IFD_EP_COUNT
};

/* Every value, both endpoints together (the metrics endpoint shows them all). */
unsigned ifd_value_count(void);
const char *ifd_value_name(unsigned k);
bool ifd_value_is_gauge(unsigned k);
enum ifd_tel_ep ifd_value_endpoint(unsigned k);

/* The command of an endpoint, summed over the shards or of one shard. */
const char *ifd_tel_ep_cmd(enum ifd_tel_ep ep, bool one_shard);

/*
 * The entries an answer starts with, before its values: "shards" summed,
 * "shard" and "lcore" for one shard. NULL-terminated.
 */
const char *const *ifd_tel_head(bool one_shard);

/* Dict entries of an answer: head and values. */
unsigned ifd_tel_ep_entries(enum ifd_tel_ep ep, bool one_shard);

/* The longest JSON reply of an answer: every value at 20 digits. */
size_t ifd_tel_ep_json_max(enum ifd_tel_ep ep, bool one_shard);

/*
 * 0 when every answer fits both DPDK limits; else -1 and err says which
 * endpoint, how many entries or octets and the limit.
 */
int ifd_tel_layout_check(char *err, size_t err_len);

#endif
