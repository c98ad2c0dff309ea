package simple

import (
	"context"
	"fmt"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// Multicast is the Multicast transformation ("Multicast Transformation"):
// every row goes to each of its N outputs.
type Multicast struct {
	Label string
	N     int
}

// Name returns the component's name.
func (m *Multicast) Name() string { return m.Label }

// Outputs returns the N outputs, named as SSIS names them.
func (m *Multicast) Outputs() []dataflow.Output {
	outs := make([]dataflow.Output, m.N)
	for i := range outs {
		outs[i].Name = fmt.Sprintf("Multicast Output %d", i+1)
	}
	return outs
}

// Prepare does nothing: Multicast reads no column.
func (m *Multicast) Prepare(*dataflow.Layout) error { return nil }

// Process sends every row to every output.
func (m *Multicast) Process(_ context.Context, _ *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	for i := 0; i < m.N; i++ {
		r.SendAll(i, rows)
	}
	return nil
}

var _ dataflow.Transform = (*Multicast)(nil)
