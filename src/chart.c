/*
 * chart.c - the svg and headline formats.
 *
 * Text reaches the output one code point at a time through an emitter, so
 * that the same walk over a group's keys can measure a label, write it
 * XML-escaped and cut to fit, or write it plain, without building strings:
 * the bar chart and the headline allocate nothing, so they cannot fail
 * half-way.  A chart over time sorts its groups into periods and series
 * first; without the memory for that it draws the bar chart instead.
 */
#include "sv_chart.h"
#include "sv_utf8.h"

#include <stdlib.h>
#include <string.h>

#define EM_DASH "\xE2\x80\x94"
#define EN_DASH "\xE2\x80\x93"
#define ELLIPSIS "\xE2\x80\xA6"
#define POUND "\xC2\xA3"
#define REPLACEMENT "\xEF\xBF\xBD"
#define KEY_SEPARATOR " \xC2\xB7 "
#define SEPARATOR_WIDTH (41 + 83 + 41)

/*
 * Widths are estimated in tenths of a pixel of 13px DejaVu Sans, the widest
 * of the usual sans-serif fonts and the fallback where no other is
 * installed, so text cut to fit in it fits in Arial, Segoe UI or Roboto too.
 */
#define ELLIPSIS_WIDTH 130
/* A cut label ends at a word boundary unless that loses more than about
 * 12 characters. */
#define WORD_SLACK 840

/* ---- code points ------------------------------------------------------- */

typedef void emit_fn(void *ctx, const char *cp, size_t n);

struct emitter {
	emit_fn *fn;
	void *ctx;
};

static size_t sequence_length(unsigned char lead)
{
	return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

static uint32_t decode(const char *cp, size_t n)
{
	const unsigned char *u = (const unsigned char *)cp;
	static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	uint32_t c = u[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		c = c << 6 | (u[i] & 0x3Fu);
	return c;
}

/*
 * Emits one valid code point, made safe for a one-line label: control
 * characters (a newline in a CSV field, say) would break the line or, in
 * XML 1.0, the document; U+FFFE and U+FFFF are not XML characters either.
 */
static void emit_clean(const struct emitter *e, const char *cp, size_t n)
{
	uint32_t c = decode(cp, n);
	if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
		e->fn(e->ctx, " ", 1);
	else if (c == 0xFFFE || c == 0xFFFF)
		e->fn(e->ctx, REPLACEMENT, sizeof REPLACEMENT - 1);
	else
		e->fn(e->ctx, cp, n);
}

/* Merged results carry text sv-calc did not read itself, so invalid UTF-8
 * is still possible here; each bad byte becomes U+FFFD so that the output
 * stays valid UTF-8. */
static void emit_text(const struct emitter *e, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t valid = i + sv_utf8_valid_prefix(s + i, n - i);
		while (i < valid) {
			size_t len = sequence_length((unsigned char)s[i]);
			emit_clean(e, s + i, len);
			i += len;
		}
		if (i < n) {
			e->fn(e->ctx, REPLACEMENT, sizeof REPLACEMENT - 1);
			i++;
		}
	}
}

static void emit_str(const struct emitter *e, const char *s)
{
	emit_text(e, s, strlen(s));
}

/* DejaVu Sans advance widths of ' ' to '~' at 13px, in tenths of a pixel. */
static const unsigned char ascii_width[95] = {
	41, 52, 60, 109, 83, 124, 101, 36, 51, 51, 65, 109, 41, 47, 41, 44,  /*  !"#$%&'()*+,-./ */
	83, 83, 83, 83, 83, 83, 83, 83, 83, 83, 44, 44, 109, 109, 109, 69,   /* 0-9:;<=>? */
	130, 89, 89, 91, 100, 82, 75, 101, 98, 38, 38, 85, 72, 112, 97, 102, /* @A-O */
	78, 102, 90, 83, 79, 95, 89, 129, 89, 79, 89, 51, 44, 51, 109, 65,   /* P-Z[\\]^_ */
	65, 80, 83, 71, 83, 80, 46, 83, 82, 36, 36, 75, 36, 127, 82, 80,     /* `a-o */
	83, 83, 53, 68, 51, 82, 77, 106, 77, 77, 68, 83, 44, 83, 109};       /* p-z{|}~ */

/* East Asian wide characters and emoji take a full em; other letters are
 * taken at the width of an accented lower-case one. */
static size_t cp_width(const char *cp, size_t n)
{
	uint32_t c = decode(cp, n);
	if (c >= 0x20 && c < 0x7F)
		return ascii_width[c - 0x20];
	bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
		    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
		    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
		    (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x1F300 || (c >= 0x2010 && c <= 0x206F);
	return wide ? 130 : 83;
}

/* ---- sinks --------------------------------------------------------------- */

/* Measures text, and notes where the last space that starts within limit
 * is, so that a cut can fall between words. */
struct measure {
	size_t units, limit, last_space;
};

static void measure_fn(void *ctx, const char *cp, size_t n)
{
	struct measure *m = ctx;
	if (n == 1 && cp[0] == ' ' && m->units < m->limit)
		m->last_space = m->units;
	m->units += cp_width(cp, n);
}

static void plain_fn(void *ctx, const char *cp, size_t n)
{
	fwrite(cp, 1, n, (FILE *)ctx);
}

static void xml_escaped(FILE *out, const char *cp, size_t n)
{
	switch (cp[0]) {
	case '&': fputs("&amp;", out); break;
	case '<': fputs("&lt;", out); break;
	case '>': fputs("&gt;", out); break;
	case '"': fputs("&quot;", out); break;
	case '\'': fputs("&apos;", out); break;
	default: fwrite(cp, 1, n, out);
	}
}

/* Writes XML-escaped text up to a width budget.  Spaces are held back until
 * something follows them, so a cut label ends "word…", not "word …". */
struct fit {
	FILE *out;
	size_t budget, used, spaces;
	bool cut;
};

static void fit_fn(void *ctx, const char *cp, size_t n)
{
	struct fit *f = ctx;
	size_t w = cp_width(cp, n);
	if (f->cut || f->used + w > f->budget) {
		f->cut = true;
		return;
	}
	f->used += w;
	if (n == 1 && cp[0] == ' ') {
		f->spaces++;
		return;
	}
	for (; f->spaces; f->spaces--)
		fputc(' ', f->out);
	xml_escaped(f->out, cp, n);
}

/* Collects text into a buffer, whole code points only. */
struct buffer {
	char *buf;
	size_t cap, len;
	bool full;
};

static void buffer_fn(void *ctx, const char *cp, size_t n)
{
	struct buffer *b = ctx;
	if (b->full || b->len + n >= b->cap) {
		b->full = true;
		return;
	}
	memcpy(b->buf + b->len, cp, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

/* ---- what the text says ------------------------------------------------ */

/* As the table format shows a key: themes and measures by name. */
static void key_text(const struct sv_result *r, size_t k, const struct sv_key_value *kv,
		     const char **s, size_t *n, char *buf)
{
	const struct sv_proxy_table *t = r->table;
	enum sv_key_kind kind = r->keys[k].kind;
	switch (kind) {
	case SV_KEY_THEME: *s = t->themes[kv->num].name; break;
	case SV_KEY_MEASURE: *s = t->measures[kv->num].name; break;
	case SV_KEY_VALUE_TYPE: *s = sv_value_type_name((enum sv_value_type)kv->num); break;
	case SV_KEY_COLUMN:
	case SV_KEY_FILE:
		if (kv->len == 0) {
			*s = "(blank)";
			break;
		}
		*s = kv->str;
		*n = kv->len;
		return;
	default:
		sv_period_format(buf, sv_key_period(kind), (int32_t)kv->num);
		*s = buf;
		break;
	}
	*n = strlen(*s);
}

/* Theme names read "Jobs: promote local skills and employment"; a sentence
 * wants only the part before the colon. */
static size_t brief_length(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t len = colon ? (size_t)(colon - s) : n;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len ? len : n;
}

static bool record_only(const struct sv_group *g)
{
	return g->valued_records == 0 && g->records > 0;
}

/* One key of a group's label, as the headline (brief) or the chart shows it. */
static void walk_key(const struct emitter *e, const struct sv_result *r, const struct sv_group *g,
		     size_t k, bool brief)
{
	const char *s;
	size_t n;
	char period[SV_PERIOD_TEXT_MAX];
	key_text(r, k, &g->keys[k], &s, &n, period);
	if (brief && r->keys[k].kind == SV_KEY_THEME)
		n = brief_length(s, n);
	emit_text(e, s, n);
}

static void walk_label(const struct emitter *e, const struct sv_result *r, const struct sv_group *g,
		       bool brief)
{
	for (size_t k = 0; k < r->n_keys; k++) {
		if (k)
			emit_str(e, KEY_SEPARATOR);
		walk_key(e, r, g, k, brief);
	}
}

static const char *key_phrase(const struct sv_result *r, size_t k)
{
	switch (r->keys[k].kind) {
	case SV_KEY_THEME: return "theme";
	case SV_KEY_MEASURE: return "measure";
	case SV_KEY_VALUE_TYPE: return "value type";
	case SV_KEY_MONTH: return "month";
	case SV_KEY_QUARTER: return "quarter";
	case SV_KEY_FQ: return "financial quarter";
	case SV_KEY_YEAR: return "year";
	case SV_KEY_FY: return "financial year";
	case SV_KEY_FILE: return "file";
	case SV_KEY_COLUMN: break;
	}
	return r->keys[k].column ? r->keys[k].column : r->key_names[k];
}

/* "Social value by theme and site — sv-calc open proxies 2026.1" */
static void walk_title(const struct emitter *e, const struct sv_result *r, bool with_table)
{
	emit_str(e, sv_result_is_net(r) ? "Net social value" : "Social value");
	for (size_t k = 0; k < r->n_keys; k++) {
		emit_str(e, k == 0 ? " by " : k + 1 == r->n_keys ? " and " : ", ");
		emit_str(e, key_phrase(r, k));
	}
	if (!with_table)
		return;
	emit_str(e, " " EM_DASH " ");
	emit_str(e, r->table->name);
	emit_str(e, " ");
	emit_str(e, r->table->version);
}

/* Text the chart fits into a width: the title (no group), a group's whole
 * label (key ALL_KEYS) or one key of it. */
#define ALL_KEYS SIZE_MAX

struct source {
	const struct sv_result *r;
	const struct sv_group *group;
	size_t key;
	bool series; /* a chart over time's legend: every key but the period */
	bool bare;   /* the title without the table */
};

/* The key a chart over time runs along: the first period key (SIZE_MAX:
 * none). */
static size_t period_axis(const struct sv_result *r)
{
	for (size_t k = 0; k < r->n_keys; k++)
		if (sv_key_is_period(r->keys[k].kind))
			return k;
	return SIZE_MAX;
}

/* A series of a chart over time: its keys but the period, themes brief. */
static void walk_series(const struct emitter *e, const struct sv_result *r, const struct sv_group *g)
{
	size_t axis = period_axis(r);
	bool first = true;
	for (size_t k = 0; k < r->n_keys; k++) {
		if (k == axis)
			continue;
		if (!first)
			emit_str(e, KEY_SEPARATOR);
		first = false;
		walk_key(e, r, g, k, true);
	}
}

static void walk(const struct emitter *e, const struct source *src)
{
	if (!src->group)
		walk_title(e, src->r, !src->bare);
	else if (src->series)
		walk_series(e, src->r, src->group);
	else if (src->key == ALL_KEYS)
		walk_label(e, src->r, src->group, false);
	else
		walk_key(e, src->r, src->group, src->key, false);
}

static size_t width_of(const struct source *src)
{
	struct measure m = {0, 0, 0};
	walk(&(struct emitter){measure_fn, &m}, src);
	return m.units;
}

/* How much of the text fits in limit with an ellipsis after it:
 * all of it if it fits whole, else up to the last space when that loses
 * no more than a short word, else as much as fits. */
static size_t fitting_units(const struct source *src, size_t limit)
{
	size_t room = limit > ELLIPSIS_WIDTH ? limit - ELLIPSIS_WIDTH : 0;
	struct measure m = {0, room, 0};
	walk(&(struct emitter){measure_fn, &m}, src);
	if (m.units <= limit)
		return limit;
	size_t slack = limit / 4 < WORD_SLACK ? limit / 4 : WORD_SLACK;
	return m.last_space && m.last_space + slack >= room ? m.last_space : room;
}

/* Writes the text escaped, cut with an ellipsis when wider than limit. */
static void write_fitted(FILE *out, const struct source *src, size_t limit)
{
	struct fit f = {out, fitting_units(src, limit), 0, 0, false};
	walk(&(struct emitter){fit_fn, &f}, src);
	if (f.cut)
		fputs(ELLIPSIS, out);
	else
		for (; f.spaces; f.spaces--)
			fputc(' ', out);
}

/*
 * Shares limit among the keys of a label so that what tells groups
 * apart survives a cut: keys narrower than an equal share keep all their
 * text, and the rest split what is left.  Cutting the joined label at its
 * end instead would drop the later keys of every long first key alike.
 */
static void share_width(const struct sv_result *r, const struct sv_group *g, size_t limit,
			size_t *budget)
{
	size_t n = r->n_keys, open = n;
	if (n == 0)
		return;
	size_t seps = SEPARATOR_WIDTH * (n - 1), least = 2 * ELLIPSIS_WIDTH * n;
	size_t left = limit > seps + least ? limit - seps : least;
	bool done[SV_MAX_KEYS] = {false};
	for (size_t k = 0; k < n; k++)
		budget[k] = width_of(&(struct source){r, g, k, false, false});
	for (bool changed = true; changed && open;) {
		changed = false;
		size_t share = left / open;
		for (size_t k = 0; k < n; k++) {
			if (done[k] || budget[k] > share)
				continue;
			done[k] = changed = true;
			left -= budget[k];
			open--;
		}
	}
	size_t share = open ? left / open : 0, extra = open ? left % open : 0;
	for (size_t k = 0; k < n; k++) {
		if (done[k])
			continue;
		budget[k] = share + (extra ? 1 : 0);
		extra -= extra ? 1 : 0;
	}
}

static void write_label(FILE *out, const struct sv_result *r, const struct sv_group *g, size_t limit)
{
	size_t budget[SV_MAX_KEYS];
	share_width(r, g, limit, budget);
	for (size_t k = 0; k < r->n_keys; k++) {
		if (k)
			fputs(KEY_SEPARATOR, out);
		write_fitted(out, &(struct source){r, g, k, false, false}, budget[k]);
	}
}

static void write_records(FILE *out, uint64_t n)
{
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_count(buf, n, true);
	fprintf(out, "%s record%s", buf, n == 1 ? "" : "s");
}

/* ---- 3 significant figures ------------------------------------------------ */

static sv_uamount pow10u(unsigned e)
{
	sv_uamount p = 1;
	while (e--)
		p *= 10;
	return p;
}

static unsigned digit_count(sv_uamount v)
{
	unsigned d = 1;
	for (; v >= 10; v /= 10)
		d++;
	return d;
}

/* mant x 10^exp pence, mant below 1000. */
struct sig3 {
	sv_uamount mant;
	unsigned exp;
};

static struct sig3 round_sig3(sv_uamount pence)
{
	unsigned d = digit_count(pence);
	if (d <= 3)
		return (struct sig3){pence, 0};
	sv_uamount div = pow10u(d - 3), q = pence / div, rem = pence % div;
	if (rem >= div - rem) /* rem * 2 >= div, without the overflow */
		q++;
	if (q == 1000)
		return (struct sig3){100, d - 2};
	return (struct sig3){q, d - 3};
}

/* Digits, with ',' every three from the right. */
static size_t put_grouped(char *buf, const char *digits, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	return o;
}

/* "abc" as "a.bc", "ab.c", "abc" or "abc000..." for a shift of -2 up. */
static size_t put_scaled(char *buf, sv_uamount mant, int shift)
{
	char digits[48];
	snprintf(digits, sizeof digits, "%03u", (unsigned)mant);
	if (shift < 0) {
		size_t whole = (size_t)(3 + shift);
		memcpy(buf, digits, whole);
		buf[whole] = '.';
		memcpy(buf + whole + 1, digits + whole, 3 - whole);
		return 4;
	}
	memset(digits + 3, '0', (size_t)shift);
	return put_grouped(buf, digits, 3 + (size_t)shift);
}

/* Under £1,000 a figure is written as money: whole pounds when it has no
 * pence left after rounding, else pounds and pence. */
static size_t put_pounds(char *buf, sv_uamount pence)
{
	unsigned pounds = (unsigned)(pence / 100), p = (unsigned)(pence % 100);
	if (p)
		return (size_t)sprintf(buf, "%u.%02u", pounds, p);
	return (size_t)sprintf(buf, "%u", pounds);
}

/* The short form of a figure (see sv_chart.h); lead selects the words
 * " million" and " billion" over "m" and "bn". */
static void format_brief(char *buf, sv_amount pence, bool lead)
{
	static const char *const unit_short[] = {"k", "m", "bn"};
	static const char *const unit_long[] = {"k", " million", " billion"};
	sv_uamount mag = pence < 0 ? (sv_uamount)0 - (sv_uamount)pence : (sv_uamount)pence;
	struct sig3 f = round_sig3(mag);
	size_t o = 0;
	if (pence < 0)
		buf[o++] = '-';
	memcpy(buf + o, POUND, sizeof POUND - 1);
	o += sizeof POUND - 1;
	if (f.mant * pow10u(f.exp) < 100000) {
		o += put_pounds(buf + o, f.mant * pow10u(f.exp));
		buf[o] = '\0';
		return;
	}
	/* from £1,000 on mant has exactly 3 digits and exp >= 3 */
	unsigned pound_digits = f.exp + 1;
	size_t unit = pound_digits <= 6 ? 0 : pound_digits <= 9 ? 1 : 2;
	int shift = (int)f.exp - 2 - 3 * (int)(unit + 1);
	o += put_scaled(buf + o, f.mant, shift);
	strcpy(buf + o, lead ? unit_long[unit] : unit_short[unit]);
}

/* ---- headline ------------------------------------------------------------ */

/* A figure as the headline writes it; an overflowing one says so rather
 * than print a wrong number. */
static void brief_figure(char *buf, const struct sv_result *r, const struct sv_group *g, bool lead)
{
	sv_amount pence;
	if (sv_result_lead_pence(r, g, &pence))
		format_brief(buf, pence, lead);
	else
		strcpy(buf, "overflow");
}

size_t sv_chart_label(char *buf, size_t cap, const struct sv_result *r, const struct sv_group *g)
{
	struct buffer b = {buf, cap, 0, cap == 0};
	if (cap)
		buf[0] = '\0';
	walk_label(&(struct emitter){buffer_fn, &b}, r, g, true);
	return b.len;
}

static void headline_group(FILE *out, const struct sv_result *r, const struct sv_group *g)
{
	walk_label(&(struct emitter){plain_fn, out}, r, g, true);
	fputc(' ', out);
	if (record_only(g)) {
		write_records(out, g->records);
		return;
	}
	char buf[SV_MONEY_TEXT_MAX];
	brief_figure(buf, r, g, false);
	fputs(buf, out);
}

/* "of gross social value", "of net social value at 2025/26 prices" */
static void headline_basis(FILE *out, const struct sv_result *r)
{
	fputs(sv_result_is_net(r) ? " of net social value" : " of gross social value", out);
	if (r->price_basis)
		fprintf(out, " at %s", r->price_basis);
}

/* ", up 12.3% on the previous £1.86 million": for the year-on-year line */
static void compare_phrase(char *buf, size_t cap, const struct sv_result *r, bool lead)
{
	sv_amount previous, change, tenths;
	bool has_pct;
	buf[0] = '\0';
	if (!r->previous || !sv_result_change(r, NULL, &previous, &change, &tenths, &has_pct))
		return;
	char was[SV_MONEY_TEXT_MAX], pct[SV_MONEY_TEXT_MAX];
	if (lead)
		format_brief(was, previous, true);
	else
		sv_format_pence_pretty(was, previous);
	if (!has_pct)
		snprintf(buf, cap, ", against the previous %s", was);
	else if (tenths == 0)
		snprintf(buf, cap, ", unchanged from the previous %s", was);
	else {
		sv_format_tenths(pct, tenths < 0 ? -tenths : tenths);
		snprintf(buf, cap, ", %s %s%% on the previous %s", tenths < 0 ? "down" : "up", pct, was);
	}
}

void sv_format_headline(FILE *out, const struct sv_result *r)
{
	char buf[SV_MONEY_TEXT_MAX];
	brief_figure(buf, r, NULL, true);
	fputs(buf, out);
	headline_basis(out, r);
	for (size_t i = 0; i < r->n_groups; i++) {
		fputs(i ? ", " : " (", out);
		headline_group(out, r, r->groups[i]);
	}
	if (r->n_groups)
		fputc(')', out);
	fputs(" from ", out);
	write_records(out, r->total_records);
	char versus[160];
	compare_phrase(versus, sizeof versus, r, true);
	fputs(versus, out);
	sv_amount pence;
	bool ok = sv_result_lead_pence(r, NULL, &pence);
	if (ok)
		sv_format_pence_pretty(buf, pence);
	fprintf(out, "; exact %stotal %s.\n", sv_result_is_net(r) ? "net " : "", ok ? buf : "overflow");
}

/* ---- svg ------------------------------------------------------------------ */

/* Geometry in px, and text room in the width units above. */
enum {
	SVG_WIDTH = 800,
	MARGIN = 16,
	LABEL_END = 330,
	BAR_X = 340,
	ROW_PITCH = 30,
	BAR_HEIGHT = 20,
	VALUE_GAP = 6,
	MIN_BAR = 200,
	LABEL_ROOM = (LABEL_END - MARGIN) * 10,
	/* 768 px of 18px bold is about 1.55 times as much text as 13px */
	TITLE_ROOM = 4900,
	TITLE_Y = 34,
	LINE_GAP = 22,
	BODY_GAP = 28
};

#define FONT_FAMILY                                                                                  \
	"system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, Liberation Sans, "       \
	"DejaVu Sans, sans-serif"
#define INK "#1b1b1b"
#define MUTED "#595959"
#define BAR_FILL "#2b6a99"
#define AXIS "#8c8c8c"

struct layout {
	unsigned width, height;
	unsigned full_bar; /* px of the largest value's bar */
	unsigned top;      /* y of the first bar */
	sv_amount max;     /* the largest group figure, in pence */
	bool any_record_only;
};

/* The group's lead figure in pence (0 for record-only or overflow). */
static sv_amount bar_pence(const struct sv_result *r, const struct sv_group *g)
{
	sv_amount pence;
	return sv_result_lead_pence(r, g, &pence) ? pence : 0;
}

static size_t value_label(char *buf, const struct sv_result *r, const struct sv_group *g)
{
	sv_amount pence;
	if (record_only(g))
		return (size_t)sprintf(buf, "%s", EM_DASH);
	if (!sv_result_lead_pence(r, g, &pence))
		return (size_t)sprintf(buf, "overflow");
	return sv_format_pence_pretty(buf, pence);
}

/* The total as the chart states it. */
static void total_label(char *buf, const struct sv_result *r)
{
	sv_amount pence;
	if (sv_result_lead_pence(r, NULL, &pence))
		sv_format_pence_pretty(buf, pence);
	else
		strcpy(buf, "overflow");
}

/* Pixels a figure takes at 12px, rounded up. */
static unsigned figure_px(const char *s)
{
	struct measure m = {0, 0, 0};
	emit_str(&(struct emitter){measure_fn, &m}, s);
	return (unsigned)((m.units * 12 + 129) / 130);
}

static struct layout plan(const struct sv_result *r)
{
	struct layout l = {0};
	unsigned widest = 0;
	for (size_t i = 0; i < r->n_groups; i++) {
		char buf[SV_MONEY_TEXT_MAX];
		value_label(buf, r, r->groups[i]);
		unsigned w = figure_px(buf);
		widest = w > widest ? w : widest;
		sv_amount pence = bar_pence(r, r->groups[i]);
		if (pence > l.max)
			l.max = pence;
		l.any_record_only |= record_only(r->groups[i]);
	}
	unsigned value_room = widest + VALUE_GAP + 2;
	/* a chart of huge figures grows wider rather than losing its bars */
	l.full_bar = SVG_WIDTH - MARGIN - BAR_X - value_room;
	if (value_room > SVG_WIDTH - MARGIN - BAR_X - MIN_BAR)
		l.full_bar = MIN_BAR;
	l.width = BAR_X + l.full_bar + value_room + MARGIN;
	const struct sv_provenance *p = r->provenance;
	bool period = p && (p->has_from || p->has_to);
	l.top = TITLE_Y + LINE_GAP * (period ? 2u : 1u) + BODY_GAP;
	unsigned rows = r->n_groups ? (unsigned)r->n_groups : 1;
	l.height = l.top + rows * ROW_PITCH + (l.any_record_only ? LINE_GAP : 0) + 8;
	return l;
}

/*
 * A bar's length in 1/100 px, from the exact sums: full x value / max,
 * rounded.  Both are halved together until the product cannot overflow,
 * which moves a bar by less than 2^-80 of its full length.
 */
static unsigned long bar_centipx(sv_amount value, sv_amount max, unsigned full_px)
{
	if (value <= 0 || max <= 0)
		return 0;
	sv_uamount v = (sv_uamount)value, m = (sv_uamount)max, full = (sv_uamount)full_px * 100;
	while (m >> 100) {
		v >>= 1;
		m >>= 1;
	}
	return (unsigned long)((v * full + m / 2) / m);
}

static const char *const month_names[] = {"January", "February", "March",     "April",
					  "May",     "June",     "July",      "August",
					  "September", "October", "November", "December"};

static void write_date(FILE *out, int32_t ymd)
{
	int month = (int)(ymd / 100 % 100);
	const char *name = month >= 1 && month <= 12 ? month_names[month - 1] : "?";
	fprintf(out, "%d %s %d", (int)(ymd % 100), name, (int)(ymd / 10000));
}

static void svg_period(FILE *out, const struct sv_provenance *p, unsigned y)
{
	if (!p || (!p->has_from && !p->has_to))
		return;
	fprintf(out, "<text x=\"%d\" y=\"%u\" fill=\"" MUTED "\">Records dated ", MARGIN, y);
	if (p->has_from && p->has_to) {
		write_date(out, p->from);
		fputs(" " EN_DASH " ", out);
		write_date(out, p->to);
	} else if (p->has_from) {
		fputs("from ", out);
		write_date(out, p->from);
	} else {
		fputs("up to ", out);
		write_date(out, p->to);
	}
	fputs("</text>\n", out);
}

/* "2026/27 prices, gross": under the title, where it is never cut short. */
static void write_basis(FILE *out, const struct sv_result *r)
{
	const char *basis = r->price_basis ? r->price_basis : "price year not given";
	xml_escaped(out, basis, strlen(basis));
	fputs(sv_result_is_net(r) ? ", net" : ", gross", out);
}

static void svg_heading(FILE *out, const struct sv_result *r)
{
	char buf[SV_MONEY_TEXT_MAX];
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"18\" font-weight=\"bold\" fill=\"" INK "\">",
		MARGIN, TITLE_Y);
	write_fitted(out, &(struct source){r, NULL, 0, false, false}, TITLE_ROOM);
	total_label(buf, r);
	fprintf(out, "</text>\n<text x=\"%d\" y=\"%d\" fill=\"" MUTED "\">%s %s from ", MARGIN,
		TITLE_Y + LINE_GAP, sv_result_is_net(r) ? "Net total" : "Total", buf);
	write_records(out, r->total_records);
	char versus[160];
	compare_phrase(versus, sizeof versus, r, false);
	fputs(versus, out);
	fputs("; ", out);
	write_basis(out, r);
	fputs("</text>\n", out);
	svg_period(out, r->provenance, TITLE_Y + 2 * LINE_GAP);
}

static void svg_bar(FILE *out, const struct sv_result *r, const struct sv_group *g,
		    const struct layout *l, unsigned y)
{
	char value[SV_MONEY_TEXT_MAX];
	value_label(value, r, g);
	fputs("<g>\n<title>", out);
	write_fitted(out, &(struct source){r, g, ALL_KEYS, false, false}, SIZE_MAX);
	fprintf(out, ": %s (", value);
	write_records(out, g->records);
	fprintf(out, ")</title>\n<text x=\"%d\" y=\"%u\" text-anchor=\"end\" fill=\"" INK "\">",
		LABEL_END, y + 14);
	write_label(out, r, g, LABEL_ROOM);
	fputs("</text>\n", out);
	unsigned long w = record_only(g) ? 0 : bar_centipx(bar_pence(r, g), l->max, l->full_bar);
	if (w)
		fprintf(out,
			"<rect class=\"bar\" x=\"%d\" y=\"%u\" width=\"%lu.%02lu\" height=\"%d\" "
			"fill=\"" BAR_FILL "\"/>\n",
			BAR_X, y, w / 100, w % 100, BAR_HEIGHT);
	unsigned long x = (unsigned long)(BAR_X + VALUE_GAP) * 100 + w;
	fprintf(out,
		"<text class=\"value\" x=\"%lu.%02lu\" y=\"%u\" font-size=\"12\" fill=\"" INK
		"\">%s</text>\n</g>\n",
		x / 100, x % 100, y + 14, value);
}

static void svg_body(FILE *out, const struct sv_result *r, const struct layout *l)
{
	if (r->n_groups == 0) {
		fprintf(out, "<text x=\"%d\" y=\"%u\" fill=\"" MUTED "\">No records to chart.</text>\n",
			MARGIN, l->top + 14);
		return;
	}
	for (size_t i = 0; i < r->n_groups; i++)
		svg_bar(out, r, r->groups[i], l, l->top + (unsigned)i * ROW_PITCH);
	unsigned bottom = l->top + (unsigned)r->n_groups * ROW_PITCH;
	fprintf(out, "<line x1=\"%d\" y1=\"%u\" x2=\"%d\" y2=\"%u\" stroke=\"" AXIS "\"/>\n", BAR_X,
		l->top - 5, BAR_X, bottom - 5);
	if (l->any_record_only)
		fprintf(out,
			"<text x=\"%d\" y=\"%u\" font-size=\"12\" fill=\"" MUTED "\">" EM_DASH
			" record-only measures: records counted, no " POUND " value</text>\n",
			MARGIN, bottom + 12);
}

/* The <svg> start tag: a standalone document declares itself and its
 * namespace; inside an HTML page the parser gives it the namespace, so
 * the page names no address it does not link to. */
static void svg_start(FILE *out, unsigned width, unsigned height, bool standalone)
{
	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"", out);
	else
		fputs("<svg class=\"chart\" role=\"img\"", out);
	fprintf(out,
		" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"" FONT_FAMILY
		"\" font-size=\"13\">\n<title>",
		width, height, width, height);
}

/* ---- charts over time ------------------------------------------------------- */

/*
 * With a period among the keys the groups are drawn as columns over time:
 * a cluster per period, in it a column per series (the values of the other
 * keys), each with its figure above it.  Series are told apart by fills of
 * distinct lightness, half of them patterned, so that a page printed in
 * grey still tells them apart; the legend shows each fill.  When columns
 * would be too thin to read, each period's series are stacked in one
 * column under the period's total instead.  More series than fills fold
 * the smallest into "Other", whose figures are the exact sums of theirs.
 */

enum {
	MAX_SERIES = 6,
	PLOT_HEIGHT = 280,
	MAX_COLUMN = 56,  /* px: wider columns read as blocks */
	MIN_GROUPED = 14, /* px: thinner grouped columns are stacked instead */
	MIN_PITCH = 24,   /* px per period at least: the chart widens */
	COLUMN_GAP = 2,   /* px between the columns of a cluster */
	SWATCH = 14,
	LEGEND_ROW = 22,
	LEGEND_ROOM = 3600, /* a legend label, in the width units above */
	TICKS_MAX = 5,
	FIGURE_FONT = 11,
	PERIOD_FONT = 12
};

#define GRID "#e3e3e3"
#define OUTLINE "#1b1b1b"
#define NOT_SHOWN SIZE_MAX

/* Dark, light, middling; then the same steps patterned (lightness about
 * 32, 76, 52, 30, 84 and 72 in CIE L*). */
static const char *const series_fill[MAX_SERIES] = {"#1f4e79",      "#f2b134",      "url(#svc-s2)",
						    "url(#svc-s3)", "url(#svc-s4)", "url(#svc-s5)"};

static const char series_patterns[] =
	"<defs>\n"
	"<pattern id=\"svc-s2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	"patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#3a8f84\"/>"
	"<rect width=\"2\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.55\"/></pattern>\n"
	"<pattern id=\"svc-s3\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
	"<rect width=\"6\" height=\"6\" fill=\"#5e2f73\"/><circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"#ffffff\"/>"
	"</pattern>\n"
	"<pattern id=\"svc-s4\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	"patternTransform=\"rotate(-45)\"><rect width=\"6\" height=\"6\" fill=\"#b7dcf2\"/>"
	"<rect width=\"1.6\" height=\"6\" fill=\"#1f4e79\"/></pattern>\n"
	"<pattern id=\"svc-s5\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
	"<rect width=\"6\" height=\"6\" fill=\"#cfcfcf\"/><rect width=\"6\" height=\"1.6\" fill=\"#6e6e6e\"/>"
	"</pattern>\n"
	"</defs>\n";

struct tc_series {
	size_t first;    /* its first group in result order: it names the series */
	size_t id;       /* its place before sorting */
	sv_uamount size; /* its positive figures added, to rank it */
	bool valued;     /* some group of it has a pound figure */
	size_t column;   /* its column in each cluster, or NOT_SHOWN */
};

struct tc_cell {
	bool any;         /* records in it */
	bool ok;          /* a figure (neither record-only nor overflow) */
	bool record_only; /* records, none with a pound value */
	sv_amount pence;
	uint64_t records;
};

struct timechart {
	const struct sv_result *r;
	size_t axis;
	int64_t *periods;
	size_t n_periods;
	struct tc_series *series;
	size_t n_series;
	size_t *series_of, *period_of; /* per group */
	/* the groups of period p, by index: by_period[at[p]] to
	 * by_period[at[p + 1] - 1] */
	size_t *by_period;
	size_t *at;
	size_t n_columns, n_other; /* the last column folds n_other series */
	struct tc_cell *cells;     /* [column * n_periods + period] */
	struct tc_cell *totals;    /* per period: all of its groups */
	bool any_record_only;
	/* layout: px, or 1/100 px for names ending _c */
	bool stacked, rotate_figures, rotate_periods;
	unsigned width, height, plot_x, plot_right, legend_top, legend_rows, plot_top, base, bottom;
	unsigned long pitch_c, column_c, cluster_c;
	sv_uamount top, step;
	unsigned n_ticks;
};

/* ---- periods and series ---- */

static const struct timechart *sorting; /* qsort passes no context */

static int compare_periods(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

/* Orders groups by every key but the period: equal for one series. */
static int series_keys_cmp(const struct timechart *c, const struct sv_group *a, const struct sv_group *b)
{
	const struct sv_result *r = c->r;
	for (size_t k = 0; k < r->n_keys; k++) {
		const struct sv_key_value *x = &a->keys[k], *y = &b->keys[k];
		if (k == c->axis)
			continue;
		if (sv_key_is_text(r->keys[k].kind)) {
			size_t n = x->len < y->len ? x->len : y->len;
			int d = n ? memcmp(x->str, y->str, n) : 0;
			if (d || x->len != y->len)
				return d ? d : x->len < y->len ? -1 : 1;
		} else if (x->num != y->num)
			return x->num < y->num ? -1 : 1;
	}
	return 0;
}

/* Group indices by series, then result order, so a series' groups are
 * adjacent and its first group leads them. */
static int compare_by_series(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int d = series_keys_cmp(sorting, sorting->r->groups[a], sorting->r->groups[b]);
	return d ? d : a < b ? -1 : a > b;
}

static int compare_first(const void *pa, const void *pb)
{
	const struct tc_series *a = pa, *b = pb;
	return a->first < b->first ? -1 : a->first > b->first;
}

static bool find_periods(struct timechart *c)
{
	const struct sv_result *r = c->r;
	for (size_t i = 0; i < r->n_groups; i++)
		c->periods[i] = r->groups[i]->keys[c->axis].num;
	qsort(c->periods, r->n_groups, sizeof *c->periods, compare_periods);
	for (size_t i = 0; i < r->n_groups; i++)
		if (i == 0 || c->periods[i] != c->periods[c->n_periods - 1])
			c->periods[c->n_periods++] = c->periods[i];
	for (size_t i = 0; i < r->n_groups; i++) {
		int64_t key = r->groups[i]->keys[c->axis].num;
		const int64_t *p = bsearch(&key, c->periods, c->n_periods, sizeof key, compare_periods);
		c->period_of[i] = (size_t)(p - c->periods);
	}
	/* the groups of each period together, in result order */
	memset(c->at, 0, (c->n_periods + 1) * sizeof *c->at);
	for (size_t i = 0; i < r->n_groups; i++)
		c->at[c->period_of[i] + 1]++;
	for (size_t p = 0; p < c->n_periods; p++)
		c->at[p + 1] += c->at[p];
	for (size_t i = 0; i < r->n_groups; i++)
		c->by_period[c->at[c->period_of[i]]++] = i;
	for (size_t p = c->n_periods; p > 0; p--)
		c->at[p] = c->at[p - 1];
	c->at[0] = 0;
	return true;
}

/* Positive figures added for ranking only, so saturating is enough. */
static void add_size(sv_uamount *size, sv_amount pence)
{
	if (pence <= 0)
		return;
	sv_uamount sum = *size + (sv_uamount)pence;
	*size = sum < *size ? ~(sv_uamount)0 : sum;
}

static bool find_series(struct timechart *c)
{
	const struct sv_result *r = c->r;
	size_t *order = malloc(r->n_groups * sizeof *order);
	size_t *renumber = malloc(r->n_groups * sizeof *renumber);
	bool ok = order && renumber;
	for (size_t i = 0; ok && i < r->n_groups; i++)
		order[i] = i;
	sorting = c;
	if (ok)
		qsort(order, r->n_groups, sizeof *order, compare_by_series);
	for (size_t i = 0; ok && i < r->n_groups; i++) {
		const struct sv_group *g = r->groups[order[i]];
		if (i == 0 || series_keys_cmp(c, r->groups[order[i - 1]], g) != 0) {
			c->series[c->n_series] = (struct tc_series){order[i], c->n_series, 0, false, NOT_SHOWN};
			c->n_series++;
		}
		struct tc_series *s = &c->series[c->n_series - 1];
		c->series_of[order[i]] = c->n_series - 1;
		sv_amount pence;
		s->valued |= g->valued_records > 0;
		if (sv_result_lead_pence(r, g, &pence))
			add_size(&s->size, pence);
	}
	/* series in the order their first group comes in the result */
	if (ok) {
		qsort(c->series, c->n_series, sizeof *c->series, compare_first);
		for (size_t s = 0; s < c->n_series; s++)
			renumber[c->series[s].id] = s;
		for (size_t i = 0; i < r->n_groups; i++)
			c->series_of[i] = renumber[c->series_of[i]];
	}
	free(order);
	free(renumber);
	return ok;
}

struct ranked {
	sv_uamount size;
	size_t series;
};

static int compare_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return a->series < b->series ? -1 : a->series > b->series;
}

/* The series with pound figures get a column each, up to MAX_SERIES; past
 * that the largest MAX_SERIES - 1 do, in result order, and "Other" the rest. */
static bool choose_columns(struct timechart *c)
{
	size_t valued = 0;
	for (size_t s = 0; s < c->n_series; s++)
		valued += c->series[s].valued;
	c->any_record_only = valued < c->n_series;
	for (size_t i = 0; i < c->r->n_groups; i++)
		c->any_record_only |= record_only(c->r->groups[i]);
	if (valued <= MAX_SERIES) {
		for (size_t s = 0; s < c->n_series; s++)
			if (c->series[s].valued)
				c->series[s].column = c->n_columns++;
		return true;
	}
	struct ranked *rank = malloc(valued * sizeof *rank);
	if (!rank)
		return false;
	size_t n = 0;
	for (size_t s = 0; s < c->n_series; s++)
		if (c->series[s].valued)
			rank[n++] = (struct ranked){c->series[s].size, s};
	qsort(rank, n, sizeof *rank, compare_ranked);
	for (size_t i = 0; i < MAX_SERIES - 1; i++)
		c->series[rank[i].series].column = 0; /* numbered below */
	free(rank);
	for (size_t s = 0; s < c->n_series; s++) {
		if (c->series[s].column == 0)
			c->series[s].column = c->n_columns++;
		else if (c->series[s].valued) {
			c->series[s].column = MAX_SERIES - 1;
			c->n_other++;
		}
	}
	c->n_columns = MAX_SERIES;
	return true;
}

/* A cell's figure: one group's, or several added exactly. */
static void fill_cell(const struct sv_result *r, struct tc_cell *cell, const struct sv_group *const *groups, size_t n)
{
	bool valued = false;
	for (size_t i = 0; i < n; i++) {
		cell->any = true;
		cell->records += groups[i]->records;
		valued |= !record_only(groups[i]);
	}
	cell->record_only = cell->any && !valued;
	if (n == 1)
		cell->ok = sv_result_lead_pence(r, groups[0], &cell->pence);
	else if (valued)
		cell->ok = sv_result_lead_pence_sum(r, groups, n, &cell->pence);
}

/* Each period's cells: every group of it (the total), and each column's. */
static bool fill_cells(struct timechart *c)
{
	const struct sv_result *r = c->r;
	const struct sv_group **some = malloc(r->n_groups * sizeof *some);
	c->cells = calloc(c->n_columns * c->n_periods, sizeof *c->cells);
	c->totals = calloc(c->n_periods, sizeof *c->totals);
	if (!some || !c->cells || !c->totals) {
		free(some);
		return false;
	}
	for (size_t p = 0; p < c->n_periods; p++) {
		size_t n = 0;
		for (size_t i = c->at[p]; i < c->at[p + 1]; i++)
			some[n++] = r->groups[c->by_period[i]];
		fill_cell(r, &c->totals[p], some, n);
		for (size_t col = 0; col < c->n_columns; col++) {
			n = 0;
			for (size_t i = c->at[p]; i < c->at[p + 1]; i++)
				if (c->series[c->series_of[c->by_period[i]]].column == col)
					some[n++] = r->groups[c->by_period[i]];
			fill_cell(r, &c->cells[col * c->n_periods + p], some, n);
		}
	}
	free(some);
	return true;
}

/* ---- layout ---- */

/* Pixels text takes at a font size, rounded up. */
static unsigned text_px(const char *s, unsigned font)
{
	struct measure m = {0, 0, 0};
	emit_str(&(struct emitter){measure_fn, &m}, s);
	return (unsigned)((m.units * font + 129) / 130);
}

/* A column's figure as the headline writes one: "£1.65m". */
static void cell_figure(char *buf, const struct tc_cell *cell)
{
	if (!cell->any)
		buf[0] = '\0';
	else if (cell->record_only)
		strcpy(buf, EM_DASH);
	else if (!cell->ok)
		strcpy(buf, "overflow");
	else
		format_brief(buf, cell->pence, false);
}

static size_t uamount_digits(char *buf, sv_uamount v)
{
	char rev[48];
	size_t n = 0;
	do {
		rev[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = rev[n - 1 - i];
	return n;
}

/* A round figure on the axis: "£0", "£500", "£2.5k", "£1.5m", "£2bn". */
static void tick_text(char *buf, sv_uamount pence)
{
	static const char *const suffix[] = {"", "k", "m", "bn"};
	if (pence % 100) {
		sv_format_pence_pretty(buf, (sv_amount)pence);
		return;
	}
	sv_uamount pounds = pence / 100, unit = 1;
	unsigned u = 0;
	while (u < 3 && pounds / 1000 >= unit) {
		unit *= 1000;
		u++;
	}
	char digits[48];
	size_t o = sizeof POUND - 1;
	memcpy(buf, POUND, o);
	o += put_grouped(buf + o, digits, uamount_digits(digits, pounds / unit));
	sv_uamount frac = pounds % unit;
	if (frac) {
		size_t n = uamount_digits(digits, frac), places = 3 * u;
		buf[o++] = '.';
		for (size_t i = n; i < places; i++)
			buf[o++] = '0';
		while (n > 1 && digits[n - 1] == '0')
			n--;
		memcpy(buf + o, digits, n);
		o += n;
	}
	strcpy(buf + o, suffix[u]);
}

/* Steps of 1, 2 or 5 times a power of ten, at most TICKS_MAX of them to
 * reach the tallest column. */
static void nice_scale(struct timechart *c, sv_uamount max)
{
	static const unsigned mult[] = {1, 2, 5};
	if (max == 0) {
		c->step = c->top = 100;
		c->n_ticks = 1;
		return;
	}
	for (sv_uamount p10 = 1;; p10 *= 10) {
		for (size_t i = 0; i < 3; i++) {
			sv_uamount step = p10 * mult[i], n = max / step + (max % step != 0);
			if (n <= TICKS_MAX) {
				c->step = step;
				c->n_ticks = (unsigned)n;
				c->top = step * n;
				return;
			}
		}
	}
}

/* A length of value / top of px, in 1/100 px, as bar_centipx. */
static unsigned long scale_c(sv_uamount value, sv_uamount top, unsigned px)
{
	sv_uamount full = (sv_uamount)px * 100;
	if (value == 0 || top == 0)
		return 0;
	while (top >> 100) {
		value >>= 1;
		top >>= 1;
	}
	return (unsigned long)((value * full + top / 2) / top);
}

static sv_uamount positive(const struct tc_cell *cell)
{
	return cell->ok && cell->pence > 0 ? (sv_uamount)cell->pence : 0;
}

/* The tallest column: a cell's, or a period's stack. */
static sv_uamount tallest(const struct timechart *c, bool stacked)
{
	sv_uamount max = 0;
	for (size_t p = 0; p < c->n_periods; p++) {
		sv_uamount stack = 0;
		for (size_t col = 0; col < c->n_columns; col++) {
			sv_uamount v = positive(&c->cells[col * c->n_periods + p]), sum = stack + v;
			stack = sum < stack ? ~(sv_uamount)0 : sum;
			if (!stacked && v > max)
				max = v;
		}
		if (stacked && stack > max)
			max = stack;
	}
	return max;
}

/* The column widths for a pitch; false when grouped columns would be too
 * thin to read. */
static bool fit_columns(struct timechart *c, bool stacked)
{
	unsigned long n = stacked ? 1 : c->n_columns, gaps = (n - 1) * COLUMN_GAP * 100;
	unsigned long room = c->pitch_c - (n == 1 ? c->pitch_c * 2 / 5 : c->pitch_c / 4 > 1000 ? c->pitch_c / 4 : 1000);
	c->column_c = room > gaps ? (room - gaps) / n : 0;
	if (c->column_c > MAX_COLUMN * 100)
		c->column_c = MAX_COLUMN * 100;
	c->cluster_c = n * c->column_c + gaps;
	return stacked || n == 1 || c->column_c >= MIN_GROUPED * 100;
}

/* The plot's width: the room 800 px leave, or MIN_PITCH a period. */
static void fit_width(struct timechart *c, unsigned plot_x)
{
	unsigned plot_w = SVG_WIDTH - MARGIN - plot_x;
	if (plot_w < MIN_PITCH * c->n_periods)
		plot_w = MIN_PITCH * (unsigned)c->n_periods;
	c->plot_x = plot_x;
	c->plot_right = plot_x + plot_w;
	c->width = c->plot_right + MARGIN;
	c->pitch_c = (unsigned long)plot_w * 100 / c->n_periods;
}

/* The legend's label of a column. */
static void column_label(FILE *out, const struct timechart *c, size_t col, size_t limit)
{
	if (c->n_other && col == c->n_columns - 1) {
		fprintf(out, "Other (%zu)", c->n_other);
		return;
	}
	for (size_t s = 0; s < c->n_series; s++)
		if (c->series[s].column == col)
			write_fitted(out, &(struct source){c->r, c->r->groups[c->series[s].first], 0, true, false}, limit);
}

static unsigned column_label_px(const struct timechart *c, size_t col)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return LEGEND_ROOM / 10;
	column_label(mem, c, col, LEGEND_ROOM);
	fclose(mem);
	unsigned px = text ? text_px(text, 12) : LEGEND_ROOM / 10;
	free(text);
	return px;
}

/* Lays the legend out in rows, left to right, drawing it when out is
 * given; the number of rows. */
static unsigned legend_flow(const struct timechart *c, FILE *out)
{
	if (c->n_columns < 2)
		return 0;
	unsigned x = MARGIN, rows = 1;
	for (size_t col = 0; col < c->n_columns; col++) {
		unsigned w = SWATCH + 6 + column_label_px(c, col);
		if (x > MARGIN && x + w > c->width - MARGIN) {
			x = MARGIN;
			rows++;
		}
		unsigned y = c->legend_top + (rows - 1) * LEGEND_ROW;
		if (out) {
			fprintf(out,
				"<g class=\"legend\">\n<rect x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" fill=\"%s\" "
				"stroke=\"" OUTLINE "\" stroke-width=\"0.6\"/>\n<text x=\"%u\" y=\"%u\" font-size=\"12\" "
				"fill=\"" INK "\">",
				x, y, SWATCH, SWATCH, series_fill[col], x + SWATCH + 6, y + 11);
			column_label(out, c, col, LEGEND_ROOM);
			fputs("</text>\n</g>\n", out);
		}
		x += w + 18;
	}
	return rows;
}

static unsigned widest_figure(const struct timechart *c, bool stacked)
{
	unsigned widest = 0;
	char buf[SV_MONEY_TEXT_MAX];
	for (size_t p = 0; p < c->n_periods; p++) {
		for (size_t col = 0; col < (stacked ? 1 : c->n_columns); col++) {
			cell_figure(buf, stacked ? &c->totals[p] : &c->cells[col * c->n_periods + p]);
			unsigned w = text_px(buf, FIGURE_FONT);
			widest = w > widest ? w : widest;
		}
	}
	return widest;
}

static void period_text(char *buf, const struct timechart *c, size_t p)
{
	sv_period_format(buf, sv_key_period(c->r->keys[c->axis].kind), (int32_t)c->periods[p]);
}

static void plan_chart(struct timechart *c)
{
	/* grouped if the columns are wide enough at a first guess of the
	 * axis labels' room, which depends on the scale */
	fit_width(c, MARGIN + 60);
	c->stacked = !fit_columns(c, false);
	nice_scale(c, tallest(c, c->stacked));
	unsigned tick_w = 0;
	char buf[SV_MONEY_TEXT_MAX];
	for (unsigned i = 0; i <= c->n_ticks; i++) {
		tick_text(buf, c->step * i);
		unsigned w = text_px(buf, FIGURE_FONT);
		tick_w = w > tick_w ? w : tick_w;
	}
	fit_width(c, MARGIN + tick_w + 8);
	fit_columns(c, c->stacked);
	unsigned figure_w = widest_figure(c, c->stacked);
	unsigned long figure_room = c->stacked ? c->pitch_c - 600 : c->column_c + COLUMN_GAP * 100;
	c->rotate_figures = figure_w * 100ul > figure_room;
	unsigned period_w = 0;
	for (size_t p = 0; p < c->n_periods; p++) {
		period_text(buf, c, p);
		unsigned w = text_px(buf, PERIOD_FONT);
		period_w = w > period_w ? w : period_w;
	}
	c->rotate_periods = period_w * 100ul + 800 > c->pitch_c;
	const struct sv_provenance *pv = c->r->provenance;
	unsigned heading = TITLE_Y + LINE_GAP * (pv && (pv->has_from || pv->has_to) ? 2u : 1u);
	c->legend_top = heading + 16;
	c->legend_rows = legend_flow(c, NULL);
	unsigned after = c->legend_rows ? c->legend_top + c->legend_rows * LEGEND_ROW : heading;
	c->plot_top = after + 8 + (c->rotate_figures ? figure_w + 10 : 18);
	c->base = c->plot_top + PLOT_HEIGHT;
	c->bottom = c->base + (c->rotate_periods ? period_w * 71 / 100 + 26 : 26);
	c->height = c->bottom + (c->any_record_only ? LINE_GAP : 0) + 8;
}

/* ---- drawing ---- */

static void put_c(FILE *out, unsigned long c)
{
	fprintf(out, "%lu.%02lu", c / 100, c % 100);
}

static void draw_grid(FILE *out, const struct timechart *c)
{
	char buf[SV_MONEY_TEXT_MAX];
	for (unsigned i = 0; i <= c->n_ticks; i++) {
		unsigned long y = c->base * 100ul - scale_c(c->step * i, c->top, PLOT_HEIGHT);
		fprintf(out, "<line x1=\"%u\" y1=\"", c->plot_x);
		put_c(out, y);
		fprintf(out, "\" x2=\"%u\" y2=\"", c->plot_right);
		put_c(out, y);
		fprintf(out, "\" stroke=\"%s\"/>\n<text x=\"%u\" y=\"", i ? GRID : AXIS, c->plot_x - 6);
		put_c(out, y + 400);
		tick_text(buf, c->step * i);
		fprintf(out, "\" text-anchor=\"end\" font-size=\"%d\" fill=\"" MUTED "\">%s</text>\n", FIGURE_FONT, buf);
	}
}

/* The tooltip of a column: every key and the exact figure. */
static void column_title(FILE *out, const struct timechart *c, size_t col, size_t p)
{
	const struct tc_cell *cell = &c->cells[col * c->n_periods + p];
	char buf[SV_MONEY_TEXT_MAX];
	fputs("<title>", out);
	if (c->n_other && col == c->n_columns - 1) {
		char period[SV_PERIOD_TEXT_MAX];
		period_text(period, c, p);
		fprintf(out, "Other (%zu series)" KEY_SEPARATOR "%s", c->n_other, period);
	} else {
		for (size_t i = c->at[p]; i < c->at[p + 1]; i++)
			if (c->series[c->series_of[c->by_period[i]]].column == col)
				write_fitted(out, &(struct source){c->r, c->r->groups[c->by_period[i]], ALL_KEYS, false, false}, SIZE_MAX);
	}
	if (cell->record_only)
		strcpy(buf, EM_DASH);
	else if (cell->ok)
		sv_format_pence_pretty(buf, cell->pence);
	else
		strcpy(buf, "overflow");
	fprintf(out, ": %s (", buf);
	write_records(out, cell->records);
	fputs(")</title>\n", out);
}

static void draw_rect(FILE *out, size_t col, unsigned long x, unsigned long y, unsigned long w, unsigned long h)
{
	fputs("<rect class=\"bar\" x=\"", out);
	put_c(out, x);
	fputs("\" y=\"", out);
	put_c(out, y);
	fputs("\" width=\"", out);
	put_c(out, w);
	fputs("\" height=\"", out);
	put_c(out, h);
	fprintf(out, "\" fill=\"%s\" stroke=\"" OUTLINE "\" stroke-width=\"0.6\"/>\n", series_fill[col]);
}

/* A figure above a column (its top at y, centred on x), upright when it
 * fits the column, else reading upwards. */
static void draw_figure(FILE *out, const struct timechart *c, unsigned long x, unsigned long y, const char *text)
{
	if (!text[0])
		return;
	if (c->rotate_figures) {
		fputs("<text class=\"value\" transform=\"translate(", out);
		put_c(out, x + 400);
		fputc(' ', out);
		put_c(out, y - 400);
		fprintf(out, ") rotate(-90)\" font-size=\"%d\" fill=\"" INK "\">%s</text>\n", FIGURE_FONT, text);
		return;
	}
	fputs("<text class=\"value\" x=\"", out);
	put_c(out, x);
	fputs("\" y=\"", out);
	put_c(out, y - 400);
	fprintf(out, "\" text-anchor=\"middle\" font-size=\"%d\" fill=\"" INK "\">%s</text>\n", FIGURE_FONT, text);
}

static unsigned long cluster_x(const struct timechart *c, size_t p)
{
	return c->plot_x * 100ul + p * c->pitch_c + (c->pitch_c - c->cluster_c) / 2;
}

static void draw_grouped(FILE *out, const struct timechart *c, size_t p)
{
	char buf[SV_MONEY_TEXT_MAX];
	for (size_t col = 0; col < c->n_columns; col++) {
		const struct tc_cell *cell = &c->cells[col * c->n_periods + p];
		if (!cell->any)
			continue;
		unsigned long x = cluster_x(c, p) + col * (c->column_c + COLUMN_GAP * 100);
		unsigned long h = scale_c(positive(cell), c->top, PLOT_HEIGHT);
		fputs("<g>\n", out);
		column_title(out, c, col, p);
		if (h)
			draw_rect(out, col, x, c->base * 100ul - h, c->column_c, h);
		cell_figure(buf, cell);
		draw_figure(out, c, x + c->column_c / 2, c->base * 100ul - h, buf);
		fputs("</g>\n", out);
	}
}

static void draw_stacked(FILE *out, const struct timechart *c, size_t p)
{
	char buf[SV_MONEY_TEXT_MAX];
	unsigned long x = cluster_x(c, p), below = 0;
	sv_uamount stack = 0;
	for (size_t col = 0; col < c->n_columns; col++) {
		const struct tc_cell *cell = &c->cells[col * c->n_periods + p];
		sv_uamount v = positive(cell);
		if (!v)
			continue;
		sv_uamount sum = stack + v;
		stack = sum < stack ? ~(sv_uamount)0 : sum;
		/* each edge from the running sum, so segments meet exactly */
		unsigned long top = scale_c(stack, c->top, PLOT_HEIGHT);
		fputs("<g>\n", out);
		column_title(out, c, col, p);
		if (top > below)
			draw_rect(out, col, x, c->base * 100ul - top, c->column_c, top - below);
		fputs("</g>\n", out);
		below = top;
	}
	cell_figure(buf, &c->totals[p]);
	draw_figure(out, c, x + c->column_c / 2, c->base * 100ul - below, buf);
}

static void draw_periods(FILE *out, const struct timechart *c)
{
	char buf[SV_PERIOD_TEXT_MAX];
	unsigned y = c->base + (c->rotate_periods ? 14 : 18);
	for (size_t p = 0; p < c->n_periods; p++) {
		unsigned long x = c->plot_x * 100ul + p * c->pitch_c + c->pitch_c / 2;
		period_text(buf, c, p);
		if (c->rotate_periods) {
			fputs("<text transform=\"translate(", out);
			put_c(out, x);
			fprintf(out, " %u) rotate(-45)\" text-anchor=\"end\" font-size=\"%d\" fill=\"" INK "\">%s</text>\n", y,
				PERIOD_FONT, buf);
		} else {
			fputs("<text x=\"", out);
			put_c(out, x);
			fprintf(out, "\" y=\"%u\" text-anchor=\"middle\" font-size=\"%d\" fill=\"" INK "\">%s</text>\n", y,
				PERIOD_FONT, buf);
		}
	}
}

static void draw_chart(FILE *out, const struct timechart *c, bool standalone)
{
	const struct sv_result *r = c->r;
	char total[SV_MONEY_TEXT_MAX];
	total_label(total, r);
	svg_start(out, c->width, c->height, standalone);
	write_fitted(out, &(struct source){r, NULL, 0, false, false}, SIZE_MAX);
	fprintf(out, "</title>\n<desc>Column chart over time by %s: %s; %s %s from ", key_phrase(r, c->axis),
		c->n_columns < 2 ? "one column per period"
		: c->stacked   ? "stacked columns, one per period"
			       : "grouped columns, one per series in each period",
		sv_result_is_net(r) ? "net total" : "total", total);
	write_records(out, r->total_records);
	fputs("; ", out);
	write_basis(out, r);
	fprintf(out, ".</desc>\n<rect width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n", c->width, c->height);
	if (c->n_columns > 2)
		fputs(series_patterns, out);
	svg_heading(out, r);
	legend_flow(c, out);
	draw_grid(out, c);
	for (size_t p = 0; p < c->n_periods; p++) {
		if (c->stacked)
			draw_stacked(out, c, p);
		else
			draw_grouped(out, c, p);
	}
	draw_periods(out, c);
	if (c->any_record_only)
		fprintf(out,
			"<text x=\"%d\" y=\"%u\" font-size=\"12\" fill=\"" MUTED "\">" EM_DASH
			" record-only measures: records counted, no " POUND " value</text>\n",
			MARGIN, c->bottom + 12);
	fputs("</svg>\n", out);
}

static void timechart_free(struct timechart *c)
{
	free(c->periods);
	free(c->series);
	free(c->series_of);
	free(c->period_of);
	free(c->by_period);
	free(c->at);
	free(c->cells);
	free(c->totals);
}

/* false, having written nothing, when out of memory. */
static bool svg_over_time(FILE *out, const struct sv_result *r, bool standalone)
{
	size_t n = r->n_groups;
	struct timechart c = {.r = r, .axis = period_axis(r)};
	c.periods = malloc(n * sizeof *c.periods);
	c.series = malloc(n * sizeof *c.series);
	c.series_of = malloc(n * sizeof *c.series_of);
	c.period_of = malloc(n * sizeof *c.period_of);
	c.by_period = malloc(n * sizeof *c.by_period);
	c.at = malloc((n + 1) * sizeof *c.at);
	bool ok = c.periods && c.series && c.series_of && c.period_of && c.by_period && c.at && find_periods(&c) &&
		  find_series(&c) && choose_columns(&c) && fill_cells(&c);
	if (ok) {
		plan_chart(&c);
		draw_chart(out, &c, standalone);
	}
	timechart_free(&c);
	return ok;
}

static void svg_bar_chart(FILE *out, const struct sv_result *r, bool standalone)
{
	struct layout l = plan(r);
	char total[SV_MONEY_TEXT_MAX];
	total_label(total, r);
	svg_start(out, l.width, l.height, standalone);
	write_fitted(out, &(struct source){r, NULL, 0, false, false}, SIZE_MAX);
	fprintf(out, "</title>\n<desc>Horizontal bar chart; %s %s from ", sv_result_is_net(r) ? "net total" : "total", total);
	write_records(out, r->total_records);
	fputs("; ", out);
	write_basis(out, r);
	fprintf(out, ".</desc>\n<rect width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n", l.width,
		l.height);
	svg_heading(out, r);
	svg_body(out, r, &l);
	fputs("</svg>\n", out);
}

static bool svg_over_time(FILE *out, const struct sv_result *r, bool standalone);

bool sv_chart_over_time(const struct sv_result *r)
{
	return r->n_groups > 0 && period_axis(r) != SIZE_MAX;
}

/* A chart over time needs memory for its periods and series; without it
 * the groups are still charted, one bar each. */
static void svg_chart(FILE *out, const struct sv_result *r, bool standalone)
{
	if (!sv_chart_over_time(r) || !svg_over_time(out, r, standalone))
		svg_bar_chart(out, r, standalone);
}

void sv_format_svg(FILE *out, const struct sv_result *r)
{
	svg_chart(out, r, true);
}

void sv_chart_svg_inline(FILE *out, const struct sv_result *r)
{
	svg_chart(out, r, false);
}

void sv_chart_title(FILE *out, const struct sv_result *r, bool with_table)
{
	write_fitted(out, &(struct source){r, NULL, 0, false, !with_table}, SIZE_MAX);
}

void sv_chart_group_label(FILE *out, const struct sv_result *r, const struct sv_group *g)
{
	write_fitted(out, &(struct source){r, g, ALL_KEYS, false, false}, SIZE_MAX);
}

void sv_write_xml_text(FILE *out, const char *s, size_t n)
{
	struct fit f = {out, SIZE_MAX, 0, 0, false};
	emit_text(&(struct emitter){fit_fn, &f}, s, n);
	for (; f.spaces; f.spaces--)
		fputc(' ', out);
}
