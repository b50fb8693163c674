/*
 * test_chart.c - the svg and headline formats.
 *
 * Each test builds a result by hand: a table loaded from a JSON string and
 * groups given their exact sums with sv_groups_merge, as a merged result
 * would have them, so every figure below can be checked by hand.
 */
#include "test_util.h"

#include "sv_chart.h"
#include "sv_format.h"
#include "sv_proxy.h"
#include "sv_utf8.h"

/* The open table's theme names, so that the brief names are the real ones. */
static const char chart_table[] =
	"{\"name\": \"sv-calc open proxies\", \"version\": \"2025.1\", \"themes\": ["
	"{\"id\": \"jobs\", \"name\": \"Jobs: promote local skills and employment\"}, "
	"{\"id\": \"growth\", \"name\": \"Growth: support the growth of responsible regional business\"}, "
	"{\"id\": \"social\", \"name\": \"Social: healthier, safer and more resilient communities\"}, "
	"{\"id\": \"environment\", \"name\": \"Environment: decarbonise and safeguard our world\"}, "
	"{\"id\": \"innovation\", \"name\": \"Innovation: promote social innovation\"}, "
	"{\"id\": \"skills\", \"name\": \"Skills & <training>\"}], "
	"\"measures\": ["
	"{\"id\": \"NT1\", \"theme\": \"jobs\", \"name\": \"Local FTE\", \"unit\": \"FTE\", "
	"\"value\": 39039.00, \"value_type\": \"LEV\"}, "
	"{\"id\": \"TR\", \"theme\": \"skills\", \"name\": \"Training\", \"unit\": \"course\", "
	"\"value\": null, \"value_type\": \"social\"}]}";

enum { JOBS, GROWTH, SOCIAL, ENVIRONMENT, INNOVATION, SKILLS };

struct fixture {
	struct result_parts p;
	struct sv_result result;
};

static const struct sv_key_spec by_theme[] = {{SV_KEY_THEME, NULL}};
static const char *const theme_names[] = {"theme"};
static const struct sv_key_spec by_measure[] = {{SV_KEY_MEASURE, NULL}};
static const char *const measure_names[] = {"measure"};
static const struct sv_key_spec by_site[] = {{SV_KEY_COLUMN, "site"}};
static const char *const site_names[] = {"site"};
static const struct sv_key_spec by_theme_site_fq[] = {
	{SV_KEY_THEME, NULL}, {SV_KEY_COLUMN, "site"}, {SV_KEY_FQ, NULL}};
static const char *const theme_site_fq_names[] = {"theme", "site", "fq"};

static void fixture_init(struct fixture *f, const struct sv_key_spec *keys, const char *const *names,
			 size_t n_keys)
{
	memset(f, 0, sizeof *f);
	result_parts_init(&f->p, chart_table, keys, names, n_keys);
}

static sv_amount amount(const char *exact)
{
	sv_amount a = 0;
	assert_true(sv_amount_parse(exact, strlen(exact), 1, &a));
	return a;
}

/* Adds a group with these key values, records and exact pound sum; a NULL
 * sum makes it record-only. */
static void put_keys(struct fixture *f, const struct sv_key_value *kv, uint64_t records, const char *exact)
{
	sv_amount value = exact ? amount(exact) : 0;
	assert_int_equal(sv_groups_merge(f->p.groups, kv, records, exact ? records : 0, value), SV_OK);
	f->result.total += value;
	f->result.total_records += records;
}

/* A group of a one-key result: a theme or measure index, or a column text. */
static void put(struct fixture *f, int64_t num, const char *text, uint64_t records, const char *exact)
{
	struct sv_key_value kv = {num, text, text ? strlen(text) : 0};
	put_keys(f, &kv, records, exact);
}

static const struct sv_result *finish(struct fixture *f)
{
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(f->p.groups, &n);
	assert_non_null(sorted);
	f->result.table = &f->p.table;
	f->result.unit_lcm = 1; /* the amounts added count 1/10^19 pound */
	f->result.keys = f->p.keys;
	f->result.key_names = f->p.names;
	f->result.n_keys = f->p.n_keys;
	f->result.groups = sorted;
	f->result.n_groups = n;
	f->result.counts.read = f->result.counts.valued = f->result.total_records;
	return &f->result;
}

static void fixture_free(struct fixture *f)
{
	result_parts_free(&f->p);
}

/* Checks what xmllint would for this writer's output: an XML declaration,
 * then well-formed XML with only the predefined entities. */
static void assert_well_formed(const char *svg)
{
	assert_well_formed_xml(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", false);
}

static char *render(void (*format)(FILE *, const struct sv_result *), const struct sv_result *r)
{
	struct out o;
	format(out_start(&o), r);
	char *text = out_end(&o);
	if (format == sv_format_svg)
		assert_well_formed(text);
	return text;
}

/* The n-th bar's width attribute, in 1/100 px; -1 when there is none. */
static long bar_width(const char *svg, size_t n)
{
	const char *p = svg;
	for (size_t i = 0; i <= n; i++) {
		p = strstr(p, "<rect class=\"bar\"");
		if (!p)
			return -1;
		p++;
	}
	p = strstr(p, "width=\"");
	assert_non_null(p);
	char *end;
	long whole = strtol(p + 7, &end, 10);
	assert_true(end[0] == '.' && end[3] == '"');
	return whole * 100 + strtol(end + 1, NULL, 10);
}

/* ---- svg ------------------------------------------------------------------ */

/* Ensure bars for £100, £50 and £25 are 4:2:1, the largest filling the room its figure leaves. */
static void test_svg_bar_proportions(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	put(&f, 0, "a", 1, "100");
	put(&f, 0, "b", 1, "50");
	put(&f, 0, "c", 1, "25");
	char *svg = render(sv_format_svg, finish(&f));
	/* 800 - 16 margin - 340 bar start - (50 px for "£100.00" + 8) = 386 px */
	assert_int_equal(bar_width(svg, 0), 38600);
	assert_int_equal(bar_width(svg, 1), 19300);
	assert_int_equal(bar_width(svg, 2), 9650);
	assert_int_equal(bar_width(svg, 3), -1);
	assert_non_null(strstr(svg, "<text class=\"value\" x=\"732.00\" y=\"98\" font-size=\"12\" "
				    "fill=\"#1b1b1b\">\xC2\xA3" "100.00</text>"));
	assert_non_null(strstr(svg, "x=\"442.50\" y=\"158\" font-size=\"12\" fill=\"#1b1b1b\">\xC2\xA3" "25.00<"));
	free(svg);
	fixture_free(&f);
}

/* Ensure bar lengths come from the exact sums: 1/3 of the largest, rounded to 1/100 px. */
static void test_svg_bar_exact_ratio(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	put(&f, 0, "a", 1, "3000000000000000000");
	put(&f, 0, "b", 1, "1000000000000000000.0000000000000000001");
	put(&f, 0, "c", 1, "0.0000000000000000001");
	char *svg = render(sv_format_svg, finish(&f));
	long full = bar_width(svg, 0);
	assert_int_equal(bar_width(svg, 1), (full + 1) / 3);
	/* a bar too thin to see is not drawn, but its figure is */
	assert_int_equal(bar_width(svg, 2), -1);
	assert_non_null(strstr(svg, ">\xC2\xA3" "0.00</text>"));
	free(svg);
	fixture_free(&f);
}

/* Ensure the whole document for a small result: header, one bar per group, axis. */
static void test_svg_document(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	put(&f, JOBS, NULL, 92, "1577804.122");
	put(&f, SOCIAL, NULL, 63, "28413.82");
	char *svg = render(sv_format_svg, finish(&f));
	assert_string_equal(
		svg,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"800\" height=\"152\" "
		"viewBox=\"0 0 800 152\" font-family=\"system-ui, -apple-system, Segoe UI, Roboto, Helvetica "
		"Neue, Arial, Liberation Sans, DejaVu Sans, sans-serif\" font-size=\"13\">\n"
		"<title>Social value by theme \xE2\x80\x94 sv-calc open proxies 2025.1</title>\n"
		"<desc>Horizontal bar chart; total \xC2\xA3" "1,606,217.94 from 155 records; price year not given, gross.</desc>\n"
		"<rect width=\"800\" height=\"152\" fill=\"#ffffff\"/>\n"
		"<text x=\"16\" y=\"34\" font-size=\"18\" font-weight=\"bold\" fill=\"#1b1b1b\">Social value by "
		"theme \xE2\x80\x94 sv-calc open proxies 2025.1</text>\n"
		"<text x=\"16\" y=\"56\" fill=\"#595959\">Total \xC2\xA3" "1,606,217.94 from 155 records; price year not given, gross</text>\n"
		"<g>\n"
		"<title>Jobs: promote local skills and employment: \xC2\xA3" "1,577,804.12 (92 records)</title>\n"
		"<text x=\"330\" y=\"98\" text-anchor=\"end\" fill=\"#1b1b1b\">Jobs: promote local skills and "
		"employment</text>\n"
		"<rect class=\"bar\" x=\"340\" y=\"84\" width=\"348.00\" height=\"20\" fill=\"#2b6a99\"/>\n"
		"<text class=\"value\" x=\"694.00\" y=\"98\" font-size=\"12\" fill=\"#1b1b1b\">\xC2\xA3"
		"1,577,804.12</text>\n"
		"</g>\n"
		"<g>\n"
		"<title>Social: healthier, safer and more resilient communities: \xC2\xA3" "28,413.82 (63 "
		"records)</title>\n"
		"<text x=\"330\" y=\"128\" text-anchor=\"end\" fill=\"#1b1b1b\">Social: healthier, safer and "
		"more resilient\xE2\x80\xA6</text>\n"
		"<rect class=\"bar\" x=\"340\" y=\"114\" width=\"6.27\" height=\"20\" fill=\"#2b6a99\"/>\n"
		"<text class=\"value\" x=\"352.27\" y=\"128\" font-size=\"12\" fill=\"#1b1b1b\">\xC2\xA3"
		"28,413.82</text>\n"
		"</g>\n"
		"<line x1=\"340\" y1=\"79\" x2=\"340\" y2=\"139\" stroke=\"#8c8c8c\"/>\n"
		"</svg>\n");
	free(svg);
	fixture_free(&f);
}

/* Ensure < & " ' > in input text are escaped in labels, tooltips and the title. */
static void test_svg_escaping(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	put(&f, 0, "<b>Tom & \"Jerry's\"</b>", 1, "10");
	f.p.table.name[0] = '<';
	char *svg = render(sv_format_svg, finish(&f));
	const char *escaped = "&lt;b&gt;Tom &amp; &quot;Jerry&apos;s&quot;&lt;/b&gt;";
	assert_int_equal(count(svg, escaped), 2); /* the tooltip and the label */
	assert_null(strstr(svg, "<b>"));
	assert_null(strstr(svg, "Tom & "));
	assert_int_equal(count(svg, "&lt;v-calc open proxies"), 2);
	free(svg);
	fixture_free(&f);
}

/* Ensure a record-only group shows a dash and no bar, and a note explains the dash. */
static void test_svg_record_only(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_measure, measure_names, 1);
	put(&f, 0, NULL, 3, "117117");
	put(&f, 1, NULL, 12, NULL);
	char *svg = render(sv_format_svg, finish(&f));
	assert_int_equal(count(svg, "<rect class=\"bar\""), 1);
	assert_non_null(strstr(svg, "<title>Training: \xE2\x80\x94 (12 records)</title>\n"
				    "<text x=\"330\" y=\"128\" text-anchor=\"end\" fill=\"#1b1b1b\">Training</text>\n"
				    "<text class=\"value\" x=\"346.00\" y=\"128\" font-size=\"12\" "
				    "fill=\"#1b1b1b\">\xE2\x80\x94</text>\n"));
	assert_non_null(strstr(svg, ">\xE2\x80\x94 record-only measures: records counted, no \xC2\xA3 value</text>"));
	assert_non_null(strstr(svg, "Total \xC2\xA3" "117,117.00 from 15 records; price year not given, gross<"));
	free(svg);
	fixture_free(&f);
}

/* Ensure a result with no groups is still a chart: title, zero total and a note. */
static void test_svg_no_groups(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	char *svg = render(sv_format_svg, finish(&f));
	assert_non_null(strstr(svg, "width=\"800\" height=\"122\""));
	assert_non_null(strstr(svg, ">Total \xC2\xA3" "0.00 from 0 records; price year not given, gross</text>\n"
				    "<text x=\"16\" y=\"98\" fill=\"#595959\">No records to chart.</text>\n"
				    "</svg>\n"));
	assert_null(strstr(svg, "<rect class"));
	assert_null(strstr(svg, "<line"));
	free(svg);
	fixture_free(&f);
}

/* Ensure --from and --to put the period under the total, and push the bars down. */
static void test_svg_period(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	put(&f, JOBS, NULL, 1, "1");
	struct sv_provenance p = {.has_from = true, .from = 20240401, .has_to = true, .to = 20240630};
	f.result.provenance = &p;
	const struct sv_result *r = finish(&f);
	char *svg = render(sv_format_svg, r);
	assert_non_null(strstr(svg, "<text x=\"16\" y=\"78\" fill=\"#595959\">Records dated 1 April 2024 "
				    "\xE2\x80\x93 30 June 2024</text>\n"));
	assert_non_null(strstr(svg, "<rect class=\"bar\" x=\"340\" y=\"106\""));
	free(svg);
	p.has_to = false;
	svg = render(sv_format_svg, r);
	assert_non_null(strstr(svg, ">Records dated from 1 April 2024</text>"));
	free(svg);
	p = (struct sv_provenance){.has_to = true, .to = 20250331};
	svg = render(sv_format_svg, r);
	assert_non_null(strstr(svg, ">Records dated up to 31 March 2025</text>"));
	free(svg);
	fixture_free(&f);
}

/* Ensure several keys are joined by " · ", an empty column value reads (blank), and the title names every key. */
static void test_svg_several_keys(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme_site_fq, theme_site_fq_names, 3);
	struct sv_key_value kv[3] = {{INNOVATION, NULL, 0}, {0, "", 0}, {2024 * 4 + 0, NULL, 0}};
	put_keys(&f, kv, 2, "5412");
	char *svg = render(sv_format_svg, finish(&f));
	assert_non_null(strstr(svg, "<title>Social value by theme, site and financial quarter \xE2\x80\x94 "));
	assert_non_null(strstr(svg, "<title>Innovation: promote social innovation \xC2\xB7 (blank) \xC2\xB7 2024/25 Q1: "));
	free(svg);
	fixture_free(&f);
}

/* Ensure a label too wide for its 314 px is cut with an ellipsis, at a space when one is near, and one that fits is not. */
static void test_svg_long_labels(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	char digits[40];
	memset(digits, '7', 38);
	digits[38] = '\0';
	put(&f, 0, digits, 1, "1"); /* 38 x 8.3 px > 314 px */
	digits[37] = '\0';
	put(&f, 0, digits, 1, "1"); /* 37 x 8.3 px fit */
	put(&f, 0, "123456789012345678901234567890 5678901234", 1, "1");
	put(&f, 0, "\xE6\x9D\xB1\xE4\xBA\xAC\xE6\x9D\xB1\xE4\xBA\xAC\xE6\x9D\xB1\xE4\xBA\xAC"
		   "\xE6\x9D\xB1\xE4\xBA\xAC\xE6\x9D\xB1\xE4\xBA\xAC\xE6\x9D\xB1\xE4\xBA\xAC"
		   "\xE6\x9D\xB1\xE4\xBA\xAC\xE6\x9D\xB1\xE4\xBA\xAC\xE6\x9D\xB1\xE4\xBA\xAC"
		   "\xE6\x9D\xB1\xE4\xBA\xAC\xE6\x9D\xB1\xE4\xBA\xAC\xE6\x9D\xB1\xE4\xBA\xAC"
		   "\xE6\x9D\xB1\xE4\xBA\xAC",
	    1, "1");
	char *svg = render(sv_format_svg, finish(&f));
	char want[200];
	snprintf(want, sizeof want, "\">%s</text>", digits);
	assert_non_null(strstr(svg, want));
	digits[36] = '\0';
	snprintf(want, sizeof want, "\">%s\xE2\x80\xA6</text>", digits);
	assert_non_null(strstr(svg, want));
	assert_non_null(strstr(svg, "\">123456789012345678901234567890\xE2\x80\xA6</text>"));
	/* 26 wide characters of 13 px: 23 of them and the ellipsis fit */
	strcpy(want, "\">");
	for (int i = 0; i < 11; i++)
		strcat(want, "\xE6\x9D\xB1\xE4\xBA\xAC");
	strcat(want, "\xE6\x9D\xB1\xE2\x80\xA6</text>");
	assert_non_null(strstr(svg, want));
	free(svg);
	fixture_free(&f);
}

/* Ensure a cut label keeps every key: short keys whole, the long ones sharing the rest, each cut at a word. */
static void test_svg_long_labels_several_keys(void **state)
{
	(void)state;
	static const struct sv_key_spec keys[] = {{SV_KEY_THEME, NULL}, {SV_KEY_COLUMN, "site"}};
	static const char *const names[] = {"theme", "site"};
	struct fixture f;
	fixture_init(&f, keys, names, 2);
	struct sv_key_value kv[2] = {{GROWTH, NULL, 0}, {0, "Leeds", 5}};
	put_keys(&f, kv, 1, "2");
	kv[1] = (struct sv_key_value){0, "Seacroft Hospital, York Road, Leeds", 35};
	put_keys(&f, kv, 1, "1");
	char *svg = render(sv_format_svg, finish(&f));
	/* Leeds keeps its 38 px; the theme may have the rest */
	assert_non_null(strstr(svg, "\">Growth: support the growth of\xE2\x80\xA6 \xC2\xB7 Leeds</text>"));
	/* both too wide: they share the room equally */
	assert_non_null(strstr(svg, "\">Growth: support the\xE2\x80\xA6 \xC2\xB7 Seacroft Hospital,\xE2\x80\xA6</text>"));
	free(svg);
	fixture_free(&f);
}

/* Ensure control characters become spaces and invalid UTF-8 becomes U+FFFD, so the document stays valid XML and UTF-8. */
static void test_svg_unsafe_bytes(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	put(&f, 0, "two\nlines\x01\xA3" "5\xEF\xBF\xBF", 1, "1");
	char *svg = render(sv_format_svg, finish(&f));
	assert_int_equal(count(svg, ">two lines \xEF\xBF\xBD" "5\xEF\xBF\xBD<"), 1);
	assert_int_equal(count(svg, "<title>two lines \xEF\xBF\xBD" "5\xEF\xBF\xBD: "), 1);
	free(svg);
	fixture_free(&f);
}

/* Ensure the same result gives the same bytes. */
static void test_svg_deterministic(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	put(&f, GROWTH, NULL, 105, "382625.06");
	put(&f, JOBS, NULL, 92, "1577804.122");
	const struct sv_result *r = finish(&f);
	char *a = render(sv_format_svg, r), *b = render(sv_format_svg, r);
	assert_string_equal(a, b);
	free(a);
	free(b);
	fixture_free(&f);
}

/* Ensure figures too wide for the usual room widen the chart instead of
 * shrinking the bars below 200 px.  A gross figure is at most 1.7 x 10^19
 * pounds, which fits; a net one may be millions of times that. */
static void test_svg_huge_figures_widen(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	sv_groups_track_measures(f.p.groups, f.p.table.n_measures);
	const struct sv_key_value kv = {0, "a", 1};
	const sv_amount gross = amount("17014118346046923173");
	assert_int_equal(sv_groups_add_measure_sum(f.p.groups, &kv, 0, 1, true, gross), SV_OK);
	f.result.total = gross;
	f.result.total_records = 1;
	/* GBP 85,070,591,730,234,615,865,000,000.00: 257 px */
	static const int64_t net[2] = {5000000 * SV_FACTOR_SCALE, SV_FACTOR_SCALE};
	f.result.net_factors = net;
	f.result.n_factors = 2;
	char *svg = render(sv_format_svg, finish(&f));
	assert_non_null(strstr(svg, "\xC2\xA3" "85,070,591,730,234,615,865,000,000.00<"));
	/* 340 + 200 + (257 px of figure + 8) + 16 */
	assert_non_null(strstr(svg, "width=\"821\" height=\"122\" viewBox=\"0 0 821 122\""));
	assert_int_equal(bar_width(svg, 0), 20000);
	free(svg);
	fixture_free(&f);
}


/* ---- charts over time ------------------------------------------------------- */

static const struct sv_key_spec by_theme_fq[] = {{SV_KEY_THEME, NULL}, {SV_KEY_FQ, NULL}};
static const char *const theme_fq_names[] = {"theme", "fq"};
static const struct sv_key_spec by_site_fq[] = {{SV_KEY_COLUMN, "site"}, {SV_KEY_FQ, NULL}};
static const char *const site_fq_names[] = {"site", "fq"};
static const struct sv_key_spec by_month_site[] = {{SV_KEY_MONTH, NULL}, {SV_KEY_COLUMN, "site"}};
static const char *const month_site_names[] = {"month", "site"};
static const struct sv_key_spec by_fq[] = {{SV_KEY_FQ, NULL}};
static const char *const fq_names[] = {"fq"};

#define Q1 (2024 * 4 + 0)
#define Q2 (2024 * 4 + 1)

static void put2(struct fixture *f, int64_t num, const char *text, int64_t period, uint64_t records,
		 const char *exact)
{
	struct sv_key_value kv[2] = {{num, text, text ? strlen(text) : 0}, {period, NULL, 0}};
	put_keys(f, kv, records, exact);
}

/* Ensure a period key gives a cluster of columns per period, a column per theme in a legend, heights from the exact figures on a round scale, and the brief figure on each. */
static void test_over_time_grouped(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme_fq, theme_fq_names, 2);
	put2(&f, JOBS, NULL, Q1, 3, "100");
	put2(&f, JOBS, NULL, Q2, 4, "200");
	put2(&f, GROWTH, NULL, Q1, 1, "50");
	const struct sv_result *r = finish(&f);
	assert_true(sv_chart_over_time(r));
	char *svg = render(sv_format_svg, r);
	assert_non_null(strstr(svg, "<desc>Column chart over time by financial quarter: grouped columns, one per series in each period; "
				    "total \xC2\xA3" "350.00 from 8 records; price year not given, gross.</desc>"));
	/* the legend: the themes' brief names, in table order, and their fills */
	assert_int_equal(count(svg, "<g class=\"legend\">"), 2);
	const char *jobs = strstr(svg, "fill=\"#1f4e79\" stroke=\"#1b1b1b\" stroke-width=\"0.6\"/>\n<text x=\"36\" y=\"83\" "
				       "font-size=\"12\" fill=\"#1b1b1b\">Jobs</text>");
	assert_non_null(jobs);
	assert_non_null(strstr(jobs, "fill=\"#f2b134\" stroke=\"#1b1b1b\" stroke-width=\"0.6\"/>\n<text x=\"" ));
	assert_non_null(strstr(svg, ">Growth</text>"));
	/* two colours only: no patterns to define */
	assert_null(strstr(svg, "<defs>"));
	/* £0 to £200 in steps of £50; 280 px for £200 */
	for (const char *const *tick = (const char *const[]){">\xC2\xA3" "0<", ">\xC2\xA3" "50<", ">\xC2\xA3" "100<",
							      ">\xC2\xA3" "150<", ">\xC2\xA3" "200<", NULL};
	     *tick; tick++)
		assert_non_null(strstr(svg, *tick));
	assert_int_equal(count(svg, "<rect class=\"bar\""), 3);
	assert_int_equal(count(svg, "height=\"140.00\" fill=\"#1f4e79\""), 1);
	assert_int_equal(count(svg, "height=\"280.00\" fill=\"#1f4e79\""), 1);
	assert_int_equal(count(svg, "height=\"70.00\" fill=\"#f2b134\""), 1);
	assert_non_null(strstr(svg, "<title>Jobs: promote local skills and employment \xC2\xB7 2024/25 Q2: \xC2\xA3"
				    "200.00 (4 records)</title>"));
	assert_non_null(strstr(svg, "text-anchor=\"middle\" font-size=\"11\" fill=\"#1b1b1b\">\xC2\xA3" "200</text>"));
	assert_int_equal(count(svg, ">2024/25 Q1</text>"), 1);
	assert_int_equal(count(svg, ">2024/25 Q2</text>"), 1);
	free(svg);
	fixture_free(&f);
}

/* Ensure a result without a period key keeps the bar chart, and so does one with no groups. */
static void test_over_time_needs_period(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	put(&f, JOBS, NULL, 1, "1");
	assert_false(sv_chart_over_time(finish(&f)));
	fixture_free(&f);
	fixture_init(&f, by_fq, fq_names, 1);
	const struct sv_result *r = finish(&f);
	assert_false(sv_chart_over_time(r));
	char *svg = render(sv_format_svg, r);
	assert_non_null(strstr(svg, "No records to chart."));
	free(svg);
	fixture_free(&f);
}

/* Ensure one series (only a period key) needs no legend, and a round scale in thousands reads "£500k", "£1.5m". */
static void test_over_time_one_series(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_fq, fq_names, 1);
	put(&f, Q1, NULL, 2, "1234567");
	put(&f, Q2, NULL, 2, "382625.06");
	char *svg = render(sv_format_svg, finish(&f));
	assert_null(strstr(svg, "class=\"legend\""));
	assert_non_null(strstr(svg, "one column per period"));
	assert_non_null(strstr(svg, ">\xC2\xA3" "500k</text>"));
	assert_non_null(strstr(svg, ">\xC2\xA3" "1.5m</text>"));
	assert_non_null(strstr(svg, ">\xC2\xA3" "1.23m</text>"));
	assert_non_null(strstr(svg, ">\xC2\xA3" "383k</text>"));
	/* 1234567 / 1500000 of 280 px */
	assert_non_null(strstr(svg, "height=\"230.45\""));
	free(svg);
	fixture_free(&f);
}

/* Ensure past six series the five largest keep a column and "Other" adds the rest exactly: three £0.004 are £0.01 together, not three £0.00. */
static void test_over_time_other(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site_fq, site_fq_names, 2);
	static const char *const sites[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
	static const char *const values[] = {"0.004", "800", "0.004", "700", "600", "500", "0.004", "400"};
	for (size_t i = 0; i < 8; i++)
		put2(&f, 0, sites[i], Q1, 1, values[i]);
	char *svg = render(sv_format_svg, finish(&f));
	assert_int_equal(count(svg, "<g class=\"legend\">"), 6);
	assert_non_null(strstr(svg, ">Other (3)</text>"));
	assert_null(strstr(svg, ">a</text>"));
	/* in result order: b, d, e, f, h, then Other */
	const char *b = strstr(svg, ">b</text>"), *d = strstr(svg, ">d</text>"), *h = strstr(svg, ">h</text>");
	assert_true(b && d && h && b < d && d < h && h < strstr(svg, ">Other (3)<"));
	assert_non_null(strstr(svg, "<title>Other (3 series) \xC2\xB7 2024/25 Q1: \xC2\xA3" "0.01 (3 records)</title>"));
	assert_non_null(strstr(svg, "<defs>"));
	assert_non_null(strstr(svg, "fill=\"url(#svc-s5)\""));
	free(svg);
	fixture_free(&f);
}

/* Ensure columns too thin to read are stacked, one a period under its total, each segment starting where the one below ends. */
static void test_over_time_stacked(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_month_site, month_site_names, 2);
	for (int m = 0; m < 24; m++) {
		struct sv_key_value kv[2] = {{2024 * 12 + m, NULL, 0}, {0, "Leeds", 5}};
		put_keys(&f, kv, 1, "100");
		kv[1] = (struct sv_key_value){0, "York", 4};
		put_keys(&f, kv, 1, "200");
		kv[1] = (struct sv_key_value){0, "Hull", 4};
		put_keys(&f, kv, 1, "0.5");
	}
	char *svg = render(sv_format_svg, finish(&f));
	assert_non_null(strstr(svg, "stacked columns, one per period"));
	assert_int_equal(count(svg, "<rect class=\"bar\""), 72);
	/* £0 to £400 over 280 px: Hull 0.35 px, Leeds 70, York 140 on top */
	assert_int_equal(count(svg, "height=\"0.35\""), 24);
	assert_int_equal(count(svg, "height=\"70.00\""), 24);
	assert_int_equal(count(svg, "height=\"140.00\""), 24);
	/* the period's total above its column, rotated when it is wider */
	assert_int_equal(count(svg, ">\xC2\xA3" "301</text>"), 24);
	free(svg);
	fixture_free(&f);
}

/* Ensure many periods widen the chart rather than squeeze it, and their labels turn to fit. */
static void test_over_time_many_periods(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_fq, fq_names, 1);
	for (int q = 0; q < 60; q++)
		put(&f, 2000 * 4 + q, NULL, 1, "1");
	char *svg = render(sv_format_svg, finish(&f));
	/* 60 periods of 24 px beside the axis labels */
	unsigned width = 0;
	assert_int_equal(sscanf(strstr(svg, " width=\""), " width=\"%u\"", &width), 1);
	assert_true(width > 60 * 24);
	assert_int_equal(count(svg, "rotate(-45)"), 60);
	assert_non_null(strstr(svg, ">2014/15 Q4</text>"));
	free(svg);
	fixture_free(&f);
}

/* Ensure a series of record-only groups gets no column, a record-only group of a charted series shows a dash, and a note says why. */
static void test_over_time_record_only(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site_fq, site_fq_names, 2);
	put2(&f, 0, "counted", Q1, 5, NULL);
	put2(&f, 0, "valued", Q1, 1, "10");
	put2(&f, 0, "valued", Q2, 2, NULL);
	char *svg = render(sv_format_svg, finish(&f));
	assert_null(strstr(svg, ">counted</text>"));
	assert_int_equal(count(svg, "<rect class=\"bar\""), 1);
	assert_non_null(strstr(svg, "<title>valued \xC2\xB7 2024/25 Q2: \xE2\x80\x94 (2 records)</title>"));
	assert_non_null(strstr(svg, ">\xE2\x80\x94 record-only measures: records counted, no \xC2\xA3 value</text>"));
	free(svg);
	fixture_free(&f);
}

/* Ensure labels and the legend escape input text, and the chart for a page has no XML declaration or namespace. */
static void test_over_time_escaping_inline(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_site_fq, site_fq_names, 2);
	put2(&f, 0, "<script>&", Q1, 1, "1");
	put2(&f, 0, "b", Q1, 1, "2");
	const struct sv_result *r = finish(&f);
	char *svg = render(sv_format_svg, r);
	assert_null(strstr(svg, "<script"));
	assert_int_equal(count(svg, "&lt;script&gt;&amp;"), 2); /* the legend and a tooltip */
	free(svg);
	struct out o;
	sv_chart_svg_inline(out_start(&o), r);
	char *text = out_end(&o);
	assert_memory_equal(text, "<svg class=\"chart\" role=\"img\" width=", 36);
	assert_null(strstr(text, "<?xml"));
	assert_null(strstr(text, "http"));
	free(text);
	fixture_free(&f);
}

/* ---- headline --------------------------------------------------------------- */

/* Ensure the report sentence for the q1 example, themes by their brief names. */
static void test_headline_example(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	put(&f, JOBS, NULL, 92, "1577804.122");
	put(&f, GROWTH, NULL, 105, "382625.06");
	put(&f, SOCIAL, NULL, 63, "28413.82");
	put(&f, ENVIRONMENT, NULL, 5, "13874.1786");
	put(&f, INNOVATION, NULL, 2, "5412.00");
	char *text = render(sv_format_headline, finish(&f));
	assert_string_equal(text, "\xC2\xA3" "2.01 million of gross social value (Jobs \xC2\xA3" "1.58m, Growth \xC2\xA3"
				  "383k, Social \xC2\xA3" "28.4k, Environment \xC2\xA3" "13.9k, Innovation \xC2\xA3"
				  "5.41k) from 267 records; exact total \xC2\xA3" "2,008,129.18.\n");
	free(text);
	fixture_free(&f);
}

/* Ensure no groups give a zero sentence without parentheses. */
static void test_headline_no_groups(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme, theme_names, 1);
	char *text = render(sv_format_headline, finish(&f));
	assert_string_equal(text, "\xC2\xA3" "0 of gross social value from 0 records; exact total \xC2\xA3" "0.00.\n");
	free(text);
	fixture_free(&f);
}

/* Ensure a record-only group gives its record count, and one record is "1 record". */
static void test_headline_record_only(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_measure, measure_names, 1);
	put(&f, 0, NULL, 1, "39039");
	put(&f, 1, NULL, 12, NULL);
	char *text = render(sv_format_headline, finish(&f));
	assert_string_equal(text, "\xC2\xA3" "39.0k of gross social value (Local FTE \xC2\xA3" "39.0k, Training 12 records) "
				  "from 13 records; exact total \xC2\xA3" "39,039.00.\n");
	free(text);
	fixture_free(&f);
}

/* The sentence for one site group "a" worth exact pounds. */
static char *one_group_headline(const char *exact)
{
	struct fixture f;
	fixture_init(&f, by_site, site_names, 1);
	put(&f, 0, "a", 1, exact);
	char *text = render(sv_format_headline, finish(&f));
	fixture_free(&f);
	return text;
}

/* Ensure 3 significant figures, half away from zero from the penny figure, at every unit boundary. */
static void test_headline_rounding(void **state)
{
	(void)state;
	static const struct {
		const char *exact, *lead, *brief;
	} cases[] = {
		{"0", "\xC2\xA3" "0", "\xC2\xA3" "0"},
		{"0.004", "\xC2\xA3" "0", "\xC2\xA3" "0"},
		{"0.005", "\xC2\xA3" "0.01", "\xC2\xA3" "0.01"},
		{"0.5", "\xC2\xA3" "0.50", "\xC2\xA3" "0.50"},
		{"5.41", "\xC2\xA3" "5.41", "\xC2\xA3" "5.41"},
		{"12", "\xC2\xA3" "12", "\xC2\xA3" "12"},
		{"12.34", "\xC2\xA3" "12.30", "\xC2\xA3" "12.30"},
		{"17.04", "\xC2\xA3" "17", "\xC2\xA3" "17"}, /* 17.0: no pence left to show */
		{"12.35", "\xC2\xA3" "12.40", "\xC2\xA3" "12.40"},
		{"99.95", "\xC2\xA3" "100", "\xC2\xA3" "100"},
		{"999.49", "\xC2\xA3" "999", "\xC2\xA3" "999"},
		{"999.4949", "\xC2\xA3" "999", "\xC2\xA3" "999"},
		/* rounded to the penny first, as the exact total beside it is */
		{"999.495", "\xC2\xA3" "1.00k", "\xC2\xA3" "1.00k"},
		{"999.5", "\xC2\xA3" "1.00k", "\xC2\xA3" "1.00k"},
		{"1000", "\xC2\xA3" "1.00k", "\xC2\xA3" "1.00k"},
		{"5412", "\xC2\xA3" "5.41k", "\xC2\xA3" "5.41k"},
		{"9995", "\xC2\xA3" "10.0k", "\xC2\xA3" "10.0k"},
		{"28413.82", "\xC2\xA3" "28.4k", "\xC2\xA3" "28.4k"},
		{"382625.06", "\xC2\xA3" "383k", "\xC2\xA3" "383k"},
		{"999499", "\xC2\xA3" "999k", "\xC2\xA3" "999k"},
		{"999499.99", "\xC2\xA3" "999k", "\xC2\xA3" "999k"},
		{"999500", "\xC2\xA3" "1.00 million", "\xC2\xA3" "1.00m"},
		{"1234567.89", "\xC2\xA3" "1.23 million", "\xC2\xA3" "1.23m"},
		{"1235000", "\xC2\xA3" "1.24 million", "\xC2\xA3" "1.24m"},
		{"14949999.99", "\xC2\xA3" "14.9 million", "\xC2\xA3" "14.9m"},
		{"14950000", "\xC2\xA3" "15.0 million", "\xC2\xA3" "15.0m"},
		{"999499999.99", "\xC2\xA3" "999 million", "\xC2\xA3" "999m"},
		{"999500000", "\xC2\xA3" "1.00 billion", "\xC2\xA3" "1.00bn"},
		{"123456789012", "\xC2\xA3" "123 billion", "\xC2\xA3" "123bn"},
		{"1234567890123", "\xC2\xA3" "1,230 billion", "\xC2\xA3" "1,230bn"},
		{"17014118346046923173.1687303715884105727", "\xC2\xA3" "17,000,000,000 billion",
		 "\xC2\xA3" "17,000,000,000bn"},
		{"9994999999999999999.9949999999999999999", "\xC2\xA3" "9,990,000,000 billion",
		 "\xC2\xA3" "9,990,000,000bn"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = one_group_headline(cases[i].exact);
		char pence[SV_MONEY_TEXT_MAX], want[300];
		sv_format_pence_pretty(pence, sv_amount_to_pence(amount(cases[i].exact), 1));
		snprintf(want, sizeof want, "%s of gross social value (a %s) from 1 record; exact total %s.\n", cases[i].lead,
			 cases[i].brief, pence);
		if (strcmp(text, want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].exact, text, want);
		free(text);
	}
}

/* Ensure a negative figure (only a hand-made merged result can have one) is rounded on its magnitude. */
static void test_headline_negative(void **state)
{
	(void)state;
	char *text = one_group_headline("-1234.5");
	assert_string_equal(text, "-\xC2\xA3" "1.23k of gross social value (a -\xC2\xA3" "1.23k) from 1 record; exact total -\xC2\xA3"
				  "1,234.50.\n");
	free(text);
}

/* Ensure several keys are joined by " · " with brief theme names, (blank) for an empty value, on one line. */
static void test_headline_keys_one_line(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme_site_fq, theme_site_fq_names, 3);
	struct sv_key_value kv[3] = {{JOBS, NULL, 0}, {0, "", 0}, {2024 * 4 + 0, NULL, 0}};
	put_keys(&f, kv, 1, "39039");
	kv[0].num = SKILLS;
	kv[1] = (struct sv_key_value){0, "St James's\r\nHospital", 20};
	put_keys(&f, kv, 2, "17.04");
	char *text = render(sv_format_headline, finish(&f));
	assert_string_equal(text, "\xC2\xA3" "39.1k of gross social value (Jobs \xC2\xB7 (blank) \xC2\xB7 2024/25 Q1 \xC2\xA3"
				  "39.0k, Skills & <training> \xC2\xB7 St James's  Hospital \xC2\xB7 2024/25 Q1 \xC2\xA3"
				  "17) from 3 records; exact total \xC2\xA3" "39,056.04.\n");
	free(text);
	fixture_free(&f);
}

/* Ensure a chart label is the headline's, cut whole at the buffer's end. */
static void test_chart_label(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, by_theme_site_fq, theme_site_fq_names, 3);
	struct sv_key_value kv[3] = {{JOBS, NULL, 0}, {0, "Caffi Si\xC3\xA2n\t1", 13}, {2024 * 4 + 0, NULL, 0}};
	put_keys(&f, kv, 1, "39039");
	const struct sv_result *r = finish(&f);
	char buf[64];
	size_t n = sv_chart_label(buf, sizeof buf, r, r->groups[0]);
	assert_string_equal(buf, "Jobs \xC2\xB7 Caffi Si\xC3\xA2n 1 \xC2\xB7 2024/25 Q1");
	assert_int_equal(n, strlen(buf));
	/* room for "Jobs · Caffi Si" and half of "â": the letter is left out */
	n = sv_chart_label(buf, 18, r, r->groups[0]);
	assert_string_equal(buf, "Jobs \xC2\xB7 Caffi Si");
	assert_int_equal(n, 16);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg_bar_proportions),
		cmocka_unit_test(test_svg_bar_exact_ratio),
		cmocka_unit_test(test_svg_document),
		cmocka_unit_test(test_svg_escaping),
		cmocka_unit_test(test_svg_record_only),
		cmocka_unit_test(test_svg_no_groups),
		cmocka_unit_test(test_svg_period),
		cmocka_unit_test(test_svg_several_keys),
		cmocka_unit_test(test_svg_long_labels),
		cmocka_unit_test(test_svg_long_labels_several_keys),
		cmocka_unit_test(test_svg_unsafe_bytes),
		cmocka_unit_test(test_svg_deterministic),
		cmocka_unit_test(test_svg_huge_figures_widen),
		cmocka_unit_test(test_over_time_grouped),
		cmocka_unit_test(test_over_time_needs_period),
		cmocka_unit_test(test_over_time_one_series),
		cmocka_unit_test(test_over_time_other),
		cmocka_unit_test(test_over_time_stacked),
		cmocka_unit_test(test_over_time_many_periods),
		cmocka_unit_test(test_over_time_record_only),
		cmocka_unit_test(test_over_time_escaping_inline),
		cmocka_unit_test(test_headline_example),
		cmocka_unit_test(test_headline_no_groups),
		cmocka_unit_test(test_headline_record_only),
		cmocka_unit_test(test_headline_rounding),
		cmocka_unit_test(test_headline_negative),
		cmocka_unit_test(test_headline_keys_one_line),
		cmocka_unit_test(test_chart_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
