/*
 * fuzz_reader_diff.c - the reader's fast path against libcsv alone, and
 * both against a small reference parser written here from SPEC.md: the
 * same rows, fields, line numbers, flags and status for any bytes.
 *
 * The reference knows RFC 4180 and SPEC's rules (unquoted fields trimmed,
 * blank rows skipped, a stray quote in an unquoted field literal, text
 * after a closing quote flagging the record and ending it at its physical
 * line, the unterminated flag) and counts physical lines itself (LF, CRLF,
 * lone CR), sharing no code with the reader but the delimiter sniffing.
 */
#include "fuzz_common.h"

#include <stdbool.h>

#include "sv_reader.h"

struct rows {
	char *text;
	size_t len;
	FILE *out;
};

static void put_row(FILE *out, unsigned long line, bool unterminated, bool bad_quote, const struct sv_field *fields,
		    size_t n)
{
	fprintf(out, "%lu%c%c%zu", line, unterminated ? 'U' : ' ', bad_quote ? 'Q' : ' ', n);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "|%zu:", fields[i].len);
		fwrite(fields[i].ptr, 1, fields[i].len, out);
	}
	fputc('\n', out);
}

/* A row that says it is plain holds nothing that needs quoting with its
 * delimiter (--rejects writes such rows' cells as they are). */
static void check_plain(const struct sv_row *row)
{
	for (size_t i = 0; row->plain && i < row->n_fields; i++) {
		const struct sv_field *f = &row->fields[i];
		for (size_t k = 0; k < f->len; k++)
			FUZZ_CHECK(f->ptr[k] != '"' && f->ptr[k] != '\n' && f->ptr[k] != '\r' && f->ptr[k] != row->delimiter);
		FUZZ_CHECK(!f->len || (f->ptr[0] != ' ' && f->ptr[0] != '\t' && f->ptr[f->len - 1] != ' ' &&
				       f->ptr[f->len - 1] != '\t'));
	}
}

static enum sv_status on_row(void *ctx, const struct sv_row *row)
{
	struct rows *c = ctx;
	check_plain(row);
	put_row(c->out, row->line, row->unterminated, row->bad_closing_quote, row->fields, row->n_fields);
	return SV_OK;
}

static char *parse(const uint8_t *data, size_t size, int way, int delimiter, size_t *len, int *found)
{
	struct rows c = {NULL, 0, NULL};
	c.out = open_memstream(&c.text, &c.len);
	FILE *in = fmemopen((void *)(uintptr_t)data, size ? size : 1, "rb");
	if (!size)
		fgetc(in); /* fmemopen refuses a 0-byte buffer: read past the one byte */
	/* one reader per path for the whole run, as sv-calc reuses one for
	 * every file: state left by one input must not reach the next, and a
	 * fresh 1 MiB buffer per input would make the target slow */
	static struct sv_reader *readers[SV_SCAN_AVX2 + 2];
	if (!readers[way])
		readers[way] = sv_reader_new();
	struct sv_reader *r = readers[way];
	FUZZ_CHECK(r != NULL);
	/* 0: libcsv alone; 1 + a way of scanning: the fast path that way */
	sv_reader_set_fast_path(r, way != 0);
	if (way)
		sv_reader_set_scan(r, (enum sv_scan)(way - 1));
	const struct sv_reader_callbacks cb = {on_row, on_row};
	enum sv_status st = sv_reader_read(r, in, "in.csv", delimiter, &cb, &c);
	*found = sv_reader_delimiter(r);
	fprintf(c.out, "status %d delimiter %d\n", (int)st, *found);
	fclose(in);
	fclose(c.out);
	*len = c.len;
	return c.text;
}

/* ---- the reference ------------------------------------------------------ */

struct ref {
	const char *s;
	size_t n, i;
	char delim;
	unsigned long line;
	FILE *out;
	bool any_row;
	/* the row being built: fields' bytes end to end */
	char *bytes;
	size_t len, cap;
	size_t ends[4096];
	size_t n_fields;
	bool overflow; /* more fields than the reference keeps: skip the check */
};

static void ref_byte(struct ref *r, char c)
{
	if (r->len == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->bytes = realloc(r->bytes, r->cap);
		FUZZ_CHECK(r->bytes != NULL);
	}
	r->bytes[r->len++] = c;
}

static void ref_end_field(struct ref *r)
{
	if (r->n_fields == sizeof r->ends / sizeof r->ends[0]) {
		r->overflow = true;
		return;
	}
	r->ends[r->n_fields++] = r->len;
}

static void ref_row(struct ref *r, unsigned long line, bool unterminated, bool bad_quote)
{
	if (r->len > 0 && !r->overflow) {
		struct sv_field fields[4096];
		size_t start = 0;
		for (size_t k = 0; k < r->n_fields; k++) {
			fields[k].ptr = r->bytes + start;
			fields[k].len = r->ends[k] - start;
			start = r->ends[k];
		}
		put_row(r->out, line, unterminated, bad_quote, fields, r->n_fields);
		r->any_row = true;
	}
	r->len = r->n_fields = 0;
}

static bool ref_space(const struct ref *r, char c)
{
	return (c == ' ' || c == '\t') && c != r->delim;
}

/* At a CR or LF: steps over the line end (CRLF is one) and counts it. */
static void ref_line_end(struct ref *r)
{
	if (r->s[r->i] == '\r' && r->i + 1 < r->n && r->s[r->i + 1] == '\n')
		r->i++;
	r->i++;
	r->line++;
}

static bool ref_at_line_end(const struct ref *r)
{
	return r->i < r->n && (r->s[r->i] == '\n' || r->s[r->i] == '\r');
}

/* An unquoted field: to the delimiter or line end, trimmed. */
static void ref_unquoted(struct ref *r)
{
	size_t start = r->i;
	while (r->i < r->n && r->s[r->i] != r->delim && r->s[r->i] != '\n' && r->s[r->i] != '\r')
		r->i++;
	size_t end = r->i;
	while (end > start && ref_space(r, r->s[end - 1]))
		end--;
	for (size_t k = start; k < end; k++)
		ref_byte(r, r->s[k]);
	ref_end_field(r);
}

enum quoted_end { CLOSED, UNTERMINATED, BAD_QUOTE };

/* A quoted field, r->i just past its opening quote; line ends inside count. */
static enum quoted_end ref_quoted(struct ref *r)
{
	for (;;) {
		if (r->i == r->n) {
			ref_end_field(r);
			return UNTERMINATED;
		}
		char c = r->s[r->i++];
		if (c == '\n' || (c == '\r' && (r->i == r->n || r->s[r->i] != '\n')))
			r->line++;
		if (c != '"') {
			ref_byte(r, c);
			continue;
		}
		if (r->i < r->n && r->s[r->i] == '"') {
			ref_byte(r, '"');
			r->i++;
			continue;
		}
		size_t after = r->i;
		while (after < r->n && ref_space(r, r->s[after]))
			after++;
		if (after == r->n || r->s[after] == r->delim || r->s[after] == '\n' || r->s[after] == '\r') {
			r->i = after;
			ref_end_field(r);
			return CLOSED;
		}
		/* text after the closing quote: the rest of the line, literally */
		ref_byte(r, '"');
		while (r->i < r->n && r->s[r->i] != '\n' && r->s[r->i] != '\r')
			ref_byte(r, r->s[r->i++]);
		ref_end_field(r);
		return BAD_QUOTE;
	}
}

/* One record (or blank line) from r->i, a line start. */
static void ref_record(struct ref *r)
{
	unsigned long line = r->line;
	for (;;) {
		while (r->i < r->n && ref_space(r, r->s[r->i]))
			r->i++;
		enum quoted_end how = CLOSED;
		if (r->i < r->n && r->s[r->i] == '"' && r->delim != '"') {
			r->i++;
			how = ref_quoted(r);
		} else
			ref_unquoted(r);
		if (how != CLOSED) {
			ref_row(r, line, how == UNTERMINATED, how == BAD_QUOTE);
			if (ref_at_line_end(r))
				ref_line_end(r);
			return;
		}
		if (r->i < r->n && r->s[r->i] == r->delim) {
			r->i++;
			continue;
		}
		ref_row(r, line, false, false);
		if (ref_at_line_end(r))
			ref_line_end(r);
		return;
	}
}

static bool blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == ';';
}

/* SPEC: the first non-blank line (quotes may hold line ends) names the
 * delimiter, or is Excel's "sep=X" line. */
static void first_line(const char *s, size_t n, size_t *start, size_t *end, size_t *next, bool *found)
{
	size_t from = 0;
	bool quoted = false, blank = true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		if (!quoted && (s[i] == '\n' || s[i] == '\r')) {
			size_t after = i + 1 + (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n');
			if (!blank) {
				*start = from, *end = i, *next = after, *found = true;
				return;
			}
			from = after;
			i = after - 1;
			continue;
		}
		if (!blank_byte(s[i]))
			blank = false;
	}
	*start = from, *end = *next = n, *found = !blank;
}

static int sep_line(const char *s, size_t n)
{
	while (n > 5 && s[n - 1] == ' ')
		n--;
	while (n && s[0] == ' ')
		s++, n--;
	if (n == 5 && (s[0] | 0x20) == 's' && (s[1] | 0x20) == 'e' && (s[2] | 0x20) == 'p' && s[3] == '=')
		return (unsigned char)s[4];
	return 0;
}

/* The reference's transcript, in the reader's format; *delim is what it
 * found. */
static char *reference(const uint8_t *data, size_t size, int delimiter, size_t *len, int *delim)
{
	struct ref r = {.s = (const char *)data, .n = size, .line = 1};
	char *text = NULL;
	r.out = open_memstream(&text, len);
	size_t bom = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	size_t start, end, next;
	bool found;
	first_line(r.s + bom, size - bom, &start, &end, &next, &found);
	int sep = found ? sep_line(r.s + bom + start, end - start) : 0;
	*delim = delimiter ? delimiter : sep ? sep : sv_sniff_delimiter(r.s + bom + start, end - start);
	r.delim = (char)*delim;
	r.i = bom;
	if (sep) {
		for (size_t k = bom; k < bom + start; k++)
			r.line += r.s[k] == '\n' || (r.s[k] == '\r' && (k + 1 == size || r.s[k + 1] != '\n'));
		r.line++;
		r.i = bom + next;
	}
	while (r.i < r.n)
		ref_record(&r);
	fprintf(r.out, "status %d delimiter %d\n", r.any_row ? (int)SV_OK : (int)SV_EDATA, *delim);
	fclose(r.out);
	free(r.bytes);
	return r.overflow ? (free(text), NULL) : text;
}

/* The fast path and libcsv alone must agree byte for byte, and both with
 * the reference, which among the rest holds SPEC's promise that a bad
 * closing quote never swallows a later physical line. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delimiters[] = {0, ',', ';', '\t'};
	fuzz_quiet();
	if (size < 1)
		return 0;
	int delimiter = delimiters[data[0] % 4];
	size_t a_len, b_len, c_len;
	int a_delim, b_delim, c_delim;
	char *a = parse(data + 1, size - 1, 1 + (int)sv_scan_best(), delimiter, &a_len, &a_delim);
	char *b = parse(data + 1, size - 1, 0, delimiter, &b_len, &b_delim);
	FUZZ_CHECK(a_len == b_len && memcmp(a, b, a_len) == 0);
	/* the other ways of scanning, each against libcsv alone */
	for (int way = SV_SCAN_SCALAR; way < (int)sv_scan_best(); way++) {
		size_t d_len;
		int d_delim;
		char *d = parse(data + 1, size - 1, 1 + way, delimiter, &d_len, &d_delim);
		FUZZ_CHECK(d_len == b_len && memcmp(d, b, d_len) == 0);
		free(d);
	}
	char *c = reference(data + 1, size - 1, delimiter, &c_len, &c_delim);
	/* a quote as the delimiter is beyond what the reference models */
	if (c && c_delim != '"') {
		if (!(a_len == c_len && memcmp(a, c, a_len) == 0))
			fprintf(stderr, "reader:\n%.*s\nreference:\n%.*s\n", (int)a_len, a, (int)c_len, c);
		FUZZ_CHECK(a_len == c_len && memcmp(a, c, a_len) == 0);
	}
	free(a);
	free(b);
	free(c);
	return 0;
}
