/*
 * discover.h - find a name's zone and the zone's primary, as nsupdate does:
 * ask for the SOA, stripping leading labels until one is found; the
 * primary is the SOA MNAME, whose addresses come from the resolver.
 */
#ifndef RC_DISCOVER_H
#define RC_DISCOVER_H

#include "client.h"

/* Resolver servers: the configured resolver, else the nameserver lines of
 * /etc/resolv.conf (port 53).  -1 with ERR_CONFIG when there are none. */
int	discover_resolvers(const struct conf_net *n, const char *resolv_conf,
	    struct dns_client *c, struct error *err);

/* Zone enclosing name (normalised, trailing dot) and its MNAME, asked of
 * c's servers.  -1 with ERR_CONFIG when no enclosing zone exists. */
int	discover_zone(struct dns_client *c, const char *name, char *zone,
	    size_t zonelen, char *mname, size_t mnamelen, struct error *err);

/* Addresses (A then AAAA) of mname, asked of resolver, as servers on port
 * into out.  -1 when mname has no address. */
int	discover_primary(struct dns_client *resolver, const char *mname,
	    uint16_t port, struct dns_client *out, struct error *err);

#endif
