/*
 * test_conf.c - the agent's config: every setting read into its field,
 * the defaults, every error reported as "file:LINE: setting: reason" with
 * the right line, and the checks of conf_agent_finish.  Config files are
 * written into a fresh mkdtemp directory per test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "numparse.h"
#include "suites.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct tmp {
	char	dir[64];
	char	path[128];
};

/* Write text to a new file "agent.conf" in a new directory. */
static const char *
conf_write(struct tmp *t, const char *text)
{
	FILE *f;

	snprintf(t->dir, sizeof(t->dir), "/tmp/rc-test-conf.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/agent.conf", t->dir);
	f = fopen(t->path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_FATAL(fputs(text, f) >= 0);
	CU_ASSERT_FATAL(fclose(f) == 0);
	return t->path;
}

static void
conf_unlink(struct tmp *t)
{
	unlink(t->path);
	rmdir(t->dir);
}

/* Load text; the diag lines are left in *d. */
static int
load_text(const char *text, struct agent_conf *c, struct diag *d)
{
	struct tmp t;
	int rc;

	memset(d, 0, sizeof(*d));
	conf_write(&t, text);
	rc = conf_agent_load(t.path, c, d);
	conf_unlink(&t);
	return rc;
}

static void
dump_diag(const char *what, const struct diag *d)
{
	size_t i;

	fprintf(stderr, "\n%s: %zu line(s)\n", what, d->n);
	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  %s\n", d->lines[i]);
}

/* The line the loader writes when host_id is absent and the host name
 * is no label, or "" when the host name would do. */
static void
hostname_id(char *id, size_t idlen)
{
	char host[256], *dot;

	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	if ((dot = strchr(host, '.')) != NULL)
		*dot = '\0';
	snprintf(id, idlen, "%s", host);
}

static void
addr_is(const struct reg_addr *a, const char *text)
{
	char buf[64];

	reg_addr_format(a, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, text);
}

/* ---- valid configs -------------------------------------------------- */

static const char full_conf[] =
    "# every setting\n"
    "server = \"192.0.2.53\";\n"
    "port = 5353;\n"
    "zone = \"Example.Test\";\n"
    "key_file = \"/etc/rollcall/agent.key\";\n"
    "key_name = \"Agent-Key\";\n"
    "host_id = \"Web-01\";\n"
    "lease = 600;\n"
    "timeout = 20;\n"
    "udp_timeout = 2;\n"
    "retries = 0;\n"
    "tcp = true;\n"
    "resolver = \"2001:db8::53\";\n"
    "resolver_port = 5300;\n"
    "pools = (\n"
    "  { name = \"srv.example.test\";\n"
    "    addresses = [ \"192.0.2.11\", \"2001:DB8:0::11\" ];\n"
    "    ttl = 10; },\n"
    "  { name = \"API.example.test.\"; addresses = \"auto\"; },\n"
    "  { name = \"web.example.test\"; }\n"
    ");\n"
    "ttl = 30;   # after pools: still their default\n";

static void
test_full(void)
{
	struct agent_conf *c = calloc(1, sizeof(*c));
	struct diag d;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	rc = load_text(full_conf, c, &d);
	if (rc != 0)
		dump_diag("full", &d);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(d.n, 0);
	CU_ASSERT_EQUAL_FATAL(c->net.nservers, 1);
	CU_ASSERT_STRING_EQUAL(c->net.servers[0], "192.0.2.53");
	CU_ASSERT_EQUAL(c->net.port, 5353);
	CU_ASSERT_STRING_EQUAL(c->net.zone, "example.test.");
	CU_ASSERT_STRING_EQUAL(c->net.key_file, "/etc/rollcall/agent.key");
	CU_ASSERT_STRING_EQUAL(c->net.key_name, "agent-key.");
	CU_ASSERT_EQUAL(c->net.timeout, 20);
	CU_ASSERT_EQUAL(c->net.udp_timeout, 2);
	CU_ASSERT_EQUAL(c->net.retries, 0);
	CU_ASSERT_TRUE(c->net.tcp);
	CU_ASSERT_STRING_EQUAL(c->net.resolver, "2001:db8::53");
	CU_ASSERT_EQUAL(c->net.resolver_port, 5300);
	/* a host id is a DNS label: lower-cased (RFC 4343) */
	CU_ASSERT_STRING_EQUAL(c->host_id, "web-01");
	CU_ASSERT_EQUAL(c->lease, 600);
	CU_ASSERT_EQUAL(c->ttl, 30);
	CU_ASSERT_EQUAL_FATAL(c->npools, 3);
	CU_ASSERT_STRING_EQUAL(c->pools[0].name, "srv.example.test.");
	CU_ASSERT_EQUAL(c->pools[0].ttl, 10);
	CU_ASSERT_FALSE(c->pools[0].auto_addrs);
	CU_ASSERT_EQUAL_FATAL(c->pools[0].naddrs, 2);
	addr_is(&c->pools[0].addrs[0], "192.0.2.11");
	addr_is(&c->pools[0].addrs[1], "2001:db8::11");
	CU_ASSERT_STRING_EQUAL(c->pools[1].name, "api.example.test.");
	CU_ASSERT_EQUAL(c->pools[1].ttl, 30);
	CU_ASSERT_TRUE(c->pools[1].auto_addrs);
	CU_ASSERT_EQUAL(c->pools[1].naddrs, 0);
	CU_ASSERT_STRING_EQUAL(c->pools[2].name, "web.example.test.");
	CU_ASSERT_EQUAL(c->pools[2].ttl, 30);
	CU_ASSERT_TRUE(c->pools[2].auto_addrs);
	CU_ASSERT_EQUAL(c->pools[2].naddrs, 0);

	memset(&d, 0, sizeof(d));
	CU_ASSERT_EQUAL(conf_agent_finish(c, &d), 0);
	CU_ASSERT_EQUAL(d.n, 0);
	free(c);
}

static void
test_servers_list(void)
{
	struct agent_conf *c = calloc(1, sizeof(*c));
	struct diag d;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	rc = load_text("host_id = \"h\";\n"
	    "servers = [ \"192.0.2.53\", \"2001:db8::53\", \"127.0.0.1\" ];\n"
	    "pools = ( { name = \"p.example.test\"; ttl = 0; } );\n", c, &d);
	if (rc != 0)
		dump_diag("servers", &d);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL_FATAL(c->net.nservers, 3);
	CU_ASSERT_STRING_EQUAL(c->net.servers[0], "192.0.2.53");
	CU_ASSERT_STRING_EQUAL(c->net.servers[1], "2001:db8::53");
	CU_ASSERT_STRING_EQUAL(c->net.servers[2], "127.0.0.1");
	CU_ASSERT_EQUAL(c->pools[0].ttl, 0);

	/* a list in parentheses is accepted as well as an array */
	rc = load_text("host_id = \"h\";\n"
	    "servers = ( \"192.0.2.1\", \"192.0.2.2\" );\n", c, &d);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(c->net.nservers, 2);
	free(c);
}

static void
test_defaults(void)
{
	struct agent_conf *c = calloc(1, sizeof(*c));
	struct conf_net n;
	struct diag d;
	char host[256];
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	rc = load_text("host_id = \"h\";\n"
	    "pools = ( { name = \"srv.example.test\"; } );\n", c, &d);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(c->net.nservers, 0);
	CU_ASSERT_EQUAL(c->net.port, 53);
	CU_ASSERT_STRING_EQUAL(c->net.zone, "");
	CU_ASSERT_STRING_EQUAL(c->net.key_file, "");
	CU_ASSERT_STRING_EQUAL(c->net.key_name, "");
	CU_ASSERT_EQUAL(c->net.timeout, 30);
	CU_ASSERT_EQUAL(c->net.udp_timeout, 3);
	CU_ASSERT_EQUAL(c->net.retries, 3);
	CU_ASSERT_FALSE(c->net.tcp);
	CU_ASSERT_STRING_EQUAL(c->net.resolver, "");
	CU_ASSERT_EQUAL(c->net.resolver_port, 53);
	CU_ASSERT_EQUAL(c->lease, 180);
	CU_ASSERT_EQUAL(c->ttl, 60);
	CU_ASSERT_EQUAL_FATAL(c->npools, 1);
	CU_ASSERT_EQUAL(c->pools[0].ttl, 60);
	CU_ASSERT_TRUE(c->pools[0].auto_addrs);

	conf_net_defaults(&n);
	CU_ASSERT_EQUAL(n.port, CONF_DEFAULT_PORT);
	CU_ASSERT_EQUAL(n.timeout, CONF_DEFAULT_TIMEOUT);
	CU_ASSERT_EQUAL(n.udp_timeout, CONF_DEFAULT_UDP_TIMEOUT);
	CU_ASSERT_EQUAL(n.retries, CONF_DEFAULT_RETRIES);
	CU_ASSERT_EQUAL(n.resolver_port, CONF_DEFAULT_PORT);
	CU_ASSERT_EQUAL(n.nservers, 0);

	/* an empty file is a valid config; host_id is the short host name */
	hostname_id(host, sizeof(host));
	rc = load_text("", c, &d);
	if (label_check(host, &(const char *){ NULL }) == 0) {
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_STRING_EQUAL(c->host_id, host);
	} else {
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_EQUAL(d.n, 1);
	}
	CU_ASSERT_EQUAL(c->npools, 0);
	free(c);
}

/* ---- errors --------------------------------------------------------- */

static void
check_diag(const char *path, const struct diag *d, const char *const *want,
    size_t nwant, const char *what)
{
	char line[600];
	size_t i;
	int bad = d->n != nwant;

	for (i = 0; !bad && i < nwant; i++) {
		snprintf(line, sizeof(line), "%s%s", path, want[i]);
		bad = strcmp(d->lines[i], line) != 0;
	}
	if (bad)
		dump_diag(what, d);
	CU_ASSERT_EQUAL(d->n, nwant);
	for (i = 0; i < nwant && i < d->n; i++) {
		snprintf(line, sizeof(line), "%s%s", path, want[i]);
		CU_ASSERT_STRING_EQUAL(d->lines[i], line);
	}
}

/* One load reports every problem, in file order, each with its line. */
static void
test_all_errors(void)
{
	static const char text[] =
	    "# line 1\n"
	    "port = 0;\n"
	    "zone = \"example.test\";\n"
	    "host_id = \"a.b\";\n"
	    "lease = 5;\n"
	    "colour = \"blue\";\n"
	    "pools = (\n"
	    "  { name = \"srv.example.test\";\n"
	    "    addresses = [ \"192.0.2.1\",\n"
	    "                  \"192.0.2.999\" ]; },\n"
	    "  { addresses = [ \"192.0.2.2\" ]; },\n"
	    "  { name = \"SRV.example.test.\"; tll = 5; }\n"
	    ");\n"
	    "timeout = \"30\";\n";
	static const char *const want[] = {
		":2: port: 0 is out of range 1..65535",
		(":4: host_id: 'a.b' may hold only letters, digits, '-' and '_' "
		    "(a single DNS label, no dots)"),
		":5: lease: 5 is out of range 10..31536000",
		":6: colour: unknown setting",
		":10: addresses: '192.0.2.999' is not an IPv4 or IPv6 address",
		":11: pool: missing name",
		":12: tll: unknown pool setting",
		":12: pools: pool srv.example.test. listed twice",
		":14: timeout: must be a whole number",
	};
	struct agent_conf *c = calloc(1, sizeof(*c));
	struct diag d;
	struct tmp t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memset(&d, 0, sizeof(d));
	conf_write(&t, text);
	CU_ASSERT_EQUAL(conf_agent_load(t.path, c, &d), -1);
	check_diag(t.path, &d, want, NELEMS(want), "all errors");
	conf_unlink(&t);
	free(c);
}

/* The diag keeps the first CONF_MAX_ERRORS lines and counts the rest. */
static void
test_many_errors(void)
{
	char text[4096];
	struct agent_conf *c = calloc(1, sizeof(*c));
	struct diag d;
	size_t len = 0, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	len += (size_t)snprintf(text + len, sizeof(text) - len,
	    "host_id = \"h\";\n");
	for (i = 0; i < CONF_MAX_ERRORS + 5; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "bad%zu = 1;\n", i);
	CU_ASSERT_EQUAL(load_text(text, c, &d), -1);
	CU_ASSERT_EQUAL(d.n, CONF_MAX_ERRORS);
	CU_ASSERT_EQUAL(d.dropped, 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.lines[0], ":2: bad0: unknown setting"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d.lines[CONF_MAX_ERRORS - 1],
	    ":21: bad19: unknown setting"));
	free(c);
}

static void
test_bad_table(void)
{
	char nine[1024], pools65[8192], addrs33[4096], id64[80], host[256];
	char hostline[400], longname[400];
	size_t len, i;
	const char *hostwhy = NULL;
	int host_ok;
	const struct {
		const char	*text;
		const char	*want[3];	/* after the path */
		int		 noid;	/* host_id unset: the host name may
					 * add a line of its own */
	} t[] = {
		{ "host_id = \"h\";\nport = 53\nzone = = \"x\";\n",
		    { ":3: syntax error" }, 0 },
		{ "host_id = \"h\";\nport = 53;\nport = 54;\n",
		    { ":3: duplicate setting name" }, 0 },
		{ "host_id = \"h\";\nsever = \"192.0.2.1\";\n",
		    { ":2: sever: unknown setting" }, 0 },
		{ "host_id = \"h\";\nport = 0;\n",
		    { ":2: port: 0 is out of range 1..65535" }, 0 },
		{ "host_id = \"h\";\nport = 70000;\n",
		    { ":2: port: 70000 is out of range 1..65535" }, 0 },
		{ "host_id = \"h\";\nport = -1;\n",
		    { ":2: port: -1 is out of range 1..65535" }, 0 },
		{ "host_id = \"h\";\nport = \"53\";\n",
		    { ":2: port: must be a whole number" }, 0 },
		{ "host_id = \"h\";\nport = 53.0;\n",
		    { ":2: port: must be a whole number" }, 0 },
		{ "host_id = \"h\";\nresolver_port = 0;\n",
		    { ":2: resolver_port: 0 is out of range 1..65535" }, 0 },
		{ "host_id = \"h\";\nport = 4294967349L;\n",
		    { ":2: port: 4294967349 is out of range 1..65535" }, 0 },
		{ "host_id = \"a.b\";\n",
		    { ":1: host_id: 'a.b' may hold only letters, digits, '-' "
		    "and '_' (a single DNS label, no dots)" }, 0 },
		{ "host_id = \"\";\n",
		    { ":1: host_id: '' must be 1 to 63 characters" }, 1 },
		{ id64, { ":1: host_id: value too long" }, 1 },
		{ "host_id = \"-x\";\n",
		    { ":1: host_id: '-x' must not start or end with '-'" }, 0 },
		{ "host_id = 7;\n",
		    { ":1: host_id: must be a string in double quotes" }, 1 },
		{ "host_id = \"h\";\nserver = \"ns1.example.test\";\n",
		    { ":2: server: 'ns1.example.test' is not an IPv4 or IPv6 "
		    "address" }, 0 },
		{ "host_id = \"h\";\nserver = \"192.0.2.1#53\";\n",
		    { ":2: server: '192.0.2.1#53' is not an IPv4 or IPv6 "
		    "address" }, 0 },
		{ "host_id = \"h\";\nserver = \"192.0.2.1\";\n"
		    "servers = [ \"192.0.2.2\" ];\n",
		    { ":3: servers: give either server or servers, not both" },
		    0 },
		{ "host_id = \"h\";\nservers = [ \"192.0.2.2\" ];\n"
		    "server = \"192.0.2.1\";\n",
		    { ":3: server: give either server or servers, not both" },
		    0 },
		{ "host_id = \"h\";\nservers = [ ];\n",
		    { ":2: servers: is empty" }, 0 },
		{ "host_id = \"h\";\nservers = \"192.0.2.1\";\n",
		    { ":2: servers: must be a list of addresses: "
		    "[\"192.0.2.53\", ...]" }, 0 },
		{ "host_id = \"h\";\nservers = [ \"192.0.2.1\",\n"
		    "  \"bad\" ];\n",
		    { ":3: servers: 'bad' is not an IPv4 or IPv6 address" }, 0 },
		{ nine, { ":11: servers: more than 8 servers" }, 0 },
		{ "host_id = \"h\";\nresolver = \"localhost\";\n",
		    { ":2: resolver: 'localhost' is not an IPv4 or IPv6 "
		    "address" }, 0 },
		{ "host_id = \"h\";\nzone = \"a..b\";\n",
		    { ":2: zone: 'a..b' is not a valid domain name: empty "
		    "label" }, 0 },
		{ "host_id = \"h\";\nzone = \".\";\n",
		    { ":2: zone: '.' is not a valid domain name: empty name" },
		    0 },
		{ longname, { ":2: zone: value too long" }, 0 },
		{ "host_id = \"h\";\nkey_name = \"bad key\";\n",
		    { ":2: key_name: 'bad key' is not a valid domain name: "
		    "invalid character in name" }, 0 },
		{ "host_id = \"h\";\ntimeout = 0;\n",
		    { ":2: timeout: 0 is out of range 1..3600" }, 0 },
		{ "host_id = \"h\";\nudp_timeout = 301;\n",
		    { ":2: udp_timeout: 301 is out of range 1..300" }, 0 },
		{ "host_id = \"h\";\nretries = 21;\n",
		    { ":2: retries: 21 is out of range 0..20" }, 0 },
		{ "host_id = \"h\";\ntcp = 1;\n",
		    { ":2: tcp: must be true or false" }, 0 },
		{ "host_id = \"h\";\nttl = -1;\n",
		    { ":2: ttl: -1 is out of range 0..2147483647" }, 0 },
		{ "host_id = \"h\";\nlease = 5;\n",
		    { ":2: lease: 5 is out of range 10..31536000" }, 0 },
		{ "host_id = \"h\";\nlease = 31536001;\n",
		    { ":2: lease: 31536001 is out of range 10..31536000" }, 0 },
		/* pools */
		{ "host_id = \"h\";\npools = ( { ttl = 5; } );\n",
		    { ":2: pool: missing name" }, 0 },
		{ "host_id = \"h\";\npools = (\n { name = \"p.test\"; },\n"
		    " { name = \"P.test.\"; }\n);\n",
		    { ":4: pools: pool p.test. listed twice" }, 0 },
		{ "host_id = \"h\";\npools = ( { name = \"p test\"; } );\n",
		    { ":2: name: 'p test' is not a valid domain name: invalid "
		    "character in name" }, 0 },
		/* two bad names: two errors, not a "listed twice" as well */
		{ "host_id = \"h\";\npools = ( { name = \"srv!a\"; },\n"
		    "{ name = \"srv!b\"; } );\n",
		    { ":2: name: 'srv!a' is not a valid domain name: invalid "
		    "character in name",
		    ":3: name: 'srv!b' is not a valid domain name: invalid "
		    "character in name" }, 0 },
		{ "host_id = \"h\";\npools = ( { name = \"p.test\";\n"
		    "  addresses = [ \"192.0.2.1\", \"192.0.2.300\" ]; } );\n",
		    { ":3: addresses: '192.0.2.300' is not an IPv4 or IPv6 "
		    "address" }, 0 },
		{ "host_id = \"h\";\npools = ( { name = \"p.test\";\n"
		    "  addresses = [ ]; } );\n",
		    { ":3: addresses: is empty (leave it out or say \"auto\" to "
		    "use the address toward the server)" }, 0 },
		{ "host_id = \"h\";\npools = ( { name = \"p.test\";\n"
		    "  addresses = [ \"2001:db8::1\",\n\"2001:DB8::1\" ]; } );\n",
		    { ":4: addresses: address 2001:DB8::1 listed twice" }, 0 },
		{ "host_id = \"h\";\npools = ( { name = \"p.test\";\n"
		    "  addresses = \"manual\"; } );\n",
		    { ":3: addresses: must be \"auto\" or a list of addresses" },
		    0 },
		{ "host_id = \"h\";\npools = ( { name = \"p.test\";\n"
		    "  addresses = [ 1 ]; } );\n",
		    { ":3: addresses: must be a string in double quotes" }, 0 },
		{ addrs33, { ":35: addresses: more than 32 addresses" }, 0 },
		{ "host_id = \"h\";\npools = ( { name = \"p.test\";\n"
		    "  tll = 5; } );\n",
		    { ":3: tll: unknown pool setting" }, 0 },
		{ "host_id = \"h\";\npools = ( { name = \"p.test\";\n"
		    "  ttl = -5; } );\n",
		    { ":3: ttl: -5 is out of range 0..2147483647" }, 0 },
		{ "host_id = \"h\";\npools = { name = \"p.test\"; };\n",
		    { ":2: pools: must be a list of groups: ( { name = "
		    "\"...\"; } )" }, 0 },
		{ "host_id = \"h\";\npools = ( \"p.test\" );\n",
		    { ":2: pools: each pool must be a group: { name = \"...\"; }" },
		    0 },
		{ pools65, { ":67: pools: more than 64 pools" }, 0 },
	};
	struct agent_conf *c = calloc(1, sizeof(*c));
	struct diag d;
	struct tmp tf;
	char what[32];

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	/* generated inputs */
	memset(host, 'h', 64);
	host[64] = '\0';
	snprintf(id64, sizeof(id64), "host_id = \"%.64s\";\n", host);
	len = (size_t)snprintf(nine, sizeof(nine), "host_id = \"h\";\n"
	    "servers = [\n");
	for (i = 0; i < 9; i++)
		len += (size_t)snprintf(nine + len, sizeof(nine) - len,
		    "\"192.0.2.%zu\"%s\n", i + 1, i < 8 ? "," : " ];");
	len = (size_t)snprintf(pools65, sizeof(pools65), "host_id = \"h\";\n"
	    "pools = (\n");
	for (i = 0; i < CONF_MAX_POOLS + 1; i++)
		len += (size_t)snprintf(pools65 + len, sizeof(pools65) - len,
		    "%s{ name = \"p%zu.test\"; }\n", i ? "," : "", i);
	snprintf(pools65 + len, sizeof(pools65) - len, ");\n");
	len = (size_t)snprintf(addrs33, sizeof(addrs33), "host_id = \"h\";\n"
	    "pools = ( { name = \"p.test\"; addresses = [\n");
	for (i = 0; i < REG_MAX_ADDRS + 1; i++)
		len += (size_t)snprintf(addrs33 + len, sizeof(addrs33) - len,
		    "\"192.0.2.%zu\"%s\n", i + 1,
		    i < REG_MAX_ADDRS ? "," : " ]; } );");
	/* a zone of 300 characters: longer than any name */
	len = (size_t)snprintf(longname, sizeof(longname),
	    "host_id = \"h\";\nzone = \"");
	for (i = len; len < i + 300;)
		len += (size_t)snprintf(longname + len, sizeof(longname) - len,
		    "abcdefghi.");
	snprintf(longname + len, sizeof(longname) - len, "\";\n");

	/* an unusable host name adds its own line where host_id is unset */
	hostname_id(host, sizeof(host));
	host_ok = label_check(host, &hostwhy) == 0;

	for (i = 0; i < NELEMS(t); i++) {
		const char *want[4];
		size_t n;

		memset(&d, 0, sizeof(d));
		conf_write(&tf, t[i].text);
		CU_ASSERT_EQUAL(conf_agent_load(tf.path, c, &d), -1);
		for (n = 0; n < 3 && t[i].want[n] != NULL; n++)
			want[n] = t[i].want[n];
		if (t[i].noid && !host_ok) {
			snprintf(hostline, sizeof(hostline), ": host_id not set "
			    "and the host name '%s' %s", host, hostwhy);
			want[n++] = hostline;
		}
		snprintf(what, sizeof(what), "bad config row %zu", i);
		check_diag(tf.path, &d, want, n, what);
		conf_unlink(&tf);
	}
	free(c);
}

static void
test_missing_file(void)
{
	struct agent_conf *c = calloc(1, sizeof(*c));
	struct diag d;
	char path[128];

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memset(&d, 0, sizeof(d));
	snprintf(path, sizeof(path), "/nonexistent/rc-%d/agent.conf",
	    (int)getpid());
	CU_ASSERT_EQUAL(conf_agent_load(path, c, &d), -1);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	CU_ASSERT_EQUAL(strncmp(d.lines[0], path, strlen(path)), 0);
	CU_ASSERT_STRING_EQUAL(d.lines[0] + strlen(path), ": cannot read file");
	free(c);
}

/* ---- conf_agent_finish ---------------------------------------------- */

static void
test_finish(void)
{
	struct agent_conf *c = calloc(1, sizeof(*c));
	char text[1024], h63[64], pool[300], line[1024];
	struct diag d;
	struct tmp t;
	size_t plen;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);

	/* no pools */
	memset(&d, 0, sizeof(d));
	conf_write(&t, "host_id = \"h\";\nzone = \"example.test\";\n");
	CU_ASSERT_EQUAL_FATAL(conf_agent_load(t.path, c, &d), 0);
	CU_ASSERT_EQUAL(conf_agent_finish(c, &d), -1);
	snprintf(line, sizeof(line), "%s: pools: no pool configured", t.path);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	CU_ASSERT_STRING_EQUAL(d.lines[0], line);
	conf_unlink(&t);

	/* pools outside the zone, one of them only by a suffix */
	memset(&d, 0, sizeof(d));
	conf_write(&t, "host_id = \"h\";\nzone = \"example.test\";\n"
	    "pools = ( { name = \"srv.example.test\"; },\n"
	    "  { name = \"srv.example.org\"; },\n"
	    "  { name = \"xexample.test\"; },\n"
	    "  { name = \"example.test\"; } );\n");
	CU_ASSERT_EQUAL_FATAL(conf_agent_load(t.path, c, &d), 0);
	CU_ASSERT_EQUAL(conf_agent_finish(c, &d), -1);
	CU_ASSERT_EQUAL_FATAL(d.n, 2);
	snprintf(line, sizeof(line), "%s:4: pools: srv.example.org. is not "
	    "inside zone example.test.", t.path);
	CU_ASSERT_STRING_EQUAL(d.lines[0], line);
	snprintf(line, sizeof(line), "%s:5: pools: xexample.test. is not "
	    "inside zone example.test.", t.path);
	CU_ASSERT_STRING_EQUAL(d.lines[1], line);
	/* no zone (it will be discovered): nothing to check against */
	c->net.zone[0] = '\0';
	memset(&d, 0, sizeof(d));
	CU_ASSERT_EQUAL(conf_agent_finish(c, &d), 0);
	conf_unlink(&t);

	/*
	 * H._rollcall.P must stay within 254 characters with its final dot
	 * (255 octets on the wire): host_id of 63 characters leaves 180 for
	 * the pool name with its dot.
	 */
	memset(h63, 'h', 63);
	h63[63] = '\0';
	for (plen = 180; plen <= 181; plen++) {
		/* "a.b.c....test" of plen characters, dot included */
		size_t k;

		for (k = 0; k + 1 < plen - 5; k += 2) {
			pool[k] = 'a';
			pool[k + 1] = '.';
		}
		if (k < plen - 5)
			pool[k++] = 'b';
		memcpy(pool + k, "test.", 6);
		CU_ASSERT_EQUAL_FATAL(strlen(pool), plen);
		snprintf(text, sizeof(text), "host_id = \"%s\";\n"
		    "pools = ( { name = \"%s\"; } );\n", h63, pool);
		memset(&d, 0, sizeof(d));
		conf_write(&t, text);
		CU_ASSERT_EQUAL_FATAL(conf_agent_load(t.path, c, &d), 0);
		if (plen == 180) {
			CU_ASSERT_EQUAL(conf_agent_finish(c, &d), 0);
			CU_ASSERT_EQUAL(d.n, 0);
		} else {
			CU_ASSERT_EQUAL(conf_agent_finish(c, &d), -1);
			CU_ASSERT_EQUAL_FATAL(d.n, 1);
			snprintf(line, sizeof(line), "%s:2: pools: %s: name too "
			    "long for the registration record %s._rollcall.%s",
			    t.path, pool, h63, pool);
			/* a diag line keeps its first 319 characters: here
			 * the reason, and most of the name */
			line[sizeof(d.lines[0]) - 1] = '\0';
			CU_ASSERT_STRING_EQUAL(d.lines[0], line);
		}
		conf_unlink(&t);
	}
	free(c);
}

void
suite_conf(void)
{
	CU_pSuite s = test_add_suite("conf");

	test_add(s, "every setting", test_full);
	test_add(s, "servers list", test_servers_list);
	test_add(s, "defaults", test_defaults);
	test_add(s, "all errors of one file, with lines", test_all_errors);
	test_add(s, "more errors than kept", test_many_errors);
	test_add(s, "bad config table", test_bad_table);
	test_add(s, "missing file", test_missing_file);
	test_add(s, "finish checks", test_finish);
}
