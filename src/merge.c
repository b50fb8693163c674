/*
 * merge.c - add up earlier JSON results exactly.
 *
 * Each result carries its exact group sums (value_exact) and how it was
 * made: proxy table name, version and digest, --by keys and options.  Only
 * results made the same way are added, so merging the results of A and B
 * gives byte for byte what valuing A and B together gives.
 */
#include "sv_commands.h"
#include "sv_date.h"
#include "sv_diag.h"
#include "sv_format.h"
#include "sv_money.h"
#include "sv_utf8.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RESULT_FILE_MAX ((size_t)1 << 30)

struct merge {
	const struct sv_options *o;
	const struct sv_proxy_table *t;
	char table_sha256[65];
	struct sv_options keys;      /* the --by keys of the results */
	char *by_joined;             /* of the first result, to compare */
	char *options_text;          /* of the first result, to compare */
	struct sv_groups *groups;
	struct sv_counts counts;
	uint64_t total_records;
	sv_amount total;
	struct sv_input_info *inputs;
	char **input_names;
	size_t n_inputs;
	bool have_first;
};

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

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static bool count_at(const cJSON *obj, const char *key, uint64_t *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(item) || item->valuedouble < 0 || item->valuedouble > 9007199254740992.0 ||
	    item->valuedouble != (double)(uint64_t)item->valuedouble)
		return false;
	*out = (uint64_t)item->valuedouble;
	return true;
}

/* The --by list as one string, to parse and to compare. */
static char *join_by(const cJSON *by)
{
	size_t n = 1;
	const cJSON *k;
	cJSON_ArrayForEach(k, by) {
		if (!cJSON_IsString(k))
			return NULL;
		n += strlen(k->valuestring) + 1;
	}
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

static bool check_table(struct merge *m, const char *path, const cJSON *table)
{
	const char *name = str_at(table, "name"), *version = str_at(table, "version");
	const char *sha = str_at(table, "sha256");
	if (!name || !version) {
		sv_diag("%s: not an sv-calc JSON result (no proxy_table name and version)", path);
		return false;
	}
	if (strcmp(name, m->t->name) != 0 || strcmp(version, m->t->version) != 0 ||
	    (sha && strcmp(sha, m->table_sha256) != 0)) {
		sv_diag("%s: made with proxy table '%s' version %s%s, not with '%s' version %s (%s); merge only results made with the same table, given with -p",
			path, name, version, sha && strcmp(name, m->t->name) == 0 ? " (different values)" : "",
			m->t->name, m->t->version, m->t->origin);
		return false;
	}
	return true;
}

static bool check_by_and_options(struct merge *m, const char *path, const cJSON *root)
{
	char *by = join_by(cJSON_GetObjectItemCaseSensitive(root, "by"));
	const cJSON *opts = cJSON_GetObjectItemCaseSensitive(root, "options");
	char *opts_text = opts ? cJSON_PrintUnformatted(opts) : NULL;
	bool ok = by && opts_text;
	if (!ok)
		sv_diag("%s: not an sv-calc JSON result (no 'by' list or 'options')", path);
	else if (cJSON_GetObjectItemCaseSensitive(opts, "price_basis") || cJSON_GetObjectItemCaseSensitive(opts, "net")) {
		sv_diag("%s: a result at another price year or with net value cannot be added exactly; merge the results made without --price-year and adjustments, then value together",
			path);
		ok = false;
	} else if (!m->have_first) {
		m->by_joined = by;
		m->options_text = opts_text;
		by = opts_text = NULL;
		ok = sv_parse_by(&m->keys, m->by_joined);
	} else if (strcmp(by, m->by_joined) != 0) {
		sv_diag("%s: grouped by '%s', not by '%s' like %s; merge only results with the same --by keys",
			path, by, m->by_joined, m->o->files[0]);
		ok = false;
	} else if (strcmp(opts_text, m->options_text) != 0) {
		sv_diag("%s: made with options %s, not %s like %s", path, opts_text, m->options_text,
			m->o->files[0]);
		ok = false;
	}
	free(by);
	cJSON_free(opts_text);
	return ok;
}

static bool key_value(struct merge *m, size_t k, const char *text, struct sv_key_value *kv)
{
	enum sv_key_kind kind = m->keys.keys[k].kind;
	kv->num = 0;
	kv->str = NULL;
	kv->len = 0;
	switch (kind) {
	case SV_KEY_THEME:
		for (size_t i = 0; i < m->t->n_themes; i++) {
			if (strcmp(m->t->themes[i].id, text) == 0) {
				kv->num = (int64_t)i;
				return true;
			}
		}
		return false;
	case SV_KEY_MEASURE:
		for (size_t i = 0; i < m->t->n_measures; i++) {
			if (strcmp(m->t->measures[i].id, text) == 0) {
				kv->num = (int64_t)i;
				return true;
			}
		}
		return false;
	case SV_KEY_VALUE_TYPE:
		for (int vt = 0; vt < SV_VT_COUNT; vt++) {
			if (strcmp(sv_value_type_name((enum sv_value_type)vt), text) == 0) {
				kv->num = vt;
				return true;
			}
		}
		return false;
	case SV_KEY_COLUMN:
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

static bool exact_at(const cJSON *obj, bool *has_value, sv_amount *value)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "value_exact");
	*has_value = !cJSON_IsNull(v);
	*value = 0;
	if (!*has_value)
		return true;
	return cJSON_IsString(v) && sv_amount_parse(v->valuestring, strlen(v->valuestring), value);
}

static enum sv_status add_groups(struct merge *m, const char *path, const cJSON *groups)
{
	const cJSON *g;
	size_t i = 0;
	cJSON_ArrayForEach(g, groups) {
		i++;
		struct sv_key_value kv[SV_MAX_KEYS];
		for (size_t k = 0; k < m->keys.n_keys; k++) {
			const char *text = str_at(g, m->keys.key_names[k]);
			if (!text || !key_value(m, k, text, &kv[k])) {
				sv_diag("%s: group %zu: bad or missing key '%s'", path, i, m->keys.key_names[k]);
				return SV_EDATA;
			}
		}
		uint64_t records;
		bool has_value;
		sv_amount value;
		if (!count_at(g, "records", &records) || !exact_at(g, &has_value, &value)) {
			sv_diag("%s: group %zu: bad 'records' or 'value_exact'", path, i);
			return SV_EDATA;
		}
		enum sv_status st = sv_groups_merge(m->groups, kv, records, has_value ? records : 0, value);
		if (st == SV_EDATA)
			sv_diag("%s: group %zu: the sum overflows the exact arithmetic", path, i);
		if (st != SV_OK)
			return st;
	}
	return SV_OK;
}

static enum sv_status add_inputs(struct merge *m, const char *path, const cJSON *inputs)
{
	const cJSON *in;
	cJSON_ArrayForEach(in, inputs) {
		const char *name = str_at(in, "name"), *sha = str_at(in, "sha256");
		uint64_t bytes;
		if (!name || !sha || strlen(sha) != 64 || !count_at(in, "bytes", &bytes)) {
			sv_diag("%s: an input without name, bytes and sha256", path);
			return SV_EDATA;
		}
		struct sv_input_info *grown = realloc(m->inputs, (m->n_inputs + 1) * sizeof *grown);
		char **names = realloc(m->input_names, (m->n_inputs + 1) * sizeof *names);
		if (grown)
			m->inputs = grown;
		if (names)
			m->input_names = names;
		char *copy = grown && names ? strdup(name) : NULL;
		if (!copy) {
			sv_diag("out of memory");
			return SV_ESOFTWARE;
		}
		m->input_names[m->n_inputs] = copy;
		struct sv_input_info *info = &m->inputs[m->n_inputs++];
		info->name = copy;
		info->bytes = bytes;
		memcpy(info->sha256, sha, 65);
	}
	return SV_OK;
}

static enum sv_status add_counts(struct merge *m, const char *path, const cJSON *root)
{
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(root, "counts");
	const cJSON *total = cJSON_GetObjectItemCaseSensitive(root, "total");
	struct sv_counts c;
	uint64_t records;
	bool has_value;
	sv_amount value;
	if (!count_at(counts, "read", &c.read) || !count_at(counts, "valued", &c.valued) ||
	    !count_at(counts, "invalid", &c.invalid) || !count_at(counts, "filtered", &c.filtered) ||
	    !count_at(total, "records", &records) || !exact_at(total, &has_value, &value)) {
		sv_diag("%s: not an sv-calc JSON result (bad 'counts' or 'total')", path);
		return SV_EDATA;
	}
	m->counts.read += c.read;
	m->counts.valued += c.valued;
	m->counts.invalid += c.invalid;
	m->counts.filtered += c.filtered;
	m->total_records += records;
	if (!sv_amount_add(&m->total, value)) {
		sv_diag("%s: the total overflows the exact arithmetic", path);
		return SV_EDATA;
	}
	return SV_OK;
}

static enum sv_status merge_file(struct merge *m, const char *path)
{
	enum sv_status st = SV_OK;
	size_t len;
	char *text = slurp(path, &len, &st);
	if (!text)
		return st;
	const char *end = NULL;
	cJSON *root = sv_utf8_valid(text, len) ? cJSON_ParseWithLengthOpts(text, len + 1, &end, 1) : NULL;
	if (!root) {
		sv_diag("%s: not JSON (an sv-calc result made with -f json is needed)", path);
		free(text);
		return SV_EDATA;
	}
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(root, "groups");
	const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(root, "inputs");
	if (!cJSON_IsArray(groups) || !cJSON_IsArray(inputs)) {
		sv_diag("%s: not an sv-calc JSON result (no 'groups' or 'inputs')", path);
		st = SV_EDATA;
	} else if (!check_table(m, path, cJSON_GetObjectItemCaseSensitive(root, "proxy_table")) ||
		   !check_by_and_options(m, path, root))
		st = SV_EDATA;
	if (st == SV_OK && !m->groups) {
		m->groups = sv_groups_new(m->keys.keys, m->keys.n_keys);
		if (!m->groups)
			st = SV_ESOFTWARE;
	}
	m->have_first = true;
	if (st == SV_OK)
		st = add_groups(m, path, groups);
	if (st == SV_OK)
		st = add_inputs(m, path, inputs);
	if (st == SV_OK)
		st = add_counts(m, path, root);
	cJSON_Delete(root);
	free(text);
	return st;
}

/* Options of the results, read back for the provenance of the output. */
static void read_options(const struct merge *m, struct sv_provenance *p)
{
	cJSON *opts = cJSON_Parse(m->options_text);
	const char *from = str_at(opts, "from"), *to = str_at(opts, "to");
	p->has_from = from && sv_date_parse(from, strlen(from), &p->from);
	p->has_to = to && sv_date_parse(to, strlen(to), &p->to);
	p->skip_invalid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opts, "skip_invalid"));
	cJSON_Delete(opts);
}

enum sv_status sv_cmd_merge(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out)
{
	struct merge m = {.o = o, .t = t};
	enum sv_status st = SV_OK;
	if (!sv_proxy_digest(t, m.table_sha256)) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	for (size_t i = 0; i < o->n_files && st != SV_ESOFTWARE; i++)
		st = sv_status_worst(st, merge_file(&m, o->files[i]));
	if (st == SV_OK) {
		size_t n_groups;
		const struct sv_group *const *sorted = sv_groups_sorted(m.groups, &n_groups);
		struct sv_provenance p = {.table_sha256 = m.table_sha256};
		read_options(&m, &p);
		if (!sorted) {
			sv_diag("out of memory");
			st = SV_ESOFTWARE;
		} else {
			struct sv_result r = {.table = t, .provenance = &p, .keys = m.keys.keys,
					      .key_names = m.keys.key_names, .n_keys = m.keys.n_keys, .groups = sorted,
					      .n_groups = n_groups, .counts = m.counts, .inputs = m.inputs,
					      .n_inputs = m.n_inputs, .total_records = m.total_records, .total = m.total};
			sv_format_result(out, o->format, &r);
		}
	}
	sv_groups_free(m.groups);
	for (size_t i = 0; i < m.n_inputs; i++)
		free(m.input_names[i]);
	free(m.input_names);
	free(m.inputs);
	free(m.by_joined);
	cJSON_free(m.options_text);
	sv_options_free(&m.keys);
	return st;
}
