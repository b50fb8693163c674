/*
 * sv_relayout.h - a --rejects row moved under a wider header.
 *
 * The rejects file is written as the records come, under the columns known
 * so far: the united header's names, then extra_1.. for fields past a
 * record's header, then source_file, source_line and reason.  A later
 * header may bring new names, or a later record more fields; the rows
 * written before are then moved under the final header by putting empty
 * cells where the new columns go.  Names are only ever added at the end of
 * the united ones, and extras at the end of theirs, so a row's cells keep
 * their order: moving it inserts commas, nothing more.
 *
 * The rows are sv-calc's own CSV (sv_csv_field): a field is quoted when it
 * holds a comma, a quote or a line end, so a quoted field may span lines.
 */
#ifndef SV_RELAYOUT_H
#define SV_RELAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* Where a row's cells go: names columns of the united header, then extras
 * columns past it, each cell followed by a comma; then the tail. */
struct sv_layout {
	size_t names, extras;
};

enum sv_relayout_scan { SV_RELAYOUT_ROW, SV_RELAYOUT_SHORT, SV_RELAYOUT_BAD };

/* Where a row's parts end: its names' cells, all its cells (commas
 * included), the row (its newline included). */
struct sv_relayout_cut {
	size_t names_end, cells_end, end;
};

/*
 * Scans the row at the start of text[0, n), written under from.
 * SV_RELAYOUT_SHORT: it does not end within n bytes (read more);
 * SV_RELAYOUT_BAD: the text is no such row.
 */
enum sv_relayout_scan sv_relayout_scan(const char *text, size_t n, struct sv_layout from,
				       struct sv_relayout_cut *cut);

/* The bytes a row grows by when moved from one layout to a wider one. */
size_t sv_relayout_growth(struct sv_layout from, struct sv_layout to);

/*
 * Writes the row scanned into dst (room for cut->end plus the growth),
 * moved from layout from to the wider layout to (to.names >= from.names,
 * to.extras >= from.extras); returns the bytes written.
 */
size_t sv_relayout_put(char *dst, const char *text, const struct sv_relayout_cut *cut, struct sv_layout from,
		       struct sv_layout to);

#endif
