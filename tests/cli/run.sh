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
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/cli/scratch.sh"
cli_begin "$1"
shift

if [ $# -eq 0 ]; then
	set -- $(ls "$cases")
fi
for name in "$@"; do
	dir=$cases/$name
	[ -f "$dir/cmd" ] || continue
	if [ -n "${SV_VALGRIND:-}" ] && [ -f "$dir/slow" ]; then
		continue
	fi
	cli_scratch "$name"
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
