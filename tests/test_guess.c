/*
 * test_guess.c - profile guess: header row, delimiter, encoding, columns by
 * content, date forms, totals rows, measure suggestions, and the JSON.
 */
#include "test_util.h"

#include "sv_guess.h"
#include "sv_proxy.h"

static struct sv_proxy_table table;

static int load_builtin(void **state)
{
	(void)state;
	return sv_proxy_load_text(&table, (const char *)sv_builtin_proxies, sv_builtin_proxies_len, "<built-in>") !=
	       SV_OK;
}

static int free_table(void **state)
{
	(void)state;
	sv_proxy_free(&table);
	return 0;
}

struct result {
	enum sv_status status;
	char *json;  /* the profile written ("" when the guess failed) */
	char *notes; /* the diagnostics */
};

/* Guesses from a whole file's bytes (n: its length), or from its head and
 * tail when tail is given. */
static struct result guess_parts(const char *path, const char *head, size_t n, const char *tail, int delimiter)
{
	struct result r;
	struct capture cap;
	struct sv_guess g;
	struct sv_guess_input in = {path, path, head, n, tail == NULL, tail, tail ? strlen(tail) : 0, delimiter};
	size_t len;
	FILE *out = open_memstream(&r.json, &len);
	capture_start(&cap);
	r.status = sv_guess_run(&g, &in, &table);
	r.notes = capture_end(&cap);
	if (r.status == SV_OK)
		sv_guess_write(out, &g);
	fclose(out);
	sv_guess_free(&g);
	return r;
}

static struct result guess(const char *path, const char *text)
{
	return guess_parts(path, text, strlen(text), NULL, 0);
}

static void free_result(struct result *r)
{
	free(r->json);
	free(r->notes);
}

static const char *suggested(const char *text)
{
	struct sv_suggester *s = sv_suggester_new(&table);
	assert_non_null(s);
	const struct sv_measure *m = sv_suggester_find(s, text, strlen(text));
	sv_suggester_free(s);
	return m ? m->id : "(none)";
}

/* Ensure a plain export with measure ids gives the name alone: it values
 * unedited with the guessed profile. */
static void test_plain_export(void **state)
{
	(void)state;
	struct result r = guess("exports/q1-2024-25.csv",
				"date,site,measure,quantity,description\n"
				"2024-04-01,St James's,school_hour,2,Guest lecture\n"
				"01/04/2024,St James's,volunteering,8,Litter pick\n"
				"2024-04-02,LGI,NT19,457.51,Invoice 49127\n");
	assert_int_equal(r.status, SV_OK);
	assert_string_equal(r.json, "{\n  \"name\": \"q1-2024-25\"\n}\n");
	assert_string_equal(r.notes, "");
	free_result(&r);
}

/* Ensure a notes line, Windows-1252 bytes, a semicolon delimiter, columns
 * named otherwise, month dates, accounting dashes and a TOTAL row all show. */
static void test_notes_totals_cp1252(void **state)
{
	(void)state;
	struct result r = guess("acme.csv",
				"Acme FM monthly export - generated 01/05/2024\r\n"
				"Site;Activity;Hours;Month;Value (\xA3)\r\n"
				"LGI;NT29;12;Apr-24;\xA3" "1,234.00\r\n"
				"St James\x92s;NT10;3;Apr-24;\xA3" "900.00\r\n"
				"Caf\xE9;NT29; - ;May-24;-\r\n"
				"TOTAL;;15;;\xA3" "2,134.00\r\n");
	assert_int_equal(r.status, SV_OK);
	assert_string_equal(r.json, "{\n"
				    "  \"name\": \"acme\",\n"
				    "  \"skip_lines\": 1,\n"
				    "  \"delimiter\": \";\",\n"
				    "  \"encoding\": \"windows-1252\",\n"
				    "  \"columns\": {\n"
				    "    \"measure\": \"Activity\",\n"
				    "    \"quantity\": \"Hours\",\n"
				    "    \"date\": \"Month\"\n"
				    "  },\n"
				    "  \"dates\": [\"month\"],\n"
				    "  \"ignore\": [\n"
				    "    {\"column\": \"Site\", \"equals\": [\"TOTAL\"]}\n"
				    "  ],\n"
				    "  \"accounting_zero\": true\n"
				    "}\n");
	assert_string_equal(r.notes, "");
	free_result(&r);
}

/* Ensure free-text measure names get suggestions, and "" with a note when
 * nothing fits; each distinct text once, case-insensitively. */
static void test_free_text(void **state)
{
	(void)state;
	struct result r = guess("hr.csv",
				"Date,Category,Qty,Unit\n"
				"01/04/24,Volunteering hours,8,hours\n"
				"02/04/24,Local staff (FTE),3.5,FTE\n"
				"03/04/24,Litter pick,4,hours\n"
				"04/04/24,VOLUNTEERING HOURS,2,hours\n"
				"05/04/24,NT1,1,FTE\n"
				"Grand total,,15.5,\n");
	assert_int_equal(r.status, SV_OK);
	assert_string_equal(r.json, "{\n"
				    "  \"name\": \"hr\",\n"
				    "  \"columns\": {\n"
				    "    \"measure\": \"Category\",\n"
				    "    \"quantity\": \"Qty\"\n"
				    "  },\n"
				    "  \"dates\": [\"two-digit-year\"],\n"
				    "  \"measures\": {\n"
				    "    \"Volunteering hours\": \"social.volunteering_hour\",\n"
				    "    \"Local staff (FTE)\": \"jobs.local_fte\",\n"
				    "    \"Litter pick\": \"\"\n"
				    "  },\n"
				    "  \"ignore\": [\n"
				    "    {\"column\": \"Date\", \"equals\": [\"Grand total\"]}\n"
				    "  ]\n"
				    "}\n");
	assert_string_equal(r.notes,
			    "sv-calc: hr.csv:2: guessed 'Volunteering hours' as social.volunteering_hour (Staff "
			    "volunteering hours on local community projects): check it\n"
			    "sv-calc: hr.csv:3: guessed 'Local staff (FTE)' as jobs.local_fte (Local people employed on "
			    "the contract (FTE) for a year): check it\n"
			    "sv-calc: hr.csv:4: no measure found for 'Litter pick': set it in the profile\n");
	free_result(&r);
}

/* Ensure word matching finds the measure people mean, and none when the
 * words are not the table's or two measures fit as well. */
static void test_suggester(void **state)
{
	(void)state;
	assert_string_equal(suggested("Volunteering hours"), "social.volunteering_hour");
	assert_string_equal(suggested("Volunteers hrs"), "social.volunteering_hour");
	assert_string_equal(suggested("Local staff (FTE)"), "jobs.local_fte");
	assert_string_equal(suggested("Apprentice weeks"), "jobs.apprenticeship_week");
	assert_string_equal(suggested("Apprenticeships"), "jobs.apprenticeship_week");
	assert_string_equal(suggested("Spend with local SMEs"), "growth.sme_spend");
	assert_string_equal(suggested("Careers talks in schools"), "jobs.school_engagement_hour");
	assert_string_equal(suggested("Training courses (Level 3)"), "jobs.training_week");
	assert_string_equal(suggested("VCSE volunteering hours"), "growth.vcse_volunteering_hour");
	assert_string_equal(suggested("Litter pick"), "(none)");
	assert_string_equal(suggested("Staff hours"), "(none)");
	assert_string_equal(suggested("2024"), "(none)");
	assert_string_equal(suggested(""), "(none)");
}

/* Ensure ids written with spaces, dashes or a typo are found, and a short
 * unknown code is not taken for a neighbour ("NT30" is no "NT3"). */
static void test_ids_as_written(void **state)
{
	(void)state;
	struct result r = guess("ids.csv",
				"measure,quantity\n"
				"NT 29,1\n"
				"Local spend,2\n"
				"volunterring,3\n"
				"NT30,4\n");
	assert_int_equal(r.status, SV_OK);
	assert_string_equal(r.json, "{\n"
				    "  \"name\": \"ids\",\n"
				    "  \"measures\": {\n"
				    "    \"NT 29\": \"social.volunteering_hour\",\n"
				    "    \"Local spend\": \"growth.local_spend\",\n"
				    "    \"volunterring\": \"social.volunteering_hour\",\n"
				    "    \"NT30\": \"\"\n"
				    "  }\n"
				    "}\n");
	assert_non_null(strstr(r.notes, "sv-calc: ids.csv:5: no measure found for 'NT30': set it in the profile\n"));
	free_result(&r);
}

/* Ensure Excel serials make a date column only under a date-like name; a
 * tab file whose title line is tab-separated too needs no delimiter. */
static void test_excel_serials(void **state)
{
	(void)state;
	struct result r = guess("xl.tsv",
				"\xEF\xBB\xBFReport: Q1 2024-25\tPrepared by Estates\n"
				"\n"
				"Ref\tPosting Date\tMeasure\tFTE\tValue\n"
				"1001\t45383\tNT1\t2.5\t45383\n"
				"1002\t45384.5\tNT1\t1\t45390\n");
	assert_int_equal(r.status, SV_OK);
	assert_string_equal(r.json, "{\n"
				    "  \"name\": \"xl\",\n"
				    "  \"skip_lines\": 2,\n"
				    "  \"columns\": {\n"
				    "    \"quantity\": \"FTE\",\n"
				    "    \"date\": \"Posting Date\"\n"
				    "  },\n"
				    "  \"dates\": [\"excel-serial\"]\n"
				    "}\n");
	free_result(&r);
}

/* Ensure a title row of two text fields is no header when the rows under
 * it are wider, and blank lines above a header are no notes. */
static void test_header_row(void **state)
{
	(void)state;
	struct result r = guess("t.csv",
				"Social value return,Q1\n"
				"measure,quantity,date\n"
				"NT1,1,2024-04-01\n");
	assert_string_equal(r.json, "{\n  \"name\": \"t\",\n  \"skip_lines\": 1\n}\n");
	free_result(&r);
	r = guess("b.csv", "\n\n,,\nmeasure,quantity\nNT1,1\n");
	assert_string_equal(r.json, "{\n  \"name\": \"b\"\n}\n");
	free_result(&r);
	/* a notes row as wide as the table: the header, all text, follows it */
	r = guess("w.csv", "Supplier:,Acme FM,Period:,Q1\nmeasure,quantity,site,note\nNT1,1,LGI,x\n");
	assert_string_equal(r.json, "{\n  \"name\": \"w\",\n  \"skip_lines\": 1\n}\n");
	free_result(&r);
	/* a notes line with a date in it is not a header either */
	r = guess("d.csv", "Exported,01/05/2024\n\nmeasure;quantity\nNT1;1\n");
	assert_string_equal(r.json,
			    "{\n  \"name\": \"d\",\n  \"skip_lines\": 2,\n  \"delimiter\": \";\"\n}\n");
	free_result(&r);
}

/* Ensure the delimiter is written only when sv-calc would sniff another,
 * and -d is obeyed. */
static void test_delimiter(void **state)
{
	(void)state;
	struct result r = guess("s.csv", "measure;quantity;note\nNT1;1;a, b, c\n");
	assert_string_equal(r.json, "{\n  \"name\": \"s\"\n}\n");
	free_result(&r);
	/* the header has more commas than semicolons: only the rows show ';' */
	r = guess("c.csv", "measure;quantity;\"a,b,c,d\"\nNT1;1;x\nNT2;2;y\n");
	assert_string_equal(r.json, "{\n  \"name\": \"c\"\n}\n");
	free_result(&r);
	r = guess_parts("tab.csv", "measure\tquantity\nNT1\t1\n", 24, NULL, '\t');
	assert_string_equal(r.json, "{\n  \"name\": \"tab\"\n}\n");
	free_result(&r);
	r = guess_parts("forced.csv", "a|measure|quantity\nx|NT1|1\n", 26, NULL, '|');
	assert_string_equal(r.json, "{\n  \"name\": \"forced\",\n  \"delimiter\": \"|\"\n}\n");
	free_result(&r);
}

/* Ensure of several number columns the one named like a quantity is taken,
 * never one named like a reference or a year. */
static void test_quantity_choice(void **state)
{
	(void)state;
	struct result r = guess("q.csv",
				"Invoice No,Year,Code,Spend (\xC2\xA3),Hours,Activity\n"
				"123,2024,77,\"\xC2\xA3" "1,200.00\",7.5,NT29\n"
				"124,2024,78,-,3,NT29\n");
	assert_string_equal(r.json, "{\n"
				    "  \"name\": \"q\",\n"
				    "  \"columns\": {\n"
				    "    \"measure\": \"Activity\",\n"
				    "    \"quantity\": \"Hours\"\n"
				    "  }\n"
				    "}\n");
	free_result(&r);
	/* no quantity-like name: the number column, with its dashes */
	r = guess("q2.csv", "measure,Delivered,Site No\nNT1,-,12\nNT1,4,13\n");
	assert_string_equal(r.json, "{\n"
				    "  \"name\": \"q2\",\n"
				    "  \"columns\": {\n"
				    "    \"quantity\": \"Delivered\"\n"
				    "  },\n"
				    "  \"accounting_zero\": true\n"
				    "}\n");
	free_result(&r);
}

/* Ensure a column named unit or units is mapped, only when named other
 * than "unit". */
static void test_unit_column(void **state)
{
	(void)state;
	struct result r = guess("u.csv", "measure,quantity,Units\nNT1,1,FTE-month\n");
	assert_string_equal(r.json, "{\n  \"name\": \"u\",\n  \"columns\": {\n    \"unit\": \"Units\"\n  }\n}\n");
	free_result(&r);
	r = guess("u2.csv", "measure,quantity,UNIT\nNT1,1,FTE-month\n");
	assert_string_equal(r.json, "{\n  \"name\": \"u2\"\n}\n");
	free_result(&r);
}

/* Ensure a file longer than what is read still has its last row looked
 * at: the totals row comes from the tail. */
static void test_totals_from_tail(void **state)
{
	(void)state;
	const char *head = "Activity,Hours\nNT29,1\nNT29,2\n";
	struct result r = guess_parts("long.csv", head, strlen(head), "NT29,3\nNT29,4\nTotal,10\n\n", 0);
	assert_string_equal(r.json, "{\n"
				    "  \"name\": \"long\",\n"
				    "  \"columns\": {\n"
				    "    \"measure\": \"Activity\",\n"
				    "    \"quantity\": \"Hours\"\n"
				    "  },\n"
				    "  \"ignore\": [\n"
				    "    {\"column\": \"Activity\", \"equals\": [\"Total\"]}\n"
				    "  ]\n"
				    "}\n");
	free_result(&r);
	/* a last line that opens a quote is still read as a row */
	r = guess_parts("open.csv", head, strlen(head), "NT29,3\n\"Total,10\n", 0);
	assert_int_equal(r.status, SV_OK);
	assert_string_equal(r.notes, "");
	free_result(&r);
}

/* Ensure an empty or blank file is a data error with SPEC's message, and a
 * header without records still guesses by names. */
static void test_no_header(void **state)
{
	(void)state;
	struct result r = guess("empty.csv", "");
	assert_int_equal(r.status, SV_EDATA);
	assert_string_equal(r.notes, "sv-calc: empty.csv: no header row (the file is empty or blank)\n");
	free_result(&r);
	r = guess("blank.csv", "\n  \n,,,\n");
	assert_int_equal(r.status, SV_EDATA);
	assert_string_equal(r.notes, "sv-calc: blank.csv: no header row (the file is empty or blank)\n");
	free_result(&r);
	r = guess("h.csv", "Activity,quantity\n");
	assert_int_equal(r.status, SV_OK);
	assert_string_equal(r.json, "{\n  \"name\": \"h\",\n  \"columns\": {\n    \"measure\": \"Activity\"\n  }\n}\n");
	assert_string_equal(r.notes, "");
	free_result(&r);
	r = guess("n.csv", "Site,Team\nLGI,Estates\n");
	assert_string_equal(r.notes, "sv-calc: n.csv: no measure column found: name it in \"columns\" in the profile\n"
				     "sv-calc: n.csv: no quantity column found: name it in \"columns\" in the profile\n");
	free_result(&r);
}

/* Ensure the name comes from the file name, and JSON special characters
 * are escaped. */
static void test_name_and_escaping(void **state)
{
	(void)state;
	struct result r = guess("dir/Acme \"FM\" Export.CSV", "Task\\Item,Hours\nNT1,1\n");
	assert_string_equal(r.json, "{\n"
				    "  \"name\": \"Acme \\\"FM\\\" Export\",\n"
				    "  \"columns\": {\n"
				    "    \"measure\": \"Task\\\\Item\",\n"
				    "    \"quantity\": \"Hours\"\n"
				    "  }\n"
				    "}\n");
	free_result(&r);
	r = guess("-", "measure,quantity\nNT1,1\n");
	assert_string_equal(r.json, "{\n  \"name\": \"stdin\"\n}\n");
	free_result(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_export),
		cmocka_unit_test(test_notes_totals_cp1252),
		cmocka_unit_test(test_free_text),
		cmocka_unit_test(test_suggester),
		cmocka_unit_test(test_ids_as_written),
		cmocka_unit_test(test_excel_serials),
		cmocka_unit_test(test_header_row),
		cmocka_unit_test(test_delimiter),
		cmocka_unit_test(test_quantity_choice),
		cmocka_unit_test(test_unit_column),
		cmocka_unit_test(test_totals_from_tail),
		cmocka_unit_test(test_no_header),
		cmocka_unit_test(test_name_and_escaping),
	};
	return cmocka_run_group_tests(tests, load_builtin, free_table);
}
