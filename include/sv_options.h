/*
 * sv_options.h - the command line, parsed once into struct sv_options.
 *
 * One table describes every option: the parser, the per-command checks and
 * --help are all driven by it, so they cannot disagree.
 */
#ifndef SV_OPTIONS_H
#define SV_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sv_format.h"
#include "sv_group.h"
#include "sv_status.h"

struct sv_input_settings;

enum sv_command { SV_CMD_VALUE, SV_CMD_CHECK, SV_CMD_TRACE, SV_CMD_PROXIES, SV_CMD_MERGE, SV_CMD_IMPORT,
		   SV_CMD_SHOW, SV_CMD_TABLE_CHECK, SV_CMD_GUESS };

struct sv_options {
	enum sv_command command;
	const char *proxies; /* -p; NULL: environment or built-in */
	enum sv_format format;
	bool format_given;
	long jobs;           /* -j; 0: one per CPU */
	bool raw;            /* --raw: no formula guard in csv/tsv */
	bool bom;            /* --bom: csv/tsv start with a UTF-8 byte order mark */
	bool allow_identical; /* --allow-identical-inputs */
	bool cp1252;         /* --encoding windows-1252 */
	long max_errors;     /* record problems shown; -1: all */
	bool quiet;          /* -q: no progress line */
	bool no_bars;        /* --no-bars */
	/* --map: the input columns that hold these fields (NULL: by name) */
	const char *map_measure, *map_quantity, *map_date, *map_unit;
	char *map_owned[4];  /* copies from --map-file */
	const char **map_files; /* every --map-file read, for the output checks */
	size_t n_map_files;
	const char *profile;     /* --profile FILE: for every input */
	const char *inputs_list; /* --inputs LIST.csv */
	/* Set from the list (sv_profile.h): the profiles it names, for the
	 * output checks, and what applies to each file of files (NULL: no
	 * profile or list; one entry for standard input when files is empty). */
	const char *const *profile_files;
	size_t n_profile_files;
	const struct sv_input_settings *settings;
	int price_year;         /* --price-year; 0: the table's prices */
	const char *deflators;  /* --deflators FILE */
	bool has_adjust[4];     /* --deadweight ... --drop-off given */
	int64_t adjust[4];      /* dec4 fractions */
	unsigned duration_years; /* --duration-years; 0: the table's */
	int64_t discount_rate;  /* dec4; default 0.035 */
	const char *targets;    /* --targets FILE */
	const char *compare;    /* --compare FILE.json */
	const char *spend_file; /* --spend-file FILE */
	bool has_spend;         /* --spend AMOUNT */
	sv_amount spend;
	const char *output;  /* -o: NULL for stdout */
	const char *rejects; /* --rejects FILE */
	const char *table_name;    /* proxies import --name */
	const char *table_version; /* proxies import --table-version */
	const char *measure_id;    /* proxies show ID */
	struct sv_key_spec keys[SV_MAX_KEYS];
	const char *key_names[SV_MAX_KEYS]; /* as they appear in output headers */
	size_t n_keys;
	bool has_from, has_to;
	int32_t from, to; /* YYYYMMDD */
	bool skip_invalid;
	int delimiter; /* 0: detect */
	bool help, version;
	const char **files; /* "-" is standard input */
	size_t n_files;
	char *by_text; /* owned copy of the last --by, which keys point into */
	char *key_name_owned[SV_MAX_KEYS]; /* "column:NAME" names made for clashes */
};

/* The name a subcommand is invoked by ("" for the default command). */
const char *sv_command_name(enum sv_command cmd);

/*
 * Parses argv.  On a usage error prints one line and the "Try" hint to the
 * diagnostics stream and returns SV_EUSAGE.  The options borrow argv.
 */
enum sv_status sv_options_parse(struct sv_options *o, int argc, char **argv);
void sv_options_free(struct sv_options *o);

/* Prints the help of a command, generated from the option table. */
void sv_options_help(FILE *out, enum sv_command cmd);

/* Parses a --by value into keys; false (after reporting) on a bad value. */
bool sv_parse_by(struct sv_options *o, const char *text);

#endif
