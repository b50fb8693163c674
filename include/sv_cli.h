/*
 * sv_cli.h - the program: argv in, exit status out.
 */
#ifndef SV_CLI_H
#define SV_CLI_H

#include "sv_status.h"

#define SV_VERSION "0.1.0"

/* Runs sv-calc; the result is the exit status. */
enum sv_status sv_cli_run(int argc, char **argv);

#endif
