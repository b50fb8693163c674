/*
 * sv_group.h - totals per group of --by keys.
 *
 * A group is identified by one value per key: a theme or measure index, a
 * value type, a period number, or the text of an input column.  Groups live
 * in a hash table with their text in an arena, so memory grows with the
 * number of distinct groups, never with the number of records.
 */
#ifndef SV_GROUP_H
#define SV_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sv_date.h"
#include "sv_money.h"
#include "sv_status.h"

enum sv_key_kind {
	SV_KEY_THEME,
	SV_KEY_MEASURE,
	SV_KEY_VALUE_TYPE,
	SV_KEY_MONTH,
	SV_KEY_QUARTER,
	SV_KEY_FQ,
	SV_KEY_YEAR,
	SV_KEY_FY,
	SV_KEY_COLUMN,
	SV_KEY_FILE /* the input file's name as given */
};

#define SV_MAX_KEYS 16

struct sv_key_spec {
	enum sv_key_kind kind;
	const char *column; /* SV_KEY_COLUMN: the input column's name */
};

/* The built-in key a name stands for; false if it names none. */
bool sv_key_builtin(const char *name, enum sv_key_kind *kind);
/* The name of a built-in key: "theme", "fq", ... */
const char *sv_key_name(enum sv_key_kind kind);
/* Whether the key's values are text (a column's, a file name). */
static inline bool sv_key_is_text(enum sv_key_kind kind)
{
	return kind == SV_KEY_COLUMN || kind == SV_KEY_FILE;
}

/* Whether the key needs a record's date.  Inline, as sv_key_period: the
 * keys of every record ask. */
static inline bool sv_key_is_period(enum sv_key_kind kind)
{
	return kind >= SV_KEY_MONTH && kind <= SV_KEY_FY;
}

/* Inline: a --by period key asks it for every record. */
static inline enum sv_period sv_key_period(enum sv_key_kind kind)
{
	switch (kind) {
	case SV_KEY_QUARTER: return SV_PERIOD_QUARTER;
	case SV_KEY_FQ: return SV_PERIOD_FQ;
	case SV_KEY_YEAR: return SV_PERIOD_YEAR;
	case SV_KEY_FY: return SV_PERIOD_FY;
	default: return SV_PERIOD_MONTH;
	}
}

/* One key's value: num for every kind but SV_KEY_COLUMN, whose text is
 * (str, len). */
struct sv_key_value {
	int64_t num;
	const char *str;
	size_t len;
};

struct sv_group {
	uint64_t records;        /* every record in the group */
	uint64_t valued_records; /* those with a pound value (not record-only) */
	sv_amount value;         /* exact, 1/10^19 pound */
	/* --targets: what was committed for this group */
	bool targeted;
	uint64_t target_valued;  /* committed lines with a pound value */
	sv_qty target_qty;       /* 1/10^15 unit */
	sv_amount target_value;  /* 1/10^19 pound */
	/* --spend-file: what was spent for this group */
	bool has_spend;
	sv_amount spend;         /* 1/10^19 pound */
	/* the exact gross per measure, when the groups keep it (net value and
	 * price-year rebasing need it); NULL otherwise */
	sv_amount *by_measure;
	uint64_t *by_measure_records; /* records per measure, kept with it */
	uint32_t hash;
	struct sv_key_value keys[]; /* n_keys of them */
};

struct sv_groups;

struct sv_groups *sv_groups_new(const struct sv_key_spec *keys, size_t n_keys);
void sv_groups_free(struct sv_groups *g);

/*
 * Adds one record to the group its key values name, creating the group if
 * needed.  has_value is false for record-only measures.  Returns SV_OK,
 * SV_EDATA when the sum would overflow (nothing is added), or SV_ESOFTWARE
 * when out of memory.
 */
enum sv_status sv_groups_add(struct sv_groups *g, const struct sv_key_value *keys, bool has_value,
			     sv_amount value);

/* Adds a group of an earlier result: its records, how many of them carry
 * a pound value, and its exact value.  Same returns as sv_groups_add. */
enum sv_status sv_groups_merge(struct sv_groups *g, const struct sv_key_value *keys, uint64_t records,
			       uint64_t valued_records, sv_amount value);

/* Adds a committed quantity and its value to the group of these keys,
 * creating it (with no records) if needed. */
enum sv_status sv_groups_add_target(struct sv_groups *g, const struct sv_key_value *keys, sv_qty qty,
				    bool has_value, sv_amount value);

/* Adds spend (1/10^19 pound) to the group of these keys. */
enum sv_status sv_groups_add_spend(struct sv_groups *g, const struct sv_key_value *keys, sv_amount spend);

/* Keep each group's gross per measure (n measures); call before adding. */
void sv_groups_track_measures(struct sv_groups *g, size_t n_measures);
size_t sv_groups_tracked_measures(const struct sv_groups *g);

/* As sv_groups_add, also noting the value under its measure.  When every
 * key is one of the measure's own (theme, measure, value type), the keys
 * must be those of the measure at that index in one table: the group of
 * each measure is then remembered, not looked up again. */
enum sv_status sv_groups_add_measure(struct sv_groups *g, const struct sv_key_value *keys, size_t measure,
				     bool has_value, sv_amount value);

/* Counts records of a measure (by its index in the table) as used by the
 * result; sv_groups_add_measure does it for each record it adds. */
enum sv_status sv_groups_note_measure(struct sv_groups *g, size_t measure, uint64_t records);
/* Records per measure index (n of them; indices past n have none). */
const uint64_t *sv_groups_measure_records(const struct sv_groups *g, size_t *n);

/* Adds records of one measure, summed (records of a result being merged);
 * the groups must keep measures.  Same returns as sv_groups_add. */
enum sv_status sv_groups_add_measure_sum(struct sv_groups *g, const struct sv_key_value *keys, size_t measure,
					 uint64_t records, bool has_value, sv_amount value);

/* The group of these keys, or NULL. */
const struct sv_group *sv_groups_find(const struct sv_groups *g, const struct sv_key_value *keys);
/* Makes sure the group of these keys exists (with no records if new). */
enum sv_status sv_groups_touch(struct sv_groups *g, const struct sv_key_value *keys);

/* Adds every group of src (same keys) to dst, and its measure counts. */
enum sv_status sv_groups_absorb(struct sv_groups *dst, const struct sv_groups *src);

/* The groups in SPEC.md's fixed order; the array belongs to g and is valid
 * until the next add.  NULL only when out of memory. */
const struct sv_group *const *sv_groups_sorted(struct sv_groups *g, size_t *count);

size_t sv_groups_count(const struct sv_groups *g);

#endif
