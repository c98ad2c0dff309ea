#!/usr/bin/env python3
"""The Python baselines of the flat-file benchmarks, with Python's csv
module or with pandas:

    flatfile_csv.py csv|pandas FILE OUTDIR
        bench/flatfile.sh's job (flatpipe run): read the orders file,
        derive the year and whether the amount is above 500, split on
        shipped, write two files;
    flatfile_csv.py split-csv|split-pandas FILE OUTDIR
        bench/dataflow-split.sh's job (bench/orders-split.dtsx): derive the
        order's year and the customer in upper case, split on shipped,
        write two files that quote every field, as the Flat File
        Destination does with a text qualifier.
"""
import csv
import os
import sys


def flatpipe_row(row):
    row.append(row[2][:4])
    row.append("True" if float(row[3]) > 500 else "False")


def split_row(row):
    row.append(int(row[2][:4]))
    row.append(row[1].upper())


def with_csv(path, outdir, extra, derive, quoting):
    n = 0
    with open(path, newline="", encoding="utf-8") as f, \
            open(os.path.join(outdir, "shipped.csv"), "w", newline="", encoding="utf-8") as s, \
            open(os.path.join(outdir, "pending.csv"), "w", newline="", encoding="utf-8") as p:
        r = csv.reader(f)
        header = next(r) + extra
        ws = csv.writer(s, lineterminator="\r\n", quoting=quoting)
        wp = csv.writer(p, lineterminator="\r\n", quoting=quoting)
        ws.writerow(header)
        wp.writerow(header)
        for row in r:
            derive(row)
            (ws if row[4] == "True" else wp).writerow(row)
            n += 1
    return n


def with_pandas(path, outdir, derive, quoting):
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    derive(df)
    shipped = df["shipped"] == "True"
    for part, name in ((df[shipped], "shipped.csv"), (df[~shipped], "pending.csv")):
        part.to_csv(os.path.join(outdir, name), index=False, lineterminator="\r\n", quoting=quoting)
    return len(df)


def flatpipe_frame(df):
    df["year"] = df["order_date"].str[:4]
    df["big"] = (df["amount"].astype(float) > 500).map({True: "True", False: "False"})


def split_frame(df):
    df["order_year"] = df["order_date"].str[:4].astype(int)
    df["customer_uc"] = df["customer"].str.upper()


JOBS = {
    "csv": lambda p, o: with_csv(p, o, ["year", "big"], flatpipe_row, csv.QUOTE_MINIMAL),
    "pandas": lambda p, o: with_pandas(p, o, flatpipe_frame, csv.QUOTE_MINIMAL),
    "split-csv": lambda p, o: with_csv(p, o, ["order_year", "customer_uc"], split_row, csv.QUOTE_ALL),
    "split-pandas": lambda p, o: with_pandas(p, o, split_frame, csv.QUOTE_ALL),
}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in JOBS:
        sys.exit(__doc__)
    print(JOBS[sys.argv[1]](sys.argv[2], sys.argv[3]))
