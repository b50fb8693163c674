/*
 * engine.c - validate, filter, value and group every record.
 */
#include "sv_engine.h"
#include "sv_chunks.h"
#include "sv_files.h"
#include "sv_hookbuf.h"
#include "sv_date.h"
#include "sv_diag.h"
#include "sv_money.h"
#include "sv_profile.h"
#include "sv_reader.h"
#include "sv_sha256.h"
#include "sv_utf8.h"
#include "sv_word.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define NO_COLUMN ((size_t)-1)

/* Where this file keeps the columns the run needs. */
struct columns {
	size_t measure, quantity, date, unit;
	size_t by[SV_MAX_KEYS];
	const char *by_constant[SV_MAX_KEYS]; /* a --by key that is a constant: its value */
	size_t ignore[SV_PROFILE_IGNORE_MAX]; /* the column of each ignore rule */
	size_t width; /* header fields, trailing empty names left out */
};

/* Where a stretch of records is totalled: a whole file, or one chunk of a
 * file read on several threads, added to the run once the chunks before it
 * are. */
struct tally {
	struct sv_groups *groups; /* NULL: validate only */
	sv_amount total;
	uint64_t read, valued, invalid, filtered, ignored;
};

/* Messages about records of a chunk, held until the chunks before it have
 * printed theirs: entries of (line, length, text).  --max-errors N shows N
 * in all, so a chunk keeps its first N and only counts the rest: those
 * could never be shown (a chunk of 10% invalid records would otherwise
 * hold a megabyte of messages to print 50). */
struct msgbuf {
	char *data;
	size_t len, cap;
	long keep;        /* entries kept at most; -1: all */
	uint64_t entries; /* kept */
	uint64_t dropped; /* counted only */
	bool oom;
};

struct file_state {
	struct sv_run *run;
	struct sv_file_summary *summary;
	/* this file's settings: its profile's where it has one, else the run's */
	const struct sv_input_settings *settings; /* NULL: none */
	const struct sv_profile *profile;         /* NULL: none */
	const char *map[SV_PF_COUNT];             /* the columns of the fields; NULL: by name */
	bool map_by_profile[SV_PF_COUNT];         /* the column is the profile's, not --map's */
	int delimiter;                            /* 0: detect */
	bool cp1252;
	unsigned date_forms;                      /* SV_DATE_FORM_* the profile adds to the default dates */
	bool accounting_zero;                     /* a quantity '-' is 0 */
	struct columns cols;
	const char *date_need; /* why a date is required, or NULL */
	bool quiet;            /* invalid records go to hooks only */
	struct tally *tally;
	struct tally direct;       /* the tally when reading straight into the run */
	struct msgbuf *msgs;       /* NULL: print at once */
	struct sv_hookbuf *held;   /* NULL: hook events go to the hooks at once */
	const struct sv_reader *reader; /* for the progress line */
	uint64_t progress_base;    /* bytes of the files before, and of the chunk's start */
	unsigned long line_base;   /* added to row lines in messages */
	/* the problems of the current record, for the hooks */
	char reason[1024];
	size_t reason_len;
};

static void progress(struct sv_run *run);

static void msg_add(struct msgbuf *b, unsigned long line, const char *text)
{
	if (b->keep >= 0 && b->entries >= (uint64_t)b->keep) {
		b->dropped++;
		return;
	}
	b->entries++;
	size_t n = strlen(text), need = b->len + sizeof line + sizeof n + n;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < need)
			cap *= 2;
		char *grown = realloc(b->data, cap);
		if (!grown) {
			b->oom = true;
			return;
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, &line, sizeof line);
	memcpy(b->data + b->len + sizeof line, &n, sizeof n);
	memcpy(b->data + b->len + sizeof line + sizeof n, text, n);
	b->len = need;
}

/* --max-errors: past the limit, record problems are counted, not shown. */
static bool may_show(struct sv_run *run)
{
	long max = run->options->max_errors;
	if (max >= 0 && run->messages_shown >= (uint64_t)max) {
		run->messages_hidden++;
		return false;
	}
	run->messages_shown++;
	return true;
}

static void msg_flush(struct sv_run *run, const struct msgbuf *b, const char *file, unsigned long line_base)
{
	for (size_t o = 0; o < b->len;) {
		unsigned long line;
		size_t n;
		memcpy(&line, b->data + o, sizeof line);
		memcpy(&n, b->data + o + sizeof line, sizeof n);
		o += sizeof line + sizeof n;
		if (may_show(run))
			sv_diag_at(file, line + line_base, "%.*s", (int)n, b->data + o);
		o += n;
	}
	/* past the kept ones no room is left: all are hidden */
	run->messages_hidden += b->dropped;
}

static void record_message(struct file_state *fs, unsigned long line, const char *text)
{
	if (fs->msgs)
		msg_add(fs->msgs, line, text);
	else if (may_show(fs->run))
		sv_diag_at(fs->summary->info.name, line + fs->line_base, "%s", text);
}

/* ---- the header -------------------------------------------------------- */

/* Finds the column called name; reports a duplicate.  NO_COLUMN if absent. */
static size_t find_column(struct file_state *fs, const struct sv_row *row, const char *name, bool *dup)
{
	size_t found = NO_COLUMN;
	for (size_t i = 0; i < fs->cols.width; i++) {
		if (!sv_field_is_name(&row->fields[i], name))
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

/* The nearest of the built-in keys and the file's columns to a --by name
 * that is neither, if it is near enough to be the one meant. */
static const char *nearest_key(const struct file_state *fs, const struct sv_row *row, const char *name,
			       char column[128], bool *is_builtin)
{
	static const char *const builtins[] = {"theme", "measure", "value_type", "month", "quarter", "fq", "year", "fy", "file"};
	size_t n = strlen(name), best = SIZE_MAX;
	const char *suggest = NULL;
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
		size_t d = sv_edit_distance(name, n, builtins[i], strlen(builtins[i]));
		if (d < best) {
			best = d;
			suggest = builtins[i];
			*is_builtin = true;
		}
	}
	for (size_t i = 0; i < fs->cols.width; i++) {
		const struct sv_field *f = &row->fields[i];
		if (f->len >= 128 || memchr(f->ptr, '\0', f->len))
			continue;
		size_t d = sv_edit_distance(name, n, f->ptr, f->len);
		if (d < best) {
			best = d;
			memcpy(column, f->ptr, f->len);
			column[f->len] = '\0';
			suggest = column;
			*is_builtin = false;
		}
	}
	return suggest && sv_close_enough(best, n) ? suggest : NULL;
}

static void missing_by_column(struct file_state *fs, const struct sv_row *row, const char *name)
{
	char cols[512];
	list_columns(cols, sizeof cols, row, fs->cols.width);
	bool builtin = false;
	char column[128];
	const char *suggest = nearest_key(fs, row, name, column, &builtin);
	if (suggest) {
		char esc[SV_ESCAPE_MAX];
		sv_utf8_escape(esc, sizeof esc, suggest, strlen(suggest));
		sv_diag_at(fs->summary->info.name, row->line, "no column '%s' for --by (did you mean the %s '%s'?); the columns are: %s",
			   name, builtin ? "key" : "column", esc, cols);
	} else
		sv_diag_at(fs->summary->info.name, row->line, "no column '%s' for --by; the columns are: %s", name, cols);
}

/* Where a mapped column's name came from, for a message. */
static const char *mapped_by(const struct file_state *fs, enum sv_profile_field pf, char *buf, size_t cap)
{
	if (!fs->map_by_profile[pf])
		return "--map";
	snprintf(buf, cap, "the profile %s", fs->profile->path);
	return buf;
}

/* Reports a required column the header lacks, naming the columns it has
 * when the name came from --map or a profile. */
static bool required_column(struct file_state *fs, const struct sv_row *row, size_t found,
			    enum sv_profile_field pf)
{
	const char *field = pf == SV_PF_MEASURE ? "measure" : "quantity", *mapped = fs->map[pf];
	char by[300];
	if (found != NO_COLUMN)
		return true;
	char cols[512];
	list_columns(cols, sizeof cols, row, fs->cols.width);
	if (mapped)
		sv_diag_at(fs->summary->info.name, row->line, "no column '%s' (mapped to %s by %s); the columns are: %s",
			   mapped, field, mapped_by(fs, pf, by, sizeof by), cols);
	else
		sv_diag_at(fs->summary->info.name, row->line,
			   "missing required column '%s' (the columns are: %s; --map %s=COLUMN names another)", field,
			   cols, field);
	return false;
}

/* The field with text after its closing quote, roughly as it was written:
 * the reader gives the quoted text, the closing quote and the rest of the
 * line; the opening quote is put back. */
static void bad_quote_text(char esc[SV_ESCAPE_MAX], const struct sv_row *row)
{
	const struct sv_field *f = &row->fields[row->n_fields - 1];
	esc[0] = '\'';
	esc[1] = '"';
	sv_utf8_escape(esc + 2, SV_ESCAPE_MAX - 3, f->ptr, f->len);
	strcat(esc, "'");
}

/* ---- what a profile or an input list adds ------------------------------ */

/* The constant called name (case-insensitive): the list's row first, as
 * the more particular, then the profile's.  NULL when there is none. */
static const char *constant_value(const struct file_state *fs, const char *name)
{
	const struct sv_input_settings *set = fs->settings;
	for (size_t i = 0; set && i < set->n_constants; i++)
		if (strcasecmp(set->constants[i].name, name) == 0)
			return set->constants[i].value;
	for (size_t i = 0; fs->profile && i < fs->profile->n_constants; i++)
		if (strcasecmp(fs->profile->constants[i].name, name) == 0)
			return fs->profile->constants[i].value;
	return NULL;
}

/* A constant named like a column of the file would make that name mean
 * two things: which one a --by key gets would be a guess. */
static bool constant_apart(struct file_state *fs, const struct sv_row *row, const struct sv_constant *c,
			   const char *owner)
{
	for (size_t i = 0; i < fs->cols.width; i++) {
		if (!sv_field_is_name(&row->fields[i], c->name))
			continue;
		char esc[SV_ESCAPE_MAX];
		sv_utf8_escape(esc, sizeof esc, c->name, strlen(c->name));
		sv_diag_at(fs->summary->info.name, row->line,
			   "column '%s' is both in the file (column %zu) and a constant of %s; rename one of them", esc,
			   i + 1, owner);
		return false;
	}
	return true;
}

static bool constants_apart(struct file_state *fs, const struct sv_row *row)
{
	bool ok = true;
	const struct sv_input_settings *set = fs->settings;
	char owner[300];
	if (set && set->list) {
		snprintf(owner, sizeof owner, "the input list %s", set->list);
		for (size_t i = 0; i < set->n_constants; i++)
			ok = constant_apart(fs, row, &set->constants[i], owner) && ok;
	}
	if (fs->profile) {
		snprintf(owner, sizeof owner, "the profile %s", fs->profile->path);
		for (size_t i = 0; i < fs->profile->n_constants; i++)
			ok = constant_apart(fs, row, &fs->profile->constants[i], owner) && ok;
	}
	return ok;
}

/* The column of each ignore rule; a rule whose column the file lacks
 * would never match, and a totals row would be an invalid record, or
 * worse, valued. */
static bool ignore_columns(struct file_state *fs, const struct sv_row *row)
{
	bool ok = true;
	for (size_t r = 0; fs->profile && r < fs->profile->n_ignore; r++) {
		const char *name = fs->profile->ignore[r].column;
		bool dup = false;
		fs->cols.ignore[r] = find_column(fs, row, name, &dup);
		ok = !dup && ok;
		if (fs->cols.ignore[r] != NO_COLUMN)
			continue;
		char cols[512], esc[SV_ESCAPE_MAX];
		list_columns(cols, sizeof cols, row, fs->cols.width);
		sv_utf8_escape(esc, sizeof esc, name, strlen(name));
		sv_diag_at(fs->summary->info.name, row->line,
			   "no column '%s' (named by ignore %zu of the profile %s); the columns are: %s", esc, r + 1,
			   fs->profile->path, cols);
		ok = false;
	}
	return ok;
}

/* Whether a profile's ignore rule matches the row.  A row cut short by a
 * quote problem is not judged: its fields are not what was meant. */
static bool ignored(const struct file_state *fs, const struct sv_row *row)
{
	if (!fs->profile || row->unterminated || row->bad_closing_quote)
		return false;
	for (size_t r = 0; r < fs->profile->n_ignore; r++) {
		size_t c = fs->cols.ignore[r];
		if (c < row->n_fields &&
		    sv_profile_ignore_matches(&fs->profile->ignore[r], row->fields[c].ptr, row->fields[c].len))
			return true;
	}
	return false;
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
	if (row->bad_closing_quote) {
		char esc[SV_ESCAPE_MAX];
		bad_quote_text(esc, row);
		sv_diag_at(file, row->line, "header: field %zu: text after a closing quote: %s (a quoted field ends at the delimiter or the line end)", row->n_fields, esc);
		return SV_EDATA;
	}
	const char *measure = fs->map[SV_PF_MEASURE] ? fs->map[SV_PF_MEASURE] : "measure";
	const char *quantity = fs->map[SV_PF_QUANTITY] ? fs->map[SV_PF_QUANTITY] : "quantity";
	const char *date = fs->map[SV_PF_DATE] ? fs->map[SV_PF_DATE] : "date";
	fs->cols.measure = find_column(fs, row, measure, &bad);
	fs->cols.quantity = find_column(fs, row, quantity, &bad);
	fs->cols.date = find_column(fs, row, date, &bad);
	bad = !required_column(fs, row, fs->cols.measure, SV_PF_MEASURE) || bad;
	bad = !required_column(fs, row, fs->cols.quantity, SV_PF_QUANTITY) || bad;
	if (fs->map[SV_PF_DATE] && fs->cols.date == NO_COLUMN) {
		char cols[512], by[300];
		list_columns(cols, sizeof cols, row, fs->cols.width);
		sv_diag_at(file, row->line, "no column '%s' (mapped to date by %s); the columns are: %s", date,
			   mapped_by(fs, SV_PF_DATE, by, sizeof by), cols);
		bad = true;
	}
	if (fs->date_need && fs->cols.date == NO_COLUMN) {
		sv_diag_at(file, row->line, "no 'date' column, which %s needs", fs->date_need);
		bad = true;
	}
	const char *unit = fs->map[SV_PF_UNIT] ? fs->map[SV_PF_UNIT] : "unit";
	fs->cols.unit = find_column(fs, row, unit, &bad);
	if (fs->map[SV_PF_UNIT] && fs->cols.unit == NO_COLUMN) {
		char cols[512], by[300];
		list_columns(cols, sizeof cols, row, fs->cols.width);
		sv_diag_at(file, row->line, "no column '%s' (mapped to unit by %s); the columns are: %s", unit,
			   mapped_by(fs, SV_PF_UNIT, by, sizeof by), cols);
		bad = true;
	}
	bad = !constants_apart(fs, row) || bad;
	bad = !ignore_columns(fs, row) || bad;
	for (size_t k = 0; k < o->n_keys; k++) {
		fs->cols.by[k] = NO_COLUMN;
		fs->cols.by_constant[k] = NULL;
		if (o->keys[k].kind != SV_KEY_COLUMN)
			continue;
		fs->cols.by[k] = find_column(fs, row, o->keys[k].column, &bad);
		if (fs->cols.by[k] == NO_COLUMN)
			fs->cols.by_constant[k] = constant_value(fs, o->keys[k].column);
		if (fs->cols.by[k] == NO_COLUMN && !fs->cols.by_constant[k]) {
			missing_by_column(fs, row, o->keys[k].column);
			bad = true;
		}
	}
	if (bad)
		return SV_EDATA;
	fs->summary->header_ok = true;
	const struct sv_run_hooks *h = fs->run->hooks;
	/* a failure to hold it is seen by chunk_fits: the chunk is read again */
	if (fs->held)
		sv_hookbuf_header(fs->held, file, row);
	else if (h && h->header)
		h->header(h->ctx, file, row);
	return SV_OK;
}

/* ---- records ----------------------------------------------------------- */

/* Adds to the record's reason what room is left for, NUL-terminated. */
static void reason_append(struct file_state *fs, const char *s, size_t n)
{
	size_t room = sizeof fs->reason - 1 - fs->reason_len;
	if (n > room)
		n = room;
	memcpy(fs->reason + fs->reason_len, s, n);
	fs->reason_len += n;
	fs->reason[fs->reason_len] = '\0';
}

/* Reports one problem of an invalid record. */
static void problem(struct file_state *fs, const struct sv_row *row, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct file_state *fs, const struct sv_row *row, const char *fmt, ...)
{
	char text[600];
	va_list ap;
	va_start(ap, fmt);
	int n = sv_diag_vformat(text, sizeof text, fmt, ap);
	va_end(ap);
	size_t len = n < 0 ? strlen(text) : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
	if (!fs->quiet)
		record_message(fs, row->line, text);
	/* appended by hand: formatted once, not twice */
	if (fs->reason_len)
		reason_append(fs, "; ", 2);
	reason_append(fs, text, len);
}

/* A field's value as read: the reader trims unquoted fields, and a quoted
 * one is trimmed here by the reader's rule, so that "NT1 " is NT1
 * whichever way it was written. */
static inline struct sv_field trimmed(const struct sv_row *row, size_t column)
{
	struct sv_field f = row->fields[column];
	/* a byte above ' ' is never trimmed: most fields end there */
	if (f.len && (unsigned char)f.ptr[0] > ' ' && (unsigned char)f.ptr[f.len - 1] > ' ')
		return f;
	return sv_field_trimmed(f, row->delimiter);
}

static bool check_utf8_slowly(struct file_state *fs, const struct sv_row *row, const char *column,
			      const struct sv_field *f)
{
	/* a NUL byte is valid UTF-8 but no text a report can show; refused so
	 * that "x\0y" and "x" never print as the same group */
	if (f->len && memchr(f->ptr, '\0', f->len)) {
		char esc[SV_ESCAPE_MAX];
		sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
		problem(fs, row, "%s: '%s' contains a NUL byte", column, esc);
		return false;
	}
	if (sv_utf8_valid(f->ptr, f->len))
		return true;
	char esc[SV_ESCAPE_MAX];
	sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
	if (sv_utf8_looks_cp1252(f->ptr, f->len))
		problem(fs, row,
			"%s: invalid UTF-8 in '%s' (the file looks like Windows-1252: value it with --encoding windows-1252, or save it as UTF-8)",
			column, esc);
	else
		problem(fs, row, "%s: invalid UTF-8 in '%s'", column, esc);
	return false;
}

/* Text of plain ASCII, what nearly every key is, is told at once. */
static inline bool check_utf8(struct file_state *fs, const struct sv_row *row, const char *column,
			      const struct sv_field *f)
{
	return sv_utf8_plain_ascii(f->ptr, f->len) || check_utf8_slowly(fs, row, column, f);
}

/* A --by column's text, a site's name mostly, is 8 to 32 bytes of ASCII
 * of every length: four words at offsets clamped to its last word tell it
 * without the loop whose count, following the length, was mispredicted
 * from record to record.  Other texts, and any that is not plain, take
 * check_utf8's way (and its messages). */
static inline bool check_key_utf8(struct file_state *fs, const struct sv_row *row, const char *column,
				  const struct sv_field *f)
{
	size_t n = f->len;
	if (n < 8 || n > 32)
		return check_utf8(fs, row, column, f);
	size_t last = n - 8, o1 = sv_word_min(8, last), o2 = sv_word_min(16, last);
	uint64_t bad = sv_utf8_unplain8(sv_load64(f->ptr)) | sv_utf8_unplain8(sv_load64(f->ptr + o1)) |
		       sv_utf8_unplain8(sv_load64(f->ptr + o2)) | sv_utf8_unplain8(sv_load64(f->ptr + last));
	return bad == 0 || check_utf8_slowly(fs, row, column, f);
}

static const struct sv_measure *check_measure(struct file_state *fs, const struct sv_row *row)
{
	const struct sv_field field = trimmed(row, fs->cols.measure), *f = &field;
	const struct sv_proxy_table *t = fs->run->table;
	/* the profile's names as written come first: "Local staff (FTE)".  A
	 * text found equals a UTF-8 name or id but for ASCII case, so it is
	 * UTF-8 without NUL: only a text not found needs the check */
	const struct sv_measure *m = f->len ? sv_profile_measure(fs->profile, f->ptr, f->len) : NULL;
	if (!m && f->len)
		m = row->plain ? sv_proxy_find_padded(t, f->ptr, f->len) : sv_proxy_find(t, f->ptr, f->len);
	if (m)
		return m;
	if (!check_utf8(fs, row, "measure", f))
		return NULL;
	if (f->len == 0) {
		problem(fs, row, "measure: empty");
		return NULL;
	}
	char esc[SV_ESCAPE_MAX];
	sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
	const char *suggest = sv_profile_suggest(fs->profile, f->ptr, f->len);
	if (!suggest)
		suggest = sv_proxy_suggest(t, f->ptr, f->len);
	if (suggest)
		problem(fs, row, "measure: unknown measure '%s' (did you mean '%s'?)", esc, suggest);
	else
		problem(fs, row, "measure: unknown measure '%s'", esc);
	return NULL;
}

static bool check_quantity(struct file_state *fs, const struct sv_row *row, sv_qty *qty)
{
	const struct sv_field field = trimmed(row, fs->cols.quantity), *f = &field;
	/* a quantity that parses is digits, '.', ',' and '£': UTF-8 without
	 * NUL, so only one that does not needs the check, for its message */
	enum sv_qty_error e = sv_qty_parse(f->ptr, f->len, qty);
	if (e == SV_QTY_OK)
		return true;
	if (!check_utf8(fs, row, "quantity", f))
		return false;
	if (f->len == 1 && f->ptr[0] == '-') {
		if (fs->accounting_zero) {
			*qty = 0;
			return true;
		}
		/* Excel's accounting format writes zero as a dash */
		problem(fs, row, "quantity: '-' is not a number (if it is a spreadsheet's accounting zero, a profile with \"accounting_zero\": true reads it as 0)");
		return false;
	}
	if (e == SV_QTY_EMPTY) {
		problem(fs, row, "quantity: empty");
		return false;
	}
	char esc[SV_ESCAPE_MAX];
	sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
	problem(fs, row, "quantity: '%s' %s", esc, sv_qty_strerror(e));
	return false;
}

/* Validates the date; date->ymd is 0 when the record has none.  A date
 * nothing needs is not checked but read if it can be: *unread is set when
 * it cannot, for a warning once the record is known to be valued. */
static bool check_date(struct file_state *fs, const struct sv_row *row, struct sv_date *date, bool *unread)
{
	*date = (struct sv_date){0};
	*unread = false;
	if (fs->cols.date == NO_COLUMN)
		return true;
	const struct sv_field f = trimmed(row, fs->cols.date);
	if (f.len == 0) {
		if (!fs->date_need)
			return true;
		problem(fs, row, "date: empty, but %s needs a date", fs->date_need);
		return false;
	}
	if (!fs->date_need) {
		/* bytes that are not UTF-8 are no date either */
		if (!sv_date_parse_forms(f.ptr, f.len, fs->date_forms, date)) {
			*date = (struct sv_date){0};
			*unread = true;
		}
		return true;
	}
	/* a date that parses is ASCII (month names too): only one that does
	 * not needs the UTF-8 check, for its message */
	if (sv_date_parse_forms(f.ptr, f.len, fs->date_forms, date))
		return true;
	*date = (struct sv_date){0};
	if (!check_utf8(fs, row, "date", &f))
		return false;
	char esc[SV_ESCAPE_MAX], expected[SV_DATE_EXPECTED_MAX];
	sv_utf8_escape(esc, sizeof esc, f.ptr, f.len);
	sv_date_expected(expected, fs->date_forms);
	problem(fs, row, "date: '%s' is not a valid date (expected %s)", esc, expected);
	return false;
}

/* A valued record's date that nothing needed and that is no date: a
 * warning, shown and counted like a record's problem but not a reason to
 * refuse the record (SPEC "Input records"). */
static void date_warning(struct file_state *fs, const struct sv_row *row)
{
	const struct sv_field f = trimmed(row, fs->cols.date);
	char esc[SV_ESCAPE_MAX], expected[SV_DATE_EXPECTED_MAX], text[600];
	sv_utf8_escape(esc, sizeof esc, f.ptr, f.len);
	sv_date_expected(expected, fs->date_forms);
	snprintf(text, sizeof text, "warning: date: '%s' is not a valid date (expected %s); not needed, the record is valued",
		 esc, expected);
	record_message(fs, row->line, text);
}

static bool check_shape(struct file_state *fs, const struct sv_row *row)
{
	if (row->unterminated) {
		problem(fs, row, "a quoted field is not closed before the end of the file");
		return false;
	}
	if (row->bad_closing_quote) {
		char esc[SV_ESCAPE_MAX];
		bad_quote_text(esc, row);
		problem(fs, row, "field %zu: text after a closing quote: %s (a quoted field ends at the delimiter or the line end)",
			row->n_fields, esc);
		return false;
	}
	size_t width = fs->cols.width;
	if (row->n_fields < width) {
		problem(fs, row, "the row has %zu field%s, the header has %zu", row->n_fields,
			row->n_fields == 1 ? "" : "s", width);
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

/* A month counts only if it lies wholly inside --from/--to. */
static bool in_range(const struct sv_options *o, const struct sv_date *d)
{
	return (!o->has_from || d->ymd >= o->from) && (!o->has_to || sv_date_last(d) <= o->to);
}

/* Out of line: inline, the compiler computes the months of every record's
 * date ahead of the keys' loop, on the plain path too, which has no
 * period key. */
__attribute__((noinline)) static int64_t period_key(enum sv_key_kind kind, int32_t ymd)
{
	return sv_period_of(sv_key_period(kind), ymd);
}

static void key_values(const struct file_state *fs, const struct sv_row *row, const struct sv_measure *m,
		       int32_t ymd, struct sv_key_value *kv)
{
	const struct sv_options *o = fs->run->options;
	for (size_t k = 0; k < o->n_keys; k++) {
		enum sv_key_kind kind = o->keys[k].kind;
		kv[k].str = NULL;
		kv[k].len = 0;
		/* the two kinds of a site-and-quarter grouping by plain branches:
		 * the switch's one jump, to each in turn, was mispredicted */
		if (kind == SV_KEY_COLUMN && !fs->cols.by_constant[k]) {
			kv[k].num = 0;
			kv[k].str = row->fields[fs->cols.by[k]].ptr;
			kv[k].len = row->fields[fs->cols.by[k]].len;
			continue;
		}
		if (sv_key_is_period(kind)) {
			kv[k].num = period_key(kind, ymd);
			continue;
		}
		switch (kind) {
		case SV_KEY_THEME: kv[k].num = (int64_t)m->theme; break;
		case SV_KEY_MEASURE: kv[k].num = (int64_t)m->index; break;
		case SV_KEY_VALUE_TYPE: kv[k].num = m->value_type; break;
		case SV_KEY_COLUMN: /* a profile's constant: a column's text is above */
			kv[k].num = 0;
			kv[k].str = fs->cols.by_constant[k];
			kv[k].len = strlen(fs->cols.by_constant[k]);
			break;
		case SV_KEY_FILE:
			kv[k].num = 0;
			kv[k].str = fs->summary->info.name;
			kv[k].len = strlen(fs->summary->info.name);
			break;
		default: break; /* the periods: above */
		}
	}
}

static void emit_outcome(struct file_state *fs, struct sv_outcome *out)
{
	const struct sv_run_hooks *h = fs->run->hooks;
	out->file = fs->summary->info.name;
	if (fs->held) {
		/* a chunk on a worker thread: held for the merge (hooks that
		 * want every outcome never read in chunks) */
		if (out->status == SV_OUT_INVALID)
			sv_hookbuf_outcome(fs->held, out);
		return;
	}
	if (fs->line_base == 0) {
		h->outcome(h->ctx, out);
		return;
	}
	/* a chunk read again here, straight into the run: its lines count
	 * from the chunk's start, as in messages */
	struct sv_row row = *out->row;
	row.line += fs->line_base;
	out->row = &row;
	h->outcome(h->ctx, out);
}

/* To the hooks, if they want it: hooks that want invalid records only
 * are not called for the valid ones, which cost every record of a
 * --rejects run a call (1% of its instructions) when they were. */
static inline void emit(struct file_state *fs, struct sv_outcome *out)
{
	const struct sv_run_hooks *h = fs->run->hooks;
	if (h && h->outcome && (out->status == SV_OUT_INVALID || !h->invalid_only))
		emit_outcome(fs, out);
}

/* The record's unit as a fraction of its measure's own: an empty unit
 * cell, or no unit column, is the measure's unit. */
static bool check_unit(struct file_state *fs, const struct sv_row *row, const struct sv_measure *m, int64_t *num,
		       int64_t *den, const char **name)
{
	*num = *den = 1;
	*name = m ? m->unit : NULL;
	if (fs->cols.unit == NO_COLUMN || !m)
		return true;
	const struct sv_field f = trimmed(row, fs->cols.unit);
	if (f.len == 0)
		return true;
	*name = NULL;
	if (!check_utf8(fs, row, "unit", &f))
		return false;
	if (sv_measure_unit(m, f.ptr, f.len, num, den, name))
		return true;
	char esc[SV_ESCAPE_MAX], known[256];
	sv_utf8_escape(esc, sizeof esc, f.ptr, f.len);
	sv_measure_units_text(m, known, sizeof known);
	problem(fs, row, "unit: '%s' is not a unit of measure '%s' (%s); known: %s", esc, m->id, m->unit, known);
	return false;
}

/* The arithmetic holds 1.7 x 10^19 pounds, divided by the table's unit
 * denominator when it converts units (see sv_money.h). */
static void overflow_message(struct file_state *fs, const struct sv_row *row, const char *what)
{
	char text[200];
	int64_t lcm = fs->run->table->unit_lcm;
	if (lcm == 1)
		snprintf(text, sizeof text, "quantity: %s overflows the exact arithmetic (more than 10^19 pounds)", what);
	else
		snprintf(text, sizeof text,
			 "quantity: %s overflows the exact arithmetic (more than 10^19 pounds / %lld, the proxy table's unit denominator)",
			 what, (long long)lcm);
	record_message(fs, row->line, text);
}

/* Field by field: an initializer would clear the whole struct with a
 * string instruction for every record, which showed in the profile. */
static inline void outcome_start(struct sv_outcome *out, const struct sv_row *row)
{
	out->file = NULL;
	out->row = row;
	out->status = SV_OUT_INVALID;
	out->measure_text = NULL;
	out->measure = NULL;
	out->has_quantity = false;
	out->unit = NULL;
	out->quantity = 0;
	out->value = 0;
	out->keys = NULL;
	out->reason = NULL;
	out->reason_len = 0;
}

static enum sv_status on_record(void *ctx, const struct sv_row *row)
{
	struct file_state *fs = ctx;
	struct tally *t = fs->tally;
	const struct sv_options *o = fs->run->options;
	t->read++;
	/* only the main thread reports progress: chunks have message buffers */
	if (!fs->msgs && fs->run->progress && fs->reader && (t->read & 0xFFFF) == 0) {
		fs->run->progress_records = fs->run->counts.read + t->read;
		fs->run->progress_bytes = fs->progress_base + sv_reader_position(fs->reader);
		progress(fs->run);
	}
	fs->reason_len = 0;
	fs->reason[0] = '\0';

	struct sv_outcome out;
	outcome_start(&out, row);
	/* a totals row is ignored before it is validated: its quantity is no
	 * record's */
	if (ignored(fs, row)) {
		t->ignored++;
		out.status = SV_OUT_IGNORED;
		if (fs->cols.measure < row->n_fields)
			out.measure_text = &row->fields[fs->cols.measure];
		emit(fs, &out);
		return SV_OK;
	}
	bool valid = check_shape(fs, row);
	const struct sv_measure *m = NULL;
	sv_qty qty = 0;
	struct sv_date date = {0};
	bool date_unread = false;
	int64_t unit_num = 1, unit_den = 1;
	if (valid) {
		out.measure_text = &row->fields[fs->cols.measure];
		m = check_measure(fs, row);
		out.has_quantity = check_quantity(fs, row, &qty);
		valid = out.has_quantity && m;
		valid = check_unit(fs, row, m, &unit_num, &unit_den, &out.unit) && valid;
		valid = check_date(fs, row, &date, &date_unread) && valid;
		for (size_t k = 0; k < o->n_keys; k++)
			if (fs->cols.by[k] != NO_COLUMN)
				valid = check_key_utf8(fs, row, o->keys[k].column, &row->fields[fs->cols.by[k]]) && valid;
	}
	out.measure = m;
	out.quantity = qty;
	if (!valid) {
		t->invalid++;
		out.status = SV_OUT_INVALID;
		out.reason = fs->reason;
		out.reason_len = fs->reason_len;
		emit(fs, &out);
		return SV_OK;
	}
	if (date_unread)
		date_warning(fs, row);
	struct sv_key_value kv[SV_MAX_KEYS];
	key_values(fs, row, m, date.ymd, kv);
	out.keys = kv;
	if ((o->has_from || o->has_to) && !in_range(o, &date)) {
		t->filtered++;
		out.status = SV_OUT_FILTERED;
		emit(fs, &out);
		return SV_OK;
	}
	sv_amount value = 0;
	if (!m->record_only &&
	    !sv_amount_mul_unit(qty, m->value, unit_num, unit_den, fs->run->table->unit_lcm, &value)) {
		overflow_message(fs, row, "the record's value");
		return SV_EDATA;
	}
	if (!sv_amount_add(&t->total, value)) {
		overflow_message(fs, row, "the total");
		return SV_EDATA;
	}
	if (t->groups) {
		enum sv_status st = sv_groups_add_measure(t->groups, kv, m->index, !m->record_only, value);
		if (st != SV_OK)
			return st;
	}
	t->valued++;
	out.status = m->record_only ? SV_OUT_RECORD_ONLY : SV_OUT_VALUED;
	out.value = value;
	emit(fs, &out);
	return SV_OK;
}

/* ---- progress ------------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* After SV_CALC_PROGRESS_DELAY milliseconds (default 1000) of work, and at
 * most every quarter second, rewrites one line on stderr: bytes and
 * records read, the rate, and the time left when the size is known. */
static void progress(struct sv_run *run)
{
	if (!run->progress)
		return;
	double t = now();
	const char *env = getenv("SV_CALC_PROGRESS_DELAY");
	double delay = env ? atof(env) / 1000.0 : 1.0;
	if (t - run->progress_start < delay || t - run->progress_last < 0.25)
		return;
	run->progress_last = t;
	run->progress_shown = true;
	double elapsed = t - run->progress_start, mb = (double)run->progress_bytes / 1e6;
	double rate = elapsed > 0 ? mb / elapsed : 0;
	FILE *out = sv_diag_stream();
	fprintf(out, "\r\033[K" SV_PROGRAM ": %.0f MB", mb);
	if (run->progress_total_bytes)
		fprintf(out, " of %.0f MB", (double)run->progress_total_bytes / 1e6);
	fprintf(out, ", %llu records, %.0f MB/s", (unsigned long long)run->progress_records, rate);
	if (run->progress_total_bytes && rate > 0 && run->progress_total_bytes > run->progress_bytes)
		fprintf(out, ", %.0f s left", (double)(run->progress_total_bytes - run->progress_bytes) / 1e6 / rate);
	fflush(out);
}

static void progress_clear(struct sv_run *run)
{
	if (run->progress_shown) {
		fputs("\r\033[K", sv_diag_stream());
		run->progress_shown = false;
	}
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

/* What this file is read with: its profile's settings where it gives
 * them, else the run's (-d, --encoding, --map). */
static void file_settings(struct file_state *fs, const struct sv_options *o, size_t index)
{
	const struct sv_input_settings *set = o->settings ? &o->settings[index] : NULL;
	const struct sv_profile *p = set ? set->profile : NULL;
	fs->settings = set;
	fs->profile = p;
	const char *const run_map[SV_PF_COUNT] = {o->map_measure, o->map_quantity, o->map_date, o->map_unit};
	for (size_t i = 0; i < SV_PF_COUNT; i++) {
		fs->map_by_profile[i] = p && p->columns[i];
		fs->map[i] = fs->map_by_profile[i] ? p->columns[i] : run_map[i];
	}
	fs->delimiter = p && p->delimiter ? p->delimiter : o->delimiter;
	fs->cp1252 = p && p->encoding != SV_ENC_UNSET ? p->encoding == SV_ENC_CP1252 : o->cp1252;
	fs->date_forms = p ? p->date_forms : 0;
	fs->accounting_zero = p && p->accounting_zero;
}

/* ---- adding up ---------------------------------------------------------- */

/* Adds a file's or chunk's tally to the run.  SV_EDATA when the run's total
 * would overflow (nothing is added). */
static enum sv_status add_tally(struct sv_run *run, struct sv_file_summary *s, const struct tally *t,
				bool groups_too)
{
	sv_amount total = run->total;
	if (!sv_amount_add(&total, t->total))
		return SV_EDATA;
	if (groups_too && run->groups && t->groups) {
		enum sv_status st = sv_groups_absorb(run->groups, t->groups);
		if (st != SV_OK)
			return st;
	}
	run->total = total;
	run->counts.read += t->read;
	run->counts.valued += t->valued;
	run->counts.invalid += t->invalid;
	run->counts.filtered += t->filtered;
	run->counts.ignored += t->ignored;
	run->total_records += t->valued;
	s->read += t->read;
	s->invalid += t->invalid;
	s->filtered += t->filtered;
	s->ignored += t->ignored;
	return SV_OK;
}

/* Records go straight into the run from here on: its groups, and a total
 * that starts from the run's. */
static void direct_begin(struct file_state *fs)
{
	fs->direct = (struct tally){.groups = fs->run->groups, .total = fs->run->total};
	fs->tally = &fs->direct;
	fs->msgs = NULL;
}

/* Counts what was read since direct_begin into the run. */
static enum sv_status direct_end(struct file_state *fs)
{
	fs->run->total = 0;
	struct tally counted = fs->direct;
	counted.groups = NULL;
	return add_tally(fs->run, fs->summary, &counted, false);
}

/* Reads a file from where f stands to its end on this thread, totalling
 * into the run directly so that an overflow names its record. */
static enum sv_status read_tail(struct file_state *fs, struct sv_reader *reader, FILE *f, bool whole_file)
{
	static const struct sv_reader_callbacks cb = {on_header, on_record};
	direct_begin(fs);
	fs->reader = reader;
	enum sv_status st;
	if (whole_file)
		st = sv_reader_read(reader, f, fs->summary->info.name, fs->delimiter, &cb, fs);
	else {
		sv_reader_open_records(reader, f, fs->summary->info.name, fs->summary->delimiter, &cb, fs);
		sv_reader_parse_to(reader, f, 0, false);
		st = sv_reader_close(reader);
	}
	fs->summary->delimiter = sv_reader_delimiter(reader);
	enum sv_status add = direct_end(fs);
	return st != SV_OK ? st : add;
}

/* ---- several threads ----------------------------------------------------- */

/* A chunk's records: its own tally, groups, held messages and held hook
 * events. */
struct chunk_acc {
	struct file_state fs; /* first: the reader callbacks' ctx */
	struct tally tally;
	struct msgbuf msgs;
	struct sv_hookbuf held;
};

/* Hook events a chunk keeps in memory before the rest go to a temporary
 * file: half a chunk's bytes, so that the chunks read ahead hold a few
 * chunks' worth at most, whatever share of their records is invalid (a
 * row of one byte may be held as a hundred). */
#define HELD_IN_MEMORY ((size_t)(SV_CHUNK_BYTES / 2))

/* The engine as the chunk module's client, for one file. */
struct parallel {
	struct file_state *fs;   /* the run's own: direct reads */
	struct file_state model; /* what each chunk starts from; the header's columns once read */
	struct sv_hookbuf_pool held_memory; /* the chunks' held events' */
};

/* A chunk's groups keep what the run's keep. */
static struct sv_groups *new_chunk_groups(const struct sv_run *run)
{
	struct sv_groups *g = sv_groups_new(run->options->keys, run->options->n_keys);
	if (g)
		sv_groups_track_measures(g, sv_groups_tracked_measures(run->groups));
	return g;
}

static void chunk_close(void *ctx, void *acc)
{
	(void)ctx;
	struct chunk_acc *a = acc;
	sv_groups_free(a->tally.groups);
	free(a->msgs.data);
	sv_hookbuf_free(&a->held);
	free(a);
}

static void *chunk_open(void *ctx)
{
	struct parallel *par = ctx;
	struct chunk_acc *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->fs = par->model;
	a->fs.tally = &a->tally;
	a->fs.msgs = &a->msgs;
	a->msgs.keep = par->model.run->options->max_errors;
	sv_hookbuf_init(&a->held, HELD_IN_MEMORY, &par->held_memory);
	a->fs.held = par->model.run->hooks ? &a->held : NULL;
	a->tally.groups = par->model.run->groups ? new_chunk_groups(par->model.run) : NULL;
	if (par->model.run->groups && !a->tally.groups) {
		chunk_close(ctx, a);
		return NULL;
	}
	return a;
}

static enum sv_status chunk_status(void *ctx, void *acc)
{
	(void)ctx;
	return ((struct chunk_acc *)acc)->msgs.oom ? SV_ESOFTWARE : SV_OK;
}

static bool chunk_header(void *ctx, void *first, int delimiter)
{
	struct parallel *par = ctx;
	const struct chunk_acc *a = first;
	par->model.cols = a->fs.cols;
	par->fs->cols = a->fs.cols;
	par->fs->summary->delimiter = delimiter;
	return par->fs->summary->header_ok;
}

/* A chunk whose hook events could not all be held is read again, with the
 * hooks called at once. */
static bool chunk_fits(void *ctx, void *acc)
{
	const struct parallel *par = ctx;
	const struct chunk_acc *a = acc;
	sv_amount total = par->fs->run->total;
	return !sv_hookbuf_failed(&a->held) && sv_amount_add(&total, a->tally.total);
}

static enum sv_status chunk_merge(void *ctx, void *acc, unsigned long line_offset)
{
	const struct parallel *par = ctx;
	struct chunk_acc *a = acc;
	struct sv_run *run = par->fs->run;
	msg_flush(run, &a->msgs, par->fs->summary->info.name, line_offset);
	if (a->fs.held && !sv_hookbuf_replay(&a->held, run->hooks, line_offset)) {
		sv_diag("%s: cannot read back the invalid records held for a chunk: %s", par->fs->summary->info.name,
			strerror(errno ? errno : EIO));
		return SV_EIO;
	}
	return add_tally(run, par->fs->summary, &a->tally, true);
}

static void *chunk_direct(void *ctx, unsigned long line_offset)
{
	const struct parallel *par = ctx;
	direct_begin(par->fs);
	par->fs->line_base = line_offset;
	return par->fs;
}

static enum sv_status chunk_direct_end(void *ctx)
{
	const struct parallel *par = ctx;
	return direct_end(par->fs);
}

static enum sv_status chunk_read_alone(void *ctx, struct sv_reader *r, FILE *f, bool whole_file,
				       unsigned long line_offset)
{
	const struct parallel *par = ctx;
	par->fs->line_base = line_offset;
	return read_tail(par->fs, r, f, whole_file);
}

static void chunk_progress(void *ctx, uint64_t bytes)
{
	const struct parallel *par = ctx;
	struct sv_run *run = par->fs->run;
	run->progress_records = run->counts.read;
	run->progress_bytes = par->fs->progress_base + bytes;
	progress(run);
}

static long jobs_for(const struct sv_run *run)
{
	if (run->jobs > 0)
		return run->jobs;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus > 0 ? cpus : 1;
}

/* Reads a large regular file in chunks on several threads (sv_chunks.h). */
static enum sv_status read_parallel(struct sv_run *run, struct file_state *fs, struct sv_reader *reader, FILE *f,
				    const char *path, uint64_t size)
{
	static const struct sv_chunk_client client_model = {
		.cb = {on_header, on_record},
		.open = chunk_open,
		.status = chunk_status,
		.header = chunk_header,
		.fits = chunk_fits,
		.merge = chunk_merge,
		.close = chunk_close,
		.direct = chunk_direct,
		.direct_end = chunk_direct_end,
		.read_alone = chunk_read_alone,
		.progress = chunk_progress,
	};
	struct parallel par = {.fs = fs, .model = *fs};
	struct sv_chunk_client client = client_model;
	client.ctx = &par;
	/* the file's digest is computed alongside, whichever way it is read */
	struct sv_sha256 digest;
	sv_sha256_init(&digest);
	struct sv_chunk_plan plan = {.path = path, .name = fs->summary->info.name, .size = size,
				     .chunk_bytes = SV_CHUNK_BYTES, .jobs = jobs_for(run),
				     .delimiter = fs->delimiter,
				     .digest = run->digest_inputs ? &digest : NULL};
	sv_hookbuf_pool_init(&par.held_memory);
	enum sv_status st = sv_chunks_read(&plan, &client, reader, f);
	sv_hookbuf_pool_free(&par.held_memory);
	if (run->digest_inputs) {
		fs->summary->info.bytes = digest.length;
		sv_sha256_hex(&digest, fs->summary->info.sha256);
	}
	return st;
}

/* ---- files ------------------------------------------------------------- */

/* A regular file that is not the size it was when opened was written to
 * (or cut short) while it was read. */
static bool changed_while_read(FILE *f, uint64_t size_at_open)
{
	struct stat sb;
	return fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size != size_at_open;
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
	enum sv_status status = SV_OK;
	run->progress = !o->quiet && isatty(fileno(sv_diag_stream()));
	run->progress_start = now();
	run->progress_last = run->progress_start - 1;
	run->progress_total_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 && S_ISREG(sb.st_mode))
			run->progress_total_bytes += (uint64_t)sb.st_size;
	}
	uint64_t bytes_before = 0;
	for (size_t i = 0; i < n; i++) {
		struct sv_file_summary *s = &run->files[i];
		s->info.name = strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i];
		enum sv_status st = SV_OK;
		uint64_t size = 0;
		FILE *f = sv_open_input(paths[i], s->info.name, &st, &size);
		if (f) {
			s->opened = true;
			struct file_state fs = {.run = run, .summary = s, .date_need = date_need(o),
						.quiet = run->hooks && run->hooks->quiet_invalid,
						.progress_base = bytes_before};
			file_settings(&fs, o, i);
			run->counts.with_ignored = run->counts.with_ignored || fs.profile;
			bytes_before += size;
			sv_reader_set_cp1252(reader, fs.cp1252);
			sv_reader_set_skip_lines(reader, fs.profile ? fs.profile->skip_lines : 0);
			/* chunk offsets count bytes as read, so a converted file is
			 * read on one thread.  A profile's skipped lines are read by
			 * the first chunk, as part of the header's; its ignore rules,
			 * constants and measure names are the same for every chunk.
			 * Hooks that take every outcome (trace) would have every
			 * record held: one thread. */
			bool parallel = f != stdin && (!run->hooks || run->hooks->invalid_only) && !fs.cp1252 &&
					size >= 2 * SV_CHUNK_BYTES && jobs_for(run) > 1;
			if (parallel)
				st = read_parallel(run, &fs, reader, f, paths[i], size);
			else {
				struct sv_sha256 digest;
				sv_sha256_init(&digest);
				/* a piped standard input can be compared with the other
				 * inputs only by what it held */
				bool stdin_compared = f == stdin && sv_files_stdin_needs_digest(o);
				bool digested = run->digest_inputs || stdin_compared;
				sv_reader_set_digest(reader, digested ? &digest : NULL);
				st = read_tail(&fs, reader, f, true);
				sv_reader_set_digest(reader, NULL);
				s->info.bytes = digest.length;
				if (digested)
					sv_sha256_hex(&digest, s->info.sha256);
				if (stdin_compared && st != SV_EIO)
					st = sv_status_worst(st, sv_files_check_stdin(o, s->info.bytes, s->info.sha256));
			}
			if (f != stdin && st != SV_ESOFTWARE && changed_while_read(f, size)) {
				sv_diag("%s: the file changed while it was read; its figures would not be its own",
					s->info.name);
				st = sv_status_worst(st, SV_EIO);
			}
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
	progress_clear(run);
	if (run->messages_hidden)
		sv_diag("%llu more problem%s not shown (--max-errors 0 shows all; --rejects FILE lists every invalid record)",
			(unsigned long long)run->messages_hidden, run->messages_hidden == 1 ? "" : "s");
	run->status = status;
	return status;
}
void sv_run_release(struct sv_run *run)
{
	free(run->files);
	run->files = NULL;
	run->n_files = 0;
}
