#!/usr/bin/env python3
"""Recompute every rebased value of the open proxy table and compare.

    python3 proxies/research/check-rebased.py [TABLE [DEFLATORS]]

Defaults: proxies/open-2026.json and proxies/gdp-deflators.json, relative
to the repository root (the parent of this script's directory's parent).

For each measure below, the source figure (as read from its publication)
is rebased to the table's price year with the HM Treasury GDP deflators:

    value = source x FY[table year] / index[source year]

where index is the financial-year series for a financial source year and
the calendar series for a calendar one (the two series are taken to meet at
their base, calendar 2024 = 100 = FY 2024-25). The result is rounded half
up to the penny with Decimal arithmetic and must equal the table's value;
the derivation must quote the arithmetic as "S × FY / I = X… → V" (X cut,
not rounded, to 4 places) and say "rounded to the penny". Values native to the table year (hourly
minimum wage x hours) are recomputed the same way. Every priced measure must
be one of these or a £1-per-£1 convention, so that no figure escapes the
check. Also checks at most 4 decimals everywhere, the projections list, and
that ids and aliases are unique regardless of case.

Exits 0 when everything matches, 1 on any mismatch (each one printed), 2
when a file cannot be read.
"""
import json
import os
import sys
from decimal import Decimal, ROUND_DOWN, ROUND_HALF_UP

PENNY = Decimal("0.01")

# id: (source figure, source price year, "fy" or "cal")
REBASED = {
    # ASHE 2025 annual pay: tax year ending 5 April 2025.
    "jobs.local_fte": ("39039", "2024-25", "fy"),
    # GMCA Unit Cost Database v1.4, E&E1.0.1 and E&E10.0.
    "jobs.ltu_hire": ("9234", "2012-13", "fy"),
    "jobs.neet_hire": ("4257", "2010-11", "fy"),
    # ASHE 2025 median hourly pay excluding overtime, April 2025.
    "jobs.employability_hour": ("17.96", "2025-26", "fy"),
    "jobs.school_engagement_hour": ("17.96", "2025-26", "fy"),
    "growth.vcse_volunteering_hour": ("17.96", "2025-26", "fy"),
    "social.volunteering_hour": ("17.96", "2025-26", "fy"),
    # ASHE 2025 Table 2.5a, professional occupations, median gross hourly.
    "growth.expert_advice_hour": ("26.11", "2025-26", "fy"),
    # DESNZ central carbon value, emissions in 2026, 2022 prices.
    "environment.co2e_saved": ("277.22", "2022", "cal"),
}

# id: (hourly rate from 1 April of the table year, hours a week)
NATIVE = {
    "jobs.apprenticeship_week": ("8.00", "30"),
    "jobs.paid_placement_week": ("12.71", "30"),
}


def fy_key(year):
    """'2026/27' or '2026-27' -> '2026-27'."""
    text = str(year)
    if len(text) == 7 and text[4] in "/-" and text[:4].isdigit() and text[5:].isdigit():
        return text[:4] + "-" + text[5:]
    return None


def places(d):
    """Decimal places once trailing zeros are dropped."""
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp)


def fmt_index(d):
    return f"{d:.4f}"


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    table_path = argv[1] if len(argv) > 1 else os.path.join(root, "proxies", "open-2026.json")
    defl_path = argv[2] if len(argv) > 2 else os.path.join(root, "proxies", "gdp-deflators.json")
    try:
        with open(table_path, encoding="utf-8") as f:
            table = json.load(f, parse_float=Decimal, parse_int=Decimal)
        with open(defl_path, encoding="utf-8") as f:
            defl = json.load(f, parse_float=Decimal, parse_int=Decimal)
    except (OSError, ValueError) as e:
        print(f"check-rebased: {e}", file=sys.stderr)
        return 2

    bad = []

    def fail(msg):
        bad.append(msg)

    fy = defl.get("series", {})
    cal = defl.get("calendar_series", {})
    for name, series in (("series", fy), ("calendar_series", cal)):
        for k, v in series.items():
            if not isinstance(v, Decimal) or v <= 0 or places(v) > 4:
                fail(f"{defl_path}: {name} {k}: {v!r} is not an index above 0 with at most 4 decimals")
    for k in defl.get("projections", []):
        if k not in fy:
            fail(f"{defl_path}: projection {k} is not in series")

    target = fy_key(table.get("price_year"))
    if target is None or target not in fy:
        fail(f"{table_path}: table price_year {table.get('price_year')!r} is not a financial year in the deflators")
        target = None
    elif target in defl.get("projections", []):
        print(f"note: the table year {target} deflator ({fmt_index(fy[target])}) is an OBR projection, not a published index level")

    measures = {m["id"]: m for m in table.get("measures", [])}
    seen = {}
    for m in table.get("measures", []):
        for name in [m["id"]] + list(m.get("aliases", [])):
            key = name.lower()
            if key in seen and seen[key] != m["id"]:
                fail(f"{name}: used by {seen[key]} and {m['id']}")
            elif key in seen:
                fail(f"{name}: listed twice in {m['id']}")
            seen[key] = m["id"]

    for mid, m in measures.items():
        v = m.get("value")
        if v is None:
            continue
        if not isinstance(v, Decimal) or places(v) > 4:
            fail(f"{mid}: value {v!r} has more than 4 decimals or is not a number")
            continue
        py = m.get("price_year")
        if py is not None and (target is None or fy_key(py) != target):
            fail(f"{mid}: price_year {py!r} is not the table's {table.get('price_year')!r}")
        if mid in REBASED or mid in NATIVE:
            continue
        lic = m.get("licence", "")
        if v == 1 and lic.startswith("n/a (convention"):
            continue
        fail(f"{mid}: priced at {v} but neither rebased, native nor a £1-per-£1 convention: add it to this script")

    for mid in list(REBASED) + list(NATIVE):
        if mid not in measures:
            fail(f"{mid}: not in {table_path}")

    if target is not None:
        for mid, (src, year, kind) in REBASED.items():
            m = measures.get(mid)
            if m is None:
                continue
            series = fy if kind == "fy" else cal
            if year not in series:
                fail(f"{mid}: no {'financial' if kind == 'fy' else 'calendar'} deflator for {year}")
                continue
            exact = Decimal(src) * fy[target] / series[year]
            want = exact.quantize(PENNY, rounding=ROUND_HALF_UP)
            shown = exact.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
            got = m.get("value")
            status = "ok" if got == want else "MISMATCH"
            print(f"{status:8} {mid}: {src} x {fmt_index(fy[target])} / {fmt_index(series[year])} = {shown}... -> {want} (table {got})")
            if got != want:
                fail(f"{mid}: table has {got}, recomputed {want}")
            text = m.get("derivation", "")
            for piece in (f"{src} × {fmt_index(fy[target])} / {fmt_index(series[year])} = {shown}… → {want}", "rounded to the penny"):
                if piece not in text:
                    fail(f"{mid}: derivation does not say {piece!r}")

    for mid, (rate, hours) in NATIVE.items():
        m = measures.get(mid)
        if m is None:
            continue
        want = (Decimal(rate) * Decimal(hours)).quantize(PENNY, rounding=ROUND_HALF_UP)
        got = m.get("value")
        status = "ok" if got == want else "MISMATCH"
        print(f"{status:8} {mid}: {rate} x {hours} h = {want} (table {got}, native)")
        if got != want:
            fail(f"{mid}: table has {got}, recomputed {want}")
        text = m.get("derivation", "")
        for piece in (f"£{rate} an hour", f"× {hours} hours", f"£{want}"):
            if piece not in text:
                fail(f"{mid}: derivation does not say {piece!r}")

    for msg in bad:
        print(f"check-rebased: {msg}", file=sys.stderr)
    if bad:
        return 1
    print(f"check-rebased: {len(REBASED)} rebased and {len(NATIVE)} native values match")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
