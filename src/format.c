/*
 * format.c - table, csv, tsv, markdown and json writers.
 *
 * Results and proxy listings are first laid out as a grid of text cells
 * (groups, not records, so its size is bounded by the number of groups);
 * each format then renders the grid its own way.  JSON is written directly
 * so that money stays exact decimal text.
 */
#include "sv_format.h"
#include "sv_chart.h"
#include "sv_cli.h"
#include "sv_html.h"
#include "sv_sha256.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A table on a terminal gets bars beside the values, in colour unless
 * NO_COLOR is set. */
static bool term_bars, term_colour;
static size_t term_width; /* 0: not a terminal, no limit */

static const char *const format_names[] = {"table", "csv", "tsv", "json", "markdown", "svg", "headline", "xlsx", "html"};

bool sv_format_parse(const char *name, enum sv_format *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
		if (strcasecmp(name, format_names[i]) == 0) {
			*out = (enum sv_format)i;
			return true;
		}
	}
	return false;
}

const char *sv_format_name(enum sv_format fmt)
{
	return format_names[fmt];
}

/* ---- fields ------------------------------------------------------------ */

/* A field that would read back as other text unquoted: one with the
 * delimiter, a quote or a line end, or with spaces or tabs at either end
 * (a reader trims those). */
static bool csv_needs_quotes(const char *s, size_t n, char delimiter)
{
	if (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\t'))
		return true;
	/* eight bytes at a time: a byte of x is b where (y - 1) & ~y has its
	 * high bit, y = x ^ b in every byte (a --rejects file of a million
	 * rows passes every cell through here) */
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	const uint64_t d = ones * (unsigned char)delimiter, q = ones * '"', lf = ones * '\n', cr = ones * '\r';
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, hit = 0, y;
		memcpy(&x, s + i, sizeof x);
		y = x ^ d;
		hit |= (y - ones) & ~y;
		y = x ^ q;
		hit |= (y - ones) & ~y;
		y = x ^ lf;
		hit |= (y - ones) & ~y;
		y = x ^ cr;
		hit |= (y - ones) & ~y;
		if (hit & highs)
			return true;
	}
	for (; i < n; i++)
		if (s[i] == delimiter || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return true;
	return false;
}

void sv_write_csv_field(FILE *out, const char *s, size_t n, char delimiter)
{
	if (!csv_needs_quotes(s, n, delimiter)) {
		fwrite(s, 1, n, out);
		return;
	}
	/* the text between quotes in runs, each quote written twice: a byte at
	 * a time costs a stream lock per byte once threads have run */
	fputc('"', out);
	const char *q;
	while (n && (q = memchr(s, '"', n)) != NULL) {
		size_t run = (size_t)(q - s) + 1;
		fwrite(s, 1, run, out);
		fputc('"', out);
		s += run;
		n -= run;
	}
	fwrite(s, 1, n, out);
	fputc('"', out);
}

size_t sv_csv_field(char *dst, const char *s, size_t n, char delimiter)
{
	if (!csv_needs_quotes(s, n, delimiter)) {
		if (n)
			memcpy(dst, s, n);
		return n;
	}
	char *d = dst;
	*d++ = '"';
	const char *q;
	while (n && (q = memchr(s, '"', n)) != NULL) {
		size_t run = (size_t)(q - s) + 1;
		memcpy(d, s, run);
		d += run;
		*d++ = '"';
		s += run;
		n -= run;
	}
	if (n)
		memcpy(d, s, n);
	d += n;
	*d++ = '"';
	return (size_t)(d - dst);
}

void sv_write_tsv_field(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\n': fputs("\\n", out); break;
		case '\\': fputs("\\\\", out); break;
		default: fputc(s[i], out);
		}
	}
}

void sv_write_json_string(FILE *out, const char *s, size_t n)
{
	/* the runs that need no escape go out whole: a character at a time,
	 * each fputc taking the stream's lock, this was most of the cost of
	 * the table's listing, which every JSON result hashes */
	fputc('"', out);
	size_t plain = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != 0x7F && c != '"' && c != '\\')
			continue;
		fwrite(s + plain, 1, i - plain, out);
		plain = i + 1;
		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c == '\t')
			fputs("\\t", out);
		else
			fprintf(out, "\\u%04x", c);
	}
	fwrite(s + plain, 1, n - plain, out);
	fputc('"', out);
}

static void json_str(FILE *out, const char *s)
{
	sv_write_json_string(out, s, strlen(s));
}

/* ---- the grid ---------------------------------------------------------- */

struct grid {
	size_t n_cols;
	const char *headers[SV_MAX_KEYS * 2 + 8];
	bool right[SV_MAX_KEYS * 2 + 8];
	char **cells; /* row-major, n_rows x n_cols, owned */
	size_t n_rows, cap_rows;
	bool has_total; /* the last row is the total */
	size_t bar_col;  /* the column of bars, or SIZE_MAX */
	bool oom;
	const char *title;
	const char *footer; /* a line under a table for people, or NULL */
};

static void grid_column(struct grid *g, const char *header, bool right)
{
	g->headers[g->n_cols] = header;
	g->right[g->n_cols] = right;
	g->n_cols++;
}

/* Starts a row; its cells are set with grid_set. */
static char **grid_row(struct grid *g)
{
	if (g->n_rows == g->cap_rows) {
		size_t cap = g->cap_rows ? g->cap_rows * 2 : 16;
		char **cells = realloc(g->cells, cap * g->n_cols * sizeof *cells);
		if (!cells) {
			g->oom = true;
			return NULL;
		}
		g->cells = cells;
		g->cap_rows = cap;
	}
	char **row = g->cells + g->n_rows * g->n_cols;
	memset(row, 0, g->n_cols * sizeof *row);
	g->n_rows++;
	return row;
}

static void grid_set(struct grid *g, char **row, size_t col, const char *s, size_t n)
{
	if (!row)
		return;
	char *copy = malloc(n + 1);
	if (!copy) {
		g->oom = true;
		return;
	}
	memcpy(copy, s, n);
	copy[n] = '\0';
	row[col] = copy;
}

static void grid_sets(struct grid *g, char **row, size_t col, const char *s)
{
	grid_set(g, row, col, s, strlen(s));
}

static void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->n_rows * g->n_cols; i++)
		free(g->cells[i]);
	free(g->cells);
}

static const char *cell(const struct grid *g, size_t row, size_t col)
{
	const char *s = g->cells[row * g->n_cols + col];
	return s ? s : "";
}

/* Terminal columns taken by UTF-8 text: one per code point. */
static size_t display_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* Text for a terminal: a control character from the input (an escape
 * sequence in a site name, say) is shown as '?' instead of being obeyed. */
static void put_display(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		fputc(c < 0x20 || c == 0x7F ? '?' : c, out);
	}
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/* Writes s cut to `room` terminal columns, ending in an ellipsis when cut. */
static void put_fitted(FILE *out, const char *s, size_t room)
{
	if (display_width(s) <= room) {
		put_display(out, s);
		return;
	}
	size_t shown = 0;
	const char *p = s;
	while (*p && shown + 1 < room) {
		const char *next = p + 1;
		while (((unsigned char)*next & 0xC0) == 0x80)
			next++;
		for (const char *q = p; q < next; q++)
			fputc((unsigned char)*q < 0x20 || *q == 0x7F ? '?' : *q, out);
		shown++;
		p = next;
	}
	fputs("\xE2\x80\xA6", out);
}

static void render_table_row(FILE *out, const struct grid *g, const size_t *width, size_t row,
			     bool header)
{
	for (size_t c = 0; c < g->n_cols; c++) {
		const char *s = header ? g->headers[c] : cell(g, row, c);
		size_t w = display_width(s);
		size_t fill = w < width[c] ? width[c] - w : 0;
		bool last = c + 1 == g->n_cols;
		if (c)
			fputs("  ", out);
		if (g->right[c])
			pad(out, fill);
		bool colour = term_colour && c == g->bar_col && !header && *s;
		if (colour)
			fputs("\033[34m", out);
		put_fitted(out, s, width[c]);
		if (colour)
			fputs("\033[0m", out);
		if (!g->right[c] && !last)
			pad(out, fill);
	}
	fputc('\n', out);
}

static void render_rule(FILE *out, const struct grid *g, const size_t *width)
{
	for (size_t c = 0; c < g->n_cols; c++) {
		if (c)
			fputs("  ", out);
		for (size_t i = 0; i < width[c]; i++)
			fputc('-', out);
	}
	fputc('\n', out);
}

/* On a terminal narrower than the table, the text columns (labels) give up
 * room, widest first, down to 12 columns each; numbers are never cut. */
static void fit_terminal(const struct grid *g, size_t *width)
{
	if (!term_width)
		return;
	size_t total = 0;
	for (size_t c = 0; c < g->n_cols; c++)
		total += width[c] + (c ? 2 : 0);
	while (total > term_width) {
		size_t widest = SIZE_MAX;
		for (size_t c = 0; c < g->n_cols; c++)
			if (!g->right[c] && c != g->bar_col && width[c] > 12 &&
			    (widest == SIZE_MAX || width[c] > width[widest]))
				widest = c;
		if (widest == SIZE_MAX)
			return;
		width[widest]--;
		total--;
	}
}

static void render_table(FILE *out, const struct grid *g)
{
	size_t width[SV_MAX_KEYS * 2 + 8];
	for (size_t c = 0; c < g->n_cols; c++) {
		width[c] = display_width(g->headers[c]);
		for (size_t r = 0; r < g->n_rows; r++) {
			size_t w = display_width(cell(g, r, c));
			if (w > width[c])
				width[c] = w;
		}
	}
	fit_terminal(g, width);
	if (g->title)
		fprintf(out, "%s\n\n", g->title);
	render_table_row(out, g, width, 0, true);
	render_rule(out, g, width);
	size_t body = g->has_total ? g->n_rows - 1 : g->n_rows;
	for (size_t r = 0; r < body; r++)
		render_table_row(out, g, width, r, false);
	if (g->has_total) {
		render_rule(out, g, width);
		render_table_row(out, g, width, g->n_rows - 1, false);
	}
	if (g->footer)
		fprintf(out, "\n%s\n", g->footer);
}

static void markdown_cell(FILE *out, const char *s)
{
	fputc(' ', out);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			fputc(' ', out);
		else if ((unsigned char)*s < 0x20 || *s == 0x7F)
			fputc('?', out);
		else
			fputc(*s, out);
	}
	fputs(" |", out);
}

static void render_markdown(FILE *out, const struct grid *g)
{
	if (g->title)
		fprintf(out, "%s\n\n", g->title);
	fputc('|', out);
	for (size_t c = 0; c < g->n_cols; c++)
		markdown_cell(out, g->headers[c]);
	fputs("\n|", out);
	for (size_t c = 0; c < g->n_cols; c++)
		fputs(g->right[c] ? " ---: |" : " --- |", out);
	fputc('\n', out);
	for (size_t r = 0; r < g->n_rows; r++) {
		fputc('|', out);
		for (size_t c = 0; c < g->n_cols; c++)
			markdown_cell(out, cell(g, r, c));
		fputc('\n', out);
	}
	if (g->footer)
		fprintf(out, "\n%s\n", g->footer);
}

/* ---- spreadsheet safety ------------------------------------------------ */

static bool raw_cells, byte_order_mark;

void sv_format_set_bom(bool bom)
{
	byte_order_mark = bom;
}

/* Excel reads a CSV file without one as the Windows code page. */
static void write_bom(FILE *out, enum sv_format fmt)
{
	if (byte_order_mark && (fmt == SV_FMT_CSV || fmt == SV_FMT_TSV))
		fputs("\xEF\xBB\xBF", out);
}

void sv_format_set_terminal(bool bars, bool colour, size_t width)
{
	term_bars = bars;
	term_colour = colour;
	term_width = width;
}

#define BAR_CELLS 20

/* A bar of value/max in eighths of a cell, from the exact integers. */
static void bar_text(char *buf, sv_amount value, sv_amount max)
{
	static const char *const eighths[] = {"", "\xE2\x96\x8F", "\xE2\x96\x8E", "\xE2\x96\x8D",
					      "\xE2\x96\x8C", "\xE2\x96\x8B", "\xE2\x96\x8A", "\xE2\x96\x89"};
	buf[0] = '\0';
	if (max <= 0 || value <= 0)
		return;
	sv_amount scaled;
	/* past 10^17 pounds (10^36 amount units) the eighths come from a
	 * divisor cut down instead: max is then far above BAR_CELLS * 8 */
	if (__builtin_mul_overflow(value, (sv_amount)(BAR_CELLS * 8), &scaled))
		scaled = value / (max / (BAR_CELLS * 8));
	else
		scaled /= max;
	int n = (int)scaled;
	if (n == 0)
		n = 1; /* a value, however small, shows */
	for (int i = 0; i < n / 8; i++)
		strcat(buf, "\xE2\x96\x88");
	strcat(buf, eighths[n % 8]);
}

void sv_format_set_raw(bool raw)
{
	raw_cells = raw;
}

/*
 * A spreadsheet runs a cell that starts with = + - @ (or TAB or CR before
 * one) as a formula.  Text that sv-calc copies from its inputs gets a
 * leading apostrophe there, as OWASP's CSV injection advice says, so the
 * cell shows as the text it is.  Numbers sv-calc computes are never changed.
 */
static bool formula_like(const char *s, size_t n)
{
	return n && !raw_cells &&
	       (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

static void write_text_cell(FILE *out, const char *s, size_t n, char delimiter)
{
	char *safe = NULL;
	if (formula_like(s, n) && (safe = malloc(n + 1)) != NULL) {
		safe[0] = '\'';
		memcpy(safe + 1, s, n);
		s = safe;
		n++;
	}
	if (delimiter == '\t')
		sv_write_tsv_field(out, s, n);
	else
		sv_write_csv_field(out, s, n, delimiter);
	free(safe);
}

static void render_delimited(FILE *out, const struct grid *g, char delimiter)
{
	write_bom(out, delimiter == '\t' ? SV_FMT_TSV : SV_FMT_CSV);
	for (size_t r = 0; r <= g->n_rows; r++) {
		for (size_t c = 0; c < g->n_cols; c++) {
			const char *s = r == 0 ? g->headers[c] : cell(g, r - 1, c);
			if (c)
				fputc(delimiter, out);
			/* right-aligned columns hold the numbers sv-calc computed */
			if (g->right[c] && r > 0) {
				if (delimiter == '\t')
					sv_write_tsv_field(out, s, strlen(s));
				else
					sv_write_csv_field(out, s, strlen(s), delimiter);
			} else
				write_text_cell(out, s, strlen(s), delimiter);
		}
		fputc('\n', out);
	}
}

static void render(FILE *out, enum sv_format fmt, const struct grid *g)
{
	switch (fmt) {
	case SV_FMT_TABLE: render_table(out, g); break;
	case SV_FMT_MARKDOWN: render_markdown(out, g); break;
	case SV_FMT_CSV: render_delimited(out, g, ','); break;
	case SV_FMT_TSV: render_delimited(out, g, '\t'); break;
	case SV_FMT_JSON:
	case SV_FMT_SVG:
	case SV_FMT_HEADLINE:
	case SV_FMT_XLSX: break;
	case SV_FMT_HTML: break;
	}
}

/* ---- results ----------------------------------------------------------- */

static const char *human_key_header(const struct sv_result *r, size_t k)
{
	switch (r->keys[k].kind) {
	case SV_KEY_THEME: return "Theme";
	case SV_KEY_MEASURE: return "Measure";
	case SV_KEY_VALUE_TYPE: return "Value type";
	case SV_KEY_MONTH: return "Month";
	case SV_KEY_QUARTER: return "Quarter";
	case SV_KEY_FQ: return "Financial quarter";
	case SV_KEY_YEAR: return "Year";
	case SV_KEY_FY: return "Financial year";
	case SV_KEY_FILE: return "File";
	case SV_KEY_COLUMN: break;
	}
	return r->key_names[k];
}

/* The text of one key of a group: an id (machine) or a name (human). */
static void key_text(const struct sv_result *r, size_t k, const struct sv_key_value *kv, bool human,
		     const char **s, size_t *n, char *buf)
{
	const struct sv_proxy_table *t = r->table;
	enum sv_key_kind kind = r->keys[k].kind;
	switch (kind) {
	case SV_KEY_THEME:
		*s = human ? t->themes[kv->num].name : t->themes[kv->num].id;
		break;
	case SV_KEY_MEASURE:
		*s = human ? t->measures[kv->num].name : t->measures[kv->num].id;
		break;
	case SV_KEY_VALUE_TYPE:
		*s = sv_value_type_name((enum sv_value_type)kv->num);
		break;
	case SV_KEY_COLUMN:
	case SV_KEY_FILE:
		if (kv->len == 0 && human) {
			*s = "(blank)";
			break;
		}
		*s = kv->str;
		*n = kv->len;
		return;
	default:
		sv_period_format(buf, sv_key_period(kind), (int32_t)kv->num);
		*s = buf;
		break;
	}
	*n = strlen(*s);
}

static bool has_name_column(enum sv_key_kind kind)
{
	return kind == SV_KEY_THEME || kind == SV_KEY_MEASURE;
}

static void value_text(char *buf, const struct sv_group *grp, sv_amount value, int64_t unit_lcm, bool human)
{
	if (grp && grp->valued_records == 0 && grp->records > 0) {
		strcpy(buf, human ? "\xE2\x80\x94" : "");
		return;
	}
	if (human)
		sv_format_pence_pretty(buf, sv_amount_to_pence(value, unit_lcm));
	else
		sv_format_pence_plain(buf, sv_amount_to_pence(value, unit_lcm));
}

/* "£, 2026/27 prices, gross": what every figure of a result is in. */
static void basis_phrase(char *buf, size_t cap, const struct sv_result *r)
{
	snprintf(buf, cap, "\xC2\xA3, %s, %s", r->price_basis ? r->price_basis : "price year not given",
		 sv_result_is_net(r) ? "net" : "gross");
}

static char *title_text(const struct sv_proxy_table *t, const char *basis)
{
	static const char fmt[] = "Social value, proxy table: %s %s%s%s";
	size_t n = sizeof fmt + strlen(t->name) + strlen(t->version) + (basis ? strlen(basis) + 2 : 0);
	char *s = malloc(n);
	if (s)
		snprintf(s, n, fmt, t->name, t->version, basis ? "; " : "", basis ? basis : "");
	return s;
}

static char *title_basis(const struct sv_result *r)
{
	char basis[96];
	basis_phrase(basis, sizeof basis, r);
	return title_text(r->table, basis);
}

char *sv_result_title(const struct sv_result *r)
{
	return title_basis(r);
}

static char *title_for(const struct sv_proxy_table *t)
{
	return title_text(t, NULL);
}

/* ---- factored figures (net value, other price years) --------------------- */

/* The group's gross per measure times the factors, rounded once to pence;
 * grp NULL: the whole result. */
static bool apply(const struct sv_result *r, const sv_amount *gross, const int64_t *factors, sv_amount *pence)
{
	/* the value at another price year is an exact ratio, rounded once */
	if (factors == r->value_factors) {
		sv_uamount common = sv_lcm_used(gross, r->index_from, r->n_factors);
		if (common)
			return sv_rebased_pence(gross, r->index_from, r->n_factors, r->index_to, common, r->unit_lcm, pence);
	}
	return sv_factored_pence(gross, factors, r->n_factors, r->unit_lcm, pence);
}

static bool factored(const struct sv_result *r, const struct sv_group *grp, const int64_t *factors, sv_amount *pence)
{
	if (grp)
		return grp->by_measure && apply(r, grp->by_measure, factors, pence);
	sv_amount *sum = calloc(r->n_factors ? r->n_factors : 1, sizeof *sum);
	bool ok = sum != NULL;
	for (size_t i = 0; ok && i < r->n_groups; i++)
		for (size_t m = 0; ok && m < r->n_factors && r->groups[i]->by_measure; m++)
			ok = sv_amount_add(&sum[m], r->groups[i]->by_measure[m]);
	ok = ok && apply(r, sum, factors, pence);
	free(sum);
	return ok;
}

static void pence_text(char *buf, bool ok, sv_amount pence, bool human)
{
	if (!ok)
		strcpy(buf, human ? "overflow" : "");
	else if (human)
		sv_format_pence_pretty(buf, pence);
	else
		sv_format_pence_plain(buf, pence);
}

/* The value cell of a group or (grp NULL) of the total: rebased when the
 * result states another price year. */
static void group_value_text(char *buf, const struct sv_result *r, const struct sv_group *grp, bool human)
{
	if (grp && grp->valued_records == 0 && grp->records > 0) {
		strcpy(buf, human ? "\xE2\x80\x94" : "");
		return;
	}
	if (!r->value_factors) {
		value_text(buf, grp, grp ? grp->value : r->total, r->unit_lcm, human);
		return;
	}
	sv_amount pence = 0;
	bool ok = factored(r, grp, r->value_factors, &pence);
	pence_text(buf, ok, pence, human);
}

static void net_text(char *buf, const struct sv_result *r, const struct sv_group *grp, bool human)
{
	if (grp && grp->valued_records == 0 && grp->records > 0) {
		strcpy(buf, human ? "\xE2\x80\x94" : "");
		return;
	}
	sv_amount pence = 0;
	bool ok = factored(r, grp, r->net_factors, &pence);
	pence_text(buf, ok, pence, human);
}

bool sv_result_previous_pence(const struct sv_result *r, const struct sv_group *g, sv_amount *pence)
{
	*pence = 0;
	const struct sv_group *p = NULL;
	if (!r->previous)
		return false;
	if (g) {
		p = sv_groups_find(r->previous, g->keys);
		if (!p || p->valued_records == 0)
			return false;
	} else if (!r->previous_valued)
		return false;
	const int64_t *factors = r->net_factors ? r->net_factors : r->value_factors;
	if (!factors) {
		*pence = sv_amount_to_pence(p ? p->value : r->previous_total, r->unit_lcm);
		return true;
	}
	return apply(r, p ? p->by_measure : r->previous_by_measure, factors, pence);
}

bool sv_result_change(const struct sv_result *r, const struct sv_group *g, sv_amount *previous, sv_amount *change,
		      sv_amount *tenths, bool *has_pct)
{
	sv_amount now;
	*has_pct = false;
	if (!sv_result_previous_pence(r, g, previous) || !sv_result_lead_pence(r, g, &now))
		return false;
	*change = now - *previous;
	*has_pct = sv_percent_tenths(*change, *previous, tenths);
	return true;
}

bool sv_result_is_net(const struct sv_result *r)
{
	return r->net_factors != NULL;
}

bool sv_result_lead_pence(const struct sv_result *r, const struct sv_group *g, sv_amount *pence)
{
	*pence = 0;
	if (g && g->valued_records == 0 && g->records > 0)
		return false;
	const int64_t *factors = r->net_factors ? r->net_factors : r->value_factors;
	if (!factors) {
		*pence = sv_amount_to_pence(g ? g->value : r->total, r->unit_lcm);
		return true;
	}
	return factored(r, g, factors, pence);
}

bool sv_result_lead_pence_sum(const struct sv_result *r, const struct sv_group *const *groups, size_t n,
			      sv_amount *pence)
{
	*pence = 0;
	const int64_t *factors = r->net_factors ? r->net_factors : r->value_factors;
	sv_amount *sum = factors ? calloc(r->n_factors ? r->n_factors : 1, sizeof *sum) : NULL;
	sv_amount value = 0;
	bool ok = !factors || sum, any = false;
	for (size_t i = 0; ok && i < n; i++) {
		const struct sv_group *g = groups[i];
		if (g->valued_records == 0 && g->records > 0)
			continue;
		any = true;
		if (!factors)
			ok = sv_amount_add(&value, g->value);
		for (size_t m = 0; factors && ok && m < r->n_factors; m++)
			ok = g->by_measure && sv_amount_add(&sum[m], g->by_measure[m]);
	}
	if (ok && any && factors)
		ok = apply(r, sum, factors, pence);
	else if (ok && any)
		*pence = sv_amount_to_pence(value, r->unit_lcm);
	free(sum);
	return ok && any;
}

/* One measure's gross times its factor, rounded once: a one-term apply. */
static bool apply_one(const struct sv_result *r, sv_amount gross, size_t m, const int64_t *factors, sv_amount *pence)
{
	if (factors == r->value_factors) {
		sv_uamount common = sv_lcm_used(&gross, &r->index_from[m], 1);
		if (common)
			return sv_rebased_pence(&gross, &r->index_from[m], 1, r->index_to, common, r->unit_lcm, pence);
	}
	return sv_factored_pence(&gross, &factors[m], 1, r->unit_lcm, pence);
}

bool sv_result_measure_pence(const struct sv_result *r, const struct sv_group *g, size_t measure, sv_amount *value,
			     sv_amount *net)
{
	*value = *net = 0;
	sv_amount gross = 0;
	for (size_t i = 0; i < (g ? 1 : r->n_groups); i++) {
		const struct sv_group *one = g ? g : r->groups[i];
		if (!one->by_measure || !sv_amount_add(&gross, one->by_measure[measure]))
			return false;
	}
	if (r->value_factors && measure < r->n_factors) {
		if (!apply_one(r, gross, measure, r->value_factors, value))
			return false;
	} else
		*value = sv_amount_to_pence(gross, r->unit_lcm);
	*net = *value;
	if (r->net_factors && measure < r->n_factors)
		return apply_one(r, gross, measure, r->net_factors, net);
	return true;
}

/* ---- targets and spend ------------------------------------------------- */

/* What the report columns of one row show. */
struct report_figures {
	bool targeted, target_valued, has_spend;
	bool quantity_shown; /* a quantity has one unit only per measure */
	sv_amount delivered, target_value, spend;
	sv_qty target_qty;
	sv_amount spend_delivered; /* the value spend is compared with */
	bool delivered_null; /* only record-only records */
};

static bool by_measure(const struct sv_result *r)
{
	for (size_t k = 0; k < r->n_keys; k++)
		if (r->keys[k].kind == SV_KEY_MEASURE)
			return true;
	return false;
}

static void group_figures(const struct sv_result *r, const struct sv_group *grp, struct report_figures *f)
{
	f->quantity_shown = by_measure(r);
	f->spend_delivered = grp->value;
	f->targeted = grp->targeted;
	f->target_valued = grp->target_valued > 0;
	f->target_qty = grp->target_qty;
	f->target_value = grp->target_value;
	f->has_spend = grp->has_spend;
	f->spend = grp->spend;
	f->delivered = grp->value;
	f->delivered_null = grp->valued_records == 0 && grp->records > 0;
}

/* The value the total's spend is compared with: with spend per group
 * (--spend-file), the value of the groups that have spend, so a site with
 * no spend listed does not inflate the return; with --spend, all of it. */
static sv_amount spend_value(const struct sv_result *r)
{
	bool per_group = false;
	sv_amount sum = 0;
	for (size_t i = 0; i < r->n_groups; i++) {
		if (r->groups[i]->has_spend) {
			per_group = true;
			sv_amount_add(&sum, r->groups[i]->value);
		}
	}
	return per_group ? sum : r->total;
}

/* The total row compares what was committed with what was delivered in
 * the committed groups only; quantities of different units are not added. */
static void total_figures(const struct sv_result *r, struct report_figures *f)
{
	memset(f, 0, sizeof *f);
	f->delivered = r->targets ? 0 : r->total;
	for (size_t i = 0; r->targets && i < r->n_groups; i++) {
		const struct sv_group *grp = r->groups[i];
		if (!grp->targeted)
			continue;
		f->targeted = true;
		f->target_valued = f->target_valued || grp->target_valued;
		sv_amount_add(&f->target_value, grp->target_value);
		sv_amount_add(&f->delivered, grp->value);
	}
	f->quantity_shown = false;
	f->has_spend = r->spend;
	f->spend = r->total_spend;
	f->spend_delivered = spend_value(r);
}

bool sv_result_delivered_tenths(const struct sv_result *r, sv_amount *tenths)
{
	struct report_figures f;
	total_figures(r, &f);
	return r->targets && f.targeted && f.target_valued && sv_percent_tenths(f.delivered, f.target_value, tenths);
}

bool sv_result_return_tenths(const struct sv_result *r, sv_amount *tenths)
{
	struct report_figures f;
	total_figures(r, &f);
	return r->spend && f.has_spend && sv_percent_tenths(f.spend_delivered, f.spend, tenths);
}

static void report_columns(struct grid *g, const struct sv_result *r, bool human)
{
	if (r->targets) {
		if (by_measure(r))
			grid_column(g, human ? "Target qty" : "target_quantity", true);
		grid_column(g, human ? "Target" : "target_value", true);
		grid_column(g, human ? "Delivered" : "delivered_value", true);
		grid_column(g, human ? "Variance" : "variance", true);
		grid_column(g, human ? "% delivered" : "pct_delivered", true);
	}
	if (r->spend) {
		grid_column(g, human ? "Spend" : "spend", true);
		grid_column(g, human ? "Return" : "return_pct", true);
		grid_column(g, human ? "p per \xC2\xA3" : "pence_per_pound", true);
	}
}

static void money_cell(char *buf, sv_amount a, int64_t unit_lcm, bool human)
{
	if (human)
		sv_format_pence_pretty(buf, sv_amount_to_pence(a, unit_lcm));
	else
		sv_format_pence_plain(buf, sv_amount_to_pence(a, unit_lcm));
}

/* Fills the report cells of a row from column `at` on; a figure that has
 * no meaning for the row is left empty. */
static void report_cells(struct grid *g, char **row, size_t at, const struct sv_result *r,
			 const struct report_figures *f, bool human)
{
	char buf[SV_MONEY_TEXT_MAX];
	sv_amount tenths;
	if (r->targets) {
		if (by_measure(r)) {
			if (f->targeted && f->quantity_shown) {
				sv_format_qty(buf, f->target_qty);
				grid_sets(g, row, at, buf);
			}
			at++;
		}
		bool comparable = f->targeted && f->target_valued;
		if (comparable) {
			money_cell(buf, f->target_value, r->unit_lcm, human);
			grid_sets(g, row, at, buf);
		}
		if (!f->delivered_null) {
			money_cell(buf, f->delivered, r->unit_lcm, human);
			grid_sets(g, row, at + 1, buf);
		}
		if (comparable) {
			money_cell(buf, f->delivered - f->target_value, r->unit_lcm, human);
			grid_sets(g, row, at + 2, buf);
			if (sv_percent_tenths(f->delivered, f->target_value, &tenths)) {
				size_t n = sv_format_tenths(buf, tenths);
				if (human)
					strcpy(buf + n, "%");
				grid_sets(g, row, at + 3, buf);
			}
		}
		at += 4;
	}
	if (r->spend && f->has_spend) {
		money_cell(buf, f->spend, r->unit_lcm, human);
		grid_sets(g, row, at, buf);
		if (sv_percent_tenths(f->spend_delivered, f->spend, &tenths)) {
			size_t n = sv_format_tenths(buf, tenths);
			if (human)
				strcpy(buf + n, "%");
			grid_sets(g, row, at + 1, buf);
			sv_format_tenths(buf, tenths);
			if (human)
				strcat(buf, "p");
			grid_sets(g, row, at + 2, buf);
		}
	}
}

/* The same figures as JSON members: exact values beside the rounded ones. */
static void json_report(FILE *out, const struct sv_result *r, const struct report_figures *f)
{
	char buf[SV_MONEY_TEXT_MAX];
	sv_amount tenths;
	if (r->targets) {
		bool comparable = f->targeted && f->target_valued;
		sv_format_qty(buf, f->target_qty);
		if (by_measure(r) && f->targeted && f->quantity_shown)
			fprintf(out, ", \"target_quantity\": \"%s\"", buf);
		else if (by_measure(r))
			fputs(", \"target_quantity\": null", out);
		if (comparable) {
			sv_format_pence_plain(buf, sv_amount_to_pence(f->target_value, r->unit_lcm));
			fprintf(out, ", \"target_value\": \"%s\"", buf);
			sv_format_amount_exact(buf, f->target_value, r->unit_lcm);
			fprintf(out, ", \"target_value_exact\": \"%s\"", buf);
			sv_format_pence_plain(buf, sv_amount_to_pence(f->delivered - f->target_value, r->unit_lcm));
			fprintf(out, ", \"variance\": \"%s\"", buf);
			if (sv_percent_tenths(f->delivered, f->target_value, &tenths)) {
				sv_format_tenths(buf, tenths);
				fprintf(out, ", \"pct_delivered\": \"%s\"", buf);
			} else
				fputs(", \"pct_delivered\": null", out);
		} else
			fputs(", \"target_value\": null, \"target_value_exact\": null, \"variance\": null, \"pct_delivered\": null",
			      out);
	}
	if (r->spend) {
		if (!f->has_spend) {
			fputs(", \"spend\": null, \"return_pct\": null, \"pence_per_pound\": null", out);
			return;
		}
		sv_format_pence_plain(buf, sv_amount_to_pence(f->spend, r->unit_lcm));
		fprintf(out, ", \"spend\": \"%s\"", buf);
		sv_format_pence_plain(buf, sv_amount_to_pence(f->spend_delivered, r->unit_lcm));
		fprintf(out, ", \"spend_value\": \"%s\"", buf);
		if (sv_percent_tenths(f->spend_delivered, f->spend, &tenths)) {
			sv_format_tenths(buf, tenths);
			fprintf(out, ", \"return_pct\": \"%s\", \"pence_per_pound\": \"%s\"", buf, buf);
		} else
			fputs(", \"return_pct\": null, \"pence_per_pound\": null", out);
	}
}

/* --compare cells: the earlier figure, the change and the % change; a
 * side with no figure leaves them empty. */
static void compare_cells(struct grid *g, char **row, size_t at, const struct sv_result *r,
			  const struct sv_group *grp, bool human)
{
	char buf[SV_MONEY_TEXT_MAX];
	sv_amount previous, change, tenths;
	bool has_pct;
	bool both = sv_result_change(r, grp, &previous, &change, &tenths, &has_pct);
	if (!both && !sv_result_previous_pence(r, grp, &previous))
		return;
	pence_text(buf, true, previous, human);
	grid_sets(g, row, at, buf);
	if (!both)
		return;
	pence_text(buf, true, change, human);
	grid_sets(g, row, at + 1, buf);
	if (has_pct) {
		size_t n = sv_format_tenths(buf, tenths);
		if (human)
			strcpy(buf + n, "%");
		grid_sets(g, row, at + 2, buf);
	}
}

static void result_grid(struct grid *g, const struct sv_result *r, bool human, bool bars)
{
	char buf[SV_MONEY_TEXT_MAX];
	for (size_t k = 0; k < r->n_keys; k++) {
		if (human)
			grid_column(g, human_key_header(r, k), false);
		else {
			grid_column(g, r->key_names[k], false);
			if (has_name_column(r->keys[k].kind))
				grid_column(g, r->keys[k].kind == SV_KEY_THEME ? "theme_name" : "measure_name", false);
		}
	}
	grid_column(g, human ? "Records" : "records", true);
	grid_column(g, human ? (r->net_factors ? "Gross" : "Value") : "value", true);
	if (r->net_factors)
		grid_column(g, human ? "Net" : "net_value", true);
	size_t extra_at = g->n_cols;
	report_columns(g, r, human);
	/* a spreadsheet keeps no title: rebased figures say their year in a
	 * column of their own */
	size_t compare_col = SIZE_MAX;
	if (r->previous) {
		compare_col = g->n_cols;
		grid_column(g, human ? "Previous" : "previous_value", true);
		grid_column(g, human ? "Change" : "change", true);
		grid_column(g, human ? "Change %" : "change_pct", true);
	}
	size_t basis_col = SIZE_MAX;
	if (!human && r->value_factors && r->price_basis) {
		basis_col = g->n_cols;
		grid_column(g, "price_basis", false);
	}
	sv_amount max = 0;
	g->bar_col = SIZE_MAX;
	if (human && bars) {
		for (size_t i = 0; i < r->n_groups; i++)
			if (r->groups[i]->value > max)
				max = r->groups[i]->value;
		g->bar_col = g->n_cols;
		grid_column(g, "", false);
	}

	for (size_t i = 0; i < r->n_groups; i++) {
		const struct sv_group *grp = r->groups[i];
		char **row = grid_row(g);
		size_t c = 0;
		for (size_t k = 0; k < r->n_keys; k++) {
			const char *s;
			size_t n;
			char period[SV_PERIOD_TEXT_MAX];
			key_text(r, k, &grp->keys[k], human, &s, &n, period);
			grid_set(g, row, c++, s, n);
			if (!human && has_name_column(r->keys[k].kind)) {
				key_text(r, k, &grp->keys[k], true, &s, &n, period);
				grid_set(g, row, c++, s, n);
			}
		}
		sv_format_count(buf, grp->records, human);
		grid_sets(g, row, c++, buf);
		group_value_text(buf, r, grp, human);
		grid_sets(g, row, c++, buf);
		if (r->net_factors) {
			net_text(buf, r, grp, human);
			grid_sets(g, row, c, buf);
		}
		struct report_figures f;
		group_figures(r, grp, &f);
		report_cells(g, row, extra_at, r, &f, human);
		if (compare_col != SIZE_MAX)
			compare_cells(g, row, compare_col, r, grp, human);
		if (basis_col != SIZE_MAX)
			grid_sets(g, row, basis_col, r->price_basis);
		if (g->bar_col != SIZE_MAX) {
			char bar[BAR_CELLS * 3 + 4];
			bar_text(bar, grp->value, max);
			grid_sets(g, row, g->bar_col, bar);
		}
	}
	char **row = grid_row(g);
	grid_sets(g, row, 0, human ? "Total" : "TOTAL");
	sv_format_count(buf, r->total_records, human);
	size_t value_col = extra_at - (r->net_factors ? 2 : 1);
	grid_sets(g, row, value_col - 1, buf);
	group_value_text(buf, r, NULL, human);
	grid_sets(g, row, value_col, buf);
	if (r->net_factors) {
		net_text(buf, r, NULL, human);
		grid_sets(g, row, value_col + 1, buf);
	}
	struct report_figures f;
	total_figures(r, &f);
	report_cells(g, row, extra_at, r, &f, human);
	if (compare_col != SIZE_MAX)
		compare_cells(g, row, compare_col, r, NULL, human);
	if (basis_col != SIZE_MAX)
		grid_sets(g, row, basis_col, r->price_basis);
	g->has_total = true;
}

static void json_amount_pair(FILE *out, const struct sv_group *grp, sv_amount value, int64_t unit_lcm);

/* value and value_exact; rebased to another price year, value is the
 * product rounded once and value_exact is null. Then net_value. */
static void json_figures(FILE *out, const struct sv_result *r, const struct sv_group *grp)
{
	char buf[SV_MONEY_TEXT_MAX];
	bool record_only = grp && grp->valued_records == 0 && grp->records > 0;
	if (!r->value_factors)
		json_amount_pair(out, grp, grp ? grp->value : r->total, r->unit_lcm);
	else if (record_only)
		fputs("\"value\": null, \"value_exact\": null", out);
	else {
		group_value_text(buf, r, grp, false);
		fprintf(out, "\"value\": \"%s\", \"value_exact\": null", buf);
	}
	if (r->net_factors) {
		net_text(buf, r, grp, false);
		if (record_only)
			fputs(", \"net_value\": null", out);
		else
			fprintf(out, ", \"net_value\": \"%s\"", buf);
	}
}

static void json_amount_pair(FILE *out, const struct sv_group *grp, sv_amount value, int64_t unit_lcm)
{
	char buf[SV_MONEY_TEXT_MAX];
	if (grp && grp->valued_records == 0 && grp->records > 0) {
		fputs("\"value\": null, \"value_exact\": null", out);
		return;
	}
	sv_format_pence_plain(buf, sv_amount_to_pence(value, unit_lcm));
	fprintf(out, "\"value\": \"%s\", ", buf);
	sv_format_amount_exact(buf, value, unit_lcm);
	fprintf(out, "\"value_exact\": \"%s\"", buf);
}

static void json_date(FILE *out, bool has, int32_t ymd)
{
	if (has)
		fprintf(out, "\"%04d-%02d-%02d\"", (int)(ymd / 10000), (int)(ymd / 100 % 100), (int)(ymd % 100));
	else
		fputs("null", out);
}

static int compare_inputs(const void *pa, const void *pb)
{
	const struct sv_input_info *a = *(const struct sv_input_info *const *)pa;
	const struct sv_input_info *b = *(const struct sv_input_info *const *)pb;
	int c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->sha256, b->sha256);
}

const struct sv_input_info **sv_result_inputs_sorted(const struct sv_result *r)
{
	const struct sv_input_info **order = malloc((r->n_inputs ? r->n_inputs : 1) * sizeof *order);
	if (!order)
		return NULL;
	for (size_t i = 0; i < r->n_inputs; i++)
		order[i] = &r->inputs[i];
	qsort(order, r->n_inputs, sizeof *order, compare_inputs);
	return order;
}

/* Each measure the records used, in table order: what a reader needs to
 * check a figure against its source without the table at hand. */
static void json_measures_used(FILE *out, const struct sv_result *r)
{
	fputs("  \"measures\": [", out);
	bool any = false;
	for (size_t i = 0; i < r->n_measure_records && i < r->table->n_measures; i++) {
		if (!r->measure_records[i])
			continue;
		const struct sv_measure *m = &r->table->measures[i];
		char buf[SV_MONEY_TEXT_MAX], year[8];
		fputs(any ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
		any = true;
		json_str(out, m->id);
		fputs(", \"unit\": ", out);
		json_str(out, m->unit);
		fputs(", \"value\": ", out);
		if (m->record_only)
			fputs("null", out);
		else {
			sv_format_dec4(buf, m->value);
			json_str(out, buf);
		}
		sv_price_year_text(m->price_year, year);
		fputs(", \"price_year\": ", out);
		if (year[0] && !m->record_only)
			json_str(out, year);
		else
			fputs("null", out);
		fputs(", \"source\": ", out);
		if (m->source)
			json_str(out, m->source);
		else
			fputs("null", out);
		fprintf(out, ", \"records\": %llu}", (unsigned long long)r->measure_records[i]);
	}
	fputs(any ? "\n  ],\n" : "],\n", out);
}

/* ", \"key\": \"text\"", or null without text. */
static void json_member(FILE *out, const char *key, const char *text)
{
	fprintf(out, ", \"%s\": ", key);
	if (text)
		json_str(out, text);
	else
		fputs("null", out);
}

/* --compare members: previous_value, change, change_pct (null where a
 * side has no figure). */
static void json_compare(FILE *out, const struct sv_result *r, const struct sv_group *grp)
{
	if (!r->previous)
		return;
	char buf[SV_MONEY_TEXT_MAX];
	sv_amount previous = 0, change = 0, tenths = 0;
	bool has_pct = false, both = sv_result_change(r, grp, &previous, &change, &tenths, &has_pct);
	bool has_previous = both || sv_result_previous_pence(r, grp, &previous);
	sv_format_pence_plain(buf, previous);
	json_member(out, "previous_value", has_previous ? buf : NULL);
	sv_format_pence_plain(buf, change);
	json_member(out, "change", both ? buf : NULL);
	sv_format_tenths(buf, tenths);
	json_member(out, "change_pct", has_pct ? buf : NULL);
}

/* The group's exact gross and records per measure: the aggregate every
 * figure of the group is computed from, so that merge can compute them
 * again for other options (its size: the measures the group has). */
static void json_group_measures(FILE *out, const struct sv_result *r, const struct sv_group *grp)
{
	if (!grp->by_measure)
		return;
	fputs(", \"measures\": [", out);
	bool any = false;
	for (size_t i = 0; i < r->table->n_measures; i++) {
		if (!grp->by_measure_records[i])
			continue;
		fputs(any ? ", {\"id\": " : "{\"id\": ", out);
		any = true;
		json_str(out, r->table->measures[i].id);
		fprintf(out, ", \"records\": %llu, \"value_exact\": ", (unsigned long long)grp->by_measure_records[i]);
		if (r->table->measures[i].record_only)
			fputs("null", out);
		else {
			char buf[SV_MONEY_TEXT_MAX];
			sv_format_amount_exact(buf, grp->by_measure[i], r->unit_lcm);
			json_str(out, buf);
		}
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_result(FILE *out, const struct sv_result *r)
{
	const struct sv_provenance *p = r->provenance;
	fputs("{\n  \"sv_calc\": {\"version\": \"" SV_VERSION "\"},\n", out);
	fputs("  \"proxy_table\": {\"name\": ", out);
	json_str(out, r->table->name);
	fputs(", \"version\": ", out);
	json_str(out, r->table->version);
	if (p && p->table_sha256) {
		fputs(", \"sha256\": ", out);
		json_str(out, p->table_sha256);
	}
	fputs("},\n  \"by\": [", out);
	for (size_t k = 0; k < r->n_keys; k++) {
		enum sv_key_kind builtin;
		fputs(k ? ", " : "", out);
		/* as --by would take it back: an input column named like a key
		 * keeps its "column:" prefix */
		if (r->keys[k].kind == SV_KEY_COLUMN && sv_key_builtin(r->key_names[k], &builtin) &&
		    strncmp(r->key_names[k], "column:", 7) != 0) {
			char spec[300];
			snprintf(spec, sizeof spec, "column:%s", r->key_names[k]);
			json_str(out, spec);
		} else
			json_str(out, r->key_names[k]);
	}
	fputs("],\n  \"options\": {\"from\": ", out);
	json_date(out, p && p->has_from, p ? p->from : 0);
	fputs(", \"to\": ", out);
	json_date(out, p && p->has_to, p ? p->to : 0);
	fprintf(out, ", \"skip_invalid\": %s", p && p->skip_invalid ? "true" : "false");
	/* a rebased result cannot be added exactly: merge refuses it by this */
	if (r->value_factors && r->price_basis)
		fprintf(out, ", \"price_basis\": \"%s\"", r->price_basis);
	if (r->net_factors)
		fputs(", \"net\": true", out);
	fputs("},\n  \"basis\": {\"currency\": ", out);
	json_str(out, r->table->currency ? r->table->currency : "GBP");
	/* the year alone: "2026/27 prices" less its last word */
	fputs(", \"price_year\": ", out);
	if (r->price_basis)
		sv_write_json_string(out, r->price_basis, strcspn(r->price_basis, " "));
	else
		fputs("null", out);
	fprintf(out, ", \"values\": \"%s\", \"rebased\": %s},\n  \"inputs\": [", sv_result_is_net(r) ? "net" : "gross",
		r->value_factors ? "true" : "false");
	/* in byte order, so the order files were named in changes nothing */
	const struct sv_input_info **order = sv_result_inputs_sorted(r);
	for (size_t j = 0; order && j < r->n_inputs; j++) {
		const struct sv_input_info *in = order[j];
		fputs(j ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
		json_str(out, in->name);
		fprintf(out, ", \"bytes\": %llu, \"sha256\": \"%s\", \"from\": ", (unsigned long long)in->bytes, in->sha256);
		json_date(out, in->has_from, in->from);
		fputs(", \"to\": ", out);
		json_date(out, in->has_to, in->to);
		fprintf(out, ", \"skip_invalid\": %s}", in->skip_invalid ? "true" : "false");
	}
	free(order);
	if (r->n_inputs)
		fputs("\n  ", out);
	fprintf(out, "],\n  \"counts\": {\"read\": %llu, \"valued\": %llu, \"invalid\": %llu, \"filtered\": %llu",
		(unsigned long long)r->counts.read, (unsigned long long)r->counts.valued,
		(unsigned long long)r->counts.invalid, (unsigned long long)r->counts.filtered);
	/* only where a profile was in use: results made without one keep
	 * the bytes they always had */
	if (r->counts.with_ignored)
		fprintf(out, ", \"ignored\": %llu", (unsigned long long)r->counts.ignored);
	fputs("},\n", out);
	json_measures_used(out, r);
	fputs("  \"groups\": [", out);
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct sv_group *grp = r->groups[i];
		fputs(i ? ",\n    {" : "\n    {", out);
		for (size_t k = 0; k < r->n_keys; k++) {
			const char *s;
			size_t n;
			char period[SV_PERIOD_TEXT_MAX];
			key_text(r, k, &grp->keys[k], false, &s, &n, period);
			json_str(out, r->key_names[k]);
			fputs(": ", out);
			sv_write_json_string(out, s, n);
			fputs(", ", out);
			if (has_name_column(r->keys[k].kind)) {
				key_text(r, k, &grp->keys[k], true, &s, &n, period);
				fputs(r->keys[k].kind == SV_KEY_THEME ? "\"theme_name\": " : "\"measure_name\": ", out);
				sv_write_json_string(out, s, n);
				fputs(", ", out);
			}
		}
		fprintf(out, "\"records\": %llu, ", (unsigned long long)grp->records);
		json_figures(out, r, grp);
		struct report_figures f;
		group_figures(r, grp, &f);
		json_report(out, r, &f);
		json_compare(out, r, grp);
		json_group_measures(out, r, grp);
		fputc('}', out);
	}
	fputs(r->n_groups ? "\n  ],\n" : "],\n", out);
	fprintf(out, "  \"total\": {\"records\": %llu, ", (unsigned long long)r->total_records);
	json_figures(out, r, NULL);
	struct report_figures f;
	total_figures(r, &f);
	json_report(out, r, &f);
	json_compare(out, r, NULL);
	fputs("}\n}\n", out);
}

/* The records that are in no figure, for the line under a table: "12
 * records filtered out by --from/--to; 1 row ignored by profile".  False
 * when there are none (invalid records are reported on stderr). */
static bool left_out_text(char *buf, size_t cap, const struct sv_counts *c)
{
	char n[SV_MONEY_TEXT_MAX];
	size_t o = 0;
	buf[0] = '\0';
	if (c->filtered) {
		sv_format_count(n, c->filtered, true);
		o += (size_t)snprintf(buf, cap, "%s record%s filtered out by --from/--to", n, c->filtered == 1 ? "" : "s");
	}
	if (c->ignored && o < cap) {
		sv_format_count(n, c->ignored, true);
		snprintf(buf + o, cap - o, "%s%s row%s ignored by profile", o ? "; " : "", n, c->ignored == 1 ? "" : "s");
	}
	return buf[0] != '\0';
}

void sv_format_result(FILE *out, enum sv_format fmt, const struct sv_result *r)
{
	if (fmt == SV_FMT_JSON) {
		json_result(out, r);
		return;
	}
	if (fmt == SV_FMT_SVG) {
		sv_format_svg(out, r);
		return;
	}
	if (fmt == SV_FMT_HEADLINE) {
		sv_format_headline(out, r);
		return;
	}
	if (fmt == SV_FMT_XLSX)
		return;
	if (fmt == SV_FMT_HTML) {
		sv_format_html(out, r);
		return;
	}
	struct grid g = {0};
	bool human = fmt == SV_FMT_TABLE || fmt == SV_FMT_MARKDOWN;
	char *title = human ? title_basis(r) : NULL;
	char footer[160];
	g.title = title;
	g.footer = human && left_out_text(footer, sizeof footer, &r->counts) ? footer : NULL;
	g.bar_col = SIZE_MAX;
	result_grid(&g, r, human, fmt == SV_FMT_TABLE && term_bars);
	if (!g.oom)
		render(out, fmt, &g);
	grid_free(&g);
	free(title);
}

void sv_result_key_cells(const struct sv_result *r, const struct sv_group *g, sv_key_cell_fn *fn, void *ctx)
{
	size_t col = 0;
	for (size_t k = 0; k < r->n_keys; k++) {
		const char *s = NULL;
		size_t n = 0;
		char period[SV_PERIOD_TEXT_MAX];
		if (g)
			key_text(r, k, &g->keys[k], false, &s, &n, period);
		fn(ctx, col++, r->key_names[k], s, n);
		if (!has_name_column(r->keys[k].kind))
			continue;
		if (g)
			key_text(r, k, &g->keys[k], true, &s, &n, period);
		fn(ctx, col++, r->keys[k].kind == SV_KEY_THEME ? "theme_name" : "measure_name", s, n);
	}
}

bool sv_result_cells(const struct sv_result *r, sv_cell_fn *fn, void *ctx)
{
	struct grid g = {0};
	g.bar_col = SIZE_MAX;
	result_grid(&g, r, false, false);
	bool ok = !g.oom;
	for (size_t c = 0; ok && c < g.n_cols; c++)
		fn(ctx, 0, c, g.headers[c], g.right[c]);
	for (size_t row = 0; ok && row < g.n_rows; row++)
		for (size_t c = 0; c < g.n_cols; c++)
			fn(ctx, row + 1, c, cell(&g, row, c), g.right[c]);
	grid_free(&g);
	return ok;
}

/* ---- the totals as HTML ------------------------------------------------ */

/* A cell: th (a header, scope "col" or "row") or td; numbers right-aligned. */
static void html_cell(FILE *out, const char *scope, bool number, const char *s)
{
	const char *tag = scope ? "th" : "td";
	fprintf(out, "<%s", tag);
	if (scope)
		fprintf(out, " scope=\"%s\"", scope);
	fprintf(out, "%s>", number ? " class=\"num\"" : "");
	sv_write_xml_text(out, s, strlen(s));
	fprintf(out, "</%s>", tag);
}

/* A table shows the key columns (0 to keys - 1), then columns from to to;
 * each but the first has a caption. */
struct html_part {
	const char *caption; /* NULL: none */
	size_t keys, from, to;
	size_t needs; /* a row shows when a column from `from` to this one has a figure */
};

static void html_row(FILE *out, const struct grid *g, size_t row, const struct html_part *p)
{
	fputs("<tr>", out);
	for (size_t c = 0; c < p->to; c++) {
		if (c == p->keys)
			c = p->from;
		html_cell(out, c == 0 ? "row" : NULL, g->right[c], cell(g, row, c));
	}
	fputs("</tr>\n", out);
}

/* A group with nothing to show in a part (no target, no spend of its own,
 * no previous figure) is left out of that part's table, which may then
 * hold the total alone (--spend gives only the total's). */
static bool html_row_empty(const struct grid *g, size_t row, const struct html_part *p)
{
	for (size_t c = p->from; c < p->needs; c++)
		if (cell(g, row, c)[0])
			return false;
	return true;
}

static void render_html(FILE *out, const struct grid *g, const struct html_part *p)
{
	fputs("<table class=\"totals\">\n", out);
	if (p->caption)
		fprintf(out, "<caption>%s</caption>\n", p->caption);
	fputs("<thead><tr>", out);
	for (size_t c = 0; c < p->to; c++) {
		if (c == p->keys)
			c = p->from;
		html_cell(out, "col", g->right[c], g->headers[c]);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	size_t body = g->has_total ? g->n_rows - 1 : g->n_rows;
	for (size_t r = 0; r < body; r++)
		if (!html_row_empty(g, r, p))
			html_row(out, g, r, p);
	fputs("</tbody>\n", out);
	if (g->has_total) {
		fputs("<tfoot>\n", out);
		html_row(out, g, g->n_rows - 1, p);
		fputs("</tfoot>\n", out);
	}
	fputs("</table>\n", out);
}

/*
 * The value columns in one table, then targets, spend and the comparison
 * each in a table of its own beside the same keys: one table with all of
 * them would be too wide for a printed page.
 */
void sv_format_result_html_table(FILE *out, const struct sv_result *r)
{
	struct grid g = {0};
	g.bar_col = SIZE_MAX;
	result_grid(&g, r, true, false);
	if (g.oom) {
		grid_free(&g);
		return;
	}
	size_t keys = r->n_keys ? r->n_keys : 1, at = keys + (r->net_factors ? 3 : 2);
	render_html(out, &g, &(struct html_part){NULL, keys, keys, at, at});
	if (r->targets) {
		/* the target quantity (by measure) and the target's value */
		size_t n = by_measure(r) ? 5 : 4;
		render_html(out, &g, &(struct html_part){"Against targets", keys, at, at + n, at + n - 3});
		at += n;
	}
	if (r->spend) {
		render_html(out, &g, &(struct html_part){"Against spend", keys, at, at + 3, at + 1});
		at += 3;
	}
	if (r->previous)
		render_html(out, &g, &(struct html_part){"Against the previous result", keys, at, at + 3, at + 3});
	grid_free(&g);
}

/* ---- the proxy listing ------------------------------------------------- */

static char *join_aliases(const struct sv_measure *m, const char *sep)
{
	size_t n = 1;
	for (size_t k = 0; k < m->n_aliases; k++)
		n += strlen(m->aliases[k]) + strlen(sep);
	char *s = malloc(n), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t k = 0; k < m->n_aliases; k++) {
		p += sprintf(p, "%s%s", k ? sep : "", m->aliases[k]);
	}
	return s;
}

/* A key and a string member when the table gives one. */
static void json_opt(FILE *out, const char *sep, const char *key, const char *value)
{
	if (!value)
		return;
	fprintf(out, "%s\"%s\": ", sep, key);
	json_str(out, value);
}

/* The net-value fields a measure sets, as the loader reads them back. */
/* A financial year as the string "2026/27", a calendar year as a number,
 * as the loader reads them back. */
static void json_price_year(FILE *out, const char *sep, struct sv_price_year y)
{
	char year[8];
	sv_price_year_text(y, year);
	if (!y.year)
		return;
	if (y.calendar)
		fprintf(out, "%s\"price_year\": %s", sep, year);
	else
		fprintf(out, "%s\"price_year\": \"%s\"", sep, year);
}

static void json_adjustments(FILE *out, const struct sv_measure *m)
{
	char buf[SV_MONEY_TEXT_MAX];
	for (int a = 0; a < 4; a++) {
		if (!m->adjust[a])
			continue;
		sv_format_dec4_min(buf, m->adjust[a]);
		fprintf(out, ", \"%s\": \"%s\"", sv_adjustment_name((enum sv_adjustment)a), buf);
	}
	if (m->duration_years != 1)
		fprintf(out, ", \"duration_years\": %u", m->duration_years);
}

static void json_units(FILE *out, const struct sv_measure *m)
{
	if (!m->n_units)
		return;
	fputs(", \"units\": {", out);
	for (size_t k = 0; k < m->n_units; k++) {
		char frac[48];
		sv_unit_fraction_text(frac, sizeof frac, m->units[k].num, m->units[k].den);
		fputs(k ? ", " : "", out);
		json_str(out, m->units[k].name);
		fputs(": ", out);
		json_str(out, frac);
	}
	fputc('}', out);
}

static void json_measure(FILE *out, const struct sv_proxy_table *t, const struct sv_measure *m)
{
	char buf[SV_MONEY_TEXT_MAX];
	fputs("{\"id\": ", out);
	json_str(out, m->id);
	fputs(", \"theme\": ", out);
	json_str(out, t->themes[m->theme].id);
	fputs(", \"name\": ", out);
	json_str(out, m->name);
	fputs(", \"unit\": ", out);
	json_str(out, m->unit);
	if (m->record_only)
		fputs(", \"value\": null", out);
	else {
		sv_format_dec4(buf, m->value);
		fprintf(out, ", \"value\": \"%s\"", buf);
	}
	fputs(", \"value_type\": ", out);
	json_str(out, sv_value_type_name(m->value_type));
	fputs(", \"aliases\": [", out);
	for (size_t k = 0; k < m->n_aliases; k++) {
		fputs(k ? ", " : "", out);
		json_str(out, m->aliases[k]);
	}
	fputc(']', out);
	json_units(out, m);
	/* the year each value is in, inherited or its own, so that a
	 * listing loaded back rebases exactly as the table did */
	json_price_year(out, ", ", m->price_year);
	json_opt(out, ", ", "source", m->source);
	json_opt(out, ", ", "licence", m->licence);
	json_opt(out, ", ", "derivation", m->derivation);
	json_adjustments(out, m);
	fputc('}', out);
}

/* The whole table, every field the loader keeps: loading it back gives the
 * same listing, and so the same digest. */
static void json_proxies(FILE *out, const struct sv_proxy_table *t)
{
	fputs("{\n  \"name\": ", out);
	json_str(out, t->name);
	fputs(",\n  \"version\": ", out);
	json_str(out, t->version);
	json_opt(out, ",\n  ", "currency", t->currency);
	json_price_year(out, ",\n  ", t->price_year);
	json_opt(out, ",\n  ", "source", t->source);
	json_opt(out, ",\n  ", "licence", t->licence);
	json_opt(out, ",\n  ", "attribution", t->attribution);
	json_opt(out, ",\n  ", "notes", t->notes);
	fputs(",\n  \"themes\": [", out);
	for (size_t i = 0; i < t->n_themes; i++) {
		fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
		json_str(out, t->themes[i].id);
		fputs(", \"name\": ", out);
		json_str(out, t->themes[i].name);
		fputc('}', out);
	}
	fputs("\n  ],\n  \"measures\": [", out);
	for (size_t i = 0; i < t->n_measures; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		json_measure(out, t, &t->measures[i]);
	}
	fputs("\n  ]\n}\n", out);
}

static void proxies_attribution(FILE *out, const struct sv_proxy_table *t);

static const char *const proxy_csv_columns[] = {
	"id", "theme", "name", "unit", "value", "value_type", "aliases", "source", "theme_name", "licence",
	"derivation", "price_year", "deadweight", "attribution", "displacement", "drop_off", "duration_years", "units"};

#define N_PROXY_CSV_COLUMNS (sizeof proxy_csv_columns / sizeof proxy_csv_columns[0])

/* The net-value cells and the price year: empty when the measure does not
 * set them, so that "proxies import" leaves them out as well. */
static void csv_measure_numbers(struct grid *g, char **row, const struct sv_measure *m)
{
	char buf[SV_MONEY_TEXT_MAX];
	if (m->price_year.year) {
		sv_price_year_text(m->price_year, buf);
		grid_sets(g, row, 11, buf);
	}
	for (int a = 0; a < 4; a++) {
		if (m->adjust[a]) {
			sv_format_dec4_min(buf, m->adjust[a]);
			grid_sets(g, row, 12 + (size_t)a, buf);
		}
	}
	if (m->duration_years != 1) {
		snprintf(buf, sizeof buf, "%u", m->duration_years);
		grid_sets(g, row, 16, buf);
	}
}

/* One row per measure in the columns "proxies import" reads, so that a
 * table edited in a spreadsheet comes back whole. */
static bool has_units(const struct sv_proxy_table *t)
{
	for (size_t i = 0; i < t->n_measures; i++)
		if (t->measures[i].n_units)
			return true;
	return false;
}

/* "FTE-month=1/12|FTE-week=1/52", as "proxies import" reads it back. */
static void csv_units(struct grid *g, char **row, const struct sv_measure *m)
{
	char cell[1024] = "";
	size_t used = 0;
	for (size_t k = 0; k < m->n_units && used < sizeof cell; k++) {
		char frac[48];
		sv_unit_fraction_text(frac, sizeof frac, m->units[k].num, m->units[k].den);
		int w = snprintf(cell + used, sizeof cell - used, "%s%s=%s", k ? "|" : "", m->units[k].name, frac);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	grid_sets(g, row, N_PROXY_CSV_COLUMNS - 1, cell);
}

static void csv_proxies_grid(struct grid *g, const struct sv_proxy_table *t)
{
	/* the units column only for a table that converts units, so that
	 * the listing of every other table stays as it was */
	size_t columns = has_units(t) ? N_PROXY_CSV_COLUMNS : N_PROXY_CSV_COLUMNS - 1;
	for (size_t c = 0; c < columns; c++)
		grid_column(g, proxy_csv_columns[c], (c == 4 || c >= 11) && c < N_PROXY_CSV_COLUMNS - 1);
	for (size_t i = 0; i < t->n_measures && !g->oom; i++) {
		const struct sv_measure *m = &t->measures[i];
		char buf[SV_MONEY_TEXT_MAX] = "";
		char **row = grid_row(g);
		if (!row)
			break;
		grid_sets(g, row, 0, m->id);
		grid_sets(g, row, 1, t->themes[m->theme].id);
		grid_sets(g, row, 2, m->name);
		grid_sets(g, row, 3, m->unit);
		if (!m->record_only)
			sv_format_dec4(buf, m->value);
		grid_sets(g, row, 4, buf);
		grid_sets(g, row, 5, sv_value_type_name(m->value_type));
		char *aliases = join_aliases(m, "|");
		if (aliases)
			grid_sets(g, row, 6, aliases);
		else
			g->oom = true;
		free(aliases);
		grid_sets(g, row, 7, m->source ? m->source : "");
		grid_sets(g, row, 8, t->themes[m->theme].name);
		grid_sets(g, row, 9, m->licence ? m->licence : "");
		grid_sets(g, row, 10, m->derivation ? m->derivation : "");
		csv_measure_numbers(g, row, m);
		if (columns == N_PROXY_CSV_COLUMNS)
			csv_units(g, row, m);
	}
}

void sv_format_proxies(FILE *out, enum sv_format fmt, const struct sv_proxy_table *t)
{
	if (fmt == SV_FMT_JSON) {
		json_proxies(out, t);
		return;
	}
	bool human = fmt == SV_FMT_TABLE || fmt == SV_FMT_MARKDOWN;
	struct grid g = {0};
	char *title = human ? title_for(t) : NULL;
	g.title = title;
	g.bar_col = SIZE_MAX;
	if (!human) {
		csv_proxies_grid(&g, t);
		if (!g.oom)
			render(out, fmt, &g);
		grid_free(&g);
		return;
	}
	grid_column(&g, human ? "Theme" : "theme", false);
	grid_column(&g, human ? "Measure" : "measure", false);
	grid_column(&g, human ? "Name" : "name", false);
	grid_column(&g, human ? "Unit" : "unit", false);
	grid_column(&g, human ? "Value (\xC2\xA3/unit)" : "value", true);
	grid_column(&g, human ? "Type" : "value_type", false);
	grid_column(&g, human ? "Aliases" : "aliases", false);
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		char buf[SV_MONEY_TEXT_MAX];
		char **row = grid_row(&g);
		grid_sets(&g, row, 0, t->themes[m->theme].id);
		grid_sets(&g, row, 1, m->id);
		grid_sets(&g, row, 2, m->name);
		grid_sets(&g, row, 3, m->unit);
		if (m->record_only)
			strcpy(buf, human ? "\xE2\x80\x94" : "");
		else
			sv_format_dec4(buf, m->value);
		grid_sets(&g, row, 4, buf);
		grid_sets(&g, row, 5, sv_value_type_name(m->value_type));
		char *aliases = join_aliases(m, human ? ", " : "|");
		if (aliases)
			grid_sets(&g, row, 6, aliases);
		else
			g.oom = true;
		free(aliases);
	}
	if (!g.oom) {
		render(out, fmt, &g);
		proxies_attribution(out, t);
	}
	grid_free(&g);
	free(title);
}

/* Whether an earlier measure already gave this licence. */
static bool licence_seen(const struct sv_proxy_table *t, size_t upto, const char *licence)
{
	for (size_t k = 0; k < upto; k++)
		if (t->measures[k].licence && strcmp(t->measures[k].licence, licence) == 0)
			return true;
	return false;
}

/* A licence field that says no third party's figure is used
 * ("n/a (convention)") licenses nothing to attribute. */
static bool licence_named(const char *licence)
{
	return licence && strncmp(licence, "n/a", 3) != 0;
}

static bool licence_ogl(const char *l)
{
	return l && (strncmp(l, "OGL", 3) == 0 || strstr(l, "Open Government Licence") != NULL);
}

const char *sv_proxy_attribution(const struct sv_proxy_table *t)
{
	if (t->attribution)
		return t->attribution;
	for (size_t i = 0; i < t->n_measures; i++)
		if (licence_named(t->measures[i].licence) && licence_ogl(t->measures[i].licence))
			return "Contains public sector information licensed under the Open Government Licence v3.0.";
	return NULL;
}

/* The distinct licences of the measures, then the attribution they ask
 * for (sv_proxy_attribution). */
static void proxies_attribution(FILE *out, const struct sv_proxy_table *t)
{
	bool any = false;
	for (size_t i = 0; i < t->n_measures; i++) {
		const char *l = t->measures[i].licence;
		if (!licence_named(l) || licence_seen(t, i, l))
			continue;
		fputs(any ? ", " : "\nLicences: ", out);
		fputs(l, out);
		any = true;
	}
	if (any)
		fputs(".\n", out);
	const char *attribution = sv_proxy_attribution(t);
	if (attribution)
		fprintf(out, "%s%s\n", any || !t->attribution ? "" : "\n", attribution);
}

/* One measure, everything the table says of it, for a person. */
static void text_measure(FILE *out, const struct sv_proxy_table *t, const struct sv_measure *m)
{
	char buf[SV_MONEY_TEXT_MAX];
	fprintf(out, "id:           %s\nname:         %s\ntheme:        %s (%s)\nunit:         %s\n", m->id, m->name,
		t->themes[m->theme].id, t->themes[m->theme].name, m->unit);
	if (m->record_only)
		fputs("value:        record-only (counted, never given a pound value)\n", out);
	else {
		sv_format_dec4(buf, m->value);
		fprintf(out, "value:        \xC2\xA3%s per %s\n", buf, m->unit);
	}
	for (size_t k = 0; k < m->n_units; k++) {
		char frac[48];
		sv_unit_fraction_text(frac, sizeof frac, m->units[k].num, m->units[k].den);
		fprintf(out, "%s%s = %s %s\n", k ? "              " : "also in:      ", m->units[k].name, frac, m->unit);
	}
	fprintf(out, "value type:   %s\n", sv_value_type_name(m->value_type));
	char *aliases = join_aliases(m, ", ");
	fprintf(out, "aliases:      %s\n", aliases && aliases[0] ? aliases : "(none)");
	free(aliases);
	char year[8];
	sv_price_year_text(m->price_year, year);
	if (year[0])
		fprintf(out, "price year:   %s%s\n", year, m->price_year.calendar ? " (calendar year)" : "");
	else
		fputs("price year:   (not given)\n", out);
	fprintf(out, "source:       %s\nlicence:      %s\nderivation:   %s\n", m->source ? m->source : "(not given)",
		m->licence ? m->licence : "(not given)", m->derivation ? m->derivation : "(not given)");
	bool any = false;
	for (int a = 0; a < 4; a++) {
		if (!m->adjust[a])
			continue;
		sv_format_dec4_min(buf, m->adjust[a]);
		fprintf(out, "%s%s %s", any ? ", " : "net value:    ", sv_adjustment_name((enum sv_adjustment)a), buf);
		any = true;
	}
	if (m->duration_years != 1) {
		fprintf(out, "%sduration_years %u", any ? ", " : "net value:    ", m->duration_years);
		any = true;
	}
	fputs(any ? "\n" : "net value:    no adjustments (gross)\n", out);
}

void sv_format_measure(FILE *out, enum sv_format fmt, const struct sv_proxy_table *t, const struct sv_measure *m)
{
	if (fmt == SV_FMT_JSON) {
		json_measure(out, t, m);
		fputc('\n', out);
	} else
		text_measure(out, t, m);
}

bool sv_proxy_digest(const struct sv_proxy_table *t, char out[65])
{
	if (t->digest_cache && t->digest_cache[0]) {
		memcpy(out, t->digest_cache, 65);
		return true;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return false;
	json_proxies(mem, t);
	bool ok = fclose(mem) == 0;
	if (ok) {
		struct sv_sha256 h;
		sv_sha256_init(&h);
		sv_sha256_update(&h, text, len);
		sv_sha256_hex(&h, out);
		if (t->digest_cache)
			memcpy(t->digest_cache, out, 65);
	}
	free(text);
	return ok;
}

/* ---- row writer -------------------------------------------------------- */

void sv_rw_begin(struct sv_row_writer *w, FILE *out, enum sv_format fmt, const char *const *names,
		 size_t n_cols)
{
	*w = (struct sv_row_writer){out, fmt, names, n_cols, 0, false};
	write_bom(out, fmt);
	if (fmt == SV_FMT_JSON) {
		fputc('[', out);
		return;
	}
	for (size_t c = 0; c < n_cols; c++) {
		if (c)
			fputc(fmt == SV_FMT_TSV ? '\t' : ',', out);
		if (fmt == SV_FMT_TSV)
			sv_write_tsv_field(out, names[c], strlen(names[c]));
		else
			sv_write_csv_field(out, names[c], strlen(names[c]), ',');
	}
	fputc('\n', out);
}

static void rw_start_cell(struct sv_row_writer *w)
{
	if (w->fmt == SV_FMT_JSON) {
		if (w->col == 0)
			fputs(w->any_row ? ",\n  {" : "\n  {", w->out);
		else
			fputs(", ", w->out);
		json_str(w->out, w->names[w->col]);
		fputs(": ", w->out);
	} else if (w->col)
		fputc(w->fmt == SV_FMT_TSV ? '\t' : ',', w->out);
	w->col++;
}

void sv_rw_text(struct sv_row_writer *w, const char *s, size_t n)
{
	rw_start_cell(w);
	if (w->fmt == SV_FMT_JSON)
		sv_write_json_string(w->out, s, n);
	else
		write_text_cell(w->out, s, n, w->fmt == SV_FMT_TSV ? '\t' : ',');
}

void sv_rw_number(struct sv_row_writer *w, const char *s)
{
	rw_start_cell(w);
	fputs(s, w->out);
}

void sv_rw_null(struct sv_row_writer *w)
{
	rw_start_cell(w);
	if (w->fmt == SV_FMT_JSON)
		fputs("null", w->out);
}

void sv_rw_end_row(struct sv_row_writer *w)
{
	fputs(w->fmt == SV_FMT_JSON ? "}" : "\n", w->out);
	w->col = 0;
	w->any_row = true;
}

void sv_rw_finish(struct sv_row_writer *w)
{
	if (w->fmt == SV_FMT_JSON)
		fputs(w->any_row ? "\n]\n" : "]\n", w->out);
}
