/*
 * test_options.c - the command line: subcommands, options, values, errors.
 */
#include "test_util.h"

#include "sv_options.h"

#define MAX_ARGS 24

/* A writable argv made from string literals; the options borrow it. */
struct args {
	int argc;
	char *argv[MAX_ARGS + 1];
};

struct parsed {
	struct args args;
	struct sv_options o;
	enum sv_status status;
	char *diag;
};

/* Parses "sv-calc" followed by the given arguments (NULL-terminated). */
static void parse_list(struct parsed *p, const char *const *list)
{
	memset(p, 0, sizeof *p);
	p->args.argv[p->args.argc++] = strdup("sv-calc");
	for (; *list; list++) {
		assert_true(p->args.argc < MAX_ARGS);
		p->args.argv[p->args.argc++] = strdup(*list);
	}
	for (int i = 0; i < p->args.argc; i++)
		assert_non_null(p->args.argv[i]);
	struct capture c;
	capture_start(&c);
	p->status = sv_options_parse(&p->o, p->args.argc, p->args.argv);
	p->diag = capture_end(&c);
}

#define PARSE(p, ...) parse_list(p, (const char *const[]){__VA_ARGS__, NULL})

static void parsed_free(struct parsed *p)
{
	sv_options_free(&p->o);
	for (int i = 0; i < p->args.argc; i++)
		free(p->args.argv[i]);
	free(p->diag);
}

/* Parses arguments that must be a usage error with exactly the message want
 * (the "Try" line included). */
static void usage_error(const char *want, const char *const *list)
{
	struct parsed p;
	parse_list(&p, list);
	assert_int_equal(p.status, SV_EUSAGE);
	assert_string_equal(p.diag, want);
	parsed_free(&p);
}

#define USAGE_ERROR(want, ...) usage_error(want "\nTry 'sv-calc --help'.\n", (const char *const[]){__VA_ARGS__, NULL})

/* Ensure no arguments mean: value standard input, table format, by theme. */
static void test_defaults(void **state)
{
	(void)state;
	struct parsed p;
	parse_list(&p, (const char *const[]){NULL});
	assert_int_equal(p.status, SV_OK);
	assert_string_equal(p.diag, "");
	assert_int_equal(p.o.command, SV_CMD_VALUE);
	assert_int_equal(p.o.format, SV_FMT_TABLE);
	assert_int_equal(p.o.n_keys, 1);
	assert_int_equal(p.o.keys[0].kind, SV_KEY_THEME);
	assert_string_equal(p.o.key_names[0], "theme");
	assert_int_equal(p.o.n_files, 0);
	assert_int_equal(p.o.delimiter, 0);
	assert_null(p.o.proxies);
	assert_false(p.o.has_from);
	assert_false(p.o.skip_invalid);
	parsed_free(&p);
}

/* Ensure each subcommand is recognised as the first argument only. */
static void test_subcommands(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "check", "a.csv");
	assert_int_equal(p.o.command, SV_CMD_CHECK);
	assert_int_equal(p.o.n_files, 1);
	assert_string_equal(p.o.files[0], "a.csv");
	parsed_free(&p);
	PARSE(&p, "trace");
	assert_int_equal(p.o.command, SV_CMD_TRACE);
	parsed_free(&p);
	PARSE(&p, "proxies");
	assert_int_equal(p.o.command, SV_CMD_PROXIES);
	parsed_free(&p);
	PARSE(&p, "merge", "r.json");
	assert_int_equal(p.o.command, SV_CMD_MERGE);
	parsed_free(&p);
	PARSE(&p, "a.csv", "check");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.command, SV_CMD_VALUE);
	assert_int_equal(p.o.n_files, 2);
	assert_string_equal(p.o.files[1], "check");
	parsed_free(&p);
	assert_string_equal(sv_command_name(SV_CMD_CHECK), "check");
}

/* Ensure a file named like a subcommand is reached as ./check. */
static void test_file_named_like_subcommand(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "./check");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.command, SV_CMD_VALUE);
	assert_string_equal(p.o.files[0], "./check");
	parsed_free(&p);
}

/* Ensure options may come before and after file names. */
static void test_options_around_files(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "a.csv", "-f", "csv", "b.csv", "--skip-invalid", "c.csv");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.format, SV_FMT_CSV);
	assert_true(p.o.skip_invalid);
	assert_int_equal(p.o.n_files, 3);
	assert_string_equal(p.o.files[0], "a.csv");
	assert_string_equal(p.o.files[1], "b.csv");
	assert_string_equal(p.o.files[2], "c.csv");
	parsed_free(&p);
}

/* Ensure "--" ends options: later dashes are file names. */
static void test_double_dash(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-f", "json", "--", "-f", "--help", "-");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.format, SV_FMT_JSON);
	assert_false(p.o.help);
	assert_int_equal(p.o.n_files, 3);
	assert_string_equal(p.o.files[0], "-f");
	assert_string_equal(p.o.files[1], "--help");
	assert_string_equal(p.o.files[2], "-");
	parsed_free(&p);
}

/* Ensure "-" is standard input once, and a usage error twice. */
static void test_stdin_twice(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "a.csv", "-");
	assert_int_equal(p.status, SV_OK);
	assert_string_equal(p.o.files[1], "-");
	parsed_free(&p);
	USAGE_ERROR("sv-calc: standard input ('-') is named twice", "-", "a.csv", "-");
	USAGE_ERROR("sv-calc: standard input ('-') is named twice", "-", "--", "-");
}

/* Ensure --opt=value, --opt value, -o value and bundled -ovalue all work. */
static void test_value_forms(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "--format=tsv");
	assert_int_equal(p.o.format, SV_FMT_TSV);
	parsed_free(&p);
	PARSE(&p, "--format", "json");
	assert_int_equal(p.o.format, SV_FMT_JSON);
	parsed_free(&p);
	PARSE(&p, "-fcsv");
	assert_int_equal(p.o.format, SV_FMT_CSV);
	parsed_free(&p);
	PARSE(&p, "-pmy.json", "--proxies=other.json", "--by=measure");
	assert_string_equal(p.o.proxies, "other.json");
	assert_int_equal(p.o.keys[0].kind, SV_KEY_MEASURE);
	parsed_free(&p);
}

/* Ensure flags bundle and a value ends the bundle. */
static void test_bundled_flags(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-hV");
	assert_int_equal(p.status, SV_OK);
	assert_true(p.o.help);
	assert_true(p.o.version);
	parsed_free(&p);
	PARSE(&p, "-hfmarkdown");
	assert_true(p.o.help);
	assert_int_equal(p.o.format, SV_FMT_MARKDOWN);
	parsed_free(&p);
}

/* Ensure fixed-choice option values are case-insensitive. */
static void test_values_case_insensitive(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "--format", "CSV", "--by", "THEME,Measure", "-d", "TAB");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.format, SV_FMT_CSV);
	assert_int_equal(p.o.n_keys, 2);
	assert_int_equal(p.o.keys[0].kind, SV_KEY_THEME);
	assert_int_equal(p.o.keys[1].kind, SV_KEY_MEASURE);
	assert_string_equal(p.o.key_names[0], "theme");
	assert_string_equal(p.o.key_names[1], "measure");
	assert_int_equal(p.o.delimiter, '\t');
	parsed_free(&p);
}

/* Ensure a single-valued option given twice keeps the last value. */
static void test_last_wins(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-f", "csv", "-f", "json", "-p", "a.json", "-p", "b.json", "-b", "measure", "-b", "fq",
	      "--from", "2024-01-01", "--from", "2024-04-01");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.format, SV_FMT_JSON);
	assert_string_equal(p.o.proxies, "b.json");
	assert_int_equal(p.o.n_keys, 1);
	assert_int_equal(p.o.keys[0].kind, SV_KEY_FQ);
	assert_string_equal(p.o.key_names[0], "fq");
	assert_int_equal(p.o.from, 20240401);
	parsed_free(&p);
}

/* Ensure an unknown long option suggests the closest one. */
static void test_unknown_option_did_you_mean(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: unknown option '--formt' (did you mean '--format'?)", "--formt", "csv");
	USAGE_ERROR("sv-calc: unknown option '--skip-invalids' (did you mean '--skip-invalid'?)", "--skip-invalids");
	USAGE_ERROR("sv-calc: unknown option '--delimeter' (did you mean '--delimiter'?)", "--delimeter=;");
}

/* Ensure an unknown option far from every name gets no suggestion. */
static void test_unknown_option_plain(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: unknown option '--zzzzzz'", "--zzzzzz");
	USAGE_ERROR("sv-calc: unknown option '-x'", "-x");
	USAGE_ERROR("sv-calc: unknown option '-z'", "-hz");
}

/* Ensure an option missing its value is a usage error naming it. */
static void test_missing_value(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: option '-f' needs a value (FMT)", "a.csv", "-f");
	USAGE_ERROR("sv-calc: option '--proxies' needs a value (FILE)", "--proxies");
	USAGE_ERROR("sv-calc: option '--by' needs a value (KEYS)", "--by");
}

/* Ensure a flag given a value is a usage error. */
static void test_flag_with_value(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: option '--skip-invalid' takes no value", "--skip-invalid=yes");
}

/* Ensure an unknown format is a usage error listing the formats. */
static void test_bad_format(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: --format: unknown format 'xml' (table, csv, tsv, json, markdown, svg, headline, html or xlsx)", "-f", "xml");
}

/* Ensure --bom is taken with csv and tsv (trace's default too), refused
 * with any other format. */
static void test_bom(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-f", "csv", "--bom");
	assert_int_equal(p.status, SV_OK);
	assert_true(p.o.bom);
	parsed_free(&p);
	PARSE(&p, "trace", "--bom");
	assert_int_equal(p.status, SV_OK);
	assert_true(p.o.bom);
	parsed_free(&p);
	USAGE_ERROR("sv-calc: --bom applies to csv and tsv output, not to json (-f csv --bom for Excel)", "-f", "json",
		    "--bom");
	USAGE_ERROR("sv-calc: --bom applies to csv and tsv output, not to table (-f csv --bom for Excel)", "--bom");
	USAGE_ERROR("sv-calc: option '--bom' does not apply to 'check'", "check", "--bom");
}

/* Ensure xlsx is for results: trace and proxies refuse it. */
static void test_xlsx_commands(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: 'trace' prints csv, tsv or json", "trace", "-f", "xlsx");
	USAGE_ERROR("sv-calc: 'proxies' prints table, csv, tsv, json or markdown", "proxies", "-f", "xlsx");
	USAGE_ERROR("sv-calc: 'proxies show' prints table or json", "proxies", "show", "-f", "xlsx", "NT1");
}

/* Ensure --by keys keep their order, trim spaces, and take any other name as a column. */
static void test_by_keys(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "--by", " fq , site ,value_type,Region");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.n_keys, 4);
	assert_int_equal(p.o.keys[0].kind, SV_KEY_FQ);
	assert_int_equal(p.o.keys[1].kind, SV_KEY_COLUMN);
	assert_string_equal(p.o.keys[1].column, "site");
	assert_string_equal(p.o.key_names[1], "site");
	assert_int_equal(p.o.keys[2].kind, SV_KEY_VALUE_TYPE);
	assert_string_equal(p.o.key_names[2], "value_type");
	assert_string_equal(p.o.keys[3].column, "Region");
	assert_string_equal(p.o.key_names[3], "Region");
	parsed_free(&p);
}

/* Ensure every built-in key is recognised. */
static void test_by_all_builtins(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-b", "theme,measure,value_type,month,quarter,fq,year,fy");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.n_keys, 8);
	static const enum sv_key_kind want[] = {SV_KEY_THEME, SV_KEY_MEASURE, SV_KEY_VALUE_TYPE, SV_KEY_MONTH,
						SV_KEY_QUARTER, SV_KEY_FQ, SV_KEY_YEAR, SV_KEY_FY};
	for (size_t k = 0; k < 8; k++)
		assert_int_equal(p.o.keys[k].kind, want[k]);
	parsed_free(&p);
}

/* Ensure column:NAME forces an input column even when NAME is a built-in key. */
static void test_by_column_prefix(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-b", "column:theme,theme,COLUMN:site");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.n_keys, 3);
	assert_int_equal(p.o.keys[0].kind, SV_KEY_COLUMN);
	assert_string_equal(p.o.keys[0].column, "theme");
	assert_int_equal(p.o.keys[1].kind, SV_KEY_THEME);
	assert_int_equal(p.o.keys[2].kind, SV_KEY_COLUMN);
	assert_string_equal(p.o.keys[2].column, "site");
	assert_string_equal(p.o.key_names[2], "site");
	parsed_free(&p);
}

/* Ensure an input column whose name another output column has is named "column:NAME". */
static void test_by_clash_names(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-b", "column:theme,theme,value,theme_name,site");
	assert_int_equal(p.status, SV_OK);
	assert_int_equal(p.o.n_keys, 5);
	assert_string_equal(p.o.key_names[0], "column:theme");
	assert_string_equal(p.o.key_names[1], "theme");
	assert_string_equal(p.o.key_names[2], "column:value");
	assert_string_equal(p.o.key_names[3], "column:theme_name");
	assert_string_equal(p.o.key_names[4], "site");
	assert_string_equal(p.o.keys[2].column, "value");
	parsed_free(&p);
}

/* Ensure a key named twice, whatever its case or spelling, is a usage error. */
static void test_by_duplicate(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: --by: key 'theme' is named twice", "-b", "theme,fq,THEME");
	USAGE_ERROR("sv-calc: --by: key 'SITE' is named twice", "-b", "site,SITE");
	USAGE_ERROR("sv-calc: --by: key 'site' is named twice", "-b", "site,column:site");
}

/* Ensure an empty key anywhere in --by is a usage error. */
static void test_by_empty_key(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: --by 'theme,,fq': an empty key", "-b", "theme,,fq");
	USAGE_ERROR("sv-calc: --by 'theme,': an empty key", "-b", "theme,");
	USAGE_ERROR("sv-calc: --by '': an empty key", "--by=");
	USAGE_ERROR("sv-calc: --by 'column:': 'column:' needs a column name", "-b", "column:");
}

/* Ensure sv_parse_by can be called directly and replaces earlier keys. */
static void test_parse_by_direct(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-b", "site");
	assert_true(sv_parse_by(&p.o, "year,month"));
	assert_int_equal(p.o.n_keys, 2);
	assert_int_equal(p.o.keys[0].kind, SV_KEY_YEAR);
	assert_int_equal(p.o.keys[1].kind, SV_KEY_MONTH);
	parsed_free(&p);
}

/* Ensure --from and --to take either date form and are inclusive bounds. */
static void test_from_to(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "--from", "1/4/2024", "--to=2024-06-30");
	assert_int_equal(p.status, SV_OK);
	assert_true(p.o.has_from);
	assert_true(p.o.has_to);
	assert_int_equal(p.o.from, 20240401);
	assert_int_equal(p.o.to, 20240630);
	parsed_free(&p);
	PARSE(&p, "--from", "2024-04-01", "--to", "01/04/2024");
	assert_int_equal(p.status, SV_OK);
	parsed_free(&p);
}

/* Ensure --from after --to is a usage error, in either order on the line. */
static void test_from_after_to(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: --from is after --to", "--from", "2024-07-01", "--to", "2024-06-30");
	USAGE_ERROR("sv-calc: --from is after --to", "--to", "30/6/2024", "--from", "1/7/2024");
}

/* Ensure an invalid date is a usage error naming the option. */
static void test_bad_date(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: --from: '2024-02-30' is not a valid date (YYYY-MM-DD or DD/MM/YYYY)", "--from",
		    "2024-02-30");
	USAGE_ERROR("sv-calc: --to: 'soon' is not a valid date (YYYY-MM-DD or DD/MM/YYYY)", "--to=soon");
}

/* Ensure -d takes tab, \t, or one byte. */
static void test_delimiter_values(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "-d", "tab");
	assert_int_equal(p.o.delimiter, '\t');
	parsed_free(&p);
	PARSE(&p, "-d", "\\t");
	assert_int_equal(p.o.delimiter, '\t');
	parsed_free(&p);
	PARSE(&p, "-d", "\t");
	assert_int_equal(p.o.delimiter, '\t');
	parsed_free(&p);
	PARSE(&p, "--delimiter=;");
	assert_int_equal(p.o.delimiter, ';');
	parsed_free(&p);
	PARSE(&p, "-d|");
	assert_int_equal(p.o.delimiter, '|');
	parsed_free(&p);
}

/* Ensure -d refuses more than one byte, nothing, or a quote. */
static void test_delimiter_bad(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: --delimiter: ';;' is not one character or 'tab'", "-d", ";;");
	USAGE_ERROR("sv-calc: --delimiter: '' is not one character or 'tab'", "--delimiter=");
	USAGE_ERROR("sv-calc: --delimiter: '\"' is not one character or 'tab'", "-d", "\"");
	USAGE_ERROR("sv-calc: --delimiter: '\xC2\xA7' is not one character or 'tab'", "-d", "\xC2\xA7");
}

/* Ensure an option that does not apply to the command is a usage error. */
static void test_option_not_applicable(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: option '--skip-invalid' does not apply to 'proxies'", "proxies", "--skip-invalid");
	USAGE_ERROR("sv-calc: option '--map' does not apply to 'merge'", "merge", "--map", "measure=Activity", "r.json");
	USAGE_ERROR("sv-calc: option '--delimiter' does not apply to 'proxies'", "proxies", "-d", ";");
}

/* Ensure proxies takes no file and merge needs one. */
static void test_command_file_rules(void **state)
{
	(void)state;
	USAGE_ERROR("sv-calc: 'proxies' takes no file (did you mean 'sv-calc q1.csv'?)", "proxies", "q1.csv");
	USAGE_ERROR("sv-calc: 'merge' needs at least one JSON result file", "merge");
}

/* Ensure --help and --version parse without error whatever else is checked later. */
static void test_help_version(void **state)
{
	(void)state;
	struct parsed p;
	PARSE(&p, "--help", "--from", "2024-07-01", "--to", "2024-06-30");
	assert_int_equal(p.status, SV_OK);
	assert_true(p.o.help);
	parsed_free(&p);
	PARSE(&p, "check", "-V");
	assert_int_equal(p.status, SV_OK);
	assert_true(p.o.version);
	assert_int_equal(p.o.command, SV_CMD_CHECK);
	parsed_free(&p);
}

/* Ensure the help lists the command's options and the exit statuses. */
static void test_help_text(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	sv_options_help(out, SV_CMD_VALUE);
	fclose(out);
	assert_non_null(strstr(text, "  -f, --format FMT"));
	assert_non_null(strstr(text, "      --skip-invalid"));
	assert_non_null(strstr(text, "  -d, --delimiter C"));
	assert_non_null(strstr(text, "Exit status: 0 success, 64 usage error, 65 invalid input data"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_subcommands),
		cmocka_unit_test(test_file_named_like_subcommand),
		cmocka_unit_test(test_options_around_files),
		cmocka_unit_test(test_double_dash),
		cmocka_unit_test(test_stdin_twice),
		cmocka_unit_test(test_value_forms),
		cmocka_unit_test(test_bundled_flags),
		cmocka_unit_test(test_values_case_insensitive),
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_unknown_option_did_you_mean),
		cmocka_unit_test(test_unknown_option_plain),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_flag_with_value),
		cmocka_unit_test(test_bad_format),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_xlsx_commands),
		cmocka_unit_test(test_by_keys),
		cmocka_unit_test(test_by_all_builtins),
		cmocka_unit_test(test_by_column_prefix),
		cmocka_unit_test(test_by_clash_names),
		cmocka_unit_test(test_by_duplicate),
		cmocka_unit_test(test_by_empty_key),
		cmocka_unit_test(test_parse_by_direct),
		cmocka_unit_test(test_from_to),
		cmocka_unit_test(test_from_after_to),
		cmocka_unit_test(test_bad_date),
		cmocka_unit_test(test_delimiter_values),
		cmocka_unit_test(test_delimiter_bad),
		cmocka_unit_test(test_option_not_applicable),
		cmocka_unit_test(test_command_file_rules),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_help_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
