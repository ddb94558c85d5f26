/*
 * status.h - how `rollcall-agent status` shows one pool: an aligned block
 * for a person, or an element of one JSON document (--json) for a
 * program.  agent.c reads the pool and fills struct pool_status; this
 * module only prints.
 */
#ifndef RC_AGENT_STATUS_H
#define RC_AGENT_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "json.h"
#include "regrecord.h"

enum reg_state {
	REG_NONE,		/* not registered */
	REG_UNREADABLE,		/* a TXT RR that does not parse (why) */
	REG_FRESH,		/* heartbeat within the lease */
	REG_EXPIRED,		/* heartbeat older than the lease */
};

/* What status found in one pool; pointers borrowed from the caller. */
struct pool_status {
	const char		*pool, *zone, *server, *host_id;
	enum reg_state		 reg;
	const char		*why;		/* REG_UNREADABLE */
	uint64_t		 heartbeat;	/* REG_FRESH, REG_EXPIRED */
	long long		 age;
	uint32_t		 lease;
	const struct registration *own;	/* the addresses it lists */
	const bool		*published;	/* own->addrs[i] at the pool */
	const struct reg_addr	*members;	/* every address at the pool */
	size_t			 nmembers;
	bool			 ok;		/* fresh, all published */
};

/* The block of one pool, columns aligned. */
void	status_print(FILE *out, const struct pool_status *s);

/* One JSON document for every configured pool of conf, in config order. */
struct status_doc {
	struct json		 j;
	const struct agent_conf	*conf;
	bool			 seen[CONF_MAX_POOLS];
};

void	status_doc_begin(struct status_doc *d, FILE *out,
	    const struct agent_conf *conf, uint64_t now);
/* Pool number i of conf: what was found, or the error that stopped it. */
void	status_doc_pool(struct status_doc *d, size_t i,
	    const struct pool_status *s);
void	status_doc_error(struct status_doc *d, size_t i, const char *msg);
/* Pools that never got as far (discovery failed: logged) get an error
 * entry; then "ok" and the end.  -1 when the document went wrong. */
int	status_doc_end(struct status_doc *d, bool ok);

#endif
