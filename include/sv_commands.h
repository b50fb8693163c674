/*
 * sv_commands.h - the commands beyond valuing: trace, rejects, merge.
 *
 * Each writes its results to the stream it is given; cli.c decides whether
 * that is stdout or an atomically written file.
 */
#ifndef SV_COMMANDS_H
#define SV_COMMANDS_H

#include <stdio.h>

#include "sv_engine.h"
#include "sv_format.h"
#include "sv_report.h"
#include "sv_options.h"
#include "sv_proxy.h"
#include "sv_status.h"

struct sv_xlsx_invalid;

/* One row per input record, in input order: how it was valued. */
enum sv_status sv_cmd_trace(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out);

/* What a valuation, or a merge of results, adds up to: the groups (each
 * keeping its gross and records per measure when figures are computed
 * from them) and the counts, before any report option is applied. */
struct sv_totals {
	struct sv_groups *groups;
	struct sv_counts counts;
	const struct sv_input_info *inputs;
	size_t n_inputs;
	uint64_t total_records;
	sv_amount total;
	/* -f xlsx --skip-invalid: the invalid records, for the workbook's
	 * Invalid sheet (NULL: none kept) */
	struct sv_xlsx_invalid *invalid;
	/* what the amounts count in (see sv_money.h): the table's unit lcm */
	int64_t unit_lcm;
};

/* Joins --targets and --spend-file to the groups, applies the factors
 * (net value, price year) and prints the result in o->format: the one
 * path from totals to output, shared by valuing and merge, so that both
 * print the same bytes for the same totals. */
enum sv_status sv_report_totals(const struct sv_options *o, const struct sv_proxy_table *t,
				const struct sv_totals *tot, const struct sv_factors *factors, FILE *out);

/* --compare: an earlier result, checked as merge checks one, regrouped by
 * o's keys with its gross per measure kept. */
enum sv_status sv_merge_previous(const struct sv_options *o, const struct sv_proxy_table *t, const char *path,
				 int64_t unit_lcm, struct sv_groups **previous);

/* Adds up earlier JSON results exactly and reports them as valuing all
 * their inputs in one run would. */
enum sv_status sv_cmd_merge(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out);

/* proxies import: a spreadsheet's proxy table (CSV, one row per measure)
 * to a validated JSON table. */
enum sv_status sv_cmd_import(const struct sv_options *o, FILE *out);

/* profile guess: a starting profile (JSON) for an export, from its first
 * lines; see sv_guess.h. */
enum sv_status sv_cmd_guess(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out);

/*
 * --rejects: every invalid record the run hooks give, written as it comes
 * with source_file, source_line and reason columns into the temporary file
 * of the target (sv_output_try_atomic), or one of its own for a device;
 * finish puts it in place.
 */
struct sv_rejects;
struct sv_rejects *sv_rejects_new(const char *path);
/* Hooks for struct sv_run_hooks (ctx is the sv_rejects). */
void sv_rejects_header(void *ctx, const char *file, const struct sv_row *header);
void sv_rejects_outcome(void *ctx, const struct sv_outcome *outcome);
/* Commits the file (written again under the final header when a later
 * header or row widened it), or removes a stale one when nothing was
 * rejected; with write false (the run failed) leaves the target as it
 * was.  Frees r.  Returns SV_OK or SV_EIO (reported). */
enum sv_status sv_rejects_finish(struct sv_rejects *r, bool write);

#endif
