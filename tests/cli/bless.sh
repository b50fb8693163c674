#!/bin/sh
# Rewrites the expected files of CLI cases from what the binary does now:
#   sh tests/cli/bless.sh path/to/sv-calc CASE...
# Review `git diff tests/cli/cases` afterwards: every changed line is a
# change of behaviour someone must be able to explain.
set -u
LC_ALL=C
export LC_ALL
unset SV_CALC_PROXIES
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SV_INJECT=$(dirname "$bin")/inject.so
export SV_INJECT
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
cases=$root/tests/cli/cases
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
for name in "$@"; do
	dir=$cases/$name
	[ -f "$dir/cmd" ] || continue
	scratch=$work/$name
	mkdir -p "$scratch"
	cp -R "$dir"/. "$scratch"/
	ln -s "$bin" "$scratch/sv-calc"
	ln -s "$root/examples" "$scratch/examples"
	ln -s "$root/proxies" "$scratch/proxies"
	ln -s "$root/tests/data" "$scratch/data"
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
