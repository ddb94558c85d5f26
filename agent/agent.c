#include "agent.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "addrs.h"
#include "client.h"
#include "discover.h"
#include "dnsmsg.h"
#include "log.h"
#include "plan.h"

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

static int
read_registration(struct dns_client *c, const char *regname,
    struct reg_read *r, struct error *err)
{
	struct answer a;
	size_t i;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (client_query(c, regname, DNS_TYPE_TXT, &a, err) == -1)
		return err_prefix(err, "reading %s", regname);
	if (a.rcode != RCODE_NOERROR && a.rcode != RCODE_NXDOMAIN)
		rc = err_set(err, a.rcode == RCODE_REFUSED ||
		    a.rcode == RCODE_NOTAUTH ? ERR_REFUSED : ERR_PROTO,
		    "%s answered %s to the query for %s", c->last_server,
		    rcode_name(a.rcode), regname);
	else if (!a.aa)
		rc = err_set(err, ERR_PROTO, "%s is not authoritative for %s "
		    "(answer without AA): point server at the zone's primary",
		    c->last_server, regname);
	for (i = 0; rc == 0 && i < a.nan; i++) {
		if (a.an[i].type != DNS_TYPE_TXT ||
		    strcmp(a.an[i].owner, regname) != 0)
			continue;
		if (reg_read_add(r, a.an[i].rdata) == -1)
			rc = err_set(err, ERR_PROTO, "%s: more than %d TXT "
			    "records", regname, PLAN_MAX_RRS);
	}
	answer_clean(&a);
	if (rc == -1)
		reg_read_clean(r);
	else if (r->nrr > 0 && !r->valid)
		log_warning("%s: ignoring unreadable registration (%s); it will "
		    "be replaced", regname, r->why);
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

static void
backoff(unsigned attempt)
{
	unsigned r = 0;
	struct timespec ts;
	long ms;

	/* 100 ms doubling, jittered to 50-100% so racing agents part ways */
	getrandom(&r, sizeof(r), 0);
	ms = (100L << attempt);
	ms = ms / 2 + (long)(r % (unsigned)(ms / 2 + 1));
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
		used += (size_t)snprintf(out + used, len > used ? len - used : 0,
		    "%s%s", i ? " " : "", one);
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

/*
 * The prerequisite failed.  If a retransmitted copy of our own update was
 * applied first (Knot may answer after a second, and we resend), the
 * registration already is what we sent: success.  Returns 0 settled, 1 the
 * data really changed (plan again), -1 error.
 */
static int
conflict_settled(struct target *t, const char *regname, enum plan_action act,
    const char *newtext, struct error *err)
{
	struct reg_read now;
	int settled;

	if (read_registration(&t->client, regname, &now, err) == -1)
		return -1;
	settled = act == PLAN_REGISTER ? reg_read_is(&now, newtext) :
	    now.nrr == 0;
	reg_read_clean(&now);
	return settled ? 0 : 1;
}

/* One attempt: plan from what was read, send, classify the answer.
 * Returns 0 done, 1 prerequisite failed (re-read), -1 error. */
static int
attempt(const struct agent *ag, enum agent_cmd cmd, struct target *t,
    const struct plan_input *in, const char *regname, struct error *err)
{
	enum plan_action act = cmd == CMD_DEREGISTER ? PLAN_DEREGISTER :
	    PLAN_REGISTER;
	char newtext[REG_TEXT_MAX];
	struct reg_read cur;
	struct update u;
	struct answer a;
	int rc;

	if (read_registration(&t->client, regname, &cur, err) == -1)
		return -1;
	update_init(&u, t->zone, act == PLAN_REGISTER ? in->lease : 0);
	if (plan_pool(act, in, &cur, &u, newtext, sizeof(newtext)) == -1) {
		rc = err_set(err, ERR_SYS, "cannot build the update for %s",
		    regname);
		goto out;
	}
	rc = 0;
	if (u.nops == 0) {
		log_info("%s: not registered in %s, nothing to remove",
		    in->host_id, in->pool->name);
		goto out;
	}
	if (ag->dry_run) {
		print_script(ag, t, &u, verb(cmd));
		goto out;
	}
	if ((rc = client_update(&t->client, &u, &a, err)) == -1)
		goto out;
	switch (a.rcode) {
	case RCODE_NOERROR:
		break;
	case RCODE_NXRRSET:	/* RFC 2136 3.2.5: prerequisite failed */
	case RCODE_YXRRSET:
		rc = 1;
		break;
	default:
		rc = err_set(err, ERR_REFUSED, "%s answered %s to the update "
		    "of %s in zone %s%s", t->client.last_server,
		    rcode_name(a.rcode), in->pool->name, t->zone,
		    a.rcode == RCODE_NOTAUTH ? " (not authoritative for the "
		    "zone, or the key may not update it)" :
		    a.rcode == RCODE_REFUSED ? " (the key is not allowed to "
		    "update these names: check update-policy)" : "");
	}
	answer_clean(&a);
	if (rc == 1)
		rc = conflict_settled(t, regname, act, newtext, err);
	if (rc == 0)
		log_done(cmd, t, in);
out:
	update_clean(&u);
	reg_read_clean(&cur);
	return rc;
}

static int
do_update(const struct agent *ag, enum agent_cmd cmd, struct target *t,
    const struct plan_input *in, struct error *err)
{
	char regname[512];
	unsigned n;
	int rc;

	plan_reg_name(in->host_id, in->pool->name, regname, sizeof(regname));
	for (n = 0; n < MAX_ATTEMPTS; n++) {
		if (n > 0) {
			log_debug("%s: changed while we wrote it, attempt %u",
			    regname, n + 1);
			backoff(n - 1);
		}
		rc = attempt(ag, cmd, t, in, regname, err);
		if (rc <= 0)
			break;
	}
	if (rc == 1)
		return err_set(err, ERR_CONFLICT, "%s kept changing during %u "
		    "attempts; is another host using host_id %s?", regname,
		    MAX_ATTEMPTS, in->host_id);
	return rc;
}

/* The pool's A and AAAA RRs as read from the primary. */
static int
read_pool(struct dns_client *c, const char *pool, struct registration *members,
    struct error *err)
{
	static const uint16_t types[] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	struct answer a;
	struct reg_addr addr;
	size_t t, i;

	memset(members, 0, sizeof(*members));
	for (t = 0; t < 2; t++) {
		if (client_query(c, pool, types[t], &a, err) == -1)
			return err_prefix(err, "reading %s", pool);
		for (i = 0; i < a.nan; i++)
			if (a.an[i].type == types[t] &&
			    strcmp(a.an[i].owner, pool) == 0 &&
			    reg_addr_parse(a.an[i].rdata, &addr) == 0 &&
			    members->naddrs < REG_MAX_ADDRS)
				members->addrs[members->naddrs++] = addr;
		answer_clean(&a);
	}
	return 0;
}

/* Prints the pool's state; returns 1 if the host is fully and freshly
 * registered, 0 if not, -1 on error. */
static int
print_status(const struct agent *ag, struct target *t,
    const struct plan_input *in, struct error *err)
{
	char regname[512], text[64];
	struct registration members;
	struct reg_read cur;
	long long age;
	size_t i, missing = 0;
	int fresh;

	plan_reg_name(in->host_id, in->pool->name, regname, sizeof(regname));
	if (read_registration(&t->client, regname, &cur, err) == -1 ||
	    read_pool(&t->client, in->pool->name, &members, err) == -1) {
		reg_read_clean(&cur);
		return -1;
	}
	fprintf(ag->out, "pool %s (zone %s, server %s)\n", in->pool->name,
	    t->zone, t->client.last_server);
	if (cur.nrr == 0)
		fprintf(ag->out, "  %-14s not registered\n", in->host_id);
	else if (!cur.valid)
		fprintf(ag->out, "  %-14s unreadable registration: %s\n",
		    in->host_id, cur.why);
	else {
		age = (long long)in->now - (long long)cur.owned.heartbeat;
		fprintf(ag->out, "  %-14s registered, heartbeat %lld s ago, "
		    "lease %u s: %s\n", in->host_id, age, cur.owned.lease,
		    age <= (long long)cur.owned.lease ? "fresh" : "EXPIRED");
	}
	fprintf(ag->out, "  %-14s", "own addresses");
	for (i = 0; i < cur.owned.naddrs; i++) {
		int pub = reg_has_addr(&members, &cur.owned.addrs[i]);

		reg_addr_format(&cur.owned.addrs[i], text, sizeof(text));
		fprintf(ag->out, " %s (%s)", text, pub ? "published" :
		    "MISSING");
		missing += !pub;
	}
	fprintf(ag->out, "%s\n  %-14s", cur.owned.naddrs ? "" : " none",
	    "other members");
	for (i = 0; i < members.naddrs; i++) {
		if (reg_has_addr(&cur.owned, &members.addrs[i]))
			continue;
		reg_addr_format(&members.addrs[i], text, sizeof(text));
		fprintf(ag->out, " %s", text);
	}
	fprintf(ag->out, "\n");
	fresh = cur.nrr > 0 && cur.valid && missing == 0 &&
	    (long long)in->now - (long long)cur.owned.heartbeat <=
	    (long long)cur.owned.lease;
	reg_read_clean(&cur);
	return fresh;
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
	if (cmd != CMD_DEREGISTER && cmd != CMD_STATUS &&
	    host_addrs(pool, &t, addrs, &n, err) == -1)
		return -1;
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
