/*
 * test_chunks.c - a file read in chunks on worker threads gives exactly the
 * rows, line numbers and flags of one reader reading it whole.
 *
 * The client here keeps a transcript: every row as "H" or "R", its absolute
 * line, its flags and its fields.  Chunks are a few bytes long, so that
 * quoted records, bad closing quotes and their recovery lines cross chunk
 * ends at every offset.
 */
#include "test_util.h"

#include <unistd.h>

#include "sv_chunks.h"

struct row_text {
	unsigned long line;
	char *text; /* "H" or "R", then "|flags|fields" */
};

/* A chunk's rows, or (direct) the rows going straight to the transcript. */
struct acc {
	struct client *client;
	struct row_text *rows;
	size_t n, cap;
	bool direct;
	unsigned long line_offset;
	bool header_bad;
	bool refuse; /* holds a row marked "REFUSE": fits() says no */
};

struct client {
	FILE *out; /* the transcript */
	char *text;
	size_t len;
	struct acc direct;
	bool header_bad;
	bool refuse_marked;  /* fits() refuses chunks with a REFUSE row */
	size_t merges, rereads, alone;
};

static char *row_string(char kind, const struct sv_row *row)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	fprintf(out, "%c|%s%s", kind, row->unterminated ? "U" : "", row->bad_closing_quote ? "Q" : "");
	for (size_t i = 0; i < row->n_fields; i++) {
		fputc('|', out);
		for (size_t k = 0; k < row->fields[i].len; k++) {
			char c = row->fields[i].ptr[k];
			if (c == '\n')
				fputs("\\n", out);
			else if (c == '\r')
				fputs("\\r", out);
			else
				fputc(c, out);
		}
	}
	fclose(out);
	return text;
}

static void put_row(struct acc *a, char kind, const struct sv_row *row)
{
	char *text = row_string(kind, row);
	if (strstr(text, "REFUSE"))
		a->refuse = true;
	if (a->direct) {
		fprintf(a->client->out, "%lu%s\n", row->line + a->line_offset, text);
		free(text);
		return;
	}
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->rows = realloc(a->rows, a->cap * sizeof *a->rows);
	}
	a->rows[a->n++] = (struct row_text){row->line, text};
}

static enum sv_status on_header(void *ctx, const struct sv_row *row)
{
	struct acc *a = ctx;
	a->header_bad = row->unterminated || row->bad_closing_quote;
	if (a->header_bad && !a->direct) {
		/* reported at once, as the engine reports header problems */
		char *text = row_string('H', row);
		fprintf(a->client->out, "%lu%s\n", row->line, text);
		free(text);
	} else
		put_row(a, 'H', row);
	if (a->direct)
		a->client->header_bad = a->header_bad;
	return a->header_bad ? SV_EDATA : SV_OK;
}

static enum sv_status on_record(void *ctx, const struct sv_row *row)
{
	put_row(ctx, 'R', row);
	return SV_OK;
}

static void *c_open(void *ctx)
{
	struct acc *a = calloc(1, sizeof *a);
	a->client = ctx;
	return a;
}

static enum sv_status c_status(void *ctx, void *acc)
{
	(void)ctx;
	(void)acc;
	return SV_OK;
}

static bool c_header(void *ctx, void *first, int delimiter)
{
	struct client *c = ctx;
	const struct acc *a = first;
	(void)delimiter;
	c->header_bad = a->header_bad;
	return !a->header_bad && a->n > 0;
}

static bool c_fits(void *ctx, void *acc)
{
	const struct client *c = ctx;
	return !(c->refuse_marked && ((struct acc *)acc)->refuse);
}

static enum sv_status c_merge(void *ctx, void *acc, unsigned long line_offset)
{
	struct client *c = ctx;
	const struct acc *a = acc;
	for (size_t i = 0; i < a->n; i++)
		fprintf(c->out, "%lu%s\n", a->rows[i].line + line_offset, a->rows[i].text);
	c->merges++;
	return SV_OK;
}

static void c_close(void *ctx, void *acc)
{
	(void)ctx;
	struct acc *a = acc;
	for (size_t i = 0; i < a->n; i++)
		free(a->rows[i].text);
	free(a->rows);
	free(a);
}

static void *c_direct(void *ctx, unsigned long line_offset)
{
	struct client *c = ctx;
	c->direct = (struct acc){.client = c, .direct = true, .line_offset = line_offset};
	c->rereads++;
	return &c->direct;
}

static enum sv_status c_direct_end(void *ctx)
{
	(void)ctx;
	return SV_OK;
}

static const struct sv_reader_callbacks callbacks = {on_header, on_record};

static enum sv_status c_read_alone(void *ctx, struct sv_reader *r, FILE *f, bool whole_file,
				   unsigned long line_offset)
{
	struct client *c = ctx;
	c->direct = (struct acc){.client = c, .direct = true, .line_offset = line_offset};
	c->alone++;
	if (whole_file)
		return sv_reader_read(r, f, "in.csv", 0, &callbacks, &c->direct);
	sv_reader_open_records(r, f, "in.csv", ',', &callbacks, &c->direct);
	sv_reader_parse_to(r, f, 0, false);
	return sv_reader_close(r);
}

static const struct sv_chunk_client client_model = {
	.cb = {on_header, on_record},
	.open = c_open,
	.status = c_status,
	.header = c_header,
	.fits = c_fits,
	.merge = c_merge,
	.close = c_close,
	.direct = c_direct,
	.direct_end = c_direct_end,
	.read_alone = c_read_alone,
};

/* A scratch file holding (s, n); its path is in path (at least 64 bytes). */
static void write_file(char *path, const char *s, size_t n)
{
	snprintf(path, 64, "/tmp/sv-calc-chunks-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	close(fd);
}

/* The transcript of one reader reading the file whole, status last. */
static char *read_whole(const char *path)
{
	struct client c = {0};
	c.out = open_memstream(&c.text, &c.len);
	FILE *f = fopen(path, "rb");
	struct sv_reader *r = sv_reader_new();
	enum sv_status st = c_read_alone(&c, r, f, true, 0);
	fprintf(c.out, "status %d\n", (int)st);
	sv_reader_free(r);
	fclose(f);
	fclose(c.out);
	return c.text;
}

struct chunked {
	char *text;
	size_t merges, rereads, alone;
};

/* The transcript of the file read in chunks of chunk_bytes on jobs threads. */
static struct chunked read_chunked(const char *path, size_t size, uint64_t chunk_bytes, long jobs, bool refuse)
{
	struct client c = {0};
	c.refuse_marked = refuse;
	c.out = open_memstream(&c.text, &c.len);
	struct sv_chunk_client client = client_model;
	client.ctx = &c;
	struct sv_chunk_plan plan = {.path = path, .name = "in.csv", .size = size, .chunk_bytes = chunk_bytes,
				     .jobs = jobs};
	FILE *f = fopen(path, "rb");
	struct sv_reader *r = sv_reader_new();
	enum sv_status st = sv_chunks_read(&plan, &client, r, f);
	fprintf(c.out, "status %d\n", (int)st);
	sv_reader_free(r);
	fclose(f);
	fclose(c.out);
	return (struct chunked){c.text, c.merges, c.rereads, c.alone};
}

/* Chunks read again on the main thread, over every same_in_chunks. */
static size_t total_rereads;

/* Checks every chunk size from min to max, on 1 and 2 threads (and 3, for
 * a window smaller than the file), against the whole-file transcript. */
static void same_in_chunks(const char *s, size_t n, uint64_t min, uint64_t max, bool refuse)
{
	char path[64];
	write_file(path, s, n);
	char *want = read_whole(path);
	for (uint64_t size = min; size <= max; size++) {
		for (long jobs = 1; jobs <= 3; jobs++) {
			struct chunked got = read_chunked(path, n, size, jobs, refuse);
			if (strcmp(got.text, want) != 0) {
				print_error("chunks of %llu bytes, %ld jobs:\n%s\none reader:\n%s\n", (unsigned long long)size,
					    jobs, got.text, want);
				unlink(path);
				free(got.text);
				free(want);
				fail();
			}
			total_rereads += got.rereads;
			free(got.text);
		}
	}
	unlink(path);
	free(want);
}

#define SAME_IN_CHUNKS(lit, min, max) same_in_chunks(lit, sizeof(lit) - 1, min, max, false)

/* Ensure plain, quoted and multi-line records agree at every chunk size. */
static void test_plain_and_quoted(void **state)
{
	(void)state;
	SAME_IN_CHUNKS("measure,quantity\nNT1,1\nNT2,2\n\"NT3\",3\n\"multi\nline\nfield\",4\nNT5,5\n\n,,\nNT6,6", 2, 40);
}

/* Ensure the issue's file agrees at every chunk size: the bad closing quote
 * straddles, starts at or ends at a chunk end somewhere in the range. */
static void test_fun_run(void **state)
{
	(void)state;
	SAME_IN_CHUNKS("date,measure,quantity,note\n"
		       "2025-04-01,NT29,10,\"Fun Run\" at Roundhay Park\n"
		       "2025-04-02,NT29,5,Park clean\n"
		       "2025-04-03,NT29,7,\"Litter pick, Kirkstall\"\n"
		       "2025-04-04,NT29,3,plain\n"
		       "2025-04-05,NT29,1,last\n",
		       2, 90);
}

/* Ensure a bad closing quote on a later line of a multi-line field, whose
 * recovery line crosses chunk ends, agrees at every chunk size. */
static void test_bad_quote_multiline(void **state)
{
	(void)state;
	size_t before = total_rereads;
	SAME_IN_CHUNKS("a,b\n1,\"one\ntwo\nthree\" and a long tail, with commas\n2,3\n\"p\"q\n\"r\ns\"t\"\n4,5\n", 2,
		       70);
	assert_true(total_rereads > before); /* the open record did cross chunk ends */
}

/* Ensure CRLF and lone CR line ends around bad quotes agree. */
static void test_bad_quote_line_ends(void **state)
{
	(void)state;
	SAME_IN_CHUNKS("a,b\r\n\"x\"y,1\r\n2,3\r\n\"p\r\nq\"r\r\n4,5\r\n", 2, 40);
	SAME_IN_CHUNKS("a,b\n\"x\"y\r2,3\r\"z\"w\r\n4,5\n6,7\n", 2, 40);
}

/* Ensure a bad closing quote in the header stops the file on any split. */
static void test_bad_quote_header(void **state)
{
	(void)state;
	SAME_IN_CHUNKS("\"measure\" x,quantity\nNT1,1\nNT2,2\n", 2, 30);
}

/* Ensure blank lines longer than the first chunk before the header are
 * not "no header row". */
static void test_blank_lines_before_header(void **state)
{
	(void)state;
	SAME_IN_CHUNKS("\n  \n,,\n\r\n\n\n \t \n\n\n\nmeasure,quantity\nNT1,1\n\"x\"y,2\nNT3,3\n", 2, 40);
	SAME_IN_CHUNKS("\n\n\n\n\n\n\n\n\n\n", 2, 12);
}

/* Ensure a chunk the client refuses is read again on the main thread, and
 * the result is still that of one reader. */
static void test_refused_chunk_reread(void **state)
{
	(void)state;
	static const char text[] = "a,b\n1,2\n3,4\nREFUSE,5\n\"x\"y,6\n7,8\n9,10\n11,12\n13,14\n";
	same_in_chunks(text, sizeof text - 1, 4, 30, true);
	char path[64];
	write_file(path, text, sizeof text - 1);
	struct chunked got = read_chunked(path, sizeof text - 1, 8, 2, true);
	unlink(path);
	free(got.text);
	assert_true(got.rereads > 0);
	assert_true(got.merges > 1);
}

/* A small deterministic generator, so failures repeat. */
static uint32_t next_random(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7FFF;
}

/* Appends one random line or record of the kinds the reader treats apart:
 * a prefix, a number, a suffix. */
static void random_record(FILE *out, uint32_t *seed)
{
	static const char *const kinds[][2] = {
		{"NT1,", "\n"},          {"\"NT2\",", "\n"},     {"NT3,\"q\nr\",", "\n"},
		{"NT4,\"Fun\" run ", "\n"}, {"NT5,12\" screen ", "\n"}, {"", "\n"},
		{"NT6,\"a\nb\" c,", "\n"}, {"NT7,\"x\"\"y\",", "\r\n"}, {"NT8,\"z\" \"w\" ", "\r"},
		{" , ", "\n"},           {"NT9,\"\"\"\"", "\n"},   {"\"multi\n\nline\",", "\n"},
	};
	uint32_t k = next_random(seed) % (sizeof kinds / sizeof kinds[0]);
	fprintf(out, "%s%u%s", kinds[k][0], next_random(seed), kinds[k][1]);
}

/* Ensure random mixes of records agree at many chunk sizes. */
static void test_random_files(void **state)
{
	(void)state;
	uint32_t seed = 11;
	for (int file = 0; file < 30; file++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		fputs("measure,quantity\n", out);
		int records = 5 + (int)(next_random(&seed) % 30);
		for (int i = 0; i < records; i++)
			random_record(out, &seed);
		fclose(out);
		same_in_chunks(text, len, 3 + (uint64_t)(file % 5), 3 + (uint64_t)(file % 5) + 16, false);
		free(text);
	}
}

/* Ensure a file of one chunk and the default chunk size read it whole. */
static void test_one_chunk(void **state)
{
	(void)state;
	static const char text[] = "a,b\n1,2\n";
	char path[64];
	write_file(path, text, sizeof text - 1);
	char *want = read_whole(path);
	struct chunked got = read_chunked(path, sizeof text - 1, 0, 2, false);
	unlink(path);
	assert_string_equal(got.text, want);
	assert_int_equal(got.merges, 1);
	free(got.text);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quoted),    cmocka_unit_test(test_fun_run),
		cmocka_unit_test(test_bad_quote_multiline), cmocka_unit_test(test_bad_quote_line_ends),
		cmocka_unit_test(test_bad_quote_header),    cmocka_unit_test(test_refused_chunk_reread),
		cmocka_unit_test(test_random_files),        cmocka_unit_test(test_one_chunk),
		cmocka_unit_test(test_blank_lines_before_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
