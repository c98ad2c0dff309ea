// Package orders writes the generated orders file of bench/flatfile.sh and
// of the flat-file reader's benchmarks, the Flat File layout that reads it,
// and the command line the commands over it share. Nothing here is used at
// run time.
package orders

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/dtsx-run/dtsx/connections/flatfile"
)

// Columns are the file's columns, in order.
var Columns = []string{"order_id", "customer", "order_date", "amount", "shipped"}

var names = []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne"}
var suffixes = []string{"Ltd", "Inc", "GmbH", "SA", "plc"}

// Write writes a header row and n orders, comma-delimited with CR LF rows:
// an integer id, a customer name (one in five quoted, holding a comma, and
// one in fifty holding a doubled quote), an ISO date, a decimal amount with
// two places and True or False. The same seed writes the same file.
func Write(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	r := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	bw.WriteString("order_id,customer,order_date,amount,shipped\r\n")
	var b []byte
	for i := 1; i <= n; i++ {
		b = b[:0]
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		name := names[r.IntN(len(names))]
		switch k := r.IntN(50); {
		case k == 0:
			b = append(b, `"`...)
			b = append(b, name...)
			b = append(b, ` ""The Best"", `...)
			b = append(b, suffixes[r.IntN(len(suffixes))]...)
			b = append(b, `"`...)
		case k < 10:
			b = append(b, `"`...)
			b = append(b, name...)
			b = append(b, ", "...)
			b = append(b, suffixes[r.IntN(len(suffixes))]...)
			b = append(b, `"`...)
		default:
			b = append(b, name...)
			b = append(b, ' ')
			b = append(b, suffixes[r.IntN(len(suffixes))]...)
		}
		b = append(b, ',')
		b = fmt.Appendf(b, "%04d-%02d-%02d", 2015+r.IntN(10), 1+r.IntN(12), 1+r.IntN(28))
		b = append(b, ',')
		cents := r.IntN(100000)
		b = strconv.AppendInt(b, int64(cents/100), 10)
		b = fmt.Appendf(b, ".%02d", cents%100)
		if r.IntN(3) == 0 {
			b = append(b, ",False\r\n"...)
		} else {
			b = append(b, ",True\r\n"...)
		}
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("orders: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("orders: %w", err)
	}
	return nil
}

// Spec returns the Flat File layout of the orders file: UTF-8, a
// column-names row, double-quote qualifier, extra columns appended
// (delimited by commas, the last by CR LF) for a derived output.
func Spec(extra ...string) *flatfile.Spec {
	s := flatfile.New()
	s.Name, s.Path = "Orders", "Package.ConnectionManagers[Orders]"
	s.CodePage = flatfile.CodePageUTF8
	s.ColumnNamesInFirstDataRow = true
	s.TextQualifier = `"`
	types := []int{3, 129, 133, 131, 11}
	all := append(append([]string(nil), Columns...), extra...)
	for i, c := range all {
		dt := 129
		if i < len(types) {
			dt = types[i]
		}
		s.Columns = append(s.Columns, flatfile.Column{Name: c, Delimiter: ",", DataType: dt, TextQualified: dt == 129, MaximumWidth: 50,
			Path: s.Path + ".FlatFileColumns[" + c + "]"})
	}
	s.Columns[len(s.Columns)-1].Delimiter = "\r\n"
	return s
}

// WriteFile writes the orders file of count rows (a whole number above 0,
// as the gen commands take it) to path, with the seed the benchmarks use.
func WriteFile(count, path string) error {
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 {
		return fmt.Errorf("N must be a whole number above 0")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := Write(f, n, 42); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Read reads the orders file at path with the flat-file reader and Spec(),
// calling each for every data row; a cell error or an error from each stops
// it and is returned.
func Read(ctx context.Context, path string, each func(*flatfile.Row) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	spec := Spec()
	r, err := flatfile.NewReader(ctx, f, spec)
	if err != nil {
		return err
	}
	for {
		row, err := r.Read(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := row.Err(spec); err != nil {
			return err
		}
		if err := each(row); err != nil {
			return err
		}
	}
}

// Main is the command line of a command over the orders file, named name:
// "name gen N FILE" writes the file with WriteFile, and "name run A B"
// calls run with A and B and prints the count it returns. runUsage is the
// run form for the usage line. An error is printed behind the name and
// exits with status 1.
func Main(name, runUsage string, run func(ctx context.Context, a, b string) (int64, error)) {
	args := os.Args[1:]
	err := fmt.Errorf("usage: %s gen N FILE | %s", name, runUsage)
	switch {
	case len(args) == 3 && args[0] == "gen":
		err = WriteFile(args[1], args[2])
	case len(args) == 3 && args[0] == "run":
		var n int64
		if n, err = run(context.Background(), args[1], args[2]); err == nil {
			fmt.Println(n)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
