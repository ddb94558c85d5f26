#include "dnsmsg.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

/* Room kept after a built message for the TSIG RR (RFC 8945 4.2): owner
 * and algorithm names, fixed fields and a MAC of up to 64 octets. */
#define TSIG_ROOM	600
#define EDNS_UDP_SIZE	1232	/* DNS flag day 2020 */

void
update_init(struct update *u, const char *zone, uint32_t lease)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->zone, sizeof(u->zone), "%s", zone);
	u->lease = lease;
}

void
update_clean(struct update *u)
{
	size_t i;

	for (i = 0; i < u->nops; i++)
		free(u->ops[i].rdata);
	free(u->ops);
	memset(u, 0, sizeof(*u));
}

int
update_add(struct update *u, enum op_kind kind, const char *owner,
    uint16_t type, uint32_t ttl, const char *rdata)
{
	struct op *op;

	if (u->nops == u->cap) {
		size_t ncap = u->cap ? u->cap * 2 : 8;
		struct op *n = realloc(u->ops, ncap * sizeof(*n));

		if (n == NULL)
			return -1;
		u->ops = n;
		u->cap = ncap;
	}
	op = &u->ops[u->nops];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	snprintf(op->owner, sizeof(op->owner), "%s", owner);
	op->type = type;
	op->ttl = ttl;
	if (rdata != NULL && (op->rdata = strdup(rdata)) == NULL)
		return -1;
	u->nops++;
	return 0;
}

static int
is_prereq(enum op_kind k)
{
	return k == OP_NXRRSET || k == OP_YXRRSET_VAL;
}

size_t
update_count_changes(const struct update *u)
{
	size_t i, n = 0;

	for (i = 0; i < u->nops; i++)
		n += !is_prereq(u->ops[i].kind);
	return n;
}

const char *
type_name(uint16_t type, char *buf, size_t len)
{
	const ldns_rr_descriptor *d = ldns_rr_descript(type);

	if (d != NULL && d->_name != NULL)
		return d->_name;
	snprintf(buf, len, "TYPE%u", type);
	return buf;
}

/* An RR without rdata (RFC 2136 2.4.3, 2.5.2): ldns_rr_new_frm_str
 * insists on rdata, so build it field by field. */
static ldns_rr *
rr_empty(const char *owner, uint16_t type, ldns_rr_class cls)
{
	ldns_rr *rr = ldns_rr_new();
	ldns_rdf *name = ldns_dname_new_frm_str(owner);

	if (rr == NULL || name == NULL) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(name);
		return NULL;
	}
	ldns_rr_set_owner(rr, name);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, cls);
	ldns_rr_set_ttl(rr, 0);
	ldns_rr_set_question(rr, false);
	return rr;
}

static ldns_rr *
rr_with_data(const struct op *op, ldns_rr_class cls, uint32_t ttl,
    struct error *err)
{
	char tb[16], *s = NULL;
	const char *tn = type_name(op->type, tb, sizeof(tb));
	ldns_rr *rr = NULL;
	ldns_status st;

	if (op->rdata == NULL) {
		err_set(err, ERR_CONFIG, "no data for %s", op->owner);
		return NULL;
	}
	if (asprintf(&s, "%s %u IN %s %s", op->owner, ttl, tn,
	    op->rdata) == -1) {
		err_set(err, ERR_SYS, "out of memory");
		return NULL;
	}
	st = ldns_rr_new_frm_str(&rr, s, ttl, NULL, NULL);
	free(s);
	if (st != LDNS_STATUS_OK) {
		err_set(err, ERR_CONFIG, "bad record '%s %s %.80s': %s",
		    op->owner, tn, op->rdata, ldns_get_errorstr_by_id(st));
		return NULL;
	}
	ldns_rr_set_class(rr, cls);
	ldns_rr_set_ttl(rr, ttl);
	return rr;
}

static ldns_rr *
op_to_rr(const struct op *op, struct error *err)
{
	ldns_rr *rr = NULL;

	switch (op->kind) {
	case OP_NXRRSET:	/* RFC 2136 2.4.3: class NONE, no rdata */
		rr = rr_empty(op->owner, op->type, LDNS_RR_CLASS_NONE);
		break;
	case OP_DEL_RRSET:	/* RFC 2136 2.5.2: class ANY, no rdata */
		rr = rr_empty(op->owner, op->type, LDNS_RR_CLASS_ANY);
		break;
	case OP_YXRRSET_VAL:	/* RFC 2136 2.4.2: zone class, TTL 0 */
		return rr_with_data(op, LDNS_RR_CLASS_IN, 0, err);
	case OP_ADD:		/* RFC 2136 2.5.1 */
		return rr_with_data(op, LDNS_RR_CLASS_IN, op->ttl, err);
	case OP_DEL_RR:		/* RFC 2136 2.5.4: class NONE, TTL 0 */
		return rr_with_data(op, LDNS_RR_CLASS_NONE, 0, err);
	}
	if (rr == NULL)
		err_set(err, ERR_CONFIG, "bad owner name '%s'", op->owner);
	return rr;
}

/* Copy ldns's wire buffer into one of ours with room for the TSIG RR. */
static int
pkt_to_wire(ldns_pkt *pkt, uint8_t **wire, size_t *len, size_t *cap,
    struct error *err)
{
	uint8_t *buf = NULL;
	size_t n = 0;

	if (ldns_pkt2wire(&buf, pkt, &n) != LDNS_STATUS_OK)
		return err_set(err, ERR_SYS, "cannot encode DNS message");
	if (n > 65535 - TSIG_ROOM) {
		free(buf);
		return err_set(err, ERR_CONFIG, "DNS message too large "
		    "(%zu bytes)", n);
	}
	*wire = malloc(n + TSIG_ROOM);
	if (*wire == NULL) {
		free(buf);
		return err_set(err, ERR_SYS, "out of memory");
	}
	memcpy(*wire, buf, n);
	free(buf);
	*len = n;
	*cap = n + TSIG_ROOM;
	return 0;
}

/*
 * UPDATE messages are encoded here rather than by ldns_pkt2wire: the
 * coordinator encodes batches of up to 64 KiB several times (to measure,
 * then to send), and ldns spent most of that in ldns_rr_new_frm_str and
 * in its name compression (an rbtree of ldns_dname_compare).  Owners and
 * the rdata of A, AAAA and TXT are parsed here; any operation this code
 * has a doubt about (escapes in names, other types, anything unusual in
 * the text) is built by ldns (op_to_rr) and its RR copied, so errors and
 * the meaning of the message stay ldns's.
 */

/* Suffix table for name compression (RFC 1035 4.1.4): hash of a suffix's
 * wire form (case kept) -> offset in the message, offsets < 16384 only. */
struct ctab_ent {
	uint32_t	h;
	uint16_t	off;		/* 0: empty (the header is at 0) */
};

struct enc {
	uint8_t		*p;
	size_t		 len, cap;
	struct ctab_ent	*tab;
	size_t		 tabsize, tabn;
	bool		 oom;
};

static bool
enc_reserve(struct enc *e, size_t n)
{
	size_t ncap;
	uint8_t *np;

	if (e->len + n <= e->cap)
		return true;
	ncap = e->cap ? e->cap : 512;
	while (ncap < e->len + n)
		ncap *= 2;
	if ((np = realloc(e->p, ncap)) == NULL) {
		e->oom = true;
		return false;
	}
	e->p = np;
	e->cap = ncap;
	return true;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Whether the name at off in the message is the wire name n (labels then
 * the root), following pointers, case kept. */
static bool
name_at_is(const struct enc *e, size_t off, const uint8_t *n)
{
	unsigned hops = 0;
	uint8_t l;

	for (;;) {
		if (off >= e->len)
			return false;
		l = e->p[off];
		if ((l & 0xc0) == 0xc0) {
			if (off + 1 >= e->len || ++hops > 127)
				return false;
			off = (size_t)(l & 0x3f) << 8 | e->p[off + 1];
			continue;
		}
		if (l != *n)
			return false;
		if (l == 0)
			return true;
		if (off + 1 + l > e->len || memcmp(e->p + off + 1, n + 1, l) != 0)
			return false;
		off += 1 + l;
		n += 1 + l;
	}
}

static bool
ctab_grow(struct enc *e)
{
	size_t nsize = e->tabsize ? e->tabsize * 2 : 256, i, j;
	struct ctab_ent *nt = calloc(nsize, sizeof(*nt));

	if (nt == NULL) {
		e->oom = true;
		return false;
	}
	for (i = 0; i < e->tabsize; i++) {
		if (e->tab[i].off == 0)
			continue;
		for (j = e->tab[i].h & (nsize - 1); nt[j].off != 0;
		    j = (j + 1) & (nsize - 1))
			;
		nt[j] = e->tab[i];
	}
	free(e->tab);
	e->tab = nt;
	e->tabsize = nsize;
	return true;
}

static void
ctab_add(struct enc *e, uint32_t h, size_t off)
{
	size_t j;

	if (off >= 0x4000)	/* a pointer has 14 bits */
		return;
	if ((e->tabn + 1) * 2 > e->tabsize && !ctab_grow(e))
		return;		/* no compression for it: still valid */
	for (j = h & (e->tabsize - 1); e->tab[j].off != 0;
	    j = (j + 1) & (e->tabsize - 1))
		;
	e->tab[j].h = h;
	e->tab[j].off = (uint16_t)off;
	e->tabn++;
}

static size_t
ctab_find(const struct enc *e, uint32_t h, const uint8_t *n)
{
	size_t j;

	if (e->tabsize == 0)
		return 0;
	for (j = h & (e->tabsize - 1); e->tab[j].off != 0;
	    j = (j + 1) & (e->tabsize - 1))
		if (e->tab[j].h == h && name_at_is(e, e->tab[j].off, n))
			return e->tab[j].off;
	return 0;
}

/* Write the wire name n (nlen octets, root included), compressed. */
static bool
put_name_c(struct enc *e, const uint8_t *n, size_t nlen)
{
	size_t lab[128], nlab = 0, i, j, o, at;
	uint32_t h[128], x;

	for (o = 0; o < nlen && n[o] != 0 && nlab < 128; o += 1 + n[o])
		lab[nlab++] = o;
	if (o >= nlen || n[o] != 0)
		return false;
	/* hash of each suffix, from the root up */
	x = 2166136261u;
	for (i = nlab; i-- > 0;) {
		for (j = lab[i]; j <= lab[i] + n[lab[i]]; j++)
			x = (x ^ n[j]) * 16777619u;
		h[i] = x ^ (x >> 15);
	}
	for (i = 0; i < nlab; i++)
		if ((at = ctab_find(e, h[i], n + lab[i])) != 0)
			break;
	o = i < nlab ? lab[i] : nlen;	/* octets written as labels */
	if (!enc_reserve(e, o + 2))
		return false;
	memcpy(e->p + e->len, n, o);
	for (j = 0; j < i; j++)
		ctab_add(e, h[j], e->len + lab[j]);
	e->len += o;
	if (i < nlab) {
		put16(e->p + e->len, (uint16_t)(0xc000 | at));
		e->len += 2;
	}
	return true;
}

/* A name in presentation form, absolute, without escapes or anything
 * ldns's tokenizer would read differently: wire form in out (256 octets).
 * Returns its length, or 0 when in doubt. */
static size_t
fast_name(const char *s, uint8_t *out)
{
	size_t o = 0, l;
	const char *p = s;
	unsigned char c;

	if (s[0] == '.' && s[1] == '\0') {
		out[0] = 0;
		return 1;
	}
	while (*p != '\0') {
		for (l = 0; (c = (unsigned char)p[l]) != '.'; l++)
			if (c == '\0' || !isascii(c) || !isgraph(c) ||
			    c == '\\' || c == ';' || c == '(' || c == ')' ||
			    c == '"' || c == '@' || c == '$')
				return 0;
		if (l == 0 || l > 63 || o + 1 + l + 1 > 255)
			return 0;
		out[o] = (uint8_t)l;
		memcpy(out + o + 1, p, l);
		o += 1 + l;
		p += l + 1;
	}
	out[o++] = 0;
	return o;
}

/* TXT rdata (RFC 1035 3.3.14) from presentation: quoted strings with
 * \" \\ \DDD escapes, or plain words, separated by spaces.  Writes at
 * most strlen(s) + 1 octets to out.  Returns the length, or -1 when in
 * doubt (ldns decides then). */
static long
fast_txt(const char *s, uint8_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, lp, n;
	unsigned v;

	if (*p == '\0')
		return -1;
	for (;;) {
		lp = o++;
		n = 0;
		if (*p == '"') {
			for (p++; *p != '"'; p++, n++) {
				if (*p == '\\') {
					p++;
					if (isdigit(p[0]) && isdigit(p[1]) &&
					    isdigit(p[2])) {
						v = (p[0] - '0') * 100u +
						    (p[1] - '0') * 10u +
						    (p[2] - '0');
						if (v > 255)
							return -1;
						out[o++] = (uint8_t)v;
						p += 2;
					} else if (*p == '"' || *p == '\\')
						out[o++] = *p;
					else
						return -1;
				} else if (*p >= 0x20 && *p < 0x7f &&
				    *p != ';' && *p != '(' && *p != ')')
					out[o++] = *p;
				else
					return -1;
			}
			p++;
			if (n == 0)
				return -1;
		} else {
			for (; *p != '\0' && *p != ' '; p++, n++) {
				if (!isascii(*p) || !isgraph(*p) || *p == '"' ||
				    *p == '\\' || *p == ';' || *p == '(' ||
				    *p == ')')
					return -1;
				out[o++] = *p;
			}
		}
		if (n > 255)
			return -1;
		out[lp] = (uint8_t)n;
		if (*p == '\0')
			return (long)o;
		if (*p != ' ')
			return -1;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return -1;
	}
}

static bool
only_chars(const char *s, const char *set, size_t max)
{
	size_t n = strspn(s, set);

	return n > 0 && n <= max && s[n] == '\0';
}

/* Rdata of op written at out (room for strlen(rdata) + 16 octets).
 * Returns its length or -1 when ldns must decide. */
static long
fast_rdata(const struct op *op, uint8_t *out)
{
	switch (op->type) {
	case DNS_TYPE_A:
		if (!only_chars(op->rdata, "0123456789.", 15) ||
		    inet_pton(AF_INET, op->rdata, out) != 1)
			return -1;
		return 4;
	case DNS_TYPE_AAAA:
		if (!only_chars(op->rdata, "0123456789abcdefABCDEF:.",
		    INET6_ADDRSTRLEN - 1) ||
		    inet_pton(AF_INET6, op->rdata, out) != 1)
			return -1;
		return 16;
	case DNS_TYPE_TXT:
		return fast_txt(op->rdata, out);
	default:
		return -1;
	}
}

/* Type, class, TTL and RDLENGTH after an owner. */
static void
put_rr_fixed(uint8_t *p, uint16_t type, uint16_t cls, uint32_t ttl,
    uint16_t rdlen)
{
	put16(p, type);
	put16(p + 2, cls);
	put32(p + 4, ttl);
	put16(p + 8, rdlen);
}

/* The RR of op as ldns builds it (op_to_rr), owner compressed. */
static int
put_op_ldns(struct enc *e, const struct op *op, struct error *err)
{
	ldns_rr *rr = op_to_rr(op, err);
	const ldns_rdf *owner;
	size_t i, rdlen = 0, at;
	int rc = -1;

	if (rr == NULL)
		return -1;
	owner = ldns_rr_owner(rr);
	for (i = 0; i < ldns_rr_rd_count(rr); i++)
		rdlen += ldns_rdf_size(ldns_rr_rdf(rr, i));
	if (rdlen > 65535) {
		char tb[16];

		err_set(err, ERR_CONFIG, "bad record '%s %s %.80s': rdata too "
		    "long", op->owner, type_name(op->type, tb, sizeof(tb)),
		    op->rdata ? op->rdata : "");
		goto out;
	}
	if (!put_name_c(e, ldns_rdf_data(owner), ldns_rdf_size(owner))) {
		if (e->oom)
			err_set(err, ERR_SYS, "out of memory");
		else
			err_set(err, ERR_CONFIG, "bad owner name '%s'",
			    op->owner);
		goto out;
	}
	if (!enc_reserve(e, 10 + rdlen)) {
		err_set(err, ERR_SYS, "out of memory");
		goto out;
	}
	put_rr_fixed(e->p + e->len, ldns_rr_get_type(rr),
	    ldns_rr_get_class(rr), ldns_rr_ttl(rr), (uint16_t)rdlen);
	at = e->len + 10;
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);

		memcpy(e->p + at, ldns_rdf_data(f), ldns_rdf_size(f));
		at += ldns_rdf_size(f);
	}
	e->len = at;
	rc = 0;
out:
	ldns_rr_free(rr);
	return rc;
}

/* One operation's RR (as op_to_rr builds it: RFC 2136 2.4, 2.5). */
static int
put_op(struct enc *e, const struct op *op, struct error *err)
{
	uint8_t name[256];
	size_t nlen, rdmax = 0, start = e->len;
	uint16_t cls = LDNS_RR_CLASS_IN;
	uint32_t ttl = 0;
	bool data = true;
	long rdlen = 0;

	switch (op->kind) {
	case OP_NXRRSET:
		cls = LDNS_RR_CLASS_NONE;
		data = false;
		break;
	case OP_DEL_RRSET:
		cls = LDNS_RR_CLASS_ANY;
		data = false;
		break;
	case OP_YXRRSET_VAL:
		break;
	case OP_ADD:
		ttl = op->ttl;
		break;
	case OP_DEL_RR:
		cls = LDNS_RR_CLASS_NONE;
		break;
	}
	if ((nlen = fast_name(op->owner, name)) == 0 ||
	    (data && (op->rdata == NULL ||
	    (op->type != DNS_TYPE_A && op->type != DNS_TYPE_AAAA &&
	    op->type != DNS_TYPE_TXT) || (rdmax = strlen(op->rdata)) > 60000)))
		return put_op_ldns(e, op, err);
	/* rdata first, past the room for owner and fixed fields, so that
	 * nothing is written when ldns must decide */
	if (!enc_reserve(e, 256 + 10 + (data ? rdmax + 16 : 0)))
		return err_set(err, ERR_SYS, "out of memory");
	if (data && (rdlen = fast_rdata(op, e->p + e->len + 266)) < 0)
		return put_op_ldns(e, op, err);
	if (!put_name_c(e, name, nlen))		/* within what is reserved */
		return err_set(err, ERR_SYS, "out of memory");
	memmove(e->p + e->len + 10, e->p + start + 266, (size_t)rdlen);
	put_rr_fixed(e->p + e->len, op->type, cls, ttl, (uint16_t)rdlen);
	e->len += 10 + (size_t)rdlen;
	return 0;
}

/* The RRs of one section, in op order; on error, *bad is the op's index. */
static int
put_section(struct enc *e, const struct update *u, bool prereq,
    size_t *count, size_t *bad, struct error *err)
{
	size_t i;

	*count = 0;
	for (i = 0; i < u->nops; i++) {
		if (!is_prereq(u->ops[i].kind) != !prereq)
			continue;
		if (put_op(e, &u->ops[i], err) == -1) {
			*bad = i;
			return -1;
		}
		(*count)++;
	}
	return 0;
}

int
update_to_wire(const struct update *u, uint16_t id, uint8_t **wire,
    size_t *len, size_t *cap, struct error *err)
{
	struct enc e;
	uint8_t zone[256];
	size_t zlen, npre, nupd, bad = 0, i;
	ldns_rdf *z = NULL;
	int rc = -1;

	memset(&e, 0, sizeof(e));
	*wire = NULL;
	if ((zlen = fast_name(u->zone, zone)) == 0) {
		if ((z = ldns_dname_new_frm_str(u->zone)) == NULL ||
		    ldns_rdf_size(z) > sizeof(zone))
			goto badzone;
		zlen = ldns_rdf_size(z);
		memcpy(zone, ldns_rdf_data(z), zlen);
		ldns_rdf_deep_free(z);
	}
	if (!enc_reserve(&e, LDNS_HEADER_SIZE))
		goto oom;
	/* RFC 2136 2.2: opcode UPDATE, RD clear; the ID is covered by the
	 * MAC.  Counts are written at the end. */
	memset(e.p, 0, LDNS_HEADER_SIZE);
	put16(e.p, id);
	put16(e.p + 2, (uint16_t)(LDNS_PACKET_UPDATE << 11));
	e.len = LDNS_HEADER_SIZE;
	/* zone section (RFC 2136 2.3) */
	if (!put_name_c(&e, zone, zlen))
		goto badzone;
	if (!enc_reserve(&e, 4))
		goto oom;
	put16(e.p + e.len, DNS_TYPE_SOA);
	put16(e.p + e.len + 2, LDNS_RR_CLASS_IN);
	e.len += 4;
	if (put_section(&e, u, true, &npre, &bad, err) == -1) {
		/* ldns built the RRs in op order: an earlier bad update
		 * operation is the one to report */
		struct error e2;

		for (i = 0; i < bad; i++) {
			ldns_rr *rr;

			if (is_prereq(u->ops[i].kind))
				continue;
			memset(&e2, 0, sizeof(e2));
			if ((rr = op_to_rr(&u->ops[i], &e2)) == NULL) {
				*err = e2;
				break;
			}
			ldns_rr_free(rr);
		}
		goto out;
	}
	if (put_section(&e, u, false, &nupd, &bad, err) == -1)
		goto out;
	if (npre > 65535 || nupd > 65535)
		goto toolarge;
	if (u->lease != 0) {
		/* RFC 6891 6.1.2 OPT RR: root owner, class = UDP payload
		 * size, TTL 0 (extended rcode, version, flags); RFC 9664 4:
		 * option code 2, length 4, LEASE in seconds */
		if (!enc_reserve(&e, 1 + 10 + 8))
			goto oom;
		e.p[e.len] = 0;
		put_rr_fixed(e.p + e.len + 1, LDNS_RR_TYPE_OPT, EDNS_UDP_SIZE,
		    0, 8);
		put16(e.p + e.len + 11, EDNS_OPT_UPDATE_LEASE);
		put16(e.p + e.len + 13, 4);
		put32(e.p + e.len + 15, u->lease);
		e.len += 19;
	}
	put16(e.p + 4, 1);
	put16(e.p + 6, (uint16_t)npre);
	put16(e.p + 8, (uint16_t)nupd);
	put16(e.p + 10, u->lease != 0);
	if (e.len > 65535 - TSIG_ROOM)
		goto toolarge;
	if (!enc_reserve(&e, TSIG_ROOM))
		goto oom;
	*wire = e.p;
	e.p = NULL;
	*len = e.len;
	*cap = e.len + TSIG_ROOM;
	rc = 0;
	goto out;
toolarge:
	err_set(err, ERR_CONFIG, "DNS message too large (%zu bytes)", e.len);
	goto out;
badzone:
	ldns_rdf_deep_free(z);
	err_set(err, ERR_CONFIG, "bad zone name '%s'", u->zone);
	goto out;
oom:
	err_set(err, ERR_SYS, "out of memory");
out:
	free(e.p);
	free(e.tab);
	return rc;
}

int
query_to_wire(const char *name, uint16_t type, int rd, uint16_t id,
    uint8_t **wire, size_t *len, size_t *cap, struct error *err)
{
	ldns_rdf *qname = ldns_dname_new_frm_str(name);
	ldns_pkt *pkt;
	int rc;

	if (qname == NULL)
		return err_set(err, ERR_CONFIG, "bad name '%s'", name);
	pkt = ldns_pkt_query_new(qname, type, LDNS_RR_CLASS_IN,
	    rd ? LDNS_RD : 0);
	if (pkt == NULL)
		return err_set(err, ERR_SYS, "out of memory");
	ldns_pkt_set_id(pkt, id);
	ldns_pkt_set_edns_udp_size(pkt, EDNS_UDP_SIZE);
	rc = pkt_to_wire(pkt, wire, len, cap, err);
	ldns_pkt_free(pkt);
	return rc;
}

void
update_print_nsupdate(const struct update *u, FILE *out)
{
	char tb[16];
	size_t i;

	for (i = 0; i < u->nops; i++) {
		const struct op *op = &u->ops[i];
		const char *t = type_name(op->type, tb, sizeof(tb));

		switch (op->kind) {
		case OP_NXRRSET:
			fprintf(out, "prereq nxrrset %s IN %s\n", op->owner, t);
			break;
		case OP_YXRRSET_VAL:
			fprintf(out, "prereq yxrrset %s IN %s %s\n", op->owner,
			    t, op->rdata);
			break;
		case OP_ADD:
			fprintf(out, "update add %s %u IN %s %s\n", op->owner,
			    op->ttl, t, op->rdata);
			break;
		case OP_DEL_RRSET:
			fprintf(out, "update delete %s IN %s\n", op->owner, t);
			break;
		case OP_DEL_RR:
			fprintf(out, "update delete %s IN %s %s\n", op->owner,
			    t, op->rdata);
			break;
		}
	}
	fprintf(out, "send\n");
}

/*
 * Presentation forms, for the types a zone of pools is made of, written
 * here rather than by ldns's printer: an AXFR of 200,000 RRs spent half
 * its time in ldns_buffer_printf, one call per character.  The escapes are
 * ldns's own (RFC 1035 5.1), so the text is the same; other types go to
 * ldns.
 */
static void
put_char_escaped(ldns_buffer *b, uint8_t c, bool in_name)
{
	char esc[5];

	if (in_name ? (c == '.' || c == ';' || c == '(' || c == ')' ||
	    c == '\\') : (c == '"' || c == '\\')) {
		ldns_buffer_write_u8(b, '\\');
		ldns_buffer_write_u8(b, c);
	} else if (in_name ? !(isascii(c) && isgraph(c)) :
	    !(isascii(c) && (isprint(c) || c == '\t'))) {	/* as ldns */
		snprintf(esc, sizeof(esc), "\\%03u", c);
		ldns_buffer_write(b, esc, 4);
	} else
		ldns_buffer_write_u8(b, c);
}

static void
put_dname(ldns_buffer *b, const ldns_rdf *d)
{
	const uint8_t *w = ldns_rdf_data(d);
	size_t len = ldns_rdf_size(d), i = 0, n;

	if (len <= 1) {
		ldns_buffer_write_u8(b, '.');
		return;
	}
	while (i < len && w[i] != 0) {
		n = w[i++];
		for (; n > 0 && i < len; n--)
			put_char_escaped(b, w[i++], true);
		ldns_buffer_write_u8(b, '.');
	}
}

static bool
put_rdf_fast(ldns_buffer *b, const ldns_rdf *r)
{
	const uint8_t *w = ldns_rdf_data(r);
	size_t len = ldns_rdf_size(r), i;
	char addr[INET6_ADDRSTRLEN];

	switch (ldns_rdf_get_type(r)) {
	case LDNS_RDF_TYPE_A:
	case LDNS_RDF_TYPE_AAAA:
		if (len != 4 && len != 16)
			return false;
		inet_ntop(len == 4 ? AF_INET : AF_INET6, w, addr, sizeof(addr));
		ldns_buffer_write(b, addr, strlen(addr));
		return true;
	case LDNS_RDF_TYPE_STR:
		if (len < 1 || (size_t)w[0] + 1 != len)
			return false;
		ldns_buffer_write_u8(b, '"');
		for (i = 1; i < len; i++)
			put_char_escaped(b, w[i], false);
		ldns_buffer_write_u8(b, '"');
		return true;
	case LDNS_RDF_TYPE_DNAME:
		put_dname(b, r);
		return true;
	default:
		return false;
	}
}

/* Presentation form of rr's rdata, built in b (cleared first), copied
 * out.  One buffer serves a whole message: ldns_rdf2str would allocate
 * 64 KiB per call, which an AXFR of 200k RRs turns into gigabytes. */
static char *
rdata_to_str(ldns_buffer *b, const ldns_rr *rr)
{
	size_t i;

	ldns_buffer_clear(b);
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		if (i > 0)
			ldns_buffer_write_u8(b, ' ');
		if (!ldns_buffer_reserve(b, 4 * ldns_rdf_size(ldns_rr_rdf(rr,
		    i)) + INET6_ADDRSTRLEN + 8))
			return NULL;
		if (!put_rdf_fast(b, ldns_rr_rdf(rr, i)))
			ldns_rdf2buffer_str(b, ldns_rr_rdf(rr, i));
	}
	if (ldns_buffer_status(b) != LDNS_STATUS_OK)
		return NULL;
	return strndup((const char *)ldns_buffer_begin(b),
	    ldns_buffer_position(b));
}

static int
owner_to_str(ldns_buffer *b, const ldns_rr *rr, char *out, size_t len)
{
	ldns_buffer_clear(b);
	if (!ldns_buffer_reserve(b, 4 * ldns_rdf_size(ldns_rr_owner(rr)) + 2))
		return -1;
	put_dname(b, ldns_rr_owner(rr));
	if (ldns_buffer_position(b) >= len)
		return -1;
	memcpy(out, ldns_buffer_begin(b), ldns_buffer_position(b));
	out[ldns_buffer_position(b)] = '\0';
	return 0;
}

static void
lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int
section_to_rrs(ldns_buffer *b, const ldns_rr_list *list, struct rr **out,
    size_t *n)
{
	size_t i, cnt = ldns_rr_list_rr_count(list);

	*n = 0;
	/* one spare entry: rrs_free also frees a half-built last one */
	*out = calloc(cnt + 1, sizeof(**out));
	if (*out == NULL)
		return -1;
	for (i = 0; i < cnt; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		struct rr *r = &(*out)[*n];

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_TSIG)
			continue;
		if (owner_to_str(b, rr, r->owner, sizeof(r->owner)) == -1)
			return -1;
		lower(r->owner);
		r->type = ldns_rr_get_type(rr);
		r->ttl = ldns_rr_ttl(rr);
		if ((r->rdata = rdata_to_str(b, rr)) == NULL)
			return -1;
		(*n)++;
	}
	return 0;
}

bool
rr_is(const struct rr *rr, const char *owner, uint16_t type)
{
	return rr->type == type && strcasecmp(rr->owner, owner) == 0;
}

/*
 * ldns_wire2pkt (1.8.3) keeps only the last TSIG RR and the last OPT data
 * of the additional section: it overwrites its pointer to the earlier ones
 * without freeing them.  A message with several, which anyone can send to
 * the NOTIFY listener, would leak memory on every parse.  One of each is
 * all a message may hold (RFC 8945 5.2, RFC 6891 6.1.1), so such messages
 * are refused before ldns_wire2pkt sees them.  The walk uses ldns_wire2rr
 * as ldns_wire2pkt does, so that both agree on where each RR starts.
 */
static bool
several_tsig_or_opt(const uint8_t *wire, size_t len)
{
	size_t pos = LDNS_HEADER_SIZE, first_ar, n, i;
	unsigned tsig = 0, opt = 0;
	ldns_rr *rr;

	if (len < LDNS_HEADER_SIZE || LDNS_ARCOUNT(wire) < 2)
		return false;
	first_ar = (size_t)LDNS_QDCOUNT(wire) + LDNS_ANCOUNT(wire) +
	    LDNS_NSCOUNT(wire);
	n = first_ar + LDNS_ARCOUNT(wire);
	for (i = 0; i < n; i++) {
		if (ldns_wire2rr(&rr, wire, len, &pos, i < LDNS_QDCOUNT(wire) ?
		    LDNS_SECTION_QUESTION : LDNS_SECTION_ANY_NOQUESTION) !=
		    LDNS_STATUS_OK)
			break;		/* where ldns_wire2pkt stops too */
		if (i >= first_ar) {
			tsig += ldns_rr_get_type(rr) == LDNS_RR_TYPE_TSIG;
			opt += ldns_rr_get_type(rr) == LDNS_RR_TYPE_OPT;
		}
		ldns_rr_free(rr);
	}
	return tsig > 1 || opt > 1;
}

int
answer_parse(const uint8_t *wire, size_t len, struct answer *a,
    struct error *err)
{
	ldns_pkt *pkt = NULL;
	ldns_buffer *b;
	ldns_status st;

	memset(a, 0, sizeof(*a));
	if (several_tsig_or_opt(wire, len))
		return err_set(err, ERR_PROTO, "malformed answer: more than "
		    "one TSIG or OPT record");
	st = ldns_wire2pkt(&pkt, wire, len);
	if (st != LDNS_STATUS_OK)
		return err_set(err, ERR_PROTO, "malformed answer: %s",
		    ldns_get_errorstr_by_id(st));
	/* RFC 6891 6.1.3: BADVERS (16) must not read as NOERROR */
	a->rcode = ldns_pkt_get_rcode(pkt) |
	    (ldns_pkt_edns_extended_rcode(pkt) << 4);
	a->aa = ldns_pkt_aa(pkt);
	b = ldns_buffer_new(512);
	if (b == NULL ||
	    section_to_rrs(b, ldns_pkt_answer(pkt), &a->an, &a->nan) == -1 ||
	    section_to_rrs(b, ldns_pkt_authority(pkt), &a->ns, &a->nns) == -1) {
		ldns_buffer_free(b);
		ldns_pkt_free(pkt);
		answer_clean(a);
		return err_set(err, ERR_SYS, "out of memory");
	}
	ldns_buffer_free(b);
	ldns_pkt_free(pkt);
	return 0;
}

static void
rrs_free(struct rr *rrs, size_t n)
{
	size_t i;

	if (rrs == NULL)
		return;
	/* section_to_rrs may stop half-way: rdata of the rest is NULL. */
	for (i = 0; i <= n; i++)
		free(rrs[i].rdata);
	free(rrs);
}

void
answer_clean(struct answer *a)
{
	rrs_free(a->an, a->nan);
	rrs_free(a->ns, a->nns);
	memset(a, 0, sizeof(*a));
}

const char *
rcode_name(int rcode)
{
	static const char *names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE",
	};
	/* One buffer: callers name one rcode per message they print. */
	static char other[sizeof("RCODE-2147483648")];

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	snprintf(other, sizeof(other), "RCODE%d", rcode);
	return other;
}

/*
 * Whether the EDNS options hold a CHAIN option (RFC 7901, code 13).
 * ldns 1.8.3 prints that one with ldns_str2rdf_dname(NULL, data): a NULL
 * write when the data reads as a name, and a read up to the next NUL
 * byte, past the option, when it does not.
 */
static bool
edns_has_chain(const ldns_pkt *pkt)
{
	const ldns_rdf *opts = ldns_pkt_edns_data(pkt);
	const uint8_t *p;
	size_t n, off = 0;

	if (opts == NULL)
		return false;
	p = ldns_rdf_data(opts);
	n = ldns_rdf_size(opts);
	while (n - off >= 4) {		/* RFC 6891 6.1.2: code, length */
		if (ldns_read_uint16(p + off) == 13)
			return true;
		off += 4 + ldns_read_uint16(p + off + 2);
		if (off > n)
			break;
	}
	return false;
}

char *
msg_to_text(const uint8_t *wire, size_t len)
{
	ldns_pkt *pkt = NULL;
	bool chain;
	char *s, *t;

	if (several_tsig_or_opt(wire, len) ||
	    ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK)
		return strdup(";; (malformed message)");
	/* Debug output of a hostile answer must not crash us: leave the
	 * options out rather than let ldns print a CHAIN option. */
	if ((chain = edns_has_chain(pkt))) {
		ldns_rdf_deep_free(ldns_pkt_edns_data(pkt));
		ldns_pkt_set_edns_data(pkt, NULL);
	}
	s = ldns_pkt2str(pkt);
	ldns_pkt_free(pkt);
	if (chain && s != NULL) {
		if (asprintf(&t, "%s;; (EDNS options not shown: CHAIN)\n",
		    s) == -1)
			t = NULL;
		free(s);
		s = t;
	}
	return s;
}

int
notify_parse(const uint8_t *wire, size_t len, char *zone, size_t zonelen,
    uint8_t **reply, size_t *replylen)
{
	ldns_pkt *pkt = NULL, *ans = NULL;
	ldns_rr *q;
	char *name;
	int rc = -1;

	if (several_tsig_or_opt(wire, len) ||
	    ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK)
		return -1;
	if (ldns_pkt_get_opcode(pkt) != LDNS_PACKET_NOTIFY || ldns_pkt_qr(pkt) ||
	    ldns_pkt_qdcount(pkt) != 1)
		goto out;
	q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	if ((name = ldns_rdf2str(ldns_rr_owner(q))) == NULL)
		goto out;
	snprintf(zone, zonelen, "%s", name);
	free(name);
	lower(zone);
	/* RFC 1996 4.7: the reply echoes the query with QR set */
	if ((ans = ldns_pkt_new()) == NULL)
		goto out;
	ldns_pkt_set_id(ans, ldns_pkt_id(pkt));
	ldns_pkt_set_opcode(ans, LDNS_PACKET_NOTIFY);
	ldns_pkt_set_qr(ans, true);
	ldns_pkt_set_aa(ans, true);
	ldns_pkt_push_rr(ans, LDNS_SECTION_QUESTION, ldns_rr_clone(q));
	if (ldns_pkt2wire(reply, ans, replylen) == LDNS_STATUS_OK)
		rc = 0;
out:
	ldns_pkt_free(ans);
	ldns_pkt_free(pkt);
	return rc;
}
