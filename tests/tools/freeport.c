/*
 * freeport - print a port number on 127.0.0.1 that is free for both TCP and
 * UDP right now, for the integration tests to hand to a DNS server.
 *
 * The kernel picks an ephemeral TCP port (bind to port 0); we then try to
 * bind UDP on the same number.  The sockets are closed before printing, so
 * the caller races everyone else for the port: the test library retries the
 * server start on another port when its bind fails.
 *
 * Exit: 0 and the port on stdout; 1 when no port was found.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TRIES	20

static int
bind_loopback(int type, unsigned short port, unsigned short *bound)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	if ((fd = socket(AF_INET, type | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	*bound = ntohs(sin.sin_port);
	return fd;
}

int
main(void)
{
	unsigned short port, uport;
	int i, tfd, ufd;

	for (i = 0; i < TRIES; i++) {
		/* Not listening, so closing leaves no TIME_WAIT behind. */
		if ((tfd = bind_loopback(SOCK_STREAM, 0, &port)) == -1) {
			perror("freeport: tcp bind");
			return 1;
		}
		ufd = bind_loopback(SOCK_DGRAM, port, &uport);
		close(tfd);
		if (ufd != -1) {
			close(ufd);
			printf("%u\n", (unsigned)port);
			return fflush(stdout) == 0 ? 0 : 1;
		}
	}
	fprintf(stderr, "freeport: no port free for both TCP and UDP after %d tries\n",
	    TRIES);
	return 1;
}
