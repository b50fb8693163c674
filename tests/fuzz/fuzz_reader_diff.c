/*
 * fuzz_reader_diff.c - the reader's fast path against libcsv alone: the
 * same rows, fields, line numbers, flags and status for any bytes.
 */
#include "fuzz_common.h"

#include "sv_reader.h"

struct rows {
	char *text;
	size_t len;
	FILE *out;
};

static enum sv_status on_row(void *ctx, const struct sv_row *row)
{
	struct rows *c = ctx;
	fprintf(c->out, "%lu%c%zu", row->line, row->unterminated ? 'U' : ' ', row->n_fields);
	for (size_t i = 0; i < row->n_fields; i++) {
		fprintf(c->out, "|%zu:", row->fields[i].len);
		fwrite(row->fields[i].ptr, 1, row->fields[i].len, c->out);
	}
	fputc('\n', c->out);
	return SV_OK;
}

static char *parse(const uint8_t *data, size_t size, bool fast, int delimiter, size_t *len)
{
	struct rows c = {NULL, 0, NULL};
	c.out = open_memstream(&c.text, &c.len);
	FILE *in = fmemopen((void *)(uintptr_t)data, size ? size : 1, "rb");
	if (!size)
		fgetc(in); /* fmemopen refuses a 0-byte buffer: read past the one byte */
	struct sv_reader *r = sv_reader_new();
	sv_reader_set_fast_path(r, fast);
	const struct sv_reader_callbacks cb = {on_row, on_row};
	enum sv_status st = sv_reader_read(r, in, "in.csv", delimiter, &cb, &c);
	fprintf(c.out, "status %d delimiter %d\n", (int)st, sv_reader_delimiter(r));
	sv_reader_free(r);
	fclose(in);
	fclose(c.out);
	*len = c.len;
	return c.text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delimiters[] = {0, ',', ';', '\t'};
	fuzz_quiet();
	if (size < 1)
		return 0;
	int delimiter = delimiters[data[0] % 4];
	size_t a_len, b_len;
	char *a = parse(data + 1, size - 1, true, delimiter, &a_len);
	char *b = parse(data + 1, size - 1, false, delimiter, &b_len);
	FUZZ_CHECK(a_len == b_len && memcmp(a, b, a_len) == 0);
	free(a);
	free(b);
	return 0;
}
