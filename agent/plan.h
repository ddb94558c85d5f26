/*
 * plan.h - what one agent run should change in one pool: a pure function
 * of the config, the registration read from DNS and the clock, so that it
 * is unit-tested without a network.
 */
#ifndef RC_PLAN_H
#define RC_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "dnsmsg.h"
#include "regrecord.h"

/* The registration RRset as read: its exact RRs (for the prerequisite)
 * and what they say (for what the host owned).  Any number of RRs: junk
 * added by hand must not lock the host out, the prerequisite lists all. */
struct reg_read {
	size_t			nrr;
	char			**text;		/* owned */
	bool			valid;		/* every RR parsed */
	struct registration	owned;		/* union of parsed RRs */
	char			why[256];	/* first parse error */
};

enum plan_action {
	PLAN_REGISTER,		/* register and heartbeat */
	PLAN_DEREGISTER,
};

/* The host's state for one pool after address resolution. */
struct plan_input {
	const char		*zone;
	const char		*host_id;
	const struct conf_pool	*pool;
	const struct reg_addr	*addrs;		/* the host's addresses now */
	size_t			 naddrs;
	uint32_t		 lease;
	uint64_t		 now;
};

/* Registration record owner: host_id._rollcall.pool */
void	plan_reg_name(const char *host_id, const char *pool, char *out,
	    size_t outlen);

/* Add one TXT rdata read from DNS (copied). -1: no memory or too many. */
int	reg_read_add(struct reg_read *r, const char *text);
void	reg_read_clean(struct reg_read *r);
/* True if the RRset read is exactly the single RR text. */
bool	reg_read_is(const struct reg_read *r, const char *text);

/*
 * Build the UPDATE for in/action given what was read.  Every update also
 * requires that neither the pool nor the registration name is a CNAME
 * (RFC 2136 2.4.3): servers silently ignore data added next to a CNAME,
 * which would otherwise pass for success.  Deregistering an unreadable
 * registration deletes the host's configured addresses (in->addrs), the
 * best knowledge of what it owned.  u must be
 * initialised by the caller (zone, lease option).  For a register, the new
 * registration text goes to newtext.  Deregistering a host with no
 * registration leaves u without operations.  Returns 0 or -1 (no memory,
 * or the record would not fit).
 */
int	plan_pool(enum plan_action action, const struct plan_input *in,
	    const struct reg_read *cur, struct update *u, char *newtext,
	    size_t newtextlen);

#endif
