/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_tickets.c - load, generate and hot-swap the ticket key ring. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "ifd_check.h"
#include "ifd_log.h"
#include "ifd_tickets.h"
#include "ike_secret.h"
#include "ike_status.h"
#include "ike_ticket_keyring.h"

/* A generated key seals for this long (it dies with the process anyway). */
#define IFD_RANDOM_KEY_S (86400ull * 365 * 10)

static struct {
	pthread_mutex_t lock; /* serializes reloads: SIGHUP thread vs telemetry */
	struct ifd_config *cfg;
	struct rt *rt;
	struct ike_ticket_keyring_params params;
} tk = {.lock = PTHREAD_MUTEX_INITIALIZER};

static struct ike_ticket_keyring *
random_ring(char *err, size_t errlen)
{
	uint8_t secret[IKE_TICKET_SECRET_LEN];
	struct ike_ticket_keyring *kr;
	uint64_t now = (uint64_t)time(NULL);
	uint32_t id;

	kr = ike_ticket_keyring_create(&tk.params);
	if (kr == NULL) {
		snprintf(err, errlen, "cannot create a ticket key ring");
		return NULL;
	}
	if (getrandom(secret, sizeof(secret), 0) != sizeof(secret) ||
	    getrandom(&id, sizeof(id), 0) != sizeof(id)) {
		snprintf(err, errlen, "getrandom: %s", strerror(errno));
		goto fail;
	}
	/* not_before one second back: it seals at once, whatever the sub-second clock. */
	if (ike_ticket_keyring_add(kr, id, now - 1, now + IFD_RANDOM_KEY_S, secret) != IKE_OK) {
		snprintf(err, errlen, "cannot add the random ticket key");
		goto fail;
	}
	ike_wipe(secret, sizeof(secret));
	return kr;
fail:
	ike_wipe(secret, sizeof(secret));
	ike_ticket_keyring_free(kr);
	return NULL;
}

/* The key file as at start: private, and with a key that seals now (ike_ticket_keyfile.c). */
static struct ike_ticket_keyring *
build_ring(struct ifd_warnings *w, char *err, size_t errlen)
{
	const struct ifd_config *c = tk.cfg;

	if (c->ticket_key_file[0] == '\0')
		return random_ring(err, errlen);
	if (ifd_check_private_file(w, c->ticket_key_file, "tickets.key_file", c->source,
				   ifd_config_line(c, "tickets", "key_file"), err, errlen) != 0)
		return NULL;
	tk.params.must_seal_at = (uint64_t)time(NULL);
	return ike_ticket_keyring_load(c->ticket_key_file, &tk.params, err, errlen);
}

static void
log_warning(void *arg, const char *msg)
{
	(void)arg;
	IFD_LOG(WARNING, "%s\n", msg);
}

int
ifd_tickets_init(struct ifd_config *cfg, struct ifd_warnings *w, char *err, size_t errlen)
{
	struct ike_ticket_keyring *kr;

	tk.cfg = cfg;
	if (cfg->core.ticket_lifetime_s == 0)
		return 0;
	tk.params.max_lifetime = cfg->core.ticket_lifetime_s;
	tk.params.clock_skew = cfg->ticket_clock_skew_s;
	kr = build_ring(w, err, errlen);
	if (kr == NULL)
		return -1;
	cfg->core.ticket_keyring = kr;
	return 0;
}

void
ifd_tickets_attach(struct rt *rt)
{
	pthread_mutex_lock(&tk.lock);
	tk.rt = rt;
	pthread_mutex_unlock(&tk.lock);
	if (tk.cfg->core.ticket_lifetime_s == 0)
		IFD_LOG(NOTICE, "session resumption (RFC 5723) off: [tickets] lifetime_s = 0\n");
	else if (tk.cfg->ticket_key_file[0] == '\0')
		IFD_LOG(WARNING,
			"[tickets] key_file not set: one random ticket key for this process only; "
			"its tickets resume nowhere else and not after a restart (failover needs "
			"a key file shared by the farm)\n");
	else
		IFD_LOG(NOTICE, "ticket keys: %u from %s\n",
			ike_ticket_keyring_count(tk.cfg->core.ticket_keyring),
			tk.cfg->ticket_key_file);
}

int
ifd_tickets_reload(char *msg, size_t len)
{
	struct ike_ticket_keyring *kr, *old;
	struct ifd_warnings w = {.strict = tk.cfg->strict_files, .emit = log_warning};
	char err[512];
	int rc = -1;

	pthread_mutex_lock(&tk.lock);
	if (tk.rt == NULL || tk.cfg->core.ticket_lifetime_s == 0) {
		snprintf(msg, len, "tickets are off: nothing to reload");
		goto out;
	}
	if (tk.cfg->ticket_key_file[0] == '\0') {
		snprintf(msg, len, "no [tickets] key_file: keeping the random key");
		goto out;
	}
	kr = build_ring(&w, err, sizeof(err));
	if (kr == NULL) {
		snprintf(msg, len, "%s (keeping the old ring)", err);
		IFD_LOG(ERR, "ticket key reload failed: %s\n", msg);
		goto out;
	}
	/* The shards read the pointer once per rx burst; const is theirs, not ours. */
	old = (struct ike_ticket_keyring *)(uintptr_t)__atomic_exchange_n(
		&tk.cfg->core.ticket_keyring, kr, __ATOMIC_SEQ_CST);
	rt_synchronize(tk.rt);
	ike_ticket_keyring_free(old);
	snprintf(msg, len, "%u ticket keys loaded from %s", ike_ticket_keyring_count(kr),
		 tk.cfg->ticket_key_file);
	IFD_LOG(NOTICE, "%s\n", msg);
	rc = 0;
out:
	pthread_mutex_unlock(&tk.lock);
	return rc;
}

void
ifd_tickets_fini(void)
{
	if (tk.cfg == NULL)
		return;
	ike_ticket_keyring_free(
		(struct ike_ticket_keyring *)(uintptr_t)tk.cfg->core.ticket_keyring);
	tk.cfg->core.ticket_keyring = NULL;
}
