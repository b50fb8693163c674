/*
 * fuzz_merge.c - merge's JSON reader: any bytes as an earlier result give
 * output or a clean refusal, never a crash or a leak.  Output is valid
 * UTF-8.  (The file is named once: the same file twice is refused before
 * it is read.)
 */
#include "fuzz_common.h"

#include "sv_commands.h"
#include "sv_options.h"
#include "sv_proxy.h"

static struct sv_proxy_table table;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!table.name) {
		fuzz_quiet();
		if (sv_proxy_load_default(&table, NULL) != SV_OK)
			abort();
	}
	const char *path = fuzz_file(data, size, ".json");
	char prog[] = "sv-calc", cmd[] = "merge", f[] = "-f", json[] = "json";
	char file[128];
	snprintf(file, sizeof file, "%s", path);
	char *argv[] = {prog, cmd, f, json, file};
	struct sv_options o;
	FUZZ_CHECK(sv_options_parse(&o, 5, argv) == SV_OK);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	enum sv_status st = sv_cmd_merge(&o, &table, out);
	fclose(out);
	FUZZ_CHECK(st == SV_OK || st == SV_EDATA || st == SV_EUSAGE);
	fuzz_check_utf8(text, len);
	free(text);
	sv_options_free(&o);
	return 0;
}
