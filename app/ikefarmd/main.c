/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ikefarmd - the IKEv2 responder daemon:
 *
 *   ikefarmd [EAL args] -- [-f CONFIG] [--port N] [--natt-port N]
 *                          [--listen ADDR] [--check-config]
 *   ikefarmd --help | --version | --eal-help
 *
 * Without EAL arguments it starts EAL with the runtime's no-hugepage
 * defaults (or [eal] args from the config); without -f it runs the
 * configuration compiled in from config/ikefarm.conf. One shard per EAL
 * lcore; SIGINT/SIGTERM stop it cleanly, wiping every shard's secrets.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_version.h>
#define NO_COMPAT_IMB_API_053
#include <intel-ipsec-mb.h>

#include "ikefarm_build_config.h"

#include "ifd_check.h"
#include "ifd_config.h"
#include "cry_openssl.h"
#include "ifd_creds.h"
#include "ifd_creds_reload.h"
#include "ifd_hup.h"
#include "ifd_esp.h"
#include "ifd_log.h"
#include "ifd_metrics.h"
#include "ifd_proto.h"
#include "ifd_tel_layout.h"
#include "ifd_telemetry.h"
#include "ifd_tickets.h"
#include "ike_secret.h"
#include "ike_status.h"

#define IFD_EAL_ARGS_MAX 64

struct local_cert {
	uint8_t *der;
	size_t der_len;
	struct cry_privkey *key;
	uint8_t certreq[IKE_CORE_MAX_CERTREQ_CAS * CRY_OPENSSL_KEYID_LEN];
};

struct app_args {
	const char *config;
	long port;	/* -1: from the config */
	long natt_port; /* -1: from the config */
	const char *listen;
	bool check_only;
};

static void
usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s [EAL args] -- [-f CONFIG] [--port N] [--natt-port N] [--listen ADDR]\n"
		"                       [--check-config] [--help] [--version]\n"
		"  -f CONFIG        configuration file (default: the built-in "
		"config/ikefarm.conf)\n"
		"  --port N         IKE port (net.ike_port)\n"
		"  --natt-port N    NAT-T port, 0 for none (net.natt_port)\n"
		"  --listen ADDR    listen on this one IPv4 or IPv6 address only\n"
		"  --check-config   check the configuration and every file it names, then exit\n"
		"  -h, --help       this help\n"
		"  --version        version of ikefarmd and of the libraries it runs on\n"
		"EAL arguments (DPDK's: lcores, ports, --vdev, --file-prefix...) go before \"--\";\n"
		"'%s --eal-help' lists them. Without EAL args: [eal] args from the config,\n"
		"else --no-huge --no-pci -m 1024. See ikefarmd(8) and docs/operating.md.\n",
		prog, prog);
}

static void
version(void)
{
	printf("ikefarmd %s (%s, Intel ipsec-mb %s, %s)\n", IKEFARM_VERSION, rte_version(),
	       IMB_VERSION_STR, OpenSSL_version(OPENSSL_VERSION));
}

/* ikefarmd --help / --version: answered before EAL, which would take them as its own. */
static int
early_option(int argc, char **argv, int dash)
{
	for (int i = 1; i < argc; i++) {
		if (i == dash)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout, argv[0]);
			return 1;
		}
		if (!strcmp(argv[i], "--version")) {
			version();
			return 1;
		}
		if (!strcmp(argv[i], "--eal-help")) {
			char *eal[] = {argv[0], (char *)"--help", NULL};

			rte_eal_init(2, eal);
			return 1;
		}
	}
	return 0;
}

static int
parse_port(const char *s, long min, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > 65535)
		return -1;
	*out = v;
	return 0;
}

static int
parse_app_args(int argc, char **argv, struct app_args *a)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, 'p'},
		{"natt-port", required_argument, NULL, 'n'},
		{"listen", required_argument, NULL, 'l'},
		{"check-config", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int opt;

	*a = (struct app_args){.port = -1, .natt_port = -1};
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			a->config = optarg;
			break;
		case 'p':
			if (parse_port(optarg, 1, &a->port) != 0)
				goto bad;
			break;
		case 'n':
			if (parse_port(optarg, 0, &a->natt_port) != 0)
				goto bad;
			break;
		case 'l':
			a->listen = optarg;
			break;
		case 'c':
			a->check_only = true;
			break;
		case 'h':
		case 'V':
			/* Taken by early_option() before we get here. */
			break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ikefarmd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "ikefarmd: '%s' is not a valid port\n", optarg);
	return -1;
}

/* Command-line overrides win over the config (tests run on high ports). */
static int
apply_overrides(struct ifd_config *c, const struct app_args *a)
{
	if (a->port >= 0)
		c->rt.ike_port = (uint32_t)a->port;
	if (a->natt_port >= 0)
		c->rt.natt_port = (uint32_t)a->natt_port;
	if (a->listen != NULL) {
		bool v6 = strchr(a->listen, ':') != NULL;
		char *dst = v6 ? c->rt.bind_v6 : c->rt.bind_v4;
		size_t cap = v6 ? sizeof(c->rt.bind_v6) : sizeof(c->rt.bind_v4);

		uint8_t ip[16];

		if (strlen(a->listen) >= cap || inet_pton(v6 ? AF_INET6 : AF_INET, a->listen, ip) != 1) {
			fprintf(stderr, "ikefarmd: --listen: '%s' is not an IPv4 or IPv6 address\n",
				a->listen);
			return -1;
		}
		strcpy(dst, a->listen);
		(v6 ? c->rt.bind_v4 : c->rt.bind_v6)[0] = '\0';
	}
	return 0;
}

/* Reads the config; prints errors to stderr (EAL is not up yet). */
static int
load_config(struct ifd_config *cfg, const struct app_args *a)
{
	char err[512];
	int rc;

	ifd_config_defaults(cfg);
	if (a->config != NULL)
		rc = ifd_config_load(cfg, a->config, err, sizeof(err));
	else
		rc = ifd_config_parse(cfg, ifd_default_conf, "<built-in config/ikefarm.conf>", err,
				      sizeof(err));
	if (rc != 0 || apply_overrides(cfg, a) != 0) {
		if (rc != 0)
			fprintf(stderr, "ikefarmd: %s\n", err);
		return -1;
	}
	return 0;
}

static int
load_creds(struct ifd_config *cfg, struct ifd_creds *creds, struct ifd_warnings *w, char *err,
	   size_t errlen)
{
	if (cfg->credentials[0] == '\0')
		return 0;
	if (ifd_check_private_file(w, cfg->credentials, "auth.credentials", cfg->source,
				   ifd_config_line(cfg, "auth", "credentials"), err, errlen) != 0 ||
	    ifd_creds_load(creds, cfg->credentials, w, err, errlen) != 0)
		return -1;
	cfg->core.peers = creds->peers;
	cfg->core.nb_peers = creds->nb_peers;
	/* Room for reload-creds: removed users keep their slot, new ones come after. */
	cfg->core.max_peers = cfg->max_users != 0 ? cfg->max_users : 2 * creds->nb_peers + 1024;
	return 0;
}

/*
 * Our certificate (DER, for the CERT payload) and private key, and the
 * CERTREQ hashes of the CAs we trust, when configured. The CA file itself
 * is loaded by each worker's OpenSSL context.
 */
static int
load_local_cert(struct ifd_config *cfg, struct local_cert *lc, struct ifd_warnings *w, char *err,
		size_t errlen)
{
	struct cry_openssl *trust;
	enum ike_status st;
	size_t len;

	if (cfg->ca_file[0] != '\0') {
		if (cry_openssl_ca_keyids(cfg->ca_file, lc->certreq, sizeof(lc->certreq), &len) !=
		    IKE_OK) {
			rt_config_fail(err, errlen, cfg->source, ifd_config_line(cfg, "auth", "ca_file"),
				       "auth.ca_file: %s: no PEM CA certificate, or more than %d",
				       cfg->ca_file, IKE_CORE_MAX_CERTREQ_CAS);
			return -1;
		}
		cfg->core.certreq_ca_keyids = lc->certreq;
		cfg->core.certreq_ca_keyids_len = len;
		/* The trust store each worker loads (ifd_proto.c), loaded once here the same way. */
		trust = cry_openssl_create();
		st = trust != NULL ? cry_openssl_set_trust(trust, cfg->ca_file) : IKE_E_CRYPTO;
		cry_openssl_destroy(trust);
		if (st != IKE_OK) {
			rt_config_fail(err, errlen, cfg->source, ifd_config_line(cfg, "auth", "ca_file"),
				       "auth.ca_file: %s: OpenSSL cannot load it as a trust store",
				       cfg->ca_file);
			return -1;
		}
	}
	if (cfg->cert_file[0] == '\0')
		return 0;
	if (cry_openssl_cert_load_der(cfg->cert_file, &lc->der, &lc->der_len) != IKE_OK) {
		rt_config_fail(err, errlen, cfg->source, ifd_config_line(cfg, "auth", "cert_file"),
			       "auth.cert_file: %s: no PEM certificate", cfg->cert_file);
		return -1;
	}
	if (ifd_check_private_file(w, cfg->key_file, "auth.key_file", cfg->source,
				   ifd_config_line(cfg, "auth", "key_file"), err, errlen) != 0)
		return -1;
	lc->key = cry_openssl_privkey_load(cfg->key_file);
	if (lc->key == NULL) {
		rt_config_fail(err, errlen, cfg->source, ifd_config_line(cfg, "auth", "key_file"),
			       "auth.key_file: %s: no PEM private key", cfg->key_file);
		return -1;
	}
	cfg->core.local_key = lc->key;
	cfg->core.local_cert_der = lc->der;
	cfg->core.local_cert_len = lc->der_len;
	return 0;
}

static void
print_warning(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "ikefarmd: WARNING: %s\n", msg);
}

/*
 * Every check the daemon makes before it starts, on every file it reads:
 * --check-config runs exactly this (and the shard count, predicted from
 * the EAL arguments), so the two cannot disagree. Errors and warnings go
 * to stderr as "FILE:LINE: reason".
 */
static int
start_checks(struct ifd_config *cfg, struct ifd_creds *creds, struct local_cert *lc,
	     const struct app_args *a, struct ifd_warnings *w)
{
	char err[600];

	if (load_config(cfg, a) != 0)
		return -1;
	w->strict = cfg->strict_files;
	if (load_creds(cfg, creds, w, err, sizeof(err)) != 0 ||
	    load_local_cert(cfg, lc, w, err, sizeof(err)) != 0 ||
	    ifd_tickets_init(cfg, w, err, sizeof(err)) != 0 ||
	    ifd_tel_layout_check(err, sizeof(err)) != 0) {
		fprintf(stderr, "ikefarmd: %s\n", err);
		return -1;
	}
	return 0;
}

static int
check_shards(const struct ifd_config *cfg, unsigned nb_shards)
{
	char err[600];

	if (ifd_check_shards(cfg, nb_shards, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "ikefarmd: %s\n", err);
	return -1;
}

/* The EAL arguments as one string: the command line's before "--", else [eal] args. */
static void
eal_args_text(int dash, char **argv, const char *cfg_args, char *out, size_t len)
{
	size_t off = 0;

	out[0] = '\0';
	if (dash <= 1) {
		snprintf(out, len, "%s", cfg_args);
		return;
	}
	for (int i = 1; i < dash && off < len; i++)
		off += (size_t)snprintf(out + off, len - off, "%s%s", i > 1 ? " " : "", argv[i]);
}

static enum cry_ipsecmb_arch
ipsecmb_arch(const char *name)
{
	if (!strcmp(name, "sse"))
		return CRY_IPSECMB_SSE;
	if (!strcmp(name, "avx"))
		return CRY_IPSECMB_AVX;
	if (!strcmp(name, "avx2"))
		return CRY_IPSECMB_AVX2;
	if (!strcmp(name, "avx512"))
		return CRY_IPSECMB_AVX512;
	return CRY_IPSECMB_AUTO;
}

/*
 * The EAL argument vector: the command line's (before "--"), or else the
 * config's [eal] args split on blanks, or else none (runtime defaults).
 */
static int
eal_argv(int dash, char **argv, char *cfg_args, char **out)
{
	int n = 0;
	char *tok, *save;

	out[n++] = argv[0];
	if (dash > 1) {
		for (int i = 1; i < dash && n < IFD_EAL_ARGS_MAX; i++)
			out[n++] = argv[i];
		return n;
	}
	for (tok = strtok_r(cfg_args, " \t", &save); tok != NULL && n < IFD_EAL_ARGS_MAX;
	     tok = strtok_r(NULL, " \t", &save))
		out[n++] = tok;
	return n;
}

/* The ethdev driver's addresses, as the udp driver's listen line. */
static void
log_eth_addrs(const struct rt_config *rc)
{
	char list[RT_NET_ADDR_MAX * 48] = "", ip[INET6_ADDRSTRLEN];
	size_t off = 0;

	for (unsigned i = 0; i < rc->nb_addrs && off < sizeof(list); i++) {
		inet_ntop(rc->addrs[i].family == 4 ? AF_INET : AF_INET6, rc->addrs[i].ip, ip,
			  sizeof(ip));
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s/%u", i ? ", " : "",
					ip, rc->addrs[i].len);
	}
	IFD_LOG(NOTICE, "DPDK port %u, addresses %s, UDP port %u, NAT-T port %u%s\n",
		rc->port_id, list, rc->ike_port, rc->natt_port, rc->natt_port ? "" : " (off)");
}

static void
print_banner(const struct ifd_config *cfg, struct rt *rt, const struct ifd_app *app)
{
	unsigned n = rt_nb_shards(rt), lcore;
	size_t mem = ike_shard_mem_size(&cfg->core);
	char lcores[256];
	size_t off = 0;

	lcores[0] = '\0';
	RTE_LCORE_FOREACH(lcore)
	{
		if (off < sizeof(lcores))
			off += (size_t)snprintf(lcores + off, sizeof(lcores) - off, "%s%u",
						off ? "," : "", lcore);
	}
	if (!strcmp(cfg->rt.driver, "ethdev"))
		log_eth_addrs(&cfg->rt);
	else
		IFD_LOG(NOTICE, "listening on %s%s%s UDP port %u, NAT-T port %u%s\n",
			cfg->rt.bind_v4[0] ? cfg->rt.bind_v4 : "",
			cfg->rt.bind_v4[0] && cfg->rt.bind_v6[0] ? " and " : "",
			cfg->rt.bind_v6[0] ? cfg->rt.bind_v6 : "", cfg->rt.ike_port,
			cfg->rt.natt_port, cfg->rt.natt_port ? "" : " (off)");
	IFD_LOG(NOTICE,
		"%u worker%s on lcore%s %s; ipsec-mb manager %s, OpenSSL for KE and signatures\n",
		n, n == 1 ? "" : "s", n == 1 ? "" : "s", lcores,
		ifd_shard_ipsecmb_arch(app->shards[0]));
	IFD_LOG(NOTICE,
		"capacity %u IKE SAs and %u half-open per worker (%u in all); "
		"%zu octets of core state per worker, %zu per SA slot\n",
		cfg->core.max_ike_sas, cfg->core.max_half_open, cfg->core.max_ike_sas * n, mem,
		mem / cfg->core.max_ike_sas);
	/* Fixed per worker (exchanges in flight), not per SA: bench/storm/analyze.py reads it. */
	IFD_LOG(NOTICE, "response cache: %u slots per worker, whatever the SA capacity\n",
		cfg->core.max_cached_responses != 0 ? cfg->core.max_cached_responses
						    : IKE_CACHED_RESPONSES_DEFAULT);
	IFD_LOG(NOTICE, "%u IKE and %u ESP proposals, %u users%s\n", cfg->core.nb_ike_proposals,
		cfg->core.nb_esp_proposals, cfg->core.nb_peers,
		cfg->core.nb_peers ? "" : ": no credentials, every IKE_AUTH will fail");
}

int
main(int argc, char **argv)
{
	static struct ifd_config cfg;
	struct ifd_creds creds = {0};
	static struct local_cert lc;
	char tk_err[600];
	struct ifd_app app = {.cfg = &cfg};
	char *eal_args[IFD_EAL_ARGS_MAX + 1];
	struct ifd_warnings warnings = {.emit = print_warning};
	struct app_args a;
	struct rt *rt = NULL;
	int dash, n, rc = EXIT_FAILURE;

	for (dash = 1; dash < argc && strcmp(argv[dash], "--") != 0; dash++)
		;
	if (early_option(argc, argv, dash))
		return EXIT_SUCCESS;
	/* The app's arguments follow "--"; getopt sees argv[0] then those. */
	if (dash < argc)
		argv[dash] = argv[0];
	if (parse_app_args(dash < argc ? argc - dash : 1, argv + (dash < argc ? dash : 0), &a) !=
	    0) {
		usage(stderr, argv[0]);
		return EXIT_FAILURE;
	}
	if (start_checks(&cfg, &creds, &lc, &a, &warnings) != 0)
		goto out;
	if (a.check_only) {
		char args[1024];

		eal_args_text(dash, argv, cfg.rt.eal_args, args, sizeof(args));
		n = (int)ifd_predict_lcores(args);
		if ((unsigned)n <= cfg.rt.esp_lcores) {
			fprintf(stderr, "ikefarmd: runtime.esp_lcores = %u leaves no IKE worker on "
					"%d lcores\n", cfg.rt.esp_lcores, n);
			goto out;
		}
		if (check_shards(&cfg, (unsigned)n - cfg.rt.esp_lcores) != 0)
			goto out;
		printf("ikefarmd: configuration %s is valid: %u IKE and %u ESP proposals, %u "
		       "users, %u warning%s\n",
		       a.config != NULL ? a.config : "(built-in)", cfg.core.nb_ike_proposals,
		       cfg.core.nb_esp_proposals, cfg.core.nb_peers, warnings.count,
		       warnings.count == 1 ? "" : "s");
		rc = EXIT_SUCCESS;
		goto out;
	}
	app.arch = ipsecmb_arch(cfg.ipsec_mb);
	n = eal_argv(dash, argv, cfg.rt.eal_args, eal_args);
	eal_args[n] = NULL;
	rt_eal_defaults_nic(strcmp(cfg.rt.driver, "ethdev") == 0);
	/* Before EAL starts its lcores: they inherit the mask, the hup thread takes SIGHUP. */
	if (ifd_hup_block() != 0 || rt_eal_init(n, eal_args) < 0)
		goto out;
	ifd_log_init(cfg.rt.log_level);
	if (cfg.rt.esp_lcores >= rte_lcore_count()) {
		IFD_LOG(ERR, "runtime.esp_lcores = %u leaves no IKE worker on %u lcores\n",
			cfg.rt.esp_lcores, rte_lcore_count());
		goto eal;
	}
	if (check_shards(&cfg, rte_lcore_count() - cfg.rt.esp_lcores) != 0)
		goto eal;
	/* Tickets are sealed so that ike_owner_shard() names their shard. */
	cfg.core.nb_shards = rte_lcore_count() - cfg.rt.esp_lcores;
	if (ifd_esp_start(&app, cfg.core.nb_shards) != 0)
		goto eal;
	if (rt_signal_install() != 0) {
		IFD_LOG(ERR, "cannot install signal handlers\n");
		goto eal;
	}
	rt = rt_create(&cfg.rt, &ifd_proto, &app);
	if (rt == NULL || ifd_esp_attach(&app, rt_nb_shards(rt)) != 0) {
		rt_destroy(rt);
		ifd_esp_stop(&app);
		goto eal;
	}
	ifd_tickets_attach(rt);
	ifd_creds_reload_attach(&cfg, a.config, rt, &app, rt_nb_shards(rt), &creds);
	if (ifd_telemetry_register(&app, rt_nb_shards(rt)) != 0 || rt_net_telemetry_register(rt) != 0)
		IFD_LOG(WARNING, "telemetry commands not registered\n");
	if (cfg.metrics_listen[0] != '\0' &&
	    ifd_metrics_start(&app, rt_nb_shards(rt), cfg.metrics_listen, tk_err,
			      sizeof(tk_err)) != 0) {
		IFD_LOG(ERR, "%s\n", tk_err);
		goto stop;
	}
	if (ifd_hup_start() != 0)
		IFD_LOG(WARNING, "no SIGHUP thread: reload with /ikefarm/ticket_keys_reload\n");
	print_banner(&cfg, rt, &app);
	if (rt_run(rt) == 0)
		rc = EXIT_SUCCESS;
	IFD_LOG(NOTICE, "stopping: wiping shard secrets\n");
stop:
	ifd_metrics_stop();
	ifd_hup_stop();
	ifd_telemetry_stop();
	ifd_esp_stop(&app); /* before the ports go: its rings hold their mbufs */
	rt_destroy(rt);
	ifd_creds_reload_fini();
eal:
	rt_eal_cleanup();
out:
	ifd_tickets_fini();
	if (lc.key != NULL)
		cry_openssl_privkey_free(lc.key);
	free(lc.der);
	ifd_creds_free(&creds);
	ike_wipe(&cfg, sizeof(cfg));
	return rc;
}
