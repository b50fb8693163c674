# 60,000 records written once in order (all.csv), then shuffled and split
# across three files that each write the same records their own way:
# part1.csv as all.csv (LF), part2.csv with the columns in another order
# and CRLF, part3.csv with a byte order mark, ';' as delimiter and every
# field quoted.  Same records, so the same output, byte for byte.
import csv
import random
r = random.Random(20250401)
measures = ["NT1", "nt3", "NT10", "volunteering", "NT18", "local_spend", "NT29",
            "careers", "NT31", "NT5", "training", "JOBS.LOCAL_FTE", "sme_spend"]
sites = ["St James's Hospital", "Leeds General Infirmary", "Seacroft, east", "Chapel \"Allerton\"", "", "=HYPERLINK(1)"]
cols = ["date", "site", "measure", "quantity", "note"]
rows = []
for i in range(60000):
    d = "%04d-%02d-%02d" % (r.choice((2024, 2025)), r.randint(1, 12), r.randint(1, 28))
    if i % 7 == 0:
        d = "%d/%d/%04d" % (r.randint(1, 28), r.randint(1, 12), 2024)
    q = "%d.%04d" % (r.randint(0, 400), r.randint(0, 9999))
    if i % 11 == 0:
        q = "£%d,%03d.5" % (r.randint(1, 99), r.randint(0, 999))
    note = "line one\nline two" if i % 13 == 0 else "n%d" % i
    rows.append({"date": d, "site": r.choice(sites), "measure": r.choice(measures), "quantity": q, "note": note})
with open("all.csv", "w", newline="") as f:
    w = csv.DictWriter(f, cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
r.shuffle(rows)
parts = [rows[0:25000], rows[25000:45000], rows[45000:]]
with open("part1.csv", "w", newline="") as f:
    w = csv.DictWriter(f, cols, lineterminator="\n")
    w.writeheader()
    w.writerows(parts[0])
with open("part2.csv", "w", newline="") as f:
    w = csv.DictWriter(f, ["note", "quantity", "site", "measure", "date"], lineterminator="\r\n")
    w.writeheader()
    w.writerows(parts[1])
with open("part3.csv", "w", newline="", encoding="utf-8-sig") as f:
    w = csv.DictWriter(f, cols, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writeheader()
    w.writerows(parts[2])
