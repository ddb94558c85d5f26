/*
 * targets.h - resolve alias targets to addresses.
 *
 * A target inside a managed zone is read from that zone's data (the AXFR
 * the coordinator already holds); anything else is asked of the resolver
 * (the configured `resolver`, else /etc/resolv.conf), with its TTLs.
 * CNAME chains are followed, at most CONF_MAX_CNAME_CHAIN links, across
 * zone data and resolver alike.  A loop is TARGET_FAILED, and so is a
 * chain whose CNAME leads to a configured alias (the coordinator's own
 * output: the alias would feed on itself).
 */
#ifndef RC_TARGETS_H
#define RC_TARGETS_H

#include "client.h"
#include "cplan.h"
#include "zonedata.h"

/*
 * Resolve name.  zones[0..nzones) are the managed zones' data; resolver may
 * be NULL when no out-of-zone name is expected (then such a name is
 * TARGET_FAILED).  aliases[0..naliases) are the configured aliases (NULL,
 * 0: none): a CNAME link (in the zone data or in a resolver's answer) to
 * one of their names makes name TARGET_FAILED with why "CNAME chain
 * through alias X (a loop)".  name itself may be an alias (aliases of
 * aliases are checked for cycles at load).  Never fails as a call: the
 * outcome is in *r.
 */
void	targets_resolve(const struct zone_data *zones, size_t nzones,
	    struct dns_client *resolver, const struct coord_alias *aliases,
	    size_t naliases, const char *name, struct target_result *r);

/*
 * The same with a deadline (mono_ms() time) for every resolver query the
 * walk makes: each is given at most what is left of it, and once it has
 * passed the walk asks nothing more: name is TARGET_FAILED with
 * r->deferred set.  The zone data needs no time and is always read.
 */
void	targets_resolve_by(const struct zone_data *zones, size_t nzones,
	    struct dns_client *resolver, const struct coord_alias *aliases,
	    size_t naliases, const char *name, uint64_t deadline_ms,
	    struct target_result *r);

#endif
