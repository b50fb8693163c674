/*
 * sv_money.h - exact fixed-point arithmetic for quantities and pounds.
 *
 * Quantities and proxy values are decimals with at most 4 places, held as
 * int64 counts of 1/10^4 (a "dec4").  A record's value is quantity x proxy
 * value, exact with 8 places, held as a 128-bit count of 1/10^8 pound (an
 * "amount").  The largest product, 10^12 units x GBP 10^9, is 10^29 amount
 * units; a signed 128-bit integer holds 1.7 x 10^38, so sums of a billion
 * such records still fit and every addition is overflow-checked anyway.
 * Rounding to the penny happens only in the formatting functions below.
 */
#ifndef SV_MONEY_H
#define SV_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 sv_amount;
__extension__ typedef unsigned __int128 sv_uamount;

#define SV_DEC4_SCALE 10000
#define SV_AMOUNT_SCALE 100000000
/* SPEC: more than 1,000,000,000,000 units is an invalid quantity. */
#define SV_QTY_MAX ((int64_t)1000000000000 * SV_DEC4_SCALE)
/* SPEC: a proxy value is 0 to 1,000,000,000 pounds per unit. */
#define SV_VALUE_MAX ((int64_t)1000000000 * SV_DEC4_SCALE)

enum sv_qty_error {
	SV_QTY_OK = 0,
	SV_QTY_EMPTY,
	SV_QTY_NEGATIVE,
	SV_QTY_SIGN,          /* a leading '+' */
	SV_QTY_EXPONENT,
	SV_QTY_GROUPING,      /* badly grouped thousands separators */
	SV_QTY_DECIMAL_COMMA,
	SV_QTY_DECIMALS,      /* more than 4 decimal places */
	SV_QTY_TOO_LARGE,
	SV_QTY_SYNTAX
};

/*
 * Parses a quantity per SPEC.md: digits with an optional fraction of up to 4
 * digits, an optional leading pound sign, optional thousands separators in
 * groups of three.  The text is (s, n), not NUL-terminated.
 */
enum sv_qty_error sv_qty_parse(const char *s, size_t n, int64_t *out);

/* A phrase for the error, to follow the quoted value: "is negative". */
const char *sv_qty_strerror(enum sv_qty_error e);

/*
 * Parses a plain decimal (digits, optional '.', fraction) whose value has at
 * most 4 decimal places; trailing zeros do not count ("1.50000" is 1.5).
 * Used for proxy values written as strings.  Returns false if the text is
 * not such a decimal or exceeds max (in dec4 units).
 */
bool sv_dec4_parse_plain(const char *s, size_t n, int64_t max, int64_t *out);

/*
 * Converts a JSON number (cJSON keeps only the double) to dec4.  Accepts it
 * only if the double is exactly the nearest double to a decimal with at most
 * 4 places, which holds for every value SPEC.md allows (at most 14
 * significant digits), and 0 <= value <= max.
 */
bool sv_dec4_from_double(double d, int64_t max, int64_t *out);

/* quantity x value: exact, never overflows for SPEC-bounded inputs. */
sv_amount sv_amount_mul(int64_t qty4, int64_t value4);

/* *acc += x; returns false (and leaves *acc) on overflow. */
bool sv_amount_add(sv_amount *acc, sv_amount x);

/* Rounds an amount to whole pence, half away from zero. */
sv_amount sv_amount_to_pence(sv_amount a);

/* Output formatting; each writes a NUL-terminated string, returns its length.
 * SV_MONEY_TEXT_MAX is enough for any sv_amount in any style. */
#define SV_MONEY_TEXT_MAX 64

/* "1234.57" (pence, two decimals), for csv/tsv/json. */
size_t sv_format_pence_plain(char *buf, sv_amount pence);
/* "£1,234.57", for tables. */
size_t sv_format_pence_pretty(char *buf, sv_amount pence);
/* The exact amount with trailing zeros dropped, at least 2 decimals. */
size_t sv_format_amount_exact(char *buf, sv_amount a);
/* A dec4 with trailing zeros dropped, at least 2 decimals ("39039.00"). */
size_t sv_format_dec4(char *buf, int64_t v);
/* A dec4 with trailing zeros dropped, no forced decimals ("37.5", "5"). */
size_t sv_format_dec4_min(char *buf, int64_t v);
/* A sum of dec4 quantities, trailing zeros dropped ("1234.5"). */
size_t sv_format_amount_dec4(char *buf, sv_amount v);

/* num / den as a percentage to one decimal place, half away from zero, as
 * tenths ("57.3%" is 573); false when den is not positive or it overflows. */
bool sv_percent_tenths(sv_amount num, sv_amount den, sv_amount *tenths);

/*
 * Factors: a rate applied to exact pounds (a price-year ratio, a share kept
 * after deadweight, a present-value multiplier) is a non-negative
 * fixed-point number with 12 decimal places.
 */
#define SV_FACTOR_SCALE 1000000000000LL

/* Σ amount[i] × factor[i], rounded once to whole pence, half away from
 * zero; the products are exact in 256-bit integers.  false on overflow. */
bool sv_factored_pence(const sv_amount *amount, const int64_t *factor, size_t n, sv_amount *pence);

/*
 * The factor of a measure, computed in 128-bit fixed point with 28 decimal
 * places and rounded once to 12: (index_to / index_from) ×
 * Π(1 − keep_off[i]) × Σ_{t<years} ((1 − drop_off) / (1 + rate))^t.  The
 * indices, fractions and rate are dec4; years 1 to 50.  false on overflow
 * or a bad argument.
 */
bool sv_factor(int64_t index_to, int64_t index_from, const int64_t *keep_off, size_t n_off, int64_t drop_off,
	       int64_t rate, unsigned years, int64_t *factor);

/*
 * Σ amount[i] × to / from[i], exactly, rounded once to whole pence: the
 * price-year rebasing of amounts held per measure.  common is a common
 * multiple of every from[i] (their lcm).  false on overflow.
 */
bool sv_rebased_pence(const sv_amount *amount, const int64_t *from, size_t n, int64_t to, sv_uamount common,
		      sv_amount *pence);

/* The least common multiple of the from[i] whose amount[i] is not zero
 * (1 if none), or 0 if it would not leave room for the rebasing
 * arithmetic (past 10^30) or a from[i] is not positive.  Only the amounts
 * summed count, so a figure does not depend on what else a table holds. */
sv_uamount sv_lcm_used(const sv_amount *amount, const int64_t *from, size_t n);

/* A factor as "0.765432100000" trimmed to at least one decimal. */
size_t sv_format_factor(char *buf, int64_t factor);

/* Tenths of a percent as "57.3". */
size_t sv_format_tenths(char *buf, sv_amount tenths);

/* An unsigned count with thousands separators ("1,234"). */
size_t sv_format_count(char *buf, uint64_t n, bool grouped);

/* Parses an exact decimal string as written by sv_format_amount_exact (an
 * optional '-', digits, up to 8 decimals).  Used to read back JSON results. */
bool sv_amount_parse(const char *s, size_t n, sv_amount *out);

#endif
