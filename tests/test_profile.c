/*
 * test_profile.c - profiles and input lists: every key read, every mistake
 * refused with its exact message, each profile loaded once, and which
 * profile and constants each input gets.
 */
#include "test_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include "sv_profile.h"

static const char table_text[] =
	"{\"name\": \"test table\", \"version\": \"1\", "
	"\"themes\": [{\"id\": \"jobs\", \"name\": \"Jobs\"}, {\"id\": \"social\", \"name\": \"Social\"}], "
	"\"measures\": ["
	"{\"id\": \"NT1\", \"theme\": \"jobs\", \"name\": \"Local FTE\", \"unit\": \"FTE\", \"value\": 39039.00, "
	"\"value_type\": \"LEV\", \"aliases\": [\"local_job\"]}, "
	"{\"id\": \"NT29\", \"theme\": \"social\", \"name\": \"Volunteering\", \"unit\": \"hour\", "
	"\"value\": \"17.04\", \"value_type\": \"social\"}]}";

static struct sv_proxy_table table;

static int load_table(void **state)
{
	(void)state;
	return sv_proxy_load_text(&table, table_text, strlen(table_text), "t.json") == SV_OK ? 0 : -1;
}

static int free_table(void **state)
{
	(void)state;
	sv_proxy_free(&table);
	return 0;
}

/* Loads text as the profile "p.json"; returns the diagnostics (free them). */
static char *load(struct sv_profile *p, const char *text, enum sv_status want)
{
	struct capture c;
	capture_start(&c);
	enum sv_status st = sv_profile_load_text(p, text, strlen(text), "p.json", &table);
	char *diag = capture_end(&c);
	if (st != want)
		print_error("status %d, want %d; diagnostics:\n%s", (int)st, (int)want, diag);
	assert_int_equal(st, want);
	return diag;
}

/* The profile text must be refused with exactly these diagnostics. */
static void expect_refused(const char *text, const char *want)
{
	struct sv_profile p;
	char *diag = load(&p, text, SV_ECONFIG);
	if (strcmp(diag, want) != 0)
		print_error("got:\n%s\nwant:\n%s\n", diag, want);
	bool same = strcmp(diag, want) == 0;
	free(diag);
	assert_true(same);
	/* a refused profile is left empty */
	assert_null(p.path);
	assert_int_equal(p.n_measures, 0);
}

/* Ensure every key of the format is read into the profile. */
static void test_every_key(void **state)
{
	(void)state;
	struct sv_profile p;
	char *diag = load(&p,
			  "{\"name\": \"Acme FM monthly export\", \"skip_lines\": 2, \"delimiter\": \"tab\", "
			  "\"encoding\": \"Windows-1252\", "
			  "\"columns\": {\"measure\": \"Activity\", \"Quantity\": \" Hours \", \"date\": \"Month\", "
			  "\"unit\": \"Unit\"}, "
			  "\"dates\": [\"month\", \"two-digit-year\", \"excel-serial\"], "
			  "\"measures\": {\"Volunteering hours\": \"NT29\", \" Local staff (FTE) \": \"local_job\"}, "
			  "\"ignore\": [{\"column\": \"Activity\", \"equals\": [\"Total\", \" Grand total \"]}], "
			  "\"constants\": {\"supplier\": \"Acme FM\"}, \"accounting_zero\": true}",
			  SV_OK);
	assert_string_equal(diag, "");
	free(diag);
	assert_string_equal(p.path, "p.json");
	assert_string_equal(p.name, "Acme FM monthly export");
	assert_int_equal(p.skip_lines, 2);
	assert_int_equal(p.delimiter, '\t');
	assert_int_equal(p.encoding, SV_ENC_CP1252);
	assert_string_equal(p.columns[SV_PF_MEASURE], "Activity");
	assert_string_equal(p.columns[SV_PF_QUANTITY], "Hours");
	assert_string_equal(p.columns[SV_PF_DATE], "Month");
	assert_string_equal(p.columns[SV_PF_UNIT], "Unit");
	assert_int_equal(p.date_forms,
			 SV_PROFILE_DATE_MONTH | SV_PROFILE_DATE_TWO_DIGIT_YEAR | SV_PROFILE_DATE_EXCEL);
	assert_int_equal(p.n_measures, 2);
	assert_int_equal(p.n_ignore, 1);
	assert_string_equal(p.ignore[0].column, "Activity");
	assert_int_equal(p.ignore[0].n_values, 2);
	assert_int_equal(p.n_constants, 1);
	assert_string_equal(p.constants[0].name, "supplier");
	assert_string_equal(p.constants[0].value, "Acme FM");
	assert_true(p.accounting_zero);

	/* measure names: trimmed, in any case, before the table's ids */
	const struct sv_measure *m = sv_profile_measure(&p, " volunteering HOURS\t", 20);
	assert_non_null(m);
	assert_string_equal(m->id, "NT29");
	m = sv_profile_measure(&p, "local staff (fte)", 17);
	assert_non_null(m);
	assert_string_equal(m->id, "NT1");
	assert_null(sv_profile_measure(&p, "Volunteering", 12));
	assert_null(sv_profile_measure(NULL, "NT1", 3));

	assert_true(sv_profile_ignore_matches(&p.ignore[0], "  TOTAL ", 8));
	assert_true(sv_profile_ignore_matches(&p.ignore[0], "grand total", 11));
	assert_false(sv_profile_ignore_matches(&p.ignore[0], "Totals", 6));
	assert_false(sv_profile_ignore_matches(&p.ignore[0], "", 0));
	sv_profile_free(&p);
}

/* Ensure an empty profile sets nothing: the run's settings apply. */
static void test_empty_profile(void **state)
{
	(void)state;
	struct sv_profile p;
	char *diag = load(&p, "{}", SV_OK);
	free(diag);
	assert_int_equal(p.skip_lines, 0);
	assert_int_equal(p.delimiter, 0);
	assert_int_equal(p.encoding, SV_ENC_UNSET);
	for (int i = 0; i < SV_PF_COUNT; i++)
		assert_null(p.columns[i]);
	assert_false(p.accounting_zero);
	sv_profile_free(&p);
	diag = load(&p, "{\"delimiter\": \";\", \"encoding\": \"utf-8\", \"skip_lines\": 1000}", SV_OK);
	free(diag);
	assert_int_equal(p.delimiter, ';');
	assert_int_equal(p.encoding, SV_ENC_UTF8);
	assert_int_equal(p.skip_lines, 1000);
	sv_profile_free(&p);
}

/* Ensure a key spelt wrong is refused, with the key it was meant to be. */
static void test_unknown_keys(void **state)
{
	(void)state;
	expect_refused("{\"skip_line\": 1}", "sv-calc: p.json: unknown key 'skip_line' (did you mean 'skip_lines'?)\n");
	expect_refused("{\"colour\": 1}",
		       "sv-calc: p.json: unknown key 'colour' (known: name, skip_lines, delimiter, encoding, columns, "
		       "dates, measures, ignore, constants, accounting_zero)\n");
	expect_refused("{\"columns\": {\"qantity\": \"Hours\"}}",
		       "sv-calc: p.json: columns: unknown key 'qantity' (did you mean 'quantity'?)\n");
	expect_refused("{\"ignore\": [{\"colum\": \"A\", \"equals\": [\"Total\"]}]}",
		       "sv-calc: p.json: ignore 1: unknown key 'colum' (did you mean 'column'?)\n"
		       "sv-calc: p.json: ignore 1: needs a \"column\"\n");
	expect_refused("{\"dates\": [\"months\"]}", "sv-calc: p.json: dates: unknown form 'months' (did you mean 'month'?)\n");
	/* form names are as exact as keys */
	expect_refused("{\"dates\": [\"Month\"]}",
		       "sv-calc: p.json: dates: unknown form 'Month' (month, two-digit-year or excel-serial)\n");
	/* every problem is reported, not only the first */
	expect_refused("{\"skip_line\": 1, \"delimter\": \";\"}",
		       "sv-calc: p.json: unknown key 'skip_line' (did you mean 'skip_lines'?)\n"
		       "sv-calc: p.json: unknown key 'delimter' (did you mean 'delimiter'?)\n");
}

/* Ensure each key refuses a value of the wrong type or range. */
static void test_wrong_values(void **state)
{
	(void)state;
	const char *skip = "sv-calc: p.json: skip_lines must be a whole number from 0 to 1000 (the lines above the header)\n";
	expect_refused("{\"skip_lines\": \"1\"}", skip);
	expect_refused("{\"skip_lines\": 1001}", skip);
	expect_refused("{\"skip_lines\": 1.5}", skip);
	expect_refused("{\"skip_lines\": -1}", skip);
	expect_refused("{\"skip_lines\": 1e2}", skip);
	expect_refused("{\"delimiter\": \"ab\"}", "sv-calc: p.json: delimiter must be one character or \"tab\"\n");
	expect_refused("{\"delimiter\": \"\\\"\"}", "sv-calc: p.json: delimiter must be one character or \"tab\"\n");
	expect_refused("{\"encoding\": \"latin1\"}",
		       "sv-calc: p.json: encoding: unknown encoding 'latin1' (utf-8 or windows-1252)\n");
	expect_refused("{\"name\": 3}", "sv-calc: p.json: name must be a string\n");
	expect_refused("{\"columns\": {\"measure\": \" \"}}", "sv-calc: p.json: columns: measure is empty\n");
	expect_refused("{\"columns\": [\"measure\"]}",
		       "sv-calc: p.json: columns must be an object such as {\"measure\": \"Activity\", \"quantity\": \"Hours\"}\n");
	expect_refused("{\"dates\": \"month\"}",
		       "sv-calc: p.json: dates must be an array of date forms: month, two-digit-year, excel-serial\n");
	expect_refused("{\"ignore\": [{\"column\": \"A\", \"equals\": []}]}",
		       "sv-calc: p.json: ignore 1: \"equals\" must be a non-empty array of strings\n");
	expect_refused("{\"ignore\": [{\"column\": \"A\", \"equals\": \"Total\"}]}",
		       "sv-calc: p.json: ignore 1: \"equals\" must be a non-empty array of strings\n");
	expect_refused("{\"constants\": {\"supplier\": 3}}", "sv-calc: p.json: constants: 'supplier' must be a string\n");
	expect_refused("{\"constants\": {\"supplier\": \"A\", \"Supplier\": \"B\"}}",
		       "sv-calc: p.json: constants: 'Supplier' is named twice (names match in any case)\n");
	expect_refused("{\"accounting_zero\": \"yes\"}", "sv-calc: p.json: accounting_zero must be true or false\n");
	expect_refused("[]", "sv-calc: p.json: a profile must be a JSON object, such as {\"skip_lines\": 1}\n");
	expect_refused("{\"skip_lines\": 1, \"skip_lines\": 2}", "sv-calc: p.json: duplicate key 'skip_lines'\n");
}

/* Ensure a measure lookup must name a measure of the table, and names
 * that differ only in case or spaces are one name. */
static void test_measure_lookup_checked(void **state)
{
	(void)state;
	expect_refused("{\"measures\": {\"Volunteering hours\": \"NT299\"}}",
		       "sv-calc: p.json: measures: 'Volunteering hours': no measure or alias 'NT299' in the proxy table "
		       "(did you mean 'NT29'?)\n");
	expect_refused("{\"measures\": {\"Local staff\": \"jobs.fte\"}}",
		       "sv-calc: p.json: measures: 'Local staff': no measure or alias 'jobs.fte' in the proxy table\n");
	expect_refused("{\"measures\": {\"Local staff\": 1}}",
		       "sv-calc: p.json: measures: 'Local staff' must map to a string (a measure id or alias)\n");
	expect_refused("{\"measures\": {\"Local staff\": \"NT1\", \"local STAFF \": \"NT1\"}}",
		       "sv-calc: p.json: measures: 'Local staff' and 'local STAFF' are the same name (names match "
		       "trimmed, in any case)\n");
}

/* Ensure JSON that does not parse, and text that is not UTF-8, are refused
 * with where they go wrong. */
static void test_not_json(void **state)
{
	(void)state;
	struct sv_profile p;
	char *diag = load(&p, "{\"skip_lines\": 1,}", SV_ECONFIG);
	assert_true(strncmp(diag, "sv-calc: p.json:1:", 18) == 0);
	free(diag);
	expect_refused("{\"name\": \"caf\xE9\"}",
		       "sv-calc: p.json:1:14: not valid UTF-8 (byte \\xE9); save the profile as UTF-8\n");
}

/* ---- files and lists --------------------------------------------------- */

/* A fresh directory, with a subdirectory for paths relative to a list's. */
static int make_dir(void **state)
{
	return test_dir_setup(state) == 0 && mkdir("sub", 0755) == 0 ? 0 : -1;
}

/* A parsed command line, the inputs read and the profiles loaded. */
struct run {
	char *argv[8];
	struct sv_options o;
	struct sv_inputs in;
	enum sv_status status;
	char *diag;
};

static void setup_run(struct run *r, const char *const *args)
{
	memset(r, 0, sizeof *r);
	int argc = 0;
	r->argv[argc++] = strdup("sv-calc");
	for (; *args; args++)
		r->argv[argc++] = strdup(*args);
	assert_int_equal(sv_options_parse(&r->o, argc, r->argv), SV_OK);
	struct capture c;
	capture_start(&c);
	r->status = sv_inputs_read(&r->in, &r->o);
	if (r->status == SV_OK)
		r->status = sv_inputs_load_profiles(&r->in, &r->o, &table);
	r->diag = capture_end(&c);
}

#define SETUP(r, ...) setup_run(r, (const char *const[]){__VA_ARGS__, NULL})

static void run_free(struct run *r)
{
	sv_inputs_free(&r->in);
	sv_options_free(&r->o);
	for (int i = 0; i < 8; i++)
		free(r->argv[i]);
	free(r->diag);
}

/* Ensure a list's files and profiles are joined to its folder, each
 * profile is loaded once, and a row's profile wins over --profile. */
static void test_input_list(void **state)
{
	(void)state;
	write_text("sub/a.json", "{\"skip_lines\": 1, \"constants\": {\"region\": \"North\"}}");
	write_text("all.json", "{\"delimiter\": \";\"}");
	write_text("sub/list.csv", "File,Profile,Supplier\n"
				   "a.csv,a.json,Acme\n"
				   "b/b.csv,a.json,\"Bolt, Ltd\"\n"
				   "/abs/c.csv,,\n"
				   "d.csv,./a.json,\n");
	struct run r;
	SETUP(&r, "--profile", "all.json", "--inputs", "sub/list.csv", "own.csv");
	assert_string_equal(r.diag, "");
	assert_int_equal(r.status, SV_OK);
	assert_int_equal(r.o.n_files, 5);
	assert_string_equal(r.o.files[0], "own.csv");
	assert_string_equal(r.o.files[1], "sub/a.csv");
	assert_string_equal(r.o.files[2], "sub/b/b.csv");
	assert_string_equal(r.o.files[3], "/abs/c.csv");
	assert_string_equal(r.o.files[4], "sub/d.csv");
	/* sub/a.json once (also named sub/./a.json), and all.json */
	assert_int_equal(r.in.n_profiles, 2);
	assert_int_equal(r.o.n_profile_files, 1);
	assert_string_equal(r.o.profile_files[0], "sub/a.json");
	const struct sv_input_settings *s = r.o.settings;
	assert_non_null(s);
	assert_string_equal(s[0].profile->path, "all.json");
	assert_int_equal(s[0].n_constants, 0);
	assert_null(s[0].list);
	assert_string_equal(s[1].profile->path, "sub/a.json");
	assert_ptr_equal(s[1].profile, s[2].profile);
	assert_string_equal(s[1].list, "sub/list.csv");
	assert_int_equal(s[1].n_constants, 1);
	assert_string_equal(s[1].constants[0].name, "Supplier");
	assert_string_equal(s[1].constants[0].value, "Acme");
	assert_string_equal(s[2].constants[0].value, "Bolt, Ltd");
	/* no profile in its row: --profile; an empty cell: no constant */
	assert_string_equal(s[3].profile->path, "all.json");
	assert_int_equal(s[3].n_constants, 0);
	assert_ptr_equal(s[4].profile, s[1].profile);
	run_free(&r);
}

/* Ensure --profile alone applies to standard input too. */
static void test_profile_for_stdin(void **state)
{
	(void)state;
	write_text("all.json", "{\"skip_lines\": 3}");
	struct run r;
	SETUP(&r, "--profile", "all.json");
	assert_int_equal(r.status, SV_OK);
	assert_int_equal(r.o.n_files, 0);
	assert_non_null(r.o.settings);
	assert_int_equal(r.o.settings[0].profile->skip_lines, 3);
	run_free(&r);
}

static void expect_list_refused(const char *list, const char *want)
{
	write_text("list.csv", list);
	struct run r;
	SETUP(&r, "--inputs", "list.csv");
	bool ok = r.status == SV_ECONFIG && strcmp(r.diag, want) == 0;
	if (!ok)
		print_error("status %d, diagnostics:\n%s\nwant:\n%s\n", (int)r.status, r.diag, want);
	run_free(&r);
	assert_true(ok);
}

/* Ensure a list's mistakes are refused with LIST:LINE. */
static void test_input_list_errors(void **state)
{
	(void)state;
	expect_list_refused("path,supplier\na.csv,Acme\n",
			    "sv-calc: list.csv:1: missing required column 'file' (the columns are: path, supplier; an "
			    "input list has file, optionally profile, and constant columns)\n");
	expect_list_refused("file,supplier\na.csv,Acme\n,Bolt\n-,Cole\nd.csv\n",
			    "sv-calc: list.csv:3: file: empty\n"
			    "sv-calc: list.csv:4: file: '-' (standard input) cannot be listed; name it on the command line\n"
			    "sv-calc: list.csv:5: the row has 1 field, the header has 2\n");
	expect_list_refused("file\n", "sv-calc: list.csv: the input list names no file\n");
	expect_list_refused("", "sv-calc: list.csv: no header row (the file is empty or blank)\n");
	expect_list_refused("file,Supplier,supplier\na.csv,A,B\n",
			    "sv-calc: list.csv:1: column 'supplier' appears more than once (columns 2 and 3)\n");
	expect_list_refused("file,supplier\na.csv,\xA3\n",
			    "sv-calc: list.csv:2: supplier: invalid UTF-8 in '\\xA3' (save the list as UTF-8)\n");
	struct run r;
	SETUP(&r, "--inputs", "missing.csv");
	assert_int_equal(r.status, SV_ECONFIG);
	assert_string_equal(r.diag, "sv-calc: missing.csv: cannot open input list: No such file or directory\n");
	run_free(&r);
}

/* Ensure a profile the list names that cannot be read or is wrong stops
 * the run, naming the profile and the row that named it. */
static void test_input_list_bad_profile(void **state)
{
	(void)state;
	write_text("sub/list.csv", "file,profile\na.csv,nope.json\nb.csv,nope.json\nc.csv,typo.json\n");
	write_text("sub/typo.json", "{\"skip_line\": 1}");
	struct run r;
	SETUP(&r, "--inputs", "sub/list.csv");
	assert_int_equal(r.status, SV_ECONFIG);
	assert_string_equal(r.diag,
			    "sv-calc: sub/nope.json: cannot open profile: No such file or directory\n"
			    "sv-calc: sub/list.csv:2: the profile sub/nope.json (for sub/a.csv) was not loaded\n"
			    "sv-calc: sub/typo.json: unknown key 'skip_line' (did you mean 'skip_lines'?)\n"
			    "sv-calc: sub/list.csv:4: the profile sub/typo.json (for sub/c.csv) was not loaded\n");
	assert_null(r.o.settings);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_empty_profile),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_wrong_values),
		cmocka_unit_test(test_measure_lookup_checked),
		cmocka_unit_test(test_not_json),
	};
	const struct CMUnitTest file_tests[] = {
		cmocka_unit_test_setup_teardown(test_input_list, make_dir, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_profile_for_stdin, make_dir, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_input_list_errors, make_dir, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_input_list_bad_profile, make_dir, test_dir_teardown),
	};
	int failed = cmocka_run_group_tests(tests, load_table, free_table);
	return failed + cmocka_run_group_tests(file_tests, load_table, free_table);
}
