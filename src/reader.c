/*
 * reader.c - libcsv push parser -> rows with physical line numbers.
 *
 * libcsv reports fields and row ends through callbacks and keeps no line
 * numbers.  With CSV_REPALL_NL it calls the row callback once for every CR
 * or LF outside a quoted field (blank lines included), and CR/LF inside
 * quoted fields arrive in the field data; counting both gives the physical
 * line of every row.  A CRLF pair shows up as a row ended by CR followed by
 * an empty row ended by LF, which must count once.
 */
#include "sv_reader.h"
#include "sv_diag.h"
#include "sv_sha256.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK ((size_t)1 << 20)
/* libcsv's state for "inside a field"; its header exposes the field but not
 * the names of its values. */
#define LIBCSV_FIELD_BEGUN 2

struct sv_reader {
	struct csv_parser parser;
	char *chunk;

	/* the file's first bytes, held back until the delimiter is known */
	char *pre;
	size_t pre_len, pre_cap;

	/* the row being assembled: its bytes, and each field's extent */
	char *row_bytes;
	size_t row_len, row_cap;
	size_t *field_end;
	struct sv_field *fields;
	size_t n_fields, fields_cap;

	/* per file */
	const char *name;
	const struct sv_reader_callbacks *cb;
	void *ctx;
	unsigned long line;     /* physical line of the next byte */
	unsigned long row_line; /* where the current row began */
	bool in_row;
	bool last_cr;
	bool header_seen;
	bool unterminated;
	bool stop;
	enum sv_status status;
	int delimiter;
	struct sv_sha256 *digest;
};

struct sv_reader *sv_reader_new(void)
{
	struct sv_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->chunk = malloc(READ_CHUNK);
	if (!r->chunk || csv_init(&r->parser, CSV_REPALL_NL) != 0) {
		free(r->chunk);
		free(r);
		return NULL;
	}
	return r;
}

void sv_reader_free(struct sv_reader *r)
{
	if (!r)
		return;
	csv_free(&r->parser);
	free(r->chunk);
	free(r->pre);
	free(r->row_bytes);
	free(r->field_end);
	free(r->fields);
	free(r);
}

void sv_reader_set_digest(struct sv_reader *r, struct sv_sha256 *h)
{
	r->digest = h;
}

int sv_reader_delimiter(const struct sv_reader *r)
{
	return r->delimiter;
}

static void fail(struct sv_reader *r, enum sv_status st)
{
	if (!r->stop) {
		r->stop = true;
		r->status = st;
	}
}

static bool grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *p = realloc(*buf, n * elem);
	if (!p)
		return false;
	*buf = p;
	*cap = n;
	return true;
}

/* Counts line ends inside field data: LF, CRLF, or a lone CR. */
static unsigned long count_line_ends(const char *s, size_t n)
{
	unsigned long lines = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			lines++;
		else if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
			lines++;
	}
	return lines;
}

static void on_field(void *data, size_t len, void *vr)
{
	struct sv_reader *r = vr;
	if (r->stop)
		return;
	if (!r->in_row) {
		r->in_row = true;
		r->row_line = r->line;
		r->row_len = 0;
		r->n_fields = 0;
	}
	r->last_cr = false;
	if (memchr(data, '\n', len) || memchr(data, '\r', len))
		r->line += count_line_ends(data, len);
	size_t fields_cap = r->fields_cap;
	if (!grow((void **)&r->row_bytes, &r->row_cap, r->row_len + len + 1, 1) ||
	    !grow((void **)&r->field_end, &fields_cap, r->n_fields + 1, sizeof *r->field_end) ||
	    !grow((void **)&r->fields, &r->fields_cap, r->n_fields + 1, sizeof *r->fields)) {
		fail(r, SV_ESOFTWARE);
		return;
	}
	if (len)
		memcpy(r->row_bytes + r->row_len, data, len);
	r->row_len += len;
	r->field_end[r->n_fields++] = r->row_len;
}

static bool all_empty(const struct sv_reader *r)
{
	return r->row_len == 0;
}

static void emit_row(struct sv_reader *r)
{
	size_t start = 0;
	for (size_t i = 0; i < r->n_fields; i++) {
		r->fields[i].ptr = r->row_bytes + start;
		r->fields[i].len = r->field_end[i] - start;
		start = r->field_end[i];
	}
	struct sv_row row = {r->fields, r->n_fields, r->row_line, r->unterminated};
	enum sv_status st;
	if (!r->header_seen) {
		r->header_seen = true;
		st = r->cb->header(r->ctx, &row);
	} else
		st = r->cb->record(r->ctx, &row);
	if (st != SV_OK)
		fail(r, st);
}

static void on_row(int c, void *vr)
{
	struct sv_reader *r = vr;
	if (c == CSV_LF && !r->in_row && r->last_cr) {
		r->last_cr = false;
		return;
	}
	if (c == CSV_CR || c == CSV_LF)
		r->line++;
	r->last_cr = c == CSV_CR;
	if (!r->in_row)
		return;
	r->in_row = false;
	if (r->stop || all_empty(r))
		return;
	emit_row(r);
}

int sv_sniff_delimiter(const char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	bool quoted = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == ',')
			comma++;
		else if (!quoted && s[i] == ';')
			semi++;
		else if (!quoted && s[i] == '\t')
			tab++;
	}
	if (comma >= semi && comma >= tab)
		return ',';
	return semi >= tab ? ';' : '\t';
}

/* The first line of a file that is not blank, found before parsing. */
struct first_line {
	size_t start, end; /* its content */
	size_t next;       /* just past its line end */
	bool found;
};

static bool blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == ';';
}

/* Scans s for the first non-blank line; false if more bytes are needed. */
static bool scan_first_line(const char *s, size_t n, bool eof, struct first_line *fl)
{
	size_t start = 0;
	bool quoted = false, blank = true;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		if (!quoted && (c == '\n' || c == '\r')) {
			size_t next = i + 1;
			if (c == '\r') {
				if (next == n && !eof)
					return false; /* is it CRLF? */
				if (next < n && s[next] == '\n')
					next++;
			}
			if (!blank) {
				*fl = (struct first_line){start, i, next, true};
				return true;
			}
			start = next;
			i = next - 1;
			blank = true;
			continue;
		}
		if (!blank_byte(c))
			blank = false;
	}
	if (!eof)
		return false;
	fl->found = !blank;
	fl->start = start;
	fl->end = fl->next = n;
	return true;
}

/* Excel writes "sep=;" as the first line to name the delimiter. */
static int sep_line_delimiter(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	if (n == 5 && (s[0] == 's' || s[0] == 'S') && (s[1] == 'e' || s[1] == 'E') &&
	    (s[2] == 'p' || s[2] == 'P') && s[3] == '=')
		return (unsigned char)s[4];
	return 0;
}

static bool read_more(struct sv_reader *r, FILE *f, char *buf, size_t cap, size_t *got)
{
	*got = fread(buf, 1, cap, f);
	if (r->digest && *got)
		sv_sha256_update(r->digest, buf, *got);
	if (*got == 0 && ferror(f)) {
		sv_diag("%s: read error: %s", r->name, strerror(errno));
		fail(r, SV_EIO);
		return false;
	}
	return true;
}

static void feed(struct sv_reader *r, const char *s, size_t n)
{
	if (r->stop || n == 0)
		return;
	/* libcsv grows its field buffer by a fixed block; growing the block with
	 * the buffer keeps a huge field linear instead of quadratic. */
	size_t have = csv_get_buffer_size(&r->parser);
	csv_set_blk_size(&r->parser, have > 65536 ? have : 65536);
	if (csv_parse(&r->parser, s, n, on_field, on_row, r) != n && !r->stop) {
		sv_diag("%s:%lu: cannot parse CSV: %s", r->name, r->line,
			csv_strerror(csv_error(&r->parser)));
		fail(r, SV_ESOFTWARE);
	}
	if (!r->stop && csv_get_buffer_size(&r->parser) > SV_FIELD_MAX) {
		sv_diag("%s:%lu: a field is longer than %zu MiB", r->name, r->row_line,
			SV_FIELD_MAX >> 20);
		fail(r, SV_EDATA);
	}
}

/*
 * Buffers the start of the file until its first non-blank line is complete,
 * then settles the delimiter and feeds the buffered bytes to the parser,
 * leaving out a byte order mark and a "sep=" line.
 */
static void start_file(struct sv_reader *r, FILE *f, int delimiter)
{
	struct first_line fl = {0};
	bool eof = false;
	r->pre_len = 0;
	while (!r->stop) {
		if (!grow((void **)&r->pre, &r->pre_cap, r->pre_len + 65536, 1)) {
			fail(r, SV_ESOFTWARE);
			return;
		}
		size_t got;
		if (!read_more(r, f, r->pre + r->pre_len, r->pre_cap - r->pre_len, &got))
			return;
		r->pre_len += got;
		eof = got == 0;
		if (r->pre_len < 3 && !eof)
			continue;
		size_t bom = r->pre_len >= 3 && memcmp(r->pre, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		if (scan_first_line(r->pre + bom, r->pre_len - bom, eof, &fl)) {
			fl.start += bom;
			fl.end += bom;
			fl.next += bom;
			int sep = fl.found ? sep_line_delimiter(r->pre + fl.start, fl.end - fl.start) : 0;
			if (delimiter)
				r->delimiter = delimiter;
			else if (sep)
				r->delimiter = sep;
			else
				r->delimiter = sv_sniff_delimiter(r->pre + fl.start, fl.end - fl.start);
			csv_set_delim(&r->parser, (unsigned char)r->delimiter);
			if (sep) {
				feed(r, r->pre + bom, fl.start - bom);
				r->line++;
				feed(r, r->pre + fl.next, r->pre_len - fl.next);
			} else
				feed(r, r->pre + bom, r->pre_len - bom);
			return;
		}
		if (r->pre_len > SV_FIELD_MAX) {
			sv_diag("%s:1: the header line is longer than %zu MiB", r->name, SV_FIELD_MAX >> 20);
			fail(r, SV_EDATA);
			return;
		}
	}
}

enum sv_status sv_reader_read(struct sv_reader *r, FILE *f, const char *name, int delimiter,
			      const struct sv_reader_callbacks *cb, void *ctx)
{
	r->name = name;
	r->cb = cb;
	r->ctx = ctx;
	r->line = 1;
	r->row_line = 1;
	r->in_row = r->last_cr = r->header_seen = r->unterminated = r->stop = false;
	r->status = SV_OK;
	r->row_len = r->n_fields = 0;

	start_file(r, f, delimiter);
	while (!r->stop) {
		size_t got;
		if (!read_more(r, f, r->chunk, READ_CHUNK, &got) || got == 0)
			break;
		feed(r, r->chunk, got);
	}
	if (!r->stop) {
		r->unterminated = r->parser.pstate == LIBCSV_FIELD_BEGUN && r->parser.quoted;
		csv_fini(&r->parser, on_field, on_row, r);
	} else {
		/* discard the parser's partial row so the next file starts clean */
		r->stop = true;
		csv_fini(&r->parser, NULL, NULL, NULL);
	}
	if (r->status == SV_OK && !r->header_seen) {
		sv_diag("%s: no header row (the file is empty or blank)", name);
		r->status = SV_EDATA;
	}
	return r->status;
}
