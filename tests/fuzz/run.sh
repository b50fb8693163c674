#!/bin/sh
# Runs each fuzz target for a while on its corpus and reports executions:
#   sh tests/fuzz/run.sh BUILD_DIR SECONDS TARGET...
# SECONDS 0 is the smoke run of make test: a fixed seed and a fixed number
# of runs per target, so that CI on a fresh clone is repeatable.
# Fails if a target finds a crash or breaks an invariant.
set -u
build=$1
seconds=$2
shift 2
status=0
total=0
for t in "$@"; do
	log=$build/fuzz_$t.log
	mkdir -p "$build/corpus/$t" "$build/crashes"
	if [ "$seconds" = 0 ]; then
		case $t in
		records) budget="-runs=1500" ;;
		reader_diff | merge | merge2) budget="-runs=10000" ;;
		proxy) budget="-runs=50000" ;;
		profile) budget="-runs=20000" ;;
		*) budget="-runs=500000" ;;
		esac
		budget="$budget -seed=1"
	else
		budget="-max_total_time=$seconds"
	fi
	"$build/fuzz_$t" $budget -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
		-artifact_prefix="$build/crashes/${t}-" -print_final_stats=1 \
		"$build/corpus/$t" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	runs=${runs:-0}
	total=$((total + runs))
	if [ $rc -ne 0 ]; then
		status=1
		echo "FAIL fuzz_$t after $runs executions:"
		grep -A20 -E 'ERROR|invariant failed|deadly signal' "$log" | head -40
	else
		echo "ok fuzz_$t: $runs executions, $cov"
	fi
done
echo "fuzz: $total executions in all"
exit $status
