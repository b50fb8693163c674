#!/bin/sh
# make bench: sv-calc against a raw libcsv parse of the same files.
#   sh tests/bench/run.sh BUILD_DIR SIZES...    (sizes like 100K 1M 10M)
# Prints, per file: MB, rows, the raw libcsv parse time, sv-calc's time
# with one thread and with one per CPU, their MB/s and rows/s, peak RSS,
# and the ratios.  Timings are medians of several runs (hyperfine when
# installed); the machine is shared, so only ratios from one run count.
set -eu
build=$1
shift
dir=$build/bench
mkdir -p "$dir"
cc -O2 -o "$dir/gen" tests/bench/gen.c
cc -O2 -o "$dir/libcsv_raw" tests/bench/libcsv_raw.c -lcsv
bin=./sv-calc
cpus=$(getconf _NPROCESSORS_ONLN)

rows_of() {
	case $1 in
	*K) echo $((${1%K} * 1000)) ;;
	*M) echo $((${1%M} * 1000000)) ;;
	*) echo "$1" ;;
	esac
}

# median wall time of a command, in seconds
timed() {
	if command -v hyperfine > /dev/null 2>&1; then
		hyperfine -N --warmup 1 --runs "$runs" --export-json "$dir/h.json" "$*" > /dev/null 2>&1
		sed -n 's/.*"median": *\([0-9.]*\).*/\1/p' "$dir/h.json" | head -1
	else
		for i in $(seq "$runs"); do
			/usr/bin/time -f %e -o "$dir/t.$i" "$@" > /dev/null 2>&1
		done
		cat "$dir"/t.* | sort -n | sed -n "$(((runs + 1) / 2))p"
		rm -f "$dir"/t.*
	fi
}

peak_kb() {
	/usr/bin/time -f %M -o "$dir/rss" "$@" > /dev/null 2>&1
	cat "$dir/rss"
}

printf '%-5s %8s %11s %8s %8s %8s %9s %11s %8s %9s %9s\n' size MB rows raw_s j1_s "j${cpus}_s" j1_MB/s j1_rows/s RSS_KB j1/raw "j${cpus}/j1"
for size in "$@"; do
	rows=$(rows_of "$size")
	file=$dir/records-$size.csv
	[ -f "$file" ] || "$dir/gen" "$rows" > "$file"
	cat "$file" > /dev/null
	bytes=$(wc -c < "$file")
	runs=5
	[ "$rows" -ge 5000000 ] && runs=3
	raw=$(timed "$dir/libcsv_raw" "$file")
	one=$(timed "$bin" -j 1 -f csv "$file")
	all=$(timed "$bin" -j "$cpus" -f csv "$file")
	rss=$(peak_kb "$bin" -j "$cpus" -f csv "$file")
	awk -v s="$size" -v b="$bytes" -v r="$rows" -v raw="$raw" -v one="$one" -v all="$all" -v rss="$rss" 'BEGIN {
		mb = b / 1e6
		printf "%-5s %8.1f %11d %8.3f %8.3f %8.3f %9.0f %11.0f %8d %8.2fx %8.2fx\n",
			s, mb, r, raw, one, all, mb / one, r / one, rss, raw / one, one / all }'
done
"$bin" -j 1 -f csv "$dir/records-$size.csv" > "$dir/one.csv"
"$bin" -j "$cpus" -f csv "$dir/records-$size.csv" > "$dir/all.csv"
cmp -s "$dir/one.csv" "$dir/all.csv" && echo "output identical for -j 1 and -j $cpus" || { echo "OUTPUT DIFFERS between -j 1 and -j $cpus"; exit 1; }
