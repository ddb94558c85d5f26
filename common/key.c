/*
 * key.c - TSIG keys from key files and from nsupdate -y.
 *
 * A key file is one of three formats, told apart by its first line that is
 * neither blank nor a '#' comment:
 *  - named.conf syntax, as tsig-keygen and ddns-confgen print it, or a
 *    named.conf snippet: `key` statements are read, every other statement
 *    is skipped;
 *  - Knot's configuration syntax, as `keymgr -t` prints it: a `key:`
 *    section of `- id:` items; other sections are skipped;
 *  - the line knsupdate -k reads, [alg:]name:secret, as for -y.
 * No error message may contain the secret, so syntax errors describe what
 * was expected instead of echoing the token that was found.
 */
#include "key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define KEY_FILE_MAX	(1024 * 1024)	/* a named.conf snippet at most */
#define TOKEN_MAX	1024		/* > base64 of TSIG_MAX_SECRET bytes */
#define NAMES_SHOWN	256		/* room for key names in messages */

enum tok {
	T_EOF,
	T_WORD,
	T_STRING,
	T_LBRACE,
	T_RBRACE,
	T_SEMI,
	T_ERR,
};

struct lexer {
	const char	*path;
	const char	*p, *end;
	int		 line;
	enum tok	 type;
	int		 tok_line;
	char		 text[TOKEN_MAX];	/* may hold the secret: cleansed */
	size_t		 len;
	struct error	*err;
};

/* Key names seen so far, for duplicates and for listing in errors. */
struct seen_key {
	char	 name[256];
	int	 line;
};

struct key_parse {
	const char	*want;		/* normalised name, or NULL */
	struct seen_key	*seen;
	size_t		 nseen;
	struct tsig_key	 key;		/* the chosen one */
	bool		 have_key;
	int		 second_line;	/* line of the 2nd key (want NULL) */
};

static const char supported_algs[] = "hmac-md5, hmac-sha1, hmac-sha224, "
    "hmac-sha256, hmac-sha384, hmac-sha512";

static int
lex_error(struct lexer *lx, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "PATH:LINE: message", the form of every key file error. */
static int
file_error(struct error *err, const char *path, int line, const char *fmt,
    va_list ap) __attribute__((format(printf, 4, 0)));

static int
file_error(struct error *err, const char *path, int line, const char *fmt,
    va_list ap)
{
	char msg[sizeof(err->msg)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return err_set(err, ERR_CONFIG, "%s:%d: %s", path, line, msg);
}

static int
lex_error(struct lexer *lx, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	file_error(lx->err, lx->path, line, fmt, ap);
	va_end(ap);
	lx->type = T_ERR;
	return -1;
}

/* Skip blanks and the three comment styles of named.conf. */
static int
skip_space(struct lexer *lx)
{
	int start;

	while (lx->p < lx->end) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r' ||
		    *lx->p == '\f' || *lx->p == '\v') {
			lx->p++;
		} else if (*lx->p == '#' || (*lx->p == '/' &&
		    lx->p + 1 < lx->end && lx->p[1] == '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (*lx->p == '/' && lx->p + 1 < lx->end &&
		    lx->p[1] == '*') {
			start = lx->line;
			for (lx->p += 2; ; lx->p++) {
				if (lx->p + 1 >= lx->end) {
					return lex_error(lx, start,
					    "unterminated comment");
				}
				if (*lx->p == '\n')
					lx->line++;
				else if (lx->p[0] == '*' && lx->p[1] == '/')
					break;
			}
			lx->p += 2;
		} else
			break;
	}
	return 0;
}

static bool
word_char(const struct lexer *lx, const char *q)
{
	switch (*q) {
	case ' ': case '\t': case '\r': case '\n': case '\f': case '\v':
	case '{': case '}': case ';': case '"': case '#': case '\0':
		return false;
	case '/':
		return !(q + 1 < lx->end && (q[1] == '/' || q[1] == '*'));
	default:
		return true;
	}
}

static int
lex_string(struct lexer *lx)
{
	lx->p++;			/* opening quote */
	for (;;) {
		/* Reported where the string starts, wherever it ends. */
		if (lx->p >= lx->end)
			return lex_error(lx, lx->tok_line,
			    "unterminated string");
		if (*lx->p == '"')
			break;
		if (*lx->p == '\\' && lx->p + 1 < lx->end)
			lx->p++;	/* \" and \\ stand for the character */
		if (*lx->p == '\n')
			lx->line++;	/* a long secret may span lines */
		if (lx->len + 1 >= sizeof(lx->text))
			return lex_error(lx, lx->tok_line, "string too long");
		lx->text[lx->len++] = *lx->p++;
	}
	lx->p++;
	lx->text[lx->len] = '\0';
	lx->type = T_STRING;
	return 0;
}

/* Read the next token into lx->type / lx->text.  Returns -1 on error. */
static int
lex_next(struct lexer *lx)
{
	lx->len = 0;
	lx->text[0] = '\0';
	if (skip_space(lx) < 0)
		return -1;
	lx->tok_line = lx->line;
	if (lx->p >= lx->end) {
		lx->type = T_EOF;
		return 0;
	}
	switch (*lx->p) {
	case '{':
		lx->p++;
		lx->type = T_LBRACE;
		return 0;
	case '}':
		lx->p++;
		lx->type = T_RBRACE;
		return 0;
	case ';':
		lx->p++;
		lx->type = T_SEMI;
		return 0;
	case '"':
		return lex_string(lx);
	}
	while (lx->p < lx->end && word_char(lx, lx->p)) {
		if (lx->len + 1 >= sizeof(lx->text))
			return lex_error(lx, lx->tok_line, "word too long");
		lx->text[lx->len++] = *lx->p++;
	}
	lx->text[lx->len] = '\0';
	lx->type = T_WORD;
	return 0;
}

/*
 * Whether a token may be shown in an error message: only what looks like a
 * named.conf keyword or algorithm name (lower case, digits, '-', '.'), and
 * short.  A misplaced base64 secret is long and has upper case in practice.
 */
static bool
showable(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '.'))
			return false;
	return true;
}

/*
 * Normalise a key name: lower case, trailing dot, RFC 1035 2.3.4 lengths.
 * Returns NULL or the reason it is not acceptable.
 */
static const char *
normalise_name(const char *in, char out[256])
{
	size_t n = strlen(in), i, lab = 0;

	if (n == 0 || strcmp(in, ".") == 0)
		return "empty key name";
	if (n + (in[n - 1] != '.') > 254)
		return "key name too long";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c <= ' ' || c >= 0x7f || c == '\\' || c == '"')
			return "key name has characters we do not support";
		if (c == '.') {
			if (lab == 0)
				return "key name has an empty label";
			lab = 0;
		} else if (++lab > 63)
			return "key name has a label longer than 63";
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
	}
	if (out[n - 1] != '.')
		out[n++] = '.';
	out[n] = '\0';
	return NULL;
}

/*
 * Strict base64 (RFC 4648 4): whitespace is ignored (as BIND does), then
 * the length must be a multiple of 4 with at most two '=' at the end.
 * EVP_DecodeBlock alone would accept misplaced '=', hence the checks.
 * Returns the decoded length, -1 for bad base64, -2 for too long.
 */
static int
b64_decode(const char *in, unsigned char *out, size_t out_cap)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char clean[TOKEN_MAX];
	unsigned char tmp[TOKEN_MAX];
	size_t n = 0, pad = 0, i, dec;
	int r = -1;

	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
			continue;
		if (n >= sizeof(clean))
			goto out;
		clean[n++] = *in;
	}
	if (n == 0 || n % 4 != 0)
		goto out;
	while (pad < 2 && clean[n - 1 - pad] == '=')
		pad++;
	for (i = 0; i < n - pad; i++)
		if (clean[i] == '\0' || strchr(alphabet, clean[i]) == NULL)
			goto out;
	dec = n / 4 * 3 - pad;
	if (dec > out_cap) {
		r = -2;
		goto out;
	}
	if (EVP_DecodeBlock(tmp, (unsigned char *)clean, (int)n) !=
	    (int)(n / 4 * 3))
		goto out;
	memcpy(out, tmp, dec);
	r = (int)dec;
out:
	OPENSSL_cleanse(clean, sizeof(clean));
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return r;
}

/* Decode a secret into key; reason for failure, never the secret itself. */
static const char *
set_secret(struct tsig_key *key, const char *b64)
{
	int n;

	if (*b64 == '\0')
		return "secret is empty";
	n = b64_decode(b64, key->secret, sizeof(key->secret));
	if (n == -2)
		return "secret is longer than 512 bytes";
	if (n < 0)
		return "secret is not valid base64";
	if (n == 0)
		return "secret is empty";
	key->secret_len = (size_t)n;
	return NULL;
}

static void
list_names(const struct key_parse *kp, char *out, size_t outsz)
{
	size_t i, o = 0;
	int n;

	out[0] = '\0';
	for (i = 0; i < kp->nseen; i++) {
		n = snprintf(out + o, outsz - o, "%s%s", i ? ", " : "",
		    kp->seen[i].name);
		if (n < 0 || (size_t)n >= outsz - o) {
			memcpy(out + outsz - 4, "...", 4);	/* cut short */
			return;
		}
		o += (size_t)n;
	}
}

/* The value of `algorithm` or `secret`, then ';'. */
static int
clause_value(struct lexer *lx, const char *clause, char *out, size_t outsz)
{
	int line = lx->tok_line;

	if (lex_next(lx) < 0)
		return -1;
	if (lx->type != T_WORD && lx->type != T_STRING)
		return lex_error(lx, line, "%s: value expected", clause);
	if (lx->len >= outsz)
		return lex_error(lx, line, "%s: value too long", clause);
	memcpy(out, lx->text, lx->len + 1);
	OPENSSL_cleanse(lx->text, sizeof(lx->text));
	if (lex_next(lx) < 0)
		return -1;
	if (lx->type != T_SEMI)
		return lex_error(lx, lx->tok_line, "expected ';' after %s",
		    clause);
	return 0;
}

static int
key_algorithm(struct lexer *lx, const char *name, struct tsig_key *key,
    bool *have)
{
	char val[TOKEN_MAX];
	int line = lx->tok_line;

	if (*have)
		return lex_error(lx, line, "key '%s': algorithm given twice",
		    name);
	if (clause_value(lx, "algorithm", val, sizeof(val)) < 0)
		return -1;
	if (tsig_alg_from_name(val, &key->alg) < 0) {
		if (showable(val))
			return lex_error(lx, line, "key '%s': unknown algorithm "
			    "'%s' (supported: %s)", name, val, supported_algs);
		return lex_error(lx, line, "key '%s': unknown algorithm "
		    "(supported: %s)", name, supported_algs);
	}
	*have = true;
	return 0;
}

static int
key_secret(struct lexer *lx, const char *name, struct tsig_key *key,
    bool *have)
{
	char val[TOKEN_MAX];
	const char *why;
	int line = lx->tok_line, rc = 0;

	if (*have)
		return lex_error(lx, line, "key '%s': secret given twice", name);
	if (clause_value(lx, "secret", val, sizeof(val)) < 0)
		rc = -1;
	else if ((why = set_secret(key, val)) != NULL)
		rc = lex_error(lx, line, "key '%s': %s", name, why);
	OPENSSL_cleanse(val, sizeof(val));
	*have = rc == 0;
	return rc;
}

/* The clauses between '{' and '}' of a key statement. */
static int
key_body(struct lexer *lx, const char *name, struct tsig_key *key)
{
	bool have_alg = false, have_secret = false;
	int line = lx->tok_line;

	for (;;) {
		if (lex_next(lx) < 0)
			return -1;
		if (lx->type == T_RBRACE)
			break;
		if (lx->type == T_EOF)
			return lex_error(lx, line, "key '%s': missing '}'", name);
		if (lx->type == T_WORD && strcasecmp(lx->text, "algorithm") == 0) {
			if (key_algorithm(lx, name, key, &have_alg) < 0)
				return -1;
		} else if (lx->type == T_WORD &&
		    strcasecmp(lx->text, "secret") == 0) {
			if (key_secret(lx, name, key, &have_secret) < 0)
				return -1;
		} else if (lx->type == T_WORD && showable(lx->text)) {
			return lex_error(lx, lx->tok_line, "key '%s': unknown "
			    "option '%s' (expected algorithm or secret)", name,
			    lx->text);
		} else
			return lex_error(lx, lx->tok_line, "key '%s': expected "
			    "algorithm or secret", name);
	}
	if (!have_alg)
		return lex_error(lx, line, "key '%s': missing algorithm", name);
	if (!have_secret)
		return lex_error(lx, line, "key '%s': missing secret", name);
	return 0;
}

/* A complete key of any format, found at `line` of path. */
static int
remember_key(const char *path, struct error *err, struct key_parse *kp,
    const char *name, int line, const struct tsig_key *key)
{
	struct seen_key *s;
	size_t i;

	for (i = 0; i < kp->nseen; i++)
		if (strcmp(kp->seen[i].name, name) == 0)
			return err_set(err, ERR_CONFIG, "%s:%d: duplicate key "
			    "'%s' (first on line %d)", path, line, name,
			    kp->seen[i].line);
	s = reallocarray(kp->seen, kp->nseen + 1, sizeof(*s));
	if (s == NULL)
		return err_set(err, ERR_SYS, "%s: out of memory", path);
	kp->seen = s;
	snprintf(s[kp->nseen].name, sizeof(s[kp->nseen].name), "%s", name);
	s[kp->nseen].line = line;
	kp->nseen++;
	if (kp->want == NULL && kp->nseen == 2)
		kp->second_line = line;
	if (!kp->have_key && (kp->want == NULL || strcmp(kp->want, name) == 0)) {
		kp->key = *key;
		kp->have_key = true;
	}
	return 0;
}

/* key NAME { algorithm ALG; secret "B64"; }; -- the `key` word is read. */
static int
parse_key(struct lexer *lx, struct key_parse *kp)
{
	struct tsig_key key;
	const char *why;
	int line = lx->tok_line, rbrace, rc = -1;

	memset(&key, 0, sizeof(key));
	if (lex_next(lx) < 0)
		return -1;
	if (lx->type != T_WORD && lx->type != T_STRING)
		return lex_error(lx, line, "key: name expected");
	if ((why = normalise_name(lx->text, key.name)) != NULL)
		return lex_error(lx, line, "key: %s", why);
	if (lex_next(lx) < 0)
		return -1;
	if (lx->type != T_LBRACE)
		return lex_error(lx, lx->tok_line, "key '%s': expected '{'",
		    key.name);
	if (key_body(lx, key.name, &key) < 0)
		goto out;
	rbrace = lx->tok_line;
	if (lex_next(lx) < 0)
		goto out;
	if (lx->type != T_SEMI) {
		lex_error(lx, rbrace, "key '%s': expected ';' after '}'",
		    key.name);
		goto out;
	}
	rc = remember_key(lx->path, lx->err, kp, key.name, line, &key);
out:
	tsig_key_clean(&key);
	return rc;
}

/*
 * Skip a statement other than `key`, braces balanced, up to its ';'.  What
 * we skip is not ours to judge, and ddns-confgen ends its output with an
 * unterminated `nsupdate -k <keyfile>` line: so the end of the file, or the
 * word `key` outside braces, also ends a statement.  Returns 1 when it
 * stopped on such a `key` (parse it next), 0 otherwise, -1 on error.
 */
static int
skip_statement(struct lexer *lx)
{
	int depth = 0, line = lx->tok_line;

	for (;;) {
		switch (lx->type) {
		case T_SEMI:
			if (depth == 0)
				return 0;
			break;
		case T_LBRACE:
			depth++;
			break;
		case T_RBRACE:
			if (--depth < 0)
				return lex_error(lx, lx->tok_line,
				    "unexpected '}'");
			break;
		case T_EOF:
			if (depth == 0)
				return 0;
			return lex_error(lx, line, "statement has no closing "
			    "'}'");
		case T_ERR:
			return -1;
		default:
			break;
		}
		if (lex_next(lx) < 0)
			return -1;
		if (depth == 0 && lx->type == T_WORD &&
		    strcasecmp(lx->text, "key") == 0)
			return 1;
	}
}

static int
parse_all(struct lexer *lx, struct key_parse *kp)
{
	int r;

	if (lex_next(lx) < 0)
		return -1;
	while (lx->type != T_EOF) {
		if (lx->type == T_WORD && strcasecmp(lx->text, "key") == 0) {
			if (parse_key(lx, kp) < 0)
				return -1;
		} else if ((r = skip_statement(lx)) < 0)
			return -1;
		else if (r == 1)
			continue;	/* positioned on `key` */
		if (lx->type != T_EOF && lex_next(lx) < 0)
			return -1;
	}
	return 0;
}

/* --- line-based formats: Knot's configuration and knsupdate -k -------- */

struct lines {
	const char	*path;
	const char	*p, *end;	/* what is not read yet */
	int		 line;		/* number of the line last returned */
	struct error	*err;
};

static int
line_error(struct lines *ln, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
line_error(struct lines *ln, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	file_error(ln->err, ln->path, line, fmt, ap);
	va_end(ap);
	return -1;
}

/* The next line in [*s, *e), without its "\n" or "\r\n"; false at the end. */
static bool
next_line(struct lines *ln, const char **s, const char **e)
{
	const char *nl;

	if (ln->p >= ln->end)
		return false;
	*s = ln->p;
	if ((nl = memchr(ln->p, '\n', (size_t)(ln->end - ln->p))) == NULL)
		nl = ln->end;
	*e = nl;
	if (*e > *s && (*e)[-1] == '\r')
		(*e)--;
	ln->p = nl < ln->end ? nl + 1 : nl;
	ln->line++;
	return true;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A key of Knot's configuration: a section, item or option name. */
static bool
knot_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' ||
	    c == '*' || c == '\\' || c == '-';
}

/*
 * `name :` at *pp (Knot's yparser allows blanks before the ':').  Copies
 * the name (NUL-terminated, cut to fit) unless name is NULL, and leaves
 * *pp after the ':'.  Returns false when there is no name followed by ':'.
 * A misplaced secret may end up in name: the caller cleanses it.
 */
static bool
knot_key(const char **pp, const char *e, char *name, size_t cap)
{
	const char *p = *pp, *start = *pp;
	size_t n;

	if (p >= e || *p == '-')
		return false;
	while (p < e && knot_name_char(*p))
		p++;
	if (p == start)
		return false;
	if (name != NULL) {
		n = (size_t)(p - start) < cap - 1 ? (size_t)(p - start) :
		    cap - 1;
		memcpy(name, start, n);
		name[n] = '\0';
	}
	while (p < e && *p == ' ')
		p++;
	if (p >= e || *p != ':')
		return false;
	*pp = p + 1;
	return true;
}

/*
 * The value after `what:` (p is just after the ':') into out: nothing, a
 * plain word or a "string" with \-escapes, then blanks and an optional
 * '#' comment.  Returns 1 with a value, 0 without, -1 on error.  out may
 * hold the secret: the caller cleanses it.
 */
static int
knot_value(struct lines *ln, const char *p, const char *e, const char *what,
    char *out, size_t cap)
{
	size_t n = 0;
	bool quoted;

	out[0] = '\0';
	if (p < e && !blank(*p))	/* "secret:c2Vj" is no key: value */
		return line_error(ln, ln->line, "%s: expected a blank after "
		    "':'", what);
	while (p < e && blank(*p))
		p++;
	if (p >= e || *p == '#')
		return 0;
	if (*p == '[')
		return line_error(ln, ln->line, "%s: one value expected, not a "
		    "list", what);
	if ((quoted = *p == '"'))
		p++;
	for (; p < e; p++) {
		if (quoted ? *p == '"' : (blank(*p) || *p == '#'))
			break;
		if (*p == '\\' && p + 1 < e)
			p++;		/* \" and \\ stand for the character */
		if (n + 1 >= cap)
			return line_error(ln, ln->line, "%s: value too long",
			    what);
		out[n++] = *p;
	}
	out[n] = '\0';
	if (quoted && p >= e)
		return line_error(ln, ln->line, "%s: unterminated string",
		    what);
	if (quoted)
		p++;
	/* A comment needs a blank before it ("c2Vj#x" is an error in Knot). */
	if (p < e && !blank(*p))
		return line_error(ln, ln->line, "%s: unexpected text after the "
		    "value", what);
	while (p < e && blank(*p))
		p++;
	if (p < e && *p != '#')
		return line_error(ln, ln->line, "%s: unexpected text after the "
		    "value", what);
	return n > 0 || quoted ? 1 : 0;
}

/* The `- id:` item of a `key:` section being read. */
struct knot_item {
	struct tsig_key	 key;
	int		 line;		/* of "- id:" */
	size_t		 col;		/* of "id": its options align with it */
	bool		 open, have_alg, have_secret;
};

/* The item ends: at the next item or section, or at the end of the file. */
static int
knot_item_end(struct lines *ln, struct key_parse *kp, struct knot_item *it)
{
	int rc = 0;

	if (!it->open)
		return 0;
	if (!it->have_alg)
		rc = line_error(ln, it->line, "key '%s': missing algorithm",
		    it->key.name);
	else if (!it->have_secret)
		rc = line_error(ln, it->line, "key '%s': missing secret",
		    it->key.name);
	else
		rc = remember_key(ln->path, ln->err, kp, it->key.name, it->line,
		    &it->key);
	tsig_key_clean(&it->key);
	memset(it, 0, sizeof(*it));
	return rc;
}

/* `- id: name`, the first line of a key; p is on the '-'. */
static int
knot_item_start(struct lines *ln, const char *s, const char *p, const char *e,
    struct knot_item *it)
{
	char name[64], val[TOKEN_MAX];
	const char *why;
	int r;

	if (++p >= e || *p != ' ')
		return line_error(ln, ln->line, "key: expected '- id: name'");
	while (p < e && *p == ' ')
		p++;
	it->col = (size_t)(p - s);
	r = knot_key(&p, e, name, sizeof(name)) && strcasecmp(name, "id") == 0;
	OPENSSL_cleanse(name, sizeof(name));
	if (!r)
		return line_error(ln, ln->line, "key: expected '- id: name'");
	memset(&it->key, 0, sizeof(it->key));
	if ((r = knot_value(ln, p, e, "id", val, sizeof(val))) == 0)
		line_error(ln, ln->line, "key: '- id:' without a key name");
	else if (r > 0 && (why = normalise_name(val, it->key.name)) != NULL)
		line_error(ln, ln->line, "key: %s", why);
	else if (r > 0) {
		it->line = ln->line;
		it->open = true;
	}
	OPENSSL_cleanse(val, sizeof(val));	/* a misplaced secret? */
	return it->open ? 0 : -1;
}

/* `algorithm: alg`, `secret: base64` or `comment: text` of an item. */
static int
knot_option(struct lines *ln, const char *s, const char *p, const char *e,
    struct knot_item *it)
{
	char opt[64], val[TOKEN_MAX];
	const char *name = it->key.name, *why;
	size_t i;
	int r, rc = -1;

	if (!it->open)
		return line_error(ln, ln->line, "key: expected '- id: name' "
		    "before the options of a key");
	if ((size_t)(p - s) != it->col)
		return line_error(ln, ln->line, "key '%s': indented unlike its "
		    "'id' (line %d)", name, it->line);
	val[0] = '\0';
	if (!knot_key(&p, e, opt, sizeof(opt))) {
		line_error(ln, ln->line, "key '%s': expected 'option: value'",
		    name);
		goto out;
	}
	if (strcasecmp(opt, "id") == 0) {
		line_error(ln, ln->line, "key '%s': id given twice", name);
		goto out;
	}
	/* showable() before any case folding: it keeps secrets out. */
	if (strcasecmp(opt, "algorithm") != 0 &&
	    strcasecmp(opt, "secret") != 0 && strcasecmp(opt, "comment") != 0) {
		if (showable(opt))
			line_error(ln, ln->line, "key '%s': unknown option '%s' "
			    "(expected algorithm, secret or comment)", name, opt);
		else
			line_error(ln, ln->line, "key '%s': expected algorithm, "
			    "secret or comment", name);
		goto out;
	}
	for (i = 0; opt[i] != '\0'; i++)	/* one of the three: lower case */
		if (opt[i] >= 'A' && opt[i] <= 'Z')
			opt[i] = (char)(opt[i] + 32);
	if ((r = knot_value(ln, p, e, opt, val, sizeof(val))) < 0)
		goto out;
	if (strcmp(opt, "comment") == 0)
		rc = 0;
	else if (r == 0)
		line_error(ln, ln->line, "%s: value expected", opt);
	else if (strcmp(opt, "algorithm") == 0) {
		if (it->have_alg)
			line_error(ln, ln->line, "key '%s': algorithm given "
			    "twice", name);
		else if (tsig_alg_from_name(val, &it->key.alg) < 0)
			line_error(ln, ln->line, "key '%s': unknown algorithm"
			    "%s%s%s (supported: %s)", name,
			    showable(val) ? " '" : "", showable(val) ? val : "",
			    showable(val) ? "'" : "", supported_algs);
		else
			rc = 0;
		it->have_alg = true;
	} else {
		if (it->have_secret)
			line_error(ln, ln->line, "key '%s': secret given twice",
			    name);
		else if ((why = set_secret(&it->key, val)) != NULL)
			line_error(ln, ln->line, "key '%s': %s", name, why);
		else
			rc = 0;
		it->have_secret = true;
	}
out:
	OPENSSL_cleanse(opt, sizeof(opt));
	OPENSSL_cleanse(val, sizeof(val));
	return rc;
}

/*
 * Knot's configuration (knot.conf, `keymgr -t`), the part its yparser
 * accepts that can hold keys: sections start in column 1 (`key:`), items
 * with `- ` and their options are indented with blanks, values may be in
 * double quotes, '#' starts a comment.  Sections other than `key:` (and
 * `include:`, which we do not follow) are skipped unread.
 */
static int
parse_knot(struct lines *ln, struct key_parse *kp)
{
	enum { S_NONE, S_KEY, S_OTHER } state = S_NONE;
	struct knot_item it;
	char sect[64], val[TOKEN_MAX];
	const char *s, *e, *p;
	int r, rc = -1;

	memset(&it, 0, sizeof(it));
	while (next_line(ln, &s, &e)) {
		for (p = s; p < e && blank(*p); p++)
			;
		if (p >= e || *p == '#')
			continue;		/* blank or comment line */
		for (p = s; p < e && *p == ' '; p++)
			;
		if (*p == '\t') {
			line_error(ln, ln->line, "tab in the indentation (Knot "
			    "allows only spaces)");
			goto out;
		}
		if (p > s && state == S_OTHER)
			continue;
		if (p == s && *p != '-') {		/* a new section */
			if (knot_item_end(ln, kp, &it) < 0)
				goto out;
			if (!knot_key(&p, e, sect, sizeof(sect))) {
				line_error(ln, ln->line, "expected a section "
				    "such as 'key:'");
				goto out;
			}
			r = knot_value(ln, p, e, showable(sect) ? sect :
			    "section", val, sizeof(val));
			OPENSSL_cleanse(val, sizeof(val));
			if (r < 0)
				goto out;
			if (strcasecmp(sect, "key") == 0 && r > 0) {
				line_error(ln, ln->line, "'key:' takes '- id:' "
				    "items, not a value");
				goto out;
			}
			state = strcasecmp(sect, "key") == 0 ? S_KEY : S_OTHER;
			continue;
		}
		if (state == S_OTHER)
			continue;		/* "- " in column 1 */
		if (state == S_NONE) {
			line_error(ln, ln->line, "expected a section such as "
			    "'key:' in the first column");
			goto out;
		}
		if (*p == '-') {
			if (knot_item_end(ln, kp, &it) < 0 ||
			    knot_item_start(ln, s, p, e, &it) < 0)
				goto out;
		} else if (knot_option(ln, s, p, e, &it) < 0)
			goto out;
	}
	rc = knot_item_end(ln, kp, &it);
out:
	OPENSSL_cleanse(sect, sizeof(sect));
	tsig_key_clean(&it.key);
	return rc;
}

/*
 * What knsupdate -k reads: a line [alg:]name:secret, as -y (knsupdate reads
 * the first line only; we also skip blank and '#' lines, and take several
 * key lines like several keys of the other formats).
 */
static int
parse_y_lines(struct lines *ln, struct key_parse *kp)
{
	char buf[TOKEN_MAX + 512];
	struct tsig_key key;
	struct error yerr;
	const char *s, *e;
	size_t n;
	int rc;

	while (next_line(ln, &s, &e)) {
		while (s < e && blank(*s))
			s++;
		while (e > s && blank(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if ((n = (size_t)(e - s)) >= sizeof(buf))
			return line_error(ln, ln->line, "line too long for "
			    "[alg:]name:secret");
		memcpy(buf, s, n);
		buf[n] = '\0';
		rc = key_parse_y(buf, &key, &yerr);
		OPENSSL_cleanse(buf, sizeof(buf));
		/* key_parse_y's messages show neither secret nor name. */
		if (rc == 0)
			rc = remember_key(ln->path, ln->err, kp, key.name,
			    ln->line, &key);
		else
			line_error(ln, ln->line, "%s", yerr.msg);
		tsig_key_clean(&key);
		if (rc < 0)
			return -1;
	}
	return 0;
}

enum key_format {
	KF_NAMED,
	KF_KNOT,
	KF_Y,
};

/*
 * Tell the format from the first line that is neither blank nor a '#'
 * comment (all three formats allow those).  `name:` followed by a blank or
 * the end of the line, or a `- ` item, is Knot's; one word with a ':' and
 * none of named.conf's `{};"` is [alg:]name:secret (base64 has no blank
 * and no ':'); anything else, an empty file included, is named.conf's.
 */
static enum key_format
detect_format(const char *buf, size_t len)
{
	struct lines ln;
	const char *s, *e, *p;

	memset(&ln, 0, sizeof(ln));
	ln.p = buf;
	ln.end = buf + len;
	while (next_line(&ln, &s, &e)) {
		while (s < e && blank(*s))
			s++;
		while (e > s && blank(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if (*s == '/')			/* a // or C comment */
			return KF_NAMED;
		p = s;
		if ((e - s >= 2 && s[0] == '-' && s[1] == ' ') ||
		    (knot_key(&p, e, NULL, 0) && (p == e ||
		    blank(*p))))
			return KF_KNOT;
		for (p = s; p < e; p++)
			if (blank(*p) || strchr("{};\"", *p) != NULL)
				return KF_NAMED;
		return memchr(s, ':', (size_t)(e - s)) != NULL ? KF_Y : KF_NAMED;
	}
	return KF_NAMED;
}

/* After the whole file: which key, if any, is the answer. */
static int
choose_key(const char *path, struct key_parse *kp, const char *name,
    const char *none, struct error *err)
{
	char names[NAMES_SHOWN];

	list_names(kp, names, sizeof(names));
	if (kp->nseen == 0)
		return err_set(err, ERR_CONFIG, "%s: %s", path, none);
	if (kp->want == NULL && kp->nseen > 1)
		return err_set(err, ERR_CONFIG, "%s:%d: more than one key "
		    "(%s): say which one to use", path, kp->second_line, names);
	if (!kp->have_key)
		return err_set(err, ERR_CONFIG, "%s: no key '%s' (found: %s)",
		    path, name, names);
	return 0;
}

/* Read the whole file; *buf is to be cleansed and freed by the caller. */
static int
read_file(const char *path, char **buf, size_t *len, bool *loose,
    struct error *err)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(err, ERR_CONFIG, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		err_set(err, ERR_CONFIG, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > KEY_FILE_MAX) {
		err_set(err, ERR_CONFIG, "%s: %s", path, S_ISDIR(st.st_mode) ?
		    "is a directory" : !S_ISREG(st.st_mode) ?
		    "not a regular file" : "too large for a key file");
		close(fd);
		return -1;
	}
	/* The caller warns: a secret readable by others is not secret.
	 * Group read is how a key is shared with the rollcall group
	 * (0640 root:rollcall, as the package makes them). */
	if (loose != NULL)
		*loose = (st.st_mode & S_IROTH) != 0;
	if ((*buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return err_set(err, ERR_SYS, "%s: out of memory", path);
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, *buf + got, (size_t)st.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, ERR_CONFIG, "%s: %s", path, strerror(errno));
			close(fd);
			OPENSSL_cleanse(*buf, got);
			free(*buf);
			*buf = NULL;
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	/* A NUL would silently cut a secret short inside a string. */
	if (memchr(*buf, '\0', got) != NULL)
		return err_set(err, ERR_CONFIG, "%s: NUL byte in key file", path);
	return 0;
}

int
key_load_file(const char *path, const char *name, struct tsig_key *out,
    bool *loose_perms, struct error *err)
{
	struct key_parse kp;
	struct lexer lx;
	struct lines ln;
	char want[256], *buf = NULL;
	const char *why, *none = "no key found";
	size_t len = 0;
	int rc = -1;

	memset(&kp, 0, sizeof(kp));
	memset(out, 0, sizeof(*out));
	if (loose_perms != NULL)
		*loose_perms = false;
	if (name != NULL) {
		if ((why = normalise_name(name, want)) != NULL)
			return err_set(err, ERR_CONFIG, "%s: %s", path, why);
		kp.want = want;
	}
	if (read_file(path, &buf, &len, loose_perms, err) < 0)
		goto out;
	switch (detect_format(buf, len)) {
	case KF_NAMED:
		memset(&lx, 0, sizeof(lx));
		lx.path = path;
		lx.p = buf;
		lx.end = buf + len;
		lx.line = 1;
		lx.err = err;
		rc = parse_all(&lx, &kp);
		OPENSSL_cleanse(lx.text, sizeof(lx.text));
		none = "no key statement found";
		break;
	case KF_KNOT:
		memset(&ln, 0, sizeof(ln));
		ln.path = path;
		ln.p = buf;
		ln.end = buf + len;
		ln.err = err;
		rc = parse_knot(&ln, &kp);
		none = "no key found (expected a 'key:' section of '- id:' "
		    "items)";
		break;
	case KF_Y:
		memset(&ln, 0, sizeof(ln));
		ln.path = path;
		ln.p = buf;
		ln.end = buf + len;
		ln.err = err;
		rc = parse_y_lines(&ln, &kp);
		none = "no key found";		/* not reached: a line was seen */
		break;
	}
	if (rc == 0 && (rc = choose_key(path, &kp, kp.want, none, err)) == 0)
		*out = kp.key;
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	tsig_key_clean(&kp.key);
	free(kp.seen);
	return rc;
}

int
key_parse_y(const char *arg, struct tsig_key *out, struct error *err)
{
	char buf[TOKEN_MAX + 512], *alg = NULL, *name, *secret, *c;
	const char *why;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->alg = TSIG_DEFAULT_ALG;	/* nsupdate's default is hmac-md5 */
	if (arg == NULL)
		return err_set(err, ERR_USAGE, "expected [alg:]name:secret");
	if (strlen(arg) >= sizeof(buf))
		return err_set(err, ERR_USAGE, "argument too long");
	snprintf(buf, sizeof(buf), "%s", arg);
	name = buf;
	if ((c = strchr(buf, ':')) == NULL) {
		err_set(err, ERR_USAGE, "expected [alg:]name:secret");
		goto out;
	}
	*c = '\0';
	secret = c + 1;
	if ((c = strchr(secret, ':')) != NULL) {
		*c = '\0';
		alg = buf;
		name = secret;
		secret = c + 1;
		if (strchr(secret, ':') != NULL) {
			err_set(err, ERR_USAGE, "expected [alg:]name:secret "
			    "(too many ':')");
			goto out;
		}
	}
	if (alg != NULL && *alg == '\0')
		err_set(err, ERR_USAGE, "empty algorithm");
	else if (alg != NULL && tsig_alg_from_name(alg, &out->alg) < 0)
		err_set(err, ERR_USAGE, "unknown algorithm%s%s%s "
		    "(supported: %s)", showable(alg) ? " '" : "",
		    showable(alg) ? alg : "", showable(alg) ? "'" : "",
		    supported_algs);
	/* The name is not echoed: with a misplaced ':' it may be secret. */
	else if ((why = normalise_name(name, out->name)) != NULL)
		err_set(err, ERR_USAGE, "%s", why);
	else if ((why = set_secret(out, secret)) != NULL)
		err_set(err, ERR_USAGE, "%s", why);
	else
		rc = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	if (rc < 0)
		tsig_key_clean(out);
	return rc;
}

int
key_select(const struct key_source *src, struct tsig_key *out, bool *used_y,
    bool *loose_perms, struct error *err)
{
	const char *file = src->k_arg ? src->k_arg : src->key_file;

	*used_y = false;
	*loose_perms = false;
	if (src->y_arg != NULL) {
		*used_y = true;
		if (key_parse_y(src->y_arg, out, err) == -1)
			return err_prefix(err, "-y");
		return 0;
	}
	if (file == NULL || file[0] == '\0')
		return err_set(err, ERR_CONFIG, "%s: no TSIG key: set key_file, "
		    "or give -k or -y", src->conf_path);
	return key_load_file(file, src->key_name && src->key_name[0] ?
	    src->key_name : NULL, out, loose_perms, err);
}
