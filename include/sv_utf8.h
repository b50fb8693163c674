/*
 * sv_utf8.h - UTF-8 validation and safe quoting of bytes in messages.
 */
#ifndef SV_UTF8_H
#define SV_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when every byte is ASCII other than NUL (1 to 127): text that is
 * valid UTF-8 and holds no NUL, told apart a word at a time.  False says
 * only that the full checks must decide. */
bool sv_utf8_plain_ascii(const char *s, size_t n);

/* Length of the valid UTF-8 prefix of (s, n): n when it is all valid.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
size_t sv_utf8_valid_prefix(const char *s, size_t n);

static inline bool sv_utf8_valid(const char *s, size_t n)
{
	return sv_utf8_valid_prefix(s, n) == n;
}

/*
 * True when invalid bytes in (s, n) look like Windows-1252 text: single
 * bytes 0x80-0xFF that do not start a valid UTF-8 sequence, such as 0xA3
 * for a pound sign.
 */
bool sv_utf8_looks_cp1252(const char *s, size_t n);

/*
 * Copies (s, n) into buf for a message: valid UTF-8 and printable ASCII as
 * they are, other bytes as \xHH, and the text cut with "..." past a limit.
 * Always NUL-terminates; returns buf.
 */
#define SV_ESCAPE_MAX 200
char *sv_utf8_escape(char *buf, size_t cap, const char *s, size_t n);

#endif
