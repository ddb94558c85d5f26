/*
 * zonedata.h - a managed zone as read by AXFR: its RRs in a compact sorted
 * table the planner searches.  Only what rollcall needs is kept: every RR
 * of the zone, owner and rdata in presentation form (lower-case owners).
 */
#ifndef RC_ZONEDATA_H
#define RC_ZONEDATA_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "error.h"

struct zrr {
	char		*owner;		/* absolute, lower case, trailing dot */
	char		*rdata;		/* presentation form */
	uint32_t	 ttl;
	uint16_t	 type;
};

struct zone_data {
	char		 name[256];	/* the zone, normalised */
	uint32_t	 serial;
	struct zrr	*rrs;		/* sorted by owner, then type */
	size_t		 nrrs, cap;
};

void	zone_data_init(struct zone_data *z, const char *zone);
void	zone_data_clean(struct zone_data *z);
/* Append one RR (copied).  -1: no memory. */
int	zone_data_add(struct zone_data *z, const char *owner, uint16_t type,
	    uint32_t ttl, const char *rdata);
/* Sort after the last add; finding needs it. */
void	zone_data_sort(struct zone_data *z);
/* Index of the first RR at owner with type (0 = any type), and how many
 * follow; *count 0 and the return value meaningless when there are none. */
size_t	zone_data_find(const struct zone_data *z, const char *owner,
	    uint16_t type, size_t *count);

/*
 * Read the whole zone by AXFR over TCP from the first of c's servers that
 * answers (RFC 5936), verifying every message's TSIG (RFC 8945 5.3.1: the
 * first with the request MAC, then chained; at most 99 unsigned in a row;
 * the last one signed).  The transfer must start and end with the same SOA.
 * Any failure -- refused, TSIG, truncated stream, timeout -- returns -1 and
 * leaves *z empty: a partial view is never returned.
 */
int	zone_axfr(struct dns_client *c, const char *zone, struct zone_data *z,
	    struct error *err);

/* The zone's SOA serial by one signed query.  -1 on any failure. */
int	zone_serial(struct dns_client *c, const char *zone, uint32_t *serial,
	    struct error *err);

#endif
