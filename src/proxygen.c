/*
 * proxygen.c - writes a proxy table, as the loader loads it, as C data:
 *
 *   proxygen proxies/open-2026.json > build/.../proxy_table.c
 *
 * Run by make, so that the built-in table is checked by the very loader
 * that checks a -p file, and the binary then starts with it loaded (see
 * sv_builtin.h).  Every string is an array of its own named after its
 * place, so the index's keys can point into the measures as the loader's
 * do.
 */
#include "sv_format.h"
#include "sv_proxy.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ISO C asks compilers for string literals of 4095 bytes; longer ones are
 * written as lists of characters. */
#define LITERAL_MAX 4000

static void emit_bytes(FILE *out, const char *s)
{
	size_t n = strlen(s);
	if (n > LITERAL_MAX) {
		fputc('{', out);
		for (size_t i = 0; i <= n; i++)
			fprintf(out, "%s'\\%03o'", i % 16 ? ", " : "\n\t", (unsigned)(unsigned char)s[i]);
		fputs("\n}", out);
		return;
	}
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* '?' too: -std=c17 reads trigraphs */
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%03o", (unsigned)c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* "static char name[] = ...;" for a string that is there. */
static void emit_string(FILE *out, const char *name, const char *s)
{
	if (!s)
		return;
	fprintf(out, "static char %s[] = ", name);
	emit_bytes(out, s);
	fputs(";\n", out);
}

/* The array's name, or NULL, as an initializer. */
static void emit_ref(FILE *out, const char *field, const char *name, const void *p)
{
	fprintf(out, ".%s = %s", field, p ? name : "NULL");
}

static const char *value_type_constant(enum sv_value_type vt)
{
	switch (vt) {
	case SV_VT_LEV: return "SV_VT_LEV";
	case SV_VT_SAVINGS: return "SV_VT_SAVINGS";
	case SV_VT_SOCIAL: return "SV_VT_SOCIAL";
	case SV_VT_COUNT: break;
	}
	return "SV_VT_COUNT";
}

static void emit_year(FILE *out, struct sv_price_year y)
{
	fprintf(out, "{.year = %d, .calendar = %s}", y.year, y.calendar ? "true" : "false");
}

static void emit_header_strings(FILE *out, const struct sv_proxy_table *t)
{
	emit_string(out, "t_name", t->name);
	emit_string(out, "t_version", t->version);
	emit_string(out, "t_currency", t->currency);
	emit_string(out, "t_source", t->source);
	emit_string(out, "t_licence", t->licence);
	emit_string(out, "t_attribution", t->attribution);
	emit_string(out, "t_notes", t->notes);
	for (size_t i = 0; i < t->n_themes; i++) {
		char name[64];
		snprintf(name, sizeof name, "th%zu_id", i);
		emit_string(out, name, t->themes[i].id);
		snprintf(name, sizeof name, "th%zu_name", i);
		emit_string(out, name, t->themes[i].name);
	}
	fprintf(out, "static struct sv_theme themes[%zu] = {\n", t->n_themes ? t->n_themes : 1);
	for (size_t i = 0; i < t->n_themes; i++)
		fprintf(out, "\t{.id = th%zu_id, .name = th%zu_name},\n", i, i);
	fputs("};\n", out);
}

static void emit_measure_strings(FILE *out, const struct sv_measure *m, size_t i)
{
	static const char *const fields[] = {"id", "name", "unit", "source", "licence", "derivation"};
	const char *values[] = {m->id, m->name, m->unit, m->source, m->licence, m->derivation};
	char name[64];
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		snprintf(name, sizeof name, "m%zu_%s", i, fields[f]);
		emit_string(out, name, values[f]);
	}
	for (size_t k = 0; k < m->n_aliases; k++) {
		snprintf(name, sizeof name, "m%zu_a%zu", i, k);
		emit_string(out, name, m->aliases[k]);
	}
	if (m->aliases) {
		fprintf(out, "static char *m%zu_aliases[] = {", i);
		for (size_t k = 0; k < m->n_aliases; k++)
			fprintf(out, "%sm%zu_a%zu", k ? ", " : "", i, k);
		fputs("};\n", out);
	}
	for (size_t k = 0; k < m->n_units; k++) {
		snprintf(name, sizeof name, "m%zu_u%zu", i, k);
		emit_string(out, name, m->units[k].name);
	}
	if (m->units) {
		fprintf(out, "static struct sv_unit m%zu_units[] = {\n", i);
		for (size_t k = 0; k < m->n_units; k++)
			fprintf(out, "\t{.name = m%zu_u%zu, .num = INT64_C(%" PRId64 "), .den = INT64_C(%" PRId64 ")},\n", i,
				k, m->units[k].num, m->units[k].den);
		fputs("};\n", out);
	}
}

static void emit_measure(FILE *out, const struct sv_measure *m, size_t i)
{
	static const char *const fields[] = {"id", "name", "unit", "source", "licence", "derivation"};
	const char *values[] = {m->id, m->name, m->unit, m->source, m->licence, m->derivation};
	char name[64];
	fputs("\t{", out);
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		snprintf(name, sizeof name, "m%zu_%s", i, fields[f]);
		emit_ref(out, fields[f], name, values[f]);
		fputs(",\n\t ", out);
	}
	fprintf(out, ".theme = %zu, .index = %zu, .value_type = %s, .record_only = %s,\n\t ", m->theme, m->index,
		value_type_constant(m->value_type), m->record_only ? "true" : "false");
	fprintf(out, ".value = INT64_C(%" PRId64 "), .adjust = {", m->value);
	for (size_t k = 0; k < 4; k++)
		fprintf(out, "%sINT64_C(%" PRId64 ")", k ? ", " : "", m->adjust[k]);
	fprintf(out, "}, .duration_years = %uu,\n\t .price_year = ", m->duration_years);
	emit_year(out, m->price_year);
	fputs(",\n\t ", out);
	snprintf(name, sizeof name, "m%zu_aliases", i);
	emit_ref(out, "aliases", name, m->aliases);
	fprintf(out, ", .n_aliases = %zu, ", m->n_aliases);
	snprintf(name, sizeof name, "m%zu_units", i);
	emit_ref(out, "units", name, m->units);
	fprintf(out, ", .n_units = %zu},\n", m->n_units);
}

/* The name of the measure's string a key points at: the index holds the
 * loader's own pointers, not copies. */
static bool key_name(const struct sv_proxy_table *t, const char *key, char *buf, size_t cap)
{
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		if (key == m->id) {
			snprintf(buf, cap, "m%zu_id", i);
			return true;
		}
		for (size_t k = 0; k < m->n_aliases; k++) {
			if (key == m->aliases[k]) {
				snprintf(buf, cap, "m%zu_a%zu", i, k);
				return true;
			}
		}
	}
	return false;
}

static bool emit_index(FILE *out, const struct sv_proxy_table *t)
{
	fprintf(out, "static struct sv_index_slot index_slots[%zu] = {\n", t->index_cap ? t->index_cap : 1);
	for (size_t i = 0; i < t->index_cap; i++) {
		const struct sv_index_slot *s = &t->index[i];
		char name[64];
		if (!s->key)
			continue;
		if (!key_name(t, s->key, name, sizeof name))
			return false;
		fprintf(out,
			"\t[%zu] = {.key = %s, .key_len = %zu, .word = UINT64_C(0x%016" PRIx64 "), .hash = %" PRIu32
			"u, .measure = %" PRIu32 "u},\n",
			i, name, s->key_len, s->word, s->hash, s->measure);
	}
	fputs("};\n", out);
	if (!t->short_slots)
		return true;
	size_t n = (size_t)1 << (64 - t->short_shift);
	fprintf(out, "static struct sv_short_slot short_slots[%zu] = {\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct sv_short_slot *s = &t->short_slots[i];
		if (s->len)
			fprintf(out,
				"\t[%zu] = {.word = UINT64_C(0x%016" PRIx64 "), .word2 = UINT64_C(0x%016" PRIx64
				"), .len = %" PRIu32 "u, .measure = %" PRIu32 "u},\n",
				i, s->word, s->word2, s->len, s->measure);
	}
	fputs("};\n", out);
	return true;
}

static void emit_table(FILE *out, const struct sv_proxy_table *t)
{
	static const char *const fields[] = {"name", "version", "currency", "source", "licence", "attribution",
					     "notes"};
	const char *values[] = {t->name, t->version, t->currency, t->source, t->licence, t->attribution, t->notes};
	fputs("const struct sv_proxy_table sv_builtin_table = {\n\t.origin = NULL,\n", out);
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		char name[32];
		snprintf(name, sizeof name, "t_%s", fields[f]);
		fputc('\t', out);
		emit_ref(out, fields[f], name, values[f]);
		fputs(",\n", out);
	}
	fputs("\t.price_year = ", out);
	emit_year(out, t->price_year);
	fprintf(out, ",\n\t.themes = themes, .n_themes = %zu,\n", t->n_themes);
	fprintf(out, "\t.measures = measures, .n_measures = %zu,\n", t->n_measures);
	fprintf(out, "\t.index = index_slots, .index_cap = %zu,\n", t->index_cap);
	fprintf(out, "\t.short_slots = %s,\n", t->short_slots ? "short_slots" : "NULL");
	fprintf(out, "\t.short_mult = UINT64_C(0x%016" PRIx64 "), .short_mult2 = UINT64_C(0x%016" PRIx64 "),\n",
		t->short_mult, t->short_mult2);
	fprintf(out, "\t.short_shift = %uu,\n", t->short_shift);
	fprintf(out, "\t.unit_lcm = INT64_C(%" PRId64 "),\n", t->unit_lcm);
	fputs("\t.digest_cache = NULL,\n\t.borrowed = true,\n};\n", out);
}

static bool emit(FILE *out, const struct sv_proxy_table *t, const char *path, const char digest[65])
{
	fprintf(out, "/* Generated by proxygen from %s; do not edit. */\n", path);
	fputs("#include \"sv_builtin.h\"\n\n#include <stddef.h>\n\n", out);
	emit_header_strings(out, t);
	for (size_t i = 0; i < t->n_measures; i++)
		emit_measure_strings(out, &t->measures[i], i);
	fprintf(out, "static struct sv_measure measures[%zu] = {\n", t->n_measures ? t->n_measures : 1);
	for (size_t i = 0; i < t->n_measures; i++)
		emit_measure(out, &t->measures[i], i);
	fputs("};\n", out);
	if (!emit_index(out, t))
		return false;
	emit_table(out, t);
	fprintf(out, "const char sv_builtin_digest[65] = \"%s\";\n", digest);
	return true;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: proxygen TABLE.json > proxy_table.c\n", stderr);
		return 2;
	}
	struct sv_proxy_table t;
	if (sv_proxy_load_file(&t, argv[1]) != SV_OK)
		return 1;
	char digest[65];
	bool ok = sv_proxy_digest(&t, digest);
	if (!ok)
		fprintf(stderr, "proxygen: %s: cannot compute the table's digest\n", argv[1]);
	else if (!emit(stdout, &t, argv[1], digest)) {
		fprintf(stderr, "proxygen: %s: an index key that is no measure's id or alias\n", argv[1]);
		ok = false;
	}
	sv_proxy_free(&t);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("proxygen: writing the table");
		ok = false;
	}
	return ok ? 0 : 1;
}
