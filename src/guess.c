/*
 * guess.c - profile guess: a starting profile from an export's first lines.
 *
 * The file's start is parsed by the same reader as any input, once with the
 * delimiter sv-calc would sniff and once with each other candidate; the
 * parse that shows the widest table under a header row wins.  A header row
 * is the first row of two or more text fields (no numbers, no dates) that
 * no following row is wider than, followed by rows that hold numbers or
 * dates; the rows above it are notes, counted into skip_lines.  Columns are
 * then recognised by what their values are (measure ids, numbers, dates)
 * before their names are asked, so an export whose columns are called
 * "Activity", "Hours" and "Month" needs no edit to its column map.
 *
 * The guess writes only what differs from sv-calc's behaviour without a
 * profile: a plain export with measure ids gives {"name": ...} alone.
 */
#include "sv_guess.h"
#include "sv_commands.h"
#include "sv_date.h"
#include "sv_diag.h"
#include "sv_files.h"
#include "sv_format.h"
#include "sv_money.h"
#include "sv_reader.h"
#include "sv_utf8.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- small text helpers ------------------------------------------------- */

static bool is_blank_char(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z');
}

/* (s, n) without surrounding spaces and tabs, as a new string. */
static char *dup_trimmed(const char *s, size_t n)
{
	while (n && is_blank_char(*s)) {
		s++;
		n--;
	}
	while (n && is_blank_char(s[n - 1]))
		n--;
	char *c = malloc(n + 1);
	if (c) {
		if (n)
			memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* ---- what a value is ---------------------------------------------------- */

enum value_kind { V_EMPTY, V_DASH, V_NUMBER, V_DATE, V_ID, V_TEXT };

struct value_info {
	enum value_kind kind;
	unsigned forms; /* V_DATE: the forms it needs */
	bool serial;    /* V_NUMBER: could be an Excel date serial */
};

/* A quantity as a spreadsheet shows one, or a negative one: for telling
 * columns apart, not for valuing. */
static bool is_number(const char *s, size_t n)
{
	if (n > 1 && s[0] == '-') {
		s++;
		n--;
	}
	sv_qty q;
	enum sv_qty_error e = sv_qty_parse(s, n, &q);
	return e == SV_QTY_OK || e == SV_QTY_DECIMALS;
}

/* An Excel serial day of 1950 to 2100 (the 1900 date system): a plain
 * number of five digits, maybe with a fraction for the time of day.  Any
 * other number is too far from now to be taken for a date. */
static bool is_serial(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_digit(s[i]))
		i++;
	struct sv_date d;
	return i == 5 && sv_date_parse_forms(s, n, SV_DATE_FORM_EXCEL, &d) && d.ymd >= 19500101 &&
	       d.ymd <= 21001231;
}

static bool has_letter(const char *s)
{
	for (; *s; s++)
		if (lower(*s) >= 'a' && lower(*s) <= 'z')
			return true;
	return false;
}

static struct value_info classify(const char *v, const struct sv_proxy_table *t)
{
	struct value_info vi = {V_TEXT, 0, false};
	size_t n = strlen(v);
	if (n == 0)
		vi.kind = V_EMPTY;
	else if (n == 1 && v[0] == '-')
		vi.kind = V_DASH;
	else if (t && has_letter(v) && sv_proxy_find(t, v, n))
		vi.kind = V_ID;
	else if (is_number(v, n)) {
		vi.kind = V_NUMBER;
		vi.serial = is_serial(v, n);
	} else if (sv_date_form_needed(v, n, &vi.forms)) {
		vi.kind = V_DATE;
	}
	return vi;
}

/* ---- the rows of a parse ------------------------------------------------ */

struct grow_row {
	char **cell;       /* trimmed copies of the fields */
	size_t n;
	size_t width;      /* up to the last non-empty field */
	size_t filled;     /* non-empty fields */
	unsigned long line;
	bool all_text;     /* no non-empty field is a number or a date */
};

struct rows {
	struct grow_row *row;
	size_t n, cap, max;
	bool capped; /* stopped at max: the file goes on */
	bool oom;
	bool keep_open; /* keep a row whose quote is still open */
	int delimiter;
};

/* A row callback's way to stop the read once enough rows are in; never
 * reported, never returned to the user. */
#define STOP_READING SV_ECONFIG

static void free_rows(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		for (size_t k = 0; k < rs->row[i].n; k++)
			free(rs->row[i].cell[k]);
		free(rs->row[i].cell);
	}
	free(rs->row);
	memset(rs, 0, sizeof *rs);
}

static bool fill_row(struct grow_row *r, const struct sv_row *row)
{
	r->cell = calloc(row->n_fields ? row->n_fields : 1, sizeof *r->cell);
	if (!r->cell)
		return false;
	r->n = row->n_fields;
	r->line = row->line;
	r->all_text = true;
	for (size_t k = 0; k < row->n_fields; k++) {
		r->cell[k] = dup_trimmed(row->fields[k].ptr, row->fields[k].len);
		if (!r->cell[k])
			return false;
		if (!r->cell[k][0])
			continue;
		r->width = k + 1;
		r->filled++;
		enum value_kind kind = classify(r->cell[k], NULL).kind;
		if (kind != V_TEXT)
			r->all_text = false;
	}
	return true;
}

static enum sv_status take_row(void *ctx, const struct sv_row *row)
{
	struct rows *rs = ctx;
	/* a quoted field still open where the sample was cut */
	if (row->unterminated && !rs->keep_open)
		return SV_OK;
	if (rs->n == rs->max) {
		rs->capped = true;
		return STOP_READING;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct grow_row *grown = realloc(rs->row, cap * sizeof *grown);
		if (!grown) {
			rs->oom = true;
			return SV_ESOFTWARE;
		}
		rs->row = grown;
		rs->cap = cap;
	}
	struct grow_row *r = &rs->row[rs->n++];
	memset(r, 0, sizeof *r);
	if (!fill_row(r, row)) {
		rs->oom = true;
		return SV_ESOFTWARE;
	}
	return SV_OK;
}

/* Parses (bytes, n) with the delimiter (0: sniffed as sv-calc sniffs). */
static enum sv_status parse_rows(struct sv_reader *r, const char *bytes, size_t n, const char *shown, int delimiter,
				 bool cp1252, size_t max, struct rows *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->max = max;
	/* the last line alone: an open quote there is the end of a record
	 * that started above, and the line must still be a row */
	rs->keep_open = max == 1;
	/* fmemopen wants a writable buffer; "r" never writes to it */
	FILE *f = fmemopen((void *)(uintptr_t)bytes, n, "r");
	if (!f) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	sv_reader_set_cp1252(r, cp1252);
	const struct sv_reader_callbacks cb = {take_row, take_row};
	enum sv_status st = sv_reader_read(r, f, shown, delimiter, &cb, rs);
	fclose(f);
	rs->delimiter = sv_reader_delimiter(r);
	if (st == STOP_READING)
		st = SV_OK;
	if (rs->oom) {
		sv_diag("out of memory");
		st = SV_ESOFTWARE;
	}
	return st;
}

/* ---- the header row ----------------------------------------------------- */

#define LOOK_AHEAD 10

/*
 * How well row h looks like the header.  1: it has two or more fields, all
 * text; 2: also no row of the next few is wider; 3: also one of them holds
 * a number or a date; 4: the very next one does (or none follows).  A
 * notes row of many fields ("Supplier:,Acme,Period:,Q1") is followed by
 * the header, all text, so the header outranks it.
 */
static int header_level(const struct rows *rs, size_t h)
{
	const struct grow_row *r = &rs->row[h];
	if (r->filled < 2 || !r->all_text)
		return 0;
	bool wider = false, data = false;
	size_t end = h + 1 + LOOK_AHEAD < rs->n ? h + 1 + LOOK_AHEAD : rs->n;
	for (size_t i = h + 1; i < end; i++) {
		wider = wider || rs->row[i].width > r->width;
		data = data || !rs->row[i].all_text;
	}
	if (wider)
		return 1;
	if (h + 1 == rs->n || !rs->row[h + 1].all_text)
		return 4;
	return data ? 3 : 2;
}

/* The header row: the first of the best level among the first rows. */
static size_t find_header(const struct rows *rs, int *level)
{
	size_t limit = rs->n < SV_GUESS_HEADER_ROWS ? rs->n : SV_GUESS_HEADER_ROWS;
	for (int want = 4; want >= 1; want--) {
		for (size_t h = 0; h < limit; h++) {
			if (header_level(rs, h) == want) {
				*level = want;
				return h;
			}
		}
	}
	*level = 0;
	return 0;
}

/* Orders parses: a better header first, then a wider one. */
static long parse_score(const struct rows *rs)
{
	if (rs->n == 0)
		return -1;
	int level;
	size_t h = find_header(rs, &level);
	size_t width = rs->row[h].width < 1000 ? rs->row[h].width : 999;
	return (long)level * 1000 + (long)width;
}

/* ---- header names ------------------------------------------------------- */

/* Whether the header name holds the word (ASCII, case-insensitive): "No.
 * of FTE" holds "fte". */
static bool name_has_word(const char *name, const char *word)
{
	size_t wn = strlen(word);
	for (const char *p = name; *p;) {
		while (*p && !is_alnum(*p))
			p++;
		const char *start = p;
		while (*p && is_alnum(*p))
			p++;
		if ((size_t)(p - start) == wn && strncasecmp(start, word, wn) == 0)
			return true;
	}
	return false;
}

/* The best (lowest) rank of a word of the list in the name, or -1. */
static int name_rank(const char *name, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (name_has_word(name, words[i]))
			return (int)i;
	return -1;
}

static const char *const measure_words[] = {"measure", "toms", "nt", "metric", "indicator", "kpi", "activity",
					    "category", "type", "outcome", "item", "description"};
static const char *const date_words[] = {"date", "dated", "month", "period", "day", "when", "time", "posted"};
/* Names of number columns that are not quantities. */
static const char *const not_quantity_words[] = {"id", "ref", "reference", "code", "invoice", "order", "po",
						 "year", "postcode", "phone", "line", "row", "site"};
static const char *const quantity_words[] = {"quantity", "qty", "hours", "hrs", "fte", "amount", "count",
					     "value", "spend", "weeks", "days", "number", "no", "total"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the columns -------------------------------------------------------- */

struct column_stats {
	size_t filled, ids, numbers, dashes, dates, serials, texts;
	unsigned forms;
};

struct analysis {
	const struct rows *rs;
	size_t header;
	size_t first, end;     /* the records looked at: rows [first, end) */
	size_t skip_row;       /* a totals row left out (SIZE_MAX: none) */
	size_t width;          /* the header's fields */
	struct column_stats *col;
	size_t field[SV_GUESS_FIELDS]; /* the column of each field, SIZE_MAX: none */
	bool serial_dates;
};

static const char *cell_at(const struct grow_row *r, size_t c)
{
	return c < r->n ? r->cell[c] : "";
}

static void count_values(struct analysis *a, const struct sv_proxy_table *t)
{
	for (size_t i = a->first; i < a->end; i++) {
		if (i == a->skip_row)
			continue;
		for (size_t c = 0; c < a->width; c++) {
			struct value_info vi = classify(cell_at(&a->rs->row[i], c), t);
			struct column_stats *s = &a->col[c];
			s->filled += vi.kind != V_EMPTY;
			s->ids += vi.kind == V_ID;
			s->numbers += vi.kind == V_NUMBER;
			s->serials += vi.serial;
			s->dashes += vi.kind == V_DASH;
			s->dates += vi.kind == V_DATE;
			s->texts += vi.kind == V_TEXT;
			if (vi.kind == V_DATE)
				s->forms |= vi.forms;
		}
	}
}

/* A column whose header name a profile cannot give (empty, or not UTF-8)
 * is never guessed for a field: "columns" would name no column. */
static bool nameable(const struct analysis *a, size_t c)
{
	const char *name = a->rs->row[a->header].cell[c];
	return name[0] && sv_utf8_valid(name, strlen(name));
}

static bool column_used(const struct analysis *a, size_t c)
{
	if (!nameable(a, c))
		return true;
	for (int f = 0; f < SV_GUESS_FIELDS; f++)
		if (a->field[f] == c)
			return true;
	return false;
}

/* The measure column: the one most of whose values are ids or aliases of
 * the table; else a text column named like one. */
static size_t find_measure(const struct analysis *a)
{
	size_t best = SIZE_MAX, best_ids = 0;
	for (size_t c = 0; c < a->width; c++) {
		const struct column_stats *s = &a->col[c];
		if (nameable(a, c) && s->ids && s->ids * 2 >= s->filled && s->ids > best_ids) {
			best = c;
			best_ids = s->ids;
		}
	}
	if (best != SIZE_MAX)
		return best;
	int best_rank = -1;
	for (size_t c = 0; c < a->width; c++) {
		const struct column_stats *s = &a->col[c];
		int rank = name_rank(a->rs->row[a->header].cell[c], measure_words, N_OF(measure_words));
		bool text = s->filled == 0 || (s->texts + s->ids) * 2 > s->filled;
		if (nameable(a, c) && text && rank >= 0 && (best_rank < 0 || rank < best_rank)) {
			best = c;
			best_rank = rank;
		}
	}
	return best;
}

/* The date column: nine in ten of its values dates (or, under a date-like
 * name, Excel serials); one named "date" first. */
static size_t find_date(struct analysis *a)
{
	size_t best = SIZE_MAX;
	int best_rank = INT32_MAX;
	for (size_t c = 0; c < a->width; c++) {
		const struct column_stats *s = &a->col[c];
		const char *name = a->rs->row[a->header].cell[c];
		int rank = name_rank(name, date_words, N_OF(date_words));
		size_t dates = s->dates + (rank >= 0 ? s->serials : 0);
		if (column_used(a, c) || s->filled == 0 || dates * 10 < s->filled * 9)
			continue;
		if (strcasecmp(name, "date") == 0)
			rank = -1;
		else if (rank < 0)
			rank = INT32_MAX - 1;
		if (rank < best_rank) {
			best = c;
			best_rank = rank;
		}
	}
	if (best != SIZE_MAX && name_rank(a->rs->row[a->header].cell[best], date_words, N_OF(date_words)) >= 0)
		a->serial_dates = a->col[best].serials > 0;
	return best;
}

/* The quantity column: nine in ten of its values numbers (or accounting
 * dashes), the one named most like a quantity first; a number column named
 * like a reference or a year is none. */
static size_t find_quantity(const struct analysis *a)
{
	size_t best = SIZE_MAX;
	int best_rank = INT32_MAX;
	for (size_t c = 0; c < a->width; c++) {
		const struct column_stats *s = &a->col[c];
		const char *name = a->rs->row[a->header].cell[c];
		if (column_used(a, c) || s->numbers == 0 || (s->numbers + s->dashes) * 10 < s->filled * 9)
			continue;
		if (name_rank(name, not_quantity_words, N_OF(not_quantity_words)) >= 0 &&
		    strcasecmp(name, "quantity") != 0)
			continue;
		int rank = name_rank(name, quantity_words, N_OF(quantity_words));
		if (rank < 0)
			rank = INT32_MAX - 1;
		if (rank < best_rank) {
			best = c;
			best_rank = rank;
		}
	}
	return best;
}

static size_t find_unit(const struct analysis *a)
{
	static const char *const names[] = {"unit", "units", "uom", "unit of measure"};
	for (size_t c = 0; c < a->width; c++)
		for (size_t k = 0; k < N_OF(names); k++)
			if (!column_used(a, c) && strcasecmp(a->rs->row[a->header].cell[c], names[k]) == 0)
				return c;
	return SIZE_MAX;
}

/* ---- measure names ------------------------------------------------------ */

/*
 * Words are compared by a key: lower case, a plural 's' dropped, cut to 7
 * bytes, so "Volunteers", "volunteering" and "volunteer_hour"'s first word
 * share one, and so do "Apprentices" and "apprenticeship".  A word weighs
 * more the fewer measures use it ("apprentice" says more than "hours").
 */
#define KEY_LEN 7
#define MAX_KEYS 32

struct key {
	char k[KEY_LEN + 1];
};

struct key_set {
	struct key key[MAX_KEYS];
	size_t n;
};

static const char *const stop_words[] = {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in",
					 "into", "is", "it", "its", "of", "on", "or", "our", "per", "s", "the",
					 "their", "to", "via", "was", "who", "with"};

/* Abbreviations exports use for words measure names spell out. */
static const struct {
	const char *word, *as;
} synonyms[] = {{"hrs", "hour"}, {"hr", "hour"}, {"wks", "week"}, {"wk", "week"}, {"vol", "volunteer"},
		{"apprentices", "apprentice"}, {"apprenticeships", "apprentice"}};

static void add_key(struct key_set *ks, const char *w, size_t n)
{
	for (size_t i = 0; i < N_OF(synonyms); i++) {
		if (strlen(synonyms[i].word) == n && strncasecmp(w, synonyms[i].word, n) == 0) {
			w = synonyms[i].as;
			n = strlen(w);
			break;
		}
	}
	for (size_t i = 0; i < N_OF(stop_words); i++)
		if (strlen(stop_words[i]) == n && strncasecmp(w, stop_words[i], n) == 0)
			return;
	if (n < 2 || all_digits(w, n))
		return;
	if (n > 3 && lower(w[n - 1]) == 's' && lower(w[n - 2]) != 's')
		n--;
	struct key k = {{0}};
	for (size_t i = 0; i < n && i < KEY_LEN; i++)
		k.k[i] = lower(w[i]);
	for (size_t i = 0; i < ks->n; i++)
		if (strcmp(ks->key[i].k, k.k) == 0)
			return;
	if (ks->n < MAX_KEYS)
		ks->key[ks->n++] = k;
}

/* The keys of the words of (s, n); a word is a run of letters and digits
 * (bytes past ASCII count as letters). */
static void keys_of(struct key_set *ks, const char *s, size_t n)
{
	ks->n = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && !is_alnum(s[i]) && (unsigned char)s[i] < 0x80)
			i++;
		size_t start = i;
		while (i < n && (is_alnum(s[i]) || (unsigned char)s[i] >= 0x80))
			i++;
		if (i > start)
			add_key(ks, s + start, i - start);
	}
}

struct doc_field {
	struct key_set keys;
};

struct sv_suggester {
	const struct sv_proxy_table *t;
	/* each measure's id, name and aliases (not its unit: measures share
	 * units, so a unit's words would tie them) */
	struct doc_field *fields;
	size_t *first_field;      /* per measure, into fields; one more at the end */
	struct key *vocabulary;   /* every key, sorted, once */
	size_t *df;               /* measures using each */
	size_t n_vocabulary;
};

static int key_compare(const void *a, const void *b)
{
	return strcmp(((const struct key *)a)->k, ((const struct key *)b)->k);
}

/* 1 + log2(4N / df): from 7 for a word of one measure in 26 down to 3 for
 * a word of all of them.  A word no measure uses weighs as a rare one. */
static uint64_t key_weight(const struct sv_suggester *s, const struct key *k)
{
	const struct key *hit = bsearch(k, s->vocabulary, s->n_vocabulary, sizeof *k, key_compare);
	size_t df = hit ? s->df[hit - s->vocabulary] : 1;
	uint64_t ratio = (uint64_t)s->t->n_measures * 4 / df, w = 1;
	while (ratio > 1) {
		ratio >>= 1;
		w++;
	}
	return w;
}

static bool build_vocabulary(struct sv_suggester *s)
{
	size_t total = 0;
	for (size_t i = 0; i < s->first_field[s->t->n_measures]; i++)
		total += s->fields[i].keys.n;
	struct key *all = malloc((total ? total : 1) * sizeof *all);
	if (!all)
		return false;
	/* each key once per measure, then counted across measures */
	size_t n = 0;
	for (size_t m = 0; m < s->t->n_measures; m++) {
		size_t mine = n;
		for (size_t f = s->first_field[m]; f < s->first_field[m + 1]; f++)
			for (size_t k = 0; k < s->fields[f].keys.n; k++) {
				bool seen = false;
				for (size_t j = mine; j < n && !seen; j++)
					seen = strcmp(all[j].k, s->fields[f].keys.key[k].k) == 0;
				if (!seen)
					all[n++] = s->fields[f].keys.key[k];
			}
	}
	qsort(all, n, sizeof *all, key_compare);
	s->df = calloc(n ? n : 1, sizeof *s->df);
	if (!s->df) {
		free(all);
		return false;
	}
	size_t u = 0;
	for (size_t i = 0; i < n; i++) {
		if (u && strcmp(all[u - 1].k, all[i].k) == 0) {
			s->df[u - 1]++;
			continue;
		}
		all[u] = all[i];
		s->df[u++] = 1;
	}
	s->vocabulary = all;
	s->n_vocabulary = u;
	return true;
}

struct sv_suggester *sv_suggester_new(const struct sv_proxy_table *t)
{
	struct sv_suggester *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->t = t;
	size_t n_fields = 0;
	for (size_t m = 0; m < t->n_measures; m++)
		n_fields += 2 + t->measures[m].n_aliases;
	s->fields = calloc(n_fields ? n_fields : 1, sizeof *s->fields);
	s->first_field = calloc(t->n_measures + 1, sizeof *s->first_field);
	if (!s->fields || !s->first_field) {
		sv_suggester_free(s);
		return NULL;
	}
	size_t f = 0;
	for (size_t m = 0; m < t->n_measures; m++) {
		const struct sv_measure *me = &t->measures[m];
		s->first_field[m] = f;
		keys_of(&s->fields[f++].keys, me->id, strlen(me->id));
		keys_of(&s->fields[f++].keys, me->name, strlen(me->name));
		for (size_t k = 0; k < me->n_aliases; k++)
			keys_of(&s->fields[f++].keys, me->aliases[k], strlen(me->aliases[k]));
	}
	s->first_field[t->n_measures] = f;
	if (!build_vocabulary(s)) {
		sv_suggester_free(s);
		return NULL;
	}
	return s;
}

void sv_suggester_free(struct sv_suggester *s)
{
	if (!s)
		return;
	free(s->fields);
	free(s->first_field);
	free(s->vocabulary);
	free(s->df);
	free(s);
}

static bool key_in(const struct key_set *ks, const struct key *k)
{
	for (size_t i = 0; i < ks->n; i++)
		if (strcmp(ks->key[i].k, k->k) == 0)
			return true;
	return false;
}

static uint64_t set_weight(const struct sv_suggester *s, const struct key_set *ks)
{
	uint64_t w = 0;
	for (size_t i = 0; i < ks->n; i++)
		w += key_weight(s, &ks->key[i]);
	return w;
}

/* A match's strength as the fraction num/den. */
struct fraction {
	uint64_t num, den;
};

static int fraction_compare(struct fraction a, struct fraction b)
{
	uint64_t l = a.num * b.den, r = b.num * a.den;
	return l < r ? -1 : l > r;
}

/* The weight of the shared words over that of the words of both (Dice's
 * coefficient, weighted); *covered: over the text's words alone. */
static struct fraction field_match(const struct sv_suggester *s, const struct key_set *q, uint64_t wq,
				   const struct key_set *f, struct fraction *covered)
{
	uint64_t shared = 0;
	for (size_t i = 0; i < q->n; i++)
		if (key_in(f, &q->key[i]))
			shared += key_weight(s, &q->key[i]);
	*covered = (struct fraction){shared, wq};
	return (struct fraction){2 * shared, wq + set_weight(s, f)};
}

const struct sv_measure *sv_suggester_find(const struct sv_suggester *s, const char *text, size_t n)
{
	struct key_set q;
	keys_of(&q, text, n);
	uint64_t wq = set_weight(s, &q);
	if (q.n == 0 || wq == 0)
		return NULL;
	const struct sv_measure *best = NULL;
	struct fraction best_score = {0, 1}, best_cover = {0, 1};
	bool tie = false;
	for (size_t m = 0; m < s->t->n_measures; m++) {
		struct fraction score = {0, 1}, cover = {0, 1};
		for (size_t f = s->first_field[m]; f < s->first_field[m + 1]; f++) {
			struct fraction c;
			struct fraction sc = field_match(s, &q, wq, &s->fields[f].keys, &c);
			if (fraction_compare(sc, score) > 0)
				score = sc;
			if (fraction_compare(c, cover) > 0)
				cover = c;
		}
		int cmp = fraction_compare(score, best_score);
		if (score.num && cmp == 0)
			tie = true;
		if (score.num && cmp > 0) {
			best = &s->t->measures[m];
			best_score = score;
			best_cover = cover;
			tie = false;
		}
	}
	/* half the text's words (by weight) must be the measure's, and no other
	 * measure may match as well */
	if (!best || tie || best_cover.num * 2 < best_cover.den)
		return NULL;
	return best;
}

/* The measure a text names: as an id or alias written with spaces or
 * dashes ("Local spend", "NT 29"), a typo of one, or by its words. */
static const struct sv_measure *suggest(const struct sv_proxy_table *t, const struct sv_suggester *sg,
					const char *text)
{
	size_t n = strlen(text);
	char *joined = malloc(n + 1), *squeezed = malloc(n + 1);
	const struct sv_measure *m = NULL;
	if (joined && squeezed) {
		size_t j = 0, k = 0;
		for (size_t i = 0; i < n; i++) {
			bool sep = text[i] == ' ' || text[i] == '-' || text[i] == '_' || text[i] == '.';
			if (!sep)
				squeezed[k++] = text[i];
			if (!sep)
				joined[j++] = text[i];
			else if (j && joined[j - 1] != '_')
				joined[j++] = '_';
		}
		m = sv_proxy_find(t, joined, j);
		if (!m)
			m = sv_proxy_find(t, squeezed, k);
	}
	free(joined);
	free(squeezed);
	/* short texts are codes: "NT30" is no typo of "NT3" */
	if (!m && n >= 6) {
		const char *near = sv_proxy_suggest(t, text, n);
		if (near)
			m = sv_proxy_find(t, near, strlen(near));
	}
	if (!m)
		m = sv_suggester_find(sg, text, n);
	return m;
}

/* ---- building the guess ------------------------------------------------- */

static bool is_total(const char *v)
{
	static const char *const totals[] = {"total", "totals", "grand total", "total:", "grand total:"};
	for (size_t i = 0; i < N_OF(totals); i++)
		if (strcasecmp(v, totals[i]) == 0)
			return true;
	return false;
}

/* The column of a totals row that says so: the measure column, else the
 * first that does; SIZE_MAX when the row is no totals row. */
static size_t total_column(const struct grow_row *r, size_t measure)
{
	if (measure != SIZE_MAX && is_total(cell_at(r, measure)))
		return measure;
	for (size_t c = 0; c < r->n; c++)
		if (is_total(r->cell[c]))
			return c;
	return SIZE_MAX;
}

/* The last line of (s, n) with anything but spaces, tabs, delimiters and
 * quotes. */
static void last_line(const char *s, size_t n, size_t *start, size_t *len)
{
	size_t end = n;
	while (end > 0) {
		size_t b = end;
		while (b > 0 && s[b - 1] != '\n' && s[b - 1] != '\r')
			b--;
		/* quotes do not count: a line of them alone could be no row */
		for (size_t i = b; i < end; i++) {
			if (!is_blank_char(s[i]) && s[i] != ',' && s[i] != ';' && s[i] != '"') {
				*start = b;
				*len = end - b;
				return;
			}
		}
		end = b ? b - 1 : 0;
	}
	*start = *len = 0;
}

/* Physical line `line` (1-based) of (s, n), for sniffing its delimiter. */
static void nth_line(const char *s, size_t n, unsigned long line, size_t *start, size_t *len)
{
	size_t i = 0;
	for (unsigned long l = 1; l < line && i < n; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			l++;
	}
	size_t e = i;
	while (e < n && s[e] != '\n' && s[e] != '\r')
		e++;
	*start = i;
	*len = e - i;
}

static char *profile_name(const char *path)
{
	if (strcmp(path, "-") == 0)
		return strdup("stdin");
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	static const char *const exts[] = {".csv", ".tsv", ".txt"};
	for (size_t i = 0; i < N_OF(exts); i++) {
		if (n > 4 && strcasecmp(base + n - 4, exts[i]) == 0) {
			n -= 4;
			break;
		}
	}
	return dup_trimmed(base, n);
}

/* Parses with each candidate delimiter; keeps the parse with the best
 * header (the one sv-calc would sniff first, on a tie). */
static enum sv_status best_parse(struct sv_reader *r, const struct sv_guess_input *in, const char *head, size_t n,
				 bool cp1252, struct rows *best, int *sniffed)
{
	size_t max = SV_GUESS_HEADER_ROWS + SV_GUESS_DATA_ROWS + 1;
	enum sv_status st = parse_rows(r, head, n, in->shown, 0, cp1252, max, best);
	*sniffed = best->delimiter;
	long best_score = parse_score(best);
	const int candidates[] = {',', ';', '\t'};
	for (size_t i = 0; i < 3 && st == SV_OK; i++) {
		int d = in->delimiter ? in->delimiter : candidates[i];
		if (d == best->delimiter || (in->delimiter && i > 0))
			continue;
		struct rows other;
		st = parse_rows(r, head, n, in->shown, d, cp1252, max, &other);
		long score = parse_score(&other);
		if (st == SV_OK && (score > best_score || in->delimiter)) {
			free_rows(best);
			*best = other;
			best_score = score;
		} else
			free_rows(&other);
	}
	return st;
}

/* The last row of the file, parsed alone; NULL cells when empty. */
static enum sv_status read_last_row(struct sv_reader *r, const struct sv_guess_input *in, bool cp1252, int delimiter,
				    struct rows *last)
{
	const char *s = in->whole ? in->head : in->tail;
	size_t n = in->whole ? in->n_head : in->n_tail, start, len;
	memset(last, 0, sizeof *last);
	last_line(s ? s : "", s ? n : 0, &start, &len);
	if (len == 0)
		return SV_OK;
	return parse_rows(r, s + start, len, in->shown, delimiter, cp1252, 1, last);
}

static enum sv_status note_measures(struct sv_guess *g, const struct analysis *a, const struct sv_proxy_table *t,
				    const char *shown)
{
	size_t mc = a->field[SV_GUESS_MEASURE];
	if (mc == SIZE_MAX)
		return SV_OK;
	struct sv_suggester *sg = sv_suggester_new(t);
	g->measures = calloc(SV_GUESS_DATA_ROWS, sizeof *g->measures);
	if (!sg || !g->measures) {
		sv_suggester_free(sg);
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	for (size_t i = a->first; i < a->end; i++) {
		const char *v = cell_at(&a->rs->row[i], mc);
		if (i == a->skip_row || !v[0] || sv_proxy_find(t, v, strlen(v)))
			continue;
		bool seen = false;
		for (size_t k = 0; k < g->n_measures && !seen; k++)
			seen = strcasecmp(g->measures[k].text, v) == 0;
		if (seen || g->n_measures == SV_GUESS_DATA_ROWS)
			continue;
		struct sv_guess_measure *e = &g->measures[g->n_measures];
		e->text = strdup(v);
		if (!e->text) {
			sv_suggester_free(sg);
			sv_diag("out of memory");
			return SV_ESOFTWARE;
		}
		g->n_measures++;
		e->line = a->rs->row[i].line;
		e->measure = suggest(t, sg, v);
		char shown_text[SV_ESCAPE_MAX];
		sv_utf8_escape(shown_text, sizeof shown_text, v, strlen(v));
		if (e->measure)
			sv_diag_at(shown, e->line, "guessed '%s' as %s (%s): check it", shown_text, e->measure->id,
				   e->measure->name);
		else
			sv_diag_at(shown, e->line, "no measure found for '%s': set it in the profile", shown_text);
	}
	sv_suggester_free(sg);
	return SV_OK;
}

/* A field whose values showed no column (a header with no records, a
 * quantity with a decimal comma) stays with the column of its default
 * name, where sv-calc looks without a profile. */
static void take_default_names(struct analysis *a)
{
	static const char *const defaults[] = {"measure", "quantity", "date", "unit"};
	for (int f = 0; f < SV_GUESS_FIELDS; f++)
		for (size_t c = 0; c < a->width && a->field[f] == SIZE_MAX; c++)
			if (!column_used(a, c) && strcasecmp(a->rs->row[a->header].cell[c], defaults[f]) == 0)
				a->field[f] = c;
}

/* Recognises the columns and fills g's column map, dates and accounting
 * zero. */
static enum sv_status analyse(struct sv_guess *g, struct analysis *a, const struct sv_proxy_table *t)
{
	a->col = calloc(a->width ? a->width : 1, sizeof *a->col);
	if (!a->col) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	for (int f = 0; f < SV_GUESS_FIELDS; f++)
		a->field[f] = SIZE_MAX;
	count_values(a, t);
	a->field[SV_GUESS_MEASURE] = find_measure(a);
	a->field[SV_GUESS_UNIT] = find_unit(a);
	a->field[SV_GUESS_DATE] = find_date(a);
	a->field[SV_GUESS_QUANTITY] = find_quantity(a);
	take_default_names(a);
	const struct grow_row *header = &a->rs->row[a->header];
	for (int f = 0; f < SV_GUESS_FIELDS; f++) {
		if (a->field[f] == SIZE_MAX)
			continue;
		g->column[f] = strdup(header->cell[a->field[f]]);
		if (!g->column[f]) {
			sv_diag("out of memory");
			return SV_ESOFTWARE;
		}
	}
	if (a->field[SV_GUESS_DATE] != SIZE_MAX)
		g->dates = a->col[a->field[SV_GUESS_DATE]].forms | (a->serial_dates ? SV_DATE_FORM_EXCEL : 0u);
	if (a->field[SV_GUESS_QUANTITY] != SIZE_MAX)
		g->accounting_zero = a->col[a->field[SV_GUESS_QUANTITY]].dashes > 0;
	return SV_OK;
}

static void note_missing(const struct sv_guess *g, const char *shown)
{
	static const char *const what[] = {"measure", "quantity"};
	for (int f = SV_GUESS_MEASURE; f <= SV_GUESS_QUANTITY; f++)
		if (!g->column[f])
			sv_diag("%s: no %s column found: name it in \"columns\" in the profile", shown, what[f]);
}

/* A totals row among the rows read is left out of the analysis. */
static void skip_totals(struct analysis *a, bool last_in_rows)
{
	if (last_in_rows && total_column(&a->rs->row[a->rs->n - 1], SIZE_MAX) != SIZE_MAX)
		a->skip_row = a->rs->n - 1;
}

static enum sv_status ignore_rule(struct sv_guess *g, const struct analysis *a, const struct rows *last)
{
	if (last->n == 0)
		return SV_OK;
	const struct grow_row *r = &last->row[0];
	size_t c = total_column(r, a->field[SV_GUESS_MEASURE]);
	if (c == SIZE_MAX || c >= a->width)
		return SV_OK;
	g->ignore_column = strdup(a->rs->row[a->header].cell[c]);
	g->ignore_value = strdup(r->cell[c]);
	if (!g->ignore_column || !g->ignore_value) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	return SV_OK;
}

/* Whether the profile must name the delimiter: sv-calc would sniff
 * another, from the file's first line or (after skip_lines) the header's. */
static bool needs_delimiter(const struct sv_guess *g, const char *head, size_t n, int sniffed, unsigned long line)
{
	if (g->delimiter != sniffed)
		return true;
	if (g->skip_lines == 0)
		return false;
	size_t start, len;
	nth_line(head, n, line, &start, &len);
	return sv_sniff_delimiter(head + start, len) != g->delimiter;
}

enum sv_status sv_guess_run(struct sv_guess *g, const struct sv_guess_input *in, const struct sv_proxy_table *t)
{
	memset(g, 0, sizeof *g);
	g->name = profile_name(in->path);
	if (!g->name) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	if (in->n_head == 0) {
		sv_diag("%s: no header row (the file is empty or blank)", in->shown);
		return SV_EDATA;
	}
	g->cp1252 = !sv_utf8_valid(in->head, in->n_head) && sv_utf8_looks_cp1252(in->head, in->n_head);
	struct sv_reader *r = sv_reader_new();
	if (!r) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	struct rows rs, last = {0};
	int sniffed;
	enum sv_status st = best_parse(r, in, in->head, in->n_head, g->cp1252, &rs, &sniffed);
	if (st == SV_OK && rs.n == 0) {
		sv_diag("%s: no header row (the file is empty or blank)", in->shown);
		st = SV_EDATA;
	}
	if (st == SV_OK)
		st = read_last_row(r, in, g->cp1252, rs.delimiter, &last);
	struct analysis a = {.rs = &rs, .skip_row = SIZE_MAX};
	if (st == SV_OK) {
		int level;
		a.header = find_header(&rs, &level);
		a.width = rs.row[a.header].n;
		a.first = a.header + 1;
		a.end = rs.n < a.first + SV_GUESS_DATA_ROWS ? rs.n : a.first + SV_GUESS_DATA_ROWS;
		g->delimiter = rs.delimiter;
		g->skip_lines = a.header ? rs.row[a.header].line - 1 : 0;
		g->write_delimiter = needs_delimiter(g, in->head, in->n_head, sniffed, rs.row[a.header].line);
		bool last_in_rows = in->whole && !rs.capped && rs.n > a.first;
		skip_totals(&a, last_in_rows);
	}
	if (st == SV_OK)
		st = analyse(g, &a, t);
	if (st == SV_OK)
		st = ignore_rule(g, &a, &last);
	if (st == SV_OK) {
		note_missing(g, in->shown);
		st = note_measures(g, &a, t, in->shown);
	}
	free(a.col);
	free_rows(&rs);
	free_rows(&last);
	sv_reader_free(r);
	return st;
}

void sv_guess_free(struct sv_guess *g)
{
	free(g->name);
	for (int f = 0; f < SV_GUESS_FIELDS; f++)
		free(g->column[f]);
	for (size_t i = 0; i < g->n_measures; i++)
		free(g->measures[i].text);
	free(g->measures);
	free(g->ignore_column);
	free(g->ignore_value);
	memset(g, 0, sizeof *g);
}

/* ---- writing ------------------------------------------------------------ */

static void json_string(FILE *out, const char *s)
{
	sv_write_json_string(out, s, strlen(s));
}

/* Starts the next member of the top-level object. */
static void member(FILE *out, bool *first, const char *key)
{
	fputs(*first ? "{\n  " : ",\n  ", out);
	*first = false;
	json_string(out, key);
	fputs(": ", out);
}

static void write_columns(FILE *out, const struct sv_guess *g, bool *first)
{
	static const char *const defaults[] = {"measure", "quantity", "date", "unit"};
	bool any = false;
	for (int f = 0; f < SV_GUESS_FIELDS; f++) {
		if (!g->column[f] || strcasecmp(g->column[f], defaults[f]) == 0)
			continue;
		if (!any)
			member(out, first, "columns");
		fputs(any ? ",\n    " : "{\n    ", out);
		any = true;
		json_string(out, defaults[f]);
		fputs(": ", out);
		json_string(out, g->column[f]);
	}
	if (any)
		fputs("\n  }", out);
}

static void write_dates(FILE *out, const struct sv_guess *g, bool *first)
{
	if (!g->dates)
		return;
	member(out, first, "dates");
	const char *sep = "[";
	for (unsigned i = 0; i < SV_DATE_FORMS; i++) {
		if (g->dates & (1u << i)) {
			fprintf(out, "%s\"%s\"", sep, sv_date_form_names[i]);
			sep = ", ";
		}
	}
	fputs("]", out);
}

/* Text a profile can hold as a name: not empty, and UTF-8 (bytes the
 * guess could not read as Windows-1252 either would make the profile
 * unreadable). */
static bool writable(const char *s)
{
	return s[0] && sv_utf8_valid(s, strlen(s));
}

static void write_measures(FILE *out, const struct sv_guess *g, bool *first)
{
	bool any = false;
	for (size_t i = 0; i < g->n_measures; i++) {
		if (!writable(g->measures[i].text))
			continue;
		if (!any)
			member(out, first, "measures");
		fputs(any ? ",\n    " : "{\n    ", out);
		any = true;
		json_string(out, g->measures[i].text);
		fputs(": ", out);
		json_string(out, g->measures[i].measure ? g->measures[i].measure->id : "");
	}
	if (any)
		fputs("\n  }", out);
}

void sv_guess_write(FILE *out, const struct sv_guess *g)
{
	bool first = true;
	member(out, &first, "name");
	json_string(out, g->name);
	if (g->skip_lines) {
		member(out, &first, "skip_lines");
		fprintf(out, "%lu", g->skip_lines);
	}
	if (g->write_delimiter) {
		char d[2] = {(char)g->delimiter, '\0'};
		member(out, &first, "delimiter");
		json_string(out, g->delimiter == '\t' ? "tab" : d);
	}
	if (g->cp1252) {
		member(out, &first, "encoding");
		json_string(out, "windows-1252");
	}
	write_columns(out, g, &first);
	write_dates(out, g, &first);
	write_measures(out, g, &first);
	if (g->ignore_column && writable(g->ignore_column) && writable(g->ignore_value)) {
		member(out, &first, "ignore");
		fputs("[\n    {\"column\": ", out);
		json_string(out, g->ignore_column);
		fputs(", \"equals\": [", out);
		json_string(out, g->ignore_value);
		fputs("]}\n  ]", out);
	}
	if (g->accounting_zero) {
		member(out, &first, "accounting_zero");
		fputs("true", out);
	}
	fputs("\n}\n", out);
}

/* ---- the command -------------------------------------------------------- */

/* The start of the file: up to SV_GUESS_HEAD_MAX bytes, cut after its last
 * line end when the file goes on. */
struct sample {
	char *head;
	size_t n_head;
	bool whole;
	char *tail; /* the last bytes, when not whole */
	size_t n_tail;
};

static enum sv_status read_error(FILE *f, const char *shown)
{
	if (!ferror(f))
		return SV_OK;
	sv_diag("%s: read error: %s", shown, strerror(errno ? errno : EIO));
	return SV_EIO;
}

/* Reads the rest of f keeping its last SV_GUESS_TAIL_MAX bytes; starts
 * from the end of what head holds. */
static enum sv_status read_tail(FILE *f, const char *shown, struct sample *s)
{
	size_t cap = 2 * SV_GUESS_TAIL_MAX, n = s->n_head < SV_GUESS_TAIL_MAX ? s->n_head : SV_GUESS_TAIL_MAX;
	s->tail = malloc(cap);
	if (!s->tail) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	memcpy(s->tail, s->head + s->n_head - n, n);
	struct stat sb;
	/* a regular file: straight to its end */
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > (off_t)(SV_GUESS_HEAD_MAX + 1) &&
	    (uint64_t)sb.st_size - SV_GUESS_TAIL_MAX > SV_GUESS_HEAD_MAX + 1 &&
	    fseeko(f, sb.st_size - (off_t)SV_GUESS_TAIL_MAX, SEEK_SET) == 0)
		n = 0;
	for (;;) {
		if (n == cap) {
			memmove(s->tail, s->tail + SV_GUESS_TAIL_MAX, SV_GUESS_TAIL_MAX);
			n = SV_GUESS_TAIL_MAX;
		}
		size_t got = fread(s->tail + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	s->n_tail = n;
	return read_error(f, shown);
}

static enum sv_status read_sample(FILE *f, const char *shown, struct sample *s)
{
	memset(s, 0, sizeof *s);
	s->head = malloc(SV_GUESS_HEAD_MAX + 1);
	if (!s->head) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	size_t n = 0, got;
	errno = 0;
	while (n < SV_GUESS_HEAD_MAX + 1 && (got = fread(s->head + n, 1, SV_GUESS_HEAD_MAX + 1 - n, f)) > 0)
		n += got;
	enum sv_status st = read_error(f, shown);
	if (st != SV_OK)
		return st;
	s->n_head = n;
	s->whole = n <= SV_GUESS_HEAD_MAX;
	if (s->whole)
		return SV_OK;
	st = read_tail(f, shown, s);
	/* the rows after the last line end are the tail's business */
	while (n > 0 && s->head[n - 1] != '\n')
		n--;
	s->n_head = n ? n : SV_GUESS_HEAD_MAX;
	return st;
}

enum sv_status sv_cmd_guess(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out)
{
	const char *path = o->files[0];
	const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
	enum sv_status st = SV_OK;
	uint64_t size;
	FILE *f = sv_open_input(path, shown, &st, &size);
	if (!f)
		return st;
	struct sample s;
	st = read_sample(f, shown, &s);
	if (f != stdin)
		fclose(f);
	if (st == SV_OK) {
		struct sv_guess_input in = {path, shown, s.head, s.n_head, s.whole, s.tail, s.n_tail, o->delimiter};
		struct sv_guess g;
		st = sv_guess_run(&g, &in, t);
		if (st == SV_OK)
			sv_guess_write(out, &g);
		sv_guess_free(&g);
	}
	free(s.head);
	free(s.tail);
	return st;
}
