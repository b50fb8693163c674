/*
 * engine.c - validate, filter, value and group every record.
 */
#include "sv_engine.h"
#include "sv_date.h"
#include "sv_diag.h"
#include "sv_money.h"
#include "sv_reader.h"
#include "sv_sha256.h"
#include "sv_utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define NO_COLUMN ((size_t)-1)

/* Where this file keeps the columns the run needs. */
struct columns {
	size_t measure, quantity, date;
	size_t by[SV_MAX_KEYS];
	size_t width; /* header fields, trailing empty names left out */
};

struct file_state {
	struct sv_run *run;
	struct sv_file_summary *summary;
	struct columns cols;
	const char *date_need; /* why a date is required, or NULL */
	bool quiet;            /* invalid records go to hooks only */
	/* the problems of the current record, for the hooks */
	char reason[1024];
	size_t reason_len;
};

/* ---- the header -------------------------------------------------------- */

static bool name_is(const struct sv_field *f, const char *name)
{
	const char *s = f->ptr;
	size_t n = f->len;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == strlen(name) && strncasecmp(s, name, n) == 0;
}

/* Finds the column called name; reports a duplicate.  NO_COLUMN if absent. */
static size_t find_column(struct file_state *fs, const struct sv_row *row, const char *name, bool *dup)
{
	size_t found = NO_COLUMN;
	for (size_t i = 0; i < fs->cols.width; i++) {
		if (!name_is(&row->fields[i], name))
			continue;
		if (found == NO_COLUMN)
			found = i;
		else {
			sv_diag_at(fs->summary->info.name, row->line,
				   "column '%s' appears more than once (columns %zu and %zu)", name, found + 1, i + 1);
			*dup = true;
			return found;
		}
	}
	return found;
}

/* The header's columns, for a message: "date, site, measure". */
static void list_columns(char *buf, size_t cap, const struct sv_row *row, size_t width)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < width && o + 8 < cap; i++) {
		char esc[SV_ESCAPE_MAX];
		sv_utf8_escape(esc, sizeof esc, row->fields[i].ptr, row->fields[i].len);
		int n = snprintf(buf + o, cap - o, "%s%s", i ? ", " : "", esc);
		if (n < 0 || (size_t)n >= cap - o) {
			strcpy(buf + cap - 4, "...");
			return;
		}
		o += (size_t)n;
	}
}

static void missing_by_column(struct file_state *fs, const struct sv_row *row, const char *name)
{
	char cols[512];
	list_columns(cols, sizeof cols, row, fs->cols.width);
	const char *suggest = NULL;
	size_t best = SIZE_MAX;
	static const char *const builtins[] = {"theme", "measure", "value_type", "month", "quarter", "fq", "year", "fy"};
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
		size_t d = sv_edit_distance(name, strlen(name), builtins[i], strlen(builtins[i]));
		if (d < best) {
			best = d;
			suggest = builtins[i];
		}
	}
	if (suggest && sv_close_enough(best, strlen(name)))
		sv_diag_at(fs->summary->info.name, row->line,
			   "no column '%s' for --by (did you mean the key '%s'?); the columns are: %s", name, suggest, cols);
	else
		sv_diag_at(fs->summary->info.name, row->line, "no column '%s' for --by; the columns are: %s", name, cols);
}

static enum sv_status on_header(void *ctx, const struct sv_row *row)
{
	struct file_state *fs = ctx;
	const struct sv_options *o = fs->run->options;
	const char *file = fs->summary->info.name;
	bool bad = false;

	fs->cols.width = row->n_fields;
	while (fs->cols.width > 0 && row->fields[fs->cols.width - 1].len == 0)
		fs->cols.width--;
	if (row->unterminated) {
		sv_diag_at(file, row->line, "the header ends inside a quoted field");
		return SV_EDATA;
	}
	fs->cols.measure = find_column(fs, row, "measure", &bad);
	fs->cols.quantity = find_column(fs, row, "quantity", &bad);
	fs->cols.date = find_column(fs, row, "date", &bad);
	if (fs->cols.measure == NO_COLUMN) {
		sv_diag_at(file, row->line, "missing required column 'measure'");
		bad = true;
	}
	if (fs->cols.quantity == NO_COLUMN) {
		sv_diag_at(file, row->line, "missing required column 'quantity'");
		bad = true;
	}
	if (fs->date_need && fs->cols.date == NO_COLUMN) {
		sv_diag_at(file, row->line, "no 'date' column, which %s needs", fs->date_need);
		bad = true;
	}
	for (size_t k = 0; k < o->n_keys; k++) {
		fs->cols.by[k] = NO_COLUMN;
		if (o->keys[k].kind != SV_KEY_COLUMN)
			continue;
		fs->cols.by[k] = find_column(fs, row, o->keys[k].column, &bad);
		if (fs->cols.by[k] == NO_COLUMN) {
			missing_by_column(fs, row, o->keys[k].column);
			bad = true;
		}
	}
	if (bad)
		return SV_EDATA;
	fs->summary->header_ok = true;
	const struct sv_run_hooks *h = fs->run->hooks;
	if (h && h->header)
		h->header(h->ctx, file, row);
	return SV_OK;
}

/* ---- records ----------------------------------------------------------- */

/* Reports one problem of an invalid record. */
static void problem(struct file_state *fs, const struct sv_row *row, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct file_state *fs, const struct sv_row *row, const char *fmt, ...)
{
	char text[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (!fs->quiet)
		sv_diag_at(fs->summary->info.name, row->line, "%s", text);
	size_t room = sizeof fs->reason - fs->reason_len;
	int n = snprintf(fs->reason + fs->reason_len, room, "%s%s", fs->reason_len ? "; " : "", text);
	if (n > 0)
		fs->reason_len += (size_t)n < room ? (size_t)n : room - 1;
}

static bool check_utf8(struct file_state *fs, const struct sv_row *row, const char *column,
		       const struct sv_field *f)
{
	if (sv_utf8_valid(f->ptr, f->len))
		return true;
	char esc[SV_ESCAPE_MAX];
	sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
	if (sv_utf8_looks_cp1252(f->ptr, f->len))
		problem(fs, row,
			"%s: invalid UTF-8 in '%s' (the file looks like Windows-1252; save it as UTF-8, or convert it with: iconv -f WINDOWS-1252 -t UTF-8)",
			column, esc);
	else
		problem(fs, row, "%s: invalid UTF-8 in '%s'", column, esc);
	return false;
}

static const struct sv_measure *check_measure(struct file_state *fs, const struct sv_row *row)
{
	const struct sv_field *f = &row->fields[fs->cols.measure];
	const struct sv_proxy_table *t = fs->run->table;
	if (!check_utf8(fs, row, "measure", f))
		return NULL;
	if (f->len == 0) {
		problem(fs, row, "measure: empty");
		return NULL;
	}
	const struct sv_measure *m = sv_proxy_find(t, f->ptr, f->len);
	if (m)
		return m;
	char esc[SV_ESCAPE_MAX];
	sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
	const char *suggest = sv_proxy_suggest(t, f->ptr, f->len);
	if (suggest)
		problem(fs, row, "measure: unknown measure '%s' (did you mean '%s'?)", esc, suggest);
	else
		problem(fs, row, "measure: unknown measure '%s'", esc);
	return NULL;
}

static bool check_quantity(struct file_state *fs, const struct sv_row *row, int64_t *qty)
{
	const struct sv_field *f = &row->fields[fs->cols.quantity];
	if (!check_utf8(fs, row, "quantity", f))
		return false;
	enum sv_qty_error e = sv_qty_parse(f->ptr, f->len, qty);
	if (e == SV_QTY_OK)
		return true;
	if (e == SV_QTY_EMPTY) {
		problem(fs, row, "quantity: empty");
		return false;
	}
	char esc[SV_ESCAPE_MAX];
	sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
	problem(fs, row, "quantity: '%s' %s", esc, sv_qty_strerror(e));
	return false;
}

/* Validates the date; *ymd is 0 when the record has none. */
static bool check_date(struct file_state *fs, const struct sv_row *row, int32_t *ymd)
{
	*ymd = 0;
	if (fs->cols.date == NO_COLUMN)
		return true;
	const struct sv_field *f = &row->fields[fs->cols.date];
	if (f->len == 0) {
		if (!fs->date_need)
			return true;
		problem(fs, row, "date: empty, but %s needs a date", fs->date_need);
		return false;
	}
	if (!check_utf8(fs, row, "date", f))
		return false;
	if (sv_date_parse(f->ptr, f->len, ymd))
		return true;
	char esc[SV_ESCAPE_MAX];
	sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
	problem(fs, row, "date: '%s' is not a valid date (expected YYYY-MM-DD or DD/MM/YYYY)", esc);
	return false;
}

static bool check_shape(struct file_state *fs, const struct sv_row *row)
{
	if (row->unterminated) {
		problem(fs, row, "a quoted field is not closed before the end of the file");
		return false;
	}
	size_t width = fs->cols.width;
	if (row->n_fields < width) {
		problem(fs, row, "the row has %zu fields, the header has %zu", row->n_fields, width);
		return false;
	}
	for (size_t i = width; i < row->n_fields; i++) {
		if (row->fields[i].len) {
			problem(fs, row, "the row has %zu fields, the header has %zu", row->n_fields, width);
			return false;
		}
	}
	return true;
}

static bool in_range(const struct sv_options *o, int32_t ymd)
{
	return (!o->has_from || ymd >= o->from) && (!o->has_to || ymd <= o->to);
}

static void key_values(const struct file_state *fs, const struct sv_row *row, const struct sv_measure *m,
		       int32_t ymd, struct sv_key_value *kv)
{
	const struct sv_options *o = fs->run->options;
	for (size_t k = 0; k < o->n_keys; k++) {
		enum sv_key_kind kind = o->keys[k].kind;
		kv[k].str = NULL;
		kv[k].len = 0;
		switch (kind) {
		case SV_KEY_THEME: kv[k].num = (int64_t)m->theme; break;
		case SV_KEY_MEASURE: kv[k].num = (int64_t)m->index; break;
		case SV_KEY_VALUE_TYPE: kv[k].num = m->value_type; break;
		case SV_KEY_COLUMN:
			kv[k].num = 0;
			kv[k].str = row->fields[fs->cols.by[k]].ptr;
			kv[k].len = row->fields[fs->cols.by[k]].len;
			break;
		default: kv[k].num = sv_period_of(sv_key_period(kind), ymd); break;
		}
	}
}

static void emit(struct file_state *fs, struct sv_outcome *out)
{
	const struct sv_run_hooks *h = fs->run->hooks;
	if (h && h->outcome) {
		out->file = fs->summary->info.name;
		h->outcome(h->ctx, out);
	}
}

static enum sv_status on_record(void *ctx, const struct sv_row *row)
{
	struct file_state *fs = ctx;
	struct sv_run *run = fs->run;
	const struct sv_options *o = run->options;
	fs->summary->read++;
	run->counts.read++;
	fs->reason_len = 0;
	fs->reason[0] = '\0';

	struct sv_outcome out = {.row = row};
	bool valid = check_shape(fs, row);
	const struct sv_measure *m = NULL;
	int64_t qty = 0;
	int32_t ymd = 0;
	if (valid) {
		out.measure_text = &row->fields[fs->cols.measure];
		m = check_measure(fs, row);
		out.has_quantity = check_quantity(fs, row, &qty);
		valid = out.has_quantity && m;
		valid = check_date(fs, row, &ymd) && valid;
		for (size_t k = 0; k < o->n_keys; k++)
			if (fs->cols.by[k] != NO_COLUMN)
				valid = check_utf8(fs, row, o->keys[k].column, &row->fields[fs->cols.by[k]]) && valid;
	}
	out.measure = m;
	out.quantity = qty;
	if (!valid) {
		fs->summary->invalid++;
		run->counts.invalid++;
		out.status = SV_OUT_INVALID;
		out.reason = fs->reason;
		emit(fs, &out);
		return SV_OK;
	}
	struct sv_key_value kv[SV_MAX_KEYS];
	key_values(fs, row, m, ymd, kv);
	out.keys = kv;
	if ((o->has_from || o->has_to) && !in_range(o, ymd)) {
		fs->summary->filtered++;
		run->counts.filtered++;
		out.status = SV_OUT_FILTERED;
		emit(fs, &out);
		return SV_OK;
	}
	sv_amount value = m->record_only ? 0 : sv_amount_mul(qty, m->value);
	if (!sv_amount_add(&run->total, value)) {
		sv_diag_at(fs->summary->info.name, row->line,
			   "quantity: the total overflows the exact arithmetic (more than 10^29 pounds)");
		return SV_EDATA;
	}
	if (run->groups) {
		enum sv_status st = sv_groups_add(run->groups, kv, !m->record_only, value);
		if (st != SV_OK)
			return st;
	}
	run->total_records++;
	run->counts.valued++;
	out.status = m->record_only ? SV_OUT_RECORD_ONLY : SV_OUT_VALUED;
	out.value = value;
	emit(fs, &out);
	return SV_OK;
}

/* ---- files ------------------------------------------------------------- */

static const char *date_need(const struct sv_options *o)
{
	for (size_t k = 0; k < o->n_keys; k++) {
		if (sv_key_is_period(o->keys[k].kind)) {
			static char why[32];
			snprintf(why, sizeof why, "--by %s", sv_key_name(o->keys[k].kind));
			return why;
		}
	}
	if (o->has_from || o->has_to)
		return o->has_from ? "--from" : "--to";
	return NULL;
}

static FILE *open_input(const char *path, const char *shown, enum sv_status *st)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *f = fopen(path, "rb");
	if (!f) {
		sv_diag("%s: cannot open: %s", shown, strerror(errno));
		*st = SV_ENOINPUT;
		return NULL;
	}
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		sv_diag("%s: cannot open: Is a directory", shown);
		fclose(f);
		*st = SV_ENOINPUT;
		return NULL;
	}
	return f;
}

enum sv_status sv_run_files(struct sv_run *run)
{
	const struct sv_options *o = run->options;
	static const char *const stdin_only[] = {"-"};
	const char *const *paths = o->n_files ? o->files : stdin_only;
	size_t n = o->n_files ? o->n_files : 1;

	run->files = calloc(n, sizeof *run->files);
	struct sv_reader *reader = sv_reader_new();
	if (!run->files || !reader) {
		sv_reader_free(reader);
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	run->n_files = n;
	const struct sv_reader_callbacks cb = {on_header, on_record};
	enum sv_status status = SV_OK;
	for (size_t i = 0; i < n; i++) {
		struct sv_file_summary *s = &run->files[i];
		s->info.name = strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i];
		enum sv_status st = SV_OK;
		FILE *f = open_input(paths[i], s->info.name, &st);
		if (f) {
			s->opened = true;
			struct file_state fs = {.run = run, .summary = s, .date_need = date_need(o),
						.quiet = run->hooks && run->hooks->quiet_invalid};
			struct sv_sha256 digest;
			sv_sha256_init(&digest);
			sv_reader_set_digest(reader, run->digest_inputs ? &digest : NULL);
			st = sv_reader_read(reader, f, s->info.name, o->delimiter, &cb, &fs);
			sv_reader_set_digest(reader, NULL);
			s->info.bytes = digest.length;
			if (run->digest_inputs)
				sv_sha256_hex(&digest, s->info.sha256);
			if (f != stdin)
				fclose(f);
			else
				clearerr(stdin);
		}
		status = sv_status_worst(status, st);
		if (status == SV_ESOFTWARE)
			break;
	}
	sv_reader_free(reader);
	run->status = status;
	return status;
}

void sv_run_release(struct sv_run *run)
{
	free(run->files);
	run->files = NULL;
	run->n_files = 0;
}
