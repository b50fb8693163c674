/*
 * sv_xlsxlib.h - libxlsxwriter, loaded only by a run that writes a
 * workbook (-f xlsx).
 *
 * Linked in, libxlsxwriter (and the libcrypto, minizip and zlib it needs)
 * made the dynamic loader bind some 4,000 symbols at the start of every
 * run: half of the work of valuing a 100-record file.  Loaded with
 * dlopen, only -f xlsx pays for it.  The functions sv-calc calls are
 * found by name and kept with the types xlsxwriter.h gives them, so a
 * call through the table is checked by the compiler like a direct one.
 */
#ifndef SV_XLSXLIB_H
#define SV_XLSXLIB_H

#include <stdbool.h>
#include <xlsxwriter.h>

/* The library's soname: the ABI xlsxwriter.h describes. */
#define SV_XLSXLIB_SONAME "libxlsxwriter.so.4"

/* Every libxlsxwriter function sv-calc calls. */
#define SV_XLSXLIB_FUNCTIONS(X) \
	X(workbook_new_opt) \
	X(workbook_add_worksheet) \
	X(workbook_add_format) \
	X(workbook_add_chart) \
	X(workbook_set_properties) \
	X(workbook_close) \
	X(worksheet_write_string) \
	X(worksheet_write_number) \
	X(worksheet_set_column) \
	X(worksheet_freeze_panes) \
	X(worksheet_insert_chart_opt) \
	X(worksheet_hide) \
	X(worksheet_set_landscape) \
	X(worksheet_fit_to_pages) \
	X(format_set_num_format) \
	X(format_set_bold) \
	X(format_set_font_size) \
	X(format_set_bottom) \
	X(format_set_align) \
	X(chart_add_series) \
	X(chart_series_set_categories) \
	X(chart_series_set_values) \
	X(chart_series_set_name) \
	X(chart_legend_set_position) \
	X(chart_title_set_name) \
	X(chart_axis_set_num_format) \
	X(chart_axis_set_reverse) \
	X(chart_axis_set_crossing_max) \
	X(lxw_strerror)

struct sv_xlsxlib {
	void *handle;
#define SV_XLSXLIB_MEMBER(name) __typeof__(&name) name;
	SV_XLSXLIB_FUNCTIONS(SV_XLSXLIB_MEMBER)
#undef SV_XLSXLIB_MEMBER
};

/*
 * Loads the library (soname: SV_XLSXLIB_SONAME; another name is for
 * tests) and finds every function.  false, reported (what dlopen said and
 * the package to install), when it cannot; lib is then closed.
 */
bool sv_xlsxlib_open(struct sv_xlsxlib *lib, const char *soname);
void sv_xlsxlib_close(struct sv_xlsxlib *lib);

#endif
