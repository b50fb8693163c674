/*
 * output.c - stdout or a temporary file renamed into place.
 */
#include "sv_output.h"
#include "sv_diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	int fd = mkstemp(out->tmp_path);
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
		free(out->path);
		free(out->tmp_path);
		memset(out, 0, sizeof *out);
		return SV_EIO;
	}
	return SV_OK;
}

static void release(struct sv_output *out)
{
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
