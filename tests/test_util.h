/*
 * test_util.h - what every cmocka test file needs, and a way to capture
 * diagnostics so tests can assert their exact text.
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sv_diag.h"
#include "sv_group.h"
#include "sv_proxy.h"
#include "sv_utf8.h"

/* Diagnostics written between capture_start() and capture_end() land in a
 * buffer; capture_end() returns it (free it). */
struct capture {
	char *text;
	size_t len;
	FILE *stream;
};

static inline void capture_start(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->stream = open_memstream(&c->text, &c->len);
	sv_diag_set_stream(c->stream);
}

static inline char *capture_end(struct capture *c)
{
	sv_diag_set_stream(NULL);
	fclose(c->stream);
	return c->text;
}

/* Output written to out_start()'s stream lands in a string; out_end()
 * returns it (free it).  For the writers that take a FILE *. */
struct out {
	char *text;
	size_t len;
	FILE *stream;
};

static inline FILE *out_start(struct out *o)
{
	o->text = NULL;
	o->len = 0;
	o->stream = open_memstream(&o->text, &o->len);
	assert_non_null(o->stream);
	return o->stream;
}

static inline char *out_end(struct out *o)
{
	assert_int_equal(fclose(o->stream), 0);
	return o->text;
}

/* How many times needle occurs in s, overlaps included. */
static inline size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* ---- a result built by hand -------------------------------------------- */

/* What a result built by hand points to: a table loaded from JSON text, and
 * groups under keys that the test fills with exact sums. */
struct result_parts {
	struct sv_proxy_table table;
	struct sv_key_spec keys[SV_MAX_KEYS];
	const char *names[SV_MAX_KEYS];
	size_t n_keys;
	struct sv_groups *groups;
};

static inline void result_parts_init(struct result_parts *p, const char *table_json, const struct sv_key_spec *keys,
				     const char *const *names, size_t n_keys)
{
	memset(p, 0, sizeof *p);
	assert_int_equal(sv_proxy_load_text(&p->table, table_json, strlen(table_json), "t.json"), SV_OK);
	memcpy(p->keys, keys, n_keys * sizeof *keys);
	memcpy(p->names, names, n_keys * sizeof *names);
	p->n_keys = n_keys;
	p->groups = sv_groups_new(p->keys, n_keys);
	assert_non_null(p->groups);
}

static inline void result_parts_free(struct result_parts *p)
{
	sv_groups_free(p->groups);
	sv_proxy_free(&p->table);
}

/* ---- files: a fresh directory for each test ---------------------------- */

/* The directory of the test that runs (one at a time). */
static inline char *test_dir(void)
{
	static char dir[64];
	return dir;
}

/* A cmocka setup: makes a new directory /tmp/sv-test-XXXXXX and goes into
 * it, so that a test's files never meet another's. */
static inline int test_dir_setup(void **state)
{
	(void)state;
	char *dir = test_dir();
	strcpy(dir, "/tmp/sv-test-XXXXXX");
	return mkdtemp(dir) && chdir(dir) == 0 ? 0 : -1;
}

/* The matching teardown: leaves the directory and removes all it holds. */
static inline int test_dir_teardown(void **state)
{
	(void)state;
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir());
	return chdir("/") == 0 && system(cmd) == 0 ? 0 : -1;
}

static inline void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A file's bytes, NUL-terminated (free it); *len says how many. */
static inline char *read_file_bytes(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct out o;
	FILE *s = out_start(&o);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, s);
	fclose(f);
	char *text = out_end(&o);
	*len = o.len;
	return text;
}

/* Ensure the file at path holds want, no more: a short text compared as a
 * string for a readable failure, every one byte for byte. */
static inline void assert_file_is(const char *path, const char *want)
{
	size_t len;
	char *text = read_file_bytes(path, &len);
	if (len < 4096)
		assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(text, want, len);
	free(text);
}

/* ---- an XML check, of the svg and html formats' output ----------------- */

/* The length of the entity reference at s ('&'): XML's five predefined
 * ones, and numeric ones when numeric; 0 when it is none. */
static inline size_t xml_entity_length(const char *s, bool numeric)
{
	static const char *const names[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
	for (size_t i = 0; i < 5; i++)
		if (strncmp(s, names[i], strlen(names[i])) == 0)
			return strlen(names[i]);
	if (numeric && s[1] == '#') {
		size_t n = 2 + strspn(s + 2, "0123456789");
		return n > 2 && s[n] == ';' ? n + 1 : 0;
	}
	return 0;
}

/* Text or an attribute value up to the next '<' (or stop, a quote): every
 * '&' must start an entity, and no '>' may stand in an attribute. */
static inline const char *xml_check_chars(const char *p, char stop, bool numeric)
{
	for (; *p && *p != stop && *p != '<'; p++) {
		if (*p == '>' && stop != '<')
			fail_msg("'>' in an attribute at \"%.40s\"", p);
		if (*p == '&' && xml_entity_length(p, numeric) == 0)
			fail_msg("bare '&' in \"%.40s\"", p);
	}
	return p;
}

/* A start or end tag at p (just after '<'); pushes or pops the stack. */
static inline const char *xml_check_tag(const char *p, const char *stack[], size_t *depth, bool numeric)
{
	bool end = *p == '/';
	const char *name = p + end;
	p = name + strcspn(name, " />\n");
	size_t len = (size_t)(p - name);
	assert_true(len > 0);
	while (*p == ' ' || *p == '\n') {
		p += strspn(p, " \n");
		if (*p == '/' || *p == '>')
			break;
		p = strchr(p, '=');
		assert_non_null(p);
		if (p[1] != '"')
			fail_msg("unquoted attribute at \"%.40s\"", p);
		p = xml_check_chars(p + 2, '"', numeric);
		assert_int_equal(*p++, '"');
	}
	if (end) {
		assert_true(*depth > 0);
		(*depth)--;
		if (strncmp(stack[*depth], name, len) != 0)
			fail_msg("</%.*s> closes <%.10s", (int)len, name, stack[*depth]);
	} else if (*p != '/') {
		assert_true(*depth < 64);
		stack[(*depth)++] = name;
	} else
		p++;
	assert_int_equal(*p, '>');
	return p + 1;
}

/* What an XML parser checks: the prolog (an XML declaration, a doctype),
 * then one root element, balanced tags (empty ones closed with "/>"),
 * quoted attributes, known entities (numeric ones too when numeric), valid
 * UTF-8. */
static inline void assert_well_formed_xml(const char *doc, const char *prolog, bool numeric)
{
	assert_true(sv_utf8_valid(doc, strlen(doc)));
	assert_memory_equal(doc, prolog, strlen(prolog));
	const char *stack[64];
	size_t depth = 0, roots = 0;
	for (const char *p = doc + strlen(prolog); *p;) {
		if (*p != '<') {
			assert_true(depth > 0 || *p == '\n');
			p = xml_check_chars(p, '<', numeric);
			continue;
		}
		roots += depth == 0;
		p = xml_check_tag(p + 1, stack, &depth, numeric);
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
}

#endif
