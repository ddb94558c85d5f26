/*
 * status.c - `rollcall-coordinator status`: what the coordinator sees, for
 * a person (aligned tables) or a program (--json): pools with their
 * members, ages and leases, and aliases in sync or not, and why.  Reads
 * the zones and plans with the planner's rows collected (cplan.h,
 * p->collect), applies nothing: every state printed is the one the next
 * pass acts on.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "json.h"
#include "log.h"
#include "regrecord.h"

/* ---- the words both forms use ---- */

static const char *
fate_word(enum addr_fate f)
{
	switch (f) {
	case FATE_PRESENT:	return "present";
	case FATE_MISSING:	return "missing";
	case FATE_DELETED:	return "deleted";
	case FATE_SHARED:	return "shared";
	}
	return "?";
}

static const char *
host_word(enum host_state s)
{
	switch (s) {
	case HOST_LIVE:		return "live";
	case HOST_EXPIRED:	return "expired";
	case HOST_HELD:		return "held_back";
	case HOST_INVALID:	return "unreadable";
	}
	return "?";
}

/* As metrics.c names them: in_sync, out_of_sync (an update is planned),
 * and why an alias is left as it is. */
static const char *
alias_word(const struct alias_row *r)
{
	if (r->state == ALIAS_IN_SYNC)
		return "in_sync";
	if (r->state == ALIAS_CHANGE)
		return "out_of_sync";
	switch (r->left) {
	case LEFT_UNRESOLVED:	return "target_unresolved";
	case LEFT_MISSING:	return "target_missing";
	case LEFT_MISPLACED:	return "misplaced";
	case LEFT_NOT:		break;
	}
	return "left";
}

/* The nsupdate script of u, malloc'd ("" when out of memory). */
static char *
script_of(const struct update *u)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (mem == NULL)
		return strdup("");
	update_print_nsupdate(u, mem);
	fclose(mem);
	return buf;
}

/* ---- tables ---- */

/* What the next pass does to a registration's address, when that is not
 * what the row's state says already. */
static const char *
fate_text(const struct pool_row *pr, const struct host_row *h,
    const struct plan_addr *pa)
{
	switch (pa->fate) {
	case FATE_PRESENT:
		break;
	case FATE_MISSING:
		return h->state == HOST_LIVE && !pr->cname ?
		    "(missing: re-added next pass)" : "(not in the pool)";
	case FATE_DELETED:
		if (h->state != HOST_EXPIRED)
			return "(deleted next pass: another host's expiry)";
		break;
	case FATE_SHARED:
		return "(stays: listed by another host)";
	}
	return "";
}

/* The cells of a host row that vary in width. */
struct host_cells {
	char	hb[64];
	char	lease[16];
	char	state[64];
};

static void
host_cells(const struct host_row *h, struct host_cells *c)
{
	const char *skew = h->skew > 0 ? " (skewed clock)" : "";

	if (h->state == HOST_INVALID)
		snprintf(c->hb, sizeof(c->hb), "-");
	else if (h->age < 0)
		snprintf(c->hb, sizeof(c->hb), "%lld s ahead",
		    -(long long)h->age);
	else
		snprintf(c->hb, sizeof(c->hb), "%lld s ago", (long long)h->age);
	if (h->state == HOST_INVALID)
		snprintf(c->lease, sizeof(c->lease), "-");
	else
		snprintf(c->lease, sizeof(c->lease), "%u", h->lease);
	switch (h->state) {
	case HOST_LIVE:
		snprintf(c->state, sizeof(c->state), "live%s", skew);
		break;
	case HOST_EXPIRED:
		snprintf(c->state, sizeof(c->state), "EXPIRED: deleted next "
		    "pass%s", skew);
		break;
	case HOST_HELD:
		snprintf(c->state, sizeof(c->state), "EXPIRED: held back "
		    "(min_members)");
		break;
	case HOST_INVALID:
		snprintf(c->state, sizeof(c->state), "UNREADABLE");
		break;
	}
}

struct widths {
	int	host, hb, lease, state;
};

static int
wmax(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void
print_host(FILE *out, const struct plan *p, const struct pool_row *pr,
    const struct host_row *h, const struct widths *w)
{
	struct host_cells c;
	char a[64];

	host_cells(h, &c);
	fprintf(out, "  %-*s  %-*s  %*s  %-*s ", w->host, h->host, w->hb, c.hb,
	    w->lease, c.lease, w->state, c.state);
	for (size_t i = 0; i < h->naddrs; i++) {
		const struct plan_addr *pa = &p->addrs[h->addr_first + i];
		const char *s = fate_text(pr, h, pa);

		reg_addr_format(&pa->a, a, sizeof(a));
		fprintf(out, " %s%s%s", a, *s ? " " : "", s);
	}
	if (h->naddrs == 0)
		fprintf(out, " (no address)");
	if (h->state == HOST_INVALID)
		fprintf(out, "; %s", h->why);
	/* its age counts from when the coordinator first saw it */
	if (h->skew > 0)
		fprintf(out, "; t= lies %llu s in the future, counted from when "
		    "first seen", (unsigned long long)h->skew);
	fprintf(out, "\n");
}

static void
print_notes(FILE *out, const struct plan *p, size_t first, size_t n,
    bool *shown, bool print)
{
	for (size_t i = first; i < first + n && i < p->nnotes; i++) {
		if (print)
			fprintf(out, "  note: %s\n", p->notes[i]);
		shown[i] = true;
	}
}

static void
print_pool(FILE *out, const struct plan *p, const struct pool_row *pr,
    bool *shown)
{
	struct widths w = { 4, 9, 5, 5 };	/* the headings */
	struct host_cells c;

	fprintf(out, "pool %s (zone %s): %zu address(es), min_members %u\n",
	    pr->name, pr->zone, pr->addrs, pr->min_members);
	print_notes(out, p, pr->note_first, pr->nnotes, shown, true);
	for (size_t i = 0; i < pr->nhosts; i++) {
		const struct host_row *h = &p->hrows[pr->host_first + i];

		host_cells(h, &c);
		w.host = wmax(w.host, h->host);
		w.hb = wmax(w.hb, c.hb);
		w.lease = wmax(w.lease, c.lease);
		w.state = wmax(w.state, c.state);
	}
	if (pr->nhosts > 0)
		fprintf(out, "  %-*s  %-*s  %*s  %-*s  ADDRESSES\n", w.host,
		    "HOST", w.hb, "HEARTBEAT", w.lease, "LEASE", w.state,
		    "STATE");
	for (size_t i = 0; i < pr->nhosts; i++) {
		const struct host_row *h = &p->hrows[pr->host_first + i];

		print_host(out, p, pr, h, &w);
		/* the row says it: held back, skewed, unreadable */
		print_notes(out, p, h->note_first, h->nnotes, shown, false);
	}
	if (pr->nstatic > 0) {
		char a[64];

		fprintf(out, "  static:");
		for (size_t i = 0; i < pr->nstatic; i++) {
			reg_addr_format(&p->addrs[pr->static_first + i].a, a,
			    sizeof(a));
			fprintf(out, " %s", a);
		}
		fprintf(out, "\n");
	}
}

static const char *
alias_text(const struct alias_row *r)
{
	return r->state == ALIAS_IN_SYNC ? "in sync" :
	    r->state == ALIAS_CHANGE ? "OUT OF SYNC" : "left as is";
}

static void
print_alias(FILE *out, const struct plan *p, const struct alias_row *r,
    int wname, bool *shown)
{
	char a[64], *script, *line, *save = NULL;

	fprintf(out, "  %-*s  %-11s ", wname, r->name, alias_text(r));
	for (size_t i = 0; i < r->naddrs; i++) {
		reg_addr_format(&p->addrs[r->addr_first + i].a, a, sizeof(a));
		fprintf(out, " %s", a);
	}
	if (r->naddrs == 0)
		fprintf(out, " (no address)");
	if (r->state == ALIAS_LEFT)
		fprintf(out, "; %s", r->why);
	if (r->state == ALIAS_CHANGE)
		fprintf(out, "; next pass sends:");
	fprintf(out, "\n");
	if (r->state == ALIAS_CHANGE && r->act >= 0 &&
	    (size_t)r->act < p->nacts) {
		script = script_of(&p->acts[r->act].u);
		for (line = strtok_r(script, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			fprintf(out, "      %s\n", line);
		free(script);
	}
	/* a left alias's notes are its why; others' (on_missing remove)
	 * are printed under it */
	print_notes(out, p, r->note_first, r->nnotes, shown,
	    r->state != ALIAS_LEFT);
}

static void
print_aliases(FILE *out, const struct plan *p, bool *shown)
{
	int w = 5;

	if (p->narows == 0)
		return;
	for (size_t i = 0; i < p->narows; i++)
		w = wmax(w, p->arows[i].name);
	fprintf(out, "aliases:\n  %-*s  %-11s  ADDRESSES\n", w, "ALIAS",
	    "STATE");
	for (size_t i = 0; i < p->narows; i++)
		print_alias(out, p, &p->arows[i], w, shown);
}

static void
print_plan(FILE *out, const struct plan *p)
{
	bool *shown = calloc(p->nnotes + 1, sizeof(*shown));

	if (shown == NULL) {
		fprintf(out, "out of memory\n");
		return;
	}
	for (size_t i = 0; i < p->nprows; i++)
		print_pool(out, p, &p->prows[i], shown);
	print_aliases(out, p, shown);
	for (size_t i = 0; i < p->nnotes; i++)
		if (!shown[i])
			fprintf(out, "note: %s\n", p->notes[i]);
	free(shown);
}

/* ---- JSON ---- */

static void
json_addr(struct json *j, const struct plan_addr *pa, bool fate)
{
	char a[64];

	reg_addr_format(&pa->a, a, sizeof(a));
	if (!fate) {
		json_str(j, NULL, a);
		return;
	}
	json_obj(j, NULL);
	json_str(j, "address", a);
	json_str(j, "fate", fate_word(pa->fate));
	json_end(j);
}

static void
json_notes(struct json *j, const struct plan *p, size_t first, size_t n,
    bool *shown)
{
	json_arr(j, "notes");
	for (size_t i = first; i < first + n && i < p->nnotes; i++) {
		json_str(j, NULL, p->notes[i]);
		shown[i] = true;
	}
	json_end(j);
}

static void
json_host(struct json *j, const struct plan *p, const struct host_row *h,
    bool *shown)
{
	bool valid = h->state != HOST_INVALID;

	json_obj(j, NULL);
	json_str(j, "host", h->host);
	json_str(j, "state", host_word(h->state));
	if (valid) {
		json_uint(j, "heartbeat", h->heartbeat);
		json_int(j, "age", h->age);
		json_uint(j, "lease", h->lease);
		json_uint(j, "skew", h->skew);
	} else {
		json_null(j, "heartbeat");
		json_null(j, "age");
		json_null(j, "lease");
		json_null(j, "skew");
	}
	json_str(j, "why", valid ? NULL : h->why);
	json_arr(j, "addresses");
	for (size_t i = 0; i < h->naddrs; i++)
		json_addr(j, &p->addrs[h->addr_first + i], true);
	json_end(j);
	json_notes(j, p, h->note_first, h->nnotes, shown);
	json_end(j);
}

static void
json_pool(struct json *j, const struct plan *p, const struct pool_row *pr,
    bool *shown)
{
	json_obj(j, NULL);
	json_str(j, "name", pr->name);
	json_str(j, "zone", pr->zone);
	json_uint(j, "addresses", pr->addrs);
	json_uint(j, "min_members", pr->min_members);
	json_bool(j, "cname", pr->cname);
	json_notes(j, p, pr->note_first, pr->nnotes, shown);
	json_arr(j, "hosts");
	for (size_t i = 0; i < pr->nhosts; i++)
		json_host(j, p, &p->hrows[pr->host_first + i], shown);
	json_end(j);
	json_arr(j, "static");
	for (size_t i = 0; i < pr->nstatic; i++)
		json_addr(j, &p->addrs[pr->static_first + i], false);
	json_end(j);
	json_end(j);
}

static void
json_alias(struct json *j, const struct plan *p, const struct alias_row *r,
    bool *shown)
{
	char *script;

	json_obj(j, NULL);
	json_str(j, "name", r->name);
	json_str(j, "zone", r->zone);
	json_str(j, "state", alias_word(r));
	json_str(j, "why", r->state == ALIAS_LEFT ? r->why : NULL);
	json_arr(j, "addresses");
	for (size_t i = 0; i < r->naddrs; i++)
		json_addr(j, &p->addrs[r->addr_first + i], false);
	json_end(j);
	if (r->state == ALIAS_CHANGE && r->act >= 0 &&
	    (size_t)r->act < p->nacts) {
		script = script_of(&p->acts[r->act].u);
		json_str(j, "update", script);
		free(script);
	} else
		json_null(j, "update");
	json_notes(j, p, r->note_first, r->nnotes, shown);
	json_end(j);
}

/* Totals over the rows, so that a script need not add them up. */
static void
json_summary(struct json *j, const struct plan *p)
{
	size_t n[4] = { 0, 0, 0, 0 };

	json_obj(j, "summary");
	for (size_t i = 0; i < p->nhrows; i++)
		n[p->hrows[i].state]++;
	json_uint(j, "pools", p->nprows);
	json_uint(j, "live", n[HOST_LIVE]);
	/* as in STATUS and the registrations metric: the held back are
	 * expired too (held_back says how many of them) */
	json_uint(j, "expired", n[HOST_EXPIRED] + n[HOST_HELD]);
	json_uint(j, "held_back", n[HOST_HELD]);
	json_uint(j, "unreadable", n[HOST_INVALID]);
	json_uint(j, "actions", p->nacts);
	json_obj(j, "aliases");
	json_uint(j, "in_sync", p->alias_counts.in_sync);
	json_uint(j, "out_of_sync", p->alias_counts.changed);
	json_uint(j, "target_unresolved", p->alias_counts.unresolved);
	json_uint(j, "target_missing", p->alias_counts.missing);
	json_uint(j, "misplaced", p->alias_counts.misplaced);
	json_end(j);
	json_end(j);
}

static int
json_plan(FILE *out, const struct plan *p, uint64_t now)
{
	bool *shown = calloc(p->nnotes + 1, sizeof(*shown));
	struct json j;

	if (shown == NULL)
		return -1;
	json_init(&j, out);
	json_obj(&j, NULL);
	json_uint(&j, "time", now);
	json_bool(&j, "ok", true);
	json_summary(&j, p);
	json_arr(&j, "pools");
	for (size_t i = 0; i < p->nprows; i++)
		json_pool(&j, p, &p->prows[i], shown);
	json_end(&j);
	json_arr(&j, "aliases");
	for (size_t i = 0; i < p->narows; i++)
		json_alias(&j, p, &p->arows[i], shown);
	json_end(&j);
	json_arr(&j, "notes");	/* those of no pool, host or alias */
	for (size_t i = 0; i < p->nnotes; i++)
		if (!shown[i])
			json_str(&j, NULL, p->notes[i]);
	json_end(&j);
	free(shown);
	return json_end(&j);
}

void
coord_status_error(FILE *out, uint64_t now, const char *msg)
{
	struct json j;

	json_init(&j, out);
	json_obj(&j, NULL);
	json_uint(&j, "time", now);
	json_bool(&j, "ok", false);
	json_str(&j, "error", msg);
	json_end(&j);
}

int
coord_status(struct coord *co, uint64_t now, bool json, FILE *out,
    struct error *err)
{
	struct pass_result r;
	struct plan p;
	int rc;

	memset(&r, 0, sizeof(r));
	if (coord_refresh(co, &r, err) == -1) {
		if (json)
			coord_status_error(out, now, err->msg);
		return -1;
	}
	plan_init(&p);
	p.collect = true;	/* coord_plan keeps it: the rows printed */
	rc = coord_plan(co, now, &p, &r, err);
	if (rc == 0 && json && json_plan(out, &p, now) == -1)
		rc = err_set(err, ERR_SYS, "out of memory");
	else if (rc == 0 && !json)
		print_plan(out, &p);
	else if (rc == -1 && json)
		coord_status_error(out, now, err->msg);
	plan_clean(&p);
	return rc;
}
