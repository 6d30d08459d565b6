/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_creds_reload.c - reload-creds: parse, merge, hand to the workers, free the old list. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>

#include "ifd_check.h"
#include "ifd_creds_merge.h"
#include "ifd_creds_reload.h"
#include "ifd_log.h"

/* How long a reload waits for every worker to take the new list. */
#define IFD_CREDS_WAIT_MS 10000

/* One generation of credentials that a reload made (the first is main()'s). */
struct gen {
	struct ifd_creds creds;
	struct ike_peer_cfg *list;
	unsigned n;
};

static struct {
	pthread_mutex_t lock;
	struct ifd_config *cfg;
	struct rt *rt;
	struct ifd_app *app;
	unsigned nb_shards;
	struct gen *cur; /* NULL: main()'s creds (initial) are in use */
	struct ifd_creds *initial;
} cr = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void
gen_free(struct gen *g)
{
	if (g == NULL)
		return;
	ifd_creds_free(&g->creds); /* wipes the PSKs */
	free(g->list);
	free(g);
}

static void
log_warning(void *arg, const char *msg)
{
	(void)arg;
	IFD_LOG(WARNING, "%s\n", msg);
}

void
ifd_creds_reload_attach(struct ifd_config *cfg, struct rt *rt, struct ifd_app *app,
			unsigned nb_shards, struct ifd_creds *initial)
{
	pthread_mutex_lock(&cr.lock);
	cr.initial = initial;
	cr.cfg = cfg;
	cr.rt = rt;
	cr.app = app;
	cr.nb_shards = nb_shards;
	pthread_mutex_unlock(&cr.lock);
}

/* The file as at start: private, parsed with the same checks; certificate users need our key. */
static struct gen *
load(char *err, size_t errlen)
{
	struct ifd_warnings w = {.strict = cr.cfg->strict_files, .emit = log_warning};
	struct gen *g = calloc(1, sizeof(*g));

	if (g == NULL) {
		snprintf(err, errlen, "no memory");
		return NULL;
	}
	if (ifd_check_private_file(&w, cr.cfg->credentials, "auth.credentials", cr.cfg->source,
				   ifd_config_line(cr.cfg, "auth", "credentials"), err,
				   errlen) != 0 ||
	    ifd_creds_load(&g->creds, cr.cfg->credentials, &w, err, errlen) != 0) {
		free(g);
		return NULL;
	}
	for (unsigned i = 0; i < g->creds.nb_peers; i++)
		if (g->creds.peers[i].auth == IKE_CRED_PUBKEY && cr.cfg->core.local_key == NULL) {
			snprintf(err, errlen,
				 "certificate users need [auth] cert_file and key_file, which the "
				 "daemon did not start with");
			gen_free(g);
			return NULL;
		}
	return g;
}

/* Hands the list to every worker and waits until each took it and purged the removed users. */
static int
install(const struct ike_peer_cfg *list, unsigned n, char *err, size_t errlen)
{
	uint32_t seq[IFD_MAX_SHARDS] = {0};
	bool fin[IFD_MAX_SHARDS] = {false};
	unsigned i, pending = 0, ms;
	bool refused = false, r;

	for (i = 0; i < cr.nb_shards; i++) {
		for (ms = 0; seq[i] == 0 && ms < IFD_CREDS_WAIT_MS; ms++) {
			seq[i] = ifd_peers_post(ifd_shard_peers(cr.app->shards[i]), list, n);
			if (seq[i] == 0)
				rte_delay_us_sleep(1000);
		}
		if (seq[i] == 0) {
			snprintf(err, errlen, "worker %u still busy with an earlier reload", i);
			return -1; /* nothing posted after it: the others may differ, retry */
		}
	}
	for (ms = 0; ms <= IFD_CREDS_WAIT_MS; ms++) {
		pending = 0;
		for (i = 0; i < cr.nb_shards; i++) {
			if (fin[i])
				continue;
			if (ifd_peers_finished(ifd_shard_peers(cr.app->shards[i]), seq[i], &r)) {
				fin[i] = true;
				refused |= r;
			} else {
				pending++;
			}
		}
		if (pending == 0)
			break;
		rte_delay_us_sleep(1000);
	}
	if (pending != 0) {
		snprintf(err, errlen, "%u worker(s) did not take the list within %u s", pending,
			 IFD_CREDS_WAIT_MS / 1000);
		return -2;
	}
	if (refused) {
		snprintf(err, errlen, "a worker refused the list (more than its room)");
		return -2;
	}
	return 0;
}

int
ifd_creds_reload(char *msg, size_t len)
{
	struct ifd_creds_merge_stats st;
	struct gen *g = NULL;
	char err[600];
	int rc = -1;

	pthread_mutex_lock(&cr.lock);
	if (cr.rt == NULL) {
		snprintf(msg, len, "the workers are not running");
		goto out;
	}
	if (cr.cfg->credentials[0] == '\0') {
		snprintf(msg, len, "no [auth] credentials file: nothing to reload");
		goto out;
	}
	g = load(err, sizeof(err));
	if (g == NULL ||
	    ifd_creds_merge(cr.cfg->core.peers, cr.cfg->core.nb_peers, &g->creds,
			    cr.cfg->core.max_peers > cr.cfg->core.nb_peers ? cr.cfg->core.max_peers
									   : cr.cfg->core.nb_peers,
			    &g->list, &g->n, &st, err, sizeof(err)) != 0) {
		snprintf(msg, len, "%s (keeping the old credentials)", err);
		IFD_LOG(ERR, "credentials reload failed: %s\n", msg);
		gen_free(g);
		goto out;
	}
	rc = install(g->list, g->n, err, sizeof(err));
	if (rc == -1) {
		snprintf(msg, len, "%s (keeping the old credentials)", err);
		gen_free(g);
		goto out;
	}
	/* Posted: the workers may use it whatever came of the wait, so it stays. */
	cr.cfg->core.peers = g->list;
	cr.cfg->core.nb_peers = g->n;
	if (rc != 0) {
		/* Some worker may still read the old list: it is kept (a leak, not a crash). */
		snprintf(msg, len, "%s", err);
		IFD_LOG(ERR, "credentials reload: %s\n", msg);
		cr.cur = g;
		goto out;
	}
	/* Each worker switched itself; one more quiescent pass covers readers on other threads. */
	rt_synchronize(cr.rt);
	if (cr.cur == NULL)
		ifd_creds_free(cr.initial); /* main() frees an empty one at exit */
	gen_free(cr.cur);
	cr.cur = g;
	snprintf(msg, len, "credentials reloaded from %s: %u users kept, %u added, %u removed",
		 cr.cfg->credentials, st.kept, st.added, st.removed);
	IFD_LOG(NOTICE, "%s\n", msg);
	rc = 0;
out:
	pthread_mutex_unlock(&cr.lock);
	return rc;
}

void
ifd_creds_reload_fini(void)
{
	pthread_mutex_lock(&cr.lock);
	gen_free(cr.cur);
	cr.cur = NULL;
	cr.rt = NULL;
	pthread_mutex_unlock(&cr.lock);
}
