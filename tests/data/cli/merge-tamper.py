# Edit an sv-calc JSON result the way a person (or a broken script) might,
# for the cases that check merge refuses it.  Where an edit says
# "adjusted", the total and counts are edited to match, so that only the
# check under test can catch it.
# Usage: python3 merge-tamper.py EDIT RESULT.json > EDITED.json
import json
import sys
from decimal import Decimal, ROUND_HALF_UP

edit, path = sys.argv[1], sys.argv[2]
r = json.load(open(path, encoding="utf-8"))
groups, total, counts = r["groups"], r["total"], r["counts"]


def pence(d):
    return str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def set_exact(obj, d):
    obj["value_exact"] = str(d)
    obj["value"] = pence(d)


def add_to_total(records, value):
    total["records"] += records
    counts["valued"] += records
    counts["read"] += records
    set_exact(total, Decimal(total["value_exact"]) + value)


if edit == "value-exact":  # the exact sum, its rounded figure unchanged
    groups[0]["value_exact"] = str(Decimal(groups[0]["value_exact"]) + Decimal("0.001"))
elif edit == "negative-adjusted":
    g = groups[1]
    v = Decimal(g["value_exact"])
    set_exact(g, -v)
    add_to_total(0, -2 * v)
elif edit == "records":
    groups[0]["records"] += 1
elif edit == "records-adjusted":
    groups[0]["records"] += 1
    total["records"] += 1
elif edit == "counts":
    counts["read"] += 1
elif edit == "duplicate-adjusted":
    g = dict(groups[0])
    groups.append(g)
    add_to_total(g["records"], Decimal(g["value_exact"]))
elif edit == "delete":
    del groups[-1]
elif edit == "value":  # the printed figure only
    groups[0]["value"] = pence(Decimal(groups[0]["value"]) + 100)
elif edit == "total-value":
    total["value"] = pence(Decimal(total["value"]) - Decimal("0.01"))
elif edit == "record-only-no-records":
    g = next(g for g in groups if g["value"] is None)
    total["records"] -= g["records"]
    counts["valued"] -= g["records"]
    counts["read"] -= g["records"]
    g["records"] = 0
elif edit == "half-null":
    g = next(g for g in groups if g["value"] is None)
    g["value_exact"] = "0.00"
elif edit == "string-count":
    counts["read"] = str(counts["read"])
elif edit == "number-value":
    groups[0]["value"] = float(groups[0]["value"])
elif edit == "no-sha256":
    del r["inputs"][0]["sha256"]
elif edit == "unknown-theme":
    groups[0]["theme"] = "jobz"
else:
    sys.exit("unknown edit " + edit)
json.dump(r, sys.stdout, ensure_ascii=False, indent=1)
print()
