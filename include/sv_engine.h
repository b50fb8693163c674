/*
 * sv_engine.h - the record pipeline: files -> records -> values -> groups.
 *
 * One run reads every input file to its end so all problems are reported
 * at once, validates each record, reports invalid ones as FILE:LINE, filters
 * by date, values the rest exactly and adds them to their groups.  The
 * value command and check share it; they differ in what they print.
 */
#ifndef SV_ENGINE_H
#define SV_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sv_format.h"
#include "sv_group.h"
#include "sv_options.h"
#include "sv_proxy.h"
#include "sv_reader.h"
#include "sv_status.h"

struct sv_file_summary {
	struct sv_input_info info;
	int delimiter; /* as found in the header */
	bool opened;
	bool header_ok;
	uint64_t read, invalid, filtered, ignored;
};

/* SV_OUT_IGNORED: a row a profile's "ignore" rule matched (a totals row),
 * counted before it is validated. */
enum sv_outcome_status { SV_OUT_VALUED, SV_OUT_RECORD_ONLY, SV_OUT_INVALID, SV_OUT_FILTERED, SV_OUT_IGNORED };

/* What became of one record, for trace and --rejects.  Pointers are valid
 * only during the callback. */
struct sv_outcome {
	const char *file;
	const struct sv_row *row;
	enum sv_outcome_status status;
	const struct sv_field *measure_text; /* NULL when the row is ragged (or ignored and too short) */
	const struct sv_measure *measure;    /* NULL when unknown */
	bool has_quantity;
	const char *unit;                    /* the quantity's unit as the table names it; NULL: unknown */
	sv_qty quantity;                     /* 1/10^15 unit */
	sv_amount value;                     /* valued records only */
	const struct sv_key_value *keys;     /* valued, record-only, filtered */
	const char *reason;                  /* invalid: every problem, "; "-joined */
	size_t reason_len;                   /* strlen(reason) when known; 0: not known */
};

/* The reason's length: as given, else counted (0 without a reason). */
static inline size_t sv_outcome_reason_len(const struct sv_outcome *o)
{
	return o->reason_len || !o->reason ? o->reason_len : strlen(o->reason);
}

struct sv_run_hooks {
	/* every file's header row, before its records */
	void (*header)(void *ctx, const char *file, const struct sv_row *header);
	void (*outcome)(void *ctx, const struct sv_outcome *outcome);
	void *ctx;
	/* invalid records go to the hooks only, not to stderr (trace) */
	bool quiet_invalid;
	/* outcome wants invalid records only (--rejects, a workbook's Invalid
	 * sheet): a large file may then still be read in chunks on several
	 * threads, each chunk's headers and invalid outcomes held until the
	 * chunks before it are in (sv_hookbuf.h), so the hooks see what one
	 * thread would show them.  Replayed outcomes carry no keys.  Without
	 * it (trace: every outcome) a file is read on one thread. */
	bool invalid_only;
};

struct sv_run {
	const struct sv_options *options;
	const struct sv_proxy_table *table;
	struct sv_groups *groups; /* NULL: validate only */
	const struct sv_run_hooks *hooks; /* optional */
	bool digest_inputs; /* SHA-256 every input (JSON results name them) */
	long jobs;          /* threads for a large regular file; 0: one per CPU */
	uint64_t messages_shown, messages_hidden; /* record problems, for --max-errors */
	/* the progress line: on a terminal only, after a delay, never with -q */
	bool progress;
	uint64_t progress_records, progress_bytes, progress_total_bytes;
	double progress_start, progress_last; /* seconds; timing only, never money */
	bool progress_shown;

	struct sv_counts counts;
	uint64_t total_records;
	sv_amount total;
	struct sv_file_summary *files;
	size_t n_files;
	/* worst of: read errors (74), unopenable files (66), file-level data
	 * problems and overflow (65); invalid records are in counts.invalid */
	enum sv_status status;
};

/* Runs the pipeline over every input file of the options. */
enum sv_status sv_run_files(struct sv_run *run);

/* Releases what sv_run_files allocated (not the groups or the table). */
void sv_run_release(struct sv_run *run);

#endif
