/*
 * cplan.h - the coordinator's planning step: a pure function of the zone
 * data, the config, the resolved alias targets and the clock.  It decides
 * what to expire, which missing addresses of live hosts to re-add and how
 * to bring each alias in line, and expresses each as a self-contained
 * action (its own prerequisites) so that actions can be batched into one
 * UPDATE and split again when a batch fails its prerequisites.
 */
#ifndef RC_CPLAN_H
#define RC_CPLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "dnsmsg.h"
#include "regrecord.h"
#include "zonedata.h"

/* TSIG fudge: a heartbeat further in the future is a skewed clock. */
#define CPLAN_FUTURE_SLACK	300

enum action_kind {
	ACT_EXPIRE,	/* delete a stale registration and its addresses */
	ACT_REPAIR,	/* re-add a live registration's missing address(es) */
	ACT_ALIAS,	/* bring an alias's A/AAAA RRsets to its targets' */
};
#define ACT_KINDS	3

struct action {
	enum action_kind kind;
	char		 zone[256];
	char		 subject[300];	/* "host3 in srv.example.test." /
					 * "alias mx1.example.test." */
	struct update	 u;		/* prerequisites + changes, zone set */
};

/* What a pool looks like, for status and metrics. */
struct pool_report {
	char		name[256];
	size_t		live, expired, held_back, invalid, addrs;
};

/*
 * Optional detail of a plan, for `status` (struct plan's collect): one
 * row per pool, per registration and per alias, saying what the plan
 * does with it and why, so that status prints the planner's view rather
 * than a guess.  Addresses of all rows live in one array (p->addrs),
 * notes tied to a row are a range of p->notes.
 */
enum addr_fate {
	FATE_PRESENT,	/* at the pool (or alias) as read, and stays */
	FATE_MISSING,	/* listed but not at the pool: a live host's is
			 * re-added next pass (unless the pool is a CNAME) */
	FATE_DELETED,	/* this plan's expiry deletes it */
	FATE_SHARED,	/* an expired host's, at the pool, kept: another
			 * live or unreadable registration lists it */
};

struct plan_addr {
	struct reg_addr	 a;
	enum addr_fate	 fate;
};

struct pool_row {
	char		 name[256];
	char		 zone[256];
	uint32_t	 min_members;
	size_t		 addrs;		/* A/AAAA RRs at the pool */
	bool		 cname;		/* the pool is a CNAME: no repairs */
	size_t		 host_first, nhosts;	/* in p->hrows */
	size_t		 static_first, nstatic;	/* in p->addrs: listed by
						 * no registration */
	size_t		 note_first, nnotes;	/* in p->notes */
};

enum host_state {
	HOST_LIVE,
	HOST_EXPIRED,	/* expiry planned (p->acts[act]) */
	HOST_HELD,	/* expired, held back by min_members */
	HOST_INVALID,	/* unreadable or several TXT RRs: untouched (why) */
};

struct host_row {
	char		 host[256];
	enum host_state	 state;
	char		 why[200];	/* HOST_INVALID */
	uint64_t	 heartbeat;	/* t= as written (not HOST_INVALID) */
	int64_t		 age;		/* now - heartbeat with skew removed */
	uint64_t	 skew;		/* > 0: t= lies this far in the future
					 * (beyond CPLAN_FUTURE_SLACK): the
					 * heartbeat counts from first seen */
	uint32_t	 lease;
	size_t		 left;		/* HOST_HELD: the pool would keep */
	long		 act;		/* its expiry or repair in p->acts,
					 * or -1 */
	size_t		 addr_first, naddrs;	/* in p->addrs; an invalid
						 * one: the pool's addresses
						 * it claims */
	size_t		 note_first, nnotes;	/* in p->notes */
};

enum alias_state {
	ALIAS_IN_SYNC,
	ALIAS_CHANGE,	/* p->acts[act] brings it in line */
	ALIAS_LEFT,	/* left as it is (why) */
};

/* Why an alias is left as it is (ALIAS_LEFT), or LEFT_NOT. */
enum alias_left {
	LEFT_NOT,
	LEFT_UNRESOLVED,	/* a target could not be resolved */
	LEFT_MISSING,		/* a target MISSING, on_missing keep */
	LEFT_MISPLACED,		/* the alias is a pool or a CNAME */
};

/* Aliases by what the plan does with them, counted by cplan_alias with or
 * without p->collect (metrics, the daemon's status line). */
struct alias_counts {
	size_t		 in_sync;
	size_t		 changed;	/* an action brings it in line */
	size_t		 unresolved;	/* LEFT_UNRESOLVED */
	size_t		 missing;	/* LEFT_MISSING */
	size_t		 misplaced;	/* LEFT_MISPLACED */
};

struct alias_row {
	char		 name[256];
	char		 zone[256];
	enum alias_state state;
	enum alias_left	 left;		/* ALIAS_LEFT: why, as a kind */
	char		 why[400];	/* ALIAS_LEFT */
	long		 act;		/* ALIAS_CHANGE, else -1 */
	size_t		 addr_first, naddrs;	/* its A/AAAA as read */
	size_t		 note_first, nnotes;	/* in p->notes */
};

struct plan {
	struct action	*acts;
	size_t		 nacts, cap;
	/* events the daemon logs once per occurrence (held back, skewed
	 * clock, unreadable registration ...), one line each */
	char		**notes;
	size_t		 nnotes, notes_cap;
	struct pool_report *pools;
	size_t		 npools;
	/*
	 * Filled by cplan_expiry: the earliest wall-clock second at which a
	 * registration seen live becomes expired (heartbeat, skew removed as
	 * below, + lease + grace + 1), or UINT64_MAX when none is live.
	 * Until then, and while the zone data is the same, a new plan would
	 * expire nothing more (plan_init sets UINT64_MAX).
	 */
	uint64_t	 next_due;
	/* cplan_alias: aliases left as they are because a target is
	 * MISSING and on_missing is keep (not converged) */
	size_t		 aliases_kept;
	struct alias_counts alias_counts;
	/*
	 * Optional, set by the caller after plan_init: an array of nacts
	 * rcodes that apply_plan fills for the actions the server refused
	 * (0: not refused) instead of logging them, so that the daemon can
	 * log a refusal once while it lasts rather than at every retry.
	 * NULL: apply_plan logs each refusal.
	 */
	int		*refused_rcode;
	/*
	 * Optional, set by the caller: the daemon's memory of when a
	 * heartbeat from the future (beyond CPLAN_FUTURE_SLACK) was first
	 * seen, so that a skewed host which then dies expires one lease
	 * after that, not when the clock catches up.  NULL: it counts as now.
	 */
	uint64_t	(*first_seen)(void *arg, const char *host,
			    const char *pool, uint64_t heartbeat, uint64_t now);
	void		*first_seen_arg;
	/*
	 * Optional, set by the caller after plan_init: also fill the rows
	 * below (status).  false (the daemon's passes): nothing collected.
	 */
	bool		 collect;
	struct pool_row	*prows;
	size_t		 nprows, prows_cap;
	struct host_row	*hrows;
	size_t		 nhrows, hrows_cap;
	struct alias_row *arows;
	size_t		 narows, arows_cap;
	struct plan_addr *addrs;
	size_t		 naddrs, addrs_cap;
};

void	plan_init(struct plan *p);
void	plan_clean(struct plan *p);

/*
 * Expiry and repair for every pool found in z (any name with TXT RRs at
 * H._rollcall.P below it) at time now:
 * - a registration whose heartbeat + lease + grace < now (heartbeats more
 *   than CPLAN_FUTURE_SLACK in the future count as now, or as when first
 *   seen with p->first_seen, with a note) is
 *   expired: prerequisite = its TXT RR exactly as read (RFC 2136 2.4.2);
 *   delete the TXT RRset, and, one RR at a time, each address it lists
 *   that is at P and listed by no other live or invalid registration of P
 *   (an invalid one claims an address when one of its RRs lists it, or
 *   its raw text holds the token "a=ADDR", canonical text); for each
 *   address deleted, the TXT RR of every other registration of P that
 *   lists it is a prerequisite too, exactly as read (it may heartbeat);
 * - unless that would leave P with fewer than min_members addresses
 *   (static ones count): then it is held back, noted and counted;
 * - a live registration whose address is missing at P gets it re-added
 *   with P's TTL, under the same prerequisite on its TXT RR, unless P is
 *   a CNAME in z (BIND would ignore the add): then a note;
 * - unparsable registrations and records no registration lists are never
 *   touched.
 * With p->collect, also a pool_row per pool (its notes, hosts and static
 * addresses) and a host_row per registration name, in the same order.
 * Returns 0 or -1 (no memory).
 */
int	cplan_expiry(const struct zone_data *z, const struct coord_conf *c,
	    uint64_t now, struct plan *p);

/*
 * Whether an expiry already in p deletes address a at owner (an OP_DEL_RR
 * of an ACT_EXPIRE action; owner compared without case).  Alias targets
 * read from the zone data are the zone before this plan: the daemon drops
 * such addresses from them before cplan_alias, so that an alias never
 * gets the address of a host expired in the same pass.
 */
bool	cplan_deleting(const struct plan *p, const char *owner,
	    const struct reg_addr *a);

/* One alias target after resolution (CNAME chains followed). */
enum target_state {
	TARGET_OK,		/* has addresses */
	TARGET_MISSING,		/* NXDOMAIN or no A/AAAA */
	TARGET_FAILED,		/* timeout, SERVFAIL, unreachable, loop */
};

struct target_result {
	enum target_state state;
	size_t		 naddrs;
	struct reg_addr	 addrs[REG_MAX_ADDRS];
	uint32_t	 min_ttl;
	/* min_ttl is the records' own TTL (zone data), not what a
	 * resolver's cache has left of it (which counts down) */
	bool		 ttl_fixed;
	/* TARGET_FAILED without asking: the pass's time for the resolver
	 * was spent (daemon.c); asked again next pass, not cached */
	bool		 deferred;
	char		 why[200];
};

/*
 * Bring alias a (with its targets resolved, results[i] for a->targets[i])
 * to the union of its targets' addresses, given the alias's current A and
 * AAAA RRs in z.  Minimal: delete exactly the stale RRs, add exactly the
 * missing ones, one action, with prerequisites that the alias's A and AAAA
 * RRsets are exactly as read.  A FAILED target plans nothing (note); a
 * MISSING one keeps the records (note, p->aliases_kept counted) unless
 * on_missing = remove.
 * TTL: a->ttl when set, else the smallest OK target's.  An RRset whose
 * TTL is not that (explicit ttl), or is larger than it (derived, every
 * OK target ttl_fixed: a resolver's TTL counts down, and following it
 * would ratchet the alias's TTL towards 0), has its RRs re-added with
 * the TTL, under the same prerequisites.
 * An alias whose name is a pool (one of p->pools: registrations in the
 * zone, or configured), or a CNAME in z, plans nothing (note).
 * cplan_expiry must have run first, for every zone, on the same plan p:
 * it fills p->pools, which this reads.
 * With p->collect, also an alias_row: in sync, changed (its action) or
 * left as it is (why), with the notes added for it.
 * Returns 0 (an action added or not) or -1 (no memory).
 */
int	cplan_alias(const struct zone_data *z, const struct coord_alias *a,
	    const struct target_result *results, struct plan *p);

#endif
