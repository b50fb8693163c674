"""Reads an sv-calc workbook (-f xlsx) back with openpyxl and checks it
against sv-calc's own csv and json output, for the xlsx CLI cases.

    xlsx_check.py dump BOOK                  every sheet, cell by cell
    xlsx_check.py totals BOOK CSV            Totals = csv output (--raw)
    xlsx_check.py shown SHOWN.csv CSV        LibreOffice's Totals = csv
    xlsx_check.py by-measure BOOK RESULT.json  By measure = the result's measures
    xlsx_check.py sources BOOK RESULT.json PROXIES.json
    xlsx_check.py inputs BOOK RESULT.json
    xlsx_check.py invalid BOOK REJECTS.csv

Every sheet has two title lines and a blank row above its header (row 4).
A check prints one line saying what it compared, or the first difference
and exits 1.  Figures are compared as decimals: the number in a cell must
be the double nearest the penny text csv prints, so that the shortest text
that reads back as it (Python's repr) has the same value.
"""
import csv
import json
import sys
from decimal import ROUND_HALF_UP, Decimal

import openpyxl

HEADER_ROW = 4
MONEY = '"\u00a3"#,##0.00'
PRICE = '"\u00a3"#,##0.00##'
FORMATS = {"records": "#,##0", "target_quantity": "General", "pct_delivered": "0.0", "return_pct": "0.0",
           "pence_per_pound": "0.0", "change_pct": "0.0"}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def book(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    fail("%s!%s holds a formula: %r" % (ws.title, c.coordinate, c.value))
    return wb


def show(c):
    if c.value is None:
        return ""
    if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
        return "%r <%s>" % (c.value, c.number_format)
    return repr(c.value)


def dump(path):
    wb = book(path)
    for ws in wb.worksheets:
        print("== %s%s" % (ws.title, " (hidden)" if ws.sheet_state != "visible" else ""))
        for row in ws.iter_rows():
            cells = [show(c) for c in row]
            while cells and not cells[-1]:
                cells.pop()
            print("%d: %s" % (row[0].row, " | ".join(cells)))


def rows_below_header(ws):
    rows = []
    for row in ws.iter_rows(min_row=HEADER_ROW):
        rows.append(list(row))
    while rows and all(c.value is None for c in rows[-1]):
        rows.pop()
    return rows


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def same_figure(cell, text, fmt, where):
    """A figure cell: a number in format fmt whose value is text's."""
    v = cell.value
    if text == "":
        if v is not None:
            fail("%s: %r where csv has an empty cell" % (where, v))
        return 0
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        fail("%s: %r is not a number (csv: %s)" % (where, v, text))
    if cell.number_format != fmt:
        fail("%s: number format %s, not %s" % (where, cell.number_format, fmt))
    if Decimal(repr(v)) != Decimal(text):
        fail("%s: %r is not %s" % (where, v, text))
    return 1


def same_text(cell, text, where):
    v = "" if cell.value is None else cell.value
    if not isinstance(v, str) or v != text:
        fail("%s: %r where csv has %r" % (where, v, text))


def totals(path, csv_path):
    ws = book(path)["Totals"]
    want = read_csv(csv_path)
    got = rows_below_header(ws)
    header = [c.value for c in got[0]]
    header = header[:len(want[0])]
    if header != want[0]:
        fail("Totals header %r, csv %r" % (header, want[0]))
    if len(got) != len(want):
        fail("Totals has %d rows, csv %d" % (len(got), len(want)))
    figures = 0
    texts = text_columns(want)
    figure_cols = set(i for i, h in enumerate(want[0]) if h not in texts)
    for r in range(1, len(want)):
        for i, text in enumerate(want[r]):
            cell = got[r][i] if i < len(got[r]) else None
            where = "Totals!%s%d" % (openpyxl.utils.get_column_letter(i + 1), HEADER_ROW + r)
            if i in figure_cols:
                figures += same_figure(cell, text, FORMATS.get(want[0][i], MONEY), where)
            else:
                same_text(cell, text, where)
        if (got[r][0].font.b or False) != (r == len(want) - 1):
            fail("Totals row %d: bold %s" % (HEADER_ROW + r, got[r][0].font.b))
    print("Totals: %d groups and TOTAL, %d columns, %d figures as numbers in their formats: equal to csv"
          % (len(want) - 2, len(want[0]), figures))


def text_columns(rows):
    """The csv columns that are text: keys, names, price_basis."""
    header = rows[0]
    end = header.index("records")
    return set(header[:end]) | {"price_basis"}


def shown(shown_path, csv_path):
    got = read_csv(shown_path)[HEADER_ROW - 1:]
    want = read_csv(csv_path)
    while got and not any(got[-1]):
        got.pop()
    if len(got) != len(want):
        fail("LibreOffice shows %d rows, csv has %d" % (len(got), len(want)))
    texts = text_columns(want)
    pounds = 0
    for r, (g, w) in enumerate(zip(got, want)):
        g = g[:len(w)]
        for i, (a, b) in enumerate(zip(g, w)):
            if r and w[0] and want[0][i] not in texts:
                if FORMATS.get(want[0][i], MONEY) == MONEY and b:
                    if "\u00a3" not in a:
                        fail("row %d: %r is not shown in pounds" % (r + HEADER_ROW, a))
                    pounds += 1
                a = a.replace("\u00a3", "").replace(",", "")
            if a != b:
                fail("row %d column %d: LibreOffice shows %r, csv has %r" % (r + HEADER_ROW, i + 1, a, b))
    print("LibreOffice: Totals shows the %d rows csv has, cell for cell (%d in pounds)" % (len(want), pounds))


def pence(exact):
    return str(Decimal(exact).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def by_measure(path, result_path):
    """By measure against the groups' measures of the JSON result: records
    and value_exact, rounded half away from zero to the penny."""
    ws = book(path)["By measure"]
    got = rows_below_header(ws)
    header = [c.value for c in got[0]]
    with open(result_path, encoding="utf-8") as f:
        result = json.load(f)
    expected = {}
    total = Decimal(0)
    for g in result["groups"]:
        key = []
        for name in result["by"]:
            key.append(g[name])
            if name in ("theme", "measure"):
                key.append(g[name + "_name"])
        for m in g.get("measures", []):
            value = "" if m["value_exact"] is None else pence(m["value_exact"])
            total += Decimal(m["value_exact"] or 0)
            expected[tuple(key) + (m["id"],)] = (str(m["records"]), value)
    n_keys = header.index("measure")
    seen = 0
    for r, row in enumerate(got[1:-1], start=HEADER_ROW + 1):
        cells = ["" if c.value is None else c.value for c in row]
        key = tuple(cells[:n_keys + 1])
        if key not in expected:
            fail("By measure row %d %r is in no group of the result" % (r, key))
        want_records, want_value = expected.pop(key)
        same_figure(row[header.index("records")], want_records, "#,##0", "By measure row %d records" % r)
        same_figure(row[header.index("value")], want_value, MONEY, "By measure row %d value" % r)
        seen += 1
    if expected:
        fail("By measure lacks %r" % sorted(expected))
    last = got[-1]
    if last[0].value != "TOTAL":
        fail("By measure ends with %r" % last[0].value)
    same_figure(last[header.index("records")], str(result["total"]["records"]), "#,##0", "By measure TOTAL records")
    same_figure(last[header.index("value")], pence(total), MONEY, "By measure TOTAL value")
    print("By measure: %d rows, each group's records and exact value per measure in the JSON result, "
          "rounded to the penny, and their total" % seen)


def sources(path, result_path, proxies_path):
    ws = book(path)["Sources"]
    got = rows_below_header(ws)
    header = [c.value for c in got[0]]
    with open(result_path, encoding="utf-8") as f:
        result = json.load(f)
    with open(proxies_path, encoding="utf-8") as f:
        table = {m["id"]: m for m in json.load(f)["measures"]}
    used = result["measures"]
    rows = [r for r in got[1:] if r[0].value in table]
    if [r[0].value for r in rows] != [m["id"] for m in used]:
        fail("Sources lists %r, the result %r" % ([r[0].value for r in rows], [m["id"] for m in used]))
    for row, m in zip(rows, used):
        cells = dict(zip(header, row))
        t = table[m["id"]]
        for key in ("name", "unit", "source", "licence", "derivation"):
            if (cells[key].value or None) != t.get(key):
                fail("Sources %s %s: %r, table %r" % (m["id"], key, cells[key].value, t.get(key)))
        if cells["theme"].value != t["theme"]:
            fail("Sources %s theme %r" % (m["id"], cells["theme"].value))
        if m["value"] is None:
            if cells["value"].value is not None:
                fail("Sources %s: a record-only measure with a value" % m["id"])
        else:
            same_figure(cells["value"], m["value"], PRICE, "Sources %s value" % m["id"])
        if (cells["price_year"].value or None) != m["price_year"]:
            fail("Sources %s price year %r, result %r" % (m["id"], cells["price_year"].value, m["price_year"]))
        same_figure(cells["records"], str(m["records"]), "#,##0", "Sources %s records" % m["id"])
    print("Sources: the %d measures the result used, with the table's name, unit, value, price year, source, "
          "licence and derivation" % len(rows))


def inputs(path, result_path):
    ws = book(path)["Inputs"]
    got = rows_below_header(ws)
    header = [c.value for c in got[0]]
    with open(result_path, encoding="utf-8") as f:
        result = json.load(f)
    want = result["inputs"]
    rows = got[1:-1]
    if len(rows) != len(want):
        fail("Inputs lists %d files, the result %d" % (len(rows), len(want)))
    for row, w in zip(rows, want):
        cells = dict(zip(header, row))
        if cells["file"].value != w["name"] or cells["sha256"].value != w["sha256"]:
            fail("Inputs row %r, result %r" % ([c.value for c in row], w))
        same_figure(cells["bytes"], str(w["bytes"]), "#,##0", "Inputs %s bytes" % w["name"])
    total = dict(zip(header, got[-1]))
    if total["file"].value != "TOTAL":
        fail("Inputs ends with %r" % total["file"].value)
    for key, n in result["counts"].items():
        same_figure(total[key], str(n), "#,##0", "Inputs TOTAL %s" % key)
    per_file = [sum(r[header.index(k)].value or 0 for r in rows) for k in result["counts"]]
    if any(r[header.index("read")].value is not None for r in rows) and per_file != list(result["counts"].values()):
        fail("Inputs: the files' counts add up to %r, the result's are %r" % (per_file, result["counts"]))
    print("Inputs: %d file%s with bytes and SHA-256 as the result names them; counts %s"
          % (len(rows), "" if len(rows) == 1 else "s", ", ".join("%s %d" % kv for kv in result["counts"].items())))


def invalid(path, rejects_path):
    ws = book(path)["Invalid"]
    got = rows_below_header(ws)
    want = read_csv(rejects_path)
    h = want[0]
    want = [(r[h.index("source_file")], r[h.index("source_line")], r[h.index("reason")]) for r in want[1:]]
    if len(got) - 1 != len(want):
        fail("Invalid lists %d records, --rejects %d" % (len(got) - 1, len(want)))
    for row, (file, line, reason) in zip(got[1:], want):
        if row[0].value != file or row[2].value != reason:
            fail("Invalid row %r, --rejects %r" % ([c.value for c in row], (file, line, reason)))
        same_figure(row[1], line, "#,##0", "Invalid line")
    print("Invalid: the %d records --rejects lists, with file, line and reason" % len(want))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"dump": dump, "totals": totals, "shown": shown, "by-measure": by_measure, "sources": sources,
     "inputs": inputs, "invalid": invalid}[cmd](*args)


if __name__ == "__main__":
    main()
