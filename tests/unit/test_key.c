/*
 * test_key.c - key files (named.conf syntax, Knot's configuration syntax,
 * knsupdate's [alg:]name:secret line) and nsupdate's -y argument.
 *
 * Fixtures in tests/data/keys/ are the verbatim output of BIND's
 * tsig-keygen and ddns-confgen and of Knot's keymgr -t (test keys), plus
 * hand-made excerpts and bad files (see its README).  Other error cases
 * are written to a temporary file from a table, next to the line the
 * message must name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ldns/ldns.h>
#include <openssl/evp.h>

#include "key.h"
#include "suites.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR	"tests/data"
#endif
#define KEYS		TEST_DATA_DIR "/keys/"

/* base64("secret-that-must-not-leak"): must never show up in a message. */
#define LEAK_B64	"c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw=="
#define LEAK_RAW	"secret-that-must-not-leak"

static char tmpdir[64];

static int
key_init(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/rc-key-XXXXXX",
	    base != NULL && strlen(base) < 40 ? base : "/tmp");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
key_cleanup(void)
{
	return rmdir(tmpdir);
}

/* Write contents to a temporary file with the given mode; path in out. */
static void
write_tmp(const char *contents, mode_t mode, char *out, size_t outsz)
{
	FILE *f;

	snprintf(out, outsz, "%s/key.conf", tmpdir);
	f = fopen(out, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_FATAL(fputs(contents, f) >= 0);
	CU_ASSERT_FATAL(fclose(f) == 0);
	CU_ASSERT_FATAL(chmod(out, mode) == 0);
}

/* Decode with ldns, not with the code under test. */
static void
check_secret(const struct tsig_key *k, const char *b64)
{
	ldns_rdf *rdf = NULL;

	CU_ASSERT_FATAL(ldns_str2rdf_b64(&rdf, b64) == LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(k->secret_len, ldns_rdf_size(rdf));
	CU_ASSERT(k->secret_len == ldns_rdf_size(rdf) &&
	    memcmp(k->secret, ldns_rdf_data(rdf), k->secret_len) == 0);
	ldns_rdf_deep_free(rdf);
}

static void
check_no_leak(const char *msg, const char *b64)
{
	CU_ASSERT_PTR_NULL(strstr(msg, b64));
	CU_ASSERT_PTR_NULL(strstr(msg, LEAK_B64));
	CU_ASSERT_PTR_NULL(strstr(msg, LEAK_RAW));
	CU_ASSERT_PTR_NULL(strstr(msg, "c2VjcmV0"));	/* any prefix of it */
}

/* --- real tool output ------------------------------------------------- */

static void
test_tsig_keygen_files(void)
{
	static const struct {
		const char	*file;
		const char	*name;
		enum tsig_alg	 alg;
		const char	*b64;
	} t[] = {
		{ "tsig-keygen-hmac-md5.key", "rollcall-md5.example.test.",
		  TSIG_HMAC_MD5, "5Oy+Nyuiibpq8xT35SHqIw==" },
		{ "tsig-keygen-hmac-sha1.key", "rollcall-sha1.example.test.",
		  TSIG_HMAC_SHA1, "NC2BBKvCPP0ohekwWwkI13mb6Vs=" },
		{ "tsig-keygen-hmac-sha224.key", "rollcall-sha224.example.test.",
		  TSIG_HMAC_SHA224, "NWN130h63VK7hsiGmc3SQtLEUT/BpXBV3WQq0g==" },
		{ "tsig-keygen-hmac-sha256.key", "rollcall-sha256.example.test.",
		  TSIG_HMAC_SHA256,
		  "6kqImYg5sQH590MF0texACo1r4JP+NhjEXWZwwgqnXo=" },
		{ "tsig-keygen-hmac-sha384.key", "rollcall-sha384.example.test.",
		  TSIG_HMAC_SHA384, "D/fVFr2+oQIpukdd5wowoDzjlPqk3dezYyct9UcfMBam"
		  "TlFKnWrv8qFwSvx12bP9" },
		{ "tsig-keygen-hmac-sha512.key", "rollcall-sha512.example.test.",
		  TSIG_HMAC_SHA512, "wDrdtrrd1bj7ey7Qtr1MIWm4oVnGkauZ3gBEspn8fXK4"
		  "YMOK5wvBIVrJCayM1H3TXEAMd/BLiRfFWmY64DpLrA==" },
		{ "tsig-keygen-default.key", "tsig-key.", TSIG_HMAC_SHA256,
		  "gCy1G7awvS2e2iqRUVIwW7abSxL9fB34DMzW4HN+MMY=" },
		{ "ddns-confgen.conf", "host1.example.test.", TSIG_HMAC_SHA256,
		  "Sy8i+urXQm0nTIWMpWuvQ9MwvBcT5fGMFsVXMV+AIjc=" },
		{ "ddns-confgen-self.conf", "ddns-key.host2.example.test.",
		  TSIG_HMAC_SHA384, "kRP4ItKIPYIeCqd1fH7XUZV4O0xjujEuvUjnUUWATtxdc"
		  "MWx6t+nBbXgd9jt7JFp" },
	};
	struct tsig_key k;
	struct error err;
	char path[512], upper[256];
	bool loose;
	size_t i, j;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(path, sizeof(path), KEYS "%s", t[i].file);
		CU_ASSERT_EQUAL(key_load_file(path, NULL, &k, &loose, &err), 0);
		if (k.secret_len == 0)
			fprintf(stderr, "\n  %s: %s\n", t[i].file, err.msg);
		CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
		CU_ASSERT_EQUAL(k.alg, t[i].alg);
		check_secret(&k, t[i].b64);
		tsig_key_clean(&k);

		/* By name, in another case and without the trailing dot. */
		for (j = 0; t[i].name[j + 1] != '\0'; j++)
			upper[j] = (char)(t[i].name[j] >= 'a' &&
			    t[i].name[j] <= 'z' ? t[i].name[j] - 32 : t[i].name[j]);
		upper[j] = '\0';
		CU_ASSERT_EQUAL(key_load_file(path, upper, &k, NULL, &err), 0);
		CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
		check_secret(&k, t[i].b64);
		tsig_key_clean(&k);

		CU_ASSERT_EQUAL(key_load_file(path, "other.example.", &k, NULL,
		    &err), -1);
		CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no key 'other.example.'"));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, t[i].name));
		check_no_leak(err.msg, t[i].b64);
	}
}

/* A named.conf excerpt: three keys among other statements and comments. */
static void
test_named_snippet(void)
{
	static const struct {
		const char	*want;
		int		 rc;
		const char	*name;
		enum tsig_alg	 alg;
		const char	*b64;
		const char	*msg;
	} t[] = {
		{ "alpha.example.test", 0, "alpha.example.test.",
		  TSIG_HMAC_SHA256, "MiyMzLY4VxG8nLeRVn/K0h8T83SIISpr1rIcRqvadzo=",
		  NULL },
		{ "BETA.example.test.", 0, "beta.example.test.", TSIG_HMAC_SHA512,
		  "IOgDu0PyDhgTBRVKiB8sG2EX2oJHQf+0HuWqIxwqIkX0hbo8V2eFSc9vi5Ia2h"
		  "mTjYEBQ2sRX5kk+XkBmBycLw==", NULL },
		{ "gamma.example.test", 0, "gamma.example.test.", TSIG_HMAC_MD5,
		  "6+6GUwVLcr6vUwt6+G95xg==", NULL },
		/* Keys inside comments do not exist. */
		{ "shell-comment.example.test", -1, NULL, 0, NULL,
		  "named-snippet.conf: no key 'shell-comment.example.test.' "
		  "(found: alpha.example.test., beta.example.test., "
		  "gamma.example.test.)" },
		{ "cxx-comment.example.test", -1, NULL, 0, NULL, "no key" },
		{ "c-comment.example.test", -1, NULL, 0, NULL, "no key" },
		{ NULL, -1, NULL, 0, NULL, "named-snippet.conf:17: more than one "
		  "key (alpha.example.test., beta.example.test., "
		  "gamma.example.test.): say which one to use" },
	};
	struct tsig_key k;
	struct error err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CU_ASSERT_EQUAL(key_load_file(KEYS "named-snippet.conf", t[i].want,
		    &k, NULL, &err), t[i].rc);
		if (t[i].rc == 0) {
			CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
			CU_ASSERT_EQUAL(k.alg, t[i].alg);
			check_secret(&k, t[i].b64);
		} else {
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, t[i].msg));
			if (strstr(err.msg, t[i].msg) == NULL)
				fprintf(stderr, "\n  got %s\n", err.msg);
			CU_ASSERT_EQUAL(k.secret_len, 0);
			check_no_leak(err.msg, "6+6GUwVLcr6vUwt6+G95xg==");
			check_no_leak(err.msg, "MiyMzLY4VxG8nLeRVn");
		}
		tsig_key_clean(&k);
	}
}

/* Syntax variants that must load (one key each, secret LEAK_B64). */
static void
test_good_variants(void)
{
	static const struct {
		const char	*conf;
		const char	*name;
		enum tsig_alg	 alg;
	} t[] = {
		{ "key k { algorithm hmac-sha1; secret " LEAK_B64 "; };",
		  "k.", TSIG_HMAC_SHA1 },
		{ "KEY \"K.Example.\" { ALGORITHM \"HMAC-SHA224\"; SECRET \""
		  LEAK_B64 "\"; };", "k.example.", TSIG_HMAC_SHA224 },
		{ "key\"a\"{secret\"" LEAK_B64 "\";algorithm hmac-md5;};",
		  "a.", TSIG_HMAC_MD5 },
		{ "key \"crlf\" {\r\n\talgorithm hmac-sha256;\r\n\tsecret \""
		  LEAK_B64 "\";\r\n};\r\n", "crlf.", TSIG_HMAC_SHA256 },
		{ "/* a */ key /* b */ c // c\n { # d\n algorithm /**/ "
		  "hmac-sha384 ; secret \"" LEAK_B64 "\" ; } ; // end",
		  "c.", TSIG_HMAC_SHA384 },
		/* Whitespace inside the base64 is ignored, as BIND does. */
		{ "key w { algorithm hmac-sha512; secret \"c2VjcmV0LXRo YXQt\n"
		  "bXVzdC1ub3QtbGVhaw==\"; };", "w.", TSIG_HMAC_SHA512 },
		/* Other statements, even unterminated ones, are skipped. */
		{ "options { directory \"/x\"; listen-on { any; }; };\n"
		  "include \"/etc/bind/other.conf\";\n;\n"
		  "key s { algorithm hmac-sha256; secret \"" LEAK_B64 "\"; };\n"
		  "nsupdate -k <keyfile>\n", "s.", TSIG_HMAC_SHA256 },
		{ "server 192.0.2.1 { keys { s; }; }\n"
		  "key s { algorithm hmac-sha256; secret \"" LEAK_B64 "\"; };\n",
		  "s.", TSIG_HMAC_SHA256 },
		{ "zone \"x\" { update-policy { grant \"key\" zonesub ANY; }; };"
		  " key s { algorithm hmac-md5.sig-alg.reg.int; secret \""
		  LEAK_B64 "\"; };", "s.", TSIG_HMAC_MD5 },
		{ "options { a \"escaped \\\" quote; }\"; };\n"
		  "key s { algorithm hmac-sha256; secret \"" LEAK_B64 "\"; };\n",
		  "s.", TSIG_HMAC_SHA256 },
	};
	struct tsig_key k;
	struct error err;
	char path[128];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		write_tmp(t[i].conf, 0600, path, sizeof(path));
		rc = key_load_file(path, NULL, &k, NULL, &err);
		CU_ASSERT_EQUAL(rc, 0);
		if (rc != 0)
			fprintf(stderr, "\n  case %zu: %s\n", i, err.msg);
		CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
		CU_ASSERT_EQUAL(k.alg, t[i].alg);
		CU_ASSERT_EQUAL(k.secret_len, strlen(LEAK_RAW));
		CU_ASSERT(memcmp(k.secret, LEAK_RAW, strlen(LEAK_RAW)) == 0);
		tsig_key_clean(&k);
		unlink(path);
	}
}

/* Every error names file and line, and never shows the secret. */
static void
test_errors(void)
{
	static const struct {
		const char	*conf;
		const char	*name;	/* key asked for, or NULL */
		int		 line;	/* 0: whole-file error, "PATH: " */
		const char	*want;
	} t[] = {
		{ "key \"a\" {\n\talgorithm hmac-sha256;\n};\n", NULL, 1,
		  "key 'a.': missing secret" },
		{ "\nkey a {\n\tsecret \"" LEAK_B64 "\";\n};\n", NULL, 2,
		  "key 'a.': missing algorithm" },
		{ "key a {\n\talgorithm hmac-sha256;\n\tsecret \"c2VjcmV0!!"
		  "LXRoYXQtbXVzdC1ub3QtbGVhaw==\";\n};\n", NULL, 3,
		  "key 'a.': secret is not valid base64" },
		{ "key a {\n algorithm hmac-sha256;\n secret \"c2VjcmV0LXRoYXQ=tb"
		  "XVzdC1ub3QtbGVhaw==\";\n};\n", NULL, 3, "not valid base64" },
		{ "key a {\n algorithm hmac-sha256;\n secret \"c2VjcmV0LXRoYXQtbXV"
		  "zdC1ub3QtbGVhaw=\";\n};\n", NULL, 3, "not valid base64" },
		{ "key a { algorithm hmac-sha256; secret \"\"; };", NULL, 1,
		  "key 'a.': secret is empty" },
		{ "key a { algorithm hmac-sha256;\nsecret \"====\"; };", NULL, 2,
		  "not valid base64" },
		{ "key a {\n\talgorithm hmac-foo;\n\tsecret \"" LEAK_B64 "\";\n};",
		  NULL, 2, "key 'a.': unknown algorithm 'hmac-foo' (supported: "
		  "hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, "
		  "hmac-sha512)" },
		/* Secret in the wrong place: reported, not echoed. */
		{ "key a {\n\talgorithm \"" LEAK_B64 "\";\n};", NULL, 2,
		  "key 'a.': unknown algorithm (supported:" },
		{ "key a {\n\talgorithm hmac-md5;\n\t\"" LEAK_B64 "\";\n};", NULL,
		  3, "key 'a.': expected algorithm or secret" },
		{ "key a {\n\talgorithm hmac-md5;\n\t" LEAK_B64 ";\n};", NULL, 3,
		  "key 'a.': expected algorithm or secret" },
		{ "key a {\n\talgorithm hmac-md5;\n\tsecret " LEAK_B64 " "
		  LEAK_B64 ";\n};", NULL, 3, "expected ';' after secret" },
		{ "key a {\n\talgorithm hmac-md5;\n\tsecrets \"" LEAK_B64
		  "\";\n};", NULL, 3, "key 'a.': unknown option 'secrets' "
		  "(expected algorithm or secret)" },
		{ "key a {\n algorithm hmac-md5;\n secret \"" LEAK_B64 "\"\n};",
		  NULL, 4, "expected ';' after secret" },
		{ "key a {\n algorithm hmac-md5;\n secret ;\n};", NULL, 3,
		  "secret: value expected" },
		{ "key a {\n algorithm hmac-md5;\n algorithm hmac-md5;\n};", NULL,
		  3, "algorithm given twice" },
		{ "key a {\n secret \"" LEAK_B64 "\";\n secret \"" LEAK_B64
		  "\";\n};", NULL, 3, "secret given twice" },
		{ "key a {\n algorithm hmac-md5;\n secret \"" LEAK_B64 "\";\n",
		  NULL, 1, "key 'a.': missing '}'" },
		{ "key a { algorithm hmac-md5; secret \"" LEAK_B64 "\"; }\n",
		  NULL, 1, "expected ';' after '}'" },
		{ "key {\n algorithm hmac-md5;\n};", NULL, 1, "key: name "
		  "expected" },
		{ "key \"a..b\" { algorithm hmac-md5; };", NULL, 1,
		  "key: key name has an empty label" },
		{ "key \"\" { algorithm hmac-md5; };", NULL, 1,
		  "key: empty key name" },
		{ "key a\n;", NULL, 2, "key 'a.': expected '{'" },
		{ "# one\n# two\n/* three\n four\n", NULL, 3,
		  "unterminated comment" },
		{ "key a {\n algorithm hmac-md5;\n secret \"" LEAK_B64 ";\n};\n",
		  NULL, 3, "unterminated string" },
		{ "options {\n directory \"/x\";\n", NULL, 1,
		  "statement has no closing '}'" },
		{ "options { };\n};\n", NULL, 2, "unexpected '}'" },
		{ "key a { algorithm hmac-md5; secret \"" LEAK_B64 "\"; };\n"
		  "\nkey \"A.\" { algorithm hmac-sha1; secret \"" LEAK_B64 "\"; };",
		  NULL, 3, "duplicate key 'a.' (first on line 1)" },
		{ "key a { algorithm hmac-md5; secret \"" LEAK_B64 "\"; };\n"
		  "key b { algorithm hmac-sha1; secret \"" LEAK_B64 "\"; };",
		  NULL, 2, "more than one key (a., b.): say which one to use" },
		{ "key a { algorithm hmac-md5; secret \"" LEAK_B64 "\"; };\n"
		  "key b { algorithm hmac-sha1; secret \"" LEAK_B64 "\"; };",
		  "c", 0, "no key 'c.' (found: a., b.)" },
		{ "options { directory \"/x\"; };\n", NULL, 0,
		  "no key statement found" },
		{ "", NULL, 0, "no key statement found" },
		{ "// key a { algorithm hmac-md5; secret \"" LEAK_B64 "\"; };\n",
		  NULL, 0, "no key statement found" },
		{ "key a { algorithm hmac-md5; secret \"" LEAK_B64 "\"; };",
		  "bad..name", 0, "key name has an empty label" },
	};
	struct tsig_key k;
	struct error err;
	char path[128], prefix[192];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		write_tmp(t[i].conf, 0600, path, sizeof(path));
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(key_load_file(path, t[i].name, &k, NULL, &err),
		    -1);
		CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
		if (t[i].line > 0)
			snprintf(prefix, sizeof(prefix), "%s:%d: ", path,
			    t[i].line);
		else
			snprintf(prefix, sizeof(prefix), "%s: ", path);
		CU_ASSERT(strncmp(err.msg, prefix, strlen(prefix)) == 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, t[i].want));
		if (strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
		    strstr(err.msg, t[i].want) == NULL)
			fprintf(stderr, "\n  case %zu: got '%s'\n  want '%s%s'\n",
			    i, err.msg, prefix, t[i].want);
		CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
		check_no_leak(err.msg, LEAK_B64);
		CU_ASSERT_EQUAL(k.secret_len, 0);
		unlink(path);
	}
}

/* --- Knot: keymgr -t, knot.conf, knsupdate -k ------------------------- */

/* Verbatim keymgr -t output, and knsupdate -k lines made from it. */
static void
test_knot_tool_files(void)
{
	static const struct {
		const char	*file;
		const char	*name;
		enum tsig_alg	 alg;
		const char	*b64;
	} t[] = {
		{ "keymgr-hmac-md5.conf", "rollcall-md5.example.test.",
		  TSIG_HMAC_MD5, "tTeljtaqC8BzfhtTQHYhLg==" },
		{ "keymgr-hmac-sha1.conf", "rollcall-sha1.example.test.",
		  TSIG_HMAC_SHA1, "bkRFMedBhApTW59srS6jETZaN7s=" },
		{ "keymgr-hmac-sha224.conf", "rollcall-sha224.example.test.",
		  TSIG_HMAC_SHA224, "FTXtVG9jJ+zmoLGG7jWA7B6fYlk7WS9mP///FQ==" },
		{ "keymgr-hmac-sha256.conf", "rollcall-sha256.example.test.",
		  TSIG_HMAC_SHA256,
		  "BqJC2BHDnkSX/J6Cj7N50rfU7Mp+5fQDzc3WPrhE2pc=" },
		{ "keymgr-hmac-sha384.conf", "rollcall-sha384.example.test.",
		  TSIG_HMAC_SHA384, "L4fu46KUp7I7CvSc2aau8I3BSzoFMYpdg8UNI3LLwIdp"
		  "CvQ21gvm6jpIWPg/eyN/" },
		{ "keymgr-hmac-sha512.conf", "rollcall-sha512.example.test.",
		  TSIG_HMAC_SHA512, "MThLjDEnxAE0XciD9ciq3y2M+khZvCusp+qliqNoQ+5x"
		  "+1X3GDEyUuSsX2+LfldOIyXxgyyxqfSV9Ai5s5xF2w==" },
		{ "keymgr-default.conf", "rollcall-default.example.test.",
		  TSIG_HMAC_SHA256,
		  "zZWPpB2VMbg6F+0FPQptTsoF5T2pBeDeOKOE2SgkPjo=" },
		{ "knsupdate-hmac-sha256.key", "host1.example.test.",
		  TSIG_HMAC_SHA256,
		  "ac50MBLWB9RMQQvA0rqsn1lseBwI9uPhTHDb0mMRgkw=" },
		/* No algorithm: hmac-sha256, knsupdate's default too. */
		{ "knsupdate-no-alg.key", "host2.example.test.", TSIG_HMAC_SHA256,
		  "+dv2Lwn3jXEKUDPIYT6auf/+dojh/B0z24qKI0t4xtpBHJ9riOWXP0aMrfeY4y"
		  "0vbGqqVgrtT2iTEa+5wP/Ifg==" },
	};
	struct tsig_key k;
	struct error err;
	char path[512], upper[256];
	bool loose;
	size_t i, j;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(path, sizeof(path), KEYS "%s", t[i].file);
		rc = key_load_file(path, NULL, &k, &loose, &err);
		CU_ASSERT_EQUAL(rc, 0);
		if (rc != 0)
			fprintf(stderr, "\n  %s: %s\n", t[i].file, err.msg);
		CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
		CU_ASSERT_EQUAL(k.alg, t[i].alg);
		check_secret(&k, t[i].b64);
		tsig_key_clean(&k);

		for (j = 0; t[i].name[j + 1] != '\0'; j++)
			upper[j] = (char)(t[i].name[j] >= 'a' &&
			    t[i].name[j] <= 'z' ? t[i].name[j] - 32 : t[i].name[j]);
		upper[j] = '\0';
		CU_ASSERT_EQUAL(key_load_file(path, upper, &k, NULL, &err), 0);
		CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
		check_secret(&k, t[i].b64);
		tsig_key_clean(&k);

		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(key_load_file(path, "other.example.", &k, NULL,
		    &err), -1);
		CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no key 'other.example.'"));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, t[i].name));
		CU_ASSERT_EQUAL(k.secret_len, 0);
		check_no_leak(err.msg, t[i].b64);
	}
}

/*
 * keymgr -t prints each key twice: "# alg:name:secret" (knsupdate's
 * format) and Knot's configuration.  Read both ways, they are one key.
 */
static void
test_keymgr_comment_line(void)
{
	static const char *files[] = { "keymgr-hmac-md5.conf",
	    "keymgr-hmac-sha1.conf", "keymgr-hmac-sha224.conf",
	    "keymgr-hmac-sha256.conf", "keymgr-hmac-sha384.conf",
	    "keymgr-hmac-sha512.conf", "keymgr-default.conf" };
	struct tsig_key yaml, line;
	struct error err;
	char path[512], buf[1024];
	FILE *f;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), KEYS "%s", files[i]);
		CU_ASSERT_FATAL((f = fopen(path, "r")) != NULL);
		CU_ASSERT_FATAL(fgets(buf, sizeof(buf), f) != NULL);
		fclose(f);
		CU_ASSERT_FATAL(strncmp(buf, "# hmac-", 7) == 0);
		buf[strcspn(buf, "\n")] = '\0';
		CU_ASSERT_EQUAL(key_parse_y(buf + 2, &line, &err), 0);
		CU_ASSERT_EQUAL(key_load_file(path, NULL, &yaml, NULL, &err), 0);
		CU_ASSERT_STRING_EQUAL(yaml.name, line.name);
		CU_ASSERT_EQUAL(yaml.alg, line.alg);
		CU_ASSERT(yaml.secret_len > 0 &&
		    yaml.secret_len == line.secret_len &&
		    memcmp(yaml.secret, line.secret, line.secret_len) == 0);
		tsig_key_clean(&yaml);
		tsig_key_clean(&line);
		memset(buf, 0, sizeof(buf));
	}
}

/* A knot.conf excerpt: three keys in two key sections among others. */
static void
test_knot_snippet(void)
{
	static const struct {
		const char	*want;
		int		 rc;
		const char	*name;
		enum tsig_alg	 alg;
		const char	*b64;
		const char	*msg;
	} t[] = {
		{ "alpha.example.test", 0, "alpha.example.test.",
		  TSIG_HMAC_SHA256, "BVwzckK5AdRfeIKV/9Wpngwn1/rc3XjXw0ETnK8VnQI=",
		  NULL },
		{ "BETA.example.test.", 0, "beta.example.test.", TSIG_HMAC_SHA384,
		  "lQrYe8m6Hyvz5S+DhqqJSxPWGje5wK07C8syX2mEeuXsI+7p1LXDhGqKhbOniOxR",
		  NULL },
		{ "gamma.example.test", 0, "gamma.example.test.", TSIG_HMAC_MD5,
		  "CdIzGYivux1xkIdEsac8/Q==", NULL },
		/* Keys inside comments do not exist, nor do other ids. */
		{ "commented-out.example.test", -1, NULL, 0, NULL,
		  "knot-keys.conf: no key 'commented-out.example.test.' "
		  "(found: alpha.example.test., beta.example.test., "
		  "gamma.example.test.)" },
		{ "update", -1, NULL, 0, NULL, "knot-keys.conf: no key 'update.'" },
		{ "primary", -1, NULL, 0, NULL, "no key 'primary.'" },
		{ NULL, -1, NULL, 0, NULL, "knot-keys.conf:17: more than one "
		  "key (alpha.example.test., beta.example.test., "
		  "gamma.example.test.): say which one to use" },
	};
	struct tsig_key k;
	struct error err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(key_load_file(KEYS "knot-keys.conf", t[i].want,
		    &k, NULL, &err), t[i].rc);
		if (t[i].rc == 0) {
			CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
			CU_ASSERT_EQUAL(k.alg, t[i].alg);
			check_secret(&k, t[i].b64);
		} else {
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, t[i].msg));
			if (strstr(err.msg, t[i].msg) == NULL)
				fprintf(stderr, "\n  got %s\n", err.msg);
			CU_ASSERT_EQUAL(k.secret_len, 0);
			check_no_leak(err.msg, "BVwzckK5AdRfeIKV");
			check_no_leak(err.msg, "CdIzGYivux1xkIdEsac8");
		}
		tsig_key_clean(&k);
	}
}

/* Knot syntax variants that must load (one key each, secret LEAK_B64). */
static void
test_knot_variants(void)
{
	static const struct {
		const char	*conf;
		const char	*name;
		enum tsig_alg	 alg;
	} t[] = {
		/* The dash in column 1, options under the name. */
		{ "key:\n- id: k\n  algorithm: hmac-sha1\n  secret: " LEAK_B64
		  "\n", "k.", TSIG_HMAC_SHA1 },
		{ "key:\n        - id: deep.example\n          algorithm: "
		  "hmac-sha512\n          secret: " LEAK_B64 "\n", "deep.example.",
		  TSIG_HMAC_SHA512 },
		/* Quotes, \-escapes, a '#' inside quotes. */
		{ "key:\n  - id: \"q\"\n    comment: \"a # in quotes\"\n"
		  "    algorithm: \"hmac-sha224\"\n    secret: \"c2Vj\\cmV0LXRoYXQt"
		  "bXVzdC1ub3QtbGVhaw==\"\n", "q.", TSIG_HMAC_SHA224 },
		{ "key:\r\n  - id: crlf\r\n    algorithm: hmac-sha256\r\n"
		  "    secret: " LEAK_B64 "\r\n", "crlf.", TSIG_HMAC_SHA256 },
		/* Comments, blank lines (with blanks), trailing blanks. */
		{ "\n# head\n  \t\nkey:   # keys\n\n  # between\n  - id: c   \n"
		  "    algorithm: hmac-sha384 # sha384\n\n    secret: " LEAK_B64
		  " \t\n# end", "c.", TSIG_HMAC_SHA384 },
		/* Blanks before ':' (Knot allows them), no final newline. */
		{ "key :\n  - id : s\n    algorithm : hmac-md5\n    secret : "
		  LEAK_B64, "s.", TSIG_HMAC_MD5 },
		/* Options in any order; the algorithm as the existing parser
		 * takes it; upper case names. */
		{ "KEY:\n  - ID: Up.Example.\n    SECRET: " LEAK_B64 "\n"
		  "    ALGORITHM: HMAC-MD5.SIG-ALG.REG.INT.\n", "up.example.",
		  TSIG_HMAC_MD5 },
		/* Other sections: skipped, wherever they are. */
		{ "server:\n  listen: [ 127.0.0.1@53, ::1@53 ]\ninclude: x.conf\n"
		  "template:\n- id: default\n  storage: \"/var/lib/knot\"\n"
		  "key:\n  - id: o\n    algorithm: hmac-sha256\n    secret: "
		  LEAK_B64 "\nacl:\n  - id: a\n    key: o\n    secret: nope\n",
		  "o.", TSIG_HMAC_SHA256 },
		/* An empty key section, then one with the key. */
		{ "key:\n# none yet\nremote:\n  - id: r\nkey:\n  - id: e\n"
		  "    algorithm: hmac-sha1\n    secret: " LEAK_B64 "\n", "e.",
		  TSIG_HMAC_SHA1 },
		/* keymgr's comment line is a comment: the YAML is the key. */
		{ "# hmac-md5:other:c2Vj\nkey:\n  - id: y\n    algorithm: "
		  "hmac-sha256\n    secret: " LEAK_B64 "\n", "y.",
		  TSIG_HMAC_SHA256 },
		/* A different indentation per item is fine. */
		{ "key:\n  - id: i1\n    algorithm: hmac-sha256\n    secret: "
		  LEAK_B64 "\n      - id: i2\n        algorithm: hmac-sha1\n"
		  "        secret: " LEAK_B64 "\n", "i1.", TSIG_HMAC_SHA256 },
	};
	struct tsig_key k;
	struct error err;
	char path[128];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		write_tmp(t[i].conf, 0600, path, sizeof(path));
		/* The last case holds two keys: ask for the first. */
		rc = key_load_file(path, i == sizeof(t) / sizeof(t[0]) - 1 ?
		    "i1" : NULL, &k, NULL, &err);
		CU_ASSERT_EQUAL(rc, 0);
		if (rc != 0)
			fprintf(stderr, "\n  case %zu: %s\n", i, err.msg);
		CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
		CU_ASSERT_EQUAL(k.alg, t[i].alg);
		CU_ASSERT_EQUAL(k.secret_len, strlen(LEAK_RAW));
		CU_ASSERT(memcmp(k.secret, LEAK_RAW, strlen(LEAK_RAW)) == 0);
		tsig_key_clean(&k);
		unlink(path);
	}
}

/* knsupdate -k's line, and the choice between the three formats. */
static void
test_y_file_variants(void)
{
	static const struct {
		const char	*conf;
		const char	*want;
		const char	*name;
		enum tsig_alg	 alg;
	} t[] = {
		{ "hmac-sha512:n.example:" LEAK_B64 "\n", NULL, "n.example.",
		  TSIG_HMAC_SHA512 },
		{ "n:" LEAK_B64, NULL, "n.", TSIG_HMAC_SHA256 },
		/* knsupdate strips blanks around the line. */
		{ "  \thmac-md5:n:" LEAK_B64 " \t\r\n", NULL, "n.", TSIG_HMAC_MD5 },
		{ "# written by hand\n\nHMAC-SHA1:N:" LEAK_B64 "\n# end\n", NULL,
		  "n.", TSIG_HMAC_SHA1 },
		/* Several lines are several keys: the name chooses. */
		{ "a:" LEAK_B64 "\nhmac-sha224:b:" LEAK_B64 "\n", "B.",
		  "b.", TSIG_HMAC_SHA224 },
		/* A named.conf whose first line has a ':' and no blank. */
		{ "//:\nkey a { algorithm hmac-sha1; secret \"" LEAK_B64
		  "\"; };\n", NULL, "a.", TSIG_HMAC_SHA1 },
		{ "key\"a:b\"{algorithm hmac-sha1;secret \"" LEAK_B64 "\";};\n",
		  NULL, "a:b.", TSIG_HMAC_SHA1 },
	};
	struct tsig_key k;
	struct error err;
	char path[128];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		write_tmp(t[i].conf, 0600, path, sizeof(path));
		rc = key_load_file(path, t[i].want, &k, NULL, &err);
		CU_ASSERT_EQUAL(rc, 0);
		if (rc != 0)
			fprintf(stderr, "\n  case %zu: %s\n", i, err.msg);
		CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
		CU_ASSERT_EQUAL(k.alg, t[i].alg);
		CU_ASSERT_EQUAL(k.secret_len, strlen(LEAK_RAW));
		CU_ASSERT(memcmp(k.secret, LEAK_RAW, strlen(LEAK_RAW)) == 0);
		tsig_key_clean(&k);
		unlink(path);
	}
}

struct error_case {
	const char	*conf;
	const char	*name;	/* key asked for, or NULL */
	int		 line;	/* 0: whole-file error, "PATH: " */
	const char	*want;
};

/* Load conf from a file; the error names the file and line, is one line
 * and shows no secret; no key is left behind. */
static void
check_errors(const struct error_case *t, size_t n)
{
	struct tsig_key k;
	struct error err;
	char path[128], prefix[192];
	size_t i;

	for (i = 0; i < n; i++) {
		write_tmp(t[i].conf, 0600, path, sizeof(path));
		memset(&err, 0, sizeof(err));
		memset(&k, 0x5a, sizeof(k));
		CU_ASSERT_EQUAL(key_load_file(path, t[i].name, &k, NULL, &err),
		    -1);
		CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
		if (t[i].line > 0)
			snprintf(prefix, sizeof(prefix), "%s:%d: ", path,
			    t[i].line);
		else
			snprintf(prefix, sizeof(prefix), "%s: ", path);
		CU_ASSERT(strncmp(err.msg, prefix, strlen(prefix)) == 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, t[i].want));
		if (strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
		    strstr(err.msg, t[i].want) == NULL)
			fprintf(stderr, "\n  case %zu: got '%s'\n  want '%s%s'\n",
			    i, err.msg, prefix, t[i].want);
		CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
		check_no_leak(err.msg, LEAK_B64);
		CU_ASSERT_EQUAL(k.secret_len, 0);
		unlink(path);
	}
}

#define KNOT_A	"key:\n  - id: a\n    algorithm: hmac-sha256\n    secret: "

static void
test_knot_errors(void)
{
	static char too_long[1300];
	static const struct error_case t[] = {
		{ "key:\n  - id: a\n    algorithm: hmac-sha256\n", NULL, 2,
		  "key 'a.': missing secret" },
		{ "key:\n  - id: a\n    secret: " LEAK_B64 "\n  - id: b\n", NULL,
		  2, "key 'a.': missing algorithm" },
		{ "key:\n  - id: a\n    algorithm: hmac-sha256\n    secret: "
		  "\"\"\n", NULL, 4, "key 'a.': secret is empty" },
		{ KNOT_A "\n", NULL, 4, "secret: value expected" },
		{ KNOT_A "# " LEAK_B64 "\n", NULL, 4, "secret: value expected" },
		{ KNOT_A "c2VjcmV0!!LXRoYXQtbXVzdC1ub3QtbGVhaw==\n", NULL, 4,
		  "key 'a.': secret is not valid base64" },
		{ KNOT_A "c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw\n", NULL, 4,
		  "key 'a.': secret is not valid base64" },
		{ KNOT_A "\"c2VjcmV0LXRoYXQ=tbXVzdC1ub3QtbGVhaw==\"\n", NULL, 4,
		  "not valid base64" },
		{ "key:\n  - id: a\n    algorithm: hmac-sha256\n    secret:"
		  LEAK_B64 "\n", NULL, 4, "secret: expected a blank after ':'" },
		{ KNOT_A LEAK_B64 " " LEAK_B64 "\n", NULL, 4,
		  "secret: unexpected text after the value" },
		{ KNOT_A LEAK_B64 "#x\n", NULL, 4,
		  "secret: unexpected text after the value" },
		{ KNOT_A "\"" LEAK_B64 "\"x\n", NULL, 4,
		  "secret: unexpected text after the value" },
		{ KNOT_A "\"" LEAK_B64 "\n", NULL, 4,
		  "secret: unterminated string" },
		{ KNOT_A "[ " LEAK_B64 " ]\n", NULL, 4,
		  "secret: one value expected, not a list" },
		{ "key:\n  - id: a\n    algorithm: hmac-foo\n    secret: " LEAK_B64
		  "\n", NULL, 3, "key 'a.': unknown algorithm 'hmac-foo' "
		  "(supported: hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, "
		  "hmac-sha384, hmac-sha512)" },
		{ "key:\n  - id: a\n    algorithm:\n    secret: " LEAK_B64 "\n",
		  NULL, 3, "algorithm: value expected" },
		/* Secret in the wrong place: reported, not echoed. */
		{ "key:\n  - id: a\n    algorithm: " LEAK_B64 "\n", NULL, 3,
		  "key 'a.': unknown algorithm (supported:" },
		{ "key:\n  - id: a\n    algorithm: hmac-md5\n    " LEAK_B64 "\n",
		  NULL, 4, "key 'a.': expected 'option: value'" },
		{ "key:\n  - id: a\n    algorithm: hmac-md5\n    secretC2Vj: "
		  LEAK_B64 "\n", NULL, 4, "key 'a.': expected algorithm, secret "
		  "or comment" },
		{ "key:\n  - id: a\n    algorithm: hmac-md5\n    secrets: "
		  LEAK_B64 "\n", NULL, 4, "key 'a.': unknown option 'secrets' "
		  "(expected algorithm, secret or comment)" },
		{ KNOT_A LEAK_B64 "\n    algorithm: hmac-md5\n", NULL, 5,
		  "key 'a.': algorithm given twice" },
		{ KNOT_A LEAK_B64 "\n    secret: " LEAK_B64 "\n", NULL, 5,
		  "key 'a.': secret given twice" },
		{ KNOT_A LEAK_B64 "\n    id: b\n", NULL, 5,
		  "key 'a.': id given twice" },
		{ "key:\n  - id: a\n    algorithm: hmac-md5\n      secret: "
		  LEAK_B64 "\n", NULL, 4, "key 'a.': indented unlike its 'id' "
		  "(line 2)" },
		{ "key:\n  - id: a\n    algorithm: hmac-md5\n   secret: "
		  LEAK_B64 "\n", NULL, 4, "indented unlike its 'id'" },
		{ "key:\n    algorithm: hmac-md5\n", NULL, 2, "key: expected "
		  "'- id: name' before the options of a key" },
		{ "key:\n  - algorithm: hmac-md5\n", NULL, 2,
		  "key: expected '- id: name'" },
		{ "key:\n  -id: a\n", NULL, 2, "key: expected '- id: name'" },
		{ "key:\n  - id:\n    algorithm: hmac-md5\n", NULL, 2,
		  "key: '- id:' without a key name" },
		{ "key:\n  - id: a..b\n", NULL, 2,
		  "key: key name has an empty label" },
		{ "key:\n  - id: \"\"\n", NULL, 2, "key: empty key name" },
		{ "key: a\n", NULL, 1, "'key:' takes '- id:' items, not a value" },
		{ "key:\n\t- id: a\n", NULL, 2,
		  "tab in the indentation (Knot allows only spaces)" },
		{ "key:\n  \t- id: a\n", NULL, 2, "tab in the indentation" },
		{ "  key:\n  - id: a\n", NULL, 1,
		  "expected a section such as 'key:' in the first column" },
		{ "- id: a\n  algorithm: hmac-md5\n", NULL, 1,
		  "expected a section such as 'key:' in the first column" },
		{ "server:\n  listen: 1\nnot a section\n", NULL, 3,
		  "expected a section such as 'key:'" },
		{ KNOT_A LEAK_B64 "\nserver:x\n", NULL, 5,
		  "server: expected a blank after ':'" },
		{ KNOT_A LEAK_B64 "\n  - id: \"A.\"\n    algorithm: hmac-sha1\n"
		  "    secret: " LEAK_B64 "\n", NULL, 5,
		  "duplicate key 'a.' (first on line 2)" },
		{ KNOT_A LEAK_B64 "\nkey:\n- id: b\n  algorithm: hmac-sha1\n"
		  "  secret: " LEAK_B64 "\n", NULL, 6, "more than one key (a., "
		  "b.): say which one to use" },
		{ KNOT_A LEAK_B64 "\n  - id: b\n    algorithm: hmac-sha1\n"
		  "    secret: " LEAK_B64 "\n", "c", 0,
		  "no key 'c.' (found: a., b.)" },
		/* An error in a key we do not want is still an error. */
		{ KNOT_A LEAK_B64 "\n  - id: b\n    algorithm: hmac-sha1\n",
		  "a", 5, "key 'b.': missing secret" },
		{ "server:\n  listen: 127.0.0.1@53\n", NULL, 0, "no key found "
		  "(expected a 'key:' section of '- id:' items)" },
		{ "# hmac-md5:a:" LEAK_B64 "\nkey:\n#  - id: a\n", NULL, 0,
		  "no key found" },
		{ KNOT_A LEAK_B64 "\n", "bad..name", 0,
		  "key name has an empty label" },
		{ too_long, NULL, 4, "secret: value too long" },
	};

	snprintf(too_long, sizeof(too_long), "%s%01100d\n", KNOT_A, 0);
	check_errors(t, sizeof(t) / sizeof(t[0]));
}

static void
test_y_file_errors(void)
{
	static const struct error_case t[] = {
		{ "hmac-foo:n:" LEAK_B64 "\n", NULL, 1, "unknown algorithm "
		  "'hmac-foo' (supported: hmac-md5, " },
		{ "n:c2VjcmV0!!\n", NULL, 1, "secret is not valid base64" },
		{ "n:c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw\n", NULL, 1,
		  "secret is not valid base64" },
		{ "# comment\n\nhmac-sha256:n:\n", NULL, 3, "secret is empty" },
		/* "n:" alone looks like a section of Knot's syntax. */
		{ "n:\n", NULL, 0, "no key found (expected a 'key:' section" },
		{ "a:b:c:" LEAK_B64 "\n", NULL, 1, "expected [alg:]name:secret "
		  "(too many ':')" },
		{ "n..x:" LEAK_B64, NULL, 1, "key name has an empty label" },
		{ "hmac-sha256::" LEAK_B64, NULL, 1, "empty key name" },
		{ ":n:" LEAK_B64, NULL, 1, "empty algorithm" },
		/* Secret where the name should be: neither is shown. */
		{ LEAK_B64 ":" LEAK_B64 ":" LEAK_B64, NULL, 1,
		  "unknown algorithm (supported:" },
		{ "a:" LEAK_B64 "\nhmac-sha256: b:" LEAK_B64 "\n", "a", 2,
		  "key name has characters we do not support" },
		{ "a:" LEAK_B64 "\nnot a key\n", "a", 2,
		  "expected [alg:]name:secret" },
		{ "a:" LEAK_B64 "\nA.:" LEAK_B64 "\n", NULL, 2,
		  "duplicate key 'a.' (first on line 1)" },
		{ "a:" LEAK_B64 "\nb:" LEAK_B64 "\n", NULL, 2,
		  "more than one key (a., b.): say which one to use" },
		{ "a:" LEAK_B64 "\n", "c", 0, "no key 'c.' (found: a.)" },
		/* A bare secret is no key (read as named.conf). */
		{ LEAK_B64 "\n", NULL, 0, "no key statement found" },
	};

	check_errors(t, sizeof(t) / sizeof(t[0]));
}

/* Hand-made bad files in tests/data/keys: Knot rejects them too. */
static void
test_bad_fixtures(void)
{
	static const struct {
		const char	*file;
		int		 line;
		const char	*want;
		const char	*b64;	/* must not show */
	} t[] = {
		{ "knot-bad-duplicate.conf", 6, "duplicate key "
		  "'dup.example.test.' (first on line 3)",
		  "RQQDCc2Dh/D7iHXLGr98UL6daDt9yGsZ9DbfF2Dtw+g=" },
		{ "knot-bad-no-secret.conf", 3,
		  "key 'nosecret.example.test.': missing secret", "" },
		{ "knot-bad-algorithm.conf", 4, "key 'badalg.example.test.': "
		  "unknown algorithm 'hmac-sha3' (supported: ",
		  "NRZn3QhrgZVP7g4l+TGhWxwAnZX2tD2TV3/dZLq9t8I=" },
		{ "knot-bad-base64.conf", 5, "key 'badb64.example.test.': "
		  "secret is not valid base64",
		  "NRZn3QhrgZVP7g4l+TGhWxwAnZX2tD2TV3/dZLq9t8" },
		{ "knsupdate-bad.key", 1, "expected [alg:]name:secret (too many "
		  "':')", "NRZn3QhrgZVP7g4l+TGhWxwAnZX2tD2TV3/dZLq9t8I=" },
	};
	struct tsig_key k;
	struct error err;
	char path[512], prefix[600];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(path, sizeof(path), KEYS "%s", t[i].file);
		snprintf(prefix, sizeof(prefix), "%s:%d: %s", path, t[i].line,
		    t[i].want);
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(key_load_file(path, NULL, &k, NULL, &err), -1);
		CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
		CU_ASSERT(strncmp(err.msg, prefix, strlen(prefix)) == 0);
		if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
			fprintf(stderr, "\n  %s: got '%s'\n", t[i].file, err.msg);
		CU_ASSERT_EQUAL(k.secret_len, 0);
		if (t[i].b64[0] != '\0')
			check_no_leak(err.msg, t[i].b64);
		check_no_leak(err.msg, LEAK_B64);
	}
}

/* Limits: secrets up to TSIG_MAX_SECRET bytes, no more, in every format. */
static void
test_secret_size(void)
{
	static const size_t sizes[] = { 1, 16, 64, TSIG_MAX_SECRET,
	    TSIG_MAX_SECRET + 1, 700 };
	static const struct {
		const char	*before, *after;	/* the base64 secret */
		const char	*want;	/* when it is too long */
	} formats[] = {
		{ "key s {\n algorithm hmac-sha256;\n secret \"", "\";\n};\n",
		  ":3: key 's.': secret is longer than 512 bytes" },
		{ "key:\n  - id: s\n    algorithm: hmac-sha256\n    secret: ",
		  "\n", ":4: key 's.': secret is longer than 512 bytes" },
		{ "# c\nhmac-sha256:s:", "\n",
		  ":2: secret is longer than 512 bytes" },
	};
	unsigned char raw[800];
	char b64[1200], conf[1400], path[128];
	struct tsig_key k;
	struct error err;
	size_t i, f;
	int rc;

	memset(raw, 0x5a, sizeof(raw));
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		EVP_EncodeBlock((unsigned char *)b64, raw, (int)sizes[i]);
		snprintf(conf, sizeof(conf), "%s%s%s", formats[f].before, b64,
		    formats[f].after);
		write_tmp(conf, 0600, path, sizeof(path));
		rc = key_load_file(path, NULL, &k, NULL, &err);
		if (sizes[i] <= TSIG_MAX_SECRET) {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_EQUAL(k.secret_len, sizes[i]);
		} else {
			CU_ASSERT_EQUAL(rc, -1);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, formats[f].want));
			if (strstr(err.msg, formats[f].want) == NULL)
				fprintf(stderr, "\n  format %zu: %s\n", f,
				    err.msg);
			check_no_leak(err.msg, b64);
			CU_ASSERT_PTR_NULL(strstr(err.msg, "WlpaWlpa"));
		}
		tsig_key_clean(&k);
		unlink(path);
	}
}

static void
test_file_errors(void)
{
	struct tsig_key k;
	struct error err;
	char path[128];

	snprintf(path, sizeof(path), "%s/does-not-exist.key", tmpdir);
	CU_ASSERT_EQUAL(key_load_file(path, NULL, &k, NULL, &err), -1);
	CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
	{
		char want[256];

		snprintf(want, sizeof(want), "%s: No such file or directory",
		    path);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
	}
	CU_ASSERT_EQUAL(key_load_file(tmpdir, NULL, &k, NULL, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is a directory"));
	CU_ASSERT_EQUAL(key_load_file("/dev/null", NULL, &k, NULL, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a regular file"));

	/* A NUL inside the secret string must not cut it short silently. */
	{
		static const char conf[] = "key a { algorithm hmac-md5; "
		    "secret \"c2Vj\0cmV0\"; };";
		FILE *f;

		snprintf(path, sizeof(path), "%s/nul.key", tmpdir);
		CU_ASSERT_FATAL((f = fopen(path, "w")) != NULL);
		CU_ASSERT(fwrite(conf, 1, sizeof(conf) - 1, f) ==
		    sizeof(conf) - 1);
		fclose(f);
		CU_ASSERT_EQUAL(key_load_file(path, NULL, &k, NULL, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "NUL byte"));
		unlink(path);
	}
}

/* Other READ makes the permissions loose; group read (0640 root:rollcall)
 * and write alone do not. */
static void
test_loose_perms(void)
{
	static const struct {
		mode_t	 mode;
		bool	 loose;
	} t[] = {
		{ 0600, false }, { 0400, false }, { 0700, false },
		{ 0620, false }, { 0602, false }, { 0610, false },
		{ 0640, false }, { 0660, false }, { 0604, true }, { 0644, true },
	};
	static const char *confs[] = {
		"key a { algorithm hmac-md5; secret \"" LEAK_B64 "\"; };",
		"key:\n  - id: a\n    algorithm: hmac-md5\n    secret: "
		LEAK_B64 "\n",
		"hmac-md5:a:" LEAK_B64 "\n",
	};
	struct tsig_key k;
	struct error err;
	char path[128];
	bool loose;
	size_t i, c;

	for (c = 0; c < sizeof(confs) / sizeof(confs[0]); c++)
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		write_tmp(confs[c], t[i].mode, path, sizeof(path));
		loose = !t[i].loose;
		CU_ASSERT_EQUAL(key_load_file(path, NULL, &k, &loose, &err), 0);
		CU_ASSERT_EQUAL(loose, t[i].loose);
		tsig_key_clean(&k);
		unlink(path);
	}
}

static void
test_parse_y(void)
{
	static const struct {
		const char	*arg;
		int		 rc;
		const char	*name;
		enum tsig_alg	 alg;
		const char	*want;	/* error text */
	} t[] = {
		{ "name:" LEAK_B64, 0, "name.", TSIG_HMAC_SHA256, NULL },
		{ "Host.Example.:" LEAK_B64, 0, "host.example.", TSIG_HMAC_SHA256,
		  NULL },
		{ "hmac-sha512:n.example:" LEAK_B64, 0, "n.example.",
		  TSIG_HMAC_SHA512, NULL },
		{ "hmac-md5:n:" LEAK_B64, 0, "n.", TSIG_HMAC_MD5, NULL },
		{ "HMAC-MD5.SIG-ALG.REG.INT:n:" LEAK_B64, 0, "n.", TSIG_HMAC_MD5,
		  NULL },
		{ "hmac-sha224.:n:" LEAK_B64, 0, "n.", TSIG_HMAC_SHA224, NULL },
		{ "hmac-sha1:n:" LEAK_B64, 0, "n.", TSIG_HMAC_SHA1, NULL },
		{ "hmac-sha384:n:" LEAK_B64, 0, "n.", TSIG_HMAC_SHA384, NULL },
		{ "hmac-foo:n:" LEAK_B64, -1, NULL, 0,
		  "unknown algorithm 'hmac-foo' (supported: hmac-md5, " },
		{ "n", -1, NULL, 0, "expected [alg:]name:secret" },
		{ LEAK_B64, -1, NULL, 0, "expected [alg:]name:secret" },
		{ "", -1, NULL, 0, "expected [alg:]name:secret" },
		{ "n:", -1, NULL, 0, "secret is empty" },
		{ ":" LEAK_B64, -1, NULL, 0, "empty key name" },
		{ "hmac-sha256::" LEAK_B64, -1, NULL, 0, "empty key name" },
		{ ":n:" LEAK_B64, -1, NULL, 0, "empty algorithm" },
		{ "n:c2VjcmV0!!", -1, NULL, 0, "secret is not valid base64" },
		{ "n:c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw", -1, NULL, 0,
		  "secret is not valid base64" },
		{ "a:b:c:" LEAK_B64, -1, NULL, 0, "expected [alg:]name:secret "
		  "(too many ':')" },
		{ "n..x:" LEAK_B64, -1, NULL, 0, "key name has an empty "
		  "label" },
		/* Secret where the name should be: neither is shown. */
		{ "hmac-sha256:" LEAK_B64 ":", -1, NULL, 0, "secret is empty" },
		{ LEAK_B64 ":" LEAK_B64 ":" LEAK_B64, -1, NULL, 0,
		  "unknown algorithm (supported:" },
	};
	struct tsig_key k;
	struct error err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(key_parse_y(t[i].arg, &k, &err), t[i].rc);
		if (t[i].rc == 0) {
			CU_ASSERT_STRING_EQUAL(k.name, t[i].name);
			CU_ASSERT_EQUAL(k.alg, t[i].alg);
			CU_ASSERT_EQUAL(k.secret_len, strlen(LEAK_RAW));
			CU_ASSERT(memcmp(k.secret, LEAK_RAW, k.secret_len) == 0);
		} else {
			CU_ASSERT_EQUAL(err.kind, ERR_USAGE);
			/* One line; main() prefixes "-y: ". */
			CU_ASSERT(strncmp(err.msg, t[i].want,
			    strlen(t[i].want)) == 0);
			CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
			if (strstr(err.msg, t[i].want) == NULL)
				fprintf(stderr, "\n  case %zu: got '%s'\n", i,
				    err.msg);
			CU_ASSERT_EQUAL(k.secret_len, 0);
			check_no_leak(err.msg, LEAK_B64);
		}
		tsig_key_clean(&k);
		CU_ASSERT_EQUAL(k.secret_len, 0);
	}
}

void
suite_key(void)
{
	CU_pSuite s = test_add_suite("key");

	/* A private temporary directory for the table-driven files. */
	if (CU_set_suite_initfunc(s, key_init) != CUE_SUCCESS ||
	    CU_set_suite_cleanupfunc(s, key_cleanup) != CUE_SUCCESS) {
		fprintf(stderr, "cannot set up suite key\n");
		exit(2);
	}
	test_add(s, "tsig-keygen and ddns-confgen output",
	    test_tsig_keygen_files);
	test_add(s, "named.conf excerpt with three keys", test_named_snippet);
	test_add(s, "syntax variants", test_good_variants);
	test_add(s, "errors with line numbers, no secret", test_errors);
	test_add(s, "keymgr -t output and knsupdate -k lines",
	    test_knot_tool_files);
	test_add(s, "keymgr -t comment line is the same key",
	    test_keymgr_comment_line);
	test_add(s, "knot.conf excerpt with three keys", test_knot_snippet);
	test_add(s, "knot syntax variants", test_knot_variants);
	test_add(s, "knot syntax errors with line numbers, no secret",
	    test_knot_errors);
	test_add(s, "knsupdate -k line and format detection",
	    test_y_file_variants);
	test_add(s, "knsupdate -k line errors, no secret", test_y_file_errors);
	test_add(s, "hand-made bad files", test_bad_fixtures);
	test_add(s, "secret size limits", test_secret_size);
	test_add(s, "missing file, directory, device", test_file_errors);
	test_add(s, "loose permissions", test_loose_perms);
	test_add(s, "-y [alg:]name:secret", test_parse_y);
}
