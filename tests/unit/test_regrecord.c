/*
 * test_regrecord.c - the registration record: exact formatted text, the
 * split into TXT character-strings of at most 255 octets, round trips,
 * canonical addresses, and a table of malformed records with the exact
 * outcome of each.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "regrecord.h"
#include "suites.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define HB		1764075549ULL

static void
addr(struct reg_addr *a, const char *s)
{
	CU_ASSERT_EQUAL_FATAL(reg_addr_parse(s, a), 0);
}

static void
reg_fill(struct registration *r, uint64_t hb, uint32_t lease,
    const char **addrs, size_t n)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->heartbeat = hb;
	r->lease = lease;
	for (i = 0; i < n; i++)
		addr(&r->addrs[r->naddrs++], addrs[i]);
}

static void
assert_reg_equal(const struct registration *a, const struct registration *b)
{
	size_t i;

	CU_ASSERT_EQUAL(a->heartbeat, b->heartbeat);
	CU_ASSERT_EQUAL(a->lease, b->lease);
	CU_ASSERT_EQUAL_FATAL(a->naddrs, b->naddrs);
	for (i = 0; i < a->naddrs; i++)
		CU_ASSERT_TRUE(reg_addr_equal(&a->addrs[i], &b->addrs[i]));
}

/* ---- addresses ------------------------------------------------------ */

static void
test_addr_canonical(void)
{
	static const struct {
		const char	*in, *out;
		int		 family;
	} t[] = {
		{ "192.0.2.1", "192.0.2.1", AF_INET },
		{ "0.0.0.0", "0.0.0.0", AF_INET },
		{ "2001:DB8:0::1", "2001:db8::1", AF_INET6 },
		{ "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1",
		    AF_INET6 },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", AF_INET6 },
		{ "::", "::", AF_INET6 },
		{ "::1", "::1", AF_INET6 },
		{ "::FFFF:192.0.2.1", "::ffff:192.0.2.1", AF_INET6 },
		{ "FE80::A:B", "fe80::a:b", AF_INET6 },
	};
	char buf[INET6_ADDRSTRLEN];
	struct reg_addr a;
	size_t i;

	for (i = 0; i < NELEMS(t); i++) {
		CU_ASSERT_EQUAL_FATAL(reg_addr_parse(t[i].in, &a), 0);
		CU_ASSERT_EQUAL(a.family, t[i].family);
		reg_addr_format(&a, buf, sizeof(buf));
		CU_ASSERT_STRING_EQUAL(buf, t[i].out);
	}
}

static void
test_addr_bad(void)
{
	static const char *bad[] = {
		"", "192.0.2", "192.0.2.256", "192.0.2.1.1", "192.0.2.1 ",
		" 192.0.2.1", "2001:db8::1::2", "2001:db8::g", "host.example",
		"192.0.2.1/24", "[2001:db8::1]", "fe80::1%eth0",
	};
	struct reg_addr a;
	size_t i;

	for (i = 0; i < NELEMS(bad); i++) {
		if (reg_addr_parse(bad[i], &a) != -1)
			fprintf(stderr, "\nreg_addr_parse accepted '%s'\n",
			    bad[i]);
		CU_ASSERT_EQUAL(reg_addr_parse(bad[i], &a), -1);
	}
}

static void
test_addr_equal(void)
{
	struct reg_addr a, b, c, m;
	struct registration r;

	addr(&a, "192.0.2.1");
	addr(&b, "192.0.2.1");
	addr(&c, "192.0.2.2");
	addr(&m, "::ffff:192.0.2.1");
	CU_ASSERT_TRUE(reg_addr_equal(&a, &b));
	CU_ASSERT_FALSE(reg_addr_equal(&a, &c));
	/* an IPv4-mapped IPv6 address is another address (AAAA, not A) */
	CU_ASSERT_FALSE(reg_addr_equal(&a, &m));
	CU_ASSERT_FALSE(reg_addr_equal(&m, &a));
	addr(&b, "2001:DB8::1");
	addr(&c, "2001:db8:0:0::1");
	CU_ASSERT_TRUE(reg_addr_equal(&b, &c));

	memset(&r, 0, sizeof(r));
	CU_ASSERT_FALSE(reg_has_addr(&r, &a));
	r.addrs[r.naddrs++] = c;
	CU_ASSERT_TRUE(reg_has_addr(&r, &b));
	CU_ASSERT_FALSE(reg_has_addr(&r, &a));
	r.addrs[r.naddrs++] = a;
	CU_ASSERT_TRUE(reg_has_addr(&r, &a));
	CU_ASSERT_FALSE(reg_has_addr(&r, &m));
}

/* ---- formatting ----------------------------------------------------- */

static void
test_format_exact(void)
{
	static const char *one[] = { "192.0.2.11" };
	static const char *mix[] = { "192.0.2.11", "2001:DB8:0::11",
	    "192.0.2.12" };
	char out[REG_TEXT_MAX];
	struct registration r;

	reg_fill(&r, HB, 180, NULL, 0);
	CU_ASSERT_EQUAL(reg_format(&r, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "\"v=rc1 t=1764075549 lease=180\"");

	reg_fill(&r, HB, 180, one, 1);
	CU_ASSERT_EQUAL(reg_format(&r, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out,
	    "\"v=rc1 t=1764075549 lease=180 a=192.0.2.11\"");

	/* the order given is kept; IPv6 in canonical form */
	reg_fill(&r, HB, 180, mix, 3);
	CU_ASSERT_EQUAL(reg_format(&r, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "\"v=rc1 t=1764075549 lease=180 "
	    "a=192.0.2.11 a=2001:db8::11 a=192.0.2.12\"");

	reg_fill(&r, 0, 1, NULL, 0);
	CU_ASSERT_EQUAL(reg_format(&r, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "\"v=rc1 t=0 lease=1\"");

	reg_fill(&r, 999999999999ULL, REG_MAX_LEASE, NULL, 0);
	CU_ASSERT_EQUAL(reg_format(&r, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "\"v=rc1 t=999999999999 lease=31536000\"");
}

/*
 * Split out (quoted strings separated by single spaces, no escapes) into
 * its strings.  Returns the number of strings, or -1 if out is not in
 * that shape.
 */
static int
split_strings(const char *out, char strs[][300], size_t max)
{
	const char *p = out, *q;
	size_t n = 0;

	while (*p != '\0') {
		if (n > 0) {
			if (*p != ' ')
				return -1;
			p++;
		}
		if (*p != '"' || n == max)
			return -1;
		q = strchr(p + 1, '"');
		if (q == NULL || (size_t)(q - p - 1) >= 300)
			return -1;
		memcpy(strs[n], p + 1, (size_t)(q - p - 1));
		strs[n][q - p - 1] = '\0';
		if (strchr(strs[n], '\\') != NULL)
			return -1;
		n++;
		p = q + 1;
	}
	return (int)n;
}

/* 32 long IPv6 addresses do not fit one character-string (RFC 1035
 * 3.3: 255 octets): the record is split between tokens, and each string
 * is filled as far as the next token allows. */
static void
test_format_split(void)
{
	char out[REG_TEXT_MAX], strs[16][300], text[64], joined[REG_TEXT_MAX];
	char want[REG_TEXT_MAX];
	struct registration r, back;
	struct error err;
	size_t i, len;
	int n, k;

	memset(&r, 0, sizeof(r));
	r.heartbeat = HB;
	r.lease = 180;
	for (i = 0; i < REG_MAX_ADDRS; i++) {
		snprintf(text, sizeof(text),
		    "2001:db8:aaaa:bbbb:cccc:dddd:eeee:%zx", 0xff00 + i);
		addr(&r.addrs[r.naddrs++], text);
	}
	CU_ASSERT_EQUAL_FATAL(reg_format(&r, out, sizeof(out)), 0);

	/* the tokens, in order, joined by single spaces */
	len = (size_t)snprintf(want, sizeof(want), "v=rc1 t=%llu lease=180",
	    HB);
	for (i = 0; i < r.naddrs; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len,
		    " a=2001:db8:aaaa:bbbb:cccc:dddd:eeee:%zx", 0xff00 + i);

	n = split_strings(out, strs, 16);
	CU_ASSERT_FATAL(n > 1);
	/* 32 tokens of 40 characters and the head: 6 strings */
	CU_ASSERT_EQUAL(n, 6);
	joined[0] = '\0';
	for (k = 0; k < n; k++) {
		len = strlen(strs[k]);
		CU_ASSERT(len >= 1 && len <= 255);
		/* a string neither starts nor ends between tokens */
		CU_ASSERT(strs[k][0] != ' ' && strs[k][len - 1] != ' ');
		CU_ASSERT_PTR_NULL(strstr(strs[k], "  "));
		/* greedy: the next string's first token did not fit */
		if (k + 1 < n) {
			size_t first = strcspn(strs[k + 1], " ");

			CU_ASSERT(len + 1 + first > 255);
		}
		if (k > 0)
			strcat(joined, " ");
		strcat(joined, strs[k]);
	}
	/* splitting cut nothing in two */
	CU_ASSERT_STRING_EQUAL(joined, want);

	CU_ASSERT_EQUAL(reg_parse(out, &back, &err), 0);
	assert_reg_equal(&back, &r);
}

/* The output length limit is exact: room for the text and its NUL. */
static void
test_format_outlen(void)
{
	static const char *mix[] = { "192.0.2.11", "2001:db8::11" };
	char full[REG_TEXT_MAX], small[REG_TEXT_MAX], text[64];
	struct registration r;
	size_t len, i;

	reg_fill(&r, HB, 180, mix, 2);
	CU_ASSERT_EQUAL_FATAL(reg_format(&r, full, sizeof(full)), 0);
	len = strlen(full);
	CU_ASSERT_EQUAL(reg_format(&r, small, len + 1), 0);
	CU_ASSERT_STRING_EQUAL(small, full);
	CU_ASSERT_EQUAL(reg_format(&r, small, len), -1);
	CU_ASSERT_EQUAL(reg_format(&r, small, 10), -1);
	CU_ASSERT_EQUAL(reg_format(&r, small, 1), -1);
	CU_ASSERT_EQUAL(reg_format(&r, small, 0), -1);

	/* the same at the end of a multi-string record */
	memset(&r, 0, sizeof(r));
	r.heartbeat = HB;
	r.lease = 180;
	for (i = 0; i < REG_MAX_ADDRS; i++) {
		snprintf(text, sizeof(text), "2001:db8:1:2:3:4:5:%zx", i + 1);
		addr(&r.addrs[r.naddrs++], text);
	}
	CU_ASSERT_EQUAL_FATAL(reg_format(&r, full, sizeof(full)), 0);
	len = strlen(full);
	CU_ASSERT_EQUAL(reg_format(&r, small, len + 1), 0);
	CU_ASSERT_STRING_EQUAL(small, full);
	CU_ASSERT_EQUAL(reg_format(&r, small, len), -1);
	CU_ASSERT_EQUAL(reg_format(&r, small, len - 5), -1);
}

/* ---- round trips ---------------------------------------------------- */

static void
test_round_trip(void)
{
	static const char *none[] = { NULL };
	static const char *one[] = { "192.0.2.11" };
	static const char *v6[] = { "2001:db8::11" };
	static const char *mix[] = { "2001:db8::11", "192.0.2.11",
	    "2001:db8::12", "192.0.2.12", "::ffff:192.0.2.11" };
	static const struct {
		uint64_t	 hb;
		uint32_t	 lease;
		const char	**addrs;
		size_t		 n;
	} t[] = {
		{ HB, 180, none, 0 },
		{ HB, 180, one, 1 },
		{ HB, 60, v6, 1 },
		{ HB, 3600, mix, 5 },
		{ 0, 1, none, 0 },
		{ 999999999999ULL, REG_MAX_LEASE, mix, 5 },
	};
	char out[REG_TEXT_MAX];
	struct registration r, back;
	struct error err;
	size_t i;

	for (i = 0; i < NELEMS(t); i++) {
		reg_fill(&r, t[i].hb, t[i].lease, t[i].addrs, t[i].n);
		CU_ASSERT_EQUAL_FATAL(reg_format(&r, out, sizeof(out)), 0);
		CU_ASSERT_EQUAL(reg_parse(out, &back, &err), 0);
		assert_reg_equal(&back, &r);
	}
}

/* Addresses come back in canonical form whatever the writer used. */
static void
test_parse_canonicalises(void)
{
	char out[REG_TEXT_MAX], text[64];
	struct registration r;
	struct error err;

	CU_ASSERT_EQUAL_FATAL(reg_parse("\"v=rc1 t=5 lease=180 "
	    "a=2001:DB8:0::1 a=192.0.2.1\"", &r, &err), 0);
	CU_ASSERT_EQUAL_FATAL(r.naddrs, 2);
	reg_addr_format(&r.addrs[0], text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "2001:db8::1");
	CU_ASSERT_EQUAL(reg_format(&r, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out,
	    "\"v=rc1 t=5 lease=180 a=2001:db8::1 a=192.0.2.1\"");
}

/* ---- parsing: what dig, ldns and other writers produce -------------- */

static void
test_parse_presentation_forms(void)
{
	struct registration r;
	struct error err;
	char text[64];

	/* dig +short: one quoted string per character-string, space
	 * separated */
	CU_ASSERT_EQUAL_FATAL(reg_parse("\"v=rc1 t=1764075549 lease=180 "
	    "a=192.0.2.11\" \"a=2001:db8::11 a=192.0.2.12\"", &r, &err), 0);
	CU_ASSERT_EQUAL(r.heartbeat, HB);
	CU_ASSERT_EQUAL(r.lease, 180);
	CU_ASSERT_EQUAL_FATAL(r.naddrs, 3);
	reg_addr_format(&r.addrs[1], text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "2001:db8::11");
	reg_addr_format(&r.addrs[2], text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "192.0.2.12");

	/* strings split right after the version, and with no space
	 * between them: they still join with a space */
	CU_ASSERT_EQUAL_FATAL(reg_parse("\"v=rc1\"\"t=7\" \"lease=60\"", &r,
	    &err), 0);
	CU_ASSERT_EQUAL(r.heartbeat, 7);
	CU_ASSERT_EQUAL(r.lease, 60);
	CU_ASSERT_EQUAL(r.naddrs, 0);
}

/* One row per malformed (or deliberately accepted) record. */
static void
test_parse_table(void)
{
	char many[REG_TEXT_MAX], toolong[REG_TEXT_MAX + 100];
	char max32[REG_TEXT_MAX];
	size_t i, len;
	const struct {
		const char	*in;
		const char	*err;	/* NULL: accepted */
		size_t		 naddrs;	/* when accepted */
	} t[] = {
		/* the version */
		{ "", "registration record lacks v=", 0 },
		{ "\"\"", "registration record lacks v=", 0 },
		{ "\"t=1 lease=180\"",
		    "registration record does not start with v=rc1", 0 },
		{ "\"t=1 v=rc1 lease=180\"",
		    "registration record does not start with v=rc1", 0 },
		{ "\"a=192.0.2.1 v=rc1 t=1 lease=180\"",
		    "registration record does not start with v=rc1", 0 },
		{ "\"V=rc1 t=1 lease=180\"",
		    "registration record does not start with v=rc1", 0 },
		{ "\"v=rc2 t=1 lease=180\"",
		    "unsupported registration format version 'rc2'", 0 },
		{ "\"v=RC1 t=1 lease=180\"",
		    "unsupported registration format version 'RC1'", 0 },
		{ "\"v= t=1 lease=180\"",
		    "unsupported registration format version ''", 0 },
		{ "\"v=rc1 t=1 lease=180 v=rc2\"",
		    "unsupported registration format version 'rc2'", 0 },
		/* t= and lease= */
		{ "\"v=rc1 lease=180\"", "registration record lacks t=", 0 },
		{ "\"v=rc1 t=1\"", "registration record lacks lease=", 0 },
		{ "\"v=rc1\"", "registration record lacks t=", 0 },
		{ "\"v=rc1 t=1 t=2 lease=180\"",
		    "bad or repeated heartbeat time 't=2'", 0 },
		{ "\"v=rc1 t=1 lease=180 t=1\"",
		    "bad or repeated heartbeat time 't=1'", 0 },
		{ "\"v=rc1 t=12a lease=180\"",
		    "bad or repeated heartbeat time 't=12a'", 0 },
		{ "\"v=rc1 t=abc lease=180\"",
		    "bad or repeated heartbeat time 't=abc'", 0 },
		{ "\"v=rc1 t= lease=180\"",
		    "bad or repeated heartbeat time 't='", 0 },
		{ "\"v=rc1 t=-1 lease=180\"",
		    "bad or repeated heartbeat time 't=-1'", 0 },
		{ "\"v=rc1 t=+1 lease=180\"",
		    "bad or repeated heartbeat time 't=+1'", 0 },
		{ "\"v=rc1 t=1234567890123 lease=180\"",
		    "bad or repeated heartbeat time 't=1234567890123'", 0 },
		{ "\"v=rc1 t=123456789012 lease=180\"", NULL, 0 },
		{ "\"v=rc1 t=0 lease=180\"", NULL, 0 },
		{ "\"v=rc1 t=1 lease=0\"", "bad or repeated lease 'lease=0'",
		    0 },
		{ "\"v=rc1 t=1 lease=1\"", NULL, 0 },
		{ "\"v=rc1 t=1 lease=31536000\"", NULL, 0 },
		{ "\"v=rc1 t=1 lease=31536001\"",
		    "bad or repeated lease 'lease=31536001'", 0 },
		{ "\"v=rc1 t=1 lease=4294967296\"",
		    "bad or repeated lease 'lease=4294967296'", 0 },
		{ "\"v=rc1 t=1 lease=-5\"", "bad or repeated lease 'lease=-5'",
		    0 },
		{ "\"v=rc1 t=1 lease=\"", "bad or repeated lease 'lease='", 0 },
		{ "\"v=rc1 t=1 lease=180 lease=180\"",
		    "bad or repeated lease 'lease=180'", 0 },
		{ "\"v=rc1 t=1 lease=1e3\"", "bad or repeated lease 'lease=1e3'",
		    0 },
		/* addresses */
		{ "\"v=rc1 t=1 lease=180 a=192.0.2.256\"",
		    "bad address 'a=192.0.2.256'", 0 },
		{ "\"v=rc1 t=1 lease=180 a=host.example\"",
		    "bad address 'a=host.example'", 0 },
		{ "\"v=rc1 t=1 lease=180 a=\"", "bad address 'a='", 0 },
		{ "\"v=rc1 t=1 lease=180 a=2001:db8::1/64\"",
		    "bad address 'a=2001:db8::1/64'", 0 },
		{ "\"v=rc1 t=1 lease=180 a=192.0.2.1 a=192.0.2.1\"",
		    "address 192.0.2.1 listed twice", 0 },
		{ "\"v=rc1 t=1 lease=180 a=2001:db8::1 a=2001:DB8:0::1\"",
		    "address 2001:DB8:0::1 listed twice", 0 },
		{ "\"v=rc1 t=1 lease=180 a=192.0.2.1\" \"a=192.0.2.1\"",
		    "address 192.0.2.1 listed twice", 0 },
		{ max32, NULL, REG_MAX_ADDRS },
		{ many, "more than 32 addresses", 0 },
		/* tokens */
		{ "\"v=rc1 t=1 lease=180 foo\"",
		    "malformed token 'foo' in registration record", 0 },
		{ "\"v=rc1 t=1 lease=180 =x\"",
		    "malformed token '=x' in registration record", 0 },
		{ "\"v=rc1 t=1 lease=180 a\"",
		    "malformed token 'a' in registration record", 0 },
		{ "\"v=rc1\" \"t=17\" \"64075549 lease=180\"",
		    "malformed token '64075549' in registration record", 0 },
		{ "\"v=rc1 t=1 lease=180 x=1 foo=bar a=192.0.2.1 k=\"", NULL,
		    1 },
		{ "\"v=rc1 t=1 lease=180 key=a=b\"", NULL, 0 },
		/* presentation-form escapes and quoting */
		{ "\"v=rc1 t=1 lease=180 x=a\\\"b\"",
		    "escaped character in registration record", 0 },
		{ "\"v=rc1 t=1 lease=180\\032a=192.0.2.1\"",
		    "escaped character in registration record", 0 },
		{ "\"v=rc1 t=1 lease=180 a=192.0.2.1\\\"",
		    "escaped character in registration record", 0 },
		{ "\"v=rc1 t=1 lease=180",
		    "unterminated string in registration record", 0 },
		{ "\"v=rc1 t=1 lease=180\" \"a=192.0.2.1",
		    "unterminated string in registration record", 0 },
		{ toolong, "registration record too long", 0 },
	};
	struct registration r;
	struct error err;

	/* 32 and 33 addresses */
	len = (size_t)snprintf(max32, sizeof(max32), "\"v=rc1 t=1 lease=180");
	for (i = 0; i < REG_MAX_ADDRS; i++)
		len += (size_t)snprintf(max32 + len, sizeof(max32) - len,
		    " a=192.0.2.%zu", i + 1);
	memcpy(many, max32, len + 1);
	snprintf(max32 + len, sizeof(max32) - len, "\"");
	snprintf(many + len, sizeof(many) - len, " a=192.0.2.200\"");
	/* longer than any record: 2100 characters of valid tokens */
	len = (size_t)snprintf(toolong, sizeof(toolong), "\"v=rc1 t=1 lease=180");
	while (len < REG_TEXT_MAX + 50)
		len += (size_t)snprintf(toolong + len, sizeof(toolong) - len,
		    " x=1");
	snprintf(toolong + len, sizeof(toolong) - len, "\"");

	for (i = 0; i < NELEMS(t); i++) {
		int rc;

		memset(&err, 0, sizeof(err));
		rc = reg_parse(t[i].in, &r, &err);
		if ((rc == 0) != (t[i].err == NULL) ||
		    (rc == -1 && strcmp(err.msg, t[i].err) != 0))
			fprintf(stderr, "\nreg_parse row %zu '%.60s': rc %d "
			    "'%s'\n", i, t[i].in, rc, rc ? err.msg : "");
		if (t[i].err == NULL) {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_EQUAL(r.naddrs, t[i].naddrs);
		} else {
			CU_ASSERT_EQUAL(rc, -1);
			CU_ASSERT_EQUAL(err.kind, ERR_PROTO);
			CU_ASSERT_STRING_EQUAL(err.msg, t[i].err);
		}
	}
}

/* A record may be read with no error struct at all. */
static void
test_parse_null_err(void)
{
	struct registration r;

	CU_ASSERT_EQUAL(reg_parse("\"v=rc2\"", &r, NULL), -1);
	CU_ASSERT_EQUAL(reg_parse("\"v=rc1 t=1 lease=2\"", &r, NULL), 0);
}

void
suite_regrecord(void)
{
	CU_pSuite s = test_add_suite("regrecord");

	test_add(s, "address canonical form", test_addr_canonical);
	test_add(s, "bad addresses", test_addr_bad);
	test_add(s, "address equality", test_addr_equal);
	test_add(s, "format exact text", test_format_exact);
	test_add(s, "format splits 32 IPv6 addresses at tokens",
	    test_format_split);
	test_add(s, "format output length", test_format_outlen);
	test_add(s, "format/parse round trip", test_round_trip);
	test_add(s, "parse canonicalises addresses",
	    test_parse_canonicalises);
	test_add(s, "parse dig/ldns presentation forms",
	    test_parse_presentation_forms);
	test_add(s, "parse table", test_parse_table);
	test_add(s, "parse without error struct", test_parse_null_err);
}
