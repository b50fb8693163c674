/*
 * rejects.c - every invalid record, as it was, with where and why.
 *
 * Rejected rows are spooled to a temporary file as they come (memory must
 * not grow with the number of records), together with which header they
 * were read under.  At the end the columns of all those headers are united
 * by name, in order of first appearance, and the rows are written under
 * that header as CSV, plus source_file, source_line and reason, into a file
 * renamed into place.  So rows from exports with the same columns in a
 * different order still line up, and the file revalues as it is once fixed.
 */
#include "sv_commands.h"
#include "sv_diag.h"
#include "sv_format.h"
#include "sv_output.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define SPOOL_BUFFER ((size_t)1 << 20)

struct header {
	char **names; /* trimmed, trailing empty names left out */
	size_t n;
	char *file;      /* the file it heads, as a CSV field */
	size_t file_len;
	size_t *column; /* its columns' positions in the united header */
	bool in_order;  /* column[c] == c: its rows' cells go out as they are */
	uint64_t rows;  /* rejected rows read under it */
};

struct sv_rejects {
	char *path;
	FILE *spool; /* per row: its length, then struct spooled and the texts */
	char *row;   /* a row as spooled, made or read back whole */
	size_t row_cap;
	struct header *headers;
	size_t n_headers;
	size_t max_extra; /* most fields past the header in one row */
	uint64_t rows;
	char *reason;     /* the last row's reason, as given */
	size_t reason_cap;
	bool failed;
};

struct sv_rejects *sv_rejects_new(const char *path)
{
	struct sv_rejects *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->path = strdup(path);
	r->spool = tmpfile();
	/* a million rejected rows are a few hundred megabytes: in large writes */
	if (r->spool)
		setvbuf(r->spool, NULL, _IOFBF, SPOOL_BUFFER);
	if (!r->path || !r->spool) {
		sv_diag("%s: cannot create a temporary file for rejects: %s", path, strerror(errno));
		if (r->spool)
			fclose(r->spool);
		free(r->path);
		free(r);
		return NULL;
	}
	return r;
}

/* A buffer of at least need bytes, doubled as it grows. */
static bool grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 4096;
	while (c < need)
		c = c > SIZE_MAX / 2 ? need : c * 2;
	char *grown = realloc(*buf, c);
	if (!grown)
		return false;
	*buf = grown;
	*cap = c;
	return true;
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
	struct header *grown = realloc(r->headers, (r->n_headers + 1) * sizeof *grown);
	if (!grown) {
		r->failed = true;
		return;
	}
	r->headers = grown;
	struct header *h = &r->headers[r->n_headers++];
	memset(h, 0, sizeof *h);
	size_t n = row->n_fields;
	while (n && row->fields[n - 1].len == 0)
		n--;
	h->names = calloc(n ? n : 1, sizeof *h->names);
	h->file = malloc(csv_room(strlen(file)));
	if (!h->names || !h->file) {
		r->failed = true;
		return;
	}
	h->file_len = sv_csv_field(h->file, file, strlen(file), ',');
	for (size_t i = 0; i < n; i++) {
		h->names[i] = sv_field_dup_trimmed(&row->fields[i]);
		if (!h->names[i])
			r->failed = true;
	}
	h->n = n;
}

/*
 * A spooled row: this; each field's length as CSV text; the fields as CSV
 * text, each followed by a comma ("a,\"b,c\","); the reason as CSV text.
 * The row is made into CSV as it comes, so writing the file at the end
 * only puts texts side by side, for rows whose header's columns are the
 * united ones in order in one piece.  A row is written and read back in
 * one call each: a million rejected records are a common case (every
 * tenth record of an export), not a pathological one.  Rows come from the
 * file of the header before them (the run's hooks give them so).
 */
struct spooled {
	uint64_t header; /* the header it was read under */
	uint64_t n_fields;
	uint64_t line;
	uint64_t cells;  /* bytes of the fields' text, commas included */
	uint64_t reason; /* bytes of the reason's text, or SAME_REASON */
};

/* The reason is the row before's: rows rejected for one mistake repeated
 * down an export (every tenth quantity "x") spool it once. */
#define SAME_REASON UINT64_MAX

void sv_rejects_outcome(void *ctx, const struct sv_outcome *out)
{
	struct sv_rejects *r = ctx;
	if (out->status != SV_OUT_INVALID || r->failed || r->n_headers == 0)
		return;
	struct header *h = &r->headers[r->n_headers - 1];
	h->rows++;
	r->rows++;
	const struct sv_row *row = out->row;
	if (row->n_fields > h->n && row->n_fields - h->n > r->max_extra)
		r->max_extra = row->n_fields - h->n;
	const char *reason = out->reason ? out->reason : "";
	size_t reason_len = strlen(reason);
	size_t head = sizeof(uint64_t) + sizeof(struct spooled) + row->n_fields * sizeof(uint32_t);
	size_t most = head + csv_room(reason_len);
	for (size_t i = 0; i < row->n_fields; i++)
		most += csv_room(row->fields[i].len) + 1;
	if (!grow(&r->row, &r->row_cap, most)) {
		r->failed = true;
		return;
	}
	struct spooled meta = {r->n_headers - 1, row->n_fields, row->line, 0, 0};
	size_t o = head;
	for (size_t i = 0; i < row->n_fields; i++) {
		/* a field holds at most SV_FIELD_MAX bytes: its text fits 32 bits */
		uint32_t n = (uint32_t)sv_csv_field(r->row + o, row->fields[i].ptr, row->fields[i].len, ',');
		memcpy(r->row + sizeof(uint64_t) + sizeof meta + i * sizeof n, &n, sizeof n);
		o += n;
		r->row[o++] = ',';
	}
	meta.cells = o - head;
	if (r->rows > 1 && strcmp(reason, r->reason) == 0)
		meta.reason = SAME_REASON;
	else {
		size_t n = sv_csv_field(r->row + o, reason, reason_len, ',');
		meta.reason = n;
		o += n;
		if (!grow(&r->reason, &r->reason_cap, reason_len + 1)) {
			r->failed = true;
			return;
		}
		memcpy(r->reason, reason, reason_len + 1);
	}
	uint64_t total = o - sizeof total;
	memcpy(r->row, &total, sizeof total);
	memcpy(r->row + sizeof total, &meta, sizeof meta);
	if (fwrite(r->row, 1, o, r->spool) != o)
		r->failed = true;
}

/* ---- the final file ---------------------------------------------------- */

struct united {
	const char **names;
	size_t n;
};

static uint32_t hash_nocase(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 16777619u;
	}
	return h;
}

/* Unites the columns by name with a hash table, so a header of a million
 * columns takes a million steps, not a million squared. */
static bool unite(struct sv_rejects *r, struct united *u)
{
	size_t cap = r->max_extra + 3;
	for (size_t i = 0; i < r->n_headers; i++)
		cap += r->headers[i].n;
	size_t slots = 16;
	while (slots < cap * 2)
		slots *= 2;
	size_t *table = malloc(slots * sizeof *table); /* index into names, or SIZE_MAX */
	u->names = calloc(cap, sizeof *u->names);
	if (!u->names || !table) {
		free(table);
		return false;
	}
	for (size_t i = 0; i < slots; i++)
		table[i] = SIZE_MAX;
	u->n = 0;
	bool ok = true;
	for (size_t i = 0; ok && i < r->n_headers; i++) {
		struct header *h = &r->headers[i];
		if (!h->rows)
			continue;
		h->column = calloc(h->n ? h->n : 1, sizeof *h->column);
		ok = h->column != NULL;
		h->in_order = true;
		for (size_t c = 0; ok && c < h->n; c++) {
			size_t at = hash_nocase(h->names[c]) & (slots - 1);
			while (table[at] != SIZE_MAX && strcasecmp(u->names[table[at]], h->names[c]) != 0)
				at = (at + 1) & (slots - 1);
			if (table[at] == SIZE_MAX) {
				table[at] = u->n;
				u->names[u->n++] = h->names[c];
			}
			h->column[c] = table[at];
			h->in_order = h->in_order && h->column[c] == c;
		}
	}
	free(table);
	return ok;
}

static bool write_rows(struct sv_rejects *r, const struct united *u, FILE *out)
{
	size_t width = u->n + r->max_extra;
	for (size_t c = 0; c < width; c++) {
		char extra[32];
		const char *name = u->names[c < u->n ? c : 0];
		if (c >= u->n) {
			snprintf(extra, sizeof extra, "extra_%zu", c - u->n + 1);
			name = extra;
		}
		sv_write_csv_field(out, name, strlen(name), ',');
		fputc(',', out);
	}
	/* an input that has such columns keeps them; ours get a prefix */
	bool clash = false;
	for (size_t c = 0; c < u->n; c++)
		clash = clash || strcasecmp(u->names[c], "source_file") == 0 ||
			strcasecmp(u->names[c], "source_line") == 0 || strcasecmp(u->names[c], "reason") == 0;
	fputs(clash ? "rejected_source_file,rejected_source_line,rejected_reason\n" : "source_file,source_line,reason\n",
	      out);

	/* cells point into the row read back: each its CSV text and comma */
	char *line = NULL, *reason = NULL; /* reason: the last one read, as CSV */
	size_t line_cap = 0, reason_cap = 0, reason_len = 0;
	const char **cells = calloc(width ? width : 1, sizeof *cells);
	size_t *lens = calloc(width ? width : 1, sizeof *lens);
	bool ok = cells && lens && fseek(r->spool, 0, SEEK_SET) == 0;
	for (uint64_t row = 0; ok && row < r->rows; row++) {
		uint64_t total;
		struct spooled meta;
		ok = fread(&total, sizeof total, 1, r->spool) == 1 && total >= sizeof meta && total <= SIZE_MAX &&
		     grow(&r->row, &r->row_cap, (size_t)total) && fread(r->row, 1, (size_t)total, r->spool) == total;
		if (!ok)
			break;
		memcpy(&meta, r->row, sizeof meta);
		const struct header *h = meta.header < r->n_headers ? &r->headers[meta.header] : NULL;
		size_t n_fields = (size_t)meta.n_fields, head = sizeof meta + n_fields * sizeof(uint32_t);
		ok = h && n_fields <= (total - sizeof meta) / sizeof(uint32_t) && meta.cells <= total - head &&
		     (meta.reason == SAME_REASON ? row > 0 : meta.reason <= total - head - meta.cells);
		if (!ok)
			break;
		const char *text = r->row + head;
		if (meta.reason != SAME_REASON) {
			ok = grow(&reason, &reason_cap, (size_t)meta.reason);
			if (!ok)
				break;
			reason_len = (size_t)meta.reason;
			if (reason_len)
				memcpy(reason, text + meta.cells, reason_len);
		}
		/* the line at most: every cell, a comma for each empty one, the
		 * file, the line number and the reason */
		ok = grow(&line, &line_cap, (size_t)meta.cells + width + h->file_len + reason_len + 32);
		if (!ok)
			break;
		size_t w = 0;
		if (h->in_order && (n_fields <= h->n || h->n == u->n)) {
			/* the cells as they are, then the empty ones */
			memcpy(line, text, (size_t)meta.cells);
			w = (size_t)meta.cells;
			for (size_t c = n_fields; c < width; c++)
				line[w++] = ',';
		} else {
			size_t at = 0;
			for (size_t i = 0; i < n_fields; i++) {
				uint32_t n;
				memcpy(&n, r->row + sizeof meta + i * sizeof n, sizeof n);
				size_t c = i < h->n ? h->column[i] : u->n + (i - h->n);
				ok = ok && at < meta.cells && n <= meta.cells - at - 1;
				if (ok && c < width) {
					cells[c] = text + at;
					lens[c] = n;
				}
				at += (size_t)n + 1;
			}
			for (size_t c = 0; ok && c < width; c++) {
				if (lens[c])
					memcpy(line + w, cells[c], lens[c]);
				w += lens[c];
				line[w++] = ',';
				cells[c] = NULL;
				lens[c] = 0;
			}
			if (!ok)
				break;
		}
		memcpy(line + w, h->file, h->file_len);
		w += h->file_len;
		int n = snprintf(line + w, line_cap - w, ",%llu,", (unsigned long long)meta.line);
		w += n > 0 ? (size_t)n : 0;
		if (reason_len)
			memcpy(line + w, reason, reason_len);
		w += reason_len;
		line[w++] = '\n';
		ok = fwrite(line, 1, w, out) == w;
	}
	free(line);
	free(reason);
	free(cells);
	free(lens);
	return ok;
}

static void free_rejects(struct sv_rejects *r)
{
	for (size_t i = 0; i < r->n_headers; i++) {
		for (size_t c = 0; c < r->headers[i].n; c++)
			free(r->headers[i].names[c]);
		free(r->headers[i].names);
		free(r->headers[i].file);
		free(r->headers[i].column);
	}
	free(r->headers);
	fclose(r->spool);
	free(r->row);
	free(r->reason);
	free(r->path);
	free(r);
}

enum sv_status sv_rejects_finish(struct sv_rejects *r, bool write)
{
	enum sv_status st = SV_OK;
	if (!write) {
		free_rejects(r);
		return SV_OK;
	}
	if (r->failed || fflush(r->spool) != 0) {
		sv_diag("%s: cannot write rejected records: %s", r->path, strerror(errno ? errno : EIO));
		free_rejects(r);
		return SV_EIO;
	}
	if (r->rows == 0) {
		/* a stale list from an earlier run must not survive a clean one */
		st = sv_output_remove_stale(r->path);
		free_rejects(r);
		return st;
	}
	struct united u = {NULL, 0};
	struct sv_output out;
	st = sv_output_open(&out, r->path);
	if (st == SV_OK) {
		setvbuf(out.stream, NULL, _IOFBF, SPOOL_BUFFER);
		if (unite(r, &u) && write_rows(r, &u, out.stream))
			st = sv_output_commit(&out);
		else {
			sv_diag("%s: cannot write rejected records", r->path);
			sv_output_abort(&out);
			st = SV_EIO;
		}
	}
	free(u.names);
	free_rejects(r);
	return st;
}
