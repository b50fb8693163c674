/*
 * test_money.c - exact quantities, products, sums and rounding.
 */
#include "test_util.h"

#include "sv_money.h"

static int64_t qty(const char *s)
{
	int64_t v = -1;
	assert_int_equal(sv_qty_parse(s, strlen(s), &v), SV_QTY_OK);
	return v;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qty_valid_forms),
		cmocka_unit_test(test_qty_invalid_forms),
		cmocka_unit_test(test_round_half_away),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
