/*
 * monitor.h - what the coordinator tells the outside about itself after
 * each pass: systemd (READY, STATUS, WATCHDOG, RELOADING, STOPPING;
 * sdnotify.h), Prometheus metrics over HTTP (metrics_http.h) and in a
 * node_exporter textfile (metrics.h).
 *
 * Owned by the daemon's top level (main), which starts it after the
 * config is loaded; the loop calls it around each pass, while it waits,
 * around reloads and when it stops.  --once uses the metrics and the
 * textfile only.
 */
#ifndef RC_MONITOR_H
#define RC_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "error.h"
#include "metrics.h"
#include "metrics_http.h"
#include "sdnotify.h"

struct pass_result;

struct monitor {
	struct sdnotify		 sd;
	struct coord_metrics	 metrics;
	struct metrics_http	*http;		/* NULL: no listener */
	uint64_t		 pass_start_us;	/* monotonic */
	char			 last_error[512];	/* for the status line */
	bool			 textfile_failing;	/* logged once */
	char			 textfile[PATH_MAX];	/* last written */
};

/*
 * Ready the monitor for conf: daemon selects systemd notification and the
 * HTTP listener (when metrics_listen/metrics_port is set).  -1 with err
 * when the listener cannot start; clean it with monitor_clean either way.
 */
int	monitor_init(struct monitor *mon, const struct coord_conf *conf,
	    bool daemon, struct error *err);
void	monitor_clean(struct monitor *mon);

/* A pass starts (the watchdog is fed here, from the loop) ... */
void	monitor_pass_begin(struct monitor *mon);
/* ... and ended (rc 0 or -1 with err): metrics folded (r's pools taken),
 * textfile written, systemd told the status (READY=1 the first time). */
void	monitor_pass_end(struct monitor *mon, const struct coord_conf *conf,
	    struct pass_result *r, int rc, const struct error *err);
/* While the loop waits: when to wake for the watchdog (monotonic ms,
 * UINT64_MAX: never), and the call to make then. */
uint64_t monitor_wake_ms(const struct monitor *mon);
void	monitor_tick(struct monitor *mon);
void	monitor_reloading(struct monitor *mon);
void	monitor_reloaded(struct monitor *mon);
void	monitor_stopping(struct monitor *mon);

/* The one-line status systemd shows (exposed for tests). */
void	monitor_status_line(const struct monitor *mon, char *buf, size_t len);

#endif
