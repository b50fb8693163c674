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

#include "sv_format.h"
#include "sv_group.h"
#include "sv_options.h"
#include "sv_proxy.h"
#include "sv_status.h"

struct sv_file_summary {
	struct sv_input_info info;
	bool opened;
	bool header_ok;
	uint64_t read, invalid, filtered;
};

struct sv_run {
	const struct sv_options *options;
	const struct sv_proxy_table *table;
	struct sv_groups *groups; /* NULL: validate only */

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
