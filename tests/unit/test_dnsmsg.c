/*
 * test_dnsmsg.c - UPDATE and query encoding, answer parsing.
 *
 * Every message built by update_to_wire is read back twice: by a small
 * wire walker in this file (header counts, and class, TTL and RDLENGTH of
 * every RR exactly as sent) and by ldns_wire2pkt (what a server's parser
 * sees).  Expected sections are tables; RFC 2136 says what each row must
 * hold.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "dnsmsg.h"
#include "regrecord.h"
#include "suites.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define ZONE	"example.test."
#define POOL	"srv.example.test."
#define REG	"host1._rollcall.srv.example.test."
#define TXT_NEW	"\"v=rc1 t=1764075549 lease=180 a=192.0.2.11 a=2001:db8::11\""
#define TXT_OLD	"\"v=rc1 t=1764075489 lease=180 a=192.0.2.10\""

#define C_IN	1
#define C_NONE	254	/* RFC 2136 1.3 */
#define C_ANY	255
#define T_OPT	41

/* Flags word of an UPDATE request: QR 0, opcode 5, everything else 0
 * (RFC 2136 2.2; RD in particular is clear). */
#define FLAGS_UPDATE	(5u << 11)

/* ---- a minimal wire reader, independent of ldns --------------------- */

struct wrr {
	char		 owner[300];
	uint16_t	 type, cls;
	uint32_t	 ttl;
	uint16_t	 rdlen;
	const uint8_t	*rdata;
};

struct wmsg {
	uint16_t	id, flags;
	uint16_t	count[4];	/* QD/ZO, AN/PR, NS/UP, AR */
	struct wrr	sec[4][40];
};

static int
w_name(const uint8_t *w, size_t len, size_t *pos, char *out, size_t outlen)
{
	size_t p = *pos, o = 0, hops = 0, l;
	int jumped = 0;

	for (;;) {
		if (p >= len)
			return -1;
		l = w[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len || ++hops > 20)
				return -1;
			if (!jumped)
				*pos = p + 2;
			jumped = 1;
			p = ((l & 0x3f) << 8) | w[p + 1];
			continue;
		}
		if (l == 0) {
			if (!jumped)
				*pos = p + 1;
			break;
		}
		if (l > 63 || p + 1 + l > len || o + l + 2 > outlen)
			return -1;
		for (size_t i = 0; i < l; i++)
			out[o++] = (char)tolower(w[p + 1 + i]);
		out[o++] = '.';
		p += 1 + l;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return 0;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int
w_parse(const uint8_t *w, size_t len, struct wmsg *m)
{
	size_t pos = 12;
	int s, i;

	memset(m, 0, sizeof(*m));
	if (len < 12)
		return -1;
	m->id = rd16(w);
	m->flags = rd16(w + 2);
	for (s = 0; s < 4; s++) {
		m->count[s] = rd16(w + 4 + 2 * s);
		if (m->count[s] > 40)
			return -1;
	}
	for (s = 0; s < 4; s++)
		for (i = 0; i < m->count[s]; i++) {
			struct wrr *r = &m->sec[s][i];

			if (w_name(w, len, &pos, r->owner,
			    sizeof(r->owner)) == -1 || pos + 4 > len)
				return -1;
			r->type = rd16(w + pos);
			r->cls = rd16(w + pos + 2);
			pos += 4;
			if (s == 0)
				continue;
			if (pos + 6 > len)
				return -1;
			r->ttl = (uint32_t)rd16(w + pos) << 16 | rd16(w + pos + 2);
			r->rdlen = rd16(w + pos + 4);
			pos += 6;
			if (pos + r->rdlen > len)
				return -1;
			r->rdata = w + pos;
			pos += r->rdlen;
		}
	return pos == len ? 0 : -1;
}

/* ---- expected RRs --------------------------------------------------- */

/* rdata: NULL (RDLENGTH 0), "A:addr", "AAAA:addr", "TXT:s1|s2|...",
 * "HEX:hexdigits". */
struct xrr {
	const char	*owner;
	uint16_t	 type, cls;
	uint32_t	 ttl;
	const char	*rdata;
};

static size_t
x_rdata(const char *spec, uint8_t *out, size_t outlen)
{
	size_t n = 0;
	const char *p, *bar;

	if (spec == NULL)
		return 0;
	if (strncmp(spec, "A:", 2) == 0) {
		CU_ASSERT_FATAL(inet_pton(AF_INET, spec + 2, out) == 1);
		return 4;
	}
	if (strncmp(spec, "AAAA:", 5) == 0) {
		CU_ASSERT_FATAL(inet_pton(AF_INET6, spec + 5, out) == 1);
		return 16;
	}
	if (strncmp(spec, "TXT:", 4) == 0) {
		for (p = spec + 4;; p = bar + 1) {
			size_t l;

			bar = strchr(p, '|');
			l = bar ? (size_t)(bar - p) : strlen(p);
			CU_ASSERT_FATAL(l <= 255 && n + 1 + l <= outlen);
			out[n++] = (uint8_t)l;
			memcpy(out + n, p, l);
			n += l;
			if (bar == NULL)
				return n;
		}
	}
	CU_ASSERT_FATAL(strncmp(spec, "HEX:", 4) == 0);
	for (p = spec + 4; p[0] && p[1]; p += 2) {
		unsigned v;

		CU_ASSERT_FATAL(sscanf(p, "%2x", &v) == 1 && n < outlen);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void
check_wire_section(const struct wmsg *m, int s, const struct xrr *x,
    size_t nx)
{
	uint8_t want[2048];
	size_t i, wl;

	CU_ASSERT_EQUAL_FATAL(m->count[s], nx);
	for (i = 0; i < nx; i++) {
		const struct wrr *r = &m->sec[s][i];

		if (strcmp(r->owner, x[i].owner) != 0 || r->type != x[i].type ||
		    r->cls != x[i].cls || r->ttl != x[i].ttl)
			fprintf(stderr, "\nsection %d RR %zu: %s type %u class %u"
			    " ttl %u\n", s, i, r->owner, r->type, r->cls,
			    r->ttl);
		CU_ASSERT_STRING_EQUAL(r->owner, x[i].owner);
		CU_ASSERT_EQUAL(r->type, x[i].type);
		CU_ASSERT_EQUAL(r->cls, x[i].cls);
		if (s == 0)
			continue;
		CU_ASSERT_EQUAL(r->ttl, x[i].ttl);
		wl = x_rdata(x[i].rdata, want, sizeof(want));
		CU_ASSERT_EQUAL(r->rdlen, wl);
		if (r->rdlen == wl)
			CU_ASSERT(memcmp(r->rdata, want, wl) == 0);
	}
}

/* The same through ldns: owner, type, class, TTL and the rdata fields. */
static void
check_ldns_list(const ldns_rr_list *l, const struct xrr *x, size_t nx,
    int question)
{
	uint8_t want[2048], got[2048];
	size_t i, j, wl, gl;

	CU_ASSERT_EQUAL_FATAL(ldns_rr_list_rr_count(l), nx);
	for (i = 0; i < nx; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		char *owner = ldns_rdf2str(ldns_rr_owner(rr));

		CU_ASSERT_PTR_NOT_NULL_FATAL(owner);
		CU_ASSERT_STRING_EQUAL(owner, x[i].owner);
		free(owner);
		CU_ASSERT_EQUAL(ldns_rr_get_type(rr), x[i].type);
		CU_ASSERT_EQUAL(ldns_rr_get_class(rr), x[i].cls);
		if (question)
			continue;
		CU_ASSERT_EQUAL(ldns_rr_ttl(rr), x[i].ttl);
		wl = x_rdata(x[i].rdata, want, sizeof(want));
		for (gl = 0, j = 0; j < ldns_rr_rd_count(rr); j++) {
			const ldns_rdf *f = ldns_rr_rdf(rr, j);

			CU_ASSERT_FATAL(gl + ldns_rdf_size(f) <= sizeof(got));
			memcpy(got + gl, ldns_rdf_data(f), ldns_rdf_size(f));
			gl += ldns_rdf_size(f);
		}
		CU_ASSERT_EQUAL(gl, wl);
		if (gl == wl)
			CU_ASSERT(memcmp(got, want, wl) == 0);
	}
}

static const struct xrr zone_sec[] = {
	{ ZONE, DNS_TYPE_SOA, C_IN, 0, NULL },
};

/* Encode u, check the header, every section and the OPT RR, and free. */
static void
check_update(const struct update *u, uint16_t id, const struct xrr *pre,
    size_t npre, const struct xrr *upd, size_t nupd)
{
	uint8_t *wire = NULL, lease_opt[8];
	size_t len = 0, cap = 0;
	struct error err;
	struct wmsg m;
	ldns_pkt *pkt = NULL;
	ldns_rdf *ed;
	char hex[64];
	struct xrr opt[1] = { { ".", T_OPT, 1232, 0, hex } };

	CU_ASSERT_EQUAL_FATAL(update_to_wire(u, id, &wire, &len, &cap, &err),
	    0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(wire);
	/* room for a TSIG RR: names up to 255 octets, hmac-sha512's name,
	 * fixed fields and a 64-octet MAC (RFC 8945 4.2) */
	CU_ASSERT(cap >= len + 255 + 13 + 10 + 16 + 64 + 2);
	memset(wire + len, 0xaa, cap - len);	/* ASan: really allocated */

	CU_ASSERT_EQUAL_FATAL(w_parse(wire, len, &m), 0);
	CU_ASSERT_EQUAL(m.id, id);
	CU_ASSERT_EQUAL(m.flags, FLAGS_UPDATE);
	check_wire_section(&m, 0, zone_sec, 1);
	check_wire_section(&m, 1, pre, npre);
	check_wire_section(&m, 2, upd, nupd);
	if (u->lease != 0) {
		/* RFC 9664 4: option code 2, length 4, the lease */
		snprintf(hex, sizeof(hex), "HEX:00020004%08x", u->lease);
		check_wire_section(&m, 3, opt, 1);
	} else {
		/* no lease: no OPT RR, and nothing else either */
		CU_ASSERT_EQUAL(m.count[3], 0);
	}

	CU_ASSERT_EQUAL_FATAL(ldns_wire2pkt(&pkt, wire, len), LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(ldns_pkt_get_opcode(pkt), LDNS_PACKET_UPDATE);
	CU_ASSERT_EQUAL(ldns_pkt_id(pkt), id);
	CU_ASSERT_FALSE(ldns_pkt_qr(pkt));
	CU_ASSERT_FALSE(ldns_pkt_rd(pkt));
	CU_ASSERT_FALSE(ldns_pkt_aa(pkt));
	CU_ASSERT_FALSE(ldns_pkt_tc(pkt));
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(pkt), 0);
	check_ldns_list(ldns_pkt_question(pkt), zone_sec, 1, 1);
	check_ldns_list(ldns_pkt_answer(pkt), pre, npre, 0);
	check_ldns_list(ldns_pkt_authority(pkt), upd, nupd, 0);
	CU_ASSERT_EQUAL(ldns_rr_list_rr_count(ldns_pkt_additional(pkt)), 0);
	CU_ASSERT_PTR_NULL(ldns_pkt_tsig(pkt));
	if (u->lease != 0) {
		CU_ASSERT_TRUE(ldns_pkt_edns(pkt));
		CU_ASSERT_EQUAL(ldns_pkt_edns_udp_size(pkt), 1232);
		CU_ASSERT_EQUAL(ldns_pkt_edns_version(pkt), 0);
		CU_ASSERT_FALSE(ldns_pkt_edns_do(pkt));
		ed = ldns_pkt_edns_data(pkt);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ed);
		ldns_write_uint16(lease_opt, 2);
		ldns_write_uint16(lease_opt + 2, 4);
		ldns_write_uint32(lease_opt + 4, u->lease);
		CU_ASSERT_EQUAL(ldns_rdf_size(ed), 8);
		CU_ASSERT(ldns_rdf_size(ed) == 8 &&
		    memcmp(ldns_rdf_data(ed), lease_opt, 8) == 0);
	} else
		CU_ASSERT_FALSE(ldns_pkt_edns(pkt));
	ldns_pkt_free(pkt);
	free(wire);
}

/* ---- the three updates the agent sends ------------------------------ */

static void
build_register(struct update *u, uint32_t lease)
{
	update_init(u, ZONE, lease);
	CU_ASSERT_FATAL(update_add(u, OP_NXRRSET, REG, DNS_TYPE_TXT, 0,
	    NULL) == 0);
	CU_ASSERT_FATAL(update_add(u, OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0,
	    NULL) == 0);
	CU_ASSERT_FATAL(update_add(u, OP_ADD, REG, DNS_TYPE_TXT, 60,
	    TXT_NEW) == 0);
	CU_ASSERT_FATAL(update_add(u, OP_ADD, POOL, DNS_TYPE_A, 60,
	    "192.0.2.11") == 0);
	CU_ASSERT_FATAL(update_add(u, OP_ADD, POOL, DNS_TYPE_AAAA, 60,
	    "2001:db8::11") == 0);
}

static void
build_renumber(struct update *u, uint32_t lease)
{
	update_init(u, ZONE, lease);
	CU_ASSERT_FATAL(update_add(u, OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0,
	    TXT_OLD) == 0);
	CU_ASSERT_FATAL(update_add(u, OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0,
	    NULL) == 0);
	CU_ASSERT_FATAL(update_add(u, OP_ADD, REG, DNS_TYPE_TXT, 60,
	    TXT_NEW) == 0);
	CU_ASSERT_FATAL(update_add(u, OP_ADD, POOL, DNS_TYPE_A, 60,
	    "192.0.2.11") == 0);
	CU_ASSERT_FATAL(update_add(u, OP_DEL_RR, POOL, DNS_TYPE_A, 0,
	    "192.0.2.10") == 0);
}

static void
build_deregister(struct update *u, uint32_t lease)
{
	update_init(u, ZONE, lease);
	CU_ASSERT_FATAL(update_add(u, OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, 0,
	    TXT_NEW) == 0);
	CU_ASSERT_FATAL(update_add(u, OP_DEL_RR, POOL, DNS_TYPE_A, 0,
	    "192.0.2.11") == 0);
	CU_ASSERT_FATAL(update_add(u, OP_DEL_RR, POOL, DNS_TYPE_AAAA, 0,
	    "2001:db8::11") == 0);
	CU_ASSERT_FATAL(update_add(u, OP_DEL_RRSET, REG, DNS_TYPE_TXT, 0,
	    NULL) == 0);
}

#define TXT_NEW_RD "TXT:v=rc1 t=1764075549 lease=180 a=192.0.2.11 a=2001:db8::11"
#define TXT_OLD_RD "TXT:v=rc1 t=1764075489 lease=180 a=192.0.2.10"

static void
test_update_register(void)
{
	/* RFC 2136 2.4.3: NXRRSET is class NONE, TTL 0, no rdata */
	static const struct xrr pre[] = {
		{ REG, DNS_TYPE_TXT, C_NONE, 0, NULL },
	};
	static const struct xrr upd[] = {
		/* 2.5.2: delete an RRset: class ANY, TTL 0, no rdata */
		{ REG, DNS_TYPE_TXT, C_ANY, 0, NULL },
		/* 2.5.1: add: zone class, the TTL given */
		{ REG, DNS_TYPE_TXT, C_IN, 60, TXT_NEW_RD },
		{ POOL, DNS_TYPE_A, C_IN, 60, "A:192.0.2.11" },
		{ POOL, DNS_TYPE_AAAA, C_IN, 60, "AAAA:2001:db8::11" },
	};
	struct update u;

	build_register(&u, 180);
	CU_ASSERT_EQUAL(u.nops, 5);
	CU_ASSERT_EQUAL(update_count_changes(&u), 4);
	check_update(&u, 0xbeef, pre, NELEMS(pre), upd, NELEMS(upd));
	/* another ID and lease: only those change */
	u.lease = 0xfffffffe;
	check_update(&u, 0, pre, NELEMS(pre), upd, NELEMS(upd));
	u.lease = 1;
	check_update(&u, 0xffff, pre, NELEMS(pre), upd, NELEMS(upd));
	update_clean(&u);
}

static void
test_update_renumber(void)
{
	/* RFC 2136 2.4.2: value-dependent YXRRSET: zone class, TTL 0 */
	static const struct xrr pre[] = {
		{ REG, DNS_TYPE_TXT, C_IN, 0, TXT_OLD_RD },
	};
	static const struct xrr upd[] = {
		{ REG, DNS_TYPE_TXT, C_ANY, 0, NULL },
		{ REG, DNS_TYPE_TXT, C_IN, 60, TXT_NEW_RD },
		{ POOL, DNS_TYPE_A, C_IN, 60, "A:192.0.2.11" },
		/* 2.5.4: delete one RR: class NONE, TTL 0, its rdata */
		{ POOL, DNS_TYPE_A, C_NONE, 0, "A:192.0.2.10" },
	};
	struct update u;

	build_renumber(&u, 0);
	CU_ASSERT_EQUAL(update_count_changes(&u), 4);
	check_update(&u, 0x1234, pre, NELEMS(pre), upd, NELEMS(upd));
	update_clean(&u);
}

static void
test_update_deregister(void)
{
	static const struct xrr pre[] = {
		{ REG, DNS_TYPE_TXT, C_IN, 0, TXT_NEW_RD },
	};
	static const struct xrr upd[] = {
		{ POOL, DNS_TYPE_A, C_NONE, 0, "A:192.0.2.11" },
		{ POOL, DNS_TYPE_AAAA, C_NONE, 0, "AAAA:2001:db8::11" },
		{ REG, DNS_TYPE_TXT, C_ANY, 0, NULL },
	};
	struct update u;

	build_deregister(&u, 3600);
	CU_ASSERT_EQUAL(update_count_changes(&u), 3);
	check_update(&u, 7, pre, NELEMS(pre), upd, NELEMS(upd));
	update_clean(&u);
}

/* A registration of 32 long IPv6 addresses travels as one TXT RR of
 * several character-strings, exactly as reg_format split it. */
static void
test_update_multistring_txt(void)
{
	char text[REG_TEXT_MAX], spec[REG_TEXT_MAX + 8], a[64], *p;
	struct registration r;
	struct xrr upd[1] = { { REG, DNS_TYPE_TXT, C_IN, 60, spec } };
	struct xrr pre[1] = { { REG, DNS_TYPE_TXT, C_NONE, 0, NULL } };
	struct update u;
	size_t i, o;

	memset(&r, 0, sizeof(r));
	r.heartbeat = 1764075549;
	r.lease = 180;
	for (i = 0; i < REG_MAX_ADDRS; i++) {
		snprintf(a, sizeof(a), "2001:db8:aaaa:bbbb:cccc:dddd:eeee:%zx",
		    0xff00 + i);
		CU_ASSERT_FATAL(reg_addr_parse(a, &r.addrs[r.naddrs++]) == 0);
	}
	CU_ASSERT_FATAL(reg_format(&r, text, sizeof(text)) == 0);
	/* "\"s1\" \"s2\"" -> "TXT:s1|s2" */
	o = (size_t)snprintf(spec, sizeof(spec), "TXT:");
	for (p = text; *p; p++) {
		if (*p == '"')
			continue;
		if (*p == ' ' && p[-1] == '"' && p[1] == '"')
			spec[o++] = '|';
		else
			spec[o++] = *p;
	}
	spec[o] = '\0';
	CU_ASSERT_PTR_NOT_NULL(strchr(spec, '|'));

	update_init(&u, ZONE, 0);
	CU_ASSERT_FATAL(update_add(&u, OP_NXRRSET, REG, DNS_TYPE_TXT, 0,
	    NULL) == 0);
	CU_ASSERT_FATAL(update_add(&u, OP_ADD, REG, DNS_TYPE_TXT, 60,
	    text) == 0);
	check_update(&u, 99, pre, 1, upd, 1);
	update_clean(&u);
}

static void
test_update_errors(void)
{
	static const struct {
		enum op_kind	 kind;
		const char	*owner;
		uint16_t	 type;
		const char	*rdata;
		const char	*msg;	/* prefix of the error */
	} t[] = {
		{ OP_ADD, POOL, DNS_TYPE_A, "not-an-address",
		    "bad record 'srv.example.test. A not-an-address': " },
		{ OP_ADD, POOL, DNS_TYPE_A, "2001:db8::1",
		    "bad record 'srv.example.test. A 2001:db8::1': " },
		{ OP_ADD, POOL, DNS_TYPE_AAAA, "192.0.2.1",
		    "bad record 'srv.example.test. AAAA 192.0.2.1': " },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, "192.0.2.300",
		    "bad record 'srv.example.test. A 192.0.2.300': " },
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_AAAA, "2001:db8::1::2",
		    "bad record '" REG " AAAA 2001:db8::1::2': " },
		{ OP_ADD, POOL, DNS_TYPE_A, NULL, "no data for " POOL },
		{ OP_DEL_RR, POOL, DNS_TYPE_A, NULL, "no data for " POOL },
		{ OP_YXRRSET_VAL, REG, DNS_TYPE_TXT, NULL, "no data for " REG },
		{ OP_NXRRSET, "a..b.", DNS_TYPE_TXT, NULL,
		    "bad owner name 'a..b.'" },
		{ OP_DEL_RRSET, "a..b.", DNS_TYPE_TXT, NULL,
		    "bad owner name 'a..b.'" },
	};
	uint8_t *wire;
	size_t len, cap, i;
	struct update u;
	struct error err;

	for (i = 0; i < NELEMS(t); i++) {
		update_init(&u, ZONE, 180);
		/* a good operation first: its RR must be freed too */
		CU_ASSERT_FATAL(update_add(&u, OP_ADD, POOL, DNS_TYPE_A, 60,
		    "192.0.2.1") == 0);
		CU_ASSERT_FATAL(update_add(&u, t[i].kind, t[i].owner,
		    t[i].type, 60, t[i].rdata) == 0);
		wire = NULL;
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(update_to_wire(&u, 1, &wire, &len, &cap, &err),
		    -1);
		CU_ASSERT_PTR_NULL(wire);
		CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
		if (strncmp(err.msg, t[i].msg, strlen(t[i].msg)) != 0)
			fprintf(stderr, "\nupdate error row %zu: '%s'\n", i,
			    err.msg);
		CU_ASSERT(strncmp(err.msg, t[i].msg, strlen(t[i].msg)) == 0);
		update_clean(&u);
	}

	update_init(&u, "a..b.", 0);
	CU_ASSERT_FATAL(update_add(&u, OP_ADD, POOL, DNS_TYPE_A, 60,
	    "192.0.2.1") == 0);
	wire = NULL;
	CU_ASSERT_EQUAL(update_to_wire(&u, 1, &wire, &len, &cap, &err), -1);
	CU_ASSERT_PTR_NULL(wire);
	CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
	CU_ASSERT_STRING_EQUAL(err.msg, "bad zone name 'a..b.'");
	update_clean(&u);
}

/* update_clean releases everything and leaves an empty update. */
static void
test_update_init_clean(void)
{
	struct update u;
	size_t i;

	update_init(&u, ZONE, 180);
	CU_ASSERT_STRING_EQUAL(u.zone, ZONE);
	CU_ASSERT_EQUAL(u.lease, 180);
	CU_ASSERT_EQUAL(u.nops, 0);
	CU_ASSERT_EQUAL(update_count_changes(&u), 0);
	for (i = 0; i < 100; i++)
		CU_ASSERT_FATAL(update_add(&u, i % 2 ? OP_ADD : OP_NXRRSET,
		    POOL, DNS_TYPE_A, 60, i % 2 ? "192.0.2.1" : NULL) == 0);
	CU_ASSERT_EQUAL(u.nops, 100);
	CU_ASSERT_EQUAL(update_count_changes(&u), 50);
	CU_ASSERT_EQUAL(u.ops[99].kind, OP_ADD);
	CU_ASSERT_STRING_EQUAL(u.ops[99].rdata, "192.0.2.1");
	CU_ASSERT_PTR_NULL(u.ops[98].rdata);
	update_clean(&u);
	CU_ASSERT_EQUAL(u.nops, 0);
	CU_ASSERT_PTR_NULL(u.ops);
	update_clean(&u);	/* twice is harmless */
}

/* ---- nsupdate script ------------------------------------------------ */

static char *
print_nsupdate(const struct update *u)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	update_print_nsupdate(u, f);
	fclose(f);
	return buf;
}

static void
test_print_nsupdate(void)
{
	static const char reg[] =
	    "prereq nxrrset " REG " IN TXT\n"
	    "update delete " REG " IN TXT\n"
	    "update add " REG " 60 IN TXT " TXT_NEW "\n"
	    "update add " POOL " 60 IN A 192.0.2.11\n"
	    "update add " POOL " 60 IN AAAA 2001:db8::11\n"
	    "send\n";
	static const char ren[] =
	    "prereq yxrrset " REG " IN TXT " TXT_OLD "\n"
	    "update delete " REG " IN TXT\n"
	    "update add " REG " 60 IN TXT " TXT_NEW "\n"
	    "update add " POOL " 60 IN A 192.0.2.11\n"
	    "update delete " POOL " IN A 192.0.2.10\n"
	    "send\n";
	static const char dereg[] =
	    "prereq yxrrset " REG " IN TXT " TXT_NEW "\n"
	    "update delete " POOL " IN A 192.0.2.11\n"
	    "update delete " POOL " IN AAAA 2001:db8::11\n"
	    "update delete " REG " IN TXT\n"
	    "send\n";
	struct update u;
	char *s;

	build_register(&u, 180);
	s = print_nsupdate(&u);
	CU_ASSERT_STRING_EQUAL(s, reg);
	free(s);
	update_clean(&u);

	build_renumber(&u, 180);
	s = print_nsupdate(&u);
	CU_ASSERT_STRING_EQUAL(s, ren);
	free(s);
	update_clean(&u);

	build_deregister(&u, 180);
	s = print_nsupdate(&u);
	CU_ASSERT_STRING_EQUAL(s, dereg);
	free(s);
	update_clean(&u);

	/* nothing to do: just "send" */
	update_init(&u, ZONE, 0);
	s = print_nsupdate(&u);
	CU_ASSERT_STRING_EQUAL(s, "send\n");
	free(s);
	update_clean(&u);
}

/* ---- queries -------------------------------------------------------- */

static void
test_query(void)
{
	static const struct xrr q[] = {
		{ REG, DNS_TYPE_TXT, C_IN, 0, NULL },
	};
	static const struct xrr soa[] = {
		{ ZONE, DNS_TYPE_SOA, C_IN, 0, NULL },
	};
	/* EDNS: UDP size 1232, no options */
	static const struct xrr opt[] = {
		{ ".", T_OPT, 1232, 0, NULL },
	};
	uint8_t *wire = NULL;
	size_t len, cap;
	struct error err;
	struct wmsg m;
	ldns_pkt *pkt = NULL;

	CU_ASSERT_EQUAL_FATAL(query_to_wire(REG, DNS_TYPE_TXT, 1, 0x4321,
	    &wire, &len, &cap, &err), 0);
	CU_ASSERT(cap > len);
	CU_ASSERT_EQUAL_FATAL(w_parse(wire, len, &m), 0);
	CU_ASSERT_EQUAL(m.id, 0x4321);
	CU_ASSERT_EQUAL(m.flags, 0x0100);	/* QUERY, RD */
	check_wire_section(&m, 0, q, 1);
	CU_ASSERT_EQUAL(m.count[1], 0);
	CU_ASSERT_EQUAL(m.count[2], 0);
	check_wire_section(&m, 3, opt, 1);
	CU_ASSERT_EQUAL_FATAL(ldns_wire2pkt(&pkt, wire, len), LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(ldns_pkt_get_opcode(pkt), LDNS_PACKET_QUERY);
	CU_ASSERT_TRUE(ldns_pkt_rd(pkt));
	CU_ASSERT_EQUAL(ldns_pkt_id(pkt), 0x4321);
	check_ldns_list(ldns_pkt_question(pkt), q, 1, 1);
	ldns_pkt_free(pkt);
	free(wire);

	/* RD clear when not asked for (queries to an authoritative server) */
	wire = NULL;
	CU_ASSERT_EQUAL_FATAL(query_to_wire("Example.Test.", DNS_TYPE_SOA, 0,
	    0, &wire, &len, &cap, &err), 0);
	CU_ASSERT_EQUAL_FATAL(w_parse(wire, len, &m), 0);
	CU_ASSERT_EQUAL(m.id, 0);
	CU_ASSERT_EQUAL(m.flags, 0x0000);
	check_wire_section(&m, 0, soa, 1);
	check_wire_section(&m, 3, opt, 1);
	free(wire);

	wire = NULL;
	CU_ASSERT_EQUAL(query_to_wire("a..b.", DNS_TYPE_A, 1, 1, &wire, &len,
	    &cap, &err), -1);
	CU_ASSERT_PTR_NULL(wire);
	CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
	CU_ASSERT_STRING_EQUAL(err.msg, "bad name 'a..b.'");
}

/* ---- answers -------------------------------------------------------- */

static ldns_rr *
rr_from(const char *s)
{
	ldns_rr *rr = NULL;

	CU_ASSERT_EQUAL_FATAL(ldns_rr_new_frm_str(&rr, s, 0, NULL, NULL),
	    LDNS_STATUS_OK);
	return rr;
}

/* The answer to the agent's TXT query: a two-string TXT RR, the SOA in
 * the authority section; with a TSIG RR if key is given. */
static void
build_answer(uint8_t **wire, size_t *len, int rcode, int aa, int with_txt,
    const char *key)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	ldns_pkt_set_id(p, 0x4242);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, aa);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	CU_ASSERT_EQUAL_FATAL(ldns_rr_new_question_frm_str(&q,
	    "Host1._RollCall.Srv.Example.Test. IN TXT", NULL, NULL),
	    LDNS_STATUS_OK);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	if (with_txt)
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr_from(
		    "Host1._RollCall.Srv.Example.Test. 60 IN TXT "
		    "\"v=rc1 t=1764075549 lease=180 a=192.0.2.11\" "
		    "\"a=2001:db8::11\""));
	ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr_from(
	    "example.test. 3600 IN SOA ns1.example.test. "
	    "hostmaster.example.test. 2024010101 3600 900 604800 60"));
	if (key != NULL)
		CU_ASSERT_EQUAL_FATAL(ldns_pkt_tsig_sign(p, key,
		    "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", 300, "hmac-sha256.",
		    NULL), LDNS_STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(ldns_pkt2wire(wire, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
}

#define SOA_RDATA	"ns1.example.test. hostmaster.example.test. " \
			"2024010101 3600 900 604800 60"

static void
test_answer_parse(void)
{
	uint8_t *wire = NULL;
	size_t len = 0;
	struct answer a;
	struct error err;
	struct registration r;

	build_answer(&wire, &len, RCODE_NOERROR, 1, 1, NULL);
	CU_ASSERT_EQUAL_FATAL(answer_parse(wire, len, &a, &err), 0);
	CU_ASSERT_EQUAL(a.rcode, RCODE_NOERROR);
	CU_ASSERT_EQUAL(a.aa, 1);
	CU_ASSERT_EQUAL_FATAL(a.nan, 1);
	/* owners come back in lower case */
	CU_ASSERT_STRING_EQUAL(a.an[0].owner, REG);
	CU_ASSERT_EQUAL(a.an[0].type, DNS_TYPE_TXT);
	CU_ASSERT_EQUAL(a.an[0].ttl, 60);
	CU_ASSERT_STRING_EQUAL(a.an[0].rdata,
	    "\"v=rc1 t=1764075549 lease=180 a=192.0.2.11\" \"a=2001:db8::11\"");
	CU_ASSERT_EQUAL_FATAL(a.nns, 1);
	CU_ASSERT_STRING_EQUAL(a.ns[0].owner, ZONE);
	CU_ASSERT_EQUAL(a.ns[0].type, DNS_TYPE_SOA);
	CU_ASSERT_EQUAL(a.ns[0].ttl, 3600);
	/* names inside rdata keep the case they were sent in (here
	 * compressed against the question's "Example.Test.") */
	CU_ASSERT(strcasecmp(a.ns[0].rdata, SOA_RDATA) == 0);
	/* what the agent does with it */
	CU_ASSERT_EQUAL(reg_parse(a.an[0].rdata, &r, &err), 0);
	CU_ASSERT_EQUAL(r.naddrs, 2);
	answer_clean(&a);
	CU_ASSERT_PTR_NULL(a.an);
	CU_ASSERT_EQUAL(a.nan, 0);
	answer_clean(&a);
	free(wire);

	/* NXDOMAIN from a non-authoritative server: SOA only */
	build_answer(&wire, &len, RCODE_NXDOMAIN, 0, 0, NULL);
	CU_ASSERT_EQUAL_FATAL(answer_parse(wire, len, &a, &err), 0);
	CU_ASSERT_EQUAL(a.rcode, RCODE_NXDOMAIN);
	CU_ASSERT_EQUAL(a.aa, 0);
	CU_ASSERT_EQUAL(a.nan, 0);
	CU_ASSERT_EQUAL_FATAL(a.nns, 1);
	CU_ASSERT(strcasecmp(a.ns[0].rdata, SOA_RDATA) == 0);
	answer_clean(&a);
	free(wire);

	/* a signed answer: the TSIG RR is in no list */
	build_answer(&wire, &len, RCODE_REFUSED, 1, 1, "key.example.");
	CU_ASSERT_EQUAL_FATAL(answer_parse(wire, len, &a, &err), 0);
	CU_ASSERT_EQUAL(a.rcode, RCODE_REFUSED);
	CU_ASSERT_EQUAL(a.nan, 1);
	CU_ASSERT_EQUAL(a.nns, 1);
	CU_ASSERT_EQUAL(a.an[0].type, DNS_TYPE_TXT);
	answer_clean(&a);
	free(wire);
}

/* A TSIG RR misplaced in the answer section is left out too. */
static void
test_answer_skips_tsig(void)
{
	uint8_t *wire = NULL, *signed_wire = NULL, *w;
	size_t len, slen, qend, tlen;
	struct answer a;
	struct error err;

	/*
	 * Splice the TSIG RR of a signed message between the question and
	 * the authority section of the unsigned one and call it the answer:
	 * header | question | TSIG | SOA, ANCOUNT 1.  The question is the
	 * header, the name and type/class; the SOA's compression pointers
	 * point into the question and stay valid.
	 */
	build_answer(&wire, &len, 0, 1, 0, NULL);
	build_answer(&signed_wire, &slen, 0, 1, 0, "key.example.");
	CU_ASSERT_FATAL(slen > len);
	tlen = slen - len;
	qend = 12 + strlen(REG) + 1 + 4;
	w = malloc(slen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	memcpy(w, wire, qend);
	memcpy(w + qend, signed_wire + len, tlen);
	memcpy(w + qend + tlen, wire + qend, len - qend);
	w[6] = 0;
	w[7] = 1;		/* ANCOUNT */

	CU_ASSERT_EQUAL_FATAL(answer_parse(w, slen, &a, &err), 0);
	CU_ASSERT_EQUAL(a.nan, 0);
	CU_ASSERT_EQUAL_FATAL(a.nns, 1);
	CU_ASSERT_EQUAL(a.ns[0].type, DNS_TYPE_SOA);
	answer_clean(&a);
	free(w);
	free(wire);
	free(signed_wire);
}

/* Cut anywhere, a message is refused; it never crashes the parser. */
static void
test_answer_truncated(void)
{
	uint8_t *wire = NULL, *copy;
	size_t len = 0, i;
	struct answer a;
	struct error err;

	build_answer(&wire, &len, RCODE_NOERROR, 1, 1, "key.example.");
	for (i = 0; i < len; i++) {
		/* an exact-size copy, so that ASan sees any over-read */
		copy = malloc(i ? i : 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
		memcpy(copy, wire, i);
		memset(&err, 0, sizeof(err));
		if (answer_parse(copy, i, &a, &err) == 0) {
			fprintf(stderr, "\nprefix of %zu octets parsed\n", i);
			CU_FAIL("prefix parsed");
			answer_clean(&a);
		} else {
			CU_ASSERT_EQUAL(err.kind, ERR_PROTO);
			CU_ASSERT(strncmp(err.msg, "malformed answer: ", 18) == 0);
			CU_ASSERT_PTR_NULL(a.an);
			CU_ASSERT_PTR_NULL(a.ns);
		}
		free(copy);
	}
	CU_ASSERT_EQUAL(answer_parse(wire, len, &a, &err), 0);
	answer_clean(&a);
	free(wire);
}

/* Corrupted and random messages: -1, or a parse whose lists are sound. */
static void
check_garbage(const uint8_t *w, size_t len)
{
	struct answer a;
	struct error err;
	size_t i;

	if (answer_parse(w, len, &a, &err) == -1) {
		CU_ASSERT_PTR_NULL(a.an);
		CU_ASSERT_PTR_NULL(a.ns);
		return;
	}
	CU_ASSERT(a.rcode >= 0 && a.rcode <= 15);
	for (i = 0; i < a.nan; i++)
		CU_ASSERT_PTR_NOT_NULL(a.an[i].rdata);
	for (i = 0; i < a.nns; i++)
		CU_ASSERT_PTR_NOT_NULL(a.ns[i].rdata);
	answer_clean(&a);
}

static void
test_answer_garbage(void)
{
	/* header, QDCOUNT 1, name is a pointer to itself */
	static const uint8_t loop[] = {
		0, 1, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 16, 0, 1,
	};
	/* ANCOUNT 1, an RR whose RDLENGTH runs past the end */
	static const uint8_t longrd[] = {
		0, 1, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
		0, 0, 16, 0, 1, 0, 0, 0, 60, 0, 200, 3, 'a', 'b', 'c',
	};
	uint8_t *wire = NULL, *w;
	size_t len = 0, i, n;
	uint32_t seed = 12345;
	struct answer a;
	struct error err;
	int bit;

	CU_ASSERT_EQUAL(answer_parse(loop, sizeof(loop), &a, &err), -1);
	CU_ASSERT_EQUAL(answer_parse(longrd, sizeof(longrd), &a, &err), -1);
	CU_ASSERT_EQUAL(answer_parse(loop, 0, &a, &err), -1);

	/* every bit of a valid message flipped in turn */
	build_answer(&wire, &len, RCODE_NOERROR, 1, 1, "key.example.");
	w = malloc(len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	for (i = 0; i < len; i++)
		for (bit = 0; bit < 8; bit++) {
			memcpy(w, wire, len);
			w[i] ^= (uint8_t)(1u << bit);
			check_garbage(w, len);
		}
	free(w);
	free(wire);

	/* random bytes behind a header that promises a few RRs */
	for (n = 0; n < 3000; n++) {
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % 300;
		w = malloc(len ? len : 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(w);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			w[i] = (uint8_t)(seed >> 16);
		}
		if (len >= 12)
			for (i = 4; i < 12; i += 2)
				w[i] = 0, w[i + 1] &= 3;
		check_garbage(w, len);
		free(w);
	}
}

static void
test_rcode_name(void)
{
	static const struct {
		int		 rcode;
		const char	*name;
	} t[] = {
		{ 0, "NOERROR" }, { 1, "FORMERR" }, { 2, "SERVFAIL" },
		{ 3, "NXDOMAIN" }, { 4, "NOTIMP" }, { 5, "REFUSED" },
		{ 6, "YXDOMAIN" }, { 7, "YXRRSET" }, { 8, "NXRRSET" },
		{ 9, "NOTAUTH" }, { 10, "NOTZONE" },
		/* unknown: the number, as dnsmsg.h promises */
		{ 11, "RCODE11" }, { 15, "RCODE15" }, { 23, "RCODE23" },
		{ 4095, "RCODE4095" }, { -1, "RCODE-1" },
	};
	size_t i;

	for (i = 0; i < NELEMS(t); i++)
		CU_ASSERT_STRING_EQUAL(rcode_name(t[i].rcode), t[i].name);
	CU_ASSERT_STRING_EQUAL(rcode_name(RCODE_NOTAUTH), "NOTAUTH");
}

static void
test_type_name(void)
{
	char buf[16];

	CU_ASSERT_STRING_EQUAL(type_name(DNS_TYPE_A, buf, sizeof(buf)), "A");
	CU_ASSERT_STRING_EQUAL(type_name(DNS_TYPE_AAAA, buf, sizeof(buf)),
	    "AAAA");
	CU_ASSERT_STRING_EQUAL(type_name(DNS_TYPE_TXT, buf, sizeof(buf)),
	    "TXT");
	CU_ASSERT_STRING_EQUAL(type_name(DNS_TYPE_SOA, buf, sizeof(buf)),
	    "SOA");
	CU_ASSERT_STRING_EQUAL(type_name(65280, buf, sizeof(buf)),
	    "TYPE65280");
}

static void
test_msg_to_text(void)
{
	static const uint8_t junk[] = { 1, 2, 3 };
	uint8_t *wire = NULL;
	size_t len, cap;
	struct update u;
	struct error err;
	char *s;

	s = msg_to_text(junk, sizeof(junk));
	CU_ASSERT_STRING_EQUAL(s, ";; (malformed message)");
	free(s);
	build_register(&u, 180);
	CU_ASSERT_FATAL(update_to_wire(&u, 0xbeef, &wire, &len, &cap, &err)
	    == 0);
	s = msg_to_text(wire, len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "opcode: UPDATE"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "id: 48879"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "192.0.2.11"));
	free(s);
	free(wire);
	update_clean(&u);
}

/*
 * answer_parse writes owners, TXT, A and AAAA itself (ldns's printer was
 * half the time of a large AXFR): its text must be exactly ldns's, for
 * every byte value in names and strings.
 */
static void
test_presentation_as_ldns(void)
{
	unsigned seed = 12345;
	int round;

	for (round = 0; round < 300; round++) {
		uint8_t name[64], txt[64], a6[16];
		ldns_pkt *pkt = ldns_pkt_new();
		ldns_rr *rr = ldns_rr_new();
		ldns_rdf *owner;
		struct answer a;
		struct error err;
		uint8_t *wire = NULL;
		size_t len, i, nl = 1 + (size_t)(rand_r(&seed) % 20);
		char *want_owner, *want_txt, *want_a6;

		/* one label of random bytes under "test." */
		name[0] = (uint8_t)nl;
		for (i = 1; i <= nl; i++)
			name[i] = (uint8_t)rand_r(&seed);
		memcpy(name + nl + 1, "\004test\000", 6);
		owner = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, nl + 7, name);
		txt[0] = (uint8_t)(rand_r(&seed) % 40);
		for (i = 1; i <= txt[0]; i++)
			txt[i] = (uint8_t)rand_r(&seed);
		for (i = 0; i < 16; i++)
			a6[i] = (uint8_t)rand_r(&seed);
		ldns_rr_set_owner(rr, owner);
		ldns_rr_set_type(rr, LDNS_RR_TYPE_TXT);
		ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR,
		    (size_t)txt[0] + 1, txt));
		ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
		rr = ldns_rr_new();
		ldns_rr_set_owner(rr, ldns_rdf_clone(owner));
		ldns_rr_set_type(rr, LDNS_RR_TYPE_AAAA);
		ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_AAAA,
		    16, a6));
		ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
		CU_ASSERT_FATAL(ldns_pkt2wire(&wire, pkt, &len) ==
		    LDNS_STATUS_OK);
		want_owner = ldns_rdf2str(owner);
		want_txt = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(
		    ldns_pkt_answer(pkt), 0), 0));
		want_a6 = ldns_rdf2str(ldns_rr_rdf(rr, 0));
		CU_ASSERT_EQUAL_FATAL(answer_parse(wire, len, &a, &err), 0);
		CU_ASSERT_EQUAL_FATAL(a.nan, 2);
		for (i = 0; want_owner[i]; i++)
			want_owner[i] = (char)tolower((unsigned char)want_owner[i]);
		CU_ASSERT_STRING_EQUAL(a.an[0].owner, want_owner);
		CU_ASSERT_STRING_EQUAL(a.an[0].rdata, want_txt);
		CU_ASSERT_STRING_EQUAL(a.an[1].rdata, want_a6);
		answer_clean(&a);
		free(want_owner);
		free(want_txt);
		free(want_a6);
		free(wire);
		ldns_pkt_free(pkt);
	}
}

/* ---- differential: update_to_wire against the old ldns builder ---- */

/*
 * The reference: how update_to_wire built its messages before it encoded
 * them itself (an ldns_pkt from ldns_rr_new_frm_str RRs), copied here
 * unchanged.  Every random update below must read back (ldns_wire2pkt)
 * as exactly this packet, or fail with exactly its error.
 */
static int
ref_is_prereq(enum op_kind k)
{
	return k == OP_NXRRSET || k == OP_YXRRSET_VAL;
}

static ldns_rr *
ref_rr_empty(const char *owner, uint16_t type, ldns_rr_class cls)
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
ref_rr_with_data(const struct op *op, ldns_rr_class cls, uint32_t ttl,
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
ref_op_to_rr(const struct op *op, struct error *err)
{
	ldns_rr *rr = NULL;

	switch (op->kind) {
	case OP_NXRRSET:
		rr = ref_rr_empty(op->owner, op->type, LDNS_RR_CLASS_NONE);
		break;
	case OP_DEL_RRSET:
		rr = ref_rr_empty(op->owner, op->type, LDNS_RR_CLASS_ANY);
		break;
	case OP_YXRRSET_VAL:
		return ref_rr_with_data(op, LDNS_RR_CLASS_IN, 0, err);
	case OP_ADD:
		return ref_rr_with_data(op, LDNS_RR_CLASS_IN, op->ttl, err);
	case OP_DEL_RR:
		return ref_rr_with_data(op, LDNS_RR_CLASS_NONE, 0, err);
	}
	if (rr == NULL)
		err_set(err, ERR_CONFIG, "bad owner name '%s'", op->owner);
	return rr;
}

static int
ref_set_lease_option(ldns_pkt *pkt, uint32_t lease)
{
	uint8_t opt[8];
	ldns_rdf *data;

	ldns_write_uint16(opt, EDNS_OPT_UPDATE_LEASE);
	ldns_write_uint16(opt + 2, 4);
	ldns_write_uint32(opt + 4, lease);
	data = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, sizeof(opt), opt);
	if (data == NULL)
		return -1;
	ldns_pkt_set_edns_udp_size(pkt, 1232);
	ldns_pkt_set_edns_data(pkt, data);
	return 0;
}

/* The packet the old update_to_wire encoded, or NULL with err set. */
static ldns_pkt *
ref_update_pkt(const struct update *u, uint16_t id, struct error *err)
{
	ldns_rr_list *pre = ldns_rr_list_new(), *upd = ldns_rr_list_new();
	ldns_rdf *zone = ldns_dname_new_frm_str(u->zone);
	ldns_pkt *pkt = NULL;
	ldns_rr *rr;
	size_t i;

	if (pre == NULL || upd == NULL || zone == NULL) {
		err_set(err, ERR_CONFIG, "bad zone name '%s'", u->zone);
		goto out;
	}
	for (i = 0; i < u->nops; i++) {
		if ((rr = ref_op_to_rr(&u->ops[i], err)) == NULL)
			goto out;
		ldns_rr_list_push_rr(ref_is_prereq(u->ops[i].kind) ? pre : upd,
		    rr);
	}
	pkt = ldns_update_pkt_new(zone, LDNS_RR_CLASS_IN, pre, upd, NULL);
	zone = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(pkt);
	ldns_pkt_set_id(pkt, id);
	ldns_pkt_set_rd(pkt, false);
	if (u->lease != 0)
		CU_ASSERT_FATAL(ref_set_lease_option(pkt, u->lease) == 0);
out:
	ldns_rdf_deep_free(zone);
	ldns_rr_list_deep_free(pre);
	ldns_rr_list_deep_free(upd);
	return pkt;
}

/* Every compression pointer in the message points back, below 16384
 * (RFC 1035 4.1.4: 14 bits).  Returns the number of pointers, and the
 * offset of the last one in *last. */
static size_t
check_pointers(const uint8_t *w, size_t len, size_t *last)
{
	size_t pos = 12, n = 0, i, total;
	uint16_t ptr;

	*last = 0;
	total = (size_t)rd16(w + 4) + rd16(w + 6) + rd16(w + 8) + rd16(w + 10);
	for (i = 0; i < total; i++) {
		for (;;) {
			CU_ASSERT_FATAL(pos < len);
			if ((w[pos] & 0xc0) == 0xc0) {
				ptr = rd16(w + pos) & 0x3fff;
				CU_ASSERT(ptr < pos);
				CU_ASSERT(ptr >= 12);
				*last = pos;
				n++;
				pos += 2;
				break;
			}
			CU_ASSERT_FATAL((w[pos] & 0xc0) == 0);
			if (w[pos] == 0) {
				pos++;
				break;
			}
			pos += 1 + w[pos];
		}
		pos += 4;
		if (i == 0)
			continue;	/* the zone section: no TTL, rdata */
		CU_ASSERT_FATAL(pos + 6 <= len);
		pos += 6 + rd16(w + pos + 4);
	}
	CU_ASSERT_EQUAL(pos, len);
	return n;
}

static void
same_rr_list(const ldns_rr_list *got, const ldns_rr_list *want)
{
	size_t i;

	CU_ASSERT_EQUAL_FATAL(ldns_rr_list_rr_count(got),
	    ldns_rr_list_rr_count(want));
	for (i = 0; i < ldns_rr_list_rr_count(want); i++) {
		const ldns_rr *g = ldns_rr_list_rr(got, i);
		const ldns_rr *x = ldns_rr_list_rr(want, i);
		char *gs = ldns_rr2str(g), *xs = ldns_rr2str(x);

		CU_ASSERT_PTR_NOT_NULL_FATAL(gs);
		CU_ASSERT_PTR_NOT_NULL_FATAL(xs);
		if (strcmp(gs, xs) != 0 || ldns_rr_compare(g, x) != 0)
			fprintf(stderr, "\nRR %zu differs:\n got  %s want %s", i,
			    gs, xs);
		CU_ASSERT_STRING_EQUAL(gs, xs);
		CU_ASSERT_EQUAL(ldns_rr_compare(g, x), 0);
		CU_ASSERT_EQUAL(ldns_rr_get_class(g), ldns_rr_get_class(x));
		CU_ASSERT_EQUAL(ldns_rr_ttl(g), ldns_rr_ttl(x));
		CU_ASSERT_EQUAL(ldns_rr_rd_count(g), ldns_rr_rd_count(x));
		free(gs);
		free(xs);
	}
}

/* Encode u both ways; the results must agree.  Returns our length (0 on
 * an error, which must be the reference's error). */
static size_t
diff_update(const struct update *u, uint16_t id)
{
	struct error eref, enew;
	ldns_pkt *ref, *got = NULL;
	uint8_t *wire = NULL;
	size_t len = 0, cap = 0, last;
	int rc;

	memset(&eref, 0, sizeof(eref));
	memset(&enew, 0, sizeof(enew));
	ref = ref_update_pkt(u, id, &eref);
	rc = update_to_wire(u, id, &wire, &len, &cap, &enew);
	if (ref == NULL) {
		if (rc != -1 || enew.kind != eref.kind ||
		    strcmp(enew.msg, eref.msg) != 0)
			fprintf(stderr, "\nerrors differ: got %d '%s', want "
			    "'%s'\n", rc, enew.msg, eref.msg);
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_PTR_NULL(wire);
		CU_ASSERT_EQUAL(enew.kind, eref.kind);
		CU_ASSERT_STRING_EQUAL(enew.msg, eref.msg);
		free(wire);
		return 0;
	}
	if (rc != 0)
		fprintf(stderr, "\nunexpected error: '%s'\n", enew.msg);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_FATAL(len >= 12 && cap == len + 600);
	memset(wire + len, 0xaa, cap - len);	/* ASan: really allocated */
	check_pointers(wire, len, &last);
	CU_ASSERT_EQUAL_FATAL(ldns_wire2pkt(&got, wire, len), LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(rd16(wire + 2), FLAGS_UPDATE);
	CU_ASSERT_EQUAL(rd16(wire + 4), 1);
	CU_ASSERT_EQUAL(rd16(wire + 6),
	    ldns_rr_list_rr_count(ldns_pkt_answer(ref)));
	CU_ASSERT_EQUAL(rd16(wire + 8),
	    ldns_rr_list_rr_count(ldns_pkt_authority(ref)));
	CU_ASSERT_EQUAL(rd16(wire + 10), u->lease != 0);
	CU_ASSERT_EQUAL(ldns_pkt_id(got), ldns_pkt_id(ref));
	CU_ASSERT_EQUAL(ldns_pkt_get_opcode(got), ldns_pkt_get_opcode(ref));
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(got), ldns_pkt_get_rcode(ref));
	CU_ASSERT_EQUAL(ldns_pkt_qr(got), ldns_pkt_qr(ref));
	CU_ASSERT_EQUAL(ldns_pkt_aa(got), ldns_pkt_aa(ref));
	CU_ASSERT_EQUAL(ldns_pkt_tc(got), ldns_pkt_tc(ref));
	CU_ASSERT_EQUAL(ldns_pkt_rd(got), ldns_pkt_rd(ref));
	CU_ASSERT_EQUAL(ldns_pkt_cd(got), ldns_pkt_cd(ref));
	CU_ASSERT_EQUAL(ldns_pkt_ra(got), ldns_pkt_ra(ref));
	CU_ASSERT_EQUAL(ldns_pkt_ad(got), ldns_pkt_ad(ref));
	CU_ASSERT_EQUAL(ldns_pkt_qdcount(got), ldns_pkt_qdcount(ref));
	CU_ASSERT_EQUAL(ldns_pkt_ancount(got), ldns_pkt_ancount(ref));
	CU_ASSERT_EQUAL(ldns_pkt_nscount(got), ldns_pkt_nscount(ref));
	same_rr_list(ldns_pkt_question(got), ldns_pkt_question(ref));
	same_rr_list(ldns_pkt_answer(got), ldns_pkt_answer(ref));
	same_rr_list(ldns_pkt_authority(got), ldns_pkt_authority(ref));
	same_rr_list(ldns_pkt_additional(got), ldns_pkt_additional(ref));
	CU_ASSERT_EQUAL(ldns_pkt_edns(got), ldns_pkt_edns(ref));
	CU_ASSERT_EQUAL(ldns_pkt_edns_udp_size(got),
	    ldns_pkt_edns_udp_size(ref));
	CU_ASSERT_EQUAL(ldns_pkt_edns_version(got), ldns_pkt_edns_version(ref));
	CU_ASSERT_EQUAL(ldns_pkt_edns_do(got), ldns_pkt_edns_do(ref));
	CU_ASSERT_EQUAL(ldns_pkt_edns_extended_rcode(got),
	    ldns_pkt_edns_extended_rcode(ref));
	CU_ASSERT_EQUAL(ldns_pkt_edns_data(got) == NULL,
	    ldns_pkt_edns_data(ref) == NULL);
	if (ldns_pkt_edns_data(got) != NULL && ldns_pkt_edns_data(ref) != NULL)
		CU_ASSERT_EQUAL(ldns_rdf_compare(ldns_pkt_edns_data(got),
		    ldns_pkt_edns_data(ref)), 0);
	ldns_pkt_free(got);
	ldns_pkt_free(ref);
	free(wire);
	return len;
}

static uint64_t rnd_state;

static uint32_t
rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state >> 11) % n;
}

static void
rnd_owner(char *out, size_t len, int escapes)
{
	static const char *labels[] = {
		"h1", "H2", "_rollcall", "srv", "pool-a", "x", "mx", "www",
		"host17", "Srv", "a-b_c", "z9",
	};
	static const char *odd[] = {
		"a\\.b", "\\065bc", "sp\\032ace", "semi\\;c", "\\\\bs",
		"\\255x", "UP\\067",
	};
	size_t o = 0, i, n = rnd(4);

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *l = escapes && rnd(8) == 0 ? odd[rnd(NELEMS(odd))] :
		    labels[rnd(NELEMS(labels))];

		o += (size_t)snprintf(out + o, len - o, "%s.", l);
	}
	snprintf(out + o, len - o, "%s", rnd(10) == 0 ? "Example.TEST." :
	    ZONE);
}

/* TXT presentation: quoted strings with \" \\ \DDD and words, sometimes
 * something only ldns's own parser should decide on. */
static void
rnd_txt(char *out, size_t len, int odd)
{
	static const char plain[] = "abcXYZ0189 =:.-_/+,!#$%&'*<>?@[]^`{|}~";
	size_t o = 0, i, j, ns = 1 + rnd(3), nc;

	for (i = 0; i < ns && o + 1100 < len; i++) {
		int quoted = rnd(4) != 0;

		if (i > 0)
			out[o++] = ' ';
		if (i > 0 && rnd(6) == 0)
			out[o++] = ' ';
		if (quoted)
			out[o++] = '"';
		nc = rnd(8) == 0 ? 200 + rnd(odd ? 70 : 56) : rnd(12) + (quoted ? 0 : 1);
		for (j = 0; j < nc; j++) {
			uint32_t k = rnd(20);

			if (quoted && k == 0)
				o += (size_t)snprintf(out + o, len - o, "\\\"");
			else if (k == 1)
				o += (size_t)snprintf(out + o, len - o, "\\\\");
			else if (k == 2)
				o += (size_t)snprintf(out + o, len - o, "\\%03u",
				    rnd(256));
			else if (odd && k == 3) {
				static const char *o3[] = { ";", "(", ")",
				    "\t", "\\a", "\\1", "\\256", "\\12x",
				    "\xc3\xa9", "\"" };

				o += (size_t)snprintf(out + o, len - o, "%s",
				    o3[rnd(NELEMS(o3))]);
			} else {
				char c = plain[rnd(sizeof(plain) - 1)];

				if (!quoted && c == ' ')
					c = 'q';
				out[o++] = c;
			}
		}
		if (quoted)
			out[o++] = '"';
	}
	if (odd && rnd(20) == 0)
		out[o++] = ' ';
	out[o] = '\0';
}

static void
rnd_rdata(uint16_t *type, char *out, size_t len, int odd)
{
	uint8_t a[16];
	size_t i;

	switch (rnd(odd ? 7 : 5)) {
	case 0:
		*type = DNS_TYPE_A;
		for (i = 0; i < 4; i++)
			a[i] = (uint8_t)rnd(256);
		inet_ntop(AF_INET, a, out, (socklen_t)len);
		break;
	case 1:
		*type = DNS_TYPE_AAAA;
		for (i = 0; i < 16; i++)
			a[i] = rnd(3) == 0 ? 0 : (uint8_t)rnd(256);
		inet_ntop(AF_INET6, a, out, (socklen_t)len);
		if (rnd(4) == 0)
			for (i = 0; out[i]; i++)
				out[i] = (char)toupper((unsigned char)out[i]);
		if (rnd(8) == 0)
			snprintf(out, len, "::ffff:192.0.2.%u", rnd(256));
		break;
	case 2:
	case 3:
		*type = DNS_TYPE_TXT;
		rnd_txt(out, len, odd);
		break;
	case 4:
		if (rnd(2)) {
			*type = 15;	/* MX */
			snprintf(out, len, "%u mail%u.example.test.", rnd(100),
			    rnd(5));
		} else {
			*type = DNS_TYPE_CNAME;
			snprintf(out, len, "target%u.Example.test.", rnd(5));
		}
		break;
	case 5:		/* bad addresses */
		*type = rnd(2) ? DNS_TYPE_A : DNS_TYPE_AAAA;
		snprintf(out, len, "%s", (const char *[]){ "192.0.2.300",
		    "2001:db8::1::2", "1.2.3", "192.0.2.1 ", "", "::1",
		    "10.0.0.1" }[rnd(7)]);
		break;
	default:	/* a TXT string too long, or some other type */
		if (rnd(2)) {
			*type = DNS_TYPE_TXT;
			memset(out, 'L', 300);
			out[300] = '\0';
		} else {
			*type = DNS_TYPE_NS;
			snprintf(out, len, "ns%u.example.test.", rnd(3));
		}
		break;
	}
}

static void
rnd_update(struct update *u, size_t nops, int odd)
{
	static char rd[4096];
	char owner[256];
	size_t i;

	update_init(u, rnd(20) == 0 ? "Example.TEST." : ZONE,
	    rnd(3) == 0 ? 0 : 1 + rnd(100000));
	for (i = 0; i < nops; i++) {
		enum op_kind k = (enum op_kind)rnd(5);
		uint16_t type = DNS_TYPE_A;

		rnd_owner(owner, sizeof(owner), odd);
		rnd_rdata(&type, rd, sizeof(rd), odd);
		CU_ASSERT_FATAL(update_add(u, k, owner, type, rnd(100000),
		    k == OP_NXRRSET || k == OP_DEL_RRSET ? NULL : rd) == 0);
	}
}

static void
test_update_differential(void)
{
	struct update u;
	size_t i, ok = 0, bad = 0;

	rnd_state = 0x9e3779b97f4a7c15ull;
	/* well-formed updates: all must encode, as ldns did */
	for (i = 0; i < 1500; i++) {
		rnd_update(&u, 1 + rnd(24), 0);
		ok += diff_update(&u, (uint16_t)rnd(65536)) != 0;
		update_clean(&u);
	}
	CU_ASSERT_EQUAL(ok, 1500);
	/* with escapes in names, odd text and bad data: ldns's result,
	 * whichever it is */
	for (ok = 0, i = 0; i < 1500; i++) {
		rnd_update(&u, 1 + rnd(12), 1);
		if (diff_update(&u, (uint16_t)rnd(65536)) != 0)
			ok++;
		else
			bad++;
		update_clean(&u);
	}
	CU_ASSERT(ok > 100);
	CU_ASSERT(bad > 100);
}

/*
 * A message well past 16 KiB: names first written after offset 16383
 * cannot be pointed to (14-bit pointers), names written before can, from
 * anywhere.  Then one too large for 64 KiB less the TSIG room.
 */
static void
test_update_large(void)
{
	struct update u;
	struct error err;
	char owner[256], rd[64];
	uint8_t *wire = NULL;
	size_t i, len, cap, last, nptr;

	update_init(&u, ZONE, 3600);
	for (i = 0; i < 900; i++) {
		snprintf(owner, sizeof(owner), "host%zu._rollcall.pool%zu."
		    ZONE, i % 450, i % 7);
		snprintf(rd, sizeof(rd), "\"v=rc1 t=%zu a=192.0.2.%zu\"", i,
		    i % 256);
		CU_ASSERT_FATAL(update_add(&u, i % 3 ? OP_ADD : OP_YXRRSET_VAL,
		    owner, DNS_TYPE_TXT, 60, rd) == 0);
		/* new suffixes late in the message, each used again */
		snprintf(owner, sizeof(owner), "late%zu.pool%zu." ZONE,
		    i / 4, i / 4 % 7);
		CU_ASSERT_FATAL(update_add(&u, OP_DEL_RR, owner, DNS_TYPE_A,
		    0, "192.0.2.1") == 0);
	}
	len = diff_update(&u, 4242);
	CU_ASSERT(len > 32768);
	CU_ASSERT_EQUAL_FATAL(update_to_wire(&u, 1, &wire, &len, &cap, &err),
	    0);
	nptr = check_pointers(wire, len, &last);
	CU_ASSERT(nptr >= 1800);
	CU_ASSERT(last > 32768);	/* compression all the way */
	free(wire);
	update_clean(&u);

	/* too large: the same error as before */
	update_init(&u, ZONE, 0);
	for (i = 0; i < 400; i++) {
		memset(rd, 0, sizeof(rd));
		snprintf(owner, sizeof(owner), "h%zu." ZONE, i);
		CU_ASSERT_FATAL(update_add(&u, OP_ADD, owner, DNS_TYPE_TXT, 60,
		    "\"" "0123456789012345678901234567890123456789"
		    "0123456789012345678901234567890123456789"
		    "0123456789012345678901234567890123456789" "\" \""
		    "0123456789012345678901234567890123456789" "\"") == 0);
	}
	wire = NULL;
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(update_to_wire(&u, 1, &wire, &len, &cap, &err), -1);
	CU_ASSERT_PTR_NULL(wire);
	CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
	CU_ASSERT(strncmp(err.msg, "DNS message too large (", 23) == 0);
	update_clean(&u);
}

void
suite_dnsmsg(void)
{
	CU_pSuite s = test_add_suite("dnsmsg");

	test_add(s, "UPDATE register sections", test_update_register);
	test_add(s, "UPDATE renumber sections", test_update_renumber);
	test_add(s, "UPDATE deregister sections", test_update_deregister);
	test_add(s, "UPDATE multi-string TXT", test_update_multistring_txt);
	test_add(s, "UPDATE encoding errors", test_update_errors);
	test_add(s, "UPDATE as the ldns builder made it",
	    test_update_differential);
	test_add(s, "UPDATE past 16 KiB, and too large", test_update_large);
	test_add(s, "update init/add/clean", test_update_init_clean);
	test_add(s, "nsupdate script", test_print_nsupdate);
	test_add(s, "query encoding", test_query);
	test_add(s, "answer parse", test_answer_parse);
	test_add(s, "answer parse skips TSIG", test_answer_skips_tsig);
	test_add(s, "answer parse of every prefix", test_answer_truncated);
	test_add(s, "answer parse of garbage", test_answer_garbage);
	test_add(s, "rcode_name", test_rcode_name);
	test_add(s, "type_name", test_type_name);
	test_add(s, "msg_to_text", test_msg_to_text);
	test_add(s, "presentation as ldns writes it",
	    test_presentation_as_ldns);
}
