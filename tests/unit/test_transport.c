/*
 * test_transport.c - xfer_exchange against scripted servers on loopback.
 *
 * Each test starts a fake server in a thread: a UDP socket and a TCP
 * listener on the same ephemeral port of 127.0.0.1 (or ::1), plus a UDP
 * socket on 127.0.0.2 with the same port for answers from a wrong address.
 * The thread answers as the test's script says and counts what it got; the
 * test reads the counts after joining it.  Waits are socket readiness, never
 * a sleep, except where a server deliberately dribbles its bytes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "suites.h"
#include "transport.h"

#define RCODE_REFUSED	5	/* marks answers that must not be accepted */

/* ---- Messages ------------------------------------------------------- */

/* A header and one question for name ("a.example.test"), by hand so that
 * every byte is under the test's control.  Returns the length. */
static size_t
build_msg(uint8_t *buf, size_t size, uint16_t id, unsigned opcode,
    const char *name, uint16_t type, uint16_t class)
{
	const char *p = name, *dot;
	size_t n = 12, len;

	memset(buf, 0, size);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = (uint8_t)(opcode << 3);
	buf[5] = 1;	/* QDCOUNT (ZOCOUNT for UPDATE) */
	while (*p != '\0') {
		dot = strchr(p, '.');
		len = dot != NULL ? (size_t)(dot - p) : strlen(p);
		buf[n++] = (uint8_t)len;
		memcpy(buf + n, p, len);
		n += len;
		p += len;
		if (*p == '.')
			p++;
	}
	buf[n++] = 0;
	buf[n++] = (uint8_t)(type >> 8);
	buf[n++] = (uint8_t)type;
	buf[n++] = (uint8_t)(class >> 8);
	buf[n++] = (uint8_t)class;
	return n;
}

static size_t
build_query(uint8_t *buf, size_t size, uint16_t id)
{
	return build_msg(buf, size, id, 0, "host.example.test", 16, 1);
}

static unsigned
rcode(const uint8_t *msg)
{
	return msg[3] & 0x0f;
}

/* ---- The fake server ------------------------------------------------- */

struct fake;
typedef void (*udp_script)(struct fake *, const uint8_t *, size_t,
    const struct sockaddr_storage *, socklen_t);
typedef void (*tcp_script)(struct fake *, int);

struct fake {
	int		udp, tcp, alt;	/* alt: UDP on 127.0.0.2, same port */
	int		stop[2];	/* written to by the test to stop */
	struct server	srv;
	udp_script	on_udp;		/* NULL: stay silent */
	tcp_script	on_tcp;		/* NULL: accept and close */
	unsigned	udp_count, tcp_count;
	bool		listening;
	pthread_t	thread;
};

/* Send q back with QR set and whatever change the script makes. */
static void
reply(int fd, const uint8_t *q, size_t n, const struct sockaddr_storage *to,
    socklen_t tolen, uint8_t flags, unsigned rc)
{
	uint8_t a[512];

	if (n > sizeof(a))
		return;
	memcpy(a, q, n);
	a[2] |= 0x80 | flags;
	a[3] = (uint8_t)((a[3] & 0xf0) | rc);
	(void)sendto(fd, a, n, 0, (const struct sockaddr *)to, tolen);
}

static void
fake_drain(struct fake *f)
{
	uint8_t buf[512];

	/* Datagrams queued when the test said stop still count. */
	while (recv(f->udp, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		f->udp_count++;
}

static void
fake_accept(struct fake *f)
{
	struct timeval tv = { 2, 0 };
	int conn;

	if ((conn = accept(f->tcp, NULL, NULL)) == -1)
		return;
	f->tcp_count++;
	/* A script waiting for a client that has gone must not hang. */
	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (f->on_tcp != NULL)
		f->on_tcp(f, conn);
	close(conn);
}

static void *
fake_run(void *arg)
{
	struct fake *f = arg;
	struct sockaddr_storage from;
	struct pollfd pfd[3];
	socklen_t fromlen;
	uint8_t buf[512];
	ssize_t n;

	for (;;) {
		pfd[0].fd = f->udp;
		/* poll says POLLHUP for a TCP socket that only is bound. */
		pfd[1].fd = f->listening ? f->tcp : -1;
		pfd[2].fd = f->stop[0];
		pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			fromlen = sizeof(from);
			n = recvfrom(f->udp, buf, sizeof(buf), MSG_DONTWAIT,
			    (struct sockaddr *)&from, &fromlen);
			if (n > 0) {
				f->udp_count++;
				if (f->on_udp != NULL)
					f->on_udp(f, buf, (size_t)n, &from,
					    fromlen);
			}
		}
		if (pfd[1].revents & POLLIN)
			fake_accept(f);
		if (pfd[2].revents & POLLIN)
			break;
	}
	fake_drain(f);
	return NULL;
}

static uint16_t
sock_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A socket of type bound to addr:port (0: any free port), or -1. */
static int
bound_socket(const char *addr, uint16_t port, int type)
{
	struct server s;
	struct error e;
	int fd, one = 1;

	if (server_from_string(addr, port == 0 ? 1 : port, &s, &e) == -1)
		return -1;
	if (port == 0)
		((struct sockaddr_in *)&s.addr)->sin_port = 0;	/* same
		    offset in sockaddr_in6 */
	if ((fd = socket(s.addr.ss_family, type, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&s.addr, s.addrlen) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Start a fake server on addr, its TCP port listening or only bound (so
 * that connecting is refused).  -1 when addr cannot be bound here. */
static int
fake_open(struct fake *f, const char *addr, udp_script u, tcp_script t,
    bool listening)
{
	struct error e;
	uint16_t port = 0;
	int i;

	memset(f, 0, sizeof(*f));
	f->on_udp = u;
	f->on_tcp = t;
	f->udp = f->tcp = f->alt = f->stop[0] = f->stop[1] = -1;
	/* The UDP port may be taken for TCP (or on 127.0.0.2): try again. */
	for (i = 0; i < 20; i++) {
		if ((f->udp = bound_socket(addr, 0, SOCK_DGRAM)) == -1)
			return -1;
		port = sock_port(f->udp);
		f->tcp = bound_socket(addr, port, SOCK_STREAM);
		if (strchr(addr, ':') == NULL)
			f->alt = bound_socket("127.0.0.2", port, SOCK_DGRAM);
		if (f->tcp != -1 && (f->alt != -1 || strchr(addr, ':')))
			break;
		close(f->udp);
		if (f->tcp != -1)
			close(f->tcp);
		if (f->alt != -1)
			close(f->alt);
		f->udp = f->tcp = f->alt = -1;
	}
	if (f->udp == -1 || (listening && listen(f->tcp, 8) == -1) ||
	    pipe(f->stop) == -1 ||
	    server_from_string(addr, port, &f->srv, &e) == -1)
		return -1;
	f->listening = listening;
	if (pthread_create(&f->thread, NULL, fake_run, f) != 0)
		return -1;
	return 0;
}

static int
fake_start(struct fake *f, const char *addr, udp_script u, tcp_script t)
{
	return fake_open(f, addr, u, t, true);
}

static void
fake_stop(struct fake *f)
{
	(void)write(f->stop[1], "x", 1);
	pthread_join(f->thread, NULL);
	close(f->udp);
	close(f->tcp);
	if (f->alt != -1)
		close(f->alt);
	close(f->stop[0]);
	close(f->stop[1]);
}

/* A port on 127.0.0.1 with nothing behind it, for ICMP port unreachable
 * and TCP RST. */
static void
closed_server(struct server *s)
{
	struct error e;
	int fd = bound_socket("127.0.0.1", 0, SOCK_DGRAM);

	CU_ASSERT_FATAL(fd != -1);
	CU_ASSERT_FATAL(server_from_string("127.0.0.1", sock_port(fd), s,
	    &e) == 0);
	close(fd);
}

/* ---- Scripts ---------------------------------------------------------- */

static void
udp_echo(struct fake *f, const uint8_t *q, size_t n,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	reply(f->udp, q, n, from, fromlen, 0, 0);
}

/* Wrong ID (marked REFUSED) first, then the right answer. */
static void
udp_wrong_id_first(struct fake *f, const uint8_t *q, size_t n,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	uint8_t w[512];

	if (n < 16 || n > sizeof(w))
		return;
	memcpy(w, q, n);
	w[1] ^= 0x01;
	reply(f->udp, w, n, from, fromlen, 0, RCODE_REFUSED);
	reply(f->udp, q, n, from, fromlen, 0, 0);
}

/* Another name, then another type (both marked REFUSED), then the right
 * question with its name in other case, which must be accepted. */
static void
udp_wrong_question_first(struct fake *f, const uint8_t *q, size_t n,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	uint8_t w[512];

	if (n < 16 || n > sizeof(w))
		return;
	memcpy(w, q, n);
	w[13] = 'x';				/* "host" -> "xost" */
	reply(f->udp, w, n, from, fromlen, 0, RCODE_REFUSED);
	memcpy(w, q, n);
	w[n - 3] ^= 0x01;			/* QTYPE TXT -> RP */
	reply(f->udp, w, n, from, fromlen, 0, RCODE_REFUSED);
	memcpy(w, q, n);
	w[13] = 'H';				/* case does not matter */
	reply(f->udp, w, n, from, fromlen, 0, 0);
}

/* A REFUSED answer from 127.0.0.2 with the server's port, then the right
 * one from the server. */
static void
udp_other_source_first(struct fake *f, const uint8_t *q, size_t n,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	reply(f->alt, q, n, from, fromlen, 0, RCODE_REFUSED);
	reply(f->udp, q, n, from, fromlen, 0, 0);
}

static void
udp_other_source_only(struct fake *f, const uint8_t *q, size_t n,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	reply(f->alt, q, n, from, fromlen, 0, 0);
}

/* Ignore the first copy, answer the second. */
static void
udp_second_copy(struct fake *f, const uint8_t *q, size_t n,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	if (f->udp_count == 2)
		reply(f->udp, q, n, from, fromlen, 0, 0);
}

static void
udp_truncated(struct fake *f, const uint8_t *q, size_t n,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	reply(f->udp, q, n, from, fromlen, 0x02, RCODE_REFUSED);
}

/* Blocking read of exactly n bytes; -1 on EOF, error or timeout. */
static int
read_n(int fd, uint8_t *p, size_t n)
{
	ssize_t r;

	while (n > 0) {
		if ((r = recv(fd, p, n, 0)) <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Read one length-prefixed query into q (at most size bytes). */
static int
tcp_read_query(int fd, uint8_t *q, size_t size, size_t *n)
{
	uint8_t pfx[2];

	if (read_n(fd, pfx, 2) == -1)
		return -1;
	*n = (size_t)pfx[0] << 8 | pfx[1];
	if (*n < 12 || *n > size)
		return -1;
	return read_n(fd, q, *n);
}

/* Answer as the query with QR set, in pieces split at cuts[]. */
static void
tcp_answer(int fd, const uint8_t *q, size_t n, const size_t *cuts,
    size_t ncuts)
{
	uint8_t a[2 + 512];
	size_t i, from = 0, to;
	int one = 1;

	a[0] = (uint8_t)(n >> 8);
	a[1] = (uint8_t)n;
	memcpy(a + 2, q, n);
	a[4] |= 0x80;
	/* Without Nagle each send leaves as its own segment. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; i <= ncuts; i++) {
		to = i < ncuts ? cuts[i] : n + 2;
		if (send(fd, a + from, to - from, MSG_NOSIGNAL) == -1)
			return;
		from = to;
		if (i < ncuts) {
			/* Not synchronisation: the test passes either way;
			 * this only makes split reads likely. */
			struct timespec ts = { 0, 2000000 };
			nanosleep(&ts, NULL);
		}
	}
}

static void
tcp_echo(struct fake *f, int fd)
{
	uint8_t q[512];
	size_t n;

	if (tcp_read_query(fd, q, sizeof(q), &n) == 0)
		tcp_answer(fd, q, n, NULL, 0);
}

static void
tcp_small_writes(struct fake *f, int fd)
{
	uint8_t q[512];
	size_t n, cuts[] = { 1, 2, 5, 14 };

	if (tcp_read_query(fd, q, sizeof(q), &n) == 0)
		tcp_answer(fd, q, n, cuts, 4);
}

static void
tcp_close_after_query(struct fake *f, int fd)
{
	uint8_t q[512];
	size_t n;

	(void)tcp_read_query(fd, q, sizeof(q), &n);
}

static void
tcp_close_after_length(struct fake *f, int fd)
{
	uint8_t q[512];
	size_t n;

	if (tcp_read_query(fd, q, sizeof(q), &n) == 0)
		(void)send(fd, "\0\x30", 2, MSG_NOSIGNAL);
}

/* Read the query, then wait for the client to give up. */
static void
tcp_silent(struct fake *f, int fd)
{
	uint8_t q[512];
	size_t n;

	if (tcp_read_query(fd, q, sizeof(q), &n) == 0)
		(void)recv(fd, q, 1, 0);
}

/* Echo a message of any size with the transport's own stream calls. */
static void
tcp_echo_large(struct fake *f, int fd)
{
	struct error e;
	uint8_t *m;
	size_t n;

	if (xfer_tcp_recv(fd, &m, &n, mono_ms() + 2000, &e) == -1)
		return;
	m[2] |= 0x80;
	(void)xfer_tcp_send(fd, m, n, mono_ms() + 2000, &e);
	free(m);
}

/* ---- Helpers for the tests ------------------------------------------ */

static struct xfer_opts
opts(unsigned timeout_ms, unsigned try_ms, unsigned retries)
{
	struct xfer_opts o;

	memset(&o, 0, sizeof(o));
	o.timeout_ms = timeout_ms;
	o.try_ms = try_ms;
	o.retries = retries;
	return o;
}

/* Run one exchange of a fresh query; the answer is checked to be ours
 * and handed back (caller frees) through ans when not NULL. */
static int
exchange(const struct xfer_opts *o, const struct server *srv, size_t nsrv,
    uint8_t **ans, size_t *ans_len, size_t *which, struct error *e)
{
	uint8_t q[512];
	size_t n = build_query(q, sizeof(q), dns_random_id());
	uint8_t *a;
	size_t alen, w;
	int rc;

	memset(e, 0, sizeof(*e));
	rc = xfer_exchange(o, srv, nsrv, q, n, &a, &alen, &w, e);
	if (rc == 0) {
		CU_ASSERT(alen == n);
		CU_ASSERT(xfer_answer_matches(q, n, a, alen));
	} else {
		CU_ASSERT(a == NULL);
	}
	if (which != NULL)
		*which = w;
	if (ans_len != NULL)
		*ans_len = alen;
	if (ans != NULL)
		*ans = a;
	else
		free(a);
	return rc;
}

/* ---- Tests: pure functions ------------------------------------------ */

static void
test_server_from_string(void)
{
	static const struct {
		const char	*addr;
		uint16_t	 port;
		const char	*label;		/* NULL: must fail */
	} t[] = {
		{ "127.0.0.1", 53, "127.0.0.1#53" },
		{ "192.0.2.10", 5300, "192.0.2.10#5300" },
		{ "::1", 5300, "::1#5300" },
		{ "0:0:0:0:0:0:0:1", 53, "::1#53" },
		{ "2001:DB8::1", 65535, "2001:db8::1#65535" },
		{ "::ffff:192.0.2.1", 53, "::ffff:192.0.2.1#53" },
		{ "127.0.0.1", 0, NULL },
		{ "127.1", 53, NULL },			/* inet_aton form */
		{ "1.2.3", 53, NULL },
		{ "1.2.3.4.5", 53, NULL },
		{ "256.0.0.1", 53, NULL },
		{ "localhost", 53, NULL },		/* numeric only */
		{ "ns1.example.test", 53, NULL },
		{ "", 53, NULL },
		{ " 127.0.0.1", 53, NULL },
		{ "127.0.0.1 ", 53, NULL },
		{ "::g", 53, NULL },
		{ "[::1]", 53, NULL },
	};
	struct server s;
	struct error e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&e, 0, sizeof(e));
		rc = server_from_string(t[i].addr, t[i].port, &s, &e);
		if (t[i].label == NULL) {
			CU_ASSERT(rc == -1);
			CU_ASSERT(e.kind == ERR_CONFIG);
			continue;
		}
		CU_ASSERT(rc == 0);
		CU_ASSERT_STRING_EQUAL(s.label, t[i].label);
		CU_ASSERT(s.addrlen == (strchr(t[i].addr, ':') != NULL ?
		    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)));
	}
}

/* One edit applied to a copy of the request to make an answer. */
enum edit {
	E_NONE, E_NO_QR, E_ID, E_QDCOUNT0, E_QDCOUNT2, E_NAME, E_CASE,
	E_TYPE, E_CLASS, E_SHORT_HDR, E_CUT_NAME, E_CUT_TYPE, E_LABEL_TYPE,
	E_LONG_LABEL, E_PTR_SELF, E_PTR_FORWARD,
};

static void
test_answer_matches(void)
{
	static const struct {
		enum edit	edit;
		bool		match;
	} t[] = {
		{ E_NONE, true },
		{ E_CASE, true },
		{ E_NO_QR, false },
		{ E_ID, false },
		{ E_QDCOUNT0, false },
		{ E_QDCOUNT2, false },		/* says 2, has 1 */
		{ E_NAME, false },
		{ E_TYPE, false },
		{ E_CLASS, false },
		{ E_SHORT_HDR, false },
		{ E_CUT_NAME, false },
		{ E_CUT_TYPE, false },
		{ E_LABEL_TYPE, false },
		{ E_LONG_LABEL, false },
		{ E_PTR_SELF, false },
		{ E_PTR_FORWARD, false },
	};
	uint8_t q[512], a[512];
	size_t i, n, alen;

	n = build_query(q, sizeof(q), 0x1234);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memcpy(a, q, n);
		alen = n;
		a[2] |= 0x80;
		switch (t[i].edit) {
		case E_NONE:					break;
		case E_NO_QR:		a[2] &= 0x7f;		break;
		case E_ID:		a[0] ^= 0x80;		break;
		case E_QDCOUNT0:	a[5] = 0;		break;
		case E_QDCOUNT2:	a[5] = 2;		break;
		case E_NAME:		a[14] = 'p';		break;
		case E_CASE:		a[13] = 'H'; a[19] = 'X'; break;
		case E_TYPE:		a[n - 3] = 1;		break;
		case E_CLASS:		a[n - 1] = 3;		break;
		case E_SHORT_HDR:	alen = 11;		break;
		case E_CUT_NAME:	alen = 16;		break;
		case E_CUT_TYPE:	alen = n - 1;		break;
		case E_LABEL_TYPE:	a[12] = 0x44;		break;
		case E_LONG_LABEL:	a[12] = 63;		break;
		case E_PTR_SELF:	a[12] = 0xc0; a[13] = 12; break;
		case E_PTR_FORWARD:	a[12] = 0xc0; a[13] = 20; break;
		}
		CU_ASSERT(xfer_answer_matches(q, n, a, alen) == t[i].match);
		if (xfer_answer_matches(q, n, a, alen) != t[i].match)
			fprintf(stderr, "\nanswer_matches case %zu\n", i);
	}
	/* A request shorter than a header never matches. */
	CU_ASSERT(!xfer_answer_matches(q, 11, q, n));
}

/* A compressed question is unusual but legal: compare after following the
 * pointer.  The message also carries an earlier copy of the name. */
static void
test_answer_matches_compressed(void)
{
	uint8_t q[512], a[512];
	size_t n, qlen, nlen;

	n = build_query(q, sizeof(q), 0x4321);
	/* a: header, question whose name points at offset 12 of a second
	 * layout: [hdr][name][ptr->12][type class]. */
	nlen = n - 12 - 4;
	memcpy(a, q, 12);
	a[2] |= 0x80;
	a[5] = 2;
	memcpy(a + 12, q + 12, nlen + 4);		/* question 1 */
	a[12 + nlen + 4] = 0xc0;			/* question 2 */
	a[12 + nlen + 5] = 12;
	memcpy(a + 12 + nlen + 6, q + 12 + nlen, 4);
	qlen = 12 + nlen + 4 + 6;
	/* The request with the same two questions uncompressed. */
	memcpy(q + n, q + 12, nlen + 4);
	q[5] = 2;
	CU_ASSERT(xfer_answer_matches(q, n + nlen + 4, a, qlen));
	/* A pointer to another name does not match. */
	a[12 + nlen + 5] = 13;
	CU_ASSERT(!xfer_answer_matches(q, n + nlen + 4, a, qlen));
}

/* The zone section of an UPDATE is checked like a question. */
static void
test_answer_matches_update(void)
{
	uint8_t q[512], a[512];
	size_t n;

	n = build_msg(q, sizeof(q), 0xbeef, 5, "example.test", 6, 1);
	memcpy(a, q, n);
	a[2] |= 0x80;
	CU_ASSERT(xfer_answer_matches(q, n, a, n));
	a[13] = 'f';
	CU_ASSERT(!xfer_answer_matches(q, n, a, n));
}

static void
test_random_id(void)
{
	uint16_t first = dns_random_id();
	int i, differ = 0;

	/* 32 equal draws happen with probability 2^-496. */
	for (i = 0; i < 32; i++)
		differ += dns_random_id() != first;
	CU_ASSERT(differ > 0);
}

/* ---- Tests: UDP ------------------------------------------------------- */

static void
test_udp_answer(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;
	uint8_t *a;
	size_t alen, which;

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_echo, NULL) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, &a, &alen, &which, &e) == 0);
	fake_stop(&f);
	CU_ASSERT(which == 0);
	CU_ASSERT(f.udp_count == 1);
	CU_ASSERT(f.tcp_count == 0);
	free(a);
}

static void
test_udp_ipv6(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;

	if (fake_start(&f, "::1", udp_echo, tcp_echo) == -1) {
		fprintf(stderr, "SKIPPED: no ::1 here ");
		return;
	}
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == 0);
	o.tcp_only = true;
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == 0);
	fake_stop(&f);
	CU_ASSERT(f.udp_count == 1);
	CU_ASSERT(f.tcp_count == 1);
}

static void
test_udp_wrong_id_ignored(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;
	uint8_t *a;
	size_t alen;

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_wrong_id_first,
	    NULL) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, &a, &alen, NULL, &e) == 0);
	fake_stop(&f);
	CU_ASSERT(a != NULL && rcode(a) == 0);
	CU_ASSERT(f.udp_count == 1);
	free(a);
}

static void
test_udp_wrong_question_ignored(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;
	uint8_t *a;
	size_t alen;

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_wrong_question_first,
	    NULL) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, &a, &alen, NULL, &e) == 0);
	fake_stop(&f);
	CU_ASSERT(a != NULL && rcode(a) == 0 && a[13] == 'H');
	CU_ASSERT(f.udp_count == 1);
	free(a);
}

static void
test_udp_other_source_ignored(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;
	uint8_t *a;
	size_t alen;

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_other_source_first,
	    NULL) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, &a, &alen, NULL, &e) == 0);
	fake_stop(&f);
	CU_ASSERT(a != NULL && rcode(a) == 0);
	CU_ASSERT(f.udp_count == 1);
	free(a);

	/* Only the wrong source answers: nothing is accepted. */
	o = opts(300, 100, 1);
	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_other_source_only,
	    NULL) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == -1);
	fake_stop(&f);
	CU_ASSERT(e.kind == ERR_NET);
	CU_ASSERT(f.udp_count == 2);
}

static void
test_udp_retry_answered(void)
{
	struct xfer_opts o = opts(2000, 50, 3);
	struct fake f;
	struct error e;

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_second_copy,
	    NULL) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == 0);
	fake_stop(&f);
	CU_ASSERT(f.udp_count == 2);
}

static void
test_udp_no_answer(void)
{
	struct xfer_opts o = opts(2000, 50, 2);
	struct fake f;
	struct error e;
	char want[256];
	uint64_t t0, ms;

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", NULL, NULL) == 0);
	t0 = mono_ms();
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == -1);
	ms = mono_ms() - t0;
	fake_stop(&f);
	CU_ASSERT(e.kind == ERR_NET);
	/* Tries at 0, 50 and 140..150 ms; the last waits 180..200 ms. */
	CU_ASSERT(f.udp_count == 1 + o.retries);
	CU_ASSERT(ms >= 320 && ms < 2000 + 500);
	snprintf(want, sizeof(want), "no answer from %s (timed out after 3 "
	    "tries)", f.srv.label);
	CU_ASSERT_STRING_EQUAL(e.msg, want);
}

static void
test_refused_then_next(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct server srv[2];
	struct fake f;
	struct error e;
	size_t which;
	uint64_t t0;

	closed_server(&srv[0]);
	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_echo, NULL) == 0);
	srv[1] = f.srv;
	t0 = mono_ms();
	CU_ASSERT(exchange(&o, srv, 2, NULL, NULL, &which, &e) == 0);
	/* Refusal is immediate: no try timeout was waited. */
	CU_ASSERT(mono_ms() - t0 < 400);
	fake_stop(&f);
	CU_ASSERT(which == 1);
	CU_ASSERT(f.udp_count == 1);
}

static void
test_all_fail_message(void)
{
	struct xfer_opts o = opts(400, 100, 1);
	struct server srv[2];
	struct fake f;
	struct error e;
	char want[256];

	closed_server(&srv[0]);
	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", NULL, NULL) == 0);
	srv[1] = f.srv;
	CU_ASSERT(exchange(&o, srv, 2, NULL, NULL, NULL, &e) == -1);
	fake_stop(&f);
	CU_ASSERT(e.kind == ERR_NET);
	/* Tries at 0 and 100 ms, the second waits 180..200: done at ~300,
	 * before the 400 ms deadline. */
	snprintf(want, sizeof(want), "no answer from %s (connection refused), "
	    "%s (timed out after 2 tries)", srv[0].label, srv[1].label);
	CU_ASSERT_STRING_EQUAL(e.msg, want);
}

/* A silent first server gets its share of the deadline, not all of it. */
static void
test_silent_server_shares_deadline(void)
{
	struct xfer_opts o = opts(600, 100, 5);
	struct server srv[2];
	struct fake f1, f2;
	struct error e;
	size_t which;
	uint64_t t0, ms;

	CU_ASSERT_FATAL(fake_start(&f1, "127.0.0.1", NULL, NULL) == 0);
	CU_ASSERT_FATAL(fake_start(&f2, "127.0.0.1", udp_echo, NULL) == 0);
	srv[0] = f1.srv;
	srv[1] = f2.srv;
	t0 = mono_ms();
	CU_ASSERT(exchange(&o, srv, 2, NULL, NULL, &which, &e) == 0);
	ms = mono_ms() - t0;
	fake_stop(&f1);
	fake_stop(&f2);
	CU_ASSERT(which == 1);
	CU_ASSERT(ms >= 290 && ms < 600);
	/* At 0 and 100 ms, and at 280..300 if that is before 300. */
	CU_ASSERT(f1.udp_count == 2 || f1.udp_count == 3);
	CU_ASSERT(f2.udp_count == 1);
}

static void
test_deadline_before_try_timeout(void)
{
	struct xfer_opts o = opts(150, 1000, 3);
	struct fake f;
	struct error e;
	char want[256];
	uint64_t t0, ms;

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", NULL, NULL) == 0);
	t0 = mono_ms();
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == -1);
	ms = mono_ms() - t0;
	fake_stop(&f);
	CU_ASSERT(ms >= 150 && ms < 150 + 500);
	CU_ASSERT(f.udp_count == 1);
	snprintf(want, sizeof(want), "no answer from %s (timed out after 1 "
	    "try); deadline of 150 ms reached", f.srv.label);
	CU_ASSERT_STRING_EQUAL(e.msg, want);
}

static void
test_bad_arguments(void)
{
	struct xfer_opts o = opts(0, 100, 1);
	struct server s;
	struct error e;
	uint8_t q[512], *a;
	size_t n, alen, which;
	char want[256];

	closed_server(&s);
	n = build_query(q, sizeof(q), 1);
	CU_ASSERT(xfer_exchange(&o, &s, 1, q, 11, &a, &alen, &which, &e) == -1);
	CU_ASSERT(e.kind == ERR_SYS && a == NULL);
	CU_ASSERT(xfer_exchange(&o, &s, 0, q, n, &a, &alen, &which, &e) == -1);
	CU_ASSERT(e.kind == ERR_NET && a == NULL);
	/* No time at all: nothing is sent, and the message says why. */
	CU_ASSERT(xfer_exchange(&o, &s, 1, q, n, &a, &alen, &which, &e) == -1);
	snprintf(want, sizeof(want), "no answer from %s (not tried); deadline "
	    "of 0 s reached", s.label);
	CU_ASSERT_STRING_EQUAL(e.msg, want);
}

/* ---- Tests: TCP ------------------------------------------------------- */

static void
test_truncated_retried_over_tcp(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;
	uint8_t *a;
	size_t alen;

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_truncated,
	    tcp_echo) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, &a, &alen, NULL, &e) == 0);
	fake_stop(&f);
	/* The TCP answer, not the truncated REFUSED one. */
	CU_ASSERT(a != NULL && !(a[2] & 0x02) && rcode(a) == 0);
	CU_ASSERT(f.udp_count == 1);
	CU_ASSERT(f.tcp_count == 1);
	free(a);
}

static void
test_truncated_tcp_refused(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;
	char want[256];

	/* TCP refuses: the port is bound but nobody listens. */
	CU_ASSERT_FATAL(fake_open(&f, "127.0.0.1", udp_truncated, NULL,
	    false) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == -1);
	fake_stop(&f);
	snprintf(want, sizeof(want), "no answer from %s (truncated over UDP, "
	    "TCP connect: connection refused)", f.srv.label);
	CU_ASSERT_STRING_EQUAL(e.msg, want);
}

static void
test_tcp_only(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;

	o.tcp_only = true;
	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", udp_echo, tcp_echo) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == 0);
	fake_stop(&f);
	CU_ASSERT(f.udp_count == 0);
	CU_ASSERT(f.tcp_count == 1);
}

static void
test_tcp_small_writes(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;

	o.tcp_only = true;
	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", NULL,
	    tcp_small_writes) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == 0);
	fake_stop(&f);
	CU_ASSERT(f.tcp_count == 1);
}

static void
test_tcp_closed_early(void)
{
	struct xfer_opts o = opts(2000, 500, 2);
	struct fake f;
	struct error e;

	o.tcp_only = true;
	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", NULL,
	    tcp_close_after_query) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == -1);
	fake_stop(&f);
	CU_ASSERT(e.kind == ERR_NET);
	CU_ASSERT(strstr(e.msg, "closed by server after 0 of 2 bytes of the "
	    "length") != NULL);

	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", NULL,
	    tcp_close_after_length) == 0);
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == -1);
	fake_stop(&f);
	CU_ASSERT(e.kind == ERR_NET);
	CU_ASSERT(strstr(e.msg, "closed by server after 0 of 48 bytes of the "
	    "message") != NULL);
}

static void
test_tcp_timeout(void)
{
	struct xfer_opts o = opts(300, 50, 1);
	struct fake f;
	struct error e;
	uint64_t t0, ms;

	o.tcp_only = true;
	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", NULL, tcp_silent) == 0);
	t0 = mono_ms();
	CU_ASSERT(exchange(&o, &f.srv, 1, NULL, NULL, NULL, &e) == -1);
	ms = mono_ms() - t0;
	fake_stop(&f);
	/* TCP gets what the UDP tries would have waited: 50 + 100 ms. */
	CU_ASSERT(ms >= 150 && ms < 300 + 500);
	CU_ASSERT(strstr(e.msg, "(TCP read: timed out)") != NULL);
}

static void
test_tcp_refused(void)
{
	struct xfer_opts o = opts(1000, 500, 2);
	struct server s;
	struct error e;
	char want[256];

	o.tcp_only = true;
	closed_server(&s);
	CU_ASSERT(exchange(&o, &s, 1, NULL, NULL, NULL, &e) == -1);
	snprintf(want, sizeof(want), "no answer from %s (TCP connect: "
	    "connection refused)", s.label);
	CU_ASSERT_STRING_EQUAL(e.msg, want);
}

/* The largest message, through small socket buffers, so that writes and
 * reads on both sides come in pieces. */
static void
test_tcp_large_message(void)
{
	struct xfer_opts o = opts(3000, 1000, 2);
	struct fake f;
	struct error e;
	uint8_t *q, *a;
	size_t n, alen, which, i;
	int small = 4096;

	o.tcp_only = true;
	CU_ASSERT_FATAL(fake_start(&f, "127.0.0.1", NULL, tcp_echo_large) == 0);
	/* Inherited by accepted sockets. */
	setsockopt(f.tcp, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	setsockopt(f.tcp, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	q = malloc(65535);
	CU_ASSERT_FATAL(q != NULL);
	n = build_query(q, 65535, dns_random_id());
	for (i = n; i < 65535; i++)	/* trailing bytes: not checked */
		q[i] = (uint8_t)i;
	CU_ASSERT(xfer_exchange(&o, &f.srv, 1, q, 65535, &a, &alen, &which,
	    &e) == 0);
	fake_stop(&f);
	CU_ASSERT(alen == 65535);
	CU_ASSERT(a != NULL && memcmp(a + 3, q + 3, 65535 - 3) == 0);
	free(a);
	free(q);
}

void
suite_transport(void)
{
	CU_pSuite s = test_add_suite("transport");

	test_add(s, "server_from_string", test_server_from_string);
	test_add(s, "answer_matches", test_answer_matches);
	test_add(s, "answer_matches_compressed",
	    test_answer_matches_compressed);
	test_add(s, "answer_matches_update", test_answer_matches_update);
	test_add(s, "random_id", test_random_id);
	test_add(s, "udp_answer", test_udp_answer);
	test_add(s, "udp_ipv6", test_udp_ipv6);
	test_add(s, "udp_wrong_id_ignored", test_udp_wrong_id_ignored);
	test_add(s, "udp_wrong_question_ignored",
	    test_udp_wrong_question_ignored);
	test_add(s, "udp_other_source_ignored", test_udp_other_source_ignored);
	test_add(s, "udp_retry_answered", test_udp_retry_answered);
	test_add(s, "udp_no_answer", test_udp_no_answer);
	test_add(s, "refused_then_next", test_refused_then_next);
	test_add(s, "all_fail_message", test_all_fail_message);
	test_add(s, "silent_server_shares_deadline",
	    test_silent_server_shares_deadline);
	test_add(s, "deadline_before_try_timeout",
	    test_deadline_before_try_timeout);
	test_add(s, "bad_arguments", test_bad_arguments);
	test_add(s, "truncated_retried_over_tcp",
	    test_truncated_retried_over_tcp);
	test_add(s, "truncated_tcp_refused", test_truncated_tcp_refused);
	test_add(s, "tcp_only", test_tcp_only);
	test_add(s, "tcp_small_writes", test_tcp_small_writes);
	test_add(s, "tcp_closed_early", test_tcp_closed_early);
	test_add(s, "tcp_timeout", test_tcp_timeout);
	test_add(s, "tcp_refused", test_tcp_refused);
	test_add(s, "tcp_large_message", test_tcp_large_message);
}
