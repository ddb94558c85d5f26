/*
 * log.h - logging in the manner of OpenBSD's log.c.
 *
 * Lines go to stderr prefixed with a syslog priority ("<3>" error, "<4>"
 * warning, "<6>" info, "<7>" debug, "<2>" fatal) when stderr is the stream
 * JOURNAL_STREAM names ("DEV:INO", set by systemd when stderr is the
 * journal, and inherited by children whose stderr may be anything else),
 * so that journald keeps priorities; with the program name and
 * "error: "/"warning: "/"debug: " otherwise.  errno is preserved by every
 * call.
 */
#ifndef RC_LOG_H
#define RC_LOG_H

#include <stdbool.h>

void	log_init(const char *progname, int verbose);
int	log_verbose(void);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Something to fix that does not stop the run (loose key file mode). */
void	log_warning(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Multi-line debug block (a DNS message dump) printed as is. */
void	log_debug_block(const char *title, const char *text);
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
