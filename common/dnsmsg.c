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

static int
set_lease_option(ldns_pkt *pkt, uint32_t lease)
{
	uint8_t opt[8];
	ldns_rdf *data;

	/* RFC 9664 4: option code 2, length 4, LEASE in seconds */
	ldns_write_uint16(opt, EDNS_OPT_UPDATE_LEASE);
	ldns_write_uint16(opt + 2, 4);
	ldns_write_uint32(opt + 4, lease);
	data = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, sizeof(opt), opt);
	if (data == NULL)
		return -1;
	ldns_pkt_set_edns_udp_size(pkt, EDNS_UDP_SIZE);
	ldns_pkt_set_edns_data(pkt, data);
	return 0;
}

static int
ops_to_lists(const struct update *u, ldns_rr_list *pre, ldns_rr_list *upd,
    struct error *err)
{
	size_t i;
	ldns_rr *rr;

	for (i = 0; i < u->nops; i++) {
		if ((rr = op_to_rr(&u->ops[i], err)) == NULL)
			return -1;
		ldns_rr_list_push_rr(is_prereq(u->ops[i].kind) ? pre : upd, rr);
	}
	return 0;
}

int
update_to_wire(const struct update *u, uint16_t id, uint8_t **wire,
    size_t *len, size_t *cap, struct error *err)
{
	ldns_rr_list *pre = ldns_rr_list_new(), *upd = ldns_rr_list_new();
	ldns_rdf *zone = ldns_dname_new_frm_str(u->zone);
	ldns_pkt *pkt = NULL;
	int rc = -1;

	if (pre == NULL || upd == NULL || zone == NULL) {
		err_set(err, ERR_CONFIG, "bad zone name '%s'", u->zone);
		goto out;
	}
	if (ops_to_lists(u, pre, upd, err) == -1)
		goto out;
	/* Takes the zone name; copies the lists (DNS-NOTES.md). */
	pkt = ldns_update_pkt_new(zone, LDNS_RR_CLASS_IN, pre, upd, NULL);
	zone = NULL;
	if (pkt == NULL) {
		err_set(err, ERR_SYS, "out of memory");
		goto out;
	}
	/* ldns leaves ID 0 and RD set; the ID is covered by the MAC. */
	ldns_pkt_set_id(pkt, id);
	ldns_pkt_set_rd(pkt, false);
	if (u->lease != 0 && set_lease_option(pkt, u->lease) == -1) {
		err_set(err, ERR_SYS, "out of memory");
		goto out;
	}
	rc = pkt_to_wire(pkt, wire, len, cap, err);
out:
	ldns_pkt_free(pkt);
	ldns_rdf_deep_free(zone);
	ldns_rr_list_deep_free(pre);
	ldns_rr_list_deep_free(upd);
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
