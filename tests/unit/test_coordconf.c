/*
 * test_coordconf.c - the coordinator's config: every setting read into its
 * field, the defaults, every error reported as "file:LINE: setting: reason"
 * with the right line (single settings in file order, then the whole-file
 * checks: zones, duplicates, cycles), the alias cycle check, the size
 * limits, and the min_members / zone_of lookups.  Config files are written
 * into a fresh mkdtemp directory per load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "suites.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct tmp {
	char	dir[64];
	char	path[128];
};

/* Write text to a new file "coordinator.conf" in a new directory. */
static const char *
cc_write(struct tmp *t, const char *text)
{
	FILE *f;

	snprintf(t->dir, sizeof(t->dir), "/tmp/rc-test-coordconf.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/coordinator.conf", t->dir);
	f = fopen(t->path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_FATAL(fputs(text, f) >= 0);
	CU_ASSERT_FATAL(fclose(f) == 0);
	return t->path;
}

static void
cc_unlink(struct tmp *t)
{
	unlink(t->path);
	rmdir(t->dir);
}

static void
cc_dump(const char *what, const struct diag *d)
{
	size_t i;

	fprintf(stderr, "\n%s: %zu line(s), %zu dropped\n", what, d->n,
	    d->dropped);
	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  %s\n", d->lines[i]);
}

/* Load text (dumping the diag when rc is not the expected one). */
static int
cc_load(const char *text, struct coord_conf *c, struct diag *d, int want_rc)
{
	struct tmp t;
	int rc;

	memset(d, 0, sizeof(*d));
	cc_write(&t, text);
	rc = conf_coord_load(t.path, c, d);
	cc_unlink(&t);
	if (rc != want_rc)
		cc_dump("unexpected result", d);
	return rc;
}

/* The lines of d are exactly path + want[i], in order. */
static void
cc_check_diag(const char *path, const struct diag *d,
    const char *const *want, size_t nwant, const char *what)
{
	char line[600];
	size_t i;
	int bad = d->n != nwant || d->dropped != 0;

	for (i = 0; !bad && i < nwant; i++) {
		snprintf(line, sizeof(line), "%s%s", path, want[i]);
		bad = strcmp(d->lines[i], line) != 0;
	}
	if (bad)
		cc_dump(what, d);
	CU_ASSERT_EQUAL(d->n, nwant);
	CU_ASSERT_EQUAL(d->dropped, 0);
	for (i = 0; i < nwant && i < d->n; i++) {
		snprintf(line, sizeof(line), "%s%s", path, want[i]);
		CU_ASSERT_STRING_EQUAL(d->lines[i], line);
	}
}

/* After a failed load nothing is left: no arrays, no values. */
static void
assert_cleaned(const struct coord_conf *c)
{
	CU_ASSERT_PTR_NULL(c->pools);
	CU_ASSERT_PTR_NULL(c->aliases);
	CU_ASSERT_EQUAL(c->npools, 0);
	CU_ASSERT_EQUAL(c->naliases, 0);
	CU_ASSERT_EQUAL(c->nzones, 0);
	CU_ASSERT_STRING_EQUAL(c->path, "");
}

/* ---- valid configs -------------------------------------------------- */

static const char full_conf[] =
    "# every setting\n"
    "servers = [ \"192.0.2.53\", \"2001:db8::53\" ];\n"
    "port = 5353;\n"
    "key_file = \"/etc/rollcall/coordinator.key\";\n"
    "key_name = \"Coord-Key\";\n"
    "timeout = 20;\n"
    "udp_timeout = 2;\n"
    "retries = 0;\n"
    "tcp = true;\n"
    "resolver = \"127.0.0.1\";\n"
    "resolver_port = 5301;\n"
    "zones = [ \"Example.Test\", \"sub.example.test.\", \"example.org\" ];\n"
    "grace = 0;\n"
    "pools = (\n"
    "  { name = \"srv.example.test\"; min_members = 2; },\n"
    "  { name = \"API.sub.example.test\"; },  # the global one, set below\n"
    "  { name = \"a.example.org\"; min_members = 0; }\n"
    ");\n"
    "min_members = 3;\n"
    "poll = 3600;\n"
    "notify_listen = \"::1\";\n"
    "notify_port = 5400;\n"
    "aliases = (\n"
    "  { name = \"MX1.example.test\"; targets = [ \"host1.example.test\" ]; },\n"
    "  { name = \"example.test\"; targets = [ \"www.cdn.example.net\" ];\n"
    "    ttl = 300; },\n"
    "  { name = \"pool.example.test\";\n"
    "    targets = [ \"host1.example.test\", \"Host2.example.test.\",\n"
    "                \"srv.example.test\", \"mx1.example.test\" ];\n"
    "    on_missing = \"remove\"; ttl = 0; },\n"
    "  { name = \"x.example.org\"; targets = ( \"pool.example.test\" );\n"
    "    on_missing = \"keep\"; ttl = 2147483647; }\n"
    ");\n";

static void
test_full(void)
{
	struct coord_conf c;
	struct diag d;
	const struct coord_alias *a;

	CU_ASSERT_EQUAL_FATAL(cc_load(full_conf, &c, &d, 0), 0);
	CU_ASSERT_EQUAL(d.n, 0);
	/* shared settings, read by the agent's code */
	CU_ASSERT_EQUAL_FATAL(c.net.nservers, 2);
	CU_ASSERT_STRING_EQUAL(c.net.servers[0], "192.0.2.53");
	CU_ASSERT_STRING_EQUAL(c.net.servers[1], "2001:db8::53");
	CU_ASSERT_EQUAL(c.net.port, 5353);
	CU_ASSERT_STRING_EQUAL(c.net.zone, "");
	CU_ASSERT_STRING_EQUAL(c.net.key_file, "/etc/rollcall/coordinator.key");
	CU_ASSERT_STRING_EQUAL(c.net.key_name, "coord-key.");
	CU_ASSERT_EQUAL(c.net.timeout, 20);
	CU_ASSERT_EQUAL(c.net.udp_timeout, 2);
	CU_ASSERT_EQUAL(c.net.retries, 0);
	CU_ASSERT_TRUE(c.net.tcp);
	CU_ASSERT_STRING_EQUAL(c.net.resolver, "127.0.0.1");
	CU_ASSERT_EQUAL(c.net.resolver_port, 5301);
	/* the coordinator's own */
	CU_ASSERT_EQUAL_FATAL(c.nzones, 3);
	CU_ASSERT_STRING_EQUAL(c.zones[0], "example.test.");
	CU_ASSERT_STRING_EQUAL(c.zones[1], "sub.example.test.");
	CU_ASSERT_STRING_EQUAL(c.zones[2], "example.org.");
	CU_ASSERT_EQUAL(c.grace, 0);
	CU_ASSERT_EQUAL(c.min_members, 3);
	CU_ASSERT_EQUAL(c.poll, 3600);
	CU_ASSERT_STRING_EQUAL(c.notify_listen, "::1");
	CU_ASSERT_EQUAL(c.notify_port, 5400);
	/* pools: sorted by name */
	CU_ASSERT_EQUAL_FATAL(c.npools, 3);
	CU_ASSERT_STRING_EQUAL(c.pools[0].name, "a.example.org.");
	CU_ASSERT_EQUAL(c.pools[0].min_members, 0);
	CU_ASSERT_STRING_EQUAL(c.pools[1].name, "api.sub.example.test.");
	CU_ASSERT_EQUAL(c.pools[1].min_members, 3);
	CU_ASSERT_STRING_EQUAL(c.pools[2].name, "srv.example.test.");
	CU_ASSERT_EQUAL(c.pools[2].min_members, 2);
	/* aliases: in file order; chains through aliases are fine */
	CU_ASSERT_EQUAL_FATAL(c.naliases, 4);
	a = &c.aliases[0];
	CU_ASSERT_STRING_EQUAL(a->name, "mx1.example.test.");
	CU_ASSERT_EQUAL_FATAL(a->ntargets, 1);
	CU_ASSERT_STRING_EQUAL(a->targets[0], "host1.example.test.");
	CU_ASSERT_EQUAL(a->ttl, 0);
	CU_ASSERT_FALSE(a->ttl_set);
	CU_ASSERT_EQUAL(a->on_missing, ON_MISSING_KEEP);
	a = &c.aliases[1];
	CU_ASSERT_STRING_EQUAL(a->name, "example.test.");
	CU_ASSERT_EQUAL_FATAL(a->ntargets, 1);
	CU_ASSERT_STRING_EQUAL(a->targets[0], "www.cdn.example.net.");
	CU_ASSERT_EQUAL(a->ttl, 300);
	CU_ASSERT_TRUE(a->ttl_set);
	CU_ASSERT_EQUAL(a->on_missing, ON_MISSING_KEEP);
	a = &c.aliases[2];
	CU_ASSERT_STRING_EQUAL(a->name, "pool.example.test.");
	CU_ASSERT_EQUAL_FATAL(a->ntargets, 4);
	CU_ASSERT_STRING_EQUAL(a->targets[0], "host1.example.test.");
	CU_ASSERT_STRING_EQUAL(a->targets[1], "host2.example.test.");
	CU_ASSERT_STRING_EQUAL(a->targets[2], "srv.example.test.");
	CU_ASSERT_STRING_EQUAL(a->targets[3], "mx1.example.test.");
	CU_ASSERT_EQUAL(a->ttl, 0);
	CU_ASSERT_TRUE(a->ttl_set);	/* given as 0: not "unset" */
	CU_ASSERT_EQUAL(a->on_missing, ON_MISSING_REMOVE);
	a = &c.aliases[3];
	CU_ASSERT_STRING_EQUAL(a->name, "x.example.org.");
	CU_ASSERT_EQUAL_FATAL(a->ntargets, 1);
	CU_ASSERT_STRING_EQUAL(a->targets[0], "pool.example.test.");
	CU_ASSERT_EQUAL(a->ttl, 2147483647);
	CU_ASSERT_TRUE(a->ttl_set);
	CU_ASSERT_EQUAL(a->on_missing, ON_MISSING_KEEP);
	conf_coord_clean(&c);
	assert_cleaned(&c);
}

static void
test_defaults(void)
{
	struct coord_conf c;
	struct diag d;

	CU_ASSERT_EQUAL_FATAL(cc_load("zones = [ \"example.test\" ];\n", &c,
	    &d, 0), 0);
	CU_ASSERT_EQUAL(c.net.nservers, 0);
	CU_ASSERT_EQUAL(c.net.port, CONF_DEFAULT_PORT);
	CU_ASSERT_STRING_EQUAL(c.net.key_file, "");
	CU_ASSERT_STRING_EQUAL(c.net.key_name, "");
	CU_ASSERT_EQUAL(c.net.timeout, CONF_DEFAULT_TIMEOUT);
	CU_ASSERT_EQUAL(c.net.udp_timeout, CONF_DEFAULT_UDP_TIMEOUT);
	CU_ASSERT_EQUAL(c.net.retries, CONF_DEFAULT_RETRIES);
	CU_ASSERT_FALSE(c.net.tcp);
	CU_ASSERT_STRING_EQUAL(c.net.resolver, "");
	CU_ASSERT_EQUAL(c.net.resolver_port, 53);
	CU_ASSERT_EQUAL_FATAL(c.nzones, 1);
	CU_ASSERT_STRING_EQUAL(c.zones[0], "example.test.");
	CU_ASSERT_EQUAL(c.grace, 30);
	CU_ASSERT_EQUAL(c.grace, CONF_DEFAULT_GRACE);
	CU_ASSERT_EQUAL(c.min_members, 1);
	CU_ASSERT_EQUAL(c.poll, 1);
	CU_ASSERT_STRING_EQUAL(c.notify_listen, "");
	CU_ASSERT_EQUAL(c.notify_port, 5300);
	CU_ASSERT_EQUAL(c.npools, 0);
	CU_ASSERT_PTR_NULL(c.pools);
	CU_ASSERT_EQUAL(c.naliases, 0);
	CU_ASSERT_PTR_NULL(c.aliases);
	CU_ASSERT_STRING_NOT_EQUAL(c.path, "");
	conf_coord_clean(&c);

	/* empty lists are fine; a listed pool without min_members takes the
	 * global one; an alias without ttl/on_missing gets 0/unset/keep */
	CU_ASSERT_EQUAL_FATAL(cc_load("zones = ( \"example.test\" );\n"
	    "pools = ( );\naliases = ( );\n", &c, &d, 0), 0);
	CU_ASSERT_EQUAL(c.npools, 0);
	CU_ASSERT_EQUAL(c.naliases, 0);
	conf_coord_clean(&c);
	CU_ASSERT_EQUAL_FATAL(cc_load("zones = [ \"example.test\" ];\n"
	    "pools = ( { name = \"srv.example.test\"; } );\n"
	    "aliases = ( { name = \"a.example.test\";\n"
	    "  targets = [ \"a.example.org\" ]; } );\n", &c, &d, 0), 0);
	CU_ASSERT_EQUAL_FATAL(c.npools, 1);
	CU_ASSERT_EQUAL(c.pools[0].min_members, CONF_DEFAULT_MIN_MEMBERS);
	CU_ASSERT_EQUAL_FATAL(c.naliases, 1);
	CU_ASSERT_EQUAL(c.aliases[0].ttl, 0);
	CU_ASSERT_FALSE(c.aliases[0].ttl_set);
	CU_ASSERT_EQUAL(c.aliases[0].on_missing, ON_MISSING_KEEP);
	conf_coord_clean(&c);

	/* the bounds themselves are accepted */
	CU_ASSERT_EQUAL_FATAL(cc_load("zones = [ \"example.test\" ];\n"
	    "grace = 31536000;\nmin_members = 0;\npoll = 1;\n"
	    "notify_listen = \"0.0.0.0\";\nnotify_port = 65535;\n"
	    "pools = ( { name = \"example.test\"; min_members = 65535; } );\n",
	    &c, &d, 0), 0);
	CU_ASSERT_EQUAL(c.grace, 31536000);
	CU_ASSERT_EQUAL(c.min_members, 0);
	CU_ASSERT_EQUAL(c.notify_port, 65535);
	CU_ASSERT_EQUAL(c.pools[0].min_members, 65535);
	conf_coord_clean(&c);
}

/* The example in packaging/ loads and says what it shows. */
static void
test_packaged_example(void)
{
	static const char self[] = "tests/unit/test_coordconf.c";
	char path[4096];
	struct coord_conf c;
	struct diag d;
	size_t n = strlen(__FILE__);
	int rc;

	/* __FILE__ is absolute under CMake, relative to the top otherwise */
	CU_ASSERT_FATAL(n >= strlen(self) &&
	    strcmp(&__FILE__[n - strlen(self)], self) == 0);
	snprintf(path, sizeof(path), "%.*spackaging/coordinator.conf",
	    (int)(n - strlen(self)), __FILE__);
	if (access(path, R_OK) != 0)
		fprintf(stderr, "\ncannot read %s\n", path);
	memset(&d, 0, sizeof(d));
	rc = conf_coord_load(path, &c, &d);
	if (rc != 0)
		cc_dump(path, &d);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(c.nzones, 1);
	CU_ASSERT_EQUAL(c.grace, CONF_DEFAULT_GRACE);
	CU_ASSERT_EQUAL(c.poll, CONF_DEFAULT_POLL);
	CU_ASSERT_EQUAL(c.min_members, CONF_DEFAULT_MIN_MEMBERS);
	CU_ASSERT_EQUAL(c.notify_port, CONF_DEFAULT_NOTIFY_PORT);
	CU_ASSERT_EQUAL(c.npools, 1);
	CU_ASSERT_EQUAL(conf_coord_min_members(&c, "srv.example.test."), 2);
	CU_ASSERT_EQUAL_FATAL(c.naliases, 3);
	CU_ASSERT_EQUAL(c.aliases[2].on_missing, ON_MISSING_REMOVE);
	conf_coord_clean(&c);
}

/* ---- errors --------------------------------------------------------- */

/* One load reports every problem, each with its line: single settings in
 * file order, then the checks over the whole file. */
static void
test_all_errors(void)
{
	static const char text[] =
	    "# coordinator\n"
	    "zones = [ \"example.test\" ];\n"
	    "zone = \"example.test\";\n"
	    "grace = -1;\n"
	    "aliases = (\n"
	    "  { name = \"a.example.test\"; targets = [ \"b.example.test\" ]; },\n"
	    "  { name = \"b.example.test\";\n"
	    "    targets = [ \"a.example.test\", \"c.example.test\",\n"
	    "                \"A.example.test.\" ]; },\n"
	    "  { name = \"outside.example.org\"; targets = [ \"x.example.test\" ];\n"
	    "    on_missing = \"maybe\"; },\n"
	    "  { name = \"a.example.test\"; targets = [ \"y.example.test\" ]; },\n"
	    "  { targets = [ \"z.example.test\" ]; }\n"
	    ");\n"
	    "poll = 0;\n"
	    "colour = \"blue\";\n"
	    "pools = ( { name = \"srv.example.test\"; min_members = 2; },\n"
	    "          { name = \"srv.example.org\"; } );\n"
	    "notify_listen = \"localhost\";\n";
	static const char *const want[] = {
		":3: zone: agent setting; the coordinator uses zones",
		":4: grace: -1 is out of range 0..31536000",
		":9: targets: target a.example.test. listed twice",
		":11: on_missing: 'maybe' must be \"keep\" or \"remove\"",
		":13: alias: missing name",
		":15: poll: 0 is out of range 1..3600",
		":16: colour: unknown setting",
		":19: notify_listen: 'localhost' is not an IPv4 or IPv6 address",
		/* whole-file checks: aliases (line 5) before pools (17) */
		":10: aliases: alias outside.example.org. is not inside a "
		    "managed zone",
		":12: aliases: alias a.example.test. listed twice",
		":18: pools: pool srv.example.org. is not inside a managed zone",
		":6: aliases: cycle: a.example.test. -> b.example.test. -> "
		    "a.example.test.",
	};
	struct coord_conf c;
	struct diag d;
	struct tmp t;

	memset(&d, 0, sizeof(d));
	cc_write(&t, text);
	CU_ASSERT_EQUAL(conf_coord_load(t.path, &c, &d), -1);
	cc_check_diag(t.path, &d, want, NELEMS(want), "all errors");
	assert_cleaned(&c);
	cc_unlink(&t);
}

/* Generated inputs of the bad table. */
static char zones65[4096], targets17[2048];

static void
make_generated(void)
{
	size_t len, i;

	len = (size_t)snprintf(zones65, sizeof(zones65), "zones = [\n");
	for (i = 0; i < CONF_MAX_ZONES + 1; i++)
		len += (size_t)snprintf(zones65 + len, sizeof(zones65) - len,
		    "\"z%zu.test\"%s\n", i, i < CONF_MAX_ZONES ? "," : " ];");
	len = (size_t)snprintf(targets17, sizeof(targets17),
	    "zones = [ \"example.test\" ];\n"
	    "aliases = ( { name = \"a.example.test\"; targets = [\n");
	for (i = 0; i < CONF_MAX_TARGETS + 1; i++)
		len += (size_t)snprintf(targets17 + len, sizeof(targets17) - len,
		    "\"t%zu.example.test\"%s\n", i,
		    i < CONF_MAX_TARGETS ? "," : " ]; } );");
}

#define Z	"zones = [ \"example.test\" ];\n"

static void
test_bad_table(void)
{
	const struct {
		const char	*text;
		const char	*want[4];	/* after the path */
	} t[] = {
		/* zones */
		{ "",
		    { ": zones: no managed zone: list them, zones = "
		    "[ \"example.test\" ];" } },
		{ "grace = 5;\n",
		    { ": zones: no managed zone: list them, zones = "
		    "[ \"example.test\" ];" } },
		{ "zones = [ ];\n", { ":1: zones: is empty" } },
		{ "zones = ( );\n", { ":1: zones: is empty" } },
		{ "zones = \"example.test\";\n",
		    { ":1: zones: must be a list of zone names: "
		    "[\"example.test\", ...]" } },
		{ "zones = [ \"a..b\" ];\n",
		    { ":1: zones: 'a..b' is not a valid domain name: empty "
		    "label" } },
		{ "zones = [ \"example.test\",\n \"bad zone\" ];\n",
		    { ":2: zones: 'bad zone' is not a valid domain name: "
		    "invalid character in name" } },
		{ "zones = [ \".\" ];\n",
		    { ":1: zones: '.' is not a valid domain name: empty name" } },
		{ "zones = ( \"example.test\", 5 );\n",
		    { ":1: zones: must be a string in double quotes" } },
		{ "zones = [ \"example.test\", \"Example.Test.\" ];\n",
		    { ":1: zones: zone example.test. listed twice" } },
		{ zones65, { ":66: zones: more than 64 zones" } },
		/* a bad zone list is one error, not one per alias as well */
		{ "zones = [ \"bad!\" ];\naliases = ( { name = \"a.example.test\";"
		    " targets = [ \"b.example.test\" ]; } );\n",
		    { ":1: zones: 'bad!' is not a valid domain name: invalid "
		    "character in name" } },
		/* agent settings */
		{ Z "zone = \"example.test\";\n",
		    { ":2: zone: agent setting; the coordinator uses zones" } },
		{ Z "host_id = \"h\";\n",
		    { ":2: host_id: agent setting; the coordinator has no host "
		    "id" } },
		{ Z "lease = 180;\n",
		    { ":2: lease: agent setting; agents give their lease, the "
		    "coordinator adds grace" } },
		{ Z "ttl = 60;\n",
		    { ":2: ttl: agent setting; give an alias its ttl in "
		    "aliases" } },
		/* unknown */
		{ Z "colour = \"blue\";\n", { ":2: colour: unknown setting" } },
		{ Z "Grace = 5;\n", { ":2: Grace: unknown setting" } },
		/* plain numbers */
		{ Z "grace = -1;\n",
		    { ":2: grace: -1 is out of range 0..31536000" } },
		{ Z "grace = 31536001;\n",
		    { ":2: grace: 31536001 is out of range 0..31536000" } },
		{ Z "grace = \"30\";\n", { ":2: grace: must be a whole number" } },
		{ Z "min_members = -1;\n",
		    { ":2: min_members: -1 is out of range 0..65535" } },
		{ Z "min_members = 65536;\n",
		    { ":2: min_members: 65536 is out of range 0..65535" } },
		{ Z "poll = 0;\n", { ":2: poll: 0 is out of range 1..3600" } },
		{ Z "poll = 3601;\n",
		    { ":2: poll: 3601 is out of range 1..3600" } },
		{ Z "poll = 1.5;\n", { ":2: poll: must be a whole number" } },
		/* libconfig 1.5 keeps only an int of these: 4294967297 would
		 * be read as 1 and pass; each is reported by its own text */
		{ Z "poll = 4294967297;\n",
		    { ":2: poll: 4294967297 is out of range 1..3600" } },
		{ Z "poll = 0x100000001;\n",
		    { ":2: poll: 0x100000001 is out of range 1..3600" } },
		{ Z "grace = 2147483648;\n",
		    { ":2: grace: 2147483648 is out of range 0..31536000" } },
		{ Z "grace = -4294967295;\n",
		    { ":2: grace: -4294967295 is out of range 0..31536000" } },
		{ Z "grace =\n  99999999999999999999;\n",
		    { ":2: grace: 99999999999999999999 is out of range "
		    "0..31536000" } },
		{ Z "grace = 99999999999999999999L;\n",
		    { ":2: grace: 99999999999999999999 is out of range "
		    "0..31536000" } },
		{ Z "timeout = 4294967306; # \"timeout = 1\" 7\n",
		    { ":2: timeout: 4294967306 is out of range 1..3600" } },
		{ Z "aliases = ( { name = \"a.example.test\"; ttl = 1;\n"
		    "  targets = [ \"b.example.test\" ]; },\n"
		    "  { name = \"c.example.test\"; ttl = 4294967297; /* 1 */\n"
		    "    targets = [ \"b.example.test\" ]; } );\n",
		    { ":4: ttl: 4294967297 is out of range 0..2147483647" } },
		/* NOTIFY listener */
		{ Z "notify_listen = \"localhost\";\n",
		    { ":2: notify_listen: 'localhost' is not an IPv4 or IPv6 "
		    "address" } },
		{ Z "notify_listen = \"127.0.0.1:5300\";\n",
		    { ":2: notify_listen: '127.0.0.1:5300' is not an IPv4 or "
		    "IPv6 address" } },
		{ Z "notify_listen = 127;\n",
		    { ":2: notify_listen: must be a string in double quotes" } },
		{ Z "notify_port = 0;\n",
		    { ":2: notify_port: 0 is out of range 1..65535" } },
		/* shared settings go through the agent's code */
		{ Z "port = 0;\n", { ":2: port: 0 is out of range 1..65535" } },
		{ Z "server = \"ns1.example.test\";\n",
		    { ":2: server: 'ns1.example.test' is not an IPv4 or IPv6 "
		    "address" } },
		{ Z "server = \"192.0.2.1\";\nservers = [ \"192.0.2.2\" ];\n",
		    { ":3: servers: give either server or servers, not both" } },
		{ Z "resolver = \"localhost\";\n",
		    { ":2: resolver: 'localhost' is not an IPv4 or IPv6 "
		    "address" } },
		{ Z "tcp = 1;\n", { ":2: tcp: must be true or false" } },
		{ Z "udp_timeout = 301;\n",
		    { ":2: udp_timeout: 301 is out of range 1..300" } },
		/* pools */
		{ Z "pools = ( { name = \"srv.example.org\"; } );\n",
		    { ":2: pools: pool srv.example.org. is not inside a managed "
		    "zone" } },
		{ Z "pools = ( { name = \"srvexample.test\"; } );\n",
		    { ":2: pools: pool srvexample.test. is not inside a managed "
		    "zone" } },
		{ Z "pools = ( { min_members = 2; } );\n",
		    { ":2: pool: missing name" } },
		{ Z "pools = ( { name = \"p.example.test\"; min = 2; } );\n",
		    { ":2: min: unknown pool setting" } },
		{ Z "pools = ( { name = \"p.example.test\"; min_members = -1; "
		    "} );\n",
		    { ":2: min_members: -1 is out of range 0..65535" } },
		{ Z "pools = ( { name = \"p example.test\"; } );\n",
		    { ":2: name: 'p example.test' is not a valid domain name: "
		    "invalid character in name" } },
		{ Z "pools = (\n { name = \"p.example.test\"; },\n"
		    " { name = \"P.example.test.\"; },\n"
		    " { name = \"p.example.test\"; }\n);\n",
		    { ":4: pools: pool p.example.test. listed twice",
		    ":5: pools: pool p.example.test. listed twice" } },
		{ Z "pools = { name = \"p.example.test\"; };\n",
		    { ":2: pools: must be a list of groups: ( { name = \"...\"; "
		    "... } )" } },
		{ Z "pools = ( \"p.example.test\" );\n",
		    { ":2: pools: each pool must be a group: { name = \"...\"; "
		    "min_members = N; }" } },
		/* aliases: single settings */
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"b.example.test\" ];\n"
		    "  on_missing = \"maybe\"; } );\n",
		    { ":4: on_missing: 'maybe' must be \"keep\" or \"remove\"" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"b.example.test\" ];\n"
		    "  on_missing = \"Keep\"; } );\n",
		    { ":4: on_missing: 'Keep' must be \"keep\" or \"remove\"" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"b.example.test\" ]; on_missing = true; } );\n",
		    { ":3: on_missing: must be \"keep\" or \"remove\"" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ ]; } );\n",
		    { ":3: targets: is empty" } },
		{ Z "aliases = ( { name = \"a.example.test\"; } );\n",
		    { ":2: alias: missing targets" } },
		{ Z "aliases = ( { targets = [ \"b.example.test\" ]; } );\n",
		    { ":2: alias: missing name" } },
		{ Z "aliases = ( { ttl = 5; } );\n",
		    { ":2: alias: missing name", ":2: alias: missing targets" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = \"b.example.test\"; } );\n",
		    { ":3: targets: must be a list of names: "
		    "[\"host1.example.test\", ...]" } },
		{ targets17, { ":19: targets: more than 16 targets" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"b.example.test\",\n\"b..example.test\" ]; } );\n",
		    { ":4: targets: 'b..example.test' is not a valid domain "
		    "name: empty label" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"b.example.test\", \"B.Example.Test.\" ]; } );\n",
		    { ":3: targets: target b.example.test. listed twice" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"b.example.test\" ]; ttl = -1; } );\n",
		    { ":3: ttl: -1 is out of range 0..2147483647" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"b.example.test\" ]; ttl = 2147483648; } );\n",
		    { ":3: ttl: 2147483648 is out of range 0..2147483647" } },
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"b.example.test\" ]; tll = 5; } );\n",
		    { ":3: tll: unknown alias setting" } },
		{ Z "aliases = ( \"a.example.test\" );\n",
		    { ":2: aliases: each alias must be a group: { name = "
		    "\"...\"; targets = [ ... ]; }" } },
		{ Z "aliases = [ \"a.example.test\" ];\n",
		    { ":2: aliases: must be a list of groups: ( { name = "
		    "\"...\"; ... } )" } },
		/* aliases: whole-file checks */
		{ Z "aliases = ( { name = \"a.example.org\";\n"
		    "  targets = [ \"b.example.test\" ]; } );\n",
		    { ":2: aliases: alias a.example.org. is not inside a managed "
		    "zone" } },
		{ Z "aliases = ( { name = \"xexample.test\";\n"
		    "  targets = [ \"b.example.test\" ]; } );\n",
		    { ":2: aliases: alias xexample.test. is not inside a managed "
		    "zone" } },
		{ Z "aliases = (\n"
		    "  { name = \"a.example.test\"; targets = [ \"x.example.org\" ]; },\n"
		    "  { name = \"A.Example.Test.\"; targets = [ \"y.example.org\" ]; }\n"
		    ");\n",
		    { ":4: aliases: alias a.example.test. listed twice" } },
		{ Z "pools = ( { name = \"srv.example.test\"; } );\n"
		    "aliases = ( { name = \"srv.example.test\";\n"
		    "  targets = [ \"b.example.test\" ]; } );\n",
		    { ":3: aliases: srv.example.test. is a pool (in pools) and "
		    "cannot be an alias too" } },
		/* cycles */
		{ Z "aliases = ( { name = \"a.example.test\";\n"
		    "  targets = [ \"x.example.org\", \"A.example.test\" ]; } );\n",
		    { ":2: aliases: cycle: a.example.test. -> a.example.test." } },
		{ Z "aliases = (\n"
		    "  { name = \"a.example.test\"; targets = [ \"b.example.test\" ]; },\n"
		    "  { name = \"b.example.test\"; targets = [ \"a.example.test\" ]; }\n"
		    ");\n",
		    { ":3: aliases: cycle: a.example.test. -> b.example.test. -> "
		    "a.example.test." } },
		{ Z "aliases = (\n"
		    "  { name = \"c.example.test\"; targets = [ \"h.example.test\",\n"
		    "      \"a.example.test\" ]; },\n"
		    "  { name = \"a.example.test\"; targets = [ \"b.example.test\" ]; },\n"
		    "  { name = \"b.example.test\"; targets = [ \"www.example.org\",\n"
		    "      \"c.example.test\" ]; }\n"
		    ");\n",
		    { ":3: aliases: cycle: c.example.test. -> a.example.test. -> "
		    "b.example.test. -> c.example.test." } },
	};
	struct coord_conf c;
	struct diag d;
	struct tmp tf;
	char what[32];
	size_t i, n;

	make_generated();
	for (i = 0; i < NELEMS(t); i++) {
		memset(&d, 0, sizeof(d));
		cc_write(&tf, t[i].text);
		CU_ASSERT_EQUAL(conf_coord_load(tf.path, &c, &d), -1);
		for (n = 0; n < NELEMS(t[i].want) && t[i].want[n] != NULL; n++)
			;
		snprintf(what, sizeof(what), "bad config row %zu", i);
		cc_check_diag(tf.path, &d, t[i].want, n, what);
		assert_cleaned(&c);
		cc_unlink(&tf);
	}
}

/*
 * Cycles over a larger graph: each reported once, named from the alias
 * where the search re-entered it; an alias leading into a cycle, a chain
 * through aliases and a pool, and names outside are no cycles.
 */
static void
test_cycles(void)
{
	static const char text[] =
	    Z
	    "pools = ( { name = \"srv.example.test\"; } );\n"
	    "aliases = (\n"
	    "  { name = \"a.example.test\"; targets = [ \"b.example.test\" ]; },\n"
	    "  { name = \"b.example.test\"; targets = [ \"a.example.test\",\n"
	    "      \"c.example.test\" ]; },\n"
	    "  { name = \"c.example.test\"; targets = [ \"a.example.test\" ]; },\n"
	    "  { name = \"d.example.test\"; targets = [ \"d.example.test\" ]; },\n"
	    "  { name = \"e.example.test\"; targets = [ \"f.example.test\",\n"
	    "      \"srv.example.test\", \"g.example.test\" ]; },\n"
	    "  { name = \"g.example.test\"; targets = [ \"a.example.test\",\n"
	    "      \"www.example.org\" ]; },\n"
	    "  { name = \"n0.example.test\"; targets = [ \"n1.example.test\" ]; },\n"
	    "  { name = \"n1.example.test\"; targets = [ \"n2.example.test\" ]; },\n"
	    "  { name = \"n2.example.test\"; targets = [ \"n3.example.test\" ]; },\n"
	    "  { name = \"n3.example.test\"; targets = [ \"n4.example.test\" ]; },\n"
	    "  { name = \"n4.example.test\"; targets = [ \"n5.example.test\" ]; },\n"
	    "  { name = \"n5.example.test\"; targets = [ \"n6.example.test\" ]; },\n"
	    "  { name = \"n6.example.test\"; targets = [ \"n7.example.test\" ]; },\n"
	    "  { name = \"n7.example.test\"; targets = [ \"n8.example.test\" ]; },\n"
	    "  { name = \"n8.example.test\"; targets = [ \"n9.example.test\" ]; },\n"
	    "  { name = \"n9.example.test\"; targets = [ \"n0.example.test\" ]; }\n"
	    ");\n";
	static const char *const want[] = {
		":4: aliases: cycle: a.example.test. -> b.example.test. -> "
		    "a.example.test.",
		":4: aliases: cycle: a.example.test. -> b.example.test. -> "
		    "c.example.test. -> a.example.test.",
		":8: aliases: cycle: d.example.test. -> d.example.test.",
		":13: aliases: cycle: n0.example.test. -> n1.example.test. -> "
		    "n2.example.test. -> n3.example.test. -> n4.example.test. -> "
		    "n5.example.test. -> ... (3 more) -> n9.example.test. -> "
		    "n0.example.test.",
	};
	static const char chain[] =
	    Z
	    "pools = ( { name = \"srv.example.test\"; } );\n"
	    "aliases = (\n"
	    "  { name = \"example.test\"; targets = [ \"mx.example.test\",\n"
	    "      \"www.example.test\" ]; },\n"
	    "  { name = \"mx.example.test\"; targets = [ \"www.example.test\" ]; },\n"
	    "  { name = \"www.example.test\"; targets = [ \"srv.example.test\",\n"
	    "      \"cdn.example.net\" ]; }\n"
	    ");\n";
	struct coord_conf c;
	struct diag d;
	struct tmp t;

	memset(&d, 0, sizeof(d));
	cc_write(&t, text);
	CU_ASSERT_EQUAL(conf_coord_load(t.path, &c, &d), -1);
	cc_check_diag(t.path, &d, want, NELEMS(want), "cycles");
	cc_unlink(&t);

	/* a diamond through aliases is no cycle */
	CU_ASSERT_EQUAL(cc_load(chain, &c, &d, 0), 0);
	CU_ASSERT_EQUAL(c.naliases, 3);
	conf_coord_clean(&c);
}

/* n pools, p0.example.test. .. (line 3 ..), min_members i % 1000. */
static void
pools_text(char *text, size_t cap, size_t n)
{
	size_t len, i;

	len = (size_t)snprintf(text, cap, Z "pools = (\n");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "%s{ name = \"p%zu.example.test\"; min_members = %zu; }\n",
		    i ? "," : "", i, i % 1000);
	snprintf(text + len, cap - len, ");\n");
}

/* Every alias and pool is found in a sorted index, so big lists load
 * fast; one past each limit is an error at that entry's line. */
static void
test_limits(void)
{
	size_t cap = 8 << 20, len, i;
	char *text = malloc(cap), line[400], name[64];
	int bad;
	struct coord_conf c;
	struct diag d;
	struct tmp t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);

	/* CONF_MAX_ALIASES aliases in one ring: one cycle, with its length */
	len = (size_t)snprintf(text, cap, Z "aliases = (\n");
	for (i = 0; i < CONF_MAX_ALIASES; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "%s{ name = \"a%zu.example.test\"; targets = "
		    "[ \"a%zu.example.test\" ]; }\n", i ? "," : "", i,
		    (i + 1) % CONF_MAX_ALIASES);
	snprintf(text + len, cap - len, ");\n");
	CU_ASSERT_EQUAL(cc_load(text, &c, &d, -1), -1);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	snprintf(line, sizeof(line), ":3: aliases: cycle: a0.example.test. -> "
	    "a1.example.test. -> a2.example.test. -> a3.example.test. -> "
	    "a4.example.test. -> a5.example.test. -> ... (%d more) -> "
	    "a%d.example.test. -> a0.example.test.", CONF_MAX_ALIASES - 7,
	    CONF_MAX_ALIASES - 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.lines[0], line));

	/* ... and as a chain, without the closing edge, it loads */
	len = (size_t)snprintf(text, cap, Z "aliases = (\n");
	for (i = 0; i < CONF_MAX_ALIASES; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "%s{ name = \"a%zu.example.test\"; targets = "
		    "[ \"a%zu.example.test\" ]; }\n", i ? "," : "", i, i + 1);
	snprintf(text + len, cap - len, ");\n");
	CU_ASSERT_EQUAL(cc_load(text, &c, &d, 0), 0);
	CU_ASSERT_EQUAL(c.naliases, CONF_MAX_ALIASES);
	conf_coord_clean(&c);

	/* one alias too many */
	len = (size_t)snprintf(text, cap, Z "aliases = (\n");
	for (i = 0; i < CONF_MAX_ALIASES + 1; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "%s{ name = \"a%zu.example.test\"; targets = "
		    "[ \"h.example.test\" ]; }\n", i ? "," : "", i);
	snprintf(text + len, cap - len, ");\n");
	CU_ASSERT_EQUAL(cc_load(text, &c, &d, -1), -1);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	snprintf(line, sizeof(line), ":%d: aliases: more than %d aliases",
	    CONF_MAX_ALIASES + 3, CONF_MAX_ALIASES);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.lines[0], line));
	assert_cleaned(&c);

	/* many pools load, each found by lookup in the sorted array */
	pools_text(text, cap, 20000);
	memset(&d, 0, sizeof(d));
	cc_write(&t, text);
	CU_ASSERT_EQUAL_FATAL(conf_coord_load(t.path, &c, &d), 0);
	CU_ASSERT_EQUAL(c.npools, 20000);
	for (i = 0, bad = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "p%zu.example.test.", i);
		bad += conf_coord_min_members(&c, name) != i % 1000;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(conf_coord_min_members(&c, "p20000.example.test."),
	    CONF_DEFAULT_MIN_MEMBERS);
	conf_coord_clean(&c);
	cc_unlink(&t);

	/* one pool too many is the only error: the first CONF_MAX_COORD_POOLS
	 * were fine (one file this size: they are slow under valgrind) */
	pools_text(text, cap, CONF_MAX_COORD_POOLS + 1);
	memset(&d, 0, sizeof(d));
	cc_write(&t, text);
	CU_ASSERT_EQUAL(conf_coord_load(t.path, &c, &d), -1);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	snprintf(line, sizeof(line), "%s:%d: pools: more than %d pools", t.path,
	    CONF_MAX_COORD_POOLS + 3, CONF_MAX_COORD_POOLS);
	CU_ASSERT_STRING_EQUAL(d.lines[0], line);
	assert_cleaned(&c);
	cc_unlink(&t);
	free(text);
}

static void
test_file_errors(void)
{
	struct coord_conf c;
	struct diag d;
	char path[128], line[256];
	struct tmp t;

	memset(&d, 0, sizeof(d));
	snprintf(path, sizeof(path), "/nonexistent/rc-%d/coordinator.conf",
	    (int)getpid());
	CU_ASSERT_EQUAL(conf_coord_load(path, &c, &d), -1);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	snprintf(line, sizeof(line), "%s: cannot read file", path);
	CU_ASSERT_STRING_EQUAL(d.lines[0], line);
	assert_cleaned(&c);

	memset(&d, 0, sizeof(d));
	/* (a missing ';' is no error in libconfig: settings need no end) */
	cc_write(&t, Z "grace = 30\npoll = ;\n");
	CU_ASSERT_EQUAL(conf_coord_load(t.path, &c, &d), -1);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	snprintf(line, sizeof(line), "%s:3: syntax error", t.path);
	CU_ASSERT_STRING_EQUAL(d.lines[0], line);
	assert_cleaned(&c);
	cc_unlink(&t);
}

/* Lines already in the diag are the caller's: they do not fail a load.
 * Clean takes NULL and runs twice. */
static void
test_diag_and_clean(void)
{
	struct coord_conf c;
	struct diag d;
	struct tmp t;

	memset(&d, 0, sizeof(d));
	diag_add(&d, "earlier problem");
	cc_write(&t, Z);
	CU_ASSERT_EQUAL(conf_coord_load(t.path, &c, &d), 0);
	CU_ASSERT_EQUAL(d.n, 1);
	cc_unlink(&t);
	conf_coord_clean(&c);
	conf_coord_clean(&c);
	assert_cleaned(&c);
	conf_coord_clean(NULL);

	/* more errors than the diag keeps: counted, and still a failure */
	memset(&d, 0, sizeof(d));
	cc_write(&t, Z "a0 = 1;\na1 = 1;\na2 = 1;\na3 = 1;\na4 = 1;\na5 = 1;\n"
	    "a6 = 1;\na7 = 1;\na8 = 1;\na9 = 1;\nb0 = 1;\nb1 = 1;\nb2 = 1;\n"
	    "b3 = 1;\nb4 = 1;\nb5 = 1;\nb6 = 1;\nb7 = 1;\nb8 = 1;\nb9 = 1;\n"
	    "c0 = 1;\nc1 = 1;\n");
	CU_ASSERT_EQUAL(conf_coord_load(t.path, &c, &d), -1);
	CU_ASSERT_EQUAL(d.n, CONF_MAX_ERRORS);
	CU_ASSERT_EQUAL(d.dropped, 2);
	assert_cleaned(&c);
	cc_unlink(&t);
}

/* ---- lookups -------------------------------------------------------- */

static void
test_lookups(void)
{
	static const char text[] =
	    "zones = [ \"example.test\", \"sub.example.test\", \"example.org\","
	    " \"deep.a.sub.example.test\" ];\n"
	    "min_members = 4;\n"
	    "pools = ( { name = \"srv.example.test\"; min_members = 2; },\n"
	    "  { name = \"zero.example.org\"; min_members = 0; },\n"
	    "  { name = \"srv.sub.example.test\"; min_members = 7; } );\n";
	static const struct {
		const char	*name;
		uint32_t	 min;
	} mm[] = {
		{ "srv.example.test.", 2 },
		{ "zero.example.org.", 0 },
		{ "srv.sub.example.test.", 7 },
		{ "web.example.test.", 4 },	/* not listed: global */
		{ "x.srv.example.test.", 4 },	/* below a pool: not it */
		{ "example.test.", 4 },
		{ "srv.example.test", 4 },	/* not normalised: no match */
		{ "", 4 },
	};
	static const struct {
		const char	*name;
		const char	*zone;		/* NULL: none */
	} zo[] = {
		{ "example.test.", "example.test." },
		{ "srv.example.test.", "example.test." },
		{ "sub.example.test.", "sub.example.test." },
		{ "srv.sub.example.test.", "sub.example.test." },
		{ "a.sub.example.test.", "sub.example.test." },
		{ "deep.a.sub.example.test.", "deep.a.sub.example.test." },
		{ "x.deep.a.sub.example.test.", "deep.a.sub.example.test." },
		{ "xsub.example.test.", "example.test." },
		{ "www.example.org.", "example.org." },
		{ "xexample.test.", NULL },
		{ "example.net.", NULL },
		{ "test.", NULL },
		{ "", NULL },
	};
	struct coord_conf c;
	struct diag d;
	const char *z;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(cc_load(text, &c, &d, 0), 0);
	for (i = 0; i < NELEMS(mm); i++) {
		uint32_t got = conf_coord_min_members(&c, mm[i].name);

		if (got != mm[i].min)
			fprintf(stderr, "\nmin_members(%s) = %u, want %u\n",
			    mm[i].name, got, mm[i].min);
		CU_ASSERT_EQUAL(got, mm[i].min);
	}
	for (i = 0; i < NELEMS(zo); i++) {
		z = conf_coord_zone_of(&c, zo[i].name);
		if (zo[i].zone == NULL) {
			CU_ASSERT_PTR_NULL(z);
		} else {
			CU_ASSERT_PTR_NOT_NULL(z);
			if (z != NULL)
				CU_ASSERT_STRING_EQUAL(z, zo[i].zone);
		}
	}
	conf_coord_clean(&c);

	/* no pools listed: always the global value */
	CU_ASSERT_EQUAL_FATAL(cc_load(Z "min_members = 0;\n", &c, &d, 0), 0);
	CU_ASSERT_EQUAL(conf_coord_min_members(&c, "srv.example.test."), 0);
	CU_ASSERT_STRING_EQUAL(conf_coord_zone_of(&c, "a.example.test."),
	    "example.test.");
	conf_coord_clean(&c);
}

void
suite_coordconf(void)
{
	CU_pSuite s = test_add_suite("coordconf");

	test_add(s, "every setting", test_full);
	test_add(s, "defaults and bounds", test_defaults);
	test_add(s, "packaged example", test_packaged_example);
	test_add(s, "all errors of one file, with lines", test_all_errors);
	test_add(s, "bad config table", test_bad_table);
	test_add(s, "alias cycles", test_cycles);
	test_add(s, "limits of pools and aliases", test_limits);
	test_add(s, "missing file, syntax error", test_file_errors);
	test_add(s, "diag kept, clean", test_diag_and_clean);
	test_add(s, "min_members and zone_of", test_lookups);
}
