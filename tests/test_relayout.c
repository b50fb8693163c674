/*
 * test_relayout.c - rejects rows moved under a wider header: the cuts
 * found in sv-calc's own CSV (quoted commas, quotes and line ends
 * included), the empty cells put in, and rows cut short or malformed told
 * apart.
 */
#include "test_util.h"

#include "sv_relayout.h"

static const struct sv_layout two = {2, 0};

/* text moved from one layout to the other, as a new string; the whole
 * text must be one row */
static char *moved(const char *text, struct sv_layout from, struct sv_layout to)
{
	size_t n = strlen(text);
	struct sv_relayout_cut cut;
	assert_int_equal(sv_relayout_scan(text, n, from, &cut), SV_RELAYOUT_ROW);
	assert_int_equal(cut.end, n);
	char *dst = malloc(n + sv_relayout_growth(from, to) + 1);
	assert_non_null(dst);
	size_t w = sv_relayout_put(dst, text, &cut, from, to);
	assert_int_equal(w, n + sv_relayout_growth(from, to));
	dst[w] = '\0';
	return dst;
}

/* Ensure a plain row's cuts fall after its names' cells, after all its
 * cells and after its newline, and that only the first row is read. */
static void test_scan_plain(void **state)
{
	(void)state;
	const char *text = "a,b,e1,f.csv,3,why\nnext,row,,f.csv,4,x\n";
	struct sv_relayout_cut cut;
	assert_int_equal(sv_relayout_scan(text, strlen(text), (struct sv_layout){2, 1}, &cut), SV_RELAYOUT_ROW);
	assert_int_equal(cut.names_end, 4);
	assert_int_equal(cut.cells_end, 7);
	assert_int_equal(cut.end, 19);
	assert_int_equal(sv_relayout_scan(text + 19, strlen(text + 19), (struct sv_layout){2, 1}, &cut),
			 SV_RELAYOUT_ROW);
	assert_int_equal(cut.end, strlen(text + 19));
}

/* Ensure quoted fields holding commas, doubled quotes and line ends are
 * single cells, in the cells and in the tail alike. */
static void test_scan_quoted(void **state)
{
	(void)state;
	const char *text = "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"my,file.csv\",12,\"x, \"\"y\"\"\nz\"\n";
	struct sv_relayout_cut cut;
	assert_int_equal(sv_relayout_scan(text, strlen(text), (struct sv_layout){1, 2}, &cut), SV_RELAYOUT_ROW);
	assert_int_equal(cut.names_end, strlen("\"a,b\","));
	assert_int_equal(cut.cells_end, strlen("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","));
	assert_int_equal(cut.end, strlen(text));
	/* an empty quoted field, and a quote pair ending the buffer */
	assert_int_equal(sv_relayout_scan("\"\",f,1,\"\"\n", 10, (struct sv_layout){1, 0}, &cut), SV_RELAYOUT_ROW);
	assert_int_equal(cut.end, 10);
}

/* Ensure every proper prefix of a row is short (more must be read), never
 * a row or malformed. */
static void test_scan_short(void **state)
{
	(void)state;
	const char *text = "\"a,\"\"b\",,\"c\nd\",f.csv,3,\"why, \"\"not\"\"\"\n";
	size_t n = strlen(text);
	struct sv_relayout_cut cut;
	for (size_t k = 0; k < n; k++)
		assert_int_equal(sv_relayout_scan(text, k, (struct sv_layout){2, 1}, &cut), SV_RELAYOUT_SHORT);
	assert_int_equal(sv_relayout_scan(text, n, (struct sv_layout){2, 1}, &cut), SV_RELAYOUT_ROW);
	assert_int_equal(cut.end, n);
}

/* Ensure text that is no row of the layout is told apart: too few cells
 * (a line ends early), too many (no line end where the reason ends), text
 * after a closing quote. */
static void test_scan_bad(void **state)
{
	(void)state;
	struct sv_relayout_cut cut;
	assert_int_equal(sv_relayout_scan("a,f.csv,3,why\n", 14, two, &cut), SV_RELAYOUT_BAD);
	assert_int_equal(sv_relayout_scan("a,b,c,f.csv,3,why\n", 18, two, &cut), SV_RELAYOUT_BAD);
	assert_int_equal(sv_relayout_scan("\"a\"x,b,f.csv,3,why\n", 19, two, &cut), SV_RELAYOUT_BAD);
}

/* Ensure new names' empty cells go after the old names' cells, and new
 * extras' after the old extras, the tail untouched. */
static void test_put(void **state)
{
	(void)state;
	char *s = moved("a,b,f.csv,3,why\n", two, (struct sv_layout){4, 1});
	assert_string_equal(s, "a,b,,,,f.csv,3,why\n");
	free(s);
	s = moved("a,b,e,f.csv,3,why\n", (struct sv_layout){2, 1}, (struct sv_layout){3, 2});
	assert_string_equal(s, "a,b,,e,,f.csv,3,why\n");
	free(s);
	s = moved("\"x,\ny\",,\"e,\"\"\",\"f,g\",3,\"a\nb\"\n", (struct sv_layout){2, 1}, (struct sv_layout){2, 3});
	assert_string_equal(s, "\"x,\ny\",,\"e,\"\"\",,,\"f,g\",3,\"a\nb\"\n");
	free(s);
	/* the same layout: the row as it was */
	s = moved("a,b,f.csv,3,why\n", two, two);
	assert_string_equal(s, "a,b,f.csv,3,why\n");
	free(s);
	/* no cells at all (a header of no names, a row of none) */
	s = moved("f.csv,3,why\n", (struct sv_layout){0, 0}, (struct sv_layout){1, 1});
	assert_string_equal(s, ",,f.csv,3,why\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_plain),
		cmocka_unit_test(test_scan_quoted),
		cmocka_unit_test(test_scan_short),
		cmocka_unit_test(test_scan_bad),
		cmocka_unit_test(test_put),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
