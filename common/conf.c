#include "conf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "numparse.h"

void
diag_add(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (d->n == CONF_MAX_ERRORS) {
		d->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(d->lines[d->n++], sizeof(d->lines[0]), fmt, ap);
	va_end(ap);
}

void
conf_net_defaults(struct conf_net *n)
{
	memset(n, 0, sizeof(*n));
	n->port = CONF_DEFAULT_PORT;
	n->timeout = CONF_DEFAULT_TIMEOUT;
	n->udp_timeout = CONF_DEFAULT_UDP_TIMEOUT;
	n->retries = CONF_DEFAULT_RETRIES;
	n->resolver_port = CONF_DEFAULT_PORT;
}

/* "file:line: name: " prefix for a setting's errors. */
#define SERR(ctx, s, fmt, ...) \
	diag_add((ctx)->d, "%s:%d: %s: " fmt, (ctx)->path, \
	    config_setting_source_line(s), setting_label(s), ##__VA_ARGS__)

#define TTL_MAX	2147483647	/* RFC 2181 8 */

/* List elements have no name: an error names the list they are in
 * ("addresses: '192.0.2.999' is not ..."). */
static const char *
setting_label(const config_setting_t *s)
{
	for (; s != NULL; s = config_setting_parent(s))
		if (config_setting_name(s) != NULL)
			return config_setting_name(s);
	return "(top)";
}

/*
 * libconfig 1.5 (Debian 12) reads an integer without an L suffix with
 * atoi() or strtoul() into an int: 4294967297 becomes 1 and would pass
 * any range check.  The real value is gone by then, so read_file() scans
 * the text first for integer literals that do not fit, and get_u32()
 * reports a setting whose value is one of them by the literal's text.
 */
struct big_num {
	char		name[64];	/* the setting it is the value of */
	int		first_line;	/* of that name .. of the literal */
	int		last_line;
	long long	stored;		/* what libconfig made of it */
	char		text[32];
};

struct load_ctx {
	const char	*path;
	struct diag	*d;
	struct big_num	*big;
	size_t		 nbig;
};

static const struct big_num *
big_num_find(const struct load_ctx *x, const config_setting_t *s,
    long long stored)
{
	const char *name = config_setting_name(s);
	int line = config_setting_source_line(s);
	size_t i;

	for (i = 0; name != NULL && i < x->nbig; i++)
		if (x->big[i].stored == stored &&
		    x->big[i].first_line <= line && line <= x->big[i].last_line &&
		    strcmp(x->big[i].name, name) == 0)
			return &x->big[i];
	return NULL;
}

static int
get_string(struct load_ctx *x, const config_setting_t *s, char *out,
    size_t outlen)
{
	const char *v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		SERR(x, s, "must be a string in double quotes");
		return -1;
	}
	v = config_setting_get_string(s);
	if (strlen(v) >= outlen) {
		SERR(x, s, "value too long");
		return -1;
	}
	snprintf(out, outlen, "%s", v);
	return 0;
}

static int
get_u32(struct load_ctx *x, const config_setting_t *s, uint32_t min,
    uint32_t max, uint32_t *out)
{
	const struct big_num *big;
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		SERR(x, s, "must be a whole number");
		return -1;
	}
	v = config_setting_get_int64(s);
	if ((big = big_num_find(x, s, v)) != NULL) {
		SERR(x, s, "%s is out of range %u..%u", big->text, min, max);
		return -1;
	}
	if (v < (long long)min || v > (long long)max) {
		SERR(x, s, "%lld is out of range %u..%u", v, min, max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
get_bool(struct load_ctx *x, const config_setting_t *s, bool *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		SERR(x, s, "must be true or false");
		return -1;
	}
	*out = config_setting_get_bool(s);
	return 0;
}

static int
get_name(struct load_ctx *x, const config_setting_t *s, char *out,
    size_t outlen)
{
	char raw[300];
	const char *why;

	if (get_string(x, s, raw, sizeof(raw)) == -1)
		return -1;
	if (dname_normalize(raw, out, outlen, &why) == -1) {
		SERR(x, s, "'%s' is not a valid domain name: %s", raw, why);
		return -1;
	}
	return 0;
}

static int
get_port(struct load_ctx *x, const config_setting_t *s, uint16_t *out)
{
	uint32_t v;

	if (get_u32(x, s, 1, 65535, &v) == -1)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

static int
is_numeric_addr(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 ||
	    inet_pton(AF_INET6, s, buf) == 1;
}

static void
add_server(struct load_ctx *x, const config_setting_t *s, struct conf_net *n)
{
	char addr[64];

	if (get_string(x, s, addr, sizeof(addr)) == -1)
		return;
	if (!is_numeric_addr(addr)) {
		SERR(x, s, "'%s' is not an IPv4 or IPv6 address", addr);
		return;
	}
	if (n->nservers == CONF_MAX_SERVERS) {
		SERR(x, s, "more than %d servers", CONF_MAX_SERVERS);
		return;
	}
	snprintf(n->servers[n->nservers++], sizeof(n->servers[0]), "%s", addr);
}

static void
parse_servers(struct load_ctx *x, const config_setting_t *s,
    struct conf_net *n)
{
	int i, cnt;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		SERR(x, s, "must be a list of addresses: [\"192.0.2.53\", ...]");
		return;
	}
	cnt = config_setting_length(s);
	if (cnt == 0)
		SERR(x, s, "is empty");
	for (i = 0; i < cnt; i++)
		add_server(x, config_setting_get_elem(s, (unsigned)i), n);
}

/* Settings both programs share; returns 1 if name was one of them. */
static int
parse_net_setting(struct load_ctx *x, const config_setting_t *s,
    struct conf_net *n)
{
	const char *name = config_setting_name(s);
	char addr[64];

	if (strcmp(name, "server") == 0) {
		if (n->nservers > 0)
			SERR(x, s, "give either server or servers, not both");
		else
			add_server(x, s, n);
	} else if (strcmp(name, "servers") == 0) {
		if (n->nservers > 0)
			SERR(x, s, "give either server or servers, not both");
		else
			parse_servers(x, s, n);
	} else if (strcmp(name, "port") == 0) {
		get_port(x, s, &n->port);
	} else if (strcmp(name, "zone") == 0) {
		get_name(x, s, n->zone, sizeof(n->zone));
	} else if (strcmp(name, "key_file") == 0) {
		get_string(x, s, n->key_file, sizeof(n->key_file));
	} else if (strcmp(name, "key_name") == 0) {
		get_name(x, s, n->key_name, sizeof(n->key_name));
	} else if (strcmp(name, "timeout") == 0) {
		get_u32(x, s, 1, 3600, &n->timeout);
	} else if (strcmp(name, "udp_timeout") == 0) {
		get_u32(x, s, 1, 300, &n->udp_timeout);
	} else if (strcmp(name, "retries") == 0) {
		get_u32(x, s, 0, 20, &n->retries);
	} else if (strcmp(name, "tcp") == 0) {
		get_bool(x, s, &n->tcp);
	} else if (strcmp(name, "resolver") == 0) {
		if (get_string(x, s, addr, sizeof(addr)) == 0) {
			if (!is_numeric_addr(addr))
				SERR(x, s, "'%s' is not an IPv4 or IPv6 address",
				    addr);
			else
				snprintf(n->resolver, sizeof(n->resolver), "%s",
				    addr);
		}
	} else if (strcmp(name, "resolver_port") == 0) {
		get_port(x, s, &n->resolver_port);
	} else
		return 0;
	return 1;
}

static void
add_pool_addr(struct load_ctx *x, const config_setting_t *s,
    struct conf_pool *p)
{
	char text[64];
	struct reg_addr a;
	size_t i;

	if (get_string(x, s, text, sizeof(text)) == -1)
		return;
	if (reg_addr_parse(text, &a) == -1) {
		SERR(x, s, "'%s' is not an IPv4 or IPv6 address", text);
		return;
	}
	for (i = 0; i < p->naddrs; i++)
		if (reg_addr_equal(&p->addrs[i], &a)) {
			SERR(x, s, "address %s listed twice", text);
			return;
		}
	if (p->naddrs == REG_MAX_ADDRS) {
		SERR(x, s, "more than %d addresses", REG_MAX_ADDRS);
		return;
	}
	p->addrs[p->naddrs++] = a;
}

static void
parse_pool_addrs(struct load_ctx *x, const config_setting_t *s,
    struct conf_pool *p)
{
	int i, cnt;

	if (config_setting_type(s) == CONFIG_TYPE_STRING &&
	    strcmp(config_setting_get_string(s), "auto") == 0) {
		p->auto_addrs = true;
		return;
	}
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		SERR(x, s, "must be \"auto\" or a list of addresses");
		return;
	}
	cnt = config_setting_length(s);
	if (cnt == 0) {
		SERR(x, s, "is empty (leave it out or say \"auto\" to use the "
		    "address toward the server)");
		return;
	}
	p->auto_addrs = false;
	for (i = 0; i < cnt; i++)
		add_pool_addr(x, config_setting_get_elem(s, (unsigned)i), p);
}

static void
parse_pool(struct load_ctx *x, const config_setting_t *g, struct conf_pool *p,
    uint32_t default_ttl)
{
	const config_setting_t *s;
	const char *name;
	int i;

	memset(p, 0, sizeof(*p));
	p->line = config_setting_source_line(g);
	p->ttl = default_ttl;
	p->auto_addrs = true;
	if (!config_setting_is_group(g)) {
		SERR(x, g, "each pool must be a group: { name = \"...\"; }");
		return;
	}
	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL; i++) {
		name = config_setting_name(s);
		if (strcmp(name, "name") == 0)
			get_name(x, s, p->name, sizeof(p->name));
		else if (strcmp(name, "addresses") == 0)
			parse_pool_addrs(x, s, p);
		else if (strcmp(name, "ttl") == 0)
			get_u32(x, s, 0, TTL_MAX, &p->ttl);
		else
			SERR(x, s, "unknown pool setting");
	}
	if (config_setting_get_member(g, "name") == NULL)
		diag_add(x->d, "%s:%d: pool: missing name", x->path,
		    config_setting_source_line(g));
}

static void
parse_pools(struct load_ctx *x, const config_setting_t *s,
    struct agent_conf *c)
{
	int i, cnt;
	size_t j;

	if (!config_setting_is_list(s)) {
		SERR(x, s, "must be a list of groups: ( { name = \"...\"; } )");
		return;
	}
	cnt = config_setting_length(s);
	for (i = 0; i < cnt; i++) {
		const config_setting_t *g = config_setting_get_elem(s,
		    (unsigned)i);
		struct conf_pool *p = &c->pools[c->npools];

		if (c->npools == CONF_MAX_POOLS) {
			SERR(x, g, "more than %d pools", CONF_MAX_POOLS);
			return;
		}
		parse_pool(x, g, p, c->ttl);
		for (j = 0; p->name[0] && j < c->npools; j++)
			if (strcmp(c->pools[j].name, p->name) == 0)
				SERR(x, g, "pool %s listed twice", p->name);
		c->npools++;
	}
}

static void
default_host_id(struct load_ctx *x, struct agent_conf *c)
{
	char host[256], *dot;
	const char *why;

	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	if ((dot = strchr(host, '.')) != NULL)
		*dot = '\0';
	/* checked before the copy, so that a long name is not cut short */
	if (label_check(host, &why) == -1)
		diag_add(x->d, "%s: host_id not set and the host name '%s' %s",
		    x->path, host, why);
	else
		snprintf(c->host_id, sizeof(c->host_id), "%.63s", host);
}

static void
parse_agent_setting(struct load_ctx *x, const config_setting_t *s,
    struct agent_conf *c)
{
	const char *name = config_setting_name(s), *why;

	if (parse_net_setting(x, s, &c->net))
		return;
	if (strcmp(name, "host_id") == 0) {
		if (get_string(x, s, c->host_id, sizeof(c->host_id)) == 0 &&
		    label_check(c->host_id, &why) == -1)
			SERR(x, s, "'%s' %s", c->host_id, why);
	} else if (strcmp(name, "lease") == 0)
		get_u32(x, s, 10, REG_MAX_LEASE, &c->lease);
	else if (strcmp(name, "ttl") == 0)
		get_u32(x, s, 0, TTL_MAX, &c->ttl);
	else if (strcmp(name, "pools") == 0)
		parse_pools(x, s, c);
	else
		SERR(x, s, "unknown setting");
}

/*
 * A top-level number that list entries default to, wherever it stands in
 * the file: set *out if the setting is present and valid, silently; a bad
 * value is reported in its place, so that errors stay in file order.
 */
static void
peek_u32(const config_setting_t *root, const char *name, uint32_t min,
    uint32_t max, uint32_t *out)
{
	const config_setting_t *s;
	long long v;

	if ((s = config_setting_get_member(root, name)) != NULL &&
	    (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64) &&
	    (v = config_setting_get_int64(s)) >= (long long)min &&
	    v <= (long long)max)
		*out = (uint32_t)v;
}

static void
read_agent(struct load_ctx *x, config_t *cf, struct agent_conf *c)
{
	config_setting_t *root = config_root_setting(cf), *s;
	int i;

	peek_u32(root, "ttl", 0, TTL_MAX, &c->ttl);
	for (i = 0; (s = config_setting_get_elem(root, (unsigned)i)) != NULL;
	    i++)
		parse_agent_setting(x, s, c);
}

static void
big_num_add(struct load_ctx *x, const char *name, int first_line,
    int last_line, long long stored, const char *text)
{
	struct big_num *nb, *b;

	if ((x->nbig & (x->nbig - 1)) == 0) {	/* 0, 1, 2, 4, ...: grow */
		nb = realloc(x->big, (x->nbig ? x->nbig * 2 : 4) * sizeof(*nb));
		if (nb == NULL) {
			diag_add(x->d, "%s: out of memory", x->path);
			return;
		}
		x->big = nb;
	}
	b = &x->big[x->nbig++];
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->first_line = first_line;
	b->last_line = last_line;
	b->stored = stored;
	if (strlen(text) < sizeof(b->text))
		snprintf(b->text, sizeof(b->text), "%s", text);
	else
		snprintf(b->text, sizeof(b->text), "%.24s...", text);
}

/* One integer literal at *pp (a digit, or a sign and a digit); *pp is left
 * after it.  Floats, and L-suffixed numbers that fit, are no concern. */
static void
scan_number(struct load_ctx *x, const char **pp, const char *end,
    const char *name, int name_line, int line)
{
	const char *p = *pp, *start = p;
	char text[64];
	bool hex = false, big;
	long long v;
	unsigned long long uv;

	if (*p == '-' || *p == '+')
		p++;
	if (p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		hex = true;
		for (p += 2; p < end && isxdigit((unsigned char)*p); p++)
			;
	} else
		while (p < end && isdigit((unsigned char)*p))
			p++;
	if (!hex && p < end && (*p == '.' || *p == 'e' || *p == 'E')) {
		while (p < end && (isdigit((unsigned char)*p) || *p == '.' ||
		    *p == 'e' || *p == 'E' || *p == '-' || *p == '+'))
			p++;
		*pp = p;
		return;
	}
	/* longer than text: out of range whatever it says */
	snprintf(text, sizeof(text), "%.*s", (int)(p - start), start);
	*pp = p;
	if (p < end && *p == 'L') {
		/* 64-bit: atoll() clamps, so only overflow is hidden */
		while (*pp < end && **pp == 'L')
			(*pp)++;
		if (hex)
			return;
		errno = 0;
		v = strtoll(text, NULL, 10);
		if (errno == ERANGE)
			big_num_add(x, name, name_line, line, v, text);
		return;
	}
	errno = 0;
	if (hex) {
		uv = strtoull(text, NULL, 16);
		big = errno == ERANGE || uv > INT_MAX;
		v = (int)(unsigned long)uv;	/* as (int)strtoul() */
	} else {
		v = strtoll(text, NULL, 10);
		big = errno == ERANGE || v < INT_MIN || v > INT_MAX;
		v = (int)v;			/* as atoi() */
	}
	if (big)
		big_num_add(x, name, name_line, line, v, text);
}

static int
ident_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '*';
}

/* A lexer just good enough to find integer literals and the setting each
 * is the value of: strings, comments and @include lines are skipped. */
static void
scan_big_numbers(struct load_ctx *x, const char *p, const char *end)
{
	char name[64] = "";
	int line = 1, name_line = 1;
	size_t n;

	while (p < end) {
		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == '#' || *p == '@' ||
		    (*p == '/' && p + 1 < end && p[1] == '/')) {
			while (p < end && *p != '\n')
				p++;
		} else if (*p == '/' && p + 1 < end && p[1] == '*') {
			for (p += 2; p < end && !(*p == '*' && p + 1 < end &&
			    p[1] == '/'); p++)
				line += *p == '\n';
			p += p < end ? 2 : 0;
		} else if (*p == '"') {
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				line += *p == '\n';
			}
			p += p < end;
		} else if (isalpha((unsigned char)*p) || *p == '*') {
			for (n = 0; p < end && ident_char((unsigned char)*p); p++)
				if (n + 1 < sizeof(name))
					name[n++] = *p;
			name[n] = '\0';
			name_line = line;
		} else if (isdigit((unsigned char)*p) || ((*p == '-' ||
		    *p == '+') && p + 1 < end && isdigit((unsigned char)p[1])))
			scan_number(x, &p, end, name, name_line, line);
		else
			p++;
	}
}

/* Read the whole file and scan it; a file that cannot be read is left to
 * libconfig to report. */
static void
scan_file(struct load_ctx *x)
{
	FILE *f;
	char *text = NULL, *nt;
	size_t len = 0, cap = 0, got;

	if ((f = fopen(x->path, "r")) == NULL)
		return;
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nt = realloc(text, cap)) == NULL) {
				diag_add(x->d, "%s: out of memory", x->path);
				break;
			}
			text = nt;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	fclose(f);
	if (text != NULL)
		scan_big_numbers(x, text, text + len);
	free(text);
}

/* Parse x->path into *cf (initialised here).  Returns 0, or -1 with the
 * reason in x->d and *cf destroyed.  x->big is the caller's to free. */
static int
read_file(struct load_ctx *x, config_t *cf)
{
	scan_file(x);
	config_init(cf);
	if (config_read_file(cf, x->path) == CONFIG_TRUE)
		return 0;
	if (config_error_type(cf) == CONFIG_ERR_FILE_IO)
		diag_add(x->d, "%s: cannot read file", x->path);
	else
		diag_add(x->d, "%s:%d: %s", x->path, config_error_line(cf),
		    config_error_text(cf));
	config_destroy(cf);
	return -1;
}

int
conf_agent_load(const char *path, struct agent_conf *c, struct diag *d)
{
	struct load_ctx x = { path, d, NULL, 0 };
	config_t cf;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	conf_net_defaults(&c->net);
	c->lease = CONF_DEFAULT_LEASE;
	c->ttl = CONF_DEFAULT_TTL;
	if (read_file(&x, &cf) == -1) {
		free(x.big);
		return -1;
	}
	read_agent(&x, &cf, c);
	config_destroy(&cf);
	free(x.big);
	if (c->host_id[0] == '\0')
		default_host_id(&x, c);
	/* a label is a name: "Web01" and "web01" are one host (RFC 4343) */
	for (char *h = c->host_id; *h; h++)
		*h = (char)tolower((unsigned char)*h);
	return d->n > 0 ? -1 : 0;
}

int
conf_agent_finish(struct agent_conf *c, struct diag *d)
{
	size_t i;

	if (c->npools == 0)
		diag_add(d, "%s: pools: no pool configured", c->path);
	for (i = 0; i < c->npools; i++) {
		const struct conf_pool *p = &c->pools[i];

		if (c->net.zone[0] && !dname_is_subdomain(p->name, c->net.zone))
			diag_add(d, "%s:%d: pools: %s is not inside zone %s",
			    c->path, p->line, p->name, c->net.zone);
		/* H._rollcall.P must stay a legal name (RFC 1035 2.3.4) */
		if (strlen(c->host_id) + strlen(REG_LABEL) + 2 +
		    strlen(p->name) > 254)
			diag_add(d, "%s:%d: pools: %s: name too long for the "
			    "registration record %s.%s.%s", c->path, p->line,
			    p->name, c->host_id, REG_LABEL, p->name);
	}
	return d->n > 0 ? -1 : 0;
}

/* ---- rollcall-coordinator ------------------------------------------- */

/*
 * The checks that need the whole file (zones may come after the pools and
 * aliases that must lie in them; a duplicate needs every name) run after
 * the one pass over the settings, so each entry keeps its line.
 */
struct coord_ctx {
	struct load_ctx	 x;
	struct coord_conf *c;
	int		*pool_line;	/* [npools] */
	int		*alias_line;	/* [naliases] */
	int		 pools_line;	/* of the lists, to order the checks */
	int		 aliases_line;
	bool		 zones_bad;	/* zones reported bad: no "missing"
					 * line, and no "not in a managed
					 * zone" ones for a partial list */
	int		 metrics_line;	/* of metrics_port (or _listen) */
};

/* The agent's own settings, with what to use instead. */
static const struct {
	const char	*name;
	const char	*hint;
} agent_only[] = {
	{ "zone", "agent setting; the coordinator uses zones" },
	{ "host_id", "agent setting; the coordinator has no host id" },
	{ "lease", "agent setting; agents give their lease, the coordinator "
	    "adds grace" },
	{ "ttl", "agent setting; give an alias its ttl in aliases" },
};

static void
oom(struct coord_ctx *cx)
{
	diag_add(cx->x.d, "%s: out of memory", cx->x.path);
}

static void
parse_zones(struct coord_ctx *cx, const config_setting_t *s)
{
	struct coord_conf *c = cx->c;
	char name[256];
	int i, cnt;
	size_t j;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		SERR(&cx->x, s, "must be a list of zone names: "
		    "[\"example.test\", ...]");
		cx->zones_bad = true;
		return;
	}
	if ((cnt = config_setting_length(s)) == 0) {
		SERR(&cx->x, s, "is empty");
		cx->zones_bad = true;
		return;
	}
	for (i = 0; i < cnt; i++) {
		const config_setting_t *e = config_setting_get_elem(s,
		    (unsigned)i);

		if (get_name(&cx->x, e, name, sizeof(name)) == -1) {
			cx->zones_bad = true;
			continue;
		}
		for (j = 0; j < c->nzones; j++)
			if (strcmp(c->zones[j], name) == 0)
				break;
		if (j < c->nzones) {
			SERR(&cx->x, e, "zone %s listed twice", name);
			continue;
		}
		if (c->nzones == CONF_MAX_ZONES) {
			SERR(&cx->x, e, "more than %d zones", CONF_MAX_ZONES);
			cx->zones_bad = true;
			return;
		}
		memcpy(c->zones[c->nzones++], name, sizeof(name));
	}
}

static void
parse_coord_pool(struct coord_ctx *cx, const config_setting_t *g,
    struct coord_pool *p)
{
	const config_setting_t *s;
	const char *name;
	int i;

	memset(p, 0, sizeof(*p));
	p->min_members = cx->c->min_members;
	if (!config_setting_is_group(g)) {
		SERR(&cx->x, g, "each pool must be a group: { name = \"...\"; "
		    "min_members = N; }");
		return;
	}
	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL; i++) {
		name = config_setting_name(s);
		if (strcmp(name, "name") == 0)
			get_name(&cx->x, s, p->name, sizeof(p->name));
		else if (strcmp(name, "min_members") == 0)
			get_u32(&cx->x, s, 0, CONF_MAX_MIN_MEMBERS,
			    &p->min_members);
		else
			SERR(&cx->x, s, "unknown pool setting");
	}
	if (config_setting_get_member(g, "name") == NULL)
		diag_add(cx->x.d, "%s:%d: pool: missing name", cx->x.path,
		    config_setting_source_line(g));
}

static void
add_target(struct coord_ctx *cx, const config_setting_t *s,
    struct coord_alias *a)
{
	char name[256];
	size_t i;

	if (get_name(&cx->x, s, name, sizeof(name)) == -1)
		return;
	for (i = 0; i < a->ntargets; i++)
		if (strcmp(a->targets[i], name) == 0) {
			SERR(&cx->x, s, "target %s listed twice", name);
			return;
		}
	if (a->ntargets == CONF_MAX_TARGETS) {
		SERR(&cx->x, s, "more than %d targets", CONF_MAX_TARGETS);
		return;
	}
	memcpy(a->targets[a->ntargets++], name, sizeof(name));
}

static void
parse_targets(struct coord_ctx *cx, const config_setting_t *s,
    struct coord_alias *a)
{
	int i, cnt;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		SERR(&cx->x, s, "must be a list of names: "
		    "[\"host1.example.test\", ...]");
		return;
	}
	if ((cnt = config_setting_length(s)) == 0) {
		SERR(&cx->x, s, "is empty");
		return;
	}
	for (i = 0; i < cnt; i++)
		add_target(cx, config_setting_get_elem(s, (unsigned)i), a);
}

static void
parse_on_missing(struct coord_ctx *cx, const config_setting_t *s,
    enum on_missing *out)
{
	const char *v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		SERR(&cx->x, s, "must be \"keep\" or \"remove\"");
		return;
	}
	v = config_setting_get_string(s);
	if (strcmp(v, "keep") == 0)
		*out = ON_MISSING_KEEP;
	else if (strcmp(v, "remove") == 0)
		*out = ON_MISSING_REMOVE;
	else
		SERR(&cx->x, s, "'%s' must be \"keep\" or \"remove\"", v);
}

static void
parse_alias(struct coord_ctx *cx, const config_setting_t *g,
    struct coord_alias *a)
{
	const config_setting_t *s;
	const char *name;
	int i;

	memset(a, 0, sizeof(*a));
	a->on_missing = ON_MISSING_KEEP;
	if (!config_setting_is_group(g)) {
		SERR(&cx->x, g, "each alias must be a group: { name = \"...\"; "
		    "targets = [ ... ]; }");
		return;
	}
	for (i = 0; (s = config_setting_get_elem(g, (unsigned)i)) != NULL; i++) {
		name = config_setting_name(s);
		if (strcmp(name, "name") == 0)
			get_name(&cx->x, s, a->name, sizeof(a->name));
		else if (strcmp(name, "targets") == 0)
			parse_targets(cx, s, a);
		else if (strcmp(name, "ttl") == 0)
			a->ttl_set = get_u32(&cx->x, s, 0, TTL_MAX, &a->ttl) == 0;
		else if (strcmp(name, "on_missing") == 0)
			parse_on_missing(cx, s, &a->on_missing);
		else
			SERR(&cx->x, s, "unknown alias setting");
	}
	if (config_setting_get_member(g, "name") == NULL)
		diag_add(cx->x.d, "%s:%d: alias: missing name", cx->x.path,
		    config_setting_source_line(g));
	if (config_setting_get_member(g, "targets") == NULL)
		diag_add(cx->x.d, "%s:%d: alias: missing targets", cx->x.path,
		    config_setting_source_line(g));
}

/*
 * pools = ( ... ) and aliases = ( ... ): allocated to the length of the
 * list, at most max entries.  Returns the number of entries to parse, 0
 * with *arr NULL when there are none (or on an error, reported).
 */
static size_t
alloc_list(struct coord_ctx *cx, const config_setting_t *s, const char *what,
    size_t max, size_t size, void **arr, int **lines)
{
	size_t cnt;

	if (!config_setting_is_list(s)) {
		SERR(&cx->x, s, "must be a list of groups: ( { name = \"...\"; "
		    "... } )");
		return 0;
	}
	cnt = (size_t)config_setting_length(s);
	if (cnt > max) {
		/* the first entry too many, like the agent's pools */
		SERR(&cx->x, config_setting_get_elem(s, (unsigned)max),
		    "more than %zu %s", max, what);
		cnt = max;
	}
	if (cnt == 0)
		return 0;
	*arr = calloc(cnt, size);
	*lines = calloc(cnt, sizeof(**lines));
	if (*arr == NULL || *lines == NULL) {
		free(*arr);
		free(*lines);
		*arr = NULL;
		*lines = NULL;
		oom(cx);
		return 0;
	}
	return cnt;
}

static void
parse_coord_pools(struct coord_ctx *cx, const config_setting_t *s)
{
	struct coord_conf *c = cx->c;
	size_t i, cnt;
	void *arr = NULL;

	cx->pools_line = config_setting_source_line(s);
	cnt = alloc_list(cx, s, "pools", CONF_MAX_COORD_POOLS,
	    sizeof(*c->pools), &arr, &cx->pool_line);
	c->pools = arr;
	for (i = 0; i < cnt; i++) {
		const config_setting_t *g = config_setting_get_elem(s,
		    (unsigned)i);

		parse_coord_pool(cx, g, &c->pools[i]);
		cx->pool_line[i] = config_setting_source_line(g);
		c->npools++;
	}
}

static void
parse_aliases(struct coord_ctx *cx, const config_setting_t *s)
{
	struct coord_conf *c = cx->c;
	size_t i, cnt;
	void *arr = NULL;

	cx->aliases_line = config_setting_source_line(s);
	cnt = alloc_list(cx, s, "aliases", CONF_MAX_ALIASES,
	    sizeof(*c->aliases), &arr, &cx->alias_line);
	c->aliases = arr;
	for (i = 0; i < cnt; i++) {
		const config_setting_t *g = config_setting_get_elem(s,
		    (unsigned)i);

		parse_alias(cx, g, &c->aliases[i]);
		cx->alias_line[i] = config_setting_source_line(g);
		c->naliases++;
	}
}

/* A listening address: numeric, like notify_listen. */
static void
get_listen(struct coord_ctx *cx, const config_setting_t *s, char *out,
    size_t len)
{
	char addr[64];

	if (get_string(&cx->x, s, addr, sizeof(addr)) == -1)
		return;
	if (!is_numeric_addr(addr))
		SERR(&cx->x, s, "'%s' is not an IPv4 or IPv6 address", addr);
	else
		snprintf(out, len, "%s", addr);
}

/*
 * metrics_textfile: where node_exporter's textfile collector reads, which
 * takes only files named *.prom; the temporary file the coordinator
 * writes first (PATH.tmp) is therefore never read half-written.
 */
static void
parse_textfile(struct coord_ctx *cx, const config_setting_t *s)
{
	struct coord_conf *c = cx->c;
	char path[PATH_MAX];
	size_t n;

	if (get_string(&cx->x, s, path, sizeof(path) - 4) == -1)
		return;
	n = strlen(path);
	if (path[0] != '/')
		SERR(&cx->x, s, "'%s' is not an absolute path", path);
	else if (n < 6 || strcmp(path + n - 5, ".prom") != 0 ||
	    path[n - 6] == '/')
		SERR(&cx->x, s, "'%s' must be a file name ending in .prom (the "
		    "textfile collector reads only *.prom)", path);
	else
		snprintf(c->metrics_textfile, sizeof(c->metrics_textfile), "%s",
		    path);
}

static void
parse_coord_setting(struct coord_ctx *cx, const config_setting_t *s)
{
	struct coord_conf *c = cx->c;
	const char *name = config_setting_name(s);
	char addr[64];
	size_t i;

	/* before the shared settings: "zone" is one of them for the agent */
	for (i = 0; i < sizeof(agent_only) / sizeof(agent_only[0]); i++)
		if (strcmp(name, agent_only[i].name) == 0) {
			SERR(&cx->x, s, "%s", agent_only[i].hint);
			return;
		}
	if (parse_net_setting(&cx->x, s, &c->net))
		return;
	if (strcmp(name, "zones") == 0)
		parse_zones(cx, s);
	else if (strcmp(name, "grace") == 0)
		get_u32(&cx->x, s, 0, REG_MAX_LEASE, &c->grace);
	else if (strcmp(name, "min_members") == 0)
		get_u32(&cx->x, s, 0, CONF_MAX_MIN_MEMBERS, &c->min_members);
	else if (strcmp(name, "poll") == 0)
		get_u32(&cx->x, s, 1, CONF_MAX_POLL, &c->poll);
	else if (strcmp(name, "notify_listen") == 0) {
		if (get_string(&cx->x, s, addr, sizeof(addr)) == 0) {
			if (!is_numeric_addr(addr))
				SERR(&cx->x, s, "'%s' is not an IPv4 or IPv6 "
				    "address", addr);
			else
				snprintf(c->notify_listen,
				    sizeof(c->notify_listen), "%s", addr);
		}
	} else if (strcmp(name, "notify_port") == 0)
		get_port(&cx->x, s, &c->notify_port);
	else if (strcmp(name, "metrics_listen") == 0) {
		get_listen(cx, s, c->metrics_listen, sizeof(c->metrics_listen));
		c->metrics_http = true;
		if (cx->metrics_line == 0)
			cx->metrics_line = config_setting_source_line(s);
	} else if (strcmp(name, "metrics_port") == 0) {
		get_port(&cx->x, s, &c->metrics_port);
		c->metrics_http = true;
		cx->metrics_line = config_setting_source_line(s);
	} else if (strcmp(name, "metrics_textfile") == 0)
		parse_textfile(cx, s);
	else if (strcmp(name, "pools") == 0)
		parse_coord_pools(cx, s);
	else if (strcmp(name, "aliases") == 0)
		parse_aliases(cx, s);
	else
		SERR(&cx->x, s, "unknown setting");
}

/* ---- whole-file checks ---- */

/* Names sorted, ties in file order: duplicates and lookups without a
 * quadratic scan (100000 pools, 10000 aliases x 16 targets). */
struct name_ref {
	const char	*name;
	size_t		 idx;
};

static int
name_ref_cmp(const void *va, const void *vb)
{
	const struct name_ref *a = va, *b = vb;
	int r = strcmp(a->name, b->name);

	if (r != 0)
		return r;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/*
 * Index the n names at base, base + stride, ...; a name that did not parse
 * ("") is left out.  Marks dup[i] for every entry whose name an earlier one
 * has.  Returns the index (*nref entries; NULL when empty or out of memory,
 * reported) or NULL.
 */
static struct name_ref *
name_index(struct coord_ctx *cx, const char *base, size_t stride, size_t n,
    size_t *nref, bool *dup)
{
	struct name_ref *r;
	size_t i, k = 0;

	*nref = 0;
	if (n == 0)
		return NULL;
	if ((r = calloc(n, sizeof(*r))) == NULL) {
		oom(cx);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (base[i * stride] != '\0') {
			r[k].name = base + i * stride;
			r[k++].idx = i;
		}
	qsort(r, k, sizeof(*r), name_ref_cmp);
	for (i = 1; i < k; i++)
		if (strcmp(r[i].name, r[i - 1].name) == 0)
			dup[r[i].idx] = true;
	*nref = k;
	return r;
}

#define NO_ENTRY	((size_t)-1)

/* The first entry (in file order) called name, or NO_ENTRY. */
static size_t
name_find(const struct name_ref *r, size_t n, const char *name)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(r[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(r[lo].name, name) == 0 ? r[lo].idx : NO_ENTRY;
}

static void
check_pools(struct coord_ctx *cx, const bool *dup)
{
	const struct coord_conf *c = cx->c;
	size_t i;

	for (i = 0; i < c->npools; i++) {
		const char *name = c->pools[i].name;

		if (name[0] == '\0')
			continue;
		if (dup[i])
			diag_add(cx->x.d, "%s:%d: pools: pool %s listed twice",
			    cx->x.path, cx->pool_line[i], name);
		else if (!cx->zones_bad && c->nzones > 0 &&
		    conf_coord_zone_of(c, name) == NULL)
			diag_add(cx->x.d, "%s:%d: pools: pool %s is not inside a "
			    "managed zone", cx->x.path, cx->pool_line[i], name);
	}
}

static void
check_aliases(struct coord_ctx *cx, const bool *dup,
    const struct name_ref *pidx, size_t npidx)
{
	const struct coord_conf *c = cx->c;
	size_t i;

	for (i = 0; i < c->naliases; i++) {
		const char *name = c->aliases[i].name;

		if (name[0] == '\0')
			continue;
		if (dup[i]) {
			diag_add(cx->x.d, "%s:%d: aliases: alias %s listed twice",
			    cx->x.path, cx->alias_line[i], name);
			continue;
		}
		if (!cx->zones_bad && c->nzones > 0 &&
		    conf_coord_zone_of(c, name) == NULL)
			diag_add(cx->x.d, "%s:%d: aliases: alias %s is not inside "
			    "a managed zone", cx->x.path, cx->alias_line[i],
			    name);
		/* agents add to a pool's RRsets; the alias would undo them */
		if (name_find(pidx, npidx, name) != NO_ENTRY)
			diag_add(cx->x.d, "%s:%d: aliases: %s is a pool (in pools) "
			    "and cannot be an alias too", cx->x.path,
			    cx->alias_line[i], name);
	}
}

struct dfs_frame {
	size_t	node;		/* alias index */
	size_t	next;		/* its next target to follow */
};

/* A cycle of more than CYCLE_SHOWN + 2 aliases is shown as its first
 * CYCLE_SHOWN, "... (N more)" and its last, so that the closing name still
 * fits the diag line. */
#define CYCLE_SHOWN	6

static void
report_cycle(struct coord_ctx *cx, const struct dfs_frame *f, size_t len)
{
	const struct coord_conf *c = cx->c;
	char text[(CYCLE_SHOWN + 3) * 260 + 64];
	size_t k, used = 0;

#define CYCLE_ADD(...) do {						\
	int n_ = snprintf(text + used, sizeof(text) - used, __VA_ARGS__); \
	if (n_ > 0)							\
		used += (size_t)n_ < sizeof(text) - used ?		\
		    (size_t)n_ : sizeof(text) - used - 1;		\
} while (0)

	for (k = 0; k < len; k++) {
		if (len > CYCLE_SHOWN + 2 && k == CYCLE_SHOWN) {
			CYCLE_ADD("... (%zu more) -> ", len - CYCLE_SHOWN - 1);
			k = len - 1;
		}
		CYCLE_ADD("%s -> ", c->aliases[f[k].node].name);
	}
	CYCLE_ADD("%s", c->aliases[f[0].node].name);
#undef CYCLE_ADD
	diag_add(cx->x.d, "%s:%d: aliases: cycle: %s", cx->x.path,
	    cx->alias_line[f[0].node], text);
}

/*
 * Depth-first search over the alias graph (an edge from each alias to each
 * of its targets that is itself an alias).  Every edge is followed once,
 * and a cycle is reported when an edge leads back to an alias still on the
 * path, named from that alias: so each cycle found is reported once, and
 * every knot of aliases gets at least one report.  Iterative: a chain of
 * 10000 aliases must not exhaust the stack.
 */
static void
check_cycles(struct coord_ctx *cx, const struct name_ref *aidx, size_t naidx,
    const bool *dup)
{
	enum { WHITE, GREY, BLACK };
	const struct coord_conf *c = cx->c;
	struct dfs_frame *stack;
	unsigned char *state;
	size_t *pos, root, sp, j;

	if (naidx == 0)
		return;
	stack = calloc(c->naliases, sizeof(*stack));
	state = calloc(c->naliases, sizeof(*state));
	pos = calloc(c->naliases, sizeof(*pos));
	if (stack == NULL || state == NULL || pos == NULL) {
		oom(cx);
		goto out;
	}
	for (root = 0; root < c->naliases; root++) {
		if (state[root] != WHITE || c->aliases[root].name[0] == '\0' ||
		    dup[root])
			continue;
		state[root] = GREY;
		pos[root] = 0;
		stack[0] = (struct dfs_frame){ root, 0 };
		sp = 1;
		while (sp > 0) {
			struct dfs_frame *f = &stack[sp - 1];
			const struct coord_alias *a = &c->aliases[f->node];

			if (f->next == a->ntargets) {
				state[f->node] = BLACK;
				sp--;
				continue;
			}
			j = name_find(aidx, naidx, a->targets[f->next++]);
			if (j == NO_ENTRY)
				continue;	/* a pool or a plain name */
			if (state[j] == GREY)
				report_cycle(cx, &stack[pos[j]], sp - pos[j]);
			else if (state[j] == WHITE) {
				state[j] = GREY;
				pos[j] = sp;
				stack[sp++] = (struct dfs_frame){ j, 0 };
			}
		}
	}
out:
	free(stack);
	free(state);
	free(pos);
}

static bool
wildcard(const char *addr)
{
	return strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;
}

/* Both listeners take TCP connections: one port cannot serve both. */
static void
check_listeners(struct coord_ctx *cx)
{
	const struct coord_conf *c = cx->c;

	if (!c->metrics_http || c->notify_listen[0] == '\0' ||
	    c->metrics_port != c->notify_port)
		return;
	if (strcmp(c->metrics_listen, c->notify_listen) == 0 ||
	    wildcard(c->metrics_listen) || wildcard(c->notify_listen))
		diag_add(cx->x.d, "%s:%d: metrics_port: %u is notify_port too; "
		    "give the metrics listener a port of its own", cx->x.path,
		    cx->metrics_line, c->metrics_port);
}

static void
check_coord(struct coord_ctx *cx)
{
	const struct coord_conf *c = cx->c;
	struct name_ref *pidx = NULL, *aidx = NULL;
	bool *pdup, *adup;
	size_t npidx = 0, naidx = 0;

	if (c->nzones == 0 && !cx->zones_bad)
		diag_add(cx->x.d, "%s: zones: no managed zone: list them, "
		    "zones = [ \"example.test\" ];", cx->x.path);
	pdup = calloc(c->npools + 1, sizeof(*pdup));
	adup = calloc(c->naliases + 1, sizeof(*adup));
	if (pdup == NULL || adup == NULL) {
		oom(cx);
		goto out;
	}
	pidx = name_index(cx, c->pools ? c->pools[0].name : "",
	    sizeof(*c->pools), c->npools, &npidx, pdup);
	aidx = name_index(cx, c->aliases ? c->aliases[0].name : "",
	    sizeof(*c->aliases), c->naliases, &naidx, adup);
	/* in file order of the two lists */
	if (cx->pools_line <= cx->aliases_line) {
		check_pools(cx, pdup);
		check_aliases(cx, adup, pidx, npidx);
	} else {
		check_aliases(cx, adup, pidx, npidx);
		check_pools(cx, pdup);
	}
	check_cycles(cx, aidx, naidx, adup);
	check_listeners(cx);
out:
	free(pidx);
	free(aidx);
	free(pdup);
	free(adup);
}

static int
pool_cmp(const void *a, const void *b)
{
	return strcmp(((const struct coord_pool *)a)->name,
	    ((const struct coord_pool *)b)->name);
}

int
conf_coord_load(const char *path, struct coord_conf *c, struct diag *d)
{
	struct coord_ctx cx;
	config_setting_t *root, *s;
	config_t cf;
	size_t before = d->n + d->dropped;
	int i;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	conf_net_defaults(&c->net);
	c->grace = CONF_DEFAULT_GRACE;
	c->min_members = CONF_DEFAULT_MIN_MEMBERS;
	c->poll = CONF_DEFAULT_POLL;
	c->notify_port = CONF_DEFAULT_NOTIFY_PORT;
	snprintf(c->metrics_listen, sizeof(c->metrics_listen), "%s",
	    CONF_DEFAULT_METRICS_LISTEN);
	c->metrics_port = CONF_DEFAULT_METRICS_PORT;
	memset(&cx, 0, sizeof(cx));
	cx.x.path = path;
	cx.x.d = d;
	cx.c = c;
	if (read_file(&cx.x, &cf) == -1) {
		free(cx.x.big);
		conf_coord_clean(c);
		return -1;
	}
	root = config_root_setting(&cf);
	/* listed pools default to min_members wherever it stands */
	peek_u32(root, "min_members", 0, CONF_MAX_MIN_MEMBERS,
	    &c->min_members);
	for (i = 0; (s = config_setting_get_elem(root, (unsigned)i)) != NULL;
	    i++)
		parse_coord_setting(&cx, s);
	config_destroy(&cf);
	check_coord(&cx);
	free(cx.x.big);
	free(cx.pool_line);
	free(cx.alias_line);
	if (d->n + d->dropped != before) {
		conf_coord_clean(c);
		return -1;
	}
	if (c->npools > 1)
		qsort(c->pools, c->npools, sizeof(*c->pools), pool_cmp);
	return 0;
}

void
conf_coord_clean(struct coord_conf *c)
{
	if (c == NULL)
		return;
	free(c->pools);
	free(c->aliases);
	memset(c, 0, sizeof(*c));
}

uint32_t
conf_coord_min_members(const struct coord_conf *c, const char *pool)
{
	struct coord_pool key;
	const struct coord_pool *p;

	if (c->npools > 0 && strlen(pool) < sizeof(key.name)) {
		memcpy(key.name, pool, strlen(pool) + 1);
		p = bsearch(&key, c->pools, c->npools, sizeof(*c->pools),
		    pool_cmp);
		if (p != NULL)
			return p->min_members;
	}
	return c->min_members;
}

const char *
conf_coord_zone_of(const struct coord_conf *c, const char *name)
{
	const char *best = NULL;
	size_t i, len = 0;

	for (i = 0; i < c->nzones; i++)
		if (dname_is_subdomain(name, c->zones[i]) &&
		    strlen(c->zones[i]) > len) {
			best = c->zones[i];
			len = strlen(best);
		}
	return best;
}
