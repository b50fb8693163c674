/*
 * sv_xlsx.h - a result as an Excel workbook (-f xlsx), with libxlsxwriter.
 *
 * Sheets, each with two title lines and a blank row above its header row:
 *
 *   Totals      the title the table format shows (proxy table, price year,
 *               gross or net), the counts, then the columns csv has for the
 *               same options and a TOTAL row; a bar chart of the groups
 *   By measure  per group and measure: records and the exact gross sum
 *               rounded to the penny (what a JSON result carries)
 *   Sources     each measure the records used: value, unit, price year,
 *               source, licence; the attribution the licences ask for
 *   Inputs      each input: bytes, SHA-256, what became of its records
 *   Invalid     with --skip-invalid: file, line and reason of each record
 *               skipped
 *
 * Figures are numbers, never formulas, each the double nearest sv-calc's
 * own penny text, so a spreadsheet shows exactly the figure csv prints.
 */
#ifndef SV_XLSX_H
#define SV_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sv_engine.h"
#include "sv_format.h"
#include "sv_status.h"

/* The invalid records of a run, for the Invalid sheet: spooled to a
 * temporary file as the run reports them, so memory does not grow with
 * their number.  new: NULL (reported) when no temporary file can be made. */
struct sv_xlsx_invalid;
struct sv_xlsx_invalid *sv_xlsx_invalid_new(void);
/* An outcome hook (struct sv_run_hooks; ctx is the sv_xlsx_invalid). */
void sv_xlsx_invalid_outcome(void *ctx, const struct sv_outcome *outcome);
void sv_xlsx_invalid_free(struct sv_xlsx_invalid *inv);

/*
 * Writes the workbook of r to out.  An atomic output (-o FILE) gets it in
 * its temporary file, by name, renamed into place on commit; stdout or a
 * device gets the bytes of a workbook written to a temporary file first.
 * invalid: the Invalid sheet's records (NULL: no such sheet).  Refuses a
 * terminal (SV_EUSAGE).  Returns SV_OK, SV_EUSAGE, SV_EIO, SV_ESOFTWARE
 * (more groups than a worksheet holds, out of memory) or SV_EUNAVAILABLE
 * (libxlsxwriter cannot be loaded: sv_xlsxlib.h), reported.
 */
enum sv_status sv_xlsx_write(FILE *out, const struct sv_result *r, struct sv_xlsx_invalid *invalid);

/* The same, to the file path (created or truncated); shown names it in
 * messages. */
enum sv_status sv_xlsx_write_file(const char *path, const char *shown, const struct sv_result *r,
				  struct sv_xlsx_invalid *invalid);

/* How a column of the Totals sheet is written, by its csv header: text, or
 * a number in pounds ("£"#,##0.00), a count (#,##0), a percentage or
 * pence per pound in tenths (0.0), a quantity (General). */
enum sv_xlsx_kind { SV_XLSX_TEXT, SV_XLSX_MONEY, SV_XLSX_COUNT, SV_XLSX_TENTHS, SV_XLSX_QUANTITY };
enum sv_xlsx_kind sv_xlsx_kind_of(const char *header, bool figure);

/*
 * A figure sv-calc wrote as plain decimal text ("-1234.56", "104.3") as the
 * double a spreadsheet stores.  true only when the text has at most 15
 * significant digits, which a double keeps and a spreadsheet shows exactly;
 * a longer figure (pennies past £10 trillion) stays text, exact.
 */
bool sv_xlsx_number(const char *s, double *out);

/*
 * Text as a cell can hold it, into dst (3n + 1 bytes, at most
 * SV_XLSX_TEXT_MAX + 1, are enough): valid
 * UTF-8 (each bad byte U+FFFD), the control characters XML 1.0 cannot
 * carry and U+FFFE/U+FFFF replaced (tab and newline kept), cut at a
 * character boundary to a cell's limit.  Returns the length.
 */
#define SV_XLSX_TEXT_MAX 32767
size_t sv_xlsx_clean_text(char *dst, const char *s, size_t n);

#endif
