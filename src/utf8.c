/*
 * utf8.c - strict UTF-8 decoding per RFC 3629.
 */
#include "sv_utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid sequence at s (1-4), or 0 if it is not valid. */
static size_t sequence_length(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F; /* past U+10FFFF */
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}


size_t sv_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = sequence_length(u + i, n - i);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

bool sv_utf8_looks_cp1252(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	bool high = false;
	for (size_t i = 0; i < n;) {
		size_t len = u[i] < 0x80 ? 1 : sequence_length(u + i, n - i);
		if (len == 0) {
			/* the five bytes Windows-1252 leaves undefined */
			if (u[i] == 0x81 || u[i] == 0x8D || u[i] == 0x8F || u[i] == 0x90 || u[i] == 0x9D)
				return false;
			high = true;
			len = 1;
		}
		i += len;
	}
	return high;
}

char *sv_utf8_escape(char *buf, size_t cap, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;
	if (cap == 0)
		return buf;
	if (cap < 8) {
		/* no room for an escape and the "..." mark */
		buf[0] = '\0';
		return buf;
	}
	for (size_t i = 0; i < n;) {
		size_t len = u[i] < 0x80 ? 1 : sequence_length(u + i, n - i);
		size_t need = (len == 1 && (u[i] < 0x20 || u[i] >= 0x7F)) || len == 0 ? 4 : len;
		if (o + need + 4 > cap) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (need == 4 && len <= 1) {
			snprintf(buf + o, 5, "\\x%02X", u[i]);
			o += 4;
			i++;
		} else {
			memcpy(buf + o, s + i, len);
			o += len;
			i += len;
		}
	}
	buf[o] = '\0';
	return buf;
}
