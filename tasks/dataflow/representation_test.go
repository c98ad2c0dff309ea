package dataflow_test

import (
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// BenchmarkRepresentation runs the orders pipeline (1,000,000 rows: source
// → derived value → split → two sinks) with the buffer as the engine stores
// it, by column, and with the two row representations it was chosen
// against: rows of typed cells (one struct a cell, row-major, as SSIS lays
// out its own buffers) and rows of boxed values ([]any). The row variants
// are straight loops with no engine around them, each reusing one buffer
// as the engine reuses its buffers: the most favourable case for them. bench/dataflow-buffers.sh prints the ratios.
func BenchmarkRepresentation(b *testing.B) {
	const n = 1_000_000
	b.Run("columnar-engine", func(b *testing.B) {
		for b.Loop() {
			x, y, err := runOrders(n, nil)
			if err != nil || x.rows+y.rows != n {
				b.Fatal(err)
			}
		}
	})
	b.Run("columnar-loop", func(b *testing.B) {
		for b.Loop() {
			if got := columnarLoop(n); got == 0 {
				b.Fatal("no checksum")
			}
		}
	})
	b.Run("rows-typed", func(b *testing.B) {
		for b.Loop() {
			if got := rowsTyped(n); got == 0 {
				b.Fatal("no checksum")
			}
		}
	})
	b.Run("rows-any", func(b *testing.B) {
		for b.Loop() {
			if got := rowsAny(n); got == 0 {
				b.Fatal("no checksum")
			}
		}
	})
}

// columnarLoop is the pipeline as straight loops over one reused Buffer,
// the engine's representation without the engine.
func columnarLoop(n int) int64 {
	const per = dataflow.DefaultBufferMaxRows
	l, err := dataflow.NewLayout([]dataflow.Column{ordID, ordName, ordDate, ordAmount, ordRush, ordTaxed, ordYear})
	if err != nil {
		panic(err)
	}
	buf := dataflow.NewBuffer(l)
	var sum int64
	selA, selB := make([]int, 0, per), make([]int, 0, per)
	for start := 0; start < n; start += per {
		m := min(per, n-start)
		buf.Reset()
		for i := range m {
			r := buf.AddRow()
			id, name, date, cents, rush, null := order(start + i)
			buf.SetInt64(cID, r, id)
			if !null {
				buf.SetString(cName, r, name)
			}
			buf.SetTime(cDate, r, date)
			buf.SetDecimal(cAmount, r, dataflow.NewDecimal(cents, 2))
			buf.SetBool(cRush, r, rush)
		}
		for r := range m {
			c, _ := buf.Decimal(cAmount, r).Coefficient()
			buf.SetDecimal(cTaxed, r, dataflow.NewDecimal(c*12/10, 2))
			buf.SetInt64(cYear, r, int64(buf.Time(cDate, r).Year()))
		}
		selA, selB = selA[:0], selB[:0]
		for r := range m {
			if !buf.IsNull(cRush, r) && buf.Bool(cRush, r) {
				selA = append(selA, r)
			} else {
				selB = append(selB, r)
			}
		}
		for _, sel := range [][]int{selA, selB} {
			for _, r := range sel {
				sum += buf.Int64(cID, r) + buf.Int64(cYear, r) + int64(buf.Time(cDate, r).Day())
				if !buf.IsNull(cName, r) {
					sum += int64(len(buf.String(cName, r)))
				}
				c, _ := buf.Decimal(cTaxed, r).Coefficient()
				sum += c
			}
		}
	}
	return sum
}

// cell is one typed cell of a row-major buffer.
type cell struct {
	null bool
	b    bool
	i    int64
	s    string
	t    time.Time
	d    dataflow.Decimal
}

const (
	cID = iota
	cName
	cDate
	cAmount
	cRush
	cTaxed
	cYear
	nCols
)

func rowsTyped(n int) int64 {
	const per = dataflow.DefaultBufferMaxRows
	var sum int64
	selA, selB := make([]int, 0, per), make([]int, 0, per)
	buf := make([]cell, per*nCols)
	for start := 0; start < n; start += per {
		m := min(per, n-start)
		for r := range m {
			id, name, date, cents, rush, null := order(start + r)
			row := buf[r*nCols : (r+1)*nCols]
			row[cID] = cell{i: id}
			row[cName] = cell{s: name, null: null}
			row[cDate] = cell{t: date}
			row[cAmount] = cell{d: dataflow.NewDecimal(cents, 2)}
			row[cRush] = cell{b: rush}
		}
		for r := range m {
			row := buf[r*nCols : (r+1)*nCols]
			c, _ := row[cAmount].d.Coefficient()
			row[cTaxed] = cell{d: dataflow.NewDecimal(c*12/10, 2)}
			row[cYear] = cell{i: int64(row[cDate].t.Year())}
		}
		selA, selB = selA[:0], selB[:0]
		for r := range m {
			if c := buf[r*nCols+cRush]; !c.null && c.b {
				selA = append(selA, r)
			} else {
				selB = append(selB, r)
			}
		}
		for _, sel := range [][]int{selA, selB} {
			for _, r := range sel {
				row := buf[r*nCols : (r+1)*nCols]
				sum += row[cID].i + row[cYear].i + int64(row[cDate].t.Day())
				if !row[cName].null {
					sum += int64(len(row[cName].s))
				}
				c, _ := row[cTaxed].d.Coefficient()
				sum += c
			}
		}
	}
	return sum
}

func rowsAny(n int) int64 {
	const per = dataflow.DefaultBufferMaxRows
	var sum int64
	selA, selB := make([]int, 0, per), make([]int, 0, per)
	buf := make([]any, per*nCols)
	for start := 0; start < n; start += per {
		m := min(per, n-start)
		for r := range m {
			id, name, date, cents, rush, null := order(start + r)
			row := buf[r*nCols : (r+1)*nCols]
			row[cID] = id
			row[cName] = nil
			if !null {
				row[cName] = name
			}
			row[cDate] = date
			row[cAmount] = dataflow.NewDecimal(cents, 2)
			row[cRush] = rush
		}
		for r := range m {
			row := buf[r*nCols : (r+1)*nCols]
			c, _ := row[cAmount].(dataflow.Decimal).Coefficient()
			row[cTaxed] = dataflow.NewDecimal(c*12/10, 2)
			row[cYear] = int64(row[cDate].(time.Time).Year())
		}
		selA, selB = selA[:0], selB[:0]
		for r := range m {
			if v, ok := buf[r*nCols+cRush].(bool); ok && v {
				selA = append(selA, r)
			} else {
				selB = append(selB, r)
			}
		}
		for _, sel := range [][]int{selA, selB} {
			for _, r := range sel {
				row := buf[r*nCols : (r+1)*nCols]
				sum += row[cID].(int64) + row[cYear].(int64) + int64(row[cDate].(time.Time).Day())
				if s, ok := row[cName].(string); ok {
					sum += int64(len(s))
				}
				c, _ := row[cTaxed].(dataflow.Decimal).Coefficient()
				sum += c
			}
		}
	}
	return sum
}

// The three representations compute the same checksum.
func TestRepresentationsAgree(t *testing.T) {
	const n = 50_000
	a, b, err := runOrders(n, nil)
	if err != nil {
		t.Fatal(err)
	}
	engine := a.sum + b.sum
	if loop, typed, boxed := columnarLoop(n), rowsTyped(n), rowsAny(n); loop != engine || typed != engine || boxed != engine {
		t.Errorf("checksums: engine %d, columnar-loop %d, rows-typed %d, rows-any %d", engine, loop, typed, boxed)
	}
}
