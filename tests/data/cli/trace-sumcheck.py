# Compare `sv-calc trace` with the default command on the same input and
# options: the exact values of the valued rows must add up, group by group
# and in total, to the value_exact figures of the JSON result, and the rows
# counted in groups (valued and record-only) to its record counts.
# Usage: python3 trace-sumcheck.py [sv-calc options and files]
import json
import subprocess
import sys
from decimal import Decimal

args = sys.argv[1:]
trace = subprocess.run(["./sv-calc", "trace", "-f", "json"] + args, capture_output=True)
total = subprocess.run(["./sv-calc", "-f", "json"] + args, capture_output=True)
if total.returncode != 0:
    print("default command exit %d" % total.returncode)
    sys.exit(1)
rows = json.loads(trace.stdout)
res = json.loads(total.stdout)
keys = res["by"]
sums, counts = {}, {}
status = {"valued": 0, "record-only": 0, "invalid": 0, "filtered": 0}
for r in rows:
    status[r["status"]] += 1
    if r["status"] not in ("valued", "record-only"):
        continue
    k = tuple(r["by_" + key] for key in keys)
    counts[k] = counts.get(k, 0) + 1
    if r["status"] == "valued":
        sums[k] = sums.get(k, Decimal(0)) + Decimal(r["value_exact"])
problems = []
groups = {}
for g in res["groups"]:
    k = tuple(g[key] for key in keys)
    groups[k] = g
    want = sums.get(k)
    got = None if g["value_exact"] is None else Decimal(g["value_exact"])
    if want != got:
        problems.append("group %r: trace %s, total %s" % (k, want, got))
    if counts.get(k) != g["records"]:
        problems.append("group %r: trace %s records, total %s" % (k, counts.get(k), g["records"]))
for k in counts:
    if k not in groups:
        problems.append("group %r only in trace" % (k,))
all_sum = sum(sums.values(), Decimal(0))
if all_sum != Decimal(res["total"]["value_exact"]):
    problems.append("total: trace %s, result %s" % (all_sum, res["total"]["value_exact"]))
c = res["counts"]
if (c["valued"], c["invalid"], c["filtered"]) != (status["valued"] + status["record-only"], status["invalid"], status["filtered"]) or c["read"] != len(rows):
    problems.append("counts: trace %r, result %r" % (status, c))
print("\n".join(problems) if problems else "equal")
