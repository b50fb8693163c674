/*
 * sv_proxy.h - the proxy table: themes, measures and their pound values.
 *
 * Loaded once from JSON (a file or $SV_CALC_PROXIES), validated against
 * every rule of SPEC.md, then read-only; the table built into the binary
 * was loaded so at build time (sv_builtin.h).
 * The cJSON tree is gone before the first record is read; the table owns
 * plain C strings and an index of ids and aliases for case-insensitive
 * lookup.
 */
#ifndef SV_PROXY_H
#define SV_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sv_status.h"

enum sv_value_type { SV_VT_LEV, SV_VT_SAVINGS, SV_VT_SOCIAL, SV_VT_COUNT };

/* "LEV", "savings", "social" */
const char *sv_value_type_name(enum sv_value_type vt);

/* The year a price is in: a financial year (April year to March year + 1)
 * or a calendar year.  year 0: not given. */
struct sv_price_year {
	int year;
	bool calendar;
};

/* "2026/27" or "2026-27": a financial year; "2022": a calendar year, or
 * the financial year starting in it when bare_is_financial (as
 * --price-year reads it).  Years 1900 to 2200. */
bool sv_price_year_parse(const char *s, size_t n, bool bare_is_financial, struct sv_price_year *out);
/* "2026/27" or "2022" ("" when not given). */
void sv_price_year_text(struct sv_price_year y, char buf[static 8]);
bool sv_price_year_equal(struct sv_price_year a, struct sv_price_year b);
/* Orders years by when they end: 2022 before 2022/23 before 2023. */
int sv_price_year_compare(struct sv_price_year a, struct sv_price_year b);

struct sv_theme {
	char *id;
	char *name;
};

/* Another unit a measure's quantity may come in, and what one of it is in
 * the measure's own unit, as an exact fraction in lowest terms: an
 * FTE-month is 1/12 of an FTE-year. */
struct sv_unit {
	char *name;
	int64_t num, den;
};

/* Bounds that keep every conversion exact in the arithmetic (sv_money.h):
 * numerators and denominators up to a million, and their least common
 * denominator over a whole table too. */
#define SV_UNIT_TERM_MAX 1000000

struct sv_measure {
	char *id;
	char *name;
	char *unit;
	char *source;     /* NULL when the table gives none, as are the next two */
	char *licence;
	char *derivation;
	size_t theme;  /* index into the table's themes */
	size_t index;  /* its own position in the table */
	enum sv_value_type value_type;
	bool record_only; /* "value": null: counted, never given pounds */
	int64_t value;    /* pounds per unit, dec4 (see sv_money.h) */
	/* net value: deadweight, attribution, displacement, drop_off as dec4
	 * fractions (0: none), over duration_years (1: one year) */
	int64_t adjust[4];
	unsigned duration_years;
	struct sv_price_year price_year; /* its own, else the table's */
	char **aliases;
	size_t n_aliases;
	struct sv_unit *units; /* conversions from other units (none: NULL) */
	size_t n_units;
};

struct sv_index_slot {
	const char *key; /* an id or alias, owned by its measure */
	size_t key_len;
	uint64_t word; /* a key of up to 8 bytes, as one word (0: longer) */
	uint32_t hash;
	uint32_t measure;
};

/* A key of 1 to 16 bytes in the table's perfect hash: its bytes as two
 * words, ASCII capitals lowered (len 0: an empty slot). */
struct sv_short_slot {
	uint64_t word, word2; /* the key's bytes 0-7 and 8-15, folded; 0 past its end */
	uint32_t len;
	uint32_t measure;
};

struct sv_proxy_table {
	char *origin; /* file name, or "<built-in>", for messages */
	char *name;
	char *version;
	struct sv_price_year price_year; /* year 0: not given */
	/* provenance, kept as written so that the listing loses nothing
	 * (NULL: not given) */
	char *currency;
	char *source;
	char *licence;
	char *attribution;
	char *notes;
	struct sv_theme *themes;
	size_t n_themes;
	struct sv_measure *measures;
	size_t n_measures;
	struct sv_index_slot *index;
	size_t index_cap; /* a power of two */
	/* every key of at most 16 bytes in a slot of its own: slot
	 * (word * short_mult + word2 * short_mult2) >> short_shift (NULL:
	 * they are in index only) */
	struct sv_short_slot *short_slots;
	uint64_t short_mult, short_mult2;
	unsigned short_shift;
	/* the least common multiple of every unit conversion's denominator (1
	 * when there are none): amounts are counted in 1/unit_lcm of the
	 * arithmetic's unit so that every converted record is exact */
	int64_t unit_lcm;
	/* the canonical digest once computed ("" until then): merge and JSON
	 * results ask for it, and it never changes once loaded */
	char *digest_cache;
	/* everything but origin and digest_cache is static data that
	 * sv_proxy_free leaves alone (the built-in table, sv_builtin.h) */
	bool borrowed;
};

#define SV_BUILTIN_ORIGIN "<built-in>"

/* Whether the text (s, n), trimmed and matched case-insensitively, names
 * the measure's own unit (1/1) or one of its conversions; the fraction a
 * quantity in it is multiplied by goes to *num / *den, and the unit's name
 * as the table writes it to *name. */
bool sv_measure_unit(const struct sv_measure *m, const char *s, size_t n, int64_t *num, int64_t *den,
		     const char **name);

/* "FTE-year, FTE-month, FTE-week": the units a measure's quantity may come
 * in, for messages; truncated with "..." to fit cap. */
void sv_measure_units_text(const struct sv_measure *m, char *buf, size_t cap);

/* A conversion as written in a table: "1/12", or "7.5" for 15/2, "12". */
void sv_unit_fraction_text(char *buf, size_t cap, int64_t num, int64_t den);

/* Parses "N/D" or a decimal with at most 4 places into a fraction in
 * lowest terms, each term 1 to SV_UNIT_TERM_MAX; false otherwise. */
bool sv_unit_fraction_parse(const char *s, size_t n, int64_t *num, int64_t *den);

/*
 * Loads and validates a table from JSON text; text[len] must be '\0'
 * (cJSON checks for trailing bytes by looking for it).  On failure every problem
 * found has been reported through sv_diag, the table is left empty, and the
 * result is SV_ECONFIG (SV_ESOFTWARE when out of memory).
 */
enum sv_status sv_proxy_load_text(struct sv_proxy_table *t, const char *text, size_t len,
				  const char *origin);

/* The file -p path names: path itself, or for a bare name that is not a
 * file here the installed table of that name (written into buf). */
const char *sv_proxy_table_path(const char *path, char *buf, size_t cap);

/* Reads the file, then as sv_proxy_load_text. */
enum sv_status sv_proxy_load_file(struct sv_proxy_table *t, const char *path);

/* The table SPEC.md asks for: path if given, else $SV_CALC_PROXIES if set
 * and non-empty, else the built-in one (builtin.c). */
enum sv_status sv_proxy_load_default(struct sv_proxy_table *t, const char *path);

/* The measure whose id or alias is (s, n), ASCII case-insensitively. */
const struct sv_measure *sv_proxy_find(const struct sv_proxy_table *t, const char *s, size_t n);

/* The same, for a key followed by readable bytes up to s + 16 at least
 * (a plain row's field: sv_reader.h), which it reads but ignores. */
const struct sv_measure *sv_proxy_find_padded(const struct sv_proxy_table *t, const char *s, size_t n);

/* The id or alias closest to (s, n) by edit distance, or NULL if none is
 * close enough to be a likely typo. */
const char *sv_proxy_suggest(const struct sv_proxy_table *t, const char *s, size_t n);

void sv_proxy_free(struct sv_proxy_table *t);

/* Levenshtein distance, ASCII case-insensitive; used for every "did you
 * mean" in the program.  Returns SIZE_MAX for over-long input. */
size_t sv_edit_distance(const char *a, size_t na, const char *b, size_t nb);

/* Whether a distance d to a word of length n is close enough to suggest. */
bool sv_close_enough(size_t d, size_t n);

enum sv_adjustment { SV_ADJ_DEADWEIGHT, SV_ADJ_ATTRIBUTION, SV_ADJ_DISPLACEMENT, SV_ADJ_DROP_OFF };

/* "deadweight", "attribution", "displacement", "drop_off" */
const char *sv_adjustment_name(enum sv_adjustment a);

/* A deflator series: years and their index, dec4. */
struct sv_series {
	int first_year;
	int64_t *index; /* index[year - first_year]; 0 where the series has none */
	size_t n;
};

/* Financial years (by the year they start) and, optionally, calendar
 * years on the same scale (a file says so by giving both). */
struct sv_deflators {
	char *origin;
	struct sv_series financial, calendar;
};

/* Loads a series (path NULL: the built-in one); reports and returns
 * SV_ECONFIG when it is broken. */
enum sv_status sv_deflators_load(struct sv_deflators *d, const char *path);
void sv_deflators_free(struct sv_deflators *d);
/* The index of the year, or 0 when the series has none. */
int64_t sv_deflator(const struct sv_deflators *d, struct sv_price_year year);
/* The years the deflators cover, as runs: "2010/11 to 2030/31; calendar
 * years 2010 to 2024". */
void sv_deflators_years(const struct sv_deflators *d, char *buf, size_t cap);

/* The price year a table's totals are stated in: its own price_year, else
 * the latest of its priced measures' (year 0: none given anywhere). */
struct sv_price_year sv_proxy_basis_year(const struct sv_proxy_table *t);
/* Whether a priced measure is in a year other than the basis year. */
bool sv_proxy_is_mixed(const struct sv_proxy_table *t);

/* The built-in table, generated from proxies/ at build time. */
extern const unsigned char sv_builtin_proxies[];
extern const size_t sv_builtin_proxies_len;
extern const unsigned char sv_builtin_deflators[];
extern const size_t sv_builtin_deflators_len;

#endif
