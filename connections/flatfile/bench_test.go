package flatfile_test

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"testing"

	"github.com/dtsx-run/dtsx/connections/flatfile"
	"github.com/dtsx-run/dtsx/internal/benchgen/orders"
)

const benchRows = 100_000

func ordersFile(b *testing.B) []byte {
	var buf bytes.Buffer
	if err := orders.Write(&buf, benchRows, 42); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// readAll reads every row of data and returns their number.
func readAll(b *testing.B, s *flatfile.Spec, data []byte) int {
	ctx := context.Background()
	r, err := flatfile.NewReader(ctx, bytes.NewReader(data), s)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		row, err := r.Read(ctx)
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		if row.Err(s) != nil {
			b.Fatal(row.Err(s))
		}
		n++
	}
}

// benchRead reports, beside the time per file, the time and the
// allocations per row.
func benchRead(b *testing.B, s *flatfile.Spec, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	rows := 0
	for b.Loop() {
		rows += readAll(b, s, data)
	}
	runtime.ReadMemStats(&m1)
	if rows == 0 {
		b.Fatal("no rows read")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/float64(rows), "allocs/row")
}

// BenchmarkReaderUTF8 reads the orders file of bench/flatfile.sh.
func BenchmarkReaderUTF8(b *testing.B) {
	benchRead(b, orders.Spec(), ordersFile(b))
}

// BenchmarkReader1252 reads the same file through the code page 1252
// decoder.
func BenchmarkReader1252(b *testing.B) {
	s := orders.Spec()
	s.CodePage = 1252
	benchRead(b, s, ordersFile(b))
}

// BenchmarkWriterUTF8 writes the orders file's rows again.
func BenchmarkWriterUTF8(b *testing.B) {
	data := ordersFile(b)
	s := orders.Spec()
	ctx := context.Background()
	r, err := flatfile.NewReader(ctx, bytes.NewReader(data), s)
	if err != nil {
		b.Fatal(err)
	}
	var rows [][][]byte
	for {
		row, err := r.Read(ctx)
		if err == io.EOF {
			break
		}
		vals := make([][]byte, len(row.Cells))
		for i, c := range row.Cells {
			vals[i] = bytes.Clone(c.Value)
		}
		rows = append(rows, vals)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		w, err := flatfile.NewWriter(io.Discard, s)
		if err != nil {
			b.Fatal(err)
		}
		for _, v := range rows {
			if err := w.Write(ctx, v); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
}
