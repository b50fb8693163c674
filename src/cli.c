/*
 * cli.c - dispatch to the commands; the final check that output was written.
 */
#include "sv_cli.h"
#include "sv_diag.h"
#include "sv_engine.h"
#include "sv_format.h"
#include "sv_options.h"
#include "sv_proxy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum sv_status load_table(const struct sv_options *o, struct sv_proxy_table *t)
{
	return sv_proxy_load_default(t, o->proxies);
}

/* Says why no totals follow when records were invalid. */
static void explain_no_totals(const struct sv_run *run)
{
	if (run->counts.invalid)
		sv_diag("%llu invalid record%s of %llu; no totals printed (--skip-invalid values the valid ones)",
			(unsigned long long)run->counts.invalid, run->counts.invalid == 1 ? "" : "s",
			(unsigned long long)run->counts.read);
}

static enum sv_status cmd_value(const struct sv_options *o, const struct sv_proxy_table *t)
{
	struct sv_groups *groups = sv_groups_new(o->keys, o->n_keys);
	if (!groups) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	struct sv_run run = {.options = o, .table = t, .groups = groups};
	enum sv_status st = sv_run_files(&run);
	if (o->skip_invalid)
		sv_diag("skipped %llu invalid record%s of %llu", (unsigned long long)run.counts.invalid,
			run.counts.invalid == 1 ? "" : "s", (unsigned long long)run.counts.read);
	else if (run.counts.invalid) {
		explain_no_totals(&run);
		st = sv_status_worst(st, SV_EDATA);
	}
	if (st == SV_OK) {
		size_t n_groups;
		const struct sv_group *const *sorted = sv_groups_sorted(groups, &n_groups);
		struct sv_input_info *inputs = calloc(run.n_files ? run.n_files : 1, sizeof *inputs);
		if (!sorted || !inputs) {
			sv_diag("out of memory");
			st = SV_ESOFTWARE;
		} else {
			for (size_t i = 0; i < run.n_files; i++)
				inputs[i] = run.files[i].info;
			struct sv_result r = {t, o->keys, o->key_names, o->n_keys, sorted, n_groups, run.counts,
					      inputs, run.n_files, run.total_records, run.total};
			sv_format_result(stdout, o->format, &r);
		}
		free(inputs);
	}
	sv_run_release(&run);
	sv_groups_free(groups);
	return st;
}

static enum sv_status cmd_check(const struct sv_options *o, const struct sv_proxy_table *t)
{
	struct sv_run run = {.options = o, .table = t, .groups = NULL};
	enum sv_status st = sv_run_files(&run);
	for (size_t i = 0; i < run.n_files; i++) {
		const struct sv_file_summary *s = &run.files[i];
		if (!s->opened)
			printf("%s: not read (cannot open)\n", s->info.name);
		else if (!s->header_ok)
			printf("%s: not checked (the header has problems)\n", s->info.name);
		else
			printf("%s: %llu record%s read, %llu valid, %llu invalid\n", s->info.name,
			       (unsigned long long)s->read, s->read == 1 ? "" : "s",
			       (unsigned long long)(s->read - s->invalid), (unsigned long long)s->invalid);
	}
	if (run.counts.invalid)
		st = sv_status_worst(st, SV_EDATA);
	sv_run_release(&run);
	return st;
}

static enum sv_status cmd_proxies(const struct sv_options *o, const struct sv_proxy_table *t)
{
	sv_format_proxies(stdout, o->format, t);
	return SV_OK;
}

static enum sv_status dispatch(const struct sv_options *o)
{
	if (o->command == SV_CMD_TRACE || o->command == SV_CMD_MERGE) {
		sv_diag("'%s' is not available in this version", sv_command_name(o->command));
		return SV_EUSAGE;
	}
	struct sv_proxy_table table;
	enum sv_status st = load_table(o, &table);
	if (st != SV_OK)
		return st;
	switch (o->command) {
	case SV_CMD_CHECK: st = cmd_check(o, &table); break;
	case SV_CMD_PROXIES: st = cmd_proxies(o, &table); break;
	default: st = cmd_value(o, &table); break;
	}
	sv_proxy_free(&table);
	return st;
}

/* Output that did not reach its destination is an error (74), found by
 * flushing and closing stdout, as git and jq do. */
static enum sv_status finish_stdout(enum sv_status st)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		sv_diag("write error: %s", strerror(errno ? errno : EIO));
		return sv_status_worst(st, SV_EIO);
	}
	return st;
}

enum sv_status sv_cli_run(int argc, char **argv)
{
	struct sv_options o;
	enum sv_status st = sv_options_parse(&o, argc, argv);
	if (st == SV_OK) {
		if (o.help)
			sv_options_help(stdout, o.command);
		else if (o.version)
			printf(SV_PROGRAM " " SV_VERSION "\n");
		else
			st = dispatch(&o);
	}
	sv_options_free(&o);
	return finish_stdout(st);
}
