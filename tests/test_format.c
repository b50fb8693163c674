/*
 * test_format.c - results and proxy listings in every output format.
 *
 * Each test builds a result by hand: a table loaded from a JSON string,
 * groups filled with sv_groups_add, and the counts a run would have made.
 */
#include "test_util.h"

#include "sv_cli.h"
#include "sv_format.h"
#include "sv_proxy.h"

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

/* Everything a result points to. */
struct fixture {
	struct result_parts p;
	struct sv_input_info inputs[1];
	struct sv_result result;
	int64_t unit_lcm; /* what the amounts added count in */
};

static void fixture_init(struct fixture *f, const struct sv_key_spec *keys, const char *const *names,
			 size_t n_keys)
{
	memset(f, 0, sizeof *f);
	result_parts_init(&f->p, small_table, keys, names, n_keys);
	f->inputs[0].name = "q1.csv";
	f->unit_lcm = 1;
}

/* Adds a record of measure m (by index) with quantity q4 (in 1/10^4 unit,
 * which these fixtures need at most), keyed by the measure's theme or index,
 * or by a column text. */
static void add(struct fixture *f, size_t m, int64_t q4, const char *column)
{
	const struct sv_measure *me = &f->p.table.measures[m];
	struct sv_key_value kv[SV_MAX_KEYS];
	for (size_t k = 0; k < f->p.n_keys; k++) {
		kv[k] = (struct sv_key_value){0, NULL, 0};
		switch (f->p.keys[k].kind) {
		case SV_KEY_THEME: kv[k].num = (int64_t)me->theme; break;
		case SV_KEY_MEASURE: kv[k].num = (int64_t)me->index; break;
		case SV_KEY_VALUE_TYPE: kv[k].num = me->value_type; break;
		case SV_KEY_COLUMN:
			kv[k].str = column;
			kv[k].len = strlen(column);
			break;
		default: fail_msg("unsupported key kind in the fixture");
		}
	}
	sv_amount value = 0;
	if (!me->record_only)
		assert_true(sv_amount_mul((sv_qty)q4 * (SV_QTY_SCALE / 10000), me->value, f->unit_lcm, &value));
	assert_int_equal(sv_groups_add_measure(f->p.groups, kv, m, !me->record_only, value), SV_OK);
	f->result.total += value;
	f->result.total_records++;
	f->result.counts.read++;
	f->result.counts.valued++;
}

/* Completes the result from the groups. */
static const struct sv_result *finish(struct fixture *f)
{
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(f->p.groups, &n);
	assert_non_null(sorted);
	f->result.table = &f->p.table;
	f->result.unit_lcm = f->unit_lcm;
	f->result.provenance = NULL;
	f->result.keys = f->p.keys;
	f->result.key_names = f->p.names;
	f->result.n_keys = f->p.n_keys;
	f->result.groups = sorted;
	f->result.n_groups = n;
	f->result.inputs = f->inputs;
	f->result.n_inputs = 1;
	f->result.measure_records = sv_groups_measure_records(f->p.groups, &f->result.n_measure_records);
	return &f->result;
}

static void fixture_free(struct fixture *f)
{
	result_parts_free(&f->p);
}

/* The text a format writes for the result. */
static char *render(enum sv_format fmt, const struct sv_result *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	sv_format_result(out, fmt, r);
	fclose(out);
	return text;
}

static char *render_proxies(enum sv_format fmt, const struct sv_proxy_table *t)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	sv_format_proxies(out, fmt, t);
	fclose(out);
	return text;
}

static const struct sv_key_spec by_theme[] = {{SV_KEY_THEME, NULL}};
static const char *const theme_names[] = {"theme"};
static const struct sv_key_spec by_measure[] = {{SV_KEY_MEASURE, NULL}};
static const char *const measure_names[] = {"measure"};
static const struct sv_key_spec by_site[] = {{SV_KEY_COLUMN, "site"}};
static const char *const site_names[] = {"site"};
static const struct sv_key_spec by_theme_site[] = {{SV_KEY_THEME, NULL}, {SV_KEY_COLUMN, "site"}};
static const char *const theme_site_names[] = {"theme", "site"};

/* 2.5 FTE of NT1, 10 hours of NT9, 1 record-only NT2. */
static void three_records(struct fixture *f)
{
	add(f, 0, 25000, "Leeds");
	add(f, 1, 100000, "York");
	add(f, 2, 10000, "Leeds");
}

/* The text of fmt for three records by theme and site, and £1,000 spent,
 * with amounts counting 1/(10^19 x unit_lcm) pound. */
static char *render_in_unit(enum sv_format fmt, int64_t unit_lcm)
{
	struct fixture f;
	fixture_init(&f, by_theme_site, theme_site_names, 2);
	f.unit_lcm = unit_lcm;
	three_records(&f);
	add(&f, 1, 3333, "York");
	const struct sv_result *r = finish(&f);
	f.result.spend = true;
	f.result.total_spend = (sv_amount)1000 * SV_AMOUNT_SCALE * unit_lcm;
	char *text = render(fmt, r);
	fixture_free(&f);
	return text;
}

/* Ensure a result prints the same bytes whatever unit its amounts count
 * in: the unit lcm travels with the result (no process-wide setting), and
 * a table that converts units (here 1/39000) changes no figure printed. */
static void test_unit_lcm_prints_alike(void **state)
{
	(void)state;
	static const enum sv_format fmts[] = {SV_FMT_TABLE, SV_FMT_CSV, SV_FMT_TSV, SV_FMT_JSON,
					      SV_FMT_MARKDOWN, SV_FMT_SVG, SV_FMT_HEADLINE, SV_FMT_HTML};
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		char *one = render_in_unit(fmts[i], 1);
		char *other = render_in_unit(fmts[i], 39000);
		assert_string_equal(other, one);
		free(one);
		free(other);
	}
	/* and the figures are there to compare: 2.5 FTE at 39,039 */
	char *csv = render_in_unit(SV_FMT_CSV, 39000);
	assert_non_null(strstr(csv, "97597.50"));
	free(csv);
}

/* Ensure csv has the key and name columns, plain two-decimal values and a TOTAL row. */
static void test_csv_by_theme(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	three_records(&f);
	char *text = render(SV_FMT_CSV, finish(&f));
	assert_string_equal(text, "theme,theme_name,records,value\n"
				  "jobs,Jobs,2,97597.50\n"
				  "social,Social,1,170.40\n"
				  "TOTAL,,3,97767.90\n");
	free(text);
	fixture_free(&f);
}

/* Ensure a record-only group has an empty csv value and measures come in table order. */
static void test_csv_record_only_empty_value(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_measure, measure_names, 1);
	add(&f, 2, 10000, "");
	three_records(&f);
	char *text = render(SV_FMT_CSV, finish(&f));
	assert_string_equal(text, "measure,measure_name,records,value\n"
				  "NT1,Local FTE,1,97597.50\n"
				  "NT9,Volunteering,1,170.40\n"
				  "NT2,Hard to reach hires,2,\n"
				  "TOTAL,,4,97767.90\n");
	free(text);
	fixture_free(&f);
}

/* Ensure with several keys every key column but the first is empty on the TOTAL row. */
static void test_csv_two_keys(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme_site, theme_site_names, 2);
	three_records(&f);
	char *text = render(SV_FMT_CSV, finish(&f));
	assert_string_equal(text, "theme,theme_name,site,records,value\n"
				  "jobs,Jobs,Leeds,2,97597.50\n"
				  "social,Social,York,1,170.40\n"
				  "TOTAL,,,3,97767.90\n");
	free(text);
	fixture_free(&f);
}

/* Collects the cells sv_result_cells gives as csv lines, with whether each
 * column holds figures. */
struct cells {
	FILE *out;
	size_t row;
	char figures[16];
};

static void collect_cell(void *ctx, size_t row, size_t col, const char *text, bool figure)
{
	struct cells *c = ctx;
	if (col == 0 && row > 0)
		fputc('\n', c->out);
	if (col)
		fputc(',', c->out);
	sv_write_csv_field(c->out, text, strlen(text), ',');
	if (row == 0 && col < sizeof c->figures - 1)
		c->figures[col] = figure ? 'N' : 'T';
	c->row = row;
}

/* Ensure the cells a workbook is made from are csv's, cell for cell. */
static void test_result_cells_are_csv(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme_site, theme_site_names, 2);
	three_records(&f);
	const struct sv_result *r = finish(&f);
	char *csv = render(SV_FMT_CSV, r);
	char *text = NULL;
	size_t len = 0;
	struct cells c = {open_memstream(&text, &len), 0, ""};
	assert_non_null(c.out);
	assert_true(sv_result_cells(r, collect_cell, &c));
	fputc('\n', c.out);
	fclose(c.out);
	assert_string_equal(text, csv);
	assert_string_equal(c.figures, "TTTNN");
	assert_int_equal(c.row, 3); /* header, two groups, TOTAL */
	free(text);
	free(csv);
	fixture_free(&f);
}

static void collect_key(void *ctx, size_t col, const char *header, const char *s, size_t n)
{
	FILE *out = ctx;
	fprintf(out, "%zu %s=%.*s;", col, header, s ? (int)n : 6, s ? s : "(none)");
}

/* Ensure a group's key cells are csv's key columns. */
static void test_result_key_cells(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme_site, theme_site_names, 2);
	three_records(&f);
	const struct sv_result *r = finish(&f);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	sv_result_key_cells(r, NULL, collect_key, out);
	sv_result_key_cells(r, r->groups[0], collect_key, out);
	fclose(out);
	assert_string_equal(text, "0 theme=(none);1 theme_name=(none);2 site=(none);"
				  "0 theme=jobs;1 theme_name=Jobs;2 site=Leeds;");
	free(text);
	fixture_free(&f);
}

/* Ensure --bom puts a byte order mark before csv and tsv only. */
static void test_bom(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	three_records(&f);
	const struct sv_result *r = finish(&f);
	sv_format_set_bom(true);
	char *csv = render(SV_FMT_CSV, r), *tsv = render(SV_FMT_TSV, r), *json = render(SV_FMT_JSON, r);
	char *table = render(SV_FMT_TABLE, r), *proxies = render_proxies(SV_FMT_CSV, &f.p.table);
	char *rows = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&rows, &len);
	assert_non_null(out);
	static const char *const names[] = {"file"};
	struct sv_row_writer w;
	sv_rw_begin(&w, out, SV_FMT_CSV, names, 1);
	sv_rw_finish(&w);
	fclose(out);
	sv_format_set_bom(false);
	assert_memory_equal(csv, "\xEF\xBB\xBFtheme,", 9);
	assert_memory_equal(tsv, "\xEF\xBB\xBFtheme\t", 9);
	assert_memory_equal(proxies, "\xEF\xBB\xBFid,", 6);
	assert_string_equal(rows, "\xEF\xBB\xBF" "file\n");
	assert_int_equal(json[0], '{');
	assert_memory_equal(table, "Social value", 12);
	char *plain = render(SV_FMT_CSV, r);
	assert_string_equal(plain, csv + 3);
	free(plain);
	free(csv);
	free(tsv);
	free(json);
	free(table);
	free(proxies);
	free(rows);
	fixture_free(&f);
}

/* Ensure csv quotes fields holding the delimiter, quotes or line ends. */
static void test_csv_quoting(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	add(&f, 0, 10000, "Leeds, North");
	add(&f, 0, 10000, "say \"hi\"");
	add(&f, 0, 10000, "two\nlines");
	char *text = render(SV_FMT_CSV, finish(&f));
	assert_string_equal(text, "site,records,value\n"
				  "\"Leeds, North\",1,39039.00\n"
				  "\"say \"\"hi\"\"\",1,39039.00\n"
				  "\"two\nlines\",1,39039.00\n"
				  "TOTAL,3,117117.00\n");
	free(text);
	fixture_free(&f);
}

/* Ensure sv_csv_field makes the bytes sv_write_csv_field writes, for
 * every kind of field and on both sides of the eight-byte scan. */
static void test_csv_field_buffer(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"", "plain", "Leeds, North", "say \"hi\"", "\"", "\"\"", "two\nlines", "cr\rhere", " lead",
		"trail ", "\ttab", "tab\t", "exactly8", "sixteen bytes ok", "sixteen bytes, o", "fifteen bytes \"",
		"quantity: 'x' is not a number (expected digits with up to 15 decimals, e.g. 37.5)", "a;b", "\xC2\xA3 9",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		for (int d = 0; d < 2; d++) {
			char delimiter = d ? ';' : ',';
			size_t n = strlen(texts[i]);
			char *written = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&written, &len);
			sv_write_csv_field(out, texts[i], n, delimiter);
			fclose(out);
			char *buf = malloc(2 * n + 2);
			size_t got = sv_csv_field(buf, texts[i], n, delimiter);
			assert_true(got <= 2 * n + 2);
			assert_int_equal(got, len);
			assert_memory_equal(buf, written, len);
			free(buf);
			free(written);
		}
	}
	char buf[64];
	size_t n = sv_csv_field(buf, "a \"b\" c,", 8, ',');
	assert_int_equal(n, 12);
	assert_memory_equal(buf, "\"a \"\"b\"\" c,\"", 12);
	n = sv_csv_field(buf, "twelve bytes", 12, ',');
	assert_memory_equal(buf, "twelve bytes", n);
	n = sv_csv_field(buf, "a;b", 3, ';');
	assert_memory_equal(buf, "\"a;b\"", n);
}

/* Ensure a field is quoted exactly when it holds the delimiter, a quote or
 * a line end, wherever it stands in fields of every length up to three
 * words (the scan reads words, the last one overlapping or padded), for a
 * NUL delimiter too. */
static void test_csv_quotes_every_position(void **state)
{
	(void)state;
	static const char delimiters[] = {',', ';', '\t', '\0'};
	static const char specials[] = {',', ';', '\t', '\0', '"', '\n', '\r', 'b'};
	char field[24], buf[2 * sizeof field + 2];
	for (size_t d = 0; d < sizeof delimiters; d++)
		for (size_t n = 1; n <= sizeof field; n++)
			for (size_t at = 0; at < n; at++)
				for (size_t k = 0; k < sizeof specials; k++) {
					memset(field, 'a', n);
					field[at] = specials[k];
					char c = specials[k];
					/* a tab at either end is trimmed by a reader */
					bool quote = c == delimiters[d] || c == '"' || c == '\n' || c == '\r' ||
						     (c == '\t' && (at == 0 || at == n - 1));
					size_t got = sv_csv_field(buf, field, n, delimiters[d]);
					if ((got > n) != quote)
						fail_msg("'%c' (%d) at %zu of %zu, delimiter %d: %s", c, c, at, n,
							 delimiters[d], quote ? "not quoted" : "quoted");
				}
}

/* Ensure the TOTAL row is printed even when there are no groups. */
static void test_csv_no_groups(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	char *text = render(SV_FMT_CSV, finish(&f));
	assert_string_equal(text, "theme,theme_name,records,value\nTOTAL,,0,0.00\n");
	free(text);
	fixture_free(&f);
}

/* Ensure csv counts have no thousands separators and values are rounded once. */
static void test_csv_rounding_and_counts(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	for (int i = 0; i < 1234; i++)
		add(&f, 1, 3, "a"); /* 0.0003 h x 17.04 = 0.005112 each */
	char *text = render(SV_FMT_CSV, finish(&f));
	assert_string_equal(text, "site,records,value\na,1234,6.31\nTOTAL,1234,6.31\n");
	free(text);
	fixture_free(&f);
}

/* Ensure tsv escapes TAB, CR, LF and backslash in fields. */
static void test_tsv_escaping(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	add(&f, 1, 10000, "a\tb");
	add(&f, 1, 10000, "back\\slash");
	add(&f, 1, 10000, "cr\r");
	add(&f, 1, 10000, "line\nbreak");
	char *text = render(SV_FMT_TSV, finish(&f));
	assert_string_equal(text, "site\trecords\tvalue\n"
				  "a\\tb\t1\t17.04\n"
				  "back\\\\slash\t1\t17.04\n"
				  "cr\\r\t1\t17.04\n"
				  "line\\nbreak\t1\t17.04\n"
				  "TOTAL\t4\t68.16\n");
	free(text);
	fixture_free(&f);
}

/* Ensure tsv by theme has the same columns as csv. */
static void test_tsv_by_theme(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	three_records(&f);
	char *text = render(SV_FMT_TSV, finish(&f));
	assert_string_equal(text, "theme\ttheme_name\trecords\tvalue\n"
				  "jobs\tJobs\t2\t97597.50\n"
				  "social\tSocial\t1\t170.40\n"
				  "TOTAL\t\t3\t97767.90\n");
	free(text);
	fixture_free(&f);
}

/* Ensure json has the table, keys, inputs, counts, groups and total with exact strings. */
static void test_json_by_theme(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	three_records(&f);
	f.result.counts.read = 4;
	f.result.counts.invalid = 1;
	char *text = render(SV_FMT_JSON, finish(&f));
	assert_string_equal(text,
			    "{\n"
			    "  \"sv_calc\": {\"version\": \"" SV_VERSION "\"},\n"
			    "  \"proxy_table\": {\"name\": \"test table\", \"version\": \"1\"},\n"
			    "  \"by\": [\"theme\"],\n"
			    "  \"options\": {\"from\": null, \"to\": null, \"skip_invalid\": false},\n"
			    "  \"basis\": {\"currency\": \"GBP\", \"price_year\": null, \"values\": \"gross\", \"rebased\": false},\n"
			    "  \"inputs\": [\n"
			    "    {\"name\": \"q1.csv\", \"bytes\": 0, \"sha256\": \"\", \"from\": null, \"to\": null, \"skip_invalid\": false}\n"
			    "  ],\n"
			    "  \"counts\": {\"read\": 4, \"valued\": 3, \"invalid\": 1, \"filtered\": 0},\n"
			    "  \"measures\": [\n"
			    "    {\"id\": \"NT1\", \"unit\": \"FTE\", \"value\": \"39039.00\", \"price_year\": null, \"source\": null, \"records\": 1},\n"
			    "    {\"id\": \"NT9\", \"unit\": \"hour\", \"value\": \"17.04\", \"price_year\": null, \"source\": null, \"records\": 1},\n"
			    "    {\"id\": \"NT2\", \"unit\": \"person\", \"value\": null, \"price_year\": null, \"source\": null, \"records\": 1}\n"
			    "  ],\n"
			    "  \"groups\": [\n"
			    "    {\"theme\": \"jobs\", \"theme_name\": \"Jobs\", \"records\": 2, \"value\": \"97597.50\", \"value_exact\": \"97597.50\"},\n"
			    "    {\"theme\": \"social\", \"theme_name\": \"Social\", \"records\": 1, \"value\": \"170.40\", \"value_exact\": \"170.40\"}\n"
			    "  ],\n"
			    "  \"total\": {\"records\": 3, \"value\": \"97767.90\", \"value_exact\": \"97767.90\"}\n"
			    "}\n");
	free(text);
	fixture_free(&f);
}

/* Ensure json gives a record-only group null values. */
static void test_json_record_only_null(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_measure, measure_names, 1);
	add(&f, 2, 10000, "");
	char *text = render(SV_FMT_JSON, finish(&f));
	assert_non_null(strstr(text, "  \"groups\": [\n"
				     "    {\"measure\": \"NT2\", \"measure_name\": \"Hard to reach hires\", \"records\": 1, "
				     "\"value\": null, \"value_exact\": null}\n"
				     "  ],\n"
				     "  \"total\": {\"records\": 1, \"value\": \"0.00\", \"value_exact\": \"0.00\"}\n"));
	free(text);
	fixture_free(&f);
}

/* Ensure json value_exact keeps the unrounded sum while value is rounded to the penny. */
static void test_json_value_exact(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	add(&f, 1, 3, "a");   /* 0.005112 */
	add(&f, 1, 1, "b");   /* 0.001704 */
	char *text = render(SV_FMT_JSON, finish(&f));
	assert_non_null(strstr(text, "    {\"site\": \"a\", \"records\": 1, \"value\": \"0.01\", \"value_exact\": \"0.005112\"},\n"
				     "    {\"site\": \"b\", \"records\": 1, \"value\": \"0.00\", \"value_exact\": \"0.001704\"}\n"));
	assert_non_null(strstr(text, "\"total\": {\"records\": 2, \"value\": \"0.01\", \"value_exact\": \"0.006816\"}"));
	free(text);
	fixture_free(&f);
}

/* Ensure json escapes quotes, backslashes and control characters in key text. */
static void test_json_escaping(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	add(&f, 1, 10000, "a\"b\\c\nd\x01");
	char *text = render(SV_FMT_JSON, finish(&f));
	assert_non_null(strstr(text, "{\"site\": \"a\\\"b\\\\c\\nd\\u0001\", \"records\": 1"));
	free(text);
	fixture_free(&f);
}

/* Ensure json with no groups still has an empty groups array and a zero total. */
static void test_json_no_groups(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	char *text = render(SV_FMT_JSON, finish(&f));
	assert_non_null(strstr(text, "  \"groups\": [],\n"
				     "  \"total\": {\"records\": 0, \"value\": \"0.00\", \"value_exact\": \"0.00\"}\n}\n"));
	free(text);
	fixture_free(&f);
}

/* Ensure markdown has the title, a header with alignment, pound values and a Total row. */
static void test_markdown_by_theme(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	three_records(&f);
	char *text = render(SV_FMT_MARKDOWN, finish(&f));
	assert_string_equal(text, "Social value, proxy table: test table 1; \xC2\xA3, price year not given, gross\n"
				  "\n"
				  "| Theme | Records | Value |\n"
				  "| --- | ---: | ---: |\n"
				  "| Jobs | 2 | \xC2\xA3" "97,597.50 |\n"
				  "| Social | 1 | \xC2\xA3" "170.40 |\n"
				  "| Total | 3 | \xC2\xA3" "97,767.90 |\n");
	free(text);
	fixture_free(&f);
}

/* Ensure markdown escapes pipes, shows an empty key as (blank) and record-only as a dash. */
static void test_markdown_escaping_blank_dash(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	add(&f, 0, 10000, "a|b");
	add(&f, 0, 10000, "");
	add(&f, 2, 10000, "z");
	char *text = render(SV_FMT_MARKDOWN, finish(&f));
	assert_string_equal(text, "Social value, proxy table: test table 1; \xC2\xA3, price year not given, gross\n"
				  "\n"
				  "| site | Records | Value |\n"
				  "| --- | ---: | ---: |\n"
				  "| (blank) | 1 | \xC2\xA3" "39,039.00 |\n"
				  "| a\\|b | 1 | \xC2\xA3" "39,039.00 |\n"
				  "| z | 1 | \xE2\x80\x94 |\n"
				  "| Total | 3 | \xC2\xA3" "78,078.00 |\n");
	free(text);
	fixture_free(&f);
}

/* Ensure the table aligns names left and numbers right, with rules around the body. */
static void test_table_alignment(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	three_records(&f);
	char *text = render(SV_FMT_TABLE, finish(&f));
	assert_string_equal(text, "Social value, proxy table: test table 1; \xC2\xA3, price year not given, gross\n"
				  "\n"
				  "Theme   Records       Value\n"
				  "------  -------  ----------\n"
				  "Jobs          2  \xC2\xA3" "97,597.50\n"
				  "Social        1     \xC2\xA3" "170.40\n"
				  "------  -------  ----------\n"
				  "Total         3  \xC2\xA3" "97,767.90\n");
	free(text);
	fixture_free(&f);
}

/* Ensure the table counts multi-byte text as one column each, shows names and groups counts. */
static void test_table_measure_names_dash(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_measure, measure_names, 1);
	for (int i = 0; i < 1000; i++)
		add(&f, 2, 10000, "");
	add(&f, 1, 10000, "");
	char *text = render(SV_FMT_TABLE, finish(&f));
	assert_string_equal(text, "Social value, proxy table: test table 1; \xC2\xA3, price year not given, gross\n"
				  "\n"
				  "Measure              Records   Value\n"
				  "-------------------  -------  ------\n"
				  "Volunteering               1  \xC2\xA3" "17.04\n"
				  "Hard to reach hires    1,000       \xE2\x80\x94\n"
				  "-------------------  -------  ------\n"
				  "Total                  1,001  \xC2\xA3" "17.04\n");
	free(text);
	fixture_free(&f);
}

/* Ensure the table shows an empty column value as (blank), with the column's own name. */
static void test_table_blank_column(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	add(&f, 1, 10000, "");
	char *text = render(SV_FMT_TABLE, finish(&f));
	assert_string_equal(text, "Social value, proxy table: test table 1; \xC2\xA3, price year not given, gross\n"
				  "\n"
				  "site     Records   Value\n"
				  "-------  -------  ------\n"
				  "(blank)        1  \xC2\xA3" "17.04\n"
				  "-------  -------  ------\n"
				  "Total          1  \xC2\xA3" "17.04\n");
	free(text);
	fixture_free(&f);
}

/* Ensure the proxy listing in csv has every measure in the columns "proxies import" reads. */
static void test_proxies_csv(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	assert_int_equal(sv_proxy_load_text(&t, small_table, strlen(small_table), "t.json"), SV_OK);
	char *text = render_proxies(SV_FMT_CSV, &t);
	assert_string_equal(text, "id,theme,name,unit,value,value_type,aliases,source,theme_name,licence,derivation,"
				  "price_year,deadweight,attribution,displacement,drop_off,duration_years\n"
				  "NT1,jobs,Local FTE,FTE,39039.00,LEV,local_job,,Jobs,,,,,,,,\n"
				  "NT9,social,Volunteering,hour,17.04,social,,,Social,,,,,,,,\n"
				  "NT2,jobs,Hard to reach hires,person,,LEV,,,Jobs,,,,,,,,\n");
	free(text);
	sv_proxy_free(&t);
}

/* Ensure the proxy listing in json keeps values as exact strings and record-only as null. */
static void test_proxies_json(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	assert_int_equal(sv_proxy_load_text(&t, small_table, strlen(small_table), "t.json"), SV_OK);
	char *text = render_proxies(SV_FMT_JSON, &t);
	assert_string_equal(text,
			    "{\n"
			    "  \"name\": \"test table\",\n"
			    "  \"version\": \"1\",\n"
			    "  \"themes\": [\n"
			    "    {\"id\": \"jobs\", \"name\": \"Jobs\"},\n"
			    "    {\"id\": \"social\", \"name\": \"Social\"}\n"
			    "  ],\n"
			    "  \"measures\": [\n"
			    "    {\"id\": \"NT1\", \"theme\": \"jobs\", \"name\": \"Local FTE\", \"unit\": \"FTE\", \"value\": \"39039.00\", \"value_type\": \"LEV\", \"aliases\": [\"local_job\"]},\n"
			    "    {\"id\": \"NT9\", \"theme\": \"social\", \"name\": \"Volunteering\", \"unit\": \"hour\", \"value\": \"17.04\", \"value_type\": \"social\", \"aliases\": []},\n"
			    "    {\"id\": \"NT2\", \"theme\": \"jobs\", \"name\": \"Hard to reach hires\", \"unit\": \"person\", \"value\": null, \"value_type\": \"LEV\", \"aliases\": []}\n"
			    "  ]\n"
			    "}\n");
	free(text);
	sv_proxy_free(&t);
}

/* Ensure format names parse case-insensitively and unknown ones are refused. */
static void test_format_parse(void **state)
{
	(void)state;
	enum sv_format fmt = SV_FMT_TABLE;
	assert_true(sv_format_parse("CSV", &fmt));
	assert_int_equal(fmt, SV_FMT_CSV);
	assert_true(sv_format_parse("Markdown", &fmt));
	assert_int_equal(fmt, SV_FMT_MARKDOWN);
	assert_true(sv_format_parse("tsv", &fmt));
	assert_int_equal(fmt, SV_FMT_TSV);
	assert_true(sv_format_parse("JSON", &fmt));
	assert_int_equal(fmt, SV_FMT_JSON);
	assert_true(sv_format_parse("XLSX", &fmt));
	assert_int_equal(fmt, SV_FMT_XLSX);
	assert_string_equal(sv_format_name(SV_FMT_XLSX), "xlsx");
	assert_true(sv_format_parse("table", &fmt));
	assert_int_equal(fmt, SV_FMT_TABLE);
	assert_false(sv_format_parse("xml", &fmt));
	assert_false(sv_format_parse("", &fmt));
	assert_false(sv_format_parse("csv ", &fmt));
	assert_int_equal(fmt, SV_FMT_TABLE);
	assert_string_equal(sv_format_name(SV_FMT_MARKDOWN), "markdown");
}

/* Ensure a csv field is quoted only when it must be. */
static void test_csv_field_writer(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		char delim;
		const char *out;
	} cases[] = {
		{"plain", ',', "plain"}, {"a,b", ',', "\"a,b\""}, {"a;b", ',', "a;b"}, {"a;b", ';', "\"a;b\""},
		{"q\"q", ',', "\"q\"\"q\""}, {" lead", ',', "\" lead\""}, {"cr\r", ',', "\"cr\r\""}, {"", ',', ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		assert_non_null(out);
		sv_write_csv_field(out, cases[i].in, strlen(cases[i].in), cases[i].delim);
		fclose(out);
		assert_string_equal(text, cases[i].out);
		free(text);
	}
}

/* Ensure json records how the result was made: table digest, date range, inputs' bytes and digests. */
static void test_json_provenance(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	f.inputs[0].bytes = 1234;
	memset(f.inputs[0].sha256, 'a', 64);
	f.inputs[0].has_from = true;
	f.inputs[0].from = 20240401;
	const struct sv_provenance prov = {.table_sha256 = "0123abcd", .has_from = true, .from = 20240401,
					   .has_to = true, .to = 20250331, .skip_invalid = true};
	finish(&f);
	f.result.provenance = &prov;
	char *text = render(SV_FMT_JSON, &f.result);
	assert_non_null(strstr(text, "  \"proxy_table\": {\"name\": \"test table\", \"version\": \"1\", \"sha256\": \"0123abcd\"},\n"));
	assert_non_null(strstr(text, "  \"options\": {\"from\": \"2024-04-01\", \"to\": \"2025-03-31\", \"skip_invalid\": true},\n"));
	assert_non_null(strstr(text, "    {\"name\": \"q1.csv\", \"bytes\": 1234, \"sha256\": "
				     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"from\": \"2024-04-01\", "
				     "\"to\": null, \"skip_invalid\": false}\n"));
	free(text);
	fixture_free(&f);
}

/* Ensure the table digest ignores layout and key order but not values. */
static void test_proxy_digest(void **state)
{
	(void)state;
	static const char reordered[] =
		"{\"version\": \"1\",\n \"name\": \"test table\",\n"
		"\"measures\": ["
		"{\"theme\": \"jobs\", \"id\": \"NT1\", \"name\": \"Local FTE\", \"unit\": \"FTE\", \"value\": \"39039\", "
		"\"value_type\": \"lev\", \"aliases\": [\"local_job\"]}, "
		"{\"id\": \"NT9\", \"theme\": \"social\", \"name\": \"Volunteering\", \"unit\": \"hour\", "
		"\"value\": 17.04, \"value_type\": \"social\"}, "
		"{\"id\": \"NT2\", \"theme\": \"jobs\", \"name\": \"Hard to reach hires\", \"unit\": \"person\", "
		"\"value\": null, \"value_type\": \"LEV\", \"unknown\": \"ignored\"}], "
		"\"themes\": [{\"id\": \"jobs\", \"name\": \"Jobs\"}, {\"id\": \"social\", \"name\": \"Social\"}]}";
	struct sv_proxy_table a, b;
	assert_int_equal(sv_proxy_load_text(&a, small_table, strlen(small_table), "a.json"), SV_OK);
	assert_int_equal(sv_proxy_load_text(&b, reordered, strlen(reordered), "b.json"), SV_OK);
	char da[65], db[65];
	assert_true(sv_proxy_digest(&a, da));
	assert_true(sv_proxy_digest(&b, db));
	assert_int_equal(strlen(da), 64);
	assert_string_equal(da, db);
	/* a table is never changed once loaded: the digest is computed once */
	b.measures[1].value++;
	assert_true(sv_proxy_digest(&b, db));
	assert_string_equal(da, db);
	b.digest_cache[0] = '\0';
	assert_true(sv_proxy_digest(&b, db));
	assert_string_not_equal(da, db);
	sv_proxy_free(&a);
	sv_proxy_free(&b);
}

/* Ensure the json listing keeps every field the loader reads, so that it
 * loads back to the same listing and digest. */
static void test_proxies_json_lossless(void **state)
{
	(void)state;
	static const char full[] =
		"{\"name\": \"full\", \"version\": \"2\", \"currency\": \"GBP\", \"price_year\": 2024, "
		"\"source\": \"S\", \"licence\": \"L\", \"attribution\": \"A\", \"notes\": \"N\", "
		"\"themes\": [{\"id\": \"jobs\", \"name\": \"Jobs\"}], \"measures\": ["
		"{\"id\": \"m\", \"theme\": \"jobs\", \"name\": \"M\", \"unit\": \"u\", \"value\": 1.2345, "
		"\"value_type\": \"social\", \"aliases\": [\"x\"], \"price_year\": 2023, \"source\": \"ms\", "
		"\"licence\": \"OGL-UK-3.0\", \"derivation\": \"d\", \"deadweight\": 0.1, \"attribution\": \"0.25\", "
		"\"displacement\": 0.05, \"drop_off\": 0.5, \"duration_years\": 3}, "
		"{\"id\": \"r\", \"theme\": \"jobs\", \"name\": \"R\", \"unit\": \"u\", \"value\": null, "
		"\"value_type\": \"LEV\"}]}";
	struct sv_proxy_table a, b;
	assert_int_equal(sv_proxy_load_text(&a, full, strlen(full), "a.json"), SV_OK);
	char *text = render_proxies(SV_FMT_JSON, &a);
	assert_string_equal(text,
			    "{\n  \"name\": \"full\",\n  \"version\": \"2\",\n  \"currency\": \"GBP\",\n"
			    "  \"price_year\": 2024,\n  \"source\": \"S\",\n  \"licence\": \"L\",\n"
			    "  \"attribution\": \"A\",\n  \"notes\": \"N\",\n"
			    "  \"themes\": [\n    {\"id\": \"jobs\", \"name\": \"Jobs\"}\n  ],\n  \"measures\": [\n"
			    "    {\"id\": \"m\", \"theme\": \"jobs\", \"name\": \"M\", \"unit\": \"u\", \"value\": \"1.2345\", "
			    "\"value_type\": \"social\", \"aliases\": [\"x\"], \"price_year\": 2023, \"source\": \"ms\", "
			    "\"licence\": \"OGL-UK-3.0\", \"derivation\": \"d\", \"deadweight\": \"0.1\", "
			    "\"attribution\": \"0.25\", \"displacement\": \"0.05\", \"drop_off\": \"0.5\", "
			    "\"duration_years\": 3},\n"
			    "    {\"id\": \"r\", \"theme\": \"jobs\", \"name\": \"R\", \"unit\": \"u\", \"value\": null, "
			    "\"value_type\": \"LEV\", \"aliases\": [], \"price_year\": 2024}\n  ]\n}\n");
	assert_int_equal(sv_proxy_load_text(&b, text, strlen(text), "b.json"), SV_OK);
	char *again = render_proxies(SV_FMT_JSON, &b);
	assert_string_equal(text, again);
	char da[65], db[65];
	assert_true(sv_proxy_digest(&a, da));
	assert_true(sv_proxy_digest(&b, db));
	assert_string_equal(da, db);
	free(text);
	free(again);
	sv_proxy_free(&a);
	sv_proxy_free(&b);
}

static const char *const rw_names[] = {"file", "line", "value"};

/* Writes two rows, one with a null cell, in fmt. */
static char *rw_sample(enum sv_format fmt)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	struct sv_row_writer w;
	sv_rw_begin(&w, out, fmt, rw_names, 3);
	sv_rw_text(&w, "a,b.csv", 7);
	sv_rw_number(&w, "2");
	sv_rw_text(&w, "1.50", 4);
	sv_rw_end_row(&w);
	sv_rw_text(&w, "tab\there", 8);
	sv_rw_number(&w, "3");
	sv_rw_null(&w);
	sv_rw_end_row(&w);
	sv_rw_finish(&w);
	fclose(out);
	return text;
}

/* Ensure the row writer's csv has a header, quoting, and empty nulls. */
static void test_row_writer_csv(void **state)
{
	(void)state;
	char *text = rw_sample(SV_FMT_CSV);
	assert_string_equal(text, "file,line,value\n\"a,b.csv\",2,1.50\ntab\there,3,\n");
	free(text);
}

/* Ensure the row writer's tsv escapes tabs. */
static void test_row_writer_tsv(void **state)
{
	(void)state;
	char *text = rw_sample(SV_FMT_TSV);
	assert_string_equal(text, "file\tline\tvalue\na,b.csv\t2\t1.50\ntab\\there\t3\t\n");
	free(text);
}

/* Ensure the row writer's json is an array of objects, numbers bare, nulls null. */
static void test_row_writer_json(void **state)
{
	(void)state;
	char *text = rw_sample(SV_FMT_JSON);
	assert_string_equal(text, "[\n"
				  "  {\"file\": \"a,b.csv\", \"line\": 2, \"value\": \"1.50\"},\n"
				  "  {\"file\": \"tab\\there\", \"line\": 3, \"value\": null}\n"
				  "]\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_lcm_prints_alike),
		cmocka_unit_test(test_csv_by_theme),
		cmocka_unit_test(test_csv_quotes_every_position),
		cmocka_unit_test(test_csv_record_only_empty_value),
		cmocka_unit_test(test_csv_two_keys),
		cmocka_unit_test(test_result_cells_are_csv),
		cmocka_unit_test(test_result_key_cells),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_csv_field_buffer),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_no_groups),
		cmocka_unit_test(test_csv_rounding_and_counts),
		cmocka_unit_test(test_tsv_escaping),
		cmocka_unit_test(test_tsv_by_theme),
		cmocka_unit_test(test_json_by_theme),
		cmocka_unit_test(test_json_record_only_null),
		cmocka_unit_test(test_json_value_exact),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_no_groups),
		cmocka_unit_test(test_markdown_by_theme),
		cmocka_unit_test(test_markdown_escaping_blank_dash),
		cmocka_unit_test(test_table_alignment),
		cmocka_unit_test(test_table_measure_names_dash),
		cmocka_unit_test(test_table_blank_column),
		cmocka_unit_test(test_proxies_csv),
		cmocka_unit_test(test_proxies_json),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_csv_field_writer),
		cmocka_unit_test(test_json_provenance),
		cmocka_unit_test(test_proxy_digest),
		cmocka_unit_test(test_proxies_json_lossless),
		cmocka_unit_test(test_row_writer_csv),
		cmocka_unit_test(test_row_writer_tsv),
		cmocka_unit_test(test_row_writer_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
