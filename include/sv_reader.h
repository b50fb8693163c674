/*
 * sv_reader.h - a stream of CSV rows from one file at a time, via libcsv.
 *
 * The reader does what SPEC.md says about the bytes: a UTF-8 byte order mark
 * is dropped, so are the lines a profile skips (skip_lines), Excel's
 * "sep=X" first line sets the delimiter, otherwise the delimiter is sniffed
 * from the header line, blank lines and rows of empty fields are skipped,
 * and every row carries the physical line where it starts (libcsv counts
 * none).  A record with text after a closing quote is
 * cut at the end of that physical line and flagged (SPEC's strict closing
 * quote); reading goes on at the next line.  What the fields mean is the
 * caller's job.
 *
 * Memory: the reader owns one read buffer and one row buffer, reused for
 * every row and every file; they grow with the longest row, never with the
 * number of rows.
 */
#ifndef SV_READER_H
#define SV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sv_status.h"

/* A field of the current row; valid only during the row callback. */
struct sv_field {
	const char *ptr;
	size_t len;
};

/* The field without the bytes SPEC.md trims from either end: spaces, and
 * tabs unless TAB is the delimiter (so a TAB-delimited file's empty
 * leading or trailing cells are not eaten).  delimiter 0 trims tabs too.
 * The one statement of the rule: the reader, the engine (quoted fields)
 * and header names all trim through it. */
struct sv_field sv_field_trimmed(struct sv_field f, int delimiter);

/* A copy of the field without surrounding spaces and tabs, as header names
 * are compared; NUL-terminated, freed by the caller; NULL when out of
 * memory. */
char *sv_field_dup_trimmed(const struct sv_field *f);

/* Whether a header field names the column name: trimmed as above (tabs
 * always), compared without regard to ASCII case. */
bool sv_field_is_name(const struct sv_field *f, const char *name);

/* Readable bytes after each field of a plain row: a short key there is
 * loaded as two whole words, the bytes past it masked off. */
#define SV_READER_SLACK 16

struct sv_row {
	const struct sv_field *fields;
	size_t n_fields;
	unsigned long line;   /* physical line where the row starts, 1-based */
	bool unterminated;    /* the file ended inside a quoted field */
	/* Text followed a closing quote (SPEC: strict closing quote).  The
	 * fields are those read so far; the last holds the quoted text, the
	 * closing quote and the rest of that physical line, as literal text.
	 * The row ends there and reading resumes at the next line. */
	bool bad_closing_quote;
	int delimiter; /* the file's: quoted fields are trimmed by its rule */
	/* Split from a line with no quote and no CR: no field holds a quote,
	 * a line end or the delimiter, nor a space or tab at either end, so
	 * none needs quoting to be written back with this delimiter.  Its
	 * fields lie in the reader's buffer, each followed by at least
	 * SV_READER_SLACK readable bytes.  False says nothing. */
	bool plain;
};

/* Return SV_OK to go on; anything else stops reading this file and is
 * returned by sv_reader_read. */
typedef enum sv_status (*sv_row_fn)(void *ctx, const struct sv_row *row);

struct sv_reader_callbacks {
	sv_row_fn header; /* the first non-blank row */
	sv_row_fn record; /* every later non-blank row */
};

/* A field larger than this is refused (SPEC issue 7 bounds memory). */
#define SV_FIELD_MAX ((size_t)256 << 20)

struct sv_reader;

struct sv_reader *sv_reader_new(void);
void sv_reader_free(struct sv_reader *r);

/*
 * Reads one file to its end.  delimiter is the byte given with -d, or 0 to
 * detect.  Returns SV_OK, SV_EDATA when the file has no header row (reported
 * here), SV_EIO on a read error (reported here), SV_ESOFTWARE when out of
 * memory, or what a callback returned.
 */
enum sv_status sv_reader_read(struct sv_reader *r, FILE *f, const char *name, int delimiter,
			      const struct sv_reader_callbacks *cb, void *ctx);

/* Every byte read from now on is also fed to h (NULL: none). */
struct sv_sha256;
void sv_reader_set_digest(struct sv_reader *r, struct sv_sha256 *h);

/* On: the input is Windows-1252 and is turned into UTF-8 as it is read
 * (the digest still covers the bytes as read).  A file that starts with a
 * UTF-8 byte order mark is read as UTF-8 all the same. */
void sv_reader_set_cp1252(struct sv_reader *r, bool on);

/* The first n physical lines of each file read from now on are dropped
 * before the header is looked for (a profile's skip_lines: titles and
 * notes above the header); line numbers still count them.  0: none. */
void sv_reader_set_skip_lines(struct sv_reader *r, unsigned n);

/* Off: every byte goes through libcsv, the reference the fast path is
 * tested against.  On by default. */
void sv_reader_set_fast_path(struct sv_reader *r, bool on);

/* How the fast path classifies bytes: each way gives the same rows, so
 * that the tests can run the portable one on a machine with SSE2. */
enum sv_scan { SV_SCAN_SCALAR, SV_SCAN_SSE2, SV_SCAN_AVX2 };

/* The best way this build and machine can. */
enum sv_scan sv_scan_best(void);

/* Sets the way; one the machine lacks means the best it has.  The best by
 * default. */
void sv_reader_set_scan(struct sv_reader *r, enum sv_scan scan);

/*
 * Chunks, for reading one file on several threads.  A chunk is the lines
 * that start in a byte range.  With a limit set, a read stops at the first
 * line that starts at or past `limit` bytes from where it began (0: no
 * limit); a quoted record still open there makes the stop "dirty".
 */
void sv_reader_set_limit(struct sv_reader *r, uint64_t limit);

/*
 * A chunk after the first, in three steps.  open: from the stream's
 * position, skips to just past the first line end (that line belongs to
 * the chunk before; the caller seeks one byte before the chunk's start so
 * that a chunk starting exactly at a line skips only that line end) and
 * returns the offset, from where reading began, of the first line.  Rows
 * then go to cb->record with lines counted from 1.  parse_to: reads up to
 * the limit (an offset from where reading began); soft: a record open at
 * the limit is finished and the read stops after it, never dirty; may be
 * called again with a further limit.  close: ends the read.
 */
uint64_t sv_reader_open_records(struct sv_reader *r, FILE *f, const char *name, int delimiter,
				const struct sv_reader_callbacks *cb, void *ctx);
enum sv_status sv_reader_parse_to(struct sv_reader *r, FILE *f, uint64_t limit, bool soft);
uint64_t sv_reader_position(const struct sv_reader *r);
enum sv_status sv_reader_close(struct sv_reader *r);

struct sv_chunk_end {
	unsigned long lines; /* line ends read: the next chunk's first line is this many further */
	bool clean;          /* false: a quoted record crosses the limit */
};

/* How the last read ended. */
void sv_reader_end(const struct sv_reader *r, struct sv_chunk_end *end);

/* The delimiter of the file last read (after sniffing). */
int sv_reader_delimiter(const struct sv_reader *r);

/* The delimiter SPEC.md's sniffing rule picks for a header line (s, n):
 * the most frequent of ',' ';' TAB outside quotes; ties go in that order. */
int sv_sniff_delimiter(const char *s, size_t n);

#endif
