/*
 * money.c - exact decimal arithmetic; the only place that rounds.
 */
#include "sv_money.h"
#include "sv_status.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum sv_status sv_status_worst(enum sv_status a, enum sv_status b)
{
	static const enum sv_status order[] = {SV_ESOFTWARE, SV_EIO, SV_ENOINPUT, SV_EDATA};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return a != SV_OK ? a : b;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Appends one digit to *acc, stopping well past the largest valid integer
 * part (10^12) but long before the later scaling by up to 10^15 could
 * overflow: 10^14 x 10^15 is far below 2^127. */
static bool push_digit(sv_qty *acc, char c)
{
	if (*acc > (sv_qty)10000000000000LL)
		return false;
	*acc = *acc * 10 + (c - '0');
	return true;
}

/* Classifies text that is not a valid quantity, so the message can say why. */
static enum sv_qty_error qty_diagnose(const char *s, size_t n)
{
	/* digits, an optional fraction, then e or E, a sign and digits */
	size_t i = 0, mantissa = 0;
	while (i < n && (is_digit(s[i]) || s[i] == '.' || s[i] == ','))
		mantissa += is_digit(s[i++]);
	if (mantissa == 0 || i == n || (s[i] != 'e' && s[i] != 'E'))
		return SV_QTY_SYNTAX;
	i++;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	size_t exponent = 0;
	while (i < n && is_digit(s[i]))
		exponent++, i++;
	return i == n && exponent ? SV_QTY_EXPONENT : SV_QTY_SYNTAX;
}

/* Integer part with optional thousands separators: "1234" or "1,234,567". */
static enum sv_qty_error qty_integer(const char *s, size_t n, size_t *pos, sv_qty *acc, size_t *digits)
{
	size_t i = *pos, group = 0, first = *pos;
	bool grouped = false;

	while (i < n && (is_digit(s[i]) || s[i] == ',')) {
		if (s[i] == ',') {
			if (group == 0 || (grouped && group != 3) || (!grouped && group > 3)) {
				/* "1,5" with one or two digits after looks like a decimal comma */
				return SV_QTY_GROUPING;
			}
			grouped = true;
			group = 0;
		} else {
			if (!push_digit(acc, s[i]))
				return SV_QTY_TOO_LARGE;
			group++;
			(*digits)++;
		}
		i++;
	}
	if (grouped && group != 3) {
		bool decimal_like = group > 0 && group < 3 && (i == n);
		return decimal_like ? SV_QTY_DECIMAL_COMMA : SV_QTY_GROUPING;
	}
	/* "0,500" is a European half, never five hundred; no grouped number
	 * starts with a zero */
	if (grouped && s[first] == '0')
		return s[first + 1] == ',' ? SV_QTY_DECIMAL_COMMA : SV_QTY_GROUPING;
	*pos = i;
	return SV_QTY_OK;
}

/* 10^k for k up to SV_QTY_PLACES, from a table: every record scales by it. */
static sv_qty pow10_qty(unsigned k)
{
	static const int64_t p[SV_QTY_PLACES + 1] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000,
		100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000};
	return p[k];
}

/* The common quantity, "31" or "1250.50": 1 to 12 digits, then an optional
 * point and up to `places` digits, 19 digits at most, so 64 bits hold it.
 * False for anything else, which the full grammar reads (and explains).
 * One pass with no overflow check per digit: 20 bytes at most are 19
 * digits and a point, or too many integer digits, whose wrapped value is
 * never used.  Inlined into both callers, as a call and the spills around
 * it cost as much as the short loop itself. */
static inline bool plain_decimal(const char *s, size_t n, unsigned places, sv_qty *out)
{
	if (n == 0 || n > 20)
		return false;
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *point = NULL;
	uint64_t acc = 0;
	for (; p < end; p++) {
		/* the point is tested as a digit's value too: the byte itself
		 * need not stay in a register */
		unsigned d = *p - (unsigned)'0';
		if (d < 10)
			acc = acc * 10 + d;
		else if (d == (unsigned)'.' - (unsigned)'0' && !point)
			point = p;
		else
			return false;
	}
	size_t int_digits = point ? (size_t)(point - (const unsigned char *)s) : n;
	size_t frac_digits = point ? n - int_digits - 1 : 0;
	if (int_digits - 1 >= 12 || frac_digits > places) /* 1 to 12: 0 wraps */
		return false;
	/* both factors below 2^64: one unsigned multiplication */
	*out = (sv_qty)((sv_uamount)acc * (uint64_t)pow10_qty(places - (unsigned)frac_digits));
	return true;
}

/* The whole grammar: '£', thousands separators, and the reason for a
 * refusal.  Every text plain_decimal takes, it takes with the same value. */
static enum sv_qty_error grouped_decimal(const char *s, size_t n, unsigned places, sv_qty *out)
{
	size_t i = 0, int_digits = 0, frac_digits = 0;
	sv_qty acc = 0;

	if (n == 0)
		return SV_QTY_EMPTY;
	if (s[0] == '-')
		return SV_QTY_NEGATIVE;
	if (s[0] == '+')
		return SV_QTY_SIGN;
	if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA3) {
		i = 2;
		if (i < n && s[i] == '-')
			return SV_QTY_NEGATIVE;
	}
	enum sv_qty_error e = qty_integer(s, n, &i, &acc, &int_digits);
	if (e != SV_QTY_OK)
		return e;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i])) {
			if (frac_digits == places) {
				/* trailing zeros past the last place are still extra places */
				return SV_QTY_DECIMALS;
			}
			acc = acc * 10 + (s[i] - '0');
			frac_digits++;
			i++;
		}
	}
	if (i != n || int_digits + frac_digits == 0)
		return qty_diagnose(s, n);
	acc *= pow10_qty(places - (unsigned)frac_digits);
	if (acc > (sv_qty)1000000000000LL * pow10_qty(places))
		return SV_QTY_TOO_LARGE;
	*out = acc;
	return SV_QTY_OK;
}

enum sv_qty_error sv_grouped_decimal_parse(const char *s, size_t n, unsigned places, sv_qty *out)
{
	if (places > SV_QTY_PLACES)
		return SV_QTY_SYNTAX; /* no caller asks for more; 10^27 x 10^places must fit */
	if (plain_decimal(s, n, places, out))
		return SV_QTY_OK;
	return grouped_decimal(s, n, places, out);
}

/* Not through sv_grouped_decimal_parse: a text the fast path refuses goes
 * straight to the full grammar, not to the fast path again. */
enum sv_qty_error sv_qty_parse(const char *s, size_t n, sv_qty *out)
{
	if (plain_decimal(s, n, SV_QTY_PLACES, out))
		return SV_QTY_OK;
	return grouped_decimal(s, n, SV_QTY_PLACES, out);
}

const char *sv_qty_strerror(enum sv_qty_error e)
{
	switch (e) {
	case SV_QTY_OK: return "is valid";
	case SV_QTY_EMPTY: return "is empty";
	case SV_QTY_NEGATIVE: return "is negative";
	case SV_QTY_SIGN: return "has a sign (write the number alone)";
	case SV_QTY_EXPONENT: return "is in exponent form (write the digits)";
	case SV_QTY_GROUPING: return "has badly grouped thousands separators";
	case SV_QTY_DECIMAL_COMMA: return "has a decimal comma (use a point: 1.5)";
	case SV_QTY_DECIMALS: return "has more than 15 decimal places";
	case SV_QTY_TOO_LARGE: return "is more than 1,000,000,000,000";
	case SV_QTY_SYNTAX: break;
	}
	return "is not a number (expected digits with up to 15 decimals, e.g. 37.5)";
}

bool sv_dec4_parse_plain(const char *s, size_t n, int64_t max, int64_t *out)
{
	size_t i = 0, digits = 0, frac = 0;
	int64_t acc = 0;

	while (i < n && is_digit(s[i])) {
		if (acc > max)
			return false;
		acc = acc * 10 + (s[i] - '0');
		digits++;
		i++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i])) {
			if (frac == 4) {
				if (s[i] != '0')
					return false;
			} else {
				acc = acc * 10 + (s[i] - '0');
				frac++;
			}
			digits++;
			i++;
		}
	}
	if (i != n || digits == 0)
		return false;
	for (; frac < 4; frac++)
		acc *= 10;
	if (acc > max)
		return false;
	*out = acc;
	return true;
}

/* Pounds per amount unit's denominator: 10^19 x the unit lcm. */
static sv_uamount amount_scale(int64_t unit_lcm)
{
	return (sv_uamount)SV_AMOUNT_SCALE * (sv_uamount)unit_lcm;
}

bool sv_amount_mul(sv_qty qty, int64_t value4, int64_t unit_lcm, sv_amount *out)
{
	return sv_amount_mul_unit(qty, value4, 1, 1, unit_lcm, out);
}

static unsigned bit_length(sv_uamount x)
{
	uint64_t high = (uint64_t)(x >> 64), low = (uint64_t)x;
	if (high)
		return 128 - (unsigned)__builtin_clzll(high);
	return low ? 64 - (unsigned)__builtin_clzll(low) : 0;
}

bool sv_amount_mul_any(sv_qty qty, int64_t value4, int64_t num, int64_t den, int64_t unit_lcm, sv_amount *out)
{
	/* 10^-15 unit x 10^-4 pound is 10^-19 pound; the unit's fraction
	 * num/den is a whole multiple of 1/unit_lcm, as every denominator
	 * of the table divides it */
	if (den <= 0 || num <= 0 || unit_lcm <= 0 || (den != 1 && unit_lcm % den != 0))
		return false;
	sv_amount r, mult = (sv_amount)num * (den == 1 ? unit_lcm : unit_lcm / den);
	/* factors whose bit lengths add up to less than 127 cannot overflow:
	 * every record of an ordinary table, with no overflow checks */
	uint64_t magnitude = value4 < 0 ? 0 - (uint64_t)value4 : (uint64_t)value4;
	if (qty >= 0 && bit_length((sv_uamount)qty) + bit_length(magnitude) + bit_length((sv_uamount)mult) <= 126) {
		*out = qty * value4 * mult;
		return true;
	}
	if (__builtin_mul_overflow(qty, (sv_amount)value4, &r) || __builtin_mul_overflow(r, mult, &r))
		return false;
	*out = r;
	return true;
}


bool sv_amount_from_dec4(sv_amount dec4, int64_t unit_lcm, sv_amount *out)
{
	sv_amount r;
	if (__builtin_mul_overflow(dec4, (sv_amount)(SV_AMOUNT_SCALE / SV_DEC4_SCALE) * unit_lcm, &r))
		return false;
	*out = r;
	return true;
}

sv_amount sv_amount_to_pence(sv_amount a, int64_t unit_lcm)
{
	const sv_amount per_penny = (sv_amount)(amount_scale(unit_lcm) / 100);
	sv_amount q = a / per_penny, r = a % per_penny;
	if (r * 2 >= per_penny)
		q++;
	else if (r * 2 <= -per_penny)
		q--;
	return q;
}

/* Writes |v| in decimal, most significant first; returns the length. */
static size_t utoa128(char *buf, sv_uamount v)
{
	char tmp[48];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

static sv_uamount magnitude(sv_amount a)
{
	return a < 0 ? (sv_uamount)0 - (sv_uamount)a : (sv_uamount)a;
}

/* Inserts ',' every three digits of the integer text in buf (in place). */
static size_t group_thousands(char *buf, size_t len)
{
	size_t commas = len > 3 ? (len - 1) / 3 : 0;
	size_t out = len + commas;
	buf[out] = '\0';
	for (size_t i = 0, j = out; i < len; i++) {
		buf[--j] = buf[len - 1 - i];
		if (i % 3 == 2 && i + 1 < len)
			buf[--j] = ',';
	}
	return out;
}

/* Formats a scaled integer as "[-]int.frac" with `places` fraction digits,
 * then drops trailing zeros down to `min_places`. */
static size_t format_scaled(char *buf, sv_amount v, unsigned places, unsigned min_places,
			    const char *prefix, bool grouped)
{
	sv_uamount m = magnitude(v), scale = 1;
	for (unsigned i = 0; i < places; i++)
		scale *= 10;
	size_t n = 0;
	if (v < 0)
		buf[n++] = '-';
	n += (size_t)sprintf(buf + n, "%s", prefix);
	size_t int_len = utoa128(buf + n, m / scale);
	if (grouped)
		int_len = group_thousands(buf + n, int_len);
	n += int_len;
	if (places == 0)
		return n;
	char frac[48];
	sv_uamount f = m % scale;
	for (unsigned i = places; i-- > 0;) {
		frac[i] = (char)('0' + (int)(f % 10));
		f /= 10;
	}
	unsigned keep = places;
	while (keep > min_places && frac[keep - 1] == '0')
		keep--;
	if (keep > 0) {
		buf[n++] = '.';
		memcpy(buf + n, frac, keep);
		n += keep;
	}
	buf[n] = '\0';
	return n;
}

size_t sv_format_pence_plain(char *buf, sv_amount pence)
{
	return format_scaled(buf, pence, 2, 2, "", false);
}

size_t sv_format_pence_pretty(char *buf, sv_amount pence)
{
	return format_scaled(buf, pence, 2, 2, "\xC2\xA3", true);
}

static sv_uamount gcd(sv_uamount a, sv_uamount b);

size_t sv_format_amount_exact(char *buf, sv_amount a, int64_t unit_lcm)
{
	if (a % unit_lcm == 0)
		return format_scaled(buf, a / unit_lcm, SV_AMOUNT_PLACES, 2, "", false);
	/* a value converted from another unit that no decimal writes
	 * exactly (a third of a penny): the fraction itself, in lowest terms */
	sv_uamount m = magnitude(a), den = amount_scale(unit_lcm), g = gcd(m, den);
	size_t n = 0;
	if (a < 0)
		buf[n++] = '-';
	n += utoa128(buf + n, m / g);
	buf[n++] = '/';
	n += utoa128(buf + n, den / g);
	return n;
}

size_t sv_format_dec4(char *buf, int64_t v)
{
	return format_scaled(buf, v, 4, 2, "", false);
}

size_t sv_format_dec4_min(char *buf, int64_t v)
{
	return format_scaled(buf, v, 4, 0, "", false);
}

size_t sv_format_count(char *buf, uint64_t n, bool grouped)
{
	size_t len = utoa128(buf, n);
	return grouped ? group_thousands(buf, len) : len;
}

/* *acc = *acc * 10 + digit, false when it would not fit in an amount. */
static bool push_amount_digit(sv_amount *acc, int digit)
{
	return !__builtin_mul_overflow(*acc, (sv_amount)10, acc) && !__builtin_add_overflow(*acc, digit, acc);
}

/* "N/D" pounds, as sv_format_amount_exact writes a value no decimal
 * holds: exact only when D divides the amount unit's denominator. */
static bool amount_parse_fraction(const char *s, size_t n, const char *slash, int64_t unit_lcm, sv_amount *out)
{
	bool neg = n && s[0] == '-';
	const char *p = s + (neg ? 1 : 0);
	sv_amount num = 0, den = 0;
	if (p == slash || slash + 1 == s + n)
		return false;
	for (; p < slash; p++)
		if (!is_digit(*p) || !push_amount_digit(&num, *p - '0'))
			return false;
	for (p = slash + 1; p < s + n; p++)
		if (!is_digit(*p) || !push_amount_digit(&den, *p - '0'))
			return false;
	sv_uamount scale = amount_scale(unit_lcm);
	if (den == 0 || scale % (sv_uamount)den != 0)
		return false;
	sv_amount r;
	if (__builtin_mul_overflow(num, (sv_amount)(scale / (sv_uamount)den), &r))
		return false;
	*out = neg ? -r : r;
	return true;
}

bool sv_amount_parse(const char *s, size_t n, int64_t unit_lcm, sv_amount *out)
{
	size_t i = 0, digits = 0, frac = 0;
	bool neg = false;
	sv_amount acc = 0;

	const char *slash = memchr(s, '/', n);
	if (slash)
		return amount_parse_fraction(s, n, slash, unit_lcm, out);
	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	while (i < n && is_digit(s[i])) {
		if (!push_amount_digit(&acc, s[i] - '0'))
			return false;
		digits++;
		i++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i])) {
			if (frac == SV_AMOUNT_PLACES || !push_amount_digit(&acc, s[i] - '0'))
				return false;
			frac++;
			i++;
		}
	}
	if (i != n || digits == 0)
		return false;
	for (; frac < SV_AMOUNT_PLACES; frac++)
		if (!push_amount_digit(&acc, 0))
			return false;
	if (__builtin_mul_overflow(acc, (sv_amount)unit_lcm, &acc))
		return false;
	*out = neg ? -acc : acc;
	return true;
}

size_t sv_format_qty(char *buf, sv_qty v)
{
	return format_scaled(buf, v, SV_QTY_PLACES, 0, "", false);
}

size_t sv_format_tenths(char *buf, sv_amount tenths)
{
	return format_scaled(buf, tenths, 1, 1, "", false);
}

/* ---- 256-bit helpers: factors, rebasing, percentages ---------------------- */

struct u256 {
	sv_uamount hi, lo;
};

static struct u256 mul_128(sv_uamount a, sv_uamount b)
{
	const sv_uamount mask = ((sv_uamount)1 << 64) - 1;
	sv_uamount a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
	sv_uamount p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	sv_uamount mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);
	struct u256 r;
	r.lo = (p00 & mask) | (mid << 64);
	r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
	return r;
}

static bool add_256(struct u256 *acc, struct u256 x)
{
	sv_uamount lo = acc->lo + x.lo;
	sv_uamount carry = lo < acc->lo;
	sv_uamount hi = acc->hi + x.hi + carry;
	if (hi < acc->hi || (hi == acc->hi && carry && x.hi == (sv_uamount)-1))
		return false;
	acc->lo = lo;
	acc->hi = hi;
	return true;
}

/* x / d with the remainder, by shifting and subtracting: print-time only. */
static struct u256 divmod_256(struct u256 x, sv_uamount d, sv_uamount *rem)
{
	struct u256 q = {0, 0};
	sv_uamount r = 0;
	for (int bit = 255; bit >= 0; bit--) {
		bool top = r >> 127;
		r <<= 1;
		r |= bit >= 128 ? (x.hi >> (bit - 128)) & 1 : (x.lo >> bit) & 1;
		if (top || r >= d) {
			r -= d;
			if (bit >= 128)
				q.hi |= (sv_uamount)1 << (bit - 128);
			else
				q.lo |= (sv_uamount)1 << bit;
		}
	}
	*rem = r;
	return q;
}

/* x / d rounded half up, as a 127-bit result; false if it does not fit. */
static bool round_div(struct u256 x, sv_uamount d, sv_amount *out)
{
	sv_uamount rem;
	struct u256 q = divmod_256(x, d, &rem);
	if (rem >= d - rem)
		q.lo++, q.hi += q.lo == 0;
	if (q.hi || q.lo >> 127)
		return false;
	*out = (sv_amount)q.lo;
	return true;
}

bool sv_percent_tenths(sv_amount num, sv_amount den, sv_amount *tenths)
{
	if (den <= 0)
		return false;
	/* |num| x 1000 in 256 bits: amounts of 10^19 pounds have percentages
	 * too; rounding the magnitude half up is rounding half away from zero */
	sv_amount q;
	if (!round_div(mul_128(magnitude(num), 1000), (sv_uamount)den, &q))
		return false;
	*tenths = num < 0 ? -q : q;
	return true;
}

bool sv_factored_pence(const sv_amount *amount, const int64_t *factor, size_t n, int64_t unit_lcm, sv_amount *pence)
{
	struct u256 sum = {0, 0};
	for (size_t i = 0; i < n; i++) {
		if (amount[i] < 0 || factor[i] < 0)
			return false;
		if (!add_256(&sum, mul_128((sv_uamount)amount[i], (sv_uamount)factor[i])))
			return false;
	}
	/* amount: 1/(10^19 x unit lcm) pound, factor: 1/10^12; a penny is
	 * 10^29 x unit lcm of those (below 10^35, inside 128 bits) */
	const sv_uamount per_penny = amount_scale(unit_lcm) / 100 * (sv_uamount)SV_FACTOR_SCALE;
	return round_div(sum, per_penny, pence);
}

bool sv_factor(int64_t index_to, int64_t index_from, const int64_t *keep_off, size_t n_off, int64_t drop_off,
	       int64_t rate, unsigned years, int64_t *factor)
{
	const sv_amount one = (sv_amount)10000000000000000LL * 1000000000000LL; /* 10^28 */
	if (index_to <= 0 || index_from <= 0 || years < 1 || years > 50 || drop_off < 0 ||
	    drop_off > SV_DEC4_SCALE || rate < 0 || rate > SV_DEC4_SCALE)
		return false;
	/* the present value of the years of benefit, year 1 undiscounted */
	sv_amount term = one, pv = 0;
	for (unsigned t = 0; t < years; t++) {
		if (!sv_amount_add(&pv, term))
			return false;
		term = term * (SV_DEC4_SCALE - drop_off) / (SV_DEC4_SCALE + rate);
	}
	sv_amount f = pv, scaled;
	if (__builtin_mul_overflow(f, (sv_amount)index_to, &scaled))
		return false;
	f = scaled / index_from;
	for (size_t i = 0; i < n_off; i++) {
		if (keep_off[i] < 0 || keep_off[i] > SV_DEC4_SCALE)
			return false;
		if (__builtin_mul_overflow(f, (sv_amount)(SV_DEC4_SCALE - keep_off[i]), &scaled))
			return false;
		f = scaled / SV_DEC4_SCALE;
	}
	/* 10^28 to 10^12: the one rounding of a factor */
	const sv_amount down = (sv_amount)10000000000000000LL;
	sv_amount q = f / down, r = f % down;
	if (r * 2 >= down)
		q++;
	if (q > INT64_MAX)
		return false;
	*factor = (int64_t)q;
	return true;
}

size_t sv_format_factor(char *buf, int64_t factor)
{
	return format_scaled(buf, factor, 12, 1, "", false);
}

static sv_uamount gcd(sv_uamount a, sv_uamount b)
{
	while (b) {
		sv_uamount t = a % b;
		a = b;
		b = t;
	}
	return a;
}

sv_uamount sv_lcm_used(const sv_amount *amount, const int64_t *from, size_t n)
{
	/* 10^30 keeps each weight, to x common / from, below 10^37 (see
	 * sv_rebased_pence in sv_money.h) and l / gcd x v, v an index up to
	 * 10^7, inside 128 bits */
	const sv_uamount limit = (sv_uamount)1000000000000000LL * 1000000000000000LL;
	sv_uamount l = 1;
	for (size_t i = 0; i < n; i++) {
		if (!amount[i])
			continue;
		if (from[i] <= 0)
			return 0;
		sv_uamount v = (uint64_t)from[i];
		l = l / gcd(l, v) * v;
		if (l > limit)
			return 0;
	}
	return l;
}

bool sv_rebased_pence(const sv_amount *amount, const int64_t *from, size_t n, int64_t to, sv_uamount common,
		      int64_t unit_lcm, sv_amount *pence)
{
	/* Σ amount × (to × common / from) over common × 10^17: one rounding */
	struct u256 sum = {0, 0};
	for (size_t i = 0; i < n; i++) {
		if (!amount[i])
			continue;
		if (amount[i] < 0 || from[i] <= 0 || to <= 0)
			return false;
		sv_uamount weight, share = common / (uint64_t)from[i];
		if (__builtin_mul_overflow((sv_uamount)(uint64_t)to, share, &weight))
			return false;
		if (!add_256(&sum, mul_128((sv_uamount)amount[i], weight)))
			return false;
	}
	if (common == 0)
		return false;
	/* floor(floor(S / common) / 10^17) is floor(S / (common × 10^17)), and
	 * the remainder of the second division alone says whether the exact
	 * quotient's fraction reaches one half: the first remainder is less
	 * than one unit of it */
	sv_uamount rem;
	struct u256 whole = divmod_256(sum, common, &rem);
	return round_div(whole, amount_scale(unit_lcm) / 100, pence);
}
