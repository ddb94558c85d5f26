/*
 * apply.h - send planned actions as few UPDATE messages as possible.
 *
 * Actions of one zone are packed into one UPDATE (the server's cost is per
 * message: BIND goes from ~320 to ~2,500 updates/s when batched), bounded
 * by the DNS message size (65,535 octets over TCP, prerequisites and TSIG
 * included).  A batch that fails its prerequisites (NXRRSET, YXRRSET,
 * NXDOMAIN, YXDOMAIN) is split in halves and each half retried, down to
 * single actions; a single action that still fails lost a race (a host
 * heartbeated in between) and is dropped: the next pass re-reads the zone.
 * A batch refused (REFUSED, NOTAUTH, NOTZONE, FORMERR, SERVFAIL) is split
 * the same way, so that one action the key may not write does not hold
 * back the others; a single action refused is logged and counted failed.
 * RFC 2136 3.2.5 checks the value-dependent prerequisites of one name and
 * type against the RRset as a whole, so actions that state different
 * things about one RRset go in different UPDATEs, and one stated by
 * several actions is sent once.
 */
#ifndef RC_APPLY_H
#define RC_APPLY_H

#include <stdbool.h>
#include <stdio.h>

#include "client.h"
#include "cplan.h"

/* Answers by rcode: 0 .. APPLY_RCODES - 2, and the rest together in the
 * last slot (extended rcodes, RFC 6891 6.1.3, that RFC 2136 does not use). */
#define APPLY_RCODES	24

struct apply_stats {
	size_t	messages;	/* UPDATE messages sent */
	size_t	bytes;		/* their size on the wire, TSIG included */
	size_t	applied;	/* actions the server accepted */
	size_t	raced;		/* actions dropped on a failed prerequisite */
	size_t	failed;		/* actions not applied for another reason */
	int	last_rcode;	/* of the last failure, for messages */
	/* the same by kind of action (metrics), indexed by action_kind */
	size_t	applied_kind[ACT_KINDS];
	size_t	raced_kind[ACT_KINDS];
	size_t	failed_kind[ACT_KINDS];
	size_t	rcodes[APPLY_RCODES];	/* answers to UPDATEs by rcode */
};

/* Add st to sum, field by field (last_rcode: st's, when it has one). */
void	apply_stats_add(struct apply_stats *sum, const struct apply_stats *st);

/*
 * Send p's actions through c.  dry_run: print them as nsupdate scripts on
 * out instead (server/zone lines, one "send" per batch) and send nothing;
 * st then counts the batches printed in messages/bytes, nothing else.
 * Each applied action is logged at info level (one line naming its
 * subject and the addresses it added and deleted); each dropped one too,
 * with the rcode; a refused one is written into p->refused_rcode instead
 * when the caller gave that array.  Returns 0 when the
 * server could be reached and answered every batch (races are not
 * errors), -1 with err (ERR_NET, ERR_AUTH, ERR_REFUSED) otherwise: the
 * caller backs off.  A transport or TSIG error stops at once; refused
 * actions do not stop the others, but the call still returns -1 at the
 * end, with the first refusal in err and its rcode in st->last_rcode.  Batches above 1232 octets go over TCP from the start.
 * An action that cannot be sent even alone (larger than a message, bad
 * rdata) is logged, counted in st->failed and skipped.
 *
 * Test-only hook, for the integration suite's race test: when the
 * environment variable ROLLCALL_TEST_PAUSE_FILE names a path, apply_plan
 * creates PATH.waiting before it sends the first batch of the call, waits
 * (polling every 20 ms, at most 30 s) until PATH exists, removes both and
 * goes on.  Never set it in production: it stalls the coordinator.
 */
int	apply_plan(struct dns_client *c, const struct plan *p, bool dry_run,
	    FILE *out, struct apply_stats *st, struct error *err);

/* Wire size the actions [i, j) (all of one zone) take as one UPDATE, for
 * batching: the encoded message plus the room kept for a TSIG RR, so a
 * batch fits when this is <= 65535.  SIZE_MAX when they do not fit in a
 * message at all (or on no memory); 0 for an empty range. */
size_t	apply_batch_size(const struct plan *p, size_t i, size_t j);

#endif
