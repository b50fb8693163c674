/*
 * sv_guess.h - profile guess: a starting profile from an export's first
 * lines, so that a user edits one instead of writing it.
 *
 * The guess reads at most the first MiB (and 200 records) of a file, and
 * its last line for a totals row.  It finds the header row below any notes
 * or title lines, the delimiter and the character set, recognises the
 * measure, quantity, date and unit columns by their content as well as by
 * their names, and suggests a measure id for each free-text measure name.
 * It writes only what differs from what sv-calc does without a profile, so
 * a plain export with measure ids guesses to {"name": ...} and values with
 * that profile unedited.
 */
#ifndef SV_GUESS_H
#define SV_GUESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sv_proxy.h"
#include "sv_status.h"

/* How much of a file is read: its start, and its end for a totals row. */
#define SV_GUESS_HEAD_MAX ((size_t)1 << 20)
#define SV_GUESS_TAIL_MAX ((size_t)1 << 16)
/* Rows looked at: the header is searched for among the first
 * SV_GUESS_HEADER_ROWS rows, then up to SV_GUESS_DATA_ROWS records follow. */
#define SV_GUESS_HEADER_ROWS 50
#define SV_GUESS_DATA_ROWS 200

/* The fields a profile's "columns" maps, in the order it writes them. */
enum sv_guess_field { SV_GUESS_MEASURE, SV_GUESS_QUANTITY, SV_GUESS_DATE, SV_GUESS_UNIT, SV_GUESS_FIELDS };

/* A free-text measure name and the measure suggested for it. */
struct sv_guess_measure {
	char *text;              /* trimmed, as first written */
	const struct sv_measure *measure; /* NULL: no good suggestion */
	unsigned long line;      /* where it first occurs */
};

struct sv_guess {
	char *name;                 /* from the file name */
	unsigned long skip_lines;   /* physical lines before the header row */
	int delimiter;              /* the one found */
	bool write_delimiter;       /* sv-calc would not find it alone */
	bool cp1252;                /* invalid UTF-8 that reads as Windows-1252 */
	/* the header name of each field's column (NULL: none found) */
	char *column[SV_GUESS_FIELDS];
	unsigned dates;             /* SV_DATE_FORM_* forms seen */
	struct sv_guess_measure *measures;
	size_t n_measures;
	char *ignore_column;        /* a totals row: its column and value */
	char *ignore_value;
	bool accounting_zero;       /* a quantity '-' was seen */
};

/* What the guess reads.  head is the start of the file (whole: all of it);
 * otherwise tail holds its last bytes, for the last row. */
struct sv_guess_input {
	const char *path;  /* for the profile's name; "-" is standard input */
	const char *shown; /* for messages */
	const char *head;
	size_t n_head;
	bool whole;
	const char *tail;
	size_t n_tail;
	int delimiter;     /* -d, or 0 to find it */
};

/*
 * Guesses a profile.  Notes for the user (a measure name with no
 * suggestion, a column not found) go to the diagnostics stream.  Returns
 * SV_OK, SV_EDATA when there is no header row (reported), or SV_ESOFTWARE
 * when out of memory (reported).  Free g with sv_guess_free in every case.
 */
enum sv_status sv_guess_run(struct sv_guess *g, const struct sv_guess_input *in, const struct sv_proxy_table *t);

/* Writes the profile as pretty JSON (2-space indent), keys in the order of
 * the profile format, only what differs from the defaults. */
void sv_guess_write(FILE *out, const struct sv_guess *g);

void sv_guess_free(struct sv_guess *g);

/*
 * Measure names as people write them ("Volunteering hours", "Local staff
 * (FTE)") matched against the ids, aliases, names and units of a table by
 * the words they share, rare words counting more than common ones.
 */
struct sv_suggester;
struct sv_suggester *sv_suggester_new(const struct sv_proxy_table *t);
/* The one measure that matches (s, n) best, or NULL when none matches well
 * or two match equally well. */
const struct sv_measure *sv_suggester_find(const struct sv_suggester *s, const char *text, size_t n);
void sv_suggester_free(struct sv_suggester *s);

#endif
