#!/bin/sh
# Rewrites the expected files of CLI cases from what the binary does now:
#   sh tests/cli/bless.sh path/to/sv-calc CASE...
# Review `git diff tests/cli/cases` afterwards: every changed line is a
# change of behaviour someone must be able to explain.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/cli/scratch.sh"
cli_begin "$1"
shift
for name in "$@"; do
	dir=$cases/$name
	[ -f "$dir/cmd" ] || continue
	cli_scratch "$name"
	input=/dev/null
	[ -f "$dir/stdin" ] && input=$dir/stdin
	(cd "$scratch" && sh ./cmd < "$input" > "$work/out" 2> "$work/err")
	status=$?
	for stream in out err; do
		ext=stdout
		[ $stream = err ] && ext=stderr
		if [ -s "$work/$stream" ]; then
			cp "$work/$stream" "$dir/expected.$ext"
		else
			rm -f "$dir/expected.$ext"
		fi
	done
	if [ $status -ne 0 ]; then
		echo $status > "$dir/expected.status"
	else
		rm -f "$dir/expected.status"
	fi
	echo "blessed $name ($status)"
done
