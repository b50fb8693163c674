/*
 * sv_word.h - up to eight bytes of text as one word, for hashing and for
 * comparing short keys in one go.
 */
#ifndef SV_WORD_H
#define SV_WORD_H

#include <stddef.h>
#include <stdint.h>

/* Assembled byte by byte, which compilers turn into one load, so that a
 * word means the same on every host: its first byte is the lowest. */
static inline uint64_t sv_load16(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	return (uint64_t)p[0] | (uint64_t)p[1] << 8;
}

static inline uint64_t sv_load32(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

static inline uint64_t sv_load64(const char *s)
{
	return sv_load32(s) | sv_load32(s + 4) << 32;
}

static inline size_t sv_word_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* The first min(n, 8) bytes of s, the first byte lowest, zero above the
 * last; it reads none past them.  Keys of 2 to 7 bytes take no branch on
 * their length, which varies from record to record ("NT1", "NT29"): four
 * overlapping 16-bit loads, the last three at offsets clamped to end at
 * the key's last byte, put each byte where it belongs, some twice.  (A
 * branch per size of load, two 32-bit loads or two 16-bit ones, is
 * mispredicted on a mix of "NT1" and "NT29": a quarter slower.) */
static inline uint64_t sv_word(const char *s, size_t n)
{
	if (n >= 8)
		return sv_load64(s);
	if (n <= 1)
		return n ? (unsigned char)s[0] : 0;
	size_t last = n - 2, a = sv_word_min(2, last), b = sv_word_min(4, last);
	return sv_load16(s) | sv_load16(s + a) << (8 * a) | sv_load16(s + b) << (8 * b) |
	       sv_load16(s + last) << (8 * last);
}

/* The low k bytes of a word set, k from 0 to 8 (two shifts: one by 64
 * would be undefined). */
static inline uint64_t sv_byte_mask(size_t k)
{
	return ~(~(uint64_t)0 << (4 * k) << (4 * k));
}

#endif
