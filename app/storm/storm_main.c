/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * storm - IKEv2 load generator: many simulated initiators over kernel UDP
 * against one responder (ikefarmd, strongSwan, ...). Parses the command
 * line, sets up crypto, sockets and clients, runs the scenario's phases
 * and writes the results.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_log.h"
#include "storm_client.h"
#include "storm_flood.h"
#include "storm_report.h"
#include "storm_scenario.h"
#include "storm_sched.h"

#define DEFAULT_IKE "aes256gcm16-prfsha256-x25519"
#define DEFAULT_ESP "aes256gcm16"
#define DEFAULT_ID "client%u@storm"
#define DEFAULT_SOCKS 1024
#define DEFAULT_WINDOW 64
#define FD_RESERVE 64	     /* descriptors kept for stdio, epoll, output files */
#define PROGRESS_AFTER_S 2.0 /* short runs print no progress line */
#define IKE_PORT 500	     /* RFC 7296 2: no non-ESP marker toward this port */
#define DEFAULT_FLOOD_RATE 1000
#define DEFAULT_FLOOD_COUNT 20000
#define DEFAULT_FLOOD_SOURCES 256
#define DEFAULT_FLOOD_LEAD_MS 300

struct opts {
	const char *target;
	const char *resume_target;
	const char *between; /* shell command run between phases */
	const char *scenario;
	const char *out_dir;
	const char *marker;
	const char *crypto;
	const char *mix;
	const char *flood_op;
	struct storm_flood_cfg flood;
	unsigned flood_lead_ms;
	struct storm_client_opts client;
	struct storm_sched_cfg sched;
	unsigned src_addrs;
	bool quiet;
	bool ticket_set; /* --ticket given */
};

struct progress {
	const char *name; /* the running phase */
	bool tty;
	bool shown;
	bool quiet;
	bool ticket_set; /* --ticket given */
};

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: storm --target ADDR:PORT --psk SECRET [options]\n"
		"  --target ADDR:PORT     responder (127.0.0.1:500, [::1]:4500)\n"
		"  --clients N            simulated initiators (default 1)\n"
		"  --window W             operations in flight at most (default min(N, %d))\n"
		"  --rate R               operations started per second (default: as fast as the "
		"window allows)\n"
		"  --count C              operations per phase (default: one per client)\n"
		"  --duration S           per phase: stop starting operations after S seconds\n"
		"  --scenario P[,P...]    phases, run in order (default full); see "
		"--list-scenarios\n"
		"  --proposal P           IKE proposal (default " DEFAULT_IKE ")\n"
		"  --esp-proposal P       ESP proposal of the first Child SA (default " DEFAULT_ESP
		")\n"
		"  --psk SECRET           pre-shared key of every client\n"
		"  --id-format F          IDi of client %%u (default client%%u@storm)\n"
		"  --no-initial-contact   leave N(INITIAL_CONTACT) out of IKE_AUTH\n"
		"  --intermediate N       announce IKE_INTERMEDIATE (RFC 9242) and run N empty ones "
		"after those of the proposal's ke1_..ke7_ (RFC 9370)\n"
		"  --vip                  ask for a virtual IP (CP CFG_REQUEST) in IKE_AUTH; "
		"none given fails the handshake\n"
		"  --ticket               request RFC 5723 tickets in IKE_AUTH (default: on when "
		"a phase is resume)\n"
		"  --resume-target ADDR:PORT  resume phases go to this responder (failover)\n"
		"  --between-phases CMD   run CMD (sh -c) after each phase but the last, e.g. to "
		"stop a gateway\n"
		"  --encap                fake a NAT (NAT_DETECTION) so the Child SA uses UDP "
		"encapsulation\n"
		"  --sockets S            local UDP ports (default min(N, %d)); client i uses port "
		"i %% S\n"
		"  --src-addrs K          IPv4: bind the sockets to 127.1.0.1 .. K source "
		"addresses\n"
		"  --marker auto|on|off   non-ESP marker (default auto: on unless the port is "
		"500)\n"
		"  --rto MS               first retransmit after MS (default 500), doubling\n"
		"  --timeout MS           an exchange fails with \"timeout\" after MS (default "
		"5000)\n"
		"  --crypto ipsecmb|openssl  symmetric crypto driver (default ipsecmb)\n"
		"  --out DIR              write storm.json, summary.csv, series-*.csv, "
		"storm.gp/.png\n"
		"  --quiet                no progress line and no table\n"
		"  --list-scenarios       the operations a scenario can name\n"
		"mixed phase:\n"
		"  --mix OP=W[,OP=W...]   weights of new, resume, rekey, delete (default "
		STORM_MIX_DEFAULT ")\n"
		"flood phase (IPv4 target):\n"
		"  --flood-op resume|full legitimate operation inside the flood (default resume)\n"
		"  --flood-rate R         flood requests per second (default %d)\n"
		"  --flood-count C        flood requests at most, whole run (default %d)\n"
		"  --flood-sources K      flood sockets on 127.2.0.1 .. K, one port each (default "
		"%d)\n"
		"  --flood-lead MS        flood alone for MS before the operations start (default "
		"%d)\n",
		DEFAULT_WINDOW, DEFAULT_SOCKS, DEFAULT_FLOOD_RATE, DEFAULT_FLOOD_COUNT,
		DEFAULT_FLOOD_SOURCES, DEFAULT_FLOOD_LEAD_MS);
}

static int
parse_uint(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (s[0] == '-' || s[0] == '\0')
		return -1;
	*v = strtoull(s, &end, 10);
	return *end == '\0' && *v <= max ? 0 : -1;
}

static int
parse_double(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return *end == '\0' && *v >= 0 ? 0 : -1;
}

enum {
	OPT_TARGET = 256,
	OPT_CLIENTS,
	OPT_WINDOW,
	OPT_RATE,
	OPT_COUNT,
	OPT_DURATION,
	OPT_SCENARIO,
	OPT_PROPOSAL,
	OPT_ESP,
	OPT_PSK,
	OPT_ID,
	OPT_NO_IC,
	OPT_TICKET,
	OPT_VIP,
	OPT_INTERMEDIATE,
	OPT_RESUME_TARGET,
	OPT_BETWEEN,
	OPT_ENCAP,
	OPT_SOCKETS,
	OPT_SRC_ADDRS,
	OPT_MARKER,
	OPT_RTO,
	OPT_TIMEOUT,
	OPT_CRYPTO,
	OPT_OUT,
	OPT_QUIET,
	OPT_LIST,
	OPT_HELP,
	OPT_MIX,
	OPT_FLOOD_OP,
	OPT_FLOOD_RATE,
	OPT_FLOOD_COUNT,
	OPT_FLOOD_SOURCES,
	OPT_FLOOD_LEAD,
};

static const struct option long_opts[] = {
	{"target", required_argument, NULL, OPT_TARGET},
	{"clients", required_argument, NULL, OPT_CLIENTS},
	{"window", required_argument, NULL, OPT_WINDOW},
	{"rate", required_argument, NULL, OPT_RATE},
	{"count", required_argument, NULL, OPT_COUNT},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"scenario", required_argument, NULL, OPT_SCENARIO},
	{"proposal", required_argument, NULL, OPT_PROPOSAL},
	{"esp-proposal", required_argument, NULL, OPT_ESP},
	{"psk", required_argument, NULL, OPT_PSK},
	{"id-format", required_argument, NULL, OPT_ID},
	{"no-initial-contact", no_argument, NULL, OPT_NO_IC},
	{"ticket", no_argument, NULL, OPT_TICKET},
	{"vip", no_argument, NULL, OPT_VIP},
	{"intermediate", required_argument, NULL, OPT_INTERMEDIATE},
	{"resume-target", required_argument, NULL, OPT_RESUME_TARGET},
	{"between-phases", required_argument, NULL, OPT_BETWEEN},
	{"encap", no_argument, NULL, OPT_ENCAP},
	{"sockets", required_argument, NULL, OPT_SOCKETS},
	{"src-addrs", required_argument, NULL, OPT_SRC_ADDRS},
	{"marker", required_argument, NULL, OPT_MARKER},
	{"rto", required_argument, NULL, OPT_RTO},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"crypto", required_argument, NULL, OPT_CRYPTO},
	{"out", required_argument, NULL, OPT_OUT},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"list-scenarios", no_argument, NULL, OPT_LIST},
	{"help", no_argument, NULL, OPT_HELP},
	{"mix", required_argument, NULL, OPT_MIX},
	{"flood-op", required_argument, NULL, OPT_FLOOD_OP},
	{"flood-rate", required_argument, NULL, OPT_FLOOD_RATE},
	{"flood-count", required_argument, NULL, OPT_FLOOD_COUNT},
	{"flood-sources", required_argument, NULL, OPT_FLOOD_SOURCES},
	{"flood-lead", required_argument, NULL, OPT_FLOOD_LEAD},
	{NULL, 0, NULL, 0},
};

/* Returns 0 to run, 1 to exit successfully (help), -1 on a usage error. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	unsigned long long v;
	int c, bad = 0;

	*o = (struct opts){
		.scenario = "full",
		.marker = "auto",
		.crypto = "ipsecmb",
		.mix = STORM_MIX_DEFAULT,
		.flood_op = "resume",
		.flood = {.rate = DEFAULT_FLOOD_RATE,
			  .count = DEFAULT_FLOOD_COUNT,
			  .sources = DEFAULT_FLOOD_SOURCES},
		.flood_lead_ms = DEFAULT_FLOOD_LEAD_MS,
		.client = {.ike_proposal = DEFAULT_IKE,
			   .esp_proposal = DEFAULT_ESP,
			   .id_format = DEFAULT_ID,
			   .initial_contact = true,
			   .intermediate = -1},
		.sched = {.nb_clients = 1, .rto_ms = 500, .timeout_ms = 5000},
	};
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_TARGET:
			o->target = optarg;
			break;
		case OPT_CLIENTS:
			bad |= parse_uint(optarg, 1u << 24, &v) || v == 0;
			o->sched.nb_clients = (unsigned)v;
			break;
		case OPT_WINDOW:
			bad |= parse_uint(optarg, 1u << 20, &v) || v == 0;
			o->sched.window = (unsigned)v;
			break;
		case OPT_RATE:
			bad |= parse_double(optarg, &o->sched.rate);
			break;
		case OPT_COUNT:
			bad |= parse_uint(optarg, UINT64_MAX, &v);
			o->sched.count = v;
			break;
		case OPT_DURATION:
			bad |= parse_double(optarg, &o->sched.duration_s);
			break;
		case OPT_SCENARIO:
			o->scenario = optarg;
			break;
		case OPT_PROPOSAL:
			o->client.ike_proposal = optarg;
			break;
		case OPT_ESP:
			o->client.esp_proposal = optarg;
			break;
		case OPT_PSK:
			o->client.psk = optarg;
			break;
		case OPT_ID:
			o->client.id_format = optarg;
			break;
		case OPT_NO_IC:
			o->client.initial_contact = false;
			break;
		case OPT_VIP:
			o->client.vip = true;
			break;
		case OPT_INTERMEDIATE:
			o->client.intermediate = atoi(optarg);
			if (o->client.intermediate < 0 || o->client.intermediate > 7) {
				fprintf(stderr, "storm: --intermediate takes 0..7\n");
				return -1;
			}
			break;
		case OPT_TICKET:
			o->client.ticket = true;
			o->ticket_set = true;
			break;
		case OPT_RESUME_TARGET:
			o->resume_target = optarg;
			break;
		case OPT_BETWEEN:
			o->between = optarg;
			break;
		case OPT_ENCAP:
			o->client.encap = true;
			break;
		case OPT_SOCKETS:
			bad |= parse_uint(optarg, 1u << 20, &v) || v == 0;
			o->sched.nb_socks = (unsigned)v;
			break;
		case OPT_SRC_ADDRS:
			bad |= parse_uint(optarg, 65534, &v);
			o->src_addrs = (unsigned)v;
			break;
		case OPT_MARKER:
			o->marker = optarg;
			break;
		case OPT_RTO:
			bad |= parse_uint(optarg, 600000, &v) || v == 0;
			o->sched.rto_ms = (unsigned)v;
			break;
		case OPT_TIMEOUT:
			bad |= parse_uint(optarg, 3600000, &v) || v == 0;
			o->sched.timeout_ms = (unsigned)v;
			break;
		case OPT_CRYPTO:
			o->crypto = optarg;
			break;
		case OPT_OUT:
			o->out_dir = optarg;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_LIST:
			storm_scenario_list(stdout);
			return 1;
		case OPT_HELP:
			usage(stdout);
			return 1;
		case OPT_MIX:
			o->mix = optarg;
			break;
		case OPT_FLOOD_OP:
			o->flood_op = optarg;
			break;
		case OPT_FLOOD_RATE:
			bad |= parse_double(optarg, &o->flood.rate) || o->flood.rate <= 0;
			break;
		case OPT_FLOOD_COUNT:
			bad |= parse_uint(optarg, UINT64_MAX, &v);
			o->flood.count = v;
			break;
		case OPT_FLOOD_SOURCES:
			bad |= parse_uint(optarg, STORM_FLOOD_SOURCES_MAX, &v) || v == 0;
			o->flood.sources = (unsigned)v;
			break;
		case OPT_FLOOD_LEAD:
			bad |= parse_uint(optarg, 600000, &v);
			o->flood_lead_ms = (unsigned)v;
			break;
		default:
			usage(stderr);
			return -1;
		}
		if (bad) {
			fprintf(stderr, "storm: bad value for --%s: %s\n",
				long_opts[c - OPT_TARGET].name, optarg);
			return -1;
		}
	}
	if (optind != argc || o->target == NULL) {
		usage(stderr);
		return -1;
	}
	if (strcmp(o->marker, "auto") != 0 && strcmp(o->marker, "on") != 0 &&
	    strcmp(o->marker, "off") != 0) {
		fprintf(stderr, "storm: --marker takes auto, on or off\n");
		return -1;
	}
	if (strcmp(o->crypto, "ipsecmb") != 0 && strcmp(o->crypto, "openssl") != 0) {
		fprintf(stderr, "storm: --crypto takes ipsecmb or openssl\n");
		return -1;
	}
	return 0;
}

/* Raises the descriptor limit as far as allowed; returns how many sockets fit. */
static unsigned
socket_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return DEFAULT_SOCKS;
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur > FD_RESERVE * 2 ? (unsigned)(rl.rlim_cur - FD_RESERVE) : 1;
}

static void
on_progress(const struct storm_stats *rows, unsigned nb, unsigned inflight, bool final, void *arg)
{
	struct progress *p = arg;
	uint64_t now = storm_now_ns();
	char line[200];

	if (p->quiet)
		return;
	if (final) {
		if (p->shown && p->tty)
			fputc('\n', stderr);
		p->shown = false;
		return;
	}
	if (now < rows[0].t0_ns || (double)(now - rows[0].t0_ns) / 1e9 < PROGRESS_AFTER_S)
		return;
	storm_report_progress_line(line, sizeof(line), p->name, rows, nb, inflight, now);
	fprintf(stderr, p->tty ? "\r%s" : "%s\n", line);
	fflush(stderr);
	p->shown = true;
}

static void
log_to_stderr(enum ike_log_level level, const char *msg)
{
	(void)level;
	fprintf(stderr, "storm: %s\n", msg);
}

struct crypto {
	struct cry_openssl *ossl;
	struct cry_ipsecmb *imb;
	struct cry_ops ops;
};

static int
crypto_init(struct crypto *cr, const char *which)
{
	memset(cr, 0, sizeof(*cr));
	cr->ossl = cry_openssl_create();
	if (cr->ossl == NULL)
		return -1;
	cry_openssl_bind(cr->ossl, &cr->ops);
	if (strcmp(which, "ipsecmb") == 0) {
		cr->imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
		if (cr->imb == NULL)
			return -1;
		cry_ipsecmb_bind(cr->imb, &cr->ops);
	}
	return 0;
}

static void
crypto_fini(struct crypto *cr)
{
	if (cr->imb != NULL)
		cry_ipsecmb_destroy(cr->imb);
	if (cr->ossl != NULL)
		cry_openssl_destroy(cr->ossl);
}

/* Sockets toward one responder; the non-ESP marker follows its port (RFC 3948 2.2). */
static int
io_cfg_of(const char *target, const struct opts *o, struct storm_io_cfg *c)
{
	uint16_t port;

	memset(c, 0, sizeof(*c));
	if (storm_io_parse_target(target, &c->target, &c->target_len) != 0) {
		fprintf(stderr, "storm: a target wants ADDR:PORT or [ADDR6]:PORT, not %s\n",
			target);
		return -1;
	}
	port = ntohs(((struct sockaddr_in *)&c->target)->sin_port); /* same offset in sin6 */
	c->nonesp_marker =
		strcmp(o->marker, "on") == 0 || (strcmp(o->marker, "auto") == 0 && port != IKE_PORT);
	c->nb_addrs = o->src_addrs;
	return 0;
}

/* The operations of each phase; -1 after a message when the options are wrong. */
static int
mixes_of(const struct opts *o, const struct storm_phase_def *const *ph, int n,
	 struct storm_mix *mix)
{
	const char *bad;

	for (int i = 0; i < n; i++) {
		switch (ph[i]->kind) {
		case STORM_PHASE_MIXED:
			if (storm_mix_parse(o->mix, &mix[i], &bad) != 0) {
				fprintf(stderr, "storm: --mix wants new=W,resume=W,rekey=W,delete=W "
						"(some W > 0), not \"%s\"\n",
					bad);
				return -1;
			}
			break;
		case STORM_PHASE_FLOOD:
			if (storm_mix_flood(o->flood_op, &mix[i]) != 0) {
				fprintf(stderr, "storm: --flood-op takes resume or full\n");
				return -1;
			}
			break;
		default:
			storm_mix_one(&mix[i], ph[i]->op);
			break;
		}
	}
	return 0;
}

/* Resumption needs tickets from the phases before it. */
static bool
needs_tickets(const struct storm_mix *mix, int n)
{
	for (int i = 0; i < n; i++)
		for (unsigned k = 0; k < mix[i].nb; k++)
			if (mix[i].op[k]->begin == storm_client_resume_begin)
				return true;
	return false;
}

static bool
has_flood(const struct storm_phase_def *const *ph, int n)
{
	for (int i = 0; i < n; i++)
		if (ph[i]->kind == STORM_PHASE_FLOOD)
			return true;
	return false;
}

/* Runs the phases; returns how many stats rows they filled, or -1 when out of memory. */
static int
run_phases(const struct opts *o, const struct storm_phase_def *const *ph, int nb_phases,
	   const struct storm_mix *mix, struct storm_sched *sched, struct storm_sched *rsched,
	   struct storm_flood *flood, struct storm_stats *rows)
{
	struct storm_bg bg = {
		.run = storm_flood_run,
		.arg = flood,
		.lead_ns = (uint64_t)o->flood_lead_ms * 1000000u,
	};
	struct progress prog = {.tty = isatty(STDERR_FILENO), .quiet = o->quiet};
	unsigned k;
	int i, nb = 0;

	for (i = 0; i < nb_phases && !stop_flag; i++) {
		bool failover = rsched != NULL && ph[i]->kind == STORM_PHASE_ONE &&
				ph[i]->op->need == STORM_NEED_TICKET;
		bool flooded = ph[i]->kind == STORM_PHASE_FLOOD;

		for (k = 0; k < mix[i].nb; k++) {
			if (storm_stats_init(&rows[nb + k], mix[i].op[k]->row, storm_now_ns()) != 0) {
				while (k-- > 0)
					storm_stats_fini(&rows[nb + k]);
				fprintf(stderr, "storm: out of memory\n");
				return -1;
			}
		}
		prog.name = ph[i]->name;
		storm_sched_run(failover ? rsched : sched, &mix[i], &rows[nb], flooded ? &bg : NULL,
				&stop_flag, on_progress, &prog);
		nb += (int)mix[i].nb;
		if (o->between != NULL && i + 1 < nb_phases && !stop_flag) {
			fflush(NULL);
			if (system(o->between) != 0) {
				fprintf(stderr, "storm: --between-phases command failed\n");
				break;
			}
		}
	}
	return nb;
}

int
main(int argc, char **argv)
{
	const struct storm_phase_def *ph[STORM_MAX_PHASES];
	struct storm_mix mix[STORM_MAX_PHASES];
	struct storm_stats rows[STORM_MAX_ROWS];
	struct storm_io_cfg iocfg, rcfg;
	struct storm_clients *cl = NULL;
	struct storm_sched *sched = NULL, *rsched = NULL;
	struct storm_io *io = NULL, *rio = NULL;
	struct storm_flood *flood = NULL;
	struct storm_run_info ri;
	struct crypto cr;
	const char *err = NULL;
	unsigned budget;
	int nb_phases, nb_rows = 0, rc = 1, r, i;
	struct opts o;

	memset(&cr, 0, sizeof(cr));
	r = parse_args(argc, argv, &o);
	if (r != 0)
		return r > 0 ? 0 : 2;
	nb_phases = storm_scenario_parse(o.scenario, ph, &err);
	if (nb_phases < 0) {
		fprintf(stderr, "storm: unknown scenario phase at \"%s\"; known:\n", err);
		storm_scenario_list(stderr);
		return 2;
	}
	if (mixes_of(&o, ph, nb_phases, mix) != 0)
		return 2;
	if (io_cfg_of(o.target, &o, &iocfg) != 0 ||
	    (o.resume_target != NULL && io_cfg_of(o.resume_target, &o, &rcfg) != 0))
		return 2;
	if (!o.ticket_set && needs_tickets(mix, nb_phases))
		o.client.ticket = true;
	o.client.family = iocfg.target.ss_family;
	o.client.target = (const struct sockaddr *)&iocfg.target;
	if (o.sched.window == 0)
		o.sched.window =
			o.sched.nb_clients < DEFAULT_WINDOW ? o.sched.nb_clients : DEFAULT_WINDOW;
	budget = socket_budget();
	if (has_flood(ph, nb_phases)) {
		if (o.flood.sources >= budget / 2) {
			fprintf(stderr, "storm: %u flood sources exceed the descriptor limit\n",
				o.flood.sources);
			return 2;
		}
		budget -= o.flood.sources;
	}
	if (o.resume_target != NULL)
		budget /= 2; /* a second set of sockets toward the resume target */
	if (o.sched.nb_socks == 0)
		o.sched.nb_socks =
			o.sched.nb_clients < DEFAULT_SOCKS ? o.sched.nb_clients : DEFAULT_SOCKS;
	if (o.sched.nb_socks > o.sched.nb_clients)
		o.sched.nb_socks = o.sched.nb_clients;
	if (o.sched.nb_socks > budget) {
		fprintf(stderr, "storm: %u sockets exceed the descriptor limit; using %u\n",
			o.sched.nb_socks, budget);
		o.sched.nb_socks = budget;
	}
	iocfg.nb_socks = o.sched.nb_socks;
	rcfg.nb_socks = o.sched.nb_socks;

	ike_log_set_hook(log_to_stderr, o.quiet ? IKE_LOG_ERR : IKE_LOG_WARNING);
	if (crypto_init(&cr, o.crypto) != 0) {
		fprintf(stderr, "storm: crypto driver setup failed\n");
		goto out;
	}
	cl = storm_clients_create(&o.client, o.sched.nb_clients, o.sched.window, &cr.ops, &err);
	if (cl == NULL) {
		fprintf(stderr, "storm: clients: %s\n", err);
		goto out;
	}
	io = storm_io_create(&iocfg);
	if (io == NULL)
		goto out;
	sched = storm_sched_create(&o.sched, io, cl);
	if (sched == NULL) {
		fprintf(stderr, "storm: out of memory\n");
		goto out;
	}
	if (o.resume_target != NULL) {
		rio = storm_io_create(&rcfg);
		if (rio == NULL)
			goto out;
		rsched = storm_sched_create(&o.sched, rio, cl);
		if (rsched == NULL) {
			fprintf(stderr, "storm: out of memory\n");
			goto out;
		}
	}
	if (has_flood(ph, nb_phases)) {
		o.flood.target = iocfg.target;
		o.flood.target_len = iocfg.target_len;
		o.flood.nonesp_marker = iocfg.nonesp_marker;
		flood = storm_flood_create(&o.flood, cl);
		if (flood == NULL)
			goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	ri = (struct storm_run_info){
		.target = o.target,
		.resume_target = o.resume_target,
		.ticket = o.client.ticket,
		.scenario = o.scenario,
		.ike_proposal = o.client.ike_proposal,
		.esp_proposal = o.client.esp_proposal,
		.crypto = o.crypto,
		.clients = o.sched.nb_clients,
		.sockets = o.sched.nb_socks,
		.src_addrs = o.src_addrs,
		.window = o.sched.window,
		.rate = o.sched.rate,
		.count = o.sched.count,
		.duration_s = o.sched.duration_s,
		.rto_ms = o.sched.rto_ms,
		.timeout_ms = o.sched.timeout_ms,
		.nonesp_marker = iocfg.nonesp_marker,
		.mix = o.mix,
		.flood_op = o.flood_op,
		.flood_rate = o.flood.rate,
		.flood_count = o.flood.count,
		.flood_sources = o.flood.sources,
		.flood_lead_ms = o.flood_lead_ms,
		.started_at = time(NULL),
	};
	nb_rows = run_phases(&o, ph, nb_phases, mix, sched, rsched, flood, rows);
	if (nb_rows < 0) {
		nb_rows = 0;
		goto out;
	}
	if (!o.quiet)
		storm_report_table(stdout, &ri, rows, (unsigned)nb_rows);
	rc = 0;
	if (o.out_dir != NULL && storm_report_write(o.out_dir, &ri, rows, (unsigned)nb_rows,
						    storm_io_stats(io), stderr) != 0)
		rc = 1;
out:
	for (i = 0; i < nb_rows; i++)
		storm_stats_fini(&rows[i]);
	storm_flood_destroy(flood);
	storm_sched_destroy(rsched);
	storm_io_destroy(rio);
	storm_sched_destroy(sched);
	storm_io_destroy(io);
	storm_clients_destroy(cl);
	crypto_fini(&cr);
	return rc;
}
