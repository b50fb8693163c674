/*
 * libcsv_raw.c - the floor: parse a file with libcsv and count fields and
 * rows, nothing else, reading 1 MiB at a time.  sv-calc's rate is
 * reported as a ratio to this one.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long fields, rows;

static void on_field(void *s, size_t n, void *ctx)
{
	(void)s;
	(void)n;
	(void)ctx;
	fields++;
}

static void on_row(int c, void *ctx)
{
	(void)c;
	(void)ctx;
	rows++;
}

int main(int argc, char **argv)
{
	struct csv_parser p;
	static char buf[1 << 20];
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	if (!f || csv_init(&p, 0) != 0)
		return 66;
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n)
			return 65;
	csv_fini(&p, on_field, on_row, NULL);
	csv_free(&p);
	fclose(f);
	printf("%llu rows, %llu fields\n", rows, fields);
	return 0;
}
