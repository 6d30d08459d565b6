/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_telemetry.c - /ikefarm/stats, /ikefarm/shard, /ikefarm/runtime (which
 * value goes where: ifd_tel_layout.h) and the commands. Counters are written
 * only by their shard's lcore; the telemetry thread reads them with relaxed
 * atomic loads: each value is whole, the set is not one snapshot.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "ifd_creds_reload.h"
#include "ifd_event.h"
#include "ifd_log.h"
#include "ifd_tel_layout.h"
#include "ifd_telemetry.h"
#include "ifd_tickets.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

/* Set while the shards exist; the telemetry thread reads it. */
static struct ifd_app *tel_app;
static unsigned tel_nb_shards;

void
ifd_values_add_shard(const struct ifd_shard *s, uint64_t *v)
{
	const struct ike_shard *ike = ifd_shard_core(s);
	const struct rt_counters *rc = rt_shard_counters(ifd_shard_rt(s));
	const struct io_stats *io = rt_shard_io_stats(ifd_shard_rt(s));
	const uint64_t *c = ike_shard_counters(ike);
	unsigned k, n = ike_counter_count();
	uint32_t held, nfree;

	v[V_IKE_SAS] += ike_shard_nb_sas(ike);
	v[V_HALF_OPEN] += ike_shard_nb_half_open(ike);
	ike_shard_pool_usage(ike, 4, &held, &nfree);
	v[V_VIP4_HELD] += held;
	v[V_VIP4_FREE] += nfree;
	ike_shard_pool_usage(ike, 6, &held, &nfree);
	v[V_VIP6_HELD] += held;
	v[V_VIP6_FREE] += nfree;
	v[V_EVENTS_SUPPRESSED] += ifd_shard_events_suppressed(s);
#define IFD_ADD_RT(name, help) v[V_RT_##name] += LOAD(rc->name);
	RT_COUNTER_LIST(IFD_ADD_RT)
#undef IFD_ADD_RT
#define IFD_ADD_IO(name, field) v[V_##name] += LOAD(io->field);
	RT_TEL_IO_LIST(IFD_ADD_IO)
#undef IFD_ADD_IO
	for (k = 0; k < n; k++)
		v[V_CORE_BASE + k] += LOAD(c[k]);
}

/*
 * One counter endpoint's answer: its head, then its values. Every name is
 * [a-z0-9_] (ike_counter_name() guarantees it for the core's) and
 * ifd_tel_layout_check() proved they all fit, so a refused entry is a bug:
 * the client gets an error, never a dict with values silently missing.
 */
static int
put_answer(struct rte_tel_data *d, enum ifd_tel_ep ep, const uint64_t *head, const uint64_t *v,
	   bool one_shard)
{
	const char *const *h = ifd_tel_head(one_shard);
	int rc = 0;

	rte_tel_data_start_dict(d);
	for (unsigned i = 0; h[i] != NULL; i++)
		rc |= rte_tel_data_add_dict_u64(d, h[i], head[i]);
	for (unsigned k = 0; k < ifd_value_count(); k++)
		if (ifd_value_endpoint(k) == ep)
			rc |= rte_tel_data_add_dict_u64(d, ifd_value_name(k), v[k]);
	return rc != 0 ? -1 : 0;
}

/* CMD or CMD,SHARD: the sum over the shards or one shard's values of endpoint ep. */
static int
tel_values(const char *params, enum ifd_tel_ep ep, bool need_shard, struct rte_tel_data *d)
{
	struct ifd_app *app = __atomic_load_n(&tel_app, __ATOMIC_ACQUIRE);
	bool one = params != NULL && *params != '\0';
	unsigned long n = 0;
	uint64_t head[2], *v;
	char *end;
	int rc;

	if (app == NULL || (need_shard && !one))
		return -1;
	if (one) {
		n = strtoul(params, &end, 10);
		if (*end != '\0' || n >= tel_nb_shards)
			return -1;
	}
	v = calloc(ifd_value_count(), sizeof(*v));
	if (v == NULL)
		return -1;
	if (one) {
		ifd_values_add_shard(app->shards[n], v);
		head[0] = n;
		head[1] = rt_shard_lcore(ifd_shard_rt(app->shards[n]));
	} else {
		for (unsigned i = 0; i < tel_nb_shards; i++)
			ifd_values_add_shard(app->shards[i], v);
		head[0] = tel_nb_shards;
	}
	rc = put_answer(d, ep, head, v, one);
	free(v);
	return rc;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	return tel_values(NULL, IFD_EP_STATS, false, d);
}

static int
tel_shard(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return tel_values(params, IFD_EP_STATS, true, d);
}

static int
tel_runtime(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return tel_values(params, IFD_EP_RUNTIME, false, d);
}

/* How long /ikefarm/reauth, /ikefarm/terminate and /ikefarm/sas wait for the workers. */
#define IFD_REAUTH_WAIT_MS 2000

/*
 * Telemetry runs a thread per client: the mailboxes have one writer on the
 * control side, so commands that post to them take turns.
 */
static pthread_mutex_t tel_box_lock = PTHREAD_MUTEX_INITIALIZER;

/* Posts a selector to every worker and waits for them: reauth or terminate. */
static int
tel_select(const char *params, enum ike_sel_action action, struct rte_tel_data *d)
{
	struct ifd_app *app = __atomic_load_n(&tel_app, __ATOMIC_ACQUIRE);
	uint32_t seq[IFD_MAX_SHARDS] = {0}, asked, total = 0;
	struct ike_reauth_sel sel;
	unsigned i, pending, busy = 0;
	uint8_t id[255];
	char why[256];

	if (app == NULL)
		return -1;
	rte_tel_data_start_dict(d);
	if (ifd_reauth_parse(params != NULL && *params != '\0' ? params : NULL, &sel, id, why,
			     sizeof(why)) != 0) { /* an explicit "all" is required */
		rte_tel_data_add_dict_string(d, "error", why);
		return 0;
	}
	if (action == IKE_SEL_TERMINATE && sel.scope == IKE_REAUTH_ALL) {
		rte_tel_data_add_dict_string(d, "error",
					     "terminate takes spi:HEX or id:TYPE:VALUE");
		return 0;
	}
	sel.action = action;
	pthread_mutex_lock(&tel_box_lock);
	for (i = 0; i < tel_nb_shards; i++) {
		seq[i] = ifd_reauth_post(ifd_shard_reauth(app->shards[i]), &sel);
		busy += seq[i] == 0;
	}
	for (unsigned ms = 0;; ms++) {
		pending = 0;
		total = 0;
		for (i = 0; i < tel_nb_shards; i++) {
			if (seq[i] == 0)
				continue;
			if (ifd_reauth_finished(ifd_shard_reauth(app->shards[i]), seq[i], &asked))
				total += asked;
			else
				pending++;
		}
		if (pending == 0 || ms == IFD_REAUTH_WAIT_MS)
			break;
		rte_delay_us_sleep(1000);
	}
	pthread_mutex_unlock(&tel_box_lock);
	rte_tel_data_add_dict_u64(d, "shards", tel_nb_shards);
	rte_tel_data_add_dict_u64(d, action == IKE_SEL_TERMINATE ? "terminated" : "asked", total);
	rte_tel_data_add_dict_u64(d, "shards_busy", busy);
	rte_tel_data_add_dict_u64(d, "shards_pending", pending);
	return 0;
}

static int
tel_reauth(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return tel_select(params, IKE_SEL_REAUTH, d);
}

static int
tel_terminate(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return tel_select(params, IKE_SEL_TERMINATE, d);
}

/* The page's SAs as columns: arrays of strings and numbers, one entry per SA. */
static int
put_page(struct rte_tel_data *d, const struct ifd_list_box *b)
{
	static const char *const cols[] = {
		"spi_i",	 "spi_r",	  "local",	   "remote",   "id",
		"algs",		 "age_s",	  "auth_deadline", "children", "retired_packets",
		"retired_bytes", "retired_errors"};
	struct rte_tel_data *c[RTE_DIM(cols)];
	char buf[RTE_TEL_MAX_STRING_LEN];
	unsigned k, i, o;
	int rc = 0;

	for (k = 0; k < RTE_DIM(cols); k++) {
		c[k] = rte_tel_data_alloc();
		if (c[k] == NULL) {
			while (k-- > 0)
				rte_tel_data_free(c[k]);
			return -1;
		}
		rte_tel_data_start_array(c[k], k == 6 || k == 7 || k >= 9 ? RTE_TEL_U64_VAL
									  : RTE_TEL_STRING_VAL);
	}
	for (i = 0; i < b->n; i++) {
		const struct ike_sa_info *sa = &b->sa[i];

		snprintf(buf, sizeof(buf), "%016" PRIx64, sa->spi_i);
		rte_tel_data_add_array_string(c[0], buf);
		snprintf(buf, sizeof(buf), "%016" PRIx64, sa->spi_r);
		rte_tel_data_add_array_string(c[1], buf);
		ifd_addr_format(&sa->local, buf, sizeof(buf));
		rte_tel_data_add_array_string(c[2], buf);
		ifd_addr_format(&sa->remote, buf, sizeof(buf));
		rte_tel_data_add_array_string(c[3], buf);
		if (sa->any_id)
			snprintf(buf, sizeof(buf), "*");
		else
			ifd_id_format(sa->id_type, sa->id, sa->id_len, buf, sizeof(buf));
		rte_tel_data_add_array_string(c[4], buf);
		ifd_algs_format(sa->cipher, sa->enc_key_bits, sa->integ, sa->prf, buf, sizeof(buf));
		rte_tel_data_add_array_string(c[5], buf);
		rte_tel_data_add_array_u64(c[6], sa->age_ms / 1000u);
		rte_tel_data_add_array_u64(c[7], sa->auth_deadline);
		buf[0] = '\0';
		for (k = 0, o = 0; k < sa->nb_children && o < sizeof(buf); k++)
			o += (unsigned)snprintf(buf + o, sizeof(buf) - o, "%s%08x/%08x",
						k != 0 ? " " : "", sa->child[k].spi_in,
						sa->child[k].spi_out);
		rte_tel_data_add_array_string(c[8], buf);
		/* Child SAs gone from this IKE SA (rekeyed away, deleted): its totals carry on. */
		rte_tel_data_add_array_u64(c[9], b->retired[i].packets);
		rte_tel_data_add_array_u64(c[10], b->retired[i].bytes);
		rte_tel_data_add_array_u64(c[11], b->retired[i].errors);
	}
	for (k = 0; k < RTE_DIM(cols); k++)
		if (rte_tel_data_add_dict_container(d, cols[k], c[k], 0) != 0) {
			rte_tel_data_free(c[k]);
			rc = -1;
		}
	return rc;
}

/*
 * /ikefarm/sas,SHARD:PEER:SPI: one page of one shard's established IKE
 * SAs from that position ("" for the start), and "next", the position of
 * the next page ("" at the end). The shard's worker fills the page between
 * bursts.
 */
static int
tel_sas(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ifd_app *app = __atomic_load_n(&tel_app, __ATOMIC_ACQUIRE);
	struct ike_sa_cursor c;
	struct ifd_list_box *b;
	char next[64] = "";
	unsigned shard, ms;
	uint32_t seq;
	int rc;

	(void)cmd;
	if (app == NULL)
		return -1;
	rte_tel_data_start_dict(d);
	if (ifd_list_pos_parse(params, &shard, &c) != 0 || shard >= tel_nb_shards) {
		rte_tel_data_add_dict_string(d, "error", "position: SHARD:PEER:SPI, as in next");
		return 0;
	}
	b = ifd_shard_list(app->shards[shard]);
	pthread_mutex_lock(&tel_box_lock);
	seq = ifd_list_post(b, &c);
	for (ms = 0; seq != 0 && !ifd_list_finished(b, seq) && ms < IFD_REAUTH_WAIT_MS; ms++)
		rte_delay_us_sleep(1000);
	if (seq == 0 || !ifd_list_finished(b, seq)) {
		pthread_mutex_unlock(&tel_box_lock);
		rte_tel_data_add_dict_string(d, "error", "the shard's worker did not answer");
		return 0;
	}
	if (!b->cursor.done)
		snprintf(next, sizeof(next), "%u:%" PRIu32 ":%" PRIx64, shard, b->cursor.peer,
			 b->cursor.spi);
	else if (shard + 1 < tel_nb_shards)
		snprintf(next, sizeof(next), "%u:0:0", shard + 1);
	rte_tel_data_add_dict_u64(d, "shard", shard);
	rte_tel_data_add_dict_string(d, "next", next);
	rc = put_page(d, b);
	pthread_mutex_unlock(&tel_box_lock);
	return rc;
}

/*
 * A reload's answer: ok, and the message as an array of strings that,
 * joined, give it back (telemetry cuts one string at 127 characters; a
 * FILE:LINE: reason with its path is often longer).
 */
static void
put_reload_answer(struct rte_tel_data *d, int rc, const char *msg)
{
	struct rte_tel_data *m = rte_tel_data_alloc();
	char piece[RTE_TEL_MAX_STRING_LEN];
	size_t len = strlen(msg), off;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "ok", rc == 0);
	if (m == NULL)
		return;
	rte_tel_data_start_array(m, RTE_TEL_STRING_VAL);
	for (off = 0; off < len; off += sizeof(piece) - 1) {
		snprintf(piece, sizeof(piece), "%s", msg + off);
		rte_tel_data_add_array_string(m, piece);
	}
	if (rte_tel_data_add_dict_container(d, "message", m, 0) != 0)
		rte_tel_data_free(m);
}

static int
tel_ticket_keys_reload(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char msg[600];
	int rc;

	(void)cmd;
	(void)params;
	rc = ifd_tickets_reload(msg, sizeof(msg));
	put_reload_answer(d, rc, msg);
	return 0;
}

static int
tel_creds_reload(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char msg[700];
	int rc;

	(void)cmd;
	(void)params;
	rc = ifd_creds_reload(msg, sizeof(msg));
	put_reload_answer(d, rc, msg);
	return 0;
}

int
ifd_telemetry_register(struct ifd_app *app, unsigned nb_shards)
{
	char err[256];

	if (ifd_tel_layout_check(err, sizeof(err)) != 0) {
		IFD_LOG(ERR, "%s\n", err);
		return -1;
	}
	tel_nb_shards = nb_shards;
	__atomic_store_n(&tel_app, app, __ATOMIC_RELEASE);
	if (rte_telemetry_register_cmd(
		    "/ikefarm/stats", tel_stats,
		    "IKE core counters summed over all shards, SA counts. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/ikefarm/shard", tel_shard,
				       "One shard's IKE core counters. Parameter: shard number") !=
		    0 ||
	    rte_telemetry_register_cmd(
		    "/ikefarm/runtime", tel_runtime,
		    "Runtime and packet device counters, summed or of one shard. "
		    "Parameter: shard number (optional)") != 0 ||
	    rte_telemetry_register_cmd(
		    "/ikefarm/reauth", tel_reauth,
		    "Ask clients to authenticate again (RFC 4478). Parameter: all, spi:HEX "
		    "(our SPI) or id:TYPE:VALUE") != 0 ||
	    rte_telemetry_register_cmd(
		    "/ikefarm/terminate", tel_terminate,
		    "Delete IKE SAs now (the peer gets a DELETE). Parameter: spi:HEX (our SPI) or "
		    "id:TYPE:VALUE") != 0 ||
	    rte_telemetry_register_cmd("/ikefarm/sas", tel_sas,
				       "One page of established IKE SAs. Parameter: \"\" or the "
				       "previous page's next") != 0 ||
	    rte_telemetry_register_cmd("/ikefarm/creds_reload", tel_creds_reload,
				       "Reload the credentials file and the config's proposals, "
				       "keeping the SAs of the users kept. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/ikefarm/ticket_keys_reload", tel_ticket_keys_reload,
				       "Reload the ticket key file. No parameters") != 0)
		return -1;
	return 0;
}

void
ifd_telemetry_stop(void)
{
	__atomic_store_n(&tel_app, NULL, __ATOMIC_RELEASE);
}
