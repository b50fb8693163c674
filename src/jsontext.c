/*
 * jsontext.c - a pre-scan of JSON text for what cJSON cannot report (NUL,
 * deep nesting) or keeps only approximately (number literals), and a parse
 * that pairs each cJSON number node with its literal.
 */
#include "sv_jsontext.h"
#include "sv_diag.h"
#include "sv_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the pre-scan ------------------------------------------------------- */

struct scanner {
	const char *text;
	size_t len;
	size_t i;
	size_t depth;
	size_t where;
	struct sv_json_scan *out;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The bytes cJSON hands to strtod as one number. */
static bool in_number(char c)
{
	return is_digit(c) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

static enum sv_json_problem problem_at(struct scanner *sc, size_t at, enum sv_json_problem p)
{
	sc->where = at;
	return p;
}

/* A backslash at i: only "\u0000" decodes to NUL (no surrogate pair can). */
static bool is_nul_escape(const struct scanner *sc, size_t i)
{
	return sc->len - i >= 6 && sc->text[i + 1] == 'u' && memcmp(sc->text + i + 2, "0000", 4) == 0;
}

/* From just past an opening quote to just past the closing one.  A
 * backslash takes the next byte with it, exactly as cJSON finds the end
 * of a string, so "\\u0000" is a backslash and the text u0000. */
static enum sv_json_problem scan_string(struct scanner *sc)
{
	while (sc->i < sc->len) {
		char c = sc->text[sc->i];
		if (c == '\0')
			return problem_at(sc, sc->i, SV_JSON_NUL_BYTE);
		if (c == '"') {
			sc->i++;
			return SV_JSON_CLEAN;
		}
		if (c == '\\') {
			if (is_nul_escape(sc, sc->i))
				return problem_at(sc, sc->i, SV_JSON_NUL_ESCAPE);
			sc->i++;
			if (sc->i < sc->len && sc->text[sc->i] == '\0')
				return problem_at(sc, sc->i, SV_JSON_NUL_BYTE);
		}
		sc->i++;
	}
	/* unterminated: a syntax error, which cJSON reports */
	return SV_JSON_CLEAN;
}

static enum sv_json_problem add_number(struct scanner *sc, size_t start)
{
	struct sv_json_scan *out = sc->out;
	if (out->n_numbers == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 64;
		struct sv_json_literal *grown = realloc(out->numbers, cap * sizeof *grown);
		if (!grown)
			return SV_JSON_NOMEM;
		out->numbers = grown;
		out->cap = cap;
	}
	out->numbers[out->n_numbers++] = (struct sv_json_literal){start, sc->i - start};
	return SV_JSON_CLEAN;
}

/* Outside strings, only a number can hold a digit or '-' in valid JSON, and
 * it runs as far as cJSON's own scan does. */
static enum sv_json_problem scan_number(struct scanner *sc)
{
	size_t start = sc->i;
	while (sc->i < sc->len && in_number(sc->text[sc->i]))
		sc->i++;
	return add_number(sc, start);
}

static enum sv_json_problem scan_token(struct scanner *sc)
{
	char c = sc->text[sc->i];
	switch (c) {
	case '\0':
		return problem_at(sc, sc->i, SV_JSON_NUL_BYTE);
	case '"':
		sc->i++;
		return scan_string(sc);
	case '[':
	case '{':
		if (++sc->depth > SV_JSON_DEPTH_MAX)
			return problem_at(sc, sc->i, SV_JSON_TOO_DEEP);
		break;
	case ']':
	case '}':
		/* unbalanced: a syntax error, which cJSON reports */
		if (sc->depth > 0)
			sc->depth--;
		break;
	default:
		if (c == '-' || is_digit(c))
			return scan_number(sc);
		break;
	}
	sc->i++;
	return SV_JSON_CLEAN;
}

enum sv_json_problem sv_json_scan(const char *text, size_t len, struct sv_json_scan *out, size_t *where)
{
	memset(out, 0, sizeof *out);
	struct scanner sc = {text, len, 0, 0, 0, out};
	enum sv_json_problem p = SV_JSON_CLEAN;
	while (p == SV_JSON_CLEAN && sc.i < len)
		p = scan_token(&sc);
	*where = sc.where;
	if (p != SV_JSON_CLEAN)
		sv_json_scan_free(out);
	return p;
}

void sv_json_scan_free(struct sv_json_scan *s)
{
	free(s->numbers);
	memset(s, 0, sizeof *s);
}

void sv_json_position(const char *text, size_t offset, unsigned long *line, unsigned long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else
			++*col;
	}
}

/* ---- number literals as dec4 --------------------------------------------- */

/* A number's digits, with the point and exponent taken out: its value is
 * digits[first .. last] x 10^exp, or 0 when there is no non-zero digit. */
struct literal_digits {
	const char *int_part, *frac_part;
	size_t n_int, n_frac;
	int64_t exp;
};

/* Exponents past this cannot make a text of any size a valid dec4; holding
 * them here keeps the arithmetic below from overflowing. */
#define EXP_LIMIT ((int64_t)1 << 40)

static size_t digit_run(const char *s, size_t n, size_t i)
{
	while (i < n && is_digit(s[i]))
		i++;
	return i;
}

/* [eE][+-]?digits at s[i..n), saturated at EXP_LIMIT; false if malformed. */
static bool parse_exponent(const char *s, size_t n, size_t i, int64_t *exp)
{
	bool negative = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		negative = s[i++] == '-';
	size_t end = digit_run(s, n, i);
	if (end == i || end != n)
		return false;
	int64_t e = 0;
	for (; i < end; i++)
		if (e < EXP_LIMIT)
			e = e * 10 + (s[i] - '0');
	*exp = negative ? -e : e;
	return true;
}

/* JSON's grammar, except that leading zeros are let through (as cJSON
 * does: the value is not in doubt). */
static bool split_literal(const char *s, size_t n, bool *negative, struct literal_digits *d)
{
	size_t i = 0;
	*negative = n > 0 && s[0] == '-';
	if (*negative)
		i++;
	size_t end = digit_run(s, n, i);
	*d = (struct literal_digits){s + i, NULL, end - i, 0, 0};
	if (end == i)
		return false;
	i = end;
	if (i < n && s[i] == '.') {
		end = digit_run(s, n, ++i);
		if (end == i)
			return false;
		d->frac_part = s + i;
		d->n_frac = end - i;
		i = end;
	}
	if (i == n)
		return true;
	if (s[i] != 'e' && s[i] != 'E')
		return false;
	return parse_exponent(s, n, i + 1, &d->exp);
}

static char digit_at(const struct literal_digits *d, size_t k)
{
	return k < d->n_int ? d->int_part[k] : d->frac_part[k - d->n_int];
}

bool sv_json_number_dec4(const char *s, size_t n, int64_t max, int64_t *out)
{
	bool negative;
	struct literal_digits d;
	if (!split_literal(s, n, &negative, &d))
		return false;
	size_t total = d.n_int + d.n_frac, first = 0, last = total;
	while (first < total && digit_at(&d, first) == '0')
		first++;
	if (first == total) {
		*out = 0;
		return true;
	}
	while (digit_at(&d, last - 1) == '0')
		last--;
	/* the place of the last significant digit: -2 is hundredths */
	int64_t place = d.exp - (int64_t)d.n_frac + (int64_t)(total - last);
	if (negative || place < -4 || (int64_t)(last - first) + place + 4 > 19)
		return false;
	uint64_t v = 0;
	for (size_t k = first; k < last; k++)
		v = v * 10 + (uint64_t)(digit_at(&d, k) - '0');
	for (int64_t p = place + 4; p > 0; p--)
		v *= 10;
	/* 19 digits fit in uint64, max is an int64 */
	if (v > (uint64_t)max)
		return false;
	*out = (int64_t)v;
	return true;
}

/* ---- cJSON with number texts --------------------------------------------- */

struct sv_json_node_text {
	const cJSON *node;
	size_t literal;
};

static void report_problem(const char *origin, const char *text, size_t where, enum sv_json_problem p)
{
	unsigned long line, col;
	sv_json_position(text, where, &line, &col);
	switch (p) {
	case SV_JSON_NUL_BYTE:
		sv_diag("%s:%lu:%lu: NUL byte in the JSON text (not allowed anywhere in it)", origin, line, col);
		break;
	case SV_JSON_NUL_ESCAPE:
		sv_diag("%s:%lu:%lu: \\u0000 in a JSON string (NUL is not allowed in a key or value)", origin, line,
			col);
		break;
	case SV_JSON_TOO_DEEP:
		sv_diag("%s:%lu:%lu: JSON nested deeper than %d levels", origin, line, col, SV_JSON_DEPTH_MAX);
		break;
	default:
		break;
	}
}

static void report_syntax_error(const char *origin, const char *text, size_t len, const char *end)
{
	unsigned long line, col;
	size_t stop = end && end >= text && (size_t)(end - text) <= len ? (size_t)(end - text) : len;
	sv_json_position(text, stop, &line, &col);
	sv_diag("%s:%lu:%lu: JSON syntax error", origin, line, col);
}

/* Pre-order is document order: cJSON links children as it reads them.  The
 * pre-scan bounded the depth, so this recursion is shallow. */
static void collect_numbers(const cJSON *node, struct sv_json_node_text *list, size_t cap, size_t *n)
{
	for (; node; node = node->next) {
		if (cJSON_IsNumber(node)) {
			if (*n < cap)
				list[*n] = (struct sv_json_node_text){node, *n};
			++*n;
		}
		collect_numbers(node->child, list, cap, n);
	}
}

/* Whether the literal reads as the double cJSON made of it; the program
 * never sets a locale, so strtod wants '.' as cJSON's did.  The literal is
 * read in place (the text ends in a NUL, see sv_json_parse), so a literal
 * of any length pairs: a value written with 70 decimals is a table's
 * business, not an internal error. */
static bool same_number(const char *text, const struct sv_json_literal *lit, const cJSON *node)
{
	char *end = NULL;
	double value = strtod(text + lit->offset, &end);
	return end == text + lit->offset + lit->len && value == node->valuedouble;
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct sv_json_node_text *)a)->node;
	uintptr_t y = (uintptr_t)((const struct sv_json_node_text *)b)->node;
	return (x > y) - (x < y);
}

/* Pairs each number node with its literal, checking that the pairing is
 * right: as many nodes as literals, each reading as the same double. */
static enum sv_status index_numbers(struct sv_json_doc *doc, const char *origin)
{
	size_t n = doc->scan.n_numbers, found = 0;
	doc->by_node = n ? calloc(n, sizeof *doc->by_node) : NULL;
	if (n && !doc->by_node) {
		sv_diag("%s: out of memory while reading JSON", origin);
		return SV_ESOFTWARE;
	}
	collect_numbers(doc->root, doc->by_node, n, &found);
	bool paired = found == n;
	for (size_t k = 0; paired && k < n; k++)
		paired = same_number(doc->text, &doc->scan.numbers[k], doc->by_node[k].node);
	if (!paired) {
		sv_diag("%s: internal error: JSON numbers do not match their text (%zu nodes, %zu literals)", origin,
			found, n);
		return SV_ESOFTWARE;
	}
	if (n)
		qsort(doc->by_node, n, sizeof *doc->by_node, by_address);
	doc->n_by_node = n;
	return SV_OK;
}

enum sv_status sv_json_parse(struct sv_json_doc *doc, const char *text, size_t len, const char *origin)
{
	memset(doc, 0, sizeof *doc);
	doc->text = text;
	size_t where = 0;
	enum sv_json_problem p = sv_json_scan(text, len, &doc->scan, &where);
	if (p == SV_JSON_NOMEM) {
		sv_diag("%s: out of memory while reading JSON", origin);
		return SV_ESOFTWARE;
	}
	if (p != SV_JSON_CLEAN) {
		report_problem(origin, text, where, p);
		return SV_ECONFIG;
	}
	/* With require_null_terminated, cJSON wants the terminator inside the
	 * length it is given. */
	const char *end = NULL;
	doc->root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	if (!doc->root) {
		report_syntax_error(origin, text, len, end);
		sv_json_doc_free(doc);
		return SV_ECONFIG;
	}
	enum sv_status st = index_numbers(doc, origin);
	if (st != SV_OK)
		sv_json_doc_free(doc);
	return st;
}

const char *sv_json_number_text(const struct sv_json_doc *doc, const cJSON *node, size_t *len)
{
	const struct sv_json_node_text key = {node, 0};
	const struct sv_json_node_text *hit =
		node && doc->n_by_node ? bsearch(&key, doc->by_node, doc->n_by_node, sizeof key, by_address) : NULL;
	if (!hit) {
		*len = 0;
		return NULL;
	}
	const struct sv_json_literal *lit = &doc->scan.numbers[hit->literal];
	*len = lit->len;
	return doc->text + lit->offset;
}

void sv_json_doc_free(struct sv_json_doc *doc)
{
	cJSON_Delete(doc->root);
	sv_json_scan_free(&doc->scan);
	free(doc->by_node);
	memset(doc, 0, sizeof *doc);
}

bool sv_json_check_utf8(const char *text, size_t len, const char *origin, const char *what)
{
	size_t valid = sv_utf8_valid_prefix(text, len);
	if (valid == len)
		return true;
	unsigned long line, col;
	sv_json_position(text, valid, &line, &col);
	sv_diag("%s:%lu:%lu: not valid UTF-8 (byte \\x%02X); save the %s as UTF-8", origin, line, col,
		(unsigned char)text[valid], what);
	return false;
}
