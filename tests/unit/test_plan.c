/*
 * test_plan.c - what one agent run changes in one pool, given what it read.
 *
 * Pure: no network.  Every case lists the exact operations (kind, owner,
 * type, TTL, rdata) in order, so that an extra delete, a missing
 * prerequisite or a changed order fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dnsmsg.h"
#include "plan.h"
#include "regrecord.h"
#include "suites.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define POOL	"srv.example.test."
/* every update first requires that neither name is a CNAME */
#define CNAME_PREREQS \
	{ OP_NXRRSET, POOL, DNS_TYPE_CNAME, 0, NULL }, \
	{ OP_NXRRSET, REG, DNS_TYPE_CNAME, 0, NULL }
#define REG	"host1._rollcall.srv.example.test."
#define NOW	1764075549ULL
#define TXT_NOW	"\"v=rc1 t=1764075549 lease=180 a=192.0.2.11 a=2001:db8::11\""
#define TXT_PREV "\"v=rc1 t=1764075489 lease=180 a=192.0.2.11 a=2001:db8::11\""

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

/* The host: host1 in srv.example.test. with two addresses now. */
struct fixture {
	struct conf_pool	pool;
	struct reg_addr		addrs[REG_MAX_ADDRS];
	struct plan_input	in;
	struct reg_read		cur;
	struct update		u;
	char			text[REG_TEXT_MAX];
};

static void
fx_init(struct fixture *f, const char **addrs, size_t n)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	snprintf(f->pool.name, sizeof(f->pool.name), "%s", POOL);
	f->pool.ttl = 60;
	f->pool.auto_addrs = false;
	for (i = 0; i < n; i++) {
		CU_ASSERT_FATAL(reg_addr_parse(addrs[i], &f->addrs[i]) == 0);
		f->pool.addrs[f->pool.naddrs++] = f->addrs[i];
	}
	f->in.zone = "example.test.";
	f->in.host_id = "host1";
	f->in.pool = &f->pool;
	f->in.addrs = f->addrs;
	f->in.naddrs = n;
	f->in.lease = 180;
	f->in.now = NOW;
	update_init(&f->u, "example.test.", 180);
	memset(f->text, 'Z', sizeof(f->text));
}

static void
fx_read(struct fixture *f, const char *text)
{
	CU_ASSERT_FATAL(reg_read_add(&f->cur, text) == 0);
}

static void
fx_clean(struct fixture *f)
{
	reg_read_clean(&f->cur);
	update_clean(&f->u);
}

static const char *two[] = { "192.0.2.11", "2001:db8::11" };

static void
test_reg_name(void)
{
	char out[300], small[12];

	plan_reg_name("host1", POOL, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, REG);
	plan_reg_name("h", "p.", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "h._rollcall.p.");
	/* truncated, never overrun */
	plan_reg_name("host1", POOL, small, sizeof(small));
	CU_ASSERT_STRING_EQUAL(small, "host1._roll");
}

/* Nothing read: the name must still be free (NXRRSET), then add the
 * record and each address; nothing to delete. */
static void
test_first_register(void)
{
	static const struct xop want[] = {
		CNAME_PREREQS,
		{ OP_NXRRSET, REG, DNS_TYPE_TXT, 0, NULL },
		{ OP_ADD, REG, DNS_TYPE_TXT, 60, TXT_NOW },
		{ OP_ADD, POOL, DNS_TYPE_A, 60, "192.0.2.11" },
		{ OP_ADD, POOL, DNS_TYPE_AAAA, 60, "2001:db8::11" },
	};
	struct fixture f;

	fx_init(&f, two, 2);
	CU_ASSERT_EQUAL(plan_pool(PLAN_REGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, want, NELEMS(want));
	CU_ASSERT_STRING_EQUAL(f.text, TXT_NOW);
	CU_ASSERT_EQUAL(update_count_changes(&f.u), 3);
	/* plan_pool leaves the zone and lease as the caller set them */
	CU_ASSERT_STRING_EQUAL(f.u.zone, "example.test.");
	CU_ASSERT_EQUAL(f.u.lease, 180);
	fx_clean(&f);
}

/* The same addresses a minute later: the prerequisite is the exact text
 * read; the record is replaced with the new time; addresses re-added
 * (harmless, RFC 2136 3.4.2.2); nothing deleted from the pool. */
static void
test_heartbeat(void)
{
	static const struct xop want[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, TXT_PREV },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
		{ OP_ADD, REG, DNS_TYPE_TXT, 60, TXT_NOW },
		{ OP_ADD, POOL, DNS_TYPE_A, 60, "192.0.2.11" },
		{ OP_ADD, POOL, DNS_TYPE_AAAA, 60, "2001:db8::11" },
	};
	struct fixture f;

	fx_init(&f, two, 2);
	fx_read(&f, TXT_PREV);
	CU_ASSERT_TRUE(f.cur.valid);
	CU_ASSERT_TRUE(reg_read_is(&f.cur, TXT_PREV));
	CU_ASSERT_FALSE(reg_read_is(&f.cur, TXT_NOW));
	CU_ASSERT_EQUAL(plan_pool(PLAN_REGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, want, NELEMS(want));
	CU_ASSERT_STRING_EQUAL(f.text, TXT_NOW);
	fx_clean(&f);
}

/*
 * Renumbered: 192.0.2.10 was listed and is no longer configured, so it
 * alone is deleted, one RR (class NONE), after the adds.  The pool's other
 * addresses (other hosts', static ones) are not in this host's record and
 * never appear.
 */
static void
test_renumber(void)
{
	static const char *now[] = { "192.0.2.11", "2001:db8::11" };
	static const char prev[] = "\"v=rc1 t=1764075489 lease=180 "
	    "a=192.0.2.10 a=2001:db8::11\"";
	static const struct xop want[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, prev },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
		{ OP_ADD, REG, DNS_TYPE_TXT, 60, TXT_NOW },
		{ OP_ADD, POOL, DNS_TYPE_A, 60, "192.0.2.11" },
		{ OP_ADD, POOL, DNS_TYPE_AAAA, 60, "2001:db8::11" },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.10" },
	};
	struct fixture f;

	fx_init(&f, now, 2);
	fx_read(&f, prev);
	CU_ASSERT_EQUAL(plan_pool(PLAN_REGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, want, NELEMS(want));
	fx_clean(&f);
}

/* An IPv6 renumbering, the old address written in another form: the
 * delete names it canonically, as an AAAA. */
static void
test_renumber_v6(void)
{
	static const char *now[] = { "2001:db8::12" };
	static const char prev[] = "\"v=rc1 t=1 lease=180 a=2001:DB8:0::11 "
	    "a=2001:db8::12\"";
	static const struct xop want[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, prev },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
		{ OP_ADD, REG, DNS_TYPE_TXT, 60,
		    "\"v=rc1 t=1764075549 lease=180 a=2001:db8::12\"" },
		{ OP_ADD, POOL, DNS_TYPE_AAAA, 60, "2001:db8::12" },
		{ OP_DEL_RR, POOL, DNS_TYPE_AAAA, 0, "2001:db8::11" },
	};
	struct fixture f;

	fx_init(&f, now, 1);
	fx_read(&f, prev);
	CU_ASSERT_EQUAL(plan_pool(PLAN_REGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, want, NELEMS(want));
	fx_clean(&f);
}

/* Deregister: the record is still what was read; each owned address is
 * deleted one RR at a time, then the record. */
static void
test_deregister(void)
{
	static const struct xop want[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, TXT_PREV },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.11" },
		{ OP_DEL_RR, POOL, DNS_TYPE_AAAA, 0, "2001:db8::11" },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
	};
	static const char *other[] = { "192.0.2.99" };
	struct fixture f;

	/* what is configured now does not matter: the record says what the
	 * host owns */
	fx_init(&f, other, 1);
	fx_read(&f, TXT_PREV);
	CU_ASSERT_EQUAL(plan_pool(PLAN_DEREGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, want, NELEMS(want));
	CU_ASSERT_STRING_EQUAL(f.text, "");
	CU_ASSERT_EQUAL(update_count_changes(&f.u), 3);
	fx_clean(&f);
}

static void
test_deregister_nothing(void)
{
	struct fixture f;

	fx_init(&f, two, 2);
	CU_ASSERT_EQUAL(plan_pool(PLAN_DEREGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	CU_ASSERT_EQUAL(f.u.nops, 0);
	CU_ASSERT_STRING_EQUAL(f.text, "");
	fx_clean(&f);
}

/* A record that does not parse: the prerequisite still names it exactly
 * (so a concurrent change is caught), no address is deleted on its word,
 * and a deregister removes the host's configured addresses (else nothing
 * would ever remove them once the record is gone). */
static void
test_unreadable(void)
{
	static const char junk[] = "\"hello world\"";
	static const struct xop reg[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, junk },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
		{ OP_ADD, REG, DNS_TYPE_TXT, 60, TXT_NOW },
		{ OP_ADD, POOL, DNS_TYPE_A, 60, "192.0.2.11" },
		{ OP_ADD, POOL, DNS_TYPE_AAAA, 60, "2001:db8::11" },
	};
	static const struct xop dereg[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, junk },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.11" },
		{ OP_DEL_RR, POOL, DNS_TYPE_AAAA, 0, "2001:db8::11" },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
	};
	static const struct xop dereg2[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0,
		    "\"v=rc1 t=1 lease=180 a=192.0.2.10 a=bogus\"" },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.11" },
		{ OP_DEL_RR, POOL, DNS_TYPE_AAAA, 0, "2001:db8::11" },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
	};
	struct fixture f;

	fx_init(&f, two, 2);
	fx_read(&f, junk);
	CU_ASSERT_EQUAL(f.cur.nrr, 1);
	CU_ASSERT_FALSE(f.cur.valid);
	CU_ASSERT_STRING_EQUAL(f.cur.why,
	    "registration record does not start with v=rc1");
	CU_ASSERT_EQUAL(f.cur.owned.naddrs, 0);
	CU_ASSERT_TRUE(reg_read_is(&f.cur, junk));
	CU_ASSERT_EQUAL(plan_pool(PLAN_REGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, reg, NELEMS(reg));
	update_clean(&f.u);

	update_init(&f.u, "example.test.", 180);
	CU_ASSERT_EQUAL(plan_pool(PLAN_DEREGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, dereg, NELEMS(dereg));
	fx_clean(&f);

	/* a record that lists addresses but is broken further on: none of
	 * them is trusted; only the configured two go */
	fx_init(&f, two, 2);
	fx_read(&f, "\"v=rc1 t=1 lease=180 a=192.0.2.10 a=bogus\"");
	CU_ASSERT_FALSE(f.cur.valid);
	CU_ASSERT_STRING_EQUAL(f.cur.why, "bad address 'a=bogus'");
	CU_ASSERT_EQUAL(f.cur.owned.naddrs, 0);
	CU_ASSERT_EQUAL(plan_pool(PLAN_DEREGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, dereg2, NELEMS(dereg2));
	fx_clean(&f);
}

/* Two TXT RRs at the name (two writers raced): the prerequisite lists
 * both, and the host owned the union of their addresses. */
static void
test_two_rrs(void)
{
	static const char r1[] = "\"v=rc1 t=100 lease=180 a=192.0.2.10\"";
	static const char r2[] = "\"v=rc1 t=200 lease=300 a=192.0.2.11 "
	    "a=192.0.2.12 a=192.0.2.10\"";
	static const char *now[] = { "192.0.2.11" };
	static const struct xop reg[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, r1 },
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, r2 },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
		{ OP_ADD, REG, DNS_TYPE_TXT, 60,
		    "\"v=rc1 t=1764075549 lease=180 a=192.0.2.11\"" },
		{ OP_ADD, POOL, DNS_TYPE_A, 60, "192.0.2.11" },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.10" },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.12" },
	};
	static const struct xop dereg[] = {
		CNAME_PREREQS,
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, r1 },
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0, r2 },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.10" },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.11" },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, 0, "192.0.2.12" },
		{ OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0, NULL },
	};
	char text[64];
	struct fixture f;

	fx_init(&f, now, 1);
	fx_read(&f, r1);
	fx_read(&f, r2);
	CU_ASSERT_EQUAL(f.cur.nrr, 2);
	CU_ASSERT_TRUE(f.cur.valid);
	CU_ASSERT_FALSE(reg_read_is(&f.cur, r1));
	CU_ASSERT_FALSE(reg_read_is(&f.cur, r2));
	/* the union, in first-seen order; the newest heartbeat's lease */
	CU_ASSERT_EQUAL_FATAL(f.cur.owned.naddrs, 3);
	reg_addr_format(&f.cur.owned.addrs[0], text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "192.0.2.10");
	reg_addr_format(&f.cur.owned.addrs[1], text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "192.0.2.11");
	reg_addr_format(&f.cur.owned.addrs[2], text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "192.0.2.12");
	CU_ASSERT_EQUAL(f.cur.owned.heartbeat, 200);
	CU_ASSERT_EQUAL(f.cur.owned.lease, 300);

	CU_ASSERT_EQUAL(plan_pool(PLAN_REGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, reg, NELEMS(reg));
	update_clean(&f.u);
	update_init(&f.u, "example.test.", 0);
	CU_ASSERT_EQUAL(plan_pool(PLAN_DEREGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	check_ops(&f.u, dereg, NELEMS(dereg));
	fx_clean(&f);
}

/* One good record and one bad: the read is not valid, the first error is
 * kept, the good one's addresses are owned. */
static void
test_reg_read(void)
{
	struct reg_read r;
	size_t i;

	memset(&r, 0, sizeof(r));
	CU_ASSERT_FALSE(reg_read_is(&r, "\"x\""));
	CU_ASSERT_EQUAL(reg_read_add(&r, "\"v=rc1 t=1 lease=60 "
	    "a=192.0.2.1\""), 0);
	CU_ASSERT_TRUE(r.valid);
	CU_ASSERT_STRING_EQUAL(r.why, "");
	CU_ASSERT_EQUAL(reg_read_add(&r, "\"v=rc2 t=1 lease=60\""), 0);
	CU_ASSERT_EQUAL(reg_read_add(&r, "\"junk\""), 0);
	CU_ASSERT_FALSE(r.valid);
	CU_ASSERT_STRING_EQUAL(r.why,
	    "unsupported registration format version 'rc2'");
	CU_ASSERT_EQUAL(r.nrr, 3);
	CU_ASSERT_EQUAL(r.owned.naddrs, 1);
	CU_ASSERT_STRING_EQUAL(r.text[2], "\"junk\"");
	/* any number: junk added by hand must not lock the host out */
	for (i = r.nrr; i < 40; i++)
		CU_ASSERT_EQUAL(reg_read_add(&r, "\"v=rc1 t=1 lease=60\""), 0);
	CU_ASSERT_EQUAL(r.nrr, 40);
	reg_read_clean(&r);
	CU_ASSERT_EQUAL(r.nrr, 0);
	CU_ASSERT_FALSE(r.valid);
	CU_ASSERT_EQUAL(r.owned.naddrs, 0);
	reg_read_clean(&r);
}

/* The record must fit the caller's buffer. */
static void
test_text_too_small(void)
{
	struct fixture f;
	char small[20];

	fx_init(&f, two, 2);
	CU_ASSERT_EQUAL(plan_pool(PLAN_REGISTER, &f.in, &f.cur, &f.u, small,
	    sizeof(small)), -1);
	fx_clean(&f);
}

/* A plan encodes: 32 IPv6 addresses (a multi-string record), renumbered
 * from 32 others, go through update_to_wire. */
static void
test_plan_encodes(void)
{
	char text[64], prev[REG_TEXT_MAX];
	struct registration old;
	struct fixture f;
	uint8_t *wire = NULL;
	size_t len, cap, i, dels = 0;
	struct error err;

	memset(&f, 0, sizeof(f));
	fx_init(&f, NULL, 0);
	memset(&old, 0, sizeof(old));
	old.heartbeat = NOW - 60;
	old.lease = 180;
	for (i = 0; i < REG_MAX_ADDRS; i++) {
		snprintf(text, sizeof(text), "2001:db8:aaaa:bbbb:cccc:dddd:eeee:%zx",
		    0x100 + i);
		CU_ASSERT_FATAL(reg_addr_parse(text, &f.addrs[i]) == 0);
		snprintf(text, sizeof(text), "2001:db8:aaaa:bbbb:cccc:dddd:ffff:%zx",
		    0x100 + i);
		CU_ASSERT_FATAL(reg_addr_parse(text, &old.addrs[i]) == 0);
	}
	f.in.naddrs = REG_MAX_ADDRS;
	old.naddrs = REG_MAX_ADDRS;
	CU_ASSERT_FATAL(reg_format(&old, prev, sizeof(prev)) == 0);
	fx_read(&f, prev);
	CU_ASSERT_TRUE(f.cur.valid);
	CU_ASSERT_EQUAL(plan_pool(PLAN_REGISTER, &f.in, &f.cur, &f.u, f.text,
	    sizeof(f.text)), 0);
	/* prereq, delete TXT, add TXT, 32 adds, 32 deletes */
	CU_ASSERT_EQUAL(f.u.nops, 5 + 2 * REG_MAX_ADDRS);
	for (i = 0; i < f.u.nops; i++)
		dels += f.u.ops[i].kind == OP_DEL_RR;
	CU_ASSERT_EQUAL(dels, REG_MAX_ADDRS);
	CU_ASSERT_EQUAL(update_to_wire(&f.u, 1, &wire, &len, &cap, &err), 0);
	free(wire);
	fx_clean(&f);
}

void
suite_plan(void)
{
	CU_pSuite s = test_add_suite("plan");

	test_add(s, "registration name", test_reg_name);
	test_add(s, "first register", test_first_register);
	test_add(s, "heartbeat", test_heartbeat);
	test_add(s, "renumber", test_renumber);
	test_add(s, "renumber IPv6", test_renumber_v6);
	test_add(s, "deregister", test_deregister);
	test_add(s, "deregister with nothing read", test_deregister_nothing);
	test_add(s, "unreadable registration", test_unreadable);
	test_add(s, "two TXT RRs read", test_two_rrs);
	test_add(s, "reg_read bookkeeping", test_reg_read);
	test_add(s, "record text buffer too small", test_text_too_small);
	test_add(s, "plan encodes with update_to_wire", test_plan_encodes);
}
