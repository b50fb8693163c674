#!/usr/bin/env python3
"""Generate the three scenario examples, and their expected totals.

    python3 examples/gen_scenarios.py

writes, next to this script:

    facilities-contractor/2024-25.csv            a facilities contractor's year
                                                 at an NHS mental health trust
    facilities-contractor/2024-25.expected.txt   its totals by measure
    nhs-trust/2024-25.csv                        an NHS trust's own year
    nhs-trust/2024-25.expected.txt               its totals by programme and measure
    partnership/2024-25.csv                      a partnership's year
    partnership/2024-25.expected.txt             its totals by measure

Each scenario reproduces the counts that a published report gives (see the
README.md in each directory); everything else about the records (FTEs,
weeks, hours, amounts, dates, descriptions) is invented and says so.

As in gen_examples.py: only the standard library, a fixed seed, measure
values read from ../proxies/open-2026.json, and expected totals computed
independently of the generator, by reading each CSV file back, checking
every record against SPEC.md, and summing quantity x value exactly with
decimal.Decimal, rounded to the penny once, half away from zero.
"""

import csv
import datetime
import os
import random
import sys
from decimal import Decimal

sys.dont_write_bytecode = True     # no __pycache__ in examples/
from gen_examples import HERE, load_table, parse_date, parse_qty, money, dec

SEED = 20250331
FY_START = datetime.date(2024, 4, 1)
FY_END = datetime.date(2025, 3, 31)
QUARTER_ENDS = [datetime.date(2024, 6, 30), datetime.date(2024, 9, 30),
                datetime.date(2024, 12, 31), datetime.date(2025, 3, 31)]


def iso(d):
    return d.isoformat()


def dmy(d):
    return "%02d/%02d/%04d" % (d.day, d.month, d.year)


def weeks_between(a, b):
    """Weeks from day a to day b, both included, to the nearest week (a
    quarter is 13 weeks, a financial year 52)."""
    return (((b - a).days + 1) * 2 + 7) // 14


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


# ----------------------------------------------------------------- scenarios


# The 76 sites of the trust: type, how many, local FTE range (in half FTEs).
SITE_TYPES = [
    ("Inpatient hospital", 6, (18, 26)),
    ("Secure and rehabilitation unit", 4, (8, 14)),
    ("Community mental health hub", 24, (1, 3)),
    ("Children and young people's service", 10, (1, 2)),
    ("Older people's day unit", 8, (1, 3)),
    ("Learning disability respite unit", 4, (2, 4)),
    ("Crisis house", 4, (2, 4)),
    ("Office and support base", 16, (1, 2)),
]

FM_APPRENTICESHIPS = [
    ("Facilities Services Operative", 2),
    ("Hospitality Team Member", 2),
    ("Production Chef", 2),
    ("Property Maintenance Operative", 2),
    ("Team Leader or Supervisor", 3),
]

MASTERCLASS_VENUES = ["a community centre", "the Jobcentre Plus office", "a library",
                      "the trust's recovery college", "a community centre"]


def facilities_contractor(rng):
    """A soft FM contractor's year across the 76 sites of an NHS mental
    health trust; DD/MM/YYYY dates and TOMs codes, as the contractor's
    social value return is kept."""
    sites = []
    n = 0
    for kind, count, (lo, hi) in SITE_TYPES:
        for _ in range(count):
            n += 1
            sites.append(("MH%02d" % n, kind, Decimal(rng.randint(lo, hi)) / 2))
    assert len(sites) == 76
    kind_of = {code: kind for code, kind, _ in sites}
    rows = []
    hires = 0

    # Local staff: one row per site and quarter, in FTE-years (an FTE
    # employed all quarter is 0.25).  Now and then a site takes on another
    # local person, half-time.
    for code, kind, fte in sites:
        for qi, qend in enumerate(QUARTER_ENDS):
            new = 0
            if qi > 0 and rng.random() < 0.12:
                new = 1
                fte += Decimal("0.5")
            hires += new
            note = "Q%d: %s FTE local staff (home within 15 miles of the site)" % (qi + 1, dec(fte))
            if new:
                note += "; 1 new local hire, half-time"
            rows.append((qend, code, kind, "NT1", dec(fte / 4), note))

    # Apprentices, at the inpatient hospitals: weeks on programme each
    # quarter; eight on programme all year, four who started in September.
    big = [code for code, kind, _ in sites if kind == "Inpatient hospital"]
    for i in range(1, 13):
        standard, level = rng.choice(FM_APPRENTICESHIPS)
        site = rng.choice(big)
        start = FY_START if i <= 8 else datetime.date(2024, 9, rng.choice([2, 9]))
        qstart = FY_START
        for qi, qend in enumerate(QUARTER_ENDS):
            if start <= qend:
                weeks = min(13, weeks_between(max(start, qstart), qend))
                rows.append((qend, site, kind_of[site], "NT10", str(weeks),
                             "Apprentice FM-%02d, %s (Level %d): %d weeks on programme in Q%d"
                             % (i, standard, level, weeks, qi + 1)))
            qstart = qend + datetime.timedelta(days=1)

    # The lunch club for 60 residents: every Wednesday except Christmas Day
    # and New Year's Day, four catering staff for three hours each, in
    # their own time; the contractor pays for the food (£2.50 a meal).
    sessions = {}
    d = FY_START
    while d <= FY_END:
        if d.weekday() == 2 and (d.month, d.day) not in ((12, 25), (1, 1)):
            rows.append((d, "MH01", kind_of["MH01"], "NT29", "12",
                         "Lunch club for 60 residents at a community centre: "
                         "4 catering staff x 3 h volunteering"))
            key = (d.year, d.month)
            sessions[key] = sessions.get(key, 0) + 1
        d += datetime.timedelta(days=1)
    for (y, m), count in sorted(sessions.items()):
        last = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1))
        cost = Decimal(count * 60) * Decimal("2.50")
        rows.append((last, "MH01", kind_of["MH01"], "NT28", "%.2f" % cost,
                     "Lunch club food: %d sessions x 60 meals x £2.50" % count))

    # Interview-skills masterclasses for local job seekers (including the
    # trust's service users): monthly except August and December, 3 hours,
    # counted in hours of staff time given: a group session has
    # 1 + attendees // 8 staff (worked out, not drawn), each for the 3 hours.
    for m in [4, 5, 6, 7, 9, 10, 11, 1, 2, 3]:
        y = 2024 if m >= 4 else 2025
        d = datetime.date(y, m, rng.randint(8, 24))
        while d.weekday() >= 5:
            d += datetime.timedelta(days=1)
        people = rng.randint(8, 16)
        staff = 1 + people // 8
        site = rng.choice(big)
        rows.append((d, site, kind_of[site], "NT7", str(3 * staff),
                     "Interview-skills masterclass at %s: %d staff x 3 h, %d attendees"
                     % (rng.choice(MASTERCLASS_VENUES), staff, people)))

    rows.sort(key=lambda r: (r[0], r[1]))
    header = ["date", "site", "site_type", "measure", "quantity", "description"]
    out = [[dmy(r[0])] + list(r[1:]) for r in rows]
    return header, out, {"local hires": hires}


TRUST_STANDARDS = [
    # standard, level, weight
    ("Healthcare Support Worker", 2, 3),
    ("Senior Healthcare Support Worker", 3, 4),
    ("Nursing Associate", 5, 4),
    ("Registered Nurse (Mental Health) degree", 6, 3),
    ("Peer Support Worker", 3, 2),
    ("Business Administrator", 3, 2),
    ("Occupational Therapist degree", 6, 1),
    ("Pharmacy Technician", 3, 1),
    ("Team Leader or Supervisor", 3, 1),
    ("Operations or Departmental Manager", 5, 1),
]

VOLUNTEER_ROLES = [
    ("ward befriender", 3), ("gardening group volunteer", 3),
    ("recovery college course co-facilitator", 2), ("reception and welcome volunteer", 4),
    ("peer volunteer on the acute wards", 3), ("activity volunteer at an older people's unit", 3),
    ("hospital radio volunteer", 2), ("chaplaincy volunteer", 2),
]

JOBS = ["retail assistant", "warehouse operative", "care worker", "administrator",
        "kitchen porter", "cleaner", "delivery driver", "customer service adviser",
        "gardener", "barista", "support worker", "bookkeeper", "IT support technician"]

GP_LEVY = [
    # standard, level, pledge (training and assessment costs), how many
    ("Nursing Associate", 5, 15000, 5),
    ("Senior Healthcare Support Worker", 3, 7000, 6),
    ("Pharmacy Technician", 3, 8000, 2),
    ("Business Administrator", 3, 5000, 5),
    ("Customer Service Practitioner", 2, 3500, 2),
    ("Team Leader or Supervisor", 3, 4000, 1),
]


def a_day(rng, lo=FY_START, hi=FY_END):
    return lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))


def nhs_trust(rng):
    """An NHS trust's own year: one row per person (or per GP surgery),
    with a programme column, ISO dates and sv-calc ids."""
    rows = []

    def add(d, programme, partner, mid, qty, desc):
        rows.append((d, programme, partner, mid, qty, desc))

    # 160 apprentices: weeks on programme in 2024/25.  95 on programme all
    # year, 40 who started during it, 25 who completed during it.
    choices = [(s, l) for s, l, w in TRUST_STANDARDS for _ in range(w)]
    for i in range(1, 161):
        standard, level = rng.choice(choices)
        if i <= 95:
            s, e, how = FY_START, FY_END, "on programme all year"
        elif i <= 135:
            s, e = a_day(rng, datetime.date(2024, 5, 1), datetime.date(2025, 2, 28)), FY_END
            how = "started %s" % dmy(s)
        else:
            s, e = FY_START, a_day(rng, datetime.date(2024, 5, 1), datetime.date(2025, 3, 14))
            how = "completed %s" % dmy(e)
        weeks = min(52, weeks_between(s, e))
        add(e, "Apprenticeships", "", "jobs.apprenticeship_week", str(weeks),
            "Apprentice TA-%03d, %s (Level %d), %s: %d weeks in 2024/25"
            % (i, standard, level, how, weeks))

    # 147 volunteer placements: hours given in the year.
    for i in range(1, 148):
        role, per_week = rng.choice(VOLUNTEER_ROLES)
        weeks = rng.randint(6, 46)
        s = a_day(rng, FY_START, FY_END - datetime.timedelta(weeks=weeks))
        e = s + datetime.timedelta(weeks=weeks) - datetime.timedelta(days=1)
        add(e, "Volunteering", "", "social.volunteering_hour", str(per_week * weeks),
            "Volunteer V-%03d, %s: %d h a week for %d weeks" % (i, role, per_week, weeks))

    # 21 work-experience students (record-only): pupil-weeks.
    for i in range(1, 22):
        weeks = rng.choice([1, 1, 1, 2])
        d = a_day(rng, datetime.date(2024, 6, 3), datetime.date(2024, 7, 19))
        add(d, "Work experience", "", "jobs.work_experience_week", str(weeks),
            "Work experience W-%02d: Year 12 student, %d week%s in a clinical or "
            "corporate team" % (i, weeks, "s" if weeks > 1 else ""))

    # Individual placement and support: 1,018 people supported towards
    # work (hours of one-to-one support in the year, valued: one member of
    # staff with each person, so these are staff hours), of whom 207
    # started paid jobs (record-only, FTE of the job).
    jobs = set(rng.sample(range(1, 1019), 207))
    for i in range(1, 1019):
        on_caseload = rng.random() < 0.3
        s = FY_START if on_caseload else a_day(rng, FY_START, datetime.date(2025, 2, 28))
        hours = Decimal(rng.randint(8, 60)) / 2
        add(s, "Individual placement and support", "", "jobs.employability_hour", dec(hours),
            "IPS-%04d: %s; %s h of one-to-one employment support in 2024/25"
            % (i, "on the caseload at 1 April" if on_caseload else "referred by a community "
               "mental health team", dec(hours)))
        if i in jobs:
            per_week = rng.choice(["7.5", "15", "15", "18.75", "22.5", "22.5", "30", "37.5"])
            d = a_day(rng, s + datetime.timedelta(days=21), FY_END) \
                if s + datetime.timedelta(days=21) <= FY_END else FY_END
            add(d, "Individual placement and support", "", "jobs.disabled_hire",
                dec(Decimal(per_week) / Decimal("37.5")),
                "IPS-%04d started paid work as a %s, %s h a week (open employment)"
                % (i, rng.choice(JOBS), per_week))

    # Apprenticeship levy transfer: 21 apprenticeships at 18 GP surgeries,
    # £169,000 in all; 3 surgeries take two apprentices each.
    pledges = [(s, l, p) for s, l, p, k in GP_LEVY for _ in range(k)]
    assert len(pledges) == 21 and sum(p for _, _, p in pledges) == 169000
    rng.shuffle(pledges)
    two = set(rng.sample(range(1, 19), 3))
    n = 0
    for surgery in range(1, 19):
        partner = "GP surgery %02d" % surgery
        mine = [pledges[n]] + ([pledges[n + 1]] if surgery in two else [])
        n += len(mine)
        d = a_day(rng, datetime.date(2024, 5, 1), datetime.date(2024, 9, 30))
        total = sum(p for _, _, p in mine)
        add(d, "Levy transfer to GP surgeries", partner, "social.community_investment",
            "%.2f" % total,
            "Apprenticeship levy transfer to %s: %s" % (partner, "; ".join(
                "%s (Level %d) £%s" % (s, l, "{:,}".format(p)) for s, l, p in mine)))
        for s_, l_, _ in mine:
            start = d + datetime.timedelta(days=rng.randint(30, 120))
            weeks = weeks_between(start, FY_END)
            add(start, "Levy transfer to GP surgeries", partner, "jobs.apprenticeship_week",
                str(weeks), "%s apprentice, %s (Level %d), levy-funded: started %s, %d weeks "
                "in 2024/25" % (partner, s_, l_, dmy(start), weeks))
    assert n == 21

    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    header = ["date", "programme", "partner", "measure", "quantity", "description"]
    return header, [[iso(r[0])] + list(r[1:]) for r in rows], {}


PARTNERSHIP_POSTS = [
    # how many, FTE-years in 2024/25, how the post is described
    (40, "1", "full-time post held all year"),
    (25, "0.5", "half-time post held all year"),
    (22, "0.5", "full-time fixed-term post for six months"),
]


def partnership(rng):
    """A partnership's year: 87 local employment opportunities, two
    apprenticeships, 12 weeks of student nursing placements; ISO dates and
    short aliases."""
    rows = []
    roles = ["healthcare assistant", "domestic assistant", "administrator", "porter",
             "receptionist", "catering assistant", "support worker", "driver"]
    n = 0
    for count, fte, how in PARTNERSHIP_POSTS:
        for _ in range(count):
            n += 1
            if how.endswith("six months"):
                s = datetime.date(2024, rng.choice([4, 5, 6, 7, 8, 9, 10]), 1)
            else:
                s = FY_START
            rows.append((s, "local_job", fte,
                         "Local employment opportunity %02d: %s, %s (resident of the "
                         "partnership area)" % (n, rng.choice(roles), how)))
    for i, (standard, level) in enumerate([("Healthcare Support Worker", 2),
                                           ("Business Administrator", 3)], 1):
        rows.append((FY_START, "apprenticeship", "52",
                     "Apprenticeship %d: %s (Level %d), on programme all year"
                     % (i, standard, level)))
    for i, d in enumerate([datetime.date(2024, 9, 30), datetime.date(2025, 1, 6),
                           datetime.date(2025, 2, 24)], 1):
        rows.append((d, "placement_week", "4",
                     "Student nursing placement %d: second-year mental health nursing "
                     "student, 4 weeks" % i))
    assert n == 87
    rows.sort(key=lambda r: r[0])
    header = ["date", "measure", "quantity", "description"]
    return header, [[iso(r[0])] + list(r[1:]) for r in rows], {}


# ------------------------------------------------------- independent check


def read_back(path, table):
    """Read a scenario file back and check every record against SPEC.md;
    returns (columns, measure) per record."""
    lookup = {}
    for m in table["measures"]:
        for n in [m["id"]] + list(m.get("aliases", [])):
            lookup[n.lower()] = m
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    assert not text.startswith("\ufeff") and "\r" not in text and text.endswith("\n")
    rd = csv.reader(text.splitlines())
    header = next(rd)
    out = []
    for row in rd:
        assert len(row) == len(header), row
        for field in row:
            assert field == field.strip(" \t"), row
        rec = dict(zip(header, row))
        d = parse_date(rec["date"])
        assert FY_START <= d <= FY_END, row
        q = parse_qty(rec["quantity"])
        m = lookup[rec["measure"].lower()]
        rec["_date"], rec["_qty"] = d, q
        out.append((rec, m))
    return out


def expected(records, table, keys):
    """Totals grouped like sv-calc -f csv -b KEYS: measure in table order,
    input columns by byte order of their value."""
    order = {m["id"]: i for i, m in enumerate(table["measures"])}

    def key(rec, m):
        return tuple(m["id"] if k == "measure" else rec[k] for k in keys)

    def sort_key(k):
        return tuple(order[v] if name == "measure" else v.encode("utf-8")
                     for name, v in zip(keys, k))

    n, v, valued = {}, {}, {}
    total = Decimal(0)
    for rec, m in records:
        k = key(rec, m)
        n[k] = n.get(k, 0) + 1
        v.setdefault(k, Decimal(0))
        valued.setdefault(k, False)
        if m["value"] is not None:
            x = rec["_qty"] * Decimal(m["value"])
            v[k] += x
            total += x
            valued[k] = True
    lines = [",".join(keys) + ",records,value"]
    for k in sorted(n, key=sort_key):
        lines.append("%s,%d,%s" % (",".join(k), n[k], money(v[k]) if valued[k] else ""))
    lines.append("TOTAL%s,%d,%s" % ("," * (len(keys) - 1), len(records), money(total)))
    return "\n".join(lines) + "\n"


SCENARIOS = [
    # directory, generator, --by keys of the expected totals
    ("facilities-contractor", facilities_contractor, ["measure"]),
    ("nhs-trust", nhs_trust, ["programme", "measure"]),
    ("partnership", partnership, ["measure"]),
]


def main():
    table = load_table()
    for i, (name, gen, keys) in enumerate(SCENARIOS):
        rng = random.Random(SEED + i)
        header, rows, facts = gen(rng)
        path = os.path.join(HERE, name, "2024-25.csv")
        write(path, header, rows)
        records = read_back(path, table)
        assert len(records) == len(rows)
        text = expected(records, table, keys)
        with open(os.path.join(HERE, name, "2024-25.expected.txt"), "w",
                  encoding="utf-8") as f:
            f.write(text)
        sys.stdout.write("%s: %d records %s\n%s" % (name, len(rows), facts or "", text))
        qty = {}
        for rec, m in records:
            qty[m["id"]] = qty.get(m["id"], Decimal(0)) + rec["_qty"]
        for mid, q in qty.items():
            sys.stdout.write("  quantity of %s: %s\n" % (mid, dec(q)))


if __name__ == "__main__":
    main()
