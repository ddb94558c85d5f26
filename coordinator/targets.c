#include "targets.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "numparse.h"
#include "regrecord.h"

#define DNS_TYPE_CNAME	5	/* RFC 1035 3.2.2 */

/* One walk of a CNAME chain for one address type. */
struct walk {
	const struct zone_data	*zones;
	size_t			 nzones;
	struct dns_client	*resolver;
	const struct coord_alias *aliases;	/* the configured ones */
	size_t			 naliases;
	uint16_t		 type;		/* A or AAAA */
	char			 chain[CONF_MAX_CNAME_CHAIN + 1][256];
	size_t			 nchain;	/* names visited, first included */
	uint32_t		 min_ttl;
	bool			 nxdomain;	/* the resolver said so */
	size_t			 naddrs;
	struct reg_addr		 addrs[REG_MAX_ADDRS];
	bool			 overflow;	/* more than REG_MAX_ADDRS */
	uint64_t		 deadline_ms;	/* for the resolver's answers */
	bool			 deferred;	/* past it: nothing asked */
};

enum step {
	STEP_DONE,	/* addresses found, or none to find */
	STEP_FOLLOW,	/* the chain goes on at chain[nchain - 1] */
	STEP_MISSING,	/* the name or its addresses do not exist */
	STEP_FAILED,	/* why says */
};

/* A reason into why; names are long and why is short, and a cut reason
 * still says what went wrong. */
static void set_why(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* name in lower case with a trailing dot. */
static void
canon(const char *name, char *out, size_t len)
{
	size_t i, n;

	snprintf(out, len, "%s", name);
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	n = strlen(out);
	if ((n == 0 || out[n - 1] != '.') && n + 1 < len) {
		out[n] = '.';
		out[n + 1] = '\0';
	}
}

static const char *
cur(const struct walk *w)
{
	return w->chain[w->nchain - 1];
}

/* The managed zone name lies in: the longest that contains it. */
static const struct zone_data *
zone_of(const struct walk *w, const char *name)
{
	const struct zone_data *best = NULL;
	size_t i;

	for (i = 0; i < w->nzones; i++)
		if (dname_is_subdomain(name, w->zones[i].name) &&
		    (best == NULL ||
		    strlen(w->zones[i].name) > strlen(best->name)))
			best = &w->zones[i];
	return best;
}

static void
use_ttl(struct walk *w, uint32_t ttl)
{
	if (ttl < w->min_ttl)
		w->min_ttl = ttl;
}

static void
add_addr(struct walk *w, const char *text, uint32_t ttl)
{
	struct reg_addr a;
	size_t i;

	if (reg_addr_parse(text, &a) == -1)
		return;
	if ((w->type == DNS_TYPE_A) != (a.family == AF_INET))
		return;
	use_ttl(w, ttl);
	for (i = 0; i < w->naddrs; i++)
		if (reg_addr_equal(&w->addrs[i], &a))
			return;
	if (w->naddrs < REG_MAX_ADDRS)
		w->addrs[w->naddrs++] = a;
	else
		w->overflow = true;	/* a cut set would delete records */
}

/* One more CNAME link to target; FAILED on a loop, a too long chain, or
 * a link to a configured alias: an alias's records are what the
 * coordinator writes, so a target reaching one through a CNAME would feed
 * an alias on its own (or another alias's) last output, and keep an old
 * address for ever (t CNAME mx1, alias mx1 -> [host1, t]). */
static enum step
follow(struct walk *w, const char *target, uint32_t ttl, char *why,
    size_t whylen)
{
	char t[256], an[256];
	size_t i;

	canon(target, t, sizeof(t));
	for (i = 0; i < w->nchain; i++)
		if (strcmp(w->chain[i], t) == 0) {
			set_why(why, whylen, "CNAME loop: %s -> %s", cur(w), t);
			return STEP_FAILED;
		}
	for (i = 0; i < w->naliases; i++) {
		canon(w->aliases[i].name, an, sizeof(an));
		if (strcmp(an, t) == 0) {
			set_why(why, whylen, "CNAME chain through alias %s "
			    "(a loop): %s -> %s", an, cur(w), t);
			return STEP_FAILED;
		}
	}
	if (w->nchain > CONF_MAX_CNAME_CHAIN) {
		set_why(why, whylen, "CNAME chain from %s longer than %d "
		    "links", w->chain[0], CONF_MAX_CNAME_CHAIN);
		return STEP_FAILED;
	}
	use_ttl(w, ttl);
	snprintf(w->chain[w->nchain++], sizeof(w->chain[0]), "%s", t);
	return STEP_FOLLOW;
}

static enum step from_resolver(struct walk *, char *, size_t);

/* The name one label up from name (a suffix of it), or NULL at the root.
 * A "\." inside a label is not a label boundary. */
static const char *
parent_of(const char *name)
{
	const char *p;

	for (p = name; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '.')
			return p[1] != '\0' ? p + 1 : NULL;
	}
	return NULL;
}

/* The highest delegation point (an NS RRset strictly below z's apex) at
 * or above name, or NULL: its data in z is glue or occluded, not
 * authoritative (RFC 1034 4.2.1). */
static const char *
delegation_of(const struct zone_data *z, const char *name)
{
	const char *p, *found = NULL;
	size_t n, zlen = strlen(z->name);

	for (p = name; p != NULL && strlen(p) > zlen; p = parent_of(p)) {
		(void)zone_data_find(z, p, DNS_TYPE_NS, &n);
		if (n > 0)
			found = p;
	}
	return found;
}

/* A wildcard "*.<ancestor>" in z that could synthesise name, which has
 * no RRs of its own (RFC 4592; empty non-terminals that would block it
 * are not looked for: "could"), or NULL. */
static const char *
wildcard_for(const struct zone_data *z, const char *name, char *buf,
    size_t len)
{
	const char *p;
	size_t n, zlen = strlen(z->name);

	(void)zone_data_find(z, name, 0, &n);
	if (n > 0)
		return NULL;
	for (p = parent_of(name); p != NULL && strlen(p) >= zlen;
	    p = parent_of(p)) {
		snprintf(buf, len, "*.%s", p);
		(void)zone_data_find(z, buf, 0, &n);
		if (n > 0)
			return buf;
	}
	return NULL;
}

/* The current name from the zone data that holds it. */
static enum step
from_zone(struct walk *w, const struct zone_data *z, char *why,
    size_t whylen)
{
	char wild[300];
	const char *deleg;
	size_t i, first, n;

	if ((deleg = delegation_of(z, cur(w))) != NULL) {
		/* delegated away: the zone data holds glue at most */
		if (w->resolver == NULL) {
			set_why(why, whylen, "%s is below the delegation at "
			    "%s; no resolver", cur(w), deleg);
			return STEP_FAILED;
		}
		return from_resolver(w, why, whylen);
	}
	first = zone_data_find(z, cur(w), w->type, &n);
	for (i = first; n > 0 && i < first + n; i++)
		add_addr(w, z->rrs[i].rdata, z->rrs[i].ttl);
	if (w->naddrs > 0)
		return STEP_DONE;
	first = zone_data_find(z, cur(w), DNS_TYPE_CNAME, &n);
	if (n > 0)
		return follow(w, z->rrs[first].rdata, z->rrs[first].ttl, why,
		    whylen);
	if (wildcard_for(z, cur(w), wild, sizeof(wild)) != NULL) {
		/* not synthesised here; never taken as missing */
		set_why(why, whylen, "%s could be synthesised from the "
		    "wildcard %s, which is not supported", cur(w), wild);
		return STEP_FAILED;
	}
	return STEP_MISSING;
}

/* The current name from the resolver; the CNAME chain in its answer is
 * followed, and where it ends without addresses the walk goes on. */
static enum step
from_resolver(struct walk *w, char *why, size_t whylen)
{
	char tb[16], qname[256];
	struct answer a;
	struct error err;
	enum step s = STEP_MISSING;
	uint64_t now;
	unsigned timeout;
	size_t i;
	bool moved = true;
	int rc;

	if (w->resolver == NULL) {
		set_why(why, whylen, "%s is outside the managed zones and "
		    "there is no resolver", cur(w));
		return STEP_FAILED;
	}
	snprintf(qname, sizeof(qname), "%s", cur(w));
	if ((now = mono_ms()) >= w->deadline_ms) {
		set_why(why, whylen, "not asked this pass: the pass's time "
		    "for the resolver is spent (%s %s)", qname,
		    type_name(w->type, tb, sizeof(tb)));
		w->deferred = true;
		return STEP_FAILED;
	}
	memset(&err, 0, sizeof(err));
	/* no answer may take the walk past its deadline */
	timeout = w->resolver->xo.timeout_ms;
	if (w->deadline_ms - now < timeout)
		w->resolver->xo.timeout_ms = (unsigned)(w->deadline_ms - now);
	rc = client_query(w->resolver, qname, w->type, &a, &err);
	w->resolver->xo.timeout_ms = timeout;
	if (rc == -1) {
		set_why(why, whylen, "resolver: %s (%s %s)", err.msg, qname,
		    type_name(w->type, tb, sizeof(tb)));
		return STEP_FAILED;
	}
	if (a.rcode != RCODE_NOERROR && a.rcode != RCODE_NXDOMAIN) {
		set_why(why, whylen, "resolver %s: %s for %s %s",
		    w->resolver->last_server, rcode_name(a.rcode), qname,
		    type_name(w->type, tb, sizeof(tb)));
		answer_clean(&a);
		return STEP_FAILED;
	}
	/* RFC 1034 3.6.2: the answer holds the chain from qname on.  Where
	 * it enters a managed zone, the zone data takes over. */
	while (moved) {
		moved = false;
		for (i = 0; i < a.nan && !moved; i++)
			if (a.an[i].type == DNS_TYPE_CNAME &&
			    strcasecmp(a.an[i].owner, cur(w)) == 0) {
				s = follow(w, a.an[i].rdata, a.an[i].ttl, why,
				    whylen);
				if (s == STEP_FAILED || zone_of(w, cur(w)))
					goto out;
				moved = true;
			}
	}
	for (i = 0; i < a.nan; i++)
		if (a.an[i].type == w->type &&
		    strcasecmp(a.an[i].owner, cur(w)) == 0)
			add_addr(w, a.an[i].rdata, a.an[i].ttl);
	if (w->naddrs > 0)
		s = STEP_DONE;
	else if (a.rcode == RCODE_NXDOMAIN) {
		/* RFC 6604 2.1: about the last name of the chain */
		w->nxdomain = true;
		s = STEP_MISSING;
	} else if (strcmp(cur(w), qname) == 0)
		s = STEP_MISSING;	/* no data */
	else
		s = STEP_FOLLOW;	/* ask about the chain's end */
out:
	answer_clean(&a);
	return s;
}

static enum step
walk_run(struct walk *w, char *why, size_t whylen)
{
	const struct zone_data *z;
	enum step s;

	/* Every turn either ends or adds a link, and links are bounded. */
	for (;;) {
		z = zone_of(w, cur(w));
		s = z != NULL ? from_zone(w, z, why, whylen) :
		    from_resolver(w, why, whylen);
		if (s != STEP_FOLLOW)
			return s;
	}
}

static void
walk_init(struct walk *w, const struct zone_data *zones, size_t nzones,
    struct dns_client *resolver, const struct coord_alias *aliases,
    size_t naliases, const char *name, uint16_t type, uint64_t deadline_ms)
{
	memset(w, 0, sizeof(*w));
	w->deadline_ms = deadline_ms;
	w->zones = zones;
	w->nzones = nzones;
	w->resolver = resolver;
	w->aliases = aliases;
	w->naliases = naliases;
	w->type = type;
	w->min_ttl = UINT32_MAX;
	canon(name, w->chain[0], sizeof(w->chain[0]));
	w->nchain = 1;
}

void
targets_resolve(const struct zone_data *zones, size_t nzones,
    struct dns_client *resolver, const struct coord_alias *aliases,
    size_t naliases, const char *name, struct target_result *r)
{
	targets_resolve_by(zones, nzones, resolver, aliases, naliases, name,
	    UINT64_MAX, r);
}

void
targets_resolve_by(const struct zone_data *zones, size_t nzones,
    struct dns_client *resolver, const struct coord_alias *aliases,
    size_t naliases, const char *name, uint64_t deadline_ms,
    struct target_result *r)
{
	static const uint16_t types[] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	struct walk w;
	enum step s;
	size_t t, i;
	bool found = false;

	memset(r, 0, sizeof(*r));
	r->min_ttl = UINT32_MAX;
	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		walk_init(&w, zones, nzones, resolver, aliases, naliases, name,
		    types[t], deadline_ms);
		s = walk_run(&w, r->why, sizeof(r->why));
		if (s == STEP_FAILED) {
			r->deferred = w.deferred;
			/* half an answer would drop the other family's
			 * records: nothing is known */
			r->state = TARGET_FAILED;
			r->naddrs = 0;
			r->min_ttl = 0;
			return;
		}
		if (s != STEP_DONE)
			continue;
		if (w.overflow || w.naddrs > REG_MAX_ADDRS - r->naddrs) {
			/* a cut set would delete the rest from the alias */
			set_why(r->why, sizeof(r->why), "%s has more than %d "
			    "addresses", w.chain[0], REG_MAX_ADDRS);
			r->state = TARGET_FAILED;
			r->naddrs = 0;
			r->min_ttl = 0;
			return;
		}
		found = true;
		if (w.min_ttl < r->min_ttl)
			r->min_ttl = w.min_ttl;
		for (i = 0; i < w.naddrs; i++)
			r->addrs[r->naddrs++] = w.addrs[i];
	}
	if (found) {
		r->state = TARGET_OK;
		r->why[0] = '\0';
		return;
	}
	r->state = TARGET_MISSING;
	r->min_ttl = 0;
	if (w.nxdomain)
		set_why(r->why, sizeof(r->why), "%s: no such name (NXDOMAIN)",
		    cur(&w));
	else
		set_why(r->why, sizeof(r->why), "%s has no A or AAAA records",
		    cur(&w));
	if (w.nchain > 1)
		set_why(r->why + strlen(r->why), sizeof(r->why) -
		    strlen(r->why), " (CNAME from %s)", w.chain[0]);
}
