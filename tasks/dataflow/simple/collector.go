package simple

import (
	"context"
	"sync"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// Collector is a destination that keeps the rows it receives: the values of
// the columns with the lineage IDs of Lineage (every column of the buffer
// when empty), in arrival order. Wait, if set, is called for each buffer,
// before the rows are kept, to make a slow destination.
type Collector struct {
	Label   string
	Lineage []int
	Wait    func(ctx context.Context) error

	mu   sync.Mutex
	rows [][]any
	cols []int
}

// Name returns the component's name.
func (c *Collector) Name() string { return c.Label }

// Outputs returns none: a collector is a destination.
func (c *Collector) Outputs() []dataflow.Output { return nil }

// Prepare resolves the collected columns.
func (c *Collector) Prepare(l *dataflow.Layout) error {
	c.cols = c.cols[:0]
	if len(c.Lineage) == 0 {
		for i := range l.Columns {
			c.cols = append(c.cols, i)
		}
		return nil
	}
	for _, id := range c.Lineage {
		i, err := l.Index(id)
		if err != nil {
			return err
		}
		c.cols = append(c.cols, i)
	}
	return nil
}

// Process keeps the rows.
func (c *Collector) Process(ctx context.Context, b *dataflow.Buffer, rows []int, _ *dataflow.Router) error {
	if c.Wait != nil {
		if err := c.Wait(ctx); err != nil {
			return err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range rows {
		row := make([]any, len(c.cols))
		for i, col := range c.cols {
			row[i] = b.Value(col, r)
		}
		c.rows = append(c.rows, row)
	}
	return nil
}

// Rows returns the rows collected so far.
func (c *Collector) Rows() [][]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rows
}

var _ dataflow.Transform = (*Collector)(nil)
