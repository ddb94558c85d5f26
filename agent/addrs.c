#include "addrs.h"

#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

static int
source_toward(const struct server *s, struct reg_addr *out)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	int fd, rc = -1;

	fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	/* connect() on UDP only asks the routing table: no packet leaves */
	if (connect(fd, (const struct sockaddr *)&s->addr, s->addrlen) == 0 &&
	    getsockname(fd, (struct sockaddr *)&local, &len) == 0) {
		memset(out, 0, sizeof(*out));
		out->family = local.ss_family;
		if (local.ss_family == AF_INET)
			memcpy(out->bytes,
			    &((struct sockaddr_in *)&local)->sin_addr, 4);
		else
			memcpy(out->bytes,
			    &((struct sockaddr_in6 *)&local)->sin6_addr, 16);
		rc = 0;
	}
	close(fd);
	return rc;
}

/* Addresses no other host can reach us on: publishing one would send
 * clients to themselves. */
static bool
unusable(const struct reg_addr *a)
{
	static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0xff, 0xff };
	static const unsigned char zero[16];

	if (a->family == AF_INET)
		return a->bytes[0] == 127 || a->bytes[0] == 0 ||
		    (a->bytes[0] == 169 && a->bytes[1] == 254);
	return memcmp(a->bytes, zero, 15) == 0 ||	/* :: and ::1 */
	    (a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80) ||
	    memcmp(a->bytes, v4mapped, sizeof(v4mapped)) == 0;
}

int
addrs_auto(const struct dns_client *c, struct reg_addr *out, size_t *n,
    struct error *err)
{
	static const int families[] = { AF_INET, AF_INET6 };
	size_t f, i;

	*n = 0;
	for (f = 0; f < 2; f++) {
		for (i = 0; i < c->nservers; i++) {
			if (c->servers[i].addr.ss_family != families[f])
				continue;
			if (source_toward(&c->servers[i], &out[*n]) == -1)
				continue;
			if (unusable(&out[*n])) {
				char text[64];

				reg_addr_format(&out[*n], text, sizeof(text));
				return err_set(err, ERR_CONFIG, "addresses \"auto\" "
				    "found %s toward %s (loopback or link-local: "
				    "no other host can use it); set addresses",
				    text, c->servers[i].label);
			}
			(*n)++;
			break;
		}
	}
	if (*n == 0)
		return err_set(err, ERR_NET, "addresses \"auto\": no route "
		    "toward %s: %s", c->nservers ? c->servers[0].label : "the "
		    "server", strerror(errno));
	return 0;
}
