/*
 * test_util.h - what every cmocka test file needs, and a way to capture
 * diagnostics so tests can assert their exact text.
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sv_diag.h"

/* Diagnostics written between capture_start() and capture_end() land in a
 * buffer; capture_end() returns it (free it). */
struct capture {
	char *text;
	size_t len;
	FILE *stream;
};

static inline void capture_start(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->stream = open_memstream(&c->text, &c->len);
	sv_diag_set_stream(c->stream);
}

static inline char *capture_end(struct capture *c)
{
	sv_diag_set_stream(NULL);
	fclose(c->stream);
	return c->text;
}

#endif
