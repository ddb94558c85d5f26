/*
 * fuzz_keyfile.c - TSIG key input: key_load_file on the input as a key
 * file (named.conf syntax, Knot YAML or one alg:name:secret line, as
 * key.c detects it), then key_parse_y on it as nsupdate's -y.
 *
 * Besides the sanitizers: a loaded key is usable, a failed load leaves no
 * secret behind, and no error message repeats a secret.  Secrets are base64
 * with upper case letters in practice, while every message we print is
 * lower case apart from "NUL", so a run of 8 or more base64 characters of
 * the input that holds an upper case letter must never show up in one.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "key.h"

#define SECRET_RUN_MIN	8

static bool
b64_char(uint8_t c)
{
	return isalnum(c) || c == '+' || c == '/' || c == '=';
}

static void
check_no_secret(const uint8_t *in, size_t size, const char *msg)
{
	size_t i = 0, start;
	bool upper;

	while (i < size) {
		if (!b64_char(in[i])) {
			i++;
			continue;
		}
		for (start = i, upper = false; i < size && b64_char(in[i]); i++)
			upper |= isupper(in[i]) != 0;
		if (upper && i - start >= SECRET_RUN_MIN &&
		    memmem(msg, strlen(msg), in + start, i - start) != NULL) {
			fprintf(stderr, "error message shows input '%.*s': %s\n",
			    (int)(i - start), (const char *)in + start, msg);
			abort();
		}
	}
}

static void
check_key(int rc, struct tsig_key *k, const struct error *err,
    const uint8_t *in, size_t size)
{
	size_t n = strlen(k->name);

	if (rc == 0) {
		if (k->secret_len == 0 || k->secret_len > TSIG_MAX_SECRET ||
		    tsig_mac_size(k->alg) == 0 || n == 0 || n > 254 ||
		    k->name[n - 1] != '.')
			abort();
	} else {
		if (k->secret_len != 0 || err->msg[0] == '\0')
			abort();
		check_no_secret(in, size, err->msg);
	}
	tsig_key_clean(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsig_key key;
	struct error err;
	const char *path = fuzz_file(data, size);
	bool loose;
	char *s;

	/* The only key of the file, then one by name (ddns-confgen's). */
	memset(&err, 0, sizeof(err));
	check_key(key_load_file(path, NULL, &key, &loose, &err), &key, &err,
	    data, size);
	memset(&err, 0, sizeof(err));
	check_key(key_load_file(path, "host1.example.test", &key, &loose,
	    &err), &key, &err, data, size);

	s = fuzz_string(data, size);
	memset(&err, 0, sizeof(err));
	check_key(key_parse_y(s, &key, &err), &key, &err, data, size);
	free(s);
	return 0;
}
