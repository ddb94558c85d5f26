#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void
plan_reg_name(const char *host_id, const char *pool, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s.%s.%s", host_id, REG_LABEL, pool);
}

static void
merge_owned(struct registration *into, const struct registration *r)
{
	size_t i;

	for (i = 0; i < r->naddrs && into->naddrs < REG_MAX_ADDRS; i++)
		if (!reg_has_addr(into, &r->addrs[i]))
			into->addrs[into->naddrs++] = r->addrs[i];
	if (r->heartbeat > into->heartbeat) {
		into->heartbeat = r->heartbeat;
		into->lease = r->lease;
	}
}

int
reg_read_add(struct reg_read *r, const char *text)
{
	struct registration reg;
	struct error err;

	char **t = realloc(r->text, (r->nrr + 1) * sizeof(*t));

	if (t == NULL)
		return -1;
	r->text = t;
	if ((r->text[r->nrr] = strdup(text)) == NULL)
		return -1;
	if (r->nrr++ == 0)
		r->valid = true;
	if (reg_parse(text, &reg, &err) == -1) {
		if (r->valid)
			snprintf(r->why, sizeof(r->why), "%.*s",
			    (int)sizeof(r->why) - 1, err.msg);
		r->valid = false;
		return 0;
	}
	merge_owned(&r->owned, &reg);
	return 0;
}

void
reg_read_clean(struct reg_read *r)
{
	size_t i;

	for (i = 0; i < r->nrr; i++)
		free(r->text[i]);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

bool
reg_read_is(const struct reg_read *r, const char *text)
{
	return r->nrr == 1 && strcmp(r->text[0], text) == 0;
}

static uint16_t
addr_type(const struct reg_addr *a)
{
	return a->family == AF_INET ? DNS_TYPE_A : DNS_TYPE_AAAA;
}

/* RFC 2136 2.4.2/2.4.3: the registration is still exactly what was read,
 * and neither name is a CNAME (data beside one is silently dropped). */
static int
add_prereq(struct update *u, const char *pool, const char *regname,
    const struct reg_read *cur)
{
	size_t i;

	if (update_add(u, OP_NXRRSET, pool, DNS_TYPE_CNAME, 0, NULL) == -1 ||
	    update_add(u, OP_NXRRSET, regname, DNS_TYPE_CNAME, 0, NULL) == -1)
		return -1;

	if (cur->nrr == 0)
		return update_add(u, OP_NXRRSET, regname, DNS_TYPE_TXT, 0, NULL);
	for (i = 0; i < cur->nrr; i++)
		if (update_add(u, OP_YXRRSET_VAL, regname, DNS_TYPE_TXT, 0,
		    cur->text[i]) == -1)
			return -1;
	return 0;
}

/* Delete, one RR at a time, each owned address not in keep (NULL: all). */
static int
delete_owned(struct update *u, const char *pool, const struct registration *owned,
    const struct registration *keep)
{
	char text[64];
	size_t i;

	for (i = 0; i < owned->naddrs; i++) {
		if (keep != NULL && reg_has_addr(keep, &owned->addrs[i]))
			continue;
		reg_addr_format(&owned->addrs[i], text, sizeof(text));
		if (update_add(u, OP_DEL_RR, pool, addr_type(&owned->addrs[i]),
		    0, text) == -1)
			return -1;
	}
	return 0;
}

/* The host's configured addresses not already deleted as owned. */
static int
delete_configured(struct update *u, const struct plan_input *in,
    const struct registration *owned)
{
	struct registration conf;
	size_t i;

	memset(&conf, 0, sizeof(conf));
	for (i = 0; i < in->naddrs && i < REG_MAX_ADDRS; i++)
		conf.addrs[conf.naddrs++] = in->addrs[i];
	return delete_owned(u, in->pool->name, &conf, owned);
}

static int
plan_register(const struct plan_input *in, const struct reg_read *cur,
    const char *regname, struct update *u, char *newtext, size_t newtextlen)
{
	struct registration next;
	char text[64];
	size_t i;

	memset(&next, 0, sizeof(next));
	next.heartbeat = in->now;
	next.lease = in->lease;
	for (i = 0; i < in->naddrs && i < REG_MAX_ADDRS; i++)
		next.addrs[next.naddrs++] = in->addrs[i];
	if (reg_format(&next, newtext, newtextlen) == -1)
		return -1;

	if (cur->nrr > 0 &&
	    update_add(u, OP_DEL_RRSET, regname, DNS_TYPE_TXT, 0, NULL) == -1)
		return -1;
	if (update_add(u, OP_ADD, regname, DNS_TYPE_TXT, in->pool->ttl,
	    newtext) == -1)
		return -1;
	for (i = 0; i < next.naddrs; i++) {
		reg_addr_format(&next.addrs[i], text, sizeof(text));
		if (update_add(u, OP_ADD, in->pool->name,
		    addr_type(&next.addrs[i]), in->pool->ttl, text) == -1)
			return -1;
	}
	/* renumbering: what the host listed before and no longer has */
	return delete_owned(u, in->pool->name, &cur->owned, &next);
}

int
plan_pool(enum plan_action action, const struct plan_input *in,
    const struct reg_read *cur, struct update *u, char *newtext,
    size_t newtextlen)
{
	char regname[512];

	plan_reg_name(in->host_id, in->pool->name, regname, sizeof(regname));
	if (newtextlen > 0)
		newtext[0] = '\0';
	if (action == PLAN_DEREGISTER && cur->nrr == 0)
		return 0;	/* nothing of ours is there */
	if (add_prereq(u, in->pool->name, regname, cur) == -1)
		return -1;
	if (action == PLAN_REGISTER)
		return plan_register(in, cur, regname, u, newtext, newtextlen);
	if (delete_owned(u, in->pool->name, &cur->owned, NULL) == -1)
		return -1;
	if (!cur->valid && delete_configured(u, in, &cur->owned) == -1)
		return -1;
	return update_add(u, OP_DEL_RRSET, regname, DNS_TYPE_TXT, 0, NULL);
}
