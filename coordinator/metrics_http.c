#include "metrics_http.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "log.h"
#include "transport.h"

/* Prometheus's text format, version 0.0.4 */
#define CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
/*
 * A scraper needs one connection; a few more for curl by hand.  Idle ones
 * are closed after HTTP_IDLE_S, but that is idle time only: a client that
 * trickles a header line every few seconds keeps its connection as long
 * as it likes.  So one address may hold HTTP_PER_IP at most, and the
 * others stay free for the scraper.  Clients from many addresses (or
 * local users beside a scraper on loopback) can still hold them all:
 * keep the listener on loopback or behind a firewall.
 */
#define HTTP_CONNECTIONS	16
#define HTTP_PER_IP		4
#define HTTP_IDLE_S		10

struct metrics_http {
	struct MHD_Daemon	*d;
	struct coord_metrics	*m;
};

static void mhd_log(void *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

/* libmicrohttpd's own messages (a client that went away ...) are no
 * operator's business: debug only. */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_debug("metrics listener: %s", buf);
}

/* The default %HH decoding, but a path with an escaped NUL in it
 * ("/metrics%00...") becomes "", which matches nothing: compared as a C
 * string it would pass for what comes before the NUL. */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	size_t n = MHD_http_unescape(s);

	(void)cls;
	(void)c;
	if (strlen(s) != n) {
		s[0] = '\0';
		return 0;
	}
	return n;
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, char *body, size_t len,
    const char *type)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	char *body = strdup(text);

	return body == NULL ? MHD_NO : reply(c, status, body, strlen(body),
	    "text/plain; charset=utf-8");
}

static enum MHD_Result
serve_metrics(struct metrics_http *h, struct MHD_Connection *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return MHD_NO;
	pthread_mutex_lock(&h->m->lock);
	rc = metrics_render(h->m, f);
	pthread_mutex_unlock(&h->m->lock);
	if (fclose(f) != 0 || rc == -1) {
		free(buf);
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "cannot render the metrics\n");
	}
	return reply(c, MHD_HTTP_OK, buf, len, CONTENT_TYPE);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct metrics_http *h = cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "only GET and HEAD\n");
	if (strcmp(url, "/metrics") == 0)
		return serve_metrics(h, c);
	if (strcmp(url, "/") == 0)
		return reply_text(c, MHD_HTTP_OK,
		    "rollcall-coordinator: see /metrics\n");
	return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n");
}

int
metrics_http_start(struct metrics_http **out, const char *addr,
    uint16_t port, struct coord_metrics *m, struct error *err)
{
	struct metrics_http *h;
	sigset_t block, old;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	    MHD_USE_AUTO;
	int fd;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return err_set(err, ERR_SYS, "out of memory");
	h->m = m;
	/* the transport module owns sockets: it binds, so a taken port is
	 * reported with its reason */
	if ((fd = xfer_tcp_listen(addr, port, err)) == -1) {
		free(h);
		return err_prefix(err, "metrics_listen");
	}
	if (strchr(addr, ':') != NULL)
		flags |= MHD_USE_IPv6;
	/* The server's thread must never take SIGTERM or SIGHUP: the main
	 * thread's poll would not wake for them.  A thread inherits the
	 * mask it was created with. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, h,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTIONS,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_PER_IP,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_S,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (h->d == NULL) {
		close(fd);
		free(h);
		return err_set(err, ERR_SYS, "metrics_listen: %s port %u: the "
		    "HTTP server (libmicrohttpd) did not start", addr, port);
	}
	*out = h;
	return 0;
}

void
metrics_http_stop(struct metrics_http *h)
{
	if (h == NULL)
		return;
	/* joins the thread and closes the listening socket */
	MHD_stop_daemon(h->d);
	free(h);
}
