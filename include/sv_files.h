/*
 * sv_files.h - the files a run reads and writes.
 *
 * An input is counted once: the same file named twice, or two inputs with
 * identical bytes, would double every figure without a word.  An output
 * (-o, --rejects) never names a file the run reads, nor the other output:
 * replacing an input with a report, or a proxy table with rejects, loses
 * a user's file.  Both checks run before anything is read or written.
 */
#ifndef SV_FILES_H
#define SV_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sv_options.h"
#include "sv_status.h"

/* -o and --rejects against every file the run reads and each other:
 * SV_EUSAGE (reported) when one names another. */
enum sv_status sv_files_check_outputs(const struct sv_options *o);

/* The input files against each other, before any is read: the same file
 * twice always, identical bytes unless --allow-identical-inputs.  Regular
 * files of equal size are compared byte for byte.  SV_EDATA (each pair
 * reported) when an input would count twice. */
enum sv_status sv_files_check_inputs(const struct sv_options *o);

/* Whether standard input, when not a regular file, must be hashed as it is
 * read so that it can be compared with the regular inputs afterwards. */
bool sv_files_stdin_needs_digest(const struct sv_options *o);

/* After the read: standard input, of `bytes` bytes with SHA-256 `sha256`
 * (hex), against every regular input of that size.  SV_EDATA (reported)
 * when one has the same bytes. */
enum sv_status sv_files_check_stdin(const struct sv_options *o, uint64_t bytes, const char *sha256);

/* Opens an input to read ("-": standard input), reporting under `shown`
 * why it cannot be (SV_ENOINPUT in *st), a directory included; *size is
 * a regular file's size, else 0. */
FILE *sv_open_input(const char *path, const char *shown, enum sv_status *st, uint64_t *size);

#endif
