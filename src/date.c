/*
 * date.c - date grammar and period keys (calendar and UK financial).
 */
#include "sv_date.h"

#include <stdio.h>
#include <string.h>

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

bool sv_date_parse(const char *s, size_t n, int32_t *ymd)
{
	size_t i = 0;
	int y, m, d;
	bool ok;

	if (n >= 5 && s[4] == '-') {
		ok = read_digits(s, n, &i, 4, 4, &y) && expect(s, n, &i, '-') &&
		     read_digits(s, n, &i, 2, 2, &m) && expect(s, n, &i, '-') &&
		     read_digits(s, n, &i, 2, 2, &d);
	} else {
		ok = read_digits(s, n, &i, 1, 2, &d) && expect(s, n, &i, '/') &&
		     read_digits(s, n, &i, 1, 2, &m) && expect(s, n, &i, '/') &&
		     read_digits(s, n, &i, 4, 4, &y);
	}
	if (!ok || i != n || y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	*ymd = (int32_t)(y * 10000 + m * 100 + d);
	return true;
}

/* The year in which the financial year containing (y, m) starts. */
static int32_t fy_start(int32_t y, int32_t m)
{
	return m >= 4 ? y : y - 1;
}

int32_t sv_period_of(enum sv_period p, int32_t ymd)
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
