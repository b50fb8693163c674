#!/bin/sh
# Seeds each fuzz target's corpus from the project's own fixtures:
#   sh tests/fuzz/seed.sh CORPUS_DIR path/to/sv-calc
set -eu
dir=$1
bin=$2
mkdir -p "$dir/records" "$dir/reader_diff" "$dir/proxy" "$dir/parsers" "$dir/merge" "$dir/merge2" "$dir/profile"
i=0
for f in examples/*.csv examples/*/*.csv tests/cli/cases/*/*.csv tests/data/cli/*.csv \
	tests/data/csv-spectrum/csvs/*.csv; do
	[ -f "$f" ] || continue
	[ "$(wc -c < "$f")" -le 65536 ] || continue
	i=$((i + 1))
	# the first byte chooses the options; vary it over the seeds
	{ printf "\\$(printf '%03o' $((i % 8)))"; cat "$f"; } > "$dir/records/seed$i"
	cp "$dir/records/seed$i" "$dir/reader_diff/seed$i"
done
for f in proxies/*.json tests/data/*.json tests/cli/cases/*/*.json; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	cp "$f" "$dir/proxy/seed$i"
done
for s in 5 5. .5 37.5 0.0001 '£12' '1,234,567.5' -5 1e3 1,5 2024-02-29 29/2/2024 1/4/2024 \
	2024/25 '2024/25 Q1' 2024-Q2 123.45678901 1.25e-2 1.50000 1.00000000000000000000001 -0 1E-5; do
	i=$((i + 1))
	printf '%s' "$s" > "$dir/parsers/seed$i"
done
# every input that once broke a target stays in its corpus
# profiles (first byte even) and exports to guess from (odd)
for f in examples/exports/*.json tests/cli/cases/*/*profile*.json tests/cli/cases/profile-*/*.json; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	{ printf '\000'; cat "$f"; } > "$dir/profile/seed$i"
done
for f in examples/exports/*.csv examples/q1-2024-25.csv tests/cli/cases/profile-guess-*/*.csv; do
	[ -f "$f" ] || continue
	[ "$(wc -c < "$f")" -le 65536 ] || continue
	i=$((i + 1))
	{ printf '\001'; cat "$f"; } > "$dir/profile/seed$i"
done
for t in records reader_diff proxy parsers merge merge2 profile; do
	for f in tests/fuzz/regressions/$t/*; do
		[ -f "$f" ] && cp "$f" "$dir/$t/regression-$(basename "$f")"
	done
done
"$bin" -f json examples/q1-2024-25.csv > "$dir/merge/q1.json"
"$bin" -f json -b measure,fq,site examples/q2-2024-25.csv > "$dir/merge/q2.json"
"$bin" -f json -p tests/data/small.json --skip-invalid tests/data/cli/mixed.csv > "$dir/merge/mixed.json" 2>/dev/null || true
# merge2: an options byte, then two results split at a 0xFF byte (see
# fuzz_merge2.c): results that merge, overlap, disagree or were edited
"$bin" -f json -b measure,fq,site -o "$dir/merge2/q2.json" examples/q2-2024-25.csv
"$bin" -f json -b measure,fq,site -o "$dir/merge2/q3.json" examples/q3-2024-25.csv
"$bin" -f json -o "$dir/merge2/t2.json" examples/q2-2024-25.csv
"$bin" -f json -o "$dir/merge2/t3.json" examples/q3-2024-25.csv
"$bin" merge -f json -o "$dir/merge2/t23.json" "$dir/merge2/t2.json" "$dir/merge2/t3.json"
seed2() { # MODE FILE_A FILE_B NAME
	{ printf "\\$(printf '%03o' "$1")"; cat "$2"; printf '\377'; cat "$3"; } > "$dir/merge2/$4"
}
seed2 0 "$dir/merge2/t2.json" "$dir/merge2/t3.json" seed-theme
seed2 1 "$dir/merge2/q2.json" "$dir/merge2/q3.json" seed-three
seed2 0 "$dir/merge2/t23.json" "$dir/merge2/t3.json" seed-overlap
seed2 2 "$dir/merge2/t23.json" "$dir/merge2/t3.json" seed-allow
seed2 4 "$dir/merge2/t2.json" "$dir/merge2/t3.json" seed-twice
seed2 0 "$dir/merge2/q2.json" "$dir/merge2/t3.json" seed-other-by
sed 's/"value_exact": "[0-9]*/&1/' "$dir/merge2/t2.json" > "$dir/merge2/edited.json"
seed2 0 "$dir/merge2/edited.json" "$dir/merge2/t3.json" seed-edited
rm -f "$dir/merge2/"*.json
