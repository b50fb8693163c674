/*
 * profile.c - profiles (JSON) and input lists (CSV), checked strictly.
 *
 * A profile is written by hand, once per supplier, and then used for years
 * of exports: a key spelt wrong ("skip_line") must stop the run, not value
 * the notes line as a header.  So every key is known, every value has one
 * type, and every problem is reported, each with the file it is in, before
 * any input is read.
 */
#include "sv_profile.h"
#include "sv_diag.h"
#include "sv_jsontext.h"
#include "sv_reader.h"
#include "sv_utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A profile is a page of JSON; anything this large is not one. */
#define PROFILE_FILE_MAX ((size_t)16 << 20)

static const char *const top_keys[] = {"name",    "skip_lines", "delimiter", "encoding", "columns",
				       "dates",   "measures",   "ignore",    "constants", "accounting_zero"};
static const char *const field_names[SV_PF_COUNT] = {"measure", "quantity", "date", "unit"};
static const char *const ignore_keys[] = {"column", "equals"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct loader {
	struct sv_profile *p;
	const char *origin;
	const struct sv_proxy_table *t;
	unsigned errors;
	bool oom;
};

static void problem(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct loader *ld, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sv_diag_at(ld->origin, 0, "%s", msg);
	ld->errors++;
}

/* Text from the profile for a message: one line, no control bytes. */
static const char *shown(char buf[SV_ESCAPE_MAX], const char *s)
{
	return sv_utf8_escape(buf, SV_ESCAPE_MAX, s, strlen(s));
}

/* The name among names closest to s, if close enough to be a typo. */
static const char *closest(const char *s, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, len = strlen(s);
	for (size_t i = 0; i < n; i++) {
		size_t d = sv_edit_distance(s, len, names[i], strlen(names[i]));
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	return best && sv_close_enough(best_d, len) ? best : NULL;
}

/* "unknown key 'x' (did you mean 'y'?)", in where ("" at the top). */
static void unknown_key(struct loader *ld, const char *where, const char *key, const char *const *names,
			size_t n)
{
	char esc[SV_ESCAPE_MAX];
	const char *near = closest(key, names, n);
	char known[256] = "";
	for (size_t i = 0, o = 0; i < n && o < sizeof known; i++)
		o += (size_t)snprintf(known + o, sizeof known - o, "%s%s", i ? ", " : "", names[i]);
	if (near)
		problem(ld, "%sunknown key '%s' (did you mean '%s'?)", where, shown(esc, key), near);
	else
		problem(ld, "%sunknown key '%s' (known: %s)", where, shown(esc, key), known);
}

static size_t find_name(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return SIZE_MAX;
}

/* A trimmed copy of a string: spaces and tabs, as header names are. */
static char *dup_trimmed(struct loader *ld, const char *s)
{
	struct sv_field f = {s, strlen(s)};
	char *c = sv_field_dup_trimmed(&f);
	if (!c)
		ld->oom = true;
	return c;
}

static char *dup_string(struct loader *ld, const char *s)
{
	char *c = strdup(s);
	if (!c)
		ld->oom = true;
	return c;
}

/* A key that came before in the same object (cJSON keeps both and finds
 * only the first, so the second would be ignored without a word). */
static bool duplicate_key(struct loader *ld, const cJSON *object, const cJSON *item, const char *where)
{
	for (const cJSON *c = object->child; c && c != item; c = c->next) {
		if (strcmp(c->string, item->string) == 0) {
			char esc[SV_ESCAPE_MAX];
			problem(ld, "%sduplicate key '%s'", where, shown(esc, item->string));
			return true;
		}
	}
	return false;
}

/* A non-empty string, trimmed; NULL (reported) otherwise. */
static char *want_text(struct loader *ld, const cJSON *item, const char *what)
{
	if (!cJSON_IsString(item)) {
		problem(ld, "%s must be a string", what);
		return NULL;
	}
	char *s = dup_trimmed(ld, item->valuestring);
	if (s && !*s) {
		problem(ld, "%s is empty", what);
		free(s);
		return NULL;
	}
	return s;
}

/* ---- the keys ------------------------------------------------------------ */

static void load_skip_lines(struct loader *ld, const struct sv_json_doc *doc, const cJSON *item)
{
	size_t n = 0;
	const char *text = cJSON_IsNumber(item) ? sv_json_number_text(doc, item, &n) : NULL;
	bool digits = text && n > 0 && n <= 4;
	for (size_t i = 0; digits && i < n; i++)
		digits = text[i] >= '0' && text[i] <= '9';
	if (!digits || item->valuedouble > SV_PROFILE_SKIP_MAX) {
		problem(ld, "skip_lines must be a whole number from 0 to %d (the lines above the header)",
			SV_PROFILE_SKIP_MAX);
		return;
	}
	ld->p->skip_lines = (unsigned)item->valueint;
}

static void load_delimiter(struct loader *ld, const cJSON *item)
{
	const char *v = cJSON_IsString(item) ? item->valuestring : NULL;
	if (v && (strcasecmp(v, "tab") == 0 || strcmp(v, "\\t") == 0))
		ld->p->delimiter = '\t';
	else if (v && strlen(v) == 1 && v[0] != '"' && v[0] != '\n' && v[0] != '\r')
		ld->p->delimiter = (unsigned char)v[0];
	else
		problem(ld, "delimiter must be one character or \"tab\"");
}

static void load_encoding(struct loader *ld, const cJSON *item)
{
	const char *v = cJSON_IsString(item) ? item->valuestring : NULL;
	char esc[SV_ESCAPE_MAX];
	if (v && (strcasecmp(v, "utf-8") == 0 || strcasecmp(v, "utf8") == 0))
		ld->p->encoding = SV_ENC_UTF8;
	else if (v && (strcasecmp(v, "windows-1252") == 0 || strcasecmp(v, "cp1252") == 0))
		ld->p->encoding = SV_ENC_CP1252;
	else if (v)
		problem(ld, "encoding: unknown encoding '%s' (utf-8 or windows-1252)", shown(esc, v));
	else
		problem(ld, "encoding must be a string: utf-8 or windows-1252");
}

static void load_columns(struct loader *ld, const cJSON *item)
{
	if (!cJSON_IsObject(item)) {
		problem(ld, "columns must be an object such as {\"measure\": \"Activity\", \"quantity\": \"Hours\"}");
		return;
	}
	const cJSON *c;
	cJSON_ArrayForEach(c, item) {
		if (duplicate_key(ld, item, c, "columns: "))
			continue;
		size_t f = SV_PF_COUNT;
		for (size_t i = 0; i < SV_PF_COUNT; i++)
			if (strcasecmp(c->string, field_names[i]) == 0)
				f = i;
		if (f == SV_PF_COUNT) {
			unknown_key(ld, "columns: ", c->string, field_names, SV_PF_COUNT);
			continue;
		}
		char what[48];
		snprintf(what, sizeof what, "columns: %s", field_names[f]);
		ld->p->columns[f] = want_text(ld, c, what);
	}
}

static void load_dates(struct loader *ld, const cJSON *item)
{
	if (!cJSON_IsArray(item)) {
		problem(ld, "dates must be an array of date forms: " SV_DATE_FORM_NAMES);
		return;
	}
	const cJSON *c;
	cJSON_ArrayForEach(c, item) {
		if (!cJSON_IsString(c)) {
			problem(ld, "dates: each form must be a string: month, two-digit-year or excel-serial");
			continue;
		}
		unsigned form = sv_date_form_by_name(c->valuestring);
		if (form) {
			ld->p->date_forms |= form;
			continue;
		}
		char esc[SV_ESCAPE_MAX];
		const char *near = closest(c->valuestring, sv_date_form_names, SV_DATE_FORMS);
		if (near)
			problem(ld, "dates: unknown form '%s' (did you mean '%s'?)", shown(esc, c->valuestring), near);
		else
			problem(ld, "dates: unknown form '%s' (month, two-digit-year or excel-serial)",
				shown(esc, c->valuestring));
	}
}

static int casecmp_n(const char *a, size_t na, const char *b, size_t nb)
{
	size_t n = na < nb ? na : nb;
	for (size_t i = 0; i < n; i++) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
		ca = ca >= 'A' && ca <= 'Z' ? ca + 32 : ca;
		cb = cb >= 'A' && cb <= 'Z' ? cb + 32 : cb;
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return na < nb ? -1 : na > nb;
}

static int by_text(const void *va, const void *vb)
{
	const struct sv_profile_measure *a = va, *b = vb;
	return casecmp_n(a->text, a->len, b->text, b->len);
}

/* One "measures" entry: text as written -> a measure id or alias. */
static void load_measure_entry(struct loader *ld, const cJSON *c)
{
	char esc[SV_ESCAPE_MAX], esc2[SV_ESCAPE_MAX];
	char *text = dup_trimmed(ld, c->string);
	if (!text)
		return;
	if (!*text) {
		problem(ld, "measures: an empty measure name");
		free(text);
		return;
	}
	if (!cJSON_IsString(c)) {
		problem(ld, "measures: '%s' must map to a string (a measure id or alias)", shown(esc, text));
		free(text);
		return;
	}
	const char *target = c->valuestring;
	const struct sv_measure *m = sv_proxy_find(ld->t, target, strlen(target));
	if (!m) {
		const char *near = sv_proxy_suggest(ld->t, target, strlen(target));
		if (near)
			problem(ld, "measures: '%s': no measure or alias '%s' in the proxy table (did you mean '%s'?)",
				shown(esc, text), shown(esc2, target), near);
		else
			problem(ld, "measures: '%s': no measure or alias '%s' in the proxy table", shown(esc, text),
				shown(esc2, target));
		free(text);
		return;
	}
	struct sv_profile *p = ld->p;
	p->measures[p->n_measures++] = (struct sv_profile_measure){text, strlen(text), m};
}

static void load_measures(struct loader *ld, const cJSON *item)
{
	if (!cJSON_IsObject(item)) {
		problem(ld, "measures must be an object of names as written to measure ids, such as {\"Volunteering hours\": \"NT29\"}");
		return;
	}
	struct sv_profile *p = ld->p;
	p->measures = calloc((size_t)cJSON_GetArraySize(item) + 1, sizeof *p->measures);
	if (!p->measures) {
		ld->oom = true;
		return;
	}
	const cJSON *c;
	cJSON_ArrayForEach(c, item)
		if (!duplicate_key(ld, item, c, "measures: "))
			load_measure_entry(ld, c);
	qsort(p->measures, p->n_measures, sizeof *p->measures, by_text);
	for (size_t i = 1; i < p->n_measures; i++) {
		if (by_text(&p->measures[i - 1], &p->measures[i]) == 0) {
			char a[SV_ESCAPE_MAX], b[SV_ESCAPE_MAX];
			problem(ld, "measures: '%s' and '%s' are the same name (names match trimmed, in any case)",
				shown(a, p->measures[i - 1].text), shown(b, p->measures[i].text));
		}
	}
}

static void load_ignore_rule(struct loader *ld, const cJSON *c, size_t index)
{
	char where[48];
	snprintf(where, sizeof where, "ignore %zu: ", index);
	if (!cJSON_IsObject(c)) {
		problem(ld, "%smust be an object such as {\"column\": \"Activity\", \"equals\": [\"Total\"]}", where);
		return;
	}
	struct sv_profile_ignore *rule = &ld->p->ignore[ld->p->n_ignore++];
	const cJSON *k;
	cJSON_ArrayForEach(k, c) {
		if (duplicate_key(ld, c, k, where))
			continue;
		if (find_name(k->string, ignore_keys, COUNT(ignore_keys)) == SIZE_MAX)
			unknown_key(ld, where, k->string, ignore_keys, COUNT(ignore_keys));
	}
	const cJSON *column = cJSON_GetObjectItemCaseSensitive(c, "column");
	const cJSON *equals = cJSON_GetObjectItemCaseSensitive(c, "equals");
	char what[64];
	snprintf(what, sizeof what, "%scolumn", where);
	if (!column)
		problem(ld, "%sneeds a \"column\"", where);
	else
		rule->column = want_text(ld, column, what);
	if (!cJSON_IsArray(equals) || cJSON_GetArraySize(equals) == 0) {
		problem(ld, "%s\"equals\" must be a non-empty array of strings", where);
		return;
	}
	rule->values = calloc((size_t)cJSON_GetArraySize(equals), sizeof *rule->values);
	if (!rule->values) {
		ld->oom = true;
		return;
	}
	const cJSON *v;
	cJSON_ArrayForEach(v, equals) {
		if (!cJSON_IsString(v)) {
			problem(ld, "%s\"equals\" must be a non-empty array of strings", where);
			return;
		}
		char *s = dup_trimmed(ld, v->valuestring);
		if (s)
			rule->values[rule->n_values++] = s;
	}
}

static void load_ignore(struct loader *ld, const cJSON *item)
{
	if (!cJSON_IsArray(item)) {
		problem(ld, "ignore must be an array of rules such as {\"column\": \"Activity\", \"equals\": [\"Total\"]}");
		return;
	}
	if (cJSON_GetArraySize(item) > SV_PROFILE_IGNORE_MAX) {
		problem(ld, "ignore has more than %d rules", SV_PROFILE_IGNORE_MAX);
		return;
	}
	ld->p->ignore = calloc((size_t)cJSON_GetArraySize(item) + 1, sizeof *ld->p->ignore);
	if (!ld->p->ignore) {
		ld->oom = true;
		return;
	}
	const cJSON *c;
	size_t i = 0;
	cJSON_ArrayForEach(c, item)
		load_ignore_rule(ld, c, ++i);
}

static void load_constants(struct loader *ld, const cJSON *item)
{
	if (!cJSON_IsObject(item)) {
		problem(ld, "constants must be an object of column names and values, such as {\"supplier\": \"Acme FM\"}");
		return;
	}
	struct sv_profile *p = ld->p;
	p->constants = calloc((size_t)cJSON_GetArraySize(item) + 1, sizeof *p->constants);
	if (!p->constants) {
		ld->oom = true;
		return;
	}
	const cJSON *c;
	cJSON_ArrayForEach(c, item) {
		char esc[SV_ESCAPE_MAX];
		if (duplicate_key(ld, item, c, "constants: "))
			continue;
		char *name = dup_trimmed(ld, c->string);
		if (!name)
			continue;
		bool ok = true;
		if (!*name) {
			problem(ld, "constants: an empty column name");
			ok = false;
		} else if (!cJSON_IsString(c)) {
			problem(ld, "constants: '%s' must be a string", shown(esc, name));
			ok = false;
		}
		for (size_t i = 0; ok && i < p->n_constants; i++) {
			if (strcasecmp(p->constants[i].name, name) == 0) {
				problem(ld, "constants: '%s' is named twice (names match in any case)", shown(esc, name));
				ok = false;
			}
		}
		char *value = ok ? dup_string(ld, c->valuestring) : NULL;
		if (!value) {
			free(name);
			continue;
		}
		p->constants[p->n_constants++] = (struct sv_constant){name, value};
	}
}

static void load_key(struct loader *ld, const struct sv_json_doc *doc, const cJSON *item, size_t key)
{
	struct sv_profile *p = ld->p;
	switch (key) {
	case 0:
		if (cJSON_IsString(item))
			p->name = dup_string(ld, item->valuestring);
		else
			problem(ld, "name must be a string");
		break;
	case 1: load_skip_lines(ld, doc, item); break;
	case 2: load_delimiter(ld, item); break;
	case 3: load_encoding(ld, item); break;
	case 4: load_columns(ld, item); break;
	case 5: load_dates(ld, item); break;
	case 6: load_measures(ld, item); break;
	case 7: load_ignore(ld, item); break;
	case 8: load_constants(ld, item); break;
	default:
		if (cJSON_IsBool(item))
			p->accounting_zero = cJSON_IsTrue(item);
		else
			problem(ld, "accounting_zero must be true or false");
		break;
	}
}

enum sv_status sv_profile_load_text(struct sv_profile *p, const char *text, size_t len, const char *origin,
				    const struct sv_proxy_table *t)
{
	memset(p, 0, sizeof *p);
	if (!sv_json_check_utf8(text, len, origin, "profile"))
		return SV_ECONFIG;
	struct sv_json_doc doc;
	enum sv_status st = sv_json_parse(&doc, text, len, origin);
	if (st != SV_OK)
		return st;
	struct loader ld = {p, origin, t, 0, false};
	p->path = dup_string(&ld, origin);
	if (!cJSON_IsObject(doc.root))
		problem(&ld, "a profile must be a JSON object, such as {\"skip_lines\": 1}");
	const cJSON *object = cJSON_IsObject(doc.root) ? doc.root : NULL;
	const cJSON *item;
	cJSON_ArrayForEach(item, object) {
		if (ld.oom)
			break;
		if (duplicate_key(&ld, doc.root, item, ""))
			continue;
		size_t key = find_name(item->string, top_keys, COUNT(top_keys));
		if (key == SIZE_MAX)
			unknown_key(&ld, "", item->string, top_keys, COUNT(top_keys));
		else
			load_key(&ld, &doc, item, key);
	}
	sv_json_doc_free(&doc);
	if (ld.oom) {
		sv_diag("%s: out of memory while loading the profile", origin);
		sv_profile_free(p);
		return SV_ESOFTWARE;
	}
	if (ld.errors) {
		sv_profile_free(p);
		return SV_ECONFIG;
	}
	return SV_OK;
}

static char *slurp(const char *path, size_t *len, enum sv_status *st)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		sv_diag("%s: cannot open profile: %s", path, strerror(errno));
		*st = SV_ECONFIG;
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0;
	*st = SV_OK;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= PROFILE_FILE_MAX) {
				sv_diag("%s: a profile is not larger than %zu MiB", path, PROFILE_FILE_MAX >> 20);
				*st = SV_ECONFIG;
				break;
			}
			cap = cap ? cap * 2 : 4096;
			char *grown = realloc(buf, cap);
			if (!grown) {
				*st = SV_ESOFTWARE;
				break;
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				/* a directory opens, and fails here */
				sv_diag("%s: cannot read profile: %s", path, strerror(errno));
				*st = SV_ECONFIG;
			}
			break;
		}
	}
	fclose(f);
	if (*st != SV_OK) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

enum sv_status sv_profile_load(struct sv_profile *p, const char *path, const struct sv_proxy_table *t)
{
	memset(p, 0, sizeof *p);
	size_t len = 0;
	enum sv_status st;
	char *text = slurp(path, &len, &st);
	if (!text)
		return st;
	st = sv_profile_load_text(p, text, len, path, t);
	free(text);
	return st;
}

void sv_profile_free(struct sv_profile *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->name);
	for (size_t i = 0; i < SV_PF_COUNT; i++)
		free(p->columns[i]);
	for (size_t i = 0; i < p->n_measures; i++)
		free(p->measures[i].text);
	free(p->measures);
	for (size_t i = 0; i < p->n_ignore; i++) {
		free(p->ignore[i].column);
		for (size_t k = 0; k < p->ignore[i].n_values; k++)
			free(p->ignore[i].values[k]);
		free(p->ignore[i].values);
	}
	free(p->ignore);
	for (size_t i = 0; i < p->n_constants; i++) {
		free(p->constants[i].name);
		free(p->constants[i].value);
	}
	free(p->constants);
	memset(p, 0, sizeof *p);
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

const struct sv_measure *sv_profile_find(const struct sv_profile *p, const char *s, size_t n)
{
	trim(&s, &n);
	size_t lo = 0, hi = p->n_measures;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = casecmp_n(s, n, p->measures[mid].text, p->measures[mid].len);
		if (c == 0)
			return p->measures[mid].measure;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *sv_profile_suggest(const struct sv_profile *p, const char *s, size_t n)
{
	if (!p)
		return NULL;
	trim(&s, &n);
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	for (size_t i = 0; i < p->n_measures; i++) {
		const struct sv_profile_measure *m = &p->measures[i];
		/* the distance is at least the difference in length */
		if ((m->len > n ? m->len - n : n - m->len) > 3)
			continue;
		size_t d = sv_edit_distance(s, n, m->text, m->len);
		if (d < best_d) {
			best_d = d;
			best = m->text;
		}
	}
	return best && sv_close_enough(best_d, n) ? best : NULL;
}

bool sv_profile_ignore_matches(const struct sv_profile_ignore *rule, const char *s, size_t n)
{
	trim(&s, &n);
	for (size_t i = 0; i < rule->n_values; i++)
		if (casecmp_n(s, n, rule->values[i], strlen(rule->values[i])) == 0)
			return true;
	return false;
}

/* ---- input lists --------------------------------------------------------- */

struct sv_input_entry {
	char *path;    /* joined to the list's folder */
	char *profile; /* joined, or NULL */
	size_t profile_index; /* in sv_inputs.profile_paths */
	struct sv_constant *constants;
	size_t n_constants;
	unsigned long line;
};

/* Reading the list: its header's columns, then one entry per row. */
struct list_reader {
	struct sv_inputs *in;
	const char *list;
	size_t dir_len; /* of the list's folder and its '/', 0: none */
	size_t width;
	size_t file_col, profile_col;
	char **names; /* the header's names, trimmed */
	unsigned errors;
	bool oom;
};

#define NO_COLUMN ((size_t)-1)

static void list_problem(struct list_reader *lr, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void list_problem(struct list_reader *lr, unsigned long line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sv_diag_at(lr->list, line, "%s", msg);
	lr->errors++;
}

/* A path of the list, as a path the user can open: joined to the list's
 * folder unless absolute. */
static char *join(struct list_reader *lr, const char *s, size_t n)
{
	size_t dir = s[0] == '/' ? 0 : lr->dir_len;
	char *p = malloc(dir + n + 1);
	if (!p) {
		lr->oom = true;
		return NULL;
	}
	memcpy(p, lr->list, dir);
	memcpy(p + dir, s, n);
	p[dir + n] = '\0';
	return p;
}

/* A field the list may hold: UTF-8 without NUL, so that it can be shown
 * and used as a key. */
static bool list_text_ok(struct list_reader *lr, unsigned long line, const char *column, const struct sv_field *f)
{
	if (f->len && memchr(f->ptr, '\0', f->len)) {
		list_problem(lr, line, "%s: contains a NUL byte", column);
		return false;
	}
	if (!sv_utf8_valid(f->ptr, f->len)) {
		char esc[SV_ESCAPE_MAX];
		sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
		list_problem(lr, line, "%s: invalid UTF-8 in '%s' (save the list as UTF-8)", column, esc);
		return false;
	}
	return true;
}

static enum sv_status list_header(void *ctx, const struct sv_row *row)
{
	struct list_reader *lr = ctx;
	if (row->unterminated || row->bad_closing_quote) {
		list_problem(lr, row->line, "the header has a quoted field that does not end properly");
		return SV_ECONFIG;
	}
	size_t width = row->n_fields;
	while (width && row->fields[width - 1].len == 0)
		width--;
	lr->names = calloc(width ? width : 1, sizeof *lr->names);
	if (!lr->names) {
		lr->oom = true;
		return SV_ESOFTWARE;
	}
	lr->width = width;
	for (size_t i = 0; i < width; i++) {
		lr->names[i] = sv_field_dup_trimmed(&row->fields[i]);
		if (!lr->names[i]) {
			lr->oom = true;
			return SV_ESOFTWARE;
		}
		if (!list_text_ok(lr, row->line, "header", &row->fields[i]))
			continue;
		char esc[SV_ESCAPE_MAX];
		if (!lr->names[i][0])
			list_problem(lr, row->line, "column %zu has no name", i + 1);
		for (size_t k = 0; k < i; k++)
			if (lr->names[i][0] && strcasecmp(lr->names[k], lr->names[i]) == 0)
				list_problem(lr, row->line, "column '%s' appears more than once (columns %zu and %zu)",
					     shown(esc, lr->names[i]), k + 1, i + 1);
		if (strcasecmp(lr->names[i], "file") == 0 && lr->file_col == NO_COLUMN)
			lr->file_col = i;
		else if (strcasecmp(lr->names[i], "profile") == 0 && lr->profile_col == NO_COLUMN)
			lr->profile_col = i;
	}
	if (lr->file_col == NO_COLUMN) {
		char cols[512] = "";
		for (size_t i = 0, o = 0; i < width && o < sizeof cols; i++)
			o += (size_t)snprintf(cols + o, sizeof cols - o, "%s%s", i ? ", " : "", lr->names[i]);
		list_problem(lr, row->line,
			     "missing required column 'file' (the columns are: %s; an input list has file, optionally profile, and constant columns)",
			     cols);
	}
	return lr->errors ? SV_ECONFIG : SV_OK;
}

static bool grow_entries(struct list_reader *lr)
{
	struct sv_inputs *in = lr->in;
	struct sv_input_entry *grown = realloc(in->entries, (in->n_entries + 1) * sizeof *grown);
	if (!grown) {
		lr->oom = true;
		return false;
	}
	in->entries = grown;
	memset(&in->entries[in->n_entries], 0, sizeof *grown);
	return true;
}

static void entry_free(struct sv_input_entry *e)
{
	free(e->path);
	free(e->profile);
	for (size_t i = 0; i < e->n_constants; i++) {
		free(e->constants[i].name);
		free(e->constants[i].value);
	}
	free(e->constants);
}

/* The row's file and profile, joined to the list's folder. */
static bool entry_paths(struct list_reader *lr, const struct sv_row *row, struct sv_input_entry *e)
{
	struct sv_field f = row->fields[lr->file_col];
	const char *s = f.ptr;
	size_t n = f.len;
	trim(&s, &n);
	if (n == 0) {
		list_problem(lr, row->line, "file: empty");
		return false;
	}
	if (n == 1 && s[0] == '-') {
		list_problem(lr, row->line, "file: '-' (standard input) cannot be listed; name it on the command line");
		return false;
	}
	e->path = join(lr, s, n);
	if (lr->profile_col == NO_COLUMN)
		return e->path != NULL;
	f = row->fields[lr->profile_col];
	s = f.ptr;
	n = f.len;
	trim(&s, &n);
	if (n)
		e->profile = join(lr, s, n);
	return e->path && (n == 0 || e->profile);
}

static bool entry_constants(struct list_reader *lr, const struct sv_row *row, struct sv_input_entry *e)
{
	e->constants = calloc(lr->width ? lr->width : 1, sizeof *e->constants);
	if (!e->constants) {
		lr->oom = true;
		return false;
	}
	for (size_t i = 0; i < lr->width; i++) {
		/* an empty cell gives this file no such constant: its own column,
		 * or its profile's constant, is used */
		const char *s = row->fields[i].ptr;
		size_t n = row->fields[i].len;
		trim(&s, &n);
		if (i == lr->file_col || i == lr->profile_col || n == 0)
			continue;
		struct sv_constant *c = &e->constants[e->n_constants];
		c->name = strdup(lr->names[i]);
		c->value = sv_field_dup_trimmed(&row->fields[i]);
		e->n_constants++;
		if (!c->name || !c->value) {
			lr->oom = true;
			return false;
		}
	}
	return true;
}

static enum sv_status list_record(void *ctx, const struct sv_row *row)
{
	struct list_reader *lr = ctx;
	if (row->unterminated || row->bad_closing_quote) {
		list_problem(lr, row->line, "a quoted field does not end properly");
		return SV_OK;
	}
	bool extra = false;
	for (size_t i = lr->width; i < row->n_fields; i++)
		extra = extra || row->fields[i].len;
	if (row->n_fields < lr->width || extra) {
		list_problem(lr, row->line, "the row has %zu field%s, the header has %zu", row->n_fields,
			     row->n_fields == 1 ? "" : "s", lr->width);
		return SV_OK;
	}
	bool ok = true;
	for (size_t i = 0; i < lr->width; i++)
		ok = list_text_ok(lr, row->line, lr->names[i], &row->fields[i]) && ok;
	if (!ok || !grow_entries(lr))
		return lr->oom ? SV_ESOFTWARE : SV_OK;
	struct sv_input_entry *e = &lr->in->entries[lr->in->n_entries++];
	e->line = row->line;
	if (!entry_paths(lr, row, e) || !entry_constants(lr, row, e))
		return lr->oom ? SV_ESOFTWARE : SV_OK;
	return SV_OK;
}

/* One file by two names ("a.json", "./a.json") is one profile. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0)
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The entry's profile among the distinct ones, added if new. */
static bool add_profile_path(struct sv_inputs *in, struct sv_input_entry *e)
{
	for (size_t i = 0; i < in->n_profile_paths; i++) {
		if (same_file(in->profile_paths[i], e->profile)) {
			e->profile_index = i;
			return true;
		}
	}
	char **grown = realloc(in->profile_paths, (in->n_profile_paths + 1) * sizeof *grown);
	if (!grown)
		return false;
	in->profile_paths = grown;
	in->profile_paths[in->n_profile_paths] = strdup(e->profile);
	e->profile_index = in->n_profile_paths;
	return in->profile_paths[in->n_profile_paths++] != NULL;
}

static enum sv_status read_list(struct sv_inputs *in, const char *list)
{
	FILE *f = fopen(list, "rb");
	struct stat sb;
	if (f && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		f = NULL;
		errno = EISDIR;
	}
	if (!f) {
		sv_diag("%s: cannot open input list: %s", list, strerror(errno));
		return SV_ECONFIG;
	}
	const char *slash = strrchr(list, '/');
	struct list_reader lr = {.in = in, .list = list, .dir_len = slash ? (size_t)(slash - list) + 1 : 0,
				 .file_col = NO_COLUMN, .profile_col = NO_COLUMN};
	struct sv_reader *r = sv_reader_new();
	enum sv_status st = SV_ESOFTWARE;
	if (r) {
		static const struct sv_reader_callbacks cb = {list_header, list_record};
		st = sv_reader_read(r, f, list, 0, &cb, &lr);
		sv_reader_free(r);
	}
	fclose(f);
	for (size_t i = 0; i < lr.width && lr.names; i++)
		free(lr.names[i]);
	free(lr.names);
	if (lr.oom || st == SV_ESOFTWARE) {
		sv_diag("%s: out of memory while reading the input list", list);
		return SV_ESOFTWARE;
	}
	if (st == SV_EIO)
		return st;
	if (st == SV_OK && !lr.errors && in->n_entries == 0) {
		sv_diag_at(list, 0, "the input list names no file");
		return SV_ECONFIG;
	}
	/* no header row (reported by the reader), or problems reported here */
	return st != SV_OK || lr.errors ? SV_ECONFIG : SV_OK;
}

enum sv_status sv_inputs_read(struct sv_inputs *in, struct sv_options *o)
{
	memset(in, 0, sizeof *in);
	if (!o->inputs_list)
		return SV_OK;
	enum sv_status st = read_list(in, o->inputs_list);
	if (st != SV_OK)
		return st;
	const char **files = calloc(o->n_files + in->n_entries + 1, sizeof *files);
	if (!files) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	for (size_t i = 0; i < o->n_files; i++)
		files[i] = o->files[i];
	for (size_t i = 0; i < in->n_entries; i++) {
		files[o->n_files + i] = in->entries[i].path;
		if (in->entries[i].profile && !add_profile_path(in, &in->entries[i])) {
			free(files);
			sv_diag("out of memory");
			return SV_ESOFTWARE;
		}
	}
	/* the options own their file array; this one replaces it */
	free(o->files);
	o->files = files;
	o->n_files += in->n_entries;
	o->profile_files = (const char *const *)in->profile_paths;
	o->n_profile_files = in->n_profile_paths;
	return SV_OK;
}

/* The first row of the list that names profile k, for a message. */
static const struct sv_input_entry *first_naming(const struct sv_inputs *in, size_t k)
{
	for (size_t i = 0; i < in->n_entries; i++)
		if (in->entries[i].profile && in->entries[i].profile_index == k)
			return &in->entries[i];
	return NULL;
}

enum sv_status sv_inputs_load_profiles(struct sv_inputs *in, struct sv_options *o, const struct sv_proxy_table *t)
{
	if (!o->profile && !o->inputs_list)
		return SV_OK;
	/* the list's profiles, then --profile (unless it is one of them) */
	in->profiles = calloc(in->n_profile_paths + 1, sizeof *in->profiles);
	if (!in->profiles) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	enum sv_status st = SV_OK;
	for (size_t i = 0; i < in->n_profile_paths; i++) {
		enum sv_status one = sv_profile_load(&in->profiles[i], in->profile_paths[i], t);
		if (one != SV_OK) {
			const struct sv_input_entry *e = first_naming(in, i);
			if (e)
				sv_diag_at(o->inputs_list, e->line, "the profile %s (for %s) was not loaded",
					   in->profile_paths[i], e->path);
		}
		st = st == SV_OK ? one : sv_status_worst(st, one);
		in->n_profiles++;
	}
	const struct sv_profile *global = NULL;
	for (size_t i = 0; o->profile && i < in->n_profile_paths && !global; i++)
		if (same_file(o->profile, in->profile_paths[i]))
			global = &in->profiles[i];
	if (o->profile && !global) {
		enum sv_status one = sv_profile_load(&in->profiles[in->n_profiles], o->profile, t);
		global = &in->profiles[in->n_profiles++];
		st = st == SV_OK ? one : sv_status_worst(st, one);
	}
	if (st != SV_OK)
		return st;
	size_t n = o->n_files ? o->n_files : 1;
	in->settings = calloc(n, sizeof *in->settings);
	if (!in->settings) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	size_t listed_from = o->n_files - in->n_entries;
	for (size_t i = 0; i < n; i++) {
		struct sv_input_settings *s = &in->settings[i];
		s->profile = global;
		if (i < listed_from || !o->n_files)
			continue;
		const struct sv_input_entry *e = &in->entries[i - listed_from];
		if (e->profile)
			s->profile = &in->profiles[e->profile_index];
		s->list = o->inputs_list;
		s->constants = e->constants;
		s->n_constants = e->n_constants;
	}
	o->settings = in->settings;
	return SV_OK;
}

void sv_inputs_free(struct sv_inputs *in)
{
	for (size_t i = 0; i < in->n_entries; i++)
		entry_free(&in->entries[i]);
	free(in->entries);
	for (size_t i = 0; i < in->n_profiles; i++)
		sv_profile_free(&in->profiles[i]);
	free(in->profiles);
	for (size_t i = 0; i < in->n_profile_paths; i++)
		free(in->profile_paths[i]);
	free(in->profile_paths);
	free(in->settings);
	memset(in, 0, sizeof *in);
}
