#include "metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "dnsmsg.h"

#define PREFIX	"rollcall_coordinator_"

static const char *const tsig_names[MT_KINDS] = {
	"BADSIG", "BADKEY", "BADTIME", "BADTRUNC", "unsigned", "forged",
	"wrong_key", "malformed",
};

static const char *const kind_names[ACT_KINDS] = {
	"expire", "repair", "alias",
};

static const char *const result_names[MR_KINDS] = {
	"applied", "raced", "failed",
};

/* err_kind as a label value; ERR_NONE and ERR_USAGE do not end a pass. */
static const char *const err_names[METRICS_ERR_KINDS] = {
	NULL, NULL, "config", "network", "tsig", "refused", "conflict",
	"protocol", "system",
};

int
metrics_init(struct coord_metrics *m)
{
	memset(m, 0, sizeof(*m));
	return pthread_mutex_init(&m->lock, NULL) == 0 ? 0 : -1;
}

void
metrics_clean(struct coord_metrics *m)
{
	if (m == NULL)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m->zones);
	free(m->pools);
	free(m->pzone);
	memset(m, 0, sizeof(*m));
}

enum metrics_tsig
metrics_tsig_kind(const struct error *err)
{
	/* The error carries no TSIG status (tsig_ctx is the client's, gone
	 * by the time the pass returns), but tsig.c's messages name each
	 * case in words that are part of their meaning; test_metrics.c
	 * checks them against the messages tsig_verify really writes. */
	static const struct {
		const char		*word;
		enum metrics_tsig	 kind;
	} words[] = {
		{ "BADSIG", MT_BADSIG },
		{ "BADKEY", MT_BADKEY },
		{ "BADTIME", MT_BADTIME },
		{ "BADTRUNC", MT_BADTRUNC },
		{ "not TSIG-signed", MT_UNSIGNED },
		{ "unsigned messages in a row", MT_UNSIGNED },
		{ "does not verify", MT_FORGED },
		{ "is signed with", MT_WRONG_KEY },
	};

	if (err == NULL || err->kind != ERR_AUTH)
		return MT_KINDS;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(err->msg, words[i].word) != NULL)
			return words[i].kind;
	return MT_MALFORMED;
}

/* The zone index of each pool, and a copy of the zones: the HTTP thread
 * renders them while a reload may free conf. */
static int
pools_zones(const struct coord_conf *conf, const struct pool_report *pools,
    size_t npools, size_t **pzone, char (**zones)[256])
{
	const char *z;

	*pzone = calloc(npools + 1, sizeof(**pzone));
	*zones = calloc(conf->nzones + 1, sizeof(**zones));
	if (*pzone == NULL || *zones == NULL) {
		free(*pzone);
		free(*zones);
		return -1;
	}
	memcpy(*zones, conf->zones, conf->nzones * sizeof(**zones));
	for (size_t i = 0; i < npools; i++) {
		z = conf_coord_zone_of(conf, pools[i].name);
		/* a pool is found in a zone's data: z is never NULL */
		(*pzone)[i] = z == NULL ? 0 : (size_t)(z - conf->zones[0]) /
		    sizeof(conf->zones[0]);
	}
	return 0;
}

/* The counters of one pass (under the lock). */
static void
fold_counts(struct coord_metrics *m, const struct pass_result *r, bool ok,
    const struct error *err, uint64_t duration_us, uint64_t now)
{
	enum metrics_tsig t;

	m->passed = true;
	m->last_ok = ok;
	m->last_us = duration_us;
	m->pass_us_sum += duration_us;
	if (ok) {
		m->passes_ok++;
		m->last_success = now;
		m->last_error[0] = '\0';
	} else {
		m->passes_failed++;
		if (err != NULL) {
			snprintf(m->last_error, sizeof(m->last_error), "%s",
			    err->msg);
			if (err->kind > ERR_USAGE && err->kind < METRICS_ERR_KINDS)
				m->failures[err->kind]++;
			if ((t = metrics_tsig_kind(err)) != MT_KINDS)
				m->tsig[t]++;
		}
	}
	m->soa_queries += r->soa_queries;
	m->zone_transfers += r->zone_transfers;
	m->updates += r->st.messages;
	for (size_t k = 0; k < ACT_KINDS; k++) {
		m->actions[k][MR_APPLIED] += r->st.applied_kind[k];
		m->actions[k][MR_RACED] += r->st.raced_kind[k];
		m->actions[k][MR_FAILED] += r->st.failed_kind[k];
	}
	for (size_t i = 0; i < APPLY_RCODES; i++)
		m->rcodes[i] += r->st.rcodes[i];
}

int
metrics_fold(struct coord_metrics *m, const struct coord_conf *conf,
    struct pass_result *r, bool ok, const struct error *err,
    uint64_t duration_us, uint64_t now)
{
	struct pool_report *old_pools = NULL;
	char (*old_zones)[256] = NULL, (*zones)[256] = NULL;
	size_t *old_pzone = NULL, *pzone = NULL;
	size_t fixed = r->st.applied_kind[ACT_ALIAS];
	int rc = 0;

	if (fixed > r->aliases.changed)
		fixed = r->aliases.changed;	/* one action per alias */

	/* allocate outside the lock: a scrape waits only for the swap */
	if (r->planned && pools_zones(conf, r->pools, r->npools, &pzone,
	    &zones) == -1)
		rc = -1;
	pthread_mutex_lock(&m->lock);
	fold_counts(m, r, ok, err, duration_us, now);
	if (r->planned && rc == 0) {
		old_pools = m->pools;
		old_pzone = m->pzone;
		old_zones = m->zones;
		m->planned = true;
		m->plans++;
		m->pools = r->pools;
		m->npools = r->npools;
		m->pzone = pzone;
		m->zones = zones;
		m->nzones = conf->nzones;
		r->pools = NULL;
		r->npools = 0;
		/* an alias whose update was applied is in sync now */
		m->aliases = r->aliases;
		m->aliases.changed -= fixed;
		m->aliases.in_sync += fixed;
	}
	pthread_mutex_unlock(&m->lock);
	free(old_pools);
	free(old_pzone);
	free(old_zones);
	return rc;
}

/* ---- text exposition format 0.0.4 ---- */

void
metrics_escape_label(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '"')
			fputs("\\\"", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

/* The HELP and TYPE lines of a family (help texts are ours: no escapes). */
static void
family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP " PREFIX "%s %s\n# TYPE " PREFIX "%s %s\n", name,
	    help, name, type);
}

static void
sample_u(FILE *out, const char *name, uint64_t v)
{
	fprintf(out, PREFIX "%s %llu\n", name, (unsigned long long)v);
}

/* name{label="value"} v */
static void
sample_l(FILE *out, const char *name, const char *label, const char *value,
    uint64_t v)
{
	fprintf(out, PREFIX "%s{%s=\"", name, label);
	metrics_escape_label(out, value);
	fprintf(out, "\"} %llu\n", (unsigned long long)v);
}

static void
seconds(FILE *out, const char *name, uint64_t us)
{
	fprintf(out, PREFIX "%s %llu.%06llu\n", name,
	    (unsigned long long)(us / 1000000),
	    (unsigned long long)(us % 1000000));
}

static void
render_passes(const struct coord_metrics *m, FILE *out)
{
	family(out, "build_info", "gauge", "Always 1; the version is a label.");
	sample_l(out, "build_info", "version", ROLLCALL_VERSION, 1);
	family(out, "last_pass_ok", "gauge", "1 when the last pass read every "
	    "zone and applied its whole plan, 0 when it failed (or none ran).");
	sample_u(out, "last_pass_ok", m->passed && m->last_ok);
	family(out, "last_success_timestamp_seconds", "gauge", "Unix time "
	    "the last successful pass ended; 0: none yet.");
	sample_u(out, "last_success_timestamp_seconds", m->last_success);
	family(out, "last_pass_duration_seconds", "gauge",
	    "How long the last pass took.");
	seconds(out, "last_pass_duration_seconds", m->last_us);
	family(out, "pass_duration_seconds", "summary",
	    "Time spent in passes.");
	seconds(out, "pass_duration_seconds_sum", m->pass_us_sum);
	sample_u(out, "pass_duration_seconds_count", m->passes_ok +
	    m->passes_failed);
	family(out, "passes_total", "counter",
	    "Passes by result (an idle pass is one SOA query per zone).");
	sample_l(out, "passes_total", "result", "ok", m->passes_ok);
	sample_l(out, "passes_total", "result", "failed", m->passes_failed);
	family(out, "pass_failures_total", "counter", "Failed passes by the "
	    "kind of their error (the pass stops at the first).");
	for (int k = ERR_CONFIG; k < METRICS_ERR_KINDS; k++)
		sample_l(out, "pass_failures_total", "kind", err_names[k],
		    m->failures[k]);
	family(out, "tsig_failures_total", "counter", "Exchanges with the "
	    "primary that failed TSIG, by kind.");
	for (int k = 0; k < MT_KINDS; k++)
		sample_l(out, "tsig_failures_total", "kind", tsig_names[k],
		    m->tsig[k]);
	family(out, "plans_total", "counter", "Passes that planned (a zone "
	    "changed, an expiry came due, a target's answer expired).");
	sample_u(out, "plans_total", m->plans);
	family(out, "soa_queries_total", "counter", "SOA serial queries sent "
	    "to the primaries.");
	sample_u(out, "soa_queries_total", m->soa_queries);
	family(out, "zone_transfers_total", "counter",
	    "Zone transfers (AXFR) started.");
	sample_u(out, "zone_transfers_total", m->zone_transfers);
}

static void
render_updates(const struct coord_metrics *m, FILE *out)
{
	family(out, "updates_total", "counter", "UPDATE messages sent.");
	sample_u(out, "updates_total", m->updates);
	family(out, "update_failures_total", "counter", "Answers to UPDATEs "
	    "with an rcode other than NOERROR, by rcode (NXRRSET and YXRRSET: "
	    "a race, retried in smaller batches).");
	for (int i = 1; i < APPLY_RCODES; i++)
		if (m->rcodes[i] > 0)
			sample_l(out, "update_failures_total", "rcode",
			    i == APPLY_RCODES - 1 ? "other" : rcode_name(i),
			    m->rcodes[i]);
	family(out, "actions_total", "counter", "Planned actions by kind and "
	    "result: applied, raced (a prerequisite failed; the next pass "
	    "reads again) or failed (refused, or never sent).");
	for (int k = 0; k < ACT_KINDS; k++)
		for (int r = 0; r < MR_KINDS; r++)
			fprintf(out, PREFIX "actions_total{kind=\"%s\","
			    "result=\"%s\"} %llu\n", kind_names[k],
			    result_names[r],
			    (unsigned long long)m->actions[k][r]);
}

/* name{zone="...",pool="..."[,state="..."]} v */
static void
pool_sample(FILE *out, const struct coord_metrics *m, size_t i,
    const char *name, const char *state, size_t v)
{
	fprintf(out, PREFIX "%s{zone=\"", name);
	metrics_escape_label(out, m->zones[m->pzone[i]]);
	fputs("\",pool=\"", out);
	metrics_escape_label(out, m->pools[i].name);
	if (state != NULL)
		fprintf(out, "\",state=\"%s", state);
	fprintf(out, "\"} %zu\n", v);
}

static void
render_plan(const struct coord_metrics *m, FILE *out)
{
	const struct alias_counts *a = &m->aliases;

	family(out, "registrations", "gauge", "Registrations in the zone as "
	    "the last plan read it, by state (expired: past lease + grace, "
	    "held back ones included).");
	for (size_t i = 0; i < m->npools; i++) {
		const struct pool_report *p = &m->pools[i];

		pool_sample(out, m, i, "registrations", "live", p->live);
		pool_sample(out, m, i, "registrations", "expired", p->expired +
		    p->held_back);
		pool_sample(out, m, i, "registrations", "unreadable",
		    p->invalid);
	}
	family(out, "expiries_held_back", "gauge", "Expired registrations "
	    "kept because the pool would fall below min_members.");
	for (size_t i = 0; i < m->npools; i++)
		pool_sample(out, m, i, "expiries_held_back", NULL,
		    m->pools[i].held_back);
	family(out, "pool_addresses", "gauge",
	    "A and AAAA records at the pool as the last plan read them.");
	for (size_t i = 0; i < m->npools; i++)
		pool_sample(out, m, i, "pool_addresses", NULL,
		    m->pools[i].addrs);
	family(out, "aliases", "gauge", "Aliases by state after the last "
	    "plan's updates (target_missing: on_missing keep; misplaced: the "
	    "alias is a pool or a CNAME).");
	sample_l(out, "aliases", "state", "in_sync", a->in_sync);
	sample_l(out, "aliases", "state", "out_of_sync", a->changed);
	sample_l(out, "aliases", "state", "target_unresolved", a->unresolved);
	sample_l(out, "aliases", "state", "target_missing", a->missing);
	sample_l(out, "aliases", "state", "misplaced", a->misplaced);
}

int
metrics_render(const struct coord_metrics *m, FILE *out)
{
	render_passes(m, out);
	render_updates(m, out);
	render_plan(m, out);
	return ferror(out) ? -1 : 0;
}

int
metrics_write_textfile(const struct coord_metrics *m, const char *path,
    struct error *err)
{
	char tmp[PATH_MAX + 8];
	FILE *f;
	int fd, rc;

	/* a new file of our own in the same directory (rename stays in one
	 * file system): never one at a fixed name that someone else may
	 * have made, or a link; node_exporter reads only *.prom */
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1)
		return err_set(err, ERR_SYS, "metrics_textfile: %s: %s", tmp,
		    strerror(errno));
	/* mkstemp's 0600 (and the unit's UMask=0077) would hide it from
	 * node_exporter */
	if (fchmod(fd, 0644) == -1) {
		err_set(err, ERR_SYS, "metrics_textfile: %s: %s", tmp,
		    strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(tmp);
		return err_set(err, ERR_SYS, "metrics_textfile: %s: %s", tmp,
		    strerror(errno));
	}
	rc = metrics_render(m, f);
	/* no fsync: a file lost in a crash is rewritten after the next
	 * pass, and syncing every second would wear the disk for nothing */
	if (fclose(f) != 0 || rc == -1) {
		err_set(err, ERR_SYS, "metrics_textfile: writing %s: %s", tmp,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) == -1) {
		err_set(err, ERR_SYS, "metrics_textfile: rename to %s: %s", path,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
