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

struct header {
	char **names; /* trimmed, trailing empty names left out */
	size_t n;
	size_t *column; /* its columns' positions in the united header */
	uint64_t rows;  /* rejected rows read under it */
};

struct sv_rejects {
	char *path;
	FILE *spool;
	struct header *headers;
	size_t n_headers;
	size_t max_extra; /* most fields past the header in one row */
	uint64_t rows;
	bool failed;
};

struct sv_rejects *sv_rejects_new(const char *path)
{
	struct sv_rejects *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->path = strdup(path);
	r->spool = tmpfile();
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

void sv_rejects_header(void *ctx, const char *file, const struct sv_row *row)
{
	struct sv_rejects *r = ctx;
	(void)file;
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
	if (!h->names) {
		r->failed = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		h->names[i] = sv_field_dup_trimmed(&row->fields[i]);
		if (!h->names[i])
			r->failed = true;
	}
	h->n = n;
}

static void spool_bytes(struct sv_rejects *r, const char *s, size_t n)
{
	uint64_t len = n;
	if (fwrite(&len, sizeof len, 1, r->spool) != 1 || (n && fwrite(s, 1, n, r->spool) != n))
		r->failed = true;
}

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
	uint64_t meta[3] = {r->n_headers - 1, row->n_fields, row->line};
	if (fwrite(meta, sizeof meta, 1, r->spool) != 1)
		r->failed = true;
	for (size_t i = 0; i < row->n_fields; i++)
		spool_bytes(r, row->fields[i].ptr, row->fields[i].len);
	spool_bytes(r, out->file, strlen(out->file));
	spool_bytes(r, out->reason, strlen(out->reason));
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
		for (size_t c = 0; ok && c < h->n; c++) {
			size_t at = hash_nocase(h->names[c]) & (slots - 1);
			while (table[at] != SIZE_MAX && strcasecmp(u->names[table[at]], h->names[c]) != 0)
				at = (at + 1) & (slots - 1);
			if (table[at] == SIZE_MAX) {
				table[at] = u->n;
				u->names[u->n++] = h->names[c];
			}
			h->column[c] = table[at];
		}
	}
	free(table);
	return ok;
}

static char *read_bytes(FILE *f, size_t *n)
{
	uint64_t len;
	if (fread(&len, sizeof len, 1, f) != 1)
		return NULL;
	char *s = malloc(len + 1);
	if (!s)
		return NULL;
	if (len && fread(s, 1, len, f) != len) {
		free(s);
		return NULL;
	}
	s[len] = '\0';
	*n = len;
	return s;
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

	char **cells = calloc(width ? width : 1, sizeof *cells);
	size_t *lens = calloc(width ? width : 1, sizeof *lens);
	bool ok = cells && lens && fseek(r->spool, 0, SEEK_SET) == 0;
	for (uint64_t row = 0; ok && row < r->rows; row++) {
		uint64_t meta[3];
		ok = fread(meta, sizeof meta, 1, r->spool) == 1;
		const struct header *h = ok ? &r->headers[meta[0]] : NULL;
		for (uint64_t i = 0; ok && i < meta[1]; i++) {
			size_t n;
			char *s = read_bytes(r->spool, &n);
			size_t c = i < h->n ? h->column[i] : u->n + (i - h->n);
			ok = s != NULL;
			if (ok && c < width) {
				free(cells[c]);
				cells[c] = s;
				lens[c] = n;
			} else
				free(s);
		}
		size_t file_len = 0, reason_len = 0;
		char *file = ok ? read_bytes(r->spool, &file_len) : NULL;
		char *reason = file ? read_bytes(r->spool, &reason_len) : NULL;
		ok = ok && reason;
		if (ok) {
			for (size_t c = 0; c < width; c++) {
				sv_write_csv_field(out, cells[c] ? cells[c] : "", lens[c], ',');
				fputc(',', out);
				free(cells[c]);
				cells[c] = NULL;
				lens[c] = 0;
			}
			sv_write_csv_field(out, file, file_len, ',');
			fprintf(out, ",%llu,", (unsigned long long)meta[2]);
			sv_write_csv_field(out, reason, reason_len, ',');
			fputc('\n', out);
		}
		free(file);
		free(reason);
	}
	for (size_t c = 0; cells && c < width; c++)
		free(cells[c]);
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
		free(r->headers[i].column);
	}
	free(r->headers);
	fclose(r->spool);
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
