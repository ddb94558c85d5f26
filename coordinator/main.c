/*
 * rollcall-coordinator: expires registrations whose heartbeat stopped and
 * keeps alias names equal to their targets' addresses, with RFC 2136
 * updates whose every removal is a compare-and-swap.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "numparse.h"
#include "transport.h"

#define DEFAULT_CONF	"/etc/rollcall/coordinator.conf"

/* The daemon's only mutable globals: set by signal handlers. */
static volatile sig_atomic_t got_stop, got_reload;

struct options {
	const char	*conf_path;
	const char	*key_file, *key_y, *server, *port;
	int		 debug, dry_run, once, json;
	const char	*cmd;		/* NULL (run), "check", "status" */
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: rollcall-coordinator [-dnhV] [--once] [--json] [-c file] [-k keyfile]\n"
"                            [-y [alg:]name:secret] [-s server] [-p port]\n"
"                            [check|status]\n"
"  -c file     config file (default " DEFAULT_CONF ")\n"
"  -k keyfile  TSIG key file (tsig-keygen format), as nsupdate -k\n"
"  -y key      TSIG key [alg:]name:secret, as nsupdate -y (default hmac-sha256)\n"
"  -s server   the zones' primary, instead of the configured one\n"
"  -p port     server port\n"
"  -d          debug logging, and every DNS message sent and received\n"
"  -n          print the planned updates as an nsupdate script, change nothing\n"
"              (one pass, like --once)\n"
"  --once      one full pass, then exit: 0 when everything converged\n"
"  --json      with status: one JSON document instead of the tables\n"
"  -h, -V      this help, the version\n"
"  check       validate the config and key, then exit\n"
"  status      print pools (members, ages, leases) and aliases, then exit\n");
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'O' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->conf_path = DEFAULT_CONF;
	while ((ch = getopt_long(argc, argv, "c:k:y:s:p:dnhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o->conf_path = optarg; break;
		case 'k': o->key_file = optarg; break;
		case 'y': o->key_y = optarg; break;
		case 's': o->server = optarg; break;
		case 'p': o->port = optarg; break;
		case 'd': o->debug = 1; break;
		case 'n': o->dry_run = 1; break;
		case 'O': o->once = 1; break;
		case 'J': o->json = 1; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': printf("rollcall-coordinator " ROLLCALL_VERSION "\n");
			exit(EXIT_OK);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		o->cmd = argv[optind++];
		if (strcmp(o->cmd, "check") != 0 && strcmp(o->cmd, "status") != 0) {
			log_warnx("unknown command '%s' (check or status)", o->cmd);
			return -1;
		}
	}
	if (optind < argc) {
		log_warnx("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->json && (o->cmd == NULL || strcmp(o->cmd, "status") != 0)) {
		log_warnx("--json goes with status");
		return -1;
	}
	return 0;
}

/* Command-line overrides of the file; -1 (reported) on a bad value. */
static int
apply_options(const struct options *o, struct coord_conf *c, struct error *err)
{
	const char *why;
	uint32_t port;

	if (o->server != NULL) {
		if (strlen(o->server) >= sizeof(c->net.servers[0]))
			return err_set(err, ERR_USAGE, "-s '%s': not an address",
			    o->server);
		snprintf(c->net.servers[0], sizeof(c->net.servers[0]), "%s",
		    o->server);
		c->net.nservers = 1;
	}
	if (o->port != NULL) {
		if (parse_u32(o->port, 1, 65535, &port, &why) == -1)
			return err_set(err, ERR_USAGE, "-p '%s': %s", o->port,
			    why);
		c->net.port = (uint16_t)port;
	}
	return 0;
}

/* Load config and key; every config error is logged here, one per line.
 * The reload callback too: a bad new config is reported and refused. */
static int
load(void *arg, struct coord_conf **out, struct tsig_key *key,
    struct error *err)
{
	const struct options *o = arg;
	struct key_source src;
	struct coord_conf *c;
	struct diag d;
	bool used_y, loose;

	memset(&d, 0, sizeof(d));
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return err_set(err, ERR_SYS, "out of memory");
	if (conf_coord_load(o->conf_path, c, &d) == -1) {
		for (size_t i = 0; i < d.n; i++)
			log_warnx("%s", d.lines[i]);
		free(c);
		return err_set(err, ERR_CONFIG, "%s: %zu error(s)",
		    o->conf_path, d.n + d.dropped);
	}
	src = (struct key_source){ o->key_y, o->key_file, c->path,
	    c->net.key_file, c->net.key_name };
	if (apply_options(o, c, err) == -1 ||
	    key_select(&src, key, &used_y, &loose, err) == -1) {
		conf_coord_clean(c);
		free(c);
		return -1;
	}
	if (used_y)
		log_warning("-y puts the secret in the process list; prefer -k "
		    "or key_file");
	if (loose)
		log_warning("the key file is readable by others; "
		    "chmod 640 and chown root:rollcall");
	*out = c;
	return 0;
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_reload = 1;
	else
		got_stop = 1;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: poll() returns EINTR and the loop looks at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* --once and -n: one pass; converged means everything planned was
 * applied, no target failed, nothing was held back and no alias was left
 * as it is for a missing target (on_missing keep). */
static int
run_once(struct coord *co)
{
	struct pass_result r;
	struct monitor mon;
	struct error err;
	int rc;

	/* a timer's --once keeps a textfile too, when one is set */
	if (monitor_init(&mon, co->conf, false, &err) == -1) {
		monitor_clean(&mon);
		log_warnx("%s", err.msg);
		return err_exit_code(err.kind);
	}
	monitor_pass_begin(&mon);
	rc = coord_pass(co, (uint64_t)time(NULL), &r, &err);
	if (!co->dry_run)
		monitor_pass_end(&mon, co->conf, &r, rc, &err);
	pass_result_clean(&r);
	monitor_clean(&mon);
	if (rc == -1) {
		log_warnx("%s", err.msg);
		return err_exit_code(err.kind);
	}
	if (co->dry_run)
		return EXIT_OK;
	log_info("pass: %zu action(s) planned, %zu applied in %zu message(s), "
	    "%zu raced, %zu failed, %zu held back, %zu target(s) unresolved, "
	    "%zu alias(es) kept for a missing target",
	    r.actions, r.st.applied, r.st.messages, r.st.raced, r.st.failed,
	    r.held_back, r.targets_failed, r.aliases_kept);
	return r.st.raced || r.st.failed || r.held_back || r.targets_failed ||
	    r.aliases_kept ? EXIT_STATE : EXIT_OK;
}

static int
run_daemon(struct coord *co, struct options *o)
{
	struct coord_signals sig = { &got_stop, &got_reload };
	struct notify_fds nf = { -1, -1 };
	struct monitor mon;
	struct error err;
	int rc;

	if (monitor_init(&mon, co->conf, true, &err) == -1) {
		log_warnx("%s", err.msg);
		monitor_clean(&mon);
		return EXIT_USAGE;
	}

	/* NOTIFY comes over UDP (BIND, PowerDNS) or TCP (Knot) */
	if (co->conf->notify_listen[0] != '\0' &&
	    ((nf.udp = xfer_udp_listen(co->conf->notify_listen,
	    co->conf->notify_port, &err)) == -1 ||
	    (nf.tcp = xfer_tcp_listen(co->conf->notify_listen,
	    co->conf->notify_port, &err)) == -1)) {
		log_warnx("notify_listen: %s", err.msg);
		if (nf.udp != -1)
			close(nf.udp);
		monitor_clean(&mon);
		return EXIT_USAGE;
	}
	log_info("started: %zu zone(s), %zu alias(es), primary %s",
	    co->conf->nzones, co->conf->naliases, co->primary.servers[0].label);
	rc = coord_loop(co, &sig, load, o, &nf, &mon);
	if (nf.udp != -1)
		close(nf.udp);
	if (nf.tcp != -1)
		close(nf.tcp);
	monitor_clean(&mon);
	return rc;
}

int
main(int argc, char **argv)
{
	struct coord_conf *conf = NULL;
	struct tsig_key key;
	struct options o;
	struct coord co;
	struct error err;
	int rc;

	log_init("rollcall-coordinator", 0);
	if (parse_args(argc, argv, &o) == -1)
		return EXIT_USAGE;
	log_init("rollcall-coordinator", o.debug);
	if (load(&o, &conf, &key, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_USAGE;
	}
	if (o.cmd != NULL && strcmp(o.cmd, "check") == 0) {
		/* like the agent's check: nothing is sent */
		printf("%s: OK: %zu zone(s), %zu alias(es), key %s (%s)\n",
		    conf->path, conf->nzones, conf->naliases, key.name,
		    tsig_alg_name(key.alg));
		tsig_key_clean(&key);
		conf_coord_clean(conf);
		free(conf);
		return EXIT_OK;
	}
	if (coord_init(&co, conf, &key, &err) == -1) {
		tsig_key_clean(&key);
		coord_clean(&co);
		log_warnx("%s", err.msg);
		/* a primary not found is not a config error: say it in
		 * JSON too (config errors stay on stderr, as the agent's) */
		if (o.json && err_exit_code(err.kind) != EXIT_USAGE)
			coord_status_error(stdout, (uint64_t)time(NULL),
			    err.msg);
		return err_exit_code(err.kind);
	}
	tsig_key_clean(&key);
	co.dry_run = o.dry_run;
	if (o.cmd != NULL) {
		rc = coord_status(&co, (uint64_t)time(NULL), o.json, stdout,
		    &err);
		if (rc == -1)
			log_warnx("%s", err.msg);
		rc = rc == -1 ? err_exit_code(err.kind) : EXIT_OK;
	} else if (o.once || o.dry_run) {
		rc = run_once(&co);
	} else {
		install_signals();
		rc = run_daemon(&co, &o);
	}
	coord_clean(&co);
	return rc;
}
