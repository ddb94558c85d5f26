#include "discover.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "numparse.h"

int
discover_resolvers(const struct conf_net *n, const char *resolv_conf,
    struct dns_client *c, struct error *err)
{
	char line[512], addr[64];
	FILE *f;

	c->nservers = 0;
	c->recursive = 1;
	if (n->resolver[0] != '\0') {
		if (server_from_string(n->resolver, n->resolver_port,
		    &c->servers[0], err) == -1)
			return -1;
		c->nservers = 1;
		return 0;
	}
	if ((f = fopen(resolv_conf, "r")) == NULL)
		return err_set(err, ERR_CONFIG, "%s: cannot read it to find the "
		    "zone's primary; set server and zone", resolv_conf);
	while (fgets(line, sizeof(line), f) != NULL &&
	    c->nservers < CONF_MAX_SERVERS) {
		if (sscanf(line, " nameserver %63s", addr) != 1)
			continue;
		/* an unusable line (scoped IPv6, say) is skipped as the
		 * C library's resolver skips it */
		if (server_from_string(addr, 53, &c->servers[c->nservers],
		    NULL) == 0)
			c->nservers++;
	}
	fclose(f);
	if (c->nservers == 0)
		return err_set(err, ERR_CONFIG, "%s: no usable nameserver line "
		    "to find the zone's primary; set server and zone",
		    resolv_conf);
	return 0;
}

/* The SOA that answers for qname: in the answer section when qname is
 * the apex, else in the authority section of a NODATA/NXDOMAIN answer. */
static const struct rr *
find_soa(const struct answer *a, const char *qname)
{
	size_t i;

	for (i = 0; i < a->nan; i++)
		if (rr_is(&a->an[i], qname, DNS_TYPE_SOA))
			return &a->an[i];
	for (i = 0; i < a->nns; i++)
		if (a->ns[i].type == DNS_TYPE_SOA &&
		    dname_is_subdomain(qname, a->ns[i].owner))
			return &a->ns[i];
	return NULL;
}

/* MNAME, the first field of SOA rdata, lower case ("" if absent). */
static void
soa_mname(const char *rdata, char *mname, size_t len)
{
	size_t i = 0;

	for (; *rdata != '\0' && *rdata != ' ' && i + 1 < len; rdata++)
		mname[i++] = (char)tolower((unsigned char)*rdata);
	mname[i] = '\0';
}

int
discover_zone(struct dns_client *c, const char *name, char *zone,
    size_t zonelen, char *mname, size_t mnamelen, struct error *err)
{
	const char *q = name;
	const struct rr *soa;
	struct answer a;

	for (;;) {
		if (client_query(c, q, DNS_TYPE_SOA, &a, err) == -1)
			return err_prefix(err, "looking for the zone of %s", name);
		if (a.rcode != RCODE_NOERROR && a.rcode != RCODE_NXDOMAIN) {
			err_set(err, ERR_REFUSED, "%s answered %s to the SOA "
			    "query for %s", c->last_server, rcode_name(a.rcode), q);
			answer_clean(&a);
			return -1;
		}
		if ((soa = find_soa(&a, q)) != NULL) {
			snprintf(zone, zonelen, "%s", soa->owner);
			soa_mname(soa->rdata, mname, mnamelen);
			answer_clean(&a);
			return 0;
		}
		answer_clean(&a);
		/* strip one label (RFC 2136 4.3: how clients find the zone) */
		q = strchr(q, '.');
		if (q == NULL || *++q == '\0')
			return err_set(err, ERR_CONFIG, "no zone found that "
			    "encloses %s (asked %s); set zone", name,
			    c->last_server);
	}
}

static int
add_addresses(struct dns_client *resolver, const char *mname, uint16_t type,
    uint16_t port, struct dns_client *out, struct error *err)
{
	struct answer a;
	size_t i;

	if (client_query(resolver, mname, type, &a, err) == -1)
		return -1;
	for (i = 0; i < a.nan && out->nservers < CONF_MAX_SERVERS; i++) {
		if (!rr_is(&a.an[i], mname, type))
			continue;
		if (server_from_string(a.an[i].rdata, port,
		    &out->servers[out->nservers], NULL) == 0)
			out->nservers++;
	}
	answer_clean(&a);
	return 0;
}

int
discover_primary(struct dns_client *resolver, const char *mname,
    uint16_t port, struct dns_client *out, struct error *err)
{
	out->nservers = 0;
	if (mname[0] == '\0')
		return err_set(err, ERR_PROTO, "SOA without MNAME");
	if (add_addresses(resolver, mname, DNS_TYPE_A, port, out, err) == -1 ||
	    add_addresses(resolver, mname, DNS_TYPE_AAAA, port, out, err) == -1)
		return err_prefix(err, "resolving primary %s", mname);
	if (out->nservers == 0)
		return err_set(err, ERR_CONFIG, "primary %s (SOA MNAME) has no "
		    "address; set server", mname);
	return 0;
}
