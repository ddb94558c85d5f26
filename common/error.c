#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
err_set(struct error *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
err_prefix(struct error *e, const char *fmt, ...)
{
	char head[160], old[sizeof(e->msg)];
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	/* the end of a very long message is lost rather than the context */
	snprintf(e->msg, sizeof(e->msg), "%.159s: %.340s", head, old);
	return -1;
}

int
err_exit_code(enum err_kind kind)
{
	switch (kind) {
	case ERR_NONE:		return EXIT_OK;
	case ERR_USAGE:
	case ERR_CONFIG:	return EXIT_USAGE;
	case ERR_NET:		return EXIT_NET;
	case ERR_AUTH:
	case ERR_REFUSED:	return EXIT_AUTH;
	default:		return EXIT_STATE;
	}
}

void
str_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}
