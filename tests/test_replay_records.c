/*
 * test_replay_records.c - every input that once broke fuzz_records, and a few
 * seeds, run through the same target under the normal test build, so a
 * fixed crash stays fixed.
 */
#include "test_util.h"

#include "fuzz/fuzz_records.c"
#include "replay.h"

/* Ensure each saved input passes fuzz_records's invariants. */
static void test_replay(void **state)
{
	(void)state;
	assert_int_equal(replay_dir("tests/fuzz/regressions/records"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_replay)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
