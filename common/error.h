/*
 * error.h - errors returned as values.
 *
 * Convention (STYLE.md): a function returns 0 on success and -1 on failure,
 * with the reason written into a caller-supplied struct error.  Only the
 * boundary (main, the daemon loop) logs it, once.  The kind decides the exit
 * code; the message is one line that names the file/line, setting, server or
 * rcode concerned.
 */
#ifndef RC_ERROR_H
#define RC_ERROR_H

#include <stddef.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_USAGE,	/* bad command line */
	ERR_CONFIG,	/* bad config or key file: nothing was sent */
	ERR_NET,	/* no server answered in time / unreachable */
	ERR_AUTH,	/* TSIG failure: unsigned, BADSIG, BADKEY, BADTIME, bad MAC */
	ERR_REFUSED,	/* server answered with an error rcode */
	ERR_CONFLICT,	/* prerequisites kept failing: someone else changed the data */
	ERR_PROTO,	/* malformed or unexpected answer */
	ERR_SYS,	/* local resource failure (memory, sockets) */
};

struct error {
	enum err_kind	kind;
	char		msg[512];
};

/* The documented exit codes of both programs (README). */
enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 1,		/* usage, config or key error: DNS unchanged */
	EXIT_NET = 2,		/* no server answered in time, or SERVFAIL */
	EXIT_AUTH = 3,		/* refused, TSIG or authorisation failure */
	EXIT_STATE = 4,		/* conflict, bad answer, not converged */
};

/* The exit code an error of this kind ends a program with. */
int	err_exit_code(enum err_kind kind);

/* Fill *e (if not NULL) and return -1, so callers can `return err_set(...)`. */
int	err_set(struct error *e, enum err_kind kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Prefix an existing message with more context ("server 127.0.0.1#53: ..."). */
int	err_prefix(struct error *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* printf at the end of the string in buf (size bytes in all), for
 * messages built piece by piece; what does not fit is cut. */
void	str_append(char *buf, size_t size, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
