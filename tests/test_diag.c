/*
 * test_diag.c - the diagnostics: the message formatter against vsnprintf,
 * and the prefixes every message gets.
 *
 * sv_diag_vformat makes "%s"-only messages by hand; each case formats the
 * same arguments with it and with vsnprintf, into buffers of every size
 * from 0 to past the whole text, and wants the same bytes and the same
 * return value.
 */
#include "test_util.h"

#include <limits.h>

#define BUF 256

/* Both ways, into a buffer of cap bytes; the bytes past the text must be
 * untouched by both. */
static void __attribute__((format(printf, 2, 3))) assert_like_vsnprintf(size_t cap, const char *fmt, ...)
{
	char mine[BUF], libc[BUF];
	assert_true(cap <= BUF);
	memset(mine, 'x', sizeof mine);
	memset(libc, 'x', sizeof libc);
	va_list a, b;
	va_start(a, fmt);
	va_copy(b, a);
	int n_mine = sv_diag_vformat(cap ? mine : NULL, cap, fmt, a);
	int n_libc = vsnprintf(cap ? libc : NULL, cap, fmt, b);
	va_end(b);
	va_end(a);
	assert_int_equal(n_mine, n_libc);
	assert_memory_equal(mine, libc, sizeof mine);
}

/* Every capacity from 0 to a byte past the whole text. */
#define ALL_CAPS(len, ...)                                      \
	for (size_t cap = 0; cap <= (size_t)(len) + 1; cap++) \
		assert_like_vsnprintf(cap, __VA_ARGS__)

/* An empty format is what the compiler warns of, and what is tested. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-zero-length"
static void test_no_conversion(void **state)
{
	(void)state;
	ALL_CAPS(0, "");
	ALL_CAPS(15, "no arguments at all");
}
#pragma GCC diagnostic pop

static void test_strings(void **state)
{
	(void)state;
	ALL_CAPS(3, "%s", "NT1");
	ALL_CAPS(24, "%s: '%s' is not a number", "Quantity", "1,0x");
	ALL_CAPS(40, "%s%s%s", "a", "bc", "def");
	ALL_CAPS(40, "[%s][%s][%s][%s][%s]", "1", "22", "", "4444", "55555");
	ALL_CAPS(40, "%s at the end: %s", "start", "end");
}

static void test_empty_strings(void **state)
{
	(void)state;
	ALL_CAPS(2, "%s", "");
	ALL_CAPS(4, "%s%s%s", "", "", "");
	ALL_CAPS(12, "before %s after", "");
}

static void test_percent(void **state)
{
	(void)state;
	ALL_CAPS(3, "%%");
	ALL_CAPS(12, "%s is 20%% of %s", "NT1", "NT2");
	ALL_CAPS(6, "%%%s%%", "%s");
	ALL_CAPS(6, "%%%%s");
}

/* Any other conversion goes to vsnprintf, whatever came before it. */
static void test_other_conversions(void **state)
{
	(void)state;
	ALL_CAPS(50, "the row has %zu fields, the header has %zu", (size_t)7, (size_t)5);
	ALL_CAPS(30, "%s then %d then %s", "one", 2, "three");
	ALL_CAPS(30, "%s %5s|%-4s|%.2s", "a", "b", "c", "defg");
	ALL_CAPS(30, "%c%s%lu", 'x', "y", 42UL);
}

static void test_long_strings(void **state)
{
	(void)state;
	char longer[BUF * 2];
	memset(longer, 'q', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	/* texts longer than any buffer: cut at every capacity */
	ALL_CAPS(BUF - 1, "%s", longer);
	ALL_CAPS(BUF - 1, "%s: '%s' (%s)", "Measure", longer, "x");
	ALL_CAPS(BUF - 1, "%s%%%s", longer + 100, longer);
}

static int __attribute__((format(printf, 3, 4))) format_into(char *text, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = sv_diag_vformat(text, cap, fmt, ap);
	va_end(ap);
	return n;
}

/* A null "%s" prints as glibc prints it (which the standard leaves
 * undefined, so it is not asked of vsnprintf here). */
static void test_null_string(void **state)
{
	(void)state;
	char text[32];
	/* volatile: gcc warns of a null argument it can see */
	const char *volatile none = NULL;
	assert_int_equal(format_into(text, sizeof text, "<%s>", none), 8);
	assert_string_equal(text, "<(null)>");
}

static void test_prefixes(void **state)
{
	(void)state;
	struct capture c;
	capture_start(&c);
	sv_diag("%s", "plain");
	sv_diag_at("f.csv", 12, "%s: %d", "at a line", 3);
	sv_diag_at("f.csv", 0, "no line");
	char *text = capture_end(&c);
	assert_string_equal(text, "sv-calc: plain\n"
				  "sv-calc: f.csv:12: at a line: 3\n"
				  "sv-calc: f.csv: no line\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_conversion),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_empty_strings),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_other_conversions),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_prefixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
