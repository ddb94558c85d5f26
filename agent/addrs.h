/*
 * addrs.h - the host's addresses for a pool configured as "auto": the
 * source address the kernel picks toward the server, one per family.
 */
#ifndef RC_ADDRS_H
#define RC_ADDRS_H

#include <stddef.h>

#include "client.h"
#include "regrecord.h"

/* For each family among c's servers, the local address of a UDP socket
 * connected to the first server of that family (nothing is sent).
 * Returns 0 with *n >= 1, or -1 with err. */
int	addrs_auto(const struct dns_client *c, struct reg_addr *out, size_t *n,
	    struct error *err);

#endif
