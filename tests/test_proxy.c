/*
 * test_proxy.c - loading, validating and looking up the proxy table.
 *
 * Tables are written with single quotes for readability; load() turns them
 * into double quotes before parsing.
 */
#include "test_util.h"

#include <ctype.h>
#include <limits.h>
#include <unistd.h>

#include "sv_builtin.h"
#include "sv_format.h"
#include "sv_jsontext.h"
#include "sv_proxy.h"
#include "sv_reader.h"
#include "sv_word.h"

/* tests/data/unit, found from the working directory or the test binary. */
static char unit_dir[PATH_MAX + 32];

#define HEAD "'name': 't', 'version': '1', "
#define THEMES "'themes': [{'id': 'jobs', 'name': 'Jobs'}, {'id': 'social', 'name': 'Social'}], "
/* A complete measure with the given id and extra members. */
#define MEASURE(id, extra) \
	"{'id': '" id "', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': 1, 'value_type': 'LEV'" extra "}"

/* The small table of tests/data/small.json. */
static const char small_table[] =
	"{'name': 'test table', 'version': '1', "
	"'themes': [{'id': 'jobs', 'name': 'Jobs'}, {'id': 'social', 'name': 'Social'}], "
	"'measures': ["
	"{'id': 'NT1', 'theme': 'jobs', 'name': 'Local FTE', 'unit': 'FTE', 'value': 39039.00, "
	"'value_type': 'LEV', 'aliases': ['local_job']}, "
	"{'id': 'NT9', 'theme': 'social', 'name': 'Volunteering', 'unit': 'hour', 'value': '17.04', "
	"'value_type': 'social'}, "
	"{'id': 'NT2', 'theme': 'jobs', 'name': 'Hard to reach hires', 'unit': 'person', 'value': null, "
	"'value_type': 'LEV'}]}";

/* Loads a single-quoted table as "t.json"; *diag receives the diagnostics
 * (free it). */
static enum sv_status load(struct sv_proxy_table *t, const char *quoted, char **diag)
{
	char *text = strdup(quoted);
	assert_non_null(text);
	for (char *p = text; *p; p++)
		if (*p == '\'')
			*p = '"';
	struct capture c;
	capture_start(&c);
	enum sv_status st = sv_proxy_load_text(t, text, strlen(text), "t.json");
	*diag = capture_end(&c);
	free(text);
	return st;
}

/* Asserts that the table is refused with exactly the diagnostics want. */
static void refused(const char *quoted, const char *want)
{
	struct sv_proxy_table t;
	char *diag;
	assert_int_equal(load(&t, quoted, &diag), SV_ECONFIG);
	assert_string_equal(diag, want);
	assert_int_equal(t.n_measures, 0);
	assert_null(t.name);
	free(diag);
}

/* Loads a table that must be valid, with no diagnostics. */
static void accepted(struct sv_proxy_table *t, const char *quoted)
{
	char *diag;
	assert_int_equal(load(t, quoted, &diag), SV_OK);
	assert_string_equal(diag, "");
	free(diag);
}

/* Ensure a valid table loads with every field in place. */
static void test_load_small_table(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, small_table);
	assert_string_equal(t.origin, "t.json");
	assert_string_equal(t.name, "test table");
	assert_string_equal(t.version, "1");
	assert_int_equal(t.n_themes, 2);
	assert_string_equal(t.themes[1].id, "social");
	assert_string_equal(t.themes[1].name, "Social");
	assert_int_equal(t.n_measures, 3);
	const struct sv_measure *m = &t.measures[0];
	assert_string_equal(m->id, "NT1");
	assert_string_equal(m->name, "Local FTE");
	assert_string_equal(m->unit, "FTE");
	assert_int_equal(m->theme, 0);
	assert_int_equal(m->index, 0);
	assert_int_equal(m->value_type, SV_VT_LEV);
	assert_false(m->record_only);
	assert_int_equal(m->value, 390390000);
	assert_int_equal(m->n_aliases, 1);
	assert_string_equal(m->aliases[0], "local_job");
	assert_int_equal(t.measures[1].value, 170400);
	assert_int_equal(t.measures[1].theme, 1);
	assert_int_equal(t.measures[1].value_type, SV_VT_SOCIAL);
	assert_int_equal(t.measures[2].index, 2);
	sv_proxy_free(&t);
}

/* Ensure "value": null makes a record-only measure. */
static void test_null_value_record_only(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, small_table);
	assert_string_equal(t.measures[2].id, "NT2");
	assert_true(t.measures[2].record_only);
	assert_int_equal(t.measures[2].value, 0);
	sv_proxy_free(&t);
}

/* Ensure unknown keys, at any level, are ignored. */
static void test_unknown_keys_ignored(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD "'currency': 'GBP', 'price_year': 2025, 'extra': {'a': [1]}, "
		     "'themes': [{'id': 'jobs', 'name': 'Jobs', 'colour': 'red'}], "
		     "'measures': [" MEASURE("m", ", 'source': 's', 'derivation': 'd', 'future': true") "]}");
	assert_string_equal(t.measures[0].source, "s");
	sv_proxy_free(&t);
}

/* Ensure a missing name and version are both reported. */
static void test_missing_name_version(void **state)
{
	(void)state;
	refused("{" THEMES "'measures': [" MEASURE("m", "") "]}",
		"sv-calc: t.json: missing 'name' (a non-empty string) at top level\n"
		"sv-calc: t.json: missing 'version' (a non-empty string) at top level\n");
}

/* Ensure an empty or non-string name counts as missing. */
static void test_empty_name(void **state)
{
	(void)state;
	refused("{'name': '', 'version': 1, " THEMES "'measures': [" MEASURE("m", "") "]}",
		"sv-calc: t.json: missing 'name' (a non-empty string) at top level\n"
		"sv-calc: t.json: missing 'version' (a non-empty string) at top level\n");
}

/* Ensure an empty themes array is refused. */
static void test_empty_themes(void **state)
{
	(void)state;
	refused("{" HEAD "'themes': [], 'measures': [" MEASURE("m", "") "]}",
		"sv-calc: t.json: 'themes' must be a non-empty array\n"
		"sv-calc: t.json: measure 'm': theme 'jobs' is not one of the table's themes\n");
}

/* Ensure missing or empty measures are refused. */
static void test_empty_measures(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': []}",
		"sv-calc: t.json: 'measures' must be a non-empty array\n");
	refused("{" HEAD THEMES "'measures': {}}",
		"sv-calc: t.json: 'measures' must be a non-empty array\n");
}

/* Ensure a theme without an id or a name is refused, naming it. */
static void test_theme_missing_fields(void **state)
{
	(void)state;
	refused("{" HEAD "'themes': [{'id': 'jobs', 'name': 'Jobs'}, {'name': 'X'}, {'id': 'y'}], "
		"'measures': [" MEASURE("m", "") "]}",
		"sv-calc: t.json: theme 2: missing 'id' (a non-empty string)\n"
		"sv-calc: t.json: theme 'y': missing 'name' (a non-empty string)\n");
}

/* Ensure theme ids are unique, case-insensitively. */
static void test_duplicate_theme(void **state)
{
	(void)state;
	refused("{" HEAD "'themes': [{'id': 'jobs', 'name': 'Jobs'}, {'id': 'JOBS', 'name': 'Again'}], "
		"'measures': [" MEASURE("m", "") "]}",
		"sv-calc: t.json: theme 'JOBS': theme ids must be unique, and this one appears twice\n");
}

/* Ensure a measure without an id is refused by its position. */
static void test_measure_missing_id(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [" MEASURE("a", "") ", {'theme': 'jobs', 'name': 'N', "
		"'unit': 'u', 'value': 1, 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 2: missing 'id' (a non-empty string)\n");
}

/* Ensure every other missing field of a measure is reported, in order. */
static void test_measure_missing_fields(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'unit': ''}]}",
		"sv-calc: t.json: measure 'm': missing 'theme' (a non-empty string)\n"
		"sv-calc: t.json: measure 'm': missing 'name' (a non-empty string)\n"
		"sv-calc: t.json: measure 'm': missing 'unit' (a non-empty string)\n"
		"sv-calc: t.json: measure 'm': missing 'value_type' (a non-empty string)\n"
		"sv-calc: t.json: measure 'm': missing 'value' (a number, a decimal string or null)\n");
}

/* Ensure a measure's theme must name a theme of the table. */
static void test_unknown_theme(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'growth', 'name': 'N', 'unit': 'u', "
		"'value': 1, 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': theme 'growth' is not one of the table's themes\n");
}

/* Ensure a measure's theme is matched case-insensitively. */
static void test_theme_case_insensitive(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'SOCIAL', 'name': 'N', "
		     "'unit': 'u', 'value': 1, 'value_type': 'LEV'}]}");
	assert_int_equal(t.measures[0].theme, 1);
	sv_proxy_free(&t);
}

/* Ensure value types are LEV, savings or social in any case. */
static void test_value_type_case_insensitive(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD THEMES "'measures': ["
		     "{'id': 'a', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': 1, 'value_type': 'lev'}, "
		     "{'id': 'b', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': 1, 'value_type': 'SAVINGS'}, "
		     "{'id': 'c', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': 1, 'value_type': 'Social'}]}");
	assert_int_equal(t.measures[0].value_type, SV_VT_LEV);
	assert_int_equal(t.measures[1].value_type, SV_VT_SAVINGS);
	assert_int_equal(t.measures[2].value_type, SV_VT_SOCIAL);
	sv_proxy_free(&t);
}

/* Ensure any other value type is refused. */
static void test_bad_value_type(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': 1, 'value_type': 'economic'}]}",
		"sv-calc: t.json: measure 'm': value_type 'economic' must be LEV, savings or social\n");
}

/* Ensure the value type names print as SPEC spells them. */
static void test_value_type_names(void **state)
{
	(void)state;
	assert_string_equal(sv_value_type_name(SV_VT_LEV), "LEV");
	assert_string_equal(sv_value_type_name(SV_VT_SAVINGS), "savings");
	assert_string_equal(sv_value_type_name(SV_VT_SOCIAL), "social");
}

/* Ensure values above 1,000,000,000 pounds are refused, as numbers or strings. */
static void test_value_too_large(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': 1000000001, 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value '1000000001' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': '1000000000.0001', 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value '1000000000.0001' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
}

/* Ensure the largest allowed value, 1,000,000,000, is accepted. */
static void test_value_max_accepted(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		     "'value': 1000000000, 'value_type': 'LEV'}, {'id': 'z', 'theme': 'jobs', 'name': 'N', "
		     "'unit': 'u', 'value': 0, 'value_type': 'LEV'}]}");
	assert_int_equal(t.measures[0].value, (int64_t)1000000000 * 10000);
	assert_int_equal(t.measures[1].value, 0);
	assert_false(t.measures[1].record_only);
	sv_proxy_free(&t);
}

/* Ensure negative values are refused. */
static void test_value_negative(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': -1, 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value '-1' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': '-1', 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value '-1' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
}

/* Ensure a string value with a fifth decimal place is refused, quoting it. */
static void test_value_five_decimals_string(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': '1.23456', 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value '1.23456' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
}

/* Ensure a number value with a fifth decimal place is refused, shown as written. */
static void test_value_five_decimals_number(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': 1.23456, 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value '1.23456' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
}

/* Ensure a string that is not a plain decimal is refused. */
static void test_value_bad_string(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': 'about 5', 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value 'about 5' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
}

/* Ensure a value that is neither number, string nor null is refused. */
static void test_value_wrong_type(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': true, 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': 'value' must be a number, a decimal string or null\n");
}

/* Ensure exponent numbers and trailing zeros are fine when the value has at most 4 places. */
static void test_value_exponent_and_trailing_zeros(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD THEMES "'measures': ["
		     "{'id': 'a', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': 1.5e2, 'value_type': 'LEV'}, "
		     "{'id': 'b', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': 1.2345E2, 'value_type': 'LEV'}, "
		     "{'id': 'c', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': 1.50000, 'value_type': 'LEV'}, "
		     "{'id': 'd', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': '1.50000', 'value_type': 'LEV'}]}");
	assert_int_equal(t.measures[0].value, 1500000);
	assert_int_equal(t.measures[1].value, 1234500);
	assert_int_equal(t.measures[2].value, 15000);
	assert_int_equal(t.measures[3].value, 15000);
	sv_proxy_free(&t);
}

/* Ensure a number with a digit far past the fourth place is refused, not rounded by the double. */
static void test_value_many_decimals_number(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': 1.00000000000000000000001, 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value '1.00000000000000000000001' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
	refused("{" HEAD THEMES "'measures': [{'id': 'm', 'theme': 'jobs', 'name': 'N', 'unit': 'u', "
		"'value': 39039.0000000000000000000000001, 'value_type': 'LEV'}]}",
		"sv-calc: t.json: measure 'm': value '39039.0000000000000000000000001' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
}

/* A measure with the given id whose value is written as value. */
#define VALUED(id, value) \
	"{'id': '" id "', 'theme': 'jobs', 'name': 'N', 'unit': 'u', 'value': " value ", 'value_type': 'LEV'}"

/* Ensure exponent form counts places by value: 1.25e-2 is 0.0125, 1e-5 has five. */
static void test_value_exponent_places(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD THEMES "'measures': [" VALUED("a", "1.25e-2") ", " VALUED("b", "1000E-7") ", "
		     VALUED("c", "1e9") ", " VALUED("d", "-0") "]}");
	assert_int_equal(t.measures[0].value, 125);
	assert_int_equal(t.measures[1].value, 1);
	assert_int_equal(t.measures[2].value, (int64_t)1000000000 * 10000);
	assert_int_equal(t.measures[3].value, 0);
	sv_proxy_free(&t);
	refused("{" HEAD THEMES "'measures': [" VALUED("m", "1e-5") "]}",
		"sv-calc: t.json: measure 'm': value '1e-5' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
	refused("{" HEAD THEMES "'measures': [" VALUED("m", "1.0000000000000000000001e9") "]}",
		"sv-calc: t.json: measure 'm': value '1.0000000000000000000001e9' must be a decimal from 0 to 1000000000 with at most 4 decimal places\n");
}

/* Ensure the net-value fractions are read exactly too, as numbers or strings. */
static void test_adjustments_exact(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD THEMES "'measures': [" MEASURE("m", ", 'deadweight': 2.5e-1, 'attribution': 0.10000, "
		     "'displacement': '0.05', 'drop_off': 1") "]}");
	assert_int_equal(t.measures[0].adjust[SV_ADJ_DEADWEIGHT], 2500);
	assert_int_equal(t.measures[0].adjust[SV_ADJ_ATTRIBUTION], 1000);
	assert_int_equal(t.measures[0].adjust[SV_ADJ_DISPLACEMENT], 500);
	assert_int_equal(t.measures[0].adjust[SV_ADJ_DROP_OFF], 10000);
	sv_proxy_free(&t);
	refused("{" HEAD THEMES "'measures': [" MEASURE("m", ", 'deadweight': 0.10000000000000000001") "]}",
		"sv-calc: t.json: measure 'm': 'deadweight' must be a fraction from 0 to 1 with at most 4 decimal places\n");
	refused("{" HEAD THEMES "'measures': [" MEASURE("m", ", 'drop_off': 1.00000000000000000001") "]}",
		"sv-calc: t.json: measure 'm': 'drop_off' must be a fraction from 0 to 1 with at most 4 decimal places\n");
}

/* Ensure years are whole by their text: 2.025e3 is 2025, 2025.0000000000000001 is not whole. */
static void test_years_exact(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD "'price_year': 2024.0, " THEMES "'measures': ["
		     MEASURE("m", ", 'price_year': 2.025e3, 'duration_years': 3") "]}");
	assert_int_equal(t.price_year.year, 2024);
	assert_true(t.price_year.calendar);
	assert_int_equal(t.measures[0].price_year.year, 2025);
	assert_int_equal(t.measures[0].duration_years, 3);
	sv_proxy_free(&t);
	refused("{" HEAD "'price_year': 2025.0000000000000001, " THEMES "'measures': [" MEASURE("m", "") "]}",
		"sv-calc: t.json: 'price_year' must be a financial year (\"2024/25\") or a calendar year (2022) from 1900 to 2200\n");
	refused("{" HEAD THEMES "'measures': [" MEASURE("m", ", 'duration_years': 3.00000000000000001") "]}",
		"sv-calc: t.json: measure 'm': 'duration_years' must be a whole number from 1 to 50\n");
	refused("{" HEAD THEMES "'measures': [" MEASURE("m", ", 'price_year': 2200.5e0") "]}",
		"sv-calc: t.json: measure 'm': 'price_year' must be a financial year (\"2024/25\") or a calendar year (2022) from 1900 to 2200\n");
}

/* Ensure a price year is a financial year when written 2024/25 or 2024-25,
 * a calendar year when a bare year, and the table's unless a measure has its own. */
static void test_price_year_kinds(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD "'price_year': '2026/27', " THEMES "'measures': [" MEASURE("a", "") ", "
		     MEASURE("b", ", 'price_year': 2022") ", " MEASURE("c", ", 'price_year': '2024-25'") ", "
		     MEASURE("d", ", 'price_year': '2023'") "]}");
	assert_int_equal(t.price_year.year, 2026);
	assert_false(t.price_year.calendar);
	assert_int_equal(t.measures[0].price_year.year, 2026);
	assert_false(t.measures[0].price_year.calendar);
	assert_int_equal(t.measures[1].price_year.year, 2022);
	assert_true(t.measures[1].price_year.calendar);
	assert_int_equal(t.measures[2].price_year.year, 2024);
	assert_false(t.measures[2].price_year.calendar);
	assert_true(t.measures[3].price_year.calendar);
	assert_true(sv_proxy_is_mixed(&t));
	char year[8];
	sv_price_year_text(sv_proxy_basis_year(&t), year);
	assert_string_equal(year, "2026/27");
	sv_price_year_text(t.measures[1].price_year, year);
	assert_string_equal(year, "2022");
	sv_proxy_free(&t);
	/* no table year: the latest of the measures', a financial year after the calendar year it starts in */
	accepted(&t, "{" HEAD THEMES "'measures': [" MEASURE("a", ", 'price_year': 2024") ", "
		     MEASURE("b", ", 'price_year': '2024/25'") "]}");
	sv_price_year_text(sv_proxy_basis_year(&t), year);
	assert_string_equal(year, "2024/25");
	sv_proxy_free(&t);
	refused("{" HEAD "'price_year': '2024/26', " THEMES "'measures': [" MEASURE("m", "") "]}",
		"sv-calc: t.json: 'price_year' must be a financial year (\"2024/25\") or a calendar year (2022) from 1900 to 2200\n");
	struct sv_price_year y;
	assert_true(sv_price_year_parse("2099/00", 7, false, &y) && y.year == 2099 && !y.calendar);
	assert_true(sv_price_year_parse("2025", 4, true, &y) && y.year == 2025 && !y.calendar);
	assert_false(sv_price_year_parse("2025/2", 6, false, &y));
	assert_false(sv_price_year_parse("1899", 4, false, &y));
}

/* Ensure \u0000 is refused in an id, a key or an ignored value, at its column. */
static void test_nul_escape_refused(void **state)
{
	(void)state;
	static const char *const tables[] = {
		"{" HEAD THEMES "'measures': [" MEASURE("x\\u0000y", "") "]}",
		"{" HEAD THEMES "'measures': [" MEASURE("m", ", 'k\\u0000': 1") "]}",
		"{" HEAD "'note': 'a\\\\\\u0000', " THEMES "'measures': [" MEASURE("m", "") "]}",
	};
	for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
		/* the backslash of \u0000: the last one in the text */
		char want[200];
		snprintf(want, sizeof want,
			 "sv-calc: t.json:1:%zu: \\u0000 in a JSON string (NUL is not allowed in a key or value)\n",
			 (size_t)(strrchr(tables[k], '\\') - tables[k]) + 1);
		refused(tables[k], want);
	}
	refused("{" HEAD THEMES "'measures': [" MEASURE("x\\u0000y", "") "]}",
		"sv-calc: t.json:1:133: \\u0000 in a JSON string (NUL is not allowed in a key or value)\n");
}

/* Ensure an escaped backslash followed by u0000 is plain text. */
static void test_escaped_backslash_not_nul(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD THEMES "'measures': [" MEASURE("a\\\\u0000b", "") "]}");
	assert_string_equal(t.measures[0].id, "a\\u0000b");
	assert_non_null(sv_proxy_find(&t, "A\\u0000B", 8));
	sv_proxy_free(&t);
}

/* A table with an ignored member nested levels deep in all (the table
 * itself is the first level); free it. */
static char *nested_table(size_t levels)
{
	static const char head[] = "{" HEAD THEMES "'measures': [" MEASURE("m", "") "], 'x': ";
	size_t n = sizeof head - 1, inner = levels - 1;
	char *s = malloc(n + 2 * inner + 2);
	assert_non_null(s);
	memcpy(s, head, n);
	memset(s + n, '[', inner);
	memset(s + n + inner, ']', inner);
	memcpy(s + n + 2 * inner, "}", 2);
	return s;
}

/* Ensure 64 levels load, and 65 are refused at the 65th bracket. */
static void test_nesting_limit(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	char *ok = nested_table(SV_JSON_DEPTH_MAX);
	accepted(&t, ok);
	assert_int_equal(t.n_measures, 1);
	sv_proxy_free(&t);
	char *deep = nested_table(SV_JSON_DEPTH_MAX + 1);
	/* the 64th '[' makes the 65th level */
	char want[120];
	snprintf(want, sizeof want, "sv-calc: t.json:1:%zu: JSON nested deeper than 64 levels\n",
		 strlen(ok) - SV_JSON_DEPTH_MAX + 1);
	refused(deep, want);
	free(ok);
	free(deep);
}

/* Writes text to a new temporary file; path gets its name (unlink it). */
static void write_temp(char *path, size_t cap, const char *text)
{
	snprintf(path, cap, "/tmp/sv-calc-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Loads a deflator series from text; *diag receives the diagnostics. */
static enum sv_status load_deflators(struct sv_deflators *d, const char *text, char **diag)
{
	char path[64];
	write_temp(path, sizeof path, text);
	struct capture c;
	capture_start(&c);
	enum sv_status st = sv_deflators_load(d, path);
	*diag = capture_end(&c);
	unlink(path);
	return st;
}

/* Ensure deflator indices are read exactly, and the pre-scan guards that file too. */
static void test_deflators_exact(void **state)
{
	(void)state;
	struct sv_deflators d;
	char *diag;
	assert_int_equal(load_deflators(&d, "{\"series\": {\"2023-24\": 9.61117e1, \"2024-25\": 100.00000}}", &diag),
			 SV_OK);
	assert_string_equal(diag, "");
	free(diag);
	assert_int_equal(sv_deflator(&d, (struct sv_price_year){2023, false}), 961117);
	assert_int_equal(sv_deflator(&d, (struct sv_price_year){2024, false}), 1000000);
	assert_int_equal(sv_deflator(&d, (struct sv_price_year){2024, true}), 0);
	sv_deflators_free(&d);
	assert_int_equal(load_deflators(&d, "{\"series\": {\"2024-25\": 100.00000000000000001}}", &diag), SV_ECONFIG);
	assert_non_null(strstr(diag, ": \"2024-25\" must be a financial year such as \"2024-25\" with an index above 0 "
				     "and at most 4 decimals\n"));
	free(diag);
	assert_null(d.financial.index);
	assert_int_equal(load_deflators(&d, "{\"series\": {\"2024-25\": 100}, \"calendar_series\": {\"2022\": 90.5005}}",
					&diag),
			 SV_OK);
	free(diag);
	assert_int_equal(sv_deflator(&d, (struct sv_price_year){2022, true}), 905005);
	assert_int_equal(sv_deflator(&d, (struct sv_price_year){2022, false}), 0);
	char years[128];
	sv_deflators_years(&d, years, sizeof years);
	assert_string_equal(years, "2024/25; calendar years 2022");
	sv_deflators_free(&d);
	assert_int_equal(load_deflators(&d, "{\"series\": {\"2024-25\": 100}, \"calendar_series\": {\"2022-23\": 90}}",
					&diag),
			 SV_ECONFIG);
	assert_non_null(strstr(diag, ": \"2022-23\" must be a calendar year such as \"2024\" with an index above 0"));
	free(diag);
	assert_int_equal(load_deflators(&d, "{\"series\": {\"2024-25\\u0000\": 100}}", &diag), SV_ECONFIG);
	assert_non_null(strstr(diag, ":1:21: \\u0000 in a JSON string (NUL is not allowed in a key or value)\n"));
	free(diag);
	assert_int_equal(load_deflators(&d, "{\"series\": {\"2024-25\": 100}", &diag), SV_ECONFIG);
	assert_non_null(strstr(diag, ":1:28: JSON syntax error\n"));
	free(diag);
}

/* Ensure a repeated key inside one object is refused, with where it is. */
static void test_duplicate_json_keys(void **state)
{
	(void)state;
	refused("{" HEAD "'name': 'again', " THEMES "'measures': [" MEASURE("m", "") "]}",
		"sv-calc: t.json: duplicate key 'name' in the top-level object\n");
	refused("{" HEAD THEMES "'measures': [" MEASURE("a", "") ", " MEASURE("m", ", 'unit': 'v'") "]}",
		"sv-calc: t.json: duplicate key 'unit' in measures[1]\n");
}

/* Ensure an object of many keys (checked by sorting them, not pair by
 * pair) reports each repeat in the object's order, with its path, as a
 * small one does. */
static void test_duplicate_json_keys_many(void **state)
{
	(void)state;
	char extra[2048];
	size_t o = 0;
	/* k0..k39, then k7, k3 and k7 again: 43 keys */
	for (int i = 0; i < 40; i++)
		o += (size_t)snprintf(extra + o, sizeof extra - o, "'k%d': %d, ", i, i);
	snprintf(extra + o, sizeof extra - o, "'k7': 1, 'k3': 2, 'k7': 3");
	char table[4096];
	snprintf(table, sizeof table, "{" HEAD THEMES "'measures': [" MEASURE("m", "") "], 'x': [1, {'deep': {%s}}]}",
		 extra);
	refused(table, "sv-calc: t.json: duplicate key 'k7' in x[1].deep\n"
		       "sv-calc: t.json: duplicate key 'k3' in x[1].deep\n"
		       "sv-calc: t.json: duplicate key 'k7' in x[1].deep\n");
}

/* Ensure a measure id repeated by another measure (case-insensitively) names both. */
static void test_id_collision(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [" MEASURE("NT1", "") ", " MEASURE("nt1", "") "]}",
		"sv-calc: t.json: measure 'nt1': id 'nt1' repeats the id of measure 'NT1' (ids and aliases must be unique)\n");
}

/* Ensure an alias repeating another measure's id names both measures. */
static void test_alias_collides_with_id(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [" MEASURE("NT1", "") ", " MEASURE("NT2", ", 'aliases': ['Nt1']") "]}",
		"sv-calc: t.json: measure 'NT2': alias 'Nt1' repeats the id of measure 'NT1' (ids and aliases must be unique)\n");
}

/* Ensure an alias repeating another measure's alias names both measures. */
static void test_alias_collides_with_alias(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [" MEASURE("NT1", ", 'aliases': ['job']") ", "
		MEASURE("NT2", ", 'aliases': ['JOB']") "]}",
		"sv-calc: t.json: measure 'NT2': alias 'JOB' repeats an alias of measure 'NT1' (ids and aliases must be unique)\n");
}

/* Ensure an alias may not repeat its own measure's id or another of its aliases. */
static void test_alias_repeats_own(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [" MEASURE("NT1", ", 'aliases': ['nt1']") "]}",
		"sv-calc: t.json: measure 'NT1': alias 'nt1' repeats its own id (ids and aliases must be unique)\n");
	refused("{" HEAD THEMES "'measures': [" MEASURE("NT1", ", 'aliases': ['x', 'X']") "]}",
		"sv-calc: t.json: measure 'NT1': alias 'X' repeats one of its aliases (ids and aliases must be unique)\n");
}

/* Ensure aliases must be an array of non-empty strings. */
static void test_bad_aliases(void **state)
{
	(void)state;
	refused("{" HEAD THEMES "'measures': [" MEASURE("m", ", 'aliases': 'x'") "]}",
		"sv-calc: t.json: measure 'm': 'aliases' must be an array of strings\n");
	refused("{" HEAD THEMES "'measures': [" MEASURE("m", ", 'aliases': ['x', '']") "]}",
		"sv-calc: t.json: measure 'm': every alias must be a non-empty string\n");
}

/* Ensure a JSON syntax error is reported as FILE:LINE:COL at the offending byte. */
static void test_syntax_error_position(void **state)
{
	(void)state;
	refused("{\n  'name': ,\n}", "sv-calc: t.json:2:11: JSON syntax error\n");
	refused("{\n'a': [1, 2,]\n}", "sv-calc: t.json:2:12: JSON syntax error\n");
}

/* Ensure text after the JSON value, or no value at all, is a syntax error. */
static void test_syntax_error_trailing_and_empty(void **state)
{
	(void)state;
	refused("{'name': 'a'} x", "sv-calc: t.json:1:15: JSON syntax error\n");
	refused("{'name': 'a'", "sv-calc: t.json:1:13: JSON syntax error\n");
	refused("", "sv-calc: t.json:1:1: JSON syntax error\n");
}

/* Ensure a NUL byte inside the text is refused at its position. */
static void test_syntax_error_nul(void **state)
{
	(void)state;
	static const char text[] = "{\n  \0}";
	struct sv_proxy_table t;
	struct capture c;
	capture_start(&c);
	assert_int_equal(sv_proxy_load_text(&t, text, sizeof text - 1, "t.json"), SV_ECONFIG);
	char *diag = capture_end(&c);
	assert_string_equal(diag, "sv-calc: t.json:2:3: NUL byte in the JSON text (not allowed anywhere in it)\n");
	free(diag);
}

/* Ensure a table that is not a JSON object is refused. */
static void test_not_an_object(void **state)
{
	(void)state;
	refused("[1, 2]", "sv-calc: t.json: a proxy table must be a JSON object\n");
}

/* Ensure lookup finds ids and aliases whatever their case, and reads only n bytes. */
static void test_find(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, small_table);
	assert_ptr_equal(sv_proxy_find(&t, "NT1", 3), &t.measures[0]);
	assert_ptr_equal(sv_proxy_find(&t, "nt9", 3), &t.measures[1]);
	assert_ptr_equal(sv_proxy_find(&t, "LOCAL_JOB", 9), &t.measures[0]);
	assert_ptr_equal(sv_proxy_find(&t, "NT2 and more", 3), &t.measures[2]);
	assert_null(sv_proxy_find(&t, "NT3", 3));
	assert_null(sv_proxy_find(&t, "NT", 2));
	assert_null(sv_proxy_find(&t, "", 0));
	sv_proxy_free(&t);
}

/* Ensure a word holds a key's first min(n, 8) bytes, the first lowest,
 * whatever n, reading none past them. */
static void test_word(void **state)
{
	(void)state;
	static const uint64_t want[] = {
		0,
		0x61,
		0x6261,
		0x636261,
		0x64636261,
		0x6564636261,
		0x666564636261,
		0x67666564636261,
		0x6867666564636261,
		0x6867666564636261,
	};
	for (size_t n = 0; n < sizeof want / sizeof want[0]; n++) {
		/* a block of exactly n bytes: ASan sees a read past it */
		char *key = malloc(n ? n : 1);
		assert_non_null(key);
		memcpy(key, "abcdefghi", n);
		assert_true(sv_word(key, n) == want[n]);
		free(key);
	}
	assert_true(sv_word("\xff\x80\x01", 3) == 0x0180ff);
	assert_true(sv_word("\x01\x02\x03\x04\x05\x06\x07", 7) == 0x07060504030201);
	assert_true(sv_load16("\x01\x02") == 0x0201);
	assert_true(sv_load32("\x01\x02\x03\xff") == 0xff030201);
	assert_true(sv_load64("\x01\x02\x03\x04\x05\x06\x07\x88") == 0x8807060504030201);
	assert_true(sv_byte_mask(0) == 0);
	assert_true(sv_byte_mask(1) == 0xff);
	assert_true(sv_byte_mask(3) == 0xffffff);
	assert_true(sv_byte_mask(7) == 0xffffffffffffff);
	assert_true(sv_byte_mask(8) == UINT64_MAX);
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

/* The measure whose id or alias equals (s, n) but for ASCII case, found
 * the slow way: what sv_proxy_find must answer. */
static const struct sv_measure *find_slowly(const struct sv_proxy_table *t, const char *s, size_t n)
{
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		for (size_t k = 0; k <= m->n_aliases; k++) {
			const char *key = k ? m->aliases[k - 1] : m->id;
			if (strlen(key) != n)
				continue;
			size_t j = 0;
			while (j < n && ascii_lower(key[j]) == ascii_lower(s[j]))
				j++;
			if (j == n)
				return m;
		}
	}
	return NULL;
}

/* sv_proxy_find on a copy of (s, n) in a block of exactly n bytes, so that
 * ASan and valgrind see any read past the key. */
static const struct sv_measure *find_exact(const struct sv_proxy_table *t, const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, s, n);
	const struct sv_measure *m = sv_proxy_find(t, copy, n);
	free(copy);
	/* the padded way agrees, whatever follows the key: bytes with the
	 * high bit, lowercase and uppercase letters that would make a longer
	 * key if they were not masked off */
	static const char tails[][SV_READER_SLACK + 1] = {
		"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", "abcdefghijklmnop",
		"NOPQRSTUVWXYZ_01"};
	for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++) {
		char *padded = malloc(n + SV_READER_SLACK);
		assert_non_null(padded);
		memcpy(padded, s, n);
		memcpy(padded + n, tails[k], SV_READER_SLACK);
		assert_ptr_equal(sv_proxy_find_padded(t, padded, n), m);
		free(padded);
	}
	return m;
}

enum spelling { AS_WRITTEN, LOWER, UPPER, ALTERNATE, ALTERNATE_LOWER_FIRST, SPELLINGS };

/* The key into buf in one of its spellings; its length. */
static size_t spell(char *buf, size_t cap, const char *key, enum spelling how)
{
	size_t n = strlen(key);
	assert_true(n < cap);
	for (size_t i = 0; i < n; i++) {
		char c = key[i];
		bool up = how == UPPER || (how == ALTERNATE && i % 2 == 0) ||
			  (how == ALTERNATE_LOWER_FIRST && i % 2 == 1);
		if (how != AS_WRITTEN)
			c = up ? ascii_upper(c) : ascii_lower(c);
		buf[i] = c;
	}
	return n;
}

/* Asserts that every id and alias is found, as its own measure, in every
 * spelling; how many keys there are. */
static size_t assert_every_key_found(const struct sv_proxy_table *t)
{
	size_t keys = 0;
	char buf[64];
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		for (size_t k = 0; k <= m->n_aliases; k++, keys++)
			for (int how = AS_WRITTEN; how < SPELLINGS; how++) {
				size_t n = spell(buf, sizeof buf, k ? m->aliases[k - 1] : m->id, (enum spelling)how);
				assert_ptr_equal(find_exact(t, buf, n), m);
			}
	}
	return keys;
}

/* Asserts that a key one byte off, longer or shorter finds what the slow
 * way finds (nearly always nothing); how many of them found nothing. */
static size_t assert_near_misses(const struct sv_proxy_table *t, const char *key)
{
	char buf[64];
	size_t n = strlen(key), misses = 0;
	assert_true(n + 1 < sizeof buf);
	/* ^ 0x20 changes a letter's case only; any other byte it changes
	 * into one that sets the same bit: '@' and '`', '1' and 0x11 */
	static const unsigned char flips[] = {0x20, 0x01, 0x80, 0xff};
	for (size_t i = 0; i < n; i++)
		for (size_t f = 0; f < sizeof flips; f++) {
			memcpy(buf, key, n);
			buf[i] = (char)((unsigned char)buf[i] ^ flips[f]);
			const struct sv_measure *want = find_slowly(t, buf, n);
			assert_ptr_equal(find_exact(t, buf, n), want);
			misses += !want;
		}
	static const char more[] = {'x', '\0', ' ', '@', '`'};
	for (size_t f = 0; f < sizeof more; f++) {
		memcpy(buf, key, n);
		buf[n] = more[f];
		const struct sv_measure *want = find_slowly(t, buf, n + 1);
		assert_ptr_equal(find_exact(t, buf, n + 1), want);
		misses += !want;
	}
	const struct sv_measure *want = find_slowly(t, key, n - 1);
	assert_ptr_equal(find_exact(t, key, n - 1), want);
	misses += !want;
	want = find_slowly(t, key + 1, n - 1);
	assert_ptr_equal(find_exact(t, key + 1, n - 1), want);
	misses += !want;
	return misses;
}

/* Every key's near misses; how many found nothing. */
static size_t assert_every_near_miss(const struct sv_proxy_table *t)
{
	size_t misses = 0;
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		for (size_t k = 0; k <= m->n_aliases; k++)
			misses += assert_near_misses(t, k ? m->aliases[k - 1] : m->id);
	}
	return misses;
}

/* Ensure every id and alias of the built-in table is found in any case,
 * and its near misses are not. */
static void test_find_builtin_every_key(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	assert_int_equal(sv_proxy_load_default(&t, NULL), SV_OK);
	assert_non_null(t.short_slots);
	assert_int_equal(assert_every_key_found(&t), 102);
	/* counted the slow way: "NT10" shortened is "NT1", found */
	assert_int_equal(assert_every_near_miss(&t), 4910);
	assert_ptr_equal(sv_proxy_find(&t, "nT1", 3), sv_proxy_find(&t, "jobs.local_fte", 14));
	assert_null(sv_proxy_find(&t, "NT1@", 4));
	sv_proxy_free(&t);
}

/* Ensure every id and alias of the benchmark's table is found in any case,
 * and its near misses are not. */
static void test_find_bench_every_key(void **state)
{
	(void)state;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/bench_proxies.json", unit_dir);
	struct sv_proxy_table t;
	assert_int_equal(sv_proxy_load_file(&t, path), SV_OK);
	assert_non_null(t.short_slots);
	assert_int_equal(assert_every_key_found(&t), 44);
	assert_int_equal(assert_every_near_miss(&t), 1534);
	assert_string_equal(sv_proxy_find(&t, "NEET_JOB", 8)->id, "NT4");
	assert_string_equal(sv_proxy_find(&t, "Volunteer_Hours", 15)->id, "NT29");
	assert_string_equal(sv_proxy_find(&t, "nt10", 4)->id, "NT10");
	assert_null(sv_proxy_find(&t, "NT2", 3));
	assert_null(sv_proxy_find(&t, "neet_jo", 7));
	assert_null(sv_proxy_find(&t, "neet_jobs", 9));
	assert_null(sv_proxy_find(&t, "neet\x7fjob", 8));
	sv_proxy_free(&t);
}

/* Ensure keys of every length from 1 to 16 are found, in any case, and
 * one byte off, longer or shorter are not (each shorter one is the
 * previous key). */
static void test_find_lengths(void **state)
{
	(void)state;
	static const char letters[] = "aBcDeFgHiJkLmNoP";
	char table[8192], id[17];
	size_t len = (size_t)snprintf(table, sizeof table, "{" HEAD THEMES "'measures': [");
	for (size_t n = 1; n <= 16; n++) {
		memcpy(id, letters, n);
		id[n] = '\0';
		len += (size_t)snprintf(table + len, sizeof table - len, "%s" MEASURE("%s", ""),
					n > 1 ? ", " : "", id);
	}
	snprintf(table + len, sizeof table - len, "]}");
	struct sv_proxy_table t;
	accepted(&t, table);
	assert_non_null(t.short_slots);
	assert_int_equal(assert_every_key_found(&t), 16);
	char buf[32];
	for (size_t n = 1; n <= 16; n++) {
		assert_ptr_equal(find_exact(&t, "ABCDEFGHIJKLMNOPQ", n), &t.measures[n - 1]);
		assert_ptr_equal(find_exact(&t, "abcdefghijklmnopq", n), &t.measures[n - 1]);
		memcpy(buf, letters, n);
		buf[n - 1] = (char)(buf[n - 1] + 1);
		assert_null(find_exact(&t, buf, n));
		buf[n - 1] = (char)(letters[n - 1] ^ 0x80);
		assert_null(find_exact(&t, buf, n));
		memcpy(buf, letters, n);
		buf[0] = '@';
		assert_null(find_exact(&t, buf, n));
		buf[0] = 'A';
		buf[n] = '\0';
		/* the key and a NUL: one byte longer, no key */
		assert_null(find_exact(&t, buf, n + 1));
	}
	assert_null(find_exact(&t, "ABCDEFGHIJKLMNOPQ", 17));
	assert_null(find_exact(&t, "a", 0));
	/* each key followed by the longer keys' letters: the padded way
	 * masks them off */
	static const char run[] = "aBcDeFgHiJkLmNoPqRsTuVwXyZ";
	for (size_t n = 1; n <= 16; n++)
		assert_ptr_equal(sv_proxy_find_padded(&t, run, n), &t.measures[n - 1]);
	sv_proxy_free(&t);
}

/* Ensure keys that differ only in bytes that bit 0x20 folds alike ('@'
 * and '`', '[' and '{', 0xC1 and 0xE1) are told apart. */
static void test_find_fold_alike(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, "{" HEAD THEMES "'measures': [" MEASURE("a@", "") ", " MEASURE("a`", "") ", "
		     MEASURE("[x]", "") ", " MEASURE("{x}", "") ", "
		     MEASURE("\xe1\x80\x80", ", 'aliases': ['n\xc3\xa1me@long-alias']") "]}");
	assert_non_null(t.short_slots);
	assert_ptr_equal(sv_proxy_find(&t, "A@", 2), &t.measures[0]);
	assert_ptr_equal(sv_proxy_find(&t, "A`", 2), &t.measures[1]);
	assert_ptr_equal(sv_proxy_find(&t, "[X]", 3), &t.measures[2]);
	assert_ptr_equal(sv_proxy_find(&t, "{X}", 3), &t.measures[3]);
	assert_null(sv_proxy_find(&t, "[x}", 3));
	assert_null(sv_proxy_find(&t, "{x]", 3));
	assert_ptr_equal(sv_proxy_find(&t, "\xe1\x80\x80", 3), &t.measures[4]);
	/* 0xC1 is 'A' with the high bit: no capital to lower */
	assert_null(sv_proxy_find(&t, "\xc1\x80\x80", 3));
	assert_null(sv_proxy_find(&t, "\xe1\xa0\x80", 3));
	assert_null(sv_proxy_find(&t, "a\x00", 2));
	assert_null(sv_proxy_find(&t, "A@\x00", 3));
	assert_ptr_equal(sv_proxy_find(&t, "N\xc3\xa1ME@LONG-ALIAS", 16), &t.measures[4]);
	assert_null(sv_proxy_find(&t, "N\xc3\x81ME@LONG-ALIAS", 16));
	assert_null(sv_proxy_find(&t, "n\xc3\xa1me`long-alias", 16));
	assert_int_equal(assert_every_key_found(&t), 6);
	assert_int_equal(assert_every_near_miss(&t), 140);
	sv_proxy_free(&t);
}

/* Ensure a table with more short keys than the perfect hash has slots
 * finds them all by probing, in any case, and not their near misses. */
static void test_find_without_perfect_hash(void **state)
{
	(void)state;
	enum { KEYS = 4200 };
	size_t cap = KEYS * 128, len;
	char *table = malloc(cap);
	assert_non_null(table);
	len = (size_t)snprintf(table, cap, "{" HEAD THEMES "'measures': [");
	for (int i = 0; i < KEYS; i++)
		len += (size_t)snprintf(table + len, cap - len, "%s" MEASURE("k%d", ""), i ? ", " : "", i);
	snprintf(table + len, cap - len, "]}");
	struct sv_proxy_table t;
	accepted(&t, table);
	free(table);
	assert_null(t.short_slots);
	assert_int_equal(assert_every_key_found(&t), KEYS);
	assert_ptr_equal(sv_proxy_find(&t, "K4199", 5), &t.measures[4199]);
	assert_null(sv_proxy_find(&t, "k4200", 5));
	assert_null(sv_proxy_find(&t, "k0 ", 3));
	assert_null(sv_proxy_find(&t, "k0\x00", 3));
	assert_null(sv_proxy_find(&t, "K", 1));
	size_t misses = 0;
	for (int i = 0; i < KEYS; i += 97) {
		char id[16];
		snprintf(id, sizeof id, "k%d", i);
		misses += assert_near_misses(&t, id);
	}
	/* "k0" with 0x01 flipped is "k1", a key: not every near miss misses */
	assert_int_equal(misses, 896);
	sv_proxy_free(&t);
}

/* Ensure a near miss suggests the closest id or alias. */
static void test_suggest_close(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, small_table);
	assert_string_equal(sv_proxy_suggest(&t, "NT99", 4), "NT9");
	assert_string_equal(sv_proxy_suggest(&t, "local_jbo", 9), "local_job");
	assert_string_equal(sv_proxy_suggest(&t, "nt", 2), "NT1");
	sv_proxy_free(&t);
}

/* Ensure nothing is suggested for a string far from every id and alias. */
static void test_suggest_far(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	accepted(&t, small_table);
	assert_null(sv_proxy_suggest(&t, "volunteering", 12));
	assert_null(sv_proxy_suggest(&t, "XYZ123", 6));
	sv_proxy_free(&t);
}

/* Ensure the edit distance is Levenshtein's, ASCII case-insensitive. */
static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(sv_edit_distance("kitten", 6, "sitting", 7), 3);
	assert_int_equal(sv_edit_distance("ABC", 3, "abc", 3), 0);
	assert_int_equal(sv_edit_distance("", 0, "abc", 3), 3);
	assert_int_equal(sv_edit_distance("NT99", 4, "NT9", 3), 1);
	/* a swap of neighbours is one edit (optimal string alignment) */
	assert_int_equal(sv_edit_distance("theem", 5, "theme", 5), 1);
	assert_int_equal(sv_edit_distance("chekc", 5, "check", 5), 1);
	assert_int_equal(sv_edit_distance("ca", 2, "abc", 3), 3);
	char longer[70];
	memset(longer, 'a', sizeof longer);
	assert_int_equal(sv_edit_distance("a", 1, longer, sizeof longer), SIZE_MAX);
}

/* Ensure a distance is close enough up to a third of the word, at least 1 and at most 3. */
static void test_close_enough(void **state)
{
	(void)state;
	assert_true(sv_close_enough(1, 1));
	assert_false(sv_close_enough(0, 5));
	assert_false(sv_close_enough(2, 5));
	assert_true(sv_close_enough(2, 6));
	assert_true(sv_close_enough(3, 12));
	assert_false(sv_close_enough(4, 12));
}

/* Ensure the built-in table loads when no path and no environment are given. */
static void test_builtin_table(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	assert_int_equal(unsetenv("SV_CALC_PROXIES"), 0);
	struct capture c;
	capture_start(&c);
	assert_int_equal(sv_proxy_load_default(&t, NULL), SV_OK);
	char *diag = capture_end(&c);
	assert_string_equal(diag, "");
	free(diag);
	assert_string_equal(t.origin, SV_BUILTIN_ORIGIN);
	assert_string_equal(t.origin, "<built-in>");
	assert_string_equal(t.name, "sv-calc open proxies");
	assert_string_equal(t.version, "2026.1");
	/* one price basis: every priced value in the table's own year */
	assert_int_equal(t.price_year.year, 2026);
	assert_false(t.price_year.calendar);
	assert_false(sv_proxy_is_mixed(&t));
	const struct sv_measure *m = sv_proxy_find(&t, "nt1", 3);
	assert_non_null(m);
	assert_string_equal(m->id, "jobs.local_fte");
	assert_int_equal(m->value, 411117800);
	sv_proxy_free(&t);
}

static void assert_same_string(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_same_year(struct sv_price_year a, struct sv_price_year b)
{
	assert_int_equal(a.year, b.year);
	assert_int_equal(a.calendar, b.calendar);
}

static void assert_same_measure(const struct sv_measure *a, const struct sv_measure *b)
{
	assert_same_string(a->id, b->id);
	assert_same_string(a->name, b->name);
	assert_same_string(a->unit, b->unit);
	assert_same_string(a->source, b->source);
	assert_same_string(a->licence, b->licence);
	assert_same_string(a->derivation, b->derivation);
	assert_int_equal(a->theme, b->theme);
	assert_int_equal(a->index, b->index);
	assert_int_equal(a->value_type, b->value_type);
	assert_int_equal(a->record_only, b->record_only);
	assert_int_equal(a->value, b->value);
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(a->adjust[k], b->adjust[k]);
	assert_int_equal(a->duration_years, b->duration_years);
	assert_same_year(a->price_year, b->price_year);
	assert_int_equal(a->n_aliases, b->n_aliases);
	assert_int_equal(a->aliases == NULL, b->aliases == NULL);
	for (size_t k = 0; k < a->n_aliases; k++)
		assert_same_string(a->aliases[k], b->aliases[k]);
	assert_int_equal(a->n_units, b->n_units);
	assert_int_equal(a->units == NULL, b->units == NULL);
	for (size_t k = 0; k < a->n_units; k++) {
		assert_same_string(a->units[k].name, b->units[k].name);
		assert_int_equal(a->units[k].num, b->units[k].num);
		assert_int_equal(a->units[k].den, b->units[k].den);
	}
}

/* The index's key is the measure's own id or alias, as the loader's is. */
static void assert_key_is_measures(const struct sv_proxy_table *t, const struct sv_index_slot *s)
{
	const struct sv_measure *m = &t->measures[s->measure];
	bool found = s->key == m->id;
	for (size_t k = 0; k < m->n_aliases; k++)
		found = found || s->key == m->aliases[k];
	assert_true(found);
}

static void assert_same_index(const struct sv_proxy_table *a, const struct sv_proxy_table *b)
{
	assert_int_equal(a->index_cap, b->index_cap);
	for (size_t i = 0; i < a->index_cap; i++) {
		const struct sv_index_slot *x = &a->index[i], *y = &b->index[i];
		assert_same_string(x->key, y->key);
		if (!x->key)
			continue;
		assert_int_equal(x->key_len, y->key_len);
		assert_int_equal(x->word, y->word);
		assert_int_equal(x->hash, y->hash);
		assert_int_equal(x->measure, y->measure);
		assert_key_is_measures(b, y);
	}
	assert_int_equal(a->short_slots == NULL, b->short_slots == NULL);
	assert_int_equal(a->short_mult, b->short_mult);
	assert_int_equal(a->short_mult2, b->short_mult2);
	assert_int_equal(a->short_shift, b->short_shift);
	if (!a->short_slots)
		return;
	for (size_t i = 0; i < (size_t)1 << (64 - a->short_shift); i++) {
		const struct sv_short_slot *x = &a->short_slots[i], *y = &b->short_slots[i];
		assert_int_equal(x->word, y->word);
		assert_int_equal(x->word2, y->word2);
		assert_int_equal(x->len, y->len);
		assert_int_equal(x->measure, y->measure);
	}
}

/* Every id and alias, as written and in capitals, finds the same measure in
 * both; near misses find none or the same suggestion. */
static void assert_same_lookups(const struct sv_proxy_table *a, const struct sv_proxy_table *b)
{
	for (size_t i = 0; i < a->n_measures; i++) {
		const struct sv_measure *m = &a->measures[i];
		for (size_t k = 0; k <= m->n_aliases; k++) {
			char key[256];
			snprintf(key, sizeof key, "%s", k ? m->aliases[k - 1] : m->id);
			size_t n = strlen(key);
			const struct sv_measure *found = sv_proxy_find(b, key, n);
			assert_non_null(found);
			assert_int_equal(found->index, i);
			assert_ptr_equal(sv_proxy_find(a, key, n), m);
			for (char *p = key; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			found = sv_proxy_find(b, key, n);
			assert_non_null(found);
			assert_int_equal(found->index, i);
			key[n - 1] = key[n - 1] == 'Q' ? 'X' : 'Q';
			assert_int_equal(sv_proxy_find(a, key, n) == NULL, sv_proxy_find(b, key, n) == NULL);
			assert_same_string(sv_proxy_suggest(a, key, n), sv_proxy_suggest(b, key, n));
		}
	}
}

/* Ensure the precompiled built-in table is, field by field, the table the
 * loader makes of the built-in JSON: a generated table left stale by a
 * change to the JSON or the loader fails here. */
static void test_builtin_is_loaded_json(void **state)
{
	(void)state;
	struct sv_proxy_table a, b;
	assert_int_equal(sv_proxy_load_text(&a, (const char *)sv_builtin_proxies, sv_builtin_proxies_len,
					    SV_BUILTIN_ORIGIN),
			 SV_OK);
	assert_int_equal(sv_proxy_load_builtin(&b), SV_OK);
	assert_false(a.borrowed);
	assert_true(b.borrowed);
	assert_same_string(a.origin, b.origin);
	assert_same_string(a.name, b.name);
	assert_same_string(a.version, b.version);
	assert_same_year(a.price_year, b.price_year);
	assert_same_string(a.currency, b.currency);
	assert_same_string(a.source, b.source);
	assert_same_string(a.licence, b.licence);
	assert_same_string(a.attribution, b.attribution);
	assert_same_string(a.notes, b.notes);
	assert_int_equal(a.n_themes, b.n_themes);
	for (size_t i = 0; i < a.n_themes; i++) {
		assert_same_string(a.themes[i].id, b.themes[i].id);
		assert_same_string(a.themes[i].name, b.themes[i].name);
	}
	assert_int_equal(a.n_measures, b.n_measures);
	for (size_t i = 0; i < a.n_measures; i++)
		assert_same_measure(&a.measures[i], &b.measures[i]);
	assert_int_equal(a.unit_lcm, b.unit_lcm);
	assert_same_index(&a, &b);
	assert_same_lookups(&a, &b);
	assert_same_year(sv_proxy_basis_year(&a), sv_proxy_basis_year(&b));
	assert_int_equal(sv_proxy_is_mixed(&a), sv_proxy_is_mixed(&b));
	/* the digest: given with the table, and computed again from it */
	char da[65], db[65];
	assert_string_equal(a.digest_cache, "");
	assert_true(sv_proxy_digest(&a, da));
	assert_string_equal(b.digest_cache, sv_builtin_digest);
	assert_true(sv_proxy_digest(&b, db));
	assert_string_equal(da, db);
	b.digest_cache[0] = '\0';
	assert_true(sv_proxy_digest(&b, db));
	assert_string_equal(da, db);
	sv_proxy_free(&a);
	sv_proxy_free(&b);
	assert_null(b.measures);
	assert_false(b.borrowed);
}

/* Ensure built-in tables share the static data: freeing one leaves the
 * other whole, and neither frees what is not on the heap. */
static void test_builtin_twice(void **state)
{
	(void)state;
	struct sv_proxy_table a, b;
	assert_int_equal(sv_proxy_load_builtin(&a), SV_OK);
	assert_int_equal(sv_proxy_load_builtin(&b), SV_OK);
	assert_ptr_equal(a.measures, b.measures);
	assert_ptr_not_equal(a.origin, b.origin);
	assert_ptr_not_equal(a.digest_cache, b.digest_cache);
	sv_proxy_free(&a);
	assert_non_null(sv_proxy_find(&b, "NT1", 3));
	assert_string_equal(b.origin, SV_BUILTIN_ORIGIN);
	sv_proxy_free(&b);
}

/* Ensure an empty SV_CALC_PROXIES still means the built-in table. */
static void test_env_empty_means_builtin(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	assert_int_equal(setenv("SV_CALC_PROXIES", "", 1), 0);
	assert_int_equal(sv_proxy_load_default(&t, NULL), SV_OK);
	assert_string_equal(t.origin, "<built-in>");
	sv_proxy_free(&t);
	unsetenv("SV_CALC_PROXIES");
}

/* Ensure SV_CALC_PROXIES overrides the built-in table and a path overrides both. */
static void test_env_and_path_override(void **state)
{
	(void)state;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/table.json", unit_dir);
	struct sv_proxy_table t;
	assert_int_equal(setenv("SV_CALC_PROXIES", path, 1), 0);
	assert_int_equal(sv_proxy_load_default(&t, NULL), SV_OK);
	assert_string_equal(t.name, "unit table");
	assert_string_equal(t.origin, path);
	sv_proxy_free(&t);
	assert_int_equal(setenv("SV_CALC_PROXIES", "/nonexistent/env.json", 1), 0);
	assert_int_equal(sv_proxy_load_default(&t, path), SV_OK);
	assert_string_equal(t.version, "7");
	sv_proxy_free(&t);
	unsetenv("SV_CALC_PROXIES");
}

/* Ensure a table file that cannot be opened is a configuration error naming it. */
static void test_file_missing(void **state)
{
	(void)state;
	struct sv_proxy_table t;
	struct capture c;
	capture_start(&c);
	assert_int_equal(sv_proxy_load_file(&t, "/nonexistent/x.json"), SV_ECONFIG);
	char *diag = capture_end(&c);
	assert_string_equal(diag, "sv-calc: /nonexistent/x.json: cannot open proxy table: No such file or directory\n");
	free(diag);
	assert_int_equal(t.n_measures, 0);
}

/* Finds tests/data/unit from the working directory or above the test binary. */
static void find_unit_dir(const char *argv0)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", argv0);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	if (access("tests/data/unit/table.json", R_OK) == 0) {
		snprintf(unit_dir, sizeof unit_dir, "tests/data/unit");
		return;
	}
	for (int up = 0; up < 8; up++) {
		char probe[PATH_MAX + 64];
		snprintf(probe, sizeof probe, "%s/tests/data/unit/table.json", dir);
		if (access(probe, R_OK) == 0) {
			snprintf(unit_dir, sizeof unit_dir, "%s/tests/data/unit", dir);
			return;
		}
		size_t n = strlen(dir);
		if (n + 4 >= sizeof dir)
			return;
		memcpy(dir + n, "/..", 4);
	}
}

static void test_unit_fraction_parse(void **state)
{
	(void)state;
	int64_t num, den;
	assert_true(sv_unit_fraction_parse("1/12", 4, &num, &den));
	assert_true(num == 1 && den == 12);
	assert_true(sv_unit_fraction_parse("2/6", 3, &num, &den));
	assert_true(num == 1 && den == 3);
	assert_true(sv_unit_fraction_parse("7.5", 3, &num, &den));
	assert_true(num == 15 && den == 2);
	assert_true(sv_unit_fraction_parse("52", 2, &num, &den));
	assert_true(num == 52 && den == 1);
	assert_false(sv_unit_fraction_parse("0", 1, &num, &den));
	assert_false(sv_unit_fraction_parse("1/0", 3, &num, &den));
	assert_false(sv_unit_fraction_parse("1.5/2", 5, &num, &den));
	assert_false(sv_unit_fraction_parse("1/2000000", 9, &num, &den));
	assert_false(sv_unit_fraction_parse("-1/2", 4, &num, &den));
	assert_false(sv_unit_fraction_parse("", 0, &num, &den));
	char buf[48];
	sv_unit_fraction_text(buf, sizeof buf, 15, 2);
	assert_string_equal(buf, "7.5");
	sv_unit_fraction_text(buf, sizeof buf, 1, 12);
	assert_string_equal(buf, "1/12");
	sv_unit_fraction_text(buf, sizeof buf, 1, 1000);
	assert_string_equal(buf, "0.001");
}

int main(int argc, char **argv)
{
	(void)argc;
	find_unit_dir(argv[0]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_small_table),
		cmocka_unit_test(test_null_value_record_only),
		cmocka_unit_test(test_unknown_keys_ignored),
		cmocka_unit_test(test_missing_name_version),
		cmocka_unit_test(test_empty_name),
		cmocka_unit_test(test_empty_themes),
		cmocka_unit_test(test_empty_measures),
		cmocka_unit_test(test_theme_missing_fields),
		cmocka_unit_test(test_duplicate_theme),
		cmocka_unit_test(test_measure_missing_id),
		cmocka_unit_test(test_measure_missing_fields),
		cmocka_unit_test(test_unknown_theme),
		cmocka_unit_test(test_theme_case_insensitive),
		cmocka_unit_test(test_value_type_case_insensitive),
		cmocka_unit_test(test_bad_value_type),
		cmocka_unit_test(test_value_type_names),
		cmocka_unit_test(test_value_too_large),
		cmocka_unit_test(test_value_max_accepted),
		cmocka_unit_test(test_value_negative),
		cmocka_unit_test(test_value_five_decimals_string),
		cmocka_unit_test(test_value_five_decimals_number),
		cmocka_unit_test(test_value_bad_string),
		cmocka_unit_test(test_value_wrong_type),
		cmocka_unit_test(test_value_exponent_and_trailing_zeros),
		cmocka_unit_test(test_value_many_decimals_number),
		cmocka_unit_test(test_value_exponent_places),
		cmocka_unit_test(test_adjustments_exact),
		cmocka_unit_test(test_years_exact),
		cmocka_unit_test(test_price_year_kinds),
		cmocka_unit_test(test_nul_escape_refused),
		cmocka_unit_test(test_escaped_backslash_not_nul),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_deflators_exact),
		cmocka_unit_test(test_duplicate_json_keys),
		cmocka_unit_test(test_duplicate_json_keys_many),
		cmocka_unit_test(test_id_collision),
		cmocka_unit_test(test_alias_collides_with_id),
		cmocka_unit_test(test_alias_collides_with_alias),
		cmocka_unit_test(test_alias_repeats_own),
		cmocka_unit_test(test_bad_aliases),
		cmocka_unit_test(test_syntax_error_position),
		cmocka_unit_test(test_syntax_error_trailing_and_empty),
		cmocka_unit_test(test_syntax_error_nul),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_word),
		cmocka_unit_test(test_find_builtin_every_key),
		cmocka_unit_test(test_find_bench_every_key),
		cmocka_unit_test(test_find_lengths),
		cmocka_unit_test(test_find_fold_alike),
		cmocka_unit_test(test_find_without_perfect_hash),
		cmocka_unit_test(test_suggest_close),
		cmocka_unit_test(test_suggest_far),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_close_enough),
		cmocka_unit_test(test_builtin_table),
		cmocka_unit_test(test_builtin_is_loaded_json),
		cmocka_unit_test(test_builtin_twice),
		cmocka_unit_test(test_env_empty_means_builtin),
		cmocka_unit_test(test_env_and_path_override),
		cmocka_unit_test(test_file_missing),
		cmocka_unit_test(test_unit_fraction_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
