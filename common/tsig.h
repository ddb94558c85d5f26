/*
 * tsig.h - TSIG (RFC 8945) signing and verification on OpenSSL's HMAC.
 *
 * Works on DNS messages in wire format; ldns is not used for TSIG because
 * ldns 1.8.3 misspells hmac-sha384, lacks hmac-sha224, returns replies whose
 * TSIG failed and never checks time (see DNS-NOTES.md).
 */
#ifndef RC_TSIG_H
#define RC_TSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum tsig_alg {
	TSIG_HMAC_MD5,
	TSIG_HMAC_SHA1,
	TSIG_HMAC_SHA224,
	TSIG_HMAC_SHA256,
	TSIG_HMAC_SHA384,
	TSIG_HMAC_SHA512,
};

#define TSIG_DEFAULT_ALG	TSIG_HMAC_SHA256
#define TSIG_MAX_MAC		64	/* SHA-512 */
#define TSIG_MAX_SECRET		512
#define TSIG_FUDGE		300	/* RFC 8945 5.2.3: recommended fudge */

struct tsig_key {
	char		name[256];	/* presentation, lower case, trailing dot */
	enum tsig_alg	alg;
	unsigned char	secret[TSIG_MAX_SECRET];
	size_t		secret_len;
};

/* "hmac-sha256" etc.; for hmac-md5 the wire name is hmac-md5.sig-alg.reg.int. */
const char	*tsig_alg_name(enum tsig_alg alg);
/* Accepts the short names and the full hmac-md5.sig-alg.reg.int, any case,
 * with or without a trailing dot.  Returns 0 or -1. */
int		 tsig_alg_from_name(const char *s, enum tsig_alg *out);

/* Full MAC length of the algorithm in bytes (16 for hmac-md5 .. 64). */
size_t		 tsig_mac_size(enum tsig_alg alg);

/* Zero the secret (OPENSSL_cleanse), so that it does not outlive its use. */
void		 tsig_key_clean(struct tsig_key *key);

/*
 * One-shot HMAC through the same code path that signs and verifies (for
 * the RFC 2202/4231 test vectors).  mac holds TSIG_MAX_MAC bytes; *mac_len
 * receives the length.  Returns 0, or -1 with ERR_SYS.
 */
int		 tsig_hmac(enum tsig_alg alg, const uint8_t *key, size_t key_len,
		    const uint8_t *data, size_t len, uint8_t mac[TSIG_MAX_MAC],
		    size_t *mac_len, struct error *err);

/* Outcome of the last verification, for callers and tests that need the
 * distinct case beyond the error message. */
enum tsig_status {
	TSIG_OK = 0,
	TSIG_UNSIGNED,		/* answer carries no TSIG RR */
	TSIG_BADSIG,		/* server says: our MAC was wrong (error 16) */
	TSIG_BADKEY,		/* server says: key unknown/not allowed (17) */
	TSIG_BADTIME,		/* server or we: time outside fudge (18) */
	TSIG_BADTRUNC,		/* server says: truncation not allowed (22) */
	TSIG_WRONG_KEY,		/* answer signed with another key name/alg */
	TSIG_BADMAC,		/* answer's MAC does not verify: forged/corrupt */
	TSIG_FORMERR,		/* TSIG RR malformed or misplaced */
};

/*
 * State of one signed exchange.  For a single request/answer: tsig_init,
 * tsig_sign, tsig_verify.  For a multi-message answer (AXFR), call
 * tsig_verify for each message in order: RFC 8945 5.3.1 rules are applied
 * (first message with the request MAC, later ones chained on the previous
 * signed message; up to 99 unsigned messages in between; the last message
 * must be signed -- the caller checks tsig_pending_unsigned() == 0 at end).
 */
struct tsig_ctx {
	const struct tsig_key	*key;		/* borrowed, not owned */
	uint16_t		 fudge;
	unsigned char		 mac[TSIG_MAX_MAC];	/* request MAC, then last
							 * verified answer MAC */
	size_t			 mac_len;
	unsigned		 answers;	/* messages verified so far */
	unsigned		 unsigned_run;	/* unsigned messages since the
						 * last signed one */
	void			*pending;	/* private: HMAC state carried
						 * across unsigned messages */
	enum tsig_status	 status;	/* of the last tsig_verify */
	long long		 skew;		/* BADTIME: server time - ours */
};

void	tsig_init(struct tsig_ctx *ctx, const struct tsig_key *key);
void	tsig_ctx_clean(struct tsig_ctx *ctx);

/*
 * Append a TSIG RR to the message in buf[0..*len) (capacity cap), signed at
 * time `now` (seconds since the epoch), and bump ARCOUNT.  The message ID in
 * the header is used as the TSIG original ID.  Saves the request MAC in ctx.
 * Returns 0, or -1 with err (ERR_SYS: no room).
 */
int	tsig_sign(struct tsig_ctx *ctx, uint8_t *buf, size_t *len, size_t cap,
	    uint64_t now, struct error *err);

/*
 * Verify an answer to the request signed with ctx.  Returns 0 when the
 * answer carries a valid TSIG by our key with time within fudge (or is an
 * allowed unsigned middle message of a multi-message answer), else -1 with
 * ctx->status and a one-line err (kind ERR_AUTH) that names the case:
 * unsigned (with the answer's rcode), BADSIG, BADKEY, BADTIME (with the skew
 * in seconds), MAC mismatch.  The MAC is compared in constant time.
 * A malformed message or misplaced TSIG RR gives TSIG_FORMERR with ERR_PROTO
 * (ERR_AUTH when the TSIG RR is well-formed but its MAC size is not allowed).
 * On a failure the exchange is over: start again with tsig_sign.
 * *msg_len_out (if not NULL) receives the length of the message without the
 * TSIG RR (set once the message could be parsed, also on failure); the
 * header's ARCOUNT in buf still counts the TSIG RR.
 */
int	tsig_verify(struct tsig_ctx *ctx, const uint8_t *buf, size_t len,
	    uint64_t now, size_t *msg_len_out, struct error *err);

/* Number of unsigned messages since the last signed one (AXFR end check). */
unsigned tsig_pending_unsigned(const struct tsig_ctx *ctx);

/*
 * Server side, for tests and tools that play the server.  Before the first
 * answer, ctx->mac/mac_len must hold the request MAC (copy it from the
 * request).  Signs an answer like tsig_sign, prefixed by the request MAC
 * (first answer) or chained on the previous answer with timers only
 * (RFC 8945 5.3.1), including any messages passed to tsig_sign_skip since.
 * tsig_error goes into the Error field: BADSIG and BADKEY give an empty MAC
 * (RFC 8945 5.3.2); BADTIME puts server_time into Other Data and expects
 * time_signed to be the request's time (RFC 8945 5.2.3).
 */
int	tsig_sign_answer(struct tsig_ctx *ctx, uint8_t *buf, size_t *len,
	    size_t cap, uint64_t time_signed, uint16_t tsig_error,
	    uint64_t server_time, struct error *err);

/* Server side: this answer message goes out unsigned; it is covered by the
 * next signed one.  Returns 0, or -1 (first message, or more than 99). */
int	tsig_sign_skip(struct tsig_ctx *ctx, const uint8_t *buf, size_t len,
	    struct error *err);

#endif
