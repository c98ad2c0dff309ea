package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dtsx-run/dtsx/connections/flatfile"
	"github.com/dtsx-run/dtsx/internal/benchgen/orders"
	"github.com/dtsx-run/dtsx/internal/runner"
)

const splitRows = 100000

// splitFiles writes the generated orders file of splitRows rows into a
// temporary folder and returns it and the folder.
func splitFiles(b *testing.B) (string, string) {
	b.Helper()
	dir := b.TempDir()
	in := filepath.Join(dir, "orders.csv")
	if err := orders.WriteFile("100000", in); err != nil {
		b.Fatal(err)
	}
	return in, dir
}

// splitRun runs bench/orders-split.dtsx over in, writing into outDir.
func splitRun(b *testing.B, in, outDir string) {
	args := []string{"run", "--conn", "Orders;" + in, "--conn", "Shipped;" + filepath.Join(outDir, "shipped.csv"),
		"--conn", "Pending;" + filepath.Join(outDir, "pending.csv"), filepath.Join("..", "..", "bench", "orders-split.dtsx")}
	var out bytes.Buffer
	if code := run(args, &out, io.Discard); code != runner.ExitSuccess {
		b.Fatalf("dtsx run: exit %d:\n%s", code, out.String())
	}
}

// splitDirect is the job of bench/orders-split.dtsx done with the flat file
// reader and writers alone: the order's year and the customer in upper
// case appended, shipped orders to one file and the rest to another, every
// field quoted.
func splitDirect(b *testing.B, in, outDir string) {
	ctx := context.Background()
	spec := orders.Spec("order_year", "customer_uc")
	for i := range spec.Columns {
		spec.Columns[i].TextQualified = true
	}
	var ws [2]*flatfile.Writer
	for i, name := range []string{"shipped.csv", "pending.csv"} {
		f, err := os.Create(filepath.Join(outDir, name))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if ws[i], err = flatfile.NewWriter(f, spec); err != nil {
			b.Fatal(err)
		}
		ws[i].QuoteAll = true
		if err := ws[i].WriteHeader(ctx, nil); err != nil {
			b.Fatal(err)
		}
	}
	vals := make([][]byte, len(spec.Columns))
	var upper []byte
	err := orders.Read(ctx, in, func(row *flatfile.Row) error {
		for i, c := range row.Cells {
			vals[i] = c.Value
		}
		vals[5] = row.Cells[2].Value[:4]
		upper = append(upper[:0], bytes.ToUpper(row.Cells[1].Value)...)
		vals[6] = upper
		w := ws[1]
		if string(row.Cells[4].Value) == "True" {
			w = ws[0]
		}
		return w.Write(ctx, vals)
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range ws {
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOrdersSplit times bench/orders-split.dtsx through the whole
// `dtsx run` path (load, build, the Data Flow engine with its Flat File
// Source, Derived Column, Conditional Split and two Flat File
// Destinations) on 100,000 generated orders, and beside it, as its
// baseline, the same job with the flat file reader and writers alone
// (direct). Both first write the same files, which it checks;
// bench/dataflow-split.sh prints the ratio of the two.
func BenchmarkOrdersSplit(b *testing.B) {
	in, dir := splitFiles(b)
	for _, side := range []string{"engine", "direct"} {
		if err := os.MkdirAll(filepath.Join(dir, side), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	splitRun(b, in, filepath.Join(dir, "engine"))
	splitDirect(b, in, filepath.Join(dir, "direct"))
	for _, f := range []string{"shipped.csv", "pending.csv"} {
		e, err1 := os.ReadFile(filepath.Join(dir, "engine", f))
		d, err2 := os.ReadFile(filepath.Join(dir, "direct", f))
		if err1 != nil || err2 != nil || !bytes.Equal(e, d) || len(e) == 0 {
			b.Fatalf("the engine and the direct path wrote different %s (%v, %v)", f, err1, err2)
		}
	}
	for _, bm := range []struct {
		name string
		run  func(*testing.B, string, string)
	}{{"engine", splitRun}, {"direct", splitDirect}} {
		b.Run(bm.name, func(b *testing.B) {
			out := filepath.Join(dir, bm.name)
			for b.Loop() {
				bm.run(b, in, out)
			}
			b.ReportMetric(float64(splitRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
