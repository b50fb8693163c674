/*
 * test_group.c - totals per group of keys, and their fixed order.
 */
#include "test_util.h"

#include "sv_group.h"

static const struct sv_key_spec theme_key[] = {{SV_KEY_THEME, NULL}};
static const struct sv_key_spec site_key[] = {{SV_KEY_COLUMN, "site"}};
static const struct sv_key_spec theme_site_keys[] = {{SV_KEY_THEME, NULL}, {SV_KEY_COLUMN, "site"}};

/* 10^-8 pound, the unit these tests write their sums in. */
#define E8 (SV_AMOUNT_SCALE / 100000000)

static void add_num(struct sv_groups *g, int64_t num, bool has_value, sv_amount value)
{
	struct sv_key_value kv = {num, NULL, 0};
	assert_int_equal(sv_groups_add(g, &kv, has_value, value), SV_OK);
}

static void add_text(struct sv_groups *g, const char *s, sv_amount value)
{
	struct sv_key_value kv = {0, s, strlen(s)};
	assert_int_equal(sv_groups_add(g, &kv, true, value), SV_OK);
}

/* The groups in order, as "key:records/valued=value" lines, to compare at once. */
static char *describe(struct sv_groups *g)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_non_null(sorted);
	for (size_t i = 0; i < n; i++) {
		char buf[SV_MONEY_TEXT_MAX];
		sv_format_amount_exact(buf, sorted[i]->value, 1);
		fprintf(out, "%lld:%llu/%llu=%s\n", (long long)sorted[i]->keys[0].num,
			(unsigned long long)sorted[i]->records, (unsigned long long)sorted[i]->valued_records, buf);
	}
	fclose(out);
	return text;
}

/* Ensure records with the same key share a group with exact counts and sum. */
static void test_counts_and_sums(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	add_num(g, 0, true, 150000000 * E8);
	add_num(g, 1, true, E8);
	add_num(g, 0, true, 250000001 * E8);
	assert_int_equal(sv_groups_count(g), 2);
	char *text = describe(g);
	assert_string_equal(text, "0:2/2=4.00000001\n1:1/1=0.00000001\n");
	free(text);
	sv_groups_free(g);
}

/* Ensure record-only records count in records but not in valued records or the sum. */
static void test_record_only(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	add_num(g, 3, false, 0);
	add_num(g, 3, false, 999);
	add_num(g, 4, true, 100000000 * E8);
	add_num(g, 4, false, 999);
	char *text = describe(g);
	assert_string_equal(text, "3:2/0=0.00\n4:2/1=1.00\n");
	free(text);
	sv_groups_free(g);
}

/* Ensure numeric keys (themes, periods) sort ascending whatever the order of arrival. */
static void test_numeric_order(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	static const int64_t keys[] = {24301, 5, -1, 24297, 0, 5};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		add_num(g, keys[i], true, 100000000 * E8);
	char *text = describe(g);
	assert_string_equal(text, "-1:1/1=1.00\n0:1/1=1.00\n5:2/2=2.00\n24297:1/1=1.00\n24301:1/1=1.00\n");
	free(text);
	sv_groups_free(g);
}

/* Ensure column keys sort by byte order, the empty value first, and are case-sensitive. */
static void test_column_order(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(site_key, 1);
	assert_non_null(g);
	static const char *const sites[] = {"b", "", "a", "B", "ab", "a", "\xC3\xA9", "York"};
	for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++)
		add_text(g, sites[i], 100000000 * E8);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_int_equal(n, 7);
	static const char *const want[] = {"", "B", "York", "a", "ab", "b", "\xC3\xA9"};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(sorted[i]->keys[0].len, strlen(want[i]));
		assert_memory_equal(sorted[i]->keys[0].str, want[i], strlen(want[i]));
	}
	assert_int_equal(sorted[3]->records, 2);
	sv_groups_free(g);
}

/* Ensure a value that is a prefix of another sorts first. */
static void test_column_prefix_order(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(site_key, 1);
	assert_non_null(g);
	add_text(g, "Leeds North", 1);
	add_text(g, "Leeds", 1);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_int_equal(n, 2);
	assert_int_equal(sorted[0]->keys[0].len, 5);
	assert_int_equal(sorted[1]->keys[0].len, 11);
	sv_groups_free(g);
}

/* Ensure the group keeps its own copy of the key text. */
static void test_key_text_copied(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(site_key, 1);
	assert_non_null(g);
	char site[] = "Leeds";
	struct sv_key_value kv = {0, site, 5};
	assert_int_equal(sv_groups_add(g, &kv, true, 1), SV_OK);
	memcpy(site, "XXXXX", 5);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_int_equal(n, 1);
	assert_memory_equal(sorted[0]->keys[0].str, "Leeds", 5);
	assert_int_equal(sv_groups_add(g, &kv, true, 1), SV_OK);
	assert_int_equal(sv_groups_count(g), 2);
	sv_groups_free(g);
}

/* Ensure several keys sort by the first key, then the next. */
static void test_multi_key_order(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_site_keys, 2);
	assert_non_null(g);
	struct sv_key_value kv[4][2] = {
		{{1, NULL, 0}, {0, "a", 1}},
		{{0, NULL, 0}, {0, "b", 1}},
		{{1, NULL, 0}, {0, "", 0}},
		{{0, NULL, 0}, {0, "a", 1}},
	};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(sv_groups_add(g, kv[i], true, 1), SV_OK);
	assert_int_equal(sv_groups_add(g, kv[0], true, 1), SV_OK);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_int_equal(n, 4);
	assert_int_equal(sorted[0]->keys[0].num, 0);
	assert_memory_equal(sorted[0]->keys[1].str, "a", 1);
	assert_int_equal(sorted[1]->keys[0].num, 0);
	assert_memory_equal(sorted[1]->keys[1].str, "b", 1);
	assert_int_equal(sorted[2]->keys[0].num, 1);
	assert_int_equal(sorted[2]->keys[1].len, 0);
	assert_int_equal(sorted[3]->keys[0].num, 1);
	assert_int_equal(sorted[3]->records, 2);
	sv_groups_free(g);
}

/* Ensure the sorted view includes groups added after an earlier sort. */
static void test_sort_after_add(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	add_num(g, 2, true, 1);
	size_t n = 0;
	sv_groups_sorted(g, &n);
	assert_int_equal(n, 1);
	add_num(g, 1, true, 1);
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_int_equal(n, 2);
	assert_int_equal(sorted[0]->keys[0].num, 1);
	sv_groups_free(g);
}

/* Ensure no groups sorts to an empty list. */
static void test_no_groups(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	size_t n = 99;
	assert_non_null(sv_groups_sorted(g, &n));
	assert_int_equal(n, 0);
	assert_int_equal(sv_groups_count(g), 0);
	sv_groups_free(g);
}

/* Ensure 100000 distinct column values are all kept, in order, with their counts. */
static void test_many_column_groups(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(site_key, 1);
	assert_non_null(g);
	for (int round = 0; round < 2; round++) {
		for (int i = 99999; i >= 0; i--) {
			char key[32];
			snprintf(key, sizeof key, "site%06d", i);
			add_text(g, key, 100000000);
		}
	}
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_int_equal(n, 100000);
	for (size_t i = 0; i < n; i++) {
		char key[32];
		snprintf(key, sizeof key, "site%06zu", i);
		assert_int_equal(sorted[i]->keys[0].len, 10);
		assert_memory_equal(sorted[i]->keys[0].str, key, 10);
		assert_int_equal(sorted[i]->records, 2);
		assert_true(sorted[i]->value == 200000000);
	}
	sv_groups_free(g);
}

/* Ensure 100000 distinct numeric keys are all kept, in order. */
static void test_many_numeric_groups(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	for (int64_t i = 0; i < 100000; i++)
		add_num(g, (i * 7919) % 100000, true, 1);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_int_equal(n, 100000);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(sorted[i]->keys[0].num, (int64_t)i);
		assert_int_equal(sorted[i]->records, 1);
	}
	sv_groups_free(g);
}

/* Ensure a sum that would overflow is refused and leaves the group unchanged. */
static void test_overflow(void **state)
{
	(void)state;
	const sv_amount top = (sv_amount)(((sv_uamount)1 << 127) - 1);
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	add_num(g, 0, true, top);
	struct sv_key_value kv = {0, NULL, 0};
	assert_int_equal(sv_groups_add(g, &kv, true, 1), SV_EDATA);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_int_equal(n, 1);
	assert_int_equal(sorted[0]->records, 1);
	assert_int_equal(sorted[0]->valued_records, 1);
	assert_true(sorted[0]->value == top);
	sv_groups_free(g);
}

/* Ensure more keys than SV_MAX_KEYS are refused. */
static void test_too_many_keys(void **state)
{
	(void)state;
	struct sv_key_spec keys[SV_MAX_KEYS + 1];
	for (size_t i = 0; i < SV_MAX_KEYS + 1; i++)
		keys[i] = (struct sv_key_spec){SV_KEY_COLUMN, "c"};
	assert_null(sv_groups_new(keys, SV_MAX_KEYS + 1));
	struct sv_groups *g = sv_groups_new(keys, SV_MAX_KEYS);
	assert_non_null(g);
	sv_groups_free(g);
}

/* Ensure built-in key names are recognised case-insensitively. */
static void test_key_builtin(void **state)
{
	(void)state;
	enum sv_key_kind kind = SV_KEY_COLUMN;
	assert_true(sv_key_builtin("THEME", &kind));
	assert_int_equal(kind, SV_KEY_THEME);
	assert_true(sv_key_builtin("Fq", &kind));
	assert_int_equal(kind, SV_KEY_FQ);
	assert_true(sv_key_builtin("value_type", &kind));
	assert_int_equal(kind, SV_KEY_VALUE_TYPE);
	assert_false(sv_key_builtin("site", &kind));
	assert_false(sv_key_builtin("value type", &kind));
}

/* Ensure each key kind has its name, period-ness and period. */
static void test_key_names_and_periods(void **state)
{
	(void)state;
	assert_string_equal(sv_key_name(SV_KEY_MEASURE), "measure");
	assert_string_equal(sv_key_name(SV_KEY_QUARTER), "quarter");
	assert_string_equal(sv_key_name(SV_KEY_FY), "fy");
	assert_true(sv_key_is_period(SV_KEY_MONTH));
	assert_true(sv_key_is_period(SV_KEY_FY));
	assert_false(sv_key_is_period(SV_KEY_VALUE_TYPE));
	assert_false(sv_key_is_period(SV_KEY_COLUMN));
	assert_int_equal(sv_key_period(SV_KEY_MONTH), SV_PERIOD_MONTH);
	assert_int_equal(sv_key_period(SV_KEY_QUARTER), SV_PERIOD_QUARTER);
	assert_int_equal(sv_key_period(SV_KEY_FQ), SV_PERIOD_FQ);
	assert_int_equal(sv_key_period(SV_KEY_YEAR), SV_PERIOD_YEAR);
	assert_int_equal(sv_key_period(SV_KEY_FY), SV_PERIOD_FY);
}

/* Ensure merging an earlier result's group adds its records, valued records and exact value at once. */
static void test_merge(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	struct sv_key_value kv = {1, NULL, 0};
	assert_int_equal(sv_groups_merge(g, &kv, 3, 3, 150000000 * E8), SV_OK);
	assert_int_equal(sv_groups_merge(g, &kv, 2, 0, 0), SV_OK);
	add_num(g, 1, true, 50000000 * E8);
	char *text = describe(g);
	assert_string_equal(text, "1:6/4=2.00\n");
	free(text);
	sv_groups_free(g);
}

/* Ensure a group remembered per measure gets each of its records: six
 * measures of two themes, interleaved, then a measure first seen late
 * (the remembered groups grow); with a column key nothing is remembered
 * and each text still finds its own group. */
static void test_group_per_measure(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(theme_key, 1);
	assert_non_null(g);
	sv_groups_track_measures(g, 12);
	for (int round = 0; round < 3; round++) {
		for (size_t m = 0; m < 6; m++) {
			struct sv_key_value kv = {(int64_t)(m % 2), NULL, 0};
			assert_int_equal(sv_groups_add_measure(g, &kv, m, m != 5, (sv_amount)(m + 1) * E8), SV_OK);
		}
	}
	struct sv_key_value late = {0, NULL, 0};
	assert_int_equal(sv_groups_add_measure(g, &late, 11, true, 100 * E8), SV_OK);
	char *text = describe(g);
	/* theme 0: measures 0, 2, 4 (1+3+5) x 3 + 100; theme 1: 1, 3 (2+4) x 3, 5 record-only */
	assert_string_equal(text, "0:10/10=0.00000127\n1:9/6=0.00000018\n");
	free(text);
	size_t n = 0;
	const uint64_t *per = sv_groups_measure_records(g, &n);
	assert_int_equal(n, 12);
	assert_int_equal(per[5], 3);
	assert_int_equal(per[11], 1);
	sv_groups_free(g);

	g = sv_groups_new(theme_site_keys, 2);
	assert_non_null(g);
	struct sv_key_value a[2] = {{0, NULL, 0}, {0, "Leeds", 5}}, b[2] = {{0, NULL, 0}, {0, "York", 4}};
	assert_int_equal(sv_groups_add_measure(g, a, 0, true, E8), SV_OK);
	assert_int_equal(sv_groups_add_measure(g, b, 0, true, 2 * E8), SV_OK);
	assert_int_equal(sv_groups_add_measure(g, a, 0, true, 4 * E8), SV_OK);
	assert_int_equal(sv_groups_count(g), 2);
	const struct sv_group *leeds = sv_groups_find(g, a);
	assert_non_null(leeds);
	assert_int_equal(leeds->records, 2);
	sv_groups_free(g);
}

static const struct sv_key_spec site_fq_keys[] = {{SV_KEY_COLUMN, "site"}, {SV_KEY_FQ, NULL}};

/* Adds one record of 1e-8 pound to (site, fq) through the per-record path,
 * with the text copied to a buffer of its own that is then spoilt, as a
 * reader's buffer is reused: a group must keep nothing of a record's. */
static void add_site_fq(struct sv_groups *g, const char *site, int64_t fq)
{
	size_t n = strlen(site);
	char *copy = malloc(n + 1);
	assert_non_null(copy);
	memcpy(copy, site, n + 1);
	struct sv_key_value kv[2] = {{0, copy, n}, {fq, NULL, 0}};
	assert_int_equal(sv_groups_add_measure(g, kv, 0, true, E8), SV_OK);
	memset(copy, '#', n);
	free(copy);
}

static uint64_t records_of(const struct sv_groups *g, const char *site, int64_t fq)
{
	struct sv_key_value kv[2] = {{0, site, strlen(site)}, {fq, NULL, 0}};
	const struct sv_group *grp = sv_groups_find(g, kv);
	return grp ? grp->records : 0;
}

/* Texts the recent groups' print cannot tell apart (same length, first
 * word and last two bytes) or that differ in one byte at each place the
 * compare reads: every pair must stay two groups. */
static const char *const look_alike[][2] = {
	{"Community Hub North 01", "Community Hub South 01"}, /* print equal, middle word */
	{"Leeds General Infirmary", "Leeds General Infirmarz"}, /* last byte */
	{"Leeds General Infirmary", "Leeds General Infirmary "}, /* longer by one */
	{"Seacroft Hospital", "Seacroft Hospitbl"}, /* in the overlap of the last word */
	{"abcdefgh", "abcdefgi"}, /* one word */
	{"abcdefghi", "abcdefghj"},
	{"York", "Yorj"}, /* under a word */
	{"Yo", "Yp"},
	{"Y", "Z"},
	{"", "Y"},
	{"A site with a long name, past 32 bytes: 1", "A site with a long name, past 32 bytes: 2"},
	{"A site with a long name, past 32 bytes: x", "A site with a long name, pbst 32 bytes: x"},
	{"0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdeg"}, /* 32 bytes */
	{"0123456789abcdef0123456789abcdef", "0123456789abcdeF0123456789abcdef"},
	{"0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789Abcdef"},
};

/* Ensure runs of one key, a change after a run and look-alike texts that
 * alternate record by record each count in their own group. */
static void test_recent_groups_runs_and_look_alikes(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(site_fq_keys, 2);
	assert_non_null(g);
	for (int i = 0; i < 5; i++)
		add_site_fq(g, "Leeds General Infirmary", 8096);
	add_site_fq(g, "Leeds General Infirmary", 8097); /* the quarter changes after the run */
	add_site_fq(g, "York", 8097);
	add_site_fq(g, "Leeds General Infirmary", 8096);
	assert_int_equal(sv_groups_count(g), 3);
	assert_int_equal(records_of(g, "Leeds General Infirmary", 8096), 6);
	assert_int_equal(records_of(g, "Leeds General Infirmary", 8097), 1);
	assert_int_equal(records_of(g, "York", 8097), 1);
	sv_groups_free(g);

	for (size_t p = 0; p < sizeof look_alike / sizeof look_alike[0]; p++) {
		g = sv_groups_new(site_fq_keys, 2);
		assert_non_null(g);
		/* a run of the first, then the two in turn: 3 + 4 and 4 */
		for (int i = 0; i < 3; i++)
			add_site_fq(g, look_alike[p][0], 8096);
		for (int i = 0; i < 4; i++) {
			add_site_fq(g, look_alike[p][1], 8096);
			add_site_fq(g, look_alike[p][0], 8096);
		}
		assert_int_equal(sv_groups_count(g), 2);
		assert_int_equal(records_of(g, look_alike[p][0], 8096), 7);
		assert_int_equal(records_of(g, look_alike[p][1], 8096), 4);
		sv_groups_free(g);
	}
}

/* Ensure the recent groups stay right while they grow with the groups:
 * 700 sites in four quarters (past the largest table of recent groups),
 * three rounds in a changing order. */
static void test_recent_groups_grow(void **state)
{
	(void)state;
	struct sv_groups *g = sv_groups_new(site_fq_keys, 2);
	assert_non_null(g);
	/* steps prime to 2800: each round is an order of all the groups */
	const int step[] = {1, 3, 9};
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 700 * 4; i++) {
			int k = i * step[round] % (700 * 4);
			char site[32];
			snprintf(site, sizeof site, "Site %d", k / 4);
			add_site_fq(g, site, 8096 + k % 4);
		}
	}
	assert_int_equal(sv_groups_count(g), 2800);
	size_t n = 0;
	const struct sv_group *const *sorted = sv_groups_sorted(g, &n);
	assert_non_null(sorted);
	assert_int_equal(n, 2800);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(sorted[i]->records, 3);
		assert_true(sorted[i]->value == 3 * E8);
	}
	assert_int_equal(records_of(g, "Site 699", 8099), 3);
	assert_int_equal(records_of(g, "Site 700", 8096), 0);
	sv_groups_free(g);
}

/* Ensure chunks' groups merge into a result that has recent groups of its
 * own: groups the merge adds are found by later records, not made twice. */
static void test_recent_groups_chunk_merge(void **state)
{
	(void)state;
	struct sv_groups *run = sv_groups_new(site_fq_keys, 2), *a = sv_groups_new(site_fq_keys, 2),
			 *b = sv_groups_new(site_fq_keys, 2);
	assert_non_null(run);
	assert_non_null(a);
	assert_non_null(b);
	add_site_fq(run, "York", 8096);
	for (int i = 0; i < 3; i++) {
		add_site_fq(a, "York", 8096);
		add_site_fq(a, "Leeds General Infirmary", 8097);
		add_site_fq(b, "Leeds General Infirmary", 8097);
		add_site_fq(b, "Harrogate", 8098);
	}
	assert_int_equal(sv_groups_absorb(run, a), SV_OK);
	assert_int_equal(sv_groups_absorb(run, b), SV_OK);
	add_site_fq(run, "Harrogate", 8098);
	add_site_fq(run, "York", 8096);
	assert_int_equal(sv_groups_count(run), 3);
	assert_int_equal(records_of(run, "York", 8096), 5);
	assert_int_equal(records_of(run, "Leeds General Infirmary", 8097), 6);
	assert_int_equal(records_of(run, "Harrogate", 8098), 4);
	size_t n = 0;
	const uint64_t *per = sv_groups_measure_records(run, &n);
	assert_int_equal(n, 1);
	assert_int_equal(per[0], 15);
	sv_groups_free(a);
	sv_groups_free(b);
	sv_groups_free(run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_sums),
		cmocka_unit_test(test_record_only),
		cmocka_unit_test(test_numeric_order),
		cmocka_unit_test(test_column_order),
		cmocka_unit_test(test_column_prefix_order),
		cmocka_unit_test(test_key_text_copied),
		cmocka_unit_test(test_multi_key_order),
		cmocka_unit_test(test_sort_after_add),
		cmocka_unit_test(test_no_groups),
		cmocka_unit_test(test_many_column_groups),
		cmocka_unit_test(test_many_numeric_groups),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_group_per_measure),
		cmocka_unit_test(test_recent_groups_runs_and_look_alikes),
		cmocka_unit_test(test_recent_groups_grow),
		cmocka_unit_test(test_recent_groups_chunk_merge),
		cmocka_unit_test(test_too_many_keys),
		cmocka_unit_test(test_key_builtin),
		cmocka_unit_test(test_key_names_and_periods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
