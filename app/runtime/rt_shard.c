/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_shard.c - per-lcore state: the shard's own packet device, on the
 * lcore's NUMA socket. The protocol keeps its own state (shard_init).
 */
#include <stdio.h>
#include <string.h>

#include "io_eth.h"
#include "io_udp.h"
#include "rt_priv.h"

/* Worker shard_id's queue pair on the configured DPDK port (the first call sets the port up). */
static struct io_dev *
open_eth(const struct rt *rt, const struct rt_config *cfg, unsigned shard_id)
{
	struct io_eth_conf ec = {
		.port_id = (uint16_t)cfg->port_id,
		.nb_workers = (uint16_t)rt->nb_shards,
		.esp_input = rt->proto->esp_input,
		.esp_arg = rt->proto_arg,
		.nb_addrs = cfg->nb_addrs,
		.ike_port = (uint16_t)cfg->ike_port,
		.natt_port = (uint16_t)cfg->natt_port,
		.mtu = (uint16_t)cfg->mtu,
		.nb_bufs = cfg->nb_bufs,
		.buf_size = cfg->buf_size,
		.burst = (uint16_t)cfg->burst,
		.frag_flows = cfg->frag_flows,
		.vlan = (uint16_t)cfg->vlan,
	};
	unsigned i;

	if (cfg->nb_addrs == 0) {
		RT_LOG(ERR, "net.driver ethdev needs [net] address (e.g. 198.51.100.1/24)\n");
		return NULL;
	}
	for (i = 0; i < cfg->nb_addrs && i < IO_ETH_ADDR_MAX; i++) {
		ec.addrs[i].family = cfg->addrs[i].family;
		ec.addrs[i].len = cfg->addrs[i].len;
		memcpy(ec.addrs[i].ip, cfg->addrs[i].ip, sizeof(ec.addrs[i].ip));
	}
	memcpy(ec.gateway4, cfg->gateway4, sizeof(ec.gateway4));
	memcpy(ec.gateway6, cfg->gateway6, sizeof(ec.gateway6));
	if (cfg->exception_tap)
		snprintf(ec.exception_iface, sizeof(ec.exception_iface), "%s", cfg->exception_iface);
	return io_eth_open(&ec, (uint16_t)shard_id);
}

static struct io_dev *
open_io(const struct rt *rt, const struct rt_config *cfg, unsigned shard_id)
{
	struct io_udp_conf uc = {
		.bind_v4 = cfg->bind_v4[0] ? cfg->bind_v4 : NULL,
		.bind_v6 = cfg->bind_v6[0] ? cfg->bind_v6 : NULL,
		.port = {(int32_t)cfg->ike_port,
			 cfg->natt_port ? (int32_t)cfg->natt_port : IO_UDP_PORT_OFF},
		.nb_bufs = cfg->nb_bufs,
		.buf_size = cfg->buf_size,
		.burst = (uint16_t)cfg->burst,
		/* Before the first of our sockets: nobody else may hold the ports. */
		.check_free = shard_id == 0,
	};

	if (strcmp(cfg->driver, "ethdev") == 0)
		return open_eth(rt, cfg, shard_id);
	if (strcmp(cfg->driver, "udp") != 0) {
		RT_LOG(ERR, "net.driver '%s' is not available (udp, ethdev are)\n", cfg->driver);
		return NULL;
	}
	if (cfg->esp_lcores != 0) {
		RT_LOG(ERR, "runtime.esp_lcores needs net.driver ethdev\n");
		return NULL;
	}
	return io_udp_open(&uc);
}

int
rt_shard_setup(struct rt *rt, struct rt_shard *s, unsigned id, unsigned lcore)
{
	s->rt = rt;
	s->id = id;
	s->lcore = lcore;
	s->socket = (int)rte_lcore_to_socket_id(lcore);
	s->io = open_io(rt, &rt->cfg, id);
	if (s->io == NULL) {
		RT_LOG(ERR, "shard %u: cannot open packet I/O\n", id);
		return -1;
	}
	return 0;
}

void
rt_shard_teardown(struct rt_shard *s)
{
	if (s->io != NULL)
		io_close(s->io);
	s->io = NULL;
}

unsigned
rt_shard_id(const struct rt_shard *s)
{
	return s->id;
}

unsigned
rt_shard_lcore(const struct rt_shard *s)
{
	return s->lcore;
}

int
rt_shard_socket(const struct rt_shard *s)
{
	return s->socket;
}

const struct rt_counters *
rt_shard_counters(const struct rt_shard *s)
{
	return &s->c;
}

const struct io_stats *
rt_shard_io_stats(const struct rt_shard *s)
{
	return &s->io->stats;
}
