/*
 * test_date.c - the two date grammars, calendar rules and period keys.
 */
#include "test_util.h"

#include "sv_date.h"

/* The date s means, or -1 when it is refused. */
static int32_t date(const char *s)
{
	int32_t ymd = -1;
	if (!sv_date_parse(s, strlen(s), &ymd))
		return -1;
	return ymd;
}

/* The label of the period ymd falls in. */
static const char *label(char *buf, enum sv_period p, int32_t ymd)
{
	sv_period_format(buf, p, sv_period_of(p, ymd));
	return buf;
}

/* Ensure ISO dates read as YYYYMMDD. */
static void test_iso(void **state)
{
	(void)state;
	assert_int_equal(date("2024-04-01"), 20240401);
	assert_int_equal(date("2025-12-31"), 20251231);
}

/* Ensure D/M/YYYY reads with one- or two-digit day and month. */
static void test_dmy_digits(void **state)
{
	(void)state;
	assert_int_equal(date("01/04/2024"), 20240401);
	assert_int_equal(date("1/4/2024"), 20240401);
	assert_int_equal(date("1/04/2024"), 20240401);
	assert_int_equal(date("01/4/2024"), 20240401);
	assert_int_equal(date("31/12/2024"), 20241231);
}

/* Ensure 29 February exists only in leap years (divisible by 4, centuries by 400). */
static void test_leap_years(void **state)
{
	(void)state;
	assert_int_equal(date("2024-02-29"), 20240229);
	assert_int_equal(date("29/2/2024"), 20240229);
	assert_int_equal(date("2000-02-29"), 20000229);
	assert_int_equal(date("2023-02-29"), -1);
	assert_int_equal(date("1900-02-29"), -1);
	assert_int_equal(date("29/02/2100"), -1);
	assert_int_equal(date("2023-02-28"), 20230228);
}

/* Ensure days past the end of their month are refused. */
static void test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(date("2024-04-31"), -1);
	assert_int_equal(date("31/6/2024"), -1);
	assert_int_equal(date("32/01/2024"), -1);
	assert_int_equal(date("2024-01-00"), -1);
	assert_int_equal(date("2024-13-01"), -1);
	assert_int_equal(date("2024-00-10"), -1);
	assert_int_equal(date("0/1/2024"), -1);
}

/* Ensure ISO dates need exactly two-digit month and day. */
static void test_iso_padding(void **state)
{
	(void)state;
	assert_int_equal(date("2024-4-01"), -1);
	assert_int_equal(date("2024-04-1"), -1);
	assert_int_equal(date("2024-004-01"), -1);
	assert_int_equal(date("24-04-01"), -1);
}

/* Ensure other orders and separators are refused. */
static void test_other_forms(void **state)
{
	(void)state;
	assert_int_equal(date("01-04-2024"), -1);
	assert_int_equal(date("2024/04/01"), -1);
	assert_int_equal(date("04.01.2024"), -1);
	assert_int_equal(date("1/4/24"), -1);
	assert_int_equal(date("123/4/2024"), -1);
	assert_int_equal(date("20240401"), -1);
	assert_int_equal(date(""), -1);
}

/* Ensure trailing or leading junk makes the date invalid. */
static void test_junk(void **state)
{
	(void)state;
	assert_int_equal(date("2024-04-01x"), -1);
	assert_int_equal(date("2024-04-01 "), -1);
	assert_int_equal(date(" 2024-04-01"), -1);
	assert_int_equal(date("2024-04-01T00:00"), -1);
	assert_int_equal(date("1/4/20245"), -1);
	assert_int_equal(date("1/4/2024/"), -1);
}

/* Ensure the parser reads only the n bytes it is given. */
static void test_length_bounded(void **state)
{
	(void)state;
	int32_t ymd = 0;
	assert_true(sv_date_parse("2024-04-01junk", 10, &ymd));
	assert_int_equal(ymd, 20240401);
	assert_false(sv_date_parse("2024-04-01", 9, &ymd));
}

/* Ensure month and calendar quarter labels. */
static void test_month_quarter_labels(void **state)
{
	(void)state;
	char buf[SV_PERIOD_TEXT_MAX];
	assert_string_equal(label(buf, SV_PERIOD_MONTH, 20240415), "2024-04");
	assert_string_equal(label(buf, SV_PERIOD_MONTH, 20241231), "2024-12");
	assert_string_equal(label(buf, SV_PERIOD_QUARTER, 20240101), "2024-Q1");
	assert_string_equal(label(buf, SV_PERIOD_QUARTER, 20240515), "2024-Q2");
	assert_string_equal(label(buf, SV_PERIOD_QUARTER, 20240930), "2024-Q3");
	assert_string_equal(label(buf, SV_PERIOD_QUARTER, 20241001), "2024-Q4");
}

/* Ensure UK financial quarters run April-June = Q1 to January-March = Q4. */
static void test_fq_labels(void **state)
{
	(void)state;
	char buf[SV_PERIOD_TEXT_MAX];
	assert_string_equal(label(buf, SV_PERIOD_FQ, 20240401), "2024/25 Q1");
	assert_string_equal(label(buf, SV_PERIOD_FQ, 20240630), "2024/25 Q1");
	assert_string_equal(label(buf, SV_PERIOD_FQ, 20240701), "2024/25 Q2");
	assert_string_equal(label(buf, SV_PERIOD_FQ, 20241231), "2024/25 Q3");
	assert_string_equal(label(buf, SV_PERIOD_FQ, 20250101), "2024/25 Q4");
	assert_string_equal(label(buf, SV_PERIOD_FQ, 20250331), "2024/25 Q4");
	assert_string_equal(label(buf, SV_PERIOD_FQ, 20240115), "2023/24 Q4");
	assert_string_equal(label(buf, SV_PERIOD_FQ, 19990401), "1999/00 Q1");
}

/* Ensure year and UK financial year labels, across a century. */
static void test_year_fy_labels(void **state)
{
	(void)state;
	char buf[SV_PERIOD_TEXT_MAX];
	assert_string_equal(label(buf, SV_PERIOD_YEAR, 20240101), "2024");
	assert_string_equal(label(buf, SV_PERIOD_FY, 20240401), "2024/25");
	assert_string_equal(label(buf, SV_PERIOD_FY, 20240331), "2023/24");
	assert_string_equal(label(buf, SV_PERIOD_FY, 20250331), "2024/25");
	assert_string_equal(label(buf, SV_PERIOD_FY, 19990401), "1999/00");
	assert_string_equal(label(buf, SV_PERIOD_FY, 20000301), "1999/00");
	assert_string_equal(label(buf, SV_PERIOD_FY, 20091231), "2009/10");
}

/* Ensure the label length is returned. */
static void test_label_length(void **state)
{
	(void)state;
	char buf[SV_PERIOD_TEXT_MAX];
	assert_int_equal(sv_period_format(buf, SV_PERIOD_FQ, sv_period_of(SV_PERIOD_FQ, 20240401)), 10);
	assert_int_equal(sv_period_format(buf, SV_PERIOD_MONTH, sv_period_of(SV_PERIOD_MONTH, 20240401)), 7);
	assert_int_equal(sv_period_format(buf, SV_PERIOD_FY, sv_period_of(SV_PERIOD_FY, 20240401)), 7);
}

/* Ensure days in one period share its number and periods order chronologically. */
static void test_period_numbers(void **state)
{
	(void)state;
	assert_int_equal(sv_period_of(SV_PERIOD_FQ, 20240401), sv_period_of(SV_PERIOD_FQ, 20240630));
	assert_true(sv_period_of(SV_PERIOD_FQ, 20240331) < sv_period_of(SV_PERIOD_FQ, 20240401));
	assert_true(sv_period_of(SV_PERIOD_FQ, 20241231) < sv_period_of(SV_PERIOD_FQ, 20250101));
	assert_true(sv_period_of(SV_PERIOD_MONTH, 20231231) < sv_period_of(SV_PERIOD_MONTH, 20240101));
	assert_true(sv_period_of(SV_PERIOD_QUARTER, 20231231) < sv_period_of(SV_PERIOD_QUARTER, 20240101));
	assert_int_equal(sv_period_of(SV_PERIOD_FY, 20250331), sv_period_of(SV_PERIOD_FY, 20240401));
	assert_true(sv_period_of(SV_PERIOD_FY, 20250331) < sv_period_of(SV_PERIOD_FY, 20250401));
	assert_int_equal(sv_period_of(SV_PERIOD_YEAR, 20241231), 2024);
}

/* Ensure every label the formatter writes reads back as its period. */
static void test_period_parse_round_trip(void **state)
{
	(void)state;
	static const enum sv_period periods[] = {SV_PERIOD_MONTH, SV_PERIOD_QUARTER, SV_PERIOD_FQ, SV_PERIOD_YEAR,
						 SV_PERIOD_FY};
	static const int32_t days[] = {20240101, 20240331, 20240401, 20241231, 19990401, 20000301};
	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		for (size_t k = 0; k < sizeof days / sizeof days[0]; k++) {
			char buf[SV_PERIOD_TEXT_MAX];
			int32_t want = sv_period_of(periods[i], days[k]), got = -1;
			sv_period_format(buf, periods[i], want);
			assert_true(sv_period_parse(periods[i], buf, &got));
			assert_int_equal(got, want);
		}
	}
}

/* Ensure labels not exactly as the formatter writes them are refused. */
static void test_period_parse_refused(void **state)
{
	(void)state;
	int32_t p = 0;
	assert_false(sv_period_parse(SV_PERIOD_MONTH, "2024-4", &p));
	assert_false(sv_period_parse(SV_PERIOD_MONTH, "2024-13", &p));
	assert_false(sv_period_parse(SV_PERIOD_MONTH, "2024-04 ", &p));
	assert_false(sv_period_parse(SV_PERIOD_QUARTER, "2024-Q5", &p));
	assert_false(sv_period_parse(SV_PERIOD_FQ, "2024/26 Q1", &p));
	assert_false(sv_period_parse(SV_PERIOD_FQ, "2024/25", &p));
	assert_false(sv_period_parse(SV_PERIOD_FY, "2024/2025", &p));
	assert_false(sv_period_parse(SV_PERIOD_YEAR, "", &p));
	assert_false(sv_period_parse(SV_PERIOD_YEAR, "0000", &p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_dmy_digits),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_iso_padding),
		cmocka_unit_test(test_other_forms),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_length_bounded),
		cmocka_unit_test(test_month_quarter_labels),
		cmocka_unit_test(test_fq_labels),
		cmocka_unit_test(test_year_fy_labels),
		cmocka_unit_test(test_label_length),
		cmocka_unit_test(test_period_numbers),
		cmocka_unit_test(test_period_parse_round_trip),
		cmocka_unit_test(test_period_parse_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
