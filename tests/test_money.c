/*
 * test_money.c - exact quantities, products, sums and rounding.
 */
#include "test_util.h"

#include <math.h>

#include "sv_money.h"

static int64_t qty(const char *s)
{
	int64_t v = -1;
	assert_int_equal(sv_qty_parse(s, strlen(s), &v), SV_QTY_OK);
	return v;
}

static enum sv_qty_error qty_error(const char *s)
{
	int64_t v = 0;
	return sv_qty_parse(s, strlen(s), &v);
}

/* An amount from its exact decimal text, e.g. "1.23456789". */
static sv_amount amount(const char *s)
{
	sv_amount a = 0;
	assert_true(sv_amount_parse(s, strlen(s), &a));
	return a;
}

/* Ensure every quantity form SPEC.md allows reads as the exact dec4. */
static void test_qty_valid_forms(void **state)
{
	(void)state;
	assert_int_equal(qty("5"), 50000);
	assert_int_equal(qty("5."), 50000);
	assert_int_equal(qty(".5"), 5000);
	assert_int_equal(qty("37.5"), 375000);
	assert_int_equal(qty("0.0001"), 1);
	assert_int_equal(qty("0"), 0);
	assert_int_equal(qty("\xC2\xA3" "12"), 120000);
	assert_int_equal(qty("1,234,567.5"), 12345675000);
	assert_int_equal(qty("1000000000000"), SV_QTY_MAX);
}

/* Ensure each invalid quantity is refused with the reason SPEC.md gives. */
static void test_qty_invalid_forms(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum sv_qty_error want;
	} cases[] = {
		{"", SV_QTY_EMPTY},          {"-5", SV_QTY_NEGATIVE},
		{"+5", SV_QTY_SIGN},         {"5e3", SV_QTY_EXPONENT},
		{"1,5", SV_QTY_DECIMAL_COMMA}, {"1,2345", SV_QTY_GROUPING},
		{"1.23456", SV_QTY_DECIMALS}, {"1000000000000.0001", SV_QTY_TOO_LARGE},
		{".", SV_QTY_SYNTAX},        {"abc", SV_QTY_SYNTAX},
		{"1234,567", SV_QTY_GROUPING}, {",123", SV_QTY_GROUPING},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t v = 0;
		enum sv_qty_error e = sv_qty_parse(cases[i].text, strlen(cases[i].text), &v);
		if (e != cases[i].want)
			fail_msg("'%s': got %d, want %d", cases[i].text, (int)e, (int)cases[i].want);
	}
}

/* Ensure rounding to the penny is half away from zero, once. */
static void test_round_half_away(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_pence_plain(buf, sv_amount_to_pence(sv_amount_mul(qty("1"), qty("0.005"))));
	assert_string_equal(buf, "0.01");
	sv_format_pence_plain(buf, sv_amount_to_pence(sv_amount_mul(qty("1"), qty("0.0049"))));
	assert_string_equal(buf, "0.00");
	sv_format_pence_plain(buf, sv_amount_to_pence(-sv_amount_mul(qty("1"), qty("0.005"))));
	assert_string_equal(buf, "-0.01");
}

/* Ensure thousands separators are accepted only in whole groups of three. */
static void test_qty_thousands_grouping(void **state)
{
	(void)state;
	assert_int_equal(qty("1,234"), 12340000);
	assert_int_equal(qty("12,345"), 123450000);
	assert_int_equal(qty("123,456.0001"), 1234560001);
	assert_int_equal(qty("1,000,000,000,000"), SV_QTY_MAX);
	assert_int_equal(qty_error("1,23,456"), SV_QTY_GROUPING);
	assert_int_equal(qty_error("1,234,"), SV_QTY_GROUPING);
	assert_int_equal(qty_error("1,,234"), SV_QTY_GROUPING);
	assert_int_equal(qty_error("1,2345.5"), SV_QTY_GROUPING);
}

/* Ensure a comma followed by one or two final digits is named a decimal comma. */
static void test_qty_decimal_comma(void **state)
{
	(void)state;
	assert_int_equal(qty_error("37,5"), SV_QTY_DECIMAL_COMMA);
	assert_int_equal(qty_error("0,25"), SV_QTY_DECIMAL_COMMA);
}

/* Ensure a separator after a leading zero is refused: "0,500" is no thousands grouping. */
static void test_qty_leading_zero_group(void **state)
{
	(void)state;
	static const uintmax_t refusals[] = {SV_QTY_GROUPING, SV_QTY_DECIMAL_COMMA};
	assert_in_set(qty_error("0,500"), refusals, 2);
	assert_in_set(qty_error("0,123"), refusals, 2);
	assert_in_set(qty_error("01,234"), refusals, 2);
	assert_in_set(qty_error("\xC2\xA3" "0,250"), refusals, 2);
}

/* Ensure a leading pound sign is accepted with grouping and fractions, but not twice or after. */
static void test_qty_pound_sign(void **state)
{
	(void)state;
	assert_int_equal(qty("\xC2\xA3" "1,234.5"), 12345000);
	assert_int_equal(qty("\xC2\xA3" ".5"), 5000);
	assert_int_equal(qty_error("\xC2\xA3-5"), SV_QTY_NEGATIVE);
	assert_int_equal(qty_error("\xC2\xA3"), SV_QTY_SYNTAX);
	assert_int_equal(qty_error("5\xC2\xA3"), SV_QTY_SYNTAX);
	assert_int_equal(qty_error("\xC2\xA3\xC2\xA3" "5"), SV_QTY_SYNTAX);
	assert_int_equal(qty_error("$5"), SV_QTY_SYNTAX);
}

/* Ensure every exponent spelling is refused as an exponent. */
static void test_qty_exponents(void **state)
{
	(void)state;
	assert_int_equal(qty_error("1e3"), SV_QTY_EXPONENT);
	assert_int_equal(qty_error("1E3"), SV_QTY_EXPONENT);
	assert_int_equal(qty_error("1.5e-2"), SV_QTY_EXPONENT);
	assert_int_equal(qty_error("2e0"), SV_QTY_EXPONENT);
}

/* Ensure signs are refused however they are written. */
static void test_qty_signs(void **state)
{
	(void)state;
	assert_int_equal(qty_error("-0"), SV_QTY_NEGATIVE);
	assert_int_equal(qty_error("-0.5"), SV_QTY_NEGATIVE);
	assert_int_equal(qty_error("+0"), SV_QTY_SIGN);
	assert_int_equal(qty_error("5-"), SV_QTY_SYNTAX);
}

/* Ensure more than 4 decimal places is refused, trailing zeros included. */
static void test_qty_four_decimals(void **state)
{
	(void)state;
	assert_int_equal(qty("1.2345"), 12345);
	assert_int_equal(qty("0.9999"), 9999);
	assert_int_equal(qty_error("0.00001"), SV_QTY_DECIMALS);
	assert_int_equal(qty_error("1.23450"), SV_QTY_DECIMALS);
}

/* Ensure the 10^12 unit limit is inclusive and anything larger is refused, however long. */
static void test_qty_limit(void **state)
{
	(void)state;
	assert_int_equal(qty("1000000000000.0000"), SV_QTY_MAX);
	assert_int_equal(qty("999999999999.9999"), SV_QTY_MAX - 1);
	assert_int_equal(qty_error("1000000000001"), SV_QTY_TOO_LARGE);
	assert_int_equal(qty_error("10000000000000"), SV_QTY_TOO_LARGE);
	assert_int_equal(qty_error("99999999999999999999999999999"), SV_QTY_TOO_LARGE);
	assert_int_equal(qty_error("1,000,000,000,001"), SV_QTY_TOO_LARGE);
}

/* Ensure text that is not a number at all is a syntax error. */
static void test_qty_syntax(void **state)
{
	(void)state;
	assert_int_equal(qty_error(" 5"), SV_QTY_SYNTAX);
	assert_int_equal(qty_error("5 "), SV_QTY_SYNTAX);
	assert_int_equal(qty_error("1 000"), SV_QTY_SYNTAX);
	assert_int_equal(qty_error("1.2.3"), SV_QTY_SYNTAX);
	assert_int_equal(qty_error("0x10"), SV_QTY_SYNTAX);
}

/* Ensure the parser reads only the n bytes it is given. */
static void test_qty_length_bounded(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(sv_qty_parse("12345", 2, &v), SV_QTY_OK);
	assert_int_equal(v, 120000);
}

/* Ensure each quantity error has the phrase messages use. */
static void test_qty_strerror(void **state)
{
	(void)state;
	assert_string_equal(sv_qty_strerror(SV_QTY_EMPTY), "is empty");
	assert_string_equal(sv_qty_strerror(SV_QTY_NEGATIVE), "is negative");
	assert_string_equal(sv_qty_strerror(SV_QTY_DECIMALS), "has more than 4 decimal places");
	assert_string_equal(sv_qty_strerror(SV_QTY_TOO_LARGE), "is more than 1,000,000,000,000");
	assert_string_equal(sv_qty_strerror(SV_QTY_DECIMAL_COMMA),
			    "has a decimal comma (use a point: 1.5)");
	assert_string_equal(sv_qty_strerror(SV_QTY_SYNTAX),
			    "is not a number (expected digits with up to 4 decimals, e.g. 37.5)");
}

/* Ensure plain decimals ignore trailing zeros past the 4th place. */
static void test_dec4_plain_trailing_zeros(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_true(sv_dec4_parse_plain("1.50000", 7, SV_VALUE_MAX, &v));
	assert_int_equal(v, 15000);
	assert_true(sv_dec4_parse_plain("1.23450", 7, SV_VALUE_MAX, &v));
	assert_int_equal(v, 12345);
	assert_true(sv_dec4_parse_plain("17.04", 5, SV_VALUE_MAX, &v));
	assert_int_equal(v, 170400);
}

/* Ensure plain decimals with a fifth significant place are refused. */
static void test_dec4_plain_fifth_place(void **state)
{
	(void)state;
	int64_t v = 7;
	assert_false(sv_dec4_parse_plain("1.23456", 7, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_parse_plain("0.00001", 7, SV_VALUE_MAX, &v));
	assert_int_equal(v, 7);
}

/* Ensure plain decimals accept bare points on either side and refuse other forms. */
static void test_dec4_plain_forms(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_true(sv_dec4_parse_plain(".5", 2, SV_VALUE_MAX, &v));
	assert_int_equal(v, 5000);
	assert_true(sv_dec4_parse_plain("5.", 2, SV_VALUE_MAX, &v));
	assert_int_equal(v, 50000);
	assert_false(sv_dec4_parse_plain("", 0, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_parse_plain(".", 1, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_parse_plain("-1", 2, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_parse_plain("+1", 2, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_parse_plain("1e3", 3, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_parse_plain("1,000", 5, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_parse_plain(" 1", 2, SV_VALUE_MAX, &v));
}

/* Ensure plain decimals respect the maximum, inclusively. */
static void test_dec4_plain_max(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_true(sv_dec4_parse_plain("1000000000", 10, SV_VALUE_MAX, &v));
	assert_int_equal(v, SV_VALUE_MAX);
	assert_true(sv_dec4_parse_plain("1000000000.00000", 16, SV_VALUE_MAX, &v));
	assert_int_equal(v, SV_VALUE_MAX);
	assert_false(sv_dec4_parse_plain("1000000000.0001", 15, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_parse_plain("99999999999999999999999", 23, SV_VALUE_MAX, &v));
}

/* Ensure doubles that are exact short decimals convert to the exact dec4. */
static void test_dec4_from_double_exact(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_true(sv_dec4_from_double(39039.0, SV_VALUE_MAX, &v));
	assert_int_equal(v, 390390000);
	assert_true(sv_dec4_from_double(0.1, SV_VALUE_MAX, &v));
	assert_int_equal(v, 1000);
	assert_true(sv_dec4_from_double(1.2345, SV_VALUE_MAX, &v));
	assert_int_equal(v, 12345);
	assert_true(sv_dec4_from_double(1e3, SV_VALUE_MAX, &v));
	assert_int_equal(v, 10000000);
	assert_true(sv_dec4_from_double(0.0, SV_VALUE_MAX, &v));
	assert_int_equal(v, 0);
	assert_true(sv_dec4_from_double(1e9, SV_VALUE_MAX, &v));
	assert_int_equal(v, SV_VALUE_MAX);
	assert_true(sv_dec4_from_double(123456789.1234, SV_VALUE_MAX, &v));
	assert_int_equal(v, 1234567891234);
	assert_true(sv_dec4_from_double(999999999.9999, SV_VALUE_MAX, &v));
	assert_int_equal(v, 9999999999999);
	assert_true(sv_dec4_from_double(0.0001, SV_VALUE_MAX, &v));
	assert_int_equal(v, 1);
}

/* Ensure doubles with a fifth place, negative, too large or not finite are refused. */
static void test_dec4_from_double_refused(void **state)
{
	(void)state;
	int64_t v = 7;
	assert_false(sv_dec4_from_double(1.23456, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_from_double(0.00001, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_from_double(-1.0, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_from_double(1e10, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_from_double(1000000000.0001, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_from_double(HUGE_VAL, SV_VALUE_MAX, &v));
	assert_false(sv_dec4_from_double(NAN, SV_VALUE_MAX, &v));
	assert_int_equal(v, 7);
}

/* Ensure the largest product SPEC allows (10^12 units x GBP 10^9) is exact. */
static void test_mul_at_limits(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	sv_amount a = sv_amount_mul(SV_QTY_MAX, SV_VALUE_MAX);
	sv_format_amount_exact(buf, a);
	assert_string_equal(buf, "1000000000000000000000.00");
	sv_format_pence_plain(buf, sv_amount_to_pence(a));
	assert_string_equal(buf, "1000000000000000000000.00");
	sv_format_amount_exact(buf, sv_amount_mul(1, 1));
	assert_string_equal(buf, "0.00000001");
	sv_format_amount_exact(buf, sv_amount_mul(qty("2.5"), qty("39039")));
	assert_string_equal(buf, "97597.50");
}

/* Ensure sums of many maximal products stay exact. */
static void test_add_many_max_products(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	sv_amount acc = 0, max = sv_amount_mul(SV_QTY_MAX, SV_VALUE_MAX);
	for (int i = 0; i < 1000; i++)
		assert_true(sv_amount_add(&acc, max));
	sv_format_amount_exact(buf, acc);
	assert_string_equal(buf, "1000000000000000000000000.00");
}

/* Ensure an addition that would overflow is refused and leaves the sum alone. */
static void test_add_overflow(void **state)
{
	(void)state;
	const sv_amount top = (sv_amount)(((sv_uamount)1 << 127) - 1);
	sv_amount acc = top;
	assert_false(sv_amount_add(&acc, 1));
	assert_true(acc == top);
	sv_amount low = -top - 1;
	acc = low;
	assert_false(sv_amount_add(&acc, -1));
	assert_true(acc == low);
	acc = top - 5;
	assert_true(sv_amount_add(&acc, 5));
	assert_true(acc == top);
}

/* Ensure rounding to pence at exact half-penny boundaries goes away from zero. */
static void test_round_boundaries(void **state)
{
	(void)state;
	assert_true(sv_amount_to_pence(amount("0.00499999")) == 0);
	assert_true(sv_amount_to_pence(amount("0.005")) == 1);
	assert_true(sv_amount_to_pence(amount("-0.00499999")) == 0);
	assert_true(sv_amount_to_pence(amount("-0.005")) == -1);
	assert_true(sv_amount_to_pence(amount("1.015")) == 102);
	assert_true(sv_amount_to_pence(amount("-1.015")) == -102);
	assert_true(sv_amount_to_pence(amount("2.02499999")) == 202);
	assert_true(sv_amount_to_pence(amount("0")) == 0);
}

/* Ensure plain pence have exactly two decimals, no separators, a leading minus. */
static void test_format_plain(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	assert_int_equal(sv_format_pence_plain(buf, 123457), 7);
	assert_string_equal(buf, "1234.57");
	sv_format_pence_plain(buf, 0);
	assert_string_equal(buf, "0.00");
	sv_format_pence_plain(buf, 5);
	assert_string_equal(buf, "0.05");
	sv_format_pence_plain(buf, -5);
	assert_string_equal(buf, "-0.05");
	sv_format_pence_plain(buf, 100000000);
	assert_string_equal(buf, "1000000.00");
}

/* Ensure pretty pence have a pound sign and thousands separators. */
static void test_format_pretty(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_pence_pretty(buf, 123456789);
	assert_string_equal(buf, "\xC2\xA3" "1,234,567.89");
	sv_format_pence_pretty(buf, 99999);
	assert_string_equal(buf, "\xC2\xA3" "999.99");
	sv_format_pence_pretty(buf, 100000);
	assert_string_equal(buf, "\xC2\xA3" "1,000.00");
	sv_format_pence_pretty(buf, 0);
	assert_string_equal(buf, "\xC2\xA3" "0.00");
	sv_format_pence_pretty(buf, -123457);
	assert_string_equal(buf, "-\xC2\xA3" "1,234.57");
}

/* Ensure exact amounts drop trailing zeros but keep at least two decimals. */
static void test_format_exact(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_amount_exact(buf, 123456789);
	assert_string_equal(buf, "1.23456789");
	sv_format_amount_exact(buf, 150000000);
	assert_string_equal(buf, "1.50");
	sv_format_amount_exact(buf, 123400000);
	assert_string_equal(buf, "1.234");
	sv_format_amount_exact(buf, 0);
	assert_string_equal(buf, "0.00");
	sv_format_amount_exact(buf, -50000000);
	assert_string_equal(buf, "-0.50");
	sv_format_amount_exact(buf, (sv_amount)1234567 * SV_AMOUNT_SCALE);
	assert_string_equal(buf, "1234567.00");
}

/* Ensure dec4 values print with at least two decimals, or as few as needed. */
static void test_format_dec4(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_dec4(buf, 390390000);
	assert_string_equal(buf, "39039.00");
	sv_format_dec4(buf, 12345);
	assert_string_equal(buf, "1.2345");
	sv_format_dec4(buf, 15000);
	assert_string_equal(buf, "1.50");
	sv_format_dec4_min(buf, 375000);
	assert_string_equal(buf, "37.5");
	sv_format_dec4_min(buf, 50000);
	assert_string_equal(buf, "5");
	sv_format_dec4_min(buf, 1);
	assert_string_equal(buf, "0.0001");
	sv_format_dec4_min(buf, 0);
	assert_string_equal(buf, "0");
}

/* Ensure counts print with or without thousands separators. */
static void test_format_count(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	assert_int_equal(sv_format_count(buf, 1234, true), 5);
	assert_string_equal(buf, "1,234");
	sv_format_count(buf, 1234, false);
	assert_string_equal(buf, "1234");
	sv_format_count(buf, 0, true);
	assert_string_equal(buf, "0");
	sv_format_count(buf, 123, true);
	assert_string_equal(buf, "123");
	sv_format_count(buf, 1234567, true);
	assert_string_equal(buf, "1,234,567");
	sv_format_count(buf, UINT64_MAX, true);
	assert_string_equal(buf, "18,446,744,073,709,551,615");
}

/* Ensure exact text read back gives the amount it was written from. */
static void test_amount_parse_round_trip(void **state)
{
	(void)state;
	static const char *const texts[] = {"0.00", "1.23456789", "-0.50", "97597.50",
					    "1000000000000000000000.00", "1000000000000000000000000.00"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char buf[SV_MONEY_TEXT_MAX];
		sv_format_amount_exact(buf, amount(texts[i]));
		assert_string_equal(buf, texts[i]);
	}
	assert_true(amount("1") == SV_AMOUNT_SCALE);
	assert_true(amount("1.") == SV_AMOUNT_SCALE);
	assert_true(amount("-0.00000001") == -1);
}

/* Ensure text that is not an exact decimal of at most 8 places is refused. */
static void test_amount_parse_refused(void **state)
{
	(void)state;
	sv_amount a = 7;
	static const char *const bad[] = {"", "-", ".", ".5", "+1", "1.123456789", "1e3", "1,000", "abc",
					  " 1", "999999999999999999999999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (sv_amount_parse(bad[i], strlen(bad[i]), &a))
			fail_msg("'%s' was accepted", bad[i]);
	assert_true(a == 7);
}


/* Ensure a measure's factor is the exact value rounded once to 12 places. */
static void test_factor_present_value(void **state)
{
	(void)state;
	int64_t f;
	const int64_t off[3] = {2000, 1000, 500};
	assert_true(sv_factor(10000, 10000, off, 3, 0, 350, 1, &f));
	assert_int_equal(f, 684000000000LL); /* 0.8 x 0.9 x 0.95 */
	assert_true(sv_factor(10000, 10000, NULL, 0, 2000, 350, 3, &f));
	assert_int_equal(f, 2370393708138LL); /* 1 + 0.8/1.035 + (0.8/1.035)^2 */
	assert_false(sv_factor(10000, 10000, NULL, 0, 0, 350, 51, &f));
	assert_false(sv_factor(0, 10000, NULL, 0, 0, 350, 1, &f));
}

/* Ensure gross times factors is summed exactly and rounded once. */
static void test_factored_pence(void **state)
{
	(void)state;
	/* 97597.50 and 1704.00 at 0.684: 66756.69 + 1165.536 = 67922.226 */
	const sv_amount gross[2] = {(sv_amount)9759750000000LL, (sv_amount)170400000000LL};
	const int64_t k[2] = {684000000000LL, 684000000000LL};
	sv_amount pence;
	assert_true(sv_factored_pence(gross, k, 2, &pence));
	assert_true(pence == 6792223);
}

/* Ensure rebasing is the exact ratio, rounded once to the penny. */
static void test_rebased_exact(void **state)
{
	(void)state;
	/* 97597.50 x 103.2388 / 91.2996 = 110360.2730... ; 1704 x 1.032388 = 1759.189... */
	const sv_amount gross[2] = {(sv_amount)9759750000000LL, (sv_amount)170400000000LL};
	const int64_t from[2] = {912996, 1000000};
	sv_uamount common = sv_lcm_used(gross, from, 2);
	assert_true(common == (sv_uamount)912996 * 250000);
	sv_amount pence;
	assert_true(sv_rebased_pence(gross, from, 2, 1032388, common, &pence));
	assert_true(pence == 11036027 + 175919);
}

/* Ensure a measure with nothing summed does not enter the common multiple:
 * a figure must not change when unrelated measures join the table. */
static void test_lcm_only_of_amounts_summed(void **state)
{
	(void)state;
	const sv_amount gross[4] = {(sv_amount)9759750000000LL, 0, 0, (sv_amount)170400000000LL};
	const int64_t from[4] = {912996, 703261, 730337, 1000000};
	assert_true(sv_lcm_used(gross, from, 4) == (sv_uamount)912996 * 250000);
	const sv_amount none[2] = {0, 0};
	assert_true(sv_lcm_used(none, from, 2) == 1);
	const int64_t bad[2] = {0, 1000000};
	assert_true(sv_lcm_used(gross, bad, 2) == 0);
	sv_amount pence;
	assert_true(sv_rebased_pence(gross, from, 4, 1032388, sv_lcm_used(gross, from, 4), &pence));
	assert_true(pence == 11036027 + 175919);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qty_valid_forms),
		cmocka_unit_test(test_qty_invalid_forms),
		cmocka_unit_test(test_round_half_away),
		cmocka_unit_test(test_factor_present_value),
		cmocka_unit_test(test_factored_pence),
		cmocka_unit_test(test_rebased_exact),
		cmocka_unit_test(test_lcm_only_of_amounts_summed),
		cmocka_unit_test(test_qty_thousands_grouping),
		cmocka_unit_test(test_qty_decimal_comma),
		cmocka_unit_test(test_qty_leading_zero_group),
		cmocka_unit_test(test_qty_pound_sign),
		cmocka_unit_test(test_qty_exponents),
		cmocka_unit_test(test_qty_signs),
		cmocka_unit_test(test_qty_four_decimals),
		cmocka_unit_test(test_qty_limit),
		cmocka_unit_test(test_qty_syntax),
		cmocka_unit_test(test_qty_length_bounded),
		cmocka_unit_test(test_qty_strerror),
		cmocka_unit_test(test_dec4_plain_trailing_zeros),
		cmocka_unit_test(test_dec4_plain_fifth_place),
		cmocka_unit_test(test_dec4_plain_forms),
		cmocka_unit_test(test_dec4_plain_max),
		cmocka_unit_test(test_dec4_from_double_exact),
		cmocka_unit_test(test_dec4_from_double_refused),
		cmocka_unit_test(test_mul_at_limits),
		cmocka_unit_test(test_add_many_max_products),
		cmocka_unit_test(test_add_overflow),
		cmocka_unit_test(test_round_boundaries),
		cmocka_unit_test(test_format_plain),
		cmocka_unit_test(test_format_pretty),
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_format_dec4),
		cmocka_unit_test(test_format_count),
		cmocka_unit_test(test_amount_parse_round_trip),
		cmocka_unit_test(test_amount_parse_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
