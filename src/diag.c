/*
 * diag.c - the one place that writes diagnostics.
 */
#include "sv_diag.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

static FILE *diag_stream;

void sv_diag_set_stream(FILE *stream)
{
	diag_stream = stream;
}

FILE *sv_diag_stream(void)
{
	return diag_stream ? diag_stream : stderr;
}

void sv_diag(const char *fmt, ...)
{
	FILE *out = sv_diag_stream();
	va_list ap;
	fputs(SV_PROGRAM ": ", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

void sv_diag_at(const char *file, unsigned long line, const char *fmt, ...)
{
	FILE *out = sv_diag_stream();
	va_list ap;
	if (line)
		fprintf(out, SV_PROGRAM ": %s:%lu: ", file, line);
	else
		fprintf(out, SV_PROGRAM ": %s: ", file);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* The next piece of fmt at *p: a "%s" argument, a '%' for "%%", or the
 * text up to the next '%'.  NULL when *p is another conversion. */
static const char *next_piece(const char **p, va_list *ap, size_t *n)
{
	const char *s = *p;
	if (s[0] != '%') {
		const char *next = strchr(s, '%');
		*n = next ? (size_t)(next - s) : strlen(s);
		*p = s + *n;
		return s;
	}
	*p = s + 2;
	if (s[1] == '%') {
		*n = 1;
		return s;
	}
	if (s[1] != 's')
		return NULL;
	const char *arg = va_arg(*ap, const char *);
	arg = arg ? arg : "(null)"; /* as glibc prints it */
	*n = strlen(arg);
	return arg;
}

/* SIZE_MAX when fmt has another conversion (some arguments may have been
 * taken: the caller formats from a copy). */
static size_t format_strings(char *text, size_t cap, const char *fmt, va_list *ap)
{
	size_t len = 0;
	for (const char *p = fmt; *p;) {
		size_t n;
		const char *piece = next_piece(&p, ap, &n);
		if (!piece)
			return SIZE_MAX;
		if (len < cap) {
			size_t room = cap - 1 - len;
			memcpy(text + len, piece, n < room ? n : room);
		}
		len += n;
	}
	if (cap)
		text[len < cap ? len : cap - 1] = '\0';
	return len;
}

int sv_diag_vformat(char *text, size_t cap, const char *fmt, va_list ap)
{
	va_list mine, again;
	va_copy(mine, ap);
	va_copy(again, ap);
	size_t len = format_strings(text, cap, fmt, &mine);
	int n = len <= INT_MAX ? (int)len : vsnprintf(text, cap, fmt, again);
	va_end(again);
	va_end(mine);
	return n;
}
