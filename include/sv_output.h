/*
 * sv_output.h - where results go: stdout, a file written atomically, or a
 * device written directly.
 *
 * A regular file is written under a temporary name in the same directory
 * and renamed over the target only when everything was written, so a failed
 * run never leaves a truncated report and never touches the previous one;
 * the new file keeps the permission bits of the one it replaces.  A
 * symbolic link is followed: its target is replaced, the link stays.  A
 * device, FIFO or socket (/dev/null, /dev/stdout) is opened and written as
 * it is: never removed, never replaced.
 */
#ifndef SV_OUTPUT_H
#define SV_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "sv_status.h"

struct sv_output_syncer;

struct sv_output {
	FILE *stream;
	char *path;     /* as given; NULL for stdout */
	char *target;   /* the path with symbolic links followed */
	char *tmp_path; /* where it is being written; NULL when written directly */
	struct sv_output_syncer *syncer; /* see sv_output_sync_behind; NULL: none */
};

/* path NULL or "-" means stdout.  On failure reports and returns SV_EIO. */
enum sv_status sv_output_open(struct sv_output *out, const char *path);

/*
 * Opens path as sv_output_open does, but only when it is written through a
 * temporary file (a regular file, or none yet), and quietly: false, with
 * nothing open and nothing said, for stdout, a device, a FIFO or any
 * failure.  For a writer that would start early, while the run goes on,
 * and otherwise opens the output at the end with sv_output_open (which
 * then says why it cannot).
 */
bool sv_output_try_atomic(struct sv_output *out, const char *path);

/*
 * For a large temporary file written over a long run, as it goes: has what
 * was written so far put on the disk by a thread of its own, while the
 * writing goes on, then dropped from memory.  Commit's sync then has little
 * left to wait for (a disk may hold all that was written since the last
 * sync in a cache, for the sync to write out), and the file holds a few
 * megabytes of memory as it is written, used again, not its size taken
 * fresh.  Call it every few megabytes: a call while the thread is busy is
 * taken up when it is done.  The writer must not use the file descriptor
 * otherwise than to write.  Does nothing for anything but a temporary
 * file, or where no thread can be started; a write error the thread meets
 * fails commit.
 */
void sv_output_sync_behind(struct sv_output *out);

/* Flushes and checks for write errors; for a file, syncs it and renames it
 * into place.  Returns SV_OK or SV_EIO (reported). */
enum sv_status sv_output_commit(struct sv_output *out);

/* Drops a file being written (the target is untouched); for stdout only
 * flushes.  Returns SV_EIO if flushing stdout failed. */
enum sv_status sv_output_abort(struct sv_output *out);

/*
 * The temporary file an atomic output is being written to through stream,
 * by name, for a writer that can only write to a named file
 * (libxlsxwriter): it writes that file, and commit renames it into place
 * as it would the stream's bytes.  *shown: the path as given, for
 * messages.  NULL when stream is no such output (stdout, a device).
 * (Outputs are found by the address of their struct sv_output, which must
 * stay where it was opened until it is committed or aborted.)
 */
const char *sv_output_temp_of(FILE *stream, const char **shown);

/* A temporary file in $TMPDIR (else /tmp), removed on an interrupt and by
 * sv_output_abort: where such a writer writes before its bytes are copied
 * to stdout or a device.  Returns SV_OK or SV_EIO (reported). */
enum sv_status sv_output_open_temp(struct sv_output *out);

/*
 * The file a write to path would land in: path with every symbolic link
 * along the final component followed (a dangling link gives the file it
 * would create).  Newly allocated; NULL (errno set) on a link loop or when
 * out of memory.
 */
char *sv_output_target(const char *path);

/* Removes a stale output (a rejects file): only a regular file, through
 * links; anything else is left.  Returns SV_OK or SV_EIO (reported). */
enum sv_status sv_output_remove_stale(const char *path);

#endif
