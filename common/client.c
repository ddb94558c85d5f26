#include "client.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define CLIENT_UDP_MAX	1232

void
client_init(struct dns_client *c, const struct conf_net *n,
    const struct tsig_key *key)
{
	memset(c, 0, sizeof(*c));
	c->xo.tcp_only = n->tcp;
	c->xo.timeout_ms = n->timeout * 1000;
	c->xo.try_ms = n->udp_timeout * 1000;
	c->xo.retries = n->retries;
	c->key = key;
}

int
client_set_servers(struct dns_client *c, char (*addrs)[64], size_t n,
    uint16_t port, struct error *err)
{
	size_t i;

	c->nservers = 0;
	for (i = 0; i < n && i < CONF_MAX_SERVERS; i++) {
		if (server_from_string(addrs[i], port, &c->servers[i], err) == -1)
			return -1;
		c->nservers++;
	}
	return 0;
}

static void
debug_dump(const char *title, const char *server, const uint8_t *wire,
    size_t len)
{
	char head[160], *text;

	if (log_verbose() < 1)
		return;
	text = msg_to_text(wire, len);
	snprintf(head, sizeof(head), "%s %s (%zu bytes)", title, server, len);
	log_debug_block(head, text ? text : "(no memory)");
	free(text);
}

/* Sign (if keyed), exchange, verify, parse.  wire has room for TSIG. */
static int
exchange(struct dns_client *c, uint8_t *wire, size_t len, size_t cap,
    struct answer *a, struct error *err)
{
	struct xfer_opts xo;
	struct tsig_ctx tc;
	uint8_t *ans = NULL;
	size_t anslen = 0, which = 0;
	int rc = -1;

	if (c->nservers == 0)
		return err_set(err, ERR_CONFIG, "no server to send to");
	tsig_init(&tc, c->key);
	if (c->key != NULL &&
	    tsig_sign(&tc, wire, &len, cap, (uint64_t)time(NULL), err) == -1)
		goto out;
	debug_dump("sending to", c->servers[0].label, wire, len);
	/* a large message would be fragmented over UDP and lost with any
	 * fragment: nsupdate too goes to TCP (DNS flag day 2020 size) */
	xo = c->xo;
	xo.tcp_only = xo.tcp_only || len > CLIENT_UDP_MAX;
	if (xfer_exchange(&xo, c->servers, c->nservers, wire, len, &ans,
	    &anslen, &which, err) == -1)
		goto out;
	snprintf(c->last_server, sizeof(c->last_server), "%s",
	    c->servers[which].label);
	debug_dump("answer from", c->last_server, ans, anslen);
	if (c->key != NULL &&
	    tsig_verify(&tc, ans, anslen, (uint64_t)time(NULL), NULL, err) == -1) {
		err_prefix(err, "%s", c->last_server);
		goto out;
	}
	if (answer_parse(ans, anslen, a, err) == -1) {
		err_prefix(err, "%s", c->last_server);
		goto out;
	}
	rc = 0;
out:
	tsig_ctx_clean(&tc);
	free(ans);
	return rc;
}

int
client_query(struct dns_client *c, const char *name, uint16_t type,
    struct answer *a, struct error *err)
{
	uint8_t *wire = NULL;
	size_t len, cap;
	int rc;

	if (query_to_wire(name, type, c->recursive, dns_random_id(), &wire,
	    &len, &cap, err) == -1)
		return -1;
	rc = exchange(c, wire, len, cap, a, err);
	free(wire);
	return rc;
}

int
client_update(struct dns_client *c, const struct update *u, struct answer *a,
    struct error *err)
{
	uint8_t *wire = NULL;
	size_t len, cap;
	int rc;

	if (update_to_wire(u, dns_random_id(), &wire, &len, &cap, err) == -1)
		return -1;
	rc = exchange(c, wire, len, cap, a, err);
	free(wire);
	return rc;
}
