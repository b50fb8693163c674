/*
 * diag.c - the one place that writes diagnostics.
 */
#include "sv_diag.h"

#include <stdarg.h>

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
