/*
 * sdnotify.h - the daemon's side of systemd's notification protocol
 * (sd_notify(3)), for Type=notify units with WatchdogSec.
 *
 * READY=1 goes with the STATUS of the first pass, whether it succeeded or
 * not (the status says which): a daemon that waits for a working server
 * would keep `systemctl start` hanging while the primary is down.
 * STATUS= is sent only when its text changes (an idle pass runs every
 * second).  WATCHDOG=1 comes only from the loop, never from inside a
 * pass, so that a pass stuck beyond WatchdogSec gets the daemon
 * restarted.  Without NOTIFY_SOCKET (not run by systemd) every call is a
 * no-op.
 */
#ifndef RC_SDNOTIFY_H
#define RC_SDNOTIFY_H

#include <stdbool.h>
#include <stdint.h>

struct sdnotify {
	bool		on;		/* NOTIFY_SOCKET is set */
	uint64_t	watchdog_ms;	/* keep-alive interval: half of
					 * WatchdogSec; 0: no watchdog */
	uint64_t	next_ms;	/* monotonic: next keep-alive due */
	bool		ready;		/* READY=1 sent */
	char		status[640];	/* the last STATUS= sent */
};

/* Read NOTIFY_SOCKET and the watchdog (WATCHDOG_USEC, and WATCHDOG_PID
 * when set must be ours). */
void	sdn_init(struct sdnotify *s);
/* WATCHDOG=1 when it is due (at most once per interval). */
void	sdn_watchdog(struct sdnotify *s);
/* Monotonic ms by which the loop must call sdn_watchdog again, so that
 * its waits can be capped; UINT64_MAX when there is no watchdog. */
uint64_t sdn_wake_ms(const struct sdnotify *s);
/* STATUS=text when it changed; with READY=1 the first time. */
void	sdn_status(struct sdnotify *s, const char *text);
/* Around a SIGHUP reload: RELOADING=1, then READY=1 with the status. */
void	sdn_reloading(struct sdnotify *s);
void	sdn_reloaded(struct sdnotify *s, const char *text);
/* SIGTERM seen: STOPPING=1. */
void	sdn_stopping(struct sdnotify *s);

#endif
