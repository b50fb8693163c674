/*
 * chart.c - the svg and headline formats.
 *
 * Text reaches the output one code point at a time through an emitter, so
 * that the same walk over a group's keys can measure a label, write it
 * XML-escaped and cut to fit, or write it plain, without building strings:
 * nothing here allocates, so nothing here can fail half-way.
 */
#include "sv_chart.h"
#include "sv_utf8.h"

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
static void walk_title(const struct emitter *e, const struct sv_result *r)
{
	emit_str(e, sv_result_is_net(r) ? "Net social value" : "Social value");
	for (size_t k = 0; k < r->n_keys; k++) {
		emit_str(e, k == 0 ? " by " : k + 1 == r->n_keys ? " and " : ", ");
		emit_str(e, key_phrase(r, k));
	}
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
};

static void walk(const struct emitter *e, const struct source *src)
{
	if (!src->group)
		walk_title(e, src->r);
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
		budget[k] = width_of(&(struct source){r, g, k});
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
		write_fitted(out, &(struct source){r, g, k}, budget[k]);
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
	write_fitted(out, &(struct source){r, NULL, 0}, TITLE_ROOM);
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
	write_fitted(out, &(struct source){r, g, ALL_KEYS}, SIZE_MAX);
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

void sv_format_svg(FILE *out, const struct sv_result *r)
{
	struct layout l = plan(r);
	char total[SV_MONEY_TEXT_MAX];
	total_label(total, r);
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%u\" height=\"%u\" "
		"viewBox=\"0 0 %u %u\" font-family=\"" FONT_FAMILY "\" font-size=\"13\">\n<title>",
		l.width, l.height, l.width, l.height);
	write_fitted(out, &(struct source){r, NULL, 0}, SIZE_MAX);
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
