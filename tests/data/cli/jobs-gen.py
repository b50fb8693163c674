# A deterministic export of about 21 MB: more than two 8 MiB chunks, mixed
# CRLF and LF, quoted multi-line descriptions with doubled quotes, quoted
# amounts with '£' and separators, blank lines, invalid records.  The
# arguments name the chunk ends (1: 8 MiB, 2: 16 MiB) that a long quoted
# record straddles; near the others, records are plain one-line ones.
import random
import sys
straddle = [int(a) for a in sys.argv[1:]]
r = random.Random(20240401)
measures = ["NT1", "nt3", "NT10", "volunteering", "NT18", "local_spend", "NT29",
            "careers", "NT31", "NT5", "training", "JOBS.LOCAL_FTE", "sme_spend"]
sites = ["St James's Hospital", "Leeds General Infirmary", "Seacroft Hospital", "Chapel Allerton Hospital", ""]
chunk = 8 * 1024 * 1024
out = bytearray(b"date,site,measure,quantity,description\r\n")
i = 0
while len(out) < 21_000_000:
    i += 1
    near = [k for k in (1, 2) if 0 < k * chunk - len(out) < 3000]
    if any(k in straddle and k * chunk - len(out) < 200 for k in near):
        # a record whose quoted description runs over the chunk end
        line = '2024-06-30,Seacroft Hospital,NT18,"£12,500.00","%s"\r\n' % ('long ""quoted"" text,\r\nover lines\n' * 40)
        out += line.encode()
        continue
    d = "%04d-%02d-%02d" % (r.choice((2024, 2025)), r.randint(1, 12), r.randint(1, 28))
    if i % 7 == 0:
        d = "%d/%d/%04d" % (r.randint(1, 28), r.randint(1, 12), 2024)
    m = r.choice(measures)
    q = "%d.%02d" % (r.randint(0, 400), r.randint(0, 99))
    if i % 11 == 0:
        q = '"£%d,%03d.5"' % (r.randint(1, 99), r.randint(0, 999))
    k = i % 101
    if k == 0:
        q = "-1"
    elif k == 1:
        m = "NT99"
    elif k == 2:
        d = "2024-02-30"
    if i % 5 == 0 and not near:
        desc = '"line one, with a comma\r\nline two ""quoted""\nline three"'
    else:
        desc = "plain description %d" % i
    eol = "\r\n" if i % 3 else "\n"
    if k == 3:
        line = "%s,%s,%s%s" % (d, r.choice(sites), m, eol)  # too few fields
    else:
        line = "%s,%s,%s,%s,%s%s" % (d, r.choice(sites), m, q, desc, eol)
    if i % 997 == 0:
        line += eol  # a blank line
    out += line.encode()
open("big.csv", "wb").write(out)
