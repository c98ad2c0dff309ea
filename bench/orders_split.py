#!/usr/bin/env python3
"""The baselines of bench/dataflow-split.sh: the job bench/orders-split.dtsx
does (read the orders file, derive the order's year and the customer in
upper case, split on shipped, write two files that quote every field, as
the Flat File Destination does with a text qualifier) with Python's csv
module, or with pandas.

    orders_split.py csv FILE OUTDIR
    orders_split.py pandas FILE OUTDIR
"""
import csv
import os
import sys


def with_csv(path, outdir):
    n = 0
    with open(path, newline="", encoding="utf-8") as f, \
            open(os.path.join(outdir, "shipped.csv"), "w", newline="", encoding="utf-8") as s, \
            open(os.path.join(outdir, "pending.csv"), "w", newline="", encoding="utf-8") as p:
        r = csv.reader(f)
        header = next(r) + ["order_year", "customer_uc"]
        ws = csv.writer(s, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        wp = csv.writer(p, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        ws.writerow(header)
        wp.writerow(header)
        for row in r:
            row.append(int(row[2][:4]))
            row.append(row[1].upper())
            (ws if row[4] == "True" else wp).writerow(row)
            n += 1
    return n


def with_pandas(path, outdir):
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["order_year"] = df["order_date"].str[:4].astype(int)
    df["customer_uc"] = df["customer"].str.upper()
    shipped = df["shipped"] == "True"
    for part, name in ((df[shipped], "shipped.csv"), (df[~shipped], "pending.csv")):
        part.to_csv(os.path.join(outdir, name), index=False, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    return len(df)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("csv", "pandas"):
        sys.exit(__doc__)
    fn = with_csv if sys.argv[1] == "csv" else with_pandas
    print(fn(sys.argv[2], sys.argv[3]))
