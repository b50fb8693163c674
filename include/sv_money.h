/*
 * sv_money.h - exact fixed-point arithmetic for quantities and pounds.
 *
 * A quantity has at most 15 decimal places (a spreadsheet formula's
 * 0.533333333333333) and is held as a 128-bit count of 1/10^15 unit (an
 * sv_qty): its top, 10^12 units, is 10^27 of those, past int64.  A proxy
 * value has at most 4 places, held as an int64 count of 1/10^4 pound (a
 * "dec4"), as are the other table decimals (fractions, indices).  A
 * record's value is quantity x proxy value, exact with 19 places, held as a
 * 128-bit count of 1/10^19 pound (an "amount").  A signed 128-bit integer
 * holds 1.7 x 10^38, that is 1.7 x 10^19 pounds: the largest product SPEC
 * allows, 10^12 units x GBP 10^9 = 10^40 amount units, does not fit, so
 * every product and every addition is overflow-checked and an overflow is
 * reported, never a wrong number (the whole UK economy is about 10^12
 * pounds a year).  Rounding to the penny happens only in
 * the formatting functions below.
 */
#ifndef SV_MONEY_H
#define SV_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 sv_amount;
__extension__ typedef unsigned __int128 sv_uamount;
/* A quantity, or a sum of quantities, in 1/10^15 unit. */
__extension__ typedef __int128 sv_qty;

#define SV_DEC4_SCALE 10000
#define SV_QTY_PLACES 15
#define SV_QTY_SCALE ((sv_qty)1000000000000000LL)
#define SV_AMOUNT_PLACES 19 /* SV_QTY_PLACES + a value's 4 */
#define SV_AMOUNT_SCALE ((sv_amount)10000000000000000000ULL)
/* SPEC: more than 1,000,000,000,000 units is an invalid quantity. */
#define SV_QTY_MAX ((sv_qty)1000000000000LL * SV_QTY_SCALE)
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
	SV_QTY_DECIMALS,      /* more decimal places than allowed (a quantity: 15) */
	SV_QTY_TOO_LARGE,
	SV_QTY_SYNTAX
};

/*
 * Parses a quantity per SPEC.md: digits with an optional fraction of up to 15
 * digits, an optional leading pound sign, optional thousands separators in
 * groups of three; *out in 1/10^15 unit.  The text is (s, n), not
 * NUL-terminated.
 */
enum sv_qty_error sv_qty_parse(const char *s, size_t n, sv_qty *out);

/*
 * The quantity grammar with at most `places` decimals (1 to 15), *out in
 * 1/10^places: for pounds written as a spreadsheet shows them ("£41,250.75",
 * places 4), which keep the 4 decimals of a proxy value.
 */
enum sv_qty_error sv_grouped_decimal_parse(const char *s, size_t n, unsigned places, sv_qty *out);

/* A phrase for the error of a quantity, to follow the quoted value: "is
 * negative". */
const char *sv_qty_strerror(enum sv_qty_error e);

/*
 * Parses a plain decimal (digits, optional '.', fraction) whose value has at
 * most 4 decimal places; trailing zeros do not count ("1.50000" is 1.5).
 * Used for proxy values written as strings.  Returns false if the text is
 * not such a decimal or exceeds max (in dec4 units).
 */
bool sv_dec4_parse_plain(const char *s, size_t n, int64_t max, int64_t *out);

/*
 * Unit conversions (a quantity in FTE-months of a measure valued per
 * FTE-year) multiply by fractions such as 1/12 that no decimal holds.  To
 * stay exact, amounts count 1/(10^19 x L) pound, where L, the table's
 * unit lcm (struct sv_proxy_table's unit_lcm), is a multiple of every
 * conversion's denominator (1 for a table without conversions: amounts
 * are then exactly as described above).  Every function here that makes,
 * rounds, prints or parses an amount takes L as unit_lcm (1 or more):
 * amounts made with one L are only ever added to, and printed with, the
 * same L, and the printed text does not depend on which L that was.
 */

/* quantity x value (a dec4), exactly; false (and *out untouched) when it
 * does not fit in an amount (past 1.7 x 10^19 pounds / unit_lcm: 10^12
 * units at GBP 10^9 do not). */
bool sv_amount_mul(sv_qty qty, int64_t value4, int64_t unit_lcm, sv_amount *out);

/* sv_amount_mul_unit's product by the general route (the factors' bit
 * lengths, then checked 128-bit products), which the inline function
 * takes whenever one 64 x 64-bit multiplication might not do. */
bool sv_amount_mul_any(sv_qty qty, int64_t value4, int64_t num, int64_t den, int64_t unit_lcm, sv_amount *out);

/* quantity x value x num/den (the quantity's unit as a fraction of the
 * measure's), exactly; false when it does not fit or den does not divide
 * the unit lcm. */
static inline bool sv_amount_mul_unit(sv_qty qty, int64_t value4, int64_t num, int64_t den, int64_t unit_lcm, sv_amount *out)
{
	/* The common record: no conversion in the record (a whole unit, den
	 * 1), a quantity below 2^64 (18,446 units) and a value not negative
	 * whose product with the table's unit lcm fits in 63 bits (any value
	 * up to some GBP 23 million a unit with the built-in table's lcm of
	 * 39,000).  Then the product is below 2^127: one 64 x 64-bit
	 * multiplication, where the general product costs three 128-bit ones
	 * and the bit lengths of its factors. */
	uint64_t scaled;
	if (den == 1 && num > 0 && unit_lcm > 0 && value4 >= 0 && (sv_uamount)qty >> 64 == 0 &&
	    !__builtin_mul_overflow((uint64_t)value4, (uint64_t)num, &scaled) &&
	    !__builtin_mul_overflow(scaled, (uint64_t)unit_lcm, &scaled) && scaled <= (uint64_t)INT64_MAX) {
		*out = (sv_amount)((sv_uamount)(uint64_t)qty * scaled);
		return true;
	}
	return sv_amount_mul_any(qty, value4, num, den, unit_lcm, out);
}

/* Pounds with 4 decimals (a dec4, or a sum of them) as an amount. */
bool sv_amount_from_dec4(sv_amount dec4, int64_t unit_lcm, sv_amount *out);

/* *acc += x; returns false (and leaves *acc) on overflow. */
static inline bool sv_amount_add(sv_amount *acc, sv_amount x)
{
	sv_amount r;
	if (__builtin_add_overflow(*acc, x, &r))
		return false;
	*acc = r;
	return true;
}

/* Rounds an amount to whole pence, half away from zero. */
sv_amount sv_amount_to_pence(sv_amount a, int64_t unit_lcm);

/* Output formatting; each writes a NUL-terminated string, returns its length.
 * SV_MONEY_TEXT_MAX is enough for any sv_amount in any style. */
#define SV_MONEY_TEXT_MAX 64

/* "1234.57" (pence, two decimals), for csv/tsv/json. */
size_t sv_format_pence_plain(char *buf, sv_amount pence);
/* "£1,234.57", for tables. */
size_t sv_format_pence_pretty(char *buf, sv_amount pence);
/* The exact amount with trailing zeros dropped, at least 2 decimals (so an
 * amount with at most 8 places reads as it did at the scale of 10^8); a
 * value no decimal holds (converted from another unit) as "N/D" pounds in
 * lowest terms. */
size_t sv_format_amount_exact(char *buf, sv_amount a, int64_t unit_lcm);
/* A dec4 with trailing zeros dropped, at least 2 decimals ("39039.00"). */
size_t sv_format_dec4(char *buf, int64_t v);
/* A dec4 with trailing zeros dropped, no forced decimals ("0.35", "5"). */
size_t sv_format_dec4_min(char *buf, int64_t v);
/* A quantity or a sum of quantities, trailing zeros dropped, no forced
 * decimals ("37.5", "5", "0.533333333333333"). */
size_t sv_format_qty(char *buf, sv_qty v);

/* num / den as a percentage to one decimal place, half away from zero, as
 * tenths ("57.3%" is 573), num x 1000 exact in 256 bits; false when den is
 * not positive or the percentage itself overflows. */
bool sv_percent_tenths(sv_amount num, sv_amount den, sv_amount *tenths);

/*
 * Factors: a rate applied to exact pounds (a price-year ratio, a share kept
 * after deadweight, a present-value multiplier) is a non-negative
 * fixed-point number with 12 decimal places.
 */
#define SV_FACTOR_SCALE 1000000000000LL

/* Σ amount[i] × factor[i], rounded once to whole pence, half away from
 * zero; the products (below 2^127 × 2^63) are exact in 256-bit integers.
 * false on overflow. */
bool sv_factored_pence(const sv_amount *amount, const int64_t *factor, size_t n, int64_t unit_lcm, sv_amount *pence);

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
 * multiple of every from[i] (their lcm).  false on overflow.  The sum is
 * Σ amount × (to × common / from): with an index up to 1000 (10^7 as a
 * dec4) and common up to 10^30 the weight is below 10^37 < 2^123 and each
 * term below 2^250, so 64 terms of the largest amounts fit in 256 bits
 * (sums of real amounts, 10^30 for GBP 10^11, have room for 2^30 terms)
 * and any overflow is caught.  The sum is divided by common, then by the
 * 10^17 amount units of a penny, as common × 10^17 may not fit in 128
 * bits; the one rounding is the same as dividing by their product.
 */
bool sv_rebased_pence(const sv_amount *amount, const int64_t *from, size_t n, int64_t to, sv_uamount common,
		      int64_t unit_lcm, sv_amount *pence);

/* The least common multiple of the from[i] whose amount[i] is not zero
 * (1 if none), or 0 if it would not leave room for the rebasing
 * arithmetic (past 10^30, see sv_rebased_pence) or a from[i] is not
 * positive.  Only the amounts summed count, so a figure does not depend on
 * what else a table holds. */
sv_uamount sv_lcm_used(const sv_amount *amount, const int64_t *from, size_t n);

/* A factor as "0.765432100000" trimmed to at least one decimal. */
size_t sv_format_factor(char *buf, int64_t factor);

/* Tenths of a percent as "57.3". */
size_t sv_format_tenths(char *buf, sv_amount tenths);

/* An unsigned count with thousands separators ("1,234"). */
size_t sv_format_count(char *buf, uint64_t n, bool grouped);

/* Parses an exact decimal string as written by sv_format_amount_exact (an
 * optional '-', digits, up to 19 decimals: a result written when amounts
 * had 8 reads as well; or "N/D" pounds, D dividing the amount unit).  Used to read back JSON results.  false when it is
 * not such a decimal or does not fit in an amount. */
bool sv_amount_parse(const char *s, size_t n, int64_t unit_lcm, sv_amount *out);

#endif
