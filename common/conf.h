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
	uint32_t	ttl;
	bool		auto_addrs;	/* addresses absent or "auto" */
	size_t		naddrs;
	struct reg_addr	addrs[REG_MAX_ADDRS];
};

struct agent_conf {
	char		path[PATH_MAX];
	struct conf_net	net;
	char		host_id[64];
	uint32_t	lease;
	uint32_t	ttl;
	size_t		npools;
	struct conf_pool pools[CONF_MAX_POOLS];
};

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
