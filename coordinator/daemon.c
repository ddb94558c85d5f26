#include "daemon.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "discover.h"
#include "log.h"
#include "monitor.h"
#include "numparse.h"
#include "targets.h"

/* Backoff while the server fails: 1 s doubling to 60 s (RFC-free policy,
 * OpenBSD engine.c style), jittered to 90-100% as NSD does. */
#define BACKOFF_FIRST_MS	1000
#define BACKOFF_MAX_MS		60000
/* Out-of-zone alias targets: the resolver's deadline, and how soon a
 * target that failed is asked again. */
#define RESOLVER_TIMEOUT_MS	3000
#define RESOLVER_TRY_MS		1000
#define TARGET_RETRY_MS		10000

/* name in lower case with a trailing dot, as zone data owners are. */
static void
canon_name(const char *name, char *out, size_t len)
{
	size_t i, n;

	snprintf(out, len, "%s", name);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	n = strlen(out);
	if ((n == 0 || out[n - 1] != '.') && n + 1 < len) {
		out[n] = '.';
		out[n + 1] = '\0';
	}
}

/* No server configured: each zone's primary, as nsupdate finds it (SOA
 * MNAME through the resolver, its addresses on the configured port).
 * Zones on different primaries each get their own client. */
static int
find_primaries(struct coord *co, struct error *err)
{
	char zone[256], mname[256], want[256], got[256];
	struct dns_client *c;

	co->zprimary = calloc(co->conf->nzones, sizeof(*co->zprimary));
	if (co->zprimary == NULL)
		return err_set(err, ERR_SYS, "out of memory");
	for (size_t i = 0; i < co->conf->nzones; i++) {
		const char *z = co->conf->zones[i];

		if (!co->have_resolver)
			return err_set(err, ERR_CONFIG, "%s: no server and no "
			    "resolver to find the primary of %s",
			    co->conf->path, z);
		c = &co->zprimary[i];
		client_init(c, &co->conf->net, &co->key);
		if (discover_zone(&co->resolver, z, zone, sizeof(zone), mname,
		    sizeof(mname), err) == -1 ||
		    discover_primary(&co->resolver, mname, co->conf->net.port,
		    c, err) == -1)
			return err_prefix(err, "finding the primary of %s", z);
		/* an SOA from above (the zone is not there) names the
		 * parent's primary, which would answer NOTAUTH for ever */
		canon_name(z, want, sizeof(want));
		canon_name(zone, got, sizeof(got));
		if (strcmp(got, want) != 0)
			return err_set(err, ERR_CONFIG, "finding the primary of "
			    "%s: the resolver %s has no SOA for it (its zone "
			    "is %s); set server", z, co->resolver.last_server,
			    got);
		log_info("primary of %s: %s (%s)", z, mname,
		    c->servers[0].label);
	}
	co->primary = co->zprimary[0];
	return 0;
}

/* The client that reads and updates zone i. */
static struct dns_client *
zone_client(struct coord *co, size_t i)
{
	return co->zprimary != NULL ? &co->zprimary[i] : &co->primary;
}

int
coord_init(struct coord *co, struct coord_conf *conf,
    const struct tsig_key *key, struct error *err)
{
	memset(co, 0, sizeof(*co));
	co->conf = conf;
	co->key = *key;
	co->out = stdout;
	co->resolv_conf = "/etc/resolv.conf";
	client_init(&co->primary, &conf->net, &co->key);
	if (client_set_servers(&co->primary, conf->net.servers,
	    conf->net.nservers, conf->net.port, err) == -1)
		return -1;
	client_init(&co->resolver, &conf->net, NULL);
	/* a dead resolver must not stall the pass (expiries wait on it):
	 * its answers get a short deadline of their own */
	co->resolver.xo.timeout_ms = RESOLVER_TIMEOUT_MS;
	co->resolver.xo.try_ms = RESOLVER_TRY_MS;
	co->resolver.xo.retries = 1;
	/* no resolver is an error only once an out-of-zone target needs one */
	co->have_resolver = discover_resolvers(&conf->net, co->resolv_conf,
	    &co->resolver, NULL) == 0;
	if (co->primary.nservers == 0 && find_primaries(co, err) == -1)
		return -1;
	co->zones = calloc(conf->nzones, sizeof(*co->zones));
	co->zone_read = calloc(conf->nzones, sizeof(*co->zone_read));
	if (co->zones == NULL || co->zone_read == NULL)
		return err_set(err, ERR_SYS, "out of memory");
	for (size_t i = 0; i < conf->nzones; i++)
		zone_data_init(&co->zones[i], conf->zones[i]);
	return 0;
}

static void
free_notes(char **notes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(notes[i]);
	free(notes);
}

void
coord_clean(struct coord *co)
{
	if (co->conf != NULL) {
		for (size_t i = 0; co->zones && i < co->conf->nzones; i++)
			zone_data_clean(&co->zones[i]);
		conf_coord_clean(co->conf);
		free(co->conf);
	}
	free(co->zones);
	free(co->zone_read);
	free(co->zprimary);
	free(co->cache);
	free(co->skew);
	free_notes(co->last_notes, co->nlast_notes);
	free_notes(co->last_refused, co->nlast_refused);
	tsig_key_clean(&co->key);
	memset(co, 0, sizeof(*co));
}

/* Re-read by AXFR each zone whose serial moved (or never read).  On any
 * failure the zones already read stay as they were and -1 is returned:
 * the pass then plans nothing. */
int
coord_refresh(struct coord *co, struct pass_result *r, struct error *err)
{
	struct zone_data fresh;
	uint32_t serial;

	for (size_t i = 0; i < co->conf->nzones; i++) {
		const char *zone = co->conf->zones[i];

		r->soa_queries++;
		if (zone_serial(zone_client(co, i), zone, &serial, err) == -1)
			return -1;
		if (co->zone_read[i] && serial == co->zones[i].serial)
			continue;
		r->zone_transfers++;
		if (zone_axfr(zone_client(co, i), zone, &fresh, err) == -1)
			return -1;
		log_debug("zone %s: serial %u, %zu records", zone, fresh.serial,
		    fresh.nrrs);
		zone_data_clean(&co->zones[i]);
		co->zones[i] = fresh;
		co->zone_read[i] = true;
		co->zones_changed = true;
	}
	return 0;
}

static struct target_cache *
cache_slot(struct coord *co, const char *name)
{
	struct target_cache *c;

	for (size_t i = 0; i < co->ncache; i++)
		if (strcmp(co->cache[i].name, name) == 0)
			return &co->cache[i];
	c = realloc(co->cache, (co->ncache + 1) * sizeof(*c));
	if (c == NULL)
		return NULL;
	co->cache = c;
	c = &co->cache[co->ncache++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	return c;
}

/* A target's answer from the resolver is good for its TTL (at most
 * COORD_TARGET_REFRESH); a failure is asked again after a while, not at
 * every pass. */
static uint64_t
answer_expiry(const struct target_result *r, uint64_t now)
{
	uint64_t ttl = r->state == TARGET_OK ? r->min_ttl : 0;

	if (ttl > COORD_TARGET_REFRESH)
		ttl = COORD_TARGET_REFRESH;
	return now + (r->state == TARGET_FAILED ? TARGET_RETRY_MS :
	    ttl * 1000);
}

/* Ask about the cached target c now, within the pass's resolver time.
 * An answer not asked for lack of time is not kept: c stays stale. */
static void
ask_cached(struct coord *co, struct target_cache *c)
{
	struct target_result r;
	uint64_t now = mono_ms();

	targets_resolve_by(co->zones, co->conf->nzones, co->have_resolver ?
	    &co->resolver : NULL, co->conf->aliases, co->conf->naliases,
	    c->name, co->resolve_until, &r);
	if (r.deferred) {
		/* a target that failed last time still has failed: say
		 * that again rather than log a new reason each pass */
		if (c->asked_ms == 0 || c->result.state != TARGET_FAILED)
			c->result = r;
		c->result.deferred = true;
		return;
	}
	c->result = r;
	c->asked_ms = now;
	c->expires_ms = answer_expiry(&r, now);
}

static int
by_asked(const void *a, const void *b)
{
	const struct target_cache *x = *(struct target_cache *const *)a;
	const struct target_cache *y = *(struct target_cache *const *)b;

	return x->asked_ms < y->asked_ms ? -1 : x->asked_ms > y->asked_ms;
}

/*
 * Refresh the stale answers of the out-of-zone targets, those asked
 * longest ago (or never) first, while the pass's resolver time lasts:
 * with a dead resolver and many targets, each pass asks about the ones
 * the last passes did not reach, and none waits for ever behind the
 * others.
 */
static void
prefetch_targets(struct coord *co)
{
	struct target_cache **stale;
	uint64_t now = mono_ms();
	size_t n = 0;

	for (size_t i = 0; i < co->conf->naliases; i++)
		for (size_t t = 0; t < co->conf->aliases[i].ntargets; t++) {
			const char *name = co->conf->aliases[i].targets[t];

			if (conf_coord_zone_of(co->conf, name) == NULL &&
			    cache_slot(co, name) == NULL)
				return;	/* no memory: asked in turn */
		}
	if (co->ncache == 0 ||
	    (stale = calloc(co->ncache, sizeof(*stale))) == NULL)
		return;
	for (size_t i = 0; i < co->ncache; i++)
		if (co->cache[i].expires_ms <= now)
			stale[n++] = &co->cache[i];
	qsort(stale, n, sizeof(*stale), by_asked);
	for (size_t i = 0; i < n && mono_ms() < co->resolve_until; i++)
		ask_cached(co, stale[i]);
	free(stale);
}

/*
 * In-zone targets come from the zone data just read (always fresh); an
 * out-of-zone one is asked of the resolver again when its TTL ran out.
 * Returns the monotonic time after which this answer may be stale
 * without any zone serial moving (UINT64_MAX: only the zone data counts),
 * and sets r->ttl_fixed when the TTL is the zone data's own.
 */
static uint64_t
resolve_target(struct coord *co, const char *name, struct target_result *r)
{
	struct target_cache *c;
	uint64_t now = mono_ms();
	bool in_zone = conf_coord_zone_of(co->conf, name) != NULL;

	if (in_zone || (c = cache_slot(co, name)) == NULL) {
		/* last_server is set by every answer: it tells whether the
		 * walk left the zone data (a CNAME out, a delegation) */
		co->resolver.last_server[0] = '\0';
		targets_resolve_by(co->zones, co->conf->nzones,
		    co->have_resolver ? &co->resolver : NULL,
		    co->conf->aliases, co->conf->naliases, name,
		    co->resolve_until, r);
		if (in_zone && r->state != TARGET_FAILED &&
		    co->resolver.last_server[0] == '\0') {
			r->ttl_fixed = true;
			return UINT64_MAX;
		}
		return r->deferred ? now : answer_expiry(r, now);
	}
	if (c->expires_ms <= now)
		ask_cached(co, c);
	*r = c->result;
	/* not asked in time: plan again at the next pass */
	return r->deferred ? now : c->expires_ms;
}

static const struct zone_data *
zone_for(const struct coord *co, const char *name)
{
	const char *zone = conf_coord_zone_of(co->conf, name);

	for (size_t i = 0; zone && i < co->conf->nzones; i++)
		if (strcmp(co->conf->zones[i], zone) == 0)
			return &co->zones[i];
	return NULL;
}

/* The owner whose A/AAAA the zone data answers name with: name, or the
 * end of its CNAME chain while it stays in the managed zones.  false when
 * it leaves them (or is too long: targets.c fails it anyway). */
static bool
zone_chain_end(const struct coord *co, const char *name, char *out,
    size_t len)
{
	const struct zone_data *z;
	size_t first, n;

	canon_name(name, out, len);
	for (int i = 0; i <= CONF_MAX_CNAME_CHAIN; i++) {
		if ((z = zone_for(co, out)) == NULL)
			return false;
		first = zone_data_find(z, out, DNS_TYPE_CNAME, &n);
		if (n == 0)
			return true;
		canon_name(z->rrs[first].rdata, out, len);
	}
	return false;
}

/*
 * The zone data is the zone before this plan's expiries: drop from an
 * in-zone target's addresses those the plan deletes there, or an alias
 * of a pool would get (or keep) the address of a host expired in this
 * very pass.  None left: the target is MISSING, as it will be once read.
 */
static void
drop_expiring(const struct coord *co, const struct plan *p,
    const char *name, struct target_result *r)
{
	char end[256];
	size_t i, k;

	if (r->state != TARGET_OK || !zone_chain_end(co, name, end,
	    sizeof(end)))
		return;
	for (i = k = 0; i < r->naddrs; i++)
		if (!cplan_deleting(p, end, &r->addrs[i]))
			r->addrs[k++] = r->addrs[i];
	if (k == r->naddrs)
		return;
	r->naddrs = k;
	if (k == 0) {
		r->state = TARGET_MISSING;
		r->min_ttl = 0;
		snprintf(r->why, sizeof(r->why), "%.150s: every address expires "
		    "in this pass", end);
	}
}

/* Resolve every alias's targets and plan it; *until is lowered to when a
 * target's answer may go stale on its own (resolve_target). */
static int
plan_aliases(struct coord *co, struct plan *p, size_t *failed,
    uint64_t *until)
{
	struct target_result *res;
	const struct zone_data *z;
	uint64_t t_until;

	co->resolve_until = mono_ms() + COORD_RESOLVE_BUDGET_MS;
	prefetch_targets(co);
	for (size_t i = 0; i < co->conf->naliases; i++) {
		const struct coord_alias *a = &co->conf->aliases[i];

		if ((z = zone_for(co, a->name)) == NULL)
			continue;	/* conf guarantees a zone */
		res = calloc(a->ntargets, sizeof(*res));
		if (res == NULL)
			return -1;
		for (size_t t = 0; t < a->ntargets; t++) {
			t_until = resolve_target(co, a->targets[t], &res[t]);
			if (t_until < *until)
				*until = t_until;
			drop_expiring(co, p, a->targets[t], &res[t]);
			*failed += res[t].state == TARGET_FAILED;
		}
		if (cplan_alias(z, a, res, p) == -1) {
			free(res);
			return -1;
		}
		free(res);
	}
	return 0;
}

/* s without the transport's "; deadline of N s reached" (or ms): the
 * time an exchange was given varies from pass to pass (the resolver's
 * share of the pass, retries), and must not make one failure look new. */
static void
note_key(const char *s, char *out, size_t len)
{
	static const char pre[] = "; deadline of ";
	const char *p, *q;
	size_t n = 0;

	while ((p = strstr(s, pre)) != NULL) {
		q = p + sizeof(pre) - 1;
		while (*q >= '0' && *q <= '9')
			q++;
		if (strncmp(q, " s reached", 10) == 0)
			q += 10;
		else if (strncmp(q, " ms reached", 11) == 0)
			q += 11;
		else
			q = p + sizeof(pre) - 1;	/* not that: keep it */
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%.*s",
		    (int)(p - s), s);
		if (q == p + sizeof(pre) - 1)
			n += (size_t)snprintf(out + n, n < len ? len - n : 0,
			    "%s", pre);
		s = q;
	}
	snprintf(out + (n < len ? n : len - 1), n < len ? len - n : 1, "%s",
	    s);
}

static int
note_seen(char **notes, size_t n, const char *s)
{
	char a[1024], b[1024];

	note_key(s, a, sizeof(a));
	for (size_t i = 0; i < n; i++) {
		note_key(notes[i], b, sizeof(b));
		if (strcmp(a, b) == 0)
			return 1;
	}
	return 0;
}

/* Log each of the n lines now that is not among the nlast logged before
 * (as an error or a warning), then keep now's as the last (owned). */
static void
log_once(char ***last, size_t *nlast, char **now, size_t n, bool error)
{
	for (size_t i = 0; i < n; i++) {
		if (note_seen(*last, *nlast, now[i]))
			continue;
		if (error)
			log_warnx("%s", now[i]);
		else
			log_warning("%s", now[i]);
	}
	free_notes(*last, *nlast);
	*last = now;
	*nlast = n;
}

/* Log each note once while it holds: a held-back expiry is logged when it
 * starts being held back, not every second. */
static void
log_new_notes(struct coord *co, struct plan *p)
{
	log_once(&co->last_notes, &co->nlast_notes, p->notes, p->nnotes,
	    false);
	p->notes = NULL;
	p->nnotes = p->notes_cap = 0;
}

/* A heartbeat from the future counts from when it was first seen: a
 * skewed host that dies is expired one lease later, not in years. */
static uint64_t
skew_first_seen(void *arg, const char *host, const char *pool,
    uint64_t heartbeat, uint64_t now)
{
	struct coord *co = arg;
	struct skew_seen *s;

	for (size_t i = 0; i < co->nskew; i++) {
		s = &co->skew[i];
		if (strcmp(s->host, host) != 0 || strcmp(s->pool, pool) != 0)
			continue;
		if (s->heartbeat != heartbeat) {	/* it heartbeated */
			s->heartbeat = heartbeat;
			s->first = now;
		}
		s->seen = true;
		return s->first;
	}
	s = realloc(co->skew, (co->nskew + 1) * sizeof(*s));
	if (s == NULL)
		return now;
	co->skew = s;
	s = &co->skew[co->nskew++];
	snprintf(s->host, sizeof(s->host), "%s", host);
	snprintf(s->pool, sizeof(s->pool), "%s", pool);
	s->heartbeat = heartbeat;
	s->first = now;
	s->seen = true;
	return now;
}

/* Keep only the entries the plan just made asked about: the others'
 * hosts heartbeat with a right clock again or are gone (every zone was
 * read, or there would be no plan). */
static void
skew_prune(struct coord *co)
{
	size_t i, k;

	for (i = k = 0; i < co->nskew; i++)
		if (co->skew[i].seen)
			co->skew[k++] = co->skew[i];
	co->nskew = k;
	if (k == 0) {
		free(co->skew);
		co->skew = NULL;
	}
}

int
coord_plan(struct coord *co, uint64_t now, struct plan *p,
    struct pass_result *r, struct error *err)
{
	p->first_seen = skew_first_seen;
	p->first_seen_arg = co;
	for (size_t i = 0; i < co->nskew; i++)
		co->skew[i].seen = false;
	for (size_t i = 0; i < co->conf->nzones; i++)
		if (cplan_expiry(&co->zones[i], co->conf, now, p) == -1)
			return err_set(err, ERR_SYS, "out of memory");
	skew_prune(co);
	co->replan_ms = UINT64_MAX;
	if (plan_aliases(co, p, &r->targets_failed, &co->replan_ms) == -1)
		return err_set(err, ERR_SYS, "out of memory");
	for (size_t i = 0; i < p->npools; i++)
		r->held_back += p->pools[i].held_back;
	r->aliases_kept = p->aliases_kept;
	r->actions = p->nacts;
	return 0;
}

/* The index of the zone action a belongs to (its zone is a zone data
 * name); the first zone when none (cannot happen). */
static size_t
zone_index(const struct coord *co, const struct action *a)
{
	for (size_t i = 0; i < co->conf->nzones; i++)
		if (strcasecmp(co->zones[i].name, a->zone) == 0)
			return i;
	return 0;
}

/* Apply p: all to the one configured server, or each zone's actions to
 * its own primary.  A zone whose primary fails does not keep the others'
 * actions back; the first error is returned.  p->refused_rcode, when
 * set, is filled for every zone. */
static int
apply_zones(struct coord *co, const struct plan *p, struct apply_stats *st,
    struct error *err)
{
	struct apply_stats zst;
	struct error zerr;
	struct plan sub;
	size_t *map;
	int rc = 0;

	if (co->zprimary == NULL)
		return apply_plan(&co->primary, p, co->dry_run, co->out, st,
		    err);
	memset(st, 0, sizeof(*st));
	memset(&sub, 0, sizeof(sub));
	/* a shallow view: the actions stay p's; map[k] is the index in p
	 * of sub's action k */
	sub.acts = calloc(p->nacts, sizeof(*sub.acts));
	map = calloc(p->nacts, sizeof(*map));
	if (p->refused_rcode != NULL)
		sub.refused_rcode = calloc(p->nacts, sizeof(int));
	if (sub.acts == NULL || map == NULL || (p->refused_rcode != NULL &&
	    sub.refused_rcode == NULL)) {
		rc = err_set(err, ERR_SYS, "out of memory");
		goto out;
	}
	for (size_t z = 0; z < co->conf->nzones; z++) {
		sub.nacts = 0;
		for (size_t i = 0; i < p->nacts; i++)
			if (zone_index(co, &p->acts[i]) == z) {
				map[sub.nacts] = i;
				sub.acts[sub.nacts++] = p->acts[i];
			}
		if (sub.nacts == 0)
			continue;
		sub.cap = sub.nacts;
		if (sub.refused_rcode != NULL)
			memset(sub.refused_rcode, 0, sub.nacts * sizeof(int));
		memset(&zst, 0, sizeof(zst));
		if (apply_plan(&co->zprimary[z], &sub, co->dry_run, co->out,
		    &zst, &zerr) == -1 && rc++ == 0)
			*err = zerr;
		apply_stats_add(st, &zst);
		for (size_t k = 0; sub.refused_rcode && k < sub.nacts; k++)
			p->refused_rcode[map[k]] = sub.refused_rcode[k];
	}
out:
	free(sub.acts);
	free(sub.refused_rcode);
	free(map);
	return rc == 0 ? 0 : -1;
}

/*
 * The actions the server refused, each logged once while it keeps being
 * refused (the daemon retries with backoff, up to once a minute for
 * ever): one line naming the action's subject (host and pool, or alias),
 * the server and the rcode.  When the apply stopped early (the server
 * went away, TSIG failed) the actions not sent say nothing: those logged
 * before are kept as logged.
 */
static void
log_refused(struct coord *co, const struct plan *p, bool stopped)
{
	char **lines = calloc(p->nacts + co->nlast_refused + 1,
	    sizeof(*lines));
	size_t n = 0;

	if (lines == NULL)
		return;
	for (size_t i = 0; i < p->nacts; i++) {
		const struct action *a = &p->acts[i];
		const char *verb = a->kind == ACT_EXPIRE ? "expire" :
		    a->kind == ACT_REPAIR ? "repair" : "update";

		if (p->refused_rcode[i] == 0 || asprintf(&lines[n], "%s %s: "
		    "refused by %s: %s", verb, a->subject, zone_client(co,
		    zone_index(co, a))->last_server,
		    rcode_name(p->refused_rcode[i])) == -1)
			continue;
		n++;
	}
	for (size_t i = 0; stopped && i < co->nlast_refused; i++)
		if (!note_seen(lines, n, co->last_refused[i]) &&
		    (lines[n] = strdup(co->last_refused[i])) != NULL)
			n++;
	log_once(&co->last_refused, &co->nlast_refused, lines, n, true);
}

void
pass_result_clean(struct pass_result *r)
{
	free(r->pools);
	r->pools = NULL;
	r->npools = 0;
}

/* Plan and apply; r gets the plan's numbers and pools. */
static int
plan_apply(struct coord *co, uint64_t now, struct plan *p,
    struct pass_result *r, struct error *err)
{
	int rc;

	if ((rc = coord_plan(co, now, p, r, err)) == -1)
		return -1;
	r->planned = true;
	r->aliases = p->alias_counts;
	r->pools = p->pools;
	r->npools = p->npools;
	p->pools = NULL;
	p->npools = 0;
	log_new_notes(co, p);
	if (p->nacts == 0) {
		free_notes(co->last_refused, co->nlast_refused);
		co->last_refused = NULL;
		co->nlast_refused = 0;
		return 0;
	}
	if (!co->dry_run &&
	    (p->refused_rcode = calloc(p->nacts, sizeof(int))) == NULL)
		return err_set(err, ERR_SYS, "out of memory");
	rc = apply_zones(co, p, &r->st, err);
	if (p->refused_rcode != NULL)
		log_refused(co, p, rc == -1 && err->kind != ERR_REFUSED);
	free(p->refused_rcode);
	p->refused_rcode = NULL;
	return rc;
}

int
coord_pass(struct coord *co, uint64_t now, struct pass_result *r,
    struct error *err)
{
	struct plan p;
	int rc;

	memset(r, 0, sizeof(*r));
	if (coord_refresh(co, r, err) == -1) {
		co->planned = false;
		return -1;
	}
	r->read_ok = true;
	/* the same zone data, clock before the next expiry, targets' answers
	 * still good: the plan would be the last one, which was applied */
	if (co->planned && !co->zones_changed && now < co->next_due &&
	    mono_ms() < co->replan_ms) {
		r->skipped = true;
		return 0;
	}
	log_debug("planning: %s", !co->planned ? "no plan yet" :
	    co->zones_changed ? "zone changed" : now >= co->next_due ?
	    "an expiry is due" : "a target's answer expired");
	co->planned = co->zones_changed = false;
	plan_init(&p);
	rc = plan_apply(co, now, &p, r, err);
	if (rc == 0) {
		co->planned = true;
		co->next_due = p.next_due;
	}
	plan_clean(&p);
	return rc;
}

static uint64_t
jitter(uint64_t ms)
{
	uint32_t r = 0;

	/* 90-100% of the interval (NSD) so a fleet does not move in step */
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return ms;
	return ms - (ms / 10) * (r % 1001) / 1000;
}

static uint64_t
backoff_ms(unsigned failures)
{
	uint64_t ms = BACKOFF_FIRST_MS;

	while (failures-- > 1 && ms < BACKOFF_MAX_MS)
		ms *= 2;
	return jitter(ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS);
}

/* from is one of c's servers. */
static bool
from_client(const struct dns_client *c, const struct sockaddr_storage *from)
{
	const struct sockaddr_in6 *f6 = (const struct sockaddr_in6 *)from;
	struct sockaddr_storage v4;

	/* a listener on "::" sees an IPv4 primary as ::ffff:a.b.c.d */
	if (from->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&f6->sin6_addr)) {
		struct sockaddr_in s4;

		/* built apart and copied in: writing v4 through a struct
		 * sockaddr_in pointer and reading it as sockaddr_storage
		 * breaks strict aliasing (the optimiser dropped the write) */
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, &f6->sin6_addr.s6_addr[12], 4);
		memset(&v4, 0, sizeof(v4));
		memcpy(&v4, &s4, sizeof(s4));
		from = &v4;
	}
	for (size_t i = 0; i < c->nservers; i++) {
		const struct sockaddr_storage *s = &c->servers[i].addr;

		if (s->ss_family != from->ss_family)
			continue;
		if (s->ss_family == AF_INET &&
		    memcmp(&((const struct sockaddr_in *)s)->sin_addr,
		    &((const struct sockaddr_in *)from)->sin_addr, 4) == 0)
			return true;
		if (s->ss_family == AF_INET6 &&
		    memcmp(&((const struct sockaddr_in6 *)s)->sin6_addr,
		    &((const struct sockaddr_in6 *)from)->sin6_addr, 16) == 0)
			return true;
	}
	return false;
}

/* from is the primary of zone (a configured zone's name). */
static bool
from_primary(struct coord *co, const char *zone,
    const struct sockaddr_storage *from)
{
	for (size_t i = 0; i < co->conf->nzones; i++)
		if (strcmp(co->conf->zones[i], zone) == 0)
			return from_client(zone_client(co, i), from);
	return false;
}

/*
 * A NOTIFY message: true when it is for a managed zone and comes from the
 * zone's primary; then *reply (malloc'd) is the answer to send.  The
 * NOTIFY itself is not trusted: it only makes us look (signed) sooner.
 */
static bool
notify_accept(struct coord *co, const uint8_t *buf, size_t n,
    const struct sockaddr_storage *from, uint8_t **reply, size_t *replylen)
{
	char zone[256];
	bool ours = false;

	*reply = NULL;
	if (notify_parse(buf, n, zone, sizeof(zone), reply, replylen) == -1)
		return false;	/* not a NOTIFY: dropped */
	for (size_t i = 0; i < co->conf->nzones; i++)
		ours |= strcmp(co->conf->zones[i], zone) == 0;
	/* only the primary's NOTIFY counts: anyone else could make us
	 * read the zone as often as they like */
	if (ours && !from_primary(co, zone, from)) {
		log_debug("NOTIFY for %s from a stranger: ignored", zone);
		ours = false;
	}
	if (ours)
		log_debug("NOTIFY for %s", zone);
	else {
		free(*reply);
		*reply = NULL;
	}
	return ours;
}

/* A NOTIFY over UDP: answer it; true to ask for a pass now. */
static bool
notify_udp(struct coord *co, int fd)
{
	uint8_t buf[4096], *reply;
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	size_t replylen;
	ssize_t n;
	bool ours;

	n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
	    (struct sockaddr *)&from, &fromlen);
	if (n <= 0)
		return false;
	if ((ours = notify_accept(co, buf, (size_t)n, &from, &reply,
	    &replylen)))
		sendto(fd, reply, replylen, 0, (struct sockaddr *)&from,
		    fromlen);
	free(reply);
	return ours;
}

/* How long a primary may take to send its NOTIFY over TCP: the daemon's
 * loop waits for it.  Anyone else is not read at all. */
#define NOTIFY_TCP_MS	1000

/* from is the primary of some managed zone. */
static bool
from_any_primary(struct coord *co, const struct sockaddr_storage *from)
{
	for (size_t i = 0; i < co->conf->nzones; i++)
		if (from_client(zone_client(co, i), from))
			return true;
	return false;
}

/* A NOTIFY over TCP (Knot's way): one message, one answer, close. */
static bool
notify_tcp(struct coord *co, int lfd)
{
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	uint8_t *msg = NULL, *reply = NULL;
	uint64_t until = mono_ms() + NOTIFY_TCP_MS;
	size_t len, replylen;
	struct error err;
	bool ours = false;
	int fd;

	fd = accept4(lfd, (struct sockaddr *)&from, &fromlen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return false;
	/* a stranger that connects and says nothing must not stall the
	 * loop: closed before anything is read */
	if (!from_any_primary(co, &from)) {
		log_debug("NOTIFY over TCP from a stranger: closed");
		close(fd);
		return false;
	}
	if (xfer_tcp_recv(fd, &msg, &len, until, &err) == 0 &&
	    (ours = notify_accept(co, msg, len, &from, &reply, &replylen)) &&
	    xfer_tcp_send(fd, reply, replylen, until, &err) == -1)
		log_debug("NOTIFY over TCP: %s", err.msg);
	free(msg);
	free(reply);
	close(fd);
	return ours;
}

/* The listeners are opened once, at start: say so when a reload would
 * move one, rather than let the old address look like a bug. */
static void
warn_listeners(const struct coord_conf *old, const struct coord_conf *new)
{
	if (strcmp(old->notify_listen, new->notify_listen) != 0 ||
	    old->notify_port != new->notify_port)
		log_warning("reload: notify_listen/notify_port changed: "
		    "restart to apply; the listener stays as it was");
	if (old->metrics_http != new->metrics_http ||
	    strcmp(old->metrics_listen, new->metrics_listen) != 0 ||
	    old->metrics_port != new->metrics_port)
		log_warning("reload: metrics_listen/metrics_port changed: "
		    "restart to apply; the listener stays as it was");
}

static void
try_reload(struct coord *co, coord_reload_fn reload, void *arg)
{
	struct coord_conf *conf = NULL;
	struct tsig_key key;
	struct coord fresh;
	struct error err;

	if (reload(arg, &conf, &key, &err) == -1) {
		log_warnx("reload: %s; keeping the running configuration",
		    err.msg);
		return;
	}
	if (coord_init(&fresh, conf, &key, &err) == -1) {
		tsig_key_clean(&key);
		log_warnx("reload: %s; keeping the running configuration",
		    err.msg);
		coord_clean(&fresh);
		return;
	}
	tsig_key_clean(&key);
	warn_listeners(co->conf, fresh.conf);
	fresh.dry_run = co->dry_run;
	fresh.out = co->out;
	/* what was learnt about skewed clocks outlives a reload */
	fresh.skew = co->skew;
	fresh.nskew = co->nskew;
	co->skew = NULL;
	co->nskew = 0;
	coord_clean(co);
	*co = fresh;
	/* the client points at the key it signs with: now co's, not the
	 * stack copy's */
	co->primary.key = &co->key;
	for (size_t i = 0; co->zprimary && i < co->conf->nzones; i++)
		co->zprimary[i].key = &co->key;
	log_info("reloaded %s: %zu zone(s), %zu alias(es)", co->conf->path,
	    co->conf->nzones, co->conf->naliases);
}

/* Wait until until_ms, a signal, or (when allowed) a NOTIFY.  Each wait
 * ends in time for the watchdog, which is fed from here while idle or
 * backing off. */
static int
wait_events(struct coord *co, const struct notify_fds *nf, uint64_t until_ms,
    const struct coord_signals *sig, bool notify_wakes, struct monitor *mon)
{
	struct pollfd pfd[2] = {
		{ nf->udp, POLLIN, 0 }, { nf->tcp, POLLIN, 0 },
	};
	uint64_t now, wake;

	while (!*sig->stop && !*sig->reload && (now = mono_ms()) < until_ms) {
		int n;
		bool woken = false;

		wake = mon != NULL ? monitor_wake_ms(mon) : UINT64_MAX;
		if (wake > until_ms)
			wake = until_ms;
		n = poll(pfd, nf->udp >= 0 ? 2 : 0, wake > now ?
		    (int)(wake - now) : 0);
		if (mon != NULL)
			monitor_tick(mon);

		if (n > 0 && (pfd[0].revents & POLLIN))
			woken |= notify_udp(co, nf->udp);
		if (n > 0 && (pfd[1].revents & POLLIN))
			woken |= notify_tcp(co, nf->tcp);
		/* while backing off, a NOTIFY is answered but waits */
		if (woken && notify_wakes)
			return 1;
		if (n == -1 && errno != EINTR) {
			log_warn("poll");
			return 0;
		}
	}
	return 0;
}

int
coord_loop(struct coord *co, const struct coord_signals *sig,
    coord_reload_fn reload, void *arg, const struct notify_fds *nf,
    struct monitor *mon)
{
	struct pass_result r;
	struct error err;
	char last[sizeof(err.msg)] = "";
	unsigned failures = 0;
	uint64_t next;
	int rc;

	while (!*sig->stop) {
		if (*sig->reload) {
			*sig->reload = 0;
			if (mon != NULL)
				monitor_reloading(mon);
			try_reload(co, reload, arg);
			if (mon != NULL)
				monitor_reloaded(mon);
		}
		if (mon != NULL)
			monitor_pass_begin(mon);
		rc = coord_pass(co, (uint64_t)time(NULL), &r, &err);
		if (mon != NULL)
			monitor_pass_end(mon, co->conf, &r, rc, &err);
		pass_result_clean(&r);
		if (rc == 0) {
			if (failures > 0)
				log_info("%s answer%s again",
				    co->zprimary != NULL ? "the primaries" :
				    co->primary.last_server,
				    co->zprimary != NULL ? "" : "s");
			failures = 0;
			last[0] = '\0';
			next = mono_ms() + co->conf->poll * 1000ull;
		} else {
			/* log a failure when it starts and when it changes,
			 * not at every retry: a down server must not flood
			 * the log, nor hide that the reason changed */
			if (strcmp(last, err.msg) != 0 || log_verbose())
				log_warnx("%s; retrying with backoff", err.msg);
			snprintf(last, sizeof(last), "%s", err.msg);
			failures++;
			next = mono_ms() + backoff_ms(failures);
		}
		wait_events(co, nf, next, sig, failures == 0, mon);
	}
	if (mon != NULL)
		monitor_stopping(mon);
	log_info("stopping");
	return 0;
}
