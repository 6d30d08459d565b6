/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_hup.c - the SIGHUP control thread. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "ifd_hup.h"
#include "ifd_log.h"
#include "ifd_tickets.h"

static pthread_t hup_thread;
static bool hup_running;
static bool hup_stop;

int
ifd_hup_block(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	return pthread_sigmask(SIG_BLOCK, &set, NULL) == 0 ? 0 : -1;
}

static void *
hup_main(void *arg)
{
	/* Wakes up this often to see a stop request. */
	const struct timespec poll = {.tv_sec = 0, .tv_nsec = 200 * 1000 * 1000};
	char msg[600];
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	while (!__atomic_load_n(&hup_stop, __ATOMIC_ACQUIRE)) {
		if (sigtimedwait(&set, NULL, &poll) != SIGHUP)
			continue;
		IFD_LOG(NOTICE, "SIGHUP: reloading the ticket key file\n");
		ifd_tickets_reload(msg, sizeof(msg)); /* logs its outcome */
	}
	return NULL;
}

int
ifd_hup_start(void)
{
	if (pthread_create(&hup_thread, NULL, hup_main, NULL) != 0)
		return -1;
	pthread_setname_np(hup_thread, "ikefarm-hup");
	hup_running = true;
	return 0;
}

void
ifd_hup_stop(void)
{
	if (!hup_running)
		return;
	__atomic_store_n(&hup_stop, true, __ATOMIC_RELEASE);
	pthread_join(hup_thread, NULL);
	hup_running = false;
}
