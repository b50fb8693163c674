# Sourced by run.sh and bless.sh: the environment and scratch directory of
# a CLI case, the same for running one and for rewriting its expectations.
#   cli_begin path/to/sv-calc     sets bin, root, cases, work (removed at exit)
#   cli_scratch NAME              makes $work/NAME: the case's files,
#                                 ./sv-calc, examples/, proxies/, data/
LC_ALL=C
export LC_ALL
unset SV_CALC_PROXIES

cli_begin()
{
	bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	# the fault shim built beside the binary, for the fault cases
	SV_INJECT=$(dirname "$bin")/inject.so
	export SV_INJECT
	cases=$root/tests/cli/cases
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT INT TERM
}

cli_scratch()
{
	scratch=$work/$1
	mkdir -p "$scratch"
	cp -R "$cases/$1"/. "$scratch"/
	if [ -n "${SV_VALGRIND:-}" ]; then
		# memcheck on sv-calc only, not on the shell or python of the case
		printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible "%s" "$@"\n' "$bin" > "$scratch/sv-calc"
		chmod +x "$scratch/sv-calc"
	else
		ln -s "$bin" "$scratch/sv-calc"
	fi
	ln -s "$root/examples" "$scratch/examples"
	ln -s "$root/proxies" "$scratch/proxies"
	ln -s "$root/tests/data" "$scratch/data"
}
