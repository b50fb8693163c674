/*
 * files.c - an input counted once; an output never a file the run reads.
 *
 * Files are told apart by device and inode after following links, so
 * "q1.csv", "./q1.csv" and a link to it are one file.  Identical bytes in
 * two files are found among files of equal size only: exports of different
 * sizes, the usual case, cost one stat.  Files of one size are told apart
 * by a hash of their first block, read once each, and only files whose
 * hashes agree are compared byte for byte, so ten thousand small exports
 * (many of one size) cost ten thousand reads, not fifty million.
 */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700

#include "sv_files.h"
#include "sv_diag.h"
#include "sv_output.h"
#include "sv_proxy.h"
#include "sv_sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMPARE_BLOCK ((size_t)1 << 16)

static bool is_stdin(const char *path)
{
	return strcmp(path, "-") == 0;
}

static const char *shown_name(const char *path)
{
	return is_stdin(path) ? "<stdin>" : path;
}

/* stat() through links; standard input is what fd 0 is. */
static bool identify(const char *path, struct stat *sb)
{
	return is_stdin(path) ? fstat(STDIN_FILENO, sb) == 0 : stat(path, sb) == 0;
}

static bool same_node(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* ---- outputs ------------------------------------------------------------ */

struct read_file {
	const char *role; /* "an input", "the proxy table", ... */
	const char *path;
};

/* -p NAME may be an installed table: the file it loads is the one to
 * protect. */
static bool identify_table(const char *path, struct stat *sb)
{
	char installed[4096];
	return stat(sv_proxy_table_path(path, installed, sizeof installed), sb) == 0;
}

static size_t list_reads(const struct sv_options *o, struct read_file *reads, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < o->n_files && n < cap; i++)
		reads[n++] = (struct read_file){"an input", o->files[i]};
	if (o->n_files == 0 && n < cap && o->command != SV_CMD_PROXIES && o->command != SV_CMD_SHOW &&
	    o->command != SV_CMD_TABLE_CHECK)
		reads[n++] = (struct read_file){"an input", "-"};
	const char *env = getenv("SV_CALC_PROXIES");
	const char *table = o->proxies ? o->proxies : env && env[0] ? env : NULL;
	const struct read_file more[] = {
		{"the proxy table", o->command == SV_CMD_IMPORT ? NULL : table},
		{"the deflators", o->deflators},
		{"the targets file", o->targets},
		{"the result compared with", o->compare},
		{"the spend file", o->spend_file},
		{"the profile", o->profile},
		{"the input list", o->inputs_list},
	};
	for (size_t i = 0; i < sizeof more / sizeof more[0] && n < cap; i++)
		if (more[i].path)
			reads[n++] = more[i];
	for (size_t i = 0; i < o->n_map_files && n < cap; i++)
		reads[n++] = (struct read_file){"the map file", o->map_files[i]};
	for (size_t i = 0; i < o->n_profile_files && n < cap; i++)
		reads[n++] = (struct read_file){"a profile", o->profile_files[i]};
	return n;
}

/* Only a regular file can be replaced; reading and writing one terminal
 * (sv-calc -o /dev/stdout < /dev/tty) harms nothing. */
static bool conflicts_with_read(const struct stat *out, const struct read_file *r)
{
	struct stat sb;
	bool found = strcmp(r->role, "the proxy table") == 0 ? identify_table(r->path, &sb) : identify(r->path, &sb);
	return found && S_ISREG(sb.st_mode) && same_node(out, &sb);
}

/* Where a file that does not exist yet would be created: its directory,
 * resolved, and its name. */
static char *future_place(const char *path)
{
	char *target = sv_output_target(path);
	if (!target)
		return NULL;
	char *slash = strrchr(target, '/');
	const char *dir = slash ? (slash == target ? "/" : target) : ".";
	const char *base = slash ? slash + 1 : target;
	if (slash && slash != target)
		*slash = '\0';
	char *resolved = realpath(dir, NULL);
	char *place = resolved ? malloc(strlen(resolved) + strlen(base) + 2) : NULL;
	if (place)
		sprintf(place, "%s/%s", resolved, base);
	free(resolved);
	free(target);
	return place;
}

static bool same_output(const char *a, const char *b)
{
	struct stat sa, sb;
	bool has_a = stat(a, &sa) == 0, has_b = stat(b, &sb) == 0;
	if (has_a || has_b)
		return has_a && has_b && same_node(&sa, &sb);
	char *pa = future_place(a), *pb = future_place(b);
	bool same = pa && pb ? strcmp(pa, pb) == 0 : strcmp(a, b) == 0;
	free(pa);
	free(pb);
	return same;
}

static bool check_output(const char *option, const char *path, const struct read_file *reads, size_t n)
{
	struct stat out;
	if (stat(path, &out) != 0)
		return true; /* created new: it cannot be a file that is read */
	for (size_t i = 0; i < n; i++) {
		if (conflicts_with_read(&out, &reads[i])) {
			sv_diag("%s %s is %s (%s); sv-calc never writes over a file it reads", option, path,
				reads[i].role, shown_name(reads[i].path));
			return false;
		}
	}
	return true;
}

enum sv_status sv_files_check_outputs(const struct sv_options *o)
{
	const char *output = o->output && strcmp(o->output, "-") != 0 ? o->output : NULL;
	if (!output && !o->rejects)
		return SV_OK;
	/* every input, the stdin stand-in, the fixed files, map files and profiles */
	size_t cap = o->n_files + 1 + 8 + o->n_map_files + o->n_profile_files;
	struct read_file *reads = malloc(cap * sizeof *reads);
	if (!reads) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	size_t n = list_reads(o, reads, cap);
	bool ok = !output || check_output("-o", output, reads, n);
	ok = ok && (!o->rejects || check_output("--rejects", o->rejects, reads, n));
	if (ok && output && o->rejects && same_output(output, o->rejects)) {
		sv_diag("-o %s and --rejects %s name the same file; the rejects would be lost", output, o->rejects);
		ok = false;
	}
	free(reads);
	return ok ? SV_OK : SV_EUSAGE;
}

/* ---- inputs ------------------------------------------------------------- */

struct input {
	size_t index; /* in the order given */
	struct stat sb;
	uint64_t print; /* a hash of the first block, among files of one size */
};

static int by_node(const void *va, const void *vb)
{
	const struct input *a = va, *b = vb;
	if (a->sb.st_dev != b->sb.st_dev)
		return a->sb.st_dev < b->sb.st_dev ? -1 : 1;
	if (a->sb.st_ino != b->sb.st_ino)
		return a->sb.st_ino < b->sb.st_ino ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int by_size(const void *va, const void *vb)
{
	const struct input *a = va, *b = vb;
	if (a->sb.st_size != b->sb.st_size)
		return a->sb.st_size < b->sb.st_size ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int open_input(const char *path)
{
	return is_stdin(path) ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_NOCTTY);
}

/* Equal bytes from where each file will be read: a redirected standard
 * input may already stand past its start. */
static bool same_bytes(const char *pa, const char *pb, off_t size)
{
	int fa = open_input(pa), fb = open_input(pb);
	off_t oa = is_stdin(pa) && fa >= 0 ? lseek(fa, 0, SEEK_CUR) : 0;
	off_t ob = is_stdin(pb) && fb >= 0 ? lseek(fb, 0, SEEK_CUR) : 0;
	char *a = malloc(COMPARE_BLOCK), *b = malloc(COMPARE_BLOCK);
	bool same = fa >= 0 && fb >= 0 && a && b && oa >= 0 && ob >= 0 && size - oa == size - ob;
	for (off_t at = 0; same && at < size - oa;) {
		ssize_t na = pread(fa, a, COMPARE_BLOCK, oa + at), nb = pread(fb, b, COMPARE_BLOCK, ob + at);
		same = na > 0 && na == nb && memcmp(a, b, (size_t)na) == 0;
		at += same ? na : 0;
	}
	free(a);
	free(b);
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

static size_t gather(const struct sv_options *o, struct input *in)
{
	size_t n = 0;
	for (size_t i = 0; i < o->n_files; i++) {
		if (identify(o->files[i], &in[n].sb) && !S_ISDIR(in[n].sb.st_mode)) {
			in[n].index = i;
			n++;
		}
	}
	return n;
}

static bool report_same_files(const struct sv_options *o, struct input *in, size_t n)
{
	bool ok = true;
	qsort(in, n, sizeof *in, by_node);
	for (size_t i = 1; i < n; i++) {
		if (same_node(&in[i - 1].sb, &in[i].sb)) {
			sv_diag("%s and %s are the same file; an input is counted once",
				shown_name(o->files[in[i - 1].index]), shown_name(o->files[in[i].index]));
			ok = false;
		}
	}
	return ok;
}

/* FNV-1a of the first block, from where the file will be read; 0 when it
 * cannot be read (such files are then compared byte for byte, which
 * reports nothing for them: reading them fails later, with its message). */
static uint64_t first_block_print(const char *path, char *buf)
{
	int fd = open_input(path);
	if (fd < 0)
		return 0;
	off_t at = is_stdin(path) ? lseek(fd, 0, SEEK_CUR) : 0;
	ssize_t n = at >= 0 ? pread(fd, buf, COMPARE_BLOCK, at) : -1;
	close(fd);
	uint64_t h = 14695981039346656037u;
	for (ssize_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)buf[i]) * 1099511628211u;
	return h;
}

static int by_size_print(const void *va, const void *vb)
{
	const struct input *a = va, *b = vb;
	if (a->sb.st_size != b->sb.st_size)
		return a->sb.st_size < b->sb.st_size ? -1 : 1;
	if (a->print != b->print)
		return a->print < b->print ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The prints of every regular file that shares its size with another. */
static bool take_prints(const struct sv_options *o, struct input *in, size_t n)
{
	char *buf = malloc(COMPARE_BLOCK);
	if (!buf)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool shared = (i > 0 && in[i - 1].sb.st_size == in[i].sb.st_size) ||
			      (i + 1 < n && in[i + 1].sb.st_size == in[i].sb.st_size);
		in[i].print = shared && S_ISREG(in[i].sb.st_mode) ? first_block_print(o->files[in[i].index], buf) : 0;
	}
	free(buf);
	return true;
}

struct pair {
	size_t a, b; /* indices in the order given, a < b */
};

static int by_first_then_second(const void *va, const void *vb)
{
	const struct pair *a = va, *b = vb;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/* Adds a pair of identical files; false when out of memory. */
static bool add_pair(struct pair **pairs, size_t *n, size_t *cap, size_t a, size_t b)
{
	if (*n == *cap) {
		size_t want = *cap ? *cap * 2 : 8;
		struct pair *grown = realloc(*pairs, want * sizeof *grown);
		if (!grown)
			return false;
		*pairs = grown;
		*cap = want;
	}
	(*pairs)[(*n)++] = (struct pair){a, b};
	return true;
}

/* Within each run of equal size and print, every pair not already the
 * same file; reported in the order the files were given. */
static bool report_identical(const struct sv_options *o, struct input *in, size_t n)
{
	qsort(in, n, sizeof *in, by_size);
	if (!take_prints(o, in, n)) {
		sv_diag("out of memory");
		return false;
	}
	qsort(in, n, sizeof *in, by_size_print);
	struct pair *pairs = NULL;
	size_t n_pairs = 0, cap = 0;
	bool oom = false;
	for (size_t i = 0; i < n && !oom; i++) {
		for (size_t j = i + 1; j < n && in[j].sb.st_size == in[i].sb.st_size && in[j].print == in[i].print; j++) {
			if (!S_ISREG(in[i].sb.st_mode) || !S_ISREG(in[j].sb.st_mode) || same_node(&in[i].sb, &in[j].sb))
				continue;
			size_t a = in[i].index < in[j].index ? in[i].index : in[j].index;
			size_t b = in[i].index < in[j].index ? in[j].index : in[i].index;
			if (same_bytes(o->files[a], o->files[b], in[i].sb.st_size) && !add_pair(&pairs, &n_pairs, &cap, a, b)) {
				oom = true;
				break;
			}
		}
	}
	if (oom)
		sv_diag("out of memory");
	else if (n_pairs)
		qsort(pairs, n_pairs, sizeof *pairs, by_first_then_second);
	for (size_t k = 0; k < n_pairs && !oom; k++)
		sv_diag("%s and %s have identical contents; an export is counted once (--allow-identical-inputs values both)",
			shown_name(o->files[pairs[k].a]), shown_name(o->files[pairs[k].b]));
	free(pairs);
	return n_pairs == 0 && !oom;
}

enum sv_status sv_files_check_inputs(const struct sv_options *o)
{
	if (o->n_files < 2)
		return SV_OK;
	struct input *in = malloc(o->n_files * sizeof *in);
	if (!in) {
		sv_diag("out of memory");
		return SV_ESOFTWARE;
	}
	size_t n = gather(o, in);
	bool ok = report_same_files(o, in, n);
	if (!o->allow_identical)
		ok = report_identical(o, in, n) && ok;
	free(in);
	return ok ? SV_OK : SV_EDATA;
}

bool sv_files_stdin_needs_digest(const struct sv_options *o)
{
	struct stat sb;
	if (o->allow_identical || o->n_files < 2 || fstat(STDIN_FILENO, &sb) != 0 || S_ISREG(sb.st_mode))
		return false;
	for (size_t i = 0; i < o->n_files; i++)
		if (is_stdin(o->files[i]))
			return true;
	return false;
}

static bool file_sha256(const char *path, char out[SV_SHA256_HEX])
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(COMPARE_BLOCK);
	struct sv_sha256 h;
	sv_sha256_init(&h);
	size_t got;
	while (f && buf && (got = fread(buf, 1, COMPARE_BLOCK, f)) > 0)
		sv_sha256_update(&h, buf, got);
	bool ok = f && buf && !ferror(f);
	sv_sha256_hex(&h, out);
	free(buf);
	if (f)
		fclose(f);
	return ok;
}

enum sv_status sv_files_check_stdin(const struct sv_options *o, uint64_t bytes, const char *sha256)
{
	enum sv_status st = SV_OK;
	for (size_t i = 0; i < o->n_files; i++) {
		struct stat sb;
		char digest[SV_SHA256_HEX];
		if (is_stdin(o->files[i]) || stat(o->files[i], &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    (uint64_t)sb.st_size != bytes || !file_sha256(o->files[i], digest) || strcmp(digest, sha256) != 0)
			continue;
		sv_diag("<stdin> and %s have identical contents (SHA-256 %.12s...); an export is counted once (--allow-identical-inputs values both)",
			o->files[i], sha256);
		st = SV_EDATA;
	}
	return st;
}

FILE *sv_open_input(const char *path, const char *shown, enum sv_status *st, uint64_t *size)
{
	*size = 0;
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *f = fopen(path, "rb");
	if (!f) {
		sv_diag("%s: cannot open: %s", shown, strerror(errno));
		*st = SV_ENOINPUT;
		return NULL;
	}
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		sv_diag("%s: cannot open: Is a directory", shown);
		fclose(f);
		*st = SV_ENOINPUT;
		return NULL;
	}
	*size = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
	return f;
}
