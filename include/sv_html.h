/*
 * sv_html.h - a result as one self-contained HTML page, a report to publish
 * or print to PDF.
 *
 * The page needs nothing from elsewhere: no script, font, image or style
 * sheet is fetched; the chart is inline SVG and the style is in the page.
 * Every text that comes from the inputs or the proxy table is escaped, so
 * a site named "<script>" is shown as those characters.  It reads the same
 * struct sv_result as the other formats, and its figures are theirs.
 */
#ifndef SV_HTML_H
#define SV_HTML_H

#include <stdio.h>

#include "sv_format.h"

/*
 * The report: the headline sentence (as -f headline writes it), the key
 * figures, the chart (as -f svg draws it), the totals table with every
 * column the table format has (targets, spend, net, compare), each
 * group's figures by measure, the records read, valued and left out, the
 * inputs with their sizes and SHA-256 digests, and an appendix of method
 * and sources: the basis, each measure used with its value, unit, source
 * (a link when it is a web address), licence and derivation, and the
 * table's attribution.  Print styles give A4 pages.  Same result, same
 * bytes.
 */
void sv_format_html(FILE *out, const struct sv_result *r);

#endif
