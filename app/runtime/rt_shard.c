/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_shard.c - per-lcore state: SA table, half-open index and timer wheel
 * in one block sized by the configuration and allocated on the lcore's
 * NUMA socket, plus the shard's own packet device.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <rte_malloc.h>

#include "io_eth.h"
#include "io_udp.h"
#include "rt_priv.h"

#define ALIGN_UP(v) RTE_ALIGN_CEIL((v), RTE_CACHE_LINE_SIZE)

size_t
rt_shard_mem_size(const struct rt_config *cfg, size_t sa_size)
{
	return ALIGN_UP(satable_mem_size(cfg->sa_capacity, sa_size)) +
	       ALIGN_UP(halfopen_mem_size(cfg->halfopen_capacity)) +
	       ALIGN_UP(sizeof(struct timer_wheel));
}

/* Worker shard_id's queue pair on the configured DPDK port (the first call sets the port up). */
static struct io_dev *
open_eth(const struct rt_config *cfg, unsigned shard_id)
{
	struct io_eth_conf ec = {
		.port_id = (uint16_t)cfg->port_id,
		.nb_workers = (uint16_t)rte_lcore_count(),
		.nb_addrs = cfg->nb_addrs,
		.ike_port = (uint16_t)cfg->ike_port,
		.natt_port = (uint16_t)cfg->natt_port,
		.mtu = (uint16_t)cfg->mtu,
		.nb_bufs = cfg->nb_bufs,
		.buf_size = cfg->buf_size,
		.burst = (uint16_t)cfg->burst,
		.frag_flows = cfg->frag_flows,
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
open_io(const struct rt_config *cfg, unsigned shard_id)
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
		return open_eth(cfg, shard_id);
	if (strcmp(cfg->driver, "udp") != 0) {
		RT_LOG(ERR, "net.driver '%s' is not available (udp, ethdev are)\n", cfg->driver);
		return NULL;
	}
	return io_udp_open(&uc);
}

int
rt_shard_setup(struct rt *rt, struct rt_shard *s, unsigned id, unsigned lcore)
{
	const struct rt_config *cfg = &rt->cfg;
	size_t sat_len = satable_mem_size(cfg->sa_capacity, rt->proto->sa_size);
	size_t ho_len = halfopen_mem_size(cfg->halfopen_capacity);
	uint8_t hash_key[16];
	uint8_t *p;

	s->rt = rt;
	s->id = id;
	s->lcore = lcore;
	s->socket = (int)rte_lcore_to_socket_id(lcore);
	s->mem = rte_zmalloc_socket("ikefarm_shard", rt_shard_mem_size(cfg, rt->proto->sa_size),
				    RTE_CACHE_LINE_SIZE, s->socket);
	if (s->mem == NULL) {
		RT_LOG(ERR, "shard %u: no memory for %u SAs on socket %d\n", id, cfg->sa_capacity,
		       s->socket);
		return -1;
	}
	p = s->mem;
	s->sat = satable_init(p, sat_len, &rt->layout, id, cfg->sa_capacity, rt->proto->sa_size);
	p += ALIGN_UP(sat_len);
	/* Secret hash key: initiators choose SPIs and addresses. */
	if (getrandom(hash_key, sizeof(hash_key), 0) != sizeof(hash_key)) {
		RT_LOG(ERR, "shard %u: getrandom: %s\n", id, strerror(errno));
		return -1;
	}
	s->ho = halfopen_init(p, ho_len, cfg->halfopen_capacity, hash_key);
	memset(hash_key, 0, sizeof(hash_key));
	p += ALIGN_UP(ho_len);
	s->tw = (struct timer_wheel *)(void *)p;
	timer_wheel_init(s->tw, cfg->timer_tick_ms, rt_clock_ms());
	if (s->sat == NULL || s->ho == NULL)
		return -1;
	s->io = open_io(cfg, id);
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
	rte_free(s->mem);
	s->io = NULL;
	s->mem = NULL;
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

struct satable *
rt_shard_satable(struct rt_shard *s)
{
	return s->sat;
}

struct halfopen_index *
rt_shard_halfopen(struct rt_shard *s)
{
	return s->ho;
}

struct timer_wheel *
rt_shard_timers(struct rt_shard *s)
{
	return s->tw;
}

const struct spi_layout *
rt_shard_spi_layout(const struct rt_shard *s)
{
	return &s->rt->layout;
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
