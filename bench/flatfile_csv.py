#!/usr/bin/env python3
"""The baselines of bench/flatfile.sh: the job flatpipe run does (read the
orders file, derive the year and whether the amount is above 500, split on
shipped, write two files) with Python's csv module, or with pandas.

    flatfile_csv.py csv FILE OUTDIR
    flatfile_csv.py pandas FILE OUTDIR
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
        header = next(r) + ["year", "big"]
        ws = csv.writer(s, lineterminator="\r\n")
        wp = csv.writer(p, lineterminator="\r\n")
        ws.writerow(header)
        wp.writerow(header)
        for row in r:
            row.append(row[2][:4])
            row.append("True" if float(row[3]) > 500 else "False")
            (ws if row[4] == "True" else wp).writerow(row)
            n += 1
    return n


def with_pandas(path, outdir):
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["year"] = df["order_date"].str[:4]
    df["big"] = (df["amount"].astype(float) > 500).map({True: "True", False: "False"})
    shipped = df["shipped"] == "True"
    df[shipped].to_csv(os.path.join(outdir, "shipped.csv"), index=False, lineterminator="\r\n")
    df[~shipped].to_csv(os.path.join(outdir, "pending.csv"), index=False, lineterminator="\r\n")
    return len(df)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("csv", "pandas"):
        sys.exit(__doc__)
    fn = with_csv if sys.argv[1] == "csv" else with_pandas
    print(fn(sys.argv[2], sys.argv[3]))
