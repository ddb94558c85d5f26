/*
 * agent.h - the agent's commands: register/heartbeat, deregister, status.
 */
#ifndef RC_AGENT_H
#define RC_AGENT_H

#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "error.h"
#include "tsig.h"

struct status_doc;

enum agent_cmd {
	CMD_REGISTER,
	CMD_HEARTBEAT,
	CMD_DEREGISTER,
	CMD_STATUS,
	CMD_CHECK,
};

struct agent {
	const struct agent_conf	*conf;
	const struct tsig_key	*key;
	bool			 dry_run;	/* -n: print nsupdate script */
	FILE			*out;		/* script and status output */
	struct status_doc	*json;		/* status --json: the document
						 * (status.h); NULL: tables */
	const char		*resolv_conf;	/* for primary discovery */
};

/*
 * Run cmd for every pool.  A pool that fails is logged (one line naming
 * the pool, server and reason) and the others are still done.  Returns 0
 * if every pool succeeded, else -1 with the first failure's kind in
 * err->kind (which decides the exit code).
 */
int	agent_run(const struct agent *ag, enum agent_cmd cmd,
	    struct error *err);

#endif
