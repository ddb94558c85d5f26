/*
 * fuzz_answer.c - DNS messages from the network: answer_parse (UPDATE and
 * query answers, AXFR messages), msg_to_text (debug output of the same),
 * and notify_parse (NOTIFY requests from anyone who can reach the
 * coordinator's listener).
 *
 * Besides the sanitizers: a parsed answer holds what it says it holds, and
 * the reply notify_parse builds is itself a well-formed message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmsg.h"

static void
check_rrs(const struct rr *rrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rrs[i].rdata == NULL ||
		    memchr(rrs[i].owner, '\0', sizeof(rrs[i].owner)) == NULL)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct answer a, back;
	struct error err = { 0 };
	char zone[256], *text;	/* the coordinator's buffer size */
	uint8_t *reply = NULL;
	size_t replylen = 0;

	if (answer_parse(data, size, &a, &err) == 0) {
		check_rrs(a.an, a.nan);
		check_rrs(a.ns, a.nns);
		answer_clean(&a);
	} else if (err.msg[0] == '\0')
		abort();

	if ((text = msg_to_text(data, size)) != NULL)
		free(text);

	if (notify_parse(data, size, zone, sizeof(zone), &reply,
	    &replylen) == 0) {
		if (reply == NULL || replylen < 12 ||
		    memcmp(reply, data, 2) != 0 ||	/* RFC 1996 4.7: same ID */
		    memchr(zone, '\0', sizeof(zone)) == NULL)
			abort();
		if (answer_parse(reply, replylen, &back, &err) == -1)
			abort();
		answer_clean(&back);
		free(reply);
	}
	return 0;
}
