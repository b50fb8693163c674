import json, sys
from decimal import Decimal
a, b, full = (json.load(open(f)) for f in sys.argv[1:])
ok = (Decimal(a["total"]["value_exact"]) + Decimal(b["total"]["value_exact"]) == Decimal(full["total"]["value_exact"])
      and a["total"]["records"] + b["total"]["records"] == full["total"]["records"])
print("equal" if ok else "differ: %s + %s != %s" % (a["total"], b["total"], full["total"]))
