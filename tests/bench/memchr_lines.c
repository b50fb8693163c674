/*
 * memchr_lines.c - the limit: read a file in 1 MiB blocks with read(2) and
 * count its newlines with memchr, nothing else.  Any CSV tool reads every
 * byte and finds every line end at least, so this is the floor sv-calc's
 * time is reported against.
 *   memchr_lines FILE    prints the number of '\n' bytes
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : -1;
	if (fd < 0)
		return 66;
	unsigned long long lines = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 74;
		if (n == 0)
			break;
		const char *p = buf, *end = buf + n;
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			lines++;
			p++;
		}
	}
	close(fd);
	printf("%llu\n", lines);
	return 0;
}
