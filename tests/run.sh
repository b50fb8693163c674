#!/bin/sh
# Runs every suite against one or more build directories:
#   sh tests/run.sh build/test build/asan
# For each: the cmocka unit tests ($BUILD/tests/test_*), then the CLI cases
# (tests/cli/cases/*) with $BUILD/sv-calc.  Ends with "N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
unset SV_CALC_PROXIES
root=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0

run_units() {
	build=$1
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		out=$("$t" 2>&1)
		status=$?
		p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		p=${p:-0}
		f=${f:-0}
		if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 # crashed, or a sanitizer stopped it
		fi
		if [ "$f" -ne 0 ]; then
			printf '%s\n' "$out" | sed 's/^/    /'
			echo "FAIL unit $(basename "$t") ($build): $f failed"
		fi
		passed=$((passed + p))
		failed=$((failed + f))
	done
}

run_cli() {
	bin=$1
	sh "$root/tests/cli/run.sh" "$bin" > "$tmp/cli.out" 2>&1
	cat "$tmp/cli.out" | grep -v '^ok ' || true
	p=$(grep -c '^ok ' "$tmp/cli.out")
	f=$(grep -c '^FAIL ' "$tmp/cli.out")
	passed=$((passed + p))
	failed=$((failed + f))
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
for build in "$@"; do
	before_p=$passed
	before_f=$failed
	run_units "$build"
	run_cli "$root/$build/sv-calc"
	echo "$build: $((passed - before_p)) passed, $((failed - before_f)) failed"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
