/*
 * numparse.h - bounded parsing of numbers and names from outside input
 * (command line, config).  Never atoi: every bad value gets a reason.
 */
#ifndef RC_NUMPARSE_H
#define RC_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parse a decimal unsigned integer in [min, max].  Rejects empty strings,
 * signs, spaces and trailing garbage.  Returns 0, or -1 with *why set to a
 * static reason ("not a number", "out of range 1..65535"). */
int	parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
	    const char **why);

/*
 * Normalise a domain name to lower case with a trailing dot ("Srv.Example.
 * test" -> "srv.example.test.").  Accepts letters, digits, '-' and '_'
 * labels of 1..63 octets, total <= 253 characters; the root "." is refused.
 * Returns 0 or -1 with *why.
 */
int	dname_normalize(const char *in, char *out, size_t outlen,
	    const char **why);

/* A single DNS label usable as a host id: 1..63 of [A-Za-z0-9_-], not
 * starting or ending with '-'.  Returns 0 or -1 with *why. */
int	label_check(const char *s, const char **why);

/* True if name (normalised) equals zone or lies below it. */
int	dname_is_subdomain(const char *name, const char *zone);

#endif
