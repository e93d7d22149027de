#!/usr/bin/env python3
"""gen_offer_csv.py - writes an AWS EC2 offer CSV of realistic shape for the
pricing ingest benchmark (bench/pricing_bench.sh).

Shape: the real metadata lines and 91-column header of the 2025-09-12 EC2
offer file (../shared/pricing/samples/AmazonEC2_global_offer_excerpt.csv),
then rows built from that file's real rows (Reserved, Dedicated, Host, RHEL,
Windows, SQL, capacity reservations, Local Zone, upfront fees) with fresh
SKUs, instance types and regions, mixed with Linux/Shared/Used on-demand
instance-hours (about 1 row in 100, --pass-percent) that the filter keeps.
Every row is quoted the way AWS writes it and has exactly 91 fields.

Usage: gen_offer_csv.py [--size 1G] [--out build/bench/offer.csv] [--seed N]
"""
import argparse
import csv
import io
import os
import random
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.normpath(os.path.join(ROOT, "..", "shared", "pricing", "samples",
                                       "AmazonEC2_global_offer_excerpt.csv"))
if not os.path.exists(SAMPLE):  # the copy kept with the tests
    SAMPLE = os.path.join(ROOT, "tests", "fixtures", "pricing", "AmazonEC2_global_offer_excerpt.csv")

FAMILIES = ["t3", "t3a", "t4g", "m5", "m5a", "m5d", "m6i", "m6g", "m6a", "m7g", "m7i", "c5",
            "c5a", "c6i", "c6g", "c6a", "c7g", "c7i", "r5", "r5a", "r6i", "r6g", "r7g", "r7i",
            "i3", "i4i", "x2idn", "z1d", "g5", "p4d", "inf2", "trn1", "d3", "h1", "im4gn", "hpc7g"]
SIZES = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge",
         "8xlarge", "12xlarge", "16xlarge", "24xlarge"]
REGIONS = [("us-east-1", "US East (N. Virginia)", ""), ("us-east-2", "US East (Ohio)", "USE2-"),
           ("us-west-2", "US West (Oregon)", "USW2-"), ("eu-west-1", "EU (Ireland)", "EU-"),
           ("eu-central-1", "EU (Frankfurt)", "EUC1-"), ("ap-northeast-1", "Asia Pacific (Tokyo)", "APN1-"),
           ("ap-southeast-2", "Asia Pacific (Sydney)", "APS2-"), ("ca-central-1", "Canada (Central)", "CAN1-"),
           ("sa-east-1", "South America (Sao Paulo)", "SAE1-"), ("ap-south-1", "Asia Pacific (Mumbai)", "APS3-")]
SKU_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def parse_size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    s = s.strip().upper().rstrip("B")
    return int(float(s[:-1]) * mult[s[-1]]) if s and s[-1] in mult else int(s)


def aws_line(fields):
    return ",".join('"' + f.replace('"', '""') + '"' if f else "" for f in fields) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1G", help="approximate output size (K/M/G), default 1G")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "AmazonEC2_offer.csv"))
    ap.add_argument("--pass-percent", type=float, default=1.0,
                    help="share of rows the catalog keeps (default 1)")
    ap.add_argument("--seed", type=int, default=20250912)
    args = ap.parse_args()
    target = parse_size(args.size)
    rnd = random.Random(args.seed)

    with open(SAMPLE, newline="") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)
    rows = list(csv.reader(io.StringIO("".join(lines[5:]))))
    header, samples = rows[0], rows[1:]
    assert len(header) == 91 and all(len(r) == 91 for r in samples)
    col = {name: i for i, name in enumerate(header)}

    # a passing row: one of the real Linux rows, turned into Linux/Shared/NA/Used OnDemand
    base = list(next(r for r in samples if r[col["Operating System"]] == "Linux"))
    for name, value in (("TermType", "OnDemand"), ("Tenancy", "Shared"), ("Pre Installed S/W", "NA"),
                        ("CapacityStatus", "Used"), ("Location Type", "AWS Region"),
                        ("operation", "RunInstances"), ("LeaseContractLength", ""),
                        ("PurchaseOption", ""), ("OfferingClass", ""), ("StartingRange", "0"),
                        ("EndingRange", "Inf"), ("Unit", "Hrs"), ("MarketOption", "OnDemand"),
                        ("Product Family", "Compute Instance")):
        base[col[name]] = value
    templates = [r for r in samples] + [base]

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    written = 0
    nrows = kept = 0
    buf = []
    with open(args.out, "w", newline="") as out:
        head = "".join(lines[:6])
        out.write(head)
        written += len(head)
        # kept rows: each (instance type, region) once, like a real offer file
        # (one on-demand Linux/Shared price per type and region); past the
        # last combination they repeat with the same price
        combos = [(f"{f}{v}.{z}", reg) for reg in REGIONS for f in FAMILIES
                  for v in ("", "d", "n", "dn", "e") for z in SIZES]
        next_combo = 0
        while written < target:
            passing = rnd.random() * 100 < args.pass_percent
            if passing:
                itype, (region, location, prefix) = combos[next_combo % len(combos)]
                next_combo += 1
            else:
                itype = f"{rnd.choice(FAMILIES)}.{rnd.choice(SIZES)}"
                region, location, prefix = rnd.choice(REGIONS)
            sku = "".join(rnd.choice(SKU_CHARS) for _ in range(16))
            r = list(base if passing else rnd.choice(samples))
            term = r[col["OfferTermCode"]] if not passing else "JRTCKXETXF"
            r[col["SKU"]] = sku
            r[col["OfferTermCode"]] = term
            r[col["RateCode"]] = f"{sku}.{term}.6YS6EN2CT7"
            r[col["Instance Type"]] = itype
            r[col["Region Code"]] = region
            r[col["Location"]] = location
            kind = r[col["usageType"]].split("-", 1)[-1].split(":")[0] if not passing else "BoxUsage"
            r[col["usageType"]] = f"{prefix}{kind}:{itype}"
            if r[col["Unit"]] == "Hrs":
                seed = zlib.crc32(f"{itype}/{region}".encode()) if passing else None
                price = f"{random.Random(seed).uniform(0.004, 30):.10f}" if passing else \
                    f"{rnd.uniform(0.004, 30):.10f}"
                r[col["PricePerUnit"]] = price
                os_name = r[col["Operating System"]]
                r[col["PriceDescription"]] = f"${float(price):.4f} per On Demand {os_name} {itype} Instance Hour"
            line = aws_line(r)
            buf.append(line)
            written += len(line)
            nrows += 1
            kept += passing
            if len(buf) >= 4096:
                out.write("".join(buf))
                buf.clear()
        out.write("".join(buf))
    print(f"{args.out}: {written / 1e6:.1f} MB, {nrows} rows, {kept} Linux/Shared on-demand "
          f"({100.0 * kept / max(nrows, 1):.2f}%)", file=sys.stderr)


if __name__ == "__main__":
    main()
