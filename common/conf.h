/*
 * conf.h - configuration, parsed once into plain validated structs.
 *
 * The only module that includes libconfig.h.  Loading reports every error
 * as "file:line: setting: reason" and returns nothing usable on any error
 * (like OpenBSD's parse.y): callers never see a half-valid config.
 */
#ifndef RC_CONF_H
#define RC_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regrecord.h"

#define CONF_MAX_SERVERS	8
#define CONF_MAX_POOLS		64
#define CONF_MAX_ERRORS		20

#define CONF_DEFAULT_PORT	53
#define CONF_DEFAULT_TIMEOUT	30	/* -t, seconds, whole exchange */
#define CONF_DEFAULT_UDP_TIMEOUT 3	/* -u, seconds, first try */
#define CONF_DEFAULT_RETRIES	3	/* -r */
#define CONF_DEFAULT_LEASE	180
#define CONF_DEFAULT_TTL	60

/* Every error of one load, in file order. */
struct diag {
	size_t	n;
	size_t	dropped;		/* beyond CONF_MAX_ERRORS */
	char	lines[CONF_MAX_ERRORS][320];
};

void	diag_add(struct diag *d, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Where and how to talk to the zone's primary: shared by both programs. */
struct conf_net {
	char		servers[CONF_MAX_SERVERS][64];	/* numeric addresses */
	size_t		nservers;	/* 0: discover the primary (SOA MNAME) */
	uint16_t	port;
	char		zone[256];	/* normalised; "" = discover */
	char		key_file[PATH_MAX];
	char		key_name[256];	/* "" = the only key in the file */
	uint32_t	timeout;	/* seconds */
	uint32_t	udp_timeout;	/* seconds */
	uint32_t	retries;
	bool		tcp;
	char		resolver[64];	/* "" = /etc/resolv.conf */
	uint16_t	resolver_port;
};

struct conf_pool {
	char		name[256];	/* normalised, trailing dot */
	int		line;		/* in the config file, for messages */
	uint32_t	ttl;
	bool		auto_addrs;	/* addresses absent or "auto" */
	size_t		naddrs;
	struct reg_addr	addrs[REG_MAX_ADDRS];
};

struct agent_conf {
	char		path[PATH_MAX];
	struct conf_net	net;
	char		host_id[64];	/* a DNS label, lower case */
	uint32_t	lease;
	uint32_t	ttl;
	size_t		npools;
	struct conf_pool pools[CONF_MAX_POOLS];
};

/* ---- rollcall-coordinator ---- */

#define CONF_MAX_ZONES		64
#define CONF_MAX_TARGETS	16
#define CONF_DEFAULT_GRACE	30
#define CONF_DEFAULT_POLL	1
#define CONF_DEFAULT_NOTIFY_PORT 5300
#define CONF_DEFAULT_MIN_MEMBERS 1
#define CONF_MAX_CNAME_CHAIN	8
#define CONF_MAX_COORD_POOLS	100000	/* pools = ( ... ) entries */
#define CONF_MAX_ALIASES	10000
#define CONF_MAX_MIN_MEMBERS	65535
#define CONF_MAX_POLL		3600
#define CONF_DEFAULT_METRICS_LISTEN "127.0.0.1"
#define CONF_DEFAULT_METRICS_PORT 9153

/* A pool whose settings differ from the global ones.  Pools need not be
 * listed: any name with registrations below it (H._rollcall.P) is one. */
struct coord_pool {
	char		name[256];	/* normalised */
	uint32_t	min_members;
};

enum on_missing {
	ON_MISSING_KEEP,	/* NXDOMAIN/no address: keep records, warn */
	ON_MISSING_REMOVE,	/* ... : the target contributes nothing */
};

struct coord_alias {
	char		name[256];	/* normalised, inside a managed zone */
	size_t		ntargets;
	char		targets[CONF_MAX_TARGETS][256];	/* normalised */
	uint32_t	ttl;		/* 0 = smallest target TTL */
	bool		ttl_set;
	enum on_missing	on_missing;
};

struct coord_conf {
	char		path[PATH_MAX];
	struct conf_net	net;		/* server(s), port, key, resolver */
	size_t		nzones;
	char		zones[CONF_MAX_ZONES][256];	/* normalised */
	uint32_t	grace;		/* seconds past a lease before expiry */
	uint32_t	min_members;	/* global default */
	uint32_t	poll;		/* seconds between SOA serial checks */
	char		notify_listen[64];	/* "" = no NOTIFY listener */
	uint16_t	notify_port;
	/* Prometheus metrics over HTTP: on when metrics_listen or
	 * metrics_port is set; the other takes its default (loopback). */
	bool		metrics_http;
	char		metrics_listen[64];
	uint16_t	metrics_port;
	/* node_exporter textfile, rewritten after every pass; "" = none */
	char		metrics_textfile[PATH_MAX];
	size_t		npools;
	struct coord_pool *pools;	/* owned; sorted by name */
	size_t		naliases;
	struct coord_alias *aliases;	/* owned; in file order */
};

/*
 * Load the coordinator's config into *c (overwritten: clean a previous one
 * first, or load into a fresh struct and swap on success).  Besides the
 * per-setting checks: every listed pool and alias lies in a managed zone,
 * no name is listed twice or as both pool and alias, and no alias is its
 * own target, directly or through other aliases (each cycle named once:
 * "aliases: cycle: a.example.test. -> b.example.test. -> a.example.test.").
 * Errors of single settings come in file order, then those that need the
 * whole file (zones, duplicates, cycles).  Returns 0 (free with
 * conf_coord_clean), or -1 with every problem in *d and *c cleaned.
 */
int	conf_coord_load(const char *path, struct coord_conf *c, struct diag *d);
/* Frees what c owns and zeroes it; NULL and repeated calls are fine. */
void	conf_coord_clean(struct coord_conf *c);
/* min_members of pool (normalised name): its own, else the global one.
 * A binary search: c->pools must be sorted by name (strcmp), as
 * conf_coord_load leaves them; a config built by hand must sort them too. */
uint32_t conf_coord_min_members(const struct coord_conf *c, const char *pool);
/* The managed zone that contains name, or NULL. */
const char *conf_coord_zone_of(const struct coord_conf *c, const char *name);

/* Defaults for every setting (used with no config file at all too). */
void	conf_net_defaults(struct conf_net *n);

/*
 * Load the agent's config from path into *c.  Returns 0, or -1 with every
 * problem in *d.  The host id defaults to the short host name.
 */
int	conf_agent_load(const char *path, struct agent_conf *c, struct diag *d);

/* Checks that need the final values after command-line overrides (pools
 * inside the zone, a key given).  Returns 0 or -1 with lines in *d. */
int	conf_agent_finish(struct agent_conf *c, struct diag *d);

#endif
