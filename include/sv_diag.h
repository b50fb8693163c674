/*
 * sv_diag.h - diagnostics on stderr, always prefixed "sv-calc: ".
 *
 * Every message is one line; the format string carries no newline.  Tests
 * point the stream at a memory buffer to check the exact text.
 */
#ifndef SV_DIAG_H
#define SV_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define SV_PROGRAM "sv-calc"

/* Where diagnostics go; NULL restores stderr. */
void sv_diag_set_stream(FILE *stream);
FILE *sv_diag_stream(void);

/* "sv-calc: <message>\n" */
void sv_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "sv-calc: FILE:LINE: <message>\n"; line 0 leaves out the line. */
void sv_diag_at(const char *file, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* vsnprintf's result and return value, made by hand when fmt's only
 * conversions are "%s" and "%%": a file of a million invalid records has
 * a message made for each, and by hand that costs a fifth of what
 * vsnprintf does.  Any other conversion goes to vsnprintf.  Like
 * vsnprintf, leaves ap indeterminate. */
int sv_diag_vformat(char *text, size_t cap, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

#endif
