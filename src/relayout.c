/*
 * relayout.c - a rejects row moved under a wider header (sv_relayout.h).
 */
#include "sv_relayout.h"

#include <stdbool.h>
#include <string.h>

/* Moves *o past the field starting there and its terminator, which is
 * *newline when it is a line end. */
static enum sv_relayout_scan field_end(const char *text, size_t n, size_t *o, bool *newline)
{
	size_t q = *o;
	if (q < n && text[q] == '"') {
		/* a quote inside is doubled: the field ends at a lone one */
		for (q++;;) {
			const char *hit = q < n ? memchr(text + q, '"', n - q) : NULL;
			if (!hit || (size_t)(hit - text) + 1 == n)
				return SV_RELAYOUT_SHORT;
			q = (size_t)(hit - text) + 1;
			if (text[q] != '"')
				break;
			q++;
		}
		if (text[q] != ',' && text[q] != '\n')
			return SV_RELAYOUT_BAD;
	} else {
		/* unquoted: no comma, quote or line end inside */
		while (q < n && text[q] != ',' && text[q] != '\n')
			q++;
		if (q == n)
			return SV_RELAYOUT_SHORT;
	}
	*newline = text[q] == '\n';
	*o = q + 1;
	return SV_RELAYOUT_ROW;
}

/* Moves *o past count fields: the last ends with a newline when
 * last_newline, every other with a comma. */
static enum sv_relayout_scan skip_fields(const char *text, size_t n, size_t *o, size_t count, bool last_newline)
{
	for (size_t i = 0; i < count; i++) {
		bool newline;
		enum sv_relayout_scan st = field_end(text, n, o, &newline);
		if (st != SV_RELAYOUT_ROW)
			return st;
		if (newline != (last_newline && i + 1 == count))
			return SV_RELAYOUT_BAD;
	}
	return SV_RELAYOUT_ROW;
}

enum sv_relayout_scan sv_relayout_scan(const char *text, size_t n, struct sv_layout from,
				       struct sv_relayout_cut *cut)
{
	/* the united names' cells, the extras, then source_file,
	 * source_line and reason */
	size_t o = 0;
	enum sv_relayout_scan st = skip_fields(text, n, &o, from.names, false);
	cut->names_end = o;
	if (st == SV_RELAYOUT_ROW)
		st = skip_fields(text, n, &o, from.extras, false);
	cut->cells_end = o;
	if (st == SV_RELAYOUT_ROW)
		st = skip_fields(text, n, &o, 3, true);
	cut->end = o;
	return st;
}

size_t sv_relayout_growth(struct sv_layout from, struct sv_layout to)
{
	return (to.names - from.names) + (to.extras - from.extras);
}

size_t sv_relayout_put(char *dst, const char *text, const struct sv_relayout_cut *cut, struct sv_layout from,
		       struct sv_layout to)
{
	char *d = dst;
	memcpy(d, text, cut->names_end);
	d += cut->names_end;
	memset(d, ',', to.names - from.names);
	d += to.names - from.names;
	memcpy(d, text + cut->names_end, cut->cells_end - cut->names_end);
	d += cut->cells_end - cut->names_end;
	memset(d, ',', to.extras - from.extras);
	d += to.extras - from.extras;
	memcpy(d, text + cut->cells_end, cut->end - cut->cells_end);
	d += cut->end - cut->cells_end;
	return (size_t)(d - dst);
}
