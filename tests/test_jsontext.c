/*
 * test_jsontext.c - the JSON pre-scan (NUL, depth, number literals), exact
 * number literals as dec4, and the pairing of cJSON number nodes with
 * their text.
 */
#include "test_util.h"

#include "sv_jsontext.h"
#include "sv_money.h"

/* Scans text (a C string) and returns the problem, *where its offset. */
static enum sv_json_problem scan(const char *text, size_t *where)
{
	struct sv_json_scan s;
	*where = SIZE_MAX;
	enum sv_json_problem p = sv_json_scan(text, strlen(text), &s, where);
	sv_json_scan_free(&s);
	return p;
}

/* A string of n copies of c followed by tail (free it). */
static char *repeat(char c, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	char *s = malloc(n + t + 1);
	assert_non_null(s);
	memset(s, c, n);
	memcpy(s + n, tail, t + 1);
	return s;
}

/* Ensure number literals outside strings are listed, in order, as written. */
static void test_scan_lists_numbers(void **state)
{
	(void)state;
	static const char text[] = "{\"a1\": [1, -2.50e+3, \"3\", 0.0001], \"b\\\"4\": 5E-2, \"t\": true}";
	static const char *const want[] = {"1", "-2.50e+3", "0.0001", "5E-2"};
	struct sv_json_scan s;
	size_t where;
	assert_int_equal(sv_json_scan(text, sizeof text - 1, &s, &where), SV_JSON_CLEAN);
	assert_int_equal(s.n_numbers, 4);
	for (size_t k = 0; k < 4; k++) {
		assert_int_equal(s.numbers[k].len, strlen(want[k]));
		assert_memory_equal(text + s.numbers[k].offset, want[k], strlen(want[k]));
	}
	sv_json_scan_free(&s);
	assert_null(s.numbers);
	assert_int_equal(s.n_numbers, 0);
}

/* Ensure \u0000 in a value or a key is found at its backslash. */
static void test_scan_nul_escape(void **state)
{
	(void)state;
	size_t where;
	assert_int_equal(scan("{\"id\": \"x\\u0000y\"}", &where), SV_JSON_NUL_ESCAPE);
	assert_int_equal(where, 9);
	assert_int_equal(scan("{\"k\\u0000\": 1}", &where), SV_JSON_NUL_ESCAPE);
	assert_int_equal(where, 3);
	/* an escaped backslash, then \u0000 */
	assert_int_equal(scan("[\"\\\\\\u0000\"]", &where), SV_JSON_NUL_ESCAPE);
	assert_int_equal(where, 4);
	assert_int_equal(scan("[\"\\u00000\"]", &where), SV_JSON_NUL_ESCAPE);
	assert_int_equal(where, 2);
}

/* Ensure an escaped backslash before u0000, and other \u escapes, are not NUL. */
static void test_scan_not_nul(void **state)
{
	(void)state;
	size_t where;
	assert_int_equal(scan("[\"a\\\\u0000b\"]", &where), SV_JSON_CLEAN);
	assert_int_equal(scan("[\"\\u0001\", \"\\u0100\", \"\\uD800\\uDC00\", \"\\u000\"]", &where), SV_JSON_CLEAN);
	/* outside a string it is a syntax error, for cJSON to report */
	assert_int_equal(scan("[\\u0000]", &where), SV_JSON_CLEAN);
}

/* Ensure a raw NUL byte is found anywhere: outside strings, inside, after a backslash. */
static void test_scan_nul_byte(void **state)
{
	(void)state;
	struct sv_json_scan s;
	size_t where;
	assert_int_equal(sv_json_scan("[1,\0 2]", 7, &s, &where), SV_JSON_NUL_BYTE);
	assert_int_equal(where, 3);
	assert_null(s.numbers);
	assert_int_equal(sv_json_scan("[\"a\0\"]", 6, &s, &where), SV_JSON_NUL_BYTE);
	assert_int_equal(where, 3);
	assert_int_equal(sv_json_scan("[\"a\\\0\"]", 7, &s, &where), SV_JSON_NUL_BYTE);
	assert_int_equal(where, 4);
}

/* Ensure 64 levels pass, the 65th is found at its bracket, and closed levels count no more. */
static void test_scan_depth(void **state)
{
	(void)state;
	size_t where;
	char *ok = repeat('[', SV_JSON_DEPTH_MAX, "");
	assert_int_equal(scan(ok, &where), SV_JSON_CLEAN);
	free(ok);
	char *deep = repeat('[', SV_JSON_DEPTH_MAX + 1, "");
	assert_int_equal(scan(deep, &where), SV_JSON_TOO_DEEP);
	assert_int_equal(where, SV_JSON_DEPTH_MAX);
	free(deep);
	char *mixed = repeat('{', 40, "\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[");
	assert_int_equal(scan(mixed, &where), SV_JSON_TOO_DEEP);
	assert_int_equal(where, 40 + 5 + 24);
	free(mixed);
	/* brackets in strings are text; closed ones give their level back */
	char *twice = malloc(512);
	assert_non_null(twice);
	snprintf(twice, 512, "[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\", ");
	size_t n = strlen(twice);
	for (int k = 0; k < 2; k++) {
		memset(twice + n, '[', 60);
		memset(twice + n + 60, ']', 60);
		n += 120;
	}
	memcpy(twice + n, "]", 2);
	assert_int_equal(scan(twice, &where), SV_JSON_CLEAN);
	free(twice);
}

/* Ensure offsets become 1-based lines and byte columns. */
static void test_position(void **state)
{
	(void)state;
	unsigned long line, col;
	sv_json_position("ab\ncd\n\nx", 0, &line, &col);
	assert_true(line == 1 && col == 1);
	sv_json_position("ab\ncd\n\nx", 4, &line, &col);
	assert_true(line == 2 && col == 2);
	sv_json_position("ab\ncd\n\nx", 7, &line, &col);
	assert_true(line == 4 && col == 1);
}

/* Returns whether s reads as a dec4 within SV_VALUE_MAX, *v its value. */
static bool dec4(const char *s, int64_t *v)
{
	*v = -1;
	return sv_json_number_dec4(s, strlen(s), SV_VALUE_MAX, v);
}

/* Ensure decimals with at most 4 places (trailing zeros, exponents) are read exactly. */
static void test_number_accepted(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t want;
	} cases[] = {
		{"0", 0}, {"-0", 0}, {"0.0000", 0}, {"0e999999999999999999", 0}, {"1", 10000},
		{"1.5", 15000}, {"1.50000", 15000}, {"1.25e-2", 125}, {"125E-4", 125}, {"0.0001", 1},
		{"1e-4", 1}, {"1000e-7", 1}, {"3.90390e4", 390390000}, {"1.2345E2", 1234500},
		{"17.0400000", 170400}, {"01.5", 15000}, {"1e+3", 10000000}, {"1000000000", SV_VALUE_MAX},
		{"1000000000.00000000000000000000", SV_VALUE_MAX}, {"1e9", SV_VALUE_MAX},
		{"0.000000000001e8", 1},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		int64_t v;
		if (!dec4(cases[k].text, &v) || v != cases[k].want)
			fail_msg("'%s' read as %lld", cases[k].text, (long long)v);
	}
}

/* Ensure a fifth place, however written, a negative value, too large a value and non-decimals are refused. */
static void test_number_refused(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"1.00000000000000000000001", "1.00001", "1e-5", "0.00001", "12345e-8", "1.5e-4",
		"-1", "-0.0001", "1000000000.0001", "1000000001", "1e10", "1e999999999999999999",
		"99999999999999999999", "1e-999999999999999999", "", "-", ".5", "1.", "1e", "1e+",
		"+1", "1.5.", "0x10", "1 ", "NaN", "Infinity", "1,5",
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		int64_t v;
		if (dec4(cases[k], &v))
			fail_msg("'%s' accepted as %lld", cases[k], (long long)v);
		assert_int_equal(v, -1);
	}
}

/* Ensure the limit given is the one applied. */
static void test_number_max(void **state)
{
	(void)state;
	int64_t v;
	assert_true(sv_json_number_dec4("1", 1, SV_DEC4_SCALE, &v));
	assert_int_equal(v, SV_DEC4_SCALE);
	assert_false(sv_json_number_dec4("1.0001", 6, SV_DEC4_SCALE, &v));
	assert_true(sv_json_number_dec4("2.2e3", 5, (int64_t)2200 * SV_DEC4_SCALE, &v));
	assert_int_equal(v, (int64_t)2200 * SV_DEC4_SCALE);
}

/* Parses text as "t.json" and returns the status; *diag gets the diagnostics. */
static enum sv_status parse(struct sv_json_doc *doc, const char *text, char **diag)
{
	struct capture c;
	capture_start(&c);
	enum sv_status st = sv_json_parse(doc, text, strlen(text), "t.json");
	*diag = capture_end(&c);
	return st;
}

/* Asserts the node's literal is want. */
static void assert_literal(const struct sv_json_doc *doc, const cJSON *node, const char *want)
{
	size_t n;
	const char *s = sv_json_number_text(doc, node, &n);
	assert_non_null(s);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(s, want, n);
}

/* Ensure each number node, at any depth and in any order, gets its own literal. */
static void test_parse_pairs_nodes(void **state)
{
	(void)state;
	static const char text[] = "{\"a\": 1.00000000000000000000001, \"b\": {\"c\": [1, [2.0, 3e0], {\"d\": 1}]},\n"
				   " \"e\": \"7\", \"f\": 1.0, \"g\": null}";
	struct sv_json_doc doc;
	char *diag;
	assert_int_equal(parse(&doc, text, &diag), SV_OK);
	assert_string_equal(diag, "");
	free(diag);
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc.root, "b"), "c");
	assert_literal(&doc, cJSON_GetObjectItemCaseSensitive(doc.root, "a"), "1.00000000000000000000001");
	assert_literal(&doc, cJSON_GetArrayItem(c, 0), "1");
	assert_literal(&doc, cJSON_GetArrayItem(cJSON_GetArrayItem(c, 1), 0), "2.0");
	assert_literal(&doc, cJSON_GetArrayItem(cJSON_GetArrayItem(c, 1), 1), "3e0");
	assert_literal(&doc, cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(c, 2), "d"), "1");
	assert_literal(&doc, cJSON_GetObjectItemCaseSensitive(doc.root, "f"), "1.0");
	size_t n = 99;
	assert_null(sv_json_number_text(&doc, cJSON_GetObjectItemCaseSensitive(doc.root, "e"), &n));
	assert_int_equal(n, 0);
	assert_null(sv_json_number_text(&doc, cJSON_GetObjectItemCaseSensitive(doc.root, "g"), &n));
	assert_null(sv_json_number_text(&doc, NULL, &n));
	sv_json_doc_free(&doc);
	assert_null(doc.root);
}

/* Ensure a literal longer than any double's text still pairs with its node
 * (fuzz_proxy: a 70-digit value was "internal error", exit 70). */
static void test_parse_long_literal(void **state)
{
	(void)state;
	char *digits = repeat('0', 400, "1");
	char *text = malloc(1024);
	assert_non_null(text);
	snprintf(text, 1024, "{\"a\": [0.%s, 1.%se5]}", digits, digits);
	struct sv_json_doc doc;
	char *diag;
	assert_int_equal(parse(&doc, text, &diag), SV_OK);
	assert_string_equal(diag, "");
	free(diag);
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(doc.root, "a");
	size_t n = 0;
	const char *lit = sv_json_number_text(&doc, cJSON_GetArrayItem(a, 0), &n);
	assert_int_equal(n, 403);
	assert_memory_equal(lit, "0.0000", 6);
	lit = sv_json_number_text(&doc, cJSON_GetArrayItem(a, 1), &n);
	assert_int_equal(n, 405);
	assert_memory_equal(lit + 401, "01e5", 4);
	sv_json_doc_free(&doc);
	free(text);
	free(digits);
}

/* Ensure a document with no numbers parses and finds none. */
static void test_parse_no_numbers(void **state)
{
	(void)state;
	struct sv_json_doc doc;
	char *diag;
	assert_int_equal(parse(&doc, "{\"a\": [\"1\", true]}", &diag), SV_OK);
	free(diag);
	size_t n;
	assert_null(sv_json_number_text(&doc, cJSON_GetObjectItemCaseSensitive(doc.root, "a"), &n));
	sv_json_doc_free(&doc);
}

/* Ensure each refusal says FILE:LINE:COL and why, and leaves nothing to free. */
static void test_parse_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{"{\n  \"id\": \"x\\u0000y\"}", "sv-calc: t.json:2:11: \\u0000 in a JSON string (NUL is not allowed in a key or value)\n"},
		{"{\n\"a\": [1,\n2,]}", "sv-calc: t.json:3:3: JSON syntax error\n"},
		{"", "sv-calc: t.json:1:1: JSON syntax error\n"},
		{"{\"a\": 1} x", "sv-calc: t.json:1:10: JSON syntax error\n"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct sv_json_doc doc;
		char *diag;
		assert_int_equal(parse(&doc, cases[k].text, &diag), SV_ECONFIG);
		assert_string_equal(diag, cases[k].want);
		assert_null(doc.root);
		assert_null(doc.scan.numbers);
		assert_null(doc.by_node);
		free(diag);
	}
}

/* Ensure 100,000 levels are refused by the pre-scan, not by cJSON's limit. */
static void test_parse_deep(void **state)
{
	(void)state;
	char *deep = repeat('[', 100000, "");
	struct sv_json_doc doc;
	char *diag;
	assert_int_equal(parse(&doc, deep, &diag), SV_ECONFIG);
	assert_string_equal(diag, "sv-calc: t.json:1:65: JSON nested deeper than 64 levels\n");
	free(diag);
	free(deep);
}

/* Ensure a raw NUL byte is refused by the parse at its position. */
static void test_parse_nul_byte(void **state)
{
	(void)state;
	static const char text[] = "{\"a\":\n \"b\0\"}";
	struct sv_json_doc doc;
	struct capture c;
	capture_start(&c);
	assert_int_equal(sv_json_parse(&doc, text, sizeof text - 1, "t.json"), SV_ECONFIG);
	char *diag = capture_end(&c);
	assert_string_equal(diag, "sv-calc: t.json:2:4: NUL byte in the JSON text (not allowed anywhere in it)\n");
	free(diag);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_lists_numbers),
		cmocka_unit_test(test_scan_nul_escape),
		cmocka_unit_test(test_scan_not_nul),
		cmocka_unit_test(test_scan_nul_byte),
		cmocka_unit_test(test_scan_depth),
		cmocka_unit_test(test_position),
		cmocka_unit_test(test_number_accepted),
		cmocka_unit_test(test_number_refused),
		cmocka_unit_test(test_number_max),
		cmocka_unit_test(test_parse_pairs_nodes),
		cmocka_unit_test(test_parse_long_literal),
		cmocka_unit_test(test_parse_no_numbers),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_parse_deep),
		cmocka_unit_test(test_parse_nul_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
