package simple

import (
	"context"
	"fmt"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// Source is a source whose rows are Go values in a slice, one per column of
// Columns (nil for NULL; see Buffer.SetValue for the types).
type Source struct {
	Label   string
	Columns []dataflow.Column
	Rows    [][]any
}

// Name returns the component's name.
func (s *Source) Name() string { return s.Label }

// Outputs returns the one output, named as SSIS names a source's.
func (s *Source) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: s.Label + " Output", Columns: s.Columns}}
}

// Produce sends the rows in buffers as full as the layout allows.
func (s *Source) Produce(ctx context.Context, out *dataflow.Emitter) error {
	b := out.NewBuffer(0)
	for i, row := range s.Rows {
		if len(row) != len(s.Columns) {
			return fmt.Errorf("row %d has %d values for %d columns", i, len(row), len(s.Columns))
		}
		r := b.AddRow()
		for c, v := range row {
			if err := b.SetValue(c, r, v); err != nil {
				return fmt.Errorf("row %d: %w", i, err)
			}
		}
		if b.Full() {
			if err := out.Send(ctx, 0, b); err != nil {
				return err
			}
			b = out.NewBuffer(0)
		}
	}
	return out.Send(ctx, 0, b)
}

// Generator is a source of N generated rows: Fill sets the cells of buffer
// row r to the values of row i (0-based). It holds no rows itself, so it
// can feed a flow of any length.
type Generator struct {
	Label   string
	Columns []dataflow.Column
	N       int
	Fill    func(i int, b *dataflow.Buffer, r int)
	// Created counts the buffers it created, for tests of back-pressure.
	Created func()
}

// Name returns the component's name.
func (g *Generator) Name() string { return g.Label }

// Outputs returns the one output.
func (g *Generator) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: g.Label + " Output", Columns: g.Columns}}
}

// Produce generates the rows.
func (g *Generator) Produce(ctx context.Context, out *dataflow.Emitter) error {
	var b *dataflow.Buffer
	for i := 0; i < g.N; i++ {
		if b == nil {
			b = out.NewBuffer(0)
			if g.Created != nil {
				g.Created()
			}
		}
		g.Fill(i, b, b.AddRow())
		if b.Full() {
			if err := out.Send(ctx, 0, b); err != nil {
				return err
			}
			b = nil
		}
	}
	if b == nil {
		return nil
	}
	return out.Send(ctx, 0, b)
}

var (
	_ dataflow.Source = (*Source)(nil)
	_ dataflow.Source = (*Generator)(nil)
)
