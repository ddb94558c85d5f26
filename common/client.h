/*
 * client.h - one DNS exchange end to end: sign, send, verify, parse.
 *
 * Data flows one way: message (dnsmsg) -> TSIG (tsig) -> transport ->
 * verified answer.  With a key every message is signed and every answer
 * must carry a valid TSIG by that key; without one (queries to the system
 * resolver, which has no key) nothing is signed.
 */
#ifndef RC_CLIENT_H
#define RC_CLIENT_H

#include "conf.h"
#include "dnsmsg.h"
#include "error.h"
#include "transport.h"
#include "tsig.h"

struct dns_client {
	struct xfer_opts	 xo;
	struct server		 servers[CONF_MAX_SERVERS];
	size_t			 nservers;
	const struct tsig_key	*key;		/* borrowed; NULL: unsigned */
	int			 recursive;	/* set RD on queries */
	/* Label of the server that gave the last answer, for messages. */
	char			 last_server[80];
};

/* Transport options from the config's timeout settings. */
void	client_init(struct dns_client *c, const struct conf_net *n,
	    const struct tsig_key *key);
/* Servers from numeric addresses; -1 with ERR_CONFIG on a bad one. */
int	client_set_servers(struct dns_client *c, char (*addrs)[64], size_t n,
	    uint16_t port, struct error *err);

/* Query name/type; *a gets the verified, parsed answer (any rcode). */
int	client_query(struct dns_client *c, const char *name, uint16_t type,
	    struct answer *a, struct error *err);
/* Send an UPDATE; *a gets the verified, parsed answer (any rcode). */
int	client_update(struct dns_client *c, const struct update *u,
	    struct answer *a, struct error *err);

#endif
