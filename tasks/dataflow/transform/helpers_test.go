package transform_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

func col(name string, id int, k dataflow.Kind) dataflow.Column {
	return dataflow.Column{Name: name, LineageID: id, Kind: k}
}

// input is the columns and rows of one source.
type input struct {
	cols []dataflow.Column
	rows [][]any
}

// run runs a pipeline of one source per input into the component, and a
// collector on each of the component's outputs listed in outs; it returns
// the rows of each collector.
func run(t *testing.T, c dataflow.Component, ins []input, outs ...int) ([][][]any, error) {
	t.Helper()
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 3})
	n := p.Add(c)
	for i, in := range ins {
		s := p.Add(&simple.Source{Label: fmt.Sprintf("Source %d", i), Columns: in.cols, Rows: in.rows})
		p.Connect(s, 0, n, i)
	}
	cs := make([]*simple.Collector, len(outs))
	for i, o := range outs {
		cs[i] = &simple.Collector{Label: fmt.Sprintf("Out %d", o)}
		p.Connect(n, o, p.Add(cs[i]), 0)
	}
	_, err := p.Run(context.Background())
	got := make([][][]any, len(cs))
	for i, c := range cs {
		got[i] = c.Rows()
	}
	return got, err
}

// project keeps the first n values of each row (a collector sees every
// column of its buffers).
func project(rows [][]any, n int) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r[:n]
	}
	return out
}

type vars struct{ got map[string]any }

func (v *vars) SetVariable(_ context.Context, n string, value any) error {
	v.got[n] = value
	return nil
}

// slowSink is a destination that sleeps on each buffer and records the
// most rows ever made by the sources and not yet written, scaled by per
// (the input rows behind one written row).
type slowSink struct {
	per                  int64
	written, made, worst *atomic.Int64
}

func (s *slowSink) Name() string                   { return "Slow" }
func (s *slowSink) Outputs() []dataflow.Output     { return nil }
func (s *slowSink) Prepare(*dataflow.Layout) error { return nil }
func (s *slowSink) Process(_ context.Context, _ *dataflow.Buffer, rows []int, _ *dataflow.Router) error {
	if d := s.made.Load() - s.per*s.written.Load(); d > s.worst.Load() {
		s.worst.Store(d)
	}
	time.Sleep(20 * time.Microsecond)
	s.written.Add(int64(len(rows)))
	return nil
}
