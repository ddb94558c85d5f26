/*
 * status.c - `rollcall-coordinator status`: what the coordinator sees, for
 * a person: pools with their members, ages and leases, and aliases in
 * sync or not, and why.  Reads the zones, plans, applies nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "numparse.h"
#include "regrecord.h"

struct host_row {
	const char		*pool;		/* points into the zone data */
	char			 host[64];
	const char		*text;
	struct registration	 reg;
	bool			 valid;
};

static int
row_cmp(const void *a, const void *b)
{
	const struct host_row *x = a, *y = b;
	int c = strcmp(x->pool, y->pool);

	return c ? c : strcmp(x->host, y->host);
}

/* "H._rollcall.P." -> host H and pool P, or -1. */
static int
split_regname(const char *owner, char *host, size_t hostlen,
    const char **pool)
{
	const char *dot = strchr(owner, '.');
	size_t n = dot ? (size_t)(dot - owner) : 0;

	if (dot == NULL || n == 0 || n >= hostlen ||
	    strncmp(dot + 1, REG_LABEL ".", sizeof(REG_LABEL)) != 0)
		return -1;
	memcpy(host, owner, n);
	host[n] = '\0';
	*pool = dot + 1 + sizeof(REG_LABEL);
	return **pool ? 0 : -1;
}

static size_t
collect_rows(const struct zone_data *z, struct host_row **rows)
{
	size_t n = 0;
	struct error err;

	*rows = calloc(z->nrrs + 1, sizeof(**rows));
	if (*rows == NULL)
		return 0;
	for (size_t i = 0; i < z->nrrs; i++) {
		struct host_row *r = &(*rows)[n];

		if (z->rrs[i].type != DNS_TYPE_TXT ||
		    split_regname(z->rrs[i].owner, r->host, sizeof(r->host),
		    &r->pool) == -1)
			continue;
		r->text = z->rrs[i].rdata;
		r->valid = reg_parse(r->text, &r->reg, &err) == 0;
		n++;
	}
	qsort(*rows, n, sizeof(**rows), row_cmp);
	return n;
}

static void
print_addrs(FILE *out, const struct registration *r)
{
	char a[64];

	for (size_t i = 0; i < r->naddrs; i++) {
		reg_addr_format(&r->addrs[i], a, sizeof(a));
		fprintf(out, " %s", a);
	}
}

static void
print_host(FILE *out, const struct coord *co, const struct host_row *r,
    uint64_t now)
{
	long long age, left;

	if (!r->valid) {
		fprintf(out, "  %-16s UNREADABLE registration: %s\n", r->host,
		    r->text);
		return;
	}
	age = (long long)now - (long long)r->reg.heartbeat;
	left = (long long)r->reg.lease + co->conf->grace - age;
	fprintf(out, "  %-16s heartbeat %5lld s ago, lease %u s: %-22s",
	    r->host, age, r->reg.lease, left >= 0 ? "live" :
	    "EXPIRED (see notes)");
	print_addrs(out, &r->reg);
	fprintf(out, "\n");
}

static void
print_pools(FILE *out, const struct coord *co, const struct zone_data *z,
    uint64_t now)
{
	struct host_row *rows;
	size_t n = collect_rows(z, &rows), i, cnt;
	const char *pool = NULL;

	for (i = 0; i < n; i++) {
		if (pool == NULL || strcmp(pool, rows[i].pool) != 0) {
			pool = rows[i].pool;
			zone_data_find(z, pool, DNS_TYPE_A, &cnt);
			{
				size_t c6;

				zone_data_find(z, pool, DNS_TYPE_AAAA, &c6);
				cnt += c6;
			}
			fprintf(out, "pool %s (zone %s): %zu address(es), "
			    "min_members %u\n", pool, z->name, cnt,
			    conf_coord_min_members(co->conf, pool));
		}
		print_host(out, co, &rows[i], now);
	}
	free(rows);
}

static void
print_aliases(FILE *out, const struct coord *co, const struct plan *p)
{
	for (size_t i = 0; i < co->conf->naliases; i++) {
		const struct coord_alias *a = &co->conf->aliases[i];
		const struct action *act = NULL;
		char subject[300];

		snprintf(subject, sizeof(subject), "alias %s", a->name);
		for (size_t j = 0; j < p->nacts; j++)
			if (p->acts[j].kind == ACT_ALIAS &&
			    strcmp(p->acts[j].subject, subject) == 0)
				act = &p->acts[j];
		fprintf(out, "%s: %s\n", subject, act ? "OUT OF SYNC, next "
		    "pass sends:" : "in sync (or see notes)");
		if (act != NULL)
			update_print_nsupdate(&act->u, out);
	}
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
	rc = coord_plan(co, now, &p, &r, err);
	if (rc == 0) {
		for (size_t i = 0; i < co->conf->nzones; i++)
			print_pools(out, co, &co->zones[i], now);
		print_aliases(out, co, &p);
		for (size_t i = 0; i < p.nnotes; i++)
			fprintf(out, "note: %s\n", p.notes[i]);
	}
	plan_clean(&p);
	return rc;
}
