#!/usr/bin/env python3
"""Generate the example quarterly exports in this directory, and their
expected per-theme totals.

    python3 examples/gen_examples.py

writes, next to this script:

    q1-2024-25.csv            April-June 2024
    q2-2024-25.csv            July-September 2024
    q3-2024-25.csv            October-December 2024 (Excel: ';', BOM, CRLF, DD/MM/YYYY)
    q4-2024-25.csv            January-March 2025 (TOMs codes as measures)
    qN-2024-25.expected.txt   exact per-theme totals of each quarter's file
    fy-2024-25.expected.txt   exact totals of the four files together, by
                              financial quarter (sv-calc -b fq)
    fy-2024-25.themes.expected.txt
                              the same, by theme (sv-calc, or sv-calc merge
                              of the four quarters' JSON results)

The four quarters are generated in order from one random generator, so
adding Q3 and Q4 left the Q1 and Q2 files byte for byte as they were.
Each file is written in its own export dialect (see DIALECTS below).

The records are invented but modelled on what an NHS trust's facilities
partner reports each quarter: local staff by team, new starters from
disadvantaged groups, apprentices, placements, school and employability
sessions, staff volunteering, spend with local suppliers, community
donations and carbon savings.  Measures are written the way real exports
write them: TOMs codes, short aliases and sv-calc ids, in mixed letter case.

Only the standard library is used and the random generator has a fixed
seed, so running the script again gives the same bytes.  The measure names
and values are read from ../proxies/open-2026.json.

The expected totals are computed independently of the generator: each CSV
file is read back with the csv module, every field is checked against the
rules of SPEC.md, and quantity x value is summed with decimal.Decimal and
rounded to the penny once, half away from zero.
"""

import csv
import datetime
import json
import os
import random
import re
import sys
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, os.pardir, "proxies", "open-2026.json")
SEED = 20240401

SITES = [
    # name, relative size (scales team sizes)
    ("St James's Hospital", Decimal("1.0")),
    ("Leeds General Infirmary", Decimal("0.9")),
    ("Chapel Allerton Hospital", Decimal("0.45")),
    ("Seacroft Hospital", Decimal("0.3")),
    ("Wharfedale Hospital", Decimal("0.25")),
]
SITE_NAMES = [s for s, _ in SITES]

QUARTERS = {
    "q1-2024-25": (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)),
    "q2-2024-25": (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30)),
    "q3-2024-25": (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
    "q4-2024-25": (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),
}

# How each file is written, the way different systems export it.
#   delimiter  field separator
#   bom        start the file with a UTF-8 byte order mark
#   newline    line terminator
#   dates      "mixed": mostly ISO, some DD/MM/YYYY and D/M/YYYY;
#              "dmy": DD/MM/YYYY throughout; "iso": YYYY-MM-DD throughout
#   measures   "mixed": TOMs codes, aliases and ids in mixed letter case;
#              "toms": the measure's National TOMs code (NT1, NT10, ...)
#              wherever the table gives it one, else the sv-calc id
MIXED = dict(delimiter=",", bom=False, newline="\n", dates="mixed", measures="mixed")
DIALECTS = {
    "q1-2024-25": MIXED,
    "q2-2024-25": MIXED,
    # Excel's "CSV UTF-8" on a PC whose list separator is ';': a BOM, CRLF
    # line ends, dates as DD/MM/YYYY.  Decimal points stay '.' (SPEC.md
    # has no decimal comma).
    "q3-2024-25": dict(delimiter=";", bom=True, newline="\r\n", dates="dmy", measures="mixed"),
    # A social value portal's export: TOMs codes, ISO dates.
    "q4-2024-25": dict(delimiter=",", bom=False, newline="\n", dates="iso", measures="toms"),
}

# Quantity grammar of SPEC.md: optional pound sign, digits (optionally in
# comma-separated groups of three), optional fraction of up to 4 digits.
QTY_RE = re.compile(r"^(?:£)?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{0,4})?|\.\d{1,4})$")
ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def load_table():
    with open(TABLE, encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal, parse_int=Decimal)


# ---------------------------------------------------------------- generator


def toms_code(m):
    """The first National TOMs code among a measure's aliases, or None."""
    for a in m.get("aliases", []):
        if re.match(r"^NT\d+$", a):
            return a
    return None


class Gen:
    def __init__(self, table, rng, dialect=MIXED):
        self.rng = rng
        self.dialect = dialect
        self.names = {}
        self.toms = {}
        for m in table["measures"]:
            self.names[m["id"]] = [m["id"]] + list(m.get("aliases", []))
            self.toms[m["id"]] = toms_code(m) or m["id"]
        self.quoted_once = False

    # How a person typing into a spreadsheet writes the measure.
    def spell(self, mid):
        if self.dialect["measures"] == "toms":
            return self.toms[mid]
        r = self.rng
        forms = self.names[mid]
        codes = [a for a in forms if re.match(r"^NT\d+$", a)]
        friendly = [a for a in forms[1:] if a not in codes]
        x = r.random()
        if codes and x < 0.5:
            name = r.choice(codes)
        elif friendly and x < 0.8:
            name = r.choice(friendly)
        else:
            name = mid
        y = r.random()
        if y < 0.15:
            return name.lower()
        if y < 0.25:
            return name.upper()
        if y < 0.30:
            return name.title()
        return name

    def date(self, d):
        if self.dialect["dates"] == "dmy":
            return "%02d/%02d/%04d" % (d.day, d.month, d.year)
        if self.dialect["dates"] == "iso":
            return d.isoformat()
        x = self.rng.random()
        if x < 0.82:
            return d.isoformat()
        if x < 0.95:
            return "%02d/%02d/%04d" % (d.day, d.month, d.year)
        return "%d/%d/%04d" % (d.day, d.month, d.year)

    def day(self, q):
        start, end = q
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def weekday(self, q):
        while True:
            d = self.day(q)
            if d.weekday() < 5:
                return d

    def money(self, lo, hi, pennies=True):
        """A pound amount between lo and hi, written as an export would."""
        r = self.rng
        pence = r.randrange(lo * 100, hi * 100 + 1)
        if not pennies or r.random() < 0.3:
            pence -= pence % 100
        amt = Decimal(pence) / 100
        whole, frac = divmod(pence, 100)
        grouped = "{:,}".format(whole)
        style = r.random()
        if style < 0.35:
            s = "%s.%02d" % (grouped, frac)          # 12,500.00
        elif style < 0.55:
            s = "%d.%02d" % (whole, frac)            # 12500.00
        elif style < 0.75:
            s = "£%s.%02d" % (grouped, frac)         # £12,500.00
        elif frac == 0:
            s = "%d" % whole                         # 12500
        else:
            s = "%d.%d" % (whole, frac // 10) if frac % 10 == 0 else "%d.%02d" % (whole, frac)
        return s, amt


def dec(x):
    """Shortest plain decimal text for a Decimal (no exponent)."""
    s = format(x.normalize(), "f")
    return s


SERVICES = [
    # service, base FTE at the largest site
    ("Domestic services", 24),
    ("Catering", 12),
    ("Portering", 12),
    ("Estates maintenance", 6),
]

ROLES = ["domestic assistant", "catering assistant", "porter", "housekeeper",
         "ward hostess", "estates labourer", "linen room assistant",
         "hospital shop assistant", "car park attendant"]

HIRE_GROUPS = [
    # measure, rows per quarter (min, max), how the person was found
    ("jobs.ltu_hire", (4, 7), [
        "referred by Jobcentre Plus after {m} months out of work",
        "found through the Leeds employment and skills hub after {m} months out of work",
        "sector-based work academy graduate ({m} months unemployed)"]),
    ("jobs.neet_hire", (3, 6), [
        "aged {a} and NEET when referred by the youth employment hub",
        "aged {a} and joined from a pre-employment course for NEET young people"]),
    ("jobs.disabled_hire", (2, 4), [
        "Disability Confident guaranteed interview scheme",
        "supported by an individual placement and support (IPS) worker"]),
    ("jobs.care_leaver_hire", (1, 2), [
        "aged {a} and referred by the council's leaving care team"]),
    ("jobs.ex_offender_hire", (1, 2), [
        "recruited through a probation employment scheme"]),
    ("jobs.veteran_hire", (1, 2), [
        "armed forces veteran referred by a veterans' employment charity"]),
]

STANDARDS = [
    ("Facilities Services Operative", 2),
    ("Hospitality Team Member", 2),
    ("Production Chef", 2),
    ("Maintenance and Operations Engineering Technician", 3),
    ("Customer Service Practitioner", 2),
    ("Team Leader or Supervisor", 3),
    ("Business Administrator", 3),
    ("Facilities Management Supervisor", 3),
]

SECONDARY = ["a secondary school in LS14", "an academy in LS9", "a secondary school in LS21",
             "a high school in LS29"]
SIXTH_FORM = ["a sixth form college in LS2", "a sixth form in LS29"]
COLLEGE = "Leeds City College"
UNIVERSITY = "Leeds Beckett University"

SCHOOL_SESSIONS = [
    # what, who it is for
    ("Careers talk to Year 10", SECONDARY),
    ("Careers fair", SECONDARY + SIXTH_FORM + [COLLEGE]),
    ("Mock interviews for Year 11", SECONDARY),
    ("Site tour for sixth formers", SIXTH_FORM),
    ("Curriculum support: hospitality module", [COLLEGE]),
    ("Guest lecture on hospital facilities management", [UNIVERSITY]),
    ("'People who help us' assembly", ["a primary school in LS8", "a primary school in LS14"]),
]

PLACEMENTS = [
    ("T Level Catering placement", COLLEGE),
    ("T Level Maintenance, Installation and Repair placement", COLLEGE),
    ("Facilities management degree placement", UNIVERSITY),
    ("Hospitality management student placement", UNIVERSITY),
    ("Supported internship taster", "a special school in LS7"),
]

VOLUNTEERING = [
    "litter pick around the hospital grounds",
    "sorting donations at a food bank in LS14",
    "gardening at the hospital wellbeing garden",
    "decorating a community centre in Seacroft",
    "reading volunteers at a primary school in LS8",
    "marshalling the hospital charity fun run",
    "packing winter care boxes for rough sleepers",
    "helping at a Harehills community cafe",
    "befriending calls to isolated older patients",
    "repairing bikes for a community bike library",
]

LOCAL_SUPPLIERS = [
    "Leeds-based window cleaning contractor", "LS11 fresh produce wholesaler",
    "Wakefield Road skip hire firm", "Otley bakery", "Leeds electrical contractor",
    "Kirkstall uniform supplier", "LS10 pest control firm", "Yeadon catering equipment engineer",
    "Leeds print works", "Headingley locksmith", "Morley flooring contractor",
    "Leeds dairy", "Hunslet scaffolding firm", "LS12 laundry service",
]

SMES = [
    "family-run butcher in LS6", "independent florist in LS17", "two-person joinery firm in LS13",
    "local IT support micro-business", "Guiseley vending machine company",
    "small signage company in LS4", "independent plumbing firm in LS15",
    "local grounds maintenance partnership",
]

VCSES = [
    "social enterprise bakery", "community interest company for grounds maintenance",
    "charity-run furniture reuse project", "social enterprise cleaning co-operative",
    "community transport charity",
]

INVEST = [
    ("NT26", "Health walks programme for patients' families, equipment and leaflets"),
    ("NT25", "Donation to a homelessness charity: 40 winter care packs"),
    ("NT27", "Funding for a dementia-friendly singing group"),
    ("NT28", "In-kind: surplus furniture donated to a community centre"),
    ("NT28", "Food and transport for the weekly lunch club"),
    ("NT26", "Sponsorship of a community 5k for a local mental health charity"),
    ("NT25", "Rent deposit fund for a local housing charity"),
    ("NT27", "Digital skills sessions for older residents, venue hire and tea"),
]

# Employability sessions given one to one: a member of staff per attendee.
ONE_TO_ONE = {"Mock interviews", "One-to-one mentoring"}

CARBON = [
    "LED relamping of corridors, estimated saving over the quarter",
    "Electric vans replacing diesel on the inter-site shuttle",
    "Boiler optimisation, metered saving against the same quarter last year",
    "Food waste diverted to anaerobic digestion",
    "Reusable catering containers replacing single-use packaging",
]


def generate(table, name, q, rng, apprentices):
    g = Gen(table, rng, DIALECTS[name])
    start, end = q
    rows = []

    def add(d, site, mid, qty, desc, spelled=None):
        rows.append((d, site, spelled or g.spell(mid), qty, desc))

    # Local employment: one row per team and site for the quarter, in
    # FTE-years (an FTE employed all quarter is 0.25 of an FTE-year).
    for site, size in SITES:
        for service, base in SERVICES:
            fte = (Decimal(base) * size * Decimal(rng.randrange(80, 121)) / 100)
            fte = (fte * 2).to_integral_value(rounding=ROUND_HALF_UP) / 2
            if fte < 1:
                fte = Decimal(1)
            qty = dec(fte / 4)
            add(end, site, "jobs.local_fte", qty,
                "%s team: %s FTE local residents (home within 15 miles) employed all quarter"
                % (service, dec(fte)))

    # New starters from disadvantaged groups (FTE hired, first year only).
    for mid, (lo, hi), how in HIRE_GROUPS:
        for _ in range(rng.randint(lo, hi)):
            hours = rng.choice(["37.5", "37.5", "37.5", "30", "22.5", "18.75"])
            fte = dec(Decimal(hours) / Decimal("37.5"))
            role = rng.choice(ROLES)
            text = rng.choice(how).format(m=rng.randint(12, 40), a=rng.randint(17, 24))
            add(g.weekday(q), rng.choice(SITE_NAMES), mid, fte,
                "New starter: %s (%s hours a week); %s" % (role, hours, text))

    # Apprentices: weeks on programme this quarter.
    for a in apprentices:
        code, standard, level, site, a_start, a_end = a
        s = max(a_start, start)
        e = min(a_end, end)
        if s > e:
            continue
        weeks = min(13, ((e - s).days + 1) // 7)
        if weeks == 0:
            continue
        add(e, site, "jobs.apprenticeship_week", str(weeks),
            "%s (Level %d) apprentice %s: %d weeks on programme this quarter"
            % (standard, level, code, weeks))
    # A site that reports whole apprenticeships when they are completed.
    for _ in range(rng.randint(1, 2)):
        standard, level = rng.choice(STANDARDS)
        d = g.weekday(q)
        add(d, "Wharfedale Hospital", "jobs.apprenticeship_week", "52",
            "%s (Level %d) apprenticeship completed %s; 52 weeks supported to completion"
            % (standard, level, d.strftime("%d/%m/%Y")))

    # Unpaid placements (student and T Level), in placement-weeks.
    for _ in range(rng.randint(4, 7)):
        kind, provider = rng.choice(PLACEMENTS)
        weeks = rng.choice([1, 2, 3, 4, 6, 9])
        add(g.weekday(q), rng.choice(SITE_NAMES), "jobs.work_placement_week", str(weeks),
            "%s with %s (%d week%s)" % (kind, provider, weeks, "s" if weeks > 1 else ""))

    # Paid internships: summer ones, mainly in Q2; in the winter quarters
    # the odd one for a graduate on a back-to-work scheme.
    for _ in range(rng.randint(2, 4) if start.month == 7 else rng.randint(0, 1)):
        weeks = rng.choice([6, 7, 8])
        if start.month in (4, 7):
            what = "Paid summer internship on estates projects"
        else:
            what = "Paid internship on estates projects for a graduate back-to-work scheme"
        add(g.weekday(q), rng.choice(SITE_NAMES), "jobs.paid_placement_week", str(weeks),
            "%s: %d weeks at the National Living Wage" % (what, weeks))

    # School work experience, in pupil-weeks: most in the summer term.
    for _ in range(rng.randint(3, 5) if start.month == 4 else
                   rng.randint(5, 8) if start.month == 7 else rng.randint(2, 4)):
        pupils = rng.randint(1, 4)
        days = rng.choice([5, 5, 5, 10])
        qty = dec(Decimal(pupils * days) / 5)
        add(g.weekday(q), rng.choice(SITE_NAMES), "jobs.work_experience_week", qty,
            "Work experience: %d pupil%s from %s (%d days)"
            % (pupils, "s" if pupils > 1 else "", rng.choice(SECONDARY + SIXTH_FORM), days))

    # Accredited training for staff (record-only), in weeks.
    for _ in range(rng.randint(4, 7)):
        course, weeks = rng.choice([
            ("Level 2 Certificate in Cleaning Principles", 6),
            ("Level 2 Food Safety in Catering", 1),
            ("Level 3 Supervising Food Safety", 2),
            ("Level 2 Health and Safety in the Workplace", 1),
            ("Level 3 Award in Education and Training", 4),
            ("Level 3 Certificate in Facilities Management", 12),
        ])
        learners = rng.randint(1, 6)
        add(g.weekday(q), rng.choice(SITE_NAMES), "jobs.training_week", str(weeks * learners),
            "%s: %d learner%s x %d week%s" % (course, learners, "s" if learners > 1 else "",
                                              weeks, "s" if weeks > 1 else ""))

    # Employability support, in hours of staff time given (the table's
    # unit), not attendee-hours.  One-to-one sessions have a member of
    # staff for each attendee, so staff hours are hours x attendees; a
    # group session has 1 + attendees // 8 staff for its length.  The
    # staff count is worked out, not drawn, so no random number is used
    # that was not used before and the other rows are unchanged.
    for _ in range(rng.randint(11, 16)):
        kind, hours = rng.choice([
            ("Interview-skills masterclass", Decimal("2")),
            ("Interview-skills masterclass", Decimal("2.5")),
            ("CV and application workshop", Decimal("1.5")),
            ("Mock interviews", Decimal("0.5")),
            ("One-to-one mentoring", Decimal("1")),
            ("Jobs fair stand and advice", Decimal("3")),
        ])
        people = 1 if kind == "One-to-one mentoring" else rng.randint(4, 15)
        venue = rng.choice(["Jobcentre Plus, Leeds city centre", "a community hub in Seacroft",
                            "the hospital education centre", "a library in Chapeltown"])
        if kind in ONE_TO_ONE:
            qty = hours * people
            desc = "%s at %s: %d one-to-one session%s x %s h" % (
                kind, venue, people, "s" if people > 1 else "", dec(hours))
        else:
            staff = 1 + people // 8
            qty = hours * staff
            desc = "%s at %s: %d staff x %s h, %d attendees" % (
                kind, venue, staff, dec(hours), people)
        add(g.weekday(q), rng.choice(SITE_NAMES), "jobs.employability_hour", dec(qty), desc)

    # School and college engagement: staff hours.
    for _ in range(rng.randint(11, 16)):
        kind, audience = rng.choice(SCHOOL_SESSIONS)
        staff = rng.randint(1, 3)
        hours = rng.choice([Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("3")])
        add(g.weekday(q), rng.choice(SITE_NAMES), "jobs.school_engagement_hour",
            dec(hours * staff),
            "%s at %s (%d staff x %s h)" % (kind, rng.choice(audience), staff, dec(hours)))

    # Staff volunteering hours.
    for i in range(rng.randint(36, 44)):
        staff = rng.randint(1, 6)
        hours = rng.choice([Decimal("2"), Decimal("3"), Decimal("3.5"), Decimal("7.5")])
        what = rng.choice(VOLUNTEERING)
        add(g.weekday(q), rng.choice(SITE_NAMES), "social.volunteering_hour",
            dec(hours * staff), "Staff volunteering: %s (%d staff x %s h)" % (what, staff, dec(hours)))
    # The lunch club, every week of the quarter, Seacroft.
    d = start
    while d <= end:
        if d.weekday() == 1 and rng.random() < 0.5:
            if not g.quoted_once:
                desc = 'Lunch club "Tuesday Table" for 60 residents, Seacroft community centre'
                g.quoted_once = True
            else:
                desc = "Lunch club for 60 residents at Seacroft community centre: cooking and serving"
            add(d, "Seacroft Hospital", "social.volunteering_hour",
                rng.choice(["7.5", "10.5", "12", "15"]), desc)
        d += datetime.timedelta(days=1)

    # Spend.
    for _ in range(rng.randint(60, 72)):
        x = rng.random()
        s, _amt = (g.money(150, 4000) if x < 0.7 else
                   g.money(4000, 12000) if x < 0.95 else g.money(12000, 26000))
        add(g.weekday(q), rng.choice(SITE_NAMES), "growth.local_spend", s,
            "Invoice %d: %s" % (rng.randint(40000, 49999), rng.choice(LOCAL_SUPPLIERS)))
    for _ in range(rng.randint(26, 34)):
        s, _amt = g.money(80, 2500) if rng.random() < 0.75 else g.money(2500, 9500)
        add(g.weekday(q), rng.choice(SITE_NAMES), "growth.sme_spend", s,
            "Invoice %d: %s" % (rng.randint(40000, 49999), rng.choice(SMES)))
    for _ in range(rng.randint(6, 10)):
        s, _amt = g.money(200, 6000)
        add(g.weekday(q), rng.choice(SITE_NAMES), "growth.vcse_spend", s,
            "Purchase order %d: %s" % (rng.randint(7000, 7999), rng.choice(VCSES)))

    # Community investment, written with the TOMs code for its kind.
    for _ in range(rng.randint(8, 12)):
        code, what = rng.choice(INVEST)
        s, _amt = g.money(100, 3500, pennies=False)
        spelled = code if rng.random() < 0.7 else code.lower()
        if g.dialect["measures"] == "toms":
            spelled = code
        add(g.weekday(q), rng.choice(SITE_NAMES), "social.community_investment", s, what,
            spelled=spelled)

    # Carbon savings, tonnes CO2e.
    for _ in range(rng.randint(3, 5)):
        t = Decimal(rng.randrange(25, 1500)) / 100
        add(end, rng.choice(SITE_NAMES), "environment.co2e_saved", dec(t), rng.choice(CARBON))

    # Innovation.
    for _ in range(rng.randint(1, 2)):
        s, _amt = g.money(1500, 8000, pennies=False)
        add(g.weekday(q), rng.choice(SITE_NAMES), "innovation.investment", s,
            rng.choice(["Digital inclusion pilot: refurbished laptops and data for job seekers",
                        "Trial of a hiring-by-postcode scheme with the council's employment hub"]))

    rows.sort(key=lambda r: (r[0], SITE_NAMES.index(r[1])))
    out = []
    for d, site, measure, qty, desc in rows:
        out.append([g.date(d), site, measure, qty, desc])
    return out


def make_apprentices(rng):
    """A cohort shared by both quarters, so the files tell one story."""
    cohort = []
    for i in range(1, 21):
        standard, level = rng.choice(STANDARDS)
        site = rng.choice(SITE_NAMES)
        if i <= 14:
            a_start = datetime.date(2023, rng.randint(1, 12), 1)
        else:
            a_start = datetime.date(2024, rng.choice([4, 5, 6, 7, 8, 9]), rng.choice([1, 8, 15]))
        a_end = a_start + datetime.timedelta(weeks=rng.choice([56, 60, 78, 104]))
        cohort.append(("APP-%03d" % i, standard, level, site, a_start, a_end))
    return cohort


# ------------------------------------------------------- independent check


def parse_date(s):
    m = ISO_RE.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = DMY_RE.match(s)
        if not m:
            raise ValueError("bad date %r" % s)
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return datetime.date(y, mo, d)


def parse_qty(s):
    if not QTY_RE.match(s):
        raise ValueError("bad quantity %r" % s)
    v = Decimal(s.lstrip("£").replace(",", ""))
    if v > Decimal(10) ** 12:
        raise ValueError("quantity too large %r" % s)
    return v


def read_export(path, table, dialect, quarter):
    """Read an export back and check every record against SPEC.md and the
    file's dialect.  Returns a list of (date, measure, quantity)."""
    lookup = {}
    for m in table["measures"]:
        for n in [m["id"]] + list(m.get("aliases", [])):
            lookup[n.lower()] = m
    with open(path, "rb") as f:
        raw = f.read()
    bom = "\ufeff".encode("utf-8")
    assert raw.startswith(bom) == dialect["bom"], path
    text = raw.decode("utf-8")[1 if dialect["bom"] else 0:]
    nl = dialect["newline"]
    assert text.endswith(nl), path
    if nl == "\r\n":
        assert "\n" not in text.replace("\r\n", ""), "bare LF in " + path
    else:
        assert "\r" not in text, "CR in " + path
    # The header decides the delimiter (SPEC: most frequent of , ; TAB).
    header_line = text.split(nl, 1)[0]
    counts = [header_line.count(c) for c in ",;\t"]
    assert ",;\t"[counts.index(max(counts))] == dialect["delimiter"], header_line
    rd = csv.reader(text.split(nl)[:-1], delimiter=dialect["delimiter"])
    header = next(rd)
    assert header == ["date", "site", "measure", "quantity", "description"], header
    out = []
    for row in rd:
        assert len(row) == 5, row
        for field in row:
            assert field == field.strip(" \t"), row   # nothing for trimming to change
        date, site, measure, qty, desc = row
        if dialect["dates"] == "dmy":
            assert re.match(r"^\d{2}/\d{2}/\d{4}$", date), row
        elif dialect["dates"] == "iso":
            assert ISO_RE.match(date), row
        d = parse_date(date)
        assert quarter[0] <= d <= quarter[1], row
        m = lookup[measure.lower()]
        if dialect["measures"] == "toms":
            codes = [a for a in m.get("aliases", []) if re.match(r"^NT\d+$", a)]
            assert measure in codes if codes else measure == m["id"], row
        out.append((d, m, parse_qty(qty)))
    return out


def money(x):
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def totals(keys, records, key_of, key_name):
    """key_name,records,value lines in the order of keys, then TOTAL.  A
    group with only record-only records has an empty value."""
    n = {k: 0 for k in keys}
    v = {k: Decimal(0) for k in keys}
    valued = {k: False for k in keys}
    for d, m, q in records:
        k = key_of(d, m)
        n[k] += 1
        if m["value"] is not None:
            v[k] += q * Decimal(m["value"])
            valued[k] = True
    lines = ["%s,records,value" % key_name]
    for k in keys:
        if n[k]:
            lines.append("%s,%d,%s" % (k, n[k], money(v[k]) if valued[k] else ""))
    lines.append("TOTAL,%d,%s" % (len(records), money(sum(v.values(), Decimal(0)))))
    return "\n".join(lines) + "\n"


def fq(d):
    y = d.year if d.month >= 4 else d.year - 1
    return "%d/%02d Q%d" % (y, (y + 1) % 100, (d.month - 4) % 12 // 3 + 1)


def main():
    table = load_table()
    themes = [t["id"] for t in table["themes"]]
    rng = random.Random(SEED)
    apprentices = make_apprentices(rng)
    year = []
    for name, q in QUARTERS.items():
        rows = generate(table, name, q, rng, apprentices)
        dialect = DIALECTS[name]
        path = os.path.join(HERE, name + ".csv")
        with open(path, "w", encoding="utf-8-sig" if dialect["bom"] else "utf-8",
                  newline="") as f:
            w = csv.writer(f, delimiter=dialect["delimiter"],
                           lineterminator=dialect["newline"])
            w.writerow(["date", "site", "measure", "quantity", "description"])
            w.writerows(rows)
        records = read_export(path, table, dialect, q)
        assert len(records) == len(rows)
        year += records
        text = totals(themes, records, lambda d, m: m["theme"], "theme")
        with open(os.path.join(HERE, name + ".expected.txt"), "w", encoding="utf-8") as f:
            f.write(text)
        sys.stdout.write("%s: %d records\n%s" % (name, len(rows), text))
    quarters = sorted({fq(d) for d, _, _ in year})
    text = totals(quarters, year, lambda d, m: fq(d), "fq")
    with open(os.path.join(HERE, "fy-2024-25.expected.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write("fy-2024-25: %d records\n%s" % (len(year), text))
    text = totals(themes, year, lambda d, m: m["theme"], "theme")
    with open(os.path.join(HERE, "fy-2024-25.themes.expected.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
