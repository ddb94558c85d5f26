#include "numparse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
    const char **why)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s == '\0') {
		*why = "empty value";
		return -1;
	}
	/* strtoull accepts leading space and '-': both are wrong here. */
	if (!isdigit((unsigned char)*s)) {
		*why = "not a number";
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0') {
		*why = "not a number";
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		*why = "out of range";
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
label_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

int
label_check(const char *s, const char **why)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 63) {
		*why = "must be 1 to 63 characters";
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!label_char_ok(s[i])) {
			*why = "may hold only letters, digits, '-' and '_' "
			    "(a single DNS label, no dots)";
			return -1;
		}
	}
	if (s[0] == '-' || s[n - 1] == '-') {
		*why = "must not start or end with '-'";
		return -1;
	}
	return 0;
}

/* On failure out is left empty: callers compare names after errors, and a
 * half-written "srv" from "srv!a" and from "srv!b" would look like one
 * name. */
static int
dname_fail(char *out, size_t outlen, const char **why, const char *reason)
{
	if (outlen > 0)
		out[0] = '\0';
	*why = reason;
	return -1;
}

int
dname_normalize(const char *in, char *out, size_t outlen, const char **why)
{
	size_t n = strlen(in), i, lab = 0;

	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0)
		return dname_fail(out, outlen, why, "empty name");
	if (n > 253 || n + 2 > outlen)
		return dname_fail(out, outlen, why, "name too long");
	for (i = 0; i < n; i++) {
		if (in[i] == '.') {
			if (lab == 0)
				return dname_fail(out, outlen, why,
				    "empty label");
			lab = 0;
			out[i] = '.';
			continue;
		}
		if (!label_char_ok(in[i]))
			return dname_fail(out, outlen, why,
			    "invalid character in name");
		if (++lab > 63)
			return dname_fail(out, outlen, why,
			    "label longer than 63 characters");
		out[i] = (char)tolower((unsigned char)in[i]);
	}
	if (lab == 0)
		return dname_fail(out, outlen, why, "empty label");
	out[n] = '.';
	out[n + 1] = '\0';
	return 0;
}

int
dname_is_subdomain(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (n < z)
		return 0;
	if (strcmp(name + n - z, zone) != 0)
		return 0;
	return n == z || name[n - z - 1] == '.';
}
