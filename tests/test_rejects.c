/*
 * test_rejects.c - the --rejects file: written as the rows come into the
 * temporary file beside the target, under the united header; rows written
 * before a header brought new names, or a row more fields, moved under the
 * final header; the target untouched by a failed run, removed by a clean
 * one; a device written at the end.
 */
#include "test_util.h"

#include "sv_commands.h"
#include "sv_engine.h"

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#define MAX_FIELDS 8

/* A row from its fields, NULL-terminated. */
struct fields {
	struct sv_field f[MAX_FIELDS];
	struct sv_row row;
};

static const struct sv_row *row_of(struct fields *fs, unsigned long line, const char *const *cells)
{
	size_t n = 0;
	for (; cells[n]; n++)
		fs->f[n] = (struct sv_field){cells[n], strlen(cells[n])};
	fs->row = (struct sv_row){.fields = fs->f, .n_fields = n, .line = line, .delimiter = ','};
	return &fs->row;
}

static void header(struct sv_rejects *r, const char *file, const char *const *names)
{
	struct fields fs;
	sv_rejects_header(r, file, row_of(&fs, 1, names));
}

static void reject(struct sv_rejects *r, const char *file, unsigned long line, const char *const *cells,
		   const char *reason)
{
	struct fields fs;
	struct sv_outcome o = {.file = file, .row = row_of(&fs, line, cells), .status = SV_OUT_INVALID,
			       .reason = reason};
	sv_rejects_outcome(r, &o);
}

/* Files in the test's directory other than `except`. */
static size_t others(const char *except)
{
	DIR *d = opendir(".");
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 && strcmp(e->d_name, except) != 0;
	closedir(d);
	return n;
}

/* The size of the temporary file beside r.csv; -1 when there is none. */
static long long temp_size(void)
{
	DIR *d = opendir(".");
	assert_non_null(d);
	long long size = -1;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		struct stat sb;
		if (strncmp(e->d_name, "r.csv.tmp.", 10) == 0 && stat(e->d_name, &sb) == 0)
			size = (long long)sb.st_size;
	}
	closedir(d);
	return size;
}

/* A run writing to target whose first file, q.csv, has the two columns
 * most tests need. */
static struct sv_rejects *two_columns(const char *target)
{
	struct sv_rejects *r = sv_rejects_new(target);
	assert_non_null(r);
	header(r, "q.csv", (const char *const[]){"measure", "quantity", NULL});
	return r;
}

/* Ends r cleanly; ensures r.csv then holds want and nothing is left
 * beside it. */
static void finish_and_expect(struct sv_rejects *r, const char *want)
{
	assert_int_equal(sv_rejects_finish(r, true), SV_OK);
	assert_file_is("r.csv", want);
	assert_int_equal(others("r.csv"), 0);
}

/* Ensure rows under one header are written under it, quoted where CSV
 * needs it, a short row padded, with file, line and reason. */
static void test_one_header(void **state)
{
	(void)state;
	struct sv_rejects *r = sv_rejects_new("r.csv");
	assert_non_null(r);
	header(r, "q1.csv", (const char *const[]){"date", "measure", "quantity", "", NULL});
	reject(r, "q1.csv", 2, (const char *const[]){"2024-04-01", "NT9", "x", NULL}, "quantity: 'x' is not a number");
	reject(r, "q1.csv", 3, (const char *const[]){"a,b", "say \"hi\"", NULL}, "the row has 2 fields");
	reject(r, "q1.csv", 5, (const char *const[]){"", "NT9", "x", NULL}, "quantity: 'x' is not a number");
	finish_and_expect(r, "date,measure,quantity,source_file,source_line,reason\n"
			     "2024-04-01,NT9,x,q1.csv,2,quantity: 'x' is not a number\n"
			     "\"a,b\",\"say \"\"hi\"\"\",,q1.csv,3,the row has 2 fields\n"
			     ",NT9,x,q1.csv,5,quantity: 'x' is not a number\n");
}

/* Ensure the cells of a row the reader split from a plain line go out as
 * they are when its delimiter is ours, and are quoted as any other when it
 * is not (a comma is text in a file split on semicolons). */
static void test_plain_rows(void **state)
{
	(void)state;
	struct sv_rejects *r = sv_rejects_new("r.csv");
	header(r, "q.csv", (const char *const[]){"measure", "quantity", "note", NULL});
	struct fields fs;
	const struct sv_row *row = row_of(&fs, 2, (const char *const[]){"NT9", "x", "a b", NULL});
	fs.row.plain = true;
	struct sv_outcome o = {.file = "q.csv", .row = row, .status = SV_OUT_INVALID, .reason = "bad"};
	sv_rejects_outcome(r, &o);
	row = row_of(&fs, 3, (const char *const[]){"NT9", "1,5", "it's", NULL});
	fs.row.plain = true;
	fs.row.delimiter = ';';
	o.row = row;
	sv_rejects_outcome(r, &o);
	/* slices of one line, written in one piece; a short one padded */
	static const char line[] = "NT9,y,c d;NT1,z";
	fs.f[0] = (struct sv_field){line, 3};
	fs.f[1] = (struct sv_field){line + 4, 1};
	fs.f[2] = (struct sv_field){line + 6, 3};
	fs.row = (struct sv_row){.fields = fs.f, .n_fields = 3, .line = 4, .delimiter = ',', .plain = true};
	o.row = &fs.row;
	sv_rejects_outcome(r, &o);
	fs.row.n_fields = 2;
	fs.row.line = 5;
	sv_rejects_outcome(r, &o);
	/* a span whose bytes between are not commas goes cell by cell */
	fs.f[0] = (struct sv_field){line + 10, 3};
	fs.f[1] = (struct sv_field){line + 14, 1};
	fs.f[2] = (struct sv_field){line + 6, 3};
	fs.row.n_fields = 3;
	fs.row.line = 6;
	sv_rejects_outcome(r, &o);
	fs.f[0] = (struct sv_field){line + 6, 3};
	fs.f[1] = (struct sv_field){line + 10, 3};
	fs.row.n_fields = 2;
	fs.row.line = 7;
	sv_rejects_outcome(r, &o);
	finish_and_expect(r, "measure,quantity,note,source_file,source_line,reason\n"
			     "NT9,x,a b,q.csv,2,bad\n"
			     "NT9,\"1,5\",it's,q.csv,3,bad\n"
			     "NT9,y,c d,q.csv,4,bad\n"
			     "NT9,y,,q.csv,5,bad\n"
			     "NT1,z,c d,q.csv,6,bad\n"
			     "c d,NT1,,q.csv,7,bad\n");
}

/* Ensure line numbers are written in full at every length, the largest
 * too. */
static void test_line_numbers(void **state)
{
	(void)state;
	static const unsigned long lines[] = {1, 9, 10, 99, 100, 101, 999, 1000, 1000000007, 4294967296ul, ULONG_MAX};
	struct sv_rejects *r = two_columns("r.csv");
	struct out want;
	FILE *w = out_start(&want);
	fputs("measure,quantity,source_file,source_line,reason\n", w);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		reject(r, "q.csv", lines[i], (const char *const[]){"NT9", "x", NULL}, "bad");
		fprintf(w, "NT9,x,q.csv,%lu,bad\n", lines[i]);
	}
	char *expected = out_end(&want);
	finish_and_expect(r, expected);
	free(expected);
}

/* Ensure a second header's new names, in another order and case, come
 * after the first's, each row's fields under their own names; a header
 * with no rows adds none; a name of ours in an input renames ours; and
 * fields past a header go to extra columns after the names, the rows
 * before them widened. */
static void test_headers_united(void **state)
{
	(void)state;
	struct sv_rejects *r = sv_rejects_new("r.csv");
	header(r, "a.csv", (const char *const[]){"measure", "quantity", NULL});
	reject(r, "a.csv", 2, (const char *const[]){"NT9", "x", NULL}, "bad");
	header(r, "b.csv", (const char *const[]){"unused", "measure", "quantity", NULL});
	header(r, "c.csv", (const char *const[]){"Quantity", "note", "MEASURE", "Reason", NULL});
	reject(r, "c.csv", 7, (const char *const[]){"1,5", "n", "NT9", "r", "e1", NULL}, "comma");
	reject(r, "c.csv", 8, (const char *const[]){"2", "m", NULL}, "short");
	header(r, "d.csv", (const char *const[]){"measure", "quantity", NULL});
	reject(r, "d.csv", 4, (const char *const[]){"NT1", "y", "e1", "e2", NULL}, "extras");
	finish_and_expect(r, "measure,quantity,note,Reason,extra_1,extra_2,"
			     "rejected_source_file,rejected_source_line,rejected_reason\n"
			     "NT9,x,,,,,a.csv,2,bad\n"
			     "NT9,\"1,5\",n,r,e1,,c.csv,7,comma\n"
			     ",2,m,,,,c.csv,8,short\n"
			     "NT1,y,,,e1,e2,d.csv,4,extras\n");
}

/* The cells of row i of the large test, and its reason. */
static void large_row(size_t i, char *a, char *b, const char **reason)
{
	snprintf(a, 32, "NT%zu", i % 97);
	snprintf(b, 32, i % 3 ? "x%zu" : "\"%zu\"", i);
	*reason = i % 1000 ? "quantity: not a number" : "measure: unknown, \"really\"";
}

/* s as a CSV field, for the expected text (the cells here need quotes for
 * commas and quotes alone) */
static void csv_put(FILE *w, const char *s)
{
	if (!strpbrk(s, ",\"")) {
		fputs(s, w);
		return;
	}
	fputc('"', w);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', w);
		fputc(*s, w);
	}
	fputc('"', w);
}

/*
 * Ensure rows go to the temporary file beside the target as they come
 * (megabytes of them before the end), and that a late row with a field
 * more, and a late header with a name more, move all the rows before them
 * (far more than one block's worth, one of them longer than a block)
 * under the final header, byte for byte as if it had been known at first.
 */
static void test_widened_late(void **state)
{
	(void)state;
	const size_t rows = 300000;
	char *longest = malloc(3 << 20);
	assert_non_null(longest);
	memset(longest, 'l', 3 << 20);
	longest[(3 << 20) - 1] = '\0';
	longest[1000] = ',';
	struct sv_rejects *r = sv_rejects_new("r.csv");
	header(r, "big.csv", (const char *const[]){"measure", "quantity", NULL});
	struct out want;
	FILE *w = out_start(&want);
	fputs("measure,quantity,note,extra_1,source_file,source_line,reason\n", w);
	for (size_t i = 0; i < rows; i++) {
		char a[32], b[32];
		const char *reason;
		large_row(i, a, b, &reason);
		const char *cells_a = i == 1234 ? longest : a;
		reject(r, "big.csv", i + 2, (const char *const[]){cells_a, b, NULL}, reason);
		csv_put(w, cells_a);
		fputc(',', w);
		csv_put(w, b);
		fprintf(w, ",,,big.csv,%zu,", i + 2);
		csv_put(w, reason);
		fputc('\n', w);
	}
	assert_true(temp_size() >= (long long)(8 << 20));
	reject(r, "big.csv", rows + 2, (const char *const[]){"NT1", "y", "e1", NULL}, "extra");
	fprintf(w, "NT1,y,,e1,big.csv,%zu,extra\n", rows + 2);
	header(r, "small.csv", (const char *const[]){"note", "measure", "quantity", NULL});
	reject(r, "small.csv", 2, (const char *const[]){"n", "NT2", "z", NULL}, "z");
	fputs("NT2,z,n,,small.csv,2,z\n", w);
	char *expected = out_end(&want);
	finish_and_expect(r, expected);
	free(expected);
	free(longest);
}

/* Ensure a run that failed leaves the target as it was and no temporary
 * file, and a clean run (nothing rejected) removes a stale one. */
static void test_failed_and_clean_runs(void **state)
{
	(void)state;
	write_text("r.csv", "old\n");
	struct sv_rejects *r = two_columns("r.csv");
	for (unsigned long i = 0; i < 100000; i++)
		reject(r, "q.csv", i + 2, (const char *const[]){"NT9", "x", NULL}, "bad");
	assert_int_equal(sv_rejects_finish(r, false), SV_OK);
	assert_file_is("r.csv", "old\n");
	assert_int_equal(others("r.csv"), 0);
	r = two_columns("r.csv");
	assert_int_equal(sv_rejects_finish(r, true), SV_OK);
	assert_int_equal(others("r.csv"), 0);
	assert_int_not_equal(access("r.csv", F_OK), 0);
}

/* Ensure a device is written at the end, from a file of our own (never
 * replaced), under the final header, and nothing is left beside it. */
static void test_device(void **state)
{
	(void)state;
	struct sv_rejects *r = two_columns("/dev/null");
	reject(r, "q.csv", 2, (const char *const[]){"NT9", "x", NULL}, "bad");
	reject(r, "q.csv", 3, (const char *const[]){"NT9", "x", "e", NULL}, "bad");
	assert_int_equal(sv_rejects_finish(r, true), SV_OK);
	r = two_columns("/dev/full");
	reject(r, "q.csv", 2, (const char *const[]){"NT9", "x", NULL}, "bad");
	struct capture c;
	capture_start(&c);
	assert_int_equal(sv_rejects_finish(r, true), SV_EIO);
	char *said = capture_end(&c);
	assert_non_null(strstr(said, "/dev/full: write error: No space left on device"));
	free(said);
	assert_int_equal(others(""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_header, test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_plain_rows, test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_line_numbers, test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_headers_united, test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_widened_late, test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_failed_and_clean_runs, test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_device, test_dir_setup, test_dir_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
