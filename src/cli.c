/*
 * cli.c - dispatch to the commands; the final check that output was written.
 */
#include "sv_cli.h"
#include "sv_commands.h"
#include "sv_output.h"
#include "sv_report.h"
#include "sv_diag.h"
#include "sv_engine.h"
#include "sv_files.h"
#include "sv_format.h"
#include "sv_options.h"
#include "sv_profile.h"
#include "sv_proxy.h"
#include "sv_utf8.h"
#include "sv_xlsx.h"
#include "sv_xlsxlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Says why no totals follow when records were invalid. */
static void explain_no_totals(const struct sv_run *run)
{
	if (run->counts.invalid)
		sv_diag("%llu invalid record%s of %llu; no totals printed (--skip-invalid values the valid ones)",
			(unsigned long long)run->counts.invalid, run->counts.invalid == 1 ? "" : "s",
			(unsigned long long)run->counts.read);
}

/* --rejects wraps the run's hooks; NULL hooks when it is not asked for. */
static enum sv_status open_rejects(const struct sv_options *o, struct sv_rejects **rejects,
				   struct sv_run_hooks *hooks)
{
	*rejects = NULL;
	if (!o->rejects)
		return SV_OK;
	*rejects = sv_rejects_new(o->rejects);
	if (!*rejects)
		return SV_EIO;
	*hooks = (struct sv_run_hooks){sv_rejects_header, sv_rejects_outcome, *rejects, false, true};
	return SV_OK;
}

/* The earlier result --compare names, as groups of o's keys; every group
 * it has is shown, delivered this time or not. */
struct previous {
	struct sv_groups *groups;
	sv_amount *by_measure; /* its total per measure */
	sv_amount total;
	uint64_t valued_records;
};

static enum sv_status load_previous(const struct sv_options *o, const struct sv_proxy_table *t,
				    const struct sv_totals *tot, struct previous *p)
{
	memset(p, 0, sizeof *p);
	if (!o->compare)
		return SV_OK;
	enum sv_status st = sv_merge_previous(o, t, o->compare, tot->unit_lcm, &p->groups);
	if (st != SV_OK)
		return st;
	p->by_measure = calloc(t->n_measures ? t->n_measures : 1, sizeof *p->by_measure);
	size_t n;
	const struct sv_group *const *all = sv_groups_sorted(p->groups, &n);
	if (!p->by_measure || !all)
		return SV_ESOFTWARE;
	for (size_t i = 0; i < n && st == SV_OK; i++) {
		st = sv_groups_touch(tot->groups, all[i]->keys);
		if (!sv_amount_add(&p->total, all[i]->value))
			st = SV_EDATA;
		p->valued_records += all[i]->valued_records;
		for (size_t m = 0; m < t->n_measures && st == SV_OK; m++)
			if (!sv_amount_add(&p->by_measure[m], all[i]->by_measure[m]))
				st = SV_EDATA;
	}
	if (st == SV_EDATA)
		sv_diag("%s: its sums overflow the exact arithmetic", o->compare);
	return st;
}

static void free_previous(struct previous *p)
{
	sv_groups_free(p->groups);
	free(p->by_measure);
}

static enum sv_status print_result(const struct sv_options *o, const struct sv_proxy_table *t,
				   const struct sv_totals *tot, FILE *out, sv_amount spend, const struct sv_factors *factors,
				   const struct previous *prev)
{
	size_t n_groups;
	const struct sv_group *const *sorted = sv_groups_sorted(tot->groups, &n_groups);
	/* The table's digest is a quarter of a small run's work (its listing
	 * printed and hashed): only the formats that print it get it. */
	bool digested = o->format == SV_FMT_JSON || o->format == SV_FMT_HTML || o->format == SV_FMT_XLSX;
	char digest[65];
	if (!sorted || (digested && !sv_proxy_digest(t, digest))) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	struct sv_provenance p = {digested ? digest : NULL, o->has_from, o->has_to, o->from, o->to, o->skip_invalid};
	size_t n_used;
	const uint64_t *used = sv_groups_measure_records(tot->groups, &n_used);
	struct sv_result r = {.table = t, .provenance = &p, .keys = o->keys, .key_names = o->key_names,
			      .n_keys = o->n_keys, .groups = sorted, .n_groups = n_groups, .counts = tot->counts,
			      .inputs = tot->inputs, .n_inputs = tot->n_inputs, .total_records = tot->total_records,
			      .total = tot->total, .unit_lcm = tot->unit_lcm, .measure_records = used,
			      .n_measure_records = n_used,
			      .targets = o->targets != NULL, .spend = o->has_spend || o->spend_file != NULL,
			      .total_spend = spend, .value_factors = factors->value, .net_factors = factors->net,
			      .n_factors = factors->n, .price_basis = factors->basis[0] ? factors->basis : NULL,
			      .index_from = factors->index_from, .index_to = factors->index_to,
			      .previous = prev->groups, .previous_by_measure = prev->by_measure,
			      .previous_total = prev->total, .previous_valued = prev->valued_records};
	if (o->format == SV_FMT_XLSX)
		return sv_xlsx_write(out, &r, tot->invalid);
	sv_format_result(out, o->format, &r);
	return SV_OK;
}

enum sv_status sv_report_totals(const struct sv_options *o, const struct sv_proxy_table *t,
				const struct sv_totals *tot, const struct sv_factors *factors, FILE *out)
{
	enum sv_status st = SV_OK;
	/* --spend was read before the table (and its unit lcm) was */
	sv_amount spend = o->spend * tot->unit_lcm;
	/* --targets and --spend-file join the groups once the records are in */
	if (o->targets)
		st = sv_load_targets(o->targets, o, t, tot->unit_lcm, tot->groups);
	if (st == SV_OK && o->spend_file)
		st = sv_load_spend(o->spend_file, o, t, tot->unit_lcm, tot->groups, &spend);
	struct previous prev;
	if (st == SV_OK)
		st = load_previous(o, t, tot, &prev);
	if (st == SV_OK)
		st = print_result(o, t, tot, out, spend, factors, &prev);
	if (o->compare)
		free_previous(&prev);
	return st;
}

/* The inputs as a valuation read them, with what became of their records,
 * for the result. */
static enum sv_status report_run(const struct sv_options *o, const struct sv_proxy_table *t, struct sv_run *run,
				 const struct sv_factors *factors, struct sv_xlsx_invalid *invalid, FILE *out)
{
	struct sv_input_info *inputs = calloc(run->n_files ? run->n_files : 1, sizeof *inputs);
	if (!inputs) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	for (size_t i = 0; i < run->n_files; i++) {
		inputs[i] = run->files[i].info;
		inputs[i].has_from = o->has_from;
		inputs[i].has_to = o->has_to;
		inputs[i].from = o->from;
		inputs[i].to = o->to;
		inputs[i].skip_invalid = o->skip_invalid;
		const struct sv_file_summary *s = &run->files[i];
		inputs[i].has_counts = true;
		inputs[i].read = s->read;
		inputs[i].invalid = s->invalid;
		inputs[i].filtered = s->filtered;
		inputs[i].ignored = s->ignored;
		inputs[i].valued = s->read - s->invalid - s->filtered - s->ignored;
	}
	struct sv_totals tot = {run->groups, run->counts, inputs, run->n_files,
				run->total_records, run->total, invalid, t->unit_lcm};
	enum sv_status st = sv_report_totals(o, t, &tot, factors, out);
	free(inputs);
	return st;
}

/* What a valuation's hooks feed: --rejects, and a workbook's Invalid sheet. */
struct value_hooks {
	struct sv_rejects *rejects;
	struct sv_xlsx_invalid *invalid;
	struct sv_run_hooks hooks;
};

static void value_header(void *ctx, const char *file, const struct sv_row *header)
{
	struct value_hooks *v = ctx;
	if (v->rejects)
		sv_rejects_header(v->rejects, file, header);
}

static void value_outcome(void *ctx, const struct sv_outcome *outcome)
{
	struct value_hooks *v = ctx;
	if (v->rejects)
		sv_rejects_outcome(v->rejects, outcome);
	if (v->invalid)
		sv_xlsx_invalid_outcome(v->invalid, outcome);
}

/* The hooks a valuation needs; NULL when it needs none. */
static enum sv_status open_value_hooks(const struct sv_options *o, struct value_hooks *v,
				       const struct sv_run_hooks **hooks)
{
	memset(v, 0, sizeof *v);
	*hooks = NULL;
	struct sv_run_hooks unused;
	enum sv_status st = open_rejects(o, &v->rejects, &unused);
	if (st == SV_OK && o->format == SV_FMT_XLSX && o->skip_invalid && !(v->invalid = sv_xlsx_invalid_new()))
		st = SV_EIO;
	if (st == SV_OK && (v->rejects || v->invalid)) {
		v->hooks = (struct sv_run_hooks){value_header, value_outcome, v, false, true};
		*hooks = &v->hooks;
	}
	return st;
}

static void close_value_hooks(struct value_hooks *v)
{
	if (v->rejects)
		sv_rejects_finish(v->rejects, false);
	sv_xlsx_invalid_free(v->invalid);
	memset(v, 0, sizeof *v);
}

static enum sv_status cmd_value(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out)
{
	struct value_hooks vh;
	const struct sv_run_hooks *hooks;
	enum sv_status st = open_value_hooks(o, &vh, &hooks);
	if (st != SV_OK) {
		close_value_hooks(&vh);
		return st;
	}
	struct sv_factors factors;
	st = sv_factors_make(&factors, o, t);
	if (st != SV_OK) {
		close_value_hooks(&vh);
		return st;
	}
	struct sv_groups *groups = sv_groups_new(o->keys, o->n_keys);
	if (!groups) {
		sv_diag("out of memory");
		close_value_hooks(&vh);
		sv_factors_free(&factors);
		return SV_ESOFTWARE;
	}
	/* a JSON result keeps what merge recomputes every figure from; a
	 * workbook shows it on its By measure sheet, the HTML report each
	 * group by measure */
	bool report = o->format == SV_FMT_JSON || o->format == SV_FMT_HTML || o->format == SV_FMT_XLSX;
	if (factors.n || report)
		sv_groups_track_measures(groups, t->n_measures);
	struct sv_run run = {.options = o, .table = t, .groups = groups, .hooks = hooks,
			     .digest_inputs = report, .jobs = o->jobs};
	st = sv_run_files(&run);
	/* a file that could not be read to the end leaves the old list */
	bool rejects_complete = st == SV_OK;
	if (o->skip_invalid)
		sv_diag("skipped %llu invalid record%s of %llu", (unsigned long long)run.counts.invalid,
			run.counts.invalid == 1 ? "" : "s", (unsigned long long)run.counts.read);
	else if (run.counts.invalid) {
		explain_no_totals(&run);
		st = sv_status_worst(st, SV_EDATA);
	}
	if (vh.rejects) {
		st = sv_status_worst(st, sv_rejects_finish(vh.rejects, rejects_complete));
		vh.rejects = NULL;
	}
	if (st == SV_OK)
		st = report_run(o, t, &run, &factors, vh.invalid, out);
	close_value_hooks(&vh);
	sv_run_release(&run);
	sv_groups_free(groups);
	sv_factors_free(&factors);
	return st;
}

static enum sv_status cmd_check(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out)
{
	struct sv_rejects *rejects;
	struct sv_run_hooks hooks;
	enum sv_status st = open_rejects(o, &rejects, &hooks);
	if (st != SV_OK)
		return st;
	struct sv_run run = {.options = o, .table = t, .groups = NULL, .hooks = rejects ? &hooks : NULL,
			     .jobs = o->jobs};
	st = sv_run_files(&run);
	bool rejects_complete = st == SV_OK;
	for (size_t i = 0; i < run.n_files; i++) {
		const struct sv_file_summary *s = &run.files[i];
		if (!s->opened)
			fprintf(out, "%s: not read (cannot open)\n", s->info.name);
		else if (!s->header_ok)
			fprintf(out, "%s: not checked (the header has problems)\n", s->info.name);
		else if (s->ignored)
			fprintf(out, "%s: %llu record%s read, %llu valid, %llu invalid, %llu ignored (by its profile)\n",
				s->info.name, (unsigned long long)s->read, s->read == 1 ? "" : "s",
				(unsigned long long)(s->read - s->invalid - s->ignored), (unsigned long long)s->invalid,
				(unsigned long long)s->ignored);
		else
			fprintf(out, "%s: %llu record%s read, %llu valid, %llu invalid\n", s->info.name,
				(unsigned long long)s->read, s->read == 1 ? "" : "s",
				(unsigned long long)(s->read - s->invalid), (unsigned long long)s->invalid);
	}
	if (run.counts.invalid)
		st = sv_status_worst(st, SV_EDATA);
	if (rejects)
		st = sv_status_worst(st, sv_rejects_finish(rejects, rejects_complete));
	sv_run_release(&run);
	return st;
}

/* proxies show ID: an unknown id is a data error, as an unknown measure in
 * a record is, with the closest id or alias suggested. */
static enum sv_status cmd_show(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out)
{
	const char *id = o->measure_id;
	const struct sv_measure *m = sv_proxy_find(t, id, strlen(id));
	if (m) {
		sv_format_measure(out, o->format, t, m);
		return SV_OK;
	}
	char shown[SV_ESCAPE_MAX];
	sv_utf8_escape(shown, sizeof shown, id, strlen(id));
	const char *near = sv_proxy_suggest(t, id, strlen(id));
	if (near)
		sv_diag("%s: no measure '%s' (did you mean '%s'?)", t->origin, shown, near);
	else
		sv_diag("%s: no measure '%s' (sv-calc proxies lists the ids and aliases)", t->origin, shown);
	return SV_EDATA;
}

/* proxies check: the table loaded, so it keeps every rule. */
static enum sv_status cmd_table_check(const struct sv_proxy_table *t, FILE *out)
{
	size_t record_only = 0;
	for (size_t i = 0; i < t->n_measures; i++)
		record_only += t->measures[i].record_only;
	fprintf(out, "%s: valid, %zu theme%s, %zu measure%s (%zu record-only), version %s\n", t->origin, t->n_themes,
		t->n_themes == 1 ? "" : "s", t->n_measures, t->n_measures == 1 ? "" : "s", record_only, t->version);
	return SV_OK;
}

static enum sv_status run_command(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out)
{
	bool reads_records = o->command == SV_CMD_VALUE || o->command == SV_CMD_CHECK || o->command == SV_CMD_TRACE;
	enum sv_status st = reads_records ? sv_files_check_inputs(o) : SV_OK;
	if (st != SV_OK)
		return st;
	switch (o->command) {
	case SV_CMD_CHECK: return cmd_check(o, t, out);
	case SV_CMD_TRACE: return sv_cmd_trace(o, t, out);
	case SV_CMD_MERGE: return sv_cmd_merge(o, t, out);
	case SV_CMD_PROXIES: sv_format_proxies(out, o->format, t); return SV_OK;
	case SV_CMD_SHOW: return cmd_show(o, t, out);
	case SV_CMD_TABLE_CHECK: return cmd_table_check(t, out);
	case SV_CMD_GUESS: return sv_cmd_guess(o, t, out);
	case SV_CMD_VALUE:
	case SV_CMD_IMPORT: break;
	}
	return cmd_value(o, t, out);
}

/* check and trace print their rows even when records are invalid (65);
 * the other commands print nothing then. */
static bool output_complete(const struct sv_options *o, enum sv_status st)
{
	if (st == SV_OK)
		return true;
	return st == SV_EDATA && (o->command == SV_CMD_CHECK || o->command == SV_CMD_TRACE);
}

/* The table, then the profiles (their measure names must name its
 * measures), then the command. */
static enum sv_status run_with_table(struct sv_options *o, struct sv_inputs *inputs)
{
	struct sv_proxy_table table;
	enum sv_status st = sv_proxy_load_default(&table, o->proxies);
	if (st != SV_OK)
		return st;
	st = sv_inputs_load_profiles(inputs, o, &table);
	struct sv_output out;
	if (st == SV_OK)
		st = sv_output_open(&out, o->output);
	if (st == SV_OK) {
		st = run_command(o, &table, out.stream);
		enum sv_status io = output_complete(o, st) ? sv_output_commit(&out) : sv_output_abort(&out);
		st = sv_status_worst(st, io);
	}
	sv_proxy_free(&table);
	return st;
}

static enum sv_status dispatch(struct sv_options *o)
{
	sv_format_set_raw(o->raw);
	sv_format_set_bom(o->bom);
	/* bars and colour are for a person at a terminal, never for a file */
	bool tty = !o->output && isatty(fileno(stdout));
	const char *no_color = getenv("NO_COLOR");
	struct winsize ws;
	size_t width = tty && ioctl(fileno(stdout), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 0;
	sv_format_set_terminal(tty && !o->no_bars, tty && !(no_color && no_color[0]), width);
	enum sv_status checked = sv_files_check_outputs(o);
	if (checked != SV_OK)
		return checked;
	/* a workbook needs libxlsxwriter (loaded only for one): a missing one
	 * is found before anything is read, not once the totals are known */
	if (o->format == SV_FMT_XLSX) {
		struct sv_xlsxlib lib;
		if (!sv_xlsxlib_open(&lib, SV_XLSXLIB_SONAME))
			return SV_EUNAVAILABLE;
		sv_xlsxlib_close(&lib);
	}
	if (o->command == SV_CMD_IMPORT) {
		struct sv_output out;
		enum sv_status st = sv_output_open(&out, o->output);
		if (st != SV_OK)
			return st;
		st = sv_cmd_import(o, out.stream);
		return sv_status_worst(st, st == SV_OK ? sv_output_commit(&out) : sv_output_abort(&out));
	}
	/* the input list's files and profiles are read too: checked again */
	struct sv_inputs inputs;
	checked = sv_inputs_read(&inputs, o);
	if (checked == SV_OK && o->inputs_list)
		checked = sv_files_check_outputs(o);
	if (checked != SV_OK) {
		sv_inputs_free(&inputs);
		return checked;
	}
	enum sv_status st = run_with_table(o, &inputs);
	sv_inputs_free(&inputs);
	o->profile_files = NULL;
	o->n_profile_files = 0;
	o->settings = NULL;
	return st;
}

enum sv_status sv_cli_run(int argc, char **argv)
{
	struct sv_options o;
	enum sv_status st = sv_options_parse(&o, argc, argv);
	if (st == SV_OK && (o.help || o.version)) {
		struct sv_output out;
		st = sv_output_open(&out, NULL);
		if (o.help)
			sv_options_help(out.stream, o.command);
		else
			fprintf(out.stream, SV_PROGRAM " " SV_VERSION "\n");
		st = sv_output_commit(&out);
	} else if (st == SV_OK)
		st = dispatch(&o);
	sv_options_free(&o);
	return st;
}
