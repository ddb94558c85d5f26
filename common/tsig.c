/*
 * tsig.c - TSIG (RFC 8945) on wire-format DNS messages, HMAC by OpenSSL.
 *
 * Everything that reads a message treats it as untrusted: every offset is
 * checked against the length before use, names are walked with a bounded
 * loop, and compression pointers may only point backwards.
 */
#include "tsig.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define DNS_HDR_LEN		12	/* RFC 1035 4.1.1 */
#define DNS_MAX_NAME		255	/* RFC 1035 2.3.4, wire form */
#define DNS_MAX_LABEL		63	/* RFC 1035 2.3.4 */
#define DNS_RR_FIXED		10	/* type, class, TTL, rdlength: RFC 1035 4.1.3 */
#define TYPE_TSIG		250	/* RFC 8945 4.2 */
#define CLASS_ANY		255	/* RFC 8945 4.2: TSIG RRs are class ANY */
#define TSIG_TIMERS_LEN		8	/* time signed (48 bits) + fudge */

/* TSIG error field values, RFC 8945 3 (IANA DNS RCODEs). */
#define TSIG_ERR_BADSIG		16
#define TSIG_ERR_BADKEY		17
#define TSIG_ERR_BADTIME	18
#define TSIG_ERR_BADTRUNC	22

/* RFC 8945 5.3.1: a client must accept up to 99 unsigned messages in a
 * row between signed ones, and may give up after that. */
#define TSIG_MAX_UNSIGNED_RUN	99

static const struct alg_info {
	const char	*name;		/* as in key files and -y */
	const char	*wire;		/* RFC 8945 6: the name on the wire */
	const char	*digest;	/* OpenSSL digest name */
	size_t		 mac_len;
} algs[] = {
	[TSIG_HMAC_MD5] = { "hmac-md5", "hmac-md5.sig-alg.reg.int.", "MD5", 16 },
	[TSIG_HMAC_SHA1] = { "hmac-sha1", "hmac-sha1.", "SHA1", 20 },
	[TSIG_HMAC_SHA224] = { "hmac-sha224", "hmac-sha224.", "SHA224", 28 },
	[TSIG_HMAC_SHA256] = { "hmac-sha256", "hmac-sha256.", "SHA256", 32 },
	[TSIG_HMAC_SHA384] = { "hmac-sha384", "hmac-sha384.", "SHA384", 48 },
	[TSIG_HMAC_SHA512] = { "hmac-sha512", "hmac-sha512.", "SHA512", 64 },
};
#define NALGS	(sizeof(algs) / sizeof(algs[0]))

/* The TSIG variables of RFC 8945 4.3.3, names in canonical wire form. */
struct tsig_vars {
	uint8_t		 owner[DNS_MAX_NAME];
	size_t		 owner_len;
	uint16_t	 rrclass;
	uint32_t	 ttl;
	uint8_t		 alg[DNS_MAX_NAME];
	size_t		 alg_len;
	uint64_t	 time_signed;
	uint16_t	 fudge;
	uint16_t	 error;
	const uint8_t	*other;
	uint16_t	 other_len;
};

/* A TSIG RR found in a received message; pointers are into that message. */
struct tsig_rr {
	size_t		 start;		/* offset of the RR = length without it */
	struct tsig_vars v;
	const uint8_t	*mac;
	uint16_t	 mac_len;
	uint16_t	 orig_id;
};

static bool
alg_valid(enum tsig_alg alg)
{
	return (unsigned)alg < NALGS;
}

const char *
tsig_alg_name(enum tsig_alg alg)
{
	return alg_valid(alg) ? algs[alg].name : "unknown";
}

size_t
tsig_mac_size(enum tsig_alg alg)
{
	return alg_valid(alg) ? algs[alg].mac_len : 0;
}

int
tsig_alg_from_name(const char *s, enum tsig_alg *out)
{
	size_t i, n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n > 0 && s[n - 1] == '.')
		n--;			/* trailing dot is optional */
	for (i = 0; i < NALGS; i++) {
		if ((strlen(algs[i].name) == n &&
		    strncasecmp(s, algs[i].name, n) == 0) ||
		    (strlen(algs[i].wire) - 1 == n &&
		    strncasecmp(s, algs[i].wire, n) == 0)) {
			*out = (enum tsig_alg)i;
			return 0;
		}
	}
	return -1;
}

void
tsig_key_clean(struct tsig_key *key)
{
	if (key == NULL)
		return;
	OPENSSL_cleanse(key->secret, sizeof(key->secret));
	key->secret_len = 0;
}

/* --- small wire helpers ------------------------------------------------ */

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
rd48(const uint8_t *p)
{
	return (uint64_t)rd16(p) << 32 | rd32(p + 2);
}

static uint8_t *
wr16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *
wr32(uint8_t *p, uint32_t v)
{
	p = wr16(p, v >> 16);
	return wr16(p, v & 0xffff);
}

/* RFC 8945 4.2: time signed is seconds since the epoch in 48 bits. */
static uint8_t *
wr48(uint8_t *p, uint64_t v)
{
	p = wr16(p, (v >> 32) & 0xffff);
	return wr32(p, v & 0xffffffff);
}

static uint8_t
ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * Presentation name (no escapes; a trailing dot is optional) to canonical
 * wire form, lower case: RFC 8945 4.3.3 digests the key and algorithm names
 * in canonical form.  Returns the length, or 0 for a name we cannot encode.
 */
static size_t
name_to_wire(const char *name, uint8_t out[DNS_MAX_NAME])
{
	size_t o = 0, lab, i;
	const char *p = name, *dot;

	if (*name == '\0')
		return 0;
	if (strcmp(name, ".") == 0) {
		out[0] = 0;
		return 1;
	}
	while (*p != '\0') {
		dot = strchr(p, '.');
		lab = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (lab == 0 || lab > DNS_MAX_LABEL || o + 1 + lab + 1 > DNS_MAX_NAME)
			return 0;
		out[o++] = (uint8_t)lab;
		for (i = 0; i < lab; i++) {
			if (p[i] == '\\')
				return 0;	/* escapes are not supported */
			out[o++] = ascii_lower((uint8_t)p[i]);
		}
		p += lab + (dot != NULL);
	}
	out[o++] = 0;
	return o;
}

/* Wire name to text for error messages, escaping anything unprintable. */
static void
wire_to_text(const uint8_t *w, size_t wlen, char *out, size_t outsz)
{
	size_t i = 0, o = 0, lab, j;
	int n;

	out[0] = '\0';
	if (wlen == 1) {
		snprintf(out, outsz, ".");
		return;
	}
	while (i < wlen && w[i] != 0) {
		lab = w[i++];
		for (j = 0; j < lab && i < wlen; j++, i++) {
			if (w[i] > 0x20 && w[i] < 0x7f && w[i] != '.' && w[i] != '\\')
				n = snprintf(out + o, outsz - o, "%c", w[i]);
			else
				n = snprintf(out + o, outsz - o, "\\%03u", w[i]);
			if (n < 0 || (size_t)n >= outsz - o)
				return;
			o += (size_t)n;
		}
		n = snprintf(out + o, outsz - o, ".");
		if (n < 0 || (size_t)n >= outsz - o)
			return;
		o += (size_t)n;
	}
}

/*
 * Skip a name at *off without following pointers (RFC 1035 4.1.4: a
 * pointer ends the name).  Returns 0, or -1 when the name runs past the end,
 * is too long, or uses the obsolete extended label types.
 */
static int
skip_name(const uint8_t *m, size_t len, size_t *off)
{
	size_t o = *off, total = 0;
	uint8_t c;

	for (;;) {
		if (o >= len)
			return -1;
		c = m[o];
		if ((c & 0xc0) == 0xc0) {
			if (o + 2 > len)
				return -1;
			*off = o + 2;
			return 0;
		}
		if ((c & 0xc0) != 0)
			return -1;
		total += 1 + c;
		if (total > DNS_MAX_NAME)
			return -1;
		if (c == 0) {
			*off = o + 1;
			return 0;
		}
		o += 1 + c;
	}
}

/*
 * Read a name at *off into canonical (lower-case, uncompressed) wire form,
 * following compression pointers.  Pointers must point strictly backwards
 * and the expanded name is capped at 255 bytes, which together bound the
 * loop on hostile input.  *off moves past the name as stored.
 */
static int
read_name(const uint8_t *m, size_t len, size_t *off, uint8_t out[DNS_MAX_NAME],
    size_t *out_len)
{
	size_t o = *off, n = 0, end = 0, i, ptr;
	bool jumped = false;
	uint8_t c;

	for (;;) {
		if (o >= len)
			return -1;
		c = m[o];
		if ((c & 0xc0) == 0xc0) {
			if (o + 2 > len)
				return -1;
			ptr = (size_t)(c & 0x3f) << 8 | m[o + 1];
			if (ptr >= o)
				return -1;	/* forward or self: loop risk */
			if (!jumped)
				end = o + 2;
			jumped = true;
			o = ptr;
			continue;
		}
		if ((c & 0xc0) != 0 || n + 1 + c > DNS_MAX_NAME || o + 1 + c > len)
			return -1;
		out[n++] = c;
		if (c == 0)
			break;
		for (i = 0; i < c; i++)
			out[n++] = ascii_lower(m[o + 1 + i]);
		o += 1 + c;
	}
	*off = jumped ? end : o + 1;
	*out_len = n;
	return 0;
}

/* --- HMAC ------------------------------------------------------------- */

static EVP_MAC_CTX *
mac_new(enum tsig_alg alg, const uint8_t *key, size_t key_len)
{
	EVP_MAC *mac;
	EVP_MAC_CTX *h;
	OSSL_PARAM params[2];

	if (!alg_valid(alg) || key_len == 0)
		return NULL;
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	h = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);		/* the context keeps its own reference */
	if (h == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)algs[alg].digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(h, key, key_len, params) != 1) {
		EVP_MAC_CTX_free(h);
		return NULL;
	}
	return h;
}

static bool
mac_add(EVP_MAC_CTX *h, const void *p, size_t n)
{
	return n == 0 || EVP_MAC_update(h, p, n) == 1;
}

static bool
mac_add16(EVP_MAC_CTX *h, uint16_t v)
{
	uint8_t b[2];

	wr16(b, v);
	return mac_add(h, b, sizeof(b));
}

/* Finish and free h (always).  out holds TSIG_MAX_MAC bytes. */
static bool
mac_end(EVP_MAC_CTX *h, uint8_t *out, size_t *out_len)
{
	bool ok = EVP_MAC_final(h, out, out_len, TSIG_MAX_MAC) == 1;

	EVP_MAC_CTX_free(h);
	return ok;
}

int
tsig_hmac(enum tsig_alg alg, const uint8_t *key, size_t key_len,
    const uint8_t *data, size_t len, uint8_t mac[TSIG_MAX_MAC],
    size_t *mac_len, struct error *err)
{
	EVP_MAC_CTX *h = mac_new(alg, key, key_len);

	if (h == NULL)
		return err_set(err, ERR_SYS, "cannot set up HMAC (%s)",
		    tsig_alg_name(alg));
	if (!mac_add(h, data, len)) {
		EVP_MAC_CTX_free(h);
		return err_set(err, ERR_SYS, "HMAC failed");
	}
	if (!mac_end(h, mac, mac_len))
		return err_set(err, ERR_SYS, "HMAC failed");
	return 0;
}

/*
 * The TSIG variables (RFC 8945 4.3.3), or for the second and later
 * messages of a multi-message answer only the timers (RFC 8945 5.3.1).
 */
static bool
mac_add_vars(EVP_MAC_CTX *h, const struct tsig_vars *v, bool timers_only)
{
	uint8_t b[16], *p;

	if (!timers_only) {
		if (!mac_add(h, v->owner, v->owner_len))
			return false;
		p = wr16(b, v->rrclass);
		p = wr32(p, v->ttl);
		if (!mac_add(h, b, (size_t)(p - b)) ||
		    !mac_add(h, v->alg, v->alg_len))
			return false;
	}
	p = wr48(b, v->time_signed);
	p = wr16(p, v->fudge);
	if (!mac_add(h, b, (size_t)(p - b)))
		return false;
	if (timers_only)
		return true;
	p = wr16(b, v->error);
	p = wr16(p, v->other_len);
	return mac_add(h, b, (size_t)(p - b)) &&
	    mac_add(h, v->other, v->other_len);
}

/*
 * Start the digest of the next signed message of an exchange: either the
 * pending one, which already holds the prior MAC and the unsigned messages
 * since (RFC 8945 5.3.1), or a fresh one that starts with the prior MAC --
 * the request MAC for a first answer (RFC 8945 4.3.1).
 */
static EVP_MAC_CTX *
chain_begin(struct tsig_ctx *ctx)
{
	EVP_MAC_CTX *h;

	if (ctx->pending != NULL) {
		h = ctx->pending;
		ctx->pending = NULL;
		return h;
	}
	h = mac_new(ctx->key->alg, ctx->key->secret, ctx->key->secret_len);
	if (h != NULL && (!mac_add16(h, (uint16_t)ctx->mac_len) ||
	    !mac_add(h, ctx->mac, ctx->mac_len))) {
		EVP_MAC_CTX_free(h);
		return NULL;
	}
	return h;
}

static void
pending_drop(struct tsig_ctx *ctx)
{
	/* EVP_MAC_CTX_free cleanses the HMAC key schedule it holds. */
	EVP_MAC_CTX_free(ctx->pending);
	ctx->pending = NULL;
}

void
tsig_init(struct tsig_ctx *ctx, const struct tsig_key *key)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->key = key;
	ctx->fudge = TSIG_FUDGE;
	ctx->status = TSIG_OK;
}

void
tsig_ctx_clean(struct tsig_ctx *ctx)
{
	if (ctx == NULL)
		return;
	pending_drop(ctx);
	OPENSSL_cleanse(ctx->mac, sizeof(ctx->mac));
	ctx->mac_len = 0;
	ctx->answers = 0;
	ctx->unsigned_run = 0;
}

unsigned
tsig_pending_unsigned(const struct tsig_ctx *ctx)
{
	return ctx->unsigned_run;
}

/* --- signing ---------------------------------------------------------- */

enum sign_mode {
	SIGN_REQUEST,		/* no prior MAC */
	SIGN_ANSWER,		/* prior MAC; all variables or timers only */
};

static int
vars_for_key(const struct tsig_key *key, struct tsig_vars *v,
    struct error *err)
{
	memset(v, 0, sizeof(*v));
	if (key == NULL || !alg_valid(key->alg) || key->secret_len == 0 ||
	    key->secret_len > TSIG_MAX_SECRET)
		return err_set(err, ERR_CONFIG, "TSIG key is not usable");
	if ((v->owner_len = name_to_wire(key->name, v->owner)) == 0)
		return err_set(err, ERR_CONFIG, "TSIG key name '%s' is not a "
		    "valid domain name", key->name);
	v->alg_len = name_to_wire(algs[key->alg].wire, v->alg);
	v->rrclass = CLASS_ANY;
	v->ttl = 0;			/* RFC 8945 4.2 */
	return 0;
}

/* Append the TSIG RR (RFC 8945 4.2) and bump ARCOUNT. */
static int
put_tsig_rr(uint8_t *buf, size_t *len, size_t cap, const struct tsig_vars *v,
    const uint8_t *mac, size_t mac_len, struct error *err)
{
	size_t rdlen = v->alg_len + 6 + 2 + 2 + mac_len + 2 + 2 + 2 +
	    v->other_len;
	size_t need = v->owner_len + DNS_RR_FIXED + rdlen;
	uint8_t *p;

	if (rdlen > 0xffff || cap < *len || cap - *len < need)
		return err_set(err, ERR_SYS, "no room for the TSIG record "
		    "(%zu bytes needed)", need);
	p = buf + *len;
	memcpy(p, v->owner, v->owner_len);	/* never compressed */
	p += v->owner_len;
	p = wr16(p, TYPE_TSIG);
	p = wr16(p, v->rrclass);
	p = wr32(p, v->ttl);
	p = wr16(p, (uint16_t)rdlen);
	memcpy(p, v->alg, v->alg_len);
	p += v->alg_len;
	p = wr48(p, v->time_signed);
	p = wr16(p, v->fudge);
	p = wr16(p, (uint16_t)mac_len);
	if (mac_len > 0)
		memcpy(p, mac, mac_len);
	p += mac_len;
	p = wr16(p, rd16(buf));		/* original ID = header ID */
	p = wr16(p, v->error);
	p = wr16(p, v->other_len);
	if (v->other_len > 0)
		memcpy(p, v->other, v->other_len);
	*len += need;
	wr16(buf + 10, rd16(buf + 10) + 1);
	return 0;
}

static int
sign_msg(struct tsig_ctx *ctx, uint8_t *buf, size_t *len, size_t cap,
    enum sign_mode mode, struct tsig_vars *v, struct error *err)
{
	uint8_t mac[TSIG_MAX_MAC];
	size_t mac_len = 0;
	EVP_MAC_CTX *h;
	bool ok, timers_only = mode == SIGN_ANSWER && ctx->answers > 0;

	if (*len < DNS_HDR_LEN || *len > cap)
		return err_set(err, ERR_PROTO, "message too short to sign");
	if (rd16(buf + 10) == 0xffff)
		return err_set(err, ERR_PROTO, "no room for TSIG in ARCOUNT");
	/* RFC 8945 5.3.2: no MAC when the request's key or MAC was bad. */
	if (v->error != TSIG_ERR_BADSIG && v->error != TSIG_ERR_BADKEY) {
		h = mode == SIGN_REQUEST ? mac_new(ctx->key->alg,
		    ctx->key->secret, ctx->key->secret_len) : chain_begin(ctx);
		if (h == NULL)
			return err_set(err, ERR_SYS, "cannot set up HMAC");
		ok = mac_add(h, buf, *len) && mac_add_vars(h, v, timers_only);
		ok = mac_end(h, mac, &mac_len) && ok;
		if (!ok)
			return err_set(err, ERR_SYS, "HMAC failed");
	}
	if (put_tsig_rr(buf, len, cap, v, mac, mac_len, err) < 0) {
		OPENSSL_cleanse(mac, sizeof(mac));
		return -1;
	}
	memcpy(ctx->mac, mac, mac_len);
	ctx->mac_len = mac_len;
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

int
tsig_sign(struct tsig_ctx *ctx, uint8_t *buf, size_t *len, size_t cap,
    uint64_t now, struct error *err)
{
	struct tsig_vars v;

	if (vars_for_key(ctx->key, &v, err) < 0)
		return -1;
	v.time_signed = now & 0xffffffffffffULL;
	v.fudge = ctx->fudge;
	/* A new request starts a new exchange. */
	pending_drop(ctx);
	ctx->answers = 0;
	ctx->unsigned_run = 0;
	ctx->status = TSIG_OK;
	ctx->skew = 0;
	return sign_msg(ctx, buf, len, cap, SIGN_REQUEST, &v, err);
}

int
tsig_sign_answer(struct tsig_ctx *ctx, uint8_t *buf, size_t *len, size_t cap,
    uint64_t time_signed, uint16_t tsig_error, uint64_t server_time,
    struct error *err)
{
	struct tsig_vars v;
	uint8_t other[6];

	if (vars_for_key(ctx->key, &v, err) < 0)
		return -1;
	v.time_signed = time_signed & 0xffffffffffffULL;
	v.fudge = ctx->fudge;
	v.error = tsig_error;
	if (tsig_error == TSIG_ERR_BADTIME) {
		/* RFC 8945 5.2.3: Other Data holds the server's time. */
		wr48(other, server_time);
		v.other = other;
		v.other_len = sizeof(other);
	}
	if (sign_msg(ctx, buf, len, cap, SIGN_ANSWER, &v, err) < 0)
		return -1;
	ctx->answers++;
	ctx->unsigned_run = 0;
	return 0;
}

int
tsig_sign_skip(struct tsig_ctx *ctx, const uint8_t *buf, size_t len,
    struct error *err)
{
	if (ctx->answers == 0)
		return err_set(err, ERR_PROTO, "the first answer must be signed "
		    "(RFC 8945 5.3.1)");
	if (ctx->unsigned_run >= TSIG_MAX_UNSIGNED_RUN)
		return err_set(err, ERR_PROTO, "more than %d unsigned messages "
		    "in a row", TSIG_MAX_UNSIGNED_RUN);
	if (ctx->pending == NULL && (ctx->pending = chain_begin(ctx)) == NULL)
		return err_set(err, ERR_SYS, "cannot set up HMAC");
	if (!mac_add(ctx->pending, buf, len))
		return err_set(err, ERR_SYS, "HMAC failed");
	ctx->answers++;
	ctx->unsigned_run++;
	return 0;
}

/* --- verification ----------------------------------------------------- */

static const char *
rcode_name(unsigned rcode)
{
	/* RFC 1035 4.1.1, RFC 2136 2.2 */
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE",
	};

	return rcode < sizeof(names) / sizeof(names[0]) ? names[rcode] : NULL;
}

static int
fail(struct tsig_ctx *ctx, enum tsig_status st, struct error *err,
    enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
fail(struct tsig_ctx *ctx, enum tsig_status st, struct error *err,
    enum err_kind kind, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(err->msg)];

	ctx->status = st;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(err, kind, "%s", msg);
}

/* Parse the RDATA and owner of the TSIG RR at `start` (RFC 8945 4.2). */
static int
parse_tsig_rr(const uint8_t *m, size_t len, size_t start, struct tsig_rr *rr,
    const char **why)
{
	size_t off = start, rdend;
	uint16_t rdlen;

	memset(rr, 0, sizeof(*rr));
	rr->start = start;
	*why = "bad TSIG owner name";
	if (read_name(m, len, &off, rr->v.owner, &rr->v.owner_len) < 0)
		return -1;
	*why = "truncated TSIG record";
	if (len - off < DNS_RR_FIXED)
		return -1;
	rr->v.rrclass = rd16(m + off + 2);
	rr->v.ttl = rd32(m + off + 4);
	rdlen = rd16(m + off + 8);
	off += DNS_RR_FIXED;
	rdend = off + rdlen;		/* checked by the caller's walk */
	*why = "TSIG record is not of class ANY";
	if (rr->v.rrclass != CLASS_ANY)
		return -1;
	*why = "bad TSIG algorithm name";
	if (read_name(m, rdend, &off, rr->v.alg, &rr->v.alg_len) < 0)
		return -1;
	*why = "truncated TSIG record";
	if (rdend - off < 6 + 2 + 2)
		return -1;
	rr->v.time_signed = rd48(m + off);
	rr->v.fudge = rd16(m + off + 6);
	rr->mac_len = rd16(m + off + 8);
	off += 10;
	if (rdend - off < (size_t)rr->mac_len + 6)
		return -1;
	rr->mac = m + off;
	off += rr->mac_len;
	rr->orig_id = rd16(m + off);
	rr->v.error = rd16(m + off + 2);
	rr->v.other_len = rd16(m + off + 4);
	off += 6;
	rr->v.other = m + off;
	*why = "TSIG record length does not match its contents";
	return rdend - off == rr->v.other_len ? 0 : -1;
}

/*
 * Walk the whole message.  Returns 1 with *rr filled when the last RR of
 * the additional section is a TSIG, 0 when the message carries no TSIG,
 * -1 (with *why) when it is malformed or a TSIG RR is anywhere else
 * (RFC 8945 5.4: it must be the last record).
 */
static int
find_tsig(const uint8_t *m, size_t len, struct tsig_rr *rr, const char **why)
{
	size_t off = DNS_HDR_LEN, last = 0;
	unsigned i, qd, nrr, nadd;
	uint16_t type = 0, rdlen;

	*why = "truncated message";
	if (len < DNS_HDR_LEN)
		return -1;
	qd = rd16(m + 4);
	nadd = rd16(m + 10);
	nrr = (unsigned)rd16(m + 6) + rd16(m + 8) + nadd;
	for (i = 0; i < qd; i++) {
		if (skip_name(m, len, &off) < 0 || len - off < 4)
			return -1;
		off += 4;
	}
	for (i = 0; i < nrr; i++) {
		last = off;
		if (skip_name(m, len, &off) < 0 || len - off < DNS_RR_FIXED)
			return -1;
		type = rd16(m + off);
		rdlen = rd16(m + off + 8);
		off += DNS_RR_FIXED;
		if (len - off < rdlen)
			return -1;
		off += rdlen;
		if (type == TYPE_TSIG && (i + 1 < nrr || nadd == 0)) {
			*why = "TSIG record is not the last record";
			return -1;
		}
	}
	*why = "trailing bytes after the last record";
	if (off != len)
		return -1;
	if (nrr == 0 || type != TYPE_TSIG)
		return 0;
	return parse_tsig_rr(m, len, last, rr, why) < 0 ? -1 : 1;
}

/* An unsigned message: an error first, allowed later (RFC 8945 5.3.1). */
static int
verify_unsigned(struct tsig_ctx *ctx, const uint8_t *buf, size_t len,
    struct error *err)
{
	unsigned rcode = buf[3] & 0x0f;
	const char *rname = rcode_name(rcode);

	if (ctx->answers == 0) {
		/* PowerDNS (any key error) and Knot (unknown zone) answer a
		 * signed request they reject without TSIG: say what it means. */
		if (rcode == 9 /* NOTAUTH */ || rcode == 5 /* REFUSED */)
			return fail(ctx, TSIG_UNSIGNED, err, ERR_AUTH,
			    "answer is not TSIG-signed (rcode %s): the server "
			    "did not accept our key (wrong secret, key name or "
			    "algorithm?) or does not serve the zone to us",
			    rname);
		if (rname != NULL)
			return fail(ctx, TSIG_UNSIGNED, err, ERR_AUTH,
			    "answer is not TSIG-signed (rcode %s)", rname);
		return fail(ctx, TSIG_UNSIGNED, err, ERR_AUTH,
		    "answer is not TSIG-signed (rcode %u)", rcode);
	}
	if (ctx->unsigned_run >= TSIG_MAX_UNSIGNED_RUN)
		return fail(ctx, TSIG_UNSIGNED, err, ERR_AUTH,
		    "more than %d unsigned messages in a row (RFC 8945 5.3.1)",
		    TSIG_MAX_UNSIGNED_RUN);
	if (ctx->pending == NULL && (ctx->pending = chain_begin(ctx)) == NULL)
		return fail(ctx, TSIG_FORMERR, err, ERR_SYS,
		    "cannot set up HMAC");
	/* Unsigned messages enter the next digest as they are. */
	if (!mac_add(ctx->pending, buf, len))
		return fail(ctx, TSIG_FORMERR, err, ERR_SYS, "HMAC failed");
	ctx->answers++;
	ctx->unsigned_run++;
	ctx->status = TSIG_OK;
	return 0;
}

static int
check_key(struct tsig_ctx *ctx, const struct tsig_rr *rr,
    const struct tsig_vars *ours, struct error *err)
{
	char got[DNS_MAX_NAME * 4 + 2];

	if (rr->v.owner_len != ours->owner_len ||
	    memcmp(rr->v.owner, ours->owner, ours->owner_len) != 0) {
		wire_to_text(rr->v.owner, rr->v.owner_len, got, sizeof(got));
		return fail(ctx, TSIG_WRONG_KEY, err, ERR_AUTH, "answer is "
		    "signed with key '%s', not '%s'", got, ctx->key->name);
	}
	if (rr->v.alg_len != ours->alg_len ||
	    memcmp(rr->v.alg, ours->alg, ours->alg_len) != 0) {
		wire_to_text(rr->v.alg, rr->v.alg_len, got, sizeof(got));
		return fail(ctx, TSIG_WRONG_KEY, err, ERR_AUTH, "answer is "
		    "signed with algorithm '%s', not '%s'", got,
		    algs[ctx->key->alg].wire);
	}
	return 0;
}

/* RFC 8945 5.2.2.1: a MAC may be truncated, but not below 10 bytes nor
 * below half the hash; longer than the hash is malformed. */
static int
check_mac_size(struct tsig_ctx *ctx, const struct tsig_rr *rr,
    struct error *err)
{
	size_t full = algs[ctx->key->alg].mac_len;
	size_t min = full / 2 > 10 ? full / 2 : 10;

	if (rr->mac_len > full || rr->mac_len < min)
		return fail(ctx, TSIG_FORMERR, err, ERR_AUTH, "answer's TSIG "
		    "MAC is %u bytes long; %s needs %zu to %zu",
		    rr->mac_len, algs[ctx->key->alg].name, min, full);
	return 0;
}

/*
 * Recompute the answer's MAC: prior MAC (+ unsigned messages since), the
 * message without the TSIG RR with ARCOUNT decremented and the original
 * ID restored (RFC 8945 4.3.2), then the variables or only the timers.
 */
static int
check_mac(struct tsig_ctx *ctx, const uint8_t *buf, const struct tsig_rr *rr,
    struct error *err)
{
	uint8_t hdr[DNS_HDR_LEN], mac[TSIG_MAX_MAC];
	size_t mac_len = 0;
	bool ok, timers_only = ctx->answers > 0;
	EVP_MAC_CTX *h;
	int diff;

	memcpy(hdr, buf, sizeof(hdr));
	wr16(hdr, rr->orig_id);
	wr16(hdr + 10, rd16(hdr + 10) - 1);
	if ((h = chain_begin(ctx)) == NULL)
		return fail(ctx, TSIG_FORMERR, err, ERR_SYS, "cannot set up HMAC");
	ok = mac_add(h, hdr, sizeof(hdr)) &&
	    mac_add(h, buf + DNS_HDR_LEN, rr->start - DNS_HDR_LEN) &&
	    mac_add_vars(h, &rr->v, timers_only);
	ok = mac_end(h, mac, &mac_len) && ok;
	if (!ok)
		return fail(ctx, TSIG_FORMERR, err, ERR_SYS, "HMAC failed");
	diff = CRYPTO_memcmp(mac, rr->mac, rr->mac_len);
	OPENSSL_cleanse(mac, sizeof(mac));
	if (diff != 0)
		return fail(ctx, TSIG_BADMAC, err, ERR_AUTH, "answer's TSIG MAC "
		    "does not verify (forged or corrupted answer, or the server "
		    "uses another secret for key '%s')", ctx->key->name);
	return 0;
}

/* The server says BADTIME (RFC 8945 5.2.3); its clock is in Other Data. */
static int
server_badtime(struct tsig_ctx *ctx, const uint8_t *buf,
    const struct tsig_rr *rr, uint64_t now, struct error *err)
{
	const char *note = "";

	if (rr->mac_len > 0) {
		if (check_mac_size(ctx, rr, err) < 0 ||
		    check_mac(ctx, buf, rr, err) < 0)
			return -1;
	} else
		note = " (unsigned answer, not verified)";
	if (rr->v.other_len != 6)
		return fail(ctx, TSIG_BADTIME, err, ERR_AUTH, "server rejected "
		    "our TSIG: BADTIME (no server time given)%s", note);
	ctx->skew = (long long)rd48(rr->v.other) - (long long)now;
	return fail(ctx, TSIG_BADTIME, err, ERR_AUTH, "server rejected our "
	    "TSIG: BADTIME: clocks differ by %lld s (server minus local, "
	    "fudge %u s)%s", ctx->skew, rr->v.fudge, note);
}

/* The TSIG error field of the answer (RFC 8945 5.4.1, 5.4.3, 5.4.4). */
static int
check_error(struct tsig_ctx *ctx, const uint8_t *buf, const struct tsig_rr *rr,
    uint64_t now, struct error *err)
{
	switch (rr->v.error) {
	case 0:
		return 0;
	case TSIG_ERR_BADSIG:
		return fail(ctx, TSIG_BADSIG, err, ERR_AUTH, "server rejected "
		    "our TSIG: BADSIG (wrong secret or algorithm for key '%s')",
		    ctx->key->name);
	case TSIG_ERR_BADKEY:
		/* Knot also says BADKEY (with NOTAUTH) when its ACL gives a
		 * known key no right to this query or update. */
		return fail(ctx, TSIG_BADKEY, err, ERR_AUTH, "server rejected "
		    "our TSIG: %s, BADKEY (the server does not know key '%s' "
		    "with algorithm %s, or its ACL does not allow this key "
		    "this request)", rcode_name(buf[3] & 0x0f) ?
		    rcode_name(buf[3] & 0x0f) : "error", ctx->key->name,
		    algs[ctx->key->alg].name);
	case TSIG_ERR_BADTIME:
		return server_badtime(ctx, buf, rr, now, err);
	case TSIG_ERR_BADTRUNC:
		return fail(ctx, TSIG_BADTRUNC, err, ERR_AUTH, "server rejected "
		    "our TSIG: BADTRUNC (MAC truncation not allowed)");
	default:
		return fail(ctx, TSIG_FORMERR, err, ERR_AUTH, "server returned "
		    "unknown TSIG error %u", rr->v.error);
	}
}

/* RFC 8945 5.4.3: our clock against the answer's time signed. */
static int
check_time(struct tsig_ctx *ctx, const struct tsig_rr *rr, uint64_t now,
    struct error *err)
{
	long long skew = (long long)rr->v.time_signed - (long long)now;

	if (skew > rr->v.fudge || -skew > rr->v.fudge) {
		ctx->skew = skew;
		return fail(ctx, TSIG_BADTIME, err, ERR_AUTH, "answer's TSIG "
		    "time is outside the fudge (%u s): BADTIME: clocks differ "
		    "by %lld s (server minus local)", rr->v.fudge, skew);
	}
	return 0;
}

int
tsig_verify(struct tsig_ctx *ctx, const uint8_t *buf, size_t len,
    uint64_t now, size_t *msg_len_out, struct error *err)
{
	struct tsig_rr rr;
	struct tsig_vars ours;
	const char *why = "";
	int found;

	ctx->skew = 0;
	if (vars_for_key(ctx->key, &ours, err) < 0) {
		ctx->status = TSIG_FORMERR;
		return -1;
	}
	if ((found = find_tsig(buf, len, &rr, &why)) < 0)
		return fail(ctx, TSIG_FORMERR, err, ERR_PROTO,
		    "malformed answer: %s", why);
	if (msg_len_out != NULL)
		*msg_len_out = found ? rr.start : len;
	if (!found)
		return verify_unsigned(ctx, buf, len, err);
	if (check_key(ctx, &rr, &ours, err) < 0 ||
	    check_error(ctx, buf, &rr, now, err) < 0 ||
	    check_mac_size(ctx, &rr, err) < 0 ||
	    check_mac(ctx, buf, &rr, err) < 0 ||
	    check_time(ctx, &rr, now, err) < 0)
		return -1;
	/* The answer's MAC is the prior MAC of the next message. */
	memcpy(ctx->mac, rr.mac, rr.mac_len);
	ctx->mac_len = rr.mac_len;
	ctx->answers++;
	ctx->unsigned_run = 0;
	ctx->status = TSIG_OK;
	return 0;
}
