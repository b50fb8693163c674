#!/bin/sh
# The yearly job with sv-calc, on the example quarters of 2024/25.
#
# Each quarter, as its export arrives, value it and keep the JSON result:
# a result keeps every group's exact gross and records per measure, so the
# year's figures can be worked out later for any options, exactly as if
# all four exports were valued in one run.  At year end, merge the
# results into the annual report figures.
#
#   sh examples/annual-report.sh [DIR]      results go to DIR (default: annual-2024-25)
#   SV_CALC=./sv-calc sh examples/annual-report.sh
set -eu
sv=${SV_CALC:-sv-calc}
here=$(dirname "$0")
out=${1:-annual-2024-25}
mkdir -p "$out"

# Quarter by quarter: keep results by site, financial quarter and measure,
# the finest breakdown the report will ask for (theme and value type come
# from the measure).
for q in 1 2 3 4; do
	"$sv" -q -f json -b site,fq,measure -o "$out/q$q.json" "$here/q$q-2024-25.csv"
done
quarters="$out/q1.json $out/q2.json $out/q3.json $out/q4.json"

# merge groups by the results' keys unless -b says otherwise
echo "== The year by theme"
"$sv" merge -b theme $quarters

echo "== Against the contract's commitments, measure by measure"
"$sv" merge -b measure --targets "$here/annual/targets-2024-25.csv" $quarters

echo "== Per pound spent, per site"
"$sv" merge -b site --spend-file "$here/annual/spend-2024-25.csv" $quarters

echo "== Net of 20% deadweight and 10% attribution, in 2025/26 prices"
"$sv" merge -b theme --deadweight 0.2 --attribution 0.1 --price-year 2025/26 $quarters

echo "== The second half against the first"
"$sv" merge -b theme -f json -o "$out/h1.json" "$out/q1.json" "$out/q2.json"
"$sv" merge -b theme --compare "$out/h1.json" "$out/q3.json" "$out/q4.json"

echo "== Quarter by quarter (a spreadsheet's columns)"
"$sv" merge -f csv -b fq $quarters

echo "== The sentence for the annual report"
"$sv" merge -b theme -f headline $quarters
"$sv" merge -f json -o "$out/fy-2024-25.json" $quarters
echo "(the year's result is in $out/fy-2024-25.json: next year, --compare $out/fy-2024-25.json)"
