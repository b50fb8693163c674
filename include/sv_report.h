/*
 * sv_report.h - the figures reports quote beside the totals: what was
 * committed (--targets) and what was spent (--spend, --spend-file).
 *
 * Both are read into the same groups as the records, keyed by the same
 * --by keys, so a commitment never delivered still shows, with nothing
 * delivered.  All of it in the exact arithmetic of sv_money.h.
 */
#ifndef SV_REPORT_H
#define SV_REPORT_H

#include "sv_group.h"
#include "sv_options.h"
#include "sv_proxy.h"
#include "sv_status.h"

/*
 * Reads a targets CSV: measure, quantity, and a column for each --by key
 * that a measure does not settle (periods as labelled in the output, such
 * as "2024/25", and input columns).  Problems are reported as FILE:LINE;
 * returns SV_EDATA if there were any, SV_ENOINPUT if it cannot be opened.
 */
enum sv_status sv_load_targets(const char *path, const struct sv_options *o, const struct sv_proxy_table *t,
			       int64_t unit_lcm, struct sv_groups *g);

/* Reads a spend CSV: a column for each --by key and `spend` (pounds). */
enum sv_status sv_load_spend(const char *path, const struct sv_options *o, const struct sv_proxy_table *t,
			     int64_t unit_lcm, struct sv_groups *g, sv_amount *total);

/*
 * Net value and price-year rebasing: one factor per measure (see
 * sv_factor in sv_money.h).  value[] rebases a measure's gross (NULL when
 * every value is already in the basis year); net[] also applies
 * deadweight, attribution, displacement and the present value of the
 * years of benefit (NULL when no adjustment applies).
 */
struct sv_factors {
	int64_t *value;
	int64_t *net;
	size_t n;
	/* what the figures are stated in: --price-year, else the table's price
	 * year ("2026/27 prices"; "" when neither table nor measures give one) */
	char basis[48];
	/* rebasing exactly: each measure's deflator index and the target's */
	int64_t *index_from;
	int64_t index_to;
};

/* "2026/27 prices": the year a table's own totals are in ("" if none). */
void sv_table_basis(const struct sv_proxy_table *t, char *buf, size_t cap);

/* Works out the factors for the table and the options; problems (a year
 * the deflators lack, a measure without a price year) are reported and
 * give SV_ECONFIG. */
enum sv_status sv_factors_make(struct sv_factors *f, const struct sv_options *o, const struct sv_proxy_table *t);
void sv_factors_free(struct sv_factors *f);

/* "£12,500.00" or "12500" as an exact amount (1/10^19 pound); false if it
 * is not a non-negative amount of at most 10^12 pounds with at most 4
 * decimals. */
bool sv_parse_pounds(const char *s, size_t n, int64_t unit_lcm, sv_amount *out);

#endif
