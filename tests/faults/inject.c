/*
 * inject.c - an LD_PRELOAD shim that makes I/O fail on purpose, for the
 * CLI tests of faults that cannot be produced otherwise.  It acts only on
 * files whose path contains a magic word:
 *
 *   FAIL_READ  every read from the file fails with EIO
 *   SHRINK     the file is cut to half its size after the first read
 *   GROW       a line is appended to the file after the first read
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum fault { NONE, FAIL_READ, SHRINK, GROW };

#define MAX_FILES 64
static struct {
	FILE *f;
	enum fault fault;
	int reads;
} files[MAX_FILES];

static enum fault fault_of(const char *path)
{
	if (strstr(path, "FAIL_READ"))
		return FAIL_READ;
	if (strstr(path, "SHRINK"))
		return SHRINK;
	if (strstr(path, "GROW"))
		return GROW;
	return NONE;
}

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);
	if (!real)
		real = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
	FILE *f = real(path, mode);
	enum fault fault = fault_of(path);
	if (f && fault != NONE) {
		for (int i = 0; i < MAX_FILES; i++) {
			if (!files[i].f) {
				files[i].f = f;
				files[i].fault = fault;
				files[i].reads = 0;
				break;
			}
		}
	}
	return f;
}

static int slot_of(FILE *f)
{
	for (int i = 0; i < MAX_FILES; i++)
		if (files[i].f == f)
			return i;
	return -1;
}

size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
	static size_t (*real)(void *, size_t, size_t, FILE *);
	if (!real)
		real = (size_t(*)(void *, size_t, size_t, FILE *))dlsym(RTLD_NEXT, "fread");
	int i = slot_of(f);
	if (i < 0)
		return real(buf, size, n, f);
	if (files[i].fault == FAIL_READ) {
		errno = EIO;
		return 0;
	}
	size_t got = real(buf, size, n, f);
	if (files[i].reads++ == 0) {
		char proc[64], path[4096];
		struct stat sb;
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(f));
		ssize_t len = readlink(proc, path, sizeof path - 1);
		if (len <= 0 || fstat(fileno(f), &sb) != 0)
			return got;
		path[len] = '\0';
		if (files[i].fault == SHRINK && truncate(path, sb.st_size / 2) != 0)
			return got;
		if (files[i].fault == GROW) {
			FILE *(*real_fopen)(const char *, const char *) =
				(FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
			FILE *w = real_fopen(path, "a");
			if (w) {
				fputs("2024-04-01,x,NT1,1,late\n", w);
				fclose(w);
			}
		}
	}
	return got;
}

int ferror(FILE *f)
{
	static int (*real)(FILE *);
	if (!real)
		real = (int (*)(FILE *))dlsym(RTLD_NEXT, "ferror");
	int i = slot_of(f);
	if (i >= 0 && files[i].fault == FAIL_READ)
		return 1;
	return real(f);
}

int fclose(FILE *f)
{
	static int (*real)(FILE *);
	if (!real)
		real = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
	int i = slot_of(f);
	if (i >= 0)
		files[i].f = NULL;
	return real(f);
}
