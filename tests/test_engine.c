/*
 * test_engine.c - the record pipeline over the fixture files in
 * tests/data/unit/: counts, totals, groups, file summaries and the exact
 * diagnostics.  main() changes into that directory so that file names in
 * messages are short.
 */
#include "test_util.h"

#include <limits.h>
#include <unistd.h>

#include "sv_engine.h"

static const char small_table[] =
	"{\"name\": \"test table\", \"version\": \"1\", "
	"\"themes\": [{\"id\": \"jobs\", \"name\": \"Jobs\"}, {\"id\": \"social\", \"name\": \"Social\"}], "
	"\"measures\": ["
	"{\"id\": \"NT1\", \"theme\": \"jobs\", \"name\": \"Local FTE\", \"unit\": \"FTE\", \"value\": 39039.00, "
	"\"value_type\": \"LEV\", \"aliases\": [\"local_job\"]}, "
	"{\"id\": \"NT9\", \"theme\": \"social\", \"name\": \"Volunteering\", \"unit\": \"hour\", "
	"\"value\": \"17.04\", \"value_type\": \"social\"}, "
	"{\"id\": \"NT2\", \"theme\": \"jobs\", \"name\": \"Hard to reach hires\", \"unit\": \"person\", "
	"\"value\": null, \"value_type\": \"LEV\"}]}";

#define MAX_ARGS 24

/* One run: its command line, table, groups, result and diagnostics. */
struct fixture {
	int argc;
	char *argv[MAX_ARGS + 1];
	struct sv_options o;
	struct sv_proxy_table table;
	struct sv_groups *groups;
	struct sv_run run;
	enum sv_status status;
	char *diag;
};

/* Parses "sv-calc ARGS", loads the table and runs the pipeline with groups
 * (or without, when with_groups is false). */
static void run_list(struct fixture *f, bool with_groups, const struct sv_run_hooks *hooks,
		     const char *const *list)
{
	memset(f, 0, sizeof *f);
	f->argv[f->argc++] = strdup("sv-calc");
	for (; *list; list++) {
		assert_true(f->argc < MAX_ARGS);
		f->argv[f->argc++] = strdup(*list);
	}
	assert_int_equal(sv_options_parse(&f->o, f->argc, f->argv), SV_OK);
	assert_int_equal(sv_proxy_load_text(&f->table, small_table, strlen(small_table), "t.json"), SV_OK);
	if (with_groups) {
		f->groups = sv_groups_new(f->o.keys, f->o.n_keys);
		assert_non_null(f->groups);
	}
	f->run = (struct sv_run){.options = &f->o, .table = &f->table, .groups = f->groups, .hooks = hooks,
				 .jobs = f->o.jobs};
	struct capture c;
	capture_start(&c);
	f->status = sv_run_files(&f->run);
	f->diag = capture_end(&c);
}

#define RUN(f, ...) run_list(f, true, NULL, (const char *const[]){__VA_ARGS__, NULL})

static void fixture_free(struct fixture *f)
{
	sv_run_release(&f->run);
	sv_groups_free(f->groups);
	sv_proxy_free(&f->table);
	sv_options_free(&f->o);
	for (int i = 0; i < f->argc; i++)
		free(f->argv[i]);
	free(f->diag);
}

/* Asserts the run's counts, and that they add up. */
static void assert_counts(const struct fixture *f, uint64_t read, uint64_t valued, uint64_t invalid,
			  uint64_t filtered)
{
	assert_int_equal(f->run.counts.read, read);
	assert_int_equal(f->run.counts.valued, valued);
	assert_int_equal(f->run.counts.invalid, invalid);
	assert_int_equal(f->run.counts.filtered, filtered);
	assert_int_equal(f->run.counts.read,
			 f->run.counts.valued + f->run.counts.invalid + f->run.counts.filtered);
}

static void assert_total(const struct fixture *f, const char *want)
{
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_amount_exact(buf, f->run.total, f->table.unit_lcm);
	assert_string_equal(buf, want);
}

/* The groups as "key:records/valued=exact" lines; column keys as text. */
static char *describe_groups(struct fixture *f)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(f->groups, &n);
	assert_non_null(sorted);
	for (size_t i = 0; i < n; i++) {
		const struct sv_group *g = sorted[i];
		for (size_t k = 0; k < f->o.n_keys; k++) {
			if (f->o.keys[k].kind == SV_KEY_COLUMN)
				fprintf(out, "%s%.*s", k ? "," : "", (int)g->keys[k].len, g->keys[k].str);
			else
				fprintf(out, "%s%lld", k ? "," : "", (long long)g->keys[k].num);
		}
		char buf[SV_MONEY_TEXT_MAX];
		sv_format_amount_exact(buf, g->value, f->table.unit_lcm);
		fprintf(out, ":%llu/%llu=%s\n", (unsigned long long)g->records,
			(unsigned long long)g->valued_records, buf);
	}
	fclose(out);
	return text;
}

/* Ensure a clean file values every record: ids, aliases, both date forms, record-only. */
static void test_basic_totals(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "basic.csv");
	assert_int_equal(f.status, SV_OK);
	assert_string_equal(f.diag, "");
	assert_counts(&f, 4, 4, 0, 0);
	assert_int_equal(f.run.total_records, 4);
	assert_total(&f, "97767.90");
	fixture_free(&f);
}

/* Ensure groups by theme count record-only records but add nothing for them. */
static void test_basic_groups_by_theme(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "basic.csv");
	char *text = describe_groups(&f);
	assert_string_equal(text, "0:3/2=97597.50\n1:1/1=170.40\n");
	free(text);
	fixture_free(&f);
}

/* Ensure groups by an input column and a period key use the record's values. */
static void test_groups_by_site_and_month(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "-b", "SITE,month", "basic.csv");
	assert_int_equal(f.status, SV_OK);
	char *text = describe_groups(&f);
	/* months as numbers: 2024 * 12 + (month - 1) */
	assert_string_equal(text, "Leeds,24291:1/1=78078.00\n"
				  "Leeds,24293:1/1=170.40\n"
				  "York,24292:1/1=19519.50\n"
				  "York,24293:1/0=0.00\n");
	free(text);
	fixture_free(&f);
}

/* Ensure the file summary records what was read from each file. */
static void test_file_summary(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "basic.csv", "invalid.csv");
	assert_int_equal(f.run.n_files, 2);
	assert_string_equal(f.run.files[0].info.name, "basic.csv");
	assert_true(f.run.files[0].opened);
	assert_true(f.run.files[0].header_ok);
	assert_int_equal(f.run.files[0].read, 4);
	assert_int_equal(f.run.files[0].invalid, 0);
	assert_string_equal(f.run.files[1].info.name, "invalid.csv");
	assert_int_equal(f.run.files[1].read, 14);
	assert_int_equal(f.run.files[1].invalid, 10);
	assert_int_equal(f.run.files[1].filtered, 0);
	fixture_free(&f);
}

/* Ensure every invalid record is reported as FILE:LINE: column: reason, each problem once; a date
 * nothing needs is no reason (a warning when the record is valued, nothing when it is invalid). */
static void test_invalid_diagnostics(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "invalid.csv");
	assert_int_equal(f.status, SV_OK); /* invalid records are in the counts */
	assert_string_equal(f.diag,
			    "sv-calc: invalid.csv:2: measure: unknown measure 'NT99' (did you mean 'NT9'?)\n"
			    "sv-calc: invalid.csv:3: quantity: '-5' is negative\n"
			    "sv-calc: invalid.csv:4: warning: date: '2024-02-30' is not a valid date (expected YYYY-MM-DD or "
			    "DD/MM/YYYY, optionally with a time); not needed, the record is valued\n"
			    "sv-calc: invalid.csv:5: quantity: empty\n"
			    "sv-calc: invalid.csv:6: measure: empty\n"
			    "sv-calc: invalid.csv:7: the row has 2 fields, the header has 3\n"
			    "sv-calc: invalid.csv:8: the row has 4 fields, the header has 3\n"
			    "sv-calc: invalid.csv:11: quantity: '1e3' is in exponent form (write the digits)\n"
			    "sv-calc: invalid.csv:12: quantity: '1,5' has a decimal comma (use a point: 1.5)\n"
			    "sv-calc: invalid.csv:13: quantity: '1.2345678901234567' has more than 15 decimal places\n"
			    "sv-calc: invalid.csv:15: measure: unknown measure 'nope'\n"
			    "sv-calc: invalid.csv:15: quantity: 'abc' is not a number (expected digits with up to 15 decimals, e.g. 37.5)\n");
	fixture_free(&f);
}

/* Ensure the valid records among invalid ones are valued: extra empty fields, empty date, pound sign,
 * a date nothing needs that is no date. */
static void test_invalid_file_counts(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "invalid.csv");
	assert_counts(&f, 14, 4, 10, 0);
	assert_int_equal(f.run.total_records, 4);
	assert_total(&f, "48623074.50"); /* line 4: 5 x NT1 at 39039.00 */
	fixture_free(&f);
}

/* Ensure --from/--to filter inclusively, and invalid records stay invalid outside the range. */
static void test_filter(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "--from", "2024-04-01", "--to", "30/06/2024", "filter.csv");
	assert_int_equal(f.status, SV_OK);
	assert_string_equal(f.diag, "sv-calc: filter.csv:6: quantity: '-1' is negative\n"
				    "sv-calc: filter.csv:7: date: empty, but --from needs a date\n");
	assert_counts(&f, 6, 2, 2, 2);
	assert_int_equal(f.run.files[0].filtered, 2);
	assert_int_equal(f.run.files[0].invalid, 2);
	assert_total(&f, "78078.00");
	fixture_free(&f);
}

/* Ensure a period key makes an empty date invalid, naming the key. */
static void test_period_key_needs_date(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "-b", "fq", "invalid.csv");
	assert_non_null(strstr(f.diag, "sv-calc: invalid.csv:10: date: empty, but --by fq needs a date\n"));
	assert_non_null(strstr(f.diag, "sv-calc: invalid.csv:14: date: empty, but --by fq needs a date\n"));
	assert_counts(&f, 14, 1, 13, 0);
	fixture_free(&f);
}

/* Ensure a missing required column is reported at the header's physical line. */
static void test_header_missing_column(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "header_missing.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag, "sv-calc: header_missing.csv:3: missing required column 'quantity' (the columns are: Measure, qty; "
			    "--map quantity=COLUMN names another)\n");
	assert_true(f.run.files[0].opened);
	assert_false(f.run.files[0].header_ok);
	assert_int_equal(f.run.files[0].read, 0);
	assert_int_equal(f.run.status, SV_EDATA);
	fixture_free(&f);
}

/* Ensure a duplicated column that sv-calc uses is an error naming both positions. */
static void test_header_duplicate_used(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "header_dup.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag,
			    "sv-calc: header_dup.csv:1: column 'measure' appears more than once (columns 1 and 3)\n");
	fixture_free(&f);
}

/* Ensure a duplicated column is fine while unused, and an error once --by uses it. */
static void test_header_duplicate_unused(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "header_dup_unused.csv");
	assert_int_equal(f.status, SV_OK);
	assert_string_equal(f.diag, "");
	assert_counts(&f, 1, 1, 0, 0);
	fixture_free(&f);
	RUN(&f, "-b", "site", "header_dup_unused.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag,
			    "sv-calc: header_dup_unused.csv:1: column 'site' appears more than once (columns 3 and 4)\n");
	fixture_free(&f);
}

/* Ensure a --by column the input lacks is a data error listing the columns. */
static void test_missing_by_column(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "-b", "region", "basic.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag,
			    "sv-calc: basic.csv:1: no column 'region' for --by; the columns are: date, measure, quantity, site\n");
	fixture_free(&f);
}

/* Ensure a --by column close to a built-in key suggests the key. */
static void test_missing_by_column_suggests_key(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "-b", "thme", "no_date.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag,
			    "sv-calc: no_date.csv:1: no column 'thme' for --by (did you mean the key 'theme'?); the columns are: measure, quantity\n");
	fixture_free(&f);
}

/* Ensure a period key or --to on input without a date column is a data error. */
static void test_missing_date_column(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "-b", "fq", "no_date.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag, "sv-calc: no_date.csv:1: no 'date' column, which --by fq needs\n");
	fixture_free(&f);
	RUN(&f, "--to", "2024-01-01", "no_date.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag, "sv-calc: no_date.csv:1: no 'date' column, which --to needs\n");
	fixture_free(&f);
}

/* Ensure header names match case-insensitively and trimmed, and values are trimmed. */
static void test_header_case_and_spaces(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "header_case.csv");
	assert_int_equal(f.status, SV_OK);
	assert_string_equal(f.diag, "");
	assert_counts(&f, 1, 1, 0, 0);
	assert_total(&f, "78078.00");
	fixture_free(&f);
}

/* Ensure empty header names at the end are ignored with the empty fields under them, but not others. */
static void test_trailing_empty_header_names(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "trailing_empty.csv");
	assert_string_equal(f.diag, "sv-calc: trailing_empty.csv:4: the row has 3 fields, the header has 2\n");
	assert_counts(&f, 3, 2, 1, 0);
	fixture_free(&f);
}

/* Ensure a quote left open at the end makes that record invalid at its start line. */
static void test_unterminated_record(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "unterminated.csv");
	assert_string_equal(f.diag,
			    "sv-calc: unterminated.csv:3: a quoted field is not closed before the end of the file\n");
	assert_counts(&f, 2, 1, 1, 0);
	fixture_free(&f);
}

/* Ensure a record after a multi-line quoted field is reported at its physical line. */
static void test_line_after_quoted_newlines(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "quoted_lines.csv");
	assert_string_equal(f.diag,
			    "sv-calc: quoted_lines.csv:5: measure: unknown measure 'NT99' (did you mean 'NT9'?)\n");
	assert_counts(&f, 2, 1, 1, 0);
	fixture_free(&f);
}

/* Ensure Windows-1252 bytes are escaped and the message adds the conversion hint. */
static void test_cp1252_hint(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "cp1252.csv");
	assert_string_equal(f.diag,
			    "sv-calc: cp1252.csv:2: quantity: invalid UTF-8 in '\\xA35' (the file looks like Windows-1252: "
			    "value it with --encoding windows-1252, or save it as UTF-8)\n");
	assert_counts(&f, 1, 0, 1, 0);
	fixture_free(&f);
}

/* Ensure invalid UTF-8 matters in a --by column but not in a column sv-calc ignores. */
static void test_invalid_utf8_by_column(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "bad_utf8.csv");
	assert_string_equal(f.diag, "");
	assert_counts(&f, 2, 2, 0, 0);
	fixture_free(&f);
	RUN(&f, "-b", "site", "bad_utf8.csv");
	assert_string_equal(f.diag, "sv-calc: bad_utf8.csv:2: site: invalid UTF-8 in '\\x81'\n");
	assert_counts(&f, 2, 1, 1, 0);
	fixture_free(&f);
}

/* Ensure a run of one site's records, a change of quarter, texts equal
 * but for one byte (past the first word, at the end, past 32 bytes) and
 * invalid site texts that share a valid run's prefix each go where the
 * group table alone put them, with each bad text reported on its line. */
static void test_site_runs_by_site_and_fq(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "-b", "site,fq", "--skip-invalid", "site_runs.csv");
	assert_int_equal(f.status, SV_OK);
	assert_string_equal(f.diag,
			    "sv-calc: site_runs.csv:6: site: invalid UTF-8 in 'Leeds General Infirmar\\xFF' (the file looks "
			    "like Windows-1252: value it with --encoding windows-1252, or save it as UTF-8)\n"
			    "sv-calc: site_runs.csv:8: site: 'Leeds Gener\\x00l Infirmary' contains a NUL byte\n"
			    "sv-calc: site_runs.csv:9: site: invalid UTF-8 in 'Leeds G\\xA3neral Infirmary' (the file looks "
			    "like Windows-1252: value it with --encoding windows-1252, or save it as UTF-8)\n"
			    "sv-calc: site_runs.csv:17: site: invalid UTF-8 in 'Yor\\xFF' (the file looks like "
			    "Windows-1252: value it with --encoding windows-1252, or save it as UTF-8)\n"
			    "sv-calc: site_runs.csv:18: site: invalid UTF-8 in 'Seacroft Hosp\\xFFtal' (the file looks "
			    "like Windows-1252: value it with --encoding windows-1252, or save it as UTF-8)\n"
			    "sv-calc: site_runs.csv:19: site: invalid UTF-8 in 'Chapel Allerton Ho\\xFFpital Wing1' (the file "
			    "looks like Windows-1252: value it with --encoding windows-1252, or save it as UTF-8)\n");
	assert_counts(&f, 18, 12, 6, 0);
	char *text = describe_groups(&f);
	/* 17.04 an hour; fq numbers are 4 * 2024 + the quarter from April */
	assert_string_equal(text, "Leeds General Infirmary,8096:3/3=102.24\n"
				  "Leeds General Infirmary,8097:3/3=374.88\n"
				  "Leeds General Infirmary West Wing Annes,8097:1/1=170.40\n"
				  "Leeds General Infirmary West Wing Annex,8097:1/1=153.36\n"
				  "Seacroft Hospital,8097:2/2=477.12\n"
				  "Seacroft Hospitam,8097:1/1=238.56\n"
				  "York,8097:1/1=187.44\n");
	free(text);
	fixture_free(&f);
}

/* Ensure a record-only measure still needs a valid quantity. */
static void test_record_only_quantity_checked(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "record_only.csv");
	assert_string_equal(f.diag,
			    "sv-calc: record_only.csv:2: quantity: 'abc' is not a number (expected digits with up to 15 decimals, e.g. 37.5)\n");
	assert_counts(&f, 2, 1, 1, 0);
	assert_int_equal(f.run.total_records, 1);
	assert_total(&f, "0.00");
	fixture_free(&f);
}

/* Ensure an empty file has no header row and a header-only file values to zero. */
static void test_empty_and_header_only(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "empty.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag, "sv-calc: empty.csv: no header row (the file is empty or blank)\n");
	fixture_free(&f);
	RUN(&f, "header_only.csv");
	assert_int_equal(f.status, SV_OK);
	assert_string_equal(f.diag, "");
	assert_counts(&f, 0, 0, 0, 0);
	assert_total(&f, "0.00");
	fixture_free(&f);
}

/* Ensure a missing file is reported, the other files are still read, and 66 wins over 65. */
static void test_missing_file(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "empty.csv", "missing.csv", "basic.csv");
	assert_int_equal(f.status, SV_ENOINPUT);
	assert_int_equal(f.run.status, SV_ENOINPUT);
	assert_string_equal(f.diag, "sv-calc: empty.csv: no header row (the file is empty or blank)\n"
				    "sv-calc: missing.csv: cannot open: No such file or directory\n");
	assert_false(f.run.files[1].opened);
	assert_true(f.run.files[2].opened);
	assert_int_equal(f.run.files[2].read, 4);
	assert_counts(&f, 4, 4, 0, 0);
	fixture_free(&f);
}

/* Ensure a directory cannot be opened as input. */
static void test_directory_input(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, ".");
	assert_int_equal(f.status, SV_ENOINPUT);
	assert_string_equal(f.diag, "sv-calc: .: cannot open: Is a directory\n");
	assert_false(f.run.files[0].opened);
	fixture_free(&f);
}

/* Ensure "sep=;" files are read with line numbers that count the sep line. */
static void test_sep_line_file(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "sep.csv");
	assert_string_equal(f.diag, "sv-calc: sep.csv:4: measure: unknown measure 'NT99' (did you mean 'NT9'?)\n");
	assert_counts(&f, 2, 1, 1, 0);
	assert_total(&f, "78078.00");
	fixture_free(&f);
}

/* Ensure the same files in another order give the same totals and groups. */
static void test_order_independent(void **state)
{
	(void)state;
	struct fixture a, b;
	RUN(&a, "-b", "measure,site", "basic.csv", "more.csv");
	RUN(&b, "-b", "measure,site", "more.csv", "basic.csv");
	char *ta = describe_groups(&a), *tb = describe_groups(&b);
	assert_string_equal(ta, tb);
	assert_string_equal(ta, "0,Leeds:1/1=78078.00\n"
				"0,York:1/1=19519.50\n"
				"0,b:1/1=39039.00\n"
				"1,Leeds:1/1=170.40\n"
				"1,a:1/1=17.04\n"
				"2,York:1/0=0.00\n");
	assert_true(a.run.total == b.run.total);
	free(ta);
	free(tb);
	fixture_free(&a);
	fixture_free(&b);
}

/* Ensure standard input is read when no file is given, named <stdin> in messages. */
static void test_stdin(void **state)
{
	(void)state;
	assert_non_null(freopen("sep.csv", "r", stdin));
	struct fixture f;
	run_list(&f, true, NULL, (const char *const[]){NULL});
	assert_int_equal(f.run.n_files, 1);
	assert_string_equal(f.run.files[0].info.name, "<stdin>");
	assert_string_equal(f.diag, "sv-calc: <stdin>:4: measure: unknown measure 'NT99' (did you mean 'NT9'?)\n");
	fixture_free(&f);
}

/* Ensure validating without groups (check) counts the same way. */
static void test_validate_only(void **state)
{
	(void)state;
	struct fixture f;
	run_list(&f, false, NULL, (const char *const[]){"invalid.csv", NULL});
	assert_counts(&f, 14, 4, 10, 0);
	fixture_free(&f);
}

/* What the hooks saw: one line per record, "LINE STATUS reason". */
struct seen {
	FILE *out;
	char *text;
	size_t len;
};

static void on_outcome(void *ctx, const struct sv_outcome *o)
{
	struct seen *s = ctx;
	static const char *const names[] = {"valued", "record-only", "invalid", "filtered"};
	/* the engine gives every reason's length */
	assert_int_equal(o->reason_len, o->reason ? strlen(o->reason) : 0);
	fprintf(s->out, "%s:%lu %s%s%s\n", o->file, o->row->line, names[o->status], o->reason ? " " : "",
		o->reason ? o->reason : "");
}

/* Runs the files with hooks that write what they see to s->text. */
static void run_seen(struct fixture *f, struct seen *s, bool invalid_only, const char *const *args)
{
	memset(s, 0, sizeof *s);
	s->out = open_memstream(&s->text, &s->len);
	assert_non_null(s->out);
	const struct sv_run_hooks hooks = {.outcome = on_outcome, .ctx = s, .quiet_invalid = true,
					   .invalid_only = invalid_only};
	run_list(f, true, &hooks, args);
	fclose(s->out);
}

/* Ensure quiet hooks see every record's outcome, with all problems joined, and stderr stays empty. */
static void test_hooks_quiet(void **state)
{
	(void)state;
	struct seen s;
	struct fixture f;
	run_seen(&f, &s, false, (const char *const[]){"--to", "2024-05-31", "basic.csv", "record_only.csv", NULL});
	assert_string_equal(f.diag, "sv-calc: record_only.csv:1: no 'date' column, which --to needs\n");
	assert_string_equal(s.text, "basic.csv:2 valued\n"
				    "basic.csv:3 valued\n"
				    "basic.csv:4 filtered\n"
				    "basic.csv:5 filtered\n");
	free(s.text);
	fixture_free(&f);
}

/* Ensure a quiet run still passes every problem of an invalid record to the hooks. */
static void test_hooks_reason(void **state)
{
	(void)state;
	struct seen s;
	struct fixture f;
	run_seen(&f, &s, false, (const char *const[]){"record_only.csv", "invalid.csv", NULL});
	/* a warning is no invalid record's problem: it is shown */
	assert_string_equal(f.diag, "sv-calc: invalid.csv:4: warning: date: '2024-02-30' is not a valid date (expected "
				    "YYYY-MM-DD or DD/MM/YYYY, optionally with a time); not needed, the record is valued\n");
	assert_non_null(strstr(s.text, "invalid.csv:4 valued\n"));
	assert_non_null(strstr(s.text, "record_only.csv:2 invalid quantity: 'abc' is not a number (expected digits with up to 15 decimals, e.g. 37.5)\n"
				       "record_only.csv:3 record-only\n"));
	assert_non_null(strstr(s.text, "invalid.csv:15 invalid measure: unknown measure 'nope'; quantity: 'abc' is not a number "
				       "(expected digits with up to 15 decimals, e.g. 37.5)\n"));
	free(s.text);
	fixture_free(&f);
}

/* Ensure hooks that want invalid records only are called for those alone,
 * each with its reason, on the one thread that reads small files. */
static void test_hooks_invalid_only(void **state)
{
	(void)state;
	struct seen s;
	struct fixture f;
	run_seen(&f, &s, true, (const char *const[]){"record_only.csv", "invalid.csv", NULL});
	assert_null(strstr(s.text, " valued\n"));
	assert_null(strstr(s.text, " record-only\n"));
	assert_non_null(strstr(s.text, "record_only.csv:2 invalid quantity: 'abc' is not a number (expected digits with up to 15 decimals, e.g. 37.5)\n"
				       "invalid.csv:"));
	assert_non_null(strstr(s.text, "invalid.csv:15 invalid measure: unknown measure 'nope'; quantity: 'abc' is not a number "
				       "(expected digits with up to 15 decimals, e.g. 37.5)\n"));
	free(s.text);
	fixture_free(&f);
}

/* Ensure a record's problems read as printf would write them, each cut
 * where the escaping cuts a long field, joined with "; ": messages with
 * only %s are put together by hand. */
static void test_hooks_reason_long_fields(void **state)
{
	(void)state;
	char path[] = "/tmp/sv-engine-long-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	char m[301], q[301], d[301];
	memset(m, 'm', 300);
	memset(q, 'q', 300);
	memset(d, 'd', 300);
	m[300] = q[300] = d[300] = '\0';
	m[7] = '%';
	q[5] = 's';
	fprintf(f, "date,measure,quantity\n%s,%s,%s\n", d, m, q);
	assert_int_equal(fclose(f), 0);
	struct seen s;
	struct fixture fx;
	run_seen(&fx, &s, false, (const char *const[]){"--from", "2024-04-01", path, NULL});
	char esc_m[SV_ESCAPE_MAX], esc_q[SV_ESCAPE_MAX], esc_d[SV_ESCAPE_MAX], want[2048];
	sv_utf8_escape(esc_m, sizeof esc_m, m, 300);
	sv_utf8_escape(esc_q, sizeof esc_q, q, 300);
	sv_utf8_escape(esc_d, sizeof esc_d, d, 300);
	snprintf(want, sizeof want,
		 "%s:2 invalid measure: unknown measure '%s'; quantity: '%s' is not a number (expected digits with up to "
		 "15 decimals, e.g. 37.5); date: '%s' is not a valid date (expected YYYY-MM-DD or DD/MM/YYYY, "
		 "optionally with a time)\n",
		 path, esc_m, esc_q, esc_d);
	assert_string_equal(s.text, want);
	free(s.text);
	fixture_free(&fx);
	unlink(path);
}

/* Ensure a header that ends inside a quoted field is a data error. */
static void test_header_unterminated(void **state)
{
	(void)state;
	struct fixture f;
	RUN(&f, "header_unterminated.csv");
	assert_int_equal(f.status, SV_EDATA);
	assert_string_equal(f.diag, "sv-calc: header_unterminated.csv:1: the header ends inside a quoted field\n");
	assert_false(f.run.files[0].header_ok);
	fixture_free(&f);
}

/* Ensure the exit status of several problems is the first of 74, 66, 65 that applies. */
static void test_status_worst(void **state)
{
	(void)state;
	assert_int_equal(sv_status_worst(SV_OK, SV_OK), SV_OK);
	assert_int_equal(sv_status_worst(SV_OK, SV_EDATA), SV_EDATA);
	assert_int_equal(sv_status_worst(SV_EDATA, SV_ENOINPUT), SV_ENOINPUT);
	assert_int_equal(sv_status_worst(SV_ENOINPUT, SV_EDATA), SV_ENOINPUT);
	assert_int_equal(sv_status_worst(SV_ENOINPUT, SV_EIO), SV_EIO);
	assert_int_equal(sv_status_worst(SV_EIO, SV_EDATA), SV_EIO);
}

/* A generated input file and what reading it must give. */
struct big_file {
	char path[32];
	FILE *out;
	uint64_t off;
	unsigned long line; /* the physical line the next byte is on */
	uint64_t records, valued, invalid;
	uint64_t site_records[3];
	sv_amount total, site_value[3], q_value;
	unsigned long bad_measure, bad_negative, bad_last, bad_quote;
};

static void big_put(struct big_file *b, const char *text)
{
	fputs(text, b->out);
	for (const char *p = text; *p; p++)
		b->line += *p == '\n';
	b->off += strlen(text);
	b->records++;
}

/* One valid record of NT1 (1 FTE) for site s<site>, padded to len bytes if len is not 0. */
static void big_valid(struct big_file *b, long r, size_t len)
{
	char text[512];
	int site = (int)(r % 3);
	int n = snprintf(text, sizeof text, "2024-04-%02ld,NT1,1,s%d,", 1 + r % 28, site);
	assert_true(n > 0 && (size_t)n + 1 < sizeof text);
	size_t pad = len > (size_t)n + 1 ? len - (size_t)n - 1 : 0;
	assert_true(pad + (size_t)n + 2 < sizeof text);
	memset(text + n, 'p', pad);
	memcpy(text + (size_t)n + pad, "\n", 2);
	big_put(b, text);
	sv_amount v;
	assert_true(sv_amount_mul(SV_QTY_SCALE, 390390000, 1, &v));
	b->valued++;
	b->site_records[site]++;
	assert_true(sv_amount_add(&b->site_value[site], v));
	assert_true(sv_amount_add(&b->total, v));
}

/*
 * Writes about 26 MiB: an unknown measure as the first record past 8 MiB, a
 * quoted three-line record across the quote_mark x 8 MiB mark, a two-line
 * record with text after its closing quote across the other of the 8 and
 * 16 MiB marks, a negative quantity starting exactly at 24 MiB, and an
 * invalid last record without a line end.
 */
static void big_write(struct big_file *b, uint64_t quote_mark)
{
	const uint64_t chunk = (uint64_t)8 << 20;
	memset(b, 0, sizeof *b);
	snprintf(b->path, sizeof b->path, "/tmp/sv-calc-unit-XXXXXX");
	int fd = mkstemp(b->path);
	assert_true(fd >= 0);
	b->out = fdopen(fd, "w");
	assert_non_null(b->out);
	b->line = 1;
	fputs("date,measure,quantity,site,note\n", b->out);
	b->off = 32;
	b->line = 2;
	bool quoted = false, unknown = false, exact = false, bad_quote = false;
	const uint64_t bad_mark = (quote_mark == 1 ? 2 : 1) * chunk;
	for (long r = 0; b->off < 3 * chunk + chunk / 5; r++) {
		if (!quoted && b->off + 40 > quote_mark * chunk) {
			big_put(b, "2024-05-01,NT9,2,q,\"a note that runs\nacross the end of\na chunk of the file\"\n");
			b->valued++;
			assert_true(sv_amount_mul(2 * SV_QTY_SCALE, 170400, 1, &b->q_value));
			assert_true(sv_amount_add(&b->total, b->q_value));
			quoted = true;
		} else if (!bad_quote && b->off + 200 >= bad_mark) {
			/* its first line crosses the mark, its second starts past it */
			big_valid(b, r, (size_t)(bad_mark - 10 - b->off));
			b->bad_quote = b->line;
			big_put(b, "2024-05-01,NT9,3,r,\"bad\nquote\" here\n");
			b->invalid++;
			bad_quote = true;
		} else if (!unknown && b->off >= chunk) {
			b->bad_measure = b->line;
			big_put(b, "2024-04-01,NT99,1,x,\n");
			b->invalid++;
			unknown = true;
		} else if (!exact && b->off + 200 >= 3 * chunk) {
			big_valid(b, r, (size_t)(3 * chunk - b->off));
			assert_true(b->off == 3 * chunk);
			b->bad_negative = b->line;
			big_put(b, "2024-04-01,NT1,-1,y,\n");
			b->invalid++;
			exact = true;
		} else
			big_valid(b, r, 0);
	}
	b->bad_last = b->line;
	big_put(b, "2024-04-01,NT1,abc,z,");
	b->invalid++;
	assert_int_equal(fclose(b->out), 0);
}

/* Runs the big file with -j jobs, removes it, and checks every figure and message. */
static void big_check(const struct big_file *b, const char *jobs)
{
	struct fixture f;
	RUN(&f, "-j", jobs, "-b", "site", b->path);
	unlink(b->path); /* before any assertion can stop the test */
	char want[1024], measure[128], quote[256];
	snprintf(measure, sizeof measure, "sv-calc: %s:%lu: measure: unknown measure 'NT99' (did you mean 'NT9'?)\n",
		 b->path, b->bad_measure);
	snprintf(quote, sizeof quote,
		 "sv-calc: %s:%lu: field 5: text after a closing quote: '\"bad\\x0Aquote\" here' (a quoted field ends "
		 "at the delimiter or the line end)\n",
		 b->path, b->bad_quote);
	bool quote_first = b->bad_quote < b->bad_measure;
	snprintf(want, sizeof want,
		 "%s%s"
		 "sv-calc: %s:%lu: quantity: '-1' is negative\n"
		 "sv-calc: %s:%lu: quantity: 'abc' is not a number (expected digits with up to 15 decimals, e.g. 37.5)\n",
		 quote_first ? quote : measure, quote_first ? measure : quote, b->path, b->bad_negative, b->path,
		 b->bad_last);
	assert_string_equal(f.diag, want);
	assert_int_equal(f.status, SV_OK);
	assert_counts(&f, b->records, b->valued, b->invalid, 0);
	assert_int_equal(f.run.files[0].read, b->records);
	assert_int_equal(f.run.files[0].invalid, b->invalid);
	assert_true(f.run.total == b->total);
	char want_groups[512], v[4][SV_MONEY_TEXT_MAX];
	sv_format_amount_exact(v[0], b->q_value, f.table.unit_lcm);
	for (int i = 0; i < 3; i++)
		sv_format_amount_exact(v[i + 1], b->site_value[i], f.table.unit_lcm);
	snprintf(want_groups, sizeof want_groups, "q:1/1=%s\ns0:%llu/%llu=%s\ns1:%llu/%llu=%s\ns2:%llu/%llu=%s\n", v[0],
		 (unsigned long long)b->site_records[0], (unsigned long long)b->site_records[0], v[1],
		 (unsigned long long)b->site_records[1], (unsigned long long)b->site_records[1], v[2],
		 (unsigned long long)b->site_records[2], (unsigned long long)b->site_records[2], v[3]);
	char *text = describe_groups(&f);
	assert_string_equal(text, want_groups);
	free(text);
	fixture_free(&f);
}

/* Ensure a large file read on one thread keeps exact line numbers, counts, groups and total. */
static void test_large_file_one_job(void **state)
{
	(void)state;
	struct big_file b;
	big_write(&b, 2);
	big_check(&b, "1");
}

/* Ensure reading a large file in chunks on several threads gives exactly what one thread gives. */
static void test_large_file_four_jobs(void **state)
{
	(void)state;
	struct big_file b;
	big_write(&b, 2);
	big_check(&b, "4");
}

/* Ensure a quoted record across the end of the first chunk still gives what one thread gives. */
static void test_large_file_quote_across_first_chunk(void **state)
{
	(void)state;
	struct big_file b;
	big_write(&b, 1);
	big_check(&b, "4");
}

/* Changes into tests/data/unit, found from the working directory or above the test binary. */
static bool enter_unit_dir(const char *argv0)
{
	if (chdir("tests/data/unit") == 0)
		return true;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", argv0);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	for (int up = 0; up < 8; up++) {
		char probe[PATH_MAX + 32];
		snprintf(probe, sizeof probe, "%s/tests/data/unit", dir);
		if (chdir(probe) == 0)
			return true;
		size_t n = strlen(dir);
		if (n + 4 >= sizeof dir)
			return false;
		memcpy(dir + n, "/..", 4);
	}
	return false;
}

int main(int argc, char **argv)
{
	(void)argc;
	if (!enter_unit_dir(argv[0])) {
		fprintf(stderr, "test_engine: cannot find tests/data/unit\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_totals),
		cmocka_unit_test(test_basic_groups_by_theme),
		cmocka_unit_test(test_groups_by_site_and_month),
		cmocka_unit_test(test_file_summary),
		cmocka_unit_test(test_invalid_diagnostics),
		cmocka_unit_test(test_invalid_file_counts),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_period_key_needs_date),
		cmocka_unit_test(test_header_missing_column),
		cmocka_unit_test(test_header_duplicate_used),
		cmocka_unit_test(test_header_duplicate_unused),
		cmocka_unit_test(test_missing_by_column),
		cmocka_unit_test(test_missing_by_column_suggests_key),
		cmocka_unit_test(test_missing_date_column),
		cmocka_unit_test(test_header_case_and_spaces),
		cmocka_unit_test(test_trailing_empty_header_names),
		cmocka_unit_test(test_unterminated_record),
		cmocka_unit_test(test_line_after_quoted_newlines),
		cmocka_unit_test(test_cp1252_hint),
		cmocka_unit_test(test_invalid_utf8_by_column),
		cmocka_unit_test(test_site_runs_by_site_and_fq),
		cmocka_unit_test(test_record_only_quantity_checked),
		cmocka_unit_test(test_empty_and_header_only),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_directory_input),
		cmocka_unit_test(test_sep_line_file),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_validate_only),
		cmocka_unit_test(test_hooks_quiet),
		cmocka_unit_test(test_hooks_reason),
		cmocka_unit_test(test_hooks_invalid_only),
		cmocka_unit_test(test_hooks_reason_long_fields),
		cmocka_unit_test(test_header_unterminated),
		cmocka_unit_test(test_status_worst),
		cmocka_unit_test(test_large_file_one_job),
		cmocka_unit_test(test_large_file_four_jobs),
		cmocka_unit_test(test_large_file_quote_across_first_chunk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
