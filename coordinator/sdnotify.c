#include "sdnotify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "transport.h"

void
sdn_init(struct sdnotify *s)
{
	uint64_t usec = 0;

	memset(s, 0, sizeof(*s));
	s->on = getenv("NOTIFY_SOCKET") != NULL;
	/* systemd wants a keep-alive within WatchdogSec: every half of it
	 * leaves room for one late wake-up (sd_watchdog_enabled(3)) */
	if (s->on && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		s->watchdog_ms = usec / 2000;
		if (s->watchdog_ms == 0)
			s->watchdog_ms = 1;
		s->next_ms = mono_ms();
	}
}

/* One message; a failure is not the daemon's problem (systemd may be
 * restarting), so it is only told at debug level. */
static void
notify(const char *msg)
{
	int rc = sd_notify(0, msg);

	if (rc < 0)
		log_debug("sd_notify: %s", strerror(-rc));
}

void
sdn_watchdog(struct sdnotify *s)
{
	uint64_t now;

	if (s->watchdog_ms == 0 || (now = mono_ms()) < s->next_ms)
		return;
	notify("WATCHDOG=1");
	s->next_ms = now + s->watchdog_ms;
}

uint64_t
sdn_wake_ms(const struct sdnotify *s)
{
	return s->watchdog_ms == 0 ? UINT64_MAX : s->next_ms;
}

/* "READY=1\nSTATUS=text" or "STATUS=text"; the status is one line. */
static void
send_status(struct sdnotify *s, const char *text, bool ready)
{
	char msg[sizeof(s->status) + 32];

	snprintf(s->status, sizeof(s->status), "%s", text);
	s->status[strcspn(s->status, "\n")] = '\0';
	snprintf(msg, sizeof(msg), "%sSTATUS=%s", ready ? "READY=1\n" : "",
	    s->status);
	notify(msg);
	s->ready = s->ready || ready;
}

void
sdn_status(struct sdnotify *s, const char *text)
{
	if (!s->on || (s->ready && strncmp(s->status, text,
	    sizeof(s->status) - 1) == 0))
		return;
	send_status(s, text, !s->ready);
}

void
sdn_reloading(struct sdnotify *s)
{
	struct timespec ts;
	char msg[64];

	if (!s->on)
		return;
	/* MONOTONIC_USEC: what Type=notify-reload (systemd 253) requires
	 * with RELOADING=1; older systemd ignores it */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ull +
	    (unsigned long long)ts.tv_nsec / 1000);
	notify(msg);
}

void
sdn_reloaded(struct sdnotify *s, const char *text)
{
	if (s->on)
		send_status(s, text, true);
}

void
sdn_stopping(struct sdnotify *s)
{
	if (s->on)
		notify("STOPPING=1");
}
