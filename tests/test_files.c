/*
 * test_files.c - the files a run reads and writes: outputs that would
 * replace an input, inputs that would count twice, and how an output is
 * written (atomically, through links, directly to devices, modes kept).
 */
#include "test_util.h"

#include "sv_files.h"
#include "sv_output.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char *read_text(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static const char *files_a_b[] = {"a.csv", "b.csv"};

static struct sv_options options_for(const char **files, size_t n)
{
	struct sv_options o;
	memset(&o, 0, sizeof o);
	o.command = SV_CMD_VALUE;
	o.files = files;
	o.n_files = n;
	return o;
}

typedef enum sv_status (*check_fn)(const struct sv_options *);

static void expect(check_fn check, const struct sv_options *o, enum sv_status want, const char *diag)
{
	struct capture c;
	capture_start(&c);
	enum sv_status st = check(o);
	char *text = capture_end(&c);
	assert_int_equal(st, want);
	assert_string_equal(text, diag);
	free(text);
}

#define check_outputs_expect(o, want, diag) expect(sv_files_check_outputs, o, want, diag)
#define check_inputs_expect(o, want, diag) expect(sv_files_check_inputs, o, want, diag)

static void output_naming_an_input_is_refused(void **state)
{
	(void)state;
	write_text("a.csv", "measure,quantity\n");
	write_text("b.csv", "measure,quantity\nNT1,1\n");
	struct sv_options o = options_for(files_a_b, 2);
	o.output = "./b.csv";
	check_outputs_expect(&o, SV_EUSAGE,
			     "sv-calc: -o ./b.csv is an input (b.csv); sv-calc never writes over a file it reads\n");
	o.output = NULL;
	o.rejects = "a.csv";
	check_outputs_expect(&o, SV_EUSAGE,
			     "sv-calc: --rejects a.csv is an input (a.csv); sv-calc never writes over a file it reads\n");
}

static void output_through_a_link_to_the_table_is_refused(void **state)
{
	(void)state;
	write_text("a.csv", "measure,quantity\n");
	write_text("t.json", "{}");
	assert_int_equal(symlink("t.json", "link.json"), 0);
	struct sv_options o = options_for(files_a_b, 1);
	o.proxies = "t.json";
	o.output = "link.json";
	check_outputs_expect(&o, SV_EUSAGE,
			     "sv-calc: -o link.json is the proxy table (t.json); sv-calc never writes over a file it reads\n");
}

static void new_outputs_and_devices_are_allowed(void **state)
{
	(void)state;
	write_text("a.csv", "measure,quantity\n");
	struct sv_options o = options_for(files_a_b, 1);
	o.output = "new.csv";
	o.rejects = "/dev/null";
	check_outputs_expect(&o, SV_OK, "");
}

static void outputs_naming_each_other_are_refused(void **state)
{
	(void)state;
	assert_int_equal(mkdir("sub", 0755), 0);
	struct sv_options o = options_for(files_a_b, 0);
	o.output = "sub/../same.txt";
	o.rejects = "./same.txt";
	check_outputs_expect(&o, SV_EUSAGE,
			     "sv-calc: -o sub/../same.txt and --rejects ./same.txt name the same file; the rejects would be lost\n");
	o.rejects = "sub/same.txt";
	check_outputs_expect(&o, SV_OK, "");
}

static void identical_bytes_are_refused_unless_allowed(void **state)
{
	(void)state;
	write_text("a.csv", "measure,quantity\nNT1,1\n");
	write_text("b.csv", "measure,quantity\nNT1,1\n");
	struct sv_options o = options_for(files_a_b, 2);
	check_inputs_expect(&o, SV_EDATA,
			    "sv-calc: a.csv and b.csv have identical contents; an export is counted once "
			    "(--allow-identical-inputs values both)\n");
	o.allow_identical = true;
	check_inputs_expect(&o, SV_OK, "");
}

static void equal_size_different_bytes_pass(void **state)
{
	(void)state;
	write_text("a.csv", "measure,quantity\nNT1,1\n");
	write_text("b.csv", "measure,quantity\nNT1,2\n");
	struct sv_options o = options_for(files_a_b, 2);
	check_inputs_expect(&o, SV_OK, "");
}

static void same_file_is_refused_even_when_allowed(void **state)
{
	(void)state;
	write_text("a.csv", "measure,quantity\nNT1,1\n");
	assert_int_equal(symlink("a.csv", "b.csv"), 0);
	struct sv_options o = options_for(files_a_b, 2);
	o.allow_identical = true;
	check_inputs_expect(&o, SV_EDATA, "sv-calc: a.csv and b.csv are the same file; an input is counted once\n");
}

static void stdin_matching_a_file_is_refused(void **state)
{
	(void)state;
	write_text("a.csv", "measure,quantity\nNT1,1\n");
	static const char *files[] = {"-", "a.csv"};
	struct sv_options o = options_for(files, 2);
	struct capture c;
	capture_start(&c);
	/* SHA-256 of "measure,quantity\nNT1,1\n" */
	enum sv_status same = sv_files_check_stdin(&o, 23, "84e3c5eec1d5f75b063a691736f437c9e89fc04e9f8c818af51519d3bd2ece49");
	enum sv_status other = sv_files_check_stdin(&o, 23, "94e3c5eec1d5f75b063a691736f437c9e89fc04e9f8c818af51519d3bd2ece49");
	char *text = capture_end(&c);
	assert_int_equal(same, SV_EDATA);
	assert_int_equal(other, SV_OK);
	assert_string_equal(text, "sv-calc: <stdin> and a.csv have identical contents (SHA-256 84e3c5eec1d5...); "
				  "an export is counted once (--allow-identical-inputs values both)\n");
	free(text);
}

static void target_follows_links(void **state)
{
	(void)state;
	assert_int_equal(mkdir("d", 0755), 0);
	assert_int_equal(symlink("d/real.csv", "one.csv"), 0);
	assert_int_equal(symlink("one.csv", "two.csv"), 0);
	char *t = sv_output_target("two.csv");
	assert_string_equal(t, "d/real.csv");
	free(t);
	assert_int_equal(symlink("loop.csv", "loop.csv"), 0);
	assert_null(sv_output_target("loop.csv"));
}

static void replaced_file_keeps_mode_and_link(void **state)
{
	(void)state;
	write_text("real.csv", "old\n");
	assert_int_equal(chmod("real.csv", 0600), 0);
	assert_int_equal(symlink("real.csv", "link.csv"), 0);
	struct sv_output out;
	assert_int_equal(sv_output_open(&out, "link.csv"), SV_OK);
	fputs("new\n", out.stream);
	assert_int_equal(sv_output_commit(&out), SV_OK);
	struct stat sb;
	assert_int_equal(lstat("link.csv", &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_int_equal(stat("real.csv", &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_string_equal(read_text("real.csv"), "new\n");
}

static void aborted_output_leaves_the_old_file(void **state)
{
	(void)state;
	write_text("out.csv", "old\n");
	struct sv_output out;
	assert_int_equal(sv_output_open(&out, "out.csv"), SV_OK);
	fputs("half", out.stream);
	assert_int_equal(sv_output_abort(&out), SV_OK);
	assert_string_equal(read_text("out.csv"), "old\n");
}

static void device_is_written_directly(void **state)
{
	(void)state;
	struct sv_output out;
	assert_int_equal(sv_output_open(&out, "/dev/null"), SV_OK);
	assert_null(out.tmp_path);
	fputs("x", out.stream);
	assert_int_equal(sv_output_commit(&out), SV_OK);
	struct stat sb;
	assert_int_equal(stat("/dev/null", &sb), 0);
	assert_true(S_ISCHR(sb.st_mode));
	assert_int_equal(sv_output_remove_stale("/dev/null"), SV_OK);
	assert_int_equal(stat("/dev/null", &sb), 0);
}

static void stale_regular_file_is_removed(void **state)
{
	(void)state;
	write_text("rejects.csv", "stale\n");
	assert_int_equal(sv_output_remove_stale("rejects.csv"), SV_OK);
	assert_int_equal(access("rejects.csv", F_OK), -1);
	assert_int_equal(mkfifo("r.fifo", 0600), 0);
	assert_int_equal(sv_output_remove_stale("r.fifo"), SV_OK);
	assert_int_equal(access("r.fifo", F_OK), 0);
}

/* Ensure an output opened early is one written through a temporary file
 * beside its target (a new file, or a regular file through its link), and
 * anything else (a device, a FIFO, stdout, a directory, a missing
 * directory) is declined without a word and left alone. */
static void early_output_only_when_atomic(void **state)
{
	(void)state;
	struct sv_output out;
	assert_true(sv_output_try_atomic(&out, "new.csv"));
	assert_non_null(out.tmp_path);
	fputs("new\n", out.stream);
	assert_int_equal(sv_output_commit(&out), SV_OK);
	assert_string_equal(read_text("new.csv"), "new\n");
	write_text("real.csv", "old\n");
	assert_int_equal(symlink("real.csv", "link.csv"), 0);
	assert_true(sv_output_try_atomic(&out, "link.csv"));
	assert_int_equal(sv_output_abort(&out), SV_OK);
	assert_string_equal(read_text("real.csv"), "old\n");
	assert_int_equal(mkfifo("r.fifo", 0600), 0);
	assert_int_equal(mkdir("dir", 0755), 0);
	struct capture c;
	capture_start(&c);
	assert_false(sv_output_try_atomic(&out, "/dev/null"));
	assert_false(sv_output_try_atomic(&out, "r.fifo"));
	assert_false(sv_output_try_atomic(&out, "-"));
	assert_false(sv_output_try_atomic(&out, "dir"));
	assert_false(sv_output_try_atomic(&out, "no/such/dir/r.csv"));
	char *said = capture_end(&c);
	assert_string_equal(said, "");
	free(said);
	assert_null(out.stream);
	struct stat sb;
	assert_int_equal(stat("r.fifo", &sb), 0);
	assert_true(S_ISFIFO(sb.st_mode));
}

/* Ensure a file synced behind its writer as it grows commits whole, and
 * one aborted so leaves the old file and no temporary one. */
static void synced_behind_output_commits_whole(void **state)
{
	(void)state;
	static char block[1 << 16];
	memset(block, 'x', sizeof block);
	write_text("out.csv", "old\n");
	for (int commit = 0; commit < 2; commit++) {
		struct sv_output out;
		assert_int_equal(sv_output_open(&out, "out.csv"), SV_OK);
		for (int i = 0; i < 64; i++) {
			assert_int_equal(fwrite(block, 1, sizeof block, out.stream), sizeof block);
			assert_int_equal(fflush(out.stream), 0);
			sv_output_sync_behind(&out);
		}
		assert_int_equal(commit ? sv_output_commit(&out) : sv_output_abort(&out), SV_OK);
		struct stat sb;
		assert_int_equal(stat("out.csv", &sb), 0);
		assert_int_equal(sb.st_size, commit ? 64 * (off_t)sizeof block : 4);
		DIR *d = opendir(".");
		assert_non_null(d);
		size_t files = 0;
		for (struct dirent *e; (e = readdir(d)) != NULL;)
			files += e->d_name[0] != '.';
		closedir(d);
		assert_int_equal(files, 1);
	}
	/* stdout and devices: nothing to sync */
	struct sv_output dev;
	assert_int_equal(sv_output_open(&dev, "/dev/null"), SV_OK);
	sv_output_sync_behind(&dev);
	assert_null(dev.syncer);
	assert_int_equal(sv_output_commit(&dev), SV_OK);
}

/* Every test works in a fresh directory of its own. */
#define T(f) cmocka_unit_test_setup_teardown(f, test_dir_setup, test_dir_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(output_naming_an_input_is_refused),
		T(output_through_a_link_to_the_table_is_refused),
		T(new_outputs_and_devices_are_allowed),
		T(outputs_naming_each_other_are_refused),
		T(identical_bytes_are_refused_unless_allowed),
		T(equal_size_different_bytes_pass),
		T(same_file_is_refused_even_when_allowed),
		T(stdin_matching_a_file_is_refused),
		T(target_follows_links),
		T(replaced_file_keeps_mode_and_link),
		T(aborted_output_leaves_the_old_file),
		T(device_is_written_directly),
		T(stale_regular_file_is_removed),
		T(early_output_only_when_atomic),
		T(synced_behind_output_commits_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
