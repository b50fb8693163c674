/*
 * date.c - date grammar and period keys (calendar and UK financial).
 */
#include "sv_date.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads between min and max digits at s[*i]; false if fewer than min. */
static bool read_digits(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
	int v = 0, count = 0;
	while (*i < n && count < max && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		count++;
	}
	*out = v;
	return count >= min;
}

static bool expect(const char *s, size_t n, size_t *i, char c)
{
	if (*i < n && s[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool real_day(int y, int m, int d)
{
	/* every month has 28 days: most days need no calendar */
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && (d <= 28 || d <= days_in_month(y, m));
}

/* An optional fraction at s[*i] (of a second, of an Excel serial day):
 * a '.' must have digits after it. */
static bool fraction(const char *s, size_t n, size_t *i)
{
	if (!expect(s, n, i, '.'))
		return true;
	size_t digits = *i;
	while (*i < n && is_digit(s[*i]))
		(*i)++;
	return *i > digits;
}

/* A time of day from s[i] to the end: H:MM or HH:MM (0:00-23:59), then
 * optionally :SS (00-59) and a fraction of a second. */
static bool time_of_day(const char *s, size_t n, size_t i)
{
	int h, m, sec;
	if (!read_digits(s, n, &i, 1, 2, &h) || h > 23 || !expect(s, n, &i, ':') ||
	    !read_digits(s, n, &i, 2, 2, &m) || m > 59)
		return false;
	if (expect(s, n, &i, ':')) {
		if (!read_digits(s, n, &i, 2, 2, &sec) || sec > 59 || !fraction(s, n, &i))
			return false;
	}
	return i == n;
}

/* The end of a day: nothing, or (when allowed) a time after a space, or
 * for ISO a 'T'. */
static bool day_end(const char *s, size_t n, size_t i, bool with_time, bool iso)
{
	if (i == n)
		return true;
	if (!with_time || !(s[i] == ' ' || (iso && s[i] == 'T')))
		return false;
	return time_of_day(s, n, i + 1);
}

/* YYYY-MM-DD or D/M/YYYY (D/M/YY with two_digit_year), a time after it when
 * with_time. */
static bool parse_day(const char *s, size_t n, bool two_digit_year, bool with_time, int32_t *ymd)
{
	size_t i = 0, year_at = 0;
	int y = 0, m = 0, d = 0;
	bool ok, iso = n >= 5 && s[4] == '-';

	if (iso) {
		ok = read_digits(s, n, &i, 4, 4, &y) && expect(s, n, &i, '-') &&
		     read_digits(s, n, &i, 2, 2, &m) && expect(s, n, &i, '-') &&
		     read_digits(s, n, &i, 2, 2, &d);
	} else {
		ok = read_digits(s, n, &i, 1, 2, &d) && expect(s, n, &i, '/') &&
		     read_digits(s, n, &i, 1, 2, &m) && expect(s, n, &i, '/');
		year_at = i;
		ok = ok && read_digits(s, n, &i, 2, 4, &y);
		if (ok && i - year_at == 2 && two_digit_year)
			y += 2000;
		else if (ok && i - year_at != 4)
			ok = false;
	}
	if (!ok || !day_end(s, n, i, with_time, iso) || !real_day(y, m, d))
		return false;
	*ymd = (int32_t)(y * 10000 + m * 100 + d);
	return true;
}

bool sv_date_parse(const char *s, size_t n, int32_t *ymd)
{
	return parse_day(s, n, false, false, ymd);
}

/* An English month name at s[*i], in full, as three letters, or "Sept";
 * case-insensitive.  0 when it is none. */
static int month_name(const char *s, size_t n, size_t *i)
{
	static const char *const names[] = {"january", "february", "march",     "april",   "may",      "june",
					    "july",    "august",   "september", "october", "november", "december"};
	size_t start = *i;
	while (*i < n && ((s[*i] >= 'a' && s[*i] <= 'z') || (s[*i] >= 'A' && s[*i] <= 'Z')))
		(*i)++;
	size_t len = *i - start;
	for (int m = 0; m < 12; m++) {
		size_t full = strlen(names[m]);
		bool sept = m == 8 && len == 4;
		if ((len == 3 || len == full || sept) && len <= full && strncasecmp(s + start, names[m], len) == 0)
			return m + 1;
	}
	return 0;
}

/* A month: "Apr 2024", "April-24" and the like, "2024-04" or "04/2024";
 * the month's first day. */
static bool parse_month(const char *s, size_t n, int32_t *ymd)
{
	size_t i = 0, year_at = 0;
	int y = 0, m = 0;
	bool ok;

	if (n && !is_digit(s[0])) {
		m = month_name(s, n, &i);
		ok = m && (expect(s, n, &i, ' ') || expect(s, n, &i, '-'));
		year_at = i;
		ok = ok && read_digits(s, n, &i, 2, 4, &y) && (i - year_at == 2 || i - year_at == 4);
		if (ok && i - year_at == 2)
			y += 2000;
	} else if (n >= 5 && s[4] == '-') {
		ok = read_digits(s, n, &i, 4, 4, &y) && expect(s, n, &i, '-') && read_digits(s, n, &i, 2, 2, &m);
	} else {
		ok = read_digits(s, n, &i, 1, 2, &m) && expect(s, n, &i, '/') && read_digits(s, n, &i, 4, 4, &y);
	}
	if (!ok || i != n || !real_day(y, m, 1))
		return false;
	*ymd = (int32_t)(y * 10000 + m * 100 + 1);
	return true;
}

/* The civil date of a day counted from 1970-01-01 (days before it are
 * negative); Howard Hinnant's civil_from_days. */
static int32_t ymd_of_day(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	return (int32_t)((y + (m <= 2)) * 10000 + m * 100 + d);
}

#define EXCEL_SERIAL_MAX 2958465 /* 9999-12-31 */
#define EXCEL_FICTIONAL_LEAP_DAY 60 /* 1900-02-29 */

/* An Excel serial day number (1900 date system) with an optional fraction. */
static bool parse_excel(const char *s, size_t n, int32_t *ymd)
{
	size_t i = 0;
	int64_t serial = 0;
	while (i < n && is_digit(s[i]) && i < 7)
		serial = serial * 10 + (s[i++] - '0');
	if (i == 0 || !fraction(s, n, &i))
		return false;
	if (i != n || serial < 1 || serial > EXCEL_SERIAL_MAX || serial == EXCEL_FICTIONAL_LEAP_DAY)
		return false;
	/* serial 1 is 1900-01-01, 25567 days before 1970-01-01; past the
	 * fictional leap day the count is one day ahead */
	*ymd = ymd_of_day(serial - 25568 - (serial > EXCEL_FICTIONAL_LEAP_DAY));
	return true;
}

/* "2024-04-01", the commonest date by far, at a glance; false for anything
 * else, which parse_day reads. */
/* Whether each byte of w where mask has 0xFF is a digit, once XORed with
 * '0': digits become 0 to 9, any other byte something else; a byte of 10
 * or more gets its high bit set by the addition, and one of 0x80 or more
 * has it already. */
static bool all_digits(uint64_t w, uint64_t mask)
{
	uint64_t d = (w ^ 0x3030303030303030u) & mask;
	return ((d | (d + 0x7676767676767676u)) & mask & 0x8080808080808080u) == 0;
}

static bool plain_iso(const char *s, size_t n, int32_t *ymd)
{
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	uint64_t w;
	uint16_t day;
	memcpy(&w, s, 8);
	memcpy(&day, s + 8, 2);
	/* the digits of YYYY-MM- and of DD, little-endian */
	if (!all_digits(w, 0x00FFFF00FFFFFFFFu) || !all_digits(day, 0xFFFFu))
		return false;
	const unsigned char *u = (const unsigned char *)s;
	int y = (u[0] - '0') * 1000 + (u[1] - '0') * 100 + (u[2] - '0') * 10 + (u[3] - '0'),
	    m = (u[5] - '0') * 10 + (u[6] - '0'), d = (u[8] - '0') * 10 + (u[9] - '0');
	if (!real_day(y, m, d))
		return false;
	*ymd = (int32_t)(y * 10000 + m * 100 + d);
	return true;
}

bool sv_date_parse_forms(const char *s, size_t n, unsigned forms, struct sv_date *out)
{
	int32_t ymd;
	if (plain_iso(s, n, &ymd)) {
		*out = (struct sv_date){ymd, false};
		return true;
	}
	if (parse_day(s, n, forms & SV_DATE_FORM_YY, true, &ymd)) {
		*out = (struct sv_date){ymd, false};
		return true;
	}
	if ((forms & SV_DATE_FORM_MONTH) && parse_month(s, n, &ymd)) {
		*out = (struct sv_date){ymd, true};
		return true;
	}
	if ((forms & SV_DATE_FORM_EXCEL) && parse_excel(s, n, &ymd)) {
		*out = (struct sv_date){ymd, false};
		return true;
	}
	return false;
}

const char *const sv_date_form_names[SV_DATE_FORMS] = {"month", "two-digit-year", "excel-serial"};

unsigned sv_date_form_by_name(const char *name)
{
	for (unsigned i = 0; i < SV_DATE_FORMS; i++)
		if (strcmp(name, sv_date_form_names[i]) == 0)
			return 1u << i;
	return 0;
}

bool sv_date_form_needed(const char *s, size_t n, unsigned *form)
{
	/* the default grammar first: a form is needed only when it is not */
	static const unsigned tried[] = {0, SV_DATE_FORM_YY, SV_DATE_FORM_MONTH};
	struct sv_date d;
	for (size_t i = 0; i < sizeof tried / sizeof tried[0]; i++) {
		if (sv_date_parse_forms(s, n, tried[i], &d)) {
			*form = tried[i];
			return true;
		}
	}
	return false;
}

int32_t sv_date_last(const struct sv_date *d)
{
	if (!d->month_only)
		return d->ymd;
	int y = (int)(d->ymd / 10000), m = (int)(d->ymd / 100 % 100);
	return (int32_t)(y * 10000 + m * 100 + days_in_month(y, m));
}

void sv_date_expected(char buf[SV_DATE_EXPECTED_MAX], unsigned forms)
{
	snprintf(buf, SV_DATE_EXPECTED_MAX, "YYYY-MM-DD or DD/MM/YYYY, optionally with a time%s%s%s",
		 forms & SV_DATE_FORM_YY ? ", or DD/MM/YY" : "",
		 forms & SV_DATE_FORM_MONTH ? ", or a month (April 2024, Apr-24, 2024-04, 04/2024)" : "",
		 forms & SV_DATE_FORM_EXCEL ? ", or an Excel serial day number" : "");
}

/* The year in which the financial year containing (y, m) starts. */
static int32_t fy_start(int32_t y, int32_t m)
{
	return m >= 4 ? y : y - 1;
}

int32_t sv_period_of_slowly(enum sv_period p, int32_t ymd)
{
	int32_t y = ymd / 10000, m = ymd / 100 % 100;
	switch (p) {
	case SV_PERIOD_MONTH: return y * 12 + (m - 1);
	case SV_PERIOD_QUARTER: return y * 4 + (m - 1) / 3;
	case SV_PERIOD_FQ: return fy_start(y, m) * 4 + (m + 8) % 12 / 3;
	case SV_PERIOD_YEAR: return y;
	case SV_PERIOD_FY: return fy_start(y, m);
	}
	return 0;
}

size_t sv_period_format(char *buf, enum sv_period p, int32_t period)
{
	int len = 0;
	switch (p) {
	case SV_PERIOD_MONTH:
		len = snprintf(buf, SV_PERIOD_TEXT_MAX, "%04d-%02d", (int)(period / 12), (int)(period % 12 + 1));
		break;
	case SV_PERIOD_QUARTER:
		len = snprintf(buf, SV_PERIOD_TEXT_MAX, "%04d-Q%d", (int)(period / 4), (int)(period % 4 + 1));
		break;
	case SV_PERIOD_FQ:
		len = snprintf(buf, SV_PERIOD_TEXT_MAX, "%04d/%02d Q%d", (int)(period / 4),
			       (int)((period / 4 + 1) % 100), (int)(period % 4 + 1));
		break;
	case SV_PERIOD_YEAR:
		len = snprintf(buf, SV_PERIOD_TEXT_MAX, "%04d", (int)period);
		break;
	case SV_PERIOD_FY:
		len = snprintf(buf, SV_PERIOD_TEXT_MAX, "%04d/%02d", (int)period, (int)((period + 1) % 100));
		break;
	}
	return len > 0 ? (size_t)len : 0;
}

bool sv_period_parse(enum sv_period p, const char *s, int32_t *period)
{
	char again[SV_PERIOD_TEXT_MAX];
	int y = 0, n = 0, yy = 0;
	bool ok = false;
	switch (p) {
	case SV_PERIOD_MONTH: ok = sscanf(s, "%4d-%2d", &y, &n) == 2 && n >= 1 && n <= 12; break;
	case SV_PERIOD_QUARTER: ok = sscanf(s, "%4d-Q%1d", &y, &n) == 2 && n >= 1 && n <= 4; break;
	case SV_PERIOD_FQ: ok = sscanf(s, "%4d/%2d Q%1d", &y, &yy, &n) == 3 && n >= 1 && n <= 4; break;
	case SV_PERIOD_YEAR: ok = sscanf(s, "%4d", &y) == 1; break;
	case SV_PERIOD_FY: ok = sscanf(s, "%4d/%2d", &y, &yy) == 2; break;
	}
	/* financial year 0000/01 holds January to March of year 1; no calendar
	 * period has a year 0 */
	bool financial = p == SV_PERIOD_FQ || p == SV_PERIOD_FY;
	if (!ok || y < (financial ? 0 : 1))
		return false;
	switch (p) {
	case SV_PERIOD_MONTH: *period = y * 12 + n - 1; break;
	case SV_PERIOD_QUARTER:
	case SV_PERIOD_FQ: *period = y * 4 + n - 1; break;
	case SV_PERIOD_YEAR:
	case SV_PERIOD_FY: *period = y; break;
	}
	/* only the exact text the formatter writes is accepted */
	sv_period_format(again, p, *period);
	return strcmp(again, s) == 0;
}
