/*
 * daemon.h - the coordinator's passes and its loop.
 *
 * A pass: check each managed zone's SOA serial (one signed query), re-read
 * by AXFR only the zones whose serial changed, resolve alias targets, plan
 * (pure, cplan.h) and apply (apply.h).  A zone that cannot be read fully
 * makes the pass plan nothing.  A pass's time is bounded: each exchange has
 * the configured timeout, the first that fails ends the pass, and the
 * resolver gets COORD_RESOLVE_BUDGET_MS for all the alias targets of a
 * pass together.  The loop runs a pass every `poll` seconds,
 * at once on NOTIFY, backs off (capped, jittered) while the server fails,
 * reloads on SIGHUP and stops on SIGTERM between passes.
 */
#ifndef RC_DAEMON_H
#define RC_DAEMON_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "apply.h"
#include "client.h"
#include "conf.h"
#include "cplan.h"
#include "zonedata.h"

/* Out-of-zone alias targets are asked again after this long at most. */
#define COORD_TARGET_REFRESH	60
/* A pass spends at most this long waiting for the resolver, all alias
 * targets together (expiries are applied after the plan, so they wait
 * this long at most behind a dead resolver); the targets not asked in
 * time are left as they are and asked first next pass. */
#define COORD_RESOLVE_BUDGET_MS	5000

struct target_cache {
	char			name[256];
	struct target_result	result;
	uint64_t		expires_ms;	/* monotonic */
	uint64_t		asked_ms;	/* monotonic; 0: never */
};

/* When a heartbeat from the future was first seen (cplan.h first_seen).
 * An entry not asked about during a coord_plan (the host's clock is
 * right again, or its registration is gone) is dropped after it. */
struct skew_seen {
	char		host[64];
	char		pool[256];
	uint64_t	heartbeat;
	uint64_t	first;		/* wall clock */
	bool		seen;		/* during the coord_plan running */
};

struct pass_result {
	bool		read_ok;	/* every zone read (or unchanged) */
	size_t		actions;	/* planned */
	size_t		targets_failed;
	size_t		held_back;
	size_t		aliases_kept;	/* a target MISSING, on_missing keep */
	bool		skipped;	/* nothing could have changed: not
					 * planned */
	struct apply_stats st;
	/* for monitoring (metrics.h) */
	size_t		soa_queries;	/* sent this pass */
	size_t		zone_transfers;	/* AXFRs started */
	bool		planned;	/* a plan was made (maybe not all
					 * applied): the fields below hold */
	struct alias_counts aliases;	/* the plan's, before applying */
	struct pool_report *pools;	/* the plan's, owned (moved out of
					 * it); free with pass_result_clean */
	size_t		npools;
};

/* Free what r owns; r may be cleaned twice. */
void	pass_result_clean(struct pass_result *r);

struct coord {
	struct coord_conf	*conf;		/* owned */
	struct tsig_key		 key;
	/*
	 * Where the zones are read and updated.  A configured server serves
	 * every zone: zprimary is NULL and primary is used for all.  With no
	 * server, each zone's primary is discovered (SOA MNAME) at start:
	 * zprimary[i] for conf->zones[i], and primary is a copy of the first
	 * (for messages).  Both signed.
	 */
	struct dns_client	 primary;
	struct dns_client	*zprimary;	/* conf->nzones, or NULL */
	struct dns_client	 resolver;	/* unsigned, recursive */
	bool			 have_resolver;
	struct zone_data	*zones;		/* conf->nzones, last full read */
	bool			*zone_read;
	struct target_cache	*cache;
	size_t			 ncache;
	struct skew_seen	*skew;		/* one per skewed host and pool */
	size_t			 nskew;
	char			**last_notes;	/* logged last pass: log once */
	size_t			 nlast_notes;
	char			**last_refused;	/* the same for refusals */
	size_t			 nlast_refused;
	/*
	 * A pass plans only when the last plan may be stale: no plan yet
	 * (first pass, reload, failed pass), a zone was re-read (serial
	 * moved), a live host's expiry is due (next_due, wall clock, from
	 * cplan), or a target's answer from the resolver may have changed
	 * (replan_ms, monotonic).  Idle, a pass is one SOA query per zone.
	 */
	bool			 planned;	/* last pass planned and applied */
	bool			 zones_changed;	/* re-read since it planned */
	uint64_t		 next_due;
	uint64_t		 replan_ms;
	uint64_t		 resolve_until;	/* this plan's resolver time
						 * (mono_ms) */
	bool			 dry_run;	/* -n */
	FILE			*out;		/* -n scripts */
	const char		*resolv_conf;
};

/*
 * Take ownership of conf (and copy key) into a ready coord.  With no
 * server configured, each zone's primary is found now (its SOA MNAME and
 * the MNAME's addresses, from the resolver, on the configured port).  -1
 * with err on a bad server/resolver address, or a zone whose primary
 * cannot be found (no SOA of its own at the resolver: set server).
 */
int	coord_init(struct coord *co, struct coord_conf *conf,
	    const struct tsig_key *key, struct error *err);
void	coord_clean(struct coord *co);

/* One pass at wall-clock time now.  -1 with err when the zone could not be
 * read or the server failed (nothing or not everything was applied).
 * Clean *r with pass_result_clean either way. */
int	coord_pass(struct coord *co, uint64_t now, struct pass_result *r,
	    struct error *err);

/* The parts of a pass: re-read changed zones (-1: plan nothing; the
 * queries and transfers counted in r), then plan everything into p (-1:
 * no memory). */
int	coord_refresh(struct coord *co, struct pass_result *r,
	    struct error *err);
int	coord_plan(struct coord *co, uint64_t now, struct plan *p,
	    struct pass_result *r, struct error *err);

/* Read the zones and print pools and aliases, as aligned tables or (json)
 * one JSON document; applies nothing. */
int	coord_status(struct coord *co, uint64_t now, bool json, FILE *out,
	    struct error *err);
/* What status --json prints when the zones cannot be read (coord_status
 * prints it itself): {"time":now,"ok":false,"error":msg}. */
void	coord_status_error(FILE *out, uint64_t now, const char *msg);

/* Signal flags set by main's handlers (the daemon's only globals). */
struct coord_signals {
	volatile sig_atomic_t	*stop;
	volatile sig_atomic_t	*reload;
};

/* Reload callback: build a new conf+key; 0 on success (then swapped). */
typedef int (*coord_reload_fn)(void *arg, struct coord_conf **conf,
    struct tsig_key *key, struct error *err);

/* The NOTIFY listener's sockets, UDP and TCP on the same address and
 * port; both -1 when there is none. */
struct notify_fds {
	int	udp;
	int	tcp;
};

struct monitor;

/* Run until *stop, telling mon (monitor.h; the caller's) about every
 * pass, wait, reload and the stop.  Returns 0. */
int	coord_loop(struct coord *co, const struct coord_signals *sig,
	    coord_reload_fn reload, void *arg, const struct notify_fds *nf,
	    struct monitor *mon);

#endif
