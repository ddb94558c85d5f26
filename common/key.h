/*
 * key.h - TSIG keys as nsupdate and knsupdate read them.
 *
 * Key files in three formats, told apart by their first line that is
 * neither blank nor a '#' comment:
 *  - named.conf syntax as written by tsig-keygen and ddns-confgen:
 *      key "name" { algorithm hmac-sha256; secret "base64"; };
 *    with #, // and C comments, several keys per file;
 *  - Knot's configuration syntax as written by keymgr -t:
 *      key:
 *        - id: name
 *          algorithm: hmac-sha256
 *          secret: base64
 *    with # comments and "quoted" values, several keys per file;
 *  - knsupdate -k's line [alg:]name:secret (one key per line);
 * and nsupdate's -y argument [alg:]name:secret.
 */
#ifndef RC_KEY_H
#define RC_KEY_H

#include <stdbool.h>

#include "error.h"
#include "tsig.h"

/*
 * Load the key called `name` from `path`, a key file in any of the three
 * formats; name NULL: the file must hold exactly one key.  *loose_perms is
 * set when the file is readable by group or other (the caller warns).  On
 * error returns -1 with ERR_CONFIG and a message "path:line: reason" that
 * never contains the secret.
 */
int	key_load_file(const char *path, const char *name, struct tsig_key *out,
	    bool *loose_perms, struct error *err);

/* Parse nsupdate's -y argument [alg:]name:secret (default hmac-sha256, not
 * nsupdate's hmac-md5).  Returns 0, or -1 with ERR_USAGE and a one-line
 * message that shows neither the secret nor the name. */
int	key_parse_y(const char *arg, struct tsig_key *out, struct error *err);

/* Where the key comes from, in order of precedence (as nsupdate): -y,
 * then -k, then the config's key_file (key_name picks one of a file). */
struct key_source {
	const char	*y_arg;		/* -y, or NULL */
	const char	*k_arg;		/* -k, or NULL */
	const char	*conf_path;	/* for "no key" messages */
	const char	*key_file;	/* config; "" = none */
	const char	*key_name;	/* config; "" = the only key */
};

/*
 * Load the key of src into *out.  *used_y tells the caller to warn that
 * the secret shows in the process list; *loose_perms that the file is
 * readable by group/other.  -1 with err (ERR_CONFIG/ERR_USAGE) when there
 * is no key or it cannot be loaded.
 */
int	key_select(const struct key_source *src, struct tsig_key *out,
	    bool *used_y, bool *loose_perms, struct error *err);

#endif
