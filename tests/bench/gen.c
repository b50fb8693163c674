/*
 * gen.c - deterministic activity records for the benchmark:
 *   gen ROWS [SEED] > file.csv
 * Columns date,site,measure,quantity,description; measures are the
 * built-in table's ids, aliases and TOMs codes in odd letter case;
 * quantities have 0-2 decimals; about 10% of descriptions are quoted for a
 * comma and 1% hold doubled quotes.  The same arguments give the same
 * bytes on any machine.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static uint64_t next(void)
{
	/* xorshift64*: small, fast, and the same everywhere */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 2685821657736338717ULL;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(next() % n);
}

int main(int argc, char **argv)
{
	static const char *const measures[] = {
		"NT1", "nt1", "local_job", "JOBS.LOCAL_FTE", "NT3", "ltu_hire", "NT4", "neet",
		"NT10", "apprenticeship", "NT12", "placement_week", "NT7", "employability", "NT8",
		"careers", "NT18", "local_spend", "NT19", "sme_spend", "vcse_spend", "NT29",
		"Volunteering", "NT25", "donation", "NT31", "tco2e", "innovation_spend", "NT5", "veteran"};
	static const char *const sites[] = {"St James's Hospital", "Leeds General Infirmary", "Chapel Allerton",
					    "Seacroft", "Wharfedale", "Harrogate", "York", "Bradford"};
	static const char *const words[] = {"team", "ward", "estates", "catering", "porters", "outreach",
					    "school", "college", "supplier", "volunteers"};
	if (argc < 2) {
		fputs("usage: gen ROWS [SEED]\n", stderr);
		return 64;
	}
	unsigned long long rows = strtoull(argv[1], NULL, 10);
	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	if (!state)
		state = 42;
	static char out[1 << 16];
	setvbuf(stdout, out, _IOFBF, sizeof out);
	fputs("date,site,measure,quantity,description\n", stdout);
	for (unsigned long long i = 0; i < rows; i++) {
		unsigned month = 1 + pick(12), day = 1 + pick(28), year = 2023 + pick(3);
		printf("%u-%02u-%02u,%s,%s,", year, month, day, sites[pick(8)], measures[pick(30)]);
		unsigned whole = pick(1000), frac = pick(100);
		switch (pick(3)) {
		case 0: printf("%u,", whole); break;
		case 1: printf("%u.%u,", whole, frac % 10); break;
		default: printf("%u.%02u,", whole, frac); break;
		}
		unsigned kind = pick(100);
		const char *a = words[pick(10)], *b = words[pick(10)];
		if (kind == 0)
			printf("\"the \"\"%s\"\" %s, week %u\"\n", a, b, pick(52));
		else if (kind < 10)
			printf("\"%s, %s\"\n", a, b);
		else
			printf("%s %s %llu\n", a, b, i);
	}
	return fflush(stdout) == 0 ? 0 : 74;
}
