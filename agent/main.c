/*
 * rollcall-agent: a host registers, heartbeats and deregisters its own
 * addresses under shared round-robin names with TSIG-signed RFC 2136
 * updates.  Options that mirror nsupdate keep nsupdate's letters.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "conf.h"
#include "key.h"
#include "log.h"
#include "numparse.h"
#include "status.h"
#include "transport.h"

#define DEFAULT_CONF	"/etc/rollcall/agent.conf"

struct options {
	const char	*conf_path;
	const char	*key_file;
	char		*key_y;		/* owned copy, wiped when done */
	const char	*server;
	const char	*port, *timeout, *udp_timeout, *retries;
	int		 tcp, debug, dry_run, json;
	enum agent_cmd	 cmd;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: rollcall-agent [-dnvhV] [--json] [-c file] [-k keyfile]\n"
"                      [-y [alg:]name:secret] [-s server] [-p port]\n"
"                      [-t timeout] [-u udptimeout] [-r retries]\n"
"                      register|heartbeat|deregister|status|check\n"
"  -c file     config file (default " DEFAULT_CONF ")\n"
"  -k keyfile  TSIG key file (tsig-keygen format), as nsupdate -k\n"
"  -y key      TSIG key [alg:]name:secret, as nsupdate -y (default hmac-sha256)\n"
"  -s server   send to this server address instead of the configured ones\n"
"  -p port     server port (default 53)\n"
"  -v          use TCP only, as nsupdate -v\n"
"  -t timeout  total deadline of each exchange in seconds (default 30)\n"
"  -u udptime  first UDP try timeout in seconds (default 3)\n"
"  -r retries  UDP retries (default 3)\n"
"  -d          debug: print every DNS message sent and received\n"
"  -n          dry run: print the updates as an nsupdate script, change nothing\n"
"  --json      with status: one JSON document instead of the tables\n"
"  -h          this help\n"
"  -V          print the version\n");
}

static int
parse_cmd(const char *s, enum agent_cmd *cmd)
{
	static const struct { const char *name; enum agent_cmd cmd; } t[] = {
		{ "register", CMD_REGISTER }, { "heartbeat", CMD_HEARTBEAT },
		{ "deregister", CMD_DEREGISTER }, { "status", CMD_STATUS },
		{ "check", CMD_CHECK },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].name) == 0) {
			*cmd = t[i].cmd;
			return 0;
		}
	return -1;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->conf_path = DEFAULT_CONF;
	while ((ch = getopt_long(argc, argv, "c:k:y:s:p:vt:u:r:dnhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o->conf_path = optarg; break;
		case 'k': o->key_file = optarg; break;
		case 'y':
			/* keep a copy, and wipe the argument so the secret
			 * leaves /proc/PID/cmdline as soon as possible */
			free(o->key_y);
			if ((o->key_y = strdup(optarg)) == NULL)
				fatal("strdup");
			explicit_bzero(optarg, strlen(optarg));
			break;
		case 's': o->server = optarg; break;
		case 'p': o->port = optarg; break;
		case 'v': o->tcp = 1; break;
		case 't': o->timeout = optarg; break;
		case 'u': o->udp_timeout = optarg; break;
		case 'r': o->retries = optarg; break;
		case 'd': o->debug = 1; break;
		case 'n': o->dry_run = 1; break;
		case 'J': o->json = 1; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': printf("rollcall-agent " ROLLCALL_VERSION "\n");
			exit(EXIT_OK);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc - 1) {
		log_warnx("expected one command: register, heartbeat, "
		    "deregister, status or check");
		return -1;
	}
	if (parse_cmd(argv[optind], &o->cmd) == -1) {
		log_warnx("unknown command '%s'", argv[optind]);
		return -1;
	}
	if (o->json && o->cmd != CMD_STATUS) {
		log_warnx("--json goes with status");
		return -1;
	}
	return 0;
}

static int
opt_u32(const char *flag, const char *val, uint32_t min, uint32_t max,
    uint32_t *out)
{
	const char *why;

	if (val == NULL)
		return 0;
	if (parse_u32(val, min, max, out, &why) == -1) {
		log_warnx("%s '%s': %s (%u..%u)", flag, val, why, min, max);
		return -1;
	}
	return 0;
}

/* Command-line options override the config file. */
static int
apply_options(const struct options *o, struct agent_conf *c)
{
	struct conf_net *n = &c->net;
	uint32_t port = n->port;
	int bad = 0;

	if (o->server != NULL) {
		struct server probe;
		struct error err;

		if (strlen(o->server) >= sizeof(n->servers[0]) ||
		    server_from_string(o->server, 53, &probe, &err) == -1) {
			log_warnx("-s '%s': not an IPv4 or IPv6 address",
			    o->server);
			bad = 1;
		} else {
			snprintf(n->servers[0], sizeof(n->servers[0]), "%s",
			    o->server);
			n->nservers = 1;
		}
	}
	bad |= opt_u32("-p", o->port, 1, 65535, &port) == -1;
	n->port = (uint16_t)port;
	bad |= opt_u32("-t", o->timeout, 1, 3600, &n->timeout) == -1;
	bad |= opt_u32("-u", o->udp_timeout, 1, 300, &n->udp_timeout) == -1;
	bad |= opt_u32("-r", o->retries, 0, 20, &n->retries) == -1;
	if (o->tcp)
		n->tcp = true;
	return bad ? -1 : 0;
}

static int
load_key(const struct options *o, const struct agent_conf *c,
    struct tsig_key *key)
{
	struct key_source src = { o->key_y, o->key_file, c->path,
	    c->net.key_file, c->net.key_name };
	struct error err;
	bool used_y, loose;

	if (key_select(&src, key, &used_y, &loose, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	if (used_y)
		log_warning("-y puts the secret in the process list; "
		    "prefer -k or key_file");
	if (loose)
		log_warning("%s is readable by others; "
		    "chmod 640 and chown root:rollcall",
		    o->key_file ? o->key_file : c->net.key_file);
	return 0;
}

static int
load_config(const struct options *o, struct agent_conf *c)
{
	struct diag d;
	size_t i;

	memset(&d, 0, sizeof(d));
	if (conf_agent_load(o->conf_path, c, &d) == 0 &&
	    apply_options(o, c) == 0)
		conf_agent_finish(c, &d);
	else if (d.n == 0)
		return -1;	/* option errors were reported already */
	for (i = 0; i < d.n; i++)
		log_warnx("%s", d.lines[i]);
	if (d.dropped)
		log_warnx("%s: %zu more errors", o->conf_path, d.dropped);
	return d.n > 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static struct agent_conf conf;	/* large: keep it off the stack */
	struct tsig_key key;
	struct options o;
	struct agent ag;
	struct status_doc doc;
	struct error err = { ERR_NONE, "" };
	int rc;

	log_init("rollcall-agent", 0);
	if (parse_args(argc, argv, &o) == -1)
		return EXIT_USAGE;
	log_init("rollcall-agent", o.debug);
	rc = load_config(&o, &conf) == -1 || load_key(&o, &conf, &key) == -1;
	if (o.key_y != NULL) {
		explicit_bzero(o.key_y, strlen(o.key_y));
		free(o.key_y);
	}
	if (rc)
		return EXIT_USAGE;
	if (o.cmd == CMD_CHECK) {
		printf("%s: OK: host %s, %zu pool(s), key %s (%s)\n",
		    conf.path, conf.host_id, conf.npools, key.name,
		    tsig_alg_name(key.alg));
		tsig_key_clean(&key);
		return EXIT_OK;
	}
	ag.conf = &conf;
	ag.key = &key;
	ag.dry_run = o.dry_run;
	ag.out = stdout;
	ag.resolv_conf = "/etc/resolv.conf";
	ag.json = NULL;
	if (o.json) {
		status_doc_begin(&doc, stdout, &conf, (uint64_t)time(NULL));
		ag.json = &doc;
	}
	rc = agent_run(&ag, o.cmd, &err);
	if (o.json)
		status_doc_end(&doc, rc == 0);
	tsig_key_clean(&key);
	return rc == 0 ? EXIT_OK : err_exit_code(err.kind);
}
