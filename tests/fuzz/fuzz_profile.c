/*
 * fuzz_profile.c - the two ways a profile is made, on hostile bytes.  The
 * first byte chooses: even, the bytes are a profile, which loads against
 * the built-in table or is refused cleanly, and whose lookups answer for
 * any text; odd, the bytes are an export, whose guessed profile is valid
 * JSON and, when it maps every measure name it found, loads as a profile.
 */
#include "fuzz_common.h"

#include <cjson/cJSON.h>

#include "sv_guess.h"
#include "sv_profile.h"
#include "sv_proxy.h"

static struct sv_proxy_table table;
static bool table_loaded;

static const struct sv_proxy_table *builtin(void)
{
	if (!table_loaded) {
		FUZZ_CHECK(sv_proxy_load_text(&table, (const char *)sv_builtin_proxies, sv_builtin_proxies_len,
					      "<built-in>") == SV_OK);
		table_loaded = true;
	}
	return &table;
}

static void load_profile(const char *text, size_t len)
{
	struct sv_profile p;
	enum sv_status st = sv_profile_load_text(&p, text, len, "fuzz.json", builtin());
	FUZZ_CHECK(st == SV_OK || st == SV_ECONFIG);
	if (st != SV_OK)
		return;
	/* lookups of any text, the profile's own words among them */
	static const char *const probes[] = {"", " ", "Total", "NT1", "Volunteering hours", "\xff\xfe"};
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		sv_profile_measure(&p, probes[i], strlen(probes[i]));
		sv_profile_suggest(&p, probes[i], strlen(probes[i]));
	}
	sv_profile_measure(&p, text, len < 64 ? len : 64);
	sv_profile_free(&p);
}

static bool maps_every_name(const struct sv_guess *g)
{
	for (size_t i = 0; i < g->n_measures; i++)
		if (!g->measures[i].measure)
			return false;
	return true;
}

static void guess(const char *text, size_t len)
{
	struct sv_guess g;
	struct sv_guess_input in = {.path = "fuzz.csv", .shown = "fuzz.csv", .head = text, .n_head = len, .whole = true};
	enum sv_status st = sv_guess_run(&g, &in, builtin());
	FUZZ_CHECK(st == SV_OK || st == SV_EDATA);
	if (st == SV_OK) {
		char *out = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&out, &n);
		FUZZ_CHECK(f != NULL);
		sv_guess_write(f, &g);
		fclose(f);
		cJSON *json = cJSON_ParseWithLength(out, n);
		FUZZ_CHECK(json != NULL);
		cJSON_Delete(json);
		if (maps_every_name(&g)) {
			struct sv_profile p;
			FUZZ_CHECK(sv_profile_load_text(&p, out, n, "guessed.json", builtin()) == SV_OK);
			sv_profile_free(&p);
		}
		free(out);
	}
	sv_guess_free(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	if (size == 0)
		return 0;
	char *text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] % 2 == 0)
		load_profile(text, size - 1);
	else
		guess(text, size - 1);
	free(text);
	return 0;
}
