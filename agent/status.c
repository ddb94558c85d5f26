#include "status.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Label column of the block: "other members" is the longest label. */
#define LABEL_W	13

static const char *
reg_word(enum reg_state s)
{
	switch (s) {
	case REG_NONE:		return "none";
	case REG_UNREADABLE:	return "unreadable";
	case REG_FRESH:		return "fresh";
	case REG_EXPIRED:	return "expired";
	}
	return "?";
}

/* An unreadable registration of several TXT RRs still owns the
 * addresses of those that parse (plan.h, reg_read.owned). */
static bool
is_own(const struct pool_status *s, const struct reg_addr *a)
{
	return s->reg != REG_NONE && reg_has_addr(s->own, a);
}

/* IPv4 before IPv6, then by value: the order an operator reads. */
static int
addr_cmp(const void *x, const void *y)
{
	const struct reg_addr *a = x, *b = y;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	return memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16);
}

/* The other members, sorted (the server's order is its own); a malloc'd
 * array of *n, or NULL (no members, or no memory: the caller then
 * prints s->members in the server's order). */
static struct reg_addr *
others_sorted(const struct pool_status *s, size_t *n)
{
	struct reg_addr *v;

	*n = 0;
	if (s->nmembers == 0 ||
	    (v = calloc(s->nmembers, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < s->nmembers; i++)
		if (!is_own(s, &s->members[i]))
			v[(*n)++] = s->members[i];
	qsort(v, *n, sizeof(*v), addr_cmp);
	return v;
}

static size_t
nown(const struct pool_status *s)
{
	return s->reg != REG_NONE ? s->own->naddrs : 0;
}

void
status_print(FILE *out, const struct pool_status *s)
{
	struct reg_addr *sorted;
	char a[64];
	size_t i, others = 0, nsorted;

	fprintf(out, "pool %s (zone %s, server %s)\n", s->pool, s->zone,
	    s->server);
	fprintf(out, "  %-*s  %s\n", LABEL_W, "host", s->host_id);
	fprintf(out, "  %-*s  ", LABEL_W, "registration");
	if (s->reg == REG_NONE)
		fprintf(out, "not registered\n");
	else if (s->reg == REG_UNREADABLE)
		fprintf(out, "unreadable: %s\n", s->why);
	else
		fprintf(out, "%s: heartbeat %lld s ago, lease %u s\n",
		    s->reg == REG_FRESH ? "fresh" : "EXPIRED", s->age,
		    s->lease);
	/* one address a line: each has a state of its own */
	for (i = 0; i < nown(s); i++) {
		reg_addr_format(&s->own->addrs[i], a, sizeof(a));
		fprintf(out, "  %-*s  %s (%s)\n", LABEL_W, i == 0 ?
		    "own addresses" : "", a, s->published[i] ? "published" :
		    "MISSING");
	}
	if (nown(s) == 0)
		fprintf(out, "  %-*s  none\n", LABEL_W, "own addresses");
	fprintf(out, "  %-*s ", LABEL_W, "other members");
	if ((sorted = others_sorted(s, &nsorted)) != NULL) {
		for (i = 0; i < nsorted; i++) {
			reg_addr_format(&sorted[i], a, sizeof(a));
			fprintf(out, " %s", a);
			others++;
		}
		free(sorted);
	} else
		for (i = 0; i < s->nmembers; i++) {
			if (is_own(s, &s->members[i]))
				continue;
			reg_addr_format(&s->members[i], a, sizeof(a));
			fprintf(out, " %s", a);
			others++;
		}
	fprintf(out, "%s\n", others ? "" : " none");
}

void
status_doc_begin(struct status_doc *d, FILE *out,
    const struct agent_conf *conf, uint64_t now)
{
	memset(d, 0, sizeof(*d));
	d->conf = conf;
	json_init(&d->j, out);
	json_obj(&d->j, NULL);
	json_str(&d->j, "host_id", conf->host_id);
	json_uint(&d->j, "time", now);
	json_arr(&d->j, "pools");
}

void
status_doc_pool(struct status_doc *d, size_t i, const struct pool_status *s)
{
	struct json *j = &d->j;
	bool known = s->reg == REG_FRESH || s->reg == REG_EXPIRED;
	struct reg_addr *sorted;
	size_t nsorted;
	char a[64];

	if (i < CONF_MAX_POOLS)
		d->seen[i] = true;
	json_obj(j, NULL);
	json_str(j, "pool", s->pool);
	json_str(j, "zone", s->zone);
	json_str(j, "server", s->server);
	json_str(j, "registration", reg_word(s->reg));
	json_str(j, "why", s->reg == REG_UNREADABLE ? s->why : NULL);
	if (known) {
		json_uint(j, "heartbeat", s->heartbeat);
		json_int(j, "age", s->age);
		json_uint(j, "lease", s->lease);
	} else {
		json_null(j, "heartbeat");
		json_null(j, "age");
		json_null(j, "lease");
	}
	json_arr(j, "addresses");
	for (size_t k = 0; k < nown(s); k++) {
		reg_addr_format(&s->own->addrs[k], a, sizeof(a));
		json_obj(j, NULL);
		json_str(j, "address", a);
		json_bool(j, "published", s->published[k]);
		json_end(j);
	}
	json_end(j);
	json_arr(j, "other_members");
	if ((sorted = others_sorted(s, &nsorted)) != NULL) {
		for (size_t k = 0; k < nsorted; k++) {
			reg_addr_format(&sorted[k], a, sizeof(a));
			json_str(j, NULL, a);
		}
		free(sorted);
	} else
		for (size_t k = 0; k < s->nmembers; k++) {
			if (is_own(s, &s->members[k]))
				continue;
			reg_addr_format(&s->members[k], a, sizeof(a));
			json_str(j, NULL, a);
		}
	json_end(j);
	json_bool(j, "ok", s->ok);
	json_null(j, "error");
	json_end(j);
}

void
status_doc_error(struct status_doc *d, size_t i, const char *msg)
{
	struct json *j = &d->j;

	if (i >= d->conf->npools)
		return;
	d->seen[i] = true;
	json_obj(j, NULL);
	json_str(j, "pool", d->conf->pools[i].name);
	json_bool(j, "ok", false);
	json_str(j, "error", msg);
	json_end(j);
}

int
status_doc_end(struct status_doc *d, bool ok)
{
	for (size_t i = 0; i < d->conf->npools; i++)
		if (!d->seen[i])
			status_doc_error(d, i, "not read: its zone or primary "
			    "was not found (see the error logged)");
	json_end(&d->j);
	json_bool(&d->j, "ok", ok);
	return json_end(&d->j);
}
