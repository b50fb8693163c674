/*
 * output.c - stdout or a temporary file renamed into place.
 */
#include "sv_output.h"
#include "sv_diag.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Temporary files being written, so that an interrupt removes them: a
 * stopped run leaves neither a partial report nor litter.  unlink() is
 * async-signal-safe; the paths are copied into fixed slots for the handler.
 */
#define MAX_PENDING 4
static char pending[MAX_PENDING][4096];
static volatile sig_atomic_t pending_used[MAX_PENDING];

static void on_signal(int sig)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending_used[i])
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void watch(const char *tmp_path)
{
	static bool installed;
	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		installed = true;
	}
	for (int i = 0; i < MAX_PENDING; i++) {
		if (!pending_used[i] && strlen(tmp_path) < sizeof pending[i]) {
			strcpy(pending[i], tmp_path);
			pending_used[i] = 1;
			return;
		}
	}
}

static void unwatch(const char *tmp_path)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending_used[i] && strcmp(pending[i], tmp_path) == 0)
			pending_used[i] = 0;
}

enum sv_status sv_output_open(struct sv_output *out, const char *path)
{
	memset(out, 0, sizeof *out);
	if (!path || strcmp(path, "-") == 0) {
		out->stream = stdout;
		return SV_OK;
	}
	size_t n = strlen(path);
	out->path = strdup(path);
	out->tmp_path = malloc(n + sizeof ".tmp.XXXXXX");
	if (!out->path || !out->tmp_path) {
		free(out->path);
		free(out->tmp_path);
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	memcpy(out->tmp_path, path, n);
	memcpy(out->tmp_path + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
	sigset_t block, old_set;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old_set);
	int fd = mkstemp(out->tmp_path);
	if (fd >= 0)
		watch(out->tmp_path);
	sigprocmask(SIG_SETMASK, &old_set, NULL);
	if (fd < 0) {
		sv_diag("%s: cannot create: %s", path, strerror(errno));
		free(out->path);
		free(out->tmp_path);
		memset(out, 0, sizeof *out);
		return SV_EIO;
	}
	/* mkstemp makes the file 0600; a report should get the usual mode */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	out->stream = fdopen(fd, "wb");
	if (!out->stream) {
		sv_diag("%s: cannot create: %s", path, strerror(errno));
		close(fd);
		unlink(out->tmp_path);
		unwatch(out->tmp_path);
		free(out->path);
		free(out->tmp_path);
		memset(out, 0, sizeof *out);
		return SV_EIO;
	}
	return SV_OK;
}

static void release(struct sv_output *out)
{
	if (out->tmp_path)
		unwatch(out->tmp_path);
	free(out->path);
	free(out->tmp_path);
	memset(out, 0, sizeof *out);
}

enum sv_status sv_output_commit(struct sv_output *out)
{
	if (!out->stream)
		return SV_OK;
	if (!out->path) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			sv_diag("write error: %s", strerror(errno ? errno : EIO));
			return SV_EIO;
		}
		return SV_OK;
	}
	bool ok = fflush(out->stream) == 0 && !ferror(out->stream) && fsync(fileno(out->stream)) == 0;
	int err = errno;
	ok = fclose(out->stream) == 0 && ok;
	if (ok && rename(out->tmp_path, out->path) != 0) {
		err = errno;
		ok = false;
	}
	if (!ok) {
		sv_diag("%s: write error: %s", out->path, strerror(err ? err : EIO));
		unlink(out->tmp_path);
	}
	release(out);
	return ok ? SV_OK : SV_EIO;
}

enum sv_status sv_output_abort(struct sv_output *out)
{
	if (!out->stream)
		return SV_OK;
	if (!out->path)
		return sv_output_commit(out);
	fclose(out->stream);
	unlink(out->tmp_path);
	release(out);
	return SV_OK;
}
