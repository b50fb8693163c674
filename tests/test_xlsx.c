/*
 * test_xlsx.c - the parts of the xlsx writer that decide what a cell holds:
 * which figures become numbers, in which number format, and what text a
 * cell can carry; the invalid-record spool; the refusals.  The workbook
 * itself is read back by LibreOffice and openpyxl in the CLI cases
 * (xlsx-totals-read-back, xlsx-every-option).
 */
#include "test_util.h"

#include "sv_proxy.h"
#include "sv_xlsx.h"

#include <unistd.h>

static void number_is(const char *text, double want)
{
	double d = -1;
	assert_true(sv_xlsx_number(text, &d));
	/* the double strtod gives for the same decimal text */
	assert_true(d == want);
}

/* Ensure penny figures of up to 15 significant digits become numbers. */
static void test_number_exact(void **state)
{
	(void)state;
	number_is("1234.56", 1234.56);
	number_is("-19519.50", -19519.5);
	number_is("0.00", 0.0);
	number_is("104.3", 104.3);
	number_is("267", 267.0);
	number_is("0.01", 0.01);
	/* 15 significant digits: what a spreadsheet shows exactly */
	number_is("1234567890123.45", 1234567890123.45);
	number_is("-9999999999999.99", -9999999999999.99);
	/* trailing and leading zeros are not significant */
	number_is("100000000000000000000.00", 1e20);
	number_is("0.000000000000000000001", 1e-21);
}

/* Ensure a figure a double cannot show exactly stays text. */
static void test_number_too_long(void **state)
{
	(void)state;
	double d = 0;
	assert_false(sv_xlsx_number("12345678901234.56", &d));  /* 16 digits */
	assert_false(sv_xlsx_number("-12345678901234.56", &d));
	assert_false(sv_xlsx_number("1000000000000000.01", &d));
	assert_false(sv_xlsx_number("0.1234567890123456", &d));
}

/* Ensure only plain decimal text is taken for a number. */
static void test_number_not_decimal(void **state)
{
	(void)state;
	double d = 0;
	assert_false(sv_xlsx_number("", &d));
	assert_false(sv_xlsx_number("-", &d));
	assert_false(sv_xlsx_number(".", &d));
	assert_false(sv_xlsx_number("1.", &d));
	assert_false(sv_xlsx_number("1.2.3", &d));
	assert_false(sv_xlsx_number("1,234.00", &d));
	assert_false(sv_xlsx_number("\xC2\xA3" "5", &d));
	assert_false(sv_xlsx_number("1e5", &d));
	assert_false(sv_xlsx_number(" 1", &d));
	assert_false(sv_xlsx_number("nan", &d));
	assert_false(sv_xlsx_number("2025/26 prices", &d));
}

/* Ensure each csv figure column gets its number format, text columns none. */
static void test_kind_of(void **state)
{
	(void)state;
	assert_int_equal(sv_xlsx_kind_of("records", true), SV_XLSX_COUNT);
	static const char *const money[] = {"value", "net_value", "target_value", "delivered_value", "variance",
					    "spend", "previous_value", "change"};
	for (size_t i = 0; i < sizeof money / sizeof money[0]; i++)
		assert_int_equal(sv_xlsx_kind_of(money[i], true), SV_XLSX_MONEY);
	static const char *const tenths[] = {"pct_delivered", "return_pct", "pence_per_pound", "change_pct"};
	for (size_t i = 0; i < sizeof tenths / sizeof tenths[0]; i++)
		assert_int_equal(sv_xlsx_kind_of(tenths[i], true), SV_XLSX_TENTHS);
	assert_int_equal(sv_xlsx_kind_of("target_quantity", true), SV_XLSX_QUANTITY);
	/* key and name columns are text, whatever they are called */
	assert_int_equal(sv_xlsx_kind_of("records", false), SV_XLSX_TEXT);
	assert_int_equal(sv_xlsx_kind_of("theme_name", false), SV_XLSX_TEXT);
	assert_int_equal(sv_xlsx_kind_of("price_basis", false), SV_XLSX_TEXT);
}

static char *clean(const char *s, size_t n)
{
	char *dst = malloc(SV_XLSX_TEXT_MAX + 1);
	assert_non_null(dst);
	size_t len = sv_xlsx_clean_text(dst, s, n);
	assert_int_equal(strlen(dst), len);
	return dst;
}

/* Ensure text passes as it is, accents, Welsh letters and formulas too. */
static void test_clean_keeps_text(void **state)
{
	(void)state;
	static const char text[] = "Caffi Si\xC3\xA2n \xC5\xB5 \xC2\xA3 =SUM(A1) tab\there\nline";
	char *c = clean(text, sizeof text - 1);
	assert_string_equal(c, text);
	free(c);
}

/* Ensure what XML 1.0 cannot carry is replaced, never passed on. */
static void test_clean_replaces(void **state)
{
	(void)state;
	static const char text[] = "a\x01" "b\rc\x1B[31m\xEF\xBF\xBF" "d\xFF" "e\xC3";
	char *c = clean(text, sizeof text - 1);
	assert_string_equal(c, "a b c [31m\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e\xEF\xBF\xBD");
	free(c);
	/* a NUL inside a field is a control character like the others */
	c = clean("x\0y", 3);
	assert_string_equal(c, "x y");
	free(c);
}

/* Ensure text is cut to a cell's limit at a character boundary. */
static void test_clean_cuts_at_limit(void **state)
{
	(void)state;
	size_t n = SV_XLSX_TEXT_MAX + 10;
	char *text = malloc(n);
	assert_non_null(text);
	/* 'a' then two-byte letters: the limit falls inside one */
	text[0] = 'a';
	for (size_t i = 1; i + 1 < n; i += 2) {
		text[i] = '\xC3';
		text[i + 1] = '\xA2';
	}
	char *c = clean(text, n - 1);
	size_t len = strlen(c);
	assert_true(len <= SV_XLSX_TEXT_MAX);
	assert_int_equal(len, SV_XLSX_TEXT_MAX);
	assert_int_equal((unsigned char)c[len - 1], 0xA2);
	free(c);
	free(text);
}

/* The invalid records spool: only invalid outcomes are kept. */
static void test_invalid_spool(void **state)
{
	(void)state;
	struct sv_xlsx_invalid *inv = sv_xlsx_invalid_new();
	assert_non_null(inv);
	struct sv_row row = {.line = 7};
	struct sv_outcome o = {.file = "q1.csv", .row = &row, .status = SV_OUT_VALUED};
	sv_xlsx_invalid_outcome(inv, &o);
	o.status = SV_OUT_INVALID;
	o.reason = "quantity: 'x' is not a number";
	sv_xlsx_invalid_outcome(inv, &o);
	o.status = SV_OUT_FILTERED;
	sv_xlsx_invalid_outcome(inv, &o);
	sv_xlsx_invalid_free(inv);
	sv_xlsx_invalid_free(NULL);
}

static const char table_text[] =
	"{\"name\": \"t\", \"version\": \"1\", \"themes\": [{\"id\": \"jobs\", \"name\": \"Jobs\"}], "
	"\"measures\": [{\"id\": \"NT1\", \"theme\": \"jobs\", \"name\": \"FTE\", \"unit\": \"FTE\", "
	"\"value\": 1, \"value_type\": \"LEV\"}]}";

static const struct sv_key_spec by_theme[] = {{SV_KEY_THEME, NULL}};
static const char *const theme_names[] = {"theme"};

/* A result with no groups: enough for a workbook. */
static void empty_result(struct sv_proxy_table *t, struct sv_result *r)
{
	assert_int_equal(sv_proxy_load_text(t, table_text, strlen(table_text), "t.json"), SV_OK);
	*r = (struct sv_result){.table = t, .keys = by_theme, .key_names = theme_names, .n_keys = 1,
				.unit_lcm = t->unit_lcm};
}

/* Ensure a workbook no worksheet can hold is refused before one is made. */
static void test_too_many_groups(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	struct sv_result r;
	empty_result(&t, &r);
	r.n_groups = 1048576; /* never read: refused first */
	struct capture c;
	capture_start(&c);
	assert_int_equal(sv_xlsx_write_file("/nonexistent/x.xlsx", "x.xlsx", &r, NULL), SV_ESOFTWARE);
	char *msg = capture_end(&c);
	assert_string_equal(msg, "sv-calc: 1048576 groups: more than a worksheet holds (1,048,576 rows); -f csv or "
				 "-f json have no such limit\n");
	free(msg);
	sv_proxy_free(&t);
}

/* Ensure a workbook that cannot be written is an I/O error, named. */
static void test_cannot_write(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	struct sv_result r;
	empty_result(&t, &r);
	struct capture c;
	capture_start(&c);
	assert_int_equal(sv_xlsx_write_file("/nonexistent/dir/x.xlsx", "x.xlsx", &r, NULL), SV_EIO);
	char *msg = capture_end(&c);
	assert_non_null(strstr(msg, "sv-calc: x.xlsx: cannot write the workbook: "));
	free(msg);
	sv_proxy_free(&t);
}

/* Ensure a stream that is no atomic output gets the workbook's bytes: a
 * zip archive (the CLI cases open it). */
static void test_write_to_stream(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	struct sv_result r;
	empty_result(&t, &r);
	char *bytes = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&bytes, &len);
	assert_non_null(out);
	assert_int_equal(sv_xlsx_write(out, &r, NULL), SV_OK);
	fclose(out);
	assert_true(len > 1000);
	assert_memory_equal(bytes, "PK\x03\x04", 4);
	free(bytes);
	sv_proxy_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_exact),
		cmocka_unit_test(test_number_too_long),
		cmocka_unit_test(test_number_not_decimal),
		cmocka_unit_test(test_kind_of),
		cmocka_unit_test(test_clean_keeps_text),
		cmocka_unit_test(test_clean_replaces),
		cmocka_unit_test(test_clean_cuts_at_limit),
		cmocka_unit_test(test_invalid_spool),
		cmocka_unit_test(test_too_many_groups),
		cmocka_unit_test(test_cannot_write),
		cmocka_unit_test(test_write_to_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
