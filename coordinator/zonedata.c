/*
 * zonedata.c - a managed zone as read by AXFR, in a compact sorted table.
 *
 * Memory.  The coordinator holds zones of 100,000 registrations and more
 * (a TXT and at least one A/AAAA RR each) and should stay within 64 MiB.
 * A malloc per string would cost a 16-byte chunk header plus rounding on
 * top of every owner and rdata, and the pool name, owner of every member's
 * address, would be stored once per member.  So the strings of a table live
 * in a private arena of large chunks, and owners are interned while the
 * table is being filled: every RR at one name points to the same bytes.
 * The arena and the intern table hang in a header allocated in front of
 * z->rrs, as early Redis keeps an sds header in front of the string, so
 * struct zone_data stays as zonedata.h declares it and can be copied by
 * value.  The intern table is dropped at zone_data_sort, when the table is
 * complete, and rebuilt only if RRs are added after that.  Hence a table
 * is built with zone_data_add only, never by pointing z->rrs at an array
 * of one's own; zone_data_find reads nothing but z->rrs and z->nrrs.
 *
 * Order: by owner (strcmp of the lower-case presentation form, trailing
 * dot), then type, then rdata, so that the table of an unchanged zone is
 * the same whatever order the server sent it in.  zone_data_find searches
 * in that order.
 */
#include "zonedata.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dnsmsg.h"
#include "log.h"
#include "numparse.h"
#include "transport.h"
#include "tsig.h"

#define TYPE_AXFR	252	/* RFC 1035 3.2.3, RFC 5936 2.1 */
#define DNS_HDR_LEN	12	/* RFC 1035 4.1.1 */
#define DNS_FLAG_QR	0x80	/* byte 2, RFC 1035 4.1.1 */

/* The longest presentation owner: 255 wire octets, each at worst "\DDD". */
#define OWNER_TEXT_MAX	1024

/* Arena chunks: large enough that chunk overhead is noise, small enough
 * that a tiny zone does not pin much.  A string longer than this (a big
 * TXT) gets a chunk of its own. */
#define CHUNK_SIZE	(64 * 1024)

/* A server that streams records forever would otherwise take all memory
 * before the deadline: 20x the largest zone we plan for. */
#define ZONE_MAX_RRS	4000000

struct chunk {
	struct chunk	*next;
	size_t		 used, size;
	char		 data[];
};

/* Hidden in front of z->rrs; z->rrs == store->rrs. */
struct zstore {
	struct chunk	*chunks;	/* newest first */
	uint32_t	*intern;	/* open addressing, 1 + index into rrs
					 * of an RR with that owner; 0 empty */
	size_t		 intern_cap;	/* power of two, or 0 */
	size_t		 intern_used;
	struct zrr	 rrs[];
};

/* --- the table ---------------------------------------------------------- */

static struct zstore *
store_of(const struct zone_data *z)
{
	if (z->rrs == NULL)
		return NULL;
	return (struct zstore *)((char *)z->rrs - offsetof(struct zstore, rrs));
}

static void
chunks_free(struct chunk *c)
{
	struct chunk *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

/* Lower case, trailing dot: the form answer_parse gives and the table
 * keeps.  Returns the length, or 0 when it does not fit in out. */
static size_t
owner_norm(const char *in, char *out, size_t outsz)
{
	size_t n = strlen(in), i;

	if (n == 0 || n + 2 > outsz)
		return 0;
	/* ASCII only (RFC 4343), whatever the locale */
	for (i = 0; i < n; i++)
		out[i] = in[i] >= 'A' && in[i] <= 'Z' ? in[i] + ('a' - 'A') :
		    in[i];
	/* A final dot after an odd run of backslashes is escaped, part of
	 * the last label: the name still needs its own. */
	for (i = n - 1; i > 0 && out[i - 1] == '\\'; i--)
		;
	if (out[n - 1] != '.' || (n - 1 - i) % 2 == 1)
		out[n++] = '.';
	out[n] = '\0';
	return n;
}

void
zone_data_init(struct zone_data *z, const char *zone)
{
	memset(z, 0, sizeof(*z));
	if (owner_norm(zone, z->name, sizeof(z->name)) == 0)
		snprintf(z->name, sizeof(z->name), "%s", zone);
}

void
zone_data_clean(struct zone_data *z)
{
	struct zstore *st;

	if (z == NULL)
		return;
	if ((st = store_of(z)) != NULL) {
		chunks_free(st->chunks);
		free(st->intern);
		free(st);
	}
	z->rrs = NULL;
	z->nrrs = z->cap = 0;
	z->serial = 0;
}

/* Copy len bytes of s and a NUL into the arena. */
static char *
arena_strdup(struct zstore *st, const char *s, size_t len)
{
	struct chunk *c = st->chunks, *big;
	char *p;

	if (c == NULL || c->size - c->used < len + 1) {
		if (len + 1 > CHUNK_SIZE / 4) {
			/* Big: a chunk of its own behind the current one,
			 * which keeps its free space. */
			big = malloc(sizeof(*big) + len + 1);
			if (big == NULL)
				return NULL;
			big->size = big->used = len + 1;
			if (c != NULL) {
				big->next = c->next;
				c->next = big;
			} else {
				big->next = NULL;
				st->chunks = big;
			}
			memcpy(big->data, s, len);
			big->data[len] = '\0';
			return big->data;
		}
		if ((c = malloc(sizeof(*c) + CHUNK_SIZE)) == NULL)
			return NULL;
		c->size = CHUNK_SIZE;
		c->used = 0;
		c->next = st->chunks;
		st->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

/* FNV-1a: short strings, and no adversary choosing them for collisions
 * (the zone's own names, from our primary over a TSIG-verified stream). */
static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	return h;
}

/* The slot of owner in the intern table: its entry, or the empty slot
 * where it would go. */
static size_t
intern_slot(const struct zstore *st, const char *owner)
{
	size_t mask = st->intern_cap - 1, i = hash_str(owner) & mask;
	uint32_t e;

	while ((e = st->intern[i]) != 0 &&
	    strcmp(st->rrs[e - 1].owner, owner) != 0)
		i = (i + 1) & mask;
	return i;
}

static int
intern_resize(struct zstore *st, size_t ncap)
{
	uint32_t *old = st->intern;
	size_t oldcap = st->intern_cap, i;

	if ((st->intern = calloc(ncap, sizeof(*st->intern))) == NULL) {
		st->intern = old;
		return -1;
	}
	st->intern_cap = ncap;
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0)
			st->intern[intern_slot(st, st->rrs[old[i] - 1].owner)] =
			    old[i];
	free(old);
	return 0;
}

/* Index RR e - 1 under its owner unless that owner is there already.
 * Keeps the table at most half full, so probes stay short. */
static int
intern_add(struct zstore *st, uint32_t e)
{
	size_t slot = intern_slot(st, st->rrs[e - 1].owner);

	if (st->intern[slot] != 0)
		return 0;
	st->intern[slot] = e;
	st->intern_used++;
	if (2 * st->intern_used > st->intern_cap)
		return intern_resize(st, st->intern_cap * 2);
	return 0;
}

/* The intern table is dropped by zone_data_sort; an add after that
 * builds it again from the RRs stored. */
static int
intern_ready(struct zstore *st, size_t nrrs)
{
	size_t i;

	if (st->intern != NULL)
		return 0;
	st->intern_used = 0;
	st->intern_cap = 0;
	if (intern_resize(st, 1024) == -1)
		return -1;
	for (i = 0; i < nrrs; i++)
		if (intern_add(st, (uint32_t)i + 1) == -1)
			return -1;
	return 0;
}

/* Room for one more RR; the store moves, so z->rrs is set again. */
static struct zstore *
store_reserve(struct zone_data *z)
{
	struct zstore *st = store_of(z), *nst;
	size_t ncap;

	if (st != NULL && z->nrrs < z->cap)
		return st;
	ncap = z->cap >= 32 ? z->cap * 2 : 64;
	if (ncap > ZONE_MAX_RRS * 2)
		return NULL;
	if ((nst = realloc(st, sizeof(*nst) + ncap * sizeof(struct zrr))) ==
	    NULL)
		return NULL;
	if (st == NULL) {
		nst->chunks = NULL;
		nst->intern = NULL;
		nst->intern_cap = nst->intern_used = 0;
	}
	z->rrs = nst->rrs;
	z->cap = ncap;
	return nst;
}

int
zone_data_add(struct zone_data *z, const char *owner, uint16_t type,
    uint32_t ttl, const char *rdata)
{
	char norm[OWNER_TEXT_MAX + 2];
	struct zstore *st;
	struct zrr *r;
	size_t len, slot;
	uint32_t e;

	if ((len = owner_norm(owner, norm, sizeof(norm))) == 0)
		return -1;
	if ((st = store_reserve(z)) == NULL ||
	    intern_ready(st, z->nrrs) == -1)
		return -1;
	r = &z->rrs[z->nrrs];
	slot = intern_slot(st, norm);
	if ((e = st->intern[slot]) != 0)
		r->owner = z->rrs[e - 1].owner;
	else if ((r->owner = arena_strdup(st, norm, len)) == NULL)
		return -1;
	if ((r->rdata = arena_strdup(st, rdata, strlen(rdata))) == NULL)
		return -1;	/* a new owner copy stays in the arena until
				 * zone_data_clean; nothing points to it */
	r->ttl = ttl;
	r->type = type;
	z->nrrs++;
	if (e == 0) {
		/* slot is still free: nothing was inserted since */
		st->intern[slot] = (uint32_t)z->nrrs;
		st->intern_used++;
		if (2 * st->intern_used > st->intern_cap &&
		    intern_resize(st, st->intern_cap * 2) == -1) {
			/* Not fatal: the next add rebuilds it. */
			free(st->intern);
			st->intern = NULL;
		}
	}
	return 0;
}

/* Owner order: plain strcmp of the normalised presentation form; the
 * same string (interned) compares equal without reading it. */
static int
owner_cmp(const char *a, const char *b)
{
	return a == b ? 0 : strcmp(a, b);
}

static int
zrr_cmp(const void *pa, const void *pb)
{
	const struct zrr *a = pa, *b = pb;
	int c;

	if ((c = owner_cmp(a->owner, b->owner)) != 0)
		return c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return strcmp(a->rdata, b->rdata);
}

void
zone_data_sort(struct zone_data *z)
{
	struct zstore *st = store_of(z), *nst;

	if (st == NULL)
		return;
	qsort(z->rrs, z->nrrs, sizeof(*z->rrs), zrr_cmp);
	/* Loading is over: the intern table is no longer needed, and the
	 * array gives back its growth slack (realloc of a large block is
	 * mremap, no copy). */
	free(st->intern);
	st->intern = NULL;
	st->intern_cap = st->intern_used = 0;
	if (z->cap - z->nrrs > 16 && (nst = realloc(st, sizeof(*nst) +
	    z->nrrs * sizeof(struct zrr))) != NULL) {
		z->rrs = nst->rrs;
		z->cap = z->nrrs;
	}
}

/* First index i with (rrs[i].owner, rrs[i].type) >= (owner, type); type
 * is 32 bits so that 65536 means "past every type of owner". */
static size_t
lower_bound(const struct zone_data *z, const char *owner, uint32_t type)
{
	size_t lo = 0, hi = z->nrrs, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(z->rrs[mid].owner, owner);
		if (c < 0 || (c == 0 && z->rrs[mid].type < type))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Reads only z->rrs and z->nrrs. */
size_t
zone_data_find(const struct zone_data *z, const char *owner, uint16_t type,
    size_t *count)
{
	char norm[OWNER_TEXT_MAX + 2];
	size_t first, end;

	*count = 0;
	if (z->nrrs == 0 || owner_norm(owner, norm, sizeof(norm)) == 0)
		return 0;
	/* Type 0 (reserved, RFC 6895 3.1) is "any type". */
	first = lower_bound(z, norm, type);
	end = lower_bound(z, norm, type == 0 ? 65536 : (uint32_t)type + 1);
	*count = end - first;
	return first;
}

/* --- AXFR ---------------------------------------------------------------- */

/* Whether name lies in zone (both normalised).  The dot before the zone
 * must be a label boundary, not an escaped dot ("a\.example.test."). */
static bool
in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), zl = strlen(zone), i;

	if (strcmp(zone, ".") == 0)
		return true;
	if (n < zl || strcmp(name + n - zl, zone) != 0)
		return false;
	if (n == zl)
		return true;
	if (name[n - zl - 1] != '.')
		return false;
	for (i = n - zl - 1; i > 0 && name[i - 1] == '\\'; i--)
		;
	return (n - zl - 1 - i) % 2 == 0;
}

/* The serial of SOA rdata "mname rname serial refresh retry expire
 * minimum" (RFC 1035 3.3.13).  Names in presentation form carry no bare
 * space (ldns writes it as \032), so fields are space-separated. */
static int
soa_serial(const char *rdata, uint32_t *serial, const char **why)
{
	const char *p = rdata, *start = NULL;
	char num[16];
	size_t fields = 0, len = 0;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (fields == 2) {
			start = p;
			len = strcspn(p, " ");
		}
		p += strcspn(p, " ");
		fields++;
	}
	*why = "not 7 fields";
	if (fields != 7 || start == NULL)
		return -1;
	*why = "serial is not a number";
	if (len >= sizeof(num))
		return -1;
	memcpy(num, start, len);
	num[len] = '\0';
	return parse_u32(num, 0, UINT32_MAX, serial, why);
}

/* One transfer from one server. */
struct axfr {
	struct dns_client	*c;
	struct zone_data	*z;
	const char		*label;		/* the server, for messages */
	struct tsig_ctx		 tc;
	const uint8_t		*req;
	size_t			 req_len;
	uint64_t		 deadline;	/* mono_ms() time */
	unsigned		 msgs;		/* messages received */
	size_t			 records;	/* answer RRs received */
	size_t			 skipped;	/* out-of-zone RRs */
	const char		*soa;		/* opening SOA rdata (z's arena) */
	bool			 done;		/* closing SOA seen */
};

static int axfr_fail(const struct axfr *, struct error *, enum err_kind,
    const char *, ...) __attribute__((format(printf, 4, 5)));

/* "127.0.0.1#5300: AXFR of example.test.: <what>" */
static int
axfr_fail(const struct axfr *x, struct error *err, enum err_kind kind,
    const char *fmt, ...)
{
	char what[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set(err, kind, "%s: AXFR of %s: %s", x->label, x->z->name,
	    what);
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 5936 2.2: every message answers our query: QR, our ID, opcode
 * QUERY; the first one also repeats the question (2.2.1). */
static int
axfr_check_header(const struct axfr *x, const uint8_t *m, size_t len,
    struct error *err)
{
	if (len < DNS_HDR_LEN)
		return axfr_fail(x, err, ERR_PROTO, "message %u: only %zu "
		    "bytes", x->msgs, len);
	if (!(m[2] & DNS_FLAG_QR))
		return axfr_fail(x, err, ERR_PROTO, "message %u is not a "
		    "response", x->msgs);
	if (rd16(m) != rd16(x->req))
		return axfr_fail(x, err, ERR_PROTO, "message %u has ID %u, "
		    "not our query's %u", x->msgs, rd16(m), rd16(x->req));
	if (((m[2] >> 3) & 0x0f) != 0)
		return axfr_fail(x, err, ERR_PROTO, "message %u: opcode %u, "
		    "not QUERY", x->msgs, (m[2] >> 3) & 0x0f);
	if (x->msgs == 1 && !xfer_answer_matches(x->req, x->req_len, m, len))
		return axfr_fail(x, err, ERR_PROTO, "the first message does "
		    "not answer our question (RFC 5936 2.2.1)");
	return 0;
}

/* The answer records of one message, in order. */
static int
axfr_records(struct axfr *x, const struct answer *a, struct error *err)
{
	struct zone_data *z = x->z;
	const struct rr *r;
	const char *why;
	char tb[16];
	uint32_t closing;
	bool soa;
	size_t i;

	if (x->msgs == 1 && a->nan == 0)
		return axfr_fail(x, err, ERR_PROTO, "the first message "
		    "carries no records");
	for (i = 0; i < a->nan; i++) {
		r = &a->an[i];
		if (x->done)
			return axfr_fail(x, err, ERR_PROTO, "message %u: "
			    "records after the closing SOA", x->msgs);
		x->records++;
		soa = r->type == DNS_TYPE_SOA && strcmp(r->owner, z->name) == 0;
		if (x->records == 1) {
			/* RFC 5936 2.2: the transfer opens with the SOA. */
			if (!soa)
				return axfr_fail(x, err, ERR_PROTO, "the first "
				    "record is %s %s, not the SOA of the zone "
				    "(RFC 5936 2.2)", r->owner,
				    type_name(r->type, tb, sizeof(tb)));
			if (soa_serial(r->rdata, &z->serial, &why) == -1)
				return axfr_fail(x, err, ERR_PROTO, "bad SOA "
				    "\"%.100s\": %s", r->rdata, why);
		} else if (soa) {
			/* ... and ends with the same SOA again. */
			if (strcmp(r->rdata, x->soa) != 0) {
				if (soa_serial(r->rdata, &closing, &why) == -1)
					closing = 0;
				return axfr_fail(x, err, ERR_PROTO, "message "
				    "%u: the closing SOA (serial %u) differs "
				    "from the opening one (serial %u)", x->msgs,
				    closing, z->serial);
			}
			x->done = true;
			continue;
		} else if (!in_zone(r->owner, z->name)) {
			/* RFC 5936 3: only the zone's own data is the zone. */
			x->skipped++;
			continue;
		}
		if (z->nrrs >= ZONE_MAX_RRS)
			return axfr_fail(x, err, ERR_PROTO, "more than %d "
			    "records: refusing to hold more", ZONE_MAX_RRS);
		if (zone_data_add(z, r->owner, r->type, r->ttl, r->rdata) == -1)
			return axfr_fail(x, err, ERR_SYS, "out of memory after "
			    "%zu records", z->nrrs);
		if (x->records == 1)
			x->soa = z->rrs[z->nrrs - 1].rdata;
	}
	return 0;
}

/* Check, verify and store one message. */
static int
axfr_message(struct axfr *x, const uint8_t *m, size_t len, struct error *err)
{
	struct answer a;
	struct error e;
	int rc;

	memset(&e, 0, sizeof(e));
	if (axfr_check_header(x, m, len, err) == -1)
		return -1;
	/* TSIG before the rcode (STYLE.md): an unsigned REFUSED to a signed
	 * query is a TSIG failure, and says so with its rcode. */
	if (x->c->key != NULL && tsig_verify(&x->tc, m, len,
	    (uint64_t)time(NULL), NULL, &e) == -1)
		return axfr_fail(x, err, e.kind, "message %u: %s", x->msgs,
		    e.msg);
	if (answer_parse(m, len, &a, &e) == -1)
		return axfr_fail(x, err, e.kind, "message %u: %s", x->msgs,
		    e.msg);
	log_debug("AXFR of %s from %s: message %u: %zu bytes, %zu records, "
	    "%s", x->z->name, x->label, x->msgs, len, a.nan,
	    x->c->key == NULL ? "no TSIG" :
	    tsig_pending_unsigned(&x->tc) == 0 ? "TSIG ok" :
	    "unsigned (covered by the next TSIG)");
	if (a.rcode != RCODE_NOERROR) {
		rc = x->msgs == 1 ?
		    axfr_fail(x, err, ERR_REFUSED, "server answered %s",
		    rcode_name(a.rcode)) :
		    axfr_fail(x, err, ERR_REFUSED, "message %u: server "
		    "answered %s (partial transfer)", x->msgs,
		    rcode_name(a.rcode));
	} else
		rc = axfr_records(x, &a, err);
	answer_clean(&a);
	return rc;
}

/* Send the query on the open connection and read the whole transfer. */
static int
axfr_run(struct axfr *x, int fd, struct error *err)
{
	struct error e;
	char late[48];
	uint8_t *m;
	size_t len;
	int rc;

	memset(&e, 0, sizeof(e));
	if (xfer_tcp_send(fd, x->req, x->req_len, x->deadline, &e) == -1)
		return axfr_fail(x, err, e.kind, "sending the query: %s", e.msg);
	while (!x->done) {
		if (xfer_tcp_recv(fd, &m, &len, x->deadline, &e) == -1) {
			late[0] = '\0';
			if (mono_ms() >= x->deadline)
				snprintf(late, sizeof(late), " (deadline of %u "
				    "ms reached)", x->c->xo.timeout_ms);
			if (x->msgs == 0)
				return axfr_fail(x, err, e.kind, "%s%s", e.msg,
				    late);
			return axfr_fail(x, err, e.kind, "%s%s (partial "
			    "transfer: %u message%s, %zu records received)",
			    e.msg, late, x->msgs, x->msgs == 1 ? "" : "s",
			    x->records);
		}
		x->msgs++;
		rc = axfr_message(x, m, len, err);
		free(m);
		if (rc == -1)
			return -1;
	}
	/* RFC 8945 5.3.1: the last message must be signed. */
	if (x->c->key != NULL && tsig_pending_unsigned(&x->tc) != 0)
		return axfr_fail(x, err, ERR_AUTH, "the last message (%u) is "
		    "not TSIG-signed (RFC 8945 5.3.1)", x->msgs);
	log_debug("AXFR of %s from %s: serial %u, %u message%s, %zu records "
	    "kept, %zu out-of-zone skipped", x->z->name, x->label,
	    x->z->serial, x->msgs, x->msgs == 1 ? "" : "s", x->z->nrrs,
	    x->skipped);
	return 0;
}

/*
 * *z is output only, as in answer_parse: it is initialised here and not
 * read, so the caller can transfer into a fresh struct and swap it in on
 * success (daemon.c does) -- and must clean an old table itself.  Servers
 * are tried in order only until one accepts the connection, each with an
 * equal share of the time left for connecting; a server that was reached
 * and then failed ends the transfer, because another server of the same
 * zone would be asked with the same key.
 */
int
zone_axfr(struct dns_client *c, const char *zone, struct zone_data *z,
    struct error *err)
{
	struct axfr x;
	struct error e;
	char tried[sizeof(err->msg)] = "";
	uint8_t *req = NULL;
	size_t len, cap, i;
	uint64_t now, until;
	int fd = -1, rc = -1;

	zone_data_init(z, zone);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.z = z;
	tsig_init(&x.tc, c->key);
	if (c->nservers == 0) {
		err_set(err, ERR_CONFIG, "AXFR of %s: no server to ask",
		    z->name);
		goto out;
	}
	/* RFC 5936 2.1: QTYPE AXFR, RD clear. */
	if (query_to_wire(z->name, TYPE_AXFR, 0, dns_random_id(), &req, &len,
	    &cap, err) == -1) {
		err_prefix(err, "AXFR of %s", z->name);
		goto out;
	}
	if (c->key != NULL &&
	    tsig_sign(&x.tc, req, &len, cap, (uint64_t)time(NULL), err) == -1) {
		err_prefix(err, "AXFR of %s", z->name);
		goto out;
	}
	x.req = req;
	x.req_len = len;
	x.deadline = mono_ms() + c->xo.timeout_ms;
	for (i = 0; i < c->nservers; i++) {
		now = mono_ms();
		if (now >= x.deadline) {
			str_append(tried, sizeof(tried), "%s%s (not tried)",
			    i > 0 ? ", " : "", c->servers[i].label);
			continue;
		}
		until = now + (x.deadline - now) / (c->nservers - i);
		memset(&e, 0, sizeof(e));
		if (xfer_tcp_open(&c->xo, &c->servers[i], &fd, until, &e) == 0)
			break;
		if (e.kind == ERR_SYS) {
			err_set(err, ERR_SYS, "AXFR of %s: %s", z->name, e.msg);
			goto out;
		}
		str_append(tried, sizeof(tried), "%s%s (%s)", i > 0 ? ", " : "",
		    c->servers[i].label, e.msg);
	}
	if (fd == -1) {
		err_set(err, ERR_NET, "AXFR of %s: no server reachable: %s",
		    z->name, tried);
		goto out;
	}
	x.label = c->servers[i].label;
	snprintf(c->last_server, sizeof(c->last_server), "%s", x.label);
	rc = axfr_run(&x, fd, err);
	close(fd);
out:
	tsig_ctx_clean(&x.tc);
	free(req);
	if (rc == 0)
		zone_data_sort(z);
	else
		zone_data_clean(z);	/* never a partial view */
	return rc;
}

/* --- SOA serial ---------------------------------------------------------- */

/* "server: SOA of zone: reason" when the client's error names the server
 * that answered ("127.0.0.1#53: answer is not TSIG-signed ..."), else
 * "SOA of zone: reason" (the transport names every server it tried). */
static int
serial_fail(const struct dns_client *c, const char *zone, struct error *err)
{
	char rest[sizeof(err->msg)];
	size_t n = strlen(c->last_server);

	if (err == NULL)
		return -1;
	if (n > 0 && strncmp(err->msg, c->last_server, n) == 0 &&
	    strncmp(err->msg + n, ": ", 2) == 0) {
		snprintf(rest, sizeof(rest), "%s", err->msg + n + 2);
		return err_set(err, err->kind, "%s: SOA of %s: %s",
		    c->last_server, zone, rest);
	}
	return err_prefix(err, "SOA of %s", zone);
}

int
zone_serial(struct dns_client *c, const char *zone, uint32_t *serial,
    struct error *err)
{
	char name[OWNER_TEXT_MAX + 2], tb[16];
	struct answer a;
	const char *why;
	size_t i;
	int rc = -1;

	if (owner_norm(zone, name, sizeof(name)) == 0)
		return err_set(err, ERR_CONFIG, "bad zone name \"%.100s\"",
		    zone);
	memset(&a, 0, sizeof(a));
	if (client_query(c, name, DNS_TYPE_SOA, &a, err) == -1)
		return serial_fail(c, name, err);
	if (a.rcode != RCODE_NOERROR) {
		err_set(err, ERR_REFUSED, "%s: SOA of %s: server answered %s",
		    c->last_server, name, rcode_name(a.rcode));
		goto out;
	}
	for (i = 0; i < a.nan; i++) {
		if (a.an[i].type != DNS_TYPE_SOA ||
		    strcmp(a.an[i].owner, name) != 0)
			continue;
		if (soa_serial(a.an[i].rdata, serial, &why) == -1)
			err_set(err, ERR_PROTO, "%s: SOA of %s: bad SOA "
			    "\"%.100s\": %s", c->last_server, name,
			    a.an[i].rdata, why);
		else
			rc = 0;
		goto out;
	}
	/* A NOERROR/NODATA answer with the SOA of an enclosing zone: the
	 * name is not a zone apex on this server. */
	for (i = 0; i < a.nns; i++) {
		if (a.ns[i].type == DNS_TYPE_SOA) {
			err_set(err, ERR_PROTO, "%s: SOA of %s: no such zone "
			    "on this server (the name is in zone %s)",
			    c->last_server, name, a.ns[i].owner);
			goto out;
		}
	}
	err_set(err, ERR_PROTO, "%s: SOA of %s: no %s record in the answer",
	    c->last_server, name, type_name(DNS_TYPE_SOA, tb, sizeof(tb)));
out:
	answer_clean(&a);
	return rc;
}
