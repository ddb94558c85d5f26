/*
 * test_cplan.c - the coordinator's planning: expiry, hold-back, repair and
 * alias diffs, from zone data built here and an injected clock.
 *
 * Pure: no network.  Every action is checked as its exact operations
 * (kind, owner, type, TTL, rdata) in order, so an extra delete, a missing
 * prerequisite or a changed order fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "cplan.h"
#include "dnsmsg.h"
#include "regrecord.h"
#include "suites.h"
#include "zonedata.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define ZONE	"example.test."
#define POOL	"srv.example.test."
#define ALIAS	"www.example.test."
#define NOW	1764075549ULL
#define LEASE	180
#define GRACE	30
/* the last heartbeat that is still live at NOW */
#define EDGE	(NOW - LEASE - GRACE)

struct xop {
	enum op_kind	 kind;
	const char	*owner;
	uint16_t	 type;
	uint32_t	 ttl;
	const char	*rdata;		/* NULL for RRset operations */
};

static const char *
kind_name(enum op_kind k)
{
	switch (k) {
	case OP_NXRRSET:	return "NXRRSET";
	case OP_YXRRSET_VAL:	return "YXRRSET_VAL";
	case OP_ADD:		return "ADD";
	case OP_DEL_RRSET:	return "DEL_RRSET";
	case OP_DEL_RR:		return "DEL_RR";
	}
	return "?";
}

static void
dump_ops(const struct update *u)
{
	size_t i;

	fprintf(stderr, "\n%zu operation(s):\n", u->nops);
	for (i = 0; i < u->nops; i++)
		fprintf(stderr, "  %s %s %u %u %s\n", kind_name(u->ops[i].kind),
		    u->ops[i].owner, u->ops[i].type, u->ops[i].ttl,
		    u->ops[i].rdata ? u->ops[i].rdata : "-");
}

static void
check_ops(const struct update *u, const struct xop *x, size_t nx)
{
	size_t i;
	int bad = u->nops != nx;

	for (i = 0; !bad && i < nx; i++) {
		const struct op *o = &u->ops[i];

		bad = o->kind != x[i].kind || strcmp(o->owner, x[i].owner) ||
		    o->type != x[i].type || o->ttl != x[i].ttl ||
		    (o->rdata == NULL) != (x[i].rdata == NULL) ||
		    (o->rdata && strcmp(o->rdata, x[i].rdata));
	}
	if (bad)
		dump_ops(u);
	CU_ASSERT_EQUAL_FATAL(u->nops, nx);
	for (i = 0; i < nx; i++) {
		const struct op *o = &u->ops[i];

		CU_ASSERT_EQUAL(o->kind, x[i].kind);
		CU_ASSERT_STRING_EQUAL(o->owner, x[i].owner);
		CU_ASSERT_EQUAL(o->type, x[i].type);
		CU_ASSERT_EQUAL(o->ttl, x[i].ttl);
		if (x[i].rdata == NULL) {
			CU_ASSERT_PTR_NULL(o->rdata);
		} else {
			CU_ASSERT_PTR_NOT_NULL_FATAL(o->rdata);
			CU_ASSERT_STRING_EQUAL(o->rdata, x[i].rdata);
		}
	}
}

/* ---- fixture: one zone, one config, one plan ---- */

struct fx {
	struct zone_data	 z;
	struct coord_conf	*c;
	struct plan		 p;
	struct coord_pool	 pools[4];
};

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	zone_data_init(&f->z, ZONE);
	f->c = calloc(1, sizeof(*f->c));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->c);
	f->c->nzones = 1;
	snprintf(f->c->zones[0], sizeof(f->c->zones[0]), "%s", ZONE);
	f->c->grace = GRACE;
	f->c->min_members = 0;
	f->c->pools = f->pools;		/* not owned: never conf_coord_clean'd */
	plan_init(&f->p);
}

static void
fx_clean(struct fx *f)
{
	zone_data_clean(&f->z);
	free(f->c);
	plan_clean(&f->p);
}

static void
fx_pool(struct fx *f, const char *name, uint32_t min_members)
{
	struct coord_pool *cp = &f->pools[f->c->npools++];

	snprintf(cp->name, sizeof(cp->name), "%s", name);
	cp->min_members = min_members;
}

static void
zadd(struct fx *f, const char *owner, uint16_t type, uint32_t ttl,
    const char *rdata)
{
	CU_ASSERT_FATAL(zone_data_add(&f->z, owner, type, ttl, rdata) == 0);
}

/* A pool address (type from the text). */
static void
zaddr(struct fx *f, const char *pool, const char *addr, uint32_t ttl)
{
	zadd(f, pool, strchr(addr, ':') ? DNS_TYPE_AAAA : DNS_TYPE_A, ttl,
	    addr);
}

/* The registration TXT rdata for heartbeat t and "a=..." tokens. */
static void
regtxt(char *out, size_t len, uint64_t t, uint32_t lease, const char *a)
{
	snprintf(out, len, "\"v=rc1 t=%llu lease=%u%s%s\"",
	    (unsigned long long)t, lease, *a ? " " : "", a);
}

/* Registration of host in pool, TTL 60; its text in out for expectations. */
static void
zreg(struct fx *f, const char *host, const char *pool, uint64_t t,
    const char *a, char *out, size_t outlen)
{
	char owner[300], txt[REG_TEXT_MAX];

	snprintf(owner, sizeof(owner), "%s._rollcall.%s", host, pool);
	regtxt(txt, sizeof(txt), t, LEASE, a);
	zadd(f, owner, DNS_TYPE_TXT, 60, txt);
	if (out != NULL)
		snprintf(out, outlen, "%s", txt);
}

static void
fx_expiry(struct fx *f, uint64_t now)
{
	zone_data_sort(&f->z);
	CU_ASSERT_EQUAL_FATAL(cplan_expiry(&f->z, f->c, now, &f->p), 0);
}

static const struct pool_report *
report(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->npools; i++)
		if (strcmp(p->pools[i].name, name) == 0)
			return &p->pools[i];
	return NULL;
}

static void
check_report(const struct plan *p, const char *name, size_t live,
    size_t expired, size_t held_back, size_t invalid, size_t addrs)
{
	const struct pool_report *r = report(p, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->live, live);
	CU_ASSERT_EQUAL(r->expired, expired);
	CU_ASSERT_EQUAL(r->held_back, held_back);
	CU_ASSERT_EQUAL(r->invalid, invalid);
	CU_ASSERT_EQUAL(r->addrs, addrs);
}

static size_t
notes_with(const struct plan *p, const char *needle)
{
	size_t i, n = 0;

	for (i = 0; i < p->nnotes; i++)
		n += strstr(p->notes[i], needle) != NULL;
	return n;
}

static void
check_action(const struct action *a, enum action_kind kind,
    const char *subject)
{
	CU_ASSERT_EQUAL(a->kind, kind);
	CU_ASSERT_STRING_EQUAL(a->zone, ZONE);
	CU_ASSERT_STRING_EQUAL(a->u.zone, ZONE);
	CU_ASSERT_EQUAL(a->u.lease, 0);
	CU_ASSERT_STRING_EQUAL(a->subject, subject);
}

#define REG1	"host1._rollcall." POOL
#define REG2	"host2._rollcall." POOL
#define REG3	"host3._rollcall." POOL

/* ---- expiry ---- */

static void
test_plan_clean_empty(void)
{
	struct plan p;

	plan_init(&p);
	CU_ASSERT_EQUAL(p.nacts, 0);
	CU_ASSERT_EQUAL(p.nnotes, 0);
	CU_ASSERT_EQUAL(p.npools, 0);
	plan_clean(&p);
	plan_clean(&p);
	plan_clean(NULL);
}

static void
test_fresh_kept(void)
{
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW - 60, "a=192.0.2.11 a=2001:db8::11",
	    NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "2001:db8::11", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	CU_ASSERT_EQUAL(f.p.nnotes, 0);
	CU_ASSERT_EQUAL(f.p.npools, 1);
	check_report(&f.p, POOL, 1, 0, 0, 0, 2);
	fx_clean(&f);
}

/* Stale: one action, prerequisite on the TXT RR exactly as read, the
 * registration's RRset deleted, then each address as a single RR. */
static void
test_stale_expired(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, EDGE - 1, "a=192.0.2.11 a=2001:db8::11",
	    txt, sizeof(txt));
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "2001:db8::11", 60);
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt },
			{ OP_DEL_RRSET, REG1, DNS_TYPE_TXT, 0, NULL },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.11" },
			{ OP_DEL_RR, POOL, DNS_TYPE_AAAA, 0, "2001:db8::11" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_action(&f.p.acts[0], ACT_EXPIRE, "host1 in " POOL);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
		CU_ASSERT_EQUAL(update_count_changes(&f.p.acts[0].u), 3);
	}
	check_report(&f.p, POOL, 0, 1, 0, 0, 2);
	fx_clean(&f);
}

/* heartbeat + lease + grace == now is not yet past; one second later is. */
static void
test_boundary(void)
{
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, EDGE, "a=192.0.2.11", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	check_report(&f.p, POOL, 1, 0, 0, 0, 1);
	plan_clean(&f.p);

	plan_init(&f.p);
	CU_ASSERT_EQUAL_FATAL(cplan_expiry(&f.z, f.c, NOW + 1, &f.p), 0);
	CU_ASSERT_EQUAL(f.p.nacts, 1);
	check_report(&f.p, POOL, 0, 1, 0, 0, 1);
	fx_clean(&f);
}

/* Lease passed 20 s ago: within the 30 s grace it stays; without grace
 * it goes. */
static void
test_grace(void)
{
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW - LEASE - 20, "a=192.0.2.11", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	plan_clean(&f.p);

	plan_init(&f.p);
	f.c->grace = 0;
	CU_ASSERT_EQUAL_FATAL(cplan_expiry(&f.z, f.c, NOW, &f.p), 0);
	CU_ASSERT_EQUAL(f.p.nacts, 1);
	fx_clean(&f);
}

/* Three hosts, min_members 2, two stale: the oldest goes (it sorts after
 * the other by name, so it is age, not name, that picks it), the other
 * is held back with a note. */
static void
test_min_members_hold_back(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	f.c->min_members = 2;
	zreg(&f, "host-a", POOL, EDGE - 100, "a=192.0.2.1", NULL, 0);
	zreg(&f, "host-b", POOL, EDGE - 500, "a=192.0.2.2", txt, sizeof(txt));
	zreg(&f, "host-c", POOL, NOW - 10, "a=192.0.2.3", NULL, 0);
	zaddr(&f, POOL, "192.0.2.1", 60);
	zaddr(&f, POOL, "192.0.2.2", 60);
	zaddr(&f, POOL, "192.0.2.3", 60);
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, "host-b._rollcall." POOL,
			    DNS_TYPE_TXT, 0, txt },
			{ OP_DEL_RRSET, "host-b._rollcall." POOL, DNS_TYPE_TXT,
			    0, NULL },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.2" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_action(&f.p.acts[0], ACT_EXPIRE, "host-b in " POOL);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	check_report(&f.p, POOL, 1, 1, 1, 0, 3);
	CU_ASSERT_EQUAL(f.p.nnotes, 1);
	CU_ASSERT_EQUAL(notes_with(&f.p, "held back: host host-a in " POOL),
	    1);
	CU_ASSERT_EQUAL(strncmp(f.p.notes[0], "held back: ", 11), 0);
	fx_clean(&f);
}

/* The same with a static record: it counts, so both can go, and it is
 * not deleted. */
static void
test_min_members_static_counts(void)
{
	struct fx f;
	size_t i, j;

	fx_init(&f);
	f.c->min_members = 2;
	zreg(&f, "host-a", POOL, EDGE - 100, "a=192.0.2.1", NULL, 0);
	zreg(&f, "host-b", POOL, EDGE - 500, "a=192.0.2.2", NULL, 0);
	zreg(&f, "host-c", POOL, NOW - 10, "a=192.0.2.3", NULL, 0);
	zaddr(&f, POOL, "192.0.2.1", 60);
	zaddr(&f, POOL, "192.0.2.2", 60);
	zaddr(&f, POOL, "192.0.2.3", 60);
	zaddr(&f, POOL, "192.0.2.99", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL_FATAL(f.p.nacts, 2);
	check_action(&f.p.acts[0], ACT_EXPIRE, "host-a in " POOL);
	check_action(&f.p.acts[1], ACT_EXPIRE, "host-b in " POOL);
	for (i = 0; i < f.p.nacts; i++)
		for (j = 0; j < f.p.acts[i].u.nops; j++)
			CU_ASSERT(f.p.acts[i].u.ops[j].rdata == NULL ||
			    strcmp(f.p.acts[i].u.ops[j].rdata,
			    "192.0.2.99") != 0);
	check_report(&f.p, POOL, 1, 2, 0, 0, 4);
	CU_ASSERT_EQUAL(f.p.nnotes, 0);
	fx_clean(&f);
}

/* A pool's own min_members wins over the global one. */
static void
test_min_members_per_pool(void)
{
	struct fx f;

	fx_init(&f);
	f.c->min_members = 0;
	fx_pool(&f, POOL, 1);
	zreg(&f, "host1", POOL, EDGE - 1, "a=192.0.2.1", NULL, 0);
	zaddr(&f, POOL, "192.0.2.1", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	check_report(&f.p, POOL, 0, 0, 1, 0, 1);
	CU_ASSERT_EQUAL(notes_with(&f.p, "held back: host host1"), 1);
	fx_clean(&f);
}

/* min_members 0: no hold-back, the pool may empty. */
static void
test_min_members_zero(void)
{
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, EDGE - 1, "a=192.0.2.1", NULL, 0);
	zreg(&f, "host2", POOL, EDGE - 2, "a=192.0.2.2", NULL, 0);
	zaddr(&f, POOL, "192.0.2.1", 60);
	zaddr(&f, POOL, "192.0.2.2", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL_FATAL(f.p.nacts, 2);
	check_action(&f.p.acts[0], ACT_EXPIRE, "host1 in " POOL);
	check_action(&f.p.acts[1], ACT_EXPIRE, "host2 in " POOL);
	CU_ASSERT_EQUAL(f.p.acts[0].u.nops, 3);
	CU_ASSERT_EQUAL(f.p.acts[1].u.nops, 3);
	check_report(&f.p, POOL, 0, 2, 0, 0, 2);
	CU_ASSERT_EQUAL(f.p.nnotes, 0);
	fx_clean(&f);
}

/* An address a live host also lists stays; the expired host's own goes. */
static void
test_shared_with_live_kept(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, EDGE - 1, "a=192.0.2.11 a=192.0.2.12",
	    txt, sizeof(txt));
	zreg(&f, "host2", POOL, NOW, "a=192.0.2.12", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "192.0.2.12", 60);
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt },
			{ OP_DEL_RRSET, REG1, DNS_TYPE_TXT, 0, NULL },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.11" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	check_report(&f.p, POOL, 1, 1, 0, 0, 2);
	fx_clean(&f);
}

/* An expiry that deletes no address (all shared with a live host) is
 * never held back, whatever min_members says. */
static void
test_shared_only_never_held(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	f.c->min_members = 5;
	zreg(&f, "host1", POOL, EDGE - 1, "a=192.0.2.12", txt, sizeof(txt));
	zreg(&f, "host2", POOL, NOW, "a=192.0.2.12", NULL, 0);
	zaddr(&f, POOL, "192.0.2.12", 60);
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt },
			{ OP_DEL_RRSET, REG1, DNS_TYPE_TXT, 0, NULL },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	check_report(&f.p, POOL, 1, 1, 0, 0, 1);
	CU_ASSERT_EQUAL(f.p.nnotes, 0);
	fx_clean(&f);
}

/* Two expired hosts listing one address: deleted once, by the older. */
static void
test_shared_between_expired(void)
{
	char txt1[REG_TEXT_MAX], txt2[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, EDGE - 1, "a=192.0.2.12", txt1, sizeof(txt1));
	zreg(&f, "host2", POOL, EDGE - 9, "a=192.0.2.12 a=192.0.2.13", txt2,
	    sizeof(txt2));
	zaddr(&f, POOL, "192.0.2.12", 60);
	zaddr(&f, POOL, "192.0.2.13", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL_FATAL(f.p.nacts, 2);
	/* host1 (newer): only the registration */
	CU_ASSERT_EQUAL(f.p.acts[0].u.nops, 2);
	/* host2 (older): both addresses, and host1, which lists .12 too,
	 * must still be as read (if it heartbeats, .12 is its) */
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG2, DNS_TYPE_TXT, 0, txt2 },
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt1 },
			{ OP_DEL_RRSET, REG2, DNS_TYPE_TXT, 0, NULL },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.12" },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.13" },
		};

		check_ops(&f.p.acts[1].u, want, NELEMS(want));
	}
	fx_clean(&f);
}

/* Every other registration listing a deleted address is a prerequisite,
 * once each, in host order; held-back ones too; one that lists only
 * addresses not deleted is not. */
static void
test_shared_prereq_all_sharers(void)
{
	char txt1[REG_TEXT_MAX], txt2[REG_TEXT_MAX], txt3[REG_TEXT_MAX],
	    txt4[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	f.c->min_members = 1;
	zreg(&f, "host1", POOL, EDGE - 9,
	    "a=192.0.2.12 a=192.0.2.13 a=192.0.2.14", txt1, sizeof(txt1));
	zreg(&f, "host2", POOL, EDGE - 1, "a=192.0.2.13 a=192.0.2.12", txt2,
	    sizeof(txt2));
	zreg(&f, "host3", POOL, EDGE - 5, "a=192.0.2.14 a=192.0.2.99", txt3,
	    sizeof(txt3));
	zreg(&f, "host4", POOL, EDGE - 2, "a=192.0.2.55 a=192.0.2.12", txt4,
	    sizeof(txt4));
	zaddr(&f, POOL, "192.0.2.12", 60);
	zaddr(&f, POOL, "192.0.2.13", 60);
	zaddr(&f, POOL, "192.0.2.14", 60);
	zaddr(&f, POOL, "192.0.2.55", 60);
	fx_expiry(&f, NOW);
	/* host1 (oldest) deletes .12 .13 .14; host3 then would delete .99,
	 * absent: nothing; host4 (.55) would leave 0 < 1: held back, and
	 * lists .12: a prerequisite of host1's expiry all the same */
	CU_ASSERT_EQUAL_FATAL(f.p.nacts, 3);
	check_action(&f.p.acts[0], ACT_EXPIRE, "host1 in " POOL);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt1 },
			{ OP_YXRRSET_VAL, REG2, DNS_TYPE_TXT, 0, txt2 },
			{ OP_YXRRSET_VAL, REG3, DNS_TYPE_TXT, 0, txt3 },
			{ OP_YXRRSET_VAL, "host4._rollcall." POOL,
			    DNS_TYPE_TXT, 0, txt4 },
			{ OP_DEL_RRSET, REG1, DNS_TYPE_TXT, 0, NULL },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.12" },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.13" },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.14" },
		};

		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	check_report(&f.p, POOL, 0, 3, 1, 0, 4);
	fx_clean(&f);
}

/* An invalid registration whose raw text holds "a=ADDR" claims ADDR: an
 * expiry leaves it; "a=ADDR0" or "xa=ADDR" prefixes of others do not. */
static void
test_invalid_text_claims(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zadd(&f, "bad._rollcall." POOL, DNS_TYPE_TXT, 60,
	    "\"v=rc1 t=oops a=192.0.2.12 a=192.0.2.130\" \"a=2001:db8::12\"");
	zreg(&f, "old", POOL, EDGE - 1,
	    "a=192.0.2.12 a=192.0.2.13 a=2001:db8::12 a=2001:db8::1", txt,
	    sizeof(txt));
	zaddr(&f, POOL, "192.0.2.12", 60);
	zaddr(&f, POOL, "192.0.2.13", 60);
	zaddr(&f, POOL, "2001:db8::12", 60);
	zaddr(&f, POOL, "2001:db8::1", 60);
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, "old._rollcall." POOL, DNS_TYPE_TXT,
			    0, txt },
			{ OP_DEL_RRSET, "old._rollcall." POOL, DNS_TYPE_TXT, 0,
			    NULL },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.13" },
			{ OP_DEL_RR, POOL, DNS_TYPE_AAAA, 0, "2001:db8::1" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	check_report(&f.p, POOL, 0, 1, 0, 1, 4);
	fx_clean(&f);
}

/* Records nobody lists, and listed addresses already gone, are left. */
static void
test_static_never_deleted(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, EDGE - 1,
	    "a=192.0.2.11 a=192.0.2.77 a=2001:db8::11", txt, sizeof(txt));
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "192.0.2.99", 60);
	zaddr(&f, POOL, "2001:db8::99", 60);
	zadd(&f, POOL, DNS_TYPE_TXT, 60, "\"static text\"");
	/* rdata that does not read as an address still is an RR at P */
	zadd(&f, POOL, DNS_TYPE_A, 60, "not-an-address");
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt },
			{ OP_DEL_RRSET, REG1, DNS_TYPE_TXT, 0, NULL },
			{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.11" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	check_report(&f.p, POOL, 0, 1, 0, 0, 4);
	fx_clean(&f);
}

/* The zone's text of an address need not be canonical. */
static void
test_expiry_ipv6_canonical(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, EDGE - 1, "a=2001:db8::11", txt, sizeof(txt));
	zaddr(&f, POOL, "2001:DB8:0:0::11", 60);
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt },
			{ OP_DEL_RRSET, REG1, DNS_TYPE_TXT, 0, NULL },
			{ OP_DEL_RR, POOL, DNS_TYPE_AAAA, 0, "2001:db8::11" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	plan_clean(&f.p);

	/* and a live host with that address is not "missing" it */
	plan_init(&f.p);
	CU_ASSERT_EQUAL_FATAL(cplan_expiry(&f.z, f.c, EDGE - 1, &f.p), 0);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	fx_clean(&f);
}

/* Within the slack a future heartbeat is just a fast clock: no note. */
static void
test_future_within_slack(void)
{
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW + CPLAN_FUTURE_SLACK, "a=192.0.2.11",
	    NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	CU_ASSERT_EQUAL(f.p.nnotes, 0);
	check_report(&f.p, POOL, 1, 0, 0, 0, 1);
	fx_clean(&f);
}

/* Beyond it: counted as now (live now, not expired), with a note. */
static void
test_future_beyond_slack(void)
{
	char note[200];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW + 100000, "a=192.0.2.11", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	check_report(&f.p, POOL, 1, 0, 0, 0, 1);
	/* no t=: the text must not change when the skewed host heartbeats */
	snprintf(note, sizeof(note), "host host1 in %s: heartbeat lies more "
	    "than 300 s in the future (skewed clock?); counted from when first "
	    "seen", POOL);
	CU_ASSERT_EQUAL_FATAL(f.p.nnotes, 1);
	CU_ASSERT_STRING_EQUAL(f.p.notes[0], note);
	plan_clean(&f.p);

	/* it heartbeats, still skewed: the very same note */
	zone_data_clean(&f.z);
	zone_data_init(&f.z, ZONE);
	plan_init(&f.p);
	zreg(&f, "host1", POOL, NOW + 100060, "a=192.0.2.11", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	fx_expiry(&f, NOW + 1);
	CU_ASSERT_EQUAL_FATAL(f.p.nnotes, 1);
	CU_ASSERT_STRING_EQUAL(f.p.notes[0], note);
	plan_clean(&f.p);

	/* one second past the slack is beyond it */
	zone_data_clean(&f.z);
	zone_data_init(&f.z, ZONE);
	plan_init(&f.p);
	zreg(&f, "host1", POOL, NOW + CPLAN_FUTURE_SLACK + 1, "a=192.0.2.11",
	    NULL, 0);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(notes_with(&f.p, "in the future"), 1);
	fx_clean(&f);
}

/* The daemon's memory: first seen long ago, the lease has run out since:
 * expired, not alive until the clock catches up with the record. */
static uint64_t
seen_long_ago(void *arg, const char *host, const char *pool, uint64_t hb,
    uint64_t now)
{
	*(int *)arg += 1;
	CU_ASSERT_STRING_EQUAL(host, "host1");
	CU_ASSERT_EQUAL(hb, NOW + 100000);
	return now - 1000;
}

static void
test_future_first_seen(void)
{
	struct fx f;
	int calls = 0;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW + 100000, "a=192.0.2.11", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "192.0.2.1", 60);	/* static: min_members kept */
	f.p.first_seen = seen_long_ago;
	f.p.first_seen_arg = &calls;
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(calls, 1);
	CU_ASSERT_EQUAL(f.p.nacts, 1);
	if (f.p.nacts == 1)
		CU_ASSERT_EQUAL(f.p.acts[0].kind, ACT_EXPIRE);
	fx_clean(&f);
}

/* next_due: the first second at which a live registration is expired,
 * the earliest over all pools and zones of the plan; expired, held back
 * and invalid ones do not count (they expire nothing more by waiting). */
static void
test_next_due(void)
{
	struct fx f;

	fx_init(&f);
	CU_ASSERT_EQUAL(f.p.next_due, UINT64_MAX);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.next_due, UINT64_MAX);	/* nothing live */
	plan_clean(&f.p);
	CU_ASSERT_EQUAL(f.p.next_due, UINT64_MAX);

	zreg(&f, "host1", POOL, NOW - 60, "a=192.0.2.11", NULL, 0);
	zreg(&f, "host2", "other.example.test.", NOW - 100, "a=192.0.2.12",
	    NULL, 0);
	zreg(&f, "host3", POOL, EDGE - 1, "a=192.0.2.13", NULL, 0);
	zadd(&f, "host4._rollcall." POOL, DNS_TYPE_TXT, 60, "\"junk\"");
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "192.0.2.13", 60);
	zaddr(&f, "other.example.test.", "192.0.2.12", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.next_due, NOW - 100 + LEASE + GRACE + 1);
	plan_clean(&f.p);
	/* at that second host2 is expired, not a second before */
	fx_expiry(&f, NOW - 100 + LEASE + GRACE);
	CU_ASSERT_EQUAL(report(&f.p, "other.example.test.")->expired, 0);
	plan_clean(&f.p);
	fx_expiry(&f, NOW - 100 + LEASE + GRACE + 1);
	CU_ASSERT_EQUAL(report(&f.p, "other.example.test.")->expired, 1);
	CU_ASSERT_EQUAL(f.p.next_due, NOW - 60 + LEASE + GRACE + 1);
	fx_clean(&f);
}

static uint64_t
seen_recently(void *arg, const char *host, const char *pool, uint64_t hb,
    uint64_t now)
{
	(void)host;
	(void)pool;
	(void)hb;
	*(int *)arg += 1;
	return now - 100;
}

/* A heartbeat from the future beyond the slack is due one lease after it
 * counts from: now, or when the daemon first saw it. */
static void
test_next_due_future(void)
{
	struct fx f;
	int calls = 0;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW + 100000, "a=192.0.2.11", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.next_due, NOW + LEASE + GRACE + 1);
	plan_clean(&f.p);
	f.p.first_seen = seen_recently;
	f.p.first_seen_arg = &calls;
	fx_expiry(&f, NOW);	/* seen at NOW - 100: still live */
	CU_ASSERT_EQUAL(calls, 1);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	CU_ASSERT_EQUAL(f.p.next_due, NOW - 100 + LEASE + GRACE + 1);
	fx_clean(&f);
}

/* A large pool in no particular order: every live host's address is
 * found (no repair), the expired ones' are deleted, a missing one is
 * re-added (the pool's addresses are searched sorted). */
static void
test_large_pool_lookup(void)
{
	char host[32], addr[64], a[80];
	size_t i, nrep = 0, nexp = 0;
	struct fx f;

	fx_init(&f);
	for (i = 0; i < 600; i++) {
		size_t k = (i * 7919) % 600;	/* a permutation */

		snprintf(host, sizeof(host), "h%zu", k);
		if (k % 2)
			snprintf(addr, sizeof(addr), "10.%zu.%zu.1", k / 256,
			    k % 256);
		else
			snprintf(addr, sizeof(addr), "2001:db8::%zx", k + 1);
		snprintf(a, sizeof(a), "a=%s", addr);
		zreg(&f, host, POOL, k % 100 == 3 ? EDGE - 1 : NOW, a, NULL, 0);
		if (k != 42)
			zaddr(&f, POOL, addr, 60);
	}
	fx_expiry(&f, NOW);
	for (i = 0; i < f.p.nacts; i++) {
		nrep += f.p.acts[i].kind == ACT_REPAIR;
		nexp += f.p.acts[i].kind == ACT_EXPIRE;
	}
	CU_ASSERT_EQUAL(nrep, 1);
	CU_ASSERT_EQUAL(nexp, 6);
	CU_ASSERT_EQUAL(f.p.nacts, 7);
	for (i = 0; i < f.p.nacts; i++)
		if (f.p.acts[i].kind == ACT_REPAIR) {
			CU_ASSERT_STRING_EQUAL(f.p.acts[i].subject,
			    "h42 in " POOL);
		} else {
			/* each expiry deletes its one address */
			CU_ASSERT_EQUAL(f.p.acts[i].u.nops, 3);
		}
	fx_clean(&f);
}

/* cplan_deleting: what this plan's expiries delete, by owner and
 * address; a repair's or an alias's operations never count. */
static void
test_deleting(void)
{
	struct reg_addr a11, a12, a6;
	struct fx f;

	fx_init(&f);
	CU_ASSERT_FATAL(reg_addr_parse("192.0.2.11", &a11) == 0);
	CU_ASSERT_FATAL(reg_addr_parse("192.0.2.12", &a12) == 0);
	CU_ASSERT_FATAL(reg_addr_parse("2001:db8:0::11", &a6) == 0);
	zreg(&f, "host1", POOL, EDGE - 1, "a=192.0.2.11 a=2001:db8::11",
	    NULL, 0);
	zreg(&f, "host2", POOL, NOW, "a=192.0.2.12", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "2001:DB8::11", 60);
	fx_expiry(&f, NOW);	/* host2's address is missing: a repair */
	CU_ASSERT_EQUAL_FATAL(f.p.nacts, 2);
	CU_ASSERT(cplan_deleting(&f.p, POOL, &a11));
	CU_ASSERT(cplan_deleting(&f.p, "SRV.example.test.", &a6));
	CU_ASSERT(!cplan_deleting(&f.p, POOL, &a12));
	CU_ASSERT(!cplan_deleting(&f.p, "other.example.test.", &a11));
	fx_clean(&f);
}

/* Unparsable and doubled registrations: untouched, noted once, counted. */
static void
test_invalid_untouched(void)
{
	char txt1[REG_TEXT_MAX], txt2[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	f.c->grace = 0;
	zadd(&f, "bad._rollcall." POOL, DNS_TYPE_TXT, 60, "\"garbage\"");
	regtxt(txt1, sizeof(txt1), EDGE - 999, LEASE, "a=192.0.2.2");
	regtxt(txt2, sizeof(txt2), EDGE - 998, LEASE, "a=192.0.2.2");
	zadd(&f, "dup._rollcall." POOL, DNS_TYPE_TXT, 60, txt1);
	zadd(&f, "dup._rollcall." POOL, DNS_TYPE_TXT, 60, txt2);
	zaddr(&f, POOL, "192.0.2.2", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	check_report(&f.p, POOL, 0, 0, 0, 2, 1);
	CU_ASSERT_EQUAL(f.p.nnotes, 2);
	CU_ASSERT_EQUAL(notes_with(&f.p, "host bad in " POOL ": unreadable "
	    "registration"), 1);
	CU_ASSERT_EQUAL(notes_with(&f.p, "host dup in " POOL ": 2 TXT "
	    "records"), 1);
	CU_ASSERT_EQUAL(notes_with(&f.p, "left untouched"), 2);
	fx_clean(&f);
}

/* A doubled registration that reads as live still protects its address
 * from another host's expiry. */
static void
test_invalid_live_protects(void)
{
	char txt1[REG_TEXT_MAX], txt2[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	regtxt(txt1, sizeof(txt1), NOW, LEASE, "a=192.0.2.2");
	regtxt(txt2, sizeof(txt2), NOW - 1, LEASE, "a=192.0.2.3");
	zadd(&f, "dup._rollcall." POOL, DNS_TYPE_TXT, 60, txt1);
	zadd(&f, "dup._rollcall." POOL, DNS_TYPE_TXT, 60, txt2);
	zreg(&f, "old", POOL, EDGE - 1, "a=192.0.2.2 a=192.0.2.3 a=192.0.2.4",
	    NULL, 0);
	zaddr(&f, POOL, "192.0.2.2", 60);
	zaddr(&f, POOL, "192.0.2.3", 60);
	zaddr(&f, POOL, "192.0.2.4", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
	CU_ASSERT_EQUAL_FATAL(f.p.acts[0].u.nops, 3);
	CU_ASSERT_STRING_EQUAL(f.p.acts[0].u.ops[2].rdata, "192.0.2.4");
	check_report(&f.p, POOL, 0, 1, 0, 1, 3);
	fx_clean(&f);
}

/* Names that are not H._rollcall.P make no pool. */
static void
test_not_registrations(void)
{
	struct fx f;

	fx_init(&f);
	zadd(&f, "x.y._rollcall." POOL, DNS_TYPE_TXT, 60,
	    "\"v=rc1 t=1 lease=1\"");
	zadd(&f, "_rollcall." POOL, DNS_TYPE_TXT, 60, "\"v=rc1 t=1 lease=1\"");
	zadd(&f, "h._rollcallx." POOL, DNS_TYPE_TXT, 60,
	    "\"v=rc1 t=1 lease=1\"");
	zadd(&f, "h._roll." POOL, DNS_TYPE_TXT, 60, "\"v=rc1 t=1 lease=1\"");
	zadd(&f, "h.x_rollcall." POOL, DNS_TYPE_TXT, 60,
	    "\"v=rc1 t=1 lease=1\"");
	zadd(&f, "h._rollcall." POOL, DNS_TYPE_A, 60, "192.0.2.1");
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	CU_ASSERT_EQUAL(f.p.nnotes, 0);
	CU_ASSERT_EQUAL(f.p.npools, 0);
	fx_clean(&f);
}

/* A live host's missing address is re-added, under the prerequisite on
 * its TXT RR, with the pool's TTL (the A RRset's here: there is no AAAA
 * RRset). */
static void
test_repair(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW - 5, "a=192.0.2.11 a=2001:db8::11", txt,
	    sizeof(txt));
	zaddr(&f, POOL, "192.0.2.11", 300);
	zaddr(&f, POOL, "192.0.2.50", 300);
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt },
			{ OP_ADD, POOL, DNS_TYPE_AAAA, 300, "2001:db8::11" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_action(&f.p.acts[0], ACT_REPAIR, "host1 in " POOL);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	check_report(&f.p, POOL, 1, 0, 0, 0, 2);
	fx_clean(&f);
}

/* A pool that is a CNAME: BIND would ignore the add, so no repair (it
 * would be sent every pass), a note; expiries still go. */
static void
test_repair_pool_cname(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW - 5, "a=192.0.2.11", NULL, 0);
	zreg(&f, "host2", POOL, EDGE - 1, "a=192.0.2.12", txt, sizeof(txt));
	zadd(&f, POOL, DNS_TYPE_CNAME, 60, "elsewhere.example.test.");
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG2, DNS_TYPE_TXT, 0, txt },
			{ OP_DEL_RRSET, REG2, DNS_TYPE_TXT, 0, NULL },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_action(&f.p.acts[0], ACT_EXPIRE, "host2 in " POOL);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	CU_ASSERT_EQUAL_FATAL(f.p.nnotes, 1);
	CU_ASSERT_STRING_EQUAL(f.p.notes[0], "pool " POOL " is a CNAME in the "
	    "zone: remove the CNAME or the pool; no address re-added");
	check_report(&f.p, POOL, 1, 1, 0, 0, 0);
	fx_clean(&f);
}

/* Same-type RRset's TTL first; no A/AAAA at all: the registration's. */
static void
test_repair_ttl(void)
{
	char txt[REG_TEXT_MAX];
	struct fx f;

	fx_init(&f);
	zreg(&f, "host1", POOL, NOW - 5, "a=192.0.2.11 a=2001:db8::11", txt,
	    sizeof(txt));
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt },
			{ OP_ADD, POOL, DNS_TYPE_A, 60, "192.0.2.11" },
			{ OP_ADD, POOL, DNS_TYPE_AAAA, 60, "2001:db8::11" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	plan_clean(&f.p);

	plan_init(&f.p);
	zaddr(&f, POOL, "192.0.2.99", 300);
	zaddr(&f, POOL, "2001:db8::99", 120);
	fx_expiry(&f, NOW);
	{
		const struct xop want[] = {
			{ OP_YXRRSET_VAL, REG1, DNS_TYPE_TXT, 0, txt },
			{ OP_ADD, POOL, DNS_TYPE_A, 300, "192.0.2.11" },
			{ OP_ADD, POOL, DNS_TYPE_AAAA, 120, "2001:db8::11" },
		};

		CU_ASSERT_EQUAL_FATAL(f.p.nacts, 1);
		check_ops(&f.p.acts[0].u, want, NELEMS(want));
	}
	fx_clean(&f);
}

/* A pool of the config with no registrations is reported; one of another
 * zone, or of a managed zone below this one, is not. */
static void
test_config_pool_without_registrations(void)
{
	struct fx f;

	fx_init(&f);
	f.c->nzones = 2;
	snprintf(f.c->zones[1], sizeof(f.c->zones[1]), "sub." ZONE);
	fx_pool(&f, "empty." ZONE, 0);
	fx_pool(&f, "pool.other.test.", 0);
	fx_pool(&f, "p.sub." ZONE, 0);
	zaddr(&f, "empty." ZONE, "192.0.2.1", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	CU_ASSERT_EQUAL_FATAL(f.p.npools, 1);
	check_report(&f.p, "empty." ZONE, 0, 0, 0, 0, 1);
	fx_clean(&f);
}

/* Pools by name, hosts by name, whatever the zone's order; a configured
 * pool that also has registrations is reported once. */
static void
test_order(void)
{
	struct fx f;

	fx_init(&f);
	fx_pool(&f, "b." ZONE, 0);
	zreg(&f, "zeta", "b." ZONE, EDGE - 1, "a=192.0.2.1", NULL, 0);
	zreg(&f, "alpha", "b." ZONE, EDGE - 2, "a=192.0.2.2", NULL, 0);
	zreg(&f, "zeta", "a." ZONE, EDGE - 3, "a=192.0.2.3", NULL, 0);
	zreg(&f, "alpha", "a." ZONE, EDGE - 4, "a=192.0.2.4", NULL, 0);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL_FATAL(f.p.nacts, 4);
	CU_ASSERT_STRING_EQUAL(f.p.acts[0].subject, "alpha in a." ZONE);
	CU_ASSERT_STRING_EQUAL(f.p.acts[1].subject, "zeta in a." ZONE);
	CU_ASSERT_STRING_EQUAL(f.p.acts[2].subject, "alpha in b." ZONE);
	CU_ASSERT_STRING_EQUAL(f.p.acts[3].subject, "zeta in b." ZONE);
	CU_ASSERT_EQUAL_FATAL(f.p.npools, 2);
	CU_ASSERT_STRING_EQUAL(f.p.pools[0].name, "a." ZONE);
	CU_ASSERT_STRING_EQUAL(f.p.pools[1].name, "b." ZONE);
	check_report(&f.p, "b." ZONE, 0, 2, 0, 0, 0);
	fx_clean(&f);
}

/* ---- aliases ---- */

struct afx {
	struct fx		f;
	struct coord_alias	a;
	struct target_result	r[CONF_MAX_TARGETS];
};

static void
afx_init(struct afx *x)
{
	fx_init(&x->f);
	memset(&x->a, 0, sizeof(x->a));
	memset(x->r, 0, sizeof(x->r));
	snprintf(x->a.name, sizeof(x->a.name), "%s", ALIAS);
	x->a.on_missing = ON_MISSING_KEEP;
}

/* Target i: name, state and addresses ("a b c"), TTL. */
static void
afx_target(struct afx *x, const char *name, enum target_state st,
    const char *addrs, uint32_t ttl, const char *why)
{
	struct target_result *r = &x->r[x->a.ntargets];
	char buf[256], *tok, *save = NULL;

	snprintf(x->a.targets[x->a.ntargets], sizeof(x->a.targets[0]), "%s",
	    name);
	x->a.ntargets++;
	r->state = st;
	r->min_ttl = ttl;
	snprintf(r->why, sizeof(r->why), "%s", why);
	snprintf(buf, sizeof(buf), "%s", addrs);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		CU_ASSERT_FATAL(reg_addr_parse(tok, &r->addrs[r->naddrs++]) == 0);
}

static void
afx_plan(struct afx *x)
{
	zone_data_sort(&x->f.z);
	CU_ASSERT_EQUAL_FATAL(cplan_alias(&x->f.z, &x->a, x->r, &x->f.p), 0);
}

static void
test_alias_add_only(void)
{
	static const struct xop want[] = {
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
		{ OP_ADD, ALIAS, DNS_TYPE_A, 300, "192.0.2.2" },
	};
	struct afx x;

	afx_init(&x);
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.2 192.0.2.1",
	    300, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	check_action(&x.f.p.acts[0], ACT_ALIAS, "alias " ALIAS);
	check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	CU_ASSERT_EQUAL(x.f.p.nnotes, 0);
	fx_clean(&x.f);
}

/* The prerequisite lists the whole RRset as read, sorted, whatever the
 * zone data's order within it. */
static void
test_alias_delete_only(void)
{
	static const struct xop want[] = {
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.2" },
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.3" },
		{ OP_DEL_RR, ALIAS, DNS_TYPE_A, 0, "192.0.2.2" },
	};
	struct afx x;

	afx_init(&x);
	zaddr(&x.f, ALIAS, "192.0.2.2", 300);
	zaddr(&x.f, ALIAS, "192.0.2.3", 300);
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	zaddr(&x.f, ALIAS, "2001:db8::1", 300);	/* unchanged: no prereq */
	afx_target(&x, "t1.example.net.", TARGET_OK,
	    "192.0.2.1 2001:db8::1", 300, "");
	afx_target(&x, "t2.example.net.", TARGET_OK, "192.0.2.3", 300, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	fx_clean(&x.f);
}

/* Both ways; the AAAA RRset did not exist (RFC 2136 2.4.3); TTL the
 * smallest of the targets'. */
static void
test_alias_both(void)
{
	static const struct xop want[] = {
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.3" },
		{ OP_NXRRSET, ALIAS, DNS_TYPE_AAAA, 0, NULL },
		{ OP_DEL_RR, ALIAS, DNS_TYPE_A, 0, "192.0.2.3" },
		{ OP_ADD, ALIAS, DNS_TYPE_A, 120, "192.0.2.2" },
		{ OP_ADD, ALIAS, DNS_TYPE_AAAA, 120, "2001:db8::5" },
	};
	struct afx x;

	afx_init(&x);
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	zaddr(&x.f, ALIAS, "192.0.2.3", 300);
	zadd(&x.f, ALIAS, 15 /* MX */, 300, "10 mail.example.test.");
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.1 192.0.2.2",
	    300, "");
	afx_target(&x, "t2.example.net.", TARGET_OK, "2001:db8::5 192.0.2.2",
	    120, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	fx_clean(&x.f);
}

static void
test_alias_unchanged(void)
{
	struct afx x;

	afx_init(&x);
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	zaddr(&x.f, ALIAS, "2001:db8::1", 300);
	/* a different TTL is no reason to write: resolver TTLs count down */
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.1 2001:db8::1",
	    17, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	CU_ASSERT_EQUAL(x.f.p.nnotes, 0);
	fx_clean(&x.f);
}

static void
test_alias_ipv6_canonical(void)
{
	struct afx x;

	afx_init(&x);
	zaddr(&x.f, ALIAS, "2001:DB8:0:0::1", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "2001:db8::1", 300, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	plan_clean(&x.f.p);

	/* when it does change, the prerequisite quotes the zone as read */
	plan_init(&x.f.p);
	afx_target(&x, "t2.example.net.", TARGET_OK, "2001:db8::2", 300, "");
	afx_plan(&x);
	{
		static const struct xop want[] = {
			{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_AAAA, 0,
			    "2001:DB8:0:0::1" },
			{ OP_ADD, ALIAS, DNS_TYPE_AAAA, 300, "2001:db8::2" },
		};

		CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
		check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	}
	fx_clean(&x.f);
}

static void
test_alias_failed_target(void)
{
	struct afx x;

	afx_init(&x);
	x.a.on_missing = ON_MISSING_REMOVE;
	zaddr(&x.f, ALIAS, "192.0.2.9", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.1", 300, "");
	afx_target(&x, "t2.example.net.", TARGET_FAILED, "", 0, "timeout");
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nnotes, 1);
	CU_ASSERT_STRING_EQUAL(x.f.p.notes[0], "alias " ALIAS ": target "
	    "t2.example.net.: timeout; records left as they are");
	fx_clean(&x.f);
}

static void
test_alias_missing_keep(void)
{
	struct afx x;

	afx_init(&x);
	zaddr(&x.f, ALIAS, "192.0.2.9", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.1", 300, "");
	afx_target(&x, "t2.example.net.", TARGET_MISSING, "", 0, "NXDOMAIN");
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	CU_ASSERT_EQUAL(x.f.p.nnotes, 1);
	CU_ASSERT_EQUAL(notes_with(&x.f.p, "alias " ALIAS ": target "
	    "t2.example.net.: NXDOMAIN"), 1);
	CU_ASSERT_EQUAL(notes_with(&x.f.p, "left as they are"), 1);
	/* not converged: --once must not say it is */
	CU_ASSERT_EQUAL(x.f.p.aliases_kept, 1);
	fx_clean(&x.f);
}

static void
test_alias_missing_remove(void)
{
	static const struct xop want[] = {
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.9" },
		{ OP_DEL_RR, ALIAS, DNS_TYPE_A, 0, "192.0.2.9" },
	};
	struct afx x;

	afx_init(&x);
	x.a.on_missing = ON_MISSING_REMOVE;
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	zaddr(&x.f, ALIAS, "192.0.2.9", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.1", 300, "");
	afx_target(&x, "t2.example.net.", TARGET_MISSING, "", 0, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	CU_ASSERT_EQUAL(x.f.p.aliases_kept, 0);
	CU_ASSERT_EQUAL(notes_with(&x.f.p, "t2.example.net.: no address"), 1);
	fx_clean(&x.f);
}

static void
test_alias_all_missing_remove(void)
{
	static const struct xop want[] = {
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_AAAA, 0, "2001:db8::1" },
		{ OP_DEL_RR, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
		{ OP_DEL_RR, ALIAS, DNS_TYPE_AAAA, 0, "2001:db8::1" },
	};
	struct afx x;

	afx_init(&x);
	x.a.on_missing = ON_MISSING_REMOVE;
	zaddr(&x.f, ALIAS, "2001:db8::1", 300);
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	afx_target(&x, "t1.example.net.", TARGET_MISSING, "", 0, "NXDOMAIN");
	afx_target(&x, "t2.example.net.", TARGET_MISSING, "", 0, "no A/AAAA");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	fx_clean(&x.f);
}

/* Nothing at the alias yet: both RRsets must still be absent. */
static void
test_alias_create(void)
{
	static const struct xop want[] = {
		{ OP_NXRRSET, ALIAS, DNS_TYPE_A, 0, NULL },
		{ OP_NXRRSET, ALIAS, DNS_TYPE_AAAA, 0, NULL },
		{ OP_ADD, ALIAS, DNS_TYPE_A, 3600, "192.0.2.1" },
		{ OP_ADD, ALIAS, DNS_TYPE_AAAA, 3600, "2001:db8::1" },
	};
	struct afx x;

	afx_init(&x);
	x.a.ttl = 3600;
	x.a.ttl_set = true;
	afx_target(&x, "t1.example.net.", TARGET_OK, "2001:db8::1 192.0.2.1",
	    30, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	fx_clean(&x.f);
}

/* TTL: the smallest of the OK targets' unless set explicitly. */
static void
test_alias_ttl(void)
{
	struct afx x;

	afx_init(&x);
	x.a.on_missing = ON_MISSING_REMOVE;
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.1", 600, "");
	afx_target(&x, "t2.example.net.", TARGET_OK, "192.0.2.2", 45, "");
	afx_target(&x, "t3.example.net.", TARGET_MISSING, "", 5, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	CU_ASSERT_EQUAL_FATAL(x.f.p.acts[0].u.nops, 2);
	CU_ASSERT_EQUAL(x.f.p.acts[0].u.ops[1].kind, OP_ADD);
	CU_ASSERT_EQUAL(x.f.p.acts[0].u.ops[1].ttl, 45);
	plan_clean(&x.f.p);

	plan_init(&x.f.p);
	x.a.ttl = 7200;
	x.a.ttl_set = true;
	afx_plan(&x);
	{
		/* the RRset is replaced: it gets the TTL on every server
		 * (Knot ignores the TTL of an RR re-added alone) */
		static const struct xop want[] = {
			{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
			{ OP_DEL_RRSET, ALIAS, DNS_TYPE_A, 0, NULL },
			{ OP_ADD, ALIAS, DNS_TYPE_A, 7200, "192.0.2.1" },
			{ OP_ADD, ALIAS, DNS_TYPE_A, 7200, "192.0.2.2" },
		};

		CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
		check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	}
	fx_clean(&x.f);
}

/* Same addresses, explicit ttl 120, the alias at 3600: both RRsets
 * replaced with 120 under the prerequisite that they are as read; at 120
 * already: nothing. */
static void
test_alias_ttl_explicit_fix(void)
{
	static const struct xop want[] = {
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.2" },
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_AAAA, 0, "2001:DB8::1" },
		{ OP_DEL_RRSET, ALIAS, DNS_TYPE_A, 0, NULL },
		{ OP_DEL_RRSET, ALIAS, DNS_TYPE_AAAA, 0, NULL },
		{ OP_ADD, ALIAS, DNS_TYPE_A, 120, "192.0.2.1" },
		{ OP_ADD, ALIAS, DNS_TYPE_A, 120, "192.0.2.2" },
		{ OP_ADD, ALIAS, DNS_TYPE_AAAA, 120, "2001:db8::1" },
	};
	struct afx x;

	afx_init(&x);
	x.a.ttl = 120;
	x.a.ttl_set = true;
	zaddr(&x.f, ALIAS, "192.0.2.2", 3600);
	zaddr(&x.f, ALIAS, "192.0.2.1", 3600);
	zaddr(&x.f, ALIAS, "2001:DB8::1", 3600);
	afx_target(&x, "t1.example.net.", TARGET_OK,
	    "192.0.2.1 192.0.2.2 2001:db8::1", 30, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	check_action(&x.f.p.acts[0], ACT_ALIAS, "alias " ALIAS);
	check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	fx_clean(&x.f);

	/* in sync: nothing, whatever the target's TTL */
	afx_init(&x);
	x.a.ttl = 120;
	x.a.ttl_set = true;
	zaddr(&x.f, ALIAS, "192.0.2.1", 120);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.1", 30, "");
	x.r[0].ttl_fixed = true;
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	fx_clean(&x.f);

	/* an address changes in A, AAAA only has the wrong TTL: both */
	afx_init(&x);
	x.a.ttl = 120;
	x.a.ttl_set = true;
	zaddr(&x.f, ALIAS, "192.0.2.1", 120);
	zaddr(&x.f, ALIAS, "2001:db8::1", 3600);
	afx_target(&x, "t1.example.net.", TARGET_OK,
	    "192.0.2.9 2001:db8::1", 30, "");
	afx_plan(&x);
	{
		static const struct xop want2[] = {
			{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
			{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_AAAA, 0,
			    "2001:db8::1" },
			{ OP_DEL_RRSET, ALIAS, DNS_TYPE_AAAA, 0, NULL },
			{ OP_DEL_RR, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
			{ OP_ADD, ALIAS, DNS_TYPE_A, 120, "192.0.2.9" },
			{ OP_ADD, ALIAS, DNS_TYPE_AAAA, 120, "2001:db8::1" },
		};

		CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
		check_ops(&x.f.p.acts[0].u, want2, NELEMS(want2));
	}
	fx_clean(&x.f);
}

/* TTL from the targets: lowered when every target's TTL is the zone
 * data's (ttl_fixed), never raised; a resolver's TTL (counting down) is
 * never followed. */
static void
test_alias_ttl_derived_fix(void)
{
	static const struct xop want[] = {
		{ OP_YXRRSET_VAL, ALIAS, DNS_TYPE_A, 0, "192.0.2.1" },
		{ OP_DEL_RRSET, ALIAS, DNS_TYPE_A, 0, NULL },
		{ OP_ADD, ALIAS, DNS_TYPE_A, 60, "192.0.2.1" },
	};
	struct afx x;

	afx_init(&x);
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	afx_target(&x, "h1.example.test.", TARGET_OK, "192.0.2.1", 600, "");
	afx_target(&x, "h2.example.test.", TARGET_OK, "192.0.2.1", 60, "");
	x.r[0].ttl_fixed = x.r[1].ttl_fixed = true;
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	check_ops(&x.f.p.acts[0].u, want, NELEMS(want));
	plan_clean(&x.f.p);

	/* one of them from a resolver: left as it is */
	plan_init(&x.f.p);
	x.r[1].ttl_fixed = false;
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	fx_clean(&x.f);

	/* the alias's TTL below the targets': not raised */
	afx_init(&x);
	zaddr(&x.f, ALIAS, "192.0.2.1", 30);
	afx_target(&x, "h1.example.test.", TARGET_OK, "192.0.2.1", 600, "");
	x.r[0].ttl_fixed = true;
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	fx_clean(&x.f);
}

/* An alias named like a pool with registrations plans nothing: it would
 * delete the live hosts' addresses and flap with their repairs. */
static void
test_alias_is_pool(void)
{
	struct afx x;

	afx_init(&x);
	snprintf(x.a.name, sizeof(x.a.name), "%s", "SRV.example.test.");
	zreg(&x.f, "host1", POOL, NOW, "a=192.0.2.11", NULL, 0);
	zaddr(&x.f, POOL, "192.0.2.11", 60);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.99", 300, "");
	fx_expiry(&x.f, NOW);
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nnotes, 1);
	CU_ASSERT_STRING_EQUAL(x.f.p.notes[0], "alias SRV.example.test.: "
	    "SRV.example.test. is a pool with registrations; an alias cannot "
	    "be a pool: left as is");
	fx_clean(&x.f);
}

/* Same for a configured pool, registrations or not. */
static void
test_alias_is_configured_pool(void)
{
	struct afx x;

	afx_init(&x);
	fx_pool(&x.f, ALIAS, 0);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.99", 300, "");
	fx_expiry(&x.f, NOW);
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nnotes, 1);
	CU_ASSERT_STRING_EQUAL(x.f.p.notes[0], "alias " ALIAS ": " ALIAS
	    " is a configured pool; an alias cannot be a pool: left as is");
	fx_clean(&x.f);
}

/* An alias at a CNAME: BIND ignores the add (NOERROR), the update would
 * go out every pass: nothing planned, a note. */
static void
test_alias_cname(void)
{
	struct afx x;

	afx_init(&x);
	zadd(&x.f, ALIAS, DNS_TYPE_CNAME, 300, "t1.example.net.");
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.99", 300, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nnotes, 1);
	CU_ASSERT_STRING_EQUAL(x.f.p.notes[0], "alias " ALIAS " is a CNAME in "
	    "the zone: remove the CNAME or the alias");
	fx_clean(&x.f);
}

/* Expiry and alias actions go into one plan. */
static void
test_plan_accumulates(void)
{
	struct afx x;

	afx_init(&x);
	zreg(&x.f, "host1", POOL, EDGE - 1, "a=192.0.2.11", NULL, 0);
	zaddr(&x.f, POOL, "192.0.2.11", 60);
	afx_target(&x, POOL, TARGET_OK, "192.0.2.11", 60, "");
	fx_expiry(&x.f, NOW);
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 2);
	CU_ASSERT_EQUAL(x.f.p.acts[0].kind, ACT_EXPIRE);
	CU_ASSERT_EQUAL(x.f.p.acts[1].kind, ACT_ALIAS);
	fx_clean(&x.f);
}

/* ---- rows for status (p->collect) ---- */

/* Address i of row range [first, first+n) is text with fate f. */
static void
check_addr(const struct plan *p, size_t first, size_t n, size_t i,
    const char *text, enum addr_fate f)
{
	char a[64];

	CU_ASSERT_FATAL(i < n && first + i < p->naddrs);
	reg_addr_format(&p->addrs[first + i].a, a, sizeof(a));
	CU_ASSERT_STRING_EQUAL(a, text);
	CU_ASSERT_EQUAL(p->addrs[first + i].fate, f);
}

#define HADDR(p, h, i, text, f) \
	check_addr((p), (h)->addr_first, (h)->naddrs, (i), (text), (f))

/* Off (the daemon's passes): nothing collected. */
static void
test_rows_off(void)
{
	struct afx x;

	afx_init(&x);
	zreg(&x.f, "host1", POOL, EDGE - 1, "a=192.0.2.11", NULL, 0);
	zaddr(&x.f, POOL, "192.0.2.11", 60);
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.2", 300, "");
	fx_expiry(&x.f, NOW);
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 2);
	CU_ASSERT_EQUAL(x.f.p.nprows, 0);
	CU_ASSERT_EQUAL(x.f.p.nhrows, 0);
	CU_ASSERT_EQUAL(x.f.p.narows, 0);
	CU_ASSERT_EQUAL(x.f.p.naddrs, 0);
	CU_ASSERT_PTR_NULL(x.f.p.prows);
	CU_ASSERT_PTR_NULL(x.f.p.addrs);
	fx_clean(&x.f);
}

/*
 * One pool, min_members 4, five addresses: a live host with an address
 * missing (repaired), an expired one (deleted), one held back, one name
 * with two TXT RRs (invalid, claims its address), a static record.
 */
static void
test_rows_pool(void)
{
	const struct pool_row *pr;
	const struct host_row *h;
	struct fx f;

	fx_init(&f);
	f.p.collect = true;
	f.c->min_members = 4;
	zreg(&f, "host1", POOL, NOW - 60, "a=192.0.2.11 a=192.0.2.12", NULL, 0);
	zreg(&f, "host2", POOL, EDGE - 100, "a=192.0.2.21", NULL, 0);
	zreg(&f, "host3", POOL, EDGE - 1, "a=192.0.2.31", NULL, 0);
	zreg(&f, "host4", POOL, NOW, "a=192.0.2.41", NULL, 0);
	zreg(&f, "host4", POOL, NOW - 5, "a=192.0.2.41", NULL, 0);
	zaddr(&f, POOL, "192.0.2.41", 60);
	zaddr(&f, POOL, "192.0.2.31", 60);
	zaddr(&f, POOL, "192.0.2.21", 60);
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "192.0.2.1", 60);
	fx_expiry(&f, NOW);
	check_report(&f.p, POOL, 1, 1, 1, 1, 5);
	CU_ASSERT_EQUAL_FATAL(f.p.nacts, 2);
	check_action(&f.p.acts[0], ACT_REPAIR, "host1 in " POOL);
	check_action(&f.p.acts[1], ACT_EXPIRE, "host2 in " POOL);

	CU_ASSERT_EQUAL_FATAL(f.p.nprows, 1);
	pr = &f.p.prows[0];
	CU_ASSERT_STRING_EQUAL(pr->name, POOL);
	CU_ASSERT_STRING_EQUAL(pr->zone, ZONE);
	CU_ASSERT_EQUAL(pr->min_members, 4);
	CU_ASSERT_EQUAL(pr->addrs, 5);
	CU_ASSERT(!pr->cname);
	CU_ASSERT_EQUAL(pr->nnotes, 0);
	CU_ASSERT_EQUAL(pr->host_first, 0);
	CU_ASSERT_EQUAL_FATAL(pr->nhosts, 4);
	CU_ASSERT_EQUAL_FATAL(f.p.nhrows, 4);
	CU_ASSERT_EQUAL_FATAL(pr->nstatic, 1);
	check_addr(&f.p, pr->static_first, pr->nstatic, 0, "192.0.2.1",
	    FATE_PRESENT);

	h = &f.p.hrows[0];
	CU_ASSERT_STRING_EQUAL(h->host, "host1");
	CU_ASSERT_EQUAL(h->state, HOST_LIVE);
	CU_ASSERT_EQUAL(h->heartbeat, NOW - 60);
	CU_ASSERT_EQUAL(h->age, 60);
	CU_ASSERT_EQUAL(h->skew, 0);
	CU_ASSERT_EQUAL(h->lease, LEASE);
	CU_ASSERT_EQUAL(h->act, 0);
	CU_ASSERT_EQUAL(h->nnotes, 0);
	CU_ASSERT_EQUAL_FATAL(h->naddrs, 2);
	HADDR(&f.p, h, 0, "192.0.2.11", FATE_PRESENT);
	HADDR(&f.p, h, 1, "192.0.2.12", FATE_MISSING);

	h = &f.p.hrows[1];
	CU_ASSERT_STRING_EQUAL(h->host, "host2");
	CU_ASSERT_EQUAL(h->state, HOST_EXPIRED);
	CU_ASSERT_EQUAL(h->age, LEASE + GRACE + 100);
	CU_ASSERT_EQUAL(h->act, 1);
	CU_ASSERT_EQUAL(h->nnotes, 0);
	CU_ASSERT_EQUAL_FATAL(h->naddrs, 1);
	HADDR(&f.p, h, 0, "192.0.2.21", FATE_DELETED);

	h = &f.p.hrows[2];
	CU_ASSERT_STRING_EQUAL(h->host, "host3");
	CU_ASSERT_EQUAL(h->state, HOST_HELD);
	CU_ASSERT_EQUAL(h->age, LEASE + GRACE + 1);
	CU_ASSERT_EQUAL(h->left, 3);
	CU_ASSERT_EQUAL(h->act, -1);
	CU_ASSERT_EQUAL_FATAL(h->nnotes, 1);
	CU_ASSERT_EQUAL(strncmp(f.p.notes[h->note_first], "held back: host "
	    "host3 in " POOL, 21 + strlen(POOL)), 0);
	CU_ASSERT_EQUAL_FATAL(h->naddrs, 1);
	HADDR(&f.p, h, 0, "192.0.2.31", FATE_PRESENT);

	h = &f.p.hrows[3];
	CU_ASSERT_STRING_EQUAL(h->host, "host4");
	CU_ASSERT_EQUAL(h->state, HOST_INVALID);
	CU_ASSERT_STRING_EQUAL(h->why, "2 TXT records at one registration "
	    "name (two hosts with one host_id?)");
	CU_ASSERT_EQUAL(h->act, -1);
	CU_ASSERT_EQUAL_FATAL(h->nnotes, 1);
	CU_ASSERT(strstr(f.p.notes[h->note_first], "host host4 in " POOL
	    ": 2 TXT records") != NULL);
	CU_ASSERT_EQUAL_FATAL(h->naddrs, 1);
	HADDR(&f.p, h, 0, "192.0.2.41", FATE_PRESENT);
	CU_ASSERT_EQUAL(f.p.nnotes, 2);
	fx_clean(&f);
}

static uint64_t
seen_50_ago(void *arg, const char *host, const char *pool, uint64_t hb,
    uint64_t now)
{
	(void)arg;
	(void)host;
	(void)pool;
	(void)hb;
	return now - 50;
}

/*
 * A skewed host (age from first seen), an unreadable registration whose
 * text claims an address, an address an expired host shares with a live
 * one (stays) and one two expired hosts share (the older one's expiry
 * deletes it).  Owners are compared without case.
 */
static void
test_rows_skew_invalid_shared(void)
{
	const struct host_row *h;
	struct fx f;

	fx_init(&f);
	f.p.collect = true;
	f.p.first_seen = seen_50_ago;
	zreg(&f, "host1", POOL, NOW + 1000, "a=192.0.2.11", NULL, 0);
	zreg(&f, "host2", POOL, EDGE - 1, "a=192.0.2.11 a=192.0.2.22", NULL,
	    0);
	zadd(&f, "HOST3._ROLLCALL.SRV.example.test.", DNS_TYPE_TXT, 60,
	    "\"v=rc1 t=oops a=192.0.2.33\"");
	zreg(&f, "host4", POOL, EDGE - 100, "a=192.0.2.22 a=192.0.2.44", NULL,
	    0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	zaddr(&f, POOL, "192.0.2.22", 60);
	zaddr(&f, POOL, "192.0.2.33", 60);
	zaddr(&f, POOL, "192.0.2.44", 60);
	fx_expiry(&f, NOW);
	check_report(&f.p, POOL, 1, 2, 0, 1, 4);
	CU_ASSERT_EQUAL_FATAL(f.p.nprows, 1);
	CU_ASSERT_EQUAL(f.p.prows[0].nstatic, 0);
	CU_ASSERT_EQUAL_FATAL(f.p.nhrows, 4);

	h = &f.p.hrows[0];
	CU_ASSERT_STRING_EQUAL(h->host, "host1");
	CU_ASSERT_EQUAL(h->state, HOST_LIVE);
	CU_ASSERT_EQUAL(h->heartbeat, NOW + 1000);
	CU_ASSERT_EQUAL(h->skew, 1000);
	CU_ASSERT_EQUAL(h->age, 50);
	CU_ASSERT_EQUAL_FATAL(h->nnotes, 1);
	CU_ASSERT(strstr(f.p.notes[h->note_first], "in the future") != NULL);
	HADDR(&f.p, h, 0, "192.0.2.11", FATE_PRESENT);

	h = &f.p.hrows[1];
	CU_ASSERT_STRING_EQUAL(h->host, "host2");
	CU_ASSERT_EQUAL(h->state, HOST_EXPIRED);
	CU_ASSERT(h->act >= 0);
	CU_ASSERT_EQUAL_FATAL(h->naddrs, 2);
	HADDR(&f.p, h, 0, "192.0.2.11", FATE_SHARED);
	HADDR(&f.p, h, 1, "192.0.2.22", FATE_DELETED);

	h = &f.p.hrows[2];
	CU_ASSERT_STRING_EQUAL(h->host, "host3");	/* zone data: lower */
	CU_ASSERT_EQUAL(h->state, HOST_INVALID);
	/* the row says UNREADABLE itself: only the reason */
	CU_ASSERT(h->why[0] != '\0');
	CU_ASSERT(strncmp(h->why, "unreadable", 10) != 0);
	CU_ASSERT_EQUAL(notes_with(&f.p, "host3 in " POOL ": unreadable "
	    "registration: "), 1);
	CU_ASSERT_EQUAL(h->heartbeat, 0);
	CU_ASSERT_EQUAL_FATAL(h->naddrs, 1);
	HADDR(&f.p, h, 0, "192.0.2.33", FATE_PRESENT);

	h = &f.p.hrows[3];
	CU_ASSERT_STRING_EQUAL(h->host, "host4");
	CU_ASSERT_EQUAL(h->state, HOST_EXPIRED);
	CU_ASSERT_EQUAL_FATAL(h->naddrs, 2);
	HADDR(&f.p, h, 0, "192.0.2.22", FATE_DELETED);
	HADDR(&f.p, h, 1, "192.0.2.44", FATE_DELETED);
	fx_clean(&f);
}

/* A pool that is a CNAME: the note is the pool row's, a live host's
 * missing address is not repaired (still FATE_MISSING). */
static void
test_rows_pool_cname(void)
{
	const struct pool_row *pr;
	struct fx f;

	fx_init(&f);
	f.p.collect = true;
	zreg(&f, "host1", POOL, NOW, "a=192.0.2.11", NULL, 0);
	zadd(&f, POOL, DNS_TYPE_CNAME, 60, "elsewhere.example.test.");
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	CU_ASSERT_EQUAL_FATAL(f.p.nprows, 1);
	pr = &f.p.prows[0];
	CU_ASSERT(pr->cname);
	CU_ASSERT_EQUAL(pr->addrs, 0);
	CU_ASSERT_EQUAL_FATAL(pr->nnotes, 1);
	CU_ASSERT(strstr(f.p.notes[pr->note_first], "is a CNAME") != NULL);
	CU_ASSERT_EQUAL_FATAL(f.p.nhrows, 1);
	CU_ASSERT_EQUAL(f.p.hrows[0].nnotes, 0);
	CU_ASSERT_EQUAL(f.p.hrows[0].act, -1);
	HADDR(&f.p, &f.p.hrows[0], 0, "192.0.2.11", FATE_MISSING);
	fx_clean(&f);
}

/* A configured pool without registrations gets a row too; a pool in a
 * managed sub-zone is that zone's, not a row of the parent's. */
static void
test_rows_two_pools(void)
{
	struct fx f;

	fx_init(&f);
	f.p.collect = true;
	f.c->nzones = 2;
	snprintf(f.c->zones[1], sizeof(f.c->zones[1]), "%s",
	    "sub.example.test.");
	zreg(&f, "host9", "p.SUB.example.test.", EDGE - 1, "a=192.0.2.99",
	    NULL, 0);
	fx_pool(&f, "empty.example.test.", 2);
	zreg(&f, "host1", POOL, NOW, "a=192.0.2.11", NULL, 0);
	zaddr(&f, POOL, "192.0.2.11", 60);
	fx_expiry(&f, NOW);
	CU_ASSERT_EQUAL_FATAL(f.p.nprows, 2);
	CU_ASSERT_STRING_EQUAL(f.p.prows[0].name, "empty.example.test.");
	CU_ASSERT_EQUAL(f.p.prows[0].min_members, 2);
	CU_ASSERT_EQUAL(f.p.prows[0].nhosts, 0);
	CU_ASSERT_STRING_EQUAL(f.p.prows[1].name, POOL);
	CU_ASSERT_EQUAL(f.p.prows[1].host_first, 0);
	CU_ASSERT_EQUAL(f.p.prows[1].nhosts, 1);
	CU_ASSERT_EQUAL(f.p.nhrows, 1);
	CU_ASSERT_EQUAL(f.p.nacts, 0);
	fx_clean(&f);
}

/* The row of the (only) alias planned, after checks common to all. */
static const struct alias_row *
arow(struct afx *x, enum alias_state st)
{
	const struct alias_row *r;

	CU_ASSERT_EQUAL_FATAL(x->f.p.narows, 1);
	r = &x->f.p.arows[0];
	CU_ASSERT_STRING_EQUAL(r->name, x->a.name);
	CU_ASSERT_STRING_EQUAL(r->zone, ZONE);
	CU_ASSERT_EQUAL(r->state, st);
	CU_ASSERT_EQUAL(r->act, st == ALIAS_CHANGE ? 0 : -1);
	if (st != ALIAS_LEFT)
		CU_ASSERT_STRING_EQUAL(r->why, "");
	return r;
}

static void
test_rows_alias_in_sync(void)
{
	const struct alias_row *r;
	struct afx x;

	afx_init(&x);
	x.f.p.collect = true;
	zaddr(&x.f, ALIAS, "2001:DB8::1", 300);
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.1 2001:db8::1",
	    300, "");
	afx_plan(&x);
	CU_ASSERT_EQUAL(x.f.p.nacts, 0);
	r = arow(&x, ALIAS_IN_SYNC);
	CU_ASSERT_EQUAL(r->nnotes, 0);
	CU_ASSERT_EQUAL_FATAL(r->naddrs, 2);
	check_addr(&x.f.p, r->addr_first, r->naddrs, 0, "192.0.2.1",
	    FATE_PRESENT);
	check_addr(&x.f.p, r->addr_first, r->naddrs, 1, "2001:db8::1",
	    FATE_PRESENT);
	fx_clean(&x.f);
}

/* Out of sync: the row points at the action; a MISSING target with
 * on_missing remove is a note of the row. */
static void
test_rows_alias_change(void)
{
	const struct alias_row *r;
	struct afx x;

	afx_init(&x);
	x.f.p.collect = true;
	x.a.on_missing = ON_MISSING_REMOVE;
	zaddr(&x.f, ALIAS, "192.0.2.1", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.2", 300, "");
	afx_target(&x, "t2.example.net.", TARGET_MISSING, "", 0, "NXDOMAIN");
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 1);
	r = arow(&x, ALIAS_CHANGE);
	CU_ASSERT_EQUAL_FATAL(r->nnotes, 1);
	CU_ASSERT(strstr(x.f.p.notes[r->note_first], "on_missing remove") !=
	    NULL);
	CU_ASSERT_EQUAL_FATAL(r->naddrs, 1);
	check_addr(&x.f.p, r->addr_first, r->naddrs, 0, "192.0.2.1",
	    FATE_PRESENT);
	fx_clean(&x.f);
}

/* Left as is: a failed target, a missing one (keep), a pool, a CNAME;
 * each with why, and its notes. */
static void
test_rows_alias_left(void)
{
	const struct alias_row *r;
	struct afx x;

	afx_init(&x);
	x.f.p.collect = true;
	zaddr(&x.f, ALIAS, "192.0.2.9", 300);
	afx_target(&x, "t1.example.net.", TARGET_FAILED, "", 0, "timeout");
	afx_target(&x, "t2.example.net.", TARGET_FAILED, "", 0, "SERVFAIL");
	afx_plan(&x);
	r = arow(&x, ALIAS_LEFT);
	CU_ASSERT_STRING_EQUAL(r->why, "target t1.example.net.: timeout; "
	    "target t2.example.net.: SERVFAIL");
	CU_ASSERT_EQUAL(r->note_first, 0);
	CU_ASSERT_EQUAL(r->nnotes, 2);
	CU_ASSERT_EQUAL_FATAL(r->naddrs, 1);
	check_addr(&x.f.p, r->addr_first, r->naddrs, 0, "192.0.2.9",
	    FATE_PRESENT);
	fx_clean(&x.f);

	/* a target is missing and on_missing is keep: kept, not in sync */
	afx_init(&x);
	x.f.p.collect = true;
	zaddr(&x.f, ALIAS, "192.0.2.9", 300);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.9", 300, "");
	afx_target(&x, "t2.example.net.", TARGET_MISSING, "", 0, "NXDOMAIN");
	afx_plan(&x);
	r = arow(&x, ALIAS_LEFT);
	CU_ASSERT_STRING_EQUAL(r->why, "target t2.example.net.: NXDOMAIN "
	    "(on_missing keep)");
	CU_ASSERT_EQUAL(r->nnotes, 1);
	CU_ASSERT_EQUAL(x.f.p.aliases_kept, 1);
	fx_clean(&x.f);

	/* a pool */
	afx_init(&x);
	x.f.p.collect = true;
	fx_pool(&x.f, ALIAS, 0);
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.99", 300, "");
	fx_expiry(&x.f, NOW);
	afx_plan(&x);
	r = arow(&x, ALIAS_LEFT);
	CU_ASSERT_STRING_EQUAL(r->why, "it is a configured pool; an alias "
	    "cannot be a pool");
	CU_ASSERT_EQUAL(r->nnotes, 1);
	CU_ASSERT_EQUAL(r->naddrs, 0);
	fx_clean(&x.f);

	/* a CNAME */
	afx_init(&x);
	x.f.p.collect = true;
	zadd(&x.f, ALIAS, DNS_TYPE_CNAME, 300, "t1.example.net.");
	afx_target(&x, "t1.example.net.", TARGET_OK, "192.0.2.99", 300, "");
	afx_plan(&x);
	r = arow(&x, ALIAS_LEFT);
	CU_ASSERT(strncmp(r->why, "it is a CNAME in the zone", 25) == 0);
	CU_ASSERT_EQUAL(r->nnotes, 1);
	fx_clean(&x.f);
}

/* Rows of several aliases and pools in one plan: ranges stay right. */
static void
test_rows_accumulate(void)
{
	struct afx x;

	afx_init(&x);
	x.f.p.collect = true;
	zreg(&x.f, "host1", POOL, EDGE - 1, "a=192.0.2.11", NULL, 0);
	zaddr(&x.f, POOL, "192.0.2.11", 60);
	zaddr(&x.f, POOL, "192.0.2.1", 60);
	afx_target(&x, "t1.example.net.", TARGET_FAILED, "", 0, "timeout");
	fx_expiry(&x.f, NOW);
	afx_plan(&x);
	/* second alias, same plan */
	snprintf(x.a.name, sizeof(x.a.name), "%s", "mx.example.test.");
	x.r[0].state = TARGET_OK;
	x.r[0].naddrs = 1;
	CU_ASSERT_FATAL(reg_addr_parse("192.0.2.7", &x.r[0].addrs[0]) == 0);
	x.r[0].min_ttl = 60;
	afx_plan(&x);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nacts, 2);
	CU_ASSERT_EQUAL_FATAL(x.f.p.narows, 2);
	CU_ASSERT_EQUAL(x.f.p.arows[0].state, ALIAS_LEFT);
	CU_ASSERT_EQUAL(x.f.p.arows[0].note_first, 0);
	CU_ASSERT_EQUAL(x.f.p.arows[0].nnotes, 1);
	CU_ASSERT_EQUAL(x.f.p.arows[1].state, ALIAS_CHANGE);
	CU_ASSERT_EQUAL(x.f.p.arows[1].act, 1);
	CU_ASSERT_EQUAL(x.f.p.arows[1].nnotes, 0);
	CU_ASSERT_EQUAL(x.f.p.arows[1].naddrs, 0);
	CU_ASSERT_EQUAL_FATAL(x.f.p.nhrows, 1);
	CU_ASSERT_EQUAL(x.f.p.hrows[0].act, 0);
	HADDR(&x.f.p, &x.f.p.hrows[0], 0, "192.0.2.11", FATE_DELETED);
	check_addr(&x.f.p, x.f.p.prows[0].static_first,
	    x.f.p.prows[0].nstatic, 0, "192.0.2.1", FATE_PRESENT);
	fx_clean(&x.f);
}

void
suite_cplan(void)
{
	CU_pSuite s = test_add_suite("cplan");

	test_add(s, "plan init/clean, empty", test_plan_clean_empty);
	test_add(s, "fresh registration kept", test_fresh_kept);
	test_add(s, "stale registration expired", test_stale_expired);
	test_add(s, "boundary: lease+grace == now kept", test_boundary);
	test_add(s, "grace", test_grace);
	test_add(s, "min_members: oldest goes, next held back",
	    test_min_members_hold_back);
	test_add(s, "min_members: static records count",
	    test_min_members_static_counts);
	test_add(s, "min_members: per pool", test_min_members_per_pool);
	test_add(s, "min_members 0", test_min_members_zero);
	test_add(s, "address shared with live host kept",
	    test_shared_with_live_kept);
	test_add(s, "expiry deleting nothing never held back",
	    test_shared_only_never_held);
	test_add(s, "address shared by two expired hosts",
	    test_shared_between_expired);
	test_add(s, "expiry: prerequisite on every other sharer",
	    test_shared_prereq_all_sharers);
	test_add(s, "invalid registration's a= text claims the address",
	    test_invalid_text_claims);
	test_add(s, "static records never deleted", test_static_never_deleted);
	test_add(s, "expiry: IPv6 compared canonically",
	    test_expiry_ipv6_canonical);
	test_add(s, "future heartbeat within slack", test_future_within_slack);
	test_add(s, "future heartbeat beyond slack", test_future_beyond_slack);
	test_add(s, "future heartbeat, first seen long ago",
	    test_future_first_seen);
	test_add(s, "next_due: earliest expiry of a live host", test_next_due);
	test_add(s, "next_due: heartbeat from the future",
	    test_next_due_future);
	test_add(s, "large pool, unordered: sorted lookup",
	    test_large_pool_lookup);
	test_add(s, "cplan_deleting: this plan's expiries", test_deleting);
	test_add(s, "unparsable and doubled registrations untouched",
	    test_invalid_untouched);
	test_add(s, "doubled live registration protects its addresses",
	    test_invalid_live_protects);
	test_add(s, "names that are not registrations", test_not_registrations);
	test_add(s, "repair a missing address", test_repair);
	test_add(s, "repair TTL", test_repair_ttl);
	test_add(s, "pool that is a CNAME: no repair", test_repair_pool_cname);
	test_add(s, "configured pool without registrations",
	    test_config_pool_without_registrations);
	test_add(s, "pools and hosts in name order", test_order);
	test_add(s, "alias: add only", test_alias_add_only);
	test_add(s, "alias: delete only", test_alias_delete_only);
	test_add(s, "alias: add and delete", test_alias_both);
	test_add(s, "alias: unchanged, no action", test_alias_unchanged);
	test_add(s, "alias: IPv6 compared canonically",
	    test_alias_ipv6_canonical);
	test_add(s, "alias: failed target plans nothing",
	    test_alias_failed_target);
	test_add(s, "alias: missing target, keep", test_alias_missing_keep);
	test_add(s, "alias: missing target, remove", test_alias_missing_remove);
	test_add(s, "alias: all targets missing, remove",
	    test_alias_all_missing_remove);
	test_add(s, "alias: created from nothing", test_alias_create);
	test_add(s, "alias: TTL from targets or explicit", test_alias_ttl);
	test_add(s, "alias: explicit TTL corrected",
	    test_alias_ttl_explicit_fix);
	test_add(s, "alias: derived TTL lowered, zone data only",
	    test_alias_ttl_derived_fix);
	test_add(s, "alias: a pool with registrations plans nothing",
	    test_alias_is_pool);
	test_add(s, "alias: a configured pool plans nothing",
	    test_alias_is_configured_pool);
	test_add(s, "alias: a CNAME plans nothing", test_alias_cname);
	test_add(s, "expiry and alias in one plan", test_plan_accumulates);
	test_add(s, "rows: not collected by default", test_rows_off);
	test_add(s, "rows: live, expired, held back, invalid, static",
	    test_rows_pool);
	test_add(s, "rows: skewed, unreadable, shared addresses",
	    test_rows_skew_invalid_shared);
	test_add(s, "rows: pool that is a CNAME", test_rows_pool_cname);
	test_add(s, "rows: configured pool, sub-zone", test_rows_two_pools);
	test_add(s, "rows: alias in sync", test_rows_alias_in_sync);
	test_add(s, "rows: alias out of sync", test_rows_alias_change);
	test_add(s, "rows: alias left as is", test_rows_alias_left);
	test_add(s, "rows: several pools and aliases", test_rows_accumulate);
}
