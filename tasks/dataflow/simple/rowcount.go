package simple

import (
	"context"
	"fmt"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// Variables is where Row Count writes its count: the package's variables, as
// the Data Flow task exposes them.
type Variables interface {
	SetVariable(ctx context.Context, name string, value any) error
}

// RowCount is the Row Count transformation ("Row Count Transformation"): a
// synchronous transform that passes every row on and, when its input ends,
// stores the number of rows it saw (an int64) in the variable named
// Variable.
type RowCount struct {
	Label    string
	Variable string
	Vars     Variables

	n int64
}

// Name returns the component's name.
func (c *RowCount) Name() string { return c.Label }

// Outputs returns the one output, which adds no column.
func (c *RowCount) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Row Count Output 1"}}
}

// Prepare checks that the component has a variable to write.
func (c *RowCount) Prepare(*dataflow.Layout) error {
	if c.Variable == "" || c.Vars == nil {
		return fmt.Errorf("%w: Row Count has no variable (set its VariableName property)", dataflow.ErrInvalid)
	}
	c.n = 0
	return nil
}

// Process counts the rows and passes them on.
func (c *RowCount) Process(_ context.Context, _ *dataflow.Buffer, rows []int, r *dataflow.Router) error {
	c.n += int64(len(rows))
	r.SendAll(0, rows)
	return nil
}

// Finish writes the count into the variable.
func (c *RowCount) Finish(ctx context.Context) error {
	if err := c.Vars.SetVariable(ctx, c.Variable, c.n); err != nil {
		return fmt.Errorf("row count into %s: %w", c.Variable, err)
	}
	return nil
}

var (
	_ dataflow.Transform = (*RowCount)(nil)
	_ dataflow.Finisher  = (*RowCount)(nil)
)
