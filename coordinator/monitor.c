#include "monitor.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int
monitor_init(struct monitor *mon, const struct coord_conf *conf,
    bool daemon, struct error *err)
{
	memset(mon, 0, sizeof(*mon));
	if (metrics_init(&mon->metrics) == -1)
		return err_set(err, ERR_SYS, "cannot create a mutex");
	if (!daemon)
		return 0;
	sdn_init(&mon->sd);
	if (conf->metrics_http) {
		if (metrics_http_start(&mon->http, conf->metrics_listen,
		    conf->metrics_port, &mon->metrics, err) == -1)
			return -1;
		log_info("metrics on http://%s%s%s:%u/metrics",
		    strchr(conf->metrics_listen, ':') ? "[" : "",
		    conf->metrics_listen,
		    strchr(conf->metrics_listen, ':') ? "]" : "",
		    conf->metrics_port);
	}
	return 0;
}

void
monitor_clean(struct monitor *mon)
{
	/* the server first: its thread reads the metrics */
	metrics_http_stop(mon->http);
	mon->http = NULL;
	metrics_clean(&mon->metrics);
}

void
monitor_pass_begin(struct monitor *mon)
{
	sdn_watchdog(&mon->sd);
	mon->pass_start_us = mono_us();
}

void
monitor_status_line(const struct monitor *mon, char *buf, size_t len)
{
	const struct coord_metrics *m = &mon->metrics;
	const struct alias_counts *a = &m->aliases;
	size_t live = 0, expired = 0, held = 0, aliases;

	for (size_t i = 0; i < m->npools; i++) {
		live += m->pools[i].live;
		expired += m->pools[i].expired + m->pools[i].held_back;
		held += m->pools[i].held_back;
	}
	aliases = a->in_sync + a->changed + a->unresolved + a->missing +
	    a->misplaced;
	snprintf(buf, len, "last pass %s", !m->passed ? "not run yet" :
	    m->last_ok ? "ok" : "FAILED");
	if (m->planned)
		str_append(buf, len, "; registrations: %zu live, %zu expired "
		    "(%zu held back); aliases: %zu/%zu in sync", live, expired,
		    held, a->in_sync, aliases);
	else
		str_append(buf, len, "; zones not read yet");
	str_append(buf, len, "; last error: %s", mon->last_error[0] ?
	    mon->last_error : "none");
}

/* The textfile after every pass; a failure is logged when it starts and
 * when it ends, not every second. */
static void
write_textfile(struct monitor *mon, const char *path)
{
	struct error err;

	/* a reload moved or removed it: the old file would be read (and
	 * alerted on as stale) for ever */
	if (mon->textfile[0] != '\0' && strcmp(mon->textfile, path) != 0) {
		if (unlink(mon->textfile) == -1 && errno != ENOENT)
			log_warn("metrics_textfile: removing %s",
			    mon->textfile);
		mon->textfile[0] = '\0';
		mon->textfile_failing = false;
	}
	if (path[0] == '\0')
		return;
	snprintf(mon->textfile, sizeof(mon->textfile), "%s", path);
	if (metrics_write_textfile(&mon->metrics, path, &err) == -1) {
		if (!mon->textfile_failing)
			log_warnx("%s", err.msg);
		mon->textfile_failing = true;
	} else if (mon->textfile_failing) {
		log_info("metrics_textfile: %s written again", path);
		mon->textfile_failing = false;
	}
}

void
monitor_pass_end(struct monitor *mon, const struct coord_conf *conf,
    struct pass_result *r, int rc, const struct error *err)
{
	char status[sizeof(mon->sd.status)];

	if (rc == -1 && err != NULL)
		snprintf(mon->last_error, sizeof(mon->last_error), "%s",
		    err->msg);
	if (metrics_fold(&mon->metrics, conf, r, rc == 0, rc == -1 ? err :
	    NULL, mono_us() - mon->pass_start_us, (uint64_t)time(NULL)) == -1)
		log_warnx("metrics: out of memory; this plan's pools are left "
		    "out");
	write_textfile(mon, conf->metrics_textfile);
	monitor_status_line(mon, status, sizeof(status));
	sdn_status(&mon->sd, status);
}

uint64_t
monitor_wake_ms(const struct monitor *mon)
{
	return sdn_wake_ms(&mon->sd);
}

void
monitor_tick(struct monitor *mon)
{
	sdn_watchdog(&mon->sd);
}

void
monitor_reloading(struct monitor *mon)
{
	sdn_reloading(&mon->sd);
}

void
monitor_reloaded(struct monitor *mon)
{
	char status[sizeof(mon->sd.status)];

	monitor_status_line(mon, status, sizeof(status));
	sdn_reloaded(&mon->sd, status);
}

void
monitor_stopping(struct monitor *mon)
{
	sdn_stopping(&mon->sd);
}
