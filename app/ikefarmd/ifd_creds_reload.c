/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_creds_reload.c - reload-creds: parse the credentials and the config's
 * proposals, merge, hand both to the workers, free the old ones.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_log.h>

#include "dp.h"
#include "ifd_check.h"
#include "ifd_creds_merge.h"
#include "ifd_creds_reload.h"
#include "ifd_keymat.h"
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
	const char *config_path;	/* NULL: the built-in config, no file to read again */
	struct ike_proposal_set *props; /* NULL: cfg's proposals are in use */
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
ifd_creds_reload_attach(struct ifd_config *cfg, const char *config_path, struct rt *rt,
			struct ifd_app *app, unsigned nb_shards, struct ifd_creds *initial)
{
	pthread_mutex_lock(&cr.lock);
	cr.config_path = config_path;
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

static bool
props_equal(const struct ike_proposal_cfg *a, unsigned na, const struct ike_proposal_cfg *b,
	    unsigned nb)
{
	if (na != nb)
		return false;
	for (unsigned i = 0; i < na; i++)
		if (!ike_proposal_cfg_equal(&a[i], &b[i]))
			return false;
	return true;
}

/* Whether set holds the proposals the workers run now. */
static bool
props_unchanged(const struct ike_proposal_set *set)
{
	const struct ike_core_cfg *k = &cr.cfg->core;
	const struct ike_proposal_set *c = cr.props;

	if (c != NULL)
		return props_equal(set->ike, set->nb_ike, c->ike, c->nb_ike) &&
		       props_equal(set->esp, set->nb_esp, c->esp, c->nb_esp);
	return props_equal(set->ike, set->nb_ike, k->ike_proposals, k->nb_ike_proposals) &&
	       props_equal(set->esp, set->nb_esp, k->esp_proposals, k->nb_esp_proposals);
}

/*
 * [ike] and [child] proposals of the config file, read again with the same
 * parser and checks as at start (the rest of the file is checked, not
 * applied). *out: a new set, or NULL when they did not change. 0, or -1
 * with "FILE:LINE: reason" in err.
 */
static int
props_load(struct ike_proposal_set **out, char *err, size_t errlen)
{
	struct ike_proposal_set *set;
	struct ifd_config *fresh;

	*out = NULL;
	if (cr.config_path == NULL)
		return 0;
	fresh = malloc(sizeof(*fresh));
	set = calloc(1, sizeof(*set));
	if (fresh == NULL || set == NULL) {
		snprintf(err, errlen, "no memory");
		goto fail;
	}
	ifd_config_defaults(fresh);
	if (ifd_config_load(fresh, cr.config_path, err, errlen) != 0)
		goto fail;
	memcpy(set->ike, fresh->core.ike_proposals, sizeof(set->ike));
	set->nb_ike = fresh->core.nb_ike_proposals;
	memcpy(set->esp, fresh->core.esp_proposals, sizeof(set->esp));
	set->nb_esp = fresh->core.nb_esp_proposals;
	free(fresh);
	if (props_unchanged(set)) {
		free(set);
		return 0;
	}
	*out = set;
	return 0;
fail:
	free(fresh);
	free(set);
	return -1;
}

/*
 * Hands the list and the proposals (NULL: unchanged) to every worker and
 * waits until each took them and purged the removed users. -1: nothing
 * was posted; -2: posted, but not every worker is known to have switched.
 */
static int
install(const struct ike_peer_cfg *list, unsigned n, const struct ike_proposal_set *props,
	char *err, size_t errlen)
{
	uint32_t seq[IFD_MAX_SHARDS] = {0};
	bool fin[IFD_MAX_SHARDS] = {false};
	unsigned i, pending = 0, ms;
	bool refused = false, r;

	for (i = 0; i < cr.nb_shards; i++) {
		for (ms = 0; seq[i] == 0 && ms < IFD_CREDS_WAIT_MS; ms++) {
			seq[i] = ifd_peers_post(ifd_shard_peers(cr.app->shards[i]), list, n, props);
			if (seq[i] == 0)
				rte_delay_us_sleep(1000);
		}
		if (seq[i] == 0) {
			snprintf(err, errlen, "worker %u still busy with an earlier reload", i);
			/* Workers before it took the new ones: they must stay alive. */
			return i == 0 ? -1 : -2;
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
		snprintf(err, errlen,
			 "a worker refused the list (more than its room) or the proposals");
		return -2;
	}
	return 0;
}

/* What the reload changed, for the answer and the log (one line each). */
static void
summary(char *msg, size_t len, const struct ifd_creds_merge_stats *st,
	const struct ike_proposal_set *props)
{
	int off = 0;

	if (cr.cfg->credentials[0] != '\0')
		off = snprintf(msg, len,
			       "credentials reloaded from %s: %u users kept, %u added, "
			       "%u removed\n",
			       cr.cfg->credentials, st->kept, st->added, st->removed);
	if (off < 0 || (size_t)off >= len)
		return;
	if (cr.config_path == NULL)
		snprintf(msg + off, len - (size_t)off,
			 "proposals unchanged (built-in configuration, no file to read)");
	else if (props == NULL)
		snprintf(msg + off, len - (size_t)off, "proposals unchanged in %s", cr.config_path);
	else
		snprintf(msg + off, len - (size_t)off, "proposals reloaded from %s: %u IKE, %u ESP",
			 cr.config_path, props->nb_ike, props->nb_esp);
}

/* msg's lines, each a log line of its own (syslog takes no line breaks). */
static void
log_lines(uint32_t level, const char *what, const char *msg)
{
	const char *nl;

	for (; *msg != '\0'; msg = *nl != '\0' ? nl + 1 : nl) {
		nl = msg + strcspn(msg, "\n");
		rte_log(level, ifd_logtype, "ikefarm: %s%.*s\n", what, (int)(nl - msg), msg);
	}
}

int
ifd_creds_reload(char *msg, size_t len)
{
	struct ifd_creds_merge_stats st = {0};
	struct ike_proposal_set *props = NULL;
	const struct ike_peer_cfg *list;
	struct gen *g = NULL;
	char err[600];
	unsigned n;
	int rc = -1;

	pthread_mutex_lock(&cr.lock);
	if (cr.rt == NULL) {
		snprintf(msg, len, "the workers are not running");
		goto out;
	}
	if (cr.cfg->credentials[0] == '\0' && cr.config_path == NULL) {
		snprintf(msg, len,
			 "no [auth] credentials file and no config file: nothing to reload");
		goto out;
	}
	/* The data path's records were sized for the proposals at start. */
	if (props_load(&props, err, sizeof(err)) != 0 ||
	    (props != NULL && cr.app != NULL && cr.app->dp != NULL &&
	     ifd_keymat_check(props->esp, props->nb_esp, dp_keymat_len(cr.app->dp), err,
			      sizeof(err)) != 0))
		goto refused;
	if (cr.cfg->credentials[0] != '\0') {
		g = load(err, sizeof(err));
		if (g == NULL ||
		    ifd_creds_merge(cr.cfg->core.peers, cr.cfg->core.nb_peers, &g->creds,
				    cr.cfg->core.max_peers > cr.cfg->core.nb_peers
					    ? cr.cfg->core.max_peers
					    : cr.cfg->core.nb_peers,
				    &g->list, &g->n, &st, err, sizeof(err)) != 0)
			goto refused;
	}
	list = g != NULL ? g->list : cr.cfg->core.peers;
	n = g != NULL ? g->n : cr.cfg->core.nb_peers;
	rc = install(list, n, props, err, sizeof(err));
	if (rc == -1) {
		snprintf(msg, len, "%s (keeping the old credentials and proposals)", err);
		gen_free(g);
		free(props);
		goto out;
	}
	/* Posted: the workers may use them whatever came of the wait, so they stay. */
	cr.cfg->core.peers = list;
	cr.cfg->core.nb_peers = n;
	if (rc != 0) {
		/* Some worker may still read the old ones: they are kept (a leak, not a crash). */
		snprintf(msg, len, "%s", err);
		IFD_LOG(ERR, "reload-creds: %s\n", msg);
		if (g != NULL)
			cr.cur = g;
		if (props != NULL)
			cr.props = props;
		goto out;
	}
	/* Each worker switched itself; one more quiescent pass covers readers on other threads. */
	rt_synchronize(cr.rt);
	if (g != NULL) {
		if (cr.cur == NULL)
			ifd_creds_free(cr.initial); /* main() frees an empty one at exit */
		gen_free(cr.cur);
		cr.cur = g;
	}
	if (props != NULL) {
		free(cr.props); /* NULL: cfg's, which main() owns */
		cr.props = props;
	}
	summary(msg, len, &st, props);
	log_lines(RTE_LOG_NOTICE, "", msg);
	rc = 0;
	goto out;
refused:
	snprintf(msg, len, "%s (keeping the old credentials and proposals)", err);
	log_lines(RTE_LOG_ERR, "reload-creds failed: ", msg);
	gen_free(g);
	free(props);
	rc = -1;
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
	free(cr.props);
	cr.props = NULL;
	cr.rt = NULL;
	pthread_mutex_unlock(&cr.lock);
}
