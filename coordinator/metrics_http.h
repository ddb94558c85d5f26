/*
 * metrics_http.h - the Prometheus endpoint: GET /metrics on a TCP port,
 * served by libmicrohttpd.
 *
 * Threading: libmicrohttpd runs its own thread (internal polling), and
 * the handler renders the metrics on demand under m->lock.  Serving from
 * the daemon's poll loop instead would leave scrapes unanswered for as
 * long as a pass lasts, and a pass waits up to `timeout` seconds per
 * exchange exactly when the primary is down: the moment the metrics
 * matter most.  Rendering per scrape (not after every pass) costs nothing
 * while nobody scrapes, and the lock is held by the loop only for the
 * short swap in metrics_fold.
 */
#ifndef RC_METRICS_HTTP_H
#define RC_METRICS_HTTP_H

#include <stdint.h>

#include "error.h"
#include "metrics.h"

struct metrics_http;

/* Listen on addr (numeric) and port and serve m (borrowed: it must
 * outlive the server).  -1 with err (ERR_CONFIG: cannot listen there). */
int	metrics_http_start(struct metrics_http **out, const char *addr,
	    uint16_t port, struct coord_metrics *m, struct error *err);
/* Stop the thread, close the socket, free h; NULL is fine. */
void	metrics_http_stop(struct metrics_http *h);

#endif
