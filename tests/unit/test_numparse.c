/*
 * test_numparse.c - parse_u32, dname_normalize, label_check and
 * dname_is_subdomain, table-driven like Knot's test_strtonum.c: every row
 * names an input and the exact outcome (value or reason).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "numparse.h"
#include "suites.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define WHY_EMPTY	"empty value"
#define WHY_NAN		"not a number"
#define WHY_RANGE	"out of range"

static void
test_parse_u32_table(void)
{
	static const struct {
		const char	*in;
		uint32_t	 min, max;
		int		 rc;
		uint32_t	 val;
		const char	*why;
	} t[] = {
		{ "0", 0, UINT32_MAX, 0, 0, NULL },
		{ "1", 0, UINT32_MAX, 0, 1, NULL },
		{ "007", 0, UINT32_MAX, 0, 7, NULL },
		{ "4294967295", 0, UINT32_MAX, 0, UINT32_MAX, NULL },
		{ "4294967296", 0, UINT32_MAX, -1, 0, WHY_RANGE },
		{ "18446744073709551615", 0, UINT32_MAX, -1, 0, WHY_RANGE },
		{ "18446744073709551616", 0, UINT32_MAX, -1, 0, WHY_RANGE },
		{ "99999999999999999999999999", 0, UINT32_MAX, -1, 0,
		    WHY_RANGE },
		/* bounds, both sides */
		{ "1", 1, 65535, 0, 1, NULL },
		{ "0", 1, 65535, -1, 0, WHY_RANGE },
		{ "65535", 1, 65535, 0, 65535, NULL },
		{ "65536", 1, 65535, -1, 0, WHY_RANGE },
		{ "10", 10, 10, 0, 10, NULL },
		{ "9", 10, 10, -1, 0, WHY_RANGE },
		{ "11", 10, 10, -1, 0, WHY_RANGE },
		/* not numbers */
		{ "", 0, UINT32_MAX, -1, 0, WHY_EMPTY },
		{ " 1", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "\t1", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "1 ", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "-1", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "-0", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "+1", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "1x", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "x1", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "0x10", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "1.5", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "1e3", 0, UINT32_MAX, -1, 0, WHY_NAN },
		{ "12 34", 0, UINT32_MAX, -1, 0, WHY_NAN },
	};
	size_t i;

	for (i = 0; i < NELEMS(t); i++) {
		uint32_t out = 0xdeadbeef;
		const char *why = NULL;
		int rc = parse_u32(t[i].in, t[i].min, t[i].max, &out, &why);

		if (rc != t[i].rc)
			fprintf(stderr, "\nparse_u32 row %zu '%s': rc %d\n", i,
			    t[i].in, rc);
		CU_ASSERT_EQUAL(rc, t[i].rc);
		if (t[i].rc == 0) {
			CU_ASSERT_EQUAL(out, t[i].val);
		} else {
			/* a failed parse leaves the output alone */
			CU_ASSERT_EQUAL(out, 0xdeadbeef);
			CU_ASSERT_PTR_NOT_NULL_FATAL(why);
			CU_ASSERT_STRING_EQUAL(why, t[i].why);
		}
	}
}

static void
test_parse_u32_null(void)
{
	uint32_t out = 5;
	const char *why = NULL;

	CU_ASSERT_EQUAL(parse_u32(NULL, 0, 10, &out, &why), -1);
	CU_ASSERT_EQUAL(out, 5);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, WHY_EMPTY);
}

/* n copies of c */
static char *
rep(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

#define WHY_EMPTYNAME	"empty name"
#define WHY_EMPTYLABEL	"empty label"
#define WHY_TOOLONG	"name too long"
#define WHY_BADCHAR	"invalid character in name"
#define WHY_LONGLABEL	"label longer than 63 characters"

static void
test_dname_normalize_table(void)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: must fail */
		const char	*why;
	} t[] = {
		{ "srv.example.test", "srv.example.test.", NULL },
		{ "srv.example.test.", "srv.example.test.", NULL },
		{ "Srv.Example.TEST", "srv.example.test.", NULL },
		{ "SRV.EXAMPLE.TEST.", "srv.example.test.", NULL },
		{ "a", "a.", NULL },
		{ "A.", "a.", NULL },
		{ "_rollcall.x-y.test", "_rollcall.x-y.test.", NULL },
		{ "h1._rollcall.p0", "h1._rollcall.p0.", NULL },
		{ "1.2.3.4", "1.2.3.4.", NULL },
		{ "", NULL, WHY_EMPTYNAME },
		{ ".", NULL, WHY_EMPTYNAME },	/* the root is refused */
		{ "..", NULL, WHY_EMPTYLABEL },
		{ "a..b", NULL, WHY_EMPTYLABEL },
		{ "a..b.", NULL, WHY_EMPTYLABEL },
		{ ".a", NULL, WHY_EMPTYLABEL },
		{ "a..", NULL, WHY_EMPTYLABEL },
		{ "a b", NULL, WHY_BADCHAR },
		{ " a", NULL, WHY_BADCHAR },
		{ "a.b ", NULL, WHY_BADCHAR },
		{ "a/b", NULL, WHY_BADCHAR },
		{ "a*.test", NULL, WHY_BADCHAR },
		{ "*.test", NULL, WHY_BADCHAR },
		{ "a\\.b", NULL, WHY_BADCHAR },
		{ "a\\032b", NULL, WHY_BADCHAR },
		{ "a@b", NULL, WHY_BADCHAR },
		{ "caf\xc3\xa9.test", NULL, WHY_BADCHAR },
		{ "a:b", NULL, WHY_BADCHAR },
	};
	char out[300];
	size_t i;

	for (i = 0; i < NELEMS(t); i++) {
		const char *why = NULL;
		int rc = dname_normalize(t[i].in, out, sizeof(out), &why);

		if ((rc == 0) != (t[i].out != NULL))
			fprintf(stderr, "\ndname_normalize row %zu '%s': rc %d"
			    " (%s)\n", i, t[i].in, rc, why ? why : "");
		if (t[i].out != NULL) {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_STRING_EQUAL(out, t[i].out);
		} else {
			CU_ASSERT_EQUAL(rc, -1);
			CU_ASSERT_PTR_NOT_NULL_FATAL(why);
			CU_ASSERT_STRING_EQUAL(why, t[i].why);
		}
	}
}

/* Label and total length limits (RFC 1035 2.3.4): 63 per label, and 253
 * characters without the final dot (255 octets on the wire). */
static void
test_dname_normalize_lengths(void)
{
	char l63[64], l64[65], l61[62], l62[63], in[400], out[300];
	const char *why;

	rep(l63, 'a', 63);
	rep(l64, 'b', 64);
	rep(l61, 'c', 61);
	rep(l62, 'd', 62);

	/* 63-character label: fine; 64: refused */
	snprintf(in, sizeof(in), "%s.test", l63);
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), 0);
	CU_ASSERT_EQUAL(strlen(out), 63 + 6);
	snprintf(in, sizeof(in), "%s.test", l64);
	why = NULL;
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, WHY_LONGLABEL);
	/* a 64-character last label, and one with a trailing dot */
	snprintf(in, sizeof(in), "test.%s", l64);
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), -1);
	CU_ASSERT_STRING_EQUAL(why, WHY_LONGLABEL);
	snprintf(in, sizeof(in), "%s.", l64);
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), -1);
	CU_ASSERT_STRING_EQUAL(why, WHY_LONGLABEL);

	/* 253 characters: the longest name */
	snprintf(in, sizeof(in), "%s.%s.%s.%s", l63, l63, l63, l61);
	CU_ASSERT_EQUAL_FATAL(strlen(in), 253);
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), 0);
	CU_ASSERT_EQUAL(strlen(out), 254);
	CU_ASSERT_EQUAL(out[253], '.');
	CU_ASSERT_EQUAL(strncmp(out, in, 253), 0);
	/* the same with its trailing dot (254 characters) */
	strcat(in, ".");
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), 0);
	CU_ASSERT_STRING_EQUAL(out, in);

	/* 254 characters without a trailing dot: too long */
	snprintf(in, sizeof(in), "%s.%s.%s.%s", l63, l63, l63, l62);
	CU_ASSERT_EQUAL_FATAL(strlen(in), 254);
	why = NULL;
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, WHY_TOOLONG);
	strcat(in, ".");
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), -1);
	CU_ASSERT_STRING_EQUAL(why, WHY_TOOLONG);
}

/* The output buffer must hold the name, its dot and the NUL. */
static void
test_dname_normalize_outlen(void)
{
	char out[8];
	const char *why = NULL;

	CU_ASSERT_EQUAL(dname_normalize("ABC", out, 5, &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "abc.");
	CU_ASSERT_EQUAL(dname_normalize("abc.", out, 5, &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "abc.");
	memset(out, 'Z', sizeof(out));
	CU_ASSERT_EQUAL(dname_normalize("abc", out, 4, &why), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, WHY_TOOLONG);
	/* nothing written past the given length */
	CU_ASSERT_EQUAL(out[4], 'Z');
}

/*
 * A failed normalisation must not leave part of the name in out: the
 * config module compares pool names after errors, and a half-written
 * "srv" from "srv!a" and "srv!b" made two different bad names look like
 * one pool listed twice.
 */
static void
test_dname_normalize_failure_leaves_empty(void)
{
	static const char *bad[] = {
		"srv!a", "Srv.Example..test", "ok.label.\x01", "x.y z",
	};
	char out[64], l64[65], in[100];
	const char *why;
	size_t i;

	for (i = 0; i < NELEMS(bad); i++) {
		memset(out, 'Z', sizeof(out));
		CU_ASSERT_EQUAL(dname_normalize(bad[i], out, sizeof(out), &why),
		    -1);
		CU_ASSERT_STRING_EQUAL(out, "");
	}
	snprintf(in, sizeof(in), "abc.%s", rep(l64, 'x', 64));
	memset(out, 'Z', sizeof(out));
	CU_ASSERT_EQUAL(dname_normalize(in, out, sizeof(out), &why), -1);
	CU_ASSERT_STRING_EQUAL(out, "");
}

static void
test_dname_normalize_input_untouched(void)
{
	const char in[] = "Srv.Example.TEST";
	char copy[64], out[64];
	const char *why;

	memcpy(copy, in, sizeof(in));
	CU_ASSERT_EQUAL(dname_normalize(copy, out, sizeof(out), &why), 0);
	CU_ASSERT_STRING_EQUAL(copy, in);
	/* normalising a normalised name changes nothing */
	memcpy(copy, out, strlen(out) + 1);
	CU_ASSERT_EQUAL(dname_normalize(copy, out, sizeof(out), &why), 0);
	CU_ASSERT_STRING_EQUAL(out, copy);
}

#define WHY_LLEN	"must be 1 to 63 characters"
#define WHY_LCHAR	"may hold only letters, digits, '-' and '_' " \
			"(a single DNS label, no dots)"
#define WHY_LDASH	"must not start or end with '-'"

static void
test_label_check_table(void)
{
	char l63[64], l64[65];
	const struct {
		const char	*in;
		const char	*why;	/* NULL: accepted */
	} t[] = {
		{ "host1", NULL },
		{ "a", NULL },
		{ "1", NULL },
		{ "Web-01", NULL },
		{ "a_b", NULL },
		{ "_x", NULL },
		{ "x_", NULL },
		{ "a-b-c", NULL },
		{ rep(l63, 'h', 63), NULL },
		{ "", WHY_LLEN },
		{ rep(l64, 'h', 64), WHY_LLEN },
		{ "a.b", WHY_LCHAR },
		{ "host.", WHY_LCHAR },
		{ ".", WHY_LCHAR },
		{ "a b", WHY_LCHAR },
		{ "a/b", WHY_LCHAR },
		{ "h\xc3\xb6st", WHY_LCHAR },
		{ "-x", WHY_LDASH },
		{ "x-", WHY_LDASH },
		{ "-", WHY_LDASH },
	};
	size_t i;

	for (i = 0; i < NELEMS(t); i++) {
		const char *why = NULL;
		int rc = label_check(t[i].in, &why);

		if ((rc == 0) != (t[i].why == NULL))
			fprintf(stderr, "\nlabel_check row %zu '%s': rc %d\n",
			    i, t[i].in, rc);
		if (t[i].why == NULL) {
			CU_ASSERT_EQUAL(rc, 0);
		} else {
			CU_ASSERT_EQUAL(rc, -1);
			CU_ASSERT_PTR_NOT_NULL_FATAL(why);
			CU_ASSERT_STRING_EQUAL(why, t[i].why);
		}
	}
}

static void
test_dname_is_subdomain_table(void)
{
	static const struct {
		const char	*name, *zone;
		int		 sub;
	} t[] = {
		{ "example.test.", "example.test.", 1 },
		{ "srv.example.test.", "example.test.", 1 },
		{ "h1._rollcall.srv.example.test.", "example.test.", 1 },
		{ "h1._rollcall.srv.example.test.", "srv.example.test.", 1 },
		{ "xexample.test.", "example.test.", 0 },
		{ "a-example.test.", "example.test.", 0 },
		{ "a.xexample.test.", "example.test.", 0 },
		{ "test.", "example.test.", 0 },
		{ "example.test.", "srv.example.test.", 0 },
		{ "example.org.", "example.test.", 0 },
		{ "example.test.org.", "example.test.", 0 },
		{ "example.testx.", "example.test.", 0 },
	};
	size_t i;

	for (i = 0; i < NELEMS(t); i++) {
		int r = dname_is_subdomain(t[i].name, t[i].zone);

		if (r != t[i].sub)
			fprintf(stderr, "\ndname_is_subdomain row %zu %s in %s:"
			    " %d\n", i, t[i].name, t[i].zone, r);
		CU_ASSERT_EQUAL(r, t[i].sub);
	}
}

void
suite_numparse(void)
{
	CU_pSuite s = test_add_suite("numparse");

	test_add(s, "parse_u32 table", test_parse_u32_table);
	test_add(s, "parse_u32 NULL", test_parse_u32_null);
	test_add(s, "dname_normalize table", test_dname_normalize_table);
	test_add(s, "dname_normalize label and name lengths",
	    test_dname_normalize_lengths);
	test_add(s, "dname_normalize output buffer size",
	    test_dname_normalize_outlen);
	test_add(s, "dname_normalize failure leaves output empty",
	    test_dname_normalize_failure_leaves_empty);
	test_add(s, "dname_normalize keeps its input",
	    test_dname_normalize_input_untouched);
	test_add(s, "label_check table", test_label_check_table);
	test_add(s, "dname_is_subdomain table", test_dname_is_subdomain_table);
}
