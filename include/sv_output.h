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

struct sv_output {
	FILE *stream;
	char *path;     /* as given; NULL for stdout */
	char *target;   /* the path with symbolic links followed */
	char *tmp_path; /* where it is being written; NULL when written directly */
};

/* path NULL or "-" means stdout.  On failure reports and returns SV_EIO. */
enum sv_status sv_output_open(struct sv_output *out, const char *path);

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
