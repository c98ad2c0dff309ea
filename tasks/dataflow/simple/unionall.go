package simple

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// UnionAll is the Union All transformation ("Union All Transformation"): an
// asynchronous component that copies the rows of all its inputs, in the
// order they arrive, into buffers of its one output. Map[i][j] is the
// lineage ID of the column of input i that feeds output column j; 0 (or a
// missing entry) leaves the output column NULL for that input's rows.
type UnionAll struct {
	Label   string
	Columns []dataflow.Column
	Map     [][]int
}

// Name returns the component's name.
func (u *UnionAll) Name() string { return u.Label }

// Outputs returns the one output.
func (u *UnionAll) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Union All Output 1", Columns: u.Columns}}
}

type unionBatch struct {
	in int
	dataflow.Batch
}

// Run merges the inputs. Each input is read on a goroutine of its own, so
// that a full queue on one input never waits for another.
func (u *UnionAll) Run(ctx context.Context, in []*dataflow.Input, out *dataflow.Emitter) error {
	maps := make([][]int, len(in))
	for i, input := range in {
		maps[i] = make([]int, len(u.Columns))
		for j, oc := range u.Columns {
			maps[i][j] = -1
			if i >= len(u.Map) || j >= len(u.Map[i]) || u.Map[i][j] == 0 {
				continue
			}
			c, err := input.Layout().Index(u.Map[i][j])
			if err != nil {
				return fmt.Errorf("input %q, output column %q: %w", input.Name(), oc.Name, err)
			}
			if ic := input.Layout().Columns[c]; !sameStorage(ic.Kind, oc.Kind) {
				return fmt.Errorf("%w: input %q: column %q (%s) cannot feed output column %q (%s)",
					dataflow.ErrInvalid, input.Name(), ic.Name, ic.Kind, oc.Name, oc.Kind)
			}
			maps[i][j] = c
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	merged := make(chan unionBatch)
	var wg sync.WaitGroup
	for i, input := range in {
		wg.Go(func() {
			for {
				b, err := input.Next(ctx)
				if errors.Is(err, io.EOF) {
					return
				}
				if err != nil {
					cancel(err)
					return
				}
				select {
				case merged <- unionBatch{i, b}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(merged) }()
	ob := out.NewBuffer(0)
	for ub := range merged {
		for _, r := range ub.Rows {
			ob.CopyRow(ob.AddRow(), ub.Buffer, r, maps[ub.in])
			if ob.Full() {
				if err := out.Send(ctx, 0, ob); err != nil {
					cancel(err)
					for range merged {
					}
					return err
				}
				ob = out.NewBuffer(0)
			}
		}
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return out.Send(ctx, 0, ob)
}

func sameStorage(a, b dataflow.Kind) bool {
	group := func(k dataflow.Kind) int {
		switch k {
		case dataflow.KindInt8, dataflow.KindInt16, dataflow.KindInt32, dataflow.KindInt64,
			dataflow.KindUint8, dataflow.KindUint16, dataflow.KindUint32, dataflow.KindUint64:
			return 1
		case dataflow.KindFloat32, dataflow.KindFloat64:
			return 2
		case dataflow.KindString, dataflow.KindWString:
			return 3
		case dataflow.KindBytes, dataflow.KindGUID:
			return 4
		}
		return 10 + int(k)
	}
	return group(a) == group(b)
}

var _ dataflow.Async = (*UnionAll)(nil)
