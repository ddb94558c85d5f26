/*
 * regrecord.h - the registration record, the agent/coordinator contract.
 *
 * Host H in pool P publishes one TXT RR at H._rollcall.P:
 *
 *   "v=rc1 t=1764075549 lease=180 a=192.0.2.11 a=2001:db8::11"
 *
 * v      format version, "rc1"
 * t      UTC time (seconds since the epoch) of H's last heartbeat
 * lease  seconds after t before the coordinator may expire H
 * a      an address H owns at P (A or AAAA), once per address
 *
 * Tokens are separated by single spaces.  A TXT character-string holds at
 * most 255 octets, so a long record is split into several strings at token
 * boundaries; a reader joins the strings with a space.  Unknown tokens of
 * the form key=value are ignored so that later minor versions stay
 * readable; anything else is malformed.
 */
#ifndef RC_REGRECORD_H
#define RC_REGRECORD_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define REG_VERSION	"rc1"
#define REG_LABEL	"_rollcall"
#define REG_MAX_ADDRS	32
#define REG_MAX_LEASE	(86400u * 365)
/* Longest presentation form: 32 IPv6 addresses with quotes and spacing. */
#define REG_TEXT_MAX	2048

struct reg_addr {
	int		family;		/* AF_INET or AF_INET6 */
	unsigned char	bytes[16];
};

struct registration {
	uint64_t	heartbeat;	/* seconds since the epoch, UTC */
	uint32_t	lease;		/* seconds */
	size_t		naddrs;
	struct reg_addr	addrs[REG_MAX_ADDRS];
};

/* Parse a textual address ("192.0.2.1", "2001:DB8::1") into *a. */
int	reg_addr_parse(const char *s, struct reg_addr *a);
/* Canonical text form (inet_ntop) into buf of at least 46 bytes. */
void	reg_addr_format(const struct reg_addr *a, char *buf, size_t len);
int	reg_addr_equal(const struct reg_addr *a, const struct reg_addr *b);
/* True if a is listed in r. */
int	reg_has_addr(const struct registration *r, const struct reg_addr *a);

/*
 * Write r as TXT rdata in presentation form (one or more quoted strings,
 * e.g. "\"v=rc1 t=1 lease=180 a=192.0.2.1\"") into out.  Returns 0, or -1
 * if it does not fit.
 */
int	reg_format(const struct registration *r, char *out, size_t outlen);

/*
 * Parse TXT rdata in presentation form (quoted strings as printed by dig
 * or ldns) into *r.  Returns 0, or -1 with ERR_PROTO and the reason.
 */
int	reg_parse(const char *txt, struct registration *r, struct error *err);

#endif
