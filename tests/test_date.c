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

/* The record date s means with the forms, as YYYYMMDD * 10 plus 1 for a
 * month-only date; -1 when it is refused. */
static int64_t rec(const char *s, unsigned forms)
{
	struct sv_date d = {-1, false};
	if (!sv_date_parse_forms(s, strlen(s), forms, &d))
		return -1;
	return (int64_t)d.ymd * 10 + d.month_only;
}

#define ALL_FORMS (SV_DATE_FORM_MONTH | SV_DATE_FORM_YY | SV_DATE_FORM_EXCEL)

/* Ensure a record's date may carry a time of day, which is ignored. */
static void test_time_of_day(void **state)
{
	(void)state;
	assert_int_equal(rec("2024-04-01", 0), 202404010);
	assert_int_equal(rec("2024-04-01 00:00:00", 0), 202404010);
	assert_int_equal(rec("2024-04-01T09:30", 0), 202404010);
	assert_int_equal(rec("2024-04-01 9:30", 0), 202404010);
	assert_int_equal(rec("2024-04-01T23:59:59.999", 0), 202404010);
	assert_int_equal(rec("01/04/2024 9:30", 0), 202404010);
	assert_int_equal(rec("01/04/2024 09:30", 0), 202404010);
	assert_int_equal(rec("1/4/2024 0:00:00", 0), 202404010);
	assert_int_equal(rec("1/4/2024 23:59:05.5", 0), 202404010);
	/* the time does not rescue a day that does not exist */
	assert_int_equal(rec("2023-02-29 00:00", 0), -1);
	assert_int_equal(rec("2024-02-29 00:00", 0), 202402290);
}

/* Ensure times out of range, malformed or followed by anything are refused. */
static void test_time_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2024-04-01 24:00",      "2024-04-01 9:60",     "2024-04-01 09:30x",    "2024-04-01 09:30 ",
		"2024-04-01 09:30Z",     "2024-04-01T09:30+01:00", "2024-04-01 9:30 AM", "2024-04-01  09:30",
		"2024-04-01 09",         "2024-04-01 09:",      "2024-04-01 9:3",       "2024-04-01 009:30",
		"2024-04-01 09:30:60",   "2024-04-01 09:30:5",  "2024-04-01 09:30:00.", "2024-04-01 09:30.5",
		"2024-04-01T",           "2024-04-01 ",         "2024-04-01t09:30",     "01/04/2024T09:30",
		"01/04/2024 24:00",      "01/04/2024 9:60",     "01/04/2024 9:30junk",  "2024-04-0109:30",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sv_date d;
		if (sv_date_parse_forms(bad[i], strlen(bad[i]), ALL_FORMS, &d))
			fail_msg("'%s' was accepted", bad[i]);
	}
}

/* Ensure --from/--to keep the plain grammar: no time of day. */
static void test_plain_grammar_has_no_time(void **state)
{
	(void)state;
	assert_int_equal(date("2024-04-01 00:00"), -1);
	assert_int_equal(date("01/04/2024 9:30"), -1);
}

/* Ensure month-only forms read as the month's first day, flagged. */
static void test_month_forms(void **state)
{
	(void)state;
	const unsigned f = SV_DATE_FORM_MONTH;
	assert_int_equal(rec("April 2024", f), 202404011);
	assert_int_equal(rec("Apr 2024", f), 202404011);
	assert_int_equal(rec("Apr-24", f), 202404011);
	assert_int_equal(rec("Apr-2024", f), 202404011);
	assert_int_equal(rec("April 24", f), 202404011);
	assert_int_equal(rec("april-2024", f), 202404011);
	assert_int_equal(rec("APR 2024", f), 202404011);
	assert_int_equal(rec("2024-04", f), 202404011);
	assert_int_equal(rec("04/2024", f), 202404011);
	assert_int_equal(rec("4/2024", f), 202404011);
	assert_int_equal(rec("Sept 2024", f), 202409011);
	assert_int_equal(rec("Sep-24", f), 202409011);
	assert_int_equal(rec("September 2024", f), 202409011);
	assert_int_equal(rec("May-25", f), 202505011);
	assert_int_equal(rec("Dec 1999", f), 199912011);
	/* days stay days */
	assert_int_equal(rec("2024-04-01", f), 202404010);
}

/* Ensure month forms are refused without the flag, and malformed ones with it. */
static void test_month_refused(void **state)
{
	(void)state;
	assert_int_equal(rec("Apr 2024", 0), -1);
	assert_int_equal(rec("2024-04", 0), -1);
	assert_int_equal(rec("04/2024", SV_DATE_FORM_YY | SV_DATE_FORM_EXCEL), -1);
	/* a year alone is no month (with the Excel form it is a serial) */
	assert_int_equal(rec("2024", SV_DATE_FORM_MONTH | SV_DATE_FORM_YY), -1);
	static const char *const bad[] = {
		"24-Apr",   "24 Apr",    "Apr",        "Apr 24 x", "Apr 2024 09:30", "Apri 2024", "Aprill 2024",
		"Apr  2024", "Apr_2024", "Apr-024",    "Apr-20245", "Apr 0000",       "2024-4",    "2024-13",
		"2024-00",  "13/2024",   "0/2024",     "04/24",    "2024/04",        "Spt 2024",  "Septe 2024",
		"Ap 2024",  "April2024", "Apr-24 ",    " Apr-24",  "Mon 2024",       "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sv_date d;
		if (sv_date_parse_forms(bad[i], strlen(bad[i]), ALL_FORMS, &d))
			fail_msg("'%s' was accepted", bad[i]);
	}
}

/* Ensure D/M/YY reads as 20YY with the flag only, real days only. */
static void test_two_digit_year(void **state)
{
	(void)state;
	const unsigned f = SV_DATE_FORM_YY;
	assert_int_equal(rec("01/04/24", f), 202404010);
	assert_int_equal(rec("1/4/24", f), 202404010);
	assert_int_equal(rec("1/4/24 9:30", f), 202404010);
	assert_int_equal(rec("31/12/99", f), 209912310);
	assert_int_equal(rec("01/01/00", f), 200001010);
	assert_int_equal(rec("29/02/24", f), 202402290);
	assert_int_equal(rec("29/02/23", f), -1);
	assert_int_equal(rec("01/04/24", 0), -1);
	assert_int_equal(rec("01/04/024", f), -1);
	assert_int_equal(rec("01/04/2", f), -1);
	assert_int_equal(rec("01/13/24", f), -1);
	/* four digits still work */
	assert_int_equal(rec("01/04/2024", f), 202404010);
	/* ISO needs its four digits */
	assert_int_equal(rec("24-04-01", f), -1);
}

/* Ensure Excel serials in the 1900 date system, its fictional leap day refused. */
static void test_excel_serial(void **state)
{
	(void)state;
	const unsigned f = SV_DATE_FORM_EXCEL;
	assert_int_equal(rec("45383", f), 202404010);
	assert_int_equal(rec("45383.5", f), 202404010);
	assert_int_equal(rec("45383.999988426", f), 202404010);
	assert_int_equal(rec("1", f), 190001010);
	assert_int_equal(rec("59", f), 190002280);
	assert_int_equal(rec("60", f), -1); /* Excel's 1900-02-29 */
	assert_int_equal(rec("61", f), 190003010);
	assert_int_equal(rec("36526", f), 200001010);
	assert_int_equal(rec("45351", f), 202402290);
	assert_int_equal(rec("2958465", f), 999912310);
	assert_int_equal(rec("2958466", f), -1);
	assert_int_equal(rec("0", f), -1);
	assert_int_equal(rec("0.5", f), -1);
	assert_int_equal(rec("45383", 0), -1);
	assert_int_equal(rec("45383.", f), -1);
	assert_int_equal(rec(".5", f), -1);
	assert_int_equal(rec("-45383", f), -1);
	assert_int_equal(rec("45,383", f), -1);
	assert_int_equal(rec("45383 ", f), -1);
	assert_int_equal(rec("4.5e4", f), -1);
	assert_int_equal(rec("12345678", f), -1);
	assert_int_equal(rec("20240401", f), -1);
}

/* Ensure the profile's form names map to their flags. */
static void test_form_names(void **state)
{
	(void)state;
	assert_int_equal(sv_date_form_by_name("month"), SV_DATE_FORM_MONTH);
	assert_int_equal(sv_date_form_by_name("two-digit-year"), SV_DATE_FORM_YY);
	assert_int_equal(sv_date_form_by_name("excel-serial"), SV_DATE_FORM_EXCEL);
	assert_int_equal(sv_date_form_by_name("Month"), 0);
	assert_int_equal(sv_date_form_by_name("months"), 0);
	assert_int_equal(sv_date_form_by_name("excel"), 0);
	assert_int_equal(sv_date_form_by_name(""), 0);
}

/* Ensure the form a date needs: default ones need none, the others name
 * their profile form, and what the reader would refuse is no date (the
 * profile guess must not name a form the reader then refuses). */
static void test_form_needed(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool ok;
		unsigned form;
	} cases[] = {
		{"2024-04-01", true, 0},
		{"01/04/2024", true, 0},
		{"2024-04-01 00:00:00", true, 0},
		{"2024-04-01T09:30", true, 0},
		{"1/4/2024 9:30", true, 0},
		{"01/04/24", true, SV_DATE_FORM_YY},
		{"1/4/24 23:59", true, SV_DATE_FORM_YY},
		{"29/2/23", false, 0},
		{"April 2024", true, SV_DATE_FORM_MONTH},
		{"Apr-24", true, SV_DATE_FORM_MONTH},
		{"sept 2024", true, SV_DATE_FORM_MONTH},
		{"2024-04", true, SV_DATE_FORM_MONTH},
		{"04/2024", true, SV_DATE_FORM_MONTH},
		{"2024-13", false, 0},
		{"Ap 2024", false, 0},
		{"May", false, 0},
		{"2024-04-01 25:00", false, 0},
		{"2024-04-01  09:30", false, 0},
		{"01/04/2024T09:30", false, 0},
		{"April  2024", false, 0},
		{"0000-04", false, 0},
		{"45383", false, 0},
		{"Volunteering", false, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned form = 99;
		bool ok = sv_date_form_needed(cases[i].text, strlen(cases[i].text), &form);
		if (ok != cases[i].ok || (ok && form != cases[i].form))
			fail_msg("'%s': ok %d form %u", cases[i].text, ok, form);
	}
}

/* Ensure a date's last day: the day itself, or the month's last, leap years included. */
static void test_date_last(void **state)
{
	(void)state;
	assert_int_equal(sv_date_last(&(struct sv_date){20240415, false}), 20240415);
	assert_int_equal(sv_date_last(&(struct sv_date){20240401, true}), 20240430);
	assert_int_equal(sv_date_last(&(struct sv_date){20240201, true}), 20240229);
	assert_int_equal(sv_date_last(&(struct sv_date){20230201, true}), 20230228);
	assert_int_equal(sv_date_last(&(struct sv_date){20241201, true}), 20241231);
}

/* Ensure the "expected" text names the forms in use. */
static void test_expected_text(void **state)
{
	(void)state;
	char buf[SV_DATE_EXPECTED_MAX];
	sv_date_expected(buf, 0);
	assert_string_equal(buf, "YYYY-MM-DD or DD/MM/YYYY, optionally with a time");
	sv_date_expected(buf, ALL_FORMS);
	assert_string_equal(buf, "YYYY-MM-DD or DD/MM/YYYY, optionally with a time, or DD/MM/YY, or a month "
				 "(April 2024, Apr-24, 2024-04, 04/2024), or an Excel serial day number");
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

/* Ensure the inline period numbers (from the count of months) are the
 * ones of the formula by year and month, for every month of years 1 to
 * 9999 and for the ymd of no date, and a few exactly. */
static void test_period_numbers_inline(void **state)
{
	(void)state;
	assert_int_equal(sv_period_of(SV_PERIOD_FQ, 20240401), 8096);
	assert_int_equal(sv_period_of(SV_PERIOD_FQ, 20250331), 8099);
	assert_int_equal(sv_period_of(SV_PERIOD_FQ, 10101), 3);
	assert_int_equal(sv_period_of(SV_PERIOD_FY, 20250331), 2024);
	assert_int_equal(sv_period_of(SV_PERIOD_QUARTER, 20241201), 8099);
	assert_int_equal(sv_period_of(SV_PERIOD_MONTH, 20240115), 24288);
	const enum sv_period all[] = {SV_PERIOD_MONTH, SV_PERIOD_QUARTER, SV_PERIOD_FQ, SV_PERIOD_YEAR, SV_PERIOD_FY};
	for (size_t p = 0; p < sizeof all / sizeof all[0]; p++) {
		assert_int_equal(sv_period_of(all[p], 0), sv_period_of_slowly(all[p], 0));
		for (int32_t y = 1; y <= 9999; y++)
			for (int32_t m = 1; m <= 12; m++)
				for (int32_t d = 1; d <= 31; d += 30)
					if (sv_period_of(all[p], y * 10000 + m * 100 + d) !=
					    sv_period_of_slowly(all[p], y * 10000 + m * 100 + d))
						fail_msg("period %d of %d-%d-%d", (int)all[p], (int)y, (int)m, (int)d);
	}
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
		cmocka_unit_test(test_time_of_day),
		cmocka_unit_test(test_time_refused),
		cmocka_unit_test(test_plain_grammar_has_no_time),
		cmocka_unit_test(test_month_forms),
		cmocka_unit_test(test_month_refused),
		cmocka_unit_test(test_two_digit_year),
		cmocka_unit_test(test_excel_serial),
		cmocka_unit_test(test_form_names),
		cmocka_unit_test(test_form_needed),
		cmocka_unit_test(test_date_last),
		cmocka_unit_test(test_expected_text),
		cmocka_unit_test(test_month_quarter_labels),
		cmocka_unit_test(test_fq_labels),
		cmocka_unit_test(test_year_fy_labels),
		cmocka_unit_test(test_label_length),
		cmocka_unit_test(test_period_numbers),
		cmocka_unit_test(test_period_numbers_inline),
		cmocka_unit_test(test_period_parse_round_trip),
		cmocka_unit_test(test_period_parse_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
