/*
 * test_money.c - exact quantities, products, sums and rounding.
 */
#include "test_util.h"

#include <math.h>

#include "sv_money.h"

static sv_qty qty(const char *s)
{
	sv_qty v = -1;
	assert_int_equal(sv_qty_parse(s, strlen(s), &v), SV_QTY_OK);
	return v;
}

static enum sv_qty_error qty_error(const char *s)
{
	sv_qty v = 0;
	return sv_qty_parse(s, strlen(s), &v);
}

/* A quantity given in 1/10^4 unit, as these tests wrote them before
 * quantities had 15 decimals. */
static sv_qty q4(int64_t v)
{
	return (sv_qty)v * (SV_QTY_SCALE / SV_DEC4_SCALE);
}

/* A proxy value (dec4) from its text. */
static int64_t value4(const char *s)
{
	int64_t v = -1;
	assert_true(sv_dec4_parse_plain(s, strlen(s), SV_VALUE_MAX, &v));
	return v;
}

/* quantity x value, which must fit. */
static sv_amount mul(sv_qty q, int64_t v)
{
	sv_amount a = 0;
	assert_true(sv_amount_mul(q, v, 1, &a));
	return a;
}

/* An amount from its exact decimal text, e.g. "1.23456789". */
static sv_amount amount(const char *s)
{
	sv_amount a = 0;
	assert_true(sv_amount_parse(s, strlen(s), 1, &a));
	return a;
}

/* Ensure every quantity form SPEC.md allows reads as the exact count of 1/10^15 unit. */
static void test_qty_valid_forms(void **state)
{
	(void)state;
	assert_true(qty("5") == q4(50000));
	assert_true(qty("5.") == q4(50000));
	assert_true(qty(".5") == q4(5000));
	assert_true(qty("37.5") == q4(375000));
	assert_true(qty("0.0001") == q4(1));
	assert_true(qty("0") == 0);
	assert_true(qty("\xC2\xA3" "12") == q4(120000));
	assert_true(qty("1,234,567.5") == q4(12345675000));
	assert_true(qty("1000000000000") == SV_QTY_MAX);
	assert_true(qty("0.533333333333333") == 533333333333333);
	assert_true(qty("1.000000000000001") == SV_QTY_SCALE + 1);
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
		{"1.2345678901234567", SV_QTY_DECIMALS}, {"1000000000000.0001", SV_QTY_TOO_LARGE},
		{"1000000000000.000000000000001", SV_QTY_TOO_LARGE},
		{".", SV_QTY_SYNTAX},        {"abc", SV_QTY_SYNTAX},
		{"1234,567", SV_QTY_GROUPING}, {",123", SV_QTY_GROUPING},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sv_qty v = 0;
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
	sv_format_pence_plain(buf, sv_amount_to_pence(mul(qty("1"), value4("0.005")), 1));
	assert_string_equal(buf, "0.01");
	sv_format_pence_plain(buf, sv_amount_to_pence(mul(qty("1"), value4("0.0049")), 1));
	assert_string_equal(buf, "0.00");
	sv_format_pence_plain(buf, sv_amount_to_pence(-mul(qty("1"), value4("0.005")), 1));
	assert_string_equal(buf, "-0.01");
	/* a half penny less one unit of the 19th place rounds down */
	sv_format_pence_plain(buf, sv_amount_to_pence(mul(qty("0.004999999999999"), value4("1")) +
						      mul(qty("0.000000000000001"), value4("0.9999")), 1));
	assert_string_equal(buf, "0.00");
}

/* Ensure thousands separators are accepted only in whole groups of three. */
static void test_qty_thousands_grouping(void **state)
{
	(void)state;
	assert_true(qty("1,234") == q4(12340000));
	assert_true(qty("12,345") == q4(123450000));
	assert_true(qty("123,456.0001") == q4(1234560001));
	assert_true(qty("1,000,000,000,000") == SV_QTY_MAX);
	assert_true(qty("1,234.000000000000001") == q4(12340000) + 1);
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
	assert_true(qty("\xC2\xA3" "1,234.5") == q4(12345000));
	assert_true(qty("\xC2\xA3" ".5") == q4(5000));
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

/* Ensure up to 15 decimal places read exactly, and more are refused,
 * trailing zeros included. */
static void test_qty_fifteen_decimals(void **state)
{
	(void)state;
	assert_true(qty("1.2345") == q4(12345));
	assert_true(qty("0.9999") == q4(9999));
	assert_true(qty("0.00001") == 10000000000);
	assert_true(qty("1.23450") == q4(12345));
	assert_true(qty("0.000000000000001") == 1);
	assert_true(qty("0.999999999999999") == SV_QTY_SCALE - 1);
	assert_true(qty("1.100000000000000") == q4(11000));
	assert_true(qty("999999999999.999999999999999") == SV_QTY_MAX - 1);
	assert_int_equal(qty_error("0.0000000000000001"), SV_QTY_DECIMALS);
	assert_int_equal(qty_error("0.5333333333333333"), SV_QTY_DECIMALS);
	assert_int_equal(qty_error("1.0000000000000000"), SV_QTY_DECIMALS);
	assert_int_equal(qty_error("1,234.5678901234567890"), SV_QTY_DECIMALS);
}

/* Ensure the quantity grammar with fewer places (pounds, 4) refuses a fifth. */
static void test_grouped_decimal_places(void **state)
{
	(void)state;
	sv_qty v = 0;
	assert_int_equal(sv_grouped_decimal_parse("\xC2\xA3" "41,250.75", 11, 4, &v), SV_QTY_OK);
	assert_true(v == 412507500);
	assert_int_equal(sv_grouped_decimal_parse("1000000000000", 13, 4, &v), SV_QTY_OK);
	assert_true(v == (sv_qty)1000000000000 * SV_DEC4_SCALE);
	assert_int_equal(sv_grouped_decimal_parse("1.23456", 7, 4, &v), SV_QTY_DECIMALS);
	assert_int_equal(sv_grouped_decimal_parse("1.23450", 7, 4, &v), SV_QTY_DECIMALS);
	assert_int_equal(sv_grouped_decimal_parse("1000000000000.0001", 18, 4, &v), SV_QTY_TOO_LARGE);
}

/* Ensure the 10^12 unit limit is inclusive and anything larger is refused, however long. */
static void test_qty_limit(void **state)
{
	(void)state;
	assert_true(qty("1000000000000.0000") == SV_QTY_MAX);
	assert_true(qty("1000000000000.000000000000000") == SV_QTY_MAX);
	assert_true(qty("999999999999.9999") == SV_QTY_MAX - q4(1));
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
	sv_qty v = 0;
	assert_int_equal(sv_qty_parse("12345", 2, &v), SV_QTY_OK);
	assert_true(v == q4(120000));
}

/* Ensure each quantity error has the phrase messages use. */
static void test_qty_strerror(void **state)
{
	(void)state;
	assert_string_equal(sv_qty_strerror(SV_QTY_EMPTY), "is empty");
	assert_string_equal(sv_qty_strerror(SV_QTY_NEGATIVE), "is negative");
	assert_string_equal(sv_qty_strerror(SV_QTY_DECIMALS), "has more than 15 decimal places");
	assert_string_equal(sv_qty_strerror(SV_QTY_TOO_LARGE), "is more than 1,000,000,000,000");
	assert_string_equal(sv_qty_strerror(SV_QTY_DECIMAL_COMMA),
			    "has a decimal comma (use a point: 1.5)");
	assert_string_equal(sv_qty_strerror(SV_QTY_SYNTAX),
			    "is not a number (expected digits with up to 15 decimals, e.g. 37.5)");
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
/* Ensure a product exact to the 19th place: a spreadsheet's 1/15 of 8 FTE
 * at GBP 39,039 (SPEC's example), and 1 + 10^-15 hours at GBP 17.04. */
static void test_mul_fifteen_decimals(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_amount_exact(buf, mul(qty("0.533333333333333"), value4("39039")), 1);
	assert_string_equal(buf, "20820.799999999986987");
	sv_format_pence_plain(buf, sv_amount_to_pence(mul(qty("0.533333333333333"), value4("39039")), 1));
	assert_string_equal(buf, "20820.80");
	sv_format_amount_exact(buf, mul(qty("1.000000000000001"), value4("17.04")), 1);
	assert_string_equal(buf, "17.04000000000001704");
	sv_format_amount_exact(buf, mul(qty("0.000000000000001"), value4("0.0001")), 1);
	assert_string_equal(buf, "0.0000000000000000001");
	sv_format_amount_exact(buf, mul(qty("0.999999999999999"), value4("999999999.9999")), 1);
	assert_string_equal(buf, "999999999.9998990000000000001");
}

/* Ensure the products that fit are exact up to the top of 128 bits, and a
 * larger one (SPEC's largest: 10^12 units x GBP 10^9) is refused, never
 * wrapped. */
static void test_mul_overflow(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	sv_amount a = 7;
	/* (2^127 - 1) / 10^19 pounds is 17014118346046923173.1687303715884105727 */
	sv_format_amount_exact(buf, mul(qty("17014118346.04692317316873"), SV_VALUE_MAX), 1);
	assert_string_equal(buf, "17014118346046923173.16873");
	assert_false(sv_amount_mul(qty("17014118346.046923173168731"), SV_VALUE_MAX, 1, &a));
	assert_false(sv_amount_mul(SV_QTY_MAX, SV_VALUE_MAX, 1, &a));
	assert_false(sv_amount_mul(SV_QTY_MAX, value4("170141183.4605"), 1, &a));
	assert_true(a == 7);
	sv_format_amount_exact(buf, mul(SV_QTY_MAX, value4("17014118.3460")), 1);
	assert_string_equal(buf, "17014118346000000000.00");
	sv_format_amount_exact(buf, mul(SV_QTY_MAX, value4("39039")), 1);
	assert_string_equal(buf, "39039000000000000.00");
	sv_format_amount_exact(buf, mul(1, 1), 1);
	assert_string_equal(buf, "0.0000000000000000001");
	sv_format_amount_exact(buf, mul(qty("2.5"), value4("39039")), 1);
	assert_string_equal(buf, "97597.50");
}

/* Ensure quantities at the edges of the 64-bit fast parse read as the full
 * grammar reads them. */
static void test_qty_plain_edges(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum sv_qty_error e;
		int64_t whole;  /* units */
		int64_t part;   /* 10^-15 units */
	} cases[] = {
		{"999999999999", SV_QTY_OK, 999999999999, 0},
		{"1000000000000", SV_QTY_OK, 1000000000000, 0},
		{"1000000000000.000000000000001", SV_QTY_TOO_LARGE, 0, 0},
		{"123456789012.1234567", SV_QTY_OK, 123456789012, 123456700000000},
		{"1.000000000000001", SV_QTY_OK, 1, 1},
		{"1.0000000000000000", SV_QTY_DECIMALS, 0, 0},
		{"5.", SV_QTY_OK, 5, 0},
		{"007", SV_QTY_OK, 7, 0},
		{"0.5", SV_QTY_OK, 0, 500000000000000},
		{".5", SV_QTY_OK, 0, 500000000000000},
		{"5.5.5", SV_QTY_SYNTAX, 0, 0},
		/* 12 integer digits on the fast path, 13 on the full grammar */
		{"999999999999.5", SV_QTY_OK, 999999999999, 500000000000000},
		{"9999999999999", SV_QTY_TOO_LARGE, 0, 0},
		{"0000000000001", SV_QTY_OK, 1, 0},
		{"0000000000000.25", SV_QTY_OK, 0, 250000000000000},
		/* 19 digits in all on the fast path, 20 on the full grammar: the
		 * same value either way */
		{"1234567890.123456789", SV_QTY_OK, 1234567890, 123456789000000},
		{"1234567890.1234567890", SV_QTY_OK, 1234567890, 123456789000000},
		{"999999999999.9999999", SV_QTY_OK, 999999999999, 999999900000000},
		{"999999999999.99999999", SV_QTY_OK, 999999999999, 999999990000000},
		{"00000000000000000001", SV_QTY_OK, 1, 0},
		{"0.000000000000001", SV_QTY_OK, 0, 1},
		/* 8 bytes and 9 */
		{"12345678", SV_QTY_OK, 12345678, 0},
		{"1234567.8", SV_QTY_OK, 1234567, 800000000000000},
		{"12345.678", SV_QTY_OK, 12345, 678000000000000},
		{"", SV_QTY_EMPTY, 0, 0},
		{".", SV_QTY_SYNTAX, 0, 0},
		{"1.5.", SV_QTY_SYNTAX, 0, 0},
		{"1..5", SV_QTY_SYNTAX, 0, 0},
		{"1.5/", SV_QTY_SYNTAX, 0, 0},
		{"1.5:", SV_QTY_SYNTAX, 0, 0},
		{"-1.5", SV_QTY_NEGATIVE, 0, 0},
		{"+1.5", SV_QTY_SIGN, 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sv_qty q = -1;
		enum sv_qty_error e = sv_qty_parse(cases[i].text, strlen(cases[i].text), &q);
		if (e != cases[i].e)
			print_error("%s: error %d, want %d\n", cases[i].text, (int)e, (int)cases[i].e);
		assert_int_equal(e, cases[i].e);
		if (e == SV_QTY_OK)
			assert_true(q == (sv_qty)cases[i].whole * SV_QTY_SCALE + cases[i].part);
	}
}

/* Digits for a generated quantity: all nines, a one and zeros, zeros and
 * a one, or pseudo-random (seeded by the caller). */
static void fill_digits(char *out, size_t n, unsigned pattern, unsigned seed)
{
	for (size_t k = 0; k < n; k++) {
		seed = seed * 1103515245u + 12345u;
		switch (pattern) {
		case 0: out[k] = '9'; break;
		case 1: out[k] = k == 0 ? '1' : '0'; break;
		case 2: out[k] = k + 1 == n ? '1' : '0'; break;
		default: out[k] = (char)('0' + (seed >> 16) % 10); break;
		}
	}
	out[n] = '\0';
}

/* What the grammar makes of the integer digits ip and fraction digits fp
 * with `places` decimals: true and the value, or false for a refusal. */
static bool model_qty(const char *ip, const char *fp, unsigned places, sv_qty *want)
{
	size_t i = strlen(ip), f = strlen(fp);
	if (i + f == 0 || f > places)
		return false;
	sv_qty whole = 0, part = 0, scale = 1;
	for (size_t k = 0; k < i; k++) {
		whole = whole * 10 + (ip[k] - '0');
		if (whole > (sv_qty)10000000000000LL)
			return false; /* past 10^12 whatever follows */
	}
	for (size_t k = 0; k < places; k++)
		part = part * 10 + (k < f ? fp[k] - '0' : 0), scale *= 10;
	*want = whole * scale + part;
	return *want <= (sv_qty)1000000000000LL * scale;
}

enum expect { EXPECT_ANY, EXPECT_REFUSED, EXPECT_OK };

/* One text through the fast path and through the full grammar, which a
 * leading '£' forces (the fast path takes no '£'): both accept it with
 * the same value or both refuse it, for the same reason unless the text
 * is empty or has a '+' (a sign only a bare number is refused for).  Where the
 * model knows the answer, that too.  parser 0: sv_qty_parse, 1 and 2:
 * sv_grouped_decimal_parse with 15 and 4 places. */
static void compare_paths(const char *text, int parser, enum expect expect, sv_qty want)
{
	char pounded[80] = "\xC2\xA3";
	size_t n = strlen(text);
	assert_true(n + 3 <= sizeof pounded);
	memcpy(pounded + 2, text, n + 1);
	unsigned places = parser == 2 ? 4 : SV_QTY_PLACES;
	sv_qty fast = -1, full = -2;
	enum sv_qty_error ef, eg;
	if (parser == 0) {
		ef = sv_qty_parse(text, n, &fast);
		eg = sv_qty_parse(pounded, n + 2, &full);
	} else {
		ef = sv_grouped_decimal_parse(text, n, places, &fast);
		eg = sv_grouped_decimal_parse(pounded, n + 2, places, &full);
	}
	bool same = (ef == SV_QTY_OK) == (eg == SV_QTY_OK) && (ef != SV_QTY_OK || fast == full) &&
		    (ef == SV_QTY_OK || ef == eg || strchr(text, '+') || n == 0);
	bool as_model = expect == EXPECT_ANY || (expect == EXPECT_OK ? ef == SV_QTY_OK && fast == want : ef != SV_QTY_OK);
	if (!same || !as_model)
		fail_msg("'%s' (parser %d): %d, with a pound sign %d, expected %d", text, parser, (int)ef, (int)eg,
			 (int)expect);
}

/* The model's expectation for integer digits ip, fraction fp. */
static enum expect model_expect(const char *ip, const char *fp, int parser, sv_qty *want)
{
	return model_qty(ip, fp, parser == 2 ? 4 : SV_QTY_PLACES, want) ? EXPECT_OK : EXPECT_REFUSED;
}

/* ip with a comma before every third digit from the right. */
static void group_digits(char *out, const char *ip)
{
	size_t i = strlen(ip), o = 0;
	for (size_t k = 0; k < i; k++) {
		if (k && (i - k) % 3 == 0)
			out[o++] = ',';
		out[o++] = ip[k];
	}
	out[o] = '\0';
}

/* Ways to write a number with integer digits ip and fraction fp: before,
 * ip, point, fp, after.  by_model: the model says what the parse does;
 * otherwise expect does. */
static const struct variant {
	const char *before, *point, *after;
	bool by_model;
	enum expect expect;
} variants[] = {
	{"", ".", "", true, EXPECT_ANY},
	{"", ".", ".", false, EXPECT_REFUSED},
	{"", "..", "", false, EXPECT_REFUSED},
	{".", ".", "", false, EXPECT_REFUSED},
	{"-", ".", "", false, EXPECT_REFUSED},
	{"+", ".", "", false, EXPECT_REFUSED},
	{"", ",", "", false, EXPECT_ANY},
};

/* Ensure the fast parse accepts exactly what the full grammar accepts, with
 * the same value, on every length of digits from 0 to 22 with 0 to 17
 * decimals (12 and 13 integer digits, 19 and 20 in all among them), each
 * also with a trailing, doubled or leading second point, a sign, thousands
 * separators and a decimal comma, at 15 and 4 places. */
static void test_qty_fast_path_differential(void **state)
{
	(void)state;
	char ip[24], fp[24], grouped[40], text[64];
	unsigned long compared = 0;
	for (size_t total = 0; total <= 22; total++) {
		for (size_t f = 0; f <= total && f <= 17; f++) {
			for (unsigned pi = 0; pi < 4; pi++) {
				for (unsigned pf = 0; pf < 4; pf++) {
					fill_digits(ip, total - f, pi, (unsigned)(total * 31 + f));
					fill_digits(fp, f, pf, (unsigned)(total * 17 + f * 5 + 1));
					for (int parser = 0; parser < 3; parser++) {
						sv_qty want = 0;
						enum expect e = model_expect(ip, fp, parser, &want);
						if (f == 0) {
							compare_paths(ip, parser, model_expect(ip, "", parser, &want), want);
							compared++;
						}
						for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
							const struct variant *w = &variants[v];
							snprintf(text, sizeof text, "%s%s%s%s%s", w->before, ip, w->point, fp,
								 w->after);
							compare_paths(text, parser, w->by_model ? e : w->expect,
								      w->by_model ? want : 0);
							compared++;
						}
						if (strlen(ip) >= 4) {
							/* "0,500" is never five hundred */
							group_digits(grouped, ip);
							snprintf(text, sizeof text, "%s.%s", grouped, fp);
							compare_paths(text, parser, ip[0] == '0' ? EXPECT_REFUSED : e, want);
							compared++;
						}
					}
				}
			}
		}
	}
	assert_int_equal(compared, 97872);
}

/* Ensure the product of a quantity below 2^64 and a value not negative
 * (taken with one 64-bit multiplication) equals the checked product around
 * 2^64 and at the largest factors, and that larger ones are still checked. */
static void test_mul_unit_plain_product(void **state)
{
	(void)state;
	const sv_qty two64 = (sv_qty)1 << 64;
	static const int64_t values[] = {0, 1, 411117800, SV_VALUE_MAX, INT64_MAX, -1, INT64_MIN};
	const sv_qty qtys[] = {0, 1, (sv_qty)1 << 63, two64 - 1, two64, two64 + 1, two64 * 2, SV_QTY_MAX};
	for (size_t q = 0; q < sizeof qtys / sizeof qtys[0]; q++) {
		for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
			sv_amount got = 7, want;
			bool ok = !__builtin_mul_overflow(qtys[q], (sv_amount)values[v], &want);
			assert_int_equal(sv_amount_mul_unit(qtys[q], values[v], 1, 1, 1, &got), ok);
			assert_true(ok ? got == want : got == 7);
		}
	}
	/* (2^64 - 1)(2^63 - 1), the largest product without a check */
	sv_amount a = 0;
	const sv_uamount one = 1;
	assert_true(sv_amount_mul_unit(two64 - 1, INT64_MAX, 1, 1, 1, &a));
	assert_true(a == (sv_amount)((one << 127) - (one << 64) - (one << 63) + 1));
	assert_false(sv_amount_mul_unit(two64 * 2, INT64_MAX, 1, 1, 1, &a));
	/* 1,250.5 hours at GBP 17.04 */
	assert_true(sv_amount_mul_unit(qty("1250.5"), value4("17.04"), 1, 1, 1, &a));
	assert_true(a == (sv_amount)2130852 * 100000000000000000); /* GBP 21,308.52 in 10^-19 */
	/* a table with conversions: every amount counts 1/39000 of its unit */
	assert_true(sv_amount_mul_unit(qty("2"), value4("3"), 1, 1, 39000, &a));
	assert_true(a == (sv_amount)60000 * SV_QTY_SCALE * 39000);
	assert_false(sv_amount_mul_unit(qty("2"), value4("3"), 0, 1, 39000, &a));
}

/* Ensure the one-multiplication product also holds in a table with a unit
 * lcm and for a whole-unit multiple (den 1): value x num x lcm in 63 bits
 * takes it, anything larger takes the checked product, and both equal
 * the product checked step by step, at 2^63 x lcm and around it. */
static void test_mul_unit_plain_product_lcm(void **state)
{
	(void)state;
	const sv_qty two64 = (sv_qty)1 << 64;
	const int64_t at_edge = INT64_MAX / 39000;
	const int64_t values[] = {0, 1, 411117800, SV_VALUE_MAX, at_edge, at_edge + 1, INT64_MAX, -1};
	const sv_qty qtys[] = {0, 1, SV_QTY_SCALE, two64 - 1, two64, SV_QTY_MAX};
	const int64_t lcms[] = {1, 12, 39000, (int64_t)1 << 40, INT64_MAX};
	const int64_t nums[] = {1, 5};
	size_t compared = 0;
	for (size_t l = 0; l < sizeof lcms / sizeof lcms[0]; l++)
		for (size_t n = 0; n < sizeof nums / sizeof nums[0]; n++)
			for (size_t q = 0; q < sizeof qtys / sizeof qtys[0]; q++)
				for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
					sv_amount got = 7, want;
					bool ok = !__builtin_mul_overflow(qtys[q], (sv_amount)values[v], &want) &&
						  !__builtin_mul_overflow(want, (sv_amount)nums[n], &want) &&
						  !__builtin_mul_overflow(want, (sv_amount)lcms[l], &want);
					assert_int_equal(sv_amount_mul_unit(qtys[q], values[v], nums[n], 1, lcms[l], &got), ok);
					assert_true(ok ? got == want : got == 7);
					compared++;
				}
	assert_int_equal(compared, 480);
	/* 875.62 FTE-years at the built-in NT1 value, counted in 1/39000 */
	sv_amount a = 0;
	assert_true(sv_amount_mul_unit(qty("875.62"), value4("39039"), 1, 1, 39000, &a));
	assert_true(a == (sv_amount)3418332918 * 100000000000000000 * 39000); /* GBP 34,183,329.18 */
}

/* Ensure the product the unchecked fast path takes (factors short enough
 * never to overflow) equals the checked product around that boundary, and
 * that a product past 2^127 is still refused. */
static void test_mul_unit_fast_path_boundary(void **state)
{
	(void)state;
	static const int64_t values[] = {1, 7, 411117800, -1, -250000, INT32_MAX, (int64_t)1 << 40, -((int64_t)1 << 40)};
	static const int64_t lcms[] = {1, 39000};
	for (size_t l = 0; l < 2; l++) {
		for (unsigned k = 0; k < 120; k++) {
			for (int delta = -1; delta <= 1; delta++) {
				sv_qty q = ((sv_qty)1 << k) + delta;
				if (q < 0)
					continue;
				for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
					sv_amount got = 0, want;
					bool ok = !__builtin_mul_overflow(q, (sv_amount)values[v], &want) &&
						  !__builtin_mul_overflow(want, (sv_amount)(lcms[l] / 12 * 5), &want);
					bool have = sv_amount_mul_unit(q, values[v], 5, lcms[l] == 1 ? 1 : 12, lcms[l], &got);
					if (lcms[l] == 1) {
						ok = !__builtin_mul_overflow(q, (sv_amount)values[v], &want) &&
						     !__builtin_mul_overflow(want, (sv_amount)5, &want);
					}
					assert_int_equal(have, ok);
					if (ok)
						assert_true(got == want);
				}
			}
		}
	}
}

/* Ensure sums up to the top of the arithmetic stay exact, and one more
 * product past it is refused. */
static void test_add_many_large_products(void **state)
{
	(void)state;
	char buf[SV_MONEY_TEXT_MAX];
	/* 10^7 units at GBP 10^9: GBP 10^16 each */
	sv_amount acc = 0, big = mul(qty("10000000"), SV_VALUE_MAX);
	for (int i = 0; i < 1701; i++)
		assert_true(sv_amount_add(&acc, big));
	assert_true(sv_amount_add(&acc, mul(qty("0.999999999999999"), value4("999999999.9999"))));
	sv_format_amount_exact(buf, acc, 1);
	assert_string_equal(buf, "17010000000999999999.9998990000000000001");
	sv_amount before = acc;
	assert_false(sv_amount_add(&acc, big));
	assert_true(acc == before);
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
	assert_true(sv_amount_to_pence(amount("0.00499999"), 1) == 0);
	assert_true(sv_amount_to_pence(amount("0.005"), 1) == 1);
	assert_true(sv_amount_to_pence(amount("-0.00499999"), 1) == 0);
	assert_true(sv_amount_to_pence(amount("-0.005"), 1) == -1);
	assert_true(sv_amount_to_pence(amount("1.015"), 1) == 102);
	assert_true(sv_amount_to_pence(amount("-1.015"), 1) == -102);
	assert_true(sv_amount_to_pence(amount("2.02499999"), 1) == 202);
	assert_true(sv_amount_to_pence(amount("0"), 1) == 0);
	assert_true(sv_amount_to_pence(amount("0.0049999999999999999"), 1) == 0);
	assert_true(sv_amount_to_pence(amount("-0.0049999999999999999"), 1) == 0);
	assert_true(sv_amount_to_pence(amount("0.0050000000000000000"), 1) == 1);
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
	const sv_amount e8 = SV_AMOUNT_SCALE / 100000000; /* 10^-8 pound */
	sv_format_amount_exact(buf, 123456789 * e8, 1);
	assert_string_equal(buf, "1.23456789");
	sv_format_amount_exact(buf, 150000000 * e8, 1);
	assert_string_equal(buf, "1.50");
	sv_format_amount_exact(buf, 123400000 * e8, 1);
	assert_string_equal(buf, "1.234");
	sv_format_amount_exact(buf, 0, 1);
	assert_string_equal(buf, "0.00");
	sv_format_amount_exact(buf, -50000000 * e8, 1);
	assert_string_equal(buf, "-0.50");
	sv_format_amount_exact(buf, (sv_amount)1234567 * SV_AMOUNT_SCALE, 1);
	assert_string_equal(buf, "1234567.00");
	sv_format_amount_exact(buf, 1, 1);
	assert_string_equal(buf, "0.0000000000000000001");
	sv_format_amount_exact(buf, -SV_AMOUNT_SCALE - 10, 1);
	assert_string_equal(buf, "-1.000000000000000001");
	sv_format_amount_exact(buf, (sv_amount)(((sv_uamount)1 << 127) - 1), 1);
	assert_string_equal(buf, "17014118346046923173.1687303715884105727");
}

/* Ensure dec4 values and quantities print with at least two decimals, or as few as needed. */
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
	sv_format_qty(buf, qty("37.5"));
	assert_string_equal(buf, "37.5");
	sv_format_qty(buf, qty("5"));
	assert_string_equal(buf, "5");
	sv_format_qty(buf, 0);
	assert_string_equal(buf, "0");
	sv_format_qty(buf, qty("0.533333333333333"));
	assert_string_equal(buf, "0.533333333333333");
	sv_format_qty(buf, SV_QTY_MAX - 1);
	assert_string_equal(buf, "999999999999.999999999999999");
	sv_format_qty(buf, SV_QTY_MAX * 1000); /* a sum of quantities may pass 10^12 */
	assert_string_equal(buf, "1000000000000000");
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
	static const char *const texts[] = {"0.00", "1.23456789", "-0.50", "97597.50", "20820.799999999986987",
					    "0.0000000000000000001", "17010000000999999999.9998990000000000001",
					    "17014118346046923173.1687303715884105727",
					    "-17014118346046923173.1687303715884105727"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char buf[SV_MONEY_TEXT_MAX];
		sv_format_amount_exact(buf, amount(texts[i]), 1);
		assert_string_equal(buf, texts[i]);
	}
	assert_true(amount("1") == SV_AMOUNT_SCALE);
	assert_true(amount("1.") == SV_AMOUNT_SCALE);
	assert_true(amount("-0.0000000000000000001") == -1);
}

/* Ensure merge reads results of both kinds: written when amounts had 8
 * decimals, and with the 19 a 15-decimal quantity gives. */
static void test_amount_parse_8_and_19_decimals(void **state)
{
	(void)state;
	/* as an earlier sv-calc wrote them: at most 8 decimals */
	assert_true(amount("-0.00000001") == -SV_AMOUNT_SCALE / 100000000);
	assert_true(amount("1.23456789") == (sv_amount)123456789 * (SV_AMOUNT_SCALE / 100000000));
	assert_true(amount("999999999.99999999") == (sv_amount)99999999999999999 * (SV_AMOUNT_SCALE / 100000000));
	/* past 1.7 x 10^19 pounds an old result no longer fits: refused, not wrapped */
	sv_amount a = 7;
	assert_false(sv_amount_parse("1000000999999999999899900000.00000001", 37, 1, &a));
	assert_true(a == 7);
	/* with 19: the exact value of 0.533333333333333 FTE at GBP 39,039 */
	assert_true(amount("20820.799999999986987") == mul(qty("0.533333333333333"), value4("39039")));
	assert_true(amount("0.1234567890123456789") == (sv_amount)1234567890123456789);
	assert_true(amount("17.04000000000001704") == mul(qty("1.000000000000001"), value4("17.04")));
}

/* Ensure text that is not an exact decimal of at most 19 places, or that
 * does not fit, is refused. */
static void test_amount_parse_refused(void **state)
{
	(void)state;
	sv_amount a = 7;
	static const char *const bad[] = {"", "-", ".", ".5", "+1", "1.12345678901234567891", "1e3", "1,000", "abc",
					  " 1", "17014118346046923173.1687303715884105728",
					  "17014118346046923174", "999999999999999999999999999999999999999",
					  "1000000000000000000000.00"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (sv_amount_parse(bad[i], strlen(bad[i]), 1, &a))
			fail_msg("'%s' was accepted", bad[i]);
	assert_true(a == 7);
}

/* Ensure percentages of amounts past 1.7 x 10^16 pounds, whose x 1000 does
 * not fit in 128 bits, are still exact and rounded half away from zero. */
static void test_percent_large_amounts(void **state)
{
	(void)state;
	sv_amount tenths = 0;
	/* 15 / 16 = 93.75% */
	assert_true(sv_percent_tenths(amount("15000000000000000000"), amount("16000000000000000000"), &tenths));
	assert_true(tenths == 938);
	assert_true(sv_percent_tenths(-amount("15000000000000000000"), amount("16000000000000000000"), &tenths));
	assert_true(tenths == -938);
	assert_true(sv_percent_tenths(amount("99301.50"), amount("2000000"), &tenths));
	assert_true(tenths == 50); /* 4.96% */
	assert_true(sv_percent_tenths(amount("1"), amount("0.0000000000000000001"), &tenths));
	assert_true(tenths == (sv_amount)1000 * SV_AMOUNT_SCALE);
	assert_false(sv_percent_tenths(amount("17014118346046923173"), amount("0.0000000000000000001"), &tenths));
	assert_false(sv_percent_tenths(amount("1"), 0, &tenths));
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
	const sv_amount gross[2] = {amount("97597.50"), amount("1704.00")};
	const int64_t k[2] = {684000000000LL, 684000000000LL};
	sv_amount pence;
	assert_true(sv_factored_pence(gross, k, 2, 1, &pence));
	assert_true(pence == 6792223);
	/* the largest amount at a factor of 1 and of 0.5, to the penny */
	const sv_amount top[1] = {(sv_amount)(((sv_uamount)1 << 127) - 1)};
	const int64_t one[1] = {SV_FACTOR_SCALE}, half[1] = {SV_FACTOR_SCALE / 2};
	assert_true(sv_factored_pence(top, one, 1, 1, &pence));
	assert_true(pence == sv_amount_to_pence(top[0], 1));
	assert_true(sv_factored_pence(top, half, 1, 1, &pence));
	assert_true(pence == amount("8507059173023461586.58") / (SV_AMOUNT_SCALE / 100)); /* ...586.5843... */
}

/* Ensure rebasing is the exact ratio, rounded once to the penny. */
static void test_rebased_exact(void **state)
{
	(void)state;
	/* 97597.50 x 103.2388 / 91.2996 = 110360.2730... ; 1704 x 1.032388 = 1759.189... */
	const sv_amount gross[2] = {amount("97597.50"), amount("1704.00")};
	const int64_t from[2] = {912996, 1000000};
	sv_uamount common = sv_lcm_used(gross, from, 2);
	assert_true(common == (sv_uamount)912996 * 250000);
	sv_amount pence;
	assert_true(sv_rebased_pence(gross, from, 2, 1032388, common, 1, &pence));
	assert_true(pence == 11036027 + 175919);
}

/* Ensure a measure with nothing summed does not enter the common multiple:
 * a figure must not change when unrelated measures join the table. */
static void test_lcm_only_of_amounts_summed(void **state)
{
	(void)state;
	const sv_amount gross[4] = {amount("97597.50"), 0, 0, amount("1704.00")};
	const int64_t from[4] = {912996, 703261, 730337, 1000000};
	assert_true(sv_lcm_used(gross, from, 4) == (sv_uamount)912996 * 250000);
	const sv_amount none[2] = {0, 0};
	assert_true(sv_lcm_used(none, from, 2) == 1);
	const int64_t bad[2] = {0, 1000000};
	assert_true(sv_lcm_used(gross, bad, 2) == 0);
	sv_amount pence;
	assert_true(sv_rebased_pence(gross, from, 4, 1032388, sv_lcm_used(gross, from, 4), 1, &pence));
	assert_true(pence == 11036027 + 175919);
}

/* Ensure rebasing stays exact when the common multiple times the 10^17
 * amount units of a penny is past 128 bits (four price years: 1.2 x 10^23). */
static void test_rebased_large_common(void **state)
{
	(void)state;
	const sv_amount gross[4] = {amount("97597.50"), amount("1704"), amount("20820.799999999986987"),
				    amount("12.3456789")};
	const int64_t from[4] = {912996, 703261, 730337, 1000000};
	sv_uamount common = sv_lcm_used(gross, from, 4);
	assert_true(common == (sv_uamount)117232687366906293ULL * 1000000);
	sv_amount pence;
	/* Σ gross x 103.2388 / from, by python's Fraction: 142306.3084... */
	assert_true(sv_rebased_pence(gross, from, 4, 1032388, common, 1, &pence));
	assert_true(pence == 14230631);
}

/* A table that converts units: amounts count 1/(10^19 x 39000) pound, and
 * 1 FTE-month of 41111.78 a year is exact, rounds to 3425.98 and prints as
 * the fraction no decimal holds. */
static void test_unit_lcm_exact(void **state)
{
	(void)state;
	const int64_t lcm = 39000;
	sv_amount month, year, sum = 0;
	assert_true(sv_amount_mul_unit(SV_QTY_SCALE, 411117800, 1, 12, lcm, &month));
	assert_true(sv_amount_mul(12 * SV_QTY_SCALE, 411117800, lcm, &year));
	assert_true(sv_amount_mul(SV_QTY_SCALE, 411117800, lcm, &year));
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_amount_exact(buf, month, lcm);
	assert_string_equal(buf, "2055589/600");
	sv_format_pence_plain(buf, sv_amount_to_pence(month, lcm));
	assert_string_equal(buf, "3425.98");
	for (int i = 0; i < 12; i++)
		assert_true(sv_amount_add(&sum, month));
	assert_true(sum == year);
	sv_format_amount_exact(buf, sum, lcm);
	assert_string_equal(buf, "41111.78");
	/* both forms read back to the same amount */
	sv_amount back;
	assert_true(sv_amount_parse("2055589/600", 11, lcm, &back));
	assert_true(back == month);
	assert_true(sv_amount_parse("41111.78", 8, lcm, &back));
	assert_true(back == year);
	/* a denominator that does not divide the amount unit's is no amount */
	assert_false(sv_amount_parse("1/7", 3, lcm, &back));
	assert_false(sv_amount_parse("1/", 2, lcm, &back));
	assert_false(sv_amount_parse("/3", 2, lcm, &back));
	assert_false(sv_amount_mul_unit(SV_QTY_SCALE, 10000, 1, 7, lcm, &back));
	/* pounds with 4 decimals follow the unit lcm too */
	assert_true(sv_amount_from_dec4(12345, lcm, &back));
	sv_format_amount_exact(buf, back, lcm);
	assert_string_equal(buf, "1.2345");
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
		cmocka_unit_test(test_rebased_large_common),
		cmocka_unit_test(test_qty_thousands_grouping),
		cmocka_unit_test(test_qty_decimal_comma),
		cmocka_unit_test(test_qty_leading_zero_group),
		cmocka_unit_test(test_qty_pound_sign),
		cmocka_unit_test(test_qty_exponents),
		cmocka_unit_test(test_qty_signs),
		cmocka_unit_test(test_qty_fifteen_decimals),
		cmocka_unit_test(test_grouped_decimal_places),
		cmocka_unit_test(test_qty_limit),
		cmocka_unit_test(test_qty_syntax),
		cmocka_unit_test(test_qty_length_bounded),
		cmocka_unit_test(test_qty_strerror),
		cmocka_unit_test(test_dec4_plain_trailing_zeros),
		cmocka_unit_test(test_dec4_plain_fifth_place),
		cmocka_unit_test(test_dec4_plain_forms),
		cmocka_unit_test(test_dec4_plain_max),
		cmocka_unit_test(test_mul_fifteen_decimals),
		cmocka_unit_test(test_mul_overflow),
		cmocka_unit_test(test_mul_unit_fast_path_boundary),
		cmocka_unit_test(test_qty_plain_edges),
		cmocka_unit_test(test_qty_fast_path_differential),
		cmocka_unit_test(test_mul_unit_plain_product),
		cmocka_unit_test(test_mul_unit_plain_product_lcm),
		cmocka_unit_test(test_add_many_large_products),
		cmocka_unit_test(test_add_overflow),
		cmocka_unit_test(test_round_boundaries),
		cmocka_unit_test(test_format_plain),
		cmocka_unit_test(test_format_pretty),
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_format_dec4),
		cmocka_unit_test(test_format_count),
		cmocka_unit_test(test_amount_parse_round_trip),
		cmocka_unit_test(test_amount_parse_8_and_19_decimals),
		cmocka_unit_test(test_amount_parse_refused),
		cmocka_unit_test(test_percent_large_amounts),
		cmocka_unit_test(test_unit_lcm_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
