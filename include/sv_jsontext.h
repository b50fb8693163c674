/*
 * sv_jsontext.h - what cJSON loses, read from the JSON text itself.
 *
 * cJSON turns every number into a double (1.00000000000000000000001 becomes
 * 1), cuts a string at an escaped NUL ("x\u0000y" becomes "x"), and recurses
 * once per nesting level.  A pre-scan of the text, before cJSON sees it,
 * refuses NUL and deep nesting with their own messages and keeps each
 * number literal's text, so that decimals are read exactly.
 */
#ifndef SV_JSONTEXT_H
#define SV_JSONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sv_status.h"

/* Arrays and objects nested deeper than this are refused before cJSON is
 * called: far more than any table needs, far less than cJSON's own limit
 * (1000), so no deep recursion happens anywhere. */
#define SV_JSON_DEPTH_MAX 64

enum sv_json_problem {
	SV_JSON_CLEAN = 0,
	SV_JSON_NUL_BYTE,   /* a raw 0 byte anywhere in the text */
	SV_JSON_NUL_ESCAPE, /* \u0000 inside a string (key or value) */
	SV_JSON_TOO_DEEP,   /* more than SV_JSON_DEPTH_MAX open [ and { */
	SV_JSON_NOMEM
};

/* A number literal: text[offset .. offset + len). */
struct sv_json_literal {
	size_t offset;
	size_t len;
};

struct sv_json_scan {
	struct sv_json_literal *numbers; /* outside strings, in document order */
	size_t n_numbers;
	size_t cap;
};

/*
 * Scans (text, len) without judging its syntax (cJSON does that): finds the
 * first problem, its byte offset in *where, and lists the number literals.
 * On a problem the list is freed.
 */
enum sv_json_problem sv_json_scan(const char *text, size_t len, struct sv_json_scan *out, size_t *where);
void sv_json_scan_free(struct sv_json_scan *s);

/* The 1-based line and column (in bytes) of a byte offset. */
void sv_json_position(const char *text, size_t offset, unsigned long *line, unsigned long *col);

/*
 * A JSON number literal as a dec4 (see sv_money.h), exactly from its text:
 * true only if its value has at most 4 decimal places (trailing zeros and
 * exponents taken into account: 1.50000 and 1.25e-2 are fine, 1e-5 is not)
 * and lies in [0, max].  "-0" is 0.
 */
bool sv_json_number_dec4(const char *s, size_t n, int64_t max, int64_t *out);

/* A parsed document: the cJSON tree and each number node's text. */
struct sv_json_doc {
	cJSON *root;
	const char *text;
	struct sv_json_scan scan;
	struct sv_json_node_text *by_node; /* sorted by node address */
	size_t n_by_node;
};

/*
 * Pre-scans, then parses with cJSON; text[len] must be '\0'.  Every
 * problem is reported through sv_diag as "ORIGIN:LINE:COL: why".  Returns
 * SV_OK, SV_ECONFIG (the text is refused) or SV_ESOFTWARE (out of memory).
 * The document borrows text: keep it until sv_json_doc_free.
 */
enum sv_status sv_json_parse(struct sv_json_doc *doc, const char *text, size_t len, const char *origin);

/* The literal text of a number node of doc's tree, or NULL (and *len 0)
 * when node is not one. */
const char *sv_json_number_text(const struct sv_json_doc *doc, const cJSON *node, size_t *len);

void sv_json_doc_free(struct sv_json_doc *doc);

/* cJSON passes any bytes through; a table's or profile's text must be
 * UTF-8.  false (reported as ORIGIN:LINE:COL, asking to save the `what`
 * as UTF-8) when it is not. */
bool sv_json_check_utf8(const char *text, size_t len, const char *origin, const char *what);

#endif
