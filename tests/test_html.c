/*
 * test_html.c - the html format: escaping, and the page's structure.
 *
 * Results are built by hand as in test_chart.c: a small table loaded from
 * JSON, and groups given exact sums per measure, as a valuation that
 * tracks measures would have them.
 */
#include "test_util.h"

#include "sv_chart.h"
#include "sv_format.h"
#include "sv_html.h"
#include "sv_proxy.h"
#include "sv_utf8.h"

#include <stdbool.h>

/* Two themes, a measure with a web address for a source, one whose source
 * is an address of another kind, and a record-only one. */
static const char html_table[] =
	"{\"name\": \"test <table>\", \"version\": \"1 & 2\", \"price_year\": \"2026/27\", "
	"\"attribution\": \"Contains <public> sector information.\", \"themes\": ["
	"{\"id\": \"jobs\", \"name\": \"Jobs: local skills\"}, "
	"{\"id\": \"social\", \"name\": \"Social & <communities>\"}], "
	"\"measures\": ["
	"{\"id\": \"NT1\", \"theme\": \"jobs\", \"name\": \"Local FTE\", \"unit\": \"FTE-year\", "
	"\"value\": 41111.78, \"value_type\": \"LEV\", \"source\": \"https://example.org/ashe?a=1&b=2\", "
	"\"licence\": \"OGL-UK-3.0\", \"derivation\": \"Median earnings <rounded> & rebased.\"}, "
	"{\"id\": \"VOL\", \"theme\": \"social\", \"name\": \"Volunteering\", \"unit\": \"hour\", "
	"\"value\": 18.32, \"value_type\": \"social\", \"source\": \"javascript:alert(1)\", "
	"\"licence\": \"OGL-UK-3.0\"}, "
	"{\"id\": \"TR\", \"theme\": \"social\", \"name\": \"Training\", \"unit\": \"course\", "
	"\"value\": null, \"value_type\": \"social\", \"licence\": \"n/a (record-only)\"}]}";

enum { NT1, VOL, TR };

struct fixture {
	struct result_parts p;
	uint64_t used[3];
	struct sv_input_info inputs[2];
	struct sv_provenance provenance;
	struct sv_result result;
};

static const struct sv_key_spec by_site[] = {{SV_KEY_COLUMN, "site"}};
static const char *const site_names[] = {"site"};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	result_parts_init(&f->p, html_table, by_site, site_names, 1);
	sv_groups_track_measures(f->p.groups, f->p.table.n_measures);
}

/* Adds records of one measure worth an exact sum (NULL: record-only) to
 * the group of a site. */
static void put(struct fixture *f, const char *site, size_t measure, uint64_t records, const char *exact)
{
	sv_amount value = 0;
	if (exact)
		assert_true(sv_amount_parse(exact, strlen(exact), 1, &value));
	struct sv_key_value kv = {0, site, strlen(site)};
	assert_int_equal(sv_groups_add_measure_sum(f->p.groups, &kv, measure, records, exact != NULL, value), SV_OK);
	f->result.total += value;
	f->result.total_records += records;
	f->used[measure] += records;
}

static struct sv_result *finish(struct fixture *f)
{
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(f->p.groups, &n);
	assert_non_null(sorted);
	static const char digest[] = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
	f->provenance = (struct sv_provenance){.table_sha256 = digest};
	f->inputs[0] = (struct sv_input_info){.name = "b <2>.csv", .bytes = 1234};
	memcpy(f->inputs[0].sha256, digest, 65);
	f->inputs[1] = (struct sv_input_info){.name = "a.csv", .bytes = 5};
	memcpy(f->inputs[1].sha256, digest, 65);
	f->inputs[1].sha256[0] = 'f';
	f->result = (struct sv_result){.table = &f->p.table, .provenance = &f->provenance, .keys = f->p.keys,
				       .key_names = f->p.names, .n_keys = 1, .groups = sorted, .n_groups = n,
				       .inputs = f->inputs, .n_inputs = 2, .total_records = f->result.total_records,
				       .total = f->result.total, .unit_lcm = 1, .measure_records = f->used,
				       .n_measure_records = 3,
				       .price_basis = "2026/27 prices"};
	f->result.counts.read = f->result.counts.valued = f->result.total_records;
	return &f->result;
}

static void fixture_free(struct fixture *f)
{
	result_parts_free(&f->p);
}

/* What an XML parser checks, after the doctype: the page is XHTML too, so
 * that any XML tool can read it. */
static void assert_well_formed(const char *page)
{
	assert_well_formed_xml(page, "<!DOCTYPE html>\n", true);
}

static char *render(const struct sv_result *r)
{
	struct out o;
	sv_format_html(out_start(&o), r);
	char *text = out_end(&o);
	assert_well_formed(text);
	return text;
}

static char *escaped(const char *s, size_t n)
{
	struct out o;
	sv_write_xml_text(out_start(&o), s, n);
	return out_end(&o);
}

/* ---- escaping ----------------------------------------------------------------- */

/* Ensure the five markup characters become entities and other text stays as it is. */
static void test_escape_markup(void **state)
{
	(void)state;
	const char *s = "<script>alert('x' & \"y\")</script> Caf\xC3\xA9 \xC2\xA3" "5  ";
	char *text = escaped(s, strlen(s));
	assert_string_equal(text, "&lt;script&gt;alert(&apos;x&apos; &amp; &quot;y&quot;)&lt;/script&gt; Caf\xC3\xA9 "
				  "\xC2\xA3" "5  ");
	free(text);
}

/* Ensure control characters become spaces, and invalid UTF-8 and the non-characters U+FFFE/U+FFFF become U+FFFD. */
static void test_escape_unsafe_bytes(void **state)
{
	(void)state;
	const char s[] = "a\nb\tc\x01\x7F" "d\xFF" "e\xEF\xBF\xBE" "f\xC2\x85g";
	char *text = escaped(s, sizeof s - 1);
	assert_string_equal(text, "a b c  d\xEF\xBF\xBD" "e\xEF\xBF\xBD" "f g");
	free(text);
}

/* Ensure an embedded NUL is text like any control character, not the end. */
static void test_escape_length(void **state)
{
	(void)state;
	char *text = escaped("a\0<", 3);
	assert_string_equal(text, "a &lt;");
	free(text);
}

/* ---- the page ----------------------------------------------------------------- */

static void two_sites(struct fixture *f)
{
	fixture_init(f);
	put(f, "Leeds", NT1, 2, "82223.56");
	put(f, "Leeds", VOL, 10, "183.2");
	put(f, "<script>alert(1)</script> & co", VOL, 1, "18.32");
	put(f, "<script>alert(1)</script> & co", TR, 3, NULL);
}

/* Ensure the sections come in order: head with the style, cover, chart, totals, by measure, records, appendix, footer. */
static void test_page_structure(void **state)
{
	(void)state;
	struct fixture f;
	two_sites(&f);
	char *page = render(finish(&f));
	static const char *const parts[] = {
		"<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\"/>\n",
		"<title>Social value by site \xE2\x80\x94 test &lt;table&gt; 1 &amp; 2</title>\n<style>\n",
		"@page{size:A4;",
		"</style>\n</head>\n<body>\n<header class=\"cover\">",
		"<h1>Social value by site</h1>",
		"<p class=\"headline\">\xC2\xA3" "82.4k of gross social value at 2026/27 prices (&lt;script&gt;",
		"<dd>\xC2\xA3" "82,425.08</dd>",
		"<section class=\"chart\" id=\"chart\">\n<h2>Chart</h2>\n<figure>\n<svg class=\"chart\" role=\"img\"",
		"<section id=\"totals\">",
		"<table class=\"totals\">",
		"<tfoot>\n<tr><th scope=\"row\">Total</th><td class=\"num\">16</td><td class=\"num\">\xC2\xA3"
		"82,425.08</td></tr>\n</tfoot>",
		"<section id=\"by-measure\">",
		"<section id=\"records\">",
		"<section class=\"appendix\" id=\"method\">",
		"<h3>Measures used</h3>",
		"<h3>Licences and attribution</h3>",
		"</main>\n<footer>",
		"</footer>\n</body>\n</html>\n",
	};
	const char *at = page;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const char *next = strstr(at, parts[i]);
		if (!next)
			fail_msg("not found after the part before: %s", parts[i]);
		at = next + strlen(parts[i]);
	}
	/* nothing to run, nothing fetched */
	assert_null(strstr(page, "<script"));
	assert_null(strstr(page, " src="));
	assert_null(strstr(page, "<link"));
	assert_null(strstr(page, "@import"));
	assert_null(strstr(page, "url(http"));
	free(page);
	fixture_free(&f);
}

/* Ensure text from inputs and the table is escaped wherever it appears. */
static void test_page_escapes(void **state)
{
	(void)state;
	struct fixture f;
	two_sites(&f);
	char *page = render(finish(&f));
	/* the headline, the chart's tooltip and label, the totals table and
	 * the by-measure heading */
	assert_true(count(page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") >= 5);
	assert_non_null(strstr(page, "<td>b &lt;2&gt;.csv</td>"));
	assert_non_null(strstr(page, "Median earnings &lt;rounded&gt; &amp; rebased."));
	assert_non_null(strstr(page, "<p class=\"attribution\">Contains &lt;public&gt; sector information.</p>"));
	assert_non_null(strstr(page, "Social &amp; &lt;communities&gt;"));
	free(page);
	fixture_free(&f);
}

/* Ensure only a source that is a web address becomes a link, its '&' escaped in the href, and the page names no other address. */
static void test_page_links(void **state)
{
	(void)state;
	struct fixture f;
	two_sites(&f);
	char *page = render(finish(&f));
	assert_int_equal(count(page, "<a href="), 1);
	assert_non_null(strstr(page, "<a href=\"https://example.org/ashe?a=1&amp;b=2\">https://example.org/ashe?a=1&amp;b=2</a>"));
	assert_null(strstr(page, "href=\"javascript"));
	assert_non_null(strstr(page, "<dd>javascript:alert(1)</dd>"));
	assert_int_equal(count(page, "http"), 2);
	assert_true(strstr(page, "https://") > strstr(page, "class=\"appendix\""));
	free(page);
	fixture_free(&f);
}

/* Ensure each group's figures by measure, a record-only measure with a dash. */
static void test_page_by_measure(void **state)
{
	(void)state;
	struct fixture f;
	two_sites(&f);
	char *page = render(finish(&f));
	const char *leeds = strstr(page, "<tr class=\"group\"><th colspan=\"3\" scope=\"rowgroup\">Leeds</th></tr>");
	assert_non_null(leeds);
	assert_non_null(strstr(leeds, "<tr><td>Local FTE<span class=\"id\">NT1</span></td><td class=\"num\">2</td>"
				      "<td class=\"num\">\xC2\xA3" "82,223.56</td></tr>\n"
				      "<tr><td>Volunteering<span class=\"id\">VOL</span></td><td class=\"num\">10</td>"
				      "<td class=\"num\">\xC2\xA3" "183.20</td></tr>\n</tbody>"));
	assert_non_null(strstr(page, "<tr><td>Training<span class=\"id\">TR</span></td><td class=\"num\">3</td>"
				     "<td class=\"num\">\xE2\x80\x94</td></tr>"));
	free(page);
	fixture_free(&f);
}

/* Ensure the counts and inputs: names in byte order, sizes, digests; ignored rows only when a profile was used. */
static void test_page_records_inputs(void **state)
{
	(void)state;
	struct fixture f;
	two_sites(&f);
	struct sv_result *r = finish(&f);
	r->counts = (struct sv_counts){.read = 20, .valued = 16, .invalid = 1, .filtered = 3};
	char *page = render(r);
	assert_non_null(strstr(page, "<tr><th scope=\"row\">Records read</th><td class=\"num\">20</td></tr>"));
	assert_non_null(strstr(page, "<tr><th scope=\"row\">Filtered out by --from/--to</th><td class=\"num\">3</td></tr>"));
	assert_null(strstr(page, "Ignored"));
	const char *a = strstr(page, "<tr><td>a.csv</td><td class=\"num\">5</td><td class=\"digest\"><code>fb12ab12");
	const char *b = strstr(page, "<tr><td>b &lt;2&gt;.csv</td><td class=\"num\">1,234</td>");
	assert_true(a && b && a < b);
	free(page);
	r->counts.with_ignored = true;
	r->counts.ignored = 7;
	page = render(r);
	assert_non_null(strstr(page, "Ignored by a profile&#39;s rules</th><td class=\"num\">7</td>"));
	free(page);
	fixture_free(&f);
}

/* Ensure the appendix lists only the measures used, with value, unit, records, licence and derivation, and the licences once. */
static void test_page_appendix(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f);
	put(&f, "Leeds", NT1, 2, "82223.56");
	char *page = render(finish(&f));
	const char *appendix = strstr(page, "class=\"appendix\"");
	assert_non_null(strstr(appendix, "<h4>Local FTE<span class=\"id\">NT1</span></h4>"));
	assert_non_null(strstr(appendix, "<dt>Value</dt><dd>\xC2\xA3" "41,111.78 per FTE-year, 2026/27 prices</dd>"));
	assert_non_null(strstr(appendix, "<dt>Records</dt><dd>2</dd>"));
	assert_non_null(strstr(appendix, "<dt>Licence</dt><dd>OGL-UK-3.0</dd>"));
	assert_null(strstr(appendix, "Volunteering"));
	assert_non_null(strstr(appendix, "<p>Licences of the figures used: OGL-UK-3.0.</p>"));
	assert_non_null(strstr(appendix, "<code>ab12ab12"));
	free(page);
	fixture_free(&f);
}

/* Ensure a table without its own attribution gets the Open Government Licence's when a measure used cites it. */
static void test_page_ogl_attribution(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f);
	free(f.p.table.attribution);
	f.p.table.attribution = NULL;
	put(&f, "Leeds", VOL, 1, "18.32");
	char *page = render(finish(&f));
	assert_non_null(strstr(page, "<p class=\"attribution\">Contains public sector information licensed under the "
				     "Open Government Licence v3.0.</p>"));
	free(page);
	fixture_free(&f);
}

/* Ensure net figures: the lead figure and the title say net, the tables have Gross and Net, each measure its factor. */
static void test_page_net(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f);
	put(&f, "Leeds", NT1, 1, "100");
	put(&f, "Leeds", VOL, 1, "10");
	struct sv_result *r = finish(&f);
	static const int64_t net[3] = {SV_FACTOR_SCALE / 2, SV_FACTOR_SCALE / 4, SV_FACTOR_SCALE};
	r->net_factors = net;
	r->n_factors = 3;
	char *page = render(r);
	assert_non_null(strstr(page, "<h1>Net social value by site</h1>"));
	assert_non_null(strstr(page, "<div><dt>Net social value</dt><dd>\xC2\xA3" "52.50</dd>"));
	assert_non_null(strstr(page, "<th scope=\"col\" class=\"num\">Gross</th><th scope=\"col\" class=\"num\">Net</th>"));
	assert_non_null(strstr(page, "<td class=\"num\">\xC2\xA3" "100.00</td><td class=\"num\">\xC2\xA3" "50.00</td></tr>"));
	assert_non_null(strstr(page, "<dt>Net factor</dt><dd>\xC3\x97 0.25 of the gross value"));
	free(page);
	fixture_free(&f);
}

/* Ensure no records still make a page that says so. */
static void test_page_empty(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f);
	const struct sv_result *r = finish(&f);
	char *page = render(r);
	assert_non_null(strstr(page, "No records to chart."));
	assert_non_null(strstr(page, "<p>No records, so no measure was used.</p>"));
	assert_null(strstr(page, "id=\"by-measure\""));
	free(page);
	fixture_free(&f);
}

/* Ensure the same result gives the same bytes. */
static void test_page_deterministic(void **state)
{
	(void)state;
	struct fixture f;
	two_sites(&f);
	const struct sv_result *r = finish(&f);
	char *a = render(r), *b = render(r);
	assert_string_equal(a, b);
	free(a);
	free(b);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_markup),
		cmocka_unit_test(test_escape_unsafe_bytes),
		cmocka_unit_test(test_escape_length),
		cmocka_unit_test(test_page_structure),
		cmocka_unit_test(test_page_escapes),
		cmocka_unit_test(test_page_links),
		cmocka_unit_test(test_page_by_measure),
		cmocka_unit_test(test_page_records_inputs),
		cmocka_unit_test(test_page_appendix),
		cmocka_unit_test(test_page_ogl_attribution),
		cmocka_unit_test(test_page_net),
		cmocka_unit_test(test_page_empty),
		cmocka_unit_test(test_page_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
