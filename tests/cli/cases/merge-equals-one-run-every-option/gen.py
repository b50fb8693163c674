import random
r = random.Random(20261130)
measures = ["NT1", "NT3", "NT4", "NT5", "NT7", "NT8", "NT9", "NT10", "NT13", "NT15", "NT16", "NT17",
            "NT18", "NT19", "NT2", "NT29", "NT31", "landfill_diverted", "NT28", "innovation_investment"]
sites = ["Alpha", "Beta", "Gamma", "Delta \u00e9", ""]
for n in range(3):
    with open("gen%d.csv" % n, "w", encoding="utf-8") as f:
        f.write("date,site,measure,quantity\n")
        for i in range(400):
            m = r.choice(measures)
            q = r.choice(["1", "0.5", "2.25", "10", "1234.5678", "0.0001", "37.5"])
            f.write("2024-%02d-%02d,%s,%s,%s\n" % (r.randint(1, 12), r.randint(1, 28), r.choice(sites), m, q))
