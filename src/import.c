/*
 * import.c - a proxy table kept in a spreadsheet, exported as CSV, to JSON.
 *
 * One row per measure: id, theme, name, unit, value, value_type, aliases
 * (separated by '|'), source, and optionally theme_name, licence,
 * derivation, price_year and the net-value fields deadweight, attribution,
 * displacement, drop_off, duration_years: the columns "proxies -f csv"
 * writes.  Each row is checked as it is read, with
 * FILE:LINE messages; the JSON written is then loaded by the same code as
 * any table, so an imported table passes every rule or is not printed.
 */
#include "sv_commands.h"
#include "sv_diag.h"
#include "sv_format.h"
#include "sv_money.h"
#include "sv_reader.h"
#include "sv_utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum column {
	COL_ID, COL_THEME, COL_NAME, COL_UNIT, COL_VALUE, COL_VALUE_TYPE, COL_ALIASES, COL_SOURCE,
	COL_THEME_NAME, COL_LICENCE, COL_DERIVATION, COL_PRICE_YEAR, COL_DEADWEIGHT, COL_ATTRIBUTION,
	COL_DISPLACEMENT, COL_DROP_OFF, COL_DURATION, COL_UNITS, N_COLUMNS
};

#define N_REQUIRED (COL_SOURCE + 1)

static const char *const column_names[N_COLUMNS] = {
	"id", "theme", "name", "unit", "value", "value_type", "aliases", "source",
	"theme_name", "licence", "derivation", "price_year", "deadweight", "attribution", "displacement",
	"drop_off", "duration_years", "units"};

struct measure_row {
	char *cell[N_COLUMNS];
	unsigned long line;
};

struct import {
	const char *file;
	size_t column[N_COLUMNS]; /* position in the CSV, or SIZE_MAX */
	struct measure_row *rows;
	size_t n_rows, cap_rows;
	size_t width; /* header fields, trailing empty names left out */
	int errors;
	bool oom;
};

static enum sv_status on_header(void *ctx, const struct sv_row *row)
{
	struct import *im = ctx;
	if (row->bad_closing_quote) {
		sv_diag_at(im->file, row->line, "header: field %zu: text after a closing quote", row->n_fields);
		return SV_EDATA;
	}
	im->width = row->n_fields;
	while (im->width && row->fields[im->width - 1].len == 0)
		im->width--;
	for (size_t c = 0; c < N_COLUMNS; c++) {
		im->column[c] = SIZE_MAX;
		for (size_t i = 0; i < row->n_fields; i++) {
			char *name = sv_field_dup_trimmed(&row->fields[i]);
			bool match = name && strcasecmp(name, column_names[c]) == 0;
			free(name);
			if (match && im->column[c] == SIZE_MAX)
				im->column[c] = i;
		}
		if (c < N_REQUIRED && im->column[c] == SIZE_MAX) {
			sv_diag_at(im->file, row->line, "missing required column '%s'", column_names[c]);
			im->errors++;
		}
	}
	return im->errors ? SV_EDATA : SV_OK;
}

static void row_error(struct import *im, unsigned long line, const char *column, const char *what)
{
	sv_diag_at(im->file, line, "%s: %s", column, what);
	im->errors++;
}

/* A value as a spreadsheet shows it: "£41,250.75" is 41250.75.  The
 * quantity grammar reads it, with a value's 4 decimals; the table's limit
 * bounds it. */
static bool import_value(const char *v, int64_t *dec4)
{
	sv_qty q;
	if (sv_grouped_decimal_parse(v, strlen(v), 4, &q) != SV_QTY_OK || q > SV_VALUE_MAX)
		return false;
	*dec4 = (int64_t)q;
	return true;
}

/* Checks one row's cells; the table-wide rules are checked later. */
static void check_row(struct import *im, const struct measure_row *r)
{
	static const enum column required[] = {COL_ID, COL_THEME, COL_NAME, COL_UNIT, COL_VALUE_TYPE};
	for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
		if (!r->cell[required[k]][0])
			row_error(im, r->line, column_names[required[k]], "empty");
	for (size_t c = 0; c < N_COLUMNS; c++) {
		if (r->cell[c] && !sv_utf8_valid(r->cell[c], strlen(r->cell[c])))
			row_error(im, r->line, column_names[c], "invalid UTF-8");
	}
	const char *v = r->cell[COL_VALUE];
	int64_t dec4;
	if (v[0] && !import_value(v, &dec4)) {
		char msg[SV_ESCAPE_MAX + 96], esc[SV_ESCAPE_MAX];
		snprintf(msg, sizeof msg,
			 "'%s' is not a decimal from 0 to 1000000000 with at most 4 decimal places (leave it empty for a record-only measure)",
			 sv_utf8_escape(esc, sizeof esc, v, strlen(v)));
		row_error(im, r->line, "value", msg);
	}
	const char *vt = r->cell[COL_VALUE_TYPE];
	if (vt[0] && strcasecmp(vt, "LEV") != 0 && strcasecmp(vt, "savings") != 0 && strcasecmp(vt, "social") != 0) {
		char msg[SV_ESCAPE_MAX + 64], esc[SV_ESCAPE_MAX];
		snprintf(msg, sizeof msg, "'%s' must be LEV, savings or social",
			 sv_utf8_escape(esc, sizeof esc, vt, strlen(vt)));
		row_error(im, r->line, "value_type", msg);
	}
	const char *py = r->cell[COL_PRICE_YEAR];
	struct sv_price_year year;
	if (py && py[0] && !sv_price_year_parse(py, strlen(py), false, &year))
		row_error(im, r->line, "price_year", "must be a financial year (2024/25) or a calendar year (2022)");
	const char *dy = r->cell[COL_DURATION];
	if (dy && dy[0] && (strlen(dy) > 2 || strspn(dy, "0123456789") != strlen(dy)))
		row_error(im, r->line, "duration_years", "must be a whole number of years from 1 to 50");
}

/* The listing's csv guards a cell a spreadsheet would run as a formula
 * with a leading apostrophe; reading it back drops exactly that, so a
 * guarded listing imports to the text it guards. */
static void unguard(char *cell)
{
	if (cell[0] == '\'' && cell[1] && strchr("=+-@\t\r", cell[1]))
		memmove(cell, cell + 1, strlen(cell));
}

static enum sv_status on_record(void *ctx, const struct sv_row *row)
{
	struct import *im = ctx;
	size_t width = im->width;
	bool extra = false;
	for (size_t i = width; i < row->n_fields; i++)
		extra = extra || row->fields[i].len;
	if (row->n_fields < width || extra || row->unterminated || row->bad_closing_quote) {
		if (row->unterminated)
			sv_diag_at(im->file, row->line, "a quoted field is not closed before the end of the file");
		else if (row->bad_closing_quote)
			sv_diag_at(im->file, row->line, "field %zu: text after a closing quote", row->n_fields);
		else
			sv_diag_at(im->file, row->line, "the row has %zu field%s, the header has %zu", row->n_fields,
				   row->n_fields == 1 ? "" : "s", width);
		im->errors++;
		return SV_OK;
	}
	if (im->n_rows == im->cap_rows) {
		size_t cap = im->cap_rows ? im->cap_rows * 2 : 32;
		struct measure_row *grown = realloc(im->rows, cap * sizeof *grown);
		if (!grown) {
			im->oom = true;
			return SV_ESOFTWARE;
		}
		im->rows = grown;
		im->cap_rows = cap;
	}
	struct measure_row *r = &im->rows[im->n_rows++];
	memset(r, 0, sizeof *r);
	r->line = row->line;
	for (size_t c = 0; c < N_COLUMNS; c++) {
		size_t i = im->column[c];
		static const struct sv_field empty = {"", 0};
		const struct sv_field *f = i < row->n_fields ? &row->fields[i] : &empty;
		if (i == SIZE_MAX && c >= N_REQUIRED)
			continue;
		r->cell[c] = sv_field_dup_trimmed(f);
		if (!r->cell[c]) {
			im->oom = true;
			return SV_ESOFTWARE;
		}
		unguard(r->cell[c]);
	}
	check_row(im, r);
	return SV_OK;
}

/* ---- JSON -------------------------------------------------------------- */

static void json_field(FILE *out, const char *key, const char *value)
{
	fprintf(out, ", \"%s\": ", key);
	sv_write_json_string(out, value, strlen(value));
}

static void write_themes(FILE *out, const struct import *im)
{
	fputs("  \"themes\": [", out);
	size_t written = 0;
	for (size_t i = 0; i < im->n_rows; i++) {
		const char *id = im->rows[i].cell[COL_THEME];
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcasecmp(im->rows[k].cell[COL_THEME], id) == 0;
		if (seen)
			continue;
		/* the first theme_name given for this theme names it */
		const char *name = id;
		for (size_t k = i; k < im->n_rows; k++) {
			const char *tn = im->rows[k].cell[COL_THEME_NAME];
			if (tn && tn[0] && strcasecmp(im->rows[k].cell[COL_THEME], id) == 0) {
				name = tn;
				break;
			}
		}
		fputs(written++ ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
		sv_write_json_string(out, id, strlen(id));
		json_field(out, "name", name);
		fputc('}', out);
	}
	fputs("\n  ],\n", out);
}

static void write_aliases(FILE *out, const char *aliases)
{
	fputs(", \"aliases\": [", out);
	size_t written = 0;
	for (const char *p = aliases; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		const char *s = p;
		size_t len = n;
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len) {
			fputs(written++ ? ", " : "", out);
			sv_write_json_string(out, s, len);
		}
		p += n;
		if (*p == '|')
			p++;
	}
	fputc(']', out);
}

/* "FTE-month=1/12|FTE-week=1/52" as {"FTE-month": "1/12", ...}; the
 * loader checks each name and fraction, naming the measure. */
static void write_units(FILE *out, const char *cell)
{
	if (!cell || !cell[0])
		return;
	fputs(", \"units\": {", out);
	const char *p = cell;
	bool first = true;
	while (*p) {
		size_t n = strcspn(p, "|");
		const char *eq = memchr(p, '=', n);
		size_t name_len = eq ? (size_t)(eq - p) : n;
		fputs(first ? "" : ", ", out);
		sv_write_json_string(out, p, name_len);
		fputs(": ", out);
		if (eq)
			sv_write_json_string(out, eq + 1, n - name_len - 1);
		else
			fputs("\"\"", out);
		first = false;
		p += n;
		if (*p == '|')
			p++;
	}
	fputc('}', out);
}

static void write_measure(FILE *out, const struct measure_row *r, bool first)
{
	fputs(first ? "\n    {\"id\": " : ",\n    {\"id\": ", out);
	sv_write_json_string(out, r->cell[COL_ID], strlen(r->cell[COL_ID]));
	json_field(out, "theme", r->cell[COL_THEME]);
	json_field(out, "name", r->cell[COL_NAME]);
	json_field(out, "unit", r->cell[COL_UNIT]);
	const char *v = r->cell[COL_VALUE];
	int64_t dec4;
	if (v[0] && import_value(v, &dec4)) {
		char buf[SV_MONEY_TEXT_MAX];
		sv_format_dec4_min(buf, dec4);
		fprintf(out, ", \"value\": %s", buf);
	} else
		fputs(", \"value\": null", out);
	json_field(out, "value_type", r->cell[COL_VALUE_TYPE]);
	write_aliases(out, r->cell[COL_ALIASES]);
	json_field(out, "source", r->cell[COL_SOURCE]);
	if (r->cell[COL_LICENCE] && r->cell[COL_LICENCE][0])
		json_field(out, "licence", r->cell[COL_LICENCE]);
	if (r->cell[COL_DERIVATION] && r->cell[COL_DERIVATION][0])
		json_field(out, "derivation", r->cell[COL_DERIVATION]);
	/* a financial year as a string, a calendar year as a number */
	const char *py = r->cell[COL_PRICE_YEAR];
	if (py && py[0])
		fprintf(out, strlen(py) == 4 ? ", \"price_year\": %s" : ", \"price_year\": \"%s\"", py);
	/* as decimal strings: the loader checks each one's range and places */
	for (enum column c = COL_DEADWEIGHT; c <= COL_DROP_OFF; c++)
		if (r->cell[c] && r->cell[c][0])
			json_field(out, column_names[c], r->cell[c]);
	if (r->cell[COL_DURATION] && r->cell[COL_DURATION][0])
		fprintf(out, ", \"duration_years\": %s", r->cell[COL_DURATION]);
	write_units(out, r->cell[COL_UNITS]);
	fputc('}', out);
}

static void write_table(FILE *out, const struct import *im, const char *name, const char *version)
{
	fputs("{\n  \"name\": ", out);
	sv_write_json_string(out, name, strlen(name));
	fputs(",\n  \"version\": ", out);
	sv_write_json_string(out, version, strlen(version));
	fputs(",\n  \"currency\": \"GBP\",\n", out);
	fputs("  \"source\": ", out);
	char source[512];
	snprintf(source, sizeof source, "imported by sv-calc from %s", im->file);
	sv_write_json_string(out, source, strlen(source));
	fputs(",\n", out);
	write_themes(out, im);
	fputs("  \"measures\": [", out);
	for (size_t i = 0; i < im->n_rows; i++)
		write_measure(out, &im->rows[i], i == 0);
	fputs("\n  ]\n}\n", out);
}

/* ---- the table-wide rules, with the lines of both rows ----------------- */

/* The i-th key of a row: 0 its id, then its aliases (split on '|', trimmed).
 * Returns false past the last. */
static bool row_key(const struct measure_row *r, size_t i, const char **s, size_t *n)
{
	if (i == 0) {
		*s = r->cell[COL_ID];
		*n = strlen(*s);
		return true;
	}
	const char *p = r->cell[COL_ALIASES];
	for (size_t k = 1; *p || k == 1;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		const char *a = p;
		size_t m = len;
		while (m && (*a == ' ' || *a == '\t')) {
			a++;
			m--;
		}
		while (m && (a[m - 1] == ' ' || a[m - 1] == '\t'))
			m--;
		if (m) {
			if (k == i) {
				*s = a;
				*n = m;
				return true;
			}
			k++;
		}
		if (!bar)
			break;
		p = bar + 1;
	}
	return false;
}

/* Ids and aliases are unique together, case-insensitively: each clash is
 * reported at the line of the later row, naming the earlier one. */
static void check_unique(struct import *im)
{
	for (size_t i = 0; i < im->n_rows; i++) {
		const struct measure_row *r = &im->rows[i];
		const char *a;
		size_t an;
		for (size_t ka = 0; row_key(r, ka, &a, &an); ka++) {
			bool reported = false;
			for (size_t j = 0; j <= i && !reported; j++) {
				const struct measure_row *q = &im->rows[j];
				const char *b;
				size_t bn;
				for (size_t kb = 0; row_key(q, kb, &b, &bn) && !reported; kb++) {
					if (j == i && kb >= ka)
						break;
					if (an != bn || strncasecmp(a, b, an) != 0)
						continue;
					char msg[SV_ESCAPE_MAX * 2 + 128], ea[SV_ESCAPE_MAX], eb[SV_ESCAPE_MAX];
					sv_utf8_escape(ea, sizeof ea, a, an);
					sv_utf8_escape(eb, sizeof eb, q->cell[COL_ID], strlen(q->cell[COL_ID]));
					if (j == i)
						snprintf(msg, sizeof msg, "%s '%s' repeats %s (ids and aliases must be unique)",
							 ka ? "alias" : "id", ea, kb ? "one of its aliases" : "its own id");
					else
						snprintf(msg, sizeof msg,
							 "%s '%s' repeats %s of measure '%s' on line %lu (ids and aliases must be unique)",
							 ka ? "alias" : "id", ea, kb ? "an alias" : "the id", eb, q->line);
					row_error(im, r->line, ka ? "aliases" : "id", msg);
					reported = true;
				}
			}
		}
	}
}

static void free_import(struct import *im)
{
	for (size_t i = 0; i < im->n_rows; i++)
		for (size_t c = 0; c < N_COLUMNS; c++)
			free(im->rows[i].cell[c]);
	free(im->rows);
}

static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 4 && strcasecmp(base + n - 4, ".csv") == 0)
		n -= 4;
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, base, n);
		s[n] = '\0';
	}
	return s;
}

enum sv_status sv_cmd_import(const struct sv_options *o, FILE *out)
{
	const char *path = o->files[0];
	struct import im = {.file = strcmp(path, "-") == 0 ? "<stdin>" : path};
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		sv_diag("%s: cannot open: %s", path, strerror(errno));
		return SV_ENOINPUT;
	}
	struct sv_reader *reader = sv_reader_new();
	enum sv_status st = reader ? SV_OK : SV_ESOFTWARE;
	if (reader) {
		const struct sv_reader_callbacks cb = {on_header, on_record};
		st = sv_reader_read(reader, f, im.file, o->delimiter, &cb, &im);
		sv_reader_free(reader);
	}
	if (f != stdin)
		fclose(f);
	if (st == SV_OK && im.n_rows == 0) {
		sv_diag("%s: no measures (one row per measure is needed)", im.file);
		st = SV_EDATA;
	}
	if (st == SV_OK)
		check_unique(&im);
	if (st == SV_OK && im.errors)
		st = SV_EDATA;
	if (st == SV_OK) {
		/* the text is loaded back as a table before it is printed */
		char *name = o->table_name ? NULL : default_name(path);
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		if (!mem || (!o->table_name && !name))
			st = SV_ESOFTWARE;
		else {
			write_table(mem, &im, o->table_name ? o->table_name : name,
				    o->table_version ? o->table_version : "1");
			if (fclose(mem) != 0)
				st = SV_ESOFTWARE;
		}
		struct sv_proxy_table t;
		if (st == SV_OK) {
			st = sv_proxy_load_text(&t, text, len, im.file);
			if (st == SV_OK) {
				fwrite(text, 1, len, out);
				sv_proxy_free(&t);
			} else if (st == SV_ECONFIG)
				st = SV_EDATA;
		}
		free(text);
		free(name);
	}
	free_import(&im);
	return st;
}
