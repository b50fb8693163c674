/*
 * fuzz_proxy.c - JSON bytes -> a proxy table or a clean error.  A table
 * that loads lists itself in every format as valid UTF-8, and its JSON
 * listing loads again as the same table (same digest).
 */
#include "fuzz_common.h"

#include "sv_format.h"
#include "sv_proxy.h"

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
		}
		sv_proxy_free(&t);
	}
	free(text);
	return 0;
}
