/*
 * test_zonedata.c - the zone table, AXFR and the SOA serial query.
 *
 * The table: adds in random order, sort, and every find checked against a
 * linear scan.  AXFR and SOA: a fake server in a thread on an ephemeral TCP
 * port of 127.0.0.1 plays the test's script with real messages built by
 * ldns and signed by tsig_sign_answer/tsig_sign_skip (RFC 8945 5.3.1), the
 * way BIND (one message), PowerDNS (SOA, body, SOA, each signed) and others
 * (unsigned messages in between) answer, and the ways they can fail.  After
 * every failure the table must be empty.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>
#include <openssl/evp.h>

#include "log.h"
#include "suites.h"
#include "zonedata.h"

#define ZONE		"example.test."
#define SOA_RDATA	"ns1.example.test. hostmaster.example.test. 42 3600 " \
			"600 86400 60"
#define MAX_MSGS	64

/* --- the table ---------------------------------------------------------- */

/* The reference answer: a linear scan. */
static size_t
scan_count(const struct zone_data *z, const char *owner, uint16_t type)
{
	size_t i, n = 0;

	for (i = 0; i < z->nrrs; i++)
		if (strcmp(z->rrs[i].owner, owner) == 0 &&
		    (type == 0 || z->rrs[i].type == type))
			n++;
	return n;
}

static void
check_sorted(const struct zone_data *z)
{
	size_t i;
	int c;

	for (i = 1; i < z->nrrs; i++) {
		c = strcmp(z->rrs[i - 1].owner, z->rrs[i].owner);
		CU_ASSERT(c < 0 || (c == 0 && z->rrs[i - 1].type <=
		    z->rrs[i].type));
		/* interned: one owner, one string */
		if (c == 0)
			CU_ASSERT_PTR_EQUAL(z->rrs[i - 1].owner,
			    z->rrs[i].owner);
	}
}

static void
test_table_basic(void)
{
	struct zone_data z;
	size_t i, n;

	zone_data_init(&z, "Example.TEST");
	CU_ASSERT_STRING_EQUAL(z.name, ZONE);
	/* empty: nothing found, nothing to free */
	i = zone_data_find(&z, "www.example.test.", 1, &n);
	CU_ASSERT_EQUAL(n, 0);
	zone_data_sort(&z);

	CU_ASSERT_EQUAL(zone_data_add(&z, "www.example.test.", 28, 300,
	    "2001:db8::80"), 0);
	CU_ASSERT_EQUAL(zone_data_add(&z, "WWW.Example.Test", 1, 300,
	    "192.0.2.80"), 0);
	CU_ASSERT_EQUAL(zone_data_add(&z, "example.test.", 6, 300,
	    SOA_RDATA), 0);
	CU_ASSERT_EQUAL(zone_data_add(&z, "example.test.", 2, 300,
	    "ns1.example.test."), 0);
	CU_ASSERT_EQUAL(zone_data_add(&z, "srv.example.test.", 1, 60,
	    "192.0.2.2"), 0);
	CU_ASSERT_EQUAL(zone_data_add(&z, "srv.example.test.", 1, 60,
	    "192.0.2.1"), 0);
	CU_ASSERT_EQUAL(zone_data_add(&z, "a\\.b.example.test\\.", 16, 60,
	    "\"odd\""), 0);
	zone_data_sort(&z);
	CU_ASSERT_EQUAL(z.nrrs, 7);
	check_sorted(&z);

	/* normalised owners: lower case, trailing dot (also after "\.") */
	i = zone_data_find(&z, "www.example.test.", 1, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(z.rrs[i].owner, "www.example.test.");
	CU_ASSERT_STRING_EQUAL(z.rrs[i].rdata, "192.0.2.80");
	CU_ASSERT_EQUAL(z.rrs[i].ttl, 300);
	i = zone_data_find(&z, "a\\.b.example.test\\.", 16, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(z.rrs[i].owner, "a\\.b.example.test\\..");

	/* any type, and the lookup name normalised the same way */
	i = zone_data_find(&z, "WWW.example.test", 0, &n);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(z.rrs[i].type, 1);
	CU_ASSERT_EQUAL(z.rrs[i + 1].type, 28);

	/* an RRset, in rdata order */
	i = zone_data_find(&z, "srv.example.test.", 1, &n);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(z.rrs[i].rdata, "192.0.2.1");
	CU_ASSERT_STRING_EQUAL(z.rrs[i + 1].rdata, "192.0.2.2");

	/* missing: the type, the name, a name between two, before all,
	 * after all, a prefix and an extension of a stored name */
	zone_data_find(&z, "srv.example.test.", 28, &n);
	CU_ASSERT_EQUAL(n, 0);
	zone_data_find(&z, "nope.example.test.", 0, &n);
	CU_ASSERT_EQUAL(n, 0);
	zone_data_find(&z, "ssss.example.test.", 1, &n);
	CU_ASSERT_EQUAL(n, 0);
	zone_data_find(&z, "0.example.test.", 0, &n);
	CU_ASSERT_EQUAL(n, 0);
	zone_data_find(&z, "zzz.example.test.", 0, &n);
	CU_ASSERT_EQUAL(n, 0);
	zone_data_find(&z, "srv.example.tes", 0, &n);
	CU_ASSERT_EQUAL(n, 0);
	zone_data_find(&z, "x.srv.example.test.", 0, &n);
	CU_ASSERT_EQUAL(n, 0);
	zone_data_find(&z, "", 0, &n);
	CU_ASSERT_EQUAL(n, 0);
	/* highest type numbers */
	CU_ASSERT_EQUAL(zone_data_add(&z, "srv.example.test.", 65535, 1,
	    "\\# 0"), 0);
	zone_data_sort(&z);
	i = zone_data_find(&z, "srv.example.test.", 65535, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(z.rrs[i].type, 65535);
	zone_data_find(&z, "srv.example.test.", 0, &n);
	CU_ASSERT_EQUAL(n, 3);

	zone_data_clean(&z);
	CU_ASSERT_EQUAL(z.nrrs, 0);
	CU_ASSERT_PTR_NULL(z.rrs);
	zone_data_clean(&z);		/* twice is fine */
	zone_data_clean(NULL);
	zone_data_find(&z, "www.example.test.", 0, &n);
	CU_ASSERT_EQUAL(n, 0);
	/* usable again after clean */
	CU_ASSERT_EQUAL(zone_data_add(&z, "a.example.test.", 1, 1, "192.0.2.9"),
	    0);
	zone_data_sort(&z);
	zone_data_find(&z, "a.example.test.", 1, &n);
	CU_ASSERT_EQUAL(n, 1);
	zone_data_clean(&z);
}

/* Many owners and types, added in a scrambled order, some after a first
 * sort (which drops the intern table: it must come back); every find
 * agrees with a linear scan. */
static void
test_table_many(void)
{
	static const uint16_t types[] = { 1, 16, 28, 6, 2, 99 };
	struct zone_data z;
	char owner[64], rdata[64];
	size_t i, k, n, idx, total = 0;
	unsigned h, t;

	zone_data_init(&z, ZONE);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 6000; i++) {
			/* a permutation of 0..5999 */
			h = (unsigned)((i * 2797) % 6000);
			if ((h % 2) != k)
				continue;
			snprintf(owner, sizeof(owner), "h%u._rollcall.p%u."
			    "example.test.", h, h % 20);
			snprintf(rdata, sizeof(rdata), "\"v=rc1 t=%u\"", h);
			CU_ASSERT_EQUAL_FATAL(zone_data_add(&z, owner, 16, 60,
			    rdata), 0);
			snprintf(owner, sizeof(owner), "p%u.example.test.",
			    h % 20);
			snprintf(rdata, sizeof(rdata), "10.%u.%u.%u",
			    h >> 16, (h >> 8) & 255, h & 255);
			CU_ASSERT_EQUAL_FATAL(zone_data_add(&z, owner,
			    h % 3 ? 1 : 28, 60, rdata), 0);
			total += 2;
		}
		zone_data_sort(&z);
	}
	CU_ASSERT_EQUAL(z.nrrs, total);
	check_sorted(&z);
	for (i = 0; i < 6000; i += 7) {
		snprintf(owner, sizeof(owner), "h%zu._rollcall.p%zu."
		    "example.test.", i, i % 20);
		for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
			idx = zone_data_find(&z, owner, types[t], &n);
			CU_ASSERT_EQUAL(n, scan_count(&z, owner, types[t]));
			if (n > 0)
				CU_ASSERT_STRING_EQUAL(z.rrs[idx].owner, owner);
		}
		zone_data_find(&z, owner, 0, &n);
		CU_ASSERT_EQUAL(n, 1);
	}
	for (i = 0; i < 21; i++) {
		snprintf(owner, sizeof(owner), "p%zu.example.test.", i);
		idx = zone_data_find(&z, owner, 1, &n);
		CU_ASSERT_EQUAL(n, scan_count(&z, owner, 1));
		CU_ASSERT_EQUAL(n, i < 20 ? 200 : 0);
		for (k = 0; k < n; k++)
			CU_ASSERT_EQUAL(z.rrs[idx + k].type, 1);
		zone_data_find(&z, owner, 0, &n);
		CU_ASSERT_EQUAL(n, i < 20 ? 300 : 0);
	}
	zone_data_clean(&z);
}

/* An rdata bigger than an arena chunk, between small ones. */
static void
test_table_big_rdata(void)
{
	struct zone_data z;
	char *big = malloc(70000);
	size_t i, n;

	CU_ASSERT_FATAL(big != NULL);
	memset(big, 'x', 69999);
	big[69999] = '\0';
	zone_data_init(&z, ZONE);
	CU_ASSERT_EQUAL(zone_data_add(&z, "a.example.test.", 16, 1, "\"a\""),
	    0);
	CU_ASSERT_EQUAL(zone_data_add(&z, "b.example.test.", 16, 1, big), 0);
	CU_ASSERT_EQUAL(zone_data_add(&z, "c.example.test.", 16, 1, "\"c\""),
	    0);
	zone_data_sort(&z);
	i = zone_data_find(&z, "b.example.test.", 16, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(z.rrs[i].rdata, big);
	i = zone_data_find(&z, "c.example.test.", 16, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(z.rrs[i].rdata, "\"c\"");
	zone_data_clean(&z);
	free(big);
}

/* --- the fake server ---------------------------------------------------- */

enum sign {
	SIGNED,
	UNSIGNED,	/* tsig_sign_skip: covered by the next signed one */
};

struct fmsg {
	char		**rr;		/* "ns:" prefix: authority section */
	size_t		  n;
	enum sign	  sign;
	unsigned	  rcode;
};

struct fake {
	int			 lfd;
	struct server		 srv;
	pthread_t		 thread;
	const struct tsig_key	*key;	/* NULL: the server never signs */
	struct fmsg		 msg[MAX_MSGS];
	size_t			 nmsg;
	/* misbehaviour */
	size_t			 cut_after;	/* close after so many messages
						 * and half of the next one */
	size_t			 tamper;	/* 1-based message to corrupt */
	size_t			 wrong_id;	/* 1-based message with
						 * another ID */
	bool			 other_qname;	/* question of message 1 */
	bool			 silent;	/* read the query, say nothing */
	/* CUnit is not thread-safe: the thread notes its own failures and
	 * the test asserts on them after joining it */
	const char		*failed;
	/* what the server saw */
	bool			 got_query, query_signed, query_rd;
	uint16_t		 qtype;
	char			 qname[256];
	unsigned		 sent;
};

static void
fmsg_add(struct fake *f, size_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fmsg_add(struct fake *f, size_t m, const char *fmt, ...)
{
	struct fmsg *x = &f->msg[m];
	va_list ap;
	char *s;

	CU_ASSERT_FATAL(m < MAX_MSGS);
	if (m >= f->nmsg)
		f->nmsg = m + 1;
	va_start(ap, fmt);
	CU_ASSERT_FATAL(vasprintf(&s, fmt, ap) != -1);
	va_end(ap);
	x->rr = realloc(x->rr, (x->n + 1) * sizeof(*x->rr));
	CU_ASSERT_FATAL(x->rr != NULL);
	x->rr[x->n++] = s;
}

static void
fake_free_plan(struct fake *f)
{
	size_t m, i;

	for (m = 0; m < MAX_MSGS; m++) {
		for (i = 0; i < f->msg[m].n; i++)
			free(f->msg[m].rr[i]);
		free(f->msg[m].rr);
		f->msg[m].rr = NULL;
		f->msg[m].n = 0;
	}
}

static int
read_n(int fd, uint8_t *p, size_t n)
{
	ssize_t r;
	size_t got = 0;

	while (got < n) {
		r = recv(fd, p + got, n - got, 0);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int
send_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t r;

	while (n > 0) {
		r = send(fd, p, n, MSG_NOSIGNAL);
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Message m of the plan as wire, with room for a TSIG RR; NULL with
 * f->failed on a bad plan. */
static uint8_t *
fake_build(struct fake *f, size_t m, const ldns_pkt *q, size_t *len,
    size_t *cap)
{
	const struct fmsg *x = &f->msg[m];
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *rr, *qrr;
	uint8_t *wire = NULL, *buf = NULL;
	const char *s;
	size_t i, n = 0;
	bool ns;

	if (p == NULL) {
		f->failed = "no memory";
		return NULL;
	}
	ldns_pkt_set_id(p, ldns_pkt_id(q) ^ (f->wrong_id == m + 1 ? 0x5a : 0));
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, true);
	ldns_pkt_set_opcode(p, LDNS_PACKET_QUERY);
	ldns_pkt_set_rcode(p, (uint8_t)x->rcode);
	if (m == 0) {	/* RFC 5936 2.2.1: the question in the first only */
		qrr = ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0));
		if (f->other_qname) {
			ldns_rdf_deep_free(ldns_rr_owner(qrr));
			ldns_rr_set_owner(qrr,
			    ldns_dname_new_frm_str("other.test."));
		}
		ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, qrr);
	}
	for (i = 0; i < x->n; i++) {
		s = x->rr[i];
		ns = strncmp(s, "ns:", 3) == 0;
		rr = NULL;
		if (ldns_rr_new_frm_str(&rr, ns ? s + 3 : s, 300, NULL,
		    NULL) != LDNS_STATUS_OK) {
			f->failed = "bad RR in the plan";
			goto out;
		}
		ldns_pkt_push_rr(p, ns ? LDNS_SECTION_AUTHORITY :
		    LDNS_SECTION_ANSWER, rr);
	}
	if (ldns_pkt2wire(&wire, p, &n) != LDNS_STATUS_OK ||
	    (buf = malloc(n + 600)) == NULL) {
		f->failed = "cannot encode";
		goto out;
	}
	*cap = n + 600;
	memcpy(buf, wire, n);
	*len = n;
out:
	free(wire);
	ldns_pkt_free(p);
	return buf;
}

/* Answer one connection as the plan says. */
static void
fake_serve(struct fake *f, int fd)
{
	struct tsig_ctx ctx;
	struct error e;
	ldns_pkt *q = NULL;
	ldns_rdf *mac;
	uint8_t pre[2], *qw, *buf, c;
	size_t qlen, len, cap, m, body;
	char *qn;

	tsig_init(&ctx, f->key);
	if (read_n(fd, pre, 2) == -1)
		return;
	qlen = (size_t)pre[0] << 8 | pre[1];
	if ((qw = malloc(qlen)) == NULL || read_n(fd, qw, qlen) == -1 ||
	    ldns_wire2pkt(&q, qw, qlen) != LDNS_STATUS_OK) {
		free(qw);
		return;
	}
	free(qw);
	f->got_query = true;
	f->query_rd = ldns_pkt_rd(q);
	f->qtype = ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(q), 0));
	qn = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q),
	    0)));
	snprintf(f->qname, sizeof(f->qname), "%s", qn != NULL ? qn : "");
	free(qn);
	if (ldns_pkt_tsig(q) != NULL) {
		/* The request MAC starts the server's chain (RFC 8945 5.3.1). */
		f->query_signed = true;
		mac = ldns_rr_rdf(ldns_pkt_tsig(q), 3);
		ctx.mac_len = ldns_rdf_size(mac) - 2;
		memcpy(ctx.mac, ldns_rdf_data(mac) + 2, ctx.mac_len);
	}
	if (f->silent) {
		/* until the client gives up and closes */
		(void)recv(fd, &c, 1, 0);
		goto out;
	}
	for (m = 0; m < f->nmsg; m++) {
		if ((buf = fake_build(f, m, q, &len, &cap)) == NULL)
			break;
		body = len;
		if (f->key != NULL && f->query_signed &&
		    (f->msg[m].sign == SIGNED ?
		    tsig_sign_answer(&ctx, buf, &len, cap, (uint64_t)time(NULL),
		    0, 0, &e) : tsig_sign_skip(&ctx, buf, len, &e)) == -1) {
			f->failed = "cannot sign";
			free(buf);
			break;
		}
		if (f->tamper == m + 1)
			buf[body - 1] ^= 0x01;	/* last rdata byte */
		pre[0] = (uint8_t)(len >> 8);
		pre[1] = (uint8_t)len;
		if (f->cut_after == m) {
			/* the length, then half the message, then EOF */
			(void)send_all(fd, pre, 2);
			(void)send_all(fd, buf, len / 2);
			free(buf);
			break;
		}
		if (send_all(fd, pre, 2) == -1 || send_all(fd, buf, len) == -1) {
			free(buf);
			break;
		}
		f->sent++;
		free(buf);
	}
out:
	ldns_pkt_free(q);
	tsig_ctx_clean(&ctx);
}

static void *
fake_run(void *arg)
{
	struct fake *f = arg;
	struct pollfd pfd = { f->lfd, POLLIN, 0 };
	struct timeval tv = { 5, 0 };
	int fd;

	/* One connection; a test that never connects ends it in 5 s. */
	if (poll(&pfd, 1, 5000) != 1 || (fd = accept(f->lfd, NULL, NULL)) == -1)
		return NULL;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	fake_serve(f, fd);
	close(fd);
	return NULL;
}

/* A TCP socket on an ephemeral port of 127.0.0.1, listening or not. */
static int
tcp_socket(bool listening, struct server *s)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct error e;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CU_ASSERT_FATAL(fd != -1);
	CU_ASSERT_FATAL(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	CU_ASSERT_FATAL(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
	if (listening)
		CU_ASSERT_FATAL(listen(fd, 4) == 0);
	CU_ASSERT_FATAL(server_from_string("127.0.0.1", ntohs(sin.sin_port),
	    s, &e) == 0);
	return fd;
}

static void
fake_init(struct fake *f, const struct tsig_key *key)
{
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->cut_after = (size_t)-1;
}

static void
fake_start(struct fake *f)
{
	f->lfd = tcp_socket(true, &f->srv);
	CU_ASSERT_FATAL(pthread_create(&f->thread, NULL, fake_run, f) == 0);
}

static void
fake_stop(struct fake *f)
{
	pthread_join(f->thread, NULL);
	close(f->lfd);
	fake_free_plan(f);
	CU_ASSERT_PTR_NULL(f->failed);
	if (f->failed != NULL)
		fprintf(stderr, "\n  fake server: %s\n", f->failed);
}

/* A port that refuses connections: bound, not listening. */
static int
refusing_server(struct server *s)
{
	return tcp_socket(false, s);
}

/* --- AXFR cases --------------------------------------------------------- */

static struct tsig_key test_key;

static void
key_setup(void)
{
	size_t i;

	memset(&test_key, 0, sizeof(test_key));
	snprintf(test_key.name, sizeof(test_key.name), "rc-sha256.");
	test_key.alg = TSIG_HMAC_SHA256;
	for (i = 0; i < 32; i++)
		test_key.secret[i] = (unsigned char)(0xa5 ^ (i * 37));
	test_key.secret_len = 32;
}

static void
client_setup(struct dns_client *c, const struct server *srv, size_t n,
    const struct tsig_key *key)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->xo.tcp_only = true;		/* zone_serial through the TCP fake */
	c->xo.timeout_ms = 3000;
	c->xo.try_ms = 1000;
	c->xo.retries = 0;
	for (i = 0; i < n; i++)
		c->servers[i] = srv[i];
	c->nservers = n;
	c->key = key;
}

/* The small zone of the demo, as a list of RRs. */
static const char *const body[] = {
	"example.test. 300 IN NS ns1.example.test.",
	"example.test. 300 IN MX 10 mail.example.test.",
	"ns1.example.test. 300 IN A 127.0.0.1",
	"www.example.test. 300 IN A 192.0.2.80",
	"www.example.test. 300 IN AAAA 2001:db8::80",
	"srv.example.test. 60 IN A 192.0.2.1",
	"srv.example.test. 60 IN A 192.0.2.2",
	("h1._rollcall.srv.example.test. 60 IN TXT \"v=rc1 t=1764075549 "
	    "lease=180 a=192.0.2.1\""),
};
#define NBODY	(sizeof(body) / sizeof(body[0]))

/* Plan: SOA, body split over nmsg messages, SOA; SOAs in their own
 * messages when soa_apart (PowerDNS). */
static void
plan_zone(struct fake *f, size_t nmsg, bool soa_apart)
{
	size_t i, m = 0, first = soa_apart ? 1 : 0, nbody;

	nbody = soa_apart ? nmsg - 2 : nmsg;
	fmsg_add(f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	for (i = 0; i < NBODY; i++) {
		m = first + i * nbody / NBODY;
		fmsg_add(f, m, "%s", body[i]);
	}
	fmsg_add(f, soa_apart ? nmsg - 1 : m,
	    "example.test. 300 IN SOA " SOA_RDATA);
}

static void
check_zone(const struct zone_data *z)
{
	size_t i, n;

	CU_ASSERT_EQUAL(z->serial, 42);
	CU_ASSERT_STRING_EQUAL(z->name, ZONE);
	CU_ASSERT_EQUAL(z->nrrs, NBODY + 1);	/* one SOA kept */
	check_sorted(z);
	i = zone_data_find(z, ZONE, 6, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(z->rrs[i].rdata, SOA_RDATA);
	i = zone_data_find(z, "srv.example.test.", 1, &n);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(z->rrs[i].rdata, "192.0.2.1");
	CU_ASSERT_EQUAL(z->rrs[i].ttl, 60);
	i = zone_data_find(z, "h1._rollcall.srv.example.test.", 16, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(z->rrs[i].rdata,
	    "\"v=rc1 t=1764075549 lease=180 a=192.0.2.1\"");
	zone_data_find(z, ZONE, 0, &n);
	CU_ASSERT_EQUAL(n, 3);			/* SOA NS MX */
}

static void
check_empty(const struct zone_data *z)
{
	CU_ASSERT_EQUAL(z->nrrs, 0);
	CU_ASSERT_PTR_NULL(z->rrs);
	CU_ASSERT_EQUAL(z->serial, 0);
}

static void
check_err(const struct error *err, enum err_kind kind, const char *want)
{
	CU_ASSERT_EQUAL(err->kind, kind);
	CU_ASSERT_PTR_NOT_NULL(strstr(err->msg, want));
	CU_ASSERT_PTR_NULL(strchr(err->msg, '\n'));	/* one line */
	if (err->kind != kind || strstr(err->msg, want) == NULL)
		fprintf(stderr, "\n  kind %d: %s\n  wanted kind %d: %s\n",
		    err->kind, err->msg, kind, want);
}

/* Run the fake's plan through zone_axfr.  z is output only: it starts as
 * garbage, which zone_axfr must neither read nor free. */
static int
run_axfr(struct fake *f, const struct tsig_key *ckey, struct zone_data *z,
    struct error *err)
{
	struct dns_client c;
	int rc;

	fake_start(f);
	client_setup(&c, &f->srv, 1, ckey);
	memset(z, 0xa5, sizeof(*z));
	memset(err, 0, sizeof(*err));
	rc = zone_axfr(&c, ZONE, z, err);
	fake_stop(f);
	CU_ASSERT(f->got_query);
	CU_ASSERT_EQUAL(f->qtype, 252);
	CU_ASSERT_FALSE(f->query_rd);
	CU_ASSERT_STRING_EQUAL(f->qname, ZONE);
	CU_ASSERT_EQUAL(f->query_signed, ckey != NULL);
	if (rc == -1)
		check_empty(z);
	else
		CU_ASSERT_STRING_EQUAL(c.last_server, f->srv.label);
	return rc;
}

/* The error names the server and the zone. */
static void
check_axfr_err(const struct fake *f, const struct error *err,
    enum err_kind kind, const char *want)
{
	char head[200];

	check_err(err, kind, want);
	snprintf(head, sizeof(head), "%s: AXFR of " ZONE ": ", f->srv.label);
	CU_ASSERT_EQUAL(strncmp(err->msg, head, strlen(head)), 0);
}

static void
test_axfr_one_message(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;

	key_setup();
	fake_init(&f, &test_key);
	plan_zone(&f, 1, false);	/* BIND: one message */
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), 0);
	check_zone(&z);
	zone_data_clean(&z);
}

static void
test_axfr_three_signed(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;

	key_setup();
	fake_init(&f, &test_key);
	plan_zone(&f, 3, true);		/* PowerDNS: SOA, body, SOA */
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), 0);
	CU_ASSERT_EQUAL(f.sent, 3);
	check_zone(&z);
	zone_data_clean(&z);
}

static void
test_axfr_middle_unsigned(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;

	key_setup();
	fake_init(&f, &test_key);
	plan_zone(&f, 3, false);
	f.msg[1].sign = UNSIGNED;	/* RFC 8945 5.3.1 allows it */
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), 0);
	check_zone(&z);
	zone_data_clean(&z);
}

static void
test_axfr_last_unsigned(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;

	key_setup();
	fake_init(&f, &test_key);
	plan_zone(&f, 3, false);
	f.msg[2].sign = UNSIGNED;
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_AUTH, "the last message (3) is not "
	    "TSIG-signed");
}

static void
test_axfr_tampered(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;
	size_t m;

	key_setup();
	/* a signed message, then an unsigned one caught by the next MAC */
	for (m = 2; m <= 3; m++) {
		fake_init(&f, &test_key);
		plan_zone(&f, 4, false);
		f.msg[2].sign = UNSIGNED;
		f.tamper = m;
		CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
		check_axfr_err(&f, &err, ERR_AUTH, m == 2 ? "message 2: "
		    "answer's TSIG MAC does not verify" : "message 4: "
		    "answer's TSIG MAC does not verify");
	}
}

static void
test_axfr_refused(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;

	key_setup();
	/* signed REFUSED (BIND for a key it does not allow) */
	fake_init(&f, &test_key);
	f.nmsg = 1;
	f.msg[0].rcode = LDNS_RCODE_REFUSED;
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_REFUSED, "server answered REFUSED");

	/* unsigned REFUSED to a signed query: a TSIG failure with the rcode */
	fake_init(&f, NULL);
	f.nmsg = 1;
	f.msg[0].rcode = LDNS_RCODE_REFUSED;
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_AUTH, "message 1: answer is not "
	    "TSIG-signed (rcode REFUSED)");

	/* no key: NOTAUTH (Knot, PowerDNS) */
	fake_init(&f, NULL);
	f.nmsg = 1;
	f.msg[0].rcode = LDNS_RCODE_NOTAUTH;
	CU_ASSERT_EQUAL(run_axfr(&f, NULL, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_REFUSED, "server answered NOTAUTH");

	/* an error rcode in the middle of the stream */
	fake_init(&f, &test_key);
	plan_zone(&f, 3, false);
	f.msg[1].rcode = LDNS_RCODE_SERVFAIL;
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_REFUSED, "message 2: server answered "
	    "SERVFAIL");
}

static void
test_axfr_cut(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;

	key_setup();
	/* in the middle of message 3 */
	fake_init(&f, &test_key);
	plan_zone(&f, 4, false);
	f.cut_after = 2;
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	CU_ASSERT_EQUAL(f.sent, 2);
	check_axfr_err(&f, &err, ERR_NET, "connection closed by server");
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "(partial transfer: 2 "
	    "messages"));

	/* before any answer */
	fake_init(&f, &test_key);
	plan_zone(&f, 1, false);
	f.cut_after = 0;
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_NET, "connection closed by server");
}

static void
test_axfr_wrong_id(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;
	size_t m;

	key_setup();
	for (m = 1; m <= 2; m++) {
		fake_init(&f, &test_key);
		plan_zone(&f, 3, false);
		f.wrong_id = m;
		CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
		check_axfr_err(&f, &err, ERR_PROTO, m == 1 ? "message 1 has "
		    "ID" : "message 2 has ID");
	}
	/* the first message must repeat our question */
	fake_init(&f, &test_key);
	plan_zone(&f, 1, false);
	f.other_qname = true;
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_PROTO, "does not answer our question");
}

static void
test_axfr_soa_framing(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;
	size_t i;

	key_setup();
	/* no closing SOA: the server ends the stream after the body */
	fake_init(&f, &test_key);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	for (i = 0; i < NBODY; i++)
		fmsg_add(&f, 1, "%s", body[i]);
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_NET, "partial transfer: 2 messages, "
	    "9 records received");

	/* no opening SOA */
	fake_init(&f, &test_key);
	for (i = 0; i < NBODY; i++)
		fmsg_add(&f, 0, "%s", body[i]);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_PROTO, "the first record is "
	    "example.test. NS, not the SOA");

	/* the SOA of another zone first */
	fake_init(&f, &test_key);
	fmsg_add(&f, 0, "test. 300 IN SOA " SOA_RDATA);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_PROTO, "not the SOA");

	/* the zone changed on the way: another serial at the end */
	fake_init(&f, &test_key);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	fmsg_add(&f, 0, "%s", body[0]);
	fmsg_add(&f, 1, "example.test. 300 IN SOA ns1.example.test. "
	    "hostmaster.example.test. 43 3600 600 86400 60");
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_PROTO, "the closing SOA (serial 43) "
	    "differs from the opening one (serial 42)");

	/* records after the closing SOA */
	fake_init(&f, &test_key);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	fmsg_add(&f, 0, "%s", body[0]);
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_PROTO, "records after the closing SOA");

	/* an empty first message */
	fake_init(&f, &test_key);
	f.nmsg = 1;
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_PROTO, "the first message carries no "
	    "records");

	/* the smallest zone: SOA, SOA; out-of-zone glue is dropped */
	fake_init(&f, &test_key);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	fmsg_add(&f, 0, "ns.other.test. 300 IN A 192.0.2.53");
	fmsg_add(&f, 0, "xexample.test. 300 IN A 192.0.2.54");
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), 0);
	CU_ASSERT_EQUAL(z.nrrs, 1);
	CU_ASSERT_EQUAL(z.serial, 42);
	zone_data_clean(&z);
}

static void
test_axfr_unsigned_server(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;

	key_setup();
	/* we have a key, the server does not sign */
	fake_init(&f, NULL);
	plan_zone(&f, 1, false);
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), -1);
	check_axfr_err(&f, &err, ERR_AUTH, "message 1: answer is not "
	    "TSIG-signed (rcode NOERROR)");

	/* without a key nothing is signed, and that is fine */
	fake_init(&f, &test_key);
	plan_zone(&f, 3, true);
	CU_ASSERT_EQUAL(run_axfr(&f, NULL, &z, &err), 0);
	CU_ASSERT_FALSE(f.query_signed);
	check_zone(&z);
	zone_data_clean(&z);
}

/* A zone like the coordinator's: registrations in pools of 20, over many
 * messages, every third signed (and the last); debug output has one line
 * per message and never the secret. */
static void
test_axfr_large(void)
{
	struct fake f;
	struct zone_data z;
	struct error err;
	char b64[128], *log = NULL, line[64];
	size_t i, m, n, loglen = 0, nmsg = 30, idx;
	FILE *cap;
	int saved;

	key_setup();
	fake_init(&f, &test_key);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	for (i = 0; i < 3000; i++) {
		m = i * nmsg / 3000;
		fmsg_add(&f, m, "h%zu._rollcall.p%zu.example.test. 60 IN TXT "
		    "\"v=rc1 t=1764075549 lease=180 a=10.0.%zu.%zu\"", i,
		    i / 20, i / 256, i % 256);
		fmsg_add(&f, m, "p%zu.example.test. 60 IN A 10.0.%zu.%zu",
		    i / 20, i / 256, i % 256);
	}
	fmsg_add(&f, nmsg - 1, "example.test. 300 IN SOA " SOA_RDATA);
	for (m = 0; m < nmsg - 1; m++)
		f.msg[m].sign = m % 3 == 0 ? SIGNED : UNSIGNED;

	CU_ASSERT_FATAL((cap = tmpfile()) != NULL);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(cap), STDERR_FILENO);
	log_init("test_zonedata", 1);
	CU_ASSERT_EQUAL(run_axfr(&f, &test_key, &z, &err), 0);
	log_init("test_zonedata", 0);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);

	CU_ASSERT_EQUAL(z.nrrs, 6001);
	CU_ASSERT_EQUAL(f.sent, nmsg);
	check_sorted(&z);
	idx = zone_data_find(&z, "p7.example.test.", 1, &n);
	CU_ASSERT_EQUAL_FATAL(n, 20);
	for (i = 1; i < n; i++)
		CU_ASSERT_PTR_EQUAL(z.rrs[idx].owner, z.rrs[idx + i].owner);
	zone_data_find(&z, "h2999._rollcall.p149.example.test.", 16, &n);
	CU_ASSERT_EQUAL(n, 1);
	zone_data_clean(&z);

	fseek(cap, 0, SEEK_END);
	loglen = (size_t)ftell(cap);
	rewind(cap);
	log = calloc(1, loglen + 1);
	CU_ASSERT_FATAL(log != NULL);
	CU_ASSERT_EQUAL(fread(log, 1, loglen, cap), loglen);
	fclose(cap);
	for (m = 1; m <= nmsg; m++) {
		snprintf(line, sizeof(line), ": message %zu: ", m);
		CU_ASSERT_PTR_NOT_NULL(strstr(log, line));
	}
	snprintf(line, sizeof(line), ": message %zu: ", nmsg + 1);
	CU_ASSERT_PTR_NULL(strstr(log, line));
	CU_ASSERT_PTR_NULL(strstr(log, "v=rc1"));	/* no zone dump */
	CU_ASSERT(EVP_EncodeBlock((unsigned char *)b64, test_key.secret,
	    (int)test_key.secret_len) > 0);
	CU_ASSERT_PTR_NULL(strstr(log, b64));
	free(log);
}

static void
test_axfr_servers(void)
{
	struct fake f;
	struct dns_client c;
	struct server srv[3];
	struct zone_data z;
	struct error err;
	int r1, r2;

	key_setup();
	/* the first refuses the connection: the second is asked */
	r1 = refusing_server(&srv[0]);
	fake_init(&f, &test_key);
	plan_zone(&f, 1, false);
	fake_start(&f);
	srv[1] = f.srv;
	client_setup(&c, srv, 2, &test_key);
	zone_data_init(&z, ZONE);
	CU_ASSERT_EQUAL(zone_axfr(&c, ZONE, &z, &err), 0);
	fake_stop(&f);
	CU_ASSERT_STRING_EQUAL(c.last_server, f.srv.label);
	check_zone(&z);
	zone_data_clean(&z);

	/* none can be reached: each is named */
	r2 = refusing_server(&srv[1]);
	client_setup(&c, srv, 2, &test_key);
	zone_data_init(&z, ZONE);
	CU_ASSERT_EQUAL(zone_axfr(&c, ZONE, &z, &err), -1);
	check_err(&err, ERR_NET, "AXFR of example.test.: no server reachable");
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, srv[0].label));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, srv[1].label));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "refused"));
	check_empty(&z);
	close(r1);
	close(r2);

	/* no server at all */
	client_setup(&c, srv, 0, &test_key);
	CU_ASSERT_EQUAL(zone_axfr(&c, ZONE, &z, &err), -1);
	check_empty(&z);
}

static void
test_axfr_timeout(void)
{
	struct fake f;
	struct dns_client c;
	struct zone_data z;
	struct error err;
	uint64_t t0;

	key_setup();
	fake_init(&f, &test_key);
	f.silent = true;
	fake_start(&f);
	client_setup(&c, &f.srv, 1, &test_key);
	c.xo.timeout_ms = 300;
	zone_data_init(&z, ZONE);
	t0 = mono_ms();
	CU_ASSERT_EQUAL(zone_axfr(&c, ZONE, &z, &err), -1);
	CU_ASSERT(mono_ms() - t0 < 2000);
	fake_stop(&f);
	check_axfr_err(&f, &err, ERR_NET, "timed out (deadline of 300 ms "
	    "reached)");
	check_empty(&z);
}

/* --- SOA serial --------------------------------------------------------- */

static int
run_serial(struct fake *f, const struct tsig_key *ckey, uint32_t *serial,
    struct error *err)
{
	struct dns_client c;
	int rc;

	fake_start(f);
	client_setup(&c, &f->srv, 1, ckey);
	memset(err, 0, sizeof(*err));
	*serial = 0;
	rc = zone_serial(&c, "Example.Test", serial, err);
	fake_stop(f);
	CU_ASSERT_EQUAL(f->qtype, 6);
	CU_ASSERT_STRING_EQUAL(f->qname, ZONE);
	CU_ASSERT_EQUAL(f->query_signed, ckey != NULL);
	return rc;
}

static void
test_serial(void)
{
	struct fake f;
	struct error err;
	uint32_t serial;

	key_setup();
	fake_init(&f, &test_key);
	fmsg_add(&f, 0, "example.test. 300 IN SOA ns1.example.test. "
	    "hostmaster.example.test. 4294967295 3600 600 86400 60");
	CU_ASSERT_EQUAL(run_serial(&f, &test_key, &serial, &err), 0);
	CU_ASSERT_EQUAL(serial, 4294967295u);

	fake_init(&f, NULL);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	CU_ASSERT_EQUAL(run_serial(&f, NULL, &serial, &err), 0);
	CU_ASSERT_EQUAL(serial, 42);

	/* REFUSED, signed */
	fake_init(&f, &test_key);
	f.nmsg = 1;
	f.msg[0].rcode = LDNS_RCODE_REFUSED;
	CU_ASSERT_EQUAL(run_serial(&f, &test_key, &serial, &err), -1);
	check_err(&err, ERR_REFUSED, ": SOA of example.test.: server answered "
	    "REFUSED");
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, f.srv.label));

	/* unsigned answer to a signed query */
	fake_init(&f, NULL);
	fmsg_add(&f, 0, "example.test. 300 IN SOA " SOA_RDATA);
	CU_ASSERT_EQUAL(run_serial(&f, &test_key, &serial, &err), -1);
	check_err(&err, ERR_AUTH, ": SOA of example.test.: answer is not "
	    "TSIG-signed (rcode NOERROR)");
	CU_ASSERT_EQUAL(strncmp(err.msg, f.srv.label, strlen(f.srv.label)),
	    0);

	/* not a zone here: NODATA with the parent's SOA */
	fake_init(&f, &test_key);
	fmsg_add(&f, 0, "ns:test. 300 IN SOA " SOA_RDATA);
	CU_ASSERT_EQUAL(run_serial(&f, &test_key, &serial, &err), -1);
	check_err(&err, ERR_PROTO, "no such zone on this server (the name is "
	    "in zone test.)");

	/* no SOA at all */
	fake_init(&f, &test_key);
	f.nmsg = 1;
	CU_ASSERT_EQUAL(run_serial(&f, &test_key, &serial, &err), -1);
	check_err(&err, ERR_PROTO, "no SOA record in the answer");
}

void
suite_zonedata(void)
{
	CU_pSuite s = test_add_suite("zonedata");

	test_add(s, "table: add, sort, find", test_table_basic);
	test_add(s, "table: many owners and types", test_table_many);
	test_add(s, "table: rdata larger than a chunk", test_table_big_rdata);
	test_add(s, "axfr: one message (BIND)", test_axfr_one_message);
	test_add(s, "axfr: three signed (PowerDNS)", test_axfr_three_signed);
	test_add(s, "axfr: unsigned middle message", test_axfr_middle_unsigned);
	test_add(s, "axfr: unsigned last message", test_axfr_last_unsigned);
	test_add(s, "axfr: tampered messages", test_axfr_tampered);
	test_add(s, "axfr: REFUSED, NOTAUTH, SERVFAIL", test_axfr_refused);
	test_add(s, "axfr: stream cut", test_axfr_cut);
	test_add(s, "axfr: wrong ID or question", test_axfr_wrong_id);
	test_add(s, "axfr: SOA framing", test_axfr_soa_framing);
	test_add(s, "axfr: unsigned server", test_axfr_unsigned_server);
	test_add(s, "axfr: large zone, debug output", test_axfr_large);
	test_add(s, "axfr: servers in order", test_axfr_servers);
	test_add(s, "axfr: deadline", test_axfr_timeout);
	test_add(s, "serial: SOA query", test_serial);
}
