/*
 * cplan.c - what the coordinator changes, decided from the zone as read.
 *
 * Pure: no I/O, no clock, no logging.  Everything worth telling the
 * operator goes into plan->notes; the daemon logs them.  Output order is
 * a function of the data only (pools by name, hosts by name, addresses
 * sorted), so -n output and tests are stable whatever order the zone
 * data keeps within an RRset.
 *
 * Prerequisites quote the zone exactly as read (RFC 2136 2.4.2 compares
 * RRs, so the server sees the same RRs whatever the case of "2001:DB8::1");
 * the changes use the canonical address text.
 */
#include "cplan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

void
plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
	p->next_due = UINT64_MAX;
}

void
plan_clean(struct plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nacts; i++)
		update_clean(&p->acts[i].u);
	free(p->acts);
	for (i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	free(p->pools);
	free(p->prows);
	free(p->hrows);
	free(p->arows);
	free(p->addrs);
	plan_init(p);
}

/* v with room for element n (cap grown by doubling), or NULL with v
 * untouched. */
static void *
grow(void *v, size_t n, size_t *cap, size_t size)
{
	size_t ncap;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 16;
	if ((v = realloc(v, ncap * size)) != NULL)
		*cap = ncap;
	return v;
}

static int
plan_addr_push(struct plan *p, const struct reg_addr *a, enum addr_fate f)
{
	struct plan_addr *v = grow(p->addrs, p->naddrs, &p->addrs_cap,
	    sizeof(*v));

	if (v == NULL)
		return -1;
	p->addrs = v;
	v[p->naddrs].a = *a;
	v[p->naddrs].fate = f;
	p->naddrs++;
	return 0;
}

static int
plan_note(struct plan *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
plan_note(struct plan *p, const char *fmt, ...)
{
	char buf[768], *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (p->nnotes == p->notes_cap) {
		size_t ncap = p->notes_cap ? p->notes_cap * 2 : 8;
		char **n = realloc(p->notes, ncap * sizeof(*n));

		if (n == NULL)
			return -1;
		p->notes = n;
		p->notes_cap = ncap;
	}
	if ((s = strdup(buf)) == NULL)
		return -1;
	p->notes[p->nnotes++] = s;
	return 0;
}

static void
act_begin(struct action *a, enum action_kind kind, const char *zone,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
act_begin(struct action *a, enum action_kind kind, const char *zone,
    const char *fmt, ...)
{
	va_list ap;

	memset(a, 0, sizeof(*a));
	a->kind = kind;
	snprintf(a->zone, sizeof(a->zone), "%s", zone);
	va_start(ap, fmt);
	vsnprintf(a->subject, sizeof(a->subject), fmt, ap);
	va_end(ap);
	update_init(&a->u, a->zone, 0);
}

/* Move *a (and its update) into p.  On failure *a is cleaned. */
static int
plan_push(struct plan *p, struct action *a)
{
	if (p->nacts == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 8;
		struct action *n = realloc(p->acts, ncap * sizeof(*n));

		if (n == NULL) {
			update_clean(&a->u);
			return -1;
		}
		p->acts = n;
		p->cap = ncap;
	}
	p->acts[p->nacts++] = *a;
	return 0;
}

static uint16_t
addr_type(const struct reg_addr *a)
{
	return a->family == AF_INET ? DNS_TYPE_A : DNS_TYPE_AAAA;
}

static int
addr_cmp(const struct reg_addr *a, const struct reg_addr *b)
{
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	return memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16);
}

static int
addr_qcmp(const void *x, const void *y)
{
	return addr_cmp(x, y);
}

/* An A/AAAA rdata as an address of the RR's own family, or -1. */
static int
rdata_addr(uint16_t type, const char *rdata, struct reg_addr *a)
{
	if (reg_addr_parse(rdata, a) == -1)
		return -1;
	return addr_type(a) == type ? 0 : -1;
}

/* Length of the first label of name (presentation form, escapes kept),
 * up to and not including its terminating dot. */
static size_t
label_len(const char *name)
{
	size_t i = 0;

	while (name[i] != '\0' && name[i] != '.') {
		if (name[i] == '\\' && name[i + 1] != '\0')
			i++;	/* "\." and "\\": the next octet is data */
		i++;
	}
	return i;
}

/* True if name is zone or below it (both absolute, any case). */
static bool
name_in_zone(const char *name, const char *zone)
{
	const char *s = name;
	size_t n;

	if (zone[0] == '\0' || strcmp(zone, ".") == 0)
		return true;
	for (;;) {
		if (strcasecmp(s, zone) == 0)
			return true;
		n = label_len(s);
		if (s[n] != '.' || s[n + 1] == '\0')
			return false;
		s += n + 1;
	}
}

/* Copy name into out in lower case (zone data owners are lower case). */
static void
lower_copy(char *out, size_t outlen, const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < outlen; i++)
		out[i] = (name[i] >= 'A' && name[i] <= 'Z') ?
		    (char)(name[i] - 'A' + 'a') : name[i];
	out[i] = '\0';
}

/*
 * Split owner "H._rollcall.P" into H and P.  H is exactly one label and
 * the second label exactly REG_LABEL; anything else is not a registration
 * (a name below _rollcall that the agent never writes).
 */
static bool
reg_owner_split(const char *owner, char *host, size_t hostlen, char *pool,
    size_t poollen)
{
	size_t h = label_len(owner), r;
	const char *rest;

	if (h == 0 || owner[h] != '.')
		return false;
	rest = owner + h + 1;
	r = label_len(rest);
	if (r != strlen(REG_LABEL) || strncasecmp(rest, REG_LABEL, r) != 0 ||
	    rest[r] != '.' || rest[r + 1] == '\0')
		return false;
	if (h >= hostlen || strlen(rest + r + 1) >= poollen)
		return false;
	memcpy(host, owner, h);
	host[h] = '\0';
	snprintf(pool, poollen, "%s", rest + r + 1);
	return true;
}

/*
 * Pool P belongs to z when it lies in z and in no managed zone below z:
 * a sub-zone's pool is planned with that zone's data.
 */
static bool
pool_in_zone(const struct coord_conf *c, const struct zone_data *z,
    const char *pool)
{
	size_t i;

	if (!name_in_zone(pool, z->name))
		return false;
	for (i = 0; i < c->nzones; i++)
		if (strcasecmp(c->zones[i], z->name) != 0 &&
		    name_in_zone(c->zones[i], z->name) &&
		    name_in_zone(pool, c->zones[i]))
			return false;
	return true;
}

/* ---- expiry and repair ---- */

enum creg_state {
	CREG_LIVE,
	CREG_EXPIRED,
	CREG_INVALID,
};

struct creg {
	char		 host[256];
	char		 pool[256];
	size_t		 first, ntxt;	/* its TXT RRs in the zone data */
	enum creg_state	 state;
	char		 why[200];	/* CREG_INVALID */
	struct registration r;
	uint64_t	 hb;		/* heartbeat, skew removed */
	uint64_t	 skew;		/* > 0: seconds in the future, ignored */
	bool		 held;
	bool		 del[REG_MAX_ADDRS];	/* addresses the expiry deletes */
	size_t		 ndel;
	size_t		 left;		/* held: addresses the pool would keep */
};

/*
 * A registration name found in the zone data: pointers into it, so that a
 * zone of 100,000 registrations costs a few MB here.  The full struct creg
 * is built for one pool at a time.
 */
struct rref {
	const char	*owner;		/* H._rollcall.P. in the zone data */
	const char	*pool;		/* P., a suffix of owner */
	size_t		 first, ntxt;	/* its TXT RRs in the zone data */
};

struct regs {
	struct rref	*v;
	size_t		 n, cap;
};

static int
rref_cmp(const void *a, const void *b)
{
	const struct rref *x = a, *y = b;
	int d = strcasecmp(x->pool, y->pool);

	/* same pool suffix: the owners order as their hosts do */
	return d != 0 ? d : strcasecmp(x->owner, y->owner);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* Every registration name in z, one entry per owner. */
static int
regs_collect(const struct zone_data *z, const struct coord_conf *c,
    struct regs *rs)
{
	struct rref *r;
	size_t i, first, n;
	char host[256], pool[256];

	for (i = 0; i < z->nrrs; i++) {
		if (z->rrs[i].type != DNS_TYPE_TXT ||
		    !reg_owner_split(z->rrs[i].owner, host, sizeof(host), pool,
		    sizeof(pool)) || !pool_in_zone(c, z, pool))
			continue;
		first = zone_data_find(z, z->rrs[i].owner, DNS_TYPE_TXT, &n);
		if (n == 0 || first != i)
			continue;	/* seen with the first of its TXT RRs */
		if (rs->n == rs->cap) {
			size_t ncap = rs->cap ? rs->cap * 2 : 16;
			struct rref *nv = realloc(rs->v, ncap * sizeof(*nv));

			if (nv == NULL)
				return -1;
			rs->v = nv;
			rs->cap = ncap;
		}
		r = &rs->v[rs->n++];
		r->owner = z->rrs[i].owner;
		r->pool = r->owner + strlen(host) + 1 + strlen(REG_LABEL) + 1;
		r->first = first;
		r->ntxt = n;
	}
	if (rs->n > 1)
		qsort(rs->v, rs->n, sizeof(*rs->v), rref_cmp);
	return 0;
}

/* The full entries of one pool's registrations (caller frees). */
static struct creg *
cregs_of_pool(const struct rref *v, size_t n)
{
	struct creg *cr = calloc(n ? n : 1, sizeof(*cr));
	size_t i, hl;

	if (cr == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		hl = (size_t)(strchr(v[i].owner, '.') - v[i].owner);
		memcpy(cr[i].host, v[i].owner, hl);
		snprintf(cr[i].pool, sizeof(cr[i].pool), "%s", v[i].pool);
		cr[i].first = v[i].first;
		cr[i].ntxt = v[i].ntxt;
	}
	return cr;
}

/*
 * Expired: heartbeat + lease + grace strictly before now.  A heartbeat
 * more than CPLAN_FUTURE_SLACK ahead (the TSIG fudge: the agent's own
 * clock cannot be that far off, so ours may be) counts as now, never as a
 * far-off expiry time, and *skew says by how much it was ahead so that
 * the daemon reports it.  Being pure, the planner sees the same record as
 * "now" again on the next pass; only the daemon, which remembers passes,
 * could bound how long such a record is trusted.
 */
static bool
reg_expired(const struct registration *r, uint64_t now, uint32_t grace,
    uint64_t future_as, uint64_t *hb, uint64_t *skew)
{
	*hb = r->heartbeat;
	*skew = 0;
	if (r->heartbeat > now + CPLAN_FUTURE_SLACK) {
		*skew = r->heartbeat - now;
		*hb = future_as;
	}
	/* t has at most 12 digits, lease and grace 32 bits: no overflow */
	return *hb + r->lease + grace < now;
}

/* creg why of a registration that does not parse: the note says so, a
 * status row (which says UNREADABLE) only the reason */
#define UNREADABLE	"unreadable registration: "

static void
creg_classify(const struct plan *p, const struct zone_data *z,
    struct creg *cr, uint64_t now, uint32_t grace)
{
	uint64_t future_as = now;

	struct error err;

	if (cr->ntxt > 1) {
		cr->state = CREG_INVALID;
		snprintf(cr->why, sizeof(cr->why), "%zu TXT records at one "
		    "registration name (two hosts with one host_id?)", cr->ntxt);
		return;
	}
	if (reg_parse(z->rrs[cr->first].rdata, &cr->r, &err) == -1) {
		cr->state = CREG_INVALID;
		snprintf(cr->why, sizeof(cr->why), UNREADABLE "%.150s",
		    err.msg);
		return;
	}
	if (p->first_seen != NULL && cr->r.heartbeat > now + CPLAN_FUTURE_SLACK)
		future_as = p->first_seen(p->first_seen_arg, cr->host, cr->pool,
		    cr->r.heartbeat, now);
	cr->state = reg_expired(&cr->r, now, grace, future_as, &cr->hb,
	    &cr->skew) ? CREG_EXPIRED : CREG_LIVE;
}

/*
 * Whether rdata (a TXT RR in presentation form) holds the token "a=A",
 * A in canonical text, followed by a space, a quote or the end.
 */
static bool
text_has_addr(const char *rdata, const struct reg_addr *a)
{
	char tok[72];
	const char *s;
	size_t n;

	memcpy(tok, "a=", 2);
	reg_addr_format(a, tok + 2, sizeof(tok) - 2);
	n = strlen(tok);
	for (s = rdata; (s = strstr(s, tok)) != NULL; s++)
		if (s[n] == '\0' || s[n] == ' ' || s[n] == '"')
			return true;
	return false;
}

/*
 * Whether a is claimed by a registration of the pool other than self that
 * is not expired.  An invalid registration (unreadable, or several TXT
 * RRs at one name) is never touched, and claims every address that one
 * of its RRs lists (as read, or as the token "a=A" in its raw text),
 * live or not: deleting them could cut off a host that is very likely up,
 * and there is no sound prerequisite to quote for it.
 */
static bool
addr_claimed(const struct zone_data *z, const struct creg *v, size_t n,
    const struct creg *self, const struct reg_addr *a)
{
	struct registration r;
	struct error err;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (&v[i] == self)
			continue;
		if (v[i].state == CREG_LIVE && reg_has_addr(&v[i].r, a))
			return true;
		if (v[i].state != CREG_INVALID)
			continue;
		for (j = 0; j < v[i].ntxt; j++) {
			const char *rd = z->rrs[v[i].first + j].rdata;

			if (text_has_addr(rd, a) ||
			    (reg_parse(rd, &r, &err) == 0 &&
			    reg_has_addr(&r, a)))
				return true;
		}
	}
	return false;
}

/* The A/AAAA RRs at a pool as read. */
struct pool_addrs {
	size_t		 nrr;		/* every A/AAAA RR, static included */
	size_t		 n;
	struct reg_addr	*a;		/* those that parse, sorted */
	bool		*gone;		/* deleted by an expiry of this plan */
	bool		 has[2];	/* an A / AAAA RRset exists */
	uint32_t	 ttl[2];	/* its TTL */
};

static int
pool_addrs_read(const struct zone_data *z, const char *pool,
    struct pool_addrs *pa)
{
	static const uint16_t types[2] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	size_t first, cnt, t, i;

	memset(pa, 0, sizeof(*pa));
	for (t = 0; t < 2; t++) {
		first = zone_data_find(z, pool, types[t], &cnt);
		if (cnt == 0)
			continue;
		pa->has[t] = true;
		pa->ttl[t] = z->rrs[first].ttl;
		pa->nrr += cnt;
	}
	if (pa->nrr == 0)
		return 0;
	pa->a = calloc(pa->nrr, sizeof(*pa->a));
	pa->gone = calloc(pa->nrr, sizeof(*pa->gone));
	if (pa->a == NULL || pa->gone == NULL)
		return -1;
	for (t = 0; t < 2; t++) {
		first = zone_data_find(z, pool, types[t], &cnt);
		for (i = 0; i < cnt; i++)
			if (rdata_addr(types[t], z->rrs[first + i].rdata,
			    &pa->a[pa->n]) == 0)
				pa->n++;
	}
	/* sorted: a pool of 10,000 hosts is looked up 10,000 times */
	qsort(pa->a, pa->n, sizeof(*pa->a), addr_qcmp);
	return 0;
}

static void
pool_addrs_clean(struct pool_addrs *pa)
{
	free(pa->a);
	free(pa->gone);
	memset(pa, 0, sizeof(*pa));
}

/* Index of a among the pool's addresses not yet deleted, or -1.  Binary
 * search for the first equal one, then past the deleted ones (the zone
 * data may hold one address twice, as "2001:DB8::1" and "2001:db8::1"). */
static size_t
pool_addrs_lower_bound(const struct pool_addrs *pa, const struct reg_addr *a)
{
	size_t lo = 0, hi = pa->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (addr_cmp(&pa->a[mid], a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long
pool_addrs_find(const struct pool_addrs *pa, const struct reg_addr *a)
{
	size_t lo = pool_addrs_lower_bound(pa, a);

	for (; lo < pa->n && addr_cmp(&pa->a[lo], a) == 0; lo++)
		if (!pa->gone[lo])
			return (long)lo;
	return -1;
}

/* The pool's TTL for an RR of a's type: its RRset's, else the other
 * RRset's (a pool shares one TTL), else the registration's. */
static uint32_t
pool_ttl(const struct pool_addrs *pa, const struct reg_addr *a,
    uint32_t fallback)
{
	int t = addr_type(a) == DNS_TYPE_A ? 0 : 1;

	if (pa->has[t])
		return pa->ttl[t];
	if (pa->has[!t])
		return pa->ttl[!t];
	return fallback;
}

static int
expiry_order_cmp(const void *a, const void *b)
{
	const struct creg *x = *(const struct creg *const *)a;
	const struct creg *y = *(const struct creg *const *)b;

	if (x->hb != y->hb)
		return x->hb < y->hb ? -1 : 1;
	return strcasecmp(x->host, y->host);
}

/*
 * Decide, oldest heartbeat first, what each expiry deletes and whether
 * it must wait: an expiry never takes the pool below min_members
 * addresses.  Oldest first so that when only some can go, the ones that
 * have been silent longest go.
 */
static int
expiry_decide(const struct zone_data *z, struct creg *v, size_t n,
    struct pool_addrs *pa, uint32_t min_members)
{
	struct creg **ord;
	size_t i, j, k, nexp = 0, remain = pa->nrr;
	long at;

	if ((ord = calloc(n ? n : 1, sizeof(*ord))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].state == CREG_EXPIRED)
			ord[nexp++] = &v[i];
	qsort(ord, nexp, sizeof(*ord), expiry_order_cmp);
	for (k = 0; k < nexp; k++) {
		struct creg *cr = ord[k];

		for (j = 0; j < cr->r.naddrs; j++) {
			cr->del[j] = pool_addrs_find(pa, &cr->r.addrs[j]) >= 0 &&
			    !addr_claimed(z, v, n, cr, &cr->r.addrs[j]);
			cr->ndel += cr->del[j];
		}
		/* deleting nothing can never shrink the pool */
		if (cr->ndel > 0 && remain < (size_t)min_members + cr->ndel) {
			cr->held = true;
			cr->left = remain - cr->ndel;
			continue;
		}
		for (j = 0; j < cr->r.naddrs; j++)
			if (cr->del[j] &&
			    (at = pool_addrs_find(pa, &cr->r.addrs[j])) >= 0)
				pa->gone[at] = true;
		remain -= cr->ndel;
	}
	free(ord);
	return 0;
}

/* RFC 2136 2.4.2: the registration is still exactly the RR(s) read (a
 * value-dependent prerequisite must quote the whole RRset). */
static int
reg_prereq(struct update *u, const struct zone_data *z, const struct creg *cr)
{
	size_t i;

	for (i = 0; i < cr->ntxt; i++) {
		const struct zrr *rr = &z->rrs[cr->first + i];

		if (update_add(u, OP_YXRRSET_VAL, rr->owner, DNS_TYPE_TXT, 0,
		    rr->rdata) == -1)
			return -1;
	}
	return 0;
}

/*
 * An expiry deletes an address that no live registration lists, but
 * other, expired ones may list it too: each of them must still be exactly
 * as read, or one of them that heartbeats between the read and the
 * update would lose its address.  Invalid ones never get here: they
 * claim what they list (addr_claimed).  The apply layer drops identical
 * prerequisites within a batch.
 */
static int
sharers_prereq(struct update *u, const struct zone_data *z,
    const struct creg *v, size_t n, const struct creg *cr)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (&v[i] == cr || v[i].state != CREG_EXPIRED)
			continue;
		for (j = 0; j < cr->r.naddrs; j++)
			if (cr->del[j] && reg_has_addr(&v[i].r, &cr->r.addrs[j]))
				break;
		if (j < cr->r.naddrs && reg_prereq(u, z, &v[i]) == -1)
			return -1;
	}
	return 0;
}

static int
plan_expire(struct plan *p, const struct zone_data *z, const char *pool,
    const struct creg *v, size_t n, const struct creg *cr)
{
	const char *owner = z->rrs[cr->first].owner;
	struct action a;
	char text[64];
	size_t j;

	act_begin(&a, ACT_EXPIRE, z->name, "%s in %s", cr->host, pool);
	if (reg_prereq(&a.u, z, cr) == -1 ||
	    sharers_prereq(&a.u, z, v, n, cr) == -1 ||
	    update_add(&a.u, OP_DEL_RRSET, owner, DNS_TYPE_TXT, 0, NULL) == -1)
		goto fail;
	for (j = 0; j < cr->r.naddrs; j++) {
		if (!cr->del[j])
			continue;
		reg_addr_format(&cr->r.addrs[j], text, sizeof(text));
		/* RFC 2136 2.5.4: one RR, never the pool's RRset */
		if (update_add(&a.u, OP_DEL_RR, pool,
		    addr_type(&cr->r.addrs[j]), 0, text) == -1)
			goto fail;
	}
	return plan_push(p, &a);
fail:
	update_clean(&a.u);
	return -1;
}

/* Re-add what a live registration lists and the pool lacks (another host
 * sharing the address left, or someone deleted it by hand). */
static int
plan_repair(struct plan *p, const struct zone_data *z, const char *pool,
    const struct pool_addrs *pa, const struct creg *cr)
{
	uint32_t regttl = z->rrs[cr->first].ttl;
	struct action a;
	char text[64];
	size_t j, nmissing = 0;

	for (j = 0; j < cr->r.naddrs; j++)
		nmissing += pool_addrs_find(pa, &cr->r.addrs[j]) < 0;
	if (nmissing == 0)
		return 0;
	act_begin(&a, ACT_REPAIR, z->name, "%s in %s", cr->host, pool);
	if (reg_prereq(&a.u, z, cr) == -1)
		goto fail;
	for (j = 0; j < cr->r.naddrs; j++) {
		if (pool_addrs_find(pa, &cr->r.addrs[j]) >= 0)
			continue;
		reg_addr_format(&cr->r.addrs[j], text, sizeof(text));
		if (update_add(&a.u, OP_ADD, pool, addr_type(&cr->r.addrs[j]),
		    pool_ttl(pa, &cr->r.addrs[j], regttl), text) == -1)
			goto fail;
	}
	return plan_push(p, &a);
fail:
	update_clean(&a.u);
	return -1;
}

/* ---- rows for status (p->collect) ---- */

/* Whether a is at the pool as read, deleted by this plan or not. */
static bool
pool_addrs_has(const struct pool_addrs *pa, const struct reg_addr *a)
{
	size_t lo = pool_addrs_lower_bound(pa, a);

	return lo < pa->n && addr_cmp(&pa->a[lo], a) == 0;
}

/* Whether invalid registration cr claims a (as addr_claimed reads it). */
static bool
invalid_claims(const struct zone_data *z, const struct creg *cr,
    const struct reg_addr *a)
{
	struct registration r;
	struct error err;
	size_t j;

	for (j = 0; j < cr->ntxt; j++) {
		const char *rd = z->rrs[cr->first + j].rdata;

		if (text_has_addr(rd, a) ||
		    (reg_parse(rd, &r, &err) == 0 && reg_has_addr(&r, a)))
			return true;
	}
	return false;
}

/* Whether any registration of the pool, in any state, lists a. */
static bool
addr_listed(const struct zone_data *z, const struct creg *v, size_t n,
    const struct reg_addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].state == CREG_INVALID ? invalid_claims(z, &v[i], a) :
		    reg_has_addr(&v[i].r, a))
			return true;
	return false;
}

/*
 * The row of registration cr, after its notes (from note0) and its
 * action (at act0, if one was added) went into p.  Each address it lists
 * with its fate in this plan; an invalid one: the pool's addresses it
 * claims.
 */
static int
host_row_add(struct plan *p, const struct zone_data *z,
    const struct pool_addrs *pa, const struct creg *cr, uint64_t now,
    size_t note0, size_t act0)
{
	struct host_row *h = grow(p->hrows, p->nhrows, &p->hrows_cap,
	    sizeof(*h));
	enum addr_fate f;
	size_t j;

	if (h == NULL)
		return -1;
	p->hrows = h;
	h = &p->hrows[p->nhrows++];
	memset(h, 0, sizeof(*h));
	snprintf(h->host, sizeof(h->host), "%s", cr->host);
	h->state = cr->state == CREG_INVALID ? HOST_INVALID :
	    cr->state == CREG_LIVE ? HOST_LIVE :
	    cr->held ? HOST_HELD : HOST_EXPIRED;
	h->act = p->nacts > act0 ? (long)act0 : -1;
	h->note_first = note0;
	h->nnotes = p->nnotes - note0;
	h->addr_first = p->naddrs;
	if (cr->state == CREG_INVALID) {
		snprintf(h->why, sizeof(h->why), "%s", cr->why +
		    (strncmp(cr->why, UNREADABLE, strlen(UNREADABLE)) == 0 ?
		    strlen(UNREADABLE) : 0));
		for (j = 0; j < pa->n; j++) {
			if (j > 0 && addr_cmp(&pa->a[j], &pa->a[j - 1]) == 0)
				continue;
			if (invalid_claims(z, cr, &pa->a[j]) &&
			    plan_addr_push(p, &pa->a[j], FATE_PRESENT) == -1)
				return -1;
		}
		h->naddrs = p->naddrs - h->addr_first;
		return 0;
	}
	h->heartbeat = cr->r.heartbeat;
	h->age = (int64_t)now - (int64_t)cr->hb;
	h->skew = cr->skew;
	h->lease = cr->r.lease;
	h->left = cr->held ? cr->left : 0;
	for (j = 0; j < cr->r.naddrs; j++) {
		const struct reg_addr *a = &cr->r.addrs[j];

		if (!pool_addrs_has(pa, a))
			f = FATE_MISSING;
		else if ((cr->state == CREG_EXPIRED && !cr->held &&
		    cr->del[j]) || pool_addrs_find(pa, a) < 0)
			f = FATE_DELETED;	/* by this or another expiry */
		else if (cr->state == CREG_EXPIRED && !cr->held)
			f = FATE_SHARED;
		else
			f = FATE_PRESENT;
		if (plan_addr_push(p, a, f) == -1)
			return -1;
	}
	h->naddrs = p->naddrs - h->addr_first;
	return 0;
}

/* The pool's addresses that no registration lists. */
static int
statics_add(struct plan *p, const struct zone_data *z,
    const struct pool_addrs *pa, const struct creg *v, size_t n,
    struct pool_row *pr)
{
	size_t j;

	pr->static_first = p->naddrs;
	for (j = 0; j < pa->n; j++) {
		if (j > 0 && addr_cmp(&pa->a[j], &pa->a[j - 1]) == 0)
			continue;
		if (!addr_listed(z, v, n, &pa->a[j]) &&
		    plan_addr_push(p, &pa->a[j], FATE_PRESENT) == -1)
			return -1;
	}
	pr->nstatic = p->naddrs - pr->static_first;
	return 0;
}

/* What the plan does with one registration of the pool: a note, an
 * expiry, a repair, and the pool's counts. */
static int
pool_host(struct plan *p, const struct zone_data *z,
    const struct coord_conf *c, const char *pool, const struct creg *v,
    size_t n, const struct pool_addrs *pa, bool cname, const struct creg *cr,
    struct pool_report *rep)
{
	if (cr->state == CREG_INVALID) {
		rep->invalid++;
		return plan_note(p, "host %s in %s: %s; left untouched",
		    cr->host, pool, cr->why);
	}
	/* the text stays the same from pass to pass: logged once */
	if (cr->skew > 0 && plan_note(p, "host %s in %s: heartbeat lies more "
	    "than %d s in the future (skewed clock?); counted from when "
	    "first seen", cr->host, pool, CPLAN_FUTURE_SLACK) == -1)
		return -1;
	if (cr->state == CREG_LIVE) {
		/* when it expires: the first second past hb + lease + grace
		 * (reg_expired) */
		uint64_t due = cr->hb + cr->r.lease + c->grace + 1;

		if (due < p->next_due)
			p->next_due = due;
		rep->live++;
		return cname ? 0 : plan_repair(p, z, pool, pa, cr);
	}
	if (cr->held) {
		rep->held_back++;
		/* no ages here: the text must stay the same from pass to pass
		 * so that the daemon logs it once */
		return plan_note(p, "held back: host %s in %s: expired "
		    "(heartbeat t=%llu, lease %u s), but deleting its %zu "
		    "address(es) would leave %zu, below min_members %u",
		    cr->host, pool, (unsigned long long)cr->r.heartbeat,
		    cr->r.lease, cr->ndel, cr->left,
		    conf_coord_min_members(c, pool));
	}
	rep->expired++;
	return plan_expire(p, z, pool, v, n, cr);
}

static int
plan_one_pool(struct plan *p, const struct zone_data *z,
    const struct coord_conf *c, const char *pool, struct creg *v, size_t n,
    uint64_t now, struct pool_report *rep)
{
	struct pool_addrs pa;
	uint32_t min_members = conf_coord_min_members(c, pool);
	size_t i, ncname, prow = 0, note0, act0;
	bool cname;
	int rc = -1;

	memset(rep, 0, sizeof(*rep));
	snprintf(rep->name, sizeof(rep->name), "%s", pool);
	if (pool_addrs_read(z, pool, &pa) == -1)
		goto out;
	if (p->collect) {
		struct pool_row *pr = grow(p->prows, p->nprows, &p->prows_cap,
		    sizeof(*pr));

		if (pr == NULL)
			goto out;
		p->prows = pr;
		prow = p->nprows++;
		pr = &p->prows[prow];
		memset(pr, 0, sizeof(*pr));
		snprintf(pr->name, sizeof(pr->name), "%s", pool);
		snprintf(pr->zone, sizeof(pr->zone), "%s", z->name);
		pr->min_members = min_members;
		pr->addrs = pa.nrr;
		pr->note_first = p->nnotes;
	}
	/* BIND ignores an A/AAAA added at a CNAME and answers NOERROR: a
	 * repair there would be sent again at every pass */
	zone_data_find(z, pool, DNS_TYPE_CNAME, &ncname);
	if ((cname = ncname > 0) && plan_note(p, "pool %s is a CNAME in the "
	    "zone: remove the CNAME or the pool; no address re-added",
	    pool) == -1)
		goto out;
	rep->addrs = pa.nrr;
	if (p->collect) {
		p->prows[prow].cname = cname;
		p->prows[prow].nnotes = p->nnotes - p->prows[prow].note_first;
		p->prows[prow].host_first = p->nhrows;
		p->prows[prow].nhosts = n;
	}
	for (i = 0; i < n; i++)
		creg_classify(p, z, &v[i], now, c->grace);
	if (expiry_decide(z, v, n, &pa, min_members) == -1)
		goto out;

	/* Repairs below see the pool minus this plan's deletions, which is
	 * the pool as read for every address a live host lists: expiries
	 * never delete those. */
	for (i = 0; i < n; i++) {
		struct creg *cr = &v[i];

		note0 = p->nnotes;
		act0 = p->nacts;
		if (pool_host(p, z, c, pool, v, n, &pa, cname, cr, rep) == -1 ||
		    (p->collect &&
		    host_row_add(p, z, &pa, cr, now, note0, act0) == -1))
			goto out;
	}
	if (p->collect && statics_add(p, z, &pa, v, n, &p->prows[prow]) == -1)
		goto out;
	rc = 0;
out:
	pool_addrs_clean(&pa);
	return rc;
}

int
cplan_expiry(const struct zone_data *z, const struct coord_conf *c,
    uint64_t now, struct plan *p)
{
	struct regs rs = { NULL, 0, 0 };
	const char **names = NULL;
	char lname[256];
	size_t nnames = 0, i, k, b, e, base;
	struct pool_report *np;
	struct creg *cr;
	int rc = -1, prc;

	if (regs_collect(z, c, &rs) == -1)
		goto out;

	/* pools: every name with registrations, and the configured ones of
	 * this zone (they are reported even when empty) */
	if ((names = calloc(rs.n + c->npools + 1, sizeof(*names))) == NULL)
		goto out;
	for (i = 0; i < rs.n; i++)
		if (i == 0 || strcasecmp(rs.v[i].pool, rs.v[i - 1].pool) != 0)
			names[nnames++] = rs.v[i].pool;
	for (i = 0; i < c->npools; i++)
		if (pool_in_zone(c, z, c->pools[i].name))
			names[nnames++] = c->pools[i].name;
	qsort(names, nnames, sizeof(*names), str_cmp);
	for (i = k = 0; i < nnames; i++)
		if (k == 0 || strcasecmp(names[i], names[k - 1]) != 0)
			names[k++] = names[i];
	nnames = k;

	base = p->npools;
	if (nnames > 0) {
		np = realloc(p->pools, (base + nnames) * sizeof(*np));
		if (np == NULL)
			goto out;
		p->pools = np;
	}
	for (i = 0, b = 0; i < nnames; i++) {
		/* rs.v and names are sorted alike: the pool's registrations
		 * are the run starting at b */
		while (b < rs.n && strcasecmp(rs.v[b].pool, names[i]) < 0)
			b++;
		for (e = b; e < rs.n && strcasecmp(rs.v[e].pool, names[i]) == 0;)
			e++;
		/* zone data owners are lower case; a configured name might
		 * not be */
		lower_copy(lname, sizeof(lname), names[i]);
		if ((cr = cregs_of_pool(rs.v + b, e - b)) == NULL)
			goto out;
		prc = plan_one_pool(p, z, c, lname, cr, e - b, now,
		    &p->pools[base + i]);
		free(cr);
		if (prc == -1)
			goto out;
		p->npools = base + i + 1;
		b = e;
	}
	rc = 0;
out:
	free(names);
	free(rs.v);
	return rc;
}

bool
cplan_deleting(const struct plan *p, const char *owner,
    const struct reg_addr *a)
{
	struct reg_addr b;
	size_t i, j;

	for (i = 0; i < p->nacts; i++) {
		const struct update *u = &p->acts[i].u;

		if (p->acts[i].kind != ACT_EXPIRE)
			continue;
		for (j = 0; j < u->nops; j++) {
			const struct op *o = &u->ops[j];

			if (o->kind == OP_DEL_RR && o->rdata != NULL &&
			    (o->type == DNS_TYPE_A || o->type == DNS_TYPE_AAAA) &&
			    strcasecmp(o->owner, owner) == 0 &&
			    rdata_addr(o->type, o->rdata, &b) == 0 &&
			    reg_addr_equal(&b, a))
				return true;
		}
	}
	return false;
}

/* ---- aliases ---- */

/* One current A/AAAA RR of an alias. */
struct cur_rr {
	const struct zrr *rr;
	struct reg_addr	 a;
	bool		 ok;		/* rdata parsed */
	bool		 keep;		/* desired */
};

static int
cur_rr_cmp(const void *x, const void *y)
{
	const struct cur_rr *a = x, *b = y;

	if (a->rr->type != b->rr->type)
		return a->rr->type < b->rr->type ? -1 : 1;
	if (a->ok != b->ok)
		return a->ok ? -1 : 1;
	if (!a->ok)
		return strcmp(a->rr->rdata, b->rr->rdata);
	return addr_cmp(&a->a, &b->a);
}

/* RFC 2136 2.4.2 / 2.4.3: the alias's RRset of type t is exactly as
 * read, or absent when there was none. */
static int
alias_prereq(struct update *u, const char *name, uint16_t t,
    const struct cur_rr *cur, size_t ncur)
{
	size_t i, n = 0;

	for (i = 0; i < ncur; i++) {
		if (cur[i].rr->type != t)
			continue;
		n++;
		if (update_add(u, OP_YXRRSET_VAL, name, t, 0,
		    cur[i].rr->rdata) == -1)
			return -1;
	}
	return n > 0 ? 0 : update_add(u, OP_NXRRSET, name, t, 0, NULL);
}

static const char *
target_why(const struct target_result *r, const char *dflt)
{
	return r->why[0] != '\0' ? r->why : dflt;
}

/* Append "; text" (or text, when why is empty) to why. */
static void
why_add(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
why_add(char *why, size_t len, const char *fmt, ...)
{
	size_t n = strlen(why);
	va_list ap;

	if (n > 0 && n + 2 < len) {
		memcpy(why + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(why + n, len - n, fmt, ap);
	va_end(ap);
}

/* cplan_alias; why gets the reasons when the alias is left as it is,
 * *left their kind. */
static int
alias_plan(const struct zone_data *z, const struct coord_alias *a,
    const struct target_result *results, struct plan *p, char *why,
    size_t whylen, enum alias_left *left)
{
	static const uint16_t types[2] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	struct reg_addr *want = NULL;
	struct cur_rr *cur = NULL;
	struct action act;
	char name[256], text[64];
	size_t i, j, t, nwant = 0, ncur = 0, first, cnt, nfailed = 0,
	    nmissing = 0, nok = 0, ntargets;
	bool change[2] = { false, false }, ttlfix[2] = { false, false };
	bool fixed = true;
	uint32_t ttl = 0;
	int rc = -1;

	/*
	 * An alias at a pool would delete the live hosts' addresses, which
	 * repairs put back at the next pass; one at a CNAME is ignored by
	 * BIND (NOERROR), so the update would be sent at every pass.  Both
	 * are left as they are, with a note (same text every pass).
	 */
	lower_copy(name, sizeof(name), a->name);
	for (i = 0; i < p->npools; i++) {
		const struct pool_report *pr = &p->pools[i];

		const char *what;

		if (strcasecmp(pr->name, name) != 0)
			continue;
		what = pr->live + pr->expired + pr->held_back + pr->invalid > 0 ?
		    "pool with registrations" : "configured pool";
		why_add(why, whylen, "it is a %s; an alias cannot be a pool",
		    what);
		*left = LEFT_MISPLACED;
		return plan_note(p, "alias %s: %s is a %s; an alias cannot be "
		    "a pool: left as is", a->name, a->name, what);
	}
	zone_data_find(z, name, DNS_TYPE_CNAME, &cnt);
	if (cnt > 0) {
		why_add(why, whylen, "it is a CNAME in the zone: remove the "
		    "CNAME or the alias");
		*left = LEFT_MISPLACED;
		return plan_note(p, "alias %s is a CNAME in the zone: remove "
		    "the CNAME or the alias", a->name);
	}

	ntargets = a->ntargets < CONF_MAX_TARGETS ? a->ntargets :
	    CONF_MAX_TARGETS;
	for (i = 0; i < ntargets; i++) {
		if (results[i].state == TARGET_FAILED) {
			nfailed++;
			why_add(why, whylen, "target %s: %s", a->targets[i],
			    target_why(&results[i], "resolution failed"));
			if (plan_note(p, "alias %s: target %s: %s; records left "
			    "as they are", a->name, a->targets[i],
			    target_why(&results[i], "resolution failed")) == -1)
				return -1;
		} else if (results[i].state == TARGET_MISSING)
			nmissing++;
	}
	/* An answer we could not get says nothing about the target: keep
	 * the alias as it is rather than drop a working address. */
	if (nfailed > 0) {
		*left = LEFT_UNRESOLVED;
		return 0;
	}
	for (i = 0; i < ntargets; i++) {
		if (results[i].state != TARGET_MISSING)
			continue;
		if (a->on_missing == ON_MISSING_KEEP) {
			why_add(why, whylen, "target %s: %s (on_missing keep)",
			    a->targets[i], target_why(&results[i],
			    "no address"));
			if (plan_note(p, "alias %s: target %s: %s; on_missing "
			    "keep: records left as they are", a->name,
			    a->targets[i], target_why(&results[i],
			    "no address")) == -1)
				return -1;
		} else if (plan_note(p, "alias %s: target %s: %s; on_missing "
		    "remove: it contributes no address", a->name, a->targets[i],
		    target_why(&results[i], "no address")) == -1)
			return -1;
	}
	if (nmissing > 0 && a->on_missing == ON_MISSING_KEEP) {
		p->aliases_kept++;	/* not converged */
		*left = LEFT_MISSING;
		return 0;
	}

	/* desired: the union of the OK targets' addresses, sorted */
	want = calloc((size_t)CONF_MAX_TARGETS * REG_MAX_ADDRS, sizeof(*want));
	if (want == NULL)
		goto out;
	for (i = 0; i < ntargets; i++) {
		if (results[i].state != TARGET_OK)
			continue;
		if (nok++ == 0 || results[i].min_ttl < ttl)
			ttl = results[i].min_ttl;
		fixed &= results[i].ttl_fixed;
		for (j = 0; j < results[i].naddrs && j < REG_MAX_ADDRS; j++)
			want[nwant++] = results[i].addrs[j];
	}
	if (a->ttl_set)
		ttl = a->ttl;
	qsort(want, nwant, sizeof(*want), addr_qcmp);
	for (i = j = 0; i < nwant; i++)
		if (j == 0 || !reg_addr_equal(&want[i], &want[j - 1]))
			want[j++] = want[i];
	nwant = j;

	/* current: the alias's A and AAAA RRs, compared as addresses */
	for (t = 0; t < 2; t++) {
		zone_data_find(z, name, types[t], &cnt);
		ncur += cnt;
	}
	if ((cur = calloc(ncur ? ncur : 1, sizeof(*cur))) == NULL)
		goto out;
	ncur = 0;
	for (t = 0; t < 2; t++) {
		first = zone_data_find(z, name, types[t], &cnt);
		for (i = 0; i < cnt; i++, ncur++) {
			cur[ncur].rr = &z->rrs[first + i];
			cur[ncur].ok = rdata_addr(types[t], cur[ncur].rr->rdata,
			    &cur[ncur].a) == 0;
		}
	}
	qsort(cur, ncur, sizeof(*cur), cur_rr_cmp);

	/*
	 * TTL: an RRset whose TTL is wrong is replaced in one UPDATE: delete
	 * the RRset, add its RRs with the right TTL, under the prerequisite
	 * that it is exactly what we read.  Re-adding the RRs alone would do
	 * on BIND and PowerDNS (RFC 2136 3.4.2.2), but Knot ignores the TTL
	 * of an RR it already has.  An explicit ttl is exact; one derived
	 * from the targets is only lowered, and only when every target's TTL
	 * is the zone data's own: a resolver's TTL counts down, and following
	 * it would send an update per pass and ratchet the alias's TTL
	 * towards 0.
	 */
	for (i = 0; i < ncur; i++) {
		for (j = 0; cur[i].ok && !cur[i].keep && j < nwant; j++)
			cur[i].keep = reg_addr_equal(&cur[i].a, &want[j]);
		if (!cur[i].keep)
			change[cur[i].rr->type == DNS_TYPE_AAAA] = true;
		else if (a->ttl_set ? cur[i].rr->ttl != ttl :
		    fixed && cur[i].rr->ttl > ttl)
			ttlfix[cur[i].rr->type == DNS_TYPE_AAAA] = true;
	}
	for (j = 0; j < nwant; j++) {
		bool have = false;

		for (i = 0; !have && i < ncur; i++)
			have = cur[i].ok && reg_addr_equal(&cur[i].a, &want[j]);
		if (!have)
			change[addr_type(&want[j]) == DNS_TYPE_AAAA] = true;
	}
	if (!change[0] && !change[1] && !ttlfix[0] && !ttlfix[1]) {
		rc = 0;		/* in sync */
		goto out;
	}

	act_begin(&act, ACT_ALIAS, z->name, "alias %s", a->name);
	for (t = 0; t < 2; t++)
		if ((change[t] || ttlfix[t]) &&
		    alias_prereq(&act.u, name, types[t], cur, ncur) == -1)
			goto fail;
	for (t = 0; t < 2; t++)
		if (ttlfix[t] && update_add(&act.u, OP_DEL_RRSET, name,
		    types[t], 0, NULL) == -1)
			goto fail;
	for (i = 0; i < ncur; i++) {
		if (cur[i].keep || ttlfix[cur[i].rr->type == DNS_TYPE_AAAA])
			continue;
		if (cur[i].ok)
			reg_addr_format(&cur[i].a, text, sizeof(text));
		/* RFC 2136 2.5.4: exactly the stale RR */
		if (update_add(&act.u, OP_DEL_RR, name, cur[i].rr->type, 0,
		    cur[i].ok ? text : cur[i].rr->rdata) == -1)
			goto fail;
	}
	for (j = 0; j < nwant; j++) {
		bool have = false;

		for (i = 0; !have && i < ncur; i++)
			have = cur[i].ok && reg_addr_equal(&cur[i].a, &want[j]);
		if (have && !ttlfix[addr_type(&want[j]) == DNS_TYPE_AAAA])
			continue;
		reg_addr_format(&want[j], text, sizeof(text));
		if (update_add(&act.u, OP_ADD, name, addr_type(&want[j]), ttl,
		    text) == -1)
			goto fail;
	}
	rc = plan_push(p, &act);
	goto out;
fail:
	update_clean(&act.u);
out:
	free(want);
	free(cur);
	return rc;
}

/* The row of alias a: its A/AAAA as read, sorted, and what the plan
 * does with it (notes from note0, an action at act0 if one was added). */
static int
alias_row_add(struct plan *p, const struct zone_data *z,
    const struct coord_alias *a, const char *why, enum alias_left left,
    size_t note0, size_t act0)
{
	static const uint16_t types[2] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	struct alias_row *r = grow(p->arows, p->narows, &p->arows_cap,
	    sizeof(*r));
	struct reg_addr *cur;
	char name[256];
	size_t t, i, first, cnt, n = 0;

	if (r == NULL)
		return -1;
	p->arows = r;
	r = &p->arows[p->narows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", a->name);
	snprintf(r->zone, sizeof(r->zone), "%s", z->name);
	r->act = p->nacts > act0 ? (long)act0 : -1;
	r->state = r->act >= 0 ? ALIAS_CHANGE :
	    why[0] != '\0' ? ALIAS_LEFT : ALIAS_IN_SYNC;
	if (r->state == ALIAS_LEFT) {
		snprintf(r->why, sizeof(r->why), "%s", why);
		r->left = left;
	}
	r->note_first = note0;
	r->nnotes = p->nnotes - note0;
	r->addr_first = p->naddrs;

	lower_copy(name, sizeof(name), a->name);
	for (t = 0; t < 2; t++) {
		zone_data_find(z, name, types[t], &cnt);
		n += cnt;
	}
	if ((cur = calloc(n ? n : 1, sizeof(*cur))) == NULL)
		return -1;
	n = 0;
	for (t = 0; t < 2; t++) {
		first = zone_data_find(z, name, types[t], &cnt);
		for (i = 0; i < cnt; i++)
			n += rdata_addr(types[t], z->rrs[first + i].rdata,
			    &cur[n]) == 0;
	}
	qsort(cur, n, sizeof(*cur), addr_qcmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && reg_addr_equal(&cur[i], &cur[i - 1]))
			continue;
		if (plan_addr_push(p, &cur[i], FATE_PRESENT) == -1) {
			free(cur);
			return -1;
		}
	}
	free(cur);
	r->naddrs = p->naddrs - r->addr_first;
	return 0;
}

int
cplan_alias(const struct zone_data *z, const struct coord_alias *a,
    const struct target_result *results, struct plan *p)
{
	size_t note0 = p->nnotes, act0 = p->nacts;
	enum alias_left left = LEFT_NOT;
	char why[400] = "";

	if (alias_plan(z, a, results, p, why, sizeof(why), &left) == -1)
		return -1;
	if (p->nacts > act0)
		p->alias_counts.changed++;
	else if (left == LEFT_UNRESOLVED)
		p->alias_counts.unresolved++;
	else if (left == LEFT_MISSING)
		p->alias_counts.missing++;
	else if (left == LEFT_MISPLACED)
		p->alias_counts.misplaced++;
	else
		p->alias_counts.in_sync++;
	return p->collect ? alias_row_add(p, z, a, why, left, note0, act0) : 0;
}
