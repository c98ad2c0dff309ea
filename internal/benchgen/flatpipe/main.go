// Command flatpipe is the two Go sides of bench/flatfile.sh: gen writes the
// orders file, and run reads it with the flat-file reader, derives two
// columns (the order's year, and whether the amount is above 500), splits
// the rows on shipped and writes each part with a flat-file writer, the job
// bench/flatfile_csv.py does with Python's csv module.
//
//	flatpipe gen N FILE
//	flatpipe run FILE OUTDIR
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/dtsx-run/dtsx/connections/flatfile"
	"github.com/dtsx-run/dtsx/internal/benchgen/orders"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "flatpipe:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 3 && args[0] == "gen":
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 {
			return fmt.Errorf("N must be a whole number above 0")
		}
		f, err := os.Create(args[2])
		if err != nil {
			return err
		}
		if err := orders.Write(f, n, 42); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	case len(args) == 3 && args[0] == "run":
		rows, err := pipe(context.Background(), args[1], args[2])
		if err != nil {
			return err
		}
		fmt.Println(rows)
		return nil
	}
	return fmt.Errorf("usage: flatpipe gen N FILE | flatpipe run FILE OUTDIR")
}

func pipe(ctx context.Context, in, outDir string) (int, error) {
	f, err := os.Open(in)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	src := orders.Spec()
	r, err := flatfile.NewReader(ctx, f, src)
	if err != nil {
		return 0, err
	}
	dst := orders.Spec("year", "big")
	var outs [2]*flatfile.Writer
	var files [2]*os.File
	for i, name := range []string{"shipped.csv", "pending.csv"} {
		if files[i], err = os.Create(filepath.Join(outDir, name)); err != nil {
			return 0, err
		}
		defer files[i].Close()
		if outs[i], err = flatfile.NewWriter(files[i], dst); err != nil {
			return 0, err
		}
		if err := outs[i].WriteHeader(ctx, nil); err != nil {
			return 0, err
		}
	}
	vals := make([][]byte, len(dst.Columns))
	yes, no := []byte("True"), []byte("False")
	n := 0
	for {
		row, err := r.Read(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, err
		}
		if err := row.Err(src); err != nil {
			return n, err
		}
		for i, c := range row.Cells {
			vals[i] = c.Value
		}
		date, amount := row.Cells[2].Value, row.Cells[3].Value
		vals[5] = date[:min(4, len(date))]
		a, err := strconv.ParseFloat(string(amount), 64)
		if err != nil {
			return n, fmt.Errorf("row %d: amount %q: %w", row.Line, amount, err)
		}
		vals[6] = no
		if a > 500 {
			vals[6] = yes
		}
		out := outs[1]
		if string(row.Cells[4].Value) == "True" {
			out = outs[0]
		}
		if err := out.Write(ctx, vals); err != nil {
			return n, err
		}
		n++
	}
	for _, w := range outs {
		if err := w.Flush(); err != nil {
			return n, err
		}
	}
	return n, nil
}
