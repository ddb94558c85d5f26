/*
 * fuzz_transport.c - xfer_answer_matches, the check every datagram and TCP
 * message goes through before anything else reads it: a fixed UPDATE as
 * our request, the input as the answer.  Then the input on both sides, so
 * that the request side of the name walk sees hostile bytes too (the
 * function promises never to read outside either buffer).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "dnsmsg.h"
#include "transport.h"

#define REQ_ID	0x5ca1

static uint8_t *req;
static size_t req_len;

static void
make_request(void)
{
	struct update u;
	struct error err;
	size_t cap;

	update_init(&u, "example.test.", 180);
	if (update_add(&u, OP_DEL_RRSET, "host1._rollcall.srv.example.test.",
	    DNS_TYPE_TXT, 0, NULL) == -1 ||
	    update_add(&u, OP_ADD, "host1._rollcall.srv.example.test.",
	    DNS_TYPE_TXT, 60, "\"v=rc1 t=1764075549 lease=180 a=192.0.2.11\"")
	    == -1 ||
	    update_to_wire(&u, REQ_ID, &req, &req_len, &cap, &err) == -1)
		abort();
	update_clean(&u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (req == NULL)
		make_request();
	(void)xfer_answer_matches(req, req_len, data, size);
	/* The input as the request too: only the bytes given may be read. */
	(void)xfer_answer_matches(data, size, data, size);
	(void)xfer_answer_matches(data, size, req, req_len);
	return 0;
}
