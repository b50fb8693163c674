/*
 * fuzz_records.c - CSV bytes -> records -> valuation -> every output format.
 *
 * The first input byte picks the options (grouping keys, date filter,
 * delimiter, threads); the rest is the CSV.  Invariants: read = valued +
 * invalid + filtered; the per-record exact values of valued records add up
 * to the total; the groups add up to the total; every output is valid
 * UTF-8; the CSV output has one row per group plus header and total; and
 * one thread gives the same totals as two, and the same --rejects file,
 * byte for byte: one thread with hooks that see every outcome (as trace),
 * two with hooks that take invalid records only, which read the file in
 * chunks (64 bytes in the fuzz build) and replay each chunk's held events.
 */
#include "fuzz_common.h"

#include "sv_commands.h"
#include "sv_engine.h"
#include "sv_format.h"
#include "sv_options.h"
#include "sv_proxy.h"

static struct sv_proxy_table table;

struct trace_sum {
	sv_amount valued;
	uint64_t outcomes;
	struct sv_rejects *rejects;
};

static void on_header(void *ctx, const char *file, const struct sv_row *header)
{
	struct trace_sum *t = ctx;
	sv_rejects_header(t->rejects, file, header);
}

static void on_outcome(void *ctx, const struct sv_outcome *o)
{
	struct trace_sum *t = ctx;
	t->outcomes++;
	if (o->status == SV_OUT_VALUED)
		t->valued += o->value;
	sv_rejects_outcome(t->rejects, o);
}

/* The rejects file of run `jobs`: its path, and its bytes (NULL when the
 * run wrote none). */
static const char *rejects_path(long jobs)
{
	static char path[2][128];
	char *p = path[jobs == 1 ? 0 : 1];
	snprintf(p, sizeof path[0], "/tmp/sv-calc-fuzz-%ld-rejects-%ld.csv", (long)getpid(), jobs);
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	*len = 0;
	if (!f)
		return NULL;
	char *text = NULL;
	size_t cap = 0;
	FILE *mem = open_memstream(&text, &cap);
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, got, mem);
	fclose(f);
	fclose(mem);
	*len = cap;
	return text;
}

static void render_all(const struct sv_run *run, const struct sv_options *o)
{
	size_t n;
	const struct sv_group *const *groups = sv_groups_sorted(run->groups, &n);
	FUZZ_CHECK(groups);
	sv_amount sum = 0;
	uint64_t records = 0;
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(sv_amount_add(&sum, groups[i]->value));
		records += groups[i]->records;
	}
	FUZZ_CHECK(sum == run->total);
	FUZZ_CHECK(records == run->total_records);
	struct sv_input_info in = run->files[0].info;
	struct sv_provenance p = {"0", o->has_from, o->has_to, o->from, o->to, o->skip_invalid};
	struct sv_result r = {.table = &table, .provenance = &p, .keys = o->keys, .key_names = o->key_names,
			      .n_keys = o->n_keys, .groups = groups, .n_groups = n, .counts = run->counts,
			      .inputs = &in, .n_inputs = 1, .total_records = run->total_records, .total = run->total,
			      .unit_lcm = table.unit_lcm};
	for (int fmt = SV_FMT_TABLE; fmt <= SV_FMT_MARKDOWN; fmt++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		sv_format_result(out, (enum sv_format)fmt, &r);
		fclose(out);
		fuzz_check_utf8(text, len);
		if (fmt == SV_FMT_CSV) {
			/* header + one row per group + total, each ending in a newline
			 * outside quotes */
			size_t rows = 0;
			int quoted = 0;
			for (size_t i = 0; i < len; i++) {
				if (text[i] == '"')
					quoted = !quoted;
				else if (text[i] == '\n' && !quoted)
					rows++;
			}
			FUZZ_CHECK(rows == n + 2);
		}
		free(text);
	}
}

/* The options of the two runs, freed after comparing them. */
static struct sv_options *opts[2];

static void run_once(const char *path, const char *const *args, int nargs, long jobs, struct sv_run *out_run,
		     struct sv_groups **out_groups)
{
	char storage[16][128];
	char *argv[16];
	snprintf(storage[0], sizeof storage[0], "sv-calc");
	for (int i = 0; i < nargs; i++)
		snprintf(storage[i + 1], sizeof storage[i + 1], "%s", args[i]);
	snprintf(storage[nargs + 1], sizeof storage[nargs + 1], "%s", path);
	for (int i = 0; i < nargs + 2; i++)
		argv[i] = storage[i];
	struct sv_options *o = calloc(1, sizeof *o);
	FUZZ_CHECK(sv_options_parse(o, nargs + 2, argv) == SV_OK);
	opts[jobs == 1 ? 0 : 1] = o;
	struct sv_groups *groups = sv_groups_new(o->keys, o->n_keys);
	struct trace_sum sum = {0, 0, NULL};
	remove(rejects_path(jobs));
	sum.rejects = sv_rejects_new(rejects_path(jobs));
	FUZZ_CHECK(sum.rejects);
	/* one thread: every outcome, quietly; two: invalid records only */
	struct sv_run_hooks hooks = {on_header, on_outcome, &sum, jobs == 1, jobs != 1};
	struct sv_run run = {.options = o, .table = &table, .groups = groups, .jobs = jobs, .hooks = &hooks};
	enum sv_status st = sv_run_files(&run);
	FUZZ_CHECK(sv_rejects_finish(sum.rejects, true) == SV_OK);
	/* a run stopped by an overflow has read the record that overflowed
	 * and no more: it prints no figures */
	FUZZ_CHECK(st == SV_EDATA || run.counts.read == run.counts.valued + run.counts.invalid + run.counts.filtered);
	if (st == SV_OK && jobs == 1) {
		FUZZ_CHECK(sum.valued == run.total);
		FUZZ_CHECK(sum.outcomes == run.counts.read);
		render_all(&run, o);
	}
	*out_run = run;
	*out_groups = groups;
	(void)st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const variants[][6] = {
		{"-b", "theme"},
		{"-b", "measure,site"},
		{"-b", "fq,value_type", "--from", "2024-04-01"},
		{"-b", "month,column:theme", "--to", "31/03/2025"},
		{"-b", "year,fy,quarter", "-d", ";"},
		{"-b", "site,measure,theme", "-d", "tab"},
		{"--skip-invalid", "-b", "theme"},
		{"-b", "value"},
	};
	static const int counts[] = {2, 2, 4, 4, 4, 4, 3, 2};
	if (!table.name) {
		fuzz_quiet();
		if (sv_proxy_load_default(&table, NULL) != SV_OK)
			abort();
	}
	if (size < 1)
		return 0;
	size_t v = data[0] % (sizeof counts / sizeof counts[0]);
	const char *path = fuzz_file(data + 1, size - 1, ".csv");

	struct sv_run one, two;
	struct sv_groups *g1, *g2;
	run_once(path, variants[v], counts[v], 1, &one, &g1);
	run_once(path, variants[v], counts[v], 2, &two, &g2);
	FUZZ_CHECK(one.status == two.status);
	FUZZ_CHECK(one.total == two.total);
	FUZZ_CHECK(one.counts.read == two.counts.read && one.counts.invalid == two.counts.invalid);
	FUZZ_CHECK(sv_groups_count(g1) == sv_groups_count(g2));
	size_t len1, len2;
	char *r1 = slurp(rejects_path(1), &len1), *r2 = slurp(rejects_path(2), &len2);
	FUZZ_CHECK((r1 == NULL) == (r2 == NULL));
	FUZZ_CHECK(len1 == len2 && (len1 == 0 || memcmp(r1, r2, len1) == 0));
	free(r1);
	free(r2);
	remove(rejects_path(1));
	remove(rejects_path(2));
	struct sv_options *o1 = opts[0], *o2 = opts[1];
	sv_run_release(&one);
	sv_run_release(&two);
	sv_groups_free(g1);
	sv_groups_free(g2);
	sv_options_free(o1);
	sv_options_free(o2);
	free(o1);
	free(o2);
	return 0;
}
