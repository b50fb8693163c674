/*
 * xlsx.c - a result as an Excel workbook, written with libxlsxwriter
 * (loaded for the workbook, each call through b->x: sv_xlsxlib.h).
 *
 * The Totals sheet takes its cells from the csv layout (sv_result_cells),
 * so it has csv's columns and figures for every option.  A figure goes in
 * as a number, the double nearest the penny text sv-calc computed: never a
 * formula, whose floating-point sum could differ from the exact total by a
 * penny.  Doubles appear only here, to hand a spreadsheet its numbers; no
 * figure is computed with one.
 *
 * Memory: the workbook is written in libxlsxwriter's constant_memory mode,
 * where each row goes to a temporary file as soon as the next one starts
 * and strings are kept in their cells (no shared string table), so sheets
 * are written top to bottom and a sheet of a million invalid records takes
 * the memory of one row.  The invalid records themselves are spooled to a
 * temporary file while the run reads (sv_xlsx_invalid), not written to a
 * workbook as they come: the workbook is made only once the result is
 * known, so a run that fails leaves no half-made workbook to clean up.
 */
#include "sv_xlsx.h"
#include "sv_chart.h"
#include "sv_cli.h"
#include "sv_diag.h"
#include "sv_money.h"
#include "sv_output.h"
#include "sv_utf8.h"
#include "sv_xlsxlib.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define POUND "\xC2\xA3"
#define REPLACEMENT "\xEF\xBF\xBD"

/* Two title lines and a blank row above every header. */
#define HEADER_ROW 3
#define FIRST_ROW (HEADER_ROW + 1)
/* Columns whose widths are tracked: the Totals sheet has at most
 * SV_MAX_KEYS * 2 + 8. */
#define SHEET_COLS (SV_MAX_KEYS * 2 + 8)
#define MAX_WIDTH 60
#define LABELS "Labels"

/* ---- invalid records --------------------------------------------------- */

struct sv_xlsx_invalid {
	FILE *spool; /* per record: line, then file and reason, length first */
	uint64_t rows;
	bool failed;
	int error; /* errno of the first spool failure */
};

struct sv_xlsx_invalid *sv_xlsx_invalid_new(void)
{
	struct sv_xlsx_invalid *inv = calloc(1, sizeof *inv);
	if (inv)
		inv->spool = tmpfile();
	if (!inv || !inv->spool) {
		sv_diag("cannot create a temporary file for the workbook's invalid records: %s", strerror(errno));
		free(inv);
		return NULL;
	}
	return inv;
}

static void spool_u64(struct sv_xlsx_invalid *inv, uint64_t v)
{
	if (!inv->failed && fwrite(&v, sizeof v, 1, inv->spool) != 1) {
		inv->failed = true;
		inv->error = errno;
	}
}

static void spool_text(struct sv_xlsx_invalid *inv, const char *s)
{
	size_t n = strlen(s);
	spool_u64(inv, n);
	if (!inv->failed && n && fwrite(s, 1, n, inv->spool) != n) {
		inv->failed = true;
		inv->error = errno;
	}
}

void sv_xlsx_invalid_outcome(void *ctx, const struct sv_outcome *outcome)
{
	struct sv_xlsx_invalid *inv = ctx;
	if (outcome->status != SV_OUT_INVALID || inv->failed)
		return;
	spool_u64(inv, outcome->row->line);
	spool_text(inv, outcome->file);
	spool_text(inv, outcome->reason ? outcome->reason : "");
	inv->rows++;
}

void sv_xlsx_invalid_free(struct sv_xlsx_invalid *inv)
{
	if (!inv)
		return;
	fclose(inv->spool);
	free(inv);
}

/* ---- cells ------------------------------------------------------------- */

static const char *const money_format = "\"" POUND "\"#,##0.00";
/* a measure's value per unit has up to 4 decimals */
static const char *const price_format = "\"" POUND "\"#,##0.00##";

enum sv_xlsx_kind sv_xlsx_kind_of(const char *header, bool figure)
{
	static const char *const tenths[] = {"pct_delivered", "return_pct", "pence_per_pound", "change_pct"};
	if (!figure)
		return SV_XLSX_TEXT;
	if (strcmp(header, "records") == 0)
		return SV_XLSX_COUNT;
	if (strcmp(header, "target_quantity") == 0)
		return SV_XLSX_QUANTITY;
	for (size_t i = 0; i < sizeof tenths / sizeof tenths[0]; i++)
		if (strcmp(header, tenths[i]) == 0)
			return SV_XLSX_TENTHS;
	return SV_XLSX_MONEY;
}

bool sv_xlsx_number(const char *s, double *out)
{
	const char *p = s + (*s == '-');
	size_t digits = 0, significant = 0, zeros = 0;
	bool point = false, started = false;
	for (; *p; p++) {
		if (*p == '.' && !point) {
			point = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			return false;
		digits++;
		/* significant: from the first non-zero digit to the last */
		if (*p == '0') {
			zeros += started;
			continue;
		}
		significant += started ? zeros + 1 : 1;
		zeros = 0;
		started = true;
	}
	if (!digits || significant > 15 || p[-1] == '.')
		return false;
	char *end;
	*out = strtod(s, &end);
	return *end == '\0';
}

static size_t sequence_length(unsigned char lead)
{
	return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/* A code point of a valid sequence, as a cell can carry it. */
static const char *clean_code_point(const char *cp, size_t n, size_t *len)
{
	unsigned char c = (unsigned char)cp[0];
	*len = n;
	if (n == 1 && c < 0x20 && c != '\t' && c != '\n') {
		*len = 1;
		return " ";
	}
	/* U+FFFE and U+FFFF: EF BF BE, EF BF BF */
	if (n == 3 && c == 0xEF && (unsigned char)cp[1] == 0xBF && (unsigned char)cp[2] >= 0xBE) {
		*len = 3;
		return REPLACEMENT;
	}
	return cp;
}

size_t sv_xlsx_clean_text(char *dst, const char *s, size_t n)
{
	size_t used = 0, i = 0;
	while (i < n) {
		size_t valid = i + sv_utf8_valid_prefix(s + i, n - i);
		const char *piece;
		size_t len, step;
		if (i < valid) {
			step = sequence_length((unsigned char)s[i]);
			piece = clean_code_point(s + i, step, &len);
		} else {
			piece = REPLACEMENT;
			len = 3;
			step = 1;
		}
		if (used + len > SV_XLSX_TEXT_MAX)
			break;
		memcpy(dst + used, piece, len);
		used += len;
		i += step;
	}
	dst[used] = '\0';
	return used;
}

/* ---- the workbook ------------------------------------------------------ */

struct sheet {
	lxw_worksheet *ws;
	size_t width[SHEET_COLS]; /* the widest cell of each column, in characters */
};

struct book {
	const struct sv_xlsxlib *x; /* every libxlsxwriter call goes through it */
	lxw_workbook *wb;
	const struct sv_result *r;
	lxw_format *title, *header, *header_right, *price;
	lxw_format *cell[5][2]; /* by kind; plain and bold (the TOTAL row) */
	lxw_error err;          /* the first error of a write */
	char text[SV_XLSX_TEXT_MAX + 1];
};

static void note(struct book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
		b->err = e;
}

static size_t chars(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

static void widen(struct sheet *s, lxw_col_t col, size_t w)
{
	if (col < SHEET_COLS && w > s->width[col])
		s->width[col] = w;
}

static void put_text_n(struct book *b, struct sheet *s, lxw_row_t row, lxw_col_t col, const char *str, size_t n,
		       lxw_format *f)
{
	size_t len = sv_xlsx_clean_text(b->text, str, n);
	if (len == 0 && !f)
		return;
	/* a string cell: text that looks like a formula stays text */
	note(b, b->x->worksheet_write_string(s->ws, row, col, b->text, f));
	widen(s, col, chars(b->text, len));
}

static void put_text(struct book *b, struct sheet *s, lxw_row_t row, lxw_col_t col, const char *str, lxw_format *f)
{
	put_text_n(b, s, row, col, str, strlen(str), f);
}

/* A figure as csv writes it: a number when a spreadsheet can show it
 * exactly, else its text; nothing for an empty cell. */
static void put_figure(struct book *b, struct sheet *s, lxw_row_t row, lxw_col_t col, const char *text,
		       enum sv_xlsx_kind kind, bool bold)
{
	double d;
	lxw_format *f = b->cell[kind][bold];
	if (!text[0])
		return;
	if (kind == SV_XLSX_TEXT || !sv_xlsx_number(text, &d)) {
		put_text(b, s, row, col, text, f);
		return;
	}
	note(b, b->x->worksheet_write_number(s->ws, row, col, d, f));
	/* room for the pound sign and the thousands separators */
	widen(s, col, strlen(text) + strlen(text) / 3 + 2);
}

static void put_count(struct book *b, struct sheet *s, lxw_row_t row, lxw_col_t col, uint64_t n, bool bold)
{
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_count(buf, n, false);
	put_figure(b, s, row, col, buf, SV_XLSX_COUNT, bold);
}

static void put_pence(struct book *b, struct sheet *s, lxw_row_t row, lxw_col_t col, sv_amount exact, bool bold)
{
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_pence_plain(buf, sv_amount_to_pence(exact, b->r->unit_lcm));
	put_figure(b, s, row, col, buf, SV_XLSX_MONEY, bold);
}

static void put_headers(struct book *b, struct sheet *s, const char *const *names, size_t n)
{
	for (size_t c = 0; c < n; c++)
		put_text(b, s, HEADER_ROW, (lxw_col_t)c, names[c], b->header);
}

/* Two title lines (the second may be empty) above the header row.  They
 * spill over the columns to their right, so they widen none. */
static void put_title(struct book *b, struct sheet *s, const char *first, const char *second)
{
	sv_xlsx_clean_text(b->text, first, strlen(first));
	note(b, b->x->worksheet_write_string(s->ws, 0, 0, b->text, b->title));
	if (!second || !second[0])
		return;
	sv_xlsx_clean_text(b->text, second, strlen(second));
	note(b, b->x->worksheet_write_string(s->ws, 1, 0, b->text, NULL));
}

/* Column widths from the widest cells, and the header row kept in view. */
static void finish_sheet(struct book *b, struct sheet *s, size_t n_cols)
{
	for (size_t c = 0; c < n_cols && c < SHEET_COLS; c++) {
		size_t w = s->width[c] < 8 ? 8 : s->width[c] > MAX_WIDTH ? MAX_WIDTH : s->width[c];
		note(b, b->x->worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, (double)w + 1, NULL));
	}
	b->x->worksheet_freeze_panes(s->ws, FIRST_ROW, 0);
}

static lxw_worksheet *add_sheet(struct book *b, struct sheet *s, const char *name)
{
	memset(s, 0, sizeof *s);
	s->ws = b->x->workbook_add_worksheet(b->wb, name);
	if (!s->ws)
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return s->ws;
}

static lxw_format *make_format(struct book *b, const char *num_format, bool bold)
{
	lxw_format *f = b->x->workbook_add_format(b->wb);
	if (!f) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	if (num_format)
		b->x->format_set_num_format(f, num_format);
	if (bold)
		b->x->format_set_bold(f);
	return f;
}

static void make_formats(struct book *b)
{
	static const char *const num[] = {
		[SV_XLSX_TEXT] = NULL, [SV_XLSX_MONEY] = money_format, [SV_XLSX_COUNT] = "#,##0",
		[SV_XLSX_TENTHS] = "0.0", [SV_XLSX_QUANTITY] = NULL};
	for (int k = 0; k < 5; k++)
		for (int bold = 0; bold < 2; bold++)
			b->cell[k][bold] = make_format(b, num[k], bold);
	b->title = make_format(b, NULL, true);
	if (b->title)
		b->x->format_set_font_size(b->title, 13);
	b->header = make_format(b, NULL, true);
	if (b->header)
		b->x->format_set_bottom(b->header, LXW_BORDER_THIN);
	/* above figures, as the table format aligns them */
	b->header_right = make_format(b, NULL, true);
	if (b->header_right) {
		b->x->format_set_bottom(b->header_right, LXW_BORDER_THIN);
		b->x->format_set_align(b->header_right, LXW_ALIGN_RIGHT);
	}
	b->price = make_format(b, price_format, false);
}

/* ---- Totals ------------------------------------------------------------ */

struct totals {
	struct book *b;
	struct sheet s;
	size_t n_cols;
	enum sv_xlsx_kind kind[SHEET_COLS];
	size_t records_col, lead_col, previous_col; /* SIZE_MAX: none */
};

static void totals_cell(void *ctx, size_t row, size_t col, const char *text, bool figure)
{
	struct totals *t = ctx;
	if (col >= SHEET_COLS)
		return;
	if (row == 0) {
		t->kind[col] = sv_xlsx_kind_of(text, figure);
		t->n_cols = col + 1;
		if (strcmp(text, "records") == 0 && figure)
			t->records_col = col;
		if (figure && strcmp(text, sv_result_is_net(t->b->r) ? "net_value" : "value") == 0)
			t->lead_col = col;
		if (figure && strcmp(text, "previous_value") == 0)
			t->previous_col = col;
		put_text(t->b, &t->s, HEADER_ROW, (lxw_col_t)col, text, figure ? t->b->header_right : t->b->header);
		return;
	}
	bool total = row == t->b->r->n_groups + 1;
	put_figure(t->b, &t->s, (lxw_row_t)(HEADER_ROW + row), (lxw_col_t)col, text, t->kind[col], total);
}

#define DATE_TEXT_MAX 40

/* YYYY-MM-DD */
static void date_text(char buf[DATE_TEXT_MAX], int32_t ymd)
{
	snprintf(buf, DATE_TEXT_MAX, "%04d-%02d-%02d", (int)(ymd / 10000), (int)(ymd / 100 % 100), (int)(ymd % 100));
}

/* "556 records read: 550 valued, 3 invalid (skipped), 3 outside --from/--to;
 * dated 2024-04-01 to 2025-03-31" */
static void counts_line(char *buf, size_t cap, const struct sv_result *r)
{
	const struct sv_counts *c = &r->counts;
	const struct sv_provenance *p = r->provenance;
	char n[5][SV_MONEY_TEXT_MAX];
	sv_format_count(n[0], c->read, true);
	sv_format_count(n[1], c->valued, true);
	sv_format_count(n[2], c->invalid, true);
	sv_format_count(n[3], c->filtered, true);
	sv_format_count(n[4], c->ignored, true);
	size_t o = (size_t)snprintf(buf, cap, "%s record%s read: %s valued", n[0], c->read == 1 ? "" : "s", n[1]);
	if (c->invalid && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, ", %s invalid (skipped with --skip-invalid)", n[2]);
	if (c->filtered && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, ", %s outside --from/--to", n[3]);
	if (c->with_ignored && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, ", %s ignored by profile", n[4]);
	if (p && (p->has_from || p->has_to) && o < cap) {
		char from[DATE_TEXT_MAX], to[DATE_TEXT_MAX];
		date_text(from, p->from);
		date_text(to, p->to);
		snprintf(buf + o, cap - o, "; records dated%s%s%s%s", p->has_from ? " from " : "", p->has_from ? from : "",
			 p->has_to ? " to " : "", p->has_to ? to : "");
	}
}

/* A bar per group of the lead figure (and the previous one with
 * --compare), beside the table.  Its category labels are on the hidden
 * sheet Labels, one per group ("Jobs · 2024/25 Q1"), since the key columns
 * of several keys are no one range a chart can label bars with. */
static void totals_chart(struct book *b, struct totals *t)
{
	const struct sv_result *r = b->r;
	if (!r->n_groups || t->lead_col == SIZE_MAX)
		return;
	lxw_chart *chart = b->x->workbook_add_chart(b->wb, LXW_CHART_BAR);
	if (!chart) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	lxw_row_t first = FIRST_ROW, last = (lxw_row_t)(HEADER_ROW + r->n_groups);
	lxw_row_t labels_last = (lxw_row_t)(r->n_groups - 1);
	lxw_chart_series *now = b->x->chart_add_series(chart, NULL, NULL);
	if (now) {
		b->x->chart_series_set_categories(now, LABELS, 0, 0, labels_last, 0);
		b->x->chart_series_set_values(now, "Totals", first, (lxw_col_t)t->lead_col, last, (lxw_col_t)t->lead_col);
		b->x->chart_series_set_name(now, sv_result_is_net(r) ? "Net value" : "Value");
	}
	if (t->previous_col != SIZE_MAX) {
		lxw_chart_series *before = b->x->chart_add_series(chart, NULL, NULL);
		if (before) {
			b->x->chart_series_set_categories(before, LABELS, 0, 0, labels_last, 0);
			b->x->chart_series_set_values(before, "Totals", first, (lxw_col_t)t->previous_col, last,
						(lxw_col_t)t->previous_col);
			b->x->chart_series_set_name(before, "Previous");
		}
		b->x->chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	} else
		b->x->chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	char title[256], clean[sizeof title * 3];
	size_t o = (size_t)snprintf(title, sizeof title, "%s by ", sv_result_is_net(r) ? "Net value" : "Value");
	for (size_t k = 0; k < r->n_keys && o < sizeof title; k++)
		o += (size_t)snprintf(title + o, sizeof title - o, "%s%s", k ? ", " : "", r->key_names[k]);
	sv_xlsx_clean_text(clean, title, strlen(title));
	b->x->chart_title_set_name(chart, clean);
	/* in a bar chart the x axis is the value axis, drawn across */
	b->x->chart_axis_set_num_format(chart->x_axis, "\"" POUND "\"#,##0");
	/* the first group at the top, as in the table, and the values'
	 * scale still below the bars */
	b->x->chart_axis_set_reverse(chart->y_axis);
	b->x->chart_axis_set_crossing_max(chart->y_axis);
	double bars = (double)r->n_groups * (t->previous_col != SIZE_MAX ? 2 : 1);
	lxw_chart_options opt = {.x_scale = 1.6, .y_scale = bars * 24 + 96 > 288 ? (bars * 24 + 96) / 288 : 1};
	note(b, b->x->worksheet_insert_chart_opt(t->s.ws, HEADER_ROW, (lxw_col_t)(t->n_cols + 1), chart, &opt));
}

/* The hidden sheet of the chart's labels. */
static void write_labels(struct book *b)
{
	const struct sv_result *r = b->r;
	struct sheet s;
	if (!r->n_groups || !add_sheet(b, &s, LABELS))
		return;
	b->x->worksheet_hide(s.ws);
	char label[1024];
	for (size_t i = 0; i < r->n_groups; i++) {
		size_t n = sv_chart_label(label, sizeof label, r, r->groups[i]);
		put_text_n(b, &s, (lxw_row_t)i, 0, label, n, NULL);
	}
}

static void write_totals(struct book *b)
{
	const struct sv_result *r = b->r;
	struct totals t = {.b = b, .records_col = SIZE_MAX, .lead_col = SIZE_MAX, .previous_col = SIZE_MAX};
	if (!add_sheet(b, &t.s, "Totals"))
		return;
	char *title = sv_result_title(r);
	char counts[512];
	counts_line(counts, sizeof counts, r);
	put_title(b, &t.s, title ? title : "Social value", counts);
	free(title);
	if (!sv_result_cells(r, totals_cell, &t)) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	totals_chart(b, &t);
	finish_sheet(b, &t.s, t.n_cols);
	/* printed: the table and its chart side by side on one page width */
	b->x->worksheet_set_landscape(t.s.ws);
	b->x->worksheet_fit_to_pages(t.s.ws, 1, 0);
}

/* ---- By measure ---------------------------------------------------------- */

struct key_row {
	struct book *b;
	struct sheet *s;
	lxw_row_t row;
	size_t n_cols;
	bool bold;
};

static void key_cell(void *ctx, size_t col, const char *header, const char *str, size_t n)
{
	struct key_row *k = ctx;
	k->n_cols = col + 1;
	if (str)
		put_text_n(k->b, k->s, k->row, (lxw_col_t)col, str, n, NULL);
	else
		put_text(k->b, k->s, k->row, (lxw_col_t)col, header, k->b->header);
}

static bool keyed_by_measure(const struct sv_result *r)
{
	for (size_t k = 0; k < r->n_keys; k++)
		if (r->keys[k].kind == SV_KEY_MEASURE)
			return true;
	return false;
}

static void write_by_measure(struct book *b, size_t room)
{
	const struct sv_result *r = b->r;
	struct sheet s;
	if (!add_sheet(b, &s, "By measure"))
		return;
	char basis[160];
	if (r->value_factors || r->net_factors)
		snprintf(basis, sizeof basis, POUND ", gross, in each measure's own prices (Sources): before the "
					  "rebasing and net adjustments of the Totals sheet");
	else
		snprintf(basis, sizeof basis, POUND ", %s, gross", r->price_basis ? r->price_basis : "price year not given");
	put_title(b, &s, "Value per group and measure: the exact sum of its records, rounded once to the penny", basis);
	struct key_row k = {b, &s, HEADER_ROW, 0, false};
	sv_result_key_cells(r, NULL, key_cell, &k);
	size_t c = k.n_cols;
	bool measure_cols = !keyed_by_measure(r);
	static const char *const more[] = {"measure", "measure_name", "unit", "records", "value"};
	for (size_t i = measure_cols ? 0 : 2; i < 5; i++)
		put_text(b, &s, HEADER_ROW, (lxw_col_t)c++, more[i], b->header);
	size_t n_cols = c;
	lxw_row_t row = FIRST_ROW;
	uint64_t left = 0;
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct sv_group *g = r->groups[i];
		for (size_t m = 0; g->by_measure_records && m < r->table->n_measures; m++) {
			if (!g->by_measure_records[m])
				continue;
			if (room == 0) {
				left++;
				continue;
			}
			room--;
			const struct sv_measure *me = &r->table->measures[m];
			k.row = row;
			sv_result_key_cells(r, g, key_cell, &k);
			c = k.n_cols;
			if (measure_cols) {
				put_text(b, &s, row, (lxw_col_t)c++, me->id, NULL);
				put_text(b, &s, row, (lxw_col_t)c++, me->name, NULL);
			}
			put_text(b, &s, row, (lxw_col_t)c++, me->unit, NULL);
			put_count(b, &s, row, (lxw_col_t)c++, g->by_measure_records[m], false);
			if (!me->record_only)
				put_pence(b, &s, row, (lxw_col_t)c, g->by_measure[m], false);
			row++;
		}
	}
	if (left) {
		char msg[160];
		snprintf(msg, sizeof msg, "%llu more rows not listed: a worksheet holds 1,048,576 rows (-f json has them all)",
			 (unsigned long long)left);
		put_text(b, &s, row, 0, msg, NULL);
	} else {
		put_text(b, &s, row, 0, "TOTAL", b->cell[SV_XLSX_TEXT][1]);
		put_count(b, &s, row, (lxw_col_t)(n_cols - 2), r->total_records, true);
		put_pence(b, &s, row, (lxw_col_t)(n_cols - 1), r->total, true);
	}
	finish_sheet(b, &s, n_cols);
}

/* ---- Sources ----------------------------------------------------------- */

static bool used(const struct sv_result *r, size_t m)
{
	return m < r->n_measure_records && r->measure_records[m] > 0;
}

static void write_sources(struct book *b)
{
	static const char *const headers[] = {"id", "name", "theme", "unit", "value", "price_year",
					      "source", "licence", "derivation", "records"};
	const struct sv_result *r = b->r;
	const struct sv_proxy_table *t = r->table;
	struct sheet s;
	if (!add_sheet(b, &s, "Sources"))
		return;
	size_t n = strlen(t->name) + strlen(t->version) + 64;
	char *first = malloc(n);
	if (first)
		snprintf(first, n, "Proxy table: %s %s; each measure the records used", t->name, t->version);
	char second[128] = "";
	if (r->provenance && r->provenance->table_sha256)
		snprintf(second, sizeof second, "SHA-256 of the table: %s", r->provenance->table_sha256);
	put_title(b, &s, first ? first : "Proxy table", second);
	free(first);
	put_headers(b, &s, headers, 10);
	lxw_row_t row = FIRST_ROW;
	for (size_t m = 0; m < t->n_measures; m++) {
		if (!used(r, m))
			continue;
		const struct sv_measure *me = &t->measures[m];
		char buf[SV_MONEY_TEXT_MAX], year[8];
		put_text(b, &s, row, 0, me->id, NULL);
		put_text(b, &s, row, 1, me->name, NULL);
		put_text(b, &s, row, 2, t->themes[me->theme].id, NULL);
		put_text(b, &s, row, 3, me->unit, NULL);
		double d;
		if (!me->record_only) {
			sv_format_dec4(buf, me->value);
			if (sv_xlsx_number(buf, &d)) {
				note(b, b->x->worksheet_write_number(s.ws, row, 4, d, b->price));
				widen(&s, 4, strlen(buf) + 4);
			} else
				put_text(b, &s, row, 4, buf, NULL);
		}
		sv_price_year_text(me->price_year, year);
		if (year[0] && !me->record_only)
			put_text(b, &s, row, 5, year, NULL);
		put_text(b, &s, row, 6, me->source ? me->source : "", NULL);
		put_text(b, &s, row, 7, me->licence ? me->licence : "", NULL);
		put_text(b, &s, row, 8, me->derivation ? me->derivation : "", NULL);
		put_count(b, &s, row, 9, r->measure_records[m], false);
		row++;
	}
	const char *attribution = sv_proxy_attribution(t);
	if (attribution)
		put_text(b, &s, row + 1, 0, attribution, NULL);
	finish_sheet(b, &s, 10);
}

/* ---- Inputs ------------------------------------------------------------ */

static void put_date(struct book *b, struct sheet *s, lxw_row_t row, lxw_col_t col, bool has, int32_t ymd)
{
	char buf[DATE_TEXT_MAX];
	if (!has)
		return;
	date_text(buf, ymd);
	put_text(b, s, row, col, buf, NULL);
}

static void write_inputs(struct book *b)
{
	const struct sv_result *r = b->r;
	struct sheet s;
	if (!add_sheet(b, &s, "Inputs"))
		return;
	bool window = false, per_input = r->n_inputs > 0;
	for (size_t i = 0; i < r->n_inputs; i++) {
		window = window || r->inputs[i].has_from || r->inputs[i].has_to;
		per_input = per_input && r->inputs[i].has_counts;
	}
	const char *headers[10];
	size_t n = 0;
	headers[n++] = "file";
	headers[n++] = "bytes";
	headers[n++] = "sha256";
	if (window) {
		headers[n++] = "from";
		headers[n++] = "to";
	}
	size_t counts_at = n;
	headers[n++] = "read";
	headers[n++] = "valued";
	headers[n++] = "invalid";
	headers[n++] = "filtered";
	if (r->counts.with_ignored)
		headers[n++] = "ignored";
	put_title(b, &s,
		  r->counts.with_ignored ? "Inputs: each file read; read = valued + invalid + filtered + ignored"
					 : "Inputs: each file read; read = valued + invalid + filtered",
		  per_input || !r->n_inputs ? ""
					    : "A merged result keeps counts per result, not per input: the TOTAL row has them");
	put_headers(b, &s, headers, n);
	const struct sv_input_info **order = sv_result_inputs_sorted(r);
	if (!order) {
		note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	lxw_row_t row = FIRST_ROW;
	uint64_t bytes = 0;
	bool bytes_ok = true;
	for (size_t i = 0; i < r->n_inputs; i++, row++) {
		const struct sv_input_info *in = order[i];
		put_text(b, &s, row, 0, in->name, NULL);
		put_count(b, &s, row, 1, in->bytes, false);
		put_text(b, &s, row, 2, in->sha256, NULL);
		bytes_ok = bytes_ok && !__builtin_add_overflow(bytes, in->bytes, &bytes);
		if (window) {
			put_date(b, &s, row, 3, in->has_from, in->from);
			put_date(b, &s, row, 4, in->has_to, in->to);
		}
		if (!in->has_counts)
			continue;
		const uint64_t counts[] = {in->read, in->valued, in->invalid, in->filtered, in->ignored};
		for (size_t c = 0; c < n - counts_at; c++)
			put_count(b, &s, row, (lxw_col_t)(counts_at + c), counts[c], false);
	}
	free(order);
	put_text(b, &s, row, 0, "TOTAL", b->cell[SV_XLSX_TEXT][1]);
	if (bytes_ok)
		put_count(b, &s, row, 1, bytes, true);
	const uint64_t counts[] = {r->counts.read, r->counts.valued, r->counts.invalid, r->counts.filtered,
				   r->counts.ignored};
	for (size_t c = 0; c < n - counts_at; c++)
		put_count(b, &s, row, (lxw_col_t)(counts_at + c), counts[c], true);
	finish_sheet(b, &s, n);
}

/* ---- Invalid ----------------------------------------------------------- */

/* Reads a spooled text into b->text, cut to a cell's limit. */
static bool read_text(struct book *b, FILE *f, size_t *len)
{
	uint64_t n;
	if (fread(&n, sizeof n, 1, f) != 1)
		return false;
	size_t keep = n > SV_XLSX_TEXT_MAX ? SV_XLSX_TEXT_MAX : (size_t)n;
	if (keep && fread(b->text, 1, keep, f) != keep)
		return false;
	if (n > keep && fseeko(f, (off_t)(n - keep), SEEK_CUR) != 0)
		return false;
	*len = keep;
	return true;
}

static enum sv_status write_invalid(struct book *b, struct sv_xlsx_invalid *inv, const char *shown)
{
	static const char *const headers[] = {"file", "line", "reason"};
	struct sheet s;
	if (!add_sheet(b, &s, "Invalid"))
		return SV_OK;
	char first[SV_MONEY_TEXT_MAX + 64], count[SV_MONEY_TEXT_MAX];
	sv_format_count(count, inv->rows, true);
	snprintf(first, sizeof first, "Invalid records skipped by --skip-invalid: %s, in no figure", count);
	put_title(b, &s, first, "--rejects FILE writes them with every field, as CSV, to fix and value again");
	put_headers(b, &s, headers, 3);
	if (inv->failed || fflush(inv->spool) != 0 || fseeko(inv->spool, 0, SEEK_SET) != 0) {
		sv_diag("%s: cannot spool the invalid records: %s", shown, strerror(inv->failed ? inv->error : errno));
		return SV_EIO;
	}
	lxw_row_t row = FIRST_ROW;
	/* read into buffers of their own: put_text cleans into b->text */
	char *file = malloc(SV_XLSX_TEXT_MAX + 1), *reason = malloc(SV_XLSX_TEXT_MAX + 1);
	if (!file || !reason) {
		free(file);
		free(reason);
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	enum sv_status st = SV_OK;
	for (uint64_t i = 0; i < inv->rows; i++) {
		uint64_t line;
		size_t file_len, reason_len;
		if (fread(&line, sizeof line, 1, inv->spool) != 1 || !read_text(b, inv->spool, &file_len)) {
			st = SV_EIO;
			break;
		}
		memcpy(file, b->text, file_len);
		file[file_len] = '\0';
		if (!read_text(b, inv->spool, &reason_len)) {
			st = SV_EIO;
			break;
		}
		memcpy(reason, b->text, reason_len);
		reason[reason_len] = '\0';
		if (row == LXW_ROW_MAX - 1) {
			char msg[160];
			snprintf(msg, sizeof msg,
				 "%llu more invalid records not listed: a worksheet holds 1,048,576 rows (--rejects FILE lists them all)",
				 (unsigned long long)(inv->rows - i));
			put_text(b, &s, row, 0, msg, NULL);
			break;
		}
		put_text(b, &s, row, 0, file, NULL);
		put_count(b, &s, row, 1, line, false);
		put_text(b, &s, row, 2, reason, NULL);
		row++;
	}
	free(file);
	free(reason);
	if (st == SV_EIO)
		sv_diag("%s: cannot read the spooled invalid records back: %s", shown, strerror(errno ? errno : EIO));
	finish_sheet(b, &s, 3);
	return st;
}

/* ---- the file ---------------------------------------------------------- */

/* Rows the By measure sheet can hold below its header and above its
 * TOTAL row; the Totals sheet must hold every group. */
static enum sv_status check_room(const struct sv_result *r, size_t *room)
{
	const size_t rows = LXW_ROW_MAX - FIRST_ROW - 1;
	if (r->n_groups > rows) {
		sv_diag("%zu groups: more than a worksheet holds (1,048,576 rows); -f csv or -f json have no such limit",
			r->n_groups);
		return SV_ESOFTWARE;
	}
	*room = rows;
	return SV_OK;
}

enum sv_status sv_xlsx_write_file(const char *path, const char *shown, const struct sv_result *r,
				  struct sv_xlsx_invalid *invalid)
{
	size_t room;
	enum sv_status st = check_room(r, &room);
	if (st != SV_OK)
		return st;
	struct sv_xlsxlib lib;
	if (!sv_xlsxlib_open(&lib, SV_XLSXLIB_SONAME))
		return SV_EUNAVAILABLE;
	struct book *b = calloc(1, sizeof *b);
	if (!b) {
		sv_diag("out of memory");
		sv_xlsxlib_close(&lib);
		return SV_ESOFTWARE;
	}
	b->x = &lib;
	b->r = r;
	lxw_workbook_options options = {.constant_memory = LXW_TRUE};
	errno = 0;
	b->wb = b->x->workbook_new_opt(path, &options);
	if (!b->wb) {
		sv_diag("%s: cannot create the workbook: %s", shown, strerror(errno ? errno : ENOMEM));
		free(b);
		sv_xlsxlib_close(&lib);
		return SV_EIO;
	}
	char *title = sv_result_title(r);
	/* a fixed creation time: the same result gives the same bytes */
	char comments[] = "Written by " SV_PROGRAM " " SV_VERSION;
	lxw_doc_properties props = {.title = title, .comments = comments, .created = 1};
	note(b, b->x->workbook_set_properties(b->wb, &props));
	make_formats(b);
	write_totals(b);
	write_by_measure(b, room);
	write_sources(b);
	write_inputs(b);
	if (invalid)
		st = write_invalid(b, invalid, shown);
	write_labels(b);
	lxw_error closed = b->x->workbook_close(b->wb);
	free(title);
	if (st == SV_OK && (b->err != LXW_NO_ERROR || closed != LXW_NO_ERROR)) {
		lxw_error e = closed != LXW_NO_ERROR ? closed : b->err;
		sv_diag("%s: cannot write the workbook: %s", shown, b->x->lxw_strerror(e));
		st = e == LXW_ERROR_MEMORY_MALLOC_FAILED ? SV_ESOFTWARE : SV_EIO;
	}
	free(b);
	sv_xlsxlib_close(&lib);
	return st;
}

/* The bytes of the file at path, onto out; the caller checks out. */
static enum sv_status copy_file(const char *path, FILE *out)
{
	FILE *in = fopen(path, "rb");
	if (!in) {
		sv_diag("%s: cannot read the workbook back: %s", path, strerror(errno));
		return SV_EIO;
	}
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	bool failed = ferror(in);
	int err = errno;
	fclose(in);
	if (failed) {
		sv_diag("%s: cannot read the workbook back: %s", path, strerror(err));
		return SV_EIO;
	}
	return SV_OK;
}

enum sv_status sv_xlsx_write(FILE *out, const struct sv_result *r, struct sv_xlsx_invalid *invalid)
{
	int fd = fileno(out);
	if (fd >= 0 && isatty(fd)) {
		sv_diag("-f xlsx writes a binary workbook, and the output is a terminal: name a file with -o FILE.xlsx, "
			"or redirect (> FILE.xlsx)");
		return SV_EUSAGE;
	}
	const char *shown;
	const char *path = sv_output_temp_of(out, &shown);
	if (path)
		return sv_xlsx_write_file(path, shown, r, invalid);
	struct sv_output tmp;
	enum sv_status st = sv_output_open_temp(&tmp);
	if (st != SV_OK)
		return st;
	st = sv_xlsx_write_file(tmp.tmp_path, "the workbook", r, invalid);
	if (st == SV_OK)
		st = copy_file(tmp.tmp_path, out);
	sv_output_abort(&tmp);
	return st;
}
