/*
 * test_utf8.c - strict UTF-8 validation, Windows-1252 detection, escaping.
 */
#include "test_util.h"

#include "sv_utf8.h"

static size_t prefix(const char *s)
{
	return sv_utf8_valid_prefix(s, strlen(s));
}

static bool cp1252(const char *s)
{
	return sv_utf8_looks_cp1252(s, strlen(s));
}

static const char *escape(char *buf, size_t cap, const char *s)
{
	return sv_utf8_escape(buf, cap, s, strlen(s));
}

/* Ensure ASCII and well-formed sequences of every length are valid. */
static void test_valid_sequences(void **state)
{
	(void)state;
	assert_int_equal(prefix("plain ascii"), 11);
	assert_int_equal(prefix("\xC2\xA3" "5"), 3);              /* U+00A3 */
	assert_int_equal(prefix("\xE2\x82\xAC"), 3);              /* U+20AC */
	assert_int_equal(prefix("\xF0\x9F\x98\x80"), 4);          /* U+1F600 */
	assert_int_equal(prefix("\xF4\x8F\xBF\xBF"), 4);          /* U+10FFFF */
	assert_int_equal(prefix("\xED\x9F\xBF"), 3);              /* U+D7FF */
	assert_int_equal(prefix("\xEE\x80\x80"), 3);              /* U+E000 */
	assert_true(sv_utf8_valid("", 0));
}

/* Ensure overlong encodings are invalid. */
static void test_overlong(void **state)
{
	(void)state;
	assert_int_equal(prefix("\xC0\x80"), 0);
	assert_int_equal(prefix("\xC1\xBF"), 0);
	assert_int_equal(prefix("\xE0\x80\x80"), 0);
	assert_int_equal(prefix("\xE0\x9F\xBF"), 0);
	assert_int_equal(prefix("\xF0\x80\x80\x80"), 0);
	assert_int_equal(prefix("\xF0\x8F\xBF\xBF"), 0);
}

/* Ensure UTF-16 surrogates are invalid. */
static void test_surrogates(void **state)
{
	(void)state;
	assert_int_equal(prefix("\xED\xA0\x80"), 0);
	assert_int_equal(prefix("ab\xED\xBF\xBF"), 2);
}

/* Ensure code points past U+10FFFF and bytes that never start a sequence are invalid. */
static void test_past_max(void **state)
{
	(void)state;
	assert_int_equal(prefix("\xF4\x90\x80\x80"), 0);
	assert_int_equal(prefix("\xF5\x80\x80\x80"), 0);
	assert_int_equal(prefix("\xFF"), 0);
	assert_int_equal(prefix("\x80"), 0);
}

/* Ensure a sequence cut short, at the end or by another byte, is invalid. */
static void test_truncated(void **state)
{
	(void)state;
	assert_int_equal(prefix("a\xE2\x82"), 1);
	assert_int_equal(prefix("\xC2"), 0);
	assert_int_equal(prefix("ab\xF0\x9F\x98"), 2);
	assert_int_equal(prefix("\xE2\x82" "a"), 0);
	assert_int_equal(prefix("x\xC2\xA3y\xC2"), 4);
}

/* Ensure the prefix stops at the first invalid byte and n bounds the input. */
static void test_prefix_position(void **state)
{
	(void)state;
	assert_int_equal(prefix("ab\xFF" "cd"), 2);
	assert_int_equal(sv_utf8_valid_prefix("\xC2\xA3", 1), 0);
	assert_false(sv_utf8_valid("\xC2\xA3", 1));
	assert_true(sv_utf8_valid("\xC2\xA3", 2));
}

/* Ensure lone high bytes such as a Windows-1252 pound sign look like Windows-1252. */
static void test_cp1252_detected(void **state)
{
	(void)state;
	assert_true(cp1252("\xA3"));
	assert_true(cp1252("\xA3" "12"));
	assert_true(cp1252("caf\xE9"));
	assert_true(cp1252("\x93quoted\x94"));
}

/* Ensure valid UTF-8, plain ASCII and bytes Windows-1252 leaves undefined do not. */
static void test_cp1252_not_detected(void **state)
{
	(void)state;
	assert_false(cp1252("\xC2\xA3" "12"));
	assert_false(cp1252("abc"));
	assert_false(cp1252(""));
	assert_false(cp1252("\x81"));
	assert_false(cp1252("\xA3\x8D"));
}

/* Ensure printable ASCII and valid UTF-8 are copied as they are. */
static void test_escape_plain(void **state)
{
	(void)state;
	char buf[SV_ESCAPE_MAX];
	assert_string_equal(escape(buf, sizeof buf, "NT1"), "NT1");
	assert_string_equal(escape(buf, sizeof buf, "\xC2\xA3" "5"), "\xC2\xA3" "5");
	assert_string_equal(escape(buf, sizeof buf, ""), "");
}

/* Ensure invalid bytes and control characters become \xHH. */
static void test_escape_bytes(void **state)
{
	(void)state;
	char buf[SV_ESCAPE_MAX];
	assert_string_equal(escape(buf, sizeof buf, "\xA3" "5"), "\\xA35");
	assert_string_equal(escape(buf, sizeof buf, "a\tb"), "a\\x09b");
	assert_string_equal(escape(buf, sizeof buf, "\x7F"), "\\x7F");
	assert_string_equal(escape(buf, sizeof buf, "\xE2\x82"), "\\xE2\\x82");
	assert_string_equal(escape(buf, sizeof buf, "\xED\xA0\x80"), "\\xED\\xA0\\x80");
}

/* Ensure long text is cut with "..." inside the buffer. */
static void test_escape_truncates(void **state)
{
	(void)state;
	char buf[SV_ESCAPE_MAX];
	char text[300];
	memset(text, 'a', sizeof text);
	sv_utf8_escape(buf, sizeof buf, text, sizeof text);
	assert_int_equal(strlen(buf), 199);
	assert_memory_equal(buf + 196, "...", 4);
	assert_int_equal(strspn(buf, "a"), 196);
}

/* Ensure a cut never splits an escape or a multi-byte character. */
static void test_escape_truncates_whole_units(void **state)
{
	(void)state;
	char buf[12];
	escape(buf, sizeof buf, "\xA3\xA3\xA3\xA3\xA3");
	assert_string_equal(buf, "\\xA3\\xA3...");
	escape(buf, sizeof buf, "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC");
	assert_string_equal(buf, "\xE2\x82\xAC\xE2\x82\xAC...");
}

/* Ensure the copy never writes past cap, even when cap is tiny. */
static void test_escape_small_cap(void **state)
{
	(void)state;
	char buf[8];
	memset(buf, 'Z', sizeof buf);
	sv_utf8_escape(buf, 3, "abcdef", 6);
	assert_int_equal(buf[3], 'Z');
	assert_true(strlen(buf) < 3);
}

/* Ensure the word-at-a-time ASCII check finds a NUL or a high byte at any
 * position, in the words and in the tail, and passes 1 to 127. */
static void test_plain_ascii(void **state)
{
	(void)state;
	char text[24];
	assert_true(sv_utf8_plain_ascii("", 0));
	for (size_t n = 1; n <= sizeof text; n++) {
		for (size_t k = 0; k < n; k++)
			text[k] = (char)(1 + (k * 37) % 127);
		assert_true(sv_utf8_plain_ascii(text, n));
		for (size_t at = 0; at < n; at++) {
			char keep = text[at];
			text[at] = '\0';
			assert_false(sv_utf8_plain_ascii(text, n));
			text[at] = (char)0x80;
			assert_false(sv_utf8_plain_ascii(text, n));
			text[at] = (char)0xFF;
			assert_false(sv_utf8_plain_ascii(text, n));
			text[at] = 0x7F;
			assert_true(sv_utf8_plain_ascii(text, n));
			text[at] = keep;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ascii),
		cmocka_unit_test(test_valid_sequences),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_surrogates),
		cmocka_unit_test(test_past_max),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_prefix_position),
		cmocka_unit_test(test_cp1252_detected),
		cmocka_unit_test(test_cp1252_not_detected),
		cmocka_unit_test(test_escape_plain),
		cmocka_unit_test(test_escape_bytes),
		cmocka_unit_test(test_escape_truncates),
		cmocka_unit_test(test_escape_truncates_whole_units),
		cmocka_unit_test(test_escape_small_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
