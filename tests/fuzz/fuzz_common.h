/*
 * fuzz_common.h - shared by the libFuzzer targets: a scratch file for the
 * input, a quiet diagnostics stream, and checks that stop the fuzzer.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_diag.h"
#include "sv_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

/* Writes the input to a file of this process's own and returns its path. */
static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
	static char path[128];
	snprintf(path, sizeof path, "/tmp/sv-calc-fuzz-%ld%s", (long)getpid(), suffix);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (size)
		fwrite(data, 1, size, f);
	fclose(f);
	return path;
}

/* Diagnostics are part of the behaviour under test but not of interest. */
static inline void fuzz_quiet(void)
{
	static FILE *null_stream;
	if (!null_stream)
		null_stream = fopen("/dev/null", "w");
	sv_diag_set_stream(null_stream);
}

/* Everything sv-calc prints must be valid UTF-8. */
static inline void fuzz_check_utf8(const char *text, size_t len)
{
	FUZZ_CHECK(sv_utf8_valid(text, len));
}

#endif
