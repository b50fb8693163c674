/*
 * sv_date.h - calendar dates and the period keys built from them.
 *
 * A date is held as the integer YYYYMMDD, so dates compare as integers.
 */
#ifndef SV_DATE_H
#define SV_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses YYYY-MM-DD or D/M/YYYY (one- or two-digit day and month) into
 * YYYYMMDD; false unless it names a real calendar day.  No time of day:
 * the grammar of --from/--to and of the dates in JSON results. */
bool sv_date_parse(const char *s, size_t n, int32_t *ymd);

/*
 * The date of an input record (SPEC "Input records").  Always accepted:
 * YYYY-MM-DD or D/M/YYYY, optionally followed by a time of day that is
 * ignored: after a space (or, for ISO, a 'T'), H:MM or HH:MM from 0:00 to
 * 23:59, optionally :SS (00-59) and then a fraction (.123).  A profile adds
 * forms:
 *   SV_DATE_FORM_MONTH  a month: "April 2024", "Apr 2024", "Apr-24",
 *                       "Apr-2024", "April 24", "2024-04", "04/2024" (English
 *                       names, case-insensitive, three letters, "Sept" or in
 *                       full; a two-digit year is 20YY).  "24-Apr" is refused:
 *                       it is how Excel shows 24 April of an unnamed year.
 *   SV_DATE_FORM_YY     D/M/YY, the year 20YY (a time may follow).
 *   SV_DATE_FORM_EXCEL  an Excel serial day number in the 1900 date system
 *                       (1 = 1900-01-01, 45383 = 2024-04-01), 1 to 2958465
 *                       (9999-12-31); a fraction (the time) is ignored.
 *                       Serial 60 is refused: Excel counts a 29 February
 *                       1900 that never was, so no real day is meant (the
 *                       serials after it are one more than the days since
 *                       1899-12-31, and are read so).
 */
#define SV_DATE_FORM_MONTH 1u
#define SV_DATE_FORM_YY 2u
#define SV_DATE_FORM_EXCEL 4u

/* The form names a profile's "dates" list uses, for messages. */
#define SV_DATE_FORM_NAMES "month, two-digit-year, excel-serial"

/* The same names by bit (SV_DATE_FORM_* is 1u << i), so that a profile's
 * reader and the profile guess spell them as the date module reads them. */
#define SV_DATE_FORMS 3
extern const char *const sv_date_form_names[SV_DATE_FORMS];

struct sv_date {
	int32_t ymd;     /* YYYYMMDD; a month's first day when month_only */
	bool month_only; /* the record names a month, not a day */
};

/* Parses a record's date in the default grammar plus the forms (a set of
 * SV_DATE_FORM_* flags); false when it is none of them. */
bool sv_date_parse_forms(const char *s, size_t n, unsigned forms, struct sv_date *out);

/* The flag of a profile's form name ("month", "two-digit-year",
 * "excel-serial"; exactly so, as a profile's keys are); 0 when name is not
 * one. */
unsigned sv_date_form_by_name(const char *name);

/* The one form (an SV_DATE_FORM_* flag) a record's date needs, 0 for the
 * default grammar; false when neither it nor a month or D/M/YY form reads
 * it.  Excel serials are not tried: a serial is a number first, and only
 * its column's name can say it is a date (the profile guess decides). */
bool sv_date_form_needed(const char *s, size_t n, unsigned *form);

/* The last day the date covers: its day, or its month's last day. */
int32_t sv_date_last(const struct sv_date *d);

/* Writes what the forms accept, for "(expected ...)" in messages:
 * "YYYY-MM-DD or DD/MM/YYYY, optionally with a time" and the forms' own. */
#define SV_DATE_EXPECTED_MAX 256
void sv_date_expected(char buf[SV_DATE_EXPECTED_MAX], unsigned forms);

enum sv_period {
	SV_PERIOD_MONTH,   /* 2024-04 */
	SV_PERIOD_QUARTER, /* 2024-Q2, calendar */
	SV_PERIOD_FQ,      /* 2024/25 Q1, UK financial quarter (Apr-Jun = Q1) */
	SV_PERIOD_YEAR,    /* 2024 */
	SV_PERIOD_FY       /* 2024/25, UK financial year April-March */
};

/* sv_period_of for a ymd before year 1 (no date): truncating division
 * rounds those the other way, so they keep the formula they always had. */
int32_t sv_period_of_slowly(enum sv_period p, int32_t ymd);

/* A number that orders periods chronologically.  Inline, from the count
 * of months since year 0, of which every period is a quotient: a --by
 * period key takes it for every record. */
static inline int32_t sv_period_of(enum sv_period p, int32_t ymd)
{
	if (ymd < 10000)
		return sv_period_of_slowly(p, ymd);
	/* unsigned: a division by a constant then needs no sign fix-up */
	uint32_t u = (uint32_t)ymd, months = u / 10000 * 12 + u / 100 % 100 - 1;
	switch (p) {
	case SV_PERIOD_MONTH: return (int32_t)months;
	case SV_PERIOD_QUARTER: return (int32_t)(months / 3);
	/* a financial year starts in April, its month 3 */
	case SV_PERIOD_FQ: return (int32_t)((months - 3) / 3);
	case SV_PERIOD_YEAR: return (int32_t)(u / 10000);
	case SV_PERIOD_FY: return (int32_t)((months - 3) / 12);
	}
	return 0;
}

/* Writes the period's label; buf needs SV_PERIOD_TEXT_MAX bytes. */
#define SV_PERIOD_TEXT_MAX 16
size_t sv_period_format(char *buf, enum sv_period p, int32_t period);

/* Reads a label written by sv_period_format back; false if it is not one. */
bool sv_period_parse(enum sv_period p, const char *s, int32_t *period);

#endif
