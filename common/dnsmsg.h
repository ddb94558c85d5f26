/*
 * dnsmsg.h - DNS messages: the only module that builds or parses packets
 * with ldns.  Callers describe an UPDATE as a list of plain operations and
 * get answers back as plain structs.
 */
#ifndef RC_DNSMSG_H
#define RC_DNSMSG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

/* RFC 1035 4.1.1, RFC 2136 2.2 */
enum dns_rcode {
	RCODE_NOERROR = 0, RCODE_FORMERR = 1, RCODE_SERVFAIL = 2,
	RCODE_NXDOMAIN = 3, RCODE_NOTIMP = 4, RCODE_REFUSED = 5,
	RCODE_YXDOMAIN = 6, RCODE_YXRRSET = 7, RCODE_NXRRSET = 8,
	RCODE_NOTAUTH = 9, RCODE_NOTZONE = 10,
};

#define DNS_TYPE_A	1
#define DNS_TYPE_NS	2
#define DNS_TYPE_CNAME	5
#define DNS_TYPE_SOA	6
#define DNS_TYPE_TXT	16
#define DNS_TYPE_AAAA	28

/* RFC 9664 2: Update Lease EDNS(0) option */
#define EDNS_OPT_UPDATE_LEASE	2

enum op_kind {
	OP_NXRRSET,	/* prereq: RRset does not exist (RFC 2136 2.4.3) */
	OP_YXRRSET_VAL,	/* prereq: RRset is exactly these RRs (2.4.2);
			 * one op per RR, all of one name/type together */
	OP_ADD,		/* update: add RR (2.5.1) */
	OP_DEL_RRSET,	/* update: delete an RRset (2.5.2) */
	OP_DEL_RR,	/* update: delete one RR (2.5.4) */
};

struct op {
	enum op_kind	kind;
	char		owner[256];	/* absolute, trailing dot */
	uint16_t	type;
	uint32_t	ttl;		/* OP_ADD only */
	char		*rdata;		/* presentation; NULL for RRset ops */
};

/* An UPDATE for one zone.  update_* functions own the op strings. */
struct update {
	char		zone[256];
	struct op	*ops;
	size_t		nops, cap;
	uint32_t	lease;		/* Update Lease to send; 0 = none */
};

void	update_init(struct update *u, const char *zone, uint32_t lease);
void	update_clean(struct update *u);
/* rdata may be NULL for RRset operations.  Returns 0 or -1 (no memory). */
int	update_add(struct update *u, enum op_kind kind, const char *owner,
	    uint16_t type, uint32_t ttl, const char *rdata);
/* Number of operations in the update section (not prerequisites). */
size_t	update_count_changes(const struct update *u);

/* Encode as an UPDATE message with the given ID (RD clear), with the Update
 * Lease option when u->lease != 0.  *wire is malloc'd with room for a TSIG
 * RR (cap in *cap).  Returns 0 or -1 with ERR_CONFIG for bad rdata.
 * Encoded here, names compressed; ldns parses only what this code leaves
 * to it (escaped names, types other than A, AAAA and TXT). */
int	update_to_wire(const struct update *u, uint16_t id, uint8_t **wire,
	    size_t *len, size_t *cap, struct error *err);

/* Print u as nsupdate commands (prereq/update lines, then "send").  The
 * caller prints "server" and "zone" lines before. */
void	update_print_nsupdate(const struct update *u, FILE *out);

/* Encode a query for name/type (RD set if rd).  Same ownership as above. */
int	query_to_wire(const char *name, uint16_t type, int rd, uint16_t id,
	    uint8_t **wire, size_t *len, size_t *cap, struct error *err);

/* One RR of an answer, in presentation form. */
struct rr {
	char		owner[256];
	uint16_t	type;
	uint32_t	ttl;
	char		*rdata;
};

struct answer {
	int		rcode;
	int		aa;
	struct rr	*an;		/* answer section */
	size_t		nan;
	struct rr	*ns;		/* authority section */
	size_t		nns;
};

/* True if rr has this owner (compared without case, RFC 4343) and type. */
bool	rr_is(const struct rr *rr, const char *owner, uint16_t type);

/* Parse a whole message (TSIG RR, if any, is left out of the lists).
 * The rcode includes the EDNS extended bits (RFC 6891 6.1.3).
 * Returns 0 or -1 with ERR_PROTO. */
int	answer_parse(const uint8_t *wire, size_t len, struct answer *a,
	    struct error *err);
void	answer_clean(struct answer *a);

/*
 * A NOTIFY request (RFC 1996 3.7): its zone, lower case with trailing dot,
 * and the reply to send (ID and question echoed, QR and AA set, NOERROR) in
 * a malloc'd *reply.  -1 when the message is not a NOTIFY query.
 */
int	notify_parse(const uint8_t *wire, size_t len, char *zone,
	    size_t zonelen, uint8_t **reply, size_t *replylen);

/* "NOERROR", "REFUSED", ... ("RCODE23" for unknown). */
const char	*rcode_name(int rcode);
/* "A", "AAAA", "TXT", ... */
const char	*type_name(uint16_t type, char *buf, size_t len);

/* The message in dig's presentation format, malloc'd (debug output).  TSIG
 * RRs show the MAC, never the secret, which is not in the message. */
char	*msg_to_text(const uint8_t *wire, size_t len);

#endif
