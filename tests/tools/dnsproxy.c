/*
 * dnsproxy - a UDP proxy in front of a real DNS server that misbehaves on
 * purpose, for the cases a real server cannot produce.  It speaks real
 * wire format: it forwards real requests and real answers, changing them
 * only as the mode says.
 *
 *   dnsproxy LISTEN_PORT SERVER_PORT MODE [COUNT]
 *
 * Modes (COUNT: how many answers are affected, default all):
 *   drop        drop the server's answer (the client retransmits; the
 *               server then sees the same message twice)
 *   dropnth     drop only the COUNTth answer, pass all others
 *   badmac      flip one bit of the TSIG MAC in the answer
 *   unsigned    cut the TSIG RR off the answer (ARCOUNT - 1)
 *   garbage     answer with the header only and random bytes after it
 *   wrongid     answer first with another ID, then the real answer
 *
 * Prints "ready" on stdout once listening; exits on SIGTERM.  Loopback only.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
udp_socket(uint16_t port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&a, sizeof(a)) == -1) {
		perror("bind");
		exit(1);
	}
	return fd;
}

/* Offset just past the name at off, or 0 if malformed. */
static size_t
skip_name(const uint8_t *m, size_t len, size_t off)
{
	while (off < len) {
		if ((m[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		if (m[off] == 0)
			return off + 1;
		off += (size_t)m[off] + 1;
	}
	return 0;
}

/* Offset of the last RR of the message, or 0. */
static size_t
last_rr(const uint8_t *m, size_t len)
{
	unsigned qd = (unsigned)(m[4] << 8 | m[5]);
	unsigned rrs = (unsigned)((m[6] << 8 | m[7]) + (m[8] << 8 | m[9]) +
	    (m[10] << 8 | m[11]));
	size_t off = 12, last = 0;

	while (qd-- > 0 && off)
		off = (off = skip_name(m, len, off)) ? off + 4 : 0;
	while (rrs-- > 0 && off && off < len) {
		last = off;
		if ((off = skip_name(m, len, off)) == 0 || off + 10 > len)
			return 0;
		off += 10 + (size_t)(m[off + 8] << 8 | m[off + 9]);
	}
	return off == len ? last : 0;
}

static void
flip_mac(uint8_t *m, size_t len)
{
	size_t rr = last_rr(m, len), off;

	if (rr == 0 || (off = skip_name(m, len, rr)) == 0)
		return;
	off += 10;				/* type class ttl rdlength */
	if ((off = skip_name(m, len, off)) == 0 || off + 10 >= len)
		return;
	off += 6 + 2 + 2;			/* time, fudge, mac size */
	if (off < len)
		m[off] ^= 0x01;
}

static size_t
cut_tsig(uint8_t *m, size_t len)
{
	size_t rr = last_rr(m, len);
	unsigned ar = (unsigned)(m[10] << 8 | m[11]);

	if (rr == 0 || ar == 0)
		return len;
	ar--;
	m[10] = (uint8_t)(ar >> 8);
	m[11] = (uint8_t)ar;
	return rr;
}

int
main(int argc, char **argv)
{
	uint8_t buf[65536];
	struct sockaddr_in client, server;
	socklen_t clen;
	int cfd, sfd, affected, seen = 0;
	ssize_t n;
	const char *mode;

	if (argc < 4) {
		fprintf(stderr, "usage: dnsproxy LISTEN SERVER MODE [COUNT]\n");
		return 2;
	}
	mode = argv[3];
	affected = argc > 4 ? atoi(argv[4]) : -1;
	cfd = udp_socket((uint16_t)atoi(argv[1]));
	sfd = udp_socket(0);
	memset(&server, 0, sizeof(server));
	server.sin_family = AF_INET;
	server.sin_port = htons((uint16_t)atoi(argv[2]));
	server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		clen = sizeof(client);
		n = recvfrom(cfd, buf, sizeof(buf), 0, (struct sockaddr *)&client,
		    &clen);
		if (n < 12)
			continue;
		sendto(sfd, buf, (size_t)n, 0, (struct sockaddr *)&server,
		    sizeof(server));
		n = recv(sfd, buf, sizeof(buf), 0);
		if (n < 12)
			continue;
		seen++;
		if (strcmp(mode, "dropnth") == 0) {
			if (seen == affected)
				continue;
		} else if (affected != 0) {
			if (affected > 0)
				affected--;
			if (strcmp(mode, "drop") == 0)
				continue;
			if (strcmp(mode, "badmac") == 0)
				flip_mac(buf, (size_t)n);
			else if (strcmp(mode, "unsigned") == 0)
				n = (ssize_t)cut_tsig(buf, (size_t)n);
			else if (strcmp(mode, "garbage") == 0) {
				for (size_t i = 12; i < 40; i++)
					buf[i] = (uint8_t)(i * 37);
				n = 40;
			} else if (strcmp(mode, "wrongid") == 0) {
				buf[0] ^= 0xff;
				sendto(cfd, buf, (size_t)n, 0,
				    (struct sockaddr *)&client, clen);
				buf[0] ^= 0xff;
			}
		}
		sendto(cfd, buf, (size_t)n, 0, (struct sockaddr *)&client, clen);
	}
}
