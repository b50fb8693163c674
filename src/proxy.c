/*
 * proxy.c - JSON proxy table -> validated, indexed struct sv_proxy_table.
 */
#include "sv_proxy.h"
#include "sv_diag.h"
#include "sv_jsontext.h"
#include "sv_money.h"
#include "sv_utf8.h"
#include "sv_word.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A table larger than this is surely not a proxy table. */
#define SV_PROXY_FILE_MAX (64u << 20)

const char *sv_value_type_name(enum sv_value_type vt)
{
	static const char *names[] = {"LEV", "savings", "social"};
	return vt < SV_VT_COUNT ? names[vt] : "?";
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool equal_nocase(const char *a, size_t na, const char *b, size_t nb)
{
	if (na != nb)
		return false;
	/* a record's measure is mostly written as the table writes it */
	if (memcmp(a, b, na) == 0)
		return true;
	for (size_t i = 0; i < na; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return true;
}

#define HASH_FOLD 0x2020202020202020u
#define HASH_MULT 0xff51afd7ed558ccdu

static uint32_t hash_finish(uint64_t h)
{
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* Eight bytes at a time, every record's measure goes through it.  Setting
 * bit 0x20 of each byte folds ASCII case, so keys equal_nocase calls equal
 * hash alike; other bytes it merges only collide, which the comparison
 * sorts out.  A key of one word hashes as short_hash says. */
static uint32_t hash_nocase(const char *s, size_t n)
{
	uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15u;
	for (; n >= 8; s += 8, n -= 8)
		h = (h ^ (sv_word(s, 8) | HASH_FOLD)) * HASH_MULT;
	if (n)
		h = (h ^ (sv_word(s, n) | HASH_FOLD)) * HASH_MULT;
	return hash_finish(h);
}

/* hash_nocase of a key of 1 to 8 bytes, from its word */
static uint32_t short_hash(size_t n, uint64_t word)
{
	return hash_finish(((uint64_t)n * 0x9E3779B97F4A7C15u ^ (word | HASH_FOLD)) * HASH_MULT);
}

size_t sv_edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
	/* optimal string alignment: a swap of two neighbours ("theem") is one
	 * edit, the commonest typo, not two */
	size_t rows[3][65];
	if (nb >= sizeof rows[0] / sizeof rows[0][0] || na > 256)
		return SIZE_MAX;
	size_t *before = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			int ca = lower((unsigned char)a[i - 1]), cb = lower((unsigned char)b[j - 1]);
			size_t best = prev[j - 1] + (ca == cb ? 0 : 1);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) == cb && before[j - 2] + 1 < best)
				best = before[j - 2] + 1;
			cur[j] = best;
		}
		size_t *spare = before;
		before = prev;
		prev = cur;
		cur = spare;
	}
	return prev[nb];
}

bool sv_close_enough(size_t d, size_t n)
{
	size_t limit = n / 3;
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	return d > 0 && d <= limit;
}

/* ---- reporting -------------------------------------------------------- */

struct loader {
	struct sv_proxy_table *t;
	const char *origin;
	const struct sv_json_doc *doc; /* for the text of each number */
	int errors;
	bool oom;
};

#define LOAD_ERROR(ld, ...) \
	do { \
		sv_diag_at((ld)->origin, 0, __VA_ARGS__); \
		(ld)->errors++; \
	} while (0)

static char *dup_string(struct loader *ld, const char *s)
{
	char *copy = strdup(s);
	if (!copy)
		ld->oom = true;
	return copy;
}

/* ---- JSON helpers ------------------------------------------------------ */

/* cJSON accepts duplicate keys and returns the first; SPEC forbids them.
 * Walks every object, reporting each repeated key with its path.
 *
 * The path is made only for a message: formatting it for every node was
 * most of this walk's cost on the built-in table, which every run loads.
 * A step is one node below its parent, from the top; path_of writes the
 * steps as "measures[1].unit", cut to cap - 1 bytes. */
struct key_step {
	const struct key_step *up; /* NULL: a child of the top-level object */
	const cJSON *node;
	size_t index;
	bool in_object;
};

static size_t path_of(const struct key_step *s, char *path, size_t cap)
{
	if (!s) {
		path[0] = '\0';
		return 0;
	}
	size_t len = path_of(s->up, path, cap);
	int n;
	if (s->in_object)
		n = snprintf(path + len, cap - len, "%s%s", len ? "." : "", s->node->string ? s->node->string : "");
	else
		n = snprintf(path + len, cap - len, "[%zu]", s->index);
	size_t added = n > 0 ? (size_t)n : 0;
	if (len + added >= cap)
		added = cap - len - 1;
	return len + added;
}

static void report_duplicate(struct loader *ld, const cJSON *a, const struct key_step *at)
{
	char path[256];
	size_t len = path_of(at, path, sizeof path);
	LOAD_ERROR(ld, "duplicate key '%s' in %s", a->string, len ? path : "the top-level object");
}

/* Up to this many keys an object is checked pair by pair (no allocation);
 * a larger one is sorted, so a table with a huge object loads in
 * O(n log n), not O(n^2). */
#define FEW_KEYS 32

struct key_ref {
	const char *key;
	size_t index;
};

static int compare_key_refs(const void *pa, const void *pb)
{
	const struct key_ref *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* Each key that repeats an earlier one in the object, reported in the
 * object's order, as the pairwise check does. */
static void check_object_keys(struct loader *ld, const cJSON *node, const struct key_step *at)
{
	size_t n = 0;
	for (const cJSON *a = node->child; a; a = a->next)
		n++;
	if (n <= FEW_KEYS) {
		for (const cJSON *a = node->child; a; a = a->next)
			for (const cJSON *b = node->child; b != a; b = b->next)
				if (a->string && b->string && strcmp(a->string, b->string) == 0) {
					report_duplicate(ld, a, at);
					break;
				}
		return;
	}
	struct key_ref *refs = malloc(n * sizeof *refs);
	bool *repeats = calloc(n, sizeof *repeats);
	if (!refs || !repeats) {
		ld->oom = true;
		free(refs);
		free(repeats);
		return;
	}
	size_t m = 0, i = 0;
	for (const cJSON *a = node->child; a; a = a->next, i++)
		if (a->string)
			refs[m++] = (struct key_ref){a->string, i};
	qsort(refs, m, sizeof *refs, compare_key_refs);
	for (size_t k = 1; k < m; k++)
		if (strcmp(refs[k].key, refs[k - 1].key) == 0)
			repeats[refs[k].index] = true;
	i = 0;
	for (const cJSON *a = node->child; a; a = a->next, i++)
		if (repeats[i])
			report_duplicate(ld, a, at);
	free(refs);
	free(repeats);
}

static void check_duplicate_keys(struct loader *ld, const cJSON *node, const struct key_step *at)
{
	bool object = cJSON_IsObject(node);
	if (object)
		check_object_keys(ld, node, at);
	else if (!cJSON_IsArray(node))
		return;
	size_t i = 0;
	for (const cJSON *c = node->child; c; c = c->next, i++) {
		/* a scalar has nothing below it to check */
		if (!c->child)
			continue;
		struct key_step step = {at, c, i, object};
		check_duplicate_keys(ld, c, &step);
	}
}

static const char *get_string(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(item) && item->valuestring[0] ? item->valuestring : NULL;
}

/* A number read from its literal, not from cJSON's double, which would
 * take 1.00000000000000000000001 for 1. */
static bool number_dec4(const struct sv_json_doc *doc, const cJSON *item, int64_t max, int64_t *out)
{
	size_t n;
	const char *s = sv_json_number_text(doc, item, &n);
	return s && sv_json_number_dec4(s, n, max, out);
}

/* A decimal written as a JSON number or as a string holding one. */
static bool decimal_dec4(const struct loader *ld, const cJSON *item, int64_t max, int64_t *out)
{
	if (cJSON_IsNumber(item))
		return number_dec4(ld->doc, item, max, out);
	return cJSON_IsString(item) && sv_dec4_parse_plain(item->valuestring, strlen(item->valuestring), max, out);
}

/* A number's literal or a string's text, as written, for a message. */
static const char *as_written(const struct loader *ld, const cJSON *item, size_t *n)
{
	if (cJSON_IsNumber(item))
		return sv_json_number_text(ld->doc, item, n);
	*n = strlen(item->valuestring);
	return item->valuestring;
}

/* A whole number from min to max (min > 0); 2025.0 and 2.025e3 are 2025. */
static bool whole_number(const struct loader *ld, const cJSON *item, int min, int max, int *out)
{
	int64_t v;
	if (!cJSON_IsNumber(item) || !number_dec4(ld->doc, item, (int64_t)max * SV_DEC4_SCALE, &v) ||
	    v % SV_DEC4_SCALE != 0 || v / SV_DEC4_SCALE < min)
		return false;
	*out = (int)(v / SV_DEC4_SCALE);
	return true;
}

/* ---- price years ------------------------------------------------------- */

static bool digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return n > 0;
}

bool sv_price_year_parse(const char *s, size_t n, bool bare_is_financial, struct sv_price_year *out)
{
	int year, next;
	if (n < 4 || !digits(s, 4, &year) || year < 1900 || year > 2200)
		return false;
	if (n == 4) {
		*out = (struct sv_price_year){year, !bare_is_financial};
		return true;
	}
	/* the second year as the series and sv-calc print it: 2024/25, 2099/00 */
	if (n != 7 || (s[4] != '/' && s[4] != '-') || !digits(s + 5, 2, &next) || next != (year + 1) % 100)
		return false;
	*out = (struct sv_price_year){year, false};
	return true;
}

void sv_price_year_text(struct sv_price_year y, char buf[static 8])
{
	if (!y.year)
		buf[0] = '\0';
	else if (y.calendar)
		snprintf(buf, 8, "%04u", (unsigned)y.year % 10000u);
	else
		snprintf(buf, 8, "%04u/%02u", (unsigned)y.year % 10000u, (unsigned)(y.year + 1) % 100u);
}

bool sv_price_year_equal(struct sv_price_year a, struct sv_price_year b)
{
	return a.year == b.year && (a.calendar == b.calendar || !a.year);
}

int sv_price_year_compare(struct sv_price_year a, struct sv_price_year b)
{
	/* a calendar year ends in December, the financial year starting in it
	 * in the March after */
	int ka = a.year * 2 + !a.calendar, kb = b.year * 2 + !b.calendar;
	return (ka > kb) - (ka < kb);
}

/* A table's or measure's price_year: a whole number or a string naming a
 * calendar year, or a string naming a financial year. */
static bool price_year_item(const struct loader *ld, const cJSON *item, struct sv_price_year *out)
{
	int year;
	if (cJSON_IsNumber(item)) {
		if (!whole_number(ld, item, 1900, 2200, &year))
			return false;
		*out = (struct sv_price_year){year, true};
		return true;
	}
	return cJSON_IsString(item) &&
	       sv_price_year_parse(item->valuestring, strlen(item->valuestring), false, out);
}

/* ---- validation -------------------------------------------------------- */

/* A provenance string: kept when it is a non-empty string, NULL otherwise
 * (SPEC lets a table carry keys sv-calc does not check). */
static char *optional_string(struct loader *ld, const cJSON *obj, const char *key)
{
	const char *s = get_string(obj, key);
	return s ? dup_string(ld, s) : NULL;
}

static bool load_header(struct loader *ld, const cJSON *root)
{
	const char *name = get_string(root, "name"), *version = get_string(root, "version");
	if (!name)
		LOAD_ERROR(ld, "missing 'name' (a non-empty string) at top level");
	if (!version)
		LOAD_ERROR(ld, "missing 'version' (a non-empty string) at top level");
	const cJSON *py = cJSON_GetObjectItemCaseSensitive(root, "price_year");
	if (py && !price_year_item(ld, py, &ld->t->price_year))
		LOAD_ERROR(ld, "'price_year' must be a financial year (\"2024/25\") or a calendar year (2022) from 1900 to 2200");
	if (name)
		ld->t->name = dup_string(ld, name);
	if (version)
		ld->t->version = dup_string(ld, version);
	ld->t->currency = optional_string(ld, root, "currency");
	ld->t->source = optional_string(ld, root, "source");
	ld->t->licence = optional_string(ld, root, "licence");
	ld->t->attribution = optional_string(ld, root, "attribution");
	ld->t->notes = optional_string(ld, root, "notes");
	return name && version;
}

static void load_themes(struct loader *ld, const cJSON *themes)
{
	struct sv_proxy_table *t = ld->t;
	int count = cJSON_GetArraySize(themes);
	t->themes = calloc((size_t)count, sizeof *t->themes);
	if (!t->themes) {
		ld->oom = true;
		return;
	}
	size_t i = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, themes) {
		const char *id = get_string(item, "id"), *name = get_string(item, "name");
		i++;
		if (!id) {
			LOAD_ERROR(ld, "theme %zu: missing 'id' (a non-empty string)", i);
			continue;
		}
		if (!name) {
			LOAD_ERROR(ld, "theme '%s': missing 'name' (a non-empty string)", id);
			continue;
		}
		bool repeated = false;
		for (size_t k = 0; k < t->n_themes; k++)
			if (equal_nocase(t->themes[k].id, strlen(t->themes[k].id), id, strlen(id)))
				repeated = true;
		if (repeated) {
			LOAD_ERROR(ld, "theme '%s': theme ids must be unique, and this one appears twice", id);
			continue;
		}
		struct sv_theme *th = &t->themes[t->n_themes++];
		th->id = dup_string(ld, id);
		th->name = dup_string(ld, name);
	}
}

static bool find_theme(const struct sv_proxy_table *t, const char *id, size_t *out)
{
	for (size_t k = 0; k < t->n_themes; k++) {
		if (equal_nocase(t->themes[k].id, strlen(t->themes[k].id), id, strlen(id))) {
			*out = k;
			return true;
		}
	}
	return false;
}

static bool parse_value_type(const char *s, enum sv_value_type *out)
{
	for (int vt = 0; vt < SV_VT_COUNT; vt++) {
		const char *name = sv_value_type_name((enum sv_value_type)vt);
		if (equal_nocase(s, strlen(s), name, strlen(name))) {
			*out = (enum sv_value_type)vt;
			return true;
		}
	}
	return false;
}

static bool load_value(struct loader *ld, const cJSON *value, struct sv_measure *m)
{
	if (cJSON_IsNull(value)) {
		m->record_only = true;
		return true;
	}
	if (!cJSON_IsNumber(value) && !cJSON_IsString(value)) {
		LOAD_ERROR(ld, "measure '%s': 'value' must be a number, a decimal string or null", m->id);
		return false;
	}
	bool ok = decimal_dec4(ld, value, SV_VALUE_MAX, &m->value);
	if (!ok) {
		char shown[80];
		size_t n;
		const char *text = as_written(ld, value, &n);
		sv_utf8_escape(shown, sizeof shown, text ? text : "", n);
		LOAD_ERROR(ld,
			   "measure '%s': value '%s' must be a decimal from 0 to 1000000000 with at most 4 decimal places",
			   m->id, shown);
	}
	return ok;
}

static void load_aliases(struct loader *ld, const cJSON *aliases, struct sv_measure *m)
{
	if (!aliases)
		return;
	if (!cJSON_IsArray(aliases)) {
		LOAD_ERROR(ld, "measure '%s': 'aliases' must be an array of strings", m->id);
		return;
	}
	int count = cJSON_GetArraySize(aliases);
	if (count == 0)
		return;
	m->aliases = calloc((size_t)count, sizeof *m->aliases);
	if (!m->aliases) {
		ld->oom = true;
		return;
	}
	const cJSON *a;
	cJSON_ArrayForEach(a, aliases) {
		if (!cJSON_IsString(a) || !a->valuestring[0]) {
			LOAD_ERROR(ld, "measure '%s': every alias must be a non-empty string", m->id);
			continue;
		}
		m->aliases[m->n_aliases++] = dup_string(ld, a->valuestring);
	}
}

const char *sv_adjustment_name(enum sv_adjustment a)
{
	static const char *const names[] = {"deadweight", "attribution", "displacement", "drop_off"};
	return names[a];
}

/* A whole year; false with a message when the item is there but is not
 * one in [min, max]. */
static bool load_year(struct loader *ld, const cJSON *item, const char *what, const char *id, int min, int max,
		      int *out)
{
	if (!item)
		return true;
	if (!whole_number(ld, item, min, max, out)) {
		LOAD_ERROR(ld, "measure '%s': '%s' must be a whole number from %d to %d", id, what, min, max);
		return false;
	}
	return true;
}

/* The optional net-value fields: fractions from 0 to 1 with at most 4
 * decimals, and the years a benefit lasts. */
static void load_adjustments(struct loader *ld, const cJSON *item, struct sv_measure *m)
{
	for (int a = 0; a < 4; a++) {
		const char *name = sv_adjustment_name((enum sv_adjustment)a);
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, name);
		if (!v)
			continue;
		if (!decimal_dec4(ld, v, SV_DEC4_SCALE, &m->adjust[a]))
			LOAD_ERROR(ld, "measure '%s': '%s' must be a fraction from 0 to 1 with at most 4 decimal places",
				   m->id, name);
	}
	int years = 1;
	load_year(ld, cJSON_GetObjectItemCaseSensitive(item, "duration_years"), "duration_years", m->id, 1, 50, &years);
	m->duration_years = (unsigned)years;
	m->price_year = ld->t->price_year;
	const cJSON *py = cJSON_GetObjectItemCaseSensitive(item, "price_year");
	if (py && !price_year_item(ld, py, &m->price_year))
		LOAD_ERROR(ld, "measure '%s': 'price_year' must be a financial year (\"2024/25\") or a calendar year (2022) from 1900 to 2200",
			   m->id);
}

/* ---- unit conversions ---------------------------------------------------- */

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

bool sv_unit_fraction_parse(const char *s, size_t n, int64_t *num, int64_t *den)
{
	const char *slash = memchr(s, '/', n);
	int64_t a, b;
	if (slash) {
		size_t na = (size_t)(slash - s), nb = n - na - 1;
		int64_t a4, b4;
		/* whole numbers only on either side of a slash */
		if (!sv_dec4_parse_plain(s, na, (int64_t)SV_UNIT_TERM_MAX * SV_DEC4_SCALE, &a4) ||
		    !sv_dec4_parse_plain(slash + 1, nb, (int64_t)SV_UNIT_TERM_MAX * SV_DEC4_SCALE, &b4) ||
		    memchr(s, '.', n) || a4 % SV_DEC4_SCALE || b4 % SV_DEC4_SCALE)
			return false;
		a = a4 / SV_DEC4_SCALE;
		b = b4 / SV_DEC4_SCALE;
	} else {
		if (!sv_dec4_parse_plain(s, n, (int64_t)SV_UNIT_TERM_MAX * SV_DEC4_SCALE, &a))
			return false;
		b = SV_DEC4_SCALE;
	}
	if (a <= 0 || b <= 0)
		return false;
	int64_t g = gcd64(a, b);
	a /= g;
	b /= g;
	if (a > SV_UNIT_TERM_MAX || b > SV_UNIT_TERM_MAX)
		return false;
	*num = a;
	*den = b;
	return true;
}

void sv_unit_fraction_text(char *buf, size_t cap, int64_t num, int64_t den)
{
	/* a fraction with a power-of-ten denominator reads better as the
	 * decimal it was probably written as ("7.5" hours a day) */
	int64_t scaled = num * SV_DEC4_SCALE;
	if (den == 1)
		snprintf(buf, cap, "%lld", (long long)num);
	else if (scaled % den == 0 && (den % 2 == 0 || den % 5 == 0) && SV_DEC4_SCALE % den == 0) {
		char dec[SV_MONEY_TEXT_MAX];
		sv_format_dec4_min(dec, scaled / den);
		snprintf(buf, cap, "%s", dec);
	} else
		snprintf(buf, cap, "%lld/%lld", (long long)num, (long long)den);
}

static bool trim_unit(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
	return *n > 0;
}

bool sv_measure_unit(const struct sv_measure *m, const char *s, size_t n, int64_t *num, int64_t *den,
		     const char **name)
{
	if (!trim_unit(&s, &n))
		return false;
	if (m->unit && equal_nocase(s, n, m->unit, strlen(m->unit))) {
		*num = *den = 1;
		*name = m->unit;
		return true;
	}
	for (size_t i = 0; i < m->n_units; i++) {
		if (equal_nocase(s, n, m->units[i].name, strlen(m->units[i].name))) {
			*num = m->units[i].num;
			*den = m->units[i].den;
			*name = m->units[i].name;
			return true;
		}
	}
	return false;
}

void sv_measure_units_text(const struct sv_measure *m, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i <= m->n_units; i++) {
		const char *name = i == 0 ? m->unit : m->units[i - 1].name;
		int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", name ? name : "");
		if (w < 0 || (size_t)w >= cap - used) {
			if (cap >= 4)
				strcpy(buf + cap - 4, "...");
			return;
		}
		used += (size_t)w;
	}
}

static bool unit_name_taken(const struct sv_measure *m, const char *name)
{
	if (m->unit && equal_nocase(name, strlen(name), m->unit, strlen(m->unit)))
		return true;
	for (size_t i = 0; i < m->n_units; i++)
		if (equal_nocase(name, strlen(name), m->units[i].name, strlen(m->units[i].name)))
			return true;
	return false;
}

/* "units": {"FTE-month": "1/12"}: each other unit and its exact fraction of
 * the measure's own unit, written as text so that it stays exact. */
static void load_units(struct loader *ld, const cJSON *units, struct sv_measure *m)
{
	if (!units)
		return;
	if (!cJSON_IsObject(units)) {
		LOAD_ERROR(ld, "measure '%s': 'units' must be an object of unit names and fractions, e.g. {\"FTE-month\": \"1/12\"}", m->id);
		return;
	}
	int count = cJSON_GetArraySize(units);
	if (count == 0)
		return;
	m->units = calloc((size_t)count, sizeof *m->units);
	if (!m->units) {
		ld->oom = true;
		return;
	}
	const cJSON *u;
	cJSON_ArrayForEach(u, units) {
		int64_t num, den;
		const char *name = u->string;
		char shown[80];
		if (!name || !name[0] || strspn(name, " \t") == strlen(name)) {
			LOAD_ERROR(ld, "measure '%s': a unit in 'units' has an empty name", m->id);
			continue;
		}
		if (unit_name_taken(m, name)) {
			LOAD_ERROR(ld, "measure '%s': unit '%s' is named twice (units match without regard to case)", m->id, name);
			continue;
		}
		if (!cJSON_IsString(u) || !sv_unit_fraction_parse(u->valuestring, strlen(u->valuestring), &num, &den)) {
			sv_utf8_escape(shown, sizeof shown, cJSON_IsString(u) ? u->valuestring : "", cJSON_IsString(u) ? strlen(u->valuestring) : 0);
			LOAD_ERROR(ld, "measure '%s': unit '%s': '%s' must be a fraction of the measure's unit as text, \"N/D\" or a decimal (\"1/12\", \"7.5\"), each term 1 to %d",
				   m->id, name, shown, SV_UNIT_TERM_MAX);
			continue;
		}
		struct sv_unit *slot = &m->units[m->n_units++];
		slot->name = dup_string(ld, name);
		slot->num = num;
		slot->den = den;
	}
}

/* The common denominator of every conversion in the table: amounts are
 * counted in 1/lcm of the arithmetic's unit so that each converted value
 * is a whole count. */
static void unit_lcm(struct loader *ld)
{
	struct sv_proxy_table *t = ld->t;
	int64_t lcm = 1;
	for (size_t i = 0; i < t->n_measures; i++) {
		for (size_t k = 0; k < t->measures[i].n_units; k++) {
			int64_t den = t->measures[i].units[k].den;
			int64_t next = lcm / gcd64(lcm, den) * den;
			if (next > SV_UNIT_TERM_MAX) {
				LOAD_ERROR(ld, "measure '%s': unit '%s': the table's unit conversions need a common denominator over %d; use simpler fractions",
					   t->measures[i].id, t->measures[i].units[k].name, SV_UNIT_TERM_MAX);
				return;
			}
			lcm = next;
		}
	}
	t->unit_lcm = lcm;
}

static void load_measure(struct loader *ld, const cJSON *item, size_t position)
{
	struct sv_proxy_table *t = ld->t;
	const char *id = get_string(item, "id");
	if (!id) {
		LOAD_ERROR(ld, "measure %zu: missing 'id' (a non-empty string)", position);
		return;
	}
	struct sv_measure *m = &t->measures[t->n_measures++];
	m->index = t->n_measures - 1;
	m->id = dup_string(ld, id);
	static const char *const required[] = {"theme", "name", "unit", "value_type"};
	bool complete = true;
	for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
		if (!get_string(item, required[k])) {
			LOAD_ERROR(ld, "measure '%s': missing '%s' (a non-empty string)", id, required[k]);
			complete = false;
		}
	}
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(item, "value");
	if (!value) {
		LOAD_ERROR(ld, "measure '%s': missing 'value' (a number, a decimal string or null)", id);
		complete = false;
	}
	if (complete) {
		const char *theme = get_string(item, "theme"), *vt = get_string(item, "value_type");
		if (!find_theme(t, theme, &m->theme))
			LOAD_ERROR(ld, "measure '%s': theme '%s' is not one of the table's themes", id, theme);
		if (!parse_value_type(vt, &m->value_type))
			LOAD_ERROR(ld, "measure '%s': value_type '%s' must be LEV, savings or social", id, vt);
		load_value(ld, value, m);
		m->name = dup_string(ld, get_string(item, "name"));
		m->unit = dup_string(ld, get_string(item, "unit"));
	}
	m->source = optional_string(ld, item, "source");
	m->licence = optional_string(ld, item, "licence");
	m->derivation = optional_string(ld, item, "derivation");
	load_adjustments(ld, item, m);
	load_aliases(ld, cJSON_GetObjectItemCaseSensitive(item, "aliases"), m);
	if (m->unit)
		load_units(ld, cJSON_GetObjectItemCaseSensitive(item, "units"), m);
}

/* ---- the id/alias index ------------------------------------------------ */

static struct sv_index_slot *index_probe(const struct sv_proxy_table *t, const char *s, size_t n,
					 uint32_t h)
{
	size_t mask = t->index_cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct sv_index_slot *slot = &t->index[i];
		if (!slot->key || (slot->hash == h && equal_nocase(slot->key, slot->key_len, s, n)))
			return slot;
	}
}

static void index_add(struct loader *ld, const char *key, size_t measure, bool is_alias)
{
	struct sv_proxy_table *t = ld->t;
	size_t n = strlen(key);
	uint32_t h = hash_nocase(key, n);
	struct sv_index_slot *slot = index_probe(t, key, n, h);
	if (slot->key) {
		const struct sv_measure *other = &t->measures[slot->measure];
		const struct sv_measure *self = &t->measures[measure];
		bool other_id = equal_nocase(other->id, strlen(other->id), key, n);
		if (other == self)
			LOAD_ERROR(ld, "measure '%s': alias '%s' repeats %s (ids and aliases must be unique)",
				   self->id, key, other_id ? "its own id" : "one of its aliases");
		else
			LOAD_ERROR(ld, "measure '%s': %s '%s' repeats %s of measure '%s' (ids and aliases must be unique)",
				   self->id, is_alias ? "alias" : "id", key, other_id ? "the id" : "an alias",
				   other->id);
		return;
	}
	slot->key = key;
	slot->key_len = n;
	slot->word = n <= 8 ? sv_word(key, n) : 0;
	slot->hash = h;
	slot->measure = (uint32_t)measure;
}

/* ---- the short keys' perfect hash ---------------------------------------- */

/* Most records name a measure by a short id ("NT29") or alias: every key of
 * at most sixteen bytes ("volunteer_hour") gets a slot of its own, found
 * by a multiply per word, and compared as one or two words. */

#define SHORT_MAX 16

#define ONES 0x0101010101010101u
#define SHORT_BITS_MAX 12 /* 4096 slots, 64 KiB: a table needing more is probed */
#define SHORT_TRIES 128   /* multipliers tried at each size */

/* The word with its ASCII capitals lowered, as lower() does each byte, so
 * that equal_nocase of two keys of at most eight bytes is one compare of
 * their folded words (and lengths).  HASH_FOLD's 0x20 alone would also
 * merge '@' with '`' and 0xC1 with 0xE1. */
static uint64_t fold_ascii(uint64_t w)
{
	uint64_t low7 = w & (0x7f * ONES);
	/* bit 7 of each byte: its low seven bits are >= 'A', > 'Z' (no carry
	 * crosses a byte: 0x7f + 0x3f < 0x100) */
	uint64_t from_a = low7 + (0x80 - 'A') * ONES;
	uint64_t past_z = low7 + (0x80 - 'Z' - 1) * ONES;
	uint64_t upper = from_a & ~past_z & ~w & (0x80 * ONES);
	return w | upper >> 2;
}

static size_t short_at(uint64_t folded, uint64_t folded2, uint64_t mult, uint64_t mult2, unsigned shift)
{
	return (size_t)((folded * mult + folded2 * mult2) >> shift);
}

/* splitmix64: odd multipliers with well-mixed high bits, the same on
 * every run so that a table always gets the same layout */
static uint64_t next_mult(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return (z ^ (z >> 31)) | 1;
}

/* Whether the multipliers give each of the n keys a slot of its own among
 * 2^bits. */
static bool spreads(const struct sv_short_slot *keys, size_t n, uint64_t mult, uint64_t mult2, unsigned bits)
{
	uint64_t used[((size_t)1 << SHORT_BITS_MAX) / 64] = {0};
	for (size_t i = 0; i < n; i++) {
		size_t at = short_at(keys[i].word, keys[i].word2, mult, mult2, 64 - bits);
		if (used[at / 64] >> (at % 64) & 1)
			return false;
		used[at / 64] |= (uint64_t)1 << (at % 64);
	}
	return true;
}

/* The smallest size, and a multiplier for it, that spread the keys; false
 * when none up to SHORT_BITS_MAX does.  The chance that a multiplier
 * spreads n keys over m slots is about exp(-n^2 / 2m), hence four sizes
 * from twice n. */
static bool find_spread(const struct sv_short_slot *keys, size_t n, uint64_t *mult, uint64_t *mult2,
			unsigned *bits)
{
	if (n > (size_t)1 << SHORT_BITS_MAX)
		return false;
	unsigned lo = 4;
	while (lo < SHORT_BITS_MAX && ((size_t)1 << lo) < 2 * n)
		lo++;
	for (unsigned b = lo; b <= SHORT_BITS_MAX && b < lo + 4; b++) {
		uint64_t state = 0;
		for (int k = 0; k < SHORT_TRIES; k++) {
			uint64_t m = next_mult(&state), m2 = next_mult(&state);
			if (spreads(keys, n, m, m2, b)) {
				*mult = m;
				*mult2 = m2;
				*bits = b;
				return true;
			}
		}
	}
	return false;
}

/* The index's short keys, folded (the index holds each key once). */
static size_t short_keys(const struct sv_proxy_table *t, struct sv_short_slot *keys)
{
	size_t n = 0;
	for (size_t i = 0; i < t->index_cap; i++) {
		const struct sv_index_slot *slot = &t->index[i];
		if (slot->key && slot->key_len <= SHORT_MAX) {
			size_t len = slot->key_len;
			uint64_t word2 = len > 8 ? sv_word(slot->key + 8, len - 8) : 0;
			keys[n++] = (struct sv_short_slot){fold_ascii(sv_word(slot->key, len)), fold_ascii(word2),
							    (uint32_t)len, slot->measure};
		}
	}
	return n;
}

/* Without it (no multiplier found, or no memory for it: it only saves
 * time) short keys are probed in the index like long ones. */
static void build_short(struct sv_proxy_table *t)
{
	struct sv_short_slot *keys = malloc(t->index_cap * sizeof *keys);
	if (!keys)
		return;
	size_t n = short_keys(t, keys);
	uint64_t mult, mult2;
	unsigned bits;
	if (find_spread(keys, n, &mult, &mult2, &bits)) {
		t->short_slots = calloc((size_t)1 << bits, sizeof *t->short_slots);
		if (t->short_slots) {
			t->short_mult = mult;
			t->short_mult2 = mult2;
			t->short_shift = 64 - bits;
			for (size_t i = 0; i < n; i++)
				t->short_slots[short_at(keys[i].word, keys[i].word2, mult, mult2, t->short_shift)] =
					keys[i];
		}
	}
	free(keys);
}

static void build_index(struct loader *ld)
{
	struct sv_proxy_table *t = ld->t;
	size_t keys = 0;
	for (size_t i = 0; i < t->n_measures; i++)
		keys += 1 + t->measures[i].n_aliases;
	size_t cap = 16;
	while (cap < keys * 2)
		cap *= 2;
	t->index = calloc(cap, sizeof *t->index);
	if (!t->index) {
		ld->oom = true;
		return;
	}
	t->index_cap = cap;
	for (size_t i = 0; i < t->n_measures; i++) {
		struct sv_measure *m = &t->measures[i];
		if (m->id)
			index_add(ld, m->id, i, false);
		for (size_t k = 0; k < m->n_aliases; k++)
			if (m->aliases[k])
				index_add(ld, m->aliases[k], i, true);
	}
	build_short(t);
}

/* ---- load -------------------------------------------------------------- */

static void load_tree(struct loader *ld, const cJSON *root)
{
	if (!cJSON_IsObject(root)) {
		LOAD_ERROR(ld, "a proxy table must be a JSON object");
		return;
	}
	check_duplicate_keys(ld, root, NULL);
	load_header(ld, root);
	const cJSON *themes = cJSON_GetObjectItemCaseSensitive(root, "themes");
	const cJSON *measures = cJSON_GetObjectItemCaseSensitive(root, "measures");
	if (!cJSON_IsArray(themes) || cJSON_GetArraySize(themes) == 0)
		LOAD_ERROR(ld, "'themes' must be a non-empty array");
	else
		load_themes(ld, themes);
	if (!cJSON_IsArray(measures) || cJSON_GetArraySize(measures) == 0) {
		LOAD_ERROR(ld, "'measures' must be a non-empty array");
		return;
	}
	ld->t->measures = calloc((size_t)cJSON_GetArraySize(measures), sizeof *ld->t->measures);
	if (!ld->t->measures) {
		ld->oom = true;
		return;
	}
	size_t position = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, measures)
		load_measure(ld, item, ++position);
	unit_lcm(ld);
	if (!ld->oom)
		build_index(ld);
}

enum sv_status sv_proxy_load_text(struct sv_proxy_table *t, const char *text, size_t len,
				  const char *origin)
{
	struct sv_json_doc doc;
	struct loader ld = {t, origin, &doc, 0, false};
	memset(t, 0, sizeof *t);
	if (!sv_json_check_utf8(text, len, origin, "table"))
		return SV_ECONFIG;
	enum sv_status st = sv_json_parse(&doc, text, len, origin);
	if (st != SV_OK)
		return st;
	load_tree(&ld, doc.root);
	sv_json_doc_free(&doc);
	t->origin = dup_string(&ld, origin);
	t->digest_cache = calloc(65, 1);
	ld.oom = ld.oom || !t->digest_cache;
	if (ld.oom) {
		sv_diag("%s: out of memory while loading the proxy table", origin);
		sv_proxy_free(t);
		return SV_ESOFTWARE;
	}
	if (ld.errors) {
		sv_proxy_free(t);
		return SV_ECONFIG;
	}
	return SV_OK;
}

#ifndef SV_DATADIR
#define SV_DATADIR "/usr/local/share/sv-calc"
#endif

/* A bare name that is not a file here is looked up among the installed
 * tables: "open-2026" finds DATADIR/proxies/open-2026.json. */
const char *sv_proxy_table_path(const char *path, char *buf, size_t cap)
{
	struct stat sb;
	if (stat(path, &sb) == 0 || errno != ENOENT || strchr(path, '/'))
		return path;
	snprintf(buf, cap, "%s/proxies/%s", SV_DATADIR, path);
	if (stat(buf, &sb) == 0)
		return buf;
	snprintf(buf, cap, "%s/proxies/%s.json", SV_DATADIR, path);
	if (stat(buf, &sb) == 0)
		return buf;
	return path;
}

static FILE *open_table(const char *path)
{
	char installed[4096];
	return fopen(sv_proxy_table_path(path, installed, sizeof installed), "rb");
}

enum sv_status sv_proxy_load_file(struct sv_proxy_table *t, const char *path)
{
	memset(t, 0, sizeof *t);
	FILE *f = open_table(path);
	if (!f) {
		sv_diag("%s: cannot open proxy table: %s", path, strerror(errno));
		return SV_ECONFIG;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	enum sv_status st = SV_OK;
	for (;;) {
		if (len + 1 >= cap) {
			if (cap >= SV_PROXY_FILE_MAX) {
				sv_diag("%s: proxy table is larger than %u MiB", path, SV_PROXY_FILE_MAX >> 20);
				st = SV_ECONFIG;
				break;
			}
			cap = cap ? cap * 2 : 65536;
			char *grown = realloc(buf, cap);
			if (!grown) {
				st = SV_ESOFTWARE;
				break;
			}
			buf = grown;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				sv_diag("%s: cannot read proxy table: %s", path, strerror(errno));
				st = SV_ECONFIG;
			}
			break;
		}
	}
	fclose(f);
	if (st == SV_OK) {
		buf[len] = '\0';
		st = sv_proxy_load_text(t, buf, len, path);
	}
	free(buf);
	return st;
}

/* Long keys, and every key of a table whose short ones have no perfect
 * hash.  Not inlined: sv_proxy_find's short path then saves no register. */
__attribute__((noinline))
static const struct sv_measure *find_probed(const struct sv_proxy_table *t, const char *s, size_t n)
{
	if (!t->index_cap)
		return NULL;
	if (n && n <= 8) {
		/* a short id as the table writes it: one word compared */
		uint64_t word = sv_word(s, n);
		uint32_t h = short_hash(n, word);
		size_t mask = t->index_cap - 1;
		for (size_t i = h & mask;; i = (i + 1) & mask) {
			const struct sv_index_slot *slot = &t->index[i];
			if (!slot->key)
				return NULL;
			if (slot->hash == h && slot->key_len == n &&
			    (slot->word == word || equal_nocase(slot->key, n, s, n)))
				return &t->measures[slot->measure];
		}
	}
	const struct sv_index_slot *slot = index_probe(t, s, n, hash_nocase(s, n));
	return slot->key ? &t->measures[slot->measure] : NULL;
}

/* The key of n bytes (1 to SHORT_MAX) whose two words, folded, are given. */
static inline const struct sv_measure *find_short(const struct sv_proxy_table *t, uint64_t folded,
						   uint64_t folded2, size_t n)
{
	const struct sv_short_slot *slot =
		&t->short_slots[short_at(folded, folded2, t->short_mult, t->short_mult2, t->short_shift)];
	/* the length too: "nt1\0" folds as "NT1" does, and a table's keys
	 * never hold a NUL */
	return slot->word == folded && slot->word2 == folded2 && slot->len == n ? &t->measures[slot->measure]
										: NULL;
}

const struct sv_measure *sv_proxy_find(const struct sv_proxy_table *t, const char *s, size_t n)
{
	if (!n || n > SHORT_MAX || !t->short_slots)
		return find_probed(t, s, n);
	uint64_t folded = fold_ascii(sv_word(s, n)), folded2 = n > 8 ? fold_ascii(sv_word(s + 8, n - 8)) : 0;
	return find_short(t, folded, folded2, n);
}

/* Two 8-byte loads, masked to the key's bytes: no branch on the key's
 * length, which in an export varies from record to record (3 to 16 bytes
 * in the bench's: sv_word's branches were mispredicted about one record in
 * two).  fold_ascii(0) is 0, as sv_proxy_find's second word is for keys
 * of up to 8 bytes. */
const struct sv_measure *sv_proxy_find_padded(const struct sv_proxy_table *t, const char *s, size_t n)
{
	if (!n || n > SHORT_MAX || !t->short_slots)
		return find_probed(t, s, n);
	size_t low = n < 8 ? n : 8;
	uint64_t folded = fold_ascii(sv_load64(s) & sv_byte_mask(low)),
		 folded2 = fold_ascii(sv_load64(s + 8) & sv_byte_mask(n - low));
	return find_short(t, folded, folded2, n);
}

const char *sv_proxy_suggest(const struct sv_proxy_table *t, const char *s, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		for (size_t k = 0; k <= m->n_aliases; k++) {
			const char *cand = k == 0 ? m->id : m->aliases[k - 1];
			size_t len = strlen(cand);
			/* the distance is at least the difference in length: a
			 * candidate that cannot be close costs nothing */
			if ((len > n ? len - n : n - len) > 3)
				continue;
			size_t d = sv_edit_distance(s, n, cand, len);
			if (d < best_d) {
				best_d = d;
				best = cand;
			}
		}
	}
	return best && sv_close_enough(best_d, n) ? best : NULL;
}

/* What a table loaded from JSON holds on the heap, and the built-in one
 * borrows from static data. */
static void free_contents(struct sv_proxy_table *t)
{
	for (size_t i = 0; i < t->n_themes; i++) {
		free(t->themes[i].id);
		free(t->themes[i].name);
	}
	for (size_t i = 0; i < t->n_measures; i++) {
		struct sv_measure *m = &t->measures[i];
		free(m->id);
		free(m->name);
		free(m->unit);
		free(m->source);
		free(m->licence);
		free(m->derivation);
		for (size_t k = 0; k < m->n_aliases; k++)
			free(m->aliases[k]);
		free(m->aliases);
		for (size_t k = 0; k < m->n_units; k++)
			free(m->units[k].name);
		free(m->units);
	}
	free(t->themes);
	free(t->measures);
	free(t->index);
	free(t->short_slots);
	free(t->name);
	free(t->version);
	free(t->currency);
	free(t->source);
	free(t->licence);
	free(t->attribution);
	free(t->notes);
}

void sv_proxy_free(struct sv_proxy_table *t)
{
	if (!t->borrowed)
		free_contents(t);
	free(t->origin);
	free(t->digest_cache);
	memset(t, 0, sizeof *t);
}

/* ---- deflators ------------------------------------------------------------ */

/* The whole file in a NUL-terminated buffer (open_memstream keeps one). */
static enum sv_status read_whole(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		sv_diag("%s: cannot open deflators: %s", path, strerror(errno));
		return SV_ECONFIG;
	}
	FILE *mem = open_memstream(text, len);
	char buf[4096];
	size_t got;
	while (mem && (got = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, got, mem);
	fclose(f);
	if (!mem || fclose(mem) != 0) {
		free(*text);
		*text = NULL;
		return SV_ESOFTWARE;
	}
	return SV_OK;
}

/* The first and last years named in a series (0: none). */
static void series_span(const cJSON *series, int *lo, int *hi)
{
	const cJSON *e;
	*lo = *hi = 0;
	cJSON_ArrayForEach(e, series) {
		int y = e->string ? atoi(e->string) : 0;
		if (y > 0 && (*lo == 0 || y < *lo))
			*lo = y;
		if (y > *hi)
			*hi = y;
	}
}

/* Each "2024-25": index (or "2024": index for calendar years), the index
 * read exactly from its literal. */
static enum sv_status fill_series(struct sv_series *s, const struct sv_json_doc *doc, const cJSON *series,
				  bool calendar, const char *origin)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, series) {
		struct sv_price_year y = {0, false};
		int64_t v;
		if (!e->string || !sv_price_year_parse(e->string, strlen(e->string), false, &y) || y.calendar != calendar ||
		    (!calendar && e->string[4] != '-') || !cJSON_IsNumber(e) ||
		    !number_dec4(doc, e, (int64_t)1000 * SV_DEC4_SCALE, &v) || v == 0) {
			sv_diag("%s: \"%s\" must be a %s with an index above 0 and at most 4 decimals", origin,
				e->string ? e->string : "?",
				calendar ? "calendar year such as \"2024\"" : "financial year such as \"2024-25\"");
			return SV_ECONFIG;
		}
		s->index[y.year - s->first_year] = v;
	}
	return SV_OK;
}

static enum sv_status load_one_series(struct sv_series *s, const struct sv_json_doc *doc, const cJSON *series,
				      bool calendar, const char *origin)
{
	int lo, hi;
	series_span(series, &lo, &hi);
	if (!cJSON_IsObject(series) || lo == 0) {
		sv_diag(calendar ? "%s: \"calendar_series\" must be an object of \"2024\": index"
				 : "%s: not a deflator series (an object \"series\" of \"2024-25\": index)",
			origin);
		return SV_ECONFIG;
	}
	s->first_year = lo;
	s->n = (size_t)(hi - lo + 1);
	s->index = calloc(s->n, sizeof *s->index);
	if (!s->index)
		return SV_ESOFTWARE;
	return fill_series(s, doc, series, calendar, origin);
}

static enum sv_status load_series(struct sv_deflators *d, const struct sv_json_doc *doc, const char *origin)
{
	d->origin = strdup(origin);
	if (!d->origin)
		return SV_ESOFTWARE;
	enum sv_status st =
		load_one_series(&d->financial, doc, cJSON_GetObjectItemCaseSensitive(doc->root, "series"), false, origin);
	const cJSON *cal = cJSON_GetObjectItemCaseSensitive(doc->root, "calendar_series");
	if (st == SV_OK && cal)
		st = load_one_series(&d->calendar, doc, cal, true, origin);
	return st;
}

enum sv_status sv_deflators_load(struct sv_deflators *d, const char *path)
{
	memset(d, 0, sizeof *d);
	char *text = NULL;
	size_t len = 0;
	const char *origin = path ? path : SV_BUILTIN_ORIGIN " deflators";
	enum sv_status st = path ? read_whole(path, &text, &len) : SV_OK;
	if (st != SV_OK)
		return st;
	const char *json = path ? text : (const char *)sv_builtin_deflators;
	size_t json_len = path ? len : sv_builtin_deflators_len;
	struct sv_json_doc doc;
	st = sv_json_parse(&doc, json, json_len, origin);
	if (st == SV_OK)
		st = load_series(d, &doc, origin);
	sv_json_doc_free(&doc);
	free(text);
	if (st != SV_OK)
		sv_deflators_free(d);
	return st;
}

void sv_deflators_free(struct sv_deflators *d)
{
	free(d->financial.index);
	free(d->calendar.index);
	free(d->origin);
	memset(d, 0, sizeof *d);
}

int64_t sv_deflator(const struct sv_deflators *d, struct sv_price_year year)
{
	const struct sv_series *s = year.calendar ? &d->calendar : &d->financial;
	if (!s->index || year.year < s->first_year || (size_t)(year.year - s->first_year) >= s->n)
		return 0;
	return s->index[year.year - s->first_year];
}

/* A series' years as runs: "2010/11, 2012/13, 2015/16 to 2025/26". */
static size_t series_years(const struct sv_series *s, bool calendar, char *buf, size_t cap, size_t used)
{
	const size_t start = used;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->index[i] || (i > 0 && s->index[i - 1]))
			continue;
		size_t last = i;
		while (last + 1 < s->n && s->index[last + 1])
			last++;
		char a[8], b[8];
		sv_price_year_text((struct sv_price_year){s->first_year + (int)i, calendar}, a);
		sv_price_year_text((struct sv_price_year){s->first_year + (int)last, calendar}, b);
		const char *sep = used > start ? ", " : "";
		int n = i == last ? snprintf(buf + used, cap - used, "%s%s", sep, a)
				  : snprintf(buf + used, cap - used, "%s%s to %s", sep, a, b);
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
	return used;
}

void sv_deflators_years(const struct sv_deflators *d, char *buf, size_t cap)
{
	buf[0] = '\0';
	size_t used = series_years(&d->financial, false, buf, cap, 0);
	if (d->calendar.index && used + 20 < cap) {
		used += (size_t)snprintf(buf + used, cap - used, "; calendar years ");
		series_years(&d->calendar, true, buf, cap, used);
	}
}

struct sv_price_year sv_proxy_basis_year(const struct sv_proxy_table *t)
{
	if (t->price_year.year)
		return t->price_year;
	struct sv_price_year latest = {0, false};
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		if (!m->record_only && m->price_year.year && sv_price_year_compare(m->price_year, latest) > 0)
			latest = m->price_year;
	}
	return latest;
}

bool sv_proxy_is_mixed(const struct sv_proxy_table *t)
{
	struct sv_price_year basis = sv_proxy_basis_year(t);
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		/* one without a year is taken to be in the table's */
		if (!m->record_only && m->price_year.year && !sv_price_year_equal(m->price_year, basis))
			return true;
	}
	return false;
}
