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
 * YYYYMMDD; false unless it names a real calendar day. */
bool sv_date_parse(const char *s, size_t n, int32_t *ymd);

enum sv_period {
	SV_PERIOD_MONTH,   /* 2024-04 */
	SV_PERIOD_QUARTER, /* 2024-Q2, calendar */
	SV_PERIOD_FQ,      /* 2024/25 Q1, UK financial quarter (Apr-Jun = Q1) */
	SV_PERIOD_YEAR,    /* 2024 */
	SV_PERIOD_FY       /* 2024/25, UK financial year April-March */
};

/* A number that orders periods chronologically. */
int32_t sv_period_of(enum sv_period p, int32_t ymd);

/* Writes the period's label; buf needs SV_PERIOD_TEXT_MAX bytes. */
#define SV_PERIOD_TEXT_MAX 16
size_t sv_period_format(char *buf, enum sv_period p, int32_t period);

/* Reads a label written by sv_period_format back; false if it is not one. */
bool sv_period_parse(enum sv_period p, const char *s, int32_t *period);

#endif
