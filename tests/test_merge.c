/*
 * test_merge.c - merge checks every result before adding any of it.
 *
 * Each test writes results by hand (edits of one valid result for a small
 * table), runs sv_cmd_merge on them, and asserts the status, the exact
 * refusal and that nothing was printed when a check failed.
 */
#include "test_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include "sv_commands.h"
#include "sv_format.h"
#include "sv_options.h"
#include "sv_proxy.h"

static const char small_table[] =
	"{\"name\": \"test table\", \"version\": \"1\", "
	"\"themes\": [{\"id\": \"jobs\", \"name\": \"Jobs\"}, {\"id\": \"social\", \"name\": \"Social\"}], "
	"\"measures\": ["
	"{\"id\": \"NT1\", \"theme\": \"jobs\", \"name\": \"Local FTE\", \"unit\": \"FTE\", \"value\": 39039.00, "
	"\"value_type\": \"LEV\"}, "
	"{\"id\": \"NT9\", \"theme\": \"social\", \"name\": \"Volunteering\", \"unit\": \"hour\", "
	"\"value\": \"17.04\", \"value_type\": \"social\"}, "
	"{\"id\": \"NT2\", \"theme\": \"jobs\", \"name\": \"Hard to reach hires\", \"unit\": \"person\", "
	"\"value\": null, \"value_type\": \"LEV\"}]}";

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* A valid result by theme; TABLE_SHA is replaced by the table's digest.
 * 39039.005 rounds half away from zero to 39039.01. */
static const char valid[] =
	"{\"sv_calc\": {\"version\": \"0.1.0\"},\n"
	" \"proxy_table\": {\"name\": \"test table\", \"version\": \"1\", \"sha256\": \"TABLE_SHA\"},\n"
	" \"by\": [\"theme\"],\n"
	" \"options\": {\"from\": null, \"to\": null, \"skip_invalid\": false},\n"
	" \"inputs\": [{\"name\": \"a.csv\", \"bytes\": 10, \"sha256\": \"" SHA_A "\", \"from\": null, \"to\": null, \"skip_invalid\": false}],\n"
	" \"counts\": {\"read\": 4, \"valued\": 3, \"invalid\": 0, \"filtered\": 1},\n"
	" \"groups\": [\n"
	"  {\"theme\": \"jobs\", \"theme_name\": \"Jobs\", \"records\": 2, \"value\": \"39039.01\", \"value_exact\": \"39039.005\", "
	"\"measures\": [{\"id\": \"NT1\", \"records\": 1, \"value_exact\": \"39039.005\"}, {\"id\": \"NT2\", \"records\": 1, \"value_exact\": null}]},\n"
	"  {\"theme\": \"social\", \"theme_name\": \"Social\", \"records\": 1, \"value\": \"17.04\", \"value_exact\": \"17.04\", "
	"\"measures\": [{\"id\": \"NT9\", \"records\": 1, \"value_exact\": \"17.04\"}]}\n"
	" ],\n"
	" \"total\": {\"records\": 3, \"value\": \"39056.05\", \"value_exact\": \"39056.045\"},\n"
	" \"measures\": [{\"id\": \"NT1\", \"value\": \"39039.00\", \"records\": 1}, "
	"{\"id\": \"NT9\", \"value\": \"17.04\", \"records\": 1}, {\"id\": \"NT2\", \"value\": null, \"records\": 1}]\n"
	"}\n";

/* By measure, with a record-only group (value null). */
static const char valid_measure[] =
	"{\"sv_calc\": {\"version\": \"0.1.0\"},\n"
	" \"proxy_table\": {\"name\": \"test table\", \"version\": \"1\", \"sha256\": \"TABLE_SHA\"},\n"
	" \"by\": [\"measure\"],\n"
	" \"options\": {\"from\": null, \"to\": null, \"skip_invalid\": false},\n"
	" \"inputs\": [{\"name\": \"m.csv\", \"bytes\": 10, \"sha256\": \"" SHA_B "\", \"from\": null, \"to\": null, \"skip_invalid\": false}],\n"
	" \"counts\": {\"read\": 2, \"valued\": 2, \"invalid\": 0, \"filtered\": 0},\n"
	" \"groups\": [\n"
	"  {\"measure\": \"NT9\", \"measure_name\": \"Volunteering\", \"records\": 1, \"value\": \"17.04\", \"value_exact\": \"17.04\", "
	"\"measures\": [{\"id\": \"NT9\", \"records\": 1, \"value_exact\": \"17.04\"}]},\n"
	"  {\"measure\": \"NT2\", \"measure_name\": \"Hard to reach hires\", \"records\": 1, \"value\": null, \"value_exact\": null, "
	"\"measures\": [{\"id\": \"NT2\", \"records\": 1, \"value_exact\": null}]}\n"
	" ],\n"
	" \"total\": {\"records\": 2, \"value\": \"17.04\", \"value_exact\": \"17.04\"},\n"
	" \"measures\": [{\"id\": \"NT9\", \"value\": \"17.04\", \"records\": 1}, {\"id\": \"NT2\", \"value\": null, \"records\": 1}]\n"
	"}\n";

static struct sv_proxy_table table;
static char table_sha[65];
static char dir[64];

/* text with its first `from` replaced by `to`; the test fails if absent. */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	assert_non_null(at);
	size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);
	assert_non_null(out);
	memcpy(out, text, head);
	strcpy(out + head, to);
	strcat(out, at + strlen(from));
	return out;
}

/* Writes a result (with the table's digest) under the scratch directory;
 * returns its path (static, one per slot). */
static const char *put(int slot, const char *text)
{
	static char paths[8][128];
	char *real = strstr(text, "TABLE_SHA") ? edit(text, "TABLE_SHA", table_sha) : strdup(text);
	snprintf(paths[slot], sizeof paths[slot], "%s/r%d.json", dir, slot);
	FILE *f = fopen(paths[slot], "w");
	assert_non_null(f);
	fputs(real, f);
	fclose(f);
	free(real);
	return paths[slot];
}

/* As put, with one edit applied. */
static const char *put_edited(int slot, const char *text, const char *from, const char *to)
{
	char *e = edit(text, from, to);
	const char *path = put(slot, e);
	free(e);
	return path;
}

struct run {
	enum sv_status st;
	char *out;  /* what merge printed */
	char *diag; /* what it said */
};

static void run_free(struct run *r)
{
	free(r->out);
	free(r->diag);
}

/* sv-calc merge -f csv [option] FILE... */
static struct run merge(const char *option, const char *const *files, size_t n)
{
	char *argv[16];
	char prog[] = "sv-calc", cmd[] = "merge", f[] = "-f", csv[] = "csv", opt[64];
	int argc = 0;
	argv[argc++] = prog;
	argv[argc++] = cmd;
	argv[argc++] = f;
	argv[argc++] = csv;
	if (option) {
		snprintf(opt, sizeof opt, "%s", option);
		argv[argc++] = opt;
	}
	char names[8][128];
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof names[i], "%s", files[i]);
		argv[argc++] = names[i];
	}
	struct sv_options o;
	assert_int_equal(sv_options_parse(&o, argc, argv), SV_OK);
	struct run r = {SV_OK, NULL, NULL};
	size_t len = 0;
	FILE *out = open_memstream(&r.out, &len);
	struct capture c;
	capture_start(&c);
	r.st = sv_cmd_merge(&o, &table, out);
	r.diag = capture_end(&c);
	fclose(out);
	sv_options_free(&o);
	return r;
}

/* The run was refused with exactly this diagnostic, printing nothing. */
static void assert_refused(struct run *r, const char *diag)
{
	assert_int_equal(r->st, SV_EDATA);
	assert_string_equal(r->diag, diag);
	assert_string_equal(r->out, "");
	run_free(r);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/sv-calc-test-merge-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	if (sv_proxy_load_text(&table, small_table, strlen(small_table), "t.json") != SV_OK)
		return -1;
	return sv_proxy_digest(&table, table_sha) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	sv_proxy_free(&table);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- results that pass --------------------------------------------------- */

static void test_valid_results_add_up(void **state)
{
	(void)state;
	const char *files[] = {put(0, valid), put_edited(1, valid, SHA_A, SHA_B)};
	struct run r = merge(NULL, files, 2);
	assert_int_equal(r.st, SV_OK);
	assert_string_equal(r.diag, "");
	assert_string_equal(r.out, "theme,theme_name,records,value\n"
				   "jobs,Jobs,4,78078.01\n"
				   "social,Social,2,34.08\n"
				   "TOTAL,,6,78112.09\n");
	run_free(&r);
}

static void test_record_only_group_passes(void **state)
{
	(void)state;
	const char *files[] = {put(0, valid_measure)};
	struct run r = merge(NULL, files, 1);
	assert_int_equal(r.st, SV_OK);
	assert_string_equal(r.out, "measure,measure_name,records,value\n"
				   "NT9,Volunteering,1,17.04\n"
				   "NT2,Hard to reach hires,1,\n"
				   "TOTAL,,2,17.04\n");
	run_free(&r);
}

/* ---- a refused first file leaves nothing behind -------------------------------- */

static void test_first_refused_then_valid(void **state)
{
	(void)state;
	const char *files[] = {put(0, "{}"), put(1, valid)};
	struct run r = merge(NULL, files, 2);
	char want[256];
	snprintf(want, sizeof want, "sv-calc: %s: not an sv-calc JSON result (no 'groups' or 'inputs')\n", files[0]);
	assert_refused(&r, want);
}

/* The by and options of the first file that passed are the reference,
 * not those of a refused one. */
static void test_reference_is_first_passing(void **state)
{
	(void)state;
	const char *files[] = {put_edited(0, valid_measure, "\"read\": 2", "\"read\": 3"), put(1, valid),
			       put_edited(2, valid_measure, SHA_B, SHA_A)};
	struct run r = merge(NULL, files, 3);
	char want[1024];
	/* r2 repeats r1's input, not the refused r0's */
	snprintf(want, sizeof want,
		 "sv-calc: %s: the counts do not add up: read 3, valued 2 + invalid 0 + filtered 0\n"
		 "sv-calc: %s: input 'm.csv' has the bytes of input 'a.csv' of %s (SHA-256 aaaaaaaaaaaa...); an input is "
		 "counted once (--allow-identical-inputs lets identical inputs through)\n",
		 files[0], files[2], files[1]);
	assert_refused(&r, want);
}

/* ---- figures that add up ---------------------------------------------------- */

static void assert_one_refusal(const char *text, const char *from, const char *to, const char *why)
{
	const char *files[] = {put_edited(0, text, from, to)};
	struct run r = merge(NULL, files, 1);
	char want[1024];
	snprintf(want, sizeof want, "sv-calc: %s: %s\n", files[0], why);
	assert_refused(&r, want);
}

static void test_group_values_must_add_up(void **state)
{
	(void)state;
	const char *files[] = {put_edited(0, valid, "\"value_exact\": \"17.04\", \"measures\"", "\"value_exact\": \"17.05\", \"measures\"")};
	struct run r = merge(NULL, files, 1);
	char want[1024];
	snprintf(want, sizeof want,
		 "sv-calc: %s: group 2: 'value' 17.04 is not value_exact 17.05 rounded to the penny (17.05)\n"
		 "sv-calc: %s: the groups' value_exact add up to 39056.055, not to the total's 39056.045\n",
		 files[0], files[0]);
	assert_refused(&r, want);
}

static void test_exact_sum_checked_when_rounding_agrees(void **state)
{
	(void)state;
	assert_one_refusal(valid, "\"39039.005\"", "\"39039.006\"",
			   "the groups' value_exact add up to 39056.046, not to the total's 39056.045");
}

static void test_value_rounds_half_away_from_zero(void **state)
{
	(void)state;
	assert_one_refusal(valid, "\"39039.01\"", "\"39039.00\"",
			   "group 1: 'value' 39039.00 is not value_exact 39039.005 rounded to the penny (39039.01)");
	assert_one_refusal(valid, "\"39056.05\"", "\"39056.04\"",
			   "total: 'value' 39056.04 is not value_exact 39056.045 rounded to the penny (39056.05)");
	/* written as the writer writes it, two decimals */
	assert_one_refusal(valid, "\"17.04\"", "\"17.040\"",
			   "group 2: 'value' 17.040 is not value_exact 17.04 rounded to the penny (17.04)");
}

static void test_negative_value_refused(void **state)
{
	(void)state;
	char *neg = edit(valid, "\"value\": \"17.04\", \"value_exact\": \"17.04\"",
			 "\"value\": \"-17.04\", \"value_exact\": \"-17.04\"");
	char *total = edit(neg, "\"39056.05\", \"value_exact\": \"39056.045\"",
			   "\"39021.97\", \"value_exact\": \"39021.965\"");
	assert_one_refusal(total, "\"records\": 3", "\"records\": 3", "group 2: a negative value_exact '-17.04'");
	free(neg);
	free(total);
}

static void test_records_must_add_up(void **state)
{
	(void)state;
	assert_one_refusal(valid, "\"records\": 2", "\"records\": 3",
			   "the groups' records add up to 4, not to the total's 3");
	char *both = edit(valid, "\"records\": 2", "\"records\": 3");
	assert_one_refusal(both, "\"records\": 3, \"value\": \"39056.05\"", "\"records\": 4, \"value\": \"39056.05\"",
			   "the total's records (4) are not the valued records (3)");
	free(both);
}

/* Ensure the measures a result lists are the table's, with its values,
 * each once, their records adding up to the total's. */
static void test_measures_checked(void **state)
{
	(void)state;
	assert_one_refusal(valid, "{\"id\": \"NT9\", \"value\": \"17.04\", \"records\": 1}",
			   "{\"id\": \"NT9\", \"value\": \"17.04\", \"records\": 2}",
			   "measures 2: 'NT9' has 2 records, its entries in the groups 1");
	assert_one_refusal(valid, "\"value\": \"39039.00\"", "\"value\": \"40000.00\"",
			   "measures 1: 'NT1' does not have the table's value (39039.00)");
	assert_one_refusal(valid, "{\"id\": \"NT2\", \"value\": null, \"records\": 1}",
			   "{\"id\": \"NT1\", \"value\": \"39039.00\", \"records\": 1}",
			   "measures 3: 'NT1' is listed twice");
	assert_one_refusal(valid, "{\"id\": \"NT2\", \"value\"", "{\"id\": \"NT99\", \"value\"",
			   "measures 3: 'NT99' is not a measure of the table");
	/* and each group's own measures: they must be the table's, add up
	 * to the group's records and to its exact value */
	assert_one_refusal(valid, "{\"id\": \"NT2\", \"records\"", "{\"id\": \"NT99\", \"records\"",
			   "group 1: 'NT99' is not a measure of the table");
	assert_one_refusal(valid, "{\"id\": \"NT2\", \"records\": 1, \"value_exact\": null}",
			   "{\"id\": \"NT2\", \"records\": 1, \"value_exact\": \"5.00\"}",
			   "group 1: 'NT2': 'value_exact' must be null (a record-only measure)");
	assert_one_refusal(valid, "{\"id\": \"NT1\", \"records\": 1, \"value_exact\": \"39039.005\"}",
			   "{\"id\": \"NT1\", \"records\": 1, \"value_exact\": \"39039.004\"}",
			   "group 1: its measures' value_exact add up to 39039.004, not to its 39039.005");
	assert_one_refusal(valid, "{\"id\": \"NT9\", \"records\": 1, \"value_exact\": \"17.04\"}]",
			   "{\"id\": \"NT9\", \"records\": 1, \"value_exact\": \"17.04\"}, {\"id\": \"NT1\", \"records\": 1, \"value_exact\": \"0\"}]",
			   "group 2: its measures' records add up to 2, not to its 1");
	assert_one_refusal(valid, "\"measures\": [{\"id\": \"NT1\", \"value\"", "\"measured\": [{\"id\": \"NT1\", \"value\"",
			   "'measures' is missing or not an array");
}

static void test_counts_must_add_up(void **state)
{
	(void)state;
	assert_one_refusal(valid, "\"filtered\": 1", "\"filtered\": 2",
			   "the counts do not add up: read 4, valued 3 + invalid 0 + filtered 2");
}

static void test_key_twice_refused(void **state)
{
	(void)state;
	char *dup = edit(valid, "\"theme\": \"social\"", "\"theme\": \"jobs\"");
	assert_one_refusal(dup, "\"theme_name\": \"Social\"", "\"theme_name\": \"Social\"",
			   "group 2: the same key (jobs) as an earlier group");
	free(dup);
}

static void test_unknown_key_refused(void **state)
{
	(void)state;
	assert_one_refusal(valid, "\"theme\": \"social\"", "\"theme\": \"Social\"",
			   "group 2: 'Social' is not a theme of the table");
}

static void test_record_only_consistent(void **state)
{
	(void)state;
	assert_one_refusal(valid_measure, "\"value\": null, \"value_exact\": null",
			   "\"value\": null, \"value_exact\": \"0.00\"",
			   "group 2: 'value' and 'value_exact' must be both strings or both null");
	char *none = edit(valid_measure, "\"records\": 1, \"value\": null", "\"records\": 0, \"value\": null");
	char *total = edit(none, "\"records\": 2, \"value\"", "\"records\": 1, \"value\"");
	char *counts = edit(total, "\"read\": 2, \"valued\": 2", "\"read\": 1, \"valued\": 1");
	assert_one_refusal(counts, "\"m.csv\"", "\"m.csv\"", "group 2: no records, yet a record-only value (null)");
	free(none);
	free(total);
	free(counts);
}

/* ---- members of the right type ------------------------------------------------ */

static void test_types_checked(void **state)
{
	(void)state;
	assert_one_refusal(valid, "\"read\": 4", "\"read\": \"4\"", "counts: 'read' is missing or not a whole number");
	assert_one_refusal(valid, "\"read\": 4", "\"read\": 4.5", "counts: 'read' is missing or not a whole number");
	assert_one_refusal(valid, "\"read\": 4", "\"read\": -4", "counts: 'read' is missing or not a whole number");
	assert_one_refusal(valid, "\"records\": 2", "\"records\": null",
			   "group 1: 'records' is missing or not a whole number");
	assert_one_refusal(valid, "\"value\": \"17.04\"", "\"value\": 17.04",
			   "group 2: 'value' and 'value_exact' must be both strings or both null");
	assert_one_refusal(valid, "\"value_exact\": \"17.04\"", "\"value_exact\": \"17,04\"",
			   "group 2: 'value_exact' is not an exact decimal");
	assert_one_refusal(valid, "\"theme\": \"jobs\"", "\"theme\": 1", "group 1: 'theme' is missing or not a string");
	assert_one_refusal(valid, "\"theme_name\": \"Jobs\", ", "",
			   "group 1: 'theme_name' is missing or not a string");
	assert_one_refusal(valid, "\"sha256\": \"" SHA_A "\"", "\"sha256\": \"A" SHA_A "\"",
			   "input 1: 'sha256' is not a SHA-256 in lower-case hex");
	assert_one_refusal(valid, "\"bytes\": 10", "\"bytes\": \"10\"", "input 1: 'bytes' is missing or not a whole number");
	assert_one_refusal(valid, "\"skip_invalid\": false", "\"skip_invalid\": 0",
			   "options: 'skip_invalid' is missing or not true or false");
	assert_one_refusal(valid, "\"from\": null", "\"from\": \"2024-02-30\"",
			   "options: 'from' is missing or neither a date nor null");
	assert_one_refusal(valid, "\"by\": [\"theme\"]", "\"by\": \"theme\"",
			   "'by' is missing or not a list of 1 to 16 keys");
	assert_one_refusal(valid, "\"by\": [\"theme\"]", "\"by\": [\"theme\", \"THEME\"]",
			   "'by' is not a list of keys sv-calc groups by: --by: key 'theme' is named twice");
	assert_one_refusal(valid, "\"total\": {", "\"totals\": {", "'total' is missing or not an object");
	assert_one_refusal(valid, "{\"version\": \"0.1.0\"}", "[]", "'sv_calc' is missing or not an object");
	assert_one_refusal(valid, "\"filtered\": 1", "\"filtered\": 1, \"read\": 4",
			   "the member 'read' appears twice in one object");
}

static void test_not_json_refused(void **state)
{
	(void)state;
	assert_one_refusal(valid, "{", "\xff{", "not JSON (an sv-calc result made with -f json is needed)");
	assert_one_refusal(valid, "{", "[{", "not JSON (an sv-calc result made with -f json is needed)");
	assert_one_refusal(valid, "\"groups\": [", "\"groups\": {\"a\": [",
			   "not JSON (an sv-calc result made with -f json is needed)");
}

/* ---- the same table --------------------------------------------------------------- */

static void test_other_table_refused(void **state)
{
	(void)state;
	char *other = edit(valid, "TABLE_SHA", SHA_B);
	const char *files[] = {put(0, other)};
	free(other);
	struct run r = merge(NULL, files, 1);
	char want[512];
	snprintf(want, sizeof want,
		 "sv-calc: %s: made with proxy table 'test table' version 1 (different values), not with 'test table' version 1 (t.json); merge only results made with the same table, given with -p\n",
		 files[0]);
	assert_refused(&r, want);
}

/* ---- counted once ---------------------------------------------------------------- */

static void test_same_file_twice_refused(void **state)
{
	(void)state;
	const char *a = put(0, valid);
	char link[160];
	snprintf(link, sizeof link, "%s/link.json", dir);
	unlink(link);
	assert_int_equal(symlink(a, link), 0);
	const char *files[] = {a, link};
	char want[512];
	snprintf(want, sizeof want, "sv-calc: %s: the same file as %s, named before: a result is counted once\n", link, a);
	struct run r = merge(NULL, files, 2);
	assert_refused(&r, want);
	r = merge("--allow-identical-inputs", files, 2);
	assert_refused(&r, want);
}

static void test_overlapping_inputs_refused(void **state)
{
	(void)state;
	const char *files[] = {put(0, valid), put(1, valid_measure), put_edited(2, valid, "a.csv", "b.csv")};
	char want[512];
	snprintf(want, sizeof want,
		 "sv-calc: %s: input 'b.csv' has the bytes of input 'a.csv' of %s (SHA-256 aaaaaaaaaaaa...); an input is counted once (--allow-identical-inputs lets identical inputs through)\n",
		 files[2], files[0]);
	/* a result grouped by measure merges with one by theme */
	struct run r = merge(NULL, files, 3);
	assert_refused(&r, want);
	const char *two[] = {files[0], files[2]};
	r = merge(NULL, two, 2);
	assert_refused(&r, want);
	r = merge("--allow-identical-inputs", two, 2);
	assert_int_equal(r.st, SV_OK);
	assert_non_null(strstr(r.out, "TOTAL,,6,78112.09\n"));
	run_free(&r);
}

/* Ensure one export valued for windows that share no day (a year valued
 * quarter by quarter) merges, and windows that share one are refused. */
static void test_disjoint_windows_merge(void **state)
{
	(void)state;
	const char *q1 = "\"from\": \"2024-04-01\", \"to\": \"2024-06-30\", \"skip_invalid\": false}]";
	const char *q2 = "\"from\": \"2024-07-01\", \"to\": null, \"skip_invalid\": true}]";
	const char *june = "\"from\": \"2024-06-30\", \"to\": null, \"skip_invalid\": false}]";
	const char *none = "\"from\": null, \"to\": null, \"skip_invalid\": false}]";
	const char *files[] = {put_edited(0, valid, none, q1), put_edited(1, valid, none, q2)};
	struct run r = merge(NULL, files, 2);
	assert_int_equal(r.st, SV_OK);
	assert_string_equal(r.diag, "");
	run_free(&r);
	files[1] = put_edited(1, valid, none, june);
	r = merge(NULL, files, 2);
	char want[512];
	snprintf(want, sizeof want,
		 "sv-calc: %s: input 'a.csv' (2024-06-30 to any date) has the bytes of input 'a.csv' (2024-04-01 to "
		 "2024-06-30) of %s (SHA-256 aaaaaaaaaaaa...) in windows that share days; an input is counted once "
		 "(--allow-identical-inputs lets identical inputs through)\n",
		 files[1], files[0]);
	assert_refused(&r, want);
}

static void test_identical_inputs_within_one_result(void **state)
{
	(void)state;
	const char *files[] = {put_edited(0, valid, "}],\n \"counts\"",
					  "}, {\"name\": \"c.csv\", \"bytes\": 10, \"sha256\": \"" SHA_A "\", \"from\": null, \"to\": null, \"skip_invalid\": false}],\n \"counts\"")};
	char want[512];
	snprintf(want, sizeof want,
		 "sv-calc: %s: inputs 'a.csv' and 'c.csv' have identical bytes (SHA-256 aaaaaaaaaaaa...); an input is counted once (--allow-identical-inputs lets identical inputs through)\n",
		 files[0]);
	struct run r = merge(NULL, files, 1);
	assert_refused(&r, want);
	r = merge("--allow-identical-inputs", files, 1);
	assert_int_equal(r.st, SV_OK);
	run_free(&r);
}

/* ---- every file reported ------------------------------------------------------------ */

static void test_every_file_reported(void **state)
{
	(void)state;
	const char *files[] = {put_edited(0, valid, "\"read\": 4", "\"read\": 5"), put(1, "not json"),
			       put_edited(2, valid, "\"filtered\": 1", "\"filtered\": 0")};
	char want[1024];
	snprintf(want, sizeof want,
		 "sv-calc: %s: the counts do not add up: read 5, valued 3 + invalid 0 + filtered 1\n"
		 "sv-calc: %s: not JSON (an sv-calc result made with -f json is needed)\n"
		 "sv-calc: %s: the counts do not add up: read 4, valued 3 + invalid 0 + filtered 0\n",
		 files[0], files[1], files[2]);
	struct run r = merge(NULL, files, 3);
	assert_refused(&r, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_results_add_up),
		cmocka_unit_test(test_record_only_group_passes),
		cmocka_unit_test(test_first_refused_then_valid),
		cmocka_unit_test(test_reference_is_first_passing),
		cmocka_unit_test(test_group_values_must_add_up),
		cmocka_unit_test(test_exact_sum_checked_when_rounding_agrees),
		cmocka_unit_test(test_value_rounds_half_away_from_zero),
		cmocka_unit_test(test_negative_value_refused),
		cmocka_unit_test(test_records_must_add_up),
		cmocka_unit_test(test_counts_must_add_up),
		cmocka_unit_test(test_measures_checked),
		cmocka_unit_test(test_key_twice_refused),
		cmocka_unit_test(test_unknown_key_refused),
		cmocka_unit_test(test_record_only_consistent),
		cmocka_unit_test(test_types_checked),
		cmocka_unit_test(test_not_json_refused),
		cmocka_unit_test(test_other_table_refused),
		cmocka_unit_test(test_same_file_twice_refused),
		cmocka_unit_test(test_overlapping_inputs_refused),
		cmocka_unit_test(test_disjoint_windows_merge),
		cmocka_unit_test(test_identical_inputs_within_one_result),
		cmocka_unit_test(test_every_file_reported),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
