/*
 * test_fastpath.c - the reader's fast path gives exactly the rows, fields
 * and line numbers of libcsv alone, on inputs chosen to stress the border
 * between the two.
 */
#include "test_util.h"

#include "sv_reader.h"

struct capture_rows {
	char *text; /* every row as "LINE|f1|f2|...\n", with flags */
	size_t len;
	FILE *out;
};

static enum sv_status on_row(void *ctx, const struct sv_row *row)
{
	struct capture_rows *c = ctx;
	fprintf(c->out, "%lu%s%s", row->line, row->unterminated ? "U" : "", row->bad_closing_quote ? "Q" : "");
	for (size_t i = 0; i < row->n_fields; i++) {
		fputc('|', c->out);
		fwrite(row->fields[i].ptr, 1, row->fields[i].len, c->out);
	}
	fputc('\n', c->out);
	return SV_OK;
}

/* Parses input with the fast path on or off; returns rows and status. */
static char *parse_scan(const char *input, size_t n, bool fast, enum sv_scan scan, int delimiter,
			enum sv_status *st)
{
	struct capture_rows c = {NULL, 0, NULL};
	c.out = open_memstream(&c.text, &c.len);
	FILE *in = fmemopen((void *)(uintptr_t)input, n, "rb");
	struct sv_reader *r = sv_reader_new();
	sv_reader_set_fast_path(r, fast);
	sv_reader_set_scan(r, scan);
	const struct sv_reader_callbacks cb = {on_row, on_row};
	struct capture diag;
	capture_start(&diag);
	*st = sv_reader_read(r, in, "in.csv", delimiter, &cb, &c);
	fprintf(c.out, "status %d\n%s", (int)*st, diag.text ? "" : "");
	free(capture_end(&diag));
	sv_reader_free(r);
	fclose(in);
	fclose(c.out);
	return c.text;
}

static char *parse(const char *input, size_t n, bool fast, int delimiter, enum sv_status *st)
{
	return parse_scan(input, n, fast, sv_scan_best(), delimiter, st);
}

/* The fast path, with each way of scanning this machine has, against
 * libcsv alone. */
static void same_both_ways(const char *input, size_t n, int delimiter)
{
	enum sv_status a, b;
	char *slow = parse(input, n, false, delimiter, &b);
	for (int way = SV_SCAN_SCALAR; way <= (int)sv_scan_best(); way++) {
		char *fast = parse_scan(input, n, true, (enum sv_scan)way, delimiter, &a);
		if (strcmp(fast, slow) != 0)
			fail_msg("input [%s]\nfast, scan %d:\n%s\nlibcsv:\n%s", input, way, fast, slow);
		free(fast);
	}
	free(slow);
}
#define SAME(s) same_both_ways(s, sizeof(s) - 1, 0)

/* Checks that both paths give want (rows, then the status line). */
static void expect_both_ways(const char *input, size_t n, const char *want)
{
	for (int fast = 1; fast >= 0; fast--) {
		enum sv_status st;
		char *got = parse(input, n, fast, 0, &st);
		if (strcmp(got, want) != 0) {
			print_error("input [%s], fast path %s:\n%s\nwant:\n%s\n", input, fast ? "on" : "off", got, want);
			free(got);
			fail();
		}
		free(got);
	}
}

#define EXPECT(s, want) expect_both_ways(s, sizeof(s) - 1, want)

/* Ensure plain lines, CRLF and a missing final newline agree. */
static void test_plain_lines(void **state)
{
	(void)state;
	SAME("measure,quantity\nNT1,1\nNT2,2\n");
	SAME("measure,quantity\r\nNT1,1\r\nNT2,2");
	SAME("measure,quantity\nNT1,1");
	SAME("a,b\n\n\n  \n,,\nx,y\n");
}

/* Ensure trimming of unquoted fields agrees, tabs included. */
static void test_trimming(void **state)
{
	(void)state;
	SAME("a , b\n  x  ,\ty\t\n");
	SAME("a\tb\n x \t y \n");
	same_both_ways("a\tb\n x \t y \n", 10, '\t');
}

/* Ensure quoted records, also spanning lines, hand back to the fast path at
 * the right line. */
static void test_quoted_records(void **state)
{
	(void)state;
	SAME("a,b\n\"x\ny\",1\nz,2\n");
	SAME("a,b\r\n\"x\r\ny\",1\r\nz,2\r\n");
	SAME("a,b\n\"q\"\"q\",1\nz,2\n");
	SAME("a,b\nx\"y,1\nz,2\n");
	SAME("a,b\n\"x\",\"\"\n\"\",\"\"\nz,2\n");
	SAME("a,b\n\"open,1\nz,2\n");
	SAME("a,b\n\"x\" y,1\n");
}

/* Ensure lone CRs (old Mac line ends) agree. */
static void test_lone_cr(void **state)
{
	(void)state;
	SAME("a,b\rx,1\ry,2\r");
	SAME("a,b\nx,1\r\r\ny,2\n");
	SAME("a,b\r\n\r\nx,1\n");
}

/* Ensure the BOM and a sep= line agree. */
static void test_bom_and_sep(void **state)
{
	(void)state;
	SAME("\xEF\xBB\xBFsep=;\na;b\nx;1\n");
	SAME("\n\nsep=;\r\na;b\r\nx;1\r\n");
	SAME("\xEF\xBB\xBF");
	SAME("");
}

/* Ensure a long quoted field crossing many read buffers agrees. */
static void test_long_field(void **state)
{
	(void)state;
	size_t n = 3 << 20;
	char *s = malloc(n + 64);
	size_t o = (size_t)sprintf(s, "a,b\n\"");
	for (size_t i = 0; i < n; i++)
		s[o++] = (char)(i % 97 == 0 ? '\n' : 'x');
	o += (size_t)sprintf(s + o, "\",1\nz,2\n");
	same_both_ways(s, o, 0);
	free(s);
}

/* Ensure the file gives five records on both paths. */
static void test_fun_run(void **state)
{
	(void)state;
	EXPECT("measure,quantity,note\nNT29,10,\"Fun Run\" at Roundhay Park\nNT29,5,a\nNT29,7,\"b\"\nNT29,3,c\nNT29,1,d\n",
	       "1|measure|quantity|note\n2Q|NT29|10|Fun Run\" at Roundhay Park\n3|NT29|5|a\n4|NT29|7|b\n5|NT29|3|c\n"
	       "6|NT29|1|d\nstatus 0\n");
}

/* Ensure the closing-quote rule agrees between the paths, case by case. */
static void test_closing_quote_cases(void **state)
{
	(void)state;
	EXPECT("a,b\n\"a\" ,b\nx,y\n", "1|a|b\n2|a|b\n3|x|y\nstatus 0\n");
	EXPECT("a,b\n\"a\"b\nx,y\n", "1|a|b\n2Q|a\"b\n3|x|y\nstatus 0\n");
	EXPECT("a,b\n\"a\" \"b\"\nx,y\n", "1|a|b\n2Q|a\" \"b\"\n3|x|y\nstatus 0\n");
	EXPECT("a,b\n12\" screen,1\nx,y\n", "1|a|b\n2|12\" screen|1\n3|x|y\nstatus 0\n");
	EXPECT("a,b\n1,\"p\nq\nr\"s,t\nx,y\n", "1|a|b\n2Q|1|p\nq\nr\"s,t\n5|x|y\nstatus 0\n");
	EXPECT("a,b\r\n\"a\"b,1\r\nx,y\r\n", "1|a|b\n2Q|a\"b,1\n3|x|y\nstatus 0\n");
	EXPECT("a,b\r\"a\"b,1\rx,y\r", "1|a|b\n2Q|a\"b,1\n3|x|y\nstatus 0\n");
	EXPECT("a,b\nx,y\n\"a\"b,1", "1|a|b\n2|x|y\n3Q|a\"b,1\nstatus 0\n");
	EXPECT("\"a\"x,b\nx,y\n", "1Q|a\"x,b\n2|x|y\nstatus 0\n");
}

/* Ensure a bad closing quote whose line is longer than a read buffer, and
 * a bad quote after a long quoted field, agree. */
static void test_bad_quote_long_lines(void **state)
{
	(void)state;
	size_t n = 3 << 20;
	char *s = malloc(2 * n + 64);
	size_t o = (size_t)sprintf(s, "a,b\n\"x\"");
	for (size_t i = 0; i < n; i++)
		s[o++] = (char)(i % 89 == 0 ? '"' : 'y');
	o += (size_t)sprintf(s + o, ",1\n\"");
	for (size_t i = 0; i < n; i++)
		s[o++] = (char)(i % 97 == 0 ? '\n' : 'x');
	o += (size_t)sprintf(s + o, "\"z,1\nz,2\n");
	same_both_ways(s, o, 0);
	free(s);
}

/* The block scan's borders: every line length around the 64-byte blocks,
 * a CR, LF, quote or delimiter at each offset of a block, a line with more
 * fields than a block has bytes, lines ending in CRLF whose CR ends a
 * block, and a quoted or blank line between plain ones. */
static void test_block_borders(void **state)
{
	(void)state;
	static const char *const specials[] = {"\r\n", "\n", "\"q\"", ",", "\r", " ", "\n\n", ",,\n"};
	char text[1024];
	for (size_t pad = 0; pad < 140; pad++) {
		for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++) {
			size_t n = 0;
			n += (size_t)sprintf(text + n, "a,b\n");
			memset(text + n, 'x', pad);
			n += pad;
			n += (size_t)sprintf(text + n, "%s1,2\r\nplain,line\n\"quoted, line\",3\n", specials[k]);
			memset(text + n, 'y', 130 - pad % 64);
			n += 130 - pad % 64;
			n += (size_t)sprintf(text + n, ",z\r\n,\nlast");
			same_both_ways(text, n, ',');
		}
	}
	/* 100 fields on one line, the third line after a header */
	size_t n = (size_t)sprintf(text, "h1,h2\nv1,v2\n");
	for (int i = 0; i < 100; i++)
		text[n++] = ',';
	text[n++] = '\n';
	same_both_ways(text, n, ',');
	EXPECT("a;b\r\n1;2\r\n", "1|a|b\n2|1|2\nstatus 0\n");
}

/* Ensure the way chosen from glibc's CPU features is the one the compiler's
 * own CPUID check would choose: AVX2 exactly when the CPU has it. */
static void test_scan_best_is_the_cpus(void **state)
{
	(void)state;
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	assert_int_equal(sv_scan_best(), __builtin_cpu_supports("avx2") ? SV_SCAN_AVX2 : SV_SCAN_SSE2);
#elif defined(__SSE2__)
	assert_int_equal(sv_scan_best(), SV_SCAN_SSE2);
#else
	assert_int_equal(sv_scan_best(), SV_SCAN_SCALAR);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines),    cmocka_unit_test(test_trimming),
		cmocka_unit_test(test_quoted_records), cmocka_unit_test(test_lone_cr),
		cmocka_unit_test(test_bom_and_sep),    cmocka_unit_test(test_long_field),
		cmocka_unit_test(test_fun_run),        cmocka_unit_test(test_closing_quote_cases),
		cmocka_unit_test(test_bad_quote_long_lines), cmocka_unit_test(test_block_borders),
		cmocka_unit_test(test_scan_best_is_the_cpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
