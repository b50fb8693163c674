/*
 * trace.c - one output row per record, so every pound can be explained.
 *
 * The exact values of the valued rows add up to the totals of the default
 * command on the same input and options, to the last digit: both come from
 * the same engine, and trace prints each record's exact product.
 */
#include "sv_commands.h"
#include "sv_date.h"
#include "sv_diag.h"
#include "sv_format.h"
#include "sv_money.h"

#include <string.h>

#define FIXED_COLUMNS 14

struct trace {
	struct sv_row_writer w;
	const struct sv_options *o;
	const struct sv_proxy_table *t;
};

static const char *status_name(enum sv_outcome_status s)
{
	switch (s) {
	case SV_OUT_VALUED: return "valued";
	case SV_OUT_RECORD_ONLY: return "record-only";
	case SV_OUT_INVALID: return "invalid";
	case SV_OUT_FILTERED: return "filtered";
	case SV_OUT_IGNORED: return "ignored";
	}
	return "?";
}

static void text_or_null(struct sv_row_writer *w, const char *s)
{
	if (s)
		sv_rw_text(w, s, strlen(s));
	else
		sv_rw_null(w);
}

static void key_cell(struct trace *tr, size_t k, const struct sv_key_value *kv)
{
	char buf[SV_PERIOD_TEXT_MAX];
	switch (tr->o->keys[k].kind) {
	case SV_KEY_THEME: text_or_null(&tr->w, tr->t->themes[kv->num].id); break;
	case SV_KEY_MEASURE: text_or_null(&tr->w, tr->t->measures[kv->num].id); break;
	case SV_KEY_VALUE_TYPE: text_or_null(&tr->w, sv_value_type_name((enum sv_value_type)kv->num)); break;
	case SV_KEY_COLUMN:
	case SV_KEY_FILE: sv_rw_text(&tr->w, kv->str, kv->len); break;
	default:
		sv_period_format(buf, sv_key_period(tr->o->keys[k].kind), (int32_t)kv->num);
		text_or_null(&tr->w, buf);
		break;
	}
}

static void on_outcome(void *ctx, const struct sv_outcome *out)
{
	struct trace *tr = ctx;
	struct sv_row_writer *w = &tr->w;
	const struct sv_measure *m = out->measure;
	char buf[SV_MONEY_TEXT_MAX];

	sv_rw_text(w, out->file, strlen(out->file));
	snprintf(buf, sizeof buf, "%lu", out->row->line);
	sv_rw_number(w, buf);
	text_or_null(w, status_name(out->status));
	if (out->measure_text)
		sv_rw_text(w, out->measure_text->ptr, out->measure_text->len);
	else
		sv_rw_null(w);
	text_or_null(w, m ? m->id : NULL);
	text_or_null(w, m ? tr->t->themes[m->theme].id : NULL);
	text_or_null(w, m ? sv_value_type_name(m->value_type) : NULL);
	if (out->has_quantity) {
		/* exact decimals are strings in JSON, so no reader makes them floats */
		sv_format_qty(buf, out->quantity);
		sv_rw_text(w, buf, strlen(buf));
	} else
		sv_rw_null(w);
	text_or_null(w, m ? out->unit : NULL);
	if (m && !m->record_only) {
		sv_format_dec4(buf, m->value);
		sv_rw_text(w, buf, strlen(buf));
	} else
		sv_rw_null(w);
	char year[8];
	sv_price_year_text(m ? m->price_year : (struct sv_price_year){0, false}, year);
	text_or_null(w, m && !m->record_only && year[0] ? year : NULL);
	bool valued = out->status == SV_OUT_VALUED;
	if (valued) {
		sv_format_amount_exact(buf, out->value, tr->t->unit_lcm);
		sv_rw_text(w, buf, strlen(buf));
		sv_format_pence_plain(buf, sv_amount_to_pence(out->value, tr->t->unit_lcm));
		sv_rw_text(w, buf, strlen(buf));
	} else {
		sv_rw_null(w);
		sv_rw_null(w);
	}
	for (size_t k = 0; k < tr->o->n_keys; k++) {
		if (out->keys)
			key_cell(tr, k, &out->keys[k]);
		else
			sv_rw_null(w);
	}
	text_or_null(w, out->status == SV_OUT_INVALID ? out->reason : NULL);
	sv_rw_end_row(w);
}

enum sv_status sv_cmd_trace(const struct sv_options *o, const struct sv_proxy_table *t, FILE *out)
{
	static const char *const fixed[FIXED_COLUMNS - 1] = {
		"file", "line", "status", "measure", "measure_id", "theme", "value_type",
		"quantity", "unit", "proxy_value", "price_year", "value_exact", "value"};
	const char *names[FIXED_COLUMNS + SV_MAX_KEYS];
	size_t n = 0;
	for (size_t i = 0; i < FIXED_COLUMNS - 1; i++)
		names[n++] = fixed[i];
	/* "by_theme": the group a record falls in, apart from its own theme */
	char key_columns[SV_MAX_KEYS][128];
	for (size_t k = 0; k < o->n_keys; k++) {
		snprintf(key_columns[k], sizeof key_columns[k], "by_%s", o->key_names[k]);
		names[n++] = key_columns[k];
	}
	names[n++] = "reason";

	struct trace tr = {.o = o, .t = t};
	sv_rw_begin(&tr.w, out, o->format, names, n);
	const struct sv_run_hooks hooks = {NULL, on_outcome, &tr, true, false};
	struct sv_run run = {.options = o, .table = t, .groups = NULL, .hooks = &hooks};
	enum sv_status st = sv_run_files(&run);
	sv_rw_finish(&tr.w);
	if (o->skip_invalid)
		sv_diag("skipped %llu invalid record%s of %llu", (unsigned long long)run.counts.invalid,
			run.counts.invalid == 1 ? "" : "s", (unsigned long long)run.counts.read);
	else if (run.counts.invalid) {
		sv_diag("%llu invalid record%s of %llu; see the reason column",
			(unsigned long long)run.counts.invalid, run.counts.invalid == 1 ? "" : "s",
			(unsigned long long)run.counts.read);
		st = sv_status_worst(st, SV_EDATA);
	}
	sv_run_release(&run);
	return st;
}
