/*
 * fuzz_proxy.c - JSON bytes -> a proxy table or a clean error.  A table
 * that loads lists itself in every format as valid UTF-8, and its JSON
 * listing loads again as the same table (same digest).
 */
#include "fuzz_common.h"

#include "sv_format.h"
#include "sv_proxy.h"
#include "sv_reader.h"

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* The measure with an id or alias equal to (s, n) but for ASCII case, the
 * slow way. */
static const struct sv_measure *find_slowly(const struct sv_proxy_table *t, const char *s, size_t n)
{
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct sv_measure *m = &t->measures[i];
		for (size_t k = 0; k <= m->n_aliases; k++) {
			const char *key = k ? m->aliases[k - 1] : m->id;
			size_t j = 0;
			if (strlen(key) != n)
				continue;
			while (j < n && fold(key[j]) == fold(s[j]))
				j++;
			if (j == n)
				return m;
		}
	}
	return NULL;
}

/* The key in capitals finds its measure; the key with its last byte's
 * 0x20 bit flipped (a letter's case, or another byte: '@' for '`') finds
 * what the slow way finds.  Each on a copy of exactly its bytes, so that
 * ASan sees a read past them. */
static void check_key(const struct sv_proxy_table *t, const struct sv_measure *m, const char *key)
{
	size_t n = strlen(key);
	if (!n)
		return;
	char *copy = malloc(n);
	for (size_t i = 0; i < n; i++)
		copy[i] = key[i] >= 'a' && key[i] <= 'z' ? (char)(key[i] - 32) : key[i];
	FUZZ_CHECK(sv_proxy_find(t, copy, n) == m);
	/* the padded way too, the key followed by its own bytes again */
	char *padded = malloc(n + SV_READER_SLACK);
	for (size_t i = 0; i < n + SV_READER_SLACK; i++)
		padded[i] = copy[i % n];
	FUZZ_CHECK(sv_proxy_find_padded(t, padded, n) == m);
	copy[n - 1] = (char)(copy[n - 1] ^ 0x20);
	padded[n - 1] = copy[n - 1];
	const struct sv_measure *want = find_slowly(t, copy, n);
	FUZZ_CHECK(sv_proxy_find(t, copy, n) == want);
	FUZZ_CHECK(sv_proxy_find_padded(t, padded, n) == want);
	free(padded);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct sv_proxy_table t;
	enum sv_status st = sv_proxy_load_text(&t, text, size, "fuzz.json");
	FUZZ_CHECK(st == SV_OK || st == SV_ECONFIG);
	if (st == SV_OK) {
		for (int fmt = SV_FMT_TABLE; fmt <= SV_FMT_MARKDOWN; fmt++) {
			char *out = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&out, &len);
			sv_format_proxies(f, (enum sv_format)fmt, &t);
			fclose(f);
			if (fmt == SV_FMT_JSON) {
				struct sv_proxy_table again;
				FUZZ_CHECK(sv_proxy_load_text(&again, out, len, "listing.json") == SV_OK);
				char d1[65], d2[65];
				FUZZ_CHECK(sv_proxy_digest(&t, d1) && sv_proxy_digest(&again, d2));
				FUZZ_CHECK(strcmp(d1, d2) == 0);
				sv_proxy_free(&again);
			}
			free(out);
		}
		for (size_t i = 0; i < t.n_measures; i++) {
			const struct sv_measure *m = &t.measures[i];
			FUZZ_CHECK(sv_proxy_find(&t, m->id, strlen(m->id)) == m);
			for (size_t k = 0; k < m->n_aliases; k++)
				check_key(&t, m, m->aliases[k]);
			check_key(&t, m, m->id);
		}
		sv_proxy_free(&t);
	}
	free(text);
	return 0;
}
