#include "agent.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "addrs.h"
#include "client.h"
#include "discover.h"
#include "dnsmsg.h"
#include "log.h"
#include "plan.h"
#include "status.h"

/* Conflicts (prerequisite failures) tolerated before giving up; another
 * writer of the same registration name is the only source of them. */
#define MAX_ATTEMPTS	5

/* Where one pool's updates go. */
struct target {
	char			zone[256];
	struct dns_client	client;
};

static int
resolve_target(const struct agent *ag, const struct conf_pool *pool,
    struct target *t, struct error *err)
{
	const struct conf_net *n = &ag->conf->net;
	struct dns_client resolver;
	char mname[256];

	client_init(&t->client, n, ag->key);
	snprintf(t->zone, sizeof(t->zone), "%s", n->zone);
	if (n->nservers > 0) {
		if (client_set_servers(&t->client, (char (*)[64])n->servers,
		    n->nservers, n->port, err) == -1)
			return -1;
		if (t->zone[0] != '\0')
			return 0;
		/* the configured primary knows its zones: ask it, signed */
		return discover_zone(&t->client, pool->name, t->zone,
		    sizeof(t->zone), mname, sizeof(mname), err);
	}
	client_init(&resolver, n, NULL);
	if (discover_resolvers(n, ag->resolv_conf, &resolver, err) == -1 ||
	    discover_zone(&resolver, t->zone[0] ? t->zone : pool->name,
	    t->zone, sizeof(t->zone), mname, sizeof(mname), err) == -1 ||
	    discover_primary(&resolver, mname, n->port, &t->client, err) == -1)
		return -1;
	log_debug("pool %s: zone %s, primary %s (%s)", pool->name, t->zone,
	    mname, t->client.servers[0].label);
	return 0;
}

/* A query's answer must be authoritative data: the zone's own server, not
 * a cache or a server that does not hold the zone. */
static int
check_answer(const struct dns_client *c, const struct answer *a,
    const char *name, const char *zone, struct error *err)
{
	if (a->rcode != RCODE_NOERROR && a->rcode != RCODE_NXDOMAIN)
		return err_set(err, a->rcode == RCODE_REFUSED ||
		    a->rcode == RCODE_NOTAUTH ? ERR_REFUSED :
		    a->rcode == RCODE_SERVFAIL ? ERR_NET : ERR_PROTO,
		    "%s answered %s to the query for %s (is zone %s served "
		    "there?)", c->last_server, rcode_name(a->rcode), name, zone);
	if (!a->aa)
		return err_set(err, ERR_PROTO, "%s is not authoritative for %s "
		    "(answer without AA): point server at the zone's primary",
		    c->last_server, name);
	return 0;
}

static int
read_registration(struct target *t, const char *regname, struct reg_read *r,
    struct error *err)
{
	struct answer a;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if (client_query(&t->client, regname, DNS_TYPE_TXT, &a, err) == -1)
		return err_prefix(err, "reading %s", regname);
	rc = check_answer(&t->client, &a, regname, t->zone, err);
	for (i = 0; rc == 0 && i < a.nan; i++) {
		if (rr_is(&a.an[i], regname, DNS_TYPE_CNAME))
			rc = err_set(err, ERR_PROTO, "%s is a CNAME (to %s): "
			    "remove it, registration records are TXT", regname,
			    a.an[i].rdata);
		else if (rr_is(&a.an[i], regname, DNS_TYPE_TXT) &&
		    reg_read_add(r, a.an[i].rdata) == -1)
			rc = err_set(err, ERR_SYS, "out of memory");
	}
	answer_clean(&a);
	if (rc == -1)
		reg_read_clean(r);
	return rc;
}

/* Addresses of a pool as read; any number of members. */
struct addr_list {
	size_t		 n;
	struct reg_addr	*v;
};

static bool
addr_list_has(const struct addr_list *l, const struct reg_addr *a)
{
	for (size_t i = 0; i < l->n; i++)
		if (reg_addr_equal(&l->v[i], a))
			return true;
	return false;
}

static int
read_pool(struct target *t, const char *pool, struct addr_list *members,
    struct error *err)
{
	static const uint16_t types[] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	struct reg_addr addr, *v;
	struct answer a;
	int rc = 0;

	memset(members, 0, sizeof(*members));
	for (size_t k = 0; rc == 0 && k < 2; k++) {
		if (client_query(&t->client, pool, types[k], &a, err) == -1)
			return err_prefix(err, "reading %s", pool);
		rc = check_answer(&t->client, &a, pool, t->zone, err);
		for (size_t i = 0; rc == 0 && i < a.nan; i++) {
			if (!rr_is(&a.an[i], pool, types[k]) ||
			    reg_addr_parse(a.an[i].rdata, &addr) == -1)
				continue;
			v = realloc(members->v, (members->n + 1) * sizeof(*v));
			if (v == NULL) {
				rc = err_set(err, ERR_SYS, "out of memory");
				break;
			}
			members->v = v;
			members->v[members->n++] = addr;
		}
		answer_clean(&a);
	}
	return rc;
}

/*
 * A host never claims an address that is already at the pool and not in
 * its registration: it is a static record or another host's, and the
 * host's deregister would later delete it.  Asked only when the host is
 * about to list a new address (first registration, renumbering), so a
 * steady heartbeat costs no extra query.  The read-to-update window stays
 * open: RFC 2136 has no "this RR does not exist" prerequisite.
 */
static int
check_new_addresses(struct target *t, const struct plan_input *in,
    const struct reg_read *cur, struct error *err)
{
	struct addr_list members;
	char text[64];
	size_t i, fresh = 0;
	int rc = 0;

	for (i = 0; i < in->naddrs; i++)
		fresh += !reg_has_addr(&cur->owned, &in->addrs[i]);
	if (fresh == 0)
		return 0;
	if (read_pool(t, in->pool->name, &members, err) == -1)
		return -1;
	for (i = 0; i < in->naddrs && rc == 0; i++) {
		if (reg_has_addr(&cur->owned, &in->addrs[i]) ||
		    !addr_list_has(&members, &in->addrs[i]))
			continue;
		reg_addr_format(&in->addrs[i], text, sizeof(text));
		rc = err_set(err, ERR_CONFLICT, "%s already exists at %s and "
		    "is not %s's (a static record or another host's): not "
		    "claiming it, or deregister would delete it", text,
		    in->pool->name, in->host_id);
	}
	free(members.v);
	return rc;
}

static int
host_addrs(const struct conf_pool *pool, const struct target *t,
    struct reg_addr *addrs, size_t *n, struct error *err)
{
	if (!pool->auto_addrs) {
		memcpy(addrs, pool->addrs, pool->naddrs * sizeof(*addrs));
		*n = pool->naddrs;
		return 0;
	}
	return addrs_auto(&t->client, addrs, n, err);
}

static void
print_script(const struct agent *ag, const struct target *t,
    const struct update *u, const char *what)
{
	const struct server *s = &t->client.servers[0];
	char addr[sizeof(s->label)];
	const char *hash;

	/* label is "ADDR#PORT"; nsupdate wants "server ADDR PORT" */
	snprintf(addr, sizeof(addr), "%s", s->label);
	if ((hash = strrchr(addr, '#')) != NULL)
		addr[hash - addr] = ' ';
	fprintf(ag->out, "; rollcall-agent %s\nserver %s\nzone %s\n", what,
	    addr, t->zone);
	update_print_nsupdate(u, ag->out);
}

/* Sleep before attempt+1; never past until_ms (mono_ms() time). */
static void
backoff(unsigned attempt, uint64_t until_ms)
{
	unsigned r = 0;
	struct timespec ts;
	uint64_t now = mono_ms();
	long ms;

	/* 100 ms doubling, jittered to 50-100% so racing agents part ways */
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = 0;		/* no jitter then, still a backoff */
	ms = (100L << attempt);
	ms = ms / 2 + (long)(r % (unsigned)(ms / 2 + 1));
	if (now >= until_ms)
		return;
	if ((uint64_t)ms > until_ms - now)
		ms = (long)(until_ms - now);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static const char *
verb(enum agent_cmd cmd)
{
	return cmd == CMD_DEREGISTER ? "deregister" :
	    cmd == CMD_HEARTBEAT ? "heartbeat" :
	    cmd == CMD_STATUS ? "status" : "register";
}

static void
addrs_text(const struct reg_addr *a, size_t n, char *out, size_t len)
{
	char one[64];
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		reg_addr_format(&a[i], one, sizeof(one));
		if (used >= len)
			break;		/* the log line is cut, never the buffer */
		used += (size_t)snprintf(out + used, len - used, "%s%s",
		    i ? " " : "", one);
	}
}

/* One line per change an operator may want to see; heartbeats are quiet. */
static void
log_done(enum agent_cmd cmd, const struct target *t,
    const struct plan_input *in)
{
	char list[1024];

	addrs_text(in->addrs, in->naddrs, list, sizeof(list));
	if (cmd == CMD_HEARTBEAT)
		log_debug("heartbeat of %s in %s (%s) at %s", in->host_id,
		    in->pool->name, list, t->client.last_server);
	else if (cmd == CMD_DEREGISTER)
		log_info("deregistered %s from %s at %s", in->host_id,
		    in->pool->name, t->client.last_server);
	else
		log_info("registered %s in %s (%s) at %s", in->host_id,
		    in->pool->name, list, t->client.last_server);
}

/* The zone's primary as its SOA names it (MNAME), for messages;
 * "(unknown)" when the server does not say.  Asked unsigned when the
 * server rejects our key (a Knot secondary whose ACL lacks it). */
static void
zone_primary(struct target *t, char *out, size_t len)
{
	struct dns_client unsigned_client = t->client;
	struct answer a;
	struct error ignored;

	snprintf(out, len, "(unknown)");
	unsigned_client.key = NULL;
	if (client_query(&t->client, t->zone, DNS_TYPE_SOA, &a, &ignored) == -1 &&
	    client_query(&unsigned_client, t->zone, DNS_TYPE_SOA, &a,
	    &ignored) == -1)
		return;
	for (size_t i = 0; i < a.nan; i++)
		if (rr_is(&a.an[i], t->zone, DNS_TYPE_SOA)) {
			snprintf(out, len, "%.*s", (int)strcspn(a.an[i].rdata,
			    " \t"), a.an[i].rdata);
			break;
		}
	answer_clean(&a);
}

/* The server's answer to an UPDATE: 0 applied, 1 a prerequisite failed
 * (RFC 2136 3.2.5), -1 refused or failed. */
static int
classify_update(struct target *t, const struct plan_input *in,
    const struct answer *a, struct error *err)
{
	char primary[256];

	switch (a->rcode) {
	case RCODE_NOERROR:
		return 0;
	case RCODE_NXRRSET:
	case RCODE_YXRRSET:
		return 1;
	case RCODE_SERVFAIL:	/* transient on the server's side */
		return err_set(err, ERR_NET, "%s answered SERVFAIL to the "
		    "update of %s in zone %s", t->client.last_server,
		    in->pool->name, t->zone);
	case RCODE_NOTAUTH:
	case RCODE_REFUSED:
		/* A secondary without update forwarding refuses too. */
		zone_primary(t, primary, sizeof(primary));
		return err_set(err, ERR_REFUSED, "%s answered %s to the update "
		    "of %s in zone %s: the key may not update these names "
		    "(check the server's update policy), or the server is a "
		    "secondary that does not forward updates (the zone's "
		    "primary is %s)", t->client.last_server,
		    rcode_name(a->rcode), in->pool->name, t->zone, primary);
	default:
		return err_set(err, ERR_REFUSED, "%s answered %s to the update "
		    "of %s in zone %s", t->client.last_server,
		    rcode_name(a->rcode), in->pool->name, t->zone);
	}
}

/* The same registration RRset: the same TXT records, in any order (a
 * server may rotate them; an RRset holds no duplicates). */
static bool
same_read(const struct reg_read *x, const struct reg_read *y)
{
	bool same = x->nrr == y->nrr;

	for (size_t i = 0; same && i < x->nrr; i++) {
		same = false;
		for (size_t j = 0; !same && j < y->nrr; j++)
			same = strcmp(x->text[i], y->text[j]) == 0;
	}
	return same;
}

/*
 * What an UPDATE must make visible: the registration as written (text
 * NULL: gone) and, when u is set, its address changes at the pool (each
 * address it adds there, none it deletes).  Read back because PowerDNS,
 * under a lua-dnsupdate-policy-script, applies the records the script
 * allows, drops the others and still answers NOERROR; and because a
 * secondary that forwards updates shows them only after a transfer.
 */
struct expect {
	const char		*regname;
	const char		*text;
	const char		*pool;
	uint32_t		 ttl;	/* the pool's, for an undo */
	const struct update	*u;
};

enum shown { SHOWN_NOT_YET, SHOWN, SHOWN_PART };

/* True if op adds or deletes one address at the pool (*addr: which). */
static bool
addr_op(const struct op *op, const char *pool, struct reg_addr *addr)
{
	return (op->kind == OP_ADD || op->kind == OP_DEL_RR) &&
	    (op->type == DNS_TYPE_A || op->type == DNS_TYPE_AAAA) &&
	    strcasecmp(op->owner, pool) == 0 &&
	    reg_addr_parse(op->rdata, addr) == 0;
}

/* Whether the pool shows the address changes of e->u; -1 on error. */
static int
pool_shows(struct target *t, const struct expect *e, struct error *err)
{
	struct addr_list members;
	struct reg_addr addr;
	int rc = 1;

	if (read_pool(t, e->pool, &members, err) == -1)
		return -1;
	for (size_t i = 0; rc == 1 && i < e->u->nops; i++) {
		const struct op *op = &e->u->ops[i];

		if (!addr_op(op, e->pool, &addr))
			continue;
		if (addr_list_has(&members, &addr) != (op->kind == OP_ADD))
			rc = 0;
	}
	free(members.v);
	return rc;
}

/* What the server shows of *e now (*r: the registration read), or -1. */
static int
shows(struct target *t, const struct expect *e, struct reg_read *r,
    enum shown *st, struct error *err)
{
	int rc;

	*st = SHOWN_NOT_YET;
	if (read_registration(t, e->regname, r, err) == -1)
		return -1;
	if (e->text != NULL ? !reg_read_is(r, e->text) : r->nrr != 0)
		return 0;
	*st = SHOWN;
	if (e->u == NULL)
		return 0;
	/* a zone transfer is whole: a secondary that shows the new
	 * registration shows the pool of the same serial */
	if ((rc = pool_shows(t, e, err)) == -1) {
		reg_read_clean(r);
		return -1;
	}
	if (rc == 0)
		*st = SHOWN_PART;
	return 0;
}

/*
 * Reads until the server shows the registration *e expects (*st SHOWN or
 * SHOWN_PART), or it differs from *old (*st SHOWN_NOT_YET, returns 0; NULL
 * old: never), or the exchange timeout has passed (returns 1).  *r holds
 * the last read.  -1 on error.
 *
 * Why wait: a secondary with update forwarding answers an UPDATE for its
 * primary at once, but serves the change only after NOTIFY and a zone
 * transfer (BIND's notify-delay alone is 5 s by default).  Reading from it
 * too early looks like a conflict, or like an update that was dropped.
 */
static int
await(struct target *t, const struct expect *e, const struct reg_read *old,
    struct reg_read *r, enum shown *st, struct error *err)
{
	uint64_t until = mono_ms() + (uint64_t)t->client.xo.timeout_ms;
	unsigned n = 0;

	for (;;) {
		if (shows(t, e, r, st, err) == -1)
			return -1;
		if (*st != SHOWN_NOT_YET || (old != NULL && !same_read(r, old)))
			return 0;
		if (mono_ms() >= until)
			return 1;
		reg_read_clean(r);
		backoff(n < 4 ? n++ : n, until);	/* doubling, up to 1.6 s */
	}
}

/*
 * Put back what the server applied of an UPDATE it did not apply whole:
 * the registration as it was (*cur) and the pool addresses the update
 * added or deleted.  Only while the registration is still what we just
 * read (*seen): on the primary behind a lagging secondary, which applied
 * everything, that prerequisite fails and nothing is undone.  Returns the
 * server's rcode, or -1 when nothing was sent or no answer came.
 */
static int
undo(struct target *t, const struct expect *e, const struct reg_read *cur,
    const struct reg_read *seen)
{
	struct update u;
	struct answer a;
	struct reg_addr addr;
	struct error err;
	size_t i, changes;
	int rc = -1, bad = 0;

	update_init(&u, t->zone, 0);
	if (seen->nrr == 0)
		bad |= update_add(&u, OP_NXRRSET, e->regname, DNS_TYPE_TXT, 0,
		    NULL);
	for (i = 0; i < seen->nrr; i++)
		bad |= update_add(&u, OP_YXRRSET_VAL, e->regname, DNS_TYPE_TXT,
		    0, seen->text[i]);
	changes = u.nops;
	if (!same_read(cur, seen)) {
		if (seen->nrr > 0)
			bad |= update_add(&u, OP_DEL_RRSET, e->regname,
			    DNS_TYPE_TXT, 0, NULL);
		for (i = 0; i < cur->nrr; i++)
			bad |= update_add(&u, OP_ADD, e->regname, DNS_TYPE_TXT,
			    e->ttl, cur->text[i]);
	}
	for (i = 0; e->u != NULL && i < e->u->nops; i++) {
		const struct op *op = &e->u->ops[i];
		bool had;

		if (!addr_op(op, e->pool, &addr))
			continue;
		had = reg_has_addr(&cur->owned, &addr);
		if (op->kind == OP_ADD && !had)
			bad |= update_add(&u, OP_DEL_RR, op->owner, op->type,
			    0, op->rdata);
		else if (op->kind == OP_DEL_RR && had)
			bad |= update_add(&u, OP_ADD, op->owner, op->type,
			    e->ttl, op->rdata);
	}
	if (bad == 0 && u.nops > changes &&
	    client_update(&t->client, &u, &a, &err) == 0) {
		rc = a.rcode;
		answer_clean(&a);
	}
	update_clean(&u);
	return rc;
}

/* The server answered NOERROR: check that it shows the change, waiting
 * for a lagging secondary, and undo what it applied of a change it did
 * not apply whole.  0 or -1. */
static int
verify_applied(struct target *t, const struct expect *e,
    const struct reg_read *cur, struct error *err)
{
	struct reg_read r;
	char primary[256];
	enum shown st;
	int rc, undone;

	/* The registration can move on from what we read (cur) only
	 * through our update: to something else means another writer of it
	 * came after us, and what it wrote stands. */
	if ((rc = await(t, e, cur, &r, &st, err)) == -1)
		return -1;
	if (st == SHOWN || (st == SHOWN_NOT_YET && rc == 0)) {
		if (st != SHOWN)
			log_debug("%s: changed again after our update",
			    e->regname);
		reg_read_clean(&r);
		return 0;
	}
	undone = undo(t, e, cur, &r);
	reg_read_clean(&r);
	if (st == SHOWN_PART)
		return err_set(err, ERR_REFUSED, "%s answered NOERROR but "
		    "applied only part of the update of %s: the key may not "
		    "change all of it (a PowerDNS policy script drops what it "
		    "refuses); %s", t->client.last_server, e->pool,
		    undone == RCODE_NOERROR ? "the part applied was undone" :
		    "the part applied could not be undone");
	zone_primary(t, primary, sizeof(primary));
	return err_set(err, ERR_REFUSED, "%s answered NOERROR, but after %u s "
	    "it still does not show the change of %s: it dropped records the "
	    "key may not change (PowerDNS policy script?)%s, or it is a "
	    "secondary that does not catch up (the zone's primary is %s)",
	    t->client.last_server, t->client.xo.timeout_ms / 1000,
	    e->regname, undone == RCODE_NOERROR ? " and the rest was undone" :
	    "", primary);
}

/*
 * The prerequisite failed: read again, waiting for a lagging secondary.
 * If a retransmitted copy of our own update was applied first (Knot may
 * answer after a second, and we resend), the registration already is what
 * we sent: success (0).  If it changed, *next holds the new state to plan
 * from (1).  If it never changes, the failing prerequisite is the CNAME
 * one, or the server serves stale data for longer than the timeout (-1).
 */
static int
after_conflict(struct target *t, const struct expect *e,
    const struct reg_read *cur, struct reg_read *next, struct error *err)
{
	struct answer a;
	char primary[256];
	bool cname = false;
	enum shown st;
	int rc;

	/* A CNAME at the pool fails our prerequisite for good: say so now. */
	if (client_query(&t->client, e->pool, DNS_TYPE_CNAME, &a, err) == -1)
		return err_prefix(err, "reading %s", e->pool);
	for (size_t i = 0; i < a.nan; i++)
		cname |= rr_is(&a.an[i], e->pool, DNS_TYPE_CNAME);
	answer_clean(&a);
	if (cname)
		return err_set(err, ERR_PROTO, "%s is a CNAME: a pool holds "
		    "A/AAAA records, remove the CNAME", e->pool);

	if ((rc = await(t, e, cur, next, &st, err)) == -1)
		return -1;
	if (st != SHOWN_NOT_YET) {
		reg_read_clean(next);
		return 0;
	}
	if (rc == 0)
		return 1;
	reg_read_clean(next);
	zone_primary(t, primary, sizeof(primary));
	return err_set(err, ERR_CONFLICT, "the update's prerequisites fail, "
	    "but %s still serves the same %s after %u s: a secondary that "
	    "lags its primary? (the zone's primary is %s)",
	    t->client.last_server, e->regname,
	    t->client.xo.timeout_ms / 1000, primary);
}

/* True if the registration read already lists every address the host has
 * now: a heartbeat then changes nothing at the pool. */
static bool
lists_all(const struct reg_read *cur, const struct plan_input *in)
{
	if (cur->nrr != 1 || !cur->valid)
		return false;
	for (size_t i = 0; i < in->naddrs; i++)
		if (!reg_has_addr(&cur->owned, &in->addrs[i]))
			return false;
	return true;
}

/* One attempt from what was read in *cur: plan, send, classify.  Returns
 * 0 done, 1 the registration changed (*cur now holds it), -1 error. */
static int
attempt(const struct agent *ag, enum agent_cmd cmd, struct target *t,
    const struct plan_input *in, const char *regname, struct reg_read *cur,
    struct error *err)
{
	enum plan_action act = cmd == CMD_DEREGISTER ? PLAN_DEREGISTER :
	    PLAN_REGISTER;
	char newtext[REG_TEXT_MAX];
	struct reg_read next;
	struct update u;
	struct answer a;
	struct expect e;
	int rc;

	if (cur->nrr > 0 && !cur->valid)
		log_warning("%s: unreadable registration (%s); %s", regname,
		    cur->why, act == PLAN_REGISTER ? "it will be replaced" :
		    "deleting it and the configured addresses");
	if (act == PLAN_REGISTER && check_new_addresses(t, in, cur, err) == -1)
		return -1;
	update_init(&u, t->zone, act == PLAN_REGISTER ? in->lease : 0);
	e = (struct expect){ regname, act == PLAN_REGISTER ? newtext : NULL,
	    in->pool->name, in->pool->ttl, NULL };
	if (plan_pool(act, in, cur, &u, newtext, sizeof(newtext)) == -1) {
		update_clean(&u);
		return err_set(err, ERR_SYS, "cannot build the update for %s",
		    regname);
	}
	rc = 0;
	if (u.nops == 0)
		log_info("%s: not registered in %s, nothing to remove",
		    in->host_id, in->pool->name);
	else if (ag->dry_run)
		print_script(ag, t, &u, verb(cmd));
	else if ((rc = client_update(&t->client, &u, &a, err)) == 0) {
		rc = classify_update(t, in, &a, err);
		answer_clean(&a);
		/* a plain heartbeat changes only the registration's time:
		 * its read-back is one query */
		e.u = cmd == CMD_HEARTBEAT && lists_all(cur, in) ? NULL : &u;
		if (rc == 0)
			rc = verify_applied(t, &e, cur, err);
		else if (rc == 1) {
			e.u = NULL;	/* did a resent copy apply? the TXT says */
			if ((rc = after_conflict(t, &e, cur, &next, err)) == 1) {
				reg_read_clean(cur);
				*cur = next;
			}
		}
		if (rc == 0)
			log_done(cmd, t, in);
	}
	update_clean(&u);
	return rc;
}

/* Knot answers BADKEY where BIND says REFUSED: also when it is a
 * secondary whose ACL does not let our key update (or forward) there. */
static void
hint_secondary(struct target *t, struct error *err)
{
	char primary[256];

	zone_primary(t, primary, sizeof(primary));
	str_append(err->msg, sizeof(err->msg), "; if %s is a secondary that "
	    "does not forward updates, send them to the zone's primary, %s",
	    t->client.last_server, primary);
}

static int
do_update(const struct agent *ag, enum agent_cmd cmd, struct target *t,
    const struct plan_input *in, struct error *err)
{
	struct reg_read cur;
	char regname[512];
	unsigned n;
	int rc;

	plan_reg_name(in->host_id, in->pool->name, regname, sizeof(regname));
	if (read_registration(t, regname, &cur, err) == -1)
		return -1;
	for (n = 0; n < MAX_ATTEMPTS; n++) {
		if (n > 0) {
			log_debug("%s: changed while we wrote it, attempt %u",
			    regname, n + 1);
			backoff(n - 1, UINT64_MAX);
		}
		if ((rc = attempt(ag, cmd, t, in, regname, &cur, err)) <= 0)
			break;
	}
	reg_read_clean(&cur);
	if (rc == 1)
		return err_set(err, ERR_CONFLICT, "%s kept changing during %u "
		    "attempts; is another host using host_id %s?", regname,
		    MAX_ATTEMPTS, in->host_id);
	if (rc == -1 && err->kind == ERR_AUTH && strstr(err->msg, "BADKEY"))
		hint_secondary(t, err);
	return rc;
}

/* Prints the pool's state (status.h: a block, or an element of the JSON
 * document); returns 1 if the host is fully and freshly registered, 0 if
 * not, -1 on error (in the JSON document too). */
static int
print_status(const struct agent *ag, struct target *t,
    const struct plan_input *in, struct error *err)
{
	char regname[512];
	bool published[REG_MAX_ADDRS];
	struct addr_list members = { 0, NULL };
	struct pool_status s;
	struct reg_read cur;
	size_t i, missing = 0, idx = (size_t)(in->pool - ag->conf->pools);

	plan_reg_name(in->host_id, in->pool->name, regname, sizeof(regname));
	if (read_registration(t, regname, &cur, err) == -1 ||
	    read_pool(t, in->pool->name, &members, err) == -1) {
		if (ag->json != NULL)
			status_doc_error(ag->json, idx, err->msg);
		reg_read_clean(&cur);
		free(members.v);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	s.pool = in->pool->name;
	s.zone = t->zone;
	s.server = t->client.last_server;
	s.host_id = in->host_id;
	s.own = &cur.owned;
	s.published = published;
	s.members = members.v;
	s.nmembers = members.n;
	if (cur.nrr == 0)
		s.reg = REG_NONE;
	else if (!cur.valid) {
		s.reg = REG_UNREADABLE;
		s.why = cur.why;
	} else if (cur.nrr > 1) {
		/* the coordinator's verdict (cplan.c): it never expires
		 * nor trusts such a registration */
		s.reg = REG_UNREADABLE;
		snprintf(cur.why, sizeof(cur.why), "%zu TXT records at one "
		    "registration name (two hosts with one host_id?)",
		    cur.nrr);
		s.why = cur.why;
	} else {
		s.heartbeat = cur.owned.heartbeat;
		s.age = (long long)in->now - (long long)cur.owned.heartbeat;
		s.lease = cur.owned.lease;
		s.reg = s.age <= (long long)s.lease ? REG_FRESH : REG_EXPIRED;
	}
	for (i = 0; i < cur.owned.naddrs && i < REG_MAX_ADDRS; i++) {
		published[i] = addr_list_has(&members, &cur.owned.addrs[i]);
		missing += !published[i];
	}
	s.ok = s.reg == REG_FRESH && missing == 0;
	if (ag->json != NULL)
		status_doc_pool(ag->json, idx, &s);
	else
		status_print(ag->out, &s);
	reg_read_clean(&cur);
	free(members.v);
	return s.ok;
}

static int
run_pool(const struct agent *ag, enum agent_cmd cmd,
    const struct conf_pool *pool, struct error *err)
{
	struct reg_addr addrs[REG_MAX_ADDRS];
	struct plan_input in;
	struct target t;
	size_t n = 0;
	int rc;

	if (resolve_target(ag, pool, &t, err) == -1)
		return -1;
	/* deregister needs them only for an unreadable registration */
	if (cmd != CMD_STATUS && host_addrs(pool, &t, addrs, &n, err) == -1) {
		if (cmd != CMD_DEREGISTER)
			return -1;
		n = 0;
	}
	memset(&in, 0, sizeof(in));
	in.zone = t.zone;
	in.host_id = ag->conf->host_id;
	in.pool = pool;
	in.addrs = addrs;
	in.naddrs = n;
	in.lease = ag->conf->lease;
	in.now = (uint64_t)time(NULL);
	if (cmd != CMD_STATUS)
		return do_update(ag, cmd, &t, &in, err);
	if ((rc = print_status(ag, &t, &in, err)) == -1)
		return -1;
	if (rc == 0)
		return err_set(err, ERR_CONFLICT, "%s is not fully registered "
		    "in %s", in.host_id, pool->name);
	return 0;
}

int
agent_run(const struct agent *ag, enum agent_cmd cmd, struct error *err)
{
	struct error one;
	size_t i;
	int failed = 0;

	for (i = 0; i < ag->conf->npools; i++) {
		const struct conf_pool *p = &ag->conf->pools[i];

		if (run_pool(ag, cmd, p, &one) == 0)
			continue;
		/* the boundary: each pool's failure is logged once, here */
		if (cmd != CMD_STATUS || one.kind != ERR_CONFLICT)
			log_warnx("%s %s: %s", verb(cmd), p->name, one.msg);
		if (!failed)
			*err = one;
		failed = 1;
	}
	return failed ? -1 : 0;
}
