/*
 * report.c - targets and spend files, keyed like the groups.
 */
#include "sv_report.h"
#include "sv_date.h"
#include "sv_diag.h"
#include "sv_money.h"
#include "sv_reader.h"
#include "sv_utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NO_COLUMN ((size_t)-1)

bool sv_parse_pounds(const char *s, size_t n, int64_t unit_lcm, sv_amount *out)
{
	/* pounds keep a proxy value's 4 decimals; 10^12 pounds at most, so
	 * the scaling to an amount cannot overflow */
	sv_qty dec4;
	if (sv_grouped_decimal_parse(s, n, 4, &dec4) != SV_QTY_OK)
		return false;
	return sv_amount_from_dec4(dec4, unit_lcm, out);
}

struct keyed_file {
	const char *file;
	const struct sv_options *o;
	const struct sv_proxy_table *t;
	int64_t unit_lcm; /* that of the totals the file joins */
	struct sv_groups *g;
	bool targets; /* else spend */
	size_t measure, quantity, spend;
	size_t key_column[SV_MAX_KEYS];
	sv_amount total;
	int errors;
	enum sv_status status;
};

static size_t column(const struct sv_row *row, const char *name)
{
	for (size_t i = 0; i < row->n_fields; i++)
		if (sv_field_is_name(&row->fields[i], name))
			return i;
	return NO_COLUMN;
}

/* A key a measure settles needs no column in a targets file. */
static bool from_measure(enum sv_key_kind kind)
{
	return kind == SV_KEY_THEME || kind == SV_KEY_MEASURE || kind == SV_KEY_VALUE_TYPE;
}

static void need_column(struct keyed_file *kf, const struct sv_row *row, size_t *slot, const char *name)
{
	*slot = column(row, name);
	if (*slot == NO_COLUMN) {
		sv_diag_at(kf->file, row->line, "missing column '%s'", name);
		kf->errors++;
	}
}

static enum sv_status on_header(void *ctx, const struct sv_row *row)
{
	struct keyed_file *kf = ctx;
	const struct sv_options *o = kf->o;
	if (row->bad_closing_quote) {
		sv_diag_at(kf->file, row->line, "header: field %zu: text after a closing quote", row->n_fields);
		return SV_EDATA;
	}
	kf->measure = kf->quantity = kf->spend = NO_COLUMN;
	if (kf->targets) {
		need_column(kf, row, &kf->measure, "measure");
		need_column(kf, row, &kf->quantity, "quantity");
	} else
		need_column(kf, row, &kf->spend, "spend");
	for (size_t k = 0; k < o->n_keys; k++) {
		kf->key_column[k] = NO_COLUMN;
		if (kf->targets && from_measure(o->keys[k].kind))
			continue;
		const char *name = o->keys[k].kind == SV_KEY_COLUMN ? o->keys[k].column : o->key_names[k];
		need_column(kf, row, &kf->key_column[k], name);
	}
	return kf->errors ? SV_EDATA : SV_OK;
}

static void row_problem(struct keyed_file *kf, const struct sv_row *row, const char *what, const struct sv_field *f,
			const char *why)
{
	char esc[SV_ESCAPE_MAX];
	sv_utf8_escape(esc, sizeof esc, f->ptr, f->len);
	sv_diag_at(kf->file, row->line, "%s: '%s' %s", what, esc, why);
	kf->errors++;
}

/* The theme, measure and value type keys of a spend file name a theme id,
 * a measure id or alias, and LEV/savings/social. */
static bool builtin_key(struct keyed_file *kf, enum sv_key_kind kind, const struct sv_field *f, int64_t *num)
{
	const struct sv_proxy_table *t = kf->t;
	if (kind == SV_KEY_MEASURE) {
		const struct sv_measure *m = sv_proxy_find(t, f->ptr, f->len);
		*num = m ? (int64_t)m->index : 0;
		return m != NULL;
	}
	for (size_t i = 0; kind == SV_KEY_THEME && i < t->n_themes; i++) {
		if (strlen(t->themes[i].id) == f->len && strncasecmp(t->themes[i].id, f->ptr, f->len) == 0) {
			*num = (int64_t)i;
			return true;
		}
	}
	for (int vt = 0; kind == SV_KEY_VALUE_TYPE && vt < SV_VT_COUNT; vt++) {
		const char *name = sv_value_type_name((enum sv_value_type)vt);
		if (strlen(name) == f->len && strncasecmp(name, f->ptr, f->len) == 0) {
			*num = vt;
			return true;
		}
	}
	return false;
}

static bool key_values(struct keyed_file *kf, const struct sv_row *row, const struct sv_measure *m,
		       struct sv_key_value *kv)
{
	const struct sv_options *o = kf->o;
	bool ok = true;
	for (size_t k = 0; k < o->n_keys; k++) {
		enum sv_key_kind kind = o->keys[k].kind;
		kv[k] = (struct sv_key_value){0, NULL, 0};
		if (kf->targets && from_measure(kind)) {
			kv[k].num = kind == SV_KEY_THEME ? (int64_t)m->theme
				    : kind == SV_KEY_MEASURE ? (int64_t)m->index : (int64_t)m->value_type;
			continue;
		}
		const struct sv_field *f = &row->fields[kf->key_column[k]];
		if (!sv_utf8_valid(f->ptr, f->len)) {
			row_problem(kf, row, o->key_names[k], f, "is not valid UTF-8");
			ok = false;
		} else if (sv_key_is_text(kind)) {
			kv[k].str = f->ptr;
			kv[k].len = f->len;
		} else if (from_measure(kind)) {
			if (!builtin_key(kf, kind, f, &kv[k].num)) {
				row_problem(kf, row, o->key_names[k], f, "is not one of the table's");
				ok = false;
			}
		} else {
			char label[SV_PERIOD_TEXT_MAX];
			int32_t period = 0;
			size_t n = f->len < sizeof label - 1 ? f->len : sizeof label - 1;
			memcpy(label, f->ptr, n);
			label[n] = '\0';
			if (f->len >= sizeof label || !sv_period_parse(sv_key_period(kind), label, &period)) {
				row_problem(kf, row, o->key_names[k], f, "is not a period label as sv-calc prints it");
				ok = false;
			}
			kv[k].num = period;
		}
	}
	return ok;
}

static enum sv_status on_record(void *ctx, const struct sv_row *row)
{
	struct keyed_file *kf = ctx;
	if (row->bad_closing_quote) {
		sv_diag_at(kf->file, row->line, "field %zu: text after a closing quote", row->n_fields);
		kf->errors++;
		return SV_OK;
	}
	size_t need = kf->targets ? (kf->measure > kf->quantity ? kf->measure : kf->quantity) : kf->spend;
	for (size_t k = 0; k < kf->o->n_keys; k++)
		if (kf->key_column[k] != NO_COLUMN && kf->key_column[k] > need)
			need = kf->key_column[k];
	if (row->n_fields <= need) {
		sv_diag_at(kf->file, row->line, "the row has %zu field%s, too few for the header", row->n_fields,
			   row->n_fields == 1 ? "" : "s");
		kf->errors++;
		return SV_OK;
	}
	const struct sv_measure *m = NULL;
	sv_amount amount = 0;
	sv_qty qty = 0;
	bool ok = true;
	if (kf->targets) {
		const struct sv_field *mf = &row->fields[kf->measure], *qf = &row->fields[kf->quantity];
		m = sv_proxy_find(kf->t, mf->ptr, mf->len);
		if (!m) {
			row_problem(kf, row, "measure", mf, "is not a measure of the table");
			ok = false;
		}
		enum sv_qty_error e = sv_qty_parse(qf->ptr, qf->len, &qty);
		if (e != SV_QTY_OK) {
			row_problem(kf, row, "quantity", qf, sv_qty_strerror(e));
			ok = false;
		}
	} else {
		const struct sv_field *sf = &row->fields[kf->spend];
		if (!sv_parse_pounds(sf->ptr, sf->len, kf->unit_lcm, &amount)) {
			row_problem(kf, row, "spend", sf, "is not an amount of pounds");
			ok = false;
		}
	}
	struct sv_key_value kv[SV_MAX_KEYS];
	if (!ok || (m == NULL && kf->targets) || !key_values(kf, row, m, kv))
		return SV_OK;
	enum sv_status st;
	if (kf->targets) {
		sv_amount value = 0;
		if (!m->record_only && !sv_amount_mul(qty, m->value, kf->unit_lcm, &value)) {
			sv_diag_at(kf->file, row->line, "quantity: its value overflows the exact arithmetic");
			kf->errors++;
			return SV_OK;
		}
		st = sv_groups_add_target(kf->g, kv, qty, !m->record_only, value);
	} else {
		st = sv_groups_add_spend(kf->g, kv, amount);
		if (st == SV_OK && !sv_amount_add(&kf->total, amount))
			st = SV_EDATA;
	}
	if (st == SV_EDATA) {
		sv_diag_at(kf->file, row->line, "the sum overflows the exact arithmetic");
		kf->errors++;
		return SV_OK;
	}
	return st;
}

static enum sv_status load(struct keyed_file *kf, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		sv_diag("%s: cannot open: %s", path, strerror(errno));
		return SV_ENOINPUT;
	}
	struct sv_reader *r = sv_reader_new();
	enum sv_status st = SV_ESOFTWARE;
	if (r) {
		const struct sv_reader_callbacks cb = {on_header, on_record};
		st = sv_reader_read(r, f, path, 0, &cb, kf);
		sv_reader_free(r);
	}
	fclose(f);
	if (st == SV_OK && kf->errors)
		st = SV_EDATA;
	return st;
}

enum sv_status sv_load_targets(const char *path, const struct sv_options *o, const struct sv_proxy_table *t,
			       int64_t unit_lcm, struct sv_groups *g)
{
	struct keyed_file kf = {.file = path, .o = o, .t = t, .unit_lcm = unit_lcm, .g = g, .targets = true};
	return load(&kf, path);
}

enum sv_status sv_load_spend(const char *path, const struct sv_options *o, const struct sv_proxy_table *t,
			     int64_t unit_lcm, struct sv_groups *g, sv_amount *total)
{
	struct keyed_file kf = {.file = path, .o = o, .t = t, .unit_lcm = unit_lcm, .g = g, .targets = false};
	enum sv_status st = load(&kf, path);
	*total = kf.total;
	return st;
}

/* ---- factors ---------------------------------------------------------- */

static bool any_adjustment(const struct sv_options *o, const struct sv_proxy_table *t)
{
	for (int a = 0; a < 4; a++)
		if (o->has_adjust[a] && o->adjust[a])
			return true;
	if (o->duration_years > 1)
		return true;
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		if (m->duration_years > 1 || m->adjust[0] || m->adjust[1] || m->adjust[2] || m->adjust[3])
			return true;
	}
	return false;
}

/* The deflator index a measure's value is rebased from; 0 (reported)
 * when it has none.  Record-only measures, and in a mixed table's own
 * basis those without a year, stay as they are. */
static int64_t index_from(const struct sv_deflators *d, const struct sv_proxy_table *t, const struct sv_measure *m,
			  int64_t to, bool required)
{
	if (m->record_only || (!m->price_year.year && !required))
		return to;
	char year[8];
	sv_price_year_text(m->price_year, year);
	int64_t from = m->price_year.year ? sv_deflator(d, m->price_year) : 0;
	if (!m->price_year.year)
		sv_diag("%s: measure '%s' has no price_year (nor has the table) to rebase from", t->origin, m->id);
	else if (!from)
		sv_diag("%s: no deflator for %s%s, the price year of measure '%s'", d->origin,
			m->price_year.calendar ? "calendar year " : "", year, m->id);
	return from;
}

void sv_table_basis(const struct sv_proxy_table *t, char *buf, size_t cap)
{
	char year[8];
	sv_price_year_text(sv_proxy_basis_year(t), year);
	snprintf(buf, cap, year[0] ? "%s prices" : "%s", year);
}

/* The year the figures are stated in and, when values must be rebased to
 * it, its index (0 and SV_OK: nothing to rebase). */
static enum sv_status target_index(const struct sv_options *o, const struct sv_proxy_table *t,
				   struct sv_deflators *d, struct sv_factors *f, int64_t *to)
{
	struct sv_price_year target =
		o->price_year ? (struct sv_price_year){o->price_year, false} : sv_proxy_basis_year(t);
	char year[8];
	sv_price_year_text(target, year);
	*to = 0;
	if (o->price_year)
		snprintf(f->basis, sizeof f->basis, "%s prices", year);
	else
		sv_table_basis(t, f->basis, sizeof f->basis);
	if (!o->price_year && !sv_proxy_is_mixed(t))
		return SV_OK;
	enum sv_status st = sv_deflators_load(d, o->deflators);
	if (st != SV_OK)
		return st;
	*to = sv_deflator(d, target);
	if (*to)
		return SV_OK;
	char years[512];
	sv_deflators_years(d, years, sizeof years);
	if (o->price_year) {
		sv_diag("--price-year %s: the deflators (%s) have no index for it; they cover %s", year, d->origin,
			years);
		return SV_EUSAGE;
	}
	sv_diag("%s: its measures are in several price years, and the deflators (%s) have none for %s%s, the table's; they cover %s",
		t->origin, d->origin, target.calendar ? "calendar year " : "", year, years);
	return SV_ECONFIG;
}

enum sv_status sv_factors_make(struct sv_factors *f, const struct sv_options *o, const struct sv_proxy_table *t)
{
	memset(f, 0, sizeof *f);
	struct sv_deflators d = {0};
	int64_t to = 0;
	enum sv_status st = target_index(o, t, &d, f, &to);
	bool rebase = to != 0, net = any_adjustment(o, t);
	if (st != SV_OK || (!rebase && !net)) {
		sv_deflators_free(&d);
		return st;
	}
	f->n = t->n_measures;
	f->value = rebase ? calloc(f->n, sizeof *f->value) : NULL;
	f->index_from = rebase ? calloc(f->n, sizeof *f->index_from) : NULL;
	f->net = net ? calloc(f->n, sizeof *f->net) : NULL;
	if ((rebase && (!f->value || !f->index_from)) || (net && !f->net))
		st = SV_ESOFTWARE;
	if (!rebase)
		to = 1;
	for (size_t i = 0; st == SV_OK && i < f->n; i++) {
		const struct sv_measure *m = &t->measures[i];
		int64_t from = rebase ? index_from(&d, t, m, to, o->price_year != 0) : 1;
		if (!from) {
			st = SV_ECONFIG;
			break;
		}
		if (rebase)
			f->index_from[i] = from;
		int64_t off[3];
		for (int a = 0; a < 3; a++)
			off[a] = o->has_adjust[a] ? o->adjust[a] : m->adjust[a];
		int64_t drop = o->has_adjust[3] ? o->adjust[3] : m->adjust[3];
		unsigned years = o->duration_years ? o->duration_years : m->duration_years ? m->duration_years : 1;
		if ((rebase && !sv_factor(to, from, NULL, 0, 0, 0, 1, &f->value[i])) ||
		    (net && !sv_factor(to, from, off, 3, drop, o->discount_rate, years, &f->net[i]))) {
			sv_diag("%s: measure '%s': its factor overflows", t->origin, m->id);
			st = SV_ECONFIG;
		}
	}
	if (st == SV_OK && rebase)
		f->index_to = to;
	sv_deflators_free(&d);
	if (st != SV_OK) {
		char basis[sizeof f->basis];
		memcpy(basis, f->basis, sizeof basis);
		sv_factors_free(f);
		memcpy(f->basis, basis, sizeof basis);
	}
	return st;
}

void sv_factors_free(struct sv_factors *f)
{
	free(f->index_from);
	free(f->value);
	free(f->net);
	memset(f, 0, sizeof *f);
}
