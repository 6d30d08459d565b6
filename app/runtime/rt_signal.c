/* SPDX-License-Identifier: BSD-3-Clause */
/* rt_signal.c - SIGINT/SIGTERM set one atomic flag; every poll loop checks it. */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "rt.h"

static atomic_bool stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	atomic_store_explicit(&stop_flag, true, memory_order_release);
}

int
rt_signal_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
		return -1;
	return 0;
}

void
rt_request_stop(void)
{
	atomic_store_explicit(&stop_flag, true, memory_order_release);
}

void
rt_clear_stop(void)
{
	atomic_store_explicit(&stop_flag, false, memory_order_release);
}

bool
rt_stop_requested(void)
{
	return atomic_load_explicit(&stop_flag, memory_order_acquire);
}
