/*
 * test_key.c - key files (named.conf syntax) and nsupdate's -y argument.
 *
 * Fixtures in tests/data/keys/ are the verbatim output of BIND's
 * tsig-keygen and ddns-confgen (test keys).  Error cases are written to a
 * temporary file from a table, next to the line the message must name.
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

/* Limits: secrets up to TSIG_MAX_SECRET bytes, no more. */
static void
test_secret_size(void)
{
	static const size_t sizes[] = { 1, 16, 64, TSIG_MAX_SECRET,
	    TSIG_MAX_SECRET + 1, 700 };
	unsigned char raw[800];
	char b64[1200], conf[1400], path[128];
	struct tsig_key k;
	struct error err;
	size_t i;
	int rc;

	memset(raw, 0x5a, sizeof(raw));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		EVP_EncodeBlock((unsigned char *)b64, raw, (int)sizes[i]);
		snprintf(conf, sizeof(conf), "key s {\n algorithm hmac-sha256;\n"
		    " secret \"%s\";\n};\n", b64);
		write_tmp(conf, 0600, path, sizeof(path));
		rc = key_load_file(path, NULL, &k, NULL, &err);
		if (sizes[i] <= TSIG_MAX_SECRET) {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_EQUAL(k.secret_len, sizes[i]);
		} else {
			CU_ASSERT_EQUAL(rc, -1);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":3: key 's.': "
			    "secret is longer than 512 bytes"));
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

/* Group or other READ makes the permissions loose; write alone does not. */
static void
test_loose_perms(void)
{
	static const struct {
		mode_t	 mode;
		bool	 loose;
	} t[] = {
		{ 0600, false }, { 0400, false }, { 0700, false },
		{ 0620, false }, { 0602, false }, { 0610, false },
		{ 0640, true }, { 0604, true }, { 0644, true }, { 0660, true },
	};
	const char *conf = "key a { algorithm hmac-md5; secret \"" LEAK_B64
	    "\"; };";
	struct tsig_key k;
	struct error err;
	char path[128];
	bool loose;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		write_tmp(conf, t[i].mode, path, sizeof(path));
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
	test_add(s, "secret size limits", test_secret_size);
	test_add(s, "missing file, directory, device", test_file_errors);
	test_add(s, "loose permissions", test_loose_perms);
	test_add(s, "-y [alg:]name:secret", test_parse_y);
}
