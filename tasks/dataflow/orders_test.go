package dataflow_test

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

// The orders pipeline of the benchmarks and the memory test: a generated
// source of integer, string, date, decimal and Boolean columns → a derived
// value → a split on the Boolean → two sinks.

var (
	ordID     = dataflow.Column{Name: "OrderID", LineageID: 1, Kind: dataflow.KindInt64}
	ordName   = dataflow.Column{Name: "Customer", LineageID: 2, Kind: dataflow.KindWString, Length: 40}
	ordDate   = dataflow.Column{Name: "OrderDate", LineageID: 3, Kind: dataflow.KindTime}
	ordAmount = dataflow.Column{Name: "Amount", LineageID: 4, Kind: dataflow.KindDecimal, Precision: 18, Scale: 2}
	ordRush   = dataflow.Column{Name: "Rush", LineageID: 5, Kind: dataflow.KindBool}
	ordTaxed  = dataflow.Column{Name: "Taxed", LineageID: 6, Kind: dataflow.KindDecimal, Precision: 18, Scale: 2}
	ordYear   = dataflow.Column{Name: "Year", LineageID: 7, Kind: dataflow.KindInt32}
)

var (
	customers = func() []string {
		s := make([]string, 1000)
		for i := range s {
			s[i] = fmt.Sprintf("Customer %04d, \"quoted\"", i)
		}
		return s
	}()
	epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
)

// order returns the values of order i.
func order(i int) (id int64, name string, date time.Time, cents int64, rush bool, null bool) {
	return int64(i), customers[i%len(customers)], epoch.AddDate(0, 0, i%3650), int64(i*37%100000 + 1), i%3 == 0, i%101 == 0
}

func ordersSource(n int) *simple.Generator {
	return &simple.Generator{Label: "Orders", N: n,
		Columns: []dataflow.Column{ordID, ordName, ordDate, ordAmount, ordRush},
		Fill: func(i int, b *dataflow.Buffer, r int) {
			id, name, date, cents, rush, null := order(i)
			b.SetInt64(0, r, id)
			if !null {
				b.SetString(1, r, name)
			}
			b.SetTime(2, r, date)
			b.SetDecimal(3, r, dataflow.NewDecimal(cents, 2))
			b.SetBool(4, r, rush)
		}}
}

// derive adds Taxed = Amount × 1.2 (rounded down to cents) and Year =
// YEAR(OrderDate).
type derive struct{ amount, date, taxed, year int }

func (d *derive) Name() string { return "Derived Column" }
func (d *derive) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Derived Column Output", Columns: []dataflow.Column{ordTaxed, ordYear}}}
}
func (d *derive) Prepare(l *dataflow.Layout) error {
	d.amount, _ = l.Index(ordAmount.LineageID)
	d.date, _ = l.Index(ordDate.LineageID)
	d.taxed, _ = l.Index(ordTaxed.LineageID)
	d.year, _ = l.Index(ordYear.LineageID)
	return nil
}
func (d *derive) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	for _, row := range rows {
		c, _ := b.Decimal(d.amount, row).Coefficient()
		b.SetDecimal(d.taxed, row, dataflow.NewDecimal(c*12/10, 2))
		b.SetInt64(d.year, row, int64(b.Time(d.date, row).Year()))
	}
	r.SendAll(0, rows)
	return nil
}

// split sends rush orders to output 0 and the others to output 1.
type split struct{ rush int }

func (s *split) Name() string { return "Conditional Split" }
func (s *split) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Rush"}, {Name: "Conditional Split Default Output"}}
}
func (s *split) Prepare(l *dataflow.Layout) (err error) {
	s.rush, err = l.Index(ordRush.LineageID)
	return err
}
func (s *split) Process(_ context.Context, b *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	for _, row := range rows {
		if !b.IsNull(s.rush, row) && b.Bool(s.rush, row) {
			r.Send(0, row)
		} else {
			r.Send(1, row)
		}
	}
	return nil
}

// sink reads every column of the rows it receives (as a writer would) and
// keeps a checksum; peak, when set, samples the heap at each buffer.
type sink struct {
	label                       string
	id, name, date, taxed, year int
	rows, sum                   int64
	buffers                     int
	peak                        *uint64
}

func (s *sink) Name() string               { return s.label }
func (s *sink) Outputs() []dataflow.Output { return nil }
func (s *sink) Prepare(l *dataflow.Layout) error {
	s.id, _ = l.Index(ordID.LineageID)
	s.name, _ = l.Index(ordName.LineageID)
	s.date, _ = l.Index(ordDate.LineageID)
	s.taxed, _ = l.Index(ordTaxed.LineageID)
	s.year, _ = l.Index(ordYear.LineageID)
	return nil
}
func (s *sink) Process(_ context.Context, b *dataflow.Buffer, rows []int, _ *dataflow.Router) error {
	for _, row := range rows {
		s.sum += b.Int64(s.id, row) + b.Int64(s.year, row) + int64(b.Time(s.date, row).Day())
		if !b.IsNull(s.name, row) {
			s.sum += int64(len(b.String(s.name, row)))
		}
		c, _ := b.Decimal(s.taxed, row).Coefficient()
		s.sum += c
	}
	s.rows += int64(len(rows))
	s.buffers++
	if s.peak != nil {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		*s.peak = max(*s.peak, ms.HeapAlloc)
	}
	return nil
}

// runOrders runs the orders pipeline on the engine and returns its sinks.
func runOrders(n int, peak *uint64) (*sink, *sink, error) {
	p := dataflow.New(dataflow.Options{})
	src := p.Add(ordersSource(n))
	d, s := p.Add(&derive{}), p.Add(&split{})
	a, b := &sink{label: "Rush orders", peak: peak}, &sink{label: "Other orders", peak: peak}
	p.Connect(src, 0, d, 0)
	p.Connect(d, 0, s, 0)
	p.Connect(s, 0, p.Add(a), 0)
	p.Connect(s, 1, p.Add(b), 0)
	_, err := p.Run(context.Background())
	return a, b, err
}
