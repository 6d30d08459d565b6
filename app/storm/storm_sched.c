/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * storm_sched.c - window, pacing, retransmits and timeouts.
 * RFC 7296 2.1: the initiator retransmits its request unchanged until it
 * gets the response or gives up; 2.4: it may give up after a while.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storm_sched.h"
#include "storm_spimap.h"

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define TICK_NS (10 * NS_PER_MS) /* retransmit/timeout scan and max wait in epoll */
#define NO_SLOT UINT32_MAX
#define TIMEOUT_REASON "timeout"

/* One operation in flight: its client and its last request, for retransmits. */
struct slot {
	uint32_t client;
	uint32_t op; /* index in the mix: its stats row */
	uint32_t rto_ms;
	uint64_t op_start_ns;
	uint64_t xchg_start_ns;
	uint64_t next_tx_ns;
	uint16_t len;
	uint8_t req[STORM_MSG_MAX];
};

struct storm_sched {
	struct storm_sched_cfg cfg;
	struct storm_io *io;
	struct storm_clients *cl;
	struct storm_spimap map;
	uint64_t *spi;	   /* SPIi each client is mapped under */
	uint32_t *slot_of; /* client -> slot, or NO_SLOT */
	struct slot *slots;
	uint32_t *free_slots;
	unsigned nb_free;
	uint8_t scratch[STORM_MSG_MAX];
	/* current phase */
	const struct storm_mix *mix;
	struct storm_stats *rows;
	struct storm_stats *note_st; /* row of the operation the client seam works on */
	uint32_t cursor[STORM_MIX_MAX]; /* next client each operation considers */
	int64_t credit[STORM_MIX_MAX];	/* smooth weighted round robin */
	uint64_t started;
};

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t
storm_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

struct storm_sched *
storm_sched_create(const struct storm_sched_cfg *cfg, struct storm_io *io, struct storm_clients *cl)
{
	struct storm_sched *s = calloc(1, sizeof(*s));
	unsigned i;

	if (s == NULL)
		return NULL;
	s->cfg = *cfg;
	s->io = io;
	s->cl = cl;
	s->spi = calloc(cfg->nb_clients, sizeof(*s->spi));
	s->slot_of = malloc(cfg->nb_clients * sizeof(*s->slot_of));
	s->slots = calloc(cfg->window, sizeof(*s->slots));
	s->free_slots = malloc(cfg->window * sizeof(*s->free_slots));
	if (s->spi == NULL || s->slot_of == NULL || s->slots == NULL || s->free_slots == NULL ||
	    storm_spimap_init(&s->map, cfg->nb_clients) != 0) {
		storm_sched_destroy(s);
		return NULL;
	}
	for (i = 0; i < cfg->nb_clients; i++)
		s->slot_of[i] = NO_SLOT;
	for (i = 0; i < cfg->window; i++)
		s->free_slots[s->nb_free++] = cfg->window - 1 - i;
	return s;
}

void
storm_sched_destroy(struct storm_sched *s)
{
	if (s == NULL)
		return;
	storm_spimap_fini(&s->map);
	free(s->free_slots);
	free(s->slots);
	free(s->slot_of);
	free(s->spi);
	free(s);
}

static void
on_note(void *arg, const char *event)
{
	struct storm_sched *s = arg;

	storm_stats_event(s->note_st, event);
}

static struct storm_stats *
row_of(struct storm_sched *s, const struct slot *sl)
{
	return &s->rows[sl->op];
}

static unsigned
inflight(const struct storm_sched *s)
{
	return s->cfg.window - s->nb_free;
}

static uint32_t
sock_of(const struct storm_sched *s, uint32_t client)
{
	return client % s->cfg.nb_socks;
}

/* Keeps the SPIi map in step with the client's current IKE SA. */
static void
map_client(struct storm_sched *s, uint32_t i)
{
	uint64_t spi = storm_client_spi_i(s->cl, i);

	if (spi == s->spi[i])
		return;
	storm_spimap_del(&s->map, s->spi[i]);
	if (spi != 0)
		storm_spimap_put(&s->map, spi, i);
	s->spi[i] = spi;
}

static void
slot_release(struct storm_sched *s, uint32_t client)
{
	s->free_slots[s->nb_free++] = s->slot_of[client];
	s->slot_of[client] = NO_SLOT;
}

/* Stores and sends the next request of an operation: a new exchange begins. */
static void
send_request(struct storm_sched *s, struct slot *sl, const uint8_t *req, size_t len, uint64_t now)
{
	if (req != sl->req)
		memcpy(sl->req, req, len);
	sl->len = (uint16_t)len;
	sl->xchg_start_ns = now;
	sl->rto_ms = s->cfg.rto_ms;
	sl->next_tx_ns = now + (uint64_t)sl->rto_ms * NS_PER_MS;
	storm_io_queue(s->io, sock_of(s, sl->client), sl->req, len);
	row_of(s, sl)->tx_msgs++;
}

/* Acts on what the client seam said; out/out_len is what it produced. */
static void
apply_step(struct storm_sched *s, uint32_t client, enum storm_step step, const uint8_t *out,
	   size_t out_len, const char *reason, uint64_t now)
{
	struct slot *sl = &s->slots[s->slot_of[client]];
	struct storm_stats *st = row_of(s, sl);

	map_client(s, client);
	if (step == STORM_STEP_SEND) {
		send_request(s, sl, out, out_len, now);
		return;
	}
	if (out_len > 0) { /* a message to send once: an answer, or the D(IKE) after a rekey */
		storm_io_queue(s->io, sock_of(s, client), out, out_len);
		st->tx_msgs++;
	}
	switch (step) {
	case STORM_STEP_WAIT:
		if (reason != NULL)
			storm_stats_dropped(st, reason);
		return;
	case STORM_STEP_DONE:
		storm_stats_completed(st, now, now - sl->op_start_ns);
		break;
	case STORM_STEP_DONE_FALLBACK:
		storm_stats_fallback(st, now);
		break;
	default:
		storm_stats_failed(st, now, reason != NULL ? reason : "unknown");
		break;
	}
	slot_release(s, client);
}

static bool
eligible(const struct storm_sched *s, enum storm_need need, uint32_t i)
{
	if (s->slot_of[i] != NO_SLOT)
		return false;
	switch (need) {
	case STORM_NEED_ESTABLISHED:
		return storm_client_established(s->cl, i);
	case STORM_NEED_TICKET:
		return storm_client_has_ticket(s->cl, i);
	case STORM_NEED_IDLE:
		return !storm_client_established(s->cl, i);
	case STORM_NEED_ESTABLISHED_TICKET:
		return storm_client_established(s->cl, i) && storm_client_has_ticket(s->cl, i);
	default:
		return true;
	}
}

/* The next client operation op may start on, or NO_SLOT after a full round. */
static uint32_t
next_client(struct storm_sched *s, uint32_t op)
{
	enum storm_need need = s->mix->op[op]->need;
	uint32_t k, i;

	for (k = 0; k < s->cfg.nb_clients; k++) {
		i = s->cursor[op];
		s->cursor[op] = (s->cursor[op] + 1) % s->cfg.nb_clients;
		if (eligible(s, need, i))
			return i;
	}
	return NO_SLOT;
}

/* Smooth weighted round robin (as in nginx's upstream balancer): an even interleave. */
static uint32_t
pick_op(struct storm_sched *s)
{
	int64_t total = 0;
	uint32_t k, best = 0;

	for (k = 0; k < s->mix->nb; k++) {
		s->credit[k] += s->mix->weight[k];
		total += s->mix->weight[k];
		if (s->credit[k] > s->credit[best])
			best = k;
	}
	s->credit[best] -= total;
	return best;
}

static bool
start_one(struct storm_sched *s, uint64_t now)
{
	const char *reason = NULL;
	enum storm_step step;
	uint32_t i = NO_SLOT, op = pick_op(s), k;
	size_t len = 0;
	struct slot *sl;

	/* The picked operation has no eligible client: the next one that has takes the start. */
	for (k = 0; k < s->mix->nb && i == NO_SLOT; k++) {
		if (k > 0)
			op = (op + 1) % s->mix->nb;
		i = next_client(s, op);
	}
	if (i == NO_SLOT)
		return false;
	s->slot_of[i] = s->free_slots[--s->nb_free];
	sl = &s->slots[s->slot_of[i]];
	sl->client = i;
	sl->op = op;
	sl->op_start_ns = now;
	s->started++;
	storm_stats_started(row_of(s, sl), now);
	s->note_st = row_of(s, sl);
	step = s->mix->op[op]->begin(s->cl, i, sl->req, sizeof(sl->req), &len, &reason);
	if (step == STORM_STEP_WAIT) /* a begin that sends nothing cannot progress */
		step = STORM_STEP_FAIL;
	apply_step(s, i, step, sl->req, len, reason, now);
	return true;
}

static void
on_rx(struct storm_sched *s, struct storm_rx *rx, uint64_t now)
{
	const char *reason = NULL;
	enum storm_step step;
	size_t len = 0;
	uint32_t i;

	struct storm_stats *st = &s->rows[0]; /* a response of no operation counts here */

	i = storm_spimap_get(&s->map, storm_client_msg_spi_i(rx->data, rx->len));
	if (i != STORM_SPIMAP_NONE && s->slot_of[i] != NO_SLOT)
		st = row_of(s, &s->slots[s->slot_of[i]]);
	st->rx_msgs++;
	if (i == STORM_SPIMAP_NONE) {
		storm_stats_dropped(st, "unknown-spi");
		return;
	}
	if (s->slot_of[i] == NO_SLOT) {
		/* A request of the responder while idle (its DPD probe): answered. */
		if (storm_client_answer_idle(s->cl, i, rx->data, rx->len, s->scratch,
					     sizeof(s->scratch), &len)) {
			storm_io_queue(s->io, sock_of(s, i), s->scratch, len);
			st->tx_msgs++;
			return;
		}
		/* a late retransmitted response */
		storm_stats_dropped(st, "no-operation");
		return;
	}
	s->note_st = st;
	step = storm_client_recv(s->cl, i, rx->data, rx->len, s->scratch, sizeof(s->scratch), &len,
				 &reason);
	apply_step(s, i, step, s->scratch, len, reason, now);
}

/* Retransmits due requests, fails exchanges past their timeout. */
static void
scan_timers(struct storm_sched *s, uint64_t now)
{
	uint64_t timeout = (uint64_t)s->cfg.timeout_ms * NS_PER_MS;
	uint32_t k, client;
	struct slot *sl;

	for (k = 0; k < s->cfg.window; k++) {
		sl = &s->slots[k];
		if (s->slot_of[sl->client] != k || sl->len == 0)
			continue;
		if (now - sl->xchg_start_ns >= timeout) {
			client = sl->client;
			storm_client_abort(s->cl, client);
			map_client(s, client);
			storm_stats_failed(row_of(s, sl), now, TIMEOUT_REASON);
			slot_release(s, client);
			continue;
		}
		if (now >= sl->next_tx_ns) {
			storm_io_queue(s->io, sock_of(s, sl->client), sl->req, sl->len);
			row_of(s, sl)->tx_msgs++;
			storm_stats_retransmit(row_of(s, sl), now);
			sl->rto_ms *= 2;
			sl->next_tx_ns = now + (uint64_t)sl->rto_ms * NS_PER_MS;
		}
	}
}

/* How many operations pacing allows to have started by now. */
static uint64_t
paced_allowance(const struct storm_sched *s, uint64_t t0, uint64_t now)
{
	if (s->cfg.rate <= 0)
		return UINT64_MAX;
	return (uint64_t)((double)(now - t0) / (double)NS_PER_S * s->cfg.rate) + 1;
}

/* Milliseconds to wait for input: one tick, less when pacing lets the next start come sooner. */
static int
wait_budget(const struct storm_sched *s, bool can_start, uint64_t t0, uint64_t started,
	    uint64_t now)
{
	uint64_t next;

	if (!can_start || s->cfg.rate <= 0)
		return (int)(TICK_NS / NS_PER_MS);
	next = t0 + (uint64_t)((double)started / s->cfg.rate * (double)NS_PER_S);
	if (next <= now)
		return 0;
	if (next - now >= TICK_NS)
		return (int)(TICK_NS / NS_PER_MS);
	return (int)((next - now + NS_PER_MS - 1) / NS_PER_MS);
}

static void
rows_tick(struct storm_sched *s, uint64_t now)
{
	uint32_t k;

	for (k = 0; k < s->mix->nb; k++)
		storm_stats_tick(&s->rows[k], now);
}

/* After a lead time the rows count from the first start (their rate and series). */
static void
rows_restart(struct storm_sched *s, uint64_t t)
{
	uint32_t k;

	for (k = 0; k < s->mix->nb; k++)
		s->rows[k].t0_ns = s->rows[k].end_ns = t;
}

void
storm_sched_run(struct storm_sched *s, const struct storm_mix *mix, struct storm_stats *rows,
		const struct storm_bg *bg, volatile sig_atomic_t *stop, storm_progress_fn progress,
		void *arg)
{
	uint64_t count = s->cfg.count, cpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), cpu, ops = 0;
	uint64_t t0 = storm_now_ns(), now = t0, next_tick = t0, next_report = t0 + NS_PER_S;
	uint64_t start_at = t0 + (bg != NULL ? bg->lead_ns : 0);
	uint64_t deadline = s->cfg.duration_s > 0
				    ? start_at + (uint64_t)(s->cfg.duration_s * NS_PER_S)
				    : UINT64_MAX;
	struct storm_rx rx[STORM_IO_BURST];
	bool starting = true, no_client, led = start_at == t0;
	unsigned k, n;
	int wait_ms;

	s->mix = mix;
	s->rows = rows;
	s->note_st = &rows[0];
	s->started = 0;
	memset(s->cursor, 0, sizeof(s->cursor));
	memset(s->credit, 0, sizeof(s->credit));
	storm_clients_set_note(s->cl, on_note, s);
	if (count == 0 && s->cfg.duration_s <= 0)
		count = s->cfg.nb_clients;
	if (count == 0)
		count = UINT64_MAX;
	for (;;) {
		now = storm_now_ns();
		if (bg != NULL)
			bg->run(bg->arg, &rows[0], now);
		if (!led && now >= start_at) {
			rows_restart(s, now);
			led = true;
		}
		if (*stop || now >= deadline || s->started >= count)
			starting = false;
		no_client = false;
		while (led && starting && s->nb_free > 0 && s->started < count &&
		       s->started < paced_allowance(s, start_at, now)) {
			if (!start_one(s, now)) {
				/* no eligible client; with clients busy, one may come free */
				if (inflight(s) == 0)
					starting = false;
				no_client = true;
				break;
			}
		}
		storm_io_flush(s->io);
		if (!starting && inflight(s) == 0)
			break;
		wait_ms = wait_budget(s, led && starting && !no_client && s->nb_free > 0, start_at,
				      s->started, now);
		n = storm_io_recv_burst(s->io, rx, STORM_IO_BURST, wait_ms);
		now = storm_now_ns();
		for (k = 0; k < n; k++)
			on_rx(s, &rx[k], now);
		if (now >= next_tick) {
			scan_timers(s, now);
			rows_tick(s, now);
			next_tick = now + TICK_NS;
		}
		if (now >= next_report) {
			if (progress != NULL)
				progress(rows, mix->nb, inflight(s), false, arg);
			next_report += NS_PER_S;
		}
		storm_io_flush(s->io);
	}
	storm_clients_set_note(s->cl, NULL, NULL);
	now = storm_now_ns();
	cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	for (k = 0; k < mix->nb; k++)
		ops += storm_stats_ended(&rows[k]);
	for (k = 0; k < mix->nb; k++) {
		storm_stats_finish(&rows[k], now);
		rows[k].phase_cpu_ns = cpu;
		rows[k].phase_ops = ops;
	}
	if (progress != NULL)
		progress(rows, mix->nb, 0, true, arg);
}
