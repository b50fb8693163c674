/*
 * reader.c - CSV bytes -> rows with physical line numbers.
 *
 * Two paths, one behaviour.  Most export lines hold no quote: for those a
 * fast path splits the line on the delimiter in place, trimming unquoted
 * fields as libcsv does, and hands the fields over without copying.  A line
 * with a quote (or a lone CR) goes to libcsv from its first byte, and libcsv
 * keeps it until it has finished that record, however many lines its quoted
 * fields span; then the fast path resumes.  The fuzz target checks that
 * both paths give the same rows as libcsv alone.
 *
 * libcsv reports fields and row ends through callbacks and keeps no line
 * numbers.  With CSV_REPALL_NL it calls the row callback once for every CR
 * or LF outside a quoted field (blank lines included), and CR/LF inside
 * quoted fields arrive in the field data; counting both gives the physical
 * line of every row.  A CRLF pair shows up as a row ended by CR followed by
 * an empty row ended by LF, which must count once.
 *
 * A closing quote must be followed by the delimiter, spaces, a line end or
 * the end of input (SPEC.md).  libcsv's lenient mode would instead read on
 * inside the quotes, swallowing later records into one field, so the parser
 * runs in CSV_STRICT mode.  Strict mode also refuses a quote inside an
 * unquoted field, which SPEC keeps as literal text: for that one byte
 * strictness is switched off.  On text after a closing quote the row is cut
 * there: the rest of the physical line joins its last field as literal
 * text, the row is delivered flagged, and parsing starts afresh at the next
 * line, so each later line is read as if the file began there (which the
 * chunked reading of chunks.c relies on).
 */
#include "sv_reader.h"
#include "sv_diag.h"
#include "sv_sha256.h"

#include <csv.h>
#include <errno.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define READ_CHUNK ((size_t)1 << 20)
/* The line scan classifies 64 bytes at a time and may load up to 63 past
 * the last byte read: the buffer has that much more, always initialised
 * (and a plain row's fields are followed by SV_READER_SLACK bytes). */
#define SCAN_SLACK 64
_Static_assert(SCAN_SLACK >= SV_READER_SLACK, "a plain row's fields are followed by SV_READER_SLACK bytes");
/* libcsv's state for "inside a field"; its header exposes the field but not
 * the names of its values. */
#define LIBCSV_FIELD_BEGUN 2
#define PARSER_OPTIONS (CSV_REPALL_NL | CSV_STRICT)

struct sv_reader {
	struct csv_parser parser;

	/* bytes read and not yet consumed are buf[start, end) */
	char *buf;
	size_t cap, start, end;
	bool eof;
	bool in_csv;   /* libcsv is in the middle of a record */
	bool fast;     /* use the fast path (off: libcsv alone, for tests) */
	enum sv_scan scan; /* how the fast path classifies bytes */
	uint64_t consumed; /* bytes dropped from the front of buf so far */
	uint64_t limit;    /* stop at a line starting this far in; 0: none */
	bool dirty;        /* stopped at the limit inside a quoted record */
	bool soft;         /* at the limit, finish the record and stop after it */
	bool cp1252;       /* the input is Windows-1252: turn it into UTF-8 */
	unsigned skip_lines; /* physical lines dropped before the header is looked for */

	/* the row being assembled: its bytes, and each field's extent */
	char *row_bytes;
	size_t row_len, row_cap;
	size_t *field_end;
	size_t field_end_cap;
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
	bool bad_quote; /* the current row has text after a closing quote */
	bool skipping;  /* adding the rest of that line to the row's last field */
	bool stop;
	enum sv_status status;
	int delimiter;
	struct sv_sha256 *digest;
	bool convert;   /* this file is converted from Windows-1252 */
	bool sniff_bom; /* the next read is the file's first */
};

static inline bool is_trimmed(char c, int delimiter)
{
	return c == ' ' || (c == '\t' && delimiter != '\t');
}

struct sv_field sv_field_trimmed(struct sv_field f, int delimiter)
{
	while (f.len && is_trimmed(f.ptr[0], delimiter)) {
		f.ptr++;
		f.len--;
	}
	while (f.len && is_trimmed(f.ptr[f.len - 1], delimiter))
		f.len--;
	return f;
}

char *sv_field_dup_trimmed(const struct sv_field *f)
{
	/* header names: a tab around one is never meant, whatever the delimiter */
	const struct sv_field t = sv_field_trimmed(*f, 0);
	char *c = malloc(t.len + 1);
	if (c) {
		if (t.len)
			memcpy(c, t.ptr, t.len);
		c[t.len] = '\0';
	}
	return c;
}

bool sv_field_is_name(const struct sv_field *f, const char *name)
{
	const struct sv_field t = sv_field_trimmed(*f, 0);
	return t.len == strlen(name) && strncasecmp(t.ptr, name, t.len) == 0;
}

struct sv_reader *sv_reader_new(void)
{
	struct sv_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cap = READ_CHUNK;
	r->buf = calloc(1, r->cap + SCAN_SLACK);
	r->fast = true;
	r->scan = sv_scan_best();
	if (!r->buf || csv_init(&r->parser, PARSER_OPTIONS) != 0) {
		free(r->buf);
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
	free(r->buf);
	free(r->row_bytes);
	free(r->field_end);
	free(r->fields);
	free(r);
}

void sv_reader_set_cp1252(struct sv_reader *r, bool on)
{
	r->cp1252 = on;
}

void sv_reader_set_skip_lines(struct sv_reader *r, unsigned n)
{
	r->skip_lines = n;
}

void sv_reader_set_fast_path(struct sv_reader *r, bool on)
{
	r->fast = on;
}

void sv_reader_set_scan(struct sv_reader *r, enum sv_scan scan)
{
	r->scan = scan <= sv_scan_best() ? scan : sv_scan_best();
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
	if (!grow((void **)&r->row_bytes, &r->row_cap, r->row_len + len + 1, 1) ||
	    !grow((void **)&r->field_end, &r->field_end_cap, r->n_fields + 1, sizeof *r->field_end) ||
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

static void deliver(struct sv_reader *r, size_t n_fields, unsigned long line, bool plain)
{
	struct sv_row row = {r->fields, n_fields, line, r->unterminated, r->bad_quote, r->delimiter, plain};
	enum sv_status st;
	if (!r->header_seen) {
		r->header_seen = true;
		st = r->cb->header(r->ctx, &row);
	} else
		st = r->cb->record(r->ctx, &row);
	if (st != SV_OK)
		fail(r, st);
}

static void emit_row(struct sv_reader *r)
{
	size_t start = 0;
	for (size_t i = 0; i < r->n_fields; i++) {
		r->fields[i].ptr = r->row_bytes + start;
		r->fields[i].len = r->field_end[i] - start;
		start = r->field_end[i];
	}
	deliver(r, r->n_fields, r->row_line, false);
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
	if (!r->stop && !all_empty(r))
		emit_row(r);
	r->bad_quote = false;
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
	/* spaces only: "sep=<TAB>" names TAB */
	while (n > 5 && s[n - 1] == ' ')
		n--;
	while (n && s[0] == ' ') {
		s++;
		n--;
	}
	if (n == 5 && (s[0] == 's' || s[0] == 'S') && (s[1] == 'e' || s[1] == 'E') &&
	    (s[2] == 'p' || s[2] == 'P') && s[3] == '=')
		return (unsigned char)s[4];
	return 0;
}

/* Windows-1252's 0x80-0x9F; the five bytes it leaves undefined map to the
 * C1 controls of the same number, as Windows itself maps them. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

/* Writes the UTF-8 of n Windows-1252 bytes into out (room for 3n). */
static size_t cp1252_to_utf8(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned cp = in[i] < 0x80 ? in[i] : in[i] < 0xA0 ? cp1252_high[in[i] - 0x80] : in[i];
		if (cp < 0x80)
			out[o++] = (char)cp;
		else if (cp < 0x800) {
			out[o++] = (char)(0xC0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	return o;
}

/* A file that starts with a UTF-8 byte order mark says it is UTF-8: no
 * Windows-1252 text starts with "ï»¿", and converting it would turn the
 * header's first name into "ï»¿Measure".  So the mark wins over the
 * encoding a run or a profile gives. */
static bool utf8_marked(struct sv_reader *r, const unsigned char *raw, size_t n)
{
	if (!r->sniff_bom)
		return false;
	r->sniff_bom = false;
	if (n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
		r->convert = false;
	return !r->convert;
}

static bool read_more(struct sv_reader *r, FILE *f, char *buf, size_t cap, size_t *got)
{
	if (r->convert) {
		/* read a third of the room: each byte may become three */
		size_t want = cap / 3 ? cap / 3 : 1;
		unsigned char raw[65536];
		if (want > sizeof raw)
			want = sizeof raw;
		size_t n = fread(raw, 1, want, f);
		if (r->digest && n)
			sv_sha256_update(r->digest, raw, n);
		if (utf8_marked(r, raw, n)) {
			memcpy(buf, raw, n);
			*got = n;
		} else
			*got = cp1252_to_utf8(raw, n, buf);
		if (n == 0 && ferror(f)) {
			sv_diag("%s: read error: %s", r->name, strerror(errno));
			fail(r, SV_EIO);
			return false;
		}
		return true;
	}
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

/*
 * Moves the unconsumed bytes to the front and reads more after them,
 * growing the buffer when one line fills it.  Sets eof at the end.
 */
static void refill(struct sv_reader *r, FILE *f)
{
	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->consumed += r->start;
		r->start = 0;
	}
	if (r->cap - r->end < 3) {
		if (r->cap >= SV_FIELD_MAX) {
			sv_diag("%s:%lu: a line is longer than %zu MiB", r->name, r->line, SV_FIELD_MAX >> 20);
			fail(r, SV_EDATA);
			return;
		}
		char *grown = realloc(r->buf, r->cap * 2 + SCAN_SLACK);
		if (!grown) {
			fail(r, SV_ESOFTWARE);
			return;
		}
		memset(grown + r->cap, 0, r->cap + SCAN_SLACK);
		r->buf = grown;
		r->cap *= 2;
	}
	size_t got;
	if (read_more(r, f, r->buf + r->end, r->cap - r->end, &got)) {
		r->end += got;
		r->eof = got == 0;
	}
}

static void parse_error(struct sv_reader *r)
{
	sv_diag("%s:%lu: cannot parse CSV: %s", r->name, r->line, csv_strerror(csv_error(&r->parser)));
	fail(r, SV_ESOFTWARE);
}

/* Appends bytes to the last field of the row being assembled. */
static void extend_field(struct sv_reader *r, const char *s, size_t n)
{
	if (n == 0 || r->stop)
		return;
	if (r->row_len + n > SV_FIELD_MAX) {
		sv_diag("%s:%lu: a field is longer than %zu MiB", r->name, r->row_line, SV_FIELD_MAX >> 20);
		fail(r, SV_EDATA);
		return;
	}
	if (!grow((void **)&r->row_bytes, &r->row_cap, r->row_len + n + 1, 1)) {
		fail(r, SV_ESOFTWARE);
		return;
	}
	memcpy(r->row_bytes + r->row_len, s, n);
	r->row_len += n;
	r->field_end[r->n_fields - 1] = r->row_len;
}

/* libcsv stopped at text after a closing quote.  Its field so far (the
 * quoted text, the closing quote and any spaces) becomes the row's last
 * field, and the parser starts afresh, holding nothing of this row. */
static void begin_bad_quote(struct sv_reader *r)
{
	on_field(r->parser.entry_buf, r->parser.entry_pos, r);
	r->bad_quote = true;
	r->skipping = true;
	csv_fini(&r->parser, NULL, NULL, NULL);
}

/* Adds the rest of a line with a bad closing quote to the row and ends the
 * row at the line end, as libcsv would have.  Returns the bytes used. */
static size_t skip_rest_of_line(struct sv_reader *r, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] != '\n' && s[i] != '\r')
		i++;
	extend_field(r, s, i);
	if (i == n)
		return n;
	r->skipping = false;
	/* a CR leaves last_cr set, so the LF of a CRLF (fed to libcsv next)
	 * does not count as a line of its own */
	on_row((unsigned char)s[i], r);
	return i + 1;
}

/* Feeds libcsv until it has taken everything or stopped at a quote strict
 * mode refuses.  Returns the bytes used. */
static size_t parse_strict(struct sv_reader *r, const char *s, size_t n)
{
	size_t used = csv_parse(&r->parser, s, n, on_field, on_row, r);
	if (used == n || r->stop)
		return n;
	if (csv_error(&r->parser) != CSV_EPARSE) {
		parse_error(r);
		return n;
	}
	if (r->parser.pstate != LIBCSV_FIELD_BEGUN || r->parser.quoted) {
		begin_bad_quote(r);
		return used;
	}
	/* a quote inside an unquoted field: literal text (12" screen) */
	r->parser.status = CSV_SUCCESS;
	csv_set_opts(&r->parser, (unsigned char)(PARSER_OPTIONS & ~CSV_STRICT));
	size_t one = csv_parse(&r->parser, s + used, 1, on_field, on_row, r);
	csv_set_opts(&r->parser, (unsigned char)PARSER_OPTIONS);
	if (one != 1)
		parse_error(r);
	return used + 1;
}

static void feed(struct sv_reader *r, const char *s, size_t n)
{
	if (r->stop || n == 0)
		return;
	/* libcsv grows its field buffer by a fixed block; growing the block with
	 * the buffer keeps a huge field linear instead of quadratic. */
	size_t have = csv_get_buffer_size(&r->parser);
	csv_set_blk_size(&r->parser, have > 65536 ? have : 65536);
	while (n && !r->stop) {
		/* An LF ends the line of the CR before it only if it comes right
		 * after it; spaces between (which libcsv skips without a word)
		 * make it a line end of its own.  So libcsv gets at most one CR
		 * at a time, at the end of what it is given. */
		if (r->last_cr && s[0] != '\n')
			r->last_cr = false;
		size_t used;
		if (r->skipping)
			used = skip_rest_of_line(r, s, n);
		else {
			const char *cr = memchr(s, '\r', n);
			used = parse_strict(r, s, cr ? (size_t)(cr - s) + 1 : n);
		}
		s += used;
		n -= used;
	}
	if (!r->stop && csv_get_buffer_size(&r->parser) > SV_FIELD_MAX) {
		sv_diag("%s:%lu: a field is longer than %zu MiB", r->name, r->row_line,
			SV_FIELD_MAX >> 20);
		fail(r, SV_EDATA);
	}
}

/* Drops the byte order mark at the start of the file (reading until 3
 * bytes are at hand, or the end). */
static void skip_bom(struct sv_reader *r, FILE *f)
{
	while (!r->stop && r->end < 3 && !r->eof)
		refill(r, f);
	if (!r->stop && r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
		r->start = 3;
}

/*
 * Drops the first n physical lines (a profile's skip_lines: titles and
 * notes above the header), whatever they hold: quotes in a note do not
 * open a field.  A line ends at LF, CRLF or a lone CR, as the line numbers
 * count them, so the header and every record keep their physical lines.
 */
static void skip_physical_lines(struct sv_reader *r, FILE *f, unsigned n)
{
	while (n && !r->stop) {
		if (r->start == r->end) {
			if (r->eof)
				return;
			refill(r, f);
			continue;
		}
		const char *s = r->buf + r->start;
		size_t avail = r->end - r->start, i = 0;
		while (i < avail && s[i] != '\n' && s[i] != '\r')
			i++;
		if (i == avail) {
			r->start = r->end; /* a long line: drop what is read, read on */
			continue;
		}
		if (s[i] == '\r' && i + 1 == avail && !r->eof) {
			/* is it CRLF? keep the CR until the next byte is read */
			r->start += i;
			refill(r, f);
			if (r->end - r->start == 1 && !r->eof)
				continue;
			s = r->buf + r->start;
			avail = r->end - r->start;
			i = 0;
		}
		size_t next = i + 1;
		if (s[i] == '\r' && next < avail && s[next] == '\n')
			next++;
		r->start += next;
		r->line++;
		n--;
	}
}

/*
 * Reads the start of the file until its first non-blank line is complete,
 * then settles the delimiter and skips a byte order mark, the lines a
 * profile skips, and a "sep=" line.
 */
static void start_file(struct sv_reader *r, FILE *f, int delimiter)
{
	skip_bom(r, f);
	skip_physical_lines(r, f, r->skip_lines);
	struct first_line fl = {0};
	while (!r->stop) {
		if (r->start == r->end && !r->eof) {
			refill(r, f);
			continue;
		}
		const char *s = r->buf + r->start;
		if (!scan_first_line(s, r->end - r->start, r->eof, &fl)) {
			if (r->eof)
				return;
			refill(r, f);
			continue;
		}
		int sep = fl.found ? sep_line_delimiter(s + fl.start, fl.end - fl.start) : 0;
		if (delimiter)
			r->delimiter = delimiter;
		else if (sep)
			r->delimiter = sep;
		else
			r->delimiter = sv_sniff_delimiter(s + fl.start, fl.end - fl.start);
		csv_set_delim(&r->parser, (unsigned char)r->delimiter);
		if (sep) {
			/* the blank lines before it and the line itself */
			r->line += count_line_ends(s, fl.start) + 1;
			r->start += fl.next;
		}
		return;
	}
}

static bool grow_fields(struct sv_reader *r, size_t need)
{
	if (grow((void **)&r->fields, &r->fields_cap, need, sizeof *r->fields))
		return true;
	fail(r, SV_ESOFTWARE);
	return false;
}

/* Room for n more fields of the line being split. */
static inline bool fields_room(struct sv_reader *r, size_t count, size_t n)
{
	return count + n <= r->fields_cap || grow_fields(r, count + n);
}

/* Sets field *count to [a, b), trimmed as libcsv trims an unquoted field
 * when trim is set; the caller has made room. */
static inline void set_field(struct sv_reader *r, size_t *count, const char *a, const char *b, bool trim,
			     bool *empty)
{
	/* a byte above ' ' is never trimmed: most fields end there */
	struct sv_field f = {a, (size_t)(b - a)};
	if (trim && f.len && ((unsigned char)*a <= ' ' || (unsigned char)b[-1] <= ' '))
		f = sv_field_trimmed(f, r->delimiter);
	r->fields[*count] = f;
	*empty = *empty && f.len == 0;
	(*count)++;
}

/* The bytes of a 64-byte block that matter to the fast path, a bit each:
 * delimiters, line ends, and the bytes that may make a line not plain (a
 * quote; a CR, which is plain only right before a line end). */
struct block_bits {
	uint64_t delimiters, line_ends, special;
};

static inline void block_bits_scalar(const char *s, char delimiter, struct block_bits *b)
{
	uint64_t d = 0, l = 0, q = 0;
	for (unsigned i = 0; i < 64; i++) {
		uint64_t bit = (uint64_t)1 << i;
		d |= s[i] == delimiter ? bit : 0;
		l |= s[i] == '\n' ? bit : 0;
		q |= s[i] == '"' || s[i] == '\r' ? bit : 0;
	}
	b->delimiters = d;
	b->line_ends = l;
	b->special = q;
}

#if defined(__SSE2__)
static inline uint64_t bits16(__m128i v, __m128i c, unsigned k)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) << (16 * k);
}

static inline void block_bits_sse2(const char *s, char delimiter, struct block_bits *b)
{
	const __m128i vd = _mm_set1_epi8(delimiter), vl = _mm_set1_epi8('\n'), vq = _mm_set1_epi8('"'),
		      vc = _mm_set1_epi8('\r');
	const __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)s),
		      v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + 16)),
		      v2 = _mm_loadu_si128((const __m128i *)(const void *)(s + 32)),
		      v3 = _mm_loadu_si128((const __m128i *)(const void *)(s + 48));
	b->delimiters = bits16(v0, vd, 0) | bits16(v1, vd, 1) | bits16(v2, vd, 2) | bits16(v3, vd, 3);
	b->line_ends = bits16(v0, vl, 0) | bits16(v1, vl, 1) | bits16(v2, vl, 2) | bits16(v3, vl, 3);
	b->special = bits16(v0, vq, 0) | bits16(v1, vq, 1) | bits16(v2, vq, 2) | bits16(v3, vq, 3) |
		     bits16(v0, vc, 0) | bits16(v1, vc, 1) | bits16(v2, vc, 2) | bits16(v3, vc, 3);
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define AVX2_SCAN 1
#if defined(__GLIBC__) && defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define GLIBC_X86_FEATURES 1
#endif
#endif
__attribute__((target("avx2"))) static inline uint64_t bits32(__m256i v, __m256i c)
{
	return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, c));
}

__attribute__((target("avx2"))) static inline void block_bits_avx2(const char *s, char delimiter,
								    struct block_bits *b)
{
	const __m256i vd = _mm256_set1_epi8(delimiter), vl = _mm256_set1_epi8('\n'), vq = _mm256_set1_epi8('"'),
		      vc = _mm256_set1_epi8('\r');
	const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)s),
		      hi = _mm256_loadu_si256((const __m256i *)(const void *)(s + 32));
	b->delimiters = bits32(lo, vd) | bits32(hi, vd) << 32;
	b->line_ends = bits32(lo, vl) | bits32(hi, vl) << 32;
	b->special = bits32(lo, vq) | bits32(hi, vq) << 32 | bits32(lo, vc) | bits32(hi, vc) << 32;
}
#endif

enum sv_scan sv_scan_best(void)
{
#if defined(AVX2_SCAN) && defined(GLIBC_X86_FEATURES)
	/* what glibc found at start: __builtin_cpu_supports runs CPUID again
	 * (from a constructor, in every run), and on a virtual machine each
	 * CPUID traps to the hypervisor: 6.5 us apiece here, and libgcc's
	 * detection took 3.5% of a 100-record run */
	if (CPU_FEATURE_ACTIVE(AVX2))
		return SV_SCAN_AVX2;
#elif defined(AVX2_SCAN)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2"))
		return SV_SCAN_AVX2;
#endif
#if defined(__SSE2__)
	return SV_SCAN_SSE2;
#else
	return SV_SCAN_SCALAR;
#endif
}

/* The bits of the 64 bytes at s, of which only the first n count, the
 * way given. */
__attribute__((always_inline)) static inline void block_bits_way(enum sv_scan way, char delimiter, const char *s,
								 size_t n, struct block_bits *b)
{
	switch (way) {
#if defined(AVX2_SCAN)
	case SV_SCAN_AVX2: block_bits_avx2(s, delimiter, b); break;
#endif
#if defined(__SSE2__)
	case SV_SCAN_SSE2: block_bits_sse2(s, delimiter, b); break;
#endif
	default: block_bits_scalar(s, delimiter, b); break;
	}
	if (n < 64) {
		uint64_t inside = ((uint64_t)1 << n) - 1;
		b->delimiters &= inside;
		b->line_ends &= inside;
		b->special &= inside;
	}
}

static void block_bits(const struct sv_reader *r, const char *s, size_t n, struct block_bits *b)
{
	block_bits_way(r->scan, (char)r->delimiter, s, n, b);
}

/* Splits a line at its delimiters, 64 bytes at a time.  False, with
 * nothing delivered, when a quote or a CR is there: the line is not plain.
 * The line lies in the read buffer, whose slack the last block may read. */
static bool split_plain(struct sv_reader *r, const char *line, size_t content, size_t *count, bool *empty)
{
	const char *field = line;
	for (size_t base = 0; base < content; base += 64) {
		struct block_bits b;
		block_bits(r, line + base, content - base, &b);
		if (b.special)
			return false;
		if (!fields_room(r, *count, 65))
			return true;
		for (uint64_t ends = b.delimiters; ends; ends &= ends - 1) {
			const char *d = line + base + (unsigned)__builtin_ctzll(ends);
			set_field(r, count, field, d, true, empty);
			field = d + 1;
		}
	}
	if (fields_room(r, *count, 1))
		set_field(r, count, field, line + content, true, empty);
	return true;
}

/* Ends the line at offset at of the buffer (its line end, or the CR before
 * it): the last field, then the row unless every field is empty. */
static inline void end_plain_line(struct sv_reader *r, size_t field, size_t at, size_t *count, bool *empty)
{
	set_field(r, count, r->buf + field, r->buf + at, true, empty);
	if (!*empty)
		deliver(r, *count, r->line, true);
	r->line++;
	*count = 0;
	*empty = true;
}

/* Whether each special byte among bits is a CR right before a line end,
 * which the line's last field leaves out (*cr). */
static bool crs_end_lines(const struct sv_reader *r, size_t base, uint64_t bits, bool *cr)
{
	for (; bits; bits &= bits - 1) {
		size_t at = base + (unsigned)__builtin_ctzll(bits);
		if (r->buf[at] != '\r' || at + 1 >= r->end || r->buf[at + 1] != '\n')
			return false;
		*cr = true;
	}
	return true;
}

/* Delivers the plain lines at the front of the buffer, classifying 64
 * bytes at a time, so that a run of plain lines costs one pass and no
 * search per line.  Stops before a line that is not plain or not whole in
 * the buffer (parse_line reads it), at the limit, or when the callbacks
 * stop the read. */
__attribute__((always_inline)) static inline void scan_lines_way(struct sv_reader *r, enum sv_scan way)
{
	const size_t end = r->end;
	size_t field = r->start, count = 0;
	bool empty = true, cr = false;
	for (size_t base = r->start; base < end; base += 64) {
		struct block_bits b;
		if (!fields_room(r, count, 65))
			return;
		block_bits_way(way, (char)r->delimiter, r->buf + base, end - base, &b);
		uint64_t delimiters = b.delimiters, line_ends = b.line_ends;
		for (;;) {
			/* the bits before the next line end, or all */
			uint64_t before = line_ends ? (line_ends & (~line_ends + 1)) - 1 : ~(uint64_t)0;
			if (b.special & before) {
				if (!crs_end_lines(r, base, b.special & before, &cr))
					return;
				b.special &= ~before;
			}
			for (uint64_t ends = delimiters & before; ends; ends &= ends - 1) {
				size_t at = base + (unsigned)__builtin_ctzll(ends);
				set_field(r, &count, r->buf + field, r->buf + at, true, &empty);
				field = at + 1;
			}
			if (!line_ends)
				break;
			size_t at = base + (unsigned)__builtin_ctzll(line_ends);
			end_plain_line(r, field, cr ? at - 1 : at, &count, &empty);
			cr = false;
			field = r->start = at + 1;
			if (r->stop || (r->limit && r->consumed + r->start >= r->limit))
				return;
			delimiters &= ~before;
			b.special &= ~(before | (before + 1));
			line_ends &= line_ends - 1;
		}
	}
}

/* One copy of the scan per way, each with its block classifier inline */
static void scan_lines_portable(struct sv_reader *r)
{
	scan_lines_way(r, SV_SCAN_SCALAR);
}

#if defined(__SSE2__)
static void scan_lines_sse2(struct sv_reader *r)
{
	scan_lines_way(r, SV_SCAN_SSE2);
}
#endif

#if defined(AVX2_SCAN)
__attribute__((target("avx2"))) static void scan_lines_avx2(struct sv_reader *r)
{
	scan_lines_way(r, SV_SCAN_AVX2);
}
#endif

static void scan_lines(struct sv_reader *r)
{
	switch (r->scan) {
#if defined(AVX2_SCAN)
	case SV_SCAN_AVX2: scan_lines_avx2(r); break;
#endif
#if defined(__SSE2__)
	case SV_SCAN_SSE2: scan_lines_sse2(r); break;
#endif
	default: scan_lines_portable(r); break;
	}
}

/* The quoted field opening at s, as libcsv reads it: the text up to the
 * closing quote, each doubled quote made one.  Text without a doubled quote
 * stays where it is; text with one is copied into the row buffer at *used,
 * which has room for the whole line.  Returns the byte after the closing
 * quote, or NULL when the line does not close the field. */
static const char *quoted_field(struct sv_reader *r, const char *s, const char *end, const char **text,
				size_t *len, size_t *used)
{
	const char *p = s + 1, *close = memchr(p, '"', (size_t)(end - p));
	if (!close)
		return NULL;
	if (close + 1 == end || close[1] != '"') {
		*text = p;
		*len = (size_t)(close - p);
		return close + 1;
	}
	char *out = r->row_bytes + *used, *o = out;
	for (;;) {
		close = memchr(p, '"', (size_t)(end - p));
		if (!close)
			return NULL;
		memcpy(o, p, (size_t)(close - p));
		o += close - p;
		if (close + 1 == end || close[1] != '"')
			break;
		*o++ = '"';
		p = close + 2;
	}
	*text = out;
	*len = (size_t)(o - out);
	*used += *len;
	return close + 1;
}

/* Splits a line whose quotes each enclose a whole field on it ("a, b",c;
 * "say ""hi""") as libcsv reads it: the quoted text untrimmed.  False,
 * with nothing delivered, for anything else libcsv must read: a quote
 * inside an unquoted field or after spaces before a field's opening one,
 * text after a closing quote, a quote the line does not close, a CR. */
static bool split_quoted(struct sv_reader *r, const char *line, size_t content, size_t *count, bool *empty)
{
	const char delimiter = (char)r->delimiter;
	const char *s = line, *end = line + content;
	size_t used = 0;
	if (memchr(line, '\r', content))
		return false;
	if (!grow((void **)&r->row_bytes, &r->row_cap, content + 1, 1)) {
		fail(r, SV_ESOFTWARE);
		return true;
	}
	for (;;) {
		const char *next;
		if (!fields_room(r, *count, 1))
			return true;
		if (s < end && *s == '"') {
			const char *text;
			size_t len;
			next = quoted_field(r, s, end, &text, &len, &used);
			if (!next || (next < end && *next != delimiter))
				return false;
			set_field(r, count, text, text + len, false, empty);
		} else {
			const char *d = memchr(s, delimiter, (size_t)(end - s));
			next = d ? d : end;
			if (memchr(s, '"', (size_t)(next - s)))
				return false;
			set_field(r, count, s, next, true, empty);
		}
		if (next == end)
			return true;
		s = next + 1;
	}
}

/* Hands the rest of a record to libcsv, a line at a time, until libcsv has
 * ended it. */
static void parse_quoted(struct sv_reader *r, FILE *f)
{
	size_t avail = r->end - r->start;
	if (avail == 0) {
		refill(r, f);
		return;
	}
	const char *p = memchr(r->buf + r->start, '\n', avail);
	size_t n = p ? (size_t)(p - (r->buf + r->start)) + 1 : avail;
	feed(r, r->buf + r->start, n);
	r->start += n;
	if (r->fast && p && r->parser.pstate == 0 /* ROW_NOT_BEGUN */)
		r->in_csv = false;
	else if (p && r->limit && !r->soft && r->consumed + r->start >= r->limit) {
		/* a quoted record runs past the end of this chunk */
		r->dirty = true;
		r->stop = true;
	}
}

static void parse_line(struct sv_reader *r, FILE *f)
{
	const char *line = r->buf + r->start;
	size_t avail = r->end - r->start;
	const char *nl = memchr(line, '\n', avail);
	if (!nl && !r->eof) {
		/* a quote before the line end: libcsv takes partial lines */
		if (memchr(line, '"', avail)) {
			r->in_csv = true;
			r->last_cr = false;
		} else
			refill(r, f);
		return;
	}
	size_t len = nl ? (size_t)(nl - line) : avail;
	size_t content = len && line[len - 1] == '\r' ? len - 1 : len;
	size_t count = 0;
	bool empty = true;
	bool plain = split_plain(r, line, content, &count, &empty);
	if (!plain) {
		count = 0;
		empty = true;
		if (!split_quoted(r, line, content, &count, &empty)) {
			r->in_csv = true;
			r->last_cr = false;
			return;
		}
	}
	if (r->stop)
		return;
	if (!empty)
		deliver(r, count, r->line, plain);
	r->start += nl ? len + 1 : len;
	if (nl)
		r->line++;
}

static void begin(struct sv_reader *r, const char *name, const struct sv_reader_callbacks *cb, void *ctx)
{
	r->name = name;
	r->cb = cb;
	r->ctx = ctx;
	r->line = 1;
	r->row_line = 1;
	r->in_row = r->last_cr = r->header_seen = r->unterminated = r->stop = r->dirty = r->soft = false;
	r->bad_quote = r->skipping = false;
	r->status = SV_OK;
	r->row_len = r->n_fields = 0;
	r->start = r->end = 0;
	r->consumed = 0;
	r->eof = false;
	r->in_csv = !r->fast;
	r->convert = r->cp1252;
	r->sniff_bom = false;
}

/* Parses to the end of the file, or to the first line that starts at or
 * past the limit. */
static void parse_body(struct sv_reader *r, FILE *f)
{
	while (!r->stop && !(r->eof && r->start == r->end)) {
		if (r->in_csv)
			parse_quoted(r, f);
		else if (r->limit && r->consumed + r->start >= r->limit)
			return;
		else if (r->start == r->end)
			refill(r, f);
		else {
			scan_lines(r);
			if (!r->stop && !(r->limit && r->consumed + r->start >= r->limit) && r->start < r->end)
				parse_line(r, f);
		}
	}
}

static void finish(struct sv_reader *r)
{
	bool at_limit = r->limit && !r->stop && r->consumed + r->start >= r->limit && !r->in_csv;
	if (!r->stop && !at_limit) {
		if (r->skipping) {
			/* a bad closing quote on the last line, which has no line end */
			r->skipping = false;
			on_row(-1, r);
		}
		r->unterminated = r->parser.pstate == LIBCSV_FIELD_BEGUN && r->parser.quoted;
		csv_fini(&r->parser, on_field, on_row, r);
	} else {
		/* discard the parser's partial row so the next read starts clean */
		bool stopped = r->stop;
		r->stop = true;
		csv_fini(&r->parser, NULL, NULL, NULL);
		r->stop = stopped;
	}
}

void sv_reader_set_limit(struct sv_reader *r, uint64_t limit)
{
	r->limit = limit;
}

void sv_reader_end(const struct sv_reader *r, struct sv_chunk_end *end)
{
	end->lines = r->line - 1;
	end->clean = !r->dirty;
}

uint64_t sv_reader_open_records(struct sv_reader *r, FILE *f, const char *name, int delimiter,
				const struct sv_reader_callbacks *cb, void *ctx)
{
	begin(r, name, cb, ctx);
	r->header_seen = true;
	r->delimiter = delimiter;
	csv_set_delim(&r->parser, (unsigned char)delimiter);
	/* the bytes up to the first line end belong to the chunk before */
	for (;;) {
		const char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl) {
			r->start = (size_t)(nl - r->buf) + 1;
			break;
		}
		r->start = r->end;
		if (r->eof || r->stop)
			break;
		refill(r, f);
	}
	return r->consumed + r->start;
}

enum sv_status sv_reader_parse_to(struct sv_reader *r, FILE *f, uint64_t limit, bool soft)
{
	r->limit = limit;
	r->soft = soft;
	parse_body(r, f);
	return r->status;
}

uint64_t sv_reader_position(const struct sv_reader *r)
{
	return r->consumed + r->start;
}

enum sv_status sv_reader_close(struct sv_reader *r)
{
	finish(r);
	r->limit = 0;
	r->soft = false;
	return r->status;
}

enum sv_status sv_reader_read(struct sv_reader *r, FILE *f, const char *name, int delimiter,
			      const struct sv_reader_callbacks *cb, void *ctx)
{
	begin(r, name, cb, ctx);
	r->sniff_bom = true;
	start_file(r, f, delimiter);
	parse_body(r, f);
	/* stopped at a chunk's end with only blank lines so far: the chunk
	 * cannot be read on its own, like one that ends inside a record */
	if (!r->header_seen && r->limit && !r->stop && !(r->eof && r->start == r->end))
		r->dirty = true;
	finish(r);
	/* stopped at a chunk's end inside the header: not a missing header */
	if (r->status == SV_OK && !r->header_seen && !r->dirty) {
		if (r->skip_lines)
			sv_diag("%s: no header row after the %u line%s skipped (skip_lines)", name, r->skip_lines,
				r->skip_lines == 1 ? "" : "s");
		else
			sv_diag("%s: no header row (the file is empty or blank)", name);
		r->status = SV_EDATA;
	}
	return r->status;
}
