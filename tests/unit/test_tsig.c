/*
 * test_tsig.c - TSIG signing and verification.
 *
 * Known answers first: RFC 2202/4231 HMAC vectors, then TSIG messages that
 * other implementations produced -- BIND's dig (signed queries), BIND's
 * one-answer AXFR and Kea's responses (vectors published in Kea's
 * src/lib/dns/tests/tsig_unittest.cc, key www.example.com) -- and a live
 * cross-check against ldns in both directions.  Then our own round trips
 * and every failure case, and hostile input (every prefix, every byte).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>
#include <openssl/evp.h>

#include "suites.h"
#include "tsig.h"

#define KEA_MD5_SECRET	"SFuWd/q99SzF8Yzd1QbB9g=="
#define KEA_SHA1_SECRET	"MA+QDhXbyqUak+qnMFyTyEirzng="
#define T0		1700000000ULL	/* arbitrary "now" for our own tests */
#define BUFSZ		4096

/* --- helpers ---------------------------------------------------------- */

static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (*hex != '\0') {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		CU_ASSERT_FATAL(n < cap);
		CU_ASSERT_FATAL(sscanf(hex, "%2x", &v) == 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

/* Base64 through ldns, so that tests do not trust our key.c decoder. */
static void
make_key(struct tsig_key *k, const char *name, enum tsig_alg alg,
    const char *b64)
{
	ldns_rdf *rdf = NULL;

	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", name);
	k->alg = alg;
	CU_ASSERT_FATAL(ldns_str2rdf_b64(&rdf, b64) == LDNS_STATUS_OK);
	CU_ASSERT_FATAL(ldns_rdf_size(rdf) <= sizeof(k->secret));
	memcpy(k->secret, ldns_rdf_data(rdf), ldns_rdf_size(rdf));
	k->secret_len = ldns_rdf_size(rdf);
	ldns_rdf_deep_free(rdf);
}

static size_t
put_name(uint8_t *p, const char *name)
{
	size_t o = 0, lab;
	const char *dot;

	while (*name != '\0') {
		dot = strchr(name, '.');
		lab = dot ? (size_t)(dot - name) : strlen(name);
		p[o++] = (uint8_t)lab;
		memcpy(p + o, name, lab);
		o += lab;
		name += lab + (dot != NULL);
	}
	p[o++] = 0;
	return o;
}

static uint8_t *
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A message with one question (flags as in the header's second word). */
static size_t
build_msg(uint8_t *buf, uint16_t id, uint16_t flags, const char *qname,
    uint16_t qtype)
{
	uint8_t *p = buf;

	memset(buf, 0, 12);
	put16(p, id);
	put16(p + 2, flags);
	put16(p + 4, 1);
	p += 12;
	p += put_name(p, qname);
	p = put16(p, qtype);
	p = put16(p, 1);
	return (size_t)(p - buf);
}

/* Add one A record to the answer section. */
static size_t
add_answer_a(uint8_t *buf, size_t len)
{
	static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10,
	    0, 4, 192, 0, 2, 1 };

	memcpy(buf + len, rr, sizeof(rr));
	put16(buf + 6, get16(buf + 6) + 1);
	return len + sizeof(rr);
}

/*
 * Append a TSIG RR built independently of tsig.c (RFC 8945 4.2), bump
 * ARCOUNT.  Used for the published vectors and for crafted answers.
 */
static size_t
append_tsig(uint8_t *buf, size_t len, const char *owner, const char *alg,
    uint64_t time_signed, uint16_t fudge, const uint8_t *mac, size_t mac_len,
    uint16_t orig_id, uint16_t error, const uint8_t *other, size_t other_len)
{
	uint8_t *p = buf + len, *rdlen;

	p += put_name(p, owner);
	p = put16(p, 250);
	p = put16(p, 255);
	p = put16(p, 0);
	p = put16(p, 0);
	rdlen = p;
	p += 2;
	p += put_name(p, alg);
	p = put16(p, (unsigned)(time_signed >> 32));
	p = put16(p, (unsigned)(time_signed >> 16));
	p = put16(p, (unsigned)time_signed);
	p = put16(p, fudge);
	p = put16(p, (unsigned)mac_len);
	memcpy(p, mac, mac_len);
	p += mac_len;
	p = put16(p, orig_id);
	p = put16(p, error);
	p = put16(p, (unsigned)other_len);
	if (other_len > 0)
		memcpy(p, other, other_len);
	p += other_len;
	put16(rdlen, (unsigned)(p - rdlen - 2));
	put16(buf + 10, get16(buf + 10) + 1);
	return (size_t)(p - buf);
}

/* Error text must name the case and never carry the secret. */
static void
check_msg(const struct error *err, const char *want, const struct tsig_key *k)
{
	char b64[1024];

	CU_ASSERT_PTR_NOT_NULL(strstr(err->msg, want));
	if (strstr(err->msg, want) == NULL)
		fprintf(stderr, "\n  message: %s\n  wanted:  %s\n", err->msg, want);
	CU_ASSERT(EVP_EncodeBlock((unsigned char *)b64, k->secret,
	    (int)k->secret_len) > 0);
	CU_ASSERT_PTR_NULL(strstr(err->msg, b64));
	CU_ASSERT_PTR_NULL(memmem(err->msg, strlen(err->msg), k->secret,
	    k->secret_len));
}

/* A client/server pair: the client signs a query, the server knows the
 * request MAC.  Returns the answer (query + QR + one A record), unsigned. */
struct pair {
	struct tsig_key	 key;
	struct tsig_ctx	 cli, srv;
	uint8_t		 q[BUFSZ], a[BUFSZ];
	size_t		 qlen, alen;
};

static void
pair_init(struct pair *pp, enum tsig_alg alg, const char *b64)
{
	struct error err;

	memset(pp, 0, sizeof(*pp));
	make_key(&pp->key, "rollcall.example.test.", alg, b64);
	tsig_init(&pp->cli, &pp->key);
	tsig_init(&pp->srv, &pp->key);
	pp->qlen = build_msg(pp->q, 0x1234, 0x2800, "host.example.test", 6);
	CU_ASSERT_FATAL(tsig_sign(&pp->cli, pp->q, &pp->qlen, sizeof(pp->q),
	    T0, &err) == 0);
	memcpy(pp->srv.mac, pp->cli.mac, pp->cli.mac_len);
	pp->srv.mac_len = pp->cli.mac_len;
	pp->alen = build_msg(pp->a, 0x1234, 0xa800, "host.example.test", 6);
	pp->alen = add_answer_a(pp->a, pp->alen);
}

static void
pair_clean(struct pair *pp)
{
	tsig_ctx_clean(&pp->cli);
	tsig_ctx_clean(&pp->srv);
	tsig_key_clean(&pp->key);
}

static const char sha256_b64[] = "6kqImYg5sQH590MF0texACo1r4JP+NhjEXWZwwgqnXo=";

/* --- algorithm names -------------------------------------------------- */

static void
test_alg_names(void)
{
	static const struct {
		const char	*in;
		int		 rc;
		enum tsig_alg	 alg;
	} t[] = {
		{ "hmac-md5", 0, TSIG_HMAC_MD5 },
		{ "hmac-md5.sig-alg.reg.int", 0, TSIG_HMAC_MD5 },
		{ "HMAC-MD5.SIG-ALG.REG.INT.", 0, TSIG_HMAC_MD5 },
		{ "hmac-sha1", 0, TSIG_HMAC_SHA1 },
		{ "hmac-sha224.", 0, TSIG_HMAC_SHA224 },
		{ "Hmac-Sha256", 0, TSIG_HMAC_SHA256 },
		{ "hmac-sha384", 0, TSIG_HMAC_SHA384 },
		{ "hmac-sha512", 0, TSIG_HMAC_SHA512 },
		{ "hmac-sha256..", -1, 0 },
		{ "hmac-sha3", -1, 0 },
		{ "hmac-sha1.sig-alg.reg.int", -1, 0 },
		{ "sha256", -1, 0 },
		{ "", -1, 0 },
		{ ".", -1, 0 },
	};
	enum tsig_alg a;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = (enum tsig_alg)99;
		CU_ASSERT_EQUAL(tsig_alg_from_name(t[i].in, &a), t[i].rc);
		if (t[i].rc == 0)
			CU_ASSERT_EQUAL(a, t[i].alg);
	}
	CU_ASSERT_STRING_EQUAL(tsig_alg_name(TSIG_HMAC_MD5), "hmac-md5");
	CU_ASSERT_STRING_EQUAL(tsig_alg_name(TSIG_HMAC_SHA512), "hmac-sha512");
	CU_ASSERT_EQUAL(tsig_mac_size(TSIG_HMAC_MD5), 16);
	CU_ASSERT_EQUAL(tsig_mac_size(TSIG_HMAC_SHA224), 28);
	CU_ASSERT_EQUAL(tsig_mac_size(TSIG_HMAC_SHA384), 48);
	CU_ASSERT_EQUAL(TSIG_DEFAULT_ALG, TSIG_HMAC_SHA256);
}

/* --- HMAC known answers (RFC 2202 section 2/3, RFC 4231 section 4) ---- */

static void
test_hmac_vectors(void)
{
	static const char jefe[] = "Jefe";
	static const char jefe_data[] = "what do ya want for nothing?";
	static const char large[] =
	    "Test Using Larger Than Block-Size Key - Hash Key First";
	static const struct {
		enum tsig_alg	 alg;
		int		 key;	/* 0: 0x0b x klen, 1: "Jefe", 2: 0xaa x klen */
		size_t		 klen;
		const char	*data;
		const char	*mac;
	} t[] = {
		/* RFC 2202 test cases 1, 2, 6 */
		{ TSIG_HMAC_MD5, 0, 16, "Hi There",
		  "9294727a3638bb1c13f48ef8158bfc9d" },
		{ TSIG_HMAC_MD5, 1, 4, jefe_data,
		  "750c783e6ab0b503eaa86e310a5db738" },
		{ TSIG_HMAC_MD5, 2, 80, large,
		  "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
		{ TSIG_HMAC_SHA1, 0, 20, "Hi There",
		  "b617318655057264e28bc0b6fb378c8ef146be00" },
		{ TSIG_HMAC_SHA1, 1, 4, jefe_data,
		  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ TSIG_HMAC_SHA1, 2, 80, large,
		  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
		/* RFC 4231 test cases 1, 2, 6 */
		{ TSIG_HMAC_SHA224, 0, 20, "Hi There",
		  "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22" },
		{ TSIG_HMAC_SHA224, 1, 4, jefe_data,
		  "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44" },
		{ TSIG_HMAC_SHA256, 0, 20, "Hi There",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ TSIG_HMAC_SHA256, 1, 4, jefe_data,
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ TSIG_HMAC_SHA256, 2, 131, large,
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ TSIG_HMAC_SHA384, 0, 20, "Hi There",
		  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		  "faea9ea9076ede7f4af152e8b2fa9cb6" },
		{ TSIG_HMAC_SHA384, 1, 4, jefe_data,
		  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		  "8e2240ca5e69e2c78b3239ecfab21649" },
		{ TSIG_HMAC_SHA512, 0, 20, "Hi There",
		  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
		{ TSIG_HMAC_SHA512, 1, 4, jefe_data,
		  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
		{ TSIG_HMAC_SHA512, 2, 131, large,
		  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	};
	uint8_t key[256], want[TSIG_MAX_MAC], mac[TSIG_MAX_MAC];
	size_t i, wlen, mlen;
	struct error err;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].key == 1)
			memcpy(key, jefe, t[i].klen);
		else
			memset(key, t[i].key == 0 ? 0x0b : 0xaa, t[i].klen);
		wlen = unhex(t[i].mac, want, sizeof(want));
		CU_ASSERT_EQUAL_FATAL(tsig_hmac(t[i].alg, key, t[i].klen,
		    (const uint8_t *)t[i].data, strlen(t[i].data), mac, &mlen,
		    &err), 0);
		CU_ASSERT_EQUAL(mlen, wlen);
		CU_ASSERT_EQUAL(mlen, tsig_mac_size(t[i].alg));
		CU_ASSERT(memcmp(mac, want, wlen) == 0);
		if (memcmp(mac, want, wlen) != 0)
			fprintf(stderr, "\n  HMAC vector %zu differs\n", i);
	}
}

/* --- BIND / Kea published TSIG vectors -------------------------------- */

#define WWW_EXAMPLE_COM	"03777777076578616d706c6503636f6d00"
#define EXAMPLE_COM	"076578616d706c6503636f6d00"
#define HMAC_MD5_WIRE	"08686d61632d6d6435077369672d616c670372656703696e7400"

/* `dig -y www.example.com:SFuWd/q99SzF8Yzd1QbB9g== www.example.com` and
 * `dig -y hmac-sha1:www.example.com:MA+QDhXbyqUak+qnMFyTyEirzng= ...`:
 * our signed query must equal BIND's byte for byte. */
static void
test_sign_matches_dig(void)
{
	static const struct {
		enum tsig_alg	 alg;
		const char	*secret;
		uint16_t	 id;
		uint64_t	 time;
		const char	*signed_hex;
	} t[] = {
		{ TSIG_HMAC_MD5, KEA_MD5_SECRET, 0x2d65, 0x4da8877a,
		  "2d65 0100 0001 0000 0000 0001" WWW_EXAMPLE_COM "0001 0001"
		  WWW_EXAMPLE_COM "00fa 00ff 00000000 003a" HMAC_MD5_WIRE
		  "00004da8877a 012c 0010 227026ad297beee721ce6c6fff1e9ef3"
		  "2d65 0000 0000" },
		{ TSIG_HMAC_SHA1, KEA_SHA1_SECRET, 0x0967, 0x4dae7d5f,
		  "0967 0100 0001 0000 0000 0001" WWW_EXAMPLE_COM "0001 0001"
		  WWW_EXAMPLE_COM "00fa 00ff 00000000 002f"
		  "09686d61632d7368613100"
		  "00004dae7d5f 012c 0014 415340c7daf824ed684ee586f7b5a67a2febc0d3"
		  "0967 0000 0000" },
	};
	uint8_t buf[BUFSZ], want[BUFSZ];
	struct tsig_key key;
	struct tsig_ctx ctx;
	struct error err;
	size_t i, len, wlen;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		make_key(&key, "www.example.com", t[i].alg, t[i].secret);
		tsig_init(&ctx, &key);
		len = build_msg(buf, t[i].id, 0x0100, "www.example.com", 1);
		CU_ASSERT_EQUAL_FATAL(tsig_sign(&ctx, buf, &len, sizeof(buf),
		    t[i].time, &err), 0);
		wlen = unhex(t[i].signed_hex, want, sizeof(want));
		CU_ASSERT_EQUAL(len, wlen);
		CU_ASSERT(len == wlen && memcmp(buf, want, len) == 0);
		CU_ASSERT_EQUAL(ctx.mac_len, tsig_mac_size(t[i].alg));
		tsig_ctx_clean(&ctx);
		tsig_key_clean(&key);
	}
}

/* Kea's signed answer to the dig query above (A 192.0.2.1): verifies with
 * the request MAC as prefix, the compressed answer name walked over. */
static void
test_verify_kea_answer(void)
{
	uint8_t q[BUFSZ], a[BUFSZ], mac[16];
	struct tsig_key key;
	struct tsig_ctx ctx;
	struct error err;
	size_t qlen, alen, mlen;

	make_key(&key, "www.example.com.", TSIG_HMAC_MD5, KEA_MD5_SECRET);
	tsig_init(&ctx, &key);
	qlen = build_msg(q, 0x2d65, 0x0100, "www.example.com", 1);
	CU_ASSERT_FATAL(tsig_sign(&ctx, q, &qlen, sizeof(q), 0x4da8877a,
	    &err) == 0);
	alen = unhex("2d65 8500 0001 0001 0000 0000" WWW_EXAMPLE_COM
	    "0001 0001 c00c 0001 0001 00015180 0004 c0000201", a, sizeof(a));
	mlen = unhex("8fcda66a7cd1a3b9948eb1869d384a9f", mac, sizeof(mac));
	alen = append_tsig(a, alen, "www.example.com", "hmac-md5.sig-alg.reg.int",
	    0x4da8877a, 300, mac, mlen, 0x2d65, 0, NULL, 0);
	mlen = 0;
	CU_ASSERT_EQUAL(tsig_verify(&ctx, a, alen, 0x4da8877a + 10, &mlen,
	    &err), 0);
	CU_ASSERT_EQUAL(ctx.status, TSIG_OK);
	CU_ASSERT_EQUAL(mlen, 12 + 17 + 4 + 16);
	tsig_ctx_clean(&ctx);
	tsig_key_clean(&key);
}

/* BIND 9 "one-answer" AXFR, two messages, both signed (RFC 8945 5.3.1). */
static void
test_verify_bind_axfr(void)
{
	uint8_t q[BUFSZ], m1[BUFSZ], m2[BUFSZ], mac[16];
	struct tsig_key key;
	struct tsig_ctx ctx;
	struct error err;
	size_t qlen, l1, l2, mlen;
	uint64_t t = 0x4da8e951;

	make_key(&key, "www.example.com.", TSIG_HMAC_MD5, KEA_MD5_SECRET);
	tsig_init(&ctx, &key);
	qlen = build_msg(q, 0x3410, 0, "example.com", 252);
	CU_ASSERT_FATAL(tsig_sign(&ctx, q, &qlen, sizeof(q), t, &err) == 0);
	mlen = unhex("35b2fd08268781634400c7c8a5533b13", mac, sizeof(mac));
	CU_ASSERT(ctx.mac_len == mlen && memcmp(ctx.mac, mac, mlen) == 0);

	l1 = unhex("3410 8400 0001 0001 0000 0000" EXAMPLE_COM "00fc 0001"
	    "c00c 0006 0001 00015180 0020 026e73c00c 04726f6f74c00c"
	    "77de0edf 00001c20 00000e10 00278d00 000004b0", m1, sizeof(m1));
	unhex("bdd612cd2c7f9e0648bd6dc23713e83c", mac, sizeof(mac));
	l1 = append_tsig(m1, l1, "www.example.com", "hmac-md5.sig-alg.reg.int",
	    t, 300, mac, 16, 0x3410, 0, NULL, 0);
	l2 = unhex("3410 8400 0000 0001 0000 0000" EXAMPLE_COM
	    "0002 0001 00015180 0005 026e73c00c", m2, sizeof(m2));
	unhex("102458f7f62ddd7d638d746034130968", mac, sizeof(mac));
	l2 = append_tsig(m2, l2, "www.example.com", "hmac-md5.sig-alg.reg.int",
	    t, 300, mac, 16, 0x3410, 0, NULL, 0);

	CU_ASSERT_EQUAL(tsig_verify(&ctx, m1, l1, t, NULL, &err), 0);
	CU_ASSERT_EQUAL(tsig_verify(&ctx, m2, l2, t, NULL, &err), 0);
	CU_ASSERT_EQUAL(ctx.answers, 2);
	CU_ASSERT_EQUAL(tsig_pending_unsigned(&ctx), 0);
	/* Replaying the second message breaks the chain. */
	CU_ASSERT_EQUAL(tsig_verify(&ctx, m2, l2, t, NULL, &err), -1);
	CU_ASSERT_EQUAL(ctx.status, TSIG_BADMAC);
	tsig_ctx_clean(&ctx);
	tsig_key_clean(&key);
}

/* A signed BADTIME answer (Kea's vector): MAC checked, skew from Other Data. */
static void
test_verify_badtime_vector(void)
{
	uint8_t q[BUFSZ], a[BUFSZ], mac[16], other[6];
	struct tsig_key key;
	struct tsig_ctx ctx;
	struct error err;
	size_t qlen, alen;
	uint64_t client = 0x4da8b9d6, server = 0x4da8be86;

	make_key(&key, "www.example.com.", TSIG_HMAC_MD5, KEA_MD5_SECRET);
	tsig_init(&ctx, &key);
	qlen = build_msg(q, 0x7fc4, 0, "www.example.com", 6);
	CU_ASSERT_FATAL(tsig_sign(&ctx, q, &qlen, sizeof(q), client, &err) == 0);
	alen = build_msg(a, 0x7fc4, 0x8009, "www.example.com", 6);
	unhex("d4b043f6f44495ec8a01260e39159d76", mac, sizeof(mac));
	unhex("00004da8be86", other, sizeof(other));
	alen = append_tsig(a, alen, "www.example.com", "hmac-md5.sig-alg.reg.int",
	    client, 300, mac, 16, 0x7fc4, 18, other, 6);
	CU_ASSERT_EQUAL(tsig_verify(&ctx, a, alen, client, NULL, &err), -1);
	CU_ASSERT_EQUAL(ctx.status, TSIG_BADTIME);
	CU_ASSERT_EQUAL(ctx.skew, (long long)(server - client));
	check_msg(&err, "BADTIME: clocks differ by 1200 s", &key);
	CU_ASSERT_PTR_NULL(strstr(err.msg, "not verified"));

	/* The same with a corrupted MAC: a forged BADTIME is not believed. */
	a[alen - 6 - 6 - 1] ^= 1;
	CU_ASSERT_EQUAL(tsig_verify(&ctx, a, alen, client, NULL, &err), -1);
	CU_ASSERT_EQUAL(ctx.status, TSIG_BADMAC);
	tsig_ctx_clean(&ctx);
	tsig_key_clean(&key);
}

/* --- cross-check with ldns (md5, sha1, sha256, sha512 work there) ----- */

static ldns_rdf *
mac_rdf(const uint8_t *mac, size_t len)
{
	uint8_t b[2 + TSIG_MAX_MAC];

	put16(b, (unsigned)len);
	memcpy(b + 2, mac, len);
	return ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, len + 2, b);
}

static ldns_pkt *
ldns_query(const char *qname, uint16_t id, bool qr)
{
	ldns_pkt *p = ldns_pkt_query_new(ldns_dname_new_frm_str(qname),
	    LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_IN, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_qr(p, qr);
	return p;
}

static void
test_ldns_cross(void)
{
	static const struct {
		enum tsig_alg	 alg;
		const char	*ldns_alg;
		const char	*b64;
	} t[] = {
		{ TSIG_HMAC_MD5, "hmac-md5.sig-alg.reg.int.", KEA_MD5_SECRET },
		{ TSIG_HMAC_SHA1, "hmac-sha1.", KEA_SHA1_SECRET },
		{ TSIG_HMAC_SHA256, "hmac-sha256.", sha256_b64 },
		{ TSIG_HMAC_SHA512, "hmac-sha512.",
		  "wDrdtrrd1bj7ey7Qtr1MIWm4oVnGkauZ3gBEspn8fXK4YMOK5wvBIVrJCayM"
		  "1H3TXEAMd/BLiRfFWmY64DpLrA==" },
	};
	/* The key name shares a suffix with the question: ldns may compress
	 * the TSIG owner, which our verifier must follow. */
	const char *kname = "rollcall-key.example.test.";
	struct tsig_key key;
	struct tsig_ctx ctx;
	struct error err;
	uint8_t buf[BUFSZ], *wire;
	size_t i, len, wlen;
	ldns_pkt *p, *parsed;
	ldns_rr *trr;
	ldns_rdf *reqmac, *lmac;
	const uint8_t *tsd;
	uint64_t ts;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		make_key(&key, kname, t[i].alg, t[i].b64);
		tsig_init(&ctx, &key);

		/* 1. ldns signs a query; we sign the same bytes at the same
		 * time and must get the same MAC. */
		p = ldns_query("host.example.test.", 0x4242, false);
		CU_ASSERT_FATAL(ldns_pkt2wire(&wire, p, &wlen) == LDNS_STATUS_OK);
		memcpy(buf, wire, wlen);
		len = wlen;
		free(wire);
		CU_ASSERT_FATAL(ldns_pkt_tsig_sign(p, kname, t[i].b64, 300,
		    t[i].ldns_alg, NULL) == LDNS_STATUS_OK);
		trr = ldns_pkt_tsig(p);
		tsd = ldns_rdf_data(ldns_rr_rdf(trr, 1));	/* 48 bits */
		ts = (uint64_t)get16(tsd) << 32 | (uint64_t)get16(tsd + 2) << 16 |
		    get16(tsd + 4);
		CU_ASSERT_FATAL(tsig_sign(&ctx, buf, &len, sizeof(buf), ts,
		    &err) == 0);
		lmac = ldns_rr_rdf(trr, 3);
		CU_ASSERT_EQUAL(ldns_rdf_size(lmac), ctx.mac_len + 2);
		CU_ASSERT(memcmp(ldns_rdf_data(lmac) + 2, ctx.mac,
		    ctx.mac_len) == 0);

		/* 2. ldns verifies our signed query. */
		CU_ASSERT_FATAL(ldns_wire2pkt(&parsed, buf, len) ==
		    LDNS_STATUS_OK);
		CU_ASSERT(ldns_pkt_tsig_verify(parsed, buf, len, kname,
		    t[i].b64, NULL));
		ldns_pkt_free(parsed);
		ldns_pkt_free(p);

		/* 3. ldns signs the answer as a server would; we verify it. */
		reqmac = mac_rdf(ctx.mac, ctx.mac_len);
		p = ldns_query("host.example.test.", 0x4242, true);
		CU_ASSERT_FATAL(ldns_pkt_tsig_sign(p, kname, t[i].b64, 300,
		    t[i].ldns_alg, reqmac) == LDNS_STATUS_OK);
		CU_ASSERT_FATAL(ldns_pkt2wire(&wire, p, &wlen) == LDNS_STATUS_OK);
		CU_ASSERT_EQUAL(tsig_verify(&ctx, wire, wlen, (uint64_t)time(NULL),
		    NULL, &err), 0);
		if (ctx.status != TSIG_OK)
			fprintf(stderr, "\n  %s: %s\n", t[i].ldns_alg, err.msg);
		free(wire);
		ldns_pkt_free(p);

		/* 4. We sign an answer as a server; ldns verifies it. */
		{
			struct tsig_ctx srv;

			tsig_init(&srv, &key);
			lmac = reqmac;	/* request MAC, ldns form */
			memcpy(srv.mac, ldns_rdf_data(lmac) + 2,
			    ldns_rdf_size(lmac) - 2);
			srv.mac_len = ldns_rdf_size(lmac) - 2;
			p = ldns_query("host.example.test.", 0x4242, true);
			CU_ASSERT_FATAL(ldns_pkt2wire(&wire, p, &wlen) ==
			    LDNS_STATUS_OK);
			memcpy(buf, wire, wlen);
			len = wlen;
			free(wire);
			ldns_pkt_free(p);
			CU_ASSERT_FATAL(tsig_sign_answer(&srv, buf, &len,
			    sizeof(buf), (uint64_t)time(NULL), 0, 0, &err) == 0);
			CU_ASSERT_FATAL(ldns_wire2pkt(&parsed, buf, len) ==
			    LDNS_STATUS_OK);
			CU_ASSERT(ldns_pkt_tsig_verify(parsed, buf, len, kname,
			    t[i].b64, reqmac));
			ldns_pkt_free(parsed);
			tsig_ctx_clean(&srv);
		}
		ldns_rdf_deep_free(reqmac);
		tsig_ctx_clean(&ctx);
		tsig_key_clean(&key);
	}
}

/* --- our own round trips ---------------------------------------------- */

static void
test_roundtrip_all_algs(void)
{
	static const char *secrets[] = {
		[TSIG_HMAC_MD5] = "5Oy+Nyuiibpq8xT35SHqIw==",
		[TSIG_HMAC_SHA1] = "NC2BBKvCPP0ohekwWwkI13mb6Vs=",
		[TSIG_HMAC_SHA224] = "NWN130h63VK7hsiGmc3SQtLEUT/BpXBV3WQq0g==",
		[TSIG_HMAC_SHA256] = sha256_b64,
		[TSIG_HMAC_SHA384] = "D/fVFr2+oQIpukdd5wowoDzjlPqk3dezYyct9UcfMB"
		    "amTlFKnWrv8qFwSvx12bP9",
		[TSIG_HMAC_SHA512] = "wDrdtrrd1bj7ey7Qtr1MIWm4oVnGkauZ3gBEspn8fXK4"
		    "YMOK5wvBIVrJCayM1H3TXEAMd/BLiRfFWmY64DpLrA==",
	};
	struct pair pp;
	struct error err;
	size_t unsigned_len, mlen;
	int a;

	for (a = TSIG_HMAC_MD5; a <= TSIG_HMAC_SHA512; a++) {
		pair_init(&pp, (enum tsig_alg)a, secrets[a]);
		CU_ASSERT_EQUAL(pp.cli.mac_len, tsig_mac_size((enum tsig_alg)a));
		CU_ASSERT_EQUAL(get16(pp.q + 10), 1);
		unsigned_len = pp.alen;
		CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen,
		    sizeof(pp.a), T0 + 5, 0, 0, &err) == 0);
		CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, pp.alen, T0 + 10,
		    &mlen, &err), 0);
		CU_ASSERT_EQUAL(pp.cli.status, TSIG_OK);
		CU_ASSERT_EQUAL(mlen, unsigned_len);
		CU_ASSERT_EQUAL(pp.cli.answers, 1);
		pair_clean(&pp);
	}
}

/* A forwarder may change the header ID (RFC 8945 5.5): the MAC covers the
 * original ID from the TSIG RR, so that still verifies. */
static void
test_id_rewrite_verifies(void)
{
	struct pair pp;
	struct error err;

	pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
	CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen, sizeof(pp.a),
	    T0, 0, 0, &err) == 0);
	pp.a[0] ^= 0xff;
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, pp.alen, T0, NULL, &err), 0);
	pair_clean(&pp);
}

/* Every byte except the header ID is covered: flip each one in turn.
 * Any change must fail (no crash, no success), whatever the status. */
static void
test_every_byte_covered(void)
{
	struct pair pp;
	struct error err;
	size_t i;
	int rc;

	pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
	CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen, sizeof(pp.a),
	    T0, 0, 0, &err) == 0);
	for (i = 2; i < pp.alen; i++) {
		struct tsig_ctx c;

		tsig_init(&c, &pp.key);
		memcpy(c.mac, pp.cli.mac, pp.cli.mac_len);
		c.mac_len = pp.cli.mac_len;
		pp.a[i] ^= 0x20;	/* also flips letter case in names */
		rc = tsig_verify(&c, pp.a, pp.alen, T0, NULL, &err);
		pp.a[i] ^= 0x20;
		/* Case in the TSIG owner and algorithm names is not covered:
		 * they enter the MAC in canonical form (RFC 8945 4.3.3). */
		if (rc == 0)
			CU_ASSERT(pp.a[i] >= 'a' && pp.a[i] <= 'z');
		tsig_ctx_clean(&c);
	}
	pair_clean(&pp);
}

static void
test_tampered(void)
{
	struct pair pp;
	struct error err;
	uint8_t copy[BUFSZ];

	pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
	CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen, sizeof(pp.a),
	    T0, 0, 0, &err) == 0);
	memcpy(copy, pp.a, pp.alen);

	/* Last byte of the MAC (before orig ID, error, other len). */
	copy[pp.alen - 7] ^= 0x01;
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, copy, pp.alen, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_BADMAC);
	CU_ASSERT_EQUAL(err.kind, ERR_AUTH);
	check_msg(&err, "MAC does not verify", &pp.key);

	/* The A record's address. */
	memcpy(copy, pp.a, pp.alen);
	copy[12 + 23 + 15] ^= 0x01;
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, copy, pp.alen, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_BADMAC);

	/* The untouched answer still verifies: failures change no state. */
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, pp.alen, T0, NULL, &err), 0);
	pair_clean(&pp);
}

static void
test_time(void)
{
	static const struct {
		long long	 offset;	/* server time - client time */
		int		 rc;
	} t[] = {
		{ 0, 0 }, { 300, 0 }, { -300, 0 }, { 301, -1 }, { -301, -1 },
		{ 400, -1 }, { -86400, -1 },
	};
	struct pair pp;
	struct error err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
		CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen,
		    sizeof(pp.a), (uint64_t)((long long)T0 + t[i].offset), 0, 0,
		    &err) == 0);
		CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, pp.alen, T0, NULL,
		    &err), t[i].rc);
		if (t[i].rc < 0) {
			char want[64];

			CU_ASSERT_EQUAL(pp.cli.status, TSIG_BADTIME);
			CU_ASSERT_EQUAL(pp.cli.skew, t[i].offset);
			snprintf(want, sizeof(want), "clocks differ by %lld s",
			    t[i].offset);
			check_msg(&err, want, &pp.key);
		}
		pair_clean(&pp);
	}
}

static void
test_unsigned_answer(void)
{
	static const char *names[] = { "NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
	    "NOTAUTH", "NOTZONE" };
	struct pair pp;
	struct error err;
	char want[64];
	size_t mlen;
	unsigned rc;

	for (rc = 0; rc < sizeof(names) / sizeof(names[0]); rc++) {
		pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
		pp.a[3] = (uint8_t)((pp.a[3] & 0xf0) | rc);
		CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, pp.alen, T0, &mlen,
		    &err), -1);
		CU_ASSERT_EQUAL(pp.cli.status, TSIG_UNSIGNED);
		CU_ASSERT_EQUAL(err.kind, ERR_AUTH);
		CU_ASSERT_EQUAL(mlen, pp.alen);
		snprintf(want, sizeof(want), "answer is not TSIG-signed (rcode "
		    "%s)", names[rc]);
		check_msg(&err, want, &pp.key);
		pair_clean(&pp);
	}
}

/* The server's TSIG error field: BADSIG/BADKEY unsigned, BADTIME signed. */
static void
test_server_errors(void)
{
	static const struct {
		uint16_t	 error;
		enum tsig_status st;
		const char	*want;
	} t[] = {
		{ 16, TSIG_BADSIG, "server rejected our TSIG: BADSIG (wrong "
		  "secret or algorithm for key 'rollcall.example.test.')" },
		{ 17, TSIG_BADKEY, "BADKEY (the server does not know key "
		  "'rollcall.example.test.' with algorithm hmac-sha256, or its "
		  "ACL does not allow this key this request)" },
		{ 18, TSIG_BADTIME, "BADTIME: clocks differ by 1000 s" },
		{ 22, TSIG_BADTRUNC, "BADTRUNC" },
		{ 99, TSIG_FORMERR, "unknown TSIG error 99" },
	};
	struct pair pp;
	struct error err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
		pp.a[3] = (pp.a[3] & 0xf0) | 9;		/* NOTAUTH */
		CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen,
		    sizeof(pp.a), T0, t[i].error, T0 + 1000, &err) == 0);
		CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, pp.alen, T0, NULL,
		    &err), -1);
		CU_ASSERT_EQUAL(pp.cli.status, t[i].st);
		CU_ASSERT_EQUAL(err.kind, ERR_AUTH);
		check_msg(&err, t[i].want, &pp.key);
		if (t[i].st == TSIG_BADTIME)
			CU_ASSERT_EQUAL(pp.cli.skew, 1000);
		pair_clean(&pp);
	}
}

/* The server signs a copy of pp's answer with `key`; returns its length. */
static size_t
sign_with(struct pair *pp, const struct tsig_key *key, uint8_t *out)
{
	struct tsig_ctx srv;
	struct error err;
	size_t len = pp->alen;

	memcpy(out, pp->a, pp->alen);
	tsig_init(&srv, key);
	memcpy(srv.mac, pp->cli.mac, pp->cli.mac_len);
	srv.mac_len = pp->cli.mac_len;
	CU_ASSERT_FATAL(tsig_sign_answer(&srv, out, &len, BUFSZ, T0, 0, 0,
	    &err) == 0);
	tsig_ctx_clean(&srv);
	return len;
}

static void
test_wrong_key(void)
{
	struct pair pp;
	struct tsig_key other;
	struct error err;
	uint8_t buf[BUFSZ];
	size_t len;

	pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);

	/* Same secret, other name. */
	other = pp.key;
	snprintf(other.name, sizeof(other.name), "other.example.test.");
	len = sign_with(&pp, &other, buf);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, buf, len, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_WRONG_KEY);
	CU_ASSERT_EQUAL(err.kind, ERR_AUTH);
	check_msg(&err, "signed with key 'other.example.test.', not "
	    "'rollcall.example.test.'", &pp.key);

	/* Same name, other algorithm. */
	other = pp.key;
	other.alg = TSIG_HMAC_SHA512;
	len = sign_with(&pp, &other, buf);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, buf, len, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_WRONG_KEY);
	check_msg(&err, "algorithm 'hmac-sha512.', not 'hmac-sha256.'", &pp.key);

	/* Key name case does not matter (canonical form, RFC 8945 4.3.3). */
	other = pp.key;
	snprintf(other.name, sizeof(other.name), "RollCall.Example.TEST");
	len = sign_with(&pp, &other, buf);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, buf, len, T0, NULL, &err), 0);

	/* Another secret under our name is a bad MAC. */
	other = pp.key;
	other.secret[0] ^= 1;
	len = sign_with(&pp, &other, buf);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, buf, len, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_BADMAC);
	tsig_key_clean(&other);
	pair_clean(&pp);
}

/* RFC 8945 5.2.2.1: truncated MACs down to max(10, half) are accepted. */
static void
test_mac_truncation(void)
{
	static const struct {
		size_t		 keep;
		int		 rc;
		enum tsig_status st;
	} t[] = {
		{ 32, 0, TSIG_OK }, { 20, 0, TSIG_OK }, { 16, 0, TSIG_OK },
		{ 15, -1, TSIG_FORMERR }, { 10, -1, TSIG_FORMERR },
		{ 0, -1, TSIG_FORMERR },
	};
	uint8_t mac[TSIG_MAX_MAC], buf[BUFSZ];
	struct pair pp;
	struct error err;
	size_t i, base, len;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
		base = pp.alen;
		memcpy(buf, pp.a, base);
		CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen,
		    sizeof(pp.a), T0, 0, 0, &err) == 0);
		memcpy(mac, pp.srv.mac, pp.srv.mac_len);
		len = append_tsig(buf, base, "rollcall.example.test",
		    "hmac-sha256", T0, 300, mac, t[i].keep, 0x1234, 0, NULL, 0);
		CU_ASSERT_EQUAL(tsig_verify(&pp.cli, buf, len, T0, NULL, &err),
		    t[i].rc);
		CU_ASSERT_EQUAL(pp.cli.status, t[i].st);
		pair_clean(&pp);
	}

	/* Longer than the hash is malformed. */
	pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
	memset(mac, 0, sizeof(mac));
	len = append_tsig(pp.a, pp.alen, "rollcall.example.test", "hmac-sha256",
	    T0, 300, mac, 33, 0x1234, 0, NULL, 0);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, len, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_FORMERR);
	pair_clean(&pp);
}

/* RFC 8945 5.4 / 4.2: the TSIG RR must be the last record, exactly once. */
static void
test_misplaced_tsig(void)
{
	static const uint8_t extra_a[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60,
	    0, 4, 10, 0, 0, 1 };
	struct pair pp;
	struct error err;
	uint8_t copy[BUFSZ];
	size_t len;

	pair_init(&pp, TSIG_HMAC_SHA256, sha256_b64);
	CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen, sizeof(pp.a),
	    T0, 0, 0, &err) == 0);

	/* A record after the TSIG. */
	memcpy(copy, pp.a, pp.alen);
	memcpy(copy + pp.alen, extra_a, sizeof(extra_a));
	len = pp.alen + sizeof(extra_a);
	put16(copy + 10, get16(copy + 10) + 1);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, copy, len, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_FORMERR);
	CU_ASSERT_EQUAL(err.kind, ERR_PROTO);
	check_msg(&err, "not the last record", &pp.key);

	/* The TSIG counted in the authority section instead. */
	memcpy(copy, pp.a, pp.alen);
	put16(copy + 8, 1);
	put16(copy + 10, 0);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, copy, pp.alen, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_FORMERR);

	/* Two TSIG RRs. */
	memcpy(copy, pp.a, pp.alen);
	memcpy(copy + pp.alen, pp.a + 12 + 23 + 16, pp.alen - (12 + 23 + 16));
	len = pp.alen + pp.alen - (12 + 23 + 16);
	put16(copy + 10, 2);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, copy, len, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_FORMERR);

	/* Trailing garbage. */
	memcpy(copy, pp.a, pp.alen);
	copy[pp.alen] = 0;
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, copy, pp.alen + 1, T0, NULL, &err),
	    -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_FORMERR);

	/* And the original is still fine. */
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, pp.alen, T0, NULL, &err), 0);
	pair_clean(&pp);
}

/* Hostile input: every prefix of a signed answer, and compression loops. */
static void
test_truncated_and_garbage(void)
{
	struct pair pp;
	struct error err;
	uint8_t *copy, loop[64];
	size_t n, len;
	unsigned seed = 12345, i, j;

	pair_init(&pp, TSIG_HMAC_SHA512, "wDrdtrrd1bj7ey7Qtr1MIWm4oVnGkauZ3gBEs"
	    "pn8fXK4YMOK5wvBIVrJCayM1H3TXEAMd/BLiRfFWmY64DpLrA==");
	CU_ASSERT_FATAL(tsig_sign_answer(&pp.srv, pp.a, &pp.alen, sizeof(pp.a),
	    T0, 0, 0, &err) == 0);
	for (n = 0; n < pp.alen; n++) {
		/* An exact-size heap copy, so ASan sees any overread. */
		copy = malloc(n ? n : 1);
		CU_ASSERT_FATAL(copy != NULL);
		memcpy(copy, pp.a, n);
		CU_ASSERT_EQUAL(tsig_verify(&pp.cli, copy, n, T0, NULL, &err), -1);
		CU_ASSERT(pp.cli.status == TSIG_FORMERR);
		free(copy);
	}
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, pp.a, pp.alen, T0, NULL, &err), 0);

	/* A TSIG owner that is a compression pointer to itself. */
	len = build_msg(loop, 1, 0x8000, "a", 1);
	memcpy(loop + len, "\xc0\x11\x00\xfa\x00\xff\0\0\0\0\x00\x00", 12);
	loop[len + 1] = (uint8_t)len;
	len += 12;
	put16(loop + 10, 1);
	CU_ASSERT_EQUAL(tsig_verify(&pp.cli, loop, len, T0, NULL, &err), -1);
	CU_ASSERT_EQUAL(pp.cli.status, TSIG_FORMERR);

	/* Random garbage with plausible headers. */
	for (i = 0; i < 2000; i++) {
		uint8_t g[128];

		for (j = 0; j < sizeof(g); j++) {
			seed = seed * 1103515245 + 12345;
			g[j] = (uint8_t)(seed >> 16);
		}
		g[4] = 0;
		g[5] &= 1;
		g[6] = g[8] = g[10] = 0;
		g[7] &= 3;
		g[9] &= 3;
		g[11] &= 3;
		n = 12 + (seed >> 8) % (sizeof(g) - 12);
		copy = malloc(n);
		CU_ASSERT_FATAL(copy != NULL);
		memcpy(copy, g, n);
		(void)tsig_verify(&pp.cli, copy, n, T0, NULL, &err);
		free(copy);
	}
	pair_clean(&pp);
}

/* --- multi-message answers (RFC 8945 5.3.1) --------------------------- */

struct axfr {
	struct pair	 pp;
	uint8_t		 m[3][BUFSZ];
	size_t		 len[3];
};

/* Three messages: signed, unsigned, signed. */
static void
axfr_build(struct axfr *x)
{
	struct error err;
	int i;

	pair_init(&x->pp, TSIG_HMAC_SHA256, sha256_b64);
	for (i = 0; i < 3; i++) {
		x->len[i] = build_msg(x->m[i], 0x1234, 0x8400, "example.test",
		    252);
		x->len[i] = add_answer_a(x->m[i], x->len[i]);
		x->m[i][x->len[i] - 1] = (uint8_t)i;	/* distinct content */
	}
	CU_ASSERT_FATAL(tsig_sign_answer(&x->pp.srv, x->m[0], &x->len[0],
	    BUFSZ, T0, 0, 0, &err) == 0);
	CU_ASSERT_FATAL(tsig_sign_skip(&x->pp.srv, x->m[1], x->len[1],
	    &err) == 0);
	CU_ASSERT_FATAL(tsig_sign_answer(&x->pp.srv, x->m[2], &x->len[2],
	    BUFSZ, T0 + 1, 0, 0, &err) == 0);
}

static void
test_multi_message(void)
{
	struct axfr *x = calloc(1, sizeof(*x));
	struct error err;

	CU_ASSERT_FATAL(x != NULL);
	axfr_build(x);
	CU_ASSERT_EQUAL(get16(x->m[1] + 10), 0);	/* really unsigned */
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[0], x->len[0], T0, NULL,
	    &err), 0);
	CU_ASSERT_EQUAL(tsig_pending_unsigned(&x->pp.cli), 0);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[1], x->len[1], T0, NULL,
	    &err), 0);
	CU_ASSERT_EQUAL(tsig_pending_unsigned(&x->pp.cli), 1);
	CU_ASSERT_PTR_NOT_NULL(x->pp.cli.pending);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[2], x->len[2], T0, NULL,
	    &err), 0);
	CU_ASSERT_EQUAL(tsig_pending_unsigned(&x->pp.cli), 0);
	CU_ASSERT_EQUAL(x->pp.cli.answers, 3);
	pair_clean(&x->pp);

	/* A tampered unsigned middle message is caught by the next MAC. */
	axfr_build(x);
	x->m[1][x->len[1] - 2] ^= 1;
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[0], x->len[0], T0, NULL,
	    &err), 0);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[1], x->len[1], T0, NULL,
	    &err), 0);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[2], x->len[2], T0, NULL,
	    &err), -1);
	CU_ASSERT_EQUAL(x->pp.cli.status, TSIG_BADMAC);
	pair_clean(&x->pp);

	/* A dropped middle message too. */
	axfr_build(x);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[0], x->len[0], T0, NULL,
	    &err), 0);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[2], x->len[2], T0, NULL,
	    &err), -1);
	CU_ASSERT_EQUAL(x->pp.cli.status, TSIG_BADMAC);
	pair_clean(&x->pp);

	/* The first message must be signed. */
	axfr_build(x);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[1], x->len[1], T0, NULL,
	    &err), -1);
	CU_ASSERT_EQUAL(x->pp.cli.status, TSIG_UNSIGNED);
	pair_clean(&x->pp);
	free(x);
}

/* RFC 8945 5.3.1: up to 99 unsigned messages in a row, not 100. */
static void
test_unsigned_run_limit(void)
{
	struct axfr *x = calloc(1, sizeof(*x));
	struct error err;
	int i;

	CU_ASSERT_FATAL(x != NULL);
	axfr_build(x);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[0], x->len[0], T0, NULL,
	    &err), 0);
	for (i = 0; i < 99; i++)
		CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[1], x->len[1], T0,
		    NULL, &err), 0);
	CU_ASSERT_EQUAL(tsig_pending_unsigned(&x->pp.cli), 99);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[1], x->len[1], T0, NULL,
	    &err), -1);
	CU_ASSERT_EQUAL(x->pp.cli.status, TSIG_UNSIGNED);
	check_msg(&err, "more than 99 unsigned", &x->pp.key);

	/* The server side refuses the 100th as well. */
	for (i = 0; i < 99; i++)
		CU_ASSERT_EQUAL(tsig_sign_skip(&x->pp.srv, x->m[1], x->len[1],
		    &err), 0);
	CU_ASSERT_EQUAL(tsig_sign_skip(&x->pp.srv, x->m[1], x->len[1], &err),
	    -1);
	pair_clean(&x->pp);
	free(x);
}

/* --- misc ------------------------------------------------------------- */

static void
test_no_room(void)
{
	struct tsig_key key;
	struct tsig_ctx ctx;
	struct error err;
	uint8_t buf[BUFSZ];
	size_t len, base;

	make_key(&key, "rollcall.example.test", TSIG_HMAC_SHA512,
	    sha256_b64);
	tsig_init(&ctx, &key);
	base = len = build_msg(buf, 1, 0, "example.test", 6);
	/* owner 23 + 10 + alg 13 + 6 + 2 + 2 + 64 + 6 = 126 bytes needed */
	CU_ASSERT_EQUAL(tsig_sign(&ctx, buf, &len, base + 125, T0, &err), -1);
	CU_ASSERT_EQUAL(err.kind, ERR_SYS);
	CU_ASSERT_EQUAL(len, base);
	CU_ASSERT_EQUAL(get16(buf + 10), 0);
	CU_ASSERT_EQUAL(tsig_sign(&ctx, buf, &len, base + 126, T0, &err), 0);
	CU_ASSERT_EQUAL(len, base + 126);

	/* A message shorter than a header cannot be signed. */
	len = 5;
	CU_ASSERT_EQUAL(tsig_sign(&ctx, buf, &len, sizeof(buf), T0, &err), -1);
	tsig_ctx_clean(&ctx);

	/* Neither can anything with a key that has no secret. */
	tsig_key_clean(&key);
	tsig_init(&ctx, &key);
	len = base;
	CU_ASSERT_EQUAL(tsig_sign(&ctx, buf, &len, sizeof(buf), T0, &err), -1);
	CU_ASSERT_EQUAL(err.kind, ERR_CONFIG);
	tsig_ctx_clean(&ctx);
}

static void
test_clean_wipes(void)
{
	static const uint8_t zero[TSIG_MAX_SECRET];
	struct axfr *x = calloc(1, sizeof(*x));
	struct error err;

	CU_ASSERT_FATAL(x != NULL);
	axfr_build(x);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[0], x->len[0], T0, NULL,
	    &err), 0);
	CU_ASSERT_EQUAL(tsig_verify(&x->pp.cli, x->m[1], x->len[1], T0, NULL,
	    &err), 0);
	CU_ASSERT_PTR_NOT_NULL(x->pp.cli.pending);
	tsig_ctx_clean(&x->pp.cli);
	CU_ASSERT_PTR_NULL(x->pp.cli.pending);
	CU_ASSERT_EQUAL(x->pp.cli.mac_len, 0);
	CU_ASSERT(memcmp(x->pp.cli.mac, zero, sizeof(x->pp.cli.mac)) == 0);
	tsig_ctx_clean(&x->pp.cli);	/* twice is fine */
	tsig_ctx_clean(NULL);
	tsig_key_clean(&x->pp.key);
	CU_ASSERT_EQUAL(x->pp.key.secret_len, 0);
	CU_ASSERT(memcmp(x->pp.key.secret, zero, sizeof(zero)) == 0);
	tsig_key_clean(NULL);
	pair_clean(&x->pp);
	free(x);
}

void
suite_tsig(void)
{
	CU_pSuite s = test_add_suite("tsig");

	test_add(s, "algorithm names", test_alg_names);
	test_add(s, "HMAC vectors (RFC 2202, RFC 4231)", test_hmac_vectors);
	test_add(s, "signed query equals dig's", test_sign_matches_dig);
	test_add(s, "verify Kea-signed answer", test_verify_kea_answer);
	test_add(s, "verify BIND one-answer AXFR", test_verify_bind_axfr);
	test_add(s, "signed BADTIME answer", test_verify_badtime_vector);
	test_add(s, "cross-check with ldns", test_ldns_cross);
	test_add(s, "round trip, all algorithms", test_roundtrip_all_algs);
	test_add(s, "rewritten header ID verifies", test_id_rewrite_verifies);
	test_add(s, "every byte is covered", test_every_byte_covered);
	test_add(s, "tampered MAC or message", test_tampered);
	test_add(s, "time outside fudge", test_time);
	test_add(s, "unsigned answer names rcode", test_unsigned_answer);
	test_add(s, "server TSIG errors", test_server_errors);
	test_add(s, "wrong key name or algorithm", test_wrong_key);
	test_add(s, "MAC truncation", test_mac_truncation);
	test_add(s, "misplaced TSIG record", test_misplaced_tsig);
	test_add(s, "truncated and garbage input", test_truncated_and_garbage);
	test_add(s, "multi-message answer", test_multi_message);
	test_add(s, "99 unsigned messages at most", test_unsigned_run_limit);
	test_add(s, "no room to sign", test_no_room);
	test_add(s, "clean wipes secrets and state", test_clean_wipes);
}
