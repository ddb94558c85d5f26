/*
 * key.c - TSIG keys from named.conf-style key files and from nsupdate -y.
 *
 * The file may be what tsig-keygen or ddns-confgen print, or a named.conf
 * snippet: `key` statements are read, every other statement is skipped.
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

static int
lex_error(struct lexer *lx, int line, const char *fmt, ...)
{
	char msg[sizeof(lx->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lx->type = T_ERR;
	return err_set(lx->err, ERR_CONFIG, "%s:%d: %s", lx->path, line, msg);
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

static int
remember_key(struct lexer *lx, struct key_parse *kp, const char *name,
    int line, const struct tsig_key *key)
{
	struct seen_key *s;
	size_t i;

	for (i = 0; i < kp->nseen; i++)
		if (strcmp(kp->seen[i].name, name) == 0)
			return lex_error(lx, line, "duplicate key '%s' (first "
			    "on line %d)", name, kp->seen[i].line);
	s = reallocarray(kp->seen, kp->nseen + 1, sizeof(*s));
	if (s == NULL)
		return err_set(lx->err, ERR_SYS, "%s: out of memory", lx->path);
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
	rc = remember_key(lx, kp, key.name, line, &key);
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

/* After the whole file: which key, if any, is the answer. */
static int
choose_key(const char *path, struct key_parse *kp, const char *name,
    struct error *err)
{
	char names[NAMES_SHOWN];

	list_names(kp, names, sizeof(names));
	if (kp->nseen == 0)
		return err_set(err, ERR_CONFIG, "%s: no key statement found",
		    path);
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
	/* The caller warns: a secret readable by others is not secret. */
	if (loose != NULL)
		*loose = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
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
	char want[256], *buf = NULL;
	const char *why;
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
	memset(&lx, 0, sizeof(lx));
	lx.path = path;
	lx.p = buf;
	lx.end = buf + len;
	lx.line = 1;
	lx.err = err;
	if (parse_all(&lx, &kp) == 0 &&
	    choose_key(path, &kp, kp.want, err) == 0) {
		*out = kp.key;
		rc = 0;
	}
	OPENSSL_cleanse(lx.text, sizeof(lx.text));
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
