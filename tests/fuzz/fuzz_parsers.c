/*
 * fuzz_parsers.c - the quantity, decimal, JSON number, exact-amount and
 * date grammars.  Whatever parses formats back to text that parses to the
 * same value.
 */
#include "fuzz_common.h"

#include "sv_date.h"
#include "sv_jsontext.h"
#include "sv_money.h"

/* The reference: the double strtod makes of the literal, scaled to dec4.
 * Taken only if the double is exactly the nearest to a decimal of at most
 * 4 places; the round trip through text catches a fifth decimal. */
static bool dec4_via_double(double d, int64_t max, int64_t *out)
{
	if (!(d >= 0) || d > (double)max / SV_DEC4_SCALE)
		return false;
	int64_t v = (int64_t)(d * SV_DEC4_SCALE + 0.5);
	if (v > max)
		return false;
	char text[40];
	snprintf(text, sizeof text, "%lld.%04lld", (long long)(v / SV_DEC4_SCALE), (long long)(v % SV_DEC4_SCALE));
	if (strtod(text, NULL) != d)
		return false;
	*out = v;
	return true;
}

/* A JSON number literal read exactly agrees with cJSON's double wherever
 * the double is exact enough to tell (every value the exact read accepts). */
static void check_json_number(const char *s, size_t size)
{
	char buf[SV_MONEY_TEXT_MAX], text[64];
	int64_t v, again, via_double;
	if (!sv_json_number_dec4(s, size, SV_VALUE_MAX, &v))
		return;
	FUZZ_CHECK(v >= 0 && v <= SV_VALUE_MAX);
	size_t n = sv_format_dec4(buf, v);
	FUZZ_CHECK(sv_json_number_dec4(buf, n, SV_VALUE_MAX, &again) && again == v);
	if (size >= sizeof text)
		return;
	memcpy(text, s, size);
	text[size] = '\0';
	FUZZ_CHECK(dec4_via_double(strtod(text, NULL), SV_VALUE_MAX, &via_double) && via_double == v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char buf[SV_MONEY_TEXT_MAX];
	int64_t v, again;
	sv_qty q, q_again, pounds;
	if (sv_qty_parse(s, size, &q) == SV_QTY_OK) {
		FUZZ_CHECK(q >= 0 && q <= SV_QTY_MAX);
		size_t n = sv_format_qty(buf, q);
		FUZZ_CHECK(sv_qty_parse(buf, n, &q_again) == SV_QTY_OK && q_again == q);
	}
	/* the 64-bit fast parse against the full grammar, which a leading '£'
	 * (never on the fast path) forces */
	if (size < 200 && !(size >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA3)) {
		char pound[204] = "\xC2\xA3";
		memcpy(pound + 2, s, size);
		sv_qty fast = 0, full = 0;
		bool fast_ok = sv_qty_parse(s, size, &fast) == SV_QTY_OK;
		bool full_ok = sv_qty_parse(pound, size + 2, &full) == SV_QTY_OK;
		FUZZ_CHECK(fast_ok == full_ok && (!fast_ok || fast == full));
	}
	/* pounds (4 places) read as the quantity grammar reads them, or are
	 * refused only for a fifth place */
	enum sv_qty_error e4 = sv_grouped_decimal_parse(s, size, 4, &pounds);
	if (e4 == SV_QTY_OK)
		FUZZ_CHECK(sv_qty_parse(s, size, &q) == SV_QTY_OK && q == pounds * (SV_QTY_SCALE / SV_DEC4_SCALE));
	else if (e4 != SV_QTY_DECIMALS)
		FUZZ_CHECK(sv_qty_parse(s, size, &q) == e4);
	if (sv_dec4_parse_plain(s, size, SV_VALUE_MAX, &v)) {
		FUZZ_CHECK(v >= 0 && v <= SV_VALUE_MAX);
		size_t n = sv_format_dec4(buf, v);
		FUZZ_CHECK(sv_dec4_parse_plain(buf, n, SV_VALUE_MAX, &again) && again == v);
	}
	check_json_number(s, size);
	sv_amount a, b;
	if (sv_amount_parse(s, size, 1, &a)) {
		size_t n = sv_format_amount_exact(buf, a, 1);
		FUZZ_CHECK(sv_amount_parse(buf, n, 1, &b) && a == b);
		sv_amount pence = sv_amount_to_pence(a, 1), per_penny = SV_AMOUNT_SCALE / 100;
		FUZZ_CHECK(pence * per_penny - a <= per_penny / 2 && a - pence * per_penny <= per_penny / 2);
	}
	int32_t ymd, ymd2;
	/* the ISO fast path against the grammar: ten bytes hold no time */
	if (size == 10) {
		struct sv_date fast;
		bool fast_ok = sv_date_parse_forms(s, size, 0, &fast), plain_ok = sv_date_parse(s, size, &ymd);
		FUZZ_CHECK(fast_ok == plain_ok && (!fast_ok || (fast.ymd == ymd && !fast.month_only)));
	}
	if (sv_date_parse(s, size, &ymd)) {
		char iso[16];
		int n = snprintf(iso, sizeof iso, "%04d-%02d-%02d", (int)(ymd / 10000), (int)(ymd / 100 % 100),
				 (int)(ymd % 100));
		FUZZ_CHECK(sv_date_parse(iso, (size_t)n, &ymd2) && ymd2 == ymd);
		for (int p = SV_PERIOD_MONTH; p <= SV_PERIOD_FY; p++) {
			char label[SV_PERIOD_TEXT_MAX];
			int32_t period = sv_period_of((enum sv_period)p, ymd), back;
			sv_period_format(label, (enum sv_period)p, period);
			FUZZ_CHECK(sv_period_parse((enum sv_period)p, label, &back) && back == period);
		}
	}
	/* whatever form a record's date takes, it is a real day (a month's
	 * first when month-only) that the plain grammar reads back */
	struct sv_date rd;
	if (sv_date_parse_forms(s, size, SV_DATE_FORM_MONTH | SV_DATE_FORM_YY | SV_DATE_FORM_EXCEL, &rd)) {
		char iso[16];
		int n = snprintf(iso, sizeof iso, "%04d-%02d-%02d", (int)(rd.ymd / 10000), (int)(rd.ymd / 100 % 100),
				 (int)(rd.ymd % 100));
		FUZZ_CHECK(sv_date_parse(iso, (size_t)n, &ymd2) && ymd2 == rd.ymd);
		FUZZ_CHECK(!rd.month_only || rd.ymd % 100 == 1);
		FUZZ_CHECK(sv_date_last(&rd) >= rd.ymd);
	}
	return 0;
}
