/*
 * transport.h - send one DNS message and wait for its answer.
 *
 * UDP with retries and exponential, jittered backoff, falling back to TCP
 * when the answer is truncated; TCP only on request (nsupdate -v).  One
 * total deadline covers every try and every server, measured on
 * CLOCK_MONOTONIC.  Servers are tried in order; a server that does not
 * answer (timeout, ICMP unreachable, connection refused) passes the turn to
 * the next one.  Answers from another address, with another ID or another
 * question are ignored.  The transport knows nothing about TSIG: the caller
 * signs the request and verifies the answer.
 */
#ifndef RC_TRANSPORT_H
#define RC_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "error.h"

struct server {
	struct sockaddr_storage	addr;
	socklen_t		addrlen;
	char			label[80];	/* "127.0.0.1#5300" for messages */
};

struct xfer_opts {
	bool		tcp_only;	/* -v */
	unsigned	timeout_ms;	/* -t: total deadline for the exchange */
	unsigned	try_ms;		/* -u: first per-try timeout (UDP) */
	unsigned	retries;	/* -r: UDP retries per server */
};

/* Fill *s from a numeric IPv4/IPv6 address and port.  -1 on a bad address. */
int	server_from_string(const char *addr, uint16_t port, struct server *s,
	    struct error *err);

/*
 * Send req (req_len bytes, already signed) to srv[0..nsrv) in order and
 * return the first acceptable answer in *ans (malloc'd, caller frees) with
 * its length and the index of the server that gave it.  Returns -1 with
 * ERR_NET when no server answered before the deadline (the message names
 * each server and why), ERR_SYS on local failures.  Each server's turn
 * ends at an equal share of the time left when it starts, so a silent
 * server cannot use up the time of those after it; a server that answered
 * with TC set gets its TCP retry even past its share, up to the deadline.
 */
int	xfer_exchange(const struct xfer_opts *o, const struct server *srv,
	    size_t nsrv, const uint8_t *req, size_t req_len, uint8_t **ans,
	    size_t *ans_len, size_t *which, struct error *err);

/*
 * True when ans may be taken as the answer to req: a full header, QR set,
 * the same ID, and the same question section (the zone section of an
 * UPDATE, RFC 2136 2.3, has the same layout): same QDCOUNT and, for each
 * entry, the same name (ASCII case-insensitive, after following any
 * compression pointer) with the same type and class.  Never reads outside
 * either buffer.  In a zone transfer only the first answer carries the
 * question (RFC 5936 2.2.1): match later messages by ID alone.
 */
bool	xfer_answer_matches(const uint8_t *req, size_t req_len,
	    const uint8_t *ans, size_t ans_len);

/*
 * TCP stream, one length-prefixed message at a time (RFC 1035 4.2.2), for
 * zone transfers and the TCP path of xfer_exchange.  Every call gives up at
 * deadline_ms (mono_ms() time).  On failure the message is a reason without
 * the server's name ("TCP read: timed out"); callers prefix it.  ERR_NET for
 * network failures, ERR_PROTO for a zero-length message, ERR_SYS for local
 * ones.  o is there for per-connection options to come; it may be NULL.
 */

/* Connect to s.  On success *fd is a non-blocking socket the caller closes;
 * on failure *fd is -1 and nothing is left open. */
int	xfer_tcp_open(const struct xfer_opts *o, const struct server *s,
	    int *fd, uint64_t deadline_ms, struct error *err);
/* Write the 2-byte length and msg (1 to 65535 bytes). */
int	xfer_tcp_send(int fd, const uint8_t *msg, size_t len,
	    uint64_t deadline_ms, struct error *err);
/* Read one message into *msg (malloc'd, caller frees; NULL on failure). */
int	xfer_tcp_recv(int fd, uint8_t **msg, size_t *len,
	    uint64_t deadline_ms, struct error *err);

/* A random message ID from getrandom(2): IDs must be unpredictable
 * (RFC 5452 9.2). */
uint16_t	dns_random_id(void);

/* A non-blocking UDP socket bound to addr:port (numeric), for the
 * coordinator's NOTIFY listener.  Returns the fd, or -1 with err. */
int	xfer_udp_listen(const char *addr, uint16_t port, struct error *err);
/* The same over TCP (Knot sends its NOTIFY over TCP): a non-blocking
 * listening socket. */
int	xfer_tcp_listen(const char *addr, uint16_t port, struct error *err);

/* Milliseconds on CLOCK_MONOTONIC. */
uint64_t	mono_ms(void);

#endif
