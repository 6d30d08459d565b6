/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rt_eal.c - start EAL. Without user arguments we use defaults that work on
 * any Linux box: no hugepages are reserved on ours (--in-memory and the
 * default both fail there, and --in-memory is rejected with --no-huge), so
 * --no-huge --no-pci -m 1024, and a per-process --file-prefix so several
 * daemons can run side by side.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_log.h>

#include "ike_log.h"
#include "rt_priv.h"

int rt_logtype = RTE_LOGTYPE_USER1;

static char *default_args[] = {"--no-huge", "--no-pci", "-m", "1024"};
/* The same for the ethdev driver: PCI NICs bound to DPDK are probed. */
static char *default_args_nic[] = {"--no-huge", "-m", "1024"};
static bool defaults_nic;

void
rt_eal_defaults_nic(bool nic)
{
	defaults_nic = nic;
}

/* Set when we chose the --file-prefix: its runtime directory is ours to remove. */
static bool own_prefix;

static bool
has_arg(int argc, char **argv, const char *opt)
{
	size_t len = strlen(opt);
	int i;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], opt, len) && (argv[i][len] == '\0' || argv[i][len] == '='))
			return true;
	return false;
}

int
rt_eal_build_args(int argc, char **argv, char **out, int max, char *prefix_buf,
		  size_t prefix_len)
{
	char **defs = defaults_nic ? default_args_nic : default_args;
	int n = 0, i, nd = defaults_nic ? (int)RTE_DIM(default_args_nic) : (int)RTE_DIM(default_args);

	if (max < 1 + (argc > 1 ? argc - 1 : nd) + 1)
		return -1;
	out[n++] = argv[0];
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			out[n++] = argv[i];
	} else {
		for (i = 0; i < nd; i++)
			out[n++] = defs[i];
	}
	if (!has_arg(n, out, "--file-prefix") && !has_arg(n, out, "--in-memory")) {
		snprintf(prefix_buf, prefix_len, "--file-prefix=ikefarm-%ld", (long)getpid());
		out[n++] = prefix_buf;
	}
	return n;
}

static void
log_to_rte(enum ike_log_level level, const char *msg)
{
	rte_log((uint32_t)level + 1, rt_logtype, "ikefarm.lib: %s\n", msg);
}

/*
 * Whether stderr is the systemd journal: systemd sets JOURNAL_STREAM to the
 * device and inode of the stream it connects (systemd.exec(5)).
 */
static bool
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	       fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

/* rte_log's levels are syslog's + 1; the ident and facility are EAL's openlog(). */
static ssize_t
syslog_write(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	syslog(rte_log_cur_msg_loglevel() - 1, "%.*s", (int)size, buf);
	return (ssize_t)size;
}

/*
 * DPDK's default log stream writes each line to stderr and to syslog(3).
 * Under systemd both reach the journal, so every line would be there twice,
 * once without its priority: there the log goes to syslog(3) only.
 */
static void
log_once_under_journal(void)
{
	static const cookie_io_functions_t fns = {.write = syslog_write};
	FILE *f;

	if (!stderr_is_journal())
		return;
	f = fopencookie(NULL, "w", fns);
	if (f == NULL)
		return;
	setvbuf(f, NULL, _IOLBF, 0);
	rte_openlog_stream(f);
}

int
rt_eal_init(int argc, char **argv)
{
	char *args[128], prefix[64], line[1024];
	size_t off = 0;
	int n, i, rc;

	n = rt_eal_build_args(argc, argv, args, (int)RTE_DIM(args) - 1, prefix, sizeof(prefix));
	if (n < 0)
		return -1;
	args[n] = NULL;
	for (i = 1; i < n && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, " %s", args[i]);
	own_prefix = args[n - 1] == prefix;
	rc = rte_eal_init(n, args);
	if (rc < 0) {
		fprintf(stderr, "ikefarm: EAL init failed with:%s\n", line);
		return rc;
	}
	log_once_under_journal();
	rt_logtype = rte_log_register_type_and_pick_level("ikefarm.rt", RTE_LOG_NOTICE);
	/* ike_log levels are syslog levels; rte_log's are one higher. */
	ike_log_set_hook(log_to_rte, IKE_LOG_INFO);
	RT_LOG(NOTICE, "EAL started with %s:%s\n", argc > 1 ? "the given arguments" : "built-in defaults",
	       line);
	/* rte_eal_init counted the arguments it used; added ones are not the caller's. */
	return rc > argc - 1 ? argc - 1 : rc;
}

void
rt_eal_cleanup(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	if (!own_prefix)
		return;
	/* No hugepage files with --no-huge: only EAL's small state files are left. */
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}
