#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* Set once at start-up by log_init(); read-only afterwards. */
static const char	*log_progname = "rollcall";
static int		 log_level;
static bool		 log_prio_prefix;

/* systemd sets JOURNAL_STREAM to "DEV:INO" of the stream it connects
 * stderr to (systemd.exec(5)), and children inherit it along with other
 * stderrs: only that very stream is the journal. */
static bool
stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char *end;

	if (v == NULL || *v < '0' || *v > '9')
		return false;
	errno = 0;
	dev = strtoull(v, &end, 10);
	if (errno != 0 || *end != ':' || end[1] < '0' || end[1] > '9')
		return false;
	ino = strtoull(end + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	if (fstat(STDERR_FILENO, &st) == -1)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *progname, int verbose)
{
	log_progname = progname;
	log_level = verbose;
	/* journald reads "<N>" prefixes (sd-daemon(3)); on a terminal, in
	 * a file or a pipe they are noise. */
	log_prio_prefix = stderr_is_journal();
}

int
log_verbose(void)
{
	return log_level;
}

static void vlog(int, const char *, const char *, va_list, const char *)
    __attribute__((format(printf, 3, 0)));

static void
vlog(int prio, const char *what, const char *fmt, va_list ap, const char *suffix)
{
	int saved = errno;
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_prio_prefix)
		fprintf(stderr, "<%d>%s%s%s\n", prio, buf,
		    suffix ? ": " : "", suffix ? suffix : "");
	else
		fprintf(stderr, "%s: %s%s%s%s\n", log_progname, what, buf,
		    suffix ? ": " : "", suffix ? suffix : "");
	fflush(stderr);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	const char *s = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, "error: ", fmt, ap, s);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, "error: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, "warning: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, "", fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, "debug: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_debug_block(const char *title, const char *text)
{
	int saved = errno;
	size_t n;

	if (log_level < 1)
		return;
	if (!log_prio_prefix) {
		fprintf(stderr, ";; %s\n%s\n", title, text);
	} else {
		/* journald takes each line for an entry of its own: each
		 * needs the debug priority, or it is logged as info */
		fprintf(stderr, "<%d>;; %s\n", LOG_DEBUG, title);
		for (; *text != '\0'; text += n + (text[n] == '\n')) {
			n = strcspn(text, "\n");
			fprintf(stderr, "<%d>%.*s\n", LOG_DEBUG, (int)n, text);
		}
	}
	fflush(stderr);
	errno = saved;
}

void
fatal(const char *fmt, ...)
{
	const char *s = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, "fatal: ", fmt, ap, s);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, "fatal: ", fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
