/*
 * metrics.h - the coordinator's numbers for monitoring: one plain struct,
 * owned by the daemon's top level (main's run_daemon), that the loop
 * folds every pass into, and that is rendered in the Prometheus text
 * exposition format 0.0.4 for the HTTP listener (metrics_http.h) and the
 * node_exporter textfile.
 *
 * The numbers come from where they arise: the pass's result (SOA queries,
 * transfers, the plan's pools and alias counts, apply's stats by kind and
 * rcode) and, for a failed pass, its error.  README "Monitoring" lists
 * every metric and what it means.
 *
 * Locking: only the loop writes; metrics_fold takes m->lock while it
 * changes m, and a reader in another thread (the HTTP handler) holds
 * m->lock while it renders.  The loop itself renders without the lock.
 */
#ifndef RC_METRICS_H
#define RC_METRICS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "apply.h"
#include "conf.h"
#include "cplan.h"
#include "error.h"

struct pass_result;

/* TSIG failures by kind (the label values, in this order). */
enum metrics_tsig {
	MT_BADSIG,	/* the server says our MAC is wrong */
	MT_BADKEY,	/* the server does not know the key */
	MT_BADTIME,	/* clocks apart by more than the fudge */
	MT_BADTRUNC,
	MT_UNSIGNED,	/* an answer without TSIG */
	MT_FORGED,	/* an answer whose MAC does not verify */
	MT_WRONG_KEY,	/* an answer signed with another key */
	MT_MALFORMED,	/* a TSIG RR we cannot use */
	MT_KINDS
};

#define METRICS_ERR_KINDS	(ERR_SYS + 1)

/* Action outcomes (label result), in this order. */
enum { MR_APPLIED, MR_RACED, MR_FAILED, MR_KINDS };

struct coord_metrics {
	pthread_mutex_t		 lock;
	/* the last pass */
	bool			 passed;	/* one has run */
	bool			 last_ok;
	uint64_t		 last_us;	/* its duration */
	uint64_t		 last_success;	/* wall clock; 0: never */
	char			 last_error[512];	/* "" after a good pass */
	/* the last plan, its counts after its updates were applied */
	bool			 planned;	/* one was made */
	char			(*zones)[256];
	size_t			 nzones;
	struct pool_report	*pools;		/* pool i is in zones[pzone[i]] */
	size_t			*pzone;
	size_t			 npools;
	struct alias_counts	 aliases;	/* changed: not (yet) applied */
	/* counters since start */
	uint64_t		 passes_ok, passes_failed;
	uint64_t		 pass_us_sum;
	uint64_t		 plans;
	uint64_t		 soa_queries, zone_transfers, updates;
	uint64_t		 actions[ACT_KINDS][MR_KINDS];
	uint64_t		 rcodes[APPLY_RCODES];
	uint64_t		 tsig[MT_KINDS];
	uint64_t		 failures[METRICS_ERR_KINDS];
};

/* 0, or -1 (the mutex could not be made). */
int	metrics_init(struct coord_metrics *m);
void	metrics_clean(struct coord_metrics *m);

/*
 * Fold a pass into m: ok or failed with err, lasting duration_us, ending
 * at wall-clock now; conf is the configuration it ran with.  The plan's
 * pools are taken from r (r->pools becomes NULL) when the pass planned.
 * Takes m->lock while m changes.  -1 only when out of memory (the pools
 * of this plan are then left out; the counters are still counted).
 */
int	metrics_fold(struct coord_metrics *m, const struct coord_conf *conf,
	    struct pass_result *r, bool ok, const struct error *err,
	    uint64_t duration_us, uint64_t now);

/* The kind of a TSIG failure from its error (its message names the case,
 * tsig.c); MT_KINDS when err is not one. */
enum metrics_tsig metrics_tsig_kind(const struct error *err);

/* Write m in the text exposition format 0.0.4.  -1 on a write error. */
int	metrics_render(const struct coord_metrics *m, FILE *out);

/* A label value with \, " and newline escaped (quotes not included). */
void	metrics_escape_label(FILE *out, const char *s);

/*
 * Write m to path atomically: PATH.tmp, mode 0644 whatever the umask (the
 * collector runs as another user), then rename.  -1 with err.
 */
int	metrics_write_textfile(const struct coord_metrics *m, const char *path,
	    struct error *err);

#endif
