/*
 * sv_diag.h - diagnostics on stderr, always prefixed "sv-calc: ".
 *
 * Every message is one line; the format string carries no newline.  Tests
 * point the stream at a memory buffer to check the exact text.
 */
#ifndef SV_DIAG_H
#define SV_DIAG_H

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

#endif
