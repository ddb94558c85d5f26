/*
 * json.h - a small JSON (RFC 8259) writer for `status --json` of both
 * programs: one document on a FILE, written as it goes.
 *
 * Hand-written rather than a library because the output is small and flat
 * and the only hard part is string escaping, which json_escape does (and
 * is unit-tested): '"', '\\' and control characters are escaped, and bytes
 * that are not valid UTF-8 (a registration's raw text may hold anything)
 * become U+FFFD, so the document always parses.
 *
 * The writer puts the commas: open a container, add members or elements,
 * close it.  Keys are ignored inside arrays (pass NULL).  Nesting deeper
 * than JSON_MAX_DEPTH is a programming error: the extra levels are written
 * without commas and json_end returns -1.
 */
#ifndef RC_JSON_H
#define RC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE	*out;
	int	 depth;
	bool	 first[JSON_MAX_DEPTH];	/* no member written yet */
	char	 close[JSON_MAX_DEPTH];	/* '}' or ']' */
	bool	 bad;			/* nesting error seen */
};

/* Write s as a JSON string, quotes included. */
void	json_escape(FILE *out, const char *s);

void	json_init(struct json *j, FILE *out);
/* Open an object or array: the document itself (key NULL, depth 0), a
 * member of an object (key), or an element of an array (key NULL). */
void	json_obj(struct json *j, const char *key);
void	json_arr(struct json *j, const char *key);
/* Close the innermost container; after the last one, a newline.  Returns
 * -1 when the nesting was wrong somewhere. */
int	json_end(struct json *j);

/* Members (key) or array elements (key NULL).  json_str with NULL writes
 * null. */
void	json_str(struct json *j, const char *key, const char *val);
void	json_int(struct json *j, const char *key, long long val);
void	json_uint(struct json *j, const char *key, unsigned long long val);
void	json_bool(struct json *j, const char *key, bool val);
void	json_null(struct json *j, const char *key);

#endif
