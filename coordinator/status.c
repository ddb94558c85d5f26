/*
 * status.c - `rollcall-coordinator status`: what the coordinator sees, for
 * a person: pools with their members, ages and leases, and aliases in
 * sync or not, and why.  Reads the zones and plans with the planner's
 * rows collected (cplan.h, p->collect), applies nothing: every state
 * printed is the one the next pass acts on.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "regrecord.h"

static void
print_addr(FILE *out, const struct plan_addr *pa, const char *suffix)
{
	char a[64];

	reg_addr_format(&pa->a, a, sizeof(a));
	fprintf(out, " %s%s%s", a, *suffix ? " " : "", suffix);
}

/* A registration's addresses, each with what the next pass does to it
 * when that is not what the row's state says already. */
static void
print_host_addrs(FILE *out, const struct plan *p, const struct pool_row *pr,
    const struct host_row *h)
{
	for (size_t i = 0; i < h->naddrs; i++) {
		const struct plan_addr *pa = &p->addrs[h->addr_first + i];
		const char *s = "";

		switch (pa->fate) {
		case FATE_PRESENT:
			break;
		case FATE_MISSING:
			s = h->state == HOST_LIVE && !pr->cname ?
			    "(missing: re-added next pass)" : "(not in the pool)";
			break;
		case FATE_DELETED:
			if (h->state != HOST_EXPIRED)
				s = "(deleted next pass: another host's "
				    "expiry)";
			break;
		case FATE_SHARED:
			s = "(stays: listed by another host)";
			break;
		}
		print_addr(out, pa, s);
	}
	if (h->naddrs == 0)
		fprintf(out, " (no address)");
}

static void
print_host(FILE *out, const struct plan *p, const struct pool_row *pr,
    const struct host_row *h)
{
	char hb[128], state[300];

	if (h->state == HOST_INVALID) {
		snprintf(hb, sizeof(hb), "heartbeat -");
	} else if (h->age < 0) {
		snprintf(hb, sizeof(hb), "heartbeat %lld s ahead",
		    -(long long)h->age);
	} else {
		snprintf(hb, sizeof(hb), "heartbeat %lld s ago",
		    (long long)h->age);
	}
	switch (h->state) {
	case HOST_LIVE:
		snprintf(state, sizeof(state), "live%s",
		    h->skew > 0 ? " (skewed clock)" : "");
		break;
	case HOST_EXPIRED:
		snprintf(state, sizeof(state), "EXPIRED: deleted next pass%s",
		    h->skew > 0 ? " (skewed clock)" : "");
		break;
	case HOST_HELD:
		snprintf(state, sizeof(state), "EXPIRED: held back "
		    "(min_members)");
		break;
	case HOST_INVALID:
		snprintf(state, sizeof(state), "UNREADABLE: %s", h->why);
		break;
	}
	fprintf(out, "  %-16s %-22s ", h->host, hb);
	if (h->state == HOST_INVALID)
		fprintf(out, "%-12s ", "");
	else
		fprintf(out, "lease %-6u ", h->lease);
	fprintf(out, "%-32s", state);
	print_host_addrs(out, p, pr, h);
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
	fprintf(out, "pool %s (zone %s): %zu address(es), min_members %u\n",
	    pr->name, pr->zone, pr->addrs, pr->min_members);
	print_notes(out, p, pr->note_first, pr->nnotes, shown, true);
	for (size_t i = 0; i < pr->nhosts; i++) {
		const struct host_row *h = &p->hrows[pr->host_first + i];

		print_host(out, p, pr, h);
		/* the row says it: held back, skewed, unreadable */
		print_notes(out, p, h->note_first, h->nnotes, shown, false);
	}
	if (pr->nstatic > 0) {
		fprintf(out, "  static:");
		for (size_t i = 0; i < pr->nstatic; i++)
			print_addr(out, &p->addrs[pr->static_first + i], "");
		fprintf(out, "\n");
	}
}

/* The nsupdate script of u, each line indented. */
static void
print_indented(FILE *out, const struct update *u)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (mem == NULL) {
		update_print_nsupdate(u, out);
		return;
	}
	update_print_nsupdate(u, mem);
	fclose(mem);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		fprintf(out, "    %s\n", line);
	free(buf);
}

static void
print_alias(FILE *out, const struct plan *p, const struct alias_row *r,
    bool *shown)
{
	switch (r->state) {
	case ALIAS_IN_SYNC:
		fprintf(out, "alias %s: in sync (", r->name);
		if (r->naddrs == 0)
			fprintf(out, "no address");
		for (size_t i = 0; i < r->naddrs; i++) {
			char a[64];

			reg_addr_format(&p->addrs[r->addr_first + i].a, a,
			    sizeof(a));
			fprintf(out, "%s%s", i ? " " : "", a);
		}
		fprintf(out, ")\n");
		break;
	case ALIAS_CHANGE:
		fprintf(out, "alias %s: OUT OF SYNC: next pass sends:\n",
		    r->name);
		if (r->act >= 0 && (size_t)r->act < p->nacts)
			print_indented(out, &p->acts[r->act].u);
		break;
	case ALIAS_LEFT:
		fprintf(out, "alias %s: left as is: %s\n", r->name, r->why);
		break;
	}
	/* a left alias's notes are its why; others' (on_missing remove)
	 * are printed under it */
	print_notes(out, p, r->note_first, r->nnotes, shown,
	    r->state != ALIAS_LEFT);
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
	for (size_t i = 0; i < p->narows; i++)
		print_alias(out, p, &p->arows[i], shown);
	for (size_t i = 0; i < p->nnotes; i++)
		if (!shown[i])
			fprintf(out, "note: %s\n", p->notes[i]);
	free(shown);
}

int
coord_status(struct coord *co, uint64_t now, FILE *out, struct error *err)
{
	struct pass_result r;
	struct plan p;
	int rc;

	memset(&r, 0, sizeof(r));
	if (coord_refresh(co, err) == -1)
		return -1;
	plan_init(&p);
	p.collect = true;	/* coord_plan keeps it: the rows printed */
	rc = coord_plan(co, now, &p, &r, err);
	if (rc == 0)
		print_plan(out, &p);
	plan_clean(&p);
	return rc;
}
