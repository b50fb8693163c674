/*
 * replay.h - runs LLVMFuzzerTestOneInput on every file of a directory.
 * A broken invariant aborts, which fails the test.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <dirent.h>

/* Returns the number of files that could not be read. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	int failures = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f) {
			failures++;
			continue;
		}
		uint8_t *buf = malloc(1 << 20);
		size_t n = fread(buf, 1, 1 << 20, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	closedir(d);
	return failures;
}

#endif
