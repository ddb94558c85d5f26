/*
 * fuzz_tsig.c - tsig_verify on answers: a fixed AXFR query for
 * example.test. signed with a fixed key at a fixed time, the input as
 * (1) the answer to it, and (2) the second message of a multi-message
 * answer whose first message is a real one that BIND signed
 * (tsig_fixture.h).  In (2) the input is verified with the timers-only MAC
 * chained on the first message (RFC 8945 5.3.1), or taken as an unsigned
 * middle message.
 *
 * Besides the sanitizers: 0 means TSIG_OK, -1 always says why, and what
 * tsig_verify reports as the message length lies inside the message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmsg.h"
#include "key.h"
#include "tsig.h"
#include "tsig_fixture.h"

#define TYPE_AXFR	252	/* RFC 5936 */

static struct tsig_key key;
static struct tsig_ctx after_query;	/* request signed, nothing verified */
static struct tsig_ctx after_first;	/* first message verified */

/* The query the fixture's first message answers: same bytes as the query
 * sent to named when the fixture was captured. */
static void
setup(void)
{
	uint8_t *q = NULL;
	size_t len, cap;
	struct error err;

	if (key_parse_y(FUZZ_TSIG_KEY, &key, &err) == -1 ||
	    query_to_wire(FUZZ_TSIG_ZONE, TYPE_AXFR, 0, FUZZ_TSIG_ID, &q, &len,
	    &cap, &err) == -1)
		goto bad;
	tsig_init(&after_query, &key);
	if (tsig_sign(&after_query, q, &len, cap, FUZZ_TSIG_T0, &err) == -1)
		goto bad;
	free(q);
	after_first = after_query;
	if (tsig_verify(&after_first, fuzz_tsig_first, sizeof(fuzz_tsig_first),
	    FUZZ_TSIG_T0, NULL, &err) == -1)
		goto bad;
	return;
bad:
	fprintf(stderr, "fuzz_tsig: fixture does not verify: %s\n", err.msg);
	abort();
}

static void
verify(const struct tsig_ctx *start, const uint8_t *data, size_t size)
{
	struct tsig_ctx ctx = *start;	/* pending is NULL in both states */
	struct error err = { 0 };
	size_t msg_len = (size_t)-1;
	int rc;

	rc = tsig_verify(&ctx, data, size, FUZZ_TSIG_T0, &msg_len, &err);
	if (rc == 0 && ctx.status != TSIG_OK)
		abort();
	if (rc == -1 && (ctx.status == TSIG_OK || err.msg[0] == '\0'))
		abort();
	if (msg_len != (size_t)-1 && (msg_len > size || (msg_len < size &&
	    msg_len < 12)))
		abort();
	tsig_ctx_clean(&ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (key.secret_len == 0)
		setup();
	verify(&after_query, data, size);
	verify(&after_first, data, size);
	return 0;
}
