#include "regrecord.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "numparse.h"

/* A character-string holds at most 255 octets (RFC 1035 3.3). */
#define TXT_STRING_MAX	255

int
reg_addr_parse(const char *s, struct reg_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -1;
}

void
reg_addr_format(const struct reg_addr *a, char *buf, size_t len)
{
	if (inet_ntop(a->family, a->bytes, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}

int
reg_addr_equal(const struct reg_addr *a, const struct reg_addr *b)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && memcmp(a->bytes, b->bytes, n) == 0;
}

int
reg_has_addr(const struct registration *r, const struct reg_addr *a)
{
	size_t i;

	for (i = 0; i < r->naddrs; i++)
		if (reg_addr_equal(&r->addrs[i], a))
			return 1;
	return 0;
}

/* Append token to the quoted strings in out, opening a new string when the
 * current one would pass 255 octets. */
static int
append_token(char *out, size_t outlen, size_t *used, size_t *strlen_cur,
    const char *tok)
{
	size_t tl = strlen(tok);
	int n;

	if (*strlen_cur > 0 && *strlen_cur + 1 + tl <= TXT_STRING_MAX) {
		/* replace the closing quote by " tok\"" */
		n = snprintf(out + *used - 1, outlen - (*used - 1), " %s\"", tok);
		if (n < 0 || (size_t)n >= outlen - (*used - 1))
			return -1;
		*used += (size_t)n - 1;
		*strlen_cur += 1 + tl;
		return 0;
	}
	n = snprintf(out + *used, outlen - *used, "%s\"%s\"",
	    *used > 0 ? " " : "", tok);
	if (n < 0 || (size_t)n >= outlen - *used)
		return -1;
	*used += (size_t)n;
	*strlen_cur = tl;
	return 0;
}

int
reg_format(const struct registration *r, char *out, size_t outlen)
{
	char tok[64], addr[INET6_ADDRSTRLEN];
	size_t used = 0, cur = 0, i;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (append_token(out, outlen, &used, &cur, "v=" REG_VERSION) == -1)
		return -1;
	snprintf(tok, sizeof(tok), "t=%llu", (unsigned long long)r->heartbeat);
	if (append_token(out, outlen, &used, &cur, tok) == -1)
		return -1;
	snprintf(tok, sizeof(tok), "lease=%u", r->lease);
	if (append_token(out, outlen, &used, &cur, tok) == -1)
		return -1;
	for (i = 0; i < r->naddrs; i++) {
		reg_addr_format(&r->addrs[i], addr, sizeof(addr));
		snprintf(tok, sizeof(tok), "a=%s", addr);
		if (append_token(out, outlen, &used, &cur, tok) == -1)
			return -1;
	}
	return 0;
}

/* Copy txt without the quotes that delimit character-strings; the strings
 * become space-separated.  Escapes never occur in records we write. */
static int
unquote(const char *txt, char *out, size_t outlen, struct error *err)
{
	size_t o = 0;
	int inq = 0;

	for (; *txt != '\0'; txt++) {
		if (*txt == '\\')
			return err_set(err, ERR_PROTO, "escaped character in "
			    "registration record");
		if (*txt == '"') {
			inq = !inq;
			if (!inq && o + 1 < outlen)
				out[o++] = ' ';
			continue;
		}
		if (o + 1 >= outlen)
			return err_set(err, ERR_PROTO, "registration record too "
			    "long");
		out[o++] = *txt;
	}
	if (inq)
		return err_set(err, ERR_PROTO, "unterminated string in "
		    "registration record");
	out[o] = '\0';
	return 0;
}

static int
parse_time_token(const char *s, uint64_t *v)
{
	unsigned long long t = 0;
	size_t n = strlen(s), i;

	/* 12 digits reach the year 33658: plenty, and no overflow below. */
	if (n == 0 || n > 12)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		t = t * 10 + (unsigned)(s[i] - '0');
	}
	*v = t;
	return 0;
}

static int
parse_token(char *tok, struct registration *r, int *seen, struct error *err)
{
	const char *why;
	char *val = strchr(tok, '=');
	struct reg_addr a;

	if (val == NULL || val == tok)
		return err_set(err, ERR_PROTO, "malformed token '%.40s' in "
		    "registration record", tok);
	*val++ = '\0';
	if (strcmp(tok, "v") == 0) {
		if (strcmp(val, REG_VERSION) != 0)
			return err_set(err, ERR_PROTO, "unsupported registration "
			    "format version '%.20s'", val);
		*seen |= 1;
	} else if (strcmp(tok, "t") == 0) {
		if ((*seen & 2) || parse_time_token(val, &r->heartbeat) == -1)
			return err_set(err, ERR_PROTO, "bad or repeated heartbeat "
			    "time 't=%.20s'", val);
		*seen |= 2;
	} else if (strcmp(tok, "lease") == 0) {
		if ((*seen & 4) ||
		    parse_u32(val, 1, REG_MAX_LEASE, &r->lease, &why) == -1)
			return err_set(err, ERR_PROTO, "bad or repeated lease "
			    "'lease=%.20s'", val);
		*seen |= 4;
	} else if (strcmp(tok, "a") == 0) {
		if (reg_addr_parse(val, &a) == -1)
			return err_set(err, ERR_PROTO, "bad address 'a=%.46s'",
			    val);
		if (reg_has_addr(r, &a))
			return err_set(err, ERR_PROTO, "address %.46s listed "
			    "twice", val);
		if (r->naddrs == REG_MAX_ADDRS)
			return err_set(err, ERR_PROTO, "more than %d addresses",
			    REG_MAX_ADDRS);
		r->addrs[r->naddrs++] = a;
	}
	/* other key=value tokens: a later minor version; ignored */
	return 0;
}

int
reg_parse(const char *txt, struct registration *r, struct error *err)
{
	char buf[REG_TEXT_MAX], *tok, *save = NULL;
	int seen = 0, first = 1;

	memset(r, 0, sizeof(*r));
	if (unquote(txt, buf, sizeof(buf), err) == -1)
		return -1;
	for (tok = strtok_r(buf, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		/* The version comes first so that a future format can change
		 * everything after it. */
		if (first && strncmp(tok, "v=", 2) != 0)
			return err_set(err, ERR_PROTO, "registration record does "
			    "not start with v=" REG_VERSION);
		first = 0;
		if (parse_token(tok, r, &seen, err) == -1)
			return -1;
	}
	if (seen != 7)
		return err_set(err, ERR_PROTO, "registration record lacks %s",
		    !(seen & 1) ? "v=" : !(seen & 2) ? "t=" : "lease=");
	return 0;
}
