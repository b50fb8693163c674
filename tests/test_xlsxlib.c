/*
 * test_xlsxlib.c - libxlsxwriter loaded with dlopen.
 */
#include "test_util.h"
#include "sv_xlsxlib.h"

#include <stdlib.h>
#include <string.h>

/* Ensure the installed library loads with every function sv-calc calls. */
static void test_open(void **state)
{
	(void)state;
	struct sv_xlsxlib lib;
	assert_true(sv_xlsxlib_open(&lib, SV_XLSXLIB_SONAME));
	assert_non_null(lib.handle);
#define CHECK_FOUND(name) assert_true(lib.name != NULL);
	SV_XLSXLIB_FUNCTIONS(CHECK_FOUND)
#undef CHECK_FOUND
	assert_string_equal(lib.lxw_strerror(LXW_NO_ERROR), "No error.");
	sv_xlsxlib_close(&lib);
	assert_null(lib.handle);
}

/* Ensure a library that cannot be loaded is reported, naming the package. */
static void test_missing(void **state)
{
	(void)state;
	struct sv_xlsxlib lib;
	struct capture c;
	capture_start(&c);
	bool ok = sv_xlsxlib_open(&lib, "libsv-calc-no-such-library.so.0");
	char *diag = capture_end(&c);
	assert_false(ok);
	assert_null(lib.handle);
	assert_non_null(strstr(diag, "sv-calc: -f xlsx needs libxlsxwriter, which cannot be loaded: "));
	assert_non_null(strstr(diag, "libsv-calc-no-such-library.so.0"));
	assert_non_null(strstr(diag, "apt-get install libxlsxwriter4)\n"));
	free(diag);
}

/* Ensure a library lacking one of the functions is refused, named. */
static void test_lacking_function(void **state)
{
	(void)state;
	struct sv_xlsxlib lib;
	struct capture c;
	capture_start(&c);
	/* the C library loads but has no workbook_new_opt */
	bool ok = sv_xlsxlib_open(&lib, "libc.so.6");
	char *diag = capture_end(&c);
	assert_false(ok);
	assert_null(lib.handle);
	assert_string_equal(diag, "sv-calc: -f xlsx needs libxlsxwriter, and libc.so.6 has no function "
				  "workbook_new_opt: install libxlsxwriter4\n");
	free(diag);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_lacking_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
