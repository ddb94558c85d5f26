/*
 * test_monitor.c - the daemon's systemd side (coordinator/sdnotify.c and
 * the status line of monitor.c): messages received on a NOTIFY_SOCKET of
 * our own (READY=1 with the first STATUS, STATUS only when it changes,
 * WATCHDOG=1 at most once per half interval, RELOADING=1 with
 * MONOTONIC_USEC, STOPPING=1), the watchdog's interval and owner
 * (WATCHDOG_PID), and silence without NOTIFY_SOCKET.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "monitor.h"
#include "sdnotify.h"
#include "suites.h"
#include "transport.h"

struct listener {
	char	dir[64];
	char	path[80];	/* fits sun_path */
	int	fd;
};

static void
listen_notify(struct listener *l)
{
	struct sockaddr_un sa;

	snprintf(l->dir, sizeof(l->dir), "/tmp/rc-test-notify.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(l->dir));
	snprintf(l->path, sizeof(l->path), "%s/notify", l->dir);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", l->path);
	l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CU_ASSERT_FATAL(l->fd >= 0);
	CU_ASSERT_FATAL(bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	setenv("NOTIFY_SOCKET", l->path, 1);
}

static void
listener_close(struct listener *l)
{
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	close(l->fd);
	unlink(l->path);
	rmdir(l->dir);
}

/* The next message, or "" when none is waiting. */
static const char *
next_msg(struct listener *l)
{
	static char buf[1024];
	ssize_t n = recv(l->fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void
test_messages(void)
{
	struct listener l;
	struct sdnotify s;
	const char *m;

	listen_notify(&l);
	unsetenv("WATCHDOG_USEC");
	sdn_init(&s);
	CU_ASSERT_TRUE(s.on);
	CU_ASSERT_EQUAL(s.watchdog_ms, 0);
	CU_ASSERT_EQUAL(sdn_wake_ms(&s), UINT64_MAX);
	sdn_watchdog(&s);
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "");
	/* READY=1 with the first status, whatever it says */
	sdn_status(&s, "last pass FAILED; last error: x");
	CU_ASSERT_STRING_EQUAL(next_msg(&l),
	    "READY=1\nSTATUS=last pass FAILED; last error: x");
	sdn_status(&s, "last pass FAILED; last error: x");
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "");
	/* one line: a newline would end the assignment */
	sdn_status(&s, "last pass ok\nREADY=0");
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "STATUS=last pass ok");
	sdn_reloading(&s);
	m = next_msg(&l);
	CU_ASSERT_EQUAL(strncmp(m, "RELOADING=1\nMONOTONIC_USEC=", 27), 0);
	CU_ASSERT(strtoull(m + 27, NULL, 10) > 0);
	sdn_reloaded(&s, "last pass ok");
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "READY=1\nSTATUS=last pass ok");
	sdn_stopping(&s);
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "STOPPING=1");
	listener_close(&l);
}

static void
test_watchdog(void)
{
	struct listener l;
	struct sdnotify s;
	uint64_t t0;
	char pid[32];

	listen_notify(&l);
	setenv("WATCHDOG_USEC", "500000", 1);
	unsetenv("WATCHDOG_PID");
	t0 = mono_ms();
	sdn_init(&s);
	CU_ASSERT_EQUAL(s.watchdog_ms, 250);
	/* due at once, then not again before half the interval */
	sdn_watchdog(&s);
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "WATCHDOG=1");
	sdn_watchdog(&s);
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "");
	CU_ASSERT(sdn_wake_ms(&s) >= t0 + 250);
	CU_ASSERT(sdn_wake_ms(&s) <= mono_ms() + 250);
	s.next_ms = mono_ms();		/* as if 250 ms had passed */
	sdn_watchdog(&s);
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "WATCHDOG=1");
	/* our pid: ours; another's: not ours to keep */
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	sdn_init(&s);
	CU_ASSERT_EQUAL(s.watchdog_ms, 250);
	setenv("WATCHDOG_PID", "1", 1);
	sdn_init(&s);
	CU_ASSERT_EQUAL(s.watchdog_ms, 0);
	sdn_watchdog(&s);
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "");
	listener_close(&l);
}

/* Without NOTIFY_SOCKET (not under systemd) nothing is sent anywhere. */
static void
test_off(void)
{
	struct listener l;
	struct sdnotify s;

	listen_notify(&l);
	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "500000", 1);
	sdn_init(&s);
	CU_ASSERT_FALSE(s.on);
	CU_ASSERT_EQUAL(s.watchdog_ms, 0);
	sdn_status(&s, "x");
	sdn_watchdog(&s);
	sdn_reloading(&s);
	sdn_reloaded(&s, "x");
	sdn_stopping(&s);
	CU_ASSERT_STRING_EQUAL(next_msg(&l), "");
	listener_close(&l);
}

static void
test_status_line(void)
{
	struct monitor mon;
	struct pool_report pools[2];
	char buf[640];

	memset(&mon, 0, sizeof(mon));
	monitor_status_line(&mon, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "last pass not run yet; zones not read "
	    "yet; last error: none");
	memset(pools, 0, sizeof(pools));
	pools[0].live = 3;
	pools[0].expired = 1;
	pools[1].live = 1;
	pools[1].held_back = 2;
	mon.metrics.passed = true;
	mon.metrics.planned = true;
	mon.metrics.pools = pools;
	mon.metrics.npools = 2;
	mon.metrics.aliases.in_sync = 2;
	mon.metrics.aliases.changed = 1;
	mon.metrics.aliases.unresolved = 1;
	snprintf(mon.last_error, sizeof(mon.last_error), "127.0.0.1#53: SOA "
	    "of example.test.: no answer");
	monitor_status_line(&mon, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "last pass FAILED; registrations: 4 live, "
	    "3 expired (2 held back); aliases: 2/4 in sync; last error: "
	    "127.0.0.1#53: SOA of example.test.: no answer");
	mon.metrics.last_ok = true;
	monitor_status_line(&mon, buf, sizeof(buf));
	CU_ASSERT_EQUAL(strncmp(buf, "last pass ok; ", 14), 0);
}

void
suite_monitor(void)
{
	CU_pSuite s = test_add_suite("monitor");

	test_add(s, "messages", test_messages);
	test_add(s, "watchdog", test_watchdog);
	test_add(s, "off without NOTIFY_SOCKET", test_off);
	test_add(s, "status line", test_status_line);
}
