package transform

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// SortedInput describes one input of Merge or Merge Join: whether the
// output it comes from is sorted (the IsSorted property of that output),
// and its key columns in order of their SortKeyPosition (Keys[i] is the
// lineage ID of the column at position i+1; Descending[i] when that
// position is negative). ComparisonFlags are the key columns' flags.
type SortedInput struct {
	IsSorted        bool
	Keys            []int
	Descending      []bool
	ComparisonFlags []Comparison
}

func (s SortedInput) keys(in *dataflow.Input, n int, locale string) ([]key, error) {
	if !s.IsSorted {
		return nil, fmt.Errorf("%w: input %q is not sorted: set IsSorted on the output it comes from and SortKeyPosition on its key columns (or put a Sort before it)", dataflow.ErrInvalid, in.Name())
	}
	if n <= 0 {
		n = len(s.Keys)
	}
	if n == 0 || len(s.Keys) < n {
		return nil, fmt.Errorf("%w: input %q has %d sort key columns, want %d (set SortKeyPosition on its key columns)", dataflow.ErrInvalid, in.Name(), len(s.Keys), max(n, 1))
	}
	keys := make([]key, n)
	for i := range n {
		var f Comparison
		if i < len(s.ComparisonFlags) {
			f = s.ComparisonFlags[i]
		}
		desc := i < len(s.Descending) && s.Descending[i]
		var err error
		if keys[i], err = newKey(in.Layout(), s.Keys[i], desc, locale, f); err != nil {
			return nil, fmt.Errorf("input %q: %w", in.Name(), err)
		}
	}
	return keys, nil
}

func checkKeyKinds(a, b *dataflow.Input, ka, kb []key) error {
	for i := range ka {
		ca, cb := a.Layout().Columns[ka[i].col], b.Layout().Columns[kb[i].col]
		if !sameClass(ca.Kind, cb.Kind) || ka[i].desc != kb[i].desc {
			return fmt.Errorf("%w: key %d: column %q (%s) of %q and column %q (%s) of %q do not have the same type and order",
				dataflow.ErrInvalid, i+1, ca.Name, ca.Kind, a.Name(), cb.Name, cb.Kind, b.Name())
		}
	}
	return nil
}

// cursor walks the rows of an input in order and checks that they come
// sorted by its keys.
type cursor struct {
	in   *dataflow.Input
	keys []key
	cur  dataflow.Batch
	i    int
	eof  bool
	prev rowRef
	has  bool
}

// peek returns the current row, or ok false at the end of the input.
func (c *cursor) peek(ctx context.Context) (rowRef, bool, error) {
	for !c.eof && c.i >= len(c.cur.Rows) {
		b, err := c.in.Next(ctx)
		if errors.Is(err, io.EOF) {
			c.eof = true
			break
		}
		if err != nil {
			return rowRef{}, false, err
		}
		c.cur, c.i = b, 0
	}
	if c.eof {
		return rowRef{}, false, nil
	}
	x := rowRef{c.cur.Buffer, c.cur.Rows[c.i]}
	if c.has && compareRows(c.keys, c.prev.b, c.prev.r, c.keys, x.b, x.r) > 0 {
		return rowRef{}, false, fmt.Errorf("%w: input %q is not sorted as its SortKeyPosition properties say: a row arrived after a row with a greater key", dataflow.ErrInvalid, c.in.Name())
	}
	return x, true, nil
}

// peekBoth peeks at the next row of each of the two cursors.
func peekBoth(ctx context.Context, cur [2]*cursor) (a, b rowRef, okA, okB bool, err error) {
	if a, okA, err = cur[0].peek(ctx); err != nil {
		return a, b, okA, okB, err
	}
	b, okB, err = cur[1].peek(ctx)
	return a, b, okA, okB, err
}

func (c *cursor) next() {
	c.prev, c.has = rowRef{c.cur.Buffer, c.cur.Rows[c.i]}, true
	c.i++
}

// Merge is the Merge transformation ("Merge Transformation"): it combines
// two sorted inputs into one output sorted the same way. Both inputs must be
// sorted (IsSorted, SortKeyPosition) on keys of the same types;
// rows with equal keys come from the first input first. Columns are the
// output columns; InputColumns[i][j] is the lineage ID of the column of
// input i that feeds output column j (0 for none).
type Merge struct {
	Label        string
	Columns      []dataflow.Column
	InputColumns [2][]int
	Inputs       [2]SortedInput
	Locale       string
}

// Name returns the component's name.
func (m *Merge) Name() string { return m.Label }

// Outputs returns the one output, "Merge Output 1".
func (m *Merge) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Merge Output 1", Columns: m.Columns}}
}

// Run merges the inputs.
func (m *Merge) Run(ctx context.Context, in []*dataflow.Input, out *dataflow.Emitter) error {
	if len(in) != 2 {
		return fmt.Errorf("%w: Merge has %d inputs, want 2", dataflow.ErrInvalid, len(in))
	}
	var cur [2]*cursor
	var maps [2][]int
	for i := range 2 {
		keys, err := m.Inputs[i].keys(in[i], 0, m.Locale)
		if err != nil {
			return err
		}
		if maps[i], err = columnMap(in[i], m.Columns, m.InputColumns[i]); err != nil {
			return err
		}
		cur[i] = &cursor{in: in[i], keys: keys}
	}
	if len(cur[0].keys) != len(cur[1].keys) {
		return fmt.Errorf("%w: the inputs of Merge have %d and %d sort key columns", dataflow.ErrInvalid, len(cur[0].keys), len(cur[1].keys))
	}
	if err := checkKeyKinds(in[0], in[1], cur[0].keys, cur[1].keys); err != nil {
		return err
	}
	ob := out.NewBuffer(0)
	for {
		a, b, okA, okB, err := peekBoth(ctx, cur)
		if err != nil {
			return err
		}
		if !okA && !okB {
			break
		}
		pick := 0
		if !okA || (okB && compareRows(cur[0].keys, a.b, a.r, cur[1].keys, b.b, b.r) > 0) {
			pick = 1
		}
		x := a
		if pick == 1 {
			x = b
		}
		ob.CopyRow(ob.AddRow(), x.b, x.r, maps[pick])
		cur[pick].next()
		if ob.Full() {
			if err := out.Send(ctx, 0, ob); err != nil {
				return err
			}
			ob = out.NewBuffer(0)
		}
	}
	return out.Send(ctx, 0, ob)
}

// JoinType is the kind of join of Merge Join, as persisted in its JoinType
// property.
type JoinType int

// The join types.
const (
	FullOuterJoin JoinType = 0
	LeftOuterJoin JoinType = 1
	InnerJoin     JoinType = 2
)

// MergeJoinColumn is an output column of Merge Join: the column, the input
// it comes from (0 left, 1 right) and the lineage ID of the input column
// (its InputColumnID property).
type MergeJoinColumn struct {
	Column        dataflow.Column
	Input         int
	InputColumnID int
}

// MergeJoin is the Merge Join transformation ("Merge Join Transformation"):
// it joins two inputs sorted on their join keys (IsSorted on the outputs
// they come from, SortKeyPosition on the key columns) with an inner, left
// outer or full outer join (JoinType). NumKeyColumns is the number of
// leading sort key columns joined on. With TreatNullsAsEqual, NULL keys
// join NULL keys, as in SSIS's default; without it a NULL key joins
// nothing; SSIS's default is True, which the adapter passes on. Rows of
// the outer side without a match get NULL in the other side's columns.
// Merge Join holds the rows of the current key of each input only, reading
// the input it needs next; it reports an input that is not sorted as it
// says. When both inputs come from one execution tree (a Multicast into
// both), a long run of keys on one side can fill the other side's queue and
// stall that tree until the flow is cancelled; SSIS lets Merge Join hold
// more buffers then (MaxBuffersPerInput), which this one does not yet do.
type MergeJoin struct {
	Label             string
	JoinType          JoinType
	NumKeyColumns     int
	TreatNullsAsEqual bool
	Columns           []MergeJoinColumn
	Inputs            [2]SortedInput
	Locale            string
}

// Name returns the component's name.
func (m *MergeJoin) Name() string { return m.Label }

// Outputs returns the one output, "Merge Join Output".
func (m *MergeJoin) Outputs() []dataflow.Output {
	cols := make([]dataflow.Column, len(m.Columns))
	for i, c := range m.Columns {
		cols[i] = c.Column
	}
	return []dataflow.Output{{Name: "Merge Join Output", Columns: cols}}
}

func hasNullKey(keys []key, x rowRef) bool {
	for _, k := range keys {
		if x.b.IsNull(k.col, x.r) {
			return true
		}
	}
	return false
}

// Run joins the inputs.
func (m *MergeJoin) Run(ctx context.Context, in []*dataflow.Input, out *dataflow.Emitter) error {
	if len(in) != 2 {
		return fmt.Errorf("%w: Merge Join has %d inputs, want 2", dataflow.ErrInvalid, len(in))
	}
	if m.JoinType < FullOuterJoin || m.JoinType > InnerJoin {
		return fmt.Errorf("%w: Merge Join has JoinType %d (want 0 full outer, 1 left outer or 2 inner)", dataflow.ErrInvalid, m.JoinType)
	}
	if m.NumKeyColumns <= 0 {
		return fmt.Errorf("%w: Merge Join has NumKeyColumns %d (want at least 1)", dataflow.ErrInvalid, m.NumKeyColumns)
	}
	var cur [2]*cursor
	for i := range 2 {
		keys, err := m.Inputs[i].keys(in[i], m.NumKeyColumns, m.Locale)
		if err != nil {
			return err
		}
		cur[i] = &cursor{in: in[i], keys: keys}
	}
	if err := checkKeyKinds(in[0], in[1], cur[0].keys, cur[1].keys); err != nil {
		return err
	}
	var maps [2][]int
	for i := range 2 {
		maps[i] = make([]int, len(m.Columns))
		for j, c := range m.Columns {
			maps[i][j] = -1
			if c.Input != i || c.InputColumnID == 0 {
				continue
			}
			if c.Input < 0 || c.Input > 1 {
				return fmt.Errorf("%w: output column %q comes from input %d (want 0 or 1)", dataflow.ErrInvalid, c.Column.Name, c.Input)
			}
			k, err := in[i].Layout().Index(c.InputColumnID)
			if err != nil {
				return fmt.Errorf("input %q, output column %q: %w", in[i].Name(), c.Column.Name, err)
			}
			if ic := in[i].Layout().Columns[k]; !sameClass(ic.Kind, c.Column.Kind) {
				return fmt.Errorf("%w: input %q: column %q (%s) cannot feed output column %q (%s)",
					dataflow.ErrInvalid, in[i].Name(), ic.Name, ic.Kind, c.Column.Name, c.Column.Kind)
			}
			maps[i][j] = k
		}
	}
	ob := out.NewBuffer(0)
	emit := func(l, r *rowRef) error {
		row := ob.AddRow()
		switch {
		case l == nil:
			ob.CopyRow(row, r.b, r.r, maps[1])
		case r == nil:
			ob.CopyRow(row, l.b, l.r, maps[0])
		default:
			ob.CopyRow(row, l.b, l.r, maps[0])
			for j, c := range maps[1] {
				if c >= 0 {
					if err := ob.SetValue(j, row, r.b.Value(c, r.r)); err != nil {
						return err
					}
				}
			}
		}
		if ob.Full() {
			if err := out.Send(ctx, 0, ob); err != nil {
				return err
			}
			ob = out.NewBuffer(0)
		}
		return nil
	}
	// group reads the rows of input i with the key of its current row.
	group := func(i int, first rowRef) ([]rowRef, error) {
		g := []rowRef{first}
		cur[i].next()
		for {
			x, ok, err := cur[i].peek(ctx)
			if err != nil || !ok {
				return g, err
			}
			if compareRows(cur[i].keys, first.b, first.r, cur[i].keys, x.b, x.r) != 0 {
				return g, nil
			}
			g = append(g, x)
			cur[i].next()
		}
	}
	for {
		a, b, okA, okB, err := peekBoth(ctx, cur)
		if err != nil {
			return err
		}
		if !okA && !okB {
			break
		}
		c := 0
		switch {
		case !okA:
			c = 1
		case !okB:
			c = -1
		default:
			c = compareRows(cur[0].keys, a.b, a.r, cur[1].keys, b.b, b.r)
		}
		switch {
		case c < 0:
			cur[0].next()
			if m.JoinType != InnerJoin {
				if err := emit(&a, nil); err != nil {
					return err
				}
			}
		case c > 0:
			cur[1].next()
			if m.JoinType == FullOuterJoin {
				if err := emit(nil, &b); err != nil {
					return err
				}
			}
		default:
			ga, err := group(0, a)
			if err != nil {
				return err
			}
			gb, err := group(1, b)
			if err != nil {
				return err
			}
			if !m.TreatNullsAsEqual && hasNullKey(cur[0].keys, a) {
				// NULL keys join nothing: each side is unmatched.
				for i := range ga {
					if m.JoinType != InnerJoin {
						if err := emit(&ga[i], nil); err != nil {
							return err
						}
					}
				}
				for i := range gb {
					if m.JoinType == FullOuterJoin {
						if err := emit(nil, &gb[i]); err != nil {
							return err
						}
					}
				}
				continue
			}
			for i := range ga {
				for j := range gb {
					if err := emit(&ga[i], &gb[j]); err != nil {
						return err
					}
				}
			}
		}
	}
	return out.Send(ctx, 0, ob)
}

var (
	_ dataflow.Async = (*Merge)(nil)
	_ dataflow.Async = (*MergeJoin)(nil)
)
