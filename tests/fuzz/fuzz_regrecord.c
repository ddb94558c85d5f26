/*
 * fuzz_regrecord.c - reg_parse on registration records (TXT rdata as
 * answer_parse prints it: any host in the zone can write one).
 *
 * Besides the sanitizers, a round trip: what parses must format, and the
 * formatted text must parse back to the same registration.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "regrecord.h"

static int
reg_same(const struct registration *a, const struct registration *b)
{
	size_t i;

	if (a->heartbeat != b->heartbeat || a->lease != b->lease ||
	    a->naddrs != b->naddrs)
		return 0;
	for (i = 0; i < a->naddrs; i++)
		if (!reg_addr_equal(&a->addrs[i], &b->addrs[i]))
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registration r, back;
	struct error err = { 0 };
	char text[REG_TEXT_MAX], *s = fuzz_string(data, size);

	if (reg_parse(s, &r, &err) == 0) {
		if (r.naddrs > REG_MAX_ADDRS || r.lease == 0 ||
		    r.lease > REG_MAX_LEASE)
			abort();
		/* Any record we accept must be one we can write. */
		if (reg_format(&r, text, sizeof(text)) == -1)
			abort();
		if (reg_parse(text, &back, &err) == -1 || !reg_same(&r, &back))
			abort();
	} else if (err.kind != ERR_PROTO || err.msg[0] == '\0')
		abort();	/* -1 always says why */
	free(s);
	return 0;
}
