/*
 * output.c - stdout, a temporary file renamed into place, or a device
 * written as it is.
 */
#include "sv_output.h"
#include "sv_diag.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Links followed before giving up, as the kernel does (ELOOP). */
#define MAX_LINK_HOPS 40
#define LINK_TEXT_MAX 4096

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

/* A signal ignored when we started (nohup, a shell's trap '') was meant to
 * be ignored for the whole run: catching it would let a hang-up kill us. */
static void install_handlers(void)
{
	static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
		struct sigaction old;
		if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(signals[i], &sa, NULL);
	}
}

static void watch(const char *tmp_path)
{
	static bool installed;
	if (!installed) {
		install_handlers();
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

/* The atomic outputs open, by stream, for sv_output_temp_of. */
static struct sv_output *open_outputs[MAX_PENDING];

static void remember(struct sv_output *out)
{
	for (int i = 0; i < MAX_PENDING; i++) {
		if (!open_outputs[i]) {
			open_outputs[i] = out;
			return;
		}
	}
}

static void forget(const struct sv_output *out)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (open_outputs[i] == out)
			open_outputs[i] = NULL;
}

const char *sv_output_temp_of(FILE *stream, const char **shown)
{
	for (int i = 0; i < MAX_PENDING; i++) {
		const struct sv_output *out = open_outputs[i];
		if (out && out->stream == stream && out->tmp_path) {
			*shown = out->path;
			return out->tmp_path;
		}
	}
	return NULL;
}

/* A relative link's text is relative to the directory holding the link. */
static char *link_destination(const char *link_path, const char *text)
{
	const char *slash = strrchr(link_path, '/');
	size_t dir = text[0] == '/' || !slash ? 0 : (size_t)(slash - link_path) + 1;
	size_t n = strlen(text);
	char *next = malloc(dir + n + 1);
	if (next) {
		memcpy(next, link_path, dir);
		memcpy(next + dir, text, n + 1);
	}
	return next;
}

/* /dev/stdout and /dev/fd/N lead to /proc/self/fd/N: a link that names an
 * open file (a pipe, a terminal, a file opened with >>), not a path to
 * replace. */
static bool names_open_file(const char *path)
{
	return strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/dev/fd/", 8) == 0;
}

static char *follow_links(const char *path, bool *open_file)
{
	char *cur = strdup(path);
	*open_file = false;
	for (int hops = 0; cur; hops++) {
		struct stat sb;
		*open_file = *open_file || names_open_file(cur);
		if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode))
			return cur;
		char text[LINK_TEXT_MAX];
		ssize_t n = readlink(cur, text, sizeof text);
		if (hops == MAX_LINK_HOPS || n < 0 || (size_t)n >= sizeof text) {
			free(cur);
			errno = n < 0 ? errno : hops == MAX_LINK_HOPS ? ELOOP : ENAMETOOLONG;
			return NULL;
		}
		text[n] = '\0';
		char *next = link_destination(cur, text);
		free(cur);
		cur = next;
	}
	return NULL;
}

char *sv_output_target(const char *path)
{
	bool open_file;
	return follow_links(path, &open_file);
}

static void clear(struct sv_output *out)
{
	free(out->path);
	free(out->target);
	free(out->tmp_path);
	memset(out, 0, sizeof *out);
}

static enum sv_status open_failed(struct sv_output *out, const char *path, int err)
{
	sv_diag("%s: cannot create: %s", path, strerror(err));
	clear(out);
	return SV_EIO;
}

/* A device or FIFO is the reader's, not ours: written, never replaced.
 * Appending keeps what a shell's >> redirection already holds. */
static enum sv_status open_direct(struct sv_output *out)
{
	int fd = open(out->path, O_WRONLY | O_NOCTTY | O_APPEND);
	if (fd < 0)
		return open_failed(out, out->path, errno);
	out->stream = fdopen(fd, "wb");
	if (!out->stream) {
		int err = errno;
		close(fd);
		return open_failed(out, out->path, err);
	}
	return SV_OK;
}

/* The mode the new file gets: the replaced file's, or what a new file
 * would get under the umask. */
static void set_mode(int fd, const struct stat *replaced)
{
	if (replaced) {
		(void)fchmod(fd, replaced->st_mode & 07777);
		if (geteuid() == 0)
			(void)fchown(fd, replaced->st_uid, replaced->st_gid);
		return;
	}
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
}

/* The temporary file beside out->target, watched and remembered: 0, or
 * the errno of the failure (nothing said). */
static int make_temp(struct sv_output *out, const struct stat *replaced)
{
	size_t n = strlen(out->target);
	out->tmp_path = malloc(n + sizeof ".tmp.XXXXXX");
	if (!out->tmp_path)
		return ENOMEM;
	memcpy(out->tmp_path, out->target, n);
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
	if (fd < 0)
		return errno;
	/* mkstemp makes the file 0600 */
	set_mode(fd, replaced);
	out->stream = fdopen(fd, "wb");
	if (!out->stream) {
		int err = errno;
		close(fd);
		unlink(out->tmp_path);
		unwatch(out->tmp_path);
		return err;
	}
	remember(out);
	return 0;
}

static enum sv_status open_atomic(struct sv_output *out, const struct stat *replaced)
{
	int err = make_temp(out, replaced);
	return err ? open_failed(out, out->path, err) : SV_OK;
}

enum sv_status sv_output_open_temp(struct sv_output *out)
{
	memset(out, 0, sizeof *out);
	const char *dir = getenv("TMPDIR");
	if (!dir || !dir[0])
		dir = "/tmp";
	size_t n = strlen(dir) + sizeof "a temporary file in /sv-calc";
	out->path = malloc(n);
	out->target = malloc(n);
	if (!out->path || !out->target)
		return open_failed(out, dir, ENOMEM);
	snprintf(out->path, n, "a temporary file in %s", dir);
	snprintf(out->target, n, "%s/sv-calc", dir);
	return open_atomic(out, NULL);
}

enum sv_status sv_output_open(struct sv_output *out, const char *path)
{
	memset(out, 0, sizeof *out);
	if (!path || strcmp(path, "-") == 0) {
		out->stream = stdout;
		return SV_OK;
	}
	out->path = strdup(path);
	if (!out->path)
		return open_failed(out, path, ENOMEM);
	bool open_file;
	out->target = follow_links(path, &open_file);
	if (!out->target)
		return open_failed(out, path, errno);
	struct stat sb;
	if (stat(path, &sb) != 0)
		return open_atomic(out, NULL);
	if (S_ISDIR(sb.st_mode))
		return open_failed(out, path, EISDIR);
	if (!S_ISREG(sb.st_mode) || open_file)
		return open_direct(out);
	return open_atomic(out, &sb);
}

bool sv_output_try_atomic(struct sv_output *out, const char *path)
{
	memset(out, 0, sizeof *out);
	if (!path || strcmp(path, "-") == 0 || !(out->path = strdup(path)))
		return false;
	bool open_file;
	out->target = follow_links(path, &open_file);
	struct stat sb;
	bool exists = out->target && stat(path, &sb) == 0;
	if (out->target && (!exists || (S_ISREG(sb.st_mode) && !open_file)) &&
	    make_temp(out, exists ? &sb : NULL) == 0)
		return true;
	clear(out);
	return false;
}

/* ---- syncing behind the writer ------------------------------------------ */

struct sv_output_syncer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int fd;
	bool asked, stop;
	int err; /* of a failed sync: commit fails */
};

static void *sync_behind(void *arg)
{
	struct sv_output_syncer *s = arg;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->asked && !s->stop)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->stop || s->err)
			break;
		s->asked = false;
		pthread_mutex_unlock(&s->lock);
		/* what was written before the sync is on the disk after it:
		 * its pages can go */
		struct stat sb;
		int err = fstat(s->fd, &sb) == 0 && fdatasync(s->fd) == 0 ? 0 : errno;
		if (!err)
			(void)posix_fadvise(s->fd, 0, sb.st_size, POSIX_FADV_DONTNEED);
		pthread_mutex_lock(&s->lock);
		s->err = err;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

void sv_output_sync_behind(struct sv_output *out)
{
	if (!out->stream || !out->tmp_path)
		return;
	struct sv_output_syncer *s = out->syncer;
	if (!s) {
		s = calloc(1, sizeof *s);
		if (!s)
			return;
		s->fd = fileno(out->stream);
		pthread_mutex_init(&s->lock, NULL);
		pthread_cond_init(&s->cond, NULL);
		if (pthread_create(&s->thread, NULL, sync_behind, s) != 0) {
			pthread_cond_destroy(&s->cond);
			pthread_mutex_destroy(&s->lock);
			free(s);
			return;
		}
		out->syncer = s;
	}
	pthread_mutex_lock(&s->lock);
	s->asked = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* Stops the thread; returns the error of a sync it made, or 0. */
static int stop_syncer(struct sv_output *out)
{
	struct sv_output_syncer *s = out->syncer;
	if (!s)
		return 0;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	int err = s->err;
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
	out->syncer = NULL;
	return err;
}

static void release(struct sv_output *out)
{
	forget(out);
	if (out->tmp_path)
		unwatch(out->tmp_path);
	free(out->path);
	free(out->target);
	free(out->tmp_path);
	memset(out, 0, sizeof *out);
}

static enum sv_status commit_direct(struct sv_output *out)
{
	bool ok = fflush(out->stream) == 0 && !ferror(out->stream);
	int err = errno;
	ok = fclose(out->stream) == 0 && ok;
	if (!ok)
		sv_diag("%s: write error: %s", out->path, strerror(err ? err : EIO));
	release(out);
	return ok ? SV_OK : SV_EIO;
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
	if (!out->tmp_path)
		return commit_direct(out);
	/* a sync behind the writer that failed may have taken the error
	 * fsync would have seen */
	int err = stop_syncer(out);
	bool ok = !err && fflush(out->stream) == 0 && !ferror(out->stream) && fsync(fileno(out->stream)) == 0;
	err = err ? err : errno;
	ok = fclose(out->stream) == 0 && ok;
	if (ok && rename(out->tmp_path, out->target) != 0) {
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
	stop_syncer(out);
	fclose(out->stream);
	if (out->tmp_path)
		unlink(out->tmp_path);
	release(out);
	return SV_OK;
}

enum sv_status sv_output_remove_stale(const char *path)
{
	bool open_file;
	char *target = follow_links(path, &open_file);
	struct stat sb;
	enum sv_status st = SV_OK;
	if (target && !open_file && lstat(target, &sb) == 0 && S_ISREG(sb.st_mode) && unlink(target) != 0 &&
	    errno != ENOENT) {
		sv_diag("%s: cannot remove: %s", path, strerror(errno));
		st = SV_EIO;
	}
	free(target);
	return st;
}
