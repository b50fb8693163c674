/*
 * rejects.c - every invalid record, as it was, with where and why.
 *
 * The columns of the headers records were rejected under are united by
 * name, in order of first appearance, and each row is written under that
 * header as CSV, plus source_file, source_line and reason.  So rows from
 * exports with the same columns in a different order still line up, and
 * the file revalues as it is once fixed.
 *
 * A million rejected rows (every tenth record of an export) are a common
 * case, so the rows are written as they come, in large blocks, straight
 * into the temporary file that is renamed into place: written once, while
 * the rest of the run is read, the disk writing them as they go, so that
 * the sync before the rename has little left.  They are laid out under
 * the header known so far, which heads the file.  A later header with new
 * names, or a row with more fields past its header than any before,
 * widens it: the rows from there on are written under the wider layout,
 * and at the end the file is written again under the final header, the
 * earlier rows moved under it (sv_relayout.h).  Memory holds a block and
 * the longest row, whatever the number of records.
 *
 * A target that is not replaced (a device, a FIFO), or whose temporary file
 * cannot be made, gets the rows from a temporary file of our own at the
 * end, so that a failed run writes nothing to it.
 */
#include "sv_commands.h"
#include "sv_diag.h"
#include "sv_format.h"
#include "sv_output.h"
#include "sv_relayout.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

/* Bytes written at once. */
#define BLOCK ((size_t)1 << 20)
/* Bytes written between syncs behind the writer. */
#define SYNC_EVERY ((uint64_t)4 << 20)

struct header {
	char **names; /* trimmed, trailing empty names left out */
	size_t n;
	char *file;      /* the file it heads, as a CSV field */
	size_t file_len;
	size_t *column; /* its columns' positions in the united header, once it has a row */
	bool in_order;  /* column[c] == c: its rows' cells go out in their order */
};

/* The rows written from byte `at` of the body on, up to the next one's. */
struct segment {
	uint64_t at;
	struct sv_layout layout;
};

struct sv_rejects {
	char *path;
	struct sv_output out; /* the target's temporary file, when the rows go there */
	FILE *body;           /* out.stream, or a temporary file of ours; NULL before the first row */
	char *buf;            /* rows made and not yet written */
	size_t len, cap;
	uint64_t flushed;     /* bytes of the body written */
	uint64_t synced;      /* flushed when last synced behind */
	uint64_t head_len;    /* the header line the body starts with */

	struct header *headers;
	size_t n_headers, headers_cap;
	const char **names; /* the united header: the headers' own names */
	size_t n_names, names_cap;
	size_t *slots;      /* names by hash: an index into names, or SIZE_MAX */
	size_t n_slots;
	size_t extras;      /* most fields past its header in one row */
	struct segment *segments;
	size_t n_segments, segments_cap;
	size_t *scatter;    /* a row whose cells are reordered: each column's field + 1, or 0 */
	size_t scatter_cap;

	uint64_t rows;
	char *reason;       /* the last row's reason, as given and as CSV */
	size_t reason_len, reason_cap;
	char *reason_csv;
	size_t reason_csv_len, reason_csv_cap;
	bool failed;
	int err;            /* why, when a call said */
};

struct sv_rejects *sv_rejects_new(const char *path)
{
	struct sv_rejects *r = calloc(1, sizeof *r);
	if (r && !(r->path = strdup(path))) {
		free(r);
		r = NULL;
	}
	if (!r)
		sv_diag("out of memory");
	return r;
}

static void fail(struct sv_rejects *r, int err)
{
	if (!r->failed)
		r->err = err;
	r->failed = true;
}

/* p with room for at least need elements of size bytes, doubled as it
 * grows, the new ones zeroed; NULL (p kept) when out of memory. */
static void *grown(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c = c > SIZE_MAX / 2 ? need : c * 2;
	if (c > SIZE_MAX / size)
		return NULL;
	char *g = realloc(p, c * size);
	if (!g)
		return NULL;
	memset(g + *cap * size, 0, (c - *cap) * size);
	*cap = c;
	return g;
}

static bool grow(char **buf, size_t *cap, size_t need)
{
	char *g = grown(*buf, cap, need, 1);
	if (g)
		*buf = g;
	return g != NULL;
}

/* The room sv_csv_field may take for n bytes: every byte a quote doubled,
 * and the two around them. */
static size_t csv_room(size_t n)
{
	return 2 * n + 2;
}

void sv_rejects_header(void *ctx, const char *file, const struct sv_row *row)
{
	struct sv_rejects *r = ctx;
	struct header *headers = grown(r->headers, &r->headers_cap, r->n_headers + 1, sizeof *headers);
	if (!headers) {
		fail(r, ENOMEM);
		return;
	}
	r->headers = headers;
	struct header *h = &r->headers[r->n_headers++];
	memset(h, 0, sizeof *h);
	size_t n = row->n_fields;
	while (n && row->fields[n - 1].len == 0)
		n--;
	h->names = calloc(n ? n : 1, sizeof *h->names);
	h->file = malloc(csv_room(strlen(file)));
	if (!h->names || !h->file) {
		fail(r, ENOMEM);
		return;
	}
	h->file_len = sv_csv_field(h->file, file, strlen(file), ',');
	for (size_t i = 0; i < n; i++) {
		h->names[i] = sv_field_dup_trimmed(&row->fields[i]);
		if (!h->names[i])
			fail(r, ENOMEM);
	}
	h->n = n;
}

/* ---- the united header ------------------------------------------------- */

static uint32_t hash_nocase(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 16777619u;
	}
	return h;
}

/* The slot of name, or of the empty one where it would go. */
static size_t slot_of(const struct sv_rejects *r, const char *name)
{
	size_t at = hash_nocase(name) & (r->n_slots - 1);
	while (r->slots[at] != SIZE_MAX && strcasecmp(r->names[r->slots[at]], name) != 0)
		at = (at + 1) & (r->n_slots - 1);
	return at;
}

/* Room for one more name, the table kept at most half full: a header of a
 * million columns takes a million steps, not a million squared. */
static bool names_room(struct sv_rejects *r)
{
	const char **names = grown(r->names, &r->names_cap, r->n_names + 1, sizeof *names);
	if (!names)
		return false;
	r->names = names;
	if (2 * (r->n_names + 1) <= r->n_slots)
		return true;
	size_t n = r->n_slots ? 2 * r->n_slots : 64;
	size_t *slots = malloc(n * sizeof *slots);
	if (!slots)
		return false;
	free(r->slots);
	r->slots = slots;
	r->n_slots = n;
	for (size_t i = 0; i < n; i++)
		slots[i] = SIZE_MAX;
	for (size_t i = 0; i < r->n_names; i++)
		slots[slot_of(r, r->names[i])] = i;
	return true;
}

/* Adds a header's names to the united ones when its first row comes:
 * headers without rows add none. */
static bool unite(struct sv_rejects *r, struct header *h)
{
	h->column = calloc(h->n ? h->n : 1, sizeof *h->column);
	if (!h->column)
		return false;
	h->in_order = true;
	for (size_t c = 0; c < h->n; c++) {
		if (!names_room(r))
			return false;
		size_t at = slot_of(r, h->names[c]);
		if (r->slots[at] == SIZE_MAX) {
			r->slots[at] = r->n_names;
			r->names[r->n_names++] = h->names[c];
		}
		h->column[c] = r->slots[at];
		h->in_order = h->in_order && h->column[c] == c;
	}
	return true;
}

/* ---- writing ----------------------------------------------------------- */

/* Writes the rows made to `to`. */
static bool put_block(struct sv_rejects *r, FILE *to)
{
	if (r->len && fwrite(r->buf, 1, r->len, to) != r->len) {
		fail(r, errno);
		return false;
	}
	r->len = 0;
	return true;
}

static bool flush(struct sv_rejects *r)
{
	size_t n = r->len;
	if (!put_block(r, r->body))
		return false;
	r->flushed += n;
	if (r->body == r->out.stream && r->flushed - r->synced >= SYNC_EVERY) {
		sv_output_sync_behind(&r->out);
		r->synced = r->flushed;
	}
	return true;
}

/* Room for n more bytes in the block, written to `to` first when full. */
static bool room(struct sv_rejects *r, FILE *to, size_t n)
{
	if (r->len + n <= r->cap)
		return true;
	if (r->len && !(to == r->body ? flush(r) : put_block(r, to)))
		return false;
	if (grow(&r->buf, &r->cap, n > BLOCK ? n : BLOCK))
		return true;
	fail(r, ENOMEM);
	return false;
}

static bool put_header_line(struct sv_rejects *r, struct sv_layout l, FILE *to)
{
	for (size_t c = 0; c < l.names + l.extras; c++) {
		char extra[32];
		const char *name = c < l.names ? r->names[c] : extra;
		if (c >= l.names)
			snprintf(extra, sizeof extra, "extra_%zu", c - l.names + 1);
		size_t n = strlen(name);
		if (!room(r, to, csv_room(n) + 1))
			return false;
		r->len += sv_csv_field(r->buf + r->len, name, n, ',');
		r->buf[r->len++] = ',';
	}
	/* an input that has such columns keeps them; ours get a prefix */
	bool clash = false;
	for (size_t c = 0; c < l.names; c++)
		clash = clash || strcasecmp(r->names[c], "source_file") == 0 ||
			strcasecmp(r->names[c], "source_line") == 0 || strcasecmp(r->names[c], "reason") == 0;
	const char *tail = clash ? "rejected_source_file,rejected_source_line,rejected_reason\n"
				 : "source_file,source_line,reason\n";
	size_t n = strlen(tail);
	if (!room(r, to, n))
		return false;
	memcpy(r->buf + r->len, tail, n);
	r->len += n;
	return true;
}

/* v in decimal, two digits a step (a line number for each of a million
 * rows, where a digit a step, a division each, was the row's dearest
 * part), written from the last digit so that no loop counts them first. */
static char *put_decimal(char *d, uint64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	char digits[20]; /* UINT64_MAX has 20 */
	char *end = digits + sizeof digits, *p = end;
	while (v >= 100) {
		size_t k = (size_t)(v % 100) * 2;
		v /= 100;
		*--p = pairs[k + 1];
		*--p = pairs[k];
	}
	if (v >= 10) {
		*--p = pairs[v * 2 + 1];
		*--p = pairs[v * 2];
	} else
		*--p = (char)('0' + v);
	size_t len = (size_t)(end - p);
	memcpy(d, p, len);
	return d + len;
}

/* The reason as CSV: rows rejected for one mistake repeated down an
 * export (every tenth quantity "x") make it once. */
static bool set_reason(struct sv_rejects *r, const char *reason, size_t n)
{
	if (r->reason && r->reason_len == n && memcmp(reason, r->reason, n) == 0)
		return true;
	if (!grow(&r->reason, &r->reason_cap, n + 1) || !grow(&r->reason_csv, &r->reason_csv_cap, csv_room(n)))
		return false;
	memcpy(r->reason, reason, n);
	r->reason[n] = '\0';
	r->reason_len = n;
	r->reason_csv_len = sv_csv_field(r->reason_csv, reason, n, ',');
	return true;
}

/* A field as a cell and its comma; raw: it needs no quoting. */
static char *put_cell(char *d, const struct sv_field *f, bool raw)
{
	if (raw) {
		memcpy(d, f->ptr, f->len);
		d += f->len;
	} else
		d += sv_csv_field(d, f->ptr, f->len, ',');
	*d++ = ',';
	return d;
}

/* The cells of a row whose header's columns are the united ones' first,
 * in order: its fields, empty cells up to its extras, its extras, empty
 * cells to the width.  span: the fields are one span of text with a comma
 * between each two, as a plain line's are where none was trimmed, and no
 * more than the header's: written in one piece. */
static char *cells_in_order(char *d, const struct header *h, const struct sv_row *row, struct sv_layout l,
			    bool raw, bool span)
{
	size_t at = 0;
	if (span) {
		const struct sv_field *last = &row->fields[row->n_fields - 1];
		size_t n = (size_t)(last->ptr + last->len - row->fields[0].ptr);
		memcpy(d, row->fields[0].ptr, n);
		d[n] = ',';
		d += n + 1;
		at = row->n_fields;
	}
	for (size_t i = at; i < row->n_fields; i++, at++) {
		if (i == h->n) {
			memset(d, ',', l.names - at);
			d += l.names - at;
			at = l.names;
		}
		d = put_cell(d, &row->fields[i], raw);
	}
	size_t empty = l.names + l.extras - at;
	if (empty) {
		memset(d, ',', empty);
		d += empty;
	}
	return d;
}

/* The cells of any other row: each field to its column, then every
 * column in order.  (Of two fields under one name the later wins.) */
static char *cells_scattered(struct sv_rejects *r, char *d, const struct header *h, const struct sv_row *row,
			     struct sv_layout l, bool raw)
{
	for (size_t i = 0; i < row->n_fields; i++)
		r->scatter[i < h->n ? h->column[i] : l.names + (i - h->n)] = i + 1;
	for (size_t c = 0; c < l.names + l.extras; c++) {
		if (r->scatter[c])
			d = put_cell(d, &row->fields[r->scatter[c] - 1], raw);
		else
			*d++ = ',';
		r->scatter[c] = 0;
	}
	return d;
}

static bool put_row(struct sv_rejects *r, const struct header *h, const struct sv_row *row, uint64_t line)
{
	struct sv_layout l = r->segments[r->n_segments - 1].layout;
	size_t width = l.names + l.extras;
	/* the reader saw that no field of a plain row needs quoting with
	 * its delimiter: when that is ours, the cells go as they are */
	bool raw = row->plain && row->delimiter == ',';
	/* one pass over the fields for the room and the span */
	const struct sv_field *f = row->fields;
	size_t n = row->n_fields, most = width + h->file_len + 24 + r->reason_csv_len + 1 + n;
	bool span = raw && h->in_order && n > 0 && n <= h->n;
	for (size_t i = 0; i < n; i++) {
		most += csv_room(f[i].len);
		span = span && (i + 1 == n || (f[i + 1].ptr == f[i].ptr + f[i].len + 1 && f[i].ptr[f[i].len] == ','));
	}
	if (!room(r, r->body, most))
		return false;
	if (!h->in_order) {
		/* zeroed as it grows, and after each row */
		size_t *scatter = grown(r->scatter, &r->scatter_cap, width, sizeof *scatter);
		if (!scatter) {
			fail(r, ENOMEM);
			return false;
		}
		r->scatter = scatter;
	}
	char *d = r->buf + r->len;
	d = h->in_order ? cells_in_order(d, h, row, l, raw, span) : cells_scattered(r, d, h, row, l, raw);
	memcpy(d, h->file, h->file_len);
	d += h->file_len;
	*d++ = ',';
	d = put_decimal(d, line);
	*d++ = ',';
	if (r->reason_csv_len)
		memcpy(d, r->reason_csv, r->reason_csv_len);
	d += r->reason_csv_len;
	*d++ = '\n';
	r->len = (size_t)(d - r->buf);
	return true;
}

/* The rows go to the target's temporary file when it has one, else to one
 * of ours; in large writes of our own making. */
static bool open_body(struct sv_rejects *r)
{
	if (sv_output_try_atomic(&r->out, r->path))
		r->body = r->out.stream;
	else if (!(r->body = tmpfile())) {
		fail(r, errno);
		return false;
	}
	setvbuf(r->body, NULL, _IONBF, 0);
	return true;
}

static bool new_segment(struct sv_rejects *r, struct sv_layout l)
{
	struct segment *segments = grown(r->segments, &r->segments_cap, r->n_segments + 1, sizeof *segments);
	if (!segments)
		return false;
	r->segments = segments;
	r->segments[r->n_segments++] = (struct segment){r->flushed + r->len, l};
	return true;
}

/* The layout the row goes under: the first row's heads the file. */
static bool settle_layout(struct sv_rejects *r)
{
	struct sv_layout l = {r->n_names, r->extras};
	if (!r->body) {
		if (!open_body(r) || !put_header_line(r, l, r->body))
			return false;
		r->head_len = r->flushed + r->len;
	} else {
		struct sv_layout last = r->segments[r->n_segments - 1].layout;
		if (last.names == l.names && last.extras == l.extras)
			return true;
	}
	if (new_segment(r, l))
		return true;
	fail(r, ENOMEM);
	return false;
}

void sv_rejects_outcome(void *ctx, const struct sv_outcome *out)
{
	struct sv_rejects *r = ctx;
	if (out->status != SV_OUT_INVALID || r->failed || r->n_headers == 0)
		return;
	struct header *h = &r->headers[r->n_headers - 1];
	if (!h->column && !unite(r, h)) {
		fail(r, ENOMEM);
		return;
	}
	r->rows++;
	const struct sv_row *row = out->row;
	if (row->n_fields > h->n && row->n_fields - h->n > r->extras)
		r->extras = row->n_fields - h->n;
	if (!set_reason(r, out->reason ? out->reason : "", sv_outcome_reason_len(out))) {
		fail(r, ENOMEM);
		return;
	}
	if (settle_layout(r))
		put_row(r, h, row, row->line);
}

/* ---- the end ------------------------------------------------------------ */

/* The body as it is, from its start, to `to`. */
static bool copy_body(struct sv_rejects *r, FILE *to)
{
	if (fseeko(r->body, 0, SEEK_SET) != 0)
		return false;
	for (uint64_t left = r->flushed; left;) {
		size_t want = left < r->cap ? (size_t)left : r->cap;
		if (fread(r->buf, 1, want, r->body) != want)
			return false;
		r->len = want;
		if (!put_block(r, to))
			return false;
		left -= want;
	}
	return true;
}

/* What is read back of the body: buf[start, end). */
struct reading {
	char *buf;
	size_t cap, start, end;
};

/* More of the body, at most `left` bytes more of it, after what is there;
 * the buffer grows when one row fills it. */
static bool read_more(struct sv_rejects *r, struct reading *in, uint64_t *left)
{
	size_t have = in->end - in->start;
	if (in->start) {
		memmove(in->buf, in->buf + in->start, have);
		in->start = 0;
		in->end = have;
	}
	if (in->end == in->cap && !grow(&in->buf, &in->cap, in->cap + 1))
		return false;
	size_t want = in->cap - in->end;
	if (want > *left)
		want = (size_t)*left;
	size_t got = fread(in->buf + in->end, 1, want, r->body);
	in->end += got;
	*left -= got;
	return got > 0;
}

/* The next `bytes` of the body, rows written under from, to `to` under
 * the final layout. */
static bool relayout_segment(struct sv_rejects *r, struct reading *in, uint64_t bytes, struct sv_layout from,
			     FILE *to)
{
	struct sv_layout final = {r->n_names, r->extras};
	size_t growth = sv_relayout_growth(from, final);
	uint64_t left = bytes;
	for (;;) {
		struct sv_relayout_cut cut;
		enum sv_relayout_scan st = sv_relayout_scan(in->buf + in->start, in->end - in->start, from, &cut);
		if (st == SV_RELAYOUT_BAD)
			return false;
		if (st == SV_RELAYOUT_ROW) {
			if (!room(r, to, cut.end + growth))
				return false;
			r->len += sv_relayout_put(r->buf + r->len, in->buf + in->start, &cut, from, final);
			in->start += cut.end;
			continue;
		}
		if (left == 0)
			return in->start == in->end;
		if (!read_more(r, in, &left))
			return false;
	}
}

/* The final header, then every segment's rows moved under it. */
static bool write_relayout(struct sv_rejects *r, FILE *to)
{
	struct reading in = {NULL, 0, 0, 0};
	bool ok = grow(&in.buf, &in.cap, BLOCK) && fseeko(r->body, (off_t)r->head_len, SEEK_SET) == 0 &&
		  put_header_line(r, (struct sv_layout){r->n_names, r->extras}, to);
	for (size_t i = 0; ok && i < r->n_segments; i++) {
		uint64_t end = i + 1 < r->n_segments ? r->segments[i + 1].at : r->flushed;
		ok = relayout_segment(r, &in, end - r->segments[i].at, r->segments[i].layout, to);
	}
	free(in.buf);
	return ok && put_block(r, to);
}

/* The rows from the body to the target, opened now. */
static enum sv_status write_target(struct sv_rejects *r)
{
	struct sv_output dst;
	enum sv_status st = sv_output_open(&dst, r->path);
	if (st != SV_OK)
		return st;
	setvbuf(dst.stream, NULL, _IONBF, 0);
	bool ok = fflush(r->body) == 0 && (r->n_segments == 1 ? copy_body(r, dst.stream) : write_relayout(r, dst.stream));
	if (ok)
		return sv_output_commit(&dst);
	/* a write to the target failed, as commit would say; or the rows
	 * could not be read back */
	if (r->failed)
		sv_diag("%s: write error: %s", r->path, strerror(r->err ? r->err : EIO));
	else
		sv_diag("%s: cannot write rejected records", r->path);
	sv_output_abort(&dst);
	return SV_EIO;
}

static void free_rejects(struct sv_rejects *r)
{
	if (r->body == r->out.stream && r->body)
		sv_output_abort(&r->out);
	else if (r->body)
		fclose(r->body);
	for (size_t i = 0; i < r->n_headers; i++) {
		for (size_t c = 0; c < r->headers[i].n; c++)
			free(r->headers[i].names[c]);
		free(r->headers[i].names);
		free(r->headers[i].file);
		free(r->headers[i].column);
	}
	free(r->headers);
	free(r->names);
	free(r->slots);
	free(r->segments);
	free(r->scatter);
	free(r->buf);
	free(r->reason);
	free(r->reason_csv);
	free(r->path);
	free(r);
}

enum sv_status sv_rejects_finish(struct sv_rejects *r, bool write)
{
	enum sv_status st = SV_OK;
	if (write && r->body && !r->failed)
		flush(r);
	if (!write)
		st = SV_OK;
	else if (r->failed) {
		sv_diag("%s: cannot write rejected records: %s", r->path, strerror(r->err ? r->err : EIO));
		st = SV_EIO;
	} else if (r->rows == 0)
		/* a stale list from an earlier run must not survive a clean one */
		st = sv_output_remove_stale(r->path);
	else if (r->body == r->out.stream && r->n_segments == 1) {
		/* written where it goes, under its final header */
		r->body = NULL;
		st = sv_output_commit(&r->out);
	} else
		st = write_target(r);
	free_rejects(r);
	return st;
}
