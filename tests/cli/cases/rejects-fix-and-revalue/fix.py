# What a user does in a spreadsheet: correct the rejected cells, keep the rest.
import csv, sys
fixes = {
    ("a.csv", "3"): {"quantity": "12.5"},
    ("a.csv", "4"): {"measure": "NT9"},
    ("b.csv", "2"): {"quantity": "1.5"},
    ("b.csv", "4"): {"quantity": "3"},
}
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
out = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()), lineterminator="\n")
out.writeheader()
for r in rows:
    r.update(fixes.pop((r["source_file"], r["source_line"])))
    out.writerow(r)
assert not fixes, fixes
