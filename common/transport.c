/*
 * transport.c - send one DNS message and wait for its answer.
 *
 * All sockets are non-blocking and every wait is a poll() bounded by a
 * deadline on CLOCK_MONOTONIC, so the coordinator's loop never blocks past
 * the time it was given and nothing here sleeps.  ldns is not used: the
 * message module builds and parses; this module only moves bytes and checks
 * that an answer belongs to its request (RFC 5452 3).
 */
#include "transport.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define DNS_HDR_LEN	12	/* RFC 1035 4.1.1 */
#define DNS_MSG_MAX	65535	/* the TCP length field, RFC 1035 4.2.2 */
#define DNS_NAME_MAX	255	/* RFC 1035 2.3.4 */
#define DNS_FLAG_QR	0x80	/* byte 2, RFC 1035 4.1.1 */
#define DNS_FLAG_TC	0x02	/* byte 2, RFC 1035 4.1.1 */

/* Backoff cap (OpenBSD engine.c caps its backoff too): never more than 8x
 * the first try or 10 s, whichever is smaller, but not below the first try. */
#define BACKOFF_FACTOR_MAX	8
#define BACKOFF_MS_MAX		10000

/* How one server's turn ended. */
enum outcome {
	GOT_ANSWER,
	TIMED_OUT,
	SERVER_FAILED,	/* reason in x->why; try the next server */
	LOCAL_ERROR,	/* x->err is set; give up */
};

/* State of one xfer_exchange call. */
struct exchange {
	const struct xfer_opts	*o;
	const uint8_t		*req;
	size_t			 req_len;
	uint64_t		 deadline;	/* total, mono_ms() time */
	uint8_t			*buf;		/* UDP receive buffer */
	uint8_t			*ans;		/* accepted answer, malloc'd */
	size_t			 ans_len;
	unsigned		 ignored;	/* answers that did not match */
	char			 why[256];	/* why this server failed */
	struct error		*err;
};

uint64_t
mono_ms(void)
{
	struct timespec ts;

	/* Cannot fail with a valid clock id and pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
random_bytes(void *buf, size_t len)
{
	ssize_t n;

	/* Up to 256 bytes, getrandom(2) never returns short once the pool is
	 * ready; before that it blocks and may be interrupted. */
	do
		n = getrandom(buf, len, 0);
	while (n == -1 && errno == EINTR);
	/* Without a random source, IDs would be guessable: a broken
	 * invariant on any kernel since 3.17, not a runtime condition. */
	if (n != (ssize_t)len)
		abort();
}

uint16_t
dns_random_id(void)
{
	uint16_t id;

	random_bytes(&id, sizeof(id));
	return id;
}

/* errno as a lower-case reason for a list ("connection refused"). */
static const char *
reason(int errnum, char *buf, size_t size)
{
	snprintf(buf, size, "%s", strerror(errnum));
	buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

/* Running out of descriptors or memory is our problem, not the server's. */
static bool
local_errno(int errnum)
{
	return errnum == EMFILE || errnum == ENFILE || errnum == ENOBUFS ||
	    errnum == ENOMEM;
}

int
server_from_string(const char *addr, uint16_t port, struct server *s,
    struct error *err)
{
	/* The sockaddr is built apart and copied into the storage: writing
	 * the storage through another struct type and reading it back as
	 * sockaddr_storage breaks strict aliasing. */
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct addrinfo hints, *res = NULL;
	/* Room for the longest IPv6 address with a scope: fits the label. */
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE];

	memset(s, 0, sizeof(*s));
	if (port == 0)
		return err_set(err, ERR_CONFIG, "server %s: port 0", addr);
	/* inet_pton, not getaddrinfo, for IPv4: it refuses the legacy forms
	 * ("127.1", "0x7f.1") that inet_aton would take. */
	memset(&sin, 0, sizeof(sin));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		memcpy(&s->addr, &sin, sizeof(sin));
		s->addrlen = sizeof(sin);
	} else {
		/* getaddrinfo for IPv6 because it understands a scope
		 * ("fe80::1%eth0"); AI_NUMERICHOST: never a DNS lookup. */
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_INET6;
		hints.ai_flags = AI_NUMERICHOST;
		hints.ai_socktype = SOCK_DGRAM;
		if (strchr(addr, ':') == NULL ||
		    getaddrinfo(addr, NULL, &hints, &res) != 0 ||
		    res->ai_addrlen != sizeof(sin6)) {
			if (res != NULL)
				freeaddrinfo(res);
			memset(s, 0, sizeof(*s));
			return err_set(err, ERR_CONFIG,
			    "server \"%s\": not a numeric IPv4 or IPv6 address",
			    addr);
		}
		memcpy(&sin6, res->ai_addr, sizeof(sin6));
		freeaddrinfo(res);
		sin6.sin6_port = htons(port);
		memcpy(&s->addr, &sin6, sizeof(sin6));
		s->addrlen = sizeof(sin6);
	}
	/* Print the address back in canonical form, as dig does. */
	if (getnameinfo((struct sockaddr *)&s->addr, s->addrlen, host,
	    sizeof(host), NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(host, sizeof(host), "%.60s", addr);
	snprintf(s->label, sizeof(s->label), "%s#%u", host, (unsigned)port);
	return 0;
}

/*
 * Wait until fd is ready for events or until the mono_ms() time `until`.
 * 1 ready (or in error: the next read or write says which), 0 time is up,
 * -1 poll failed (errno set).
 */
static int
wait_fd(int fd, short events, uint64_t until)
{
	struct pollfd pfd;
	uint64_t now, left;
	int n;

	for (;;) {
		now = mono_ms();
		if (now >= until)
			return 0;
		left = until - now;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n > 0)
			return 1;
		if (n == -1 && errno != EINTR)
			return -1;
		/* Timeout or signal: the loop rechecks the clock, because
		 * poll may return a little early. */
	}
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* ---- Answer matching ------------------------------------------------- */

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/*
 * Copy the name at *off into out (uncompressed wire form, lower-cased) and
 * move *off past it.  False on anything malformed.  A compression pointer
 * (RFC 1035 4.1.4) must point strictly before the previous jump's target,
 * so a loop of pointers cannot make this spin.
 */
static bool
name_read(const uint8_t *msg, size_t len, size_t *off, uint8_t *out,
    size_t *out_len)
{
	size_t pos = *off, limit = *off, n = 0, ptr, i;
	bool jumped = false;
	unsigned c;

	for (;;) {
		if (pos >= len)
			return false;
		c = msg[pos];
		if ((c & 0xc0) == 0xc0) {
			if (pos + 1 >= len)
				return false;
			ptr = (c & 0x3f) << 8 | msg[pos + 1];
			if (ptr >= limit)
				return false;
			if (!jumped)
				*off = pos + 2;
			jumped = true;
			pos = limit = ptr;
			continue;
		}
		/* 0x40 and 0x80 are the obsolete extended label types
		 * (RFC 6891 5). */
		if (c & 0xc0)
			return false;
		if (pos + 1 + c > len || n + 1 + c > DNS_NAME_MAX)
			return false;
		/* Length bytes are below 64, so tolower leaves them alone. */
		for (i = 0; i <= c; i++)
			out[n + i] = (uint8_t)tolower(msg[pos + i]);
		n += 1 + c;
		pos += 1 + c;
		if (c == 0)
			break;
	}
	if (!jumped)
		*off = pos;
	*out_len = n;
	return true;
}

/* Compare the question entries at *roff and *aoff and move past them. */
static bool
question_equal(const uint8_t *req, size_t req_len, size_t *roff,
    const uint8_t *ans, size_t ans_len, size_t *aoff)
{
	uint8_t rname[DNS_NAME_MAX], aname[DNS_NAME_MAX];
	size_t rlen, alen;

	if (!name_read(req, req_len, roff, rname, &rlen) ||
	    !name_read(ans, ans_len, aoff, aname, &alen))
		return false;
	if (rlen != alen || memcmp(rname, aname, rlen) != 0)
		return false;
	/* QTYPE and QCLASS, RFC 1035 4.1.2. */
	if (*roff + 4 > req_len || *aoff + 4 > ans_len ||
	    memcmp(req + *roff, ans + *aoff, 4) != 0)
		return false;
	*roff += 4;
	*aoff += 4;
	return true;
}

bool
xfer_answer_matches(const uint8_t *req, size_t req_len, const uint8_t *ans,
    size_t ans_len)
{
	size_t roff = DNS_HDR_LEN, aoff = DNS_HDR_LEN;
	unsigned i, qdcount;

	if (req_len < DNS_HDR_LEN || ans_len < DNS_HDR_LEN)
		return false;
	if (!(ans[2] & DNS_FLAG_QR) || memcmp(req, ans, 2) != 0)
		return false;
	/* QDCOUNT; for UPDATE it is ZOCOUNT, same layout (RFC 2136 2.3). */
	qdcount = get16(req + 4);
	if (get16(ans + 4) != qdcount)
		return false;
	for (i = 0; i < qdcount; i++)
		if (!question_equal(req, req_len, &roff, ans, ans_len, &aoff))
			return false;
	return true;
}

/* ---- TCP ------------------------------------------------------------- */

int
xfer_tcp_open(const struct xfer_opts *o, const struct server *s, int *fd,
    uint64_t deadline_ms, struct error *err)
{
	char buf[128];
	socklen_t len = sizeof(int);
	int sfd, soerr = 0, rc;

	(void)o;	/* no per-connection options yet */
	*fd = -1;
	sfd = socket(s->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (sfd == -1)
		return err_set(err, local_errno(errno) ? ERR_SYS : ERR_NET,
		    "TCP socket: %s", reason(errno, buf, sizeof(buf)));
	/* A non-blocking connect that is interrupted goes on in the
	 * background like one in progress (connect(2)). */
	if (connect(sfd, (const struct sockaddr *)&s->addr, s->addrlen) == -1) {
		if (errno != EINPROGRESS && errno != EINTR) {
			soerr = errno;
			goto fail;
		}
		rc = wait_fd(sfd, POLLOUT, deadline_ms);
		if (rc == -1) {
			rc = errno;
			close(sfd);
			return err_set(err, ERR_SYS, "poll: %s",
			    reason(rc, buf, sizeof(buf)));
		}
		if (rc == 0) {
			close(sfd);
			return err_set(err, ERR_NET, "TCP connect: timed out");
		}
		if (getsockopt(sfd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
			soerr = errno;
		if (soerr != 0)
			goto fail;
	}
	*fd = sfd;
	return 0;
fail:
	close(sfd);
	return err_set(err, ERR_NET, "TCP connect: %s",
	    reason(soerr, buf, sizeof(buf)));
}

/* Drop n written bytes from the front of an iovec array. */
static void
iov_advance(struct msghdr *mh, size_t n)
{
	while (n > 0 && mh->msg_iovlen > 0) {
		if (n < mh->msg_iov->iov_len) {
			mh->msg_iov->iov_base =
			    (uint8_t *)mh->msg_iov->iov_base + n;
			mh->msg_iov->iov_len -= n;
			return;
		}
		n -= mh->msg_iov->iov_len;
		mh->msg_iov++;
		mh->msg_iovlen--;
	}
}

int
xfer_tcp_send(int fd, const uint8_t *msg, size_t len, uint64_t deadline_ms,
    struct error *err)
{
	uint8_t prefix[2];
	struct iovec iov[2];
	struct msghdr mh;
	char buf[128];
	ssize_t n;
	int rc;

	if (len == 0 || len > DNS_MSG_MAX)
		return err_set(err, ERR_SYS, "TCP: cannot send a %zu-byte "
		    "message", len);
	/* RFC 1035 4.2.2; one sendmsg for prefix and message so that they
	 * usually leave in one segment (RFC 7766 8). */
	prefix[0] = (uint8_t)(len >> 8);
	prefix[1] = (uint8_t)len;
	iov[0].iov_base = prefix;
	iov[0].iov_len = sizeof(prefix);
	iov[1].iov_base = (void *)msg;
	iov[1].iov_len = len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	while (mh.msg_iovlen > 0) {
		/* MSG_NOSIGNAL: a peer that closed must not kill us with
		 * SIGPIPE. */
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
		if (n >= 0) {
			iov_advance(&mh, (size_t)n);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return err_set(err, ERR_NET, "TCP write: %s",
			    reason(errno, buf, sizeof(buf)));
		rc = wait_fd(fd, POLLOUT, deadline_ms);
		if (rc == -1)
			return err_set(err, ERR_SYS, "poll: %s",
			    reason(errno, buf, sizeof(buf)));
		if (rc == 0)
			return err_set(err, ERR_NET, "TCP write: timed out");
	}
	return 0;
}

/* Read exactly len bytes.  what names them for the messages. */
static int
read_full(int fd, uint8_t *p, size_t len, uint64_t deadline_ms,
    const char *what, struct error *err)
{
	char buf[128];
	size_t got = 0;
	ssize_t n;
	int rc;

	while (got < len) {
		n = recv(fd, p + got, len - got, 0);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0)
			return err_set(err, ERR_NET, "TCP: connection closed "
			    "by server after %zu of %zu bytes of the %s", got,
			    len, what);
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return err_set(err, ERR_NET, "TCP read: %s",
			    reason(errno, buf, sizeof(buf)));
		rc = wait_fd(fd, POLLIN, deadline_ms);
		if (rc == -1)
			return err_set(err, ERR_SYS, "poll: %s",
			    reason(errno, buf, sizeof(buf)));
		if (rc == 0)
			return err_set(err, ERR_NET, "TCP read: timed out");
	}
	return 0;
}

int
xfer_tcp_recv(int fd, uint8_t **msg, size_t *len, uint64_t deadline_ms,
    struct error *err)
{
	uint8_t prefix[2], *p;
	size_t n;

	*msg = NULL;
	*len = 0;
	if (read_full(fd, prefix, sizeof(prefix), deadline_ms, "length",
	    err) == -1)
		return -1;
	n = get16(prefix);
	if (n == 0)
		return err_set(err, ERR_PROTO, "TCP: zero-length message");
	if ((p = malloc(n)) == NULL)
		return err_set(err, ERR_SYS, "out of memory");
	if (read_full(fd, p, n, deadline_ms, "message", err) == -1) {
		free(p);
		return -1;
	}
	*msg = p;
	*len = n;
	return 0;
}

/* Send the request over a fresh TCP connection and read until a matching
 * answer comes or the connection fails. */
static enum outcome
tcp_try_server(struct exchange *x, const struct server *s, uint64_t until)
{
	struct error e;
	enum outcome r = SERVER_FAILED;
	uint8_t *msg;
	size_t len;
	int fd = -1;

	memset(&e, 0, sizeof(e));
	if (xfer_tcp_open(x->o, s, &fd, until, &e) == -1)
		goto out;
	if (xfer_tcp_send(fd, x->req, x->req_len, until, &e) == -1)
		goto out;
	for (;;) {
		if (xfer_tcp_recv(fd, &msg, &len, until, &e) == -1)
			break;
		if (xfer_answer_matches(x->req, x->req_len, msg, len)) {
			x->ans = msg;
			x->ans_len = len;
			r = GOT_ANSWER;
			break;
		}
		/* Same rule as UDP: ignore what is not ours, keep reading. */
		free(msg);
		x->ignored++;
	}
out:
	if (fd != -1)
		close(fd);
	if (r == GOT_ANSWER)
		return r;
	if (e.kind == ERR_SYS) {
		err_set(x->err, ERR_SYS, "%s", e.msg);
		return LOCAL_ERROR;
	}
	snprintf(x->why, sizeof(x->why), "%.200s", e.msg);
	return SERVER_FAILED;
}

/* ---- UDP ------------------------------------------------------------- */

/* Interval before the next try: double the last one, up to the cap. */
static uint64_t
next_interval(const struct xfer_opts *o, uint64_t interval)
{
	uint64_t cap = (uint64_t)o->try_ms * BACKOFF_FACTOR_MAX;

	if (cap > BACKOFF_MS_MAX)
		cap = BACKOFF_MS_MAX;
	if (cap < o->try_ms)
		cap = o->try_ms;
	interval *= 2;
	return interval > cap ? cap : interval;
}

/* A random 90-100% of interval, so that clients that lost the same
 * answer do not retry in step (NSD does the same with its timers). */
static uint64_t
jitter(uint64_t interval)
{
	uint32_t r;

	random_bytes(&r, sizeof(r));
	return interval - r % (interval / 10 + 1);
}

/* Whether from is the server's own address and port. */
static bool
same_peer(const struct sockaddr_storage *from, socklen_t fromlen,
    const struct server *s)
{
	const struct sockaddr_in *a4, *b4;
	const struct sockaddr_in6 *a6, *b6;

	if (fromlen != s->addrlen || from->ss_family != s->addr.ss_family)
		return false;
	if (from->ss_family == AF_INET) {
		a4 = (const struct sockaddr_in *)from;
		b4 = (const struct sockaddr_in *)&s->addr;
		return a4->sin_port == b4->sin_port &&
		    a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	}
	a6 = (const struct sockaddr_in6 *)from;
	b6 = (const struct sockaddr_in6 *)&s->addr;
	return a6->sin6_port == b6->sin6_port &&
	    memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr)) == 0;
}

/* Read datagrams until one is an answer to our request, or time is up. */
static enum outcome
udp_wait_answer(struct exchange *x, int fd, const struct server *s,
    uint64_t until)
{
	struct sockaddr_storage from;
	socklen_t fromlen;
	char buf[128];
	ssize_t n;
	int rc;

	for (;;) {
		rc = wait_fd(fd, POLLIN, until);
		if (rc == 0)
			return TIMED_OUT;
		if (rc == -1) {
			err_set(x->err, ERR_SYS, "poll: %s",
			    reason(errno, buf, sizeof(buf)));
			return LOCAL_ERROR;
		}
		fromlen = sizeof(from);
		n = recvfrom(fd, x->buf, DNS_MSG_MAX, 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				continue;
			/* ICMP unreachable comes back here on a connected
			 * socket: ECONNREFUSED, EHOSTUNREACH, ... */
			snprintf(x->why, sizeof(x->why), "%s",
			    reason(errno, buf, sizeof(buf)));
			return SERVER_FAILED;
		}
		/* The connected socket already filters by peer; checking
		 * again costs nothing and does not depend on the kernel. */
		if (!same_peer(&from, fromlen, s) ||
		    !xfer_answer_matches(x->req, x->req_len, x->buf,
		    (size_t)n)) {
			x->ignored++;
			continue;
		}
		if ((x->ans = malloc((size_t)n)) == NULL) {
			err_set(x->err, ERR_SYS, "out of memory");
			return LOCAL_ERROR;
		}
		memcpy(x->ans, x->buf, (size_t)n);
		x->ans_len = (size_t)n;
		return GOT_ANSWER;
	}
}

/* A UDP socket connected to s, so that the kernel drops datagrams from
 * anyone else and reports ICMP errors to us.  -1 with x->why or x->err. */
static int
udp_open(struct exchange *x, const struct server *s, enum outcome *r)
{
	char buf[128];
	int fd, errnum;

	fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		errnum = errno;
		if (local_errno(errnum)) {
			err_set(x->err, ERR_SYS, "UDP socket: %s",
			    reason(errnum, buf, sizeof(buf)));
			*r = LOCAL_ERROR;
		} else {
			snprintf(x->why, sizeof(x->why), "%s",
			    reason(errnum, buf, sizeof(buf)));
			*r = SERVER_FAILED;
		}
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)&s->addr, s->addrlen) == -1) {
		snprintf(x->why, sizeof(x->why), "%s",
		    reason(errno, buf, sizeof(buf)));
		close(fd);
		*r = SERVER_FAILED;
		return -1;
	}
	return fd;
}

/*
 * Send the request up to 1 + retries times, backing off between tries, and
 * accept an answer to any copy (they are the same bytes, same ID).  Stop at
 * `until`, even between tries.
 */
static enum outcome
udp_try_server(struct exchange *x, const struct server *s, uint64_t until)
{
	char buf[128];
	enum outcome r = TIMED_OUT;
	uint64_t now, interval, try_end;
	unsigned tries = 0;
	int fd;

	if ((fd = udp_open(x, s, &r)) == -1)
		return r;
	interval = x->o->try_ms > 0 ? x->o->try_ms : 1;
	while (tries <= x->o->retries && (now = mono_ms()) < until) {
		if (send(fd, x->req, x->req_len, 0) == -1 &&
		    errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != ENOBUFS && errno != EINTR) {
			/* Often an ICMP error left over from the try
			 * before.  A full send queue, above, is like a
			 * lost datagram: the next try covers it. */
			snprintf(x->why, sizeof(x->why), "%s",
			    reason(errno, buf, sizeof(buf)));
			r = SERVER_FAILED;
			break;
		}
		/* The first try waits exactly try_ms (nsupdate -u). */
		try_end = now + (tries == 0 ? interval : jitter(interval));
		tries++;
		r = udp_wait_answer(x, fd, s, min_u64(try_end, until));
		if (r != TIMED_OUT)
			break;
		interval = next_interval(x->o, interval);
	}
	close(fd);
	if (r == TIMED_OUT) {
		/* No try at all when the server's share was under 1 ms. */
		if (tries == 0)
			snprintf(x->why, sizeof(x->why), "not tried");
		else
			snprintf(x->why, sizeof(x->why), "timed out after %u "
			    "%s", tries, tries == 1 ? "try" : "tries");
		r = SERVER_FAILED;
	}
	return r;
}

/* ---- The exchange ---------------------------------------------------- */

/* What all the UDP tries of one server would wait, before jitter: the
 * budget of one TCP attempt, so that -v takes as long as UDP would. */
static uint64_t
tcp_budget(const struct xfer_opts *o)
{
	uint64_t interval = o->try_ms > 0 ? o->try_ms : 1, sum = 0;
	unsigned i;

	for (i = 0; i <= o->retries && sum < o->timeout_ms; i++) {
		sum += interval;
		interval = next_interval(o, interval);
	}
	return sum;
}

/*
 * One server's turn, ending at `until` (its share of the total deadline).
 * A truncated UDP answer (TC, RFC 1035 4.1.1) is asked again over TCP
 * (RFC 7766 5): the server is up, so TCP gets its full budget, bounded only
 * by the total deadline.
 */
static enum outcome
try_server(struct exchange *x, const struct server *s, uint64_t until)
{
	char udp_why[sizeof(x->why)];
	enum outcome r;

	if (x->o->tcp_only)
		return tcp_try_server(x, s,
		    min_u64(until, mono_ms() + tcp_budget(x->o)));
	r = udp_try_server(x, s, until);
	if (r != GOT_ANSWER || !(x->ans[2] & DNS_FLAG_TC))
		return r;
	free(x->ans);
	x->ans = NULL;
	x->ans_len = 0;
	r = tcp_try_server(x, s,
	    min_u64(x->deadline, mono_ms() + tcp_budget(x->o)));
	if (r == SERVER_FAILED) {
		snprintf(udp_why, sizeof(udp_why), "%s", x->why);
		snprintf(x->why, sizeof(x->why), "truncated over UDP, %.200s",
		    udp_why);
	}
	return r;
}

static void
append_deadline(char *buf, size_t size, unsigned ms)
{
	if (ms % 1000 == 0)
		str_append(buf, size, "; deadline of %u s reached", ms / 1000);
	else
		str_append(buf, size, "; deadline of %u ms reached", ms);
}

int
xfer_exchange(const struct xfer_opts *o, const struct server *srv,
    size_t nsrv, const uint8_t *req, size_t req_len, uint8_t **ans,
    size_t *ans_len, size_t *which, struct error *err)
{
	struct exchange x;
	char list[sizeof(err->msg)] = "";
	enum outcome r = SERVER_FAILED;
	uint64_t now, until;
	size_t i;

	*ans = NULL;
	*ans_len = 0;
	*which = 0;
	if (req_len < DNS_HDR_LEN || req_len > DNS_MSG_MAX)
		return err_set(err, ERR_SYS, "cannot send a %zu-byte message",
		    req_len);
	if (nsrv == 0)
		return err_set(err, ERR_NET, "no server to send to");
	memset(&x, 0, sizeof(x));
	x.o = o;
	x.req = req;
	x.req_len = req_len;
	x.err = err;
	x.deadline = mono_ms() + o->timeout_ms;
	if (!o->tcp_only && (x.buf = malloc(DNS_MSG_MAX)) == NULL)
		return err_set(err, ERR_SYS, "out of memory");
	for (i = 0; i < nsrv; i++) {
		now = mono_ms();
		if (now >= x.deadline) {
			str_append(list, sizeof(list), "%s%s (not tried)",
			    i > 0 ? ", " : "", srv[i].label);
			continue;
		}
		/* Share what is left among the servers not yet tried, so a
		 * silent first server cannot use up the whole deadline. */
		until = now + (x.deadline - now) / (nsrv - i);
		x.ignored = 0;
		r = try_server(&x, &srv[i], until);
		if (r != SERVER_FAILED)
			break;
		str_append(list, sizeof(list), "%s%s (%s", i > 0 ? ", " : "",
		    srv[i].label, x.why);
		if (x.ignored > 0)
			str_append(list, sizeof(list), ", %u unmatched answer%s "
			    "ignored", x.ignored, x.ignored == 1 ? "" : "s");
		str_append(list, sizeof(list), ")");
	}
	free(x.buf);
	if (r == GOT_ANSWER) {
		*ans = x.ans;
		*ans_len = x.ans_len;
		*which = i;
		return 0;
	}
	if (r == LOCAL_ERROR)
		return -1;
	if (mono_ms() >= x.deadline)
		append_deadline(list, sizeof(list), o->timeout_ms);
	return err_set(err, ERR_NET, "no answer from %s", list);
}

int
xfer_tcp_listen(const char *addr, uint16_t port, struct error *err)
{
	struct server s;
	int fd, on = 1;

	if (server_from_string(addr, port, &s, err) == -1)
		return -1;
	fd = socket(s.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1)
		return err_set(err, ERR_SYS, "socket: %s", strerror(errno));
	/* a restart must not wait for TIME_WAIT connections to go */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&s.addr, s.addrlen) == -1 ||
	    listen(fd, 16) == -1) {
		err_set(err, ERR_CONFIG, "cannot listen on %s (TCP): %s",
		    s.label, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
xfer_udp_listen(const char *addr, uint16_t port, struct error *err)
{
	struct server s;
	int fd;

	if (server_from_string(addr, port, &s, err) == -1)
		return -1;
	fd = socket(s.addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1)
		return err_set(err, ERR_SYS, "socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&s.addr, s.addrlen) == -1) {
		err_set(err, ERR_CONFIG, "cannot listen on %s: %s", s.label,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
