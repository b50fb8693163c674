/*
 * test_reader.c - CSV bytes to rows with physical line numbers.
 *
 * Each test reads a byte string through fmemopen and compares a transcript
 * of the rows the callbacks saw: one line per row, "H" for the header or
 * "R" for a record, the physical line, "!" when unterminated, "~" when text
 * follows a closing quote, then the
 * fields joined by '|' with TAB, CR and LF shown as \t \r \n.  Unless a
 * test needs one reader for several files, every input is read both with
 * the fast path and with libcsv alone, which must agree.
 */
#include "test_util.h"

#include "sv_reader.h"

struct transcript {
	FILE *out;
	char *text;
	size_t len;
	size_t records;
	size_t stop_after; /* 0: never stop */
};

static void write_row(struct transcript *t, char kind, const struct sv_row *row)
{
	fprintf(t->out, "%c%lu%s%s:", kind, row->line, row->unterminated ? "!" : "",
		row->bad_closing_quote ? "~" : "");
	for (size_t i = 0; i < row->n_fields; i++) {
		if (i)
			fputc('|', t->out);
		for (size_t k = 0; k < row->fields[i].len; k++) {
			char c = row->fields[i].ptr[k];
			if (c == '\t')
				fputs("\\t", t->out);
			else if (c == '\r')
				fputs("\\r", t->out);
			else if (c == '\n')
				fputs("\\n", t->out);
			else
				fputc(c, t->out);
		}
	}
	fputc('\n', t->out);
}

static enum sv_status on_header(void *ctx, const struct sv_row *row)
{
	write_row(ctx, 'H', row);
	return SV_OK;
}

static enum sv_status on_record(void *ctx, const struct sv_row *row)
{
	struct transcript *t = ctx;
	write_row(t, 'R', row);
	t->records++;
	return t->stop_after && t->records == t->stop_after ? SV_EDATA : SV_OK;
}

struct result {
	enum sv_status status;
	char *rows;  /* the transcript */
	char *diag;  /* diagnostics */
	int delimiter;
	size_t records;
};

static void result_free(struct result *res)
{
	free(res->rows);
	free(res->diag);
}

/* Reads (bytes, len) as "f.csv" with an optional -d delimiter and stop. */
static struct result read_bytes_with(struct sv_reader *r, const char *bytes, size_t len, int delimiter,
				     size_t stop_after)
{
	struct result res;
	char *copy = malloc(len + 1);
	assert_non_null(copy);
	memcpy(copy, bytes, len);
	FILE *f = fmemopen(copy, len, "r");
	assert_non_null(f);
	struct transcript t = {0};
	t.stop_after = stop_after;
	t.out = open_memstream(&t.text, &t.len);
	assert_non_null(t.out);
	const struct sv_reader_callbacks cb = {on_header, on_record};
	struct capture c;
	capture_start(&c);
	res.status = sv_reader_read(r, f, "f.csv", delimiter, &cb, &t);
	res.diag = capture_end(&c);
	fclose(t.out);
	fclose(f);
	free(copy);
	res.rows = t.text;
	res.delimiter = sv_reader_delimiter(r);
	res.records = t.records;
	return res;
}

/* What a profile sets on the readers read_bytes makes (tests reset them). */
static unsigned skip_setting;
static bool cp1252_setting;

static struct sv_reader *new_reader(void)
{
	struct sv_reader *r = sv_reader_new();
	assert_non_null(r);
	sv_reader_set_skip_lines(r, skip_setting);
	sv_reader_set_cp1252(r, cp1252_setting);
	return r;
}

/* Reads the bytes twice, with the fast path and with libcsv alone, and
 * checks that both give the same rows, diagnostics and status. */
static struct result read_bytes(const char *bytes, size_t len, int delimiter)
{
	struct sv_reader *r = new_reader();
	struct result res = read_bytes_with(r, bytes, len, delimiter, 0);
	sv_reader_free(r);
	r = new_reader();
	sv_reader_set_fast_path(r, false);
	struct result slow = read_bytes_with(r, bytes, len, delimiter, 0);
	sv_reader_free(r);
	bool same = strcmp(res.rows, slow.rows) == 0 && strcmp(res.diag, slow.diag) == 0 &&
		    res.status == slow.status && res.delimiter == slow.delimiter;
	if (!same)
		print_error("the fast path gave:\n%s%s\nlibcsv alone gave:\n%s%s\n", res.rows, res.diag, slow.rows,
			    slow.diag);
	free(slow.rows);
	free(slow.diag);
	if (!same) {
		result_free(&res);
		fail();
	}
	return res;
}

/* Checks that the bytes read cleanly into the transcript want_rows with the
 * delimiter want_delim.  Frees everything before failing, so that a failure
 * leaks nothing. */
static void expect_rows(const char *bytes, size_t len, int delimiter, const char *want_rows, int want_delim)
{
	struct result res = read_bytes(bytes, len, delimiter);
	bool ok = strcmp(res.diag, "") == 0 && res.status == SV_OK && strcmp(res.rows, want_rows) == 0 &&
		  res.delimiter == want_delim;
	if (!ok)
		print_error("got status %d, delimiter %d, diagnostics \"%s\", rows:\n%s\nwant delimiter %d, rows:\n%s\n",
			    (int)res.status, res.delimiter, res.diag, res.rows, want_delim, want_rows);
	result_free(&res);
	if (!ok)
		fail();
}

/* A string literal may hold NUL bytes, so its length comes from sizeof. */
#define EXPECT_ROWS(lit, delim_opt, want_rows, want_delim) \
	expect_rows(lit, sizeof(lit) - 1, delim_opt, want_rows, want_delim)

/* Ensure LF-terminated rows come with their line numbers. */
static void test_lf(void **state)
{
	(void)state;
	EXPECT_ROWS("measure,quantity\nNT1,5\nNT9,2\n", 0, "H1:measure|quantity\nR2:NT1|5\nR3:NT9|2\n", ',');
}

/* Ensure CRLF line ends count once and do not reach the fields. */
static void test_crlf(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\r\n1,2\r\n\r\n3,4\r\n", 0, "H1:a|b\nR2:1|2\nR4:3|4\n", ',');
}

/* Ensure a lone CR ends a line too. */
static void test_lone_cr(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\r1,2\r\r3,4\r", 0, "H1:a|b\nR2:1|2\nR4:3|4\n", ',');
}

/* Ensure a final line without a line end is still a row. */
static void test_no_final_newline(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n1,2\n3,4", 0, "H1:a|b\nR2:1|2\nR3:3|4\n", ',');
}

/* Ensure a UTF-8 byte order mark is dropped from the first field. */
static void test_bom(void **state)
{
	(void)state;
	EXPECT_ROWS("\xEF\xBB\xBFmeasure;quantity\nNT1;5\n", 0, "H1:measure|quantity\nR2:NT1|5\n", ';');
}

/* Ensure blank lines of every kind are skipped but still counted. */
static void test_blank_lines_skipped(void **state)
{
	(void)state;
	EXPECT_ROWS("\n  \n,,\na,b,c\n\n   \n,,\n\t\n1,2,3\n , , \n4,5,6\n\n", 0,
		    "H4:a|b|c\nR9:1|2|3\nR11:4|5|6\n", ',');
}

/* Ensure rows of quoted empty fields are blank too. */
static void test_quoted_empty_row_blank(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n\"\",\"\"\n1,2\n", 0, "H1:a|b\nR3:1|2\n", ',');
}

/* Ensure a quoted field may hold line ends and later rows keep their physical line. */
static void test_quoted_newlines(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n\"x\ny\",1\n\"p\r\nq\rr\",2\n3,4\n", 0,
		    "H1:a|b\nR2:x\\ny|1\nR4:p\\r\\nq\\rr|2\nR7:3|4\n", ',');
}

/* Ensure a multi-line quoted header still puts the first record on the right line. */
static void test_quoted_newline_in_header(void **state)
{
	(void)state;
	EXPECT_ROWS("\"long\nname\",b\n1,2\n", 0, "H1:long\\nname|b\nR3:1|2\n", ',');
}

/* Ensure doubled quotes inside a quoted field are one quote. */
static void test_doubled_quotes(void **state)
{
	(void)state;
	EXPECT_ROWS("a\n\"he said \"\"hi\"\"\"\n\"\"\"\"\n", 0, "H1:a\nR2:he said \"hi\"\nR3:\"\n", ',');
}

/* Ensure lines whose quotes enclose whole fields, read in place by the fast
 * path, give libcsv's rows: quoted text untrimmed, delimiters inside kept,
 * and every shape the fast path leaves to libcsv still read as before. */
static void test_quoted_fields_in_place(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b,c\n\"x, y\",\" 2 \",z\n1,\"\",\"q\"\r\n \"s\",2,3\n\"t\" ,4,5\n\"u\"v,6,7\n", 0,
		    "H1:a|b|c\nR2:x, y| 2 |z\nR3:1||q\nR4:s|2|3\nR5:t|4|5\nR6~:u\"v,6,7\n", ',');
	/* more delimiters than a 16-byte block holds, and a quote past it */
	EXPECT_ROWS("a\n,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,1,\"a,b\"\n", 0,
		    "H1:a\nR2:||||||||||||||||||||||||||||||||||1|a,b\n", ',');
	EXPECT_ROWS("a;b\n\"1;5\";\"x\"\"y\"\n \t7\t ;\"8\"\n", ';', "H1:a|b\nR2:1;5|x\"y\nR3:7|8\n", ';');
}

/* Ensure a stray quote inside an unquoted field is literal text. */
static void test_stray_quote_literal(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n5\" pipe,2\nab\"c,3\n", 0, "H1:a|b\nR2:5\" pipe|2\nR3:ab\"c|3\n", ',');
}

/* Ensure a quote left open at the end of the file marks that record unterminated. */
static void test_unterminated_quote(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n1,2\n3,\"open\n4,5\n", 0, "H1:a|b\nR2:1|2\nR3!:3|open\\n4,5\\n\n", ',');
}

/* Ensure a properly closed quote at the very end is not unterminated. */
static void test_closed_quote_at_eof(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n1,\"x\"", 0, "H1:a|b\nR2:1|x\n", ',');
}

/* Ensure "sep=;" sets the delimiter, is no header, and still counts as a line. */
static void test_sep_line(void **state)
{
	(void)state;
	EXPECT_ROWS("sep=;\nmeasure;quantity\nNT1;1,5\n", 0, "H2:measure|quantity\nR3:NT1|1,5\n", ';');
}

/* Ensure "sep=" works after a byte order mark and with CRLF. */
static void test_sep_line_bom_crlf(void **state)
{
	(void)state;
	EXPECT_ROWS("\xEF\xBB\xBFsep=|\r\na|b\r\n1|2\r\n", 0, "H2:a|b\nR3:1|2\n", '|');
}

/* Ensure "sep=" followed by a TAB sets TAB as the delimiter and is no header. */
static void test_sep_line_tab(void **state)
{
	(void)state;
	EXPECT_ROWS("sep=\t\nmeasure\tquantity\nNT1\t1,5\n", 0, "H2:measure|quantity\nR3:NT1|1,5\n", '\t');
}

/* Ensure blank lines before "sep=" count in the line numbers. */
static void test_sep_line_after_blank(void **state)
{
	(void)state;
	EXPECT_ROWS("\nsep=;\na;b\n1;2\n", 0, "H3:a|b\nR4:1|2\n", ';');
}

/* Ensure -d overrides detection and the "sep=" line. */
static void test_delimiter_override(void **state)
{
	(void)state;
	EXPECT_ROWS("a;b,c\n1;2,3\n", ';', "H1:a|b,c\nR2:1|2,3\n", ';');
	EXPECT_ROWS("a,b\n1,2\n", '\t', "H1:a,b\nR2:1,2\n", '\t');
	EXPECT_ROWS("sep=;\na,b\n1,2\n", ',', "H2:a|b\nR3:1|2\n", ',');
}

/* Ensure the delimiter is detected from the header line. */
static void test_detected_delimiter(void **state)
{
	(void)state;
	EXPECT_ROWS("a;b;c\n1;2,5;3\n", 0, "H1:a|b|c\nR2:1|2,5|3\n", ';');
	EXPECT_ROWS("a\tb\n1\t2\n", 0, "H1:a|b\nR2:1|2\n", '\t');
}

/* Ensure sniffing picks the most frequent of comma, semicolon and TAB. */
static void test_sniff_most_frequent(void **state)
{
	(void)state;
	assert_int_equal(sv_sniff_delimiter("a,b;c;d", 7), ';');
	assert_int_equal(sv_sniff_delimiter("a\tb\tc,d", 7), '\t');
	assert_int_equal(sv_sniff_delimiter("a,b,c;d\te", 9), ',');
}

/* Ensure sniffing ties go to comma, then semicolon, then TAB. */
static void test_sniff_ties(void **state)
{
	(void)state;
	assert_int_equal(sv_sniff_delimiter("a,b;c", 5), ',');
	assert_int_equal(sv_sniff_delimiter("a,b\tc", 5), ',');
	assert_int_equal(sv_sniff_delimiter("a;b\tc", 5), ';');
	assert_int_equal(sv_sniff_delimiter("abc", 3), ',');
	assert_int_equal(sv_sniff_delimiter("", 0), ',');
}

/* Ensure delimiters inside quotes are not counted. */
static void test_sniff_ignores_quoted(void **state)
{
	(void)state;
	static const char line[] = "\"a;b;c\",d";
	assert_int_equal(sv_sniff_delimiter(line, sizeof line - 1), ',');
	static const char line2[] = "\"x,y,z\";\"p,q\";r";
	assert_int_equal(sv_sniff_delimiter(line2, sizeof line2 - 1), ';');
}

/* Ensure unquoted fields are trimmed and quoted ones kept exactly. */
static void test_trimming(void **state)
{
	(void)state;
	EXPECT_ROWS("a , b\n  x  ,\"  y  \"\n\tz\t,\" \t\"\n", 0, "H1:a|b\nR2:x|  y  \nR3:z| \\t\n", ',');
}

/* Ensure inner spaces of unquoted fields are kept. */
static void test_inner_spaces_kept(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n  Leeds  North ,2\n", 0, "H1:a|b\nR2:Leeds  North|2\n", ',');
}

/* Ensure tabs separate fields, never are trimmed, when TAB is the delimiter. */
static void test_tab_delimiter_keeps_tabs(void **state)
{
	(void)state;
	EXPECT_ROWS("a\tb\tc\n1\t\t3\n x \t y\t\n", 0, "H1:a|b|c\nR2:1||3\nR3:x|y|\n", '\t');
}

/* Ensure an empty file has no header row. */
static void test_empty_file(void **state)
{
	(void)state;
	struct result res = read_bytes("", 0, 0);
	assert_int_equal(res.status, SV_EDATA);
	assert_string_equal(res.diag, "sv-calc: f.csv: no header row (the file is empty or blank)\n");
	assert_string_equal(res.rows, "");
	result_free(&res);
}

/* Ensure a file of only blank lines has no header row either. */
static void test_blank_only_file(void **state)
{
	(void)state;
	static const char text[] = "\n   \r\n,,,\n\t\n , \n";
	struct result res = read_bytes(text, sizeof text - 1, 0);
	assert_int_equal(res.status, SV_EDATA);
	assert_string_equal(res.diag, "sv-calc: f.csv: no header row (the file is empty or blank)\n");
	assert_string_equal(res.rows, "");
	result_free(&res);
}

/* Ensure a header with no records reads cleanly. */
static void test_header_only(void **state)
{
	(void)state;
	EXPECT_ROWS("measure,quantity", 0, "H1:measure|quantity\n", ',');
}

/* Ensure a callback's error stops the file and is returned. */
static void test_callback_stops(void **state)
{
	(void)state;
	static const char text[] = "a\n1\n2\n3\n";
	struct sv_reader *r = sv_reader_new();
	assert_non_null(r);
	struct result res = read_bytes_with(r, text, sizeof text - 1, 0, 2);
	assert_int_equal(res.status, SV_EDATA);
	assert_string_equal(res.rows, "H1:a\nR2:1\nR3:2\n");
	result_free(&res);
	sv_reader_free(r);
}

/* Ensure a reader reused for a second file starts clean: lines, delimiter, parser state. */
static void test_reader_reuse(void **state)
{
	(void)state;
	static const char first[] = "a;b\n1;\"open\n";
	static const char second[] = "x,y\n\n7,8\n";
	struct sv_reader *r = sv_reader_new();
	assert_non_null(r);
	struct result res = read_bytes_with(r, first, sizeof first - 1, 0, 1);
	assert_int_equal(res.delimiter, ';');
	result_free(&res);
	res = read_bytes_with(r, second, sizeof second - 1, 0, 0);
	assert_int_equal(res.status, SV_OK);
	assert_string_equal(res.rows, "H1:x|y\nR3:7|8\n");
	assert_int_equal(res.delimiter, ',');
	result_free(&res);
	sv_reader_free(r);
}

/* Ensure a row longer than a read chunk keeps its fields and line numbers. */
static void test_long_field(void **state)
{
	(void)state;
	size_t big = (size_t)3 << 20;
	char *text = malloc(big + 64);
	assert_non_null(text);
	size_t n = (size_t)sprintf(text, "a,b\n\"");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)sprintf(text + n, "\",1\n2,3\n");
	struct sv_reader *r = sv_reader_new();
	assert_non_null(r);
	struct result res = read_bytes_with(r, text, n, 0, 0);
	assert_int_equal(res.status, SV_OK);
	assert_int_equal(res.records, 2);
	assert_int_equal(strlen(res.rows), strlen("H1:a|b\nR2:") + big + strlen("|1\nR3:2|3\n"));
	assert_string_equal(res.rows + strlen(res.rows) - strlen("|1\nR3:2|3\n"), "|1\nR3:2|3\n");
	result_free(&res);
	sv_reader_free(r);
	free(text);
}

/* Ensure spaces outside a quoted field are not part of it. */
static void test_spaces_around_quotes(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n  \"y\"  ,1\n", 0, "H1:a|b\nR2:y|1\n", ',');
}

/* Ensure a trailing delimiter gives a final empty field. */
static void test_trailing_empty_field(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b,\n1,2,\n3\n", 0, "H1:a|b|\nR2:1|2|\nR3:3\n", ',');
}

/* Ensure a file holding only a byte order mark, or only a "sep=" line, has no header row. */
static void test_bom_or_sep_only(void **state)
{
	(void)state;
	struct result res = read_bytes("\xEF\xBB\xBF", 3, 0);
	assert_int_equal(res.status, SV_EDATA);
	assert_string_equal(res.diag, "sv-calc: f.csv: no header row (the file is empty or blank)\n");
	result_free(&res);
	res = read_bytes("sep=;\n", 6, 0);
	assert_int_equal(res.status, SV_EDATA);
	assert_string_equal(res.diag, "sv-calc: f.csv: no header row (the file is empty or blank)\n");
	assert_string_equal(res.rows, "");
	result_free(&res);
}

/* Ensure blank lines after a byte order mark still count before the header. */
static void test_bom_then_blank_lines(void **state)
{
	(void)state;
	EXPECT_ROWS("\xEF\xBB\xBF\r\n\r\na,b\r\n1,2\r\n", 0, "H3:a|b\nR4:1|2\n", ',');
}

/* Ensure a file ending just after a doubled quote inside quotes is still unterminated. */
static void test_unterminated_after_doubled_quote(void **state)
{
	(void)state;
	EXPECT_ROWS("a\n\"x\ny\"\"", 0, "H1:a\nR2!:x\\ny\"\n", ',');
}

/* Ensure an unquoted line longer than the read buffer is split correctly. */
static void test_long_unquoted_line(void **state)
{
	(void)state;
	size_t big = (size_t)3 << 20;
	char *text = malloc(big + 64);
	assert_non_null(text);
	size_t n = (size_t)sprintf(text, "a,b\n1,");
	memset(text + n, 'y', big);
	n += big;
	n += (size_t)sprintf(text + n, "\n2,3\n");
	struct result res = read_bytes(text, n, 0);
	assert_int_equal(res.status, SV_OK);
	assert_int_equal(res.records, 2);
	assert_int_equal(strlen(res.rows), strlen("H1:a|b\nR2:1|") + big + strlen("\nR3:2|3\n"));
	assert_string_equal(res.rows + strlen(res.rows) - strlen("y\nR3:2|3\n"), "y\nR3:2|3\n");
	result_free(&res);
	free(text);
}

/* Ensure lone CRs mixed with LF and CRLF count one line each. */
static void test_mixed_line_ends(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\r\n1,2\r3,4\n\r\n5,6\r\r7,8\n", 0, "H1:a|b\nR2:1|2\nR3:3|4\nR5:5|6\nR7:7|8\n", ',');
}

/* Ensure a quoted record between plain ones does not shift the plain ones' lines. */
static void test_quoted_between_plain(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n1,2\n\"x\n\ny\",3\n4,5\n\"z\",6\n7,8", 0,
		    "H1:a|b\nR2:1|2\nR3:x\\n\\ny|3\nR6:4|5\nR7:z|6\nR8:7|8\n", ',');
}

/* Ensure the issue's file reads as five records: the bad one flagged, no
 * later record swallowed, every line number right. */
static void test_fun_run(void **state)
{
	(void)state;
	EXPECT_ROWS("date,measure,quantity,note\n"
		    "2025-04-01,NT29,10,\"Fun Run\" at Roundhay Park\n"
		    "2025-04-02,NT29,5,Park clean\n"
		    "2025-04-03,NT29,7,\"Litter pick, Kirkstall\"\n"
		    "2025-04-04,NT29,3,plain\n"
		    "2025-04-05,NT29,1,last\n",
		    0,
		    "H1:date|measure|quantity|note\n"
		    "R2~:2025-04-01|NT29|10|Fun Run\" at Roundhay Park\n"
		    "R3:2025-04-02|NT29|5|Park clean\n"
		    "R4:2025-04-03|NT29|7|Litter pick, Kirkstall\n"
		    "R5:2025-04-04|NT29|3|plain\n"
		    "R6:2025-04-05|NT29|1|last\n",
		    ',');
}

/* Ensure spaces and tabs between a closing quote and the delimiter, the line
 * end or the end of input are fine. */
static void test_spaces_after_closing_quote(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n\"a\" ,b\n\"c\"\t,d\nx,\"e\"  \ny,\"f\" \t", 0,
		    "H1:a|b\nR2:a|b\nR3:c|d\nR4:x|e\nR5:y|f\n", ',');
}

/* Ensure text right after a closing quote, and a second quoted text after
 * spaces, each flag their record and keep the rest of the line literally. */
static void test_text_after_closing_quote(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n\"a\"b,c\nx,y\n", 0, "H1:a|b\nR2~:a\"b,c\nR3:x|y\n", ',');
	EXPECT_ROWS("a,b\n\"a\" \"b\",c\nx,y\n", 0, "H1:a|b\nR2~:a\" \"b\",c\nR3:x|y\n", ',');
	EXPECT_ROWS("a,b\n1,\"\"x\n2,3\n", 0, "H1:a|b\nR2~:1|\"x\nR3:2|3\n", ',');
}

/* Ensure a quote inside an unquoted field stays literal, even after a bad
 * closing quote on the line before, and doubled quotes are one quote. */
static void test_literal_quote_after_bad_quote(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n12\" screen,1\n\"x\"y,2\n12\" screen,3\n\"p\"\"q\",4\n", 0,
		    "H1:a|b\nR2:12\" screen|1\nR3~:x\"y,2\nR4:12\" screen|3\nR5:p\"q|4\n", ',');
}

/* Ensure a bad closing quote on a later line of a multi-line quoted field
 * flags the record at its first line and reading resumes after that line. */
static void test_bad_quote_multiline(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n1,\"line one\nline two\" and more,x\n2,3\n\"p\nq\",4\n", 0,
		    "H1:a|b\nR2~:1|line one\\nline two\" and more,x\nR4:2|3\nR5:p\\nq|4\n", ',');
}

/* Ensure recovery ends at a CRLF, and at a lone CR, counting each once. */
static void test_bad_quote_line_ends(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\r\n\"x\"y,1\r\n2,3\r\n", 0, "H1:a|b\nR2~:x\"y,1\nR3:2|3\n", ',');
	EXPECT_ROWS("a,b\r\"x\"y,1\r2,3\r\"z\"w\r\r4,5\r", 0,
		    "H1:a|b\nR2~:x\"y,1\nR3:2|3\nR4~:z\"w\nR6:4|5\n", ',');
	EXPECT_ROWS("a,b\n\"x\"y\r\n\r\n2,3\n", 0, "H1:a|b\nR2~:x\"y\nR4:2|3\n", ',');
}

/* Ensure a bad closing quote on the last line, with no line end, is still
 * one flagged record. */
static void test_bad_quote_last_line(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\n1,2\n3,\"x\" y", 0, "H1:a|b\nR2:1|2\nR3~:3|x\" y\n", ',');
	EXPECT_ROWS("a,b\n3,\"x\"\"", 0, "H1:a|b\nR2!:3|x\"\n", ',');
}

/* Ensure a bad closing quote in the header flags the header row. */
static void test_bad_quote_in_header(void **state)
{
	(void)state;
	EXPECT_ROWS("\"measure\" x,quantity\nNT1,2\n", 0, "H1~:measure\" x,quantity\nR2:NT1|2\n", ',');
}

/* Ensure a semicolon file recovers the same way, and an unterminated quote
 * after a recovered line is still unterminated. */
static void test_bad_quote_then_unterminated(void **state)
{
	(void)state;
	EXPECT_ROWS("a;b\n\"x\"y;1\n\"open;2\n3;4\n", 0, "H1:a|b\nR2~:x\"y;1\nR3!:open;2\\n3;4\\n\n", ';');
}

/* Ensure a reader reused after a file that stopped during recovery starts
 * clean. */
static void test_reuse_after_bad_quote(void **state)
{
	(void)state;
	static const char first[] = "a,b\n\"x\"y and a long tail";
	static const char second[] = "x,y\n7,8\n";
	struct sv_reader *r = sv_reader_new();
	assert_non_null(r);
	struct result res = read_bytes_with(r, first, sizeof first - 1, 0, 1);
	assert_string_equal(res.rows, "H1:a|b\nR2~:x\"y and a long tail\n");
	result_free(&res);
	res = read_bytes_with(r, second, sizeof second - 1, 0, 0);
	assert_int_equal(res.status, SV_OK);
	assert_string_equal(res.rows, "H1:x|y\nR2:7|8\n");
	result_free(&res);
	sv_reader_free(r);
}

/* Ensure spaces between a CR and an LF make the LF a line end of its own:
 * "\r  \n" is two line ends, "\r\n" one. */
static void test_cr_spaces_lf(void **state)
{
	(void)state;
	EXPECT_ROWS("a,b\r  \nc,d\n1,2\r \n3,4\r\t\r\n5,6\n", 0, "H1:a|b\nR3:c|d\nR4:1|2\nR6:3|4\nR8:5|6\n", ',');
	EXPECT_ROWS("a,b\n\"x\"y\r \n1,2\n", 0, "H1:a|b\nR2~:x\"y\nR4:1|2\n", ',');
}

/* Ensure skip_lines drops physical lines, quotes and all, and the header
 * and records keep their physical line numbers. */
static void test_skip_lines(void **state)
{
	(void)state;
	skip_setting = 2;
	EXPECT_ROWS("Acme \"FM\" export\r\nNotes, more notes, \"open\r\nmeasure,qty\r\nNT1,2\r\n", 0,
		    "H3:measure|qty\nR4:NT1|2\n", ',');
	/* the skipped lines take no part in sniffing; a lone CR ends a line */
	EXPECT_ROWS("a;b;c;d\rnotes;;;\nm,q\n1,2", 0, "H3:m|q\nR4:1|2\n", ',');
	/* blank lines count as lines; blank lines after them are skipped as ever */
	EXPECT_ROWS("\n\n\nm,q\n\n1,2\n", 0, "H4:m|q\nR6:1|2\n", ',');
	skip_setting = 1;
	EXPECT_ROWS("\xEF\xBB\xBFTitle\nm,q\n1,2\n", 0, "H2:m|q\nR3:1|2\n", ',');
	/* a sep= line after the skipped lines still names the delimiter */
	EXPECT_ROWS("Title\n\nsep=;\nm;q\n1;2\n", 0, "H4:m|q\nR5:1|2\n", ';');
	skip_setting = 0;
}

/* Ensure a file with fewer lines than skip_lines has no header, said so. */
static void test_skip_lines_past_end(void **state)
{
	(void)state;
	skip_setting = 3;
	struct result res = read_bytes("Title\nm,q\n", 11, 0);
	skip_setting = 0;
	assert_int_equal(res.status, SV_EDATA);
	assert_string_equal(res.diag, "sv-calc: f.csv: no header row after the 3 lines skipped (skip_lines)\n");
	assert_string_equal(res.rows, "");
	result_free(&res);
}

/* Ensure a CR that ends a skipped line at the end of a read still pairs
 * with the LF that the next read brings (one line, not two). */
static void test_skip_lines_crlf_across_reads(void **state)
{
	(void)state;
	size_t note = ((size_t)1 << 20) - 1;
	const char *rest = "\r\nm,q\n1,2\n";
	char *bytes = malloc(note + strlen(rest) + 1);
	assert_non_null(bytes);
	memset(bytes, 'x', note);
	strcpy(bytes + note, rest);
	skip_setting = 1;
	struct result res = read_bytes(bytes, note + strlen(rest), 0);
	skip_setting = 0;
	free(bytes);
	bool ok = res.status == SV_OK && strcmp(res.rows, "H2:m|q\nR3:1|2\n") == 0;
	if (!ok)
		print_error("got status %d, rows:\n%s\n", (int)res.status, res.rows);
	result_free(&res);
	assert_true(ok);
}

/* Ensure a UTF-8 byte order mark wins over Windows-1252: the header is
 * "m", not "\u00EF\u00BB\u00BFm"; without the mark the bytes are
 * converted. */
static void test_bom_wins_over_cp1252(void **state)
{
	(void)state;
	cp1252_setting = true;
	EXPECT_ROWS("\xEF\xBB\xBFm,q\n\xC2\xA3,1\n", 0, "H1:m|q\nR2:\xC2\xA3|1\n", ',');
	EXPECT_ROWS("m,q\n\xA3,1\n", 0, "H1:m|q\nR2:\xC2\xA3|1\n", ',');
	skip_setting = 1;
	EXPECT_ROWS("\xEF\xBB\xBFNotes \xA3\nm,q\n\xC2\xA3,1\n", 0, "H2:m|q\nR3:\xC2\xA3|1\n", ',');
	skip_setting = 0;
	cp1252_setting = false;
}

/* The lines of the rows that came plain, each checked against the promise. */
static enum sv_status on_plain_row(void *ctx, const struct sv_row *row)
{
	FILE *out = ctx;
	if (!row->plain)
		return SV_OK;
	fprintf(out, "%lu ", row->line);
	for (size_t i = 0; i < row->n_fields; i++) {
		const struct sv_field *f = &row->fields[i];
		for (size_t k = 0; k < f->len; k++)
			if (f->ptr[k] == '"' || f->ptr[k] == '\n' || f->ptr[k] == '\r' || f->ptr[k] == row->delimiter)
				fail_msg("line %lu, field %zu: byte %d in a plain row", row->line, i, f->ptr[k]);
		if (f->len && (f->ptr[0] == ' ' || f->ptr[0] == '\t' || f->ptr[f->len - 1] == ' ' ||
			       f->ptr[f->len - 1] == '\t'))
			fail_msg("line %lu, field %zu: a space or tab at an end in a plain row", row->line, i);
	}
	return SV_OK;
}

/* Ensure rows split from lines with no quote and no CR say they are plain,
 * with no field holding what would need quoting, and no other row does
 * (quotes, a lone CR, fields across lines, text after a closing quote). */
static void test_plain_rows(void **state)
{
	(void)state;
	static const char bytes[] = "a,b,c\n"
				    " x , y\t,z\n"
				    "\"q\",r,s\n"
				    "t,u\r\n"
				    "v,\"w\nx\",y\n"
				    "lone\rcr,1\n"
				    "\"bad\"x,2\n"
				    "p;q,r s,t\n";
	char *copy = malloc(sizeof bytes);
	assert_non_null(copy);
	memcpy(copy, bytes, sizeof bytes);
	FILE *f = fmemopen(copy, sizeof bytes - 1, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(f);
	assert_non_null(out);
	struct sv_reader *r = new_reader();
	const struct sv_reader_callbacks cb = {on_plain_row, on_plain_row};
	struct capture c;
	capture_start(&c);
	assert_int_equal(sv_reader_read(r, f, "f.csv", ',', &cb, out), SV_OK);
	free(capture_end(&c));
	sv_reader_free(r);
	fclose(f);
	fclose(out);
	free(copy);
	/* 4: a CRLF line end is no CR in a field; 7-8: a lone CR ends a row
	 * as libcsv reads it */
	assert_string_equal(text, "1 2 4 10 ");
	free(text);
}

/* The trimming rule, applied to s with delimiter d, leaves want. */
static void assert_trims_to(const char *s, int d, const char *want)
{
	const struct sv_field f = {s, strlen(s)};
	const struct sv_field t = sv_field_trimmed(f, d);
	assert_int_equal(t.len, strlen(want));
	assert_memory_equal(t.ptr, want, t.len);
	/* what is left lies inside the field */
	assert_true(t.ptr >= s && t.ptr + t.len <= s + f.len);
}

static void test_field_trimmed(void **state)
{
	(void)state;
	static const struct {
		const char *field;
		int delimiter;
		const char *left;
	} cases[] = {
		{"NT1", ',', "NT1"},
		{"  NT1", ',', "NT1"},
		{"NT1  ", ',', "NT1"},
		{"\tNT1", ',', "NT1"},
		{"NT1\t", ';', "NT1"},
		{" \t NT 1 \t ", ',', "NT 1"},
		/* TAB as the delimiter: tabs are kept, spaces still go */
		{"\tNT1", '\t', "\tNT1"},
		{"NT1\t", '\t', "NT1\t"},
		{" \tNT1\t ", '\t', "\tNT1\t"},
		/* 0, as for header names: tabs go too */
		{"\tNT1 ", 0, "NT1"},
		/* all blank, and empty */
		{"  \t ", ',', ""},
		{"  \t ", '\t', "\t"},
		{"\t\t", '\t', "\t\t"},
		{"", ',', ""},
		{"", '\t', ""},
		/* only the ends, and only spaces and tabs */
		{"\rNT1\n", ',', "\rNT1\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_trims_to(cases[i].field, cases[i].delimiter, cases[i].left);
	const struct sv_field none = {NULL, 0};
	assert_int_equal(sv_field_trimmed(none, ',').len, 0);
}

/* The header-name copy trims by the same rule, tabs always. */
static void test_field_dup_trimmed(void **state)
{
	(void)state;
	const char *name = " \tMeasure\t ";
	const struct sv_field f = {name, strlen(name)};
	char *c = sv_field_dup_trimmed(&f);
	assert_string_equal(c, "Measure");
	free(c);
	const struct sv_field blank = {" \t", 2};
	c = sv_field_dup_trimmed(&blank);
	assert_string_equal(c, "");
	free(c);
}

/* A header field names a column whatever its case and the blanks around it. */
static void test_field_is_name(void **state)
{
	(void)state;
	const char *header = " \tMeasure\t ";
	const struct sv_field f = {header, strlen(header)};
	assert_true(sv_field_is_name(&f, "measure"));
	assert_true(sv_field_is_name(&f, "MEASURE"));
	assert_false(sv_field_is_name(&f, "measures"));
	assert_false(sv_field_is_name(&f, "measur"));
	const struct sv_field inner = {"Meas ure", 8};
	assert_false(sv_field_is_name(&inner, "measure"));
	const struct sv_field blank = {" \t", 2};
	assert_true(sv_field_is_name(&blank, ""));
	assert_false(sv_field_is_name(&blank, "x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lf),
		cmocka_unit_test(test_skip_lines),
		cmocka_unit_test(test_skip_lines_past_end),
		cmocka_unit_test(test_skip_lines_crlf_across_reads),
		cmocka_unit_test(test_bom_wins_over_cp1252),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_lone_cr),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_blank_lines_skipped),
		cmocka_unit_test(test_quoted_empty_row_blank),
		cmocka_unit_test(test_quoted_newlines),
		cmocka_unit_test(test_quoted_newline_in_header),
		cmocka_unit_test(test_doubled_quotes),
		cmocka_unit_test(test_quoted_fields_in_place),
		cmocka_unit_test(test_stray_quote_literal),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_closed_quote_at_eof),
		cmocka_unit_test(test_sep_line),
		cmocka_unit_test(test_sep_line_bom_crlf),
		cmocka_unit_test(test_sep_line_tab),
		cmocka_unit_test(test_sep_line_after_blank),
		cmocka_unit_test(test_delimiter_override),
		cmocka_unit_test(test_detected_delimiter),
		cmocka_unit_test(test_sniff_most_frequent),
		cmocka_unit_test(test_sniff_ties),
		cmocka_unit_test(test_sniff_ignores_quoted),
		cmocka_unit_test(test_trimming),
		cmocka_unit_test(test_inner_spaces_kept),
		cmocka_unit_test(test_tab_delimiter_keeps_tabs),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_blank_only_file),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_reader_reuse),
		cmocka_unit_test(test_long_field),
		cmocka_unit_test(test_spaces_around_quotes),
		cmocka_unit_test(test_trailing_empty_field),
		cmocka_unit_test(test_bom_or_sep_only),
		cmocka_unit_test(test_bom_then_blank_lines),
		cmocka_unit_test(test_unterminated_after_doubled_quote),
		cmocka_unit_test(test_long_unquoted_line),
		cmocka_unit_test(test_mixed_line_ends),
		cmocka_unit_test(test_quoted_between_plain),
		cmocka_unit_test(test_plain_rows),
		cmocka_unit_test(test_fun_run),
		cmocka_unit_test(test_spaces_after_closing_quote),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_literal_quote_after_bad_quote),
		cmocka_unit_test(test_bad_quote_multiline),
		cmocka_unit_test(test_bad_quote_line_ends),
		cmocka_unit_test(test_bad_quote_last_line),
		cmocka_unit_test(test_bad_quote_in_header),
		cmocka_unit_test(test_bad_quote_then_unterminated),
		cmocka_unit_test(test_reuse_after_bad_quote),
		cmocka_unit_test(test_cr_spaces_lf),
		cmocka_unit_test(test_field_trimmed),
		cmocka_unit_test(test_field_dup_trimmed),
		cmocka_unit_test(test_field_is_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
