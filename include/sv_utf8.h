/*
 * sv_utf8.h - UTF-8 validation and safe quoting of bytes in messages.
 */
#ifndef SV_UTF8_H
#define SV_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The bytes of w with the high bit set or zero, as high bits (for
 * sv_utf8_plain_ascii, inline: every key text of every record goes
 * through it). */
static inline uint64_t sv_utf8_unplain8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	return (w & highs) | ((w - ones) & ~w & highs);
}

static inline uint32_t sv_utf8_unplain4(uint32_t w)
{
	const uint32_t ones = 0x01010101u, highs = 0x80808080u;
	return (w & highs) | ((w - ones) & ~w & highs);
}

/* True when every byte is ASCII other than NUL (1 to 127): text that is
 * valid UTF-8 and holds no NUL, told apart a word at a time.  False says
 * only that the full checks must decide. */
static inline bool sv_utf8_plain_ascii(const char *s, size_t n)
{
	/* the last word (or half word) overlaps the one before it: no byte
	 * loop for the tail, and a byte checked twice is still checked */
	if (n >= 8) {
		uint64_t bad = 0, w;
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&w, s + i, 8);
			bad |= sv_utf8_unplain8(w);
		}
		memcpy(&w, s + n - 8, 8);
		return (bad | sv_utf8_unplain8(w)) == 0;
	}
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		return (sv_utf8_unplain4(a) | sv_utf8_unplain4(b)) == 0;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] - 1u >= 0x7Fu)
			return false;
	return true;
}

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
