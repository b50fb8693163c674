/*
 * test_hookbuf.c - hook events held for a chunk and replayed: the same
 * events, in the same order, with lines made absolute, whether they stayed
 * in memory or went through the temporary file.
 */
#include "test_util.h"

#include "sv_hookbuf.h"

/* What the hooks saw, one line per event. */
struct seen {
	FILE *out;
	char *text;
	size_t len;
	bool replay; /* every reason's length must come with it */
};

static void seen_open(struct seen *s)
{
	s->text = NULL;
	s->len = 0;
	s->replay = false;
	s->out = open_memstream(&s->text, &s->len);
}

static char *seen_close(struct seen *s)
{
	fclose(s->out);
	return s->text;
}

static void put_row(FILE *out, const struct sv_row *row)
{
	fprintf(out, "%lu [", row->line);
	for (size_t i = 0; i < row->n_fields; i++)
		fprintf(out, "%s%.*s", i ? "|" : "", (int)row->fields[i].len, row->fields[i].ptr);
	fprintf(out, "] d=%c%s%s%s", row->delimiter, row->unterminated ? " unterminated" : "",
		row->bad_closing_quote ? " bad-quote" : "", row->plain ? " plain" : "");
}

static void on_header(void *ctx, const char *file, const struct sv_row *row)
{
	struct seen *s = ctx;
	fprintf(s->out, "header %s ", file);
	put_row(s->out, row);
	fputc('\n', s->out);
}

static void on_outcome(void *ctx, const struct sv_outcome *o)
{
	struct seen *s = ctx;
	/* a length given is the reason's; a replayed reason always has it */
	if (o->reason && (o->reason_len || s->replay))
		assert_int_equal(o->reason_len, strlen(o->reason));
	if (!o->reason)
		assert_int_equal(o->reason_len, 0);
	fprintf(s->out, "outcome %s %d ", o->file, (int)o->status);
	put_row(s->out, o->row);
	fprintf(s->out, " measure_text=%.*s measure=%s q=%d v=%lld unit=%s keys=%s reason=%s\n",
		o->measure_text ? (int)o->measure_text->len : 4, o->measure_text ? o->measure_text->ptr : "none",
		o->measure ? o->measure->id : "none", o->has_quantity ? (int)(o->quantity / 1000000000000000) : -1,
		(long long)o->value, o->unit ? o->unit : "none", o->keys ? "some" : "none", o->reason ? o->reason : "(null)");
}

/* The events of one chunk of a file: a header, an invalid record with a
 * measure, a ragged one, one with a quote problem, a long one. */
static char nt9_id[] = "NT9";
static struct sv_measure nt9 = {.id = nt9_id};
static const char file[] = "q1.csv", other_file[] = "q2.csv";

static void hold_events(struct sv_hookbuf *b, const struct sv_run_hooks *direct)
{
	const struct sv_field header_fields[] = {{"date", 4}, {"measure", 7}, {"quantity", 8}};
	const struct sv_row header = {header_fields, 3, 1, false, false, ',', false};
	const struct sv_field f1[] = {{"2024-04-01", 10}, {"NT9", 3}, {"x3", 2}};
	const struct sv_row r1 = {f1, 3, 2, false, false, ',', true};
	const struct sv_field f2[] = {{"2024-04-02", 10}};
	const struct sv_row r2 = {f2, 1, 4, false, false, ',', false};
	const struct sv_field f3[] = {{"2024-04-03", 10}, {"NT9", 3}, {"\"5\" x", 5}};
	const struct sv_row r3 = {f3, 3, 5, false, true, ',', false};
	char big[300];
	memset(big, 'b', sizeof big);
	const struct sv_field f4[] = {{"", 0}, {"NT9", 3}, {big, sizeof big}, {"", 0}};
	const struct sv_row r4 = {f4, 4, 9, true, false, ';', false};
	struct sv_outcome o1 = {.file = file, .row = &r1, .status = SV_OUT_INVALID, .measure_text = &f1[1],
				.measure = &nt9, .has_quantity = false, .unit = "hour",
				.reason = "quantity: 'x3' is not a number", .reason_len = 30};
	struct sv_outcome o2 = {.file = file, .row = &r2, .status = SV_OUT_INVALID,
				.reason = "the row has 1 field, the header has 3"};
	struct sv_outcome o3 = {.file = file, .row = &r3, .status = SV_OUT_INVALID, .measure_text = &f3[1],
				.measure = &nt9, .has_quantity = true, .quantity = (sv_qty)7 * 1000000000000000,
				.reason = "field 3: text after a closing quote"};
	struct sv_outcome o4 = {.file = file, .row = &r4, .status = SV_OUT_IGNORED, .measure_text = &f4[1],
				.reason = NULL};
	/* fields that are slices of one line, a delimiter between each two */
	static const char line[] = "2024-04-06,NT9,,x7";
	const struct sv_field f8[] = {{line, 10}, {line + 11, 3}, {line + 15, 0}, {line + 16, 2}};
	const struct sv_row r8 = {f8, 4, 12, false, false, ',', true};
	struct sv_outcome o8 = {.file = file, .row = &r8, .status = SV_OUT_INVALID, .measure_text = &f8[1],
				.measure = &nt9, .reason = "quantity: 'x7' is not a number"};
	/* a reason and a file the event before had, or the one before that */
	struct sv_outcome o5 = o3, o6 = o3, o7 = o2;
	o5.row = &r1;
	o5.measure_text = &f1[1];
	o6.row = &r2;
	o6.measure_text = NULL;
	o6.file = other_file;
	o6.value = 12345;
	o7.file = other_file;
	if (direct) {
		direct->header(direct->ctx, file, &header);
		direct->outcome(direct->ctx, &o1);
		direct->outcome(direct->ctx, &o2);
		direct->outcome(direct->ctx, &o3);
		direct->outcome(direct->ctx, &o4);
		direct->outcome(direct->ctx, &o5);
		direct->outcome(direct->ctx, &o6);
		direct->outcome(direct->ctx, &o7);
		direct->outcome(direct->ctx, &o8);
		return;
	}
	assert_true(sv_hookbuf_header(b, file, &header));
	assert_true(sv_hookbuf_outcome(b, &o1));
	assert_true(sv_hookbuf_outcome(b, &o2));
	assert_true(sv_hookbuf_outcome(b, &o3));
	assert_true(sv_hookbuf_outcome(b, &o4));
	assert_true(sv_hookbuf_outcome(b, &o5));
	assert_true(sv_hookbuf_outcome(b, &o6));
	assert_true(sv_hookbuf_outcome(b, &o7));
	assert_true(sv_hookbuf_outcome(b, &o8));
}

/* The events as the hooks see them when called at once. */
static char *direct_events(void)
{
	struct seen s;
	seen_open(&s);
	const struct sv_run_hooks h = {.header = on_header, .outcome = on_outcome, .ctx = &s};
	hold_events(NULL, &h);
	return seen_close(&s);
}

static char *replayed(size_t limit, unsigned long offset, bool twice)
{
	struct sv_hookbuf b;
	sv_hookbuf_init(&b, limit, NULL);
	hold_events(&b, NULL);
	assert_false(sv_hookbuf_failed(&b));
	struct seen s;
	seen_open(&s);
	s.replay = true;
	const struct sv_run_hooks h = {.header = on_header, .outcome = on_outcome, .ctx = &s};
	assert_true(sv_hookbuf_replay(&b, &h, offset));
	if (twice)
		assert_true(sv_hookbuf_replay(&b, &h, offset));
	sv_hookbuf_free(&b);
	return seen_close(&s);
}

/* Ensure held events replay as the hooks would have seen them at once:
 * fields, flags, measure text, measure, quantity, unit and reason kept,
 * keys dropped. */
static void test_replay_in_memory(void **state)
{
	(void)state;
	char *want = direct_events(), *got = replayed(0, 0, false);
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "outcome q1.csv 2 2 [2024-04-01|NT9|x3] d=, plain measure_text=NT9 measure=NT9 q=-1 v=0 "
				    "unit=hour keys=none reason=quantity: 'x3' is not a number\n"));
	assert_non_null(strstr(got, "5 [2024-04-03|NT9|\"5\" x] d=, bad-quote measure_text=NT9 measure=NT9 q=7"));
	/* a reason, a file and a value the events before had, or not */
	assert_non_null(strstr(got, "outcome q1.csv 2 2 [2024-04-01|NT9|x3] d=, plain measure_text=NT9 measure=NT9 q=7 "
				    "v=0 unit=none keys=none reason=field 3: text after a closing quote\n"
				    "outcome q2.csv 2 4 [2024-04-02] d=, measure_text=none measure=NT9 q=7 v=12345 "
				    "unit=none keys=none reason=field 3: text after a closing quote\n"
				    "outcome q2.csv 2 4 [2024-04-02] d=, measure_text=none measure=none q=-1 v=0 "
				    "unit=none keys=none reason=the row has 1 field, the header has 3\n"
				    "outcome q1.csv 2 12 [2024-04-06|NT9||x7] d=, plain measure_text=NT9 measure=NT9 "
				    "q=-1 v=0 unit=none keys=none reason=quantity: 'x7' is not a number\n"));
	assert_non_null(strstr(got, "outcome q1.csv 4 9 [|NT9|bbbb"));
	assert_non_null(strstr(got, "] d=; unterminated measure_text=NT9 measure=none q=-1 v=0 unit=none keys=none "
				    "reason=(null)\n"));
	free(want);
	free(got);
}

/* Ensure the lines of a chunk are made absolute: line + offset. */
static void test_replay_line_offset(void **state)
{
	(void)state;
	char *got = replayed(0, 1000, false);
	assert_true(strncmp(got, "header q1.csv 1001 [date|measure|quantity] d=,\n", 47) == 0);
	assert_non_null(strstr(got, "outcome q1.csv 2 1002 ["));
	assert_non_null(strstr(got, "outcome q1.csv 2 1004 ["));
	assert_non_null(strstr(got, "outcome q1.csv 2 1005 ["));
	assert_non_null(strstr(got, "outcome q1.csv 4 1009 ["));
	free(got);
}

/* Ensure events spilled to the temporary file (a limit smaller than one
 * event, and one that holds a few) replay exactly as those kept in
 * memory, and that a replay can be repeated. */
static void test_replay_spilled(void **state)
{
	(void)state;
	char *want = replayed(0, 7, false);
	for (size_t limit = 1; limit < 2000; limit = limit * 3 + 1) {
		char *got = replayed(limit, 7, false);
		assert_string_equal(got, want);
		free(got);
	}
	char *twice = replayed(64, 7, true);
	size_t n = strlen(want);
	assert_int_equal(strlen(twice), 2 * n);
	assert_memory_equal(twice, want, n);
	assert_memory_equal(twice + n, want, n);
	free(twice);
	free(want);
}

/* Ensure an empty buffer replays nothing, and a freed one may be used again. */
static void test_empty_and_reuse(void **state)
{
	(void)state;
	struct sv_hookbuf b;
	sv_hookbuf_init(&b, 16, NULL);
	struct seen s;
	seen_open(&s);
	const struct sv_run_hooks h = {.header = on_header, .outcome = on_outcome, .ctx = &s};
	assert_true(sv_hookbuf_replay(&b, &h, 0));
	sv_hookbuf_free(&b);
	hold_events(&b, NULL);
	sv_hookbuf_free(&b);
	char *text = seen_close(&s);
	assert_string_equal(text, "");
	free(text);
}

/* Ensure buffers that share a pool take the memory freed ones gave back
 * (the largest first), replay from it exactly as from fresh memory, and
 * that the pool frees what it was given. */
static void test_pool_reuses_memory(void **state)
{
	(void)state;
	char *want = replayed(0, 0, false);
	struct sv_hookbuf_pool pool;
	sv_hookbuf_pool_init(&pool);
	struct sv_hookbuf a, b;
	sv_hookbuf_init(&a, 0, &pool);
	sv_hookbuf_init(&b, 0, &pool);
	hold_events(&a, NULL);
	for (int i = 0; i < 20; i++)
		hold_events(&b, NULL);
	assert_true(b.cap > a.cap);
	const char *a_data = a.data, *b_data = b.data;
	size_t b_cap = b.cap;
	sv_hookbuf_free(&a);
	sv_hookbuf_free(&b);
	assert_int_equal(pool.n, 2);
	struct sv_hookbuf c;
	sv_hookbuf_init(&c, 0, &pool);
	hold_events(&c, NULL);
	assert_ptr_equal(c.data, b_data);
	assert_int_equal(c.cap, b_cap);
	struct seen s;
	seen_open(&s);
	const struct sv_run_hooks h = {.header = on_header, .outcome = on_outcome, .ctx = &s};
	assert_true(sv_hookbuf_replay(&c, &h, 0));
	char *got = seen_close(&s);
	assert_string_equal(got, want);
	sv_hookbuf_free(&c);
	assert_int_equal(pool.n, 2);
	/* a buffer with a limit that finds the pool empty takes a block of
	 * the limit at least (in huge pages where there are some) */
	struct sv_hookbuf d, e;
	sv_hookbuf_init(&d, 3000, &pool);
	sv_hookbuf_init(&e, 3000, &pool);
	hold_events(&d, NULL);
	hold_events(&e, NULL);
	sv_hookbuf_init(&c, 3000, &pool);
	hold_events(&c, NULL);
	assert_true(c.cap >= 3000);
	seen_open(&s);
	assert_true(sv_hookbuf_replay(&c, &h, 0));
	char *spilled = seen_close(&s);
	assert_string_equal(spilled, want);
	free(spilled);
	sv_hookbuf_free(&c);
	sv_hookbuf_free(&d);
	sv_hookbuf_free(&e);
	assert_int_equal(pool.n, 3);
	bool kept = false;
	for (size_t i = 0; i < pool.n; i++)
		kept = kept || pool.blocks[i].data == a_data;
	assert_true(kept);
	sv_hookbuf_pool_free(&pool);
	free(got);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_in_memory),
		cmocka_unit_test(test_replay_line_offset),
		cmocka_unit_test(test_replay_spilled),
		cmocka_unit_test(test_empty_and_reuse),
		cmocka_unit_test(test_pool_reuses_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
