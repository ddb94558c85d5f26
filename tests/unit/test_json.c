/*
 * test_json.c - the JSON writer (common/json.c): string escaping, table
 * driven (quotes, backslash, control characters, valid UTF-8 of every
 * length, each kind of invalid UTF-8), and the commas and brackets of
 * nested objects and arrays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "suites.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* What json_escape writes for s. */
static char *
escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	json_escape(f, s);
	fclose(f);
	return buf;
}

static void
test_escape(void)
{
	static const struct {
		const char	*in;
		const char	*out;
	} t[] = {
		{ "", "\"\"" },
		{ "srv.example.test.", "\"srv.example.test.\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "a\nb\rc\td", "\"a\\nb\\rc\\td\"" },
		{ "\x01\x1f", "\"\\u0001\\u001f\"" },
		{ "\x7f/", "\"\x7f/\"" },		/* DEL and / need nothing */
		/* valid UTF-8: 2, 3 and 4 octets, as they are */
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },
		{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },
		{ "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"" },	/* U+10FFFF */
		/* invalid: each bad octet becomes U+FFFD, the rest stays */
		{ "\xff", "\"\\ufffd\"" },
		{ "\x80x", "\"\\ufffdx\"" },			/* lone continuation */
		{ "\xc0\x80", "\"\\ufffd\\ufffd\"" },		/* overlong NUL */
		{ "\xc1\xbf", "\"\\ufffd\\ufffd\"" },		/* overlong */
		{ "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },	/* overlong */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },	/* surrogate */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "\xf5\x80", "\"\\ufffd\\ufffd\"" },
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"" },		/* cut at the end */
		{ "\xe2(\xa1", "\"\\ufffd(\\ufffd\"" },
		{ "\xc3\xa9\xff\xc3\xa9", "\"\xc3\xa9\\ufffd\xc3\xa9\"" },
	};
	char *got;

	for (size_t i = 0; i < NELEMS(t); i++) {
		got = escaped(t[i].in);
		if (strcmp(got, t[i].out) != 0)
			fprintf(stderr, "\ncase %zu: got %s, want %s\n", i, got,
			    t[i].out);
		CU_ASSERT_STRING_EQUAL(got, t[i].out);
		free(got);
	}
}

static void
test_document(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	json_init(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "name", "a\"b");
	json_int(&j, "age", -3);
	json_uint(&j, "t", 18446744073709551615ull);
	json_bool(&j, "ok", true);
	json_null(&j, "why");
	json_str(&j, "none", NULL);
	json_arr(&j, "list");
	json_str(&j, NULL, "x");
	json_obj(&j, NULL);
	json_bool(&j, "f", false);
	json_end(&j);
	json_arr(&j, NULL);
	json_end(&j);
	json_int(&j, NULL, 7);
	json_end(&j);
	json_obj(&j, "empty");
	json_end(&j);
	CU_ASSERT_EQUAL(json_end(&j), 0);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "{\"name\":\"a\\\"b\",\"age\":-3,"
	    "\"t\":18446744073709551615,\"ok\":true,\"why\":null,"
	    "\"none\":null,\"list\":[\"x\",{\"f\":false},[],7],"
	    "\"empty\":{}}\n");
	free(buf);
}

/* Closing more than was opened, or nesting too deep, is reported. */
static void
test_nesting_errors(void)
{
	FILE *f = fopen("/dev/null", "w");
	struct json j;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	json_init(&j, f);
	json_arr(&j, NULL);
	CU_ASSERT_EQUAL(json_end(&j), 0);
	CU_ASSERT_EQUAL(json_end(&j), -1);

	json_init(&j, f);
	for (i = 0; i < JSON_MAX_DEPTH + 2; i++)
		json_arr(&j, NULL);
	for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
		json_end(&j);
	CU_ASSERT_EQUAL(json_end(&j), -1);
	fclose(f);
}

void
suite_json(void)
{
	CU_pSuite s = test_add_suite("json");

	test_add(s, "escape", test_escape);
	test_add(s, "document", test_document);
	test_add(s, "nesting errors", test_nesting_errors);
}
