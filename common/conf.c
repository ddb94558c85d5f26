#include "conf.h"

#include <arpa/inet.h>
#include <stdarg.h>
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

struct load_ctx {
	const char	*path;
	struct diag	*d;
};

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
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		SERR(x, s, "must be a whole number");
		return -1;
	}
	v = config_setting_get_int64(s);
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

static void
read_agent(struct load_ctx *x, config_t *cf, struct agent_conf *c)
{
	config_setting_t *root = config_root_setting(cf), *s;
	long long v;
	int i;

	/* Pools default to ttl wherever it stands in the file; a bad ttl is
	 * reported in its place below, so that errors stay in file order. */
	if ((s = config_setting_get_member(root, "ttl")) != NULL &&
	    (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64) &&
	    (v = config_setting_get_int64(s)) >= 0 && v <= TTL_MAX)
		c->ttl = (uint32_t)v;
	for (i = 0; (s = config_setting_get_elem(root, (unsigned)i)) != NULL;
	    i++)
		parse_agent_setting(x, s, c);
}

int
conf_agent_load(const char *path, struct agent_conf *c, struct diag *d)
{
	struct load_ctx x = { path, d };
	config_t cf;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	conf_net_defaults(&c->net);
	c->lease = CONF_DEFAULT_LEASE;
	c->ttl = CONF_DEFAULT_TTL;
	config_init(&cf);
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			diag_add(d, "%s: cannot read file", path);
		else
			diag_add(d, "%s:%d: %s", path, config_error_line(&cf),
			    config_error_text(&cf));
		config_destroy(&cf);
		return -1;
	}
	read_agent(&x, &cf, c);
	config_destroy(&cf);
	if (c->host_id[0] == '\0')
		default_host_id(&x, c);
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
			diag_add(d, "%s: pool %s is not inside zone %s",
			    c->path, p->name, c->net.zone);
		/* H._rollcall.P must stay a legal name (RFC 1035 2.3.4) */
		if (strlen(c->host_id) + strlen(REG_LABEL) + 2 +
		    strlen(p->name) > 254)
			diag_add(d, "%s: pool %s: name too long for the "
			    "registration record %s.%s.%s", c->path, p->name,
			    c->host_id, REG_LABEL, p->name);
	}
	return d->n > 0 ? -1 : 0;
}
