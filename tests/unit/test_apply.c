/*
 * test_apply.c - sending planned actions (apply.c) and resolving alias
 * targets (targets.c), against a fake DNS server on loopback.
 *
 * The fake server is a thread with a UDP socket and a TCP listener on the
 * same ephemeral port of 127.0.0.1.  It parses what it gets with ldns and
 * answers with the same ID and zone/question section:
 * - an UPDATE fails its prerequisites (NXRRSET) when one of them names a
 *   "stale" owner, as a server whose data changed since it was read would,
 *   or gets a fixed rcode; each one is recorded (size, transport, zone,
 *   number of prerequisite and update RRs);
 * - a query is answered from a table (rcode and answer RRs; -1 stays
 *   silent); a name not in the table is NXDOMAIN, a name in it with
 *   another type NOERROR without data.
 * Answers are unsigned: the tests' clients have no key.  The tests read
 * the records after stopping the thread, except where a test needs them
 * while it runs (under the mutex).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "apply.h"
#include "client.h"
#include "cplan.h"
#include "daemon.h"
#include "dnsmsg.h"
#include "suites.h"
#include "targets.h"
#include "zonedata.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_RECS	512
#define MAX_QUERIES	64
#define TYPE_CNAME	5

/* ---- The fake server ------------------------------------------------- */

struct rec {
	size_t		len;
	bool		tcp;
	char		zone[256];
	size_t		nprereq, nupdate;
};

struct qent {
	const char	*name;		/* lower case, trailing dot */
	uint16_t	 type;
	int		 rcode;		/* -1: no answer at all */
	const char	*rrs[4];	/* answer section, presentation */
};

struct fake {
	int		 udp, tcp, stop[2];
	uint16_t	 port;
	pthread_t	 thread;
	/* the script, set before fake_start */
	const char	*stale[8];	/* prerequisite owners that fail */
	int		 fixed_rcode;	/* >= 0: every UPDATE gets it */
	const char	*refuse[8];	/* owners (any section) refused */
	int		 refuse_rcode;	/* with this rcode */
	const struct qent *qs;
	size_t		 nqs;
	/* what came */
	pthread_mutex_t	 mu;
	struct rec	 recs[MAX_RECS];
	size_t		 nrecs, nupdates;
	char		 queries[MAX_QUERIES][300];
	size_t		 nqueries;
};

static char *
owner_str(const ldns_rr *rr)
{
	char *s = ldns_rdf2str(ldns_rr_owner(rr)), *p;

	for (p = s; p != NULL && *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static int
fake_update(struct fake *f, const ldns_pkt *q, size_t len, bool tcp)
{
	const ldns_rr_list *pre = ldns_pkt_answer(q);	/* RFC 2136 2.2 */
	struct rec *r;
	size_t i, k;
	int rcode = LDNS_RCODE_NOERROR;
	char *o;

	pthread_mutex_lock(&f->mu);
	f->nupdates++;
	if (f->nrecs < MAX_RECS) {
		r = &f->recs[f->nrecs++];
		memset(r, 0, sizeof(*r));
		r->len = len;
		r->tcp = tcp;
		r->nprereq = ldns_pkt_ancount(q);
		r->nupdate = ldns_pkt_nscount(q);
		if (ldns_pkt_qdcount(q) == 1 && (o = owner_str(
		    ldns_rr_list_rr(ldns_pkt_question(q), 0))) != NULL) {
			snprintf(r->zone, sizeof(r->zone), "%s", o);
			free(o);
		}
	}
	pthread_mutex_unlock(&f->mu);
	if (f->fixed_rcode >= 0)
		return f->fixed_rcode;
	for (i = 0; i < ldns_pkt_nscount(q); i++) {
		if ((o = owner_str(ldns_rr_list_rr(ldns_pkt_authority(q),
		    i))) == NULL)
			continue;
		for (k = 0; k < NELEMS(f->refuse) && f->refuse[k] != NULL; k++)
			if (strcmp(o, f->refuse[k]) == 0)
				rcode = f->refuse_rcode;
		free(o);
	}
	if (rcode != LDNS_RCODE_NOERROR)
		return rcode;
	for (i = 0; i < ldns_rr_list_rr_count(pre); i++) {
		if ((o = owner_str(ldns_rr_list_rr(pre, i))) == NULL)
			continue;
		for (k = 0; k < NELEMS(f->stale) && f->stale[k] != NULL; k++)
			if (strcmp(o, f->stale[k]) == 0)
				rcode = LDNS_RCODE_NXRRSET;
		free(o);
	}
	return rcode;
}

/* -2: stay silent */
static int
fake_query(struct fake *f, const ldns_pkt *q, ldns_pkt *a)
{
	const ldns_rr *qr;
	const struct qent *e = NULL;
	bool known = false;
	uint16_t type;
	size_t i, k;
	char *name;
	int rcode;

	if (ldns_pkt_qdcount(q) != 1)
		return LDNS_RCODE_FORMERR;
	qr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	type = ldns_rr_get_type(qr);
	if ((name = owner_str(qr)) == NULL)
		return LDNS_RCODE_SERVFAIL;
	pthread_mutex_lock(&f->mu);
	if (f->nqueries < MAX_QUERIES)
		snprintf(f->queries[f->nqueries++], sizeof(f->queries[0]),
		    "%s %u", name, type);
	pthread_mutex_unlock(&f->mu);
	for (i = 0; i < f->nqs; i++) {
		if (strcmp(f->qs[i].name, name) != 0)
			continue;
		known = true;
		if (f->qs[i].type == type)
			e = &f->qs[i];
	}
	free(name);
	if (e == NULL)
		return known ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN;
	if (e->rcode == -1)
		return -2;
	rcode = e->rcode;
	for (k = 0; k < NELEMS(e->rrs) && e->rrs[k] != NULL; k++) {
		ldns_rr *rr = NULL;

		if (ldns_rr_new_frm_str(&rr, e->rrs[k], 0, NULL, NULL) !=
		    LDNS_STATUS_OK)
			return LDNS_RCODE_SERVFAIL;
		ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER, rr);
	}
	return rcode;
}

/* The answer to req in *ans (malloc'd), or -1 to stay silent. */
static int
fake_answer(struct fake *f, const uint8_t *req, size_t len, bool tcp,
    uint8_t **ans, size_t *anslen)
{
	ldns_pkt *q = NULL, *a = NULL;
	ldns_rr_list *qs;
	size_t i;
	int rcode, rc = -1;

	if (ldns_wire2pkt(&q, req, len) != LDNS_STATUS_OK)
		return -1;
	if ((a = ldns_pkt_new()) == NULL)
		goto out;
	ldns_pkt_set_id(a, ldns_pkt_id(q));
	ldns_pkt_set_opcode(a, ldns_pkt_get_opcode(q));
	ldns_pkt_set_qr(a, true);
	ldns_pkt_set_rd(a, ldns_pkt_rd(q));
	qs = ldns_pkt_question(q);
	for (i = 0; i < ldns_rr_list_rr_count(qs); i++)
		ldns_pkt_push_rr(a, LDNS_SECTION_QUESTION,
		    ldns_rr_clone(ldns_rr_list_rr(qs, i)));
	if (ldns_pkt_get_opcode(q) == LDNS_PACKET_UPDATE)
		rcode = fake_update(f, q, len, tcp);
	else {
		ldns_pkt_set_ra(a, true);
		rcode = fake_query(f, q, a);
	}
	if (rcode == -2)
		goto out;
	ldns_pkt_set_rcode(a, (uint8_t)rcode);
	if (ldns_pkt2wire(ans, a, anslen) == LDNS_STATUS_OK)
		rc = 0;
out:
	ldns_pkt_free(a);
	ldns_pkt_free(q);
	return rc;
}

static bool
read_full(int fd, uint8_t *buf, size_t n)
{
	ssize_t r;
	size_t got = 0;

	while (got < n) {
		r = read(fd, buf + got, n - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

/* One TCP connection: length-prefixed messages until the client closes. */
static void
fake_tcp(struct fake *f)
{
	struct timeval tv = { 2, 0 };
	uint8_t *buf = malloc(65535), hdr[2], *ans = NULL;
	size_t n, anslen;
	int conn;

	if (buf == NULL || (conn = accept(f->tcp, NULL, NULL)) == -1) {
		free(buf);
		return;
	}
	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (read_full(conn, hdr, 2)) {
		n = (size_t)hdr[0] << 8 | hdr[1];
		if (n == 0 || !read_full(conn, buf, n))
			break;
		if (fake_answer(f, buf, n, true, &ans, &anslen) == -1)
			continue;
		hdr[0] = (uint8_t)(anslen >> 8);
		hdr[1] = (uint8_t)anslen;
		if (write(conn, hdr, 2) != 2 ||
		    write(conn, ans, anslen) != (ssize_t)anslen) {
			free(ans);
			break;
		}
		free(ans);
	}
	close(conn);
	free(buf);
}

static void *
fake_run(void *arg)
{
	struct fake *f = arg;
	struct sockaddr_storage from;
	struct pollfd pfd[3];
	socklen_t fromlen;
	uint8_t *buf = malloc(65536), *ans;
	size_t anslen;
	ssize_t n;

	if (buf == NULL)
		return NULL;
	for (;;) {
		pfd[0].fd = f->udp;
		pfd[1].fd = f->tcp;
		pfd[2].fd = f->stop[0];
		pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[2].revents & POLLIN)
			break;
		if (pfd[0].revents & POLLIN) {
			fromlen = sizeof(from);
			n = recvfrom(f->udp, buf, 65536, MSG_DONTWAIT,
			    (struct sockaddr *)&from, &fromlen);
			if (n > 0 && fake_answer(f, buf, (size_t)n, false, &ans,
			    &anslen) == 0) {
				(void)sendto(f->udp, ans, anslen, 0,
				    (struct sockaddr *)&from, fromlen);
				free(ans);
			}
		}
		if (pfd[1].revents & POLLIN)
			fake_tcp(f);
	}
	free(buf);
	return NULL;
}

static void
fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->udp = f->tcp = f->stop[0] = f->stop[1] = -1;
	f->fixed_rcode = -1;
	pthread_mutex_init(&f->mu, NULL);
}

/* UDP and TCP on one free port of 127.0.0.1, and the thread. */
static int
fake_start(struct fake *f)
{
	struct sockaddr_in sin;
	socklen_t len;
	int one = 1, tries;

	for (tries = 0; tries < 50; tries++) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		f->udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (f->udp == -1 ||
		    bind(f->udp, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			return -1;
		len = sizeof(sin);
		getsockname(f->udp, (struct sockaddr *)&sin, &len);
		f->port = ntohs(sin.sin_port);
		f->tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		setsockopt(f->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(f->tcp, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
		    listen(f->tcp, 16) == 0)
			break;
		close(f->udp);
		close(f->tcp);
		f->udp = f->tcp = -1;
	}
	if (f->tcp == -1 || pipe(f->stop) == -1)
		return -1;
	return pthread_create(&f->thread, NULL, fake_run, f) == 0 ? 0 : -1;
}

static void
fake_stop(struct fake *f)
{
	if (f->stop[1] != -1) {
		(void)write(f->stop[1], "x", 1);
		pthread_join(f->thread, NULL);
	}
	if (f->udp != -1)
		close(f->udp);
	if (f->tcp != -1)
		close(f->tcp);
	if (f->stop[0] != -1)
		close(f->stop[0]);
	if (f->stop[1] != -1)
		close(f->stop[1]);
	f->udp = f->tcp = f->stop[0] = f->stop[1] = -1;
	pthread_mutex_destroy(&f->mu);
}

static size_t
fake_updates(struct fake *f)
{
	size_t n;

	pthread_mutex_lock(&f->mu);
	n = f->nupdates;
	pthread_mutex_unlock(&f->mu);
	return n;
}

/* A client of port on 127.0.0.1, unsigned, with short timeouts. */
static void
client_for(struct dns_client *c, uint16_t port, unsigned timeout_ms)
{
	struct error e;

	memset(c, 0, sizeof(*c));
	c->xo.timeout_ms = timeout_ms;
	c->xo.try_ms = timeout_ms / 3;
	c->xo.retries = 2;
	CU_ASSERT_FATAL(server_from_string("127.0.0.1", port, &c->servers[0],
	    &e) == 0);
	c->nservers = 1;
}

/* ---- Plans built by hand ---------------------------------------------- */

static struct action *
tplan_push(struct plan *p, enum action_kind kind, const char *zone,
    const char *subject)
{
	struct action *a;

	if (p->nacts == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 16;
		struct action *n = realloc(p->acts, ncap * sizeof(*n));

		CU_ASSERT_FATAL(n != NULL);
		p->acts = n;
		p->cap = ncap;
	}
	a = &p->acts[p->nacts++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	snprintf(a->zone, sizeof(a->zone), "%s", zone);
	snprintf(a->subject, sizeof(a->subject), "%s", subject);
	update_init(&a->u, zone, 0);
	return a;
}

static void
tplan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nacts; i++)
		update_clean(&p->acts[i].u);
	free(p->acts);
	memset(p, 0, sizeof(*p));
}

/* Expire host hN of srv.<zone>: its registration exactly as read, and
 * its address (one RR). */
static void
push_expire(struct plan *p, const char *zone, unsigned n)
{
	char subj[300], reg[300], pool[210], txt[200], addr[64];
	struct action *a;

	snprintf(pool, sizeof(pool), "srv.%.200s", zone);
	snprintf(reg, sizeof(reg), "h%u._rollcall.%s", n, pool);
	snprintf(subj, sizeof(subj), "h%u in %s", n, pool);
	snprintf(addr, sizeof(addr), "10.%u.%u.%u", (n >> 16) & 255,
	    (n >> 8) & 255, n & 255);
	snprintf(txt, sizeof(txt), "\"v=rc1 t=1764075549 lease=180 a=%s\"",
	    addr);
	a = tplan_push(p, ACT_EXPIRE, zone, subj);
	CU_ASSERT_FATAL(update_add(&a->u, OP_YXRRSET_VAL, reg, DNS_TYPE_TXT,
	    0, txt) == 0);
	CU_ASSERT_FATAL(update_add(&a->u, OP_DEL_RRSET, reg, DNS_TYPE_TXT,
	    0, NULL) == 0);
	CU_ASSERT_FATAL(update_add(&a->u, OP_DEL_RR, pool, DNS_TYPE_A, 0,
	    addr) == 0);
}

/* Send stderr to a temporary file while a test runs, to count log lines. */
struct capture {
	int	saved;
	FILE	*f;
};

static void
capture_start(struct capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	CU_ASSERT_FATAL(c->f != NULL);
	c->saved = dup(STDERR_FILENO);
	dup2(fileno(c->f), STDERR_FILENO);
}

/* Restore stderr; the captured text (malloc'd). */
static char *
capture_end(struct capture *c)
{
	long n;
	char *s;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	n = ftell(c->f);
	s = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	if (s != NULL && n > 0) {
		rewind(c->f);
		if (fread(s, 1, (size_t)n, c->f) != (size_t)n)
			s[0] = '\0';
	}
	fclose(c->f);
	return s;
}

static size_t
count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	while (hay != NULL && (hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* ---- apply ------------------------------------------------------------ */

#define ZONE	"example.test."

/* 4 actions, the last stale: 4 -> NXRRSET, 2+2 -> NOERROR and NXRRSET,
 * 1+1 -> NOERROR and NXRRSET. */
static void
test_split_on_prereq(void)
{
	static const size_t want_pre[] = { 4, 2, 2, 1, 1 };
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	char *log;
	size_t i;
	int rc;

	fake_init(&f);
	f.stale[0] = "h4._rollcall.srv.example.test.";
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 3000);
	memset(&p, 0, sizeof(p));
	for (i = 1; i <= 4; i++)
		push_expire(&p, ZONE, (unsigned)i);
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	log = capture_end(&cap);
	fake_stop(&f);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(st.messages, 5);
	CU_ASSERT_EQUAL(st.applied, 3);
	CU_ASSERT_EQUAL(st.raced, 1);
	CU_ASSERT_EQUAL(st.failed, 0);
	CU_ASSERT_EQUAL(st.last_rcode, RCODE_NXRRSET);
	CU_ASSERT(st.bytes > 0);
	CU_ASSERT_EQUAL_FATAL(f.nrecs, NELEMS(want_pre));
	for (i = 0; i < f.nrecs; i++) {
		CU_ASSERT_EQUAL(f.recs[i].nprereq, want_pre[i]);
		CU_ASSERT_EQUAL(f.recs[i].nupdate, 2 * want_pre[i]);
		CU_ASSERT_STRING_EQUAL(f.recs[i].zone, ZONE);
		CU_ASSERT(!f.recs[i].tcp);	/* small: UDP */
	}
	/* each applied action once, the raced one once */
	CU_ASSERT_EQUAL(count_str(log, "expire h1 in srv.example.test.: "
	    "applied, 2 changes"), 1);
	CU_ASSERT_EQUAL(count_str(log, "expire h3 in srv.example.test.: "
	    "applied"), 1);
	CU_ASSERT_EQUAL(count_str(log, ": applied"), 3);
	CU_ASSERT_EQUAL(count_str(log, "expire h4 in srv.example.test.: "
	    "skipped, it changed since it was read (NXRRSET)"), 1);
	free(log);
	tplan_free(&p);
}

/* Every action fails: split down to singles, all raced, still 0. */
static void
test_all_raced(void)
{
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	size_t i;
	int rc;

	fake_init(&f);
	f.fixed_rcode = LDNS_RCODE_YXRRSET;
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 3000);
	memset(&p, 0, sizeof(p));
	for (i = 1; i <= 3; i++)
		push_expire(&p, ZONE, (unsigned)i);
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	free(capture_end(&cap));
	fake_stop(&f);

	CU_ASSERT_EQUAL(rc, 0);
	/* [0,3) -> [0,1) + [1,3) -> [1,2) + [2,3) */
	CU_ASSERT_EQUAL(st.messages, 5);
	CU_ASSERT_EQUAL(st.applied, 0);
	CU_ASSERT_EQUAL(st.raced, 3);
	CU_ASSERT_EQUAL(st.last_rcode, RCODE_YXRRSET);
	tplan_free(&p);
}

/* Zones in order of first appearance, one UPDATE each. */
static void
test_group_by_zone(void)
{
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	int rc;

	fake_init(&f);
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 3000);
	memset(&p, 0, sizeof(p));
	push_expire(&p, "b.test.", 1);
	push_expire(&p, "a.test.", 2);
	push_expire(&p, "b.test.", 3);
	push_expire(&p, "a.test.", 4);
	push_expire(&p, "b.test.", 5);
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	free(capture_end(&cap));
	fake_stop(&f);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(st.messages, 2);
	CU_ASSERT_EQUAL(st.applied, 5);
	CU_ASSERT_EQUAL_FATAL(f.nrecs, 2);
	CU_ASSERT_STRING_EQUAL(f.recs[0].zone, "b.test.");
	CU_ASSERT_EQUAL(f.recs[0].nprereq, 3);
	CU_ASSERT_STRING_EQUAL(f.recs[1].zone, "a.test.");
	CU_ASSERT_EQUAL(f.recs[1].nprereq, 2);
	tplan_free(&p);
}

/* 2,000 actions: several messages over TCP, each within 65,535 octets
 * with room for a TSIG RR, and reasonably full. */
static void
test_batch_bound(void)
{
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	size_t i, pre = 0, upd = 0, total = 0, one;
	char *log;
	int rc;

	fake_init(&f);
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 10000);
	memset(&p, 0, sizeof(p));
	for (i = 0; i < 2000; i++)
		push_expire(&p, ZONE, (unsigned)i);
	one = apply_batch_size(&p, 0, 1);
	CU_ASSERT(one > 600 && one < 800);
	CU_ASSERT(apply_batch_size(&p, 0, 2) > one);
	CU_ASSERT(apply_batch_size(&p, 0, 2) < 2 * one);
	CU_ASSERT_EQUAL(apply_batch_size(&p, 0, 0), 0);
	CU_ASSERT_EQUAL(apply_batch_size(&p, 0, 2000), SIZE_MAX);
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	log = capture_end(&cap);
	fake_stop(&f);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(st.applied, 2000);
	CU_ASSERT_EQUAL(count_str(log, ": applied, 2 changes"), 2000);
	CU_ASSERT(st.messages >= 3);
	CU_ASSERT_EQUAL(st.messages, f.nrecs);
	for (i = 0; i < f.nrecs; i++) {
		CU_ASSERT(f.recs[i].len + 600 <= 65535);
		CU_ASSERT(f.recs[i].tcp);
		/* all but the last at least 3/4 full */
		if (i + 1 < f.nrecs)
			CU_ASSERT(f.recs[i].len > 65535 * 3 / 4);
		pre += f.recs[i].nprereq;
		upd += f.recs[i].nupdate;
		total += f.recs[i].len;
	}
	CU_ASSERT_EQUAL(pre, 2000);
	CU_ASSERT_EQUAL(upd, 4000);
	CU_ASSERT_EQUAL(st.bytes, total);	/* unsigned: no TSIG */
	/* consecutive actions, in order: the first batch starts with h0 */
	CU_ASSERT(apply_batch_size(&p, 0, f.recs[0].nprereq) ==
	    f.recs[0].len + 600);
	free(log);
	tplan_free(&p);
}

/* Everything REFUSED: every action tried alone, -1, ERR_REFUSED naming
 * server, zone, rcode. */
static void
test_refused_stops(void)
{
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	char want[128];
	int rc;

	fake_init(&f);
	f.fixed_rcode = LDNS_RCODE_REFUSED;
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 3000);
	memset(&p, 0, sizeof(p));
	memset(&err, 0, sizeof(err));
	push_expire(&p, "a.test.", 1);
	push_expire(&p, "a.test.", 2);
	push_expire(&p, "b.test.", 3);
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	free(capture_end(&cap));
	fake_stop(&f);

	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_EQUAL(err.kind, ERR_REFUSED);
	snprintf(want, sizeof(want), "127.0.0.1#%u answered REFUSED to the "
	    "update of zone a.test.", f.port);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	/* a.test.: 2, then 1 + 1; b.test.: 1 */
	CU_ASSERT_EQUAL(st.messages, 4);
	CU_ASSERT_EQUAL(f.nrecs, 4);
	CU_ASSERT_STRING_EQUAL(f.recs[3].zone, "b.test.");
	CU_ASSERT_EQUAL(st.applied, 0);
	CU_ASSERT_EQUAL(st.failed, 3);
	CU_ASSERT_EQUAL(st.last_rcode, RCODE_REFUSED);
	tplan_free(&p);
}

/* One action refused does not hold back the others: the batch is split,
 * the refused one logged once and counted failed, the rest applied, and
 * the call still fails at the end (the daemon backs off).  For each rcode
 * a server may refuse with. */
static void
test_refused_one(void)
{
	static const int rcodes[] = { LDNS_RCODE_REFUSED, LDNS_RCODE_NOTAUTH,
	    LDNS_RCODE_NOTZONE, LDNS_RCODE_FORMERR, LDNS_RCODE_SERVFAIL };
	static const int ours[] = { RCODE_REFUSED, RCODE_NOTAUTH,
	    RCODE_NOTZONE, RCODE_FORMERR, RCODE_SERVFAIL };
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	struct action *a;
	char want[200], *log;
	size_t i, t;
	int rc;

	for (t = 0; t < NELEMS(rcodes); t++) {
		fake_init(&f);
		f.refuse[0] = "mx1.example.test.";
		f.refuse_rcode = rcodes[t];
		CU_ASSERT_FATAL(fake_start(&f) == 0);
		client_for(&c, f.port, 3000);
		memset(&p, 0, sizeof(p));
		memset(&err, 0, sizeof(err));
		push_expire(&p, ZONE, 1);
		a = tplan_push(&p, ACT_ALIAS, ZONE, "alias mx1.example.test.");
		CU_ASSERT_FATAL(update_add(&a->u, OP_ADD, "mx1.example.test.",
		    DNS_TYPE_A, 60, "192.0.2.25") == 0);
		for (i = 2; i <= 4; i++)
			push_expire(&p, ZONE, (unsigned)i);
		push_expire(&p, "b.test.", 5);
		/* cannot be sent at all: failed too, and counted once */
		a = tplan_push(&p, ACT_ALIAS, ZONE, "alias bad.example.test.");
		CU_ASSERT_FATAL(update_add(&a->u, OP_ADD, "bad.example.test.",
		    DNS_TYPE_A, 60, "not-an-address") == 0);
		capture_start(&cap);
		rc = apply_plan(&c, &p, false, stdout, &st, &err);
		log = capture_end(&cap);
		fake_stop(&f);

		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_EQUAL(err.kind, ERR_REFUSED);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, rcode_name(ours[t])));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "zone " ZONE));
		CU_ASSERT_EQUAL(st.last_rcode, ours[t]);
		CU_ASSERT_EQUAL(st.applied, 5);
		CU_ASSERT_EQUAL(st.failed, 2);
		CU_ASSERT_EQUAL(st.raced, 0);
		CU_ASSERT_EQUAL(count_str(log, "alias bad.example.test.: "
		    "cannot be sent"), 1);
		/* [0,5) -> [0,2) -> [0,1) [1,2); [2,5); b.test. */
		CU_ASSERT_EQUAL(st.messages, 6);
		CU_ASSERT_EQUAL_FATAL(f.nrecs, 6);
		CU_ASSERT_STRING_EQUAL(f.recs[5].zone, "b.test.");
		snprintf(want, sizeof(want), "alias mx1.example.test.: "
		    "refused by 127.0.0.1#%u: %s", f.port,
		    rcode_name(ours[t]));
		CU_ASSERT_EQUAL(count_str(log, want), 1);
		CU_ASSERT_EQUAL(count_str(log, "refused by"), 1);
		CU_ASSERT_EQUAL(count_str(log, ": applied"), 5);
		free(log);
		tplan_free(&p);
	}
}

/* NOTAUTH on a single action: the call fails. */
static void
test_notauth_is_error(void)
{
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	int rc;

	fake_init(&f);
	f.fixed_rcode = LDNS_RCODE_NOTAUTH;
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 3000);
	memset(&p, 0, sizeof(p));
	push_expire(&p, ZONE, 1);
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	free(capture_end(&cap));
	fake_stop(&f);

	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_EQUAL(err.kind, ERR_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "NOTAUTH"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ZONE));
	CU_ASSERT_EQUAL(st.failed, 1);
	tplan_free(&p);
}

/* Nobody listening: the transport's error, ERR_NET. */
static void
test_no_server(void)
{
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	struct fake f;
	uint16_t port;
	int rc;

	/* a port that was free a moment ago */
	fake_init(&f);
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	port = f.port;
	fake_stop(&f);
	client_for(&c, port, 600);
	memset(&p, 0, sizeof(p));
	memset(&err, 0, sizeof(err));
	push_expire(&p, ZONE, 1);
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	free(capture_end(&cap));
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_EQUAL(err.kind, ERR_NET);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "update of zone " ZONE));
	CU_ASSERT_EQUAL(st.failed, 1);
	tplan_free(&p);
}

/* Two different statements about one RRset cannot share an UPDATE (RFC
 * 2136 3.2.5 compares the union); the same statement twice is sent once. */
static void
test_prereq_conflicts(void)
{
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	struct action *a;
	int rc;

	fake_init(&f);
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 3000);
	memset(&p, 0, sizeof(p));
	a = tplan_push(&p, ACT_REPAIR, ZONE, "h1 in srv.example.test.");
	update_add(&a->u, OP_YXRRSET_VAL, "x.example.test.", DNS_TYPE_TXT, 0,
	    "\"same\"");
	update_add(&a->u, OP_ADD, "srv.example.test.", DNS_TYPE_A, 60,
	    "192.0.2.1");
	a = tplan_push(&p, ACT_REPAIR, ZONE, "h2 in srv.example.test.");
	update_add(&a->u, OP_YXRRSET_VAL, "X.example.test.", DNS_TYPE_TXT, 0,
	    "\"same\"");
	update_add(&a->u, OP_ADD, "srv.example.test.", DNS_TYPE_A, 60,
	    "192.0.2.2");
	a = tplan_push(&p, ACT_ALIAS, ZONE, "alias m.example.test.");
	update_add(&a->u, OP_YXRRSET_VAL, "m.example.test.", DNS_TYPE_A, 0,
	    "192.0.2.9");
	update_add(&a->u, OP_DEL_RR, "m.example.test.", DNS_TYPE_A, 0,
	    "192.0.2.9");
	a = tplan_push(&p, ACT_ALIAS, ZONE, "alias m.example.test.");
	update_add(&a->u, OP_NXRRSET, "m.example.test.", DNS_TYPE_A, 0, NULL);
	update_add(&a->u, OP_ADD, "m.example.test.", DNS_TYPE_A, 60,
	    "192.0.2.8");
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	free(capture_end(&cap));
	fake_stop(&f);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(st.applied, 4);
	CU_ASSERT_EQUAL_FATAL(f.nrecs, 2);
	CU_ASSERT_EQUAL(f.recs[0].nprereq, 2);	/* x TXT once, m A */
	CU_ASSERT_EQUAL(f.recs[0].nupdate, 3);
	CU_ASSERT_EQUAL(f.recs[1].nprereq, 1);
	CU_ASSERT_EQUAL(f.recs[1].nupdate, 1);
	tplan_free(&p);
}

static void
test_dry_run(void)
{
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	char *text = NULL, want[2048];
	size_t len = 0;
	FILE *out;
	int rc;

	fake_init(&f);
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 3000);
	memset(&p, 0, sizeof(p));
	push_expire(&p, ZONE, 1);
	push_expire(&p, "other.test.", 2);
	push_expire(&p, ZONE, 3);
	out = open_memstream(&text, &len);
	CU_ASSERT_FATAL(out != NULL);
	rc = apply_plan(&c, &p, true, out, &st, &err);
	fclose(out);
	fake_stop(&f);

	snprintf(want, sizeof(want),
	    "server 127.0.0.1 %u\n"
	    "zone example.test.\n"
	    "prereq yxrrset h1._rollcall.srv.example.test. IN TXT "
	    "\"v=rc1 t=1764075549 lease=180 a=10.0.0.1\"\n"
	    "prereq yxrrset h3._rollcall.srv.example.test. IN TXT "
	    "\"v=rc1 t=1764075549 lease=180 a=10.0.0.3\"\n"
	    "update delete h1._rollcall.srv.example.test. IN TXT\n"
	    "update delete srv.example.test. IN A 10.0.0.1\n"
	    "update delete h3._rollcall.srv.example.test. IN TXT\n"
	    "update delete srv.example.test. IN A 10.0.0.3\n"
	    "send\n"
	    "server 127.0.0.1 %u\n"
	    "zone other.test.\n"
	    "prereq yxrrset h2._rollcall.srv.other.test. IN TXT "
	    "\"v=rc1 t=1764075549 lease=180 a=10.0.0.2\"\n"
	    "update delete h2._rollcall.srv.other.test. IN TXT\n"
	    "update delete srv.other.test. IN A 10.0.0.2\n"
	    "send\n", f.port, f.port);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_STRING_EQUAL(text, want);
	CU_ASSERT_EQUAL(f.nupdates, 0);
	CU_ASSERT_EQUAL(st.applied, 0);
	CU_ASSERT_EQUAL(st.messages, 2);
	free(text);
	tplan_free(&p);
}

/* The integration suite's race hook: PATH.waiting appears before the
 * first UPDATE, nothing is sent until PATH exists, both are removed. */
struct pause_helper {
	char		path[256];
	struct fake	*f;
	bool		saw_waiting;
	size_t		sent_while_waiting;
};

static void *
pause_run(void *arg)
{
	struct pause_helper *h = arg;
	struct timespec ts = { 0, 10 * 1000000L };
	char waiting[300];
	int i, fd;

	snprintf(waiting, sizeof(waiting), "%s.waiting", h->path);
	for (i = 0; i < 500 && access(waiting, F_OK) == -1; i++)
		nanosleep(&ts, NULL);
	h->saw_waiting = access(waiting, F_OK) == 0;
	/* give a wrongly unpaused sender time to show itself */
	for (i = 0; i < 5; i++)
		nanosleep(&ts, NULL);
	h->sent_while_waiting = fake_updates(h->f);
	if ((fd = open(h->path, O_WRONLY | O_CREAT, 0600)) != -1)
		close(fd);
	return NULL;
}

static void
test_pause_hook(void)
{
	struct pause_helper h;
	struct fake f;
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;
	struct capture cap;
	pthread_t t;
	char waiting[300];
	int rc;

	fake_init(&f);
	CU_ASSERT_FATAL(fake_start(&f) == 0);
	client_for(&c, f.port, 3000);
	memset(&p, 0, sizeof(p));
	push_expire(&p, ZONE, 1);
	push_expire(&p, "other.test.", 2);
	memset(&h, 0, sizeof(h));
	h.f = &f;
	snprintf(h.path, sizeof(h.path), "/tmp/rc-test-pause.%ld",
	    (long)getpid());
	snprintf(waiting, sizeof(waiting), "%s.waiting", h.path);
	unlink(h.path);
	unlink(waiting);
	setenv("ROLLCALL_TEST_PAUSE_FILE", h.path, 1);
	CU_ASSERT_FATAL(pthread_create(&t, NULL, pause_run, &h) == 0);
	capture_start(&cap);
	rc = apply_plan(&c, &p, false, stdout, &st, &err);
	free(capture_end(&cap));
	pthread_join(t, NULL);
	unsetenv("ROLLCALL_TEST_PAUSE_FILE");
	fake_stop(&f);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(h.saw_waiting);
	CU_ASSERT_EQUAL(h.sent_while_waiting, 0);
	CU_ASSERT_EQUAL(st.messages, 2);	/* paused once, then both */
	CU_ASSERT_EQUAL(st.applied, 2);
	CU_ASSERT_EQUAL(access(h.path, F_OK), -1);
	CU_ASSERT_EQUAL(access(waiting, F_OK), -1);
	tplan_free(&p);
}

static void
test_empty_plan(void)
{
	struct dns_client c;
	struct plan p;
	struct apply_stats st;
	struct error err;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	st.messages = 99;
	CU_ASSERT_EQUAL(apply_plan(&c, &p, false, stdout, &st, &err), 0);
	CU_ASSERT_EQUAL(st.messages, 0);
}

/* ---- targets ---------------------------------------------------------- */

static void
zone_fill(struct zone_data *z, const char *zone, const char *const *rrs)
{
	char owner[256], type[16], rdata[256];
	unsigned ttl;
	uint16_t t;

	zone_data_init(z, zone);
	for (; *rrs != NULL; rrs++) {
		CU_ASSERT_FATAL(sscanf(*rrs, "%255s %u %15s %255[^\n]", owner,
		    &ttl, type, rdata) == 4);
		t = strcmp(type, "A") == 0 ? DNS_TYPE_A :
		    strcmp(type, "AAAA") == 0 ? DNS_TYPE_AAAA :
		    strcmp(type, "CNAME") == 0 ? TYPE_CNAME :
		    strcmp(type, "NS") == 0 ? DNS_TYPE_NS :
		    strcmp(type, "SOA") == 0 ? DNS_TYPE_SOA : DNS_TYPE_TXT;
		CU_ASSERT_FATAL(zone_data_add(z, owner, t, ttl, rdata) == 0);
	}
	zone_data_sort(z);
}

static const char *const zone_main[] = {
	"example.test. 3600 SOA ns.example.test. h.example.test. 1 2 3 4 5",
	"www.example.test. 300 A 192.0.2.1",
	"www.example.test. 100 A 192.0.2.2",
	"www.example.test. 200 AAAA 2001:db8::1",
	"www.example.test. 200 AAAA 2001:DB8:0::1",	/* the same address */
	"alias1.example.test. 50 CNAME Alias2.Example.Test.",
	"alias2.example.test. 400 CNAME www.example.test.",
	"loop1.example.test. 60 CNAME loop2.example.test.",
	"loop2.example.test. 60 CNAME loop1.example.test.",
	"self.example.test. 60 CNAME self.example.test.",
	"txtonly.example.test. 60 TXT \"hello\"",
	"v6only.example.test. 70 AAAA 2001:db8::6",
	"out.example.test. 500 CNAME ext.other.test.",
	"dangling.example.test. 500 CNAME gone.example.test.",
	"c0.example.test. 60 CNAME c1.example.test.",
	"c1.example.test. 60 CNAME c2.example.test.",
	"c2.example.test. 60 CNAME c3.example.test.",
	"c3.example.test. 60 CNAME c4.example.test.",
	"c4.example.test. 60 CNAME c5.example.test.",
	"c5.example.test. 60 CNAME c6.example.test.",
	"c6.example.test. 60 CNAME c7.example.test.",
	"c7.example.test. 60 CNAME c8.example.test.",
	"c8.example.test. 60 CNAME c9.example.test.",
	"c9.example.test. 60 A 192.0.2.99",
	/* occluded by the sub zone below, which is managed too */
	"host.sub.example.test. 60 A 192.0.2.200",
	/* delegated to an unmanaged zone: glue and occluded data only */
	"deleg.example.test. 3600 NS ns.deleg.example.test.",
	"ns.deleg.example.test. 3600 A 192.0.2.53",
	"old.deleg.example.test. 3600 A 192.0.2.77",
	"in.example.test. 60 CNAME www.deleg.example.test.",
	/* a wildcard: names below wild.example.test. could be synthesised */
	"*.wild.example.test. 60 A 192.0.2.88",
	"real.wild.example.test. 60 TXT \"x\"",
	/* an alias mx1 -> [host1, t] whose target t is a CNAME to mx1:
	 * mx1's A is the coordinator's own last output */
	"mx1.example.test. 60 A 192.0.2.10",
	"host1.example.test. 60 A 192.0.2.11",
	"t.example.test. 60 CNAME mx1.example.test.",
	"t2.example.test. 60 CNAME t.example.test.",
	"tout.example.test. 60 CNAME ra.other.test.",
	NULL
};

static const char *const zone_sub[] = {
	"host.sub.example.test. 80 A 192.0.2.50",
	NULL
};

static const struct qent resolver_table[] = {
	{ "ext.other.test.", DNS_TYPE_A, 0, {
	    "ext.other.test. 300 IN CNAME e2.other.test.",
	    "e2.other.test. 60 IN A 198.51.100.1" } },
	{ "ext.other.test.", DNS_TYPE_AAAA, 0, {
	    "ext.other.test. 300 IN CNAME e2.other.test." } },
	{ "e2.other.test.", DNS_TYPE_A, 0, {
	    "e2.other.test. 60 IN A 198.51.100.1" } },
	/* the chain ends without data: asked again at its end */
	{ "half.other.test.", DNS_TYPE_A, 0, {
	    "half.other.test. 90 IN CNAME far.other.test." } },
	{ "half.other.test.", DNS_TYPE_AAAA, 0, {
	    "half.other.test. 90 IN CNAME far.other.test." } },
	{ "far.other.test.", DNS_TYPE_A, 0, {
	    "far.other.test. 30 IN A 198.51.100.7",
	    "far.other.test. 30 IN A 198.51.100.8" } },
	{ "far.other.test.", DNS_TYPE_AAAA, 0, {
	    "far.other.test. 40 IN AAAA 2001:db8:f::7" } },
	/* back into a managed zone: the zone data wins over the resolver */
	{ "back.other.test.", DNS_TYPE_A, 0, {
	    "back.other.test. 120 IN CNAME www.example.test.",
	    "www.example.test. 300 IN A 203.0.113.9" } },
	{ "back.other.test.", DNS_TYPE_AAAA, 0, {
	    "back.other.test. 120 IN CNAME www.example.test." } },
	{ "rl1.other.test.", DNS_TYPE_A, 0, {
	    "rl1.other.test. 60 IN CNAME rl2.other.test.",
	    "rl2.other.test. 60 IN CNAME rl1.other.test." } },
	{ "sf.other.test.", DNS_TYPE_A, LDNS_RCODE_SERVFAIL, { NULL } },
	{ "ref.other.test.", DNS_TYPE_A, LDNS_RCODE_REFUSED, { NULL } },
	{ "silent.other.test.", DNS_TYPE_A, -1, { NULL } },
	{ "v4.other.test.", DNS_TYPE_A, 0, {
	    "v4.other.test. 45 IN A 198.51.100.4" } },
	{ "nodata.other.test.", DNS_TYPE_TXT, 0, {
	    "nodata.other.test. 45 IN TXT \"x\"" } },
	/* from outside back to an alias */
	{ "ra.other.test.", DNS_TYPE_A, 0, {
	    "ra.other.test. 60 IN CNAME MX1.example.test.",
	    "mx1.example.test. 60 IN A 192.0.2.10" } },
	{ "ra.other.test.", DNS_TYPE_AAAA, 0, {
	    "ra.other.test. 60 IN CNAME MX1.example.test." } },
	/* below the delegation at deleg.example.test. */
	{ "ns.deleg.example.test.", DNS_TYPE_A, 0, {
	    "ns.deleg.example.test. 300 IN A 198.51.100.53" } },
	{ "www.deleg.example.test.", DNS_TYPE_A, 0, {
	    "www.deleg.example.test. 300 IN A 198.51.100.80" } },
	{ "www.deleg.example.test.", DNS_TYPE_AAAA, 0, {
	    "www.deleg.example.test. 300 IN AAAA 2001:db8:d::80" } },
};

struct tctx {
	struct zone_data zones[2];
	struct fake	 f;
	struct dns_client resolver;
};

static void
tctx_start(struct tctx *t)
{
	zone_fill(&t->zones[0], "example.test.", zone_main);
	zone_fill(&t->zones[1], "sub.example.test.", zone_sub);
	fake_init(&t->f);
	t->f.qs = resolver_table;
	t->f.nqs = NELEMS(resolver_table);
	CU_ASSERT_FATAL(fake_start(&t->f) == 0);
	client_for(&t->resolver, t->f.port, 450);
	t->resolver.recursive = 1;
}

static void
tctx_stop(struct tctx *t)
{
	fake_stop(&t->f);
	zone_data_clean(&t->zones[0]);
	zone_data_clean(&t->zones[1]);
}

static bool
has_addr(const struct target_result *r, const char *text)
{
	struct reg_addr a;
	size_t i;

	if (reg_addr_parse(text, &a) == -1)
		return false;
	for (i = 0; i < r->naddrs; i++)
		if (reg_addr_equal(&r->addrs[i], &a))
			return true;
	return false;
}

static void
resolve(struct tctx *t, const char *name, struct target_result *r)
{
	targets_resolve(t->zones, 2, &t->resolver, NULL, 0, name, r);
}

static void
test_targets_in_zone(void)
{
	struct tctx t;
	struct target_result r;

	tctx_start(&t);
	resolve(&t, "www.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 3);	/* the AAAA twice counts once */
	CU_ASSERT(has_addr(&r, "192.0.2.1"));
	CU_ASSERT(has_addr(&r, "192.0.2.2"));
	CU_ASSERT(has_addr(&r, "2001:db8::1"));
	CU_ASSERT_EQUAL(r.min_ttl, 100);

	/* any case, no trailing dot */
	resolve(&t, "WWW.Example.Test", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 3);

	resolve(&t, "v6only.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 1);
	CU_ASSERT(has_addr(&r, "2001:db8::6"));
	CU_ASSERT_EQUAL(r.min_ttl, 70);

	/* the longest managed zone holds the name */
	resolve(&t, "host.sub.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 1);
	CU_ASSERT(has_addr(&r, "192.0.2.50"));
	CU_ASSERT_EQUAL(r.min_ttl, 80);
	CU_ASSERT_EQUAL(t.f.nqueries, 0);	/* the resolver never asked */
	tctx_stop(&t);
}

static void
test_targets_cname_chain(void)
{
	struct tctx t;
	struct target_result r;

	tctx_start(&t);
	/* alias1 -(50)-> alias2 -(400)-> www: the smallest TTL is a link's */
	resolve(&t, "alias1.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 3);
	CU_ASSERT_EQUAL(r.min_ttl, 50);

	resolve(&t, "alias2.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.min_ttl, 100);

	/* c1 .. c9: 8 links, the most allowed; c0: one too many */
	resolve(&t, "c1.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT(has_addr(&r, "192.0.2.99"));
	resolve(&t, "c0.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "longer than 8"));
	CU_ASSERT_EQUAL(r.naddrs, 0);
	tctx_stop(&t);
}

static void
test_targets_loop(void)
{
	struct tctx t;
	struct target_result r;

	tctx_start(&t);
	resolve(&t, "loop1.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "CNAME loop"));
	resolve(&t, "self.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "CNAME loop"));
	/* through the resolver too */
	resolve(&t, "rl1.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "CNAME loop"));
	tctx_stop(&t);
}

/* A target whose CNAME chain reaches a configured alias would feed the
 * alias its own last output: after host1 moves, mx1 -> [host1, t] with
 * t CNAME mx1 would keep host1's old address for ever. */
static void
test_targets_alias_loop(void)
{
	struct tctx t;
	struct target_result r;
	struct coord_alias al[2];

	memset(al, 0, sizeof(al));
	snprintf(al[0].name, sizeof(al[0].name), "mx1.example.test.");
	al[0].ntargets = 2;
	snprintf(al[0].targets[0], sizeof(al[0].targets[0]),
	    "host1.example.test.");
	snprintf(al[0].targets[1], sizeof(al[0].targets[1]),
	    "t.example.test.");
	/* another alias, not on the chain; any case, no trailing dot */
	snprintf(al[1].name, sizeof(al[1].name), "Other.Example.Test");

	tctx_start(&t);
	/* without the aliases known, t looks fine: the bug */
	resolve(&t, "t.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);

	targets_resolve(t.zones, 2, &t.resolver, al, 2, "t.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_EQUAL(r.naddrs, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "CNAME chain through alias "
	    "mx1.example.test. (a loop)"));
	/* two links away */
	targets_resolve(t.zones, 2, &t.resolver, al, 2, "T2.Example.Test", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "through alias mx1.example.test."));
	/* through the resolver's answer, from in zone and from outside */
	targets_resolve(t.zones, 2, &t.resolver, al, 2, "tout.example.test.",
	    &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "through alias mx1.example.test."));
	targets_resolve(t.zones, 2, &t.resolver, al, 2, "ra.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	/* the other target, and an alias named directly, are fine */
	targets_resolve(t.zones, 2, &t.resolver, al, 2, "host1.example.test.",
	    &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT(has_addr(&r, "192.0.2.11"));
	targets_resolve(t.zones, 2, &t.resolver, al, 2, "mx1.example.test.",
	    &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	/* a chain through no alias */
	targets_resolve(t.zones, 2, &t.resolver, al, 2,
	    "alias1.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	/* the other alias by its canonical name */
	snprintf(al[1].name, sizeof(al[1].name), "www.example.test");
	targets_resolve(t.zones, 2, &t.resolver, al, 2,
	    "alias1.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "through alias www.example.test."));
	tctx_stop(&t);
}

static void
test_targets_missing(void)
{
	struct tctx t;
	struct target_result r;

	tctx_start(&t);
	resolve(&t, "txtonly.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_MISSING);
	CU_ASSERT_EQUAL(r.naddrs, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "txtonly.example.test."));
	resolve(&t, "nothere.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_MISSING);
	resolve(&t, "dangling.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_MISSING);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "gone.example.test."));
	CU_ASSERT_EQUAL(t.f.nqueries, 0);	/* in-zone: never asked */
	tctx_stop(&t);
}

static void
test_targets_resolver(void)
{
	struct tctx t;
	struct target_result r;
	size_t i;
	bool asked_far = false;

	tctx_start(&t);
	resolve(&t, "ext.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 1);
	CU_ASSERT(has_addr(&r, "198.51.100.1"));
	CU_ASSERT_EQUAL(r.min_ttl, 60);

	/* in-zone CNAME out to the resolver: 500 and 300 and 60 */
	resolve(&t, "out.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT(has_addr(&r, "198.51.100.1"));
	CU_ASSERT_EQUAL(r.min_ttl, 60);

	/* the answer's chain ends without data: its end is asked */
	resolve(&t, "half.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 3);
	CU_ASSERT(has_addr(&r, "198.51.100.7"));
	CU_ASSERT(has_addr(&r, "198.51.100.8"));
	CU_ASSERT(has_addr(&r, "2001:db8:f::7"));
	CU_ASSERT_EQUAL(r.min_ttl, 30);
	for (i = 0; i < t.f.nqueries; i++)
		asked_far |= strcmp(t.f.queries[i], "far.other.test. 1") == 0;
	CU_ASSERT(asked_far);

	/* back into a managed zone: the zone's data, not the resolver's */
	resolve(&t, "back.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 3);
	CU_ASSERT(has_addr(&r, "192.0.2.1"));
	CU_ASSERT(!has_addr(&r, "203.0.113.9"));

	resolve(&t, "v4.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 1);
	CU_ASSERT_EQUAL(r.min_ttl, 45);
	tctx_stop(&t);
}

static void
test_targets_resolver_failures(void)
{
	struct tctx t;
	struct target_result r;
	char want[64];

	tctx_start(&t);
	resolve(&t, "nx.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_MISSING);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "NXDOMAIN"));

	resolve(&t, "nodata.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_MISSING);

	resolve(&t, "sf.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	snprintf(want, sizeof(want), "resolver 127.0.0.1#%u: SERVFAIL",
	    t.f.port);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, want));

	resolve(&t, "ref.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "REFUSED"));

	resolve(&t, "silent.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_EQUAL(r.naddrs, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "resolver"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "timed out"));
	snprintf(want, sizeof(want), "127.0.0.1#%u", t.f.port);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, want));

	/* a deadline: a silent resolver gets what is left of it, and past
	 * it nothing is asked (deferred) while the zone data still is */
	{
		uint64_t t0 = mono_ms();

		t.resolver.xo.timeout_ms = 5000;
		targets_resolve_by(t.zones, 2, &t.resolver, NULL, 0,
		    "silent.other.test.", t0 + 300, &r);
		CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
		CU_ASSERT_FALSE(r.deferred);
		CU_ASSERT(mono_ms() - t0 < 1500);
		CU_ASSERT_EQUAL(t.resolver.xo.timeout_ms, 5000);
		targets_resolve_by(t.zones, 2, &t.resolver, NULL, 0,
		    "ext.other.test.", mono_ms(), &r);
		CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
		CU_ASSERT_TRUE(r.deferred);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "not asked this pass"));
		targets_resolve_by(t.zones, 2, &t.resolver, NULL, 0,
		    "www.example.test.", mono_ms(), &r);
		CU_ASSERT_EQUAL(r.state, TARGET_OK);
		CU_ASSERT_FALSE(r.deferred);
	}

	/* no resolver: out-of-zone names cannot be resolved */
	targets_resolve(t.zones, 2, NULL, NULL, 0, "ext.other.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "no resolver"));
	targets_resolve(t.zones, 2, NULL, NULL, 0, "out.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	/* ... but in-zone ones can */
	targets_resolve(t.zones, 2, NULL, NULL, 0, "www.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	tctx_stop(&t);
}

/* A target at or below a delegation in a managed zone: the parent's data
 * is glue or occluded, so the resolver is asked. */
static void
test_targets_delegation(void)
{
	struct tctx t;
	struct target_result r;

	tctx_start(&t);
	/* not in the parent's data: not missing */
	resolve(&t, "www.deleg.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 2);
	CU_ASSERT(has_addr(&r, "198.51.100.80"));
	CU_ASSERT(has_addr(&r, "2001:db8:d::80"));
	/* glue in the parent: the child's address, not the glue */
	resolve(&t, "ns.deleg.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 1);
	CU_ASSERT(has_addr(&r, "198.51.100.53"));
	CU_ASSERT(!has_addr(&r, "192.0.2.53"));
	/* occluded data is not used */
	resolve(&t, "old.deleg.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_MISSING);
	CU_ASSERT(!has_addr(&r, "192.0.2.77"));
	/* the delegation point itself */
	resolve(&t, "deleg.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_MISSING);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "NXDOMAIN"));
	/* an in-zone CNAME into the delegated part */
	resolve(&t, "in.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT(has_addr(&r, "198.51.100.80"));

	/* no resolver: cannot be known */
	targets_resolve(t.zones, 2, NULL, NULL, 0, "www.deleg.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_EQUAL(r.naddrs, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "below the delegation at "
	    "deleg.example.test.; no resolver"));
	targets_resolve(t.zones, 2, NULL, NULL, 0, "ns.deleg.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	targets_resolve(t.zones, 2, NULL, NULL, 0, "in.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	/* the apex's own NS is no delegation */
	targets_resolve(t.zones, 2, NULL, NULL, 0, "www.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	tctx_stop(&t);
}

/* A name a wildcard could synthesise is never missing. */
static void
test_targets_wildcard(void)
{
	struct tctx t;
	struct target_result r;

	tctx_start(&t);
	resolve(&t, "x.wild.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_EQUAL(r.naddrs, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "x.wild.example.test."));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "wildcard *.wild.example.test."));
	resolve(&t, "a.b.wild.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	/* a name with data of its own is not synthesised */
	resolve(&t, "real.wild.example.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_MISSING);
	CU_ASSERT_EQUAL(t.f.nqueries, 0);
	tctx_stop(&t);
}

/* One zone holding n A and m AAAA RRs at name.big.test. */
static void
big_zone(struct zone_data *z, const char *name, unsigned n, unsigned m)
{
	char owner[64], addr[64];
	unsigned i;

	snprintf(owner, sizeof(owner), "%s.big.test.", name);
	for (i = 0; i < n; i++) {
		snprintf(addr, sizeof(addr), "192.0.2.%u", i + 1);
		CU_ASSERT_FATAL(zone_data_add(z, owner, DNS_TYPE_A, 60,
		    addr) == 0);
	}
	for (i = 0; i < m; i++) {
		snprintf(addr, sizeof(addr), "2001:db8::%x", i + 1);
		CU_ASSERT_FATAL(zone_data_add(z, owner, DNS_TYPE_AAAA, 60,
		    addr) == 0);
	}
}

/* More than REG_MAX_ADDRS addresses: failed, never cut. */
static void
test_targets_too_many(void)
{
	struct zone_data z;
	struct target_result r;

	zone_data_init(&z, "big.test.");
	big_zone(&z, "many", 40, 1);
	big_zone(&z, "v4", 33, 0);
	big_zone(&z, "both", 32, 1);
	big_zone(&z, "full", 31, 1);
	zone_data_sort(&z);

	targets_resolve(&z, 1, NULL, NULL, 0, "many.big.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_EQUAL(r.naddrs, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "more than 32 addresses"));
	targets_resolve(&z, 1, NULL, NULL, 0, "v4.big.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "more than 32 addresses"));
	targets_resolve(&z, 1, NULL, NULL, 0, "both.big.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_FAILED);
	CU_ASSERT_EQUAL(r.naddrs, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "more than 32 addresses"));
	/* exactly 32 fit */
	targets_resolve(&z, 1, NULL, NULL, 0, "full.big.test.", &r);
	CU_ASSERT_EQUAL(r.state, TARGET_OK);
	CU_ASSERT_EQUAL(r.naddrs, 32);
	CU_ASSERT(has_addr(&r, "2001:db8::1"));
	zone_data_clean(&z);
}

/* ---- the daemon ------------------------------------------------------- */

/* A coord for zones (a NULL-terminated list), on server when not NULL,
 * else on the primaries discovered through the resolver at 127.0.0.1
 * port resolver_port. */
static void
coord_for(struct coord *co, const char *server, uint16_t resolver_port,
    const char *const *zones, int *rc, struct error *err)
{
	struct coord_conf *conf = calloc(1, sizeof(*conf));
	struct tsig_key key;

	CU_ASSERT_FATAL(conf != NULL);
	conf_net_defaults(&conf->net);
	conf->net.timeout = 2;
	if (server != NULL) {
		snprintf(conf->net.servers[0], sizeof(conf->net.servers[0]),
		    "%s", server);
		conf->net.nservers = 1;
	} else {
		snprintf(conf->net.resolver, sizeof(conf->net.resolver),
		    "127.0.0.1");
		conf->net.resolver_port = resolver_port;
	}
	conf->net.port = 5353;
	for (; *zones != NULL; zones++)
		snprintf(conf->zones[conf->nzones++], sizeof(conf->zones[0]),
		    "%s", *zones);
	conf->grace = 30;
	conf->min_members = 1;
	conf->poll = 1;
	memset(&key, 0, sizeof(key));
	*rc = coord_init(co, conf, &key, err);
}

/* One coord_plan over zone data rrs (example.test.); 0 or -1. */
static int
plan_over(struct coord *co, const char *const *rrs, uint64_t now)
{
	struct pass_result r;
	struct error err;
	struct plan p;
	int rc;

	zone_data_clean(&co->zones[0]);
	zone_fill(&co->zones[0], "example.test.", rrs);
	co->zone_read[0] = true;
	memset(&r, 0, sizeof(r));
	plan_init(&p);
	rc = coord_plan(co, now, &p, &r, &err);
	plan_clean(&p);
	return rc;
}

/* The skew table keeps only the hosts whose heartbeat is still in the
 * future: one whose clock is right again, or whose registration is gone,
 * is dropped after the next plan. */
static void
test_skew_pruned(void)
{
	static const char *const zones[] = { "example.test.", NULL };
	uint64_t now = (uint64_t)time(NULL);
	char a[128], b[128], b_ok[128];
	const char *both[] = { "example.test. 60 SOA ns. h. 1 2 3 4 5", a, b,
	    "srv.example.test. 60 A 192.0.2.1",
	    "srv.example.test. 60 A 192.0.2.2", NULL };
	const char *one[] = { both[0], a, b_ok, both[3], both[4], NULL };
	const char *none[] = { both[0], b_ok, both[4], NULL };
	struct coord co;
	struct error err;
	int rc;

	snprintf(a, sizeof(a), "host-a._rollcall.srv.example.test. 60 TXT "
	    "\"v=rc1 t=%llu lease=60 a=192.0.2.1\"",
	    (unsigned long long)now + 5000);
	snprintf(b, sizeof(b), "host-b._rollcall.srv.example.test. 60 TXT "
	    "\"v=rc1 t=%llu lease=60 a=192.0.2.2\"",
	    (unsigned long long)now + 7000);
	snprintf(b_ok, sizeof(b_ok), "host-b._rollcall.srv.example.test. 60 "
	    "TXT \"v=rc1 t=%llu lease=60 a=192.0.2.2\"",
	    (unsigned long long)now);
	coord_for(&co, "127.0.0.1", 0, zones, &rc, &err);
	CU_ASSERT_FATAL(rc == 0);
	CU_ASSERT_EQUAL(plan_over(&co, both, now), 0);
	CU_ASSERT_EQUAL(co.nskew, 2);
	/* the same again: no growth, first-seen kept */
	CU_ASSERT_EQUAL(plan_over(&co, both, now + 10), 0);
	CU_ASSERT_EQUAL_FATAL(co.nskew, 2);
	CU_ASSERT_EQUAL(co.skew[0].first, now);
	/* host-b's clock is right again */
	CU_ASSERT_EQUAL(plan_over(&co, one, now + 20), 0);
	CU_ASSERT_EQUAL_FATAL(co.nskew, 1);
	CU_ASSERT_STRING_EQUAL(co.skew[0].host, "host-a");
	CU_ASSERT_EQUAL(co.skew[0].first, now);
	/* host-a's registration is gone */
	CU_ASSERT_EQUAL(plan_over(&co, none, now + 30), 0);
	CU_ASSERT_EQUAL(co.nskew, 0);
	coord_clean(&co);
}

static const struct qent discover_table[] = {
	{ "example.test.", DNS_TYPE_SOA, 0, {
	    "example.test. 60 IN SOA ns1.example.test. h.example.test. "
	    "1 2 3 4 5" } },
	{ "other.test.", DNS_TYPE_SOA, 0, {
	    "other.test. 60 IN SOA ns.other.test. h.other.test. 1 2 3 4 5" } },
	{ "ns1.example.test.", DNS_TYPE_A, 0, {
	    "ns1.example.test. 60 IN A 127.0.0.1" } },
	{ "ns.other.test.", DNS_TYPE_A, 0, {
	    "ns.other.test. 60 IN A 127.0.0.2" } },
};

/* No server configured: each zone's primary is its own SOA MNAME, not the
 * first zone's for all (a zone on another primary would get NOTAUTH for
 * ever); a configured server serves every zone. */
static void
test_primary_per_zone(void)
{
	static const char *const two[] = { "example.test.", "other.test.",
	    NULL };
	static const char *const below[] = { "example.test.",
	    "sub.other.test.", NULL };
	struct coord co;
	struct error err;
	struct fake f;
	int rc;

	fake_init(&f);
	f.qs = discover_table;
	f.nqs = NELEMS(discover_table);
	CU_ASSERT_FATAL(fake_start(&f) == 0);

	coord_for(&co, NULL, f.port, two, &rc, &err);
	CU_ASSERT_FATAL(rc == 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(co.zprimary);
	CU_ASSERT_EQUAL(co.zprimary[0].nservers, 1);
	CU_ASSERT_STRING_EQUAL(co.zprimary[0].servers[0].label,
	    "127.0.0.1#5353");
	CU_ASSERT_EQUAL(co.zprimary[1].nservers, 1);
	CU_ASSERT_STRING_EQUAL(co.zprimary[1].servers[0].label,
	    "127.0.0.2#5353");
	CU_ASSERT_PTR_EQUAL(co.zprimary[1].key, &co.key);	/* signed */
	coord_clean(&co);

	/* a zone the resolver has no SOA for: the parent's primary would
	 * be wrong */
	coord_for(&co, NULL, f.port, below, &rc, &err);
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "sub.other.test."));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "its zone is other.test."));
	coord_clean(&co);

	/* a server configured: every zone goes to it, nothing discovered */
	pthread_mutex_lock(&f.mu);
	f.nqueries = 0;
	pthread_mutex_unlock(&f.mu);
	coord_for(&co, "192.0.2.53", f.port, two, &rc, &err);
	CU_ASSERT_FATAL(rc == 0);
	CU_ASSERT_PTR_NULL(co.zprimary);
	CU_ASSERT_STRING_EQUAL(co.primary.servers[0].label,
	    "192.0.2.53#5353");
	coord_clean(&co);
	fake_stop(&f);
	CU_ASSERT_EQUAL(f.nqueries, 0);
}

void
suite_apply(void)
{
	CU_pSuite s = test_add_suite("apply");

	test_add(s, "split on failed prerequisites", test_split_on_prereq);
	test_add(s, "every action raced", test_all_raced);
	test_add(s, "one UPDATE per zone, first-seen order",
	    test_group_by_zone);
	test_add(s, "2,000 actions within 65,535 octets", test_batch_bound);
	test_add(s, "REFUSED stops the pass", test_refused_stops);
	test_add(s, "NOTAUTH is an error", test_notauth_is_error);
	test_add(s, "one action refused, the rest applied",
	    test_refused_one);
	test_add(s, "no server", test_no_server);
	test_add(s, "conflicting prerequisites", test_prereq_conflicts);
	test_add(s, "dry run", test_dry_run);
	test_add(s, "test pause hook", test_pause_hook);
	test_add(s, "empty plan", test_empty_plan);
	test_add(s, "targets in zone", test_targets_in_zone);
	test_add(s, "targets CNAME chain", test_targets_cname_chain);
	test_add(s, "targets CNAME loop", test_targets_loop);
	test_add(s, "targets missing", test_targets_missing);
	test_add(s, "targets CNAME through an alias",
	    test_targets_alias_loop);
	test_add(s, "targets via resolver", test_targets_resolver);
	test_add(s, "targets resolver failures",
	    test_targets_resolver_failures);
	test_add(s, "targets below a delegation", test_targets_delegation);
	test_add(s, "targets under a wildcard", test_targets_wildcard);
	test_add(s, "targets with too many addresses", test_targets_too_many);
	test_add(s, "skew table pruned", test_skew_pruned);
	test_add(s, "a primary per zone", test_primary_per_zone);
}
