/*
 * sv_profile.h - supplier exports as they come: profiles and input lists.
 *
 * A profile (JSON, read with cJSON) says how one source lays out its
 * export: lines above the header, delimiter, encoding, which columns hold
 * the fields, extra date forms, a lookup from measure names as written to
 * measure ids, rows to ignore (a totals row), constant columns (supplier)
 * and whether '-' is an accounting zero.  An input list (--inputs LIST.csv)
 * names many files, each with its own profile and constants, so that
 * exports of several layouts are valued in one run.
 *
 * Both are checked strictly before any input is read: a typo in a profile
 * must not pass silently (an unknown key is an error, with the key it was
 * probably meant to be), and every problem is reported as
 * "sv-calc: FILE: reason" (the list's as "LIST:LINE: reason") with
 * SV_ECONFIG.
 */
#ifndef SV_PROFILE_H
#define SV_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "sv_options.h"
#include "sv_proxy.h"
#include "sv_status.h"
#include "sv_date.h"

/* skip_lines is at most this: titles and notes, not a way to skip data. */
#define SV_PROFILE_SKIP_MAX 1000
/* "ignore" rules at most: a totals row or two, not a filter language. */
#define SV_PROFILE_IGNORE_MAX 16

/* The profile's "dates" forms are sv_date.h's SV_DATE_FORM_* flags. */
#define SV_PROFILE_DATE_MONTH SV_DATE_FORM_MONTH         /* "month": April 2024, Apr-24, 2024-04 */
#define SV_PROFILE_DATE_TWO_DIGIT_YEAR SV_DATE_FORM_YY   /* "two-digit-year": D/M/YY */
#define SV_PROFILE_DATE_EXCEL SV_DATE_FORM_EXCEL         /* "excel-serial": 45383 */

/* The fields "columns" maps, in this order. */
enum sv_profile_field { SV_PF_MEASURE, SV_PF_QUANTITY, SV_PF_DATE, SV_PF_UNIT, SV_PF_COUNT };

enum sv_encoding { SV_ENC_UNSET, SV_ENC_UTF8, SV_ENC_CP1252 };

/* A column with a fixed value (profile "constants" or an input list's
 * extra columns): usable as a --by key. */
struct sv_constant {
	char *name;
	char *value;
};

/* "measures": text as written (trimmed) -> a measure of the table. */
struct sv_profile_measure {
	char *text;
	size_t len;
	const struct sv_measure *measure;
};

/* "ignore": rows whose column equals one of the values (trimmed,
 * ASCII case-insensitive) are counted as ignored. */
struct sv_profile_ignore {
	char *column;
	char **values;
	size_t n_values;
};

struct sv_profile {
	char *path; /* as named, for messages */
	char *name; /* "name", or NULL */
	unsigned skip_lines;
	int delimiter;             /* 0: the run's (-d, else detected) */
	enum sv_encoding encoding; /* SV_ENC_UNSET: the run's (--encoding) */
	char *columns[SV_PF_COUNT]; /* NULL: the run's --map, else by name */
	unsigned date_forms;       /* SV_PROFILE_DATE_* */
	struct sv_profile_measure *measures; /* sorted for lookup */
	size_t n_measures;
	struct sv_profile_ignore *ignore;
	size_t n_ignore;
	struct sv_constant *constants;
	size_t n_constants;
	bool accounting_zero;
};

/* Loads and checks a profile; t is the table measure lookups must name.
 * SV_OK, SV_ECONFIG (every problem reported) or SV_ESOFTWARE; on failure
 * p is left empty. */
enum sv_status sv_profile_load(struct sv_profile *p, const char *path, const struct sv_proxy_table *t);
/* The same from JSON text; text[len] must be '\0'. */
enum sv_status sv_profile_load_text(struct sv_profile *p, const char *text, size_t len, const char *origin,
				    const struct sv_proxy_table *t);
void sv_profile_free(struct sv_profile *p);

/* sv_profile_measure for a profile with measures. */
const struct sv_measure *sv_profile_find(const struct sv_profile *p, const char *s, size_t n);

/* The measure the profile gives the text (s, n), trimmed, ASCII
 * case-insensitively; NULL when it has none (p may be NULL).  Inline:
 * every record asks, and most runs have no profile, which then costs
 * no call. */
static inline const struct sv_measure *sv_profile_measure(const struct sv_profile *p, const char *s,
							   size_t n)
{
	return p && p->n_measures ? sv_profile_find(p, s, n) : NULL;
}

/* The profile's measure name closest to (s, n), if close enough to be a
 * typo of it; NULL otherwise (p may be NULL). */
const char *sv_profile_suggest(const struct sv_profile *p, const char *s, size_t n);

/* Whether the field (s, n) equals one of the rule's values. */
bool sv_profile_ignore_matches(const struct sv_profile_ignore *rule, const char *s, size_t n);

/* What applies to one input of a run. */
struct sv_input_settings {
	const struct sv_profile *profile;    /* NULL: none */
	const char *list;                    /* the input list it came from, or NULL */
	const struct sv_constant *constants; /* its row of the list */
	size_t n_constants;
};

/* The inputs of a run with --profile or --inputs. */
struct sv_input_entry; /* a row of the list */
struct sv_inputs {
	struct sv_input_entry *entries;
	size_t n_entries;
	char **profile_paths;   /* distinct, as joined to the list's folder */
	size_t n_profile_paths;
	struct sv_profile *profiles; /* [i] loaded from profile_paths[i]; then --profile */
	size_t n_profiles;
	struct sv_input_settings *settings; /* one per file (one for stdin) */
};

/*
 * Reads o->inputs_list (if given) and makes o->files the command line's
 * files followed by the list's, and o->profile_files the profiles the list
 * names (for the output checks).  Paths in the list are relative to its
 * folder.  SV_OK, SV_ECONFIG (reported), SV_ESOFTWARE.
 */
enum sv_status sv_inputs_read(struct sv_inputs *in, struct sv_options *o);

/* Loads each profile once (--profile and the list's), then sets
 * o->settings: a list row's profile wins over --profile for its file.
 * SV_OK, SV_ECONFIG (reported), SV_ESOFTWARE. */
enum sv_status sv_inputs_load_profiles(struct sv_inputs *in, struct sv_options *o, const struct sv_proxy_table *t);

void sv_inputs_free(struct sv_inputs *in);

#endif
