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
	"os"
	"path/filepath"
	"strconv"

	"github.com/dtsx-run/dtsx/connections/flatfile"
	"github.com/dtsx-run/dtsx/internal/benchgen/orders"
)

func main() {
	orders.Main("flatpipe", "flatpipe run FILE OUTDIR", pipe)
}

func pipe(ctx context.Context, in, outDir string) (int64, error) {
	dst := orders.Spec("year", "big")
	var outs [2]*flatfile.Writer
	var files [2]*os.File
	for i, name := range []string{"shipped.csv", "pending.csv"} {
		var err error
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
	var n int64
	err := orders.Read(ctx, in, func(row *flatfile.Row) error {
		for i, c := range row.Cells {
			vals[i] = c.Value
		}
		date, amount := row.Cells[2].Value, row.Cells[3].Value
		vals[5] = date[:min(4, len(date))]
		a, err := strconv.ParseFloat(string(amount), 64)
		if err != nil {
			return fmt.Errorf("row %d: amount %q: %w", row.Line, amount, err)
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
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	for _, w := range outs {
		if err := w.Flush(); err != nil {
			return n, err
		}
	}
	return n, nil
}
