/*
 * sv_chart.h - a result as a chart or a sentence, for reports.
 *
 * Both read the same struct sv_result as the other formats and, like them,
 * round each exact sum once, at print time, with integer arithmetic: floating
 * point only ever places pixels.
 */
#ifndef SV_CHART_H
#define SV_CHART_H

#include <stdbool.h>
#include <stdio.h>

#include "sv_format.h"

/*
 * A self-contained SVG 1.1 document: a horizontal bar per group in result
 * order, bar lengths proportional to the exact values, each bar's pound
 * figure at its end, a title naming the keys and the proxy table, the total
 * and, when --from/--to were given, the period.  A record-only group gets
 * an em dash and no bar.  Same result, same bytes.
 */
void sv_format_svg(FILE *out, const struct sv_result *r);

/*
 * With a period among the keys (-b theme,fq; -b fq; -b measure,month) the
 * chart is one over time instead: a cluster of columns per period, left
 * to right, one column per value of the other keys (a series), each
 * labelled with its figure as the headline writes it; a legend names the
 * series, told apart by fills of distinct lightness and patterns so that
 * they survive printing in grey.  Columns too thin to read are stacked,
 * one per period under the period's total; past six series the smallest
 * are added into "Other".  The first period key is the one along the axis.
 */
bool sv_chart_over_time(const struct sv_result *r);

/* The chart as an <svg> element for an HTML page: no XML declaration, and
 * no namespace attribute, which the HTML parser supplies. */
void sv_chart_svg_inline(FILE *out, const struct sv_result *r);

/* "Social value by theme and financial quarter", then with_table
 * " — sv-calc open proxies 2026.1", XML-escaped. */
void sv_chart_title(FILE *out, const struct sv_result *r, bool with_table);

/* A group's keys as the chart's tooltips name them ("Jobs: promote local
 * skills and employment · 2024/25 Q1"), XML-escaped. */
void sv_chart_group_label(FILE *out, const struct sv_result *r, const struct sv_group *g);

/*
 * Text from inputs or a table, safe in XML and HTML alike: & < > " ' as
 * the entities XML predefines, control characters (a newline in a field)
 * as spaces, U+FFFE, U+FFFF and invalid UTF-8 as U+FFFD.
 */
void sv_write_xml_text(FILE *out, const char *s, size_t n);

/*
 * One line for an annual report:
 *
 *   £2.01 million of social value (Jobs £1.58m, Growth £383k) from 267
 *   records; exact total £2,008,129.18.
 *
 * Figures are the penny-rounded sums rounded again to 3 significant figures,
 * half away from zero, so they agree with the exact total printed beside
 * them.  Below £1,000 a figure is written as money ("£999", "£12.30",
 * "£5.41"); from £1,000 on with a unit and exactly 3 significant digits:
 * "k", then "m" and "bn" inside the parentheses, " million" and " billion"
 * for the leading figure ("£1.00k", "£15.0 million").  Groups are named
 * briefly: a theme by its name up to the first ':', anything else by the
 * text the table format shows.  A record-only group gives its record count
 * instead ("Training 12 records").
 */
void sv_format_headline(FILE *out, const struct sv_result *r);

/* A group's label as the headline names it ("Jobs · 2024/25 Q1"): a
 * theme by its name up to the first ':', keys joined by " · ", as
 * valid UTF-8 with no control characters; into buf (cap bytes), cut at a
 * character boundary.  Returns its length. */
size_t sv_chart_label(char *buf, size_t cap, const struct sv_result *r, const struct sv_group *g);

#endif
