/*
 * merge.c - add up earlier JSON results exactly.
 *
 * Each result carries its exact group sums (value_exact) and how it was
 * made: proxy table name, version and digest, --by keys and options.  Only
 * results made the same way are added, so merging the results of A and B
 * gives byte for byte what valuing A and B together gives.
 *
 * A result is a file anyone can edit, so each one is checked on its own
 * before anything of it is added: every member of the type the JSON writer
 * gives it, the groups adding up to the total, the counts adding up, no
 * negative value, no key twice, each rounded figure the rounding of its
 * exact one.  Every file is checked and every failure reported; one failure
 * anywhere and nothing is printed.  An input is counted once: the same
 * result named twice, or an input (by its SHA-256) in two results, is
 * refused.
 */
#include "sv_builtin.h"
#include "sv_commands.h"
#include "sv_date.h"
#include "sv_diag.h"
#include "sv_format.h"
#include "sv_money.h"
#include "sv_report.h"
#include "sv_utf8.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RESULT_FILE_MAX ((size_t)1 << 30)
/* JSON numbers are doubles: counts are exact up to 2^53. */
#define COUNT_MAX 9007199254740992.0

/* A file named on the command line, to find one named twice. */
struct file_id {
	bool known;
	dev_t dev;
	ino_t ino;
};

struct merge {
	const struct sv_options *o;
	const struct sv_proxy_table *t; /* the table the results were made with */
	/* what every amount of the merge counts in (see sv_money.h): the
	 * table's it was given, fixed before any amount is read, whichever
	 * table the results turn out to name */
	int64_t unit_lcm;
	struct sv_proxy_table builtin;  /* loaded only when the default is not it */
	char builtin_sha256[65];
	char table_sha256[65];
	const char *reference;          /* the first result that passed */
	struct sv_options keys;         /* its --by keys */
	char *by_joined;                /* its --by list, to compare */
	struct sv_groups *groups;
	struct sv_counts counts;
	uint64_t total_records;
	sv_amount total;
	struct sv_input_info *inputs;
	char **input_names;
	size_t *input_file;             /* the result each input came from */
	size_t n_inputs;
	struct file_id *ids;
};

/* One result file while it is checked; nothing of it reaches struct merge
 * before it has passed. */
struct result {
	const char *path;
	size_t index;      /* among the files named */
	int64_t unit_lcm;  /* the merge's */
	cJSON *root;
	bool failed;       /* a check failed (reported) */
	struct sv_options keys; /* its own --by keys */
	char *by_joined;
	const struct sv_proxy_table *table; /* the candidate it matches */
	const char *table_sha256;
	struct sv_groups *groups; /* by its own keys: a key twice is caught */
	struct sv_groups *merged; /* by merge's keys, with measures kept */
	bool derived;             /* rebased or net: its printed figures are not gross */
	size_t key_from[SV_MAX_KEYS]; /* merge's key k is its key key_from[k], or SIZE_MAX: from the measure */
	struct sv_counts counts;
	uint64_t total_records;
	sv_amount total;
};

/* ---- reporting ----------------------------------------------------------- */

static void refuse(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "sv-calc: FILE: why"; the result is then refused. */
static void refuse(struct result *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sv_diag_at(r->path, 0, "%s", msg);
	r->failed = true;
}

/* Text from a result for a message: one line, no control bytes. */
static const char *shown(char *buf, const char *s)
{
	return sv_utf8_escape(buf, SV_ESCAPE_MAX, s, strlen(s));
}

/* ---- reading --------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len, enum sv_status *st)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		sv_diag("%s: cannot open: %s", path, strerror(errno));
		*st = SV_ENOINPUT;
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			char *grown = cap <= RESULT_FILE_MAX ? realloc(buf, cap) : NULL;
			if (!grown) {
				sv_diag("%s: too large for a result file", path);
				free(buf);
				fclose(f);
				*st = SV_EDATA;
				return NULL;
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		sv_diag("%s: read error: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		*st = SV_EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int compare_names(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* cJSON keeps both members of {"a": 1, "a": 2} and reads the first: an
 * edited file could show one figure to a person and another to merge. */
static const char *duplicate_member(const cJSON *node)
{
	const cJSON *c;
	size_t n = 0;
	cJSON_ArrayForEach(c, node) {
		const char *dup = duplicate_member(c);
		if (dup)
			return dup;
		n++;
	}
	if (!cJSON_IsObject(node) || n < 2)
		return NULL;
	const char **names = malloc(n * sizeof *names);
	if (!names)
		return NULL;
	size_t i = 0;
	cJSON_ArrayForEach(c, node) names[i++] = c->string;
	qsort(names, n, sizeof *names, compare_names);
	const char *dup = NULL;
	for (i = 1; i < n && !dup; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			dup = names[i];
	free(names);
	return dup;
}

static enum sv_status read_result(struct result *r)
{
	enum sv_status st = SV_OK;
	size_t len;
	char *text = slurp(r->path, &len, &st);
	if (!text)
		return st;
	r->root = sv_utf8_valid(text, len) ? cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1) : NULL;
	free(text);
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(r->root, "groups");
	const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(r->root, "inputs");
	const char *dup;
	char esc[SV_ESCAPE_MAX];
	if (!r->root)
		refuse(r, "not JSON (an sv-calc result made with -f json is needed)");
	else if (!cJSON_IsObject(r->root) || !cJSON_IsArray(groups) || !cJSON_IsArray(inputs))
		refuse(r, "not an sv-calc JSON result (no 'groups' or 'inputs')");
	else if ((dup = duplicate_member(r->root)) != NULL)
		refuse(r, "the member '%s' appears twice in one object", shown(esc, dup));
	return r->failed ? SV_EDATA : SV_OK;
}

/* ---- members of the right type --------------------------------------------- */

static const char *want_string(struct result *r, const cJSON *obj, const char *key, const char *where)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsString(item))
		return item->valuestring;
	refuse(r, "%s'%s' is missing or not a string", where, key);
	return NULL;
}

static const cJSON *want_object(struct result *r, const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsObject(item))
		return item;
	refuse(r, "'%s' is missing or not an object", key);
	return NULL;
}

static bool want_count(struct result *r, const cJSON *obj, const char *key, const char *where, uint64_t *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(item) || !(item->valuedouble >= 0) || item->valuedouble > COUNT_MAX ||
	    item->valuedouble != (double)(uint64_t)item->valuedouble) {
		refuse(r, "%s'%s' is missing or not a whole number", where, key);
		return false;
	}
	*out = (uint64_t)item->valuedouble;
	return true;
}

static bool is_sha256(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

static bool want_sha256(struct result *r, const cJSON *obj, const char *where)
{
	const char *sha = want_string(r, obj, "sha256", where);
	if (sha && !is_sha256(sha))
		refuse(r, "%s'sha256' is not a SHA-256 in lower-case hex", where);
	return sha && !r->failed;
}

/* A figure and its exact form: both strings, or both null (record-only). */
static bool want_figures(struct result *r, const cJSON *obj, const char *where, bool *has_value)
{
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(obj, "value");
	const cJSON *exact = cJSON_GetObjectItemCaseSensitive(obj, "value_exact");
	sv_amount a;
	*has_value = cJSON_IsString(value);
	if (cJSON_IsNull(exact) && (cJSON_IsNull(value) || (r->derived && cJSON_IsString(value))))
		return true;
	if (!cJSON_IsString(value) || !cJSON_IsString(exact))
		refuse(r, "%s'value' and 'value_exact' must be both strings or both null", where);
	else if (!sv_amount_parse(exact->valuestring, strlen(exact->valuestring), r->unit_lcm, &a))
		refuse(r, "%s'value_exact' is not an exact decimal", where);
	return !r->failed;
}

static char *join_by(const cJSON *by)
{
	size_t n = 1;
	const cJSON *k;
	cJSON_ArrayForEach(k, by) n += strlen(k->valuestring) + 1;
	char *s = calloc(n, 1);
	if (!s)
		return NULL;
	cJSON_ArrayForEach(k, by) {
		if (s[0])
			strcat(s, ",");
		strcat(s, k->valuestring);
	}
	return s;
}

/* Keys that --by itself would take: what it says of a bad list is kept
 * for the message, not printed as a usage error. */
static bool parse_by(struct result *r)
{
	FILE *was = sv_diag_stream();
	char *why = NULL;
	size_t why_len = 0;
	FILE *mem = open_memstream(&why, &why_len);
	if (mem)
		sv_diag_set_stream(mem);
	bool ok = sv_parse_by(&r->keys, r->by_joined);
	if (mem) {
		sv_diag_set_stream(was);
		fclose(mem);
	}
	if (!ok) {
		const char *prefix = SV_PROGRAM ": ", *line = why ? why : "";
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			line += strlen(prefix);
		char esc[SV_ESCAPE_MAX];
		sv_utf8_escape(esc, sizeof esc, line, strcspn(line, "\n"));
		refuse(r, "'by' is not a list of keys sv-calc groups by: %s", esc);
	}
	free(why);
	return ok;
}

static bool want_by(struct result *r)
{
	const cJSON *by = cJSON_GetObjectItemCaseSensitive(r->root, "by");
	const cJSON *k;
	int n = cJSON_GetArraySize(by);
	if (!cJSON_IsArray(by) || n < 1 || n > SV_MAX_KEYS) {
		refuse(r, "'by' is missing or not a list of 1 to %d keys", SV_MAX_KEYS);
		return false;
	}
	cJSON_ArrayForEach(k, by) {
		/* a comma would split one key in two when the list is joined */
		if (!cJSON_IsString(k) || !k->valuestring[0] || strchr(k->valuestring, ',')) {
			refuse(r, "'by' holds something other than a key name");
			return false;
		}
	}
	r->by_joined = join_by(by);
	if (!r->by_joined) {
		refuse(r, "out of memory");
		return false;
	}
	return parse_by(r) && r->keys.n_keys == (size_t)n;
}

static bool want_date(struct result *r, const cJSON *obj, const char *key, const char *where)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(obj, key);
	int32_t ymd;
	if (cJSON_IsNull(d) || (cJSON_IsString(d) && sv_date_parse(d->valuestring, strlen(d->valuestring), &ymd)))
		return true;
	refuse(r, "%s'%s' is missing or neither a date nor null", where, key);
	return false;
}

/* A window of records: from and to (dates or null), skip_invalid. */
static bool want_window(struct result *r, const cJSON *obj, const char *where)
{
	if (!want_date(r, obj, "from", where) || !want_date(r, obj, "to", where))
		return false;
	if (!cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(obj, "skip_invalid"))) {
		refuse(r, "%s'skip_invalid' is missing or not true or false", where);
		return false;
	}
	return true;
}

static bool want_options(struct result *r)
{
	const cJSON *opts = want_object(r, r->root, "options");
	if (!opts || !want_window(r, opts, "options: "))
		return false;
	/* its figures are recomputed from the gross per measure, so how they
	 * were printed does not matter; which records were read is kept per
	 * input */
	r->derived = cJSON_GetObjectItemCaseSensitive(opts, "price_basis") || cJSON_GetObjectItemCaseSensitive(opts, "net");
	return true;
}

static bool want_header(struct result *r)
{
	const cJSON *made_by = want_object(r, r->root, "sv_calc");
	if (!made_by || !want_string(r, made_by, "version", "sv_calc: "))
		return false;
	const cJSON *table = want_object(r, r->root, "proxy_table");
	return table && want_string(r, table, "name", "proxy_table: ") &&
	       want_string(r, table, "version", "proxy_table: ") && want_sha256(r, table, "proxy_table: ") &&
	       want_by(r) && want_options(r);
}

static bool want_inputs(struct result *r)
{
	const cJSON *in;
	size_t i = 0;
	uint64_t bytes;
	cJSON_ArrayForEach(in, cJSON_GetObjectItemCaseSensitive(r->root, "inputs")) {
		char where[48];
		snprintf(where, sizeof where, "input %zu: ", ++i);
		if (!cJSON_IsObject(in)) {
			refuse(r, "input %zu is not an object", i);
			return false;
		}
		if (!want_string(r, in, "name", where) || !want_count(r, in, "bytes", where, &bytes) ||
		    !want_sha256(r, in, where) || !want_window(r, in, where))
			return false;
	}
	return true;
}

static bool want_group(struct result *r, const cJSON *g, size_t i)
{
	char where[48];
	uint64_t records;
	bool has_value;
	snprintf(where, sizeof where, "group %zu: ", i);
	if (!cJSON_IsObject(g)) {
		refuse(r, "group %zu is not an object", i);
		return false;
	}
	for (size_t k = 0; k < r->keys.n_keys; k++) {
		enum sv_key_kind kind = r->keys.keys[k].kind;
		if (!want_string(r, g, r->keys.key_names[k], where))
			return false;
		if (kind == SV_KEY_THEME && !want_string(r, g, "theme_name", where))
			return false;
		if (kind == SV_KEY_MEASURE && !want_string(r, g, "measure_name", where))
			return false;
	}
	return want_count(r, g, "records", where, &records) && want_figures(r, g, where, &has_value);
}

static bool want_body(struct result *r)
{
	const cJSON *counts = want_object(r, r->root, "counts");
	uint64_t n;
	if (!counts || !want_count(r, counts, "read", "counts: ", &n) ||
	    !want_count(r, counts, "valued", "counts: ", &n) || !want_count(r, counts, "invalid", "counts: ", &n) ||
	    !want_count(r, counts, "filtered", "counts: ", &n))
		return false;
	/* "ignored" is there only when a profile was in use */
	if (cJSON_GetObjectItemCaseSensitive(counts, "ignored") && !want_count(r, counts, "ignored", "counts: ", &n))
		return false;
	const cJSON *g;
	size_t i = 0;
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(r->root, "groups")) {
		if (!want_group(r, g, ++i))
			return false;
	}
	const cJSON *total = want_object(r, r->root, "total");
	bool has_value;
	if (!total || !want_count(r, total, "records", "total: ", &n) || !want_figures(r, total, "total: ", &has_value))
		return false;
	if (!has_value)
		refuse(r, "total: 'value' is null");
	return !r->failed;
}

/* Every member merge reads, of the type the JSON writer gives it; a file
 * that fails here is not checked further. */
static bool check_types(struct result *r)
{
	return want_header(r) && want_inputs(r) && want_body(r);
}

/* ---- figures that add up ------------------------------------------------- */

static bool add_u64(uint64_t *acc, uint64_t x)
{
	if (x > UINT64_MAX - *acc)
		return false;
	*acc += x;
	return true;
}

static uint64_t count_of(const cJSON *obj, const char *key)
{
	return (uint64_t)cJSON_GetObjectItemCaseSensitive(obj, key)->valuedouble;
}

static sv_amount exact_of(const cJSON *obj, int64_t unit_lcm)
{
	const char *s = cJSON_GetObjectItemCaseSensitive(obj, "value_exact")->valuestring;
	sv_amount a = 0;
	sv_amount_parse(s, strlen(s), unit_lcm, &a);
	return a;
}

/* value is value_exact rounded to the penny, half away from zero, written
 * as the writer writes it: an edited printed figure is caught too. */
static void check_figures(struct result *r, const cJSON *obj, const char *where)
{
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(obj, "value");
	const cJSON *exact = cJSON_GetObjectItemCaseSensitive(obj, "value_exact");
	char esc[2][SV_ESCAPE_MAX], rounded[SV_MONEY_TEXT_MAX];
	uint64_t records = count_of(obj, "records");
	if (cJSON_IsNull(exact) && !cJSON_IsNull(value))
		return; /* a rebased figure: merge computes it again */
	if (cJSON_IsNull(value)) {
		if (records == 0)
			refuse(r, "%sno records, yet a record-only value (null)", where);
		return;
	}
	sv_amount a = exact_of(obj, r->unit_lcm);
	if (a < 0) {
		refuse(r, "%sa negative value_exact '%s'", where, shown(esc[0], exact->valuestring));
		return;
	}
	if (records == 0 && a != 0)
		refuse(r, "%sno records, yet a value of %s", where, shown(esc[0], exact->valuestring));
	sv_format_pence_plain(rounded, sv_amount_to_pence(a, r->unit_lcm));
	if (strcmp(rounded, value->valuestring) != 0)
		refuse(r, "%s'value' %s is not value_exact %s rounded to the penny (%s)", where,
		       shown(esc[0], value->valuestring), shown(esc[1], exact->valuestring), rounded);
}

/* The groups' sums, for the total to be compared with. */
static void check_groups(struct result *r, uint64_t *records, sv_amount *value, bool *overflow)
{
	const cJSON *g;
	size_t i = 0;
	*records = 0;
	*value = 0;
	*overflow = false;
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(r->root, "groups")) {
		char where[48];
		snprintf(where, sizeof where, "group %zu: ", ++i);
		check_figures(r, g, where);
		if (!add_u64(records, count_of(g, "records")))
			*overflow = true;
		if (!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(g, "value_exact")) &&
		    !sv_amount_add(value, exact_of(g, r->unit_lcm)))
			*overflow = true;
	}
}

static void check_counts(struct result *r)
{
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(r->root, "counts");
	struct sv_counts *c = &r->counts;
	c->read = count_of(counts, "read");
	c->valued = count_of(counts, "valued");
	c->invalid = count_of(counts, "invalid");
	c->filtered = count_of(counts, "filtered");
	c->with_ignored = cJSON_GetObjectItemCaseSensitive(counts, "ignored") != NULL;
	c->ignored = c->with_ignored ? count_of(counts, "ignored") : 0;
	uint64_t sum = c->valued;
	if (!add_u64(&sum, c->invalid) || !add_u64(&sum, c->filtered) || !add_u64(&sum, c->ignored) || sum != c->read) {
		if (c->with_ignored)
			refuse(r, "the counts do not add up: read %llu, valued %llu + invalid %llu + filtered %llu + ignored %llu",
			       (unsigned long long)c->read, (unsigned long long)c->valued,
			       (unsigned long long)c->invalid, (unsigned long long)c->filtered,
			       (unsigned long long)c->ignored);
		else
			refuse(r, "the counts do not add up: read %llu, valued %llu + invalid %llu + filtered %llu",
			       (unsigned long long)c->read, (unsigned long long)c->valued,
			       (unsigned long long)c->invalid, (unsigned long long)c->filtered);
	}
	if (r->total_records != c->valued)
		refuse(r, "the total's records (%llu) are not the valued records (%llu)",
		       (unsigned long long)r->total_records, (unsigned long long)c->valued);
}

static void check_sums(struct result *r)
{
	const cJSON *total = cJSON_GetObjectItemCaseSensitive(r->root, "total");
	uint64_t records;
	sv_amount value;
	bool overflow;
	char a[SV_MONEY_TEXT_MAX], b[SV_MONEY_TEXT_MAX];
	check_groups(r, &records, &value, &overflow);
	check_figures(r, total, "total: ");
	r->total_records = count_of(total, "records");
	bool total_exact = !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(total, "value_exact"));
	r->total = total_exact ? exact_of(total, r->unit_lcm) : value;
	if (overflow)
		refuse(r, "the groups' sums overflow the exact arithmetic");
	else {
		if (records != r->total_records)
			refuse(r, "the groups' records add up to %llu, not to the total's %llu", (unsigned long long)records,
			       (unsigned long long)r->total_records);
		if (total_exact && value != r->total) {
			sv_format_amount_exact(a, value, r->unit_lcm);
			sv_format_amount_exact(b, r->total, r->unit_lcm);
			refuse(r, "the groups' value_exact add up to %s, not to the total's %s", a, b);
		}
	}
	check_counts(r);
}

/* ---- made the same way ------------------------------------------------------ */

static bool table_is(const struct sv_proxy_table *t, const char *sha, const cJSON *table)
{
	return strcmp(cJSON_GetObjectItemCaseSensitive(table, "name")->valuestring, t->name) == 0 &&
	       strcmp(cJSON_GetObjectItemCaseSensitive(table, "version")->valuestring, t->version) == 0 &&
	       strcmp(cJSON_GetObjectItemCaseSensitive(table, "sha256")->valuestring, sha) == 0;
}

/* The built-in table, for results made without -p when $SV_CALC_PROXIES
 * names another: the result names its table, so merge need not be told. */
static bool builtin_candidate(struct merge *m)
{
	if (m->builtin.name)
		return true;
	if (m->o->proxies || strcmp(m->t->origin, SV_BUILTIN_ORIGIN) == 0)
		return false;
	return sv_proxy_load_builtin(&m->builtin) == SV_OK && sv_proxy_digest(&m->builtin, m->builtin_sha256);
}

/* The table the result names: -p (which must agree), else the default or
 * the built-in one, whichever it is; once a result has passed, the others
 * must name the same. */
static enum sv_status check_table(struct merge *m, struct result *r)
{
	const cJSON *table = cJSON_GetObjectItemCaseSensitive(r->root, "proxy_table");
	/* computed once a result needs it: a run of files refused on their
	 * own never does */
	if (!m->table_sha256[0] && !sv_proxy_digest(m->t, m->table_sha256))
		return SV_ESOFTWARE;
	if (table_is(m->t, m->table_sha256, table)) {
		r->table = m->t;
		r->table_sha256 = m->table_sha256;
	} else if (!m->reference && builtin_candidate(m) && table_is(&m->builtin, m->builtin_sha256, table)) {
		r->table = &m->builtin;
		r->table_sha256 = m->builtin_sha256;
	} else {
		char name[SV_ESCAPE_MAX], version[SV_ESCAPE_MAX];
		const char *given = cJSON_GetObjectItemCaseSensitive(table, "name")->valuestring;
		refuse(r, "made with proxy table '%s' version %s%s, not with '%s' version %s (%s)%s", shown(name, given),
		       shown(version, cJSON_GetObjectItemCaseSensitive(table, "version")->valuestring),
		       strcmp(given, m->t->name) == 0 ? " (different values)" : "", m->t->name, m->t->version,
		       m->t->origin,
		       m->o->proxies ? ", given with -p; -p must name the table the results were made with"
				     : "; merge only results made with the same table, given with -p");
	}
	return SV_OK;
}

/* The keys merge groups by: -b if given, else the first result's. */
static const struct sv_options *out_keys(const struct merge *m, const struct result *r)
{
	if (m->o->by_text)
		return m->o;
	return m->reference ? &m->keys : &r->keys;
}

/* Where each of merge's keys comes from in the result: the measure gives
 * theme, measure and value_type; periods and columns must be its keys. */
static void map_keys(struct merge *m, struct result *r)
{
	const struct sv_options *out = out_keys(m, r);
	char a[SV_ESCAPE_MAX], b[SV_ESCAPE_MAX];
	for (size_t k = 0; k < out->n_keys; k++) {
		enum sv_key_kind kind = out->keys[k].kind;
		r->key_from[k] = SIZE_MAX;
		if (kind == SV_KEY_THEME || kind == SV_KEY_MEASURE || kind == SV_KEY_VALUE_TYPE)
			continue;
		for (size_t j = 0; j < r->keys.n_keys && r->key_from[k] == SIZE_MAX; j++) {
			const struct sv_key_spec *have = &r->keys.keys[j];
			if (have->kind == kind && (kind != SV_KEY_COLUMN || strcmp(have->column, out->keys[k].column) == 0))
				r->key_from[k] = j;
		}
		if (r->key_from[k] == SIZE_MAX)
			refuse(r, "grouped by '%s', which has no '%s' to merge by; merge by its keys, or theme, measure or value_type",
			       shown(a, r->by_joined), shown(b, out->key_names[k]));
	}
}

static enum sv_status check_made_alike(struct merge *m, struct result *r)
{
	if (check_table(m, r) != SV_OK)
		return SV_ESOFTWARE;
	map_keys(m, r);
	return SV_OK;
}

/* ---- keys ------------------------------------------------------------------- */

static const char *const kind_nouns[] = {
	[SV_KEY_THEME] = "a theme of the table",  [SV_KEY_MEASURE] = "a measure of the table",
	[SV_KEY_VALUE_TYPE] = "a value type",      [SV_KEY_MONTH] = "a month (2024-04)",
	[SV_KEY_QUARTER] = "a quarter (2024-Q2)", [SV_KEY_FQ] = "a financial quarter (2024/25 Q1)",
	[SV_KEY_YEAR] = "a year (2024)",           [SV_KEY_FY] = "a financial year (2024/25)",
	[SV_KEY_COLUMN] = "a column value",      [SV_KEY_FILE] = "a file name",
};

static bool index_of(const char *text, const char *(*name_at)(const struct sv_proxy_table *, size_t),
		     const struct sv_proxy_table *t, size_t n, int64_t *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(name_at(t, i), text) == 0) {
			*out = (int64_t)i;
			return true;
		}
	}
	return false;
}

static const char *theme_at(const struct sv_proxy_table *t, size_t i)
{
	return t->themes[i].id;
}

static const char *measure_at(const struct sv_proxy_table *t, size_t i)
{
	return t->measures[i].id;
}

static const char *value_type_at(const struct sv_proxy_table *t, size_t i)
{
	(void)t;
	return sv_value_type_name((enum sv_value_type)i);
}

/* A key's text as the writer wrote it, back to the value groups hold. */
static bool key_value(const struct sv_proxy_table *t, enum sv_key_kind kind, const char *text,
		      struct sv_key_value *kv)
{
	*kv = (struct sv_key_value){0, NULL, 0};
	switch (kind) {
	case SV_KEY_THEME: return index_of(text, theme_at, t, t->n_themes, &kv->num);
	case SV_KEY_MEASURE: return index_of(text, measure_at, t, t->n_measures, &kv->num);
	case SV_KEY_VALUE_TYPE: return index_of(text, value_type_at, t, SV_VT_COUNT, &kv->num);
	case SV_KEY_COLUMN:
	case SV_KEY_FILE:
		kv->str = text;
		kv->len = strlen(text);
		return true;
	default: {
		int32_t period;
		if (!sv_period_parse(sv_key_period(kind), text, &period))
			return false;
		kv->num = period;
		return true;
	}
	}
}

/* "jobs, 2024/25 Q1": a group's key for a message. */
static void key_text(const struct result *r, const cJSON *g, char *buf, size_t cap)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < r->keys.n_keys && at + 1 < cap; k++) {
		char esc[SV_ESCAPE_MAX];
		const char *s = cJSON_GetObjectItemCaseSensitive(g, r->keys.key_names[k])->valuestring;
		int n = snprintf(buf + at, cap - at, "%s%s", k ? ", " : "", shown(esc, s));
		at += n > 0 ? (size_t)n : 0;
	}
}

/* Each group's key read back with the table; a key twice would count its
 * records twice. */
/* One entry of a group's "measures": a measure of the table, its records
 * and exact gross (null for a record-only measure). */
/* An object naming a measure of the table by "id", with its "records";
 * what (for a message) says what the object is. */
static const char *want_measure_ref(struct result *r, const cJSON *obj, const char *where, const char *what,
				    int64_t *index, uint64_t *records)
{
	char esc[SV_ESCAPE_MAX];
	const char *id = cJSON_IsObject(obj) ? want_string(r, obj, "id", where) : NULL;
	if (!cJSON_IsObject(obj))
		refuse(r, "%s is not an object", what);
	if (!id || !want_count(r, obj, "records", where, records))
		return NULL;
	if (!index_of(id, measure_at, r->table, r->table->n_measures, index)) {
		refuse(r, "%s'%s' is not a measure of the table", where, shown(esc, id));
		return NULL;
	}
	return id;
}

static bool group_measure(struct result *r, const cJSON *e, const char *where, int64_t *index, uint64_t *records,
			  sv_amount *value)
{
	char what[64];
	snprintf(what, sizeof what, "%sa measure entry", where);
	const char *id = want_measure_ref(r, e, where, what, index, records);
	if (!id)
		return false;
	const cJSON *exact = cJSON_GetObjectItemCaseSensitive(e, "value_exact");
	*value = 0;
	bool record_only = r->table->measures[*index].record_only;
	if (record_only ? !cJSON_IsNull(exact)
			: !cJSON_IsString(exact) || !sv_amount_parse(exact->valuestring, strlen(exact->valuestring), r->unit_lcm, value) ||
				  *value < 0) {
		refuse(r, "%s'%s': 'value_exact' must be %s", where, id,
		       record_only ? "null (a record-only measure)" : "an exact decimal, not negative");
		return false;
	}
	if (*records == 0) {
		refuse(r, "%s'%s' has no records", where, id);
		return false;
	}
	return true;
}

/* A group's measures, added to the merged groups under merge's keys; they
 * must add up to the group's records and (a gross figure) its value. */
static enum sv_status merge_group(struct merge *m, struct result *r, const cJSON *g, size_t i,
				  const struct sv_key_value *kv, sv_amount *total)
{
	char where[48];
	snprintf(where, sizeof where, "group %zu: ", i);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(g, "measures"), *e;
	if (!cJSON_IsArray(list)) {
		refuse(r, "%s'measures' is missing or not an array (made before results kept their measures: value its inputs again)",
		       where);
		return SV_OK;
	}
	const struct sv_options *out = out_keys(m, r);
	uint64_t records = 0;
	sv_amount value = 0;
	cJSON_ArrayForEach(e, list) {
		int64_t index;
		uint64_t n;
		sv_amount v;
		if (!group_measure(r, e, where, &index, &n, &v))
			return SV_OK;
		const struct sv_measure *me = &r->table->measures[index];
		struct sv_key_value to[SV_MAX_KEYS];
		for (size_t k = 0; k < out->n_keys; k++) {
			enum sv_key_kind kind = out->keys[k].kind;
			to[k] = r->key_from[k] == SIZE_MAX ? (struct sv_key_value){0, NULL, 0} : kv[r->key_from[k]];
			if (kind == SV_KEY_THEME)
				to[k].num = (int64_t)me->theme;
			else if (kind == SV_KEY_MEASURE)
				to[k].num = index;
			else if (kind == SV_KEY_VALUE_TYPE)
				to[k].num = me->value_type;
		}
		if (!add_u64(&records, n) || !sv_amount_add(&value, v) || !sv_amount_add(total, v)) {
			refuse(r, "%sthe measures overflow the exact arithmetic", where);
			return SV_OK;
		}
		enum sv_status st = sv_groups_add_measure_sum(r->merged, to, (size_t)index, n, !me->record_only, v);
		if (st == SV_ESOFTWARE)
			return st;
		if (st != SV_OK) {
			refuse(r, "%sthe measures overflow the exact arithmetic", where);
			return SV_OK;
		}
	}
	const cJSON *exact = cJSON_GetObjectItemCaseSensitive(g, "value_exact");
	char a[SV_MONEY_TEXT_MAX];
	if (records != count_of(g, "records"))
		refuse(r, "%sits measures' records add up to %llu, not to its %llu", where, (unsigned long long)records,
		       (unsigned long long)count_of(g, "records"));
	else if (!cJSON_IsNull(exact) && value != exact_of(g, r->unit_lcm)) {
		sv_format_amount_exact(a, value, r->unit_lcm);
		refuse(r, "%sits measures' value_exact add up to %s, not to its %s", where, a, exact->valuestring);
	}
	return SV_OK;
}

static enum sv_status check_keys(struct merge *m, struct result *r)
{
	const struct sv_options *out = out_keys(m, r);
	r->groups = sv_groups_new(r->keys.keys, r->keys.n_keys);
	r->merged = sv_groups_new(out->keys, out->n_keys);
	if (!r->groups || !r->merged)
		return SV_ESOFTWARE;
	sv_groups_track_measures(r->merged, r->table->n_measures);
	sv_amount total = 0;
	const bool figures_failed = r->failed;
	const cJSON *g;
	size_t i = 0;
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(r->root, "groups")) {
		struct sv_key_value kv[SV_MAX_KEYS];
		bool keys_ok = true;
		i++;
		for (size_t k = 0; k < r->keys.n_keys; k++) {
			char esc[SV_ESCAPE_MAX];
			const char *text = cJSON_GetObjectItemCaseSensitive(g, r->keys.key_names[k])->valuestring;
			if (!key_value(r->table, r->keys.keys[k].kind, text, &kv[k])) {
				refuse(r, "group %zu: '%s' is not %s", i, shown(esc, text), kind_nouns[r->keys.keys[k].kind]);
				keys_ok = false;
			}
		}
		if (!keys_ok)
			continue;
		size_t before = sv_groups_count(r->groups);
		uint64_t records = count_of(g, "records");
		enum sv_status st = sv_groups_merge(r->groups, kv, records, 0, 0);
		if (st == SV_ESOFTWARE)
			return st;
		if (sv_groups_count(r->groups) == before) {
			char key[512];
			key_text(r, g, key, sizeof key);
			refuse(r, "group %zu: the same key (%s) as an earlier group", i, key);
			continue;
		}
		/* after the figures passed: a tampered one is reported once, there */
		st = figures_failed ? SV_OK : merge_group(m, r, g, i, kv, &total);
		if (st != SV_OK)
			return st;
	}
	/* a rebased result prints no exact total: the measures give it */
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(r->root, "total");
	if (!r->failed && !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "value_exact")) && total != r->total) {
		char a[SV_MONEY_TEXT_MAX], b[SV_MONEY_TEXT_MAX];
		sv_format_amount_exact(a, total, r->unit_lcm);
		sv_format_amount_exact(b, r->total, r->unit_lcm);
		refuse(r, "the groups' measures add up to %s, not to the total's %s", a, b);
	}
	r->total = total;
	return SV_OK;
}

/* One entry of "measures": a measure of the table, listed once, with
 * the value the table gives it. */
static bool want_measure_used(struct result *r, const cJSON *item, size_t i, int64_t *index, uint64_t *records)
{
	char where[48], what[48], expected[SV_MONEY_TEXT_MAX];
	snprintf(where, sizeof where, "measures %zu: ", i);
	snprintf(what, sizeof what, "measures %zu", i);
	const char *id = want_measure_ref(r, item, where, what, index, records);
	if (!id)
		return false;
	const struct sv_measure *m = &r->table->measures[*index];
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(item, "value");
	sv_format_dec4(expected, m->value);
	if (m->record_only ? !cJSON_IsNull(value) : !cJSON_IsString(value) || strcmp(value->valuestring, expected) != 0) {
		refuse(r, "%s'%s' does not have the table's value (%s)", where, id, m->record_only ? "null" : expected);
		return false;
	}
	if (*records == 0) {
		refuse(r, "%s'%s' is listed with no records", where, id);
		return false;
	}
	return true;
}

/* The measures used, each once, and their records add up to the total's:
 * the merged result lists them in turn. */
static enum sv_status check_measures(struct result *r)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->root, "measures"), *item;
	if (!cJSON_IsArray(list)) {
		refuse(r, "'measures' is missing or not an array");
		return SV_OK;
	}
	uint64_t sum = 0;
	size_t i = 0;
	cJSON_ArrayForEach(item, list) {
		int64_t index;
		uint64_t records;
		size_t n_seen;
		if (!want_measure_used(r, item, ++i, &index, &records))
			continue;
		if (sv_groups_note_measure(r->groups, (size_t)index, 1) == SV_ESOFTWARE)
			return SV_ESOFTWARE;
		const uint64_t *seen = sv_groups_measure_records(r->groups, &n_seen);
		if (seen[index] > 1) {
			refuse(r, "measures %zu: '%s' is listed twice", i, r->table->measures[index].id);
			continue;
		}
		const uint64_t *in_groups = sv_groups_measure_records(r->merged, &n_seen);
		uint64_t grouped = (size_t)index < n_seen ? in_groups[index] : 0;
		if (records != grouped) {
			refuse(r, "measures %zu: '%s' has %llu records, its entries in the groups %llu", i,
			       r->table->measures[index].id, (unsigned long long)records, (unsigned long long)grouped);
			continue;
		}
		if (!add_u64(&sum, records)) {
			refuse(r, "measures: the records overflow");
			return SV_OK;
		}
	}
	if (!r->failed && sum != r->total_records)
		refuse(r, "the measures' records add up to %llu, not to the total's %llu", (unsigned long long)sum,
		       (unsigned long long)r->total_records);
	return SV_OK;
}

/* ---- adding a result that passed ----------------------------------------------- */

/* Its by, options and table become those every later result must share. */
static bool become_reference(struct merge *m, struct result *r)
{
	m->reference = r->path;
	m->keys = r->keys;
	memset(&r->keys, 0, sizeof r->keys);
	m->by_joined = r->by_joined;
	r->by_joined = NULL;
	m->t = r->table;
	if (r->table_sha256 != m->table_sha256)
		memcpy(m->table_sha256, r->table_sha256, sizeof m->table_sha256);
	const struct sv_options *out = out_keys(m, r);
	m->groups = sv_groups_new(out->keys, out->n_keys);
	if (m->groups)
		sv_groups_track_measures(m->groups, m->t->n_measures);
	return m->groups != NULL;
}

static enum sv_status add_inputs(struct merge *m, const struct result *r)
{
	const cJSON *in;
	cJSON_ArrayForEach(in, cJSON_GetObjectItemCaseSensitive(r->root, "inputs")) {
		size_t n = m->n_inputs + 1;
		struct sv_input_info *grown = realloc(m->inputs, n * sizeof *grown);
		if (grown)
			m->inputs = grown;
		char **names = realloc(m->input_names, n * sizeof *names);
		if (names)
			m->input_names = names;
		size_t *files = realloc(m->input_file, n * sizeof *files);
		if (files)
			m->input_file = files;
		char *copy = grown && names && files ? strdup(cJSON_GetObjectItemCaseSensitive(in, "name")->valuestring)
						     : NULL;
		if (!copy)
			return SV_ESOFTWARE;
		m->input_names[m->n_inputs] = copy;
		m->input_file[m->n_inputs] = r->index;
		struct sv_input_info *info = &m->inputs[m->n_inputs++];
		/* a result gives no counts per input (has_counts false) */
		memset(info, 0, sizeof *info);
		info->name = copy;
		info->bytes = count_of(in, "bytes");
		memcpy(info->sha256, cJSON_GetObjectItemCaseSensitive(in, "sha256")->valuestring, 65);
		const cJSON *from = cJSON_GetObjectItemCaseSensitive(in, "from"), *to = cJSON_GetObjectItemCaseSensitive(in, "to");
		info->has_from = cJSON_IsString(from) && sv_date_parse(from->valuestring, strlen(from->valuestring), &info->from);
		info->has_to = cJSON_IsString(to) && sv_date_parse(to->valuestring, strlen(to->valuestring), &info->to);
		info->skip_invalid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "skip_invalid"));
	}
	return SV_OK;
}

static enum sv_status add_result(struct merge *m, struct result *r)
{
	if (!m->reference && !become_reference(m, r))
		return SV_ESOFTWARE;
	struct sv_counts *c = &m->counts;
	if (!add_u64(&c->read, r->counts.read) || !add_u64(&c->valued, r->counts.valued) ||
	    !add_u64(&c->invalid, r->counts.invalid) || !add_u64(&c->filtered, r->counts.filtered) ||
	    !add_u64(&c->ignored, r->counts.ignored) ||
	    !add_u64(&m->total_records, r->total_records) || !sv_amount_add(&m->total, r->total)) {
		refuse(r, "the sums overflow the exact arithmetic");
		return SV_EDATA;
	}
	c->with_ignored = c->with_ignored || r->counts.with_ignored;
	/* group records are at most the total's, which did not overflow */
	enum sv_status st = sv_groups_absorb(m->groups, r->merged);
	if (st == SV_EDATA)
		refuse(r, "the sums overflow the exact arithmetic");
	return st == SV_OK ? add_inputs(m, r) : st;
}

/* ---- one file ---------------------------------------------------------------- */

/* Same device and inode, after following links: one result named twice. */
static bool named_before(struct merge *m, struct result *r)
{
	struct stat sb;
	struct file_id *id = &m->ids[r->index];
	if (stat(r->path, &sb) != 0)
		return false;
	*id = (struct file_id){true, sb.st_dev, sb.st_ino};
	for (size_t j = 0; j < r->index; j++) {
		if (m->ids[j].known && m->ids[j].dev == id->dev && m->ids[j].ino == id->ino) {
			id->known = false; /* named once more: still the first is named */
			refuse(r, "the same file as %s, named before: a result is counted once", m->o->files[j]);
			return true;
		}
	}
	return false;
}

static enum sv_status check_result(struct merge *m, struct result *r)
{
	if (!check_types(r))
		return SV_EDATA;
	check_sums(r);
	enum sv_status st = check_made_alike(m, r);
	if (st != SV_OK || !r->table)
		return st != SV_OK ? st : SV_EDATA;
	st = check_keys(m, r);
	/* after the groups passed: a tampered count is reported once, there */
	if (st == SV_OK && !r->failed)
		st = check_measures(r);
	return st == SV_OK && r->failed ? SV_EDATA : st;
}

static enum sv_status merge_file(struct merge *m, size_t index)
{
	struct result r = {.path = m->o->files[index], .index = index, .unit_lcm = m->unit_lcm};
	if (named_before(m, &r))
		return SV_EDATA;
	enum sv_status st = read_result(&r);
	if (st == SV_OK)
		st = check_result(m, &r);
	if (st == SV_OK)
		st = add_result(m, &r);
	if (st == SV_ESOFTWARE)
		sv_diag("out of memory");
	sv_groups_free(r.groups);
	sv_groups_free(r.merged);
	sv_options_free(&r.keys);
	free(r.by_joined);
	cJSON_Delete(r.root);
	return st;
}

/* ---- inputs counted once ---------------------------------------------------------- */

static const struct merge *sort_merge; /* qsort has no context argument in C17 */

/* By SHA-256, then by where the input was named, so the first of equal
 * inputs is the one the others repeat. */
static int compare_digests(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strcmp(sort_merge->inputs[a].sha256, sort_merge->inputs[b].sha256);
	return c ? c : (a > b) - (a < b);
}

/* " (2024-04-01 to 2024-06-30)": an input's window, "" when it has none. */
static void window_text(char *buf, size_t cap, const struct sv_input_info *in)
{
	char from[16] = "", to[16] = "";
	if (!in->has_from && !in->has_to) {
		buf[0] = '\0';
		return;
	}
	if (in->has_from)
		snprintf(from, sizeof from, "%04d-%02d-%02d", (int)(in->from / 10000), (int)(in->from / 100 % 100),
			 (int)(in->from % 100));
	if (in->has_to)
		snprintf(to, sizeof to, "%04d-%02d-%02d", (int)(in->to / 10000), (int)(in->to / 100 % 100),
			 (int)(in->to % 100));
	snprintf(buf, cap, " (%s to %s)", in->has_from ? from : "any date", in->has_to ? to : "any date");
}

static void report_overlap(const struct merge *m, size_t first, size_t again)
{
	char a[SV_ESCAPE_MAX], b[SV_ESCAPE_MAX], wa[48], wb[48];
	const char *file = m->o->files[m->input_file[again]], *first_file = m->o->files[m->input_file[first]];
	const char *hint = "an input is counted once (--allow-identical-inputs lets identical inputs through)";
	window_text(wa, sizeof wa, &m->inputs[again]);
	window_text(wb, sizeof wb, &m->inputs[first]);
	const char *windows = wa[0] || wb[0] ? " in windows that share days" : "";
	if (m->input_file[first] == m->input_file[again])
		sv_diag("%s: inputs '%s' and '%s' have identical bytes (SHA-256 %.12s...); %s", file,
			shown(a, m->inputs[first].name), shown(b, m->inputs[again].name), m->inputs[again].sha256, hint);
	else
		sv_diag("%s: input '%s'%s has the bytes of input '%s'%s of %s (SHA-256 %.12s...)%s; %s", file,
			shown(a, m->inputs[again].name), wa, shown(b, m->inputs[first].name), wb, first_file,
			m->inputs[again].sha256, windows, hint);
}

/* Every input repeated, in the order the repeats were named. */
/* Whether two inputs' date windows share a day (no bound: open-ended). */
static bool windows_overlap(const struct sv_input_info *a, const struct sv_input_info *b)
{
	bool a_before_b = a->has_to && b->has_from && a->to < b->from;
	bool b_before_a = b->has_to && a->has_from && b->to < a->from;
	return !a_before_b && !b_before_a;
}

static enum sv_status check_overlap(const struct merge *m)
{
	size_t n = m->n_inputs;
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	if (!order) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_merge = m;
	qsort(order, n, sizeof *order, compare_digests);
	enum sv_status st = SV_OK;
	/* inputs of equal bytes are adjacent, in the order they were named:
	 * each is checked against those before it, and windows that share no
	 * day pass (a year valued quarter by quarter from one export) */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i; j-- > 0;) {
			if (strcmp(m->inputs[order[i]].sha256, m->inputs[order[j]].sha256) != 0)
				break;
			if (windows_overlap(&m->inputs[order[i]], &m->inputs[order[j]])) {
				report_overlap(m, order[j], order[i]);
				st = SV_EDATA;
				break;
			}
		}
	}
	free(order);
	return st;
}

/* ---- the command ------------------------------------------------------------------ */

/* Options of the results, read back for the provenance of the output. */
/* The window the merged result states: the inputs' own when they all
 * share one (as a valuation of them all would state it), else none; each
 * input keeps its own. */
static void read_options(const struct merge *m, struct sv_options *o)
{
	const struct sv_input_info *w = m->n_inputs ? &m->inputs[0] : NULL;
	bool same = w != NULL;
	for (size_t i = 1; same && i < m->n_inputs; i++) {
		const struct sv_input_info *x = &m->inputs[i];
		same = x->has_from == w->has_from && x->has_to == w->has_to && (!w->has_from || x->from == w->from) &&
		       (!w->has_to || x->to == w->to) && x->skip_invalid == w->skip_invalid;
	}
	o->has_from = same && w->has_from;
	o->has_to = same && w->has_to;
	o->from = o->has_from ? w->from : 0;
	o->to = o->has_to ? w->to : 0;
	o->skip_invalid = false;
	for (size_t i = 0; i < m->n_inputs; i++)
		o->skip_invalid = o->skip_invalid || m->inputs[i].skip_invalid;
}

/* The merged totals through the path a valuation takes to its output:
 * the same totals and options give the same bytes. */
static enum sv_status print_merged(struct merge *m, FILE *out)
{
	struct sv_options o = *m->o;
	const struct sv_options *keys = out_keys(m, NULL);
	memcpy(o.keys, keys->keys, sizeof o.keys);
	memcpy(o.key_names, keys->key_names, sizeof o.key_names);
	o.n_keys = keys->n_keys;
	read_options(m, &o);
	struct sv_factors factors;
	enum sv_status st = sv_factors_make(&factors, &o, m->t);
	if (st != SV_OK)
		return st;
	struct sv_totals tot = {m->groups, m->counts, m->inputs, m->n_inputs, m->total_records, m->total, NULL, m->unit_lcm};
	st = sv_report_totals(&o, m->t, &tot, &factors, out);
	sv_factors_free(&factors);
	return st;
}

static void merge_free(struct merge *m)
{
	sv_groups_free(m->groups);
	for (size_t i = 0; i < m->n_inputs; i++)
		free(m->input_names[i]);
	free(m->input_names);
	free(m->input_file);
	free(m->inputs);
	free(m->by_joined);
	sv_options_free(&m->keys);
	free(m->ids);
	if (m->builtin.name)
		sv_proxy_free(&m->builtin);
}

enum sv_status sv_merge_previous(const struct sv_options *o, const struct sv_proxy_table *t, const char *path,
				 int64_t unit_lcm, struct sv_groups **previous)
{
	/* one result checked as merge checks each, grouped by the keys of the
	 * report it is compared with */
	struct sv_options one = *o;
	const char *files[1] = {path};
	one.files = files;
	one.n_files = 1;
	static char keys_given[] = "the report's";
	one.by_text = one.by_text ? one.by_text : keys_given;
	struct merge m = {.o = &one, .t = t, .unit_lcm = unit_lcm};
	m.ids = calloc(1, sizeof *m.ids);
	enum sv_status st = m.ids ? merge_file(&m, 0) : SV_ESOFTWARE;
	if (st == SV_ESOFTWARE && !m.ids)
		sv_diag("out of memory");
	*previous = st == SV_OK ? m.groups : NULL;
	if (st == SV_OK)
		m.groups = NULL;
	merge_free(&m);
	return st;
}

enum sv_status sv_cmd_merge(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out)
{
	struct merge m = {.o = o, .t = t, .unit_lcm = t->unit_lcm};
	enum sv_status st = SV_OK;
	m.ids = calloc(o->n_files ? o->n_files : 1, sizeof *m.ids);
	if (!m.ids) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	for (size_t i = 0; i < o->n_files && st != SV_ESOFTWARE; i++)
		st = sv_status_worst(st, merge_file(&m, i));
	/* also after a refused file: every problem is reported in one run */
	if (st != SV_ESOFTWARE && !o->allow_identical)
		st = sv_status_worst(st, check_overlap(&m));
	if (st == SV_OK && !m.reference)
		st = SV_EDATA; /* no file: the option parser requires one */
	if (st == SV_OK)
		st = print_merged(&m, out);
	merge_free(&m);
	return st;
}
