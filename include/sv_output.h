/*
 * sv_output.h - where results go: stdout, or a file written atomically.
 *
 * A file is written under a temporary name in the same directory and
 * renamed over the target only when everything was written, so a failed
 * run never leaves a truncated report and never touches the previous one.
 */
#ifndef SV_OUTPUT_H
#define SV_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "sv_status.h"

struct sv_output {
	FILE *stream;
	char *path;     /* the target; NULL for stdout */
	char *tmp_path; /* where it is being written */
};

/* path NULL or "-" means stdout.  On failure reports and returns SV_EIO. */
enum sv_status sv_output_open(struct sv_output *out, const char *path);

/* Flushes and checks for write errors; for a file, syncs it and renames it
 * into place.  Returns SV_OK or SV_EIO (reported). */
enum sv_status sv_output_commit(struct sv_output *out);

/* Drops a file being written (the target is untouched); for stdout only
 * flushes.  Returns SV_EIO if flushing stdout failed. */
enum sv_status sv_output_abort(struct sv_output *out);

#endif
