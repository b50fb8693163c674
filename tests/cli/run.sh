#!/bin/sh
# CLI tests: each directory under tests/cli/cases/ is one case.
#
#   cmd              shell commands, run by sh in a scratch directory that
#                    holds the case's files, ./sv-calc (the binary under
#                    test), and examples/, proxies/ and data/ (tests/data);
#                    $SV_INJECT names the fault shim built beside the binary
#   stdin            optional: standard input (default: none)
#   expected.stdout  exact standard output (missing: must be empty)
#   expected.stderr  exact standard error (missing: must be empty)
#   expected.status  exit status (missing: 0)
#   slow             optional: skipped under valgrind (SV_VALGRIND=1)
#
# Prints "ok NAME" or "FAIL NAME" with a diff per case.
#   sh tests/cli/run.sh path/to/sv-calc [CASE...]
set -u
LC_ALL=C
export LC_ALL
unset SV_CALC_PROXIES
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
# the fault shim built beside the binary, for the fault cases
SV_INJECT=$(dirname "$bin")/inject.so
export SV_INJECT
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
cases=$root/tests/cli/cases
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

if [ $# -eq 0 ]; then
	set -- $(ls "$cases")
fi
for name in "$@"; do
	dir=$cases/$name
	[ -f "$dir/cmd" ] || continue
	if [ -n "${SV_VALGRIND:-}" ] && [ -f "$dir/slow" ]; then
		continue
	fi
	scratch=$work/$name
	mkdir -p "$scratch"
	cp -R "$dir"/. "$scratch"/
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
	input=/dev/null
	[ -f "$dir/stdin" ] && input=$dir/stdin
	(cd "$scratch" && ${CLI_WRAPPER:-} sh ./cmd < "$input" > "$work/$name.out" 2> "$work/$name.err")
	status=$?
	want_status=0
	[ -f "$dir/expected.status" ] && want_status=$(cat "$dir/expected.status")
	ok=1
	for stream in out err; do
		ext=stdout
		[ $stream = err ] && ext=stderr
		want=$dir/expected.$ext
		[ -f "$want" ] || want=/dev/null
		if ! cmp -s "$want" "$work/$name.$stream"; then
			ok=0
			echo "--- $name: $ext differs (expected, actual)"
			diff "$want" "$work/$name.$stream" | head -40
		fi
	done
	if [ "$status" != "$want_status" ]; then
		ok=0
		echo "--- $name: exit status $status, expected $want_status"
	fi
	if [ $ok = 1 ]; then
		echo "ok $name"
	else
		echo "FAIL $name"
	fi
done
