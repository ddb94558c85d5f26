/*
 * test_metrics.c - the coordinator's metrics (coordinator/metrics.c): a
 * pass folded in (counters added, the plan's pools taken over, aliases in
 * sync once their update is applied), the text exposition format with
 * label escaping, the TSIG failure kinds told from the messages
 * tsig_verify really writes, the textfile written atomically with mode
 * 0644 under any umask, and the config settings metrics_listen,
 * metrics_port and metrics_textfile with their file:line errors.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "dnsmsg.h"
#include "key.h"
#include "metrics.h"
#include "suites.h"
#include "tsig.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

static char *
rendered(const struct coord_metrics *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(metrics_render(m, f), 0);
	fclose(f);
	return buf;
}

/* A line of text, whole. */
static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

#define CU_ASSERT_LINE(text, line) do {					\
	if (!has_line((text), (line)))					\
		fprintf(stderr, "\nmissing line: %s\n", (line));	\
	CU_ASSERT(has_line((text), (line)));				\
} while (0)

static void
conf_two_zones(struct coord_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->zones[0], sizeof(c->zones[0]), "example.test.");
	snprintf(c->zones[1], sizeof(c->zones[1]), "we\"ird\\.test.");
	c->nzones = 2;
}

/* A pass that planned: pools of both zones, two aliases changed (one
 * applied), an expiry applied, a race, answers by rcode. */
static void
pass_fill(struct pass_result *r)
{
	memset(r, 0, sizeof(*r));
	r->planned = true;
	r->soa_queries = 2;
	r->zone_transfers = 1;
	r->npools = 2;
	r->pools = calloc(2, sizeof(*r->pools));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->pools);
	snprintf(r->pools[0].name, sizeof(r->pools[0].name),
	    "srv.example.test.");
	r->pools[0].live = 3;
	r->pools[0].expired = 1;
	r->pools[0].held_back = 1;
	r->pools[0].invalid = 2;
	r->pools[0].addrs = 5;
	snprintf(r->pools[1].name, sizeof(r->pools[1].name),
	    "p\"ool.we\"ird\\.test.");
	r->pools[1].live = 1;
	r->aliases.in_sync = 4;
	r->aliases.changed = 2;
	r->aliases.unresolved = 1;
	r->aliases.missing = 1;
	r->st.messages = 3;
	r->st.applied_kind[ACT_EXPIRE] = 1;
	r->st.applied_kind[ACT_ALIAS] = 1;
	r->st.raced_kind[ACT_REPAIR] = 1;
	r->st.failed_kind[ACT_ALIAS] = 1;
	r->st.rcodes[0] = 2;
	r->st.rcodes[8] = 1;		/* NXRRSET */
	r->st.rcodes[5] = 1;		/* REFUSED */
	r->st.rcodes[APPLY_RCODES - 1] = 1;
}

static void
test_fold_and_render(void)
{
	struct coord_metrics m;
	struct coord_conf c;
	struct pass_result r;
	struct error err;
	char *text;

	conf_two_zones(&c);
	CU_ASSERT_FATAL(metrics_init(&m) == 0);
	text = rendered(&m);		/* nothing yet: all there, zero */
	CU_ASSERT_LINE(text, "rollcall_coordinator_last_pass_ok 0");
	CU_ASSERT_LINE(text, "rollcall_coordinator_aliases{state=\"in_sync\"} 0");
	CU_ASSERT_LINE(text, "rollcall_coordinator_tsig_failures_total{kind=\"BADKEY\"} 0");
	CU_ASSERT_PTR_NULL(strstr(text, "rollcall_coordinator_registrations{"));
	free(text);

	pass_fill(&r);
	CU_ASSERT_EQUAL(metrics_fold(&m, &c, &r, true, NULL, 1500000,
	    1700000000), 0);
	CU_ASSERT_PTR_NULL(r.pools);		/* taken over */
	CU_ASSERT_EQUAL(m.npools, 2);
	CU_ASSERT_EQUAL(m.pzone[0], 0);
	CU_ASSERT_EQUAL(m.pzone[1], 1);
	/* the applied alias update: one more in sync, one still out */
	CU_ASSERT_EQUAL(m.aliases.in_sync, 5);
	CU_ASSERT_EQUAL(m.aliases.changed, 1);

	/* a failed pass: counted, the plan's gauges kept */
	memset(&r, 0, sizeof(r));
	r.soa_queries = 1;
	err.kind = ERR_AUTH;
	snprintf(err.msg, sizeof(err.msg), "127.0.0.1#53: server rejected "
	    "our TSIG: BADTIME: clocks differ by 400 s");
	CU_ASSERT_EQUAL(metrics_fold(&m, &c, &r, false, &err, 250, 1700000005),
	    0);
	text = rendered(&m);
	CU_ASSERT_LINE(text, "# HELP rollcall_coordinator_last_pass_ok 1 when "
	    "the last pass read every zone and applied its whole plan, 0 when "
	    "it failed (or none ran).");
	CU_ASSERT_LINE(text, "# TYPE rollcall_coordinator_last_pass_ok gauge");
	CU_ASSERT_LINE(text, "rollcall_coordinator_last_pass_ok 0");
	CU_ASSERT_LINE(text, "rollcall_coordinator_last_success_timestamp_seconds 1700000000");
	CU_ASSERT_LINE(text, "rollcall_coordinator_last_pass_duration_seconds 0.000250");
	CU_ASSERT_LINE(text, "# TYPE rollcall_coordinator_pass_duration_seconds summary");
	CU_ASSERT_LINE(text, "rollcall_coordinator_pass_duration_seconds_sum 1.500250");
	CU_ASSERT_LINE(text, "rollcall_coordinator_pass_duration_seconds_count 2");
	CU_ASSERT_LINE(text, "rollcall_coordinator_passes_total{result=\"ok\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_passes_total{result=\"failed\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_pass_failures_total{kind=\"tsig\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_pass_failures_total{kind=\"network\"} 0");
	CU_ASSERT_LINE(text, "rollcall_coordinator_tsig_failures_total{kind=\"BADTIME\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_tsig_failures_total{kind=\"BADSIG\"} 0");
	CU_ASSERT_LINE(text, "rollcall_coordinator_plans_total 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_soa_queries_total 3");
	CU_ASSERT_LINE(text, "rollcall_coordinator_zone_transfers_total 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_updates_total 3");
	CU_ASSERT_LINE(text, "rollcall_coordinator_update_failures_total{rcode=\"NXRRSET\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_update_failures_total{rcode=\"REFUSED\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_update_failures_total{rcode=\"other\"} 1");
	CU_ASSERT_PTR_NULL(strstr(text, "rcode=\"NOERROR\""));
	CU_ASSERT_LINE(text, "rollcall_coordinator_actions_total{kind=\"expire\",result=\"applied\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_actions_total{kind=\"repair\",result=\"raced\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_actions_total{kind=\"alias\",result=\"failed\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_actions_total{kind=\"alias\",result=\"raced\"} 0");
	CU_ASSERT_LINE(text, "rollcall_coordinator_registrations{zone=\"example.test.\",pool=\"srv.example.test.\",state=\"live\"} 3");
	CU_ASSERT_LINE(text, "rollcall_coordinator_registrations{zone=\"example.test.\",pool=\"srv.example.test.\",state=\"expired\"} 2");
	CU_ASSERT_LINE(text, "rollcall_coordinator_registrations{zone=\"example.test.\",pool=\"srv.example.test.\",state=\"unreadable\"} 2");
	CU_ASSERT_LINE(text, "rollcall_coordinator_expiries_held_back{zone=\"example.test.\",pool=\"srv.example.test.\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_pool_addresses{zone=\"example.test.\",pool=\"srv.example.test.\"} 5");
	/* quotes and backslashes of names escaped in label values */
	CU_ASSERT_LINE(text, "rollcall_coordinator_registrations{zone=\"we\\\"ird\\\\.test.\",pool=\"p\\\"ool.we\\\"ird\\\\.test.\",state=\"live\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_aliases{state=\"in_sync\"} 5");
	CU_ASSERT_LINE(text, "rollcall_coordinator_aliases{state=\"out_of_sync\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_aliases{state=\"target_unresolved\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_aliases{state=\"target_missing\"} 1");
	CU_ASSERT_LINE(text, "rollcall_coordinator_aliases{state=\"misplaced\"} 0");
	CU_ASSERT_LINE(text, "rollcall_coordinator_build_info{version=\"" ROLLCALL_VERSION "\"} 1");
	/* every sample's family has HELP and TYPE before it */
	for (char *l = text; *l != '\0'; l = strchr(l, '\n') + 1) {
		char name[128], want[160];
		size_t n = strcspn(l, "{ ");

		if (l[0] == '#' || n >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)n, l);
		/* a summary's samples are its name plus _sum, _count */
		if (strstr(name, "_seconds_sum") || strstr(name, "_seconds_count"))
			*strrchr(name, '_') = '\0';
		snprintf(want, sizeof(want), "# TYPE %s ", name);
		CU_ASSERT(strstr(text, want) != NULL && strstr(text, want) < l);
	}
	free(text);
	metrics_clean(&m);
}

static void
test_escape_label(void)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "plain.example.", "plain.example." },
		{ "a\"b", "a\\\"b" },
		{ "a\\b", "a\\\\b" },
		{ "a\nb", "a\\nb" },
		{ "\\\"\n", "\\\\\\\"\\n" },
	};
	char *buf;
	size_t len;
	FILE *f;

	for (size_t i = 0; i < NELEMS(t); i++) {
		buf = NULL;
		f = open_memstream(&buf, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		metrics_escape_label(f, t[i].in);
		fclose(f);
		CU_ASSERT_STRING_EQUAL(buf, t[i].out);
		free(buf);
	}
}

/* ---- TSIG kinds from tsig_verify's own messages ---- */

#define T0	1700000000ull

static void
make_key(struct tsig_key *k, const char *name, const char *secret)
{
	char arg[256];
	struct error err;

	snprintf(arg, sizeof(arg), "hmac-sha256:%s:%s", name, secret);
	CU_ASSERT_FATAL(key_parse_y(arg, k, &err) == 0);
}

/*
 * The error tsig_verify gives for an answer to a signed query: signed by
 * srv_key (NULL: unsigned) with TSIG error tsig_error, checked at now.
 */
static struct error
verify_error(const struct tsig_key *srv_key, uint16_t tsig_error,
    uint64_t now)
{
	struct tsig_key key;
	struct tsig_ctx cli, srv;
	uint8_t *q = NULL, a[1024];
	size_t qlen, qcap, alen;
	struct error err;

	make_key(&key, "rc.example.test", "6kqImYg5sQH590MF0texACo1r4JP+NhjEXWZwwgqnXo=");
	CU_ASSERT_FATAL(query_to_wire("example.test.", DNS_TYPE_SOA, 0, 0x4242,
	    &q, &qlen, &qcap, &err) == 0);
	/* the answer: the query with QR set, before the TSIG is added */
	memcpy(a, q, qlen);
	alen = qlen;
	a[2] |= 0x80;
	tsig_init(&cli, &key);
	CU_ASSERT_FATAL(tsig_sign(&cli, q, &qlen, qcap, T0, &err) == 0);
	if (srv_key != NULL) {
		tsig_init(&srv, srv_key);
		memcpy(srv.mac, cli.mac, cli.mac_len);
		srv.mac_len = cli.mac_len;
		CU_ASSERT_FATAL(tsig_sign_answer(&srv, a, &alen, sizeof(a), T0,
		    tsig_error, T0 + 1000, &err) == 0);
		tsig_ctx_clean(&srv);
	}
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(tsig_verify(&cli, a, alen, now, NULL, &err), -1);
	tsig_ctx_clean(&cli);
	tsig_key_clean(&key);
	free(q);
	return err;
}

static void
test_tsig_kinds(void)
{
	struct tsig_key same, other_secret, other_name;
	struct error e;

	make_key(&same, "rc.example.test", "6kqImYg5sQH590MF0texACo1r4JP+NhjEXWZwwgqnXo=");
	make_key(&other_secret, "rc.example.test", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	make_key(&other_name, "other.example.test", "6kqImYg5sQH590MF0texACo1r4JP+NhjEXWZwwgqnXo=");
	e = verify_error(&same, 16, T0);
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_BADSIG);
	e = verify_error(&same, 17, T0);
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_BADKEY);
	e = verify_error(&same, 18, T0);
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_BADTIME);
	e = verify_error(&same, 22, T0);
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_BADTRUNC);
	e = verify_error(&same, 0, T0 + 1000);	/* our clock is off */
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_BADTIME);
	e = verify_error(NULL, 0, T0);
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_UNSIGNED);
	e = verify_error(&other_secret, 0, T0);
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_FORGED);
	e = verify_error(&other_name, 0, T0);
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_WRONG_KEY);
	/* not a TSIG failure at all */
	e.kind = ERR_NET;
	snprintf(e.msg, sizeof(e.msg), "no answer from 127.0.0.1#53 BADSIG");
	CU_ASSERT_EQUAL(metrics_tsig_kind(&e), MT_KINDS);
	CU_ASSERT_EQUAL(metrics_tsig_kind(NULL), MT_KINDS);
	tsig_key_clean(&same);
	tsig_key_clean(&other_secret);
	tsig_key_clean(&other_name);
}

/* ---- the textfile ---- */

static void
test_textfile(void)
{
	char dir[] = "/tmp/rc-test-metrics.XXXXXX", path[128], tmp[140];
	struct coord_metrics m;
	struct error err;
	struct stat st;
	char *want, *got;
	size_t len = 0;
	FILE *f;
	mode_t old;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rollcall.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	CU_ASSERT_FATAL(metrics_init(&m) == 0);
	m.passes_ok = 7;
	old = umask(077);
	CU_ASSERT_EQUAL(metrics_write_textfile(&m, path, &err), 0);
	/* again over an old file, beside a PATH.tmp of someone else's:
	 * the temporary file is a new one of its own (mkostemp) */
	close(open(tmp, O_WRONLY | O_CREAT, 0600));
	m.passes_ok = 8;
	CU_ASSERT_EQUAL(metrics_write_textfile(&m, path, &err), 0);
	umask(old);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);
	CU_ASSERT_EQUAL(stat(tmp, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 0);		/* left alone */
	CU_ASSERT_EQUAL(unlink(tmp), 0);
	want = rendered(&m);
	got = calloc(1, strlen(want) + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	len = fread(got, 1, strlen(want) + 1, f);
	fclose(f);
	CU_ASSERT_EQUAL(len, strlen(want));
	CU_ASSERT_STRING_EQUAL(got, want);
	CU_ASSERT_LINE(got, "rollcall_coordinator_passes_total{result=\"ok\"} 8");
	free(want);
	free(got);
	unlink(path);
	/* no temporary file left: the directory is empty */
	CU_ASSERT_EQUAL(rmdir(dir), 0);
	/* a directory that is gone: the error names the file */
	CU_ASSERT_EQUAL(metrics_write_textfile(&m, path, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "metrics_textfile: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No such file or directory"));
	metrics_clean(&m);
}

/* ---- the settings ---- */

/* Load text as a coordinator config; the diag's lines in *d. */
static int
load(const char *text, struct coord_conf *c, struct diag *d)
{
	char dir[] = "/tmp/rc-test-metricsconf.XXXXXX", path[128];
	FILE *f;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.conf", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	memset(d, 0, sizeof(*d));
	rc = conf_coord_load(path, c, d);
	unlink(path);
	rmdir(dir);
	return rc;
}

/* The diag lines with their "DIR/c.conf" stripped, joined by "|". */
static void
diag_text(const struct diag *d, char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		const char *s = strstr(d->lines[i], "c.conf");

		str_append(out, len, "%s%s", i ? "|" : "", s ? s : d->lines[i]);
	}
}

static void
test_settings(void)
{
	static const struct {
		const char	*text;
		const char	*errors;
	} bad[] = {
		{ "zones = [ \"example.test\" ];\nmetrics_listen = \"localhost\";\n",
		  "c.conf:2: metrics_listen: 'localhost' is not an IPv4 or IPv6 address" },
		{ "zones = [ \"example.test\" ];\nmetrics_port = 0;\n",
		  "c.conf:2: metrics_port: 0 is out of range 1..65535" },
		{ "zones = [ \"example.test\" ];\nmetrics_port = \"9153\";\n",
		  "c.conf:2: metrics_port: must be a whole number" },
		{ "zones = [ \"example.test\" ];\nmetrics_textfile = \"rollcall.prom\";\n",
		  "c.conf:2: metrics_textfile: 'rollcall.prom' is not an absolute path" },
		{ "zones = [ \"example.test\" ];\nmetrics_textfile = \"/var/lib/x/rollcall.txt\";\n",
		  "c.conf:2: metrics_textfile: '/var/lib/x/rollcall.txt' must be a file "
		  "name ending in .prom (the textfile collector reads only *.prom)" },
		{ "zones = [ \"example.test\" ];\nmetrics_textfile = \"/var/lib/x/.prom\";\n",
		  "c.conf:2: metrics_textfile: '/var/lib/x/.prom' must be a file "
		  "name ending in .prom (the textfile collector reads only *.prom)" },
		{ "zones = [ \"example.test\" ];\nmetrics_textfile = 9153;\n",
		  "c.conf:2: metrics_textfile: must be a string in double quotes" },
		/* one TCP port cannot serve NOTIFY and metrics */
		{ "zones = [ \"example.test\" ];\nnotify_listen = \"127.0.0.1\";\n"
		  "notify_port = 9000;\nmetrics_port = 9000;\n",
		  "c.conf:4: metrics_port: 9000 is notify_port too; give the "
		  "metrics listener a port of its own" },
		{ "zones = [ \"example.test\" ];\nnotify_listen = \"::\";\n"
		  "metrics_listen = \"127.0.0.1\";\nmetrics_port = 5300;\n",
		  "c.conf:4: metrics_port: 5300 is notify_port too; give the "
		  "metrics listener a port of its own" },
	};
	struct coord_conf c;
	struct diag d;
	char got[2048];

	/* defaults: no listener, no textfile */
	CU_ASSERT_EQUAL_FATAL(load("zones = [ \"example.test\" ];\n", &c, &d), 0);
	CU_ASSERT_FALSE(c.metrics_http);
	CU_ASSERT_STRING_EQUAL(c.metrics_listen, "127.0.0.1");
	CU_ASSERT_EQUAL(c.metrics_port, 9153);
	CU_ASSERT_STRING_EQUAL(c.metrics_textfile, "");
	conf_coord_clean(&c);
	/* either setting turns the listener on; the other keeps its default */
	CU_ASSERT_EQUAL_FATAL(load("zones = [ \"example.test\" ];\n"
	    "metrics_port = 9200;\n", &c, &d), 0);
	CU_ASSERT_TRUE(c.metrics_http);
	CU_ASSERT_STRING_EQUAL(c.metrics_listen, "127.0.0.1");
	CU_ASSERT_EQUAL(c.metrics_port, 9200);
	conf_coord_clean(&c);
	CU_ASSERT_EQUAL_FATAL(load("zones = [ \"example.test\" ];\n"
	    "metrics_listen = \"::1\";\nmetrics_textfile = "
	    "\"/var/lib/prometheus/node-exporter/rollcall.prom\";\n"
	    "notify_listen = \"::1\";\n", &c, &d), 0);
	CU_ASSERT_TRUE(c.metrics_http);
	CU_ASSERT_STRING_EQUAL(c.metrics_listen, "::1");
	CU_ASSERT_EQUAL(c.metrics_port, 9153);
	CU_ASSERT_STRING_EQUAL(c.metrics_textfile,
	    "/var/lib/prometheus/node-exporter/rollcall.prom");
	conf_coord_clean(&c);
	for (size_t i = 0; i < NELEMS(bad); i++) {
		CU_ASSERT_EQUAL(load(bad[i].text, &c, &d), -1);
		diag_text(&d, got, sizeof(got));
		if (strcmp(got, bad[i].errors) != 0)
			fprintf(stderr, "\ncase %zu: got %s\n", i, got);
		CU_ASSERT_STRING_EQUAL(got, bad[i].errors);
	}
}

void
suite_metrics(void)
{
	CU_pSuite s = test_add_suite("metrics");

	test_add(s, "fold and render", test_fold_and_render);
	test_add(s, "label escaping", test_escape_label);
	test_add(s, "TSIG failure kinds", test_tsig_kinds);
	test_add(s, "textfile", test_textfile);
	test_add(s, "settings", test_settings);
}
