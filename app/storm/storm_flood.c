/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_flood.c - paced IKE_SA_INIT requests that never complete, and what comes back. */
#include <stdio.h>
#include <stdlib.h>

#include "ike_buf.h"
#include "ike_const.h"
#include "storm_flood.h"
#include "storm_io.h"

#define NS_PER_S 1000000000.0
#define BURST_MAX 256 /* requests per call at most, so the engine's loop keeps turning */
/* RFC 7296 3.1 and 3.10: SPIr at 8, next payload at 16; a first Notify's type at 28 + 6. */
#define OFF_SPI_R 8
#define OFF_NEXT_PLD 16
#define OFF_NOTIFY_TYPE (IKE_HDR_LEN + 6)

struct storm_flood {
	struct storm_flood_cfg cfg;
	struct storm_clients *cl;
	struct storm_io *io;
	uint64_t t0_ns; /* first call; 0 before */
	uint64_t sent;
	uint8_t req[STORM_MSG_MAX];
};

struct storm_flood *
storm_flood_create(const struct storm_flood_cfg *cfg, struct storm_clients *cl)
{
	struct storm_io_cfg io = {
		.target = cfg->target,
		.target_len = cfg->target_len,
		.nb_socks = cfg->sources,
		.nb_addrs = cfg->sources,
		.addr_base = STORM_FLOOD_ADDR_BASE,
		.nonesp_marker = cfg->nonesp_marker,
	};
	struct storm_flood *f;

	if (cfg->target.ss_family != AF_INET || cfg->sources == 0 ||
	    cfg->sources > STORM_FLOOD_SOURCES_MAX) {
		fprintf(stderr, "storm: the flood needs an IPv4 target and 1..%u sources\n",
			STORM_FLOOD_SOURCES_MAX);
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return NULL;
	f->cfg = *cfg;
	f->cl = cl;
	f->io = storm_io_create(&io);
	if (f->io == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

void
storm_flood_destroy(struct storm_flood *f)
{
	if (f == NULL)
		return;
	storm_io_destroy(f->io);
	free(f);
}

static const char *
answer_kind(const uint8_t *msg, size_t len)
{
	if (ike_get_u64(msg + OFF_SPI_R) != 0)
		return STORM_FLOOD_EV_SA_INIT;
	if (msg[OFF_NEXT_PLD] == IKE_PLD_NOTIFY && len >= OFF_NOTIFY_TYPE + 2 &&
	    ike_get_u16(msg + OFF_NOTIFY_TYPE) == IKE_N_COOKIE)
		return STORM_FLOOD_EV_COOKIE;
	return STORM_FLOOD_EV_OTHER;
}

void
storm_flood_run(void *arg, struct storm_stats *st, uint64_t now_ns)
{
	struct storm_rx rx[STORM_IO_BURST];
	struct storm_flood *f = arg;
	uint64_t due, burst = 0;
	unsigned k, n;
	size_t len;

	if (f->t0_ns == 0)
		f->t0_ns = now_ns;
	due = (uint64_t)((double)(now_ns - f->t0_ns) / NS_PER_S * f->cfg.rate) + 1;
	if (due > f->cfg.count)
		due = f->cfg.count;
	while (f->sent < due && burst++ < BURST_MAX) {
		if (storm_clients_flood_request(f->cl, f->req, sizeof(f->req), &len) != 0)
			break;
		/* consecutive requests from different sources */
		storm_io_queue(f->io, (uint32_t)(f->sent % f->cfg.sources), f->req, len);
		f->sent++;
		storm_stats_event(st, STORM_FLOOD_EV_SENT);
	}
	storm_io_flush(f->io);
	do {
		n = storm_io_recv_burst(f->io, rx, STORM_IO_BURST, 0);
		for (k = 0; k < n; k++)
			storm_stats_event(st, answer_kind(rx[k].data, rx[k].len));
	} while (n == STORM_IO_BURST);
}
