/*
 * options.c - option table, parser and help text.
 */
#include "sv_options.h"
#include "sv_date.h"
#include "sv_diag.h"
#include "sv_proxy.h"
#include "sv_report.h"
#include "sv_money.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum option_id {
	OPT_PROXIES, OPT_FORMAT, OPT_BY, OPT_FROM, OPT_TO, OPT_SKIP_INVALID, OPT_DELIMITER,
	OPT_PRICE_YEAR, OPT_DEFLATORS, OPT_DEADWEIGHT, OPT_ATTRIBUTION, OPT_DISPLACEMENT, OPT_DROP_OFF,
	OPT_DURATION, OPT_DISCOUNT, OPT_QUIET, OPT_NO_BARS, OPT_TARGETS, OPT_COMPARE, OPT_SPEND, OPT_SPEND_FILE, OPT_MAP, OPT_MAP_FILE, OPT_PROFILE, OPT_INPUTS, OPT_MAX_ERRORS, OPT_ENCODING, OPT_RAW, OPT_BOM, OPT_ALLOW_IDENTICAL, OPT_JOBS, OPT_OUTPUT, OPT_REJECTS, OPT_TABLE_NAME, OPT_TABLE_VERSION, OPT_HELP, OPT_VERSION
};

#define FOR_VALUE (1u << SV_CMD_VALUE)
#define FOR_CHECK (1u << SV_CMD_CHECK)
#define FOR_TRACE (1u << SV_CMD_TRACE)
#define FOR_PROXIES (1u << SV_CMD_PROXIES)
#define FOR_MERGE (1u << SV_CMD_MERGE)
#define FOR_IMPORT (1u << SV_CMD_IMPORT)
#define FOR_SHOW (1u << SV_CMD_SHOW)
#define FOR_TABLE_CHECK (1u << SV_CMD_TABLE_CHECK)
#define FOR_GUESS (1u << SV_CMD_GUESS)
#define FOR_ALL (FOR_VALUE | FOR_CHECK | FOR_TRACE | FOR_PROXIES | FOR_MERGE | FOR_IMPORT | FOR_SHOW | FOR_TABLE_CHECK | \
		 FOR_GUESS)
#define FOR_RECORDS (FOR_VALUE | FOR_CHECK | FOR_TRACE)

struct option_def {
	enum option_id id;
	char short_name;
	const char *long_name;
	const char *arg; /* NULL: a flag */
	unsigned commands;
	const char *help;
};

static const struct option_def option_table[] = {
	{OPT_PROXIES, 'p', "proxies", "FILE", FOR_RECORDS | FOR_PROXIES | FOR_MERGE | FOR_SHOW | FOR_TABLE_CHECK | FOR_GUESS,
	 "proxy table (default: $SV_CALC_PROXIES, else the built-in table)"},
	{OPT_FORMAT, 'f', "format", "FMT", FOR_VALUE | FOR_TRACE | FOR_PROXIES | FOR_MERGE | FOR_SHOW,
	 "table (default), csv, tsv, json, markdown, svg, headline, html or xlsx (a workbook: with -o FILE.xlsx or a redirection); trace: csv (default), tsv or json"},
	{OPT_BY, 'b', "by", "KEYS", FOR_RECORDS | FOR_MERGE,
	 "group by keys, comma-separated (default: theme; merge: the first result's): theme, measure, value_type, month, quarter, fq, year, fy, file (the input's name), or an input column (column:NAME)"},
	{OPT_FROM, 0, "from", "DATE", FOR_RECORDS, "keep records dated on or after DATE (YYYY-MM-DD or DD/MM/YYYY)"},
	{OPT_TO, 0, "to", "DATE", FOR_RECORDS, "keep records dated on or before DATE"},
	{OPT_SKIP_INVALID, 0, "skip-invalid", NULL, FOR_VALUE | FOR_TRACE,
	 "value the valid records, report and skip invalid ones"},
	{OPT_DELIMITER, 'd', "delimiter", "C", FOR_RECORDS | FOR_GUESS,
	 "field separator: one character or 'tab' (default: detected from the header)"},
	{OPT_PRICE_YEAR, 0, "price-year", "YEAR", FOR_VALUE | FOR_MERGE,
	 "state values in the prices of financial year YEAR (2025 or 2025/26: April 2025 to March 2026), rebased with GDP deflators"},
	{OPT_DEFLATORS, 0, "deflators", "FILE", FOR_VALUE | FOR_MERGE,
	 "the deflator series for --price-year (default: HM Treasury GDP deflators, built in)"},
	{OPT_DEADWEIGHT, 0, "deadweight", "F", FOR_VALUE | FOR_MERGE, "share that would have happened anyway, 0 to 1 or a percentage (20%), for every measure"},
	{OPT_ATTRIBUTION, 0, "attribution", "F", FOR_VALUE | FOR_MERGE, "share owed to others, 0 to 1, for every measure"},
	{OPT_DISPLACEMENT, 0, "displacement", "F", FOR_VALUE | FOR_MERGE, "share displaced from elsewhere, 0 to 1, for every measure"},
	{OPT_DROP_OFF, 0, "drop-off", "F", FOR_VALUE | FOR_MERGE, "yearly decline of a benefit lasting several years, 0 to 1"},
	{OPT_DURATION, 0, "duration-years", "N", FOR_VALUE | FOR_MERGE, "years a benefit lasts, 1 to 50, for every measure"},
	{OPT_DISCOUNT, 0, "discount-rate", "R", FOR_VALUE | FOR_MERGE,
	 "yearly discount rate for benefits after the first year (default: 0.035, the Green Book rate)"},
	{OPT_QUIET, 'q', "quiet", NULL, FOR_RECORDS,
	 "no progress line (shown on a terminal when reading takes more than a second)"},
	{OPT_NO_BARS, 0, "no-bars", NULL, FOR_VALUE | FOR_MERGE, "no bars beside the values in a table on a terminal"},
	{OPT_TARGETS, 0, "targets", "FILE", FOR_VALUE | FOR_MERGE,
	 "compare with committed quantities: a CSV of measure, quantity and --by key columns; adds target, delivered, variance and % delivered"},
	{OPT_COMPARE, 0, "compare", "FILE", FOR_VALUE | FOR_MERGE,
	 "compare with an earlier JSON result (or merge of results) made with the same table: adds previous value, change and % change per group"},
	{OPT_SPEND, 0, "spend", "AMOUNT", FOR_VALUE | FOR_MERGE,
	 "contract spend in pounds: adds social value as a % of spend and in pence per pound"},
	{OPT_SPEND_FILE, 0, "spend-file", "FILE", FOR_VALUE | FOR_MERGE,
	 "spend per group: a CSV of the --by key columns and spend"},
	{OPT_MAP, 0, "map", "FIELD=COLUMN", FOR_RECORDS,
	 "read FIELD (measure, quantity, date or unit) from the input column COLUMN, e.g. --map measure=\"Activity Type\""},
	{OPT_MAP_FILE, 0, "map-file", "FILE", FOR_RECORDS,
	 "read --map settings from FILE, one FIELD=COLUMN a line (# starts a comment)"},
	{OPT_PROFILE, 0, "profile", "FILE", FOR_RECORDS,
	 "read every input as the profile FILE (JSON) describes: lines above the header, delimiter, encoding, columns, measure names, rows to ignore, constant columns"},
	{OPT_INPUTS, 0, "inputs", "LIST.csv", FOR_RECORDS,
	 "value the files a CSV list names (column file; optional profile; other columns are constants, usable as --by keys); paths are relative to the list's folder"},
	{OPT_MAX_ERRORS, 0, "max-errors", "N", FOR_RECORDS,
	 "show at most N record problems, then a count (default: 50; 0: all)"},
	{OPT_ENCODING, 0, "encoding", "ENC", FOR_RECORDS,
	 "the input's character set: utf-8 (default) or windows-1252 (converted to UTF-8 as it is read)"},
	{OPT_RAW, 0, "raw", NULL, FOR_VALUE | FOR_TRACE | FOR_PROXIES | FOR_MERGE,
	 "write text cells of csv/tsv output as they are (by default, a cell starting with = + - @ TAB or CR gets a leading ' so spreadsheets do not run it as a formula)"},
	{OPT_BOM, 0, "bom", NULL, FOR_VALUE | FOR_TRACE | FOR_PROXIES | FOR_MERGE,
	 "start csv/tsv output with a UTF-8 byte order mark, so that Excel reads pound signs, accents and Welsh letters right"},
	{OPT_ALLOW_IDENTICAL, 0, "allow-identical-inputs", NULL, FOR_RECORDS | FOR_MERGE,
	 "value inputs whose bytes are identical (by default refused: the same export given twice would count twice)"},
	{OPT_JOBS, 'j', "jobs", "N", FOR_VALUE | FOR_CHECK,
	 "threads for a large file (default: one per CPU); the output is the same for every N"},
	{OPT_OUTPUT, 'o', "output", "FILE", FOR_ALL & ~(unsigned)(FOR_CHECK | FOR_TABLE_CHECK),
	 "write the results to FILE, atomically: on any error an existing FILE is left as it was"},
	{OPT_REJECTS, 0, "rejects", "FILE", FOR_VALUE | FOR_CHECK,
	 "write every invalid record to FILE as CSV, with source_file, source_line and reason columns (FILE is removed when nothing is rejected)"},
	{OPT_TABLE_NAME, 0, "name", "NAME", FOR_IMPORT, "the table's name (default: the file name without .csv)"},
	{OPT_TABLE_VERSION, 0, "table-version", "VERSION", FOR_IMPORT, "the table's version (default: 1)"},
	{OPT_HELP, 'h', "help", NULL, FOR_ALL, "print this help and exit"},
	{OPT_VERSION, 'V', "version", NULL, FOR_ALL, "print the version and exit"},
};

#define N_OPTIONS (sizeof option_table / sizeof option_table[0])

static const struct {
	const char *name;
	enum sv_command cmd;
	const char *synopsis;
	const char *summary;
} commands[] = {
	{"", SV_CMD_VALUE, "[OPTIONS] [FILE...]", "value the records and print totals per group"},
	{"check", SV_CMD_CHECK, "check [OPTIONS] [FILE...]",
	 "validate the proxy table and the records; list every problem"},
	{"trace", SV_CMD_TRACE, "trace [OPTIONS] [FILE...]", "print how each record was valued"},
	{"proxies", SV_CMD_PROXIES, "proxies [OPTIONS]", "list the proxy table"},
	{"merge", SV_CMD_MERGE, "merge [OPTIONS] FILE.json...", "add up earlier JSON results exactly, then report as one run would"},
	{"proxies import", SV_CMD_IMPORT, "proxies import [OPTIONS] FILE.csv",
	 "convert a proxy table kept in a spreadsheet (CSV) into JSON"},
	{"proxies show", SV_CMD_SHOW, "proxies show [OPTIONS] ID",
	 "print one measure (by id or alias) with its value and provenance"},
	{"proxies check", SV_CMD_TABLE_CHECK, "proxies check [OPTIONS]",
	 "validate the proxy table alone; report every problem"},
	{"profile guess", SV_CMD_GUESS, "profile guess [OPTIONS] FILE.csv",
	 "write a starting profile (JSON) for an export, from its first lines"},
};

const char *sv_command_name(enum sv_command cmd)
{
	return commands[cmd].name;
}

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void usage_error(const char *fmt, ...)
{
	FILE *out = sv_diag_stream();
	va_list ap;
	fputs(SV_PROGRAM ": ", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputs("\nTry '" SV_PROGRAM " --help'.\n", out);
}

/* ---- option values ----------------------------------------------------- */

static bool key_equal(const struct sv_key_spec *a, const struct sv_key_spec *b)
{
	if (a->kind != b->kind)
		return false;
	return a->kind != SV_KEY_COLUMN || strcasecmp(a->column, b->column) == 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Whether an output column would already be called name. */
static bool name_taken(const struct sv_options *o, size_t self, const char *name)
{
	static const char *const fields[] = {"records", "value", "value_exact"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcasecmp(name, fields[i]) == 0)
			return true;
	for (size_t k = 0; k < o->n_keys; k++) {
		if (k == self)
			continue;
		if (strcasecmp(name, sv_key_name(o->keys[k].kind)) == 0 && o->keys[k].kind != SV_KEY_COLUMN)
			return true;
		if (o->keys[k].kind == SV_KEY_THEME && strcasecmp(name, "theme_name") == 0)
			return true;
		if (o->keys[k].kind == SV_KEY_MEASURE && strcasecmp(name, "measure_name") == 0)
			return true;
		if (o->keys[k].kind == SV_KEY_COLUMN && k < self && strcasecmp(name, o->key_names[k]) == 0)
			return true;
	}
	return false;
}

/* An input column whose name another output column already has is shown
 * as "column:NAME", so no CSV header or JSON object has a name twice. */
static bool rename_clashes(struct sv_options *o)
{
	for (size_t k = 0; k < o->n_keys; k++) {
		if (o->keys[k].kind != SV_KEY_COLUMN || !name_taken(o, k, o->keys[k].column))
			continue;
		size_t n = strlen(o->keys[k].column) + sizeof "column:";
		o->key_name_owned[k] = malloc(n);
		if (!o->key_name_owned[k])
			return false;
		snprintf(o->key_name_owned[k], n, "column:%s", o->keys[k].column);
		o->key_names[k] = o->key_name_owned[k];
	}
	return true;
}

static void free_key_names(struct sv_options *o)
{
	for (size_t k = 0; k < SV_MAX_KEYS; k++) {
		free(o->key_name_owned[k]);
		o->key_name_owned[k] = NULL;
	}
}

bool sv_parse_by(struct sv_options *o, const char *text)
{
	free_key_names(o);
	free(o->by_text);
	o->by_text = strdup(text);
	o->n_keys = 0;
	if (!o->by_text) {
		sv_diag("out of memory");
		return false;
	}
	char *save = NULL;
	size_t len = strlen(text);
	/* strtok_r would skip empty items, which must be errors */
	for (char *item = o->by_text; item <= o->by_text + len; item = save + 1) {
		save = strchr(item, ',');
		if (!save)
			save = item + strlen(item);
		*save = '\0';
		char *item_name = trim(item);
		const char *name = item_name;
		struct sv_key_spec spec;
		if (!*name) {
			usage_error("--by '%s': an empty key", text);
			return false;
		}
		if (strncasecmp(name, "column:", 7) == 0) {
			spec.kind = SV_KEY_COLUMN;
			spec.column = trim(item_name + 7);
			if (!*spec.column) {
				usage_error("--by '%s': 'column:' needs a column name", text);
				return false;
			}
			name = spec.column;
		} else if (!sv_key_builtin(name, &spec.kind)) {
			spec.kind = SV_KEY_COLUMN;
			spec.column = name;
		} else {
			spec.column = NULL;
			name = sv_key_name(spec.kind);
		}
		for (size_t k = 0; k < o->n_keys; k++) {
			if (key_equal(&o->keys[k], &spec)) {
				usage_error("--by: key '%s' is named twice", name);
				return false;
			}
		}
		if (o->n_keys == SV_MAX_KEYS) {
			usage_error("--by: at most 16 keys");
			return false;
		}
		o->key_names[o->n_keys] = name;
		o->keys[o->n_keys++] = spec;
		if (save == o->by_text + len)
			break;
	}
	if (!rename_clashes(o)) {
		sv_diag("out of memory");
		return false;
	}
	return true;
}

/* FIELD=COLUMN; where says where it came from, for the message. */
static bool apply_map(struct sv_options *o, const char *v, const char *where, unsigned long line)
{
	static const char *const fields[] = {"measure", "quantity", "date", "unit"};
	const char *eq = strchr(v, '=');
	char field[16] = "";
	size_t n = eq ? (size_t)(eq - v) : 0;
	while (n && v[n - 1] == ' ')
		n--;
	if (eq && n < sizeof field)
		memcpy(field, v, n), field[n] = '\0';
	const char *column = eq ? eq + 1 : NULL;
	while (column && *column == ' ')
		column++;
	for (size_t i = 0; eq && column && *column && i < 4; i++) {
		if (strcasecmp(field, fields[i]) != 0)
			continue;
		const char **slot = i == 0 ? &o->map_measure : i == 1 ? &o->map_quantity : i == 2 ? &o->map_date : &o->map_unit;
		if (line) {
			/* a line of a file: keep a copy, trimmed at the end */
			free(o->map_owned[i]);
			o->map_owned[i] = strdup(column);
			if (!o->map_owned[i])
				return false;
			size_t len = strlen(o->map_owned[i]);
			while (len && (o->map_owned[i][len - 1] == ' ' || o->map_owned[i][len - 1] == '\r'))
				o->map_owned[i][--len] = '\0';
			*slot = o->map_owned[i];
		} else
			*slot = column;
		return true;
	}
	if (line)
		usage_error("%s:%lu: '%s' is not FIELD=COLUMN with FIELD measure, quantity, date or unit", where, line, v);
	else
		usage_error("%s: '%s' is not FIELD=COLUMN with FIELD measure, quantity, date or unit", where, v);
	return false;
}

static bool apply_map_file(struct sv_options *o, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		usage_error("--map-file: cannot open '%s'", path);
		return false;
	}
	const char **grown = realloc(o->map_files, (o->n_map_files + 1) * sizeof *grown);
	if (!grown) {
		fclose(f);
		usage_error("out of memory");
		return false;
	}
	o->map_files = grown;
	o->map_files[o->n_map_files++] = path;
	char line[1024];
	unsigned long n = 0;
	bool ok = true;
	while (ok && fgets(line, sizeof line, f)) {
		n++;
		line[strcspn(line, "\r\n")] = '\0';
		char *s = trim(line);
		if (*s && *s != '#')
			ok = apply_map(o, s, path, n);
	}
	fclose(f);
	return ok;
}

/* "2025", or the year written as sv-calc prints it ("2025/26"), or as the
 * deflator series names it ("2025-26"): the year that starts in April 2025. */
static bool parse_financial_year(const char *v, int *out)
{
	struct sv_price_year y;
	if (!sv_price_year_parse(v, strlen(v), true, &y))
		return false;
	*out = y.year;
	return true;
}

static bool parse_delimiter(const char *v, int *out)
{
	if (strcasecmp(v, "tab") == 0 || strcmp(v, "\\t") == 0) {
		*out = '\t';
		return true;
	}
	if (strlen(v) != 1 || v[0] == '"' || v[0] == '\n' || v[0] == '\r')
		return false;
	*out = (unsigned char)v[0];
	return true;
}

/* A fraction as "0.2" or as a percentage "20%" (what people write for a
 * deadweight); dec4, 0 to 1.  A percentage keeps the 4-decimal bound of
 * the fraction it stands for, so it has at most 2 decimals. */
static bool parse_fraction(const char *v, int64_t *f)
{
	size_t n = strlen(v);
	if (n == 0 || v[n - 1] != '%')
		return sv_dec4_parse_plain(v, n, SV_DEC4_SCALE, f);
	int64_t pct;
	if (!sv_dec4_parse_plain(v, n - 1, 100 * SV_DEC4_SCALE, &pct) || pct % 100 != 0)
		return false;
	*f = pct / 100;
	return true;
}

static bool apply(struct sv_options *o, const struct option_def *d, const char *v)
{
	switch (d->id) {
	case OPT_PROXIES: o->proxies = v; return true;
	case OPT_FORMAT:
		if (sv_format_parse(v, &o->format)) {
			o->format_given = true;
			return true;
		}
		usage_error("--format: unknown format '%s' (table, csv, tsv, json, markdown, svg, headline, html or xlsx)", v);
		return false;
	case OPT_BY: return sv_parse_by(o, v);
	case OPT_FROM:
	case OPT_TO: {
		int32_t *date = d->id == OPT_FROM ? &o->from : &o->to;
		if (!sv_date_parse(v, strlen(v), date)) {
			usage_error("--%s: '%s' is not a valid date (YYYY-MM-DD or DD/MM/YYYY)", d->long_name, v);
			return false;
		}
		*(d->id == OPT_FROM ? &o->has_from : &o->has_to) = true;
		return true;
	}
	case OPT_SKIP_INVALID: o->skip_invalid = true; return true;
	case OPT_DELIMITER:
		if (parse_delimiter(v, &o->delimiter))
			return true;
		usage_error("--delimiter: '%s' is not one character or 'tab'", v);
		return false;
	case OPT_ENCODING:
		if (strcasecmp(v, "utf-8") == 0 || strcasecmp(v, "utf8") == 0) {
			o->cp1252 = false;
			return true;
		}
		if (strcasecmp(v, "windows-1252") == 0 || strcasecmp(v, "cp1252") == 0) {
			o->cp1252 = true;
			return true;
		}
		usage_error("--encoding: unknown encoding '%s' (utf-8 or windows-1252)", v);
		return false;
	case OPT_PRICE_YEAR:
		if (!parse_financial_year(v, &o->price_year)) {
			usage_error("--price-year: '%s' is not a financial year such as 2025 or 2025/26", v);
			return false;
		}
		return true;
	case OPT_DURATION: {
		char *end;
		long n = strtol(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || n < 1 || n > 50) {
			usage_error("--duration-years: '%s' is not a number of years from 1 to 50", v);
			return false;
		}
		o->duration_years = (unsigned)n;
		return true;
	}
	case OPT_DEFLATORS: o->deflators = v; return true;
	case OPT_DEADWEIGHT:
	case OPT_ATTRIBUTION:
	case OPT_DISPLACEMENT:
	case OPT_DROP_OFF:
	case OPT_DISCOUNT: {
		int64_t f;
		if (!parse_fraction(v, &f)) {
			usage_error("--%s: '%s' is not a fraction from 0 to 1 or a percentage from 0%% to 100%% (at most 4 decimals as a fraction: 12.25%% is 0.1225)",
				    d->long_name, v);
			return false;
		}
		if (d->id == OPT_DISCOUNT)
			o->discount_rate = f;
		else {
			int a = d->id == OPT_DEADWEIGHT ? 0 : d->id == OPT_ATTRIBUTION ? 1 : d->id == OPT_DISPLACEMENT ? 2 : 3;
			o->adjust[a] = f;
			o->has_adjust[a] = true;
		}
		return true;
	}
	case OPT_QUIET: o->quiet = true; return true;
	case OPT_NO_BARS: o->no_bars = true; return true;
	case OPT_TARGETS: o->targets = v; return true;
	case OPT_COMPARE: o->compare = v; return true;
	case OPT_SPEND_FILE: o->spend_file = v; return true;
	case OPT_SPEND:
		/* read before the table is: in 1/10^19 pound, scaled to the
		 * totals' unit when the report is made */
		if (!sv_parse_pounds(v, strlen(v), 1, &o->spend) || o->spend <= 0) {
			usage_error("--spend: '%s' is not a positive amount of pounds", v);
			return false;
		}
		o->has_spend = true;
		return true;
	case OPT_MAP: return apply_map(o, v, "--map", 0);
	case OPT_MAP_FILE: return apply_map_file(o, v);
	case OPT_PROFILE: o->profile = v; return true;
	case OPT_INPUTS:
		if (strcmp(v, "-") == 0) {
			usage_error("--inputs needs a file name (standard input may be one of the inputs)");
			return false;
		}
		o->inputs_list = v;
		return true;
	case OPT_MAX_ERRORS: {
		char *end;
		long n = strtol(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || n < 0) {
			usage_error("--max-errors: '%s' is not a number", v);
			return false;
		}
		o->max_errors = n ? n : -1;
		return true;
	}
	case OPT_RAW: o->raw = true; return true;
	case OPT_BOM: o->bom = true; return true;
	case OPT_ALLOW_IDENTICAL: o->allow_identical = true; return true;
	case OPT_JOBS: {
		char *end;
		long n = strtol(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || n < 1 || n > 64) {
			usage_error("--jobs: '%s' is not a number from 1 to 64", v);
			return false;
		}
		o->jobs = n;
		return true;
	}
	case OPT_OUTPUT: o->output = v; return true;
	case OPT_REJECTS:
		if (strcmp(v, "-") == 0) {
			usage_error("--rejects needs a file name (standard output holds the results)");
			return false;
		}
		o->rejects = v;
		return true;
	case OPT_TABLE_NAME: o->table_name = v; return true;
	case OPT_TABLE_VERSION: o->table_version = v; return true;
	case OPT_HELP: o->help = true; return true;
	case OPT_VERSION: o->version = true; return true;
	}
	return false;
}

/* ---- the parser -------------------------------------------------------- */

static const struct option_def *find_long(const char *name, size_t n)
{
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (strlen(option_table[i].long_name) == n && strncmp(option_table[i].long_name, name, n) == 0)
			return &option_table[i];
	return NULL;
}

static const struct option_def *find_short(char c)
{
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (option_table[i].short_name == c)
			return &option_table[i];
	return NULL;
}

static void unknown_long(const char *name, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	for (size_t i = 0; i < N_OPTIONS; i++) {
		size_t d = sv_edit_distance(name, n, option_table[i].long_name, strlen(option_table[i].long_name));
		if (d < best_d) {
			best_d = d;
			best = option_table[i].long_name;
		}
	}
	char shown[128];
	snprintf(shown, sizeof shown, "--%.*s", (int)(n > 100 ? 100 : n), name);
	if (best && sv_close_enough(best_d, n))
		usage_error("unknown option '%s' (did you mean '--%s'?)", shown, best);
	else
		usage_error("unknown option '%s'", shown);
}

static bool check_command(const struct sv_options *o, const struct option_def *d)
{
	if (d->commands & (1u << o->command))
		return true;
	char shown[64];
	snprintf(shown, sizeof shown, "--%s", d->long_name);
	usage_error("option '%s' does not apply to '%s'", shown, commands[o->command].name);
	return false;
}

static bool add_file(struct sv_options *o, const char *name, bool *stdin_seen)
{
	if (strcmp(name, "-") == 0) {
		if (*stdin_seen) {
			usage_error("standard input ('-') is named twice");
			return false;
		}
		*stdin_seen = true;
	}
	o->files[o->n_files++] = name;
	return true;
}

/* Handles argv[*i], a long option; may consume the next argument. */
static bool parse_long(struct sv_options *o, int argc, char **argv, int *i)
{
	const char *body = argv[*i] + 2, *eq = strchr(body, '=');
	size_t n = eq ? (size_t)(eq - body) : strlen(body);
	const struct option_def *d = find_long(body, n);
	if (!d) {
		unknown_long(body, n);
		return false;
	}
	if (!check_command(o, d))
		return false;
	if (!d->arg) {
		if (eq) {
			usage_error("option '--%s' takes no value", d->long_name);
			return false;
		}
		return apply(o, d, NULL);
	}
	if (eq)
		return apply(o, d, eq + 1);
	if (*i + 1 >= argc) {
		usage_error("option '--%s' needs a value (%s)", d->long_name, d->arg);
		return false;
	}
	return apply(o, d, argv[++*i]);
}

/* Handles argv[*i], one or more bundled short options ("-fcsv", "-Vh"). */
static bool parse_short(struct sv_options *o, int argc, char **argv, int *i)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct option_def *d = find_short(*p);
		if (!d) {
			char shown[3] = {'-', *p, '\0'};
			usage_error("unknown option '%s'", shown);
			return false;
		}
		if (!check_command(o, d))
			return false;
		if (!d->arg) {
			if (!apply(o, d, NULL))
				return false;
			continue;
		}
		if (p[1])
			return apply(o, d, p + 1);
		if (*i + 1 >= argc) {
			char shown[3] = {'-', *p, '\0'};
			usage_error("option '%s' needs a value (%s)", shown, d->arg);
			return false;
		}
		return apply(o, d, argv[++*i]);
	}
	return true;
}

/* The command a word nearly spells ("chek": "check"), among the first
 * words of the commands, or among a command's subcommands when group is
 * given ("proxies"). */
static const char *nearest_command(const char *word, const char *group, char found[32])
{
	size_t n = strlen(word), best_d = SIZE_MAX, glen = group ? strlen(group) : 0;
	const char *best = NULL;
	for (size_t c = 1; c < sizeof commands / sizeof commands[0]; c++) {
		const char *name = commands[c].name, *sp = strchr(name, ' ');
		if (group && !(sp && (size_t)(sp - name) == glen && strncmp(name, group, glen) == 0))
			continue;
		const char *cand = group ? sp + 1 : name;
		size_t len = group ? strlen(cand) : sp ? (size_t)(sp - name) : strlen(name);
		size_t d = sv_edit_distance(word, n, cand, len);
		if (d < best_d && len < 32) {
			best_d = d;
			memcpy(found, cand, len);
			found[len] = '\0';
			best = found;
		}
	}
	return best && sv_close_enough(best_d, n) ? best : NULL;
}

/* A first word that is no file but nearly a command is a typo of the
 * command: "sv-calc chek q1.csv" must not read as "cannot open chek". */
static bool mistyped_command(const struct sv_options *o, char **argv)
{
	if (o->command != SV_CMD_VALUE || o->n_files == 0 || o->files[0] != argv[1])
		return false;
	const char *word = argv[1];
	if (strchr(word, '/') || strchr(word, '.') || access(word, F_OK) == 0)
		return false;
	char found[32];
	const char *cmd = nearest_command(word, NULL, found);
	if (!cmd)
		return false;
	usage_error("'%s' is neither a command nor a file (did you mean '%s %s'?)", word, SV_PROGRAM, cmd);
	return true;
}

/* check reads records; with no file it would wait for a terminal's
 * typing, which looks like a hang to someone checking a proxy table. */
static bool check_waits_on_terminal(const struct sv_options *o)
{
	if (o->command != SV_CMD_CHECK || o->n_files != 0 || !isatty(STDIN_FILENO))
		return false;
	usage_error("'check' validates records, and standard input is a terminal: name the export (%s check FILE.csv), or check the table alone with '%s proxies check%s'",
		    SV_PROGRAM, SV_PROGRAM, o->proxies ? " -p FILE" : "");
	return true;
}

/* A workbook is binary: on a terminal it is noise that can upset the
 * terminal.  (-o naming a terminal is refused when it is opened.) */
static bool binary_to_terminal(const struct sv_options *o)
{
	if (o->format != SV_FMT_XLSX || (o->output && strcmp(o->output, "-") != 0) || !isatty(STDOUT_FILENO))
		return false;
	usage_error("-f xlsx writes a binary workbook, and standard output is a terminal: name a file with -o FILE.xlsx, "
		    "or redirect (> FILE.xlsx)");
	return true;
}

enum sv_status sv_options_parse(struct sv_options *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	o->files = calloc((size_t)argc + 1, sizeof *o->files);
	if (!o->files)
		return SV_ESOFTWARE;
	int i = 1;
	if (argc > 1) {
		for (size_t c = 1; c < sizeof commands / sizeof commands[0]; c++) {
			if (strcmp(argv[1], commands[c].name) == 0) {
				o->command = commands[c].cmd;
				i = 2;
			}
		}
	}
	static const struct {
		const char *word;
		enum sv_command cmd;
	} proxies_commands[] = {{"import", SV_CMD_IMPORT}, {"show", SV_CMD_SHOW}, {"check", SV_CMD_TABLE_CHECK}};
	for (size_t c = 0; o->command == SV_CMD_PROXIES && argc > 2 && c < 3; c++) {
		if (strcmp(argv[2], proxies_commands[c].word) == 0) {
			o->command = proxies_commands[c].cmd;
			i = 3;
		}
	}
	/* "profile" is only a command with its subcommand */
	if (argc > 1 && strcmp(argv[1], "profile") == 0) {
		if (argc > 2 && strcmp(argv[2], "guess") == 0) {
			o->command = SV_CMD_GUESS;
			i = 3;
		} else {
			usage_error("'profile' needs a subcommand: '" SV_PROGRAM " profile guess FILE.csv' (a file named "
				    "'profile' is ./profile)");
			return SV_EUSAGE;
		}
	}
	o->max_errors = 50;
	o->discount_rate = 350; /* 3.5%, HM Treasury Green Book */
	o->keys[0].kind = SV_KEY_THEME;
	o->key_names[0] = "theme";
	o->n_keys = 1;
	bool only_files = false, stdin_seen = false;
	for (; i < argc; i++) {
		const char *a = argv[i];
		bool ok;
		if (only_files || a[0] != '-' || a[1] == '\0')
			ok = add_file(o, a, &stdin_seen);
		else if (strcmp(a, "--") == 0) {
			only_files = true;
			ok = true;
		} else if (a[1] == '-')
			ok = parse_long(o, argc, argv, &i);
		else
			ok = parse_short(o, argc, argv, &i);
		if (!ok)
			return SV_EUSAGE;
	}
	if (o->help || o->version)
		return SV_OK;
	if (o->has_from && o->has_to && o->from > o->to) {
		usage_error("--from is after --to");
		return SV_EUSAGE;
	}
	if (mistyped_command(o, argv) || check_waits_on_terminal(o))
		return SV_EUSAGE;
	if (o->command == SV_CMD_PROXIES && o->n_files) {
		char found[32];
		const char *sub = nearest_command(o->files[0], "proxies", found);
		if (sub && o->files[0] == argv[2])
			usage_error("unknown 'proxies' command '%s' (did you mean '%s proxies %s'?)", o->files[0], SV_PROGRAM, sub);
		else
			usage_error("'proxies' takes no file (did you mean '%s %s'?)", SV_PROGRAM, o->files[0]);
		return SV_EUSAGE;
	}
	if (o->command == SV_CMD_PROXIES &&
	    (o->format == SV_FMT_SVG || o->format == SV_FMT_HEADLINE || o->format == SV_FMT_XLSX ||
	     o->format == SV_FMT_HTML)) {
		usage_error("'proxies' prints table, csv, tsv, json or markdown");
		return SV_EUSAGE;
	}
	if (o->command == SV_CMD_TRACE && o->format != SV_FMT_CSV && o->format != SV_FMT_TSV &&
	    o->format != SV_FMT_JSON) {
		if (o->format_given) {
			usage_error("'trace' prints csv, tsv or json");
			return SV_EUSAGE;
		}
		o->format = SV_FMT_CSV;
	}
	if (o->bom && o->format != SV_FMT_CSV && o->format != SV_FMT_TSV) {
		usage_error("--bom applies to csv and tsv output, not to %s (-f csv --bom for Excel)", sv_format_name(o->format));
		return SV_EUSAGE;
	}
	if (binary_to_terminal(o))
		return SV_EUSAGE;
	if (o->has_spend && o->spend_file) {
		usage_error("--spend and --spend-file cannot be given together");
		return SV_EUSAGE;
	}
	if (o->command == SV_CMD_GUESS && o->n_files != 1) {
		usage_error("'profile guess' needs one CSV file");
		return SV_EUSAGE;
	}
	if (o->command == SV_CMD_IMPORT && o->n_files != 1) {
		usage_error("'proxies import' needs one CSV file");
		return SV_EUSAGE;
	}
	if (o->command == SV_CMD_SHOW && (o->n_files != 1 || strcmp(o->files[0], "-") == 0)) {
		usage_error("'proxies show' needs one measure id or alias");
		return SV_EUSAGE;
	}
	if (o->command == SV_CMD_SHOW) {
		/* an id, not a file: the output checks must not take it for one */
		o->measure_id = o->files[0];
		o->n_files = 0;
	}
	if (o->command == SV_CMD_SHOW && o->format != SV_FMT_TABLE && o->format != SV_FMT_JSON) {
		usage_error("'proxies show' prints table or json");
		return SV_EUSAGE;
	}
	if (o->command == SV_CMD_TABLE_CHECK && o->n_files) {
		usage_error("'proxies check' takes no file (name the table with -p %s)", o->files[0]);
		return SV_EUSAGE;
	}
	if (o->command == SV_CMD_MERGE && o->n_files == 0) {
		usage_error("'merge' needs at least one JSON result file");
		return SV_EUSAGE;
	}
	return SV_OK;
}

void sv_options_free(struct sv_options *o)
{
	free_key_names(o);
	for (int i = 0; i < 4; i++)
		free(o->map_owned[i]);
	free(o->files);
	free(o->map_files);
	free(o->by_text);
	memset(o, 0, sizeof *o);
}

/* ---- help -------------------------------------------------------------- */

static void wrap_help(FILE *out, const char *text, size_t indent, size_t width)
{
	size_t col = indent;
	const char *p = text;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (col > indent && col + 1 + n > width) {
			fputc('\n', out);
			for (size_t k = 0; k < indent; k++)
				fputc(' ', out);
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

void sv_options_help(FILE *out, enum sv_command cmd)
{
	const size_t indent = 24;
	if (cmd == SV_CMD_VALUE) {
		fputs(SV_PROGRAM " - value social value activity records with a TOMs-style proxy table\n\nUsage:\n", out);
		for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
			fprintf(out, "  " SV_PROGRAM " %-34s %s\n", commands[c].synopsis, commands[c].summary);
	} else {
		fprintf(out, SV_PROGRAM " %s - %s\n\nUsage:\n  " SV_PROGRAM " %s\n", commands[cmd].name,
			commands[cmd].summary, commands[cmd].synopsis);
	}
	fputs("\nOptions:\n", out);
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_def *d = &option_table[i];
		if (!(d->commands & (1u << cmd)))
			continue;
		char left[64];
		int n = snprintf(left, sizeof left, "  %s%c%s--%s%s%s", d->short_name ? "-" : "   ",
				 d->short_name ? d->short_name : ' ', d->short_name ? ", " : "", d->long_name,
				 d->arg ? " " : "", d->arg ? d->arg : "");
		if (!d->short_name)
			n = snprintf(left, sizeof left, "      --%s%s%s", d->long_name, d->arg ? " " : "",
				     d->arg ? d->arg : "");
		fputs(left, out);
		for (size_t k = (size_t)(n > 0 ? n : 0); k < indent; k++)
			fputc(' ', out);
		if ((size_t)n >= indent) {
			fputc('\n', out);
			for (size_t k = 0; k < indent; k++)
				fputc(' ', out);
		}
		wrap_help(out, d->help, indent, 79);
	}
	static const char *const examples[] = {
		[SV_CMD_VALUE] =
			"  " SV_PROGRAM " q1.csv                         totals per theme, as a table\n"
			"  " SV_PROGRAM " -f csv q1.csv q2.csv > fy.csv  for a spreadsheet\n"
			"  " SV_PROGRAM " -f xlsx -o fy.xlsx q*.csv      a workbook, with a chart\n"
			"  " SV_PROGRAM " -b fy -f csv exports/*.csv     by UK financial year\n"
			"  " SV_PROGRAM " -b theme,fq -f json --from 2024-04-01 --to 2025-03-31 exports/*.csv\n"
			"  " SV_PROGRAM " check q1.csv                   list every problem with FILE:LINE\n",
		[SV_CMD_CHECK] =
			"  " SV_PROGRAM " check q1.csv q2.csv\n"
			"  " SV_PROGRAM " check --rejects rejects.csv q1.csv   and list the invalid records\n",
		[SV_CMD_TRACE] =
			"  " SV_PROGRAM " trace q1.csv > trace.csv     where every pound came from\n"
			"  " SV_PROGRAM " trace -f json -b theme,site q1.csv\n",
		[SV_CMD_PROXIES] =
			"  " SV_PROGRAM " proxies                      the built-in table\n"
			"  " SV_PROGRAM " proxies -p toms.json -f csv  another table, for a spreadsheet\n",
		[SV_CMD_MERGE] =
			"  " SV_PROGRAM " -f json -o q1.json q1.csv\n"
			"  " SV_PROGRAM " -f json -o q2.json q2.csv\n"
			"  " SV_PROGRAM " merge q1.json q2.json        the same as valuing q1.csv and q2.csv together\n"
			"  " SV_PROGRAM " merge -b site --targets t.csv --spend 2000000 --price-year 2026 q*.json\n"
			"                                         annual figures, as if valued in one run\n",
		[SV_CMD_IMPORT] =
			"  " SV_PROGRAM " proxies import toms.csv > toms.json\n"
			"  " SV_PROGRAM " -p toms.json q1.csv\n",
		[SV_CMD_SHOW] =
			"  " SV_PROGRAM " proxies show NT1               value, source, licence and derivation\n"
			"  " SV_PROGRAM " proxies show -f json local_job\n",
		[SV_CMD_TABLE_CHECK] =
			"  " SV_PROGRAM " proxies check -p toms.json      before using a table\n",
		[SV_CMD_GUESS] =
			"  " SV_PROGRAM " profile guess -o acme.json acme.csv     then edit acme.json\n"
			"  " SV_PROGRAM " profile guess -p toms.json export.csv   measures of another table\n",
	};
	fputs("\nExamples:\n", out);
	fputs(examples[cmd], out);
	fputs("\nExit status: 0 success, 64 usage error, 65 invalid input data, 66 input file\n"
	      "cannot be opened, 74 read or write error, 78 proxy table missing or invalid.\n",
	      out);
}
