#include "json.h"

/* Length of the valid UTF-8 sequence at s (RFC 3629 4: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 when there is none. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* above U+10FFFF */
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	/* a NUL ends the string and is never a continuation byte */
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void
json_escape(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', out);
	while (*p != '\0') {
		switch (*p) {
		case '"':	fputs("\\\"", out); p++; continue;
		case '\\':	fputs("\\\\", out); p++; continue;
		case '\n':	fputs("\\n", out); p++; continue;
		case '\r':	fputs("\\r", out); p++; continue;
		case '\t':	fputs("\\t", out); p++; continue;
		}
		if (*p < 0x20) {	/* RFC 8259 7: must be escaped */
			fprintf(out, "\\u%04x", *p++);
			continue;
		}
		if ((n = utf8_len(p)) == 0) {
			fputs("\\ufffd", out);	/* not UTF-8: a replacement */
			p++;
			continue;
		}
		fwrite(p, 1, n, out);
		p += n;
	}
	fputc('"', out);
}

void
json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
	j->bad = false;
}

/* The comma and the key before a value at the current level. */
static void
member(struct json *j, const char *key)
{
	int d = j->depth;

	if (d > 0 && d <= JSON_MAX_DEPTH) {
		if (!j->first[d - 1])
			fputc(',', j->out);
		j->first[d - 1] = false;
	}
	if (key != NULL && d > 0) {
		json_escape(j->out, key);
		fputc(':', j->out);
	}
}

static void
open_container(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->out);
	if (j->depth < JSON_MAX_DEPTH) {
		j->first[j->depth] = true;
		j->close[j->depth] = c == '{' ? '}' : ']';
	} else
		j->bad = true;
	j->depth++;
}

void
json_obj(struct json *j, const char *key)
{
	open_container(j, key, '{');
}

void
json_arr(struct json *j, const char *key)
{
	open_container(j, key, '[');
}

int
json_end(struct json *j)
{
	if (j->depth == 0) {
		j->bad = true;
		return -1;
	}
	j->depth--;
	if (j->depth < JSON_MAX_DEPTH)
		fputc(j->close[j->depth], j->out);
	if (j->depth == 0)
		fputc('\n', j->out);
	return j->bad ? -1 : 0;
}

void
json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	if (val == NULL)
		fputs("null", j->out);
	else
		json_escape(j->out, val);
}

void
json_int(struct json *j, const char *key, long long val)
{
	member(j, key);
	fprintf(j->out, "%lld", val);
}

void
json_uint(struct json *j, const char *key, unsigned long long val)
{
	member(j, key);
	fprintf(j->out, "%llu", val);
}

void
json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->out);
}

void
json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->out);
}
