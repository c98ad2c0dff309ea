package transform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// SortKey is an input column Sort orders by: its lineage ID, its
// NewSortKeyPosition (1 for the first key, negative for a descending key)
// and its NewComparisonFlags.
type SortKey struct {
	Lineage            int
	NewSortKeyPosition int
	NewComparisonFlags Comparison
}

// Sort is the Sort transformation ("Sort Transformation"): an asynchronous,
// blocking component that keeps every row of its input until the input
// ends, orders the rows by its keys (stable: rows with equal keys keep their
// order) and sends them in that order. With EliminateDuplicates it sends
// only the first row of each set of rows whose sort keys compare equal.
// Columns are the output columns; SortColumnID[j] is the lineage ID of the
// input column that feeds output column j (its SortColumnId property), 0
// for none. Locale is the BCP 47 tag of the component's LocaleID.
//
// Sort keeps the buffers it receives, so its memory grows with the rows of
// its input; as in SSIS, nothing leaves it before its input has ended.
type Sort struct {
	Label               string
	Columns             []dataflow.Column
	SortColumnID        []int
	Keys                []SortKey
	EliminateDuplicates bool
	Locale              string
}

// Name returns the component's name.
func (s *Sort) Name() string { return s.Label }

// Outputs returns the one output, "Sort Output".
func (s *Sort) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Sort Output", Columns: s.Columns}}
}

type rowRef struct {
	b *dataflow.Buffer
	r int
}

// sortKeys orders the keys by the absolute value of their positions and
// resolves them in the layout.
func sortKeys(l *dataflow.Layout, ks []SortKey, locale string) ([]key, error) {
	if len(ks) == 0 {
		return nil, fmt.Errorf("%w: no sort key (set NewSortKeyPosition on at least one input column)", dataflow.ErrInvalid)
	}
	ks = slices.Clone(ks)
	abs := func(n int) int { return max(n, -n) }
	slices.SortStableFunc(ks, func(a, b SortKey) int { return abs(a.NewSortKeyPosition) - abs(b.NewSortKeyPosition) })
	keys := make([]key, len(ks))
	for i, k := range ks {
		if k.NewSortKeyPosition == 0 {
			return nil, fmt.Errorf("%w: sort key with lineage ID %d has NewSortKeyPosition 0", dataflow.ErrInvalid, k.Lineage)
		}
		var err error
		if keys[i], err = newKey(l, k.Lineage, k.NewSortKeyPosition < 0, locale, k.NewComparisonFlags); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// Run reads every row, sorts and sends them.
func (s *Sort) Run(ctx context.Context, in []*dataflow.Input, out *dataflow.Emitter) error {
	if len(in) != 1 {
		return fmt.Errorf("%w: Sort has %d inputs, want 1", dataflow.ErrInvalid, len(in))
	}
	keys, err := sortKeys(in[0].Layout(), s.Keys, s.Locale)
	if err != nil {
		return err
	}
	cols, err := columnMap(in[0], s.Columns, s.SortColumnID)
	if err != nil {
		return err
	}
	var rows []rowRef
	for {
		b, err := in[0].Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		for _, r := range b.Rows {
			rows = append(rows, rowRef{b.Buffer, r})
		}
	}
	slices.SortStableFunc(rows, func(x, y rowRef) int { return compareRows(keys, x.b, x.r, keys, y.b, y.r) })
	ob := out.NewBuffer(0)
	for i, x := range rows {
		if s.EliminateDuplicates && i > 0 {
			p := rows[i-1]
			if compareRows(keys, p.b, p.r, keys, x.b, x.r) == 0 {
				continue
			}
		}
		ob.CopyRow(ob.AddRow(), x.b, x.r, cols)
		if ob.Full() {
			if err := out.Send(ctx, 0, ob); err != nil {
				return err
			}
			ob = out.NewBuffer(0)
		}
	}
	return out.Send(ctx, 0, ob)
}

var _ dataflow.Async = (*Sort)(nil)
