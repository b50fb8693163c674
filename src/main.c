/*
 * main.c - sv-calc, a social value calculator.
 */
#include "sv_cli.h"

int main(int argc, char **argv)
{
	return (int)sv_cli_run(argc, argv);
}
