/*
 * fuzz_merge2.c - merge's checks across files: a valid result made by
 * sv-calc itself, then two arbitrary results.  Any bytes give output or a
 * clean refusal, never a crash or a leak, and whatever merge prints adds
 * up: the groups to the total, the counts to what was read.
 *
 * Input: the first byte chooses the options (bit 0: the valid result's
 * --by keys; bit 1: --allow-identical-inputs; bit 2: the first arbitrary
 * file named twice), the rest is split at the first 0xFF byte (never in
 * UTF-8 text) into the two files.
 */
#include "fuzz_common.h"

#include <cjson/cJSON.h>

#include "sv_cli.h"
#include "sv_commands.h"
#include "sv_money.h"
#include "sv_options.h"
#include "sv_proxy.h"

/* Lines of examples/q1-2024-25.csv: every theme, record-only measures, a
 * quoted amount, both date forms, three months. */
static const char fixed_csv[] =
	"date,site,measure,quantity\n"
	"2024-04-01,St James's Hospital,school_hour,2\n"
	"01/04/2024,St James's Hospital,volunteering,8\n"
	"2024-04-01,St James's Hospital,NT19,457.51\n"
	"2024-04-01,Leeds General Infirmary,NT18,539.64\n"
	"2024-04-01,Chapel Allerton Hospital,NT7,1\n"
	"2024-04-01,Seacroft Hospital,local_spend,4876.53\n"
	"2024-04-05,Chapel Allerton Hospital,NT28,\"\xC2\xA3" "1,579.00\"\n"
	"2024-04-09,Chapel Allerton Hospital,jobs.work_placement_week,6\n"
	"15/04/2024,Chapel Allerton Hospital,neet_hire,0.6\n"
	"2024-04-16,Seacroft Hospital,jobs.disabled_hire,0.6\n"
	"2024-04-16,Wharfedale Hospital,vcse_spend,1656.00\n"
	"17/4/2024,Chapel Allerton Hospital,Jobs.Training_Week,36\n"
	"2024-04-18,Wharfedale Hospital,jobs.ltu_hire,1\n"
	"2024-05-01,St James's Hospital,NT5,1\n"
	"2024-05-01,Leeds General Infirmary,innovation.investment,3218\n"
	"3/5/2024,Leeds General Infirmary,work_experience,3\n"
	"2024-05-28,Wharfedale Hospital,apprenticeship,52\n"
	"2024-06-11,Wharfedale Hospital,VETERAN,1\n"
	"2024-06-17,Leeds General Infirmary,Care_Leaver,0.6\n"
	"2024-06-30,St James's Hospital,NT1,4.875\n"
	"2024-06-30,Leeds General Infirmary,NT31,6.44\n";

static struct sv_proxy_table table;
static char fixed_json[2][128]; /* by theme; by measure,fq,site */
static char file_a[128], file_b[128];

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (size)
		fwrite(data, 1, size, f);
	fclose(f);
}

/* Files rewritten on every run live in memory where there is a tmpfs:
 * on a disk, replacing a file's contents flushes it when it is closed. */
static const char *scratch_dir(void)
{
	return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

/* The valid results, made by sv-calc's own valuation. */
static void make_fixed(void)
{
	char csv[128];
	const char *dir = scratch_dir();
	snprintf(csv, sizeof csv, "%s/sv-calc-fuzz-%ld-fixed.csv", dir, (long)getpid());
	write_file(csv, fixed_csv, sizeof fixed_csv - 1);
	static char by_theme[] = "theme", by_three[] = "measure,fq,site";
	char *by[2] = {by_theme, by_three};
	for (int i = 0; i < 2; i++) {
		snprintf(fixed_json[i], sizeof fixed_json[i], "%s/sv-calc-fuzz-%ld-fixed%d.json", dir, (long)getpid(),
			 i);
		char prog[] = "sv-calc", f[] = "-f", json[] = "json", b[] = "-b", o[] = "-o";
		char *argv[] = {prog, f, json, b, by[i], o, fixed_json[i], csv};
		if (sv_cli_run(8, argv) != SV_OK)
			abort();
	}
	snprintf(file_a, sizeof file_a, "%s/sv-calc-fuzz-%ld-a.json", dir, (long)getpid());
	snprintf(file_b, sizeof file_b, "%s/sv-calc-fuzz-%ld-b.json", dir, (long)getpid());
	remove(csv);
}

static sv_amount exact_of(const cJSON *obj)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "value_exact");
	sv_amount a = 0;
	if (cJSON_IsNull(v))
		return 0;
	FUZZ_CHECK(cJSON_IsString(v) && sv_amount_parse(v->valuestring, strlen(v->valuestring), 1, &a));
	FUZZ_CHECK(a >= 0);
	return a;
}

static uint64_t count_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	FUZZ_CHECK(cJSON_IsNumber(v) && v->valuedouble >= 0);
	return (uint64_t)v->valuedouble;
}

/* What merge printed adds up, read back independently of merge.c. */
static void check_output(const char *text, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	FUZZ_CHECK(root != NULL);
	const cJSON *g, *total = cJSON_GetObjectItemCaseSensitive(root, "total");
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(root, "counts");
	sv_amount sum = 0;
	uint64_t records = 0;
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root, "groups")) {
		FUZZ_CHECK(sv_amount_add(&sum, exact_of(g)));
		records += count_of(g, "records");
	}
	FUZZ_CHECK(sum == exact_of(total));
	FUZZ_CHECK(records == count_of(total, "records"));
	FUZZ_CHECK(count_of(counts, "read") ==
		   count_of(counts, "valued") + count_of(counts, "invalid") + count_of(counts, "filtered"));
	FUZZ_CHECK(count_of(counts, "valued") == records);
	cJSON_Delete(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!table.name) {
		fuzz_quiet();
		if (sv_proxy_load_default(&table, NULL) != SV_OK)
			abort();
		make_fixed();
	}
	if (size == 0)
		return 0;
	unsigned mode = data[0];
	const uint8_t *rest = data + 1, *cut = memchr(rest, 0xFF, size - 1);
	size_t n_a = cut ? (size_t)(cut - rest) : size - 1;
	write_file(file_a, rest, n_a);
	write_file(file_b, cut ? cut + 1 : rest, cut ? size - 1 - n_a - 1 : 0);

	char prog[] = "sv-calc", cmd[] = "merge", f[] = "-f", json[] = "json", allow[] = "--allow-identical-inputs";
	char *argv[8] = {prog, cmd, f, json, fixed_json[mode & 1], file_a, mode & 4 ? file_a : file_b};
	int argc = 7;
	if (mode & 2)
		argv[argc++] = allow;
	struct sv_options o;
	FUZZ_CHECK(sv_options_parse(&o, argc, argv) == SV_OK);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	enum sv_status st = sv_cmd_merge(&o, &table, out);
	fclose(out);
	FUZZ_CHECK(st == SV_OK || st == SV_EDATA);
	FUZZ_CHECK(st == SV_OK || len == 0);
	fuzz_check_utf8(text, len);
	if (st == SV_OK)
		check_output(text, len);
	free(text);
	sv_options_free(&o);
	return 0;
}
