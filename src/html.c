/*
 * html.c - the html format: a result as a report page.
 *
 * The page is written in the XML-compatible subset of HTML5 (void
 * elements closed with "/>", every attribute quoted, only the entities
 * XML predefines), so that an XML parser can check it as well as a
 * browser can show it.  Everything on it comes from the same struct
 * sv_result as the other formats, through the functions they use: the
 * headline sentence, the chart and the totals table are theirs, not
 * computed again.  Text from inputs and the table goes through
 * sv_write_xml_text, and addresses become links only in the appendix,
 * only when a source is a web address and nothing else.
 */
#include "sv_html.h"
#include "sv_chart.h"
#include "sv_cli.h"
#include "sv_diag.h"

#include <stdlib.h>
#include <string.h>

#define EM_DASH "\xE2\x80\x94"
#define EN_DASH "\xE2\x80\x93"
#define MIDDLE_DOT " \xC2\xB7 "
#define POUND "\xC2\xA3"

/* The style sheet: screen first, then what printing to A4 changes.  No
 * font or image is fetched; the system's own sans-serif face is used. */
static const char style[] =
	":root{--ink:#1b1b1b;--muted:#595959;--accent:#1f4e79;--rule:#d5dbe1;--band:#f2f5f8}\n"
	"*{box-sizing:border-box}\n"
	"html{color:var(--ink);background:#fff;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,"
	"\"Helvetica Neue\",Arial,\"Liberation Sans\",\"DejaVu Sans\",sans-serif;font-size:15px;line-height:1.5}\n"
	"body{margin:0 auto;max-width:62rem;padding:2.5rem 2rem 3rem}\n"
	"header.cover{border-top:6px solid var(--accent);padding-top:1.1rem;margin-bottom:1.5rem}\n"
	".kicker{margin:0;color:var(--accent);font-size:.8rem;font-weight:700;letter-spacing:.08em;"
	"text-transform:uppercase}\n"
	"h1{font-size:2rem;line-height:1.2;margin:.35rem 0 .4rem}\n"
	".meta{margin:0 0 1.2rem;color:var(--muted);font-size:.9rem}\n"
	".headline{font-size:1.15rem;line-height:1.55;margin:0 0 1.4rem;max-width:52rem}\n"
	".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;margin:0}\n"
	".figures div{background:var(--band);border-left:4px solid var(--accent);padding:.65rem .9rem}\n"
	".figures dt{color:var(--muted);font-size:.75rem;font-weight:600;letter-spacing:.05em;"
	"text-transform:uppercase}\n"
	".figures dd{margin:.15rem 0 0;font-size:1.35rem;font-weight:700;font-variant-numeric:tabular-nums;"
	"line-height:1.25}\n"
	".figures dd.sub{font-size:.8rem;font-weight:400;color:var(--muted)}\n"
	"h2{font-size:1.3rem;margin:2.4rem 0 .8rem;padding-bottom:.3rem;border-bottom:2px solid var(--accent);"
	"break-after:avoid}\n"
	"h3{font-size:1.05rem;margin:1.6rem 0 .5rem;break-after:avoid}\n"
	"p{margin:.5rem 0}\n"
	".note{color:var(--muted);font-size:.85rem}\n"
	"figure{margin:0}\n"
	"figure svg{display:block;width:100%;max-width:100%;height:auto}\n"
	"figcaption{color:var(--muted);font-size:.85rem;margin-top:.4rem}\n"
	".scroll{overflow-x:auto}\n"
	"table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.4rem 0 1rem}\n"
	"th,td{padding:.38rem .6rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}\n"
	"thead th{background:var(--band);border-bottom:2px solid #9aa6b2;font-weight:600;vertical-align:bottom}\n"
	"tbody th{font-weight:400}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"tfoot th,tfoot td{font-weight:700;border-top:2px solid var(--ink);border-bottom:0}\n"
	"caption{caption-side:top;text-align:left;font-weight:600;padding:.6rem 0 .3rem}\n"
	"tr.group th{background:var(--band);font-weight:600;padding-top:.5rem}\n"
	"table.counts{width:auto;min-width:24rem}\n"
	".id,code{font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,\"Liberation Mono\",\"DejaVu Sans Mono\","
	"monospace;font-size:.8em}\n"
	".id{color:var(--muted);margin-left:.4rem;white-space:nowrap}\n"
	"td.digest code{word-break:break-all}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem;margin:.5rem 0 1rem}\n"
	"dl.facts dt{color:var(--muted)}\n"
	"dl.facts dd{margin:0}\n"
	".measure{border-top:1px solid var(--rule);padding:.6rem 0 .4rem;break-inside:avoid}\n"
	".measure h4{font-size:.98rem;margin:0 0 .3rem}\n"
	".measure dl.facts{font-size:.86rem;margin:.2rem 0}\n"
	".derivation{font-size:.86rem}\n"
	"a{color:var(--accent);overflow-wrap:anywhere}\n"
	".attribution{border-left:4px solid var(--rule);padding:.3rem .9rem;color:var(--ink)}\n"
	"footer{margin-top:2.5rem;padding-top:.7rem;border-top:1px solid var(--rule);color:var(--muted);"
	"font-size:.8rem}\n"
	"@media (max-width:40rem){body{padding:1.25rem 1rem 2rem}h1{font-size:1.6rem}.headline{font-size:1rem}}\n"
	"@page{size:A4;margin:16mm 15mm 18mm;"
	"@bottom-left{content:\"Social value report\";font-size:8pt;color:#595959}"
	"@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);font-size:8pt;color:#595959}}\n"
	"@media print{\n"
	"html{font-size:9.5pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{max-width:none;padding:0}\n"
	"h1{font-size:20pt}\n"
	"h2{margin-top:1.6rem}\n"
	".scroll{overflow:visible}\n"
	"a{color:inherit;text-decoration:none}\n"
	"tr,.figures div,figure,.measure{break-inside:avoid}\n"
	"h2+p.note,tr.group{break-after:avoid}\n"
	"thead{display:table-header-group}\n"
	"tfoot{display:table-row-group}\n"
	"section.chart{break-inside:avoid}\n"
	"section.appendix{break-before:page}\n"
	"}\n";

/* ---- text ---------------------------------------------------------------- */

static void text(FILE *out, const char *s)
{
	sv_write_xml_text(out, s, strlen(s));
}

/* "£12,345.6789" from pounds with 4 decimals, trailing zeros dropped to
 * two places, as the table lists a unit value. */
static void pounds_dec4(char *buf, int64_t v)
{
	char plain[SV_MONEY_TEXT_MAX];
	sv_format_dec4(plain, v);
	const char *digits = plain[0] == '-' ? plain + 1 : plain;
	size_t whole = strcspn(digits, "."), o = 0;
	if (plain[0] == '-')
		buf[o++] = '-';
	memcpy(buf + o, POUND, sizeof POUND - 1);
	o += sizeof POUND - 1;
	for (size_t i = 0; i < whole; i++) {
		if (i && (whole - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	strcpy(buf + o, digits + whole);
}

static const char *const month_names[] = {"January", "February", "March",     "April",   "May",      "June",
					  "July",    "August",   "September", "October", "November", "December"};

static void date_text(FILE *out, int32_t ymd)
{
	int month = (int)(ymd / 100 % 100);
	fprintf(out, "%d %s %d", (int)(ymd % 100), month >= 1 && month <= 12 ? month_names[month - 1] : "?",
		(int)(ymd / 10000));
}

/* "1 April 2024 – 30 June 2024", "from ...", "up to ..."; false: no period. */
static bool period_text(FILE *out, const struct sv_provenance *p)
{
	if (!p || (!p->has_from && !p->has_to))
		return false;
	if (p->has_from && p->has_to) {
		date_text(out, p->from);
		fputs(" " EN_DASH " ", out);
		date_text(out, p->to);
	} else if (p->has_from) {
		fputs("from ", out);
		date_text(out, p->from);
	} else {
		fputs("up to ", out);
		date_text(out, p->to);
	}
	return true;
}

/* "2026/27 prices, gross" */
static void basis_text(FILE *out, const struct sv_result *r)
{
	text(out, r->price_basis ? r->price_basis : "price year not given");
	fputs(sv_result_is_net(r) ? ", net" : ", gross", out);
}

static void table_name(FILE *out, const struct sv_proxy_table *t)
{
	text(out, t->name);
	fputc(' ', out);
	text(out, t->version);
}

static bool is_web_address(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '<' || *s == '>' || *s == 0x7F)
			return false;
	return true;
}

/* ---- the cover ---------------------------------------------------------- */

/* The headline as -f headline writes it, less its newline. */
static void headline(FILE *out, const struct sv_result *r)
{
	char *sentence = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&sentence, &len);
	if (!mem)
		return;
	sv_format_headline(mem, r);
	if (fclose(mem) == 0 && sentence) {
		while (len && sentence[len - 1] == '\n')
			len--;
		fputs("<p class=\"headline\">", out);
		sv_write_xml_text(out, sentence, len);
		fputs("</p>\n", out);
	}
	free(sentence);
}

static void figure_card(FILE *out, const char *label, const char *value, const char *sub)
{
	fputs("<div><dt>", out);
	text(out, label);
	fputs("</dt><dd>", out);
	text(out, value);
	fputs("</dd>", out);
	if (sub) {
		fputs("<dd class=\"sub\">", out);
		text(out, sub);
		fputs("</dd>", out);
	}
	fputs("</div>\n", out);
}

static void total_card(FILE *out, const struct sv_result *r)
{
	char value[SV_MONEY_TEXT_MAX], sub[96];
	sv_amount pence;
	if (sv_result_lead_pence(r, NULL, &pence))
		sv_format_pence_pretty(value, pence);
	else
		strcpy(value, "overflow");
	snprintf(sub, sizeof sub, "%s, %s", r->price_basis ? r->price_basis : "price year not given",
		 sv_result_is_net(r) ? "net" : "gross");
	figure_card(out, sv_result_is_net(r) ? "Net social value" : "Social value", value, sub);
}

static void records_card(FILE *out, const struct sv_result *r)
{
	char value[SV_MONEY_TEXT_MAX], sub[96];
	sv_format_count(value, r->total_records, true);
	snprintf(sub, sizeof sub, "in %zu group%s, from %zu input%s", r->n_groups, r->n_groups == 1 ? "" : "s",
		 r->n_inputs, r->n_inputs == 1 ? "" : "s");
	figure_card(out, "Records", value, sub);
}

/* "+5.8%" against the previous result; "£1.2m before" when it was 0. */
static void compare_card(FILE *out, const struct sv_result *r)
{
	sv_amount previous, change, tenths;
	bool has_pct;
	if (!r->previous || !sv_result_change(r, NULL, &previous, &change, &tenths, &has_pct))
		return;
	char value[SV_MONEY_TEXT_MAX], was[SV_MONEY_TEXT_MAX], sub[SV_MONEY_TEXT_MAX + 16];
	if (has_pct) {
		value[0] = tenths < 0 ? '-' : '+';
		size_t n = 1 + sv_format_tenths(value + 1, tenths < 0 ? -tenths : tenths);
		strcpy(value + n, "%");
	} else
		sv_format_pence_pretty(value, change);
	sv_format_pence_pretty(was, previous);
	snprintf(sub, sizeof sub, "on the previous %s", was);
	figure_card(out, "Change", value, sub);
}

static void ratio_cards(FILE *out, const struct sv_result *r)
{
	char value[SV_MONEY_TEXT_MAX], sub[3 * SV_MONEY_TEXT_MAX];
	sv_amount tenths;
	if (sv_result_delivered_tenths(r, &tenths)) {
		strcpy(value + sv_format_tenths(value, tenths), "%");
		figure_card(out, "Delivered against targets", value, "of the committed value");
	}
	if (sv_result_return_tenths(r, &tenths)) {
		char spend[SV_MONEY_TEXT_MAX], pence[SV_MONEY_TEXT_MAX];
		sv_format_tenths(pence, tenths);
		sv_format_pence_pretty(spend, sv_amount_to_pence(r->total_spend, r->unit_lcm));
		strcpy(value + sv_format_tenths(value, tenths), "%");
		snprintf(sub, sizeof sub, "of spend %s: %sp per " POUND "1", spend, pence);
		figure_card(out, "Return on spend", value, sub);
	}
}

static void cover(FILE *out, const struct sv_result *r)
{
	fputs("<header class=\"cover\">\n<p class=\"kicker\">Social value report</p>\n<h1>", out);
	sv_chart_title(out, r, false);
	fputs("</h1>\n<p class=\"meta\">Proxy table ", out);
	table_name(out, r->table);
	fputs(MIDDLE_DOT POUND ", ", out);
	basis_text(out, r);
	if (r->provenance && (r->provenance->has_from || r->provenance->has_to)) {
		fputs(MIDDLE_DOT "records dated ", out);
		period_text(out, r->provenance);
	}
	fputs("</p>\n", out);
	headline(out, r);
	fputs("<dl class=\"figures\">\n", out);
	total_card(out, r);
	records_card(out, r);
	compare_card(out, r);
	ratio_cards(out, r);
	fputs("</dl>\n</header>\n", out);
}

/* ---- the body ------------------------------------------------------------ */

static void chart_section(FILE *out, const struct sv_result *r)
{
	fputs("<section class=\"chart\" id=\"chart\">\n<h2>Chart</h2>\n<figure>\n", out);
	sv_chart_svg_inline(out, r);
	fputs("<figcaption>", out);
	if (sv_chart_over_time(r))
		fputs("Figures on the columns are rounded to three significant figures; the exact figures are in "
		      "the tables below.",
		      out);
	else
		fputs("Each bar's exact figure is at its end; the tables below give the records behind it.", out);
	fputs("</figcaption>\n</figure>\n</section>\n", out);
}

static void totals_section(FILE *out, const struct sv_result *r)
{
	fputs("<section id=\"totals\">\n<h2>Totals</h2>\n<p class=\"note\">" POUND ", ", out);
	basis_text(out, r);
	fputs(".", out);
	if (r->targets)
		fputs(" Target: the value of the quantities committed; delivered and variance compare with it, in the "
		      "groups with a target.",
		      out);
	if (r->spend)
		fputs(" Return: value delivered as a share of spend, also in pence per pound.", out);
	if (r->previous)
		fputs(" Previous: the earlier result the report is compared with, in the same basis.", out);
	fputs("</p>\n<div class=\"scroll\">\n", out);
	sv_format_result_html_table(out, r);
	fputs("</div>\n</section>\n", out);
}

static bool grouped_by_measure(const struct sv_result *r)
{
	for (size_t k = 0; k < r->n_keys; k++)
		if (r->keys[k].kind == SV_KEY_MEASURE)
			return true;
	return false;
}

static bool keeps_measures(const struct sv_result *r)
{
	for (size_t i = 0; i < r->n_groups; i++)
		if (r->groups[i]->records && !r->groups[i]->by_measure)
			return false;
	return r->n_groups > 0;
}

static void money_cell(FILE *out, bool ok, sv_amount pence)
{
	char buf[SV_MONEY_TEXT_MAX];
	if (ok)
		sv_format_pence_pretty(buf, pence);
	else
		strcpy(buf, "overflow");
	fprintf(out, "<td class=\"num\">%s</td>", buf);
}

static void measure_row(FILE *out, const struct sv_result *r, const struct sv_group *g, size_t m)
{
	const struct sv_measure *ms = &r->table->measures[m];
	char buf[SV_MONEY_TEXT_MAX];
	fputs("<tr><td>", out);
	text(out, ms->name);
	fputs("<span class=\"id\">", out);
	text(out, ms->id);
	sv_format_count(buf, g->by_measure_records[m], true);
	fprintf(out, "</span></td><td class=\"num\">%s</td>", buf);
	if (ms->record_only) {
		fputs(r->net_factors ? "<td class=\"num\">" EM_DASH "</td><td class=\"num\">" EM_DASH "</td></tr>\n"
				     : "<td class=\"num\">" EM_DASH "</td></tr>\n",
		      out);
		return;
	}
	sv_amount value, net;
	bool ok = sv_result_measure_pence(r, g, m, &value, &net);
	money_cell(out, ok, value);
	if (r->net_factors)
		money_cell(out, ok, net);
	fputs("</tr>\n", out);
}

/* Each group's records by measure: what its total is made of. */
static void detail_section(FILE *out, const struct sv_result *r)
{
	if (grouped_by_measure(r) || !keeps_measures(r))
		return;
	unsigned columns = r->net_factors ? 4 : 3;
	fputs("<section id=\"by-measure\">\n<h2>By measure</h2>\n<p class=\"note\">What each group's total is made of: "
	      "its records under each measure and their value. Each figure is rounded to the penny on its own, so the "
	      "lines of a group may differ from its total by a penny or so.</p>\n<div class=\"scroll\">\n"
	      "<table class=\"detail\">\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\" class=\"num\">"
	      "Records</th>",
	      out);
	fputs(r->net_factors ? "<th scope=\"col\" class=\"num\">Gross</th><th scope=\"col\" class=\"num\">Net</th>"
			     : "<th scope=\"col\" class=\"num\">Value</th>",
	      out);
	fputs("</tr></thead>\n", out);
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct sv_group *g = r->groups[i];
		if (!g->records || !g->by_measure_records)
			continue;
		fprintf(out, "<tbody>\n<tr class=\"group\"><th colspan=\"%u\" scope=\"rowgroup\">", columns);
		if (r->n_keys)
			sv_chart_group_label(out, r, g);
		else
			fputs("All records", out);
		fputs("</th></tr>\n", out);
		for (size_t m = 0; m < r->table->n_measures; m++)
			if (g->by_measure_records[m])
				measure_row(out, r, g, m);
		fputs("</tbody>\n", out);
	}
	fputs("</table>\n</div>\n</section>\n", out);
}

static void count_row(FILE *out, const char *label, uint64_t n)
{
	char buf[SV_MONEY_TEXT_MAX];
	sv_format_count(buf, n, true);
	fprintf(out, "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td></tr>\n", label, buf);
}

static void inputs_table(FILE *out, const struct sv_result *r)
{
	/* in byte order of their names, as JSON results list them, so that a
	 * merge of results writes the page a single run would */
	const struct sv_input_info **order = sv_result_inputs_sorted(r);
	if (!order)
		return;
	fputs("<h3>Inputs</h3>\n<div class=\"scroll\">\n<table class=\"inputs\">\n<thead><tr><th scope=\"col\">File</th>"
	      "<th scope=\"col\" class=\"num\">Bytes</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < r->n_inputs; i++) {
		char bytes[SV_MONEY_TEXT_MAX];
		sv_format_count(bytes, order[i]->bytes, true);
		fputs("<tr><td>", out);
		text(out, order[i]->name);
		fprintf(out, "</td><td class=\"num\">%s</td><td class=\"digest\">", bytes);
		if (order[i]->sha256[0]) {
			fputs("<code>", out);
			text(out, order[i]->sha256);
			fputs("</code>", out);
		} else
			fputs(EM_DASH, out);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</div>\n", out);
	free(order);
}

static void records_section(FILE *out, const struct sv_result *r)
{
	const struct sv_counts *c = &r->counts;
	fputs("<section id=\"records\">\n<h2>Records and inputs</h2>\n<table class=\"counts\">\n<tbody>\n", out);
	count_row(out, "Records read", c->read);
	count_row(out, "Valued", c->valued);
	bool skipped = r->provenance && r->provenance->skip_invalid;
	count_row(out, skipped ? "Invalid, skipped (--skip-invalid)" : "Invalid", c->invalid);
	count_row(out, "Filtered out by --from/--to", c->filtered);
	if (c->with_ignored)
		count_row(out, "Ignored by a profile&#39;s rules", c->ignored);
	fputs("</tbody>\n</table>\n", out);
	inputs_table(out, r);
	fputs("</section>\n", out);
}

/* ---- the appendix ---------------------------------------------------------- */

static bool measure_used(const struct sv_result *r, size_t m)
{
	return m < r->n_measure_records && r->measure_records[m];
}

static void fact(FILE *out, const char *label)
{
	fprintf(out, "<dt>%s</dt><dd>", label);
}

static void measure_value(FILE *out, const struct sv_result *r, const struct sv_measure *m)
{
	char buf[SV_MONEY_TEXT_MAX], year[8];
	fact(out, "Value");
	if (m->record_only) {
		fputs("record-only: records counted, never given a pound value</dd>\n", out);
		return;
	}
	pounds_dec4(buf, m->value);
	fprintf(out, "%s per ", buf);
	text(out, m->unit);
	sv_price_year_text(m->price_year, year);
	if (year[0])
		fprintf(out, ", %s prices", year);
	for (size_t k = 0; k < m->n_units; k++) {
		char frac[48];
		sv_unit_fraction_text(frac, sizeof frac, m->units[k].num, m->units[k].den);
		fputs(k ? ", " : "; also in ", out);
		text(out, m->units[k].name);
		fprintf(out, " (%s)", frac);
	}
	fputs("</dd>\n", out);
	size_t i = m->index;
	if (r->value_factors && i < r->n_factors) {
		sv_format_factor(buf, r->value_factors[i]);
		fact(out, "Rebased");
		fprintf(out, "\xC3\x97 %s to ", buf);
		text(out, r->price_basis ? r->price_basis : "the stated prices");
		fputs("</dd>\n", out);
	}
	if (r->net_factors && i < r->n_factors) {
		sv_format_factor(buf, r->net_factors[i]);
		fact(out, "Net factor");
		fprintf(out, "\xC3\x97 %s of the gross value (adjustments", buf);
		fputs(r->value_factors ? " and the price year)</dd>\n" : ")</dd>\n", out);
	}
}

static void measure_source(FILE *out, const struct sv_measure *m)
{
	fact(out, "Source");
	if (!m->source)
		fputs("not given", out);
	else if (is_web_address(m->source)) {
		fputs("<a href=\"", out);
		text(out, m->source);
		fputs("\">", out);
		text(out, m->source);
		fputs("</a>", out);
	} else
		text(out, m->source);
	fputs("</dd>\n", out);
	fact(out, "Licence");
	text(out, m->licence ? m->licence : "not given");
	fputs("</dd>\n", out);
}

static void measure_block(FILE *out, const struct sv_result *r, const struct sv_measure *m)
{
	char buf[SV_MONEY_TEXT_MAX];
	fputs("<div class=\"measure\">\n<h4>", out);
	text(out, m->name);
	fputs("<span class=\"id\">", out);
	text(out, m->id);
	fputs("</span></h4>\n<dl class=\"facts\">\n", out);
	fact(out, "Theme");
	text(out, r->table->themes[m->theme].name);
	fputs("</dd>\n", out);
	measure_value(out, r, m);
	sv_format_count(buf, r->measure_records[m->index], true);
	fact(out, "Records");
	fprintf(out, "%s</dd>\n", buf);
	measure_source(out, m);
	fputs("</dl>\n", out);
	if (m->derivation) {
		fputs("<p class=\"derivation\">", out);
		text(out, m->derivation);
		fputs("</p>\n", out);
	}
	fputs("</div>\n", out);
}

/* A licence field that says no third party's figure is used
 * ("n/a (record-only, no value)") licenses nothing to attribute. */
static bool licence_named(const char *licence)
{
	return licence && strncmp(licence, "n/a", 3) != 0;
}

static bool is_ogl(const char *licence)
{
	return strncmp(licence, "OGL", 3) == 0 || strstr(licence, "Open Government Licence") != NULL;
}

/* The licences of the measures used, each once, and the attribution they
 * ask for: the table's own statement, or the Open Government Licence's
 * when a measure used cites it. */
static void licences(FILE *out, const struct sv_result *r)
{
	const struct sv_proxy_table *t = r->table;
	bool any = false, ogl = false;
	fputs("<h3>Licences and attribution</h3>\n", out);
	for (size_t i = 0; i < t->n_measures; i++) {
		const char *l = t->measures[i].licence;
		if (!measure_used(r, i) || !licence_named(l))
			continue;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = measure_used(r, k) && t->measures[k].licence && strcmp(t->measures[k].licence, l) == 0;
		if (seen)
			continue;
		fputs(any ? "; " : "<p>Licences of the figures used: ", out);
		text(out, l);
		any = true;
		ogl = ogl || is_ogl(l);
	}
	if (any)
		fputs(".</p>\n", out);
	if (t->attribution || ogl) {
		fputs("<p class=\"attribution\">", out);
		text(out, t->attribution ? t->attribution
					 : "Contains public sector information licensed under the Open Government Licence "
					   "v3.0.");
		fputs("</p>\n", out);
	}
	if (t->licence) {
		fputs("<p class=\"note\">The table&#39;s licence statement: ", out);
		text(out, t->licence);
		fputs("</p>\n", out);
	}
	if (t->source) {
		fputs("<p class=\"note\">The table&#39;s sources: ", out);
		text(out, t->source);
		fputs("</p>\n", out);
	}
}

static void method(FILE *out, const struct sv_result *r)
{
	const struct sv_provenance *p = r->provenance;
	fputs("<h3>Method</h3>\n<p>Each record&#39;s quantity is multiplied by the value per unit its measure has in "
	      "the proxy table, and the products are added up exactly for each group; each figure is rounded to the "
	      "penny once, when it is written. Records of a record-only measure are counted but add no pounds.",
	      out);
	if (r->value_factors)
		fputs(" Values priced in another year are rebased to the stated price year with GDP deflators: the "
		      "value times the deflator of the price year over that of its own year.",
		      out);
	if (r->net_factors)
		fputs(" Net figures take deadweight, attribution, displacement and, for benefits lasting several years, "
		      "drop-off and discounting off the gross value, as the table and the options of the run set them; "
		      "each measure below shows the factor applied to it.",
		      out);
	fputs("</p>\n<dl class=\"facts\">\n", out);
	fact(out, "Proxy table");
	table_name(out, r->table);
	fputs("</dd>\n", out);
	if (p && p->table_sha256) {
		fact(out, "Table digest");
		fputs("SHA-256 <code>", out);
		text(out, p->table_sha256);
		fputs("</code> (of its canonical listing, <code>sv-calc proxies -f json</code>)</dd>\n", out);
	}
	fact(out, "Figures in");
	fputs(POUND ", ", out);
	basis_text(out, r);
	fputs("</dd>\n", out);
	fact(out, "Records dated");
	if (!period_text(out, p))
		fputs("any date", out);
	fputs("</dd>\n", out);
	fact(out, "Invalid records");
	fputs(p && p->skip_invalid ? "skipped and counted (--skip-invalid)"
				   : "none: without --skip-invalid a run stops at an invalid record",
	      out);
	fputs("</dd>\n", out);
	fact(out, "Made with");
	fputs(SV_PROGRAM " " SV_VERSION "</dd>\n</dl>\n", out);
}

static void appendix(FILE *out, const struct sv_result *r)
{
	fputs("<section class=\"appendix\" id=\"method\">\n<h2>Appendix: method and sources</h2>\n", out);
	method(out, r);
	fputs("<h3>Measures used</h3>\n", out);
	bool any = false;
	for (size_t i = 0; i < r->table->n_measures; i++) {
		if (!measure_used(r, i))
			continue;
		measure_block(out, r, &r->table->measures[i]);
		any = true;
	}
	if (!any)
		fputs("<p>No records, so no measure was used.</p>\n", out);
	licences(out, r);
	fputs("</section>\n", out);
}

void sv_format_html(FILE *out, const struct sv_result *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<meta name=\"generator\" content=\"" SV_PROGRAM " " SV_VERSION "\"/>\n<title>",
	      out);
	sv_chart_title(out, r, true);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	cover(out, r);
	fputs("<main>\n", out);
	chart_section(out, r);
	totals_section(out, r);
	detail_section(out, r);
	records_section(out, r);
	appendix(out, r);
	fputs("</main>\n<footer>\n<p>Made with " SV_PROGRAM " " SV_VERSION " from ", out);
	fprintf(out, "%zu input%s with the proxy table ", r->n_inputs, r->n_inputs == 1 ? "" : "s");
	table_name(out, r->table);
	fputs(". The same inputs, table and options give the same page.</p>\n</footer>\n</body>\n</html>\n", out);
}
