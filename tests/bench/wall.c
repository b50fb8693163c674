/*
 * wall.c - the median wall time of a short command, for the bench when
 * hyperfine is not installed (/usr/bin/time counts in hundredths of a
 * second, too coarse for a run of about 2 ms):
 *   wall RUNS CMD [ARG...]
 * runs CMD once to warm up and then RUNS times, its output to /dev/null,
 * and prints the median in seconds.  Exit 1 when a run fails.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run(char **argv)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[1]) : 0;
	if (runs < 1 || runs > 100000) {
		fputs("usage: wall RUNS CMD [ARG...]\n", stderr);
		return 64;
	}
	double *t = malloc(sizeof *t * (size_t)runs);
	if (!t || run(argv + 2) != 0)
		return 1;
	for (int i = 0; i < runs; i++) {
		double start = now();
		if (run(argv + 2) != 0)
			return 1;
		t[i] = now() - start;
	}
	qsort(t, (size_t)runs, sizeof *t, by_value);
	printf("%.6f\n", runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2);
	free(t);
	return 0;
}
