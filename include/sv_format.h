/*
 * sv_format.h - results and proxy listings in every output format.
 *
 * Formatters only print: they receive finished totals and never compute
 * one, except rounding each exact sum to the penny, which SPEC.md wants done
 * once, at print time.
 */
#ifndef SV_FORMAT_H
#define SV_FORMAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sv_group.h"
#include "sv_money.h"
#include "sv_proxy.h"

/* SV_FMT_XLSX, a workbook, is written by sv_xlsx_write (sv_xlsx.h), not
 * by sv_format_result: libxlsxwriter writes to a named file. */
enum sv_format {
	SV_FMT_TABLE,
	SV_FMT_CSV,
	SV_FMT_TSV,
	SV_FMT_JSON,
	SV_FMT_MARKDOWN,
	SV_FMT_SVG,
	SV_FMT_HEADLINE,
	SV_FMT_XLSX,
	SV_FMT_HTML
};

/* Case-insensitive: "csv", "CSV", ... */
bool sv_format_parse(const char *name, enum sv_format *out);
const char *sv_format_name(enum sv_format fmt);

/* read = valued + invalid + filtered + ignored.  ignored: rows a
 * profile's "ignore" rules matched; with_ignored: a profile was in use, so
 * JSON results state the count (results made without one keep their
 * bytes). */
struct sv_counts {
	uint64_t read, valued, invalid, filtered, ignored;
	bool with_ignored;
};

struct sv_input_info {
	const char *name; /* as given, "<stdin>" for standard input */
	uint64_t bytes;
	char sha256[65];  /* of the bytes read, lower-case hex */
	/* the records it was valued for: --from/--to and --skip-invalid (a
	 * merged result keeps each input's, which may differ) */
	bool has_from, has_to;
	int32_t from, to;
	bool skip_invalid;
	/* what became of its records, when it was read in this run (a merged
	 * result knows only the totals of each result) */
	bool has_counts;
	uint64_t read, valued, invalid, filtered, ignored;
};

/* What a JSON result records about how it was made, so that it can be
 * reproduced and merged only with results made the same way. */
struct sv_provenance {
	const char *table_sha256; /* of the table's canonical form; NULL: not printed */
	bool has_from, has_to;
	int32_t from, to;
	bool skip_invalid;
};

struct sv_result {
	const struct sv_proxy_table *table;
	const struct sv_provenance *provenance;
	const struct sv_key_spec *keys;
	const char *const *key_names; /* --by keys as the user named them */
	size_t n_keys;
	const struct sv_group *const *groups;
	size_t n_groups;
	struct sv_counts counts;
	const struct sv_input_info *inputs;
	size_t n_inputs;
	uint64_t total_records;
	sv_amount total;
	/* what every amount here counts in: 1/(10^19 x unit_lcm) pound (see
	 * sv_money.h; 1 or more) */
	int64_t unit_lcm;
	/* records per measure index (the measures a JSON result lists) */
	const uint64_t *measure_records;
	size_t n_measure_records;
	/* --targets and --spend columns, when asked for */
	bool targets;
	bool spend;
	sv_amount total_spend; /* all the spend given */
	/* net value and price-year rebasing: a factor per measure applied to
	 * the groups' gross per measure (NULL: none) */
	const int64_t *value_factors;
	const int64_t *net_factors;
	size_t n_factors;
	/* the prices the figures are in ("2026/27 prices"; NULL: unknown), and
	 * whether any value was rebased to them (value_factors set) */
	const char *price_basis;
	/* --compare: the earlier result's groups (NULL: no comparison), with
	 * its gross per measure, and its total */
	const struct sv_groups *previous;
	const sv_amount *previous_by_measure;
	sv_amount previous_total;
	uint64_t previous_valued;
	/* exact rebasing of the value: Σ gross × to / from */
	const int64_t *index_from;
	int64_t index_to;
};

/*
 * The figure a report leads with, in pence, for a group (g) or the total
 * (g NULL): the net value when net adjustments apply, otherwise the value,
 * rebased when the result states another price year; exactly what the
 * table, csv and json formats print for it.  false on overflow, or for a
 * group of record-only records (no figure).
 */
bool sv_result_lead_pence(const struct sv_result *r, const struct sv_group *g, sv_amount *pence);

/* --compare: the earlier result's lead figure for a group (g NULL: the
 * total) in the same basis, in pence; false when it has none. */
bool sv_result_previous_pence(const struct sv_result *r, const struct sv_group *g, sv_amount *pence);
/* The previous figure and the change from it (pence), and the change in
 * tenths of a percent when the previous figure is above 0 (has_pct);
 * false when either side has no figure. */
bool sv_result_change(const struct sv_result *r, const struct sv_group *g, sv_amount *previous, sv_amount *change,
		      sv_amount *tenths, bool *has_pct);

/* Whether the lead figures are net of adjustments. */
bool sv_result_is_net(const struct sv_result *r);

/* The result's inputs in byte order of their names (then of their
 * digests), as every format lists them, so that the order the files were
 * named in, or a merge of results, changes nothing; NULL when out of
 * memory.  Free it (not the inputs). */
const struct sv_input_info **sv_result_inputs_sorted(const struct sv_result *r);

/* Writes the result; the caller checks the stream for write errors.
 * SV_FMT_XLSX writes nothing here (see sv_xlsx.h). */
void sv_format_result(FILE *out, enum sv_format fmt, const struct sv_result *r);

/* The title the table format puts above a result: "Social value, proxy
 * table: NAME VERSION; £, 2026/27 prices, gross".  Newly allocated; NULL
 * when out of memory. */
char *sv_result_title(const struct sv_result *r);

/*
 * The result laid out cell by cell as csv lays it out, for a writer of
 * another container (xlsx): row 0 the header, then a row per group, then
 * the TOTAL row; each cell's text exactly as csv writes it before quoting
 * and before the formula guard ("" for an empty cell), and whether its
 * column holds figures sv-calc computed (header cells too).  false when out of memory (no
 * cell given then).
 */
typedef void sv_cell_fn(void *ctx, size_t row, size_t col, const char *text, bool figure);
bool sv_result_cells(const struct sv_result *r, sv_cell_fn *fn, void *ctx);

/* The key cells of group g as csv writes them, in order: each --by key's
 * text and, beside a theme or measure, its name; with each one's csv
 * header.  g NULL: the headers only (s NULL). */
typedef void sv_key_cell_fn(void *ctx, size_t col, const char *header, const char *s, size_t n);
void sv_result_key_cells(const struct sv_result *r, const struct sv_group *g, sv_key_cell_fn *fn, void *ctx);

/* The attribution a proxy table's licences ask for: its own "attribution"
 * statement, else the Open Government Licence's when a measure cites an
 * OGL source; NULL when neither. */
const char *sv_proxy_attribution(const struct sv_proxy_table *t);
/* The lead figure of several groups together, in pence: their exact sums
 * added, then rounded once as sv_result_lead_pence rounds one group's.
 * Record-only groups add nothing; false on overflow or when none of the
 * groups has a figure.  A chart's "Other" bar is such a sum. */
bool sv_result_lead_pence_sum(const struct sv_result *r, const struct sv_group *const *groups, size_t n,
			      sv_amount *pence);

/* One measure's share of a group (g NULL: of the whole result), in pence:
 * its value, rebased when the result states another price year, and with
 * net adjustments its net value (else *net is the value).  false when the
 * groups keep no figures per measure, or on overflow. */
bool sv_result_measure_pence(const struct sv_result *r, const struct sv_group *g, size_t measure, sv_amount *value,
			     sv_amount *net);

/* The total row's ratios, as the table prints them, in tenths of a
 * percent: the value delivered against --targets (false when there are
 * none with a value), and against spend (false without spend). */
bool sv_result_delivered_tenths(const struct sv_result *r, sv_amount *tenths);
bool sv_result_return_tenths(const struct sv_result *r, sv_amount *tenths);

/* Writes the result; the caller checks the stream for write errors. */
void sv_format_result(FILE *out, enum sv_format fmt, const struct sv_result *r);

/* The totals table of the table format (every column it has: records,
 * value, net, targets, spend, compare) as an HTML <table>, its text
 * escaped; the report page holds it. */
void sv_format_result_html_table(FILE *out, const struct sv_result *r);

/* Writes the proxy table listing: theme, measure id, name, unit, value,
 * value type, aliases. */
void sv_format_proxies(FILE *out, enum sv_format fmt, const struct sv_proxy_table *t);

/* One measure: every field, as lines for a person (table) or as the JSON
 * object the json listing holds for it. */
void sv_format_measure(FILE *out, enum sv_format fmt, const struct sv_proxy_table *t, const struct sv_measure *m);

/* The SHA-256 of a table's canonical form: its "proxies -f json" listing,
 * so formatting and key order in the file do not change it. */
bool sv_proxy_digest(const struct sv_proxy_table *t, char out[65]);

/*
 * A stream of rows with named columns, in csv, tsv or json (an array of
 * objects, one per line); used by trace.  Cells are given in column order.
 */
struct sv_row_writer {
	FILE *out;
	enum sv_format fmt;
	const char *const *names;
	size_t n_cols, col;
	bool any_row;
};

void sv_rw_begin(struct sv_row_writer *w, FILE *out, enum sv_format fmt, const char *const *names,
		 size_t n_cols);
void sv_rw_text(struct sv_row_writer *w, const char *s, size_t n); /* a string */
void sv_rw_number(struct sv_row_writer *w, const char *s);         /* bare in JSON */
void sv_rw_null(struct sv_row_writer *w);                          /* empty; JSON null */
void sv_rw_end_row(struct sv_row_writer *w);
void sv_rw_finish(struct sv_row_writer *w);

/* Off by default: text cells of csv and tsv output that a spreadsheet would
 * run as a formula get a leading apostrophe.  --raw turns that off. */
void sv_format_set_raw(bool raw);

/* --bom: csv and tsv output start with a UTF-8 byte order mark, so that
 * Excel reads the text as UTF-8 (otherwise "£" shows as "Â£"). */
void sv_format_set_bom(bool bom);

/* A table on a terminal: bars beside the group values, colour, and the
 * terminal's width to fit (0: no limit). */
void sv_format_set_terminal(bool bars, bool colour, size_t width);

/* Field writers shared with other commands (no formula guard). */
void sv_write_csv_field(FILE *out, const char *s, size_t n, char delimiter);
/* The same field into dst, which has room for 2 * n + 2 bytes; returns the
 * bytes it took.  For a writer that puts a whole line out at once. */
size_t sv_csv_field(char *dst, const char *s, size_t n, char delimiter);
void sv_write_tsv_field(FILE *out, const char *s, size_t n);
void sv_write_json_string(FILE *out, const char *s, size_t n);

#endif
