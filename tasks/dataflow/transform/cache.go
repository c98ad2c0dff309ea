package transform

import (
	"context"
	"fmt"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// CacheWriter is where the Cache Transform writes its rows: a Cache
// connection manager (connections/cache), which keeps them for the Lookups
// of the rest of the run. writer names the Cache Transform (its refId).
type CacheWriter interface {
	Write(writer string, rows [][]any) error
}

// CacheColumn is an input column of the Cache Transform: its lineage ID
// and the position of the cache column it fills (CacheColumnName).
type CacheColumn struct {
	Lineage int
	Cache   int
}

// Cache is the Cache Transform ("Cache Transform"): a destination that
// keeps the rows it receives, one value per cache column (Width of them,
// each filled by one of Columns), and when its input ends writes them to
// its Cache connection manager. It writes only unique rows, as SSIS does:
// of the rows whose Index columns (positions in the cache, the index
// columns of the manager) are equal, the first. A row with a NULL index
// column is kept, as Lookup never matches it. The rows are held in memory,
// so its memory grows with them.
type Cache struct {
	Label  string
	Writer string
	// Columns fill the cache's columns; every position below Width is
	// filled by one of them.
	Columns []CacheColumn
	Width   int
	Index   []int
	Cache   CacheWriter

	cols []int
	rows [][]any
	seen map[string]bool
	key  []byte
}

// Name returns the component's name.
func (c *Cache) Name() string { return c.Label }

// Outputs returns none: the Cache Transform is a destination.
func (c *Cache) Outputs() []dataflow.Output { return nil }

// Prepare resolves the input columns and starts an empty cache.
func (c *Cache) Prepare(l *dataflow.Layout) error {
	if c.Cache == nil {
		return fmt.Errorf("%w: the Cache Transform has no Cache connection manager", dataflow.ErrInvalid)
	}
	c.cols = make([]int, c.Width)
	filled := make([]bool, c.Width)
	for _, cc := range c.Columns {
		if cc.Cache < 0 || cc.Cache >= c.Width {
			return fmt.Errorf("%w: cache column %d of %d", dataflow.ErrInvalid, cc.Cache, c.Width)
		}
		i, err := l.Index(cc.Lineage)
		if err != nil {
			return err
		}
		c.cols[cc.Cache], filled[cc.Cache] = i, true
	}
	for i, ok := range filled {
		if !ok {
			return fmt.Errorf("%w: cache column %d is filled by no input column", dataflow.ErrInvalid, i)
		}
	}
	c.rows, c.seen = nil, map[string]bool{}
	return nil
}

// Process keeps the rows whose index is new.
func (c *Cache) Process(_ context.Context, b *dataflow.Buffer, rows []int, _ *dataflow.Router) error {
	for _, r := range rows {
		k := c.key[:0]
		null := false
		for _, i := range c.Index {
			var ok bool
			if k, ok = appendValueKey(k, b.Value(c.cols[i], r)); !ok {
				null = true
			}
		}
		c.key = k
		if !null {
			if c.seen[string(k)] {
				continue
			}
			c.seen[string(k)] = true
		}
		row := make([]any, len(c.cols))
		for i, col := range c.cols {
			v := b.Value(col, r)
			if x, ok := v.([]byte); ok {
				v = append([]byte(nil), x...)
			}
			row[i] = v
		}
		c.rows = append(c.rows, row)
	}
	return nil
}

// Finish writes the rows to the cache.
func (c *Cache) Finish(context.Context) error {
	rows := c.rows
	c.rows, c.seen = nil, nil
	if err := c.Cache.Write(c.Writer, rows); err != nil {
		return fmt.Errorf("writing the cache: %w", err)
	}
	return nil
}

var (
	_ dataflow.Transform = (*Cache)(nil)
	_ dataflow.Finisher  = (*Cache)(nil)
)
